"""Every figure against values worked out by hand from the history in conftest.py."""

from dataclasses import replace
from datetime import date, datetime

import pytest

from accord.analytics.figures import (
    TOTAL,
    Cell,
    analytics_for,
    default_filters,
    period_key,
    periods_between,
)
from accord.nudges.models import Commitment, CommitmentKind
from accord.partnerships.models import Hire
from accord.pipeline.models import Category, Stage, StageMove
from tests.analytics.conftest import RANGE, Dataset, at, pk


def figures(cell: Cell) -> dict[str, object]:
    return {
        "filled": cell.filled,
        "median_days": cell.median_days_to_fill,
        "median_planned": cell.median_planned_days,
        "on_plan": (cell.on_plan, cell.with_plan),
        "feedback": cell.feedback_done,
        "turnaround": cell.median_turnaround_days,
        "on_time": (cell.on_time, cell.feedback_done),
        "submit": (cell.reached_interview, len(cell.submitted)),
        "interview": (cell.reached_offer, len(cell.interviewed)),
        "offers": (cell.accepted, cell.declined, cell.offers_open),
        "surveys": cell.surveys,
        "process": cell.mean_process_rating,
        "hire": cell.mean_hire_rating,
    }


def test_everyone_over_the_range(dataset: Dataset) -> None:
    cell = analytics_for(dataset.workspace, RANGE).cell(TOTAL, TOTAL)
    assert figures(cell) == {
        # Q1 40, Q2 30, Q4 20 days (Q5 was filled in December) → median 30.
        "filled": 3,
        "median_days": 30.0,
        # Plans: Q1 35, Q2 42 (Q4 has no offer milestone) → median 38.5.
        "median_planned": 38.5,
        # Q1 took 40 > 35: over; Q2 30 <= 42: on plan → 1 of 2.
        "on_plan": (1, 2),
        # C1 1 day, C2 5, C3 2, C4 3 (C5 cancelled, C6 open) → median of 1, 2, 3, 5 = 2.5.
        "feedback": 4,
        "turnaround": 2.5,
        # C1 and C3 on time (C3 exactly at the due time), C2 and C4 late → 2 of 4.
        "on_time": (2, 4),
        # First submitted in range: A1, A2, A3, A4, A5 (A6 in December, A7 in April);
        # A1, A3, A4 reached an interview → 3 of 5.
        "submit": (3, 5),
        # First interviewed in range: A1, A3, A4, A6; A1, A4, A6 had an offer → 3 of 4.
        "interview": (3, 4),
        # Offers in range: A1 hired, A4 withdrew, A6 still open → 1 accepted of 2 decided.
        "offers": (1, 1, 1),
        # S1 and S2 (S3 unanswered): process (4 + 2) / 2 = 3; hire only S1 rated: 5.
        "surveys": 2,
        "process": 3.0,
        "hire": 5.0,
    }
    assert cell.on_plan_share == 0.5
    assert cell.on_time_share == 0.5
    assert cell.submit_to_interview == 0.6
    assert cell.interview_to_offer == 0.75
    assert cell.acceptance == 0.5


