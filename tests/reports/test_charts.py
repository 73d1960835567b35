"""The report's charts: inline SVG that a strict Content-Security-Policy accepts, PNG for email,
the same bytes for the same data, and no crash on empty, odd or random data."""

import io
import itertools
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from xml.etree import ElementTree as ET

import pdfplumber
import pytest
from django.conf import settings
from django.utils.csp import build_policy
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from accord.lib.pdf import html_to_pdf
from accord.reports import charts
from accord.reports.charts import Chart
from tests.browser.fixtures import new_page

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

FUNNEL = [
    {"label": "Applied", "reached": 30, "now": 5, "conversion": 0.4},
    {"label": "Screen", "reached": 12, "now": 4, "conversion": 0.5},
    {"label": "Manager review", "reached": 6, "now": 2, "conversion": 0.5},
    {"label": "Interview", "reached": 3, "now": 2, "conversion": 0.33},
    {"label": "Offer", "reached": 1, "now": 1, "conversion": None},
]
TIME_IN_STAGE = [
    {"label": "Applied", "median_days": 1.5, "current_days": 2.0},
    {"label": "Screen", "median_days": 3.5, "current_days": 6.0},
    {"label": "Manager review", "median_days": 2, "current_days": None},
    {"label": "Interview", "median_days": None, "current_days": 4.2},
]
WEEKS = [
    {"week": "2026-10-05", "median_days": 1.5, "on_time": 0.75, "count": 4},
    {"week": "2026-10-12", "median_days": 2.5, "on_time": 0.5, "count": 2},
    {"week": "2026-10-19", "median_days": None, "on_time": None, "count": 0},
    {"week": "2026-10-26", "median_days": 3.1, "on_time": 0.33, "count": 3},
    {"week": "2026-11-02", "median_days": None, "on_time": None, "count": 0},
    {"week": "2026-11-09", "median_days": 1.0, "on_time": 1.0, "count": 5},
    {"week": "2026-11-16", "median_days": 0.9, "on_time": 1, "count": 2},
]
REPORT = {
    "funnel": FUNNEL,
    "time_in_stage": TIME_IN_STAGE,
    "turnaround": {"weeks": WEEKS, "agreed_days": 2},
}


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg())  # noqa: S314 (our own output)


def texts(chart: Chart) -> list[str]:
    return [element.text or "" for element in parse(chart).iter(f"{SVG}text")]


def paths(chart: Chart, **attributes: str) -> list[ET.Element]:
    return [
        path
        for path in parse(chart).iter(f"{SVG}path")
        if all(path.get(key) == value for key, value in attributes.items())
    ]


def png_size(chart: Chart) -> tuple[int, int]:
    with Image.open(io.BytesIO(chart.png())) as image:
        return image.size


# --- the SVG -------------------------------------------------------------------------------------


def test_the_report_has_its_three_charts_in_order() -> None:
    funnel, time_in_stage, turnaround = charts.for_report(REPORT)
    assert [funnel.name, time_in_stage.name, turnaround.name] == [
        "funnel",
        "time_in_stage",
        "turnaround",
    ]
    assert [funnel.title, time_in_stage.title, turnaround.title] == [
        "Funnel",
        "Time in stage",
        "Feedback turnaround",
    ]


@pytest.mark.parametrize("chart", charts.for_report(REPORT), ids=lambda chart: chart.name)
def test_the_svg_is_an_accessible_element_for_inline_html(chart: Chart) -> None:
    markup = chart.svg()
    assert markup.startswith("<svg ")
    assert "<?xml" not in markup
    assert "DOCTYPE" not in markup
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == chart.alt
    assert root.find(f"{SVG}title") is not None
    assert root.findtext(f"{SVG}title") == chart.title
    assert root.findtext(f"{SVG}desc") == chart.alt
    # Responsive: as wide as its container, the height following from the viewBox.
    assert root.get("width") == "100%"
    assert root.get("height") is None
    view_box = [float(n) for n in root.get("viewBox", "").split()]
    assert view_box[:2] == [0, 0]
    assert view_box[2] == charts.WIDTH * 72
    assert view_box[3] == pytest.approx(chart.height * 72)
    assert len(markup) < 12_000  # text stays text


