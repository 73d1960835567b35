"""The stage templates page and a requisition's pipeline settings page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accord.pipeline import services
from accord.pipeline.models import Category, Stage, StageTemplate
from accord.pipeline.services.stage_lists import StageSpec
from accord.workspaces.models import Role
from conftest import client_for
from tests.factories import CandidateFactory, RequisitionFactory
from tests.pipeline.conftest import snapshot

pytestmark = pytest.mark.django_db


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def templates_url(workspace) -> str:
    return reverse("pipeline:templates", args=[workspace.slug])


def template_url(template: StageTemplate) -> str:
    return reverse("pipeline:template", args=[template.workspace.slug, template.public_id])


def stages_url(requisition) -> str:
    return reverse("pipeline:stages", args=[requisition.workspace.slug, requisition.public_id])


def names(requisition) -> list[str]:
    return list(Stage.objects.filter(requisition=requisition).values_list("name", flat=True))


# --- templates ------------------------------------------------------------------------------------


def test_the_templates_page_shows_the_default_and_its_stages(recruiter) -> None:
    response = client_for(recruiter).get(templates_url(recruiter.workspace))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Standard" in page
    assert "Default" in page
    assert 'value="Submitted to manager"' in page
    assert "<script>" not in page
    assert ' style="' not in page


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_only_admins_and_recruiters_reach_the_templates(role, workspace) -> None:
    from tests.factories import MemberFactory

    member = MemberFactory(workspace=workspace, role=role)
    template = services.default_template(workspace)
    client = client_for(member)
    before = snapshot()

    assert client.get(templates_url(workspace)).status_code == 403
    response = client.post(template_url(template), {"op": "rename", "name": "Mine"})
    assert response.status_code == 403
    assert snapshot() == before


def test_creating_a_template_from_another(recruiter) -> None:
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

    response = client_for(recruiter).post(
        templates_url(recruiter.workspace),
        {"op": "create", "name": "Lean copy", "template": lean.public_id},
    )

    made = StageTemplate.objects.get(name="Lean copy")
    assert response["Location"] == f"{templates_url(recruiter.workspace)}#template-{made.public_id}"
    assert [s.name for s in made.stages.all()] == ["Applied", "Hired", "No", "Left"]
    assert flashed(response) == ["Template “Lean copy” created. Adjust its stages below."]


def test_editing_a_templates_stages_from_the_page(recruiter) -> None:
    template = services.template_create(actor=recruiter, name="Engineering")
    client = client_for(recruiter)
    offer = template.stages.get(name="Offer")

    client.post(template_url(template), {"op": "stage-add", "name": "Task", "category": "screen"})
    client.post(
        template_url(template),
        {"op": "stage-update", "stage": offer.pk, "name": "Offer out", "category": "offer"},
    )
    client.post(template_url(template), {"op": "stage-up", "stage": offer.pk})
    client.post(template_url(template), {"op": "default"})

    template.refresh_from_db()
    stage_names = [s.name for s in template.stages.all()]
    assert stage_names[5:7] == ["Offer out", "Interview 2"]
    assert stage_names[-1] == "Task"
    assert template.is_default


def test_a_refused_template_edit_says_why_and_changes_nothing(recruiter) -> None:
    template = services.template_create(actor=recruiter, name="Engineering")
    hired = template.stages.get(name="Hired")
    before = snapshot()

    response = client_for(recruiter).post(
        template_url(template), {"op": "stage-remove", "stage": hired.pk}
    )

    assert response.status_code == 302
    assert flashed(response) == [
        "A pipeline needs one Hired stage: it is where a successful search ends."
    ]
    assert snapshot() == before


def test_another_workspaces_template_or_stage_is_404(recruiter, outsider) -> None:
    theirs = services.default_template(outsider.workspace)
    ours = services.template_create(actor=recruiter, name="Engineering")
    their_stage = theirs.stages.first()
    client = client_for(recruiter)
    before = snapshot()

    elsewhere = reverse("pipeline:template", args=[recruiter.workspace.slug, theirs.public_id])
    assert client.post(elsewhere, {"op": "rename", "name": "Ours"}).status_code == 404
    response = client.post(template_url(ours), {"op": "stage-remove", "stage": their_stage.pk})
    assert response.status_code == 404
    assert client.post(template_url(ours), {"op": "stage-up", "stage": "x"}).status_code == 404
    assert snapshot() == before


def test_deleting_a_template(recruiter) -> None:
    template = services.template_create(actor=recruiter, name="Engineering")

    response = client_for(recruiter).post(template_url(template), {"op": "delete"})

    assert not StageTemplate.objects.filter(pk=template.pk).exists()
    assert flashed(response) == ["Template “Engineering” deleted."]


def test_an_unknown_action_changes_nothing(recruiter) -> None:
    template = services.template_create(actor=recruiter, name="Engineering")
    before = snapshot()

    response = client_for(recruiter).post(template_url(template), {"op": "explode"})

    assert flashed(response) == ["That action isn’t one this page offers. Reload and try again."]
    assert snapshot() == before


# --- a requisition's pipeline settings ------------------------------------------------------------


def test_the_settings_page_lists_stages_with_their_counts(recruiter, requisition, stages) -> None:
    services.application_create(
        actor=recruiter,
        candidate=CandidateFactory(workspace=recruiter.workspace),
        requisition=requisition,
        stage=stages["Screen"],
    )

    response = client_for(recruiter).get(stages_url(requisition))

    assert response.status_code == 200
    assert [(s.name, s.n) for s in response.context["stages"]][:3] == [
        ("Sourced", 0),
        ("Screen", 1),
        ("Submitted to manager", 0),
    ]
    assert "1 application" in response.content.decode()


def test_removing_a_stage_with_candidates_says_to_move_them_first(
    recruiter, requisition, stages
) -> None:
    for _ in range(2):
        services.application_create(
            actor=recruiter,
            candidate=CandidateFactory(workspace=recruiter.workspace),
            requisition=requisition,
            stage=stages["Screen"],
        )
    before = snapshot()

    response = client_for(recruiter).post(
        stages_url(requisition), {"op": "stage-remove", "stage": stages["Screen"].public_id}
    )

    assert response["Location"] == stages_url(requisition)
    assert flashed(response) == [
        "“Screen” has 2 applications. Move them to another stage first, then remove the stage."
    ]
    assert snapshot() == before


def test_settings_ops_add_rename_reorder_remove(recruiter, requisition, stages) -> None:
    client = client_for(recruiter)

    client.post(stages_url(requisition), {"op": "stage-add", "name": "Task", "category": "screen"})
    client.post(
        stages_url(requisition),
        {
            "op": "stage-update",
            "stage": stages["Screen"].public_id,
            "name": "Call",
            "category": "screen",
        },
    )
    client.post(stages_url(requisition), {"op": "stage-down", "stage": stages["Sourced"].public_id})
    response = client.post(
        stages_url(requisition), {"op": "stage-remove", "stage": stages["Interview 2"].public_id}
    )

    assert flashed(response)[-1] == "Stage “Interview 2” removed."
    assert names(requisition)[:2] == ["Call", "Sourced"]
    assert names(requisition)[-1] == "Task"
    assert "Interview 2" not in names(requisition)


def test_applying_copying_and_saving_from_the_settings_page(recruiter, requisition, stages):
    client = client_for(recruiter)
    lean = services.template_create(
        actor=recruiter,
        name="Lean",
        stages=[
            StageSpec("Sourced", Category.SOURCED),
            StageSpec("Hired", Category.HIRED),
            StageSpec("Rejected", Category.REJECTED),
            StageSpec("Withdrawn", Category.WITHDRAWN),
        ],
    )

    response = client.post(stages_url(requisition), {"op": "apply", "template": lean.public_id})
    assert flashed(response) == ["The stages of “Lean” now apply."]
    assert names(requisition) == ["Sourced", "Hired", "Rejected", "Withdrawn"]

    other = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter, title="SRE")
    services.stages_for(other)
    response = client.post(stages_url(requisition), {"op": "copy", "requisition": other.public_id})
    assert flashed(response)[-1] == "Stages copied from SRE."
    assert names(requisition) == names(other)

    response = client.post(stages_url(requisition), {"op": "save-template", "name": "Backend"})
    assert flashed(response)[-1] == "Saved as the template “Backend”."
    assert StageTemplate.objects.filter(name="Backend").exists()


def test_copying_from_a_requisition_the_member_cannot_see_is_404(
    recruiter, outsider, requisition, stages
) -> None:
    theirs = RequisitionFactory(workspace=outsider.workspace)
    before = snapshot()

    response = client_for(recruiter).post(
        stages_url(requisition), {"op": "copy", "requisition": theirs.public_id}
    )

    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer"])
def test_managers_and_interviewers_cannot_open_the_settings(request, role, requisition, stages):
    client = client_for(request.getfixturevalue(role))
    before = snapshot()

    assert client.get(stages_url(requisition)).status_code == 403
    response = client.post(
        stages_url(requisition), {"op": "stage-remove", "stage": stages["Interview 2"].public_id}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_another_workspaces_requisition_settings_are_404(outsider, requisition, stages) -> None:
    their_url = reverse("pipeline:stages", args=[outsider.workspace.slug, requisition.public_id])

    assert client_for(outsider).get(their_url).status_code == 404
    assert client_for(outsider).get(stages_url(requisition)).status_code == 404


def test_a_stage_of_another_requisition_is_404_here(recruiter, requisition, stages) -> None:
    other = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    elsewhere = services.stages_for(other)[-1]
    before = snapshot()

    response = client_for(recruiter).post(
        stages_url(requisition), {"op": "stage-remove", "stage": elsewhere.public_id}
    )

    assert response.status_code == 404
    assert snapshot() == before
