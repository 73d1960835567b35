"""CSV imports: reading the file, the column mapping, and the rows the worker imports."""

import codecs
import csv
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.candidates import services
from accord.candidates.imports import csvfile, guess_mapping, read_csv, validate_mapping
from accord.candidates.models import Candidate, ImportBatch, ImportItem, Note
from accord.workspaces.models import Member
from conftest import client_for

Outcome = ImportItem.Outcome


def table(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# Reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8"), (";", "utf-8-sig"), ("\t", "utf-8"), ("|", "utf-8-sig"), (";", "utf-16")],
)
def test_separators_and_byte_order_marks(delimiter: str, encoding: str) -> None:
    rows = [
        ["Full name", "E-mail", "Notes"],
        ["Ana García", "ana@example.com", "Met at PyCon; keen, “senior”"],
        ["Bo Li", "bo@example.com", "Line one\nline two"],
    ]
    columns, found = read_csv(table(rows, delimiter).encode(encoding))
    assert columns == rows[0]
    assert found == [(2, rows[1]), (3, rows[2])]


def test_excels_separator_line_names_the_separator() -> None:
    columns, rows = read_csv(b"sep=;\r\nName;Notes\r\nAna;likes, commas\r\n")
    assert columns == ["Name", "Notes"]
    assert rows == [(2, ["Ana", "likes, commas"])]


def test_blank_rows_are_skipped_but_keep_the_spreadsheet_row_numbers() -> None:
    text = "\n\nName;Email\n;\nAna;ana@example.com\n\n  ;  \nBo;bo@example.com\n"
    columns, rows = read_csv(codecs.BOM_UTF8 + text.encode())
    assert columns == ["Name", "Email"]
    assert rows == [(5, ["Ana", "ana@example.com"]), (8, ["Bo", "bo@example.com"])]


def test_a_single_column_file_and_blank_headers() -> None:
    assert read_csv(b"Name\nAna\nBo\n") == (["Name"], [(2, ["Ana"]), (3, ["Bo"])])
    columns, _ = read_csv(b"Name,,Email\nAna,x,a@example.com\n")
    assert columns == ["Name", "Column 2", "Email"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "This file is empty."),
        (b"\n\n", "This file is empty."),
        (b"Name,Email\n", "has a header row but no candidates"),
        ("Name\nJosé\n".encode("latin-1"), "isn't UTF-8 text"),
        (b"Name\nA\x00B\n", "holds binary data"),
    ],
)
def test_unreadable_files_say_why(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_csv(data)
    assert message in " ".join(caught.value.messages)


def test_size_row_and_column_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvfile, "CSV_MAX_ROWS", 3)
    assert len(read_csv(b"Name\n1\n2\n3\n")[1]) == 3
    with pytest.raises(ValidationError, match="more than 3 rows"):
        read_csv(b"Name\n1\n2\n3\n4\n")
    with pytest.raises(ValidationError, match="61 columns"):
        read_csv((",".join(f"c{n}" for n in range(61)) + "\n" + "x\n").encode())
    monkeypatch.setattr(csvfile, "CSV_MAX_BYTES", 10)
    with pytest.raises(ValidationError, match="larger than"):
        read_csv(b"Name\nAna Example\n")


cell = st.text(
    alphabet=st.characters(
        min_codepoint=32, max_codepoint=0x2FFF, categories=["L", "N", "P", "Zs"]
    ),
    max_size=12,
).map(str.strip)


@settings(max_examples=150, deadline=None)
@given(
    delimiter=st.sampled_from([",", ";", "\t"]),
    width=st.integers(2, 6),
    data=st.data(),
)
def test_what_a_spreadsheet_writes_reads_back(delimiter: str, width: int, data) -> None:  # type: ignore[no-untyped-def]
    header = data.draw(
        st.lists(st.from_regex(r"[A-Z][a-z]{1,8}", fullmatch=True), min_size=width, max_size=width)
    )
    body = data.draw(
        st.lists(st.lists(cell, min_size=width, max_size=width).filter(any), min_size=1, max_size=8)
    )
    encoded = table([header, *body], delimiter).encode("utf-8-sig")
    columns, rows = read_csv(encoded)
    assert columns == header
    assert [cells for _, cells in rows] == body


# Mapping ----------------------------------------------------------------------------------------


def test_the_mapping_is_guessed_from_the_header_names() -> None:
    columns = ["Full name", "E-mail", "Mobile", "City", "Job title", "Company", "LinkedIn"]
    columns += ["GitHub", "Tags", "Comments", "Favourite colour", "Email 2"]
    assert guess_mapping(columns) == {
        "0": "name",
        "1": "email",
        "2": "phone",
        "3": "location",
        "4": "headline",
        "5": "current_employer",
        "6": "links",
        "7": "links",
        "8": "tags",
        "9": "notes",
    }
    assert guess_mapping(["First name", "Surname", "Email address"]) == {
        "0": "first_name",
        "1": "last_name",
        "2": "email",
    }