def test_everyone_by_month(dataset: Dataset) -> None:
    analytics = analytics_for(dataset.workspace, RANGE)
    assert analytics.periods == ["2026-01", "2026-02", "2026-03"]
    jan, feb, mar = (figures(analytics.cell(TOTAL, p)) for p in analytics.periods)
    assert jan == {
        "filled": 0,
        "median_days": None,
        "median_planned": None,
        "on_plan": (0, 0),
        # C1 1 day on time, C2 5 days late → median 3, 1 of 2.
        "feedback": 2,
        "turnaround": 3.0,
        "on_time": (1, 2),
        # A1 reached an interview, A2 didn't → 1 of 2.
        "submit": (1, 2),
        # A1 and A6 first interviewed in January, both had offers → 2 of 2.
        "interview": (2, 2),
        "offers": (0, 0, 0),
        "surveys": 0,
        "process": None,
        "hire": None,
    }
    assert feb == {
        # Q1: 40 days against 35 planned.
        "filled": 1,
        "median_days": 40.0,
        "median_planned": 35.0,
        "on_plan": (0, 1),
        # C3: 2 days, on time.
        "feedback": 1,
        "turnaround": 2.0,
        "on_time": (1, 1),
        # A3 (submitted 3 Feb, reviewed 4 Feb: first submission counts) and A4, both
        # interviewed → 2 of 2.
        "submit": (2, 2),
        # A3 interviewed 10 Feb, rejected → 0 of 1.
        "interview": (0, 1),
        # A1's offer on 5 Feb, hired.
        "offers": (1, 0, 0),
        "surveys": 0,
        "process": None,
        "hire": None,
    }
    assert mar == {
        # Q2 filled at 02:00 UTC on 1 April, which is 31 March in New York; Q4 in March:
        # days 30 and 20 → median 25; only Q2 has a plan (42), and is on it.
        "filled": 2,
        "median_days": 25.0,
        "median_planned": 42.0,
        "on_plan": (1, 1),
        # C4 3 days late.
        "feedback": 1,
        "turnaround": 3.0,
        "on_time": (0, 1),
        # A5 reviewed 5 Mar, no interview → 0 of 1.
        "submit": (0, 1),
        # A4 interviewed 2 Mar, offer 10 Mar → 1 of 1.
        "interview": (1, 1),
        # A4 withdrew after the offer; A6 still open.
        "offers": (0, 1, 1),
        "surveys": 2,
        "process": 3.0,
        "hire": 5.0,
    }


def test_per_manager(dataset: Dataset) -> None:
    analytics = analytics_for(dataset.workspace, replace(RANGE, by="manager"))
    assert {g.key for g in analytics.groups} == {pk(dataset.m1), pk(dataset.m2)}
    # M1 manages Q1 and Q2 (and Q5, out of range).
    assert figures(analytics.cell(pk(dataset.m1), TOTAL)) == {
        "filled": 2,  # Q1 40, Q2 30 → median 35
        "median_days": 35.0,
        "median_planned": 38.5,  # 35 and 42
        "on_plan": (1, 2),  # Q2 on plan, Q1 over
        # Feedback M1 owed: C1 1 day, C3 2 days → median 1.5, both on time (C2 is the
        # interviewer's scorecard: it counts for no manager).
        "feedback": 2,
        "turnaround": 1.5,
        "on_time": (2, 2),
        "submit": (2, 3),  # A1, A2, A3 on Q2; A1 and A3 interviewed
        "interview": (1, 2),  # A1 (offer), A3 (no offer)
        "offers": (1, 0, 0),  # A1 hired
        # M1's own answer only: S1 (process 4, hire 5); S2 is M2's, though about Q2's hire too.
        "surveys": 1,
        "process": 4.0,
        "hire": 5.0,
    }
    # M2 manages Q2, Q3 and Q4.
    assert figures(analytics.cell(pk(dataset.m2), TOTAL)) == {
        "filled": 2,  # Q2 30, Q4 20 → median 25
        "median_days": 25.0,
        "median_planned": 42.0,  # Q2 only
        "on_plan": (1, 1),
        # Feedback M2 owed: C4 3 days, late (C3 on Q2 was M1's to give).
        "feedback": 1,
        "turnaround": 3.0,
        "on_time": (0, 1),
        "submit": (3, 5),  # A1–A5
        "interview": (3, 4),  # A1, A3, A4, A6
        "offers": (1, 1, 1),
        # M2's own answer only: S2 (process 2, hire not rated).
        "surveys": 1,
        "process": 2.0,
        "hire": None,
    }
    # M1 in February: Q1 filled (40 vs 35), C3 on time, A3 and no A4 (Q3 isn't M1's).
    feb = analytics.cell(pk(dataset.m1), "2026-02")
    assert (feb.filled, feb.on_plan, feb.with_plan) == (1, 0, 1)
    assert (feb.reached_interview, len(feb.submitted)) == (1, 1)
    assert sorted(feb.ids("submit")) == [dataset.apps["A3"].pk]
    c, s = dataset.commitments, dataset.surveys
    m1 = analytics.cell(pk(dataset.m1), TOTAL)
    m2 = analytics.cell(pk(dataset.m2), TOTAL)
    assert sorted(m1.ids("feedback")) == sorted([c["C1"].pk, c["C3"].pk])
    assert m2.ids("feedback") == [c["C4"].pk]
    assert (m1.ids("survey"), m2.ids("survey")) == ([s["S1"].pk], [s["S2"].pk])


