"""`accord match` on real DOCX CVs and on files the tests make, without a database."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import CommandError, call_command

CV_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "cv-docx" / "CV"
ROOT = Path(__file__).resolve().parents[2]
VACANCY_5 = ROOT / "bench" / "data" / "vacancies" / "5.json"

BRIEF = {
    "title": "Backend Engineer",
    "criteria": [
        {"name": "PHP, 3+ years", "kind": "must", "skills": [{"label": "PHP", "min_years": 3}]},
        {"name": "SQL", "kind": "must", "skills": [{"label": "SQL"}]},
        {
            "name": "Elasticsearch",
            "kind": "nice",
            "weight": 2,
            "skills": [{"label": "Elasticsearch"}],
        },
    ],
}
STRONG = """Pat Strong
pat@example.com

Experience
Backend engineer, Acme, 2015 – 2023
Built the billing platform in PHP and SQL; moved search to Elasticsearch.
"""
WEAK = """Wes Weak
wes@example.com

Experience
Support analyst, Foo, 2021 – 2023
Answered tickets and wrote SQL reports.
"""


def write_brief(folder: Path, data: Any = BRIEF) -> Path:
    path = folder / "brief.json"
    path.write_text(json.dumps(data))
    return path


def run(**options: Any) -> str:
    out = io.StringIO()
    call_command("match", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def resumes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A text resume, a JSON Resume, a DOCX and a PDF made here, and a file that is no resume."""
    folder = tmp_path_factory.mktemp("resumes")
    (folder / "weak.txt").write_text(WEAK)
    json_resume = {
        "basics": {"name": "Jo Json", "email": "jo@example.com"},
        "work": [
            {
                "name": "Bar",
                "position": "Developer",
                "startDate": "2019-01-01",
                "endDate": "2023-01-01",
                "summary": "PHP services with SQL.",
            }
        ],
        "skills": [{"name": "PHP"}],
    }
    (folder / "jo.json").write_text(json.dumps(json_resume))
    document = docx.Document()
    for line in STRONG.splitlines():
        document.add_paragraph(line)
    document.save(str(folder / "strong.docx"))
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = "<h1>Pia Pdf</h1><p>Experience</p><p>Engineer, Baz, 2010 – 2022</p><p>Wrote PHP.</p>"
    HTML(string=html).write_pdf(str(folder / "pia.pdf"))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(200))
    (folder / ".hidden.txt").write_text("ignored")
    return folder


def test_json_report_ranks_best_first_with_evidence_and_reports_failures(
    tmp_path: Path, resumes: Path
) -> None:
    report = json.loads(run(brief=str(write_brief(tmp_path)), resumes=str(resumes), format="json"))
    files = [r["file"] for r in report["results"]]
    assert files[0] == "strong.docx"
    assert set(files) == {"strong.docx", "jo.json", "pia.pdf", "weak.txt"}
    assert files.index("jo.json") < files.index("weak.txt")
    scores = [r["score"] for r in report["results"]]
    assert scores == sorted(scores, reverse=True)
    best = report["results"][0]
    assert (best["rank"], best["must_met"], best["must_total"], best["nice_score"]) == (
        1,
        2,
        2,
        1.0,
    )
    assert best["summary"] == "Must-haves 2 of 2 · Nice-to-haves 100%"
    php = best["criteria"][0]
    assert php["verdict"] == "met"
    assert "“Built the billing platform in PHP and SQL" in php["evidence"]
    weak = next(r for r in report["results"] if r["file"] == "weak.txt")
    assert weak["missing"] == ["PHP, 3+ years"]
    assert report["failed"] == [{"file": "broken.pdf", "reason": report["failed"][0]["reason"]}]
    assert report["failed"][0]["reason"]  # says why, in words
    assert report["brief"] == {"title": "Backend Engineer", "criteria": 3}


def test_text_report(tmp_path: Path, resumes: Path) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    for name in ("strong.docx", "broken.pdf"):
        shutil.copy(resumes / name, folder / name)
    text = run(brief=str(write_brief(tmp_path)), resumes=str(folder), format="text", top=1)
    lines = text.splitlines()
    assert lines[0].startswith("Brief: Backend Engineer — 2 must-haves, 1 nice-to-haves; 1 resumes")
    assert lines[2].startswith("1. strong.docx — Must-haves 2 of 2 · Nice-to-haves 100% (score ")
    assert lines[3].startswith("   [must] PHP, 3+ years: Met — PHP: “Built the billing platform")
    assert "Failed:" in text
    assert "broken.pdf:" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON (line 1, column 2"),
        (
            json.dumps({"criteria": [{"name": "Go", "kind": "nice"}]}),
            "criteria[0].weight: a nice-to-have needs a weight",
        ),
    ],
)
def test_bad_brief_names_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "brief.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message.replace("[", r"\[").replace("(", r"\(")):
        run(brief=str(path), resumes=str(tmp_path))


def test_missing_folder_or_brief(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run(brief=str(tmp_path / "nope.json"), resumes=str(tmp_path))
    with pytest.raises(CommandError, match="not a folder"):
        run(brief=str(write_brief(tmp_path)), resumes=str(tmp_path / "nope"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CommandError, match="the folder has no files"):
        run(brief=str(write_brief(tmp_path)), resumes=str(empty))


needs_cvs = pytest.mark.skipif(
    not CV_DIR.is_dir(), reason=f"the DOCX CVs of ../shared/data are not at {CV_DIR}"
)


@needs_cvs
def test_real_docx_cvs_against_a_vacancy(tmp_path: Path) -> None:
    folder = tmp_path / "cvs"
    folder.mkdir()
    for n in (1, 2, 8, 21):
        shutil.copy(CV_DIR / f"{n}.docx", folder / f"{n}.docx")
    report = json.loads(run(brief=str(VACANCY_5), resumes=str(folder), format="json"))
    assert report["failed"] == []
    assert len(report["results"]) == 4
    by_file = {r["file"]: r for r in report["results"]}
    # CV 1: a Java developer since 2017 with a master's in computer science.
    java, degree = by_file["1.docx"]["criteria"][:2]
    assert java["verdict"] == "met"
    assert "Java" in java["evidence"]
    assert degree["verdict"] == "met"
    assert "master's degree in Computer Science" in degree["evidence"]
    for result in report["results"]:
        for criterion in result["criteria"]:
            assert criterion["evidence"], (result["file"], criterion["name"])


@needs_cvs
def test_the_console_script_runs_without_a_database(tmp_path: Path) -> None:
    folder = tmp_path / "cvs"
    folder.mkdir()
    shutil.copy(CV_DIR / "1.docx", folder / "1.docx")
    accord = Path(sys.executable).with_name("accord")
    env = {
        **os.environ,
        "DEBUG": "true",
        "ACCORD_VAR_DIR": str(tmp_path / "var"),
        # Nothing listens here: any query would fail the command.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
        [
            str(accord),
            "match",
            "--brief",
            str(VACANCY_5),
            "--resumes",
            str(folder),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["results"][0]["file"] == "1.docx"
    assert report["results"][0]["must_met"] == 2
