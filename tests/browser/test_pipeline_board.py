"""The board in a real browser: drag and drop, the reason dialog, "Move to…" by keyboard, the bulk
bar, and a phone-sized screen."""

import pytest
from playwright.sync_api import Browser, Page, expect

from accord.pipeline import services
from accord.pipeline.models import Application, Category, StageMove
from accord.pipeline.services.stage_lists import StageSpec
from accord.workspaces.models import Role
from tests.browser.conftest import DESKTOP, PHONE, new_page
from tests.browser.test_invitation_journey import sign_in
from tests.factories import PASSWORD, CandidateFactory, MemberFactory, RequisitionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Wide enough to see every column of a short pipeline at once: a drag here starts and ends on
# screen (dragging to a column scrolled out of view relies on SortableJS's auto-scroll).
WIDE = {"width": 1440, "height": 900}


@pytest.fixture
def setup():
    recruiter = MemberFactory(role=Role.RECRUITER, user__email="rita@acme.example")
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, title="Backend Engineer"
    )
    short = services.template_create(
        actor=recruiter,
        name="Short",
        stages=[
            StageSpec("Sourced", Category.SOURCED),
            StageSpec("Screen", Category.SCREEN),
            StageSpec("Offer", Category.OFFER),
            StageSpec("Hired", Category.HIRED),
            StageSpec("Rejected", Category.REJECTED),
            StageSpec("Withdrawn", Category.WITHDRAWN),
        ],
    )
    services.template_make_default(actor=recruiter, template=short)
    stages = {s.name: s for s in services.stages_for(requisition)}
    people = {}
    for name in ("Ada Lovelace", "Alan Turing", "Grace Hopper"):
        candidate = CandidateFactory(workspace=recruiter.workspace, name=name)
        people[name] = services.application_create(
            actor=recruiter, candidate=candidate, requisition=requisition
        )
    return recruiter, requisition, stages, people


def open_board(page: Page, base: str, requisition) -> None:
    sign_in(page, base, "rita@acme.example", PASSWORD)
    slug = requisition.workspace.slug
    page.goto(f"{base}/w/{slug}/requisitions/{requisition.public_id}/pipeline/")


def column(page: Page, name: str):
    return page.get_by_test_id("column").filter(has=page.get_by_role("heading", name=name))


def card(page: Page, name: str):
    return page.locator(".app-card").filter(has_text=name)


def stage_of(application: Application) -> str:
    return Application.objects.select_related("stage").get(pk=application.pk).stage.name


