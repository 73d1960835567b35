"""Shortlists: the recruiter sends screened candidates; the manager decides, signed in or from a
password-free link, one card at a time."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accord.briefs.selectors import in_force
from accord.lib.feedback import flash_errors
from accord.lib.links import LinkProblem
from accord.nudges.models import Commitment
from accord.nudges.services import time_zone_of
from accord.requisitions.selectors import requisition_get_for_member
from accord.reviews import services
from accord.reviews.links import link_from_token, token_of
from accord.reviews.models import Decision, Judgement, ReasonChip, ReviewLink, Shortlist
from accord.reviews.selectors import (
    Card,
    cards,
    judgements_as_screened,
    shortlist_get_for_member,
    shortlistable,
    shortlists_of,
    shortlists_visible_to,
    with_counts,
)
from accord.workspaces.access import (
    DECIDE_SHORTLISTS,
    MANAGE_REVIEWS,
    VIEW_REQUISITIONS,
    WorkspaceRequest,
    member_required,
    public,
)
from accord.workspaces.models import Member

AS_SCREENED = "advance-as-screened"


# --- the recruiter's side -------------------------------------------------------------------


@member_required(VIEW_REQUISITIONS)
@require_GET
def requisition_shortlists(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id)
    return render(
        request,
        "reviews/shortlists.html",
        {
            "requisition": requisition,
            "shortlists": shortlists_of(request.member, requisition),
            "can_send": request.member.can(MANAGE_REVIEWS) and not requisition.is_closed,
        },
    )


@member_required(MANAGE_REVIEWS)
@require_http_methods(["GET", "POST"])
def shortlist_new(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    requisition = requisition_get_for_member(request.member, public_id)
    eligible = list(
        shortlistable(requisition)
        .select_related("candidate", "stage")
        # Unscored candidates last on both databases (PostgreSQL sorts NULL first descending).
        .order_by(F("match_score").desc(nulls_last=True), "candidate__name", "pk")[:200]
    )
    managers = list(requisition.hiring_managers.filter(is_active=True).select_related("user"))
    chosen = set(
        request.POST.getlist("a") if request.method == "POST" else request.GET.getlist("a")
    )
    error: ValidationError | None = None
    if request.method == "POST":
        by_id = {str(a.public_id): a for a in eligible}
        picked = [by_id[key] for key in request.POST.getlist("a") if key in by_id]
        manager = next(
            (m for m in managers if str(m.public_id) == request.POST.get("manager")), None
        )
        try:
            if manager is None:
                raise ValidationError(_("Choose the hiring manager who decides."))
            shortlist = services.shortlist_send(
                actor=request.member,
                requisition=requisition,
                manager=manager,
                applications=picked,
                note=request.POST.get("note", ""),
                highlights={a.pk: request.POST.get(f"h-{a.public_id}", "") for a in picked},
            )
        except ValidationError as exc:
            error = exc
        else:
            messages.success(
                request,
                _("Sent to %(manager)s. They have until the agreed time; Accord reminds them.")
                % {"manager": manager.display_name},
            )
            return redirect("reviews:shortlist", request.workspace.slug, shortlist.public_id)
    return render(
        request,
        "reviews/shortlist_new.html",
        {
            "requisition": requisition,
            "version": in_force(requisition),
            "eligible": eligible,
            "managers": managers,
            "chosen": chosen,
            "posted": request.POST if request.method == "POST" else None,
            "errors": error.messages if error else [],
        },
        status=400 if error else 200,
    )


@member_required(MANAGE_REVIEWS)
@require_POST
def withdraw(request: WorkspaceRequest, shortlist_id: UUID) -> HttpResponseBase:
    shortlist = shortlist_get_for_member(request.member, shortlist_id)
    try:
        services.shortlist_withdraw(actor=request.member, shortlist=shortlist)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Shortlist withdrawn; its link no longer works."))
    return redirect("reviews:shortlist", request.workspace.slug, shortlist.public_id)


@member_required(MANAGE_REVIEWS)
@require_POST
def resend(request: WorkspaceRequest, shortlist_id: UUID) -> HttpResponseBase:
    shortlist = shortlist_get_for_member(request.member, shortlist_id)
    try:
        services.shortlist_resend(actor=request.member, shortlist=shortlist)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("A new link is on its way to %(manager)s; the old one no longer works.")
            % {"manager": shortlist.manager.display_name},
        )
    return redirect("reviews:shortlist", request.workspace.slug, shortlist.public_id)


# --- the shortlist page, for the recruiter and the manager -------------------------------------


def _page_context(
    shortlist: Shortlist, viewer: Member, *, token: str = "", only_item: int | None = None
) -> dict[str, Any]:
    deciding = shortlist.is_open and viewer.pk == shortlist.manager_id
    shown = cards(shortlist, only_item)
    return {
        "shortlist": shortlist,
        "requisition": shortlist.requisition,
        "cards": shown,
        "commitment": Commitment.objects.filter(shortlist=shortlist).first(),
        "deciding": deciding and viewer.can(DECIDE_SHORTLISTS),
        "token": token,
        "judgements": Judgement.choices,
        "chips": ReasonChip.choices,
        "decisions": Decision,
        "as_screened": AS_SCREENED,
        "time_zone": time_zone_of(viewer),
        "viewer": viewer,
        "left": sum(1 for c in shown if c.review is None),
    }


@member_required(VIEW_REQUISITIONS)
@require_GET
def shortlist_page(request: WorkspaceRequest, shortlist_id: UUID) -> HttpResponse:
    shortlist = shortlist_get_for_member(request.member, shortlist_id)
    context = _page_context(shortlist, request.member)
    context["can_manage"] = request.member.can(MANAGE_REVIEWS)
    return render(request, "reviews/shortlist.html", context)


@member_required(VIEW_REQUISITIONS)
@require_GET
def my_reviews(request: WorkspaceRequest) -> HttpResponse:
    mine = with_counts(shortlists_visible_to(request.member).filter(manager=request.member))
    shortlists = list(mine.order_by("-sent_at")[:100])
    return render(
        request,
        "reviews/my_reviews.html",
        {
            "waiting": [s for s in shortlists if s.is_open],
            "finished": [s for s in shortlists if not s.is_open],
            "time_zone": time_zone_of(request.member),
        },
    )


def _reasons_from(request: HttpRequest, card: Card) -> dict[str, Any]:
    decision = request.POST.get("decision", "")
    if decision == AS_SCREENED:
        return {"decision": Decision.ADVANCE, "judgements": judgements_as_screened(card)}
    judgements = {}
    for line in card.lines:
        value = request.POST.get(f"c-{line.criterion.pk}", "")
        if value:
            judgements[line.criterion.pk] = value
    return {
        "decision": decision,
        "judgements": judgements,
        "chips": request.POST.getlist("chip"),
        "note": request.POST.get("note", ""),
    }


def _decide(
    request: HttpRequest,
    shortlist: Shortlist,
    viewer: Member,
    position: int,
    *,
    token: str = "",
) -> HttpResponse:
    found = cards(shortlist, only_item=position)
    if not found:
        raise Http404
    card = found[0]
    reasons = _reasons_from(request, card)
    error: ValidationError | None = None
    try:
        services.review_submit(reviewer=viewer, item=card.item, via_link=bool(token), **reasons)
    except ValidationError as exc:
        error = exc
    context = _page_context(shortlist, viewer, token=token, only_item=position)
    context["card"] = context["cards"][0]
    if error:
        context["errors"] = error.messages
        kept = context["card"]
        for line in kept.lines:
            line.posted = request.POST.get(f"c-{line.criterion.pk}", "")
        kept.posted_chips = request.POST.getlist("chip")
        kept.posted_note = request.POST.get("note", "")
    context["left"] = shortlist.items.filter(review__isnull=True).count()
    status = 422 if error else 200
    if request.headers.get("HX-Request"):
        response = render(request, "reviews/shortlist.html#card", context, status=status)
        response["HX-Trigger"] = "decided"
        return response
    if error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Decision saved."))
    if token:
        return redirect(reverse("reviews:link", args=[token]) + f"#item-{position}")
    return redirect(
        reverse("reviews:shortlist", args=[shortlist.workspace.slug, shortlist.public_id])
        + f"#item-{position}"
    )


@member_required(DECIDE_SHORTLISTS)
@require_POST
@vary_on_headers("HX-Request")
def decide(request: WorkspaceRequest, shortlist_id: UUID, position: int) -> HttpResponse:
    shortlist = shortlist_get_for_member(request.member, shortlist_id)
    return _decide(request, shortlist, request.member, position)


# --- from the link in the email or chat message ---------------------------------------------------


def _from_link(request: HttpRequest, token: str) -> tuple[ReviewLink, Shortlist] | HttpResponse:
    """The link's shortlist, or the page saying why the link can't be used."""
    link = link_from_token(token)
    if isinstance(link, LinkProblem):
        return render(request, "link_problem.html", {"problem": link}, status=410)
    if link.shortlist is None:
        raise Http404
    shortlist = Shortlist.objects.select_related(
        "requisition__workspace", "manager__user", "sent_by__user", "brief_version"
    ).get(pk=link.shortlist.pk)
    return link, shortlist


@public
@require_GET
def link_page(request: HttpRequest, token: str) -> HttpResponse:
    found = _from_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    link, shortlist = found
    context = _page_context(shortlist, link.member, token=token_of(link))
    context["via_link"] = True
    return render(request, "reviews/shortlist.html", context)


@public
@require_POST
@vary_on_headers("HX-Request")
def link_decide(request: HttpRequest, token: str, position: int) -> HttpResponse:
    found = _from_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    link, shortlist = found
    return _decide(request, shortlist, link.member, position, token=token_of(link))
