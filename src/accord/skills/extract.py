"""Find taxonomy skills in text, with the words that matched and the sentence around them.

A Matcher walks the text's tokens through a trie of every skill name (tokens as in
accord.skills.text), taking the longest name that starts at each token, left to right, without
overlaps. Names with a rule (see accord.skills.build.rule_for) are then checked against the
text's own letters: "exact" names must appear with their capitals ("AWS", not "aws"); "context"
names ("Go", "R", "Chef") also need another technology or a cue word ("programming", "skills",
"fluent") nearby, so "I can go there" or "Head Chef" find nothing while "Go, Rust" finds both.

The shipped taxonomy's matcher is built once per process. A workspace's matcher adds its own
skills and synonyms (CustomSkill) on top and is cached per workspace, keyed by the rows
themselves: one small query per call notices any change, from any process.
"""

import bisect
import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from accord.skills.models import CustomSkill
from accord.skills.taxonomy import Skill, Surface, taxonomy
from accord.skills.text import Token, key, tokens
from accord.workspaces.models import Workspace

EVIDENCE_LIMIT: Final = 300
CUSTOM_LIMIT: Final = 2000  # custom skills per workspace (the service refuses more)
CONTEXT_WINDOW: Final = 8  # tokens between a "context" name and the technology that vouches
CUE_WINDOW: Final = 3
_CUE_WORDS = """
    programming program programs language languages lang framework frameworks library libraries
    developer developers engineer engineers development develop developing code coding coded
    proficient proficiency experience experienced expert expertise knowledge skills skill using
    stack tools tool software technologies technology platform platforms written scripting
    fluent fluency native speaker speak speaking spoken bilingual certified certification
"""
CUES: Final = frozenset(_CUE_WORDS.split())
# What may stand between the words of one name: spaces, a hyphen or slash, one line break.
_JOINS = re.compile(r"[ \t\u00a0]*(?:[-/–_&+][ \t\u00a0]*)?\n?[ \t\u00a0]*")
_SENTENCE_END = re.compile(r"[.!?;](?=\s)|[\r\n]|[•·▪●◦|]")


@dataclass(frozen=True)
class SkillMention:
    ref: str
    label: str
    start: int  # text[start:end] is the matched words
    end: int
    evidence: str  # the sentence or line around them, at most EVIDENCE_LIMIT characters


Node = dict[str, Any]  # token → child node; the key "" holds the names ending here
_END: Final = ""


def _trie(surfaces: Iterable[tuple[str, Surface]]) -> Node:
    root: Node = {}
    for name, surface in surfaces:
        if surface.rule == "lookup":
            continue
        node = root
        for part in name.split(" "):
            node = node.setdefault(part, {})
        node.setdefault(_END, []).append(surface)
    return root


@functools.lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    return tuple(name[t.start : t.end] for t in tokens(name))


def _letters_match(text: str, found: Sequence[Token], surface: Surface) -> bool:
    """Whether the words in `text` carry the name's own capitals ("AWS" or "Go", as written)."""
    return tuple(text[t.start : t.end] for t in found) == _words(surface.text)


