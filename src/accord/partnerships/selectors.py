"""Reads of the partnership memory: who the managers are, a manager's profile as it stands (with
defaults before anything is written), lessons offered at an intake, and relationship health.

`health_for` computes responsiveness, alignment and satisfaction for any number of managers in a
fixed number of queries (one per source: commitments, reviews, surveys), so the index page costs
the same for 2 managers or 200.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from statistics import mean, median
from typing import Any
from uuid import UUID

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from accord.briefs.models import BriefVersion, Channel, Frequency
from accord.briefs.sections import QUESTIONS
from accord.nudges.models import Commitment
from accord.nudges.selectors import Figures
from accord.partnerships.models import (
    Cadence,
    Lesson,
    LessonUse,
    Partnership,
    Survey,
    Touchpoint,
)
from accord.requisitions.models import ACTIVE_STATUSES, Requisition
from accord.reviews.models import Decision, Review
from accord.workspaces.access import MANAGE_PARTNERSHIPS
from accord.workspaces.models import Member, Role, Workspace

# Health covers the last twelve months, in calendar quarters (the trend).
HEALTH_QUARTERS = 4
TOUCHPOINT_LIMIT = 50
EVIDENCE_LIMIT = 10
AGREEMENT_FIELDS = ("update_channel", "update_frequency", "best_times", "update_time_zone")
PROFILE_FIELDS = ("team", "business_goals", "challenges", "team_dynamics")


# --- who the managers are --------------------------------------------------------------------


def _managing(workspace: Workspace) -> QuerySet[Any]:
    return Requisition.hiring_managers.through.objects.filter(requisition__workspace=workspace)


def managers_of(workspace: Workspace, viewer: Member | None = None) -> QuerySet[Member]:
    """Every active hiring manager of the workspace: by role, or as a requisition's manager;
    never the `viewer` (nobody reads the team's notes about themselves). Each is annotated with
    `latest_recruiter_id`, the recruiter of their latest requisition (see `reminder_recipient`)."""
    managing = _managing(workspace)
    open_ones = (
        managing.filter(member=OuterRef("pk"), requisition__status__in=ACTIVE_STATUSES)
        .order_by()
        .values("member")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_touch = (
        Touchpoint.objects.filter(partnership__manager=OuterRef("pk"))
        .order_by()
        .values("partnership")
        .annotate(last=Max("occurred_on"))
        .values("last")
    )
    latest = (
        Requisition.objects.filter(hiring_managers=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("recruiter")[:1]
    )
    managers = (
        Member.objects.active()
        .filter(workspace=workspace)
        .filter(Q(role=Role.HIRING_MANAGER) | Q(pk__in=managing.values("member")))
        .select_related("user", "partnership__recruiter__user")
        .annotate(
            open_count=Subquery(open_ones),
            last_touchpoint=Subquery(last_touch),
            latest_recruiter_id=Subquery(latest),
        )
        .order_by("user__display_name", "pk")
    )
    if viewer is not None:
        managers = managers.exclude(pk=viewer.pk)
    return managers


def is_manager(member: Member) -> bool:
    return (
        member.role == Role.HIRING_MANAGER
        or Requisition.hiring_managers.through.objects.filter(member=member).exists()
    )


def partnership_of(manager: Member) -> Partnership:
    """The manager's partnership, or the one they would have (unsaved: reading writes nothing)."""
    found = (
        Partnership.objects.filter(manager=manager)
        .select_related("recruiter__user", "updated_by__user")
        .first()
    )
    if found is not None:
        return found
    return Partnership(workspace_id=manager.workspace_id, manager=manager)


def latest_signed_brief(manager: Member) -> BriefVersion | None:
    return (
        BriefVersion.objects.signed()
        .filter(requisition__hiring_managers=manager)
        .select_related("requisition")
        .only(*AGREEMENT_FIELDS, "signed_at", "number", "requisition__title")
        .order_by("-signed_at", "-pk")
        .first()
    )


def agreed_channel(manager: Member) -> str:
    """The channel the communication agreement in force with `manager` names ("" for none)."""
    return agreement_of(partnership_of(manager), latest_signed_brief(manager)).update_channel


@dataclass
class Agreement:
    update_channel: str
    update_frequency: str
    best_times: str
    update_time_zone: str
    source: BriefVersion | None  # the brief it comes from, None when edited here (or none)
    edited_at: datetime | None

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in AGREEMENT_FIELDS}

    @property
    def summary(self) -> str:
        """ "Chat (Slack or Teams), weekly, Tuesday mornings (Europe/London)"."""
        parts = [
            str(dict(Channel.choices).get(self.update_channel, "")),
            str(dict(Frequency.choices).get(self.update_frequency, "")).lower(),
            self.best_times,
        ]
        text = ", ".join(part for part in parts if part)
        if text and self.update_time_zone:
            text += f" ({self.update_time_zone})"
        return text


