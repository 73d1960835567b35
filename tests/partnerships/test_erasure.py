"""Erasing a candidate erases them from the post-hire loop: their hires' audit entries, the survey
messages, the managers' answers and the lessons drawn from them no longer name them; the ratings,
the dates and another candidate's hire stay as they were."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models.functions import Cast
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.briefs.models import Criterion
from accord.candidates.models import Candidate
from accord.candidates.services import ERASED_NAME, candidate_create, candidate_erase
from accord.nudges.models import Message, MessageKind
from accord.partnerships import services as partnership_services
from accord.partnerships.models import CriterionRating, Hire, HirePolicy, Lesson, Survey
from accord.pipeline.models import Category
from accord.pipeline.services import application_create, application_move
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Role
from conftest import client_for
from tests.factories import BriefVersionFactory, MemberFactory, RequisitionFactory
from tests.partnerships.hiring import make_requisition, stage

pytestmark = pytest.mark.django_db

NORA = "Nora Hired"
OMAR = "Omar Other"
# One erasure, whatever the number of surveys, messages, lessons and audit entries.
ERASE_QUERIES = 40


def hire(recruiter: Member, requisition: Requisition, name: str) -> Hire:
    """Hired through the pipeline, then the start date set on the hire's page."""
    application = application_create(
        actor=recruiter,
        requisition=requisition,
        candidate=candidate_create(actor=recruiter, name=name),
    )
    application_move(
        actor=recruiter, application=application, to_stage=stage(requisition, Category.HIRED)
    )
    found = Hire.objects.get(application=application)
    start = timezone.localdate() + timedelta(days=10)
    client_for(recruiter).post(
        reverse("surveys:hire-start", args=[recruiter.workspace.slug, found.public_id]),
        {"start_on": start.isoformat(), "revision": str(found.revision)},
    )
    found.refresh_from_db()
    assert found.start_on == start
    return found


def send(recruiter: Member, survey: Survey, *, resend: bool = False) -> None:
    name = "surveys:resend" if resend else "surveys:send"
    client_for(recruiter).post(reverse(name, args=[recruiter.workspace.slug, survey.public_id]))
    assert Message.objects.filter(kind=MessageKind.SURVEY, recipient=survey.manager).exists()


def answer(survey: Survey, who: str) -> None:
    """The manager answers from the link in the message they were sent, naming the new hire."""
    message = Message.objects.filter(kind=MessageKind.SURVEY, recipient=survey.manager).first()
    assert message is not None
    data = {
        "process_rating": "4",
        "smoother": f"The offer took eleven days after the final round and {who} nearly "
        "took another one. Agree the pay band first.",
        "hire_rating": "5",
        "hire_notes": f"{who} shipped a fix on day three.",
        "missed_criteria": f"Calm under incidents: {who} handled a nightly failure alone.",
    }
    for criterion in Criterion.objects.filter(version_id=survey.brief_version_id):
        data[f"c-{criterion.public_id}"] = "not" if criterion.name == "On-call" else "crucial"
    path = message.links[0][1].removeprefix("http://testserver")
    path = path[path.index("/hs/") :]
    assert Client().post(path, data).status_code == 302


def stored(text: str) -> list[str]:
    """Every column of every table that holds `text` somewhere: "<model>.<field>"."""
    found = []
    for model in apps.get_models():
        rows = model._base_manager.all()
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                hits = rows.filter(**{f"{field.attname}__contains": text})
            elif isinstance(field, models.JSONField):
                as_text = Cast(field.attname, models.TextField())
                hits = rows.alias(as_text=as_text).filter(as_text__contains=text)
            else:
                continue
            if hits.exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def erase(admin: Member, name: str) -> None:
    candidate_erase(actor=admin, candidate=Candidate.objects.get(name=name))


def audit_of(hire: Hire) -> list[tuple[str, str]]:
    ids = [str(hire.public_id), *(str(s.public_id) for s in hire.surveys.all())]
    return sorted(AuditEntry.objects.filter(object_id__in=ids).values_list("action", "object_repr"))


