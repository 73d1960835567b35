"""Interview scorecards: requesting them, submitting once (signed in or from a signed link), the
hiding rule, lateness, and the decision the managers owe after the final interview."""

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.briefs.models import AssessedAt, BriefVersion, Criterion, InterviewStage
from accord.nudges import clock
from accord.nudges.models import Commitment, CommitmentKind, Message, MessageKind
from accord.pipeline.models import Application, Category, Stage
from accord.pipeline.services import stages_for
from accord.requisitions.models import Requisition
from accord.reviews import scorecards as services
from accord.reviews.links import link_for, links_revoke, token_of, url_of
from accord.reviews.models import ReviewLink, Scorecard, ScorecardRating
from accord.workspaces.models import Member, Role
from conftest import client_for
from tests.factories import (
    ApplicationFactory,
    BriefVersionFactory,
    CandidateFactory,
    CriterionFactory,
    MemberFactory,
    RequisitionFactory,
)

pytestmark = pytest.mark.django_db

# A Friday afternoon in London (GMT in November): 24 business hours later is Monday 15:00.
FRIDAY_3PM = datetime(2025, 11, 21, 15, 0, tzinfo=UTC)
MONDAY_3PM = datetime(2025, 11, 24, 15, 0, tzinfo=UTC)


@dataclass
class Panel:
    """A requisition with a signed brief (two interview stages with their criteria), a
    candidate in the first interview stage, and two interviewers on the hiring team."""

    requisition: Requisition
    version: BriefVersion
    application: Application
    first: Stage  # pipeline "Interview 1"
    final: Stage  # pipeline "Interview 2"
    technical: InterviewStage  # brief stage assessed at "Interview 1"
    closing: InterviewStage  # brief stage assessed at "Interview 2"
    design: Criterion
    python: Criterion
    communication: Criterion
    recruiter: Member
    manager: Member
    ivy: Member
    ivo: Member


def build_panel(
    recruiter: Member, manager: Member, ivy: Member, *, decision_days: int | None = 2
) -> Panel:
    workspace = recruiter.workspace
    ivo = MemberFactory(
        workspace=workspace,
        role=Role.INTERVIEWER,
        user__display_name="Ivo Interviewer",
        user__time_zone="America/New_York",
    )
    requisition = RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[manager]
    )
    requisition.hiring_team.set([ivy, ivo])
    version = BriefVersionFactory(
        requisition=requisition, signed_at=timezone.now(), decision_days=decision_days
    )
    technical = InterviewStage.objects.create(version=version, position=0, name="Technical")
    closing = InterviewStage.objects.create(version=version, position=1, name="Final")

    def at_interview(name: str, position: int, stage: InterviewStage, definition: str) -> Any:
        return CriterionFactory(
            version=version,
            name=name,
            position=position,
            assessed_at=AssessedAt.INTERVIEW,
            stage=stage,
            definition=definition,
        )

    design = at_interview(
        "System design", 1, technical, "Has designed a service others run, and says why."
    )
    python = at_interview("Python", 2, technical, "Has shipped Python code to production.")
    communication = at_interview(
        "Communication", 3, closing, "Explains a trade-off to a non-engineer."
    )
    CriterionFactory(version=version, name="Degree", position=4, assessed_at=AssessedAt.RESUME)
    interviews = [s for s in stages_for(requisition) if s.category == Category.INTERVIEW]
    application = ApplicationFactory(
        requisition=requisition,
        stage=interviews[0],
        candidate=CandidateFactory(workspace=workspace, name="Ana Alves"),
    )
    return Panel(
        requisition,
        version,
        application,
        interviews[0],
        interviews[-1],
        technical,
        closing,
        design,
        python,
        communication,
        recruiter,
        manager,
        ivy,
        ivo,
    )


@pytest.fixture
def panel(recruiter: Member, hiring_manager: Member, interviewer: Member) -> Panel:
    return build_panel(recruiter, hiring_manager, interviewer)


def ask(
    panel: Panel,
    people: list[Member] | None = None,
    *,
    final: bool = False,
    at: datetime | None = None,
) -> list[Scorecard]:
    return services.scorecard_request(
        actor=panel.recruiter,
        application=panel.application,
        interviewers=people if people is not None else [panel.ivy, panel.ivo],
        interview_at=at or timezone.now() - timedelta(hours=2),
        stage=panel.final if final else panel.first,
        brief_stage=panel.closing if final else panel.technical,
    )


def fill(
    scorecard: Scorecard,
    actor: Member,
    recommendation: str = "yes",
    evidence: str = "Walked through the ledger design.",
    **overrides: Any,
) -> Scorecard:
    criteria = services.criteria_for(scorecard)
    ratings = {c.pk: ("meets", f"Said so about {c.name}.") for c in criteria}
    return services.scorecard_submit(
        actor=actor,
        scorecard=scorecard,
        ratings=overrides.pop("ratings", ratings),
        recommendation=recommendation,
        evidence=evidence,
        **overrides,
    )


