"""Every write to workspaces, members and invitations goes through these functions."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accord.audit.services import apply_changes, audit_record
from accord.lib.mail import send_templated_email
from accord.people.models import User, normalize_email
from accord.workspaces.access import (
    INVITABLE_ROLES,
    INVITE_MEMBERS,
    MANAGE_MEMBERS,
    MANAGE_WORKSPACE,
    require,
)
from accord.workspaces.models import Invitation, Member, Role, Workspace

INVITATION_SALT = "accord.workspaces.invitation"


_require = require


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "workspace"
    slug, n = base, 1
    while Workspace.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def workspace_create(*, actor: User, name: str, time_zone: str | None = None) -> Workspace:
    """Create a workspace with `actor` as its first admin."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the workspace a name, e.g. your company or team."))
    workspace = Workspace.objects.create(
        name=name, slug=_unique_slug(name), time_zone=time_zone or actor.time_zone
    )
    audit_record(actor=actor, workspace=workspace, action="workspace.created", obj=workspace)
    member_add(actor=actor, workspace=workspace, user=actor, role=Role.ADMIN)
    return workspace


@transaction.atomic
def workspace_update(
    *, actor: Member, name: str, time_zone: str, must_have_limit: int | None = None
) -> Workspace:
    _require(actor, MANAGE_WORKSPACE)
    workspace = actor.workspace
    limit = workspace.must_have_limit if must_have_limit is None else must_have_limit
    if not 1 <= limit <= 20:
        raise ValidationError(_("Set the must-have limit between 1 and 20."))
    changes = apply_changes(
        workspace, name=name.strip(), time_zone=time_zone, must_have_limit=limit
    )
    if changes:
        workspace.save(update_fields=list(changes))
        audit_record(
            actor=actor.user,
            workspace=workspace,
            action="workspace.updated",
            obj=workspace,
            changes=changes,
        )
    return workspace


def member_add(*, actor: User | None, workspace: Workspace, user: User, role: str) -> Member:
    """Add a person directly (workspace creation, invitations, demo data)."""
    with transaction.atomic():
        member = Member.objects.create(workspace=workspace, user=user, role=role)
        audit_record(
            actor=actor,
            workspace=workspace,
            action="member.added",
            obj=member,
            changes={"role": [None, role]},
            object_repr=str(user),
        )
    return member


def _refuse_last_admin(member: Member) -> None:
    """A workspace always keeps one active admin, or nobody could manage it any more."""
    last = (
        member.role == Role.ADMIN
        and not Member.objects.active()
        .filter(workspace=member.workspace, role=Role.ADMIN)
        .exclude(pk=member.pk)
        .exists()
    )
    if last:
        raise ValidationError(
            _("%(name)s is the only admin. Make someone else an admin first.")
            % {"name": member.display_name}
        )


@transaction.atomic
def member_change_role(*, actor: Member, member: Member, role: str) -> Member:
    _require(actor, MANAGE_MEMBERS, member.workspace_id)
    if role not in Role.values:
        raise ValidationError(_("Choose one of the listed roles."))
    if role != Role.ADMIN:
        _refuse_last_admin(member)
    changes = apply_changes(member, role=role)
    if changes:
        member.save(update_fields=list(changes))
        audit_record(
            actor=actor.user,
            workspace=member.workspace,
            action="member.role_changed",
            obj=member,
            changes=changes,
            object_repr=member.display_name,
        )
    return member


def _set_active(*, actor: Member, member: Member, active: bool, action: str) -> Member:
    _require(actor, MANAGE_MEMBERS, member.workspace_id)
    if member.is_active == active:
        return member
    if not active:
        _refuse_last_admin(member)
    changes = apply_changes(
        member, is_active=active, deactivated_at=None if active else timezone.now()
    )
    member.save(update_fields=list(changes))
    audit_record(
        actor=actor.user,
        workspace=member.workspace,
        action=action,
        obj=member,
        changes={"is_active": changes["is_active"]},
        object_repr=member.display_name,
    )
    return member


@transaction.atomic
def member_deactivate(*, actor: Member, member: Member) -> Member:
    """Take away all access at once; the person's history stays attributed to them."""
    return _set_active(actor=actor, member=member, active=False, action="member.deactivated")


@transaction.atomic
def member_reactivate(*, actor: Member, member: Member) -> Member:
    return _set_active(actor=actor, member=member, active=True, action="member.reactivated")


def invitation_token(invitation: Invitation) -> str:
    # Expiry lives on the row (resend extends it), so the signature needs no timestamp and the
    # same invitation always has the same link.
    return signing.Signer(salt=INVITATION_SALT).sign_object(str(invitation.public_id))


def invitation_url(invitation: Invitation) -> str:
    path = reverse("workspaces:invitation-accept", args=[invitation_token(invitation)])
    return f"{settings.SITE_URL}{path}"


def _send_invitation(invitation: Invitation) -> None:
    send_templated_email(
        to=invitation.email,
        template="workspaces/email/invitation",
        context={
            "invitation": invitation,
            "workspace": invitation.workspace,
            "inviter": invitation.invited_by.display_name if invitation.invited_by else "",
            "url": invitation_url(invitation),
        },
    )


def _expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)


