"""JSON Resume (jsonresume.org) files: the fields map directly; the text is built from them."""

import json
from datetime import date
from typing import Any

from accord.candidates.parsing import dates, fields
from accord.candidates.parsing.errors import Failure, Reason
from accord.candidates.parsing.plaintext import decode
from accord.candidates.parsing.result import Education, Job, ParsedResume
from accord.candidates.parsing.sections import latest, years

_SECTIONS = ("basics", "work", "education", "skills")


def load(data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(decode(data))
    except json.JSONDecodeError as error:
        raise Failure(
            Reason.INVALID_JSON, line=error.lineno, column=error.colno, error=error.msg
        ) from error
    except RecursionError as error:
        raise Failure(Reason.INVALID_JSON, error="nested too deeply") from error
    except ValueError as error:  # e.g. a number longer than Python converts (4,300 digits)
        raise Failure(Reason.INVALID_JSON, line="?", column="?", error=str(error)[:100]) from error
    if not isinstance(document, dict) or not any(
        isinstance(document.get(key), dict | list) and document.get(key) for key in _SECTIONS
    ):
        raise Failure(Reason.NOT_JSON_RESUME)
    return document


def _s(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [_s(item) for item in value if _s(item)] if isinstance(value, list) else []


def _date(value: Any) -> date | None:
    """JSON Resume dates are ISO 8601 with optional month and day: 2014, 2014-06, 2014-06-29."""
    text = _s(value)
    if not text:
        return None
    parts = text.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = date(year, month, 1)
    except ValueError:
        return None
    return day if dates.EARLIEST_YEAR <= year <= date.today().year + 10 else None


def _period(item: dict[str, Any]) -> str:
    start, end = _s(item.get("startDate")), _s(item.get("endDate"))
    if not start and not end:
        return ""
    return f"{start} – {end or 'Present'}"


def parse(data: bytes) -> ParsedResume:
    document = load(data)
    basics = _dict(document.get("basics"))
    lines: list[str] = []

    def add(*values: str) -> None:
        lines.extend(value for value in values if value)

    location = _dict(basics.get("location"))
    place = ", ".join(
        part
        for part in (
            _s(location.get("city")),
            _s(location.get("region")),
            _s(location.get("countryCode")),
        )
        if part
    )
    profiles = _list(basics.get("profiles"))
    links = [_s(basics.get("url"))] + [_s(profile.get("url")) for profile in profiles]
    add(_s(basics.get("name")), _s(basics.get("label")), _s(basics.get("email")))
    add(_s(basics.get("phone")), place, *links)
    add(
        *(
            f"{_s(p.get('network'))}: {_s(p.get('username'))}"
            for p in profiles
            if _s(p.get("username"))
        )
    )
    summary = _s(basics.get("summary"))
    if summary:
        add("", "Summary", summary)

    work: list[Job] = []
    items = _list(document.get("work"))
    if items:
        add("", "Work experience")
    for item in items:
        employer = _s(item.get("name")) or _s(item.get("company"))
        title = _s(item.get("position"))
        job_lines = [
            " — ".join(part for part in (title, employer) if part),
            _period(item),
            _s(item.get("location")),
            _s(item.get("description")),
            _s(item.get("summary")),
            *(f"• {highlight}" for highlight in _strings(item.get("highlights"))),
        ]
        job_lines = [line for line in job_lines if line]
        add(*job_lines, "")
        start, end = _date(item.get("startDate")), _date(item.get("endDate"))
        work.append(
            Job(
                title=title[:160],
                employer=employer[:160],
                start=start,
                end=end,
                current=start is not None and end is None,
                text="\n".join(job_lines),
            )
        )

    schooling: list[Education] = []
    items = _list(document.get("education"))
    if items:
        add("", "Education")
    for item in items:
        institution, degree, area = (
            _s(item.get("institution")),
            _s(item.get("studyType")),
            _s(item.get("area")),
        )
        add(
            ", ".join(
                part
                for part in (
                    f"{degree} in {area}" if degree and area else degree or area,
                    institution,
                )
                if part
            ),
            _period(item),
            *(f"• {course}" for course in _strings(item.get("courses"))),
        )
        end = _date(item.get("endDate"))
        schooling.append(
            Education(institution[:160], degree[:160], area[:160], end.year if end else None)
        )

    # Skills stay in the text, as "Name: keyword, keyword", for the skills extractor to find.
    items = _list(document.get("skills"))
    if items:
        add("", "Skills")
    for item in items:
        keywords = ", ".join(_strings(item.get("keywords")))
        add(": ".join(part for part in (_s(item.get("name")), keywords) if part))
    for key, heading, name_key in (
        ("projects", "Projects", "name"),
        ("volunteer", "Volunteering", "organization"),
        ("certificates", "Certificates", "name"),
        ("awards", "Awards", "title"),
        ("publications", "Publications", "name"),
        ("languages", "Languages", "language"),
        ("interests", "Interests", "name"),
    ):
        items = _list(document.get(key))
        if items:
            add("", heading)
        for item in items:
            add(
                " — ".join(
                    part
                    for part in (
                        _s(item.get(name_key)),
                        _s(item.get("position")),
                        _s(item.get("fluency")),
                        _s(item.get("issuer")) or _s(item.get("awarder")),
                    )
                    if part
                ),
                _s(item.get("description")),
                _s(item.get("summary")),
                *(f"• {highlight}" for highlight in _strings(item.get("highlights"))),
                ", ".join(_strings(item.get("keywords"))),
            )

    text = "\n".join(fields.plain(line) for line in fields.normalise_lines("\n".join(lines)))
    last_job = latest(work)
    headline = last_job.title if last_job and last_job.current else _s(basics.get("label"))
    return ParsedResume(
        kind="json",
        text=text,
        name=_s(basics.get("name"))[:160],
        emails=fields.emails(_s(basics.get("email"))),
        phones=[_s(basics.get("phone"))] if _s(basics.get("phone")) else [],
        location=place[:160],
        links=fields.links("", extra=[link for link in links if link]),
        headline=(headline or (last_job.title if last_job else ""))[:160],
        current_employer=(last_job.employer if last_job else "")[:160],
        summary=summary,
        work=work,
        education=schooling,
        years_experience=years(work),
    )
