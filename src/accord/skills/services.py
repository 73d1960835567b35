"""Every write to a workspace's own skills and synonyms goes through these functions."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.audit.services import apply_changes, audit_record
from accord.skills.extract import CUSTOM_LIMIT
from accord.skills.models import CustomSkill
from accord.skills.taxonomy import taxonomy
from accord.workspaces.access import MANAGE_SKILLS, require
from accord.workspaces.models import Member

LABEL_LIMIT = 80
SYNONYMS_LIMIT = 50
_WORDS = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class SkillInput:
    label: str
    synonyms: str = ""
    # True: the synonyms extend the taxonomy skill `label` names ("k8s" for Kubernetes);
    # False: `label` is a skill of the workspace's own.
    extends: bool = False


def _clean(actor: Member, data: SkillInput, current: CustomSkill | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    label = " ".join(data.label.split())
    ref = ""
    if not label:
        errors["label"] = _("Name the skill, e.g. “Kubernetes” or “our billing platform”.")
    elif len(label) > LABEL_LIMIT:
        errors["label"] = _("Keep the name under %(n)s characters.") % {"n": LABEL_LIMIT}
    elif not _WORDS.search(label):
        errors["label"] = _("A skill's name needs letters or digits.")
    else:
        known = taxonomy().resolve(label)
        if data.extends:
            if known is None:
                errors["label"] = _(
                    "Accord doesn't know “%(label)s”. Use “Look up a skill” to find the name "
                    "Accord uses, or add it as a skill of your own."
                ) % {"label": label}
            else:
                label, ref = known.label, known.ref
        elif known is not None:
            errors["label"] = _(
                "Accord already knows “%(label)s” as %(known)s. Add your synonyms to that skill "
                "instead."
            ) % {"label": label, "known": known.label}
    synonyms: list[str] = []
    for line in data.synonyms.replace("\r\n", "\n").split("\n"):
        name = " ".join(line.split())
        if name and name.casefold() not in {s.casefold() for s in [*synonyms, label]}:
            synonyms.append(name)
    bad = [s for s in synonyms if len(s) > LABEL_LIMIT or not _WORDS.search(s)]
    if bad:
        errors["synonyms"] = _(
            "“%(name)s” is not a usable synonym: give letters or digits, under %(n)s characters."
        ) % {"name": bad[0][:LABEL_LIMIT], "n": LABEL_LIMIT}
    elif len(synonyms) > SYNONYMS_LIMIT:
        errors["synonyms"] = _("Give at most %(n)s synonyms, one per line.") % {"n": SYNONYMS_LIMIT}
    elif data.extends and not synonyms:
        errors["synonyms"] = _("Give at least one synonym, one per line, e.g. “k8s”.")
    elif "label" not in errors:
        # A synonym may not take over a name Accord already gives another skill: "Python" as a
        # synonym of the workspace's billing tool would hide Python from every resume.
        for name in synonyms:
            other = taxonomy().resolve(name)
            if other is not None and other.ref != ref:
                errors["synonyms"] = _(
                    "“%(name)s” already names %(other)s in Accord's taxonomy, so it can't also "
                    "name this skill. Remove it from the list."
                ) % {"name": name, "other": other.label}
                break
    if "label" not in errors:
        clash = CustomSkill.objects.filter(workspace=actor.workspace, label__iexact=label)
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if clash.exists():
            errors["label"] = _("“%(label)s” is already on your list: edit it there.") % {
                "label": label
            }
    if errors:
        raise ValidationError(errors)
    return {"label": label, "synonyms": "\n".join(synonyms), "ref": ref}


@transaction.atomic
def custom_skill_create(*, actor: Member, data: SkillInput) -> CustomSkill:
    require(actor, MANAGE_SKILLS)
    values = _clean(actor, data, None)
    if CustomSkill.objects.filter(workspace=actor.workspace).count() >= CUSTOM_LIMIT:
        raise ValidationError(
            _("A workspace has at most %(n)s skills of its own. Remove some you no longer use.")
            % {"n": CUSTOM_LIMIT}
        )
    skill = CustomSkill.objects.create(workspace=actor.workspace, created_by=actor, **values)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="skill.added",
        obj=skill,
        changes={field: [None, value] for field, value in values.items() if value},
    )
    return skill


@transaction.atomic
def custom_skill_update(*, actor: Member, skill: CustomSkill, data: SkillInput) -> CustomSkill:
    require(actor, MANAGE_SKILLS, skill.workspace_id)
    current = CustomSkill.objects.select_for_update().get(pk=skill.pk)
    values = _clean(actor, data, current)
    changes = apply_changes(current, **values)
    if changes:
        current.save(update_fields=list(changes))
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="skill.updated",
            obj=current,
            changes=changes,
        )
    return current


@transaction.atomic
def custom_skill_delete(*, actor: Member, skill: CustomSkill) -> None:
    require(actor, MANAGE_SKILLS, skill.workspace_id)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="skill.removed",
        obj=skill,
        changes={"label": [skill.label, None], "synonyms": [skill.synonyms, None]},
    )
    skill.delete()
