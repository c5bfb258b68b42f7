"""The Word 通报 draft of an export: ranking, a paragraph per unit, real footnotes.

Why real footnotes: leaders sign this document, and every number they sign must lead
back to a page of a report or a row of an input table. python-docx has no footnote
API, so `Footnotes` writes the footnotes part (word/footnotes.xml) itself; Word and
LibreOffice then number, place and renumber the notes like any typed footnote.
Why the markers: a proposed point must never read as final. With proposals included,
every number that rests on one is followed by （待确认）, and every page carries
征求意见稿 in its header; the same header appears while proposals are still open.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from scoring.evidence import fmt  # points as written in a notice: 79.5, 20, -2

from .export_data import Cited, PointRow, competition_name
from .export_wordml import (BODY, HEADING, PENDING, RED, TITLE, Footnotes, fill_cell, header_footer, narrow_margins,
                            para, rule, run, setup)

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from .export_data import ExportTable, UnitResult

NUMERALS = "一二三四五六七八九十"


def excerpt(quote: str, limit: int = 60) -> str:
    """A short piece of a long sentence that keeps its first clause with a number."""
    quote = quote.strip().rstrip("。；;，,")
    if len(quote) <= limit:
        return quote
    clauses = re.findall(r"[^，；。,;]+[，；。,;]?", quote)
    start = next((i for i, c in enumerate(clauses) if re.search(r"[0-9０-９一二两三四五六七八九十百千万]", c)), 0)
    out, end = "", start
    while end < len(clauses) and len(out) + len(clauses[end]) <= limit:
        out += clauses[end]
        end += 1
    if not out:
        out, end = clauses[start][:limit], start + 1
    out = out.rstrip("，；。,;")
    return ("……" if start else "") + out + ("……" if end < len(clauses) else "")


def _marker(table: ExportTable) -> str | None:
    if table.include_proposed:
        return "征求意见稿（含待确认分值，不作为正式结果）"
    if not table.final:
        return "征求意见稿（审核未完成）"
    return None


def _front(doc: DocxDocument, table: ExportTable, title: str, marker: str | None, addressee: str) -> None:
    if marker:
        p = para(doc, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
        run(p, "征求意见稿", HEADING, 16, bold=True, color=RED)
        if table.include_proposed:
            note = "本稿中标注“（待确认）”的分值为系统建议分，尚未经审核确认，不得作为最终结果引用。"
        else:
            note = f"本稿仅计入已确认的分值；尚有{table.open_proposals}条建议分待审核，名次可能变化。"
        q = para(doc, indent=False)
        run(q, note, BODY, 12, color=RED)
    p = para(doc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    run(p, "××〔20××〕××号", BODY, 16, highlight=True)
    rule(p)
    para(doc, indent=False)
    p = para(doc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.line_spacing = Pt(36)
    run(p, title, TITLE, 22, bold=True)
    para(doc, indent=False)
    para(doc, addressee, indent=False)


def _preamble(doc: DocxDocument, table: ExportTable) -> None:
    bases = []
    if any(r.kind == "clean_index" for r in table.inputs):
        bases.append("干净指数测评结果")
    if any(r.kind == "finding" for r in table.inputs):
        bases.append("日常检查发现的问题")
    extra = f"，结合{'和'.join(bases)}" if bases else ""
    para(doc, f"{competition_name(table.rubric_name)}开展以来，各参赛单位按照竞赛活动方案要求，扎实推进各项任务，"
               f"按期报送了竞赛进展情况和年度工作总结。竞赛组委会办公室依据《{table.rubric_name}》，"
               f"对各单位报送材料中的工作成效逐项核对原文出处{extra}，进行了综合评定。现将有关情况通报如下。")


def _ranking(doc: DocxDocument, table: ExportTable, notes: Footnotes) -> None:
    para(doc, "一、竞赛成绩", HEADING)
    para(doc, f"经综合评定，{len(table.units)}个参赛单位的竞赛成绩和名次如下。")
    cap = para(doc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    cap.paragraph_format.keep_with_next = True
    run(cap, "竞赛成绩排名表", HEADING, 14)
    notes.add(cap, "表中分值为各竞赛内容按评分标准加减、封顶后的得分。每一分的计分规则、审核人和原文出处（文件、页码），"
                   "见同时导出的Excel工作簿中各单位分表。")
    heads = ["名次", "单位", *(f"{name}\n{p:g}分" if p is not None else f"{name}\n扣分项"
                             for _, name, p in table.sections), "总分"]
    each = min(Mm(18), int((Mm(154) - Mm(10) - Mm(37) - Mm(17)) / max(len(table.sections), 1)))
    widths = [Mm(10), Mm(37)] + [each] * len(table.sections) + [Mm(17)]
    t = doc.add_table(rows=1, cols=len(heads))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    narrow_margins(t)
    for col, w in zip(t.columns, widths):
        col.width = w
    for c, head, w in zip(t.rows[0].cells, heads, widths):
        fill_cell(c, head, bold=True, width=w)
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeats on every page
    for k, u in enumerate(table.units):
        row = t.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        values = [(str(u.rank), False), (u.unit, False)]
        values += [(fmt(s.points), s.has_proposed) for s in u.sections]
        values.append((fmt(u.total), u.has_proposed))
        for c, (text, pending), w in zip(row.cells, values, widths):
            fill_cell(c, text, pending=pending, width=w)
            if k == len(table.units) - 1:
                c.paragraphs[0].paragraph_format.keep_with_next = False


def shown(quote: str) -> str:
    """A quote inside “…”: its own double quotes become single ones, as Chinese nests them."""
    return quote.replace("“", "‘").replace("”", "’")


def _cite(c: Cited | None, excerpt_text: str = "") -> str:
    """A footnote's text: document and page (or row), and the whole sentence when cut."""
    if c is None:
        return "无出处记录。"
    where = c.where()
    if c.kind == "claim" and c.quote.strip().rstrip("。；;，,") != excerpt_text:
        return f"{where}。原文：“{shown(c.quote.strip())}”"
    return f"{where}。"


