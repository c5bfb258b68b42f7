"""What a table cell means: its column headers and row label, the same for Word and PDF.

Why one place: a number in a cell says nothing without its row and column ("8座" is
"新建公厕 / 年度计划"), so each table_cell block carries a context string, row label +
" / " + column headers, and the claim pipeline reads a subject from the part before
" / " and a status (planned/done) from the part after it. The Word reader and the PDF
reader find cells in different ways (w:tc elements vs ruled boxes), but once a table
is a grid of visible cells with spans, the header rows, headers and labels follow the
same rules. Keeping those rules here means the same table sent as .docx and as PDF
gives the same blocks, and a change to them reaches both readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class GridSpan:
    """Where a visible cell sits: top-left grid row and column (0-based) and its spans.

    A merged cell is one GridSpan covering rowspan x colspan grid positions; the readers
    subclass it with what they need besides (the w:tc element, the box and text on a page).
    """

    row: int
    col: int
    rowspan: int
    colspan: int


def header_rows(cells: Sequence[GridSpan]) -> int:
    """The header is the first row plus the rows its vertically merged cells reach into.

    A two-line header ("项目" merged down over "2024年任务" / "计划 | 完成") shows as
    a first-row cell with rowspan 2; a one-line header has rowspan 1 everywhere.
    """
    return max((c.rowspan for c in cells if c.row == 0), default=1)


def cell_contexts(cells: Sequence[GridSpan], texts: Sequence[str]) -> list[str]:
    """The context of each cell ("" for header cells): row label, " / ", column headers.

    `texts[i]` is the text of `cells[i]`. The column headers are the texts of the header
    cells above the cell's first grid column, top to bottom, each once (a header merged
    across columns names every column under it) and joined by a space; the row label is
    the text of the cell covering column 0 of the cell's first row, unless that is the
    cell itself. Line breaks inside a cell become spaces: a context is one line.
    """
    covering = _covering_cell_index(cells)
    n_header = header_rows(cells)
    contexts: list[str] = []
    for i, cell in enumerate(cells):
        if cell.row < n_header:
            contexts.append("")
            continue
        heads: list[str] = []
        for r in range(n_header):
            h = covering.get((r, cell.col))
            if h is not None and texts[h] and texts[h] not in heads:
                heads.append(texts[h])
        row_head = covering.get((cell.row, 0))
        row_label = texts[row_head] if row_head is not None and row_head != i else ""
        contexts.append(" / ".join(x.replace("\n", " ") for x in (row_label, " ".join(heads)) if x))
    return contexts


def describe_span(table_label: str, cell: GridSpan) -> str:
    """'table 2, rows 1-2, col 1' in 1-based grid positions, as a reviewer counts them."""
    rows = f"row {cell.row + 1}" if cell.rowspan == 1 else f"rows {cell.row + 1}-{cell.row + cell.rowspan}"
    cols = f"col {cell.col + 1}" if cell.colspan == 1 else f"cols {cell.col + 1}-{cell.col + cell.colspan}"
    return f"table {table_label}, {rows}, {cols}"


def _covering_cell_index(cells: Sequence[GridSpan]) -> dict[tuple[int, int], int]:
    """(grid row, grid column) -> index of the cell covering it; a later cell wins an overlap."""
    covering: dict[tuple[int, int], int] = {}
    for i, c in enumerate(cells):
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                covering[(r, k)] = i
    return covering
