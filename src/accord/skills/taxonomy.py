"""The skills taxonomy shipped in data/taxonomy.json.gz (built by `accord taxonomy build`).

`taxonomy()` loads it once per process. A Skill is referred to everywhere by its `ref`
("onet:python", "esco:<uuid>", "accord:kubernetes", or "ws:<uuid>" for a workspace's own skill).
"""

import functools
import gzip
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from accord.skills.text import key

DATA: Final = Path(__file__).resolve().parent / "data"
TAXONOMY_FILE: Final = DATA / "taxonomy.json.gz"
SYNONYMS_FILE: Final = DATA / "synonyms.json"
# How a name may be found in text; "lookup" names are only for resolving a typed label.
RULES: Final = ("any", "exact", "context", "lookup")


@dataclass(frozen=True)
class Skill:
    ref: str
    label: str
    kind: str  # technology | knowledge | skill | language | transversal
    sources: tuple[str, ...] = ()
    alt_labels: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    hot: bool = False
    in_demand: bool = False
    weight: int = 0  # occupations that use it (O*NET): a tie-break between namesakes


@dataclass(frozen=True)
class Surface:
    """One name a skill is known by, with the rule for finding it in text."""

    text: str
    rule: str
    ref: str


@dataclass(frozen=True)
class Occupation:
    code: str
    title: str
    alt_titles: tuple[str, ...]


class Taxonomy:
    def __init__(self, data: dict[str, Any]) -> None:
        self.sources: dict[str, Any] = data["sources"]
        self.skills: dict[str, Skill] = {}
        self.surfaces: list[Surface] = []
        prefer: dict[str, str] = data.get("prefer", {})
        for item in data["skills"]:
            alts: dict[str, str] = item.get("alt", {})
            skill = Skill(
                ref=item["ref"],
                label=item["label"],
                kind=item["kind"],
                sources=tuple(item.get("src", ())),
                alt_labels=tuple(s for s in alts if s != item["label"]),
                categories=tuple(item.get("cat", ())),
                hot=item.get("hot", False),
                in_demand=item.get("dem", False),
                weight=item.get("w", 0),
            )
            self.skills[skill.ref] = skill
            self.surfaces.extend(Surface(s, rule, skill.ref) for s, rule in alts.items())
        by_key: dict[str, list[Surface]] = defaultdict(list)
        for surface in self.surfaces:
            by_key[key(surface.text)].append(surface)
        label_keys = {ref: key(skill.label) for ref, skill in self.skills.items()}

        def rank(name: str, surface: Surface) -> tuple[bool, bool, int, str, str]:
            # Namesakes in order of preference: the curated choice, a skill's own label, then
            # the skill more occupations use.
            return (
                prefer.get(name) != surface.ref,
                label_keys[surface.ref] != name,
                -self.skills[surface.ref].weight,
                surface.ref,
                surface.text,
            )

        self.by_key: dict[str, tuple[Surface, ...]] = {
            name: tuple(sorted(group, key=lambda s, name=name: rank(name, s)))  # type: ignore[misc]
            for name, group in by_key.items()
            if name
        }
        self.occupations = tuple(
            Occupation(o["code"], o["title"], tuple(o.get("alt", ())))
            for o in data.get("occupations", ())
        )

    def __len__(self) -> int:
        return len(self.skills)

    def get(self, ref: str) -> Skill | None:
        return self.skills.get(ref)

    def resolve(self, label: str) -> Skill | None:
        """The skill known by exactly this name, any case ("k8s", "postgres", "Node.JS")."""
        found = self.by_key.get(key(label))
        return self.skills[found[0].ref] if found else None

    def search(self, query: str, limit: int = 20) -> list[Skill]:
        """Skills named `query`, then those with a name starting with it, then containing it."""
        wanted = key(query)
        if not wanted:
            return []
        ranked: list[tuple[int, int, str]] = []
        for name, group in self._index:
            if wanted in name:
                rank = 0 if name == wanted else 1 if name.startswith(wanted) else 2
                for surface in group:
                    ranked.append((rank, -self.skills[surface.ref].weight, surface.ref))
        result: list[Skill] = []
        for _rank, _weight, ref in sorted(ranked):
            if len(result) == limit:
                break
            if all(s.ref != ref for s in result):
                result.append(self.skills[ref])
        return result

    @functools.cached_property
    def _index(self) -> tuple[tuple[str, tuple[Surface, ...]], ...]:
        return tuple(sorted(self.by_key.items()))

    @functools.cached_property
    def _titles(self) -> dict[str, tuple[Occupation, ...]]:
        found: dict[str, list[Occupation]] = defaultdict(list)
        for occupation in self.occupations:
            for title in (occupation.title, *occupation.alt_titles):
                group = found[key(title)]
                if occupation not in group:
                    group.append(occupation)
        return {k: tuple(v) for k, v in found.items()}

    def occupations_for_title(self, title: str) -> tuple[Occupation, ...]:
        """O*NET occupations a job title names ("Software Dev" → Software Developers)."""
        return self._titles.get(key(title), ())


def load(path: Path = TAXONOMY_FILE) -> Taxonomy:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return Taxonomy(json.load(handle))


@functools.cache
def taxonomy() -> Taxonomy:
    """The shipped taxonomy, loaded on first use and kept for the life of the process."""
    return load()