def counts() -> tuple[int, ...]:
    return (
        Scorecard.objects.count(),
        ScorecardRating.objects.count(),
        Commitment.objects.count(),
        Commitment.objects.filter(done_at__isnull=False).count(),
        Message.objects.count(),
        AuditEntry.objects.count(),
        ReviewLink.objects.count(),
    )


# --- requesting ------------------------------------------------------------------------------


def test_request_makes_a_scorecard_a_commitment_and_a_message_with_a_link_for_each(
    panel: Panel,
) -> None:
    ivy_card, ivo_card = ask(panel, at=FRIDAY_3PM)

    assert ivy_card.interviewer == panel.ivy
    assert ivo_card.interviewer == panel.ivo
    assert ivy_card.stage == panel.first
    assert ivy_card.brief_stage == panel.technical
    assert ivy_card.requested_by == panel.recruiter
    # Due 24 business hours after the interview in each interviewer's own time zone: the
    # weekend doesn't count.
    assert ivy_card.due_at == MONDAY_3PM
    assert ivo_card.due_at == clock.add_business_hours(FRIDAY_3PM, 24, "America/New_York")
    commitment = Commitment.objects.get(scorecard=ivy_card)
    assert commitment.kind == CommitmentKind.SCORECARD
    assert commitment.owner == panel.ivy
    assert commitment.due_at == MONDAY_3PM
    assert commitment.started_at == FRIDAY_3PM
    assert commitment.basis == "within 24 hours of the interview"
    assert commitment.application == panel.application
    assert commitment.nudges.exists()

    message = Message.objects.get(recipient=panel.ivy)
    assert message.kind == MessageKind.NOTICE
    assert message.subject == "Your scorecard for Ana Alves"
    link = ReviewLink.objects.get(scorecard=ivy_card, member=panel.ivy)
    assert message.links == [["Fill in the scorecard", url_of(link)]]
    assert url_of(link) in message.text
    assert "System design, Python" in message.text
    assert "Communication" not in message.text  # assessed at the other stage
    assert "Monday 24 November, 15:00" in message.text  # the due time, in Ivy's London time

    entry = AuditEntry.objects.get(action="scorecard.requested", object_id=str(ivy_card.public_id))
    assert entry.actor == panel.recruiter.user
    assert entry.changes["interviewer"] == [None, "Ivy Interviewer"]
    assert entry.changes["due_at"] == [None, MONDAY_3PM.isoformat()]
    assert AuditEntry.objects.filter(action="scorecard.requested").count() == 2


def test_criteria_follow_the_brief_stage_or_every_interview_criterion(panel: Panel) -> None:
    (card,) = ask(panel, [panel.ivy])
    assert services.criteria_for(card) == [panel.design, panel.python]
    card.brief_stage = None
    assert services.criteria_for(card) == [panel.design, panel.python, panel.communication]


def test_default_brief_stage_matches_by_name_then_by_place(panel: Panel) -> None:
    stages = [panel.first, panel.final]
    brief_stages = [panel.technical, panel.closing]
    assert services.default_brief_stage(panel.first, stages, brief_stages) == panel.technical
    assert services.default_brief_stage(panel.final, stages, brief_stages) == panel.closing
    panel.technical.name = "Interview 2"
    assert services.default_brief_stage(panel.final, stages, brief_stages) == panel.technical
    assert services.default_brief_stage(None, stages, brief_stages) is None


