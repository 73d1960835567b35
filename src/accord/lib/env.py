"""Typed readers for environment variables.

Each reader names the variable when its value is malformed, so a typo in a deployment stops
start-up with a message an operator can act on instead of a traceback deep inside Django.
"""

import os
from collections.abc import Sequence
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class ConfigError(ImproperlyConfigured):
    """A setting read from the environment is missing or malformed."""


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean: use one of true/false, yes/no, 1/0.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name}={number} is too small: it must be at least {minimum}.")
    return number


def env_list(name: str, default: Sequence[str] = ()) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    value = env_str(name, default).lower()
    if value not in choices:
        raise ConfigError(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def env_url(name: str, default: str, schemes: Sequence[str]) -> str:
    value = env_str(name, default)
    parts = urlsplit(value)
    # A host is required: "https:accord.example.com" (a typo) would make every link broken.
    if parts.scheme not in schemes or not parts.netloc:
        raise ConfigError(
            f"{name}={value!r} is not a URL starting with "
            f"{' or '.join(s + '://' for s in schemes)}."
        )
    return value


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    if value not in available_timezones():
        raise ConfigError(f"{name}={value!r} is not an IANA time zone such as Europe/Paris or UTC.")
    return value
