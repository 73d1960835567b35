"""Screens get suggestions without anyone pressing a button: when a candidate enters a
pipeline, when their resume arrives, and when a new brief version comes into force."""

import pytest

from accord.briefs import services as briefs
from accord.briefs.models import BriefVersion, Side, Signature
from accord.candidates import services as candidates
from accord.candidates.parsing.result import ParsedResume
from accord.pipeline import services as pipeline
from accord.pipeline.models import Assessment, Verdict
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member
from tests.factories import CandidateFactory
from tests.matching.conftest import RESUME, Brief, add_resume, signed_brief
from tests.workspaces.test_access import SIGNABLE

pytestmark = pytest.mark.django_db


def test_entering_a_pipeline_brings_suggestions(
    recruiter: Member, requisition: Requisition, brief: Brief, django_capture_on_commit_callbacks
) -> None:
    candidate = CandidateFactory(workspace=recruiter.workspace)
    add_resume(candidate)
    with django_capture_on_commit_callbacks(execute=True):
        application = pipeline.application_create(
            actor=recruiter, candidate=candidate, requisition=requisition
        )
    sql = Assessment.objects.get(application=application, criterion=brief.sql)
    assert sql.suggested_verdict == Verdict.MET
    assert "SQL" in sql.suggested_evidence
    application.refresh_from_db()
    assert application.must_total == 3


def test_a_new_resume_brings_suggestions(
    recruiter: Member, requisition: Requisition, brief: Brief, django_capture_on_commit_callbacks
) -> None:
    candidate = CandidateFactory(workspace=recruiter.workspace)
    with django_capture_on_commit_callbacks(execute=True):
        application = pipeline.application_create(
            actor=recruiter, candidate=candidate, requisition=requisition
        )
    assert not Assessment.objects.filter(
        application=application, suggested_verdict=Verdict.MET
    ).exists()  # nothing to go on yet
    parsed = ParsedResume(kind="txt", text=RESUME, name=candidate.name)
    with django_capture_on_commit_callbacks(execute=True):
        candidates.resume_attach(
            actor=recruiter,
            candidate=candidate,
            data=RESUME.encode(),
            filename="cv.txt",
            parsed=parsed,
        )
    sql = Assessment.objects.get(application=application, criterion=brief.sql)
    assert sql.suggested_verdict == Verdict.MET


def test_a_brief_coming_into_force_screens_everyone_again(
    recruiter: Member,
    hiring_manager: Member,
    requisition: Requisition,
    brief: Brief,
    application,
    django_capture_on_commit_callbacks,
) -> None:
    draft = signed_brief(requisition, number=2)
    BriefVersion.objects.filter(pk=draft.version.pk).update(signed_at=None, **SIGNABLE)
    draft.version.refresh_from_db()
    Signature.objects.create(
        version=draft.version,
        member=hiring_manager,
        side=Side.MANAGER,
        revision=draft.version.revision,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert briefs.brief_sign(
            actor=recruiter, version=draft.version, revision=draft.version.revision
        )
    assert Assessment.objects.filter(application=application, criterion=draft.sql).exists()
