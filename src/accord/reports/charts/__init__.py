"""The charts of a status report — funnel, time in stage, feedback turnaround — drawn on the
server, so that the page, the email and the PDF show the same pictures.

Pure functions from plain data (a report's figures, or a stored snapshot of them) to a `Chart`,
which renders itself as inline SVG (page and PDF) or PNG (email; Gmail shows no SVG). Drawing
uses matplotlib's object API, one `Figure` per render and never pyplot, so reports can be drawn
in parallel threads. matplotlib is imported on first use: it costs about half a second.
"""

import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from io import BytesIO
from typing import TYPE_CHECKING, Any, Final

from django.utils import formats
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.reports.charts.sheet import (
    BAR_PAD_IN,
    BLUE,
    BLUE_LIGHT,
    CONTENT_IN,
    FUNNEL_ROW_IN,
    GRID,
    HEADING_IN,
    INK,
    LABEL,
    MARGIN_IN,
    MUTED,
    ORANGE,
    SMALL,
    STAGE_ROW_IN,
    TURNAROUND_IN,
    WIDTH,
    Sheet,
    rows_height,
    setup_matplotlib,
)
from accord.reports.charts.svg import inline_svg

if TYPE_CHECKING:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

__all__ = [
    "BLUE",
    "BLUE_LIGHT",
    "GRID",
    "INK",
    "MUTED",
    "ORANGE",
    "WIDTH",
    "Chart",
    "for_report",
    "funnel",
    "time_in_stage",
    "turnaround",
]

PNG_DPI: Final = 192  # twice the CSS pixel density, for crisp phone screens
PNG_COLOURS: Final = 64
_EXACT: Final = [
    [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for colour in ("#ffffff", INK, MUTED, GRID, BLUE, BLUE_LIGHT, ORANGE)
]


@dataclass(frozen=True)
class Chart:
    name: str  # "funnel" | "time_in_stage" | "turnaround": file names and Content-IDs
    title: str
    alt: str  # the data in one sentence: <img alt>, screen readers, plain-text email
    paint: Callable[[Sheet], None] = field(repr=False, compare=False)
    height: float = 2.5  # inches, like WIDTH

    def __post_init__(self) -> None:
        # A whole number of 1/32 inches: whole pixels at 96 and 192 dpi, exactly.
        object.__setattr__(self, "height", math.ceil(self.height * 32 - 1e-6) / 32)

    @property
    def width_px(self) -> int:
        """CSS pixels to show the PNG at (<img width>)."""
        return round(WIDTH * 96)

    @property
    def height_px(self) -> int:
        return round(self.height * 96)

    def svg(self) -> str:
        """An <svg> element to put inside HTML: no style attributes (the page's CSP forbids
        them), role="img" with the alt text as its name, 100% wide with its viewBox kept."""
        return self._svg

    def png(self) -> bytes:
        """The same chart as a PNG at twice the density of `width_px` × `height_px`."""
        return self._png

    @cached_property
    def _svg(self) -> str:
        buffer = BytesIO()
        self._canvas(dpi=72).figure.savefig(buffer, format="svg", metadata={"Date": None})
        return inline_svg(buffer.getvalue(), name=self.name, title=self.title, alt=self.alt)

    @cached_property
    def _png(self) -> bytes:
        from PIL import Image

        canvas = self._canvas(dpi=PNG_DPI)
        # backend_agg has no type hints for these two.
        canvas.draw()  # type: ignore[no-untyped-call]
        pixels = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
        size = canvas.get_width_height(physical=True)
        rgba = Image.frombuffer("RGBA", size, pixels, "raw", "RGBA", 0, 1)
        # Flat fills and anti-aliased text need few colours; a palette makes the file a third.
        image = rgba.convert("RGB").quantize(colors=PNG_COLOURS, method=Image.Quantize.FASTOCTREE)
        # The fast quantizer shifts colours a little (white to 254: a grey box on a white
        # email); put the app's own colours back exactly.
        palette = image.getpalette() or []
        for start in range(0, len(palette) - 2, 3):
            entry = palette[start : start + 3]
            for exact in _EXACT:
                if max(abs(a - b) for a, b in zip(entry, exact, strict=True)) <= 4:
                    palette[start : start + 3] = exact
                    break
        image.putpalette(palette)
        buffer = BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()

    def _canvas(self, dpi: float) -> "FigureCanvasAgg":
        setup_matplotlib()
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=(WIDTH, self.height), dpi=dpi, facecolor="white")
        self.paint(Sheet(figure))
        return FigureCanvasAgg(figure)


