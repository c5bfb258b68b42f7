"""The batch as plain functions: discover, plan, process one file, store, record, score.

Prefect tasks in batch.py call these and nothing else, so the same work can be timed
without Prefect (the benchmark) and tested without a Prefect server.

Incremental by content: a document is stored under its sha256 together with the
`content_version` it was produced with (extraction rules + rubric + participant list).
`plan_batch` asks the database which files are already stored under the current
version, so an unchanged file is neither read nor even submitted as a task.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from reportscore.errors import DocumentError
from reportscore.model import Claim, Document, FileOutcome

# Codes of DocumentError that a second attempt can cure (a busy machine, not a bad file).
TRANSIENT_CODES = frozenset({"conversion_timeout", "ocr_timeout"})


@dataclass(frozen=True)
class FileResult:
    """One file's outcome, and its document and claims when it was read."""

    outcome: FileOutcome
    document: Document | None = None
    claims: tuple[Claim, ...] = ()
    path: str = ""


@dataclass
class BatchInputs:
    """Everything a batch needs besides the report files."""

    participants: tuple = ()
    rubric: str = "nantong_2024"
    plan: str | None = None
    index: str | None = None
    findings: str | None = None
    workbook: str | None = None  # one .xlsx with sheets plan_tasks / clean_index / findings


@dataclass
class BatchPlan:
    """What a run has to do: files to read (with their sha256) and files already stored."""

    todo: list[tuple[str, str | None]] = field(default_factory=list)  # (path, sha256 or None if unreadable)
    stored: list[FileOutcome] = field(default_factory=list)  # outcome "ok", cached=True

    @property
    def files(self) -> int:
        return len(self.todo) + len(self.stored)


def discover(folder: Path | str) -> list[Path]:
    """Report files under `folder`, sorted, in every format a reader exists for."""
    from extractors.readers import READERS

    folder = Path(folder)
    if folder.is_file():
        return [folder]
    ignored = {"inputs"}
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in READERS and not (ignored & set(p.relative_to(folder).parts[:-1]))
        and not p.name.startswith((".", "~$"))
    )


def warm_up() -> None:
    """Initializer of every worker process: builds the claim pipeline, which loads jieba's
    user dictionary (process-global, not saved with the pipeline: PLATFORM.md)."""
    from extractors.pipeline import get_nlp
    from extractors.readers import read_document  # noqa: F401  (import cost paid once, up front)
    from scoring import map_claims  # noqa: F401

    get_nlp()


def preload(url: str) -> None:
    """Import what planning and storing need and open (migrate) the database: the CLI
    calls this while the embedded Prefect server starts, so it costs no wall time."""
    from extractors.readers import READERS  # noqa: F401
    from review.store import engine_for
    from scoring import load_rubric  # noqa: F401

    engine_for(url)


