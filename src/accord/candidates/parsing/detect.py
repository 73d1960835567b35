"""What a file is, from its bytes alone: names and extensions are whatever the uploader chose."""

import re

import filetype  # type: ignore[import-untyped]  # filetype ships no type information

from accord.candidates.parsing import plaintext
from accord.candidates.parsing.errors import Failure, Reason
from accord.candidates.parsing.kinds import DOCX, JSON, PDF, TEXT


def gettext_noop(message: str) -> str:
    """Marks a string for translation (makemessages finds it by this name) without touching
    Django's settings: the sandboxed reader imports this module and has none."""
    return message


N_ = gettext_noop

_SAMPLE = 64 * 1024
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file: .doc, .xls, encrypted OOXML
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# Names for files that are recognisably not resumes; the message says "This looks like …".
_APPLICATION_NAMES = {
    "zip": N_("a ZIP archive"),
    "tar": N_("a TAR archive"),
    "rar": N_("a RAR archive"),
    "gz": N_("a compressed (gzip) file"),
    "bz2": N_("a compressed (bzip2) file"),
    "7z": N_("a 7-Zip archive"),
    "xz": N_("a compressed (xz) file"),
    "zst": N_("a compressed (zstd) file"),
    "exe": N_("a Windows program"),
    "elf": N_("a program"),
    "sqlite": N_("a database file"),
    "rtf": N_("a Rich Text (.rtf) document — save it as .docx or PDF"),
    "ps": N_("a PostScript file"),
    "xlsx": N_("an Excel spreadsheet"),
    "xls": N_("an Excel spreadsheet"),
    "pptx": N_("a PowerPoint presentation"),
    "ppt": N_("a PowerPoint presentation"),
    "odt": N_("an OpenDocument text — save it as .docx or PDF"),
    "ods": N_("an OpenDocument spreadsheet"),
    "odp": N_("an OpenDocument presentation"),
    "epub": N_("an e-book (EPUB)"),
    "woff": N_("a font"),
    "woff2": N_("a font"),
    "ttf": N_("a font"),
    "otf": N_("a font"),
}
# Members that identify what a ZIP-based file is, looked for in the raw bytes so nothing is
# decompressed (or even parsed) before the sandbox.
_ZIP_MEMBERS = (
    (b"word/document", DOCX),
    (b"xl/workbook", N_("an Excel spreadsheet")),
    (b"ppt/presentation", N_("a PowerPoint presentation")),
    (
        b"application/vnd.oasis.opendocument.text",
        N_("an OpenDocument text — save it as .docx or PDF"),
    ),
    (b"application/vnd.oasis.opendocument", N_("an OpenDocument file")),
    (b"application/epub+zip", N_("an e-book (EPUB)")),
)


def detect(data: bytes) -> str:
    """The ResumeKind value of `data`, or Failure naming what it looks like."""
    if not data.strip():
        raise Failure(Reason.EMPTY)
    head = data[:1024]
    if b"%PDF-" in head:  # readers accept junk before the header, and so do we
        return PDF
    if data.startswith(_ZIP_MAGICS):
        return _zip_kind(data)
    if data.startswith(_CFB_MAGIC):
        raise _compound_file_failure(data)
    guess = filetype.guess(data[:8192])
    if guess is not None:
        raise _describe(guess.extension, guess.mime)
    return _text_kind(data)


def _zip_kind(data: bytes) -> str:
    for marker, kind in _ZIP_MEMBERS:
        if marker in data:
            if kind == DOCX:
                return DOCX
            raise Failure(Reason.WRONG_TYPE, what=kind)
    raise Failure(Reason.WRONG_TYPE, what=_APPLICATION_NAMES["zip"])


def _compound_file_failure(data: bytes) -> Failure:
    # Password-protected .docx files are compound files holding an "EncryptedPackage" stream;
    # directory entry names are UTF-16LE.
    if "EncryptedPackage".encode("utf-16-le") in data:
        return Failure(Reason.ENCRYPTED_DOCX)
    if "WordDocument".encode("utf-16-le") in data:
        return Failure(Reason.LEGACY_WORD)
    return Failure(Reason.WRONG_TYPE, what=N_("an old Microsoft Office file (Excel or PowerPoint)"))


def _describe(extension: str, mime: str) -> Failure:
    if extension in _APPLICATION_NAMES:
        return Failure(Reason.WRONG_TYPE, what=_APPLICATION_NAMES[extension])
    kind = mime.split("/", 1)[0]
    templates = {
        "image": N_("a %(label)s image"),
        "video": N_("a %(label)s video"),
        "audio": N_("a %(label)s audio file"),
    }
    template = templates.get(kind, N_("a %(label)s file"))
    return Failure(Reason.WRONG_TYPE, what=template, label=extension.upper())


def _text_kind(data: bytes) -> str:
    sample = data[:_SAMPLE]
    declared = plaintext.bom_encoding(sample) or (
        (plaintext.utf16_without_bom(sample), 0) if plaintext.utf16_without_bom(sample) else None
    )
    if declared is None and b"\x00" in data:
        # Text with NUL bytes in it is either binary junk or a text file that something mangled.
        without_nuls = plaintext.decode(sample.replace(b"\x00", b""))
        if plaintext.control_ratio(without_nuls) < 0.02:
            raise Failure(Reason.BINARY_TEXT)
        raise Failure(Reason.UNKNOWN_TYPE)
    text = plaintext.decode(sample)
    if plaintext.control_ratio(text) > 0.02:
        raise Failure(Reason.UNKNOWN_TYPE)
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{") or re.match(r"\[\s*[\[{\"\d\]-]", stripped):
        return JSON
    lowered = stripped[:200].lower()
    if lowered.startswith(("<!doctype html", "<html")):
        raise Failure(Reason.WRONG_TYPE, what=N_("a web page (HTML)"))
    if lowered.startswith("<?xml") or lowered.startswith("<svg"):
        raise Failure(Reason.WRONG_TYPE, what=N_("an XML document"))
    return TEXT
