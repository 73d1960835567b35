"""Reads for status reports: which requisitions a report covers, the live report, a manager's
roll-up, and what changed since the last report sent."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _

from accord.reports.figures import figures_for
from accord.reports.models import (
    Frequency,
    ReportNote,
    ReportSchedule,
    Scope,
    ShareLink,
    StatusReport,
)
from accord.reports.render import Section
from accord.requisitions.models import Requisition, Status
from accord.workspaces.models import Member, Workspace

# The requisitions a manager's roll-up covers: the searches still running.
REPORTED_STATUSES = (Status.INTAKE, Status.OPEN, Status.ON_HOLD)
HISTORY_LIMIT = 26


def with_people(queryset: QuerySet[Requisition]) -> QuerySet[Requisition]:
    return queryset.select_related("workspace", "recruiter__user", "report_note").prefetch_related(
        # With their schedule and contact preference: each page shows when and how each
        # manager gets the report without a query per manager.
        Prefetch(
            "hiring_managers",
            queryset=Member.objects.select_related("user", "report_schedule", "contact").order_by(
                "user__display_name", "pk"
            ),
        )
    )


def period_of(frequency: str) -> timedelta:
    periods: dict[str, timedelta] = {
        Frequency.DAILY: timedelta(days=1),
        Frequency.BIWEEKLY: timedelta(days=14),
    }
    return periods.get(frequency, timedelta(days=7))


def manager_period(manager: Member) -> timedelta:
    """What a manager's report covers: their schedule's cadence (a week by default)."""
    schedule = schedule_of(manager)
    return period_of(schedule.frequency) if schedule else timedelta(days=7)


def requisition_period(requisition: Requisition) -> timedelta:
    """What a requisition's report covers: the shortest cadence among its managers (a week by
    default). Reads the managers `with_people` prefetched."""
    periods = [
        period_of(schedule.frequency)
        for schedule in (schedule_of(m) for m in requisition.hiring_managers.all())
        if schedule is not None and schedule.frequency != Frequency.OFF
    ]
    return min(periods, default=timedelta(days=7))


def note_of(requisition: Requisition) -> ReportNote:
    try:
        return requisition.report_note
    except ReportNote.DoesNotExist:
        return ReportNote(requisition=requisition)


def managed_by(manager: Member) -> QuerySet[Requisition]:
    """The running searches a manager's roll-up covers, oldest first."""
    return with_people(
        Requisition.objects.filter(
            workspace=manager.workspace_id,
            hiring_managers=manager,
            status__in=REPORTED_STATUSES,
        )
    ).order_by("created_at", "pk")


def managers_of(workspace: Workspace) -> QuerySet[Member]:
    """Hiring managers with a running search, for the reports index."""
    return (
        Member.objects.active()
        .filter(workspace=workspace, requisitions_managed__status__in=REPORTED_STATUSES)
        .distinct()
        .select_related("user", "report_schedule")
        .order_by("user__display_name", "pk")
    )


def last_sent(requisition: Requisition, before: datetime | None = None) -> StatusReport | None:
    sent = StatusReport.objects.filter(requisition=requisition, scope=Scope.REQUISITION)
    if before is not None:
        sent = sent.filter(sent_at__lt=before)
    return sent.order_by("-sent_at", "-pk").first()


def history_of(requisition: Requisition) -> list[StatusReport]:
    return list(
        StatusReport.objects.filter(requisition=requisition)
        .select_related("sent_by__user", "rollup")
        .defer("data")
        .order_by("-sent_at", "-pk")[:HISTORY_LIMIT]
    )


def manager_history(manager: Member) -> list[StatusReport]:
    return list(
        StatusReport.objects.filter(manager=manager, rollup__isnull=True)
        .select_related("sent_by__user", "requisition")
        .defer("data")
        .order_by("-sent_at", "-pk")[:HISTORY_LIMIT]
    )


def share_links_of(**subject: Any) -> list[ShareLink]:
    """Links not revoked, newest first, each with its `url` to copy."""
    from accord.reports.services import share_url

    links = list(
        ShareLink.objects.filter(revoked_at__isnull=True, **subject)
        .select_related("created_by__user")
        .order_by("-created_at")
    )
    for link in links:
        link.url = share_url(link)  # type: ignore[attr-defined]
    return links


def schedule_of(member: Member) -> ReportSchedule | None:
    try:
        return member.report_schedule
    except ReportSchedule.DoesNotExist:
        return None


# --- the live report -------------------------------------------------------------------------


@dataclass
class Live:
    """A report as of now: the figures, the recruiter's words, and what changed since the last
    report sent."""

    requisition: Requisition
    data: dict[str, Any]
    note: ReportNote
    previous: StatusReport | None
    changes: list[str] = field(default_factory=list)

    def section(self) -> Section:
        return Section(
            data=self.data,
            narrative=self.note.narrative,
            next_steps=self.note.next_steps,
            changes=tuple(self.changes),
            previous_sent_at=self.previous.sent_at if self.previous else None,
        )


def live_report(requisition: Requisition, now: datetime, *, public: bool = False) -> Live:
    period = requisition_period(requisition)
    data = figures_for([requisition], now, period, public=public)[requisition.pk]
    previous = last_sent(requisition)
    return Live(
        requisition=requisition,
        data=data,
        note=note_of(requisition),
        previous=previous,
        changes=changes(previous.data if previous else None, data),
    )


