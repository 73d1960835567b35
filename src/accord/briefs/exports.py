"""Exports of a brief.

The PDF is the whole agreed brief, for the recruiter and the hiring managers. The other three —
a job-description draft in Markdown, schema.org JobPosting JSON-LD and a JSON Resume job — are
for candidates, so they are built from `_public_parts` alone: internal answers (past missteps,
who struggled, the previous person, deal-breakers, personas) can never leak into a posting.
"""

import contextlib
import functools
import re
import zoneinfo
from dataclasses import dataclass, fields
from datetime import date, datetime, tzinfo
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.briefs.models import BriefVersion, Criterion, InterviewStage, Kind, Signature
from accord.briefs.sections import QUESTIONS, SECTIONS, SUCCESS_FIELDS, Question, Section
from accord.requisitions.models import (
    EmploymentType,
    Milestone,
    RemotePolicy,
    Requisition,
)
from accord.workspaces.models import Member, Workspace

# Only these files may be read while rendering a PDF (besides data: URLs).
PACKAGE_ROOT: Final = Path(__file__).resolve().parents[1]

# Sections the PDF shows after the criteria, as the agreement on how the search runs; every
# other section (including any added later) describes the role and comes before them.
AGREEMENT_SECTIONS: Final = ("pitch", "process", "timeline", "communication")

SCHEMA_ORG_EMPLOYMENT_TYPES: Final[dict[str, str]] = {
    EmploymentType.FULL_TIME: "FULL_TIME",
    EmploymentType.PART_TIME: "PART_TIME",
    EmploymentType.CONTRACT: "CONTRACTOR",
    EmploymentType.TEMPORARY: "TEMPORARY",
    EmploymentType.INTERNSHIP: "INTERN",
}
JSON_RESUME_REMOTE: Final[dict[str, str]] = {
    RemotePolicy.ON_SITE: "None",
    RemotePolicy.HYBRID: "Hybrid",
    RemotePolicy.REMOTE: "Full",
}

type Answers = list[tuple[Question, str]]


@dataclass(frozen=True)
class Brief:
    requisition: Requisition
    version: BriefVersion
    workspace: Workspace
    recruiter: Member
    hiring_managers: list[Member]
    sections: list[tuple[Section, Answers]]
    criteria: list[Criterion]
    must_haves: list[Criterion]
    nice_to_haves: list[Criterion]
    # (criterion, its linked skills as text), must-haves first: the PDF's criteria table.
    criterion_rows: list[tuple[Criterion, str]]
    stages: list[InterviewStage]
    signatures: list[Signature]
    milestones: list[Milestone]
    summary: str
    pay: str
    posted_on: date
    zone: tzinfo


