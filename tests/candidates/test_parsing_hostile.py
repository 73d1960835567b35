"""Hostile, broken and wrong files: each fails with a reason the user can act on, within bounded
time; the test process survives, and the reader goes on to read the next file. Real files
(built by tests/candidates/hostile.py), real processes."""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accord.candidates.parsing import ParsedResume, ParseError, Reason, parse_resume, sandbox
from tests.candidates import hostile


def refused(data: bytes, reason: Reason, *, within: float = 10.0) -> str:
    started = time.monotonic()
    with pytest.raises(ParseError) as caught:
        parse_resume(data, "upload.pdf")
    assert caught.value.reason is reason, str(caught.value)
    assert time.monotonic() - started < within
    return str(caught.value)


def read_back(data: bytes) -> ParsedResume:
    parsed = parse_resume(data, "upload.pdf")
    assert parsed.name == "Jane Doe"
    assert parsed.emails == ["jane.doe@example.com"]
    return parsed


def _case(name: str, build: Callable[[], bytes], reason: Reason, words: str) -> object:
    return pytest.param(build, reason, words, id=name)


CASES = [
    _case("empty", lambda: b"", Reason.EMPTY, "empty"),
    _case("whitespace", lambda: b" \n\t\n", Reason.EMPTY, "empty"),
    _case("random bytes", hostile.random_bytes, Reason.UNKNOWN_TYPE, "Upload a PDF, Word"),
    _case("PNG named .pdf", hostile.png_image, Reason.WRONG_TYPE, "looks like a PNG image"),
    _case("ZIP named .pdf", hostile.plain_zip, Reason.WRONG_TYPE, "looks like a ZIP archive"),
    _case(
        "encrypted PDF", lambda: hostile.encrypted_pdf("s3cret"), Reason.ENCRYPTED_PDF, "password"
    ),
    _case(
        "truncated PDF",
        lambda: hostile.truncated(hostile.resume_pdf()),
        Reason.CORRUPT_PDF,
        "incomplete",
    ),
    _case(
        "truncated DOCX",
        lambda: hostile.truncated(hostile.resume_docx()),
        Reason.CORRUPT_DOCX,
        "damaged",
    ),
    _case("scanned PDF", hostile.scanned_pdf, Reason.SCANNED_PDF, "scanned image"),
    _case("encrypted DOCX", hostile.encrypted_docx, Reason.ENCRYPTED_DOCX, "password-protected"),
    _case("old .doc", hostile.legacy_doc, Reason.LEGACY_WORD, ".docx or PDF"),
    _case("DOCX with 5,000 parts", hostile.docx_many_members, Reason.ZIP_BOMB, "5017 parts"),
    _case("DOCX inflating 64 MB of zeros", hostile.docx_zeros_bomb, Reason.ZIP_BOMB, "64.0"),
    _case("DOCX declaring 4 GB", hostile.docx_declaring_huge_member, Reason.ZIP_BOMB, "4.0"),
    _case(
        "text with NUL bytes",
        lambda: b"Jane Doe\nEngineer\x00\x00 at Acme\n",
        Reason.BINARY_TEXT,
        "NUL bytes",
    ),
    _case(
        "invalid JSON",
        lambda: b'{"basics": {"name": "Jane",}}',
        Reason.INVALID_JSON,
        "line 1, column 28",
    ),
    _case(
        "JSON, not a resume",
        lambda: b'{"type": "FeatureCollection"}',
        Reason.NOT_JSON_RESUME,
        "not a JSON Resume",
    ),
    _case(
        "JSON array",
        lambda: b'[{"name": "Jane"}]',
        Reason.NOT_JSON_RESUME,
        "not a JSON Resume",
    ),
    _case(
        "HTML page",
        lambda: b"<!DOCTYPE html><html><body>Jane</body></html>",
        Reason.WRONG_TYPE,
        "web page",
    ),
]


@pytest.mark.parametrize(("build", "reason", "words"), CASES)
def test_each_hostile_file_fails_with_its_reason(
    build: Callable[[], bytes], reason: Reason, words: str
) -> None:
    message = refused(build(), reason)
    assert words in message


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_inflated() -> None:
    # The member is tiny but its directory entry claims 4 GB: inflating it would end in a CRC
    # error (a "damaged file"), so the bomb reason proves the directory was checked first.
    data = hostile.docx_declaring_huge_member()
    assert len(data) < 100_000
    refused(data, Reason.ZIP_BOMB, within=3)


def test_a_pdf_whose_stream_inflates_to_2_gb_runs_out_of_memory(settings) -> None:
    settings.RESUME_PARSE_MEMORY_MB = 128
    message = refused(hostile.flate_bomb_pdf(2000), Reason.MEMORY, within=15)
    assert "128 MB" in message
    read_back(hostile.resume_pdf())  # the next file is read as usual


