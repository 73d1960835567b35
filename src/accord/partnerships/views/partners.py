"""The partnership memory's pages: every hiring manager at a glance, and one manager's profile
with touchpoints, check-ins, lessons and relationship health (touchpoints are written in
views/touchpoints.py). The recruiting team's own notes: managers never see them."""

from datetime import date
from typing import Any, cast
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accord.briefs.sections import QUESTIONS
from accord.briefs.selectors import draft_of
from accord.lib.conflicts import Conflict
from accord.lib.feedback import form_errors
from accord.nudges.services import time_zone_of
from accord.partnerships import services
from accord.partnerships.forms import LessonForm, ProfileForm, TouchpointForm
from accord.partnerships.models import Lesson, Partnership, Touchpoint
from accord.partnerships.selectors import (
    AGREEMENT_FIELDS,
    PROFILE_FIELDS,
    Offered,
    agreement_of,
    checkin_state,
    checkins_on,
    health_for,
    is_manager,
    latest_signed_brief,
    lessons_of,
    lessons_offered,
    managers_of,
    outside_brief_reasons,
    partnership_of,
    planned_checkin,
    reminded_ids,
    reminder_recipient,
    requisitions_of,
    surveys_answered,
    target_of,
    touchpoints_of,
)
from accord.requisitions.models import Requisition
from accord.requisitions.selectors import requisition_get_for_member
from accord.workspaces.access import (
    MANAGE_PARTNERSHIPS,
    WorkspaceRequest,
    member_get,
    member_required,
)
from accord.workspaces.models import Member, Role

SORTS = ("name", "checkin", "touchpoint", "open")


def manager_for(request: WorkspaceRequest, public_id: UUID) -> Member:
    """A hiring manager of this workspace (by role or by a requisition), else 404; never the
    person asking (a recruiter or admin who also manages a role doesn't read the team's notes
    about themselves)."""
    manager = member_get(request.member, public_id)
    if manager.pk == request.member.pk or not is_manager(manager):
        raise Http404
    return manager


def _zone(request: WorkspaceRequest) -> ZoneInfo:
    return request.workspace.zone


def _recruiters(request: WorkspaceRequest, manager: Member) -> list[tuple[str, str]]:
    members = (
        Member.objects.active()
        .filter(workspace=request.workspace, role__in=[Role.RECRUITER, Role.ADMIN])
        .exclude(pk=manager.pk)
        .select_related("user")
        .order_by("user__display_name")
    )
    return [(str(m.public_id), m.user.display_name) for m in members]


def _profile_form(
    request: WorkspaceRequest, partnership: Partnership, agreement: Any, data: Any = None
) -> ProfileForm:
    initial = {name: getattr(partnership, name) for name in PROFILE_FIELDS}
    initial.update(agreement.values())
    initial.update(
        checkin_every=partnership.checkin_every,
        next_checkin_on=partnership.next_checkin_on,
        recruiter=str(partnership.recruiter.public_id)
        if partnership.recruiter
        else str(request.member.public_id)
        if partnership.pk is None and request.member.role == Role.RECRUITER
        else "",
        revision=partnership.revision,
    )
    return ProfileForm(data, initial=initial, recruiters=_recruiters(request, partnership.manager))


def touchpoint_form(requisitions: list[Requisition], data: Any = None) -> TouchpointForm:
    return TouchpointForm(
        data,
        initial={"kind": "meeting", "occurred_on": timezone.localdate()},
        requisitions=[(str(r.public_id), r.title) for r in requisitions],
    )


# --- the index --------------------------------------------------------------------------------


@member_required(MANAGE_PARTNERSHIPS)
@require_GET
def index(request: WorkspaceRequest) -> HttpResponse:
    today = timezone.localdate()
    managers = list(managers_of(request.workspace, viewer=request.member))
    reminded = reminded_ids(managers)
    query = request.GET.get("q", "").strip()
    due_only = request.GET.get("due") == "1"
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    health = health_for([m.pk for m in managers], timezone.now(), _zone(request))
    rows = []
    for manager in managers:
        partnership = getattr(manager, "partnership", None)
        next_on = planned_checkin(partnership)
        state = checkin_state(next_on, today)
        searched = f"{manager.user.display_name} {partnership.team if partnership else ''}"
        if query and query.lower() not in searched.lower():
            continue
        if due_only and state not in ("overdue", "today"):
            continue
        rows.append(
            {
                "manager": manager,
                "partnership": partnership,
                "next_checkin_on": next_on,
                "state": state,
                "health": health[manager.pk],
                # Check-ins are planned but nobody on the team is reminded of them.
                "unreminded": next_on is not None and manager.pk not in reminded,
            }
        )
    sort_rows(rows, sort)
    return render(
        request,
        "partnerships/index.html",
        {
            "rows": rows,
            "total": len(managers),
            "query": query,
            "due_only": due_only,
            "sort": sort,
            "overdue": sum(1 for r in rows if r["state"] == "overdue"),
        },
    )


