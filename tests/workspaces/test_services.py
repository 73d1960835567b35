"""The workspace services: every write to workspaces, members and invitations."""

import re
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.people.models import User
from accord.workspaces import services
from accord.workspaces.models import Invitation, Member, Role, Workspace
from conftest import client_for
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a sturdy passphrase 42"


# --- helpers ---------------------------------------------------------------------------------


def audit_rows(workspace=None):
    """(action, actor email, object id, changes) of every entry, oldest first."""
    entries = AuditEntry.objects.order_by("created_at", "id")
    if workspace is not None:
        entries = entries.filter(workspace=workspace)
    return [
        (e.action, e.actor.email if e.actor else None, e.object_id, e.changes)
        for e in entries.select_related("actor")
    ]


def snapshot():
    """Everything a refused action must leave exactly as it was."""
    return {
        "users": sorted(User.objects.values_list("email", "is_active", "display_name")),
        "members": sorted(
            Member.objects.values_list("public_id", "role", "is_active", "deactivated_at")
        ),
        "invitations": sorted(
            Invitation.objects.values_list(
                "public_id", "email", "role", "sent_at", "expires_at", "accepted_at", "revoked_at"
            )
        ),
        "workspaces": sorted(Workspace.objects.values_list("slug", "name")),
        "audit": AuditEntry.objects.count(),
    }


def unchanged(call) -> None:
    """Run `call` (an action that has nothing to do) and check that nothing changed."""
    before = snapshot()
    call()
    assert snapshot() == before


def refused(call, message_pattern: str, *, mail=None) -> ValidationError:
    """Run `call`, expect a ValidationError matching the message, and that nothing changed."""
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        call()
    assert re.search(message_pattern, " ".join(raised.value.messages)), raised.value.messages
    assert snapshot() == before
    if mail is not None:
        assert mail == []
    return raised.value


def invite(actor, email="hana@acme.example", role=Role.HIRING_MANAGER, **kwargs):
    return services.invitation_create(actor=actor, email=email, role=role, **kwargs)


def make_invitation(admin, email="hana@acme.example", role=Role.HIRING_MANAGER, **fields):
    invitation = services.invitation_create(actor=admin, email=email, role=role)
    if fields:
        Invitation.objects.filter(pk=invitation.pk).update(**fields)
        invitation.refresh_from_db()
    return invitation


# --- workspace_create ------------------------------------------------------------------------


def test_workspace_create_makes_the_creator_its_first_admin():
    user = UserFactory(display_name="Ada Admin", time_zone="Europe/Paris")

    workspace = services.workspace_create(actor=user, name="  Acme Talent  ")

    assert (workspace.name, workspace.slug, workspace.time_zone) == (
        "Acme Talent",
        "acme-talent",
        "Europe/Paris",
    )
    member = Member.objects.get(workspace=workspace)
    assert (member.user, member.role, member.is_active) == (user, Role.ADMIN, True)
    assert audit_rows(workspace) == [
        ("workspace.created", user.email, str(workspace.public_id), {}),
        ("member.added", user.email, str(member.public_id), {"role": [None, "admin"]}),
    ]
    assert AuditEntry.objects.get(action="member.added").object_repr == "Ada Admin"


def test_workspace_create_uses_the_given_time_zone_and_a_free_slug():
    user = UserFactory()
    first = services.workspace_create(actor=user, name="Acme Talent")

    second = services.workspace_create(actor=user, name="Acme Talent", time_zone="Asia/Tokyo")

    assert first.slug == "acme-talent"
    assert (second.slug, second.time_zone) == ("acme-talent-2", "Asia/Tokyo")
    assert Member.objects.filter(user=user, role=Role.ADMIN).count() == 2


def test_workspace_create_without_a_name_is_refused():
    user = UserFactory()
    refused(lambda: services.workspace_create(actor=user, name="   "), "Give the workspace a name")


# --- invitation_create -----------------------------------------------------------------------


