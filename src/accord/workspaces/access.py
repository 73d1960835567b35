"""Who may do what, and the one way views reach workspace data.

Every view is wrapped by exactly one of `public`, `signed_in` or `member_required`; a test walks
the URL configuration and fails on any view without a declared policy. Workspace views receive
the current Member from `member_required`, which answers 404 to anyone who is not an active
member of the workspace in the URL (so another workspace's objects are indistinguishable from
objects that do not exist) and 403 to members whose role lacks the permission.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from accord.people.models import User
from accord.workspaces.models import Member, Role, Workspace

View = Callable[..., HttpResponseBase]

VIEW_WORKSPACE: Final = "workspace.view"
VIEW_MEMBERS: Final = "members.view"
INVITE_MEMBERS: Final = "members.invite"
MANAGE_MEMBERS: Final = "members.manage"
VIEW_AUDIT: Final = "audit.view"
MANAGE_WORKSPACE: Final = "workspace.manage"
VIEW_REQUISITIONS: Final = "requisitions.view"
MANAGE_REQUISITIONS: Final = "requisitions.manage"
EDIT_BRIEFS: Final = "briefs.edit"
MANAGE_GLOSSARY: Final = "glossary.manage"
VIEW_CANDIDATES: Final = "candidates.view"
MANAGE_CANDIDATES: Final = "candidates.manage"
MANAGE_STAGES: Final = "stages.manage"
MANAGE_SKILLS: Final = "skills.manage"
CANDIDATE_DATA_RIGHTS: Final = "candidates.data_rights"
# Send shortlists, request scorecards, see who owes what and what was sent.
MANAGE_REVIEWS: Final = "reviews.manage"
# Decide on a shortlist / submit a scorecard: the role allows it, and the domain rule that only
# the shortlist's manager or the scorecard's interviewer may act is checked in the services.
DECIDE_SHORTLISTS: Final = "reviews.decide"
SUBMIT_SCORECARDS: Final = "scorecards.submit"
# Status reports: managers read the reports of their own requisitions (and their roll-up);
# recruiters write the narrative, send, share and schedule them.
VIEW_REPORTS: Final = "reports.view"
MANAGE_REPORTS: Final = "reports.manage"
# The partnership memory (profiles, touchpoints, lessons, hires) is the recruiting team's;
# managers answer the post-hire surveys about their own hires (checked in the services).
MANAGE_PARTNERSHIPS: Final = "partnerships.manage"
ANSWER_SURVEYS: Final = "surveys.answer"
# Analytics compare managers and recruiters with each other: the recruiting team's view.
VIEW_ANALYTICS: Final = "analytics.view"

# The role matrix. tests/workspaces/test_access.py states the same matrix independently.
ROLE_PERMISSIONS: Final[Mapping[str, frozenset[str]]] = {
    Role.ADMIN: frozenset(
        {
            VIEW_WORKSPACE,
            VIEW_MEMBERS,
            INVITE_MEMBERS,
            MANAGE_MEMBERS,
            VIEW_AUDIT,
            MANAGE_WORKSPACE,
            VIEW_REQUISITIONS,
            MANAGE_REQUISITIONS,
            EDIT_BRIEFS,
            MANAGE_GLOSSARY,
            VIEW_CANDIDATES,
            MANAGE_CANDIDATES,
            MANAGE_STAGES,
            MANAGE_SKILLS,
            CANDIDATE_DATA_RIGHTS,
            MANAGE_REVIEWS,
            SUBMIT_SCORECARDS,
            VIEW_REPORTS,
            MANAGE_REPORTS,
            MANAGE_PARTNERSHIPS,
            ANSWER_SURVEYS,
            VIEW_ANALYTICS,
        }
    ),
    Role.RECRUITER: frozenset(
        {
            VIEW_WORKSPACE,
            VIEW_MEMBERS,
            INVITE_MEMBERS,
            VIEW_REQUISITIONS,
            MANAGE_REQUISITIONS,
            EDIT_BRIEFS,
            MANAGE_GLOSSARY,
            VIEW_CANDIDATES,
            MANAGE_CANDIDATES,
            MANAGE_STAGES,
            MANAGE_SKILLS,
            MANAGE_REVIEWS,
            SUBMIT_SCORECARDS,
            VIEW_REPORTS,
            MANAGE_REPORTS,
            MANAGE_PARTNERSHIPS,
            ANSWER_SURVEYS,
            VIEW_ANALYTICS,
        }
    ),
    # Managers and interviewers see only the requisitions they are on (RequisitionQuerySet);
    # managers edit and sign the briefs of their own requisitions.
    # They also see the candidates in those requisitions' pipelines (CandidateQuerySet).
    # Exporting or erasing a person's data is an admin's act (candidate data rights).
    Role.HIRING_MANAGER: frozenset(
        {
            VIEW_WORKSPACE,
            VIEW_MEMBERS,
            VIEW_REQUISITIONS,
            EDIT_BRIEFS,
            VIEW_CANDIDATES,
            DECIDE_SHORTLISTS,
            SUBMIT_SCORECARDS,
            VIEW_REPORTS,
            ANSWER_SURVEYS,
        }
    ),
    Role.INTERVIEWER: frozenset(
        {VIEW_WORKSPACE, VIEW_REQUISITIONS, VIEW_CANDIDATES, SUBMIT_SCORECARDS}
    ),
}

# Recruiters bring in the managers and interviewers they work with; only admins grant power.
INVITABLE_ROLES: Final[Mapping[str, frozenset[str]]] = {
    Role.ADMIN: frozenset(Role.values),
    Role.RECRUITER: frozenset({Role.HIRING_MANAGER, Role.INTERVIEWER}),
}


def role_can(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(actor: Member, permission: str, workspace_id: int | None = None) -> None:
    """Refuse a service call the actor's role does not allow, or one aimed at another workspace.

    Views check first; services check again so a command, task or forgotten check can't cross
    workspaces.
    """
    elsewhere = workspace_id is not None and workspace_id != actor.workspace_id
    if elsewhere or not actor.can(permission):
        raise ValidationError(_("Your role does not allow this. Ask a workspace admin."))


@dataclass(frozen=True)
class AccessPolicy:
    """What a view declares about who may call it; read by the URL-wide access tests."""

    kind: str  # "public" | "signed_in" | "member"
    permission: str | None = None


class SignedInRequest(HttpRequest):
    """An HttpRequest whose user `signed_in` or `member_required` has checked."""

    user: User  # narrowed from User | AnonymousUser by the decorators
    htmx: HtmxDetails


class WorkspaceRequest(SignedInRequest):
    """An HttpRequest that `member_required` has resolved to a workspace member."""

    member: Member
    workspace: Workspace


def _declare(view: View, policy: AccessPolicy) -> None:
    view.access_policy = policy  # type: ignore[attr-defined]  # read back by tests


def public[V: View](view: V) -> V:
    """Anyone may call this view, signed in or not (login, signed links, password reset)."""
    _declare(view, AccessPolicy("public"))
    return view


def to_login(request: HttpRequest) -> HttpResponseBase:
    """The sign-in page, coming back here after. A request sent in place (htmx) whose session
    has ended sends the whole page there, to come back to the page it was sent from: the sign-in
    form must not be swapped into a part of the page."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return HttpResponseClientRedirect(redirect_to_login(_page_of(htmx, request)).url)
    return redirect_to_login(request.get_full_path())


