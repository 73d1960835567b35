"""The requisition services: details, lifecycle, plan and kickoff."""

import re
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from accord.audit.models import AuditEntry
from accord.lib.conflicts import Conflict
from accord.requisitions import services
from accord.requisitions.models import (
    EmploymentType,
    Kickoff,
    Level,
    Milestone,
    MilestoneKind,
    Owner,
    RemotePolicy,
    Requisition,
    RequisitionEvent,
    Status,
)
from accord.requisitions.plan import business_days_after
from accord.workspaces.models import Member, Role
from tests.factories import BriefVersionFactory, MemberFactory, RequisitionFactory

pytestmark = pytest.mark.django_db


# --- helpers ---------------------------------------------------------------------------------


def audit_rows(action_prefix: str = ""):
    """(action, actor email, object id, changes) of the entries, oldest first."""
    entries = AuditEntry.objects.filter(action__startswith=action_prefix).order_by("id")
    return [
        (e.action, e.actor.email if e.actor else None, e.object_id, e.changes)
        for e in entries.select_related("actor")
    ]


def snapshot():
    """Everything a refused requisition action must leave exactly as it was."""
    return {
        "requisitions": sorted(
            Requisition.objects.values_list(
                "public_id",
                "title",
                "team",
                "location",
                "level",
                "openings",
                "compensation_min",
                "compensation_max",
                "currency",
                "recruiter",
                "status",
                "status_changed_at",
                "opened_at",
                "closed_at",
                "time_on_hold",
                "days_to_fill",
                "revision",
            )
        ),
        "managers": sorted(Requisition.hiring_managers.through.objects.values_list()),
        "team": sorted(Requisition.hiring_team.through.objects.values_list()),
        "events": RequisitionEvent.objects.count(),
        "milestones": sorted(Milestone.objects.values_list("kind", "owner", "due_on", "done_on")),
        "kickoffs": sorted(
            Kickoff.objects.values_list("starts_at", "duration_minutes", "where", "sequence")
        ),
        "audit": AuditEntry.objects.count(),
    }


def refused(call, message_pattern: str, field: str | None = None) -> ValidationError:
    """Run `call`, expect a ValidationError matching the message, and that nothing changed."""
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        call()
    assert re.search(message_pattern, " ".join(raised.value.messages)), raised.value.messages
    if field is not None:
        assert field in raised.value.message_dict
    assert snapshot() == before
    return raised.value


DETAILS = {
    "title": "Senior Backend Engineer",
    "team": "Payments",
    "location": "Lisbon",
    "remote_policy": RemotePolicy.HYBRID,
    "level": Level.SENIOR,
    "employment_type": EmploymentType.FULL_TIME,
    "openings": 2,
    "compensation_min": 70_000,
    "compensation_max": 90_000,
    "currency": "eur",
}


def create(actor: Member, recruiter: Member, managers: list[Member], **overrides):
    return services.requisition_create(
        actor=actor,
        recruiter=recruiter,
        hiring_managers=managers,
        **{**DETAILS, **overrides},
    )


@pytest.fixture
def requisition(recruiter: Member, hiring_manager: Member, interviewer: Member) -> Requisition:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        hiring_managers=[hiring_manager],
        title="Senior Backend Engineer",
    )
    requisition.hiring_team.set([interviewer])
    return requisition


def sign_brief(requisition: Requisition) -> None:
    BriefVersionFactory(requisition=requisition, number=1, signed_at=timezone.now())


def set_row(requisition: Requisition, **values) -> Requisition:
    """Put the row in a state (e.g. times in the past) without a service, as time would."""
    Requisition.objects.filter(pk=requisition.pk).update(**values)
    requisition.refresh_from_db()
    return requisition


# --- requisition_create ----------------------------------------------------------------------


