"""Plain-text reader (.txt, UTF-8 or GB18030): one block per non-empty line.

Useful for reports pasted from web pages, like the seeds.
"""

from __future__ import annotations

from pathlib import Path

from reportscore.errors import DocumentError
from reportscore.model import Block, Document

from ._common import file_sha256


def read(path: Path) -> Document:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DocumentError(path.name, "not text in UTF-8 or GB18030", "encoding")
    blocks = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            blocks.append(Block(index=len(blocks), text=line, location=f"line {n}"))
    return Document(source=path.name, sha256=file_sha256(path), blocks=tuple(blocks), format="txt")