@pytest.mark.parametrize(
    "chart",
    [*charts.for_report(REPORT), *charts.for_report({})],
    ids=lambda chart: chart.name,
)
def test_the_svg_needs_no_inline_style_or_script(chart: Chart) -> None:
    """style-src 'self' forbids style attributes and <style> elements in the page."""
    root = parse(chart)
    for element in root.iter():
        local = element.tag.removeprefix(SVG)
        assert local not in {"style", "script", "foreignObject", "metadata", "image"}
        for key, value in element.attrib.items():
            assert key != "style"
            assert not key.lower().startswith("on")
            assert "javascript:" not in value.lower()
            if key.endswith("href"):
                assert value.startswith("#")  # nothing fetched from elsewhere


def test_ids_resolve_within_each_chart_and_never_collide_between_charts() -> None:
    seen: set[str] = set()
    for chart in charts.for_report(REPORT):
        root = parse(chart)
        ids = [element.get("id") for element in root.iter() if element.get("id")]
        assert len(ids) == len(set(ids))
        assert not seen & set(ids)
        seen |= {str(i) for i in ids}
        references = re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', chart.svg())
        for reference in references:
            assert "".join(reference) in ids


def test_the_funnel_writes_counts_and_conversions_as_text() -> None:
    chart = charts.funnel(FUNNEL)
    drawn = texts(chart)
    for label in ("Funnel", "Applied", "Screen", "Manager review", "Interview", "Offer"):
        assert label in drawn
    assert "30 · 5 now" in drawn
    assert "1 · 1 now" in drawn
    assert [t for t in drawn if t.endswith("→")] == ["40% →", "50% →", "50% →", "33% →"]
    assert chart.alt == (
        "Funnel by stage: Applied 30 reached, 5 there now, 40% moved on; "
        "Screen 12 reached, 4 there now, 50% moved on; "
        "Manager review 6 reached, 2 there now, 50% moved on; "
        "Interview 3 reached, 2 there now, 33% moved on; "
        "Offer 1 reached, 1 there now."
    )


def test_the_funnel_bars_are_as_long_as_the_counts() -> None:
    chart = charts.funnel(FUNNEL)
    light = [_width(path) for path in paths(chart, fill=charts.BLUE_LIGHT)[1:]]  # [0]: legend
    dark = [_width(path) for path in paths(chart, fill=charts.BLUE)[1:]]
    assert len(light) == len(dark) == len(FUNNEL)
    unit = light[0] / 30
    assert light == pytest.approx([unit * row["reached"] for row in FUNNEL], abs=0.02)
    assert dark == pytest.approx([unit * row["now"] for row in FUNNEL], abs=0.02)


def _width(path: ET.Element) -> float:
    xs = [float(n) for n in re.findall(r"[ML] (-?[\d.]+) ", path.get("d", ""))]
    return max(xs) - min(xs)


def test_time_in_stage_writes_days_and_marks_missing_values() -> None:
    chart = charts.time_in_stage(TIME_IN_STAGE)
    drawn = texts(chart)
    assert {"Applied", "Screen", "Manager review", "Interview"} <= set(drawn)
    assert {"1.5 days", "2 days", "3.5 days", "6 days", "4.2 days"} <= set(drawn)
    assert drawn.count("–") == 2  # nobody in manager review now; no history of interviews
    assert len(paths(chart, fill=charts.BLUE)) == 1 + 3  # the legend's key, then three bars
    assert len(paths(chart, fill=charts.ORANGE)) == 1 + 3
    assert chart.alt == (
        "Median days spent in each stage, and how long those there now have waited: "
        "Applied 1.5 days, waiting now 2 days; Screen 3.5 days, waiting now 6 days; "
        "Manager review 2 days, nobody there now; Interview no history, waiting now 4.2 days."
    )


