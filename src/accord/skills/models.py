import uuid

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.workspaces.models import Member, Workspace


class CustomSkill(models.Model):
    """A workspace's own skill, or its own synonyms for a taxonomy skill.

    With `ref` blank it is a new skill, referred to as "ws:<public_id>"; with `ref` set to a
    taxonomy id its synonyms extend that skill for this workspace only.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="skills")
    label = models.CharField(_("skill"), max_length=80)
    synonyms = models.TextField(
        _("synonyms"), blank=True, help_text=_("One per line, e.g. k8s for Kubernetes.")
    )
    ref = models.CharField(_("taxonomy skill"), max_length=64, blank=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [Lower("label")]
        constraints = [
            models.UniqueConstraint(Lower("label"), "workspace", name="custom_skill_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def skill_ref(self) -> str:
        return self.ref or f"ws:{self.public_id}"

    @property
    def synonym_list(self) -> list[str]:
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]
