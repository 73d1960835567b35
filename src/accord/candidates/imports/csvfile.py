"""Reading a CSV of candidates: the file, its column mapping, and each row's values.

Pure functions of the file's bytes and the mapping; the worker stores what they return.
"""

import codecs
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.candidates.services import phone_key

CSV_MAX_BYTES = 5 * 1024 * 1024
CSV_MAX_ROWS = 10_000
CSV_MAX_COLUMNS = 60
CELL_MAX_CHARS = 4000

# Candidate fields a column can fill, in the order the mapping select lists them.
CSV_FIELDS: dict[str, Any] = {
    "": gettext_lazy("Ignore this column"),
    "name": gettext_lazy("Name"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "location": gettext_lazy("Location"),
    "headline": gettext_lazy("Current title"),
    "current_employer": gettext_lazy("Current employer"),
    "years_experience": gettext_lazy("Years of experience"),
    "links": gettext_lazy("Links"),
    "tags": gettext_lazy("Tags"),
    "source_detail": gettext_lazy("Source detail"),
    "notes": gettext_lazy("Notes"),
}
# Several columns may feed these (e.g. "LinkedIn" and "GitHub" both into links).
MULTI_FIELDS = frozenset({"links", "tags", "notes"})


def _guesses(field: str, *headers: str) -> dict[str, str]:
    return dict.fromkeys(headers, field)


# Header names (lower case, letters and digits only) and the field each suggests.
HEADER_GUESSES: dict[str, str] = {
    **_guesses("name", "name", "fullname", "candidate", "candidatename", "nom", "naam"),
    **_guesses("first_name", "firstname", "givenname", "forename", "first", "prenom"),
    **_guesses("last_name", "lastname", "surname", "familyname", "last"),
    **_guesses("email", "email", "emailaddress", "mail", "courriel", "workemail"),
    **_guesses("phone", "phone", "mobile", "telephone", "tel", "cell", "phonenumber", "gsm"),
    **_guesses("location", "location", "city", "town", "country", "address", "place"),
    **_guesses("headline", "title", "jobtitle", "currenttitle", "headline", "position", "role"),
    **_guesses(
        "current_employer",
        "company",
        "employer",
        "currentcompany",
        "currentemployer",
        "organisation",
        "organization",
    ),
    **_guesses("years_experience", "years", "yearsofexperience", "experience", "yoe"),
    **_guesses("links", "links", "url", "website", "linkedin", "github", "portfolio"),
    **_guesses("tags", "tags", "tag", "labels", "keywords"),
    **_guesses("source_detail", "source", "referrer", "referredby", "agency", "sourcedetail"),
    **_guesses("notes", "notes", "note", "comments", "comment", "remarks"),
}


# The file ---------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode text"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise ValidationError(
            _(
                "This file isn't UTF-8 text. In your spreadsheet choose Save as (or Download) › "
                "“CSV UTF-8”, and upload that file."
            )
        ) from None
    if "\x00" in text:
        raise ValidationError(_("This is not a CSV file: it holds binary data."))
    return text


