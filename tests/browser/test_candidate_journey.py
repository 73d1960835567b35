"""Issue 4's acceptance journey: a recruiter uploads resumes into a requisition, searches and
filters the pool, moves a candidate across the board, screens them against the signed brief with
the pre-filled evidence, and sees the ranking. Then the shorter phone variant: the board and the
screen on a 390px screen.

Everything before the browser (the workspace, the people, the signed brief) is made through
services and factories; everything the journey is about goes through the real pages.
"""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from accord.briefs import services as briefs
from accord.briefs.models import BriefVersion, Kind
from accord.candidates.imports import resume_import
from accord.candidates.models import Candidate, Resume, SavedSearch
from accord.pipeline.models import Application, Assessment, StageMove, Verdict
from accord.requisitions.models import Requisition, Status
from accord.workspaces.models import Member, Role
from tests.browser.conftest import DESKTOP, PHONE, new_page
from tests.browser.test_invitation_journey import sign_in
from tests.candidates.hostile import SHARED_DATA
from tests.factories import PASSWORD, MemberFactory, RequisitionFactory, WorkspaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CV_DIR = SHARED_DATA / "cv-docx" / "CV"
# Three of the real CVs: a Python developer (39), a Java developer who ran Kubernetes and some
# Python (5) and a Java backend developer without either (1).
CVS = ("39", "5", "1")

PRIYA = """Priya Raman
Senior Platform Engineer
priya.raman@example.org · +44 20 7946 0958 · Leeds, United Kingdom

Experience

Senior Platform Engineer, Northwind Logistics, March 2019 – present
Built the routing service in Python and Django, and moved it onto Kubernetes.
Runs the team's PostgreSQL clusters and their on-call rota.

Backend Developer, Fabrikam Payments, January 2015 – February 2019
Wrote payment reconciliation jobs in Python against PostgreSQL.

Education
BSc Computer Science, University of Leeds, 2014

Skills: Python, Django, Kubernetes, PostgreSQL, Terraform
"""

BRIEF_ANSWERS = {
    "why_now": "Routing volume tripled; the platform team can't keep up.",
    "success_90": "Owns the routing service's deployment on Kubernetes.",
    "review_days": "2",
    "decision_days": "3",
    "update_channel": "email",
    "update_frequency": "weekly",
}


@dataclass
class Setting:
    recruiter: Member
    manager: Member
    requisition: Requisition
    version: BriefVersion


def signed_requisition(title: str = "Platform Engineer") -> Setting:
    """An open requisition whose brief both sides signed: two must-haves (one linked to the
    Python skill with a minimum of years, one without skills: only a person can judge it) and a
    nice-to-have linked to Kubernetes."""
    workspace = WorkspaceFactory(name="Acme Talent", slug="acme")
    recruiter = MemberFactory(
        workspace=workspace,
        role=Role.RECRUITER,
        user__email="rita@acme.example",
        user__display_name="Rita Recruiter",
    )
    manager = MemberFactory(
        workspace=workspace,
        role=Role.HIRING_MANAGER,
        user__email="hugo@acme.example",
        user__display_name="Hugo Manager",
    )
    requisition = RequisitionFactory(
        workspace=workspace,
        recruiter=recruiter,
        hiring_managers=[manager],
        title=title,
        status=Status.OPEN,
    )
    version = briefs.brief_start(actor=recruiter, requisition=requisition)
    briefs.brief_save_answers(actor=recruiter, version=version, values=BRIEF_ANSWERS, bases={})
    for data in (
        briefs.CriterionInput(
            name="Python 4+ years",
            definition="Has built and run Python services in production for four years or more.",
            skills=({"label": "Python", "min_years": 4},),
        ),
        briefs.CriterionInput(
            name="Mentoring",
            definition="Has helped a junior engineer grow; can name them and what changed.",
        ),
        briefs.CriterionInput(
            name="Kubernetes",
            kind=Kind.NICE,
            weight=4,
            definition="Has deployed and operated services on Kubernetes.",
            skills=({"label": "Kubernetes"},),
        ),
    ):
        briefs.criterion_add(actor=recruiter, version=version, data=data)
    for signer in (recruiter, manager):
        version.refresh_from_db()
        briefs.brief_sign(actor=signer, version=version, revision=version.revision)
    version.refresh_from_db()
    assert version.is_signed
    return Setting(recruiter, manager, requisition, version)


def column(page: Page, name: str) -> Locator:
    return page.get_by_test_id("column").filter(has=page.get_by_role("heading", name=name))


