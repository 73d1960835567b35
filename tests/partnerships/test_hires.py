"""Hires with a controlled clock: they follow the pipeline, their surveys are planned on the
policy in force when they were recorded, timed in each manager's zone and hours and moved with the
start date; managers added to the role later are asked at the checkpoints still ahead."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.candidates.services import candidate_erase
from accord.lib.conflicts import Conflict
from accord.nudges.models import ContactPreference
from accord.partnerships.hires import (
    hire_policy_update,
    hire_set_start,
    local_today,
    parse_checkpoints,
    surveys_plan_for_managers,
)
from accord.partnerships.models import Hire, HirePolicy, Survey
from accord.partnerships.survey_answers import asks_process
from accord.partnerships.survey_delivery import surveys_deliver
from accord.pipeline.models import Application, Category
from accord.pipeline.services import (
    application_create,
    application_move,
    applications_move,
)
from accord.requisitions.models import Requisition
from accord.requisitions.services import DETAIL_FIELDS, requisition_update
from accord.workspaces.models import Member, Role
from tests.factories import CandidateFactory, MemberFactory
from tests.partnerships.hiring import (
    hire_from_a_monday,
    hire_one,
    in_new_york,
    make_requisition,
    next_monday,
    ny,
    stage,
)

BULK_HIRE_QUERIES = 20  # a bulk move into or out of Hired, whatever the number moved


# --- hires follow the pipeline --------------------------------------------------------------


def test_a_move_into_hired_records_the_hire_and_plans_a_survey(
    recruiter: Member, manager: Member, requisition: Requisition
) -> None:
    hire = hire_one(recruiter, requisition)
    today = local_today(recruiter.workspace, hire.hired_at)
    assert hire.start_on == today + timedelta(days=14)  # no target start: a two-week notice
    assert hire.recorded_by == recruiter
    assert hire.cancelled_at is None
    survey = Survey.objects.get(hire=hire)
    assert (survey.manager, survey.checkpoint) == (manager, 7)
    assert survey.brief_version is not None
    assert survey.brief_version.requisition == requisition
    assert AuditEntry.objects.filter(action="hire.recorded", object_id=str(hire.public_id)).exists()


def test_the_default_start_is_the_brief_target_start_when_later(
    recruiter: Member, requisition: Requisition
) -> None:
    version = requisition.brief_versions.get()
    version.target_start = timezone.localdate() + timedelta(days=40)
    version.save(update_fields=["target_start"])
    assert hire_one(recruiter, requisition).start_on == version.target_start
    version.target_start = timezone.localdate() - timedelta(days=2)
    version.save(update_fields=["target_start"])
    late = hire_one(recruiter, requisition, name="Otto Later")
    assert late.start_on == local_today(recruiter.workspace, late.hired_at) + timedelta(14)


def test_every_manager_is_asked_at_every_checkpoint(
    recruiter: Member, manager: Member, workspace: object
) -> None:
    other = MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER)
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[90, 30])
    hire = hire_one(recruiter, make_requisition(recruiter, manager, other))
    planned = sorted(Survey.objects.filter(hire=hire).values_list("manager_id", "checkpoint"))
    assert planned == sorted((m.pk, d) for m in (manager, other) for d in (7, 30, 90))


def test_due_at_nine_in_the_managers_zone_or_after_their_quiet_hours(
    recruiter: Member, manager: Member, hire: Hire
) -> None:
    survey = Survey.objects.get(hire=hire)
    assert survey.due_at == ny(hire.start_on + timedelta(days=7), 9)
    ContactPreference.objects.create(member=manager, quiet_start=time(18), quiet_end=time(10, 30))
    later = hire.start_on + timedelta(days=1)
    hire_set_start(actor=recruiter, hire=hire, start_on=later, revision=hire.revision)
    survey.refresh_from_db()
    # A Tuesday start: the Tuesday after, at 10:30 (the end of the manager's quiet hours).
    assert survey.due_at == ny(later + timedelta(days=7), 10, 30)


def test_a_weekend_checkpoint_waits_for_monday(
    recruiter: Member, manager: Member, hire: Hire
) -> None:
    saturday = hire.start_on - timedelta(days=2)
    hire_set_start(actor=recruiter, hire=hire, start_on=saturday, revision=hire.revision)
    survey = Survey.objects.get(hire=hire)
    # Monday at 09:00 like any other day, not at 08:00 when the weekend's quiet hours end.
    assert survey.due_at == ny(hire.start_on + timedelta(days=7), 9)


def test_changing_the_start_date_moves_only_unsent_surveys(
    recruiter: Member, manager: Member, requisition: Requisition
) -> None:
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[30])
    hire = hire_from_a_monday(recruiter, requisition)  # every date below is a weekday
    hire_set_start(
        actor=recruiter,
        hire=hire,
        start_on=hire.start_on + timedelta(days=7),
        revision=hire.revision,
    )
    first, later = Survey.objects.filter(hire=hire).order_by("checkpoint")
    surveys_deliver(now=first.due_at)
    first.refresh_from_db()
    sent_due = first.due_at
    hire.refresh_from_db()
    hire_set_start(
        actor=recruiter,
        hire=hire,
        start_on=hire.start_on + timedelta(days=7),
        revision=hire.revision,
    )
    first.refresh_from_db()
    later.refresh_from_db()
    assert first.due_at == sent_due
    assert later.due_at == ny(hire.start_on + timedelta(days=7 + 30), 9)
    entry = AuditEntry.objects.filter(action="hire.start_changed").order_by("-pk").first()
    assert entry is not None


def test_a_stale_start_date_edit_is_a_conflict_and_bad_dates_are_refused(
    recruiter: Member, hire: Hire, hiring_manager: Member
) -> None:
    start = hire.start_on
    with pytest.raises(Conflict):
        hire_set_start(actor=recruiter, hire=hire, start_on=start + timedelta(1), revision=1)
    with pytest.raises(ValidationError):
        hire_set_start(
            actor=recruiter, hire=hire, start_on=start - timedelta(400), revision=hire.revision
        )
    with pytest.raises(ValidationError):
        hire_set_start(
            actor=recruiter, hire=hire, start_on=start + timedelta(400), revision=hire.revision
        )
    with pytest.raises(ValidationError):  # a manager can't: the recruiting team's
        hire_set_start(
            actor=hiring_manager, hire=hire, start_on=start + timedelta(1), revision=hire.revision
        )
    hire.refresh_from_db()
    assert hire.start_on == start


def test_moving_out_of_hired_cancels_and_moving_back_restores(
    recruiter: Member, manager: Member, requisition: Requisition, hire: Hire
) -> None:
    survey = Survey.objects.get(hire=hire)
    application = hire.application
    application.refresh_from_db()
    application_move(
        actor=recruiter, application=application, to_stage=stage(requisition, Category.OFFER)
    )
    hire.refresh_from_db()
    survey.refresh_from_db()
    assert hire.cancelled_at is not None
    assert survey.cancelled_at == hire.cancelled_at
    assert surveys_deliver(now=survey.due_at + timedelta(days=1)) == 0
    application.refresh_from_db()
    application_move(
        actor=recruiter, application=application, to_stage=stage(requisition, Category.HIRED)
    )
    hire.refresh_from_db()
    survey.refresh_from_db()
    assert hire.cancelled_at is None
    assert survey.cancelled_at is None
    assert Hire.objects.filter(application=application).count() == 1
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"hire.cancelled", "hire.restored"} <= actions


def test_a_bulk_move_records_and_cancels_hires(
    recruiter: Member, manager: Member, requisition: Requisition
) -> None:
    apps = [
        application_create(
            actor=recruiter,
            requisition=requisition,
            candidate=CandidateFactory(workspace=recruiter.workspace),
        )
        for _ in range(3)
    ]
    applications_move(actor=recruiter, applications=apps, to_stage=stage(requisition, "hired"))
    assert Hire.objects.filter(cancelled_at__isnull=True).count() == 3
    assert Survey.objects.count() == 3
    apps = list(Application.objects.filter(pk__in=[a.pk for a in apps]))
    applications_move(actor=recruiter, applications=apps, to_stage=stage(requisition, "offer"))
    assert Hire.objects.filter(cancelled_at__isnull=True).count() == 0
    assert Survey.objects.open().count() == 0


def test_a_policy_change_adds_no_survey_to_a_hire_recorded_before_it(
    recruiter: Member, manager: Member, requisition: Requisition, hire: Hire
) -> None:
    """The policy page says changes apply to hires recorded from then on: editing the start date
    or restoring an older hire re-times its surveys and adds none."""
    hire_policy_update(
        actor=recruiter, first_after_days=14, checkpoints=[90], remind_after_days=3, max_reminders=2
    )
    moved = hire.start_on + timedelta(days=3)
    hire_set_start(actor=recruiter, hire=hire, start_on=moved, revision=hire.revision)
    survey = Survey.objects.get(hire=hire)
    assert survey.checkpoint == 7
    assert survey.due_at == ny(moved + timedelta(days=7), 9)
    application = Application.objects.get(pk=hire.application_id)
    application_move(
        actor=recruiter, application=application, to_stage=stage(requisition, Category.OFFER)
    )
    application.refresh_from_db()
    application_move(
        actor=recruiter, application=application, to_stage=stage(requisition, Category.HIRED)
    )
    assert list(Survey.objects.filter(hire=hire).values_list("checkpoint", "cancelled_at")) == [
        (7, None)
    ]
    later = hire_one(recruiter, requisition, name="Otto Later")  # recorded after: the new policy
    assert sorted(Survey.objects.filter(hire=later).values_list("checkpoint", flat=True)) == [
        14,
        90,
    ]


def test_the_surveys_of_a_manager_taken_off_the_role_are_cancelled(
    recruiter: Member, manager: Member
) -> None:
    other = MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER)
    requisition = make_requisition(recruiter, manager, other)
    hire = hire_one(recruiter, requisition)
    requisition.hiring_managers.remove(other)
    hire_set_start(
        actor=recruiter, hire=hire, start_on=hire.start_on + timedelta(1), revision=hire.revision
    )
    kept = Survey.objects.get(hire=hire, manager=manager)
    dropped = Survey.objects.get(hire=hire, manager=other)
    assert kept.cancelled_at is None
    assert dropped.cancelled_at is not None
    entry = AuditEntry.objects.get(action="hire.start_changed")
    assert entry.changes["surveys_cancelled"] == [None, [f"{other.display_name} · day 7"]]


@pytest.mark.parametrize("n", [2, 10])
def test_a_bulk_move_into_hired_costs_the_same_whatever_the_number(
    n: int,
    recruiter: Member,
    manager: Member,
    requisition: Requisition,
    django_assert_max_num_queries: object,
) -> None:
    other = MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER)
    requisition.hiring_managers.add(other)
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[30])
    apps = [
        application_create(
            actor=recruiter,
            requisition=requisition,
            candidate=CandidateFactory(workspace=recruiter.workspace),
        )
        for _ in range(n)
    ]
    apps = list(Application.objects.filter(pk__in=[a.pk for a in apps]))
    with django_assert_max_num_queries(BULK_HIRE_QUERIES):  # type: ignore[operator]
        applications_move(actor=recruiter, applications=apps, to_stage=stage(requisition, "hired"))
    assert Hire.objects.count() == n
    assert Survey.objects.count() == n * 2 * 2
    assert AuditEntry.objects.filter(action="hire.recorded").count() == n
    apps = list(Application.objects.filter(pk__in=[a.pk for a in apps]))
    with django_assert_max_num_queries(BULK_HIRE_QUERIES):  # type: ignore[operator]
        applications_move(actor=recruiter, applications=apps, to_stage=stage(requisition, "offer"))
    assert Survey.objects.open().count() == 0
    assert AuditEntry.objects.filter(action="hire.cancelled").count() == n


def test_policy_checkpoints_parse_with_clear_errors(recruiter: Member) -> None:
    assert parse_checkpoints("30, 60,90 ,") == [30, 60, 90]
    assert parse_checkpoints("") == []
    for bad, says in (("thirty", "isn’t a number"), ("0", "between 1"), ("9999", "between 1")):
        with pytest.raises(ValidationError) as error:
            parse_checkpoints(bad)
        assert says in error.value.messages[0]
    with pytest.raises(ValidationError):
        hire_policy_update(
            actor=recruiter,
            first_after_days=30,
            checkpoints=[14],
            remind_after_days=3,
            max_reminders=2,
        )
    policy = hire_policy_update(
        actor=recruiter,
        first_after_days=7,
        checkpoints=[90, 30],
        remind_after_days=2,
        max_reminders=1,
    )
    assert (policy.checkpoints, policy.remind_after_days) == ([30, 90], 2)
    assert AuditEntry.objects.filter(action="hire_policy.updated").count() == 1


# --- managers added to the role after the hire ----------------------------------------------------


def set_managers(recruiter: Member, requisition: Requisition, *managers: Member) -> None:
    """The requisition's details form saved with these hiring managers."""
    requisition.refresh_from_db()
    requisition_update(
        actor=recruiter,
        requisition=requisition,
        revision=requisition.revision,
        recruiter=requisition.recruiter,
        hiring_managers=list(managers),
        hiring_team=list(requisition.hiring_team.all()),
        **{f: getattr(requisition, f) for f in DETAIL_FIELDS},
    )


