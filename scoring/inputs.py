"""The spreadsheets a draft needs besides the reports, read with pandas.

Columns (header row first; extra columns are ignored; Chinese headers in brackets work too):

- plan tasks (sheet `plan_tasks`): `unit`(单位), `item`(项目, a rubric item id),
  `task`(任务), `target`(目标, a number or empty), `measure`(计量单位, e.g. 座),
  `due`(完成时限: a date 2024-10-31 or a quarter 2024Q3).
- clean index (sheet `clean_index`): `unit`, `period`(期间, e.g. 2024-06), `index`(干净指数).
- inspection findings (sheet `findings`): `unit`, `item`, `date`(日期, may be empty),
  `description`(问题描述), `points`(扣分, may be empty: the rubric default applies).

Either one CSV/Excel file per input or one workbook with the three sheets. Row numbers
in errors are the ones a clerk sees in Excel: the header is row 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from reportscore.errors import InputError

from .rubric import Rubric
from .similar import month_end, parse_date, parse_quarter

if TYPE_CHECKING:
    import pandas as pd

_ALIASES = {
    "单位": "unit", "参赛单位": "unit", "项目": "item", "评分项": "item", "任务": "task",
    "目标": "target", "计量单位": "measure", "单位名称": "unit", "完成时限": "due", "时限": "due",
    "期间": "period", "时段": "period", "干净指数": "index", "指数": "index", "日期": "date",
    "问题描述": "description", "描述": "description", "扣分": "points", "分值": "points",
}


@dataclass(frozen=True, slots=True)
class PlanTask:
    """One annual plan task (年度计划任务) of a unit; `due` is the last day allowed."""

    id: str
    unit: str
    item: str
    task: str
    target: float | None
    measure: str
    due: date
    due_text: str
    source: str
    row: int


@dataclass(frozen=True, slots=True)
class CleanIndex:
    """The city's 干净指数 of a unit for one period."""

    id: str
    unit: str
    period: str
    index: float
    source: str
    row: int


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found by an inspection; `points` None means the rubric's default."""

    id: str
    unit: str
    item: str
    date: date | None
    description: str
    points: float | None
    source: str
    row: int


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything a draft uses besides the reports; empty tuples when not supplied."""

    plan_tasks: tuple[PlanTask, ...] = ()
    clean_index: tuple[CleanIndex, ...] = ()
    findings: tuple[Finding, ...] = ()

    def units(self) -> set[str]:
        return {r.unit for rows in (self.plan_tasks, self.clean_index, self.findings) for r in rows}

    def only(self, unit: str | None) -> "Inputs":
        """The rows of one unit: a unit's draft depends on nothing else, so a batch can be
        scored unit by unit without holding every unit's rows and claims at once."""
        return Inputs(tuple(r for r in self.plan_tasks if r.unit == unit),
                      tuple(r for r in self.clean_index if r.unit == unit),
                      tuple(r for r in self.findings if r.unit == unit))


class _Row:
    """One spreadsheet row with typed getters that raise InputError naming row and column."""

    def __init__(self, label: str, row: int, values: dict[str, str]) -> None:
        self.label, self.row, self.values = label, row, values

    def fail(self, column: str, message: str) -> InputError:
        return InputError(f"{self.label}, row {self.row}, column {column}: {message}")

    def text(self, column: str, required: bool = True) -> str:
        v = self.values.get(column, "").strip()
        if required and not v:
            raise self.fail(column, "empty cell")
        return v

    def number(self, column: str, required: bool = True) -> float | None:
        v = self.text(column, required)
        if not v:
            return None
        try:
            return float(v.replace(",", "").replace("，", ""))
        except ValueError:
            raise self.fail(column, f"{v!r} is not a number") from None


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):  # NaN
        return ""
    if isinstance(v, date):  # pandas' Timestamp is a datetime, hence a date
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _frame(path: Path, sheet: str) -> tuple[pd.DataFrame, str]:
    """Read a CSV (UTF-8, else GB18030 as saved by Chinese Excel) or an Excel sheet."""
    import pandas as pd  # here, not at import: the workers that map claims never need it

    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            with pd.ExcelFile(path) as book:  # opened once for its sheet names and the sheet
                name = sheet if sheet in book.sheet_names else book.sheet_names[0]
                df = pd.read_excel(book, sheet_name=name, dtype=object, header=0, keep_default_na=False)
            return df, f"{path} [sheet {name}]"
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False, encoding="utf-8-sig")
        except UnicodeDecodeError:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False, encoding="gb18030")
        return df, str(path)
    except FileNotFoundError:
        raise InputError(f"{path}, row 0, column (file): file not found") from None
    except (OSError, ValueError, pd.errors.ParserError) as e:
        raise InputError(f"{path}, row 0, column (file): cannot read it ({e})") from e