# --- the charts --------------------------------------------------------------------------------


def funnel(rows: Sequence[Mapping[str, Any]]) -> Chart:
    """How many candidates ever reached each stage (a bar each, in pipeline order), how many are
    there now (the darker part), and the share that went on to the next stage."""
    title = _("Funnel")
    stages = [
        (
            _label(row.get("label")),
            _count(row.get("reached")),
            _count(row.get("now")),
            _number(row.get("conversion")),
        )
        for row in rows
    ]
    if not any(reached or now for _name, reached, now, _c in stages):
        return empty_chart("funnel", title, _("No candidates yet"))

    parts = []
    for name, reached, now, conversion in stages:
        part = _("%(stage)s %(reached)s reached, %(now)s there now") % {
            "stage": name,
            "reached": reached,
            "now": now,
        }
        if conversion is not None:
            part += ", " + _("%(percent)s moved on") % {"percent": percent(conversion)}
        parts.append(part)
    alt = _("Funnel by stage: %(stages)s.") % {"stages": "; ".join(parts)}

    def paint(sheet: Sheet) -> None:
        sheet.heading(title)
        sheet.legend(
            [("bar", BLUE_LIGHT, _("Reached")), ("bar", BLUE, _("There now"))],
            note=_("→ moved on"),
        )
        values = [
            str(reached)
            if not now
            else _("%(reached)s · %(now)s now") % {"reached": reached, "now": now}
            for _name, reached, now, _c in stages
        ]
        scale = sheet.bar_scale([max(r, n) for _name, r, n, _c in stages], values)
        for i, (name, reached, now, conversion) in enumerate(stages):
            top = HEADING_IN + i * FUNNEL_ROW_IN
            room = CONTENT_IN
            if conversion is not None:
                moved = _("%(percent)s →") % {"percent": percent(conversion)}
                sheet.text(WIDTH - MARGIN_IN, top + 0.1, moved, color=MUTED, ha="right")
                room -= sheet.measure(moved, SMALL) + 0.15
            sheet.text(MARGIN_IN, top + 0.1, sheet.fit(name, LABEL, room), size=LABEL)
            sheet.bar(top + 0.21, 0.25, reached * scale, BLUE_LIGHT)
            sheet.bar(top + 0.21, 0.25, now * scale, BLUE)
            sheet.text(MARGIN_IN + max(reached, now) * scale + BAR_PAD_IN, top + 0.335, values[i])

    return Chart("funnel", title, alt, paint, height=rows_height(len(stages), FUNNEL_ROW_IN))


