"""Text of a Word (.docx) file, read from its XML: body, tables, text boxes, headers, footers.

python-docx would load every part of the package (images included) and skips text boxes, so the
parts that hold text are read directly. The zip directory is checked before anything is
decompressed: a zip bomb declares its expansion there, and every read is capped besides.
"""

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from typing import Final
from xml.etree import ElementTree

from accord.candidates.parsing.errors import Failure, Reason

MAX_MEMBERS: Final = 2_000
MAX_TOTAL_UNPACKED: Final = 256 * 1024 * 1024  # everything the package declares, images included
MAX_PART_UNPACKED: Final = 32 * 1024 * 1024  # one XML part we read; resumes are < 1 MB
MAX_RATIO: Final = 200  # XML deflates ~10–30×; a run of zeros ~1000×
RATIO_FLOOR: Final = 1024 * 1024  # small members may compress extremely without harm

_REL_OFFICE_DOCUMENT = "/officeDocument"
_REL_HEADER, _REL_FOOTER, _REL_HYPERLINK = "/header", "/footer", "/hyperlink"

# Elements whose content is never document text.
_SKIP = frozenset(
    {"delText", "instrText", "del", "moveFrom", "rPr", "pPr", "sectPr", "tblPr", "trPr", "tcPr"}
    | {"Fallback", "fldData", "footnoteReference", "endnoteReference", "commentReference"}
)
_BLOCK_BREAKS = frozenset({"br", "cr"})


@dataclass
class DocxText:
    text: str
    links: list[str] = field(default_factory=list)
    prominent: list[str] = field(default_factory=list)  # lines in the largest type (a name?)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse a package whose directory promises a zip bomb, before decompressing any of it."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise Failure(Reason.ZIP_BOMB, members=len(members))
    total = sum(member.file_size for member in members)
    if total > MAX_TOTAL_UNPACKED:
        raise Failure(Reason.ZIP_BOMB, size=total)
    for member in members:
        if member.file_size > MAX_PART_UNPACKED and member.filename.endswith((".xml", ".rels")):
            raise Failure(Reason.ZIP_BOMB, size=member.file_size)
        if member.file_size > RATIO_FLOOR:
            ratio = member.file_size // max(member.compress_size, 1)
            if ratio > MAX_RATIO:
                raise Failure(Reason.ZIP_BOMB, ratio=ratio)


def _read(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.flag_bits & 0x1:
        raise Failure(Reason.ENCRYPTED_DOCX)
    # zipfile never inflates past the declared size, which check_zip bounded; read one byte more
    # than the cap anyway in case a damaged header lies.
    with archive.open(info) as stream:
        data = stream.read(MAX_PART_UNPACKED + 1)
    if len(data) > MAX_PART_UNPACKED:
        raise Failure(Reason.ZIP_BOMB, size=len(data))
    return data


def _xml(data: bytes) -> ElementTree.Element:
    # Safe for untrusted XML: expat >= 2.4.1 (Python's) never fetches external entities and
    # caps entity amplification (billion laughs, quadratic blowup); and this runs in the sandbox.
    return ElementTree.fromstring(data)  # noqa: S314 (see above)


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str, bool]]:
    """(id, type, target, external) for a part's relationships, targets resolved to zip names."""
    folder, name = posixpath.split(part)
    data = _read(archive, posixpath.join(folder, "_rels", name + ".rels"))
    if data is None:
        return []
    out = []
    for rel in _xml(data):
        target = rel.get("Target", "")
        external = rel.get("TargetMode", "") == "External"
        if not external:
            target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
        out.append((rel.get("Id", ""), rel.get("Type", ""), target, external))
    return out


def extract(data: bytes) -> DocxText:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise Failure(Reason.CORRUPT_DOCX) from error
    with archive:
        check_zip(archive)
        try:
            return _extract(archive)
        except (zipfile.BadZipFile, ElementTree.ParseError, EOFError, OSError) as error:
            # zlib.error and CRC mismatches surface as BadZipFile or OSError subclasses.
            raise Failure(Reason.CORRUPT_DOCX) from error


