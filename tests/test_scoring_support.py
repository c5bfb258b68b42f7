"""Hand-made documents and claims for the scoring tests (no files, no extractor).

A test writes the sentence, the number and the subject itself, so what it scores is
exactly what it says; ids stay distinct because each claim gets its own block.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date

from reportscore.model import Claim, Document
from scoring.inputs import CleanIndex, Finding, PlanTask
from scoring.similar import month_end, parse_date, parse_quarter

_BLOCKS = itertools.count(1)


def doc(unit: str | None, period: str | None, kind: str = "progress", name: str | None = None,
        report_date: str | None = None) -> Document:
    source = name or f"{unit}_{period}.docx"
    return Document(
        source=source, sha256=hashlib.sha256(source.encode()).hexdigest(), blocks=(), unit=unit,
        period=period, kind=kind, report_date=report_date,  # type: ignore[arg-type]
    )


def claim(d: Document, quote: str, value: float, unit: str, subject: str, action: str = "", *,
          status: str = "done", block: int | None = None, start: int = 0, **kw: object) -> Claim:
    """A claim whose span is the whole quote unless `start` says otherwise."""
    return Claim(
        document_sha256=d.sha256, block=next(_BLOCKS) if block is None else block, start=start,
        end=kw.pop("end", len(quote)), quote=quote, quote_start=0, value=value, unit=unit,  # type: ignore[arg-type]
        subject=subject, action=action, approximate=False, status=status, rule_id="test",  # type: ignore[arg-type]
        page=kw.pop("page", 1), **kw,  # type: ignore[arg-type]
    )


def task(unit: str, item: str, text: str, target: float | None, measure: str, due: str, row: int = 2) -> PlanTask:
    when = parse_date(due)
    if when is None:
        q = parse_quarter(due)
        assert q is not None
        when = month_end(q[0], q[1] * 3)
    return PlanTask(f"task:plan_tasks.csv:{row}", unit, item, text, target, measure, when, due, "plan_tasks.csv", row)


def finding(unit: str, item: str, description: str, points: float | None = None, row: int = 2) -> Finding:
    return Finding(f"finding:findings.csv:{row}", unit, item, date(2024, 9, 1), description, points, "findings.csv", row)


def index(unit: str, period: str, value: float, row: int = 2) -> CleanIndex:
    return CleanIndex(f"index:clean_index.csv:{row}", unit, period, value, "clean_index.csv", row)


def test_factories_make_distinct_claim_ids() -> None:
    d = doc("崇川区", "2024-05/06")
    a = claim(d, "改造公厕2座", 2, "座", "公厕", "改造")
    b = claim(d, "改造公厕2座", 2, "座", "公厕", "改造")
    assert a.id != b.id and a.document_sha256 == d.sha256
