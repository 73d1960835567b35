"""A requisition with a signed brief and five screened applicants, ready for a shortlist."""

from dataclasses import dataclass

import pytest

from accord.pipeline.models import Application, Category, Stage
from accord.pipeline.services import stages_for
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member
from tests.factories import ApplicationFactory, CandidateFactory, RequisitionFactory
from tests.matching.conftest import Brief, add_resume, signed_brief

NAMES = ["Ana Alves", "Ben Brook", "Chloé Chen", "Dev Dutta", "Eli Evans"]


@dataclass
class Scene:
    requisition: Requisition
    brief: Brief
    applications: list[Application]
    stages: dict[str, Stage]


def build_scene(recruiter: Member, manager: Member, count: int = 5) -> Scene:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[manager]
    )
    brief = signed_brief(requisition)
    brief.version.review_days = 2
    brief.version.save(update_fields=["review_days"])
    stages = stages_for(requisition)
    screen = next(s for s in stages if s.category == Category.SCREEN)
    applications = []
    for name in NAMES[:count]:
        application = ApplicationFactory(
            requisition=requisition,
            stage=screen,
            candidate=CandidateFactory(workspace=requisition.workspace, name=name),
        )
        add_resume(application.candidate)
        applications.append(application)
    by_category: dict[str, Stage] = {}
    for stage in stages:
        by_category.setdefault(stage.category, stage)
    return Scene(requisition, brief, applications, by_category)


@pytest.fixture
def scene(recruiter: Member, hiring_manager: Member) -> Scene:
    return build_scene(recruiter, hiring_manager)
