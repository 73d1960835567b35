"""Alignment checks: what in a brief will make the recruiter and the manager disagree later.

`check_brief` is pure (no database, no clock) so it can run after every autosave and be tested
exhaustively; `findings_for` loads what it needs in a fixed number of queries.
"""

import functools
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accord.briefs.models import (
    AssessedAt,
    BriefVersion,
    Criterion,
    InterviewStage,
    Kind,
    VagueTerm,
)
from accord.briefs.sections import COMMUNICATION_FIELDS, SUCCESS_FIELDS, TEXT_FIELDS
from accord.briefs.selectors import glossary_for
from accord.requisitions.models import LEVEL_RANK, Level, RemotePolicy, Requisition

DATA = Path(__file__).parent / "data"
PEER_LIMIT = 200
# A technology is public for a while before many people use it at work: asking for more years
# than (age - ADOPTION_YEARS) leaves only its creators and earliest adopters.
ADOPTION_YEARS = 3
# A definition "defines" a term only if this many words are left once vague words are removed.
CONCRETE_WORDS = 3


@dataclass(frozen=True)
class Finding:
    code: str
    kind: str  # "vague" | "unicorn" | "contradiction" | "gap"
    title: str
    why: str
    ask: str
    field: str = ""  # an intake question's field, "criteria", or a requisition field
    criterion: str = ""  # the criterion's public id when the finding is about one
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class LexiconEntry:
    term: str
    why: str
    ask: str


@dataclass(frozen=True)
class PeerPay:
    level: str
    currency: str
    compensation_min: int
    compensation_max: int


# code → (title, why, ask), each filled with the finding's %(name)s values.
MESSAGES: dict[str, tuple[Promise, Promise, Promise]] = {
    "vague_term": (
        _("“%(term)s” has no agreed definition"),
        _("People read it differently, and candidates get rejected without clear feedback."),
        _("What would a candidate have done, that we could check, to show “%(term)s”?"),
    ),
    "unicorn": (
        ngettext_lazy(
            "%(count)s must-have: few people have them all",
            "%(count)s must-haves: few people have them all",
            "count",
        ),
        _(
            "Each must-have shrinks the pool and the losses multiply: beyond %(limit)s, great "
            "candidates who check most boxes are screened out."
        ),
        _("Think of your best hires: did they have all of these on day one?"),
    ),
    "years_vs_age": (
        _("%(years)s years of %(tech)s, first released in %(since)s"),
        _(
            "%(tech)s is %(age)s years old and saw little use at first: only its earliest adopters "
            "have %(years)s years. Candidates who could do the job are screened out."
        ),
        _("What should someone be able to do with %(tech)s? Would fewer years show it?"),
    ),
    "level_vs_title": (
        _("The title says “%(word)s”, the level says %(level)s"),
        _("People apply by title and negotiate by level: the mismatch ends in failed offers."),
        _("Which is right, the title or the level?"),
    ),
    "level_vs_pay": (
        _("The pay tops out below what %(level)s roles here start at"),
        _("This role pays up to %(max)s %(currency)s; a %(level)s role here starts at %(min)s."),
        _("Is the level right, or the pay? Which would you change?"),
    ),
    "pay_range_wide": (
        _("The pay range is very wide"),
        _("%(min)s–%(max)s %(currency)s is more than double: the level may not be agreed."),
        _("What would someone at the top of this range do that someone at the bottom would not?"),
    ),
    "location_vs_remote": (
        _("The role is remote, but the brief mentions “%(quote)s”"),
        _("Candidates who can’t come in will drop out late, or be rejected for it."),
        _("Is the role fully remote? If people must come in, how often, and where?"),
    ),
    "location_vs_remote:on_site": (
        _("The location says remote, but the policy is on-site"),
        _("Candidates will read one and be turned away for the other."),
        _("Must the person come in every day? If not, is the role hybrid or remote?"),
    ),
    "no_location": (
        _("No location for a role people come in to"),
        _("Candidates rule themselves in or out by the commute first."),
        _("Which office will this person work from?"),
    ),
    "no_criteria": (
        _("No criteria yet"),
        _("Without agreed criteria, screens and feedback have nothing to be measured against."),
        _("What must someone have on day one, and what would be a bonus?"),
    ),
    "unassessed_must": (
        _("“%(name)s” isn’t assessed anywhere"),
        _("A must-have nobody checks is decided by impression, or not at all."),
        _("Where will we check “%(name)s”: resume, phone screen, or which interview?"),
    ),
    "no_success": (
        _("Success isn’t defined"),
        _("Without results to aim for, screening falls back on adjectives and gut feeling."),
        _("Picture the hire three months in, going well: what have they done?"),
    ),
    "no_misstep": (
        _("The past-hire question is unanswered"),
        _("A hire that didn’t work out shows what matters beyond the job description."),
        _("Think of a hire that didn’t work out: what happened, and what warned you?"),
    ),
    "no_commitments": (
        _("No review or decision turnaround agreed"),
        _("23%% of candidates lose interest after a week without news."),
        _("How many business days to review a shortlist, and to decide after the final interview?"),
    ),
    "no_communication": (
        _("No agreed way to keep each other informed"),
        _("Updates sent where they aren’t read leave the manager in the dark."),
        _("Where do updates reach you fastest, and how often would you like a status?"),
    ),
}
KINDS = {"vague_term": "vague", "unicorn": "unicorn"} | dict.fromkeys(
    ("years_vs_age", "level_vs_title", "level_vs_pay", "pay_range_wide", "location_vs_remote"),
    "contradiction",
)  # the rest are gaps
YEARS_IMPOSSIBLE = _(
    "%(tech)s is %(age)s years old, so nobody has %(years)s years of it. Candidates who could do "
    "the job are screened out."
)


