"""Build the skills taxonomy shipped with Accord from O*NET, ESCO and the curated synonyms.

`accord taxonomy build` calls `build()` then `write()`. The output is deterministic: the same
input files give the same bytes (sorted keys and lists, gzip without a timestamp), so a rebuild
that changes nothing shows no diff.

How the sources become one list of skills:

- O*NET `Technology Skills.txt`: each distinct Example ("Oracle Java", "Amazon Web Services AWS
  software") is a technology, with its commodity titles as category and the hot / in-demand
  flags of any occupation. Derived names: without a trailing "software", the long name and the
  acronym of "Long Name ACR", and without a vendor prefix shared by several products ("Oracle
  Java" → "Java").
- ESCO skill collections: each concept is a skill (kind from `skillType` and the collection),
  with its alternative labels and its label without the "(computer programming)" qualifier. A
  knowledge concept whose name is an O*NET technology's name merges into that technology.
- The job postings (MIT) only as English prose, with the sources' own descriptions, to tell
  which words are common English (see rule_for).
- `data/synonyms.json`: abbreviations and synonyms people write ("k8s", "Postgres"), display
  names, matching rules for ambiguous names, and skills the public data lacks.

Each name a skill is known by ("surface") gets a matching rule. A single word that English prose
uses in lower case ("go", "excel", "chef") or a name of one or two letters matches only with its
own capitals, and only beside another technology or a cue such as "programming"; an acronym
matches only in capitals. The prose that decides what is a common word is the sources' own
descriptions, so the build needs nothing but its inputs.
"""

import csv
import gzip
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.skills.text import fold, key

FORMAT = 1
ONET_TECH = "onet/Technology Skills.txt"
ONET_TITLES = "onet/Alternate Titles.txt"
ONET_OCCUPATIONS = "onet/Occupation Data.txt"
ONET_README = "onet/Read Me.txt"
ESCO_COLLECTIONS = {
    "digital": "esco/digitalSkillsCollection_en.csv",
    "transversal": "esco/transversalSkillsCollection_en.csv",
    "language": "esco/languageSkillsCollection_en.csv",
    "green": "esco/greenSkillsCollection_en.csv",
}
ESCO_PROSE = ("esco/occupations_en.csv", "esco/skillGroups_en.csv")
JOB_POSTINGS = "job-postings/microsoft_careers_sample.json"
KINDS = ("technology", "knowledge", "skill", "language", "transversal")
# When sources disagree about a merged skill's kind, the most specific wins.
KIND_RANK = {kind: i for i, kind in enumerate(KINDS)}
COMMON_WORD_MIN = 2  # lower-case occurrences in the prose that make a word "common English"
VENDOR_MIN_PRODUCTS = 3
REF_LIMIT = 64
CSV_FIELD_LIMIT = 1 << 24


@dataclass
class Entry:
    ref: str
    label: str
    kind: str
    sources: set[str] = field(default_factory=set)
    surfaces: dict[str, str] = field(default_factory=dict)  # surface → rule: any|exact|context
    categories: set[str] = field(default_factory=set)
    hot: bool = False
    in_demand: bool = False
    weight: int = 0  # how many occupations use it: a tie-break between skills sharing a name

    def add(self, surface: str, rule: str) -> None:
        surface = " ".join(surface.split())
        if surface and surface not in self.surfaces:
            self.surfaces[surface] = rule

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"ref": self.ref, "label": self.label, "kind": self.kind}
        data["src"] = sorted(self.sources)
        data["alt"] = dict(sorted(self.surfaces.items()))
        if self.categories:
            data["cat"] = sorted(self.categories)
        if self.hot:
            data["hot"] = True
        if self.in_demand:
            data["dem"] = True
        if self.weight:
            data["w"] = self.weight
        return data


def slug(label: str) -> str:
    text = fold(label).replace("c++", "cpp").replace("#", "sharp").replace("+", "plus")
    text = re.sub(r"^\.", "dot", text).replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _read_csv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split_labels(raw: str) -> list[str]:
    """ESCO alternative labels: one per line, or separated by " | " in the skill collections."""
    return [part.strip() for part in re.split(r"\n|\|", raw) if part.strip()]