@dataclass(frozen=True)
class Part:
    """One heading of the public job description: paragraphs, then (label, text) items."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[tuple[str, str], ...] = ()


# --- loading ---------------------------------------------------------------------------------


def load_brief(version: BriefVersion) -> Brief:
    """The version and everything around it, in six queries however many criteria it has."""
    version = (
        BriefVersion.objects.select_related(
            "requisition__workspace", "requisition__recruiter__user"
        )
        .prefetch_related(
            Prefetch(
                "requisition__hiring_managers",
                queryset=Member.objects.select_related("user").order_by("user__display_name"),
            ),
            "requisition__milestones",
            Prefetch("criteria", queryset=Criterion.objects.select_related("stage")),
            "stages",
            Prefetch(
                "signatures",
                queryset=Signature.objects.select_related("member__user").order_by(
                    "signed_at", "pk"
                ),
            ),
        )
        .get(pk=version.pk)
    )
    requisition = version.requisition
    zone = _zone(requisition.workspace)
    criteria = list(version.criteria.all())
    must = [c for c in criteria if c.kind == Kind.MUST]
    # sorted() is stable: equal weights keep the agreed order.
    nice = sorted((c for c in criteria if c.kind == Kind.NICE), key=lambda c: -(c.weight or 0))
    # A change after someone signed withdraws their signature: only those covering the current
    # revision count.
    signatures = [s for s in version.signatures.all() if s.revision == version.revision]
    return Brief(
        requisition=requisition,
        version=version,
        workspace=requisition.workspace,
        recruiter=requisition.recruiter,
        hiring_managers=list(requisition.hiring_managers.all()),
        sections=_sections(version),
        criteria=criteria,
        must_haves=must,
        nice_to_haves=nice,
        criterion_rows=[(c, _skills_text(c)) for c in [*must, *nice]],
        stages=list(version.stages.all()),
        signatures=signatures,
        milestones=list(requisition.milestones.all()),
        summary=_summary(requisition, version.why_now),
        pay=_pay_range(requisition),
        posted_on=timezone.localtime(version.signed_at or version.created_at, zone).date(),
        zone=zone,
    )


def brief_context(version: BriefVersion) -> dict[str, Any]:
    """Everything a rendering of the brief needs, loaded in a bounded number of queries.

    `sections` is [(section, [(question, display value)])] in intake order, blank answers and
    empty sections left out; `nice_to_haves` are ordered by weight, heaviest first.
    """
    return brief_context_of(load_brief(version))


def brief_context_of(brief: Brief) -> dict[str, Any]:
    """The loaded brief as a template context."""
    return {f.name: getattr(brief, f.name) for f in fields(brief)}


def _zone(workspace: Workspace) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(workspace.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def _display(version: BriefVersion, question: Question) -> str:
    value = getattr(version, question.field)
    if value is None or value == "":
        return ""
    if question.kind == "date":
        return date_format(value)
    if question.kind == "days":
        return ngettext("%(count)d business day", "%(count)d business days", value) % {
            "count": value
        }
    if question.kind == "choice" and hasattr(version, f"get_{question.field}_display"):
        return str(getattr(version, f"get_{question.field}_display")())
    return str(value).strip()


def _sections(version: BriefVersion) -> list[tuple[Section, Answers]]:
    result = []
    for section in SECTIONS:
        answers = [(q, value) for q in section.questions if (value := _display(version, q))]
        if answers:
            result.append((section, answers))
    return result


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    return Truncator(_SENTENCE_END.split(text, maxsplit=1)[0]).chars(240) if text else ""


def _summary(requisition: Requisition, why_now: str = "") -> str:
    """One sentence: the role, team, level, place and openings, then why it is open now."""
    role = requisition.title
    level = requisition.get_level_display()
    if level.lower() not in role.lower():
        role = _("%(title)s (%(level)s)") % {"title": role, "level": level}
    if requisition.team:
        role = _("%(role)s in %(team)s") % {"role": role, "team": requisition.team}
    openings = ngettext("%(count)d opening", "%(count)d openings", requisition.openings) % {
        "count": requisition.openings
    }
    sentence = ", ".join([role, _place(requisition), openings]) + "."
    if why := _first_sentence(why_now):
        sentence = f"{sentence} {why}"
    return sentence


def _place(requisition: Requisition) -> str:
    location = requisition.location
    match requisition.remote_policy:
        case RemotePolicy.REMOTE:
            return _("remote (%(location)s)") % {"location": location} if location else _("remote")
        case RemotePolicy.ON_SITE:
            return (
                _("on-site in %(location)s") % {"location": location} if location else _("on-site")
            )
    return _("hybrid in %(location)s") % {"location": location} if location else _("hybrid")


def _pay_range(requisition: Requisition) -> str:
    low, high = requisition.compensation_min, requisition.compensation_max
    if low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        amount = _("%(low)s–%(high)s") % {"low": _money(low), "high": _money(high)}
    elif low is not None:
        amount = _money(low) if high is not None else _("from %(low)s") % {"low": _money(low)}
    else:
        amount = _("up to %(high)s") % {"high": _money(high)}
    if requisition.currency:
        return _("%(amount)s %(currency)s a year") % {
            "amount": amount,
            "currency": requisition.currency,
        }
    return _("%(amount)s a year") % {"amount": amount}


def _money(value: int | None) -> str:
    return number_format(value or 0, decimal_pos=0, force_grouping=True)


# --- countries -------------------------------------------------------------------------------

_COUNTRY_ALIASES: Final = {
    "uk": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "united states of america": "US",
    "the netherlands": "NL",
    "holland": "NL",
}
_LOCATION_SEPARATORS = re.compile(r"\s*(?:[,;/()|·]|\s[-–—]\s)\s*")


def _tz_directories() -> list[Traversable]:
    directories: list[Traversable] = []
    with contextlib.suppress(ModuleNotFoundError):  # tzdata is optional where the OS has zoneinfo
        directories.append(resources.files("tzdata").joinpath("zoneinfo"))
    directories.extend(Path(p) for p in zoneinfo.TZPATH)
    return directories


@functools.cache
def _country_names() -> tuple[frozenset[str], dict[str, str]]:
    """ISO 3166 codes, and country and city names mapped to them, from the time zone database:
    iso3166.tab names the countries and zone.tab the cities its zones are named after."""
    names: dict[str, str] = {}
    for directory in _tz_directories():
        try:
            countries = directory.joinpath("iso3166.tab").read_text(encoding="utf-8")
            zones = directory.joinpath("zone.tab").read_text(encoding="utf-8")
        except OSError:
            continue
        for line in countries.splitlines():
            if line and not line.startswith("#"):
                code, name = line.split("\t", 1)
                names[name.lower()] = code
                names.setdefault(name.split(" (")[0].lower(), code)
        for line in zones.splitlines():
            if line and not line.startswith("#"):
                code, _coordinates, zone = line.split("\t")[:3]
                names.setdefault(zone.rsplit("/", 1)[-1].replace("_", " ").lower(), code)
        break
    names.update(_COUNTRY_ALIASES)
    return frozenset(names.values()), names


def country_code(location: str) -> str:
    """The ISO 3166-1 alpha-2 code a free-text location names ("London", "Berlin, Germany",
    "Remote (UK)"), or "" when it names none we know."""
    codes, names = _country_names()
    for token in reversed(_LOCATION_SEPARATORS.split(location.strip())):
        if len(token) == 2 and token.isupper() and token in codes:
            return token
        if code := names.get(token.lower()):
            return code
    return ""


def _city(location: str) -> str:
    return _LOCATION_SEPARATORS.split(location.strip(), maxsplit=1)[0]


# --- the public job description ----------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _public_parts(brief: Brief) -> list[Part]:
    """The job description's content. Only answers meant for candidates are read here."""
    version, requisition = brief.version, brief.requisition
    achieve = tuple(
        (str(QUESTIONS[f].label), _one_line(getattr(version, f)))
        for f in SUCCESS_FIELDS
        if getattr(version, f).strip()
    )
    offer: tuple[tuple[str, str], ...] = ((_("Pay"), brief.pay),) if brief.pay else ()
    stages = tuple((s.name, _one_line(s.assesses)) for s in brief.stages)
    work = [
        (_("Location"), requisition.location),
        (_("Remote policy"), requisition.get_remote_policy_display()),
        (_("Employment type"), requisition.get_employment_type_display()),
    ]
    if requisition.openings > 1:
        work.append((_("Openings"), str(requisition.openings)))
    if version.target_start:
        work.append((_("Ideal start date"), date_format(version.target_start)))
    parts = [
        Part(_("About the role"), paragraphs=_about(version)),
        Part(_("What you’ll achieve"), items=achieve),
        Part(_("What you’ll need"), items=_criteria_items(brief.must_haves)),
        Part(_("Nice to have"), items=_criteria_items(brief.nice_to_haves)),
        Part(
            _("What we offer"),
            paragraphs=(version.selling_points,) if version.selling_points.strip() else (),
            items=offer,
        ),
        Part(
            _("How we hire"),
            paragraphs=(version.process_notes,) if version.process_notes.strip() else (),
            items=stages,
        ),
        Part(_("Where and how you’ll work"), items=tuple((k, v) for k, v in work if v)),
    ]
    return [p for p in parts if p.paragraphs or p.items]


