"""One-tap links to a post-hire survey, for a manager who isn't signed in.

The token names the survey and its manager, signed (it can't be guessed or altered) and dated:
it works for `LINK_TTL_DAYS` after it was sent, and every reminder carries a fresh one. Whether
it can still be used is read from the survey at each use: withdrawn when the hire was cancelled
or the manager left the workspace. An answered survey's link shows the answers, not a form.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from accord.lib.links import LinkProblem
from accord.partnerships.models import Survey

SALT = "accord.partnerships.survey"
LINK_TTL_DAYS = 60


def token_of(survey: Survey) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"s": str(survey.public_id), "m": str(survey.manager.public_id)}
    )


def url_of(survey: Survey) -> str:
    return settings.SITE_URL + reverse("surveys:link", args=[token_of(survey)])


def survey_from_token(token: str) -> Survey | LinkProblem:
    """The survey a token names, or why it can't be used."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        data = signer.unsign_object(token, max_age=timedelta(days=LINK_TTL_DAYS))
        survey = Survey.objects.select_related(
            "workspace",
            "manager__user",
            "manager__workspace",
            "brief_version",
            "hire__requisition__recruiter__user",
            "hire__application__candidate",
        ).get(public_id=data["s"])
    except signing.SignatureExpired:
        return LinkProblem(
            _("This link has expired"),
            _(
                "For your security, survey links work for %(days)s days. Ask your recruiter "
                "to send it again."
            )
            % {"days": LINK_TTL_DAYS},
        )
    except (signing.BadSignature, Survey.DoesNotExist, KeyError, TypeError, ValueError):
        return LinkProblem.broken()
    if str(survey.manager.public_id) != data.get("m"):
        return LinkProblem.broken()
    if not survey.manager.is_active:
        return LinkProblem(
            _("This link was withdrawn"),
            _("You are no longer a member of %(workspace)s, so this survey is closed.")
            % {"workspace": survey.workspace.name},
        )
    return withdrawn(survey) or survey


def withdrawn(survey: Survey) -> LinkProblem | None:
    """Why an unanswered survey can't be answered any more (it or its hire was cancelled), or
    None. The signed-in survey page says the same as the link."""
    if survey.answered_at is None and (
        survey.cancelled_at is not None or survey.hire.cancelled_at is not None
    ):
        return LinkProblem(
            _("This survey was withdrawn"),
            _("The hire was cancelled or corrected, so there is nothing to answer. Thank you!"),
        )
    return None
