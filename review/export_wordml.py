"""Word XML that python-docx has no API for: footnotes, East Asian fonts, page furniture.

Why a module of its own: the 通报 text (export_docx) should read as the document it
writes, while the XML needed to make Word and LibreOffice show Chinese fonts, real
footnotes, a repeated table header and a page number lives here, tested through the
files it produces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

BODY, HEADING, TITLE, TABLE = "仿宋", "黑体", "宋体", "宋体"
WEST = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)
PENDING = "（待确认）"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def fonts(rpr, east: str, west: str = WEST) -> None:
    """Chinese text needs its own font slot (w:eastAsia); python-docx sets only the western ones."""
    rf = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        rf.set(qn(slot), west)
    rf.set(qn("w:eastAsia"), east)


def run(p: Paragraph, text: str, east: str = BODY, size: float | None = None, bold: bool = False,
        color: RGBColor | None = None, highlight: bool = False):
    r = p.add_run(text)
    fonts(r._r.get_or_add_rPr(), east)
    if size:
        r.font.size = Pt(size)
    r.bold = bold or None
    if color is not None:
        r.font.color.rgb = color
    if highlight:
        r.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return r


class Footnotes:
    """Collects footnote texts while the body is written, then adds the footnotes part."""

    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc
        self.notes: list[str] = []

    def add(self, p: Paragraph, text: str) -> int:
        """A superscript reference at the end of `p`; returns the footnote's id."""
        self.notes.append(text)
        fid = len(self.notes)
        r = p.add_run()
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), "FootnoteReference")
        r._r.get_or_add_rPr().append(style)
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(fid))
        r._r.append(ref)
        return fid

    def _xml(self) -> bytes:
        sep = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
               'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
               '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
               'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')
        notes = "".join(
            f'<w:footnote w:id="{i}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
            for i, text in enumerate(self.notes, start=1)
        )
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:footnotes xmlns:w="{W_NS}">{sep}{notes}</w:footnotes>').encode("utf-8")

    def attach(self) -> None:
        """Add word/footnotes.xml, its relationship and the separators named in settings."""
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, self._xml(), self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)
        pr = OxmlElement("w:footnotePr")
        for i in ("-1", "0"):
            fn = OxmlElement("w:footnote")
            fn.set(qn("w:id"), i)
            pr.append(fn)
        self.doc.settings.element.insert_element_before(
            pr, "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
            "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
            "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType", "w:schemaLibrary",
            "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def setup(doc: DocxDocument) -> None:
    """A4 and the margins of Chinese official documents (GB/T 9704), 仿宋 三号 on 28pt lines."""
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    s.header_distance, s.footer_distance = Mm(15), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    fonts(normal.element.get_or_add_rPr(), BODY)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    pf = normal.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)
    pf.space_before, pf.space_after = Pt(0), Pt(0)
    text = doc.styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)
    text.style_id, text.base_style = "FootnoteText", normal
    text.font.size = Pt(10.5)
    fonts(text.element.get_or_add_rPr(), TABLE)
    text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    ref = doc.styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
    ref.style_id = "FootnoteReference"
    ref.font.superscript = True
    lang_setting = doc.settings.element.find(qn("w:themeFontLang"))
    if lang_setting is not None:
        lang_setting.set(qn("w:eastAsia"), "zh-CN")


def header_footer(doc: DocxDocument, marker: str | None) -> None:
    s = doc.sections[0]
    if marker:
        p = s.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run(p, marker, HEADING, 12, bold=True, color=RED)
    p = s.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(p, "— ", BODY, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    field.append(r)
    p._p.append(field)
    run(p, " —", BODY, 14)


def para(doc: DocxDocument, text: str = "", east: str = BODY, indent: bool = True, align=None,
          size: float | None = None, bold: bool = False) -> Paragraph:
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    if align is not None:
        p.alignment = align
    if text:
        run(p, text, east, size, bold)
    return p


def rule(p: Paragraph) -> None:
    """The red line under the document number (版头分隔线)."""
    pPr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    pPr.append(border)


def fill_cell(cell, text: str, bold: bool = False, pending: bool = False, width=None) -> None:
    cell.text = ""
    if width is not None:
        cell.width = width
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.keep_with_next = True
    for k, line in enumerate(text.split("\n")):
        if k:
            p.add_run().add_break()
        run(p, line, TABLE, 10.5, bold)
    if pending:
        p.add_run().add_break()
        run(p, PENDING, TABLE, 8, color=RED)


def narrow_margins(t) -> None:
    """1 mm cell margins instead of Word's 1.9 mm: four CJK characters fit an 18 mm column."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        el = OxmlElement(side)
        el.set(qn("w:w"), "57")
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    t._tbl.tblPr.append(mar)
