"""Property: random sequences of decisions, undos, stale forms and re-runs (same files,
a replaced file, a new file, files left out) never lose or alter an audit row, and every
decision always equals the `after` of its latest audit row."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from review import decisions as D
from review.db import AuditRow, DecisionRow, ProposalRow
from review.store import engine_for
from tests.test_review_support import rugao_report, run_pipeline, sample_files

ACTIONS = ("confirm", "reject", "points", "move", "correct", "adopt", "undo_key", "undo_mine", "stale")
USERS = ("alice", "bob")

op = st.one_of(
    st.tuples(st.just("decide"), st.integers(0, 10_000), st.sampled_from(ACTIONS), st.sampled_from(USERS),
              st.floats(0, 1, allow_nan=False)),
    st.tuples(st.just("rerun"), st.lists(st.booleans(), min_size=4, max_size=4)),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One database for all examples: the record must survive every example in turn."""
    folder = tmp_path_factory.mktemp("property")
    files = [
        *sample_files("如东县"),
        rugao_report(folder / "a", "5-6月"),
        rugao_report(folder / "b", "5-6月", toilets=6, tag="（更正稿）"),
        rugao_report(folder / "c", "7-8月", pdf=True),
    ]
    url = f"sqlite:///{folder / 'property.db'}"
    run_pipeline(url, files[:4])
    return {"url": url, "files": files, "seen": {}}


def _record(url: str) -> tuple[dict[int, tuple], dict[str, DecisionRow]]:
    with Session(engine_for(url), expire_on_commit=False) as s:
        audit = {a.id: (a.key, a.action, a.user, a.version, a.before, a.after, a.undoes)
                 for a in s.scalars(select(AuditRow))}
        decs = {d.key: d for d in s.scalars(select(DecisionRow))}
        s.expunge_all()
    return audit, decs


def _apply(url: str, files: list[Path], step: tuple) -> None:
    eng = engine_for(url)
    if step[0] == "rerun":
        chosen = [f for f, keep in zip([*files[:3], files[3 + step[1][3] % 3]], step[1]) if keep]
        run_pipeline(url, chosen or files[:1])
        return
    _, n, action, user, share = step
    with Session(eng) as s:
        q = select(ProposalRow.key).order_by(ProposalRow.key)
        if action in ("points", "confirm", "adopt") or n % 2:  # mostly scored proposals, some unscored claims
            q = q.where(ProposalRow.kind != "unscored")
        keys = list(s.scalars(q))
        p = s.get(ProposalRow, keys[n % len(keys)])
        d = s.get(DecisionRow, p.key)
        version = d.version if d else 0
        claim_key = p.claim_id or p.key
        points = round(p.range_lo + share * (p.range_hi - p.range_lo), 2)
        source = (p.rereview_of or [""])[0]
    try:
        with Session(eng) as s, s.begin():
            if action == "undo_key":
                D.undo(s, user, p.key, version)
            elif action == "undo_mine":
                D.undo(s, user)
            elif action == "adopt":
                D.adopt(s, p.key, source, user, version)
            elif action == "stale":
                D.decide(s, p.key, "confirm", user, version + 1)
            elif action == "move":
                D.decide(s, claim_key, "move", user, _version(s, claim_key), {"item": "innovation.reform"},
                         {"innovation.reform"})
            elif action == "correct":
                D.decide(s, claim_key, "correct", user, _version(s, claim_key),
                         {"value": str(round(share * 10)), "unit": "座", "status": "done"})
            else:
                D.decide(s, p.key, action, user, version, {"reason": "随机", "points": str(points)})
    except D.DecisionError:
        pass  # refused changes (conflicts, out of range, nothing to undo) write nothing


def _version(s: Session, key: str) -> int:
    d = s.get(DecisionRow, key)
    return d.version if d else 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(op, min_size=1, max_size=12))
def test_random_decisions_and_reruns_never_lose_an_audit_row(world, steps):
    url, files, seen = world["url"], world["files"], world["seen"]
    for step in steps:
        before, _ = _record(url)
        _apply(url, files, step)
        audit, decs = _record(url)
        for i, row in before.items():
            assert audit.get(i) == row, f"audit row {i} changed or vanished after {step}"
        if step[0] == "rerun":
            assert audit == before, "a re-run must not write to the audit log"
        else:
            assert len(audit) - len(before) in (0, 1), step
        for i, row in seen.items():
            assert audit.get(i) == row
        seen.update(audit)
        latest: dict[str, tuple] = {}
        for i in sorted(audit):
            latest[audit[i][0]] = audit[i]
        for key, d in decs.items():
            after = latest[key][5]
            assert (d.state, d.points, d.item, d.reason or "", d.correction, d.manual, d.version) == (
                after["state"], after["points"], after["item"], after["reason"] or "", after["correction"],
                after["manual"], after["version"]), key
        assert set(latest) - {k for k in latest if k.startswith("input:")} == set(decs)
