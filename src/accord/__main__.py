"""The `accord` console script: Django's management commands under Accord's settings."""

import os
import sys

# Commands that serve nobody, send nothing and store nothing: they run on a fresh machine
# without the web server's production settings (keys, hosts, mail), as in local development.
OFFLINE_COMMANDS = frozenset({"match"})


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    if len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS:
        os.environ.setdefault("DEBUG", "true")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 (reading a setting loads the module and validates it)
    except ImproperlyConfigured as error:
        sys.stderr.write(f"accord: configuration error: {error}\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
