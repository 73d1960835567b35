"""The candidates page (search:candidates) and saved searches (search:save, search:saved-delete)."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accord.audit.models import AuditEntry
from accord.candidates.models import Candidate, CandidateSkill, SavedSearch
from accord.candidates.search import index_candidates
from accord.candidates.search.services import SAVED_LIMIT
from accord.pipeline.models import Category
from accord.workspaces.models import Member, Role, Workspace
from conftest import client_for
from tests.factories import (
    ApplicationFactory,
    CandidateFactory,
    MemberFactory,
    RequisitionFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_url(workspace: Workspace) -> str:
    return reverse("search:candidates", args=[workspace.slug])


def save_url(workspace: Workspace) -> str:
    return reverse("search:save", args=[workspace.slug])


def delete_url(saved: SavedSearch) -> str:
    return reverse("search:saved-delete", args=[saved.workspace.slug, saved.public_id])


def text(response) -> str:
    return response.content.decode()


def names(response) -> list[str]:
    return [hit.candidate.name for hit in response.context["result"].hits]


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def candidate(workspace: Workspace, name: str, **fields: object) -> Candidate:
    made = CandidateFactory(workspace=workspace, name=name, **fields)
    index_candidates([made.pk])
    return made


@pytest.fixture
def pool(workspace: Workspace) -> list[Candidate]:
    ada = candidate(
        workspace,
        "Ada Lovelace",
        headline="Kubernetes Engineer",
        location="London",
        years_experience=Decimal(8),
    )
    CandidateSkill.objects.create(candidate=ada, ref="onet:kubernetes", label="Kubernetes")
    index_candidates([ada.pk])
    return [ada, candidate(workspace, "Bruno Costa", headline="Data Analyst", location="Lisbon")]


def test_the_page_lists_candidates_with_their_details(
    recruiter: Member, pool: list[Candidate]
) -> None:
    response = client_for(recruiter).get(page_url(recruiter.workspace))
    assert response.status_code == 200
    assert names(response) == ["Bruno Costa", "Ada Lovelace"]
    body = text(response)
    ada = pool[0]
    assert reverse("candidates:detail", args=[ada.workspace.slug, ada.public_id]) in body
    assert "Kubernetes Engineer" in body
    assert "8 years" in body
    assert 'id="search-form"' in body
    assert "HX-Request" in response["Vary"]


def test_text_search_highlights_and_escapes(recruiter: Member, workspace: Workspace) -> None:
    candidate(workspace, "<b>Bold</b> Kubernetes", headline="Kubernetes <i>admin</i>")
    response = client_for(recruiter).get(page_url(workspace), {"q": "kubernetes"})
    body = text(response)
    assert "<mark>Kubernetes</mark>" in body
    assert "<b>Bold</b>" not in body
    assert "&lt;b&gt;Bold&lt;/b&gt;" in body
    assert "best match first" in body


def test_htmx_gets_only_the_results_and_the_stage_choices(
    recruiter: Member, pool: list[Candidate]
) -> None:
    requisition = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    stage = StageFactory(
        requisition=requisition, name="Tech interview", category=Category.INTERVIEW
    )
    ApplicationFactory(requisition=requisition, stage=stage, candidate=pool[0])
    response = client_for(recruiter).get(
        page_url(recruiter.workspace), {"q": "kube", "requisition": requisition.public_id}, **HTMX
    )
    body = text(response)
    assert "<html" not in body
    assert body.count('id="results"') == 1
    assert 'id="stage-field" hx-swap-oob="true"' in body
    assert "Tech interview" in body
    assert names(response) == ["Ada Lovelace"]
    assert response["HX-Push-Url"] == (
        page_url(recruiter.workspace) + f"?q=kube&requisition={requisition.public_id}"
    )


@pytest.mark.parametrize("count", [3, 30])
def test_queries_are_bounded(
    recruiter: Member, workspace: Workspace, count: int, django_assert_max_num_queries
) -> None:
    requisition = RequisitionFactory(workspace=workspace, recruiter=recruiter)
    stage = StageFactory(requisition=requisition)
    for n in range(count):
        made = candidate(workspace, f"Person {n}", headline="Welder")
        CandidateSkill.objects.create(candidate=made, ref=f"x:{n}", label=f"Skill {n}")
        ApplicationFactory(requisition=requisition, stage=stage, candidate=made)
    SavedSearch.objects.create(
        workspace=workspace, owner=recruiter, name="Welders", query="q=welder"
    )
    client = client_for(recruiter)
    # Session, user, member, requisitions and stages for the filters, count, ranked ids,
    # snippets, the page with skills, tags and applications, saved searches, the navbar's
    # memberships, and the session's save: the same whatever the pool's size.
    with django_assert_max_num_queries(17):
        response = client.get(
            page_url(workspace), {"q": "welder", "requisition": requisition.public_id}
        )
    assert len(names(response)) == min(count, 25)
    with django_assert_max_num_queries(15):
        client.get(page_url(workspace))


def test_bad_filter_values_say_what_is_wrong_and_the_rest_still_apply(
    recruiter: Member, pool: list[Candidate]
) -> None:
    response = client_for(recruiter).get(
        page_url(recruiter.workspace),
        {"location": "lon", "years_min": "lots", "stage": "not-a-stage", "source": "telepathy"},
    )
    assert response.status_code == 200
    assert names(response) == ["Ada Lovelace"]
    form = response.context["form"]
    assert set(form.errors) == {"years_min", "stage", "source"}
    assert "invalid-feedback" in text(response)
    # Typing in the page only swaps the results, so they say it too.
    partial = client_for(recruiter).get(
        page_url(recruiter.workspace), {"location": "lon", "years_min": "lots"}, **HTMX
    )
    assert "Some filters were set aside" in text(partial)
    assert "Years from: Enter a number." in text(partial)
    assert names(partial) == ["Ada Lovelace"]


def test_years_the_wrong_way_round(recruiter: Member, pool: list[Candidate]) -> None:
    response = client_for(recruiter).get(
        page_url(recruiter.workspace), {"years_min": "5", "years_max": "2"}
    )
    assert "swap them" in text(response)
    assert names(response) == ["Ada Lovelace"]  # "from 5" still applies; "to 2" is set aside


def test_a_requisition_the_member_cannot_see_is_not_a_choice(
    hiring_manager: Member, recruiter: Member, pool: list[Candidate]
) -> None:
    theirs = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    ApplicationFactory(requisition=theirs, candidate=pool[0])
    response = client_for(hiring_manager).get(
        page_url(recruiter.workspace), {"requisition": theirs.public_id}
    )
    assert "requisition" in response.context["form"].errors
    assert theirs.title not in text(response)
    assert names(response) == []


def test_empty_pool_says_how_to_add_candidates(recruiter: Member, interviewer: Member) -> None:
    body = text(client_for(recruiter).get(page_url(recruiter.workspace)))
    assert "No candidates yet" in body
    assert reverse("candidates:create", args=[recruiter.workspace.slug]) in body
    body = text(client_for(interviewer).get(page_url(interviewer.workspace)))
    assert "No candidates yet" in body
    assert "in a requisition you are on" in body
    assert reverse("candidates:create", args=[interviewer.workspace.slug]) not in body


def test_no_match_says_what_to_try(recruiter: Member, pool: list[Candidate]) -> None:
    response = client_for(recruiter).get(page_url(recruiter.workspace), {"q": "zzqx"})
    body = text(response)
    assert "No candidates match “zzqx”" in body
    assert "remove a filter" in body


def test_pages_link_to_each_other(recruiter: Member, workspace: Workspace) -> None:
    for n in range(27):
        candidate(workspace, f"Welder {n}", headline="Welder")
    client = client_for(recruiter)
    first = client.get(page_url(workspace), {"q": "welder"})
    assert "q=welder&amp;page=2" in text(first)
    assert "1–25 of 27" in text(first)
    second = client.get(page_url(workspace), {"q": "welder", "page": "2"})
    assert len(names(second)) == 2
    assert "26–27 of 27" in text(second)


def test_the_page_is_read_only(recruiter: Member) -> None:
    response = client_for(recruiter).post(page_url(recruiter.workspace))
    assert response.status_code == 405


def test_outsiders_get_404_and_strangers_sign_in(
    outsider: Member, workspace: Workspace, client
) -> None:
    assert client_for(outsider).get(page_url(workspace)).status_code == 404
    assert client.get(page_url(workspace)).status_code == 302


# --- saved searches ---------------------------------------------------------------------------


def test_save_the_search_on_screen(recruiter: Member, pool: list[Candidate]) -> None:
    client = client_for(recruiter)
    response = client.post(
        save_url(recruiter.workspace),
        {
            "name": "  London  k8s ",
            "q": "kube",
            "location": "London",
            "years_min": "many",
            "skills": " kubernetes,, ",
            "page": "3",
            "bogus": "x",
        },
    )
    saved = SavedSearch.objects.get(owner=recruiter)
    query = "q=kube&skills=kubernetes&location=London"  # tidied; the invalid "many" left out
    assert (saved.name, saved.query) == ("London k8s", query)
    assert response.status_code == 302
    assert response["Location"] == page_url(recruiter.workspace) + "?" + query
    entry = AuditEntry.objects.get(action="saved_search.create")
    assert entry.object_id == str(saved.public_id)
    page = client.get(response["Location"])
    assert "London k8s" in text(page)
    assert 'aria-current="true"' in text(page)
    assert names(page) == ["Ada Lovelace"]


def test_saving_a_name_again_replaces_its_query(recruiter: Member) -> None:
    client = client_for(recruiter)
    client.post(save_url(recruiter.workspace), {"name": "Mine", "q": "go"})
    client.post(save_url(recruiter.workspace), {"name": "MINE", "q": "rust"})
    saved = SavedSearch.objects.get(owner=recruiter)
    assert (saved.name, saved.query) == ("MINE", "q=rust")


def test_htmx_save_redirects_the_page(recruiter: Member) -> None:
    response = client_for(recruiter).post(
        save_url(recruiter.workspace), {"name": "Mine", "q": "go"}, **HTMX
    )
    assert response["HX-Redirect"] == page_url(recruiter.workspace) + "?q=go"


def test_a_nameless_save_is_refused_and_changes_nothing(recruiter: Member) -> None:
    response = client_for(recruiter).post(save_url(recruiter.workspace), {"name": " ", "q": "go"})
    assert not SavedSearch.objects.exists()
    assert any("Give the search a name" in m for m in flashed(response))


def test_saved_searches_are_capped(recruiter: Member) -> None:
    SavedSearch.objects.bulk_create(
        SavedSearch(workspace=recruiter.workspace, owner=recruiter, name=f"S{n}", query="")
        for n in range(SAVED_LIMIT)
    )
    response = client_for(recruiter).post(save_url(recruiter.workspace), {"name": "One more"})
    assert SavedSearch.objects.filter(owner=recruiter).count() == SAVED_LIMIT
    assert any("Delete one first" in m for m in flashed(response))


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER]
)
def test_every_role_may_save_and_delete_its_own(workspace: Workspace, role: str) -> None:
    member = MemberFactory(workspace=workspace, role=role)
    client = client_for(member)
    client.post(save_url(workspace), {"name": "Mine", "q": "go"})
    saved = SavedSearch.objects.get(owner=member)
    assert client.get(delete_url(saved)).status_code == 200
    response = client.post(delete_url(saved))
    assert response.status_code == 302
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()
    assert AuditEntry.objects.filter(
        action="saved_search.delete", object_id=str(saved.public_id)
    ).exists()


def test_someone_elses_saved_search_is_a_404(
    recruiter: Member, admin: Member, outsider: Member
) -> None:
    saved = SavedSearch.objects.create(
        workspace=recruiter.workspace, owner=recruiter, name="Private", query="q=go"
    )
    for member in (admin, outsider):
        client = client_for(member)
        assert client.get(delete_url(saved)).status_code == 404
        assert client.post(delete_url(saved)).status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
    assert "Private" not in text(client_for(admin).get(page_url(recruiter.workspace)))
