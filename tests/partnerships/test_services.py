"""The partnership memory's writes: the profile with conflict detection, touchpoints moving the
next check-in, check-in reminders at a controlled time, and lessons carried into an intake."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from accord.audit.models import AuditEntry
from accord.briefs.models import BriefVersion
from accord.lib.conflicts import Conflict
from accord.nudges.models import ContactPreference, Message, MessageKind
from accord.partnerships import services
from accord.partnerships.models import (
    Cadence,
    Lesson,
    LessonSource,
    LessonUse,
    Partnership,
    Touchpoint,
    TouchpointKind,
)
from accord.partnerships.selectors import agreement_of, latest_signed_brief, partnership_of
from accord.requisitions.models import Status
from accord.workspaces.models import Member, Role
from tests.factories import BriefVersionFactory, MemberFactory, RequisitionFactory

pytestmark = pytest.mark.django_db


def profile(**changes: object) -> services.ProfileInput:
    values: dict[str, object] = {
        "team": "Platform",
        "business_goals": "Move billing to events.",
        "challenges": "",
        "team_dynamics": "",
        "update_channel": "",
        "update_frequency": "",
        "best_times": "",
        "update_time_zone": "",
        "checkin_every": Cadence.MONTHLY,
        "next_checkin_on": None,
        "recruiter": None,
    }
    values.update(changes)
    return services.ProfileInput(**values)  # type: ignore[arg-type]


# --- the profile ------------------------------------------------------------------------------


def test_reading_a_profile_writes_nothing(hiring_manager: Member) -> None:
    partnership = partnership_of(hiring_manager)
    assert partnership.pk is None
    assert partnership.checkin_every == Cadence.MONTHLY
    assert not Partnership.objects.exists()


def test_first_save_makes_the_partnership_and_a_stale_save_is_a_conflict(
    recruiter: Member, admin: Member, hiring_manager: Member
) -> None:
    saved = services.partnership_save(
        actor=recruiter, manager=hiring_manager, data=profile(recruiter=recruiter), revision=1
    )
    assert saved.pk is not None
    assert (saved.team, saved.revision, saved.recruiter) == ("Platform", 2, recruiter)
    entry = AuditEntry.objects.get(action="partnership.updated")
    assert entry.changes["team"] == ["", "Platform"]

    with pytest.raises(Conflict) as conflict:
        services.partnership_save(
            actor=admin, manager=hiring_manager, data=profile(team="Mine"), revision=1
        )
    assert conflict.value.current.team == "Platform"  # type: ignore[attr-defined]
    saved.refresh_from_db()
    assert (saved.team, saved.revision) == ("Platform", 2)
    # Based on the latest revision, it saves.
    again = services.partnership_save(
        actor=admin, manager=hiring_manager, data=profile(team="Mine"), revision=2
    )
    assert (again.team, again.revision, again.updated_by) == ("Mine", 3, admin)


def test_bad_input_and_wrong_people_change_nothing(
    recruiter: Member, hiring_manager: Member, interviewer: Member, outsider: Member
) -> None:
    with pytest.raises(ValidationError) as error:
        services.partnership_save(
            actor=recruiter,
            manager=hiring_manager,
            data=profile(checkin_every=5, update_channel="pigeon", team="x" * 121),
            revision=1,
        )
    assert set(error.value.message_dict) == {"checkin_every", "update_channel", "team"}
    with pytest.raises(ValidationError):  # the manager can't edit the notes about them
        services.partnership_save(
            actor=hiring_manager, manager=hiring_manager, data=profile(), revision=1
        )
    with pytest.raises(ValidationError):  # someone of another workspace
        services.partnership_save(
            actor=outsider, manager=hiring_manager, data=profile(), revision=1
        )
    with pytest.raises(ValidationError):  # not a hiring manager
        services.partnership_save(actor=recruiter, manager=interviewer, data=profile(), revision=1)
    assert not Partnership.objects.exists()
    assert not AuditEntry.objects.filter(action="partnership.updated").exists()


def test_agreement_comes_from_the_latest_signed_intake_until_edited(
    recruiter: Member, hiring_manager: Member
) -> None:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    BriefVersionFactory(
        requisition=requisition,
        signed_at=datetime(2026, 1, 5, tzinfo=UTC),
        update_channel="chat",
        update_frequency="weekly",
        best_times="Tuesday mornings",
        update_time_zone="Europe/London",
    )
    brief = latest_signed_brief(hiring_manager)
    shown = agreement_of(partnership_of(hiring_manager), brief)
    assert shown.source == brief
    assert shown.summary == "Chat (Slack or Teams), weekly, Tuesday mornings (Europe/London)"
    # Saving the profile with the agreement as shown keeps following the brief.
    kept = services.partnership_save(
        actor=recruiter, manager=hiring_manager, data=profile(**shown.values()), revision=1
    )
    assert kept.agreement_edited_at is None
    assert kept.update_channel == ""
    # Changing it makes it the partnership's own.
    edited = services.partnership_save(
        actor=recruiter,
        manager=hiring_manager,
        data=profile(**{**shown.values(), "update_channel": "email"}),
        revision=kept.revision,
    )
    assert edited.agreement_edited_at is not None
    assert (edited.update_channel, edited.best_times) == ("email", "Tuesday mornings")
    assert agreement_of(edited, brief).source is None


# --- touchpoints and check-ins ---------------------------------------------------------------


def test_a_contact_touchpoint_moves_the_next_checkin_and_a_note_does_not(
    recruiter: Member, hiring_manager: Member
) -> None:
    call = services.touchpoint_log(
        actor=recruiter,
        manager=hiring_manager,
        data=services.TouchpointInput(
            kind=TouchpointKind.CALL,
            occurred_on=date(2026, 3, 2),
            summary="Talked about Q2 plans.",
            next_step="Send the market data",
            next_step_on=date(2026, 3, 9),
        ),
    )
    partnership = Partnership.objects.get(manager=hiring_manager)
    assert partnership.next_checkin_on == date(2026, 4, 1)  # monthly: 30 days on
    assert call.author == recruiter
    assert AuditEntry.objects.get(action="touchpoint.logged").changes["next_checkin_on"] == [
        None,
        "2026-04-01",
    ]
    services.touchpoint_log(
        actor=recruiter,
        manager=hiring_manager,
        data=services.TouchpointInput(
            kind=TouchpointKind.NOTE, occurred_on=date(2026, 3, 5), summary="Heard she’s hiring."
        ),
    )
    # An older contact logged late doesn't move it back.
    services.touchpoint_log(
        actor=recruiter,
        manager=hiring_manager,
        data=services.TouchpointInput(
            kind=TouchpointKind.MEETING, occurred_on=date(2026, 2, 1), summary="Coffee."
        ),
    )
    partnership.refresh_from_db()
    assert partnership.next_checkin_on == date(2026, 4, 1)
    assert Touchpoint.objects.count() == 3


def test_a_bad_touchpoint_changes_nothing(recruiter: Member, hiring_manager: Member) -> None:
    other = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    with pytest.raises(ValidationError) as error:
        services.touchpoint_log(
            actor=recruiter,
            manager=hiring_manager,
            data=services.TouchpointInput(
                kind="lunch",
                occurred_on=date.today() + timedelta(days=3),
                summary="  ",
                next_step_on=date.today(),
                requisition=other,
            ),
        )
    assert set(error.value.message_dict) == {
        "kind",
        "occurred_on",
        "summary",
        "next_step",
        "next_step_on",  # before the (future) date of the touchpoint
        "requisition",
    }
    assert not Partnership.objects.exists()
    assert not Touchpoint.objects.exists()


def _due(recruiter: Member, manager: Member, day: date, **extra: object) -> Partnership:
    return Partnership.objects.create(
        workspace=manager.workspace,
        manager=manager,
        recruiter=recruiter,
        next_checkin_on=day,
        **extra,
    )


def test_checkin_reminder_once_at_its_date_in_the_recruiters_zone(
    recruiter: Member, hiring_manager: Member
) -> None:
    # Rita is in London; her quiet hours are 20:00–08:00 and weekends (the defaults).
    partnership = _due(recruiter, hiring_manager, date(2026, 6, 16))  # a Tuesday
    monday_noon = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
    assert services.checkins_remind(monday_noon) == 0
    # 23:30 UTC on Monday is 00:30 on Tuesday in London: due, but quiet: held.
    assert services.checkins_remind(datetime(2026, 6, 15, 23, 30, tzinfo=UTC)) == 0
    tuesday_morning = datetime(2026, 6, 16, 8, 30, tzinfo=UTC)  # 09:30 in London
    assert services.checkins_remind(tuesday_morning) == 1
    assert services.checkins_remind(tuesday_morning + timedelta(hours=1)) == 0
    message = Message.objects.get()
    assert (message.recipient, message.kind) == (recruiter, MessageKind.CHECKIN)
    assert "Hugo Manager" in message.subject
    profile_url = f"/w/acme/partners/{hiring_manager.public_id}/"
    assert any(profile_url in url for _label, url in message.links)
    assert "no role open" in message.text  # he has no requisition at all
    assert "Your check-in with Hugo Manager is due today (Tue 16 Jun)." in message.text
    partnership.refresh_from_db()
    assert partnership.checkin_reminded_for == date(2026, 6, 16)
    # A new date (after the check-in was logged) is reminded in its turn.
    Partnership.objects.filter(pk=partnership.pk).update(next_checkin_on=date(2026, 7, 16))
    assert services.checkins_remind(datetime(2026, 7, 16, 9, 0, tzinfo=UTC)) == 1


def test_checkin_reminder_respects_the_recruiters_own_quiet_hours(
    recruiter: Member, hiring_manager: Member
) -> None:
    ContactPreference.objects.create(
        member=recruiter, quiet_start=time(9, 0), quiet_end=time(12, 0), quiet_weekends=False
    )
    _due(recruiter, hiring_manager, date(2026, 6, 13))  # a Saturday
    assert services.checkins_remind(datetime(2026, 6, 13, 9, 0, tzinfo=UTC)) == 0  # 10:00 London
    assert services.checkins_remind(datetime(2026, 6, 13, 11, 0, tzinfo=UTC)) == 1  # 12:00


def test_checkin_reminder_goes_to_the_recruiter_of_the_managers_requisition_or_nobody(
    recruiter: Member, hiring_manager: Member, workspace
) -> None:
    other_manager = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    Partnership.objects.create(
        workspace=workspace, manager=hiring_manager, next_checkin_on=date(2026, 6, 1)
    )
    Partnership.objects.create(
        workspace=workspace, manager=other_manager, next_checkin_on=date(2026, 6, 1)
    )
    RequisitionFactory(
        workspace=workspace,
        recruiter=recruiter,
        hiring_managers=[hiring_manager],
        status=Status.FILLED,
    )
    assert services.checkins_remind(datetime(2026, 6, 16, 9, 0, tzinfo=UTC)) == 1
    message = Message.objects.get()
    assert message.recipient == recruiter
    assert "Your check-in with Hugo Manager was due on Mon 1 Jun." in message.text


def test_two_rounds_at_once_remind_once(recruiter: Member, hiring_manager: Member) -> None:
    partnership = _due(recruiter, hiring_manager, date(2026, 6, 16))
    now = datetime(2026, 6, 16, 9, 0, tzinfo=UTC)
    # Another round claimed this date between our read and our claim.
    stale = Partnership.objects.get(pk=partnership.pk)
    Partnership.objects.filter(pk=partnership.pk).update(checkin_reminded_for=date(2026, 6, 16))
    assert services.checkins_remind(now) == 0
    assert stale.checkin_reminded_for is None
    assert not Message.objects.exists()


# --- lessons -------------------------------------------------------------------------------


def test_lessons_by_hand_from_a_touchpoint_retired_and_restored(
    recruiter: Member, hiring_manager: Member
) -> None:
    touchpoint = services.touchpoint_log(
        actor=recruiter,
        manager=hiring_manager,
        data=services.TouchpointInput(
            kind=TouchpointKind.MEETING,
            occurred_on=date(2026, 3, 2),
            summary="She wants take-homes dropped.",
        ),
    )
    from_touchpoint = services.lesson_add(
        actor=recruiter,
        manager=hiring_manager,
        text="No take-home tests: she loses candidates to them.",
        applies_to="process_notes",
        touchpoint=touchpoint,
    )
    assert from_touchpoint.source == LessonSource.TOUCHPOINT
    by_hand = services.lesson_add(
        actor=recruiter, manager=hiring_manager, text="Send shortlists on Monday mornings."
    )
    assert (by_hand.source, by_hand.applies_to) == (LessonSource.NOTE, "")
    with pytest.raises(ValidationError):
        services.lesson_add(actor=recruiter, manager=hiring_manager, text=" ", applies_to="salary")
    assert Lesson.objects.count() == 2

    services.lesson_retire(actor=recruiter, lesson=by_hand)
    assert by_hand.retired_at is not None
    services.lesson_retire(actor=recruiter, lesson=by_hand, retired=False)
    assert by_hand.retired_at is None
    assert list(
        AuditEntry.objects.filter(action__startswith="lesson.").values_list("action", flat=True)
    ) == ["lesson.restored", "lesson.retired", "lesson.added", "lesson.added"]


def test_a_lesson_is_carried_into_the_draft_once(recruiter: Member, hiring_manager: Member) -> None:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    draft = BriefVersionFactory(requisition=requisition, process_notes="Two interviews.")
    general = services.lesson_add(
        actor=recruiter, manager=hiring_manager, text="She decides faster after a call."
    )
    people = services.lesson_add(
        actor=recruiter,
        manager=hiring_manager,
        text="Hires who ask lots of questions do well here.",
        applies_to="who_thrives",
    )
    revision = draft.revision
    assert services.lesson_carry(actor=recruiter, lesson=general, version=draft) is True
    assert services.lesson_carry(actor=recruiter, lesson=general, version=draft) is False
    assert services.lesson_carry(actor=recruiter, lesson=people, version=draft) is True
    draft = BriefVersion.objects.get(pk=draft.pk)
    assert draft.process_notes == "Two interviews.\n\nShe decides faster after a call."
    assert draft.who_thrives == "Hires who ask lots of questions do well here."
    assert draft.revision == revision + 2
    assert "process_notes" in draft.field_edits
    assert LessonUse.objects.filter(version=draft).count() == 2
    assert AuditEntry.objects.filter(action="lesson.carried").count() == 2
    assert AuditEntry.objects.filter(action="brief.answers_saved").count() == 2


def test_a_lesson_is_not_carried_by_its_manager_or_into_a_signed_brief(
    recruiter: Member, hiring_manager: Member, admin: Member
) -> None:
    # An admin who is also this role's hiring manager: the lessons are about them.
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[admin]
    )
    draft = BriefVersionFactory(requisition=requisition)
    lesson = services.lesson_add(actor=recruiter, manager=admin, text="Prefers calls.")
    with pytest.raises(ValidationError):
        services.lesson_carry(actor=admin, lesson=lesson, version=draft)
    with pytest.raises(ValidationError):
        services.lesson_carry(actor=hiring_manager, lesson=lesson, version=draft)
    signed = BriefVersionFactory(
        requisition=requisition, number=2, signed_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    with pytest.raises(ValidationError):
        services.lesson_carry(actor=recruiter, lesson=lesson, version=signed)
    assert not LessonUse.objects.exists()
    assert BriefVersion.objects.get(pk=draft.pk).process_notes == ""


# --- reminders go only to the recruiting team, one failure holds up nobody --------------------


def test_checkin_reminder_never_goes_to_someone_no_longer_a_recruiter(
    recruiter: Member, hiring_manager: Member, workspace
) -> None:
    # Rita keeps in touch with Hugo, then becomes an interviewer: the reminder (with the team's
    # notes) goes to the recruiter of Hugo's latest requisition instead.
    partnership = _due(recruiter, hiring_manager, date(2026, 6, 1))
    other = MemberFactory(workspace=workspace, role=Role.RECRUITER)
    RequisitionFactory(workspace=workspace, recruiter=other, hiring_managers=[hiring_manager])
    Member.objects.filter(pk=recruiter.pk).update(role=Role.INTERVIEWER)
    assert services.checkins_remind(datetime(2026, 6, 16, 9, 0, tzinfo=UTC)) == 1
    assert Message.objects.get().recipient == other
    # When the latest requisition's recruiter is now a hiring manager too: nobody.
    Message.objects.all().delete()
    Member.objects.filter(pk=other.pk).update(role=Role.HIRING_MANAGER)
    Partnership.objects.filter(pk=partnership.pk).update(
        next_checkin_on=date(2026, 7, 1), checkin_reminded_for=None
    )
    assert services.checkins_remind(datetime(2026, 7, 16, 9, 0, tzinfo=UTC)) == 0
    assert not Message.objects.exists()


def test_checkin_reminder_never_goes_to_the_manager_it_is_about(
    admin: Member, recruiter: Member, workspace
) -> None:
    # An admin who manages a role, named as their own partnership's recruiter (and recruiting
    # their own requisition): not reminded of the notes about themselves.
    RequisitionFactory(workspace=workspace, recruiter=admin, hiring_managers=[admin])
    _due(admin, admin, date(2026, 6, 1))
    assert services.checkins_remind(datetime(2026, 6, 16, 9, 0, tzinfo=UTC)) == 0
    assert not Message.objects.exists()


def test_one_failing_reminder_holds_up_no_other(
    recruiter: Member, hiring_manager: Member, workspace, monkeypatch, caplog
) -> None:
    second = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    failing = _due(recruiter, hiring_manager, date(2026, 6, 1))  # first in the round
    _due(recruiter, second, date(2026, 6, 2))
    render_content = services._checkin_content

    def content(partnership: Partnership, *args: object, **kwargs: object) -> object:
        if partnership.pk == failing.pk:
            raise RuntimeError("template broken")
        return render_content(partnership, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "_checkin_content", content)
    assert services.checkins_remind(datetime(2026, 6, 16, 9, 0, tzinfo=UTC)) == 1
    assert Message.objects.get().recipient == recruiter
    assert "Check-in reminder for partnership" in caplog.text
    failing.refresh_from_db()
    assert failing.checkin_reminded_for is None  # its claim rolled back: tried again next round


def test_the_round_skips_check_ins_turned_off_and_claims_what_nobody_can_be_reminded_of(
    recruiter: Member, hiring_manager: Member, workspace, django_assert_num_queries
) -> None:
    off = _due(recruiter, hiring_manager, date(2026, 6, 1), checkin_every=Cadence.OFF)
    lonely_manager = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    lonely = Partnership.objects.create(
        workspace=workspace, manager=lonely_manager, next_checkin_on=date(2026, 6, 1)
    )
    now = datetime(2026, 6, 16, 9, 0, tzinfo=UTC)
    assert services.checkins_remind(now) == 0
    assert not Message.objects.exists()
    off.refresh_from_db()
    lonely.refresh_from_db()
    assert off.checkin_reminded_for is None
    assert lonely.checkin_reminded_for == date(2026, 6, 1)
    with django_assert_num_queries(1):  # the round's one query, nothing to look at
        assert services.checkins_remind(now) == 0
    # Naming a recruiter makes the date due again.
    services.partnership_save(
        actor=recruiter,
        manager=lonely_manager,
        data=profile(next_checkin_on=date(2026, 6, 1), recruiter=recruiter),
        revision=lonely.revision,
    )
    assert services.checkins_remind(now) == 1


def test_nobody_keeps_notes_about_themselves(admin: Member, workspace) -> None:
    RequisitionFactory(workspace=workspace, hiring_managers=[admin])
    with pytest.raises(ValidationError):
        services.lesson_add(actor=admin, manager=admin, text="Slow to decide.")
    with pytest.raises(ValidationError):
        services.partnership_save(actor=admin, manager=admin, data=profile(), revision=0)
    assert not Partnership.objects.exists()


def test_carrying_puts_the_recruiters_wording_into_the_brief(
    recruiter: Member, hiring_manager: Member, workspace
) -> None:
    lesson = services.lesson_add(
        actor=recruiter, manager=hiring_manager, text="Hugo ghosts candidates he dislikes."
    )
    requisition = RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    draft = BriefVersionFactory(requisition=requisition)
    draft.requisition = requisition
    for text in ("   ", "x" * 1001):
        with pytest.raises(ValidationError) as error:
            services.lesson_carry(actor=recruiter, lesson=lesson, version=draft, text=text)
        assert "text" in error.value.message_dict
    assert not LessonUse.objects.exists()
    assert services.lesson_carry(
        actor=recruiter,
        lesson=lesson,
        version=draft,
        text=" Give every candidate an answer within a week. ",
    )
    draft.refresh_from_db()
    assert draft.process_notes == "Give every candidate an answer within a week."
    assert "ghosts" not in str(draft.process_notes)
    entry = AuditEntry.objects.get(action="lesson.carried")
    assert entry.changes["reworded"][1] == "Give every candidate an answer within a week."


def test_a_manager_is_not_their_own_partnerships_recruiter(
    recruiter: Member, admin: Member, workspace
) -> None:
    RequisitionFactory(workspace=workspace, recruiter=recruiter, hiring_managers=[admin])
    with pytest.raises(ValidationError) as error:
        services.partnership_save(
            actor=recruiter, manager=admin, data=profile(recruiter=admin), revision=1
        )
    assert set(error.value.message_dict) == {"recruiter"}


# --- touchpoints corrected and deleted -------------------------------------------------------


def touch(
    recruiter: Member, manager: Member, day: date, kind: str = TouchpointKind.CALL, **extra: object
) -> Touchpoint:
    return services.touchpoint_log(
        actor=recruiter,
        manager=manager,
        data=services.TouchpointInput(
            kind=kind, occurred_on=day, summary=str(extra.pop("summary", "Talked.")), **extra
        ),  # type: ignore[arg-type]
    )


def edit(touchpoint: Touchpoint, **changes: object) -> services.TouchpointInput:
    values: dict[str, object] = {
        "kind": touchpoint.kind,
        "occurred_on": touchpoint.occurred_on,
        "summary": touchpoint.summary,
        "next_step": touchpoint.next_step,
        "next_step_on": touchpoint.next_step_on,
        "requisition": touchpoint.requisition,
    }
    values.update(changes)
    return services.TouchpointInput(**values)  # type: ignore[arg-type]


def test_a_correction_is_audited_and_a_stale_one_is_a_conflict(
    recruiter: Member, admin: Member, hiring_manager: Member
) -> None:
    note = touch(recruiter, hiring_manager, date(2026, 3, 2), TouchpointKind.NOTE)
    role = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    saved = services.touchpoint_update(
        actor=admin,
        touchpoint=note,
        data=edit(
            note,
            summary=" Wants two platform hires. ",
            next_step="Draft  the role",
            next_step_on=date(2026, 3, 9),
            requisition=role,
        ),
        revision=1,
    )
    saved.refresh_from_db()
    assert (saved.summary, saved.next_step, saved.requisition) == (
        "Wants two platform hires.",
        "Draft the role",
        role,
    )
    assert (saved.revision, saved.updated_by, saved.author) == (2, admin, recruiter)
    assert saved.updated_at is not None
    entry = AuditEntry.objects.get(action="touchpoint.updated")
    assert entry.changes["summary"] == ["Talked.", "Wants two platform hires."]
    assert entry.changes["next_step_on"] == [None, "2026-03-09"]
    assert entry.changes["requisition"] == [None, str(role)]
    assert entry.object_id == str(note.public_id)
    assert "next_checkin_on" not in entry.changes  # a note is no check-in

    with pytest.raises(Conflict) as conflict:
        services.touchpoint_update(
            actor=recruiter, touchpoint=note, data=edit(note, summary="Mine."), revision=1
        )
    assert conflict.value.current.summary == "Wants two platform hires."  # type: ignore[attr-defined]
    saved.refresh_from_db()
    assert (saved.summary, saved.revision) == ("Wants two platform hires.", 2)
    assert AuditEntry.objects.filter(action="touchpoint.updated").count() == 1
    # Nothing changed: nothing saved, no entry.
    same = services.touchpoint_update(
        actor=recruiter, touchpoint=saved, data=edit(saved), revision=2
    )
    assert same.revision == 2
    assert AuditEntry.objects.filter(action="touchpoint.updated").count() == 1


def test_correcting_the_latest_check_in_plans_the_next_one_from_it(
    recruiter: Member, hiring_manager: Member
) -> None:
    earlier = touch(recruiter, hiring_manager, date(2026, 3, 2))
    latest = touch(recruiter, hiring_manager, date(2026, 3, 10), TouchpointKind.MEETING)
    partnership = Partnership.objects.get(manager=hiring_manager)
    assert partnership.next_checkin_on == date(2026, 4, 9)
    Partnership.objects.filter(pk=partnership.pk).update(checkin_reminded_for=date(2026, 4, 9))

    # Its date was wrong: the next check-in follows the right one, and is reminded of afresh.
    latest = services.touchpoint_update(
        actor=recruiter,
        touchpoint=latest,
        data=edit(latest, occurred_on=date(2026, 3, 12)),
        revision=1,
    )
    partnership.refresh_from_db()
    assert partnership.next_checkin_on == date(2026, 4, 11)
    assert partnership.checkin_reminded_for is None
    entry = AuditEntry.objects.get(action="touchpoint.updated")
    assert entry.changes["occurred_on"] == ["2026-03-10", "2026-03-12"]
    assert entry.changes["next_checkin_on"] == ["2026-04-09", "2026-04-11"]

    # It was a note after all: the call before it is the latest contact.
    revision = partnership.revision
    services.touchpoint_update(
        actor=recruiter, touchpoint=latest, data=edit(latest, kind=TouchpointKind.NOTE), revision=2
    )
    partnership.refresh_from_db()
    assert partnership.next_checkin_on == date(2026, 4, 1)
    assert partnership.revision == revision + 1  # an open profile form is stale now

    # A correction that leaves the latest contact where it was keeps the date, even one set
    # by hand on the profile.
    hand = services.partnership_save(
        actor=recruiter,
        manager=hiring_manager,
        data=profile(next_checkin_on=date(2026, 3, 20)),
        revision=partnership.revision,
    )
    services.touchpoint_update(
        actor=recruiter, touchpoint=earlier, data=edit(earlier, summary="Q2 plans."), revision=1
    )
    hand.refresh_from_db()
    assert hand.next_checkin_on == date(2026, 3, 20)
    assert hand.revision == partnership.revision + 1

    # A note that was really a call, later than the others, plans from itself.
    note = Touchpoint.objects.get(pk=latest.pk)
    services.touchpoint_update(
        actor=recruiter, touchpoint=note, data=edit(note, kind=TouchpointKind.CALL), revision=3
    )
    hand.refresh_from_db()
    assert hand.next_checkin_on == date(2026, 4, 11)


def test_deleting_a_check_in_plans_from_the_contact_left_and_keeps_its_lessons(
    recruiter: Member, hiring_manager: Member
) -> None:
    earlier = touch(recruiter, hiring_manager, date(2026, 3, 2))
    latest = touch(recruiter, hiring_manager, date(2026, 3, 10), summary="Hiring freeze ends.")
    lesson = services.lesson_add(
        actor=recruiter, manager=hiring_manager, text="Ask about budget first.", touchpoint=latest
    )
    services.touchpoint_delete(actor=recruiter, touchpoint=latest, revision=latest.revision)
    assert not Touchpoint.objects.filter(pk=latest.pk).exists()
    partnership = Partnership.objects.get(manager=hiring_manager)
    assert partnership.next_checkin_on == date(2026, 4, 1)
    lesson.refresh_from_db()  # kept, still offered, no longer pointing at it
    assert (lesson.touchpoint, lesson.retired_at, lesson.text) == (
        None,
        None,
        "Ask about budget first.",
    )
    assert lesson.source == LessonSource.TOUCHPOINT
    entry = AuditEntry.objects.get(action="touchpoint.deleted")
    assert entry.object_id == str(latest.public_id)
    assert entry.changes["summary"] == ["Hiring freeze ends.", None]
    assert entry.changes["lessons_kept"] == [None, 1]
    assert entry.changes["next_checkin_on"] == ["2026-04-09", "2026-04-01"]

    # A note going leaves the check-in alone; the last contact going leaves none planned.
    note = touch(recruiter, hiring_manager, date(2026, 3, 20), TouchpointKind.NOTE)
    services.touchpoint_delete(actor=recruiter, touchpoint=note, revision=note.revision)
    partnership.refresh_from_db()
    assert partnership.next_checkin_on == date(2026, 4, 1)
    services.touchpoint_delete(actor=recruiter, touchpoint=earlier, revision=earlier.revision)
    partnership.refresh_from_db()
    assert partnership.next_checkin_on is None
    assert not Touchpoint.objects.exists()
    assert Lesson.objects.count() == 1


def test_with_check_ins_off_corrections_plan_nothing(
    recruiter: Member, hiring_manager: Member
) -> None:
    services.partnership_save(
        actor=recruiter,
        manager=hiring_manager,
        data=profile(checkin_every=Cadence.OFF, next_checkin_on=date(2026, 5, 1)),
        revision=1,
    )
    call = touch(recruiter, hiring_manager, date(2026, 3, 2))
    call = services.touchpoint_update(
        actor=recruiter, touchpoint=call, data=edit(call, occurred_on=date(2026, 3, 3)), revision=1
    )
    services.touchpoint_delete(actor=recruiter, touchpoint=call, revision=call.revision)
    assert Partnership.objects.get().next_checkin_on == date(2026, 5, 1)


def test_an_old_touchpoint_is_corrected_without_re_dating_it(
    recruiter: Member, hiring_manager: Member, workspace
) -> None:
    """The date's range and the role are checked only when they change: a six-year-old
    touchpoint about a role the manager left can still have its summary fixed."""
    role = RequisitionFactory(workspace=workspace, recruiter=recruiter)
    partnership = Partnership.objects.create(workspace=workspace, manager=hiring_manager)
    old = Touchpoint.objects.create(
        partnership=partnership,
        kind=TouchpointKind.NOTE,
        occurred_on=date.today() - timedelta(days=6 * 366),
        summary="Typo",
        requisition=role,
    )
    saved = services.touchpoint_update(
        actor=recruiter, touchpoint=old, data=edit(old, summary="Fixed"), revision=1
    )
    assert (saved.summary, saved.requisition) == ("Fixed", role)
    with pytest.raises(ValidationError) as error:
        services.touchpoint_update(
            actor=recruiter,
            touchpoint=saved,
            data=edit(saved, occurred_on=saved.occurred_on + timedelta(days=1)),
            revision=2,
        )
    assert set(error.value.message_dict) == {"occurred_on"}


def test_corrections_and_deletions_refused_change_nothing(
    recruiter: Member,
    admin: Member,
    hiring_manager: Member,
    interviewer: Member,
    outsider: Member,
    workspace,
) -> None:
    call = touch(recruiter, hiring_manager, date(2026, 3, 2), summary="Kept as it was.")
    other = RequisitionFactory(workspace=workspace, recruiter=recruiter)
    with pytest.raises(ValidationError) as error:
        services.touchpoint_update(
            actor=recruiter,
            touchpoint=call,
            data=edit(
                call,
                kind="lunch",
                occurred_on=date.today() + timedelta(days=3),
                summary=" ",
                next_step="",
                next_step_on=date(2026, 3, 1),
                requisition=other,
            ),
            revision=1,
        )
    assert set(error.value.message_dict) == {
        "kind",
        "occurred_on",
        "summary",
        "next_step",
        "next_step_on",
        "requisition",
    }
    for actor in (hiring_manager, interviewer, outsider):
        with pytest.raises(ValidationError):
            services.touchpoint_update(
                actor=actor, touchpoint=call, data=edit(call, summary="Mine."), revision=1
            )
        with pytest.raises(ValidationError):
            services.touchpoint_delete(actor=actor, touchpoint=call, revision=call.revision)
    # An admin who is also a manager never changes the team's notes about themselves.
    RequisitionFactory(workspace=workspace, recruiter=recruiter, hiring_managers=[admin])
    about_admin = touch(recruiter, admin, date(2026, 3, 2))
    with pytest.raises(ValidationError):
        services.touchpoint_update(
            actor=admin, touchpoint=about_admin, data=edit(about_admin, summary="x"), revision=1
        )
    with pytest.raises(ValidationError):
        services.touchpoint_delete(
            actor=admin, touchpoint=about_admin, revision=about_admin.revision
        )
    call.refresh_from_db()
    assert (call.summary, call.revision) == ("Kept as it was.", 1)
    assert Touchpoint.objects.count() == 2
    assert not AuditEntry.objects.filter(
        action__in=["touchpoint.updated", "touchpoint.deleted"]
    ).exists()
    # Deleted meanwhile: a correction is refused with a reason, not a crash.
    services.touchpoint_delete(actor=recruiter, touchpoint=call, revision=call.revision)
    with pytest.raises(ValidationError, match="deleted this touchpoint meanwhile"):
        services.touchpoint_update(
            actor=recruiter, touchpoint=call, data=edit(call, summary="Late."), revision=1
        )