def test_create_saves_the_role_its_people_and_the_first_event(
    recruiter: Member, hiring_manager: Member, interviewer: Member
) -> None:
    requisition = services.requisition_create(
        actor=recruiter,
        recruiter=recruiter,
        hiring_managers=[hiring_manager],
        hiring_team=[interviewer],
        **{**DETAILS, "title": "  Senior Backend Engineer  "},
    )

    requisition.refresh_from_db()
    assert requisition.workspace == recruiter.workspace
    assert requisition.title == "Senior Backend Engineer"
    assert (requisition.team, requisition.location, requisition.openings) == (
        "Payments",
        "Lisbon",
        2,
    )
    assert (requisition.compensation_min, requisition.compensation_max) == (70_000, 90_000)
    assert requisition.currency == "EUR"
    assert requisition.recruiter == recruiter
    assert list(requisition.hiring_managers.all()) == [hiring_manager]
    assert list(requisition.hiring_team.all()) == [interviewer]
    assert requisition.status == Status.DRAFT
    assert requisition.revision == 1
    event = requisition.events.get()
    assert (event.actor, event.from_status, event.to_status) == (recruiter, "", Status.DRAFT)
    assert audit_rows() == [
        (
            "requisition.created",
            recruiter.user.email,
            str(requisition.public_id),
            {"title": [None, "Senior Backend Engineer"]},
        )
    ]


def test_an_admin_may_create_one_for_a_recruiter(admin: Member, recruiter, hiring_manager) -> None:
    requisition = create(admin, recruiter, [hiring_manager])

    assert requisition.recruiter == recruiter
    assert audit_rows()[0][:2] == ("requisition.created", admin.user.email)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "   "}, "title", "Give the role a title"),
        ({"compensation_min": 95_000}, "compensation_max", "below the bottom"),
        ({"currency": ""}, "currency", "which currency"),
        ({"compensation_min": None, "currency": ""}, "currency", "which currency"),
        ({"openings": 0}, "openings", "at least one opening"),
    ],
)
def test_create_refuses_bad_details(
    recruiter: Member, hiring_manager: Member, overrides, field, message
) -> None:
    refused(lambda: create(recruiter, recruiter, [hiring_manager], **overrides), message, field)
    assert Requisition.objects.count() == 0


def test_create_refuses_a_recruiter_without_the_recruiter_role(
    recruiter: Member, hiring_manager: Member
) -> None:
    refused(
        lambda: create(recruiter, hiring_manager, [hiring_manager]),
        "must have the recruiter role",
        "recruiter",
    )


def test_create_refuses_a_manager_from_another_workspace(
    recruiter: Member, outsider: Member
) -> None:
    refused(lambda: create(recruiter, recruiter, [outsider]), "people from this workspace")


def test_create_refuses_a_deactivated_manager(recruiter: Member, workspace) -> None:
    former = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER, is_active=False)

    refused(lambda: create(recruiter, recruiter, [former]), "people from this workspace")


def test_create_refuses_an_interviewer_from_another_workspace(
    recruiter: Member, hiring_manager: Member, outsider: Member
) -> None:
    refused(
        lambda: services.requisition_create(
            actor=recruiter,
            recruiter=recruiter,
            hiring_managers=[hiring_manager],
            hiring_team=[outsider],
            **DETAILS,
        ),
        "people from this workspace",
    )


def test_create_needs_a_hiring_manager(recruiter: Member) -> None:
    refused(
        lambda: create(recruiter, recruiter, []), "Choose the hiring manager", "hiring_managers"
    )


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_create_is_refused_to_managers_and_interviewers(
    role: str, workspace, recruiter: Member, hiring_manager: Member
) -> None:
    actor = MemberFactory(workspace=workspace, role=role)

    refused(lambda: create(actor, recruiter, [hiring_manager]), "Your role does not allow")


# --- requisition_update ----------------------------------------------------------------------


def update(actor: Member, requisition: Requisition, revision: int, **overrides):
    values = {
        "recruiter": requisition.recruiter,
        "hiring_managers": list(requisition.hiring_managers.all()),
        "hiring_team": list(requisition.hiring_team.all()),
        **{f: getattr(requisition, f) for f in services.DETAIL_FIELDS},
        **overrides,
    }
    return services.requisition_update(
        actor=actor, requisition=requisition, revision=revision, **values
    )


def test_update_saves_the_changes_and_bumps_the_revision(
    requisition: Requisition, recruiter: Member, admin: Member
) -> None:
    updated = update(recruiter, requisition, 1, title="Staff Backend Engineer", hiring_team=[admin])

    requisition.refresh_from_db()
    assert requisition.title == "Staff Backend Engineer"
    assert list(requisition.hiring_team.all()) == [admin]
    assert requisition.revision == updated.revision == 2
    assert audit_rows() == [
        (
            "requisition.updated",
            recruiter.user.email,
            str(requisition.public_id),
            {
                "title": ["Senior Backend Engineer", "Staff Backend Engineer"],
                "hiring_team": [
                    ["Ivy Interviewer (Interviewer, Acme Talent)"],
                    ["Ada Admin (Admin, Acme Talent)"],
                ],
            },
        )
    ]


