"""The manager's review loop in the demo: shortlists in every state, late reviews, sent nudges.

Told through the services, like demo/stories.py. The services stamp everything with the current
time, but the demo needs a past in which shortlists were sent, decided (some late) and nudged. So
the steps are played in time order on a `Timeline`: each step runs at the real time, and then what
it stamped — and the due times, reminders and link expiries planned from that time — moves back
to the moment the step happened. Between steps the nudge dispatcher runs at each moment something
fell due, as the worker would have, so reminders and escalations go out (or wait for quiet hours
and the person's agreed gap) exactly as they would have.

Shortlists are sent whole weeks ago: their due times are counted in business days from the real
time, and only a shift by whole weeks keeps them on the same weekdays. Everything else (decisions,
withdrawals, interviews) happens at any moment after its shortlist.
"""

import contextlib
import functools
import heapq
import io
import logging
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, Model, Q
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.briefs.models import BriefVersion, Kind
from accord.briefs.selectors import in_force
from accord.demo import data, hiring
from accord.matching import services as matching
from accord.nudges import clock, preferences
from accord.nudges.models import (
    Commitment,
    ContactPreference,
    Message,
    MessageStatus,
    Nudge,
    NudgeStatus,
)
from accord.nudges.services import dispatch, time_zone_of
from accord.pipeline.models import Application, Assessment, Category, StageMove, Verdict
from accord.requisitions.models import Requisition, Status
from accord.reviews import scorecards
from accord.reviews import services as reviews
from accord.reviews.models import (
    Decision,
    Judgement,
    ReasonChip,
    Recommendation,
    Review,
    ReviewLink,
    Scorecard,
    Shortlist,
    ShortlistItem,
)
from accord.workspaces.models import Member, Workspace

# What a step stamps: (model, fields set to the current time, fields planned from it, the field
# that says a row was made by the step). Planned fields move only on rows the step made, and only
# when they lie after the real time (a due time computed from an interview in the past stays).
STAMPED: Final[tuple[tuple[type[Model], tuple[str, ...], tuple[str, ...], str], ...]] = (
    (Shortlist, ("sent_at", "completed_at", "withdrawn_at"), (), ""),
    (Review, ("decided_at",), (), ""),
    (ReviewLink, ("created_at", "revoked_at", "last_used_at"), ("expires_at",), "created_at"),
    (Scorecard, ("requested_at", "submitted_at"), ("due_at",), "requested_at"),
    (Commitment, ("started_at", "done_at", "cancelled_at"), ("due_at",), "started_at"),
    (Nudge, ("created_at",), ("send_after",), "created_at"),
    (Message, ("created_at", "claimed_at", "sent_at"), ("next_attempt_at",), "created_at"),
    (StageMove, ("at",), (), ""),
    (Application, ("stage_entered_at",), (), ""),
    (ContactPreference, ("updated_at",), (), ""),
    (AuditEntry, ("created_at",), (), ""),
)
# While a reminder waits (quiet hours, the person's agreed gap), the dispatcher looks again this
# often; otherwise it runs exactly when the next thing falls due.
TICK: Final = timedelta(hours=1)
OFFICE: Final = clock.QuietHours()  # when people act: weekdays, 08:00–20:00 their time

HANNAH_PHONE: Final = "+44 7700 900123"  # Ofcom's range for drama
SOFIA_WEBHOOK: Final = "https://hooks.slack.com/services/T000/B000/demo"  # fake: Slack refuses it


def _shift(
    start: datetime, end: datetime, to: datetime, models: Sequence[type[Model]] = ()
) -> None:
    """Move what was stamped between `start` and `end` (while a step ran) back to `to`; only in
    `models` when given."""
    delta = start - to
    if delta <= timedelta(0):
        return
    for model, stamps, planned, marker in STAMPED:
        if models and model not in models:
            continue
        rows = model._default_manager.all()
        made = rows.filter(**{f"{marker}__range": (start, end)}) if planned else rows.none()
        for name in planned:  # before the marker itself moves
            made.filter(**{f"{name}__gte": start}).update(**{name: F(name) - delta})
        for name in stamps:
            rows.filter(**{f"{name}__range": (start, end)}).update(**{name: F(name) - delta})


Step = Callable[[datetime], None]


@dataclass(order=True)
class _Entry:
    at: datetime
    order: int
    step: Step = field(compare=False)


