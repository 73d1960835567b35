"""Signing in and out, login throttling, password reset and the account page."""

import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.people.middleware import TimeZoneMiddleware
from accord.people.models import User
from conftest import Mailbox, client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 7"


@pytest.fixture
def ada(db) -> User:
    return UserFactory(email="ada@acme.example", display_name="Ada Admin")


def sign_in(client: Client, email: str, password: str, **extra):
    return client.post("/login/", {"username": email, "password": password}, **extra)


def signed_in_as(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# --- signing in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["ada@acme.example", "ADA@ACME.EXAMPLE", "Ada@Acme.Example", "  ada@acme.example "]
)
def test_sign_in_with_the_email_in_any_letter_case(ada, typed):
    client = Client()

    response = sign_in(client, typed, PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in_as(client) == ada


def test_sign_in_follows_next(ada):
    client = Client()
    response = client.post(
        "/login/", {"username": ada.email, "password": PASSWORD, "next": "/account/"}
    )
    assert response["Location"] == "/account/"


def test_a_wrong_password_shows_the_error(ada):
    client = Client()

    response = sign_in(client, ada.email, "not the password")

    assert response.status_code == 200
    assert (
        "That email and password do not match. Check both, or reset your password below."
        in response.content.decode()
    )
    assert signed_in_as(client) is None


def test_an_unknown_email_shows_the_same_error(ada):
    response = sign_in(Client(), "nobody@acme.example", PASSWORD)
    assert response.status_code == 200
    assert "That email and password do not match." in response.content.decode()


def test_a_disabled_account_cannot_sign_in(ada):
    User.objects.filter(pk=ada.pk).update(is_active=False)
    client = Client()
    response = sign_in(client, ada.email, PASSWORD)
    assert response.status_code == 200
    assert signed_in_as(client) is None


# --- login throttling ------------------------------------------------------------------------


def fail(client: Client, email: str, times: int) -> list[int]:
    return [sign_in(client, email, "wrong password").status_code for _ in range(times)]


def test_the_limit_is_five(ada):
    assert settings.AXES_FAILURE_LIMIT == 5


def test_after_five_failures_even_the_right_password_is_refused(ada):
    client = Client()
    # Four times the form with its error; the fifth failure already answers with the lockout.
    assert fail(client, ada.email, settings.AXES_FAILURE_LIMIT) == [200, 200, 200, 200, 429]

    response = sign_in(client, ada.email, PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many sign-in attempts" in page
    assert 'href="/password-reset/"' in page
    assert signed_in_as(client) is None


def test_four_failures_do_not_lock_and_success_resets_the_count(ada):
    client = Client()
    assert fail(client, ada.email, settings.AXES_FAILURE_LIMIT - 1) == [200] * 4
    assert sign_in(client, ada.email, PASSWORD).status_code == 302
    client.post("/logout/")

    # The successful sign-in cleared the failures: four more still do not lock.
    assert fail(client, ada.email, settings.AXES_FAILURE_LIMIT - 1) == [200] * 4
    assert sign_in(client, ada.email, PASSWORD).status_code == 302


def test_the_lockout_cannot_be_dodged_by_changing_the_letter_case(ada):
    client = Client()
    typed = ["ada@acme.example", "ADA@acme.example", "Ada@acme.example", "aDa@acme.example"]
    assert [sign_in(client, t, "wrong password").status_code for t in typed] == [200] * 4
    assert sign_in(client, "adA@acme.example", "wrong password").status_code == 429

    response = sign_in(client, "ADA@ACME.EXAMPLE", PASSWORD)

    assert response.status_code == 429
    assert signed_in_as(client) is None


def test_the_lockout_is_for_one_email_from_one_address(ada):
    other = UserFactory(email="bob@acme.example")
    fail(Client(), ada.email, settings.AXES_FAILURE_LIMIT)

    # Another person at the same address still signs in…
    client = Client()
    assert sign_in(client, other.email, PASSWORD).status_code == 302
    assert signed_in_as(client) == other
    # …and so does the same person from another address.
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(elsewhere, ada.email, PASSWORD).status_code == 302
    assert signed_in_as(elsewhere) == ada
    # From the locked-out address, it stays locked.
    assert sign_in(Client(), ada.email, PASSWORD).status_code == 429


# --- signing out -----------------------------------------------------------------------------


def test_logout_is_post_only(ada):
    client = Client()
    client.force_login(ada)

    assert client.get("/logout/").status_code == 405
    assert signed_in_as(client) == ada

    response = client.post("/logout/")
    assert (response.status_code, response["Location"]) == (302, "/login/")
    assert signed_in_as(client) is None


# --- password reset --------------------------------------------------------------------------


def test_password_reset_end_to_end_through_smtp(
    ada, smtp: Mailbox, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/password-reset/", {"email": "ADA@acme.example"})
    assert (response.status_code, response["Location"]) == (302, "/password-reset/sent/")
    assert "Check your email" in client.get(response["Location"]).content.decode()

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "ada@acme.example"
    assert message["Subject"] == "Reset your Accord password"
    body = smtp.text(message)
    assert body.startswith("Hello Ada,")
    match = re.search(r"http://127\.0\.0\.1:8000(/password-reset/[^/\s]+/[^/\s]+/)", body)
    assert match is not None, body
    link = match.group(1)
    html = message.get_body(preferencelist=("html",))
    assert link in html.get_content()

    # Django swaps the token in the link for a session marker, then shows the form.
    opened = client.get(link)
    assert opened.status_code == 302
    form_url = opened["Location"]
    assert form_url.endswith("/set-password/")
    form = client.get(form_url)
    assert form.status_code == 200
    assert "Choose a new password" in form.content.decode()

    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert (done.status_code, done["Location"]) == (302, "/password-reset/done/")
    assert "Your password is changed" in client.get(done["Location"]).content.decode()
    assert signed_in_as(client) == ada  # post_reset_login

    fresh = Client()
    assert sign_in(fresh, "ada@acme.example", NEW_PASSWORD).status_code == 302
    assert signed_in_as(fresh) == ada
    assert sign_in(Client(), "ada@acme.example", PASSWORD).status_code == 200

    # The link worked once.
    again = Client().get(link, follow=True)
    assert again.status_code == 200
    assert "This link no longer works" in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()


def test_password_reset_refuses_a_weak_new_password(
    ada, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/password-reset/", {"email": ada.email})
    link = re.search(r"(/password-reset/[^/\s]+/[^/\s]+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]

    response = client.post(form_url, {"new_password1": "password", "new_password2": "password"})

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)


def test_password_reset_for_an_unknown_email_sends_nothing_but_looks_the_same(
    ada, smtp: Mailbox, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/password-reset/", {"email": "nobody@acme.example"})

    assert (response.status_code, response["Location"]) == (302, "/password-reset/sent/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Check your email" in page.content.decode()
    assert callbacks == []
    assert smtp.messages == []


def test_password_reset_for_a_disabled_account_sends_nothing(
    ada, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=ada.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/password-reset/", {"email": ada.email})
    assert response["Location"] == "/password-reset/sent/"
    assert mailoutbox == []


def test_a_forged_reset_link_does_not_work(ada):
    response = Client().get("/password-reset/MQ/abc-123/", follow=True)
    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


# --- account page ----------------------------------------------------------------------------


def test_account_page_shows_the_persons_details(admin):
    response = client_for(admin).get("/account/")
    assert response.status_code == 200
    page = response.content.decode()
    assert admin.user.email in page
    assert 'value="Ada Admin"' in page


def test_account_page_updates_name_and_time_zone_with_an_audit_entry(admin):
    client = client_for(admin)

    response = client.post(
        "/account/", {"display_name": " Ada Lovelace ", "time_zone": "America/New_York"}
    )

    assert (response.status_code, response["Location"]) == (302, "/account/")
    user = User.objects.get(pk=admin.user.pk)
    assert (user.display_name, user.time_zone) == ("Ada Lovelace", "America/New_York")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.workspace, entry.object_id) == (
        "user.profile_updated",
        user,
        None,
        str(user.pk),
    )
    assert entry.changes == {
        "display_name": ["Ada Admin", "Ada Lovelace"],
        "time_zone": ["Europe/London", "America/New_York"],
    }
    assert entry.actor_name == "Ada Lovelace"
    assert "Your details are saved." in client.get("/account/").content.decode()


def test_account_page_saving_unchanged_details_records_nothing(admin):
    response = client_for(admin).post(
        "/account/", {"display_name": "Ada Admin", "time_zone": "Europe/London"}
    )
    assert response.status_code == 302
    assert not AuditEntry.objects.exists()


def test_account_page_refuses_an_unknown_time_zone(admin):
    response = client_for(admin).post(
        "/account/", {"display_name": "Ada Lovelace", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    user = User.objects.get(pk=admin.user.pk)
    assert (user.display_name, user.time_zone) == ("Ada Admin", "Europe/London")
    assert not AuditEntry.objects.exists()


def test_the_persons_time_zone_lasts_for_their_request_only(admin):
    admin.user.time_zone = "Pacific/Auckland"
    request = RequestFactory().get("/account/")
    request.user = admin.user
    seen = []

    def page(request):
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    TimeZoneMiddleware(page)(request)

    assert seen == ["Pacific/Auckland"]
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_account_page_needs_sign_in(db):
    response = Client().get("/account/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/account/")