@pytest.fixture
def manager(hiring_manager: Member) -> Member:
    return hiring_manager


def test_erasure_leaves_nothing_that_names_them_and_keeps_the_ratings(
    admin: Member, recruiter: Member, manager: Member
) -> None:
    requisition = make_requisition(recruiter, manager)
    nora, omar = hire(recruiter, requisition, NORA), hire(recruiter, requisition, OMAR)
    for person, who in ((nora, NORA), (omar, OMAR)):
        survey = person.surveys.get()
        send(recruiter, survey)
        send(recruiter, survey, resend=True)
        answer(survey, who)
    smoother = Lesson.objects.get(survey__hire=nora, applies_to="process_notes")
    partnership_services.lesson_retire(actor=recruiter, lesson=smoother)
    # The lesson's entry is named by its first 60 characters, which cut the name short.
    retired = AuditEntry.objects.get(action="lesson.retired")
    assert retired.object_repr.endswith(" Nora Hi")
    assert {
        "partnerships.Survey.hire_notes",
        "partnerships.Survey.smoother",
        "partnerships.Survey.missed_criteria",
        "partnerships.Lesson.text",
        "audit.AuditEntry.object_repr",
        "candidates.Candidate.name",
    } <= set(stored(NORA))
    omar_before = {
        "surveys": list(Survey.objects.filter(hire=omar).values()),
        "lessons": sorted(Lesson.objects.filter(survey__hire=omar).values_list("text", flat=True)),
        "audit": audit_of(omar),
    }
    ratings = sorted(CriterionRating.objects.values_list("survey_id", "name", "mattered"))
    kept = ("due_at", "sent_at", "answered_at", "cancelled_at", "process_rating", "hire_rating")
    nora_kept = list(Survey.objects.filter(hire=nora).values_list(*kept))

    erase(admin, NORA)

    assert stored(NORA) == []
    assert stored("Nora Hi") == []  # not even cut short
    survey = Survey.objects.get(hire=nora)
    assert survey.hire_notes == ""
    assert survey.smoother == (
        f"The offer took eleven days after the final round and {ERASED_NAME} nearly took "
        "another one. Agree the pay band first."
    )
    assert survey.missed_criteria == (
        f"Calm under incidents: {ERASED_NAME} handled a nightly failure alone."
    )
    assert list(Survey.objects.filter(hire=nora).values_list(*kept)) == nora_kept
    lessons = set(Lesson.objects.filter(survey__hire=nora).values_list("applies_to", "text"))
    assert ("process_notes", survey.smoother) in lessons
    assert any(a == "who_thrives" and survey.missed_criteria in t for a, t in lessons)
    assert any("On-call" in t for _a, t in lessons)
    assert sorted(CriterionRating.objects.values_list("survey_id", "name", "mattered")) == ratings
    assert {r for _a, r in audit_of(nora)} == {f"{ERASED_NAME} · Platform Engineer"}
    assert {a for a, _r in audit_of(nora)} >= {
        "hire.recorded",
        "hire.start_changed",
        "survey.sent",
        "survey.link_resent",
        "survey.answered",
    }
    retired.refresh_from_db()
    smoother.refresh_from_db()
    assert retired.object_repr == smoother.text[:60]
    assert retired.object_repr.endswith(f"round and {ERASED_NAME[:7]}")
    # The other candidate's hire, on the same role with the same manager, is untouched.
    assert list(Survey.objects.filter(hire=omar).values()) == omar_before["surveys"]
    assert (
        sorted(Lesson.objects.filter(survey__hire=omar).values_list("text", flat=True))
        == omar_before["lessons"]
    )
    assert audit_of(omar) == omar_before["audit"]
    assert {"partnerships.Survey.hire_notes", "partnerships.Lesson.text"} <= set(stored(OMAR))


