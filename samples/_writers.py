"""Write a Report as .docx or .pdf, byte-for-byte reproducibly.

Committed samples are processed keyed by sha256, so every source of wall-clock
time (zip member stamps, core-properties dates, PDF dates/IDs) is pinned here.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.platypus.flowables import HRFlowable
from xml.sax.saxutils import escape

from _text import Report, TableSpec

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
RED = (0xE0, 0x00, 0x00)
# reportlab's CJK wrap only knows Japanese line-start rules; add Chinese full-width punctuation so
# "，；：”" hang at the line end instead of starting a line (Chinese typesetting rule).
_NO_LINE_START = "，；：！？”’》）、。"
_rl_paragraph.ALL_CANNOT_START += _NO_LINE_START
_rl_textsplit.ALL_CANNOT_START += _NO_LINE_START


# ---------------------------------------------------------------- zip pinning
def normalize_zip(path: Path, stamp: datetime) -> None:
    """Rewrite an OOXML zip with fixed member times and core dates (python-docx/openpyxl use the clock)."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as zin:
        members = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + iso.encode(), data)
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())


# ---------------------------------------------------------------- docx
def _run(p, text: str, font: str = "仿宋_GB2312", size: float = 14, bold: bool = False,
         color: tuple[int, int, int] | None = None):
    """Add a run with an East Asian font name, which python-docx does not set by itself."""
    r = p.add_run(text)
    r.font.size = Pt(size)
    r.font.bold = bold
    r.font.name = "Times New Roman"
    r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if color:
        r.font.color.rgb = RGBColor(*color)
    return r


def _para(doc, align=None, indent: bool = False, space_after: float = 0, line: float = 25):
    """Paragraph with official-document spacing (fixed line pitch, two-character first-line indent)."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(line)
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(28)
    if align is not None:
        p.alignment = align
    return p


def _red_rule(p) -> None:
    """Red bottom border under the document number: the 'red header' line."""
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "E00000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.insert_element_before(bdr, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")


def _page_field(p) -> None:
    """'- N -' footer with a live PAGE field."""
    _run(p, "- ", font="宋体", size=14)
    r = _run(p, "", font="宋体", size=14)
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif instr == "1":
            el = OxmlElement("w:t")
            el.text = "1"
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
        r._element.append(el)
    _run(p, " -", font="宋体", size=14)


def _docx_table(doc, spec: TableSpec) -> None:
    """Grid table; merges repeated column-0 labels vertically when asked (a real-world parser trap)."""
    cap = _para(doc, WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    _run(cap, spec.caption, font="黑体", size=13)
    t = doc.add_table(rows=1 + len(spec.rows), cols=len(spec.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid = [spec.header] + spec.rows
    ncol = len(spec.header)
    first = 2.6 if spec.merge_col0 else 5.2
    rest = (15.4 - first - (4.2 if spec.merge_col0 else 0)) / (ncol - (2 if spec.merge_col0 else 1))
    widths = [Cm(first)] + ([Cm(4.2)] if spec.merge_col0 else []) + [Cm(rest)] * (ncol - (2 if spec.merge_col0 else 1))
    t.autofit = False
    for j, w in enumerate(widths):
        t.columns[j].width = w  # gridCol: LibreOffice/WPS lay out from the grid, Word from tcW
    blank = [[False] * len(spec.header) for _ in grid]
    if spec.merge_col0:
        for i in range(2, len(grid)):
            blank[i][0] = grid[i][0] == grid[i - 1][0]
    for i, row in enumerate(grid):
        for j, val in enumerate(row):
            if blank[i][j]:
                continue
            cell = t.cell(i, j)
            cp = cell.paragraphs[0]
            cp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(cp, val, font="黑体" if i == 0 else "仿宋_GB2312", size=11)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cell.width = widths[j]
    if spec.merge_col0:
        i = 1
        while i < len(grid):
            j = i
            while j + 1 < len(grid) and blank[j + 1][0]:
                j += 1
            if j > i:
                t.cell(i, 0).merge(t.cell(j, 0))
            i = j + 1
    doc.add_paragraph()


def write_docx(rep: Report, path: Path) -> None:
    """GB/T 9704-like layout: red header, 小标宋 title, 仿宋 body, 黑体/楷体 headings, page footer."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    _page_field(sec.footer.paragraphs[0])
    sec.footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if rep.redhead:
        _run(_para(doc, WD_ALIGN_PARAGRAPH.CENTER, line=40, space_after=12), rep.redhead, "方正小标宋简体", 30, color=RED)
    if rep.docno:
        p = _para(doc, WD_ALIGN_PARAGRAPH.CENTER, space_after=18)
        _run(p, rep.docno)
        if rep.redhead:
            _red_rule(p)
    _run(_para(doc, WD_ALIGN_PARAGRAPH.CENTER, line=36, space_after=16), rep.title, "方正小标宋简体", 20)
    _run(_para(doc), rep.addressee)
    for kind, payload in rep.blocks:
        if kind == "table":
            _docx_table(doc, payload)
        elif kind == "h1":
            _run(_para(doc, indent=True), payload, "黑体")
        elif kind == "h2":
            _run(_para(doc, indent=True), payload, "楷体_GB2312", bold=True)
        else:
            _run(_para(doc, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True), payload)
    doc.add_paragraph()
    for line in (rep.sign_org, rep.sign_date):
        p = _para(doc, WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(64)
        _run(p, line)
    y, m, d = rep.date
    stamp = datetime(y, m, d, 1, 30, 0)  # 09:30 Beijing time, stored as UTC
    cp = doc.core_properties
    cp.author = cp.last_modified_by = rep.author
    cp.title, cp.comments, cp.revision = rep.title, "", 3
    cp.created = cp.modified = stamp
    cp.last_printed = stamp
    doc.save(str(path))
    normalize_zip(path, stamp)


# ---------------------------------------------------------------- pdf
_FONT = "WQY"
_STYLES: dict[str, ParagraphStyle] = {}


def _styles() -> dict[str, ParagraphStyle]:
    """Register the CJK font once; CJK word wrap lets lines break between any two characters."""
    if not _STYLES:
        pdfmetrics.registerFont(TTFont(_FONT, FONT_PATH, subfontIndex=0))
        base = dict(fontName=_FONT, wordWrap="CJK", fontSize=12, leading=20)
        _STYLES.update(
            red=ParagraphStyle("red", **{**base, "fontSize": 26, "leading": 34}, alignment=TA_CENTER,
                               textColor=colors.Color(0.88, 0, 0), spaceAfter=8),
            docno=ParagraphStyle("docno", **base, alignment=TA_CENTER),
            title=ParagraphStyle("title", **{**base, "fontSize": 17, "leading": 26}, alignment=TA_CENTER,
                                 spaceBefore=10, spaceAfter=12),
            addr=ParagraphStyle("addr", **base, alignment=TA_LEFT),
            h1=ParagraphStyle("h1", **{**base, "fontSize": 13}, firstLineIndent=26, spaceBefore=4, keepWithNext=1),
            h2=ParagraphStyle("h2", **base, firstLineIndent=24, keepWithNext=1),
            body=ParagraphStyle("body", **base, firstLineIndent=24, alignment=TA_JUSTIFY),
            sign=ParagraphStyle("sign", **base, alignment=TA_RIGHT, rightIndent=36),
            cap=ParagraphStyle("cap", **{**base, "fontSize": 12}, alignment=TA_CENTER, spaceBefore=6, spaceAfter=4),
            cell=ParagraphStyle("cell", **{**base, "fontSize": 10.5, "leading": 15}, alignment=TA_CENTER),
        )
    return _STYLES


def _pdf_table(spec: TableSpec, width: float) -> list:
    """A real ruled grid (GRID lines) so table finders see the cells."""
    st = _styles()
    data = [[Paragraph(escape(v), st["cell"]) for v in row] for row in [spec.header] + spec.rows]
    ncol = len(spec.header)
    first = width * (0.34 if ncol <= 4 else 0.26)
    widths = [first] + [(width - first) / (ncol - 1)] * (ncol - 1)
    t = Table(data, colWidths=widths, hAlign="CENTER", repeatRows=1)
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
    ]))
    keep = KeepTogether([Paragraph(escape(spec.caption), st["cap"]), t]) if len(data) <= 12 else None
    return [keep or Paragraph(escape(spec.caption), st["cap"]), *([] if keep else [t]), Spacer(1, 8)]