def _extract(archive: zipfile.ZipFile) -> DocxText:
    main = next(
        (
            target
            for _id, kind, target, external in _relationships(archive, "")
            if kind.endswith(_REL_OFFICE_DOCUMENT) and not external
        ),
        "word/document.xml",
    )
    body = _read(archive, main)
    if body is None:
        raise Failure(Reason.CORRUPT_DOCX)
    relationships = _relationships(archive, main)
    styles = next(
        (
            _read(archive, target)
            for _id, kind, target, external in relationships
            if kind.endswith("/styles") and not external
        ),
        None,
    )
    sizes = _StyleSizes(_xml(styles) if styles else None)
    links = [
        target
        for _id, kind, target, external in relationships
        if external and kind.endswith(_REL_HYPERLINK)
    ]
    headers: list[str] = []
    footers: list[str] = []
    for _id, kind, target, external in relationships:
        if external or not kind.endswith((_REL_HEADER, _REL_FOOTER)):
            continue
        part = _read(archive, target)
        if part is None:
            continue
        lines = _Walker(sizes).block(_xml(part))
        (headers if kind.endswith(_REL_HEADER) else footers).extend(lines)
        links += [
            t for _i, k, t, e in _relationships(archive, target) if e and k.endswith(_REL_HYPERLINK)
        ]
    walker = _Walker(sizes)
    body_lines = walker.block(_xml(body))
    # A document with a first-page and a default header repeats the same lines in both.
    lines = _unique(headers) + body_lines + _unique(footers)
    return DocxText(text="\n".join(lines), links=links, prominent=walker.prominent())


