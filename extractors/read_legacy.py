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
import shutil
import tempfile
import zipfile
from pathlib import Path

from reportscore.errors import DocumentError
from reportscore.model import Document

from . import read_docx
from ._common import DEFAULT_LIMITS, Limits, describe_magic, file_sha256, run_tool, sniff

EXTENSIONS = (".doc", ".wps", ".rtf", ".odt")
# What the first bytes of each legacy extension may honestly be.
ACCEPTED = {
    ".doc": {"ole", "rtf", "html", "zip"},  # Word saves RTF/HTML as .doc; OA systems export HTML as .doc
    ".wps": {"ole", "zip"},
    ".rtf": {"rtf"},
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
    docx = convert_to_docx(path, limits)
    try:
        doc = read_docx.read(docx, limits)
    finally:
        shutil.rmtree(docx.parent.parent, ignore_errors=True)
    note = f"converted from {ext} to .docx with LibreOffice before reading" + ("" if doc.pages else "; page numbers are not known")
    return dataclasses.replace(doc, source=path.name, sha256=file_sha256(path), format=ext.lstrip("."),
                               notes=(note, *doc.notes))


def convert_to_docx(path: Path, limits: Limits = DEFAULT_LIMITS) -> Path:
    """The converted .docx in a fresh temporary folder (the caller removes its grandparent)."""
    soffice = soffice_path()
    if soffice is None:
        raise DocumentError(path.name, f"{path.suffix} files need LibreOffice to be read, and soffice is not "
                            f"installed ({INSTALL_HINT})", "libreoffice_missing")
    tmp = Path(tempfile.mkdtemp(prefix="reportscore-lo-"))
    try:
        src = tmp / f"input{path.suffix.lower()}"  # a plain ASCII name: LibreOffice names the output after it
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