def _delimiter(text: str) -> str:
    lines = text.splitlines()[:50]
    header = next((line for line in lines if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    if header.count(delimiter) == 0:
        # One column, or the sniffer was fooled by the data: the header line decides.
        delimiter = max(",;\t|", key=header.count)
    return delimiter


def read_csv(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows (spreadsheet row number, cells) of a CSV file.

    UTF-8 with or without a byte-order mark (and Excel's UTF-16), separated by commas,
    semicolons, tabs or bars. The first non-blank row is the header.
    """
    if len(data) > CSV_MAX_BYTES:
        raise ValidationError(
            _("This file is larger than %(limit)d MB. Split it into smaller files.")
            % {"limit": CSV_MAX_BYTES // (1024 * 1024)}
        )
    text = _decode(data)
    hint = re.match(r"sep=(.)\r?\n", text)  # Excel's first line when it names the separator
    if hint:
        text, delimiter = text[hint.end() :], hint.group(1)
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            cells = [cell.strip()[:CELL_MAX_CHARS] for cell in record]
            if not any(cells):
                continue
            if header is None:
                header = cells
                if len(header) > CSV_MAX_COLUMNS:
                    raise ValidationError(
                        _("This file has %(n)d columns; at most %(limit)d can be imported.")
                        % {"n": len(header), "limit": CSV_MAX_COLUMNS}
                    )
                continue
            if len(rows) == CSV_MAX_ROWS:
                raise ValidationError(
                    _("This file has more than %(limit)s rows. Split it into smaller files.")
                    % {"limit": f"{CSV_MAX_ROWS:,}"}
                )
            rows.append((number, cells))
    except csv.Error as error:
        raise ValidationError(
            _("Row %(n)d can't be read as CSV (%(error)s). Check the file and export it again.")
            % {"n": number + 1, "error": error}
        ) from None
    if header is None:
        raise ValidationError(_("This file is empty."))
    if not rows:
        raise ValidationError(
            _("This file has a header row but no candidates below it. Add rows and try again.")
        )
    columns = [name or _("Column %(n)d") % {"n": i} for i, name in enumerate(header, start=1)]
    return columns, rows


# The mapping ------------------------------------------------------------------------------------


def _header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def guess_mapping(columns: Sequence[str]) -> dict[str, str]:
    """{column index: field} from the header names ("E-mail", "Full name", "Mobile"…)."""
    mapping: dict[str, str] = {}
    for index, column in enumerate(columns):
        field = HEADER_GUESSES.get(_header_key(column), "")
        if field and (field in MULTI_FIELDS or field not in mapping.values()):
            mapping[str(index)] = field
    fields = set(mapping.values())
    if "name" in fields and {"first_name", "last_name"} & fields:
        mapping = {k: f for k, f in mapping.items() if f not in ("first_name", "last_name")}
    return mapping


def validate_mapping(mapping: dict[str, str], columns: Sequence[str]) -> None:
    """Each field once (but links, tags and notes), and a name: a Name column or both halves."""
    errors: list[str] = []
    used: dict[str, list[str]] = {}
    for key, field in mapping.items():
        if field not in CSV_FIELDS or not key.isdigit() or int(key) >= len(columns):
            errors.append(_("Choose a field from the list for every column."))
            continue
        used.setdefault(field, []).append(columns[int(key)])
    for field, names in used.items():
        if len(names) > 1 and field not in MULTI_FIELDS:
            errors.append(
                _("%(columns)s are all set to “%(field)s”. Keep one; set the others to Ignore.")
                % {"columns": ", ".join(f"“{n}”" for n in names), "field": CSV_FIELDS[field]}
            )
    if "name" not in used and not {"first_name", "last_name"} <= used.keys():
        errors.append(
            _(
                "Say which column holds the name: set one to “Name”, or one to “First name” and "
                "one to “Last name”."
            )
        )
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))


# One row ----------------------------------------------------------------------------------------


class RowProblem(Exception):
    """Why a row can't be imported; str() is the reason shown in the report."""


@dataclass
class Row:
    name: str
    values: dict[str, Any]  # candidate profile fields (candidate_create's keyword arguments)
    tags: list[str]
    notes: str


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;|\n]", value) if part.strip()]


def _years(raw: str) -> Decimal:
    found = re.match(r"^\s*(\d{1,3}(?:[.,]\d+)?)", raw)
    if not found:
        raise RowProblem(_("Years of experience “%(value)s” isn't a number.") % {"value": raw})
    years = Decimal(found.group(1).replace(",", ".")).quantize(Decimal("0.1"))
    if years > 70:
        raise RowProblem(_("Years of experience “%(value)s” is over 70.") % {"value": raw})
    return years


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise RowProblem(
            _("Email “%(value)s” isn't a valid address.") % {"value": value[:80]}
        ) from None
    return value


def _phone(value: str) -> str:
    if not phone_key(value):
        raise RowProblem(_("Phone “%(value)s” has too few digits.") % {"value": value[:40]})
    return value[:40]


def read_row(columns: Sequence[str], mapping: dict[str, str], cells: Sequence[str]) -> Row:
    """The candidate a row describes, or RowProblem saying what is wrong with it."""
    if any(cells[len(columns) :]):
        raise RowProblem(
            _(
                "This row has %(cells)d cells but the header has %(columns)d: a value probably "
                "contains an unquoted separator. Quote it or remove the separator."
            )
            % {"cells": len(cells), "columns": len(columns)}
        )
    padded = [*cells, *[""] * (len(columns) - len(cells))]
    values: dict[str, Any] = {}
    names = {"first_name": "", "last_name": ""}
    links: list[str] = []
    tags: list[str] = []
    notes: list[tuple[str, str]] = []
    for key, field in mapping.items():
        value = padded[int(key)]
        if not value:
            continue
        if field in names:
            names[field] = value
        elif field == "email":
            values["email"] = _email(value)
        elif field == "phone":
            values["phone"] = _phone(value)
        elif field == "years_experience":
            values["years_experience"] = _years(value)
        elif field == "links":
            links += _split(value.replace(" ", "\n"))
        elif field == "tags":
            tags += _split(value)
        elif field == "notes":
            notes.append((columns[int(key)], value))
        else:
            values[field] = value[:160]
    name = values.pop("name", "") or " ".join(part for part in names.values() if part)
    if not name:
        raise RowProblem(_("The name is empty in this row."))
    if links:
        values["links"] = links
    if len(notes) > 1:
        note = "\n".join(f"{column}: {value}" for column, value in notes)
    else:
        note = notes[0][1] if notes else ""
    return Row(name=name[:160], values=values, tags=tags, notes=note[:4000])
