"""The brief's exports: PDF, job-description Markdown, schema.org JobPosting, JSON Resume job."""

import json
import os
import re
import socket
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft4Validator

from accord.briefs import exports
from accord.briefs.models import (
    AssessedAt,
    BriefVersion,
    Channel,
    Frequency,
    InterviewStage,
    Kind,
    Side,
    Signature,
)
from accord.lib import pdf as pdf_lib
from accord.requisitions.models import (
    EmploymentType,
    Milestone,
    MilestoneKind,
    Owner,
    RemotePolicy,
)
from accord.workspaces.models import Member
from tests.factories import BriefVersionFactory, CriterionFactory, RequisitionFactory

pytestmark = pytest.mark.django_db

SCHEMA_PATH = Path(
    os.environ.get("JSON_RESUME_JOB_SCHEMA", "/work/shared/data/jsonresume/job-schema.json")
)

DEFINITION = "Has run a Python service with real traffic and can walk us through an incident."
NICE_DEFINITION = "Has built or operated card payments, and can explain chargebacks."
# Internal answers: in the PDF, never in anything a candidate sees.
INTERNAL = {
    "past_misstep": "Our last hire ignored code review and left after two months.",
    "who_struggled": "People who need a detailed spec before starting.",
    "previous_good": "Priya shipped the ledger migration on time.",
    "previous_better": "Priya rarely wrote anything down.",
    "deal_breakers": "No right to work in Germany without sponsorship.",
    "ideal_persona": "A backend engineer from a fintech scale-up, tired of meetings.",
    "alternative_personas": "A data engineer who wants to move to services.",
}


@pytest.fixture
def full_version(recruiter: Member, hiring_manager: Member) -> BriefVersion:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        hiring_managers=[hiring_manager],
        title="Senior Backend Engineer",
        team="Payments",
        location="Berlin, Germany",
        remote_policy=RemotePolicy.HYBRID,
        openings=2,
        compensation_min=70000,
        compensation_max=90000,
        currency="EUR",
    )
    version = BriefVersionFactory(
        requisition=requisition,
        reason="Dropped Kubernetes as a must-have.",
        why_now="We launch card payments in Germany in June. The team is two people short.",
        business_goals="Process 1M card payments a month by December.",
        team_context="Five engineers, one product manager, a weekly demo.",
        success_30="Has shipped a fix to the payments API.",
        success_60="Owns the refunds service.",
        success_90="Leads the chargeback project.",
        success_year="Mentors two engineers.",
        who_thrives="People who write things down and ask early.",
        selling_points="Four-day week in August, a real say in the roadmap.",
        process_notes="A take-home of at most two hours, paid.",
        target_start=date(2026, 6, 1),
        review_days=2,
        interview_availability="Tuesday and Thursday afternoons",
        decision_days=3,
        update_channel=Channel.EMAIL,
        update_frequency=Frequency.WEEKLY,
        best_times="Mornings",
        update_time_zone="Europe/Berlin",
        **INTERNAL,
    )
    stage = InterviewStage.objects.create(
        version=version,
        position=1,
        name="Technical interview",
        interviewers="Hugo and a senior engineer",
        assesses="System design and incident handling",
    )
    InterviewStage.objects.create(
        version=version, position=0, name="Phone screen", assesses="Motivation"
    )
    CriterionFactory(
        version=version,
        position=0,
        name="Python services in production",
        definition=DEFINITION,
        assessed_at=AssessedAt.INTERVIEW,
        stage=stage,
        skills=[
            {"label": "Python", "ref": "", "min_years": 3, "level": ""},
            {"label": "PostgreSQL", "ref": "", "min_years": None, "level": "Advanced"},
        ],
    )
    CriterionFactory(
        version=version,
        position=1,
        name="Mentoring",
        kind=Kind.NICE,
        weight=2,
        definition="Has onboarded someone.",
        assessed_at=AssessedAt.PHONE,
    )
    CriterionFactory(
        version=version,
        position=2,
        name="Payments domain",
        kind=Kind.NICE,
        weight=5,
        definition=NICE_DEFINITION,
        skills=[{"label": "python", "ref": "", "min_years": 1, "level": "Expert"}],
    )
    Milestone.objects.create(
        requisition=requisition,
        kind=MilestoneKind.FIRST_SHORTLIST,
        owner=Owner.RECRUITER,
        due_on=date(2026, 3, 2),
    )
    Milestone.objects.create(
        requisition=requisition,
        kind=MilestoneKind.OFFER,
        owner=Owner.MANAGER,
        due_on=date(2026, 4, 20),
    )
    signed_at = datetime(2026, 2, 10, 9, 30, tzinfo=UTC)
    Signature.objects.create(
        version=version,
        member=recruiter,
        side=Side.RECRUITER,
        revision=version.revision,
        signed_at=signed_at,
    )
    Signature.objects.create(
        version=version,
        member=hiring_manager,
        side=Side.MANAGER,
        revision=version.revision,
        signed_at=signed_at,
        via_link=True,
    )
    version.signed_at = signed_at
    version.save(update_fields=["signed_at"])
    return version