class _Sentences:
    """Where the sentences and lines of a text end, found once, looked up by bisection."""

    def __init__(self, text: str) -> None:
        self.text = text
        marks = list(_SENTENCE_END.finditer(text))
        self.ends = [m.end() for m in marks]  # a sentence starts at one of these
        self.stops = [m.start() + (m.group() in ".!?") for m in marks]  # keep the full stop

    def around(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence or line holding text[start:end], at most a limit away."""
        i = bisect.bisect_right(self.ends, start)
        left = self.ends[i - 1] if i else 0
        j = bisect.bisect_left(self.stops, end)
        right = self.stops[j] if j < len(self.stops) else len(self.text)
        return max(left, start - EVIDENCE_LIMIT), min(right, end + EVIDENCE_LIMIT)

    def evidence(self, start: int, end: int) -> str:
        left, right = self.around(start, end)
        if right - left > EVIDENCE_LIMIT:
            spare = max(0, EVIDENCE_LIMIT - (end - start))
            left = max(left, start - spare // 2)
            right = min(right, left + EVIDENCE_LIMIT)
            left = max(left, right - EVIDENCE_LIMIT)
        return self.text[left:right].strip()


def evidence(text: str, start: int, end: int) -> str:
    """The sentence or line holding text[start:end], cut to EVIDENCE_LIMIT characters."""
    return _Sentences(text).evidence(start, end)


class Matcher:
    """Skill names from the taxonomy, and optionally a workspace's own, ready to search text."""

    def __init__(self, extra: Sequence[Surface] = (), extra_skills: Sequence[Skill] = ()) -> None:
        self.taxonomy = taxonomy()
        self.extra_skills = {s.ref: s for s in extra_skills}
        self._base = _base_trie()
        self._extra = _trie((key(s.text), s) for s in extra)
        self._extra_keys: dict[str, Surface] = {}
        for surface in extra:
            self._extra_keys.setdefault(key(surface.text), surface)

    def get(self, ref: str) -> Skill | None:
        return self.extra_skills.get(ref) or self.taxonomy.get(ref)

    def resolve(self, label: str) -> Skill | None:
        found = self._extra_keys.get(key(label))
        if found is not None:
            return self.get(found.ref)
        return self.taxonomy.resolve(label)

    def _longest(
        self, root: Node, text: str, toks: Sequence[Token], i: int
    ) -> tuple[int, Surface] | None:
        node, best = root, None
        for j in range(i, len(toks)):
            if j > i and not _JOINS.fullmatch(text, toks[j - 1].end, toks[j].start):
                break  # "React, Redux" is two names, not "React Redux"
            child = node.get(toks[j].norm)
            if child is None:
                break
            node = child
            for surface in node.get(_END, ()):
                if surface.rule == "any" or _letters_match(text, toks[i : j + 1], surface):
                    best = (j + 1, surface)
                    break
        return best

    def find_all(self, text: str) -> list[SkillMention]:
        """Every mention in `text`, in order of position (a skill may appear several times)."""
        toks = list(tokens(text))
        found: list[tuple[int, int, Surface]] = []  # (first token, end token, name)
        i = 0
        while i < len(toks):
            own = self._longest(self._extra, text, toks, i) if self._extra else None
            shared = self._longest(self._base, text, toks, i)
            best = own if own and (not shared or own[0] >= shared[0]) else shared
            if best is None:
                i += 1
                continue
            found.append((i, best[0], best[1]))
            i = best[0]
        sentences = _Sentences(text)
        kept = [
            f
            for k, f in enumerate(found)
            if f[2].rule != "context" or self._vouched(sentences, toks, found, k)
        ]
        mentions = []
        for first, last, surface in kept:
            skill = self.get(surface.ref)
            if skill is None:
                continue
            start, end = toks[first].start, toks[last - 1].end
            mentions.append(
                SkillMention(skill.ref, skill.label, start, end, sentences.evidence(start, end))
            )
        return mentions

    def _vouched(
        self,
        sentences: _Sentences,
        toks: Sequence[Token],
        found: Sequence[tuple[int, int, Surface]],
        k: int,
    ) -> bool:
        """Whether another name or a cue word stands near found[k] in the same sentence."""
        first, last, _surface = found[k]
        left, right = sentences.around(toks[first].start, toks[last - 1].end)
        # `found` is in order of position, so the nearest names are the neighbours in the list.
        for other in (*found[max(0, k - 1) : k], *found[k + 1 : k + 2]):
            near = other[0] < last + CONTEXT_WINDOW and other[1] > first - CONTEXT_WINDOW
            if near and left <= toks[other[0]].start and toks[other[1] - 1].end <= right:
                return True
        around = [*toks[max(0, first - CUE_WINDOW) : first], *toks[last : last + CUE_WINDOW]]
        return any(t.norm in CUES and left <= t.start and t.end <= right for t in around)


@functools.cache
def _base_trie() -> Node:
    return _trie((name, s) for name, group in taxonomy().by_key.items() for s in group)


def _custom_rule(name: str) -> str:
    """A workspace's name matches as typed when short or in capitals ("Qt", "SAP"), else any."""
    alnum = re.sub(r"[^A-Za-z0-9]", "", name)
    if (
        len(name.split()) == 1
        and (len(alnum) <= 3 or name.isupper())
        and not re.search(r"[+#]", name)
    ):
        return "exact"
    return "any"


Row = tuple[Any, str, str, str]  # public_id, label, synonyms, ref


def _custom_matcher(rows: Sequence[Row]) -> Matcher:
    surfaces: list[Surface] = []
    skills: list[Skill] = []
    base = taxonomy()
    for public_id, label, synonyms, ref in rows:
        names = [line.strip() for line in synonyms.splitlines() if line.strip()]
        if ref:
            if base.get(ref) is None:
                continue  # a skill a rebuilt taxonomy no longer has: its synonyms have no target
        else:
            ref = f"ws:{public_id}"
            skills.append(
                Skill(
                    ref=ref,
                    label=label,
                    kind="skill",
                    sources=("workspace",),
                    alt_labels=tuple(names),
                )
            )
            names.insert(0, label)
        surfaces.extend(Surface(name, _custom_rule(name), ref) for name in names)
    return Matcher(surfaces, skills)


_cache: OrderedDict[int, tuple[tuple[Row, ...], Matcher]] = OrderedDict()
_cache_lock = threading.Lock()
_CACHE_SIZE: Final = 64


def matcher_for(workspace: Workspace | None = None) -> Matcher:
    """The matcher for the taxonomy plus `workspace`'s own skills (one query when a workspace)."""
    if workspace is None:
        return _shared_matcher()
    rows = tuple(
        CustomSkill.objects.filter(workspace=workspace)
        .order_by("pk")
        .values_list("public_id", "label", "synonyms", "ref")[:CUSTOM_LIMIT]
    )
    if not rows:
        return _shared_matcher()
    with _cache_lock:
        cached = _cache.get(workspace.pk)
        if cached is not None and cached[0] == rows:
            _cache.move_to_end(workspace.pk)
            return cached[1]
    matcher = _custom_matcher(rows)
    with _cache_lock:
        _cache[workspace.pk] = (rows, matcher)
        _cache.move_to_end(workspace.pk)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return matcher


@functools.cache
def _shared_matcher() -> Matcher:
    return Matcher()


def extract_skills(text: str, workspace: Workspace | None = None) -> list[SkillMention]:
    """One mention per skill found in `text`: its first, in order of position.

    Use `matcher_for(workspace).find_all(text)` for every mention, or to search many texts
    with one query for the workspace's own skills.
    """
    seen: set[str] = set()
    result = []
    for mention in matcher_for(workspace).find_all(text):
        if mention.ref not in seen:
            seen.add(mention.ref)
            result.append(mention)
    return result


def resolve_skill(label: str, workspace: Workspace | None = None) -> Skill | None:
    """The skill a typed label names exactly or by synonym ("k8s" → Kubernetes), or None."""
    return matcher_for(workspace).resolve(label)


def link_skills(
    skills: Iterable[dict[str, Any]], workspace: Workspace | None = None
) -> list[dict[str, Any]]:
    """A criterion's linked skills with each `ref` set from its label ("" when unknown)."""
    matcher = matcher_for(workspace)
    linked = []
    for item in skills:
        found = matcher.resolve(str(item.get("label", "")))
        linked.append({**item, "ref": found.ref if found else ""})
    return linked
