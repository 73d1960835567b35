"""Interview scorecards: the recruiter asks for them; each interviewer fills in theirs, signed in
or from a signed link with no password; everyone sees them as the hiding rule allows."""

import dataclasses
from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.briefs.models import InterviewStage
from accord.briefs.selectors import in_force
from accord.lib.links import LinkProblem
from accord.matching.selectors import application_get_for_member
from accord.nudges.services import time_zone_of
from accord.pipeline.models import Application, Category, Stage
from accord.reviews import scorecards as services
from accord.reviews.links import link_from_token
from accord.reviews.models import Judgement, Recommendation, Scorecard
from accord.workspaces.access import (
    MANAGE_REVIEWS,
    SUBMIT_SCORECARDS,
    VIEW_CANDIDATES,
    WorkspaceRequest,
    member_required,
    public,
    scoped_get,
)
from accord.workspaces.models import Member

SUBMITTED_SHOWN = 50
JUDGEMENT_STYLES = {
    Judgement.MEETS: "success",
    Judgement.DOESNT: "danger",
    Judgement.CANT_TELL: "secondary",
}
RECOMMENDATION_STYLES = {
    Recommendation.STRONG_YES: "success",
    Recommendation.YES: "success",
    Recommendation.NO: "danger",
    Recommendation.STRONG_NO: "danger",
}


# --- the application's scorecards --------------------------------------------------------------


@member_required(VIEW_CANDIDATES)
@require_GET
def application_scorecards(request: WorkspaceRequest, application_id: UUID) -> HttpResponse:
    application = application_get_for_member(request.member, application_id)
    entries = services.scorecards_visible_to(request.member, application)
    own = [e.scorecard for e in entries if e.mine]
    return render(
        request,
        "reviews/scorecards.html",
        {
            "application": application,
            "candidate": application.candidate,
            "requisition": application.requisition,
            "entries": entries,
            "own_pending": [s for s in own if not s.is_submitted],
            "sees_everything": services.sees_everything(request.member, own),
            "can_request": request.member.can(MANAGE_REVIEWS),
        },
    )


# --- asking for scorecards ---------------------------------------------------------------------


class MemberChoices(forms.ModelMultipleChoiceField[Member]):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.user} · {obj.get_role_display()}"


class ScorecardRequestForm(forms.Form):
    interviewers = MemberChoices(
        label=gettext_lazy("Interviewers"),
        queryset=Member.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one interviewer.")},
    )
    stage = forms.ModelChoiceField(
        label=gettext_lazy("Interview stage in the pipeline"),
        queryset=Stage.objects.none(),
        to_field_name="public_id",
        empty_label=None,
    )
    brief_stage = forms.ModelChoiceField(
        label=gettext_lazy("Criteria to assess"),
        queryset=InterviewStage.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=gettext_lazy("Every criterion the brief assesses at interview"),
        help_text=gettext_lazy("The brief’s interview stage whose criteria this interview covers."),
    )
    interview_at = forms.DateTimeField(
        label=gettext_lazy("Interview date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": gettext_lazy("Give the date and time of the interview."),
            "invalid": gettext_lazy("Give the date and time of the interview."),
        },
    )

    def __init__(
        self,
        *args: Any,
        application: Application,
        stages: list[Stage],
        brief_stages: list[InterviewStage],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        team = services.interviewer_choices(application)
        self.fields["interviewers"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.pk for m in team]
        ).select_related("user")
        self.fields["stage"].queryset = Stage.objects.filter(  # type: ignore[attr-defined]
            pk__in=[s.pk for s in stages]
        )
        self.fields["brief_stage"].queryset = InterviewStage.objects.filter(  # type: ignore[attr-defined]
            pk__in=[s.pk for s in brief_stages]
        )
        self.team = team
        self.fields["interview_at"].help_text = _("In your time zone (%(tz)s).") % {
            "tz": timezone.get_current_timezone_name()
        }
        if not self.is_bound:
            current = (
                application.stage if application.stage.category == Category.INTERVIEW else None
            )
            stage = current or (stages[0] if stages else None)
            brief_stage = services.default_brief_stage(stage, stages, brief_stages)
            self.initial.setdefault("stage", stage.public_id if stage else None)
            self.initial.setdefault("brief_stage", brief_stage.public_id if brief_stage else None)