def _finding(
    message: str,
    field: str = "",
    criterion: str = "",
    *,
    why: str | Promise | None = None,
    ask: str | None = None,
    suggestions: tuple[str, ...] = (),
    **values: object,
) -> Finding:
    """`message` is a code, or "code:variant"; `why` replaces the table's text (formatted), `ask`
    replaces it verbatim (lexicon data)."""
    title, default_why, default_ask = MESSAGES[message]
    code = message.partition(":")[0]
    return Finding(
        code,
        KINDS.get(code, "gap"),
        str(title % values),
        str((why or default_why) % values),
        ask or str(default_ask % values),
        field,
        criterion,
        suggestions,
    )


# --- data ------------------------------------------------------------------------------------


@functools.cache
def shipped_lexicon() -> tuple[LexiconEntry, ...]:
    rows = json.loads((DATA / "vague_terms.json").read_text(encoding="utf-8"))
    return tuple(LexiconEntry(r["term"], r["why"], r["ask"]) for r in rows)


@functools.cache
def technologies() -> dict[str, tuple[str, int]]:
    """Every name and alias, lowercased → (display name, first public release year)."""
    doc = json.loads((DATA / "technologies.json").read_text(encoding="utf-8"))
    table: dict[str, tuple[str, int]] = {}
    for tech in doc["technologies"]:
        for alias in (tech["name"], *tech.get("aliases", ())):
            table[alias.lower()] = (tech["name"], int(tech["since"]))
    return table


def merge_lexicon(
    shipped: Iterable[LexiconEntry], additions: Iterable[tuple[str, str]]
) -> tuple[LexiconEntry, ...]:
    """The shipped lexicon plus a workspace's (term, ask) rows; the workspace's ask wins."""
    merged = {e.term.strip().lower(): e for e in shipped}
    for term, ask in additions:
        old = merged.get(term.strip().lower(), LexiconEntry(term.strip(), "", ""))
        merged[term.strip().lower()] = LexiconEntry(old.term, old.why, ask or old.ask)
    return tuple(merged.values())


# --- matching --------------------------------------------------------------------------------

# Adjectives have no plural, and adding one can make another word ("dynamic" → "dynamics").
_NO_PLURAL = ("ic", "ed", "ive", "ate", "ing", "y")


def _term_regex(term: str) -> str:
    """A pattern where "self-starter" also matches "self starter", "selfstarter" and plurals."""
    words = [w for w in re.split(r"[\s\-]+", term.strip().lower()) if w]
    parts = [re.escape(words[0])] if words else []
    for before, word in itertools.pairwise(words):
        # "A-player" keeps its hyphen, so "a player-coach" is not an A-player.
        parts += ["-" if min(len(before), len(word)) == 1 else r"[\s\-]*", re.escape(word)]
    if words and not words[-1].endswith(_NO_PLURAL):
        parts.append("(?:e?s)?")
    return r"(?<!\w)" + "".join(parts) + r"(?!\w)"