def common_words(data: Path) -> set[str]:
    """Words English prose in the sources writes in lower case: ambiguous as product names."""
    counts: Counter[str] = Counter()
    texts: list[str] = []
    for row in _read_tsv(data / ONET_OCCUPATIONS):
        texts.append(row["Description"])
    for name in (*ESCO_COLLECTIONS.values(), *ESCO_PROSE):
        for row in _read_csv(data / name):
            texts.append(row.get("description", ""))
            texts.append(row.get("definition", "") or "")
    postings = data / JOB_POSTINGS
    if postings.is_file():
        texts.extend(p.get("description", "") for p in json.loads(postings.read_text("utf-8")))
    for text in texts:
        for match in re.finditer(r"\b[a-z][a-z']*\b", text):
            counts[match.group()] += 1
    return {word for word, n in counts.items() if n >= COMMON_WORD_MIN}


def rule_for(
    surface: str,
    common: set[str],
    *,
    topic: bool = False,
    acronym: bool = False,
    product: bool = False,
) -> str:
    """How a name may match in text: any|exact|context, or lookup (typed labels only).

    `topic` is a knowledge concept's own name ("database", "robotics"): the English word is the
    mention. A capitalised common word ("Go", "Chef") is a product only beside other technology;
    an all-capitals common word ("CASE", "REACT") or a lower-case one ("lead", "plan") that is
    only an alternative label is too ambiguous to find in prose at all. A product named in
    Title Case with English words only ("After the Deadline", "Back Office") needs its capitals.
    """
    words = surface.split()
    alnum = re.sub(r"[^A-Za-z0-9]", "", surface)
    symbols = bool(re.search(r"[+#]", surface))
    if len(words) > 1 and product and _english_title(words, common):
        return "exact"
    if len(words) > 1 or symbols:
        return "any"
    english = fold(surface) in common
    if surface.isupper() and (english or len(alnum) <= 1):
        return "lookup"
    if surface.islower() and (len(alnum) <= 2 or (english and not topic)):
        return "lookup"
    if len(alnum) <= 2 and any(c.isdigit() for c in alnum):
        return "exact"  # "S3", "R2": no English word looks like this
    if len(alnum) <= 2 or (english and surface[1:].islower()):
        return "context"  # "Go", "Chef"; not "JavaScript", whose inner capital makes it a name
    if acronym or (surface.isupper() and len(alnum) <= 5):
        return "exact"
    return "any"


def _english_title(words: list[str], common: set[str]) -> bool:
    capitals = any(w[:1].isupper() for w in words[1:])
    return capitals and all(fold(w) in common or not w.isalpha() for w in words)


def _initials_split(words: list[str]) -> tuple[str, str] | None:
    """'Amazon Web Services AWS' → ('Amazon Web Services', 'AWS') when the capitals spell it."""
    small = {"and", "of", "for", "the", "&", "to", "on", "in"}
    for i, word in enumerate(words):
        if not (2 <= len(word) <= 8 and word.isupper() and word.isalpha()) or i == 0:
            continue
        for start in range(i):
            long = [w for w in words[start:i] if w.lower() not in small]
            if long and "".join(w[0] for w in long).upper() == word:
                return " ".join(words[start:i]), word
    return None


