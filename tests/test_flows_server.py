"""Scale-out: a real `prefect server start`, a process worker, the deployments of
flows/deploy.py, and a batch of the samples split over two flow runs of the files
deployment; the results are checked in the database (SQLite, or the PostgreSQL of
REPORTSCORE_TEST_PG_URL in a database of its own)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
INPUTS = SAMPLES / "inputs"
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"prefect server exited: {log.read_text()[-3000:]}"
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"prefect server not healthy after {timeout} s: {log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the process group (the worker's flow runs are in it), SIGKILL what remains."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        try:  # the leader is gone; children of the group may linger
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return


@pytest.fixture
def database(tmp_path):
    """A clean database: a SQLite file, or a fresh database on the test PostgreSQL server."""
    pg = os.environ.get("REPORTSCORE_TEST_PG_URL")
    if not pg:
        yield f"sqlite:///{tmp_path / 'results.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"flows_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg).set(database=name).render_as_string(hide_password=False)
    finally:
        from review.store import engine_for

        engine_for.cache_clear()  # close our connections to it before dropping it
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.slow
def test_split_batch_runs_on_server_and_worker(tmp_path, database):
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": api,
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_WORKER_QUERY_SECONDS": "1",
           "PREFECT_LOCAL_STORAGE_PATH": str(tmp_path / "shared-results"),  # "the shared folder"
           "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "true", "PREFECT_LOGGING_LEVEL": "INFO"}
    pool = f"rs-test-{uuid.uuid4().hex[:6]}"
    procs: list[subprocess.Popen] = []
    server_log, worker_log = tmp_path / "server.log", tmp_path / "worker.log"
    try:
        with open(server_log, "wb") as log:
            procs.append(subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                                           "--port", str(port)], env=env, cwd=tmp_path, stdout=log, stderr=log,
                                          start_new_session=True))
        _wait_healthy(api, procs[0], server_log)

        reg = subprocess.run([sys.executable, "-m", "flows.deploy", "register", "--pool", pool, "--code", str(ROOT)],
                             env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
        assert reg.returncode == 0, reg.stderr[-3000:]

        with open(worker_log, "wb") as log:
            procs.append(subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", pool, "--type", "process"],
                                          env=env, cwd=tmp_path, stdout=log, stderr=log, start_new_session=True))

        run = subprocess.run([sys.executable, "-m", "flows.deploy", "run", str(SAMPLES), "--db", database,
                              "--split", "2", "--workers", "2", "--plan", str(INPUTS / "plan_tasks.csv"),
                              "--index", str(INPUTS / "clean_index.csv"), "--findings", str(INPUTS / "findings.csv"),
                              "--timeout", "300"],
                             env=env, cwd=tmp_path, capture_output=True, text=True, timeout=360)
        out = json.loads(run.stdout) if run.stdout.strip().startswith("{") else {}
        assert run.returncode == 0 and out.get("state") == "Completed", (
            run.stdout[-2000:] + run.stderr[-2000:] + worker_log.read_text(errors="replace")[-4000:])
    finally:
        for p in reversed(procs):
            _stop(p)

    from extractors._common import file_sha256
    from flows import steps
    from review.db import DocumentRow, DraftUnitRow, FileOutcomeRow, RunRow
    from review.store import engine_for
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    files = steps.discover(SAMPLES)
    assert len(files) == 12
    summary = out["summary"]
    assert (summary["files"], summary["ok"], summary["read"]) == (12, 12, 12)
    with Session(engine_for(database)) as s:
        assert set(s.scalars(select(DocumentRow.sha256))) == {file_sha256(p) for p in files}
        run_row = s.get(RunRow, summary["run_id"])
        assert run_row is not None and run_row.finished is not None
        outcomes = s.scalars(select(FileOutcomeRow).where(FileOutcomeRow.run_id == run_row.id)).all()
        assert sorted(o.source for o in outcomes) == sorted(p.name for p in files)
        assert all(o.status == "ok" and o.claims > 0 for o in outcomes)
        assert len(s.scalars(select(DraftUnitRow)).all()) == 10  # every participant is ranked
    log = worker_log.read_text(errors="replace")
    assert "part1" in log and "part2" in log  # the files really went through two flow runs of the worker