def agreement_of(partnership: Partnership, brief: BriefVersion | None) -> Agreement:
    """The communication agreement in force: the partnership's own once edited here, until then
    the latest signed intake's."""
    if partnership.agreement_edited_at is not None or brief is None:
        source: Any = partnership
        brief = None
    else:
        source = brief
    return Agreement(
        **{name: getattr(source, name) or "" for name in AGREEMENT_FIELDS},
        source=brief,
        edited_at=partnership.agreement_edited_at,
    )


def requisitions_of(manager: Member) -> list[Requisition]:
    return list(
        Requisition.objects.filter(hiring_managers=manager)
        .select_related("recruiter__user")
        .order_by("-created_at", "-pk")
    )


def touchpoints_of(partnership: Partnership) -> list[Touchpoint]:
    if partnership.pk is None:
        return []
    return list(
        partnership.touchpoints.select_related("author__user", "requisition")
        .annotate(lesson_count=Count("lessons"))
        .order_by("-occurred_on", "-created_at", "-pk")[:TOUCHPOINT_LIMIT]
    )


def lessons_of(partnership: Partnership) -> list[Lesson]:
    if partnership.pk is None:
        return []
    return list(
        partnership.lessons.select_related(
            "author__user", "requisition", "touchpoint", "survey__hire"
        )
        .annotate(use_count=Count("uses"))
        .order_by("retired_at", "-created_at")
    )


def surveys_answered(manager: Member) -> list[Survey]:
    return list(
        Survey.objects.filter(manager=manager, answered_at__isnull=False)
        .select_related("hire__requisition", "hire__application__candidate")
        .order_by("-answered_at")
    )


# --- lessons offered at an intake ------------------------------------------------------------


# A general lesson (no `applies_to`) is carried into the process notes.
GENERAL_FIELD = "process_notes"


def target_of(lesson: Lesson) -> str:
    """The brief answer a lesson is carried into."""
    return lesson.applies_to if lesson.applies_to in QUESTIONS else GENERAL_FIELD


@dataclass
class Offered:
    lesson: Lesson
    manager_name: str
    carried: bool

    @property
    def target_label(self) -> str:
        return str(QUESTIONS[target_of(self.lesson)].label)


def lessons_offered(
    requisition: Requisition, viewer: Member, version: BriefVersion | None = None
) -> list[Offered]:
    """The active lessons about this requisition's hiring managers, for a recruiter starting or
    editing its intake; each says whether it is already carried into `version`.

    Lessons are the recruiting team's notes: nobody else is offered any, and a manager never
    reads the lessons about themselves, whatever their role."""
    if not viewer.can(MANAGE_PARTNERSHIPS):
        return []
    managers = Requisition.hiring_managers.through.objects.filter(requisition=requisition)
    lessons = (
        Lesson.objects.filter(
            partnership__manager__in=managers.values("member"),
            partnership__workspace_id=requisition.workspace_id,
            retired_at__isnull=True,
        )
        .exclude(partnership__manager=viewer)
        .select_related("partnership__manager__user")
        .order_by("partnership__manager__user__display_name", "-created_at")
    )
    if version is not None:
        used = LessonUse.objects.filter(lesson=OuterRef("pk"), version=version)
        lessons = lessons.annotate(
            carried=Subquery(used.values("pk")[:1]),
        )
    return [
        Offered(
            lesson=lesson,
            manager_name=lesson.partnership.manager.user.display_name,
            carried=getattr(lesson, "carried", None) is not None,
        )
        for lesson in lessons
    ]


# --- relationship health -----------------------------------------------------------------------


def quarter_starts(now: datetime, zone: tzinfo, count: int = HEALTH_QUARTERS) -> list[datetime]:
    """The first instants of the last `count` calendar quarters in `zone`, oldest first."""
    local = now.astimezone(zone)
    year, quarter = local.year, (local.month - 1) // 3
    starts = []
    for _i in range(count):
        starts.append(datetime(year, quarter * 3 + 1, 1, tzinfo=zone))
        year, quarter = (year, quarter - 1) if quarter else (year - 1, 3)
    return starts[::-1]