class Timeline:
    """Steps at moments in the past, played in time order with the dispatcher between them."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._queue: list[_Entry] = []
        self._scheduled = 0  # steps at the same moment run in the order they were scheduled
        self._ticked: datetime | None = None

    def schedule(self, at: datetime, step: Step) -> None:
        self._scheduled += 1
        heapq.heappush(self._queue, _Entry(at, self._scheduled, step))

    def run(self) -> None:
        while self._queue:
            entry = heapq.heappop(self._queue)
            self._dispatch_until(entry.at)
            start = timezone.now()
            entry.step(entry.at)
            _shift(start, timezone.now(), entry.at)
        self._dispatch_until(timezone.now())
        dispatch()  # and the worker's round now, for what fell due since its last

    def _next(self) -> datetime | None:
        """When the dispatcher next has something to do: the earliest reminder or message due
        after its last round, or an hour on while something due is still waiting."""
        nudges = Nudge.objects.filter(
            status=NudgeStatus.PENDING,
            commitment__workspace=self.workspace,
            commitment__done_at__isnull=True,
            commitment__cancelled_at__isnull=True,
        )
        messages = Message.objects.filter(
            workspace=self.workspace, status__in=[MessageStatus.QUEUED, MessageStatus.RETRY]
        )
        moments = []
        for rows, name in ((nudges, "send_after"), (messages, "next_attempt_at")):
            if self._ticked is None:
                moments.append(rows.aggregate(at=Min(name))["at"])
                continue
            found = rows.aggregate(
                at=Min(name, filter=Q(**{f"{name}__gt": self._ticked})),
                waiting=Count("pk", filter=Q(**{f"{name}__lte": self._ticked})),
            )
            moments.append(found["at"])
            if found["waiting"]:
                moments.append(self._ticked + TICK)
        first = min((m for m in moments if m is not None), default=None)
        return None if first is None else _on_tick(first)

    def _dispatch_until(self, until: datetime) -> None:
        while (at := self._next()) is not None and at <= until:
            start = timezone.now()
            result = dispatch(now=at)
            if result.messages or result.sent:  # the send times, and any new one-tap links
                _shift(start, timezone.now(), at, models=(Message, ReviewLink))
            self._ticked = at


def _on_tick(at: datetime) -> datetime:
    """The worker's first round at or after `at` (it runs every NUDGE_TICK_SECONDS)."""
    tick = settings.NUDGE_TICK_SECONDS
    return datetime.fromtimestamp(math.ceil(at.timestamp() / tick) * tick, tz=UTC)


@contextlib.contextmanager
def quietly() -> Iterator[None]:
    """Weeks of reminders are sent in a few seconds: the console mail backend and the logging
    text-message provider would print each of them over the sign-in instructions. They are in
    the message log."""
    sms = logging.getLogger("accord.sms")
    level = sms.level
    sms.setLevel(logging.WARNING)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        sms.setLevel(level)


