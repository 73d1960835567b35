"""Due times and quiet hours, computed in each person's own time zone.

Pure functions on aware datetimes: no database, no settings, no clock of their own. Every result is
an aware datetime in UTC. Business days are Monday to Friday (public holidays are not known here).

Local wall times that do not exist (the hour skipped when clocks go forward) resolve to the first
instant after the gap; wall times that happen twice (clocks go back) resolve to the first of them.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from math import ceil, floor
from zoneinfo import ZoneInfo

SATURDAY = 5
ONE_MINUTE = timedelta(minutes=1)
# How far to look for the end (or start) of a quiet stretch. The longest possible stretch is a
# weekend joined to the quiet nights around it, well under a week; the margin covers a day or two
# skipped by a time zone change.
SEARCH_DAYS = 9


@dataclass(frozen=True)
class QuietHours:
    """When a person must not be contacted. Periods are half-open: quiet from `start` (included)
    until `end` (excluded), in local time; `end` before `start` wraps past midnight."""

    start: time = time(20, 0)
    end: time = time(8, 0)  # start == end: never quiet (apart from weekends)
    weekends: bool = True  # Saturday and Sunday are quiet all day


def local(at: datetime, tz: str) -> datetime:
    """`at` as a local time in `tz`."""
    return _aware(at).astimezone(ZoneInfo(tz))


def add_business_days(start: datetime, days: int, tz: str) -> datetime:
    """The same local wall-clock time `days` weekdays later; a start at a weekend counts from the
    next Monday at the same local time (so `days=0` only moves a start off a weekend)."""
    if days < 0:
        raise ValueError(f"days must not be negative, not {days}.")
    zone = ZoneInfo(tz)
    wall = _wall(start, zone)
    day = _weekday_on_or_after(wall.date())
    if days == 0 and day == wall.date():
        # Not re-resolved: the second of two repeated local times must stay itself.
        return _aware(start).astimezone(UTC)
    weeks, rest = divmod(days, 5)
    day += timedelta(weeks=weeks)
    while rest:
        day += timedelta(days=1)
        if day.weekday() < SATURDAY:
            rest -= 1
    return _resolve(datetime.combine(day, wall.time()), zone)


def add_business_hours(start: datetime, hours: float, tz: str) -> datetime:
    """`hours` of elapsed time, not counting Saturdays and Sundays in `tz`: 24 hours after a Friday
    15:00 interview is Monday 15:00. The result is never at a weekend: time that runs out exactly
    as a weekend begins is due on Monday at 00:00."""
    if hours < 0:
        raise ValueError(f"hours must not be negative, not {hours}.")
    zone = ZoneInfo(tz)
    remaining = timedelta(hours=hours)
    cursor = _aware(start).astimezone(UTC)
    while True:
        wall = _wall(cursor, zone)
        if wall.weekday() >= SATURDAY:
            monday = wall.date() + timedelta(days=7 - wall.weekday())
            cursor = _resolve(datetime.combine(monday, time()), zone)
            continue
        saturday = wall.date() + timedelta(days=SATURDAY - wall.weekday())
        weekend = _resolve(datetime.combine(saturday, time()), zone)
        if cursor + remaining < weekend:
            return cursor + remaining
        remaining -= weekend - cursor
        cursor = weekend


def is_quiet(at: datetime, tz: str, quiet: QuietHours) -> bool:
    return _quiet_wall(_wall(at, ZoneInfo(tz)), quiet)


def next_allowed(at: datetime, tz: str, quiet: QuietHours) -> datetime:
    """The earliest instant at or after `at` that is not quiet (`at` itself when allowed)."""
    zone = ZoneInfo(tz)
    at = _aware(at).astimezone(UTC)
    if not _quiet_wall(_wall(at, zone), quiet):
        return at
    first = _wall(at, zone).date() - timedelta(days=1)
    # A quiet stretch ends when the local time reaches `end`, when a weekend gives way to Monday,
    # or when the clocks change and jump out of it.
    marks = [datetime.combine(day, quiet.end) for day in _days(first, SEARCH_DAYS)]
    if quiet.weekends:
        marks += [datetime.combine(day, time()) for day in _days(first, SEARCH_DAYS)]
    candidates = [instant for mark in marks for instant in _instants(mark, zone)]
    candidates += _transitions(first, SEARCH_DAYS, zone)
    allowed = [c for c in candidates if c >= at and not _quiet_wall(_wall(c, zone), quiet)]
    if not allowed:  # pragma: no cover (a week always has an allowed moment)
        raise ValueError(f"No allowed time within {SEARCH_DAYS} days of {at} in {tz}.")
    return min(allowed)


def last_allowed_before(at: datetime, tz: str, quiet: QuietHours) -> datetime:
    """The latest instant at or before `at` that is not quiet (`at` itself when allowed).

    Quiet periods are half-open, so the allowed time before a quiet stretch has no last instant;
    this answers one minute before the stretch begins (19:59 for quiet from 20:00), or the first
    allowed instant when the allowed time before it is shorter than a minute.
    """
    zone = ZoneInfo(tz)
    at = _aware(at).astimezone(UTC)
    if not _quiet_wall(_wall(at, zone), quiet):
        return at
    first = _wall(at, zone).date() - timedelta(days=SEARCH_DAYS - 1)
    begins = [datetime.combine(day, quiet.start) for day in _days(first, SEARCH_DAYS)]
    ends = [datetime.combine(day, quiet.end) for day in _days(first, SEARCH_DAYS)]
    if quiet.weekends:
        begins += [datetime.combine(day, time()) for day in _days(first, SEARCH_DAYS)]
        ends += [datetime.combine(day, time()) for day in _days(first, SEARCH_DAYS)]
    transitions = _transitions(first, SEARCH_DAYS, zone)
    candidates = [i - ONE_MINUTE for mark in begins for i in _instants(mark, zone)]
    candidates += [t - ONE_MINUTE for t in transitions]
    candidates += [instant for mark in ends for instant in _instants(mark, zone)] + transitions
    allowed = [c for c in candidates if c <= at and not _quiet_wall(_wall(c, zone), quiet)]
    if not allowed:  # pragma: no cover (a week always has an allowed moment)
        raise ValueError(f"No allowed time within {SEARCH_DAYS} days before {at} in {tz}.")
    return max(allowed)


# --- local wall times ----------------------------------------------------------------------


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r} has no time zone: pass an aware datetime.")
    return at


def _wall(at: datetime, zone: ZoneInfo) -> datetime:
    """The naive local date and time that a clock in `zone` shows at the instant `at`."""
    return _aware(at).astimezone(zone).replace(tzinfo=None, fold=0)


def _quiet_wall(wall: datetime, quiet: QuietHours) -> bool:
    if quiet.weekends and wall.weekday() >= SATURDAY:
        return True
    moment = wall.time()
    if quiet.start == quiet.end:
        return False
    if quiet.start < quiet.end:
        return quiet.start <= moment < quiet.end
    return moment >= quiet.start or moment < quiet.end


def _weekday_on_or_after(day: date) -> date:
    if day.weekday() >= SATURDAY:
        return day + timedelta(days=7 - day.weekday())
    return day


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count + 1)]


def _offset(instant: datetime, zone: ZoneInfo) -> timedelta | None:
    return instant.astimezone(zone).utcoffset()


def _instants(wall: datetime, zone: ZoneInfo) -> list[datetime]:
    """Every instant at which a clock in `zone` shows `wall`: one, two when the clocks go back, or
    (when it is skipped as the clocks go forward) the instant the skipped stretch ends."""
    found: list[datetime] = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if _wall(instant, zone) == wall and instant not in found:
            found.append(instant)
    if found:
        return sorted(found)
    # In a gap, fold 0 reads `wall` with the offset before the change and fold 1 with the offset
    # after it; the change itself lies between the two readings.
    readings = sorted(wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
    return [_change_between(readings[0], readings[1], zone)]


def _resolve(wall: datetime, zone: ZoneInfo) -> datetime:
    return _instants(wall, zone)[0]


def _change_between(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The first instant in (before, after] with the offset of `after`, given that `before` has
    another offset (one change in between; time zones change on whole seconds)."""
    target = _offset(after, zone)
    low, high = floor(before.timestamp()), ceil(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(datetime.fromtimestamp(middle, UTC), zone) == target:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _transitions(first: date, count: int, zone: ZoneInfo) -> list[datetime]:
    """The instants the clocks change in `zone` between the local dates `first` and
    `first + count` days (at most one change a day, as in every real time zone)."""
    changes = []
    midnights = [_resolve(datetime.combine(day, time()), zone) for day in _days(first, count)]
    for start, end in pairwise(midnights):
        if _offset(start, zone) != _offset(end, zone):
            changes.append(_change_between(start, end, zone))
    return changes
