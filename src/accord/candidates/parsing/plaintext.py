"""Plain-text resumes: decoding bytes whose encoding nobody declared."""

import codecs
import unicodedata

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark declares, and the mark's length."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'-be' for mostly-ASCII UTF-16 without a BOM (every other byte is NUL)."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """Text from bytes: a BOM's encoding, else UTF-16 by its NULs, else UTF-8, else Windows-1252
    (a superset of Latin-1 for the printable range), else Latin-1, which never fails."""
    declared = bom_encoding(data)
    if declared:
        encoding, skip = declared
        return data[skip:].decode(encoding, errors="replace")
    utf16 = utf16_without_bom(data)  # before UTF-8, which accepts the NULs of UTF-16
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def control_ratio(text: str) -> float:
    """The share of control characters (other than line breaks and tabs): ~0 for text,
    ~0.1–0.25 for binary data."""
    if not text:
        return 0.0
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS
    )
    return controls / len(text)
