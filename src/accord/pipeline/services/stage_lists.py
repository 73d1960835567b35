"""What a list of stages must be, for a template or a requisition's pipeline, and how a list is
rewritten in place (keeping the rows that stay, so applications keep their stage)."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accord.pipeline.models import Category, Stage, TemplateStage

NAME_LIMIT = 60
TEMPLATE_NAME_LIMIT = 80
STAGES_LIMIT = 30


@dataclass(frozen=True)
class StageSpec:
    """One stage as wanted: `pk` names the existing row it keeps, None for a new one."""

    name: str
    category: str
    pk: int | None = None


class StageRow(Protocol):
    pk: int
    name: str
    category: str
    position: int


def clean_name(name: str) -> str:
    return " ".join(str(name).split())


def specs_of(rows: Sequence[StageRow]) -> list[StageSpec]:
    return [StageSpec(name=r.name, category=r.category, pk=r.pk) for r in rows]


def describe(specs: Sequence[StageSpec | StageRow]) -> list[str]:
    """Stages as the audit log shows them: "Screen (screen)"."""
    return [f"{s.name} ({s.category})" for s in specs]


def validate_stages(specs: Sequence[StageSpec]) -> None:
    """Refuse a list of stages a pipeline can't run on, saying what to change."""
    if len(specs) > STAGES_LIMIT:
        raise ValidationError(
            _("A pipeline has at most %(n)s stages. Remove one before adding another.")
            % {"n": STAGES_LIMIT}
        )
    for spec in specs:
        if not spec.name:
            raise ValidationError({"name": _("Give the stage a name, e.g. Phone screen.")})
        if len(spec.name) > NAME_LIMIT:
            raise ValidationError(
                {"name": _("Keep stage names to %(n)s characters or fewer.") % {"n": NAME_LIMIT}}
            )
        if spec.category not in Category.values:
            raise ValidationError({"category": _("Choose the stage’s kind from the list.")})
    names = Counter(s.name.casefold() for s in specs)
    twice = next((s.name for s in specs if names[s.name.casefold()] > 1), None)
    if twice is not None:
        raise ValidationError(
            {
                "name": _("There is already a stage called “%(name)s”. Give each its own name.")
                % {"name": twice}
            }
        )
    hired = [s.name for s in specs if s.category == Category.HIRED]
    if not hired:
        raise ValidationError(
            _("A pipeline needs one Hired stage: it is where a successful search ends.")
        )
    if len(hired) > 1:
        raise ValidationError(
            _(
                "A pipeline has exactly one Hired stage; %(names)s are all Hired. Change the kind "
                "of all but one."
            )
            % {"names": ", ".join(f"“{n}”" for n in hired)}
        )
    if not any(s.category == Category.REJECTED for s in specs):
        raise ValidationError(
            _(
                "A pipeline needs at least one Rejected stage, so candidates who don’t go ahead "
                "are recorded with a reason."
            )
        )
    if not any(s.category == Category.WITHDRAWN for s in specs):
        raise ValidationError(
            _(
                "A pipeline needs at least one Withdrawn stage, for candidates who step out of "
                "the process."
            )
        )


def validate_template_name(name: str, taken: Sequence[str]) -> str:
    name = clean_name(name)
    if not name:
        raise ValidationError({"name": _("Give the template a name, e.g. Engineering.")})
    if len(name) > TEMPLATE_NAME_LIMIT:
        raise ValidationError(
            {
                "name": _("Keep template names to %(n)s characters or fewer.")
                % {"n": TEMPLATE_NAME_LIMIT}
            }
        )
    if name.casefold() in {t.casefold() for t in taken}:
        raise ValidationError(
            {
                "name": _("A template called “%(name)s” exists already. Choose another name.")
                % {"name": name}
            }
        )
    return name


def _index(specs: list[StageSpec], pk: int | None) -> int:
    for index, spec in enumerate(specs):
        if spec.pk == pk:
            return index
    raise ValidationError(_("That stage was removed meanwhile. Reload the page."))


def replaced(specs: list[StageSpec], spec: StageSpec) -> list[StageSpec]:
    index = _index(specs, spec.pk)
    return [*specs[:index], spec, *specs[index + 1 :]]


def removed(specs: list[StageSpec], pk: int) -> list[StageSpec]:
    index = _index(specs, pk)
    return [*specs[:index], *specs[index + 1 :]]


def moved(specs: list[StageSpec], pk: int, offset: int) -> list[StageSpec]:
    """The list with the stage `pk` moved `offset` places (−1 up, +1 down), clamped."""
    index = _index(specs, pk)
    target = max(0, min(len(specs) - 1, index + offset))
    result = list(specs)
    result.insert(target, result.pop(index))
    return result


def rewrite[M: (Stage, TemplateStage)](
    model: type[M], current: Sequence[M], wanted: Sequence[StageSpec], **parent: object
) -> None:
    """Make the rows `current` into `wanted`: delete the rows left out, update the kept ones
    (name, kind, position) and create the new ones. Callers hold the parent's lock and have
    validated `wanted` (and, for a pipeline, that the rows left out are empty)."""
    keep = {s.pk for s in wanted if s.pk is not None}
    gone = [row.pk for row in current if row.pk not in keep]
    if gone:
        model._default_manager.filter(pk__in=gone).delete()
    by_pk = {row.pk: row for row in current}
    changed: list[M] = []
    created: list[M] = []
    for position, spec in enumerate(wanted):
        if spec.pk is None:
            created.append(
                model(name=spec.name, category=spec.category, position=position, **parent)
            )
            continue
        row = by_pk[spec.pk]
        if (row.name, row.category, row.position) != (spec.name, spec.category, position):
            row.name, row.category, row.position = spec.name, spec.category, position
            changed.append(row)
    if changed:
        model._default_manager.bulk_update(changed, ["name", "category", "position"])
    if created:
        model._default_manager.bulk_create(created)