@pytest.fixture
def minimal_version(recruiter: Member) -> BriefVersion:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        title="Office Manager",
        team="",
        location="",
        remote_policy=RemotePolicy.ON_SITE,
    )
    return BriefVersionFactory(requisition=requisition)


def versions_with_criteria(recruiter: Member, hiring_manager: Member, count: int) -> BriefVersion:
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[hiring_manager]
    )
    version = BriefVersionFactory(requisition=requisition, why_now="Growth.")
    stage = InterviewStage.objects.create(version=version, name="Onsite")
    for i in range(count):
        CriterionFactory(
            version=version,
            kind=Kind.MUST if i % 2 else Kind.NICE,
            weight=None if i % 2 else 1 + i % 5,
            assessed_at=AssessedAt.INTERVIEW,
            stage=stage,
            skills=[{"label": f"Skill {i}", "ref": "", "min_years": 2, "level": ""}],
        )
    Milestone.objects.create(
        requisition=requisition, kind=MilestoneKind.OFFER, owner=Owner.MANAGER, due_on=date.today()
    )
    Signature.objects.create(
        version=version, member=recruiter, side=Side.RECRUITER, revision=version.revision
    )
    return version


def public_exports(version: BriefVersion) -> dict[str, str]:
    return {
        "markdown": exports.brief_markdown(version),
        "job_posting": json.dumps(
            exports.job_posting(version, site_url="https://accord.example"), ensure_ascii=False
        ),
        "json_resume": json.dumps(exports.json_resume_job(version), ensure_ascii=False),
    }


# --- brief_context ---------------------------------------------------------------------------


def test_context_lists_answers_with_display_values_and_skips_blanks(full_version, minimal_version):
    context = exports.brief_context(full_version)

    answers = {q.field: value for _section, rows in context["sections"] for q, value in rows}
    assert answers["update_channel"] == "Email"
    assert answers["update_frequency"] == "Weekly"
    assert answers["review_days"] == "2 business days"
    assert answers["target_start"] == "June 1, 2026"
    assert answers["past_misstep"] == INTERNAL["past_misstep"]
    assert [c.name for c in context["must_haves"]] == ["Python services in production"]
    assert [c.name for c in context["nice_to_haves"]] == ["Payments domain", "Mentoring"]
    assert [s.name for s in context["stages"]] == ["Phone screen", "Technical interview"]
    assert [s.side for s in context["signatures"]] == [Side.RECRUITER, Side.MANAGER]
    assert [m.kind for m in context["milestones"]] == [
        MilestoneKind.FIRST_SHORTLIST,
        MilestoneKind.OFFER,
    ]
    assert context["summary"] == (
        "Senior Backend Engineer in Payments, hybrid in Berlin, Germany, 2 openings. "
        "We launch card payments in Germany in June."
    )

    minimal = exports.brief_context(minimal_version)
    assert minimal["sections"] == []
    assert minimal["summary"] == "Office Manager (Senior), on-site, 1 opening."


def test_context_leaves_out_signatures_withdrawn_by_a_later_change(full_version, recruiter):
    BriefVersion.objects.filter(pk=full_version.pk).update(revision=full_version.revision + 1)

    assert exports.brief_context(full_version)["signatures"] == []


@pytest.mark.parametrize("count", [2, 30])
def test_context_and_exports_run_a_bounded_number_of_queries(
    recruiter, hiring_manager, django_assert_max_num_queries, count
):
    version = versions_with_criteria(recruiter, hiring_manager, count)

    with django_assert_max_num_queries(6):
        context = exports.brief_context(version)
    assert len(context["criteria"]) == count
    for render in (
        exports.brief_html,
        exports.brief_markdown,
        exports.json_resume_job,
        lambda v: exports.job_posting(v, site_url="https://accord.example"),
    ):
        with django_assert_max_num_queries(6):
            render(version)