def test_update_without_changes_records_nothing(requisition: Requisition, recruiter) -> None:
    before = snapshot()

    update(recruiter, requisition, 1)

    assert snapshot() == before


def test_update_from_a_stale_revision_is_a_conflict_and_changes_nothing(
    requisition: Requisition, recruiter: Member, admin: Member
) -> None:
    update(admin, requisition, 1, title="Staff Backend Engineer")
    before = snapshot()

    with pytest.raises(Conflict) as raised:
        update(recruiter, requisition, 1, title="Principal Engineer", hiring_team=[])

    assert raised.value.current.title == "Staff Backend Engineer"
    assert raised.value.current.revision == 2
    assert snapshot() == before


def test_update_refuses_bad_details(requisition: Requisition, recruiter: Member) -> None:
    refused(
        lambda: update(recruiter, requisition, 1, compensation_min=10, compensation_max=5),
        "below the bottom",
        "compensation_max",
    )


def test_update_refuses_a_closed_requisition(requisition: Requisition, recruiter) -> None:
    set_row(requisition, status=Status.CANCELLED)

    refused(lambda: update(recruiter, requisition, 1, title="Reopened"), "closed")


def test_update_refuses_another_workspace(requisition: Requisition, outsider: Member) -> None:
    refused(lambda: update(outsider, requisition, 1, title="Hijacked"), "Your role does not allow")


# --- the lifecycle ---------------------------------------------------------------------------


def test_a_move_records_who_when_and_why(requisition: Requisition, recruiter: Member) -> None:
    moved = services.requisition_transition(
        actor=recruiter, requisition=requisition, to_status=Status.INTAKE, reason=" Kickoff booked "
    )

    requisition.refresh_from_db()
    assert requisition.status == moved.status == Status.INTAKE
    assert timezone.now() - requisition.status_changed_at < timedelta(seconds=5)
    event = requisition.events.get()
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        recruiter,
        Status.DRAFT,
        Status.INTAKE,
        "Kickoff booked",
    )
    assert audit_rows() == [
        (
            "requisition.status_changed",
            recruiter.user.email,
            str(requisition.public_id),
            {"status": ["draft", "intake"], "reason": [None, "Kickoff booked"]},
        )
    ]


@pytest.mark.parametrize(
    ("start", "to_status"),
    [
        (Status.DRAFT, Status.FILLED),
        (Status.DRAFT, Status.ON_HOLD),
        (Status.INTAKE, Status.FILLED),
        (Status.INTAKE, Status.DRAFT),
        (Status.ON_HOLD, Status.FILLED),
        (Status.OPEN, Status.INTAKE),
        (Status.FILLED, Status.OPEN),
        (Status.CANCELLED, Status.DRAFT),
        (Status.CANCELLED, Status.OPEN),
        (Status.OPEN, Status.OPEN),
        (Status.DRAFT, "archived"),
    ],
)
def test_moves_outside_the_lifecycle_are_refused(
    requisition: Requisition, recruiter: Member, start: str, to_status: str
) -> None:
    set_row(requisition, status=start)
    sign_brief(requisition)

    refused(
        lambda: services.requisition_transition(
            actor=recruiter, requisition=requisition, to_status=to_status, reason="Because"
        ),
        "can’t become",
    )


@pytest.mark.parametrize("to_status", [Status.ON_HOLD, Status.CANCELLED])
@pytest.mark.parametrize("reason", ["", "   "])
def test_holding_or_cancelling_needs_a_reason(
    requisition: Requisition, recruiter: Member, to_status: str, reason: str
) -> None:
    set_row(requisition, status=Status.INTAKE)

    refused(
        lambda: services.requisition_transition(
            actor=recruiter, requisition=requisition, to_status=to_status, reason=reason
        ),
        "Say why",
        "reason",
    )