def test_dragging_cards_between_columns_and_into_rejected_with_a_reason(
    live_server, browser: Browser, csp_errors, setup
):
    _recruiter, requisition, _stages, people = setup
    page = new_page(browser, WIDE, csp_errors)
    open_board(page, live_server.url, requisition)

    card(page, "Ada Lovelace").drag_to(column(page, "Screen").locator(".board-cards"))

    expect(column(page, "Screen").get_by_test_id("count")).to_have_text("1")
    expect(column(page, "Sourced").get_by_test_id("count")).to_have_text("2")
    expect(column(page, "Screen").locator(".app-card")).to_contain_text("Ada Lovelace")
    assert stage_of(people["Ada Lovelace"]) == "Screen"

    # Into a closed column: the reason dialog opens; cancelling puts the card back.
    card(page, "Alan Turing").drag_to(column(page, "Rejected").locator(".board-cards"))
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("link", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(column(page, "Sourced").locator(".app-card")).to_contain_text(["Alan Turing"])
    assert stage_of(people["Alan Turing"]) == "Sourced"

    card(page, "Alan Turing").drag_to(column(page, "Rejected").locator(".board-cards"))
    dialog.get_by_role("button", name="Move").click()  # no reason yet: refused, says why
    expect(dialog).to_contain_text("Choose why the candidate is rejected")
    dialog.get_by_label("Reason (for rejected or withdrawn)").select_option("experience")
    dialog.get_by_role("button", name="Move").click()
    expect(dialog).to_be_hidden()
    expect(column(page, "Rejected").get_by_test_id("count")).to_have_text("1")
    application = Application.objects.get(pk=people["Alan Turing"].pk)
    assert (application.stage.name, application.reason) == ("Rejected", "experience")
    assert StageMove.objects.filter(application=application).count() == 2


def test_move_to_by_keyboard_and_the_bulk_bar(live_server, browser: Browser, csp_errors, setup):
    _recruiter, requisition, _stages, people = setup
    page = new_page(browser, DESKTOP, csp_errors)
    open_board(page, live_server.url, requisition)

    move = card(page, "Grace Hopper").get_by_test_id("move-to")
    move.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Move to").select_option(label="Offer")
    dialog.get_by_label("Note").press("Enter")  # submits the form
    expect(dialog).to_be_hidden()
    expect(column(page, "Offer").locator(".app-card")).to_contain_text("Grace Hopper")
    expect(page.locator("#board-status")).to_have_text("Grace Hopper moved to Offer.")
    assert stage_of(people["Grace Hopper"]) == "Offer"

    for name in ("Ada Lovelace", "Alan Turing"):
        card(page, name).get_by_role("checkbox").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.get_by_label("Action").select_option("tag")
    expect(page.locator("#bulk_to_stage")).to_be_hidden()
    page.get_by_label("Tags (separate with commas)").fill("Shortlist, remote")
    page.get_by_test_id("bulk-submit").click()
    expect(page.get_by_role("status").first).to_contain_text("2 applications tagged.")
    expect(card(page, "Ada Lovelace")).to_contain_text("Shortlist")


def test_the_board_on_a_phone(live_server, browser: Browser, csp_errors, setup):
    _recruiter, requisition, _stages, people = setup
    page = new_page(browser, PHONE, csp_errors)
    open_board(page, live_server.url, requisition)

    # The page itself never scrolls sideways; the board does, a column at a time.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    board = page.locator("#board")
    assert board.evaluate("b => b.scrollWidth > b.clientWidth")
    assert board.evaluate("b => getComputedStyle(b).scrollSnapType").startswith("x")

    card(page, "Ada Lovelace").get_by_test_id("move-to").tap()
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box is not None
    assert box["width"] <= PHONE["width"]
    dialog.get_by_label("Move to").select_option(label="Screen")
    dialog.get_by_role("button", name="Move").tap()
    expect(dialog).to_be_hidden()
    expect(column(page, "Screen").get_by_test_id("count")).to_have_text("1")
    assert stage_of(people["Ada Lovelace"]) == "Screen"


def test_a_move_that_cannot_be_sent_says_so_inside_the_dialog_and_keeps_the_choice(
    live_server, browser: Browser, csp_errors, setup
):
    """The "Move to…" dialog is modal, so the rest of the page is out of reach: the notice that
    a request failed appears inside it, can be closed there, and the choice made is kept."""
    _recruiter, requisition, _stages, people = setup
    page = new_page(browser, PHONE, csp_errors)
    open_board(page, live_server.url, requisition)

    card(page, "Grace Hopper").get_by_test_id("move-to").click()
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Move to").select_option(label="Offer")

    def offline(route) -> None:
        route.abort("internetdisconnected")

    page.route("**/move/", offline)
    dialog.get_by_role("button", name="Move").click()
    problem = dialog.get_by_test_id("request-problem")
    expect(problem).to_contain_text("Accord could not be reached")
    problem.get_by_role("button", name="Close").click()
    expect(problem).to_be_hidden()
    expect(dialog.get_by_label("Move to").locator("option:checked")).to_have_text("Offer")
    assert stage_of(people["Grace Hopper"]) == "Sourced"

    page.unroute("**/move/", offline)
    dialog.get_by_role("button", name="Move").click()
    expect(dialog).to_be_hidden()
    expect(column(page, "Offer").locator(".app-card")).to_contain_text("Grace Hopper")
