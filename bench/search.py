"""Candidate search over a large pool: p50/p95 per kind of query, on SQLite and PostgreSQL.

Builds a scratch database (never the one Accord runs on) with a workspace of N candidates
(default 100,000): names, titles, employers, cities, 4-12 taxonomy skills each, tags on some,
and a resume of about 2 KB assembled from the sentences of the public job postings in
../shared/data/job-postings (plus the candidate's skills and employers), 20 requisitions with
6,000 applications. Then `index_candidates` indexes the whole pool (timed), and every kind of
query runs RUNS times through `search_candidates`, as the candidates page calls it; the page
itself (form, search, template) is timed for two kinds with Django's test client.

    .venv/bin/python bench/search.py sqlite   [--candidates 100000] [--runs 30] [--rebuild]
    .venv/bin/python bench/search.py postgres [--candidates 100000] [--runs 30] [--rebuild]

SQLite: /tmp/search-bench/bench-N.sqlite3. PostgreSQL: the database accord_bench_search on
$BENCH_PG (default postgres://postgres@127.0.0.1:5432), created if missing. A database already
holding a pool of the same size is reused; --rebuild starts again.
"""

import argparse
import json
import random
import re
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
from bench.scratch import ScratchDatabase, analyzed  # noqa: E402 (after the path is set)

SCRATCH = Path("/tmp/search-bench")  # noqa: S108 (a throwaway benchmark folder, by design)
PG_NAME = "accord_bench_search"
POSTINGS = ROOT.parent / "shared" / "data" / "job-postings" / "microsoft_careers_sample.json"

FIRST = """Ada Alan Amara Ana Anders Aisha Bruno Camille Carlos Chen Chiara Daniel Dev Elena Emeka
Erik Fatima Finn Grace Hana Hugo Ines Ivan Jamal Jana Jonas José Julia Kai Karim Lars Lea Leila
Luca Maya Mei Mohammed Nadia Nils Noor Olga Omar Paula Pedro Priya Rafael Rosa Sam Sara Sofia
Tariq Tom Vera Wei Yara Yusuf Zoe Zofia Marta Kenji Aiko Björn Søren""".split()  # noqa: SIM905
LAST = """Abbott Ahmed Andersen Bauer Becker Costa Dubois Eriksson Fernández Fischer García Gomez
Hansen Haddad Ito Jensen Kowalski Kumar Larsen Lopez Martin Meyer Moreau Müller Nakamura Nguyen
Novak Okafor Olsen Patel Petrov Popescu Rossi Santos Schmidt Schneider Silva Singh Smith Suzuki
Tanaka Thomas Wagner Wang Weber Williams Wójcik Yilmaz Zhang Zimmermann Ødegaard Łukasz""".split()  # noqa: SIM905
CITIES = """London, UK|Manchester, UK|Edinburgh, UK|Dublin, Ireland|Berlin, Germany|Munich,
Germany|Hamburg, Germany|Paris, France|Lyon, France|Amsterdam, Netherlands|Rotterdam,
Netherlands|Brussels, Belgium|Madrid, Spain|Barcelona, Spain|Lisbon, Portugal|Porto,
Portugal|Milan, Italy|Rome, Italy|Zürich, Switzerland|Vienna, Austria|Prague, Czechia|Warsaw,
Poland|Kraków, Poland|Stockholm, Sweden|Copenhagen, Denmark|Oslo, Norway|Helsinki,
Finland|Tallinn, Estonia|New York, USA|Seattle, USA|Austin, USA|Toronto, Canada|Remote"""
CITIES_LIST = [c.strip().replace("\n", " ") for c in CITIES.split("|")]
EMPLOYERS = [
    e.strip()
    for e in """Acme|Globex|Initech|Umbrella|Hooli|Stark Industries|Wayne Enterprises|Wonka|
Cyberdyne|Tyrell|Soylent|Aperture|Vandelay|Pied Piper|Massive Dynamic|Oscorp|Gringotts|
Monsters Inc|Blue Sun|Nakatomi|Virtucon|Dunder Mifflin|Prestige Worldwide|Bluth|
Vehement Capital|Sirius Cybernetics|Northwind|Contoso|Fabrikam|Adventure Works|Litware|
Tailspin|Woodgrove|Proseware""".split("|")  # noqa: SIM905
]
SKILLS = """Python|Java|JavaScript|TypeScript|Go|Rust|C++|C#|Kotlin|Swift|Ruby|PHP|Scala|SQL|
PostgreSQL|MySQL|MongoDB|Redis|Kafka|Spark|Hadoop|Airflow|dbt|Snowflake|Tableau|Power BI|Excel|
Kubernetes|Docker|Terraform|Ansible|AWS|Azure|Google Cloud|Linux|Git|Jenkins|GitHub Actions|
React|Angular|Vue.js|Node.js|Django|Flask|Spring|.NET|GraphQL|REST|Figma|Sketch|Photoshop|
Machine learning|Deep learning|TensorFlow|PyTorch|scikit-learn|Pandas|NumPy|Statistics|
Natural language processing|Computer vision|Data analysis|Data modeling|ETL|Agile|Scrum|Jira|
Project management|Product management|Stakeholder management|Negotiation|Recruiting|Sales|
Salesforce|SAP|Accounting|Budgeting|Technical writing|Public speaking|Leadership|Mentoring|
Customer service|Cybersecurity|Penetration testing|Networking|COBOL|Fortran|Elixir|Haskell"""
SKILL_LABELS = [s.strip() for s in SKILLS.replace("\n", "").split("|")]
RARE = {"COBOL", "Fortran", "Elixir", "Haskell"}
TAGS = ["Silver medallist", "Referral bonus", "Relocating", "Do not contact", "Alumni"]


