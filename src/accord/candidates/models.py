import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Role, Workspace

if TYPE_CHECKING:
    from accord.pipeline.models import Application


class Source(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SOURCED = "sourced", _("Sourced")
    REFERRAL = "referral", _("Referral")
    AGENCY = "agency", _("Agency")
    EVENT = "event", _("Event")
    IMPORTED = "imported", _("Imported")
    OTHER = "other", _("Other")


class Tag(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tag"), max_length=40)

    class Meta:
        ordering = [Lower("name")]
        constraints = [models.UniqueConstraint(Lower("name"), "workspace", name="tag_unique")]

    def __str__(self) -> str:
        return self.name


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def visible_to(self, member: Member) -> "CandidateQuerySet":
        """Recruiters and admins see the workspace's pool; managers and interviewers see the
        candidates who applied to a requisition they are on."""
        from accord.pipeline.models import Application

        mine = self.filter(workspace=member.workspace_id)
        if member.role in (Role.ADMIN, Role.RECRUITER):
            return mine
        requisitions = Requisition.objects.visible_to(member).values("pk")
        applied = Application.objects.filter(requisition__in=requisitions)
        return mine.filter(pk__in=applied.values("candidate"))

    def live(self) -> "CandidateQuerySet":
        return self.filter(erased_at__isnull=True)


class Candidate(models.Model):
    """A person who might fill a role. One candidate can apply to several requisitions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(_("name"), max_length=160)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    location = models.CharField(_("location"), max_length=160, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)  # ["https://…", …]
    headline = models.CharField(_("current title"), max_length=160, blank=True)
    current_employer = models.CharField(_("current employer"), max_length=160, blank=True)
    years_experience = models.DecimalField(
        _("years of experience"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.SOURCED
    )
    source_detail = models.CharField(
        _("source detail"), max_length=160, blank=True, help_text=_("Referrer, agency, event…")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="candidates")
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_note = models.CharField(_("consent note"), max_length=300, blank=True)
    retain_until = models.DateField(_("keep data until"), null=True, blank=True)

    # Normalised keys for duplicate detection (services keep them in step with the fields).
    email_key = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    phone_key = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    name_key = models.CharField(max_length=160, blank=True, db_index=True, editable=False)

    # The text full-text search indexes: profile fields, skills, tags and resume text.
    search_text = models.TextField(blank=True, editable=False)

    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)
    # Erasure keeps an anonymous row so pipeline counts stay true; see services.candidate_erase.
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = CandidateQuerySet.as_manager()

    if TYPE_CHECKING:
        applications: models.Manager[Application]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-created_at"], name="candidate_recent"),
            models.Index(fields=["workspace", "retain_until"], name="candidate_retention"),
        ]

    def __str__(self) -> str:
        return self.name


class CandidateSkill(models.Model):
    """A skill a candidate has, with the words in their resume that show it."""

    class Origin(models.TextChoices):
        RESUME = "resume", _("From the resume")
        RECRUITER = "recruiter", _("Added by a recruiter")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="skills")
    ref = models.CharField(max_length=64)  # taxonomy id, or "ws:<uuid>" for a workspace skill
    label = models.CharField(max_length=120)
    years = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    evidence = models.CharField(max_length=300, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.RESUME)

    class Meta:
        ordering = [Lower("label")]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "ref"], name="candidate_skill_once"),
        ]
        indexes = [models.Index(fields=["ref", "candidate"], name="candidate_skill_ref")]

    def __str__(self) -> str:
        return self.label


def resume_path(resume: "Resume", filename: str) -> str:
    # The stored name never reuses what the uploader typed: a UUID and the detected kind.
    return f"resumes/{resume.candidate.workspace.public_id}/{resume.public_id}.{resume.kind}"


class ResumeKind(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (DOCX)")
    TEXT = "txt", _("Plain text")
    JSON_RESUME = "json", _("JSON Resume")


class Resume(models.Model):
    """An uploaded resume: the original file, its text and what parsing found in it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="resumes")
    file = models.FileField(upload_to=resume_path, max_length=200)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=4, choices=ResumeKind.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    text = models.TextField(blank=True)
    parsed = models.JSONField(default=dict, blank=True)  # see candidates.parsing.ParsedResume
    uploaded_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class Note(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:60]


class CandidateEvent(models.Model):
    """The candidate's history: created, edited, resume added, merged, exported…"""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        RESUME_ADDED = "resume", _("Resume added")
        MERGED = "merged", _("Merged")
        APPLIED = "applied", _("Added to a requisition")
        EXPORTED = "exported", _("Data exported")
        ERASED = "erased", _("Erased")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    summary = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"


class SavedSearch(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=2000)  # the search page's query string
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [Lower("name")]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """Many resumes, or a CSV's rows, imported by the worker with a per-item report."""

    class Kind(models.TextChoices):
        FILES = "files", _("Resumes")
        CSV = "csv", _("CSV")

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Waiting for column mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    # Where imported candidates go: a requisition's first stage, or only the pool.
    requisition = models.ForeignKey(
        Requisition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.IMPORTED)
    columns = models.JSONField(default=list, blank=True)  # CSV header
    mapping = models.JSONField(default=dict, blank=True)  # CSV column → candidate field
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import of {self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 100


class ImportItem(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CREATED = "created", _("Created")
        MERGED = "merged", _("Merged into an existing candidate")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=255)  # file name, or "Row 12"
    upload = models.FileField(upload_to="imports/", max_length=200, blank=True)
    row = models.JSONField(default=dict, blank=True)  # a CSV row
    outcome = models.CharField(max_length=7, choices=Outcome.choices, default=Outcome.PENDING)
    reason = models.CharField(max_length=300, blank=True)
    candidate = models.ForeignKey(
        Candidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name
