"""Real files for the reader tests and the reader benchmark, made on the spot.

Why generators and not checked-in fixtures: every property a test relies on (a merged
cell, a tracked insertion, a two-line header, a scanned page) is visible here in code,
so a reader failure can be traced to one line of the input.

Imported by tests/test_readers_*.py and bench/bench_readers.py (not a pytest conftest,
so it never changes fixtures for other test modules).
"""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONT_NAME = "WQYMicroHei"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

BODY_PARAGRAPHS = [
    "今年以来，我区围绕干净城市建设目标，完成城区180座公厕维修维护，新建垃圾分类投放站32个，"
    "改造中转站3座，累计投入资金600万元，群众满意率达到98.5%。",
    "持续开展环境清洁行动，共开展专项整治行动90余次，清理卫生死角1000余处，拖运垃圾杂物共计3400余吨，"
    "城市道路机械化清扫率达到95%以上。",
    "加强信息化监管，新接入车载视频终端126台，实现收运车辆实时定位全覆盖，"
    "全年未发生安全生产事故和环境污染事件。",
    "下一步，我区将继续推进垃圾桶清运点整治，计划年内再改造清运点45处，确保各项任务按期完成。",
]


def register_font() -> None:
    """reportlab needs the CJK font registered once per process."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, FONT_PATH, subfontIndex=0))


def make_report_pdf(
    path: Path,
    pages: int = 3,
    header: tuple[str, ...] = ("南通市干净城市建设劳动竞赛", "如东县城市管理局 2024年5-6月进展情况"),
    table: bool = True,
    paragraphs_per_page: int = 4,
    encrypt_password: str | None = None,
) -> Path:
    """A Word-export-like report: repeated header lines + a rule, '- N -' page numbers,
    indented body paragraphs that wrap over several lines, and a ruled table with a
    horizontally merged header cell on page 1."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_font()
    width, height = A4

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT_NAME, 9)
        for i, line in enumerate(header):
            canvas.drawCentredString(width / 2, height - 40 - 12 * i, line)
        canvas.setLineWidth(0.5)
        canvas.line(72, height - 40 - 12 * len(header) + 4, width - 72, height - 40 - 12 * len(header) + 4)
        canvas.drawCentredString(width / 2, 36, f"- {doc.page} -")
        canvas.restoreState()

    body = ParagraphStyle("body", fontName=FONT_NAME, fontSize=12, leading=20, firstLineIndent=24,
                          wordWrap="CJK", spaceAfter=4)
    title = ParagraphStyle("title", fontName=FONT_NAME, fontSize=18, leading=26, alignment=1, spaceAfter=12)
    cell = ParagraphStyle("cell", fontName=FONT_NAME, fontSize=10, leading=13, wordWrap="CJK")
    story: list = [Paragraph("如东县2024年5-6月干净城市建设竞赛活动进展情况", title)]
    for p in range(pages):
        for i in range(paragraphs_per_page):
            story.append(Paragraph(BODY_PARAGRAPHS[(p + i) % len(BODY_PARAGRAPHS)], body))
        if table and p == 0:
            data = [
                ["项目", "2024年任务", ""],
                ["", "计划", "完成"],
                ["公厕改造", "20座", "18座"],
                ["中转站改造", "3座", "2座"],
                [Paragraph("垃圾分类投放站点建设（含分类厢房）", cell), "40个", "32个"],
            ]
            t = Table(data, colWidths=[180, 120, 120])
            t.setStyle(TableStyle([
                ("FONT", (0, 0), (-1, -1), FONT_NAME, 10),
                ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
                ("SPAN", (1, 0), (2, 0)),
                ("SPAN", (0, 0), (0, 1)),
            ]))
            story += [Spacer(1, 8), t, Spacer(1, 8)]
        if p < pages - 1:
            story.append(PageBreak())
    story.append(Paragraph("如东县城市管理局", ParagraphStyle("sig", parent=body, alignment=2)))
    story.append(Paragraph("2024年7月5日", ParagraphStyle("sig2", parent=body, alignment=2)))
    kwargs = {}
    if encrypt_password:
        from reportlab.lib.pdfencrypt import StandardEncryption

        kwargs["encrypt"] = StandardEncryption(encrypt_password, canPrint=0)
    doc = SimpleDocTemplate(str(path), pagesize=A4, topMargin=90, bottomMargin=72, **kwargs)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


SCAN_LINES = [
    "如皋市城市管理局",
    "2024年7-8月干净城市建设竞赛活动进展情况",
    "一、完成城区126座公厕维修维护，新建分类厢房48个。",
    "二、开展专项整治行动75次，清理卫生死角930处。",
    "三、拖运垃圾杂物共计2800吨，投入资金450万元。",
    "四、新增收运车辆16辆，群众满意率达到97%。",
    "2024年9月3日",
]