def time_in_stage(rows: Sequence[Mapping[str, Any]]) -> Chart:
    """Per stage, the median days candidates spent there (history) beside the median days those
    there now have waited so far."""
    title = _("Time in stage")
    stages = [
        (
            _label(row.get("label")),
            _number(row.get("median_days")),
            _number(row.get("current_days")),
        )
        for row in rows
    ]
    if not any(median is not None or current is not None for _n, median, current in stages):
        return empty_chart("time_in_stage", title, _("No candidates yet"))

    parts = []
    for name, median, current in stages:
        spent = _days(median) if median is not None else _("no history")
        waiting = (
            _("waiting now %(days)s") % {"days": _days(current)}
            if current is not None
            else _("nobody there now")
        )
        parts.append(f"{name} {spent}, {waiting}")
    alt = _(
        "Median days spent in each stage, and how long those there now have waited: %(stages)s."
    ) % {"stages": "; ".join(parts)}

    def paint(sheet: Sheet) -> None:
        sheet.heading(title)
        sheet.legend([("bar", BLUE, _("Median time spent")), ("bar", ORANGE, _("Waiting now"))])
        values = [v for _n, median, current in stages for v in (median, current)]
        labels = ["–" if v is None else _days(v) for v in values]
        scale = sheet.bar_scale([v or 0 for v in values], labels)
        for i, (name, median, current) in enumerate(stages):
            top = HEADING_IN + i * STAGE_ROW_IN
            sheet.text(MARGIN_IN, top + 0.1, sheet.fit(name, LABEL, CONTENT_IN), size=LABEL)
            for offset, value, colour in ((0.21, median, BLUE), (0.44, current, ORANGE)):
                length = (value or 0) * scale
                sheet.bar(top + offset, 0.19, length, colour)
                sheet.text(
                    MARGIN_IN + length + BAR_PAD_IN,
                    top + offset + 0.095,
                    "–" if value is None else _days(value),
                    color=MUTED if value is None else INK,
                )

    return Chart("time_in_stage", title, alt, paint, height=rows_height(len(stages), STAGE_ROW_IN))


def turnaround(weeks: Sequence[Mapping[str, Any]], agreed_days: float | None) -> Chart:
    """Median days from a feedback request to its answer, week by week, against the agreed
    turnaround (dashed), with the share answered on time above each week. A week without
    answers is a gap in the line."""
    title = _("Feedback turnaround")
    agreed = _number(agreed_days)
    points = [
        (
            _week(row.get("week")),
            _number(row.get("median_days")),
            _number(row.get("on_time")),
            _count(row.get("count")),
        )
        for row in weeks
    ]
    if not any(median is not None for _w, median, _o, _c in points):
        return empty_chart("turnaround", title, _("No feedback answered yet"))

    parts = []
    for week, median, on_time, count in points:
        when = _("week of %(day)s") % {"day": _day(week)}
        if median is None:
            parts.append(_("%(week)s no answers") % {"week": when})
            continue
        details = [ngettext("%(count)s answer", "%(count)s answers", count) % {"count": count}]
        if on_time is not None:
            details.insert(0, _("%(percent)s on time") % {"percent": percent(on_time)})
        parts.append(
            _("%(week)s %(days)s (%(details)s)")
            % {"week": when, "days": _days(median), "details": ", ".join(details)}
        )
    if agreed is not None:
        alt = _(
            "Feedback turnaround, median days from request to answer by week, agreed "
            "%(agreed)s: %(weeks)s."
        ) % {"agreed": _days(agreed), "weeks": "; ".join(parts)}
    else:
        alt = _("Feedback turnaround, median days from request to answer by week: %(weeks)s.") % {
            "weeks": "; ".join(parts)
        }

    def paint(sheet: Sheet) -> None:
        from matplotlib.ticker import MaxNLocator

        medians = [median for _w, median, _o, _c in points if median is not None]
        ticks = [
            float(tick)
            for tick in MaxNLocator(nbins=4, steps=[1, 2, 5, 10]).tick_values(
                0, max([*medians, agreed or 0]) * 1.1
            )
            if tick >= 0
        ]
        tick_labels = [_decimal(tick) for tick in ticks]
        left = MARGIN_IN + max(sheet.measure(label, SMALL) for label in tick_labels) + 0.1
        right = WIDTH - MARGIN_IN
        top, bottom = HEADING_IN + 0.32, TURNAROUND_IN - 0.32
        top_value = ticks[-1] or 1
        slot = (right - left) / len(points)
        days = [_day(week) for week, _m, _o, _c in points]
        # Every step-th week is named, counted back from the latest, so labels never touch.
        step = max(1, math.ceil((max(sheet.measure(d, SMALL) for d in days) + 0.1) / slot))
        # Too many weeks to write each share above its own: the alt text still has them.
        on_time_shown = slot >= sheet.measure(percent(1), SMALL) + 0.06 and any(
            median is not None and on_time is not None for _w, median, on_time, _c in points
        )

        sheet.heading(title)
        keys = [("line", BLUE, _("Median days"))]
        if agreed is not None:
            keys.append(("dash", MUTED, _("Agreed")))
        sheet.legend(keys, note=_("% on time") if on_time_shown else "")

        def y(value: float) -> float:
            return bottom - (bottom - top) * value / top_value

        for tick, label in zip(ticks, tick_labels, strict=True):
            sheet.line([left, right], [y(tick)] * 2, GRID, width=0.8)
            sheet.text(left - 0.08, y(tick), label, color=MUTED, ha="right")
        if agreed is not None:
            sheet.line([left, right], [y(agreed)] * 2, MUTED, width=1.2, dashes=(4, 3))
        xs = [left + (i + 0.5) * slot for i in range(len(points))]
        ys = [math.nan if median is None else y(median) for _w, median, _o, _c in points]
        sheet.line(xs, ys, BLUE, width=2, marker=True)
        for i, (_w, median, on_time, _c) in enumerate(points):
            if median is not None and on_time is not None and on_time_shown:
                sheet.text(xs[i], top - 0.15, percent(on_time), color=MUTED, ha="center")
            if (len(points) - 1 - i) % step == 0:
                sheet.text(xs[i], bottom + 0.17, days[i], color=MUTED, ha="center")

    return Chart("turnaround", title, alt, paint, height=TURNAROUND_IN)


def for_report(data: Mapping[str, Any]) -> list[Chart]:
    """The charts of a report's figures (`accord.reports.figures`), or of a stored snapshot."""
    trend = data.get("turnaround") or {}
    return [
        funnel(data.get("funnel") or []),
        time_in_stage(data.get("time_in_stage") or []),
        turnaround(trend.get("weeks") or [], trend.get("agreed_days")),
    ]


def empty_chart(name: str, title: str, message: str) -> Chart:
    def paint(sheet: Sheet) -> None:
        sheet.heading(title)
        sheet.text(WIDTH / 2, 0.75, message, size=LABEL, color=MUTED, ha="center")

    return Chart(name, title, message + ".", paint, height=1.1)


# --- values ------------------------------------------------------------------------------------


def _label(value: Any) -> str:
    # Control characters can't be written in XML; format characters draw as boxes.
    printable = "".join(
        ch for ch in str(value if value is not None else "") if unicodedata.category(ch)[0] != "C"
    )
    return " ".join(printable.split()) or "–"


def _count(value: Any) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError, OverflowError):
        return 0


TOO_SMALL_TO_DRAW = 1e-9


def _number(value: Any) -> float | None:
    """A finite, non-negative number, or None (no data). Amounts too small to draw are 0 (a
    denormal like 1e-309 would make a bar's scale infinite)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number < 0:
        return None
    return number if number >= TOO_SMALL_TO_DRAW else 0.0


def _week(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _day(value: date | None) -> str:
    return date_format(value, "j M") if value else "?"


def _decimal(value: float) -> str:
    rounded = round(value, 1)
    return formats.number_format(rounded, decimal_pos=0 if rounded.is_integer() else 1)


def _days(value: float) -> str:
    rounded = round(value, 1)
    # ngettext needs an int: "1 day", "1.5 days", "2 days".
    plural = 1 if rounded == 1 else 2
    return ngettext("%(days)s day", "%(days)s days", plural) % {"days": _decimal(rounded)}


def percent(share: float) -> str:
    return _("%(percent)s%%") % {"percent": round(share * 100)}
