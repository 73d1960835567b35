"""A requisition with a signed brief, and an applicant with a parsed resume."""

import hashlib
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accord.briefs.models import BriefVersion, Criterion, Kind
from accord.candidates.models import Candidate, CandidateSkill, Resume
from accord.candidates.parsing.result import Job, ParsedResume
from accord.pipeline.models import Application
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member
from tests.factories import (
    ApplicationFactory,
    BriefVersionFactory,
    CandidateFactory,
    CriterionFactory,
    RequisitionFactory,
)

ACME = (
    "Built the billing platform in PHP and SQL for 40 countries; ran it on Unix servers.\n"
    "Moved search to Elasticsearch."
)
RESUME = f"""Sam Candidate
Backend engineer

Experience
Backend engineer, Acme, 2017 – 2023
{ACME}

Skills: PHP, SQL, Elasticsearch, Unix
"""


def add_resume(candidate: Candidate, text: str = RESUME, work: list[Job] | None = None) -> Resume:
    work = (
        [Job("Backend engineer", "Acme", date(2017, 1, 1), date(2023, 1, 1), False, ACME)]
        if work is None
        else work
    )
    parsed = ParsedResume(kind="txt", text=text, name=candidate.name, work=work)
    data = text.encode()
    return Resume.objects.create(
        candidate=candidate,
        file=ContentFile(data, name="cv.txt"),
        original_name="cv.txt",
        kind="txt",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        parsed=parsed.to_dict(),
    )


@dataclass
class Brief:
    requisition: Requisition
    version: BriefVersion
    php: Criterion  # must, PHP 5+ years
    sql: Criterion  # must, SQL
    rust: Criterion  # must, Rust
    search: Criterion  # nice ×3, Elasticsearch


def signed_brief(requisition: Requisition, number: int = 1) -> Brief:
    version = BriefVersionFactory(requisition=requisition, number=number, signed_at=timezone.now())
    php = CriterionFactory(
        version=version,
        name="PHP",
        position=1,
        skills=[{"label": "PHP", "ref": "", "min_years": 5, "level": ""}],
        definition="Has built and run PHP services in production.",
    )
    sql = CriterionFactory(version=version, name="SQL", position=2, skills=[{"label": "SQL"}])
    rust = CriterionFactory(version=version, name="Rust", position=3, skills=[{"label": "Rust"}])
    search = CriterionFactory(
        version=version,
        name="Search engines",
        kind=Kind.NICE,
        weight=3,
        position=0,
        skills=[{"label": "Elasticsearch"}],
    )
    return Brief(requisition, version, php, sql, rust, search)


@pytest.fixture
def requisition(recruiter: Member, hiring_manager: Member) -> Requisition:
    return RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )


@pytest.fixture
def brief(requisition: Requisition) -> Brief:
    return signed_brief(requisition)


@pytest.fixture
def application(requisition: Requisition) -> Application:
    application = ApplicationFactory(
        requisition=requisition,
        candidate=CandidateFactory(workspace=requisition.workspace, name="Sam Candidate"),
    )
    add_resume(application.candidate)
    return application


def skill(candidate: Candidate, ref: str, label: str, years: float | None = None) -> None:
    CandidateSkill.objects.create(candidate=candidate, ref=ref, label=label, years=years)
