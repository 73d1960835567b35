"""The engine's SkillFinder over the skills taxonomy (accord.skills.extract).

With no workspace it reads only the shipped taxonomy file, so `accord match` needs no database.
"""

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from accord.matching.engine import Found, Mention

if TYPE_CHECKING:
    from accord.workspaces.models import Workspace


class TaxonomyFinder:
    """Skills of the taxonomy (and of a workspace's own list, when given) found in text."""

    def __init__(self, workspace: "Workspace | None" = None) -> None:
        self.workspace = workspace
        self._resolved: dict[str, tuple[str, str] | None] = {}

    def extract(self, text: str) -> Sequence[Mention]:
        from accord.skills.extract import extract_skills

        return [
            Found(m.ref, m.label, m.start, m.end)
            for m in extract_skills(text, workspace=self.workspace)
        ]

    def resolve(self, label: str) -> tuple[str, str] | None:
        if label not in self._resolved:
            from accord.skills.extract import resolve_skill

            skill: Any = resolve_skill(label, workspace=self.workspace)
            self._resolved[label] = (skill.ref, skill.label) if skill else None
        return self._resolved[label]


@lru_cache(maxsize=1)
def shipped_finder() -> TaxonomyFinder:
    """The finder for the shipped taxonomy alone (no workspace skills), shared by commands."""
    return TaxonomyFinder()
