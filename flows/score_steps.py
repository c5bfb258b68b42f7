"""The batch's scoring steps: fingerprint of what the draft depends on, scoring once per
batch, and the run records the CLI reports from. Plain functions, called by flows.batch."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Iterator

from reportscore.model import FileOutcome

from .steps import BatchInputs, sha256_of


def scoring_fingerprint(url: str, inputs: BatchInputs) -> str:
    """Everything the draft depends on: the stored documents (sha256 and version), the
    input tables' contents, the rubric and the scoring code version. Equal fingerprints
    mean re-scoring would produce the stored draft again, so an unchanged re-run skips it."""
    from review.db import DocumentRow
    from review.store import engine_for
    from scoring import SCORING_VERSION, rubric_version
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    h = hashlib.sha256(f"{SCORING_VERSION}|{rubric_version(inputs.rubric)}".encode())
    for name in ("plan", "index", "findings", "workbook"):
        path = getattr(inputs, name)
        h.update(f"|{name}={sha256_of(path) if path else None}".encode())
    with Session(engine_for(url)) as s:
        for sha, version in s.execute(select(DocumentRow.sha256, DocumentRow.rules_version).order_by(DocumentRow.sha256)):
            h.update(f"|{sha}:{version}".encode())
    return h.hexdigest()[:32]


def last_scored(url: str) -> str | None:
    """The fingerprint the stored draft was made from (None: unknown, score again)."""
    from review.db import DraftUnitRow, RunRow
    from review.store import engine_for
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    with Session(engine_for(url)) as s:
        if s.scalars(select(DraftUnitRow.unit).limit(1)).first() is None:
            return None
        for summary in s.scalars(select(RunRow.summary).where(RunRow.finished.is_not(None)).order_by(RunRow.id.desc()).limit(20)):
            if summary and summary.get("scored_fingerprint"):
                return summary["scored_fingerprint"]
    return None


def note_scored(url: str, run_id: int, fingerprint: str, rescored: bool) -> None:
    """Remember which fingerprint the stored draft belongs to, once it is stored."""
    from review.db import RunRow
    from review.store import engine_for
    from sqlalchemy.orm import Session

    with Session(engine_for(url)) as s, s.begin():
        run = s.get(RunRow, run_id)
        if run is not None:
            run.summary = {**(run.summary or {}), "scored_fingerprint": fingerprint, "rescored": rescored}


def run_outcomes(url: str, run_id: int) -> list[dict]:
    """Every file's outcome of a run, as stored (the `--json` "files" list)."""
    from review.db import FileOutcomeRow
    from review.store import engine_for
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    fields = [f.name for f in dataclasses.fields(FileOutcome)]
    with Session(engine_for(url)) as s:
        rows = s.scalars(select(FileOutcomeRow).where(FileOutcomeRow.run_id == run_id).order_by(FileOutcomeRow.id))
        return [{k: getattr(r, k) for k in fields} for r in rows]


def stored_draft(url: str) -> list[dict]:
    """The draft as stored by the last scoring (the `reportscore draft --format json` objects)."""
    return list(each_stored_unit(url))


def each_stored_unit(url: str) -> Iterator[dict]:
    """The stored draft one unit at a time, for printing a large draft without holding it."""
    from review.store import engine_for, iter_draft
    from sqlalchemy.orm import Session

    with Session(engine_for(url)) as s:
        yield from iter_draft(s)


def score_stored(url: str, inputs: BatchInputs, run_id: int | None) -> None:
    """Score everything in the database (all periods of every unit) and store the draft
    and the review queue's proposals, one unit at a time (memory follows the largest
    unit, not the batch)."""
    from review import proposals, web_sheet
    from review.store import engine_for
    from review.web_inputs import store_paths
    from scoring import load_rubric
    from sqlalchemy.orm import Session

    rubric = load_rubric(inputs.rubric)
    with Session(engine_for(url)) as s, s.begin():
        # the inputs go into the database first: the draft is built from what is stored,
        # so the queue and the score sheet recompute the same draft after decisions
        store_paths(s, user="cli", rubric=rubric, plan_tasks=inputs.plan, clean_index=inputs.index,
                    findings=inputs.findings, workbook=inputs.workbook)
        web_sheet.set_setting(s, "rubric", inputs.rubric)
        proposals.rescore(s, run_id)


def record_unchanged_run(folder: str, url: str, inputs: BatchInputs, workers: int, runner: str) -> dict | None:
    """A run with nothing to do, recorded without Prefect; None when there is work.

    Nothing to do: every file is stored under the current content version and the
    stored draft was made from exactly what the database and input tables hold now.
    Such a run has no task to orchestrate, so the CLI does not wait for Prefect's
    embedded server (≈5 s) only to record it: the run and every file's outcome are
    stored as the flow would store them, and the summary says Prefect was not started.
    """
    import time

    from .steps import batch_summary, content_version, discover, finish_summary, plan_batch, record_run

    t0 = time.perf_counter()
    plan = plan_batch(url, discover(folder), content_version(inputs.rubric, inputs.participants))
    if plan.todo:
        return None
    t_plan = time.perf_counter()
    fingerprint = scoring_fingerprint(url, inputs)
    if fingerprint != last_scored(url):
        return None
    summary = batch_summary(plan)
    run_id = record_run(url, folder, inputs.rubric, plan.stored, summary)
    note_scored(url, run_id, fingerprint, rescored=False)
    return finish_summary(summary, run_id, False, t0, t_plan, t_plan, workers, runner)  # nothing read