def refusals(panel: Panel, workspace_admin: Member) -> dict[str, tuple[dict[str, Any], str]]:
    other = BriefVersionFactory(requisition=panel.requisition, number=2)
    stray = InterviewStage.objects.create(version=other, name="Stray")
    screen = Stage.objects.get(requisition=panel.requisition, category=Category.SCREEN)
    return {
        "not on the team": (
            {"interviewers": [panel.ivy, workspace_admin]},
            "Ada Admin can’t be asked: only active members of the hiring team or the hiring "
            "managers of Senior Backend Engineer can.",
        ),
        "nobody": ({"interviewers": []}, "Choose at least one interviewer."),
        "not an interview stage": (
            {"stage": screen},
            "Choose one of this requisition’s interview stages.",
        ),
        "brief stage of another version": (
            {"brief_stage": stray},
            "Choose an interview stage of the brief in force.",
        ),
        "naive time": (
            {"interview_at": datetime(2025, 11, 21, 15, 0)},  # naive: the point of the case
            "Give the interview time with its time zone.",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "not on the team",
        "nobody",
        "not an interview stage",
        "brief stage of another version",
        "naive time",
    ],
)
def test_a_refused_request_says_why_and_changes_nothing(
    panel: Panel, admin: Member, case: str
) -> None:
    changes, message = refusals(panel, admin)[case]
    before = counts()
    arguments: dict[str, Any] = {
        "actor": panel.recruiter,
        "application": panel.application,
        "interviewers": [panel.ivy],
        "interview_at": FRIDAY_3PM,
        "stage": panel.first,
        "brief_stage": panel.technical,
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        services.scorecard_request(**arguments)
    assert message in " ".join(refused.value.messages)
    assert counts() == before


def test_asking_the_same_interviewer_twice_for_a_stage_is_refused(panel: Panel) -> None:
    ask(panel, [panel.ivy])
    before = counts()
    with pytest.raises(ValidationError, match="Ivy Interviewer already have a scorecard"):
        ask(panel, [panel.ivo, panel.ivy])
    assert counts() == before
    # Another stage is another interview.
    assert len(ask(panel, [panel.ivy], final=True)) == 1


def test_only_recruiters_and_admins_request_scorecards(panel: Panel) -> None:
    before = counts()
    with pytest.raises(ValidationError, match="Your role does not allow this"):
        services.scorecard_request(
            actor=panel.manager,
            application=panel.application,
            interviewers=[panel.ivy],
            interview_at=FRIDAY_3PM,
            stage=panel.first,
            brief_stage=None,
        )
    assert counts() == before


def test_no_scorecards_for_a_closed_application(panel: Panel) -> None:
    rejected = Stage.objects.get(requisition=panel.requisition, category=Category.REJECTED)
    Application.objects.filter(pk=panel.application.pk).update(stage=rejected)
    panel.application.refresh_from_db()
    before = counts()
    with pytest.raises(ValidationError, match="Ana Alves’s application is closed"):
        ask(panel)
    assert counts() == before


# --- submitting ------------------------------------------------------------------------------


def test_submit_records_judgements_once_closes_the_commitment_and_audits(panel: Panel) -> None:
    card, _other = ask(panel)
    fill(card, panel.ivy, "strong_yes", "  Designed the ledger on the whiteboard.  ")

    card.refresh_from_db()
    assert card.submitted_at is not None
    assert card.was_late is False
    assert card.recommendation == "strong_yes"
    assert card.evidence == "Designed the ledger on the whiteboard."
    assert {(r.criterion_id, r.judgement, r.note) for r in card.ratings.all()} == {
        (panel.design.pk, "meets", "Said so about System design."),
        (panel.python.pk, "meets", "Said so about Python."),
    }
    commitment = Commitment.objects.get(scorecard=card)
    assert commitment.done_at == card.submitted_at
    assert commitment.on_time is True
    assert not commitment.nudges.filter(status="pending").exists()
    entry = AuditEntry.objects.get(action="scorecard.submitted")
    assert entry.actor == panel.ivy.user
    assert entry.object_id == str(card.public_id)
    assert entry.changes == {
        "recommendation": [None, "strong_yes"],
        "was_late": [None, False],
        "via_link": [None, False],
    }


def test_a_scorecard_after_its_due_time_is_recorded_as_late(panel: Panel) -> None:
    (card,) = ask(panel, [panel.ivy], at=FRIDAY_3PM)  # due Monday 24 November 2025, long gone
    fill(card, panel.ivy, via_link=True)
    card.refresh_from_db()
    assert card.was_late is True
    assert card.submitted_at is not None
    assert card.submitted_at > card.due_at
    assert Commitment.objects.get(scorecard=card).on_time is False
    assert AuditEntry.objects.get(action="scorecard.submitted").changes["via_link"] == [None, True]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"recommendation": ""}, "Choose your overall recommendation"),
        ({"recommendation": "maybe"}, "Choose your overall recommendation"),
        ({"evidence": "   "}, "Write the evidence behind your recommendation"),
        ({"evidence": "x" * 3001}, "Keep the evidence to 3000 characters or fewer."),
        ({"ratings": "one missing"}, "Choose meets, doesn’t meet or can’t tell for: Python."),
        ({"ratings": "bad judgement"}, "Choose meets, doesn’t meet or can’t tell for: Python."),
        ({"ratings": "unknown criterion"}, "A criterion on the form is not on this scorecard."),
        ({"ratings": "long note"}, "Keep the note on Python to 500 characters or fewer."),
    ],
)
def test_a_refused_submission_says_what_to_fix_and_saves_nothing(
    panel: Panel, change: dict[str, Any], message: str
) -> None:
    (card,) = ask(panel, [panel.ivy])
    ratings = {panel.design.pk: ("meets", ""), panel.python.pk: ("doesnt", "")}
    if change.get("ratings") == "one missing":
        del ratings[panel.python.pk]
    elif change.get("ratings") == "bad judgement":
        ratings[panel.python.pk] = ("probably", "")
    elif change.get("ratings") == "unknown criterion":
        ratings[panel.communication.pk] = ("meets", "")
    elif change.get("ratings") == "long note":
        ratings[panel.python.pk] = ("meets", "y" * 501)
    change = {**change, "ratings": ratings}
    before = counts()
    with pytest.raises(ValidationError) as refused:
        fill(card, panel.ivy, **change)
    assert message in " ".join(refused.value.messages)
    assert counts() == before
    card.refresh_from_db()
    assert (card.submitted_at, card.recommendation, card.evidence) == (None, "", "")


