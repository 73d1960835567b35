"""The rules that read fields out of resume text: dates and ranges, years of experience,
contacts, names, sections, jobs and schooling. Pure functions, run in-process."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.candidates.parsing import ParsedResume, sniff
from accord.candidates.parsing.dates import find_ranges, years_of_experience
from accord.candidates.parsing.errors import Failure, Reason
from accord.candidates.parsing.fields import emails, links, normalise_lines, phones
from accord.candidates.parsing.pipeline import from_text
from accord.candidates.parsing.sections import heading, stated_years
from tests.candidates import hostile

TODAY = date(2025, 6, 15)


def one_range(text: str) -> tuple[date, date | None, bool]:
    found = find_ranges(text, today=TODAY)
    assert len(found) == 1, (text, found)
    return found[0].start, found[0].end, found[0].current


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 2019 – Present", (date(2019, 1, 1), None, True)),
        ("2016-2018", (date(2016, 1, 1), date(2018, 1, 1), False)),
        ("03/2017 - 11/2019", (date(2017, 3, 1), date(2019, 11, 1), False)),
        ("May 2015 to now", (date(2015, 5, 1), None, True)),
        ("Sept. 2018 — Feb. 2020", (date(2018, 9, 1), date(2020, 2, 1), False)),
        ("2017-03 – 2019-11", (date(2017, 3, 1), date(2019, 11, 1), False)),
        ("since 2020", (date(2020, 1, 1), None, True)),
        ("Summer 2019 - Fall 2019", (date(2019, 6, 1), date(2019, 9, 1), False)),
        ("Jan '19 - Feb '20", (date(2019, 1, 1), date(2020, 2, 1), False)),
        ("2019 - 2019", (date(2019, 1, 1), date(2019, 12, 1), False)),
        ("March 2016 February 2017", (date(2016, 3, 1), date(2017, 2, 1), False)),
        ("4/2016 5/2022, Motorola", (date(2016, 4, 1), date(2022, 5, 1), False)),
        ("February 2017 Present", (date(2017, 2, 1), None, True)),
        ("2008 2022 GPB, financial company", (date(2008, 1, 1), date(2022, 1, 1), False)),
        ("20182020 Yandex", (date(2018, 1, 1), date(2020, 1, 1), False)),
        ("Developer (2017 2021)", (date(2017, 1, 1), date(2021, 1, 1), False)),
        ("2021 –", (date(2021, 1, 1), None, True)),
    ],
)
def test_date_ranges_as_resumes_write_them(
    text: str, expected: tuple[date, date | None, bool]
) -> None:
    assert one_range(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Call 054-2019-333",
        "SharePoint 2010 and 2019",
        "in 2016 2018 we shipped",
        "2019 - 2017",  # ends before it starts
        "Jan 2030 - Present",  # starts in the future
        "version 1.2019",
    ],
)
def test_things_that_are_not_date_ranges(text: str) -> None:
    assert find_ranges(text, today=TODAY) == []


_MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()  # noqa: SIM905
_FORMATS = {
    "name": lambda d: f"{_MONTH_NAMES[d.month - 1]} {d.year}",
    "long": lambda d: f"{d.strftime('%B')} {d.year}",
    "slash": lambda d: f"{d.month:02d}/{d.year}",
    "iso": lambda d: f"{d.year}-{d.month:02d}",
    "dot": lambda d: f"{d.month}.{d.year}",
}
_SEPARATORS = [" - ", " – ", " — ", "–", " to ", " until ", " through ", " ~ "]
_PRESENT = ["Present", "present", "now", "Current", "today", "to date", "ongoing"]

months = st.builds(date, st.integers(1955, 2024), st.integers(1, 12), st.just(1))


@given(
    start=months,
    length=st.one_of(st.none(), st.integers(0, 240)),
    style=st.sampled_from(sorted(_FORMATS)),
    separator=st.sampled_from(_SEPARATORS),
    present=st.sampled_from(_PRESENT),
    before=st.sampled_from(["", "Engineer, Acme Ltd ", "• ", "(", "Acme | "]),
)
def test_any_written_range_is_read_back(
    start: date, length: int | None, style: str, separator: str, present: str, before: str
) -> None:
    render = _FORMATS[style]
    if length is None:
        end, written = None, present
    else:
        total = start.year * 12 + start.month - 1 + length
        end = date(min(total // 12, TODAY.year), total % 12 + 1, 1)
        if end < start:
            end = start
        written = render(end)
    text = f"{before}{render(start)}{separator}{written}{')' if before == '(' else ''}"
    assert one_range(text) == (start, end, end is None)


def test_years_of_experience_merge_overlaps_and_run_current_jobs_to_today() -> None:
    ranges = [
        *find_ranges("Jan 2010 - Dec 2012", today=TODAY),
        *find_ranges("Jun 2012 - Mar 2013", today=TODAY),  # overlaps: counted once
        *find_ranges("Jan 2024 - Present", today=TODAY),  # to June 2025
    ]
    assert years_of_experience(ranges, today=TODAY) == round((39 + 18) / 12, 1)
    assert years_of_experience([], today=TODAY) is None


@given(st.lists(st.tuples(months, st.integers(0, 120)), min_size=1, max_size=6))
def test_years_never_exceed_the_span_nor_the_sum(periods: list[tuple[date, int]]) -> None:
    text = []
    total = 0
    for start, length in periods:
        index = start.year * 12 + start.month - 1 + length
        end = (
            date(min(index // 12, TODAY.year), index % 12 + 1, 1)
            if index // 12 <= TODAY.year
            else TODAY
        )
        end = max(end, start)
        text.append(f"{start.month:02d}/{start.year} - {end.month:02d}/{end.year}")
        total += (end.year - start.year) * 12 + end.month - start.month + 1
    ranges = [found for line in text for found in find_ranges(line, today=TODAY)]
    first = min(found.start for found in ranges)
    last = max(found.end or TODAY for found in ranges)
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    years = years_of_experience(ranges, today=TODAY)
    assert years is not None
    assert years <= round(min(span, total) / 12, 1)
    assert years >= round(
        max(
            (e.year - s.year) * 12 + e.month - s.month + 1
            for s, e in ((f.start, f.end or TODAY) for f in ranges)
        )
        / 12,
        1,
    )


def test_contacts() -> None:
    text = (
        "Jane Doe · jane.doe@example.com · JANE.DOE@example.com\n"
        "Phone: 054-555-1234 | Mobile +44 20 7946 0958\n"
        "linkedin.com/in/janedoe, https://github.com/jane-doe). www.janedoe.dev\n"
        "2016 - 2018 Engineer"
    )
    lines = normalise_lines(text)
    assert emails(text, ["mailto:jd@example.org?subject=Hi"]) == [
        "jane.doe@example.com",
        "jd@example.org",
    ]
    assert phones(lines) == ["+44 20 7946 0958", "054-555-1234"]
    assert phones(lines, region="IL") == ["054-555-1234", "+44 20 7946 0958"]
    assert links(text, ["https://gitlab.com/jane"]) == [
        "https://linkedin.com/in/janedoe",
        "https://github.com/jane-doe",
        "https://www.janedoe.dev",
        "https://gitlab.com/jane",
    ]


@pytest.mark.parametrize(
    ("line", "section"),
    [
        ("EXPERIENCE", "experience"),
        ("Work history:", "experience"),
        ("Professional Experience", "experience"),
        ("W O R K  E X P E R I E N C E", "experience"),
        ("Employment History", "experience"),
        ("Education & Training", "education"),
        ("Technical Skills", "skills"),
        ("Skills & Expertise", "skills"),
        ("About me", "summary"),
        ("Languages: English, Hebrew", "languages"),
        ("Contact", "contact"),
    ],
)
def test_headings(line: str, section: str) -> None:
    found = heading(normalise_lines(line)[0])
    assert found is not None
    assert found[0] == section


@pytest.mark.parametrize(
    "line",
    [
        "Programming languages: Java, Python",  # a skills line, not the Languages section
        "Skills: React, Redux",  # a label inside a job
        "volunteer.",
        "Experience in C, C++ and C# programming",
        "I have 6+ years of experience in server-side development.",
    ],
)
def test_lines_that_are_not_headings(line: str) -> None:
    assert heading(line) is None


TEXT_RESUME = """\
Name: Ana María López
Senior Data Engineer
Location: Lisbon, Portugal
ana.lopez@example.pt | +351 912 345 678

