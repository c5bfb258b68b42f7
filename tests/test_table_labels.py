"""Header rows, column headers and row labels of table cells (extractors._table_labels),
shared by the Word and the PDF table readers: the rules on small grids, and the same
table written as .docx and as PDF read into the same cells with the same context."""

from __future__ import annotations

from pathlib import Path

import pytest

try:
    from conftest_readers import FONT_NAME, register_font
except ImportError:
    from tests.conftest_readers import FONT_NAME, register_font

from extractors import read_docx, read_pdf
from extractors._table_labels import GridSpan, cell_contexts, describe_span, header_rows

# The report table the readers' tests use: "项目" merged down over two header rows,
# "2024年任务" merged across "计划" and "完成".
TWO_ROW_HEADER = [
    (GridSpan(0, 0, 2, 1), "项目"), (GridSpan(0, 1, 1, 2), "2024年任务"),
    (GridSpan(1, 1, 1, 1), "计划"), (GridSpan(1, 2, 1, 1), "完成"),
    (GridSpan(2, 0, 1, 1), "公厕改造"), (GridSpan(2, 1, 1, 1), "20座"), (GridSpan(2, 2, 1, 1), "18座"),
    (GridSpan(3, 0, 1, 1), "中转站改造"), (GridSpan(3, 1, 1, 1), "3座"), (GridSpan(3, 2, 1, 1), "2座"),
]


def _contexts(table: list[tuple[GridSpan, str]]) -> dict[str, str]:
    cells = [c for c, _ in table]
    texts = [t for _, t in table]
    return dict(zip(texts, cell_contexts(cells, texts)))


def test_header_rows_follow_the_vertical_merges_of_the_first_row():
    assert header_rows([c for c, _ in TWO_ROW_HEADER]) == 2
    assert header_rows([GridSpan(0, 0, 1, 1), GridSpan(0, 1, 1, 1), GridSpan(1, 0, 1, 1)]) == 1
    assert header_rows([GridSpan(0, 0, 3, 1), GridSpan(0, 1, 2, 1)]) == 3
    assert header_rows([]) == 1


def test_row_label_and_every_header_above_the_column():
    got = _contexts(TWO_ROW_HEADER)
    assert got["18座"] == "公厕改造 / 2024年任务 完成"
    assert got["3座"] == "中转站改造 / 2024年任务 计划"
    assert got["公厕改造"] == "项目"  # a row label is not its own label
    assert [got[h] for h in ("项目", "2024年任务", "计划", "完成")] == ["", "", "", ""]


def test_empty_cells_add_no_label_and_no_header():
    table = [
        (GridSpan(0, 0, 1, 1), ""), (GridSpan(0, 1, 1, 1), "完成数"),
        (GridSpan(1, 0, 1, 1), ""), (GridSpan(1, 1, 1, 1), "6座"),
        (GridSpan(2, 0, 1, 1), "新建公厕"), (GridSpan(2, 1, 1, 1), ""),
    ]
    got = cell_contexts([c for c, _ in table], [t for _, t in table])
    assert got == ["", "", "", "完成数", "", "新建公厕 / 完成数"]  # an empty cell has a context too


def test_a_header_merged_down_is_named_once_and_line_breaks_become_spaces():
    table = [
        (GridSpan(0, 0, 2, 1), "项目"), (GridSpan(0, 1, 2, 1), "年度\n计划"), (GridSpan(0, 2, 1, 1), "完成"),
        (GridSpan(1, 2, 1, 1), "完成"),  # the same text again below: named once
        (GridSpan(2, 0, 1, 1), "新建\n公厕"), (GridSpan(2, 1, 1, 1), "8座"), (GridSpan(2, 2, 1, 1), "6座"),
    ]
    got = cell_contexts([c for c, _ in table], [t for _, t in table])
    assert got[-2:] == ["新建 公厕 / 年度 计划", "新建 公厕 / 完成"]


def test_a_cell_spanning_columns_takes_the_header_of_its_first_column():
    table = [
        (GridSpan(0, 0, 1, 1), "项目"), (GridSpan(0, 1, 1, 1), "计划"), (GridSpan(0, 2, 1, 1), "完成"),
        (GridSpan(1, 0, 1, 1), "公厕"), (GridSpan(1, 1, 1, 2), "全部完成"),
    ]
    assert _contexts(table)["全部完成"] == "公厕 / 计划"


def test_describe_span_counts_from_one():
    assert describe_span("1", GridSpan(0, 0, 2, 1)) == "table 1, rows 1-2, col 1"
    assert describe_span("2.1", GridSpan(0, 1, 1, 2)) == "table 2.1, row 1, cols 2-3"
    assert describe_span("3", GridSpan(2, 2, 1, 1)) == "table 3, row 3, col 3"


# ------------------------------------------------ one table, as .docx and as PDF

ROWS = [
    ["项目", "2024年任务", ""],
    ["", "计划", "完成"],
    ["公厕改造", "20座", "18座"],
    ["中转站改造", "3座", "2座"],
    ["垃圾分类投放站点建设（含分类厢房）", "40个", "32个"],
    ["", "5处", "4处"],  # no row label
]
MERGES = [((0, 1), (0, 2)), ((0, 0), (1, 0))]  # "2024年任务" across, "项目" down


def _make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("表1 项目进展")
    t = d.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    for r, row in enumerate(ROWS):
        for c, val in enumerate(row):
            if val:
                t.cell(r, c).text = val
    for a, b in MERGES:
        t.cell(*a).merge(t.cell(*b))
    d.save(str(path))
    return path


def _make_pdf(path: Path) -> Path:
    """The same table ruled on a PDF page; the long row label wraps over two lines."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_font()
    body = ParagraphStyle("body", fontName=FONT_NAME, fontSize=12, leading=20)
    cell = ParagraphStyle("cell", fontName=FONT_NAME, fontSize=10, leading=13, wordWrap="CJK")
    data: list[list] = [list(row) for row in ROWS]
    data[4][0] = Paragraph(ROWS[4][0], cell)
    t = Table(data, colWidths=[120, 120, 120])
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT_NAME, 10),
        ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
        *[("SPAN", (a[1], a[0]), (b[1], b[0])) for a, b in MERGES],
    ]))
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build([Paragraph("表1 项目进展", body), Spacer(1, 8), t])
    return path


def _cells(blocks) -> list[tuple[str, str, str]]:
    """(location within the page, text, context) of each table cell block."""
    return [(b.location.split(", ", 1)[1] if b.location.startswith("page ") else b.location, b.text, b.context)
            for b in blocks if b.kind == "table_cell"]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    d = tmp_path_factory.mktemp("same_table")
    return (_cells(read_docx.read(_make_docx(d / "t.docx")).blocks),
            _cells(read_pdf.read(_make_pdf(d / "t.pdf")).blocks))


def test_docx_and_pdf_give_the_same_cells(both):
    from_docx, from_pdf = both
    assert from_docx == from_pdf


def test_docx_and_pdf_cells_as_expected(both):
    from_docx, _ = both
    by_text = {text: (loc, ctx) for loc, text, ctx in from_docx}
    assert by_text["项目"] == ("table 1, rows 1-2, col 1", "")
    assert by_text["2024年任务"] == ("table 1, row 1, cols 2-3", "")
    assert by_text["18座"] == ("table 1, row 3, col 3", "公厕改造 / 2024年任务 完成")
    assert by_text["40个"] == ("table 1, row 5, col 2", "垃圾分类投放站点建设（含分类厢房） / 2024年任务 计划")
    assert by_text["4处"] == ("table 1, row 6, col 3", "2024年任务 完成")
