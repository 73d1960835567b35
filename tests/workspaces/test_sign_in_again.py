"""A signed-out person's request sent in place (htmx) sends the whole page to sign in and back
to the page it came from (the access walk checks every URL with a same-site page); here, which
page that is when the browser's page address is missing, foreign, or https behind a proxy."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENDPOINT = "/w/acme/partners/"  # any workspace URL: the decorator answers before the view


@pytest.mark.parametrize(
    ("current_url", "back_to"),
    [
        (
            "http://testserver/w/acme/requisitions/?status=open",
            "/w/acme/requisitions/%3Fstatus%3Dopen",
        ),
        ("https://testserver/w/acme/hires/", "/w/acme/hires/"),  # TLS ended at a proxy
        ("https://elsewhere.example/w/acme/hires/", "/"),
        ("//testserver.evil.example/", "/"),
        ("not a url", "/"),
        (None, "/"),
    ],
)
def test_a_signed_out_htmx_request_goes_to_sign_in_and_back_to_its_page(
    current_url: str | None, back_to: str
) -> None:
    headers = {"HX-Request": "true"}
    if current_url is not None:
        headers["HX-Current-URL"] = current_url
    response = Client().get(ENDPOINT, headers=headers)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/login/?next={back_to}"


def test_a_history_restore_is_an_ordinary_redirect() -> None:
    response = Client().get(
        ENDPOINT, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={ENDPOINT}"
