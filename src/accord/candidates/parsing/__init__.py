"""Resume parsing for untrusted files.

`parse_resume(data)` checks the size, detects the format from the content (`sniff`), then reads
the file in a sandboxed child process (see sandbox.py) and returns a `ParsedResume`, or raises
`ParseError` whose text tells the user what was wrong and what to do.
"""

import logging

from accord.candidates.parsing.errors import Failure, ParseError, Reason, parse_error
from accord.candidates.parsing.result import Education, Job, ParsedResume

__all__ = ["Education", "Job", "ParseError", "ParsedResume", "Reason", "parse_resume", "sniff"]

logger = logging.getLogger(__name__)


def sniff(data: bytes) -> str:
    """The ResumeKind value of `data` ("pdf", "docx", "txt" or "json"), from its content alone;
    ParseError naming what it looks like otherwise."""
    from accord.candidates.parsing.detect import detect

    try:
        return detect(data)
    except Failure as failure:
        raise parse_error(failure.reason, **failure.params) from None


def parse_resume(data: bytes, filename: str = "", *, region: str | None = None) -> ParsedResume:
    """Everything Accord can read from a resume file. `filename` is only a hint for the name;
    `region` (e.g. "US") lets phone numbers written without a country code be found."""
    from django.conf import settings

    from accord.candidates.parsing import sandbox

    limit = settings.RESUME_MAX_BYTES
    if len(data) > limit:
        raise parse_error(Reason.TOO_LARGE, size=len(data), limit=limit)
    kind = sniff(data)
    try:
        parsed = sandbox.run(
            kind,
            data,
            filename=filename,
            region=region,
            timeout=settings.RESUME_PARSE_TIMEOUT_SECONDS,
            memory_mb=settings.RESUME_PARSE_MEMORY_MB,
        )
    except Failure as failure:
        if "exception" in failure.params:
            logger.info("resume reader failed on %r: %s", filename, failure.params["exception"])
        raise parse_error(failure.reason, **failure.params) from None
    return ParsedResume.from_dict(parsed)
