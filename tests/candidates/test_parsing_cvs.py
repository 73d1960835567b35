"""The 65 real DOCX CVs (../shared/data/cv-docx, anonymised; two columns, tables, text boxes):
all are read, through the sandboxed reader, and field coverage stays above measured floors.

Measured with bench/parse_cvs.py (docs/bench/parsing.md); each floor is a little under it, so
a rule change that loses coverage fails here. Names, e-mails and phones were blanked out of
these CVs, so their floors are low by construction.
"""

from datetime import date

import pytest

from accord.candidates.parsing import ParsedResume, parse_resume
from tests.candidates import hostile

CV_FOLDER = hostile.SHARED_DATA / "cv-docx/CV"

pytestmark = pytest.mark.skipif(
    not CV_FOLDER.is_dir(), reason=f"{CV_FOLDER} is absent (../shared/data is not in this clone)"
)

FLOORS = {  # field: (measured, floor) out of 65
    "text": (65, 65),
    "email or phone": (8, 6),
    "links": (12, 10),
    "location": (31, 27),
    "headline": (58, 52),
    "work entries": (49, 44),
    "years of experience": (49, 44),
    "education": (50, 45),
    "skills section": (42, 38),
}


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParsedResume]:
    paths = sorted(CV_FOLDER.glob("*.docx"), key=lambda path: int(path.stem))
    assert len(paths) == 65
    return {path.name: parse_resume(path.read_bytes(), path.name) for path in paths}


def coverage(parsed: dict[str, ParsedResume]) -> dict[str, int]:
    def count(test: object) -> int:
        return sum(1 for resume in parsed.values() if test(resume))  # type: ignore[operator]

    return {
        "text": count(lambda r: len(r.text) > 300),
        "email or phone": count(lambda r: r.emails or r.phones),
        "links": count(lambda r: r.links),
        "location": count(lambda r: r.location),
        "headline": count(lambda r: r.headline),
        "work entries": count(lambda r: r.work),
        "years of experience": count(lambda r: r.years_experience is not None),
        "education": count(lambda r: r.education),
        "skills section": count(lambda r: "skills" in r.sections),
    }


def test_every_cv_is_read_and_coverage_stays_above_the_floors(
    parsed: dict[str, ParsedResume],
) -> None:
    found = coverage(parsed)
    below = {
        field: (found[field], floor)
        for field, (_m, floor) in FLOORS.items()
        if found[field] < floor
    }
    assert not below, f"coverage fell below the floors (found, floor): {below}"


def test_what_is_found_is_consistent(parsed: dict[str, ParsedResume]) -> None:
    today = date.today()
    for name, resume in parsed.items():
        assert resume.kind == "docx"
        if resume.years_experience is not None:
            assert 0 < resume.years_experience < 50, name
        for job in resume.work:
            assert job.start is not None, name
            assert job.start <= today, name
            assert job.current == (job.end is None), name
            assert job.end is None or job.start <= job.end, name
            # A job's text is lines of the resume, for attributing skills to it.
            assert job.text, name
            assert all(line in resume.text for line in job.text.splitlines()), name
        for entry in resume.education:
            assert entry.institution or entry.degree, name
            assert entry.end_year is None or 1950 <= entry.end_year <= today.year + 6, name
        for link in resume.links:
            assert link.startswith(("http://", "https://")), name
        assert ParsedResume.from_dict(resume.to_dict()) == resume
