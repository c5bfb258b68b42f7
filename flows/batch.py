"""The Prefect flows: plan, one task per file to read, store as results arrive, score once.

Thin on purpose: every task calls one function of flows.steps. How the work is cut:

- `steps.plan_batch` asks the database which files are stored under the current
  content version (rules + rubric + participants) and submits only the others: an
  unchanged re-run submits no task at all (faster than a cache hit per file, see
  bench/bench_batch.py).
- A file's task is cached on its sha256 plus that version, with the result persisted,
  so a file the database does not have yet (a new database, a failed file) is still
  never read twice. Retries only on converter timeouts; bad input is a result.
- Tasks run in threads and hand the parsing to a pool of worker processes (Prefect's
  ProcessPoolTaskRunner costs ≈0.4 s per task in 3.8.8: slower than the parsing).
- Results are stored in small transactions as they arrive and dropped, and at most a
  few tasks per worker are in flight: memory stays flat however many files there are.
  Storage is idempotent, so a killed run is finished by simply running it again.
- The run's outcomes and the draft are written once at the end.

`split > 1` fans the files out over flow runs of the `reportscore-files` deployment,
which workers on other machines pick up (see prefect.yaml and README).
"""

from __future__ import annotations

import contextvars
import dataclasses
import os
import queue
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from prefect import flow, runtime, task
from prefect.context import TaskRunContext
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from reportscore.model import FileOutcome

from . import steps


class Hooks:
    """Set by the CLI for its progress bar: on_plan(plan) once, then on_file(result) per file read.

    A class, not module globals: Prefect pickles the flow function by value for worker
    processes, with the globals it uses, and a progress bar cannot be pickled; a class
    is pickled by reference.
    """

    on_plan: Callable[[steps.BatchPlan], None] | None = None
    on_file: Callable[[steps.FileResult], None] | None = None


STORE_EVERY = 16  # files per storage transaction: few enough to hold, many enough to be cheap
STORE_SECONDS = 5.0  # …or whatever arrived in this time, so a slow batch still stores steadily
IN_FLIGHT_PER_WORKER = 3  # submitted but unconsumed tasks per worker: bounds memory, keeps workers busy
FILES_DEPLOYMENT = "reportscore-files/files"


def _file_key(context: TaskRunContext, parameters: dict[str, Any]) -> str | None:
    """Content of the file plus the versions that shape its result; None (no caching) if unreadable."""
    sha = steps.sha256_of(parameters["path"])
    return None if sha is None else f"file-{sha}-{parameters['version'].replace(':', '-')}"


def _retry_transient(task_: Any, task_run: Any, state: Any) -> bool:
    """Retry only what a retry can cure: a LibreOffice/OCR timeout, never a bad file or a bug."""
    try:
        exc = state.result(raise_on_failure=False)
    except Exception:
        return False
    return steps.is_transient(exc)


def _file_run_name() -> str:
    return Path(runtime.task_run.parameters.get("path", "file")).name


@task(name="read-extract-map", task_run_name=_file_run_name, cache_key_fn=_file_key, persist_result=True,
      cache_result_in_memory=False, retries=2, retry_delay_seconds=[5, 30], retry_condition_fn=_retry_transient)
def process_file_task(path: str, participants: tuple, rubric: str, version: str) -> steps.FileResult:
    return steps.process_file_pooled(path, participants, rubric, raise_transient=True)


def _retry_db(task_: Any, task_run: Any, state: Any) -> bool:
    """Retry storage on database I/O errors (a locked SQLite file, a dropped connection)."""
    from sqlalchemy.exc import OperationalError

    try:
        exc = state.result(raise_on_failure=False)
    except Exception:
        return False
    return isinstance(exc, OperationalError)


@task(name="store-documents", retries=3, retry_delay_seconds=2, retry_condition_fn=_retry_db, persist_result=False)
def store_task(url: str, results: list, version: str) -> int:
    return steps.store_documents(url, results, version)


@task(name="record-run", retries=3, retry_delay_seconds=2, retry_condition_fn=_retry_db, persist_result=False)
def record_task(url: str, folder: str, rubric: str, outcomes: list, summary: dict) -> int:
    return steps.record_run(url, folder, rubric, outcomes, summary)


