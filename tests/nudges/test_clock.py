"""Due times and quiet hours: examples in real time zones, then properties over many of them."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.nudges.clock import (
    QuietHours,
    add_business_days,
    add_business_hours,
    is_quiet,
    last_allowed_before,
    local,
    next_allowed,
)

LONDON = "Europe/London"
NEW_YORK = "America/New_York"
TOKYO = "Asia/Tokyo"
KOLKATA = "Asia/Kolkata"
# Clocks change on a weekday here: Israel goes forward on a Friday at 02:00, Egypt goes forward
# on a Friday at 00:00 and back on a Thursday at 24:00.
JERUSALEM = "Asia/Jerusalem"
CAIRO = "Africa/Cairo"

NIGHTS = QuietHours()  # 20:00 to 08:00, and weekends
NIGHTS_ONLY = QuietHours(weekends=False)


def wall(tz: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A local time that exists exactly once in `tz`."""
    naive = datetime(year, month, day, hour, minute)
    at = naive.replace(tzinfo=ZoneInfo(tz))
    assert at.astimezone(UTC).astimezone(ZoneInfo(tz)).replace(tzinfo=None) == naive
    return at


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- add_business_days ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "tz", "due"),
    [
        # Friday → Monday, same local time.
        (wall(LONDON, 2026, 3, 6, 10), 1, LONDON, utc(2026, 3, 9, 10)),
        # A whole week is five business days.
        (wall(LONDON, 2026, 6, 3, 9, 15), 5, LONDON, utc(2026, 6, 10, 8, 15)),
        (wall(LONDON, 2026, 6, 3, 9, 15), 12, LONDON, utc(2026, 6, 19, 8, 15)),
        # Across the March change (London goes forward on Sunday 29 March 2026): 09:00 GMT on
        # Thursday, 09:00 BST two business days later.
        (wall(LONDON, 2026, 3, 26, 9), 2, LONDON, utc(2026, 3, 30, 8)),
        # Across the October change (back on Sunday 25 October 2026).
        (wall(LONDON, 2026, 10, 23, 17), 1, LONDON, utc(2026, 10, 26, 17)),
        # New York goes forward on Sunday 8 March 2026: EST → EDT.
        (wall(NEW_YORK, 2026, 3, 6, 9), 1, NEW_YORK, utc(2026, 3, 9, 13)),
        (wall(NEW_YORK, 2026, 10, 30, 16, 30), 1, NEW_YORK, utc(2026, 11, 2, 21, 30)),
        # Tokyo: Friday 23:30 local is still Friday afternoon in UTC.
        (wall(TOKYO, 2026, 6, 5, 23, 30), 1, TOKYO, utc(2026, 6, 8, 14, 30)),
        # Kolkata's half-hour offset; a Saturday counts from Monday.
        (wall(KOLKATA, 2026, 6, 6, 11), 0, KOLKATA, utc(2026, 6, 8, 5, 30)),
        (wall(KOLKATA, 2026, 6, 6, 11), 1, KOLKATA, utc(2026, 6, 9, 5, 30)),
        (wall(KOLKATA, 2026, 6, 7, 23, 59), 2, KOLKATA, utc(2026, 6, 10, 18, 29)),
        # A weekday start with 0 days is the start itself.
        (wall(LONDON, 2026, 6, 3, 9, 15), 0, LONDON, utc(2026, 6, 3, 8, 15)),
        # 02:30 on Friday 27 March 2026 does not exist in Jerusalem (02:00 → 03:00): the first
        # valid instant, 03:00 IDT.
        (wall(JERUSALEM, 2026, 3, 26, 2, 30), 1, JERUSALEM, utc(2026, 3, 27, 0)),
        # Cairo skips 00:00–01:00 on Friday 26 April 2024.
        (wall(CAIRO, 2024, 4, 25, 0, 30), 1, CAIRO, utc(2024, 4, 25, 22)),
        # Cairo's Thursday 31 October 2024 has 23:00–24:00 twice: the first (EEST, UTC+3).
        (wall(CAIRO, 2024, 10, 30, 23, 30), 1, CAIRO, utc(2024, 10, 31, 20, 30)),
    ],
)
def test_add_business_days(start: datetime, days: int, tz: str, due: datetime) -> None:
    result = add_business_days(start, days, tz)
    assert result == due
    assert result.tzinfo is UTC


