"""Northwind's candidate pool: a few hundred people with generated resumes, in the pipelines of
the active requisitions at every stage, screened against the signed brief where there is one.

Everything is generated from a fixed seed, so the pool is the same on every machine. Resumes are
real files (plain text, Word and a few PDFs) read by the real parser, so what the demo shows is
what Accord makes of a resume. Names are invented; emails use example.net and phone numbers the
ranges Ofcom reserves for drama.
"""

import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from django.db.models import F
from django.utils import timezone

from accord.candidates import services as candidates
from accord.candidates.models import Candidate, Source
from accord.candidates.parsing.pipeline import read
from accord.candidates.search.services import saved_search_save
from accord.matching import services as matching
from accord.pipeline import services as pipeline
from accord.pipeline.models import (
    REJECTION_REASONS,
    WITHDRAWAL_REASONS,
    Application,
    Assessment,
    Category,
    Stage,
    StageMove,
)
from accord.requisitions.models import ACTIVE_STATUSES, Requisition
from accord.workspaces.models import Member

SEED: Final = 20261122
PDF_SHARE: Final = 40  # one resume in 40 is a PDF (WeasyPrint is slow-ish; a few show it)

FIRST: Final = (
    "Aisha",
    "Amara",
    "Ana",
    "Arjun",
    "Ben",
    "Bilal",
    "Camille",
    "Chen",
    "Chloe",
    "Daniel",
    "Dara",
    "Elif",
    "Emma",
    "Farah",
    "Felix",
    "Gabriel",
    "Hana",
    "Ines",
    "Isaac",
    "Jonas",
    "Kemi",
    "Kenji",
    "Lars",
    "Leila",
    "Lucas",
    "Maya",
    "Mateo",
    "Mei",
    "Nadia",
    "Niamh",
    "Noah",
    "Olu",
    "Priya",
    "Rafael",
    "Rosa",
    "Sam",
    "Sana",
    "Sean",
    "Sofia",
    "Tariq",
    "Theo",
    "Uma",
    "Vera",
    "Wei",
    "Yusuf",
    "Zoe",
    "Zara",
    "Marek",
    "Ingrid",
    "Tomasz",
)
LAST: Final = (
    "Adeyemi",
    "Almeida",
    "Andersson",
    "Bauer",
    "Bianchi",
    "Brennan",
    "Carvalho",
    "Chowdhury",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Hansen",
    "Ivanova",
    "Jansen",
    "Kaur",
    "Kowalski",
    "Larsen",
    "Lefevre",
    "Martins",
    "Moreau",
    "Nakamura",
    "Novak",
    "Nowak",
    "Okafor",
    "Olsen",
    "Oyelaran",
    "Park",
    "Pereira",
    "Quinn",
    "Rahman",
    "Rossi",
    "Santos",
    "Schmidt",
    "Sato",
    "Silva",
    "Singh",
    "Sokolova",
    "Tanaka",
    "Varga",
    "Walsh",
    "Weber",
    "Yilmaz",
    "Zhang",
    "Zielinski",
    "van Dijk",
)
# (city, phone prefix, digits to add): UK numbers in Ofcom's drama range, US 555 numbers.
CITIES: Final = (
    ("London", "+44 7700 900", 3),
    ("Manchester", "+44 7700 900", 3),
    ("Edinburgh", "+44 7700 900", 3),
    ("Bristol", "+44 7700 900", 3),
    ("Berlin", "+49 30 9018", 4),
    ("Lisbon", "+351 21 100", 4),
    ("Amsterdam", "+31 20 700", 4),
    ("Dublin", "+353 1 900", 4),
    ("New York", "+1 212 555 ", 4),
)
EMPLOYERS: Final = (
    "Brightwave",
    "Copperleaf Logistics",
    "Fieldfare",
    "Gridline Energy",
    "Harbour Bank",
    "Juniper Health",
    "Kestrel Travel",
    "Lumen Retail",
    "Meridian Insurance",
    "Northstar Media",
    "Orchard Payments",
    "Parcelpoint",
    "Quayside Software",
    "Riverbed Games",
    "Saltmarsh Analytics",
    "Tideway Telecom",
    "Upland Foods",
    "Vantage Mobility",
    "Willow Property",
    "Yardstick HR",
)
UNIVERSITIES: Final = (
    "University of Leeds",
    "University of Edinburgh",
    "Technische Universität Berlin",
    "Universidade de Lisboa",
    "University College Dublin",
    "University of Manchester",
    "Delft University of Technology",
    "King's College London",
    "The Open University",
)


