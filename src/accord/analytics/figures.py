"""The analytics figures of a workspace: time to fill against the plan, feedback turnaround,
pipeline conversion, offer acceptance and post-hire satisfaction, per manager, recruiter or team
and per month or quarter.

Eight queries whatever the workspace's size: slim value rows (or, for stage moves, one
aggregate) that are grouped in Python. Every figure keeps the ids of the records it counts, so
the page can link each number to exactly those records.

What each figure counts is stated once, in `DEFINITIONS`, and shown on the page and in the docs.
"""

import statistics
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Final, Literal, NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.nudges.models import Commitment
from accord.partnerships.models import Survey
from accord.pipeline.models import Category, StageMove
from accord.requisitions.models import Milestone, MilestoneKind, Requisition, Status
from accord.workspaces.models import Member, Workspace

Dimension = Literal["all", "manager", "recruiter", "team"]
Grain = Literal["month", "quarter"]
DIMENSIONS: Final = ("all", "manager", "recruiter", "team")
GRAINS: Final = ("month", "quarter")
FIGURES: Final = ("fill", "feedback", "submit", "interview", "offer", "survey")
TOTAL: Final = "all"  # the period key of a group's row over the whole range

# Reaching a later stage means the earlier one was passed (a candidate moved straight from
# review to an offer did get past the interview).
SUBMITTED: Final = frozenset({Category.SUBMITTED, Category.REVIEW})
INTERVIEW_OR_LATER: Final = frozenset({Category.INTERVIEW, Category.OFFER, Category.HIRED})
OFFER_OR_LATER: Final = frozenset({Category.OFFER, Category.HIRED})
ENDED: Final = frozenset({Category.REJECTED, Category.WITHDRAWN})
COUNTED: Final = SUBMITTED | INTERVIEW_OR_LATER  # an ended application is read from its stage

DEFINITIONS: Final = {
    "fill": gettext_lazy(
        "Time to fill: requisitions marked filled in the period, counted in the month they were "
        "filled. Days to fill run from opening to filled, time on hold excluded. The plan is the "
        "offer milestone's due date counted from the day the search opened (the plan estimates "
        "time to an accepted offer); a search is on plan when it filled within those days. "
        "Searches without an offer milestone count in days to fill but not in the plan figures."
    ),
    "feedback": gettext_lazy(
        "Feedback: commitments (shortlist reviews, scorecards, decisions) done in the period. "
        "Per hiring manager, each counts for the manager who owed it, if they manage the "
        "requisition (interviewers' scorecards count for no manager); for everyone, a "
        "recruiter or a team, whoever owed it on the requisition. Turnaround is the median "
        "time from the request to the answer; on time means answered by the agreed due time. "
        "Cancelled and still open commitments are not counted."
    ),
    "submit": gettext_lazy(
        "Submitted → interview: candidates first submitted to the manager (submitted or manager "
        "review stage) in the period, and how many of them have since ever reached an interview "
        "(or went further, to an offer or hire). A candidate moved into an interview stage "
        "counts even if moved back later."
    ),
    "interview": gettext_lazy(
        "Interview → offer: candidates who first reached an interview in the period, and how "
        "many of them have since ever had an offer (or were hired). A candidate moved into an "
        "offer stage counts even if moved back later."
    ),
    "offer": gettext_lazy(
        "Offer acceptance: candidates who first reached the offer stage in the period, by where "
        "they are now. Accepted means now in a hired stage (one moved out of Hired again no "
        "longer counts); declined means now withdrawn or rejected; the rest are still open. The "
        "share is accepted out of the decided offers."
    ),
    "survey": gettext_lazy(
        "Satisfaction: post-hire surveys answered in the period, with the mean of the manager's "
        "ratings (1–5) of the process and of the new hire. Unrated questions are left out. Per "
        "hiring manager, each survey counts for the manager who answered it, not for the "
        "requisition's other managers."
    ),
}

