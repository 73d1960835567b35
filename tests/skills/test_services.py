"""Skill services: validation, audit, refusal across workspaces; criteria linked to the taxonomy."""

import pytest
from django.core.exceptions import ValidationError

from accord.audit.models import AuditEntry
from accord.briefs import services as briefs
from accord.briefs.models import Criterion, Kind
from accord.briefs.services import CriterionInput
from accord.skills import services
from accord.skills.models import CustomSkill
from accord.skills.services import SkillInput
from accord.workspaces.models import Member
from tests.factories import RequisitionFactory

pytestmark = pytest.mark.django_db


def test_create_new_skill_and_synonyms(recruiter: Member) -> None:
    skill = services.custom_skill_create(
        actor=recruiter, data=SkillInput(label="Blorp Billing", synonyms="BB9\r\nBlorp\n")
    )
    assert (skill.label, skill.synonyms, skill.ref) == ("Blorp Billing", "BB9\nBlorp", "")
    assert skill.skill_ref == f"ws:{skill.public_id}"
    entry = AuditEntry.objects.get(action="skill.added")
    assert entry.object_id == str(skill.public_id)
    assert entry.changes == {"label": [None, "Blorp Billing"], "synonyms": [None, "BB9\nBlorp"]}


def test_a_synonym_cannot_take_over_another_skills_name(recruiter: Member) -> None:
    with pytest.raises(ValidationError) as refused:
        services.custom_skill_create(
            actor=recruiter, data=SkillInput(label="Blorp Billing", synonyms="Python")
        )
    assert "already names Python" in str(refused.value)
    with pytest.raises(ValidationError):
        services.custom_skill_create(
            actor=recruiter, data=SkillInput(label="Kubernetes", synonyms="Docker", extends=True)
        )
    # A name of the same skill is fine (it is simply redundant).
    services.custom_skill_create(
        actor=recruiter, data=SkillInput(label="Kubernetes", synonyms="k8s\nkewb", extends=True)
    )
    assert AuditEntry.objects.filter(action="skill.added").count() == 1


def test_roles_without_the_permission_are_refused(hiring_manager: Member, interviewer: Member):
    for member in (hiring_manager, interviewer):
        with pytest.raises(ValidationError):
            services.custom_skill_create(actor=member, data=SkillInput(label="Blorp"))
    assert not CustomSkill.objects.exists()


def test_another_workspace_cannot_update_or_delete(recruiter: Member, outsider: Member) -> None:
    skill = services.custom_skill_create(actor=recruiter, data=SkillInput(label="Blorp"))
    with pytest.raises(ValidationError):
        services.custom_skill_update(actor=outsider, skill=skill, data=SkillInput(label="Mine"))
    with pytest.raises(ValidationError):
        services.custom_skill_delete(actor=outsider, skill=skill)
    skill.refresh_from_db()
    assert skill.label == "Blorp"


def test_update_without_changes_records_nothing(recruiter: Member) -> None:
    skill = services.custom_skill_create(
        actor=recruiter, data=SkillInput(label="Blorp", synonyms="B1")
    )
    services.custom_skill_update(
        actor=recruiter, skill=skill, data=SkillInput(label=" Blorp ", synonyms="B1")
    )
    assert not AuditEntry.objects.filter(action="skill.updated").exists()


def test_criteria_get_taxonomy_and_workspace_refs(recruiter, hiring_manager) -> None:
    own = services.custom_skill_create(actor=recruiter, data=SkillInput(label="Blorp Billing"))
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    draft = briefs.brief_start(actor=recruiter, requisition=requisition)
    criterion = briefs.criterion_add(
        actor=recruiter,
        version=draft,
        data=CriterionInput(
            name="Runs our platform",
            kind=Kind.MUST,
            skills=Criterion.parse_skills("k8s 3+, Blorp Billing, Zzyzx"),
        ),
    )
    assert [(s["label"], s["ref"], s["min_years"]) for s in criterion.skills] == [
        ("k8s", "onet:kubernetes", 3),
        ("Blorp Billing", own.skill_ref, None),
        ("Zzyzx", "", None),
    ]