def worker_init() -> None:
    """Initializer of the batch's worker processes: warm up, and exit when the batch does.

    A batch killed with kill -9 cannot shut its pool down, and idle workers would wait
    on their queue forever; so each watches its parent and leaves when it is gone.
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
    warm_up()


def content_version(rubric: str = "nantong_2024", participants: Sequence = ()) -> str:
    """What a stored document was produced with, ≤ 40 characters (the column's size).

    Extraction rules (the first 16 characters, readable) and a digest of the rubric file
    plus the participant list (the unit of a report depends on it): a change to any of
    them makes stored documents stale, and only them.
    """
    from extractors.rules import rules_version
    from scoring import rubric_version

    extra = hashlib.sha256(f"{rubric_version(rubric)}|{sorted(repr(p) for p in participants)}".encode())
    return f"{rules_version()}:{extra.hexdigest()[:16]}"


def sha256_of(path: Path | str) -> str | None:
    """The file's content hash, or None when it cannot be read (the reader reports why)."""
    from extractors._common import file_sha256

    try:
        return file_sha256(Path(path))
    except OSError:
        return None


def plan_batch(url: str | None, files: Sequence[Path | str], version: str) -> BatchPlan:
    """Split `files` into those to read and those already stored under `version`.

    One query per 500 files: the unchanged re-run of a province costs a few queries,
    not a task per file. `url=None` plans every file for reading.
    """
    hashed = [(str(p), sha256_of(p)) for p in files]
    known: dict[str, int] = {}
    if url is not None:
        known = stored_claim_counts(url, [s for _, s in hashed if s], version)
    plan = BatchPlan()
    seen: set[str] = set()
    for path, sha in hashed:
        if sha is not None and sha in known:
            plan.stored.append(FileOutcome(Path(path).name, "ok", sha, None, None, known[sha], 0.0, True))
        elif sha is not None and sha in seen:  # the same content twice in one batch: read it once
            plan.stored.append(FileOutcome(Path(path).name, "skipped", sha, "duplicate",
                                           "same content as another file of this batch", 0, 0.0, True))
        else:
            plan.todo.append((path, sha))
        if sha is not None:
            seen.add(sha)
    return plan


def stored_claim_counts(url: str, shas: Sequence[str], version: str) -> dict[str, int]:
    """sha256 → number of claims, for the documents stored under `version`."""
    from review.db import ClaimRow, DocumentRow
    from review.store import engine_for
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    out: dict[str, int] = {}
    with Session(engine_for(url)) as s:
        for i in range(0, len(shas), 500):
            chunk = list(set(shas[i:i + 500]))
            docs = set(s.scalars(select(DocumentRow.sha256).where(DocumentRow.sha256.in_(chunk),
                                                                  DocumentRow.rules_version == version)))
            out.update(dict.fromkeys(docs, 0))
            if docs:
                out.update((sha, n) for sha, n in s.execute(select(ClaimRow.document_sha256, func.count()).where(
                    ClaimRow.document_sha256.in_(docs)).group_by(ClaimRow.document_sha256)).all())
    return out


class TransientFileError(Exception):
    """A converter timeout, raised (not recorded) so the Prefect task retries the file.

    Its own class because it crosses process boundaries: DocumentError cannot be
    unpickled (its constructor takes more arguments than it passes to Exception).
    """

    def __init__(self, source: str, message: str, code: str) -> None:
        super().__init__(source, message, code)
        self.source, self.message, self.code = source, message, code

    def __str__(self) -> str:
        return f"{self.source}: {self.message} ({self.code})"


def process_file(path: Path | str, participants: Sequence = (), rubric: str = "nantong_2024", *,
                 limits=None, raise_transient: bool = False) -> FileResult:
    """Read → extract → map one file. Bad input becomes a failed outcome; bugs propagate.

    With `raise_transient`, a timeout of LibreOffice or OCR raises TransientFileError
    instead, so the Prefect task can retry it (a retry can help there, never on a bad file).
    """
    from extractors.pipeline import extract_claims
    from extractors.readers import read_document
    from scoring import load_rubric, map_claims

    path = Path(path)
    t0 = time.perf_counter()
    try:
        doc = read_document(path, participants, limits=limits)
    except DocumentError as e:
        if raise_transient and e.code in TRANSIENT_CODES:
            raise TransientFileError(e.source, e.message, e.code) from None
        return FileResult(FileOutcome(path.name, "failed", None, e.code, e.message, 0, time.perf_counter() - t0),
                          path=str(path))
    claims = map_claims(extract_claims(doc), load_rubric(rubric))
    outcome = FileOutcome(path.name, "ok", doc.sha256, None, None, len(claims), time.perf_counter() - t0)
    return FileResult(outcome, doc, tuple(claims), str(path))


# The process pool of the current batch (see worker_pool); None: process files in the caller.
_POOL: ProcessPoolExecutor | None = None
_POOL_WORKERS = 0
_POOL_LOCK = threading.Lock()


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=worker_init)


