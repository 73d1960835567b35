"""The plan: title families, expected time to fill from the workspace's history, milestones."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accord.requisitions.models import Level, MilestoneKind, Owner, Requisition, Status
from accord.requisitions.plan import (
    MIN_SAMPLE,
    RECENT_SAMPLE,
    Estimate,
    business_days_after,
    default_milestones,
    estimate_from_history,
    expected_time_to_fill,
    title_family,
)
from accord.workspaces.models import Member
from tests.factories import MemberFactory, RequisitionFactory

# --- title families --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("Senior Backend Engineer (Payments)", "backend engineer"),
        ("Sr. Data Scientist II", "data scientist"),
        ("Backend Engineer", "backend engineer"),
        ("  BACKEND   engineer ", "backend engineer"),
        ("Junior Product Designer", "product designer"),
        ("Jr Product Designer", "product designer"),
        ("Lead Software Engineer", "software engineer"),
        ("Staff Software Engineer, Platform", "software engineer platform"),
        ("Principal Engineer [Remote]", "engineer"),
        ("Head of Marketing", "marketing"),
        ("Head Marketing", "marketing"),
        ("Director of Marketing", "director of marketing"),
        ("Software Engineer III", "software engineer"),
        ("Support Engineer I", "support engineer"),
        ("Support Engineer IV", "support engineer"),
        ("Software Engineer 2", "software engineer"),
        ("Software Engineer - Level 3", "software engineer"),
        ("Software Engineer L4", "software engineer"),
        ("Mid-level QA Analyst", "qa analyst"),
        ("Data_Engineer!", "data engineer"),
        ("Développeuse Senior", "développeuse"),
        ("Senior", ""),
        ("", ""),
    ],
)
def test_title_family(title: str, family: str) -> None:
    assert title_family(title) == family


# --- expected time to fill -------------------------------------------------------------------


def filled(
    recruiter: Member, days: int, *, ago: int = 1, status: str = Status.FILLED, **fields: object
) -> Requisition:
    closed = timezone.now() - timedelta(days=ago)
    return RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        status=status,
        opened_at=closed - timedelta(days=days),
        closed_at=closed,
        days_to_fill=days,
        **fields,
    )


def role(recruiter: Member, **fields: object) -> Requisition:
    return RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, status=Status.OPEN, **fields
    )


@pytest.mark.django_db
def test_no_history_gives_the_documented_default(recruiter: Member) -> None:
    estimate = expected_time_to_fill(role(recruiter))

    assert estimate == Estimate(
        days=44,
        basis=(
            "No filled roles like this one yet: 44 days, the average time to fill reported by "
            "SHRM (36–44 days). It will use your own history once similar roles are filled."
        ),
        sample_size=0,
        is_default=True,
    )


@pytest.mark.django_db
def test_default_follows_the_setting_and_says_so(recruiter: Member, settings) -> None:
    settings.EXPECTED_TIME_TO_FILL_DEFAULT_DAYS = 60

    estimate = expected_time_to_fill(role(recruiter))

    assert estimate.days == 60
    assert estimate.is_default
    assert "SHRM" not in estimate.basis
    assert estimate.basis.startswith(
        "No filled roles like this one yet: 60 days, the default set for this installation."
    )


@pytest.mark.django_db
def test_too_few_similar_roles_fall_back_to_the_default(recruiter: Member) -> None:
    for days in (10, 12):
        filled(recruiter, days, title="Backend Engineer", team="Platform", level=Level.SENIOR)

    estimate = expected_time_to_fill(
        role(recruiter, title="Senior Backend Engineer", team="Platform", level=Level.SENIOR)
    )

    assert estimate.is_default
    assert estimate.days == 44
    assert estimate.basis.startswith("Only 2 filled roles like this one so far: 44 days")


@pytest.mark.django_db
def test_median_of_the_same_title_family(recruiter: Member) -> None:
    titles = ["Backend Engineer", "Senior Backend Engineer", "Sr. Backend Engineer II"]
    for index, days in enumerate([20, 30, 36, 40, 45, 60]):
        filled(recruiter, days, title=titles[index % 3], team=f"Team {index}")
    # Other families in the same team and level don't count while the family has enough.
    filled(recruiter, 200, title="Data Scientist", team="Payments", level=Level.SENIOR)

    estimate = expected_time_to_fill(
        role(recruiter, title="Backend Engineer (Payments)", team="Payments")
    )

    assert estimate == Estimate(
        days=38,
        basis="Median of 6 similar roles (same title family): 38 days",
        sample_size=6,
        is_default=False,
    )


@pytest.mark.django_db
def test_median_rounds_half_up(recruiter: Member) -> None:
    for days in (10, 11, 12, 13):
        filled(recruiter, days, title="Recruiter")

    assert expected_time_to_fill(role(recruiter, title="Recruiter")).days == 12


@pytest.mark.django_db
def test_falls_back_to_team_and_level(recruiter: Member) -> None:
    for days in (25, 27):
        filled(recruiter, days, title="Backend Engineer", team="Mobile", level=Level.JUNIOR)
    for days in (50, 52, 58):
        filled(recruiter, days, title="iOS Developer", team="Payments", level=Level.SENIOR)
    filled(recruiter, 5, title="Data Analyst", team="Payments", level=Level.JUNIOR)

    estimate = expected_time_to_fill(
        role(recruiter, title="Backend Engineer", team="payments ", level=Level.SENIOR)
    )

    assert estimate.days == 52
    assert estimate.sample_size == 3
    assert estimate.basis == "Median of 3 similar roles (same team and level): 52 days"


@pytest.mark.django_db
def test_falls_back_to_team(recruiter: Member) -> None:
    filled(recruiter, 40, title="Designer", team="Payments", level=Level.JUNIOR)
    filled(recruiter, 44, title="Analyst", team="Payments", level=Level.MID)
    filled(recruiter, 70, title="Marketer", team="Payments", level=Level.DIRECTOR)

    estimate = expected_time_to_fill(
        role(recruiter, title="Backend Engineer", team="Payments", level=Level.SENIOR)
    )

    assert estimate.basis == "Median of 3 similar roles (same team): 44 days"


@pytest.mark.django_db
def test_falls_back_to_level(recruiter: Member) -> None:
    for days, team in ((30, "Mobile"), (33, "Web"), (90, "")):
        filled(recruiter, days, title="Designer", team=team, level=Level.SENIOR)

    estimate = expected_time_to_fill(
        role(recruiter, title="Backend Engineer", team="", level=Level.SENIOR)
    )

    assert estimate.basis == "Median of 3 similar roles (same level): 33 days"


@pytest.mark.django_db
def test_ignores_other_workspaces_unfilled_roles_and_itself(
    recruiter: Member, outsider: Member
) -> None:
    stranger = MemberFactory(workspace=outsider.workspace)
    for days in (1, 2, 3, 4):
        filled(stranger, days, title="Backend Engineer")
    for status in (Status.CANCELLED, Status.OPEN, Status.ON_HOLD):
        filled(recruiter, 5, title="Backend Engineer", status=status)
    filled(recruiter, 80, title="Backend Engineer")
    filled(recruiter, 90, title="Backend Engineer")
    RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        title="Backend Engineer",
        status=Status.FILLED,
        closed_at=timezone.now(),
        days_to_fill=None,
    )
    this_one = filled(recruiter, 7, title="Backend Engineer")

    estimate = expected_time_to_fill(this_one)

    assert estimate.is_default
    assert estimate.basis.startswith("Only 2 filled roles like this one so far")


@pytest.mark.django_db
def test_an_unsaved_requisition_can_be_estimated(recruiter: Member) -> None:
    for days in (10, 20, 30):
        filled(recruiter, days, title="Backend Engineer")
    draft = Requisition(
        workspace=recruiter.workspace, recruiter=recruiter, title="Backend Engineer"
    )

    assert expected_time_to_fill(draft).days == 20


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 200])
def test_one_query_whatever_the_history(
    recruiter: Member, count: int, django_assert_max_num_queries
) -> None:
    titles = ["Backend Engineer", "Data Scientist", "Product Designer", "Account Executive"]
    for index in range(count):
        filled(recruiter, 20 + index % 40, ago=index, title=titles[index % len(titles)])
    requisition = role(recruiter, title="Senior Backend Engineer")

    with django_assert_max_num_queries(1):
        estimate = expected_time_to_fill(requisition)

    assert not estimate.is_default


def test_uses_the_most_recent_roles_of_the_tier() -> None:
    recent = [("Backend Engineer", "Platform", Level.SENIOR, 10)] * RECENT_SAMPLE
    older = [("Backend Engineer", "Platform", Level.SENIOR, 300)] * 20

    estimate = estimate_from_history(
        title="Backend Engineer", team="Platform", level=Level.SENIOR, history=recent + older
    )

    assert estimate.days == 10
    assert estimate.sample_size == RECENT_SAMPLE
    assert estimate.basis == f"Median of {RECENT_SAMPLE} similar roles (same title family): 10 days"


def test_roles_filled_in_no_time_still_give_at_least_a_day() -> None:
    history = [("Recruiter", "", Level.MID, 0)] * 3

    estimate = estimate_from_history(title="Recruiter", team="", level=Level.MID, history=history)

    assert estimate.days == 1
    assert estimate.basis == "Median of 3 similar roles (same title family): 1 day"


TITLES = st.sampled_from(
    ["Backend Engineer", "Senior Backend Engineer", "Data Scientist II", "Head of Sales", "Lead"]
) | st.text(max_size=40)
TEAMS = st.sampled_from(["", "Platform", "platform ", "Sales"])
LEVELS = st.sampled_from(Level.values)
HISTORY = st.lists(
    st.tuples(TITLES, TEAMS, LEVELS, st.none() | st.integers(min_value=0, max_value=2000)),
    max_size=80,
)


@given(title=TITLES, team=TEAMS, level=LEVELS, history=HISTORY)
def test_estimate_is_always_usable(
    title: str, team: str, level: str, history: list[tuple[str, str, str, int | None]]
) -> None:
    estimate = estimate_from_history(title=title, team=team, level=level, history=history)

    assert estimate.days >= 1
    assert estimate.basis.strip()
    if not estimate.is_default:
        known = [days for *_, days in history if days is not None]
        assert MIN_SAMPLE <= estimate.sample_size <= RECENT_SAMPLE
        assert max(1, min(known)) <= estimate.days <= max(1, max(known))


# --- business days and default milestones ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 3, 2), 0, date(2026, 3, 2)),  # Monday, nothing to add
        (date(2026, 3, 2), 2, date(2026, 3, 4)),  # Monday → Wednesday
        (date(2026, 3, 5), 2, date(2026, 3, 9)),  # Thursday → Monday
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday → Monday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday → Monday
        (date(2026, 3, 8), 1, date(2026, 3, 9)),  # Sunday → Monday
        (date(2026, 3, 2), 5, date(2026, 3, 9)),  # a working week
        (date(2026, 3, 2), 10, date(2026, 3, 16)),
    ],
)
def test_business_days_after_skips_weekends(start: date, days: int, expected: date) -> None:
    assert business_days_after(start, days) == expected


def test_business_days_after_refuses_negative_days() -> None:
    with pytest.raises(ValueError, match="negative"):
        business_days_after(date(2026, 3, 2), -1)


def test_default_milestones_for_a_typical_search() -> None:
    plan = default_milestones(start=date(2026, 3, 2), estimate_days=40, target_start=None)

    assert plan == [
        (MilestoneKind.INTAKE_DONE, Owner.RECRUITER, date(2026, 3, 4)),
        (MilestoneKind.SOURCING_STARTED, Owner.RECRUITER, date(2026, 3, 5)),
        (MilestoneKind.FIRST_SHORTLIST, Owner.RECRUITER, date(2026, 3, 12)),  # +10 days
        (MilestoneKind.FIRST_INTERVIEWS, Owner.MANAGER, date(2026, 3, 20)),  # +18 days
        (MilestoneKind.OFFER, Owner.MANAGER, date(2026, 4, 13)),  # +40 = Sat 11th → Monday
        (MilestoneKind.START_DATE, Owner.MANAGER, date(2026, 5, 13)),  # offer + 30 days notice
    ]


def test_start_date_is_the_target_when_it_comes_after_the_offer() -> None:
    plan = default_milestones(
        start=date(2026, 3, 2), estimate_days=40, target_start=date(2026, 6, 1)
    )

    assert plan[-1] == (MilestoneKind.START_DATE, Owner.MANAGER, date(2026, 6, 1))


def test_a_target_before_the_offer_is_replaced_by_offer_plus_notice() -> None:
    plan = default_milestones(
        start=date(2026, 3, 2), estimate_days=40, target_start=date(2026, 3, 20)
    )

    assert plan[-1] == (MilestoneKind.START_DATE, Owner.MANAGER, date(2026, 5, 13))


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    estimate_days=st.integers(min_value=0, max_value=400),
    target_start=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2102, 1, 1)),
)
def test_default_milestones_are_in_order(
    start: date, estimate_days: int, target_start: date | None
) -> None:
    plan = default_milestones(start=start, estimate_days=estimate_days, target_start=target_start)
    dates = [due for _, _, due in plan]

    assert [kind for kind, _, _ in plan] == list(MilestoneKind)
    assert dates == sorted(dates)
    assert dates[0] > start
    assert all(due.weekday() < 5 for due in dates[:-1])
    offer, first_day = dates[-2], dates[-1]
    if target_start is not None and target_start > offer:
        assert first_day == target_start
    else:
        assert first_day >= offer + timedelta(days=30)