def test_turnaround_draws_weeks_without_answers_as_gaps() -> None:
    chart = charts.turnaround(WEEKS, agreed_days=2)
    drawn = texts(chart)
    # Every other week is named, back from the latest, so that the names never touch.
    assert [t for t in drawn if re.fullmatch(r"\d+ \w{3}", t)] == [
        "5 Oct",
        "19 Oct",
        "2 Nov",
        "16 Nov",
    ]
    assert [t for t in drawn if t.endswith("%")] == ["75%", "50%", "33%", "100%", "100%"]
    assert "Agreed" in drawn
    lines = paths(chart, stroke=charts.BLUE, fill="none")
    [trend] = [line for line in lines if len(re.findall("[ML]", line.get("d", ""))) > 2]
    # Three runs of answered weeks: 5–12 Oct, 26 Oct alone, 9–16 Nov.
    assert trend.get("d", "").count("M") == 3
    assert trend.get("d", "").count("L") == 2
    assert len(list(parse(chart).iter(f"{SVG}use"))) == 5  # a dot per answered week
    dashed = [p for p in paths(chart, stroke=charts.MUTED) if p.get("stroke-dasharray")]
    assert len(dashed) == 2  # the agreed turnaround and its legend key
    assert chart.alt == (
        "Feedback turnaround, median days from request to answer by week, agreed 2 days: "
        "week of 5 Oct 1.5 days (75% on time, 4 answers); "
        "week of 12 Oct 2.5 days (50% on time, 2 answers); week of 19 Oct no answers; "
        "week of 26 Oct 3.1 days (33% on time, 3 answers); week of 2 Nov no answers; "
        "week of 9 Nov 1 day (100% on time, 5 answers); "
        "week of 16 Nov 0.9 days (100% on time, 2 answers)."
    )


def test_turnaround_without_an_agreement_has_no_agreed_line() -> None:
    chart = charts.turnaround(WEEKS, agreed_days=None)
    assert "Agreed" not in texts(chart)
    assert not [p for p in paths(chart) if p.get("stroke-dasharray")]
    assert "agreed" not in chart.alt


def test_turnaround_over_a_year_thins_its_labels_and_leaves_the_shares_to_the_alt_text() -> None:
    weeks = [
        {"week": f"2026-{1 + n // 4:02d}-{1 + 7 * (n % 4):02d}", "median_days": 1 + n % 3}
        | {"on_time": 0.5, "count": 2}
        for n in range(48)
    ]
    chart = charts.turnaround(weeks, agreed_days=2)
    drawn = texts(chart)
    named = [
        (float(text.get("x", "")), text.text)
        for text in parse(chart).iter(f"{SVG}text")
        if re.fullmatch(r"\d+ \w{3}", text.text or "")
    ]
    assert named[-1][1] == "22 Dec"  # the latest week is always named
    assert 4 <= len(named) <= 8
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(named)]
    assert min(gaps) >= 36  # points: half an inch, wider than "22 Dec"
    assert not [t for t in drawn if t.endswith("%")]
    assert "% on time" not in drawn
    assert chart.alt.count("50% on time") == 48


def test_a_label_is_text_not_tex_markup_nor_markup() -> None:
    rows = [
        {"label": "$100k+ $offers", "reached": 2, "now": 1, "conversion": 0.5},
        {"label": "<b>Tech & talk</b>\x00\x1b", "reached": 1, "now": 1, "conversion": None},
    ]
    rows.append({"label": '"><script>alert(1)</script>', "reached": 1, "now": 0})
    chart = charts.funnel(rows)
    drawn = texts(chart)
    assert "$100k+ $offers" in drawn
    assert "<b>Tech & talk</b>" in drawn
    assert "&lt;b&gt;Tech &amp; talk&lt;/b&gt;" in chart.svg()
    # Stage names are people's text: escaped in the drawing and in the aria-label alike.
    root = parse(chart)
    assert '"><script>alert(1)</script>' in drawn
    assert '"><script>alert(1)</script>' in root.get("aria-label", "")
    assert not list(root.iter(f"{SVG}script"))
    assert "<script" not in chart.svg()


def test_a_long_label_is_shortened_in_the_picture_but_whole_in_the_alt_text() -> None:
    name = "Second interview with the whole engineering leadership team, on site"
    chart = charts.funnel([{"label": name, "reached": 3, "now": 3, "conversion": 0.5}])
    [shortened] = [text for text in texts(chart) if text.startswith("Second")]
    assert shortened.endswith("…")
    assert name.startswith(shortened.removesuffix("…"))
    assert len(shortened) > 30
    assert name in chart.alt


