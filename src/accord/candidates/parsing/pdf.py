"""Text of a PDF, in reading order, with pdfminer (pdfplumber's engine) and its layout analysis,
which keeps the columns of a two-column resume apart."""

import io
import itertools
from dataclasses import dataclass, field
from typing import Any, Final

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTFigure, LTImage, LTPage, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFException
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException

from accord.candidates.parsing.errors import Failure, Reason

MAX_PAGES: Final = 30  # a resume is a few pages; the rest of a longer file is not read
_EOF_WINDOW: Final = 4096


@dataclass
class PdfText:
    text: str
    links: list[str] = field(default_factory=list)
    images: int = 0
    prominent: list[str] = field(default_factory=list)  # lines in the largest type (a name?)


def extract(data: bytes) -> PdfText:
    # A file cut short loses its end-of-file marker (and usually its cross-reference table);
    # pdfminer would still scrape some objects from it, but the resume would be incomplete.
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise Failure(Reason.CORRUPT_PDF)
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise Failure(Reason.ENCRYPTED_PDF) from error
    except (PDFException, PSException, ValueError, KeyError, TypeError) as error:
        raise Failure(Reason.CORRUPT_PDF) from error
    try:
        return _pages(document)
    except (PDFException, PSException, ValueError, KeyError, TypeError, IndexError) as error:
        raise Failure(Reason.CORRUPT_PDF) from error


def _pages(document: PDFDocument) -> PdfText:
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams())
    interpreter = PDFPageInterpreter(resources, device)
    result = PdfText(text="")
    pages: list[str] = []
    for number, page in enumerate(PDFPage.create_pages(document)):
        if number >= MAX_PAGES:
            break
        interpreter.process_page(page)
        layout = device.get_result()
        pages.append(_layout_text(layout, result))
        result.links.extend(_uris(page))
    result.text = "\n\n".join(pages)
    return result


@dataclass
class _Line:
    x0: float
    x1: float
    top: float  # distance from the top of the page
    bottom: float
    text: str
    size: float = 0.0
    line_height: float = 0.0  # of one line, when wrapped lines were joined

    @property
    def height(self) -> float:
        return self.line_height or self.bottom - self.top


