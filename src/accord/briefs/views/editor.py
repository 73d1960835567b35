"""The intake editor: one set of views served two ways — to signed-in members under the
workspace URL, and to a hiring manager through a signed link with no password."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from accord.briefs import services
from accord.briefs.checks import findings_for
from accord.briefs.models import (
    WEIGHT_MAX,
    WEIGHT_MIN,
    AssessedAt,
    BriefVersion,
    Channel,
    Criterion,
    Frequency,
    GlossaryTerm,
    InterviewStage,
    Kind,
)
from accord.briefs.sections import QUESTIONS, SECTIONS
from accord.briefs.selectors import draft_of, glossary_for
from accord.lib.conflicts import Conflict
from accord.lib.feedback import flash_errors
from accord.lib.links import LinkProblem
from accord.partnerships.selectors import Offered, lessons_offered
from accord.requisitions.models import Requisition
from accord.requisitions.selectors import can_edit_brief, requisition_get_for_member
from accord.workspaces.access import (
    EDIT_BRIEFS,
    MANAGE_GLOSSARY,
    member_required,
    public,
)
from accord.workspaces.forms import TIME_ZONE_CHOICES
from accord.workspaces.models import Member


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


@dataclass
class Editor:
    """Who is editing which draft, and where the editor's actions post to."""

    actor: Member
    requisition: Requisition
    version: BriefVersion
    base: str  # URL prefix of the editor's actions
    via_link: bool = False
    token: str = ""


EditorView = Callable[..., HttpResponse]


def for_member(view: EditorView) -> Callable[..., HttpResponseBase]:
    @member_required(EDIT_BRIEFS)
    @wraps(view)
    def wrapper(request: Any, public_id: UUID, **kwargs: Any) -> HttpResponseBase:
        requisition = requisition_get_for_member(request.member, public_id)
        if not can_edit_brief(request.member, requisition):
            raise Http404
        version = draft_of(requisition)
        if version is None:
            messages.info(request, _("There is no draft to edit. Start a new version first."))
            return redirect("briefs:brief", request.workspace.slug, requisition.public_id)
        version.requisition = requisition
        base = reverse("briefs:edit", args=[request.workspace.slug, requisition.public_id])
        editor = Editor(request.member, requisition, version, base)
        return view(request, editor, **kwargs)

    return wrapper


def for_link(view: EditorView) -> Callable[..., HttpResponseBase]:
    @public
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponseBase:
        link = services.link_from_token(token)
        if isinstance(link, LinkProblem):
            return render(request, "link_problem.html", {"problem": link}, status=410)
        requisition = requisition_get_for_member(link.member, link.requisition.public_id)
        if not can_edit_brief(link.member, requisition):
            raise Http404
        version = draft_of(requisition)
        if version is None:
            # Nothing left to fill in: show the signed brief the link's owner agreed to.
            return render(
                request,
                "link_problem.html",
                {
                    "problem": LinkProblem(
                        _("This brief is signed"),
                        _("Both of you have signed it; there is nothing left to do here."),
                    )
                },
                status=410,
            )
        services.link_used(link)
        base = reverse("briefs:link", args=[token])
        version.requisition = requisition
        editor = Editor(link.member, requisition, version, base, via_link=True, token=token)
        return view(request, editor, **kwargs)

    return wrapper


# --- rendering -------------------------------------------------------------------------------


def _criteria(version: BriefVersion) -> list[Criterion]:
    return list(version.criteria.select_related("stage"))


def _stages(version: BriefVersion) -> list[InterviewStage]:
    return list(version.stages.all())


def _annotate(criteria: list[Criterion], glossary: dict[str, GlossaryTerm]) -> list[Criterion]:
    for criterion in criteria:
        entry = glossary.get(criterion.name.strip().lower())
        criterion.glossary_definition = entry.definition if entry else ""  # type: ignore[attr-defined]
    return criteria


def _signatures(version: BriefVersion) -> list[Any]:
    return list(
        version.signatures.filter(revision=version.revision)
        .select_related("member__user")
        .order_by("signed_at", "pk")
    )


