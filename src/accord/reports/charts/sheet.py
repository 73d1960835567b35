"""Drawing a chart: the palette and sizes, matplotlib set up once per process, and `Sheet`,
which draws on a figure in inches with figure-level artists only."""

import sys
import threading
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
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


def rows_height(rows: int, row_inches: float) -> float:
    """Inches of a chart with a heading and `rows` rows."""
    return HEADING_IN + rows * row_inches + 0.05


class Sheet:
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


_setup_lock = threading.Lock()
_ready = False


def setup_matplotlib() -> None:
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
