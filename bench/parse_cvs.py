"""Resume parsing: time per file and field coverage on the 65 DOCX CVs and generated PDFs.

Every file goes through `parse_resume`, so the times include content sniffing and the
sandboxed reader process (fork, limits, JSON answer), as an upload or a bulk import sees them.
The CVs are anonymised (names, e-mails and phone numbers replaced by asterisks in the text), so
name and contact coverage on them is low by construction; hyperlinks often survived.

    .venv/bin/python bench/parse_cvs.py [--data ../shared/data/cv-docx] [--per-file] [--hostile]
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
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
os.environ.setdefault("DEBUG", "true")  # a read-only run: no secret key, no database

FIELDS = {
    "text": lambda parsed: bool(parsed.text.strip()),
    "email or phone": lambda parsed: bool(parsed.emails or parsed.phones),
    "email": lambda parsed: bool(parsed.emails),
    "phone": lambda parsed: bool(parsed.phones),
    "links": lambda parsed: bool(parsed.links),
    "name": lambda parsed: bool(parsed.name),
    "location": lambda parsed: bool(parsed.location),
    "headline": lambda parsed: bool(parsed.headline),
    "work entries": lambda parsed: bool(parsed.work),
    "work with title and employer": lambda parsed: any(j.title and j.employer for j in parsed.work),
    "years of experience": lambda parsed: parsed.years_experience is not None,
    "years stated": lambda parsed: parsed.years_stated is not None,
    "education": lambda parsed: bool(parsed.education),
    "skills section": lambda parsed: "skills" in parsed.sections,
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def generated_pdfs() -> dict[str, bytes]:
    from accord.lib.pdf import html_to_pdf
    from tests.candidates.hostile import LAYOUTS, render_html, sample_resume

    resume = sample_resume()
    return {f"sample-{layout}.pdf": html_to_pdf(render_html(resume, layout)) for layout in LAYOUTS}


def report(title: str, files: dict[str, bytes], per_file: bool) -> None:
    from accord.candidates.parsing import ParseError, parse_resume

    times: list[float] = []
    parsed_all = []
    failures = []
    for name, data in files.items():
        started = time.perf_counter()
        try:
            parsed = parse_resume(data, name)
        except ParseError as error:
            failures.append((name, str(error)))
            continue
        finally:
            times.append(time.perf_counter() - started)
        parsed_all.append(parsed)
        if per_file:
            jobs = "; ".join(
                f"{j.title} @ {j.employer} {j.start}–{j.end or 'now'}" for j in parsed.work
            )
            years = parsed.years_experience
            print(f"  {name}: years={years} headline={parsed.headline!r} jobs: {jobs}")
    print(f"\n{title}: {len(files)} files, {len(failures)} failed")
    for name, reason in failures:
        print(f"  FAILED {name}: {reason}")
    print(
        f"  time per file: p50 {percentile(times, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(times, 0.95) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms, "
        f"total {sum(times):.1f} s"
    )
    for field, present in FIELDS.items():
        count = sum(1 for parsed in parsed_all if present(parsed))
        print(f"  {field:30} {count:3}/{len(files)}")
    years = [p.years_experience for p in parsed_all if p.years_experience is not None]
    if years:
        print(f"  years of experience: median {statistics.median(years):.1f}")


def hostile_files() -> None:
    """Each hostile file's outcome and time under the configured limits."""
    from accord.candidates.parsing import ParseError, parse_resume
    from tests.candidates import hostile

    cases = {
        "encrypted PDF (AES-256)": lambda: hostile.encrypted_pdf("s3cret"),
        "PDF with an empty user password": lambda: hostile.encrypted_pdf(""),
        "truncated PDF": lambda: hostile.truncated(hostile.resume_pdf()),
        "scanned (image-only) PDF": hostile.scanned_pdf,
        "PDF stream inflating to 2 GB": lambda: hostile.flate_bomb_pdf(2000),
        "PDF with 4,000 scattered words (slow layout)": lambda: hostile.slow_pdf(4000),
        "truncated DOCX": lambda: hostile.truncated(hostile.resume_docx()),
        "DOCX with 5,000 parts": hostile.docx_many_members,
        "DOCX inflating 64 MB of zeros": hostile.docx_zeros_bomb,
        "DOCX declaring a 4 GB part": hostile.docx_declaring_huge_member,
        "password-protected DOCX": hostile.encrypted_docx,
        "old .doc": hostile.legacy_doc,
        "PNG named .pdf": hostile.png_image,
        "random bytes": hostile.random_bytes,
        "text with NUL bytes": lambda: b"Jane Doe\nEngineer\x00\x00 at Acme\n",
    }
    print("\nHostile files (configured limits):")
    for name, build in cases.items():
        data = build()
        started = time.perf_counter()
        try:
            parse_resume(data, "upload")
            outcome = "read"
        except ParseError as error:
            outcome = error.reason.value
        print(f"  {name:46} {outcome:15} {(time.perf_counter() - started) * 1000:7.0f} ms")


def overhead(cvs_folder: Path) -> None:
    """What the sandbox costs: a file read in-process, through parse_resume (fork, limits,
    JSON), and the import a fresh interpreter per file would pay instead of the fork."""
    import subprocess

    from accord.candidates.parsing import parse_resume, pipeline

    sample = (cvs_folder / "1.docx").read_bytes()
    inline, sandboxed, tiny = [], [], []
    for _ in range(15):
        started = time.perf_counter()
        pipeline.read("docx", sample)
        inline.append(time.perf_counter() - started)
        started = time.perf_counter()
        parse_resume(sample)
        sandboxed.append(time.perf_counter() - started)
        started = time.perf_counter()
        parse_resume(b"Jane Doe\nEngineer")
        tiny.append(time.perf_counter() - started)
    fresh = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "from accord.candidates.parsing import docx, pdf, pipeline"],
            check=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        fresh.append(time.perf_counter() - started)
    print(
        f"one CV (1.docx), p50 of 15: in-process {statistics.median(inline) * 1000:.0f} ms, "
        f"through parse_resume {statistics.median(sandboxed) * 1000:.0f} ms; "
        f"a two-line text file through parse_resume {statistics.median(tiny) * 1000:.0f} ms; "
        f"a fresh interpreter importing the readers {statistics.median(fresh) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/cv-docx")
    parser.add_argument("--per-file", action="store_true")
    parser.add_argument("--hostile", action="store_true", help="also time the hostile files")
    arguments = parser.parse_args()

    import django

    django.setup()
    from accord.candidates.parsing import parse_resume

    # The first call starts the reader server (imports the readers once): not a file's cost.
    started = time.perf_counter()
    parse_resume(b"Jane Doe\nEngineer")
    print(f"reader server start and first parse: {(time.perf_counter() - started) * 1000:.0f} ms")

    overhead(cvs_folder=arguments.data / "CV")
    folder = arguments.data / "CV"
    cvs = {
        path.name: path.read_bytes()
        for path in sorted(folder.glob("*.docx"), key=lambda path: int(path.stem))
    }
    report("DOCX CVs", cvs, arguments.per_file)
    report("Generated PDFs (JSON Resume sample, WeasyPrint)", generated_pdfs(), arguments.per_file)
    if arguments.hostile:
        hostile_files()
    print(json.dumps({"load_average": os.getloadavg()}))


if __name__ == "__main__":
    main()