def test_admin_invites_by_email(admin, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(admin, email="  Hana@Acme.Example ")

    invitation.refresh_from_db()
    assert (invitation.workspace, invitation.email, invitation.role, invitation.invited_by) == (
        admin.workspace,
        "hana@acme.example",
        Role.HIRING_MANAGER,
        admin,
    )
    assert invitation.status == "pending"
    expected_expiry = timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)
    assert abs(invitation.expires_at - expected_expiry) < timedelta(seconds=30)
    assert audit_rows(admin.workspace) == [
        (
            "invitation.created",
            admin.user.email,
            str(invitation.public_id),
            {"email": [None, "hana@acme.example"], "role": [None, "hiring_manager"]},
        )
    ]
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["hana@acme.example"]
    assert message.subject == "Ada Admin invited you to Acme Talent on Accord"
    assert services.invitation_url(invitation) in message.body
    assert "as hiring manager" in message.body
    html = message.alternatives[0]
    assert html.mimetype == "text/html"
    assert services.invitation_url(invitation) in html.content
    # The link in the email leads back to this invitation.
    token = services.invitation_url(invitation).rstrip("/").rsplit("/", 1)[1]
    assert services.invitation_from_token(token) == invitation


def test_no_email_leaves_before_the_transaction_commits(admin, mailoutbox):
    invite(admin)
    assert mailoutbox == []  # the test's transaction never commits


def test_inviting_an_active_member_is_refused_and_changes_nothing(
    admin, hiring_manager, mailoutbox, django_capture_on_commit_callbacks
):
    email = hiring_manager.user.email
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refused(
            lambda: invite(admin, email=email.upper()),
            rf"^{re.escape(email)} is already a member of Acme Talent\.$",
            mail=mailoutbox,
        )
    assert callbacks == []
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_inviting_a_deactivated_member_is_refused(
    admin, hiring_manager, mailoutbox, django_capture_on_commit_callbacks
):
    services.member_deactivate(actor=admin, member=hiring_manager)
    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: invite(admin, email=hiring_manager.user.email),
            "was deactivated. Reactivate them from the member list instead",
            mail=mailoutbox,
        )
    assert not Invitation.objects.exists()


def test_a_member_of_another_workspace_can_be_invited(admin, outsider):
    invitation = invite(admin, email=outsider.user.email)
    assert invitation.email == outsider.user.email


def test_inviting_someone_with_a_pending_invitation_is_refused(
    admin, mailoutbox, django_capture_on_commit_callbacks
):
    first = invite(admin)
    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: invite(admin, email="HANA@acme.example", role=Role.INTERVIEWER),
            "already has a pending invitation. Use “Resend”",
            mail=mailoutbox,
        )
    assert list(Invitation.objects.all()) == [first]


def test_an_expired_open_invitation_is_replaced(
    admin, mailoutbox, django_capture_on_commit_callbacks
):
    old = make_invitation(admin, expires_at=timezone.now() - timedelta(minutes=1))
    assert old.status == "expired"

    with django_capture_on_commit_callbacks(execute=True):
        new = invite(admin, role=Role.INTERVIEWER)

    old.refresh_from_db()
    assert old.revoked_at is not None
    assert old.status == "revoked"
    assert new.pk != old.pk
    assert (new.status, new.role) == ("pending", Role.INTERVIEWER)
    assert list(Invitation.objects.filter(revoked_at__isnull=True)) == [new]
    assert [row[0] for row in audit_rows()] == ["invitation.created", "invitation.created"]
    assert [m.to for m in mailoutbox] == [["hana@acme.example"]]
    # The old link now explains that it was withdrawn.
    with pytest.raises(services.InvitationProblem) as problem:
        services.invitation_from_token(services.invitation_token(old))
    assert problem.value.status == 410


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_recruiter_may_invite_managers_and_interviewers(recruiter, role):
    invitation = invite(recruiter, role=role)
    assert (invitation.role, invitation.invited_by) == (role, recruiter)
    assert audit_rows()[0][:2] == ("invitation.created", recruiter.user.email)


@pytest.mark.parametrize(("role", "label"), [(Role.ADMIN, "admin"), (Role.RECRUITER, "recruiter")])
def test_recruiter_may_not_invite_admins_or_recruiters(
    recruiter, role, label, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: invite(recruiter, role=role),
            rf"^Your role cannot invite someone as {label}\. Ask a workspace admin\.$",
            mail=mailoutbox,
        )