def rollup(
    manager: Member,
    requisitions: list[Requisition],
    parts: dict[int, dict[str, Any]],
    now: datetime,
    period: timedelta,
) -> dict[str, Any]:
    """A manager's roll-up: one row per search, and everything the manager owes."""
    name = manager.user.display_name
    rows = []
    owed: list[dict[str, Any]] = []
    for requisition in requisitions:
        data = parts[requisition.pk]
        mine = [row for row in data["owed"] if row["owner_id"] == str(manager.public_id)]
        owed.extend({**row, "requisition": requisition.title} for row in mine)
        by_category: dict[str, int] = {}
        for stage in data["funnel"]:
            by_category[stage["category"]] = by_category.get(stage["category"], 0) + stage["now"]
        rows.append(
            {
                "id": str(requisition.public_id),
                "title": requisition.title,
                "status_label": data["requisition"]["status_label"],
                "timeline": {key: data["timeline"][key] for key in ("state", "label", "reason")},
                "active": data["totals"]["active"],
                "interviewing": by_category.get("interview", 0),
                "offers": by_category.get("offer", 0),
                "hired": data["totals"]["hired"],
                "owed_by_manager": len(mine),
                "overdue": sum(1 for row in data["owed"] if row["state"] == "overdue"),
                "risks": [risk["title"] for risk in data["risks"]],
                "high_risks": sum(1 for risk in data["risks"] if risk["level"] == "high"),
            }
        )
    owed.sort(key=lambda row: (row["state"] != "overdue", row["due_at"]))
    return {
        "v": 1,
        "as_of": now.isoformat(),
        "period": {
            "start": (now - period).isoformat(),
            "end": now.isoformat(),
            "days": period.days,
        },
        "manager": {"id": str(manager.public_id), "name": name},
        "rows": rows,
        "owed": owed,
        "late": sum(1 for row in rows if row["timeline"]["state"] == "late"),
        "at_risk": sum(1 for row in rows if row["timeline"]["state"] == "at_risk"),
    }


def live_rollup(
    manager: Member, now: datetime, *, public: bool = False
) -> tuple[dict[str, Any], list[Section]]:
    """A manager's roll-up as of now, over their schedule's period, and each search's section
    with the recruiter's words."""
    period = manager_period(manager)
    requisitions = list(managed_by(manager))
    parts = figures_for(requisitions, now, period, public=public)
    sections = []
    for requisition in requisitions:
        note = note_of(requisition)
        sections.append(
            Section(
                data=parts[requisition.pk], narrative=note.narrative, next_steps=note.next_steps
            )
        )
    return rollup(manager, requisitions, parts, now, period), sections


# --- what changed since the last report --------------------------------------------------------


def changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    """Plain sentences on what moved between two reports of one requisition."""
    if not previous:
        return []
    lines: list[str] = []
    before_timeline, now_timeline = previous.get("timeline", {}), current["timeline"]
    if before_timeline.get("state") != now_timeline["state"]:
        lines.append(
            _("Timeline: %(before)s → %(now)s. %(reason)s")
            % {
                "before": before_timeline.get("label", "—"),
                "now": now_timeline["label"],
                "reason": now_timeline["reason"],
            }
        )
    before_stages = {row["stage"]: row for row in previous.get("funnel", [])}
    for row in current["funnel"]:
        earlier = before_stages.get(row["stage"])
        was = earlier["now"] if earlier else 0
        if was != row["now"]:
            lines.append(
                _("%(stage)s: %(before)d → %(now)d candidates")
                % {"stage": row["label"], "before": was, "now": row["now"]}
            )
    before_risks = {risk["code"]: risk for risk in previous.get("risks", [])}
    now_risks = {risk["code"]: risk for risk in current["risks"]}
    for code, risk in now_risks.items():
        if code not in before_risks:
            lines.append(_("New risk: %(title)s.") % {"title": risk["title"]})
    for code, risk in before_risks.items():
        if code not in now_risks:
            lines.append(_("No longer a risk: %(title)s.") % {"title": risk["title"]})
    owed_before = len(previous.get("owed", []))
    owed_now = len(current["owed"])
    if owed_before != owed_now:
        lines.append(
            _("Actions owed by the hiring team: %(before)d → %(now)d")
            % {"before": owed_before, "now": owed_now}
        )
    before_market, now_market = previous.get("market", {}), current["market"]
    if before_market.get("all_musts") != now_market["all_musts"]:
        lines.append(
            _("Candidates meeting every must-have: %(before)s → %(now)d")
            % {"before": before_market.get("all_musts", 0), "now": now_market["all_musts"]}
        )
    return lines


def open_requisition_reports(workspace: Workspace) -> QuerySet[Requisition]:
    """Running searches for the reports index, each with its last report sent
    (`last_report_id`, `last_report_at`)."""
    last = StatusReport.objects.filter(
        requisition=OuterRef("pk"), scope=Scope.REQUISITION
    ).order_by("-sent_at", "-pk")
    return (
        with_people(Requisition.objects.filter(workspace=workspace, status__in=REPORTED_STATUSES))
        .annotate(
            last_report_id=Subquery(last.values("public_id")[:1]),
            last_report_at=Subquery(last.values("sent_at")[:1]),
        )
        .order_by("title", "pk")
    )
