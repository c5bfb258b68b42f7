"""Nothing a reviewer decides is ever lost: audit, conflicts, re-runs, replaced files.

Runs on a SQLite file and on PostgreSQL (when REPORTSCORE_TEST_PG_URL is set).
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from review import decisions as D
from review.db import AuditRow, DecisionLinkRow, DecisionRow, ProposalRow
from review.store import engine_for
from tests.test_review_support import (  # noqa: F401  (db_url, sqlite_db are fixtures)
    SAMPLE_INPUTS, Client, add_user, db_url, process, sqlite_db, proposals, rugao_report, run_pipeline, sample_files,
    snapshot_record,
)


pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")


def _items(url: str) -> set[str]:
    from review.web_sheet import load_rubric

    with Session(engine_for(url)) as s:
        return set(load_rubric(s).items)


def test_every_decision_kind_is_audited_and_scored(db_url, tmp_path):
    run_pipeline(db_url, sample_files("崇川区") + [rugao_report(tmp_path / "in")])
    from review.web_sheet import sheet

    eng = engine_for(db_url)
    case = next(p for p in proposals(db_url, unit="如皋市", item="innovation.case_adopted"))
    task = next(p for p in proposals(db_url, unit="崇川区", rule_id="plan_task"))
    index = proposals(db_url, key="如皋市::service::clean_index")[0]
    planned = next(p for p in proposals(db_url, unit="如皋市", kind="unscored") if p.reason == "planned")
    with Session(eng) as s, s.begin():
        rows, _ = sheet(s)
        before = {r.unit: r.confirmed for r in rows}
        D.decide(s, index.key, "confirm", "alice", 0, fingerprint=index.fingerprint)
        D.decide(s, case.key, "points", "alice", 0, {"points": "3", "reason": "国家级推广"})
        D.decide(s, task.key, "reject", "alice", 0, {"reason": "证据不足"})
        D.decide(s, planned.key, "correct", "alice", 0, {"value": "3", "unit": "座", "status": "done"})
        D.add_manual(s, "如皋市", "innovation.reform", "2", "市委改革办通报表扬", "bob", {"如皋市"}, _items(db_url))
    with Session(eng) as s:
        rows, draft = sheet(s)
        after = {r.unit: r for r in rows}
        # confirmed: the index (as proposed), the case at 3 points, the manual +2; base 20 of 项目建设
        assert after["如皋市"].confirmed == pytest.approx(round(before["如皋市"] + index.points + 3 + 2, 2))
        line = draft.line("如皋市", "innovation.case_adopted")
        assert [o.points for o in line.occurrences if o.key == case.key] == [3.0]
        assert all(o.key != task.key for o in draft.line("崇川区", task.item).occurrences)
        audit = list(s.scalars(select(AuditRow).where(AuditRow.user.in_(("alice", "bob"))).order_by(AuditRow.id)))
        assert [a.action for a in audit] == ["confirm", "points", "reject", "correct", "manual"]
        assert audit[1].before is None and audit[1].after["points"] == 3.0
        assert s.get(ProposalRow, task.key).state == "rejected"
    # undo: my own latest (the correction), then per key; a third reviewer's undo finds nothing of theirs
    with Session(eng) as s, s.begin():
        out = D.undo(s, "alice")
        assert out.key == planned.key
        assert s.get(DecisionRow, planned.key).correction is None
        D.undo(s, "alice", case.key, 1)
        assert s.get(DecisionRow, case.key).state is None and s.get(DecisionRow, case.key).version == 2
        with pytest.raises(D.DecisionError):
            D.undo(s, "carol")
    with Session(eng) as s:
        assert s.get(ProposalRow, case.key).state == "open"
        assert len(list(s.scalars(select(AuditRow).where(AuditRow.action == "undo")))) == 2


def test_audit_log_and_decisions_cannot_be_rewritten(db_url):
    run_pipeline(db_url, sample_files("如东县"))
    p = proposals(db_url, kind="occurrence")[0]
    eng = engine_for(db_url)
    with Session(eng) as s, s.begin():
        D.decide(s, p.key, "confirm", "alice", 0)
    for sql in ("UPDATE audit_log SET note = 'forged'", "DELETE FROM audit_log", "DELETE FROM decisions"):
        with pytest.raises(Exception, match="not allowed"):
            with eng.begin() as c:
                c.execute(text(sql))
    decs, audit = snapshot_record(db_url)
    assert decs[p.key][0] == "confirmed" and any(a[0] == p.key for a in audit.values())


def test_second_reviewer_sees_conflict_and_nothing_is_overwritten(db_url):
    from review.app import create_app

    run_pipeline(db_url, sample_files("海安市"))
    add_user(db_url, "alice")
    add_user(db_url, "bob")
    app = create_app(db_url)
    alice, bob = Client(app, "alice"), Client(app, "bob")
    p = proposals(db_url, kind="occurrence")[0]
    page_a = alice.get(f"/proposal?key={p.key}")
    page_b = bob.get(f"/proposal?key={p.key}")
    assert 'name="version" value="0"' in page_a.text and 'name="version" value="0"' in page_b.text
    r = alice.decide(p.key, "confirm", 0, fingerprint=p.fingerprint)
    assert r.status_code == 303
    r = bob.decide(p.key, "reject", 0, reason="证据不足", fingerprint=p.fingerprint)
    assert r.status_code == 409
    assert "冲突" in r.text and "alice" in r.text and "已确认" in r.text
    decs, audit = snapshot_record(db_url)
    assert decs[p.key][0] == "confirmed" and decs[p.key][7] == "alice"
    assert [a[1:3] for a in audit.values() if a[0] == p.key] == [("confirm", "alice")]
    # having seen the conflict, bob decides on the current version: that is allowed and audited
    assert bob.decide(p.key, "reject", 1, reason="证据不足").status_code == 303
    decs, audit = snapshot_record(db_url)
    assert decs[p.key][0] == "rejected" and len([a for a in audit.values() if a[0] == p.key]) == 2


def test_simultaneous_decisions_one_wins(db_url):
    """Eight threads decide the same proposal from the same version at once: one wins."""
    run_pipeline(db_url, sample_files("如东县"))
    p = proposals(db_url, kind="occurrence")[0]
    eng = engine_for(db_url)
    barrier = threading.Barrier(8)
    results: list[str] = []

    def work(n: int) -> None:
        barrier.wait()
        try:
            with Session(eng) as s, s.begin():
                D.decide(s, p.key, "reject" if n % 2 else "confirm", f"user{n}", 0, {"reason": "x"})
            results.append("ok")
        except D.Conflict:
            results.append("conflict")
        except Exception as e:  # SQLite may report the lock itself; still nothing may be written
            results.append(type(e).__name__)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert set(results) == {"ok", "conflict"}, results
    decs, audit = snapshot_record(db_url)
    assert decs[p.key][6] == 1
    assert len([a for a in audit.values() if a[0] == p.key]) == 1


def test_reruns_never_drop_or_change_decisions(db_url, tmp_path):
    """Same files, then one file replaced by a corrected one, then one new file."""
    files = sample_files("通州区") + [rugao_report(tmp_path / "v1", "5-6月")]
    run_pipeline(db_url, files)
    eng = engine_for(db_url)
    case = next(p for p in proposals(db_url, unit="如皋市", item="innovation.case_adopted"))
    banded = proposals(db_url, key="如皋市::innovation.clean_action::clean_action")[0]
    task = next(p for p in proposals(db_url, unit="通州区", rule_id="plan_task"))
    unscored = next(p for p in proposals(db_url, unit="如皋市", kind="unscored"))
    evidence = next(e["id"] for e in banded.evidence if e["kind"] == "claim")
    with Session(eng) as s, s.begin():
        D.decide(s, case.key, "points", "alice", 0, {"points": "2.5"})
        D.decide(s, banded.key, "confirm", "alice", 0)
        D.decide(s, task.key, "reject", "bob", 0, {"reason": "时限有误"})
        D.decide(s, unscored.key, "move", "bob", 0, {"item": "innovation.reform"}, items=_items(db_url))
        D.decide(s, evidence, "correct", "bob", 0, {"value": "50", "unit": "次", "status": "done"})
    decisions_before, audit_before = snapshot_record(db_url)
    states_before = {p.key: p.state for p in proposals(db_url)}

    run_pipeline(db_url, files)  # the same files again
    assert snapshot_record(db_url) == (decisions_before, audit_before)
    assert {p.key: p.state for p in proposals(db_url)} == states_before

    corrected = rugao_report(tmp_path / "v2", "5-6月", toilets=4, tag="（更正稿）")  # same unit and period
    new = rugao_report(tmp_path / "v2", "7-8月", pdf=True)
    run_pipeline(db_url, sample_files("通州区") + [corrected, new])
    decisions_after, audit_after = snapshot_record(db_url)
    assert decisions_after == decisions_before  # not one decision changed or dropped
    assert audit_after == audit_before  # a re-run writes nothing to the audit log
    with Session(eng) as s:
        old = s.get(ProposalRow, case.key)
        assert old is not None and not old.active  # the old file's proposal is kept, inactive
        link = s.get(DecisionLinkRow, case.key)
        assert link.attached_to is None and link.successors, "the old decision must point at the new proposal"
        for k in link.successors:
            succ = s.get(ProposalRow, k)
            assert succ.active and succ.state == "rereview" and case.key in succ.rereview_of
            assert succ.unit == "如皋市" and succ.item == "innovation.case_adopted"
            assert s.get(DecisionRow, k) is None  # shown for re-review, never transferred
        assert s.get(ProposalRow, task.key).state == "rejected"  # input-row keys are stable
        assert s.get(ProposalRow, banded.key).state == "rereview"  # decided, but its evidence changed
        # the superseded file no longer counts: no claim of it is evidence of an active proposal
        from review.web_sheet import superseded

        old_sha = next(iter(superseded(s)))
        active = s.scalars(select(ProposalRow).where(ProposalRow.active.is_(True))).all()
        assert all(e.get("sha") != old_sha for p in active for e in p.evidence)
    # the re-reviewer adopts the old decision explicitly: audited as such
    succ_key = link.successors[0]
    with Session(eng) as s, s.begin():
        D.adopt(s, succ_key, case.key, "carol", 0)
    with Session(eng) as s:
        d = s.get(DecisionRow, succ_key)
        assert d.state == "confirmed" and d.points == 2.5 and d.decided_by == "carol"
        assert s.get(ProposalRow, succ_key).state == "confirmed"
        assert s.get(AuditRow, max(snapshot_record(db_url)[1])).action == "adopt"


def test_decision_reattaches_when_its_proposal_comes_back(db_url):
    """The plan-task table withdrawn (its proposals vanish), then uploaded again: the
    decisions were kept all along and attach to the same keys again."""
    from review.proposals import rescore
    from review.web_inputs import store_paths, withdraw
    from tests.test_review_support import SAMPLE_INPUTS

    run_pipeline(db_url, sample_files("崇川区"))
    task = next(p for p in proposals(db_url, unit="崇川区", rule_id="plan_task"))
    eng = engine_for(db_url)
    with Session(eng) as s, s.begin():
        D.decide(s, task.key, "reject", "alice", 0, {"reason": "任务已调整"})
    with Session(eng) as s, s.begin():
        withdraw(s, "plan_tasks", "admin")
        rescore(s)
    [gone] = proposals(db_url, key=task.key)
    assert not gone.active
    with Session(eng) as s:
        assert s.get(DecisionLinkRow, task.key).attached_to is None
        assert s.get(DecisionRow, task.key).state == "rejected"
    with Session(eng) as s, s.begin():
        store_paths(s, user="admin", plan_tasks=SAMPLE_INPUTS["plan_tasks"])
        rescore(s)
    [back] = proposals(db_url, key=task.key)
    assert back.active and back.state == "rejected"


def test_sync_keeps_the_runs_inputs_when_the_database_lacks_them(sqlite_db):
    """A draft made from input files the database does not hold (a caller that scored
    without storing them): the queue uses that draft (plan tasks included) and the UI is
    told to upload the tables. `reportscore run` itself stores its inputs, so the warning
    goes away after a normal run."""
    from flows import steps
    from review import proposals as P
    from review.store import load_documents_and_claims
    from review.web_sheet import get_setting
    from scoring import build_draft, load_inputs, load_rubric

    results = [process(p) for p in sample_files("崇川区")]
    run_id = steps.store_results(sqlite_db, results, "tests", "nantong_2024", {"files": len(results)})
    rubric = load_rubric("nantong_2024")
    extra = load_inputs(plan_tasks=SAMPLE_INPUTS["plan_tasks"], clean_index=SAMPLE_INPUTS["clean_index"],
                        findings=SAMPLE_INPUTS["findings"], rubric=rubric)
    with Session(engine_for(sqlite_db)) as s, s.begin():
        docs, claims = load_documents_and_claims(s)
        P.sync(s, build_draft(docs, claims, rubric, extra), run_id)
    assert proposals(sqlite_db, key="task:plan_tasks.csv:2")[0].active
    with Session(engine_for(sqlite_db)) as s:
        assert "未存入数据库" in get_setting(s, "inputs_warning")
    run_pipeline(sqlite_db, sample_files("崇川区"), store_inputs=False)  # run stores its inputs itself
    with Session(engine_for(sqlite_db)) as s:
        assert get_setting(s, "inputs_warning") == ""
