"""Report figures against values worked out by hand from tests/reports/conftest.py's history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.reports.figures import figures_for
from accord.reports.selectors import changes, with_people
from accord.requisitions.models import Requisition
from tests.reports.conftest import NOW, History, build_history, days_ago

pytestmark = pytest.mark.django_db


def figures(history: History, now=NOW) -> dict:
    requisition = with_people(Requisition.objects.filter(pk=history.requisition.pk)).get()
    return figures_for([requisition], now)[requisition.pk]


def by(rows: list[dict], key: str) -> dict:
    return {row[key]: row for row in rows}


def test_funnel_counts_the_furthest_stage_reached_and_who_is_there_now(history: History) -> None:
    funnel = by(figures(history)["funnel"], "label")

    assert [funnel[s]["reached"] for s in funnel] == [5, 4, 3, 2, 2, 1, 1, 0]
    assert {s: row["now"] for s, row in funnel.items() if row["now"]} == {
        "Sourced": 1,
        "Screen": 1,
        "Interview 1": 1,
    }
    assert [funnel[s]["conversion"] for s in funnel] == [0.8, 0.75, 0.67, 1.0, 0.5, 1.0, 0.0, None]


def test_totals(history: History) -> None:
    assert figures(history)["totals"] == {
        "candidates": 5,
        "active": 3,
        "hired": 0,
        "rejected": 1,
        "withdrawn": 1,
    }


def test_this_week_against_the_last(history: History) -> None:
    activity = {row["key"]: (row["now"], row["before"]) for row in figures(history)["activity"]}

    assert activity == {
        "sourced": (1, 1),  # C three days ago; D twelve days ago
        "screened": (0, 3),  # A, B and E left the screen ten days ago
        "submitted": (0, 3),
        "reviewed": (0, 0),
        "interviewed": (1, 1),  # A five days ago, E eight days ago
        "offers": (1, 0),
        "hires": (0, 0),
    }


def test_who_owes_what_with_its_age_against_the_agreed_time(history: History) -> None:
    owed = figures(history)["owed"]

    assert len(owed) == 1
    assert owed[0]["owner"] == "Hugo Manager"
    assert owed[0]["state"] == "overdue"
    assert owed[0]["age_days"] == 3.0
    assert owed[0]["agreed_days"] == 2.0
    assert owed[0]["overdue_days"] == 1.0


def test_timeline_is_late_with_the_milestone_that_made_it_so(history: History) -> None:
    timeline = figures(history)["timeline"]

    assert timeline["state"] == "late"
    assert timeline["reason"] == "Offer was due 14 Jun, 1 day ago, and isn’t done."
    assert [m["state"] for m in timeline["milestones"]] == ["done_late", "done_late", "late"]


def test_risks_each_with_its_evidence(history: History) -> None:
    risks = by(figures(history)["risks"], "code")

    assert set(risks) == {"thin_pipeline", "slow_feedback", "offer_declines", "waiting"}
    assert risks["offer_declines"]["level"] == "high"
    assert (
        "Cand E declined on 14 Jun: Pay expectations don't fit (asked for 150k)"
        in (risks["offer_declines"]["evidence"])
    )
    assert risks["waiting"]["evidence"] == (
        "1 candidate has heard nothing for over 7 days: Cand D, 11 days in Screen."
    )
    assert risks["thin_pipeline"]["level"] == "medium"
    assert risks["thin_pipeline"]["evidence"].startswith(
        "2 live candidates after 20 days for 1 opening"
    )
    assert "1 of 2 answers on time in the last 4 weeks" in risks["slow_feedback"]["evidence"]
    assert (
        "Hugo Manager: Review a shortlist of 0 candidates, overdue by 1.0 days."
        in (risks["slow_feedback"]["evidence"])
    )
    # High risks first.
    assert figures(history)["risks"][0]["level"] == "high"


def test_market_insight_names_declines_and_pay(history: History) -> None:
    market = figures(history)["market"]

    assert market["decline_reasons"] == [["Pay expectations don't fit", 1]] or market[
        "decline_reasons"
    ] == [("Pay expectations don't fit", 1)]
    assert market["offer_declines"] == 1
    assert market["compensation"] == ["Cand E: asked for 150k"]
    assert figures(history)["requisition"]["pay"] == "120,000–140,000 EUR"


def test_turnaround_trend_week_by_week(history: History) -> None:
    turnaround = figures(history)["turnaround"]
    weeks = {row["week"]: row for row in turnaround["weeks"] if row["count"]}

    assert turnaround["agreed_days"] == 2
    # Done 9 days ago (Sat 6 Jun: week of 1 Jun, on time, 1 day) and 5 days ago (Wed 10 Jun:
    # week of 8 Jun, late, 4 days).
    assert weeks == {
        "2026-06-01": {"week": "2026-06-01", "median_days": 1.0, "on_time": 1.0, "count": 1},
        "2026-06-08": {"week": "2026-06-08", "median_days": 4.0, "on_time": 0.0, "count": 1},
    }
    assert (turnaround["recent"], turnaround["recent_on_time"]) == (2, 1)


def test_figures_as_of_an_earlier_moment_show_that_moment(history: History) -> None:
    then = figures(history, now=days_ago(6))

    now_in = {row["label"]: row["now"] for row in then["funnel"] if row["now"]}
    # D at screen, A not yet interviewing, E before the offer; C not sourced yet.
    assert now_in == {"Screen": 1, "Manager review": 1, "Interview 1": 1}
    assert then["totals"]["withdrawn"] == 0
    # The late answer was still owed then, a day overdue; the overdue one wasn't asked yet.
    assert [(row["state"], row["overdue_days"]) for row in then["owed"]] == [("overdue", 1.0)]
    assert then["timeline"]["state"] == "on_track"


def test_what_changed_since_the_last_report(history: History) -> None:
    lines = changes(figures(history, now=days_ago(6)), figures(history))

    assert "Timeline: On track → Late. Offer was due 14 Jun, 1 day ago, and isn’t done." in lines
    assert "Sourced: 0 → 1 candidates" in lines
    assert "Manager review: 1 → 0 candidates" in lines
    assert "New risk: An offer was declined." in lines
    assert "New risk: Candidates waiting too long." in lines
    assert not any(line.startswith("Interview 1") for line in lines)  # one then, one now
    assert changes(None, figures(history)) == []


def test_queries_do_not_grow_with_the_number_of_requisitions(recruiter, hiring_manager) -> None:
    build_history(recruiter, hiring_manager)

    def count() -> int:
        requisitions = list(with_people(Requisition.objects.all()))
        with CaptureQueriesContext(connection) as queries:
            figures_for(requisitions, NOW, timedelta(days=7))
        return len(queries.captured_queries)

    one = count()
    for _ in range(3):
        build_history(recruiter, hiring_manager)
    assert count() == one
