"""The one-tap link a nudge carries: the action itself for its owner, the overview for others."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accord.nudges.models import Commitment, CommitmentKind
from accord.workspaces.models import Member


def action_link(commitment: Commitment, recipient: Member) -> tuple[str, str]:
    from accord.reviews.links import link_for, url_of

    slug = commitment.requisition.workspace.slug
    if recipient.pk == commitment.owner_id:
        if commitment.kind == CommitmentKind.REVIEW and commitment.shortlist:
            return _("Review the shortlist"), url_of(
                link_for(recipient, shortlist=commitment.shortlist)
            )
        if commitment.kind == CommitmentKind.SCORECARD and commitment.scorecard:
            return _("Fill in the scorecard"), url_of(
                link_for(recipient, scorecard=commitment.scorecard)
            )
        if commitment.application:  # a decision: the interviewers' scorecards are the evidence
            return _("See the scorecards and decide"), settings.SITE_URL + reverse(
                "reviews:scorecards", args=[slug, commitment.application.public_id]
            )
    return _("See who owes what"), settings.SITE_URL + reverse("nudges:owed", args=[slug])
