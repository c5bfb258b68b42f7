"""Input tables (plan tasks, 干净指数, findings) kept whole in the database.

Why in the database: the score sheet and every recomputation after a decision must use
the same inputs as the run that made the proposals, on any machine that can reach the
database, long after the CSV on someone's desktop is gone. The newest active upload of
each kind counts; older ones stay for the record. A file is parsed before it is stored,
so a clerk sees "row 7, column due: …" at upload time instead of a broken score sheet.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import AuditRow, InputFileRow, utcnow

KINDS = ("plan_tasks", "clean_index", "findings", "workbook")
LABELS = {
    "plan_tasks": "年度计划任务",
    "clean_index": "干净指数",
    "findings": "检查发现问题",
    "workbook": "输入工作簿（含三张表）",
}
SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")


class InputFileError(ValueError):
    """An upload that cannot be used; the message is for the clerk (row and column)."""


def _safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip()
    if not name or name.startswith("."):
        raise InputFileError("文件名无效")
    if Path(name).suffix.lower() not in SUFFIXES:
        raise InputFileError(f"只接受 CSV 或 Excel 文件（{'、'.join(SUFFIXES)}）：{name}")
    return name


def _materialise(folder: Path, files: Mapping[str, InputFileRow | tuple[str, bytes]]) -> dict[str, Path]:
    """Write files under `folder/<kind>/<original name>`: row ids (task:plan_tasks.csv:3)
    are built from the file name, so the name must survive the round trip."""
    out = {}
    for kind, f in files.items():
        name, content = (f.filename, f.content) if isinstance(f, InputFileRow) else f
        path = folder / kind / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        out[kind] = path
    return out


def _load(paths: Mapping[str, Path], rubric) -> object:
    from scoring import load_inputs

    return load_inputs(plan_tasks=paths.get("plan_tasks"), clean_index=paths.get("clean_index"),
                       findings=paths.get("findings"), workbook=paths.get("workbook"), rubric=rubric)


def check_file(kind: str, filename: str, content: bytes, rubric) -> str:
    """Parse an upload alone; returns a summary line or raises InputFileError."""
    from reportscore.errors import InputError

    if kind not in KINDS:
        raise InputFileError(f"未知的输入表类型：{kind}")
    name = _safe_name(filename)
    if not content:
        raise InputFileError(f"{name} 是空文件")
    with tempfile.TemporaryDirectory(prefix="rs-input-") as tmp:
        paths = _materialise(Path(tmp), {kind: (name, content)})
        try:
            inputs = _load(paths, rubric)
        except InputError as e:
            raise InputFileError(str(e).replace(str(Path(tmp) / kind) + "/", "")) from e
    n = (len(inputs.plan_tasks), len(inputs.clean_index), len(inputs.findings))  # type: ignore[attr-defined]
    return f"{name}：计划任务{n[0]}行，干净指数{n[1]}行，检查问题{n[2]}行"


def store_file(session: Session, kind: str, filename: str, content: bytes, user: str, rubric=None) -> InputFileRow:
    """Check and store one upload; the same content as the active file of its kind is a no-op."""
    name = _safe_name(filename)
    digest = hashlib.sha256(content).hexdigest()
    current = active_files(session).get(kind)
    if current is not None and current.sha256 == digest and current.filename == name:
        return current  # checked when it was stored: every run passes its tables again
    summary = check_file(kind, filename, content, rubric)
    for row in session.scalars(select(InputFileRow).where(InputFileRow.kind == kind, InputFileRow.active)):
        row.active = False
    row = InputFileRow(kind=kind, filename=name, content=content, sha256=digest, uploaded_by=user,
                       uploaded_at=utcnow(), active=True)
    session.add(row)
    session.flush()
    session.add(AuditRow(key=f"input:{kind}", action="upload", user=user, at=utcnow(), version=row.id,
                         before={"file": current.filename, "sha256": current.sha256} if current else None,
                         after={"file": name, "sha256": digest, "id": row.id}, note=summary))
    return row


def store_paths(session: Session, user: str = "cli", rubric=None, **paths: str | Path | None) -> list[InputFileRow]:
    """Store the files a command-line run was given (plan_tasks=…, clean_index=…, findings=…, workbook=…)."""
    rows = []
    for kind, path in paths.items():
        if path is not None:
            p = Path(path)
            rows.append(store_file(session, kind, p.name, p.read_bytes(), user, rubric))
    return rows


def withdraw(session: Session, kind: str, user: str) -> None:
    """Stop using the active file of a kind (it stays stored, and the change is audited)."""
    current = active_files(session).get(kind)
    if current is None:
        return
    current.active = False
    session.add(AuditRow(key=f"input:{kind}", action="withdraw", user=user, at=utcnow(), version=current.id,
                         before={"file": current.filename, "sha256": current.sha256}, after=None, note=""))


def active_files(session: Session) -> dict[str, InputFileRow]:
    """The file that counts for each kind (the newest active one)."""
    out: dict[str, InputFileRow] = {}
    rows = session.scalars(select(InputFileRow).where(InputFileRow.active).order_by(InputFileRow.id))
    for row in rows:
        out[row.kind] = row
    return out


def history(session: Session) -> list[InputFileRow]:
    return list(session.scalars(select(InputFileRow).order_by(InputFileRow.id.desc())))


def load_stored_inputs(session: Session, rubric=None):
    """scoring.Inputs from the active stored files (empty Inputs when none is stored)."""
    from scoring import Inputs

    files = active_files(session)
    if not files:
        return Inputs()
    with tempfile.TemporaryDirectory(prefix="rs-input-") as tmp:
        return _load(_materialise(Path(tmp), files), rubric)
