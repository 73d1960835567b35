"""What a password-free link page says when its link can't be used (template link_problem.html)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class LinkProblem:
    title: str
    message: str
    hint: str = ""  # what else the person can do, shown under the message
