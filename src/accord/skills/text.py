"""Tokens for skill matching: the same rules for the taxonomy's labels and for the text searched.

A token keeps the punctuation that belongs to technology names ("C++", "C#", ".NET", "Node.js",
"R&D", "Raiser's") and splits on everything else, so "CI/CD", "CI / CD" and "CI CD" are the same
two tokens. Tokens are compared in a normal form: compatibility-folded, accents removed,
lower-cased, typographic apostrophes made plain.
"""

import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

TOKEN = re.compile(r"\.?[^\W_](?:[^\W_]|[.'’&](?=[^\W_]))*[+#]*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


class Token(NamedTuple):
    norm: str
    start: int
    end: int


def fold(text: str) -> str:
    """The comparison form of a piece of text: NFKC, no accents, lower case, plain apostrophes."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", text).casefold()


def tokens(text: str) -> Iterator[Token]:
    """The tokens of `text` with their offsets in `text` (not in the folded form)."""
    for match in TOKEN.finditer(text):
        yield Token(fold(match.group()), match.start(), match.end())


def key(text: str) -> str:
    """A label's lookup key: its folded tokens joined by single spaces ("Node.JS" → "node.js")."""
    return " ".join(t.norm for t in tokens(text))
