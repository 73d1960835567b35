"""The candidates page: search, filters, results, and the member's saved searches."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url

from accord.candidates.models import SavedSearch
from accord.candidates.search import services
from accord.candidates.search.engine import MAX_PAGES, SearchParams, search_candidates
from accord.candidates.search.forms import SearchForm
from accord.lib.feedback import flash_errors
from accord.workspaces.access import (
    MANAGE_CANDIDATES,
    VIEW_CANDIDATES,
    WorkspaceRequest,
    member_required,
)


def _page_url(request: WorkspaceRequest, query: str = "") -> str:
    url = reverse("search:candidates", args=[request.workspace.slug])
    return f"{url}?{query}" if query else url


@member_required(VIEW_CANDIDATES)
@require_GET
@vary_on_headers("HX-Request")
def candidate_search(request: WorkspaceRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, member=request.member)
    params = form.params() if form.is_bound else SearchParams()
    result = search_candidates(request.member, params)
    current = services.clean_query(params.querystring())
    context = {
        "form": form,
        "result": result,
        "searching": bool(result.text) or params.has_filters,
        "current_query": current,
        "previous_query": params.querystring(page=result.page - 1) if result.page > 1 else None,
        "next_query": (
            params.querystring(page=result.page + 1) if result.page < result.pages else None
        ),
        "capped": result.page == MAX_PAGES and result.total > MAX_PAGES * result.page_size,
        "can_manage": request.member.can(MANAGE_CANDIDATES),
    }
    template = "candidates/search/page.html"
    if request.htmx and not request.htmx.boosted:
        response = render(request, template + "#results", context)
        # The address bar gets the tidy query string, not every empty field of the form.
        return push_url(response, _page_url(request, params.querystring(page=result.page)))
    context["saved_searches"] = list(
        SavedSearch.objects.filter(owner=request.member)[: services.SAVED_LIMIT]
    )
    return render(request, template, context)


@member_required(VIEW_CANDIDATES)
@require_POST
def saved_search_save(request: WorkspaceRequest) -> HttpResponse:
    # The save button posts the search form itself, so what is saved is what is on screen,
    # read the way the page reads it (invalid filters left out).
    query = SearchForm(request.POST, member=request.member).params().querystring()
    try:
        saved = services.saved_search_save(
            actor=request.member, name=request.POST.get("name", ""), query=query
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request, _("Saved “%(name)s”. Run it again from the list.") % {"name": saved.name}
        )
    url = _page_url(request, query)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@member_required(VIEW_CANDIDATES)
@require_http_methods(["GET", "POST"])
def saved_search_delete(request: WorkspaceRequest, public_id: UUID) -> HttpResponse:
    # Another member's saved search is a 404: it is private, even to admins.
    saved = get_object_or_404(
        SavedSearch, workspace=request.workspace, owner=request.member, public_id=public_id
    )
    if request.method == "POST":
        try:
            services.saved_search_delete(actor=request.member, saved=saved)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Deleted “%(name)s”.") % {"name": saved.name})
        return redirect(_page_url(request))
    return render(request, "candidates/search/saved_delete.html", {"saved": saved})
