"""Hostile and broken files for the resume parser's tests, built here so none is checked in.

Each is cheap to build: bombs are compressed incrementally from runs of zeros, and "huge"
declarations are written into a zip directory rather than into the data.
"""

import io
import json
import os
import random
import struct
import zipfile
import zlib
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

import docx
from pypdf import PdfReader, PdfWriter

# --- PDFs built by hand: exact control over streams and structure -----------------------------


def simple_pdf(
    content: bytes, *, flate: bool = False, images: bool = False, pages: int = 1
) -> bytes:
    """A valid PDF whose pages draw `content` (a content stream) with Helvetica."""
    stream = zlib.compress(content) if flate else content
    return _pdf_with_stream(stream, flate=flate, length=len(stream), images=images, pages=pages)


def _pdf_with_stream(
    stream: bytes, *, flate: bool, length: int, images: bool = False, pages: int = 1
) -> bytes:
    page_ids = [6 + index for index in range(pages)]
    xobject = b" /XObject << /Im1 5 0 R >>" if images else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % i for i in page_ids)
        + b"] /Count "
        + str(pages).encode()
        + b" >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length "
        + str(length).encode()
        + (b" /Filter /FlateDecode" if flate else b"")
        + b" >>\nstream\n"
        + stream
        + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream",
    ]
    for _page in page_ids:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 3 0 R >>" + xobject + b" >> >>"
        )
    return _assemble(objects)


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def text_content(lines: Iterable[str], *, size: int = 11) -> bytes:
    """A content stream writing `lines` top to bottom."""
    parts = [b"BT /F1 %d Tf 72 720 Td %d TL" % (size, size + 4)]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        parts.append(b"(" + escaped.encode("latin-1") + b") Tj T*")
    parts.append(b"ET")
    return b"\n".join(parts)


RESUME_LINES = [
    "Jane Doe",
    "Backend Engineer",
    "jane.doe@example.com  +44 20 7946 0958",
    "Experience",
    "Senior Engineer, Acme Ltd   Jan 2019 - Present",
    "Built payment services in Python and PostgreSQL.",
    "Education",
    "BSc in Computer Science, University of Leeds, 2014",
]


def resume_pdf() -> bytes:
    return simple_pdf(text_content(RESUME_LINES))


def encrypted_pdf(user_password: str) -> bytes:
    """resume_pdf() encrypted with AES-256; with an empty user password anyone may open it."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(resume_pdf())))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def scanned_pdf() -> bytes:
    """A page that only paints an image: what a scanner produces."""
    return simple_pdf(b"q 500 0 0 700 50 50 cm /Im1 Do Q", images=True)


def deflated_zeros(megabytes: int) -> bytes:
    """A zlib stream of `megabytes` MB of zeros, built in milliseconds: after a full flush the
    compressor starts afresh, so every further megabyte compresses to the same block, which is
    repeated. Adler-32 of n zero bytes is (n mod 65521) << 16 | 1: A stays 1, B adds it n times."""
    chunk = bytes(1024 * 1024)
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    ending = compressor.flush(zlib.Z_FINISH)[:-4]
    checksum = (megabytes * len(chunk)) % 65521 << 16 | 1
    return first + block * (megabytes - 1) + ending + struct.pack(">I", checksum)


def flate_bomb_pdf(megabytes: int) -> bytes:
    """A page whose content stream inflates to `megabytes` MB of zeros (~1000:1)."""
    stream = deflated_zeros(megabytes)
    return _pdf_with_stream(stream, flate=True, length=len(stream))


def slow_pdf(count: int = 4000, seed: int = 7) -> bytes:
    """Thousands of scattered one-letter words: layout analysis groups boxes pairwise, so the
    time to read it grows with the square of their number."""
    rng = random.Random(seed)
    parts = [b"BT /F1 6 Tf"]
    for _ in range(count):
        parts.append(b"1 0 0 1 %d %d Tm (%s) Tj" % (rng.randint(0, 600), rng.randint(0, 780), b"x"))
    parts.append(b"ET")
    return simple_pdf(b"\n".join(parts), flate=True)


# --- Word files --------------------------------------------------------------------------------


def resume_docx(paragraphs: Iterable[str] = RESUME_LINES) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rezip(
    source: bytes, change: "dict[str, bytes | None]", extra: Iterable[tuple[str, bytes]] = ()
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(out, "w") as target:
        for item in original.infolist():
            if item.filename in change:
                continue
            target.writestr(item, original.read(item.filename), zipfile.ZIP_DEFLATED)
        for name, data in [*((n, d) for n, d in change.items() if d is not None), *extra]:
            target.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx_many_members(count: int = 5000) -> bytes:
    return _rezip(resume_docx(), {}, ((f"word/media/part{i}.xml", b"") for i in range(count)))


def docx_zeros_bomb(megabytes: int = 64) -> bytes:
    """A .docx whose document.xml inflates to `megabytes` MB of zeros (ratio ~1000:1)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(resume_docx())) as original,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in original.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, original.read(item.filename), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return out.getvalue()


