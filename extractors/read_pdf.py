"""PDF reader: text-layer pages and scanned pages, read into located blocks.

Per page: PDFium glyphs (`_pdf_pdfium`), ruled tables through pdfplumber on pages that
draw rules (`_pdf_tables`), OCR for pages without a text layer (`read_ocr`); then, over
the whole document, running headers/footers and page numbers go (`_pdf_layout`), and
each page's lines become paragraphs. Every block keeps its page and bbox (PDF points
from the top-left of the MediaBox, pdfplumber's convention; scans are shifted by the
CropBox offset so both kinds of page agree) so the review UI can mark the sentence on the page image.

A paragraph that runs over a page break becomes two blocks, one per page: a block
never spans pages, so its bbox is always on one page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from reportscore.errors import DocumentError
from reportscore.model import Block, Document

from ._common import DEFAULT_LIMITS, Limits, file_sha256
from ._pdf_layout import Char, Line, bbox_of, chars_to_lines, join_lines, paragraphs, remove_furniture
from ._pdf_tables import BBox, PdfTable, build_table, find_table_boxes
from ._table_labels import describe_span

OCR_MAX_INK_CHARS = 10  # a page with fewer glyphs than this and a page-size image is a scan
OCR_MIN_IMAGE_SHARE = 0.5


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[PdfTable] = field(default_factory=list)
    ocr: bool = False
    crop_offset: tuple[float, float] = (0.0, 0.0)
    to_page: Callable[[BBox], BBox] = lambda box: box  # reading frame -> page (turned text)


def read(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a PDF; DocumentError for a broken or password-protected file, or OCR that cannot run."""
    import pypdfium2 as pdfium

    from ._pdf_pdfium import scan_page

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise DocumentError(path.name, "the PDF is password-protected; ask the unit for an unprotected copy",
                                "encrypted") from e
        raise DocumentError(path.name, f"not a readable PDF ({e})", "corrupt") from e
    pages: list[_Page] = []
    notes: list[str] = []
    plumber = None
    rotated = 0
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise DocumentError(path.name, "the PDF has no pages", "corrupt")
        for i in range(n_pages):
            try:
                page = pdf[i]
            except pdfium.PdfiumError as e:
                raise DocumentError(path.name, f"page {i + 1} of the PDF cannot be loaded ({e})", "corrupt") from e
            try:
                scan = scan_page(page)
            finally:
                page.close()
            rotated += scan.rotated_chars
            pg = _Page(i + 1, scan.width, scan.frame_height, crop_offset=scan.crop_offset, to_page=scan.to_page)
            ink = scan.ink_chars
            scanned = scan.image_area >= OCR_MIN_IMAGE_SHARE or (ink == 0 and scan.image_area > 0)
            if ink < OCR_MAX_INK_CHARS and scanned:
                pg.ocr = True
                pages.append(pg)
                continue
            chars = scan.chars
            if scan.quarter_turns:
                notes.append(f"page {i + 1}: the text is turned {90 * (4 - scan.quarter_turns)}° counter-clockwise; "
                             "read in its own direction (ruled tables on it are read as paragraphs)")
            elif scan.has_rules and ink:
                if plumber is None:
                    plumber = _open_plumber(path, notes)
                if plumber is not False:
                    chars = _tables(plumber, i, chars, pg, notes)
            pg.lines = chars_to_lines(chars)
            pages.append(pg)
    finally:
        pdf.close()
        if plumber:
            plumber.close()

    ocr_pages = [p.number for p in pages if p.ocr]
    mean_conf = None
    if ocr_pages:
        from .read_ocr import ocr_pdf_pages

        done = {o.number: o for o in ocr_pdf_pages(path, ocr_pages, limits, path.name)}
        confs = []
        for p in pages:
            if p.ocr:  # the render starts at the CropBox: move the boxes to MediaBox coordinates
                dx, dy = p.crop_offset
                p.lines = [dataclasses.replace(l, x0=l.x0 + dx, x1=l.x1 + dx, top=l.top + dy, bottom=l.bottom + dy)
                           for l in done[p.number].lines]
                confs += [l.conf for l in p.lines if l.conf is not None]
        mean_conf = sum(confs) / len(confs) if confs else 0.0
        notes.append(f"page(s) {_ranges(ocr_pages)} have no text layer and were read by OCR (tesseract chi_sim, "
                     f"mean confidence {mean_conf:.2f}); check their numbers against the page image")
    kept, furniture_notes = remove_furniture(
        [p.lines for p in pages], [p.height for p in pages], [12.0 if p.ocr else 3.0 for p in pages])
    notes += furniture_notes
    if rotated:
        notes.append(f"{rotated} diagonal glyph(s) (watermark or stamp text) left out")
    blocks = _blocks(pages, kept)
    return Document(source=path.name, sha256=file_sha256(path), blocks=tuple(blocks), pages=len(pages),
                    format="pdf", notes=tuple(notes))


