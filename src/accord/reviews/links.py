"""Password-free links for busy people: a manager's shortlist, an interviewer's scorecard.

The token only names a `ReviewLink` row (signed, so it can't be guessed or altered); the row
says whose it is, for what, until when, and whether it was withdrawn. A newer link for the same
person and target withdraws the older one.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.lib.links import LinkProblem
from accord.reviews.models import ReviewLink, Scorecard, Shortlist
from accord.workspaces.models import Member

SALT = "accord.reviews.link"


def token_of(link: ReviewLink) -> str:
    return signing.Signer(salt=SALT).sign_object({"l": str(link.public_id)})


def link_for(
    member: Member, *, shortlist: Shortlist | None = None, scorecard: Scorecard | None = None
) -> ReviewLink:
    """The member's live link to the shortlist or scorecard, made (and older ones withdrawn)
    when there is none."""
    now = timezone.now()
    target = Q(shortlist=shortlist) if shortlist else Q(scorecard=scorecard)
    live = ReviewLink.objects.filter(
        target, member=member, revoked_at__isnull=True, expires_at__gt=now
    ).first()
    if live is not None:
        return live
    ReviewLink.objects.filter(target, member=member, revoked_at__isnull=True).update(revoked_at=now)
    return ReviewLink.objects.create(
        shortlist=shortlist,
        scorecard=scorecard,
        member=member,
        expires_at=now + timedelta(days=settings.REVIEW_LINK_TTL_DAYS),
    )


def url_of(link: ReviewLink) -> str:
    name = "reviews:link" if link.shortlist_id else "reviews:scorecard-link"
    return settings.SITE_URL + reverse(name, args=[token_of(link)])


def links_revoke(**target: object) -> int:
    """Withdraw every live link to a target (shortlist= or scorecard=)."""
    return ReviewLink.objects.filter(revoked_at__isnull=True, **target).update(
        revoked_at=timezone.now()
    )


def link_from_token(token: str) -> ReviewLink | LinkProblem:
    """The live link a token names, or why it can't be used: forged or mangled, withdrawn,
    expired, or its person no longer in the workspace."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        link = ReviewLink.objects.select_related(
            "member__user", "member__workspace", "shortlist", "scorecard"
        ).get(public_id=data["l"])
    except (signing.BadSignature, ReviewLink.DoesNotExist, KeyError, TypeError, ValueError):
        return LinkProblem.broken()
    if link.revoked_at or not link.member.is_active:
        return LinkProblem(
            _("This link was withdrawn"),
            _("Your recruiter withdrew this request or sent a newer link; use that one."),
        )
    if link.expires_at <= timezone.now():
        return LinkProblem(
            _("This link has expired"),
            _("For your security, links work for %(days)s days. Ask your recruiter for a new one.")
            % {"days": settings.REVIEW_LINK_TTL_DAYS},
        )
    ReviewLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return link
