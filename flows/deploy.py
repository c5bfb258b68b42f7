"""Deployments of the batch for a Prefect server: register, serve, or start a run.

For a city's IT: one `prefect server start`, PostgreSQL for our data, a shared folder
for the report files and Prefect's result files, and on each machine a worker of the
`reportscore` process work pool. Then:

    python -m flows.deploy register --pool reportscore --code /srv/reportscore
    prefect worker start --pool reportscore                    # on every machine
    python -m flows.deploy run /shared/reports --db postgresql+psycopg2://… --split 4

`serve` is the one-process alternative to a work pool (it is its own worker):

    python -m flows.deploy serve

prefect.yaml at the repository root declares the same deployments for `prefect deploy`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = ("reportscore-batch", "batch")  # flow name, deployment name
FILES = ("reportscore-files", "files")
DEFAULT_POOL = "reportscore"


def register(pool: str = DEFAULT_POOL, code: Path | str = ROOT, env: dict[str, str] | None = None) -> list[str]:
    """Create the process work pool if needed and register both deployments on it.

    `code` is where the repository is on the worker machines (the same path on every
    one; a shared folder or identical checkouts): flow runs start in that directory.
    `env` becomes the flow runs' environment (REPORTSCORE_DB, PREFECT_LOCAL_STORAGE_PATH…).
    """
    from prefect import Flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        except ObjectAlreadyExists:
            pass
    ids = []
    for (flow_name, name), entry in ((BATCH, "flows.batch.batch_flow"), (FILES, "flows.batch.files_flow")):
        flow = Flow.from_source(source=str(code), entrypoint=entry)
        ids.append(str(flow.deploy(name=name, work_pool_name=pool, job_variables={"env": dict(env or {})},
                                   build=False, push=False, print_next_steps=False, ignore_warnings=True)))
    return ids


def serve(limit: int | None = None) -> None:
    """Serve both deployments from this process (no work pool, no separate worker)."""
    from prefect import serve as prefect_serve

    from .batch import batch_flow, files_flow

    prefect_serve(batch_flow.to_deployment(name=BATCH[1]), files_flow.to_deployment(name=FILES[1]), limit=limit)


def run(folder: str, db: str | None = None, inputs: dict | None = None, split: int = 0, workers: int | None = None,
        timeout: float = 3600.0) -> dict:
    """Start a batch run on the server and wait for it; returns its state and stored summary."""
    from prefect.deployments import run_deployment

    params = {"folder": folder, "url": db, "inputs": inputs or {}, "split": split, "workers": workers}
    t0 = time.perf_counter()
    fr = run_deployment(f"{BATCH[0]}/{BATCH[1]}", parameters=params, timeout=timeout, poll_interval=1)
    state = fr.state
    out = {"flow_run": fr.name, "state": state.name if state else None, "seconds": round(time.perf_counter() - t0, 2)}
    if state is not None and state.is_completed():
        try:
            out["summary"] = state.result()  # needs the result folder shared with the workers
        except Exception as e:
            out["summary"] = _last_summary(db) if db else {"unavailable": f"{type(e).__name__}: {e}"}
    return out


def _last_summary(url: str) -> dict:
    """The newest run's summary from our database: the fallback when Prefect's result
    files are not shared with this machine."""
    from review.db import RunRow
    from review.store import engine_for
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    with Session(engine_for(url)) as s:
        run = s.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(1)).first()
        return {"run_id": run.id, **(run.summary or {})} if run else {}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m flows.deploy", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("register", help="create the work pool and register the deployments")
    r.add_argument("--pool", default=DEFAULT_POOL)
    r.add_argument("--code", default=str(ROOT), help="the repository's path on the worker machines")
    r.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="environment of the flow runs")
    s = sub.add_parser("serve", help="serve the deployments from this process")
    s.add_argument("--limit", type=int, default=None, help="most flow runs at once")
    u = sub.add_parser("run", help="start a batch on the server and wait for it")
    u.add_argument("folder", help="the reports' folder, as the workers see it")
    u.add_argument("--db", help="database URL (default: the workers' REPORTSCORE_DB)")
    u.add_argument("--split", type=int, default=0, help="spread the files over N reportscore-files runs")
    u.add_argument("--workers", type=int, default=None, help="worker processes per flow run (default: cores)")
    u.add_argument("--participants")
    u.add_argument("--rubric", default="nantong_2024")
    u.add_argument("--plan")
    u.add_argument("--index")
    u.add_argument("--findings")
    u.add_argument("--inputs", help="one Excel workbook with the three sheets")
    u.add_argument("--timeout", type=float, default=3600.0)
    a = p.parse_args(argv)
    from . import prefect_env

    prefect_env.configure()
    if a.cmd == "register":
        env = dict(e.split("=", 1) for e in a.env)
        print("\n".join(register(a.pool, a.code, env)))
    elif a.cmd == "serve":
        serve(a.limit)
    else:
        inputs = {"participants": a.participants, "rubric": a.rubric, "plan": a.plan, "index": a.index,
                  "findings": a.findings, "workbook": a.inputs}
        out = run(a.folder, a.db, inputs, a.split, a.workers, a.timeout)
        print(json.dumps(out, ensure_ascii=False, indent=1, default=str))
        return 0 if out["state"] == "Completed" else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