def panel_context(
    editor: Editor,
    criteria: list[Criterion] | None = None,
    stages: list[InterviewStage] | None = None,
) -> dict[str, Any]:
    version = editor.version
    criteria = _criteria(version) if criteria is None else criteria
    signatures = _signatures(version)
    side = services.side_of(editor.actor, editor.requisition)
    return {
        "editor": editor,
        "version": version,
        "requisition": editor.requisition,
        "findings": findings_for(version, criteria=criteria, stages=stages),
        "problems": services.sign_off_problems(version, criteria),
        "signatures": signatures,
        "my_side": side,
        "signed_by_me": any(s.member_id == editor.actor.pk for s in signatures),
        "can_request": not editor.via_link and side is not None,
    }


def _page_context(editor: Editor) -> dict[str, Any]:
    version = editor.version
    criteria = _criteria(version)
    stages = _stages(version)
    glossary = glossary_for(editor.requisition)
    choices = _choices()
    sections = []
    for section in SECTIONS:
        questions = [
            (q, services.as_text(getattr(version, q.field)), choices.get(q.field, []))
            for q in section.questions
        ]
        sections.append((section, questions))
    return {
        **panel_context(editor, criteria, stages),
        "sections": sections,
        "criteria": _annotate(criteria, glossary),
        "stages": stages,
        "carried": set(version.carried_over.get("fields", [])),
        "carried_from": version.carried_over.get("from", ""),
        "kinds": Kind.choices,
        "assessed_choices": AssessedAt.choices,
        "weights": range(WEIGHT_MIN, WEIGHT_MAX + 1),
        "can_glossary": editor.actor.can(MANAGE_GLOSSARY),
        "offered": _lessons(editor),
    }


def _lessons(editor: Editor) -> list[Offered]:
    """Lessons about the role's managers, to carry in: the recruiting team's notes, never shown
    through a manager's link."""
    if editor.via_link:
        return []
    return lessons_offered(editor.requisition, editor.actor, editor.version)


def _choices() -> dict[str, list[tuple[str, str]]]:
    # Choices of the intake's choice questions, as the template lists them.
    return {
        "update_channel": [(str(v), str(label)) for v, label in Channel.choices],
        "update_frequency": [(str(v), str(label)) for v, label in Frequency.choices],
        "update_time_zone": TIME_ZONE_CHOICES,
    }


@require_GET
def edit(request: HtmxRequest, editor: Editor) -> HttpResponse:
    return render(request, "briefs/edit.html", _page_context(editor))