@dataclass(frozen=True)
class Family:
    """A kind of career: titles from junior to senior, skills, and what such people write."""

    key: str
    titles: tuple[str, ...]
    skills: tuple[str, ...]
    degree: str
    lines: tuple[str, ...]  # "{a}" and "{b}" are two of the person's skills


FAMILIES: Final = {
    "backend": Family(
        "backend",
        ("Junior Developer", "Backend Engineer", "Senior Backend Engineer", "Staff Engineer"),
        (
            "Python",
            "Django",
            "PostgreSQL",
            "Kafka",
            "Redis",
            "Docker",
            "Kubernetes",
            "AWS",
            "Go",
            "Celery",
            "Java",
            "Terraform",
            "GraphQL",
        ),
        "BSc Computer Science",
        (
            "Built the booking service in {a} and {b}, serving 3 million requests a day.",
            "Moved nightly batch jobs to events on {a}; dispatch updates now arrive in seconds.",
            "Owned the {a} schema and cut p95 query time from 900 ms to 120 ms.",
            "Ran the on-call rotation for the payments API and wrote its runbooks.",
            "Mentored two junior engineers through their first production releases in {a}.",
            "Led the migration from a monolith to services deployed with {a} and {b}.",
            "Designed the public REST API in {a}; 40 partners integrate with it.",
        ),
    ),
    "platform": Family(
        "platform",
        ("DevOps Engineer", "Site Reliability Engineer", "Platform Lead", "Engineering Manager"),
        (
            "Kubernetes",
            "Terraform",
            "AWS",
            "Google Cloud Platform",
            "Prometheus",
            "Go",
            "Linux",
            "Ansible",
            "Helm",
            "Jenkins",
        ),
        "BEng Software Engineering",
        (
            "Ran {a} clusters for 60 services with {b}; 99.95% availability over two years.",
            "Managed a team of six platform engineers; hired four of them.",
            "Cut cloud spend 30% by rightsizing {a} workloads.",
            "Built the deployment pipeline on {a} and {b}; releases went from weekly to daily.",
            "Introduced SLOs and error budgets with {a} dashboards.",
        ),
    ),
    "design": Family(
        "design",
        ("Junior Designer", "UX Designer", "Product Designer", "Senior Product Designer"),
        ("Figma", "user research", "prototyping", "design systems", "Sketch", "usability testing"),
        "BA Interaction Design",
        (
            "Redesigned the technician mobile app using {a}; task completion rose 18%.",
            "Ran {a} with 30 field engineers and turned it into a roadmap.",
            "Built and maintained the company's {a} with a team of four engineers.",
            "Shipped the self-service onboarding flow from {a} to launch in eight weeks.",
        ),
    ),
    "data": Family(
        "data",
        ("Junior Analyst", "Data Analyst", "Senior Data Analyst", "Analytics Engineer"),
        ("SQL", "Python", "dbt", "Tableau", "Looker", "Apache Airflow", "pandas", "Excel"),
        "BSc Mathematics",
        (
            "Built the weekly revenue dashboards in {a} used by the leadership team.",
            "Modelled churn drivers with {a} and {b}; the retention team acted on three of them.",
            "Maintained 120 {a} models feeding finance reporting.",
            "Automated the monthly board pack with {a}, saving two days a month.",
        ),
    ),
    "success": Family(
        "success",
        (
            "Support Specialist",
            "Customer Success Manager",
            "Senior Customer Success Manager",
            "Customer Success Lead",
        ),
        ("Salesforce", "Zendesk", "HubSpot", "customer onboarding", "account management"),
        "BA Business Management",
        (
            "Looked after 80 accounts worth £2.4M ARR with 97% gross retention.",
            "Ran onboarding for 200 new customers a year, tracked in {a}.",
            "Built the renewal playbook in {a} that the team still uses.",
            "Led a team of five customer success managers across two time zones.",
        ),
    ),
}

# Which families apply to which requisition, and how many candidates go in each stage category.
FUNNELS: Final = {
    "Senior Backend Engineer": (
        ("backend", "platform"),
        {
            Category.SOURCED: 34,
            Category.SCREEN: 30,
            Category.SUBMITTED: 12,
            Category.REVIEW: 8,
            Category.INTERVIEW: 9,
            Category.OFFER: 1,
            Category.REJECTED: 38,
            Category.WITHDRAWN: 6,
        },
    ),
    "Engineering Manager, Platform": (
        ("platform",),
        {Category.SOURCED: 18, Category.SCREEN: 9, Category.REJECTED: 5},
    ),
    "Product Designer": (
        ("design",),
        {Category.SOURCED: 8, Category.SCREEN: 6, Category.SUBMITTED: 3, Category.REJECTED: 7},
    ),
    "Customer Success Lead": (("success",), {Category.SOURCED: 14, Category.SCREEN: 4}),
    "Data Analyst": (("data",), {Category.SOURCED: 12}),
}