def test_per_manager_feedback_only_from_the_requisitions_managers(dataset: Dataset) -> None:
    # M2 answers a review on Q1, which only M1 manages (say M2 stood in): it counts for
    # everyone, Q1's recruiter and team, but for no manager.
    stand_in = Commitment.objects.create(
        workspace=dataset.workspace,
        requisition=dataset.reqs["Q1"],
        kind=CommitmentKind.REVIEW,
        owner=dataset.m2,
        started_at=at(1, 12),
        due_at=at(1, 14),
        done_at=at(1, 13),
    )
    per_manager = analytics_for(dataset.workspace, replace(RANGE, by="manager"))
    assert stand_in.pk not in per_manager.cell(pk(dataset.m1), TOTAL).ids("feedback")
    assert stand_in.pk not in per_manager.cell(pk(dataset.m2), TOTAL).ids("feedback")
    everyone = analytics_for(dataset.workspace, RANGE).cell(TOTAL, TOTAL)
    assert stand_in.pk in everyone.ids("feedback")
    per_recruiter = analytics_for(dataset.workspace, replace(RANGE, by="recruiter"))
    assert stand_in.pk in per_recruiter.cell(pk(dataset.r1), TOTAL).ids("feedback")


def test_per_recruiter(dataset: Dataset) -> None:
    analytics = analytics_for(dataset.workspace, replace(RANGE, by="recruiter"))
    assert {g.key for g in analytics.groups} == {pk(dataset.r1), pk(dataset.r2)}
    # R1 recruits Q1 and Q3.
    assert figures(analytics.cell(pk(dataset.r1), TOTAL)) == {
        "filled": 1,  # Q1
        "median_days": 40.0,
        "median_planned": 35.0,
        "on_plan": (0, 1),
        "feedback": 3,  # C1 1, C2 5, C4 3 → median 3; only C1 on time
        "turnaround": 3.0,
        "on_time": (1, 3),
        "submit": (1, 2),  # A4 yes, A5 no
        "interview": (2, 2),  # A4, A6 both had offers
        "offers": (0, 1, 1),  # A4 withdrew, A6 open → no decided offer accepted
        "surveys": 0,
        "process": None,
        "hire": None,
    }
    # R2 recruits Q2 and Q4.
    assert figures(analytics.cell(pk(dataset.r2), TOTAL)) == {
        "filled": 2,
        "median_days": 25.0,
        "median_planned": 42.0,
        "on_plan": (1, 1),
        "feedback": 1,
        "turnaround": 2.0,
        "on_time": (1, 1),
        "submit": (2, 3),
        "interview": (1, 2),
        "offers": (1, 0, 0),
        "surveys": 2,
        "process": 3.0,
        "hire": 5.0,
    }
    assert analytics.cell(pk(dataset.r1), TOTAL).acceptance == 0.0


def test_per_team(dataset: Dataset) -> None:
    analytics = analytics_for(dataset.workspace, replace(RANGE, by="team", grain="quarter"))
    assert analytics.periods == ["2026-Q1"]
    # Named teams alphabetically, then requisitions without a team.
    assert [(g.key, g.label) for g in analytics.groups] == [
        ("Data", "Data"),
        ("Platform", "Platform"),
        ("", "No team"),
    ]
    platform = analytics.cell("Platform", "2026-Q1")  # Q1 and Q2
    assert figures(platform) == {
        "filled": 2,
        "median_days": 35.0,
        "median_planned": 38.5,
        "on_plan": (1, 2),
        "feedback": 3,
        "turnaround": 2.0,
        "on_time": (2, 3),
        "submit": (2, 3),
        "interview": (1, 2),
        "offers": (1, 0, 0),
        "surveys": 2,
        "process": 3.0,
        "hire": 5.0,
    }
    data = analytics.cell("Data", TOTAL)  # Q3: nothing filled
    assert (data.filled, data.feedback_done, data.on_time) == (0, 1, 0)
    assert (data.reached_interview, len(data.submitted)) == (1, 2)
    assert (data.reached_offer, len(data.interviewed)) == (2, 2)
    no_team = analytics.cell("", TOTAL)  # Q4: filled in 20 days without a plan
    assert (no_team.filled, no_team.median_days_to_fill, no_team.with_plan) == (1, 20.0, 0)
    assert no_team.on_plan_share is None