T = TypeVar("T")


def _rows(path: Path, sheet: str, columns: tuple[str, ...], make: Callable[[_Row], T]) -> tuple[T, ...]:
    df, label = _frame(path, sheet)
    header = [_ALIASES.get(str(c).strip(), str(c).strip().lower()) for c in df.columns]
    for col in columns:
        if col not in header:
            raise InputError(f"{label}, row 1, column {col}: missing column (have: {', '.join(header)})")
    out = []
    for n, values in enumerate(df.itertuples(index=False, name=None)):
        cells = {h: _cell(v) for h, v in zip(header, values)}
        if not any(c.strip() for c in cells.values()):
            continue  # a blank line between blocks of rows
        out.append(make(_Row(label, n + 2, cells)))
    return tuple(out)


def _due(row: _Row) -> tuple[date, str]:
    raw = row.text("due")
    if d := parse_date(raw):
        return d, raw
    if q := parse_quarter(raw):
        return month_end(q[0], q[1] * 3), raw
    raise row.fail("due", f"{raw!r} is neither a date (2024-10-31) nor a quarter (2024Q3)")


def _check_item(row: _Row, rubric: Rubric | None) -> str:
    item = row.text("item")
    if rubric is not None and item not in rubric.items and rubric.section(item) is None:
        raise row.fail("item", f"unknown rubric item {item!r} (rubric {rubric.id})")
    return item


def read_plan_tasks(path: str | Path, rubric: Rubric | None = None) -> tuple[PlanTask, ...]:
    """Columns unit, item, task, target, measure, due."""
    path = Path(path)

    def make(r: _Row) -> PlanTask:
        due, due_text = _due(r)
        return PlanTask(
            f"task:{path.name}:{r.row}", r.text("unit"), _check_item(r, rubric), r.text("task"),
            r.number("target", required=False), r.text("measure", required=False), due, due_text,
            path.name, r.row,
        )

    return _rows(path, "plan_tasks", ("unit", "item", "task", "target", "measure", "due"), make)


def read_clean_index(path: str | Path) -> tuple[CleanIndex, ...]:
    """Columns unit, period, index."""
    path = Path(path)

    def make(r: _Row) -> CleanIndex:
        value = r.number("index")
        assert value is not None
        if value < 0:
            raise r.fail("index", f"{value:g} is negative")
        return CleanIndex(f"index:{path.name}:{r.row}", r.text("unit"), r.text("period"), value, path.name, r.row)

    return _rows(path, "clean_index", ("unit", "period", "index"), make)


def read_findings(path: str | Path, rubric: Rubric | None = None) -> tuple[Finding, ...]:
    """Columns unit, item, date, description, points."""
    path = Path(path)

    def make(r: _Row) -> Finding:
        raw_date = r.text("date", required=False)
        when = parse_date(raw_date) if raw_date else None
        if raw_date and when is None:
            raise r.fail("date", f"{raw_date!r} is not a date (2024-10-31)")
        return Finding(
            f"finding:{path.name}:{r.row}", r.text("unit"), _check_item(r, rubric), when,
            r.text("description"), r.number("points", required=False), path.name, r.row,
        )

    return _rows(path, "findings", ("unit", "item", "date", "description", "points"), make)


def load_inputs(
    plan_tasks: str | Path | None = None,
    clean_index: str | Path | None = None,
    findings: str | Path | None = None,
    workbook: str | Path | None = None,
    rubric: Rubric | None = None,
) -> Inputs:
    """Read the inputs given; a workbook supplies whichever of the three sheets it has.

    A separate file wins over the workbook's sheet of the same kind. With `rubric`, item
    ids are checked against it, so a typo is an error at row and column, not a silent 0.
    """
    sheets: set[str] = set()
    if workbook is not None:
        import pandas as pd

        try:
            with pd.ExcelFile(workbook) as book:
                sheets = set(book.sheet_names)
        except (OSError, ValueError) as e:
            raise InputError(f"{workbook}, row 0, column (file): cannot read the workbook ({e})") from e

    def pick(given: str | Path | None, sheet: str) -> str | Path | None:
        if given is not None:
            return given
        return workbook if workbook is not None and sheet in sheets else None

    p, c, f = pick(plan_tasks, "plan_tasks"), pick(clean_index, "clean_index"), pick(findings, "findings")
    return Inputs(
        read_plan_tasks(p, rubric) if p is not None else (),
        read_clean_index(c) if c is not None else (),
        read_findings(f, rubric) if f is not None else (),
    )
