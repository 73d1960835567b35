"""Ranking quality: does the engine order 5 vacancies for a CV the way people did?

Data: ../shared/data/cv-docx (Vanetik & Kogan, 2023): 65 anonymised DOCX CVs, 5 vacancies, and
two annotators' rankings of the 5 vacancies for CVs 1–30 (annotator 2 only for CVs 1–20). Each
annotation array lists the vacancy numbers from the best fit to the worst.

For each CV the engine judges the CV against each vacancy's brief and ranks the vacancies by
the match score (must-haves met as a share of the brief's must-haves, then partly-met
must-haves and nice-to-haves). Reported per annotator and between the annotators: mean
Spearman's rho and Kendall's tau-b over CVs, and top-1 agreement (ties at the top count as a
fair share).

Briefs:
  hand  bench/data/vacancies/N.json, written from the vacancy text as a recruiter would
  auto  derived by extracting taxonomy skills from the vacancy text: skills under a
        "desired / nice to have / preferred / optional" heading are nice-to-haves, the rest
        must-haves; benefits and company boilerplate skipped
  flat  the same extracted skills, all as equal nice-to-haves (plain skill overlap)

Run:  .venv/bin/python bench/ranking.py [--data ../shared/data/cv-docx] [--per-cv]
"""

import argparse
import ast
import csv
import math
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
os.environ.setdefault("DEBUG", "true")  # a read-only run: no secret key, no database

import django  # noqa: E402

django.setup()

from accord.matching import engine  # noqa: E402
from accord.matching.files import load_brief, profile_of_file  # noqa: E402
from accord.matching.skills import TaxonomyFinder  # noqa: E402

VACANCIES = 5
NICE_HEADINGS = re.compile(
    r"desired skills|nice to haves?|preferred qualifications|additional experience"
    r"|\(not required\)|optional|is optional|a plus|bonus",
    re.IGNORECASE,
)
MUST_HEADINGS = re.compile(
    r"required|must have|minimum|basic qualifications|what you need|requirements"
    r"|skills and competencies",
    re.IGNORECASE,
)
STOP_HEADINGS = re.compile(
    r"about national general|what's in it for you|equal opportunity|in addition to a phenomenal"
    r"|your right to work|benefits",
    re.IGNORECASE,
)


# --- annotations ------------------------------------------------------------------------------


def read_annotations(path: Path) -> tuple[dict[int, list[int]], dict[int, list[int]], list[str]]:
    """{cv number: vacancies best first} per annotator, and the arrays set aside as typos."""
    text = path.read_text(encoding="utf-8")
    notes: list[str] = []
    annotators = []
    for number in (1, 2):
        match = re.search(rf"ANNOTATOR_{number}_RANKINGS\s*=\s*(\[.*?\]\])", text, re.DOTALL)
        if match is None:
            raise SystemExit(f"{path}: no ANNOTATOR_{number}_RANKINGS")
        body = re.sub(r"#[^\n]*", "", match.group(1))
        arrays = ast.literal_eval(body)
        kept = {}
        for cv, order in enumerate(arrays, start=1):
            if sorted(order) == list(range(1, VACANCIES + 1)):
                kept[cv] = order
            else:
                notes.append(
                    f"annotator {number}, CV {cv}: {order} is not an ordering of the 5 "
                    "vacancies (a number repeated, one missing); left out"
                )
        annotators.append(kept)
    return annotators[0], annotators[1], notes


# --- rank statistics ----------------------------------------------------------------------------


def ranks(values: Sequence[float], *, descending: bool) -> list[float]:
    """1 = best; ties share their average rank."""
    order = sorted(range(len(values)), key=lambda i: -values[i] if descending else values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    ma, mb = mean(a), mean(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    var = math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
    return cov / var if var else 0.0


def kendall_tau_b(a: Sequence[float], b: Sequence[float]) -> float:
    concordant = discordant = ties_a = ties_b = 0
    n = len(a)
    for i in range(n):
        for j in range(i + 1, n):
            da, db = a[i] - a[j], b[i] - b[j]
            if da == 0 and db == 0:
                continue
            if da == 0:
                ties_a += 1
            elif db == 0:
                ties_b += 1
            elif (da > 0) == (db > 0):
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_a) * (concordant + discordant + ties_b))
    return (concordant - discordant) / denominator if denominator else 0.0


def top1(predicted_ranks: Sequence[float], truth_best: int) -> float:
    """1 when the predicted best is the annotator's best; a share when several tie for best."""
    best = min(predicted_ranks)
    tied = [v for v, r in enumerate(predicted_ranks, start=1) if r == best]
    return 1 / len(tied) if truth_best in tied else 0.0


def annotator_ranks(order: Sequence[int]) -> list[float]:
    """[best, …, worst] vacancy numbers → the rank of vacancies 1..5."""
    return [float(order.index(v) + 1) for v in range(1, VACANCIES + 1)]


def agreement(predicted: dict[int, list[float]], truth: dict[int, list[int]]) -> dict[str, float]:
    cvs = sorted(set(predicted) & set(truth))
    rho = [spearman(predicted[cv], annotator_ranks(truth[cv])) for cv in cvs]
    tau = [kendall_tau_b(predicted[cv], annotator_ranks(truth[cv])) for cv in cvs]
    hits = [top1(predicted[cv], truth[cv][0]) for cv in cvs]
    return {"n": len(cvs), "rho": mean(rho), "tau": mean(tau), "top1": mean(hits)}


