"""One dict routes a file to its reader by type (docling's backends).

`read_document` adds what is common to every format: a preflight (the path can be
read, the file is not empty or too large, its first bytes are what its extension
says, a zip is not a bomb), noise marking, and who/when detection from the
participant list. Every failure is a DocumentError naming the file and the cause.

Files whose content is another word-processor format than the name says (a .doc
renamed .docx, a .docx renamed .doc) are read by the right reader with a note: the
unit sent a readable report and the clerk should not have to rename it. A file that
is something else entirely (an image named .pdf, text named .docx) is refused.
"""

from __future__ import annotations

import dataclasses
import stat
import zipfile
from pathlib import Path
from typing import Callable, Sequence

from reportscore.errors import DocumentError
from reportscore.model import Document

from . import noise, read_docx, read_legacy, read_pdf, read_text, wrapping
from ._common import DEFAULT_LIMITS, Limits, check_zip, describe_magic, ole_kind, sniff
from .metadata import Participant, describe

Reader = Callable[..., Document]  # read(path, limits=...) -> Document; `limits` is optional

READERS: dict[str, Reader] = {
    ".docx": read_docx.read,
    ".pdf": read_pdf.read,
    ".txt": read_text.read,
    ".doc": read_legacy.read,
    ".wps": read_legacy.read,
    ".rtf": read_legacy.read,
    ".odt": read_legacy.read,
}


def read_document(
    path: Path | str,
    participants: Sequence[Participant] = (),
    limits: Limits | None = None,
) -> Document:
    """Read any supported file; every failure is a DocumentError naming the file and cause."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in READERS:
        raise DocumentError(path.name, f"unsupported file type {path.suffix or '(none)'}; supported: "
                            f"{', '.join(sorted(READERS))}", "unsupported")
    limits = limits or DEFAULT_LIMITS
    kind, head = preflight(path, limits)
    reader, note = route(path, ext, kind, head, limits)
    doc = reader(path, limits=limits)  # every reader takes the limits
    if note:
        doc = dataclasses.replace(doc, notes=(note, *doc.notes))
    if not any(b.text.strip() for b in doc.blocks):
        raise DocumentError(path.name, "no text could be read from the file", "no_text")
    doc = noise.mark(wrapping.join_wrapped(doc))  # join number-broken lines first: noise sees whole lines
    unit, period, kind_, report_date, notes = describe(doc, participants)
    return dataclasses.replace(
        doc, unit=unit, period=period, kind=kind_, report_date=report_date, notes=doc.notes + notes
    )


def preflight(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[str, bytes]:
    """Can the file be read at all, and what do its first bytes say it is."""
    try:
        st = path.stat()
    except FileNotFoundError as e:
        raise DocumentError(path.name, f"the file does not exist ({path})", "not_found") from e
    except PermissionError as e:
        raise DocumentError(path.name, f"permission denied reading {path}", "permission_denied") from e
    except OSError as e:
        raise DocumentError(path.name, f"cannot open the file ({e.strerror})", "unreadable") from e
    if stat.S_ISDIR(st.st_mode):
        raise DocumentError(path.name, f"{path} is a folder, not a file", "unreadable")
    if st.st_size == 0:
        raise DocumentError(path.name, "the file is empty (0 bytes)", "empty")
    if st.st_size > limits.max_bytes:
        raise DocumentError(path.name, f"the file is {st.st_size} bytes, over the limit of {limits.max_bytes}",
                            "too_large")
    try:
        with open(path, "rb") as f:
            head = f.read(8192)
    except PermissionError as e:
        raise DocumentError(path.name, f"permission denied reading {path}", "permission_denied") from e
    except OSError as e:
        raise DocumentError(path.name, f"cannot read the file ({e.strerror})", "unreadable") from e
    if not head.strip(b"\x00 \t\r\n"):
        raise DocumentError(path.name, "the file holds only blank or zero bytes", "empty")
    return sniff(head), head


def route(path: Path, ext: str, kind: str, head: bytes, limits: Limits) -> tuple[Reader, str]:
    """The reader for what the file really is, and a note when that differs from its name."""
    def wrong() -> DocumentError:
        return DocumentError(path.name, f"the file is named {ext} but its content is {describe_magic(kind, head)}",
                             "wrong_type")

    if ext == ".pdf":
        if kind != "pdf":
            raise wrong()
        return READERS[".pdf"], ""
    if ext == ".txt":
        if kind not in ("text", "html"):
            raise wrong()
        return READERS[".txt"], ""
    if kind == "ole":  # the legacy reader checks the compound file (damaged, encrypted, Excel…)
        if ext == ".docx":
            if ole_kind(path.read_bytes()) == "word":
                return READERS[".doc"], "the file is named .docx but is an old Word 97-2003 binary file; read as .doc"
            return READERS[".doc"], ""  # encrypted or damaged: the legacy reader says which, before converting
        if ext in (".doc", ".wps"):
            return READERS[ext], ""
        raise wrong()
    if kind == "zip":
        check_zip(path, limits)
        is_word = _zip_has(path, "word/document.xml")
        if ext == ".docx" or (is_word and ext in (".doc", ".wps")):
            note = "" if ext == ".docx" else f"the file is named {ext} but is a .docx (Word 2007+) file; read as .docx"
            return READERS[".docx"], note
        if ext in (".odt", ".wps"):
            return READERS[ext], ""
        raise wrong()
    if kind in ("rtf", "html"):
        if ext == ".doc" or (ext == ".rtf" and kind == "rtf"):
            return READERS[ext], ""
        if ext in (".docx", ".wps", ".rtf"):
            what = describe_magic(kind, head)
            return READERS[".doc"], f"the file is named {ext} but is {what}; converted with LibreOffice"
    raise wrong()


def _zip_has(path: Path, name: str) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return name in z.namelist()
    except zipfile.BadZipFile as e:
        raise DocumentError(path.name, f"the zip container is corrupt ({e})", "corrupt") from e