def _open_plumber(path: Path, notes: list[str]):
    """pdfplumber for table detection, or False when pdfminer cannot parse a file PDFium
    read (a damaged xref PDFium repairs): then tables are read as paragraphs, with a note."""
    import pdfplumber

    try:
        return pdfplumber.open(str(path))
    except Exception as e:  # pdfminer raises many types on damaged files: bad input, not our bug
        notes.append(f"table detection unavailable ({e.__class__.__name__}); tables are read as paragraphs")
        return False


def _tables(plumber, index: int, chars: list[Char], pg: _Page, notes: list[str]) -> list[Char]:
    """Find ruled tables on this page, move their glyphs into cells, return the rest."""
    ppage = None
    try:
        ppage = plumber.pages[index]
        boxes = find_table_boxes(ppage)
    except Exception as e:  # malformed drawing operators (pdfminer): read the page as running text instead
        notes.append(f"tables on page {pg.number} could not be detected ({e.__class__.__name__}); "
                     "their text is read as paragraphs")
        return chars
    finally:
        if ppage is not None:
            ppage.close()
    for cell_boxes in boxes:
        table, chars = build_table(cell_boxes, chars)
        if any(c.text for c in table.cells):
            pg.tables.append(table)
    return chars


def _blocks(pages: list[_Page], kept: list[list[Line]]) -> list[Block]:
    heights = sorted(l.height for lines, p in zip(kept, pages) if not p.ocr for l in lines)
    body_h = heights[len(heights) // 2] if heights else 0.0
    blocks: list[Block] = []
    for p, lines in zip(pages, kept):
        items: list[tuple[float, int, object]] = []
        for para in paragraphs(lines, size_breaks=not p.ocr):
            items.append((para[0].top, 0, para))
        for t in p.tables:
            items.append((t.bbox[1], 1, t))
        items.sort(key=lambda x: (x[0], x[1]))
        para_no = table_no = 0
        for _, _, item in items:
            if isinstance(item, PdfTable):
                table_no += 1
                for c in item.cells:
                    if not c.text:
                        continue
                    loc = f"page {p.number}, {describe_span(str(table_no), c)}"
                    box = (round(c.bbox[0], 2), round(c.bbox[1], 2), round(c.bbox[2], 2), round(c.bbox[3], 2))
                    blocks.append(Block(len(blocks), c.text, p.number, loc, "table_cell", None, box, c.context))
                continue
            para: list[Line] = item  # type: ignore[assignment]
            para_no += 1
            text = join_lines([l.text for l in para])
            kind, conf = "paragraph", None
            if p.ocr:
                weight = sum(len(l.text) for l in para) or 1
                conf = round(sum((l.conf or 0.0) * len(l.text) for l in para) / weight, 3)
            elif len(para) <= 3 and body_h and min(l.height for l in para) >= 1.25 * body_h and len(text) <= 90:
                kind = "heading"
            loc = f"page {p.number}, paragraph {para_no}" + (" (OCR)" if p.ocr else "")
            blocks.append(Block(len(blocks), text, p.number, loc, kind,  # type: ignore[arg-type]
                                None, p.to_page(bbox_of(para)), "", conf))
    return blocks


def _ranges(nums: list[int]) -> str:
    """[1,2,3,5] -> '1-3, 5'."""
    out, start = [], None
    for i, n in enumerate(nums):
        if start is None:
            start = n
        if i + 1 == len(nums) or nums[i + 1] != n + 1:
            out.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(out)
