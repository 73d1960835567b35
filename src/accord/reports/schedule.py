"""When a manager's report goes out: the next delivery slot in their time zone, and the default
schedule read from the communication agreement of their latest brief."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from accord.briefs.models import BriefVersion
from accord.briefs.models import Frequency as BriefFrequency
from accord.reports.models import Frequency, ReportSchedule, Weekday
from accord.workspaces.models import Member

# Whole day names or their usual abbreviations, so "monthly" isn't Monday.
WEEKDAYS = {
    r"mon(?:day)?": Weekday.MONDAY,
    r"tue(?:s|sday)?": Weekday.TUESDAY,
    r"wed(?:nesday)?": Weekday.WEDNESDAY,
    r"thu(?:r|rs|rsday)?": Weekday.THURSDAY,
    r"fri(?:day)?": Weekday.FRIDAY,
    r"sat(?:urday)?": Weekday.SATURDAY,
    r"sun(?:day)?": Weekday.SUNDAY,
}
CLOCK = re.compile(r"\b(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?\b", re.IGNORECASE)
PARTS_OF_DAY = {"morning": time(9, 0), "lunch": time(12, 30), "afternoon": time(14, 0)}


def _local(day: datetime, at: time, zone: ZoneInfo) -> datetime:
    """`at` on `day`'s date in `zone`, as an aware datetime; a time skipped by a clock change
    lands just after the change (fold=0 reads it with the offset before)."""
    return datetime.combine(day.date(), at, tzinfo=zone).astimezone(UTC).astimezone(zone)


def next_slot(schedule: ReportSchedule, after: datetime) -> datetime | None:
    """The first delivery time strictly after `after`, in UTC; None when reports are off.

    Every two weeks counts from the previous slot, so a late round doesn't shift the rhythm."""
    if schedule.frequency == Frequency.OFF:
        return None
    zone = ZoneInfo(schedule.time_zone or "UTC")
    if schedule.frequency == Frequency.BIWEEKLY and schedule.next_due_at is not None:
        slot = schedule.next_due_at.astimezone(zone)
        while slot <= after:
            slot = _local(slot + timedelta(days=14), schedule.at, zone)
        return slot.astimezone(UTC)
    day = after.astimezone(zone)
    for offset in range(0, 15):
        candidate = _local(day + timedelta(days=offset), schedule.at, zone)
        if candidate <= after:
            continue
        weekday = candidate.weekday()
        if schedule.frequency == Frequency.DAILY and weekday < Weekday.SATURDAY:
            return candidate.astimezone(UTC)
        if schedule.frequency != Frequency.DAILY and weekday == schedule.weekday:
            return candidate.astimezone(UTC)
    raise AssertionError("a weekday recurs within a fortnight")  # pragma: no cover


def from_brief(brief: BriefVersion | None) -> dict[str, object]:
    """The schedule a brief's communication agreement implies: "weekly, Tuesday mornings"."""
    values: dict[str, object] = {}
    if brief is None:
        return values
    frequency = {
        BriefFrequency.DAILY: Frequency.DAILY,
        BriefFrequency.WEEKLY: Frequency.WEEKLY,
        BriefFrequency.BIWEEKLY: Frequency.BIWEEKLY,
    }.get(brief.update_frequency)  # type: ignore[call-overload]
    if frequency:
        values["frequency"] = frequency
    text = brief.best_times.lower()
    for word, weekday in WEEKDAYS.items():
        if re.search(rf"\b{word}s?\b", text):
            values["weekday"] = weekday
            break
    match = CLOCK.search(text)
    if match and (match.group(2) or match.group(3)):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3) and match.group(3).lower() == "pm" and hour < 12:
            hour += 12
        if match.group(3) and match.group(3).lower() == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            values["at"] = time(hour, minute)
    else:
        for part, at in PARTS_OF_DAY.items():
            if part in text:
                values["at"] = at
                break
    if brief.update_time_zone:
        values["time_zone"] = brief.update_time_zone
    return values


def latest_brief_of(manager: Member) -> BriefVersion | None:
    return (
        BriefVersion.objects.filter(requisition__hiring_managers=manager, signed_at__isnull=False)
        .only("update_frequency", "best_times", "update_time_zone", "requisition_id")
        .order_by("-signed_at", "-pk")
        .first()
    )