def test_only_the_scorecards_interviewer_can_submit_it(panel: Panel) -> None:
    ivy_card, _ivo_card = ask(panel)
    for intruder in (panel.ivo, panel.recruiter, panel.manager):
        before = counts()
        with pytest.raises(ValidationError, match="Only Ivy Interviewer can submit this"):
            fill(ivy_card, intruder)
        assert counts() == before
    ivy_card.refresh_from_db()
    assert ivy_card.submitted_at is None


def test_a_submitted_scorecard_cannot_be_submitted_again(panel: Panel) -> None:
    (card,) = ask(panel, [panel.ivy])
    fill(card, panel.ivy, "no", "First thoughts.")
    before = counts()
    stale = Scorecard.objects.get(pk=card.pk)
    stale.submitted_at = None  # as a second tab would still have it
    with pytest.raises(ValidationError, match="already submitted"):
        fill(stale, panel.ivy, "strong_yes", "Second thoughts.")
    assert counts() == before
    card.refresh_from_db()
    assert (card.recommendation, card.evidence) == ("no", "First thoughts.")


def test_a_scorecard_with_no_criteria_needs_only_the_recommendation(panel: Panel) -> None:
    (card,) = services.scorecard_request(
        actor=panel.recruiter,
        application=panel.application,
        interviewers=[panel.ivy],
        interview_at=FRIDAY_3PM,
        stage=panel.first,
        brief_stage=InterviewStage.objects.create(version=panel.version, name="Culture"),
    )
    assert services.criteria_for(card) == []
    fill(card, panel.ivy, ratings={})
    assert Scorecard.objects.get(pk=card.pk).is_submitted


# --- after the last scorecard ------------------------------------------------------------------


def test_the_last_scorecard_of_the_final_interview_opens_the_managers_decision(
    panel: Panel,
) -> None:
    ivy_card, ivo_card = ask(panel, final=True)
    fill(ivy_card, panel.ivy, "yes")
    assert not Commitment.objects.filter(kind=CommitmentKind.DECISION).exists()
    assert not Message.objects.filter(recipient=panel.recruiter).exists()

    before = timezone.now()
    fill(ivo_card, panel.ivo, "no", "Struggled with the trade-off.")
    decision = Commitment.objects.get(kind=CommitmentKind.DECISION)
    assert decision.owner == panel.manager
    assert decision.application == panel.application
    assert decision.requisition == panel.requisition
    assert decision.basis == (
        "decide within 2 business days of the final interview, as agreed in the brief (version 1)"
    )
    submitted_at = Scorecard.objects.get(pk=ivo_card.pk).submitted_at
    assert submitted_at is not None
    assert submitted_at >= before
    assert decision.started_at == submitted_at
    assert decision.due_at == clock.add_business_days(submitted_at, 2, "Europe/London")

    to_recruiter = Message.objects.get(recipient=panel.recruiter)
    assert to_recruiter.subject == "All scorecards in for Ana Alves (Interview 2)"
    assert "Ivy Interviewer: Yes" in to_recruiter.text
    assert "Ivo Interviewer: No" in to_recruiter.text
    assert "Hugo Manager owes the decision by" in to_recruiter.text
    to_manager = Message.objects.get(recipient=panel.manager)
    assert to_manager.subject == "Your decision on Ana Alves: the final interviews are in"
    scorecards_url = reverse(
        "reviews:scorecards", args=[panel.requisition.workspace.slug, panel.application.public_id]
    )
    assert to_manager.links[0][1].endswith(scorecards_url)


def test_a_decision_owed_already_is_not_opened_twice(panel: Panel) -> None:
    (card,) = ask(panel, [panel.ivy], final=True)
    fill(card, panel.ivy)
    (later,) = ask(panel, [panel.ivo], final=True)
    fill(later, panel.ivo)
    assert Commitment.objects.filter(kind=CommitmentKind.DECISION).count() == 1
    assert Message.objects.filter(recipient=panel.recruiter).count() == 2


def test_without_an_agreed_decision_time_the_default_applies_and_says_so(
    recruiter: Member, hiring_manager: Member, interviewer: Member
) -> None:
    panel = build_panel(recruiter, hiring_manager, interviewer, decision_days=None)
    (card,) = ask(panel, [panel.ivy], final=True)
    fill(card, panel.ivy)
    decision = Commitment.objects.get(kind=CommitmentKind.DECISION)
    assert decision.basis.startswith("decide within 3 business days of the final interview")
    assert "the brief agrees no decision time" in decision.basis
    submitted_at = Scorecard.objects.get(pk=card.pk).submitted_at
    assert submitted_at is not None
    assert decision.due_at == clock.add_business_days(submitted_at, 3, "Europe/London")