def new_manager(recruiter: Member, name: str = "Otto Added") -> Member:
    other = in_new_york(MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER))
    other.user.display_name = name
    other.user.save(update_fields=["display_name"])
    return other


def asked(hire: Hire, manager: Member) -> list[tuple[int, datetime, bool]]:
    """(checkpoint, due, cancelled) of the manager's surveys about the hire."""
    return [
        (s.checkpoint, s.due_at, s.cancelled_at is not None)
        for s in Survey.objects.filter(hire=hire, manager=manager).order_by("checkpoint")
    ]


def test_a_manager_added_after_the_hire_is_asked_at_the_checkpoints_still_ahead(
    recruiter: Member, manager: Member, requisition: Requisition
) -> None:
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[28, 56])
    hire = hire_from_a_monday(recruiter, requisition)
    # Started one or two weeks ago: the day-7 survey is past, days 28 and 56 are ahead.
    start = next_monday(timezone.localdate() - timedelta(days=17))
    Hire.objects.filter(pk=hire.pk).update(start_on=start, hired_at=hire.hired_at - timedelta(30))
    other = new_manager(recruiter)
    set_managers(recruiter, requisition, manager, other)
    assert asked(hire, other) == [
        (28, ny(start + timedelta(days=28), 9), False),
        (56, ny(start + timedelta(days=56), 9), False),
    ]
    mine = Survey.objects.get(hire=hire, manager=manager, checkpoint=7)
    theirs = Survey.objects.get(hire=hire, manager=other, checkpoint=28)
    assert theirs.brief_version == mine.brief_version is not None  # the brief it was hired on
    assert Survey.objects.filter(hire=hire, manager=manager).count() == 3
    entry = AuditEntry.objects.get(action="hire.surveys_added")
    assert entry.object_id == str(hire.public_id)
    assert entry.actor == recruiter.user
    assert entry.changes == {
        "surveys_added": [None, ["Otto Added · day 28", "Otto Added · day 56"]]
    }
    set_managers(recruiter, requisition, manager, other)  # saved again: nothing more
    assert Survey.objects.filter(hire=hire, manager=other).count() == 2
    assert AuditEntry.objects.filter(action="hire.surveys_added").count() == 1


