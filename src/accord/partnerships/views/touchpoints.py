"""Touchpoints on a manager's profile: logged, corrected (conflict-checked) and deleted, in place
with htmx or as plain pages without it. The recruiting team's notes: nobody corrects or reads
the ones about themselves."""

from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import retarget

from accord.lib.conflicts import Conflict
from accord.lib.feedback import flash_errors, form_errors
from accord.partnerships import services
from accord.partnerships.forms import LessonForm, TouchpointEditForm
from accord.partnerships.models import Partnership, Touchpoint
from accord.partnerships.selectors import (
    checkin_state,
    checkins_on,
    partnership_of,
    planned_checkin,
    reminder_recipient,
    requisitions_of,
    touchpoints_of,
)
from accord.partnerships.views.partners import (
    manager_for,
    profile_context,
    to_profile,
    touchpoint_form,
)
from accord.requisitions.models import Requisition
from accord.workspaces.access import MANAGE_PARTNERSHIPS, WorkspaceRequest, member_required
from accord.workspaces.models import Member


def _input(data: dict[str, Any], requisitions: list[Requisition]) -> services.TouchpointInput:
    """A touchpoint form's cleaned data as the services take it (the role chosen by public id
    among the manager's)."""
    chosen = next((r for r in requisitions if str(r.public_id) == data["requisition"]), None)
    return services.TouchpointInput(
        kind=data["kind"],
        occurred_on=data["occurred_on"],
        summary=data["summary"],
        next_step=data["next_step"],
        next_step_on=data["next_step_on"],
        requisition=chosen,
    )


