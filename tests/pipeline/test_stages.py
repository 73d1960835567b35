"""A requisition's own stages: made from the default on first use, then edited there."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction

from accord.audit.models import AuditEntry
from accord.pipeline import services
from accord.pipeline.models import Category, Stage, StageTemplate
from accord.pipeline.services.stage_lists import StageSpec
from accord.workspaces.models import Role
from tests.factories import CandidateFactory, MemberFactory, RequisitionFactory
from tests.pipeline.conftest import snapshot

pytestmark = pytest.mark.django_db


def names(requisition) -> list[str]:
    return [s.name for s in Stage.objects.filter(requisition=requisition)]


def refused(call, message: str) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        call()
    assert message in " ".join(error.value.messages), error.value.messages
    assert snapshot() == before


def add(recruiter, requisition, stage, n: int = 1) -> None:
    for _ in range(n):
        candidate = CandidateFactory(workspace=requisition.workspace)
        services.application_create(
            actor=recruiter, candidate=candidate, requisition=requisition, stage=stage
        )


def test_stages_come_from_the_default_template_once(requisition) -> None:
    first = services.stages_for(requisition)
    again = services.stages_for(requisition)

    assert [s.name for s in first] == [
        "Sourced",
        "Screen",
        "Submitted to manager",
        "Manager review",
        "Interview 1",
        "Interview 2",
        "Offer",
        "Hired",
        "Rejected",
        "Withdrawn",
    ]
    assert [s.pk for s in again] == [s.pk for s in first]
    assert Stage.objects.count() == 10


def test_a_new_requisition_takes_the_current_default(recruiter, requisition) -> None:
    services.stages_for(requisition)
    lean = services.template_create(
        actor=recruiter,
        name="Lean",
        stages=[
            StageSpec("Applied", Category.SOURCED),
            StageSpec("Hired", Category.HIRED),
            StageSpec("No", Category.REJECTED),
            StageSpec("Left", Category.WITHDRAWN),
        ],
    )
    services.template_make_default(actor=recruiter, template=lean)
    other = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)

    assert [s.name for s in services.stages_for(other)] == ["Applied", "Hired", "No", "Left"]
    assert len(names(requisition)) == 10  # a pipeline already set up keeps its stages


@pytest.mark.django_db(transaction=True)
def test_two_first_visits_at_once_make_one_set_of_stages() -> None:
    recruiter = MemberFactory(role=Role.RECRUITER)
    requisition = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    made = threading.Event()
    results: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = services.stages_for(requisition)
                made.set()
                time.sleep(1)  # commit only after the second visit has looked and found none
        finally:
            made.set()
            connections.close_all()

    def second() -> None:
        try:
            made.wait(10)
            results["second"] = services.stages_for(requisition)
        except Exception as error:  # reported by the assertions below
            results["second"] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert Stage.objects.filter(requisition=requisition).count() == 10
    assert StageTemplate.objects.filter(workspace=recruiter.workspace).count() == 1
    first_pks = [s.pk for s in results["first"]]  # type: ignore[attr-defined]
    assert [s.pk for s in results["second"]] == first_pks  # type: ignore[attr-defined]


def test_stages_are_edited_in_place_and_audited(recruiter, requisition, stages) -> None:
    screen = stages["Screen"]
    add(recruiter, requisition, screen, 2)

    services.stage_add(
        actor=recruiter, requisition=requisition, name="Take-home", category=Category.INTERVIEW
    )
    services.stage_update(actor=recruiter, stage=screen, name="Phone screen", category="screen")
    services.stage_reorder(actor=recruiter, stage=screen, offset=-1)

    assert names(requisition)[:2] == ["Phone screen", "Sourced"]
    assert names(requisition)[-1] == "Take-home"
    screen.refresh_from_db()
    assert screen.applications.count() == 2  # same row: its applications stayed
    entries = AuditEntry.objects.filter(action="pipeline.stages_changed").order_by("id")
    assert entries.count() == 3
    assert entries[0].object_id == str(requisition.public_id)
    assert entries[0].changes["stages"][1][-1] == "Take-home (interview)"


def test_an_empty_stage_can_be_removed(recruiter, requisition, stages) -> None:
    services.stage_remove(actor=recruiter, stage=stages["Interview 2"])

    assert "Interview 2" not in names(requisition)
    assert list(
        Stage.objects.filter(requisition=requisition).values_list("position", flat=True)
    ) == list(range(9))


def test_a_stage_with_applications_is_not_removed_and_says_how_many(
    recruiter, requisition, stages
) -> None:
    add(recruiter, requisition, stages["Screen"], 3)

    refused(
        lambda: services.stage_remove(actor=recruiter, stage=stages["Screen"]),
        "“Screen” has 3 applications. Move them to another stage first",
    )


def test_a_stage_with_applications_keeps_its_kind(recruiter, requisition, stages) -> None:
    add(recruiter, requisition, stages["Offer"])

    refused(
        lambda: services.stage_update(
            actor=recruiter, stage=stages["Offer"], name="Offer", category=Category.REJECTED
        ),
        "“Offer” has applications, so its kind can’t change",
    )
    services.stage_update(
        actor=recruiter, stage=stages["Offer"], name="Offer made", category="offer"
    )
    assert "Offer made" in names(requisition)


def test_the_pipeline_follows_the_same_rules_as_templates(recruiter, requisition, stages) -> None:
    refused(
        lambda: services.stage_remove(actor=recruiter, stage=stages["Hired"]),
        "A pipeline needs one Hired stage",
    )
    refused(
        lambda: services.stage_add(
            actor=recruiter, requisition=requisition, name="sourced", category="sourced"
        ),
        "There is already a stage called “Sourced”",
    )


def test_managers_and_interviewers_cannot_edit_a_pipeline(
    hiring_manager, interviewer, requisition, stages
) -> None:
    for person in (hiring_manager, interviewer):
        refused(
            lambda p=person: services.stage_remove(actor=p, stage=stages["Interview 2"]),
            "Your role does not allow this",
        )


def test_another_workspace_cannot_edit_our_pipeline(outsider, requisition, stages) -> None:
    refused(
        lambda: services.stage_add(
            actor=outsider, requisition=requisition, name="Spy", category="screen"
        ),
        "Your role does not allow this",
    )


def lean(recruiter) -> StageTemplate:
    return services.template_create(
        actor=recruiter,
        name="Lean",
        stages=[
            StageSpec("Sourced", Category.SOURCED),
            StageSpec("Interview", Category.INTERVIEW),
            StageSpec("Hired", Category.HIRED),
            StageSpec("Rejected", Category.REJECTED),
            StageSpec("Withdrawn", Category.WITHDRAWN),
        ],
    )


def test_applying_a_template_keeps_stages_of_the_same_name_and_kind(
    recruiter, requisition, stages
) -> None:
    add(recruiter, requisition, stages["Sourced"], 2)

    services.stages_apply_template(
        actor=recruiter, requisition=requisition, template=lean(recruiter)
    )

    assert names(requisition) == ["Sourced", "Interview", "Hired", "Rejected", "Withdrawn"]
    assert Stage.objects.get(requisition=requisition, name="Sourced").pk == stages["Sourced"].pk
    assert stages["Sourced"].applications.count() == 2


def test_a_template_is_not_applied_over_applications_it_would_strand(
    recruiter, requisition, stages
) -> None:
    add(recruiter, requisition, stages["Screen"], 2)
    add(recruiter, requisition, stages["Offer"], 1)
    template = lean(recruiter)

    refused(
        lambda: services.stages_apply_template(
            actor=recruiter, requisition=requisition, template=template
        ),
        "Applications sit in stages the template “Lean” doesn’t have: Screen (2), Offer (1).",
    )


def test_a_template_of_another_workspace_is_refused(recruiter, outsider, requisition, stages):
    theirs = services.default_template(outsider.workspace)

    refused(
        lambda: services.stages_apply_template(
            actor=recruiter, requisition=requisition, template=theirs
        ),
        "Choose a template from this workspace",
    )


def test_stages_can_be_copied_from_another_requisition(recruiter, requisition, stages) -> None:
    source = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter, title="SRE")
    services.stages_apply_template(actor=recruiter, requisition=source, template=lean(recruiter))

    services.stages_copy(actor=recruiter, requisition=requisition, source=source)

    assert names(requisition) == names(source)
    assert AuditEntry.objects.filter(
        action="pipeline.stages_changed", object_id=str(requisition.public_id)
    ).exists()


def test_copying_from_elsewhere_or_from_itself_is_refused(
    recruiter, outsider, requisition, stages
) -> None:
    theirs = RequisitionFactory(workspace=outsider.workspace)

    refused(
        lambda: services.stages_copy(actor=recruiter, requisition=requisition, source=theirs),
        "Choose a requisition from this workspace",
    )
    refused(
        lambda: services.stages_copy(actor=recruiter, requisition=requisition, source=requisition),
        "Choose another requisition",
    )


def test_a_pipeline_can_be_saved_as_a_template(recruiter, requisition, stages) -> None:
    services.stage_add(
        actor=recruiter, requisition=requisition, name="Take-home", category=Category.INTERVIEW
    )

    template = services.stages_save_as_template(
        actor=recruiter, requisition=requisition, name="Backend"
    )

    assert [s.name for s in template.stages.all()] == names(requisition)
    assert not template.is_default
