"""Contact details, name and location from resume text: general rules, no per-file tuning."""

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Final

import phonenumbers

from accord.candidates.parsing import dates
from accord.candidates.parsing.vocabulary import (
    COUNTRIES,
    COUNTRY_ALIASES,
    NOT_NAME_WORDS,
    US_STATE_NAMES,
    US_STATES,
)

MAX_TEXT_CHARS: Final = 300_000

# Horizontal gaps (a tab, or a run of spaces wide enough to be layout) separate fields on a line.
GAP: Final = "\t"
_GAP_RE = re.compile(r"[ \u00a0]*\t[\s]*|[ \u00a0]{3,}")
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACED_LETTERS_RE = re.compile(r"(?<!\S)(?:[^\W\d_&] ){3,}[^\W\d_&](?!\S)")
_SPACES_RE = re.compile(r"[^\S\t\n]+")
_BULLET_RE = re.compile(r"^[\s•·∙◦▪▫■□●○◆◇►▸▶✓✔➢➤❖*\-–—]+\s*")

EMAIL_RE: Final = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b"
)
_URL_RE = re.compile(
    r"(?<![@\w.])(?:https?://|www\.)[^\s<>\"'`]+"
    r"|(?<![@\w.])(?:[a-z0-9-]+\.)?(?:linkedin\.com|github\.com|gitlab\.com|bitbucket\.org"
    r"|stackoverflow\.com|behance\.net|dribbble\.com|medium\.com|twitter\.com|x\.com"
    r"|kaggle\.com|npmjs\.com|pypi\.org)/[^\s<>\"'`]+",
    re.IGNORECASE,
)
# A host name a browser would go to: dot-separated labels of letters, digits and hyphens
# (any script), ending in a top-level name.
_HOST_RE = re.compile(r"^(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,24}(?::\d{1,5})?$")
_URL_TRAILING = ".,;:!?)]}>'\""

_PHONE_LABEL_RE = re.compile(
    r"(?:\b(?:phone|tel|telephone|mobile|mob|cell|cellphone|ph|whatsapp|contact)\b\.?|[☎✆📞📱])"
    r"[\s:.\-]*",
    re.IGNORECASE,
)
_PHONE_LIKE_RE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")

_LOCATION_LABEL_RE = re.compile(
    r"(?:\b(?:location|address|residence|city of residence|city|based in|lives in|home town"
    r"|current location|place of residence)\b|[⌂📍🏠])[\s:.\-–]*(?P<value>[^\W\d_].*)",
    re.IGNORECASE,
)
_NAME_LABEL_RE = re.compile(r"^\s*(?:full\s+)?name\s*[:\-–]\s*(?P<value>.+)$", re.IGNORECASE)
_OTHER_LABEL_RE = re.compile(
    r"\s+(?:e-?mail|phone|tel|mobile|linked\s*in|github|languages?|date of birth|birth\s*day"
    r"|birth|born|age|citizenship|nationality|marital|status|telegram|whatsapp|skype|portfolio"
    r"|website|web)\b.*$",
    re.IGNORECASE,
)

COUNTRY_NAMES: Final = COUNTRIES | COUNTRY_ALIASES


def is_place(segment: str) -> bool:
    """A country, a US state, or "City, Country"/"City, ST" whose last part is one of those."""
    last = segment.rsplit(",", 1)[-1].strip().strip(".")
    return (
        last.lower() in COUNTRY_NAMES
        or last.lower() in US_STATE_NAMES
        or (last in US_STATES and "," in segment)
    )


# --- text -------------------------------------------------------------------------------------


