"""Answering a post-hire survey: answers saved with the criteria re-rated and turned into lessons,
bad answers refused with nothing changed, only the survey's manager answers and only once, the
process questions only at their first survey."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.partnerships.models import (
    CriterionRating,
    Hire,
    HirePolicy,
    Lesson,
    Mattered,
    Partnership,
    Survey,
)
from accord.partnerships.survey_answers import asks_process, criteria_of, survey_answer
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member
from tests.partnerships.hiring import (
    answers,
    hire_one,
)


def test_answers_are_saved_with_ratings_and_become_lessons(
    recruiter: Member, manager: Member, hire: Hire
) -> None:
    survey = Survey.objects.get(hire=hire)
    kubernetes, on_call = criteria_of(survey)
    given = answers(
        survey,
        smoother="Send fewer, better profiles.",
        missed_criteria="Calm under incidents.",
        mattered={kubernetes.pk: Mattered.CRUCIAL, on_call.pk: Mattered.NOT},
    )
    survey_answer(actor=manager, survey=survey, answers=given, via_link=True)
    survey.refresh_from_db()
    assert survey.answered_at is not None
    assert survey.via_link
    assert (survey.process_rating, survey.hire_rating) == (4, 5)
    assert dict(CriterionRating.objects.values_list("name", "mattered")) == {
        "Kubernetes": "crucial",
        "On-call": "not",
    }
    partnership = Partnership.objects.get(manager=manager)
    assert partnership.recruiter == recruiter
    lessons = {(x.applies_to, x.text) for x in Lesson.objects.filter(partnership=partnership)}
    assert ("process_notes", "Send fewer, better profiles.") in lessons
    assert any(a == "" and "On-call" in t and "Platform Engineer" in t for a, t in lessons)
    assert any(a == "who_thrives" and "Calm under incidents." in t for a, t in lessons)
    assert len(lessons) == 3
    assert AuditEntry.objects.filter(action="survey.answered").exists()


def test_bad_answers_are_refused_and_change_nothing(manager: Member, hire: Hire) -> None:
    survey = Survey.objects.get(hire=hire)
    criteria = criteria_of(survey)
    with pytest.raises(ValidationError) as error:
        survey_answer(
            actor=manager,
            survey=survey,
            answers=answers(survey, process_rating=None, mattered={criteria[0].pk: "crucial"}),
            via_link=False,
        )
    text = " ".join(error.value.messages)
    assert "hiring process" in text
    assert "On-call" in text
    with pytest.raises(ValidationError):
        survey_answer(
            actor=manager, survey=survey, answers=answers(survey, hire_rating=6), via_link=False
        )
    survey.refresh_from_db()
    assert survey.answered_at is None
    assert not CriterionRating.objects.exists()
    assert not Lesson.objects.exists()


def test_only_the_surveys_manager_answers_and_only_once(
    recruiter: Member, manager: Member, hire: Hire
) -> None:
    survey = Survey.objects.get(hire=hire)
    with pytest.raises(PermissionDenied):
        survey_answer(actor=recruiter, survey=survey, answers=answers(survey), via_link=False)
    survey_answer(actor=manager, survey=survey, answers=answers(survey), via_link=False)
    with pytest.raises(ValidationError):
        survey_answer(actor=manager, survey=survey, answers=answers(survey), via_link=False)
    assert CriterionRating.objects.count() == 2


def test_a_later_checkpoint_skips_the_process_questions(
    recruiter: Member, manager: Member, requisition: Requisition
) -> None:
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[30])
    hire = hire_one(recruiter, requisition)
    first, later = Survey.objects.filter(hire=hire).order_by("checkpoint")
    assert asks_process(first)
    assert not asks_process(later)
    survey_answer(
        actor=manager,
        survey=later,
        answers=answers(later, process_rating=None, smoother="ignored"),
        via_link=False,
    )
    later.refresh_from_db()
    assert later.process_rating is None
    assert later.smoother == ""
    assert not Lesson.objects.filter(applies_to="process_notes").exists()


def test_a_first_survey_cancelled_unsent_leaves_the_process_questions_to_the_next(
    recruiter: Member, manager: Member, requisition: Requisition
) -> None:
    """A manager off the role at day 7 and put back by day 30 was never asked about the process."""
    HirePolicy.objects.create(workspace=recruiter.workspace, checkpoints=[30])
    hire = hire_one(recruiter, requisition)
    first, later = Survey.objects.filter(hire=hire).order_by("checkpoint")
    Survey.objects.filter(pk=first.pk).update(cancelled_at=timezone.now())
    assert asks_process(later)
    Survey.objects.filter(pk=first.pk).update(sent_at=timezone.now())  # it had gone out
    assert not asks_process(later)