def _about(version: BriefVersion) -> tuple[str, ...]:
    answers = (version.why_now, version.business_goals, version.team_context)
    return tuple(text.strip() for text in answers if text.strip())


def _criteria_items(criteria: list[Criterion]) -> tuple[tuple[str, str], ...]:
    return tuple((c.name, _one_line(c.definition)) for c in criteria)


def _lead(brief: Brief) -> str:
    # The summary without "why now": the description's first part says it in full.
    return _summary(brief.requisition)


def brief_markdown(version: BriefVersion) -> str:
    """A job-description draft in Markdown, for the recruiter to polish and publish."""
    brief = load_brief(version)
    with timezone.override(brief.zone):
        text = render_to_string(
            "briefs/export/job_description.md",
            {"requisition": brief.requisition, "lead": _lead(brief), "parts": _public_parts(brief)},
        )
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _description_html(brief: Brief) -> SafeString:
    chunks: list[str] = [format_html("<p>{}</p>", _lead(brief))]
    for part in _public_parts(brief):
        chunks.append(format_html("<h3>{}</h3>", part.heading))
        chunks.extend(linebreaks(p, autoescape=True) for p in part.paragraphs)
        if part.items:
            rows = format_html_join(
                "",
                "<li>{}</li>",
                ((_item_html(label, text),) for label, text in part.items),
            )
            chunks.append(format_html("<ul>{}</ul>", rows))
    return SafeString("".join(chunks))


