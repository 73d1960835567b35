"""The brief's pages and the intake editor, for members and through a manager's link."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.briefs import selectors, services
from accord.briefs.models import (
    AssessedAt,
    BriefLink,
    BriefVersion,
    Channel,
    Criterion,
    Frequency,
    InterviewStage,
    Kind,
    Signature,
)
from accord.briefs.services import CriterionInput
from accord.matching.brief_file import read_brief
from accord.workspaces.models import Role
from conftest import client_for
from tests.factories import CriterionFactory, MemberFactory, RequisitionFactory

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
DEFINITION = "Has owned a plan spanning several quarters and can explain the trade-offs made."
COMPLETE = {
    "why_now": "The platform team lost two engineers and the billing rewrite is stalled.",
    "success_90": "Owns the billing service and has shipped the invoice rewrite.",
    "review_days": 2,
    "decision_days": 3,
    "update_channel": Channel.EMAIL,
    "update_frequency": Frequency.WEEKLY,
}


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def requisition(workspace, recruiter, hiring_manager):
    return RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )


@pytest.fixture
def draft(requisition, recruiter):
    return services.brief_start(actor=recruiter, requisition=requisition)


@pytest.fixture
def token(requisition, recruiter, draft, django_capture_on_commit_callbacks):
    """The manager's intake link, as emailed."""
    with django_capture_on_commit_callbacks(execute=True):
        [link] = services.intake_send(actor=recruiter, requisition=requisition)
    assert services.link_token(link) in mail.outbox[0].body
    return services.link_token(link)


def complete(version, criteria=1):
    BriefVersion.objects.filter(pk=version.pk).update(**COMPLETE)
    for _ in range(criteria):
        CriterionFactory(version=version)
    version.refresh_from_db()
    return version


def fresh(version):
    return BriefVersion.objects.get(pk=version.pk)


def url(name, requisition, *args):
    return reverse(
        f"briefs:{name}", args=[requisition.workspace.slug, requisition.public_id, *args]
    )


def link_url(name, token, *args):
    return reverse(f"briefs:{name}", args=[token, *args])


def sign_both(recruiter, manager, version):
    services.brief_sign(actor=recruiter, version=version, revision=fresh(version).revision)
    services.brief_sign(actor=manager, version=version, revision=fresh(version).revision)
    return fresh(version)


def snapshot():
    return {
        "versions": sorted(BriefVersion.objects.values_list()),
        "criteria": sorted(Criterion.objects.values_list()),
        "stages": sorted(InterviewStage.objects.values_list()),
        "signatures": sorted(Signature.objects.values_list()),
        # A link records when it was last used, even by a refused request; nothing else changes.
        "links": sorted(BriefLink.objects.values_list("public_id", "expires_at", "revoked_at")),
        "audit": AuditEntry.objects.count(),
    }


# --- the manager's link ----------------------------------------------------------------------


def test_the_link_opens_the_editor_without_signing_in(token, requisition):
    response = Client().get(link_url("link", token))

    assert response.status_code == 200
    content = response.content.decode()
    assert requisition.title in content
    assert f'hx-post="{link_url("link", token)}answers/"' in content
    assert BriefLink.objects.get().last_used_at is not None


def test_the_link_saves_answers_as_the_manager(token, draft, hiring_manager):
    response = Client().post(
        link_url("link-answers", token),
        {
            "why_now": "We are growing.",
            "base-why_now": "",
            "business_goals": "",
            "base-business_goals": "",
        },
        **HX,
    )

    assert response.status_code == 200
    assert 'data-testid="save-status"' in response.content.decode()
    version = fresh(draft)
    assert version.why_now == "We are growing."
    entry = AuditEntry.objects.get(action="brief.answers_saved")
    assert entry.actor == hiring_manager.user


@pytest.mark.parametrize("name", ["link", "link-checks"])
def test_a_forged_link_is_refused_with_a_clear_page(token, name):
    response = Client().get(link_url(name, token[:-2] + "xx"))

    assert response.status_code == 410
    content = response.content.decode()
    assert "This link doesn’t work" in content
    assert "ask your recruiter for a new one" in content


def test_a_forged_link_saves_nothing(token, draft):
    before = snapshot()
    response = Client().post(
        link_url("link-answers", "not-a-token"), {"why_now": "Mine.", "base-why_now": ""}, **HX
    )
    assert response.status_code == 410
    assert snapshot() == before


def test_an_expired_link_is_refused(token, draft):
    BriefLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    before = snapshot()

    response = Client().post(
        link_url("link-answers", token), {"why_now": "Mine.", "base-why_now": ""}, **HX
    )

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert Client().get(link_url("link", token)).status_code == 410
    assert snapshot() == before