def test_the_weekday_is_the_local_one() -> None:
    # Sunday 20:00 UTC is Monday 05:00 in Tokyo (a weekday) but Sunday in London.
    sunday_evening = utc(2026, 6, 7, 20)
    assert add_business_days(sunday_evening, 0, TOKYO) == sunday_evening
    assert add_business_days(sunday_evening, 0, LONDON) == utc(2026, 6, 8, 20)


def test_zero_days_keeps_the_second_of_two_repeated_times() -> None:
    # 23:30 on Thursday 31 October 2024 happens twice in Cairo; the second is 21:30 UTC.
    second = utc(2024, 10, 31, 21, 30)
    assert local(second, CAIRO).hour == 23
    assert add_business_days(second, 0, CAIRO) == second


def test_add_business_days_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_days(utc(2026, 6, 3, 9), -1, LONDON)
    with pytest.raises(ValueError, match="no time zone"):
        add_business_days(datetime(2026, 6, 3, 9), 1, LONDON)


# --- add_business_hours -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "tz", "due"),
    [
        # A scorecard due 24 hours after a Friday 15:00 interview is due on Monday at 15:00.
        (wall(LONDON, 2026, 6, 5, 15), 24, LONDON, utc(2026, 6, 8, 14)),
        (wall(LONDON, 2026, 6, 2, 10), 24, LONDON, utc(2026, 6, 3, 9)),
        (wall(LONDON, 2026, 6, 2, 10), 72, LONDON, utc(2026, 6, 5, 9)),
        (wall(LONDON, 2026, 6, 4, 10), 72, LONDON, utc(2026, 6, 9, 9)),
        # Time running out exactly as the weekend begins is due on Monday at 00:00.
        (wall(LONDON, 2026, 6, 5, 15), 9, LONDON, utc(2026, 6, 7, 23)),
        # A weekend start counts from Monday 00:00.
        (wall(LONDON, 2026, 6, 6, 15), 0, LONDON, utc(2026, 6, 7, 23)),
        (wall(LONDON, 2026, 6, 7, 15), 1.5, LONDON, utc(2026, 6, 8, 0, 30)),
        # Over the March change: 9 hours on Friday, 15 from Monday 00:00 BST.
        (wall(LONDON, 2026, 3, 27, 15), 24, LONDON, utc(2026, 3, 30, 14)),
        # Elapsed time, not wall time: Jerusalem's clocks go forward early on Friday 27 March 2026,
        # so 24 hours after Thursday 12:00 is Friday 13:00 local.
        (wall(JERUSALEM, 2026, 3, 26, 12), 24, JERUSALEM, utc(2026, 3, 27, 10)),
        (wall(TOKYO, 2026, 6, 5, 22), 4, TOKYO, utc(2026, 6, 7, 17)),
        (wall(KOLKATA, 2026, 6, 5, 22), 4, KOLKATA, utc(2026, 6, 7, 20, 30)),
    ],
)
def test_add_business_hours(start: datetime, hours: float, tz: str, due: datetime) -> None:
    result = add_business_hours(start, hours, tz)
    assert result == due
    assert result.tzinfo is UTC


def test_add_business_hours_refuses_negative_hours() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_hours(utc(2026, 6, 3, 9), -0.5, LONDON)


