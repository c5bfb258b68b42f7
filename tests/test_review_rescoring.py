"""Scoring unit by unit (review.rescoring) gives exactly the draft and the queue that one
build_draft over the whole database gives, and keeps decisions attached across re-runs.

Runs on a SQLite file and on PostgreSQL (when REPORTSCORE_TEST_PG_URL is set).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from review import decisions as D
from review import proposals as P
from review.db import DecisionLinkRow, DraftUnitRow, ProposalRow
from review.store import engine_for, load_draft
from review.web_sheet import plain_draft
from tests.helpers.files import make_docx
from tests.test_review_support import (  # noqa: F401  (db_url is a fixture)
    db_url, proposals, rugao_report, run_pipeline, sample_files,
)

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")


def _unitless(folder):
    """A report whose unit nobody can tell: its claims are listed, unassigned."""
    folder.mkdir(parents=True, exist_ok=True)
    return make_docx(folder / "环卫工作情况.docx", ["关于近期环卫工作情况的报告", "今年以来新建公厕5座，清运垃圾320吨。"])


def test_unit_by_unit_equals_the_whole_draft(db_url, tmp_path):
    run_pipeline(db_url, sample_files() + [rugao_report(tmp_path / "in"), _unitless(tmp_path / "in")])
    with Session(engine_for(db_url)) as s:
        whole = plain_draft(s)
        assert len(whole.units) >= 10 and whole.unassigned
        assert load_draft(s) == whole.to_json()  # same units, totals, ranks, items, evidence
        want = P._rows_of(s, whole)
        active = {p.key: p for p in s.scalars(select(ProposalRow).where(ProposalRow.active.is_(True)))}
        assert set(active) == set(want)
        for key, row in want.items():
            p = active[key]
            got = {k: getattr(p, k) for k in row}
            assert got.pop("priority") == pytest.approx(row.pop("priority"), abs=1e-4), key
            assert got == row, key
        assert [u for u in s.scalars(select(DraftUnitRow.unit).order_by(DraftUnitRow.rank, DraftUnitRow.unit))] \
            == [u.unit for u in whole.units]


def test_a_rerun_unit_by_unit_keeps_decisions_and_marks_replaced_evidence(db_url, tmp_path):
    """A decision on a claim of one unit stays attached when other units are re-scored; a
    corrected file that replaces the decided claim sends the decision to re-review."""
    first = rugao_report(tmp_path / "a", toilets=3)
    run_pipeline(db_url, sample_files("崇川区") + [first])
    toilets = next(p for p in proposals(db_url, unit="如皋市", kind="unscored") if "中转站" in p.subject)
    with Session(engine_for(db_url)) as s, s.begin():
        D.decide(s, toilets.key, "reject", "alice", 0, {"reason": "计划，不计分"})
    run_pipeline(db_url, sample_files("崇川区", "海安市") + [first])
    [back] = proposals(db_url, key=toilets.key)
    assert back.active and back.state == "rejected"

    corrected = rugao_report(tmp_path / "b", toilets=4, tag="（更正稿）")
    run_pipeline(db_url, [corrected])
    with Session(engine_for(db_url)) as s:
        link = s.get(DecisionLinkRow, toilets.key)
        assert link.attached_to is None and not s.get(ProposalRow, toilets.key).active
        [new] = [s.get(ProposalRow, k) for k in link.successors]
        assert new.active and new.unit == "如皋市" and new.value == 3 and new.state == "rereview"
        assert new.rereview_of == [toilets.key]
