"""What a password-free link page says when its link can't be used (template link_problem.html)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class LinkProblem:
    title: str
    message: str
    hint: str = ""  # what else the person can do, shown under the message

    @classmethod
    def broken(cls, message: str = "") -> "LinkProblem":
        """A link that names nothing we can show: forged, cut short when copied, or not a link
        of this kind. `message` says where to get a whole one; by default, from the message it
        came in or from the recruiter."""
        return cls(
            _("This link doesn’t work"),
            message
            or _(
                "It may have been copied incompletely. Open it again from the message, or ask "
                "your recruiter for a new one."
            ),
        )
