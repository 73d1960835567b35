"""Analytics: the figures page with its charts, the same table as CSV, and the records behind
each figure."""

import csv
from collections.abc import Callable, Iterable
from typing import Any, Final
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accord.analytics.charts import charts_for, period_label
from accord.analytics.figures import (
    ATTRIBUTION,
    DEFINITIONS,
    FIGURES,
    TOTAL,
    Analytics,
    Cell,
    Row,
    analytics_for,
    default_filters,
)
from accord.analytics.forms import BY_CHOICES, CellForm, FilterForm
from accord.nudges.models import Commitment
from accord.partnerships.models import Survey
from accord.pipeline.models import Application
from accord.requisitions.models import Requisition
from accord.workspaces.access import VIEW_ANALYTICS, WorkspaceRequest, member_required
from accord.workspaces.models import Workspace

# The records page lists this many at most (the count above it is always complete).
RECORDS_LIMIT: Final = 500


def _form(request: WorkspaceRequest) -> FilterForm:
    today = timezone.localdate(timezone.now(), request.member.workspace.zone)
    return FilterForm(request.GET, defaults=default_filters(today), today=today)


def _query(form: FilterForm) -> str:
    data = form.cleaned_data
    return urlencode(
        {
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "by": data["by"],
            "grain": data["grain"],
        }
    )


def _label(period: str) -> str:
    return _("All periods") if period == TOTAL else period_label(period)


def _number(value: float | None, places: int = 0) -> str:
    if value is None:
        return "–"
    rounded = round(value, places)
    if float(rounded).is_integer():
        places = 0
    return formats.number_format(rounded, decimal_pos=places)


def _k_of_n(part: int, whole: int) -> str:
    if not whole:
        return "–"
    return _("%(part)s of %(whole)s · %(percent)s%%") % {
        "part": part,
        "whole": whole,
        "percent": round(100 * part / whole),
    }


HEADERS: Final = (
    ("fill", gettext_lazy("Filled")),
    ("fill", gettext_lazy("Median days to fill")),
    ("fill", gettext_lazy("Median planned days")),
    ("fill", gettext_lazy("On plan")),
    ("feedback", gettext_lazy("Feedback answered")),
    ("feedback", gettext_lazy("Median turnaround (days)")),
    ("feedback", gettext_lazy("On time")),
    ("submit", gettext_lazy("Submitted → interview")),
    ("interview", gettext_lazy("Interview → offer")),
    ("offer", gettext_lazy("Offers accepted")),
    ("survey", gettext_lazy("Surveys answered")),
    ("survey", gettext_lazy("Process rating")),
    ("survey", gettext_lazy("Hire rating")),
)


def _columns(row: Row) -> list[tuple[str, str]]:
    """(figure, text) per column of the table, in the order of HEADERS."""
    c = row.cell
    offers = _k_of_n(c.accepted, c.accepted + c.declined)
    if c.offers_open:
        still_open = _("%(count)s open") % {"count": c.offers_open}
        offers = still_open if offers == "–" else f"{offers} ({still_open})"
    return [
        ("fill", str(c.filled)),
        ("fill", _number(c.median_days_to_fill, 1)),
        ("fill", _number(c.median_planned_days, 1)),
        ("fill", _k_of_n(c.on_plan, c.with_plan)),
        ("feedback", str(c.feedback_done)),
        ("feedback", _number(c.median_turnaround_days, 1)),
        ("feedback", _k_of_n(c.on_time, c.feedback_done)),
        ("submit", _k_of_n(c.reached_interview, len(c.submitted))),
        ("interview", _k_of_n(c.reached_offer, len(c.interviewed))),
        ("offer", offers if c.offers else "–"),
        ("survey", str(c.surveys)),
        ("survey", _number(c.mean_process_rating, 1)),
        ("survey", _number(c.mean_hire_rating, 1)),
    ]