def _layout_text(layout: LTPage, result: PdfText) -> str:
    lines: list[_Line] = []
    boxes = [item for item in layout if isinstance(item, LTTextBox)]
    sizes = {id(box): _font_size(box) for box in boxes}
    for box in boxes:
        # The right margin of the column the box is in: the furthest text of the same size
        # aligned with it goes. A paragraph's wrapped lines reach it; a line ended on purpose
        # may not. (A large name across the top is not the column's width.)
        margin = max(
            other.x1
            for other in boxes
            if abs(other.x0 - box.x0) < 3 and abs(sizes[id(other)] - sizes[id(box)]) < 1
        )
        lines.extend(_unwrap(box, layout.y1, margin))
    for item in layout:
        if isinstance(item, LTFigure | LTImage):
            result.images += _count_images(item)
    if not result.prominent and lines:
        largest = max(line.size for line in lines)
        ordinary = sorted(line.size for line in lines)[len(lines) // 2]
        if largest > ordinary:
            result.prominent = [line.text for line in lines if line.size >= largest - 0.5][:5]
    return "\n".join(_reading_order(lines))


def _unwrap(box: LTTextBox, page_top: float, margin: float) -> list[_Line]:
    """The box's lines, with wrapped lines joined again. A line was wrapped when the next
    line's first word would not have fitted at its end, before the column's margin; a line
    ended on purpose (a short line, a break in the source) leaves room for that word and stays
    a line, and so does a line before a bullet, a date or a heading."""
    out: list[_Line] = []
    previous_wrapped = False
    items = [item for item in box if isinstance(item, LTTextLine) and item.get_text().strip()]
    for index, item in enumerate(items):
        chars = [char for char in item if isinstance(char, LTChar)]
        text = item.get_text().strip()
        line = _Line(
            item.x0,
            item.x1,
            page_top - item.y1,
            page_top - item.y0,
            text,
            max((char.size for char in chars), default=0.0),
        )
        if out and previous_wrapped:
            last = out[-1]
            joiner = "" if last.text.endswith(("-", "/")) else " "
            out[-1] = _Line(
                min(last.x0, line.x0), max(last.x1, line.x1), last.top, line.bottom,
                last.text + joiner + line.text, max(last.size, line.size), last.height,
            )  # fmt: skip
        else:
            out.append(line)
        previous_wrapped = False
        following = items[index + 1].get_text().strip() if index + 1 < len(items) else ""
        if chars and following and not _starts_block(following):
            width = sum(char.width for char in chars) / len(chars)
            first_word = following.split()[0]
            previous_wrapped = item.x1 + (len(first_word) + 1) * width > margin + width / 2
    return out


def _reading_order(lines: list[_Line]) -> list[str]:
    """Top to bottom; where the page has columns, each column in full before the next.

    A gutter is a vertical strip that (almost) no line crosses; lines that do cross it (a name
    across the top, a footer) split the page into bands, read one after another.
    """
    if not lines:
        return []
    gutters = _gutters(lines)
    out: list[str] = []
    band: list[_Line] = []
    for line in sorted(lines, key=lambda line: (line.top, line.x0)):
        if any(line.x0 < left and line.x1 > right for left, right in gutters):
            out.extend(_band(band, gutters))
            band = []
            out.extend(_rows([line]))
        else:
            band.append(line)
    out.extend(_band(band, gutters))
    return out


def _gutters(lines: list[_Line]) -> list[tuple[float, float]]:
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    width = right - left
    if width < 100 or len(lines) < 6:
        return []
    bins = [0] * (int(width) + 1)
    for line in lines:
        for x in range(int(line.x0 - left), int(line.x1 - left)):
            bins[x] += 1
    allowed = max(1, len(lines) // 50)  # a few lines may cross a gutter (they become bands)
    gutters: list[tuple[float, float]] = []
    start: int | None = None
    for x, count in enumerate([*bins, allowed + 1]):
        if count <= allowed and start is None:
            start = x
        elif count > allowed and start is not None:
            if x - start >= 8 and 0.12 * width < start and x < 0.88 * width:
                gutters.append((left + start, left + x))
            start = None
    # Each column must hold real content, or the "gutter" is just a gap in a line of dates.
    columns = _split(list(lines), gutters)
    if any(len(column) < 3 for column in columns):
        return []
    return gutters


def _split(lines: list[_Line], gutters: list[tuple[float, float]]) -> list[list[_Line]]:
    columns: list[list[_Line]] = [[] for _ in range(len(gutters) + 1)]
    for line in lines:
        index = sum(1 for left, _right in gutters if line.x0 >= left)
        columns[index].append(line)
    return columns


def _band(lines: list[_Line], gutters: list[tuple[float, float]]) -> list[str]:
    out: list[str] = []
    for column in _split(lines, gutters):
        out.extend(_rows(column))
    return out


def _rows(lines: list[_Line]) -> list[str]:
    """Lines on the same baseline joined left to right (a bullet and its text, a title and its
    right-aligned dates, with a tab for a wide gap); a blank line where a paragraph gap is."""
    out: list[str] = []
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda line: (line.top, line.x0)):
        if rows and abs(rows[-1][0].top - line.top) < line.height * 0.5:
            rows[-1].append(line)
        else:
            rows.append([line])
    previous: _Line | None = None
    for row in rows:
        row.sort(key=lambda line: line.x0)
        first = row[0]
        if previous is not None and first.top - previous.bottom > previous.height * 0.8:
            out.append("")
        text = row[0].text
        for before, after in itertools.pairwise(row):
            gap = after.x0 - before.x1
            text += ("\t" if gap > 15 else " ") + after.text
        out.append(text)
        previous = first
    if out:
        out.append("")
    return out


def _font_size(box: LTTextBox) -> float:
    sizes = sorted(char.size for line in box for char in line if isinstance(char, LTChar))
    return sizes[len(sizes) // 2] if sizes else 0.0


def _starts_block(text: str) -> bool:
    from accord.candidates.parsing.fields import is_bullet
    from accord.candidates.parsing.sections import heading

    return is_bullet(text) or text[:1].isdigit() or heading(text) is not None


def _count_images(item: Any) -> int:
    if isinstance(item, LTImage):
        return 1
    if isinstance(item, LTFigure):
        return sum(_count_images(child) for child in item)
    return 0


def _uris(page: PDFPage) -> list[str]:
    out = []
    for annotation in resolve1(page.annots) or []:
        annotation = resolve1(annotation)
        if not isinstance(annotation, dict):
            continue
        action = resolve1(annotation.get("A"))
        if isinstance(action, dict):
            uri = resolve1(action.get("URI"))
            if isinstance(uri, bytes):
                out.append(uri.decode("latin-1"))
            elif isinstance(uri, str):
                out.append(uri)
    return out
