"""Who owes what: pending actions, responsiveness figures, candidates waiting for news, the
message log, and the queries they cost."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.nudges import selectors
from accord.nudges.models import (
    Commitment,
    CommitmentKind,
    Message,
    MessageKind,
    MessageStatus,
    Nudge,
    NudgeKind,
    NudgeStatus,
)
from accord.pipeline.models import Application, Category, Stage
from accord.requisitions.models import Requisition
from accord.reviews.models import Scorecard, Shortlist, ShortlistItem
from accord.workspaces.models import Member, Role
from conftest import client_for
from tests.factories import (
    ApplicationFactory,
    CandidateFactory,
    MemberFactory,
    RequisitionFactory,
    StageFactory,
)

LONDON = ZoneInfo("Europe/London")


# --- building blocks ---------------------------------------------------------------------------


@pytest.fixture
def requisition(recruiter: Member, hiring_manager: Member, interviewer: Member) -> Requisition:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        hiring_managers=[hiring_manager],
        title="Senior Backend Engineer",
    )
    requisition.hiring_team.set([interviewer])
    return requisition


def stage(requisition: Requisition, category: str) -> Stage:
    found = Stage.objects.filter(requisition=requisition, category=category).first()
    return found or StageFactory(requisition=requisition, category=category, name=category)


def application(
    requisition: Requisition, name: str, category: str = Category.SCREEN, **fields: object
) -> Application:
    return ApplicationFactory(
        requisition=requisition,
        stage=stage(requisition, category),
        candidate=CandidateFactory(workspace=requisition.workspace, name=name),
        **fields,
    )


def review(
    requisition: Requisition,
    manager: Member,
    *,
    candidates: int,
    due_at: datetime,
    started_at: datetime | None = None,
    **fields: object,
) -> Commitment:
    """A shortlist of `candidates` sent to `manager`, and the review it owes."""
    shortlist = Shortlist.objects.create(
        workspace=requisition.workspace,
        requisition=requisition,
        manager=manager,
        sent_by=requisition.recruiter,
    )
    for i in range(candidates):
        ShortlistItem.objects.create(
            shortlist=shortlist,
            application=application(requisition, f"Listed {shortlist.pk}-{i}"),
            position=i,
        )
    return Commitment.objects.create(
        workspace=requisition.workspace,
        requisition=requisition,
        kind=CommitmentKind.REVIEW,
        owner=manager,
        shortlist=shortlist,
        started_at=started_at or due_at - timedelta(days=2),
        due_at=due_at,
        basis="2 business days, agreed in the brief",
        **fields,
    )


def scorecard(
    requisition: Requisition,
    interviewer: Member,
    candidate_name: str,
    *,
    due_at: datetime,
    started_at: datetime | None = None,
    **fields: object,
) -> Commitment:
    target = application(requisition, candidate_name, Category.INTERVIEW)
    card = Scorecard.objects.create(
        workspace=requisition.workspace,
        application=target,
        interviewer=interviewer,
        stage=target.stage,
        interview_at=due_at - timedelta(hours=24),
        due_at=due_at,
    )
    return Commitment.objects.create(
        workspace=requisition.workspace,
        requisition=requisition,
        kind=CommitmentKind.SCORECARD,
        owner=interviewer,
        scorecard=card,
        started_at=started_at or due_at - timedelta(hours=24),
        due_at=due_at,
        **fields,
    )


def decision(
    requisition: Requisition, manager: Member, candidate_name: str, *, due_at: datetime
) -> Commitment:
    return Commitment.objects.create(
        workspace=requisition.workspace,
        requisition=requisition,
        kind=CommitmentKind.DECISION,
        owner=manager,
        application=application(requisition, candidate_name, Category.INTERVIEW),
        started_at=due_at - timedelta(hours=72),
        due_at=due_at,
    )


def nudged(commitment: Commitment, kind: str, at: datetime) -> Nudge:
    """A nudge already turned into a message at `at`."""
    message = Message.objects.create(
        workspace=commitment.workspace,
        recipient=commitment.owner,
        requisition=commitment.requisition,
        kind=MessageKind.NUDGE,
        channel="email",
        destination=commitment.owner.user.email,
        subject="Reminder",
        text="Reminder",
        status=MessageStatus.SENT,
        created_at=at,
        sent_at=at,
    )
    return Nudge.objects.create(
        commitment=commitment,
        kind=kind,
        recipient=commitment.owner,
        send_after=at,
        status=NudgeStatus.SENT,
        message=message,
    )


def owed_url(member: Member, **query: str) -> str:
    url = reverse("nudges:owed", args=[member.workspace.slug])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def rows(html: str, testid: str) -> list[str]:
    return re.findall(rf'<tr data-testid="{testid}".*?</tr>', html, re.S)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- pending actions ----------------------------------------------------------------------------


def test_pending_actions_with_state_age_and_nudges_newest_overdue_first(
    recruiter: Member, hiring_manager: Member, interviewer: Member, requisition: Requisition
) -> None:
    now = timezone.now()
    long_overdue = review(
        requisition, hiring_manager, candidates=3, due_at=now - timedelta(days=2, hours=1)
    )
    just_overdue = scorecard(
        requisition, interviewer, "Grace Hopper", due_at=now - timedelta(hours=1, minutes=30)
    )
    due_soon = decision(
        requisition, hiring_manager, "Alan Turing", due_at=now + timedelta(hours=2, minutes=30)
    )
    on_track = review(requisition, hiring_manager, candidates=1, due_at=now + timedelta(days=3))
    review(
        requisition,
        hiring_manager,
        candidates=2,
        due_at=now - timedelta(days=1),
        done_at=now - timedelta(days=2),
    )
    review(
        requisition,
        hiring_manager,
        candidates=2,
        due_at=now - timedelta(days=1),
        cancelled_at=now - timedelta(days=2),
    )
    nudged(long_overdue, NudgeKind.BEFORE, now - timedelta(days=2, hours=5))
    nudged(long_overdue, NudgeKind.DUE, now - timedelta(days=2))
    Nudge.objects.create(  # planned, not sent: doesn't count
        commitment=long_overdue,
        kind=NudgeKind.ESCALATE_CONTACT,
        recipient=recruiter,
        send_after=now + timedelta(days=1),
    )

    response = client_for(recruiter).get(owed_url(recruiter))

    assert response.status_code == 200
    html = response.content.decode()
    found = rows(html, "owed-row")
    order = [re.search(r'data-commitment="([^"]+)"', row).group(1) for row in found]
    assert order == [str(c.public_id) for c in (just_overdue, long_overdue, due_soon, on_track)]
    states = [re.search(r'data-state="([^"]+)"', row).group(1) for row in found]
    assert states == ["overdue", "overdue", "due_soon", "on_track"]
    first, second, third, fourth = (text(row) for row in found)
    assert "Ivy Interviewer" in first
    assert "Scorecard for Grace Hopper" in first
    assert "Overdue by 1 hour" in first
    assert "None yet" in first
    assert "Review a shortlist of 3 candidates" in second
    assert "Overdue by 2 days" in second
    assert "Senior Backend Engineer" in second
    assert "2 business days, agreed in the brief" in second
    assert " 4 days " in f" {second} "  # started two days before a due time two days ago
    last = (now - timedelta(days=2)).astimezone(LONDON)
    assert f"2 last {last:%a} {last.day} {last:%b}, {last:%H:%M}" in second
    assert "Decision on Alan Turing" in third
    assert "Due in 2 hours" in third
    assert "Review a shortlist of 1 candidate " in fourth + " "
    assert "On track" in fourth
    due = on_track.due_at.astimezone(LONDON)  # the viewer's time zone (UserFactory)
    assert f"{due:%a} {due.day} {due:%b}, {due:%H:%M}" in fourth
    assert "Times are in your time zone, Europe/London." in text(html)
    assert (
        reverse(
            "reviews:shortlist",
            args=[recruiter.workspace.slug, long_overdue.shortlist.public_id],
        )
        in html
    )


def test_counts_for_the_dashboard(
    recruiter: Member, hiring_manager: Member, requisition: Requisition
) -> None:
    now = timezone.now()
    review(requisition, hiring_manager, candidates=1, due_at=now - timedelta(hours=1))
    review(requisition, hiring_manager, candidates=1, due_at=now + timedelta(hours=1))
    review(
        requisition,
        hiring_manager,
        candidates=1,
        due_at=now - timedelta(hours=1),
        done_at=now - timedelta(hours=2),
    )
    elsewhere = RequisitionFactory(workspace=recruiter.workspace, title="Someone else's")
    review(elsewhere, hiring_manager, candidates=1, due_at=now - timedelta(hours=1))
    workspace = recruiter.workspace

    assert selectors.owed_counts(workspace, selectors.OwedFilters(), now) == (3, 2)
    mine = selectors.OwedFilters(mine_of=recruiter)
    assert selectors.owed_counts(workspace, mine, now) == (2, 1)


def test_filters_mine_requisition_and_owner(
    admin: Member, recruiter: Member, hiring_manager: Member, requisition: Requisition
) -> None:
    now = timezone.now()
    other_recruiter = MemberFactory(workspace=recruiter.workspace, role=Role.RECRUITER)
    other = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=other_recruiter, title="Data Analyst"
    )
    other_manager = MemberFactory(
        workspace=recruiter.workspace,
        role=Role.HIRING_MANAGER,
        user__display_name="Olga Other",
    )
    mine = review(requisition, hiring_manager, candidates=2, due_at=now + timedelta(days=1))
    theirs = review(other, other_manager, candidates=2, due_at=now + timedelta(days=1))
    client = client_for(recruiter)

    def shown(response: object) -> set[str]:
        html = response.content.decode()
        return set(re.findall(r'data-commitment="([^"]+)"', html))

    # A recruiter starts with the requisitions they recruit for; an admin with everything.
    assert shown(client.get(owed_url(recruiter))) == {str(mine.public_id)}
    everything = {str(mine.public_id), str(theirs.public_id)}
    assert shown(client.get(owed_url(recruiter, scope="all"))) == everything
    assert shown(client_for(admin).get(owed_url(admin))) == everything
    assert shown(
        client.get(owed_url(recruiter, scope="all", requisition=str(other.public_id)))
    ) == {str(theirs.public_id)}
    assert shown(
        client.get(owed_url(recruiter, scope="all", owner=str(other_manager.public_id)))
    ) == {str(theirs.public_id)}
    # Another workspace's requisition is not a choice: the filter is ignored, nothing leaks.
    stranger = RequisitionFactory(title="Elsewhere")
    response = client.get(owed_url(recruiter, requisition=str(stranger.public_id)))
    assert response.status_code == 200
    assert "Elsewhere" not in response.content.decode()


def test_htmx_request_gets_only_the_results(recruiter: Member, requisition: Requisition) -> None:
    response = client_for(recruiter).get(owed_url(recruiter, scope="all"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<form" not in html
    assert "HX-Request" in response["Vary"]


def test_empty_states_say_what_to_do(recruiter: Member, requisition: Requisition) -> None:
    html = text(client_for(recruiter).get(owed_url(recruiter)).content.decode())
    assert "Choose “All” requisitions or clear a filter" in html
    html = text(client_for(recruiter).get(owed_url(recruiter, scope="all")).content.decode())
    assert "Nobody owes anything right now. Send a hiring manager a shortlist" in html
    assert "No action has fallen due in the last six months." in html
    assert "Every candidate in progress has had news within the last 7 days." in html


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_managers_and_interviewers_may_not_see_it(workspace: object, role: str) -> None:
    member = MemberFactory(workspace=workspace, role=role)
    assert client_for(member).get(owed_url(member)).status_code == 403
    url = reverse("nudges:messages", args=[member.workspace.slug])
    assert client_for(member).get(url).status_code == 403


def test_outsider_gets_404(outsider: Member, recruiter: Member) -> None:
    assert client_for(outsider).get(owed_url(recruiter)).status_code == 404
    url = reverse("nudges:messages", args=[recruiter.workspace.slug])
    assert client_for(outsider).get(url).status_code == 404


# --- responsiveness -----------------------------------------------------------------------------

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def history(
    recruiter: Member, hiring_manager: Member, interviewer: Member, requisition: Requisition
) -> None:
    """Hugo's reviews and Ivy's scorecards over the first half of 2025, with hand-worked
    figures in the tests below."""
    m = hiring_manager
    # June: 24 h on time; 72 h late; one still open past its due time (late, no turnaround).
    review(requisition, m, candidates=1, started_at=at(6, 1), due_at=at(6, 3), done_at=at(6, 2))
    review(requisition, m, candidates=1, started_at=at(6, 5), due_at=at(6, 7), done_at=at(6, 8))
    review(requisition, m, candidates=1, started_at=at(6, 8), due_at=at(6, 10))
    # Not yet due, or cancelled: not counted.
    review(requisition, m, candidates=1, started_at=at(6, 14), due_at=at(6, 20))
    review(
        requisition,
        m,
        candidates=1,
        started_at=at(6, 1),
        due_at=at(6, 3),
        cancelled_at=at(6, 2),
    )
    # May: 34 h on time.
    review(
        requisition, m, candidates=1, started_at=at(5, 10), due_at=at(5, 12), done_at=at(5, 11, 19)
    )
    # 31 May 23:30 UTC is 1 June 00:30 in London, the viewer's zone: a June answer (12 h 30,
    # on time), and inside the 90 days.
    review(
        requisition,
        m,
        candidates=1,
        started_at=at(5, 31, 11),
        due_at=at(6, 2),
        done_at=at(5, 31, 23, 30),
    )
    # March, more than 90 days ago: 48 h, late. Only in the monthly table.
    review(requisition, m, candidates=1, started_at=at(3, 5), due_at=at(3, 6), done_at=at(3, 7))
    # December 2024: before the six months, not counted at all.
    review(
        requisition,
        m,
        candidates=1,
        started_at=datetime(2024, 12, 1, 9, tzinfo=UTC),
        due_at=datetime(2024, 12, 3, 9, tzinfo=UTC),
        done_at=datetime(2024, 12, 2, 9, tzinfo=UTC),
    )
    # Ivy: two scorecards in April, both on time: 6 h and 20 h.
    i = interviewer
    scorecard(requisition, i, "A", started_at=at(4, 1), due_at=at(4, 2), done_at=at(4, 1, 15))
    scorecard(requisition, i, "B", started_at=at(4, 8), due_at=at(4, 9), done_at=at(4, 9, 5))


@pytest.mark.usefixtures("history")
def test_responsiveness_median_and_on_time_share(
    recruiter: Member, hiring_manager: Member, interviewer: Member
) -> None:
    people = selectors.responsiveness(recruiter.workspace, selectors.OwedFilters(), NOW, LONDON)

    # Hugo is the less punctual, so he comes first.
    assert [p.name for p in people] == ["Hugo Manager", "Ivy Interviewer"]
    hugo, ivy = people
    assert hugo.role == "Hiring manager"
    # Last 90 days (since 17 March): 24 h ✓, 72 h ✗, open past due ✗, 34 h ✓, 12.5 h ✓.
    assert hugo.recent.count == 5
    assert hugo.recent.on_time == 3
    assert hugo.recent.on_time_share == 60
    assert hugo.recent.median == timedelta(hours=29)  # of 12.5, 24, 34, 72
    assert hugo.recent.median_label == "29 hours"
    months = {m.label: m.figures for m in hugo.months}
    assert list(months) == ["Jan 2025", "Feb 2025", "Mar 2025", "Apr 2025", "May 2025", "Jun 2025"]
    assert months["Jun 2025"].count == 4
    assert months["Jun 2025"].on_time_share == 50  # 24 h ✓, 72 h ✗, open ✗, 12.5 h ✓
    assert months["Jun 2025"].median == timedelta(hours=24)  # of 12.5, 24, 72
    assert months["May 2025"].count == 1
    assert months["May 2025"].median == timedelta(hours=34)
    assert months["May 2025"].on_time_share == 100
    assert months["Mar 2025"].median == timedelta(hours=48)
    assert months["Mar 2025"].on_time_share == 0
    assert months["Jan 2025"].count == months["Feb 2025"].count == months["Apr 2025"].count == 0
    assert months["Jan 2025"].on_time_share is None
    assert ivy.recent.on_time_share == 100
    assert ivy.recent.median == timedelta(hours=13)  # of 6 and 20
    # The sparkline has a point per month with answers, the slowest at the bottom.
    assert [x for x, _y in hugo.dots] == [36.0, 72.0, 90.0]
    assert hugo.dots[0][1] == 2.0  # March, 48 h, the row's slowest month


@pytest.mark.usefixtures("history")
def test_responsiveness_follows_the_owner_filter(recruiter: Member, hiring_manager: Member) -> None:
    people = selectors.responsiveness(
        recruiter.workspace,
        selectors.OwedFilters(owner_id=hiring_manager.pk),
        NOW,
        LONDON,
    )
    assert [p.name for p in people] == ["Hugo Manager"]


def test_responsiveness_rendered_with_sparkline(
    recruiter: Member, hiring_manager: Member, requisition: Requisition
) -> None:
    now = timezone.now()
    for days, hours in [(3, 30), (20, 10)]:
        done = now - timedelta(days=days)
        review(
            requisition,
            hiring_manager,
            candidates=1,
            started_at=done - timedelta(hours=hours),
            due_at=done - timedelta(hours=hours) + timedelta(hours=24),
            done_at=done,
        )
    html = client_for(recruiter).get(owed_url(recruiter)).content.decode()
    (row,) = rows(html, "responsiveness-row")
    assert "Hugo Manager" in row
    assert re.search(r'data-testid="median">20 hours<', row)  # median of 10 and 30
    assert "50%" in text(row)  # 10 h on time, 30 h late
    assert "1 of 2" in text(row)
    assert "<svg" in row
    assert "<circle" in row


# --- waiting for news ---------------------------------------------------------------------------


def test_candidates_waiting_for_news(recruiter: Member, requisition: Requisition) -> None:
    now = timezone.now()
    days = timedelta(days=1)
    waiting = application(requisition, "Wendy Waiting", stage_entered_at=now - 9 * days)
    longest = application(
        requisition, "Lena Longest", Category.REVIEW, stage_entered_at=now - 20 * days
    )
    application(requisition, "Recent Rory", stage_entered_at=now - 6 * days)
    application(requisition, "Rejected Rae", Category.REJECTED, stage_entered_at=now - 30 * days)
    application(requisition, "Hired Hal", Category.HIRED, stage_entered_at=now - 30 * days)
    application(requisition, "Sourced Sue", Category.SOURCED, stage_entered_at=now - 30 * days)
    erased = application(requisition, "Erased Eve", stage_entered_at=now - 30 * days)
    erased.candidate.erased_at = now
    erased.candidate.save(update_fields=["erased_at"])

    html = client_for(recruiter).get(owed_url(recruiter)).content.decode()

    found = rows(html, "waiting-row")
    assert [re.search(r'data-application="([^"]+)"', r).group(1) for r in found] == [
        str(longest.public_id),
        str(waiting.public_id),
    ]
    assert re.search(r'data-testid="days-waiting">20<', found[0])
    assert re.search(r'data-testid="days-waiting">9<', found[1])
    assert (
        reverse("candidates:detail", args=[recruiter.workspace.slug, waiting.candidate.public_id])
        in found[1]
    )
    assert 'data-testid="waiting-count">2<' in html
    assert "23% of candidates lose interest after a week without news" in text(html)


def test_waiting_threshold_follows_the_setting(
    recruiter: Member, requisition: Requisition, settings: object
) -> None:
    settings.NEWS_SILENCE_DAYS = 3
    application(requisition, "Four Days", stage_entered_at=timezone.now() - timedelta(days=4))
    found, total = selectors.waiting_for_news(
        recruiter.workspace, selectors.OwedFilters(), timezone.now()
    )
    assert total == 1
    assert found[0].days == 4
    assert found[0].application.candidate.name == "Four Days"


# --- bounded queries ----------------------------------------------------------------------------

OWED_QUERIES = 14


@pytest.mark.parametrize("count", [5, 60])
def test_owed_page_queries_do_not_grow(
    count: int,
    recruiter: Member,
    hiring_manager: Member,
    interviewer: Member,
    requisition: Requisition,
    django_assert_max_num_queries: object,
) -> None:
    now = timezone.now()
    for i in range(count):
        due = now + timedelta(hours=i - count // 2)
        kind = i % 3
        if kind == 0:
            commitment = review(requisition, hiring_manager, candidates=2, due_at=due)
        elif kind == 1:
            commitment = scorecard(requisition, interviewer, f"Candidate {i}", due_at=due)
        else:
            commitment = decision(requisition, hiring_manager, f"Decided {i}", due_at=due)
        nudged(commitment, NudgeKind.DUE, now - timedelta(hours=1))
        review(
            requisition,
            hiring_manager,
            candidates=1,
            started_at=now - timedelta(days=i % 80 + 2),
            due_at=now - timedelta(days=i % 80),
            done_at=now - timedelta(days=i % 80 + 1),
        )
        application(requisition, f"Silent {i}", stage_entered_at=now - timedelta(days=10 + i))
    client = client_for(recruiter)
    client.get(owed_url(recruiter))  # the session and the default stages settle first

    with django_assert_max_num_queries(OWED_QUERIES):
        response = client.get(owed_url(recruiter))

    assert response.status_code == 200
    assert len(rows(response.content.decode(), "owed-row")) == count


# --- the message log ----------------------------------------------------------------------------


def message(recipient: Member, status: str, **fields: object) -> Message:
    return Message.objects.create(
        workspace=recipient.workspace,
        recipient=recipient,
        kind=MessageKind.NUDGE,
        channel="chat",
        destination="https://hooks.example.com/x",
        subject=fields.pop("subject", "Review due"),
        text="…",
        status=status,
        **fields,
    )


def test_message_log_lists_and_filters(
    recruiter: Member, hiring_manager: Member, outsider: Member
) -> None:
    now = timezone.now()
    message(hiring_manager, MessageStatus.SENT, subject="Sent one", attempts=1, sent_at=now)
    message(
        hiring_manager,
        MessageStatus.RETRY,
        subject="Retrying one",
        attempts=2,
        last_error="HTTP 503 from the webhook",
    )
    message(outsider, MessageStatus.SENT, subject="Elsewhere")
    url = reverse("nudges:messages", args=[recruiter.workspace.slug])
    client = client_for(recruiter)

    html = client.get(url).content.decode()
    found = rows(html, "message-row")
    assert len(found) == 2
    assert "Retrying one" in found[0]  # newest first
    assert "HTTP 503 from the webhook" in found[0]
    assert "Waiting to retry" in found[0]
    assert "Hugo Manager" in found[0]
    assert "Chat (Slack or Teams webhook)" in found[0]
    assert "Elsewhere" not in html

    html = client.get(url + "?status=sent").content.decode()
    assert [("Sent one" in r) for r in rows(html, "message-row")] == [True]

    html = client.get(url + "?status=failed").content.decode()
    assert "No messages with this status" in text(html)


def test_message_log_pages_by_fifty(recruiter: Member, hiring_manager: Member) -> None:
    start = timezone.now() - timedelta(days=1)
    for i in range(51):
        message(hiring_manager, MessageStatus.SENT, created_at=start + timedelta(minutes=i))
    url = reverse("nudges:messages", args=[recruiter.workspace.slug])
    client = client_for(recruiter)
    assert len(rows(client.get(url).content.decode(), "message-row")) == 50
    assert len(rows(client.get(url + "?page=2").content.decode(), "message-row")) == 1


def test_message_log_empty(recruiter: Member) -> None:
    url = reverse("nudges:messages", args=[recruiter.workspace.slug])
    html = text(client_for(recruiter).get(url).content.decode())
    assert "Nothing sent yet." in html
