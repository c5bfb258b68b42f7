"""The Excel workbook of an export: ranking, one sheet per unit, the inputs, the flags.

Why it looks the way it does: the competition office works in Excel and prints from
it, so every sheet has a title row, a frozen and filterable header row, widths that fit
Chinese text (a CJK character is two columns wide), number formats instead of long
floats, and a CJK font named in the font spec (等线, Excel's default Chinese font).
Still-proposed points are never mixed silently with confirmed ones: their rows are
filled yellow and say 待确认 in the state column.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import pandas as pd
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .export_data import competition_name

if TYPE_CHECKING:
    from .export_data import ExportTable, UnitResult

FONT = "等线"
PROPOSED_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: still proposed
REREVIEW_FILL = PatternFill("solid", fgColor="F8CBAD")  # light orange: confirmed, evidence changed
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
POINTS = "0.00"
INPUT_STATES = {"confirmed": "已确认", "proposed": "待确认", "rejected": "已驳回（不计分）", "unused": "未计分"}
SUMMARY = "汇总"


def text_width(value: object) -> int:
    """Display width in Excel columns: wide (CJK) characters count two."""
    s = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _shown(value: object, number_format: str | None) -> str:
    """Roughly what a cell displays, for its width: 20 as 20.00 under the points format."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and number_format:
        if number_format == POINTS:
            return f"{value:.2f}"
        if number_format.endswith("%"):
            return f"{value * 100:.1f}%"
    return "" if value is None or value != value else str(value)


def _sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "单位"
    out, n = base, 2
    while out in taken:
        suffix = f"({n})"
        out, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(out)
    return out


