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
# A job dated by one date at the start or the end of its header line ("Developer – 2019",
# "Software Engineer Intern, Summer 2017", "2019: Acme Ltd").
_SINGLE_DATE_RE = re.compile(
    rf"(?:^\s*(?P<lead>{dates.DATE.replace('?P<', '?P<l_')})\s*[-–—|:,]"
    rf"|[-–—|:,(]\s*(?P<trail>{dates.DATE.replace('?P<', '?P<t_')})\)?\s*$)",
    re.IGNORECASE,
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
    match = _SINGLE_DATE_RE.search(line)
    if match:
        rest = line[: match.start()] + " " + line[match.end() :]
        written = match.group("lead") or match.group("trail")
        single = dates.single_period(written)
        label = re.search(r"([^\W\d_]+)\W*$", line[: match.start() + 1])
        if (
            single is not None
            # "Updated: 20/06/2022", "Born: 1990" date the document or the person, not a job.
            and not (label and label.group(1).lower() in _NOT_JOB_DATES)
            and len(rest.split()) <= 8
            and _header_like(rest)
            and _words(rest) & (TITLE_WORDS | COMPANY_WORDS)
        ):
            return single, match.span()
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
        entries.append(_Entry(index, index, period, parts))
    claimed = -1  # the last line a job took as its header
    for position, entry in enumerate(entries):
        if len(entry.parts) <= 1:
            # Title or employer on the line(s) just above the dates ("Developer — Acme" /
            # "Jan 2019 – Present"), up to two lines, until a title and an employer are found;
            # never a line the previous job already took.
            floor = max(claimed + 1, entries[position - 1].line + 1 if position else 0)
            cursor = entry.line - 1
            while cursor >= floor and len(entry.parts) < 2 and entry.line - cursor <= 3:
                if not lines[cursor].strip():
                    cursor -= 1
                    continue
                if not _header_like(lines[cursor]):
                    break
                entry.parts = _remainder(lines[cursor], (0, 0)) + entry.parts
                entry.first = cursor
                cursor -= 1
        title, employer = _title_and_employer(entry.parts)
        claimed = entry.line
        # A title with its dates and the employer on the next line ("Developer – 2019" /
        # "Acme"), unless that line is the next job's.
        following = entry.line + 1
        next_line = entries[position + 1].line if position + 1 < len(entries) else len(lines)
        unsure = not title or not employer or not _words(title) & TITLE_WORDS
        if unsure and following < next_line and _header_like(lines[following]):
            title, employer = _title_and_employer(
                entry.parts + _remainder(lines[following], (0, 0))
            )
            claimed = following
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


_NOT_JOB_DATES: Final = words("updated update revised date born birth dob birthday issued")
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
# Between parts of an education line; a full stop ends a part after a word ("designs. SV
# College"), not after an abbreviation ("B.Sc. Physics").
_SEPARATORS_RE = re.compile(r"\s*(?:\t|\||,|;|\(|\)|—|–|\s-\s|:|(?<=[^\W\d_]{3})\.\s+(?=[A-Z]))\s*")
# "Bachelor of Science", "Master of Arts": the kind of degree, not the field studied.
_DEGREE_KIND_RE = re.compile(
    r"\s+of\s+(?:applied\s+science|science|arts|fine\s+arts|engineering|business\s+"
    r"administration|laws|philosophy|technology|education|commerce|music|architecture)\b",
    re.IGNORECASE,
)
# "2012 2016 Tver State Technical University", "2002/08 2007/06 National Mining University".
_LEADING_DATES_RE = re.compile(r"^(?:\s*(?:19|20)\d{2}(?:[/.]\d{1,2})?\b[\s–—-]*)+")
_DEGREE_WORD_RE = re.compile(r"^(?:['’]s)?\s+degree\b", re.IGNORECASE)
_FIELD_END_RE = re.compile(r"\s+(?:at|from)\s+.*$|\s*\d.*$", re.IGNORECASE)


def _institution(line: str) -> str:
    for part in _SEPARATORS_RE.split(plain(line)):
        if any(word.startswith(SCHOOL_STEMS) for word in _words(part)) and _meaningful(part):
            return _LEADING_DATES_RE.sub("", part).strip(" .-–—")
    return ""


def _degree(line: str) -> tuple[str, str]:
    """(degree, field) from "MSc in Computer Science", "Bachelor of Science in Physics",
    "B.S. Computer Science", "Master's degree, Economics"…"""
    text = plain(line)
    match = _DEGREE_RE.search(text)
    if not match:
        return "", ""
    pieces = _SEPARATORS_RE.split(text[match.start() :])
    phrase = pieces[0]
    end = match.end() - match.start()
    for pattern in (_DEGREE_KIND_RE, _DEGREE_WORD_RE):
        extra = pattern.match(phrase[end:])
        if extra:
            end += extra.end()
    degree = phrase[:end].strip()
    rest = phrase[end:].strip(" .")
    study = re.sub(r"^(?:in|of)\s+", "", rest, flags=re.IGNORECASE)
    if not study and len(pieces) > 1 and _looks_like_field(pieces[1]):
        study = pieces[1]  # "Master's degree, Economics"
    study = _FIELD_END_RE.sub("", study).strip(" .")
    return degree or match.group(0), study


def _looks_like_field(piece: str) -> bool:
    piece = piece.strip(" .")
    return (
        bool(piece)
        and piece[:1].isupper()
        and len(piece.split()) <= 6
        and not re.search(r"\d", piece)
        and not is_place(piece)
        and not any(word.startswith(SCHOOL_STEMS) for word in _words(piece))
    )


@dataclass
class _School:
    institution: str = ""
    degree: str = ""
    study: str = ""
    end_year: int | None = None
    lines: list[str] = field(default_factory=list)


def education(lines: list[str], *, today: date | None = None) -> list[Education]:
    """Entries of the Education section: a new entry starts when a line brings a second degree,
    institution or date to the entry being read. A degree whose school has no school word
    ("Master of Design, Elisava, 2016") takes the other capitalised part of its lines."""
    today = today or date.today()
    entries: list[_School] = []
    current = _School()
    for line in lines:
        if not line.strip():
            continue
        institution = _institution(line)
        degree, study = _degree(line)
        year = _last_year(line, today)
        clash = (
            (institution and current.institution)
            or (degree and current.degree)
            or (year and current.end_year and (degree or institution))
        )
        if clash:
            entries.append(current)
            current = _School()
        if institution and not current.institution:
            current.institution = institution
        if degree and not current.degree:
            current.degree, current.study = degree, study
        if year and not current.end_year:
            current.end_year = year
        current.lines.append(line)
    entries.append(current)
    out = []
    for entry in entries:
        if entry.degree and not entry.institution:
            entry.institution = _unnamed_school(entry)
        if entry.institution or entry.degree:
            out.append(
                Education(
                    entry.institution[:160], entry.degree[:160], entry.study[:160], entry.end_year
                )
            )
    return out


def _unnamed_school(entry: _School) -> str:
    taken = {entry.degree.lower(), entry.study.lower()}
    for line in entry.lines:
        for piece in _SEPARATORS_RE.split(plain(line)):
            piece = piece.strip(" .")
            if (
                _looks_like_field(piece)
                and piece.lower() not in taken
                and not _DEGREE_RE.search(piece)
                and not _words(piece) & TITLE_WORDS
            ):
                return piece
    return ""


def _last_year(line: str, today: date) -> int | None:
    years_found = [
        (found.end or found.start).year for found in dates.find_ranges(line) if not found.current
    ]
    years_found += [year for year, _span in dates.find_single_years(line)]
    years_found = [year for year in years_found if year <= today.year + 6]
    return max(years_found) if years_found else None
