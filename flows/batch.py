"""The Prefect flow: one task per file, then storage and scoring once per batch.

Thin on purpose: every task calls a function of flows.steps. A task's cache key is
the file's sha256 plus the rule and rubric versions, so an unchanged file is never
read twice; failures of one file are data (a FileOutcome) and never stop the others.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

from prefect import flow, task
from prefect.context import TaskRunContext

from . import steps

# Set by the CLI to show progress; called with each FileResult as it completes.
ON_FILE: Callable[[steps.FileResult], None] | None = None


def _file_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    from extractors._common import file_sha256
    from extractors.rules import rules_version
    from scoring import load_rubric

    path = Path(parameters["path"])
    try:
        digest = file_sha256(path)
    except OSError:
        digest = f"unreadable:{path}"
    return f"file-{digest}-{rules_version()}-{load_rubric(parameters['rubric']).version}"


@task(name="read-extract-map", cache_key_fn=_file_key, persist_result=True, retries=0)
def process_file_task(path: str, participants: tuple, rubric: str) -> steps.FileResult:
    return steps.process_file(path, participants, rubric)


@task(name="store", retries=2, retry_delay_seconds=2)
def store_task(url: str, results: list, folder: str, rubric: str, summary: dict) -> int:
    return steps.store_results(url, results, folder, rubric, summary)


@task(name="score")
def score_task(url: str, inputs: steps.BatchInputs, run_id: int):
    return steps.score_stored(url, inputs, run_id)


@flow(name="reportscore-batch", log_prints=False, validate_parameters=False)
def batch_flow(folder: str, url: str, inputs: steps.BatchInputs) -> dict:
    """Process every report under `folder` into the database at `url`; returns the run summary."""
    t0 = time.perf_counter()
    files = steps.discover(folder)
    futures = [process_file_task.submit(str(p), inputs.participants, inputs.rubric) for p in files]
    results: list[steps.FileResult] = []
    for fut in futures:
        r = fut.result()
        results.append(r)
        if ON_FILE is not None:
            ON_FILE(r)
    summary = {
        "files": len(results),
        "ok": sum(r.outcome.status == "ok" for r in results),
        "failed": sum(r.outcome.status == "failed" for r in results),
        "claims": sum(r.outcome.claims for r in results),
    }
    run_id = store_task(url, results, str(folder), inputs.rubric, summary)
    draft = score_task(url, inputs, run_id)
    summary["run_id"] = run_id
    summary["seconds_in_flow"] = time.perf_counter() - t0
    return {"summary": summary, "results": results, "draft": draft}