SCRATCH_DB = ScratchDatabase(SCRATCH, PG_NAME)


def sentences() -> list[str]:
    postings = json.loads(POSTINGS.read_text())
    found: list[str] = []
    for posting in postings:
        for sentence in re.split(r"(?<=[.!?])\s+", posting.get("description", "")):
            sentence = sentence.strip()
            if 40 <= len(sentence) <= 300:
                found.append(sentence)
    return found


def titles() -> list[str]:
    postings = json.loads(POSTINGS.read_text())
    return sorted({p["title"].strip() for p in postings if p.get("title")})


def populate(candidates: int) -> dict[str, Any]:
    """The pool, built once per database; returns what the queries need."""
    from django.utils import timezone

    from accord.candidates.models import Candidate, CandidateSkill, Resume, Source, Tag
    from accord.candidates.search import index_candidates
    from accord.pipeline.models import Application, Category, Stage
    from accord.skills.extract import resolve_skill
    from accord.workspaces.models import Member, Role, Workspace
    from tests.factories import MemberFactory, RequisitionFactory, WorkspaceFactory

    existing = Workspace.objects.filter(slug="bench").first()
    if existing is not None:
        count = Candidate.objects.filter(workspace=existing).count()
        if count == candidates:
            print(f"reusing the pool of {count:,} candidates")
            return {
                "recruiter": Member.objects.get(workspace=existing, role=Role.RECRUITER),
                "manager": Member.objects.get(workspace=existing, role=Role.HIRING_MANAGER),
                "requisition": existing.requisitions.order_by("pk").first(),
                "indexing": None,
            }
        raise SystemExit(f"the scratch database holds {count:,} candidates: use --rebuild")

    rng = random.Random(20261122)  # noqa: S311 (reproducible fake data, not secrets)
    lines = sentences()
    job_titles = titles()
    refs = {}
    for label in SKILL_LABELS:
        skill = resolve_skill(label)
        refs[label] = skill.ref if skill else f"ws:{label.lower()}"
    common = [s for s in SKILL_LABELS if s not in RARE]

    workspace = WorkspaceFactory(name="Bench", slug="bench")
    recruiter = MemberFactory(workspace=workspace, role=Role.RECRUITER)
    manager = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    requisitions = []
    for n in range(20):
        requisition = RequisitionFactory(
            workspace=workspace,
            recruiter=recruiter,
            title=rng.choice(job_titles),
            hiring_managers=[manager] if n < 2 else [],
        )
        stages = [
            Stage.objects.create(requisition=requisition, name=str(c.label), category=c, position=i)
            for i, c in enumerate(
                [
                    Category.SOURCED,
                    Category.SCREEN,
                    Category.REVIEW,
                    Category.INTERVIEW,
                    Category.OFFER,
                    Category.REJECTED,
                ]
            )
        ]
        requisitions.append((requisition, stages))
    tags = [Tag.objects.create(workspace=workspace, name=name) for name in TAGS]

    now = timezone.now()
    started = time.perf_counter()
    batch = 2_000
    for start in range(0, candidates, batch):
        people = []
        for i in range(start, min(start + batch, candidates)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            years = rng.choice([None, *range(31)])
            people.append(
                Candidate(
                    workspace=workspace,
                    name=f"{first} {last}",
                    email=f"{first}.{last}.{i}@example.net".lower(),
                    headline=rng.choice(job_titles),
                    current_employer=rng.choice(EMPLOYERS),
                    location=rng.choice(CITIES_LIST),
                    years_experience=Decimal(years) if years is not None else None,
                    source=rng.choice(Source.values),
                    created_at=now - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)),
                )
            )
        created = Candidate.objects.bulk_create(people)
        skills, resumes, links = [], [], []
        for person in created:
            chosen = rng.sample(common, rng.randint(4, 12))
            if rng.random() < 0.01:
                chosen.append(rng.choice(sorted(RARE)))
            for label in chosen:
                skills.append(
                    CandidateSkill(
                        candidate=person,
                        ref=refs[label],
                        label=label,
                        years=Decimal(rng.randint(1, 10)),
                    )
                )
            resumes.append(
                Resume(
                    candidate=person,
                    original_name="resume.txt",
                    kind="txt",
                    size=0,
                    sha256="0" * 64,
                    text=resume_text(rng, person, chosen, lines, job_titles),
                    created_at=person.created_at,
                )
            )
            if rng.random() < 0.15:
                for tag in rng.sample(tags, rng.randint(1, 2)):
                    links.append(Candidate.tags.through(candidate=person, tag=tag))
        CandidateSkill.objects.bulk_create(skills)
        Resume.objects.bulk_create(resumes)
        Candidate.tags.through.objects.bulk_create(links)
        print(f"  {start + len(created):,} candidates", end="\r", flush=True)
    print(f"created {candidates:,} candidates in {time.perf_counter() - started:.0f} s")

    ids = list(Candidate.objects.filter(workspace=workspace).values_list("pk", flat=True))
    applications = []
    for pk in rng.sample(ids, min(len(ids), 6_000)):
        requisition, stages = rng.choice(requisitions)
        applications.append(
            Application(
                workspace=workspace,
                candidate_id=pk,
                requisition=requisition,
                stage=rng.choice(stages),
            )
        )
    Application.objects.bulk_create(applications, ignore_conflicts=True)

    started = time.perf_counter()
    index_candidates(ids)
    indexing = time.perf_counter() - started
    print(f"indexed {len(ids):,} candidates in {indexing:.0f} s")
    return {
        "recruiter": recruiter,
        "manager": manager,
        "requisition": requisitions[0][0],
        "indexing": indexing,
    }