def test_a_withdrawn_link_is_refused(
    token, requisition, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.intake_send(actor=recruiter, requisition=requisition)

    response = Client().get(link_url("link", token))

    assert response.status_code == 410
    assert "This link was withdrawn" in response.content.decode()


def test_the_link_of_a_signed_brief_says_so(token, draft, recruiter, hiring_manager):
    complete(draft)
    sign_both(recruiter, hiring_manager, draft)

    response = Client().get(link_url("link", token))

    assert response.status_code == 410
    assert "This brief is signed" in response.content.decode()


def test_the_manager_signs_through_the_link(token, draft, recruiter):
    complete(draft)
    services.brief_sign(actor=recruiter, version=draft, revision=draft.revision)

    response = Client().post(
        link_url("link-sign", token), {"revision": str(fresh(draft).revision)}, **HX
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == link_url("link-done", token)
    version = fresh(draft)
    assert version.signed_at is not None
    assert Signature.objects.get(side="manager").via_link is True


# --- starting the intake ---------------------------------------------------------------------


def test_start_carries_over_from_an_earlier_intake(signed, workspace, recruiter, hiring_manager):
    BriefVersion.objects.filter(pk=signed.pk).update(past_misstep="Never asked for help.")
    new = RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[hiring_manager], title="SRE"
    )

    response = client_for(recruiter).post(url("start", new), {"carry_from": str(signed.public_id)})

    assert response.status_code == 302
    assert response["Location"] == url("edit", new)
    version = selectors.draft_of(new)
    assert version.past_misstep == "Never asked for help."
    page = client_for(recruiter).get(url("edit", new)).content.decode()
    assert 'data-testid="carried-past_misstep"' in page


def test_start_cannot_carry_over_from_a_role_the_manager_is_not_on(
    workspace, recruiter, hiring_manager
):
    # Regression: any version of the workspace was accepted, so a manager could copy another
    # role's private answers (a past misstep, deal-breakers) into their own intake.
    other_manager = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    theirs = RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[other_manager]
    )
    private = services.brief_start(actor=recruiter, requisition=theirs)
    mine = RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    before = snapshot()

    response = client_for(hiring_manager).post(
        url("start", mine), {"carry_from": str(private.public_id)}
    )

    assert response.status_code == 404
    assert snapshot() == before


# --- autosave --------------------------------------------------------------------------------


def test_autosave_refuses_invalid_input_with_422_and_saves_nothing(draft, recruiter):
    before = snapshot()

    response = client_for(recruiter).post(
        url("answers", draft.requisition),
        {"why_now": "Valid.", "base-why_now": "", "review_days": "99", "base-review_days": ""},
        **HX,
    )

    assert response.status_code == 422
    content = response.content.decode()
    assert 'data-testid="error-review_days"' in content
    assert "Enter a number of business days from 1 to 60." in content
    assert "Not saved" in content
    assert snapshot() == before