@dataclass
class Builder:
    common: set[str]
    entries: dict[str, Entry] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)  # label or strong alias key → ref
    prefer: dict[str, str] = field(default_factory=dict)  # curated name key → its skill

    def new(self, prefix: str, label: str, kind: str, *, ident: str = "") -> Entry:
        base = f"{prefix}:{ident or slug(label)}"
        ref = base[:REF_LIMIT]
        if ref != base or ref in self.entries:
            digest = hashlib.sha1(label.encode(), usedforsecurity=False).hexdigest()[:8]
            ref = f"{base[: REF_LIMIT - 9]}-{digest}"
        entry = Entry(ref=ref, label=label, kind=kind)
        self.entries[ref] = entry
        return entry

    def index(self, entry: Entry, surface: str) -> None:
        self.by_key.setdefault(key(surface), entry.ref)

    # --- O*NET -------------------------------------------------------------------------------

    def onet(self, data: Path) -> None:
        rows = _read_tsv(data / ONET_TECH)
        examples: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in rows:
            examples[row["Example"].strip()].append(row)
        vendors = self._vendors(examples)
        for name in sorted(examples):
            group = examples[name]
            entry = self.new("onet", name, "technology")
            entry.sources.add("onet")
            entry.categories.update(r["Commodity Title"] for r in group)
            entry.hot = any(r["Hot Technology"] == "Y" for r in group)
            entry.in_demand = any(r["In Demand"] == "Y" for r in group)
            entry.weight = len({r["O*NET-SOC Code"] for r in group})
            entry.add(name, rule_for(name, self.common, product=True))
            self.index(entry, name)
            for alias, acronym in self._onet_aliases(name, vendors):
                rule = rule_for(alias, self.common, acronym=acronym, product=True)
                if rule == "any" and alias != name and alias.isalpha() and alias[1:].islower():
                    # "Colleague" of "Ellucian Colleague": a plain word, a name only as written
                    rule = "exact"
                entry.add(alias, rule)
                if not acronym:
                    self.index(entry, alias)

    def _vendors(self, examples: Iterable[str]) -> set[str]:
        """Leading words that name a maker of several products ("Microsoft", "Hewlett Packard")."""
        counts: Counter[str] = Counter()
        for name in examples:
            words = name.split()
            for n in (1, 2):
                head = words[:n]
                rest = words[n:]
                if rest and all(w[:1].isupper() for w in head) and rest[0][:1].isupper():
                    counts[" ".join(head)] += 1
        return {v for v, n in counts.items() if n >= VENDOR_MIN_PRODUCTS}

    def _onet_aliases(self, name: str, vendors: set[str]) -> list[tuple[str, bool]]:
        aliases: list[tuple[str, bool]] = []
        words = name.split()
        if len(words) > 1 and words[-1] == "software":
            words = words[:-1]
            if len(words) > 1 or fold(words[0]) not in self.common:
                aliases.append((" ".join(words), False))
        split = _initials_split(words)
        if split:
            long, acronym = split
            aliases.append((long, False))
            aliases.append((acronym, True))
        for n in (2, 1):
            if len(words) > n and " ".join(words[:n]) in vendors and words[n][:1].isupper():
                product = words[n:]
                single = len(product) == 1
                if single and (fold(product[0]) in self.common or len(product[0]) < 3):
                    break  # "Microsoft Word" → "Word" is English; synonyms.json says when not
                if not single and _english_title(product, self.common):
                    break  # "Informatica Big Data" → "Big Data" is a topic, not the product
                aliases.append((" ".join(product), False))
                break
        return aliases

    # --- ESCO --------------------------------------------------------------------------------

    def esco(self, data: Path) -> None:
        concepts: dict[str, dict[str, Any]] = {}
        for collection, name in ESCO_COLLECTIONS.items():
            for row in _read_csv(data / name):
                uri = row["conceptUri"].strip()
                concept = concepts.setdefault(uri, {**row, "collections": set()})
                concept["collections"].add(collection)
        for uri in sorted(concepts):
            self._esco_concept(uri, concepts[uri])

    def _esco_concept(self, uri: str, row: dict[str, Any]) -> None:
        label = row["preferredLabel"].strip()
        plain = re.sub(r"\s*\([^)]*\)\s*$", "", label).strip()
        knowledge = row["skillType"] == "knowledge"
        collections: set[str] = row["collections"]
        if "language" in collections:
            kind = "language"
        elif "transversal" in collections:
            kind = "transversal"
        else:
            kind = "knowledge" if knowledge else "skill"
        existing = self.by_key.get(key(plain)) or self.by_key.get(key(label))
        target = self.entries.get(existing or "")
        if target is not None and knowledge and target.kind == "technology":
            entry = target
        else:
            entry = self.new("esco", plain, kind, ident=uri.rsplit("/", 1)[-1])
        entry.sources.add("esco")
        if row.get("broaderConceptPT") and entry.kind != "technology":
            entry.categories.update(
                p.strip() for p in row["broaderConceptPT"].split("|") if p.strip()
            )
        topic = knowledge or kind == "language"
        entry.add(plain, rule_for(plain, self.common, topic=topic))
        self.index(entry, plain)
        self.index(entry, label)
        for surface in [label, *_split_labels(row.get("altLabels", ""))]:
            entry.add(surface, rule_for(surface, self.common))

    # --- curated -----------------------------------------------------------------------------

    def curated(self, path: Path) -> None:
        spec = json.loads(path.read_text(encoding="utf-8"))
        for item in spec["skills"]:
            ref = item.get("ref") or self.by_key.get(key(item["skill"]))
            entry = self.entries.get(ref or "")
            if entry is None:
                if ref:
                    raise ValueError(f"synonyms.json names {ref}, which the sources lack")
                if item.get("kind") not in KINDS:
                    raise ValueError(f"synonyms.json adds {item['skill']!r}: give its kind")
                entry = self.new("accord", item["skill"], item["kind"])
                entry.add(item["skill"], rule_for(item["skill"], self.common, topic=True))
                self.index(entry, item["skill"])
            entry.sources.add("accord")
            if item.get("display"):
                entry.label = item["display"]
                entry.surfaces.pop(entry.label, None)
                entry.add(entry.label, rule_for(entry.label, self.common, topic=True))
            if item.get("kind"):
                entry.kind = item["kind"]
            for surface in item.get("not", []):
                entry.surfaces.pop(surface, None)
            for surface in item.get("synonyms", []):
                # A curated lower-case word ("teamwork") was chosen as the skill's name; a
                # curated "Kafka" is the product, whatever rule the data suggested.
                entry.surfaces.pop(surface, None)
                entry.add(surface, rule_for(surface, self.common, topic=True))
            for rule in ("any", "exact", "context"):
                for surface in item.get(rule, []):
                    entry.surfaces.pop(surface, None)
                    entry.add(surface, rule)
            declared = [item["skill"], item.get("display", "")]
            for rule in ("synonyms", "any", "exact", "context"):
                declared.extend(item.get(rule, []))
            for surface in filter(None, declared):
                # A curated name wins any tie: "ML" is machine learning, not the ML language.
                self.by_key[key(surface)] = entry.ref
                self.prefer[key(surface)] = entry.ref


