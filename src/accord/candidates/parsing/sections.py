"""Sections of a resume (Experience, Education, Skills…), and the jobs and schooling in them."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from accord.candidates.parsing import dates
from accord.candidates.parsing.fields import (
    EMAIL_RE,
    GAP,
    is_bullet,
    is_place,
    plain,
    strip_bullet,
)
from accord.candidates.parsing.result import Education, Job
from accord.candidates.parsing.vocabulary import (
    COMPANY_WORDS,
    HEADINGS,
    SCHOOL_STEMS,
    TITLE_WORDS,
    words,
)

HEADER: Final = "header"  # the lines before the first heading: name, title, contacts

_PHRASES = sorted(
    ((phrase, section) for section, phrases in HEADINGS.items() for phrase in phrases),
    key=lambda item: -len(item[0]),
)
_EXACT = dict(_PHRASES)
# Headings that may share their line with content ("Education: BSc …"). Generic words such as
# "Skills:" or "Tools:" also label lines inside a job, so they only count on a line of their own.
_INLINE = frozenset(
    phrase
    for phrase, section in _PHRASES
    if (section in ("experience", "education", "languages", "summary") or " " in phrase)
    and phrase not in ("work", "career", "about", "overview", "highlights", "language")
)


# Words a heading may add to a known one.
_HEADING_WORDS: Final = frozenset(
    word for phrases in HEADINGS.values() for phrase in phrases for word in phrase.split()
) | words(
    """professional technical key core relevant main my personal selected recent summary history
    details overview information background and of areas practical industry it computer soft
    hard spoken foreign commercial previous knowledge additional other general brief short
    full complete detailed list responsibilities participated achievements"""
)


@dataclass
class Section:
    name: str
    lines: list[str] = field(default_factory=list)


def _heading_key(text: str) -> str:
    text = re.sub(r"\(.*?\)", " ", text)
    text = strip_bullet(text).replace("&", " and ").replace("/", " and ")
    text = re.sub(r"[^\w\s]", " ", text.lower())
    return " ".join(text.split())


def heading(line: str) -> tuple[str, str] | None:
    """(canonical section, text after the heading on the same line) if `line` is a heading."""
    text = strip_bullet(plain(line)).strip()
    if not text or len(text) > 60 or re.search(r"\d", re.sub(r"\(.*?\)", "", text.split(":")[0])):
        return None
    head, colon, rest = text.partition(":")
    key = _heading_key(head)
    if not key or not head.strip()[:1].isupper() or (text.endswith(".") and not colon):
        return None
    if colon and rest.strip():
        # "Education: 2000–2005 …" starts a section; "Programming languages: Java" does not.
        return (_EXACT[key], rest.strip()) if key in _INLINE else None
    if key in _EXACT:
        return _EXACT[key], ""
    if len(key.split()) > 4:
        return None
    # "Professional Skills", "Experience Skills" (two column headings on one line), but not
    # "Sber Technologies": the other words must be ones headings are made of.
    for phrase, section in _PHRASES:
        if key.startswith(phrase + " "):
            extra = key[len(phrase) + 1 :]
        elif key.endswith(" " + phrase):
            extra = key[: -len(phrase) - 1]
        else:
            continue
        if set(extra.split()) <= _HEADING_WORDS:
            return section, ""
        # "EXPERIENCE Wordpress": a heading in capitals, run into the next column's text.
        shouting = head.split()[: len(phrase.split())]
        if key.startswith(phrase) and all(word.isupper() for word in shouting) and len(phrase) > 3:
            return section, ""
    return None


def split_sections(lines: list[str]) -> list[Section]:
    sections = [Section(HEADER)]
    for line in lines:
        found = heading(line)
        if found:
            sections.append(Section(found[0], [found[1]] if found[1] else []))
        else:
            sections[-1].lines.append(line)
    return sections


def section_lines(sections: list[Section], name: str) -> list[str]:
    out: list[str] = []
    for section in sections:
        if section.name == name:
            out.extend(section.lines)
    return out


# --- work -------------------------------------------------------------------------------------

_SPLIT_RE = re.compile(r"\s*(?:\t|\||•|·|—|–|\s-\s|,|;|\s@\s|\sat\s|\.\s+(?=[A-Z]))\s*")
_LEADING_YEAR_RE = re.compile(r"^\s*(?:19|20)\d{2}\s+(?=\D)")
_PAREN_MARK = "\x01"  # marks a part that was written in parentheses: a place or an aside
_PARENS_RE = re.compile(r"\(([^()]*)\)")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SINGLE_YEAR_RE = re.compile(
    rf"(?:^\s*(?P<lead>{dates.YEAR})\s*[-–—|:,]|[-–—|:,(]\s*(?P<trail>{dates.YEAR})\)?\s*$)"
)


@dataclass
class _Entry:
    line: int  # index of the line with the dates
    first: int  # index of the entry's first line (header lines may precede the dates)
    period: dates.DateRange
    parts: list[str]


def _meaningful(segment: str) -> bool:
    return len(re.findall(r"[^\W\d_]", segment)) >= 2


def _header_like(line: str) -> bool:
    text = plain(line).strip()
    letter = re.search(r"[^\W\d_]", text)
    return (
        bool(text)
        and letter is not None
        and not letter.group(0).islower()  # a wrapped line goes on with a lowercase word
        and not is_bullet(text)
        and len(text.split()) <= 10
        and not text.endswith(".")
        and ":" not in text.rstrip(":")
        and not dates.find_ranges(text)
        and heading(line) is None
    )


def _remainder(line: str, span: tuple[int, int]) -> list[str]:
    text = line[: span[0]] + GAP + line[span[1] :]
    text = _URL_RE.sub(" ", text)
    text = EMAIL_RE.sub(" ", text)
    asides = [
        _PAREN_MARK + part.strip(" :;,.")
        for match in _PARENS_RE.finditer(text)
        for part in _SPLIT_RE.split(match.group(1))
    ]
    text = _PARENS_RE.sub(GAP, text)
    parts = [
        _LEADING_YEAR_RE.sub("", part).strip(" :;,.()[]{}|-–—/")
        for part in _SPLIT_RE.split(strip_bullet(text))
    ]
    return [part for part in parts + asides if _meaningful(part)]


def _dates_in(line: str) -> tuple[dates.DateRange, tuple[int, int]] | None:
    """The period of a job header line. Dates inside a sentence ("migrated SharePoint 2010 to
    2019") do not count: the dates must open the line, or the rest must read like a header."""
    ranges = dates.find_ranges(line)
    if ranges:
        period = ranges[0]
        before = strip_bullet(line[: period.span[0]]).strip(" \t|:(")
        if before.lower().rstrip(":") in _DATE_LABELS:
            before = ""
        rest = plain(line[: period.span[0]] + " " + line[period.span[1] :]).strip()
        first_letter = re.search(r"[^\W\d_]", rest)
        if before and (
            len(rest.split()) > 12 or (first_letter is not None and first_letter.group(0).islower())
        ):
            return None
        return period, period.span
    match = _SINGLE_YEAR_RE.search(line)
    if match:
        rest = line[: match.start()] + " " + line[match.end() :]
        if (
            len(rest.split()) <= 8
            and _header_like(rest)
            and _words(rest) & (TITLE_WORDS | COMPANY_WORDS)
        ):
            year = int(match.group("lead") or match.group("trail"))
            if dates.EARLIEST_YEAR <= year <= date.today().year:
                return dates.single_date_range(year), match.span()
    return None


def jobs(lines: list[str]) -> list[Job]:
    """Each line with a date range starts a job; its title and employer come from the rest of
    that line, or from the short header lines just before (or after) it."""
    entries: list[_Entry] = []
    for index, line in enumerate(lines):
        found = _dates_in(line)
        if found is None:
            continue
        period, span = found
        parts = _remainder(line, span)
        if parts and len(parts[-1].split()) > 8 and span[0] <= 3:
            # "Oct 2018 – Mar 2022 Created a business …": the dates open the description.
            parts = parts[:-1]
        entry = _Entry(index, index, period, parts)
        floor = entries[-1].line + 1 if entries else 0
        if len(entry.parts) <= 1:
            # Title or employer on the line(s) just above the dates ("Developer — Acme" /
            # "Jan 2019 – Present"), up to two lines, until a title and an employer are found.
            cursor = index - 1
            while cursor >= floor and len(entry.parts) < 2 and index - cursor <= 3:
                if not lines[cursor].strip():
                    cursor -= 1
                    continue
                if not _header_like(lines[cursor]):
                    break
                entry.parts = _remainder(lines[cursor], (0, 0)) + entry.parts
                entry.first = cursor
                cursor -= 1
        entries.append(entry)
    # A lone title before the dates and the employer after them ("Developer – 2019" / "Acme").
    for position, entry in enumerate(entries):
        title, employer = _title_and_employer(entry.parts)
        following = entry.line + 1
        limit = entries[position + 1].first if position + 1 < len(entries) else len(lines)
        unsure = not title or not employer or not _words(title) & TITLE_WORDS
        if unsure and following < limit and _header_like(lines[following]):
            title, employer = _title_and_employer(
                entry.parts + _remainder(lines[following], (0, 0))
            )
        entry.parts = [title, employer]
    out: list[Job] = []
    for position, entry in enumerate(entries):
        end = entries[position + 1].first if position + 1 < len(entries) else len(lines)
        text = "\n".join(plain(line) for line in lines[entry.first : end]).strip()
        out.append(
            Job(
                title=entry.parts[0],
                employer=entry.parts[1],
                start=entry.period.start,
                end=entry.period.end,
                current=entry.period.current,
                text=text,
            )
        )
    return out


def _words(segment: str) -> set[str]:
    return {word.strip(".,") for word in re.split(r"[\s/()-]+", segment.lower()) if word}


def _title_and_employer(parts: list[str]) -> tuple[str, str]:
    """The title is the part with a job word ("Developer", "Manager"…), the employer the part
    with a company word ("Ltd", "Labs", "Bank"…), else the first other part; places, long
    sentences and parenthesised asides come last."""
    asides = [part[1:] for part in parts if part.startswith(_PAREN_MARK)]
    parts = [part for part in parts if not part.startswith(_PAREN_MARK)]

    def usable(part: str) -> bool:
        return (
            not is_place(part)
            and part.lower() not in _NOISE
            and len(part.split()) <= 8
            # A fragment of a sentence, or of the next column: "and Computer Science".
            and part.split()[0].lower() not in _FUNCTION_WORDS
        )

    parts = [part for part in parts if usable(part)]
    asides = [part for part in asides if usable(part)]
    titles = [part for part in parts if _words(part) & TITLE_WORDS]
    # "Acme Ltd", "Naya Technologies" name a company; "financial company" and "embedded
    # automotive software" only describe one: the company word must be capitalised.
    companies = [part for part in parts + asides if _company_word(part) and part not in titles]
    title = titles[0] if titles else ""
    employer = companies[0] if companies else ""
    rest = [part for part in parts if part not in (title, employer) and part not in titles]
    # "GPB, financial company": a name before a lowercase description of it.
    rest.sort(key=lambda part: part.islower() and " " in part)
    if not title and rest and not employer:
        title, rest = rest[0], rest[1:]
    if not employer and rest:
        employer = rest[0]
    return title[:160], employer[:160]


def _company_word(part: str) -> bool:
    return any(
        word[:1].isupper() and word.lower().strip(".,") in COMPANY_WORDS
        for word in re.split(r"[\s/()-]+", part)
    )


_DATE_LABELS: Final = words("from; since; period; dates; date; worked; employed", ";")
_FUNCTION_WORDS: Final = words(
    "and or of the for with in to on at by from as but nor a an its their our my"
)
_NOISE: Final = frozenset(
    {"present", "now", "current", "remote", "hybrid", "full-time", "part-time"}
)


def latest(work: list[Job]) -> Job | None:
    """The current job (the most recently started, if several), else the last to end."""
    current = [job for job in work if job.current]
    if current:
        return max(current, key=lambda job: job.start or date.min)
    dated = [job for job in work if job.end or job.start]
    if dated:
        return max(dated, key=lambda job: job.end or job.start or date.min)
    return work[0] if work else None


def years(work: list[Job], *, today: date | None = None) -> float | None:
    periods = [
        dates.DateRange(job.start, job.end, job.current, (0, 0))
        for job in work
        if job.start is not None
    ]
    return dates.years_of_experience(periods, today=today)


_STATED_YEARS_RE = re.compile(
    r"(\d{1,2}(?:[.,]\d)?)\s*\+?\s*(?:years?|yrs?)(?:['’]s?)?\s+(?:of\s+)?"
    r"(?:[\w-]+\s+){0,3}?(?:experience|expertise)",
    re.IGNORECASE,
)


def stated_years(text: str) -> float | None:
    """The most years of experience the resume claims in words ("5+ years of experience")."""
    values = [float(match.group(1).replace(",", ".")) for match in _STATED_YEARS_RE.finditer(text)]
    values = [value for value in values if 0 < value <= 60]
    return max(values) if values else None


# --- education --------------------------------------------------------------------------------

_DEGREE_RE = re.compile(
    r"\b(?:ph\.?\s?d|doctor(?:ate)?|d\.sc|m\.?sc|m\.s\.|m\.a\.|mba|m\.?eng|"
    r"master(?:['’]?s)?|b\.?sc|b\.s\.|b\.a\.|b\.?eng|b\.?tech|bachelor(?:['’]?s)?|"
    r"associate(?:['’]?s)?\s+degree|diploma|degree|high\s+school|a[-\s]?levels?)(?![\w])",
    re.IGNORECASE,
)
_FIELD_RE = re.compile(
    r"\b(?:in|of)\s+(?P<field>[A-Za-z][\w&/\-' ]{2,80}?)\s*(?:$|[,;|(\t.]|\bat\b|\bfrom\b|\d)",
)


def _institution(line: str) -> str:
    for part in re.split(r"\s*(?:\t|\||,|;|\(|\)|—|–|\s-\s|:)\s*", plain(line)):
        if any(word.startswith(SCHOOL_STEMS) for word in _words(part)) and _meaningful(part):
            return part.strip(" .")
    return ""


def _degree(line: str) -> tuple[str, str]:
    text = plain(line)
    match = _DEGREE_RE.search(text)
    if not match:
        return "", ""
    # The degree phrase runs to the next separator; the field follows "in"/"of".
    phrase = re.split(r"\s*(?:\t|\||,|;|\(|—|–|\s-\s|:)\s*", text[match.start() :])[0]
    field_match = _FIELD_RE.search(phrase + ",")
    study = field_match.group("field").strip() if field_match else ""
    degree = phrase[: field_match.start()].strip() if field_match else phrase.strip()
    return degree.strip(" .") or match.group(0), study.strip(" .")


def education(lines: list[str], *, today: date | None = None) -> list[Education]:
    """Entries of the Education section: a new entry starts when a line brings a second degree,
    institution or date to the entry being read."""
    today = today or date.today()
    entries: list[dict[str, str | int | None]] = []
    current: dict[str, str | int | None] = {}
    for line in lines:
        if not line.strip():
            continue
        institution = _institution(line)
        degree, study = _degree(line)
        year = _last_year(line, today)
        clash = (
            (institution and current.get("institution"))
            or (degree and current.get("degree"))
            or (year and current.get("end_year") and (degree or institution))
        )
        if clash:
            entries.append(current)
            current = {}
        if institution and not current.get("institution"):
            current["institution"] = institution
        if degree and not current.get("degree"):
            current["degree"], current["field"] = degree, study
        if year and not current.get("end_year"):
            current["end_year"] = year
    entries.append(current)
    out = []
    for entry in entries:
        if not entry.get("institution") and not entry.get("degree"):
            continue
        end_year = entry.get("end_year")
        out.append(
            Education(
                institution=str(entry.get("institution") or "")[:160],
                degree=str(entry.get("degree") or "")[:160],
                field=str(entry.get("field") or "")[:160],
                end_year=end_year if isinstance(end_year, int) else None,
            )
        )
    return out


def _last_year(line: str, today: date) -> int | None:
    years_found = [
        (found.end or found.start).year for found in dates.find_ranges(line) if not found.current
    ]
    years_found += [year for year, _span in dates.find_single_years(line)]
    years_found = [year for year in years_found if year <= today.year + 6]
    return max(years_found) if years_found else None