def test_opening_needs_a_signed_brief(requisition: Requisition, recruiter: Member) -> None:
    BriefVersionFactory(requisition=requisition, number=1)  # a draft is not enough

    refused(
        lambda: services.requisition_transition(
            actor=recruiter, requisition=requisition, to_status=Status.OPEN
        ),
        "once the brief is signed",
    )


def test_opening_starts_the_clock_and_marks_sourcing_started(
    requisition: Requisition, recruiter: Member
) -> None:
    services.plan_create(actor=recruiter, requisition=requisition)
    sign_brief(requisition)

    services.requisition_transition(actor=recruiter, requisition=requisition, to_status=Status.OPEN)

    requisition.refresh_from_db()
    assert requisition.status == Status.OPEN
    assert requisition.opened_at == requisition.status_changed_at
    assert requisition.days_open() == 0
    sourcing = requisition.milestones.get(kind=MilestoneKind.SOURCING_STARTED)
    assert sourcing.done_on == timezone.localdate()
    assert requisition.milestones.filter(done_on__isnull=False).count() == 1


def test_time_on_hold_is_excluded_from_days_to_fill(
    requisition: Requisition, recruiter: Member
) -> None:
    now = timezone.now()
    sign_brief(requisition)
    # Opened 40 days ago, and on hold for the last 10 of them.
    set_row(
        requisition,
        status=Status.ON_HOLD,
        opened_at=now - timedelta(days=40),
        status_changed_at=now - timedelta(days=10),
    )
    assert requisition.days_open() == 30  # the hold in progress is already off the clock

    services.requisition_transition(actor=recruiter, requisition=requisition, to_status=Status.OPEN)
    requisition.refresh_from_db()
    assert timedelta(days=10) <= requisition.time_on_hold < timedelta(days=10, minutes=1)
    assert requisition.opened_at == now - timedelta(days=40)  # reopening keeps the start

    services.requisition_transition(
        actor=recruiter, requisition=requisition, to_status=Status.FILLED
    )
    requisition.refresh_from_db()
    assert requisition.status == Status.FILLED
    assert requisition.closed_at == requisition.status_changed_at
    assert requisition.days_to_fill == 30
    assert [(e.from_status, e.to_status) for e in requisition.events.order_by("id")] == [
        (Status.ON_HOLD, Status.OPEN),
        (Status.OPEN, Status.FILLED),
    ]


def test_a_hold_records_its_reason_and_a_cancelled_search_is_closed(
    requisition: Requisition, recruiter: Member, admin: Member
) -> None:
    set_row(requisition, status=Status.INTAKE)

    services.requisition_transition(
        actor=recruiter, requisition=requisition, to_status=Status.ON_HOLD, reason="Budget freeze"
    )
    services.requisition_transition(
        actor=admin, requisition=requisition, to_status=Status.CANCELLED, reason="Role dropped"
    )

    requisition.refresh_from_db()
    assert requisition.is_closed
    assert requisition.closed_at is not None
    assert requisition.days_to_fill is None
    assert [(e.actor, e.to_status, e.reason) for e in requisition.events.order_by("id")] == [
        (recruiter, Status.ON_HOLD, "Budget freeze"),
        (admin, Status.CANCELLED, "Role dropped"),
    ]
    assert [row[3] for row in audit_rows("requisition.status_changed")] == [
        {"status": ["intake", "on_hold"], "reason": [None, "Budget freeze"]},
        {"status": ["on_hold", "cancelled"], "reason": [None, "Role dropped"]},
    ]


@pytest.mark.parametrize("persona", ["hiring_manager", "interviewer", "outsider"])
def test_moves_are_refused_to_people_who_do_not_run_the_search(
    request, requisition: Requisition, persona: str
) -> None:
    actor = request.getfixturevalue(persona)

    refused(
        lambda: services.requisition_transition(
            actor=actor, requisition=requisition, to_status=Status.CANCELLED, reason="No"
        ),
        "Your role does not allow",
    )


# --- the plan --------------------------------------------------------------------------------


