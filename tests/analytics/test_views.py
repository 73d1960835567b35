"""The analytics page, its CSV and the records behind each figure."""

import csv
import io
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.workspaces.models import Member
from conftest import client_for
from tests.analytics.conftest import Dataset, build_dataset, pk

RANGE = {"start": "2026-01-01", "end": "2026-03-31"}


def url(name: str, dataset: Dataset, **params: str) -> str:
    return reverse(name, args=[dataset.workspace.slug]) + "?" + urlencode({**RANGE, **params})


@pytest.mark.parametrize("name", ["analytics:index", "analytics:export", "analytics:records"])
def test_recruiting_team_only(
    name: str,
    dataset: Dataset,
    admin: Member,
    interviewer: Member,
    outsider: Member,
) -> None:
    target = url(name, dataset, figure="fill", group="all", period="all")
    assert client_for(admin).get(target).status_code == 200
    assert client_for(dataset.r1).get(target).status_code == 200
    assert client_for(dataset.m1).get(target).status_code == 403
    assert client_for(interviewer).get(target).status_code == 403
    assert client_for(outsider).get(target).status_code == 404
    assert client_for(dataset.r1).post(target).status_code == 405


def test_page_shows_every_figure_linked_to_its_records(dataset: Dataset) -> None:
    response = client_for(dataset.r1).get(url("analytics:index", dataset))
    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(r'<tr data-testid="analytics-row".*?</tr>', page, re.S)
    # January, February, March and the total.
    assert len(rows) == 4
    total = rows[-1]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td.*?</td>", total, re.S)]
    assert cells == [
        "3",  # filled
        "30",  # median days to fill
        "38.5",  # median planned
        "1 of 2 · 50%",  # on plan
        "4",  # feedback answered
        "2.5",  # median turnaround
        "2 of 4 · 50%",  # on time
        "3 of 5 · 60%",  # submitted → interview
        "3 of 4 · 75%",  # interview → offer
        "1 of 2 · 50% (1 open)",  # offers accepted
        "2",  # surveys
        "3",  # process rating
        "5",  # hire rating
    ]
    assert "figure=submit&amp;group=all&amp;period=all" in total
    for name in ("time_to_fill", "feedback", "conversion"):
        assert f'data-testid="chart-{name}"' in page
    assert "How these are counted" in page
    assert "offer milestone" in page


def test_page_per_manager_totals_then_one_managers_quarters(dataset: Dataset) -> None:
    client = client_for(dataset.r1)
    page = client.get(url("analytics:index", dataset, by="manager", grain="quarter"))
    shown = page.content.decode()
    # One total row per manager, each name opening that manager's periods.
    assert shown.count('data-testid="analytics-row"') == 2
    assert f'data-group="{pk(dataset.m1)}" data-period="all"' in shown
    assert "Hugo Manager" in shown
    assert "Mo Two" in shown
    assert f"group={pk(dataset.m1)}" in shown
    one = client.get(
        url("analytics:index", dataset, by="manager", grain="quarter", group=pk(dataset.m1))
    )
    shown = one.content.decode()
    assert shown.count('data-testid="analytics-row"') == 2  # Q1 2026 and the total
    assert f'data-group="{pk(dataset.m1)}" data-period="2026-Q1"' in shown
    assert "Mo Two" not in shown
    # The CSV of that view: the same two rows.
    export = client.get(
        url("analytics:export", dataset, by="manager", grain="quarter", group=pk(dataset.m1))
    )
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [(r["group"], r["period"], r["filled"]) for r in rows] == [
        ("Hugo Manager", "2026-Q1", "2"),  # Q1 (Feb) and Q2 (31 Mar in New York)
        ("Hugo Manager", "all", "2"),
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-13-01"}, "Enter a valid date"),
        ({"start": "2026-04-01", "end": "2026-03-01"}, "on or before the end date"),
        ({"start": "2015-01-01"}, "five years or less"),
        ({"by": "planet"}, "Select a valid choice"),
        ({"grain": "week"}, "Select a valid choice"),
    ],
)
def test_bad_filters_say_what_is_wrong(
    dataset: Dataset, params: dict[str, str], message: str
) -> None:
    client = client_for(dataset.r1)
    response = client.get(url("analytics:index", dataset, **params))
    assert response.status_code == 400
    assert message in response.content.decode()
    export = client.get(url("analytics:export", dataset, **params))
    assert export.status_code == 400
    assert message in export.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        # Midnight on 1 January of year 1 in Paris is before the first moment Python can hold in
        # UTC; the day after 31 December 9999 doesn't exist.
        ({"start": "0001-01-01", "end": "0001-01-02"}, "Choose dates from 2000-01-01"),
        ({"start": "9999-12-01", "end": "9999-12-31"}, "Choose dates from 2000-01-01"),
        ({"start": "1999-12-31"}, "Choose dates from 2000-01-01"),
        ({"end": "9999-12-31"}, "Choose dates from 2000-01-01"),
    ],
)
@pytest.mark.parametrize("name", ["analytics:index", "analytics:export", "analytics:records"])
def test_dates_out_of_bounds_are_refused(
    dataset: Dataset, name: str, params: dict[str, str], message: str
) -> None:
    dataset.workspace.time_zone = "Europe/Paris"
    dataset.workspace.save(update_fields=["time_zone"])
    target = url(name, dataset, figure="fill", group="all", period="all", **params)
    response = client_for(dataset.r1).get(target)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_dates_up_to_a_year_ahead_are_accepted(dataset: Dataset) -> None:
    today = timezone.now().date()
    ahead = (today + timedelta(days=360)).isoformat()
    response = client_for(dataset.r1).get(
        url("analytics:index", dataset, start=today.isoformat(), end=ahead)
    )
    assert response.status_code == 200