def _version(data: Path) -> dict[str, str]:
    onet = (data / ONET_README).read_text(encoding="utf-8")
    readme = data / "README.md"
    esco = re.search(r"ESCO (\d+\.\d+(?:\.\d+)?)", readme.read_text(encoding="utf-8"))
    match = re.search(r"O\*NET ([\d.]+) Database", onet)
    return {"onet": match.group(1) if match else "", "esco": esco.group(1) if esco else ""}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def occupations(data: Path) -> list[dict[str, Any]]:
    """O*NET occupations with their alternate and short titles (title synonyms for matching)."""
    titles: dict[str, set[str]] = defaultdict(set)
    for row in _read_tsv(data / ONET_TITLES):
        for title in (row["Alternate Title"], row["Short Title"]):
            if title and title != "n/a":
                titles[row["O*NET-SOC Code"]].add(title.strip())
    result = []
    for row in sorted(_read_tsv(data / ONET_OCCUPATIONS), key=lambda r: r["O*NET-SOC Code"]):
        code = row["O*NET-SOC Code"]
        result.append({"code": code, "title": row["Title"], "alt": sorted(titles[code])})
    return result


def build(data: Path, synonyms: Path) -> dict[str, Any]:
    builder = Builder(common=common_words(data))
    builder.onet(data)
    builder.esco(data)
    builder.curated(synonyms)
    inputs = [
        ONET_TECH,
        ONET_TITLES,
        ONET_OCCUPATIONS,
        *ESCO_COLLECTIONS.values(),
        *ESCO_PROSE,
        *([JOB_POSTINGS] if (data / JOB_POSTINGS).is_file() else []),
    ]
    versions = _version(data)
    return {
        "format": FORMAT,
        "sources": {
            "onet": {"version": versions["onet"], "licence": "CC BY 4.0"},
            "esco": {"version": versions["esco"], "licence": "ESCO reuse terms"},
            "accord": {"file": "synonyms.json", "sha256": _digest(synonyms)},
            "files": {name: _digest(data / name) for name in inputs},
        },
        "skills": [builder.entries[ref].as_json() for ref in sorted(builder.entries)],
        "prefer": dict(sorted(builder.prefer.items())),
        "occupations": occupations(data),
    }


def write(taxonomy: dict[str, Any], out: Path) -> int:
    """Write the taxonomy as gzip'd JSON, byte-for-byte the same for the same taxonomy."""
    payload = json.dumps(taxonomy, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(payload.encode("utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return len(buffer.getvalue())