def test_plan_lays_out_six_milestones_once(requisition: Requisition, recruiter: Member) -> None:
    monday = date(2030, 3, 4)

    created = services.plan_create(actor=recruiter, requisition=requisition, start=monday)

    assert [(m.kind, m.owner) for m in created] == [
        (MilestoneKind.INTAKE_DONE, Owner.RECRUITER),
        (MilestoneKind.SOURCING_STARTED, Owner.RECRUITER),
        (MilestoneKind.FIRST_SHORTLIST, Owner.RECRUITER),
        (MilestoneKind.FIRST_INTERVIEWS, Owner.MANAGER),
        (MilestoneKind.OFFER, Owner.MANAGER),
        (MilestoneKind.START_DATE, Owner.MANAGER),
    ]
    milestones = list(requisition.milestones.order_by("due_on", "id"))
    assert [m.kind for m in milestones] == [m.kind for m in created]
    assert milestones[0].due_on == business_days_after(monday, 2)
    assert all(m.done_on is None for m in milestones)
    assert audit_rows() == [
        (
            "plan.created",
            recruiter.user.email,
            str(requisition.public_id),
            {"milestones": [None, 6]},
        )
    ]

    before = snapshot()
    assert services.plan_create(actor=recruiter, requisition=requisition) == []
    assert snapshot() == before


def test_plan_adds_only_the_missing_milestones(requisition: Requisition, recruiter) -> None:
    services.plan_create(actor=recruiter, requisition=requisition)
    requisition.milestones.filter(kind=MilestoneKind.OFFER).delete()

    created = services.plan_create(actor=recruiter, requisition=requisition)

    assert [m.kind for m in created] == [MilestoneKind.OFFER]
    assert requisition.milestones.count() == 6


def test_plan_starts_on_the_agreed_target_start(requisition: Requisition, recruiter) -> None:
    BriefVersionFactory(requisition=requisition, number=1, target_start=date(2031, 1, 6))

    services.plan_create(actor=recruiter, requisition=requisition, start=date(2030, 3, 4))

    assert requisition.milestones.get(kind=MilestoneKind.START_DATE).due_on == date(2031, 1, 6)


def test_plan_is_refused_to_a_hiring_manager(requisition: Requisition, hiring_manager) -> None:
    refused(
        lambda: services.plan_create(actor=hiring_manager, requisition=requisition),
        "Your role does not allow",
    )


def test_milestone_update_records_the_change(requisition: Requisition, recruiter) -> None:
    services.plan_create(actor=recruiter, requisition=requisition, start=date(2030, 3, 4))
    offer = requisition.milestones.get(kind=MilestoneKind.OFFER)
    old_due = offer.due_on

    services.milestone_update(
        actor=recruiter,
        milestone=offer,
        owner=Owner.RECRUITER,
        due_on=date(2030, 6, 3),
        done_on=None,
    )

    offer.refresh_from_db()
    assert (offer.owner, offer.due_on) == (Owner.RECRUITER, date(2030, 6, 3))
    assert audit_rows("milestone")[0][3] == {
        "owner": ["manager", "recruiter"],
        "due_on": [str(old_due), "2030-06-03"],
    }


def test_milestone_update_refuses_an_unknown_owner(requisition: Requisition, recruiter) -> None:
    services.plan_create(actor=recruiter, requisition=requisition)
    offer = requisition.milestones.get(kind=MilestoneKind.OFFER)

    refused(
        lambda: services.milestone_update(
            actor=recruiter, milestone=offer, owner="ceo", due_on=offer.due_on, done_on=None
        ),
        "recruiter or the hiring manager",
        "owner",
    )


# --- the kickoff -----------------------------------------------------------------------------


def invite_of(message) -> Calendar:
    """The calendar attached to an email, parsed as a calendar client would."""
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST"
    return Calendar.from_ical(parts[0].get_content())


def schedule(actor: Member, requisition: Requisition, starts_at, **kwargs) -> Kickoff:
    return services.kickoff_schedule(
        actor=actor,
        requisition=requisition,
        starts_at=starts_at,
        duration_minutes=kwargs.get("duration_minutes", 45),
        where=kwargs.get("where", "  Room 4  "),
    )