ATTRIBUTION: Final = gettext_lazy(
    "Every figure belongs to a requisition, and counts for its recruiter and its team. Per "
    "hiring manager, a requisition's figures count for each of its managers, except feedback "
    "and surveys, which count only for the manager who owed or answered them. Periods and "
    "dates are in the workspace's time zone."
)


# --- filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    start: date  # first day counted
    end: date  # last day counted, inclusive
    by: Dimension = "all"
    grain: Grain = "month"


def default_filters(today: date) -> Filters:
    """The last twelve months, this one included, by month."""
    if today.month == 12:
        start = date(today.year, 1, 1)
    else:
        start = date(today.year - 1, today.month + 1, 1)
    return Filters(start=start, end=today)


def period_key(day: date, grain: Grain) -> str:
    if grain == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def _first_day(key: str) -> date:
    year, _sep, part = key.partition("-")
    if part.startswith("Q"):
        return date(int(year), 3 * (int(part[1:]) - 1) + 1, 1)
    return date(int(year), int(part), 1)


def periods_between(start: date, end: date, grain: Grain) -> list[str]:
    """Every period key from the one of `start` to the one of `end`, in order."""
    keys: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        key = period_key(date(year, month, 1), grain)
        if key not in keys:
            keys.append(key)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return keys


# --- what is counted ----------------------------------------------------------------------------


# What is counted: one small immutable record per requisition, commitment, application or
# survey (named tuples: tens of thousands are made per page, and they are the cheapest to make).


class Fill(NamedTuple):
    requisition: int
    days: int
    planned: int | None

    @property
    def on_plan(self) -> bool | None:
        return None if self.planned is None else self.days <= self.planned


class Feedback(NamedTuple):
    commitment: int
    requisition: int
    days: float
    on_time: bool


class Step(NamedTuple):
    application: int
    requisition: int
    advanced: bool


OfferOutcome = Literal["accepted", "declined", "open"]


class Offer(NamedTuple):
    application: int
    requisition: int
    outcome: OfferOutcome


class Rating(NamedTuple):
    survey: int
    requisition: int
    process: int | None
    hire: int | None


def _median(values: list[float] | list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Cell:
    """The figures of one group in one period (or over the whole range)."""

    fills: list[Fill] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    submitted: list[Step] = field(default_factory=list)
    interviewed: list[Step] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.fills
            or self.feedback
            or self.submitted
            or self.interviewed
            or self.offers
            or self.ratings
        )

    # Time to fill
    @property
    def filled(self) -> int:
        return len(self.fills)

    @property
    def median_days_to_fill(self) -> float | None:
        return _median([f.days for f in self.fills])

    @property
    def with_plan(self) -> int:
        return sum(1 for f in self.fills if f.planned is not None)

    @property
    def median_planned_days(self) -> float | None:
        return _median([f.planned for f in self.fills if f.planned is not None])

    @property
    def on_plan(self) -> int:
        return sum(1 for f in self.fills if f.on_plan)

    @property
    def on_plan_share(self) -> float | None:
        return _share(self.on_plan, self.with_plan)

    # Feedback
    @property
    def feedback_done(self) -> int:
        return len(self.feedback)

    @property
    def median_turnaround_days(self) -> float | None:
        return _median([f.days for f in self.feedback])

    @property
    def on_time(self) -> int:
        return sum(1 for f in self.feedback if f.on_time)

    @property
    def on_time_share(self) -> float | None:
        return _share(self.on_time, len(self.feedback))

    # Conversion
    @property
    def reached_interview(self) -> int:
        return sum(1 for s in self.submitted if s.advanced)

    @property
    def submit_to_interview(self) -> float | None:
        return _share(self.reached_interview, len(self.submitted))

    @property
    def reached_offer(self) -> int:
        return sum(1 for s in self.interviewed if s.advanced)

    @property
    def interview_to_offer(self) -> float | None:
        return _share(self.reached_offer, len(self.interviewed))

    # Offers
    @property
    def accepted(self) -> int:
        return sum(1 for o in self.offers if o.outcome == "accepted")

    @property
    def declined(self) -> int:
        return sum(1 for o in self.offers if o.outcome == "declined")

    @property
    def offers_open(self) -> int:
        return sum(1 for o in self.offers if o.outcome == "open")

    @property
    def acceptance(self) -> float | None:
        return _share(self.accepted, self.accepted + self.declined)

    # Satisfaction
    @property
    def surveys(self) -> int:
        return len(self.ratings)

    @property
    def mean_process_rating(self) -> float | None:
        return _mean([r.process for r in self.ratings if r.process is not None])

    @property
    def mean_hire_rating(self) -> float | None:
        return _mean([r.hire for r in self.ratings if r.hire is not None])

    def add(self, kind: str, item: object) -> None:
        getattr(self, _LISTS[kind]).append(item)

    def ids(self, figure: str) -> list[int]:
        """The ids of the records behind `figure`: requisitions for "fill", commitments for
        "feedback", applications for "submit", "interview" and "offer", surveys for "survey"."""
        items = getattr(self, _LISTS[figure])
        attr = {
            "fill": "requisition",
            "feedback": "commitment",
            "submit": "application",
            "interview": "application",
            "offer": "application",
            "survey": "survey",
        }[figure]
        return [getattr(item, attr) for item in items]