def card(page: Page, name: str) -> Locator:
    return page.locator(".app-card").filter(has_text=name)


def criterion(page: Page, name: str) -> Locator:
    return page.get_by_test_id("criterion").filter(has=page.get_by_role("heading", name=name))


def quotes(text: str) -> list[str]:
    return re.findall(r"“([^”]+)”", text)


def squeezed(text: str) -> str:
    return " ".join(text.split())


def no_sideways_scroll(page: Page) -> None:
    # After a click that navigates, the new document can exist before its <html> does.
    page.wait_for_load_state("load")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, f"the page scrolls sideways: {widths}"


def stage_of(candidate: Candidate) -> str:
    return Application.objects.select_related("stage").get(candidate=candidate).stage.name


def test_recruiter_uploads_searches_moves_screens_and_ranks(
    live_server, browser: Browser, csp_errors: list[str], settings, tmp_path
) -> None:
    if not CV_DIR.is_dir():
        pytest.skip(f"the DOCX CVs are not on this machine ({CV_DIR})")
    settings.MEDIA_ROOT = tmp_path / "media"
    setting = signed_requisition()
    requisition = setting.requisition
    # Someone already in the pool, not in this requisition: the "Whole pool" tab finds them.
    pool = resume_import(
        actor=setting.recruiter,
        data=b"Omar Haddad\nBackend Developer\n\nExperience\n"
        b"Backend Developer, Contoso, 2016 - 2024\nPython services and Kubernetes operators.\n",
        filename="omar-haddad.txt",
    ).candidate
    assert pool is not None
    priya_file = tmp_path / "priya-raman.txt"
    priya_file.write_text(PRIYA)
    page = new_page(browser, DESKTOP, csp_errors)
    base = live_server.url
    sign_in(page, base, "rita@acme.example", PASSWORD)

    # 1. Upload four resumes into the requisition's pipeline through the real form.
    page.goto(f"{base}/w/acme/candidates/upload/")
    page.get_by_label("Resumes").set_input_files([*(CV_DIR / f"{n}.docx" for n in CVS), priya_file])
    expect(page.get_by_text("Files chosen: 4,")).to_be_visible()
    page.get_by_label("Add them to a requisition").select_option(label=requisition.title)
    page.get_by_role("button", name="Upload and import").click()
    # The test settings run tasks at once: the report is complete when the page arrives.
    expect(page.get_by_test_id("import-done")).to_contain_text("4 created", timeout=30_000)
    expect(page.get_by_test_id("item")).to_have_count(4)
    expect(page.get_by_test_id("progress-text")).to_have_text("4 of 4")
    priya = Candidate.objects.get(email="priya.raman@example.org")
    assert priya.name == "Priya Raman"
    assert Application.objects.filter(requisition=requisition).count() == 4
    assert stage_of(priya) == "Sourced"

    # 2. Search: typing updates the results in place, with the match highlighted…
    page.goto(f"{base}/w/acme/candidates/")
    results = page.locator("#results")
    page.get_by_label("Search candidates").press_sequentially("kubernetes", delay=20)
    expect(page).to_have_url(re.compile(r"q=kubernetes"))
    expect(results.get_by_role("link", name="Priya Raman")).to_be_visible()
    expect(results.get_by_role("link", name="Omar Haddad")).to_be_visible()
    expect(results.locator("mark").first).to_have_text(re.compile("kubernetes", re.I))
    hits = results.locator(".search-hit h2")
    mention = Candidate.objects.filter(resumes__text__icontains="kubernetes").distinct()
    expect(hits).to_have_count(mention.count())
    assert sorted(hits.all_inner_texts()) == sorted(c.name for c in mention)
    # …and a filter narrows them to this requisition's applicants (Omar is only in the pool).
    page.get_by_label("Requisition").select_option(label=requisition.title)
    expect(page).to_have_url(re.compile(r"requisition="))
    expect(results.get_by_role("link", name="Omar Haddad")).to_have_count(0)
    expect(results.get_by_role("link", name="Priya Raman")).to_be_visible()
    applied = mention.filter(applications__requisition=requisition)
    assert 0 < applied.count() < mention.count()
    expect(hits).to_have_count(applied.count())
    assert sorted(hits.all_inner_texts()) == sorted(c.name for c in applied)
    page.get_by_label("Name for this search").fill("Kubernetes for Platform")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved “Kubernetes for Platform”.")).to_be_visible()
    expect(page.get_by_role("link", name="Kubernetes for Platform", exact=True)).to_be_visible()
    saved = SavedSearch.objects.get(owner=setting.recruiter)
    assert saved.query == f"q=kubernetes&requisition={requisition.public_id}"

    # 3. The board: "Move to…" takes Priya from Sourced to Screen…
    page.goto(f"{base}/w/acme/requisitions/{requisition.public_id}/pipeline/")
    expect(column(page, "Sourced").get_by_test_id("count")).to_have_text("4")
    card(page, "Priya Raman").get_by_test_id("move-to").click()
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Move to").select_option(label="Screen")
    dialog.get_by_role("button", name="Move").click()
    expect(dialog).to_be_hidden()
    expect(column(page, "Screen").locator(".app-card")).to_contain_text(["Priya Raman"])
    # …a drag takes another candidate there too…
    other = Candidate.objects.exclude(pk__in=[priya.pk, pool.pk]).order_by("pk").first()
    assert other is not None
    card(page, other.name).drag_to(column(page, "Screen").locator(".board-cards"))
    expect(column(page, "Screen").get_by_test_id("count")).to_have_text("2")
    # …and moving anyone to Rejected asks why first.
    card(page, other.name).get_by_test_id("move-to").click()
    dialog.get_by_label("Move to").select_option(label="Rejected")
    dialog.get_by_role("button", name="Move").click()
    expect(dialog).to_contain_text("Choose why the candidate is rejected")
    dialog.get_by_role("link", name="Cancel").click()
    expect(dialog).to_be_hidden()
    page.reload()
    screen = column(page, "Screen").locator(".app-card")
    expect(screen).to_have_count(2)
    expect(screen.filter(has_text="Priya Raman")).to_have_count(1)
    expect(screen.filter(has_text=other.name)).to_have_count(1)
    assert (stage_of(priya), stage_of(other)) == ("Screen", "Screen")
    move = StageMove.objects.filter(application__candidate=priya).latest("pk")
    assert (move.actor, move.from_stage.name, move.to_stage.name) == (
        setting.recruiter,
        "Sourced",
        "Screen",
    )

    # 4. The ranking: Priya comes first, with the reasons beside her.
    page.goto(f"{base}/w/acme/requisitions/{requisition.public_id}/ranking/")
    first = page.get_by_test_id("applicant").first
    expect(first).to_contain_text("Priya Raman")
    # Python met from the resume; mentoring needs a person to judge; Kubernetes is there.
    expect(first).to_contain_text(re.compile(r"1 of 2\s+100%\s+Mentoring"))
    expect(page.get_by_test_id("applicant")).to_have_count(4)
    expect(page.get_by_test_id("applicants").locator("thead")).to_contain_text(
        re.compile("Must-haves.*Nice-to-haves.*Missing")
    )
    first.get_by_test_id("screen-link").click()

    # 5. The screen: suggestions are pre-filled and quote the resume.
    summary = page.get_by_test_id("match-summary")
    expect(summary).to_contain_text("Must-haves 1 of 2")
    python = criterion(page, "Python 4+ years")
    expect(python.get_by_test_id("suggestion")).to_contain_text("Suggested: Met")
    resume = squeezed(Resume.objects.get(candidate=priya).text)
    suggested = python.get_by_test_id("suggestion").inner_text()
    assert quotes(suggested), suggested
    assert all(squeezed(q).rstrip("…") in resume for q in quotes(suggested)), suggested
    evidence = python.locator("textarea").input_value()
    assert quotes(evidence), evidence
    assert all(squeezed(q) in resume for q in quotes(evidence)), evidence
    kubernetes = criterion(page, "Kubernetes")
    expect(kubernetes.get_by_test_id("suggestion")).to_contain_text("Kubernetes")

    # One tap confirms the suggestion as it stands…
    python.get_by_test_id("verdict-met").click()
    expect(python.get_by_test_id("assessed")).to_contain_text("Marked Met by Rita Recruiter")
    expect(python.get_by_test_id("verdict-met")).to_have_attribute("aria-pressed", "true")
    # …and the recruiter writes what the call showed for the criterion no resume can prove.
    mentoring = criterion(page, "Mentoring")
    mentoring.locator("textarea").fill("Mentored two graduates at Northwind; both lead now.")
    mentoring.get_by_test_id("verdict-met").click()
    expect(summary).to_contain_text("Must-haves 2 of 2")
    expect(mentoring.get_by_test_id("assessed")).to_contain_text("Marked Met by Rita Recruiter")
    rows = {
        a.criterion.name: (a.verdict, a.evidence)
        for a in Assessment.objects.filter(application__candidate=priya).select_related("criterion")
    }
    assert rows["Python 4+ years"] == (Verdict.MET, evidence)
    assert rows["Mentoring"] == (
        Verdict.MET,
        "Mentored two graduates at Northwind; both lead now.",
    )

    # 6. Back on the ranking the screen counts, and the whole pool is a tab away.
    page.get_by_role("link", name="Ranking").click()
    first = page.get_by_test_id("applicant").first
    expect(first).to_contain_text("Priya Raman")
    expect(first).to_contain_text("2 of 2")
    page.get_by_test_id("tab-pool").click()
    expect(page.get_by_test_id("tab-pool")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("pool-narrowing")).to_contain_text("Python")
    pool_rows = page.get_by_test_id("pool-candidate")
    expect(pool_rows).to_have_count(1)  # the four applicants are not "the pool" here
    expect(pool_rows.first).to_contain_text("Omar Haddad")