def test_an_earlier_interview_stage_tells_the_recruiter_but_owes_no_decision(panel: Panel) -> None:
    ivy_card, ivo_card = ask(panel)
    fill(ivy_card, panel.ivy)
    fill(ivo_card, panel.ivo)
    assert not Commitment.objects.filter(kind=CommitmentKind.DECISION).exists()
    message = Message.objects.get(recipient=panel.recruiter)
    assert message.subject == "All scorecards in for Ana Alves (Interview 1)"
    assert "owes the decision" not in message.text


@pytest.mark.django_db(transaction=True)
def test_two_last_scorecards_submitted_at_once_open_the_decision_once(
    recruiter: Member, hiring_manager: Member, interviewer: Member
) -> None:
    """Each submission locks the application first, so the later one waits for the earlier to
    commit and sees it: without the lock, each would see the other still pending on
    PostgreSQL, and nobody would owe the decision."""
    panel = build_panel(recruiter, hiring_manager, interviewer)
    ivy_card, ivo_card = ask(panel, final=True)
    first_in = threading.Event()
    errors: list[BaseException] = []

    def ivy() -> None:
        try:
            with transaction.atomic():
                fill(Scorecard.objects.get(pk=ivy_card.pk), panel.ivy)
                first_in.set()
                time.sleep(1)  # commit only after Ivo's submission has started
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            first_in.set()
            connections.close_all()

    def ivo() -> None:
        try:
            first_in.wait(10)
            fill(Scorecard.objects.get(pk=ivo_card.pk), panel.ivo)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ivy), threading.Thread(target=ivo)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert Scorecard.objects.filter(submitted_at__isnull=True).count() == 0
    assert Commitment.objects.filter(kind=CommitmentKind.DECISION).count() == 1
    assert Message.objects.filter(recipient=panel.recruiter).count() == 1


# --- cancelling ------------------------------------------------------------------------------


def test_cancelling_a_request_withdraws_its_link_and_commitment(panel: Panel) -> None:
    card, _other = ask(panel)
    link = link_for(panel.ivy, scorecard=card)
    services.scorecard_cancel(actor=panel.recruiter, scorecard=card)
    assert not Scorecard.objects.filter(pk=card.pk).exists()
    assert not Commitment.objects.filter(owner=panel.ivy).exists()
    assert not ReviewLink.objects.filter(pk=link.pk).exists()
    assert AuditEntry.objects.filter(action="scorecard.cancelled").count() == 1


def test_a_submitted_scorecard_cannot_be_cancelled(panel: Panel) -> None:
    card, _other = ask(panel)
    fill(card, panel.ivy)
    before = counts()
    with pytest.raises(ValidationError, match="part of the record"):
        services.scorecard_cancel(actor=panel.recruiter, scorecard=card)
    assert counts() == before


# --- the hiding rule -------------------------------------------------------------------------


def visible(member: Member, panel: Panel) -> dict[str, bool]:
    entries = services.scorecards_visible_to(member, panel.application)
    return {str(e.scorecard.interviewer.user): e.visible for e in entries}


def test_an_interviewer_sees_the_others_only_after_submitting_their_own(panel: Panel) -> None:
    ivy_card, ivo_card = ask(panel)
    fill(ivo_card, panel.ivo, "strong_no", "Could not explain the design.")
    # Ivo's is in, Ivy's isn't: Ivy sees nothing of Ivo's; Ivo sees his own only (Ivy's is
    # still empty).
    assert visible(panel.ivy, panel) == {"Ivy Interviewer": False, "Ivo Interviewer": False}
    assert visible(panel.ivo, panel) == {"Ivy Interviewer": False, "Ivo Interviewer": True}
    hidden = next(
        e for e in services.scorecards_visible_to(panel.ivy, panel.application) if not e.mine
    )
    assert (hidden.evidence, hidden.recommendation, hidden.ratings) == ("", "", [])
    fill(ivy_card, panel.ivy)
    assert visible(panel.ivy, panel) == {"Ivy Interviewer": True, "Ivo Interviewer": True}
    shown = next(
        e for e in services.scorecards_visible_to(panel.ivy, panel.application) if not e.mine
    )
    assert shown.evidence == "Could not explain the design."
    assert shown.recommendation == "Strong no"
    assert [r.criterion.name for r in shown.ratings] == ["System design", "Python"]


def test_recruiters_and_admins_see_every_submitted_scorecard(panel: Panel, admin: Member) -> None:
    _ivy_card, ivo_card = ask(panel)
    fill(ivo_card, panel.ivo)
    for member in (panel.recruiter, admin):
        assert visible(member, panel) == {"Ivy Interviewer": False, "Ivo Interviewer": True}


