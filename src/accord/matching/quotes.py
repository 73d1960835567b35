"""The resume's own words: quotes cut at sentence and line breaks, skill labels matched as
whole words, and the wording of the engine's explanations."""

import re
from collections.abc import Sequence

QUOTE_LIMIT = 180
EVIDENCE_LIMIT = 1000

WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]|[A-Za-z]")
# Words that say how much or how well rather than what: never evidence on their own.
STOPWORDS = frozenset(
    """a about above across after all also an and any are as at be been being both but by can
    could did do does done during each either experience experienced expert expertise for from
    good great had has have having hands-on in including into is it its just knowledge least
    level like minimum more most must need needs nice not of on one or other our over own plus
    proficiency proficient proven should show shows skill skills solid some strong such than
    that the their them then there these they this those through to understanding up use used
    using very was we well were what when where which who will with within work worked working
    would year years yrs you your ability able familiarity familiar demonstrated background
    preferred required requirement requirements desired bonus advantage excellent
    """.split()  # noqa: SIM905 (a word list reads better as prose than as 150 quoted strings)
)


def significant_words(text: str) -> tuple[str, ...]:
    words = []
    for word in WORD.findall(text):
        low = word.lower()
        if low not in STOPWORDS and (len(low) > 2 or not low.isalpha()) and low not in words:
            words.append(low)
    return tuple(words)


PATTERNS: dict[str, re.Pattern[str]] = {}


def label_pattern(label: str) -> re.Pattern[str]:
    """The label as whole words: 'C#' doesn't match 'C', 'Go' doesn't match 'good'. Short
    labels match their case exactly ('Go' is not 'go')."""
    pattern = PATTERNS.get(label)
    if pattern is None:
        words = [re.escape(w) for w in label.split()]
        body = r"[\s\-/]*".join(words) if words else re.escape(label)
        flags = 0 if len(label) <= 3 else re.IGNORECASE
        pattern = re.compile(rf"(?<![\w+#.])(?:{body})(?![\w+#]|\.\w)", flags)
        if len(PATTERNS) < 4096:
            PATTERNS[label] = pattern
    return pattern


def word_in(word: str, chunk: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word)}", chunk) is not None


def first_word_span(text: str, start: int, end: int, words: Sequence[str]) -> tuple[int, int]:
    chunk = text[start:end].lower()
    positions = [chunk.find(w) for w in words if chunk.find(w) >= 0]
    at = start + min(positions) if positions else start
    return (at, at)


def passages(text: str) -> list[tuple[int, int]]:
    """Lines, and within long lines sentences: the unit a quote stays inside."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        if line.end() - line.start() <= QUOTE_LIMIT:
            spans.append(line.span())
            continue
        for sentence in re.finditer(r"[^.!?;]+[.!?;]?", line.group()):
            spans.append((line.start() + sentence.start(), line.start() + sentence.end()))
    return spans


BREAKS = ("\n", ". ", "; ", "•", "|", "\t")


def quote(text: str, span: tuple[int, int]) -> str:
    """The resume's own words around a span: its line or sentence, cut to QUOTE_LIMIT around
    the span with an ellipsis, whitespace collapsed."""
    start, end = span
    lefts = [text.rfind(p, 0, start) + len(p) for p in BREAKS if text.rfind(p, 0, start) >= 0]
    rights = [i for i in (text.find(p, end) for p in BREAKS) if i >= 0]
    lo = max(lefts, default=0)
    hi = min(rights, default=len(text))
    if text[hi : hi + 1] == ".":
        hi += 1
    lead, trail = "", ""
    if hi - lo > QUOTE_LIMIT:
        half = (QUOTE_LIMIT - (end - start)) // 2
        new_lo = max(lo, start - max(half, 20))
        new_hi = min(hi, new_lo + QUOTE_LIMIT)
        # Whole words only: move the cuts to the nearest spaces outside the span.
        space = text.find(" ", new_lo, start)
        new_lo = space + 1 if new_lo > lo and space >= 0 else new_lo
        space = text.rfind(" ", end, new_hi)
        new_hi = space if new_hi < hi and space >= 0 else new_hi
        lead = "…" if new_lo > lo else ""
        trail = "…" if new_hi < hi else ""
        lo, hi = new_lo, new_hi
    words = " ".join(text[lo:hi].split()).strip(" ,:-–")
    return f"{lead}{words}{trail}"


def cap(text: str) -> str:
    return text if len(text) <= EVIDENCE_LIMIT else text[: EVIDENCE_LIMIT - 1] + "…"


def listed(words: Sequence[str]) -> str:
    quoted = [f"“{w}”" for w in words]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def years_text(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"
