"""Shortlists and the manager's decisions: services, the pages, the link, and refusals."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.nudges.models import Commitment, CommitmentKind, Message, Nudge, NudgeKind
from accord.pipeline.models import Application, Category, Reason, StageMove
from accord.reviews import services
from accord.reviews.links import link_for, token_of
from accord.reviews.models import Decision, Judgement, ReasonChip, Review, ReviewLink, Shortlist
from accord.workspaces.models import Member, Role
from conftest import client_for
from tests.factories import MemberFactory
from tests.reviews.conftest import Scene, build_scene


def send(scene: Scene, recruiter: Member, manager: Member, count: int = 5) -> Shortlist:
    return services.shortlist_send(
        actor=recruiter,
        requisition=scene.requisition,
        manager=manager,
        applications=scene.applications[:count],
        note="Five strong backend people; Ana is the one to see first.",
        highlights={scene.applications[0].pk: "Ran billing for 40 countries."},
    )


def items(shortlist: Shortlist) -> list:
    return list(shortlist.items.select_related("application__candidate", "shortlist"))


# --- sending ------------------------------------------------------------------------------------


def test_sending_moves_candidates_opens_the_commitment_and_asks_the_manager(
    scene: Scene, recruiter: Member, hiring_manager: Member, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        shortlist = send(scene, recruiter, hiring_manager)
    assert shortlist.items.count() == 5
    assert shortlist.brief_version == scene.brief.version
    for application in scene.applications:
        application.refresh_from_db()
        assert application.stage.category == Category.SUBMITTED
    commitment = Commitment.objects.get(shortlist=shortlist)
    assert commitment.kind == CommitmentKind.REVIEW
    assert commitment.owner == hiring_manager
    assert commitment.basis == "2 business days, agreed in the brief"
    assert commitment.due_at > timezone.now() + timedelta(days=1, hours=23)
    kinds = set(Nudge.objects.filter(commitment=commitment).values_list("kind", flat=True))
    assert {NudgeKind.BEFORE, NudgeKind.DUE, NudgeKind.ESCALATE_RECRUITER} <= kinds
    message = Message.objects.get(recipient=hiring_manager)
    assert message.channel == "email"
    assert "5 candidates for Senior Backend Engineer" in message.subject
    assert message.links[0][1].startswith("http")
    assert "/r/" in message.links[0][1]
    assert AuditEntry.objects.filter(action="shortlist.sent").count() == 1


def test_sending_needs_a_signed_brief_and_a_manager_of_the_requisition(
    recruiter: Member, hiring_manager: Member
) -> None:
    scene = build_scene(recruiter, hiring_manager, count=2)
    other_manager = MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER)
    with pytest.raises(ValidationError, match="hiring managers"):
        send(scene, recruiter, other_manager, count=2)
    scene.brief.version.signed_at = None
    scene.brief.version.save(update_fields=["signed_at"])
    with pytest.raises(ValidationError, match="Sign the brief first"):
        send(scene, recruiter, hiring_manager, count=2)
    assert not Shortlist.objects.exists()
    assert not Message.objects.exists()


def test_a_candidate_waiting_on_one_shortlist_cant_go_on_another(
    scene: Scene, recruiter: Member, hiring_manager: Member
) -> None:
    send(scene, recruiter, hiring_manager, count=2)
    with pytest.raises(ValidationError, match="already on a shortlist"):
        send(scene, recruiter, hiring_manager, count=3)
    assert Shortlist.objects.count() == 1


def test_managers_and_interviewers_cant_send(
    scene: Scene, hiring_manager: Member, interviewer: Member
) -> None:
    for member in (hiring_manager, interviewer):
        with pytest.raises(ValidationError, match="role does not allow"):
            send(scene, member, hiring_manager)
    assert not Shortlist.objects.exists()


# --- deciding ------------------------------------------------------------------------------------


def test_decisions_with_reasons_move_candidates_and_complete_the_shortlist(
    scene: Scene, recruiter: Member, hiring_manager: Member
) -> None:
    shortlist = send(scene, recruiter, hiring_manager, count=3)
    first, second, third = items(shortlist)
    brief = scene.brief
    services.review_submit(
        reviewer=hiring_manager,
        item=first,
        decision=Decision.ADVANCE,
        judgements={brief.php.pk: Judgement.MEETS, brief.sql.pk: Judgement.MEETS},
    )
    rejected = services.review_submit(
        reviewer=hiring_manager,
        item=second,
        decision=Decision.REJECT,
        judgements={brief.rust.pk: Judgement.DOESNT},
        note="No Rust at all.",
    )
    outside = services.review_submit(
        reviewer=hiring_manager,
        item=third,
        decision=Decision.REJECT,
        chips=[ReasonChip.TOO_SENIOR],
        note="Would be bored in a month.",
        via_link=True,
    )
    assert not rejected.outside_brief
    assert outside.outside_brief
    assert outside.via_link
    first.application.refresh_from_db()
    assert first.application.stage.category == Category.INTERVIEW
    second.application.refresh_from_db()
    assert second.application.stage.category == Category.REJECTED
    assert second.application.reason == Reason.MANAGER_DECLINED
    move = StageMove.objects.filter(application=third.application).first()
    assert move is not None
    assert move.actor == hiring_manager
    assert move.note == "Too senior; Would be bored in a month."
    shortlist.refresh_from_db()
    assert shortlist.completed_at is not None
    commitment = Commitment.objects.get(shortlist=shortlist)
    assert commitment.done_at is not None
    assert commitment.on_time
    assert not Nudge.objects.filter(commitment=commitment, status="pending").exists()
    notice = Message.objects.get(recipient=recruiter)
    assert "decided on the shortlist" in notice.subject
    assert "Advance: 1 · Hold: 0 · Reject: 2" in notice.text
    assert AuditEntry.objects.filter(action="review.submitted").count() == 3


def test_a_decision_without_a_reason_changes_nothing(
    scene: Scene, recruiter: Member, hiring_manager: Member
) -> None:
    shortlist = send(scene, recruiter, hiring_manager, count=1)
    (item,) = items(shortlist)
    with pytest.raises(ValidationError, match="Say why"):
        services.review_submit(reviewer=hiring_manager, item=item, decision=Decision.REJECT)
    with pytest.raises(ValidationError, match="Say why"):
        services.review_submit(
            reviewer=hiring_manager, item=item, decision=Decision.REJECT, note="   "
        )
    assert not Review.objects.exists()
    item.application.refresh_from_db()
    assert item.application.stage.category == Category.SUBMITTED


def test_only_the_shortlists_manager_decides_and_only_once(
    scene: Scene, recruiter: Member, hiring_manager: Member
) -> None:
    shortlist = send(scene, recruiter, hiring_manager, count=2)
    first, _second = items(shortlist)
    other = MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER)
    with pytest.raises(ValidationError, match="Only Hugo Manager can decide"):
        services.review_submit(
            reviewer=other, item=first, decision=Decision.ADVANCE, note="Looks fine"
        )
    with pytest.raises(ValidationError, match="role does not allow"):
        services.review_submit(
            reviewer=recruiter, item=first, decision=Decision.ADVANCE, note="Looks fine"
        )
    services.review_submit(
        reviewer=hiring_manager, item=first, decision=Decision.HOLD, note="Maybe later"
    )
    with pytest.raises(ValidationError, match="already decided"):
        services.review_submit(
            reviewer=hiring_manager, item=first, decision=Decision.REJECT, note="No"
        )
    assert Review.objects.get().decision == Decision.HOLD


def test_judging_a_criterion_of_another_brief_is_refused(
    scene: Scene, recruiter: Member, hiring_manager: Member
) -> None:
    shortlist = send(scene, recruiter, hiring_manager, count=1)
    (item,) = items(shortlist)
    elsewhere = build_scene(recruiter, hiring_manager, count=1).brief.php
    with pytest.raises(ValidationError, match="only the criteria"):
        services.review_submit(
            reviewer=hiring_manager,
            item=item,
            decision=Decision.ADVANCE,
            judgements={elsewhere.pk: Judgement.MEETS},
        )
    assert not Review.objects.exists()


def test_a_withdrawn_shortlist_takes_no_decision_and_nudges_nobody(
    scene: Scene, recruiter: Member, hiring_manager: Member
) -> None:
    shortlist = send(scene, recruiter, hiring_manager, count=1)
    (item,) = items(shortlist)
    services.shortlist_withdraw(actor=recruiter, shortlist=shortlist)
    with pytest.raises(ValidationError, match="withdrew"):
        services.review_submit(
            reviewer=hiring_manager, item=item, decision=Decision.ADVANCE, note="Yes"
        )
    commitment = Commitment.objects.get(shortlist=shortlist)
    assert commitment.cancelled_at is not None
    assert not Nudge.objects.filter(commitment=commitment, status="pending").exists()
    assert not ReviewLink.objects.filter(shortlist=shortlist, revoked_at__isnull=True).exists()


# --- the pages and the link ----------------------------------------------------------------------


def test_the_manager_decides_from_the_link_without_signing_in(
    scene: Scene, recruiter: Member, hiring_manager: Member, client
) -> None:
    shortlist = send(scene, recruiter, hiring_manager, count=2)
    link = link_for(hiring_manager, shortlist=shortlist)
    page = client.get(reverse("reviews:link", args=[token_of(link)]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ana Alves" in html
    assert "Ran billing for 40 countries." in html
    assert "Has built and run PHP services in production." in html  # the agreed definition
    assert "Built the billing platform in PHP" in html  # the resume
    url = reverse("reviews:link-decide", args=[token_of(link), 0])
    refused = client.post(url, {"decision": "reject"}, headers={"HX-Request": "true"})
    assert refused.status_code == 422
    assert "Say why" in refused.content.decode()
    assert not Review.objects.exists()
    done = client.post(
        url,
        {"decision": "reject", "chip": ["compensation"], "note": "Asks for 40% more."},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 200
    review = Review.objects.get()
    assert review.via_link
    assert review.outside_brief
    assert "Outside the brief" in done.content.decode()
    again = client.post(url, {"decision": "advance", "note": "Changed my mind"})
    assert again.status_code == 302
    assert Review.objects.get().decision == Decision.REJECT


def test_advance_as_screened_takes_one_tap(
    scene: Scene, recruiter: Member, hiring_manager: Member
) -> None:
    shortlist = send(scene, recruiter, hiring_manager, count=1)
    url = reverse("reviews:decide", args=["acme", shortlist.public_id, 0])
    response = client_for(hiring_manager).post(url, {"decision": "advance-as-screened"})
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.decision == Decision.ADVANCE
    assert not review.outside_brief
    musts = {scene.brief.php.pk, scene.brief.sql.pk, scene.brief.rust.pk}
    assert set(review.judgements.values_list("criterion", flat=True)) == musts


@pytest.mark.parametrize("problem", ["expired", "revoked", "forged"])
def test_a_dead_link_says_why_and_changes_nothing(
    scene: Scene, recruiter: Member, hiring_manager: Member, client, problem: str
) -> None:
    shortlist = send(scene, recruiter, hiring_manager, count=1)
    link = link_for(hiring_manager, shortlist=shortlist)
    token = token_of(link)
    if problem == "expired":
        ReviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    elif problem == "revoked":
        services.shortlist_resend(actor=recruiter, shortlist=shortlist)
    else:
        token = token[:-3] + "abc"
    page = client.get(reverse("reviews:link", args=[token]))
    assert page.status_code == 410
    expected = {"expired": "has expired", "revoked": "withdrew", "forged": "doesn’t work"}
    assert expected[problem] in page.content.decode()
    post = client.post(
        reverse("reviews:link-decide", args=[token, 0]), {"decision": "advance", "note": "ok"}
    )
    assert post.status_code == 410
    assert not Review.objects.exists()


def test_the_recruiter_sees_the_decisions_and_the_state_of_each_shortlist(
    scene: Scene, recruiter: Member, hiring_manager: Member, django_assert_max_num_queries
) -> None:
    shortlist = send(scene, recruiter, hiring_manager)
    first = items(shortlist)[0]
    services.review_submit(
        reviewer=hiring_manager,
        item=first,
        decision=Decision.REJECT,
        chips=[ReasonChip.LOCATION],
    )
    client = client_for(recruiter)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reviews:shortlist", args=["acme", shortlist.public_id]))
    html = page.content.decode()
    assert "Location" in html
    assert "Outside the brief" in html
    assert "4 to decide" in html
    with django_assert_max_num_queries(12):
        listing = client.get(
            reverse("reviews:shortlists", args=["acme", scene.requisition.public_id])
        )
    assert "1 of 5 decided" in listing.content.decode()


def test_shortlist_page_queries_do_not_grow_with_candidates(
    recruiter: Member, hiring_manager: Member
) -> None:
    counts = []
    for size in (1, 5):
        scene = build_scene(recruiter, hiring_manager, count=size)
        shortlist = send(scene, recruiter, hiring_manager, count=size)
        with CaptureQueriesContext(connection) as queries:
            token = token_of(link_for(hiring_manager, shortlist=shortlist))
            response = client_for(hiring_manager).get(reverse("reviews:link", args=[token]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_send_page_lists_screened_candidates_and_sends(
    scene: Scene, recruiter: Member, hiring_manager: Member
) -> None:
    client = client_for(recruiter)
    url = reverse("reviews:shortlist-new", args=["acme", scene.requisition.public_id])
    page = client.get(url)
    assert page.content.decode().count('data-testid="pick"') == 5
    picked = [str(a.public_id) for a in scene.applications[:2]]
    refused = client.post(url, {"a": picked, "manager": "nobody", "note": "Two for you"})
    assert refused.status_code == 400
    assert "Choose the hiring manager" in refused.content.decode()
    assert "Two for you" in refused.content.decode()  # nothing typed is lost
    response = client.post(
        url, {"a": picked, "manager": str(hiring_manager.public_id), "note": "Two for you"}
    )
    assert response.status_code == 302
    assert Shortlist.objects.get().items.count() == 2


def test_the_send_page_lists_the_best_matches_first_and_unscored_ones_last(
    scene: Scene, recruiter: Member
) -> None:
    unscored, low, high, *_rest = scene.applications
    Application.objects.filter(requisition=scene.requisition).update(match_score=None)
    Application.objects.filter(pk=low.pk).update(match_score=0.4)
    Application.objects.filter(pk=high.pk).update(match_score=0.9)
    page = client_for(recruiter).get(
        reverse("reviews:shortlist-new", args=["acme", scene.requisition.public_id])
    )
    listed = re.findall(r'name="a" value="([0-9a-f-]+)"', page.content.decode())
    # PostgreSQL sorts NULL first in a descending order, SQLite last: both show it last.
    assert listed[:2] == [str(high.public_id), str(low.public_id)]
    assert str(unscored.public_id) in listed[2:]


def test_a_candidate_held_on_a_still_open_shortlist_can_be_sent_again(
    scene: Scene, recruiter: Member, hiring_manager: Member
) -> None:
    shortlist = send(scene, recruiter, hiring_manager, count=2)
    held, _waiting = items(shortlist)
    services.review_submit(
        reviewer=hiring_manager, item=held, decision=Decision.HOLD, note="Ask again in May"
    )
    page = client_for(recruiter).get(
        reverse("reviews:shortlist-new", args=["acme", scene.requisition.public_id])
    )
    listed = page.content.decode()
    assert "Ana Alves" in listed  # decided (held): may go on a new shortlist
    assert "Ben Brook" not in listed  # still waiting for a decision
