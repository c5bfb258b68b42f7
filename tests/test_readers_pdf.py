"""The PDF reader (text layer) on reportlab files made here: paragraphs rebuilt, a
two-line running header and page numbers removed, a ruled table read as cells, and
every block located by page and bbox."""

from __future__ import annotations

from pathlib import Path

import pytest

try:
    from conftest_readers import BODY_PARAGRAPHS, FONT_NAME, make_report_pdf, register_font
except ImportError:
    from tests.conftest_readers import BODY_PARAGRAPHS, FONT_NAME, make_report_pdf, register_font

from extractors import read_pdf
from extractors.readers import read_document

HEADER = ("南通市干净城市建设劳动竞赛", "如东县城市管理局 2024年5-6月进展情况")


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory) -> Path:
    return make_report_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf", pages=3, header=HEADER)


@pytest.fixture(scope="module")
def doc(pdf_path):
    return read_pdf.read(pdf_path)


def test_paragraphs_rebuilt_exactly(doc):
    paras = [b.text for b in doc.blocks if b.kind == "paragraph"]
    for body in BODY_PARAGRAPHS:
        assert body in paras, f"paragraph not rebuilt: {body}"
    # Chinese lines join with no space
    assert not any(" " in p for p in paras if "如东" not in p)


def test_header_lines_and_page_numbers_removed(doc):
    joined = "\n".join(b.text for b in doc.blocks)
    for line in HEADER:
        assert line not in joined
    assert "- 1 -" not in joined and "- 2 -" not in joined
    assert not any(b.text.strip().strip("-").strip().isdigit() for b in doc.blocks)
    assert any("header/footer" in n for n in doc.notes)


def test_title_is_a_heading(doc):
    assert doc.blocks[0].text == "如东县2024年5-6月干净城市建设竞赛活动进展情况"
    assert doc.blocks[0].kind == "heading"


def test_table_cells_not_also_running_text(doc):
    cells = [b for b in doc.blocks if b.kind == "table_cell"]
    texts = [b.text for b in cells]
    assert texts.count("2024年任务") == 1 and texts.count("项目") == 1
    assert "垃圾分类投放站点建设（含分类厢房）" in texts  # a wrapped cell joined
    done = [b for b in cells if b.text == "18座"][0]
    assert done.context == "公厕改造 / 2024年任务 完成"
    assert done.location == "page 1, table 1, row 3, col 3"
    merged = [b for b in cells if b.text == "项目"][0]
    assert merged.location == "page 1, table 1, rows 1-2, col 1"
    paras = "\n".join(b.text for b in doc.blocks if b.kind != "table_cell")
    assert "公厕改造" not in paras and "18座" not in paras


def test_reading_order_and_pages(doc):
    pages = [b.page for b in doc.blocks]
    assert pages == sorted(pages) and set(pages) == {1, 2, 3}
    assert doc.pages == 3
    page1 = [b for b in doc.blocks if b.page == 1]
    first_cell = next(i for i, b in enumerate(page1) if b.kind == "table_cell")
    assert all(b.kind != "table_cell" for b in page1[:first_cell])
    assert [b.index for b in doc.blocks] == list(range(len(doc.blocks)))
    assert doc.blocks[-1].text == "2024年7月5日"


def test_bbox_finds_the_text_on_the_page(pdf_path, doc):
    """A reviewer looking at the bbox sees the block's text: crop the page and compare."""
    import pdfplumber

    with pdfplumber.open(str(pdf_path)) as pdf:
        for b in doc.blocks:
            assert b.bbox is not None and b.page is not None
            x0, top, x1, bottom = b.bbox
            page = pdf.pages[b.page - 1]
            assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height
            crop = page.within_bbox((x0 - 1, top - 1, x1 + 1, bottom + 1))
            seen = crop.extract_text().replace("\n", "").replace(" ", "")
            assert b.text.replace(" ", "")[:12] in seen, (b.location, b.text[:12], seen[:40])


def test_read_document_adds_who_and_when(pdf_path, doc):
    from extractors.metadata import Participant

    d = read_document(pdf_path, [Participant("如东县"), Participant("如皋市")])
    assert [b.text for b in d.blocks] == [b.text for b in doc.blocks]
    assert (d.unit, d.period, d.kind, d.report_date) == ("如东县", "2024-05/06", "progress", "2024-07-05")


def test_single_page_number_removed_without_repeats(tmp_path):
    from reportlab.pdfgen import canvas

    register_font()
    path = tmp_path / "one.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(FONT_NAME, 12)
    c.drawString(72, 700, "完成城区180座公厕维修维护。")
    c.drawCentredString(300, 30, "第 1 页 共 1 页")
    c.save()
    d = read_pdf.read(path)
    assert [b.text for b in d.blocks] == ["完成城区180座公厕维修维护。"]


def test_latin_words_keep_spaces_and_watermark_ignored(tmp_path):
    from reportlab.pdfgen import canvas

    register_font()
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(FONT_NAME, 12)
    c.drawString(72, 700, "接入 GPS tracking system 终端126台")
    c.saveState()
    c.translate(300, 400)
    c.rotate(45)
    c.setFont(FONT_NAME, 40)
    c.drawString(0, 0, "内部资料")
    c.restoreState()
    c.save()
    d = read_pdf.read(path)
    assert [b.text for b in d.blocks] == ["接入 GPS tracking system 终端126台"]
    assert any("watermark" in n for n in d.notes)


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_turned_text_reads_in_its_own_direction(tmp_path, angle):
    """A landscape table or page turned inside a portrait page: the text still reads in
    order, its bbox is on the page where the text is, and a diagonal watermark stays out."""
    import pdfplumber
    from reportlab.pdfgen import canvas

    register_font()
    path = tmp_path / f"turned{angle}.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(FONT_NAME, 12)
    c.saveState()
    c.translate(300, 400)
    c.rotate(angle)
    c.drawString(0, 0, "完成城区180座公厕维修维护")
    c.restoreState()
    c.saveState()
    c.translate(100, 100)
    c.rotate(45)
    c.setFont(FONT_NAME, 30)
    c.drawString(0, 0, "内部资料")
    c.restoreState()
    c.save()
    d = read_pdf.read(path)
    assert [b.text for b in d.blocks] == ["完成城区180座公厕维修维护"]
    assert any("counter-clockwise" in n for n in d.notes)
    x0, top, x1, bottom = d.blocks[0].bbox
    with pdfplumber.open(str(path)) as pdf:
        chars = [ch for ch in pdf.pages[0].chars if ch["text"] in "完成城区180座公厕维修维护"]
    assert x0 <= min(ch["x0"] for ch in chars) + 2 and max(ch["x1"] for ch in chars) <= x1 + 2
    assert top <= min(ch["top"] for ch in chars) + 2 and max(ch["bottom"] for ch in chars) <= bottom + 2