@functools.lru_cache(maxsize=64)
def _lexicon_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    # One pass per text; longer terms first so "strong leadership" wins over a "leadership".
    order = sorted(range(len(terms)), key=lambda i: -len(terms[i]))
    body = "|".join(f"(?P<t{i}>{_term_regex(terms[i])})" for i in order)
    return re.compile(body or r"(?!x)x", re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def _single_term(term: str) -> re.Pattern[str]:
    return re.compile(_term_regex(term), re.IGNORECASE)


_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@functools.cache
def _years_patterns() -> tuple[re.Pattern[str], ...]:
    names = sorted(technologies(), key=len, reverse=True)
    tech = r"(?<!\w)(?P<tech>" + "|".join(re.escape(n) for n in names) + r")(?!\w|-to\b)"
    years = (
        r"(?<!\w)(?P<n>\d{1,2}|" + "|".join(_NUMBERS) + r")\s*\+?\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?"
        r"(?:years?|yrs?)\b(?:['’]s?)?"
    )
    # "10+ years of hands-on experience with Kubernetes", "5 years' Swift", "8 yrs Rust"…
    before = (
        years + r"\s+(?:of\s+)?(?:(?:hands[\s-]on|professional|commercial|production|working)"
        r"\s+)?(?:experience\s+)?(?:(?:with|in|using|on|of)\s+)?" + tech
    )
    # …and "Kubernetes (10+ years)", "Rust: 8 years", "Go experience – 15 years".
    after = tech + r"(?:\s+experience)?\s*[:(–-]\s*" + years
    return re.compile(before, re.IGNORECASE), re.compile(after, re.IGNORECASE)


_ON_SITE = re.compile(
    r"(?<!\w)(?:on[\s-]?site|in[\s-]office|in the office|at the office|relocat\w*|commut\w*"
    r"|days? (?:a|per) week in)(?!\w)",
    re.IGNORECASE,
)
_PREFERENCE = re.compile(
    r"(?<!\w)(?:prefer\w*|ideally|bonus|plus|familiar\w*|exposure|nice)(?!\w)", re.IGNORECASE
)
_SENIOR_TITLE = re.compile(
    r"(?<!\w)(senior|sr|staff|principal|lead|head|director|vp|chief)(?!\w)", re.IGNORECASE
)
_JUNIOR_TITLE = re.compile(
    r"(?<!\w)(junior|jr|graduate|intern|entry[\s-]level|trainee|apprentice)(?!\w)", re.IGNORECASE
)
_FILLER = frozenset(
    ("the", "and", "who", "for", "are", "can", "our", "you", "with", "that", "they", "their")
) | {"them", "very", "really", "someone", "person", "being", "good", "great", "strong"}


def _is_concrete(definition: str, lexicon: re.Pattern[str]) -> bool:
    words = re.findall(r"[^\W\d_]{3,}|\d+", lexicon.sub(" ", definition).lower())
    return sum(w not in _FILLER for w in words) >= CONCRETE_WORDS


def _skill_years(raw: Any) -> Iterator[tuple[str, int]]:
    """(label, min_years) of a criterion's linked skills, skipping anything malformed."""
    for skill in raw if isinstance(raw, list) else ():
        if not isinstance(skill, Mapping) or not isinstance(skill.get("label"), str):
            continue
        years = skill.get("min_years")
        # isdecimal, not isdigit: "²" is a digit that int() refuses (found by hypothesis).
        if isinstance(years, str) and years.strip().isdecimal():
            years = int(years)
        if isinstance(years, int | float) and not isinstance(years, bool) and 0 < years < 100:
            yield skill["label"], int(years)


def _is_assessed(criterion: Criterion, stage_ids: set[int]) -> bool:
    if criterion.assessed_at == AssessedAt.INTERVIEW:
        return criterion.stage_id in stage_ids
    return bool(criterion.assessed_at)


def _answers(version: BriefVersion) -> list[tuple[str, str]]:
    return [(field, str(getattr(version, field, "") or "")) for field in TEXT_FIELDS]


def _money(amount: int) -> str:
    return number_format(amount, force_grouping=True)


# --- the checks ------------------------------------------------------------------------------


def check_brief(
    *,
    version: BriefVersion,
    requisition: Requisition,
    criteria: Sequence[Criterion],
    stages: Sequence[InterviewStage],
    lexicon: Sequence[LexiconEntry],
    glossary: Mapping[str, str],
    must_have_limit: int,
    peer_pay: Sequence[PeerPay],
    today: date,
) -> list[Finding]:
    """Everything worth raising before sign-off, contradictions first and gaps last."""
    stage_ids = {s.id for s in stages}
    return [
        *_years_vs_age(version, criteria, today),
        *_title_vs_level(requisition),
        *_pay(requisition, peer_pay),
        *_location(version, requisition, criteria),
        *_unicorn(criteria, stage_ids, must_have_limit),
        *_vague(version, criteria, lexicon, glossary),
        *_gaps(version, criteria, stage_ids),
    ]


def _vague(
    version: BriefVersion,
    criteria: Sequence[Criterion],
    lexicon: Sequence[LexiconEntry],
    glossary: Mapping[str, str],
) -> Iterator[Finding]:
    entries = [e for e in lexicon if e.term.strip()]
    pattern = _lexicon_pattern(tuple(e.term for e in entries))
    where: dict[int, tuple[str, str]] = {}  # entry index → (field, criterion) where first seen
    defined: set[int] = set()
    for field, text in _answers(version):
        for match in pattern.finditer(text):
            where.setdefault(int(str(match.lastgroup)[1:]), (field, ""))
    for criterion in criteria:
        for match in pattern.finditer(criterion.name or ""):
            index = int(str(match.lastgroup)[1:])
            field, public_id = where.setdefault(index, ("criteria", ""))
            where[index] = (field, public_id or str(criterion.public_id))
            if _is_concrete(criterion.definition or "", pattern):
                defined.add(index)
    glossary_terms = [term.strip() for term, text in glossary.items() if text.strip()]
    for index, (field, public_id) in where.items():
        entry = entries[index]
        single = _single_term(entry.term)
        if index in defined or any(single.fullmatch(term) for term in glossary_terms):
            continue
        term = entry.term.strip()
        yield _finding(
            "vague_term",
            field,
            public_id,
            why=entry.why.replace("%", "%%") or None,
            ask=entry.ask or None,
            term=term[:1].upper() + term[1:],
        )


def _unicorn(criteria: Sequence[Criterion], stage_ids: set[int], limit: int) -> Iterator[Finding]:
    musts = [c for c in criteria if c.kind == Kind.MUST]
    # A limit of 0 would call every brief a unicorn; the workspace setting means "don't check".
    if limit <= 0 or len(musts) <= limit:
        return

    def looks_optional(item: tuple[int, Criterion]) -> tuple[int, int]:
        position, criterion = item
        score = 0 if _is_assessed(criterion, stage_ids) else 4
        if _PREFERENCE.search(f"{criterion.name} {criterion.definition}"):
            score += 2
        years = [y for _label, y in _skill_years(criterion.skills)]
        if years and max(years) <= 2:
            score += 1
        return -score, -position  # ties: the last listed matters least to whoever listed them

    ranked = sorted(enumerate(musts), key=looks_optional)
    excess = tuple(c.name for _position, c in ranked[: len(musts) - limit])
    yield _finding("unicorn", "criteria", suggestions=excess, count=len(musts), limit=limit)


def _years_vs_age(
    version: BriefVersion, criteria: Sequence[Criterion], today: date
) -> Iterator[Finding]:
    table = technologies()
    asked: dict[str, tuple[int, str, str]] = {}  # tech → (most years asked, field, criterion)

    def note(label: str, years: int, field: str, criterion: str = "") -> None:
        name = table[label.strip().lower()][0]
        if years > asked.get(name, (0,))[0]:
            asked[name] = (years, field, criterion)

    texts = [(field, text, "") for field, text in _answers(version)]
    for c in criteria:
        public_id = str(c.public_id)
        texts += [
            ("criteria", c.name or "", public_id),
            ("criteria", c.definition or "", public_id),
        ]
        for label, years in _skill_years(c.skills):
            if label.strip().lower() in table:
                note(label, years, "criteria", public_id)
    for field, text, public_id in texts:
        for pattern in _years_patterns():
            for match in pattern.finditer(text):
                n = match["n"].lower()
                note(
                    match["tech"],
                    int(n) if n.isdecimal() else _NUMBERS.index(n) + 1,
                    field,
                    public_id,
                )
    for name, (years, field, public_id) in asked.items():
        since = table[name.lower()][1]
        age = today.year - since
        if years > age - ADOPTION_YEARS:
            why = YEARS_IMPOSSIBLE if years > age else None
            yield _finding(
                "years_vs_age",
                field,
                public_id,
                why=why,
                years=years,
                tech=name,
                since=since,
                age=age,
            )


def _title_vs_level(requisition: Requisition) -> Iterator[Finding]:
    rank = LEVEL_RANK.get(requisition.level)
    senior = _SENIOR_TITLE.search(requisition.title or "")
    junior = _JUNIOR_TITLE.search(requisition.title or "")
    if rank is None:
        return
    if senior and rank <= LEVEL_RANK[Level.JUNIOR]:
        word = senior[1]
    elif junior and rank >= LEVEL_RANK[Level.SENIOR]:
        word = junior[1]
    else:
        return
    yield _finding("level_vs_title", "level", word=word, level=Level(requisition.level).label)


def _pay(requisition: Requisition, peers: Sequence[PeerPay]) -> Iterator[Finding]:
    low, high = requisition.compensation_min, requisition.compensation_max
    currency = (requisition.currency or "").upper()
    rank = LEVEL_RANK.get(requisition.level)
    if high is not None and currency and rank is not None:
        below = [
            p
            for p in peers
            if p.currency.upper() == currency
            and LEVEL_RANK.get(p.level, rank) < rank
            and p.compensation_min > high
        ]
        if below:
            peer = max(below, key=lambda p: p.compensation_min)
            yield _finding(
                "level_vs_pay",
                "compensation_max",
                max=_money(high),
                min=_money(peer.compensation_min),
                currency=currency,
                level=Level(peer.level).label,
            )
    if low and high and high > 2 * low:
        yield _finding(
            "pay_range_wide",
            "compensation_min",
            min=_money(low),
            max=_money(high),
            currency=currency,
        )


def _location(
    version: BriefVersion, requisition: Requisition, criteria: Sequence[Criterion]
) -> Iterator[Finding]:
    policy, location = requisition.remote_policy, (requisition.location or "").strip()
    if policy == RemotePolicy.REMOTE:
        texts = _answers(version) + [("criteria", f"{c.name} {c.definition}") for c in criteria]
        for field, text in texts:
            if match := _ON_SITE.search(text):
                yield _finding("location_vs_remote", field, quote=match[0])
                break
    elif policy == RemotePolicy.ON_SITE and "remote" in location.lower():
        yield _finding("location_vs_remote:on_site", "location")
    if policy in (RemotePolicy.ON_SITE, RemotePolicy.HYBRID) and not location:
        yield _finding("no_location", "location")


def _gaps(
    version: BriefVersion, criteria: Sequence[Criterion], stage_ids: set[int]
) -> Iterator[Finding]:
    if not criteria:
        yield _finding("no_criteria", "criteria")
    for c in criteria:
        if c.kind == Kind.MUST and not _is_assessed(c, stage_ids):
            yield _finding("unassessed_must", "criteria", str(c.public_id), name=c.name)
    if not any(str(getattr(version, f, "") or "").strip() for f in SUCCESS_FIELDS):
        yield _finding("no_success", SUCCESS_FIELDS[0])
    if not (version.past_misstep or "").strip():
        yield _finding("no_misstep", "past_misstep")
    if version.review_days is None and version.decision_days is None:
        yield _finding("no_commitments", "review_days")
    missing = [f for f in COMMUNICATION_FIELDS if not getattr(version, f, "")]
    if missing:
        yield _finding("no_communication", missing[0])


# --- loading ---------------------------------------------------------------------------------


def findings_for(
    version: BriefVersion,
    *,
    criteria: Sequence[Criterion] | None = None,
    stages: Sequence[InterviewStage] | None = None,
) -> list[Finding]:
    """The checks for one version, in six queries whatever the number of criteria (four when
    the caller passes the criteria and stages it has already loaded)."""
    requisition = Requisition.objects.select_related("workspace").get(pk=version.requisition_id)
    workspace = requisition.workspace
    glossary = {term: entry.definition for term, entry in glossary_for(requisition).items()}
    additions = VagueTerm.objects.filter(workspace=workspace).values_list("term", "ask")
    peers: list[PeerPay] = []
    if requisition.compensation_max is not None and requisition.currency:
        rows = (
            Requisition.objects.filter(workspace=workspace, currency__iexact=requisition.currency)
            .exclude(pk=requisition.pk)
            .exclude(compensation_min=None)
            .exclude(compensation_max=None)
            .order_by("-created_at")
            .values_list("level", "currency", "compensation_min", "compensation_max")
        )
        peers = [
            PeerPay(level, currency, low, high)
            for level, currency, low, high in rows[:PEER_LIMIT]
            if low is not None and high is not None
        ]
    return check_brief(
        version=version,
        requisition=requisition,
        criteria=list(version.criteria.all()) if criteria is None else list(criteria),
        stages=list(version.stages.all()) if stages is None else list(stages),
        lexicon=merge_lexicon(shipped_lexicon(), additions),
        glossary=glossary,
        must_have_limit=workspace.must_have_limit,
        peer_pay=peers,
        today=timezone.localdate(),
    )