def docx_declaring_huge_member() -> bytes:
    """A .docx whose zip directory says document.xml unpacks to 4 GB (the data is small): the
    check must trust nothing but the directory, and refuse before decompressing."""
    data = bytearray(resume_docx())
    name = b"word/document.xml"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    # Central directory header: uncompressed size at offset 24, four bytes little-endian.
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, 0xFFFFFFF0)
            return bytes(data)
        central = data.rfind(b"PK\x01\x02", 0, central)
    raise AssertionError("document.xml not found in the central directory")


def compound_file(streams: Iterable[str]) -> bytes:
    """A minimal OLE2 compound file (what .doc files and password-protected .docx files are)
    with empty streams of the given names: header, one FAT sector, one directory sector."""
    names = ["Root Entry", *streams]
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)  # version, byte order, 512 B
    struct.pack_into("<H", header, 32, 6)  # mini sector shift
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<iI", header, 60, -2, 0)  # no mini FAT
    struct.pack_into("<iI", header, 68, -2, 0)  # no DIFAT sectors
    struct.pack_into("<i", header, 76, 0)  # DIFAT[0]: FAT in sector 0
    for index in range(1, 109):
        struct.pack_into("<i", header, 76 + 4 * index, -1)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<ii", fat, 0, -3, -2)  # sector 0: FAT; sector 1: directory, end of chain
    directory = bytearray(512)
    for index, name in enumerate(names):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<H", entry, 64, len(encoded))
        entry[66] = 5 if index == 0 else 2  # root storage, or stream
        entry[67] = 1  # black
        struct.pack_into("<iii", entry, 68, -1, index + 1 if index + 1 < len(names) else -1, -1)
        if index == 0:
            struct.pack_into("<iii", entry, 68, -1, -1, 1 if len(names) > 1 else -1)
        struct.pack_into("<i", entry, 116, -2)
        directory[index * 128 : (index + 1) * 128] = entry
    return bytes(header + fat + directory)


def encrypted_docx() -> bytes:
    return compound_file(["EncryptionInfo", "EncryptedPackage"])


def legacy_doc() -> bytes:
    return compound_file(["WordDocument", "1Table"])


# --- other files -------------------------------------------------------------------------------