def _oob_response(
    request: HtmxRequest, editor: Editor, parts: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {**panel_context(editor), **parts}
    return render(request, "briefs/edit_oob.html", context, status=status)


# --- answers ---------------------------------------------------------------------------------


@require_POST
def answers(request: HtmxRequest, editor: Editor) -> HttpResponse:
    take = request.POST.get("take", "")
    if take in QUESTIONS:
        # "Use theirs": put the saved answer back in the person's field.
        _refresh(editor)
        value = services.as_text(getattr(editor.version, take))
        return _oob_response(
            request,
            editor,
            {"replaced": [(QUESTIONS[take], value)], "bases": {take: value}, "cleared": [take]},
        )
    values = {k: str(v) for k, v in request.POST.items() if k in QUESTIONS}
    bases = {k[5:]: str(v) for k, v in request.POST.items() if k.startswith("base-")}
    try:
        result = services.brief_save_answers(
            actor=editor.actor, version=editor.version, values=values, bases=bases
        )
    except ValidationError as error:
        return _oob_response(
            request, editor, {"errors": error.message_dict, "failed": True}, status=422
        )
    _refresh(editor)
    if not request.htmx:
        return redirect(editor.base)
    return _oob_response(
        request,
        editor,
        {
            "bases": result.saved,
            "conflicts": result.conflicts,
            "cleared": [f for f in values if f not in {c.field for c in result.conflicts}],
            "saved_at": timezone.now(),
        },
    )


# --- criteria --------------------------------------------------------------------------------


def _criterion_input(
    post: Any, version: BriefVersion, current: Criterion | None = None
) -> services.CriterionInput:
    """Build the input from the posted fields, keeping current values for fields not posted, so
    one-tap actions (e.g. "make nice-to-have") post only what they change."""

    def pick(name: str, default: str) -> str:
        return str(post[name]) if name in post else default

    kind = pick("kind", current.kind if current else Kind.MUST)
    raw_weight = pick("weight", str(current.weight or "") if current else "")
    try:
        weight = int(raw_weight) if raw_weight.strip() else None
    except ValueError:
        weight = -1  # refused by the service with a clear message
    assessed = pick("assessed_at", current.assessed_at if current else "")
    stage_id = pick("stage", str(current.stage.public_id) if current and current.stage else "")
    stage = None
    if assessed == AssessedAt.INTERVIEW and stage_id:
        stage_uuid = _uuid(stage_id)
        if stage_uuid is not None:
            stage = InterviewStage.objects.filter(version=version, public_id=stage_uuid).first()
    return services.CriterionInput(
        name=pick("name", current.name if current else ""),
        kind=kind,
        weight=weight if kind == Kind.NICE else None,
        definition=pick("definition", current.definition if current else ""),
        assessed_at=assessed,
        stage=stage,
        skills=Criterion.parse_skills(post["skills"])
        if "skills" in post
        else tuple(current.skills if current else ()),
    )


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def _criterion_parts(editor: Editor, criterion: Criterion, **extra: Any) -> dict[str, Any]:
    return {
        "criterion_rows": _annotate([criterion], glossary_for(editor.requisition)),
        "stages": _stages(editor.version),
        "kinds": Kind.choices,
        "assessed_choices": AssessedAt.choices,
        "weights": range(WEIGHT_MIN, WEIGHT_MAX + 1),
        "can_glossary": editor.actor.can(MANAGE_GLOSSARY),
        **extra,
    }


def _maybe_glossary(request: HtmxRequest, editor: Editor, criterion: Criterion) -> list[str]:
    """Save the criterion's definition to the glossary when asked. The criterion itself is
    already saved; a refusal here is reported on its own and leaves the criterion alone."""
    if not (request.POST.get("to_glossary") and criterion.definition):
        return []
    try:
        services.glossary_term_save(
            actor=editor.actor,
            term=criterion.name,
            definition=criterion.definition,
            team=editor.requisition.team,
        )
    except ValidationError as error:
        return error.messages
    return []


@require_POST
def criterion_add(request: HtmxRequest, editor: Editor) -> HttpResponse:
    data = _criterion_input(request.POST, editor.version)
    try:
        criterion = services.criterion_add(actor=editor.actor, version=editor.version, data=data)
    except ValidationError as error:
        return _oob_response(request, editor, {"add_errors": error.messages}, status=422)
    _refresh(editor)
    if not request.htmx:
        return redirect(editor.base + "#criteria")
    criterion = Criterion.objects.select_related("stage").get(pk=criterion.pk)
    return _oob_response(request, editor, _criterion_parts(editor, criterion, added=True))


def _refresh(editor: Editor) -> None:
    editor.version = BriefVersion.objects.get(pk=editor.version.pk)
    editor.version.requisition = editor.requisition


def _criterion_of(editor: Editor, criterion_id: UUID) -> Criterion:
    return get_object_or_404(
        Criterion.objects.select_related("stage"), version=editor.version, public_id=criterion_id
    )


@require_POST
def criterion_update(request: HtmxRequest, editor: Editor, criterion_id: UUID) -> HttpResponse:
    criterion = _criterion_of(editor, criterion_id)
    if "use_glossary" in request.POST:
        entry = glossary_for(editor.requisition).get(criterion.name.lower())
        post: Any = {"definition": entry.definition if entry else criterion.definition}
    else:
        post = request.POST
    data = _criterion_input(post, editor.version, criterion)
    old_kind = criterion.kind
    raw_revision = request.POST.get("revision", "")
    revision = int(raw_revision) if raw_revision.isdecimal() else criterion.revision
    try:
        criterion = services.criterion_update(
            actor=editor.actor, criterion=criterion, revision=revision, data=data
        )
    except Conflict as conflict:
        current = cast(Criterion, conflict.current)
        _refresh(editor)
        return _oob_response(
            request,
            editor,
            _criterion_parts(editor, current, conflict=current, mine=data),
            status=409,
        )
    except ValidationError as error:
        return _oob_response(
            request,
            editor,
            {"criterion_errors": (criterion, error.messages)},
            status=422,
        )
    glossary_errors = _maybe_glossary(request, editor, criterion)
    _refresh(editor)
    if not request.htmx:
        return redirect(editor.base + "#criteria")
    # A one-tap change from the checks panel (kind, glossary) re-renders the whole row.
    whole_row = (
        "use_glossary" in request.POST or "name" not in request.POST or criterion.kind != old_kind
    )
    return _oob_response(
        request,
        editor,
        _criterion_parts(
            editor,
            criterion,
            row_saved=True,
            whole_row=whole_row or bool(glossary_errors),
            row_errors=glossary_errors,
        ),
    )


@require_POST
def criterion_delete(request: HtmxRequest, editor: Editor, criterion_id: UUID) -> HttpResponse:
    criterion = _criterion_of(editor, criterion_id)
    public_id = criterion.public_id
    try:
        services.criterion_delete(actor=editor.actor, criterion=criterion)
    except ValidationError as error:
        return _oob_response(request, editor, {"add_errors": error.messages}, status=422)
    _refresh(editor)
    if not request.htmx:
        return redirect(editor.base + "#criteria")
    return _oob_response(request, editor, {"deleted": public_id})


# --- stages ----------------------------------------------------------------------------------


@require_POST
def stage_add(request: HtmxRequest, editor: Editor) -> HttpResponse:
    try:
        services.stage_add(
            actor=editor.actor,
            version=editor.version,
            name=request.POST.get("name", ""),
            interviewers=request.POST.get("interviewers", ""),
            assesses=request.POST.get("assesses", ""),
        )
    except ValidationError as error:
        flash_errors(request, error)
    return _to_editor(request, editor, "#process")


@require_POST
def stage_delete(request: HtmxRequest, editor: Editor, stage_id: UUID) -> HttpResponse:
    stage = get_object_or_404(InterviewStage, version=editor.version, public_id=stage_id)
    try:
        services.stage_delete(actor=editor.actor, stage=stage)
    except ValidationError as error:
        flash_errors(request, error)
    return _to_editor(request, editor, "#process")


def _to_editor(request: HtmxRequest, editor: Editor, anchor: str) -> HttpResponse:
    # Stages change the criteria's "assessed at" choices everywhere: reload the page.
    if request.htmx:
        return HttpResponseClientRedirect(editor.base + anchor)
    return redirect(editor.base + anchor)


# --- sign-off --------------------------------------------------------------------------------


@require_POST
def sign(request: HtmxRequest, editor: Editor) -> HttpResponse:
    raw = request.POST.get("revision", "")
    try:
        done = services.brief_sign(
            actor=editor.actor,
            version=editor.version,
            revision=int(raw) if raw.isdecimal() else -1,
            via_link=editor.via_link,
        )
    except ValidationError as error:
        _refresh(editor)
        return _oob_response(request, editor, {"sign_errors": error.messages}, status=422)
    if done:
        messages.success(
            request,
            _("Version %(n)s is signed by both of you and is now the brief in force.")
            % {"n": editor.version.number},
        )
        target = (
            reverse("briefs:link-done", args=[editor.token])
            if editor.via_link
            else reverse(
                "briefs:brief",
                args=[editor.requisition.workspace.slug, editor.requisition.public_id],
            )
        )
        return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    _refresh(editor)
    messages.success(request, _("Signed. Waiting for the other side’s signature."))
    if not request.htmx:
        return redirect(editor.base)
    return _oob_response(request, editor, {"just_signed": True})


@require_POST
def request_sign_off(request: HtmxRequest, editor: Editor) -> HttpResponse:
    try:
        sent = services.sign_off_request(actor=editor.actor, version=editor.version)
    except ValidationError as error:
        return _oob_response(request, editor, {"sign_errors": error.messages}, status=422)
    _refresh(editor)
    return _oob_response(
        request,
        editor,
        {
            "sign_notice": _("Sign-off requested from %(n)s people by email.") % {"n": sent},
        },
    )


@require_GET
def checks(request: HtmxRequest, editor: Editor) -> HttpResponse:
    return render(request, "briefs/edit.html#panel", panel_context(editor))


# The two ways in. Each name is a separate view so the access tests see every policy.
member_edit = for_member(edit)
member_answers = for_member(answers)
member_criterion_add = for_member(criterion_add)
member_criterion_update = for_member(criterion_update)
member_criterion_delete = for_member(criterion_delete)
member_stage_add = for_member(stage_add)
member_stage_delete = for_member(stage_delete)
member_sign = for_member(sign)
member_request_sign_off = for_member(request_sign_off)
member_checks = for_member(checks)

link_edit = for_link(edit)
link_answers = for_link(answers)
link_criterion_add = for_link(criterion_add)
link_criterion_update = for_link(criterion_update)
link_criterion_delete = for_link(criterion_delete)
link_stage_add = for_link(stage_add)
link_stage_delete = for_link(stage_delete)
link_sign = for_link(sign)
link_checks = for_link(checks)


@public
@require_GET
def link_done(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "briefs/link_done.html")
