import uuid
from datetime import date, datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.workspaces.models import Member, Workspace


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    INTAKE = "intake", _("Intake")
    OPEN = "open", _("Open")
    ON_HOLD = "on_hold", _("On hold")
    FILLED = "filled", _("Filled")
    CANCELLED = "cancelled", _("Cancelled")


# Which status may follow which. Filled and cancelled are final: a new search is a new requisition.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.INTAKE, Status.OPEN, Status.CANCELLED}),
    Status.INTAKE: frozenset({Status.OPEN, Status.ON_HOLD, Status.CANCELLED}),
    Status.OPEN: frozenset({Status.ON_HOLD, Status.FILLED, Status.CANCELLED}),
    Status.ON_HOLD: frozenset({Status.OPEN, Status.INTAKE, Status.CANCELLED}),
    Status.FILLED: frozenset(),
    Status.CANCELLED: frozenset(),
}
ACTIVE_STATUSES = (Status.DRAFT, Status.INTAKE, Status.OPEN, Status.ON_HOLD)


class RemotePolicy(models.TextChoices):
    ON_SITE = "on_site", _("On-site")
    HYBRID = "hybrid", _("Hybrid")
    REMOTE = "remote", _("Remote")


class Level(models.TextChoices):
    INTERN = "intern", _("Intern")
    JUNIOR = "junior", _("Junior")
    MID = "mid", _("Mid-level")
    SENIOR = "senior", _("Senior")
    LEAD = "lead", _("Lead / Staff")
    PRINCIPAL = "principal", _("Principal")
    MANAGER = "manager", _("Manager")
    DIRECTOR = "director", _("Director")
    EXECUTIVE = "executive", _("Executive")


# Seniority order, used by the alignment checks to compare a role's pay with lower-level roles.
LEVEL_RANK = {value: rank for rank, value in enumerate(Level.values)}


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    CONTRACT = "contract", _("Contract")
    TEMPORARY = "temporary", _("Temporary")
    INTERNSHIP = "internship", _("Internship")


class RequisitionQuerySet(models.QuerySet["Requisition"]):
    def visible_to(self, member: Member) -> "RequisitionQuerySet":
        """Recruiters and admins see the workspace's requisitions; others the ones they're on."""
        from accord.workspaces.models import Role

        mine = self.filter(workspace=member.workspace_id)
        if member.role in (Role.ADMIN, Role.RECRUITER):
            return mine
        return mine.involving(member)

    def involving(self, member: Member) -> "RequisitionQuerySet":
        """The requisitions the member recruits for, manages or interviews for."""
        # Subqueries rather than joins + DISTINCT, so counts and aggregates stay exact.
        managed = Requisition.hiring_managers.through.objects.filter(member=member)
        interviewing = Requisition.hiring_team.through.objects.filter(member=member)
        return self.filter(
            models.Q(recruiter=member)
            | models.Q(pk__in=managed.values("requisition"))
            | models.Q(pk__in=interviewing.values("requisition"))
        )


class Requisition(models.Model):
    """A role to fill, with one or more openings, and its lifecycle."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="requisitions")
    title = models.CharField(_("title"), max_length=160)
    team = models.CharField(_("team or department"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=160, blank=True)
    remote_policy = models.CharField(
        _("remote policy"), max_length=10, choices=RemotePolicy.choices, default=RemotePolicy.HYBRID
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.MID)
    employment_type = models.CharField(
        _("employment type"),
        max_length=12,
        choices=EmploymentType.choices,
        default=EmploymentType.FULL_TIME,
    )
    openings = models.PositiveSmallIntegerField(_("openings"), default=1)
    compensation_min = models.PositiveIntegerField(_("pay from"), null=True, blank=True)
    compensation_max = models.PositiveIntegerField(_("pay up to"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    recruiter = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="requisitions_recruited",
        verbose_name=_("recruiter"),
    )
    hiring_managers = models.ManyToManyField(
        Member, related_name="requisitions_managed", verbose_name=_("hiring managers")
    )
    hiring_team = models.ManyToManyField(
        Member, related_name="requisitions_interviewing", blank=True, verbose_name=_("hiring team")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Total time spent on hold, accumulated when a hold ends; excluded from time to fill.
    time_on_hold = models.DurationField(default=timedelta)
    days_to_fill = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Optimistic concurrency for the details form: a save based on an older revision is refused.
    revision = models.PositiveIntegerField(default=1)

    objects = RequisitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["workspace", "status", "-created_at"], name="req_ws_status"),
            models.Index(fields=["workspace", "-closed_at"], name="req_ws_closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="requisitions_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(openings__gte=1), name="requisitions_openings_min"
            ),
            models.CheckConstraint(
                condition=models.Q(compensation_min__isnull=True)
                | models.Q(compensation_max__isnull=True)
                | models.Q(compensation_min__lte=models.F("compensation_max")),
                name="requisitions_pay_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in (Status.FILLED, Status.CANCELLED)

    def days_open(self, now: datetime | None = None) -> int | None:
        """Days the search has been running, holds excluded (time to fill so far)."""
        if self.opened_at is None:
            return None
        end = self.closed_at or now or timezone.now()
        hold = self.time_on_hold
        if self.status == Status.ON_HOLD:
            hold += end - self.status_changed_at
        return max(0, (end - self.opened_at - hold).days)


class RequisitionEvent(models.Model):
    """A lifecycle change: who moved the requisition from which status to which, when and why."""

    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.requisition}: {self.from_status} → {self.to_status}"


class MilestoneKind(models.TextChoices):
    INTAKE_DONE = "intake_done", _("Intake done")
    SOURCING_STARTED = "sourcing_started", _("Sourcing started")
    FIRST_SHORTLIST = "first_shortlist", _("First shortlist")
    FIRST_INTERVIEWS = "first_interviews", _("First interviews")
    OFFER = "offer", _("Offer")
    START_DATE = "start_date", _("Start date")


class Owner(models.TextChoices):
    RECRUITER = "recruiter", _("Recruiter")
    MANAGER = "manager", _("Hiring manager")


class Milestone(models.Model):
    """One step of the plan with its owner and due date."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("milestone"), max_length=20, choices=MilestoneKind.choices)
    owner = models.CharField(_("owner"), max_length=10, choices=Owner.choices)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["requisition", "kind"], name="milestone_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.due_on}"

    def is_late(self, today: date | None = None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())


class Kickoff(models.Model):
    """The kickoff meeting, sent as a calendar invite to the recruiter and the managers."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="kickoffs")
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    where = models.CharField(_("where"), max_length=300, blank=True)
    organizer = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    sequence = models.PositiveSmallIntegerField(default=0)  # iCalendar SEQUENCE for updates
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"Kickoff: {self.requisition}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)
