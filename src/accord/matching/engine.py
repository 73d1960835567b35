"""The explainable match: judge a resume against a brief's criteria, quoting what was found.

Pure: no database, no Django. Skills are found through a `SkillFinder` (the taxonomy in
production, see matching.skills) and, for labels the taxonomy doesn't know, by the label's own
words. A suggestion is only ever a suggestion: the recruiter's verdict wins (matching.services).

Verdicts go up with evidence and never down: unknown is the default when nothing was found, and
not_met is kept for positive evidence of absence (a whole dated career shorter than the years a
skill asks for).
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol

from accord.matching.quotes import (
    cap,
    first_word_span,
    label_pattern,
    listed,
    passages,
    quote,
    significant_words,
    word_in,
    years_text,
)

MET, PARTLY, NOT_MET, UNKNOWN = "met", "partly", "not_met", "unknown"
VERDICTS = (MET, PARTLY, NOT_MET, UNKNOWN)
MUST, NICE = "must", "nice"
# How far each verdict goes towards a criterion, for the nice-to-have score.
CREDIT = {MET: 1.0, PARTLY: 0.5, NOT_MET: 0.0, UNKNOWN: 0.0}
DAYS_PER_YEAR = 365.25


class Mention(Protocol):
    """A skill found in a text: accord.skills.extract.SkillMention has this shape."""

    @property
    def ref(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class SkillFinder(Protocol):
    def extract(self, text: str) -> Sequence[Mention]: ...
    def resolve(self, label: str) -> tuple[str, str] | None:
        """(ref, canonical label) of a typed skill name, or None when unknown."""
        ...


class JobLike(Protocol):
    """One position of the work history: candidates.parsing.Job has this shape."""

    @property
    def title(self) -> str: ...
    @property
    def employer(self) -> str: ...
    @property
    def start(self) -> date | None: ...
    @property
    def end(self) -> date | None: ...
    @property
    def current(self) -> bool: ...
    @property
    def text(self) -> str: ...


# --- the brief side -------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillNeed:
    label: str
    ref: str = ""
    min_years: float | None = None

    @property
    def wording(self) -> str:
        """'Kubernetes 3+ years', as the explanation names it."""
        if self.min_years:
            return f"{self.label} {years_text(self.min_years)}+ years"
        return self.label


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of a brief. `key` identifies it in verdict maps (a Criterion's pk or name).

    `prepare` fills `terms` (what to look for when no skill is linked) and resolves refs."""

    key: str
    name: str
    kind: str = MUST
    weight: int | None = None
    skills: tuple[SkillNeed, ...] = ()
    definition: str = ""
    terms: tuple[SkillNeed, ...] = ()
    words: tuple[str, ...] = ()
    # One of the linked skills is enough ("Python, Perl or PHP"); the app's criteria need all.
    any_of: bool = False
    years: float | None = None  # "5+ years of experience" with nothing more specific
    prepared: bool = False

    @property
    def display(self) -> str:
        """The criterion as the 'Missing:' list names it."""
        if len(self.skills) == 1 and self.skills[0].min_years and not _YEARS.search(self.name):
            return f"{self.name} {years_text(self.skills[0].min_years)}+ years"
        return self.name


_YEARS = re.compile(r"(\d+(?:\.\d+)?)\s*\+?\s*(?:years?|yrs?)\b", re.IGNORECASE)


def prepare(spec: CriterionSpec, finder: SkillFinder | None) -> CriterionSpec:
    """Resolve linked skills to taxonomy refs; without linked skills, decide what to look for:
    taxonomy skills named in the criterion's name, else in its definition, else its words."""
    if spec.prepared:
        return spec
    skills = tuple(_resolved(need, finder) for need in spec.skills)
    terms: tuple[SkillNeed, ...] = ()
    words: tuple[str, ...] = ()
    years = None
    if not skills:
        match = _YEARS.search(spec.name)
        asked = float(match.group(1)) if match else None
        for source in (spec.name, spec.definition):
            found = _distinct(finder.extract(source)) if finder and source else []
            if found:
                terms = tuple(SkillNeed(m.label, m.ref, asked) for m in found)
                break
        if not terms:
            words = significant_words(_YEARS.sub(" ", spec.name))
            if not words and asked:
                years = asked
    return replace(spec, skills=skills, terms=terms, words=words, years=years, prepared=True)


def _resolved(need: SkillNeed, finder: SkillFinder | None) -> SkillNeed:
    if need.ref or finder is None:
        return need
    found = finder.resolve(need.label)
    return replace(need, ref=found[0]) if found else need