Summary
Data engineer with 8+ years of experience building pipelines.

Work Experience
Senior Data Engineer — Feedzai
Jan 2020 – Present
• Built streaming pipelines in Kafka and Flink.
2016-2019: Data Engineer, Farfetch Ltd (Porto, Portugal)
• Owned the product catalogue's ETL.
Analyst
Banco BPI
03/2014 - 12/2015
• Reports in SQL.

Education
MSc in Computer Science, University of Porto, 2013
BSc in Mathematics
Universidade de Lisboa (2008 - 2011)

Skills
Python, SQL, Kafka
"""


def test_a_text_resume_end_to_end() -> None:
    parsed = from_text("txt", TEXT_RESUME, today=TODAY)
    assert parsed.name == "Ana María López"
    assert parsed.location == "Lisbon, Portugal"
    assert parsed.emails == ["ana.lopez@example.pt"]
    assert parsed.phones == ["+351 912 345 678"]
    assert parsed.headline == "Senior Data Engineer"
    assert parsed.current_employer == "Feedzai"
    assert parsed.summary == "Data engineer with 8+ years of experience building pipelines."
    assert parsed.years_stated == 8
    assert [(j.title, j.employer, j.start, j.end, j.current) for j in parsed.work] == [
        ("Senior Data Engineer", "Feedzai", date(2020, 1, 1), None, True),
        ("Data Engineer", "Farfetch Ltd", date(2016, 1, 1), date(2019, 1, 1), False),
        ("Analyst", "Banco BPI", date(2014, 3, 1), date(2015, 12, 1), False),
    ]
    assert parsed.work[0].text.endswith("Built streaming pipelines in Kafka and Flink.")
    assert "ETL" in parsed.work[1].text
    assert parsed.work[2].text.startswith("Analyst\nBanco BPI")
    # 2014-03..2015-12 (22 months), 2016-01..2019-01 (37), 2020-01..2025-06 (66).
    assert parsed.years_experience == round((22 + 37 + 66) / 12, 1)
    assert [(e.institution, e.degree, e.field, e.end_year) for e in parsed.education] == [
        ("University of Porto", "MSc", "Computer Science", 2013),
        ("Universidade de Lisboa", "BSc", "Mathematics", 2011),
    ]
    assert parsed.sections["skills"] == "Python, SQL, Kafka"


def test_a_name_comes_from_the_file_name_when_the_text_has_none() -> None:
    parsed = from_text("txt", "Backend developer\nPython, Go", filename="jane_doe_CV.pdf")
    assert parsed.name == "Jane Doe"
    assert from_text("txt", "Backend developer", filename="cv_final.pdf").name == ""


def test_a_headline_comes_from_the_top_lines_without_a_current_job() -> None:
    parsed = from_text("txt", "Jane Doe\nSenior Java Developer\n\nSkills\nJava")
    assert parsed.name == "Jane Doe"
    assert parsed.headline == "Senior Java Developer"
    assert parsed.work == []
    assert parsed.years_experience is None


def test_stated_years() -> None:
    assert stated_years("3+ years of experience FullStack and 5+ total experience") == 3
    assert stated_years("Over 10 years’ professional experience") == 10
    assert stated_years("Java 8, 11 and 17") is None


def test_text_with_no_words_is_refused() -> None:
    with pytest.raises(Failure) as caught:
        from_text("txt", " \n—\n* * *")
    assert caught.value.reason is Reason.NO_TEXT


def test_parsed_resume_round_trips_through_json() -> None:
    parsed = from_text("txt", TEXT_RESUME, today=TODAY)
    data = parsed.to_dict()
    assert data["work"][0]["start"] == "2020-01-01"
    assert ParsedResume.from_dict(data) == parsed
    assert (
        ParsedResume.from_dict({"kind": "txt", "work": [{"start": "nonsense"}], "x": 1})
        .work[0]
        .start
        is None
    )


@pytest.mark.parametrize(
    ("build", "kind"),
    [
        (hostile.resume_pdf, "pdf"),
        (lambda: b"\n\n" + b"junk" * 10 + hostile.resume_pdf(), "pdf"),  # junk before %PDF-
        (hostile.resume_docx, "docx"),
        (hostile.structured_docx, "docx"),
        (lambda: "Jane Doe\nEngineer".encode("utf-16"), "txt"),
        (lambda: "Jane Doe\nEngineer".encode("utf-16-le"), "txt"),  # no BOM
        (lambda: b'  {"basics": {"name": "Jane"}}', "json"),
        (lambda: b"[Jane Doe]\nEngineer", "txt"),
    ],
)
def test_sniff_looks_at_content(build, kind: str) -> None:  # type: ignore[no-untyped-def]
    assert sniff(build()) == kind


def test_a_name_leading_the_first_line() -> None:
    parsed = from_text("txt", "Jane Doe | Backend Engineer | jane@example.com\nPython, Go")
    assert parsed.name == "Jane Doe"
    assert from_text("txt", "Senior Backend Engineer | jane@example.com\nPython").name == ""


def test_a_heading_with_a_note_in_parentheses() -> None:
    assert heading("Experience (5 years)") == ("experience", "")
    assert heading("Sber Technologies") is None  # a company, though "technologies" heads skills


@pytest.mark.parametrize(
    ("line", "degree", "field"),
    [
        ("MSc in Computer Science", "MSc", "Computer Science"),
        ("Bachelor of Science in Physics", "Bachelor of Science", "Physics"),
        ("B.S. Computer Science", "B.S.", "Computer Science"),
        ("Master's degree, Economics", "Master's degree", "Economics"),
        ("master's degree in Information Technology.", "master's degree", "Information Technology"),
        ("PhD in Chemistry, MIT, 2010", "PhD", "Chemistry"),
        (
            "Bachelor's Degree Software engineering at Moscow Tech",
            "Bachelor's Degree",
            "Software engineering",
        ),
        ("MBA", "MBA", ""),
    ],
)
def test_degrees_and_fields(line: str, degree: str, field: str) -> None:
    [entry] = from_text("txt", f"Education\n{line}", today=TODAY).education
    assert (entry.degree, entry.field) == (degree, field)


def test_schools_with_and_without_a_school_word() -> None:
    text = (
        "Education\n2012 2016 Tver State Technical University, B.Sc. in Informatics\n"
        "Master of Design, Elisava, 2018\n"
    )
    assert [
        (e.institution, e.degree, e.field, e.end_year) for e in from_text("txt", text).education
    ] == [
        ("Tver State Technical University", "B.Sc", "Informatics", 2016),
        ("Elisava", "Master", "Design", 2018),
    ]


def test_jobs_dated_by_a_single_date() -> None:
    text = (
        "Jane Doe — Updated: 20/06/2022\n\nExperience\n"
        "Software Engineer Intern, Summer 2017\nMicrosoft\n"
        "Front-End Developer - 2016\nTrucknet Ltd\n"
    )
    parsed = from_text("txt", text, today=TODAY)
    assert [(j.title, j.employer, j.start, j.end) for j in parsed.work] == [
        ("Software Engineer Intern", "Microsoft", date(2017, 6, 1), date(2017, 8, 1)),
        ("Front-End Developer", "Trucknet Ltd", date(2016, 1, 1), date(2016, 12, 1)),
    ]
    assert parsed.years_experience == round((3 + 12) / 12, 1)


def test_links_are_web_addresses() -> None:
    text = "www./Aruba · https://bücher.de/jane · http://localhost:8000 · github.com/jane"
    assert links(text) == ["https://bücher.de/jane", "https://github.com/jane"]