@pytest.mark.parametrize("persona", ["hiring_manager", "interviewer"])
def test_managers_and_interviewers_may_not_invite(
    request, persona, mailoutbox, django_capture_on_commit_callbacks
):
    actor = request.getfixturevalue(persona)
    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: invite(actor, role=Role.INTERVIEWER),
            "Your role does not allow this",
            mail=mailoutbox,
        )


def test_a_deactivated_admin_may_not_invite(admin, workspace):
    other_admin = MemberFactory(workspace=workspace, role=Role.ADMIN)
    services.member_deactivate(actor=other_admin, member=admin)
    admin.refresh_from_db()
    refused(lambda: invite(admin), "Your role does not allow this")


def test_an_unknown_role_is_refused(admin):
    refused(lambda: invite(admin, role="owner"), "Your role cannot invite someone as owner")


# --- invitation_resend / invitation_revoke ---------------------------------------------------


def test_resend_sends_again_and_extends_the_expiry(
    admin, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = make_invitation(
        admin,
        sent_at=timezone.now() - timedelta(days=10),
        expires_at=timezone.now() - timedelta(days=3),
    )
    assert invitation.status == "expired"

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=recruiter, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert timezone.now() - invitation.sent_at < timedelta(seconds=30)
    ttl = timedelta(days=settings.INVITATION_TTL_DAYS)
    assert abs(invitation.expires_at - invitation.sent_at - ttl) < timedelta(seconds=1)
    assert audit_rows()[-1] == (
        "invitation.resent",
        recruiter.user.email,
        str(invitation.public_id),
        {},
    )
    assert [m.to for m in mailoutbox] == [["hana@acme.example"]]
    assert services.invitation_url(invitation) in mailoutbox[0].body
    # The very link that was sent works again.
    assert services.invitation_from_token(services.invitation_token(invitation)) == invitation


@pytest.mark.parametrize("closed", ["accepted_at", "revoked_at"])
def test_resending_a_closed_invitation_is_refused(
    admin, closed, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = make_invitation(admin, **{closed: timezone.now()})
    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: services.invitation_resend(actor=admin, invitation=invitation),
            "This invitation is closed. Send a new one instead.",
            mail=mailoutbox,
        )


def test_an_interviewer_may_not_resend_or_revoke(admin, interviewer):
    invitation = make_invitation(admin)
    refused(
        lambda: services.invitation_resend(actor=interviewer, invitation=invitation),
        "Your role does not allow this",
    )
    refused(
        lambda: services.invitation_revoke(actor=interviewer, invitation=invitation),
        "Your role does not allow this",
    )


def test_revoke_closes_the_invitation(admin):
    invitation = make_invitation(admin)

    services.invitation_revoke(actor=admin, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert audit_rows()[-1] == (
        "invitation.revoked",
        admin.user.email,
        str(invitation.public_id),
        {},
    )
    with pytest.raises(services.InvitationProblem) as problem:
        services.invitation_from_token(services.invitation_token(invitation))
    assert (problem.value.status, problem.value.title) == (410, "This invitation was withdrawn")


def test_revoking_twice_records_once(admin):
    invitation = make_invitation(admin)
    services.invitation_revoke(actor=admin, invitation=invitation)

    unchanged(lambda: services.invitation_revoke(actor=admin, invitation=invitation))

    assert [row[0] for row in audit_rows()] == ["invitation.created", "invitation.revoked"]


def test_revoking_an_accepted_invitation_is_refused(admin):
    invitation = make_invitation(admin)
    services.invitation_accept(
        invitation=invitation, display_name="Hana Manager", password=GOOD_PASSWORD
    )
    invitation.refresh_from_db()
    refused(
        lambda: services.invitation_revoke(actor=admin, invitation=invitation),
        "This invitation was already accepted.",
    )


def test_after_revoking_the_address_can_be_invited_again(admin):
    old = make_invitation(admin)
    services.invitation_revoke(actor=admin, invitation=old)

    new = invite(admin, role=Role.INTERVIEWER)

    assert new.status == "pending"
    assert Invitation.objects.count() == 2


# --- invitation_from_token -------------------------------------------------------------------


def problem_for(token: str) -> services.InvitationProblem:
    with pytest.raises(services.InvitationProblem) as raised:
        services.invitation_from_token(token)
    return raised.value


def test_a_valid_token_finds_its_invitation(admin):
    invitation = make_invitation(admin)
    assert services.invitation_from_token(services.invitation_token(invitation)) == invitation


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "",
        "a:b:c",
        signing.dumps(str(uuid.uuid4()), salt="some.other.salt"),
        # Signed by us but not an invitation id at all.
        signing.Signer(salt=services.INVITATION_SALT).sign_object("hello"),
        signing.Signer(salt=services.INVITATION_SALT).sign_object(["a", 1]),
    ],
    ids=["garbage", "empty", "colons", "other-salt", "not-a-uuid", "not-a-string"],
)
def test_a_forged_token_is_not_valid(admin, token):
    make_invitation(admin)
    problem = problem_for(token)
    assert (problem.status, problem.title) == (400, "This link is not valid")
    assert "incomplete or was altered" in problem.message


