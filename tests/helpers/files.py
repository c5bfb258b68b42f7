"""Real files made by the tests themselves: .docx with python-docx, PDFs with reportlab."""

from __future__ import annotations

from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, val in enumerate(row):
                t.cell(r, c).text = val
    d.save(str(path))
    return path


def make_pdf(path: Path, paragraphs: list[str]) -> Path:
    """A4 text-layer PDF in a CJK font, paragraphs wrapped and indented as Word would."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    style = ParagraphStyle("body", fontName="WQY", fontSize=11, leading=18, firstLineIndent=22,
                           spaceAfter=8, wordWrap="CJK")
    story = [Paragraph(_escape(p), style) for p in paragraphs]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
