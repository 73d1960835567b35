"""The browser fixtures are in tests/browser/fixtures.py, registered for the whole suite by the
root conftest; the names below are re-exported for the tests that open pages themselves."""

from tests.browser.fixtures import DESKTOP, PHONE, new_page

__all__ = ["DESKTOP", "PHONE", "new_page"]
