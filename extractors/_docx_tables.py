"""Word tables as a grid of origin cells: every merged cell once, with its span.

Why our own grid: Word stores a horizontal merge as one w:tc with w:gridSpan, and a
vertical merge as a w:tc with w:vMerge="restart" followed by empty w:tc with a bare
w:vMerge in the rows below. python-docx's `row.cells` repeats the merged cell object per
grid column, which hides where the merge is and breaks on rows with w:gridBefore. Here a
cell's position is its grid column, so header and row label lookups (`_table_labels`,
shared with PDF tables) are exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ._docx_xml import Tags
from ._table_labels import GridSpan


@dataclass
class GridCell(GridSpan):
    """One visible cell: top-left grid position and spans (GridSpan), and its w:tc element."""

    tc: etree._Element


def _children(el: etree._Element, tag: str, t: Tags) -> list[etree._Element]:
    """Direct children with `tag`, looking through content controls and custom XML wrappers."""
    out = []
    for child in el:
        if child.tag == tag:
            out.append(child)
        elif child.tag in (t.sdt, t.customXml):
            inner = child.find(t.sdtContent) if child.tag == t.sdt else child
            if inner is not None:
                out.extend(_children(inner, tag, t))
    return out


def _int(el: etree._Element | None, t: Tags, default: int) -> int:
    if el is None:
        return default
    v = el.get(t.val, "")
    return int(v) if v.isdigit() else default


def table_grid(tbl: etree._Element, t: Tags) -> tuple[list[GridCell], int]:
    """Origin cells in reading order (row by row) and the number of rows kept.

    Deleted rows (tracked change w:trPr/w:del) are left out: changes read as accepted.
    """
    cells: list[GridCell] = []
    # (row index, grid column) -> the cell covering it, for vMerge continuation.
    covering: dict[tuple[int, int], GridCell] = {}
    r = 0
    for tr in _children(tbl, t.tr, t):
        trpr = tr.find(t.trPr)
        if trpr is not None and trpr.find(t.del_) is not None:
            continue
        col = _int(trpr.find(t.gridBefore) if trpr is not None else None, t, 0)
        prev: GridCell | None = None
        for tc in _children(tr, t.tc, t):
            tcpr = tc.find(t.tcPr)
            span = max(1, _int(tcpr.find(t.gridSpan) if tcpr is not None else None, t, 1))
            vmerge = tcpr.find(t.vMerge) if tcpr is not None else None
            hmerge = tcpr.find(t.hMerge) if tcpr is not None else None
            if vmerge is not None and vmerge.get(t.val, "continue") == "continue" and (r - 1, col) in covering:
                above = covering[(r - 1, col)]
                above.rowspan = r - above.row + 1
                for c in range(col, col + span):
                    covering[(r, c)] = above
            elif hmerge is not None and hmerge.get(t.val, "continue") == "continue" and prev is not None:
                prev.colspan += span  # legacy horizontal merge (Word 95 style)
                for c in range(col, col + span):
                    covering[(r, c)] = prev
            else:
                cell = GridCell(r, col, 1, span, tc)
                cells.append(cell)
                for c in range(col, col + span):
                    covering[(r, c)] = cell
                prev = cell
            col += span
        r += 1
    return cells, r