def normalise_lines(raw: str) -> list[str]:
    """Lines with layout gaps turned into one tab, spaces collapsed, invisible characters and
    letter-spacing ("E X P E R I E N C E") removed, and runs of blank lines made one."""
    raw = raw[:MAX_TEXT_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    raw = raw.replace("\f", "\n").replace("\v", "\n")
    raw = _INVISIBLE_RE.sub("", unicodedata.normalize("NFC", raw))
    out: list[str] = []
    for line in raw.split("\n"):
        line = "".join(
            " " if unicodedata.category(char) in ("Zs", "Cc") and char != "\t" else char
            for char in line
        )
        line = _SPACED_LETTERS_RE.sub(lambda match: match.group(0).replace(" ", ""), line)
        line = _GAP_RE.sub(GAP, line)
        line = _SPACES_RE.sub(" ", line).strip(" \t")
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def plain(line: str) -> str:
    """A working line as it appears in ParsedResume.text: layout gaps become one space."""
    return line.replace(GAP, " ")


def segments(line: str) -> list[str]:
    return [part.strip() for part in line.split(GAP) if part.strip()]


def strip_bullet(line: str) -> str:
    return _BULLET_RE.sub("", line)


def is_bullet(line: str) -> bool:
    return bool(_BULLET_RE.match(line)) and not line.startswith(("--", "—"))


# --- contacts ---------------------------------------------------------------------------------


def emails(text: str, extra: Iterable[str] = ()) -> list[str]:
    found = [match.group(0).rstrip(".") for match in EMAIL_RE.finditer(text)]
    found += [link[7:].split("?")[0] for link in extra if link.lower().startswith("mailto:")]
    return _unique(found, key=str.lower)


def links(text: str, extra: Iterable[str] = ()) -> list[str]:
    # A URL wrapped at the end of a line ("http://" / "example.com/…") is one URL.
    text = re.sub(r"\b((?:https?://|www\.)[^\s]*[/\-_?=&.#:])[ \t]*\n[ \t]*(?=[\w/])", r"\1", text)
    text = re.sub(r"\b(https?://)\s+(?=\w)", r"\1", text)
    found = [match.group(0) for match in _URL_RE.finditer(text)]
    found += [link for link in extra if link.lower().startswith(("http://", "https://", "www."))]
    urls = (normalise_url(url) for url in found)
    return _unique((url for url in urls if _HOST_RE.match(url.split("/", 3)[2])), key=str.lower)


def normalise_url(url: str) -> str:
    url = url.strip().rstrip(_URL_TRAILING)
    if url.count("(") < url.count(")"):
        url = url[: url.rfind(")")]
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE):
        url = "https://" + url
    scheme, rest = url.split("://", 1)
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


def phones(lines: list[str], *, region: str | None = None, extra: Iterable[str] = ()) -> list[str]:
    """Phone numbers as written: international ones anywhere (or national ones for `region`),
    others only beside a label ("Phone:", "☎") or alone on a line."""
    text = "\n".join(plain(line) for line in lines)
    found: list[str] = []
    for match in phonenumbers.PhoneNumberMatcher(text, region, max_tries=200):
        raw = match.raw_string.strip()
        if not dates.find_ranges(raw):
            found.append(raw)
    for line in lines:
        line = plain(line)
        label = _PHONE_LABEL_RE.search(line)
        if label:
            candidate = _PHONE_LIKE_RE.search(line, label.end())
            if candidate and _digits(candidate.group(0)) >= 7:
                found.append(candidate.group(0).strip())
        else:
            # A number on its own, or between separators ("jane@x.com · (912) 555-4321 · …").
            for part in re.split(r"\s*[|·•,;]\s*|\s{2,}", line):
                part = part.strip()
                if (
                    _PHONE_LIKE_RE.fullmatch(part)
                    and 9 <= _digits(part) <= 15
                    and "/" not in part
                    and not dates.find_ranges(part)
                ):
                    found.append(part)
    found += [link[4:] for link in extra if link.lower().startswith("tel:")]
    return _unique(found, key=lambda phone: re.sub(r"\D", "", phone)[-9:])


def _digits(value: str) -> int:
    return sum(char.isdigit() for char in value)


def _unique[T](items: Iterable[str], *, key: Callable[[str], T]) -> list[str]:
    seen: set[T] = set()
    out = []
    for item in items:
        marker = key(item)
        if item and marker not in seen:
            seen.add(marker)
            out.append(item)
    return out


