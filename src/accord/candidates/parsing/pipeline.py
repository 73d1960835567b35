"""From a file's bytes to a ParsedResume. Runs inside the sandboxed reader process, so it never
touches Django settings, the database or the network."""

import re
from datetime import date

from accord.candidates.parsing import fields, jsonresume, plaintext, sections
from accord.candidates.parsing.errors import Failure, Reason
from accord.candidates.parsing.kinds import DOCX, JSON, PDF, TEXT
from accord.candidates.parsing.result import ParsedResume
from accord.candidates.parsing.vocabulary import TITLE_WORDS

TOP_LINES = 40  # where a name, a location and a headline may be
_NOT_WORK = frozenset({"education", "certifications", "languages", "skills", "projects"})
_PERSONAL = frozenset({sections.HEADER, "contact", "other", "summary", "languages"})


def read(kind: str, data: bytes, *, filename: str = "", region: str | None = None) -> ParsedResume:
    """Everything parsing finds in `data`, a file of `kind` (see sniff). Raises Failure."""
    if kind == JSON:
        return jsonresume.parse(data)
    links: list[str] = []
    prominent: list[str] = []
    # Readers are imported for their kind only: the child process starts faster.
    if kind == PDF:
        from accord.candidates.parsing import pdf

        extracted = pdf.extract(data)
        if not extracted.text.strip():
            raise Failure(Reason.SCANNED_PDF if extracted.images else Reason.NO_TEXT)
        raw, links, prominent = extracted.text, extracted.links, extracted.prominent
    elif kind == DOCX:
        from accord.candidates.parsing import docx

        document = docx.extract(data)
        raw, links, prominent = document.text, document.links, document.prominent
    elif kind == TEXT:
        raw = plaintext.decode(data)
        if "\x00" in raw:
            raise Failure(Reason.BINARY_TEXT)
    else:
        raise Failure(Reason.UNKNOWN_TYPE)
    return from_text(kind, raw, links=links, prominent=prominent, filename=filename, region=region)


def from_text(
    kind: str,
    raw: str,
    *,
    links: list[str] | None = None,
    prominent: list[str] | None = None,
    filename: str = "",
    region: str | None = None,
    today: date | None = None,
) -> ParsedResume:
    lines = fields.normalise_lines(raw)
    if not any(re.search(r"\w", line) for line in lines):
        raise Failure(Reason.NO_TEXT)
    parts = sections.split_sections(lines)
    text = "\n".join(fields.plain(line) for line in lines)
    extra = links or []

    # Lines that may hold personal details: the top of the resume outside work and education.
    personal: list[str] = []
    seen = 0
    for part in parts:
        if seen >= TOP_LINES:
            break
        if part.name in _PERSONAL:
            personal.extend(part.lines[: TOP_LINES - seen])
        seen += len(part.lines) + 1
    header = parts[0].lines
    contact = sections.section_lines(parts, "contact")

    # Jobs are read from the Experience section; without one, or when two columns were mixed
    # so that it holds no dates, from everything but education, skills, languages, projects.
    work = sections.jobs(sections.section_lines(parts, "experience"))
    if not work:
        elsewhere = [line for part in parts if part.name not in _NOT_WORK for line in part.lines]
        work = sections.jobs(elsewhere)
    latest = sections.latest(work)
    headline = latest.title if latest and latest.current else ""
    headline = headline or _title_line(header) or (latest.title if latest else "")

    summary_lines = sections.section_lines(parts, "summary")
    summary = " ".join(fields.plain(line) for line in summary_lines if line.strip())
    if not summary:
        long_lines = [fields.plain(line) for line in header if len(line.split()) >= 12]
        summary = long_lines[0] if long_lines else ""

    return ParsedResume(
        kind=kind,
        text=text,
        name=fields.name(
            personal,
            prominent=fields.normalise_lines("\n".join(prominent or [])),
            filename=filename,
        ),
        emails=fields.emails(text, extra),
        phones=fields.phones(lines, region=region, extra=extra),
        location=fields.location(personal, header=header + contact),
        links=fields.links(text, extra),
        headline=headline[:160],
        current_employer=(latest.employer if latest else "")[:160],
        summary=summary[:2000],
        work=work,
        education=sections.education(sections.section_lines(parts, "education"), today=today),
        years_experience=sections.years(work, today=today),
        years_stated=sections.stated_years(
            "\n".join(
                fields.plain(line) for line in header + sections.section_lines(parts, "summary")
            )
        ),
        sections={
            name: "\n".join(
                fields.plain(line) for line in sections.section_lines(parts, name)
            ).strip()
            for name in dict.fromkeys(part.name for part in parts)
        },
    )


def _title_line(header: list[str]) -> str:
    """A short line at the top naming what the person does ("Senior Java Developer")."""
    for line in header[:12]:
        for segment in fields.segments(line):
            words = {word.strip(".,()") for word in re.split(r"[\s/-]+", segment.lower())}
            if (
                words & TITLE_WORDS
                and len(segment.split()) <= 8
                and not re.search(r"[@:]|\d{3}", segment)
            ):
                return segment.strip(" -–—|")
    return ""