# --- empty and small data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chart", "message"),
    [
        (charts.funnel([]), "No candidates yet"),
        (
            charts.funnel([{"label": "Applied", "reached": 0, "now": 0, "conversion": None}]),
            "No candidates yet",
        ),
        (charts.time_in_stage([]), "No candidates yet"),
        (
            charts.time_in_stage([{"label": "Screen", "median_days": None, "current_days": None}]),
            "No candidates yet",
        ),
        (charts.turnaround([], None), "No feedback answered yet"),
        (charts.turnaround(WEEKS[2:3], 2), "No feedback answered yet"),
    ],
    ids=["funnel", "funnel-zeros", "time", "time-nones", "turnaround", "turnaround-nones"],
)
def test_no_data_says_so(chart: Chart, message: str) -> None:
    assert message in texts(chart)
    assert chart.alt == message + "."
    assert chart.png().startswith(PNG_SIGNATURE)


def test_an_empty_report_still_has_three_charts() -> None:
    empty = charts.for_report({})
    assert [chart.name for chart in empty] == ["funnel", "time_in_stage", "turnaround"]
    for chart in empty:
        assert parse(chart).get("role") == "img"


@pytest.mark.parametrize(
    "chart",
    [
        charts.funnel(FUNNEL[-1:]),
        charts.time_in_stage(TIME_IN_STAGE[:1]),
        charts.turnaround(WEEKS[:1], 2),
        charts.turnaround(WEEKS[:1], None),
    ],
    ids=["funnel", "time", "turnaround", "turnaround-unagreed"],
)
def test_one_row_is_enough(chart: Chart) -> None:
    assert len(texts(chart)) >= 3
    assert chart.png().startswith(PNG_SIGNATURE)


# --- the PNG -------------------------------------------------------------------------------------


@pytest.mark.parametrize("chart", charts.for_report(REPORT), ids=lambda chart: chart.name)
def test_the_png_is_twice_the_css_size_small_and_on_white(chart: Chart) -> None:
    data = chart.png()
    assert data.startswith(PNG_SIGNATURE)
    assert 3_000 < len(data) < 60_000
    assert png_size(chart) == (chart.width_px * 2, chart.height_px * 2)
    assert chart.width_px == 384
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
        assert rgb.getpixel((0, 0)) == (255, 255, 255)  # no grey box on a white email
        colours = {colour for _count, colour in rgb.getcolors(maxcolors=256) or []}
    assert (13, 110, 253) in colours  # the app's blue, exactly


def test_a_long_funnel_stays_under_the_email_budget() -> None:
    rows = [
        {"label": f"Stage number {n} of a long pipeline", "reached": 200 - n, "now": n}
        | {"conversion": 0.9}
        for n in range(15)
    ]
    chart = charts.funnel(rows)
    assert len(chart.png()) < 60_000
    assert png_size(chart)[1] == chart.height_px * 2


# --- the same data, the same bytes ---------------------------------------------------------------


def test_the_same_data_draws_the_same_bytes() -> None:
    first = charts.for_report(REPORT)
    again = charts.for_report(REPORT)  # new Chart objects: nothing cached between them
    assert [c.svg() for c in first] == [c.svg() for c in again]
    assert [c.png() for c in first] == [c.png() for c in again]
    different = charts.funnel([{**FUNNEL[0], "reached": 31}, *FUNNEL[1:]])
    assert different.svg() != first[0].svg()


def test_charts_drawn_in_parallel_threads_match_the_serial_ones() -> None:
    serial = [(chart.svg(), chart.png()) for chart in charts.for_report(REPORT)]

    def draw(_n: int) -> list[tuple[str, bytes]]:
        return [(chart.svg(), chart.png()) for chart in charts.for_report(REPORT)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(draw, range(8)))
    assert all(result == serial for result in results)


# --- random data ---------------------------------------------------------------------------------

labels = st.text(max_size=60)
days = st.none() | st.floats(min_value=0, max_value=10_000, allow_nan=False)
shares = st.none() | st.floats(min_value=0, max_value=1)
funnel_rows = st.lists(
    st.fixed_dictionaries(
        {
            "label": labels,
            "reached": st.integers(min_value=0, max_value=100_000),
            "now": st.integers(min_value=0, max_value=100_000),
            "conversion": shares,
        }
    ),
    max_size=12,
)
stage_rows = st.lists(
    st.fixed_dictionaries({"label": labels, "median_days": days, "current_days": days}),
    max_size=12,
)
week_rows = st.lists(
    st.fixed_dictionaries(
        {
            "week": st.dates().map(lambda day: day.isoformat()),
            "median_days": days,
            "on_time": shares,
            "count": st.integers(min_value=0, max_value=1000),
        }
    ),
    max_size=60,
)


