"""One report, three forms: the page, the email (charts as images) and the PDF, all drawn from the
same figures and the same charts."""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString, mark_safe

from accord.reports import charts
from accord.reports.models import Scope, StatusReport


@dataclass
class ChartView:
    chart: charts.Chart

    @property
    def name(self) -> str:
        return self.chart.name

    @property
    def title(self) -> str:
        return self.chart.title

    @property
    def alt(self) -> str:
        return self.chart.alt

    @property
    def width_px(self) -> int:
        return self.chart.width_px

    @property
    def height_px(self) -> int:
        return self.chart.height_px

    @cached_property
    def inline(self) -> SafeString:
        return mark_safe(self.chart.svg())  # noqa: S308  # drawn by matplotlib from numbers


@dataclass
class Section:
    """One requisition's report as templates see it."""

    data: dict[str, Any]
    narrative: str = ""
    next_steps: str = ""
    changes: tuple[str, ...] = ()
    previous_sent_at: Any = None

    @cached_property
    def charts(self) -> list[ChartView]:
        return [ChartView(chart) for chart in charts.for_report(self.data)]

    @property
    def as_of(self) -> Any:
        return parse_datetime(self.data["as_of"])

    @property
    def high_risks(self) -> int:
        return sum(1 for risk in self.data["risks"] if risk["level"] == "high")


def sections_of(report: StatusReport) -> list[Section]:
    """The requisition reports a sent report holds (itself, or a roll-up's parts), each with
    what changed since the report of its requisition sent before it; two queries however many
    parts and however long the history."""
    from accord.reports.selectors import changes

    parts = list(report.parts.order_by("pk")) if report.scope == Scope.MANAGER else [report]
    # The latest report of each requisition sent before this one: one row each, however many
    # weeks of history there are.
    latest_before = (
        StatusReport.objects.filter(
            scope=Scope.REQUISITION,
            requisition=OuterRef("requisition_id"),
            sent_at__lt=report.sent_at,
        )
        .order_by("-sent_at", "-pk")
        .values("pk")[:1]
    )
    previous_ids = (
        StatusReport.objects.filter(pk__in=[part.pk for part in parts])
        .annotate(previous=Subquery(latest_before))
        .values_list("previous", flat=True)
    )
    previous = {
        earlier.requisition_id: earlier
        for earlier in StatusReport.objects.filter(pk__in=previous_ids).only(
            "pk", "requisition_id", "sent_at", "data"
        )
    }
    sections = []
    for part in parts:
        before = previous.get(part.requisition_id)
        sections.append(
            Section(
                data=part.data,
                narrative=part.narrative,
                next_steps=part.next_steps,
                changes=tuple(changes(before.data if before else None, part.data)),
                previous_sent_at=before.sent_at if before else None,
            )
        )
    return sections


def pdf_of(context: dict[str, Any]) -> bytes:
    """The report as a PDF (WeasyPrint; charts inline as SVG)."""
    from accord.lib.pdf import html_to_pdf

    return html_to_pdf(render_to_string("reports/pdf.html", context))


def absolute(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)