def _item_html(label: str, text: str) -> SafeString:
    if label and text:
        return format_html("<strong>{}</strong> — {}", label, text)
    return format_html("{}", label or text)


def job_posting(
    version: BriefVersion, *, site_url: str, valid_through: date | None = None
) -> dict[str, Any]:
    """schema.org JobPosting JSON-LD, with every property Google requires.

    `site_url` (this Accord's address) names the scheme of the posting's identifier.
    """
    brief = load_brief(version)
    requisition = brief.requisition
    posting: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": requisition.title,
        "description": str(_description_html(brief)),
        "datePosted": brief.posted_on.isoformat(),
        "employmentType": SCHEMA_ORG_EMPLOYMENT_TYPES.get(requisition.employment_type, "OTHER"),
        "hiringOrganization": {"@type": "Organization", "name": brief.workspace.name},
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": site_url.rstrip("/"),
            "name": brief.workspace.name,
            "value": str(requisition.public_id),
        },
        "totalJobOpenings": requisition.openings,
        "directApply": False,
    }
    if valid_through:
        end_of_day = datetime.combine(valid_through, datetime.max.time(), tzinfo=brief.zone)
        posting["validThrough"] = end_of_day.replace(microsecond=0).isoformat()
    if brief.version.target_start:
        posting["jobStartDate"] = brief.version.target_start.isoformat()
    location = requisition.location.strip()
    country = country_code(location) if location else ""
    if location:
        address = {"@type": "PostalAddress", "addressLocality": _city(location)}
        if country:
            address["addressCountry"] = country
        posting["jobLocation"] = {"@type": "Place", "address": address}
    if requisition.remote_policy == RemotePolicy.REMOTE:
        posting["jobLocationType"] = "TELECOMMUTE"
        if location:
            posting["applicantLocationRequirements"] = (
                {"@type": "Country", "name": country}
                if country
                else {"@type": "AdministrativeArea", "name": location}
            )
    if requisition.compensation_min is not None or requisition.compensation_max is not None:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": "YEAR"}
        if requisition.compensation_min is not None:
            value["minValue"] = requisition.compensation_min
        if requisition.compensation_max is not None:
            value["maxValue"] = requisition.compensation_max
        salary: dict[str, Any] = {"@type": "MonetaryAmount", "value": value}
        if requisition.currency:
            salary["currency"] = requisition.currency
        posting["baseSalary"] = salary
    if brief.must_haves:
        posting["qualifications"] = "\n".join(
            f"{name}: {text}" if text else name for name, text in _criteria_items(brief.must_haves)
        )
    if years := _required_years(brief.must_haves):
        posting["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": years * 12,
        }
    if skills := [skill["name"] for skill in _skills(brief.criteria)]:
        posting["skills"] = skills
    return posting


