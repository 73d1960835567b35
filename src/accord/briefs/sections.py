"""The intake's sections and questions: one definition drives the form, the checks, the diff and
the exports, so a question added here appears everywhere."""

from dataclasses import dataclass
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXT_LIMIT: Final = 4000


@dataclass(frozen=True)
class Question:
    field: str
    label: str | Promise
    prompt: str | Promise  # what the recruiter asks, shown as help
    kind: str = "text"  # text | line | date | days | choice


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    intro: str | Promise
    questions: tuple[Question, ...]


SECTIONS: Final[tuple[Section, ...]] = (
    Section(
        "why",
        _("Why this role, now"),
        _("Start with the business: what changes when this person arrives?"),
        (
            Question(
                "why_now",
                _("Why this role now"),
                _("What happened that makes this hire necessary today?"),
            ),
            Question(
                "business_goals",
                _("Business goals"),
                _("Which goals does this role move, and how would we notice?"),
            ),
            Question(
                "team_context",
                _("The team, its dynamics and challenges"),
                _("Who is on the team, how do they work together, what is hard right now?"),
            ),
        ),
    ),
    Section(
        "success",
        _("What success looks like"),
        _("Observable results, not adjectives."),
        (
            Question(
                "success_30", _("After 30 days"), _("What has the person learned, met, shipped?")
            ),
            Question("success_60", _("After 60 days"), _("What do they own by now?")),
            Question(
                "success_90",
                _("After 90 days"),
                _("What result would make you say the hire was right?"),
            ),
            Question(
                "success_year",
                _("After a year"),
                _("What is different in the team or the business because of them?"),
            ),
        ),
    ),
    Section(
        "people",
        _("Who thrives here — and who has not"),
        _("Start with what hasn’t worked: it shows what matters beyond the job description."),
        (
            Question(
                "past_misstep",
                _("A past hire that didn’t work out, and why"),
                _("Communication style, how they took feedback, fit… what would have warned you?"),
            ),
            Question(
                "who_thrives",
                _("Who thrives on this team"),
                _("Think of your best people: what do they have in common?"),
            ),
            Question(
                "who_struggled",
                _("Who has not thrived"),
                _("What did the people who struggled have in common?"),
            ),
            Question(
                "previous_good",
                _("The previous person in the role: what was good"),
                _("What did you like about them?"),
            ),
            Question(
                "previous_better",
                _("…and what could have been better"),
                _("What could they have done better?"),
            ),
        ),
    ),
    Section(
        "pitch",
        _("Selling points and deal-breakers"),
        _("Why would a great candidate, happy where they are, move?"),
        (
            Question(
                "selling_points",
                _("Selling points"),
                _("The work, the team, growth, pay, flexibility — what is true and compelling?"),
            ),
            Question(
                "deal_breakers",
                _("Deal-breakers"),
                _("What rules a candidate out, however strong they are otherwise?"),
            ),
        ),
    ),
    Section(
        "process",
        _("Interview process"),
        _("The stages, who interviews, and what each stage assesses."),
        (
            Question(
                "process_notes",
                _("Notes on the process"),
                _("Take-home work, references, anything candidates should know."),
            ),
        ),
    ),
    Section(
        "timeline",
        _("Timeline and the manager’s commitments"),
        _("A realistic plan, and what the manager does to keep it moving."),
        (
            Question(
                "target_start", _("Target start date"), _("When should the person start?"), "date"
            ),
            Question(
                "review_days",
                _("Shortlist review within (business days)"),
                _("How soon will you decide on a shortlist? Two business days keeps candidates."),
                "days",
            ),
            Question(
                "interview_availability",
                _("Interview availability"),
                _("Which days and times are held for interviews?"),
                "line",
            ),
            Question(
                "decision_days",
                _("Decision after the final interview (business days)"),
                _("23% of candidates lose interest after a week without news."),
                "days",
            ),
        ),
    ),
    Section(
        "communication",
        _("How we keep each other informed"),
        _("How and how often the manager wants to hear from the recruiter."),
        (
            Question(
                "update_channel",
                _("Preferred channel"),
                _("Where do updates and requests reach you fastest?"),
                "choice",
            ),
            Question(
                "update_frequency",
                _("Frequency of updates"),
                _("How often would you like a status?"),
                "choice",
            ),
            Question(
                "best_times", _("Best days and times"), _("When are you easiest to reach?"), "line"
            ),
            Question(
                "update_time_zone",
                _("Time zone"),
                _("Reminders and meetings respect it."),
                "choice",
            ),
        ),
    ),
    Section(
        "personas",
        _("Personas"),
        _("The ideal candidate as a story, and one or two other profiles that would also succeed."),
        (
            Question(
                "ideal_persona",
                _("The ideal candidate"),
                _("Describe them as a person: background, what they have done, what they want."),
            ),
            Question(
                "alternative_personas",
                _("Other profiles that would succeed"),
                _("A different path to the same results, e.g. from an adjacent industry."),
            ),
        ),
    ),
)

QUESTIONS: Final[dict[str, Question]] = {q.field: q for s in SECTIONS for q in s.questions}
TEXT_FIELDS: Final = tuple(f for f, q in QUESTIONS.items() if q.kind in ("text", "line"))
SUCCESS_FIELDS: Final = ("success_30", "success_60", "success_90", "success_year")
COMMUNICATION_FIELDS: Final = ("update_channel", "update_frequency")
# The answers a manager's next intake can start from (not the role-specific ones).
CARRYABLE_FIELDS: Final = (
    "team_context",
    "past_misstep",
    "who_thrives",
    "who_struggled",
    "selling_points",
    "deal_breakers",
    "process_notes",
    "review_days",
    "interview_availability",
    "decision_days",
    "update_channel",
    "update_frequency",
    "best_times",
    "update_time_zone",
)
