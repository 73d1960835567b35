"""The post-hire loop's pages: hires and their surveys for the recruiting team, the survey a
manager answers (signed in, or from a one-tap link with no password), and the survey policy."""

from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.lib.conflicts import Conflict
from accord.lib.feedback import flash_errors
from accord.lib.links import LinkProblem
from accord.nudges.services import time_zone_of
from accord.partnerships import survey_delivery
from accord.partnerships.hire_selectors import hire_survey_rows, survey_query
from accord.partnerships.hires import hire_policy_read, hire_policy_update, hire_set_start
from accord.partnerships.models import Hire, Survey
from accord.partnerships.survey_answers import asks_process, criteria_of, survey_answer
from accord.partnerships.survey_forms import HirePolicyForm, StartDateForm, SurveyForm
from accord.partnerships.survey_links import survey_from_token, withdrawn
from accord.workspaces.access import (
    ANSWER_SURVEYS,
    MANAGE_PARTNERSHIPS,
    WorkspaceRequest,
    member_required,
    public,
    scoped_get,
)
from accord.workspaces.models import Member

HIRES_SHOWN = 100
FILTERS = ("", "open", "answered", "cancelled")


def _surveys() -> Prefetch[Any]:
    return Prefetch(
        "surveys",
        queryset=Survey.objects.select_related("manager__user").order_by("checkpoint", "pk"),
    )


# --- the recruiting team's pages ---------------------------------------------------------------