# --- quiet hours --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "quiet", "expected"),
    [
        (wall(LONDON, 2026, 6, 2, 19, 59), NIGHTS, False),
        (wall(LONDON, 2026, 6, 2, 20, 0), NIGHTS, True),  # quiet from 20:00 included …
        (wall(LONDON, 2026, 6, 3, 7, 59), NIGHTS, True),
        (wall(LONDON, 2026, 6, 3, 8, 0), NIGHTS, False),  # … until 08:00 excluded
        (wall(LONDON, 2026, 6, 3, 0, 0), NIGHTS, True),
        (wall(LONDON, 2026, 6, 6, 12, 0), NIGHTS, True),  # Saturday noon
        (wall(LONDON, 2026, 6, 7, 12, 0), NIGHTS, True),  # Sunday noon
        (wall(LONDON, 2026, 6, 6, 12, 0), NIGHTS_ONLY, False),
        (wall(LONDON, 2026, 6, 2, 12, 30), QuietHours(time(12), time(13), False), True),
        (wall(LONDON, 2026, 6, 2, 13, 0), QuietHours(time(12), time(13), False), False),
        (wall(LONDON, 2026, 6, 2, 23, 0), QuietHours(time(12), time(13), False), False),
        (wall(LONDON, 2026, 6, 2, 3, 0), QuietHours(time(9), time(9), False), False),
        (wall(LONDON, 2026, 6, 6, 3, 0), QuietHours(time(9), time(9), True), True),
        (wall(LONDON, 2026, 6, 2, 22, 0), QuietHours(time(22), time(6)), True),
        (wall(LONDON, 2026, 6, 2, 21, 59), QuietHours(time(22), time(6)), False),
        (wall(LONDON, 2026, 6, 3, 5, 59), QuietHours(time(22), time(6)), True),
        (wall(LONDON, 2026, 6, 3, 6, 0), QuietHours(time(22), time(6)), False),
    ],
)
def test_is_quiet_in_london(at: datetime, quiet: QuietHours, expected: bool) -> None:
    assert is_quiet(at, LONDON, quiet) is expected


def test_quiet_depends_on_the_persons_time_zone() -> None:
    # Friday 11:30 UTC: 20:30 in Tokyo, 17:00 in Kolkata, 12:30 in London, 07:30 in New York.
    at = utc(2026, 6, 5, 11, 30)
    assert is_quiet(at, TOKYO, NIGHTS)
    assert not is_quiet(at, KOLKATA, NIGHTS)
    assert not is_quiet(at, LONDON, NIGHTS)
    assert is_quiet(at, NEW_YORK, NIGHTS)


@pytest.mark.parametrize(
    ("at", "tz", "quiet", "expected"),
    [
        # Allowed: the time itself.
        (wall(LONDON, 2026, 6, 2, 10), LONDON, NIGHTS, utc(2026, 6, 2, 9)),
        (wall(LONDON, 2026, 6, 2, 8), LONDON, NIGHTS, utc(2026, 6, 2, 7)),
        # A weeknight ends at 08:00 the next morning.
        (wall(LONDON, 2026, 6, 2, 21), LONDON, NIGHTS, utc(2026, 6, 3, 7)),
        (wall(LONDON, 2026, 6, 3, 2), LONDON, NIGHTS, utc(2026, 6, 3, 7)),
        # Friday night → Monday 08:00, or Saturday 08:00 when weekends are allowed.
        (wall(LONDON, 2026, 6, 5, 21), LONDON, NIGHTS, utc(2026, 6, 8, 7)),
        (wall(LONDON, 2026, 6, 5, 21), LONDON, NIGHTS_ONLY, utc(2026, 6, 6, 7)),
        # Monday 08:00 after the clocks went forward is 07:00 UTC.
        (wall(LONDON, 2026, 3, 27, 21), LONDON, NIGHTS, utc(2026, 3, 30, 7)),
        (wall(NEW_YORK, 2026, 10, 30, 22), NEW_YORK, NIGHTS, utc(2026, 11, 2, 13)),
        (wall(TOKYO, 2026, 6, 2, 20, 30), TOKYO, NIGHTS, utc(2026, 6, 2, 23)),
        (wall(KOLKATA, 2026, 6, 9, 21), KOLKATA, NIGHTS, utc(2026, 6, 10, 2, 30)),
        # A weekend ends at Monday 00:00 when the quiet night doesn't reach midnight.
        (wall(LONDON, 2026, 6, 6, 12), LONDON, QuietHours(time(12), time(13)), utc(2026, 6, 7, 23)),
        # Wrapping night 22:00–06:00.
        (wall(LONDON, 2026, 6, 2, 23), LONDON, QuietHours(time(22), time(6)), utc(2026, 6, 3, 5)),
        # The end of the night (02:30) is skipped in Jerusalem on Friday 27 March 2026: quiet ends
        # when the clocks jump to 03:00.
        (
            wall(JERUSALEM, 2026, 3, 26, 23),
            JERUSALEM,
            QuietHours(time(20), time(2, 30), False),
            utc(2026, 3, 27, 0),
        ),
        # Cairo's clocks go back from 24:00 to 23:00 on Thursday 31 October 2024: at 23:45 (quiet
        # from 23:30) the jump back to 23:00 ends the quiet stretch.
        (
            utc(2024, 10, 31, 20, 45),
            CAIRO,
            QuietHours(time(23, 30), time(6), False),
            utc(2024, 10, 31, 21),
        ),
    ],
)
def test_next_allowed(at: datetime, tz: str, quiet: QuietHours, expected: datetime) -> None:
    assert next_allowed(at, tz, quiet) == expected


