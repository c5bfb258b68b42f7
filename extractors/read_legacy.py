"""Old and other word-processor formats (.doc, .wps, .rtf, .odt): LibreOffice to .docx,
then the .docx reader.

Why convert instead of parsing: the Word 97 binary format and Kingsoft WPS files are
large formats; LibreOffice reads them well and its .docx keeps paragraphs, lists and
tables for `read_docx`. What the conversion costs (about 1 s per file, a process per
call) is paid only by these files.

Rules learnt the hard way (see PLATFORM.md): every call gets its own profile folder,
or concurrent conversions fail silently; the exit code means nothing (random bytes
"convert" with exit 0), so the output file is checked; soffice starts soffice.bin as
a child, so a timeout kills the whole process group. The Document keeps the source
name, sha256 and format of the ORIGINAL file: it is the file the unit sent.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from reportscore.errors import DocumentError
from reportscore.model import Document

from . import read_docx
from ._common import DEFAULT_LIMITS, Limits, describe_magic, file_sha256, ole_kind, run_tool, sniff

# What the first bytes of each legacy extension may honestly be.
ACCEPTED = {
    ".doc": {"ole", "rtf", "html", "zip"},  # Word saves RTF/HTML as .doc; OA systems export HTML as .doc
    ".wps": {"ole", "zip", "rtf", "html"},
    ".docx": {"ole", "rtf", "html"},  # routed here by readers.route when the content is not a zip
    ".rtf": {"rtf", "html"},  # an OA system's HTML export named .rtf (readers.route notes it)
    ".odt": {"zip"},
}
INSTALL_HINT = "apt-get install --no-install-recommends libreoffice-writer-nogui"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Convert with LibreOffice and read the .docx; errors name the file and the cause."""
    ext = path.suffix.lower()
    with open(path, "rb") as f:
        head = f.read(8192)
    kind = sniff(head)
    if kind not in ACCEPTED.get(ext, {"ole", "rtf", "html", "zip"}):
        raise DocumentError(path.name, f"the file is named {ext} but its content is {describe_magic(kind, head)}",
                            "wrong_type")
    if kind == "ole":
        _check_ole(path, ext)
    names = _input_names(ext, kind)
    for n, name in enumerate(names):
        try:
            docx = convert_to_docx(path, limits, name)
            break
        except DocumentError as e:
            if e.code != "conversion_failed" or n == len(names) - 1:
                raise
    try:
        doc = read_docx.read(docx, limits)
    finally:
        shutil.rmtree(docx.parent.parent, ignore_errors=True)
    _check_readable(doc, path.name)
    note = f"converted from {ext} to .docx with LibreOffice before reading"
    if not doc.pages:
        note += "; page numbers are not known"
    return dataclasses.replace(doc, source=path.name, sha256=file_sha256(path), format=ext.lstrip("."),
                               notes=(note, *doc.notes))


def _check_ole(path: Path, ext: str) -> None:
    """A compound file must be a real one holding a document, before LibreOffice sees it:
    LibreOffice imports anything it cannot parse as plain text, garbage included."""
    kind = ole_kind(path.read_bytes())
    if kind == "invalid":
        raise DocumentError(path.name, "the file starts like an old Office document but its header is damaged",
                            "corrupt")
    if kind == "encrypted":
        raise DocumentError(path.name, "the file is a password-protected (encrypted) Office document; ask the unit "
                            "for an unprotected copy", "encrypted")
    if kind in ("excel", "powerpoint"):
        raise DocumentError(path.name, f"the file is named {ext} but is an old {kind.capitalize()} file, not a "
                            "Word document", "wrong_type")


_READABLE = re.compile(r"[\s\u0020-\u007e\u00a0-\u024f\u2000-\u206f\u2100-\u21ff\u2460-\u24ff\u2500-\u25ff"
                       r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def _check_readable(doc: Document, source: str) -> None:
    """Refuse a conversion whose text is mostly not text (random bytes 'convert' with exit 0)."""
    text = "".join(b.text for b in doc.blocks)
    if len(text) >= 20 and len(_READABLE.findall(text)) < 0.85 * len(text):
        raise DocumentError(source, "LibreOffice turned the file into unreadable characters: it is damaged or not "
                            "a document", "conversion_failed")


def _input_names(ext: str, kind: str) -> list[str]:
    """Names to give LibreOffice, best first: the content decides the import filter.

    A Kingsoft WPS .wps is a Word-binary file and converts as .doc; a Microsoft Works
    .wps only under its own extension, so .wps tries both.
    """
    by_kind = {"ole": "input.doc", "rtf": "input.rtf", "html": "input.html"}
    first = by_kind.get(kind, f"input{ext}")
    return [first] + ([f"input{ext}"] if ext == ".wps" and first != f"input{ext}" else [])


def convert_to_docx(path: Path, limits: Limits = DEFAULT_LIMITS, input_name: str | None = None) -> Path:
    """The converted .docx in a fresh temporary folder (the caller removes its grandparent)."""
    soffice = soffice_path()
    if soffice is None:
        raise DocumentError(path.name, f"{path.suffix} files need LibreOffice to be read, and soffice is not "
                            f"installed ({INSTALL_HINT})", "libreoffice_missing")
    tmp = Path(tempfile.mkdtemp(prefix="reportscore-lo-"))
    try:
        # A plain ASCII name (LibreOffice names the output after it); its extension picks the filter.
        src = tmp / (input_name or f"input{path.suffix.lower()}")
        shutil.copyfile(path, src)
        outdir = tmp / "out"
        outdir.mkdir()
        args = [soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nofirststartwizard",
                f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
                "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(src)]
        res = run_tool(args, path.name, limits.subprocess_timeout, "LibreOffice conversion to .docx",
                       timeout_code="conversion_timeout")
        out = outdir / "input.docx"
        if not out.exists() or out.stat().st_size == 0:
            detail = (res.stderr or res.stdout).decode(errors="replace").strip().splitlines()
            raise DocumentError(path.name, "LibreOffice could not convert the file (damaged, password-protected or "
                                f"not a document; exit {res.returncode}{': ' + detail[-1][:200] if detail else ''})",
                                "conversion_failed")
        if not zipfile.is_zipfile(out):
            raise DocumentError(path.name, "LibreOffice wrote a .docx that is not a zip archive", "conversion_failed")
        return out
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
