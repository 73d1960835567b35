"""Playwright driving Debian's Chromium against pytest-django's live server.

Registered once for the whole suite by the root conftest (`pytest_plugins`), so every folder
shares one Playwright session per worker: a second session in the same process fails.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous waits: the machines running the suite are shared, and a busy one can take seconds to
# answer a page. A wait costs nothing when the page is quick; a test that fails still fails.
WAIT_MS = 20_000
expect.set_options(timeout=WAIT_MS)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(params=["desktop", "phone"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return DESKTOP if request.param == "desktop" else PHONE


def new_page(browser: Browser, viewport: dict[str, int], csp_errors: list[str]) -> Page:
    context = browser.new_context(
        viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE
    )
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    # Any Content-Security-Policy violation (an inline script or handler) fails the test.
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda error: csp_errors.append(str(error)))
    return page


@pytest.fixture
def csp_errors() -> Iterator[list[str]]:
    errors: list[str] = []
    yield errors
    assert errors == [], f"the page broke its Content-Security-Policy or threw: {errors}"


@pytest.fixture
def page(browser: Browser, viewport: dict[str, int], csp_errors: list[str]) -> Iterator[Page]:
    page = new_page(browser, viewport, csp_errors)
    yield page
    page.context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep a screenshot of every open page when a browser test fails (test-results/)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call" and report.failed and "page" in getattr(item, "funcargs", {}):
        from pathlib import Path

        folder = Path("test-results")
        folder.mkdir(exist_ok=True)
        for n, open_page in enumerate(item.funcargs["page"].context.browser.contexts):
            for m, p in enumerate(open_page.pages):
                p.screenshot(path=folder / f"{item.name}-{n}-{m}.png", full_page=True)