def test_a_token_with_a_swapped_payload_is_not_valid(admin):
    mine = make_invitation(admin)
    theirs = make_invitation(admin, email="someone@acme.example", role=Role.ADMIN)
    mine_token = services.invitation_token(mine)
    theirs_payload = services.invitation_token(theirs).split(":", 1)[0]
    forged = theirs_payload + ":" + mine_token.split(":", 1)[1]

    problem = problem_for(forged)

    assert (problem.status, problem.title) == (400, "This link is not valid")


def test_a_token_with_an_altered_signature_is_not_valid(admin):
    token = services.invitation_token(make_invitation(admin))
    last = token[-1]
    tampered = token[:-1] + ("A" if last != "A" else "B")
    assert (problem_for(tampered).status, problem_for(tampered).title) == (
        400,
        "This link is not valid",
    )


def test_a_token_for_an_unknown_invitation_is_not_valid(db):
    token = signing.Signer(salt=services.INVITATION_SALT).sign_object(str(uuid.uuid4()))
    problem = problem_for(token)
    assert (problem.status, problem.title) == (400, "This link is not valid")


def test_an_expired_invitation_says_so_and_names_the_inviter(admin):
    invitation = make_invitation(admin, expires_at=timezone.now() - timedelta(seconds=1))
    problem = problem_for(services.invitation_token(invitation))
    assert (problem.status, problem.title) == (410, "This invitation has expired")
    assert problem.message == "Invitations last 7 days. Ask Ada Admin to resend it."


def test_an_expired_invitation_without_inviter_points_to_an_admin(admin):
    invitation = make_invitation(
        admin, expires_at=timezone.now() - timedelta(seconds=1), invited_by=None
    )
    problem = problem_for(services.invitation_token(invitation))
    assert problem.message == "Invitations last 7 days. Ask a workspace admin to resend it."


def test_a_revoked_invitation_says_it_was_withdrawn(admin):
    invitation = make_invitation(admin)
    services.invitation_revoke(actor=admin, invitation=invitation)
    problem = problem_for(services.invitation_token(invitation))
    assert (problem.status, problem.title) == (410, "This invitation was withdrawn")


def test_an_accepted_invitation_says_it_was_used(admin):
    invitation = make_invitation(admin)
    services.invitation_accept(
        invitation=invitation, display_name="Hana Manager", password=GOOD_PASSWORD
    )
    problem = problem_for(services.invitation_token(invitation))
    assert (problem.status, problem.title) == (410, "This invitation was already used")
    assert "Sign in with the password you chose" in problem.message


# --- invitation_accept -----------------------------------------------------------------------


def test_accept_creates_the_account_and_the_membership(admin):
    invitation = make_invitation(admin)

    member = services.invitation_accept(
        invitation=invitation,
        display_name="  Hana Manager ",
        password=GOOD_PASSWORD,
        time_zone="America/New_York",
    )

    user = User.objects.get(email="hana@acme.example")
    assert (user.display_name, user.time_zone, user.is_active) == (
        "Hana Manager",
        "America/New_York",
        True,
    )
    assert user.check_password(GOOD_PASSWORD)
    assert (member.user, member.workspace, member.role, member.is_active) == (
        user,
        admin.workspace,
        Role.HIRING_MANAGER,
        True,
    )
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert invitation.accepted_by == member
    assert audit_rows()[1:] == [
        ("member.added", user.email, str(member.public_id), {"role": [None, "hiring_manager"]}),
        ("invitation.accepted", user.email, str(invitation.public_id), {}),
    ]


