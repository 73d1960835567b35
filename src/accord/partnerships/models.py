"""The memory of a partnership with a hiring manager, and what is learned after a hire.

A `Partnership` is the recruiting team's relationship with one hiring manager, kept whether or
not a role is open: who they are and how they work (team, goals, challenges, dynamics, the
communication agreement), what happened between us (`Touchpoint`), when to check in next, and
what we learned (`Lesson`). A `Hire` starts the post-hire loop: a `Survey` to each of the
role's managers some days after the start date and at later checkpoints, whose answers
(`CriterionRating` per criterion of the brief) become lessons for the next intake.
"""

import uuid
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.briefs.models import BriefVersion, Channel, Criterion, Frequency
from accord.pipeline.models import Application
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Workspace

TEXT_LIMIT = 4000
SUMMARY_LIMIT = 4000
LESSON_LIMIT = 1000


class Cadence(models.IntegerChoices):
    """How often to check in with a manager, in days; 0 is no regular check-in."""

    OFF = 0, _("No regular check-in")
    WEEKLY = 7, _("Every week")
    FORTNIGHTLY = 14, _("Every two weeks")
    MONTHLY = 30, _("Every month")
    BIMONTHLY = 60, _("Every two months")
    QUARTERLY = 90, _("Every quarter")


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def checkins_due(self, day: date) -> "PartnershipQuerySet":
        """Partnerships with a check-in planned on or before `day` (check-ins not turned off)."""
        return self.filter(next_checkin_on__lte=day).exclude(checkin_every=Cadence.OFF)