def sort_rows(rows: list[dict[str, Any]], sort: str) -> None:
    """Sort the index's rows in place; without a date, a row sorts last (whatever today is)."""

    def name(row: dict[str, Any]) -> str:
        return str(row["manager"].user.display_name).lower()

    keys: dict[str, Any] = {
        "name": lambda r: (name(r),),
        "checkin": lambda r: (r["next_checkin_on"] or date.max, name(r)),
        "touchpoint": lambda r: (-(r["manager"].last_touchpoint or date.min).toordinal(), name(r)),
        "open": lambda r: (-(r["manager"].open_count or 0), name(r)),
    }
    rows.sort(key=keys[sort])


# --- a manager's profile ----------------------------------------------------------------------


def profile_context(request: WorkspaceRequest, manager: Member, **overrides: Any) -> dict[str, Any]:
    partnership = partnership_of(manager)
    brief = latest_signed_brief(manager)
    agreement = agreement_of(partnership, brief)
    requisitions = requisitions_of(manager)
    now = timezone.now()
    zone = _zone(request)
    health = health_for([manager.pk], now, zone)[manager.pk]
    lessons = lessons_of(partnership)
    context: dict[str, Any] = {
        "manager": manager,
        "partnership": partnership,
        "agreement": agreement,
        "brief": brief,
        "requisitions": requisitions,
        "touchpoints": touchpoints_of(partnership),
        "active_lessons": [lesson for lesson in lessons if lesson.retired_at is None],
        "retired_lessons": [lesson for lesson in lessons if lesson.retired_at is not None],
        "surveys": surveys_answered(manager),
        "health": health,
        "evidence": sorted(health.requisitions.values(), key=lambda part: part.title.lower()),
        "outside": outside_brief_reasons(manager, now, zone),
        "today": timezone.localdate(),
        "checkin": checkin_state(planned_checkin(partnership), timezone.localdate()),
        "checkins_on": checkins_on(partnership),
        "reminded": reminder_recipient(partnership),
        "profile_form": _profile_form(request, partnership, agreement),
        "touchpoint_form": touchpoint_form(requisitions),
        "lesson_form": LessonForm(),
        "question_labels": {name: q.label for name, q in QUESTIONS.items()},
        "time_zone": time_zone_of(request.member),
    }
    context.update(overrides)
    return context


@member_required(MANAGE_PARTNERSHIPS)
@require_GET
def profile(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    manager = manager_for(request, public_id)
    return render(request, "partnerships/profile.html", profile_context(request, manager))


def to_profile(request: WorkspaceRequest, manager: Member, anchor: str = "") -> HttpResponseBase:
    url = reverse("partnerships:profile", args=[request.workspace.slug, manager.public_id])
    return redirect(url + anchor)


def _recruiter_of(request: WorkspaceRequest, raw: str) -> Member | None:
    if not raw:
        return None
    try:
        return member_get(request.member, UUID(raw))
    except (ValueError, Http404):
        return None


@member_required(MANAGE_PARTNERSHIPS)
@require_POST
def profile_save(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    manager = manager_for(request, public_id)
    current = partnership_of(manager)
    agreement = agreement_of(current, latest_signed_brief(manager))
    form = _profile_form(request, current, agreement, request.POST)
    conflict: Partnership | None = None
    saved: Partnership | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.partnership_save(
                actor=request.member,
                manager=manager,
                data=services.ProfileInput(
                    **{name: data[name] for name in (*PROFILE_FIELDS, *AGREEMENT_FIELDS)},
                    checkin_every=data["checkin_every"],
                    next_checkin_on=data["next_checkin_on"],
                    recruiter=_recruiter_of(request, data["recruiter"]),
                ),
                revision=data["revision"],
            )
        except Conflict as error:
            conflict = cast(Partnership, error.current)
            who = conflict.updated_by.user.display_name if conflict.updated_by else "?"
            # Saving again (merged) is based on theirs.
            posted = request.POST.copy()
            posted["revision"] = str(conflict.revision)
            form = _profile_form(request, current, agreement, posted)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "%(name)s changed this profile while you were editing. Theirs is shown beside "
                    "yours; yours is not saved yet. Merge them and save again."
                )
                % {"name": who},
            )
        except ValidationError as error:
            form_errors(form, error)
    if saved is not None and not request.htmx:
        messages.success(request, _("Profile saved."))
        return to_profile(request, manager)
    theirs = []
    if conflict is not None:
        theirs_agreement = agreement_of(conflict, latest_signed_brief(manager)).values()
        for name in (*PROFILE_FIELDS, *AGREEMENT_FIELDS):
            value = theirs_agreement[name] if name in AGREEMENT_FIELDS else getattr(conflict, name)
            mine = form.data.get(name, "")
            if str(value or "") != str(mine):
                theirs.append((form.fields[name].label, value))
    status = 409 if conflict else 422 if form.errors else 200
    overrides: dict[str, Any] = {"saved": saved is not None, "theirs": theirs}
    if saved is None:
        overrides["profile_form"] = form
    context = profile_context(request, manager, **overrides)
    # Without JavaScript, the whole page again with what was typed (never lost to a redirect).
    template = "partnerships/profile.html" + ("#profile" if request.htmx else "")
    return render(request, template, context, status=status)


