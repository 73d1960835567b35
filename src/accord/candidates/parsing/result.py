"""What parsing found in a resume, as plain data that round-trips through JSON (Resume.parsed)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any


def _date_or_none(value: Any) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _strs(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


@dataclass
class Job:
    title: str
    employer: str
    start: date | None
    end: date | None
    current: bool
    # That job's lines of the resume, so skills can be attributed to jobs (skill years).
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "employer": self.employer,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "current": self.current,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Job":
        return cls(
            title=_str(data.get("title")),
            employer=_str(data.get("employer")),
            start=_date_or_none(data.get("start")),
            end=_date_or_none(data.get("end")),
            current=bool(data.get("current")),
            text=_str(data.get("text")),
        )


@dataclass
class Education:
    institution: str
    degree: str
    field: str
    end_year: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "institution": self.institution,
            "degree": self.degree,
            "field": self.field,
            "end_year": self.end_year,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Education":
        end_year = data.get("end_year")
        return cls(
            institution=_str(data.get("institution")),
            degree=_str(data.get("degree")),
            field=_str(data.get("field")),
            end_year=end_year if isinstance(end_year, int) else None,
        )


@dataclass
class ParsedResume:
    kind: str
    text: str = ""
    name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    location: str = ""
    links: list[str] = field(default_factory=list)
    headline: str = ""
    current_employer: str = ""
    summary: str = ""
    work: list[Job] = field(default_factory=list)
    education: list[Education] = field(default_factory=list)
    years_experience: float | None = None
    # What the resume claims in words ("5+ years of experience"), beside what the dates add up to.
    years_stated: float | None = None
    # Canonical section name → that section's text ("experience", "education", "skills"…).
    sections: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "name": self.name,
            "emails": list(self.emails),
            "phones": list(self.phones),
            "location": self.location,
            "links": list(self.links),
            "headline": self.headline,
            "current_employer": self.current_employer,
            "summary": self.summary,
            "work": [job.to_dict() for job in self.work],
            "education": [entry.to_dict() for entry in self.education],
            "years_experience": self.years_experience,
            "years_stated": self.years_stated,
            "sections": dict(self.sections),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ParsedResume":
        sections = data.get("sections")
        return cls(
            kind=_str(data.get("kind")),
            text=_str(data.get("text")),
            name=_str(data.get("name")),
            emails=_strs(data.get("emails")),
            phones=_strs(data.get("phones")),
            location=_str(data.get("location")),
            links=_strs(data.get("links")),
            headline=_str(data.get("headline")),
            current_employer=_str(data.get("current_employer")),
            summary=_str(data.get("summary")),
            work=[Job.from_dict(job) for job in data.get("work") or [] if isinstance(job, dict)],
            education=[
                Education.from_dict(entry)
                for entry in data.get("education") or []
                if isinstance(entry, dict)
            ],
            years_experience=_number(data.get("years_experience")),
            years_stated=_number(data.get("years_stated")),
            sections={
                key: value
                for key, value in (sections.items() if isinstance(sections, dict) else [])
                if isinstance(key, str) and isinstance(value, str)
            },
        )