def test_the_added_managers_surveys_are_sent_when_due_with_the_process_questions(
    recruiter: Member, manager: Member, requisition: Requisition, hire: Hire
) -> None:
    other = new_manager(recruiter)
    set_managers(recruiter, requisition, manager, other)
    survey = Survey.objects.get(hire=hire, manager=other)
    assert survey.due_at == Survey.objects.get(hire=hire, manager=manager).due_at
    assert surveys_deliver(now=survey.due_at) == 2
    assert asks_process(survey)  # their first survey about this hire


def test_checkpoints_are_the_hires_not_a_policy_changed_since(
    recruiter: Member, manager: Member, requisition: Requisition, hire: Hire
) -> None:
    hire_policy_update(
        actor=recruiter, first_after_days=14, checkpoints=[90], remind_after_days=3, max_reminders=2
    )
    other = new_manager(recruiter)
    set_managers(recruiter, requisition, manager, other)
    assert [c for c, _due, _cancelled in asked(hire, other)] == [7]


def test_a_hire_nobody_could_be_asked_about_takes_the_policy_in_force_when_it_was_recorded(
    recruiter: Member, manager: Member, requisition: Requisition
) -> None:
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[30])
    Member.objects.filter(pk=manager.pk).update(role=Role.INTERVIEWER)  # can't answer surveys
    hire = hire_one(recruiter, requisition)
    assert not Survey.objects.filter(hire=hire).exists()
    hire_policy_update(
        actor=recruiter, first_after_days=14, checkpoints=[90], remind_after_days=3, max_reminders=2
    )
    other = new_manager(recruiter)
    set_managers(recruiter, requisition, other)
    assert [c for c, _due, _cancelled in asked(hire, other)] == [7, 30]
    signed = requisition.brief_versions.get()
    assert {s.brief_version for s in Survey.objects.filter(hire=hire)} == {signed}


