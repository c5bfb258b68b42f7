"""Shared pieces of the export tests (no tests here): a real pipeline run into a SQLite
file, then a few decisions made through review.decisions' API, as reviewers would.

Why decisions through the API and not rows written by hand: the export must show what
the review layer really stores (points a reviewer saw, corrections, manual points,
rejections), so the fixture goes through the same functions as the web queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.test_review_support import run_pipeline, sample_files

UNITS = ("崇川区", "海安市", "通州区")


@dataclass
class Decided:
    """What the fixture decided, to compare the exports with."""

    url: str
    confirmed: dict[str, float] = field(default_factory=dict)  # proposal key → points it was confirmed with
    rejected: set[str] = field(default_factory=set)
    manual_key: str = ""
    full_unit: str = "通州区"  # every proposal of this unit is decided


def _proposals(s: Session, **where):
    from review.db import ProposalRow

    q = select(ProposalRow).where(ProposalRow.active, ProposalRow.kind == "occurrence").order_by(ProposalRow.key)
    for k, v in where.items():
        q = q.where(getattr(ProposalRow, k) == v)
    return list(s.scalars(q))


def decide_some(url: str) -> Decided:
    """Confirm, re-score, reject and add a manual point, as reviewers alice and bob."""
    from review import decisions as D
    from review.store import engine_for
    from review.web_sheet import load_rubric

    out = Decided(url)
    with Session(engine_for(url)) as s, s.begin():
        items = set(load_rubric(s).items)
        index = _proposals(s, key="海安市::service::clean_index")[0]
        D.decide(s, index.key, "confirm", "alice", 0)
        out.confirmed[index.key] = index.points
        case = max(_proposals(s, unit="海安市", item="innovation.case_adopted"), key=lambda p: (p.points, p.key))
        D.decide(s, case.key, "confirm", "alice", 0)
        out.confirmed[case.key] = case.points
        task = next(p for p in _proposals(s, unit="海安市", rule_id="plan_task") if p.points < 0)
        D.decide(s, task.key, "confirm", "alice", 0)
        out.confirmed[task.key] = task.points
        clean = _proposals(s, key="崇川区::innovation.clean_action::clean_action")[0]
        D.decide(s, clean.key, "points", "bob", 0, {"points": "10", "reason": "部分成效为常规工作"})
        out.confirmed[clean.key] = 10.0
        for p in _proposals(s, unit=out.full_unit):
            if p.item == "team":
                D.decide(s, p.key, "reject", "bob", 0, {"reason": "已整改到位，不扣分"})
                out.rejected.add(p.key)
            else:
                D.decide(s, p.key, "confirm", "bob", 0)
                out.confirmed[p.key] = p.points
        m = D.add_manual(s, "海安市", "innovation.reform", "2", "环卫作业市场化改革经验获市委改革办通报表扬",
                         "bob", {"海安市"}, items)
        out.manual_key = m.key
        out.confirmed[m.key] = 2.0
    return out


@pytest.fixture(scope="module")
def decided(tmp_path_factory) -> Decided:
    folder: Path = tmp_path_factory.mktemp("export")
    url = f"sqlite:///{folder / 'export.db'}"
    run_pipeline(url, sample_files(*UNITS))
    return decide_some(url)