@contextmanager
def worker_pool(workers: int) -> Iterator[None]:
    """Worker processes for the CPU-bound part of each file, for the batch's duration.

    Prefect tasks run in threads and hand their file to this pool: Prefect 3.8's own
    ProcessPoolTaskRunner re-creates its settings and API client for every task
    (≈0.4 s of CPU per task, measured), more than reading a typical report costs.
    Spawned, not forked: the parent runs Prefect's threads, and forking a threaded
    process can deadlock. Each worker loads the jieba dictionary once (worker_init).
    """
    global _POOL, _POOL_WORKERS
    with _POOL_LOCK:
        previous = (_POOL, _POOL_WORKERS)
        _POOL, _POOL_WORKERS = _new_pool(workers), workers
    try:
        yield
    finally:
        with _POOL_LOCK:
            pool = _POOL
            _POOL, _POOL_WORKERS = previous
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def process_file_pooled(path: Path | str, participants: Sequence = (), rubric: str = "nantong_2024", *,
                        raise_transient: bool = False) -> FileResult:
    """process_file in the batch's worker pool when there is one, else here.

    A worker that dies (a crash in a native PDF library, the OOM killer) breaks the
    whole pool: it is replaced and the file tried once more in the new one; if that
    one dies too, this file is the culprit and the error says so.
    """
    for attempt in (1, 2):
        pool = _POOL
        if pool is None:
            return process_file(path, participants, rubric, raise_transient=raise_transient)
        try:
            return pool.submit(process_file, str(path), tuple(participants), rubric,
                               raise_transient=raise_transient).result()
        except BrokenProcessPool:
            _replace_broken(pool)
            if attempt == 2:
                raise RuntimeError(f"the worker process reading {Path(path).name} died (twice)") from None
    raise AssertionError("unreachable")


def _replace_broken(broken: ProcessPoolExecutor) -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is broken:
            _POOL = _new_pool(_POOL_WORKERS)
            broken.shutdown(wait=False, cancel_futures=True)


def is_transient(exc: BaseException | None) -> bool:
    """Whether retrying the file can help: only I/O timeouts of external converters."""
    return getattr(exc, "code", None) in TRANSIENT_CODES


def error_result(path: str, exc: BaseException) -> FileResult:
    """A file whose task ended in an exception (a timeout after its retries, or a bug):
    still one line of the summary, so one file never stops the batch."""
    code = getattr(exc, "code", None) or "internal_error"
    message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    return FileResult(FileOutcome(Path(path).name, "failed", sha256_of(path), code, message, 0, 0.0), path=path)


def store_documents(url: str, results: Sequence[FileResult], version: str) -> int:
    """Save the read documents of `results` in one transaction; returns how many changed.

    Idempotent (keyed by sha256): a crash and a re-run store nothing twice, and a file
    stored before the crash is skipped by the next run's plan.
    """
    from review.store import engine_for, save_document
    from sqlalchemy.orm import Session

    changed = 0
    with Session(engine_for(url)) as s, s.begin():
        for r in results:
            if r.document is not None:
                changed += save_document(s, r.document, r.claims, version, r.path)
    return changed


def record_run(url: str, folder: str, rubric: str, outcomes: Sequence[FileOutcome], summary: dict) -> int:
    """The run and every file's outcome, in one transaction; returns the run id."""
    from review.store import engine_for, finish_run, start_run
    from sqlalchemy.orm import Session

    with Session(engine_for(url)) as s, s.begin():
        run_id = start_run(s, folder, rubric)
        finish_run(s, run_id, _unique_sources(outcomes), summary)
    return run_id


def _unique_sources(outcomes: Iterable[FileOutcome]) -> list[FileOutcome]:
    """file_outcomes is unique per (run, source): two files of one name in subfolders
    keep both lines, the second one named with a counter."""
    seen: dict[str, int] = {}
    out = []
    for o in outcomes:
        n = seen.get(o.source, 0)
        seen[o.source] = n + 1
        out.append(o if n == 0 else dataclasses.replace(o, source=f"{o.source} ({n + 1})"))
    return out