@task(name="score", retries=3, retry_delay_seconds=2, retry_condition_fn=_retry_db, persist_result=False)
def score_task(url: str, inputs: steps.BatchInputs, run_id: int) -> None:
    steps.score_stored(url, inputs, run_id)


RUNNERS = ("pool", "thread", "prefect-process")


@contextmanager
def task_runner(kind: str, workers: int) -> Iterator[Any]:
    """The task runner for the file tasks, and the processes that do the parsing.

    "pool" (default, fastest measured): Prefect tasks in threads, each handing its file
    to a pool of `workers` processes. "thread": everything in this process (one core:
    the parsing holds the GIL). "prefect-process": Prefect's ProcessPoolTaskRunner,
    ≈0.4 s of Prefect overhead per task in 3.8.8 (kept to measure it).
    """
    if kind == "prefect-process":
        with ProcessPoolTaskRunner(max_workers=workers, initializer=steps.worker_init) as runner:
            yield runner
    elif kind == "thread":
        steps.warm_up()
        with ThreadPoolTaskRunner(max_workers=workers) as runner:
            yield runner
    elif kind == "pool":
        # twice the threads: a worker process always has the next file queued while
        # this process persists and stores the previous result
        with steps.worker_pool(workers), ThreadPoolTaskRunner(max_workers=2 * workers) as runner:
            yield runner
    else:
        raise ValueError(f"unknown runner {kind!r}: expected one of {', '.join(RUNNERS)}")


class _Storer:
    """Stores results in the background, one transaction at a time, as a Prefect task on its
    own thread: the loop that feeds the workers never waits for the database, and at most
    two chunks of results are held (bounded memory)."""

    def __init__(self, url: str, version: str) -> None:
        self.url, self.version = url, version
        self.runner = ThreadPoolTaskRunner(max_workers=1)
        self.futures: list[Any] = []

    def __enter__(self) -> "_Storer":
        self.runner.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.runner.__exit__(*exc)

    def store(self, results: list[steps.FileResult]) -> None:
        while len(self.futures) >= 2:
            self.futures.pop(0).result()  # raises if storage failed after its retries: the run must stop
        # quote(): Prefect would otherwise walk every block and claim looking for futures
        self.futures.append(self.runner.submit(store_task, {"url": self.url, "results": quote(results),
                                                            "version": self.version}))

    def finish(self) -> None:
        while self.futures:
            self.futures.pop(0).result()


def process_files(todo: Sequence[tuple[str, str | None]], url: str, participants: tuple, rubric: str,
                  version: str, workers: int, runner: str = "pool",
                  on_file: Callable[[steps.FileResult], None] | None = None) -> list[FileOutcome]:
    """Read every file of `todo` in `workers` parallel tasks, storing results as they arrive."""
    if not todo:
        return []
    outcomes: list[FileOutcome] = []
    buffer: list[steps.FileResult] = []
    last_store = time.perf_counter()
    done: queue.Queue = queue.Queue()
    pending: dict[Any, str] = {}
    files = iter(todo)
    workers = max(1, min(workers, len(todo)))
    with task_runner(runner, workers) as pool, _Storer(url, version) as storer:

        def submit_next() -> None:
            for path, _sha in files:
                fut = pool.submit(process_file_task, {"path": path, "participants": participants, "rubric": rubric,
                                                      "version": version})
                pending[fut] = path
                fut.add_done_callback(done.put)
                return

        for _ in range(workers * IN_FLIGHT_PER_WORKER):
            submit_next()
        while pending:
            fut = done.get()
            path = pending.pop(fut)
            submit_next()
            try:
                result = fut.result()
                if fut.state.name == "Cached":  # read by an earlier run: say so in the outcome
                    result = dataclasses.replace(result, outcome=dataclasses.replace(result.outcome, cached=True))
            except Exception as e:  # a timeout after its retries, or a bug: this file fails, the batch goes on
                result = steps.error_result(path, e)
            del fut
            outcomes.append(result.outcome)
            if on_file is not None:
                on_file(result)
            if result.document is not None:
                buffer.append(result)
            if len(buffer) >= STORE_EVERY or (buffer and time.perf_counter() - last_store > STORE_SECONDS):
                storer.store(buffer)
                buffer, last_store = [], time.perf_counter()
            del result
        if buffer:
            storer.store(buffer)
        storer.finish()
    return outcomes


