"""The issue's acceptance: the analytics pages keep bounded query counts at 1,000 requisitions.

The history is built in bulk (bench/analytics_data.py): 10 requisitions, then 1,000 more with
their applications, moves, commitments, hires and surveys; each page must take no more queries
at 1,010 requisitions than at 10."""

from datetime import UTC, datetime
from urllib.parse import urlencode

from bench.analytics_data import build
from django.urls import reverse

from accord.workspaces.models import Member, Role
from conftest import client_for
from tests.factories import MemberFactory

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def test_pages_at_1000_requisitions(
    recruiter: Member,
    hiring_manager: Member,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    workspace = recruiter.workspace
    recruiters = [recruiter, MemberFactory(workspace=workspace, role=Role.RECRUITER)]
    managers = [hiring_manager] + [
        MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER) for _ in range(5)
    ]
    # Enough candidates that every figure counts something at the small size too (a records
    # page with nothing to list skips its query).
    build(workspace, recruiters, managers, 10, applications=(12, 16), now=NOW, seed=1)
    query = urlencode({"start": "2025-06-01", "end": "2026-06-15"})
    base = [
        reverse("analytics:index", args=[workspace.slug]) + f"?{query}",
        reverse("analytics:index", args=[workspace.slug]) + f"?{query}&by=manager",
        reverse("analytics:index", args=[workspace.slug]) + f"?{query}&by=team&grain=quarter",
        reverse("analytics:index", args=[workspace.slug])
        + f"?{query}&by=manager&group={hiring_manager.public_id}",
        reverse("analytics:export", args=[workspace.slug]) + f"?{query}&by=recruiter",
    ] + [
        reverse("analytics:records", args=[workspace.slug])
        + f"?{query}&figure={figure}&group=all&period=all"
        for figure in ("fill", "feedback", "submit", "interview", "offer", "survey")
    ]
    client = client_for(recruiter)
    counts = []
    for page in base:
        with django_assert_max_num_queries(20) as small:
            response = client.get(page)
        assert response.status_code == 200
        if "records" in page:
            assert 'data-testid="record"' in response.content.decode(), page
        counts.append(len(small.captured_queries))

    build(workspace, recruiters, managers, 1000, applications=(1, 3), now=NOW, seed=2)
    assert workspace.requisitions.count() == 1010
    for page, count in zip(base, counts, strict=True):
        with django_assert_max_num_queries(count):
            response = client.get(page)
        assert response.status_code == 200
    # Something was counted at that size: the records page lists the filled requisitions.
    records = client.get(base[5]).content.decode()
    assert records.count('data-testid="record"') > 100