def _format(ws: Worksheet, df: pd.DataFrame, title: str, formats: dict[str, str], max_width: int = 48,
            marks: Sequence[PatternFill | None] = (), widths: dict[str, int] | None = None) -> None:
    """Title in row 1, header in row 2 (frozen, filterable), data from row 3.

    Wrapped rows get an explicit height (lines × 15 pt): neither openpyxl nor every
    spreadsheet program sizes them, and a clipped quote is worse than a tall row."""
    ncol = max(len(df.columns), 1)
    ws.cell(row=1, column=1, value=title).font = Font(name=FONT, size=14, bold=True)
    ws.row_dimensions[1].height = 24
    ws.freeze_panes = "A3"
    last = len(df) + 2
    if len(df.columns):
        ws.auto_filter.ref = f"A2:{get_column_letter(ncol)}{max(last, 2)}"
    lines = [1] * len(df)
    for c, name in enumerate(df.columns, start=1):
        h = ws.cell(row=2, column=c)
        h.font, h.fill, h.border = Font(name=FONT, bold=True), HEADER_FILL, BORDER
        h.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        shown = [_shown(v, formats.get(name)) for v in df[name].tolist()]
        data = max((text_width(v) for v in shown), default=0)
        head = max(text_width(line) for line in str(name).split("\n"))
        limit = (widths or {}).get(name, max_width)
        width = min(max(data + 2, (head + 1) // 2 + 2 if "\n" not in str(name) else head + 2, 6), limit)
        ws.column_dimensions[get_column_letter(c)].width = width
        if "\n" in str(name) or head + 2 > width:  # the header takes two lines
            ws.row_dimensions[2].height = 30
        wrap = data + 2 > width
        for i, r in enumerate(range(3, last + 1)):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.border = Font(name=FONT), BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=wrap)
            if name in formats:
                cell.number_format = formats[name]
            if wrap:
                lines[i] = max(lines[i], -(-text_width(shown[i]) // max(width - 2, 1)))
    for i, n in enumerate(lines):
        if n > 1:
            ws.row_dimensions[3 + i].height = 15 * min(n, 12)
    for i, fill in enumerate(marks):
        if fill is not None:
            for c in range(1, ncol + 1):
                ws.cell(row=3 + i, column=c).fill = fill
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"


def _write(writer: pd.ExcelWriter, name: str, df: pd.DataFrame, title: str, formats: dict[str, str] | None = None,
           marks: Sequence[PatternFill | None] = (), max_width: int = 48, widths: dict[str, int] | None = None
           ) -> Worksheet:
    df.to_excel(writer, sheet_name=name, index=False, startrow=1)
    ws = writer.sheets[name]
    _format(ws, df, title, formats or {}, max_width, marks, widths)
    return ws


def _mode(table: ExportTable) -> str:
    if table.include_proposed:
        return "征求意见稿：含待确认分（黄色行）"
    if not table.final:
        return f"审核未完成：仅含已确认分，另有{table.open_proposals}条建议待审"
    return "已确认分"


def summary_frame(table: ExportTable) -> pd.DataFrame:
    rows = []
    for u in table.units:
        row: dict[str, object] = {"名次": u.rank, "单位": u.unit}
        for s in u.sections:
            row[_section_header(s.name, s.max_points)] = s.points
        row.update({"总分": u.total, "已确认总分": u.confirmed_total, "已确认占比": u.share_confirmed,
                    "待审条数": u.open_proposals, "状态": _unit_state(u)})
        rows.append(row)
    cols = ["名次", "单位", *(_section_header(n, p) for _, n, p in table.sections),
            "总分", "已确认总分", "已确认占比", "待审条数", "状态"]
    return pd.DataFrame(rows, columns=cols)


def _section_header(name: str, max_points: float | None) -> str:
    return f"{name}\n（{max_points:g}分）" if max_points is not None else f"{name}\n（扣分项）"


def _unit_state(u: UnitResult) -> str:
    if u.has_proposed:
        return "含待确认分"
    return f"另有{u.open_proposals}条待审，未计入" if u.open_proposals else "已确认"


def _summary(writer: pd.ExcelWriter, table: ExportTable) -> None:
    df = summary_frame(table)
    formats = {c: POINTS for c in df.columns if c not in ("名次", "单位", "已确认占比", "待审条数", "状态")}
    formats.update({"名次": "0", "已确认占比": "0.0%", "待审条数": "0"})
    marks = [PROPOSED_FILL if u.has_proposed else None for u in table.units]
    ws = _write(writer, SUMMARY, df, f"{competition_name(table.rubric_name)}成绩汇总（{_mode(table)}）", formats, marks)
    n = len(df)
    for r in range(3, n + 3):
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center", vertical="top")
    if not n:
        return
    chart = BarChart()
    chart.type, chart.style = "col", 10
    chart.title = "各单位总分" + ("（含待确认分）" if table.include_proposed else "")
    chart.y_axis.title, chart.x_axis.title = "分", None
    chart.y_axis.number_format = "0"
    total_col = list(df.columns).index("总分") + 1
    chart.add_data(Reference(ws, min_col=total_col, min_row=2, max_row=n + 2), titles_from_data=True)
    if table.include_proposed:
        chart.add_data(Reference(ws, min_col=total_col + 1, min_row=2, max_row=n + 2), titles_from_data=True)
    else:
        chart.legend = None
    chart.set_categories(Reference(ws, min_col=2, min_row=3, max_row=n + 2))
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    table_cm = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(1, len(df.columns) + 1)) * 0.2
    chart.width, chart.height = max(16.0, table_cm), 9
    ws.add_chart(chart, f"A{n + 5}")


def unit_frame(u: UnitResult) -> pd.DataFrame:
    rows = [{
        "竞赛内容": r.section, "评分项": r.item_name, "分值": r.points,
        "范围": f"{r.range[0]:g} ~ {r.range[1]:g}", "评分规则": r.rule, "计分说明": r.detail, "状态": r.state_label,
        "审核人": r.reviewer, "审核时间": r.decided_at, "证据原文": r.source.quote if r.source else "",
        "文件": r.source.document if r.source else "",
        "页码": (r.source.page or (f"第{r.source.row}行" if r.source.row else "")) if r.source else "",
        "其他出处": "；".join(c.where() for c in r.others), "提示": "；".join(r.flags), "建议编号": r.key,
    } for r in u.rows]
    cols = ["竞赛内容", "评分项", "分值", "范围", "评分规则", "计分说明", "状态", "审核人", "审核时间",
            "证据原文", "文件", "页码", "其他出处", "提示", "建议编号"]
    return pd.DataFrame(rows, columns=cols)


def _unit_sheet(writer: pd.ExcelWriter, name: str, u: UnitResult, table: ExportTable) -> None:
    df = unit_frame(u)
    names = {s: n for s, n, _ in table.sections}
    df["竞赛内容"] = [names.get(s, s) for s in df["竞赛内容"]]
    marks = [REREVIEW_FILL if r.rereview else (PROPOSED_FILL if r.state == "proposed" else None) for r in u.rows]
    title = f"{u.unit}：第{u.rank}名，总分{u.total:g}（{_unit_state(u)}）"
    ws = _write(writer, name, df, title, {"分值": POINTS}, marks, max_width=20,
                widths={"证据原文": 40, "文件": 28, "审核时间": 18})  # the quote is what people read
    row, points_col = len(df) + 4, list(df.columns).index("分值") + 1
    ws.cell(row=row, column=1, value="竞赛内容小计（封顶后）").font = Font(name=FONT, bold=True)
    for s in u.sections:
        row += 1
        ws.cell(row=row, column=1, value=s.name).font = Font(name=FONT)
        cell = ws.cell(row=row, column=points_col, value=s.points)
        cell.number_format, cell.font = POINTS, Font(name=FONT, bold=True)
        note = "；".join(s.reasons) + ("（含待确认分）" if s.has_proposed else "")
        ws.cell(row=row, column=points_col + 1, value=note).font = Font(name=FONT)
        if s.has_proposed:
            cell.fill = PROPOSED_FILL
    if u.open_proposals and not table.include_proposed:
        ws.cell(row=row + 2, column=1, value=f"另有{u.open_proposals}条建议尚待审核，未列入本表。").font = Font(
            name=FONT, italic=True, color="C00000")


def _inputs(writer: pd.ExcelWriter, table: ExportTable) -> None:
    def mark(rows: Iterable) -> list[PatternFill | None]:
        return [PROPOSED_FILL if r.state == "proposed" else None for r in rows]

    tasks = [r for r in table.inputs if r.kind == "plan_task"]
    df = pd.DataFrame([{
        "单位": r.row.unit, "评分项": r.row.item, "任务": r.row.task, "目标": r.row.target, "计量单位": r.row.measure,
        "完成时限": r.row.due_text, "完成情况": r.detail, "计分": r.points, "状态": INPUT_STATES[r.state],
        "提示": "；".join(r.flags), "来源": f"{r.row.source} 第{r.row.row}行",
    } for r in tasks], columns=["单位", "评分项", "任务", "目标", "计量单位", "完成时限", "完成情况", "计分", "状态", "提示", "来源"])
    _write(writer, "计划任务", df, "年度计划任务及完成情况", {"计分": POINTS, "目标": "0.##"}, mark(tasks))
    index = [r for r in table.inputs if r.kind == "clean_index"]
    df = pd.DataFrame([{
        "单位": r.row.unit, "期间": r.row.period, "干净指数": r.row.index, "服务质效得分": r.points,
        "状态": INPUT_STATES[r.state], "来源": f"{r.row.source} 第{r.row.row}行",
    } for r in index], columns=["单位", "期间", "干净指数", "服务质效得分", "状态", "来源"])
    _write(writer, "干净指数", df, "干净指数", {"干净指数": "0.0", "服务质效得分": POINTS}, mark(index))
    found = [r for r in table.inputs if r.kind == "finding"]
    df = pd.DataFrame([{
        "单位": r.row.unit, "评分项": r.row.item, "日期": r.row.date.isoformat() if r.row.date else "",
        "问题描述": r.row.description, "表中扣分": r.row.points, "计分": r.points, "状态": INPUT_STATES[r.state],
        "提示": "；".join(r.flags), "来源": f"{r.row.source} 第{r.row.row}行",
    } for r in found], columns=["单位", "评分项", "日期", "问题描述", "表中扣分", "计分", "状态", "提示", "来源"])
    _write(writer, "检查问题", df, "检查发现问题", {"表中扣分": POINTS, "计分": POINTS}, mark(found))


def _notes(writer: pd.ExcelWriter, table: ExportTable) -> None:
    flags = pd.DataFrame([{"单位": f["unit"], "评分项": f["item"], "类型": f["code"], "说明": f["message"]}
                          for f in table.flags], columns=["单位", "评分项", "类型", "说明"])
    _write(writer, "提示", flags, "需要核对的事项", max_width=90)
    lines = [
        ("评分标准", f"{table.rubric_name}（{table.rubric_id}，版本{table.rubric_version}）"),
        ("导出时间", table.generated.strftime("%Y-%m-%d %H:%M")),
        ("口径", _mode(table)),
        ("待审建议", f"{table.open_proposals}条"),
        ("黄色行", "待确认：审核人尚未确认的建议分" + ("，已计入总分" if table.include_proposed else "")),
        ("橙色行", "已确认，但之后重新计算时证据或建议分有变化，需复核"),
        ("总分", "各竞赛内容按评分标准的基础分加减、封顶后之和"),
        ("已确认占比", "已确认分值（绝对值）占全部未驳回分值（绝对值）的比例"),
        *(("警告", w) for w in table.warnings),
    ]
    _write(writer, "说明", pd.DataFrame(lines, columns=["项目", "内容"]), "导出说明", max_width=90)


def write_xlsx(table: ExportTable, path: str | Path) -> Path:
    """Write the workbook; the summary sheet comes first (it is what prints on page 1)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        _summary(writer, table)
        taken = {SUMMARY, "计划任务", "干净指数", "检查问题", "提示", "说明"}
        for u in table.units:
            _unit_sheet(writer, _sheet_name(u.unit, taken), u, table)
        _inputs(writer, table)
        _notes(writer, table)
        writer.book.properties.title = f"{table.rubric_name} 竞赛成绩"
    return path


__all__ = ["summary_frame", "text_width", "unit_frame", "write_xlsx"]
