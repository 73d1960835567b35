"""The workspace skills page, the lookup box and the About data sources page."""

from pathlib import Path

import pytest
from django.urls import reverse

from accord.audit.models import AuditEntry
from accord.skills.models import CustomSkill
from accord.skills.sources import SOURCES
from accord.workspaces.models import Member, Workspace
from conftest import client_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOTICE = Path(__file__).resolve().parents[2] / "NOTICE"


def list_url(workspace: Workspace) -> str:
    return reverse("skills:list", args=[workspace.slug])


def url(name: str, skill: CustomSkill) -> str:
    return reverse(name, args=[skill.workspace.slug, skill.public_id])


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def own_skill(workspace: Workspace, recruiter: Member) -> CustomSkill:
    return CustomSkill.objects.create(
        workspace=workspace, label="Blorp Billing", synonyms="BB9", created_by=recruiter
    )


def snapshot(workspace: Workspace) -> list[tuple]:
    return list(
        CustomSkill.objects.filter(workspace=workspace)
        .order_by("pk")
        .values_list("label", "synonyms", "ref")
    )


# --- who may use it --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "recruiter"])
def test_admins_and_recruiters_see_the_page(request, persona: str, workspace: Workspace) -> None:
    member = request.getfixturevalue(persona)
    response = client_for(member).get(list_url(workspace))
    assert response.status_code == 200
    assert "No skills of your own yet" in text(response)
    assert reverse("skills:about-data") in text(response)


@pytest.mark.parametrize("persona", ["hiring_manager", "interviewer"])
def test_managers_and_interviewers_are_refused(
    request, persona: str, workspace: Workspace, own_skill: CustomSkill
) -> None:
    client = client_for(request.getfixturevalue(persona))
    before = snapshot(workspace)
    assert client.get(list_url(workspace)).status_code == 403
    post = {"label": "Zed", "synonyms": ""}
    assert client.post(list_url(workspace), post).status_code == 403
    assert client.post(url("skills:edit", own_skill), post).status_code == 403
    assert client.post(url("skills:delete", own_skill)).status_code == 403
    assert snapshot(workspace) == before


def test_another_workspace_gets_404_and_changes_nothing(
    outsider: Member, workspace: Workspace, own_skill: CustomSkill
) -> None:
    client = client_for(outsider)
    before = snapshot(workspace)
    assert client.get(list_url(workspace)).status_code == 404
    # Its own workspace's URLs with our skill's id: still nothing.
    other = outsider.workspace.slug
    for name in ("skills:edit", "skills:delete"):
        target = reverse(name, args=[other, own_skill.public_id])
        assert client.get(target).status_code == 404
        assert client.post(target, {"label": "Hacked", "synonyms": "x"}).status_code == 404
    assert snapshot(workspace) == before


def test_signed_out_people_are_sent_to_sign_in(client, workspace: Workspace) -> None:
    response = client.get(list_url(workspace))
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- adding, editing, removing ---------------------------------------------------------------


def test_add_own_skill(recruiter: Member, workspace: Workspace) -> None:
    response = client_for(recruiter).post(
        list_url(workspace),
        {"extends": "", "label": "  Blorp   Billing ", "synonyms": "BB9\n\nbb9\nBlorp"},
    )
    assert response.status_code == 302
    skill = CustomSkill.objects.get(workspace=workspace)
    assert (skill.label, skill.synonyms, skill.ref) == ("Blorp Billing", "BB9\nBlorp", "")
    assert skill.created_by == recruiter
    entry = AuditEntry.objects.get(action="skill.added")
    assert entry.workspace == workspace
    assert entry.changes["label"] == [None, "Blorp Billing"]


def test_add_synonyms_to_a_known_skill_by_any_of_its_names(
    admin: Member, workspace: Workspace
) -> None:
    response = client_for(admin).post(
        list_url(workspace), {"extends": "1", "label": "k8s", "synonyms": "kewb"}
    )
    assert response.status_code == 302
    skill = CustomSkill.objects.get(workspace=workspace)
    assert (skill.label, skill.ref, skill.synonyms) == ("Kubernetes", "onet:kubernetes", "kewb")
    page = client_for(admin).get(list_url(workspace))
    assert "Known to Accord" in text(page)
    assert "kewb" in text(page)


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"extends": "", "label": "", "synonyms": ""}, "label", "required"),
        ({"extends": "", "label": "x" * 81, "synonyms": ""}, "label", "at most 80"),
        ({"extends": "", "label": "!!!", "synonyms": ""}, "label", "letters or digits"),
        ({"extends": "", "label": "Kubernetes", "synonyms": ""}, "label", "already knows"),
        ({"extends": "1", "label": "Frobnicator 9000", "synonyms": "fb"}, "label", "doesn"),
        ({"extends": "1", "label": "Kubernetes", "synonyms": ""}, "synonyms", "at least one"),
        ({"extends": "", "label": "Zed", "synonyms": "ok\n" + "y" * 81}, "synonyms", "usable"),
        ({"extends": "", "label": "Zed", "synonyms": "ok\n---"}, "synonyms", "usable"),
        (
            {"extends": "", "label": "Zed", "synonyms": "\n".join(f"s{n}" for n in range(51))},
            "synonyms",
            "at most 50",
        ),
        ({"extends": "maybe", "label": "Zed", "synonyms": ""}, "extends", "valid choice"),
        ({"extends": "", "label": "blorp billing", "synonyms": ""}, "label", "already on your"),
    ],
)
def test_bad_input_says_what_is_wrong_and_changes_nothing(
    recruiter: Member, workspace: Workspace, own_skill: CustomSkill, post, field, message
) -> None:
    before = snapshot(workspace)
    audits = AuditEntry.objects.count()
    response = client_for(recruiter).post(list_url(workspace), post)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert snapshot(workspace) == before
    assert AuditEntry.objects.count() == audits