def test_query_count_does_not_grow_with_criteria(recruiter, hiring_manager):
    counts = []
    for count in (2, 30):
        version = versions_with_criteria(recruiter, hiring_manager, count)
        with CaptureQueriesContext(connection) as queries:
            exports.brief_html(version)
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_is_a_job_description_with_definitions(full_version):
    markdown = exports.brief_markdown(full_version)

    assert markdown.startswith("# Senior Backend Engineer\n")
    for heading in (
        "## About the role",
        "## What you’ll achieve",
        "## What you’ll need",
        "## Nice to have",
        "## What we offer",
        "## How we hire",
        "## Where and how you’ll work",
    ):
        assert f"\n{heading}\n" in markdown
    assert f"- **Python services in production** — {DEFINITION}" in markdown
    assert f"- **Payments domain** — {NICE_DEFINITION}" in markdown
    assert markdown.index("Payments domain") < markdown.index("Mentoring")  # heaviest first
    assert "- **Pay** — 70,000–90,000 EUR a year" in markdown
    assert "- **Technical interview** — System design and incident handling" in markdown
    assert "- **Remote policy** — Hybrid" in markdown
    assert "We launch card payments in Germany in June." in markdown
    assert "\n\n\n" not in markdown


def test_markdown_of_a_minimal_brief_has_the_title_and_the_place(minimal_version):
    markdown = exports.brief_markdown(minimal_version)

    assert markdown.startswith("# Office Manager\n\nOffice Manager (Senior), on-site, 1 opening.")
    assert "- **Remote policy** — On-site" in markdown
    assert "What you’ll need" not in markdown


def test_public_exports_never_contain_internal_answers(full_version):
    for name, text in public_exports(full_version).items():
        for field, secret in INTERNAL.items():
            assert secret not in text, f"{field} leaked into {name}"
        assert "Hugo and a senior engineer" not in text, name  # interviewers are internal


# --- schema.org JobPosting -------------------------------------------------------------------

GOOGLE_REQUIRED = ("title", "description", "datePosted", "hiringOrganization")


def test_job_posting_for_an_on_site_role(full_version, workspace):
    posting = exports.job_posting(full_version, site_url="https://accord.example/")

    assert posting["@context"] == "https://schema.org/"
    assert posting["@type"] == "JobPosting"
    assert all(posting[key] for key in GOOGLE_REQUIRED)
    assert posting["title"] == "Senior Backend Engineer"
    assert posting["datePosted"] == "2026-02-10"
    assert posting["hiringOrganization"] == {"@type": "Organization", "name": "Acme Talent"}
    assert posting["jobLocation"] == {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "addressLocality": "Berlin", "addressCountry": "DE"},
    }
    assert "jobLocationType" not in posting
    assert posting["employmentType"] == "FULL_TIME"
    assert posting["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 70000,
            "maxValue": 90000,
            "unitText": "YEAR",
        },
    }
    assert posting["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "https://accord.example",
        "name": "Acme Talent",
        "value": str(full_version.requisition.public_id),
    }
    assert posting["totalJobOpenings"] == 2
    assert posting["directApply"] is False
    assert posting["jobStartDate"] == "2026-06-01"
    assert posting["experienceRequirements"] == {
        "@type": "OccupationalExperienceRequirements",
        "monthsOfExperience": 36,
    }
    assert posting["qualifications"] == f"Python services in production: {DEFINITION}"
    assert posting["skills"] == ["Python", "PostgreSQL"]
    assert "<h3>What you’ll need</h3>" in posting["description"]
    assert "validThrough" not in posting
    json.dumps(posting)


@pytest.mark.parametrize(
    ("location", "requirement"),
    [
        ("UK", {"@type": "Country", "name": "GB"}),
        ("Europe", {"@type": "AdministrativeArea", "name": "Europe"}),
    ],
)
def test_job_posting_for_a_remote_role(minimal_version, location, requirement):
    requisition = minimal_version.requisition
    requisition.remote_policy = RemotePolicy.REMOTE
    requisition.location = location
    requisition.save(update_fields=["remote_policy", "location"])

    posting = exports.job_posting(minimal_version, site_url="https://accord.example")

    assert posting["@type"] == "JobPosting"
    assert all(posting[key] for key in GOOGLE_REQUIRED)
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert posting["applicantLocationRequirements"] == requirement
    assert "baseSalary" not in posting


def test_job_posting_for_a_remote_role_anywhere(minimal_version):
    requisition = minimal_version.requisition
    requisition.remote_policy = RemotePolicy.REMOTE
    requisition.save(update_fields=["remote_policy"])

    posting = exports.job_posting(minimal_version, site_url="https://accord.example")

    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert "jobLocation" not in posting
    assert "applicantLocationRequirements" not in posting