def _lesson_of(request: WorkspaceRequest, lesson_id: UUID) -> Lesson:
    """A lesson of this workspace, else 404; never one about the person asking."""
    return get_object_or_404(
        Lesson.objects.select_related("partnership__manager__user").exclude(
            partnership__manager=request.member
        ),
        partnership__workspace=request.workspace,
        public_id=lesson_id,
    )


@member_required(MANAGE_PARTNERSHIPS)
@require_POST
def lesson_add(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    manager = manager_for(request, public_id)
    form = LessonForm(request.POST)
    added = None
    if form.is_valid():
        touchpoint = None
        if form.cleaned_data["touchpoint"]:
            touchpoint = get_object_or_404(
                Touchpoint.objects.select_related("requisition"),
                partnership__manager=manager,
                public_id=form.cleaned_data["touchpoint"],
            )
        try:
            added = services.lesson_add(
                actor=request.member,
                manager=manager,
                text=form.cleaned_data["text"],
                applies_to=form.cleaned_data["applies_to"],
                touchpoint=touchpoint,
            )
        except ValidationError as error:
            form_errors(form, error)
    if not request.htmx and added is not None:
        messages.success(request, _("Lesson kept. It is offered at this manager’s next intake."))
        return to_profile(request, manager, "#lessons")
    overrides: dict[str, Any] = {"lesson_added": added is not None}
    if added is None:
        overrides["lesson_form"] = form
    context = profile_context(request, manager, **overrides)
    status = 200 if added is not None else 422
    template = "partnerships/profile.html" + ("#lessons" if request.htmx else "")
    return render(request, template, context, status=status)


def _retire(request: WorkspaceRequest, lesson_id: UUID, *, retired: bool) -> HttpResponseBase:
    lesson = _lesson_of(request, lesson_id)
    manager = lesson.partnership.manager
    services.lesson_retire(actor=request.member, lesson=lesson, retired=retired)
    if not request.htmx:
        return to_profile(request, manager, "#lessons")
    context = profile_context(request, manager)
    return render(request, "partnerships/profile.html#lessons", context)


@member_required(MANAGE_PARTNERSHIPS)
@require_POST
def lesson_retire(request: WorkspaceRequest, lesson_id: UUID) -> HttpResponseBase:
    return _retire(request, lesson_id, retired=True)


@member_required(MANAGE_PARTNERSHIPS)
@require_POST
def lesson_restore(request: WorkspaceRequest, lesson_id: UUID) -> HttpResponseBase:
    return _retire(request, lesson_id, retired=False)


# --- lessons carried into an intake --------------------------------------------------------------


@member_required(MANAGE_PARTNERSHIPS)
@require_POST
def lesson_carry(request: WorkspaceRequest, public_id: UUID, lesson_id: UUID) -> HttpResponseBase:
    requisition = requisition_get_for_member(request.member, public_id)
    lesson = _lesson_of(request, lesson_id)
    editor_url = reverse("briefs:edit", args=[request.workspace.slug, requisition.public_id])
    version = draft_of(requisition)
    # The wording the recruiter chose for the brief (the lesson's own when the form has none).
    text = request.POST.get("text")
    carried = False
    error_texts: list[str] = []
    if version is None:  # signed (or never started) since the editor was opened
        error_texts = [_("There is no draft to carry the lesson into. Start a new version first.")]
    else:
        version.requisition = requisition
        try:
            carried = services.lesson_carry(
                actor=request.member, lesson=lesson, version=version, text=text
            )
        except ValidationError as error:
            error_texts = error.messages
    context: dict[str, Any] = {
        "requisition": requisition,
        "carry_errors": error_texts,
        "carry_failed": lesson.public_id if error_texts else None,
        "carry_text": text,
    }
    if not request.htmx:
        if error_texts:
            # Without JavaScript a refusal is a page of its own with the lesson's form as it
            # was posted (never a redirect that drops the rewording), and the way back.
            name = lesson.partnership.manager.user.display_name
            context.update(
                offered=[Offered(lesson=lesson, manager_name=name, carried=False)],
                editor_url=editor_url if version is not None else "",
            )
            return render(request, "partnerships/carry_refused.html", context, status=422)
        if carried:
            messages.success(request, _("Lesson carried into the brief."))
        return redirect(editor_url + "#lessons-panel")
    context.update(
        offered=lessons_offered(requisition, request.member, version),
        oob=True,
        carried_now=carried,
    )
    if version is not None and not error_texts:
        name = target_of(lesson)
        version.refresh_from_db()
        context.update(q=QUESTIONS[name], value=getattr(version, name) or "", name=name)
    return render(
        request,
        "partnerships/carry_response.html",
        context,
        status=422 if error_texts else 200,
    )