def test_the_mapping_needs_a_name_and_each_field_once() -> None:
    columns = ["First", "Last", "Email", "Email 2", "Site", "Blog"]
    validate_mapping({"0": "first_name", "1": "last_name", "4": "links", "5": "links"}, columns)
    with pytest.raises(ValidationError, match="which column holds the name"):
        validate_mapping({"0": "first_name", "2": "email"}, columns)
    with pytest.raises(ValidationError, match="“Email”, “Email 2” are all set to “Email”"):
        validate_mapping({"0": "name", "2": "email", "3": "email"}, columns)
    with pytest.raises(ValidationError, match="Choose a field"):
        validate_mapping({"0": "name", "9": "email"}, columns)
    with pytest.raises(ValidationError, match="Choose a field"):
        validate_mapping({"0": "name", "1": "password"}, columns)


def test_a_row_becomes_candidate_values_or_says_what_is_wrong() -> None:
    columns = ["First", "Last", "Email", "Phone", "Years", "LinkedIn", "GitHub", "Tags"]
    columns += ["Notes", "Interview"]
    mapping = {
        "0": "first_name",
        "1": "last_name",
        "2": "email",
        "3": "phone",
        "4": "years_experience",
        "5": "links",
        "6": "links",
        "7": "tags",
        "8": "notes",
        "9": "notes",
    }
    cells = ["Ana", "García", "ana@example.com", "+34 612 345 678", "7,5 years"]
    cells += ["linkedin.com/in/ana", "github.com/ana", "Python; Django", "Keen", "Strong"]
    row = csvfile.read_row(columns, mapping, cells)
    assert row.name == "Ana García"
    assert row.values == {
        "email": "ana@example.com",
        "phone": "+34 612 345 678",
        "years_experience": Decimal("7.5"),
        "links": ["linkedin.com/in/ana", "github.com/ana"],
    }
    assert row.tags == ["Python", "Django"]
    assert row.notes == "Notes: Keen\nInterview: Strong"

    def problem(**changes: str) -> str:
        changed = list(cells)
        for index, value in changes.items():
            changed[int(index.removeprefix("c"))] = value
        with pytest.raises(csvfile.RowProblem) as caught:
            csvfile.read_row(columns, mapping, changed)
        return str(caught.value)

    assert problem(c2="x@") == "Email “x@” isn't a valid address."
    assert problem(c3="12") == "Phone “12” has too few digits."
    assert problem(c4="five") == "Years of experience “five” isn't a number."
    assert problem(c4="99") == "Years of experience “99” is over 70."
    assert problem(c0="", c1="") == "The name is empty in this row."
    with pytest.raises(csvfile.RowProblem, match="11 cells but the header has 10"):
        csvfile.read_row(columns, mapping, [*cells, "stray"])
    short = csvfile.read_row(columns, mapping, ["Bo", "Li"])  # trailing empty cells left out
    assert (short.name, short.values) == ("Bo Li", {})


# Through the views and the worker ---------------------------------------------------------------

CSV = (
    "Full name;E-mail;Mobile;City;Years;Tags;Comments\r\n"
    "Ana García;ana@example.com;+34 612 345 678;Madrid;7;Python, Django;Met at PyCon\r\n"
    "Bo Li;x@;;;;;\r\n"
    ";nobody@example.com;;;;;\r\n"
    "Known Person;known@example.com;+44 20 7946 0958;London;12;Referral;Second contact\r\n"
    "Cy Young;cy@example.com;;;five;;\r\n"
    "Ana G.;ANA@example.com;;Sevilla;;Remote;\r\n"
)


def import_csv_url() -> str:
    return reverse("candidates:import-csv", kwargs={"workspace_slug": "acme"})


def mapping_url(batch: ImportBatch) -> str:
    return reverse(
        "candidates:import-mapping", kwargs={"workspace_slug": "acme", "public_id": batch.public_id}
    )


