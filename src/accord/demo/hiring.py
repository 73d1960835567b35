"""Northwind Labs' hiring, as content: the demo's requisitions and their briefs.

Northwind Labs makes scheduling, dispatch and invoicing software for 4,000 field-service
businesses (plumbers, electricians, heating engineers). `demo.builders` tells each story through
the services; this module only says what the people wrote.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from accord.briefs.checks import ADOPTION_YEARS, technologies
from accord.requisitions.models import Level, RemotePolicy

ADA: Final = "admin@northwind.example"
RIYA: Final = "riya@northwind.example"
MARCUS: Final = "marcus@northwind.example"
HANNAH: Final = "hannah@northwind.example"
DAVID: Final = "david@northwind.example"
SOFIA: Final = "sofia@northwind.example"
TOM: Final = "tom@northwind.example"
GRACE: Final = "grace@northwind.example"
OMAR: Final = "omar@northwind.example"


@dataclass(frozen=True)
class Role:
    title: str
    team: str
    location: str
    remote_policy: str
    level: str
    pay: tuple[int, int, str]
    recruiter: str
    managers: tuple[str, ...]
    interviewers: tuple[str, ...] = ()

    def details(self) -> dict[str, Any]:
        low, high, currency = self.pay
        return {
            "title": self.title,
            "team": self.team,
            "location": self.location,
            "remote_policy": self.remote_policy,
            "level": self.level,
            "compensation_min": low,
            "compensation_max": high,
            "currency": currency,
        }


@dataclass(frozen=True)
class Stage:
    name: str
    interviewers: str
    assesses: str


@dataclass(frozen=True)
class Criterion:
    name: str
    definition: str
    where: str  # "resume", "phone", or the name of one of the brief's interview stages
    weight: int | None = None  # nice-to-haves carry a weight; must-haves have none
    skills: tuple[tuple[str, int], ...] = ()  # (label, minimum years)


@dataclass(frozen=True)
class Brief:
    answers: Mapping[str, str]
    stages: tuple[Stage, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    start_in_days: int | None = None  # target start date, counted from the day the demo is built


@dataclass(frozen=True)
class Filled:
    role: Role
    brief: Brief
    days_to_fill: int
    closed_days_ago: int
    # (days open before the pause, days paused, why): time on hold is off the clock.
    hold: tuple[int, int, str] | None = None


@dataclass(frozen=True)
class Revision:
    reason: str
    to_nice: str  # the must-have that becomes a nice-to-have
    weight: int
    answers: Mapping[str, str] = field(default_factory=dict)


# --- the glossary and the workspace's own vague terms ------------------------------------------

GLOSSARY: Final = (
    (
        "strategic thinker",
        "Has owned a technical plan spanning two or more quarters, and can explain the "
        "trade-offs they made and what they would change now.",
        "Engineering",
    ),
    (
        "team player",
        "Can describe a time they changed their own plan to unblock a colleague, and what it "
        "cost them.",
        "",
    ),
    (
        "customer-centric",
        "Can name a product or process change they got made because of what customers told "
        "them, and show the result.",
        "Customer Success",
    ),
    (
        "ownership mentality",
        "Has followed a change of theirs into production and fixed what broke, without being "
        "asked.",
        "Engineering",
    ),
)
VAGUE_TERMS: Final = (
    (
        "scrappy",
        "What would they do with half the budget, or without a team? Tell me about a time you "
        "saw someone do it.",
    ),
    (
        "low ego",
        "What did the person do that made you say it: let others take credit, ask for help, "
        "change their mind in public?",
    ),
)

# --- engineering: shared by Hannah's intakes (the open role carries them over) -----------------

ENGINEERING_STAGES: Final = (
    Stage(
        "Phone screen",
        "Riya Patel",
        "Motivation, on-call, salary and notice; one project they are proud of",
    ),
    Stage(
        "Technical interview",
        "Tom Becker, Grace Kim",
        "Debugging a real (anonymised) incident from our logs; Python and PostgreSQL depth",
    ),
    Stage(
        "System design",
        "Hannah Okafor, Tom Becker",
        "Designing a feature of our product end to end, and writing the trade-offs down",
    ),
    Stage(
        "Team conversation",
        "Grace Kim, the product manager",
        "How they give and take feedback; how they work with product and design",
    ),
)
ENGINEERING_ANSWERS: Final = {
    "team_context": (
        "Five backend engineers, two frontend engineers, a designer and a product manager; "
        "Hannah manages. The team is kind and direct, reviews every change within a day and "
        "pairs on anything risky. What is hard right now: a nine-year-old Django monolith with "
        "a few corners nobody wants to touch, and an on-call rota that is too thin."
    ),
    "past_misstep": (
        "Two years ago we hired a very strong engineer from a large tech company who rewrote a "
        "module in his first fortnight without talking to anyone. The code was good; the team "
        "felt run over and reviews turned into arguments. He heard feedback as an attack and "
        "left after seven months. What would have warned us: in every interview he talked about "
        "what he built alone, never about a disagreement he had resolved."
    ),
    "who_thrives": (
        "People who write things down, ask “who uses this?” before “how do we build it?”, and "
        "leave a codebase tidier than they found it without rewriting it."
    ),
    "who_struggled": (
        "People who need a greenfield project to stay motivated, or who wait to be told what to "
        "pick up next."
    ),
    "process_notes": (
        "No take-home exercise: the technical interview works through a real incident from our "
        "logs, anonymised. References after the final interview, with the candidate’s consent. "
        "Every candidate hears back within two business days of each stage."
    ),
    "review_days": "2",
    "interview_availability": "Tuesdays and Thursdays, 10:00–16:00 London time",
    "decision_days": "3",
    "update_channel": "chat",
    "update_frequency": "weekly",
    "best_times": "Monday mornings, before stand-up",
    "update_time_zone": "Europe/London",
}

# --- the open search, with two signed versions -------------------------------------------------

SENIOR_BACKEND: Final = Role(
    "Senior Backend Engineer",
    "Engineering",
    "London (Shoreditch)",
    RemotePolicy.HYBRID,
    Level.SENIOR,
    (85000, 105000, "GBP"),
    RIYA,
    (HANNAH,),
    (TOM, GRACE),
)
SENIOR_BACKEND_BRIEF: Final = Brief(
    {
        **ENGINEERING_ANSWERS,
        "why_now": (
            "Scheduling is moving from nightly batch jobs to real-time events, so dispatchers "
            "see a change the moment a technician makes it. Two of our five backend engineers "
            "are on the payments migration until the spring, and the events work has no owner. "
            "Without one, the new dispatcher app misses the spring season, when our customers "
            "book the most jobs."
        ),
        "business_goals": (
            "Real-time dispatch for all 4,000 customers by April; halve the “job not updated” "
            "support tickets (31% of the queue today); keep p95 API latency under 300 ms while "
            "traffic doubles."
        ),
        "success_30": (
            "Has shipped a small change to production in the first week, shadowed one on-call "
            "week, and can explain how a job moves from booking to invoice."
        ),
        "success_60": (
            "Owns the design of the event pipeline: a written proposal the team has reviewed, "
            "with the trade-offs between PostgreSQL LISTEN/NOTIFY, a queue and Kafka made "
            "explicit."
        ),
        "success_90": (
            "The first dispatch events run in production for the 50 pilot customers, with "
            "dashboards and alerts the on-call engineer understands."
        ),
        "success_year": (
            "Real-time dispatch is live for every customer and “job not updated” tickets are "
            "down by half. The person mentors one of our mid-level engineers, and the scheduling "
            "module is something people volunteer to work on."
        ),
        "previous_good": (
            "Priya, who moved to lead the payments team, made every incident a lesson: her "
            "post-mortems are still our templates."
        ),
        "previous_better": (
            "She carried too much in her head: when she moved teams we found three services "
            "only she understood."
        ),
        "selling_points": (
            "Work that small businesses feel the week it ships; a calm team with a paid, sane "
            "on-call rota (one week in six once this hire joins); hybrid, two days a week in "
            "Shoreditch; £85–105k plus share options; 30 days’ leave; £1,500 a year to learn."
        ),
        "deal_breakers": (
            "Unwilling to join the on-call rota at all. Needs visa sponsorship: we can’t "
            "sponsor this year."
        ),
        "ideal_persona": (
            "Sam has spent six years building backend systems in Python, the last three at a "
            "scale-up where they moved a batch system to events and can tell you what went "
            "wrong. They have been on call, written the post-mortem and fixed the cause. They "
            "want a smaller company where their work is visible, and a manager who hands them a "
            "problem rather than a ticket."
        ),
        "alternative_personas": (
            "A Go or Ruby engineer from a logistics or marketplace company with event-driven "
            "experience, who would learn Django within weeks. Or a senior engineer from a "
            "consultancy who has delivered several migrations for clients and now wants to own "
            "one system for years."
        ),
    },
    ENGINEERING_STAGES,
    (
        Criterion(
            "Production Python backend experience",
            "Has built and run a Python web service in production for 4+ years, and can walk "
            "through a bug they diagnosed from logs and metrics.",
            "Technical interview",
            skills=(("Python", 4), ("Django", 2)),
        ),
        Criterion(
            "PostgreSQL in depth",
            "Has diagnosed a slow query with EXPLAIN and fixed it with an index or a schema "
            "change, and can explain the trade-off.",
            "Technical interview",
            skills=(("PostgreSQL", 3),),
        ),
        Criterion(
            "Event-driven systems with Kafka",
            "Has designed or run a service that produces or consumes Kafka topics in "
            "production, including how it handles duplicates and ordering.",
            "System design",
            skills=(("Kafka", 2),),
        ),
        Criterion(
            "Strategic thinker",
            "Has owned a technical plan spanning two or more quarters, and can explain the "
            "trade-offs they made and what they would change now.",
            "System design",
        ),
        Criterion(
            "Gives and takes feedback well",
            "Can describe a review or design disagreement where they changed their mind, and "
            "one where they persuaded others, and what they did differently afterwards.",
            "Team conversation",
        ),
        Criterion(
            "Has been on call",
            "Has carried the pager for a production system and written at least one post-mortem.",
            "phone",
            weight=4,
        ),
        Criterion(
            "Mentoring",
            "Has helped a less experienced engineer grow through regular pairing, reviews or "
            "a plan they followed together.",
            "Team conversation",
            weight=3,
        ),
        Criterion(
            "Field-service or logistics products",
            "Has worked on scheduling, dispatch, routing or marketplace software.",
            "resume",
            weight=2,
        ),
    ),
    start_in_days=70,
)
SENIOR_BACKEND_REVISION: Final = Revision(
    reason=(
        "After the first shortlist review: strong candidates from RabbitMQ and SQS shops were "
        "being screened out by the Kafka must-have. What matters is how they design for "
        "duplicates and ordering, not the broker, so Kafka becomes a nice-to-have."
    ),
    to_nice="Event-driven systems with Kafka",
    weight=3,
    answers={
        "alternative_personas": (
            "A Go or Ruby engineer from a logistics or marketplace company with event-driven "
            "experience, who would learn Django within weeks; RabbitMQ or SQS at scale counts "
            "as much as Kafka. Or a senior engineer from a consultancy who has delivered "
            "several migrations for clients and now wants to own one system for years."
        ),
    },
)

# --- intake: the manager has started answering from the emailed link ---------------------------

CS_LEAD: Final = Role(
    "Customer Success Lead",
    "Customer Success",
    "New York",
    RemotePolicy.HYBRID,
    Level.LEAD,
    (90000, 110000, "USD"),
    MARCUS,
    (SOFIA,),
    (GRACE,),
)
CS_LEAD_ANSWERS: Final = {
    "why_now": (
        "We crossed 600 customers in North America and Customer Success is four people "
        "reporting straight to me. Renewals are handled when someone notices, and two of our "
        "ten largest accounts churned last quarter without a single conversation beforehand."
    ),
    "business_goals": (
        "Net revenue retention from 96% to 105% in North America within a year; a health score "
        "and a renewal playbook every manager uses."
    ),
    "team_context": (
        "Four customer success managers, two of them hired this year. Warm, very responsive to "
        "tickets, and reactive: nobody plans their week around accounts at risk."
    ),
    "past_misstep": (
        "We promoted our best CSM to lead the team last year. Customers loved her, but she kept "
        "taking the hardest calls herself instead of coaching, and she asked to step back after "
        "five months. We never discussed what leading would mean day to day."
    ),
    "success_30": "Has met every CSM one to one and sat in on calls with our 20 largest accounts.",
    "success_90": "A renewal calendar with an owner for every account renewing in the next six "
    "months, and the first quarterly business reviews held.",
}

# --- awaiting sign-off: a full intake the alignment checks have plenty to say about ------------

PLATFORM_EM: Final = Role(
    "Engineering Manager, Platform",
    "Platform",
    "Berlin",
    RemotePolicy.HYBRID,
    Level.MANAGER,
    (95000, 120000, "EUR"),
    RIYA,
    (DAVID,),
    (TOM, OMAR),
)
PLATFORM_EM_STAGES: Final = (
    Stage("Phone screen", "Riya Patel", "Motivation, management experience, salary and notice"),
    Stage(
        "Leadership interview",
        "David Müller, Omar Haddad",
        "Managing people: one-to-ones, performance, hiring, saying no",
    ),
    Stage("Technical depth", "Tom Becker", "Kubernetes, Terraform, cloud costs, incidents"),
    Stage(
        "Plan presentation",
        "David Müller, the CTO",
        "A one-page plan for the migration’s next quarter, discussed together",
    ),
)
_PLATFORM_EM_BRIEF: Final = Brief(
    {
        "why_now": (
            "The platform team grew from three to seven engineers this year and I manage it "
            "alongside the infrastructure budget and the SOC 2 audit. One-to-ones get "
            "cancelled, two engineers have asked about their growth path, and the move to "
            "Kubernetes is six weeks late."
        ),
        "business_goals": (
            "Move the last services from virtual machines to Kubernetes by June; pass SOC 2 "
            "Type II without exceptions; cut cloud spend by 15% while traffic doubles."
        ),
        "team_context": (
            "Seven platform engineers in Berlin, London and Dubai: experienced, opinionated, "
            "tired of firefighting. On call every other week is wearing them down. They need "
            "someone who protects their focus and says no to the rest of engineering, kindly."
        ),
        "success_30": (
            "Has had a one-to-one with every engineer and with each team lead who depends on "
            "the platform, and written down what they heard."
        ),
        "success_60": (
            "A migration roadmap with dates the team believes in; on call down to one week in four."
        ),
        "success_90": (
            "The migration is back on plan, and every engineer has a written growth plan "
            "agreed with them."
        ),
        "success_year": (
            "Every service runs on Kubernetes, cloud spend is down 15%, nobody has left the "
            "team and one engineer has been promoted."
        ),
        "past_misstep": (
            "Our last platform lead was a brilliant engineer who kept coding on the critical "
            "path and never delegated. The team waited on him and he burnt out within nine "
            "months. We hired him for his technical depth and never asked how he made time for "
            "people."
        ),
        "who_thrives": (
            "A strategic thinker who is scrappy, enjoys unblocking others more than their own "
            "commits, and brings bad news early."
        ),
        "who_struggled": (
            "People who need a big budget and a roadmap handed to them, or who avoid hard "
            "conversations."
        ),
        "previous_good": "Technical credibility: the engineers trusted his architecture calls.",
        "previous_better": "Delegating, and saying no to requests from other teams.",
        "selling_points": (
            "A strong, senior team that wants a manager; a real migration with budget behind "
            "it; €95–120k plus share options; two days a week in our Berlin office; a seat in "
            "the leadership meeting where platform strategy is decided."
        ),
        "deal_breakers": "Has never managed people, or wants to stay mostly hands-on.",
        "process_notes": (
            "Before the final interview, candidates write a one-page plan for the migration’s "
            "next quarter from a short brief we send; we discuss it together."
        ),
        "review_days": "3",
        "interview_availability": "Mondays and Wednesdays after 13:00 Berlin time",
        "decision_days": "5",
        "update_channel": "email",
        "update_frequency": "weekly",
        "best_times": "Friday afternoons",
        "update_time_zone": "Europe/Berlin",
        "ideal_persona": (
            "An engineering manager with two to four years of managing infrastructure or SRE "
            "teams of five to ten, who still reads pull requests but no longer writes the "
            "critical ones."
        ),
        "alternative_personas": (
            "A senior SRE or staff engineer who has led a migration, now wants to manage, and "
            "can show mentoring they have done."
        ),
    },
    PLATFORM_EM_STAGES,
    (
        Criterion(
            "Has managed engineers",
            "Has been the line manager of at least four engineers for two years or more, "
            "including one difficult performance conversation.",
            "Leadership interview",
        ),
        Criterion(
            "Terraform",
            "Has written and reviewed Terraform modules that other teams use.",
            "Technical depth",
            skills=(("Terraform", 3),),
        ),
        Criterion(
            "Cloud cost management",
            "Has reduced a cloud bill by a measurable amount and can say how.",
            "Technical depth",
        ),
        Criterion(
            "SOC 2 or ISO 27001 audits",
            "Has prepared audit evidence as the owner of infrastructure controls.",
            "resume",
        ),
        Criterion(
            "Has hired engineers",
            "Has been the hiring manager for at least two engineers.",
            "phone",
        ),
        Criterion(
            "On-call leadership",
            "Has designed or changed an on-call rota and can say what improved afterwards.",
            "Leadership interview",
        ),
        Criterion(
            "Excellent communication skills",
            "Excellent communication.",
            "Plan presentation",
        ),
        Criterion(
            "Go",
            "Has written services or internal tools in Go.",
            "resume",
            weight=2,
            skills=(("Go", 2),),
        ),
    ),
    start_in_days=90,
)


def platform_em_brief(year: int) -> Brief:
    """The intake with its Kubernetes must-have, asking for more years than anyone but the
    earliest adopters can have in `year` (10 in 2026), so the contradiction shows in any year."""
    since = technologies()["kubernetes"][1]
    years = max(10, year - since - ADOPTION_YEARS + 1)
    kubernetes = Criterion(
        "Kubernetes expert",
        f"{years}+ years of hands-on experience with Kubernetes in production.",
        "Technical depth",
        skills=(("Kubernetes", years),),
    )
    criteria = _PLATFORM_EM_BRIEF.criteria
    return replace(_PLATFORM_EM_BRIEF, criteria=(criteria[0], kubernetes, *criteria[1:]))


# --- the draft: created, nothing asked yet ----------------------------------------------------

DATA_ANALYST: Final = Role(
    "Data Analyst",
    "Data",
    "London (Shoreditch)",
    RemotePolicy.HYBRID,
    Level.MID,
    (50000, 62000, "GBP"),
    MARCUS,
    (DAVID,),
)

# --- on hold: the search was open, then paused with a reason -----------------------------------

PRODUCT_DESIGNER: Final = Role(
    "Product Designer",
    "Product",
    "Remote (United Kingdom)",
    RemotePolicy.REMOTE,
    Level.SENIOR,
    (70000, 85000, "GBP"),
    RIYA,
    (HANNAH, SOFIA),
    (GRACE,),
)
PRODUCT_DESIGNER_BRIEF: Final = Brief(
    {
        "why_now": (
            "The technician app is rated 3.1 stars; technicians fill in job sheets on paper and "
            "type them up at night. We have one designer for web and mobile, and she spends her "
            "weeks on the web dispatcher."
        ),
        "business_goals": (
            "Raise the technician app to 4.5 stars; half of job sheets completed in the app "
            "within six months of the redesign."
        ),
        "team_context": (
            "One designer, two mobile engineers and a product manager, working with Customer "
            "Success, who hear every complaint first."
        ),
        "success_30": "Has ridden along with three technicians and shared what they saw.",
        "success_90": (
            "A tested prototype of the new job sheet, with five technicians using it for a week."
        ),
        "success_year": "The redesigned app is live and rated 4.5 stars or more.",
        "past_misstep": (
            "A contractor designed a beautiful app that needed two hands and good signal; our "
            "users work up ladders and in basements. He never met a technician."
        ),
        "who_thrives": "Designers who go and watch people work before opening Figma.",
        "selling_points": (
            "Fully remote within the UK; the design of an app 20,000 technicians use every day; "
            "£70–85k plus share options."
        ),
        "deal_breakers": "No shipped mobile work in their portfolio.",
        "review_days": "2",
        "interview_availability": "Wednesdays, 13:00–17:00 London time",
        "decision_days": "3",
        "update_channel": "email",
        "update_frequency": "weekly",
        "best_times": "Wednesday mornings",
        "update_time_zone": "Europe/London",
        "ideal_persona": (
            "A product designer with five years’ experience, two of them on a field or "
            "logistics app, who tests with real users every sprint."
        ),
    },
    (
        Stage("Portfolio review", "Grace Kim, Hannah Okafor", "Shipped mobile work and research"),
        Stage(
            "Design exercise",
            "Sofia Alvarez, Grace Kim",
            "Redesigning a job sheet, live, in 90 minutes",
        ),
    ),
    (
        Criterion(
            "Shipped mobile apps",
            "Shows at least two mobile apps they designed that are in the stores, and what "
            "changed after launch.",
            "Portfolio review",
        ),
        Criterion(
            "Research with users in the field",
            "Can describe a study they ran where they watched people work, and a design "
            "decision it changed.",
            "Design exercise",
        ),
        Criterion(
            "Design systems",
            "Has contributed components to a design system that engineers used.",
            "Portfolio review",
            weight=3,
            skills=(("Figma", 3),),
        ),
    ),
)
PRODUCT_DESIGNER_HOLD: Final = (
    "Paused after the board meeting: the technician app redesign moves to the second quarter, "
    "and its budget with it. We revisit on 15 January; the two candidates in process were told "
    "personally."
)

# --- cancelled -------------------------------------------------------------------------------

SDR: Final = Role(
    "Sales Development Representative",
    "Sales",
    "New York",
    RemotePolicy.ON_SITE,
    Level.JUNIOR,
    (55000, 65000, "USD"),
    MARCUS,
    (SOFIA,),
)
SDR_ANSWERS: Final = {
    "why_now": (
        "Outbound is 10% of our pipeline and nobody owns it; the account executives prospect "
        "on Friday afternoons when they have nothing else on."
    ),
    "success_90": "Twelve qualified meetings a month booked for the account executives.",
}
SDR_CANCELLED: Final = (
    "Cancelled in the annual plan: the budget goes to a second account executive, and an "
    "outbound agency covers prospecting until the revenue targets are reset in January."
)

# --- filled: the history the expected time to fill is computed from ----------------------------


def _engineering(
    why_now: str, success_90: str, criteria: tuple[Criterion, ...], **answers: str
) -> Brief:
    return Brief(
        {**ENGINEERING_ANSWERS, "why_now": why_now, "success_90": success_90, **answers},
        ENGINEERING_STAGES,
        criteria,
    )


_PYTHON: Final = Criterion(
    "Production Python experience",
    "Has built and run a Python web service in production, and can walk through a bug they "
    "diagnosed from logs.",
    "Technical interview",
    skills=(("Python", 2),),
)
_FEEDBACK: Final = Criterion(
    "Gives and takes feedback well",
    "Can describe a review where they changed their mind, and what they did differently next.",
    "Team conversation",
)

FILLED: Final = (
    Filled(
        Role(
            "Backend Engineer",
            "Engineering",
            "London (Shoreditch)",
            RemotePolicy.HYBRID,
            Level.MID,
            (65000, 80000, "GBP"),
            RIYA,
            (HANNAH,),
            (TOM,),
        ),
        _engineering(
            "Invoicing runs out of the same nightly job as scheduling and fails twice a month; "
            "the team needs a fifth backend engineer to split it out.",
            "Invoices are generated by their own service, and the nightly failures have stopped.",
            (
                _PYTHON,
                Criterion(
                    "Relational data modelling",
                    "Has designed tables for a feature with money or dates in it and can explain "
                    "the constraints they chose.",
                    "System design",
                    skills=(("PostgreSQL", 2),),
                ),
                _FEEDBACK,
            ),
        ),
        days_to_fill=41,
        closed_days_ago=240,
    ),
    Filled(
        Role(
            "Backend Engineer (Integrations)",
            "Engineering",
            "London (Shoreditch)",
            RemotePolicy.HYBRID,
            Level.MID,
            (65000, 80000, "GBP"),
            MARCUS,
            (HANNAH,),
            (GRACE,),
        ),
        _engineering(
            "Customers ask for QuickBooks and Xero sync more than anything else; our partner "
            "agreement with Xero needs a working integration by the summer.",
            "The Xero integration is in beta with 30 customers and syncs invoices both ways.",
            (
                _PYTHON,
                Criterion(
                    "Third-party APIs",
                    "Has integrated a third-party API with OAuth and rate limits, and handled "
                    "its outages gracefully.",
                    "Technical interview",
                ),
                _FEEDBACK,
            ),
        ),
        days_to_fill=35,
        closed_days_ago=150,
    ),
    Filled(
        Role(
            "Senior Backend Engineer (Payments)",
            "Engineering",
            "London (Shoreditch)",
            RemotePolicy.HYBRID,
            Level.SENIOR,
            (85000, 105000, "GBP"),
            RIYA,
            (HANNAH,),
            (TOM, GRACE),
        ),
        _engineering(
            "We are moving card payments from our old provider to Stripe, and the engineer who "
            "built the first integration has left.",
            "Card payments for new customers run on Stripe, with reconciliation reports finance "
            "trusts.",
            (
                _PYTHON,
                Criterion(
                    "Payments in production",
                    "Has shipped and operated a payments or billing integration, including "
                    "refunds and failed charges.",
                    "System design",
                ),
                _FEEDBACK,
            ),
            success_year="Every customer is on Stripe and the old provider’s contract has ended.",
        ),
        days_to_fill=52,
        closed_days_ago=70,
        hold=(
            30,
            10,
            "Paused while we renegotiate the payment provider contract; the terms decide "
            "whether this role is needed.",
        ),
    ),
    Filled(
        Role(
            "Customer Success Manager",
            "Customer Success",
            "New York",
            RemotePolicy.HYBRID,
            Level.MID,
            (65000, 80000, "USD"),
            MARCUS,
            (SOFIA,),
            (GRACE,),
        ),
        Brief(
            {
                "why_now": "Each CSM looks after 160 accounts; we want 120 before renewals season.",
                "success_90": "Owns 120 accounts and has held a check-in with each of the top 30.",
                "past_misstep": (
                    "A hire from hospitality was wonderful on the phone but never updated the "
                    "CRM, so nobody could cover her accounts when she was away."
                ),
                "selling_points": "A supportive team; a clear path to Customer Success Lead.",
                "review_days": "2",
                "decision_days": "2",
                "update_channel": "email",
                "update_frequency": "weekly",
                "update_time_zone": "America/New_York",
            },
            (
                Stage("Phone screen", "Marcus Chen", "Motivation and experience"),
                Stage(
                    "Role play",
                    "Sofia Alvarez, Grace Kim",
                    "A renewal call with an unhappy customer",
                ),
            ),
            (
                Criterion(
                    "Account management",
                    "Has owned a book of 50+ B2B accounts with renewal targets.",
                    "phone",
                ),
                Criterion(
                    "Calm with unhappy customers",
                    "In the role play, acknowledges the problem, agrees a next step and a date.",
                    "Role play",
                ),
            ),
        ),
        days_to_fill=33,
        closed_days_ago=45,
    ),
)
