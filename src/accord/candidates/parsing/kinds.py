"""The formats Accord reads: accord.candidates.models.ResumeKind values, without Django."""

from typing import Final

PDF: Final = "pdf"
DOCX: Final = "docx"
TEXT: Final = "txt"
JSON: Final = "json"
