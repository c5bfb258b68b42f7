"""Spreadsheet inputs: documented columns, CSV or Excel, errors that name row and column."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from reportscore.errors import InputError
from scoring import load_inputs, load_rubric, read_clean_index, read_findings, read_plan_tasks

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "inputs"

PLAN = """\
unit,item,task,target,measure,due
崇川区,construction.toilet,新建及改造公厕,20,座,2024Q3
崇川区,construction.transfer_station,改造提升垃圾中转站,6,座,2024-10-31

海安市,construction.sorting,建设分类厢房,,座,2024年第四季度
"""


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding=encoding)
    return p


def test_plan_tasks_csv_dates_quarters_and_empty_target(tmp_path: Path) -> None:
    tasks = read_plan_tasks(_write(tmp_path, "plan_tasks.csv", PLAN))
    assert [t.unit for t in tasks] == ["崇川区", "崇川区", "海安市"]
    assert tasks[0].due == date(2024, 9, 30) and tasks[0].due_text == "2024Q3"  # a quarter ends on its last day
    assert tasks[1].due == date(2024, 10, 31) and tasks[1].target == 6
    assert tasks[2].target is None and tasks[2].due == date(2024, 12, 31)
    # the blank line is skipped, but row numbers stay the ones Excel shows (header = row 1)
    assert [t.row for t in tasks] == [2, 3, 5]
    assert tasks[2].id == "task:plan_tasks.csv:5"


def test_gb18030_csv_from_chinese_excel(tmp_path: Path) -> None:
    p = _write(tmp_path, "clean_index.csv", "unit,period,index\n崇川区,2024-05/06,92.4\n", encoding="gb18030")
    (row,) = read_clean_index(p)
    assert (row.unit, row.period, row.index) == ("崇川区", "2024-05/06", 92.4)


def test_chinese_headers_are_accepted(tmp_path: Path) -> None:
    p = _write(tmp_path, "findings.csv", "单位,项目,日期,问题描述,扣分\n通州区,team,2024-10-28,错峰作业未落实,-2\n")
    (f,) = read_findings(p)
    assert (f.unit, f.item, f.date, f.points) == ("通州区", "team", date(2024, 10, 28), -2)


@pytest.mark.parametrize(
    ("name", "text", "reader", "row", "column", "words"),
    [
        ("plan_tasks.csv", PLAN.replace("2024-10-31", "十月底"), read_plan_tasks, 3, "due", "neither a date"),
        ("plan_tasks.csv", PLAN.replace(",20,", ",二十,"), read_plan_tasks, 2, "target", "not a number"),
        ("plan_tasks.csv", PLAN.replace("海安市,", ",", 1), read_plan_tasks, 5, "unit", "empty cell"),
        ("clean_index.csv", "unit,period,index\n崇川区,2024-06,92\n通州区,2024-06,九十\n", read_clean_index, 3, "index", "not a number"),
        ("clean_index.csv", "unit,period\n崇川区,2024-06\n", read_clean_index, 1, "index", "missing column"),
        ("findings.csv", "unit,item,date,description,points\n通州区,team,2024-13-01,x,-2\n", read_findings, 2, "date", "not a date"),
    ],
)
def test_input_errors_name_file_row_and_column(
    tmp_path: Path, name: str, text: str, reader, row: int, column: str, words: str  # type: ignore[no-untyped-def]
) -> None:
    p = _write(tmp_path, name, text)
    with pytest.raises(InputError) as err:
        reader(p)
    msg = str(err.value)
    assert msg.startswith(f"{p}, row {row}, column {column}:"), msg
    assert words in msg


def test_unknown_item_is_an_error_when_the_rubric_is_given(tmp_path: Path) -> None:
    p = _write(tmp_path, "plan_tasks.csv", PLAN.replace("construction.transfer_station", "construction.station"))
    assert len(read_plan_tasks(p)) == 3  # without a rubric nothing can be checked
    with pytest.raises(InputError, match=r"row 3, column item: unknown rubric item 'construction.station'"):
        read_plan_tasks(p, load_rubric("nantong_2024"))


def test_workbook_with_three_sheets_and_excel_dates(tmp_path: Path) -> None:
    book = tmp_path / "inputs.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as xw:
        pd.DataFrame(
            [["崇川区", "construction.toilet", "新建及改造公厕", 20, "座", pd.Timestamp("2024-09-30")]],
            columns=["unit", "item", "task", "target", "measure", "due"],
        ).to_excel(xw, sheet_name="plan_tasks", index=False)
        pd.DataFrame([["崇川区", "2024-05/06", 92.4], ["崇川区", "2024-07/08", 93.1]],
                     columns=["unit", "period", "index"]).to_excel(xw, sheet_name="clean_index", index=False)
        pd.DataFrame([["通州区", "team", "2024-10-28", "错峰作业未落实", None]],
                     columns=["unit", "item", "date", "description", "points"]).to_excel(xw, sheet_name="findings", index=False)
    inputs = load_inputs(workbook=book, rubric=load_rubric("nantong_2024"))
    (t,) = inputs.plan_tasks
    assert t.due == date(2024, 9, 30) and t.target == 20 and t.id == "task:inputs.xlsx:2"
    assert [r.index for r in inputs.clean_index] == [92.4, 93.1]
    assert inputs.findings[0].points is None  # empty: the rubric default applies
    assert inputs.units() == {"崇川区", "通州区"}


def test_workbook_error_names_the_sheet_row_and_column(tmp_path: Path) -> None:
    book = tmp_path / "inputs.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as xw:
        pd.DataFrame([["崇川区", "2024-05/06", 92.4], ["通州区", "2024-05/06", "n/a"]],
                     columns=["unit", "period", "index"]).to_excel(xw, sheet_name="clean_index", index=False)
    with pytest.raises(InputError, match=r"\[sheet clean_index\], row 3, column index: 'n/a' is not a number"):
        load_inputs(workbook=book)
    assert load_inputs().plan_tasks == ()  # nothing given: empty inputs


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_plan_tasks(tmp_path / "nope.csv")


@pytest.mark.skipif(not (SAMPLES / "inputs.xlsx").exists(), reason="sample inputs not written yet")
def test_sample_inputs_read_the_same_from_csv_and_excel() -> None:
    rubric = load_rubric("nantong_2024")
    csv = load_inputs(SAMPLES / "plan_tasks.csv", SAMPLES / "clean_index.csv", SAMPLES / "findings.csv", rubric=rubric)
    xlsx = load_inputs(workbook=SAMPLES / "inputs.xlsx", rubric=rubric)

    def strip(rows: tuple) -> list[tuple]:  # type: ignore[type-arg]
        """Everything but the file name, which differs by design."""
        return [tuple(v for k, v in asdict(r).items() if k not in ("id", "source")) for r in rows]

    for kind in ("plan_tasks", "clean_index", "findings"):
        assert strip(getattr(csv, kind)) == strip(getattr(xlsx, kind)), kind
        assert getattr(csv, kind), kind
