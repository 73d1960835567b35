from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accord.lib.feedback import form_errors
from accord.skills import services
from accord.skills.extract import matcher_for
from accord.skills.forms import CustomSkillForm, LookupForm
from accord.skills.models import CustomSkill
from accord.skills.sources import SOURCES
from accord.skills.taxonomy import Skill, taxonomy
from accord.workspaces.access import (
    MANAGE_SKILLS,
    WorkspaceRequest,
    member_required,
    public,
    scoped_get,
)

LIST_LIMIT = 500
LOOKUP_LIMIT = 12


def _input(form: CustomSkillForm) -> services.SkillInput:
    return services.SkillInput(
        label=form.cleaned_data["label"],
        synonyms=form.cleaned_data["synonyms"],
        extends=bool(form.cleaned_data["extends"]),
    )


def _list(request: WorkspaceRequest, form: CustomSkillForm, status: int = 200) -> HttpResponse:
    rows = list(
        CustomSkill.objects.filter(workspace=request.workspace).select_related("created_by__user")[
            : LIST_LIMIT + 1
        ]
    )
    base = taxonomy()
    context = {
        "form": form,
        "lookup": LookupForm(),
        "rows": [(row, base.get(row.ref) if row.ref else None) for row in rows[:LIST_LIMIT]],
        "truncated": len(rows) > LIST_LIMIT,
        "size": number_format(len(base), force_grouping=True),
    }
    return render(request, "skills/list.html", context, status=status)


@member_required(MANAGE_SKILLS)
@require_http_methods(["GET", "POST"])
def skill_list(request: WorkspaceRequest) -> HttpResponse:
    form = CustomSkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            skill = services.custom_skill_create(actor=request.member, data=_input(form))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(label)s” saved: resumes and criteria in this workspace use it from now on.")
                % {"label": skill.label},
            )
            return redirect("skills:list", request.workspace.slug)
    return _list(request, form, status=422 if form.errors else 200)


@member_required(MANAGE_SKILLS)
@require_http_methods(["GET", "POST"])
def skill_edit(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    skill = scoped_get(CustomSkill.objects.all(), request.workspace, public_id=public_id)
    initial = {
        "label": skill.label,
        "synonyms": skill.synonyms,
        "extends": "1" if skill.ref else "",
    }
    form = CustomSkillForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.custom_skill_update(actor=request.member, skill=skill, data=_input(form))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Skill saved."))
            return redirect("skills:list", request.workspace.slug)
    return render(
        request,
        "skills/edit.html",
        {"form": form, "skill": skill},
        status=422 if form.errors else 200,
    )


@member_required(MANAGE_SKILLS)
@require_http_methods(["GET", "POST"])
def skill_delete(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    skill = scoped_get(CustomSkill.objects.all(), request.workspace, public_id=public_id)
    if request.method == "POST":
        services.custom_skill_delete(actor=request.member, skill=skill)
        messages.success(request, _("“%(label)s” removed.") % {"label": skill.label})
        return redirect("skills:list", request.workspace.slug)
    return render(request, "skills/delete.html", {"skill": skill})


@member_required(MANAGE_SKILLS)
@require_GET
def skill_lookup(request: WorkspaceRequest) -> HttpResponse:
    form = LookupForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    exact: Skill | None = None
    matches: list[Skill] = []
    own: CustomSkill | None = None
    if query:
        exact = matcher_for(request.workspace).resolve(query)
        if exact is not None and not exact.ref.startswith("ws:"):
            own = CustomSkill.objects.filter(workspace=request.workspace, ref=exact.ref).first()
        matches = [
            s for s in taxonomy().search(query, LOOKUP_LIMIT) if not exact or s.ref != exact.ref
        ]
    context: dict[str, Any] = {
        "query": query,
        "exact": exact,
        "own": own,
        "matches": matches,
        "lookup": form,
    }
    template = "skills/list.html#lookup-results" if request.htmx else "skills/lookup.html"
    return render(request, template, context)


@public
@require_GET
def about_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "skills/about_data.html",
        {
            "sources": SOURCES,
            "versions": taxonomy().sources,
            "size": number_format(len(taxonomy()), force_grouping=True),
        },
    )