def _linked_skills(criterion: Criterion) -> list[dict[str, Any]]:
    skills = criterion.skills if isinstance(criterion.skills, list) else []
    return [s for s in skills if isinstance(s, dict) and str(s.get("label") or "").strip()]


def _years(linked: dict[str, Any]) -> int:
    years = linked.get("min_years")
    return years if isinstance(years, int) and not isinstance(years, bool) and years > 0 else 0


def _skills_text(criterion: Criterion) -> str:
    notes = []
    for linked in _linked_skills(criterion):
        label = str(linked["label"]).strip()
        if years := _years(linked):
            label = ngettext(
                "%(skill)s (%(count)d+ year)", "%(skill)s (%(count)d+ years)", years
            ) % {
                "skill": label,
                "count": years,
            }
        notes.append(label)
    return ", ".join(notes)


def _required_years(criteria: list[Criterion]) -> int:
    return max((_years(s) for c in criteria for s in _linked_skills(c)), default=0)


def _skills(criteria: list[Criterion]) -> list[dict[str, Any]]:
    """JSON Resume skills: one per linked skill (first mention wins), with the criteria that
    ask for it as keywords."""
    by_label: dict[str, dict[str, Any]] = {}
    for criterion in criteria:
        for linked in _linked_skills(criterion):
            label = str(linked["label"]).strip()
            skill = by_label.setdefault(label.lower(), {"name": label, "keywords": []})
            level = str(linked.get("level") or "").strip()
            if "level" not in skill:
                if level:
                    skill["level"] = level
                elif years := _years(linked):
                    skill["level"] = ngettext("%(count)d+ year", "%(count)d+ years", years) % {
                        "count": years
                    }
            if criterion.name not in skill["keywords"]:
                skill["keywords"].append(criterion.name)
    return list(by_label.values())


def json_resume_job(version: BriefVersion) -> dict[str, Any]:
    """A JSON Resume job document (jsonresume.org job schema)."""
    brief = load_brief(version)
    requisition, version = brief.requisition, brief.version
    description = "\n\n".join([_lead(brief), *_about(version)])
    job: dict[str, Any] = {
        "title": requisition.title,
        "company": brief.workspace.name,
        "type": str(requisition.get_employment_type_display()),
        "date": brief.posted_on.isoformat(),
        "description": description,
        "experience": str(requisition.get_level_display()),
        "responsibilities": [
            _one_line(getattr(version, f)) for f in SUCCESS_FIELDS if getattr(version, f).strip()
        ],
        "qualifications": [
            f"{name}: {text}" if text else name for name, text in _criteria_items(brief.must_haves)
        ],
        "skills": _skills(brief.criteria),
        "meta": {
            "version": "v1.0.0",
            "lastModified": timezone.localtime(version.updated_at, brief.zone).strftime(
                "%Y-%m-%dT%H:%M:%S"
            ),
            "briefVersion": version.number,
            "signed": version.is_signed,
            "requisition": str(requisition.public_id),
        },
    }
    if remote := JSON_RESUME_REMOTE.get(requisition.remote_policy):
        job["remote"] = remote
    if location := requisition.location.strip():
        place = {"city": _city(location)}
        if location != place["city"]:
            place["address"] = location
        if country := country_code(location):
            place["countryCode"] = country
        job["location"] = place
    if brief.pay:
        job["salary"] = brief.pay
    return job


# --- the PDF -----------------------------------------------------------------------------------


def brief_html(version: BriefVersion) -> str:
    """The print document the PDF is made from."""
    brief = load_brief(version)
    context = brief_context_of(brief)
    context["agreement_sections"] = AGREEMENT_SECTIONS
    with timezone.override(brief.zone):
        return render_to_string("briefs/export/brief_pdf.html", context)


def brief_pdf(version: BriefVersion, *, base_url: str | None = None) -> bytes:
    """The whole agreed brief as an A4 PDF."""
    from accord.lib.pdf import html_to_pdf  # WeasyPrint loads Pango: only when a PDF is made

    base = base_url or (PACKAGE_ROOT / "briefs" / "templates").as_uri() + "/"
    return html_to_pdf(brief_html(version), base_url=base)
