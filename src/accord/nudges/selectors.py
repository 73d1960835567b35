"""Reads for "who owes what": pending actions, each person's responsiveness, and the candidates
waiting for news.

Every read runs a fixed number of queries however many commitments a workspace has: counts and
the last nudge come from subqueries, and the responsiveness figures are computed from one
query's rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from statistics import median
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.nudges.models import (
    Commitment,
    CommitmentKind,
    Message,
    Nudge,
    NudgePolicy,
    NudgeStatus,
)
from accord.pipeline.models import Application, Category
from accord.reviews.models import ShortlistItem
from accord.workspaces.models import Member, Role, Workspace

# An action due within this long is "due soon".
DUE_SOON = timedelta(hours=4)
# Responsiveness: the headline figures cover this long, the table this many calendar months.
RESPONSIVENESS_DAYS = 90
RESPONSIVENESS_MONTHS = 6
# The page lists this many pending actions and waiting candidates at most; filters narrow it.
OWED_LIMIT = 200
WAITING_LIMIT = 100
# Stages where a candidate is not waiting for news from us: closed, hired, or not yet contacted.
NOT_WAITING = (Category.REJECTED, Category.WITHDRAWN, Category.HIRED, Category.SOURCED)


@dataclass(frozen=True)
class OwedFilters:
    mine_of: Member | None = None  # only requisitions this member recruits for
    requisition_id: int | None = None
    owner_id: int | None = None


def _scoped(queryset: QuerySet[Any], filters: OwedFilters, prefix: str = "") -> QuerySet[Any]:
    if filters.mine_of is not None:
        queryset = queryset.filter(**{f"{prefix}requisition__recruiter": filters.mine_of})
    if filters.requisition_id is not None:
        queryset = queryset.filter(**{f"{prefix}requisition": filters.requisition_id})
    return queryset


# --- pending actions ---------------------------------------------------------------------------


def duration_label(span: timedelta) -> str:
    """A short, rounded reading of a duration: "40 minutes", "5 hours", "3 days"."""
    minutes = max(0, int(span.total_seconds() // 60))
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@dataclass
class Owed:
    """One pending action as the page shows it."""

    commitment: Commitment
    state: str  # "overdue" | "due_soon" | "on_track"
    age: str
    overdue_by: str
    due_in: str
    nudges_sent: int
    last_nudge_at: datetime | None

    @property
    def what(self) -> str:
        commitment = self.commitment
        if commitment.kind == CommitmentKind.REVIEW:
            n = getattr(commitment, "candidate_count", 0)
            return ngettext(
                "Review a shortlist of %(n)d candidate",
                "Review a shortlist of %(n)d candidates",
                n,
            ) % {"n": n}
        candidate = self.candidate
        name = candidate.name if candidate is not None else _("a candidate")
        if commitment.kind == CommitmentKind.SCORECARD:
            return _("Scorecard for %(name)s") % {"name": name}
        return _("Decision on %(name)s") % {"name": name}

    @property
    def candidate(self) -> Any:
        commitment = self.commitment
        if commitment.kind == CommitmentKind.SCORECARD and commitment.scorecard is not None:
            return commitment.scorecard.application.candidate
        if commitment.application is not None:
            return commitment.application.candidate
        return None


def _state(commitment: Commitment, now: datetime) -> str:
    if commitment.due_at < now:
        return "overdue"
    if commitment.due_at - now <= DUE_SOON:
        return "due_soon"
    return "on_track"


def owed_for(workspace: Workspace, filters: OwedFilters, now: datetime) -> list[Owed]:
    """The workspace's pending actions: overdue first, the most recently overdue at the top
    (the ones a reminder can still rescue), then the rest by due time."""
    sent = Nudge.objects.filter(commitment=OuterRef("pk"), status=NudgeStatus.SENT).order_by()
    items = ShortlistItem.objects.filter(shortlist=OuterRef("shortlist")).order_by()
    queryset = (
        _scoped(Commitment.objects.pending().filter(workspace=workspace), filters)
        .select_related(
            "requisition",
            "owner__user",
            "shortlist",
            "scorecard__application__candidate",
            "application__candidate",
        )
        .annotate(
            nudges_sent=Coalesce(
                Subquery(
                    sent.values("commitment").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            last_nudge_at=Subquery(
                sent.filter(message__isnull=False)
                .order_by("-message__created_at")
                .values("message__created_at")[:1]
            ),
            candidate_count=Coalesce(
                Subquery(
                    items.values("shortlist").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
    )
    if filters.owner_id is not None:
        queryset = queryset.filter(owner=filters.owner_id)
    overdue = list(queryset.filter(due_at__lt=now).order_by("-due_at", "pk")[:OWED_LIMIT])
    upcoming = (
        list(queryset.filter(due_at__gte=now).order_by("due_at", "pk")[: OWED_LIMIT - len(overdue)])
        if len(overdue) < OWED_LIMIT
        else []
    )
    return [
        Owed(
            commitment=commitment,
            state=_state(commitment, now),
            age=duration_label(now - commitment.started_at),
            overdue_by=duration_label(now - commitment.due_at),
            due_in=duration_label(commitment.due_at - now),
            nudges_sent=getattr(commitment, "nudges_sent", 0),
            last_nudge_at=getattr(commitment, "last_nudge_at", None),
        )
        for commitment in overdue + upcoming
    ]


def owed_counts(workspace: Workspace, filters: OwedFilters, now: datetime) -> tuple[int, int]:
    """How many actions are pending, and how many of those are overdue, in one query (for a
    dashboard link: "7 pending, 2 overdue")."""
    queryset = _scoped(Commitment.objects.pending().filter(workspace=workspace), filters)
    if filters.owner_id is not None:
        queryset = queryset.filter(owner=filters.owner_id)
    totals = queryset.aggregate(pending=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    return totals["pending"], totals["overdue"]


# --- responsiveness ------------------------------------------------------------------------------


@dataclass
class Figures:
    """How one person kept their commitments over a period."""

    count: int = 0  # settled commitments: done, or still pending past their due time
    on_time: int = 0
    turnarounds: list[float] = field(default_factory=list)  # seconds, done ones only

    @property
    def median(self) -> timedelta | None:
        return timedelta(seconds=median(self.turnarounds)) if self.turnarounds else None

    @property
    def median_label(self) -> str:
        value = self.median
        return duration_label(value) if value is not None else "—"

    @property
    def on_time_share(self) -> int | None:
        """Per cent on time, rounded; None when nothing was due."""
        return round(100 * self.on_time / self.count) if self.count else None

    def add(self, started_at: datetime, due_at: datetime, done_at: datetime | None) -> None:
        self.count += 1
        if done_at is not None:
            self.turnarounds.append((done_at - started_at).total_seconds())
            if done_at <= due_at:
                self.on_time += 1


@dataclass
class Month:
    label: str
    figures: Figures


@dataclass
class Responsiveness:
    member_id: int
    public_id: UUID
    name: str
    role: str  # its label
    recent: Figures
    months: list[Month]
    sparkline: str = ""  # SVG polyline points of the monthly medians, oldest first
    dots: list[tuple[float, float]] = field(default_factory=list)


def _month_starts(now: datetime, zone: tzinfo, count: int) -> list[datetime]:
    """The first instants of the last `count` calendar months in `zone`, oldest first."""
    local = now.astimezone(zone)
    year, month = local.year, local.month
    starts = []
    for _i in range(count):
        starts.append(datetime(year, month, 1, tzinfo=zone))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


SPARK_WIDTH, SPARK_HEIGHT = 90.0, 24.0


def _sparkline(row: Responsiveness) -> None:
    """Points of the monthly median turnarounds, scaled to the row's own slowest month."""
    medians = [m.figures.median for m in row.months]
    known = [v.total_seconds() for v in medians if v is not None]
    if not known:
        return
    top = max(known) or 1.0
    step = SPARK_WIDTH / max(1, len(medians) - 1)
    for i, value in enumerate(medians):
        if value is None:
            continue
        y = SPARK_HEIGHT - 2 - (SPARK_HEIGHT - 4) * value.total_seconds() / top
        row.dots.append((round(i * step, 1), round(y, 1)))
    row.sparkline = " ".join(f"{x},{y}" for x, y in row.dots)


