"""The .docx reader on files made here: headings, lists, merged cells, tracked changes,
text boxes, footnotes, and what must stay out (comments, headers, footers)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

try:
    from conftest_readers import make_big_docx, make_full_docx
except ImportError:  # tests run as a package
    from tests.conftest_readers import make_big_docx, make_full_docx

from extractors import read_docx
from extractors.readers import read_document


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> Path:
    return make_full_docx(tmp_path_factory.mktemp("docx") / "如东县5-6月进展.docx")


@pytest.fixture(scope="module")
def doc(full):
    return read_docx.read(full)


def by_text(doc, text):
    return [b for b in doc.blocks if b.text == text]


def test_headings_with_outline_levels(doc):
    title = by_text(doc, "如东县2024年5-6月干净城市建设竞赛活动进展情况")[0]
    assert (title.kind, title.level) == ("heading", 0)
    h1 = by_text(doc, "一、项目建设")[0]
    assert (h1.kind, h1.level) == ("heading", 1)
    # outline level set in the paragraph properties, no heading style
    h2 = by_text(doc, "（一）中转站改造")[0]
    assert (h2.kind, h2.level) == ("heading", 2)
    assert h2.context == "一、项目建设"
    para = by_text(doc, "完成城区180座公厕维修维护，新建垃圾分类投放站32个。")[0]
    assert para.kind == "paragraph" and para.context == "一、项目建设"


def test_list_items_keep_their_text_and_label(doc):
    numbered = by_text(doc, "改造中转站3座，新增压缩设备5套。")[0]
    bullet = by_text(doc, "整治垃圾桶清运点45处。")[0]
    assert numbered.kind == bullet.kind == "list_item"
    assert "numbered 1." in numbered.location
    assert numbered.context == "一、项目建设 > （一）中转站改造"


def test_tracked_changes_read_as_accepted(full, doc):
    import docx

    assert by_text(doc, "本期新建分类厢房48个。"), [b.text for b in doc.blocks]
    joined = "\n".join(b.text for b in doc.blocks)
    assert "改造分类厢房" not in joined and "40个。" not in joined
    assert any("tracked changes read as accepted" in n for n in doc.notes)
    # Why we read the XML ourselves: python-docx drops the inserted runs.
    plain = [p.text for p in docx.Document(str(full)).paragraphs]
    assert "本期分类厢房个。" in plain


def test_comments_headers_footers_are_not_blocks(doc):
    joined = "\n".join(b.text for b in doc.blocks)
    assert "批注" not in joined and "99个" not in joined
    assert "页眉文字" not in joined
    assert "第 1 页" not in joined and "PAGE" not in joined
    assert any("comment" in n for n in doc.notes)


def test_text_box_read_once(doc):
    boxes = [b for b in doc.blocks if "新增收运车辆16辆" in b.text]
    assert len(boxes) == 1, "DrawingML and VML fallback copies must not both be read"
    assert boxes[0].kind == "textbox"
    assert "paragraph" in boxes[0].location
    # the anchoring paragraph does not swallow the box text
    assert by_text(doc, "见右侧说明。")


def test_footnote(doc):
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert [b.text for b in notes] == ["含2个在建项目，预计9月完工。"]
    assert notes[0].location.startswith("footnote 1 (referenced at paragraph")
    assert doc.blocks[-1].kind == "footnote"


def test_merged_cells_read_once_with_context(doc):
    cells = [b for b in doc.blocks if b.kind == "table_cell"]
    texts = [b.text for b in cells]
    assert texts.count("2024年任务") == 1  # gridSpan
    assert texts.count("项目") == 1  # vMerge
    assert by_text(doc, "项目")[0].location == "table 1, rows 1-2, col 1"
    assert by_text(doc, "2024年任务")[0].location == "table 1, row 1, cols 2-3"
    done = by_text(doc, "18座")[0]
    assert done.location == "table 1, row 3, col 3"
    assert done.context == "公厕改造 / 2024年任务 完成"
    assert by_text(doc, "40个")[0].context == "分类厢房 / 2024年任务 计划"
    assert by_text(doc, "计划")[0].context == ""  # header cells carry no context


def test_document_order_and_indexes(doc):
    assert [b.index for b in doc.blocks] == list(range(len(doc.blocks)))
    kinds = [b.kind for b in doc.blocks]
    first_cell = kinds.index("table_cell")
    assert doc.blocks[first_cell - 1].text == "二、数据汇总"
    assert doc.blocks[-2].text == "如东县城市管理局\n2024年7月5日"


def test_read_document_keeps_reader_text(full, doc):
    """No normalisation after the reader: the text of every block is the reader's."""
    again = read_document(full)
    assert [b.text for b in again.blocks] == [b.text for b in doc.blocks]
    assert again.format == "docx" and again.sha256 == doc.sha256 and again.source == full.name


