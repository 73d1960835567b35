"""Why a resume could not be read, in words a recruiter can act on.

The child process that reads a file never translates anything: it reports a `Reason` and a few
numbers (`Failure`), and the parent turns that into a `ParseError` in the user's language. Django
is imported only for that, so the child starts without it.
"""

from enum import StrEnum
from typing import Any


class Reason(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNKNOWN_TYPE = "unknown_type"
    WRONG_TYPE = "wrong_type"  # recognised, but not a resume format (an image, a spreadsheet…)
    LEGACY_WORD = "legacy_word"
    BINARY_TEXT = "binary_text"
    ENCRYPTED_PDF = "encrypted_pdf"
    ENCRYPTED_DOCX = "encrypted_docx"
    CORRUPT_PDF = "corrupt_pdf"
    CORRUPT_DOCX = "corrupt_docx"
    ZIP_BOMB = "zip_bomb"
    INVALID_JSON = "invalid_json"
    NOT_JSON_RESUME = "not_json_resume"
    SCANNED_PDF = "scanned_pdf"
    NO_TEXT = "no_text"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CRASHED = "crashed"


class Failure(Exception):
    """Raised inside the reader (child process): a reason and its numbers, no translated text."""

    def __init__(self, reason: Reason, **params: Any) -> None:
        super().__init__(reason.value, params)
        self.reason = reason
        self.params = params


class ParseError(Exception):
    """A resume that could not be read; str() is the user-facing reason and what to do."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


def _(message: str) -> str:
    from django.utils.translation import gettext

    return gettext(message)


def _formats() -> str:
    return _("Upload a PDF, Word (.docx), plain-text or JSON Resume file.")


def filesizeformat(size: int) -> str:
    # Imported here: the reader process imports this module and should not load templates.
    from django.template.defaultfilters import filesizeformat

    return filesizeformat(size)


def parse_error(reason: Reason, **params: Any) -> ParseError:
    """The ParseError for `reason`, its message filled in from `params`."""
    return ParseError(reason, _message(reason, params))


def _message(reason: Reason, params: dict[str, Any]) -> str:
    match reason:
        case Reason.EMPTY:
            return _("This file is empty. Check you picked the right file and upload it again.")
        case Reason.TOO_LARGE:
            return _(
                "This file is %(size)s, larger than the %(limit)s limit. Upload a smaller copy, "
                "for example a PDF exported without large images."
            ) % {
                "size": filesizeformat(params.get("size", 0)),
                "limit": filesizeformat(params.get("limit", 0)),
            }
        case Reason.WRONG_TYPE:
            what = _(str(params.get("what", ""))) % {"label": params.get("label", "")}
            return _("This looks like %(what)s, not a resume.") % {"what": what} + (
                " " + _formats()
            )
        case Reason.LEGACY_WORD:
            return _(
                "This is an old-style Word (.doc) file, which can't be read safely. Open it in "
                "Word, save it as .docx or PDF, and upload that."
            )
        case Reason.BINARY_TEXT:
            return _(
                "This file holds binary data (NUL bytes), so it is not a plain-text resume."
            ) + (" " + _formats())
        case Reason.ENCRYPTED_PDF:
            return _(
                "This PDF is password-protected. Upload a copy without a password (open it and "
                "print or export it to a new PDF)."
            )
        case Reason.ENCRYPTED_DOCX:
            return _(
                "This Word file is password-protected. Remove the password in Word (File › Info "
                "› Protect Document) or export a PDF, and upload that."
            )
        case Reason.CORRUPT_PDF:
            return _(
                "This PDF is damaged or incomplete (perhaps cut off during a download). Export "
                "or download it again and upload the new copy."
            )
        case Reason.CORRUPT_DOCX:
            return _(
                "This Word file is damaged or incomplete. Open it in Word and save it again, or "
                "upload a PDF of it."
            )
        case Reason.ZIP_BOMB:
            return _(
                "This Word file would unpack to far more data than a resume holds (%(detail)s), "
                "so it was not opened. Save it again from Word or upload a PDF of it."
            ) % {"detail": _zip_detail(params)}
        case Reason.INVALID_JSON:
            if not isinstance(params.get("line"), int):
                return _("This is not valid JSON (%(error)s). Fix the file or export it again.") % {
                    "error": params.get("error", "")
                }
            return _(
                "This is not valid JSON (line %(line)s, column %(column)s: %(error)s). Fix the "
                "file or export it again."
            ) % {
                "line": params["line"],
                "column": params.get("column", "?"),
                "error": params.get("error", ""),
            }
        case Reason.NOT_JSON_RESUME:
            return _(
                "This JSON file is not a JSON Resume: it has no basics, work or education "
                "section. Upload a JSON Resume (jsonresume.org) or the resume as PDF or Word."
            )
        case Reason.SCANNED_PDF:
            return _(
                "This PDF has no text: it looks like a scanned image. Upload a PDF with "
                "selectable text or a Word file, or run text recognition (OCR) on it first."
            )
        case Reason.NO_TEXT:
            return _("No text was found in this file. Check it is the resume and upload it again.")
        case Reason.TIMEOUT:
            return _(
                "Reading this file took longer than %(seconds)s seconds, so it was stopped. "
                "Upload a simpler copy, for example a PDF exported from Word."
            ) % {"seconds": params.get("seconds", "?")}
        case Reason.MEMORY:
            return _(
                "Reading this file needed more than %(megabytes)s MB of memory, so it was "
                "stopped. Upload a simpler copy, for example a PDF exported from Word."
            ) % {"megabytes": params.get("megabytes", "?")}
        case Reason.CRASHED:
            return _(
                "The reader stopped unexpectedly on this file, which may be damaged. Save it "
                "again (or as PDF) and upload the new copy."
            )
        case Reason.UNKNOWN_TYPE:
            return _("This file is not a format Accord can read.") + (" " + _formats())


def _zip_detail(params: dict[str, Any]) -> str:
    if "members" in params:
        return _("%(members)s parts") % {"members": params["members"]}
    if "ratio" in params:
        return _("compressed %(ratio)s times") % {"ratio": params["ratio"]}
    return _("%(size)s unpacked") % {"size": filesizeformat(params.get("size", 0))}
