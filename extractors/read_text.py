"""Plain-text reader (.txt in UTF-8, UTF-16 with a BOM, or GB18030): one block per
non-empty line, the line exactly as in the file.

Useful for reports pasted from web pages, like the seeds; the web chrome around them
is marked by `noise`, not removed here, so line numbers stay those of the file.
"""

from __future__ import annotations

from pathlib import Path

from reportscore.errors import DocumentError
from reportscore.model import Block, Document

from ._common import DEFAULT_LIMITS, Limits, file_sha256


def decode(raw: bytes, source: str) -> tuple[str, str]:
    """(text, encoding): a BOM decides; otherwise UTF-8, then GB18030 (Chinese Windows files)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw[:4096]:
        raise DocumentError(source, "the file is binary data, not text", "wrong_type")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise DocumentError(source, "the text is neither UTF-8 nor GB18030", "encoding")


def read(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """One block per non-empty line; the location is the line number in the file."""
    text, enc = decode(path.read_bytes(), path.name)
    blocks = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            blocks.append(Block(index=len(blocks), text=line, location=f"line {n}"))
    notes = () if enc.startswith("utf-8") else (f"text decoded as {enc}",)
    return Document(source=path.name, sha256=file_sha256(path), blocks=tuple(blocks), format="txt", notes=notes)
