"""The demo's review loop (demo/reviews.py): shortlists in every state with weeks of decisions,
reminders and escalations behind them, and the pages Riya opens to see them."""

from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count, QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.demo import hiring
from accord.demo.reviews import HANNAH_PHONE, SOFIA_WEBHOOK
from accord.nudges import selectors
from accord.nudges.models import (
    Commitment,
    ContactPreference,
    Message,
    MessageStatus,
    Nudge,
    NudgeKind,
    NudgeStatus,
)
from accord.pipeline.models import Category, Reason, StageMove
from accord.requisitions.models import Requisition
from accord.reviews.models import Decision, ReasonChip, Review, Scorecard, Shortlist
from accord.workspaces.models import Member, Workspace

pytestmark = pytest.mark.django_db


def demo() -> None:
    call_command("demo", stdout=StringIO())


def requisition(role: hiring.Role) -> Requisition:
    return Requisition.objects.get(workspace__slug="northwind", title=role.title)


def member(email: str) -> Member:
    return Member.objects.select_related("user").get(workspace__slug="northwind", user__email=email)


def states(role: hiring.Role) -> dict[str, list[Shortlist]]:
    now = timezone.now()
    found: dict[str, list[Shortlist]] = {}
    for shortlist in Shortlist.objects.filter(requisition=requisition(role)).annotate(
        n=Count("items"), decided=Count("items__review")
    ):
        commitment = Commitment.objects.get(shortlist=shortlist)
        if shortlist.withdrawn_at:
            state = "withdrawn"
        elif shortlist.completed_at:
            state = "decided"
        elif shortlist.decided:
            state = "partly decided"
        else:
            state = "overdue" if commitment.due_at < now else "not yet due"
        found.setdefault(state, []).append(shortlist)
    return found


def sent(nudges: QuerySet[Nudge]) -> QuerySet[Nudge]:
    return nudges.filter(status=NudgeStatus.SENT, message__status=MessageStatus.SENT)


def test_the_open_search_has_a_shortlist_in_every_state():
    demo()
    now = timezone.now()
    found = states(hiring.SENIOR_BACKEND)
    assert {state: len(shortlists) for state, shortlists in found.items()} == {
        "decided": 1,
        "partly decided": 1,
        "overdue": 1,
        "not yet due": 1,
        "withdrawn": 1,
    }
    assert {s.manager.user.email for shortlists in found.values() for s in shortlists} == {
        hiring.HANNAH
    }

    # Decided last week, on time, with reasons; one of them outside the brief.
    (decided,) = found["decided"]
    assert timedelta(days=6) < now - decided.sent_at < timedelta(days=8)
    commitment = Commitment.objects.get(shortlist=decided)
    assert commitment.done_at == decided.completed_at <= commitment.due_at
    reviews = Review.objects.filter(item__shortlist=decided).select_related("application__stage")
    assert {r.decision for r in reviews} >= {Decision.ADVANCE, Decision.REJECT}
    assert all(r.via_link and (r.note or r.judgements.exists()) for r in reviews)
    outside = reviews.get(outside_brief=True)
    assert (outside.decision, outside.chips) == (Decision.REJECT, [ReasonChip.COMPENSATION])
    assert outside.judgements.exists()  # it meets the brief: the reason lies outside it
    assert outside.application.stage.category == Category.REJECTED
    assert outside.application.reason == Reason.MANAGER_DECLINED
    for review in reviews.filter(decision=Decision.ADVANCE):
        assert review.application.stage.category == Category.INTERVIEW
    assert Message.objects.filter(
        recipient__user__email=hiring.RIYA, subject__contains="decided on the shortlist"
    ).exists()

    # Partly decided: one decision, the rest still waiting.
    (partly,) = found["partly decided"]
    assert 0 < partly.decided < partly.n

    # Overdue: reminders before and at the due time, then escalations, all sent.
    (overdue,) = found["overdue"]
    commitment = Commitment.objects.get(shortlist=overdue)
    assert now - commitment.due_at > timedelta(days=1)
    assert {n.kind: n.recipient.user.email for n in sent(commitment.nudges)} == {
        NudgeKind.BEFORE: hiring.HANNAH,
        NudgeKind.DUE: hiring.HANNAH,
        NudgeKind.ESCALATE_RECRUITER: hiring.RIYA,
        NudgeKind.ESCALATE_CONTACT: hiring.ADA,
    }
    for nudge in commitment.nudges.select_related("message"):
        assert nudge.send_after <= nudge.message.created_at <= nudge.message.sent_at < now

    # Not yet due: sent today, its reminders still planned.
    (fresh,) = found["not yet due"]
    commitment = Commitment.objects.get(shortlist=fresh)
    assert now - fresh.sent_at < timedelta(minutes=5)
    assert not commitment.nudges.exclude(status=NudgeStatus.PENDING).exists()
    assert commitment.nudges.filter(send_after__gt=now).exists()

    # Withdrawn: no decisions, nothing owed, its link revoked.
    (withdrawn,) = found["withdrawn"]
    assert not withdrawn.decided
    assert Commitment.objects.get(shortlist=withdrawn).cancelled_at is not None
    assert not withdrawn.links.filter(revoked_at__isnull=True).exists()