def test_autosave_without_htmx_redirects_to_the_editor(draft, recruiter):
    response = client_for(recruiter).post(
        url("answers", draft.requisition), {"why_now": "Valid.", "base-why_now": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == url("edit", draft.requisition)
    assert fresh(draft).why_now == "Valid."


def test_a_conflicting_save_shows_both_texts(draft, recruiter, hiring_manager):
    services.brief_save_answers(
        actor=recruiter,
        version=draft,
        values={"why_now": "Rita says we grow."},
        bases={"why_now": ""},
    )

    response = client_for(hiring_manager).post(
        url("answers", draft.requisition),
        {"why_now": "Hugo says we replace.", "base-why_now": ""},
        **HX,
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="conflict-why_now"' in content
    assert "Rita says we grow." in content
    assert "Hugo says we replace." in content
    assert "Rita Recruiter saved a different answer" in content
    assert fresh(draft).why_now == "Rita says we grow."


def test_use_theirs_puts_the_saved_answer_back(draft, recruiter, hiring_manager):
    services.brief_save_answers(
        actor=recruiter, version=draft, values={"why_now": "Rita says."}, bases={"why_now": ""}
    )
    before = snapshot()

    response = client_for(hiring_manager).post(
        url("answers", draft.requisition), {"take": "why_now"}, **HX
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="base-why_now" name="base-why_now" value="Rita says."' in content
    assert 'id="conflict-why_now" hx-swap-oob="true"></div>' in content
    assert snapshot() == before


# --- criteria --------------------------------------------------------------------------------


def test_criterion_add_update_and_delete_through_htmx(draft, recruiter):
    client = client_for(recruiter)
    requisition = draft.requisition

    response = client.post(
        url("criterion-add", requisition),
        {"name": "Strategic thinker", "kind": "must", "definition": DEFINITION},
        **HX,
    )
    assert response.status_code == 200
    criterion = Criterion.objects.get()
    assert (criterion.name, criterion.kind, criterion.definition) == (
        "Strategic thinker",
        Kind.MUST,
        DEFINITION,
    )
    assert f'id="crit-{criterion.public_id}"' in response.content.decode()

    response = client.post(
        url("criterion-update", requisition, criterion.public_id),
        {"name": "Strategic thinker", "kind": "nice", "weight": "4", "revision": "1"},
        **HX,
    )
    assert response.status_code == 200
    criterion.refresh_from_db()
    assert (criterion.kind, criterion.weight, criterion.revision) == (Kind.NICE, 4, 2)

    response = client.post(url("criterion-delete", requisition, criterion.public_id), **HX)
    assert response.status_code == 200
    assert f'<div id="crit-{criterion.public_id}" hx-swap-oob="delete">' in (
        response.content.decode()
    )
    assert not Criterion.objects.exists()
    assert [e.action for e in AuditEntry.objects.order_by("id")][-3:] == [
        "criterion.added",
        "criterion.updated",
        "criterion.removed",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Payments", "kind": "nice", "weight": "6"}, "A weight goes from 1"),
        ({"name": "Payments", "kind": "nice", "weight": "0"}, "A weight goes from 1"),
        ({"name": "Payments", "kind": "nice", "weight": "lots"}, "A weight goes from 1"),
        ({"name": "Strategic thinker", "definition": "x" * 601}, "it has 601"),
    ],
)
def test_criterion_add_refuses_bad_input_with_422(draft, recruiter, data, message):
    before = snapshot()

    response = client_for(recruiter).post(url("criterion-add", draft.requisition), data, **HX)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert snapshot() == before


def test_criterion_update_refuses_bad_input_with_422(draft, recruiter):
    criterion = CriterionFactory(version=draft)
    before = snapshot()

    response = client_for(recruiter).post(
        url("criterion-update", draft.requisition, criterion.public_id),
        {"definition": "x" * 601, "revision": "1"},
        **HX,
    )

    assert response.status_code == 422
    assert 'data-testid="criterion-error"' in response.content.decode()
    assert snapshot() == before


def test_a_stale_criterion_edit_is_a_409_conflict(draft, recruiter, hiring_manager):
    criterion = CriterionFactory(version=draft, name="Python")
    services.criterion_update(
        actor=recruiter, criterion=criterion, revision=1, data=CriterionInput(name="Python 3")
    )
    before = snapshot()

    response = client_for(hiring_manager).post(
        url("criterion-update", draft.requisition, criterion.public_id),
        {"name": "Golang", "kind": "must", "revision": "1"},
        **HX,
    )

    assert response.status_code == 409
    content = response.content.decode()
    assert 'data-testid="criterion-conflict"' in content
    assert 'value="Python 3"' in content
    assert "Golang" in content
    assert snapshot() == before


def test_another_briefs_criterion_is_not_found(draft, recruiter, workspace):
    other = services.brief_start(
        actor=recruiter, requisition=RequisitionFactory(workspace=workspace, recruiter=recruiter)
    )
    criterion = CriterionFactory(version=other)

    response = client_for(recruiter).post(
        url("criterion-delete", draft.requisition, criterion.public_id), **HX
    )

    assert response.status_code == 404
    assert Criterion.objects.filter(pk=criterion.pk).exists()


# --- sign-off --------------------------------------------------------------------------------


def test_signing_by_post(draft, recruiter, hiring_manager):
    complete(draft)
    requisition = draft.requisition

    response = client_for(recruiter).post(
        url("sign", requisition), {"revision": str(draft.revision)}
    )
    assert response.status_code == 302
    assert response["Location"] == url("edit", requisition)
    assert Signature.objects.get().member == recruiter

    response = client_for(hiring_manager).post(
        url("sign", requisition), {"revision": str(draft.revision)}
    )
    assert response.status_code == 302
    assert response["Location"] == url("brief", requisition)
    assert fresh(draft).signed_at is not None


def test_signing_an_incomplete_or_stale_brief_is_refused(draft, recruiter):
    before = snapshot()
    response = client_for(recruiter).post(url("sign", draft.requisition), {"revision": "1"}, **HX)
    assert response.status_code == 422
    assert "Say why this role is needed now." in response.content.decode()
    assert snapshot() == before

    complete(draft)
    before = snapshot()
    response = client_for(recruiter).post(url("sign", draft.requisition), {"revision": "0"}, **HX)
    assert response.status_code == 422
    assert "The brief changed while you were reading it" in response.content.decode()
    assert snapshot() == before


def test_an_interviewer_cannot_sign(draft, interviewer):
    complete(draft)
    draft.requisition.hiring_team.add(interviewer)
    response = client_for(interviewer).post(url("sign", draft.requisition), {"revision": "1"})
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_request_sign_off_emails_both_sides(
    draft, recruiter, hiring_manager, django_capture_on_commit_callbacks
):
    complete(draft)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(recruiter).post(url("request-sign-off", draft.requisition), **HX)
    assert response.status_code == 200
    assert "Sign-off requested from 2 people by email." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [recruiter.user.email, hiring_manager.user.email]
    )


# --- pages, versions, exports ----------------------------------------------------------------


@pytest.fixture
def signed(draft, recruiter, hiring_manager):
    complete(draft)
    return sign_both(recruiter, hiring_manager, draft)


def test_the_brief_page_shows_the_version_in_force(signed, interviewer):
    signed.requisition.hiring_team.add(interviewer)
    response = client_for(interviewer).get(url("brief", signed.requisition))
    assert response.status_code == 200
    assert COMPLETE["why_now"] in response.content.decode()


def test_revise_and_diff(signed, recruiter):
    client = client_for(recruiter)
    response = client.post(url("revise", signed.requisition), {"reason": ""})
    assert response.status_code == 422
    assert "Say what changes and why" in response.content.decode()

    response = client.post(url("revise", signed.requisition), {"reason": "Budget moved."})
    assert response.status_code == 302
    v2 = selectors.draft_of(signed.requisition)
    services.brief_save_answers(
        actor=recruiter,
        version=v2,
        values={"why_now": COMPLETE["why_now"].replace("two", "three")},
        bases={"why_now": COMPLETE["why_now"]},
    )

    response = client.get(url("diff", signed.requisition, 2))

    assert response.status_code == 200
    content = response.content.decode()
    assert "<del>two</del><ins>three</ins>" in content
    assert "Budget moved." in content
    assert client.get(url("diff", signed.requisition, 1)).status_code == 404


@pytest.mark.parametrize(
    ("fmt", "content_type", "filename"),
    [
        ("pdf", "application/pdf", "senior-backend-engineer-v1.pdf"),
        ("md", "text/markdown; charset=utf-8", "senior-backend-engineer-v1.md"),
        ("jobposting", "application/ld+json", "senior-backend-engineer-v1.jobposting.json"),
        ("jsonresume", "application/json", "senior-backend-engineer-v1.job.json"),
        ("match", "application/json", "senior-backend-engineer-v1.brief.json"),
    ],
)
def test_exports(signed, recruiter, fmt, content_type, filename):
    response = client_for(recruiter).get(url("export", signed.requisition, 1, fmt))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    if fmt == "pdf":
        assert response.content.startswith(b"%PDF-")
    elif fmt == "md":
        assert "Senior Backend Engineer" in response.content.decode()
    else:
        document = json.loads(response.content)
        if fmt == "jobposting":
            assert document["@type"] == "JobPosting"
        elif fmt == "match":  # the file `accord match --brief` reads back
            assert document["title"] == "Senior Backend Engineer"
            assert [c.name for c in read_brief(document).criteria] == [
                c.name for c in signed.criteria.all()
            ]
        else:
            assert document["title"] == "Senior Backend Engineer"


def test_an_unknown_export_or_version_is_not_found(signed, recruiter):
    client = client_for(recruiter)
    assert client.get(url("export", signed.requisition, 1, "docx")).status_code == 404
    assert client.get(url("export", signed.requisition, 9, "md")).status_code == 404
    assert client.get(url("version", signed.requisition, 9)).status_code == 404


# --- access ----------------------------------------------------------------------------------


@pytest.fixture
def scene(signed, recruiter):
    """A signed v1 and a draft v2 with a criterion and a stage."""
    v2 = services.brief_revise(actor=recruiter, requisition=signed.requisition, reason="Scope.")
    stage = services.stage_add(actor=recruiter, version=v2, name="Systems design")
    return {"requisition": signed.requisition, "criterion": v2.criteria.get(), "stage": stage}


def brief_urls(scene, slug):
    """(method, url, data) for every brief URL of the scene's requisition, under `slug`."""
    requisition, criterion, stage = scene["requisition"], scene["criterion"], scene["stage"]

    def u(name, *args):
        return reverse(f"briefs:{name}", args=[slug, requisition.public_id, *args])

    return [
        ("get", u("brief"), {}),
        ("get", u("version", 1), {}),
        ("get", u("diff", 2), {}),
        *[("get", u("export", 1, fmt), {}) for fmt in ("pdf", "md", "jobposting", "jsonresume")],
        ("post", u("start"), {}),
        ("post", u("send"), {"message": "Hi"}),
        ("get", u("revise"), {}),
        ("post", u("revise"), {"reason": "Mine."}),
        ("get", u("edit"), {}),
        ("get", u("checks"), {}),
        ("post", u("answers"), {"why_now": "Mine.", "base-why_now": ""}),
        ("post", u("criterion-add"), {"name": "Mine", "kind": "must"}),
        ("post", u("criterion-update", criterion.public_id), {"name": "Mine", "revision": "1"}),
        ("post", u("criterion-delete", criterion.public_id), {}),
        ("post", u("stage-add"), {"name": "Mine"}),
        ("post", u("stage-delete", stage.public_id), {}),
        ("post", u("sign"), {"revision": "1"}),
        ("post", u("request-sign-off"), {}),
    ]


def test_another_workspaces_requisition_is_not_found_on_every_brief_url(
    scene, outsider, django_capture_on_commit_callbacks
):
    client = client_for(outsider)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        for slug in (outsider.workspace.slug, scene["requisition"].workspace.slug):
            for method, address, data in brief_urls(scene, slug):
                response = getattr(client, method)(address, data, **HX)
                assert response.status_code == 404, (method, address, response.status_code)
    assert snapshot() == before
    assert mail.outbox == []


def test_a_hiring_manager_not_on_the_requisition_gets_404(
    scene, workspace, django_capture_on_commit_callbacks
):
    stranger = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    client = client_for(stranger)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        for method, address, data in brief_urls(scene, workspace.slug):
            response = getattr(client, method)(address, data, **HX)
            # Sending the intake is a recruiter's action: refused by role before anything else.
            expected = 403 if address.endswith("/send/") else 404
            assert response.status_code == expected, (method, address, response.status_code)
    assert snapshot() == before
    assert mail.outbox == []


# --- bounded queries -------------------------------------------------------------------------


def grow(recruiter, hiring_manager, workspace, n):
    """A requisition whose signed v1 and draft v2 each have n criteria (half nice-to-haves,
    some assessed at a stage), with a glossary entry that matches one of them."""
    requisition = RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    v1 = services.brief_start(actor=recruiter, requisition=requisition)
    complete(v1, criteria=0)
    stage = services.stage_add(actor=recruiter, version=v1, name="Systems design")
    for i in range(n):
        services.criterion_add(
            actor=recruiter,
            version=v1,
            data=CriterionInput(
                name=f"Skill {i}",
                kind=Kind.NICE if i % 2 else Kind.MUST,
                definition=DEFINITION,
                assessed_at=AssessedAt.INTERVIEW if i % 3 else AssessedAt.PHONE,
                stage=stage if i % 3 else None,
                skills=({"label": "Python", "ref": "", "min_years": 3, "level": ""},),
            ),
        )
    services.glossary_term_save(actor=recruiter, term="Skill 1", definition=DEFINITION)
    sign_both(recruiter, hiring_manager, v1)
    v2 = services.brief_revise(actor=recruiter, requisition=requisition, reason="Rescoped.")
    for criterion in v2.criteria.all()[:2]:
        services.criterion_update(
            actor=recruiter,
            criterion=criterion,
            revision=criterion.revision,
            data=CriterionInput(name=criterion.name + " (changed)", definition=DEFINITION),
        )
    return requisition


# What each page runs today, whatever the size: a new query per criterion fails these.
# The editor: 18, and one for the lessons about the managers (partnerships) a recruiter sees.
BOUNDS = {"edit": 19, "brief": 20, "diff": 16}


@pytest.mark.parametrize("page", ["edit", "brief", "diff"])
def test_pages_run_a_bounded_number_of_queries_however_many_criteria(
    page, recruiter, hiring_manager, workspace, django_assert_max_num_queries
):
    client = client_for(recruiter)
    for n in (3, 40):
        requisition = grow(recruiter, hiring_manager, workspace, n)
        address = url(page, requisition, 2) if page == "diff" else url(page, requisition)
        with django_assert_max_num_queries(BOUNDS[page]):
            response = client.get(address)
        assert response.status_code == 200
        content = response.content.decode()
        if page == "diff":
            assert content.count('<span class="badge text-bg-warning">changed</span>') == 2
        else:
            assert all(f"Skill {i}" in content for i in range(n))