@pytest.mark.parametrize(
    ("at", "tz", "quiet", "expected"),
    [
        (wall(LONDON, 2026, 6, 2, 10), LONDON, NIGHTS, utc(2026, 6, 2, 9)),
        # Quiet from 20:00: the last allowed moment is 19:59.
        (wall(LONDON, 2026, 6, 2, 20), LONDON, NIGHTS, utc(2026, 6, 2, 18, 59)),
        (wall(LONDON, 2026, 6, 3, 7, 59), LONDON, NIGHTS, utc(2026, 6, 2, 18, 59)),
        # Monday early morning → Friday 19:59; Friday 19:59 before the clocks went forward.
        (wall(LONDON, 2026, 6, 8, 7), LONDON, NIGHTS, utc(2026, 6, 5, 18, 59)),
        (wall(LONDON, 2026, 3, 30, 7), LONDON, NIGHTS, utc(2026, 3, 27, 19, 59)),
        (wall(LONDON, 2026, 6, 6, 9), LONDON, NIGHTS_ONLY, utc(2026, 6, 6, 8)),
        # A weekend with short quiet hours: Friday 23:59.
        (
            wall(LONDON, 2026, 6, 7, 12),
            LONDON,
            QuietHours(time(12), time(13)),
            utc(2026, 6, 5, 22, 59),
        ),
        (wall(TOKYO, 2026, 6, 3, 6), TOKYO, NIGHTS, utc(2026, 6, 2, 10, 59)),
        (wall(KOLKATA, 2026, 6, 3, 6), KOLKATA, NIGHTS, utc(2026, 6, 2, 14, 29)),
        (wall(NEW_YORK, 2026, 6, 3, 6), NEW_YORK, NIGHTS, utc(2026, 6, 2, 23, 59)),
    ],
)
def test_last_allowed_before(at: datetime, tz: str, quiet: QuietHours, expected: datetime) -> None:
    assert last_allowed_before(at, tz, quiet) == expected


def test_local() -> None:
    assert local(utc(2026, 6, 5, 11, 30), KOLKATA) == datetime(
        2026, 6, 5, 17, 0, tzinfo=ZoneInfo(KOLKATA)
    )
    assert local(utc(2026, 6, 5, 11, 30), KOLKATA).utcoffset() == timedelta(hours=5, minutes=30)


def test_naive_times_are_refused() -> None:
    naive = datetime(2026, 6, 2, 21)
    for call in (is_quiet, next_allowed, last_allowed_before):
        with pytest.raises(ValueError, match="no time zone"):
            call(naive, LONDON, NIGHTS)


# --- properties -------------------------------------------------------------------------------