def _page_of(htmx: HtmxDetails, request: HttpRequest) -> str:
    """The path of the page an htmx request came from, if it is on this site, else "/". The
    scheme is not compared: behind a proxy that ends TLS, the request is http and the page
    https."""
    page = urlsplit(htmx.current_url or "")
    if page.netloc != request.get_host() or not page.path.startswith("/"):
        return "/"
    return urlunsplit(("", "", page.path, page.query, ""))


def signed_in(view: View) -> View:
    """Any signed-in person, whatever their workspaces (account settings, workspace switcher)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return to_login(request)
        return view(request, *args, **kwargs)

    _declare(wrapper, AccessPolicy("signed_in"))
    return wrapper


def member_for(user: Any, workspace_slug: str) -> Member:
    """The user's active membership in the workspace, or 404 whatever the reason."""
    if not user.is_authenticated:
        raise Http404
    try:
        return (
            Member.objects.active()
            .select_related("workspace", "user")
            .get(user=user, workspace__slug=workspace_slug)
        )
    except Member.DoesNotExist:
        raise Http404 from None


def member_required(permission: str) -> Callable[[View], View]:
    """Resolve `workspace_slug` to the caller's Member and require `permission` of their role."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, workspace_slug: str, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return to_login(request)
            member = member_for(request.user, workspace_slug)
            if not member.can(permission):
                raise PermissionDenied
            request.member = member  # type: ignore[attr-defined]
            request.workspace = member.workspace  # type: ignore[attr-defined]
            request.session["workspace"] = workspace_slug
            return view(request, **kwargs)

        _declare(wrapper, AccessPolicy("member", permission))
        return wrapper

    return decorator


def scoped_get[M: Model](queryset: QuerySet[M], workspace: Workspace, **lookup: Any) -> M:
    """Fetch one object of this workspace, or 404 when it belongs elsewhere or does not exist."""
    return get_object_or_404(queryset, workspace=workspace, **lookup)


def member_get(actor: Member, public_id: Any) -> Member:
    return scoped_get(Member.objects.select_related("user"), actor.workspace, public_id=public_id)
