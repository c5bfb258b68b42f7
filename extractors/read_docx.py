"""Word (.docx) reader: body paragraphs and table cells in document order.

Why python-docx's `iter_inner_content`: it yields paragraphs and tables interleaved in
the order a reader sees them, so block indexes follow the page.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from reportscore.errors import DocumentError
from reportscore.model import Block, Document

from ._common import file_sha256

_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)", re.I)


def read(path: Path) -> Document:
    """Read a .docx into blocks; raises DocumentError when the file is not a readable docx."""
    import docx  # python-docx; imported here to keep `reportscore --help` fast

    try:
        d = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise DocumentError(path.name, f"not a readable Word file ({e.__class__.__name__}: {e})", "corrupt") from e
    except Exception as e:  # lxml errors and python-docx's own: still bad input, not a bug of ours
        raise DocumentError(path.name, f"not a readable Word file ({e.__class__.__name__}: {e})", "corrupt") from e

    blocks: list[Block] = []
    table_no = 0
    for item in d.iter_inner_content():
        if item.__class__.__name__ == "Table":
            table_no += 1
            blocks.extend(_table_blocks(item, table_no, len(blocks)))
            continue
        text = item.text
        if not text.strip():
            continue
        style = item.style.name if item.style is not None else ""
        m = _HEADING_STYLE.match(style or "")
        kind, level = "paragraph", None
        if m:
            kind, level = "heading", int(m.group(1))
        elif style == "Title":
            kind, level = "heading", 0
        elif item._p.pPr is not None and item._p.pPr.numPr is not None:
            kind = "list_item"
        blocks.append(
            Block(index=len(blocks), text=text, location=f"paragraph {len(blocks) + 1}", kind=kind, level=level)
        )
    return Document(source=path.name, sha256=file_sha256(path), blocks=tuple(blocks), format="docx")


def _table_blocks(table, table_no: int, first_index: int) -> list[Block]:
    """One block per distinct cell; a merged cell (same XML element) is read once.

    The header row text of the column and the row's first cell are kept as context
    so that a bare number in a cell still says what it counts.
    """
    out: list[Block] = []
    seen: set[int] = set()
    rows = list(table.rows)
    header = [c.text.strip() for c in rows[0].cells] if rows else []
    for r, row in enumerate(rows):
        cells = list(row.cells)
        row_label = cells[0].text.strip() if cells else ""
        for c, cell in enumerate(cells):
            key = id(cell._tc)
            if key in seen:
                continue
            seen.add(key)
            text = cell.text
            if not text.strip():
                continue
            col_head = header[c] if c < len(header) and r > 0 else ""
            context = " / ".join(x for x in (row_label if c > 0 else "", col_head) if x)
            out.append(
                Block(
                    index=first_index + len(out),
                    text=text,
                    location=f"table {table_no}, row {r + 1}, col {c + 1}",
                    kind="table_cell",
                    context=context,
                )
            )
    return out