def resume_text(
    rng: random.Random, person: Any, skills: list[str], lines: list[str], job_titles: list[str]
) -> str:
    parts = [person.name, f"{person.headline} at {person.current_employer}", person.location, ""]
    parts.append("Summary")
    parts.extend(rng.sample(lines, 2))
    parts.append("")
    parts.append("Experience")
    year = 2025
    for _ in range(rng.randint(2, 4)):
        span = rng.randint(1, 5)
        parts.append(f"{rng.choice(job_titles)}, {rng.choice(EMPLOYERS)} ({year - span}–{year})")
        parts.extend(rng.sample(lines, rng.randint(2, 4)))
        parts.append(f"Used {', '.join(rng.sample(skills, min(3, len(skills))))} daily.")
        year -= span
    parts.append("")
    parts.append("Skills: " + ", ".join(skills))
    return "\n".join(parts)


def cases(pool: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    from accord.candidates.search import SearchParams, Sort
    from accord.pipeline.models import Category

    recruiter, manager = pool["recruiter"], pool["manager"]
    requisition = pool["requisition"]
    return [
        ("one word, common", recruiter, SearchParams(q="python ")),
        ("one word, rare", recruiter, SearchParams(q="fortran ")),
        ("two words", recruiter, SearchParams(q="data pipelines ")),
        ("prefix (as typed)", recruiter, SearchParams(q="kube")),
        ("short prefix of common words", recruiter, SearchParams(q="eng")),
        ("phrase", recruiter, SearchParams(q='"machine learning"')),
        ("OR", recruiter, SearchParams(q="golang OR rust ")),
        ("exclude", recruiter, SearchParams(q="python -java ")),
        ("name", recruiter, SearchParams(q="sofia müller ")),
        (
            "text + location + years",
            recruiter,
            SearchParams(q="python ", location="berlin", years_min=Decimal(5)),
        ),
        ("text, newest first", recruiter, SearchParams(q="python ", sort=Sort.NEWEST)),
        ("text, page 40", recruiter, SearchParams(q="python ", page=40)),
        ("no text, no filters", recruiter, SearchParams()),
        (
            "no text: 2 skills + years",
            recruiter,
            SearchParams(
                skills=("Python", "Kubernetes"), years_min=Decimal(3), years_max=Decimal(10)
            ),
        ),
        ("no text: location", recruiter, SearchParams(location="lisbon")),
        ("no text: tag", recruiter, SearchParams(tags=("Relocating",))),
        (
            "no text: requisition + stage",
            recruiter,
            SearchParams(requisition=requisition.public_id, category=Category.INTERVIEW),
        ),
        ("manager: text", manager, SearchParams(q="python ")),
        ("manager: no text", manager, SearchParams()),
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(pool: dict[str, Any], runs: int) -> list[dict[str, Any]]:
    from django.db import reset_queries

    from accord.candidates.search import search_candidates

    rows = []
    for kind, member, params in cases(pool):
        search_candidates(member, params)  # warm the caches once
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            result = search_candidates(member, params)
            times.append((time.perf_counter() - started) * 1000)
            reset_queries()
        total = f"{result.total:,}" if result.total_is_exact else "10,000+"
        rows.append(
            {
                "kind": kind,
                "p50": percentile(times, 0.5),
                "p95": percentile(times, 0.95),
                "total": total,
            }
        )
        print(f"  {kind:32} p50 {rows[-1]['p50']:7.1f} ms  p95 {rows[-1]['p95']:7.1f} ms  {total}")
    return rows


def measure_pages(pool: dict[str, Any], runs: int) -> list[dict[str, Any]]:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    # No collectstatic in a bench: serve static names as they are.
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )

    client = Client()
    client.force_login(pool["recruiter"].user)
    url = reverse("search:candidates", args=["bench"])
    rows = []
    for kind, query in [("page: no text", {}), ("page: one word", {"q": "python"})]:
        client.get(url, query)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url, query)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{kind}: the page answered {response.status_code}")
        rows.append({"kind": kind, "p50": percentile(times, 0.5), "p95": percentile(times, 0.95)})
        print(f"  {kind:32} p50 {rows[-1]['p50']:7.1f} ms  p95 {rows[-1]['p95']:7.1f} ms")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", choices=["sqlite", "postgres"])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    SCRATCH_DB.configure(args.database, args.candidates)
    if args.rebuild:
        SCRATCH_DB.reset(args.database, args.candidates)
    if args.database == "postgres":
        SCRATCH_DB.ensure_pg_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    pool = populate(args.candidates)
    version = analyzed(vacuum=True)
    print(f"{args.database} {version}, {args.candidates:,} candidates, {args.runs} runs each")
    rows = measure(pool, args.runs)
    pages = measure_pages(pool, args.runs)
    out = SCRATCH / f"results-{args.database}-{args.candidates}.json"
    out.write_text(
        json.dumps(
            {
                "database": f"{args.database} {version}",
                "candidates": args.candidates,
                "runs": args.runs,
                "indexing_seconds": pool["indexing"],
                "searches": rows,
                "pages": pages,
            },
            indent=2,
        )
    )
    print(f"results in {out}")


if __name__ == "__main__":
    main()