def test_reminders_went_out_on_each_persons_channel():
    demo()
    hannah = ContactPreference.objects.get(member__user__email=hiring.HANNAH)
    assert (hannah.channel, hannah.phone) == ("sms", HANNAH_PHONE.replace(" ", ""))
    sofia = ContactPreference.objects.get(member__user__email=hiring.SOFIA)
    assert (sofia.channel, sofia.webhook_url) == ("chat", SOFIA_WEBHOOK)

    nudges = Nudge.objects.filter(commitment__workspace__slug="northwind")
    assert sent(nudges.filter(kind=NudgeKind.BEFORE)).exists()
    assert sent(nudges.filter(kind=NudgeKind.DUE)).exists()
    assert sent(
        nudges.filter(kind=NudgeKind.ESCALATE_RECRUITER, recipient__user__email=hiring.RIYA)
    )
    assert set(
        Message.objects.filter(recipient__user__email=hiring.HANNAH).values_list(
            "channel", "destination"
        )
    ) == {("sms", "+447700900123")}
    assert Message.objects.filter(channel="email", kind="digest").exists()
    # Everything was sent, and nothing to the placeholder webhook: the demo needs no network.
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert not Message.objects.filter(channel="chat").exists()
    assert not Message.objects.filter(sent_at__gt=timezone.now()).exists()


def test_managers_have_a_history_and_an_interviewer_is_late():
    demo()
    now = timezone.now()
    workspace = Workspace.objects.get(slug="northwind")
    rows = {
        row.name: row
        for row in selectors.responsiveness(
            workspace, selectors.OwedFilters(), now, ZoneInfo("Europe/London")
        )
    }
    for name in ("Hannah Okafor", "Sofia Alvarez"):
        figures = rows[name].recent
        assert len(figures.turnarounds) >= 2, name  # several done
        assert 0 < figures.on_time < figures.count, name  # some on time, some late
        assert rows[name].sparkline

    # One interview, two scorecards: Tom's came in late, Grace's is still owed.
    tom = Scorecard.objects.get(interviewer__user__email=hiring.TOM)
    grace = Scorecard.objects.get(interviewer__user__email=hiring.GRACE)
    assert tom.application == grace.application
    assert tom.interview_at == grace.interview_at < tom.due_at < tom.submitted_at < now
    assert tom.was_late is True
    assert (grace.submitted_at, grace.was_late) == (None, None)
    assert grace.due_at < now
    # Reminded before and at the due time (the escalations follow within days, as the weekday
    # the demo is built on allows).
    assert {n.kind for n in sent(Nudge.objects.filter(commitment__scorecard=grace))} >= {
        NudgeKind.BEFORE,
        NudgeKind.DUE,
    }

    # Candidates waiting for news, and every shortlisted candidate's history in order.
    waiting, total = selectors.waiting_for_news(workspace, selectors.OwedFilters(), now)
    assert total > 0
    assert all(w.days >= 7 for w in waiting)
    for shortlist in Shortlist.objects.all():
        for item in shortlist.items.all():
            moves = list(StageMove.objects.filter(application=item.application).order_by("pk"))
            assert [m.at for m in moves] == sorted(m.at for m in moves)


def test_riya_sees_the_loop():
    demo()
    client = Client()
    client.force_login(member(hiring.RIYA).user)
    backend = requisition(hiring.SENIOR_BACKEND)

    page = client.get(reverse("reviews:shortlists", args=["northwind", backend.public_id]))
    assert page.status_code == 200
    for shortlist in Shortlist.objects.filter(requisition=backend):
        page = client.get(reverse("reviews:shortlist", args=["northwind", shortlist.public_id]))
        assert page.status_code == 200
        for item in shortlist.items.select_related("application__candidate"):
            assert item.application.candidate.name in page.content.decode()
    decided = Shortlist.objects.get(requisition=backend, completed_at__isnull=False)
    page = client.get(reverse("reviews:shortlist", args=["northwind", decided.public_id]))
    assert "far above our band" in page.content.decode()

    owed = client.get(reverse("nudges:owed", args=["northwind"]))
    assert owed.status_code == 200
    text = owed.content.decode()
    for name in ("Hannah Okafor", "Grace Kim", "Sofia Alvarez"):
        assert name in text
    assert client.get(reverse("nudges:messages", args=["northwind"])).status_code == 200


def test_a_second_run_changes_nothing():
    demo()

    def snapshot() -> list[object]:
        return [
            sorted(Shortlist.objects.values_list("sent_at", "completed_at", "withdrawn_at")),
            sorted(Review.objects.values_list("decided_at", "decision")),
            sorted(Message.objects.values_list("created_at", "status")),
            Nudge.objects.count(),
            Commitment.objects.count(),
            Scorecard.objects.count(),
        ]

    first = snapshot()
    demo()
    assert snapshot() == first
