"""Relationship health against figures computed by hand from tests/partnerships/conftest.py."""

from datetime import UTC

import pytest

from accord.partnerships.selectors import health_for, outside_brief_reasons, quarter_starts
from accord.workspaces.models import Member, Role
from tests.factories import MemberFactory
from tests.partnerships.conftest import NOW, build_dataset

pytestmark = pytest.mark.django_db


def test_quarters_are_the_last_four_calendar_quarters() -> None:
    starts = quarter_starts(NOW, UTC)
    assert [(s.year, s.month) for s in starts] == [(2025, 7), (2025, 10), (2026, 1), (2026, 4)]


def test_health_figures_match_the_hand_computed_ones(
    recruiter: Member, hiring_manager: Member
) -> None:
    data = build_dataset(recruiter, hiring_manager)
    health = health_for([hiring_manager.pk], NOW, UTC)[hiring_manager.pk]

    # Responsiveness: 4 settled (3 done + 1 overdue), 2 on time; turnarounds 24h, 96h, 36h
    # (median 36h) against 48h agreed each time.
    r = health.responsiveness
    assert (r.count, r.on_time, r.on_time_share) == (4, 2, 50)
    assert r.median_hours == 36.0
    assert r.agreed_hours == 48.0
    assert r.median_label == "36 hours"
    # Alignment: 4 decisions in the period, 2 advanced, 2 outside the brief.
    a = health.alignment
    assert (a.reviewed, a.advanced, a.outside) == (4, 2, 2)
    assert (a.advanced_share, a.outside_share) == (50, 50)
    # Satisfaction: two answered surveys, process (4 + 2) / 2, hire (5 + 3) / 2.
    s = health.satisfaction
    assert (s.answered, s.process_mean, s.hire_mean) == (2, 3.0, 4.0)
    assert [str(c) for c in health.concerns] == ["often late", "decides outside the brief"]

    # The trend, oldest quarter first.
    q = health.quarters
    assert [x.label for x in q] == ["Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026"]
    assert [x.responsiveness.count for x in q] == [0, 0, 1, 3]
    assert [x.responsiveness.on_time for x in q] == [0, 0, 1, 1]
    assert q[3].responsiveness.on_time_share == 33
    assert q[3].responsiveness.median_hours == 60.0  # 24h and 96h
    assert [x.alignment.reviewed for x in q] == [0, 1, 1, 2]
    assert [x.alignment.advanced for x in q] == [0, 0, 1, 1]
    assert [x.alignment.outside for x in q] == [0, 1, 0, 1]
    assert [x.satisfaction.process_mean for x in q] == [None, 2.0, None, 4.0]

    # The evidence: what each requisition contributes.
    by_title = {part.title: part for part in health.requisitions.values()}
    assert set(by_title) == {"Backend Engineer", "Data Engineer"}
    backend, data_eng = by_title["Backend Engineer"], by_title["Data Engineer"]
    assert (backend.commitments.count, backend.commitments.on_time) == (2, 1)
    assert (data_eng.commitments.count, data_eng.commitments.on_time) == (2, 1)
    assert (backend.alignment.reviewed, backend.alignment.advanced) == (2, 1)
    assert backend.public_id == data.r1.public_id

    reasons = outside_brief_reasons(hiring_manager, NOW, UTC)
    assert [o.review.pk for o in reasons] == [data.outside[0].pk, data.outside[1].pk]
    assert reasons[0].reasons == ["Compensation"]
    assert reasons[1].review.note == "Not a culture fit"


def test_health_for_many_managers_in_three_queries(
    recruiter: Member, hiring_manager: Member, django_assert_num_queries
) -> None:
    build_dataset(recruiter, hiring_manager)
    others = [
        MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER) for _i in range(5)
    ]
    for other in others[:2]:
        build_dataset(recruiter, other)
    ids = [hiring_manager.pk, *(o.pk for o in others)]
    with django_assert_num_queries(3):
        health = health_for(ids, NOW, UTC)
    assert health[others[0].pk].responsiveness.count == 4
    assert not health[others[4].pk].has_data
    assert health[others[4].pk].responsiveness.on_time_share is None