@dataclass
class Person:
    name: str
    email: str
    phone: str
    city: str
    family: Family
    years: int
    skills: list[str]
    source: str


def _person(rng: random.Random, n: int, family: Family) -> Person:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    city, prefix, digits = CITIES[n % len(CITIES)]
    skills = rng.sample(family.skills, k=min(len(family.skills), rng.randint(4, 7)))
    return Person(
        name=f"{first} {last}",
        email=f"{first}.{last}.{n}@example.net".lower().replace(" ", ""),
        phone=prefix + str(n).zfill(digits),  # n is unique, so is the number
        city=city,
        family=family,
        years=rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14)),
        skills=skills,
        source=rng.choice(
            (Source.SOURCED, Source.SOURCED, Source.APPLIED, Source.APPLIED, Source.REFERRAL)
        ),
    )


def _month(d: date) -> str:
    return d.strftime("%b %Y")


def resume_text(rng: random.Random, person: Person, today: date) -> str:
    """A plain resume in the layout most people use: header, summary, experience, education,
    skills."""
    family = person.family
    jobs: list[tuple[str, str, date, date | None]] = []
    end: date | None = None
    remaining = person.years * 12
    level = min(len(family.titles) - 1, person.years // 3)
    start_of_current = today
    while remaining > 0:
        months = min(remaining, rng.randint(14, 44))
        finish = end or today
        begin = finish - timedelta(days=30 * months)
        jobs.append((family.titles[level], rng.choice(EMPLOYERS), begin, end))
        remaining -= months
        level = max(0, level - 1)
        end = begin - timedelta(days=30 * rng.choice((0, 0, 1, 2)))
        start_of_current = begin
    lines = [
        person.name,
        family.titles[min(len(family.titles) - 1, person.years // 3)],
        f"{person.city} · {person.email} · {person.phone}",
        f"linkedin.com/in/{person.email.split('@')[0].replace('.', '-')}",
        "",
        "SUMMARY",
        f"{family.titles[min(len(family.titles) - 1, person.years // 3)]} with {person.years} "
        f"years of experience, most recently with {', '.join(person.skills[:3])}.",
        "",
        "EXPERIENCE",
    ]
    for title, employer, began, ended in jobs:
        lines.append(f"{title} — {employer}")
        lines.append(f"{_month(began)} – {_month(ended) if ended else 'Present'}")
        for template in rng.sample(family.lines, k=min(3, len(family.lines))):
            a, b = rng.sample(person.skills, k=2)
            lines.append("- " + template.format(a=a, b=b))
        lines.append("")
    graduated = start_of_current.year - rng.choice((0, 1))
    lines += [
        "EDUCATION",
        f"{family.degree} — {rng.choice(UNIVERSITIES)}, {graduated}",
        "",
        "SKILLS",
        ", ".join(person.skills),
    ]
    return "\n".join(lines) + "\n"


def _docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    for number, line in enumerate(text.splitlines()):
        if number == 0:
            document.add_heading(line, level=1)
        elif line.isupper() and line:
            document.add_heading(line.title(), level=2)
        else:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(text: str) -> bytes:
    from django.utils.html import escape

    from accord.lib.pdf import html_to_pdf

    body = "".join(f"<p>{escape(line)}</p>" if line else "<br>" for line in text.splitlines())
    return html_to_pdf(f"<html><body>{body}</body></html>")


def resume_file(rng: random.Random, n: int, text: str) -> tuple[str, bytes, str]:
    """The resume as a file: mostly plain text and Word, a few PDFs."""
    if n % PDF_SHARE == 0:
        return "pdf", _pdf(text), f"resume-{n}.pdf"
    if rng.random() < 0.25:
        return "docx", _docx(text), f"resume-{n}.docx"
    return "txt", text.encode(), f"resume-{n}.txt"


def _backdate(application: Application, moves: Sequence[StageMove], days_ago: int) -> None:
    """Spread an application's history over the past weeks, as if it happened then."""
    now = timezone.now()
    step = max(1, days_ago // max(1, len(moves)))
    for i, move in enumerate(sorted(moves, key=lambda m: m.pk)):
        when: datetime = now - timedelta(days=days_ago - i * step, hours=i)
        StageMove.objects.filter(pk=move.pk).update(at=when)
        if i == len(moves) - 1:
            Application.objects.filter(pk=application.pk).update(
                stage_entered_at=when, created_at=F("created_at") - timedelta(days=days_ago)
            )


def _walk(
    recruiter: Member,
    application: Application,
    stages: list[Stage],
    target: Stage,
    rng: random.Random,
) -> None:
    """Move the application through the open stages up to the target, as a recruiter would."""
    path = [s for s in stages if not s.is_closed and s.position <= target.position]
    if target.is_closed:
        path = [*[s for s in stages if not s.is_closed][: rng.randint(1, 4)], target]
    for stage in path[1:]:
        reason = ""
        if stage.category == Category.REJECTED:
            reason = rng.choice(REJECTION_REASONS)
        elif stage.category == Category.WITHDRAWN:
            reason = rng.choice(WITHDRAWAL_REASONS)
        application = pipeline.application_move(
            actor=recruiter, application=application, to_stage=stage, reason=reason
        )


def build(recruiter: Member, size: int) -> None:
    """The pool of `size` people and its pipelines. Skipped when Northwind has candidates."""
    workspace = recruiter.workspace
    if Candidate.objects.filter(workspace=workspace).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 (a fixed, reproducible demo, not a secret)
    today = timezone.localdate()
    requisitions = {
        r.title: r
        for r in Requisition.objects.filter(workspace=workspace, status__in=ACTIVE_STATUSES)
    }
    people: dict[str, list[Candidate]] = {key: [] for key in FAMILIES}
    for n in range(size):
        family = FAMILIES[
            rng.choices(
                ("backend", "platform", "design", "data", "success"), weights=(45, 20, 12, 11, 12)
            )[0]
        ]
        person = _person(rng, n, family)
        text = resume_text(rng, person, today)
        kind, data, filename = resume_file(rng, n, text)
        parsed = read(kind, data, filename=filename)
        imported = candidates.candidate_from_resume(
            actor=recruiter, data=data, filename=filename, parsed=parsed, source=person.source
        )
        people[family.key].append(imported.candidate)

    for title, (families, funnel) in FUNNELS.items():
        requisition = requisitions.get(title)
        if requisition is None:
            continue
        stages = pipeline.stages_for(requisition)
        owner = requisition.recruiter
        pool = [c for key in families for c in people[key]]
        rng.shuffle(pool)
        # A smaller pool (DEMO_POOL_SIZE) still fills every stage, with fewer people each.
        scale = min(1.0, len(pool) / sum(funnel.values()))
        for category, wanted in funnel.items():
            count = max(1, int(wanted * scale))
            target = next(s for s in stages if s.category == category)
            for candidate in pool[:count]:
                application = pipeline.application_create(
                    actor=owner, candidate=candidate, requisition=requisition
                )
                _walk(owner, application, stages, target, rng)
                moves = list(StageMove.objects.filter(application=application))
                _backdate(application, moves, rng.randint(2, 40))
            pool = pool[count:]
        ids = list(Application.objects.filter(requisition=requisition).values_list("pk", flat=True))
        matching.refresh_suggestions(ids)
        _confirm_screens(owner, requisition)

    _duplicates(recruiter, people["backend"][:2])
    saved_search_save(
        actor=recruiter, name="Python people in London", query="q=python&location=London"
    )
    saved_search_save(
        actor=recruiter, name="Kubernetes, 5+ years", query="q=kubernetes&years_min=5"
    )


def _confirm_screens(recruiter: Member, requisition: Requisition) -> None:
    """The recruiter has confirmed the suggestions of everyone submitted to the manager or
    further, the way a screen is normally finished."""
    later = (Category.SUBMITTED, Category.REVIEW, Category.INTERVIEW, Category.OFFER)
    assessments = Assessment.objects.filter(
        application__requisition=requisition,
        application__stage__category__in=later,
        assessed_by__isnull=True,
    ).select_related("application__requisition", "application__workspace", "criterion")
    for assessment in assessments:
        matching.assessment_save(
            actor=recruiter,
            application=assessment.application,
            criterion=assessment.criterion,
            verdict=assessment.suggested_verdict,
            evidence=assessment.suggested_evidence,
            revision=assessment.revision,
        )


def _duplicates(recruiter: Member, originals: Sequence[Candidate]) -> None:
    """Two people a colleague typed in by hand although their resumes were already in: same
    name, a personal email instead of the work one. The candidate page offers to merge them."""
    for original in originals:
        candidates.candidate_create(
            actor=recruiter,
            name=original.name,
            email=original.email.replace("@example.net", "@mail.example.net"),
            location=original.location,
            source=Source.REFERRAL,
            source_detail="Met at a meetup",
        )