_LISTS: Final = {
    "fill": "fills",
    "feedback": "feedback",
    "submit": "submitted",
    "interview": "interviewed",
    "offer": "offers",
    "survey": "ratings",
}


@dataclass(frozen=True)
class Group:
    key: str  # in URLs: a member's public id, a team's name, or "all"
    label: str


@dataclass
class Row:
    group: Group
    period: str  # a period key, or TOTAL
    cell: Cell

    @property
    def is_total(self) -> bool:
        return self.period == TOTAL


@dataclass
class Analytics:
    filters: Filters
    groups: list[Group]
    periods: list[str]
    cells: dict[tuple[str, str], Cell]

    def cell(self, group: str, period: str) -> Cell:
        return self.cells.get((group, period)) or Cell()

    def group(self, key: str | None) -> Group | None:
        return next((g for g in self.groups if g.key == key), None)

    def rows(self, group: str | None = None) -> Iterator[Row]:
        """Per group (or the one group keyed `group`): its periods with something counted, then
        its total."""
        for one in self.groups:
            if group is not None and one.key != group:
                continue
            for period in self.periods:
                cell = self.cells.get((one.key, period))
                if cell is not None and not cell.is_empty:
                    yield Row(one, period, cell)
            yield Row(one, TOTAL, self.cell(one.key, TOTAL))

    def totals(self) -> list[Row]:
        return [Row(g, TOTAL, self.cell(g.key, TOTAL)) for g in self.groups]

    def per_period(self, group: str) -> list[Row]:
        return [
            Row(g, p, self.cell(g.key, p))
            for g in self.groups
            if g.key == group
            for p in self.periods
        ]

    @property
    def is_empty(self) -> bool:
        return all(cell.is_empty for cell in self.cells.values())


# --- computing ----------------------------------------------------------------------------------