def test_accept_as_the_signed_in_user_with_that_email(admin, outsider):
    invitation = make_invitation(admin, email=outsider.user.email, role=Role.INTERVIEWER)
    users_before = User.objects.count()

    member = services.invitation_accept(invitation=invitation, user=outsider.user)

    assert User.objects.count() == users_before
    assert (member.user, member.workspace, member.role) == (
        outsider.user,
        admin.workspace,
        Role.INTERVIEWER,
    )
    assert Invitation.objects.get().accepted_by == member


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1", "too short"),
        ("password", "too common"),
        ("8675309201", "entirely numeric"),
        ("hana@acme.example", "too similar"),
    ],
)
def test_a_weak_password_is_refused_and_nothing_is_created(admin, password, reason):
    invitation = make_invitation(admin)
    refused(
        lambda: services.invitation_accept(
            invitation=invitation, display_name="Hana Manager", password=password
        ),
        reason,
    )
    assert not User.objects.filter(email="hana@acme.example").exists()
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_a_blank_name_is_refused(admin):
    invitation = make_invitation(admin)
    error = refused(
        lambda: services.invitation_accept(
            invitation=invitation, display_name="  ", password=GOOD_PASSWORD
        ),
        "Tell your colleagues your name",
    )
    assert list(error.message_dict) == ["display_name"]


def test_a_new_account_for_an_existing_email_is_refused(admin):
    existing = UserFactory(email="hana@acme.example")
    invitation = make_invitation(admin)
    refused(
        lambda: services.invitation_accept(
            invitation=invitation, display_name="Hana", password=GOOD_PASSWORD
        ),
        "You already have an account: sign in to accept.",
    )
    assert not Member.objects.filter(user=existing).exists()


def test_accepting_as_another_signed_in_user_is_refused(admin, outsider):
    invitation = make_invitation(admin)
    refused(
        lambda: services.invitation_accept(invitation=invitation, user=outsider.user),
        r"^This invitation is for hana@acme\.example\. Sign out, then open the link again\.$",
    )
    assert not Member.objects.filter(workspace=admin.workspace, user=outsider.user).exists()


def test_accepting_an_expired_invitation_is_refused(admin):
    invitation = make_invitation(admin, expires_at=timezone.now() - timedelta(seconds=1))
    refused(
        lambda: services.invitation_accept(
            invitation=invitation, display_name="Hana", password=GOOD_PASSWORD
        ),
        "This invitation is no longer open.",
    )
    assert not User.objects.filter(email="hana@acme.example").exists()


def test_accepting_a_revoked_invitation_held_in_memory_is_refused(admin, outsider):
    invitation = make_invitation(admin, email=outsider.user.email)
    stale = Invitation.objects.get(pk=invitation.pk)
    services.invitation_revoke(actor=admin, invitation=invitation)
    refused(
        lambda: services.invitation_accept(invitation=stale, user=outsider.user),
        "This invitation is no longer open.",
    )


def test_a_second_accept_of_the_same_invitation_is_refused_and_duplicates_nothing(admin):
    invitation = make_invitation(admin)
    # Two requests each loaded the invitation before either accepted it (a double submit).
    first_copy = Invitation.objects.get(pk=invitation.pk)
    second_copy = Invitation.objects.get(pk=invitation.pk)
    member = services.invitation_accept(
        invitation=first_copy, display_name="Hana Manager", password=GOOD_PASSWORD
    )

    refused(
        lambda: services.invitation_accept(
            invitation=second_copy, display_name="Hana Again", password=GOOD_PASSWORD
        ),
        "This invitation is no longer open.",
    )
    refused(
        lambda: services.invitation_accept(invitation=second_copy, user=member.user),
        "This invitation is no longer open.",
    )

    assert User.objects.filter(email="hana@acme.example").count() == 1
    assert Member.objects.filter(workspace=admin.workspace, user=member.user).count() == 1
    assert AuditEntry.objects.filter(action="invitation.accepted").count() == 1
    assert AuditEntry.objects.filter(action="member.added").count() == 1
    assert User.objects.get(email="hana@acme.example").display_name == "Hana Manager"


