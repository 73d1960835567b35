from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from accord.audit.forms import AuditFilterForm
from accord.audit.models import AuditEntry
from accord.workspaces.access import VIEW_AUDIT, WorkspaceRequest, member_required

PAGE_SIZE = 50


@member_required(VIEW_AUDIT)
@vary_on_headers("HX-Request")
def audit_log(request: WorkspaceRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, workspace=request.workspace)
    entries = AuditEntry.objects.readable_by(request.member)
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor=data["actor"].user_id)
        if data["action"]:
            entries = entries.filter(action=data["action"])
        zone = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(created_at__gte=datetime.combine(data["since"], time(), zone))
        if data["until"]:
            end = datetime.combine(data["until"] + timedelta(days=1), time(), zone)
            entries = entries.filter(created_at__lt=end)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "audit/log.html#results" if request.htmx else "audit/log.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})
