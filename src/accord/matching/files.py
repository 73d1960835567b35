"""Briefs and resumes read from files, for `accord match` and the ranking benchmark."""

import json
from pathlib import Path

from accord.matching import engine
from accord.matching.brief_file import BriefFile, BriefFileError, read_brief


class FileProblem(Exception):
    """A brief file that can't be used, with what to do about it."""


def load_brief(path: Path) -> BriefFile:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileProblem(f"{path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise FileProblem(f"{path}: can't read it ({error}).") from None
    except json.JSONDecodeError as error:
        raise FileProblem(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    try:
        return read_brief(data)
    except BriefFileError as error:
        raise FileProblem(f"{path}: {error}") from None


def resume_files(folder: Path) -> list[Path]:
    """The folder's files (not its subfolders or hidden files), '2.docx' before '10.docx'."""
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
        key=lambda p: natural(p.name),
    )


def natural(name: str) -> tuple[int, int, str]:
    stem, _, ext = name.partition(".")
    return (0, int(stem), ext) if stem.isdecimal() else (1, 0, name)


def profile_of_file(path: Path, finder: engine.SkillFinder) -> engine.Profile | str:
    """The engine's profile of one resume file, or why it couldn't be read."""
    from accord.candidates.parsing import ParseError, parse_resume

    try:
        parsed = parse_resume(path.read_bytes(), filename=path.name)
    except ParseError as error:
        return str(error)
    except OSError as error:
        return f"Can't read the file: {error.strerror or error}."
    return engine.build_profile(
        text=parsed.text,
        work=parsed.work,
        finder=finder,
        years_total=parsed.years_experience,
    )