def test_a_manager_put_back_on_the_role_gets_their_surveys_back_not_twice(
    recruiter: Member, manager: Member, requisition: Requisition, hire: Hire
) -> None:
    HirePolicy.objects.filter(workspace=recruiter.workspace).delete()
    other = new_manager(recruiter)
    set_managers(recruiter, requisition, manager, other)
    assert len(asked(hire, other)) == 1
    set_managers(recruiter, requisition, manager)
    moved = hire.start_on + timedelta(days=7)
    hire_set_start(actor=recruiter, hire=hire, start_on=moved, revision=hire.revision)
    assert asked(hire, other) == [(7, ny(hire.start_on + timedelta(days=7), 9), True)]
    set_managers(recruiter, requisition, manager, other)
    assert asked(hire, other) == [(7, ny(moved + timedelta(days=7), 9), False)]
    entry = AuditEntry.objects.filter(action="hire.surveys_added").order_by("-pk").first()
    assert entry is not None
    assert entry.changes == {"surveys_added": [None, ["Otto Added · day 7"]]}


def test_a_put_back_managers_past_checkpoints_stay_cancelled(
    recruiter: Member, manager: Member, requisition: Requisition
) -> None:
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[28])
    other = new_manager(recruiter)
    hire = hire_from_a_monday(recruiter, make_requisition(recruiter, manager, other))
    requisition = hire.requisition
    requisition.hiring_managers.remove(other)
    first = ny(hire.start_on + timedelta(days=7), 9)
    assert surveys_deliver(now=first) == 1  # the manager's; the other's is cancelled
    requisition.hiring_managers.add(other)
    later = first + timedelta(days=3)
    assert (
        surveys_plan_for_managers(
            actor=recruiter, requisition=requisition, added={other.pk}, now=later
        )
        == 0
    )  # day 28 is still theirs (never cancelled); day 7 went by
    assert asked(hire, other) == [
        (7, first, True),
        (28, ny(hire.start_on + timedelta(days=28), 9), False),
    ]
    assert not AuditEntry.objects.filter(action="hire.surveys_added").exists()


