"""The batch as plain functions: discover, process one file, store, score.

Prefect tasks in batch.py call these and nothing else, so the same work can be timed
without Prefect (the benchmark) and tested without a Prefect server.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from reportscore.errors import DocumentError
from reportscore.model import Claim, Document, FileOutcome


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


def process_file(path: Path | str, participants: Sequence = (), rubric: str = "nantong_2024") -> FileResult:
    """Read → extract → map one file. Bad input becomes a failed outcome; bugs propagate."""
    from extractors.pipeline import extract_claims
    from extractors.readers import read_document
    from scoring import load_rubric, map_claims

    path = Path(path)
    t0 = time.perf_counter()
    try:
        doc = read_document(path, participants)
    except DocumentError as e:
        return FileResult(FileOutcome(path.name, "failed", None, e.code, e.message, 0, time.perf_counter() - t0),
                          path=str(path))
    claims = map_claims(extract_claims(doc), load_rubric(rubric))
    outcome = FileOutcome(path.name, "ok", doc.sha256, None, None, len(claims), time.perf_counter() - t0)
    return FileResult(outcome, doc, tuple(claims), str(path))


def store_results(url: str, results: Sequence[FileResult], folder: str, rubric: str, summary: dict) -> int:
    """Save every read file and the run's outcomes in one transaction; returns the run id."""
    from extractors.rules import rules_version
    from review.store import engine_for, finish_run, save_document, start_run
    from sqlalchemy.orm import Session

    with Session(engine_for(url)) as s, s.begin():
        run_id = start_run(s, folder, rubric)
        for r in results:
            if r.document is not None:
                save_document(s, r.document, r.claims, rules_version() + ":" + _rubric_version(rubric), r.path)
        finish_run(s, run_id, [r.outcome for r in results], summary)
    return run_id


def _rubric_version(rubric: str) -> str:
    from scoring import load_rubric

    return load_rubric(rubric).version


def score_stored(url: str, inputs: BatchInputs, run_id: int | None):
    """Score everything in the database (all periods of every unit) and store the draft."""
    from review import proposals
    from review.store import engine_for, load_documents_and_claims, save_draft
    from scoring import build_draft, load_inputs, load_rubric
    from sqlalchemy.orm import Session

    rubric = load_rubric(inputs.rubric)
    extra = load_inputs(plan_tasks=inputs.plan, clean_index=inputs.index, findings=inputs.findings,
                        workbook=inputs.workbook, rubric=rubric)
    with Session(engine_for(url)) as s, s.begin():
        docs, claims = load_documents_and_claims(s)
        draft = build_draft(docs, claims, rubric, extra)
        save_draft(s, run_id, draft.to_json())
        proposals.sync(s, draft, run_id)
    return draft
