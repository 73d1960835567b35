"""Stage templates and the rules every list of stages follows."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accord.audit.models import AuditEntry
from accord.pipeline import services
from accord.pipeline.models import Category, StageTemplate, TemplateStage
from accord.pipeline.services.stage_lists import StageSpec, validate_stages
from tests.factories import WorkspaceFactory
from tests.pipeline.conftest import snapshot

pytestmark = pytest.mark.django_db

STANDARD = [
    ("Sourced", "sourced"),
    ("Screen", "screen"),
    ("Submitted to manager", "submitted"),
    ("Manager review", "review"),
    ("Interview 1", "interview"),
    ("Interview 2", "interview"),
    ("Offer", "offer"),
    ("Hired", "hired"),
    ("Rejected", "rejected"),
    ("Withdrawn", "withdrawn"),
]


def stages_of(template: StageTemplate) -> list[tuple[str, str]]:
    return list(template.stages.order_by("position").values_list("name", "category"))


def refused(call, message: str) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        call()
    assert message in " ".join(error.value.messages)
    assert snapshot() == before


def test_the_default_template_is_made_once_with_the_standard_stages(workspace) -> None:
    template = services.default_template(workspace)

    assert template.name == "Standard"
    assert template.is_default
    assert stages_of(template) == STANDARD
    assert list(template.stages.values_list("position", flat=True)) == list(range(10))
    assert services.default_template(workspace).pk == template.pk
    assert StageTemplate.objects.count() == 1
    assert TemplateStage.objects.count() == 10


def test_each_workspace_has_its_own_default(workspace, outsider) -> None:
    ours = services.default_template(workspace)
    theirs = services.default_template(outsider.workspace)

    assert ours.pk != theirs.pk
    assert theirs.workspace == outsider.workspace


def test_a_new_template_copies_the_default_and_is_audited(recruiter) -> None:
    template = services.template_create(actor=recruiter, name="  Engineering  ")

    assert template.name == "Engineering"
    assert not template.is_default
    assert stages_of(template) == STANDARD
    entry = AuditEntry.objects.get(action="stage_template.created")
    assert entry.actor == recruiter.user
    assert entry.changes["name"] == [None, "Engineering"]


def test_a_new_template_can_copy_another(recruiter) -> None:
    lean = services.template_create(
        actor=recruiter,
        name="Lean",
        stages=[
            StageSpec("Applied", Category.SOURCED),
            StageSpec("Hired", Category.HIRED),
            StageSpec("No", Category.REJECTED),
            StageSpec("Left", Category.WITHDRAWN),
        ],
    )

    copy = services.template_create(actor=recruiter, name="Lean 2", copy_from=lean)

    assert stages_of(copy) == [
        ("Applied", "sourced"),
        ("Hired", "hired"),
        ("No", "rejected"),
        ("Left", "withdrawn"),
    ]


def test_template_names_are_unique_in_a_workspace_whatever_the_case(recruiter) -> None:
    services.template_create(actor=recruiter, name="Engineering")

    refused(
        lambda: services.template_create(actor=recruiter, name="ENGINEERING"),
        "A template called “ENGINEERING” exists already",
    )
    refused(
        lambda: services.template_create(actor=recruiter, name="   "),
        "Give the template a name",
    )
    refused(
        lambda: services.template_create(actor=recruiter, name="x" * 81),
        "Keep template names to 80 characters or fewer",
    )


def test_hiring_managers_and_interviewers_cannot_change_templates(
    hiring_manager, interviewer, recruiter
) -> None:
    template = services.default_template(recruiter.workspace)
    for person in (hiring_manager, interviewer):
        refused(
            lambda p=person: services.template_create(actor=p, name="Mine"),
            "Your role does not allow this",
        )
        refused(
            lambda p=person: services.template_stage_add(
                actor=p, template=template, name="Extra", category=Category.SCREEN
            ),
            "Your role does not allow this",
        )


def test_another_workspaces_admin_cannot_touch_our_templates(recruiter, outsider) -> None:
    template = services.default_template(recruiter.workspace)

    refused(
        lambda: services.template_rename(actor=outsider, template=template, name="Ours now"),
        "Your role does not allow this",
    )
    refused(
        lambda: services.template_delete(actor=outsider, template=template),
        "Your role does not allow this",
    )


def test_stages_can_be_added_renamed_rekinded_reordered_and_removed(recruiter) -> None:
    template = services.template_create(actor=recruiter, name="Engineering")

    services.template_stage_add(
        actor=recruiter, template=template, name=" Take-home  task ", category=Category.INTERVIEW
    )
    assert stages_of(template)[-1] == ("Take-home task", "interview")

    take_home = template.stages.get(name="Take-home task")
    for _ in range(20):  # up past the top stops at the top
        services.template_stage_reorder(actor=recruiter, stage=take_home, offset=-1)
    assert stages_of(template)[0] == ("Take-home task", "interview")

    services.template_stage_update(
        actor=recruiter, stage=take_home, name="Task", category=Category.SCREEN
    )
    assert stages_of(template)[0] == ("Task", "screen")

    services.template_stage_reorder(actor=recruiter, stage=take_home, offset=1)
    assert [n for n, _ in stages_of(template)][:2] == ["Sourced", "Task"]

    services.template_stage_remove(actor=recruiter, stage=take_home)
    assert stages_of(template) == STANDARD
    assert list(template.stages.values_list("position", flat=True)) == list(range(10))
    changes = AuditEntry.objects.filter(action="stage_template.updated").order_by("id")
    # add, the 10 moves up that changed the order (not the 10 at the top), rename, down, remove
    assert changes.count() == 14
    assert changes.last().changes["stages"][1] == [f"{n} ({c})" for n, c in STANDARD]


def test_a_move_that_changes_nothing_records_nothing(recruiter) -> None:
    template = services.template_create(actor=recruiter, name="Engineering")
    first = template.stages.get(name="Sourced")
    before = AuditEntry.objects.count()

    services.template_stage_reorder(actor=recruiter, stage=first, offset=-1)

    assert AuditEntry.objects.count() == before
    assert stages_of(template) == STANDARD


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t, a: services.template_stage_remove(actor=a, stage=t.stages.get(name="Hired")),
            "A pipeline needs one Hired stage",
        ),
        (
            lambda t, a: services.template_stage_add(
                actor=a, template=t, name="Hired again", category=Category.HIRED
            ),
            "A pipeline has exactly one Hired stage; “Hired”, “Hired again” are all Hired",
        ),
        (
            lambda t, a: services.template_stage_update(
                actor=a, stage=t.stages.get(name="Rejected"), name="Rejected", category="screen"
            ),
            "A pipeline needs at least one Rejected stage",
        ),
        (
            lambda t, a: services.template_stage_remove(
                actor=a, stage=t.stages.get(name="Withdrawn")
            ),
            "A pipeline needs at least one Withdrawn stage",
        ),
        (
            lambda t, a: services.template_stage_add(
                actor=a, template=t, name="screen", category=Category.SCREEN
            ),
            "There is already a stage called “Screen”",
        ),
        (
            lambda t, a: services.template_stage_update(
                actor=a, stage=t.stages.get(name="Offer"), name=" ", category="offer"
            ),
            "Give the stage a name",
        ),
        (
            lambda t, a: services.template_stage_add(
                actor=a, template=t, name="x" * 61, category=Category.SCREEN
            ),
            "Keep stage names to 60 characters or fewer",
        ),
        (
            lambda t, a: services.template_stage_add(
                actor=a, template=t, name="Limbo", category="limbo"
            ),
            "Choose the stage’s kind from the list",
        ),
    ],
)
def test_a_template_that_breaks_the_rules_is_refused_unchanged(recruiter, change, message):
    template = services.template_create(actor=recruiter, name="Engineering")

    refused(lambda: change(template, recruiter), message)


def test_no_more_than_thirty_stages(recruiter) -> None:
    template = services.template_create(actor=recruiter, name="Engineering")
    for n in range(20):
        services.template_stage_add(
            actor=recruiter, template=template, name=f"Round {n}", category=Category.INTERVIEW
        )

    refused(
        lambda: services.template_stage_add(
            actor=recruiter, template=template, name="One more", category=Category.INTERVIEW
        ),
        "A pipeline has at most 30 stages",
    )


def test_one_default_at_a_time_and_the_default_cannot_be_deleted(recruiter) -> None:
    standard = services.default_template(recruiter.workspace)
    other = services.template_create(actor=recruiter, name="Engineering")

    refused(
        lambda: services.template_delete(actor=recruiter, template=standard),
        "“Standard” is the default for new requisitions. Make another template the default",
    )

    services.template_make_default(actor=recruiter, template=other)

    assert list(StageTemplate.objects.filter(is_default=True)) == [other]
    assert services.default_template(recruiter.workspace).pk == other.pk
    services.template_delete(actor=recruiter, template=standard)
    assert not StageTemplate.objects.filter(pk=standard.pk).exists()
    assert not TemplateStage.objects.filter(template_id=standard.pk).exists()
    assert AuditEntry.objects.filter(action="stage_template.deleted").count() == 1


def test_renaming_keeps_names_unique(recruiter) -> None:
    services.template_create(actor=recruiter, name="Engineering")
    sales = services.template_create(actor=recruiter, name="Sales")

    refused(
        lambda: services.template_rename(actor=recruiter, template=sales, name="engineering"),
        "exists already",
    )
    services.template_rename(actor=recruiter, template=sales, name="Sales & Success")

    sales.refresh_from_db()
    assert sales.name == "Sales & Success"


def test_a_workspace_without_a_default_promotes_its_oldest_template() -> None:
    workspace = WorkspaceFactory()
    old = StageTemplate.objects.create(workspace=workspace, name="Old")

    assert services.default_template(workspace).pk == old.pk
    old.refresh_from_db()
    assert old.is_default


# --- the rules, against an independent statement of them ------------------------------------------

names = st.sampled_from(["A", "a", "B", "C", "Screen", "Hired", "x" * 61, ""])
categories = st.sampled_from([*Category.values, "bogus"])


@given(st.lists(st.tuples(names, categories), max_size=12))
def test_validate_stages_accepts_exactly_the_lists_the_rules_allow(rows) -> None:
    specs = [StageSpec(n, c) for n, c in rows]
    folded = [n.casefold() for n, _ in rows]
    cats = [c for _, c in rows]
    allowed = (
        all(0 < len(n) <= 60 for n, _ in rows)
        and all(c in Category.values for c in cats)
        and len(set(folded)) == len(folded)
        and cats.count("hired") == 1
        and "rejected" in cats
        and "withdrawn" in cats
    )

    try:
        validate_stages(specs)
    except ValidationError:
        accepted = False
    else:
        accepted = True

    assert accepted == allowed