def test_a_manager_sees_all_unless_their_own_scorecard_is_pending(panel: Panel) -> None:
    _ivy_card, ivo_card = ask(panel)
    fill(ivo_card, panel.ivo)
    assert visible(panel.manager, panel)["Ivo Interviewer"] is True  # has none of their own
    (own,) = ask(panel, [panel.manager], final=True)
    assert visible(panel.manager, panel)["Ivo Interviewer"] is False
    fill(own, panel.manager)
    assert visible(panel.manager, panel)["Ivo Interviewer"] is True


def test_an_interviewer_with_no_scorecard_here_sees_none(panel: Panel) -> None:
    _ivy_card, ivo_card = ask(panel)
    fill(ivo_card, panel.ivo)
    bystander = MemberFactory(workspace=panel.requisition.workspace, role=Role.INTERVIEWER)
    assert visible(bystander, panel) == {"Ivy Interviewer": False, "Ivo Interviewer": False}


# --- pages -----------------------------------------------------------------------------------


def scorecards_url(panel: Panel) -> str:
    return reverse("reviews:scorecards", args=["acme", panel.application.public_id])


def request_url(panel: Panel) -> str:
    return reverse("reviews:scorecard-request", args=["acme", panel.application.public_id])


def page_url(card: Scorecard) -> str:
    return reverse("reviews:scorecard", args=["acme", card.public_id])


def submit_url(card: Scorecard) -> str:
    return reverse("reviews:scorecard-submit", args=["acme", card.public_id])


def form_data(card: Scorecard, recommendation: str = "yes", evidence: str = "Clear.") -> dict:
    data = {f"judgement-{c.public_id}": "meets" for c in services.criteria_for(card)}
    data.update({f"note-{c.public_id}": "" for c in services.criteria_for(card)})
    return {**data, "recommendation": recommendation, "evidence": evidence}


def test_the_scorecards_page_hides_the_others_content_until_yours_is_in(panel: Panel) -> None:
    ivy_card, ivo_card = ask(panel)
    fill(ivo_card, panel.ivo, "strong_no", "Could not explain the design.")
    html = client_for(panel.ivy).get(scorecards_url(panel)).content.decode()
    assert "Could not explain the design." not in html
    assert "Hidden until you submit your own scorecard" in html
    assert 'data-testid="own-pending"' in html
    assert page_url(ivy_card) in html
    fill(ivy_card, panel.ivy)
    html = client_for(panel.ivy).get(scorecards_url(panel)).content.decode()
    assert "Could not explain the design." in html
    assert "Strong no" in html
    html = client_for(panel.recruiter).get(scorecards_url(panel)).content.decode()
    assert "Could not explain the design." in html
    assert 'data-testid="request-scorecards"' in html


@pytest.mark.parametrize("role", ["admin", "recruiter", "hiring_manager"])
def test_the_scorecards_page_is_open_to_the_requisitions_people(
    request: pytest.FixtureRequest, panel: Panel, role: str
) -> None:
    response = client_for(request.getfixturevalue(role)).get(scorecards_url(panel))
    assert response.status_code == 200


def test_people_off_the_requisition_get_404(panel: Panel, outsider: Member) -> None:
    bystander = MemberFactory(workspace=panel.requisition.workspace, role=Role.INTERVIEWER)
    (card,) = ask(panel, [panel.ivy])
    for member in (bystander, outsider):
        client = client_for(member)
        slug = member.workspace.slug
        args = [slug, panel.application.public_id]
        assert client.get(reverse("reviews:scorecards", args=args)).status_code == 404
        assert (
            client.get(reverse("reviews:scorecard", args=[slug, card.public_id])).status_code == 404
        )


def test_request_form_proposes_the_current_interview_stage_and_its_brief_stage(
    panel: Panel,
) -> None:
    response = client_for(panel.recruiter).get(request_url(panel))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["stage"] == panel.first.public_id
    assert form.initial["brief_stage"] == panel.technical.public_id
    html = response.content.decode()
    assert "Ivy Interviewer · Interviewer" in html
    assert "Hugo Manager · Hiring manager" in html
    assert "Rita Recruiter · Recruiter" not in html  # not on the team: can’t be asked
    assert 'type="datetime-local"' in html
    assert "It is due 24 hours after the interview (weekends not counted" in html


