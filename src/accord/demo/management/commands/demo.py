from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accord.demo import data
from accord.demo.builders import build_all
from accord.workspaces.models import Role


class Command(BaseCommand):
    help = "Create or complete the demo workspaces (safe to run again; changes nothing then)."

    def handle(self, *args: Any, **options: Any) -> None:
        workspaces = build_all()
        self.stdout.write(
            self.style.SUCCESS("Demo workspaces ready: ") + ", ".join(map(str, workspaces))
        )
        self.stdout.write(
            f"Sign in at {settings.SITE_URL}/login/ with password {data.PASSWORD!r} as:"
        )
        for person in data.logins():
            self.stdout.write(f"  {person.email:<28} {person.name} ({Role(person.role).label})")