@pytest.mark.parametrize(
    ("employment_type", "expected"),
    [
        (EmploymentType.PART_TIME, "PART_TIME"),
        (EmploymentType.CONTRACT, "CONTRACTOR"),
        (EmploymentType.TEMPORARY, "TEMPORARY"),
        (EmploymentType.INTERNSHIP, "INTERN"),
    ],
)
def test_job_posting_employment_types(minimal_version, employment_type, expected):
    requisition = minimal_version.requisition
    requisition.employment_type = employment_type
    requisition.save(update_fields=["employment_type"])

    posting = exports.job_posting(minimal_version, site_url="https://accord.example")

    assert posting["employmentType"] == expected


def test_job_posting_salary_with_one_bound_and_valid_through(minimal_version):
    requisition = minimal_version.requisition
    requisition.compensation_min = 50000
    requisition.currency = "GBP"
    requisition.save(update_fields=["compensation_min", "currency"])

    posting = exports.job_posting(
        minimal_version, site_url="https://accord.example", valid_through=date(2026, 5, 31)
    )

    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 50000,
        "unitText": "YEAR",
    }
    assert posting["validThrough"] == "2026-05-31T23:59:59+00:00"


def test_job_posting_description_escapes_what_people_typed(minimal_version):
    minimal_version.why_now = 'We need help <script>alert("x")</script>'
    minimal_version.save(update_fields=["why_now"])

    posting = exports.job_posting(minimal_version, site_url="https://accord.example")

    assert "<script>" not in posting["description"]
    assert "&lt;script&gt;" in posting["description"]