def responsiveness(
    workspace: Workspace, filters: OwedFilters, now: datetime, zone: tzinfo
) -> list[Responsiveness]:
    """Each person's median turnaround and on-time share over the last 90 days, and month by
    month over the last six (months in the viewer's time zone).

    A commitment counts once it is settled: when it is done (turnaround and on time or not),
    or when its due time passes while it is still pending (late, no turnaround yet) — so
    someone who never answers doesn't look punctual. Cancelled ones don't count."""
    starts = _month_starts(now, zone, RESPONSIVENESS_MONTHS)
    recent_from = now - timedelta(days=RESPONSIVENESS_DAYS)
    since = min(starts[0], recent_from)
    queryset = _scoped(
        Commitment.objects.filter(workspace=workspace, cancelled_at__isnull=True), filters
    ).filter(
        Q(done_at__gte=since, done_at__lte=now)
        | Q(done_at__isnull=True, due_at__gte=since, due_at__lt=now)
    )
    if filters.owner_id is not None:
        queryset = queryset.filter(owner=filters.owner_id)
    rows = queryset.order_by().values_list(
        "owner_id",
        "owner__public_id",
        "owner__user__display_name",
        "owner__role",
        "started_at",
        "due_at",
        "done_at",
    )
    people: dict[int, Responsiveness] = {}
    labels = [date_format(start, "M Y") for start in starts]
    by_month: dict[int, list[Figures]] = defaultdict(
        lambda: [Figures() for _i in range(len(starts))]
    )
    roles = dict(Role.choices)
    for owner_id, public_id, name, role, started_at, due_at, done_at in rows:
        person = people.get(owner_id)
        if person is None:
            person = people[owner_id] = Responsiveness(
                member_id=owner_id,
                public_id=public_id,
                name=name,
                role=str(roles.get(role, role)),
                recent=Figures(),
                months=[],
            )
        settled = done_at or due_at
        if settled >= recent_from:
            person.recent.add(started_at, due_at, done_at)
        index = sum(1 for start in starts if start <= settled) - 1
        if index >= 0:
            by_month[owner_id][index].add(started_at, due_at, done_at)
    for owner_id, person in people.items():
        person.months = [
            Month(label=label, figures=figures)
            for label, figures in zip(labels, by_month[owner_id], strict=True)
        ]
        _sparkline(person)

    def order(person: Responsiveness) -> tuple[int, str]:
        share = person.recent.on_time_share
        return (101 if share is None else share, person.name.lower())

    # The least punctual first: the people a recruiter needs to talk to.
    return sorted(people.values(), key=order)