def test_accepting_when_already_a_member_is_refused(admin, hiring_manager):
    invitation = Invitation.objects.create(
        workspace=admin.workspace,
        email=hiring_manager.user.email,
        role=Role.ADMIN,
        invited_by=admin,
        expires_at=timezone.now() + timedelta(days=1),
    )
    refused(
        lambda: services.invitation_accept(invitation=invitation, user=hiring_manager.user),
        "You are already a member of this workspace.",
    )
    hiring_manager.refresh_from_db()
    assert hiring_manager.role == Role.HIRING_MANAGER


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_create_one_account_and_refuse_the_other():
    admin = MemberFactory(role=Role.ADMIN)
    invitation = make_invitation(admin)
    first_done = threading.Event()
    outcomes: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                outcomes["first"] = services.invitation_accept(
                    invitation=Invitation.objects.get(pk=invitation.pk),
                    display_name="Hana One",
                    password=GOOD_PASSWORD,
                )
                first_done.set()
                time.sleep(1)  # commit only after the second request has started its own
        finally:
            first_done.set()
            connections.close_all()

    def second() -> None:
        try:
            first_done.wait(10)
            outcomes["second"] = services.invitation_accept(
                invitation=Invitation.objects.get(pk=invitation.pk),
                display_name="Hana Two",
                password=GOOD_PASSWORD,
            )
        except Exception as error:
            outcomes["second"] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert isinstance(outcomes["first"], Member)
    assert isinstance(outcomes["second"], ValidationError), repr(outcomes["second"])
    assert list(User.objects.filter(email="hana@acme.example").values_list("display_name")) == [
        ("Hana One",)
    ]
    assert Member.objects.filter(user__email="hana@acme.example").count() == 1
    assert AuditEntry.objects.filter(action="invitation.accepted").count() == 1


# --- member_change_role ----------------------------------------------------------------------


def test_change_role_records_old_and_new(admin, recruiter):
    services.member_change_role(actor=admin, member=recruiter, role=Role.HIRING_MANAGER)

    recruiter.refresh_from_db()
    assert recruiter.role == Role.HIRING_MANAGER
    assert audit_rows() == [
        (
            "member.role_changed",
            admin.user.email,
            str(recruiter.public_id),
            {"role": ["recruiter", "hiring_manager"]},
        )
    ]
    assert AuditEntry.objects.get().object_repr == "Rita Recruiter"


def test_change_to_the_same_role_records_nothing(admin, recruiter):
    unchanged(
        lambda: services.member_change_role(actor=admin, member=recruiter, role=Role.RECRUITER)
    )


def test_an_unknown_role_is_refused_on_change(admin, recruiter):
    refused(
        lambda: services.member_change_role(actor=admin, member=recruiter, role="owner"),
        "Choose one of the listed roles.",
    )


def test_the_last_admin_cannot_be_demoted(admin):
    refused(
        lambda: services.member_change_role(actor=admin, member=admin, role=Role.RECRUITER),
        r"^Ada Admin is the only admin\. Make someone else an admin first\.$",
    )


def test_a_deactivated_admin_does_not_count_as_another_admin(admin, workspace):
    other = MemberFactory(workspace=workspace, role=Role.ADMIN)
    services.member_deactivate(actor=admin, member=other)
    refused(
        lambda: services.member_change_role(actor=admin, member=admin, role=Role.RECRUITER),
        "is the only admin",
    )


def test_an_admin_can_be_demoted_when_another_admin_remains(admin, recruiter):
    services.member_change_role(actor=admin, member=recruiter, role=Role.ADMIN)

    services.member_change_role(actor=recruiter, member=admin, role=Role.INTERVIEWER)

    admin.refresh_from_db()
    assert admin.role == Role.INTERVIEWER
    assert [(row[0], row[1], row[3]) for row in audit_rows()] == [
        ("member.role_changed", admin.user.email, {"role": ["recruiter", "admin"]}),
        ("member.role_changed", recruiter.user.email, {"role": ["admin", "interviewer"]}),
    ]