def test_a_pdf_that_takes_too_long_is_stopped_at_the_time_limit(settings) -> None:
    settings.RESUME_PARSE_TIMEOUT_SECONDS = 2
    data = hostile.slow_pdf(4000)
    started = time.monotonic()
    message = refused(data, Reason.TIMEOUT)
    assert 2 <= time.monotonic() - started < 6
    assert "2 seconds" in message
    read_back(hostile.resume_pdf())


def test_a_file_over_the_size_limit_is_refused_before_reading(settings) -> None:
    settings.RESUME_MAX_BYTES = 1024 * 1024
    message = refused(hostile.resume_pdf() + b" " * (1024 * 1024), Reason.TOO_LARGE, within=1)
    assert "1.0\xa0MB limit" in message
    assert parse_resume(hostile.resume_pdf()).name == "Jane Doe"  # under the limit: read


def test_the_default_size_limit_is_10_mb() -> None:
    message = refused(b"%PDF-1.4\n" + bytes(10 * 1024 * 1024), Reason.TOO_LARGE, within=2)
    assert "10.0\xa0MB limit" in message


def test_a_pdf_encrypted_with_an_empty_user_password_is_read() -> None:
    read_back(hostile.encrypted_pdf(""))


def test_the_well_formed_files_behind_the_hostile_ones_are_read() -> None:
    pdf, docx = read_back(hostile.resume_pdf()), read_back(hostile.resume_docx())
    for parsed in (pdf, docx):
        assert parsed.phones == ["+44 20 7946 0958"]
        assert [(job.title, job.employer, job.current) for job in parsed.work] == [
            ("Senior Engineer", "Acme Ltd", True)
        ]


def test_the_reader_recovers_when_its_server_dies() -> None:
    read_back(hostile.resume_docx())
    server = sandbox._SERVER.process
    assert server is not None
    server.kill()
    server.wait()
    read_back(hostile.resume_docx())
    assert sandbox._SERVER.process is not server


def test_the_reader_runs_without_the_callers_secrets() -> None:
    read_back(hostile.resume_docx())
    server = sandbox._SERVER.process
    assert server is not None
    assert os.environ.get("SECRET_KEY")  # tests/settings.py sets one for the caller
    environment = Path(f"/proc/{server.pid}/environ").read_bytes().split(b"\0")
    names = {item.split(b"=", 1)[0] for item in environment if item}
    assert names <= {b"PATH", b"LC_ALL", b"PYTHONPATH"}


_files = st.sampled_from(
    [hostile.resume_pdf(), hostile.resume_docx(), hostile.simple_pdf(hostile.text_content(["A"]))]
)


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    """A real file with bytes flipped, cut short or spliced; or arbitrary bytes."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=2048))
    data = bytearray(draw(_files))
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(1, len(data)))])


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled())
def test_no_bytes_make_parse_resume_raise_anything_but_parse_error(data: bytes) -> None:
    outcome = _parse_or_refuse(data)
    if isinstance(outcome, ParseError):
        assert outcome.message
        assert isinstance(outcome.reason, Reason)
    else:
        assert ParsedResume.from_dict(outcome.to_dict()) == outcome


def _parse_or_refuse(data: bytes) -> ParsedResume | ParseError:
    try:
        return parse_resume(data)
    except ParseError as error:
        return error


_FORKED_CALLER = """
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
django.setup()
from accord.candidates.parsing import parse_resume, sandbox
from tests.candidates import hostile

data = hostile.resume_docx()
assert parse_resume(data).name == "Jane Doe"
parent_server = sandbox._SERVER.process
pid = os.fork()
if pid == 0:
    name = parse_resume(data).name
    own = sandbox._SERVER.process is not parent_server
    print("child", name, own, flush=True)
    os._exit(0)
os.waitpid(pid, 0)
print("parent", parse_resume(data).name, sandbox._SERVER.process is parent_server, flush=True)
"""


def test_a_forked_caller_starts_its_own_reader(tmp_path: Path) -> None:
    # As a worker forked from a process that had already read a file (gunicorn's preload).
    # Run in a fresh, single-threaded interpreter: forking this (perhaps threaded) test
    # process could deadlock.
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(  # noqa: S603 (this interpreter, a script written above)
        [sys.executable, "-c", _FORKED_CALLER],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "ACCORD_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["child Jane Doe True", "parent Jane Doe True"]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b'{"basics": {"name": 1' + b"0" * 5000 + b"}}", id="a 5,000-digit number"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested 100,000 deep"),
    ],
)
def test_json_that_python_cannot_take_is_invalid_json(data: bytes) -> None:
    message = refused(data, Reason.INVALID_JSON)
    assert message.startswith("This is not valid JSON (")
    assert "line ?" not in message