def quarter_label(start: datetime) -> str:
    return _("Q%(q)d %(year)d") % {"q": (start.month - 1) // 3 + 1, "year": start.year}


def _bucket(starts: list[datetime], at: datetime) -> int:
    return sum(1 for start in starts if start <= at) - 1


@dataclass
class Alignment:
    reviewed: int = 0
    advanced: int = 0
    outside: int = 0

    @property
    def advanced_share(self) -> int | None:
        return round(100 * self.advanced / self.reviewed) if self.reviewed else None

    @property
    def outside_share(self) -> int | None:
        return round(100 * self.outside / self.reviewed) if self.reviewed else None


@dataclass
class Satisfaction:
    process: list[int] = field(default_factory=list)
    hire: list[int] = field(default_factory=list)
    answered: int = 0

    @property
    def process_mean(self) -> float | None:
        return round(mean(self.process), 1) if self.process else None

    @property
    def hire_mean(self) -> float | None:
        return round(mean(self.hire), 1) if self.hire else None


@dataclass
class Responsiveness(Figures):
    agreed: list[float] = field(default_factory=list)  # seconds allowed, done ones only

    @property
    def agreed_median_label(self) -> str:
        return Figures(turnarounds=self.agreed).median_label

    @property
    def median_hours(self) -> float | None:
        return round(median(self.turnarounds) / 3600, 1) if self.turnarounds else None

    @property
    def agreed_hours(self) -> float | None:
        return round(median(self.agreed) / 3600, 1) if self.agreed else None

    def add_commitment(self, started_at: datetime, due_at: datetime, done_at: Any) -> None:
        self.add(started_at, due_at, done_at)
        if done_at is not None:
            self.agreed.append((due_at - started_at).total_seconds())


@dataclass
class Quarter:
    label: str
    responsiveness: Responsiveness
    alignment: Alignment
    satisfaction: Satisfaction


@dataclass
class ByRequisition:
    """What one requisition contributes to a manager's figures (the evidence)."""

    public_id: UUID
    title: str
    commitments: Responsiveness = field(default_factory=Responsiveness)
    alignment: Alignment = field(default_factory=Alignment)


@dataclass
class Health:
    responsiveness: Responsiveness
    alignment: Alignment
    satisfaction: Satisfaction
    quarters: list[Quarter]
    requisitions: dict[int, ByRequisition]

    @property
    def concerns(self) -> list[str]:
        """What a recruiter should talk about with this manager, from the figures."""
        found = []
        share = self.responsiveness.on_time_share
        if share is not None and share < 60:  # fewer than 3 in 5 on time
            found.append(_("often late"))
        outside = self.alignment.outside_share
        if outside is not None and outside >= 30:  # reasons not in the brief
            found.append(_("decides outside the brief"))
        process = self.satisfaction.process_mean
        if process is not None and process < 3:  # below "fine" on 1-5
            found.append(_("unhappy with the process"))
        return found

    @property
    def has_data(self) -> bool:
        return bool(
            self.responsiveness.count or self.alignment.reviewed or self.satisfaction.answered
        )


def _empty_health(starts: list[datetime]) -> Health:
    return Health(
        responsiveness=Responsiveness(),
        alignment=Alignment(),
        satisfaction=Satisfaction(),
        quarters=[
            Quarter(quarter_label(s), Responsiveness(), Alignment(), Satisfaction()) for s in starts
        ],
        requisitions={},
    )


def health_for(manager_ids: list[int], now: datetime, zone: tzinfo) -> dict[int, Health]:
    """Each manager's relationship health over the last four calendar quarters (in `zone`):

    - responsiveness: their commitments (shortlist reviews, decisions, scorecards) settled in the
      period — done, or still pending past due (late, no turnaround) as in "who owes what" —
      with the on-time share and the median turnaround against the median time agreed;
    - alignment: of the shortlisted candidates they decided on, the share advanced, and the
      share decided for reasons outside the brief;
    - satisfaction: the mean process and hire ratings of the post-hire surveys they answered.

    Three queries whatever the number of managers."""
    starts = quarter_starts(now, zone)
    since = starts[0]
    result = {pk: _empty_health(starts) for pk in manager_ids}
    if not manager_ids:
        return result

    commitments = (
        Commitment.objects.filter(owner__in=manager_ids, cancelled_at__isnull=True)
        .filter(
            Q(done_at__gte=since, done_at__lte=now)
            | Q(done_at__isnull=True, due_at__gte=since, due_at__lt=now)
        )
        .order_by()
        .values_list(
            "owner_id",
            "requisition_id",
            "requisition__public_id",
            "requisition__title",
            "started_at",
            "due_at",
            "done_at",
        )
    )
    for owner_id, req_id, req_public_id, title, started_at, due_at, done_at in commitments:
        health = result[owner_id]
        settled = done_at or due_at
        health.responsiveness.add_commitment(started_at, due_at, done_at)
        health.quarters[_bucket(starts, settled)].responsiveness.add_commitment(
            started_at, due_at, done_at
        )
        part = health.requisitions.setdefault(req_id, ByRequisition(req_public_id, title))
        part.commitments.add_commitment(started_at, due_at, done_at)

    reviews = (
        Review.objects.filter(reviewer__in=manager_ids, decided_at__gte=since, decided_at__lte=now)
        .order_by()
        .values_list(
            "reviewer_id",
            "item__shortlist__requisition_id",
            "item__shortlist__requisition__public_id",
            "item__shortlist__requisition__title",
            "decision",
            "outside_brief",
            "decided_at",
        )
    )
    for reviewer_id, req_id, req_public_id, title, decision, outside, decided_at in reviews:
        health = result[reviewer_id]
        part = health.requisitions.setdefault(req_id, ByRequisition(req_public_id, title))
        for alignment in (
            health.alignment,
            health.quarters[_bucket(starts, decided_at)].alignment,
            part.alignment,
        ):
            alignment.reviewed += 1
            alignment.advanced += decision == Decision.ADVANCE
            alignment.outside += bool(outside)

    surveys = (
        Survey.objects.filter(manager__in=manager_ids, answered_at__gte=since, answered_at__lte=now)
        .order_by()
        .values_list("manager_id", "answered_at", "process_rating", "hire_rating")
    )
    for manager_id, answered_at, process, hire in surveys:
        if answered_at is None:  # filtered out; the column is nullable
            continue
        health = result[manager_id]
        for satisfaction in (
            health.satisfaction,
            health.quarters[_bucket(starts, answered_at)].satisfaction,
        ):
            satisfaction.answered += 1
            if process is not None:
                satisfaction.process.append(process)
            if hire is not None:
                satisfaction.hire.append(hire)
    return result


@dataclass
class OutsideReason:
    review: Review
    reasons: list[str]


def outside_brief_reasons(manager: Member, now: datetime, zone: tzinfo) -> list[OutsideReason]:
    """The latest decisions this manager took for reasons outside the brief (the evidence)."""
    since = quarter_starts(now, zone)[0]
    reviews = (
        Review.objects.filter(
            reviewer=manager, outside_brief=True, decided_at__gte=since, decided_at__lte=now
        )
        .select_related("item__shortlist__requisition", "application__candidate")
        .order_by("-decided_at")[:EVIDENCE_LIMIT]
    )
    return [OutsideReason(r, r.chip_labels) for r in reviews]


# --- check-ins --------------------------------------------------------------------------------


def checkins_on(partnership: Partnership | None) -> bool:
    """Whether check-ins are planned: a cadence other than "no regular check-in" (the dashboard,
    the index, the profile and the reminder round all agree)."""
    return partnership is not None and partnership.checkin_every != Cadence.OFF


def planned_checkin(partnership: Partnership | None) -> date | None:
    """The next check-in, None when none is planned or check-ins are off."""
    return partnership.next_checkin_on if partnership and checkins_on(partnership) else None


def may_be_reminded(member: Member | None, manager_id: int) -> bool:
    """A check-in reminder carries the team's notes: only an active member of the recruiting
    team receives it, and never the manager it is about."""
    return member is not None and member.can(MANAGE_PARTNERSHIPS) and member.pk != manager_id


def reminder_recipient(partnership: Partnership) -> Member | None:
    """Who is reminded of the manager's check-ins: the partnership's recruiter, else the
    recruiter of the manager's latest requisition (one query), else nobody."""
    if may_be_reminded(partnership.recruiter, partnership.manager_id):
        return partnership.recruiter
    latest = (
        Requisition.objects.filter(hiring_managers=partnership.manager_id)
        .select_related("recruiter__user", "recruiter__workspace", "recruiter__contact")
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is not None and may_be_reminded(latest.recruiter, partnership.manager_id):
        return latest.recruiter
    return None


def reminded_ids(managers: list[Member]) -> set[int]:
    """Of `managers_of`'s managers, those whose check-ins somebody is reminded of (one query)."""
    fallback_ids = {
        m.latest_recruiter_id  # type: ignore[attr-defined]
        for m in managers
        if getattr(m, "latest_recruiter_id", None)
    }
    fallbacks = {m.pk: m for m in Member.objects.filter(pk__in=fallback_ids)}
    found = set()
    for manager in managers:
        partnership = getattr(manager, "partnership", None)
        recruiter = partnership.recruiter if partnership is not None else None
        fallback = fallbacks.get(getattr(manager, "latest_recruiter_id", None) or 0)
        if may_be_reminded(recruiter, manager.pk) or may_be_reminded(fallback, manager.pk):
            found.add(manager.pk)
    return found


def checkin_state(next_on: date | None, today: date) -> str:
    """ "overdue", "today", "soon" (within a week) or "later"; "" without a date."""
    if next_on is None:
        return ""
    if next_on < today:
        return "overdue"
    if next_on == today:
        return "today"
    if next_on <= today + timedelta(days=7):
        return "soon"
    return "later"