def test_request_form_asks_and_redirects_in_the_recruiters_time_zone(panel: Panel) -> None:
    response = client_for(panel.recruiter).post(
        request_url(panel),
        {
            "interviewers": [str(panel.ivy.public_id), str(panel.manager.public_id)],
            "interview_at": "2025-11-21T15:00",  # Rita is in London
            "stage": str(panel.first.public_id),
            "brief_stage": str(panel.technical.public_id),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == scorecards_url(panel)
    cards = Scorecard.objects.filter(application=panel.application)
    assert {c.interviewer for c in cards} == {panel.ivy, panel.manager}
    assert {c.interview_at for c in cards} == {FRIDAY_3PM}


def test_a_refused_request_form_keeps_the_answers_and_creates_nothing(panel: Panel) -> None:
    ask(panel, [panel.ivy])
    before = counts()
    response = client_for(panel.recruiter).post(
        request_url(panel),
        {
            "interviewers": [str(panel.ivy.public_id)],
            "interview_at": "2025-11-21T15:00",
            "stage": str(panel.first.public_id),
            "brief_stage": "",
        },
    )
    assert response.status_code == 422
    assert "Ivy Interviewer already have a scorecard for Interview 1" in response.content.decode()
    assert counts() == before
    response = client_for(panel.recruiter).post(request_url(panel), {"interviewers": []})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose at least one interviewer." in html
    assert "Give the date and time of the interview." in html
    assert counts() == before


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer"])
def test_only_recruiters_and_admins_reach_the_request_form(
    request: pytest.FixtureRequest, panel: Panel, role: str
) -> None:
    member = request.getfixturevalue(role)
    assert client_for(member).get(request_url(panel)).status_code == 403


def test_the_scorecard_form_shows_each_criterion_with_its_agreed_definition(
    panel: Panel,
) -> None:
    card, _other = ask(panel)
    response = client_for(panel.ivy).get(page_url(card))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="scorecard-form"' in html
    assert html.index("System design") < html.index("Python")
    assert "Has designed a service others run, and says why." in html
    assert "Explains a trade-off" not in html  # the other stage's criterion
    assert f'name="judgement-{panel.design.public_id}"' in html
    assert 'name="recommendation"' in html


def test_submitting_the_form_then_shows_it_read_only_with_the_others(panel: Panel) -> None:
    card, other = ask(panel)
    fill(other, panel.ivo, "no", "Vague about testing.")
    client = client_for(panel.ivy)
    response = client.post(submit_url(card), form_data(card, "strong_yes", "Great design."))
    assert response.status_code == 302
    assert response["Location"] == page_url(card)
    card.refresh_from_db()
    assert card.recommendation == "strong_yes"
    html = client.get(page_url(card)).content.decode()
    assert "Scorecard submitted. Thank you!" in html
    assert 'data-testid="scorecard-form"' not in html
    assert "Great design." in html
    assert "Vague about testing." in html


def test_a_form_with_mistakes_says_what_to_fix_and_keeps_what_was_typed(panel: Panel) -> None:
    card, _other = ask(panel)
    data = form_data(card, "", "")
    data[f"judgement-{panel.python.public_id}"] = ""
    data[f"note-{panel.design.public_id}"] = "Drew the queue first."
    before = counts()
    response = client_for(panel.ivy).post(submit_url(card), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Not submitted yet: nothing was saved." in html
    assert "Choose meets, doesn’t meet or can’t tell for: Python." in html
    assert "Drew the queue first.</textarea>" in html
    assert counts() == before
    response = client_for(panel.ivy).post(submit_url(card), form_data(card, "yes", ""))
    assert "Write the evidence behind your recommendation" in response.content.decode()
    assert counts() == before


def test_someone_elses_scorecard_is_refused_and_unchanged(panel: Panel) -> None:
    card, _other = ask(panel)
    before = counts()
    for member in (panel.recruiter, panel.ivo):
        response = client_for(member).post(submit_url(card), form_data(card))
        assert response.status_code == 403
    assert counts() == before
    card.refresh_from_db()
    assert card.submitted_at is None


def test_a_second_submission_is_refused_with_a_clear_message(panel: Panel) -> None:
    card, _other = ask(panel)
    fill(card, panel.ivy, "no", "First thoughts.")
    before = counts()
    response = client_for(panel.ivy).post(submit_url(card), form_data(card, "yes", "Changed."))
    assert response.status_code == 409
    assert "already submitted" in response.content.decode()
    assert counts() == before
    card.refresh_from_db()
    assert card.evidence == "First thoughts."


def test_my_scorecards_lists_pending_then_submitted(panel: Panel) -> None:
    card, _other = ask(panel)
    (final,) = ask(panel, [panel.ivy], final=True, at=FRIDAY_3PM)
    fill(card, panel.ivy, "yes")
    response = client_for(panel.ivy).get(reverse("reviews:my-scorecards", args=["acme"]))
    assert response.status_code == 200
    assert response.context["pending"] == [final]
    assert response.context["submitted"] == [card]
    html = response.content.decode()
    assert "Overdue" in html
    assert page_url(final) in html


# --- from a signed link ------------------------------------------------------------------------


def link_url(card: Scorecard, member: Member) -> str:
    return reverse("reviews:scorecard-link", args=[token_of(link_for(member, scorecard=card))])


def test_the_link_opens_the_form_without_a_password_and_submits(panel: Panel) -> None:
    card, other = ask(panel)
    fill(other, panel.ivo, "no", "Vague about testing.")
    url = link_url(card, panel.ivy)
    client = Client()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="scorecard-form"' in html
    assert "Vague about testing." not in html
    assert "for Ivy Interviewer" in html
    response = client.post(url + "submit/", form_data(card, "yes", "Solid."))
    assert response.status_code == 302
    assert response["Location"] == url
    html = client.get(url).content.decode()
    assert "Vague about testing." in html
    card.refresh_from_db()
    assert card.submitted_at is not None
    entry = AuditEntry.objects.get(action="scorecard.submitted", actor=panel.ivy.user)
    assert entry.changes["via_link"] == [None, True]


def test_the_link_shows_times_in_the_interviewers_own_time_zone(panel: Panel) -> None:
    (card,) = ask(panel, [panel.ivo], at=FRIDAY_3PM)
    html = Client().get(link_url(card, panel.ivo)).content.decode()
    assert "Fri 21 Nov, 10:00" in html  # 15:00 in London is 10:00 in New York


def test_a_refused_link_submission_changes_nothing(panel: Panel) -> None:
    card, _other = ask(panel)
    url = link_url(card, panel.ivy)
    before = counts()
    response = Client().post(url + "submit/", form_data(card, "", "Solid."))
    assert response.status_code == 422
    assert "Choose your overall recommendation" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("problem", ["expired", "withdrawn", "forged", "left"])
def test_a_dead_link_answers_410_and_says_what_to_do(panel: Panel, problem: str) -> None:
    card, _other = ask(panel)
    link = link_for(panel.ivy, scorecard=card)
    token = token_of(link)
    expected = {
        "expired": "This link has expired",
        "withdrawn": "This link was withdrawn",
        "forged": "This link doesn’t work",
        "left": "This link was withdrawn",
    }[problem]
    if problem == "expired":
        ReviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(1))
    elif problem == "withdrawn":
        links_revoke(scorecard=card)
    elif problem == "forged":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    else:
        Member.objects.filter(pk=panel.ivy.pk).update(is_active=False)
    before = counts()
    for response in (
        Client().get(reverse("reviews:scorecard-link", args=[token])),
        Client().post(
            reverse("reviews:scorecard-link-submit", args=[token]), form_data(card, "yes", "x")
        ),
    ):
        assert response.status_code == 410
        assert expected in response.content.decode()
    assert counts() == before
    card.refresh_from_db()
    assert card.submitted_at is None


# --- query counts ------------------------------------------------------------------------------


def more_interviewers(panel: Panel, n: int) -> list[Member]:
    people = [
        MemberFactory(workspace=panel.requisition.workspace, role=Role.INTERVIEWER)
        for _ in range(n)
    ]
    panel.requisition.hiring_team.add(*people)
    return people


@pytest.mark.parametrize("extra", [0, 6])
def test_pages_take_a_bounded_number_of_queries(
    panel: Panel, extra: int, django_assert_max_num_queries: Any
) -> None:
    people = [panel.ivy, panel.ivo, *more_interviewers(panel, extra)]
    cards = ask(panel, people)
    for card, person in zip(cards[1:], people[1:], strict=True):
        fill(card, person)
    finals = ask(panel, people, final=True)
    recruiter, ivy = client_for(panel.recruiter), client_for(panel.ivy)
    link = link_url(cards[0], panel.ivy)
    for client in (recruiter, ivy):
        client.get(scorecards_url(panel))  # warm the session
    # The same bounds whatever the size of the panel (the session is saved on each request).
    with django_assert_max_num_queries(10):
        assert recruiter.get(scorecards_url(panel)).status_code == 200
    with django_assert_max_num_queries(10):
        assert ivy.get(scorecards_url(panel)).status_code == 200
    with django_assert_max_num_queries(11):
        assert ivy.get(page_url(cards[0])).status_code == 200
    with django_assert_max_num_queries(11):
        assert recruiter.get(page_url(cards[1])).status_code == 200
    with django_assert_max_num_queries(6):
        assert Client().get(link).status_code == 200
    with django_assert_max_num_queries(9):
        assert ivy.get(reverse("reviews:my-scorecards", args=["acme"])).status_code == 200
    with django_assert_max_num_queries(16):
        assert recruiter.get(request_url(panel)).status_code == 200
    assert len(finals) == len(people)


# --- delivery ----------------------------------------------------------------------------------


def test_the_interviewer_gets_an_email_whose_link_opens_their_scorecard(
    panel: Panel, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        (card,) = ask(panel, [panel.ivy], at=FRIDAY_3PM)
    (email,) = smtp.messages
    assert panel.ivy.user.email in email["To"]
    assert email["Subject"] == "Your scorecard for Ana Alves"
    text = smtp.text(email)
    url = next(line for line in text.splitlines() if "/s/" in line).strip()
    response = Client().get(urlsplit(url).path)
    assert response.status_code == 200
    assert response.context["scorecard"] == card