def test_edit(recruiter: Member, own_skill: CustomSkill) -> None:
    client = client_for(recruiter)
    page = client.get(url("skills:edit", own_skill))
    assert page.status_code == 200
    assert "BB9" in text(page)
    response = client.post(
        url("skills:edit", own_skill), {"extends": "", "label": "Blorp Billing 2", "synonyms": "B2"}
    )
    assert response.status_code == 302
    own_skill.refresh_from_db()
    assert (own_skill.label, own_skill.synonyms) == ("Blorp Billing 2", "B2")
    entry = AuditEntry.objects.get(action="skill.updated")
    assert entry.changes["label"] == ["Blorp Billing", "Blorp Billing 2"]


def test_edit_refuses_a_clash_and_changes_nothing(
    recruiter: Member, workspace: Workspace, own_skill: CustomSkill
) -> None:
    CustomSkill.objects.create(workspace=workspace, label="Other Tool")
    before = snapshot(workspace)
    response = client_for(recruiter).post(
        url("skills:edit", own_skill), {"extends": "", "label": "other tool", "synonyms": ""}
    )
    assert response.status_code == 422
    assert "already on your list" in text(response)
    assert snapshot(workspace) == before


def test_delete_confirms_on_get_and_removes_on_post(
    admin: Member, workspace: Workspace, own_skill: CustomSkill
) -> None:
    client = client_for(admin)
    page = client.get(url("skills:delete", own_skill))
    assert page.status_code == 200
    assert "Remove “Blorp Billing”?" in text(page)
    assert CustomSkill.objects.filter(pk=own_skill.pk).exists()
    response = client.post(url("skills:delete", own_skill))
    assert response.status_code == 302
    assert not CustomSkill.objects.filter(pk=own_skill.pk).exists()
    assert AuditEntry.objects.filter(action="skill.removed", workspace=workspace).count() == 1


def test_list_runs_a_bounded_number_of_queries(
    recruiter: Member, workspace: Workspace, django_assert_max_num_queries
) -> None:
    client = client_for(recruiter)
    client.get(list_url(workspace))  # session and taxonomy warm
    for n in range(60):
        CustomSkill.objects.create(
            workspace=workspace, label=f"Tool {n}", synonyms="a\nb", created_by=recruiter
        )
    CustomSkill.objects.create(workspace=workspace, label="Kubernetes", ref="onet:kubernetes")
    with django_assert_max_num_queries(8):
        response = client.get(list_url(workspace))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 61


# --- lookup ----------------------------------------------------------------------------------


def test_lookup_names_the_skill_behind_a_synonym(recruiter: Member, workspace: Workspace) -> None:
    response = client_for(recruiter).get(
        reverse("skills:lookup", args=[workspace.slug]), {"q": "k8s"}, **HTMX
    )
    assert response.status_code == 200
    body = text(response)
    assert "<html" not in body
    assert "<strong>Kubernetes</strong>" in body
    assert "onet:kubernetes" in body


def test_lookup_includes_the_workspace_synonyms_only_there(
    recruiter: Member, workspace: Workspace, outsider: Member
) -> None:
    CustomSkill.objects.create(
        workspace=workspace, label="Kubernetes", ref="onet:kubernetes", synonyms="kewb"
    )
    mine = client_for(recruiter).get(
        reverse("skills:lookup", args=[workspace.slug]), {"q": "kewb"}, **HTMX
    )
    assert "<strong>Kubernetes</strong>" in text(mine)
    assert "Your workspace also calls it: kewb" in text(mine)
    theirs = client_for(outsider).get(
        reverse("skills:lookup", args=[outsider.workspace.slug]), {"q": "kewb"}, **HTMX
    )
    assert "doesn't know" in text(theirs)


def test_lookup_without_htmx_is_a_page_and_handles_nonsense(
    recruiter: Member, workspace: Workspace, django_assert_max_num_queries
) -> None:
    client = client_for(recruiter)
    target = reverse("skills:lookup", args=[workspace.slug])
    with django_assert_max_num_queries(8):
        response = client.get(target, {"q": "zzqqxx"})
    assert response.status_code == 200
    assert "<html" in text(response)
    assert "doesn't know" in text(response)
    assert client.get(target, {"q": "x" * 500}).status_code == 200
    assert client.get(target).status_code == 200


# --- about data sources ----------------------------------------------------------------------


def test_about_page_is_public_and_carries_every_attribution(client) -> None:
    response = client.get(reverse("skills:about-data"))
    assert response.status_code == 200
    body = text(response)
    for source in SOURCES:
        assert source.name in body
    assert "O*NET 29.2 Database by the U.S. Department of Labor" in body
    assert "This product uses the ESCO classification of the European Commission." in body
    assert "O*NET 29.2, ESCO 1.2.0" in body


def test_notice_carries_the_same_attributions_as_the_page() -> None:
    notice = NOTICE.read_text(encoding="utf-8")
    for source in SOURCES:
        assert source.attribution in notice, source.name
    assert "Permission is hereby granted, free of charge" in notice


def test_footer_links_to_the_about_page(recruiter: Member, workspace: Workspace) -> None:
    response = client_for(recruiter).get(list_url(workspace))
    assert f'href="{reverse("skills:about-data")}"' in text(response)
    assert f'href="{list_url(workspace)}"' in text(response)  # the navbar's Skills link