@member_required(MANAGE_PARTNERSHIPS)
@require_POST
def touchpoint_add(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    manager = manager_for(request, public_id)
    requisitions = requisitions_of(manager)
    form = touchpoint_form(requisitions, request.POST)
    logged = None
    if form.is_valid():
        try:
            logged = services.touchpoint_log(
                actor=request.member,
                manager=manager,
                data=_input(form.cleaned_data, requisitions),
            )
        except ValidationError as error:
            form_errors(form, error)
    if not request.htmx and logged is not None:
        messages.success(request, _("Touchpoint logged."))
        return to_profile(request, manager, "#touchpoints")
    overrides: dict[str, Any] = {"logged": logged is not None, "oob": logged is not None}
    if logged is None:
        overrides["touchpoint_form"] = form
    context = profile_context(request, manager, **overrides)
    status = 200 if logged is not None else 422
    if not request.htmx:  # the whole page again, with what was typed
        return render(request, "partnerships/profile.html", context, status=status)
    return render(request, "partnerships/touchpoints_response.html", context, status=status)


# --- corrections and deletions --------------------------------------------------------------


def _touchpoint_of(request: WorkspaceRequest, touchpoint_id: UUID) -> Touchpoint:
    """A touchpoint of this workspace, else 404; never one about the person asking (an admin or
    recruiter who also manages a role doesn't read the team's notes about themselves)."""
    return get_object_or_404(
        Touchpoint.objects.select_related(
            "partnership__manager__user", "requisition", "author__user"
        )
        .annotate(lesson_count=Count("lessons"))
        .exclude(partnership__manager=request.member),
        partnership__workspace=request.workspace,
        public_id=touchpoint_id,
    )


def _requisitions(touchpoint: Touchpoint, manager: Member) -> list[Requisition]:
    """The manager's requisitions to choose from, and the touchpoint's own even if they no
    longer manage it (a correction keeps it unless changed)."""
    requisitions = requisitions_of(manager)
    if touchpoint.requisition is not None and touchpoint.requisition not in requisitions:
        requisitions.append(touchpoint.requisition)
    return requisitions


def _edit_form(
    touchpoint: Touchpoint, requisitions: list[Requisition], data: Any = None
) -> TouchpointEditForm:
    return TouchpointEditForm(
        data,
        initial={
            "kind": touchpoint.kind,
            "occurred_on": touchpoint.occurred_on,
            "summary": touchpoint.summary,
            "next_step": touchpoint.next_step,
            "next_step_on": touchpoint.next_step_on,
            "requisition": str(touchpoint.requisition.public_id) if touchpoint.requisition else "",
            "revision": touchpoint.revision,
        },
        requisitions=[(str(r.public_id), r.title) for r in requisitions],
        # Ids of their own: the profile page also has the form that logs one.
        auto_id=f"tp-{touchpoint.public_id}-%s",
    )


def _theirs(current: Touchpoint, form: TouchpointEditForm) -> list[tuple[Any, Any]]:
    """The saved touchpoint's values where they differ from what the person typed."""
    saved = {
        "kind": (current.kind, current.get_kind_display()),
        "occurred_on": (current.occurred_on.isoformat(), current.occurred_on),
        "requisition": (
            str(current.requisition.public_id) if current.requisition else "",
            current.requisition.title if current.requisition else "",
        ),
        "summary": (current.summary, current.summary),
        "next_step": (current.next_step, current.next_step),
        "next_step_on": (
            current.next_step_on.isoformat() if current.next_step_on else "",
            current.next_step_on,
        ),
    }
    return [
        (form.fields[name].label, shown)
        for name, (value, shown) in saved.items()
        if value.strip() != str(form.data.get(name, "")).strip()
    ]


def _edit_page(
    request: WorkspaceRequest,
    touchpoint: Touchpoint,
    form: TouchpointEditForm,
    theirs: list[tuple[Any, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The correction form: in place of the touchpoint's row (htmx), else a page of its own."""
    context = {
        "t": touchpoint,
        "manager": touchpoint.partnership.manager,
        "form": form,
        "theirs": theirs or [],
        "inline": bool(request.htmx),
    }
    template = "partnerships/touchpoint_edit.html" + ("#edit_row" if request.htmx else "")
    return render(request, template, context, status=status)


def _items_response(
    request: WorkspaceRequest, manager: Member, before: Partnership, **flags: Any
) -> HttpResponse:
    """The touchpoint list after a change, the check-in card and, when the next check-in moved
    (`before` is the partnership as it was), the profile form's revision and date, so a profile
    saved next starts from the truth."""
    partnership = partnership_of(manager)
    today = timezone.localdate()
    context = {
        "manager": manager,
        "partnership": partnership,
        "touchpoints": touchpoints_of(partnership),
        "today": today,
        "checkin": checkin_state(planned_checkin(partnership), today),
        "checkins_on": checkins_on(partnership),
        "reminded": reminder_recipient(partnership),
        "lesson_form": LessonForm(),
        "oob": True,
        "moved": partnership.revision != before.revision,
        **flags,
    }
    response = render(request, "partnerships/touchpoint_items_response.html", context)
    return retarget(response, "#touchpoint-items")


@member_required(MANAGE_PARTNERSHIPS)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def touchpoint_edit(request: WorkspaceRequest, touchpoint_id: UUID) -> HttpResponseBase:
    touchpoint = _touchpoint_of(request, touchpoint_id)
    manager = touchpoint.partnership.manager
    requisitions = _requisitions(touchpoint, manager)
    if request.method == "GET":
        return _edit_page(request, touchpoint, _edit_form(touchpoint, requisitions))
    form = _edit_form(touchpoint, requisitions, request.POST)
    theirs: list[tuple[Any, Any]] = []
    conflict = False
    saved = None
    if form.is_valid():
        try:
            saved = services.touchpoint_update(
                actor=request.member,
                touchpoint=touchpoint,
                data=_input(form.cleaned_data, requisitions),
                revision=form.cleaned_data["revision"],
            )
        except Conflict as error:
            conflict = True
            current = cast(Touchpoint, error.current)
            who = current.updated_by.user.display_name if current.updated_by else "?"
            # Saving again (merged) is based on theirs.
            posted = request.POST.copy()
            posted["revision"] = str(current.revision)
            form = _edit_form(touchpoint, requisitions, posted)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "%(name)s changed this touchpoint while you were editing. Theirs is shown "
                    "beside yours; yours is not saved yet. Merge them and save again."
                )
                % {"name": who},
            )
            theirs = _theirs(current, form)
        except ValidationError as error:
            form_errors(form, error)
    if saved is None:
        # What was typed comes back with the reasons, in the row or on the page.
        return _edit_page(request, touchpoint, form, theirs, status=409 if conflict else 422)
    if not request.htmx:
        messages.success(request, _("Touchpoint saved."))
        return to_profile(request, manager, f"#tp-{saved.public_id}")
    return _items_response(request, manager, touchpoint.partnership, edited=saved.public_id)


@member_required(MANAGE_PARTNERSHIPS)
@require_http_methods(["GET", "POST"])
def touchpoint_delete(request: WorkspaceRequest, touchpoint_id: UUID) -> HttpResponseBase:
    """GET asks (the page says what becomes of the lessons kept from it and of the next
    check-in); POST deletes. With htmx the row's link asks with hx-confirm and posts."""
    touchpoint = _touchpoint_of(request, touchpoint_id)
    manager = touchpoint.partnership.manager
    if request.method == "GET":
        context: dict[str, Any] = {
            "t": touchpoint,
            "manager": manager,
            "partnership": touchpoint.partnership,
        }
        return render(request, "partnerships/touchpoint_delete.html", context)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1  # a form from before revisions: asked again, as for a stale one
    try:
        services.touchpoint_delete(actor=request.member, touchpoint=touchpoint, revision=revision)
    except Conflict:
        stale = _(
            "It was changed since you opened the page: read it as it stands now, then "
            "delete it again if you still mean to."
        )
        if not request.htmx:
            context = {
                "t": _touchpoint_of(request, touchpoint_id),  # as it stands, lessons counted
                "manager": manager,
                "partnership": touchpoint.partnership,
                "stale": stale,
            }
            return render(request, "partnerships/touchpoint_delete.html", context, status=409)
        response = _items_response(request, manager, touchpoint.partnership, delete_errors=[stale])
        response.status_code = 409
        return response
    except ValidationError as error:  # deleted meanwhile: the list shows it gone
        if not request.htmx:
            flash_errors(request, error)
            return to_profile(request, manager, "#touchpoints")
        return _items_response(
            request, manager, touchpoint.partnership, delete_errors=error.messages
        )
    if not request.htmx:
        messages.success(request, _("Touchpoint deleted."))
        return to_profile(request, manager, "#touchpoints")
    return _items_response(
        request,
        manager,
        touchpoint.partnership,
        deleted=True,
        lessons_kept=getattr(touchpoint, "lesson_count", 0),
    )