@member_required(VIEW_ANALYTICS)
@require_GET
def index(request: WorkspaceRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return render(
            request, "analytics/index.html", {"form": form, "analytics": None}, status=400
        )
    analytics = analytics_for(request.member.workspace, form.filters())
    group_key = form.group_key()
    # No charts (nor their drawing) when nothing was counted: the page says what to do instead.
    charts = [
        {"name": c.name, "title": c.title, "alt": c.alt, "svg": mark_safe(c.svg())}  # noqa: S308 (our own SVG, text escaped by ElementTree)
        for c in ([] if analytics.is_empty else charts_for(analytics, group_key))
    ]
    records_url = reverse("analytics:records", args=[request.member.workspace.slug])
    query = _query(form)
    # Per person or team, the page shows each one's total over the range, and one's periods
    # when chosen (thousands of cells would make a page of megabytes); the CSV has them all.
    totals_only = analytics.filters.by != "all" and group_key is None
    shown: Iterable[Row] = analytics.totals() if totals_only else analytics.rows(group_key)
    rows = []
    for row in shown:
        cell_query = urlencode({"group": row.group.key, "period": row.period})
        rows.append(
            {
                "row": row,
                "period_label": _label(row.period),
                "periods_url": f"?{query}&{urlencode({'group': row.group.key})}",
                "columns": [
                    {"text": text, "url": f"{records_url}?{query}&figure={figure}&{cell_query}"}
                    for figure, text in _columns(row)
                ],
            }
        )
    return render(
        request,
        "analytics/index.html",
        {
            "form": form,
            "analytics": analytics,
            "rows": rows,
            "charts": charts,
            "query": query,
            "group": analytics.group(group_key),
            "group_chosen": group_key is not None,
            "totals_only": totals_only,
            "csv_query": query
            + (f"&{urlencode({'group': group_key})}" if group_key is not None else ""),
            "headers": [label for _figure, label in HEADERS],
            "definitions": [DEFINITIONS[f] for f in FIGURES],
            "attribution": ATTRIBUTION,
            "by_all": analytics.filters.by == "all",
            "by_label": dict(BY_CHOICES)[analytics.filters.by],
        },
    )


CSV_COLUMNS: Final = (
    ("group", lambda r: r.group.label),
    ("period", lambda r: r.period),
    ("filled", lambda r: r.cell.filled),
    ("median_days_to_fill", lambda r: r.cell.median_days_to_fill),
    ("filled_with_plan", lambda r: r.cell.with_plan),
    ("median_planned_days", lambda r: r.cell.median_planned_days),
    ("filled_on_plan", lambda r: r.cell.on_plan),
    ("on_plan_share", lambda r: r.cell.on_plan_share),
    ("feedback_done", lambda r: r.cell.feedback_done),
    ("median_turnaround_days", lambda r: r.cell.median_turnaround_days),
    ("feedback_on_time", lambda r: r.cell.on_time),
    ("on_time_share", lambda r: r.cell.on_time_share),
    ("submitted", lambda r: len(r.cell.submitted)),
    ("reached_interview", lambda r: r.cell.reached_interview),
    ("submit_to_interview", lambda r: r.cell.submit_to_interview),
    ("interviewed", lambda r: len(r.cell.interviewed)),
    ("reached_offer", lambda r: r.cell.reached_offer),
    ("interview_to_offer", lambda r: r.cell.interview_to_offer),
    ("offers", lambda r: len(r.cell.offers)),
    ("offers_accepted", lambda r: r.cell.accepted),
    ("offers_declined", lambda r: r.cell.declined),
    ("offers_open", lambda r: r.cell.offers_open),
    ("acceptance", lambda r: r.cell.acceptance),
    ("surveys", lambda r: r.cell.surveys),
    ("mean_process_rating", lambda r: r.cell.mean_process_rating),
    ("mean_hire_rating", lambda r: r.cell.mean_hire_rating),
)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    text = str(value)
    # A spreadsheet would run a team or person's name that starts like a formula.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_rows(analytics: Analytics, group: str | None = None) -> Iterable[list[str]]:
    yield [name for name, _value in CSV_COLUMNS]
    for row in analytics.rows(group):
        yield [_csv_value(value(row)) for _name, value in CSV_COLUMNS]


@member_required(VIEW_ANALYTICS)
@require_GET
def export(request: WorkspaceRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(
            _("The export was not made: %(errors)s") % {"errors": errors},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    filters = form.filters()
    analytics = analytics_for(request.member.workspace, filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = (
        f"analytics-{request.member.workspace.slug}-{filters.start}-{filters.end}-{filters.by}.csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerows(csv_rows(analytics, form.group_key()))
    return response


# The records behind each figure, one small function per kind of record. Every query is scoped to
# the workspace as well as to the ids, by policy.
Item = dict[str, Any]


def _fill_items(workspace: Workspace, figure: str, cell: Cell, shown: list[int]) -> list[Item]:
    fills = {f.requisition: f for f in cell.fills}
    items = []
    for requisition in Requisition.objects.filter(workspace=workspace, pk__in=shown).order_by(
        "-closed_at", "-id"
    ):
        fill = fills[requisition.pk]
        items.append(
            {
                "title": requisition.title,
                "url": reverse("requisitions:detail", args=[workspace.slug, requisition.public_id]),
                "when": requisition.closed_at,
                "facts": [
                    _("%(days)s days to fill") % {"days": fill.days},
                    _("planned %(days)s days") % {"days": fill.planned}
                    if fill.planned is not None
                    else _("no offer milestone in the plan"),
                    (_("on plan") if fill.on_plan else _("over plan"))
                    if fill.on_plan is not None
                    else "",
                ],
            }
        )
    return items


def _feedback_items(workspace: Workspace, figure: str, cell: Cell, shown: list[int]) -> list[Item]:
    slug = workspace.slug
    items = []
    for commitment in (
        Commitment.objects.filter(workspace=workspace, pk__in=shown)
        .select_related("requisition", "owner__user", "shortlist", "scorecard")
        .order_by("-done_at", "-id")
    ):
        url = reverse("requisitions:detail", args=[slug, commitment.requisition.public_id])
        if commitment.shortlist is not None:
            url = reverse("reviews:shortlist", args=[slug, commitment.shortlist.public_id])
        elif commitment.scorecard is not None:
            url = reverse("reviews:scorecard", args=[slug, commitment.scorecard.public_id])
        done_at = commitment.done_at or commitment.started_at  # counted only once done
        hours = (done_at - commitment.started_at).total_seconds() / 3600
        items.append(
            {
                "title": commitment.get_kind_display(),
                "who": commitment.owner.user.display_name,
                "url": url,
                "when": commitment.done_at,
                "context": commitment.requisition.title,
                "facts": [
                    _("%(days)s days") % {"days": f"{hours / 24:.1f}"},
                    _("on time") if commitment.on_time else _("late"),
                ],
            }
        )
    return items


def _application_items(
    workspace: Workspace, figure: str, cell: Cell, shown: list[int]
) -> list[Item]:
    """Submitted, interviewed or offered: the candidates, with what became of each."""
    if figure == "offer":
        outcome_label = {
            "accepted": _("accepted (hired)"),
            "declined": _("declined or ended after the offer"),
            "open": _("still open"),
        }
        facts = {o.application: outcome_label[o.outcome] for o in cell.offers}
    else:
        steps = cell.submitted if figure == "submit" else cell.interviewed
        yes = _("reached an interview") if figure == "submit" else _("had an offer")
        no = _("not yet") if figure == "submit" else _("no offer yet")
        facts = {s.application: yes if s.advanced else no for s in steps}
    slug = workspace.slug
    return [
        {
            "title": application.candidate.name,
            "url": reverse("reviews:scorecards", args=[slug, application.public_id]),
            "context": application.requisition.title,
            "context_url": reverse(
                "pipeline:board", args=[slug, application.requisition.public_id]
            ),
            "facts": [
                facts[application.pk],
                _("now: %(stage)s") % {"stage": application.stage.name},
            ],
        }
        for application in Application.objects.filter(workspace=workspace, pk__in=shown)
        .select_related("candidate", "requisition", "stage")
        .order_by("requisition__title", "candidate__name", "id")
    ]


def _survey_items(workspace: Workspace, figure: str, cell: Cell, shown: list[int]) -> list[Item]:
    return [
        {
            "title": survey.hire.application.candidate.name,
            "url": reverse("surveys:hire", args=[workspace.slug, survey.hire.public_id]),
            "when": survey.answered_at,
            "context": survey.hire.requisition.title,
            "facts": [
                _("process %(rating)s/5") % {"rating": survey.process_rating}
                if survey.process_rating
                else _("process not rated"),
                _("hire %(rating)s/5") % {"rating": survey.hire_rating}
                if survey.hire_rating
                else _("hire not rated"),
                _("by %(name)s") % {"name": survey.manager.user.display_name},
            ],
        }
        for survey in Survey.objects.filter(workspace=workspace, pk__in=shown)
        .select_related("hire__requisition", "hire__application__candidate", "manager__user")
        .order_by("-answered_at", "-id")
    ]


ITEMS: Final[dict[str, Callable[[Workspace, str, Cell, list[int]], list[Item]]]] = {
    "fill": _fill_items,
    "feedback": _feedback_items,
    "submit": _application_items,
    "interview": _application_items,
    "offer": _application_items,
    "survey": _survey_items,
}


@member_required(VIEW_ANALYTICS)
@require_GET
def records(request: WorkspaceRequest) -> HttpResponse:
    form = _form(request)
    cell_form = CellForm(request.GET)
    if not form.is_valid() or not cell_form.is_valid():
        return render(
            request,
            "analytics/records.html",
            {"form": form, "invalid": True},
            status=400,
        )
    workspace = request.member.workspace
    analytics = analytics_for(workspace, form.filters())
    figure = cell_form.cleaned_data["figure"]
    group_key = cell_form.cleaned_data["group"]
    period = cell_form.cleaned_data["period"]
    cell = analytics.cell(group_key, period)
    ids = cell.ids(figure)
    shown = ids[:RECORDS_LIMIT]
    return render(
        request,
        "analytics/records.html",
        {
            "form": form,
            "figure": figure,
            "definition": DEFINITIONS[figure],
            "group": analytics.group(group_key),
            "period_label": _label(period),
            "items": ITEMS[figure](workspace, figure, cell, shown),
            "total": len(ids),
            "limited": len(ids) > len(shown),
            "query": _query(form),
        },
    )


__all__ = ["Row", "csv_rows", "export", "index", "records"]