def test_board_and_screen_on_a_phone(
    live_server, browser: Browser, csp_errors: list[str], settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    setting = signed_requisition()
    priya = resume_import(
        actor=setting.recruiter,
        data=PRIYA.encode(),
        filename="priya-raman.txt",
        requisition=setting.requisition,
    ).candidate
    assert priya is not None
    application = Application.objects.get(candidate=priya)
    page = new_page(browser, PHONE, csp_errors)
    base = live_server.url
    sign_in(page, base, "rita@acme.example", PASSWORD)

    # The board: the page never scrolls sideways; the board itself does, a column at a time.
    page.goto(f"{base}/w/acme/requisitions/{setting.requisition.public_id}/pipeline/")
    no_sideways_scroll(page)
    board = page.locator("#board")
    assert board.evaluate("b => b.scrollWidth > b.clientWidth")
    card(page, "Priya Raman").get_by_test_id("move-to").tap()
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box is not None
    assert box["width"] <= PHONE["width"]
    dialog.get_by_label("Move to").select_option(label="Screen")
    dialog.get_by_role("button", name="Move").tap()
    expect(dialog).to_be_hidden()
    expect(column(page, "Screen").get_by_test_id("count")).to_have_text("1")
    assert stage_of(priya) == "Screen"
    no_sideways_scroll(page)

    # The screen: pre-filled, one tap to confirm, and the summary follows.
    page.goto(f"{base}/w/acme/applications/{application.public_id}/screen/")
    summary = page.get_by_test_id("match-summary")
    expect(summary).to_contain_text("Must-haves 1 of 2")
    no_sideways_scroll(page)
    python = criterion(page, "Python 4+ years")
    expect(python.get_by_test_id("suggestion")).to_contain_text("Suggested: Met")
    mentoring = criterion(page, "Mentoring")
    mentoring.locator("textarea").fill("Mentors two graduates, per the call.")
    mentoring.get_by_test_id("verdict-partly").tap()
    expect(mentoring.get_by_test_id("assessed")).to_contain_text("Marked Partly by Rita")
    expect(summary).to_contain_text("Partly: Mentoring")
    python.get_by_test_id("verdict-met").tap()
    expect(python.get_by_test_id("verdict-met")).to_have_attribute("aria-pressed", "true")
    no_sideways_scroll(page)
    assert Assessment.objects.get(application=application, criterion__name="Mentoring").verdict == (
        Verdict.PARTLY
    )

    # The hiring manager, on their phone, follows the board and reads the screen.
    manager = new_page(browser, PHONE, csp_errors)
    sign_in(manager, base, "hugo@acme.example", PASSWORD)
    manager.goto(f"{base}/w/acme/requisitions/{setting.requisition.public_id}/pipeline/")
    expect(column(manager, "Screen").locator(".app-card")).to_contain_text(["Priya Raman"])
    expect(manager.get_by_test_id("move-to")).to_have_count(0)
    no_sideways_scroll(manager)
    manager.goto(f"{base}/w/acme/applications/{application.public_id}/screen/")
    expect(manager.get_by_test_id("match-summary")).to_contain_text("Must-haves 1 of 2")
    expect(criterion(manager, "Mentoring")).to_contain_text("Mentors two graduates, per the call.")
    expect(manager.locator("textarea")).to_have_count(0)
    no_sideways_scroll(manager)