def _unique(lines: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for line in lines:
        key = line.strip()
        if key and key in seen:
            continue
        seen.add(key)
        out.append(line)
    return out


class _StyleSizes:
    """Font sizes (half-points) of paragraph styles, following basedOn, and the default."""

    def __init__(self, styles: ElementTree.Element | None) -> None:
        self.default = 20.0
        self.sizes: dict[str, float] = {}
        if styles is None:
            return
        based_on: dict[str, str] = {}
        for element in styles:
            name = _local(element.tag)
            if name == "docDefaults":
                self.default = _size(element) or self.default
            elif name == "style":
                style_id = _attribute(element, "styleId")
                size = _size(element, deep=False)
                if size:
                    self.sizes[style_id] = size
                for child in element:
                    if _local(child.tag) == "basedOn":
                        based_on[style_id] = _attribute(child, "val")
        for style_id in list(based_on):
            seen = {style_id}
            parent = based_on.get(style_id)
            while style_id not in self.sizes and parent and parent not in seen:
                if parent in self.sizes:
                    self.sizes[style_id] = self.sizes[parent]
                seen.add(parent)
                parent = based_on.get(parent)

    def of(self, style_id: str) -> float:
        return self.sizes.get(style_id, self.default)


def _attribute(element: ElementTree.Element, name: str) -> str:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return ""


def _size(element: ElementTree.Element, *, deep: bool = True) -> float | None:
    """The w:sz under `element` (its own rPr only, unless deep)."""
    candidates = (
        element.iter()
        if deep
        else (grandchild for child in element if _local(child.tag) == "rPr" for grandchild in child)
    )
    for item in candidates:
        if _local(item.tag) == "sz":
            try:
                return float(_attribute(item, "val"))
            except ValueError:
                return None
    return None


class _Walker:
    """Turns WordprocessingML into lines: one per paragraph, table rows as cells joined by tabs
    when every cell is a single line, text boxes after the paragraph that anchors them."""

    def __init__(self, sizes: _StyleSizes) -> None:
        self.sizes = sizes
        self.sized: list[tuple[float, str]] = []

    def prominent(self) -> list[str]:
        """The lines set in the largest type, if that is larger than the body text."""
        if not self.sized:
            return []
        largest = max(size for size, _text in self.sized)
        ordinary = sorted(size for size, _text in self.sized)[len(self.sized) // 2]
        if largest <= ordinary:
            return []
        return [text for size, text in self.sized if size >= largest - 1][:5]

    def block(self, element: ElementTree.Element) -> list[str]:
        out: list[str] = []
        for child in element:
            name = _local(child.tag)
            if name in _SKIP:
                continue
            if name == "p":
                out.extend(self.paragraph(child))
            elif name == "tbl":
                out.extend(self.table(child))
            elif name == "AlternateContent":
                out.extend(self.block(self._choice(child)))
            else:
                out.extend(self.block(child))
        return out

    @staticmethod
    def _choice(alternate: ElementTree.Element) -> ElementTree.Element:
        # Word writes the same text box twice: as DrawingML (Choice) and as VML (Fallback).
        for child in alternate:
            if _local(child.tag) == "Choice":
                return child
        return ElementTree.Element("empty")

    def paragraph(self, paragraph: ElementTree.Element) -> list[str]:
        parts: list[str] = []
        floating: list[str] = []
        self._inline(paragraph, parts, floating)
        text = "".join(parts)
        if text.strip():
            self.sized.append((self._paragraph_size(paragraph), text.strip()))
        if self._is_list_item(paragraph) and text.strip():
            text = "• " + text.lstrip()
        return [*text.split("\n"), *floating]

    def _paragraph_size(self, paragraph: ElementTree.Element) -> float:
        style = ""
        runs: list[float] = []
        for child in paragraph:
            name = _local(child.tag)
            if name == "pPr":
                for item in child:
                    if _local(item.tag) == "pStyle":
                        style = _attribute(item, "val")
            elif name in ("r", "hyperlink", "ins", "smartTag"):
                for run in child.iter():
                    if _local(run.tag) == "r" and any(
                        _local(t.tag) == "t" and (t.text or "").strip() for t in run
                    ):
                        size = _size(run, deep=False)
                        if size:
                            runs.append(size)
        base = self.sizes.of(style)
        return max(runs) if runs else base

    @staticmethod
    def _is_list_item(paragraph: ElementTree.Element) -> bool:
        for child in paragraph:
            if _local(child.tag) == "pPr":
                return any(_local(item.tag) == "numPr" for item in child)
        return False

    def _inline(self, element: ElementTree.Element, parts: list[str], floating: list[str]) -> None:
        for child in element:
            name = _local(child.tag)
            if name in _SKIP:
                continue
            if name == "t":
                parts.append(child.text or "")
            elif name == "tab" or name == "ptab":
                parts.append("\t")
            elif name in _BLOCK_BREAKS:
                parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("-")
            elif name == "sym":
                parts.append(_symbol(child))
            elif name == "txbxContent":
                floating.extend(self.block(child))
            elif name == "AlternateContent":
                self._inline(self._choice(child), parts, floating)
            elif name in ("p", "tbl"):  # blocks nested in inline content (rare, but legal)
                floating.extend(self.block(_wrap(child)))
            else:
                self._inline(child, parts, floating)

    def table(self, table: ElementTree.Element) -> list[str]:
        out: list[str] = []
        for row in table:
            if _local(row.tag) != "tr":
                continue
            cells = [
                [line for line in self.block(cell) if line.strip()]
                for cell in row
                if _local(cell.tag) == "tc"
            ]
            if all(len(cell) <= 1 for cell in cells):
                out.append("\t".join(cell[0] for cell in cells if cell))
            else:
                for cell in cells:
                    out.extend(cell)
        return out


def _wrap(element: ElementTree.Element) -> ElementTree.Element:
    wrapper = ElementTree.Element("wrap")
    wrapper.append(element)
    return wrapper


def _symbol(element: ElementTree.Element) -> str:
    # w:sym holds a code point in a symbol font; private-use Wingdings codes mean nothing as text.
    for key, value in element.attrib.items():
        if _local(key) == "char":
            try:
                code = int(value, 16)
            except ValueError:
                return ""
            return chr(code) if code < 0xF000 else " "  # (nor anything beyond Unicode)
    return ""