def test_the_surveys_not_yet_answered_are_withdrawn(
    admin: Member, recruiter: Member, manager: Member
) -> None:
    requisition = make_requisition(recruiter, manager)
    nora = hire(recruiter, requisition, NORA)
    survey = nora.surveys.get()
    send(recruiter, survey)
    link = Message.objects.get(kind=MessageKind.SURVEY).links[0][1]

    erase(admin, NORA)

    survey.refresh_from_db()
    assert survey.cancelled_at is not None
    assert survey.answered_at is None
    page = Client().get(link[link.index("/hs/") :])
    assert page.status_code == 410
    assert "This survey was withdrawn" in page.text
    assert NORA not in page.text


def test_a_customised_survey_message_that_names_them_is_rewritten(
    admin: Member, recruiter: Member, manager: Member, settings: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "partnerships" / "messages"
    folder.mkdir(parents=True)
    named = "{{ hire.application.candidate.name }}"
    (folder / "survey_subject.txt").write_text(f"How is {named} doing?")
    (folder / "survey.txt").write_text(f"How is {named} doing? {{{{ url }}}}")
    (folder / "survey.html").write_text(f"<p>How is <b>{named}</b> doing?</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    requisition = make_requisition(recruiter, manager)
    name = "Nora O'Hired"
    for who in (name, OMAR):
        send(recruiter, hire(recruiter, requisition, who).surveys.get())
    mine = Message.objects.get(html__contains="Nora O&#x27;Hired")
    assert "Nora O&#x27;Hired" in mine.subject + mine.text  # escaped in plain text too

    candidate_erase(actor=admin, candidate=Candidate.objects.get(name=name))

    mine.refresh_from_db()
    assert mine.subject == f"How is {ERASED_NAME} doing?"
    assert mine.text.startswith(f"How is {ERASED_NAME} doing? http")
    assert mine.html == f"<p>How is <b>{ERASED_NAME}</b> doing?</p>"
    theirs = Message.objects.get(subject__contains=OMAR)
    assert theirs.html == f"<p>How is <b>{OMAR}</b> doing?</p>"


def test_a_lesson_carried_in_other_words_leaves_no_name_in_the_log(
    admin: Member, recruiter: Member, manager: Member
) -> None:
    """A name with letters JSON escapes: the audit changes are matched as stored."""
    name = "Zoë Brandão"
    requisition = make_requisition(recruiter, manager)
    survey = hire(recruiter, requisition, name).surveys.get()
    send(recruiter, survey)
    answer(survey, name)
    lesson = Lesson.objects.get(survey=survey, applies_to="process_notes")
    later = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[manager]
    )
    draft = BriefVersionFactory(requisition=later)
    partnership_services.lesson_carry(
        actor=recruiter, lesson=lesson, version=draft, text=f"Agree the pay band early ({name})."
    )
    carried = AuditEntry.objects.get(action="lesson.carried")
    assert name in carried.changes["reworded"][1]

    erase(admin, name)

    carried.refresh_from_db()
    assert carried.changes["reworded"][1] == f"Agree the pay band early ({ERASED_NAME})."
    assert name not in carried.object_repr
    lesson.refresh_from_db()
    assert name not in lesson.text
    # The brief it was carried into is the manager's document, kept as they read it.


def test_erasure_costs_the_same_whatever_the_number_of_surveys(
    admin: Member, recruiter: Member, manager: Member
) -> None:
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[30, 90])

    def erase_cost(name: str, managers: int) -> int:
        others = [
            MemberFactory(workspace=recruiter.workspace, role=Role.HIRING_MANAGER)
            for _ in range(managers - 1)
        ]
        hired = hire(recruiter, make_requisition(recruiter, manager, *others), name)
        for survey in hired.surveys.order_by("checkpoint"):
            send(recruiter, survey)
            if survey.checkpoint == 7:
                answer(survey, name)
        assert hired.surveys.count() == managers * 3
        candidate = Candidate.objects.get(name=name)
        with CaptureQueriesContext(connection) as queries:
            candidate_erase(actor=admin, candidate=candidate)
        assert stored(name) == []
        return len(queries.captured_queries)

    erase_cost("Wendy Warmup", 1)  # fills the caches a first erasure fills (content types)
    one, three = erase_cost("Nora Hired", 1), erase_cost("Nina Hired", 3)
    assert one == three
    assert one <= ERASE_QUERIES
