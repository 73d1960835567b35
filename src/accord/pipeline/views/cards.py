"""What one card (or list row) shows, prepared in Python.

A board shows up to 30 cards in each open column, a few hundred in all. Reversing three URLs and
translating four strings per card in the template took most of the board's time, so each URL is
reversed once per page and each card fills in its own ids; the template only prints."""

from datetime import datetime
from typing import TypedDict
from uuid import UUID

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.pipeline.models import Application, Category, Reason
from accord.pipeline.templatetags.pipeline import in_stage
from accord.requisitions.models import Requisition

_PLACEHOLDER = str(UUID(int=0))


class Card(TypedDict):
    """A dict, not an object: Django templates look up dict keys first, and a board prints
    a dozen values from each of hundreds of cards."""

    id: str  # the application's public id
    stage: str  # its stage's public id, the column the board puts it in
    stage_name: str
    revision: int
    name: str
    headline: str
    move_url: str
    candidate_url: str
    in_stage: str  # "3 d"
    since: str  # "In this stage since 2026-11-02"
    match: str  # "Must-haves 3/4", never a bare score; "" before matching
    reason: str
    tags: list[str]
    select_label: str
    hire_url: str  # in a hired stage: its start date and post-hire surveys; else ""


class CardMaker:
    """Cards of one requisition, with its URLs reversed and its labels translated once."""

    def __init__(self, requisition: Requisition, now: datetime | None = None) -> None:
        slug = requisition.workspace.slug
        self.move = reverse("pipeline:move", args=[slug, requisition.public_id, _PLACEHOLDER])
        self.candidate = reverse("candidates:detail", args=[slug, _PLACEHOLDER])
        self.hire = reverse("surveys:application-hire", args=[slug, _PLACEHOLDER])
        self.now = now or timezone.now()
        self.zone = timezone.get_current_timezone()
        self.must_haves = _("Must-haves %(met)s/%(total)s")
        self.since = _("In this stage since %(date)s")
        self.select = _("Select %(name)s")
        self.reasons = dict(Reason.choices)
        self.days: dict[int, str] = {}

    def _in_stage(self, entered: datetime) -> str:
        days = (self.now - entered).days
        if days not in self.days:
            self.days[days] = in_stage(entered, self.now)
        return self.days[days]

    def __call__(self, application: Application) -> Card:
        candidate = application.candidate
        entered = application.stage_entered_at
        match = ""
        if application.must_total:
            match = self.must_haves % {
                "met": application.must_met or 0,
                "total": application.must_total,
            }
        return {
            "id": str(application.public_id),
            "stage": str(application.stage.public_id),
            "stage_name": application.stage.name,
            "revision": application.revision,
            "name": candidate.name,
            "headline": candidate.headline,
            "move_url": self.move.replace(_PLACEHOLDER, str(application.public_id)),
            "candidate_url": self.candidate.replace(_PLACEHOLDER, str(candidate.public_id)),
            "in_stage": self._in_stage(entered),
            "since": self.since % {"date": entered.astimezone(self.zone).date().isoformat()},
            "match": match,
            "reason": str(self.reasons.get(application.reason, "")),
            "tags": [t.name for t in candidate.tags.all()],
            "select_label": self.select % {"name": candidate.name},
            "hire_url": (
                self.hire.replace(_PLACEHOLDER, str(application.public_id))
                if application.stage.category == Category.HIRED
                else ""
            ),
        }

    def many(self, applications: list[Application]) -> list[Card]:
        return [self(a) for a in applications]
