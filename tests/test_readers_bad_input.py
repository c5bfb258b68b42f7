"""Bad input: every case is one specific DocumentError naming the file and the cause."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

try:
    from conftest_readers import encrypted_office_bytes, make_report_pdf, make_simple_docx, png_bytes, random_bytes
except ImportError:
    from tests.conftest_readers import (encrypted_office_bytes, make_report_pdf, make_simple_docx, png_bytes,
                                        random_bytes)

from extractors._common import Limits
from extractors.readers import read_document
from reportscore.errors import DocumentError

ROOT = Path(__file__).resolve().parents[1]


def fails(path: Path, code: str, *words: str, **kwargs) -> DocumentError:
    with pytest.raises(DocumentError) as e:
        read_document(path, **kwargs)
    err = e.value
    assert err.code == code, (err.code, str(err))
    assert str(err).startswith(f"{path.name}: "), str(err)
    assert err.source == path.name
    for w in words:
        assert w in str(err), (w, str(err))
    return err


@pytest.mark.parametrize("ext", [".pdf", ".docx", ".txt", ".doc"])
def test_empty_file(tmp_path, ext):
    path = tmp_path / f"empty{ext}"
    path.write_bytes(b"")
    fails(path, "empty", "empty")


def test_image_renamed_pdf(tmp_path):
    path = tmp_path / "photo.pdf"
    path.write_bytes(png_bytes())
    fails(path, "wrong_type", "named .pdf", "PNG image")


def test_text_renamed_docx(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("完成城区180座公厕维修维护。", encoding="utf-8")
    fails(path, "wrong_type", "named .docx", "plain text")


def test_excel_renamed_docx(tmp_path):
    path = tmp_path / "table.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    fails(path, "wrong_type", "Excel workbook")


def test_corrupt_zip(tmp_path):
    good = make_simple_docx(tmp_path / "good.docx")
    path = tmp_path / "broken.docx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    fails(path, "corrupt", "zip")


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random_bytes(3000))
    fails(path, "corrupt", "not a readable PDF")


def test_password_protected_pdf(tmp_path):
    path = make_report_pdf(tmp_path / "locked.pdf", pages=1, encrypt_password="secret")
    fails(path, "encrypted", "password")


def test_password_protected_docx(tmp_path):
    """An encrypted .docx is an OLE compound file (D0 CF 11 E0), not a zip."""
    path = tmp_path / "locked.docx"
    path.write_bytes(encrypted_office_bytes())
    fails(path, "encrypted", "password")


def test_file_over_size_limit(tmp_path):
    path = make_simple_docx(tmp_path / "big.docx")
    fails(path, "too_large", "over the limit of 1000", limits=Limits(max_bytes=1000))


def test_zip_bomb_by_ratio(tmp_path):
    path = tmp_path / "bomb.docx"
    good = make_simple_docx(tmp_path / "good.docx")
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():
            z.writestr(i, src.read(i.filename))
        z.writestr("word/media/zeros.bin", b"\0" * (30 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    fails(path, "zip_bomb", "zeros.bin")


def test_zip_bomb_by_declared_size(tmp_path):
    path = make_simple_docx(tmp_path / "normal.docx")
    fails(path, "zip_bomb", "over the limit", limits=Limits(max_unzipped_bytes=10_000))


def test_missing_file(tmp_path):
    fails(tmp_path / "nowhere.pdf", "not_found", "does not exist")


def test_folder_instead_of_file(tmp_path):
    folder = tmp_path / "folder.docx"
    folder.mkdir()
    fails(folder, "unreadable", "folder")


def test_unsupported_extension(tmp_path):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04")
    fails(path, "unsupported", ".xlsx")


def test_binary_renamed_txt(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(random_bytes(2000) + b"\0\0\0")
    fails(path, "wrong_type", "named .txt")


def test_zero_bytes_only(tmp_path):
    path = tmp_path / "zeros.pdf"
    path.write_bytes(b"\0" * 100)
    fails(path, "empty", "zero bytes")


def test_pdf_without_text_or_images(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "blank.pdf"
    c = canvas.Canvas(str(path))
    c.showPage()
    c.save()
    fails(path, "no_text", "no text")


def test_permission_denied(tmp_path):
    """chmod 000. Root reads anything, so as root the read runs in a child process whose
    capability bounding set lacks dac_override/dac_read_search (setpriv, util-linux)."""
    import shutil

    path = make_simple_docx(tmp_path / "secret.docx")
    path.chmod(0)
    try:
        if os.geteuid() != 0:
            fails(path, "permission_denied", "permission denied")
            return
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        code = (
            "import sys; from pathlib import Path; from extractors.readers import read_document\n"
            "from reportscore.errors import DocumentError\n"
            "try:\n    read_document(Path(sys.argv[1]))\nexcept DocumentError as e:\n    print(e.code, '|', e)\n"
        )
        res = subprocess.run([setpriv, "--bounding-set=-dac_override,-dac_read_search", sys.executable, "-c", code,
                              str(path)], capture_output=True, text=True, timeout=60, cwd=str(ROOT))
        assert res.stdout.startswith("permission_denied | secret.docx: permission denied"), res.stdout + res.stderr
    finally:
        path.chmod(0o644)
