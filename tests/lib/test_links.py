"""A link that doesn't work is worded once: the same title everywhere, the advice the caller's."""

from accord.lib.links import LinkProblem


def test_a_broken_link_says_so_and_where_to_get_a_whole_one() -> None:
    problem = LinkProblem.broken()
    assert problem == LinkProblem(
        "This link doesn’t work",
        "It may have been copied incompletely. Open it again from the message, or ask your "
        "recruiter for a new one.",
    )
    assert problem.hint == ""


def test_a_broken_link_gives_the_callers_advice() -> None:
    problem = LinkProblem.broken("It isn’t a scorecard link. Open the link from your message.")
    assert problem.title == "This link doesn’t work"
    assert problem.message == "It isn’t a scorecard link. Open the link from your message."
