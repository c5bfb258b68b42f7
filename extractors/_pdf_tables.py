"""Ruled tables in a PDF page: pdfplumber finds the cells, our glyphs fill them.

Why split the work: pdfplumber's edge/intersection table finder is good and is the
slow part we can afford on the few pages that draw rules; the cell text comes from
the same PDFium glyphs as the running text, so a number reads the same in a cell and
in a sentence, and every glyph is used once (in a cell or in a paragraph, never both).
"""

from __future__ import annotations

from dataclasses import dataclass

from ._pdf_layout import Char, chars_to_lines, join_lines
from ._table_labels import GridSpan, cell_contexts

BBox = tuple[float, float, float, float]


@dataclass
class PdfCell(GridSpan):
    """One visible cell: grid position and spans (GridSpan), box, text (already joined)
    and context (row label / column headers, from `_table_labels` as for Word tables)."""

    bbox: BBox
    text: str = ""
    context: str = ""


@dataclass
class PdfTable:
    bbox: BBox
    cells: list[PdfCell]


def find_table_boxes(plumber_page) -> list[list[BBox]]:
    """Cell boxes of each ruled table on the page (tables of one cell are boxed text, not tables)."""
    found = plumber_page.find_tables()
    return [list(t.cells) for t in found if len(t.cells) >= 2]


def _index(edges: list[float], value: float, tol: float = 1.5) -> int:
    for i, e in enumerate(edges):
        if abs(e - value) <= tol:
            return i
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _edges(values: list[float], tol: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def build_table(cell_boxes: list[BBox], chars: list[Char]) -> tuple[PdfTable, list[Char]]:
    """Fill the cells with the glyphs inside them; return the table and the glyphs left over."""
    cols = _edges([c[0] for c in cell_boxes])
    rows = _edges([c[1] for c in cell_boxes])
    cells: list[PdfCell] = []
    for x0, top, x1, bottom in sorted(cell_boxes, key=lambda c: (round(c[1]), c[0])):
        r, c = _index(rows, top), _index(cols, x0)
        rowspan = max(1, sum(1 for e in rows if top - 1.5 <= e < bottom - 1.5))
        colspan = max(1, sum(1 for e in cols if x0 - 1.5 <= e < x1 - 1.5))
        cells.append(PdfCell(r, c, rowspan, colspan, (x0, top, x1, bottom)))
    bbox = (min(c.bbox[0] for c in cells), min(c.bbox[1] for c in cells),
            max(c.bbox[2] for c in cells), max(c.bbox[3] for c in cells))
    inside: dict[int, list[Char]] = {i: [] for i in range(len(cells))}
    rest: list[Char] = []
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        if not (bbox[0] <= cx < bbox[2] and bbox[1] <= cy < bbox[3]):
            rest.append(ch)
            continue
        for i, cell in enumerate(cells):
            x0, top, x1, bottom = cell.bbox
            if x0 <= cx < x1 and top <= cy < bottom:
                inside[i].append(ch)
                break
        else:
            rest.append(ch)
    for i, cell in enumerate(cells):
        lines = chars_to_lines(inside[i])
        cell.text = join_lines([l.text for l in lines]) if lines else ""
    for cell, context in zip(cells, cell_contexts(cells, [c.text for c in cells])):
        cell.context = context
    return PdfTable(bbox, cells), rest
