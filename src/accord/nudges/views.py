"""Who owes what, the message log, a person's contact preference and the escalation policy."""

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accord.lib.feedback import flash_errors
from accord.nudges import preferences, selectors
from accord.nudges.forms import ContactForm, MessageFilterForm, OwedFilterForm, PolicyForm
from accord.nudges.services import contact_of, route
from accord.workspaces.access import (
    MANAGE_REVIEWS,
    MANAGE_WORKSPACE,
    VIEW_WORKSPACE,
    WorkspaceRequest,
    member_required,
)
from accord.workspaces.models import Role

PAGE_SIZE = 50


def _filter_form(request: WorkspaceRequest) -> OwedFilterForm:
    data = request.GET.copy()
    # Recruiters start with their own requisitions, admins with the whole workspace.
    data.setdefault("scope", "mine" if request.member.role == Role.RECRUITER else "all")
    return OwedFilterForm(data, workspace=request.workspace)


def _filters(request: WorkspaceRequest, form: OwedFilterForm) -> selectors.OwedFilters:
    if not form.is_valid():  # a stale link (a requisition since deleted): show everything
        return selectors.OwedFilters()
    data = form.cleaned_data
    requisition, owner = data["requisition"], data["owner"]
    return selectors.OwedFilters(
        mine_of=request.member if data["scope"] == "mine" else None,
        requisition_id=requisition.pk if requisition else None,
        owner_id=owner.pk if owner else None,
    )


@member_required(MANAGE_REVIEWS)
@vary_on_headers("HX-Request")
def owed(request: WorkspaceRequest) -> HttpResponse:
    """Every pending action with its age and due time, each person's responsiveness, and the
    candidates who have heard nothing for too long."""
    workspace, now = request.workspace, timezone.now()
    form = _filter_form(request)
    filters = _filters(request, form)
    zone = ZoneInfo(request.user.time_zone)
    rows = selectors.owed_for(workspace, filters, now)
    waiting, waiting_total = selectors.waiting_for_news(workspace, filters, now)
    context = {
        "form": form,
        "filters": filters,
        "rows": rows,
        "truncated": len(rows) >= selectors.OWED_LIMIT,
        "overdue_count": sum(1 for row in rows if row.state == "overdue"),
        "people": selectors.responsiveness(workspace, filters, now, zone),
        "months": selectors.month_labels(now, zone),
        "waiting": waiting,
        "waiting_total": waiting_total,
        "silence_days": settings.NEWS_SILENCE_DAYS,
        "time_zone": request.user.time_zone,
        "now": now,
        "spark": {"width": selectors.SPARK_WIDTH, "height": selectors.SPARK_HEIGHT},
        "responsiveness_days": selectors.RESPONSIVENESS_DAYS,
    }
    template = "nudges/owed.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@member_required(MANAGE_REVIEWS)
@vary_on_headers("HX-Request")
def messages(request: WorkspaceRequest) -> HttpResponse:
    """What Accord sent, to whom, on which channel, and whether it arrived."""
    form = MessageFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(selectors.messages_for(request.workspace, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    template = "nudges/message_log.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    context = {"form": form, "page": page, "query": query.urlencode(), "status": status}
    return render(request, template, context)


def _contact_initial(request: WorkspaceRequest) -> dict[str, Any]:
    preference = contact_of(request.member)
    return {
        "channel": preference.channel,
        "webhook_url": preference.webhook_url,
        "phone": preference.phone,
        "quiet_start": preference.quiet_start,
        "quiet_end": preference.quiet_end,
        "quiet_weekends": preference.quiet_weekends,
        "min_gap_hours": preference.min_gap_hours,
    }


@member_required(VIEW_WORKSPACE)
@require_http_methods(["GET", "POST"])
def contact_edit(request: WorkspaceRequest) -> HttpResponse:
    """How Accord reaches me: channel, webhook or number, quiet hours and frequency."""
    form = ContactForm(request.POST or None, initial=_contact_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            preferences.contact_update(
                actor=request.member, member=request.member, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            flash.success(
                request,
                _("Saved. Reminders now reach you this way; send a test message to check."),
            )
            return redirect("nudges:contact", request.workspace.slug)
    preference = contact_of(request.member)
    context = {
        "form": form,
        "preference": preference,
        "route": route(request.member, preference)[0],
        "time_zone": request.user.time_zone,
    }
    return render(request, "nudges/contact.html", context, status=422 if form.errors else 200)


@member_required(VIEW_WORKSPACE)
@require_POST
def contact_test(request: WorkspaceRequest) -> HttpResponse:
    """Send myself a test message on the channel my preference routes to."""
    try:
        message = preferences.contact_test(actor=request.member, member=request.member)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        where = {
            "email": _("Sent — check your email (%(to)s).") % {"to": message.destination},
            "chat": _("Sent — check your chat channel."),
            "sms": _("Sent — check your phone for a text message."),
        }
        flash.success(request, where[message.channel])
    return redirect("nudges:contact", request.workspace.slug)


@member_required(MANAGE_WORKSPACE)
@require_http_methods(["GET", "POST"])
def policy_edit(request: WorkspaceRequest) -> HttpResponse:
    """The workspace's reminder and escalation rules."""
    workspace = request.workspace
    policy = selectors.policy_read(workspace)
    form = PolicyForm(
        request.POST or None,
        members=selectors.escalation_candidates(workspace),
        initial={
            "remind_before_hours": policy.remind_before_hours,
            "escalate_after_days": policy.escalate_after_days,
            "contact": policy.contact,
            "contact_after_days": policy.contact_after_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            preferences.policy_update(
                actor=request.member, workspace=workspace, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            flash.success(request, _("Saved. Actions opened from now on follow these rules."))
            return redirect("nudges:policy", workspace.slug)
    return render(request, "nudges/policy.html", {"form": form}, status=422 if form.errors else 200)
