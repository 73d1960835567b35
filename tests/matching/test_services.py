"""Suggestions from the resume, the recruiter's verdicts, and the match cached on applications."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.lib.conflicts import Conflict
from accord.matching import services
from accord.pipeline.models import Application, Assessment, Verdict
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member
from tests.factories import ApplicationFactory, CandidateFactory
from tests.matching.conftest import RESUME, Brief, add_resume, signed_brief, skill

pytestmark = pytest.mark.django_db


def assessments(application: Application) -> dict[str, Assessment]:
    return {a.criterion.name: a for a in application.assessments.select_related("criterion")}


def quotes(evidence: str) -> list[str]:
    return re.findall(r"“([^”]+)”", evidence)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_refresh_suggests_each_criterion_quoting_the_resume(
    brief: Brief, application: Application
) -> None:
    assert services.refresh_suggestions([application.pk]) == 1
    rows = assessments(application)
    assert set(rows) == {"PHP", "SQL", "Rust", "Search engines"}
    assert rows["PHP"].suggested_verdict == Verdict.MET  # 2017–2023 at Acme: 6 years
    assert "Backend engineer at Acme, 2017–2023" in rows["PHP"].suggested_evidence
    assert "about 6 years" in rows["PHP"].suggested_evidence
    assert rows["SQL"].suggested_verdict == Verdict.MET
    assert rows["Search engines"].suggested_verdict == Verdict.MET
    assert rows["Rust"].suggested_verdict == Verdict.UNKNOWN
    assert "Rust: looked for it and found no mention" in rows["Rust"].suggested_evidence
    # Every quote is the resume's own words.
    for row in rows.values():
        for quote in quotes(row.suggested_evidence):
            assert flat(quote.strip("…")) in flat(RESUME)
        # A suggestion is not a verdict: nobody has judged yet.
        assert row.assessed_by is None
        assert row.verdict == Verdict.UNKNOWN
    application.refresh_from_db()
    assert (application.must_met, application.must_total) == (2, 3)
    assert application.nice_score == 1.0
    assert application.matched_at is not None
    assert 0 < application.match_score < 1


def test_refresh_keeps_the_recruiters_verdict_and_updates_suggestions(
    brief: Brief, application: Application, recruiter: Member
) -> None:
    services.refresh_suggestions([application.pk])
    services.assessment_save(
        actor=recruiter,
        application=application,
        criterion=brief.rust,
        verdict=Verdict.MET,
        evidence="Told me on the call: two years of Rust at home.",
        revision=1,
    )
    application.candidate.resumes.all().delete()
    add_resume(application.candidate, RESUME.replace("PHP", "Perl"), work=[])
    services.refresh_suggestions([application.pk])
    rows = assessments(application)
    assert rows["Rust"].verdict == Verdict.MET
    assert rows["Rust"].evidence == "Told me on the call: two years of Rust at home."
    assert rows["Rust"].revision == 2
    assert rows["PHP"].suggested_verdict == Verdict.UNKNOWN  # the new resume has no PHP
    application.refresh_from_db()
    assert application.must_met == 2  # SQL suggested met, Rust met by the recruiter


def test_refresh_twice_changes_nothing(brief: Brief, application: Application) -> None:
    services.refresh_suggestions([application.pk])
    first = {
        a.pk: (a.suggested_verdict, a.suggested_evidence) for a in application.assessments.all()
    }
    services.refresh_suggestions([application.pk, application.pk])
    again = {
        a.pk: (a.suggested_verdict, a.suggested_evidence) for a in application.assessments.all()
    }
    assert first == again


def test_refresh_without_a_brief_in_force_does_nothing(application: Application) -> None:
    assert services.refresh_suggestions([application.pk]) == 0
    assert not Assessment.objects.exists()


def test_refresh_uses_the_latest_brief_in_force(brief: Brief, application: Application) -> None:
    newer = signed_brief(brief.requisition, number=2)
    services.refresh_suggestions([application.pk])
    assert set(Assessment.objects.values_list("criterion__version", flat=True)) == {
        newer.version.pk
    }


def test_candidate_without_resume_uses_stored_skills(
    brief: Brief, requisition: Requisition
) -> None:
    application = ApplicationFactory(requisition=requisition)
    skill(application.candidate, "recruiter:rust", "Rust", 3)
    services.refresh_suggestions([application.pk])
    rows = assessments(application)
    assert rows["Rust"].suggested_verdict == Verdict.MET
    assert rows["PHP"].suggested_verdict == Verdict.UNKNOWN


def test_task_runs_the_same_refresh(brief: Brief, application: Application) -> None:
    services.refresh_suggestions_task.enqueue([application.pk])  # immediate backend in tests
    application.refresh_from_db()
    assert application.must_total == 3


def test_assessment_save_records_the_verdict_audit_and_match(
    brief: Brief, application: Application, recruiter: Member
) -> None:
    services.refresh_suggestions([application.pk])
    saved = services.assessment_save(
        actor=recruiter,
        application=application,
        criterion=brief.rust,
        verdict=Verdict.PARTLY,
        evidence="  Side projects in Rust.  ",
        revision=1,
    )
    assert (saved.verdict, saved.evidence, saved.assessed_by, saved.revision) == (
        Verdict.PARTLY,
        "Side projects in Rust.",
        recruiter,
        2,
    )
    entry = AuditEntry.objects.get(action="assessment.saved")
    assert entry.changes == {"Rust": [None, "partly"]}
    assert "Sam Candidate" not in entry.object_repr  # the log outlives an erasure
    application.refresh_from_db()
    assert (application.must_met, application.must_total) == (2, 3)


def test_first_save_before_any_suggestion(
    brief: Brief, application: Application, admin: Member
) -> None:
    saved = services.assessment_save(
        actor=admin,
        application=application,
        criterion=brief.php,
        verdict=Verdict.MET,
        evidence="Six years of PHP.",
        revision=0,
    )
    assert saved.revision == 1
    application.refresh_from_db()
    assert application.must_met == 1


def test_stale_revision_conflicts_and_changes_nothing(
    brief: Brief, application: Application, recruiter: Member, admin: Member
) -> None:
    services.refresh_suggestions([application.pk])
    services.assessment_save(
        actor=admin,
        application=application,
        criterion=brief.sql,
        verdict=Verdict.NOT_MET,
        evidence="Only Excel.",
        revision=1,
    )
    with pytest.raises(Conflict) as clash:
        services.assessment_save(
            actor=recruiter,
            application=application,
            criterion=brief.sql,
            verdict=Verdict.MET,
            evidence="",
            revision=1,
        )
    assert isinstance(clash.value.current, Assessment)
    row = Assessment.objects.get(application=application, criterion=brief.sql)
    assert (row.verdict, row.evidence, row.assessed_by) == (Verdict.NOT_MET, "Only Excel.", admin)


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer", "outsider"])
def test_refused_roles_change_nothing(
    request: pytest.FixtureRequest, role: str, brief: Brief, application: Application
) -> None:
    actor = request.getfixturevalue(role)
    services.refresh_suggestions([application.pk])
    before = list(Assessment.objects.values())
    with pytest.raises(ValidationError):
        services.assessment_save(
            actor=actor,
            application=application,
            criterion=brief.rust,
            verdict=Verdict.MET,
            evidence="x",
            revision=1,
        )
    assert list(Assessment.objects.values()) == before
    assert not AuditEntry.objects.filter(action="assessment.saved").exists()


def test_bad_input_is_refused(brief: Brief, application: Application, recruiter: Member) -> None:
    with pytest.raises(ValidationError, match="met, partly, not met or unknown"):
        services.assessment_save(
            actor=recruiter,
            application=application,
            criterion=brief.rust,
            verdict="maybe",
            evidence="",
            revision=0,
        )
    with pytest.raises(ValidationError, match="under 1000"):
        services.assessment_save(
            actor=recruiter,
            application=application,
            criterion=brief.rust,
            verdict=Verdict.MET,
            evidence="x" * 1001,
            revision=0,
        )
    old = signed_brief(brief.requisition, number=2)  # brief v1 is no longer in force
    assert old.version.number == 2
    with pytest.raises(ValidationError, match="not in the brief in force"):
        services.assessment_save(
            actor=recruiter,
            application=application,
            criterion=brief.rust,
            verdict=Verdict.MET,
            evidence="",
            revision=0,
        )
    assert not Assessment.objects.exists()


def test_erased_candidates_are_not_judged(brief: Brief, requisition: Requisition) -> None:
    application = ApplicationFactory(
        requisition=requisition,
        candidate=CandidateFactory(workspace=requisition.workspace, erased_at=timezone.now()),
    )
    assert services.refresh_suggestions([application.pk]) == 0