# --- what people wrote ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """A manager's decision on one candidate: the screen's must-haves as they judged them, a
    criterion they disagree on (`doubt`, judged "doesn't meet"), common reasons and words."""

    decision: str
    note: str
    chips: tuple[str, ...] = ()
    doubt: str = ""


@dataclass(frozen=True)
class Batch:
    manager: str
    note: str
    highlights: tuple[str, ...]
    calls: tuple[Call, ...] = ()  # in the order of the candidates; fewer calls: the rest wait
    least: int = 1
    most: int = 1
    from_link: bool = True  # decided from the link in the message, not signed in
    interview: bool = False  # the first candidate advanced is interviewed
    on_time: bool = True  # decided well before the due time, or a day after it
    withdrawn_after: timedelta | None = None  # the recruiter takes it back


POSTGRES: Final = hiring.SENIOR_BACKEND_BRIEF.criteria[1].name
MOBILE: Final = hiring.PRODUCT_DESIGNER_BRIEF.criteria[0].name
BACKEND_HIGHLIGHTS: Final = (
    "Moved a nightly batch system to events at their last job: ask how they handled duplicates.",
    "Has carried a pager for a payments API and wrote the runbooks.",
    "Wants a smaller company; can start in four weeks.",
)
DESIGN_HIGHLIGHTS: Final = (
    "Rode along with engineers for a week before redesigning their app.",
    "Portfolio has a full case study of a job-sheet flow.",
)

# Senior Backend, a week ago: decided in one sitting, partly decided, ignored, withdrawn.
DECIDED: Final = Batch(
    hiring.HANNAH,
    "This week’s strongest screens against the new brief. The first has run events in production.",
    BACKEND_HIGHLIGHTS,
    (
        Call(
            Decision.ADVANCE,
            "Exactly the batch-to-events story we want to dig into in the technical interview.",
        ),
        Call(
            Decision.REJECT,
            "Meets the brief, but is asking £130k base and won’t move: far above our band.",
            chips=(ReasonChip.COMPENSATION,),
        ),
        Call(
            Decision.REJECT,
            "Nothing about query tuning in four years of Django; we need someone who has fixed "
            "slow queries themselves.",
            doubt=POSTGRES,
        ),
        Call(Decision.ADVANCE, "Solid on-call history; keen to hear about their mentoring."),
    ),
    least=2,
    most=4,
    interview=True,
)
PARTLY: Final = Batch(
    hiring.HANNAH,
    "RabbitMQ and SQS people, now that Kafka is a nice-to-have.",
    BACKEND_HIGHLIGHTS[1:],
    (Call(Decision.ADVANCE, "RabbitMQ at this scale counts; let’s talk."),),
    least=2,
    most=3,
)
IGNORED: Final = Batch(
    hiring.HANNAH,
    "More for the events work, screened against version 2 of the brief.",
    BACKEND_HIGHLIGHTS[2:],
    most=3,
)
# Riya meant to finish their screens first.
WITHDRAWN: Final = Batch(
    hiring.HANNAH,
    "Referrals from last week’s meetup.",
    (),
    most=2,
    withdrawn_after=timedelta(hours=2),
)
FRESH: Final = Batch(hiring.HANNAH, "Fresh from this week’s screens.", BACKEND_HIGHLIGHTS, most=3)

# Product Designer, before the search was paused: Sofia on time, Hannah late, Sofia late.
SOFIA_FIRST: Final = Batch(
    hiring.SOFIA,
    "First candidates for the technician app redesign.",
    DESIGN_HIGHLIGHTS,
    (
        Call(Decision.ADVANCE, "Shipped field apps and talks about technicians, not pixels."),
        Call(Decision.REJECT, "Only web work in the portfolio.", doubt=MOBILE),
    ),
    most=2,
    from_link=False,
)
HANNAH_DESIGN: Final = Batch(
    hiring.HANNAH,
    "One for you as well, since your team will work with them every day.",
    DESIGN_HIGHLIGHTS[1:],
    (
        Call(
            Decision.REJECT,
            "Can only start in six months, after the redesign is due.",
            chips=(ReasonChip.AVAILABILITY,),
        ),
    ),
    on_time=False,
)
SOFIA_LATER: Final = Batch(
    hiring.SOFIA,
    "A late applicant with a strong mobile portfolio.",
    DESIGN_HIGHLIGHTS,
    (Call(Decision.HOLD, "Promising; I want to see one more case study before we meet."),),
    from_link=False,
    on_time=False,
)

TOM_NOTES: Final = (
    "Found the deadlock in our anonymised incident log in twenty minutes and explained the fix.",
    "Read the EXPLAIN output fluently; suggested a partial index we hadn’t thought of.",
)
TOM_EVIDENCE: Final = (
    "Calm and methodical on the incident: asked for the right logs first, named two hypotheses "
    "and ruled one out with a query. Would be a strong addition to the on-call rota."
)


# --- the steps -----------------------------------------------------------------------------------


JUDGED: Final[dict[str, str]] = {Verdict.MET: Judgement.MEETS, Verdict.NOT_MET: Judgement.DOESNT}
# Who goes on a shortlist first: screened people, then sourced ones the recruiter vouches for.
PREFERENCE: Final[dict[str, int]] = {
    Category.SCREEN: 0,
    Category.SOURCED: 1,
    Category.SUBMITTED: 2,
}


def _shortlistable(requisition: Requisition, before: datetime) -> list[Application]:
    """Applications the recruiter could send on `before`: in a stage before the manager's, and
    there since earlier, so the history stays in order. On an open search the newest in each
    stage stays where it is, so its board still shows every stage."""
    waiting = set(
        ShortlistItem.objects.filter(
            review__isnull=True,
            shortlist__completed_at__isnull=True,
            shortlist__withdrawn_at__isnull=True,
        ).values_list("application", flat=True)
    )
    rows = list(
        Application.objects.filter(
            requisition=requisition,
            stage__category__in=list(PREFERENCE),
            candidate__erased_at__isnull=True,
        )
        .select_related("candidate", "stage", "requisition__workspace", "workspace")
        .order_by("stage_entered_at", "pk")
    )
    kept = {a.stage.category: a.pk for a in rows} if requisition.status == Status.OPEN else {}
    return sorted(
        (
            a
            for a in rows
            if a.stage_entered_at < before and a.pk not in waiting and a.pk not in kept.values()
        ),
        key=lambda a: (PREFERENCE[a.stage.category], a.stage_entered_at, a.pk),
    )


def _split[T](pool: Sequence[T], batches: Sequence[Batch]) -> list[list[T]]:
    """Each batch its least first, in order (none if it can't have that), then more up to its
    most: a small demo pool still shows every state, a large one fuller shortlists."""
    sizes = [0] * len(batches)
    left = len(pool)
    for i, batch in enumerate(batches):
        if left >= batch.least:
            sizes[i], left = batch.least, left - batch.least
    for i, batch in enumerate(batches):
        if sizes[i]:
            extra = min(batch.most - sizes[i], left)
            sizes[i], left = sizes[i] + extra, left - extra
    groups, start = [], 0
    for size in sizes:
        groups.append(list(pool[start : start + size]))
        start += size
    return groups


def _judgements(application: Application, version: BriefVersion, doubt: str) -> dict[int, str]:
    """The must-haves as the screen judged them, but the doubted criterion doesn't meet."""
    verdicts = {
        a.criterion_id: matching.effective_verdict(a)
        for a in Assessment.objects.filter(application=application, criterion__version=version)
    }
    judged: dict[int, str] = {}
    for criterion in version.criteria.all():
        if criterion.name == doubt:
            judged[criterion.pk] = Judgement.DOESNT
        elif criterion.kind == Kind.MUST:
            judged[criterion.pk] = JUDGED.get(verdicts.get(criterion.pk, ""), Judgement.CANT_TELL)
    return judged


def _acted(at: datetime, member: Member, before: datetime | None = None) -> datetime:
    """`at`, or the next moment in office hours when the member would have acted."""
    moment = clock.next_allowed(at, time_zone_of(member), OFFICE)
    return at if before is not None and moment >= before else moment


@dataclass
class Demo:
    line: Timeline
    cast: dict[str, Member]
    now: datetime

    @property
    def recruiter(self) -> Member:
        return self.cast[hiring.RIYA]

    def send_all(self, at: datetime, requisition: Requisition, batches: Sequence[Batch]) -> None:
        """Share out who can be sent at `at` among the batches, and send them one after the
        other (at the same moment: a few minutes apart would move their reminders off the
        times the planner chose)."""
        groups = _split(_shortlistable(requisition, at), batches)
        for batch, group in zip(batches, groups, strict=True):
            if group:
                self.line.schedule(at, functools.partial(self.send, requisition, batch, group))

    def send(
        self,
        requisition: Requisition,
        batch: Batch,
        applications: Sequence[Application],
        at: datetime,
    ) -> None:
        """Send the batch; its manager decides `batch.calls` on time or a day late."""
        shortlist = reviews.shortlist_send(
            actor=self.recruiter,
            requisition=requisition,
            manager=self.cast[batch.manager],
            applications=applications,
            note=batch.note,
            highlights={
                a.pk: text for a, text in zip(applications, batch.highlights, strict=False)
            },
        )
        if batch.withdrawn_after is not None:
            self.line.schedule(
                at + batch.withdrawn_after, functools.partial(self.withdraw, shortlist)
            )
        if not batch.calls:
            return
        # Due and sent times move back together: their difference is the time the manager had.
        window = Commitment.objects.get(shortlist=shortlist).due_at - shortlist.sent_at
        due = at + window
        manager = self.cast[batch.manager]
        when = (
            _acted(at + window * 0.4, manager, before=due)
            if batch.on_time
            else _acted(due + timedelta(hours=26), manager)
        )
        self.line.schedule(when, functools.partial(self.decide, shortlist, batch))

    def withdraw(self, shortlist: Shortlist, at: datetime) -> None:
        reviews.shortlist_withdraw(actor=self.recruiter, shortlist=shortlist)

    def decide(self, shortlist: Shortlist, batch: Batch, at: datetime) -> None:
        version = shortlist.brief_version
        assert version is not None  # noqa: S101 (shortlist_send refuses a requisition without one)
        items = list(shortlist.items.select_related("application__candidate", "shortlist"))
        interviewed = not batch.interview
        for item, call in zip(items, batch.calls, strict=False):
            review = reviews.review_submit(
                reviewer=shortlist.manager,
                item=item,
                decision=call.decision,
                judgements=_judgements(item.application, version, call.doubt),
                chips=call.chips,
                note=call.note,
                via_link=batch.from_link,
            )
            if review.decision == Decision.ADVANCE and not interviewed:
                self.line.schedule(
                    at + timedelta(hours=2), functools.partial(self.interview, item.application)
                )
                interviewed = True

    def interview(self, application: Application, at: datetime) -> None:
        """The candidate is interviewed the next working day: Tom sends his scorecard late,
        Grace hasn't sent hers."""
        application.refresh_from_db()
        version = in_force(application.requisition)
        if version is None or application.stage.category != Category.INTERVIEW:
            return
        brief_stage = version.stages.filter(name=hiring.ENGINEERING_STAGES[1].name).first()
        day = clock.local(at, "Europe/London").date() + timedelta(days=1)
        while day.weekday() >= clock.SATURDAY:
            day += timedelta(days=1)
        interview_at = datetime.combine(day, time(10), ZoneInfo("Europe/London"))
        tom, grace = self.cast[hiring.TOM], self.cast[hiring.GRACE]
        requested = scorecards.scorecard_request(
            actor=self.recruiter,
            application=application,
            interviewers=[tom, grace],
            interview_at=interview_at,
            stage=application.stage,
            brief_stage=brief_stage,
        )
        toms = next(s for s in requested if s.interviewer_id == tom.pk)
        submitted = _acted(toms.due_at + timedelta(hours=5), tom)
        if submitted < self.now - timedelta(hours=1):
            self.line.schedule(submitted, functools.partial(self.score, toms))

    def score(self, scorecard: Scorecard, at: datetime) -> None:
        criteria = scorecards.criteria_for(scorecard)
        notes = TOM_NOTES + ("",) * len(criteria)
        scorecards.scorecard_submit(
            actor=scorecard.interviewer,
            scorecard=scorecard,
            ratings={
                c.pk: (Judgement.MEETS, note) for c, note in zip(criteria, notes, strict=False)
            },
            recommendation=Recommendation.YES,
            evidence=TOM_EVIDENCE,
            via_link=True,
        )


def _requisition(workspace: Workspace, role: hiring.Role) -> Requisition | None:
    requisition = Requisition.objects.filter(workspace=workspace, title=role.title).first()
    return requisition if requisition is not None and in_force(requisition) else None


@transaction.atomic
def build_reviews() -> None:
    """Shortlists in every state, with weeks of decisions, reminders and escalations behind
    them. Skipped when Northwind has shortlists."""
    workspace = Workspace.objects.get(slug=data.NORTHWIND[1])
    if Shortlist.objects.filter(workspace=workspace).exists():
        return
    cast = {
        m.user.email: m
        for m in Member.objects.filter(workspace=workspace).select_related("user", "workspace")
    }
    now = timezone.now()
    line = Timeline(workspace)
    demo = Demo(line, cast, now)
    week = timedelta(weeks=1)

    def agree(at: datetime) -> None:
        # Ada names herself the escalation contact; Hannah asks for texts, not email. A day after
        # the due time, so the shortlist ignored a week ago has reached her whatever the weekday
        # and hour the demo is built at (with two, a Sunday evening build left her for Monday).
        admin, hannah = cast[hiring.ADA], cast[hiring.HANNAH]
        preferences.policy_update(
            actor=admin, workspace=workspace, contact=admin, contact_after_days=1
        )
        preferences.contact_update(actor=hannah, member=hannah, channel="sms", phone=HANNAH_PHONE)
        # Fresh, so that sending to her reads the preference just saved.
        cast[hiring.HANNAH] = Member.objects.select_related("user", "workspace").get(pk=hannah.pk)

    line.schedule(now - 4 * week, agree)

    designer = _requisition(workspace, hiring.PRODUCT_DESIGNER)
    if designer is not None:  # open from 24 to 6 days ago, then paused
        line.schedule(
            now - 3 * week,
            functools.partial(
                demo.send_all, requisition=designer, batches=[SOFIA_FIRST, HANNAH_DESIGN]
            ),
        )
        line.schedule(
            now - 2 * week,
            functools.partial(demo.send_all, requisition=designer, batches=[SOFIA_LATER]),
        )
    backend = _requisition(workspace, hiring.SENIOR_BACKEND)
    if backend is not None:  # version 2 of its brief was signed a week ago
        line.schedule(
            now - week,
            functools.partial(
                demo.send_all, requisition=backend, batches=[DECIDED, IGNORED, PARTLY, WITHDRAWN]
            ),
        )
        line.schedule(now, functools.partial(demo.send_all, requisition=backend, batches=[FRESH]))

    with quietly():
        line.run()
    # Sofia has just moved to Slack, after her last reminder: nothing here posts to the
    # placeholder address (a demo must not depend on the network). Her "send a test message"
    # button shows what a failed chat send looks like, and the email sent instead.
    sofia = cast[hiring.SOFIA]
    preferences.contact_update(actor=sofia, member=sofia, channel="chat", webhook_url=SOFIA_WEBHOOK)
