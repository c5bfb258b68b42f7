"""`reportscore export` read back: every number in the workbook, the Word 通报, the CSV
and the JSON is checked against the database after reviewers decided through the API.

The expectations come from the database itself (proposals, decisions, the score sheet
of review.web_sheet), never from the export code, so a number the export invents or
drops shows up as a difference.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from review.db import ClaimRow, DecisionRow, DocumentRow, ProposalRow
from review.export_commands import export
from review.export_data import CSV_COLUMNS
from review.store import engine_for
from tests.test_export_support import decided  # noqa: F401  (a fixture)

YELLOW = "00FFF2CC"


def score_sheet(url: str) -> dict:
    from review.web_sheet import sheet

    with Session(engine_for(url)) as s:
        rows, _ = sheet(s)
    return {r.unit: r for r in rows}


def proposal_info(url: str) -> dict[str, ProposalRow]:
    with Session(engine_for(url), expire_on_commit=False) as s:
        rows = {p.key: p for p in s.scalars(select(ProposalRow))}
        s.expunge_all()
    return rows


def summary(path: Path) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[str], dict[str, dict]]:
    wb = openpyxl.load_workbook(path)
    ws = wb[wb.sheetnames[0]]
    header = [c.value for c in ws[2]]
    rows = {r[1]: dict(zip(header, r)) for r in ws.iter_rows(min_row=3, values_only=True) if r[1]}
    return ws, header, rows


def column(header: list[str], section_name: str) -> str:
    return next(h for h in header if h.startswith(section_name))


def sheet_rows(path: Path, unit: str) -> list[tuple[dict, str]]:
    """The occurrence rows of a unit's sheet with each row's fill colour."""
    ws = openpyxl.load_workbook(path)[unit]
    header = [c.value for c in ws[2]]
    out = []
    for row in ws.iter_rows(min_row=3):
        values = dict(zip(header, (c.value for c in row)))
        if not values.get("建议编号"):
            break
        out.append((values, row[0].fill.fgColor.rgb if row[0].fill and row[0].fill.fill_type else ""))
    return out


def footnotes(document) -> dict[int, str]:
    part = next(p for p in document.part.package.parts if p.partname == "/word/footnotes.xml")
    root = etree.fromstring(part.blob)
    notes = {}
    for fn in root.findall(qn("w:footnote")):
        fid = int(fn.get(qn("w:id")))
        if fid > 0:
            notes[fid] = "".join(t.text or "" for t in fn.iter(qn("w:t"))).strip()
    return notes


def table_totals(document) -> dict[str, str]:
    t = document.tables[0]
    return {row.cells[1].text: row.cells[-1].text for row in t.rows[1:]}


def body_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells)


def test_final_export_matches_the_database(decided, tmp_path):  # noqa: F811
    out = {k: tmp_path / f"final.{k}" for k in ("xlsx", "docx", "csv", "json")}
    export(decided.url, False, **out)
    expected = score_sheet(decided.url)
    props = proposal_info(decided.url)

    ws, header, rows = summary(out["xlsx"])
    assert set(rows) == set(expected)
    for unit, sr in expected.items():
        assert rows[unit]["总分"] == pytest.approx(sr.confirmed)
        assert rows[unit]["名次"] == sr.confirmed_rank
        assert rows[unit]["待审条数"] == sr.left
        for name, _, confirmed in sr.sections:
            assert rows[unit][column(header, name)] == pytest.approx(confirmed)
    assert rows[decided.full_unit]["已确认占比"] == pytest.approx(1.0) and rows[decided.full_unit]["状态"] == "已确认"
    assert "审核未完成" in ws["A1"].value
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:{ws.cell(2, len(header)).column_letter}{len(rows) + 2}"
    assert ws["C3"].font.name == "等线" and ws["C3"].number_format == "0.00"
    assert len(ws._charts) == 1
    assert all(ws.cell(r, 1).fill.fgColor.rgb != YELLOW for r in range(3, len(rows) + 3))

    with Session(engine_for(decided.url)) as s:
        reviewers = {d.key: d.decided_by for d in s.scalars(select(DecisionRow))}
    for unit in ("海安市", "崇川区", "通州区"):
        got = {v["建议编号"]: (v["分值"], v["审核人"], v["状态"]) for v, _ in sheet_rows(out["xlsx"], unit)}
        want = {k: (pytest.approx(p), reviewers[k], "已确认") for k, p in decided.confirmed.items()
                if props[k].unit == unit}
        assert got == want
    wb = openpyxl.load_workbook(out["xlsx"])
    findings = {r[3]: r[6] for r in wb["检查问题"].iter_rows(min_row=3, values_only=True)}
    rejected = props[next(iter(decided.rejected))]
    assert findings[rejected.evidence[0]["quote"].split("：", 1)[1]] == "已驳回（不计分）"
    assert wb["计划任务"].max_row - 2 == sum(1 for _ in open(Path(__file__).parent.parent / "samples/inputs/plan_tasks.csv",
                                                               encoding="utf-8")) - 1
    assert wb["干净指数"].max_row - 2 == 30

    d = docx.Document(str(out["docx"]))
    totals = table_totals(d)
    assert {u: float(t) for u, t in totals.items()} == {u: pytest.approx(sr.confirmed) for u, sr in expected.items()}
    text = body_text(d)
    assert "（待确认）" not in text and "征求意见稿" in text
    assert "审核未完成" in d.sections[0].header.paragraphs[0].text
    notes = footnotes(d)
    refs = [int(r.get(qn("w:id"))) for r in d.element.body.iter(qn("w:footnoteReference"))]
    assert refs == sorted(notes) and len(refs) >= 4
    with Session(engine_for(decided.url)) as s:
        case = next(k for k in decided.confirmed if props[k].item == "innovation.case_adopted" and props[k].unit == "海安市")
        claim = s.get(ClaimRow, case)
        source = s.get(DocumentRow, claim.document_sha256).source
    where = f"{source}，第{claim.page}页" if claim.page else f"{source}（无页码）"
    assert any(where in n for n in notes.values()), (where, notes)
    assert any("clean_index.csv，第" in n for n in notes.values())
    haian = next(p.text for p in d.paragraphs if p.text.startswith("（") and "海安市" in p.text[:8])
    assert f"总分{expected['海安市'].confirmed:g}分" in haian

    with open(out["csv"], encoding="utf-8-sig", newline="") as f:
        flat = list(csv.DictReader(f))
    assert list(flat[0]) == list(CSV_COLUMNS)
    n_items = len({r["item"] for r in flat})
    assert len(flat) == len(expected) * n_items
    for r in flat:
        assert float(r["total"]) == pytest.approx(expected[r["unit"]].confirmed)
        want = sum(p for k, p in decided.confirmed.items() if props[k].unit == r["unit"] and props[k].item == r["item"])
        assert float(r["points"]) == pytest.approx(want) and r["proposed_points"] == ""
    doc = json.loads(out["json"].read_text(encoding="utf-8"))
    assert doc["include_proposed"] is False and doc["final"] is False
    haian_json = next(u for u in doc["units"] if u["unit"] == "海安市")
    manual = [o for i in haian_json["items"] for o in i["occurrences"] if o["key"] == decided.manual_key]
    assert manual and manual[0]["reviewer"] == "bob" and manual[0]["source"]["kind"] == "manual"


def test_proposed_points_are_marked_everywhere(decided, tmp_path):  # noqa: F811
    out = {k: tmp_path / f"draft.{k}" for k in ("xlsx", "docx", "json")}
    export(decided.url, True, **out)
    expected = score_sheet(decided.url)
    props = proposal_info(decided.url)

    ws, header, rows = summary(out["xlsx"])
    for r, (unit, values) in enumerate(rows.items(), start=3):
        assert values["总分"] == pytest.approx(expected[unit].proposed)
        assert values["名次"] == expected[unit].rank
        assert values["已确认总分"] == pytest.approx(expected[unit].confirmed)
        marked = ws.cell(r, 1).fill.fgColor.rgb == YELLOW
        assert marked == (values["状态"] == "含待确认分") == (unit != decided.full_unit)
    assert "征求意见稿" in ws["A1"].value

    got = sheet_rows(out["xlsx"], "海安市")
    want = {k for k, p in props.items() if p.unit == "海安市" and p.active and p.kind in ("occurrence", "manual")
            and k not in decided.rejected}
    assert {v["建议编号"] for v, _ in got} == want
    for values, fill in got:
        assert (values["状态"] == "待确认") == (values["建议编号"] not in decided.confirmed) == (fill == YELLOW)

    d = docx.Document(str(out["docx"]))
    assert "含待确认分值" in d.sections[0].header.paragraphs[0].text
    totals = table_totals(d)
    assert "待确认" not in totals[decided.full_unit] and "（待确认）" in totals["崇川区"]
    assert float(totals["崇川区"].split("（")[0]) == pytest.approx(expected["崇川区"].proposed)
    assert "（待确认）" in "\n".join(p.text for p in d.paragraphs)
    doc = json.loads(out["json"].read_text(encoding="utf-8"))
    assert doc["include_proposed"] is True and doc["final"] is False
    states = {o["state"] for u in doc["units"] for i in u["items"] for o in i["occurrences"]}
    assert states == {"confirmed", "proposed"}


def test_everything_decided_is_final_and_unmarked(decided, tmp_path):  # noqa: F811
    from review import decisions as D

    path = tmp_path / "all.db"
    shutil.copy(decided.url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    with Session(engine_for(url)) as s, s.begin():
        for p in list(s.scalars(select(ProposalRow).where(ProposalRow.active, ProposalRow.kind == "occurrence",
                                                          ProposalRow.state.in_(("open", "rereview"))))):
            version = (s.get(DecisionRow, p.key).version if s.get(DecisionRow, p.key) else 0)
            D.decide(s, p.key, "confirm", "carol", version)
    table = export(url, False, docx=tmp_path / "final.docx", json=tmp_path / "final.json")
    assert table.final and table.open_proposals == 0
    d = docx.Document(str(tmp_path / "final.docx"))
    assert not d.sections[0].header.paragraphs[0].text
    assert "征求意见稿" not in body_text(d) and "待确认" not in body_text(d)
    assert json.loads((tmp_path / "final.json").read_text(encoding="utf-8"))["final"] is True
    expected = score_sheet(url)
    assert {u: float(t) for u, t in table_totals(d).items()} == {u: pytest.approx(r.confirmed) for u, r in expected.items()}


def test_cli(decided, tmp_path, capsys):  # noqa: F811
    from reportscore.cli import build_parser, main

    assert "export" in build_parser().format_help()
    assert main(["export", "--db", decided.url, "--csv", str(tmp_path / "t.csv"), "--json", str(tmp_path / "t.json")]) == 0
    assert (tmp_path / "t.csv").stat().st_size > 0 and (tmp_path / "t.json").stat().st_size > 0
    assert main(["export", "--db", decided.url]) == 2
    missing = tmp_path / "nowhere" / "x.db"
    assert main(["export", "--db", f"sqlite:///{missing}", "--csv", str(tmp_path / "u.csv")]) == 2
    assert not missing.exists() and not (tmp_path / "u.csv").exists()
    assert "no database" in capsys.readouterr().err