@member_required(MANAGE_PARTNERSHIPS)
@require_GET
def hires(request: WorkspaceRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in FILTERS:
        state = ""
    rows = Hire.objects.filter(workspace=request.workspace).select_related(
        "application__candidate", "requisition"
    )
    if state == "cancelled":
        rows = rows.filter(cancelled_at__isnull=False)
    elif state == "open":
        rows = rows.filter(cancelled_at__isnull=True, surveys__answered_at__isnull=True).distinct()
    elif state == "answered":
        rows = rows.filter(surveys__answered_at__isnull=False).distinct()
    shown = list(
        rows.prefetch_related(_surveys()).order_by("-start_on", "-hired_at", "-pk")[
            : HIRES_SHOWN + 1
        ]
    )
    return render(
        request,
        "partnerships/surveys/hires.html",
        {
            "hires": shown[:HIRES_SHOWN],
            "more": len(shown) > HIRES_SHOWN,
            "state": state,
            "filters": [
                ("", _("All")),
                ("open", _("Waiting for answers")),
                ("answered", _("Answered")),
                ("cancelled", _("Cancelled")),
            ],
            "time_zone": time_zone_of(request.member),
        },
    )


def _hire(request: WorkspaceRequest, public_id: UUID) -> Hire:
    return scoped_get(
        Hire.objects.select_related(
            "application__candidate", "requisition__recruiter__user", "recorded_by__user"
        ),
        request.workspace,
        public_id=public_id,
    )


def _start_form(hire: Hire) -> StartDateForm:
    return StartDateForm(initial={"start_on": hire.start_on, "revision": hire.revision})


def _hire_context(request: WorkspaceRequest, hire: Hire) -> dict[str, Any]:
    return {
        "hire": hire,
        "rows": hire_survey_rows(hire, request.member),
        "start_form": _start_form(hire),
        "time_zone": time_zone_of(request.member),
    }


@member_required(MANAGE_PARTNERSHIPS)
@require_GET
def hire(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    found = _hire(request, public_id)
    return render(request, "partnerships/surveys/hire.html", _hire_context(request, found))


@member_required(MANAGE_PARTNERSHIPS)
@require_GET
def application_hire(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    found = scoped_get(
        Hire.objects.only("public_id"), request.workspace, application__public_id=public_id
    )
    return redirect("surveys:hire", request.workspace.slug, found.public_id)


@member_required(MANAGE_PARTNERSHIPS)
@require_POST
def hire_start(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    found = _hire(request, public_id)
    form = StartDateForm(request.POST)
    conflict: Hire | None = None
    saved = False
    if form.is_valid():
        try:
            found = hire_set_start(
                actor=request.member,
                hire=found,
                start_on=form.cleaned_data["start_on"],
                revision=form.cleaned_data["revision"],
            )
            saved = True
        except Conflict as error:
            conflict = cast(Hire, error.current)
            data = request.POST.copy()
            data["revision"] = str(conflict.revision)
            form = StartDateForm(data)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone changed the start date to %(day)s while you were editing; yours "
                    "is not saved yet. Check it and save again."
                )
                % {"day": conflict.start_on.isoformat()},
            )
        except ValidationError as error:
            form.add_error(None, error)
    status = 409 if conflict else 422 if form.errors else 200
    if saved:
        form = _start_form(found)
    if request.htmx:
        context = _hire_context(request, found)
        context.update(start_form=form, saved=saved)
        return render(request, "partnerships/surveys/hire.html#hire_body", context, status=status)
    if saved:
        messages.success(request, _("Start date saved; the surveys follow it."))
    else:
        for field_errors in form.errors.values():
            for text in field_errors:
                messages.error(request, str(text))
    return redirect("surveys:hire", request.workspace.slug, found.public_id)


def _survey_for_team(request: WorkspaceRequest, public_id: UUID) -> Survey:
    return scoped_get(survey_query(), request.workspace, public_id=public_id)


@member_required(MANAGE_PARTNERSHIPS)
@require_POST
def survey_send(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    survey = _survey_for_team(request, public_id)
    try:
        survey_delivery.survey_send_now(actor=request.member, survey=survey)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request, _("Survey sent to %(name)s.") % {"name": survey.manager.display_name}
        )
    return redirect("surveys:hire", request.workspace.slug, survey.hire.public_id)


@member_required(MANAGE_PARTNERSHIPS)
@require_POST
def survey_resend(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    survey = _survey_for_team(request, public_id)
    try:
        survey_delivery.survey_resend(actor=request.member, survey=survey)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("The link was sent to %(name)s again.") % {"name": survey.manager.display_name},
        )
    return redirect("surveys:hire", request.workspace.slug, survey.hire.public_id)


@member_required(MANAGE_PARTNERSHIPS)
@require_http_methods(["GET", "POST"])
def policy(request: WorkspaceRequest) -> HttpResponse:
    current = hire_policy_read(request.workspace)
    initial = {
        "first_after_days": current.first_after_days,
        "checkpoints": ", ".join(str(d) for d in current.checkpoints or []),
        "remind_after_days": current.remind_after_days,
        "max_reminders": current.max_reminders,
    }
    status = 200
    if request.method == "POST":
        form = HirePolicyForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                hire_policy_update(actor=request.member, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved. New hires are asked on this schedule."))
                return cast(HttpResponse, redirect("surveys:policy", request.workspace.slug))
        status = 422
    else:
        form = HirePolicyForm(initial=initial)
    return render(request, "partnerships/surveys/policy.html", {"form": form}, status=status)


# --- the survey a manager answers ---------------------------------------------------------------


def _answer_page(
    request: HttpRequest,
    manager: Member,
    survey: Survey,
    *,
    token: str = "",
    status: int = 200,
) -> HttpResponse:
    criteria = criteria_of(survey)
    process = asks_process(survey)
    answered = survey.answered_at is not None
    form: SurveyForm | None = None
    errors: list[str] = []
    if not answered and request.method == "POST":
        form = SurveyForm(request.POST, criteria=criteria, process=process)
        if form.is_valid():
            try:
                survey_answer(
                    actor=manager, survey=survey, answers=form.answers(), via_link=bool(token)
                )
            except ValidationError as error:
                errors = list(error.messages)
            else:
                messages.success(request, _("Thank you! Your answers help the next search."))
                if token:
                    return cast(HttpResponse, redirect("surveys:link", token))
                return cast(
                    HttpResponse,
                    redirect("surveys:survey", survey.workspace.slug, survey.public_id),
                )
        status = 422
    elif request.method == "POST":
        status = 409  # answered already: the page shows the answers, nothing more to submit
    if not answered and form is None:
        form = SurveyForm(criteria=criteria, process=process)
    if form is not None and form.errors:
        errors += [str(e) for field_errors in form.errors.values() for e in field_errors]
    action = (
        reverse("surveys:link", args=[token])
        if token
        else reverse("surveys:survey", args=[survey.workspace.slug, survey.public_id])
    )
    context = {
        "survey": survey,
        "hire": survey.hire,
        "requisition": survey.hire.requisition,
        "candidate": survey.hire.application.candidate,
        "form": form,
        "errors": errors,
        "process": process,
        "ratings": list(survey.ratings.order_by("pk")) if answered else [],
        "via_link": bool(token),
        "action": action,
        "scale": range(1, 6),
    }
    with timezone.override(time_zone_of(manager)):
        response = render(request, "partnerships/surveys/answer.html", context, status=status)
    if token:
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"  # the token stays here; POSTs keep their Origin
        response["Cache-Control"] = "private, no-store"
    return response


@public
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    found = survey_from_token(token)
    if isinstance(found, LinkProblem):
        return render(request, "link_problem.html", {"problem": found}, status=410)
    return _answer_page(request, found.manager, found, token=token)


@member_required(ANSWER_SURVEYS)
@require_http_methods(["GET", "POST"])
def survey(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    found = _survey_for_team(request, public_id)
    if found.manager_id != request.member.pk:
        raise Http404  # only the survey's manager answers; the team reads it on the hire page
    problem = withdrawn(found)
    if problem is not None:
        return render(request, "link_problem.html", {"problem": problem}, status=410)
    return _answer_page(request, request.member, found)
