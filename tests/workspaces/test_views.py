"""The people pages and the invitation link, through the Django test client."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.people.models import User
from accord.workspaces import services
from accord.workspaces.models import Invitation, Member, Role, Workspace
from conftest import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a sturdy passphrase 42"
HTMX = {"HTTP_HX_REQUEST": "true"}


def accept_url(invitation: Invitation) -> str:
    return f"/invitations/{services.invitation_token(invitation)}/"


def join_form(**overrides: str) -> dict[str, str]:
    return {
        "display_name": "Hana Manager",
        "time_zone": "Europe/Berlin",
        "password": GOOD_PASSWORD,
        "password_again": GOOD_PASSWORD,
        **overrides,
    }


@pytest.fixture
def invitation(admin) -> Invitation:
    return services.invitation_create(
        actor=admin, email="hana@acme.example", role=Role.HIRING_MANAGER
    )


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Member.objects.count(), AuditEntry.objects.count()


def text(response) -> str:
    return response.content.decode()


# --- the invitation link ---------------------------------------------------------------------


def test_the_link_shows_the_join_form(invitation):
    Workspace.objects.filter(pk=invitation.workspace_id).update(time_zone="Asia/Tokyo")

    response = Client().get(accept_url(invitation))

    assert response.status_code == 200
    page = text(response)
    assert "Join Acme Talent" in page
    assert "You are invited as <strong>Hiring manager</strong> (hana@acme.example)" in page
    assert 'name="password_again"' in page
    # The form suggests the workspace's time zone.
    assert re.search(r'<option value="Asia/Tokyo" selected\s*>', page)
    assert len(re.findall(r"<option [^>]*selected", page)) == 1


def test_joining_creates_the_account_signs_in_and_lands_in_the_workspace(invitation):
    client = Client()

    response = client.post(accept_url(invitation), join_form())

    assert response.status_code == 302
    assert response["Location"] == "/w/acme/"
    user = User.objects.get(email="hana@acme.example")
    assert (user.display_name, user.time_zone) == ("Hana Manager", "Europe/Berlin")
    assert user.check_password(GOOD_PASSWORD)
    member = Member.objects.get(user=user)
    assert (member.workspace.slug, member.role) == ("acme", Role.HIRING_MANAGER)
    assert AuditEntry.objects.filter(action="invitation.accepted", actor=user).count() == 1
    followed = client.get("/w/acme/")
    assert followed.status_code == 200
    assert "Welcome to Acme Talent." in text(followed)


def test_a_signed_in_invitee_joins_with_one_click(admin, outsider):
    invitation = services.invitation_create(
        actor=admin, email=outsider.user.email, role=Role.INTERVIEWER
    )
    client = client_for(outsider)
    users = User.objects.count()

    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    assert 'name="password"' not in text(page)

    response = client.post(accept_url(invitation))

    assert (response.status_code, response["Location"]) == (302, "/w/acme/")
    assert User.objects.count() == users
    assert Member.objects.get(workspace=admin.workspace, user=outsider.user).role == (
        Role.INTERVIEWER
    )


def test_an_invitee_with_an_account_is_asked_to_sign_in(admin, outsider):
    invitation = services.invitation_create(
        actor=admin, email=outsider.user.email, role=Role.INTERVIEWER
    )
    before = counts()
    url = accept_url(invitation)

    for response in (Client().get(url), Client().post(url, join_form())):
        assert "You already have an Accord account. Sign in to accept." in text(response)
        assert f'href="/login/?next={url.replace(":", "%3A")}"' in text(response)
        assert 'name="password"' not in text(response)
    assert counts() == before
    assert Invitation.objects.get().status == "pending"


def test_signed_in_as_someone_else_is_told_and_nothing_changes(invitation, recruiter):
    client = client_for(recruiter)
    before = counts()

    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    assert (
        f"This invitation is for hana@acme.example, but you are signed in as "
        f"{recruiter.user.email}." in text(page)
    )

    response = client.post(accept_url(invitation))
    assert response.status_code == 422
    assert "This invitation is for hana@acme.example. Sign out, then open the link again." in (
        text(response)
    )
    assert counts() == before
    assert Invitation.objects.get().status == "pending"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"password": "password", "password_again": "password"}, "This password is too common."),
        ({"password_again": "something else"}, "The two passwords differ. Type them again."),
        ({"display_name": ""}, "This field is required."),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice."),
    ],
    ids=["weak", "mismatch", "no-name", "bad-zone"],
)
def test_a_refused_join_re_renders_the_form_and_creates_nothing(invitation, overrides, error):
    before = counts()

    response = Client().post(accept_url(invitation), join_form(**overrides))

    assert response.status_code == 422
    assert error in text(response)
    assert "Join Acme Talent" in text(response)
    assert counts() == before
    assert not User.objects.filter(email="hana@acme.example").exists()
    assert Invitation.objects.get().status == "pending"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "token",
    [
        "forged",
        signing.Signer(salt=services.INVITATION_SALT).sign_object(str(uuid.uuid4())),
        signing.dumps(str(uuid.uuid4()), salt="another.salt"),
    ],
    ids=["garbage", "unknown-id", "wrong-salt"],
)
def test_a_forged_link_is_not_valid(invitation, method, token):
    before = counts()

    response = getattr(Client(), method)(f"/invitations/{token}/", join_form())

    assert response.status_code == 400
    assert '<h1 class="h3">This link is not valid</h1>' in text(response)
    assert "incomplete or was altered" in text(response)
    assert counts() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_not_valid(invitation, method):
    token = services.invitation_token(invitation)
    tampered = token[:-2] + ("xx" if not token.endswith("xx") else "yy")
    before = counts()

    response = getattr(Client(), method)(f"/invitations/{tampered}/", join_form())

    assert response.status_code == 400
    assert "This link is not valid" in text(response)
    assert counts() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_gone(invitation, method):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    before = counts()

    response = getattr(Client(), method)(accept_url(invitation), join_form())

    assert response.status_code == 410
    assert "This invitation has expired" in text(response)
    assert "Ask Ada Admin to resend it." in text(response)
    assert counts() == before
    assert not User.objects.filter(email="hana@acme.example").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_withdrawn_link_is_gone(admin, invitation, method):
    services.invitation_revoke(actor=admin, invitation=invitation)
    before = counts()

    response = getattr(Client(), method)(accept_url(invitation), join_form())

    assert response.status_code == 410
    assert "This invitation was withdrawn" in text(response)
    assert counts() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_reused_link_is_gone(invitation, method):
    assert Client().post(accept_url(invitation), join_form()).status_code == 302
    before = counts()

    response = getattr(Client(), method)(
        accept_url(invitation), join_form(display_name="Someone Else")
    )

    assert response.status_code == 410
    assert "This invitation was already used" in text(response)
    assert counts() == before
    assert list(User.objects.filter(email="hana@acme.example").values_list("display_name")) == [
        ("Hana Manager",)
    ]
    assert Member.objects.filter(user__email="hana@acme.example").count() == 1


def test_the_link_page_allows_only_get_and_post(invitation):
    assert Client().put(accept_url(invitation)).status_code == 405


# --- the people page and inviting ------------------------------------------------------------


def test_admin_sees_members_and_pending_invitations(admin, recruiter, invitation):
    response = client_for(admin).get("/w/acme/members/")

    assert response.status_code == 200
    page = text(response)
    assert "<html" in page
    assert page.count('data-testid="member"') == 2
    assert page.count('data-testid="invitation"') == 1
    assert "hana@acme.example" in page
    assert "Invite someone" in page


def test_hiring_manager_sees_members_but_no_invite_form(admin, hiring_manager, invitation):
    response = client_for(hiring_manager).get("/w/acme/members/")

    assert response.status_code == 200
    assert "Invite someone" not in text(response)
    assert 'data-testid="invitation"' not in text(response)
    assert "hana@acme.example" not in text(response)


def test_interviewer_may_not_see_the_people_page(interviewer):
    assert client_for(interviewer).get("/w/acme/members/").status_code == 403


def test_outsider_gets_404_on_the_people_page(admin, outsider):
    assert client_for(outsider).get("/w/acme/members/").status_code == 404


def test_inviting_through_the_form(admin, mailoutbox, django_capture_on_commit_callbacks):
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/w/acme/members/invite/", {"email": "Lena@Acme.Example", "role": Role.INTERVIEWER}
        )

    assert (response.status_code, response["Location"]) == (302, "/w/acme/members/")
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "lena@acme.example",
        Role.INTERVIEWER,
        admin,
    )
    assert [m.to for m in mailoutbox] == [["lena@acme.example"]]
    assert "Invitation sent to lena@acme.example." in text(client.get("/w/acme/members/"))


def test_inviting_an_existing_member_re_renders_with_the_error(
    admin, hiring_manager, mailoutbox, django_capture_on_commit_callbacks
):
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            "/w/acme/members/invite/",
            {"email": hiring_manager.user.email, "role": Role.INTERVIEWER},
        )

    assert response.status_code == 422
    page = text(response)
    assert "<html" in page
    assert f"{hiring_manager.user.email} is already a member of Acme Talent." in page
    assert f'value="{hiring_manager.user.email}"' in page  # what was typed stays
    assert counts() == before
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_inviting_with_a_bad_email_re_renders_with_the_error(admin):
    response = client_for(admin).post(
        "/w/acme/members/invite/", {"email": "not an email", "role": Role.INTERVIEWER}
    )
    assert response.status_code == 422
    assert "Enter a valid email address." in text(response)
    assert not Invitation.objects.exists()


def test_the_recruiter_form_offers_only_the_roles_they_may_invite(recruiter):
    page = text(client_for(recruiter).get("/w/acme/members/"))
    invite_form = page[page.index('id="invite-heading"') : page.index('id="members-heading"')]
    assert '<option value="hiring_manager"' in invite_form
    assert '<option value="interviewer"' in invite_form
    assert '<option value="admin"' not in invite_form
    assert '<option value="recruiter"' not in invite_form

    response = client_for(recruiter).post(
        "/w/acme/members/invite/", {"email": "x@acme.example", "role": Role.ADMIN}
    )
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_interviewer_may_not_invite(interviewer):
    response = client_for(interviewer).post(
        "/w/acme/members/invite/", {"email": "x@acme.example", "role": Role.INTERVIEWER}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_inviting_needs_post(admin):
    assert client_for(admin).get("/w/acme/members/invite/").status_code == 405


def test_an_htmx_invite_returns_the_people_fragment(admin):
    response = client_for(admin).post(
        "/w/acme/members/invite/", {"email": "lena@acme.example", "role": Role.INTERVIEWER}, **HTMX
    )

    assert response.status_code == 200
    page = text(response)
    assert page.lstrip().startswith('<div id="people">')
    assert "<html" not in page
    assert "<body" not in page
    assert 'hx-swap-oob="true"' in page
    assert "Invitation sent to lena@acme.example." in page
    assert 'data-testid="invitation"' in page
    assert "lena@acme.example" in page
    assert Invitation.objects.get().email == "lena@acme.example"


def test_a_refused_htmx_invite_returns_the_fragment_with_the_error(admin, hiring_manager):
    before = counts()
    response = client_for(admin).post(
        "/w/acme/members/invite/",
        {"email": hiring_manager.user.email, "role": Role.INTERVIEWER},
        **HTMX,
    )

    assert response.status_code == 422
    page = text(response)
    assert page.lstrip().startswith('<div id="people">')
    assert "<html" not in page
    assert f"{hiring_manager.user.email} is already a member of Acme Talent." in page
    assert counts() == before


def test_resend_through_the_page(admin, invitation, mailoutbox, django_capture_on_commit_callbacks):
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            f"/w/acme/invitations/{invitation.public_id}/resend/", **HTMX
        )

    assert response.status_code == 200
    assert "Invitation sent again to hana@acme.example." in text(response)
    assert Invitation.objects.get().status == "pending"
    assert [m.to for m in mailoutbox] == [["hana@acme.example"]]
    assert AuditEntry.objects.filter(action="invitation.resent").count() == 1


def test_revoke_through_the_page(admin, invitation):
    response = client_for(admin).post(f"/w/acme/invitations/{invitation.public_id}/revoke/")

    assert (response.status_code, response["Location"]) == (302, "/w/acme/members/")
    assert Invitation.objects.get().status == "revoked"
    assert AuditEntry.objects.filter(action="invitation.revoked").count() == 1


def test_resend_and_revoke_need_post(admin, invitation):
    client = client_for(admin)
    for action in ("resend", "revoke"):
        response = client.get(f"/w/acme/invitations/{invitation.public_id}/{action}/")
        assert response.status_code == 405
    assert Invitation.objects.get().status == "pending"
    assert not AuditEntry.objects.exclude(action="invitation.created").exists()


def test_another_workspaces_invitation_is_not_found(admin, outsider):
    theirs = services.invitation_create(
        actor=outsider, email="x@other.example", role=Role.RECRUITER
    )
    response = client_for(admin).post(f"/w/acme/invitations/{theirs.public_id}/revoke/")
    assert response.status_code == 404
    assert Invitation.objects.get().status == "pending"


def test_a_refused_revoke_shows_the_reason(admin, invitation):
    services.invitation_accept(
        invitation=invitation, display_name="Hana Manager", password=GOOD_PASSWORD
    )
    before = counts()
    client = client_for(admin)

    response = client.post(f"/w/acme/invitations/{invitation.public_id}/revoke/", **HTMX)

    assert response.status_code == 422
    assert "This invitation was already accepted." in text(response)
    assert counts() == before
    assert Invitation.objects.get().status == "accepted"


# --- roles and deactivation ------------------------------------------------------------------


def test_change_role_through_the_page(admin, recruiter):
    client = client_for(admin)
    response = client.post(
        f"/w/acme/members/{recruiter.public_id}/role/", {"role": Role.HIRING_MANAGER}
    )

    assert (response.status_code, response["Location"]) == (302, "/w/acme/members/")
    recruiter.refresh_from_db()
    assert recruiter.role == Role.HIRING_MANAGER
    entry = AuditEntry.objects.get(action="member.role_changed")
    assert (entry.actor, entry.changes) == (admin.user, {"role": ["recruiter", "hiring_manager"]})
    assert "Rita Recruiter is now hiring manager." in text(client.get("/w/acme/members/"))


def test_change_role_by_htmx_returns_the_fragment(admin, recruiter):
    response = client_for(admin).post(
        f"/w/acme/members/{recruiter.public_id}/role/", {"role": Role.INTERVIEWER}, **HTMX
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="people">')
    assert "Rita Recruiter is now interviewer." in text(response)


def test_demoting_the_last_admin_through_the_page_is_refused(admin):
    client = client_for(admin)
    response = client.post(f"/w/acme/members/{admin.public_id}/role/", {"role": Role.RECRUITER})

    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert not AuditEntry.objects.exists()
    assert "Ada Admin is the only admin. Make someone else an admin first." in text(
        client.get("/w/acme/members/")
    )


def test_an_unknown_role_through_the_page_is_refused(admin, recruiter):
    response = client_for(admin).post(
        f"/w/acme/members/{recruiter.public_id}/role/", {"role": "owner"}, **HTMX
    )
    assert response.status_code == 422
    assert "Choose one of the listed roles." in text(response)
    recruiter.refresh_from_db()
    assert recruiter.role == Role.RECRUITER


def test_change_role_needs_post_and_an_admin(admin, recruiter):
    assert client_for(admin).get(f"/w/acme/members/{recruiter.public_id}/role/").status_code == (
        405
    )
    response = client_for(recruiter).post(
        f"/w/acme/members/{admin.public_id}/role/", {"role": Role.INTERVIEWER}
    )
    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert not AuditEntry.objects.exists()


def test_change_role_of_another_workspaces_member_is_not_found(admin, outsider):
    response = client_for(admin).post(
        f"/w/acme/members/{outsider.public_id}/role/", {"role": Role.INTERVIEWER}
    )
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.role == Role.ADMIN


def test_deactivate_asks_first_on_get(admin, recruiter):
    response = client_for(admin).get(f"/w/acme/members/{recruiter.public_id}/deactivate/")

    assert response.status_code == 200
    assert "Deactivate Rita Recruiter?" in text(response)
    assert "loses access to Acme Talent immediately" in text(response)
    recruiter.refresh_from_db()
    assert recruiter.is_active is True
    assert not AuditEntry.objects.exists()


def test_deactivate_acts_on_post(admin, recruiter):
    victim = client_for(recruiter)
    assert victim.get("/w/acme/").status_code == 200

    response = client_for(admin).post(f"/w/acme/members/{recruiter.public_id}/deactivate/")

    assert (response.status_code, response["Location"]) == (302, "/w/acme/members/")
    recruiter.refresh_from_db()
    assert recruiter.is_active is False
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.changes) == (
        "member.deactivated",
        admin.user,
        {"is_active": [True, False]},
    )
    assert victim.get("/w/acme/").status_code == 404


def test_deactivating_the_last_admin_through_the_page_is_refused(admin):
    client = client_for(admin)
    response = client.post(f"/w/acme/members/{admin.public_id}/deactivate/")

    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.is_active is True
    assert not AuditEntry.objects.exists()
    assert client.get("/w/acme/").status_code == 200


def test_only_admins_may_deactivate(admin, recruiter):
    client = client_for(recruiter)
    url = f"/w/acme/members/{admin.public_id}/deactivate/"
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active is True


def test_reactivate_through_the_page(admin, recruiter):
    services.member_deactivate(actor=admin, member=recruiter)

    response = client_for(admin).post(f"/w/acme/members/{recruiter.public_id}/reactivate/")

    assert response.status_code == 302
    recruiter.refresh_from_db()
    assert recruiter.is_active is True
    assert client_for(recruiter).get("/w/acme/").status_code == 200
    assert AuditEntry.objects.filter(action="member.reactivated").count() == 1


def test_a_deactivated_member_is_listed_as_such(admin, recruiter):
    services.member_deactivate(actor=admin, member=recruiter)
    page = text(client_for(admin).get("/w/acme/members/"))
    assert "deactivated" in page
    assert f"/w/acme/members/{recruiter.public_id}/reactivate/" in page


def test_signed_out_visitors_are_sent_to_sign_in(workspace):
    response = Client().get("/w/acme/members/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/login/?next=/w/acme/members/",
    )


def test_the_invitees_password_is_theirs_alone(invitation):
    """A user created by accepting can sign in with their password, not the factory one."""
    Client().post(accept_url(invitation), join_form())

    def sign_in(password: str) -> int:
        response = Client().post("/login/", {"username": "hana@acme.example", "password": password})
        return response.status_code

    assert sign_in(PASSWORD) == 200  # the form again, with the error
    assert sign_in(GOOD_PASSWORD) == 302


def test_a_second_workspace_admin_can_join_via_invitation(admin):
    """Joining as admin makes the new person able to manage members at once."""
    invitation = services.invitation_create(actor=admin, email="bo@acme.example", role=Role.ADMIN)
    client = Client()
    client.post(accept_url(invitation), join_form(display_name="Bo Admin"))
    assert client.get("/w/acme/audit/").status_code == 200
    assert "Invite someone" in text(client.get("/w/acme/members/"))