@transaction.atomic
def invitation_create(*, actor: Member, email: str, role: str) -> Invitation:
    _require(actor, INVITE_MEMBERS)
    email = normalize_email(email)
    workspace = actor.workspace
    if role not in INVITABLE_ROLES.get(actor.role, frozenset()):
        raise ValidationError(
            _("Your role cannot invite someone as %(role)s. Ask a workspace admin.")
            % {"role": Role(role).label.lower() if role in Role.values else role}
        )
    existing = Member.objects.filter(workspace=workspace, user__email=email).first()
    if existing is not None:
        if existing.is_active:
            raise ValidationError(
                _("%(email)s is already a member of %(workspace)s.")
                % {"email": email, "workspace": workspace.name}
            )
        raise ValidationError(
            _("%(email)s was deactivated. Reactivate them from the member list instead.")
            % {"email": email}
        )
    open_invitation = Invitation.objects.filter(
        workspace=workspace, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if open_invitation is not None:
        if not open_invitation.is_expired():
            raise ValidationError(
                _("%(email)s already has a pending invitation. Use “Resend” in the list below.")
                % {"email": email}
            )
        # An expired invitation is closed so the new one can take its place.
        open_invitation.revoked_at = timezone.now()
        open_invitation.save(update_fields=["revoked_at"])
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                workspace=workspace,
                email=email,
                role=role,
                invited_by=actor,
                expires_at=_expiry(),
            )
    except IntegrityError:
        # Someone else invited the same address a moment ago.
        raise ValidationError(
            _("%(email)s already has a pending invitation.") % {"email": email}
        ) from None
    audit_record(
        actor=actor.user,
        workspace=workspace,
        action="invitation.created",
        obj=invitation,
        changes={"email": [None, email], "role": [None, role]},
    )
    _send_invitation(invitation)
    return invitation


@transaction.atomic
def invitation_resend(*, actor: Member, invitation: Invitation) -> Invitation:
    _require(actor, INVITE_MEMBERS, invitation.workspace_id)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation is closed. Send a new one instead."))
    changes = apply_changes(invitation, sent_at=timezone.now(), expires_at=_expiry())
    invitation.save(update_fields=list(changes))
    audit_record(
        actor=actor.user, workspace=invitation.workspace, action="invitation.resent", obj=invitation
    )
    _send_invitation(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Member, invitation: Invitation) -> Invitation:
    _require(actor, INVITE_MEMBERS, invitation.workspace_id)
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    if invitation.revoked_at:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor.user,
        workspace=invitation.workspace,
        action="invitation.revoked",
        obj=invitation,
    )
    return invitation


class InvitationProblem(Exception):
    """Why a link cannot be used, in words for the person holding it."""

    def __init__(self, title: str, message: str, status: int) -> None:
        super().__init__(message)
        self.title = title
        self.message = message
        self.status = status


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link points to, or an InvitationProblem saying why not."""
    try:
        public_id = signing.Signer(salt=INVITATION_SALT).unsign_object(token)
        invitation = Invitation.objects.select_related("workspace", "invited_by__user").get(
            public_id=public_id
        )
    except (signing.BadSignature, Invitation.DoesNotExist, ValidationError, ValueError):
        raise InvitationProblem(
            _("This link is not valid"),
            _(
                "The invitation link is incomplete or was altered. Open it again from the "
                "email, or ask the person who invited you to send a new one."
            ),
            400,
        ) from None
    if invitation.accepted_at:
        raise InvitationProblem(
            _("This invitation was already used"),
            _("Each invitation link works once. Sign in with the password you chose."),
            410,
        )
    if invitation.revoked_at:
        raise InvitationProblem(
            _("This invitation was withdrawn"),
            _("Ask the person who invited you to send a new one if you still need access."),
            410,
        )
    if invitation.is_expired():
        raise InvitationProblem(
            _("This invitation has expired"),
            _("Invitations last %(days)s days. Ask %(inviter)s to resend it.")
            % {
                "days": settings.INVITATION_TTL_DAYS,
                "inviter": invitation.invited_by.display_name
                if invitation.invited_by
                else _("a workspace admin"),
            },
            410,
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    display_name: str = "",
    password: str = "",
    time_zone: str = "UTC",
) -> Member:
    """Join the workspace: as the signed-in `user`, or as a new account with a password."""
    if user is not None and user.email != invitation.email:
        raise ValidationError(
            _("This invitation is for %(email)s. Sign out, then open the link again.")
            % {"email": invitation.email}
        )
    # Claim the invitation with a conditional update before creating anything: of two
    # concurrent accepts one wins, and the other waits on the row lock, then finds it closed
    # (instead of racing to create the same account and failing on the unique email).
    claimed = Invitation.objects.filter(
        pk=invitation.pk,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).update(accepted_at=timezone.now())
    if not claimed:
        raise ValidationError(_("This invitation is no longer open."))
    if user is None:
        if User.objects.filter(email=invitation.email).exists():
            raise ValidationError(_("You already have an account: sign in to accept."))
        if not display_name.strip():
            raise ValidationError({"display_name": _("Tell your colleagues your name.")})
        user = User(email=invitation.email, display_name=display_name.strip(), time_zone=time_zone)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
        user.full_clean()
        user.save()
    member = Member.objects.filter(workspace=invitation.workspace, user=user).first()
    if member is not None:
        raise ValidationError(_("You are already a member of this workspace."))
    member = member_add(actor=user, workspace=invitation.workspace, user=user, role=invitation.role)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_by=member)
    audit_record(
        actor=user,
        workspace=invitation.workspace,
        action="invitation.accepted",
        obj=invitation,
    )
    return member