# --- briefs -------------------------------------------------------------------------------------


def auto_brief(text: str, finder: TaxonomyFinder, *, flat: bool) -> list[engine.CriterionSpec]:
    """One criterion per taxonomy skill named in the vacancy; must or nice by the nearest
    heading before it."""
    marks = sorted(
        [(m.start(), "nice") for m in NICE_HEADINGS.finditer(text)]
        + [(m.start(), "must") for m in MUST_HEADINGS.finditer(text)]
        + [(m.start(), "stop") for m in STOP_HEADINGS.finditer(text)]
    )
    criteria: list[engine.CriterionSpec] = []
    seen: set[str] = set()
    for mention in finder.extract(text):
        section = "must"
        for at, kind in marks:
            if at > mention.start:
                break
            section = kind
        if section == "stop" or mention.ref in seen:
            continue
        seen.add(mention.ref)
        kind = engine.NICE if flat or section == "nice" else engine.MUST
        criteria.append(
            engine.CriterionSpec(
                key=mention.ref,
                name=mention.label,
                kind=kind,
                weight=1 if kind == engine.NICE else None,
                skills=(engine.SkillNeed(mention.label, mention.ref),),
            )
        )
    return criteria


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "cv-docx"))
    parser.add_argument("--per-cv", action="store_true", help="print each CV's ranking too")
    args = parser.parse_args()
    data = Path(args.data)
    if not data.is_dir():
        raise SystemExit(f"{data}: not found; pass --data with the cv-docx folder")
    first, second, notes = read_annotations(data / "annotations-for-the-first-30-vacancies.txt")
    with (data / "5_vacancies.csv").open(encoding="utf-8") as f:
        vacancies = [row["job_description"] for row in csv.DictReader(f)]
    finder = TaxonomyFinder()
    briefs = {
        "hand": [
            list(load_brief(ROOT / "bench" / "data" / "vacancies" / f"{n}.json").criteria)
            for n in range(1, VACANCIES + 1)
        ],
        "auto": [auto_brief(text, finder, flat=False) for text in vacancies],
        "flat": [auto_brief(text, finder, flat=True) for text in vacancies],
    }
    for name, variant in briefs.items():
        briefs[name] = [[engine.prepare(c, finder) for c in brief] for brief in variant]
    cvs = sorted(set(first) | set(second) | set(range(1, 31)))
    predicted: dict[str, dict[int, list[float]]] = {name: {} for name in briefs}
    summaries: dict[int, list[str]] = {}
    for cv in cvs:
        profile = profile_of_file(data / "CV" / f"{cv}.docx", finder)
        if isinstance(profile, str):
            notes.append(f"CV {cv}: not parsed ({profile}); left out")
            continue
        for name, variant in briefs.items():
            scores = [engine.judge(brief, profile).match.score for brief in variant]
            predicted[name][cv] = ranks(scores, descending=True)
            if name == "hand":
                summaries[cv] = [engine.judge(b, profile).match.summary for b in variant]

    print("## Agreement on the order of the 5 vacancies per CV\n")
    print("| compared | CVs | Spearman's rho | Kendall's tau-b | top-1 agreement |")
    print("| --- | ---: | ---: | ---: | ---: |")
    human = {cv: annotator_ranks(order) for cv, order in first.items()}
    rows = [("annotator 1 vs annotator 2", agreement(human, second))]
    for name in briefs:
        rows.append((f"engine ({name} briefs) vs annotator 1", agreement(predicted[name], first)))
        rows.append((f"engine ({name} briefs) vs annotator 2", agreement(predicted[name], second)))
    for label, r in rows:
        print(f"| {label} | {r['n']} | {r['rho']:.2f} | {r['tau']:.2f} | {r['top1']:.0%} |")
    print("\nChance level: rho 0, tau 0, top-1 20%.\n")
    counts = {
        name: f"{sum(1 for c in b if c.kind == 'must')} must + "
        f"{sum(1 for c in b if c.kind != 'must')} nice"
        for name, variants in briefs.items()
        for b in [variants[0]]
    }
    print("Criteria in vacancy 1's brief: " + "; ".join(f"{k}: {v}" for k, v in counts.items()))
    for note in notes:
        print(f"- {note}")
    if args.per_cv:
        print("\n## Per CV (hand briefs)\n")
        print("| CV | engine order | annotator 1 | annotator 2 |")
        print("| ---: | --- | --- | --- |")
        for cv in sorted(predicted["hand"]):
            order = sorted(range(1, VACANCIES + 1), key=lambda v: predicted["hand"][cv][v - 1])
            a1 = first.get(cv)
            a2 = second.get(cv)
            print(f"| {cv} | {order} | {a1 if a1 else '—'} | {a2 if a2 else '—'} |")
        print()
        for cv in sorted(summaries):
            print(
                f"- CV {cv}: " + " / ".join(f"V{i + 1}: {s}" for i, s in enumerate(summaries[cv]))
            )


if __name__ == "__main__":
    main()
