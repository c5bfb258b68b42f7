"""What a person sees: the Word 通报 and the summary sheet rendered by LibreOffice.

Page 1 of each is written to artifacts/ (git-ignored) as a PNG for a person to look at;
the assertions check what can be checked by machine: the text of page 1 is there, every
font is embedded and a CJK font was used (no tofu boxes), and the yellow marking of
still-proposed rows survives into the printed summary sheet.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from review.export_commands import export
from tests.test_export_support import decided  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TOOLS = SOFFICE and all(shutil.which(t) for t in ("pdftoppm", "pdftotext", "pdffonts"))

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not TOOLS, reason="needs LibreOffice and poppler-utils")]


def to_pdf(src: Path, tmp: Path) -> Path:
    """LibreOffice with a private profile (parallel runs do not share a lock) and a timeout."""
    profile = tmp / "lo-profile"
    r = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp), str(src)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp / f"{src.stem}.pdf"
    if not pdf.exists():
        if src.suffix == ".xlsx" and "could not be loaded" in r.stderr:
            pytest.skip("LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
        pytest.fail(f"LibreOffice did not convert {src.name}: {r.stdout} {r.stderr}")
    return pdf


def page1(pdf: Path, name: str) -> tuple[Path, str, str]:
    """Page 1 as artifacts/<name>.png at 80 dpi, its text, and the PDF's font list."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True, timeout=60)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    png = stem.with_suffix(".png")
    assert png.stat().st_size > 10_000
    return png, text, fonts


def assert_fonts(fonts: str) -> None:
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows, fonts
    assert any("WenQuanYi" in line or "Hei" in line or "Song" in line for line in fonts.splitlines()[2:]), fonts
    # columns: name type encoding emb sub uni object ID; "emb" is the fourth from the end of the fixed part
    assert all(r[-5] == "yes" for r in rows), fonts


def test_word_notice_page1(decided, tmp_path):  # noqa: F811
    src = tmp_path / "通报草稿.docx"
    export(decided.url, True, docx=src)
    png, text, fonts = page1(to_pdf(src, tmp_path), "export_notice_page1")
    flat = "".join(text.split())
    for words in ("征求意见稿", "××〔20××〕××号", "劳动竞赛结果的通报", "各参赛单位：", "现将有关情况通报如下", "一、竞赛成绩"):
        assert words in flat, (words, text)
    assert "□" not in text and "\ufffd" not in text
    assert_fonts(fonts)


def test_summary_sheet_page1(decided, tmp_path):  # noqa: F811
    from PIL import Image

    src = tmp_path / "成绩汇总.xlsx"
    table = export(decided.url, True, xlsx=src)
    png, text, fonts = page1(to_pdf(src, tmp_path), "export_summary_page1")
    flat = "".join(text.split())
    assert "成绩汇总" in flat and "名次" in flat
    for u in table.units:
        assert u.unit in flat, (u.unit, text)
    assert_fonts(fonts)
    with Image.open(png) as im:
        colours = im.convert("RGB").getcolors(1 << 24) or []
        yellow = sum(n for n, (r, g, b) in colours if r > 245 and 230 < g < 250 and 190 < b < 215)
    assert yellow > 2000  # the proposed rows are visibly filled