class Partnership(models.Model):
    """The recruiting team's relationship with one hiring manager of a workspace."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    manager = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="partnership")
    # The recruiter who keeps the relationship (check-in reminders go to them).
    recruiter = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="partnerships"
    )
    team = models.CharField(_("team"), max_length=120, blank=True)
    business_goals = models.TextField(_("business goals"), max_length=TEXT_LIMIT, blank=True)
    challenges = models.TextField(_("current challenges"), max_length=TEXT_LIMIT, blank=True)
    team_dynamics = models.TextField(_("team dynamics"), max_length=TEXT_LIMIT, blank=True)
    # The communication agreement: from the latest signed intake until someone edits it here
    # (`agreement_edited_at`), then this partnership's own.
    update_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, blank=True
    )
    update_frequency = models.CharField(
        _("update frequency"), max_length=10, choices=Frequency.choices, blank=True
    )
    best_times = models.CharField(_("best days and times"), max_length=300, blank=True)
    update_time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    agreement_edited_at = models.DateTimeField(null=True, blank=True)
    checkin_every = models.PositiveSmallIntegerField(
        _("check in"), choices=Cadence.choices, default=Cadence.MONTHLY
    )
    next_checkin_on = models.DateField(_("next check-in"), null=True, blank=True)
    # The check-in date the recruiter was last reminded of (one reminder per due date).
    checkin_reminded_for = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic concurrency: an edit based on an older revision is a conflict, not an overwrite.
    revision = models.PositiveIntegerField(default=1)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        indexes = [
            models.Index(fields=["workspace", "next_checkin_on"], name="partnership_checkin_due"),
        ]

    def __str__(self) -> str:
        return f"Partnership with {self.manager}"


class TouchpointKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    MESSAGE = "message", _("Message")
    NOTE = "note", _("Note")


# Touchpoints that are contact with the manager, so they count as a check-in.
CONTACT_KINDS = (TouchpointKind.MEETING, TouchpointKind.CALL, TouchpointKind.MESSAGE)


class Touchpoint(models.Model):
    """A meeting, call, message or note in the life of a partnership."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="touchpoints"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TouchpointKind.choices)
    occurred_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), max_length=SUMMARY_LIMIT)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step by"), null=True, blank=True)
    requisition = models.ForeignKey(
        Requisition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Corrections: who last edited it and when (None until then); an edit based on an older
    # revision is a conflict, not an overwrite.
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        ordering = ["-occurred_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["partnership", "-occurred_on"], name="touchpoint_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"


class HirePolicy(models.Model):
    """When a workspace asks its managers about a hire: `first_after_days` after the start
    date, then at each of `checkpoints` (days after the start date); reminders while unanswered."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="+")
    first_after_days = models.PositiveSmallIntegerField(
        _("first survey, days after the start date"), default=7
    )
    checkpoints = models.JSONField(_("later checkpoints (days)"), default=list, blank=True)
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind after (working days)"), default=3
    )
    max_reminders = models.PositiveSmallIntegerField(_("reminders at most"), default=2)

    def __str__(self) -> str:
        return f"Post-hire policy of {self.workspace}"


class Hire(models.Model):
    """A candidate hired into a requisition: the start of the post-hire loop."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="hire")
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="hires")
    hired_at = models.DateTimeField(default=timezone.now)
    start_on = models.DateField(_("start date"))
    recorded_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    # Moved out of the hired stage (a correction, or the hire fell through): surveys stop.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("hire")
        verbose_name_plural = _("hires")
        ordering = ["-start_on", "-hired_at", "-id"]
        indexes = [models.Index(fields=["workspace", "start_on"], name="hire_by_start")]

    def __str__(self) -> str:
        return f"Hire into {self.requisition} starting {self.start_on}"


class SurveyQuerySet(models.QuerySet["Survey"]):
    def open(self) -> "SurveyQuerySet":
        return self.filter(answered_at__isnull=True, cancelled_at__isnull=True)


class Survey(models.Model):
    """What one manager is asked about one hire at one checkpoint (days after the start)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    hire = models.ForeignKey(Hire, on_delete=models.CASCADE, related_name="surveys")
    manager = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="surveys")
    checkpoint = models.PositiveSmallIntegerField()  # days after the start date
    # The brief in force when the survey was made: the criteria it re-rates.
    brief_version = models.ForeignKey(
        BriefVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField()  # when it is sent
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    via_link = models.BooleanField(default=False)
    process_rating = models.PositiveSmallIntegerField(
        _("how did the hiring process go?"), null=True, blank=True
    )
    smoother = models.TextField(
        _("how could it have been smoother?"), max_length=TEXT_LIMIT, blank=True
    )
    hire_rating = models.PositiveSmallIntegerField(
        _("how is the new hire doing?"), null=True, blank=True
    )
    hire_notes = models.TextField(_("about the new hire"), max_length=TEXT_LIMIT, blank=True)
    missed_criteria = models.TextField(
        _("what mattered that the brief didn’t ask for?"), max_length=TEXT_LIMIT, blank=True
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("post-hire survey")
        verbose_name_plural = _("post-hire surveys")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hire", "manager", "checkpoint"], name="survey_once_per_checkpoint"
            ),
            models.CheckConstraint(
                condition=models.Q(process_rating__isnull=True)
                | models.Q(process_rating__gte=1, process_rating__lte=5),
                name="survey_process_rating_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(hire_rating__isnull=True)
                | models.Q(hire_rating__gte=1, hire_rating__lte=5),
                name="survey_hire_rating_1_5",
            ),
        ]
        indexes = [
            models.Index(fields=["sent_at", "due_at"], name="survey_to_send"),
            models.Index(fields=["manager", "answered_at"], name="survey_by_manager"),
        ]

    def __str__(self) -> str:
        return f"Survey at {self.checkpoint} days for {self.hire}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.cancelled_at is None


class Mattered(models.TextChoices):
    CRUCIAL = "crucial", _("Turned out crucial")
    USEFUL = "useful", _("Useful")
    NOT = "not", _("Didn’t matter")


class CriterionRating(models.Model):
    """A manager's re-rating of one criterion of the brief, for the person hired."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # As the brief said it when the survey was answered (a later brief may rename or drop it).
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=4)
    mattered = models.CharField(max_length=8, choices=Mattered.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "criterion"], name="rating_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.mattered}"


class LessonSource(models.TextChoices):
    SURVEY = "survey", _("Post-hire survey")
    TOUCHPOINT = "touchpoint", _("Touchpoint")
    NOTE = "note", _("Recruiter’s note")


class Lesson(models.Model):
    """Something learned about working with a manager, offered at their next intake.

    `applies_to` names the brief answer it would change (e.g. "process_notes"); empty means
    general."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="lessons")
    text = models.TextField(_("lesson"), max_length=LESSON_LIMIT)
    applies_to = models.CharField(_("applies to"), max_length=40, blank=True)
    source = models.CharField(max_length=10, choices=LessonSource.choices)
    survey = models.ForeignKey(
        Survey, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons"
    )
    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons"
    )
    requisition = models.ForeignKey(
        Requisition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


class LessonUse(models.Model):
    """A lesson carried into a brief at an intake."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="uses")
    version = models.ForeignKey(BriefVersion, on_delete=models.CASCADE, related_name="lessons_used")
    carried_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    carried_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lesson", "version"], name="lesson_carried_once"),
        ]

    def __str__(self) -> str:
        return f"{self.lesson} → {self.version}"
