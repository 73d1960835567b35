import pytest

from accord.audit.models import AuditEntry
from accord.candidates.models import Candidate, CandidateEvent
from accord.pipeline import services
from accord.pipeline.models import Application, Stage, StageMove, StageTemplate, TemplateStage
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member
from tests.factories import CandidateFactory, RequisitionFactory


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


@pytest.fixture
def stages(requisition: Requisition) -> dict[str, Stage]:
    return {s.name: s for s in services.stages_for(requisition)}


@pytest.fixture
def candidate(recruiter: Member) -> Candidate:
    return CandidateFactory(workspace=recruiter.workspace, name="Grace Hopper")


@pytest.fixture
def application(recruiter: Member, candidate: Candidate, requisition: Requisition, stages):
    return services.application_create(
        actor=recruiter, candidate=candidate, requisition=requisition
    )


def snapshot() -> dict[str, object]:
    """Everything a refused pipeline action must leave exactly as it was."""
    return {
        "applications": sorted(
            Application.objects.values_list(
                "pk", "stage", "stage_entered_at", "reason", "reason_note", "revision"
            )
        ),
        "moves": StageMove.objects.count(),
        "stages": sorted(Stage.objects.values_list("pk", "name", "category", "position")),
        "templates": sorted(StageTemplate.objects.values_list("pk", "name", "is_default")),
        "template_stages": sorted(
            TemplateStage.objects.values_list("pk", "template", "name", "category", "position")
        ),
        "tags": sorted(Candidate.tags.through.objects.values_list("candidate", "tag")),
        "events": CandidateEvent.objects.count(),
        "audit": AuditEntry.objects.count(),
    }