def _mark(proposed: bool) -> str:
    return PENDING if proposed else ""


def _why(r: PointRow) -> str:
    """What a deduction is for, in a few words, for its footnote."""
    quote = re.sub(r"\s*[a-z_]+(?:\.[a-z_]+)*：", "：", r.source.quote) if r.source else r.detail
    if {"no_evidence", "not_done"} & set(r.codes):
        quote += "，未见完成证据" if "no_evidence" in r.codes else "，未完成"
    elif "late" in r.codes:
        quote += "，逾期完成"
    return quote


def _unit(doc: DocxDocument, table: ExportTable, u: UnitResult, i: int, notes: Footnotes) -> None:
    p = para(doc)
    run(p, f"（{NUMERALS[i] if i < len(NUMERALS) else i + 1}）{u.unit}", "楷体", bold=True)
    run(p, f"（第{u.rank}名，总分{fmt(u.total)}分{'，待确认' if u.has_proposed else ''}）。")
    rows = [r for r in u.rows if table.counted(r)]
    if not rows:
        base = "，总分为评分标准规定的基础分" if u.total else ""
        run(p, f"暂无经审核确认的计分事项{base}。")
        return
    names = {sid: name for sid, name, _ in table.sections}
    for r in (r for r in rows if r.source is not None and r.source.kind == "clean_index"):
        values = [x.row.index for x in table.inputs if x.kind == "clean_index" and x.row.unit == u.unit]
        avg = f"{len(values)}期平均{sum(values) / len(values):.2f}，" if values else ""
        run(p, f"干净指数{avg}{names.get(r.section, r.item_name)}得{fmt(r.points)}分{_mark(r.state == 'proposed')}")
        cited = [c for c in (r.source, *r.others) if c is not None]
        notes.add(p, "干净指数：" + "；".join(f"{c.where()}（{c.quote}）" for c in cited) + "。")
        run(p, "。")
    groups: dict[str, list[PointRow]] = {}
    for r in sorted((r for r in rows if r.points > 0 and r.source is not None and r.source.kind == "claim"),
                    key=lambda r: (-r.points, r.item)):
        groups.setdefault(r.source.quote if r.source else "", []).append(r)
    best = list(groups.values())[:3]
    if best:
        run(p, "主要成效：")
        for k, group in enumerate(best):
            cut = excerpt(group[0].source.quote if group[0].source else "")
            run(p, f"“{shown(cut)}”")
            notes.add(p, _cite(group[0].source, cut))
            pts = "、".join(f"{fmt(r.points)}分{_mark(r.state == 'proposed')}" for r in group)
            run(p, f"，{group[0].item_name}计{pts}{'；' if k < len(best) - 1 else '。'}")
    for r in (r for r in rows if r.source is not None and r.source.kind == "manual" and r.points > 0):
        run(p, f"经审核人认定，{r.item_name}加{fmt(r.points)}分{_mark(r.state == 'proposed')}")
        notes.add(p, f"{r.source.where()}：{r.source.quote}" if r.source else "无出处记录。")
        run(p, "。")
    minus = [r for r in rows if r.points < 0]
    if minus:
        total = -sum(r.points for r in minus)
        run(p, f"扣分事项{len(minus)}项，合计扣{fmt(total)}分{_mark(any(r.state == 'proposed' for r in minus))}")
        notes.add(p, "扣分依据：" + "；".join(
            f"{r.item_name}{fmt(r.points)}分{_mark(r.state == 'proposed')}，{_why(r)}（{r.source.where() if r.source else '无出处'}）"
            for r in minus) + "。")
        run(p, "。")


