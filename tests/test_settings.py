"""Start-up through the real `accord` entry point: malformed settings stop it with a clear message.

Each test runs `python -m accord check` in a subprocess with an environment it controls, because
settings are read once per process.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

import accord.settings

SETTINGS_SOURCE = Path(accord.settings.__file__).read_text()
# Every variable the settings read, so a test starts from none of them set.
ACCORD_VARIABLES = frozenset(re.findall(r'env_[a-z_]+\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "accord.example.com",
    "SITE_URL": "https://accord.example.com",
    "EMAIL_HOST": "127.0.0.1",
}


def test_the_variable_list_is_read_from_the_settings():
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_PORT"} <= (
        ACCORD_VARIABLES
    )


def accord(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        # conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a deployment never does.
        if name not in ACCORD_VARIABLES | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(ACCORD_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "accord", *(args or ("check",))],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def refuses(result: subprocess.CompletedProcess[str], variable: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.startswith("accord: configuration error: "), result.stderr
    assert variable in result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_local_development_starts_with_debug_and_nothing_else(tmp_path):
    result = accord(tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "extra", "explains"),
    [
        ("EMAIL_PORT", "abc", {"EMAIL_HOST": "127.0.0.1"}, "EMAIL_PORT='abc' is not a whole"),
        ("EMAIL_PORT", "0", {"EMAIL_HOST": "127.0.0.1"}, "EMAIL_PORT=0 is too small"),
        ("DEBUG", "maybe", {}, "DEBUG='maybe' is not a boolean"),
        ("DATABASE_URL", "mysql://x", {}, "Accord supports sqlite:/// and postgres://"),
        ("TIME_ZONE", "Mars/Olympus", {}, "TIME_ZONE='Mars/Olympus' is not an IANA time zone"),
        ("SITE_URL", "ftp://x", {}, "SITE_URL='ftp://x' is not a URL starting with http://"),
        ("SITE_URL", "https:accord.example.com", {}, "is not a URL starting with http://"),
        ("TASK_BACKEND", "celery", {}, "TASK_BACKEND='celery' is not one of: database, rq"),
        ("INVITATION_TTL_DAYS", "a week", {}, "INVITATION_TTL_DAYS='a week' is not a whole"),
        ("LOGIN_FAILURE_LIMIT", "0", {}, "LOGIN_FAILURE_LIMIT=0 is too small"),
        ("LOG_LEVEL", "loud", {}, "LOG_LEVEL='loud' is not one of"),
        ("EMAIL_USE_TLS", "true", {"EMAIL_USE_SSL": "true"}, "EMAIL_USE_TLS and EMAIL_USE_SSL"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(
    tmp_path, variable, value, extra, explains
):
    result = accord(tmp_path, **{"DEBUG": "true", variable: value, **extra})

    stderr = refuses(result, variable)
    assert explains in stderr
    assert result.stdout == ""


def test_without_debug_a_secret_key_is_required(tmp_path):
    env = {**PRODUCTION}
    del env["SECRET_KEY"]
    stderr = refuses(accord(tmp_path, **env), "SECRET_KEY")
    assert "SECRET_KEY is not set" in stderr


def test_without_debug_an_empty_secret_key_is_refused_too(tmp_path):
    stderr = refuses(accord(tmp_path, **{**PRODUCTION, "SECRET_KEY": "  "}), "SECRET_KEY")
    assert "SECRET_KEY is not set" in stderr


def test_without_debug_allowed_hosts_are_required(tmp_path):
    env = {**PRODUCTION}
    del env["ALLOWED_HOSTS"]
    stderr = refuses(accord(tmp_path, **env), "ALLOWED_HOSTS")
    assert "ALLOWED_HOSTS is not set" in stderr


def test_without_debug_an_email_host_is_required(tmp_path):
    env = {**PRODUCTION}
    del env["EMAIL_HOST"]
    stderr = refuses(accord(tmp_path, **env), "EMAIL_HOST")
    assert "EMAIL_HOST is not set" in stderr


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = accord(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "System check identified no issues" in result.stdout


def test_deploy_checks_fail_for_plain_http_in_production(tmp_path):
    # The same check must be able to fail: without HTTPS, secure cookies and HSTS are off.
    env = {**PRODUCTION, "SITE_URL": "http://accord.example.com"}
    result = accord(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode == 1
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE
    assert "security.W004" in result.stderr  # SECURE_HSTS_SECONDS
