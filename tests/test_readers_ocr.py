"""Scanned PDFs: pages without a text layer go through pdftoppm + Tesseract (chi_sim).

The OCR tests are slow (a few seconds) but run in the normal test command whenever
tesseract with chi_sim is installed; they skip, saying why, only when it is not.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

try:
    from conftest_readers import SCAN_LINES, make_report_pdf, make_scanned_pdf, numbers_in
except ImportError:
    from tests.conftest_readers import SCAN_LINES, make_report_pdf, make_scanned_pdf, numbers_in

from extractors import read_pdf
from extractors._common import squeeze_cjk_spaces
from extractors.read_ocr import parse_tsv
from extractors.readers import read_document
from reportscore.errors import DocumentError


def _have_chi_sim() -> bool:
    import subprocess

    exe = shutil.which("tesseract")
    if exe is None:
        return False
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    return "chi_sim" in (out.stdout + out.stderr)


needs_ocr = pytest.mark.skipif(not _have_chi_sim(), reason="tesseract with chi_sim is not installed "
                               "(apt-get install tesseract-ocr tesseract-ocr-chi-sim)")


@pytest.mark.slow
@needs_ocr
def test_scanned_pdf_recall_of_numbers(tmp_path):
    path = make_scanned_pdf(tmp_path / "scan.pdf")
    t0 = time.perf_counter()
    doc = read_pdf.read(path)
    seconds = time.perf_counter() - t0
    expected = [n for line in SCAN_LINES for n in numbers_in(line)]
    got = numbers_in("\n".join(b.text for b in doc.blocks))
    pool = list(got)
    hit = 0
    for n in expected:
        if n in pool:
            pool.remove(n)
            hit += 1
    recall = hit / len(expected)
    print(f"\nOCR: {seconds:.2f} s for 1 page; numbers recalled {hit}/{len(expected)} = {recall:.2f}")
    assert recall >= 0.9
    assert all(b.kind == "paragraph" and b.ocr_confidence is not None for b in doc.blocks)
    assert all(0.0 <= b.ocr_confidence <= 1.0 for b in doc.blocks)
    assert all(b.page == 1 and b.bbox is not None for b in doc.blocks)
    assert any("OCR" in n and "1" in n for n in doc.notes)
    # spaces between Chinese characters are gone from the text as read
    assert not any(" " in b.text for b in doc.blocks)
    line = [b for b in doc.blocks if "专项整治行动" in b.text][0]
    assert "75" in line.text and line.location.endswith("(OCR)")
    # the bbox is in PDF points on an A4 page, where the line was drawn (about 1 inch in)
    x0, top, x1, bottom = line.bbox
    assert 60 < x0 < 200 and x1 < 595 and top < bottom < 842


def _merge(paths: list[Path], out: Path) -> Path:
    import pypdfium2 as pdfium

    dest = pdfium.PdfDocument.new()
    for p in paths:
        src = pdfium.PdfDocument(str(p))
        dest.import_pages(src)
        src.close()
    dest.save(str(out))
    dest.close()
    return out


@pytest.mark.slow
@needs_ocr
def test_mixed_pdf_ocrs_the_scanned_page_only(tmp_path):
    text_pdf = make_report_pdf(tmp_path / "text.pdf", pages=1, table=False)
    scan_pdf = make_scanned_pdf(tmp_path / "scan.pdf")
    path = _merge([text_pdf, scan_pdf], tmp_path / "mixed.pdf")
    doc = read_pdf.read(path)
    by_page = {p: [b for b in doc.blocks if b.page == p] for p in (1, 2)}
    assert all(b.ocr_confidence is None for b in by_page[1])
    assert by_page[2] and all(b.ocr_confidence is not None for b in by_page[2])
    assert any("page(s) 2 have no text layer" in n for n in doc.notes)


def test_missing_tesseract_is_a_clear_error(tmp_path, monkeypatch):
    """Without tesseract on PATH, the error names the pages and the apt-get line."""
    path = make_scanned_pdf(tmp_path / "scan.pdf", [SCAN_LINES, SCAN_LINES])
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(DocumentError) as e:
        read_document(path)
    assert e.value.code == "ocr_missing"
    assert "pages 1, 2" in str(e.value) and "scan.pdf" in str(e.value)
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in str(e.value)


def test_cjk_spaces_squeezed():
    assert squeeze_cjk_spaces("完 成 城 区 180 座 公 厕") == "完成城区180座公厕"
    assert squeeze_cjk_spaces("GPS tracking 终 端 126 台") == "GPS tracking终端126台"
    assert squeeze_cjk_spaces("满意率 98.5 %") == "满意率98.5 %"


@pytest.mark.slow
@needs_ocr
def test_tsv_words_become_lines_with_confidence(tmp_path):
    """Tesseract's own TSV for a rendered line: one line, spaces squeezed, confidence 0..1."""
    import subprocess

    try:
        from conftest_readers import render_text_image
    except ImportError:
        from tests.conftest_readers import render_text_image
    img = render_text_image(["完成城区180座公厕维修维护"])
    png = tmp_path / "line.png"
    img.save(png, dpi=(200, 200))
    tsv = subprocess.run(["tesseract", str(png), "stdout", "-l", "chi_sim", "--dpi", "200", "tsv"],
                         capture_output=True, text=True, timeout=120, env={**os.environ}).stdout
    lines = parse_tsv(tsv)
    assert len(lines) == 1
    assert "180" in lines[0].text and " " not in lines[0].text
    assert 0.5 < (lines[0].conf or 0) <= 1.0
    assert lines[0].x0 == pytest.approx(72, abs=8)  # 1 inch margin, in points