def _closing(doc: DocxDocument, issuer: str) -> None:
    para(doc, "三、通报表扬", HEADING)
    para(doc, "经竞赛组委会研究，决定对以下单位和个人予以通报表扬：")
    for k, what in enumerate(("先进单位", "先进个人", "优秀工作案例")):
        p = para(doc)
        run(p, f"（{NUMERALS[k]}）{what}：")
        run(p, "【名单待组委会研究确定】", highlight=True)
    para(doc, "四、工作要求", HEADING)
    para(doc, "希望受到表扬的单位和个人珍惜荣誉、再接再厉，继续发挥示范带动作用。各单位要对照评分标准查找差距、"
               "补齐短板，把竞赛中形成的好经验好做法转化为常态长效的管理机制，推动城市环境面貌持续改善。")
    para(doc)
    para(doc)
    for text in (issuer, "【××××年××月××日】"):
        p = para(doc, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(64)
        run(p, text, highlight=text.startswith("【"))


def write_docx(table: ExportTable, path: str | Path, title: str | None = None, issuer: str | None = None,
               addressee: str = "各参赛单位：") -> Path:
    """Write the 通报 draft; placeholders (文号, 名单, 落款, 日期) are highlighted in yellow."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = Document()
    setup(doc)
    marker = _marker(table)
    header_footer(doc, marker)
    notes = Footnotes(doc)
    _front(doc, table, title or f"关于{competition_name(table.rubric_name)}结果的通报", marker, addressee)
    _preamble(doc, table)
    _ranking(doc, table, notes)
    para(doc, "二、各单位主要成效", HEADING)
    for i, u in enumerate(table.units):
        _unit(doc, table, u, i, notes)
    _closing(doc, issuer or "【发文机关（盖章）】")
    notes.attach()
    doc.core_properties.title = title or competition_name(table.rubric_name)
    doc.save(str(path))
    return path


__all__ = ["Footnotes", "competition_name", "excerpt", "write_docx"]