# Real zones with awkward rules: half-hour and 45-minute offsets, half-hour DST (Lord Howe),
# changes at midnight (Havana, Santiago, Cairo), on weekdays (Jerusalem, Cairo), southern summers.
ZONES = [
    LONDON,
    NEW_YORK,
    TOKYO,
    KOLKATA,
    JERUSALEM,
    CAIRO,
    "America/Havana",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Pacific/Auckland",
    "UTC",
]
# Apia skipped the whole of Friday 30 December 2011: quiet hours must still work there.
QUIET_ZONES = [*ZONES, "Pacific/Apia"]

instants = st.datetimes(min_value=datetime(2005, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda naive: naive.replace(tzinfo=UTC)
)
minutes = st.builds(time, st.integers(0, 23), st.integers(0, 59))
quiet_hours = st.builds(QuietHours, minutes, minutes, st.booleans())


def samples(low: datetime, high: datetime, count: int = 24) -> list[datetime]:
    return [low + (high - low) * n / count for n in range(count)]


@settings(max_examples=300, deadline=None)
@given(at=instants, tz=st.sampled_from(QUIET_ZONES), quiet=quiet_hours)
def test_next_allowed_is_the_first_allowed_instant(
    at: datetime, tz: str, quiet: QuietHours
) -> None:
    result = next_allowed(at, tz, quiet)
    assert result >= at
    assert not is_quiet(result, tz, quiet)
    if result > at:
        assert is_quiet(result - timedelta(microseconds=1), tz, quiet)
        assert all(is_quiet(moment, tz, quiet) for moment in samples(at, result))
    assert result < at + timedelta(days=4)


@settings(max_examples=300, deadline=None)
@given(at=instants, tz=st.sampled_from(QUIET_ZONES), quiet=quiet_hours)
def test_last_allowed_before_is_the_last_allowed_minute(
    at: datetime, tz: str, quiet: QuietHours
) -> None:
    result = last_allowed_before(at, tz, quiet)
    assert result <= at
    assert not is_quiet(result, tz, quiet)
    if result < at:
        assert all(
            is_quiet(moment, tz, quiet) for moment in samples(result + timedelta(minutes=1), at)
        )
    assert result > at - timedelta(days=4)


@settings(max_examples=300, deadline=None)
@given(
    start=instants,
    days=st.integers(0, 40),
    more=st.integers(1, 40),
    tz=st.sampled_from(ZONES),
)
def test_add_business_days_lands_on_a_weekday_at_the_same_local_time(
    start: datetime, days: int, more: int, tz: str
) -> None:
    result = add_business_days(start, days, tz)
    assert result.tzinfo is UTC
    assert result >= start
    landed = local(result, tz)
    assert landed.weekday() < 5
    began = local(start, tz)
    if landed.time() != began.time():
        # Only where that wall time doesn't exist on the day it lands: then the first instant after.
        skipped = datetime.combine(landed.date(), began.time(), tzinfo=ZoneInfo(tz))
        assert skipped.astimezone(UTC).astimezone(ZoneInfo(tz)).time() != began.time()
        before = local(result - timedelta(seconds=1), tz).replace(tzinfo=None)
        assert before < datetime.combine(landed.date(), began.time())
    # Monotonic in `days`, and each business day lands on a later date.
    later = add_business_days(start, days + more, tz)
    assert later > result
    assert local(later, tz).date() > landed.date()


@settings(max_examples=300, deadline=None)
@given(
    start=instants,
    first=st.integers(0, 24 * 60 * 12),
    second=st.integers(0, 24 * 60 * 12),
    tz=st.sampled_from(ZONES),
)
def test_add_business_hours_adds_up_and_skips_weekends(
    start: datetime, first: int, second: int, tz: str
) -> None:
    once = add_business_hours(start, (first + second) / 60, tz)
    twice = add_business_hours(add_business_hours(start, first / 60, tz), second / 60, tz)
    assert once == twice
    assert once >= start
    assert local(once, tz).weekday() < 5
    assert add_business_hours(start, first / 60, tz) <= once