def test_a_manager_added_while_the_hire_is_cancelled_is_asked_once_it_is_restored(
    recruiter: Member, manager: Member, requisition: Requisition, hire: Hire
) -> None:
    application = Application.objects.get(pk=hire.application_id)
    application_move(
        actor=recruiter, application=application, to_stage=stage(requisition, Category.OFFER)
    )
    other = new_manager(recruiter)
    set_managers(recruiter, requisition, manager, other)
    assert [(checkpoint, cancelled) for checkpoint, _due, cancelled in asked(hire, other)] == [
        (7, True)
    ]
    application.refresh_from_db()
    application_move(
        actor=recruiter, application=application, to_stage=stage(requisition, Category.HIRED)
    )
    assert [(checkpoint, cancelled) for checkpoint, _due, cancelled in asked(hire, other)] == [
        (7, False)
    ]
    interviewer = MemberFactory(workspace=recruiter.workspace, role=Role.INTERVIEWER)
    set_managers(recruiter, requisition, manager, other, interviewer)
    assert asked(hire, interviewer) == []


def test_nobody_added_later_is_asked_about_an_erased_candidate(
    recruiter: Member, manager: Member, requisition: Requisition, hire: Hire
) -> None:
    admin = MemberFactory(workspace=recruiter.workspace, role=Role.ADMIN)
    candidate_erase(
        actor=admin, candidate=Application.objects.get(pk=hire.application_id).candidate
    )
    other = new_manager(recruiter)
    set_managers(recruiter, requisition, manager, other)
    assert asked(hire, other) == []
    assert not AuditEntry.objects.filter(action="hire.surveys_added").exists()


ADD_MANAGER_QUERIES = 8  # planning for added managers, whatever the number of hires (7 here)


@pytest.mark.parametrize("n", [2, 8])
def test_adding_managers_costs_the_same_whatever_the_number_of_hires(
    n: int,
    recruiter: Member,
    manager: Member,
    requisition: Requisition,
    django_assert_max_num_queries: object,
) -> None:
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[30, 90])
    hires = [hire_one(recruiter, requisition, name=f"Hire {i}") for i in range(n)]
    added = [new_manager(recruiter, f"Added {i}") for i in range(2)]
    requisition.hiring_managers.add(*added)
    with django_assert_max_num_queries(ADD_MANAGER_QUERIES):  # type: ignore[operator]
        planned = surveys_plan_for_managers(
            actor=recruiter, requisition=requisition, added={m.pk for m in added}
        )
    assert planned == n * 2 * 3
    assert Survey.objects.filter(hire__in=hires).count() == n * 3 * 3
    assert AuditEntry.objects.filter(action="hire.surveys_added").count() == n
