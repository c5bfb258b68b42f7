"""Helpers shared by the readers: hashing, what a file really is, safe zips, subprocesses.

Why a preflight before any parser: python-docx, pdfminer and LibreOffice all fail on
bad input in their own ways (or worse, succeed: a random-bytes .doc "converts"). Looking
at magic bytes and zip directories first turns every such case into one specific
`DocumentError` naming the file and the cause, before a parser spends time or memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from reportscore.errors import DocumentError


def file_sha256(path: Path) -> str:
    """Content hash: the key of every document everywhere (storage, cache, decisions)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for one file; callers raise or lower them per deployment."""

    max_bytes: int = 50 * 1024 * 1024  # the file itself
    max_unzipped_bytes: int = 500 * 1024 * 1024  # sum of declared sizes inside a zip
    max_ratio: float = 200.0  # uncompressed / compressed, per member
    ratio_min_bytes: int = 10 * 1024 * 1024  # the ratio only counts for members this large
    max_members: int = 10_000
    subprocess_timeout: float = 120.0  # LibreOffice, pdftoppm, tesseract (per call)


DEFAULT_LIMITS = Limits()

OLE_MAGIC = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
_IMAGE_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xFF\xD8\xFF": "a JPEG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"BM": "a BMP image",
}


def sniff(head: bytes) -> str:
    """What the first bytes say the file is: pdf, zip, ole, rtf, html, image, text or binary."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{\\rtf"):
        return "rtf"
    for magic in _IMAGE_MAGIC:
        if head.startswith(magic):
            return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    low = head.lstrip(b"\xef\xbb\xbf \r\n\t")[:200].lower()
    if low.startswith((b"<html", b"<!doctype html", b"<?xml", b"mime-version:")) or b"<html" in low:
        return "html"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with a BOM
    if b"\x00" in head[:4096]:
        return "binary"
    return "text"


def describe_magic(kind: str, head: bytes) -> str:
    """A human phrase for a sniffed kind, for error messages."""
    if kind == "image":
        for magic, name in _IMAGE_MAGIC.items():
            if head.startswith(magic):
                return name
        return "an image"
    return {
        "pdf": "a PDF", "zip": "a zip archive", "ole": "an OLE compound file (old Office/WPS format)",
        "rtf": "an RTF document", "html": "an HTML/XML page", "text": "plain text", "binary": "binary data",
    }.get(kind, kind)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def ole_kind(data: bytes) -> str:
    """What an OLE compound file holds, from its header and stream names.

    'invalid' (magic but no valid header: random bytes), 'encrypted' (a password-protected
    .docx/.xlsx is not a zip: Office wraps the encrypted package in a compound file with
    'EncryptionInfo' and 'EncryptedPackage' streams), 'word', 'excel', 'powerpoint',
    or 'other' (e.g. a Works/WPS file with its own streams).
    """
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        return "invalid"
    major, order, shift = int.from_bytes(data[26:28], "little"), data[28:30], int.from_bytes(data[30:32], "little")
    if order != b"\xfe\xff" or (major, shift) not in ((3, 9), (4, 12)):
        return "invalid"
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        return "encrypted"
    if _utf16("WordDocument") in data:
        return "word"
    if _utf16("Workbook") in data or _utf16("Book\x00") in data:
        return "excel"
    if _utf16("PowerPoint Document") in data:
        return "powerpoint"
    return "other"


def check_zip(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a corrupt zip or a zip bomb before any parser inflates it.

    Only the central directory is read (declared sizes), never the members, so the check
    costs microseconds even on a hostile file.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except zipfile.BadZipFile as e:
        raise DocumentError(path.name, f"the zip container is corrupt ({e})", "corrupt") from e
    except OSError as e:
        raise DocumentError(path.name, f"cannot read the zip container ({e})", "corrupt") from e
    if len(infos) > limits.max_members:
        raise DocumentError(path.name, f"the zip holds {len(infos)} members, over the limit of {limits.max_members}",
                            "zip_bomb")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        raise DocumentError(path.name, f"the zip would unpack to {total} bytes, over the limit of "
                            f"{limits.max_unzipped_bytes} (zip bomb?)", "zip_bomb")
    for i in infos:
        if i.file_size >= limits.ratio_min_bytes and i.file_size > limits.max_ratio * max(i.compress_size, 1):
            ratio = i.file_size / max(i.compress_size, 1)
            raise DocumentError(path.name, f"member {i.filename} compresses {ratio:.0f}:1 "
                                f"(limit {limits.max_ratio:.0f}:1; zip bomb?)", "zip_bomb")


def run_tool(args: list[str], source: str, timeout: float, what: str, timeout_code: str = "timeout",
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run an external tool in its own process group; on timeout kill the whole group.

    Why a process group: soffice starts soffice.bin as a child; killing only the parent
    leaves the converter running and holding its profile lock.
    """
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env={**os.environ, **(env or {})})
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        raise DocumentError(source, f"{what} did not finish within {timeout:.0f} s", timeout_code) from None
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


_CJK = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
# A space run with a CJK character (or full-width punctuation) on at least one side.
_SPACE_NEAR_CJK = re.compile(f"(?<=[{_CJK}])[ \t\u3000]+|[ \t\u3000]+(?=[{_CJK}])")


def squeeze_cjk_spaces(text: str) -> str:
    """OCR puts spaces between Chinese characters (and around digits inside Chinese text):
    '完 成 180 座' -> '完成180座'. Spaces between two Latin/digit tokens are kept."""
    return _SPACE_NEAR_CJK.sub("", text)