# --- name and location ------------------------------------------------------------------------

_NAME_TOKEN_RE = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:['’.\-][^\W\d_]+)*\.?$")


def name(lines: list[str], *, prominent: Iterable[str] = (), filename: str = "") -> str:
    """A person's name: a "Name:" label; else the line in the largest type, or one of the first
    three lines, that reads like a name (2–4 capitalised words, no digits, no heading or job
    words, each word rare in the rest of the resume: technologies repeat, a name is usually
    written once); else the file's name ("jane_doe_cv.pdf")."""
    for line in lines:
        match = _NAME_LABEL_RE.match(plain(line))
        if match and _looks_like_name(match.group("value").strip(), None):
            return _tidy_name(match.group("value"))
    counts = Counter(word.lower() for word in re.findall(r"[^\W\d_]+", "\n".join(lines)))
    for line in prominent:
        for segment in segments(line):
            for part in re.split(r"\s+[|•·–—]\s+|\s*\|\s*", segment):
                if _looks_like_name(part.strip(), counts):
                    return _tidy_name(part)
    # Without type sizes to go by: a line near the top that is nothing but the name, or the
    # first part of the very first line ("Jane Doe | Backend Engineer").
    top = [line for line in lines if line.strip()][:3]
    for line in top:
        if _looks_like_name(plain(line).strip(), counts):
            return _tidy_name(plain(line))
    if top:
        first = re.split(r"\s+[|•·–—-]\s+|\s*[|,]\s*|\t", top[0].strip())[0]
        if _looks_like_name(first.strip(), counts):
            return _tidy_name(first)
    return _name_from_filename(filename)


def _looks_like_name(value: str, counts: Counter[str] | None) -> bool:
    if "," in value:
        return False
    words = value.split()
    if not 2 <= len(words) <= 4 or len(value) > 60:
        return False
    for word in words:
        if not _NAME_TOKEN_RE.match(word) or word.lower().strip(".") in NOT_NAME_WORDS:
            return False
        if not (word[0].isupper() or word.isupper()):
            return False
        if counts is not None and counts[word.lower().strip(".")] > 3:
            return False
    return counts is None or not is_place(value)


def _tidy_name(value: str) -> str:
    value = " ".join(value.split())
    if value.isupper():
        value = " ".join(part.capitalize() for part in value.split())
    return value


def _name_from_filename(filename: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename.rsplit("/", 1)[-1])
    stem = re.sub(r"[_\-.()\d]+", " ", stem)  # before the words: "_" is a word character
    stem = re.sub(
        r"(?i)\b(?:cv|resume|résumé|curriculum|vitae|final|updated|new|copy)\b", " ", stem
    )
    words = stem.split()
    candidate = " ".join(word.capitalize() if word.islower() else word for word in words)
    return candidate if _looks_like_name(candidate, None) else ""


def location(lines: list[str], *, header: list[str]) -> str:
    """A labelled location ("Location:", "City of Residence:", "⌂"), else a "City, Country"
    segment in the resume's header lines."""
    for line in lines:
        for segment in segments(line):
            match = _LOCATION_LABEL_RE.search(segment)
            if match:
                value = _OTHER_LABEL_RE.sub("", match.group("value")).strip(" :;,.|-–")
                if value[:1].isupper() and not EMAIL_RE.search(value):
                    return value[:80]
    for line in header[:15]:
        for segment in segments(line):
            for part in re.split(r"\s*[|•·]\s*|\s+[-–—]\s+", segment):
                short = "," in part and len(part) <= 80 and not re.search(r"\d{3,}|@", part)
                if short and is_place(part):
                    pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
                    # "City, Country", or "City, State, Country": the place, not what precedes it.
                    keep = 3 if len(pieces) >= 3 and is_place(", ".join(pieces[-2:-1])) else 2
                    return ", ".join(pieces[-keep:])
    return ""
