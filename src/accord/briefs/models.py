import uuid
from typing import Any

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.briefs.sections import TEXT_LIMIT
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Workspace

DEFINITION_LIMIT = 600
SKILLS_LIMIT = 10
WEIGHT_MIN, WEIGHT_MAX = 1, 5


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat (Slack or Teams)")
    SMS = "sms", _("Text message")
    CALL = "call", _("Phone call")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")


def _text(label: Any) -> models.TextField[str, str]:
    return models.TextField(label, blank=True, max_length=TEXT_LIMIT)


class BriefVersionQuerySet(models.QuerySet["BriefVersion"]):
    def signed(self) -> "BriefVersionQuerySet":
        return self.filter(signed_at__isnull=False)

    def drafts(self) -> "BriefVersionQuerySet":
        return self.filter(signed_at__isnull=True)


class BriefVersion(models.Model):
    """One version of a requisition's brief. Version 1's draft is the intake itself.

    A version is immutable once both the recruiter and a hiring manager have signed it
    (`signed_at` set); any later change is a new draft version with a reason. The signed version
    with the highest number is the one in force.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="brief_versions"
    )
    number = models.PositiveSmallIntegerField()
    reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    sign_off_requested_at = models.DateTimeField(null=True, blank=True)

    why_now = _text(_("why this role now"))
    business_goals = _text(_("business goals"))
    team_context = _text(_("the team"))
    success_30 = _text(_("success after 30 days"))
    success_60 = _text(_("success after 60 days"))
    success_90 = _text(_("success after 90 days"))
    success_year = _text(_("success after a year"))
    past_misstep = _text(_("a past hire that didn’t work out"))
    who_thrives = _text(_("who thrives"))
    who_struggled = _text(_("who has not thrived"))
    previous_good = _text(_("previous person: good"))
    previous_better = _text(_("previous person: could be better"))
    selling_points = _text(_("selling points"))
    deal_breakers = _text(_("deal-breakers"))
    process_notes = _text(_("process notes"))
    target_start = models.DateField(_("target start date"), null=True, blank=True)
    review_days = models.PositiveSmallIntegerField(
        _("shortlist review days"), null=True, blank=True
    )
    interview_availability = models.CharField(
        _("interview availability"), max_length=300, blank=True
    )
    decision_days = models.PositiveSmallIntegerField(_("decision days"), null=True, blank=True)
    update_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, blank=True
    )
    update_frequency = models.CharField(
        _("update frequency"), max_length=10, choices=Frequency.choices, blank=True
    )
    best_times = models.CharField(_("best days and times"), max_length=300, blank=True)
    update_time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    ideal_persona = _text(_("ideal candidate"))
    alternative_personas = _text(_("alternative profiles"))

    # {field: {"by": name, "at": iso time}} — who last saved each answer, shown in conflicts.
    field_edits = models.JSONField(default=dict, blank=True)
    # Answers copied from the manager's earlier intake and not edited since: {"from": title,
    # "version": public id, "fields": [...]}.
    carried_over = models.JSONField(default=dict, blank=True)
    # Bumped by every change to the version or its criteria and stages; a signature covers one
    # revision, so a change after someone signed withdraws their signature.
    revision = models.PositiveIntegerField(default=1)

    objects = BriefVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("brief version")
        verbose_name_plural = _("brief versions")
        ordering = ["requisition", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["requisition", "number"], name="brief_version_number_unique"
            ),
            # At most one draft at a time: changes to a signed brief gather in one new version.
            models.UniqueConstraint(
                fields=["requisition"],
                condition=models.Q(signed_at__isnull=True),
                name="brief_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requisition} — v{self.number}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class InterviewStage(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(BriefVersion, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("stage"), max_length=120)
    interviewers = models.CharField(_("who interviews"), max_length=300, blank=True)
    assesses = models.CharField(_("what it assesses"), max_length=500, blank=True)
    # Carried from version to version so criteria keep pointing at "the same" stage in diffs.
    lineage = models.UUIDField(default=uuid.uuid4)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    MUST = "must", _("Must-have")
    NICE = "nice", _("Nice-to-have")


class AssessedAt(models.TextChoices):
    RESUME = "resume", _("Resume screen")
    PHONE = "phone", _("Phone screen")
    INTERVIEW = "interview", _("Interview stage")


class Criterion(models.Model):
    """One requirement, with the agreed definition written as observable evidence."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(BriefVersion, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("criterion"), max_length=160)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, default=Kind.MUST)
    weight = models.PositiveSmallIntegerField(_("weight"), null=True, blank=True)
    definition = models.TextField(_("agreed definition"), blank=True, max_length=DEFINITION_LIMIT)
    assessed_at = models.CharField(
        _("assessed at"), max_length=10, choices=AssessedAt.choices, blank=True
    )
    stage = models.ForeignKey(
        InterviewStage, on_delete=models.SET_NULL, null=True, blank=True, related_name="criteria"
    )
    # Linked skills: [{"label": "Python", "ref": "", "min_years": 3, "level": ""}]. `ref` is the
    # taxonomy id, filled once the skills taxonomy exists (candidates issue).
    skills = models.JSONField(_("linked skills"), default=list, blank=True)
    lineage = models.UUIDField(default=uuid.uuid4)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=Kind.MUST, weight__isnull=True)
                | models.Q(kind=Kind.NICE, weight__gte=WEIGHT_MIN, weight__lte=WEIGHT_MAX),
                name="criterion_weight_for_nice_only",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def skills_text(self) -> str:
        """The linked skills as people type them: "Python 3+, SQL" (parse_skills reads it)."""
        return ", ".join(
            str(s.get("label", "")) + (f" {s['min_years']}+" if s.get("min_years") else "")
            for s in self.skills
        )

    @staticmethod
    def parse_skills(raw: str) -> tuple[dict[str, Any], ...]:
        """'Python 3+, Kubernetes' → ({'label': 'Python', 'min_years': 3, …}, {'label': …})."""
        skills = []
        for part in raw.split(","):
            words = part.strip().split()
            if not words:
                continue
            years = None
            if len(words) > 1 and words[-1].rstrip("+y").isdecimal():
                years = int(words.pop().rstrip("+y"))
            skills.append(
                {"label": " ".join(words)[:80], "ref": "", "min_years": years, "level": ""}
            )
        return tuple(skills[:SKILLS_LIMIT])

    @property
    def where_assessed(self) -> str:
        if self.assessed_at == AssessedAt.INTERVIEW and self.stage_id:
            return self.stage.name if self.stage else ""
        return self.get_assessed_at_display() if self.assessed_at else ""