def _distinct(mentions: Iterable[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.ref not in seen:
            seen.add(m.ref)
            out.append(m)
    return out


# --- the candidate side ---------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    ref: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Job:
    title: str
    employer: str
    start: date | None
    end: date | None  # None with `current` means until today
    text: str
    mentions: tuple[Found, ...] = ()

    @property
    def period(self) -> str:
        if self.start is None:
            return ""
        until = str(self.end.year) if self.end else "now"
        return f"{self.start.year}–{until}"

    @property
    def where(self) -> str:
        at = " at ".join(p for p in (self.title, self.employer) if p)
        return ", ".join(p for p in (at, self.period) if p)


@dataclass(frozen=True)
class Known:
    """A skill stored for the candidate (CandidateSkill): from an earlier parse, or a recruiter."""

    ref: str
    label: str
    years: float | None = None
    evidence: str = ""


@dataclass(frozen=True)
class Profile:
    text: str = ""
    mentions: tuple[Found, ...] = ()
    jobs: tuple[Job, ...] = ()
    known: Mapping[str, Known] = field(default_factory=dict)
    years_total: float | None = None
    # Every position has a start date, so the career's length is known, not a lower bound.
    history_complete: bool = False
    today: date = field(default_factory=date.today)


def build_profile(
    *,
    text: str,
    work: Sequence[JobLike] = (),
    finder: SkillFinder | None = None,
    known: Iterable[Known] = (),
    years_total: float | None = None,
    today: date | None = None,
) -> Profile:
    """What the engine needs of a candidate: resume text and the skills found in it, the work
    history with each job's own skills (for years per skill), and stored skills."""
    today = today or date.today()

    def found(source: str) -> tuple[Found, ...]:
        if finder is None or not source:
            return ()
        return tuple(Found(m.ref, m.label, m.start, m.end) for m in finder.extract(source))

    jobs = tuple(
        Job(
            title=j.title or "",
            employer=j.employer or "",
            start=j.start,
            end=j.end if (j.end or not j.current) else None,
            text=j.text or "",
            mentions=found(j.text or ""),
        )
        for j in work
    )
    complete = bool(jobs) and all(j.start for j in jobs)
    if years_total is None and complete:
        years_total = _span_years([_interval(j, today) for j in jobs])
    return Profile(
        text=text,
        mentions=found(text),
        jobs=jobs,
        known={k.ref: k for k in known},
        years_total=years_total,
        history_complete=complete,
        today=today,
    )


def _interval(job: Job, today: date) -> tuple[date, date] | None:
    if job.start is None:
        return None
    end = job.end or today
    return (job.start, end) if end >= job.start else None


def _span_years(intervals: Iterable[tuple[date, date] | None]) -> float:
    """Total years covered by the intervals, overlaps counted once."""
    spans = sorted(i for i in intervals if i)
    total = 0
    current: tuple[date, date] | None = None
    for start, end in spans:
        if current and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += (current[1] - current[0]).days
        current = (start, end)
    if current:
        total += (current[1] - current[0]).days
    return round(total / DAYS_PER_YEAR, 1)


# --- judging one criterion ------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    verdict: str
    evidence: str


@dataclass(frozen=True)
class _Hit:
    """What was found for one skill need."""

    need: SkillNeed
    quote: str = ""  # words of the resume
    where: str = ""  # the job it came from
    years: float | None = None  # years of the work history that show it
    found: bool = False

    @property
    def status(self) -> str:
        if not self.found:
            return UNKNOWN
        if self.need.min_years and (self.years is None or self.years < self.need.min_years):
            return PARTLY
        return MET


def suggest(
    criterion: CriterionSpec, profile: Profile, finder: SkillFinder | None = None
) -> Suggestion:
    """The suggested verdict for one criterion, with the evidence quoted from the resume."""
    spec = prepare(criterion, finder)
    needs = spec.skills or spec.terms
    if needs:
        return _judge_skills(spec, needs, profile)
    if spec.words:
        return _judge_words(spec, profile)
    if spec.years:
        return _judge_total_years(spec.years, profile)
    return Suggestion(UNKNOWN, "Nothing to look for in a resume: judge this one yourself.")


def _judge_skills(spec: CriterionSpec, needs: Sequence[SkillNeed], profile: Profile) -> Suggestion:
    hits = [_look_for(need, profile) for need in needs]
    statuses = [h.status for h in hits]
    # Positive evidence of absence: the whole dated career is shorter than the years asked.
    impossible = [
        h
        for h in hits
        if not h.found
        and h.need.min_years
        and profile.history_complete
        and profile.years_total is not None
        and profile.years_total < h.need.min_years
    ]
    if spec.any_of:
        verdict = (
            MET
            if MET in statuses
            else PARTLY
            if PARTLY in statuses
            else NOT_MET
            if len(impossible) == len(hits)
            else UNKNOWN
        )
    elif all(s == MET for s in statuses):
        verdict = MET
    elif any(s in (MET, PARTLY) for s in statuses):
        verdict = PARTLY
    elif impossible:
        verdict = NOT_MET
    else:
        verdict = UNKNOWN
    shown = hits
    if spec.any_of:
        # One of them is enough: quote what was found, and name the rest only if nothing was.
        best = [h for h in hits if h.status == MET] or [h for h in hits if h.found]
        if best:
            shown = best[:1]
        elif not impossible:
            wanted = listed([h.need.wording for h in hits])
            return Suggestion(verdict, f"Looked for any of {wanted}: none is mentioned.")
    parts = [_describe(hit, profile, hit in impossible) for hit in shown]
    return Suggestion(verdict, cap(" ".join(parts)))


def _describe(hit: _Hit, profile: Profile, impossible: bool) -> str:
    need = hit.need
    if not hit.found:
        if impossible:
            return (
                f"{need.label}: {years_text(need.min_years or 0)}+ years asked; the whole work "
                f"history adds up to {years_text(profile.years_total or 0)} years."
            )
        return f"{need.wording}: looked for it and found no mention in the resume."
    text = f"{need.label}: “{hit.quote}”" if hit.quote else f"{need.label}: listed."
    if hit.where:
        text += f" ({hit.where})"
    if need.min_years:
        if hit.years is None:
            text += (
                f" — {years_text(need.min_years)}+ years asked; the resume doesn't show how long."
            )
        elif hit.years < need.min_years:
            text += (
                f" — about {years_text(hit.years)} years in the work history; "
                f"{years_text(need.min_years)}+ asked."
            )
        else:
            text += f" — about {years_text(hit.years)} years in the work history."
    elif hit.years:
        text += f" — about {years_text(hit.years)} years."
    return text


def _look_for(need: SkillNeed, profile: Profile) -> _Hit:
    today = profile.today
    jobs_with = [j for j in profile.jobs if _spans_in(need, j.text, j.mentions)]
    years: float | None = None
    if jobs_with and any(j.start for j in jobs_with):
        years = _span_years([_interval(j, today) for j in jobs_with])
    known = profile.known.get(need.ref) if need.ref else None
    if known is None:
        known = next(
            (k for k in profile.known.values() if k.label.lower() == need.label.lower()), None
        )
    if known and known.years is not None:
        years = max(years or 0.0, known.years)
    # Quote the most recent job that shows it (experience beats a skills list), else the resume.
    for job in sorted(jobs_with, key=lambda j: j.start or date.min, reverse=True):
        spans = _spans_in(need, job.text, job.mentions)
        return _Hit(need, quote(job.text, spans[0]), job.where, years, True)
    spans = _spans_in(need, profile.text, profile.mentions)
    if spans:
        return _Hit(need, quote(profile.text, spans[0]), "", years, True)
    if known:
        return _Hit(need, known.evidence, "", years, True)
    return _Hit(need)


def _spans_in(need: SkillNeed, text: str, mentions: Sequence[Found]) -> list[tuple[int, int]]:
    if not text:
        return []
    spans = [(m.start, m.end) for m in mentions if need.ref and m.ref == need.ref]
    if spans:
        return spans
    return [m.span() for m in label_pattern(need.label).finditer(text)]


def _judge_words(spec: CriterionSpec, profile: Profile) -> Suggestion:
    """No skill to look for: the criterion's own words. Met only when one passage of the resume
    has them all; some of them is only partly."""
    text = profile.text
    if not text:
        return Suggestion(UNKNOWN, f"No resume text to look for {listed(spec.words)} in.")
    best: tuple[int, tuple[int, int]] | None = None
    for start, end in passages(text):
        chunk = text[start:end].lower()
        count = sum(1 for w in spec.words if word_in(w, chunk))
        if count and (best is None or count > best[0]):
            best = (count, (start, end))
    if best is None:
        return Suggestion(
            UNKNOWN, f"Looked for {listed(spec.words)} and found none of them in the resume."
        )
    count, (start, end) = best
    said = quote(text, first_word_span(text, start, end, spec.words))
    if count == len(spec.words):
        return Suggestion(MET, cap(f"“{said}”"))
    chunk = text[start:end].lower()
    missing = [w for w in spec.words if not word_in(w, chunk)]
    return Suggestion(PARTLY, cap(f"“{said}” — but not {listed(missing)}."))


def _judge_total_years(asked: float, profile: Profile) -> Suggestion:
    total = profile.years_total
    if total is None:
        return Suggestion(
            UNKNOWN,
            f"{years_text(asked)}+ years asked; the resume's work history has no dates.",
        )
    where = "; ".join(j.where for j in profile.jobs[:3] if j.where)
    detail = f" ({where})" if where else ""
    if total >= asked:
        return Suggestion(MET, f"About {years_text(total)} years of work history{detail}.")
    verdict = NOT_MET if profile.history_complete else PARTLY
    return Suggestion(
        verdict,
        f"About {years_text(total)} years of work history{detail}; {years_text(asked)}+ asked.",
    )


# --- the whole brief ------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    must_met: int
    must_total: int
    nice_score: float | None  # 0..1, weighted by weight, partly = half; None without nice-to-haves
    missing: tuple[str, ...]  # must-haves neither met nor partly met
    partial: tuple[str, ...]  # must-haves partly met
    unknown: tuple[str, ...]  # criteria nobody could judge yet
    score: float  # orders results only; never shown alone

    @property
    def nice_percent(self) -> int | None:
        return None if self.nice_score is None else round(self.nice_score * 100)

    @property
    def summary(self) -> str:
        """'Must-haves 3 of 4 · Nice-to-haves 60% · Missing: Kubernetes 3+ years'."""
        parts = [f"Must-haves {self.must_met} of {self.must_total}"] if self.must_total else []
        if self.nice_score is not None:
            parts.append(f"Nice-to-haves {self.nice_percent}%")
        if self.missing:
            parts.append("Missing: " + ", ".join(self.missing))
        if self.partial:
            parts.append("Partly: " + ", ".join(self.partial))
        return " · ".join(parts) or "No criteria"


def explain(criteria: Sequence[CriterionSpec], verdicts: Mapping[str, str]) -> Match:
    """Must-haves met k of n, the weighted nice-to-have score, and what is missing.

    `score` puts a candidate meeting more must-haves above one meeting fewer, whatever else;
    among equals, partly-met must-haves and then nice-to-haves decide. It lies in [0, 1] and is
    comparable across briefs (must-haves met as a share), which the benchmark uses."""
    musts = [c for c in criteria if c.kind == MUST]
    nices = [c for c in criteria if c.kind != MUST]
    verdict = {c.key: verdicts.get(c.key, UNKNOWN) for c in criteria}
    must_met = sum(1 for c in musts if verdict[c.key] == MET)
    must_partly = sum(1 for c in musts if verdict[c.key] == PARTLY)
    weights = sum(_weight(c) for c in nices)
    nice_score = (
        sum(_weight(c) * CREDIT[verdict[c.key]] for c in nices) / weights if nices else None
    )
    # Tie-breaker in [0, 1): partly-met must-haves first, then nice-to-haves.
    partly_share = must_partly / len(musts) if musts else 0.0
    tie = (
        0.999 * (0.6 * partly_share + 0.4 * (nice_score or 0.0))
        if musts
        else 0.999 * (nice_score or 0.0)
    )
    score = (must_met + tie) / (len(musts) + 1)
    return Match(
        must_met=must_met,
        must_total=len(musts),
        nice_score=nice_score,
        missing=tuple(c.display for c in musts if verdict[c.key] in (NOT_MET, UNKNOWN)),
        partial=tuple(c.display for c in musts if verdict[c.key] == PARTLY),
        unknown=tuple(c.name for c in criteria if verdict[c.key] == UNKNOWN),
        score=round(score, 6),
    )


def _weight(criterion: CriterionSpec) -> int:
    return criterion.weight or 1


@dataclass(frozen=True)
class Result:
    """A whole brief judged against one profile: what `accord match` prints and the pool ranks."""

    match: Match
    suggestions: tuple[tuple[CriterionSpec, Suggestion], ...]


def judge(
    criteria: Sequence[CriterionSpec], profile: Profile, finder: SkillFinder | None = None
) -> Result:
    prepared = [prepare(c, finder) for c in criteria]
    suggestions = tuple((c, suggest(c, profile)) for c in prepared)
    match = explain(prepared, {c.key: s.verdict for c, s in suggestions})
    return Result(match, suggestions)


def ordered_criteria[C](criteria: Iterable[C], kind: Callable[[C], str]) -> list[C]:
    """Must-haves first, each group in its own order."""
    items = list(criteria)
    return [c for c in items if kind(c) == MUST] + [c for c in items if kind(c) != MUST]
