"""The analytics charts, drawn like the status report's (accord.reports.charts): a row per
group (or per period when there is one group), one bar per series, every value written out."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Final

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from accord.analytics.figures import TOTAL, Analytics, Cell, Row
from accord.reports.charts import BLUE, GRID, INK, MUTED, ORANGE, Chart, empty_chart, percent
from accord.reports.charts.sheet import (
    BAR_PAD_IN,
    CONTENT_IN,
    HEADING_IN,
    LABEL,
    MARGIN_IN,
    Sheet,
    rows_height,
)

MAX_ROWS: Final = 12  # more would make a chart taller than a phone's screen; the table has all
BAR_IN: Final = 0.19
Series = tuple[str, str, Callable[[Cell], float | None]]  # colour, legend, value


def _days(value: float) -> str:
    return _("%(days)s d") % {"days": round(value)}


def _bars(
    name: str,
    title: str,
    rows: Sequence[tuple[str, Cell]],
    series: Sequence[Series],
    fmt: Callable[[float], str],
    *,
    maximum: float | None = None,
) -> Chart:
    values = [[value(cell) for _c, _l, value in series] for _label, cell in rows]
    shown = [(label, vals) for (label, _cell), vals in zip(rows, values, strict=True)]
    shown = [(label, vals) for label, vals in shown if any(v is not None for v in vals)]
    shown = shown[:MAX_ROWS]
    if not shown:
        return empty_chart(name, title, _("Nothing counted yet"))

    parts = []
    for label, vals in shown:
        described = ", ".join(
            f"{legend} {'–' if v is None else fmt(v)}"
            for (_c, legend, _f), v in zip(series, vals, strict=True)
        )
        parts.append(f"{label}: {described}")
    alt = f"{title}. " + "; ".join(parts) + "."
    row_in = 0.28 + BAR_IN * len(series) + 0.06

    def paint(sheet: Sheet) -> None:
        sheet.heading(title)
        sheet.legend([("bar", colour, legend) for colour, legend, _f in series])
        flat = [v for _l, vals in shown for v in vals]
        labels = ["–" if v is None else fmt(v) for v in flat]
        widest = [maximum if maximum is not None else (v or 0) for v in flat]
        scale = sheet.bar_scale(widest, labels)
        for i, (label, vals) in enumerate(shown):
            top = HEADING_IN + i * row_in
            sheet.text(MARGIN_IN, top + 0.1, sheet.fit(label, LABEL, CONTENT_IN), size=LABEL)
            for j, (value, (colour, _legend, _f)) in enumerate(zip(vals, series, strict=True)):
                y = top + 0.21 + j * BAR_IN
                if maximum is not None and value is not None:
                    sheet.bar(y, BAR_IN - 0.03, maximum * scale, GRID)
                length = (value or 0) * scale
                sheet.bar(y, BAR_IN - 0.03, length, colour)
                sheet.text(
                    MARGIN_IN + length + BAR_PAD_IN,
                    y + (BAR_IN - 0.03) / 2,
                    "–" if value is None else fmt(value),
                    color=MUTED if value is None else INK,
                )

    return Chart(name, title, alt, paint, height=rows_height(len(shown), row_in))


def _rows(analytics: Analytics, group: str | None) -> list[tuple[str, Cell]]:
    """The groups' totals, or the periods of one group (everyone is one group)."""
    if analytics.filters.by == "all" or group is not None:
        rows: list[Row] = analytics.per_period(group or TOTAL)
        return [(period_label(row.period), row.cell) for row in rows]
    return [(row.group.label, row.cell) for row in analytics.totals()]


def period_label(key: str) -> str:
    """ "2026-03" → "Mar 2026", "2026-Q1" → "Q1 2026"."""
    year, _sep, part = key.partition("-")
    if part.startswith("Q"):
        return f"{part} {year}"
    try:
        return date_format(date(int(year), int(part), 1), "M Y")
    except ValueError:
        return key


def charts_for(analytics: Analytics, group: str | None = None) -> list[Chart]:
    rows = _rows(analytics, group)
    return [
        _bars(
            "time_to_fill",
            _("Time to fill vs plan"),
            rows,
            [
                (BLUE, _("Median days to fill"), lambda c: c.median_days_to_fill),
                (ORANGE, _("Median planned"), lambda c: c.median_planned_days),
            ],
            _days,
        ),
        _bars(
            "feedback",
            _("Feedback on time"),
            rows,
            [(BLUE, _("Answered on time"), lambda c: c.on_time_share)],
            percent,
            maximum=1.0,
        ),
        _bars(
            "conversion",
            _("Conversion and offers"),
            rows,
            [
                (BLUE, _("Submitted → interview"), lambda c: c.submit_to_interview),
                (ORANGE, _("Interview → offer"), lambda c: c.interview_to_offer),
                (MUTED, _("Offers accepted"), lambda c: c.acceptance),
            ],
            percent,
            maximum=1.0,
        ),
    ]
