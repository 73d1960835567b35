"""The screening page, saving verdicts with htmx, and the ranking of applicants and the pool."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.audit.models import AuditEntry
from accord.briefs.models import Kind
from accord.candidates.models import Candidate, CandidateSkill
from accord.matching import services
from accord.pipeline.models import Application, Assessment
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member
from conftest import client_for
from tests.factories import (
    ApplicationFactory,
    CandidateFactory,
    CriterionFactory,
    RequisitionFactory,
    StageFactory,
)
from tests.matching.conftest import Brief, add_resume, signed_brief

pytestmark = pytest.mark.django_db


def screen_url(application: Application) -> str:
    return reverse("matching:screen", args=[application.workspace.slug, application.public_id])


def assess_url(application: Application, criterion_public_id: object) -> str:
    return reverse(
        "matching:assess",
        args=[application.workspace.slug, application.public_id, criterion_public_id],
    )


def rank_url(requisition: Requisition, pool: bool = False) -> str:
    url = reverse("matching:rank", args=[requisition.workspace.slug, requisition.public_id])
    return url + ("?tab=pool" if pool else "")


HTMX = {"HTTP_HX_REQUEST": "true"}


# --- the screen -------------------------------------------------------------------------------


def test_screen_shows_criteria_must_first_with_definitions_and_quoted_suggestions(
    brief: Brief, application: Application, recruiter: Member
) -> None:
    services.refresh_suggestions([application.pk])
    response = client_for(recruiter).get(screen_url(application))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam Candidate" in html
    # Must-haves first, though the nice-to-have has the lowest position.
    assert html.index(">Must-haves</h2>") < html.index(">PHP") < html.index(">Nice-to-haves</h2>")
    assert html.index(">Rust") < html.index(">Search engines")
    assert "Has built and run PHP services in production." in html
    assert "<strong>Suggested:</strong> Met — PHP: “Built the billing platform in PHP" in html
    # The evidence box is pre-filled from the suggestion.
    assert 'name="evidence"' in html
    assert "Rust: looked for it and found no mention in the resume.</textarea>" in html
    assert 'data-testid="verdict-met"' in html
    assert "Must-haves 2 of 3" in html
    assert "Missing: Rust" in html


@pytest.mark.parametrize("role", ["admin", "recruiter", "hiring_manager"])
def test_screen_is_open_to_the_requisitions_people(
    request: pytest.FixtureRequest, role: str, brief: Brief, application: Application
) -> None:
    member = request.getfixturevalue(role)
    response = client_for(member).get(screen_url(application))
    assert response.status_code == 200
    can_save = role != "hiring_manager"
    assert ('data-testid="verdict-met"' in response.content.decode()) is can_save


@pytest.mark.parametrize("role", ["interviewer", "outsider"])
def test_screen_is_404_to_people_not_on_the_requisition(
    request: pytest.FixtureRequest, role: str, brief: Brief, application: Application
) -> None:
    member = request.getfixturevalue(role)
    assert client_for(member).get(screen_url(application)).status_code == 404


def test_screen_of_another_workspaces_application_is_404(outsider: Member, brief: Brief) -> None:
    theirs = ApplicationFactory(requisition=RequisitionFactory(workspace=outsider.workspace))
    url = reverse("matching:screen", args=["acme", theirs.public_id])
    assert client_for(brief.requisition.recruiter).get(url).status_code == 404


def test_screen_without_a_brief_in_force_says_so(
    application: Application, recruiter: Member
) -> None:
    response = client_for(recruiter).get(screen_url(application))
    html = response.content.decode()
    assert 'data-testid="no-brief"' in html
    assert reverse("briefs:brief", args=["acme", application.requisition.public_id]) in html


def test_screen_runs_a_bounded_number_of_queries(
    brief: Brief, application: Application, recruiter: Member
) -> None:
    client = client_for(recruiter)
    client.get(screen_url(application))
    services.refresh_suggestions([application.pk])
    few, _ = queries(client, screen_url(application))
    for i in range(30):
        CriterionFactory(version=brief.version, name=f"Extra {i}", skills=[{"label": "Rust"}])
    services.refresh_suggestions([application.pk])
    many, html = queries(client, screen_url(application))
    assert html.count('data-testid="criterion"') == 34
    assert many == few <= 11


# --- saving a verdict -------------------------------------------------------------------------


def test_one_tap_saves_with_htmx_and_returns_the_criterion_and_the_summary(
    brief: Brief, application: Application, recruiter: Member
) -> None:
    services.refresh_suggestions([application.pk])
    response = client_for(recruiter).post(
        assess_url(application, brief.rust.public_id),
        {"verdict": "met", "evidence": "Rust at home for two years.", "revision": "1"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="c-{brief.rust.public_id}"' in html
    assert 'hx-swap-oob="true"' in html
    assert "Must-haves 3 of 3" in html
    assert 'name="revision" value="2"' in html
    row = Assessment.objects.get(application=application, criterion=brief.rust)
    assert (row.verdict, row.evidence, row.assessed_by) == (
        "met",
        "Rust at home for two years.",
        recruiter,
    )
    application.refresh_from_db()
    assert application.must_met == 3


def test_plain_form_post_redirects_back_to_the_screen(
    brief: Brief, application: Application, admin: Member
) -> None:
    response = client_for(admin).post(
        assess_url(application, brief.php.public_id),
        {"verdict": "not_met", "evidence": "", "revision": "0"},
    )
    assert response.status_code == 302
    assert response["Location"] == screen_url(application)


def test_stale_revision_is_a_409_showing_the_other_verdict(
    brief: Brief, application: Application, recruiter: Member, admin: Member
) -> None:
    services.refresh_suggestions([application.pk])
    client_for(admin).post(
        assess_url(application, brief.sql.public_id),
        {"verdict": "not_met", "evidence": "Only Excel.", "revision": "1"},
        **HTMX,
    )
    response = client_for(recruiter).post(
        assess_url(application, brief.sql.public_id),
        {"verdict": "met", "evidence": "SQL daily.", "revision": "1"},
        **HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this criterion" in html
    assert "Only Excel.</textarea>" in html
    assert 'name="revision" value="2"' in html
    row = Assessment.objects.get(application=application, criterion=brief.sql)
    assert (row.verdict, row.evidence) == ("not_met", "Only Excel.")


def test_bad_verdict_is_a_422_keeping_what_was_typed(
    brief: Brief, application: Application, recruiter: Member
) -> None:
    response = client_for(recruiter).post(
        assess_url(application, brief.sql.public_id),
        {"verdict": "maybe", "evidence": "typed words", "revision": "0"},
        **HTMX,
    )
    assert response.status_code == 422
    assert "Choose met, partly, not met or unknown." in response.content.decode()
    assert "typed words</textarea>" in response.content.decode()
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("hiring_manager", 403), ("interviewer", 403), ("outsider", 404)]
)
def test_refused_save_changes_nothing(
    request: pytest.FixtureRequest, role: str, status: int, brief: Brief, application: Application
) -> None:
    services.refresh_suggestions([application.pk])
    before = list(Assessment.objects.values())
    response = client_for(request.getfixturevalue(role)).post(
        assess_url(application, brief.rust.public_id),
        {"verdict": "met", "evidence": "x", "revision": "1"},
        **HTMX,
    )
    assert response.status_code == status
    assert list(Assessment.objects.values()) == before
    assert not AuditEntry.objects.filter(action="assessment.saved").exists()


def test_criterion_of_an_older_brief_is_404(
    brief: Brief, application: Application, recruiter: Member
) -> None:
    signed_brief(brief.requisition, number=2)
    response = client_for(recruiter).post(
        assess_url(application, brief.rust.public_id),
        {"verdict": "met", "evidence": "", "revision": "0"},
        **HTMX,
    )
    assert response.status_code == 404


def test_suggest_now_button_fills_the_suggestions(
    brief: Brief, application: Application, recruiter: Member
) -> None:
    client = client_for(recruiter)
    assert 'data-testid="never-suggested"' in client.get(screen_url(application)).content.decode()
    url = reverse("matching:refresh", args=["acme", application.public_id])
    assert client.post(url).status_code == 302
    assert Assessment.objects.filter(application=application).count() == 4
    assert client_for(Member.objects.get(role="hiring_manager")).post(url).status_code == 403


# --- ranking ------------------------------------------------------------------------------


def _applicants(requisition: Requisition, n: int) -> list[Application]:
    stage = StageFactory(requisition=requisition)
    made = []
    for i in range(n):
        application = ApplicationFactory(requisition=requisition, stage=stage)
        if i % 2:
            add_resume(application.candidate)
        made.append(application)
    return made


def test_ranking_lists_applicants_best_first_with_the_explanation(
    brief: Brief, application: Application, recruiter: Member
) -> None:
    weaker = ApplicationFactory(requisition=brief.requisition, stage=application.stage)
    add_resume(weaker.candidate, "Wrote some SQL.", work=[])
    services.refresh_suggestions([application.pk, weaker.pk])
    response = client_for(recruiter).get(rank_url(brief.requisition))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(application.candidate.name) < html.index(weaker.candidate.name)
    assert "2 of 3" in html
    assert "1 of 3" in html
    assert "PHP 5+ years, Rust" in html  # what the weaker one misses
    assert screen_url(application) in html


def test_ranking_without_a_brief_says_so(requisition: Requisition, recruiter: Member) -> None:
    response = client_for(recruiter).get(rank_url(requisition))
    assert 'data-testid="no-brief"' in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"), [("hiring_manager", 200), ("interviewer", 404), ("outsider", 404)]
)
def test_ranking_visibility(
    request: pytest.FixtureRequest, role: str, status: int, brief: Brief
) -> None:
    member = request.getfixturevalue(role)
    assert client_for(member).get(rank_url(brief.requisition)).status_code == status
    assert client_for(member).get(rank_url(brief.requisition, pool=True)).status_code == status


def queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_ranking_runs_a_bounded_number_of_queries(brief: Brief, recruiter: Member) -> None:
    client = client_for(recruiter)
    client.get(rank_url(brief.requisition))  # the session settles on the first visit
    made = _applicants(brief.requisition, 5)
    services.refresh_suggestions([a.pk for a in made])
    few, _ = queries(client, rank_url(brief.requisition))
    made = _applicants(brief.requisition, 80)
    services.refresh_suggestions([a.pk for a in made])
    many, html = queries(client, rank_url(brief.requisition))
    assert html.count('data-testid="applicant"') == 85
    assert many == few <= 15


def test_recompute_runs_the_task_for_stale_matches(brief: Brief, recruiter: Member) -> None:
    made = _applicants(brief.requisition, 3)
    client = client_for(recruiter)
    assert "3 matches predate" in client.get(rank_url(brief.requisition)).content.decode()
    url = reverse("matching:rank-refresh", args=["acme", brief.requisition.public_id])
    assert client.post(url).status_code == 302
    assert all(a.matched_at for a in Application.objects.filter(pk__in=[m.pk for m in made]))
    assert "predate" not in client.get(rank_url(brief.requisition)).content.decode()


def _pool(workspace_candidates: int, brief: Brief) -> list[Candidate]:
    people = [
        CandidateFactory(workspace=brief.requisition.workspace, name=f"Pool person {i}")
        for i in range(workspace_candidates)
    ]
    rows = []
    for i, person in enumerate(people):
        rows.append(CandidateSkill(candidate=person, ref="onet:php", label="PHP", years=i % 8))
        if i % 3 == 0:
            rows.append(CandidateSkill(candidate=person, ref="x:rust", label="Rust"))
    CandidateSkill.objects.bulk_create(rows)
    return people


def test_pool_ranks_candidates_not_yet_in_the_requisition(
    brief: Brief, application: Application, recruiter: Member
) -> None:
    CriterionFactory(version=brief.version, name="Team spirit", kind=Kind.MUST)
    people = _pool(12, brief)
    CandidateSkill.objects.create(candidate=application.candidate, ref="onet:php", label="PHP")
    response = client_for(recruiter).get(rank_url(brief.requisition, pool=True))
    html = response.content.decode()
    assert 'data-testid="pool-narrowing"' in html
    assert "12 candidates were scored" in html
    assert "Criteria without skills (Team spirit)" in html
    assert application.candidate.name not in html  # already an applicant
    # PHP 5+ years and Rust: the best have both.
    best = html.index("Pool person 6")  # 6 years of PHP, and Rust
    assert best < html.index("Pool person 1<")  # 1 year, no Rust
    assert html.count('data-testid="pool-add"') == len(people)


def test_pool_runs_a_bounded_number_of_queries(brief: Brief, recruiter: Member) -> None:
    client = client_for(recruiter)
    client.get(rank_url(brief.requisition, pool=True))
    _pool(5, brief)
    few, _ = queries(client, rank_url(brief.requisition, pool=True))
    _pool(300, brief)
    many, html = queries(client, rank_url(brief.requisition, pool=True))
    assert html.count('data-testid="pool-candidate"') == 50
    assert many == few <= 17


def test_add_from_the_pool(
    brief: Brief,
    application: Application,
    recruiter: Member,
    django_capture_on_commit_callbacks: Any,
) -> None:
    (person,) = _pool(1, brief)
    url = reverse("matching:pool-add", args=["acme", brief.requisition.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(recruiter).post(url, {"candidate": str(person.public_id)})
    assert response.status_code == 302
    assert response["Location"].endswith("?tab=pool")
    added = Application.objects.get(candidate=person, requisition=brief.requisition)
    assert added.must_total == 3  # suggestions ran after the commit


@pytest.mark.parametrize(("role", "status"), [("hiring_manager", 403), ("outsider", 404)])
def test_add_from_the_pool_refused(
    request: pytest.FixtureRequest, role: str, status: int, brief: Brief
) -> None:
    (person,) = _pool(1, brief)
    url = reverse("matching:pool-add", args=["acme", brief.requisition.public_id])
    response = client_for(request.getfixturevalue(role)).post(
        url, {"candidate": str(person.public_id)}
    )
    assert response.status_code == status
    assert not Application.objects.filter(candidate=person).exists()


def test_add_from_another_workspaces_pool_is_404(
    brief: Brief, recruiter: Member, outsider: Member
) -> None:
    theirs = CandidateFactory(workspace=outsider.workspace)
    url = reverse("matching:pool-add", args=["acme", brief.requisition.public_id])
    response = client_for(recruiter).post(url, {"candidate": str(theirs.public_id)})
    assert response.status_code == 404
    assert not Application.objects.filter(candidate=theirs).exists()


@pytest.mark.parametrize(("role", "status"), [("hiring_manager", 403), ("outsider", 404)])
def test_recompute_refused_changes_nothing(
    request: pytest.FixtureRequest, role: str, status: int, brief: Brief
) -> None:
    made = _applicants(brief.requisition, 2)
    url = reverse("matching:rank-refresh", args=["acme", brief.requisition.public_id])
    assert client_for(request.getfixturevalue(role)).post(url).status_code == status
    assert not Application.objects.filter(pk__in=[m.pk for m in made], matched_at__isnull=False)
    assert not Assessment.objects.exists()
