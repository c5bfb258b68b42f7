"""OCR for PDF pages without a text layer (scans of stamped paper copies).

Pipeline per page: render at 200 dpi in grey (`pdftoppm -r 200 -gray`, a PGM: writing
a PNG took 1 s of the 1.1 s; PDFium when poppler is absent), then `tesseract -l chi_sim`
with TSV output, which gives every word its box and confidence. Tesseract runs with
one OpenMP thread (its threads made a page ~3x slower here) and pages run in parallel,
one per core. Words become lines in PDF points so the layout rules of `_pdf_layout`
(furniture, paragraphs) apply to scans exactly as to text PDFs.

Why the spaces go: Tesseract separates Chinese characters (and the digits between
them) with spaces, '完 成 180 座'. The text "as read" from a scan is the recognised
text with spaces next to CJK characters removed; spaces between two Latin/digit
tokens stay. Why not `--psm 6`: measured slower and less accurate on report pages.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from reportscore.errors import DocumentError

from ._common import DEFAULT_LIMITS, Limits, run_tool, squeeze_cjk_spaces
from ._pdf_layout import Line

DPI = 200
LANG = "chi_sim"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"


@dataclass
class OcrPage:
    """One OCR'd page: lines in PDF points from the top-left, and the time it took."""

    number: int
    lines: list[Line]
    seconds: float


def require_tesseract(source: str, pages: list[int]) -> str:
    """Path of tesseract with the Chinese model, or DocumentError('ocr_missing') naming the pages."""
    exe = shutil.which("tesseract")
    where = "page" + ("s " if len(pages) > 1 else " ") + ", ".join(map(str, pages))
    if exe is None:
        raise DocumentError(source, f"{where} have no text layer and need OCR, but tesseract is not installed "
                            f"({INSTALL_HINT})", "ocr_missing")
    if LANG not in _languages(exe):
        raise DocumentError(source, f"{where} need OCR, but tesseract has no '{LANG}' language data "
                            f"({INSTALL_HINT})", "ocr_missing")
    return exe


@functools.lru_cache(maxsize=4)
def _languages(exe: str) -> frozenset[str]:
    import subprocess

    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30, text=True)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(l.strip() for l in (out.stdout + out.stderr).splitlines()[1:] if l.strip())


def ocr_pdf_pages(
    path: Path, pages: list[int], limits: Limits = DEFAULT_LIMITS, source: str | None = None
) -> list[OcrPage]:
    """OCR the given 1-based pages of a PDF; pages run in parallel, one Tesseract thread each."""
    source = source or path.name
    exe = require_tesseract(source, pages)
    workers = max(1, min(len(pages), os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="reportscore-ocr-") as tmp:
        def one(pno: int) -> OcrPage:
            t0 = time.perf_counter()
            image = _render(path, pno, Path(tmp), limits, source)
            lines = _tesseract(exe, image, limits, source)
            return OcrPage(pno, lines, time.perf_counter() - t0)

        if workers == 1:
            return [one(p) for p in pages]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, pages))


def _render(path: Path, pno: int, tmp: Path, limits: Limits, source: str) -> Path:
    out = tmp / f"page-{pno}"
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        res = run_tool([pdftoppm, "-r", str(DPI), "-f", str(pno), "-l", str(pno), "-gray", "-singlefile",
                        str(path), str(out)], source, limits.subprocess_timeout, f"rendering page {pno} (pdftoppm)",
                       timeout_code="ocr_timeout")
        image = out.with_suffix(".pgm")
        if res.returncode != 0 or not image.exists():
            raise DocumentError(source, f"page {pno} could not be rendered for OCR "
                                f"(pdftoppm: {res.stderr.decode(errors='replace').strip()[:200]})", "corrupt")
        return image
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        bitmap = pdf[pno - 1].render(scale=DPI / 72, grayscale=True)
        image = out.with_suffix(".pgm")
        bitmap.to_pil().convert("L").save(image)
    finally:
        pdf.close()
    return image


def _tesseract(exe: str, image: Path, limits: Limits, source: str) -> list[Line]:
    env = {"OMP_THREAD_LIMIT": "1"}  # measured: Tesseract's OpenMP threads make a page ~3x slower
    res = run_tool([exe, str(image), "stdout", "-l", LANG, "--dpi", str(DPI), "tsv"], source,
                   limits.subprocess_timeout, f"OCR of {image.stem} (tesseract)", timeout_code="ocr_timeout", env=env)
    if res.returncode != 0:
        raise DocumentError(source, f"tesseract failed on {image.stem}: "
                            f"{res.stderr.decode(errors='replace').strip()[:300]}", "ocr_failed")
    return parse_tsv(res.stdout.decode("utf-8", errors="replace"), DPI)


def parse_tsv(tsv: str, dpi: int = DPI) -> list[Line]:
    """Tesseract TSV words -> lines (text with CJK spaces squeezed, box in points, confidence 0..1)."""
    scale = 72.0 / dpi
    groups: dict[tuple[str, str, str], list[tuple[str, float, int, int, int, int]]] = {}
    order: list[tuple[str, str, str]] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11]
        if not text.strip():
            continue
        try:
            left, top, width, height = int(cols[6]), int(cols[7]), int(cols[8]), int(cols[9])
            conf = float(cols[10])
        except ValueError:
            continue
        key = (cols[2], cols[3], cols[4])
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((text, conf, left, top, width, height))
    lines = []
    for key in order:
        words = groups[key]
        text = squeeze_cjk_spaces(" ".join(w[0] for w in words)).strip()
        if not text:
            continue
        weight = sum(len(w[0]) for w in words) or 1
        conf = sum(max(w[1], 0.0) * len(w[0]) for w in words) / weight / 100.0
        x0 = min(w[2] for w in words) * scale
        top = min(w[3] for w in words) * scale
        x1 = max(w[2] + w[4] for w in words) * scale
        bottom = max(w[3] + w[5] for w in words) * scale
        lines.append(Line(text, x0, top, x1, bottom, conf=round(conf, 3)))
    lines.sort(key=lambda l: (l.top, l.x0))
    return lines
