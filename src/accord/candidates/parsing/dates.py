"""Dates and date ranges as resumes write them, and years of experience from them.

"Jan 2019 – Present", "2016-2018", "03/2017 - 11/2019", "May 2015 to now", "since 2020",
"Sept. 2018 – Feb. 2020", "2017-03 – 2019-11", "Summer 2019", "2019 october - now", "2004/2013"…

Precision is a month. A year alone starts in January; as an end it means January of that year
("2016–2018" reads as two years, as people mean it), unless it is also the start year ("2019",
"2019–2019"), which counts as that whole year. Current jobs run to today's month. Durations count
months inclusively ("Jan–Mar 2019" is three months).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

MONTHS: Final = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}  # fmt: skip
SEASONS: Final = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
EARLIEST_YEAR: Final = 1950

_MONTH_NAME = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
_SEASON_NAME = r"(?:" + "|".join(SEASONS) + r")"
YEAR: Final = r"(?:19|20)\d{2}"  # a year in a resume, as a pattern
# One date; the named groups say which form matched.
DATE: Final = (
    rf"(?:(?P<mname>{_MONTH_NAME})\.?,?\s*(?:(?P<myear>{YEAR})|'(?P<myy>\d{{2}}))(?!\d)"
    rf"|(?P<season>{_SEASON_NAME})\s+(?P<syear>{YEAR})(?!\d)"
    rf"|(?P<yfirst>{YEAR}),?\s+(?P<ymname>{_MONTH_NAME})\b\.?"
    rf"|(?<![\d/.])(?P<iy>{YEAR})-(?P<im>[01]?\d)(?:-[0-3]\d)?(?![\d/])"
    rf"|(?<![\d/.])(?P<ymy>{YEAR})\s*[/.]\s*(?P<ymm>[01]?\d)(?![\d/.])"
    rf"|(?<![\d/.])(?:[0-3]?\d[/.])?(?P<nm>[01]?\d)\s*[/.-]\s*(?P<ny>{YEAR})(?![\d/.])"
    rf"|(?<![\d/.])(?P<year>{YEAR})(?![\d/]))"
)
_PRESENT = (
    r"(?:present|current(?:ly)?|now(?:adays)?|today|ongoing|to\s+date|till\s+date|"
    r"till\s+now|until\s+now|up\s+to\s+now|to\s+present|this\s+day|date)\b"
)
_SEPARATOR = r"\s*(?:[-‐‑‒–—―~→>]+|\bto\b|\btill\b|\buntil\b|\bthrough\b|\bthru\b|\bbis\b)\s*"
_OPEN = r"\b(?:since|from|starting)\s+"

_DATE_RE = re.compile(DATE, re.IGNORECASE)
_RANGE_RE = re.compile(
    rf"(?P<start>{DATE.replace('?P<', '?P<s_')})"
    rf"(?:(?P<sep>{_SEPARATOR}|\s*)"
    rf"(?:(?P<present>{_PRESENT})|(?P<end>{DATE.replace('?P<', '?P<e_')}))"
    rf"|\s*[-–—]+\s*$)",
    re.IGNORECASE,
)
_LINE_START_RE = re.compile(r"(?:^[\s•·*\-–—]*|[(|/,:;]\s*)$")
# "2004/2013", "2013/---": a slash between years, or after one, is a dash.
_YEAR_SLASH_RE = re.compile(rf"(?<![\d/])({YEAR})\s*/(?=\s*(?:{YEAR}(?![\d/])|-+\s*$))")
# "20182020": two years run together where a PDF lost the dash between them.
_GLUED_RE = re.compile(rf"^[\s•·*]*(?P<start>{YEAR})(?P<end>{YEAR})(?!\d)")
_OPEN_RE = re.compile(rf"{_OPEN}(?P<start>{DATE.replace('?P<', '?P<s_')})", re.IGNORECASE)


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date | None  # None while current
    current: bool
    span: tuple[int, int]  # where in the line it was written

    def months(self, today: date) -> tuple[int, int]:
        """[first, last] month numbers (year * 12 + month - 1), inclusive."""
        end = today if self.current or self.end is None else self.end
        return _month_number(self.start), max(_month_number(self.start), _month_number(end))


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def _parse_date(groups: dict[str, str | None], prefix: str) -> tuple[date, bool] | None:
    """(first of the month, whether only the year was given) from one DATE match."""

    def get(name: str) -> str | None:
        return groups.get(prefix + name)

    month: int
    year: int
    year_only = False
    if get("mname"):
        month = MONTHS[str(get("mname")).lower()]
        if get("myear"):
            year = int(str(get("myear")))
        else:
            short = int(str(get("myy")))
            year = 2000 + short if short <= date.today().year % 100 + 1 else 1900 + short
    elif get("yfirst"):
        month, year = MONTHS[str(get("ymname")).lower()], int(str(get("yfirst")))
    elif get("season"):
        month, year = SEASONS[str(get("season")).lower()], int(str(get("syear")))
    elif get("iy"):
        month, year = int(str(get("im"))), int(str(get("iy")))
    elif get("ymy"):
        month, year = int(str(get("ymm"))), int(str(get("ymy")))
    elif get("ny"):
        month, year = int(str(get("nm"))), int(str(get("ny")))
    elif get("year"):
        month, year, year_only = 1, int(str(get("year"))), True
    else:
        return None
    if not 1 <= month <= 12 or not EARLIEST_YEAR <= year <= date.today().year + 1:
        return None
    return date(year, month, 1), year_only


def find_ranges(line: str, *, today: date | None = None) -> list[DateRange]:
    """Every date range written in `line`, left to right."""
    today = today or date.today()
    # Same length, so spans still point into the line as written.
    line = _YEAR_SLASH_RE.sub(lambda match: match.group(0).replace("/", "-"), line)
    found: list[DateRange] = []
    taken: list[tuple[int, int]] = []
    for match in _RANGE_RE.finditer(line):
        groups = match.groupdict()
        start = _parse_date(groups, "s_")
        if start is None:
            continue
        paired = (
            groups.get("present")
            or groups.get("e_year")
            or groups.get("e_myear")
            or any(
                groups.get("e_" + key) for key in ("mname", "yfirst", "season", "iy", "ymy", "ny")
            )
        )
        unspaced = paired and not (groups.get("sep") or "").strip()
        if unspaced and not _unspaced_range_ok(line, match, groups):
            continue
        current = bool(groups.get("present")) or match.group(0).rstrip().endswith(("-", "–", "—"))
        end: date | None = None
        if not current:
            parsed = _parse_date(groups, "e_")
            if parsed is None:
                continue
            end, end_year_only = parsed
            if end_year_only and end.year == start[0].year:
                end = date(end.year, 12, 1)
        if end is not None and end < start[0]:
            continue
        if end is None and start[0] > today:
            continue
        found.append(DateRange(start[0], end, current, match.span()))
        taken.append(match.span())
    for match in _OPEN_RE.finditer(line):
        if any(a <= match.start("start") < b for a, b in taken):
            continue
        start = _parse_date(match.groupdict(), "s_")
        if start is not None and start[0] <= today:
            found.append(DateRange(start[0], None, True, match.span()))
            taken.append(match.span())
    glued = _GLUED_RE.match(line)
    if glued and not found:
        start_year, end_year = int(glued.group("start")), int(glued.group("end"))
        if EARLIEST_YEAR <= start_year <= end_year <= today.year:
            end_date = date(end_year, 12 if end_year == start_year else 1, 1)
            found.append(DateRange(date(start_year, 1, 1), end_date, False, glued.span()))
    found.sort(key=lambda found_range: found_range.span)
    return found


def _has_month(groups: dict[str, str | None], prefix: str) -> bool:
    keys = ("mname", "yfirst", "season", "iy", "ymy", "ny")
    return any(groups.get(prefix + key) for key in keys)


def _unspaced_range_ok(line: str, match: re.Match[str], groups: dict[str, str | None]) -> bool:
    """Two dates with only a space (or nothing: a dash lost in a PDF) between them are a range
    when both name a month ("March 2016 February 2017", "4/2016 5/2022"), when the end is
    "Present", or when they open the line ("2008 2022 Acme")."""
    if groups.get("present"):
        return True
    if _has_month(groups, "s_") and _has_month(groups, "e_"):
        return True
    return bool(_LINE_START_RE.search(line[: match.start()]))


def find_single_years(line: str) -> list[tuple[int, tuple[int, int]]]:
    """Dates that stand alone (not part of a range): (year, span)."""
    taken = [found.span for found in find_ranges(line)]
    out = []
    for match in _DATE_RE.finditer(line):
        if any(a <= match.start() < b for a, b in taken):
            continue
        parsed = _parse_date(match.groupdict(), "")
        if parsed is not None:
            out.append((parsed[0].year, match.span()))
    return out


def single_period(written: str, *, today: date | None = None) -> DateRange | None:
    """The period a job dated by one date covers: a year alone is that whole year, a season
    three months, a month that month."""
    today = today or date.today()
    match = _DATE_RE.fullmatch(written.strip())
    if match is None:
        return None
    groups = match.groupdict()
    parsed = _parse_date(groups, "")
    if parsed is None or parsed[0] > today:
        return None
    start, year_only = parsed
    if year_only:
        end = date(start.year, 12, 1)
    elif groups.get("season"):
        month = min(start.month + 2, 12)
        end = date(start.year, month, 1)
    else:
        end = start
    return DateRange(start, min(end, date(today.year, today.month, 1)), False, match.span())


def years_of_experience(ranges: Iterable[DateRange], *, today: date | None = None) -> float | None:
    """The union of the periods (overlapping jobs count once), in years to one decimal."""
    today = today or date.today()
    intervals = sorted(found.months(today) for found in ranges)
    if not intervals:
        return None
    total = 0
    first, last = intervals[0]
    for start, end in intervals[1:]:
        if start <= last + 1:
            last = max(last, end)
        else:
            total += last - first + 1
            first, last = start, end
    total += last - first + 1
    return round(total / 12, 1)