def _renders(chart: Chart) -> None:
    root = parse(chart)
    assert root.get("aria-label") == chart.alt
    assert chart.alt
    assert "style=" not in chart.svg()
    assert chart.png().startswith(PNG_SIGNATURE)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=funnel_rows)
def test_any_funnel_draws(rows: list[dict[str, Any]]) -> None:
    _renders(charts.funnel(rows))


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=stage_rows)
@example(rows=[{"label": "", "median_days": None, "current_days": 2.225073858507203e-309}])
def test_any_time_in_stage_draws(rows: list[dict[str, Any]]) -> None:
    _renders(charts.time_in_stage(rows))


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weeks=week_rows, agreed=days)
def test_any_turnaround_draws(weeks: list[dict[str, Any]], agreed: float | None) -> None:
    _renders(charts.turnaround(weeks, agreed))


@pytest.mark.parametrize(
    "data",
    [
        {"funnel": None, "time_in_stage": None, "turnaround": None},
        {"turnaround": {"weeks": [{"week": "not a date", "median_days": "x"}]}},
        {"funnel": [{"label": None, "reached": -3, "now": "2", "conversion": float("nan")}]},
        {"time_in_stage": [{"label": 7, "median_days": float("inf"), "current_days": True}]},
    ],
)
def test_malformed_snapshots_draw_rather_than_crash(data: dict[str, Any]) -> None:
    for chart in charts.for_report(data):
        _renders(chart)


# --- where the charts are shown ------------------------------------------------------------------


def test_weasyprint_draws_the_svg_into_the_pdf() -> None:
    figures = "".join(f"<figure>{chart.svg()}</figure>" for chart in charts.for_report(REPORT))
    pdf = html_to_pdf(f"<!doctype html><html><body><h1>Status</h1>{figures}</body></html>")
    assert pdf.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(page.extract_text() or "" for page in document.pages)
        shapes = sum(len(page.rects) + len(page.curves) for page in document.pages)
    for word in ("Funnel", "Applied", "30 · 5 now", "Feedback turnaround", "40%", "16 Nov"):
        assert word in text
    assert shapes > 20  # the bars and the trend, drawn as vectors


@pytest.mark.browser
def test_a_browser_shows_the_svg_under_the_apps_csp(page: Any, viewport: dict[str, int]) -> None:
    """The page's own policy, from settings; a style attribute (matplotlib's own output) is
    reported as a violation, so the check can fail."""
    policy = build_policy(settings.SECURE_CSP)
    origin = "http://accord.test"
    figures = "".join(f"<figure>{chart.svg()}</figure>" for chart in charts.for_report(REPORT))
    pages = {
        "/": f"<!doctype html><html><body><main>{figures}</main></body></html>",
        "/styled": (
            '<!doctype html><html><body><svg viewBox="0 0 10 10">'
            '<rect width="5" height="5" style="fill: red"/></svg></body></html>'
        ),
    }
    page.context.route(
        f"{origin}/**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": policy},
            body=pages[route.request.url.removeprefix(origin)],
        ),
    )
    page.goto(f"{origin}/")
    figures_shown = page.locator("figure").all()
    assert len(figures_shown) == 3
    for figure in figures_shown:
        box, room = figure.locator("svg").bounding_box(), figure.bounding_box()
        assert box["width"] == pytest.approx(room["width"], abs=1)  # responsive
        assert box["height"] > 0.25 * box["width"]  # the viewBox's proportions
    assert page.get_by_role("img", name=charts.for_report(REPORT)[0].alt).count() == 1

    control_errors: list[str] = []
    control = new_page(page.context.browser, viewport, control_errors)
    control.context.route(
        f"{origin}/**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": policy},
            body=pages["/styled"],
        ),
    )
    control.goto(f"{origin}/styled")
    control.wait_for_timeout(200)
    control.context.close()
    assert control_errors, "a style attribute should break the policy"
