"""The one end-to-end test of `reportscore run` on Prefect's embedded server (each run
costs seconds): a failing file among good ones, the unchanged re-run, a changed file."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli_run import SAMPLES, embedded_env, reports_folder, run_command

INPUTS = SAMPLES / "inputs"
KEEP = ["如东县7-8月劳动竞赛活动开展情况.docx", "崇川区7-8月份劳动竞赛进展情况报告.pdf",
        "海安市_2024年7-8月劳动竞赛进展情况.docx", "通州区2024年5-6月劳动竞赛进展情况报告.pdf"]
CORRECTED = "海安市2024年度环卫工作总结.pdf"  # sent later, under the name of another file


def run_cli(cwd: Path, folder: Path, db: str, *extra: str, timeout: float = 300) -> tuple[dict, str]:
    p = subprocess.run(run_command(folder, db, "--plan", str(INPUTS / "plan_tasks.csv"), "--index",
                                   str(INPUTS / "clean_index.csv"), "--findings", str(INPUTS / "findings.csv"), *extra),
                       cwd=cwd, env=embedded_env(cwd), capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout), p.stderr


@pytest.mark.slow
def test_batch_fails_one_file_reruns_nothing_and_rereads_only_the_changed_file(tmp_path, sqlite_url):
    folder = reports_folder(tmp_path, KEEP)
    (folder / "损坏的报告.docx").write_bytes(b"PK\x03\x04 this is not a zip")
    db = sqlite_url

    # 1: every file read; the broken one is a line of the summary, the batch goes on
    out, err = run_cli(tmp_path, folder, db)
    s = out["summary"]
    assert (s["files"], s["ok"], s["failed"], s["read"]) == (5, 4, 1, 5)
    failed = [f for f in out["files"] if f["status"] == "failed"]
    assert [f["source"] for f in failed] == ["损坏的报告.docx"] and failed[0]["error_code"]
    assert "损坏的报告.docx" in err and "reading" in err  # progress bar and the failure on stderr
    assert s["claims"] > 0 and out["draft"] and s["rescored"] is True
    assert s["prefect"] == "embedded" and s["seconds_prefect_fixed"] > 0

    # 2: nothing changed: stored files are not even submitted, the bad one is a task cache hit,
    # and the draft is reused rather than recomputed
    out2, _ = run_cli(tmp_path, folder, db)
    s2 = out2["summary"]
    assert s2["read"] == 0 and s2["not_submitted"] == 4 and s2["task_cache_hits"] == 1
    assert (s2["ok"], s2["failed"], s2["claims"]) == (4, 1, s["claims"])
    assert s2["rescored"] is False and out2["draft"] == out["draft"]

    # 3: one corrected file: exactly that file is read, and the draft is recomputed
    shutil.copy(SAMPLES / CORRECTED, folder / KEEP[3])
    out3, _ = run_cli(tmp_path, folder, db)
    s3 = out3["summary"]
    assert s3["read"] == 1 and s3["not_submitted"] == 3 and s3["task_cache_hits"] == 1
    reread = [f for f in out3["files"] if not f["cached"]]
    assert [f["source"] for f in reread] == [KEEP[3]] and reread[0]["status"] == "ok"
    assert s3["rescored"] is True

    from review.db import DocumentRow, FileOutcomeRow, RunRow
    from review.store import engine_for
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    with Session(engine_for(db)) as ses:
        assert ses.scalar(select(func.count()).select_from(DocumentRow)) == 5  # 4 + the corrected version
        assert ses.scalar(select(func.count()).select_from(RunRow).where(RunRow.finished.is_not(None))) == 3
        assert ses.scalar(select(func.count()).select_from(FileOutcomeRow)) == 15

    # 4: the broken file taken out: every file is stored and the draft is current, so
    # there is no task to run; the run is recorded without waiting for Prefect's server
    (folder / "损坏的报告.docx").unlink()
    out4, err4 = run_cli(tmp_path, folder, db)
    s4 = out4["summary"]
    assert (s4["files"], s4["read"], s4["not_submitted"], s4["rescored"]) == (4, 0, 4, False)
    assert s4["prefect"].startswith("not started") and "Prefect not started" in " ".join(err4.split())
    assert out4["draft"] == out3["draft"] and len(out4["files"]) == 4
    with Session(engine_for(db)) as ses:
        assert ses.scalar(select(func.count()).select_from(RunRow).where(RunRow.finished.is_not(None))) == 4