class Side(models.TextChoices):
    RECRUITER = "recruiter", _("Recruiter")
    MANAGER = "manager", _("Hiring manager")


class Signature(models.Model):
    version = models.ForeignKey(BriefVersion, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    revision = models.PositiveIntegerField()  # the version revision this signature covers
    signed_at = models.DateTimeField(default=timezone.now)
    via_link = models.BooleanField(default=False)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "member"], name="signature_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} signed {self.version}"


class BriefLink(models.Model):
    """A signed, expiring link that lets one hiring manager fill and sign a draft without a
    password. The token in the email names this row; revoking or expiring the row kills it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="links")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="brief_links")
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Link for {self.member} to {self.requisition}"


class GlossaryTerm(models.Model):
    """An agreed definition the workspace reuses across briefs, optionally for one team."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="glossary")
    term = models.CharField(_("term"), max_length=120)
    definition = models.TextField(_("agreed definition"), max_length=DEFINITION_LIMIT)
    team = models.CharField(_("team"), max_length=120, blank=True)
    updated_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [Lower("term"), "team"]
        constraints = [
            models.UniqueConstraint(
                Lower("term"), "workspace", "team", name="glossary_term_unique_per_team"
            ),
        ]

    def __str__(self) -> str:
        return self.term


class VagueTerm(models.Model):
    """A workspace's addition to the lexicon of vague terms shipped in briefs/data/."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="vague_terms")
    term = models.CharField(_("term"), max_length=80)
    ask = models.CharField(_("what to ask"), max_length=300, blank=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [Lower("term")]
        constraints = [
            models.UniqueConstraint(Lower("term"), "workspace", name="vague_term_unique"),
        ]

    def __str__(self) -> str:
        return self.term
