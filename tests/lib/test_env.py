"""The typed environment readers: good values, defaults, and malformed values named."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from accord.lib.env import (
    FALSE_WORDS,
    TRUE_WORDS,
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_time_zone,
    env_url,
)

VAR = "ACCORD_TEST_VARIABLE"


@pytest.fixture(autouse=True)
def _unset(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)


def config_error(call) -> str:
    with pytest.raises(ConfigError) as raised:
        call()
    message = str(raised.value)
    assert message.startswith(f"{VAR}="), message
    return message


def test_config_error_is_what_django_reports_as_misconfiguration():
    assert issubclass(ConfigError, ImproperlyConfigured)


# --- env_str ---------------------------------------------------------------------------------


def test_env_str_default_when_unset():
    assert env_str(VAR) == ""
    assert env_str(VAR, "fallback") == "fallback"


def test_env_str_strips_and_keeps_an_explicit_empty_value(monkeypatch):
    monkeypatch.setenv(VAR, "  hello world \n")
    assert env_str(VAR, "fallback") == "hello world"
    monkeypatch.setenv(VAR, "")
    assert env_str(VAR, "fallback") == ""


# --- env_bool --------------------------------------------------------------------------------


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_default_when_unset(default):
    assert env_bool(VAR, default) is default


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        (" yes ", True),
        ("On", True),
        ("1", True),
        ("false", False),
        ("No", False),
        ("off", False),
        ("0", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, not expected) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", "y", "enabled", "-1", "true!"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    message = config_error(lambda: env_bool(VAR, False))
    assert message == (f"{VAR}={raw!r} is not a boolean: use one of true/false, yes/no, 1/0.")


@given(
    word=st.sampled_from(sorted(TRUE_WORDS | FALSE_WORDS)),
    flips=st.lists(st.booleans(), min_size=5, max_size=5),
    padding=st.sampled_from(["", " ", "\t", "  \n"]),
    default=st.booleans(),
)
def test_env_bool_round_trip_in_any_case_and_padding(word, flips, padding, default):
    cased = "".join(c.upper() if flip else c for c, flip in zip(word, flips, strict=False))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(VAR, f"{padding}{cased}{padding}")
        assert env_bool(VAR, default) is (word in TRUE_WORDS)


@given(value=st.booleans(), default=st.booleans())
def test_env_bool_reads_back_what_python_writes(value, default):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(VAR, str(value))
        assert env_bool(VAR, default) is value


# --- env_int ---------------------------------------------------------------------------------


def test_env_int_default_when_unset_or_empty(monkeypatch):
    assert env_int(VAR, 25) == 25
    monkeypatch.setenv(VAR, "  ")
    assert env_int(VAR, 25) == 25


@pytest.mark.parametrize(("raw", "expected"), [("587", 587), (" 42 ", 42), ("-3", -3), ("0", 0)])
def test_env_int_reads_whole_numbers(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_int(VAR, 1) == expected


@pytest.mark.parametrize("raw", ["abc", "4.5", "12abc", "0x10", "1e3", "five"])
def test_env_int_refuses_what_is_not_a_whole_number(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert config_error(lambda: env_int(VAR, 1)) == f"{VAR}={raw!r} is not a whole number."


def test_env_int_enforces_the_minimum(monkeypatch):
    monkeypatch.setenv(VAR, "0")
    assert config_error(lambda: env_int(VAR, 25, minimum=1)) == (
        f"{VAR}=0 is too small: it must be at least 1."
    )
    monkeypatch.setenv(VAR, "1")
    assert env_int(VAR, 25, minimum=1) == 1


@given(number=st.integers(min_value=-(10**12), max_value=10**12), default=st.integers())
def test_env_int_round_trip(number, default):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(VAR, str(number))
        assert env_int(VAR, default) == number


@given(number=st.integers(min_value=-1000, max_value=1000), minimum=st.integers(-1000, 1000))
def test_env_int_minimum_holds_for_every_number(number, minimum):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(VAR, str(number))
        if number >= minimum:
            assert env_int(VAR, minimum, minimum=minimum) == number
        else:
            with pytest.raises(ConfigError, match=f"^{VAR}={number} is too small"):
                env_int(VAR, minimum, minimum=minimum)


@given(text=st.text(alphabet=st.characters(categories=["L", "P", "S"]), min_size=1))
def test_env_int_refuses_text_without_digits(text):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(VAR, text)
        with pytest.raises(ConfigError, match=f"^{VAR}=.* is not a whole number"):
            env_int(VAR, 0)


# --- env_list --------------------------------------------------------------------------------


def test_env_list_default_when_unset():
    assert env_list(VAR) == []
    assert env_list(VAR, ("a", "b")) == ["a", "b"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("accord.example.com", ["accord.example.com"]),
        (" a.example , b.example,,c.example ,", ["a.example", "b.example", "c.example"]),
        ("", []),
        (" , ", []),
    ],
)
def test_env_list_splits_on_commas(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_list(VAR, ("default",)) == expected


@given(
    items=st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.-[]:", min_size=1), max_size=6
    )
)
def test_env_list_round_trip(items):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(VAR, " , ".join(items))
        assert env_list(VAR) == items


# --- env_choice ------------------------------------------------------------------------------

CHOICES = ("database", "rq", "immediate")


def test_env_choice_default_when_unset():
    assert env_choice(VAR, "database", CHOICES) == "database"


@pytest.mark.parametrize(("raw", "expected"), [("rq", "rq"), (" Immediate ", "immediate")])
def test_env_choice_reads_a_listed_value_in_any_case(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_choice(VAR, "database", CHOICES) == expected


@pytest.mark.parametrize("raw", ["celery", "", "data base"])
def test_env_choice_refuses_and_lists_the_choices(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert config_error(lambda: env_choice(VAR, "database", CHOICES)) == (
        f"{VAR}={raw.lower()!r} is not one of: database, rq, immediate."
    )


# --- env_url ---------------------------------------------------------------------------------

WEB = ("http", "https")


def test_env_url_default_when_unset():
    assert env_url(VAR, "http://127.0.0.1:8000", WEB) == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "raw",
    ["https://accord.example.com", "http://127.0.0.1:8000", "https://example.com/accord/"],
)
def test_env_url_accepts_urls_with_the_allowed_schemes(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_url(VAR, "http://x", WEB) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "ftp://x",
        "accord.example.com",
        "https://",
        "https:accord.example.com",
        "https:/accord.example.com",
        "",
        "//accord.example.com",
    ],
)
def test_env_url_refuses_other_schemes_and_malformed_urls(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert config_error(lambda: env_url(VAR, "http://x", WEB)) == (
        f"{VAR}={raw!r} is not a URL starting with http:// or https://."
    )


def test_env_url_checks_the_default_too():
    with pytest.raises(
        ConfigError, match=f"^{VAR}='redis://x' is not a URL starting with https://"
    ):
        env_url(VAR, "redis://x", ("https",))


# --- env_time_zone ---------------------------------------------------------------------------


def test_env_time_zone_default_when_unset():
    assert env_time_zone(VAR, "UTC") == "UTC"


@pytest.mark.parametrize("raw", ["Europe/Paris", "America/New_York", " UTC "])
def test_env_time_zone_accepts_iana_names(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_time_zone(VAR, "UTC") == raw.strip()


@pytest.mark.parametrize("raw", ["Mars/Olympus", "CEST+2", "europe/paris", ""])
def test_env_time_zone_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert config_error(lambda: env_time_zone(VAR, "UTC")) == (
        f"{VAR}={raw!r} is not an IANA time zone such as Europe/Paris or UTC."
    )
