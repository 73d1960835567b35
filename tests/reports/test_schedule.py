"""When a manager's report goes out: their weekday and time in their time zone, across clock
changes, once per slot whoever runs the round."""

from datetime import UTC, datetime, time

import pytest

from accord.briefs.models import BriefVersion
from accord.reports import services
from accord.reports.models import Frequency, ReportNote, ReportSchedule, Scope, StatusReport
from accord.reports.schedule import from_brief, next_slot
from accord.workspaces.models import Member
from tests.reports.conftest import build_history

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def schedule(**values: object) -> ReportSchedule:
    defaults = {"frequency": Frequency.WEEKLY, "weekday": 1, "at": time(8, 30)}
    return ReportSchedule(**{"time_zone": NEW_YORK, **defaults, **values})


def test_weekly_slot_is_the_local_weekday_and_time_across_the_clock_change() -> None:
    # Tuesday 27 October 2026, New York on daylight time (UTC-4); the clocks go back on 1 Nov.
    s = schedule()
    first = next_slot(s, at(2026, 10, 26, 12))
    assert first == at(2026, 10, 27, 12, 30)
    s.next_due_at = first
    assert next_slot(s, first) == at(2026, 11, 3, 13, 30)  # 08:30 standard time (UTC-5)


def test_a_slot_already_passed_today_moves_to_next_week() -> None:
    assert next_slot(schedule(), at(2026, 10, 27, 12, 30)) == at(2026, 11, 3, 13, 30)
    assert next_slot(schedule(), at(2026, 10, 27, 12, 29)) == at(2026, 10, 27, 12, 30)


def test_daily_skips_weekends_and_biweekly_keeps_its_rhythm() -> None:
    daily = schedule(frequency=Frequency.DAILY)
    assert next_slot(daily, at(2026, 10, 30, 13)) == at(
        2026, 11, 2, 13, 30
    )  # Fri → Mon, standard time
    biweekly = schedule(frequency=Frequency.BIWEEKLY, next_due_at=at(2026, 10, 27, 12, 30))
    assert next_slot(biweekly, at(2026, 10, 27, 12, 30)) == at(2026, 11, 10, 13, 30)
    assert next_slot(schedule(frequency=Frequency.OFF), at(2026, 10, 27)) is None


def test_the_brief_communication_agreement_sets_the_default() -> None:
    brief = BriefVersion(
        update_frequency="biweekly", best_times="Thursdays after 4pm", update_time_zone=NEW_YORK
    )
    assert from_brief(brief) == {
        "frequency": Frequency.BIWEEKLY,
        "weekday": 3,
        "at": time(16, 0),
        "time_zone": NEW_YORK,
    }
    assert from_brief(BriefVersion(best_times="Monday mornings")) == {
        "weekday": 0,
        "at": time(9, 0),
    }


def tuesdays_at_0830_new_york(manager: Member, *, by: Member, now: datetime) -> None:
    services.schedule_update(
        actor=by,
        member=manager,
        frequency=Frequency.WEEKLY,
        weekday=1,
        at=time(8, 30),
        time_zone=NEW_YORK,
        now=now,
    )


def test_weekly_delivery_happens_at_the_managers_local_time_once(
    recruiter: Member, hiring_manager: Member, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    history = build_history(recruiter, hiring_manager)
    tuesdays_at_0830_new_york(hiring_manager, by=hiring_manager, now=at(2026, 10, 26, 12))

    def round_at(now: datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.deliver_due(now)

    assert round_at(at(2026, 10, 27, 12, 29)) == 0  # 08:29 in New York
    assert StatusReport.objects.count() == 0
    assert round_at(at(2026, 10, 27, 12, 30)) == 1
    assert round_at(at(2026, 10, 27, 12, 31)) == 0
    assert round_at(at(2026, 10, 27, 18)) == 0

    report = StatusReport.objects.get()
    assert report.scope == Scope.REQUISITION
    assert report.requisition == history.requisition
    assert report.slot == at(2026, 10, 27, 12, 30)
    assert report.sent_by is None
    assert report.pdf
    assert report.delivered_at
    assert [m.subject for m in mailoutbox] == ["Hiring status: Platform Engineer (Late)"]
    assert ReportSchedule.objects.get().next_due_at == at(2026, 11, 3, 13, 30)

    # A second round racing for the same slot writes nothing more.
    assert (
        services.rollup_send(
            actor=None,
            manager=hiring_manager,
            now=at(2026, 10, 27, 12, 31),
            slot=at(2026, 10, 27, 12, 30),
        )
        is None
    )
    assert StatusReport.objects.count() == 1


def test_the_recruiter_is_asked_for_a_fresh_narrative_a_day_before_once(
    recruiter: Member, hiring_manager: Member, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    history = build_history(recruiter, hiring_manager)
    tuesdays_at_0830_new_york(hiring_manager, by=recruiter, now=at(2026, 10, 19, 12))
    with django_capture_on_commit_callbacks(execute=True):
        services.note_save(
            actor=recruiter,
            requisition=history.requisition,
            narrative="Week 1",
            next_steps="",
            revision=0,
        )
        ReportNote.objects.update(updated_at=at(2026, 10, 19, 15))
        services.deliver_due(at(2026, 10, 20, 12, 30))  # last week's report
    mailoutbox.clear()

    def round_at(now: datetime) -> list[str]:
        with django_capture_on_commit_callbacks(execute=True):
            services.deliver_due(now)
        return [m.subject for m in mailoutbox if "narrative" in m.subject]

    assert round_at(at(2026, 10, 26, 12, 29)) == []  # more than a day before
    asked = ["Hugo Manager’s status report goes out soon: add this week’s narrative"]
    assert round_at(at(2026, 10, 26, 12, 31)) == asked
    assert round_at(at(2026, 10, 26, 18)) == asked  # once
    assert "/report/" in mailoutbox[-1].body


def test_no_reminder_when_the_narrative_is_fresh(
    recruiter: Member, hiring_manager: Member, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    history = build_history(recruiter, hiring_manager)
    tuesdays_at_0830_new_york(hiring_manager, by=recruiter, now=at(2026, 10, 19, 12))
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver_due(at(2026, 10, 20, 12, 30))
    services.note_save(
        actor=recruiter,
        requisition=history.requisition,
        narrative="Written after last week's report",
        next_steps="",
        revision=0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver_due(at(2026, 10, 26, 13))
    assert not [m for m in mailoutbox if "narrative" in m.subject]


def test_monthly_is_not_monday() -> None:
    brief = BriefVersion(best_times="Thursday mornings, after the monthly review")
    assert from_brief(brief)["weekday"] == 3


def test_saving_the_same_schedule_keeps_the_fortnight(
    recruiter: Member, hiring_manager: Member
) -> None:
    values = {
        "frequency": Frequency.BIWEEKLY,
        "weekday": 1,
        "at": time(8, 30),
        "time_zone": NEW_YORK,
    }
    first = services.schedule_update(
        actor=recruiter, member=hiring_manager, now=at(2026, 10, 19, 12), **values
    )
    again = services.schedule_update(
        actor=recruiter, member=hiring_manager, now=at(2026, 10, 21, 12), **values
    )
    assert again.next_due_at == first.next_due_at == at(2026, 10, 20, 12, 30)