def store_results(url: str, results: Sequence[FileResult], folder: str, rubric: str, summary: dict) -> int:
    """Save every read file, then the run and its outcomes (the flow's two storage steps in
    one call, for callers without a flow); returns the run id."""
    store_documents(url, results, content_version(rubric))
    return record_run(url, folder, rubric, [r.outcome for r in results], summary)


def summarize(outcomes: Sequence[FileOutcome]) -> dict:
    """Counts of the run summary (every file's own line is in the outcomes)."""
    return {
        "files": len(outcomes),
        "ok": sum(o.status == "ok" for o in outcomes),
        "failed": sum(o.status == "failed" for o in outcomes),
        "skipped": sum(o.status == "skipped" for o in outcomes),
        "read": sum(not o.cached for o in outcomes),
        "unchanged": sum(o.cached for o in outcomes),
        "claims": sum(o.claims for o in outcomes),
    }


def batch_summary(plan: BatchPlan, read: Sequence[FileOutcome] = ()) -> dict:
    """The counts of a batch's summary: the files this run read and those its plan found stored."""
    summary = summarize([*read, *plan.stored])
    summary.update(not_submitted=len(plan.stored), task_cache_hits=sum(o.cached for o in read))
    return summary


def finish_summary(summary: dict, run_id: int, rescored: bool, t0: float, t_plan: float, t_read: float,
                   workers: int, runner: str) -> dict:
    """Add the run id and where the time went (start, planned, read, now) to a batch's summary."""
    t_end = time.perf_counter()
    summary.update(rescored=rescored, run_id=run_id, seconds_in_flow=round(t_end - t0, 3),
                   seconds_plan=round(t_plan - t0, 3), seconds_read=round(t_read - t_plan, 3),
                   seconds_score=round(t_end - t_read, 3), workers=workers, runner=runner)
    return summary


def default_url() -> str:
    from review.store import default_url as _default

    return _default()


def coerce_participants(value, folder: Path | str | None = None) -> tuple:
    """Participants from what a caller has: Participant objects, a CSV path, JSON-like
    dicts/lists (deployment parameters), or nothing (participants.csv next to the files)."""
    from extractors.metadata import Participant, load_participants

    if isinstance(value, (str, Path)) and str(value):
        return tuple(load_participants(value))
    if value:
        out = []
        for p in value:
            if isinstance(p, Participant):
                out.append(p)
            elif isinstance(p, dict):
                out.append(Participant(p["name"], tuple(p.get("aliases") or ())))
            elif isinstance(p, str):
                out.append(Participant(p))
            else:
                out.append(Participant(p[0], tuple(p[1]) if len(p) > 1 else ()))
        return tuple(out)
    if folder is not None:
        folder = Path(folder)
        for cand in (folder / "participants.csv", folder.parent / "participants.csv"):
            if cand.is_file():
                return tuple(load_participants(cand))
    return ()


def coerce_inputs(value: "BatchInputs | dict | None", folder: Path | str) -> BatchInputs:
    """BatchInputs from the CLI's object or a deployment's JSON parameters."""
    if isinstance(value, BatchInputs):
        inputs = dataclasses.replace(value)
    else:
        inputs = BatchInputs(**{k: v for k, v in (value or {}).items() if v is not None})
    inputs.participants = coerce_participants(inputs.participants, folder)
    return inputs


def outcome_json(o: FileOutcome) -> dict:
    return dataclasses.asdict(o)


# Scoring and run records live in score_steps.py (this module stays about reading files);
# they are re-exported so callers keep using flows.steps.
from .score_steps import (  # noqa: E402,F401
    each_stored_unit, last_scored, note_scored, record_unchanged_run, run_outcomes, score_stored, scoring_fingerprint,
    stored_draft,
)
