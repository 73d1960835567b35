import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.briefs.models import BriefVersion, Criterion, InterviewStage
from accord.pipeline.models import Application, Stage
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Workspace


class Decision(models.TextChoices):
    ADVANCE = "advance", _("Advance")
    HOLD = "hold", _("Hold")
    REJECT = "reject", _("Reject")


class Judgement(models.TextChoices):
    MEETS = "meets", _("Meets")
    DOESNT = "doesnt", _("Doesn’t meet")
    CANT_TELL = "cant_tell", _("Can’t tell")


class ReasonChip(models.TextChoices):
    """Common reasons that are not criteria of a brief: choosing one records the decision as
    resting (at least partly) outside the brief."""

    TOO_SENIOR = "too_senior", _("Too senior")
    TOO_JUNIOR = "too_junior", _("Too junior")
    COMPENSATION = "compensation", _("Compensation")
    LOCATION = "location", _("Location")
    JOB_CHANGES = "job_changes", _("Job changes")
    COMMUNICATION = "communication", _("Communication")
    INDUSTRY = "industry", _("Industry background")
    AVAILABILITY = "availability", _("Availability or notice period")


class ShortlistQuerySet(models.QuerySet["Shortlist"]):
    def open(self) -> "ShortlistQuerySet":
        return self.filter(completed_at__isnull=True, withdrawn_at__isnull=True)


class Shortlist(models.Model):
    """A batch of screened candidates the recruiter sends one hiring manager to decide on."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="shortlists"
    )
    manager = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="shortlists_to_review"
    )
    sent_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    # The brief version in force when it was sent: the criteria the manager judges against.
    brief_version = models.ForeignKey(
        BriefVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note to the manager"), max_length=2000, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ShortlistQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["requisition", "-sent_at"], name="shortlist_by_requisition"),
            models.Index(fields=["manager", "completed_at"], name="shortlist_by_manager"),
        ]

    def __str__(self) -> str:
        return f"Shortlist for {self.requisition} ({self.sent_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and self.withdrawn_at is None


class ShortlistItemQuerySet(models.QuerySet["ShortlistItem"]):
    def waiting(self) -> "ShortlistItemQuerySet":
        """Candidates on an open shortlist that the manager hasn't decided on yet."""
        return self.filter(
            review__isnull=True,
            shortlist__completed_at__isnull=True,
            shortlist__withdrawn_at__isnull=True,
        )


class ShortlistItem(models.Model):
    """One candidate on a shortlist, with what the recruiter wants the manager to notice."""

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="shortlist_items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    highlights = models.TextField(_("highlights"), max_length=1000, blank=True)

    objects = ShortlistItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "application"], name="shortlist_item_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} on {self.shortlist}"


class Review(models.Model):
    """The manager's decision on one shortlisted candidate, with the reasons for it.

    One per item (the one-to-one is the guard against a double submit); `outside_brief` is set
    when the reasons include anything that is not a criterion of the brief."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.OneToOneField(ShortlistItem, on_delete=models.CASCADE, related_name="review")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    chips = models.JSONField(_("reasons"), default=list, blank=True)
    note = models.TextField(_("why"), max_length=1000, blank=True)
    outside_brief = models.BooleanField(default=False)
    via_link = models.BooleanField(default=False)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=Decision.values), name="review_decision_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.application}"

    @property
    def chip_labels(self) -> list[str]:
        labels = dict(ReasonChip.choices)
        return [str(labels.get(code, code)) for code in self.chips]


class ReviewJudgement(models.Model):
    """How the manager judged one criterion of the brief for one candidate."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="judgements")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    judgement = models.CharField(max_length=10, choices=Judgement.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_judgement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_judgement_display()}"


class ReviewLink(models.Model):
    """A signed, expiring, revocable link that lets one person act without a password: a
    manager decide one shortlist, or an interviewer submit one scorecard."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shortlist = models.ForeignKey(
        Shortlist, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    scorecard = models.ForeignKey(
        "Scorecard", on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="review_links")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shortlist__isnull=False, scorecard__isnull=True)
                | models.Q(shortlist__isnull=True, scorecard__isnull=False),
                name="review_link_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"Link for {self.member}"


class Recommendation(models.TextChoices):
    STRONG_YES = "strong_yes", _("Strong yes")
    YES = "yes", _("Yes")
    NO = "no", _("No")
    STRONG_NO = "strong_no", _("Strong no")


class Scorecard(models.Model):
    """One interviewer's assessment of one candidate after one interview.

    Requested (with the interview time, from which the due time follows) by the recruiter;
    submitted once by the interviewer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scorecards"
    )
    interviewer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="scorecards")
    # The pipeline's interview stage, and the brief's interview stage whose criteria are assessed
    # (none: every criterion assessed at interview).
    stage = models.ForeignKey(Stage, on_delete=models.SET_NULL, null=True, related_name="+")
    brief_stage = models.ForeignKey(
        InterviewStage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    interview_at = models.DateTimeField(_("interview time"))
    requested_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    was_late = models.BooleanField(null=True, blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    evidence = models.TextField(_("evidence"), max_length=3000, blank=True)

    class Meta:
        ordering = ["interview_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "interviewer", "stage"], name="scorecard_once_per_stage"
            ),
        ]
        indexes = [models.Index(fields=["interviewer", "submitted_at"], name="scorecard_owed")]

    def __str__(self) -> str:
        return f"Scorecard by {self.interviewer} for {self.application}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ScorecardRating(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    judgement = models.CharField(max_length=10, choices=Judgement.choices)
    note = models.CharField(_("evidence"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="scorecard_rating_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_judgement_display()}"