@pytest.mark.parametrize("persona", ["recruiter", "hiring_manager", "interviewer"])
def test_only_admins_change_roles(request, persona, interviewer):
    actor = request.getfixturevalue(persona)
    refused(
        lambda: services.member_change_role(actor=actor, member=interviewer, role=Role.ADMIN),
        "Your role does not allow this",
    )


# --- member_deactivate / member_reactivate ---------------------------------------------------


def test_deactivate_removes_access_at_once(admin, recruiter):
    client = client_for(recruiter)
    assert client.get("/w/acme/").status_code == 200

    services.member_deactivate(actor=admin, member=recruiter)

    recruiter.refresh_from_db()
    assert recruiter.is_active is False
    assert timezone.now() - recruiter.deactivated_at < timedelta(seconds=30)
    assert audit_rows() == [
        (
            "member.deactivated",
            admin.user.email,
            str(recruiter.public_id),
            {"is_active": [True, False]},
        )
    ]
    assert client.get("/w/acme/").status_code == 404
    assert client.get("/w/acme/members/").status_code == 404
    # The account itself stays; only this workspace is closed to them.
    assert User.objects.get(pk=recruiter.user.pk).is_active is True


def test_deactivating_twice_records_once(admin, recruiter):
    services.member_deactivate(actor=admin, member=recruiter)
    unchanged(lambda: services.member_deactivate(actor=admin, member=recruiter))
    assert AuditEntry.objects.filter(action="member.deactivated").count() == 1


def test_the_unchanged_helper_detects_a_change(admin, recruiter):
    # Guard for the helpers above: an action that does change something must fail them.
    with pytest.raises(AssertionError):
        unchanged(lambda: services.member_deactivate(actor=admin, member=recruiter))


def test_the_last_admin_cannot_be_deactivated(admin):
    client = client_for(admin)
    refused(
        lambda: services.member_deactivate(actor=admin, member=admin),
        r"^Ada Admin is the only admin\. Make someone else an admin first\.$",
    )
    assert client.get("/w/acme/").status_code == 200


def test_an_admin_may_leave_when_another_admin_remains(admin, workspace):
    MemberFactory(workspace=workspace, role=Role.ADMIN)
    services.member_deactivate(actor=admin, member=admin)
    admin.refresh_from_db()
    assert admin.is_active is False


@pytest.mark.parametrize("persona", ["recruiter", "hiring_manager", "interviewer"])
def test_only_admins_deactivate(request, persona, interviewer):
    actor = request.getfixturevalue(persona)
    refused(
        lambda: services.member_deactivate(actor=actor, member=interviewer),
        "Your role does not allow this",
    )


def test_reactivate_restores_access(admin, recruiter):
    client = client_for(recruiter)
    services.member_deactivate(actor=admin, member=recruiter)
    assert client.get("/w/acme/").status_code == 404

    services.member_reactivate(actor=admin, member=recruiter)

    recruiter.refresh_from_db()
    assert (recruiter.is_active, recruiter.deactivated_at) == (True, None)
    assert audit_rows()[-1] == (
        "member.reactivated",
        admin.user.email,
        str(recruiter.public_id),
        {"is_active": [False, True]},
    )
    assert client.get("/w/acme/").status_code == 200


def test_reactivating_an_active_member_records_nothing(admin, recruiter):
    unchanged(lambda: services.member_reactivate(actor=admin, member=recruiter))


def test_only_admins_reactivate(admin, recruiter, interviewer):
    services.member_deactivate(actor=admin, member=interviewer)
    interviewer.refresh_from_db()
    refused(
        lambda: services.member_reactivate(actor=recruiter, member=interviewer),
        "Your role does not allow this",
    )


# --- nothing crosses workspaces --------------------------------------------------------------


def test_an_admin_of_another_workspace_cannot_manage_this_ones_members(admin, recruiter, outsider):
    invitation = make_invitation(admin)
    for call in [
        lambda: services.member_change_role(actor=outsider, member=recruiter, role=Role.ADMIN),
        lambda: services.member_deactivate(actor=outsider, member=recruiter),
        lambda: services.member_reactivate(actor=outsider, member=recruiter),
        lambda: services.invitation_resend(actor=outsider, invitation=invitation),
        lambda: services.invitation_revoke(actor=outsider, invitation=invitation),
    ]:
        refused(call, "Your role does not allow this")
