"""The engine's SkillFinder over the skills taxonomy (accord.skills.extract).

With no workspace it reads only the shipped taxonomy file, so `accord match` needs no database;
with a workspace, one query fetches that workspace's own skills for the finder's lifetime.
"""

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from accord.matching.engine import Found, Mention

if TYPE_CHECKING:
    from accord.skills.extract import Matcher
    from accord.workspaces.models import Workspace


class TaxonomyFinder:
    """Skills of the taxonomy (and of a workspace's own list, when given) found in text."""

    def __init__(self, workspace: "Workspace | None" = None) -> None:
        self.workspace = workspace
        self._resolved: dict[str, tuple[str, str] | None] = {}

    @cached_property
    def matcher(self) -> "Matcher":
        from accord.skills.extract import matcher_for

        return matcher_for(self.workspace)

    def extract(self, text: str) -> Sequence[Mention]:
        seen: set[str] = set()
        found = []
        for m in self.matcher.find_all(text):
            if m.ref not in seen:  # the first mention of each skill is the one quoted
                seen.add(m.ref)
                found.append(Found(m.ref, m.label, m.start, m.end))
        return found

    def resolve(self, label: str) -> tuple[str, str] | None:
        if label not in self._resolved:
            skill = self.matcher.resolve(label)
            self._resolved[label] = (skill.ref, skill.label) if skill else None
        return self._resolved[label]