@pytest.mark.django_db
def test_a_semicolon_csv_with_a_bom_imports_rows_merges_on_email_and_reports_bad_rows(
    recruiter: Member, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    known = services.candidate_create(
        actor=recruiter, name="Known Person", email="known@example.com", location="", tags=["VIP"]
    )
    client = client_for(recruiter)
    upload = SimpleUploadedFile("people.csv", codecs.BOM_UTF8 + CSV.encode())
    response = client.post(import_csv_url(), {"file": upload, "source": "referral"})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == mapping_url(batch)
    assert batch.status == ImportBatch.Status.MAPPING
    assert batch.total == 6
    assert not Candidate.objects.exclude(pk=known.pk).exists()  # nothing imported yet

    with django_assert_max_num_queries(9):  # whatever the number of rows
        page = client.get(mapping_url(batch)).content.decode()
    assert page.count('data-testid="column"') == 7
    assert re.search(r'<option value="email" selected\s*>', page)  # guessed from "E-mail"
    assert "Madrid" in page  # the first rows are shown

    mapping = {
        f"col_{i}": field
        for i, field in enumerate(
            ["name", "email", "phone", "location", "years_experience", "tags", "notes"]
        )
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(mapping_url(batch), mapping)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.processed == 6
    report = {i.name: (i.outcome, i.reason) for i in batch.items.all()}
    assert report["Row 2"] == (Outcome.CREATED, "")
    assert report["Row 3"] == (Outcome.FAILED, "Email “x@” isn't a valid address.")
    assert report["Row 4"] == (Outcome.FAILED, "The name is empty in this row.")
    assert report["Row 5"][0] == Outcome.MERGED
    assert "Merged into Known Person (same email)" in report["Row 5"][1]
    assert report["Row 6"] == (Outcome.FAILED, "Years of experience “five” isn't a number.")
    assert report["Row 7"][0] == Outcome.MERGED  # the same email in another case

    ana = Candidate.objects.get(email="ana@example.com")
    assert (ana.name, ana.location, ana.years_experience) == ("Ana García", "Madrid", 7)
    assert ana.source == "referral"
    assert sorted(t.name for t in ana.tags.all()) == ["Django", "Python", "Remote"]
    assert Note.objects.get(candidate=ana).body == "Met at PyCon"
    known.refresh_from_db()
    assert known.location == "London"  # empty fields filled…
    assert known.phone == "+44 20 7946 0958"
    assert known.name == "Known Person"  # …the rest kept
    assert sorted(t.name for t in known.tags.all()) == ["Referral", "VIP"]
    assert Candidate.objects.count() == 2  # Bo, the nameless row and Cy were not imported

    detail = client.get(
        reverse(
            "candidates:import-detail",
            kwargs={"workspace_slug": "acme", "public_id": batch.public_id},
        )
        + "?show=failed"
    ).content.decode()
    assert detail.count('data-testid="item"') == 3
    assert "Row 3" in detail
    assert "Email “x@” isn&#x27;t a valid address." in detail


@pytest.mark.django_db
def test_a_mapping_without_a_name_changes_nothing(
    recruiter: Member, django_capture_on_commit_callbacks
) -> None:
    client = client_for(recruiter)
    client.post(
        import_csv_url(), {"file": SimpleUploadedFile("p.csv", CSV.encode()), "source": "imported"}
    )
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(mapping_url(batch), {"col_0": "", "col_1": "email"})
    assert response.status_code == 422
    assert "Say which column holds the name" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.MAPPING
    assert set(batch.items.values_list("outcome", flat=True)) == {Outcome.PENDING}
    assert not Candidate.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Nombre\nJosé\n".encode("latin-1"), "isn't UTF-8 text"),
        (b"Name,Email\n", "no candidates below it"),
    ],
)
def test_an_unreadable_csv_is_refused_and_nothing_is_kept(
    recruiter: Member, content: bytes, message: str
) -> None:
    response = client_for(recruiter).post(
        import_csv_url(), {"file": SimpleUploadedFile("p.csv", content), "source": "imported"}
    )
    assert response.status_code == 422
    assert message in html.unescape(response.content.decode())
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_an_oversized_csv_is_refused(recruiter: Member, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.candidates import imports

    monkeypatch.setattr(imports, "CSV_MAX_BYTES", 20)
    response = client_for(recruiter).post(
        import_csv_url(), {"file": SimpleUploadedFile("p.csv", CSV.encode()), "source": "imported"}
    )
    assert response.status_code == 422
    assert "“p.csv” is" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_the_mapping_page_of_a_started_import_leads_to_its_report(
    recruiter: Member, django_capture_on_commit_callbacks
) -> None:
    client = client_for(recruiter)
    client.post(
        import_csv_url(),
        {"file": SimpleUploadedFile("p.csv", b"Name\nAna\n"), "source": "imported"},
    )
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(mapping_url(batch), {"col_0": "name"})
    again = client.post(mapping_url(batch), {"col_0": "name"})
    assert again.status_code == 302
    assert "/mapping/" not in again["Location"]
    assert Candidate.objects.count() == 1


@pytest.mark.django_db
def test_a_file_can_be_discarded_before_its_import_starts(
    recruiter: Member, django_capture_on_commit_callbacks
) -> None:
    client = client_for(recruiter)
    upload = SimpleUploadedFile("p.csv", b"Name\nAna\n")
    client.post(import_csv_url(), {"file": upload, "source": "imported"})
    batch = ImportBatch.objects.get()
    discard = reverse(
        "candidates:import-discard", kwargs={"workspace_slug": "acme", "public_id": batch.public_id}
    )
    assert client.post(discard)["Location"] == import_csv_url()
    assert not ImportBatch.objects.exists()
    assert not ImportItem.objects.exists()

    upload = SimpleUploadedFile("p.csv", b"Name\nAna\n")
    client.post(import_csv_url(), {"file": upload, "source": "imported"})
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(mapping_url(batch), {"col_0": "name"})
    discard = reverse(
        "candidates:import-discard", kwargs={"workspace_slug": "acme", "public_id": batch.public_id}
    )
    refused = client.post(discard, follow=True)
    assert "already started" in html.unescape(refused.content.decode())
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
    assert Candidate.objects.count() == 1
