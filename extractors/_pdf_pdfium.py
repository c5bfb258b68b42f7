"""The character layer of a PDF page through PDFium (pypdfium2).

Why PDFium and not pdfplumber for running text: pdfminer parses a page in ~25 ms,
PDFium in well under 1 ms, with the same exact Chinese text from Word, WPS, reportlab
and LibreOffice exports. pdfplumber is still used for tables (see `_pdf_tables`), but
only on pages that draw something other than horizontal rules, which is what a ruled
table needs; `PageScan.has_rules` is that test.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ._pdf_layout import Char


@dataclass
class PageScan:
    """What one page holds, in top-left PDF coordinates."""

    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    has_rules: bool = False  # vertical lines / rectangles: a ruled table may be here
    image_area: float = 0.0  # share of the page covered by images (0..1, overlaps counted twice)
    rotated_chars: int = 0  # diagonal glyphs left out (watermarks, stamps)
    crop_offset: tuple[float, float] = (0.0, 0.0)  # CropBox top-left in these coordinates (renders start there)
    quarter_turns: int = 0  # text direction of the page: 0 normal, 1..3 = turned by 90°·n (glyphs are given
    #                         in the reading frame then; `to_page` maps a box back to the page)

    @property
    def ink_chars(self) -> int:
        return sum(1 for c in self.chars if not c.text.isspace())

    def to_page(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A box of the reading frame back in page coordinates (identity for upright text)."""
        if not self.quarter_turns:
            return box
        x0, t0, x1, t1 = box
        pts = [_rotate(x, t, self.quarter_turns, self.width, self.height, inverse=True)
               for x in (x0, x1) for t in (t0, t1)]
        xs, ts = [p[0] for p in pts], [p[1] for p in pts]
        return (round(min(xs), 2), round(min(ts), 2), round(max(xs), 2), round(max(ts), 2))

    @property
    def frame_height(self) -> float:
        return self.width if self.quarter_turns % 2 else self.height


def _rotate(x: float, t: float, q: int, width: float, height: float, inverse: bool = False) -> tuple[float, float]:
    """Turn a point (x, top) of a width x height page by q clockwise quarter turns.

    Text in PDFium direction d reads left to right after -d turns; `inverse` takes a
    point of that turned frame (whose size is swapped for odd turns) back with d turns.
    """
    q %= 4
    if inverse:  # the frame of the forward turn has the swapped size
        w, h = (height, width) if q % 2 else (width, height)
    else:
        w, h = width, height
    for _ in range(q):  # one clockwise quarter turn: (x, t) -> (h - t, x) on a w x h page
        x, t, w, h = h - t, x, h, w
    return x, t


def scan_page(page: pdfium.PdfPage) -> PageScan:
    """Glyphs with boxes, plus the drawing facts that decide tables and OCR."""
    left, bottom, right, top = page.get_mediabox()
    scan = PageScan(width=right - left, height=top - bottom)
    c_left, _, _, c_top = page.get_cropbox()
    scan.crop_offset = (c_left - left, top - c_top)
    tp = page.get_textpage()
    try:
        raw = tp.raw
        n = pdfium_c.FPDFText_CountChars(raw)
        rect = pdfium_c.FS_RECTF()
        chars = scan.chars
        turns: list[int] = []
        pending_high: int | None = None
        for i in range(max(n, 0)):
            if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
                continue
            u = pdfium_c.FPDFText_GetUnicode(raw, i)
            if 0xD800 <= u <= 0xDBFF:
                pending_high = u
                continue
            if 0xDC00 <= u <= 0xDFFF and pending_high is not None:
                u = 0x10000 + ((pending_high - 0xD800) << 10) + (u - 0xDC00)
            pending_high = None
            if u < 0x20 or u == 0xFFFE or u == 0xFFFF or 0xD800 <= u <= 0xDFFF:
                continue
            angle = pdfium_c.FPDFText_GetCharAngle(raw, i)
            q = round(angle / (math.pi / 2))
            if abs(angle - q * math.pi / 2) > 0.05:
                scan.rotated_chars += 1  # diagonal: a watermark
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
                continue
            chars.append(Char(chr(u), rect.left - left, top - rect.top, rect.right - left, top - rect.bottom))
            turns.append(q % 4)
    finally:
        tp.close()
    _main_direction(scan, turns)
    _scan_objects(page, scan, left, bottom)
    return scan


def _main_direction(scan: PageScan, turns: list[int]) -> None:
    """Give the glyphs in the reading frame of the page's main text direction.

    PDFium gives angles clockwise; text turned 90° counter-clockwise (reading upwards,
    a landscape table on a portrait page) has angle 3·π/2. Glyphs in another quarter
    direction than most of the page (vertical text in a table header) are kept where
    they are: their text matters more than their order. Diagonal glyphs (watermarks)
    were already left out.
    """
    if not turns:
        return
    ink = [q for c, q in zip(scan.chars, turns) if not c.text.isspace()] or turns
    main = max(set(ink), key=ink.count)
    kept = []
    for c in scan.chars:
        if main:
            pts = [_rotate(x, t, -main, scan.width, scan.height) for x in (c.x0, c.x1) for t in (c.top, c.bottom)]
            xs, ts = [p[0] for p in pts], [p[1] for p in pts]
            c = Char(c.text, min(xs), min(ts), max(xs), max(ts))
        kept.append(c)
    scan.chars = kept
    scan.quarter_turns = main


def _scan_objects(page: pdfium.PdfPage, scan: PageScan, left: float, bottom: float) -> None:
    """Count what decides the table and OCR passes: rules other than horizontal lines, images."""
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    page_area = max(scan.width * scan.height, 1.0)
    stack = [(pdfium_c.FPDFPage_CountObjects(page.raw), lambda i: pdfium_c.FPDFPage_GetObject(page.raw, i), 0)]
    images = 0.0
    while stack:
        count, get, depth = stack.pop()
        for i in range(max(count, 0)):
            obj = get(i)
            if not obj:
                continue
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
                stack.append((pdfium_c.FPDFFormObj_CountObjects(obj),
                              (lambda o: lambda j: pdfium_c.FPDFFormObj_GetObject(o, j))(obj), depth + 1))
                continue
            if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE):
                continue
            if not pdfium_c.FPDFPageObj_GetBounds(obj, l, b, r, t):
                continue
            w, h = r.value - l.value, t.value - b.value
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                images += max(w, 0) * max(h, 0)
            elif h >= 2.5 and not (h < 6 and w > 20 * h):
                scan.has_rules = True  # a vertical rule, a box or a curve; a horizontal rule or bar is not enough
    scan.image_area = images / page_area
