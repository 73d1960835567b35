"""`accord match`: rank a folder of resumes against a brief file, best first, with the evidence.

The same engine as the screening page, with no database: the brief comes from a JSON file
(docs/brief-json.md) and skills from the shipped taxonomy file.
"""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accord.matching import engine
from accord.matching.brief_file import BriefFile
from accord.matching.files import FileProblem, load_brief, natural, profile_of_file, resume_files
from accord.matching.skills import TaxonomyFinder

KIND = {engine.MUST: "must", engine.NICE: "nice"}
VERDICT = {
    engine.MET: "Met",
    engine.PARTLY: "Partly",
    engine.NOT_MET: "Not met",
    engine.UNKNOWN: "Unknown",
}


class Command(BaseCommand):
    help = "Rank the resumes in a folder against a brief file, best first, with the evidence."
    # Reads files and the shipped taxonomy only: no checks, no database, no migrations needed.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--brief", required=True, help="The brief as JSON (docs/brief-json.md)."
        )
        parser.add_argument(
            "--resumes", required=True, help="A folder of resumes: PDF, DOCX, TXT or JSON Resume."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--top", type=int, default=0, help="Print only the best N resumes (default: all)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            brief = load_brief(Path(options["brief"]))
        except FileProblem as problem:
            raise CommandError(f"--brief {problem}") from None
        folder = Path(options["resumes"])
        if not folder.is_dir():
            raise CommandError(f"--resumes {folder}: not a folder. Give the folder of resumes.")
        files = resume_files(folder)
        if not files:
            raise CommandError(f"--resumes {folder}: the folder has no files.")
        finder = TaxonomyFinder()
        criteria = [engine.prepare(c, finder) for c in brief.criteria]
        results, failed = [], []
        for path in files:
            profile = profile_of_file(path, finder)
            if isinstance(profile, str):
                failed.append({"file": path.name, "reason": profile})
            else:
                results.append((path.name, engine.judge(criteria, profile)))
        results.sort(key=lambda r: (-r[1].match.score, natural(r[0])))
        if options["top"] > 0:
            results = results[: options["top"]]
        if options["format"] == "json":
            report = _as_json(brief, results, failed)
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(_as_text(brief, results, failed))


def _as_json(
    brief: BriefFile, results: list[tuple[str, engine.Result]], failed: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "brief": {"title": brief.title, "criteria": len(brief.criteria)},
        "results": [
            {
                "rank": rank,
                "file": name,
                "summary": result.match.summary,
                "must_met": result.match.must_met,
                "must_total": result.match.must_total,
                "nice_score": None
                if result.match.nice_score is None
                else round(result.match.nice_score, 3),
                "missing": list(result.match.missing),
                "partial": list(result.match.partial),
                "score": result.match.score,
                "criteria": [
                    {
                        "name": c.name,
                        "kind": c.kind,
                        "weight": c.weight,
                        "verdict": s.verdict,
                        "evidence": s.evidence,
                    }
                    for c, s in result.suggestions
                ],
            }
            for rank, (name, result) in enumerate(results, start=1)
        ],
        "failed": failed,
    }


def _as_text(
    brief: BriefFile, results: list[tuple[str, engine.Result]], failed: list[dict[str, str]]
) -> str:
    musts = sum(1 for c in brief.criteria if c.kind == engine.MUST)
    lines = [
        f"Brief: {brief.title or '(untitled)'} — {musts} must-haves, "
        f"{len(brief.criteria) - musts} nice-to-haves; {len(results)} resumes ranked, "
        f"{len(failed)} failed.",
        "",
    ]
    for rank, (name, result) in enumerate(results, start=1):
        lines.append(f"{rank}. {name} — {result.match.summary} (score {result.match.score:.3f})")
        for c, s in engine.ordered_criteria(result.suggestions, lambda pair: pair[0].kind):
            kind = KIND.get(c.kind, c.kind) + (f" ×{c.weight}" if c.weight else "")
            lines.append(f"   [{kind}] {c.name}: {VERDICT[s.verdict]} — {s.evidence}")
        lines.append("")
    if failed:
        lines.append("Failed:")
        lines.extend(f"   {f['file']}: {f['reason']}" for f in failed)
    return "\n".join(lines).rstrip() + "\n"