def _docx_with_body(tmp_path: Path, body_xml: str, styles_extra: str = "") -> Path:
    """A python-docx file whose body is replaced by `body_xml` (raw WordprocessingML)."""
    import docx

    path = tmp_path / "raw.docx"
    d = docx.Document()
    d.save(str(path))
    with zipfile.ZipFile(path) as z:
        items = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = items["word/document.xml"].decode()
    start, end = xml.index("<w:body>") + len("<w:body>"), xml.index("<w:sectPr")
    items["word/document.xml"] = (xml[:start] + body_xml + xml[end:]).encode()
    if styles_extra:
        st = items["word/styles.xml"].decode()
        items["word/styles.xml"] = st.replace("</w:styles>", styles_extra + "</w:styles>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in items.items():
            z.writestr(n, data)
    return path


def test_rendered_page_breaks_give_pages(tmp_path):
    body = (
        "<w:p><w:r><w:t>第一页内容</w:t></w:r></w:p>"
        "<w:p><w:r><w:lastRenderedPageBreak/><w:t>第二页开头</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>仍在第二页，跨到</w:t></w:r><w:r><w:lastRenderedPageBreak/><w:t>第三页</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>第三页内容</w:t></w:r></w:p>"
    )
    d = read_docx.read(_docx_with_body(tmp_path, body))
    assert [(b.text, b.page) for b in d.blocks] == [
        ("第一页内容", 1), ("第二页开头", 2), ("仍在第二页，跨到第三页", 2), ("第三页内容", 3)]


def test_no_rendered_breaks_means_no_page(doc):
    assert all(b.page is None for b in doc.blocks)


def test_chinese_style_names_deleted_rows_and_fields(tmp_path):
    styles = ('<w:style w:type="paragraph" w:styleId="1"><w:name w:val="标题 1"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="x2"><w:name w:val="我的标题"/><w:basedOn w:val="1"/></w:style>')
    body = (
        '<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>一、总体情况</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="x2"/></w:pPr><w:r><w:t>继承的标题</w:t></w:r></w:p>'
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "x" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>链接文字</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>共12处</w:t></w:r></w:p>'
        '<w:p><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>单击此处输入文字。</w:t></w:r>'
        '</w:sdtContent></w:sdt><w:r><w:t>填报单位：</w:t></w:r><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>如东县</w:t>'
        '</w:r></w:sdtContent></w:sdt></w:p>'
        '<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>'
        '<w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>数量</w:t></w:r></w:p></w:tc></w:tr>'
        '<w:tr><w:trPr><w:del w:id="9" w:author="a"/></w:trPr><w:tc><w:p><w:r><w:t>删除行</w:t></w:r></w:p></w:tc>'
        '<w:tc><w:p><w:r><w:t>99</w:t></w:r></w:p></w:tc></w:tr>'
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>7座</w:t></w:r></w:p></w:tc></w:tr>'
        '</w:tbl>'
    )
    d = read_docx.read(_docx_with_body(tmp_path, body, styles))
    got = {b.text: b for b in d.blocks}
    assert (got["一、总体情况"].kind, got["一、总体情况"].level) == ("heading", 1)
    assert (got["继承的标题"].kind, got["继承的标题"].level) == ("heading", 1)
    assert "链接文字共12处" in got and "HYPERLINK" not in "".join(got)
    assert "删除行" not in got and "99" not in got
    assert "填报单位：如东县" in got  # a filled content control is text, an empty one's prompt is not
    assert got["7座"].location == "table 1, row 2, col 2" and got["7座"].context == "数量"


def test_big_docx_is_fast(tmp_path):
    path = make_big_docx(tmp_path / "big.docx", pages=30)
    t0 = time.perf_counter()
    d = read_docx.read(path)
    elapsed = time.perf_counter() - t0
    print(f"30-part docx: {len(d.blocks)} blocks in {elapsed * 1000:.0f} ms")
    assert len(d.blocks) > 200
    assert elapsed < 1.0
