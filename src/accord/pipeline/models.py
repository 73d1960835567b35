import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.briefs.models import Criterion
from accord.candidates.models import Candidate, Source
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Workspace


class Category(models.TextChoices):
    """What a stage means, whatever a workspace calls it; reports count by category."""

    SOURCED = "sourced", _("Sourced")
    SCREEN = "screen", _("Screen")
    SUBMITTED = "submitted", _("Submitted to manager")
    REVIEW = "review", _("Manager review")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Moving into these ends the application and needs a reason.
CLOSED_CATEGORIES = (Category.REJECTED, Category.WITHDRAWN)


class Reason(models.TextChoices):
    # Rejected
    MISSING_MUST_HAVE = "missing_must", _("Misses a must-have")
    EXPERIENCE = "experience", _("Not enough relevant experience")
    COMPENSATION = "compensation", _("Pay expectations don't fit")
    LOCATION = "location", _("Location or working pattern")
    STRONGER = "stronger", _("A stronger candidate went ahead")
    MANAGER_DECLINED = "manager_declined", _("Hiring manager declined")
    ROLE_CLOSED = "role_closed", _("Role closed or on hold")
    NO_RESPONSE = "no_response", _("No response")
    # Withdrawn
    OTHER_OFFER = "other_offer", _("Accepted another offer")
    NOT_INTERESTED = "not_interested", _("No longer interested")
    PERSONAL = "personal", _("Personal reasons")
    OTHER = "other", _("Other")


REJECTION_REASONS = (
    Reason.MISSING_MUST_HAVE,
    Reason.EXPERIENCE,
    Reason.COMPENSATION,
    Reason.LOCATION,
    Reason.STRONGER,
    Reason.MANAGER_DECLINED,
    Reason.ROLE_CLOSED,
    Reason.NO_RESPONSE,
    Reason.OTHER,
)
WITHDRAWAL_REASONS = (
    Reason.OTHER_OFFER,
    Reason.COMPENSATION,
    Reason.LOCATION,
    Reason.NOT_INTERESTED,
    Reason.PERSONAL,
    Reason.OTHER,
)


class StageTemplate(models.Model):
    """A reusable list of stages; a requisition copies one and may then change its copy."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="stage_templates"
    )
    name = models.CharField(_("name"), max_length=80)
    is_default = models.BooleanField(_("default for new requisitions"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"],
                condition=models.Q(is_default=True),
                name="one_default_stage_template",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateStage(models.Model):
    template = models.ForeignKey(StageTemplate, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("stage"), max_length=60)
    category = models.CharField(_("kind"), max_length=10, choices=Category.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """One column of a requisition's pipeline."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("stage"), max_length=60)
    category = models.CharField(_("kind"), max_length=10, choices=Category.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.category in CLOSED_CATEGORIES


class Application(models.Model):
    """A candidate in one requisition's pipeline."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="applications"
    )
    # RESTRICT: a stage with applications in it can't be deleted on its own, but deleting the
    # requisition takes its stages and applications together.
    stage = models.ForeignKey(Stage, on_delete=models.RESTRICT, related_name="applications")
    stage_entered_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SOURCED)
    reason = models.CharField(max_length=16, choices=Reason.choices, blank=True)
    reason_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)

    # The explainable match against the brief in force, cached for sorting and the board
    # (accord.matching.services computes it; the explanation is rebuilt from assessments on
    # display).
    must_met = models.PositiveSmallIntegerField(null=True, blank=True)
    must_total = models.PositiveSmallIntegerField(null=True, blank=True)
    nice_score = models.FloatField(null=True, blank=True)  # 0..1, weighted
    match_score = models.FloatField(null=True, blank=True)  # for sorting only, never shown alone
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "requisition"], name="one_application_per_requisition"
            ),
        ]
        indexes = [
            # The board: counts per stage, and each column's first cards in time-in-stage order
            # straight from the index (selectors.CARD_ORDER).
            models.Index(
                fields=["requisition", "stage", "stage_entered_at", "public_id"],
                name="application_board_order",
            ),
            models.Index(fields=["requisition", "-match_score"], name="application_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} for {self.requisition}"


class StageMove(models.Model):
    """Who moved an application where, when and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.ForeignKey(
        Stage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["application", "-at"], name="stage_move_history")]

    def __str__(self) -> str:
        return f"{self.application} → {self.to_stage}"


class Verdict(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly")
    NOT_MET = "not_met", _("Not met")
    UNKNOWN = "unknown", _("Unknown")


class Assessment(models.Model):
    """One criterion of the brief, judged for one application, with the evidence.

    The system suggests a verdict from the resume (suggested_*); the recruiter's own mark is
    `verdict` + `evidence`, set when `assessed_by` is."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=8, choices=Verdict.choices, default=Verdict.UNKNOWN)
    evidence = models.TextField(_("evidence"), max_length=1000, blank=True)
    suggested_verdict = models.CharField(
        max_length=8, choices=Verdict.choices, default=Verdict.UNKNOWN
    )
    suggested_evidence = models.TextField(max_length=1000, blank=True)
    assessed_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="assessment_once_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_verdict_display()}"
