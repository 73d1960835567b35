"""Status reports: the live report of a requisition and a manager's roll-up, the reports sent,
schedules, and read-only share links for people without an account."""

from typing import Any, cast
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accord.lib.conflicts import Conflict
from accord.lib.feedback import flash_errors
from accord.lib.links import LinkProblem
from accord.nudges.services import route, time_zone_of
from accord.reports import services
from accord.reports.figures import figures_for
from accord.reports.forms import NoteForm, ScheduleForm, ShareForm
from accord.reports.models import Frequency, ReportNote, ReportSchedule, Scope, ShareLink
from accord.reports.models import StatusReport as Report
from accord.reports.render import pdf_of, sections_of
from accord.reports.selectors import (
    history_of,
    live_report,
    live_rollup,
    manager_history,
    managers_of,
    open_requisition_reports,
    schedule_of,
    share_links_of,
    with_people,
)
from accord.requisitions.models import Requisition
from accord.requisitions.selectors import requisition_get_for_member
from accord.workspaces.access import (
    MANAGE_REPORTS,
    VIEW_REPORTS,
    WorkspaceRequest,
    member_get,
    member_required,
    public,
    scoped_get,
)
from accord.workspaces.models import Member


def _requisition(request: WorkspaceRequest, public_id: UUID) -> Requisition:
    """A requisition whose reports the member reads: recruiters and admins any, a hiring
    manager those they manage (not those they only interview for), else 404."""
    requisition = requisition_get_for_member(request.member, public_id)
    requisition = with_people(Requisition.objects.filter(pk=requisition.pk)).get()
    _require_reader(request.member, requisition)
    return requisition


def _require_reader(member: Member, requisition: Requisition) -> None:
    if member.can(MANAGE_REPORTS):
        return
    if not any(m.pk == member.pk for m in requisition.hiring_managers.all()):
        raise Http404


def _manager(request: WorkspaceRequest, public_id: UUID) -> Member:
    """A manager whose roll-up the member may see: their own, or anyone's for recruiters."""
    manager = member_get(request.member, public_id)
    if manager.pk != request.member.pk and not request.member.can(MANAGE_REPORTS):
        raise Http404
    return manager


def _note_form(note: ReportNote, data: Any = None) -> NoteForm:
    return NoteForm(
        data,
        initial={
            "narrative": note.narrative,
            "next_steps": note.next_steps,
            "revision": note.revision,
        },
    )


# --- one requisition ----------------------------------------------------------------------------