def _bounds(filters: Filters, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The range's first moment and the moment after it, in UTC like the database's datetimes
    (comparing datetimes of one tzinfo skips working out offsets)."""
    start = datetime.combine(filters.start, time.min, tzinfo=zone)
    end = datetime.combine(filters.end + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def analytics_for(workspace: Workspace, filters: Filters) -> Analytics:
    """All figures of the workspace under `filters`, in eight queries."""
    zone = workspace.zone
    start, end = _bounds(filters, zone)

    def local_day(moment: datetime) -> date:
        return moment.astimezone(zone).date()

    # Each period's first moment, so a moment's period is a binary search (tens of thousands of
    # moments: converting each to local time would cost more than the queries).
    periods = periods_between(filters.start, filters.end, filters.grain)
    # In UTC, the zone the database's datetimes come in: comparing datetimes of one tzinfo
    # skips working out offsets, three times faster.
    starts = [
        datetime.combine(_first_day(key), time.min, tzinfo=zone).astimezone(UTC) for key in periods
    ]

    def period_of(moment: datetime) -> str:
        return periods[max(0, bisect_right(starts, moment) - 1)]

    # 1–3: who each requisition's figures count for.
    requisitions = {
        pk: (team, recruiter_id)
        for pk, team, recruiter_id in Requisition.objects.filter(workspace=workspace).values_list(
            "pk", "team", "recruiter_id"
        )
    }
    managers: dict[int, list[int]] = defaultdict(list)
    for requisition_id, member_id in Requisition.hiring_managers.through.objects.filter(
        requisition__workspace=workspace
    ).values_list("requisition_id", "member_id"):
        managers[requisition_id].append(member_id)
    members = {
        pk: (str(public_id), name or email)
        for pk, public_id, name, email in Member.objects.filter(workspace=workspace).values_list(
            "pk", "public_id", "user__display_name", "user__email"
        )
    }

    @cache
    def group_keys(requisition_id: int) -> list[str]:
        if filters.by == "all":
            return [TOTAL]
        team, recruiter_id = requisitions[requisition_id]
        if filters.by == "team":
            return [team.strip()]
        if filters.by == "recruiter":
            return [members[recruiter_id][0]]
        return [members[m][0] for m in managers.get(requisition_id, [])]

    # Per group and period (the totals are added up at the end, from the periods).
    cells: dict[tuple[str, str], Cell] = defaultdict(Cell)

    def count(
        kind: str,
        requisition_id: int,
        moment: datetime,
        item: object,
        groups: list[str] | None = None,
    ) -> None:
        """Count `item` for its requisition's groups, or for `groups` when given."""
        period = period_of(moment)
        for group in group_keys(requisition_id) if groups is None else groups:
            cells[(group, period)].add(kind, item)

    # 4–5: filled requisitions and their plans.
    filled = list(
        Requisition.objects.filter(
            workspace=workspace,
            status=Status.FILLED,
            closed_at__gte=start,
            closed_at__lt=end,
            days_to_fill__isnull=False,
        ).values_list("pk", "opened_at", "closed_at", "days_to_fill")
    )
    offer_due = dict(
        Milestone.objects.filter(
            requisition__workspace=workspace,
            requisition__status=Status.FILLED,
            requisition__closed_at__gte=start,
            requisition__closed_at__lt=end,
            kind=MilestoneKind.OFFER,
        ).values_list("requisition_id", "due_on")
    )
    for pk, opened_at, closed_at, days in filled:
        if closed_at is None or days is None:  # excluded by the query; for the type checker
            continue
        due = offer_due.get(pk)
        planned = None
        if due is not None and opened_at is not None:
            planned = max(0, (due - local_day(opened_at)).days)
        count("fill", pk, closed_at, Fill(pk, days, planned))

    def owed_by(owner_id: int, requisition_id: int) -> list[str] | None:
        """Per manager, a commitment counts for the manager who owed it, if they manage the
        requisition (an interviewer's scorecard counts for no manager); otherwise (everyone,
        recruiter, team) for the requisition's groups."""
        if filters.by != "manager":
            return None
        if owner_id in managers.get(requisition_id, ()):
            return [members[owner_id][0]]
        return []

    # 6: commitments answered.
    for pk, requisition_id, owner_id, started_at, due_at, done_at in Commitment.objects.filter(
        workspace=workspace, done_at__gte=start, done_at__lt=end, cancelled_at__isnull=True
    ).values_list("pk", "requisition_id", "owner_id", "started_at", "due_at", "done_at"):
        if done_at is None:
            continue
        turnaround = max(0.0, (done_at - started_at).total_seconds() / 86400)
        count(
            "feedback",
            requisition_id,
            done_at,
            Feedback(pk, requisition_id, turnaround, done_at <= due_at),
            owed_by(owner_id, requisition_id),
        )

    # 7: per application that moved in the range, when it first reached each step and whether
    # it ever went further: one aggregate over its moves.
    moved = StageMove.objects.filter(
        application__workspace=workspace,
        at__gte=start,
        at__lt=end,
        to_stage__category__in=SUBMITTED | {Category.INTERVIEW, Category.OFFER},
    ).values("application_id")

    def into(categories: Iterable[str]) -> Q:
        return Q(to_stage__category__in=list(categories))

    steps = (
        StageMove.objects.filter(application_id__in=moved, to_stage__category__in=COUNTED)
        .values("application_id")
        .annotate(
            requisition=Min("application__requisition_id"),
            current=Min("application__stage__category"),
            submitted=Min("at", filter=into(SUBMITTED)),
            interview=Min("at", filter=into([Category.INTERVIEW])),
            offer=Min("at", filter=into([Category.OFFER])),
            interviewed=Count("pk", filter=into(INTERVIEW_OR_LATER)),
            offered=Count("pk", filter=into(OFFER_OR_LATER)),
        )
        .order_by()
        .values_list(
            "application_id",
            "requisition",
            "current",
            "submitted",
            "interview",
            "offer",
            "interviewed",
            "offered",
        )
    )
    for application, requisition_id, current, submitted, interview, offer, *reached in steps:
        interviewed, offered = reached
        if submitted is not None and start <= submitted < end:
            step = Step(application, requisition_id, interviewed > 0)
            count("submit", requisition_id, submitted, step)
        if interview is not None and start <= interview < end:
            count(
                "interview",
                requisition_id,
                interview,
                Step(application, requisition_id, offered > 0),
            )
        if offer is not None and start <= offer < end:
            # Read from where the candidate is now: one moved out of Hired (the hire
            # cancelled) is no longer an accepted offer.
            outcome: OfferOutcome = "open"
            if current == Category.HIRED:
                outcome = "accepted"
            elif current in ENDED:
                outcome = "declined"
            count("offer", requisition_id, offer, Offer(application, requisition_id, outcome))

    # 8: surveys answered; per manager, each counts for the manager who answered it.
    for pk, requisition_id, manager_id, answered_at, process, hire in Survey.objects.filter(
        workspace=workspace,
        answered_at__gte=start,
        answered_at__lt=end,
        cancelled_at__isnull=True,
    ).values_list(
        "pk", "hire__requisition_id", "manager_id", "answered_at", "process_rating", "hire_rating"
    ):
        if answered_at is None:
            continue
        answered_by = None
        if filters.by == "manager":
            answered_by = [members[manager_id][0]] if manager_id in members else []
        rating = Rating(pk, requisition_id, process, hire)
        count("survey", requisition_id, answered_at, rating, answered_by)

    for (group, _period), cell in list(cells.items()):
        total = cells[(group, TOTAL)]
        for attr in _LISTS.values():
            getattr(total, attr).extend(getattr(cell, attr))
    groups = _groups(filters.by, {key for key, _period in cells}, members)
    return Analytics(
        filters=filters,
        groups=groups,
        periods=periods,
        cells=dict(cells),
    )


def _groups(
    by: Dimension,
    keys: set[str],
    members: dict[int, tuple[str, str]],
) -> list[Group]:
    if by == "all":
        return [Group(TOTAL, _("Everyone"))]
    if by == "team":
        return sorted(
            (Group(team, team or _("No team")) for team in keys),
            key=lambda g: (g.key == "", g.label.casefold()),
        )
    names = dict(members.values())
    return sorted(
        (Group(key, names.get(key, "?")) for key in keys), key=lambda g: g.label.casefold()
    )


__all__ = [
    "ATTRIBUTION",
    "DEFINITIONS",
    "DIMENSIONS",
    "FIGURES",
    "GRAINS",
    "TOTAL",
    "Analytics",
    "Cell",
    "Filters",
    "Group",
    "Row",
    "analytics_for",
    "default_filters",
    "period_key",
    "periods_between",
]
