"""The figures of a status report, computed for many requisitions at once and as of any moment.

Everything is read from what happened (stage moves, reviews, commitments, milestones) up to `now`,
so a report for last Monday shows last Monday, and the figures of 500 requisitions take the same
dozen queries as those of one. The result is plain JSON: it is stored unchanged in every report
sent, and the page, the email, the PDF and `accord report --format json` all render it.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.briefs.models import BriefVersion
from accord.nudges.models import Commitment, CommitmentKind
from accord.pipeline.models import (
    CLOSED_CATEGORIES,
    Application,
    Category,
    Reason,
    Stage,
    StageMove,
)
from accord.requisitions.models import Milestone, MilestoneKind, Requisition
from accord.reviews.models import Decision, Judgement, ReasonChip, Review, ReviewJudgement

SCHEMA = 1
TREND_WEEKS = 8
# Feedback is judged over this long for the "slow feedback" risk.
FEEDBACK_WINDOW = timedelta(days=28)
# A milestone due this soon whose groundwork isn't there yet puts the plan at risk.
AT_RISK_WITHIN = timedelta(days=7)
# Thin pipeline: after the first week, fewer live candidates per opening than this.
HEALTHY_PER_OPENING = 5
THIN_PER_OPENING = 2
OWED_SOON = timedelta(hours=24)

ACTIVITY = ("sourced", "screened", "submitted", "reviewed", "interviewed", "offers", "hires")
# Forward categories a move can be counted by in the period's activity.
MOVE_ACTIVITY = {
    Category.SUBMITTED: "submitted",
    Category.INTERVIEW: "interviewed",
    Category.OFFER: "offers",
    Category.HIRED: "hires",
}
LIVE = (Category.SCREEN, Category.SUBMITTED, Category.REVIEW, Category.INTERVIEW, Category.OFFER)


def activity_label(key: str) -> str:
    return {
        "sourced": _("Sourced"),
        "screened": _("Screened"),
        "submitted": _("Submitted to the manager"),
        "reviewed": _("Reviewed by the manager"),
        "interviewed": _("Interviewed"),
        "offers": _("Offers made"),
        "hires": _("Hires"),
    }[key]


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _days(span: timedelta) -> float:
    return round(span.total_seconds() / 86400, 1)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None


def _day(value: date) -> str:
    return date_format(value, "j M")


# --- loading -----------------------------------------------------------------------------------


@dataclass
class _Move:
    application: int
    from_stage: int | None
    to_stage: int
    at: datetime
    reason: str
    note: str


@dataclass
class _App:
    id: int
    requisition: int
    name: str
    created_at: datetime
    must_met: int | None
    must_total: int | None
    moves: list[_Move] = field(default_factory=list)

    def stage_at(self) -> tuple[int | None, datetime | None]:
        """The stage the application was in at `now`, and since when (moves are up to now)."""
        if not self.moves:
            return None, None
        last = self.moves[-1]
        return last.to_stage, last.at


@dataclass
class _Loaded:
    stages: dict[int, Stage]
    stages_of: dict[int, list[Stage]]
    apps: dict[int, list[_App]]
    reviews: dict[int, list[Review]]
    misses: dict[int, list[str]]  # review id → criteria judged not met
    commitments: dict[int, list[Commitment]]
    milestones: dict[int, list[Milestone]]
    briefs: dict[int, BriefVersion]


def _load(requisitions: list[Requisition], now: datetime, public: bool) -> _Loaded:
    ids = [r.pk for r in requisitions]
    stages = {s.pk: s for s in Stage.objects.filter(requisition__in=ids).order_by("position", "pk")}
    stages_of: dict[int, list[Stage]] = defaultdict(list)
    for stage in stages.values():
        stages_of[stage.requisition_id].append(stage)

    apps: dict[int, _App] = {}
    first_stage: dict[int, int] = {}
    for row in (
        Application.objects.filter(requisition__in=ids, created_at__lte=now)
        .order_by("pk")  # ties among reasons and figures come out the same every time
        .values_list(
            "pk",
            "requisition_id",
            "candidate__name",
            "created_at",
            "must_met",
            "must_total",
            "stage_id",
        )
    ):
        apps[row[0]] = _App(*row[:6])
        first_stage[row[0]] = row[6]
    for move_row in (
        StageMove.objects.filter(application__requisition__in=ids, at__lte=now)
        .order_by("application_id", "at", "pk")
        .values_list("application_id", "from_stage_id", "to_stage_id", "at", "reason", "note")
    ):
        app = apps.get(move_row[0])
        if app is not None:
            app.moves.append(_Move(*move_row))
    if public:
        # For a share link: nobody outside the workspace reads candidates' names or the notes
        # written about them.
        for number, app in enumerate(sorted(apps.values(), key=lambda a: a.id), start=1):
            app.name = _("Candidate %(n)d") % {"n": number}
            for move in app.moves:
                move.note = ""
    apps_of: dict[int, list[_App]] = defaultdict(list)
    for app in apps.values():
        if not app.moves:
            # Made without a recorded move (imported before moves were kept): in its stage
            # since it was created.
            app.moves.append(_Move(app.id, None, first_stage[app.id], app.created_at, "", ""))
        apps_of[app.requisition].append(app)

    reviews: dict[int, list[Review]] = defaultdict(list)
    review_rows = list(
        Review.objects.filter(application__requisition__in=ids, decided_at__lte=now)
        .select_related("application")
        .only(
            "pk",
            "decision",
            "chips",
            "note",
            "outside_brief",
            "decided_at",
            "application__requisition",
        )
        .order_by("decided_at", "pk")
    )
    for review in review_rows:
        if public:
            review.note = ""
        reviews[review.application.requisition_id].append(review)
    misses: dict[int, list[str]] = defaultdict(list)
    for review_id, name in (
        ReviewJudgement.objects.filter(
            review__in=[r.pk for r in review_rows if r.decision == Decision.REJECT],
            judgement=Judgement.DOESNT,
        )
        .order_by("criterion__position", "criterion_id")
        .values_list("review_id", "criterion__name")
    ):
        misses[review_id].append(name)

    commitments: dict[int, list[Commitment]] = defaultdict(list)
    trend_from = now - timedelta(weeks=TREND_WEEKS)
    for commitment in (
        Commitment.objects.filter(requisition__in=ids, started_at__lte=now)
        .filter(
            Q(done_at__isnull=True, cancelled_at__isnull=True)
            | Q(done_at__gt=trend_from)
            | Q(cancelled_at__gt=now)
        )
        .select_related(
            "owner__user", "application__candidate", "scorecard__application__candidate"
        )
        .annotate(candidates=Count("shortlist__items"))
        .order_by("due_at", "pk")
    ):
        commitments[commitment.requisition_id].append(commitment)

    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in Milestone.objects.filter(requisition__in=ids).order_by("due_on", "pk"):
        milestones[milestone.requisition_id].append(milestone)

    briefs: dict[int, BriefVersion] = {}
    for version in (
        BriefVersion.objects.filter(requisition__in=ids, signed_at__lte=now)
        .only("pk", "requisition_id", "number", "review_days", "decision_days", "target_start")
        .order_by("requisition_id", "-number")
    ):
        briefs.setdefault(version.requisition_id, version)
    return _Loaded(stages, stages_of, apps_of, reviews, misses, commitments, milestones, briefs)


# --- one requisition ---------------------------------------------------------------------------


def figures_for(
    requisitions: list[Requisition],
    now: datetime,
    period: timedelta = timedelta(days=7),
    *,
    public: bool = False,
) -> dict[int, dict[str, Any]]:
    """The figures of each requisition's report as of `now`, by requisition pk; `public`
    leaves out candidates' names and the notes about them (for share links).

    Callers prefetch `recruiter__user` and `hiring_managers__user` (see `selectors`)."""
    loaded = _load(requisitions, now, public)
    return {r.pk: _Figures(r, loaded, now, period, public).data() for r in requisitions}


class _Figures:
    def __init__(
        self,
        requisition: Requisition,
        loaded: _Loaded,
        now: datetime,
        period: timedelta,
        public: bool = False,
    ) -> None:
        self.requisition = requisition
        self.public = public
        self.now = now
        # Dates (milestones, weeks) are the workspace's, whoever looks and wherever the
        # worker runs, so a report reads the same for everyone and from one send to the next.
        self.zone = requisition.workspace.zone
        self.today = now.astimezone(self.zone).date()
        self.period = period
        self.stages = loaded.stages
        self.forward = [s for s in loaded.stages_of[requisition.pk] if not s.is_closed]
        self.apps = loaded.apps[requisition.pk]
        self.reviews = loaded.reviews[requisition.pk]
        self.misses = loaded.misses
        self.commitments = loaded.commitments[requisition.pk]
        self.milestones = loaded.milestones[requisition.pk]
        self.brief = loaded.briefs.get(requisition.pk)
        self.current = {app.id: app.stage_at() for app in self.apps}

    def category(self, stage_id: int | None) -> str:
        stage = self.stages.get(stage_id) if stage_id is not None else None
        return stage.category if stage is not None else ""

    def data(self) -> dict[str, Any]:
        funnel = self.funnel()
        owed = self.owed()
        data: dict[str, Any] = {
            "v": SCHEMA,
            "as_of": _iso(self.now),
            "time_zone": str(self.zone),
            "period": {
                "start": _iso(self.now - self.period),
                "end": _iso(self.now),
                "days": self.period.days,
            },
            "requisition": self.about(),
            "funnel": funnel,
            "totals": self.totals(),
            "activity": self.activity(),
            "owed": owed,
            "timeline": self.timeline(),
            "time_in_stage": self.time_in_stage(),
            "turnaround": self.turnaround(),
            "market": self.market(),
        }
        data["risks"] = self.risks(data)
        data["suggested_steps"] = self.suggested_steps(data)
        return data

    # -- about --

    def about(self) -> dict[str, Any]:
        r = self.requisition
        pay = ""
        if r.compensation_min or r.compensation_max:
            low = f"{r.compensation_min:,}" if r.compensation_min else ""
            high = f"{r.compensation_max:,}" if r.compensation_max else ""
            pay = f"{low}–{high} {r.currency}".strip("– ").strip()
        return {
            "id": str(r.public_id),
            "title": r.title,
            "team": r.team,
            "location": r.location,
            "status": r.status,
            "status_label": str(r.get_status_display()),
            "openings": r.openings,
            "recruiter": r.recruiter.user.display_name,
            "managers": [m.user.display_name for m in r.hiring_managers.all()],
            "days_open": r.days_open(self.now),
            "pay": pay,
            "brief_version": self.brief.number if self.brief else None,
        }

    # -- the funnel --

    def funnel(self) -> list[dict[str, Any]]:
        """How many candidates ever reached each stage (furthest stage by position), how many are
        there now, and the share of those reaching a stage who went on to the next."""
        position = {s.pk: i for i, s in enumerate(self.forward)}
        reached = [0] * len(self.forward)
        in_now: Counter[int] = Counter()
        for app in self.apps:
            furthest = max(
                (position[m.to_stage] for m in app.moves if m.to_stage in position), default=-1
            )
            for i in range(furthest + 1):
                reached[i] += 1
            stage_id, _since = self.current[app.id]
            if stage_id is not None:
                in_now[stage_id] += 1
        rows = []
        for i, stage in enumerate(self.forward):
            following = reached[i + 1] if i + 1 < len(self.forward) else None
            rows.append(
                {
                    "stage": str(stage.public_id),
                    "label": stage.name,
                    "category": stage.category,
                    "reached": reached[i],
                    "now": in_now[stage.pk],
                    "conversion": (
                        _share(following, reached[i]) if following is not None else None
                    ),
                }
            )
        return rows

    def totals(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for app in self.apps:
            category = self.category(self.current[app.id][0])
            if category in CLOSED_CATEGORIES:
                counts[category] += 1
            elif category == Category.HIRED:
                counts["hired"] += 1
            elif category:
                counts["active"] += 1
        return {
            "candidates": len(self.apps),
            "active": counts["active"],
            "hired": counts["hired"],
            "rejected": counts[Category.REJECTED],
            "withdrawn": counts[Category.WITHDRAWN],
        }

    # -- this period against the last --

    def activity(self) -> list[dict[str, Any]]:
        start = self.now - self.period
        before = start - self.period
        counts: dict[str, list[int]] = {key: [0, 0] for key in ACTIVITY}

        def bump(key: str, at: datetime) -> None:
            if at > start:
                counts[key][0] += 1
            elif at > before:
                counts[key][1] += 1

        for app in self.apps:
            bump("sourced", app.created_at)
            for move in app.moves:
                if move.from_stage is None:
                    continue
                if self.category(move.from_stage) == Category.SCREEN:
                    bump("screened", move.at)
                key = MOVE_ACTIVITY.get(self.category(move.to_stage))  # type: ignore[call-overload]
                if key and self.category(move.from_stage) != self.category(move.to_stage):
                    bump(key, move.at)
        for review in self.reviews:
            bump("reviewed", review.decided_at)
        return [
            {"key": key, "label": activity_label(key), "now": now, "before": previous}
            for key, (now, previous) in counts.items()
        ]

    # -- who owes what --

    def owed(self) -> list[dict[str, Any]]:
        rows = []
        for commitment in self.commitments:
            pending = (commitment.done_at is None or commitment.done_at > self.now) and (
                commitment.cancelled_at is None or commitment.cancelled_at > self.now
            )
            if not pending:
                continue
            age = self.now - commitment.started_at
            agreed = commitment.due_at - commitment.started_at
            if commitment.due_at < self.now:
                state = "overdue"
            elif commitment.due_at - self.now <= OWED_SOON:
                state = "due_soon"
            else:
                state = "on_track"
            rows.append(
                {
                    "kind": commitment.kind,
                    "what": self._what(commitment, self.public),
                    "owner": commitment.owner.user.display_name,
                    "owner_id": str(commitment.owner.public_id),
                    "started_at": _iso(commitment.started_at),
                    "due_at": _iso(commitment.due_at),
                    "age_days": _days(age),
                    "agreed_days": _days(agreed),
                    "basis": commitment.basis,
                    "state": state,
                    "overdue_days": _days(self.now - commitment.due_at)
                    if state == "overdue"
                    else 0,
                }
            )
        rows.sort(key=lambda row: (row["state"] != "overdue", row["due_at"]))
        return rows

    @staticmethod
    def _what(commitment: Commitment, public: bool) -> str:
        if commitment.kind == CommitmentKind.REVIEW:
            n = getattr(commitment, "candidates", 0)
            return ngettext(
                "Review a shortlist of %(n)d candidate", "Review a shortlist of %(n)d candidates", n
            ) % {"n": n}
        application = (
            commitment.scorecard.application
            if commitment.scorecard is not None
            else commitment.application
        )
        name = (
            application.candidate.name
            if application is not None and not public
            else _("a candidate")
        )
        if commitment.kind == CommitmentKind.SCORECARD:
            return _("Scorecard for %(name)s") % {"name": name}
        return _("Decision on %(name)s") % {"name": name}

    # -- the plan --

    def timeline(self) -> dict[str, Any]:
        reached_categories = {self.category(m.to_stage) for app in self.apps for m in app.moves}
        rows: list[dict[str, Any]] = []
        late: list[dict[str, Any]] = []
        at_risk: list[tuple[Milestone, str]] = []
        for milestone in self.milestones:
            done_on = (
                milestone.done_on if milestone.done_on and milestone.done_on <= self.today else None
            )
            if done_on is not None:
                state = "done_late" if done_on > milestone.due_on else "done"
            elif milestone.due_on < self.today:
                state = "late"
            elif milestone.due_on - self.today <= AT_RISK_WITHIN:
                state = "due_soon"
            else:
                state = "upcoming"
            row = {
                "kind": milestone.kind,
                "label": str(milestone.get_kind_display()),
                "owner": str(milestone.get_owner_display()),
                "due_on": _iso(milestone.due_on),
                "done_on": _iso(done_on),
                "state": state,
            }
            rows.append(row)
            if state == "late":
                late.append(row)
            elif state == "due_soon":
                why = self._groundwork_missing(milestone, reached_categories)
                if why:
                    at_risk.append((milestone, why))
        if not rows:
            return {
                "state": "no_plan",
                "label": _("No plan"),
                "reason": _(
                    "No milestones yet: agree dates for the first shortlist, interviews "
                    "and offer on the requisition’s plan."
                ),
                "milestones": [],
            }
        if late:
            first = late[0]
            overdue = (self.today - date.fromisoformat(first["due_on"])).days
            reason = ngettext(
                "%(milestone)s was due %(due)s, %(n)d day ago, and isn’t done.",
                "%(milestone)s was due %(due)s, %(n)d days ago, and isn’t done.",
                overdue,
            ) % {
                "milestone": first["label"],
                "due": _day(date.fromisoformat(first["due_on"])),
                "n": overdue,
            }
            return {"state": "late", "label": _("Late"), "reason": reason, "milestones": rows}
        if at_risk:
            milestone, why = at_risk[0]
            reason = _("%(milestone)s is due %(due)s; %(why)s") % {
                "milestone": milestone.get_kind_display(),
                "due": _day(milestone.due_on),
                "why": why,
            }
            return {"state": "at_risk", "label": _("At risk"), "reason": reason, "milestones": rows}
        upcoming = next((row for row in rows if row["done_on"] is None), None)
        if upcoming is None:
            reason = _("Every milestone is done.")
        else:
            reason = _("Next: %(milestone)s, due %(due)s.") % {
                "milestone": upcoming["label"],
                "due": _day(date.fromisoformat(upcoming["due_on"])),
            }
        return {"state": "on_track", "label": _("On track"), "reason": reason, "milestones": rows}

    def _groundwork_missing(self, milestone: Milestone, reached: set[str]) -> str:
        """Why a milestone due soon looks unlikely to be met, or "" when it looks fine."""
        live = Counter(self.category(stage) for stage, _since in self.current.values())
        if milestone.kind == MilestoneKind.FIRST_SHORTLIST and not (
            reached & {Category.SUBMITTED, Category.REVIEW, Category.INTERVIEW}
        ):
            at_screen = live[Category.SCREEN]
            if at_screen < 3:
                return ngettext(
                    "only %(n)d candidate is at screen.",
                    "only %(n)d candidates are at screen.",
                    at_screen,
                ) % {"n": at_screen}
        if milestone.kind == MilestoneKind.FIRST_INTERVIEWS and Category.INTERVIEW not in reached:
            waiting = live[Category.SUBMITTED] + live[Category.REVIEW]
            if not waiting:
                return _("no candidate has been advanced by the manager yet.")
        if (
            milestone.kind == MilestoneKind.OFFER
            and Category.OFFER not in reached
            and not live[Category.INTERVIEW]
        ):
            return _("nobody is interviewing.")
        if milestone.kind == MilestoneKind.START_DATE and Category.HIRED not in reached:
            return _("no offer has been accepted yet.")
        return ""

    # -- time in stage and feedback turnaround (the charts) --

    def time_in_stage(self) -> list[dict[str, Any]]:
        spent: dict[int, list[float]] = defaultdict(list)
        waiting: dict[int, list[float]] = defaultdict(list)
        for app in self.apps:
            for move, following in zip(app.moves, app.moves[1:], strict=False):
                spent[move.to_stage].append((following.at - move.at).total_seconds() / 86400)
            stage_id, since = self.current[app.id]
            if stage_id is not None and since is not None:
                waiting[stage_id].append((self.now - since).total_seconds() / 86400)
        rows = []
        for stage in self.forward:
            if stage.category == Category.HIRED:
                continue
            rows.append(
                {
                    "label": stage.name,
                    "median_days": round(median(spent[stage.pk]), 1) if spent[stage.pk] else None,
                    "current_days": (
                        round(median(waiting[stage.pk]), 1) if waiting[stage.pk] else None
                    ),
                }
            )
        return rows

    def turnaround(self) -> dict[str, Any]:
        """Manager and interviewer answers (reviews, scorecards, decisions) week by week: median
        days from request to answer and the share on time."""
        monday = self.today - timedelta(days=self.today.weekday())
        weeks = [monday - timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
        by_week: dict[date, list[Commitment]] = defaultdict(list)
        recent: list[Commitment] = []
        for commitment in self.commitments:
            if commitment.done_at is None or commitment.done_at > self.now:
                continue
            done_day = commitment.done_at.astimezone(self.zone).date()
            by_week[done_day - timedelta(days=done_day.weekday())].append(commitment)
            if commitment.done_at > self.now - FEEDBACK_WINDOW:
                recent.append(commitment)
        rows = []
        for week in weeks:
            done = by_week.get(week, [])
            rows.append(
                {
                    "week": week.isoformat(),
                    "median_days": (
                        round(median(_days(c.done_at - c.started_at) for c in done), 1)  # type: ignore[operator]
                        if done
                        else None
                    ),
                    "on_time": _share(sum(1 for c in done if c.on_time), len(done)),
                    "count": len(done),
                }
            )
        return {
            "weeks": rows,
            "agreed_days": self.brief.review_days if self.brief else None,
            "recent": len(recent),
            "recent_on_time": sum(1 for c in recent if c.on_time),
            "recent_median_days": (
                round(median(_days(c.done_at - c.started_at) for c in recent), 1)  # type: ignore[operator]
                if recent
                else None
            ),
        }

    # -- market insight --

    def market(self) -> dict[str, Any]:
        matched = [a for a in self.apps if a.must_total]
        all_musts = sum(1 for a in matched if a.must_met == a.must_total)
        but_one = sum(1 for a in matched if a.must_total and a.must_met == a.must_total - 1)
        rejections: Counter[str] = Counter()
        chips = dict(ReasonChip.choices)
        compensation: list[str] = []
        for review in self.reviews:
            if review.decision != Decision.REJECT:
                continue
            for chip in review.chips:
                rejections[str(chips.get(chip, chip))] += 1
            for name in self.misses.get(review.pk, []):
                rejections[_("Misses “%(criterion)s”") % {"criterion": name}] += 1
            if ReasonChip.COMPENSATION in review.chips:
                compensation.append(review.note or _("The manager: compensation"))
        reasons = dict(Reason.choices)
        declines: Counter[str] = Counter()
        offer_declines = 0
        for app in self.apps:
            for previous, move in zip(app.moves, app.moves[1:], strict=False):
                to = self.category(move.to_stage)
                if to not in CLOSED_CATEGORIES or not move.reason:
                    continue
                label = str(reasons.get(move.reason, move.reason))
                if to == Category.WITHDRAWN:
                    declines[label] += 1
                    offer_declines += self.category(previous.to_stage) == Category.OFFER
                elif move.reason != Reason.MANAGER_DECLINED:
                    rejections[label] += 1
                if move.reason == Reason.COMPENSATION:
                    compensation.append(f"{app.name}: {move.note}" if move.note else app.name)
        # How many meet each number of must-haves, against the brief most of them were matched
        # with: "4 of 4: 0 · 3 of 4: 2 · …" shows how far the pool is from the brief.
        totals = Counter(a.must_total for a in matched)
        must_total = totals.most_common(1)[0][0] if totals else 0
        met = Counter(a.must_met for a in matched if a.must_total == must_total)
        return {
            "must_total": must_total,
            "distribution": [[n, met[n]] for n in range(must_total or 0, -1, -1)],
            "matched": len(matched),
            "all_musts": all_musts,
            "all_but_one": but_one,
            "rejection_reasons": rejections.most_common(5),
            "decline_reasons": declines.most_common(5),
            "offer_declines": offer_declines,
            "compensation": compensation[:5],
            "compensation_count": len(compensation),
        }

    # -- risks, each with its evidence --

    def risks(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        risks = [
            risk
            for risk in (
                self._thin_pipeline(data),
                self._slow_feedback(data),
                self._rejection_rate(),
                self._outside_brief(),
                self._offer_declines(),
                self._waiting(),
            )
            if risk
        ]
        risks.sort(key=lambda risk: risk["level"] != "high")
        return risks

    def _thin_pipeline(self, data: dict[str, Any]) -> dict[str, Any] | None:
        days = self.requisition.days_open(self.now)
        if days is None or days < 7 or self.requisition.is_closed:
            return None
        openings = self.requisition.openings
        live = Counter(self.category(stage) for stage, _since in self.current.values())
        active = sum(live[c] for c in LIVE)
        if active >= HEALTHY_PER_OPENING * openings:
            return None
        breakdown = ", ".join(
            f"{live[c]} {label.lower()}" for c, label in Category.choices if c in LIVE and live[c]
        )
        return {
            "code": "thin_pipeline",
            "level": "high" if active < THIN_PER_OPENING * openings else "medium",
            "title": _("Thin pipeline"),
            "evidence": ngettext(
                "%(n)d live candidate after %(days)d days for %(openings)d opening%(more)s.",
                "%(n)d live candidates after %(days)d days for %(openings)d opening%(more)s.",
                active,
            )
            % {
                "n": active,
                "days": days,
                "openings": openings,
                "more": "s" if openings > 1 else "",
            }
            + (f" ({breakdown})" if breakdown else ""),
            "action": _(
                "Aim for at least %(n)d per opening at this point: widen sourcing, or "
                "revisit the must-haves with the manager."
            )
            % {"n": HEALTHY_PER_OPENING},
        }

    def _slow_feedback(self, data: dict[str, Any]) -> dict[str, Any] | None:
        turnaround = data["turnaround"]
        overdue = [row for row in data["owed"] if row["state"] == "overdue"]
        late_share = (
            1 - turnaround["recent_on_time"] / turnaround["recent"] if turnaround["recent"] else 0
        )
        slow = turnaround["recent"] >= 3 and late_share > 0.3
        if not overdue and not slow:
            return None
        lines = []
        if turnaround["recent"]:
            lines.append(
                _("%(on_time)d of %(n)d answers on time in the last 4 weeks")
                % {
                    "on_time": turnaround["recent_on_time"],
                    "n": turnaround["recent"],
                }
                + (
                    _("; median %(median)s days against %(agreed)s agreed")
                    % {
                        "median": turnaround["recent_median_days"],
                        "agreed": turnaround["agreed_days"],
                    }
                    if turnaround["agreed_days"] and turnaround["recent_median_days"] is not None
                    else ""
                )
                + "."
            )
        for row in overdue[:3]:
            lines.append(
                _("%(owner)s: %(what)s, overdue by %(days)s days.")
                % {
                    "owner": row["owner"],
                    "what": row["what"],
                    "days": row["overdue_days"],
                }
            )
        return {
            "code": "slow_feedback",
            "level": "high" if len(overdue) > 1 or late_share > 0.5 else "medium",
            "title": _("Slow feedback"),
            "evidence": " ".join(lines),
            "action": _(
                "Candidates wait while decisions do: agree a time to go through the "
                "open shortlist together."
            ),
        }

    def _rejection_rate(self) -> dict[str, Any] | None:
        decided = len(self.reviews)
        rejected = sum(1 for r in self.reviews if r.decision == Decision.REJECT)
        if decided < 5 or rejected / decided < 0.6:
            return None
        return {
            "code": "high_rejection",
            "level": "high" if rejected / decided >= 0.8 else "medium",
            "title": _("Most shortlisted candidates are rejected"),
            "evidence": _(
                "%(rejected)d of %(decided)d candidates rejected at manager review (%(pct)d%%)."
            )
            % {
                "rejected": rejected,
                "decided": decided,
                "pct": round(100 * rejected / decided),
            },
            "action": _(
                "The screen and the manager disagree: go through the last rejections "
                "against the brief together."
            ),
        }

    def _outside_brief(self) -> dict[str, Any] | None:
        rejected = [r for r in self.reviews if r.decision == Decision.REJECT]
        outside = [r for r in rejected if r.outside_brief]
        if len(outside) < 3 or len(outside) / len(rejected) < 0.5:
            return None
        chips = dict(ReasonChip.choices)
        reasons = Counter(str(chips.get(c, c)) for r in outside for c in r.chips)
        named = ", ".join(f"{label} ×{n}" for label, n in reasons.most_common(3))
        return {
            "code": "outside_brief",
            "level": "high",
            "title": _("Rejections for reasons outside the brief"),
            "evidence": _(
                "%(outside)d of %(rejected)d rejections rest on reasons the brief doesn’t name"
            )
            % {"outside": len(outside), "rejected": len(rejected)}
            + (f": {named}." if named else "."),
            "action": _("Agree them as criteria in a new brief version, or screen for them."),
        }

    def _offer_declines(self) -> dict[str, Any] | None:
        reasons = dict(Reason.choices)
        declines = []
        for app in self.apps:
            for previous, move in zip(app.moves, app.moves[1:], strict=False):
                if (
                    self.category(previous.to_stage) == Category.OFFER
                    and self.category(move.to_stage) == Category.WITHDRAWN
                    and move.at > self.now - FEEDBACK_WINDOW
                ):
                    why = str(reasons.get(move.reason, move.reason)) if move.reason else ""
                    detail = f" ({move.note})" if move.note else ""
                    declines.append(
                        _("%(name)s declined on %(day)s: %(why)s%(detail)s")
                        % {
                            "name": app.name,
                            "day": _day(move.at.astimezone(self.zone).date()),
                            "why": why or _("no reason given"),
                            "detail": detail,
                        }
                    )
        if not declines:
            return None
        return {
            "code": "offer_declines",
            "level": "high",
            "title": ngettext("An offer was declined", "Offers were declined", len(declines)),
            "evidence": "; ".join(declines) + ".",
            "action": _("Check the offer against what candidates ask for before the next one."),
        }

    def _waiting(self) -> dict[str, Any] | None:
        limit = settings.NEWS_SILENCE_DAYS
        waiting = []
        for app in self.apps:
            stage_id, since = self.current[app.id]
            if since is None or self.category(stage_id) not in LIVE:
                continue
            days = (self.now - since).days
            if days > limit:
                stage = self.stages[stage_id]  # type: ignore[index]
                waiting.append((days, app.name, stage.name))
        if not waiting:
            return None
        waiting.sort(reverse=True)
        named = "; ".join(
            _("%(name)s, %(days)d days in %(stage)s") % {"name": n, "days": d, "stage": s}
            for d, n, s in waiting[:3]
        )
        return {
            "code": "waiting",
            "level": "high" if waiting[0][0] > 2 * limit else "medium",
            "title": _("Candidates waiting too long"),
            "evidence": ngettext(
                "%(n)d candidate has heard nothing for over %(days)d days",
                "%(n)d candidates have heard nothing for over %(days)d days",
                len(waiting),
            )
            % {"n": len(waiting), "days": limit}
            + f": {named}.",
            "action": _("Give each of them news, even if it is “still deciding”."),
        }

    # -- the recruiter's next steps, suggested --

    def suggested_steps(self, data: dict[str, Any]) -> list[str]:
        steps = []
        live = Counter(self.category(stage) for stage, _since in self.current.values())
        open_reviews = [row for row in data["owed"] if row["kind"] == CommitmentKind.REVIEW]
        if live[Category.SCREEN] and not open_reviews:
            steps.append(
                ngettext(
                    "Screen and send a shortlist: %(n)d candidate is at screen.",
                    "Screen and send a shortlist: %(n)d candidates are at screen.",
                    live[Category.SCREEN],
                )
                % {"n": live[Category.SCREEN]}
            )
        overdue = [row for row in data["owed"] if row["state"] == "overdue"]
        if overdue:
            steps.append(
                ngettext(
                    "Follow up %(n)d overdue answer with the hiring team.",
                    "Follow up %(n)d overdue answers with the hiring team.",
                    len(overdue),
                )
                % {"n": len(overdue)}
            )
        for risk in data["risks"]:
            if risk["code"] == "waiting":
                steps.append(_("Send news to the candidates who are waiting."))
        for row in data["timeline"]["milestones"]:
            if row["done_on"] is None and row["state"] in ("late", "due_soon"):
                steps.append(
                    _("%(milestone)s (%(owner)s), due %(due)s.")
                    % {
                        "milestone": row["label"],
                        "owner": row["owner"],
                        "due": _day(date.fromisoformat(row["due_on"])),
                    }
                )
                break
        return steps
