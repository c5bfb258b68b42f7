"""One dict routes a file to its reader by type (docling's backends).

`read_document` adds what is common to every format: size and emptiness checks,
the content hash, and who/when detection from the participant list.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable, Sequence

from reportscore.errors import DocumentError
from reportscore.model import Document

from . import read_docx, read_pdf, read_text
from .metadata import Participant, describe

Reader = Callable[[Path], Document]

READERS: dict[str, Reader] = {
    ".docx": read_docx.read,
    ".pdf": read_pdf.read,
    ".txt": read_text.read,
}

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def supported(path: Path) -> bool:
    return path.suffix.lower() in READERS


def read_document(
    path: Path | str,
    participants: Sequence[Participant] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Read any supported file; every failure is a DocumentError naming the file and cause."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentError(path.name, f"unsupported file type {path.suffix or '(none)'}", "unsupported")
    try:
        size = path.stat().st_size
    except OSError as e:
        raise DocumentError(path.name, f"cannot open the file ({e.strerror})", "unreadable") from e
    if size == 0:
        raise DocumentError(path.name, "the file is empty (0 bytes)", "empty")
    if size > max_bytes:
        raise DocumentError(path.name, f"the file is {size} bytes, over the limit of {max_bytes}", "too_large")
    doc = reader(path)
    if not any(b.text.strip() for b in doc.blocks):
        raise DocumentError(path.name, "no text could be read from the file", "no_text")
    unit, period, kind, report_date, notes = describe(doc, participants)
    return dataclasses.replace(
        doc, unit=unit, period=period, kind=kind, report_date=report_date, notes=doc.notes + notes
    )