def test_the_records_behind_each_figure(dataset: Dataset) -> None:
    cell = analytics_for(dataset.workspace, RANGE).cell(TOTAL, TOTAL)
    reqs, c, a, s = dataset.reqs, dataset.commitments, dataset.apps, dataset.surveys
    assert sorted(cell.ids("fill")) == sorted(reqs[k].pk for k in ("Q1", "Q2", "Q4"))
    assert sorted(cell.ids("feedback")) == sorted(c[k].pk for k in ("C1", "C2", "C3", "C4"))
    assert sorted(cell.ids("submit")) == sorted(a[k].pk for k in ("A1", "A2", "A3", "A4", "A5"))
    assert sorted(cell.ids("interview")) == sorted(a[k].pk for k in ("A1", "A3", "A4", "A6"))
    assert sorted(cell.ids("offer")) == sorted(a[k].pk for k in ("A1", "A4", "A6"))
    assert sorted(cell.ids("survey")) == sorted(s[k].pk for k in ("S1", "S2"))


def _move(dataset: Dataset, app: str, category: str, when: datetime) -> None:
    """Move an application of the dataset into its requisition's stage of `category`."""
    application = dataset.apps[app]
    stage = Stage.objects.get_or_create(
        requisition=application.requisition,
        category=category,
        defaults={"name": Category(category).label, "position": 9},
    )[0]
    StageMove.objects.create(
        application=application, from_stage=application.stage, to_stage=stage, at=when
    )
    application.stage = stage
    application.stage_entered_at = when
    application.save(update_fields=["stage", "stage_entered_at"])


@pytest.mark.parametrize(
    ("category", "offers"),
    [
        # A1 moved from Hired back to Offer (the hire cancelled): open again, so A1, A6 open
        # and A4 declined → none of 1 decided accepted.
        (Category.OFFER, (0, 1, 2)),
        # A1 moved from Hired to Withdrawn: declined with A4; A6 open.
        (Category.WITHDRAWN, (0, 2, 1)),
    ],
)
def test_an_offer_moved_out_of_hired_is_no_longer_accepted(
    dataset: Dataset, category: str, offers: tuple[int, int, int]
) -> None:
    _move(dataset, "A1", category, at(3, 2))
    Hire.objects.filter(application=dataset.apps["A1"]).update(cancelled_at=at(3, 2))
    cell = analytics_for(dataset.workspace, RANGE).cell(TOTAL, TOTAL)
    assert (cell.accepted, cell.declined, cell.offers_open) == offers
    assert cell.acceptance == 0.0
    # Conversion counts stages ever reached: A1 did reach an interview and an offer.
    assert (cell.reached_interview, len(cell.submitted)) == (3, 5)
    assert (cell.reached_offer, len(cell.interviewed)) == (3, 4)


def test_a_range_with_nothing_in_it(dataset: Dataset) -> None:
    analytics = analytics_for(
        dataset.workspace, replace(RANGE, start=date(2024, 1, 1), end=date(2024, 2, 29))
    )
    assert analytics.is_empty
    assert analytics.cell(TOTAL, TOTAL).is_empty


@pytest.mark.django_db
def test_the_queries_do_not_grow(dataset: Dataset, django_assert_num_queries: object) -> None:
    # Eight queries for any data: requisitions, their managers, members, filled requisitions,
    # plans, commitments, stage moves, surveys.
    with django_assert_num_queries(8):  # type: ignore[operator]
        analytics_for(dataset.workspace, replace(RANGE, by="manager"))


def test_periods() -> None:
    assert period_key(date(2026, 11, 30), "quarter") == "2026-Q4"
    assert periods_between(date(2025, 11, 15), date(2026, 2, 1), "month") == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert periods_between(date(2025, 11, 15), date(2026, 4, 1), "quarter") == [
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
    ]
    # The last twelve months, this one included.
    assert default_filters(date(2026, 6, 15)).start == date(2025, 7, 1)
    assert default_filters(date(2026, 12, 3)).start == date(2026, 1, 1)