def _footer(canvas, doc) -> None:
    """Page number in the '- 1 -' style of official documents."""
    canvas.saveState()
    canvas.setFont(_FONT, 11)
    canvas.drawCentredString(A4[0] / 2, 1.6 * cm, f"- {doc.page} -")
    canvas.restoreState()


def write_pdf(rep: Report, path: Path) -> None:
    """A4 text-layer PDF; invariant=1 pins the creation date and document ID."""
    st = _styles()
    doc = SimpleDocTemplate(str(path), pagesize=A4, invariant=1, leftMargin=2.6 * cm, rightMargin=2.4 * cm,
                            topMargin=2.8 * cm, bottomMargin=2.8 * cm, title=rep.title, author=rep.author,
                            subject=rep.meta.get("subject", ""), creator=rep.author)
    story: list = []
    if rep.redhead:
        story.append(Paragraph(escape(rep.redhead), st["red"]))
    if rep.docno:
        story.append(Paragraph(escape(rep.docno), st["docno"]))
    if rep.redhead:
        story.append(HRFlowable(width="100%", thickness=1.6, color=colors.Color(0.88, 0, 0), spaceBefore=4))
    story.append(Paragraph(escape(rep.title), st["title"]))
    story.append(Paragraph(escape(rep.addressee), st["addr"]))
    for kind, payload in rep.blocks:
        if kind == "table":
            story.extend(_pdf_table(payload, doc.width))
        else:
            story.append(Paragraph(escape(payload), st.get(kind, st["body"])))  # "p" -> body
    story.append(Spacer(1, 18))
    story.append(Paragraph(escape(rep.sign_org), st["sign"]))
    story.append(Paragraph(escape(rep.sign_date), st["sign"]))
    # reportlab reads SOURCE_DATE_EPOCH for /CreationDate: the report's own date instead of invariant's 2000-01-01
    y, m, d = rep.date
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime(y, m, d, 1, 30, tzinfo=timezone.utc).timestamp()))
    try:
        doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def write_report(rep: Report, out_dir: Path) -> Path:
    """Dispatch on the report's single format."""
    path = out_dir / rep.filename
    (write_docx if rep.fmt == "docx" else write_pdf)(rep, path)
    return path