def month_labels(now: datetime, zone: tzinfo) -> list[str]:
    return [date_format(s, "M Y") for s in _month_starts(now, zone, RESPONSIVENESS_MONTHS)]


# --- candidates waiting for news -----------------------------------------------------------------


@dataclass
class Waiting:
    application: Application
    days: int


def waiting_for_news(
    workspace: Workspace, filters: OwedFilters, now: datetime
) -> tuple[list[Waiting], int]:
    """Live applications whose candidate has heard nothing (no stage change) for
    NEWS_SILENCE_DAYS days, longest wait first, and how many there are in all."""
    cutoff = now - timedelta(days=settings.NEWS_SILENCE_DAYS)
    queryset = _scoped(
        Application.objects.filter(
            workspace=workspace,
            stage_entered_at__lt=cutoff,
            candidate__erased_at__isnull=True,
        ).exclude(stage__category__in=NOT_WAITING),
        filters,
    )
    total = queryset.count()
    applications = list(
        queryset.select_related("candidate", "requisition", "stage")
        .only(
            "public_id",
            "stage_entered_at",
            "candidate__public_id",
            "candidate__name",
            "requisition__public_id",
            "requisition__title",
            "stage__name",
            "stage__category",
        )
        .order_by("stage_entered_at", "pk")[:WAITING_LIMIT]
    )
    return [Waiting(a, (now - a.stage_entered_at).days) for a in applications], total


# --- the message log and settings ----------------------------------------------------------------


def messages_for(workspace: Workspace, status: str = "") -> QuerySet[Message]:
    queryset = (
        Message.objects.filter(workspace=workspace)
        .select_related("recipient__user")
        .defer("text", "html", "links")
    )
    return queryset.filter(status=status) if status else queryset


def policy_read(workspace: Workspace) -> NudgePolicy:
    """The workspace's policy, or the defaults it would have (GET creates nothing)."""
    policy = NudgePolicy.objects.filter(workspace=workspace).select_related("contact__user").first()
    return policy or NudgePolicy(workspace=workspace)


def escalation_candidates(workspace: Workspace) -> QuerySet[Member]:
    """Who may be the escalation contact: the workspace's active members."""
    return (
        Member.objects.active()
        .filter(workspace=workspace)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )
