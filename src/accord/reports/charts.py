"""The charts of a status report — funnel, time in stage, feedback turnaround — drawn on the
server, so that the page, the email and the PDF show the same pictures.

Pure functions from plain data (a report's figures, or a stored snapshot of them) to a `Chart`,
which renders itself as inline SVG (page and PDF) or PNG (email; Gmail shows no SVG). Drawing
uses matplotlib's object API, one `Figure` per render and never pyplot, so reports can be drawn
in parallel threads. matplotlib is imported on first use: it costs about half a second.
"""

import hashlib
import math
import re
import sys
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from io import BytesIO
from typing import TYPE_CHECKING, Any, Final
from xml.etree import ElementTree as ET

from django.utils import formats
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

# Bootstrap's colours as the app uses them. Blue against orange, and dark against light blue,
# stay apart for every common kind of colour blindness; counts are written out as well.
INK: Final = "#212529"
MUTED: Final = "#6c757d"
GRID: Final = "#dee2e6"
BLUE: Final = "#0d6efd"
BLUE_LIGHT: Final = "#9ec5fe"
ORANGE: Final = "#fd7e14"
FONT: Final = "DejaVu Sans"  # ships with matplotlib, so the layout is the same everywhere
# Browsers and WeasyPrint draw SVG text with their own fonts; these have similar widths.
FONT_FAMILY: Final = "'DejaVu Sans', Verdana, sans-serif"

WIDTH: Final = 4.0  # inches; at 96 CSS px an inch the email shows the PNG 384 px wide
PNG_DPI: Final = 192  # twice the CSS pixel density, for crisp phone screens
PNG_COLOURS: Final = 64

_EXACT: Final = [
    [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for colour in ("#ffffff", INK, MUTED, GRID, BLUE, BLUE_LIGHT, ORANGE)
]

SVG_NS: Final = "http://www.w3.org/2000/svg"
XLINK_HREF: Final = "{http://www.w3.org/1999/xlink}href"

_setup_lock = threading.Lock()
_ready = False


def _matplotlib() -> None:
    """Import and configure matplotlib once per process.

    `svg.fonttype` is read from the global rcParams while saving, so it is set here, once and
    before any chart is drawn, never changed per call (rc_context is not thread-safe)."""
    global _ready
    if _ready:
        return
    with _setup_lock:
        if _ready:
            return
        import matplotlib

        if "matplotlib.pyplot" not in sys.modules:
            # Only names the backend pyplot would use; switching with pyplot loaded would close
            # someone else's figures. Charts attach their own Agg canvas either way.
            matplotlib.use("Agg")
        matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: small, searchable
        matplotlib.rcParams["svg.hashsalt"] = "accord"  # stable ids; renumbered anyway
        _ready = True


@dataclass(frozen=True)
class Chart:
    name: str  # "funnel" | "time_in_stage" | "turnaround": file names and Content-IDs
    title: str
    alt: str  # the data in one sentence: <img alt>, screen readers, plain-text email
    paint: "Callable[[_Sheet], None]" = field(repr=False, compare=False)
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
        return _clean_svg(buffer.getvalue(), name=self.name, title=self.title, alt=self.alt)

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
        _matplotlib()
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=(WIDTH, self.height), dpi=dpi, facecolor="white")
        self.paint(_Sheet(figure))
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
        return _empty("funnel", title, _("No candidates yet"))

    parts = []
    for name, reached, now, conversion in stages:
        part = _("%(stage)s %(reached)s reached, %(now)s there now") % {
            "stage": name,
            "reached": reached,
            "now": now,
        }
        if conversion is not None:
            part += ", " + _("%(percent)s moved on") % {"percent": _percent(conversion)}
        parts.append(part)
    alt = _("Funnel by stage: %(stages)s.") % {"stages": "; ".join(parts)}

    def paint(sheet: _Sheet) -> None:
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
                moved = _("%(percent)s →") % {"percent": _percent(conversion)}
                sheet.text(WIDTH - MARGIN_IN, top + 0.1, moved, color=MUTED, ha="right")
                room -= sheet.measure(moved, SMALL) + 0.15
            sheet.text(MARGIN_IN, top + 0.1, sheet.fit(name, LABEL, room), size=LABEL)
            sheet.bar(top + 0.21, 0.25, reached * scale, BLUE_LIGHT)
            sheet.bar(top + 0.21, 0.25, now * scale, BLUE)
            sheet.text(MARGIN_IN + max(reached, now) * scale + BAR_PAD_IN, top + 0.335, values[i])

    return Chart("funnel", title, alt, paint, height=_rows_height(len(stages), FUNNEL_ROW_IN))


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
        return _empty("time_in_stage", title, _("No candidates yet"))

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

    def paint(sheet: _Sheet) -> None:
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

    return Chart("time_in_stage", title, alt, paint, height=_rows_height(len(stages), STAGE_ROW_IN))


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
        return _empty("turnaround", title, _("No feedback answered yet"))

    parts = []
    for week, median, on_time, count in points:
        when = _("week of %(day)s") % {"day": _day(week)}
        if median is None:
            parts.append(_("%(week)s no answers") % {"week": when})
            continue
        details = [ngettext("%(count)s answer", "%(count)s answers", count) % {"count": count}]
        if on_time is not None:
            details.insert(0, _("%(percent)s on time") % {"percent": _percent(on_time)})
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

    def paint(sheet: _Sheet) -> None:
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
        on_time_shown = slot >= sheet.measure(_percent(1), SMALL) + 0.06 and any(
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
                sheet.text(xs[i], top - 0.15, _percent(on_time), color=MUTED, ha="center")
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


# --- drawing -----------------------------------------------------------------------------------

# Sizes in inches and points. The SVG's viewBox is in points and fills a phone's width (about
# 345 CSS px), so 9 pt text shows at about 11 px there; the email's PNG is 384 CSS px wide.
MARGIN_IN: Final = 0.12
CONTENT_IN: Final = WIDTH - 2 * MARGIN_IN
HEADING_IN: Final = 0.66  # above the rows: the title, then the legend
FUNNEL_ROW_IN: Final = 0.54
STAGE_ROW_IN: Final = 0.72
TURNAROUND_IN: Final = 2.6
BAR_PAD_IN: Final = 0.05
TITLE: Final = 12
LABEL: Final = 10
SMALL: Final = 9
SMALLEST: Final = 7  # a legend in a long language shrinks to fit, down to this


def _rows_height(rows: int, row_inches: float) -> float:
    return HEADING_IN + rows * row_inches + 0.05


class _Sheet:
    """Draws on a figure in inches from its top left corner, with figure-level artists only.

    Axes would bring tick machinery that costs more than the rest of a chart, and these charts
    need none of it: positions are simple, and every value is written out beside its mark."""

    def __init__(self, figure: "Figure") -> None:
        from matplotlib.transforms import Affine2D

        self.figure = figure
        height = figure.get_figheight()
        self.inches = Affine2D().scale(1, -1).translate(0, height) + figure.dpi_scale_trans

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = SMALL,
        color: str = INK,
        ha: str = "left",
        weight: str = "normal",
    ) -> None:
        self.figure.text(
            x,
            y,
            text,
            transform=self.inches,
            ha=ha,
            va="center_baseline",
            fontsize=size,
            fontweight=weight,
            fontfamily=FONT,
            color=color,
            parse_math=False,  # a stage named "$100k+ offers" is text, not TeX
        )

    def bar(self, top: float, height: float, length: float, colour: str) -> None:
        from matplotlib.patches import Rectangle

        if length > 0:
            self.figure.add_artist(
                Rectangle(
                    (MARGIN_IN, top),
                    length,
                    height,
                    transform=self.inches,
                    facecolor=colour,
                    linewidth=0,
                )
            )

    def line(
        self,
        xs: list[float],
        ys: list[float],
        colour: str,
        *,
        width: float,
        dashes: tuple[float, float] | None = None,
        marker: bool = False,
    ) -> None:
        from matplotlib.lines import Line2D

        line = Line2D(
            xs,
            ys,
            transform=self.inches,
            color=colour,
            linewidth=width,
            solid_capstyle="round",
            marker="o" if marker else "None",
            markersize=5,
        )
        if dashes:
            line.set_dashes(dashes)
        self.figure.add_artist(line)

    def heading(self, title: str) -> None:
        self.text(MARGIN_IN, 0.2, self.fit(title, TITLE, CONTENT_IN), size=TITLE, weight="bold")

    def legend(self, keys: list[tuple[str, str, str]], note: str = "") -> None:
        """Keys ("bar" | "line" | "dash", colour, meaning) on one line under the title, in a
        smaller size if a translation is too long for the width."""
        from matplotlib.patches import Rectangle

        key_widths = [0.15 if kind == "bar" else 0.27 for kind, _c, _m in keys]
        words = [meaning for _k, _c, meaning in keys] + ([note] if note else [])
        gaps = 0.18 * len(keys)
        natural = sum(self.measure(word, SMALL) for word in words)
        room = CONTENT_IN - sum(key_widths) - gaps
        size = max(SMALLEST, min(SMALL, SMALL * room / natural)) if natural else SMALL
        x, y = MARGIN_IN, 0.47
        for (kind, colour, meaning), key_width in zip(keys, key_widths, strict=True):
            if kind == "bar":
                self.figure.add_artist(
                    Rectangle(
                        (x, y - 0.05),
                        0.1,
                        0.1,
                        transform=self.inches,
                        facecolor=colour,
                        linewidth=0,
                    )
                )
            else:
                self.line(
                    [x, x + 0.22],
                    [y, y],
                    colour,
                    width=2 if kind == "line" else 1.2,
                    dashes=(4, 3) if kind == "dash" else None,
                )
            x += key_width
            self.text(x, y, meaning, size=size)
            x += self.measure(meaning, size) + 0.18
        if note:
            self.text(x, y, note, size=size, color=MUTED)

    @staticmethod
    def measure(text: str, size: float) -> float:
        """Inches `text` takes at `size` points, from the font's own metrics."""
        from matplotlib.font_manager import FontProperties
        from matplotlib.textpath import TextToPath

        width, _height, _descent = TextToPath().get_text_width_height_descent(
            text, FontProperties(family=FONT, size=size), ismath=False
        )
        return float(width) / 72

    def fit(self, text: str, size: float, room: float) -> str:
        """`text`, shortened with an ellipsis to fit `room` inches (the alt text has it all)."""
        if self.measure(text, size) <= room:
            return text
        # Characters are narrower than their size; a first guess from the average, then trim.
        cut = max(1, min(len(text), int(room * 72 / (size * 0.55))))
        while cut > 1 and self.measure(text[:cut].rstrip() + "…", size) > room:
            cut -= 1
        return text[:cut].rstrip() + "…"

    def bar_scale(self, values: list[float], labels: list[str]) -> float:
        """Inches per unit, so the longest bar and its label still fit the width."""
        room = CONTENT_IN - BAR_PAD_IN
        scales = [
            (room - self.measure(label, SMALL)) / value
            for value, label in zip(values, labels, strict=True)
            if value > 0
        ]
        return max(0.0, min(scales, default=0.0))


def _empty(name: str, title: str, message: str) -> Chart:
    def paint(sheet: _Sheet) -> None:
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


def _number(value: Any) -> float | None:
    """A finite, non-negative number, or None (no data)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


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


def _percent(share: float) -> str:
    return _("%(percent)s%%") % {"percent": round(share * 100)}


# --- SVG safe to inline under the page's Content-Security-Policy --------------------------------

_NUMBER = re.compile(r"(-?\d+\.\d\d)\d+")
_NO_ROTATION = re.compile(r"rotate\(-?0 [^)]*\)")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_COORDINATES = frozenset({"d", "x", "y", "transform", "points", "width", "height"})
_WITH_TEXT = frozenset({"text", "tspan"})


def _declarations(style: str) -> list[tuple[str, str]]:
    pairs = []
    for declaration in style.split(";"):
        prop, sep, value = declaration.partition(":")
        if sep and prop.strip() and value.strip():
            pairs.append((prop.strip(), value.strip()))
    return pairs


def _clean_svg(raw: bytes, *, name: str, title: str, alt: str) -> str:
    """matplotlib's SVG, made fit to sit inside a page:

    - style attributes and the <style> element become presentation attributes, because the
      CSP's `style-src 'self'` blocks inline styles;
    - no XML declaration, DOCTYPE or metadata;
    - ids renumbered with a prefix from the chart's content, so two charts on one page never
      share an id unless they are the same picture; ids nothing refers to are dropped;
    - 100% wide, viewBox kept; coordinates rounded to 1/100 pt, the font named once, no-op
      attributes and bare groups dropped, to keep the markup small.
    """
    source = ET.fromstring(raw)  # noqa: S314 (our own matplotlib output, not user input)
    referenced: set[str] = set()
    for element in source.iter():
        for key, value in element.attrib.items():
            if key in (XLINK_HREF, "href") and value.startswith("#"):
                referenced.add(value[1:])
            referenced.update(_URL_REF.findall(value))
    digest = hashlib.sha256(raw).hexdigest()[:8]
    renamed = {old: f"{name}-{digest}-{n}" for n, old in enumerate(sorted(referenced))}
    inherited: dict[str, str] = {}

    def attributes(element: ET.Element) -> dict[str, str]:
        pairs = [(k, v) for k, v in element.attrib.items() if k != "style"]
        pairs += _declarations(element.get("style", ""))
        result = {}
        for key, value in pairs:
            if key == XLINK_HREF:
                key = "href"
            if key == "id":
                if value not in renamed:
                    continue
                value = renamed[value]
            elif key == "href" and value[1:] in renamed:
                value = "#" + renamed[value[1:]]
            elif "url(#" in value:
                value = _URL_REF.sub(lambda match: f"url(#{renamed[match.group(1)]})", value)
            elif key == "font-family" or (key == "text-anchor" and value == "start"):
                continue  # the font is named once, on the root; "start" is the default
            elif key in _COORDINATES:
                value = _NUMBER.sub(r"\1", " ".join(value.split()))
                if key == "transform":
                    value = _NO_ROTATION.sub("", value).strip()
                    if not value:
                        continue
            result[key] = value
        return result

    def copy(parent: ET.Element, into: ET.Element) -> None:
        for child in parent:
            tag = child.tag.rpartition("}")[2]
            if tag == "metadata":
                continue
            if tag == "style":
                for selector, body in _RULE.findall(child.text or ""):
                    if selector.strip() == "*":
                        inherited.update(_declarations(body))
                continue
            values = attributes(child)
            if tag == "g" and not values:
                copy(child, into)
                continue
            element = ET.SubElement(into, tag, values)
            if tag in _WITH_TEXT:
                element.text = child.text
            copy(child, element)
            if tag == "defs" and not len(element):
                into.remove(element)

    # Namespaces are written by hand: ElementTree's default_namespace refuses plain attribute
    # names, and register_namespace would change global state.
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": source.get("viewBox", ""),
            "width": "100%",
            "role": "img",
            "aria-label": alt,
            "class": f"chart chart-{name}",
            "font-family": FONT_FAMILY,
        },
    )
    ET.SubElement(root, "title").text = title
    ET.SubElement(root, "desc").text = alt
    copy(source, root)
    for key, value in inherited.items():
        root.set(key, value)
    ET.indent(root, space="")
    return ET.tostring(root, encoding="unicode")
