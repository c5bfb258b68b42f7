"""Reader speed against the bare libraries, in the same run on the same files.

    .venv/bin/python bench/bench_readers.py [DIR ...] [--repeat 3] [--ocr-pages 2]

DIR defaults to samples/; when it holds no PDF or docx, a few files are generated in a
temporary folder (tests/conftest_readers.py). Text PDFs: our `read_pdf.read` against
pdfplumber `page.extract_text()` on every page (goal: ours <= 1.5 x bare). Word files:
our `read_docx.read` against python-docx `Document(path).paragraphs` text. Scanned PDFs
(pages without a text layer) are timed separately, in seconds per page, with the
recall of the numbers printed on the generated scan.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from extractors import read_docx, read_pdf  # noqa: E402


def _best(fn, repeat: int) -> float:
    """Best wall time of `repeat` runs: the least disturbed by other work on the machine."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bare_pdf(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def bare_docx(path: Path) -> int:
    import docx

    return len([p.text for p in docx.Document(str(path)).paragraphs])


def has_text_layer(path: Path) -> bool:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        for page in pdf:
            tp = page.get_textpage()
            n = tp.count_chars()
            tp.close()
            if n == 0:
                return False
        return True
    finally:
        pdf.close()


def generate(folder: Path) -> None:
    from conftest_readers import make_big_docx, make_full_docx, make_report_pdf

    for i, pages in enumerate((2, 10, 40)):
        make_report_pdf(folder / f"report_{pages}p.pdf", pages=pages, paragraphs_per_page=6)
    make_full_docx(folder / "full.docx")
    make_big_docx(folder / "big.docx", pages=30)


def bench_pdfs(files: list[Path], repeat: int) -> tuple[int, float, float]:
    pages = sum(bare_pdf(f) for f in files)  # warm-up, and the page count
    for f in files:
        read_pdf.read(f)
    bare = sum(_best(lambda f=f: bare_pdf(f), repeat) for f in files)
    ours = sum(_best(lambda f=f: read_pdf.read(f), repeat) for f in files)
    return pages, bare, ours


def bench_docx(files: list[Path], repeat: int) -> tuple[int, float, float]:
    for f in files:
        bare_docx(f)
        read_docx.read(f)
    from extractors._docx_xml import _load_styles

    def ours_cold(f: Path) -> None:
        _load_styles.cache_clear()  # time every file as if its template were new
        read_docx.read(f)

    bare = sum(_best(lambda f=f: bare_docx(f), repeat) for f in files)
    ours = sum(_best(lambda f=f: ours_cold(f), repeat) for f in files)
    return len(files), bare, ours


def bench_ocr(folder: Path, n_pages: int) -> None:
    from conftest_readers import full_scan_pages, make_scanned_pdf, numbers_in

    pages = full_scan_pages(n_pages)
    path = make_scanned_pdf(folder / "scan.pdf", pages)
    t0 = time.perf_counter()
    doc = read_pdf.read(path)
    seconds = time.perf_counter() - t0
    hit = total = 0
    for k, page in enumerate(pages, start=1):  # numbers may wrap across lines: compare joined page text
        expected = numbers_in("".join(page))
        pool = numbers_in("".join(b.text for b in doc.blocks if b.page == k))
        total += len(expected)
        for n in expected:
            if n in pool:
                pool.remove(n)
                hit += 1
    conf = statistics.mean(b.ocr_confidence or 0 for b in doc.blocks) if doc.blocks else 0
    chars = sum(len(line) for page in pages for line in page)
    print(f"OCR  {n_pages} scanned page(s), {chars} characters: {seconds:.2f} s = {seconds / n_pages:.2f} s/page "
          f"(pages in parallel on {os.cpu_count()} cores); numbers recalled {hit}/{total} "
          f"= {hit / total:.2f}; mean confidence {conf:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="*", type=Path, default=[ROOT / "samples"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ocr-pages", type=int, default=2, help="pages of the generated scan (0: skip OCR)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-readers-") as tmp:
        files = sorted(p for d in args.dirs for p in d.rglob("*") if p.suffix.lower() in (".pdf", ".docx"))
        if not files:
            print(f"no PDF/docx under {', '.join(map(str, args.dirs))}: generating test files in {tmp}")
            generate(Path(tmp))
            files = sorted(Path(tmp).glob("*.*"))
        pdfs = [f for f in files if f.suffix.lower() == ".pdf"]
        text_pdfs = [f for f in pdfs if has_text_layer(f)]
        docxs = [f for f in files if f.suffix.lower() == ".docx"]
        print(f"files: {len(text_pdfs)} text PDFs, {len(pdfs) - len(text_pdfs)} scanned PDFs (skipped here), "
              f"{len(docxs)} docx; best of {args.repeat} runs per file")
        if text_pdfs:
            pages, bare, ours = bench_pdfs(text_pdfs, args.repeat)
            print(f"PDF  {pages} pages: bare pdfplumber extract_text {pages / bare:7.1f} pages/s | "
                  f"ours read_pdf {pages / ours:7.1f} pages/s | ours/bare time ratio {ours / bare:.2f} (goal <= 1.5)")
        if docxs:
            n, bare, ours = bench_docx(docxs, args.repeat)
            print(f"DOCX {n} files: bare python-docx paragraphs {n / bare:7.1f} files/s | "
                  f"ours read_docx {n / ours:7.1f} files/s | ours/bare time ratio {ours / bare:.2f}")
        if args.ocr_pages:
            bench_ocr(Path(tmp), args.ocr_pages)


if __name__ == "__main__":
    main()
