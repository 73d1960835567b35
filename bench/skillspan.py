"""Span-level precision, recall and F1 of Accord's skill extraction on SkillSpan.

    .venv/bin/python bench/skillspan.py                # the dev split (the reported figures)
    .venv/bin/python bench/skillspan.py --split train  # the split any tuning may look at
    .venv/bin/python bench/skillspan.py --resumes      # speed on the 65 DOCX CVs too

SkillSpan (Zhang et al., NAACL 2022; MIT) tags job-posting sentences with BIO spans of two
kinds: skills ("work in a team", "presentation skills") and knowledge ("Python", "CI/CD"). The
sentence is rebuilt from its tokens joined by spaces; each mention `find_all` returns becomes
the span of the tokens it covers, typed by the skill's kind (skill and transversal → skill;
technology, knowledge and language → knowledge). "exact" counts a predicted span only when its
boundaries equal a gold span's; "overlap" when they share a token. "both" ignores the type.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
os.environ.setdefault("DEBUG", "true")  # settings demand a SECRET_KEY otherwise; no DB is used

import django  # noqa: E402

django.setup()

from accord.skills.extract import matcher_for  # noqa: E402

Span = tuple[int, int, int]  # sentence, first token, end token
REPEAT = 5
SKILL_KINDS = frozenset({"skill", "transversal"})


def spans(tags: list[str]) -> list[tuple[int, int]]:
    found, start = [], None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and tag != "I":
            found.append((start, i))
            start = None
        if tag == "B" or (tag == "I" and start is None):
            start = i
    return found


def score(predicted: set[Span], gold: set[Span], *, overlap: bool) -> tuple[float, float, float]:
    if overlap:
        by_sentence: dict[int, list[Span]] = {}
        for span in gold:
            by_sentence.setdefault(span[0], []).append(span)

        def touches(span: Span, others: list[Span]) -> bool:
            return any(o[1] < span[2] and span[1] < o[2] for o in others)

        hits_p = sum(touches(p, by_sentence.get(p[0], [])) for p in predicted)
        pred_by: dict[int, list[Span]] = {}
        for span in predicted:
            pred_by.setdefault(span[0], []).append(span)
        hits_r = sum(touches(g, pred_by.get(g[0], [])) for g in gold)
    else:
        hits_p = hits_r = len(predicted & gold)
    precision = hits_p / len(predicted) if predicted else 0.0
    recall = hits_r / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--split", choices=["dev", "train"], default="dev")
    parser.add_argument("--resumes", action="store_true", help="also time the DOCX CVs")
    args = parser.parse_args()
    began = time.perf_counter()
    matcher_for(None)
    print(f"taxonomy loaded and matcher built in {time.perf_counter() - began:.2f} s")
    path = args.data / "skillspan" / f"{args.split}.json"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]

    matcher = matcher_for(None)
    gold: dict[str, set[Span]] = {"skill": set(), "knowledge": set()}
    predicted: dict[str, set[Span]] = {"skill": set(), "knowledge": set()}
    timings = []
    for n, row in enumerate(rows):
        words: list[str] = row["tokens"]
        for kind, field in (("skill", "tags_skill"), ("knowledge", "tags_knowledge")):
            gold[kind].update((n, a, b) for a, b in spans(row[field]))
        starts, offset = [], 0
        for word in words:
            starts.append(offset)
            offset += len(word) + 1
        text = " ".join(words)
        began = time.perf_counter()
        mentions = matcher.find_all(text)
        timings.append(time.perf_counter() - began)
        for mention in mentions:
            covered = [
                i
                for i, s in enumerate(starts)
                if s < mention.end and mention.start < s + len(words[i])
            ]
            skill = matcher.get(mention.ref)
            kind = "skill" if skill and skill.kind in SKILL_KINDS else "knowledge"
            predicted[kind].add((n, covered[0], covered[-1] + 1))

    gold["both"] = gold["skill"] | gold["knowledge"]
    predicted["both"] = predicted["skill"] | predicted["knowledge"]
    print(
        f"SkillSpan {args.split}: {len(rows)} sentences, {len(gold['skill'])} skill and "
        f"{len(gold['knowledge'])} knowledge spans; {len(predicted['both'])} predicted"
    )
    print(f"{'spans':<10} {'match':<8} {'precision':>9} {'recall':>7} {'F1':>6}")
    for kind in ("skill", "knowledge", "both"):
        for overlap in (False, True):
            p, r, f = score(predicted[kind], gold[kind], overlap=overlap)
            label = "overlap" if overlap else "exact"
            print(f"{kind:<10} {label:<8} {p:>9.3f} {r:>7.3f} {f:>6.3f}")
    ms = sorted(t * 1000 for t in timings)
    print(
        f"time per sentence: median {statistics.median(ms):.3f} ms, "
        f"p95 {ms[int(len(ms) * 0.95)]:.3f} ms, total {sum(ms) / 1000:.2f} s"
    )
    if args.resumes:
        time_resumes(args.data / "cv-docx" / "CV")


def time_resumes(folder: Path) -> None:
    import docx  # python-docx, a dependency of resume parsing

    matcher = matcher_for(None)
    texts = []
    for path in sorted(folder.glob("*.docx")):
        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        texts.append("\n".join([p.text for p in document.paragraphs] + cells))
    ms, found = [], 0
    for text in texts:
        found += len(matcher.find_all(text))
        runs = []
        for _ in range(REPEAT):  # the best of several runs: a busy machine only adds noise
            began = time.perf_counter()
            matcher.find_all(text)
            runs.append((time.perf_counter() - began) * 1000)
        ms.append(min(runs))
    ms.sort()
    chars = statistics.mean(len(t) for t in texts)
    print(
        f"{len(texts)} DOCX CVs, {chars:.0f} characters on average, {found} mentions: "
        f"median {statistics.median(ms):.2f} ms, p95 {ms[int(len(ms) * 0.95)]:.2f} ms, "
        f"max {ms[-1]:.2f} ms per resume"
    )


if __name__ == "__main__":
    main()