def png_image() -> bytes:
    """A 1×1 PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "Jane Doe, engineer")
    return out.getvalue()


def random_bytes(size: int = 4096, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(size)


# --- well-formed resumes rendered to HTML (and, by the tests, to PDF with WeasyPrint) ----------

# ../shared/data beside the project, as the data README asks.
SHARED_DATA = Path(
    os.environ.get("SHARED_DATA_DIR", Path(__file__).resolve().parents[2].parent / "shared/data")
)
SAMPLE_RESUME = SHARED_DATA / "jsonresume/sample.resume.json"
LAYOUTS = ("single", "sidebar", "compact")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def sample_resume() -> dict[str, Any]:
    """The JSON Resume project's sample, with two more jobs: an earlier one that overlaps it and
    a current one, so years of experience must merge overlaps and run to today."""
    resume: dict[str, Any] = json.loads(SAMPLE_RESUME.read_text())
    resume["work"] = [
        {
            "name": "Raviga Capital",
            "position": "Chief Technology Officer",
            "startDate": "2015-03-01",
            "summary": "Runs engineering for the fund's portfolio tools.",
            "highlights": ["Hired a team of twelve engineers"],
        },
        *resume["work"],
        {
            "name": "Hooli",
            "position": "Software Developer",
            "startDate": "2012-06-01",
            "endDate": "2014-02-01",
            "summary": "Part-time work on the Nucleus compression library.",
        },
    ]
    return resume


def _date(value: str | None, style: str) -> str:
    if not value:
        return "Present"
    year, month = value[:4], int(value[5:7] or 1)
    if style == "numeric":
        return f"{month:02d}/{year}"
    if style == "iso":
        return f"{year}-{month:02d}"
    return f"{_MONTHS[month - 1]} {year}"


def render_html(resume: dict[str, Any], layout: str) -> str:
    """A resume page as people make them: one column ("single"), a sidebar with contacts,
    skills and education beside the experience ("sidebar"), or rows with the dates pushed to
    the right margin ("compact"). Each layout writes dates differently."""
    basics = resume["basics"]
    place = basics["location"]
    style = {"single": "names", "sidebar": "numeric", "compact": "iso"}[layout]
    contact = [
        basics["email"],
        basics["phone"],
        f"{place['city']}, {place['region']}",
        basics["url"],
    ]
    jobs = []
    for job in resume["work"]:
        period = f"{_date(job.get('startDate'), style)} – {_date(job.get('endDate'), style)}"
        bullets = "".join(f"<li>{escape(item)}</li>" for item in job.get("highlights", []))
        if layout == "compact":
            head = (
                f'<div class="row"><b>{escape(job["position"])}, {escape(job["name"])}</b>'
                f"<span>{period}</span></div>"
            )
        else:
            head = f"<h3>{escape(job['position'])} — {escape(job['name'])}</h3><p>{period}</p>"
        jobs.append(f"{head}<p>{escape(job.get('summary', ''))}</p><ul>{bullets}</ul>")
    schools = "".join(
        f"<p>{escape(item['studyType'])} in {escape(item['area'])}<br>"
        f"{escape(item['institution'])}, {item['endDate'][:4]}</p>"
        for item in resume["education"]
    )
    skills = "".join(
        f"<p>{escape(skill['name'])}: {escape(', '.join(skill['keywords']))}</p>"
        for skill in resume["skills"]
    )
    contacts = "".join(f"<p>{escape(item)}</p>" for item in contact)
    summary = f"<h2>Summary</h2><p>{escape(basics['summary'])}</p>"
    experience = f"<h2>Experience</h2>{''.join(jobs)}"
    side = f"<h2>Contact</h2>{contacts}<h2>Skills</h2>{skills}<h2>Education</h2>{schools}"
    if layout == "sidebar":
        body = f'<div class="cols"><aside>{side}</aside><main>{summary}{experience}</main></div>'
    else:
        body = (
            f"<p>{escape(' · '.join(contact))}</p>{summary}{experience}"
            f"<h2>Education</h2>{schools}<h2>Skills</h2>{skills}"
        )
    css = (
        "body{font-family:sans-serif;font-size:10pt} h1{font-size:24pt} h2{font-size:13pt}"
        " .cols{display:flex;gap:24pt} aside{width:32%} main{width:68%}"
        " .row{display:flex;justify-content:space-between}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head><body>"
        f"<h1>{escape(basics['name'])}</h1><p>{escape(basics['label'])}</p>{body}</body></html>"
    )


# --- a Word file with the structures real CVs use ----------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NAMESPACES = (
    f'xmlns:w="{_W}" xmlns:r="{_R}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _paragraph(text: str, size: int | None = None) -> str:
    size_xml = f'<w:rPr><w:sz w:val="{size}"/></w:rPr>' if size else ""
    return f'<w:p><w:r>{size_xml}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def structured_docx() -> bytes:
    """A two-column CV as Word writes them: the name in large type, a sidebar text box (stored
    twice, as DrawingML and as its VML fallback), the body in a two-cell table, contacts in the
    page header, and a hyperlink."""
    box = _paragraph("Skills: Python, Kubernetes, PostgreSQL")
    text_box = (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
        f"{box}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    left = "".join(
        _paragraph(line)
        for line in ("Experience", "Senior Engineer, Acme Ltd", "Jan 2019 – Present")
    )
    right = "".join(
        _paragraph(line)
        for line in ("Education", "BSc in Computer Science", "University of Leeds, 2014")
    )
    link = (
        '<w:p><w:hyperlink r:id="rIdLink"><w:r><w:t>GitHub profile</w:t></w:r></w:hyperlink></w:p>'
    )
    body = (
        f"<w:document {_NAMESPACES}><w:body>"
        + _paragraph("Jane Doe", size=48)
        + _paragraph("Backend Engineer")
        + text_box
        + f"<w:tbl><w:tr><w:tc>{left}</w:tc><w:tc>{right}</w:tc></w:tr></w:tbl>"
        + link
        + '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/></w:sectPr>'
        + "</w:body></w:document>"
    )
    header = f"<w:hdr {_NAMESPACES}>{_paragraph('jane.doe@example.com | +44 20 7946 0958')}</w:hdr>"
    relationships = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdHeader" Target="header1.xml" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/header"/>'
        '<Relationship Id="rIdLink" TargetMode="External" Target="https://github.com/janedoe" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"/>'
        "</Relationships>"
    )
    return _rezip(
        resume_docx(),
        {
            "word/document.xml": body.encode(),
            "word/header1.xml": header.encode(),
            "word/_rels/document.xml.rels": relationships.encode(),
        },
    )