@member_required(VIEW_REPORTS)
@require_GET
def requisition_report(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = _requisition(request, public_id)
    now = timezone.now()
    live = live_report(requisition, now)
    can_manage = request.member.can(MANAGE_REPORTS)
    managers = list(requisition.hiring_managers.all())
    return render(
        request,
        "reports/requisition.html",
        {
            "requisition": requisition,
            "section": live.section(),
            "previous": live.previous,
            "note": live.note,
            "note_form": _note_form(live.note),
            "history": history_of(requisition),
            "can_manage": can_manage,
            "recipients": [{"member": m, "channel": route(m)[0]} for m in managers if m.is_active],
            "share_links": share_links_of(requisition=requisition) if can_manage else [],
            "share_form": ShareForm(),
            "time_zone": time_zone_of(request.member),
        },
    )


@member_required(MANAGE_REPORTS)
@require_POST
def note_save(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = requisition_get_for_member(request.member, public_id)
    form = NoteForm(request.POST)
    conflict: ReportNote | None = None
    note: ReportNote | None = None
    if form.is_valid():
        try:
            note = services.note_save(
                actor=request.member,
                requisition=requisition,
                narrative=form.cleaned_data["narrative"],
                next_steps=form.cleaned_data["next_steps"],
                revision=form.cleaned_data["revision"],
            )
        except Conflict as error:
            conflict = cast(ReportNote, error.current)
            form.add_error(
                None,
                _(
                    "%(name)s changed the narrative while you were writing. Theirs is shown "
                    "below yours; yours is not saved yet. Merge them and save again."
                )
                % {"name": conflict.updated_by.user.display_name if conflict.updated_by else "?"},
            )
            data = request.POST.copy()
            data["revision"] = str(conflict.revision)
            form = NoteForm(data)
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
    status = 409 if conflict else 422 if form.errors else 200
    if note is not None:
        form = _note_form(note)
    context = {
        "requisition": requisition,
        "note_form": form,
        "note": note,
        "conflict": conflict,
        "saved": note is not None,
    }
    if request.htmx:
        if note is not None:
            # Only the status and the revision change: what is being typed meanwhile stays.
            return render(request, "reports/requisition.html#note_status", context)
        response = render(request, "reports/requisition.html#note", context, status=status)
        response["HX-Retarget"] = "#report-note"
        response["HX-Reswap"] = "outerHTML"
        return response
    if note is not None:
        messages.success(request, _("Narrative saved."))
    else:
        for error_text in form.non_field_errors():
            messages.error(request, str(error_text))
    return cast(
        HttpResponse,
        redirect("reports:requisition", request.workspace.slug, requisition.public_id),
    )


@member_required(MANAGE_REPORTS)
@require_POST
def report_send(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    requisition = requisition_get_for_member(request.member, public_id)
    try:
        report = services.report_send(actor=request.member, requisition=requisition)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("reports:requisition", request.workspace.slug, requisition.public_id)
    names = ", ".join(r["name"] for r in report.recipients)
    messages.success(
        request,
        _("Report sent to %(names)s. The PDF and charts go out with it in a moment.")
        % {"names": names},
    )
    return redirect("reports:snapshot", request.workspace.slug, report.public_id)


@member_required(VIEW_REPORTS)
@require_GET
def requisition_pdf(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    requisition = _requisition(request, public_id)
    live = live_report(requisition, timezone.now())
    section = live.section()
    pdf = pdf_of({"sections": [section], "rollup": None, "report": None})
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"status-{slugify(requisition.title)[:60]}-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- reports sent -------------------------------------------------------------------------------


def _report_visible(request: WorkspaceRequest, public_id: UUID) -> Report:
    report = scoped_get(
        Report.objects.select_related("requisition", "manager__user", "sent_by__user", "rollup"),
        request.workspace,
        public_id=public_id,
    )
    if report.requisition is not None:
        requisition_get_for_member(request.member, report.requisition.public_id)
        _require_reader(request.member, report.requisition)
    elif report.manager_id != request.member.pk and not request.member.can(MANAGE_REPORTS):
        raise Http404
    return report


@member_required(VIEW_REPORTS)
@require_GET
def snapshot(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    report = _report_visible(request, public_id)
    return render(
        request,
        "reports/snapshot.html",
        {
            "report": report,
            "sections": sections_of(report),
            "rollup": report.data if report.scope == Scope.MANAGER else None,
        },
    )


@member_required(VIEW_REPORTS)
@require_GET
def snapshot_pdf(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    report = _report_visible(request, public_id)
    if not report.pdf:
        messages.info(
            request, _("The PDF of this report is still being made. Try again in a minute.")
        )
        return redirect("reports:snapshot", request.workspace.slug, report.public_id)
    return FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=(report.pdf.name or "status-report.pdf").rsplit("/", 1)[-1],
        content_type="application/pdf",
    )


# --- the overview and a manager's roll-up --------------------------------------------------------


@member_required(VIEW_REPORTS)
@require_GET
def index(request: WorkspaceRequest) -> HttpResponseBase:
    member = request.member
    if not member.can(MANAGE_REPORTS):
        return redirect("reports:manager", request.workspace.slug, member.public_id)
    requisitions = list(open_requisition_reports(request.workspace))
    figures = figures_for(requisitions, timezone.now())
    return render(
        request,
        "reports/index.html",
        {
            "rows": [{"requisition": r, "data": figures[r.pk]} for r in requisitions],
            "managers": list(managers_of(request.workspace)),
            "time_zone": time_zone_of(member),
        },
    )


@member_required(VIEW_REPORTS)
@require_GET
def manager_report(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    manager = _manager(request, public_id)
    schedule = schedule_of(manager)
    rollup_data, sections = live_rollup(manager, timezone.now())
    can_manage = request.member.can(MANAGE_REPORTS)
    return render(
        request,
        "reports/manager.html",
        {
            "manager": manager,
            "rollup": rollup_data,
            "sections": sections,
            "schedule": schedule,
            "schedule_form": _schedule_form(manager, schedule),
            "channel": route(manager)[0],
            "history": manager_history(manager),
            "can_manage": can_manage,
            "is_self": manager.pk == request.member.pk,
            "share_links": share_links_of(manager=manager) if can_manage else [],
            "share_form": ShareForm(),
            "time_zone": time_zone_of(request.member),
        },
    )


def _schedule_form(manager: Member, schedule: ReportSchedule | None, data: Any = None) -> Any:
    if schedule is None:
        initial: dict[str, Any] = {
            "frequency": Frequency.WEEKLY,
            "weekday": 0,
            "at": "09:00",
            "time_zone": time_zone_of(manager),
        }
    else:
        initial = {
            "frequency": schedule.frequency,
            "weekday": schedule.weekday,
            "at": schedule.at.strftime("%H:%M"),
            "time_zone": schedule.time_zone,
        }
    return ScheduleForm(data, initial=initial)


@member_required(MANAGE_REPORTS)
@require_POST
def manager_send(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    manager = _manager(request, public_id)
    try:
        report = services.rollup_send(actor=request.member, manager=manager)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("reports:manager", request.workspace.slug, manager.public_id)
    assert report is not None  # noqa: S101  # only a scheduled send returns None
    messages.success(
        request,
        _("Report sent to %(name)s. The PDF and charts go out with it in a moment.")
        % {"name": manager.user.display_name},
    )
    return redirect("reports:snapshot", request.workspace.slug, report.public_id)


@member_required(VIEW_REPORTS)
@require_POST
def schedule_save(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    manager = _manager(request, public_id)
    form = _schedule_form(manager, schedule_of(manager), request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error_text in errors:
                messages.error(request, f"{label}: {error_text}" if label else error_text)
        return redirect("reports:manager", request.workspace.slug, manager.public_id)
    try:
        schedule = services.schedule_update(
            actor=request.member, member=manager, **form.cleaned_data
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if schedule.next_due_at:
            messages.success(
                request,
                _("Saved. The next report goes out %(when)s (%(zone)s).")
                % {
                    "when": date_format(
                        timezone.localtime(schedule.next_due_at, ZoneInfo(schedule.time_zone)),
                        "D j M, H:i",
                    ),
                    "zone": schedule.time_zone,
                },
            )
        else:
            messages.success(request, _("Saved. No reports will be sent on a schedule."))
    return redirect("reports:manager", request.workspace.slug, manager.public_id)


# --- share links -------------------------------------------------------------------------------


@member_required(MANAGE_REPORTS)
@require_POST
def share_create(request: WorkspaceRequest) -> HttpResponseBase:
    requisition_id = request.POST.get("requisition", "")
    manager_id = request.POST.get("manager", "")
    requisition = manager = None
    if requisition_id:
        try:
            requisition_uuid = UUID(requisition_id)
        except ValueError:
            raise Http404 from None
        requisition = requisition_get_for_member(request.member, requisition_uuid)
        back = redirect("reports:requisition", request.workspace.slug, requisition.public_id)
    elif manager_id:
        try:
            manager_uuid = UUID(manager_id)
        except ValueError:
            raise Http404 from None
        manager = _manager(request, manager_uuid)
        back = redirect("reports:manager", request.workspace.slug, manager.public_id)
    else:
        raise Http404
    form = ShareForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error_text in errors:
                messages.error(request, str(error_text))
        return back
    try:
        link = services.share_link_create(
            actor=request.member,
            label=form.cleaned_data["label"],
            days=form.cleaned_data["days"],
            requisition=requisition,
            manager=manager,
        )
    except ValidationError as error:
        flash_errors(request, error)
        return back
    messages.success(
        request,
        _("Link for %(label)s made; it works until %(until)s. Copy it: %(url)s")
        % {
            "label": link.label,
            "until": date_format(timezone.localtime(link.expires_at), "j M Y"),
            "url": services.share_url(link),
        },
    )
    return back


@member_required(MANAGE_REPORTS)
@require_POST
def share_revoke(request: WorkspaceRequest, public_id: UUID) -> HttpResponseBase:
    link = scoped_get(
        ShareLink.objects.select_related("requisition", "manager"),
        request.workspace,
        public_id=public_id,
    )
    if link.requisition is not None:
        requisition_get_for_member(request.member, link.requisition.public_id)
    services.share_link_revoke(actor=request.member, link=link)
    messages.success(request, _("The link for %(label)s no longer works.") % {"label": link.label})
    if link.requisition is not None:
        return redirect("reports:requisition", request.workspace.slug, link.requisition.public_id)
    assert link.manager is not None  # noqa: S101  # a link has one subject
    return redirect("reports:manager", request.workspace.slug, link.manager.public_id)


@public
@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    link = services.share_link_open(token)
    if isinstance(link, LinkProblem):
        return render(request, "link_problem.html", {"problem": link}, status=410)
    now = timezone.now()
    context: dict[str, Any] = {"link": link, "rollup": None}
    if link.requisition is not None:
        requisition = with_people(Requisition.objects.filter(pk=link.requisition.pk)).get()
        live = live_report(requisition, now, public=True)
        context["sections"] = [live.section()]
    else:
        assert link.manager is not None  # noqa: S101  # a link has one subject
        context["rollup"], context["sections"] = live_rollup(link.manager, now, public=True)
    response = render(request, "reports/shared.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response