@member_required(MANAGE_REVIEWS)
@require_http_methods(["GET", "POST"])
def scorecard_request(request: WorkspaceRequest, application_id: UUID) -> HttpResponse:
    application = application_get_for_member(request.member, application_id)
    stages = services.interview_stages(application)
    version = in_force(application.requisition)
    brief_stages = list(version.stages.all()) if version else []
    form = ScorecardRequestForm(
        request.POST if request.method == "POST" else None,
        application=application,
        stages=stages,
        brief_stages=brief_stages,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                scorecards = services.scorecard_request(
                    actor=request.member,
                    application=application,
                    interviewers=list(form.cleaned_data["interviewers"]),
                    interview_at=form.cleaned_data["interview_at"],
                    stage=form.cleaned_data["stage"],
                    brief_stage=form.cleaned_data["brief_stage"],
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(
                    request,
                    _("Scorecards requested from %(names)s. Each has a link to theirs.")
                    % {"names": ", ".join(str(s.interviewer.user) for s in scorecards)},
                )
                return redirect("reviews:scorecards", request.workspace.slug, application.public_id)
        status = 422
    return render(
        request,
        "reviews/scorecard_request.html",
        {
            "application": application,
            "candidate": application.candidate,
            "requisition": application.requisition,
            "form": form,
            "stages": stages,
            "version": version,
            "due_hours": settings.SCORECARD_DUE_HOURS,
        },
        status=status,
    )


# --- one scorecard -----------------------------------------------------------------------------


def _scorecard_query() -> Any:
    return Scorecard.objects.select_related(
        "workspace",
        "application__candidate",
        "application__requisition__workspace",
        "application__stage",
        "interviewer__user",
        "stage",
        "brief_stage",
    )


def _scorecard_for_member(member: Member, public_id: UUID) -> Scorecard:
    """The scorecard if it is the member's own, or of a candidate they may see; else 404."""
    scorecard: Scorecard = scoped_get(_scorecard_query(), member.workspace, public_id=public_id)
    if scorecard.application.candidate.erased_at is not None:
        raise Http404
    if scorecard.interviewer_id != member.pk:
        application_get_for_member(member, scorecard.application.public_id)
    return scorecard


def _rows(
    scorecard: Scorecard, typed: dict[int, tuple[str, str]] | None, show_missing: bool
) -> list[dict[str, Any]]:
    rows = []
    for criterion in services.criteria_for(scorecard):
        judgement, note = (typed or {}).get(criterion.pk, ("", ""))
        rows.append(
            {
                "criterion": criterion,
                "judgement": judgement,
                "note": note,
                "missing": show_missing and judgement not in Judgement.values,
            }
        )
    return rows


def _page(
    request: HttpRequest,
    viewer: Member,
    scorecard: Scorecard,
    *,
    token: str = "",
    typed: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    application = scorecard.application
    entries = services.scorecards_visible_to(viewer, application)
    this = next(e for e in entries if e.scorecard.pk == scorecard.pk)
    fillable = viewer.pk == scorecard.interviewer_id and not this.scorecard.is_submitted
    if token:
        action = reverse("reviews:scorecard-link-submit", args=[token])
    else:
        action = reverse(
            "reviews:scorecard-submit", args=[scorecard.workspace.slug, scorecard.public_id]
        )
    context = {
        "scorecard": this.scorecard,
        "entry": this,
        "others": [e for e in entries if e.scorecard.pk != scorecard.pk],
        "mine": viewer.pk == scorecard.interviewer_id,
        "fillable": fillable,
        "own_pending": any(e.mine and not e.scorecard.is_submitted for e in entries),
        "rows": _rows(scorecard, (typed or {}).get("ratings"), bool(errors)) if fillable else [],
        "typed": typed or {},
        "errors": errors or [],
        "judgements": [(v, Judgement(v).label, JUDGEMENT_STYLES[Judgement(v)]) for v in Judgement],
        "recommendations": [
            (v, Recommendation(v).label, RECOMMENDATION_STYLES[Recommendation(v)])
            for v in Recommendation
        ],
        "application": application,
        "candidate": application.candidate,
        "requisition": application.requisition,
        "workspace": scorecard.workspace,
        "via_link": bool(token),
        "action": action,
    }
    if token:
        # A link has no session: show times in the interviewer's own time zone.
        with timezone.override(time_zone_of(viewer)):
            return render(request, "reviews/scorecard.html", context, status=status)
    return render(request, "reviews/scorecard.html", context, status=status)


def _typed(request: HttpRequest, scorecard: Scorecard) -> dict[str, Any]:
    ratings = {
        c.pk: (
            request.POST.get(f"judgement-{c.public_id}", ""),
            request.POST.get(f"note-{c.public_id}", ""),
        )
        for c in services.criteria_for(scorecard)
    }
    return {
        "ratings": ratings,
        "recommendation": request.POST.get("recommendation", ""),
        "evidence": request.POST.get("evidence", ""),
    }


def _submit(
    request: HttpRequest, actor: Member, scorecard: Scorecard, *, token: str = ""
) -> HttpResponse | None:
    """Submit from the form; None when it went in, else the page with why it didn't."""
    if scorecard.interviewer_id != actor.pk:
        raise PermissionDenied
    if scorecard.is_submitted:
        return _page(
            request,
            actor,
            scorecard,
            token=token,
            errors=[services.already_submitted(scorecard).messages[0]],
            status=409,
        )
    typed = _typed(request, scorecard)
    try:
        services.scorecard_submit(
            actor=actor,
            scorecard=scorecard,
            ratings=typed["ratings"],
            recommendation=typed["recommendation"],
            evidence=typed["evidence"],
            via_link=bool(token),
        )
    except ValidationError as refused:
        return _page(
            request, actor, scorecard, token=token, typed=typed, errors=refused.messages, status=422
        )
    return None


@member_required(SUBMIT_SCORECARDS)
@require_GET
def scorecard_page(request: WorkspaceRequest, scorecard_id: UUID) -> HttpResponse:
    scorecard = _scorecard_for_member(request.member, scorecard_id)
    return _page(request, request.member, scorecard)


@member_required(SUBMIT_SCORECARDS)
@require_POST
def scorecard_submit(request: WorkspaceRequest, scorecard_id: UUID) -> HttpResponse:
    scorecard = _scorecard_for_member(request.member, scorecard_id)
    refused = _submit(request, request.member, scorecard)
    if refused is not None:
        return refused
    messages.success(request, _("Scorecard submitted. Thank you!"))
    return redirect("reviews:scorecard", request.workspace.slug, scorecard.public_id)


@member_required(SUBMIT_SCORECARDS)
@require_GET
def my_scorecards(request: WorkspaceRequest) -> HttpResponse:
    mine = _scorecard_query().filter(
        interviewer=request.member, application__candidate__erased_at__isnull=True
    )
    return render(
        request,
        "reviews/scorecard_list.html",
        {
            "pending": list(mine.filter(submitted_at__isnull=True).order_by("due_at", "id")),
            "submitted": list(
                mine.filter(submitted_at__isnull=False).order_by("-submitted_at", "-id")[
                    :SUBMITTED_SHOWN
                ]
            ),
            "now": timezone.now(),
        },
    )


# --- from a signed link ------------------------------------------------------------------------


def _problem(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    hint = _(
        "If you have an Accord account, you can also sign in and find the scorecard under "
        "“Your scorecards”."
    )
    problem = dataclasses.replace(problem, hint=hint)
    return render(request, "link_problem.html", {"problem": problem}, status=410)


def _from_link(request: HttpRequest, token: str) -> tuple[Member, Scorecard] | HttpResponse:
    link = link_from_token(token)
    if isinstance(link, LinkProblem):
        return _problem(request, link)
    scorecard = (
        _scorecard_query().filter(pk=link.scorecard_id).first() if link.scorecard_id else None
    )
    if scorecard is None or scorecard.interviewer_id != link.member_id:
        return _problem(
            request,
            LinkProblem.broken(
                _("It isn’t a scorecard link. Open the link from your scorecard message.")
            ),
        )
    if scorecard.application.candidate.erased_at is not None:
        return _problem(
            request,
            LinkProblem(
                _("There is nothing to assess"),
                _("The candidate’s data was erased at their request. Nothing more is needed."),
            ),
        )
    return link.member, scorecard


@public
@require_GET
def link_page(request: HttpRequest, token: str) -> HttpResponse:
    found = _from_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    member, scorecard = found
    return _page(request, member, scorecard, token=token)


@public
@require_POST
def link_submit(request: HttpRequest, token: str) -> HttpResponse:
    found = _from_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    member, scorecard = found
    refused = _submit(request, member, scorecard, token=token)
    if refused is not None:
        return refused
    messages.success(request, _("Scorecard submitted. Thank you!"))
    return redirect("reviews:scorecard-link", token)