def test_no_data_says_what_to_do_next(recruiter: Member) -> None:
    response = client_for(recruiter).get(
        reverse("analytics:index", args=[recruiter.workspace.slug])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="analytics-empty"' in page
    assert "Go to requisitions" in page


def test_csv_is_the_table(dataset: Dataset) -> None:
    response = client_for(dataset.r1).get(url("analytics:export", dataset, by="team"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    keyed = {(r["group"], r["period"]): r for r in rows}
    # Data: Feb (A4 submitted), Mar (A5, C4, A4's interview and offer), total; Platform: Jan,
    # Feb, Mar, total; no team: Mar (Q4), total.
    assert list(keyed) == [
        ("Data", "2026-01"),  # A6's first interview, 15 Jan
        ("Data", "2026-02"),
        ("Data", "2026-03"),
        ("Data", "all"),
        ("Platform", "2026-01"),
        ("Platform", "2026-02"),
        ("Platform", "2026-03"),
        ("Platform", "all"),
        ("No team", "2026-03"),
        ("No team", "all"),
    ]
    platform = keyed[("Platform", "all")]
    assert {k: platform[k] for k in list(platform)[2:]} == {
        "filled": "2",
        "median_days_to_fill": "35",
        "filled_with_plan": "2",
        "median_planned_days": "38.5",
        "filled_on_plan": "1",
        "on_plan_share": "0.5",
        "feedback_done": "3",
        "median_turnaround_days": "2",
        "feedback_on_time": "2",
        "on_time_share": "0.6667",
        "submitted": "3",
        "reached_interview": "2",
        "submit_to_interview": "0.6667",
        "interviewed": "2",
        "reached_offer": "1",
        "interview_to_offer": "0.5",
        "offers": "1",
        "offers_accepted": "1",
        "offers_declined": "0",
        "offers_open": "0",
        "acceptance": "1",
        "surveys": "2",
        "mean_process_rating": "3",
        "mean_hire_rating": "5",
    }
    no_team = keyed[("No team", "all")]
    # Q4 filled in 20 days without a plan: no planned days, no on-plan share.
    assert (no_team["filled"], no_team["median_days_to_fill"]) == ("1", "20")
    assert (no_team["median_planned_days"], no_team["on_plan_share"]) == ("", "")


def test_csv_neutralises_formulas(dataset: Dataset) -> None:
    dataset.reqs["Q1"].team = "=HYPERLINK(1)"
    dataset.reqs["Q1"].save(update_fields=["team"])
    content = client_for(dataset.r1).get(url("analytics:export", dataset, by="team")).content
    assert b"'=HYPERLINK(1)" in content
    assert b"\n=HYPERLINK" not in content


def _records(client, dataset: Dataset, **params: str) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    response = client.get(url("analytics:records", dataset, **params))
    page = response.content.decode()
    titles = re.findall(r'data-testid="record">\s*<div[^>]*><a href="[^"]*"[^>]*>([^<]*)</a>', page)
    return response.status_code, sorted(titles)


def test_records_are_exactly_those_counted(dataset: Dataset) -> None:
    client = client_for(dataset.r1)
    everyone = {"group": "all", "period": "all"}
    assert _records(client, dataset, figure="fill", **everyone) == (
        200,
        ["Backend", "Frontend", "Sales"],
    )
    assert _records(client, dataset, figure="submit", **everyone) == (
        200,
        ["Ada One", "Ben Two", "Cy Three", "Di Four", "Ed Five"],
    )
    assert _records(client, dataset, figure="interview", **everyone) == (
        200,
        ["Ada One", "Cy Three", "Di Four", "Flo Six"],
    )
    assert _records(client, dataset, figure="offer", **everyone) == (
        200,
        ["Ada One", "Di Four", "Flo Six"],
    )
    status, feedback = _records(client, dataset, figure="feedback", **everyone)
    assert (status, len(feedback)) == (200, 4)
    assert _records(client, dataset, figure="survey", **everyone) == (200, ["Ada One", "Ada One"])
    # M1 in February: Q1 filled; A3 submitted (Q3's A4 isn't M1's).
    m1_feb = {"by": "manager", "group": pk(dataset.m1), "period": "2026-02"}
    assert _records(client, dataset, figure="fill", **m1_feb) == (200, ["Backend"])
    assert _records(client, dataset, figure="submit", **m1_feb) == (200, ["Cy Three"])
    # M1 over the range: the survey M1 answered (not M2's), the feedback M1 owed (C1, C3).
    m1_all = {"by": "manager", "group": pk(dataset.m1), "period": "all"}
    surveys = client.get(url("analytics:records", dataset, figure="survey", **m1_all))
    shown = surveys.content.decode()
    assert shown.count('data-testid="record"') == 1
    assert "by Hugo Manager" in shown
    assert "by Mo Two" not in shown
    status, feedback = _records(client, dataset, figure="feedback", **m1_all)
    assert (status, len(feedback)) == (200, 2)
    page = client.get(url("analytics:records", dataset, figure="fill", **m1_feb)).content.decode()
    assert (
        reverse("requisitions:detail", args=[dataset.workspace.slug, dataset.reqs["Q1"].public_id])
        in page
    )
    assert "40 days to fill · planned 35 days · over plan" in page
    # A survey opens its hire's page.
    surveys = client.get(url("analytics:records", dataset, figure="survey", **everyone))
    hire = dataset.surveys["S1"].hire
    assert reverse("surveys:hire", args=[dataset.workspace.slug, hire.public_id]) in (
        surveys.content.decode()
    )


def test_records_with_a_bad_link_say_so(dataset: Dataset) -> None:
    client = client_for(dataset.r1)
    for params in (
        {"figure": "salary", "group": "all", "period": "all"},
        {"figure": "fill", "group": "all", "period": "last week"},
        {"figure": "fill", "group": "all", "period": "all", "start": "yesterday"},
    ):
        response = client.get(url("analytics:records", dataset, **params))
        assert response.status_code == 400
        assert 'data-testid="records-error"' in response.content.decode()


def test_page_and_csv_in_bounded_queries(
    recruiter: Member,
    hiring_manager: Member,
    interviewer: Member,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    dataset = build_dataset(recruiter, hiring_manager, interviewer)
    client = client_for(recruiter)
    pages = [
        url("analytics:index", dataset, by="manager"),
        url("analytics:export", dataset, by="manager"),
        url("analytics:records", dataset, figure="submit", group="all", period="all"),
    ]
    counts = []
    for page in pages:
        with django_assert_max_num_queries(20) as few:
            assert client.get(page).status_code == 200
        counts.append(len(few.captured_queries))
    # Three times the history (and four more managers): the same queries.
    build_dataset(recruiter, hiring_manager, interviewer)
    build_dataset(recruiter, hiring_manager, interviewer)
    for page, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(page).status_code == 200
