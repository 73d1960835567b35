"""Each format read end to end through parse_resume (sniffing, the sandboxed reader): PDFs the
tests render from the JSON Resume sample with WeasyPrint in three layouts, the JSON Resume
itself, a Word file with a text box, a table and a header, and plain text in other encodings."""

import json
from datetime import date

import pytest

from accord.candidates.parsing import ParsedResume, parse_resume, sniff
from accord.lib.pdf import html_to_pdf
from tests.candidates import hostile

pytestmark = pytest.mark.skipif(
    not hostile.SAMPLE_RESUME.is_file(),
    reason=f"{hostile.SAMPLE_RESUME} is absent (../shared/data is not in this clone)",
)


def months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def expected_years() -> float:
    # Hooli 2012-06..2014-02 and Pied Piper 2013-12..2014-12 overlap: one period of 31 months;
    # Raviga Capital runs from 2015-03 to this month.
    today = date.today()
    return round(
        (months(date(2012, 6, 1), date(2014, 12, 1)) + months(date(2015, 3, 1), today)) / 12, 1
    )


@pytest.fixture(scope="module", params=hostile.LAYOUTS)
def rendered(request: pytest.FixtureRequest) -> tuple[str, ParsedResume]:
    layout = request.param
    data = html_to_pdf(hostile.render_html(hostile.sample_resume(), layout))
    assert sniff(data) == "pdf"
    return layout, parse_resume(data, f"richard-{layout}.pdf")


def test_a_rendered_pdf_gives_back_the_contact_details(rendered: tuple[str, ParsedResume]) -> None:
    _layout, parsed = rendered
    assert parsed.kind == "pdf"
    assert parsed.name == "Richard Hendriks"
    assert parsed.emails == ["richard.hendriks@mail.com"]
    assert parsed.phones == ["(912) 555-4321"]
    assert parsed.location == "San Francisco, California"
    assert parsed.links == ["http://richardhendricks.example.com"]


def test_a_rendered_pdf_gives_back_the_work_history(rendered: tuple[str, ParsedResume]) -> None:
    _layout, parsed = rendered
    assert [(job.title, job.employer, job.start, job.end, job.current) for job in parsed.work] == [
        ("Chief Technology Officer", "Raviga Capital", date(2015, 3, 1), None, True),
        ("CEO/President", "Pied Piper", date(2013, 12, 1), date(2014, 12, 1), False),
        ("Software Developer", "Hooli", date(2012, 6, 1), date(2014, 2, 1), False),
    ]
    assert "Weisman Scores" in parsed.work[1].text
    assert "Nucleus compression library" in parsed.work[2].text
    assert parsed.headline == "Chief Technology Officer"
    assert parsed.current_employer == "Raviga Capital"
    assert parsed.years_experience == expected_years()


def test_a_rendered_pdf_gives_back_education_summary_and_skills(
    rendered: tuple[str, ParsedResume],
) -> None:
    _layout, parsed = rendered
    assert [(e.institution, e.degree, e.field, e.end_year) for e in parsed.education] == [
        ("University of Oklahoma", "Bachelor", "Information Technology", 2014)
    ]
    assert parsed.summary.startswith("Richard hails from Tulsa.")
    assert "Web Development: HTML, CSS, Javascript" in parsed.text
    assert "Compression: Mpeg, MP4, GIF" in parsed.sections["skills"]


def test_the_sidebar_layout_keeps_its_columns_apart() -> None:
    data = html_to_pdf(hostile.render_html(hostile.sample_resume(), "sidebar"))
    lines = parse_resume(data).text.splitlines()
    # The sidebar is read in full before the main column, not line by line across both.
    assert lines.index("Education") < lines.index("Summary") < lines.index("Experience")
    # A line the narrow column wrapped is one line again.
    assert "Bachelor in Information Technology" in lines


def test_a_json_resume_maps_directly() -> None:
    resume = hostile.sample_resume()
    data = json.dumps(resume).encode()
    assert sniff(data) == "json"
    parsed = parse_resume(data, "resume.json")
    assert parsed.kind == "json"
    assert parsed.name == "Richard Hendriks"
    assert parsed.emails == ["richard.hendriks@mail.com"]
    assert parsed.phones == ["(912) 555-4321"]
    assert parsed.location == "San Francisco, California, US"
    assert parsed.links == [
        "http://richardhendricks.example.com",
        "https://www.twitter.com",
        "https://soundcloud.example.com/dandymusicnl",
    ]
    assert parsed.headline == "Chief Technology Officer"
    assert parsed.current_employer == "Raviga Capital"
    assert [(job.employer, job.start, job.end, job.current) for job in parsed.work] == [
        ("Raviga Capital", date(2015, 3, 1), None, True),
        ("Pied Piper", date(2013, 12, 1), date(2014, 12, 1), False),
        ("Hooli", date(2012, 6, 1), date(2014, 2, 1), False),
    ]
    assert parsed.years_experience == expected_years()
    assert [(e.institution, e.degree, e.field, e.end_year) for e in parsed.education] == [
        ("University of Oklahoma", "Bachelor", "Information Technology", 2014)
    ]
    # Skill names and keywords stay in the text for the skills extractor.
    assert "Web Development: HTML, CSS, Javascript" in parsed.text
    assert "GoogleMaps, Chrome Extension, Javascript" in parsed.text
    assert "Optimized an algorithm" in parsed.work[1].text


def test_a_word_file_with_a_text_box_a_table_and_a_header() -> None:
    parsed = parse_resume(hostile.structured_docx(), "jane.docx")
    assert parsed.name == "Jane Doe"  # the line in the largest type
    assert parsed.emails == ["jane.doe@example.com"]  # from the page header
    assert parsed.phones == ["+44 20 7946 0958"]
    assert parsed.links == ["https://github.com/janedoe"]  # a hyperlink's target
    # The text box is read once, not again from its VML fallback.
    assert parsed.text.count("Skills: Python, Kubernetes, PostgreSQL") == 1
    assert [(job.title, job.employer, job.current) for job in parsed.work] == [
        ("Senior Engineer", "Acme Ltd", True)
    ]
    assert [(e.institution, e.degree, e.field, e.end_year) for e in parsed.education] == [
        ("University of Leeds", "BSc", "Computer Science", 2014)
    ]


RESUME_TEXT = "José García\nDesarrollador - Backend Engineer\njosé@example.es, jose@example.es\n"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"]
)
def test_plain_text_in_common_encodings(encoding: str) -> None:
    data = RESUME_TEXT.encode(encoding)
    assert sniff(data) == "txt"
    parsed = parse_resume(data, "cv.txt")
    assert parsed.kind == "txt"
    assert parsed.name == "José García"
    assert parsed.emails == ["jose@example.es"]
    assert "josé@example.es" in parsed.text
    assert parsed.text.splitlines()[0] == "José García"
