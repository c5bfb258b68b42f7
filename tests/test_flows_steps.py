"""The batch's logic without a Prefect run: planning, failures as data, idempotent storage,
retry decisions, cache keys and the scoring fingerprint (plain functions and task.fn)."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from flows import steps

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
INPUTS = SAMPLES / "inputs"
DOCX = SAMPLES / "如东县7-8月劳动竞赛活动开展情况.docx"
PDF = SAMPLES / "崇川区7-8月份劳动竞赛进展情况报告.pdf"
OTHER = SAMPLES / "海安市_2024年7-8月劳动竞赛进展情况.docx"


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    for p in (DOCX, PDF):
        shutil.copy(p, d / p.name)
    (d / "损坏的报告.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)  # a PDF header, no PDF
    return d


def _results(folder: Path) -> list[steps.FileResult]:
    return [steps.process_file(p) for p in steps.discover(folder)]


def test_failing_file_is_an_outcome_and_the_others_go_on(folder, sqlite_url):
    results = _results(folder)
    by_name = {r.outcome.source: r.outcome for r in results}
    bad = by_name["损坏的报告.pdf"]
    assert bad.status == "failed" and bad.error_code and bad.message
    assert by_name[DOCX.name].status == "ok" and by_name[DOCX.name].claims > 0
    assert by_name[PDF.name].status == "ok"
    summary = steps.summarize([r.outcome for r in results])
    assert (summary["files"], summary["ok"], summary["failed"]) == (3, 2, 1)
    run_id = steps.record_run(sqlite_url, str(folder), "nantong_2024", [r.outcome for r in results], summary)

    from review.db import FileOutcomeRow
    from review.store import engine_for
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    with Session(engine_for(sqlite_url)) as s:
        rows = s.scalars(select(FileOutcomeRow).where(FileOutcomeRow.run_id == run_id)).all()
    assert {r.source: r.status for r in rows} == {r.outcome.source: r.outcome.status for r in results}


def test_plan_skips_stored_files_and_reads_a_changed_one(folder, sqlite_url):
    version = steps.content_version("nantong_2024")
    plan = steps.plan_batch(sqlite_url, steps.discover(folder), version)
    assert len(plan.todo) == 3 and not plan.stored
    results = _results(folder)
    assert steps.store_documents(sqlite_url, results, version) == 2  # the failed file has no document

    plan = steps.plan_batch(sqlite_url, steps.discover(folder), version)
    assert [Path(p).name for p, _ in plan.todo] == ["损坏的报告.pdf"]  # not stored: it goes to the task cache
    assert {o.source for o in plan.stored} == {DOCX.name, PDF.name}
    claims = {r.outcome.source: r.outcome.claims for r in results}
    assert all(o.cached and o.claims == claims[o.source] for o in plan.stored)

    shutil.copy(OTHER, folder / DOCX.name)  # the unit sends a corrected file under the same name
    plan = steps.plan_batch(sqlite_url, steps.discover(folder), version)
    assert sorted(Path(p).name for p, _ in plan.todo) == sorted([DOCX.name, "损坏的报告.pdf"])

    plan = steps.plan_batch(sqlite_url, steps.discover(folder), steps.content_version("nantong_2024", ("x",)))
    assert len(plan.todo) == 3  # another participant list: every stored document is stale


def test_same_content_twice_is_read_once(folder):
    shutil.copy(DOCX, folder / "副本.docx")
    plan = steps.plan_batch(None, steps.discover(folder), "v")
    dup = [o for o in plan.stored if o.status == "skipped"]
    assert len(dup) == 1 and dup[0].error_code == "duplicate" and len(plan.todo) == 3


def test_storage_is_idempotent(folder, sqlite_url):
    from review.db import BlockRow, ClaimRow, DocumentRow
    from review.store import engine_for
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    results = _results(folder)
    version = steps.content_version("nantong_2024")
    steps.store_documents(sqlite_url, results, version)

    def counts():
        with Session(engine_for(sqlite_url)) as s:
            return tuple(s.scalar(select(func.count()).select_from(t)) for t in (DocumentRow, ClaimRow, BlockRow))

    first = counts()
    assert steps.store_documents(sqlite_url, results, version) == 0
    assert steps.store_documents(sqlite_url, results[:1], version) == 0
    assert counts() == first and first[1] == sum(len(r.claims) for r in results)
    # the older all-in-one API still works and reports a run
    run_id = steps.store_results(sqlite_url, results, str(folder), "nantong_2024", {"files": 3})
    assert run_id > 0 and counts() == first


def test_only_converter_timeouts_are_retried(tmp_path):
    from prefect.states import Failed

    from extractors._common import Limits
    from flows import batch
    from reportscore.errors import DocumentError

    rtf = tmp_path / "进展情况.rtf"
    rtf.write_text(r"{\rtf1\ansi{\fonttbl\f0\fswiss Helvetica;}\f0\pard 完成公厕改造3座。\par}", encoding="ascii",
                   errors="ignore")
    with pytest.raises(steps.TransientFileError) as ei:
        steps.process_file(rtf, limits=Limits(subprocess_timeout=0.001), raise_transient=True)
    exc = ei.value
    assert exc.code == "conversion_timeout"
    assert pickle.loads(pickle.dumps(exc)).code == "conversion_timeout"  # crosses process boundaries
    # without raise_transient the timeout is the file's outcome, like any bad input
    r = steps.process_file(rtf, limits=Limits(subprocess_timeout=0.001))
    assert r.outcome.status == "failed" and r.outcome.error_code == "conversion_timeout"

    assert batch._retry_transient(None, None, Failed(data=exc)) is True
    assert batch._retry_transient(None, None, Failed(data=DocumentError("x.pdf", "not a PDF", "bad_magic"))) is False
    assert batch._retry_transient(None, None, Failed(data=ValueError("a bug"))) is False
    assert steps.error_result(str(rtf), exc).outcome.error_code == "conversion_timeout"
    assert steps.error_result(str(rtf), KeyError("x")).outcome.error_code == "internal_error"


def test_cache_key_is_content_plus_versions(tmp_path):
    from flows import batch

    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    shutil.copy(DOCX, a)
    shutil.copy(DOCX, b)
    key = lambda p, v: batch._file_key(None, {"path": str(p), "version": v})  # noqa: E731
    assert key(a, "r1:x") == key(b, "r1:x")  # same content under another name: one cache entry
    assert key(a, "r1:x") != key(a, "r2:x")  # new rules or rubric: read again
    shutil.copy(OTHER, b)
    assert key(a, "r1:x") != key(b, "r1:x")
    assert key(tmp_path / "missing.pdf", "r1:x") is None  # unreadable: never cached


def test_task_function_and_worker_pool_give_the_plain_result():
    from flows import batch

    direct = steps.process_file(DOCX)
    via_task = batch.process_file_task.fn(str(DOCX), (), "nantong_2024", "v")
    with steps.worker_pool(1):
        pooled = steps.process_file_pooled(DOCX)
    assert via_task.claims == direct.claims == pooled.claims
    assert pooled.document == direct.document


def test_scoring_fingerprint_follows_documents_and_inputs(folder, sqlite_url, tmp_path):
    inputs = steps.BatchInputs(plan=str(INPUTS / "plan_tasks.csv"), index=str(INPUTS / "clean_index.csv"))
    version = steps.content_version("nantong_2024")
    steps.store_documents(sqlite_url, _results(folder)[:1], version)
    fp = steps.scoring_fingerprint(sqlite_url, inputs)
    assert fp == steps.scoring_fingerprint(sqlite_url, inputs)
    assert steps.last_scored(sqlite_url) is None  # no draft yet: score

    run_id = steps.record_run(sqlite_url, str(folder), "nantong_2024", [], {})
    steps.score_stored(sqlite_url, inputs, run_id)
    steps.note_scored(sqlite_url, run_id, fp, rescored=True)
    assert steps.last_scored(sqlite_url) == fp
    assert steps.stored_draft(sqlite_url)

    index = tmp_path / "clean_index.csv"
    index.write_text((INPUTS / "clean_index.csv").read_text(encoding="utf-8").replace("94.1", "94.2"), encoding="utf-8")
    assert steps.scoring_fingerprint(sqlite_url, steps.BatchInputs(plan=inputs.plan, index=str(index))) != fp
    steps.store_documents(sqlite_url, _results(folder), version)
    assert steps.scoring_fingerprint(sqlite_url, inputs) != fp


def test_deployment_parameters_become_batch_inputs(tmp_path):
    (tmp_path / "participants.csv").write_text("unit,aliases\n崇川区,崇川\n", encoding="utf-8")
    got = steps.coerce_inputs({"rubric": "nantong_2024", "plan": None, "participants": None}, tmp_path)
    assert [p.name for p in got.participants] == ["崇川区"] and got.plan is None
    got = steps.coerce_inputs({"participants": [{"name": "海安市", "aliases": ["海安"]}]}, tmp_path)
    assert got.participants[0].aliases == ("海安",)