def render_text_image(lines: list[str], dpi: int = 200, font_px: int = 44):
    """A clean 'scan': black text on white A4 at `dpi`, one line per entry."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT_PATH, font_px, index=0)
    y = int(1.2 * dpi)
    for i, line in enumerate(lines):
        x = int(1.0 * dpi) + (2 * font_px if 0 < i < len(lines) - 1 and line[:1] in "一二三四五六七八九" else 0)
        if i == len(lines) - 1 and re.match(r"^\d{4}年", line):  # the date of the signature, right-aligned
            x = w - int(1.0 * dpi) - int(draw.textlength(line, font=font))
        draw.text((x, y), line, fill=0, font=font)
        y += int(font_px * 2.0)
    return img


def full_scan_pages(n: int, chars_per_line: int = 30) -> list[list[str]]:
    """`n` distinct full pages of report text (about 26 lines each), numbers differing per page."""
    pages = []
    for k in range(n):
        text = "".join(re.sub(r"\d+", lambda m: str(int(m.group(0)) + 7 * k + 1), p) for p in BODY_PARAGRAPHS * 2)
        lines = [text[i:i + chars_per_line] for i in range(0, len(text), chars_per_line)][:26]
        pages.append(([f"如皋市城市管理局2024年第{k + 1}期"] if k == 0 else []) + lines + [f"2024年9月{k + 1}日"])
    return pages


def make_scanned_pdf(path: Path, pages: list[list[str]] | None = None, dpi: int = 200) -> Path:
    """An image-only PDF (no text layer), one rendered page per entry."""
    images = [render_text_image(p, dpi) for p in (pages or [SCAN_LINES])]
    images[0].save(str(path), "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return path


# ---------------------------------------------------------------- docx


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _run_xml(text: str, tag: str = "t") -> str:
    return f'<w:r><w:{tag} xml:space="preserve">{text}</w:{tag}></w:r>'


TEXTBOX_XML = (
    '<w:r xmlns:w="{w}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml">'
    "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><wp:extent cx=\"1\" cy=\"1\"/>"
    "<a:graphic><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">"
    "<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>"
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)

FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:footnotes xmlns:w="{W_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def make_full_docx(path: Path) -> Path:
    """A county report with everything the docx reader must handle:
    title + headings (style and outline level), a numbered list, a table with a
    horizontally and a vertically merged cell, a paragraph with tracked changes
    (w:ins in, w:del out), a comment, a text box (DrawingML + VML fallback), a
    footnote, a header and a footer with a page-number field."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_heading("如东县2024年5-6月干净城市建设竞赛活动进展情况", level=0)
    d.add_heading("一、项目建设", level=1)
    d.add_paragraph("完成城区180座公厕维修维护，新建垃圾分类投放站32个。")
    p_outline = d.add_paragraph("（一）中转站改造")
    pPr = p_outline._p.get_or_add_pPr()
    pPr.append(parse_xml(f'<w:outlineLvl xmlns:w="{W_NS}" w:val="1"/>'))
    d.add_paragraph("改造中转站3座，新增压缩设备5套。", style="List Number")
    d.add_paragraph("整治垃圾桶清运点45处。", style="List Bullet")

    # Tracked changes: "改造" deleted, "新建" inserted, and an insertion holding a number.
    p = d.add_paragraph()
    p._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:t xml:space="preserve">本期</w:t></w:r>'))
    p._p.append(parse_xml(
        f'<w:del xmlns:w="{W_NS}" w:id="1" w:author="a" w:date="2024-07-01T00:00:00Z">'
        '<w:r><w:delText>改造</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(
        f'<w:ins xmlns:w="{W_NS}" w:id="2" w:author="a" w:date="2024-07-01T00:00:00Z">'
        '<w:r><w:t>新建</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:t xml:space="preserve">分类厢房</w:t></w:r>'))
    p._p.append(parse_xml(
        f'<w:ins xmlns:w="{W_NS}" w:id="3" w:author="a" w:date="2024-07-01T00:00:00Z">'
        '<w:r><w:t>48</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del xmlns:w="{W_NS}" w:id="4" w:author="a" w:date="2024-07-01T00:00:00Z">'
                          '<w:r><w:delText>40</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:t>个。</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:commentRangeStart xmlns:w="{W_NS}" w:id="7"/>'))
    p._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:commentReference w:id="7"/></w:r>'))
    # A footnote reference in the same paragraph.
    p._p.append(parse_xml(
        f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'))

    # Text box anchored in its own paragraph.
    p_tb = d.add_paragraph("见右侧说明。")
    p_tb._p.append(parse_xml(TEXTBOX_XML.format(w=W_NS, text="新增收运车辆16辆")))

    d.add_heading("二、数据汇总", level=1)
    t = d.add_table(rows=5, cols=3)
    t.style = "Table Grid"
    cells = [["项目", "2024年任务", ""], ["", "计划", "完成"], ["公厕改造", "20座", "18座"],
             ["中转站改造", "3座", "2座"], ["分类厢房", "40个", "48个"]]
    for r, row in enumerate(cells):
        for c, val in enumerate(row):
            if val:
                t.cell(r, c).text = val
    t.cell(0, 1).merge(t.cell(0, 2))  # gridSpan
    t.cell(0, 0).merge(t.cell(1, 0))  # vMerge
    # python-docx's merge keeps both texts joined; make the merged cells hold one text.
    t.cell(0, 1).text = "2024年任务"
    t.cell(0, 0).text = "项目"

    d.add_paragraph("全年未发生安全生产事故。")
    last = d.add_paragraph("如东县城市管理局")
    last.runs[0].add_break(WD_BREAK.LINE)
    last.add_run("2024年7月5日")

    sec = d.sections[0]
    sec.header.paragraphs[0].text = "南通市干净城市建设劳动竞赛 页眉文字"
    fp = sec.footer.paragraphs[0]
    fp.text = "第 "
    fp._p.append(parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    fp.add_run(" 页")
    d.save(str(path))
    _add_part(path, "word/footnotes.xml", FOOTNOTES_XML.format(text="含2个在建项目，预计9月完工。"),
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml")
    _add_part(path, "word/comments.xml",
              f'<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W_NS}"><w:comment w:id="7" '
              'w:author="b"><w:p><w:r><w:t>批注：请核实数字99个</w:t></w:r></w:p></w:comment></w:comments>',
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")
    return path


def _add_part(path: Path, name: str, xml: str, reltype: str, content_type: str) -> None:
    """python-docx has no footnotes API: add the part, its relationship and content type."""
    with zipfile.ZipFile(path) as z:
        items = {i.filename: z.read(i.filename) for i in z.infolist()}
    rels = items["word/_rels/document.xml.rels"].decode()
    rid = f"rIdX{len(items)}"
    target = name.split("/", 1)[1]
    rels = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{reltype}" Target="{target}"/></Relationships>')
    items["word/_rels/document.xml.rels"] = rels.encode()
    ct = items["[Content_Types].xml"].decode()
    ct = ct.replace("</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
    items["[Content_Types].xml"] = ct.encode()
    items[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in items.items():
            z.writestr(n, data)


def make_simple_docx(path: Path, paragraphs: list[str] | None = None, title: str | None = None) -> Path:
    """A plain docx: optional title heading and body paragraphs."""
    import docx

    d = docx.Document()
    if title:
        d.add_heading(title, level=1)
    for text in paragraphs or BODY_PARAGRAPHS:
        d.add_paragraph(text)
    d.save(str(path))
    return path


def make_big_docx(path: Path, pages: int = 30) -> Path:
    """A long report (about `pages` pages): headings, paragraphs and a table every few pages."""
    import docx

    d = docx.Document()
    d.add_heading("2024年度干净城市建设工作总结", level=0)
    for p in range(pages):
        d.add_heading(f"第{p + 1}部分", level=1)
        for i in range(6):
            d.add_paragraph(BODY_PARAGRAPHS[(p + i) % len(BODY_PARAGRAPHS)])
        if p % 3 == 0:
            t = d.add_table(rows=4, cols=3)
            for r in range(4):
                for c in range(3):
                    t.cell(r, c).text = f"第{r}行{c}列{r * c}个"
    d.save(str(path))
    return path


def soffice_convert(src: Path, fmt: str, outdir: Path, timeout: float = 120) -> Path:
    """Convert with LibreOffice (used by tests to make a real .doc from a docx)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
             "--convert-to", fmt, "--outdir", str(outdir), str(src)],
            check=True, timeout=timeout, capture_output=True,
        )
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.exists(), f"soffice did not write {out}"
    return out


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


def numbers_in(text: str) -> list[str]:
    """The digit runs of a text (for OCR recall)."""
    return re.findall(r"\d+(?:\.\d+)?", text)


def random_bytes(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (255, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


def encrypted_office_bytes() -> bytes:
    """An OLE compound file that contains the streams of an encrypted OOXML package.

    A real password-protected .docx is exactly this: a CFB container (magic D0 CF 11 E0)
    with 'EncryptionInfo' and 'EncryptedPackage' streams. We write the smallest valid CFB
    by hand (one directory sector, one FAT sector), enough for magic and stream names.
    """
    import struct

    sector = 512
    def dir_entry(name: str, etype: int, child: int = -1, left: int = -1, right: int = -1,
                  start: int = 0, size: int = 0) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        e = raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), etype, 1)
        e += struct.pack("<iii", left, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
        e += struct.pack("<iI", start, size) + b"\0" * 4
        return e
    entries = [
        dir_entry("Root Entry", 5, child=1, start=-2),
        dir_entry("EncryptionInfo", 2, right=2, start=-2, size=0),
        dir_entry("EncryptedPackage", 2, start=-2, size=0),
        b"\0" * 128,
    ]
    directory = b"".join(entries)
    header = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header += b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<I", 0) + b"\xff\xff\xff\xff" * 108
    header = header[:sector]
    fat = struct.pack("<ii", -3, -2) + b"\xff\xff\xff\xff" * 126
    return header + fat + directory
