"""`accord taxonomy build`: rebuild the shipped skills taxonomy from the public data."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.skills import build
from accord.skills.taxonomy import SYNONYMS_FILE, TAXONOMY_FILE

# A checkout of the project sits beside shared/, which holds the data (shared/data/README.md).
DEFAULT_DATA = Path(__file__).resolve().parents[5].parent / "shared" / "data"


class Command(BaseCommand):
    help = "Build the skills taxonomy from O*NET, ESCO and the curated synonyms."
    requires_system_checks: list[str] = []  # reads files only; needs no database or URLs

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        make = sub.add_parser("build", help="Build data/taxonomy.json.gz (deterministic).")
        make.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the data folder")
        make.add_argument("--synonyms", type=Path, default=SYNONYMS_FILE)
        make.add_argument("--out", type=Path, default=TAXONOMY_FILE)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        data: Path = options["data"]
        missing = [
            name
            for name in (build.ONET_TECH, build.ONET_TITLES, *build.ESCO_COLLECTIONS.values())
            if not (data / name).is_file()
        ]
        if missing:
            raise CommandError(f"{data} lacks {', '.join(missing)}: pass --data DIR.")
        try:
            taxonomy = build.build(data, options["synonyms"])
        except (ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        size = build.write(taxonomy, options["out"])
        self.stdout.write(
            f"{len(taxonomy['skills'])} skills, {len(taxonomy['occupations'])} occupations "
            f"→ {options['out']} ({size / 1e6:.2f} MB)"
        )