# --- JSON Resume -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def job_schema_validator() -> Draft4Validator:
    if not SCHEMA_PATH.exists():
        pytest.skip(f"JSON Resume job schema not found at {SCHEMA_PATH}")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def errors(validator: Draft4Validator, document: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_json_resume_job_of_a_minimal_brief_validates(minimal_version, job_schema_validator):
    job = exports.json_resume_job(minimal_version)

    assert errors(job_schema_validator, job) == []
    assert job["title"] == "Office Manager"
    assert job["company"] == "Acme Talent"
    assert job["remote"] == "None"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", job["date"])
    assert "location" not in job
    assert "salary" not in job
    assert job["responsibilities"] == job["qualifications"] == job["skills"] == []


def test_json_resume_job_of_a_full_brief_validates(full_version, job_schema_validator):
    job = exports.json_resume_job(full_version)

    assert errors(job_schema_validator, job) == []
    assert job["type"] == "Full-time"
    assert job["date"] == "2026-02-10"
    assert job["remote"] == "Hybrid"
    assert job["experience"] == "Senior"
    assert job["salary"] == "70,000–90,000 EUR a year"
    assert job["location"] == {"city": "Berlin", "address": "Berlin, Germany", "countryCode": "DE"}
    assert job["responsibilities"][0] == "Has shipped a fix to the payments API."
    assert job["qualifications"] == [f"Python services in production: {DEFINITION}"]
    assert job["skills"] == [
        {
            "name": "Python",
            "level": "3+ years",
            "keywords": ["Python services in production", "Payments domain"],
        },
        {"name": "PostgreSQL", "level": "Advanced", "keywords": ["Python services in production"]},
    ]
    assert job["meta"]["briefVersion"] == 1
    assert job["meta"]["signed"] is True


def test_malformed_linked_skills_do_not_break_the_exports(minimal_version, job_schema_validator):
    CriterionFactory(
        version=minimal_version,
        name="Systems languages",
        skills=[
            {"label": "Go", "min_years": "3"},
            "junk",
            {"label": ""},
            {"label": "Rust", "min_years": True},
        ],
    )

    job = exports.json_resume_job(minimal_version)

    assert errors(job_schema_validator, job) == []
    assert job["skills"] == [
        {"name": "Go", "keywords": ["Systems languages"]},
        {"name": "Rust", "keywords": ["Systems languages"]},
    ]
    assert "Skills: Go, Rust</span>" in exports.brief_html(minimal_version)
    assert "experienceRequirements" not in exports.job_posting(
        minimal_version, site_url="https://accord.example"
    )


# --- PDF ---------------------------------------------------------------------------------------


def pdf_streams(pdf: bytes) -> bytes:
    """The PDF with its Flate streams inflated, so metadata in object streams can be read."""
    inflated = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def test_pdf_of_a_signed_brief(full_version):
    html = exports.brief_html(full_version)
    pdf = exports.brief_pdf(full_version)

    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000
    assert b"Brief: Senior Backend Engineer, version 1" in pdf_streams(pdf)
    assert "<h1>Senior Backend Engineer</h1>" in html
    assert DEFINITION in html
    assert NICE_DEFINITION in html
    assert INTERNAL["past_misstep"] in html  # the PDF is internal: the whole agreed brief
    assert INTERNAL["deal_breakers"] in html
    assert INTERNAL["ideal_persona"] in html
    assert "Technical interview" in html
    assert "First shortlist" in html
    assert "2 business days" in html
    assert "Dropped Kubernetes as a must-have." in html
    assert "Rita Recruiter" in html
    assert "Hugo Manager" in html
    assert "Agreed on Feb. 10, 2026" in html
    assert "Draft — not signed" not in html
    assert html.index("Payments domain") < html.index("Mentoring")


def test_pdf_of_a_draft_says_so(minimal_version):
    html = exports.brief_html(minimal_version)
    pdf = exports.brief_pdf(minimal_version)

    assert pdf.startswith(b"%PDF")
    assert "Draft — not signed" in html
    assert "No criteria agreed yet." in html


@pytest.fixture
def no_network(monkeypatch) -> list[object]:
    """Records, and refuses, any attempt to open a network connection."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture
def fetched(monkeypatch) -> list[tuple[str, str]]:
    """(url, "fetched" or "refused") for every resource WeasyPrint asks for."""
    calls: list[tuple[str, str]] = []
    original = pdf_lib.PackageURLFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except pdf_lib.URLRefused:
            calls.append((url, "refused"))
            raise
        calls.append((url, "fetched"))
        return response

    monkeypatch.setattr(pdf_lib.PackageURLFetcher, "fetch", spy)
    return calls


def test_markup_in_answers_fetches_nothing(minimal_version, no_network, fetched):
    minimal_version.why_now = '<img src="http://198.51.100.7/pixel.png"> hello'
    minimal_version.team_context = (
        "<style>body { background: url(http://198.51.100.7/bg.png) }</style>"
        '<link rel="stylesheet" href="https://198.51.100.7/x.css">'
    )
    minimal_version.save(update_fields=["why_now", "team_context"])

    html = exports.brief_html(minimal_version)
    pdf = exports.brief_pdf(minimal_version)

    assert pdf.startswith(b"%PDF")
    assert "&lt;img src=&quot;http://198.51.100.7/pixel.png&quot;&gt;" in html
    assert no_network == []
    assert [url for url, outcome in fetched if outcome == "fetched"] == []


def test_the_pdf_fetcher_refuses_urls_even_in_markup(no_network, fetched):
    pdf = pdf_lib.html_to_pdf(
        "<!DOCTYPE html><html><head>"
        '<link rel="stylesheet" href="https://198.51.100.7/x.css">'
        "<style>p { background: url(http://198.51.100.7/bg.png) }</style></head>"
        '<body><p>Hi</p><img src="http://198.51.100.7/pixel.png">'
        '<img src="file:///etc/passwd"></body></html>'
    )

    assert pdf.startswith(b"%PDF")
    assert no_network == []
    assert sorted(fetched) == [
        ("file:///etc/passwd", "refused"),
        ("http://198.51.100.7/bg.png", "refused"),
        ("http://198.51.100.7/pixel.png", "refused"),
        ("https://198.51.100.7/x.css", "refused"),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "http://198.51.100.7/pixel.png",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file://fileserver/share/x.png",
        (exports.PACKAGE_ROOT / "..").resolve().as_uri() + "/pyproject.toml",
        exports.PACKAGE_ROOT.as_uri() + "/briefs/../../../etc/passwd",
        exports.PACKAGE_ROOT.as_uri() + "/no-such-file.png",
    ],
)
def test_fetcher_refuses_anything_outside_the_package(url, no_network):
    fetcher = pdf_lib.PackageURLFetcher()

    with pytest.raises(pdf_lib.URLRefused):
        fetcher(url)
    assert fetcher.refused == [url]
    assert no_network == []


def test_fetcher_allows_data_urls_and_files_in_the_package():
    fetcher = pdf_lib.PackageURLFetcher()

    assert fetcher("data:text/plain,hello").read() == b"hello"
    response = fetcher(Path(exports.__file__).resolve().as_uri())
    try:
        assert b"def brief_pdf" in response.read()
    finally:
        response.close()
    assert fetcher.refused == []


# --- locations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("London", "GB"),
        ("Berlin, Germany", "DE"),
        ("Remote (UK)", "GB"),
        ("New York, NY, US", "US"),
        ("Paris · France", "FR"),
        ("Somewhere nice", ""),
        ("", ""),
    ],
)
def test_country_code(location, code):
    assert exports.country_code(location) == code
