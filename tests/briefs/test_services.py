"""The brief services: autosave with conflicts, criteria, sign-off, versions, links, glossary."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.briefs import selectors, services
from accord.briefs.diff import brief_diff, word_diff
from accord.briefs.models import (
    AssessedAt,
    BriefLink,
    BriefVersion,
    Channel,
    Criterion,
    Frequency,
    GlossaryTerm,
    InterviewStage,
    Kind,
    Side,
    Signature,
    VagueTerm,
)
from accord.briefs.sections import TEXT_LIMIT
from accord.briefs.services import CriterionInput
from accord.lib.conflicts import Conflict
from accord.requisitions.models import Requisition, Status
from accord.workspaces.models import Member, Role
from tests.factories import CriterionFactory, MemberFactory, RequisitionFactory

pytestmark = pytest.mark.django_db

DEFINITION = "Has owned a plan spanning several quarters and can explain the trade-offs made."
# Enough of an intake to sign: why now, success, turnarounds and communication agreed.
COMPLETE = {
    "why_now": "The platform team lost two engineers and the billing rewrite is stalled.",
    "success_90": "Owns the billing service and has shipped the invoice rewrite.",
    "review_days": 2,
    "decision_days": 3,
    "update_channel": Channel.EMAIL,
    "update_frequency": Frequency.WEEKLY,
}


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def requisition(workspace, recruiter, hiring_manager):
    return RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )


@pytest.fixture
def draft(requisition, recruiter):
    return services.brief_start(actor=recruiter, requisition=requisition)


def complete(version, *criteria_kinds):
    """Fill the version enough to sign, with one criterion per kind given (default: one must)."""
    BriefVersion.objects.filter(pk=version.pk).update(**COMPLETE)
    for kind in criteria_kinds or (Kind.MUST,):
        CriterionFactory(version=version, kind=kind, weight=3 if kind == Kind.NICE else None)
    version.refresh_from_db()
    return version


def fresh(version):
    return BriefVersion.objects.get(pk=version.pk)


def actions():
    return list(AuditEntry.objects.order_by("created_at", "id").values_list("action", flat=True))


def snapshot():
    """Everything a refused action must leave exactly as it was."""
    return {
        "versions": sorted(BriefVersion.objects.values_list()),
        "criteria": sorted(Criterion.objects.values_list()),
        "stages": sorted(InterviewStage.objects.values_list()),
        "signatures": sorted(Signature.objects.values_list()),
        "links": sorted(BriefLink.objects.values_list()),
        "glossary": sorted(GlossaryTerm.objects.values_list()),
        "lexicon": sorted(VagueTerm.objects.values_list()),
        "audit": AuditEntry.objects.count(),
    }


def refused(call, pattern, *, errors=ValidationError):
    """Run `call`, expect the error (matching `pattern`), and check that nothing changed."""
    before = snapshot()
    with pytest.raises(errors) as raised:
        call()
    if errors is ValidationError:
        text = " ".join(raised.value.messages)
        assert re.search(pattern, text), text
    assert snapshot() == before
    return raised.value


def save(actor, version, values, bases=None):
    return services.brief_save_answers(
        actor=actor, version=version, values=values, bases=bases or dict.fromkeys(values, "")
    )


def sign(actor, version, **kwargs):
    return services.brief_sign(
        actor=actor, version=version, revision=fresh(version).revision, **kwargs
    )


def sign_both(recruiter, manager, version):
    sign(recruiter, version)
    assert sign(manager, version) is True
    return fresh(version)


# --- starting and carrying over --------------------------------------------------------------


def test_brief_start_creates_version_one_once(requisition, recruiter):
    version = services.brief_start(actor=recruiter, requisition=requisition)

    assert (version.number, version.revision, version.signed_at) == (1, 1, None)
    assert services.brief_start(actor=recruiter, requisition=requisition) == version
    assert BriefVersion.objects.filter(requisition=requisition).count() == 1
    assert actions() == ["brief.started"]


def test_brief_start_refuses_an_interviewer_and_an_outsider(requisition, interviewer, outsider):
    for actor in (interviewer, outsider):
        refused(
            lambda a=actor: services.brief_start(actor=a, requisition=requisition),
            "Only this role’s recruiter and hiring managers",
        )


def test_carried_over_answers_are_marked_and_cleared_when_edited(
    workspace, recruiter, hiring_manager, draft
):
    BriefVersion.objects.filter(pk=draft.pk).update(
        why_now="Not carried: specific to the old role.",
        team_context="Six engineers, two in Lisbon.",
        past_misstep="Our last hire never asked for help.",
        review_days=2,
    )
    new_req = RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[hiring_manager], title="SRE"
    )

    version = services.brief_start(actor=recruiter, requisition=new_req, carry_from=fresh(draft))

    assert (version.why_now, version.team_context, version.review_days) == (
        "",
        "Six engineers, two in Lisbon.",
        2,
    )
    assert version.carried_over == {
        "from": str(draft.requisition),
        "version": str(draft.public_id),
        "fields": ["team_context", "past_misstep", "review_days"],
    }

    save(
        hiring_manager,
        version,
        {"team_context": "Seven engineers now."},
        {"team_context": "Six engineers, two in Lisbon."},
    )

    assert fresh(version).carried_over["fields"] == ["past_misstep", "review_days"]


def test_carry_from_another_workspace_is_refused(requisition, recruiter, outsider):
    elsewhere = RequisitionFactory(workspace=outsider.workspace, recruiter=outsider)
    other = services.brief_start(actor=outsider, requisition=elsewhere)

    refused(
        lambda: services.brief_start(actor=recruiter, requisition=requisition, carry_from=other),
        "Choose an earlier intake of a role you can see",
    )


def test_a_manager_cannot_carry_over_from_a_role_they_are_not_on(
    requisition, workspace, recruiter, hiring_manager
):
    other_manager = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    theirs = RequisitionFactory(
        workspace=workspace, recruiter=recruiter, hiring_managers=[other_manager]
    )
    other = services.brief_start(actor=recruiter, requisition=theirs)
    BriefVersion.objects.filter(pk=other.pk).update(past_misstep="Private to that role.")

    refused(
        lambda: services.brief_start(
            actor=hiring_manager, requisition=requisition, carry_from=fresh(other)
        ),
        "Choose an earlier intake of a role you can see",
    )


# --- autosave --------------------------------------------------------------------------------


def test_autosave_saves_records_who_and_audits(draft, hiring_manager):
    result = save(
        hiring_manager,
        draft,
        {"why_now": "We are\r\ngrowing.", "review_days": " 2 ", "target_start": "2027-03-01"},
    )

    version = fresh(draft)
    assert result.saved == {
        "why_now": "We are\ngrowing.",
        "review_days": "2",
        "target_start": "2027-03-01",
    }
    assert result.conflicts == []
    assert (version.why_now, version.review_days, version.target_start) == (
        "We are\ngrowing.",
        2,
        date(2027, 3, 1),
    )
    assert version.revision == 2
    assert version.field_edits["why_now"]["by"] == "Hugo Manager"
    entry = AuditEntry.objects.get(action="brief.answers_saved")
    assert entry.actor == hiring_manager.user
    assert entry.object_id == str(draft.public_id)
    assert entry.changes == {
        "why_now": ["", "We are\ngrowing."],
        "review_days": ["", "2"],
        "target_start": ["", "2027-03-01"],
    }


def test_autosave_with_nothing_changed_writes_nothing(draft, recruiter):
    save(recruiter, draft, {"why_now": "Growing."})
    before = snapshot()

    result = save(
        recruiter, draft, {"why_now": "Growing.", "unknown": "x"}, {"why_now": "Growing."}
    )

    assert (result.saved, result.conflicts) == ({}, [])
    assert snapshot() == before


def test_conflict_the_later_save_of_the_same_field_keeps_the_first(
    draft, recruiter, hiring_manager
):
    # Both opened the page when the answer was empty.
    save(recruiter, draft, {"why_now": "Rita's reason."}, {"why_now": ""})
    revision = fresh(draft).revision

    result = save(hiring_manager, draft, {"why_now": "Hugo's reason."}, {"why_now": ""})

    assert result.saved == {}
    [conflict] = result.conflicts
    assert (conflict.field, conflict.mine, conflict.theirs, conflict.by) == (
        "why_now",
        "Hugo's reason.",
        "Rita's reason.",
        "Rita Recruiter",
    )
    assert conflict.label == "Why this role now"
    version = fresh(draft)
    assert (version.why_now, version.revision) == ("Rita's reason.", revision)
    assert actions().count("brief.answers_saved") == 1

    # "Keep mine": the person saves again against the text they have now seen.
    result = save(
        hiring_manager, draft, {"why_now": "Hugo's reason."}, {"why_now": "Rita's reason."}
    )
    assert (result.saved, result.conflicts) == ({"why_now": "Hugo's reason."}, [])
    assert fresh(draft).why_now == "Hugo's reason."


def test_different_fields_of_the_same_form_do_not_conflict(draft, recruiter, hiring_manager):
    # The editor posts the whole section, with each field's base: what that page last showed.
    save(recruiter, draft, {"why_now": "Rita's reason.", "business_goals": ""})

    result = save(
        hiring_manager,
        draft,
        {"why_now": "", "business_goals": "Ship the billing rewrite."},
        {"why_now": "", "business_goals": ""},
    )

    assert (result.saved, result.conflicts) == ({"business_goals": "Ship the billing rewrite."}, [])
    version = fresh(draft)
    assert (version.why_now, version.business_goals) == (
        "Rita's reason.",
        "Ship the billing rewrite.",
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"why_now": "x" * (TEXT_LIMIT + 1)}, "why_now", "under 4000 characters"),
        ({"best_times": "x" * 301}, "best_times", "under 300 characters"),
        ({"review_days": "0"}, "review_days", "from 1 to 60"),
        ({"decision_days": "61"}, "decision_days", "from 1 to 60"),
        ({"review_days": "two"}, "review_days", "from 1 to 60"),
        ({"target_start": "1 March"}, "target_start", "date like 2027-03-01"),
        ({"target_start": "2027-02-30"}, "target_start", "date like 2027-03-01"),
        ({"update_channel": "pigeon"}, "update_channel", "listed options"),
        ({"update_frequency": "hourly"}, "update_frequency", "listed options"),
        ({"update_time_zone": "Mars/Olympus"}, "update_time_zone", "listed options"),
    ],
)
def test_invalid_input_saves_nothing(draft, recruiter, values, field, message):
    # A valid answer in the same request is not saved either.
    error = refused(lambda: save(recruiter, draft, {"business_goals": "Valid.", **values}), message)
    assert list(error.message_dict) == [field]
    assert fresh(draft).revision == 1


def test_autosave_refuses_outsiders_interviewers_and_other_managers(
    draft, workspace, interviewer, outsider
):
    other_manager = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    for actor in (interviewer, outsider, other_manager):
        refused(
            lambda a=actor: save(a, draft, {"why_now": "Mine."}),
            "Only this role’s recruiter and hiring managers",
        )


# --- criteria --------------------------------------------------------------------------------


def test_criterion_add_defaults_weights_and_audits(draft, recruiter):
    must = services.criterion_add(
        actor=recruiter,
        version=draft,
        data=CriterionInput(name="  Python  ", kind=Kind.MUST, weight=4, definition=DEFINITION),
    )
    nice = services.criterion_add(
        actor=recruiter, version=draft, data=CriterionInput(name="Payments", kind=Kind.NICE)
    )

    assert (must.name, must.kind, must.weight, must.position) == ("Python", Kind.MUST, None, 1)
    assert (nice.kind, nice.weight, nice.position) == (Kind.NICE, 3, 2)
    assert fresh(draft).revision == 3
    entries = AuditEntry.objects.filter(action="criterion.added").order_by("id")
    assert [e.changes for e in entries] == [
        {"criterion": [None, "Python (Must-have)"]},
        {"criterion": [None, "Payments (Nice-to-have)"]},
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (CriterionInput(name="Payments", kind=Kind.NICE, weight=0), "weight", "from 1"),
        (CriterionInput(name="Payments", kind=Kind.NICE, weight=6), "weight", "to 5"),
        (
            CriterionInput(name="Strategic thinker", definition="x" * 601),
            "definition",
            "under 600 characters \\(it has 601\\)",
        ),
        (CriterionInput(name="   "), "name", "Name the criterion"),
        (CriterionInput(name="x" * 161), "name", "under 160 characters"),
        (CriterionInput(name="Python", kind="maybe"), "kind", "must-have or nice-to-have"),
        (CriterionInput(name="Python", assessed_at="lunch"), "assessed_at", "where"),
    ],
)
def test_criterion_add_refuses_bad_input(draft, recruiter, data, field, message):
    error = refused(
        lambda: services.criterion_add(actor=recruiter, version=draft, data=data), message
    )
    assert list(error.message_dict) == [field]
    assert fresh(draft).revision == 1


def test_criterion_stage_must_be_of_the_same_brief(draft, recruiter, workspace):
    other = services.brief_start(
        actor=recruiter, requisition=RequisitionFactory(workspace=workspace)
    )
    stage = services.stage_add(actor=recruiter, version=other, name="Technical interview")

    refused(
        lambda: services.criterion_add(
            actor=recruiter,
            version=draft,
            data=CriterionInput(name="Python", assessed_at=AssessedAt.INTERVIEW, stage=stage),
        ),
        "stage of this brief",
    )


def test_criterion_update_saves_and_audits(draft, recruiter):
    criterion = CriterionFactory(version=draft, name="Python", definition="")

    updated = services.criterion_update(
        actor=recruiter,
        criterion=criterion,
        revision=1,
        data=CriterionInput(name="Python", kind=Kind.NICE, weight=4, definition=DEFINITION),
    )

    assert (updated.kind, updated.weight, updated.definition, updated.revision) == (
        Kind.NICE,
        4,
        DEFINITION,
        2,
    )
    entry = AuditEntry.objects.get(action="criterion.updated")
    assert entry.changes == {
        "kind": ["must", "nice"],
        "weight": [None, 4],
        "definition": ["", DEFINITION],
    }
    assert entry.object_repr.endswith("· Python")


def test_criterion_update_with_a_stale_revision_is_a_conflict(draft, recruiter, hiring_manager):
    criterion = CriterionFactory(version=draft, name="Python")
    services.criterion_update(
        actor=recruiter, criterion=criterion, revision=1, data=CriterionInput(name="Python 3")
    )

    conflict = refused(
        lambda: services.criterion_update(
            actor=hiring_manager,
            criterion=criterion,
            revision=1,
            data=CriterionInput(name="Go", kind=Kind.NICE),
        ),
        "",
        errors=Conflict,
    )
    assert (conflict.current.name, conflict.current.revision) == ("Python 3", 2)


def test_criterion_update_refuses_bad_input(draft, recruiter):
    criterion = CriterionFactory(version=draft)
    refused(
        lambda: services.criterion_update(
            actor=recruiter,
            criterion=criterion,
            revision=1,
            data=CriterionInput(name=criterion.name, definition="x" * 601),
        ),
        "under 600 characters",
    )


def test_criterion_delete_audits(draft, hiring_manager):
    criterion = CriterionFactory(version=draft, name="Python")

    services.criterion_delete(actor=hiring_manager, criterion=criterion)

    assert not Criterion.objects.filter(pk=criterion.pk).exists()
    assert AuditEntry.objects.get(action="criterion.removed").changes == {
        "criterion": ["Python", None]
    }
    assert fresh(draft).revision == 2


def test_stage_add_and_delete(draft, recruiter):
    stage = services.stage_add(actor=recruiter, version=draft, name=" Technical ", assesses="Code")
    criterion = CriterionFactory(version=draft, assessed_at=AssessedAt.INTERVIEW, stage=stage)
    refused(lambda: services.stage_add(actor=recruiter, version=draft, name=""), "Name the stage")

    services.stage_delete(actor=recruiter, stage=stage)

    criterion.refresh_from_db()
    assert (criterion.assessed_at, criterion.stage) == (AssessedAt.INTERVIEW, None)
    assert actions()[-2:] == ["stage.added", "stage.removed"]


# --- sign-off --------------------------------------------------------------------------------


def test_sign_refuses_an_incomplete_brief_listing_what_is_missing(draft, recruiter):
    CriterionFactory(version=draft, definition="")

    error = refused(lambda: sign(recruiter, draft), "why this role")

    assert error.messages == [
        "Say why this role is needed now.",
        "Describe what success looks like at 30, 60 or 90 days, or after a year.",
        f"Write an agreed definition for: {Criterion.objects.get().name}.",
        "Agree the manager’s turnarounds: shortlist review and decision time.",
        "Agree how and how often you keep each other informed.",
    ]


def test_sign_refuses_a_brief_without_a_must_have(draft, recruiter):
    complete(draft, Kind.NICE)
    refused(lambda: sign(recruiter, draft), "at least one must-have")


def test_both_sides_sign_and_the_version_is_in_force_and_immutable(
    draft, recruiter, hiring_manager
):
    complete(draft)
    criterion = Criterion.objects.get(version=draft)

    assert sign(recruiter, draft) is False
    assert fresh(draft).signed_at is None
    assert sign(hiring_manager, draft, via_link=True) is True

    version = fresh(draft)
    assert version.signed_at is not None
    assert selectors.in_force(draft.requisition) == version
    assert selectors.draft_of(draft.requisition) is None
    assert sorted(Signature.objects.values_list("side", "revision", "via_link")) == [
        (Side.MANAGER, version.revision, True),
        (Side.RECRUITER, version.revision, False),
    ]
    assert actions()[-3:] == ["brief.signed", "brief.signed", "brief.in_force"]

    signed = "Version 1 is signed and can’t change"
    refused(lambda: save(recruiter, version, {"why_now": "Changed."}), signed)
    refused(
        lambda: services.criterion_add(
            actor=recruiter, version=version, data=CriterionInput(name="Go")
        ),
        signed,
    )
    refused(
        lambda: services.criterion_update(
            actor=recruiter, criterion=criterion, revision=1, data=CriterionInput(name="Go")
        ),
        signed,
    )
    refused(lambda: services.criterion_delete(actor=recruiter, criterion=criterion), signed)
    refused(lambda: services.stage_add(actor=recruiter, version=version, name="Panel"), signed)
    refused(lambda: sign(hiring_manager, version), "already signed")


def test_a_change_after_one_signature_withdraws_it(draft, recruiter, hiring_manager):
    complete(draft)
    sign(recruiter, draft)

    save(hiring_manager, draft, {"why_now": "A different reason."}, {"why_now": draft.why_now})

    assert not Signature.objects.exists()
    entry = AuditEntry.objects.get(action="brief.signatures_withdrawn")
    assert entry.changes == {"signed_by": [[str(recruiter)], []]}
    assert sign(hiring_manager, draft) is False
    assert fresh(draft).signed_at is None


def test_a_criterion_change_after_one_signature_withdraws_it(draft, recruiter, hiring_manager):
    complete(draft)
    sign(hiring_manager, draft)

    services.criterion_add(
        actor=recruiter, version=draft, data=CriterionInput(name="Go", definition=DEFINITION)
    )

    assert not Signature.objects.exists()
    assert sign(recruiter, draft) is False


def test_signing_a_stale_revision_is_refused(draft, recruiter):
    complete(draft)
    refused(
        lambda: services.brief_sign(
            actor=recruiter, version=draft, revision=fresh(draft).revision - 1
        ),
        "changed while you were reading",
    )


def test_only_the_recruiter_and_the_managers_sign(draft, workspace, admin, interviewer, outsider):
    complete(draft)
    draft.requisition.hiring_team.add(interviewer)
    other_manager = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    for actor in (admin, interviewer, outsider, other_manager):
        refused(lambda a=actor: sign(a, draft), "Only this role’s recruiter and hiring managers")


# --- new versions and the diff ---------------------------------------------------------------


def test_brief_revise_needs_a_signed_brief_and_a_reason(draft, recruiter, hiring_manager):
    refused(
        lambda: services.brief_revise(actor=recruiter, requisition=draft.requisition, reason="x"),
        "A new version is already in progress",
    )
    complete(draft)
    sign_both(recruiter, hiring_manager, draft)
    refused(
        lambda: services.brief_revise(actor=recruiter, requisition=draft.requisition, reason="  "),
        "Say what changes and why",
    )
    refused(
        lambda: services.brief_revise(
            actor=recruiter, requisition=draft.requisition, reason="x" * 501
        ),
        "under 500 characters",
    )


def test_brief_revise_copies_answers_stages_and_criteria_keeping_lineage(
    draft, recruiter, hiring_manager, interviewer
):
    complete(draft)
    stage = services.stage_add(actor=recruiter, version=draft, name="Technical interview")
    services.criterion_add(
        actor=recruiter,
        version=draft,
        data=CriterionInput(
            name="Payments",
            kind=Kind.NICE,
            weight=4,
            definition=DEFINITION,
            assessed_at=AssessedAt.INTERVIEW,
            stage=stage,
            skills=({"label": "Stripe", "ref": "", "min_years": 2, "level": ""},),
        ),
    )
    v1 = sign_both(recruiter, hiring_manager, draft)

    v2 = services.brief_revise(
        actor=hiring_manager, requisition=draft.requisition, reason="  Budget cut to one hire.  "
    )

    assert (v2.number, v2.reason, v2.signed_at, v2.revision) == (
        2,
        "Budget cut to one hire.",
        None,
        1,
    )
    assert selectors.draft_of(draft.requisition) == v2
    assert selectors.in_force(draft.requisition) == v1
    assert (v2.why_now, v2.review_days) == (v1.why_now, v1.review_days)
    fields = ("name", "kind", "weight", "definition", "assessed_at", "skills", "lineage")
    assert list(v2.criteria.values_list(*fields)) == list(v1.criteria.values_list(*fields))
    assert not set(v2.criteria.values_list("pk", flat=True)) & set(
        v1.criteria.values_list("pk", flat=True)
    )
    new_stage = v2.stages.get()
    assert (new_stage.name, new_stage.lineage) == (stage.name, stage.lineage)
    assert v2.criteria.get(name="Payments").stage == new_stage
    entry = AuditEntry.objects.get(action="brief.revised")
    assert entry.changes == {"version": [1, 2], "reason": [None, "Budget cut to one hire."]}

    refused(
        lambda: services.brief_revise(actor=recruiter, requisition=draft.requisition, reason="x"),
        "already in progress",
    )
    # Only one draft at a time, whatever the path.
    assert BriefVersion.objects.drafts().filter(requisition=draft.requisition).count() == 1


def test_brief_revise_refuses_interviewers(draft, recruiter, hiring_manager, interviewer):
    complete(draft)
    sign_both(recruiter, hiring_manager, draft)
    refused(
        lambda: services.brief_revise(
            actor=interviewer, requisition=draft.requisition, reason="Mine."
        ),
        "Only this role’s recruiter and hiring managers",
    )


def test_diff_between_versions_shows_answers_and_criteria(draft, recruiter, hiring_manager):
    complete(draft)
    CriterionFactory(version=draft, name="Kubernetes")
    CriterionFactory(version=draft, name="Team player")
    v1 = sign_both(recruiter, hiring_manager, draft)
    v2 = services.brief_revise(actor=recruiter, requisition=v1.requisition, reason="Rescoped.")
    save(
        recruiter,
        v2,
        {"why_now": v1.why_now.replace("two engineers", "three engineers")},
        {"why_now": v1.why_now},
    )
    kubernetes = v2.criteria.get(name="Kubernetes")
    services.criterion_update(
        actor=recruiter,
        criterion=kubernetes,
        revision=kubernetes.revision,
        data=CriterionInput(name="Kubernetes", kind=Kind.NICE, definition=kubernetes.definition),
    )
    services.criterion_delete(actor=recruiter, criterion=v2.criteria.get(name="Team player"))
    services.criterion_add(
        actor=recruiter, version=v2, data=CriterionInput(name="Go", definition=DEFINITION)
    )
    v2 = fresh(v2)

    changes = brief_diff(
        v1,
        v2,
        old_criteria=list(v1.criteria.all()),
        new_criteria=list(v2.criteria.all()),
        old_stages=[],
        new_stages=[],
    )

    assert [(c.kind, c.label) for c in changes] == [
        ("answer", "Why this role now"),
        ("criterion_changed", "Criterion: Kubernetes"),
        ("criterion_added", "Criterion: Go"),
        ("criterion_removed", "Criterion: Team player"),
    ]
    answer = changes[0]
    assert [(s.op, s.text) for s in answer.segments if s.op != "same"] == [
        ("removed", "two"),
        ("added", "three"),
    ]
    assert "".join(s.text for s in answer.segments if s.op != "removed") == v2.why_now
    assert changes[1].details == (
        ("Kind", "Must-have", "Nice-to-have"),
        ("Weight", "", "3"),
    )
    assert ("Definition", "", DEFINITION) in changes[2].details
    assert ("Name", "Team player", "") in changes[3].details


def test_diff_of_identical_versions_is_empty(draft, recruiter, hiring_manager):
    complete(draft)
    v1 = sign_both(recruiter, hiring_manager, draft)
    v2 = services.brief_revise(actor=recruiter, requisition=v1.requisition, reason="Check.")
    assert (
        brief_diff(
            v1,
            v2,
            old_criteria=list(v1.criteria.all()),
            new_criteria=list(v2.criteria.all()),
            old_stages=list(v1.stages.all()),
            new_stages=list(v2.stages.all()),
        )
        == []
    )


def test_word_diff_keeps_unchanged_words_and_spacing():
    segments = word_diff("Owns the billing  service", "Owns the payments  service today")
    assert [(s.op, s.text) for s in segments] == [
        ("same", "Owns the "),
        ("removed", "billing"),
        ("added", "payments"),
        ("same", "  service"),
        ("added", " today"),
    ]


# --- links and emails ------------------------------------------------------------------------


@pytest.fixture
def sent_links(requisition, recruiter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.intake_send(actor=recruiter, requisition=requisition, message="Thanks!")


def test_intake_send_emails_each_manager_a_link_and_moves_to_intake(
    requisition, recruiter, hiring_manager, workspace, django_capture_on_commit_callbacks
):
    second = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    requisition.hiring_managers.add(second)
    assert requisition.status == Status.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        links = services.intake_send(actor=recruiter, requisition=requisition, message="Thanks!")

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [hiring_manager.user.email, second.user.email]
    )
    for link in links:
        [message] = [m for m in mail.outbox if m.to == [link.member.user.email]]
        assert services.link_token(link) in message.body
        assert "Thanks!" in message.body
        assert message.subject == f"Your input for {requisition.title}: the intake (10 minutes)"
    requisition.refresh_from_db()
    assert requisition.status == Status.INTAKE
    assert selectors.draft_of(requisition) is not None
    assert actions() == ["brief.started", "requisition.status_changed", "intake.sent"]


def test_intake_send_refuses_managers_and_sends_nothing(
    requisition, hiring_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: services.intake_send(actor=hiring_manager, requisition=requisition),
            "Your role does not allow this",
        )
    assert mail.outbox == []


def test_intake_send_without_a_hiring_manager_is_refused(
    workspace, recruiter, django_capture_on_commit_callbacks
):
    requisition = RequisitionFactory(workspace=workspace, recruiter=recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: services.intake_send(actor=recruiter, requisition=requisition),
            "Add a hiring manager",
        )
    assert mail.outbox == []
    requisition.refresh_from_db()
    assert requisition.status == Status.DRAFT


def test_a_valid_link_resolves_to_its_manager_and_requisition(sent_links, hiring_manager):
    [link] = sent_links
    resolved = services.link_from_token(services.link_token(link))
    assert resolved == link
    assert (resolved.member, resolved.requisition) == (hiring_manager, link.requisition)


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[: len(token) // 2],
        lambda token: "",
        lambda token: signing.Signer(salt="another").sign_object({"l": token}),
    ],
)
def test_a_forged_link_is_a_problem(sent_links, forge):
    problem = services.link_from_token(forge(services.link_token(sent_links[0])))
    assert isinstance(problem, services.LinkProblem)
    assert problem.title == "This link doesn’t work"


def test_a_link_to_a_deleted_row_is_a_problem(sent_links):
    token = services.link_token(sent_links[0])
    BriefLink.objects.all().delete()
    assert services.link_from_token(token).title == "This link doesn’t work"


def test_an_expired_link_is_a_problem(sent_links):
    link = sent_links[0]
    BriefLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    problem = services.link_from_token(services.link_token(link))
    assert problem.title == "This link has expired"
    assert "14 days" in problem.message


def test_sending_again_withdraws_the_old_link(
    sent_links, requisition, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [newer] = services.intake_send(actor=recruiter, requisition=requisition)

    assert services.link_from_token(services.link_token(sent_links[0])).title == (
        "This link was withdrawn"
    )
    assert services.link_from_token(services.link_token(newer)) == newer


def test_a_deactivated_manager_or_a_closed_role_kills_the_link(sent_links, hiring_manager):
    token = services.link_token(sent_links[0])
    Requisition.objects.filter(pk=sent_links[0].requisition_id).update(status=Status.CANCELLED)
    assert services.link_from_token(token).title == "This role is closed"
    Member.objects.filter(pk=hiring_manager.pk).update(is_active=False)
    assert services.link_from_token(token).title == "This link was withdrawn"


def test_sign_off_request_emails_the_recruiter_and_each_manager(
    draft, recruiter, hiring_manager, django_capture_on_commit_callbacks
):
    complete(draft)

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.sign_off_request(actor=recruiter, version=draft)

    assert sent == 2
    by_email = {m.to[0]: m for m in mail.outbox}
    assert set(by_email) == {recruiter.user.email, hiring_manager.user.email}
    link = BriefLink.objects.get(member=hiring_manager)
    assert services.link_token(link) in by_email[hiring_manager.user.email].body
    assert f"/requisitions/{draft.requisition.public_id}/brief/edit/" in (
        by_email[recruiter.user.email].body
    )
    assert by_email[recruiter.user.email].subject == (
        f"Please sign the brief for {draft.requisition.title} (version 1)"
    )
    assert fresh(draft).sign_off_requested_at is not None
    assert AuditEntry.objects.get(action="brief.sign_off_requested").changes == {
        "recipients": [None, 2]
    }


def test_sign_off_request_skips_who_already_signed(
    draft, recruiter, hiring_manager, django_capture_on_commit_callbacks
):
    complete(draft)
    sign(recruiter, draft)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.sign_off_request(actor=recruiter, version=draft) == 1

    assert [m.to for m in mail.outbox] == [[hiring_manager.user.email]]


def test_sign_off_request_refuses_an_incomplete_brief_and_outsiders(
    draft, recruiter, outsider, interviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refused(lambda: services.sign_off_request(actor=recruiter, version=draft), "why this role")
        complete(draft)
        for actor in (outsider, interviewer):
            refused(
                lambda a=actor: services.sign_off_request(actor=a, version=draft),
                "Only this role’s recruiter and hiring managers",
            )
    assert mail.outbox == []


# --- glossary and lexicon --------------------------------------------------------------------


def test_glossary_term_save_adds_then_updates_per_team(recruiter, admin):
    first = services.glossary_term_save(
        actor=recruiter, term=" Strategic thinker ", definition=DEFINITION
    )
    team = services.glossary_term_save(
        actor=recruiter, term="strategic thinker", definition="Platform's own.", team="Platform"
    )
    updated = services.glossary_term_save(
        actor=admin, term="STRATEGIC THINKER", definition="Has owned a roadmap."
    )

    assert updated.pk == first.pk
    assert team.pk != first.pk
    assert sorted(GlossaryTerm.objects.values_list("term", "team", "definition")) == [
        ("Strategic thinker", "", "Has owned a roadmap."),
        ("strategic thinker", "Platform", "Platform's own."),
    ]
    assert GlossaryTerm.objects.get(pk=first.pk).updated_by == admin
    assert [
        e.changes for e in AuditEntry.objects.filter(action="glossary.saved").order_by("id")
    ] == [
        {"definition": [None, DEFINITION]},
        {"definition": [None, "Platform's own."]},
        {"definition": [DEFINITION, "Has owned a roadmap."]},
    ]


def test_glossary_is_per_workspace(recruiter, outsider):
    services.glossary_term_save(actor=recruiter, term="Team player", definition=DEFINITION)
    services.glossary_term_save(actor=outsider, term="Team player", definition="Theirs.")
    assert GlossaryTerm.objects.filter(workspace=recruiter.workspace).get().definition == DEFINITION
    assert GlossaryTerm.objects.filter(workspace=outsider.workspace).get().definition == "Theirs."


def test_glossary_refuses_bad_input_and_managers(recruiter, hiring_manager):
    refused(
        lambda: services.glossary_term_save(actor=recruiter, term="", definition=DEFINITION),
        "Give the term",
    )
    refused(
        lambda: services.glossary_term_save(actor=recruiter, term="Rockstar", definition=" "),
        "observable evidence",
    )
    refused(
        lambda: services.glossary_term_save(actor=recruiter, term="Rockstar", definition="x" * 601),
        "under 600 characters",
    )
    refused(
        lambda: services.glossary_term_save(
            actor=hiring_manager, term="Rockstar", definition=DEFINITION
        ),
        "Your role does not allow this",
    )


def test_glossary_delete_checks_the_workspace(recruiter, outsider):
    entry = services.glossary_term_save(actor=recruiter, term="Rockstar", definition=DEFINITION)
    refused(
        lambda: services.glossary_term_delete(actor=outsider, entry=entry),
        "Your role does not allow this",
    )
    services.glossary_term_delete(actor=recruiter, entry=entry)
    assert not GlossaryTerm.objects.exists()
    assert actions()[-1] == "glossary.removed"


def test_vague_term_add_normalises_and_refuses_duplicates(admin):
    entry = services.vague_term_add(actor=admin, term="  Go-Getter   Attitude ", ask=" What? ")

    assert (entry.term, entry.ask, entry.created_by) == ("go-getter attitude", "What?", admin)
    assert actions() == ["lexicon.added"]
    refused(
        lambda: services.vague_term_add(actor=admin, term="GO-GETTER attitude"),
        "already on the list",
    )
    refused(lambda: services.vague_term_add(actor=admin, term=" "), "Give the word or phrase")


def test_vague_terms_are_for_admins_only(recruiter, hiring_manager, admin, outsider):
    for actor in (recruiter, hiring_manager):
        refused(
            lambda a=actor: services.vague_term_add(actor=a, term="ninja"),
            "Your role does not allow this",
        )
    entry = services.vague_term_add(actor=admin, term="ninja")
    refused(
        lambda: services.vague_term_delete(actor=outsider, entry=entry),
        "Your role does not allow this",
    )
    services.vague_term_delete(actor=admin, entry=entry)
    assert not VagueTerm.objects.exists()


def test_intake_send_refuses_a_signed_brief(draft, recruiter, hiring_manager):
    complete(draft)
    sign_both(recruiter, hiring_manager, draft)
    refused(
        lambda: services.intake_send(actor=recruiter, requisition=draft.requisition),
        "The brief is signed; start a new version",
    )


def test_diff_shows_choices_by_their_labels_and_skips_blanks(draft, recruiter, hiring_manager):
    complete(draft)
    v1 = sign_both(recruiter, hiring_manager, draft)
    v2 = services.brief_revise(actor=recruiter, requisition=v1.requisition, reason="Cadence.")
    save(
        recruiter,
        v2,
        {"update_frequency": Frequency.BIWEEKLY, "target_start": "2027-03-01"},
        {"update_frequency": Frequency.WEEKLY, "target_start": ""},
    )

    changes = brief_diff(
        v1, fresh(v2), old_criteria=[], new_criteria=[], old_stages=[], new_stages=[]
    )

    assert [(c.label, [(s.op, s.text) for s in c.segments]) for c in changes] == [
        ("Target start date", [("added", "2027-03-01")]),
        ("Frequency of updates", [("removed", "Weekly"), ("added", "Every two weeks")]),
    ]