def _split_remote(todo: Sequence[tuple[str, str | None]], parts: int, url: str, inputs: steps.BatchInputs,
                  workers: int | None, runner: str, deployment: str) -> list[FileOutcome]:
    """Hand `parts` slices of the files to flow runs of the files deployment and gather their outcomes."""
    from prefect.deployments import run_deployment

    paths = [p for p, _ in todo]
    slices = [paths[i::parts] for i in range(parts) if paths[i::parts]]
    params = {"url": url, "participants": [_participant_json(p) for p in inputs.participants],
              "rubric": inputs.rubric, "workers": workers, "runner": runner}

    parent = runtime.flow_run.name or "batch"

    def one(i_slice: tuple[int, list[str]]) -> list[FileOutcome]:
        i, part = i_slice
        run = run_deployment(deployment, parameters={**params, "paths": part}, timeout=None, poll_interval=2,
                             flow_run_name=f"{parent}-part{i + 1}")
        assert run.state is not None
        if not run.state.is_completed():
            return [steps.error_result(p, RuntimeError(f"flow run {run.name} ended {run.state.name}")).outcome
                    for p in part]
        return [FileOutcome(**o) for o in run.state.result()]

    with ThreadPoolExecutor(len(slices)) as ex:  # each thread gets a copy of the flow's context: subflow links
        futures = [ex.submit(contextvars.copy_context().run, one, item) for item in enumerate(slices)]
        return [o for f in futures for o in f.result()]


def _participant_json(p: Any) -> Any:
    return {"name": p.name, "aliases": list(p.aliases)} if hasattr(p, "aliases") else p


@flow(name="reportscore-files", log_prints=False, validate_parameters=False, persist_result=True)
def files_flow(paths: list[str], url: str, participants: list | None = None, rubric: str = "nantong_2024",
               workers: int | None = None, runner: str = "pool") -> list[dict]:
    """One slice of a split batch, on whichever worker picks it up: read and store these files."""
    parts = steps.coerce_participants(participants)
    version = steps.content_version(rubric, parts)
    outcomes = process_files([(p, None) for p in paths], url, parts, rubric, version,
                             workers or os.cpu_count() or 1, runner)
    return [steps.outcome_json(o) for o in outcomes]


@flow(name="reportscore-batch", log_prints=False, validate_parameters=False, persist_result=True)
def batch_flow(folder: str, url: str | None = None, inputs: steps.BatchInputs | dict | None = None,
               workers: int | None = None, runner: str = "pool", skip_stored: bool = True, split: int = 0,
               files_deployment: str = FILES_DEPLOYMENT) -> dict:
    """Process every report under `folder` into the database at `url`; returns the run's summary
    (its `run_id` finds every file's outcome, steps.run_outcomes, and the draft, steps.stored_draft).

    `skip_stored=False` submits every file and relies on the task cache instead (for
    measurements); `split > 1` spreads the files over that many `reportscore-files` runs.
    """
    t0 = time.perf_counter()
    url = url or steps.default_url()
    inputs = steps.coerce_inputs(inputs, folder)
    workers = workers or os.cpu_count() or 1
    version = steps.content_version(inputs.rubric, inputs.participants)
    plan = steps.plan_batch(url if skip_stored else None, steps.discover(folder), version)
    if Hooks.on_plan is not None:
        Hooks.on_plan(plan)
    t_plan = time.perf_counter()
    if split > 1 and plan.todo:
        read = _split_remote(plan.todo, split, url, inputs, workers, runner, files_deployment)
    else:
        read = process_files(plan.todo, url, inputs.participants, inputs.rubric, version, workers, runner, Hooks.on_file)
    t_read = time.perf_counter()
    summary = steps.batch_summary(plan, read)
    fingerprint = steps.scoring_fingerprint(url, inputs)
    unchanged = fingerprint == steps.last_scored(url)
    run_id = record_task(url, str(folder), inputs.rubric, quote(read + plan.stored), summary)
    if not unchanged:  # else the stored draft is already this run's draft
        score_task(url, inputs, run_id)
    steps.note_scored(url, run_id, fingerprint, rescored=not unchanged)
    steps.finish_summary(summary, run_id, not unchanged, t0, t_plan, t_read, workers, runner)
    # Only the summary is returned: Prefect walks a flow's return value (seconds for a
    # province's draft); every file's outcome and the draft are in the database.
    return summary
