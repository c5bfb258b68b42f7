"""Crash safety: a real `reportscore run` killed with SIGKILL midway, then run again,
finishes the batch with no duplicate rows and every reviewer decision intact."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.helpers.cli_run import SAMPLES, embedded_env, reports_folder, run_command

FIRST = ["如东县7-8月劳动竞赛活动开展情况.docx", "崇川区_2024年5-6月劳动竞赛进展情况.docx", "海安市城管局5-6月竞赛进展情况（报市局）.pdf"]
CORPUS = 56  # corpus reports generated; those of the first files' units are left out (≈40 remain)
FIRST_UNITS = ("如东县", "崇川区", "海安市")


def _count(db: str, table) -> int:
    from review.store import engine_for
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    with Session(engine_for(db)) as s:
        return s.scalar(select(func.count()).select_from(table)) or 0


def _alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


@pytest.mark.slow
def test_kill_9_midway_then_rerun_finishes_without_duplicates_or_lost_decisions(tmp_path, sqlite_url):
    from review import decisions
    from review.db import ClaimRow, DecisionRow, DocumentRow, FileOutcomeRow, ProposalRow, RunRow
    from review.store import engine_for
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    folder = reports_folder(tmp_path, FIRST)
    db = sqlite_url
    env = embedded_env(tmp_path)

    # a first complete run, and a reviewer's decision on one of its proposals
    p = subprocess.run(run_command(folder, db), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    with Session(engine_for(db)) as s, s.begin():
        key = s.scalars(select(ProposalRow.key).where(ProposalRow.active.is_(True), ProposalRow.claim_id.is_not(None))
                        .order_by(ProposalRow.key).limit(1)).one()
        decisions.decide(s, key, "confirm", "reviewer", 0)
    with Session(engine_for(db)) as s:
        decided = decisions.snapshot(s.get(DecisionRow, key))

    # more reports arrive; the batch is killed with SIGKILL while it is storing them
    # (other units only, so the decided proposal stays what it was: new reports of its unit
    # could legitimately move it, see review.proposals)
    more = tmp_path / "more"
    subprocess.run([sys.executable, str(SAMPLES / "make_samples.py"), "--corpus", str(CORPUS), "--out", str(more),
                    "--seed", "11", "--jobs", "2"], check=True, capture_output=True, timeout=300)
    added = [f for f in more.iterdir() if not any(u in f.name for u in FIRST_UNITS)]
    assert len(added) >= 25
    for f in added:
        shutil.move(str(f), folder / f.name)
    total = len(FIRST) + len(added)
    victim = subprocess.Popen(run_command(folder, db), cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and victim.poll() is None:
            if _count(db, DocumentRow) > len(FIRST):
                break
            time.sleep(0.05)
        assert victim.poll() is None, "the batch finished before it could be killed"
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
    finally:
        if victim.poll() is None:
            os.killpg(victim.pid, signal.SIGKILL)
    stored_before = _count(db, DocumentRow)
    assert len(FIRST) < stored_before < total  # killed midway, after some results were committed
    with Session(engine_for(db)) as s:
        assert s.scalar(select(func.count()).select_from(RunRow)) == 1  # the killed run recorded nothing half-way
    for _ in range(50):  # its worker processes and embedded server do not outlive it
        if not _alive(victim.pid):
            break
        time.sleep(0.1)

    # run again: only the missing files are read, and the batch is complete
    p = subprocess.run(run_command(folder, db), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    s3 = json.loads(p.stdout)["summary"]
    assert s3["files"] == total and s3["ok"] == total
    assert s3["not_submitted"] == stored_before
    assert s3["read"] + s3["task_cache_hits"] == total - stored_before

    with Session(engine_for(db)) as s:
        assert s.scalar(select(func.count()).select_from(DocumentRow)) == total
        assert s.scalar(select(func.count(func.distinct(DocumentRow.sha256)))) == total
        assert s.scalar(select(func.count()).select_from(ClaimRow)) == s3["claims"]
        last = s.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(1)).one()
        assert last.finished is not None
        assert s.scalar(select(func.count()).select_from(FileOutcomeRow).where(FileOutcomeRow.run_id == last.id)) == total
        assert decisions.snapshot(s.get(DecisionRow, key)) == decided  # the decision survived, unchanged
        prop = s.get(ProposalRow, key)
        assert prop is not None and prop.active and prop.state == "confirmed"
    assert not _alive(victim.pid), "processes of the killed batch are still running"
