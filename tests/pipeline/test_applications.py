"""Applications: entering a pipeline, moves with reasons, conflicts, bulk moves and tags."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.candidates.models import CandidateEvent, Source, Tag
from accord.lib.conflicts import Conflict
from accord.pipeline import selectors, services
from accord.pipeline.models import Application, Reason, StageMove
from accord.requisitions.models import Milestone, MilestoneKind, Owner, Status
from tests.factories import CandidateFactory, RequisitionFactory
from tests.pipeline.conftest import snapshot

pytestmark = pytest.mark.django_db


def refused(call, message: str) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        call()
    assert message in " ".join(error.value.messages), error.value.messages
    assert snapshot() == before


def many(recruiter, requisition, n: int, stage=None) -> list[Application]:
    return [
        services.application_create(
            actor=recruiter,
            candidate=CandidateFactory(workspace=requisition.workspace, name=f"Person {i}"),
            requisition=requisition,
            stage=stage,
        )
        for i in range(n)
    ]


# --- application_create ---------------------------------------------------------------------------


def test_an_application_starts_in_the_first_open_stage_with_its_history(
    recruiter, candidate, requisition
) -> None:
    application = services.application_create(
        actor=recruiter, candidate=candidate, requisition=requisition
    )

    assert application.stage.name == "Sourced"
    assert application.workspace == requisition.workspace
    assert application.source == candidate.source
    assert application.created_by == recruiter
    move = StageMove.objects.get(application=application)
    assert (move.from_stage, move.to_stage, move.actor) == (None, application.stage, recruiter)
    event = CandidateEvent.objects.get(candidate=candidate)
    assert event.kind == CandidateEvent.Kind.APPLIED
    assert event.summary == "Added to Senior Backend Engineer in Sourced"
    entry = AuditEntry.objects.get(action="application.created")
    assert entry.object_id == str(application.public_id)
    assert entry.object_repr == "Grace Hopper · Senior Backend Engineer"
    assert entry.changes == {"stage": [None, "Sourced"], "source": [None, "sourced"]}


def test_an_application_can_start_in_a_given_stage_with_a_source(
    recruiter, candidate, requisition, stages
) -> None:
    application = services.application_create(
        actor=recruiter,
        candidate=candidate,
        requisition=requisition,
        stage=stages["Screen"],
        source=Source.REFERRAL,
    )

    assert (application.stage, application.source) == (stages["Screen"], "referral")


def test_the_same_candidate_twice_in_one_requisition_is_refused(
    recruiter, application, candidate, requisition
) -> None:
    refused(
        lambda: services.application_create(
            actor=recruiter, candidate=candidate, requisition=requisition
        ),
        "Grace Hopper is already in the pipeline of Senior Backend Engineer.",
    )


def test_one_candidate_may_apply_to_several_requisitions(recruiter, application, candidate) -> None:
    other = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter, title="SRE")

    services.application_create(actor=recruiter, candidate=candidate, requisition=other)

    assert candidate.applications.count() == 2


def test_candidates_and_requisitions_must_be_the_actors_workspaces(
    recruiter, outsider, candidate, requisition, stages
) -> None:
    stranger = CandidateFactory(workspace=outsider.workspace)
    theirs = RequisitionFactory(workspace=outsider.workspace)

    refused(
        lambda: services.application_create(
            actor=recruiter, candidate=stranger, requisition=requisition
        ),
        "Choose a candidate from this workspace.",
    )
    refused(
        lambda: services.application_create(
            actor=recruiter, candidate=candidate, requisition=theirs
        ),
        "Your role does not allow this",
    )
    refused(
        lambda: services.application_create(
            actor=outsider, candidate=candidate, requisition=requisition
        ),
        "Your role does not allow this",
    )


def test_a_stage_of_another_requisition_is_refused(recruiter, candidate, requisition) -> None:
    other = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    elsewhere = services.stages_for(other)[1]

    refused(
        lambda: services.application_create(
            actor=recruiter, candidate=candidate, requisition=requisition, stage=elsewhere
        ),
        "Choose a stage of this requisition.",
    )


def test_managers_and_interviewers_cannot_add_candidates(
    hiring_manager, interviewer, candidate, requisition, stages
) -> None:
    for person in (hiring_manager, interviewer):
        refused(
            lambda p=person: services.application_create(
                actor=p, candidate=candidate, requisition=requisition
            ),
            "Your role does not allow this",
        )


def test_a_closed_requisition_takes_no_new_candidates(recruiter, candidate, requisition, stages):
    requisition.status = Status.CANCELLED
    requisition.save(update_fields=["status"])

    refused(
        lambda: services.application_create(
            actor=recruiter, candidate=candidate, requisition=requisition
        ),
        "Senior Backend Engineer is closed; it takes no new candidates.",
    )


def test_an_erased_candidate_cannot_be_added(recruiter, candidate, requisition, stages) -> None:
    candidate.erased_at = timezone.now()
    candidate.save(update_fields=["erased_at"])

    refused(
        lambda: services.application_create(
            actor=recruiter, candidate=candidate, requisition=requisition
        ),
        "data was erased",
    )


# --- application_move -----------------------------------------------------------------------------


def test_a_move_records_who_when_from_where_and_why(
    recruiter, application, stages, candidate
) -> None:
    before = timezone.now()
    moved = services.application_move(
        actor=recruiter,
        application=application,
        to_stage=stages["Screen"],
        note="  Strong  portfolio ",
        revision=1,
    )

    assert moved.stage == stages["Screen"]
    assert moved.revision == 2
    assert moved.stage_entered_at >= before
    move = StageMove.objects.filter(application=application).first()
    assert (move.from_stage, move.to_stage, move.actor, move.note, move.reason) == (
        stages["Sourced"],
        stages["Screen"],
        recruiter,
        "Strong portfolio",  # every move keeps its why, whitespace tidied
        "",
    )
    assert (moved.reason, moved.reason_note) == ("", "")  # the application shows closing whys
    assert move.at == moved.stage_entered_at
    entry = AuditEntry.objects.get(action="application.moved")
    assert entry.changes == {"stage": ["Sourced", "Screen"]}
    assert entry.actor == recruiter.user


def test_rejecting_needs_a_rejection_reason(recruiter, application, stages) -> None:
    rejected = stages["Rejected"]
    refused(
        lambda: services.application_move(
            actor=recruiter, application=application, to_stage=rejected
        ),
        "Choose why the candidate is rejected",
    )
    refused(
        lambda: services.application_move(
            actor=recruiter,
            application=application,
            to_stage=rejected,
            reason=Reason.OTHER_OFFER,  # a reason to withdraw, not to reject
        ),
        "Choose why the candidate is rejected",
    )

    moved = services.application_move(
        actor=recruiter,
        application=application,
        to_stage=rejected,
        reason=Reason.MISSING_MUST_HAVE,
        note="No Go experience",
    )

    assert (moved.reason, moved.reason_note) == ("missing_must", "No Go experience")
    move = StageMove.objects.filter(application=application).first()
    assert (move.reason, move.note) == ("missing_must", "No Go experience")
    assert AuditEntry.objects.get(action="application.moved").changes["reason"] == [
        None,
        "missing_must",
    ]


def test_withdrawing_needs_a_withdrawal_reason_and_reopening_clears_it(
    recruiter, application, stages
) -> None:
    refused(
        lambda: services.application_move(
            actor=recruiter,
            application=application,
            to_stage=stages["Withdrawn"],
            reason=Reason.MANAGER_DECLINED,
        ),
        "Choose why the candidate withdrew",
    )
    services.application_move(
        actor=recruiter,
        application=application,
        to_stage=stages["Withdrawn"],
        reason=Reason.OTHER_OFFER,
    )

    reopened = services.application_move(
        actor=recruiter, application=application, to_stage=stages["Screen"]
    )

    assert (reopened.reason, reopened.reason_note) == ("", "")
    application.refresh_from_db()
    assert application.reason == ""


def test_a_note_over_the_limit_is_refused(recruiter, application, stages) -> None:
    refused(
        lambda: services.application_move(
            actor=recruiter,
            application=application,
            to_stage=stages["Rejected"],
            reason=Reason.EXPERIENCE,
            note="x" * 301,
        ),
        "Keep the note to 300 characters or fewer.",
    )


def test_a_move_from_an_older_revision_is_a_conflict(recruiter, application, stages) -> None:
    services.application_move(actor=recruiter, application=application, to_stage=stages["Screen"])
    before = snapshot()

    with pytest.raises(Conflict) as conflict:
        services.application_move(
            actor=recruiter, application=application, to_stage=stages["Offer"], revision=1
        )

    assert conflict.value.current.revision == 2
    assert conflict.value.current.stage_id == stages["Screen"].pk
    assert snapshot() == before


def test_moving_to_the_current_stage_is_refused(recruiter, application, stages) -> None:
    refused(
        lambda: services.application_move(
            actor=recruiter, application=application, to_stage=stages["Sourced"]
        ),
        "Already in Sourced.",
    )


def test_moving_to_a_stage_of_another_requisition_is_refused(recruiter, application) -> None:
    other = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    elsewhere = services.stages_for(other)[1]

    refused(
        lambda: services.application_move(
            actor=recruiter, application=application, to_stage=elsewhere
        ),
        "That stage belongs to another requisition.",
    )


def test_only_admins_and_recruiters_move(
    admin, hiring_manager, interviewer, outsider, application, stages
) -> None:
    for person in (hiring_manager, interviewer, outsider):
        refused(
            lambda p=person: services.application_move(
                actor=p, application=application, to_stage=stages["Screen"]
            ),
            "Your role does not allow this",
        )
    services.application_move(actor=admin, application=application, to_stage=stages["Screen"])


def test_reaching_submitted_interview_and_offer_completes_the_plans_milestones(
    recruiter, application, requisition, stages
) -> None:
    due = timezone.localdate() + timedelta(days=5)
    for kind in (
        MilestoneKind.FIRST_SHORTLIST,
        MilestoneKind.FIRST_INTERVIEWS,
        MilestoneKind.OFFER,
    ):
        Milestone.objects.create(
            requisition=requisition, kind=kind, owner=Owner.RECRUITER, due_on=due
        )

    services.application_move(
        actor=recruiter, application=application, to_stage=stages["Submitted to manager"]
    )

    done = dict(Milestone.objects.values_list("kind", "done_on"))
    assert done[MilestoneKind.FIRST_SHORTLIST] == timezone.localdate()
    assert done[MilestoneKind.FIRST_INTERVIEWS] is None
    assert done[MilestoneKind.OFFER] is None


# --- bulk -----------------------------------------------------------------------------------------


def test_a_bulk_move_skips_those_already_there_and_says_so(recruiter, requisition, stages) -> None:
    sourced = many(recruiter, requisition, 3)
    screened = many(recruiter, requisition, 2, stage=stages["Screen"])
    other = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    services.stages_for(other)
    stranger = services.application_create(
        actor=recruiter,
        candidate=CandidateFactory(workspace=recruiter.workspace),
        requisition=other,
    )

    result = services.applications_move(
        actor=recruiter,
        applications=[*sourced, *screened, stranger],
        to_stage=stages["Screen"],
    )

    assert [a.pk for a in result.done] == [a.pk for a in sourced]
    assert result.summary == (
        "3 applications moved to Screen. Skipped: 1 not in this requisition, 2 already in Screen."
    )
    assert set(Application.objects.filter(stage=stages["Screen"]).values_list("pk", flat=True)) == {
        a.pk for a in [*sourced, *screened]
    }
    assert (
        StageMove.objects.filter(to_stage=stages["Screen"], from_stage=stages["Sourced"]).count()
        == 3
    )
    assert all(a.revision == 2 for a in Application.objects.filter(pk__in=[a.pk for a in sourced]))
    entry = AuditEntry.objects.get(action="applications.moved")
    assert sorted(entry.changes["applications"][1]) == sorted(str(a.public_id) for a in sourced)
    assert entry.object_id == str(requisition.public_id)


def test_a_bulk_reject_without_a_reason_changes_nothing(recruiter, requisition, stages) -> None:
    applications = many(recruiter, requisition, 3)

    refused(
        lambda: services.applications_move(
            actor=recruiter, applications=applications, to_stage=stages["Rejected"]
        ),
        "Choose why the candidate is rejected",
    )

    result = services.applications_move(
        actor=recruiter,
        applications=applications,
        to_stage=stages["Rejected"],
        reason=Reason.ROLE_CLOSED,
        note="Role paused",
    )
    assert len(result.done) == 3
    assert set(Application.objects.values_list("reason", "reason_note")) == {
        ("role_closed", "Role paused")
    }


def test_a_bulk_move_by_an_interviewer_or_of_nothing_is_refused(
    recruiter, interviewer, requisition, stages
) -> None:
    applications = many(recruiter, requisition, 2)

    refused(
        lambda: services.applications_move(
            actor=interviewer, applications=applications, to_stage=stages["Screen"]
        ),
        "Your role does not allow this",
    )
    refused(
        lambda: services.applications_move(
            actor=recruiter, applications=[], to_stage=stages["Screen"]
        ),
        "Select at least one application first.",
    )


def test_bulk_tags_reuse_tags_whatever_the_case_and_skip_those_tagged(
    recruiter, requisition, stages
) -> None:
    applications = many(recruiter, requisition, 3)
    python = Tag.objects.create(workspace=recruiter.workspace, name="Python")
    applications[0].candidate.tags.add(python)

    result = services.applications_tag(
        actor=recruiter, applications=applications, tag_names=["python", " ", "python"]
    )

    assert Tag.objects.count() == 1
    assert [a.pk for a in result.done] == [a.pk for a in applications[1:]]
    assert result.summary == "2 applications tagged. Skipped: 1 already tagged."
    for application in applications:
        assert list(application.candidate.tags.values_list("name", flat=True)) == ["Python"]

    services.applications_tag(
        actor=recruiter, applications=applications, tag_names=["Remote OK", "python"]
    )
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Python", "Remote OK"]
    entry = AuditEntry.objects.filter(action="applications.tagged").order_by("id").last()
    assert entry.changes["tags"][1] == ["Python", "Remote OK"]


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (["x" * 41], "Keep tags to 40 characters or fewer"),
        ([" ", ""], "Type the tags to add"),
        ([f"t{n}" for n in range(11)], "Add at most 10 tags at a time."),
    ],
)
def test_bad_tags_change_nothing(recruiter, requisition, stages, tags, message) -> None:
    applications = many(recruiter, requisition, 1)

    refused(
        lambda: services.applications_tag(
            actor=recruiter, applications=applications, tag_names=tags
        ),
        message,
    )


# --- history --------------------------------------------------------------------------------------


def test_moves_for_groups_each_applications_moves_newest_first_in_one_query(
    recruiter, requisition, stages, django_assert_num_queries
) -> None:
    first, second = many(recruiter, requisition, 2)
    services.application_move(actor=recruiter, application=first, to_stage=stages["Screen"])
    services.application_move(actor=recruiter, application=first, to_stage=stages["Offer"])

    with django_assert_num_queries(1):
        history = selectors.moves_for([first.pk, second.pk])
        described = {
            pk: [
                (m.from_stage and m.from_stage.name, m.to_stage.name, str(m.actor.user))
                for m in moves
            ]
            for pk, moves in history.items()
        }

    assert described == {
        first.pk: [
            ("Screen", "Offer", "Rita Recruiter"),
            ("Sourced", "Screen", "Rita Recruiter"),
            (None, "Sourced", "Rita Recruiter"),
        ],
        second.pk: [(None, "Sourced", "Rita Recruiter")],
    }