def test_kickoff_emails_each_person_one_invite(
    requisition: Requisition,
    recruiter: Member,
    hiring_manager: Member,
    workspace,
    django_capture_on_commit_callbacks,
) -> None:
    second = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    requisition.hiring_managers.add(second)
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=3)

    with django_capture_on_commit_callbacks(execute=True):
        kickoff = schedule(recruiter, requisition, starts_at)

    assert (kickoff.starts_at, kickoff.duration_minutes, kickoff.where) == (starts_at, 45, "Room 4")
    assert (kickoff.organizer, kickoff.sequence) == (recruiter, 0)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [recruiter.user.email, hiring_manager.user.email, second.user.email]
    )
    assert all(len(m.to) == 1 for m in mail.outbox)
    for message in mail.outbox:
        assert message.subject == "Kickoff: Senior Backend Engineer"
        calendar = invite_of(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        assert str(event["UID"]) == f"kickoff-{kickoff.public_id}@accord"
        assert event.decoded("DTSTART") == starts_at
        assert event.decoded("DTEND") == starts_at + timedelta(minutes=45)
        assert event.decoded("SEQUENCE") == 0
        assert str(event["ORGANIZER"]) == f"mailto:{recruiter.user.email}"
        attendees = sorted(str(a) for a in event["ATTENDEE"])
        assert attendees == sorted(f"mailto:{email}" for email in recipients)
        assert str(event["LOCATION"]) == "Room 4"
    assert audit_rows() == [
        (
            "kickoff.scheduled",
            recruiter.user.email,
            str(requisition.public_id),
            {"starts_at": [None, starts_at.isoformat()]},
        )
    ]


def test_a_recruiter_who_is_also_the_manager_gets_one_email(
    admin: Member, recruiter: Member, django_capture_on_commit_callbacks
) -> None:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[recruiter]
    )

    with django_capture_on_commit_callbacks(execute=True):
        schedule(admin, requisition, timezone.now() + timedelta(days=1))

    assert [m.to for m in mail.outbox] == [[recruiter.user.email]]


def test_moving_the_kickoff_bumps_the_sequence_of_the_same_event(
    requisition: Requisition, recruiter: Member, admin: Member, django_capture_on_commit_callbacks
) -> None:
    first = schedule(recruiter, requisition, timezone.now() + timedelta(days=2))
    later = timezone.now().replace(microsecond=0) + timedelta(days=4)

    with django_capture_on_commit_callbacks(execute=True):
        moved = schedule(admin, requisition, later, duration_minutes=60, where="Video call")

    assert moved.pk == first.pk
    assert Kickoff.objects.count() == 1
    moved.refresh_from_db()
    assert (moved.starts_at, moved.duration_minutes, moved.where) == (later, 60, "Video call")
    assert (moved.sequence, moved.organizer) == (1, admin)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        (event,) = invite_of(message).walk("VEVENT")
        assert str(event["UID"]) == f"kickoff-{first.public_id}@accord"
        assert event.decoded("SEQUENCE") == 1
        assert event.decoded("DTSTART") == later
    assert [row[0] for row in audit_rows("kickoff")] == ["kickoff.scheduled", "kickoff.moved"]


@pytest.mark.parametrize("when", [timedelta(minutes=-1), timedelta(0), timedelta(days=-3)])
def test_kickoff_in_the_past_is_refused_and_sends_nothing(
    requisition: Requisition, recruiter: Member, when, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: schedule(recruiter, requisition, timezone.now() + when),
            "in the future",
            "starts_at",
        )

    assert mail.outbox == []


@pytest.mark.parametrize("status", [Status.FILLED, Status.CANCELLED])
def test_no_kickoff_for_a_closed_requisition(
    requisition: Requisition, recruiter: Member, status: str, django_capture_on_commit_callbacks
) -> None:
    set_row(requisition, status=status)

    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: schedule(recruiter, requisition, timezone.now() + timedelta(days=1)),
            "This requisition is closed",
        )

    assert mail.outbox == []


@pytest.mark.parametrize("minutes", [0, 14, 241])
def test_kickoff_length_is_bounded(
    requisition: Requisition, recruiter: Member, minutes: int
) -> None:
    refused(
        lambda: schedule(
            recruiter, requisition, timezone.now() + timedelta(days=1), duration_minutes=minutes
        ),
        "between 15 and 240 minutes",
        "duration_minutes",
    )


def test_kickoff_is_refused_to_a_hiring_manager(
    requisition: Requisition, hiring_manager: Member, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: schedule(hiring_manager, requisition, timezone.now() + timedelta(days=1)),
            "Your role does not allow",
        )

    assert mail.outbox == []
