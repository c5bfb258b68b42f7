"""PDF reader (text layer): lines rebuilt into paragraphs, tables as cell blocks.

Visual line breaks in Chinese PDFs fall mid-word, so lines join with no separator;
a paragraph starts at an indent or a larger vertical gap. Each block keeps its page
and bounding box so the review UI can mark the claim on the page image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reportscore.errors import DocumentError
from reportscore.model import Block, Document

from ._common import file_sha256

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*/?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,3})\s*$")
_ASCII_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9]")


@dataclass
class _Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


def read(path: Path) -> Document:
    """Read a text-layer PDF; raises DocumentError for a file pdfplumber cannot open."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as e:  # pdfminer raises many types for broken files
        raise DocumentError(path.name, f"not a readable PDF ({e.__class__.__name__}: {e})", "corrupt") from e
    blocks: list[Block] = []
    with pdf:
        try:
            pages = list(pdf.pages)
        except Exception as e:
            raise DocumentError(path.name, f"not a readable PDF ({e.__class__.__name__}: {e})", "corrupt") from e
        for pno, page in enumerate(pages, start=1):
            _read_page(page, pno, blocks)
        n_pages = len(pages)
    return Document(source=path.name, sha256=file_sha256(path), blocks=tuple(blocks), pages=n_pages, format="pdf")


def _read_page(page, pno: int, blocks: list[Block]) -> None:
    tables = page.find_tables()
    table_boxes = [t.bbox for t in tables]
    lines = [
        _Line(l["text"], l["x0"], l["top"], l["x1"], l["bottom"])
        for l in page.extract_text_lines(strip=True)
        if l["text"].strip() and not _inside_any(l, table_boxes)
    ]
    lines = [l for l in lines if not _PAGE_NUMBER.match(l.text)]
    # Paragraphs first, then tables placed where they sit vertically.
    items: list[tuple[float, list[Block]]] = []
    for para in _paragraphs(lines):
        text = _join([l.text for l in para])
        bbox = (min(l.x0 for l in para), para[0].top, max(l.x1 for l in para), para[-1].bottom)
        items.append((para[0].top, [Block(0, text, pno, "", "paragraph", None, bbox)]))
    for tno, table in enumerate(tables, start=1):
        items.append((table.bbox[1], _table_blocks(table, pno, tno)))
    items.sort(key=lambda t: t[0])
    para_no = 0
    for _, group in items:
        for b in group:
            if b.kind == "paragraph":
                para_no += 1
                loc = f"page {pno}, paragraph {para_no}"
            else:
                loc = b.location
            blocks.append(Block(len(blocks), b.text, pno, loc, b.kind, b.level, b.bbox, b.context))


def _inside_any(line: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (line["x0"] + line["x1"]) / 2, (line["top"] + line["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    """Group lines: a new paragraph at an indent, a large gap, or after a short line."""
    if not lines:
        return []
    left = min(l.x0 for l in lines)
    right = max(l.x1 for l in lines)
    heights = sorted(l.bottom - l.top for l in lines)
    h = heights[len(heights) // 2] or 10.0
    paras: list[list[_Line]] = [[lines[0]]]
    for prev, cur in zip(lines, lines[1:]):
        gap = cur.top - prev.bottom
        indented = cur.x0 - left > 1.2 * h
        prev_short = right - prev.x1 > 2.0 * h
        if gap > 0.9 * h or indented or prev_short:
            paras.append([cur])
        else:
            paras[-1].append(cur)
    return paras


def _join(parts: list[str]) -> str:
    """Chinese lines join with nothing; two Latin words across a break get a space."""
    out = parts[0]
    for p in parts[1:]:
        out += (" " if _ASCII_END.search(out) and _ASCII_START.match(p) else "") + p
    return out


def _table_blocks(table, pno: int, tno: int) -> list[Block]:
    rows = table.extract()
    cells_rows = table.rows
    out: list[Block] = []
    header = [(c or "").replace("\n", "") for c in rows[0]] if rows else []
    for r, row in enumerate(rows):
        row_label = (row[0] or "").replace("\n", "") if row else ""
        for c, val in enumerate(row):
            if val is None or not val.strip():
                continue  # None: covered by a merged cell, already read
            text = _join(val.split("\n"))
            col_head = header[c] if r > 0 and c < len(header) else ""
            context = " / ".join(x for x in (row_label if c > 0 else "", col_head) if x)
            box = cells_rows[r].cells[c] if r < len(cells_rows) and c < len(cells_rows[r].cells) else None
            out.append(
                Block(0, text, pno, f"page {pno}, table {tno}, row {r + 1}, col {c + 1}", "table_cell", None,
                      tuple(box) if box else None, context)
            )
    return out
