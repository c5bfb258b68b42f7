"""The review pages over HTTP: queue filters and counts, evidence with highlight and page
image, decisions through forms, manual points, unscored claims, admin inputs, CSV, CLI."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from review.db import DecisionRow
from review.store import engine_for
from tests.test_review_support import (  # noqa: F401  (db_url is a fixture)
    INPUTS, PASSWORD, ROOT, Client, add_user, db_url, proposals, rugao_report, run_pipeline, sample_files,
)

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")


@pytest.fixture
def site(db_url, tmp_path):
    from review.app import create_app

    run_pipeline(db_url, sample_files("崇川区", "如东县") + [rugao_report(tmp_path / "in", pdf=True)])
    add_user(db_url, "admin", "admin")
    add_user(db_url, "clerk")
    app = create_app(db_url, cache_dir=tmp_path / "pages")
    return db_url, app, Client(app, "clerk")


def test_queue_filters_counts_and_order(site):
    url, app, clerk = site
    html = clerk.get("/queue").text
    assert "待处理（待审+待复核）" in html and "审核队列" in html
    rows = proposals(url, kind="occurrence", active=True)
    assert rows, "the pipeline made no proposals"
    r = clerk.get("/queue?unit=如东县&state=all")
    assert r.status_code == 200 and "崇川区" not in r.text.split("<tbody>")[1]
    # order: by priority (effect on the ranking), then confidence
    from review import queue as Q

    with Session(engine_for(url)) as s:
        page, total = Q.page(s, Q.Filters())
        assert total == len(rows)
        keys = [(-p.priority, p.confidence, p.key) for p in page]
        assert keys == sorted(keys)
        counts = Q.counts(s, Q.Filters())
        assert counts["todo"] == counts["open"] + counts["rereview"] == total
    first = page[0]
    assert clerk.decide(first.key, "confirm", 0, fingerprint=first.fingerprint, f_state="todo").status_code == 303
    with Session(engine_for(url)) as s:
        assert Q.counts(s, Q.Filters())["confirmed"] == 1
        assert Q.counts(s, Q.Filters())["todo"] == total - 1
    assert first.key not in clerk.get("/queue").text or "已确认" in clerk.get("/queue?state=confirmed").text


def test_evidence_highlight_and_pdf_page_image(site, tmp_path):
    url, app, clerk = site
    case = next(p for p in proposals(url, unit="如皋市", item="innovation.case_adopted"))
    html = clerk.get(f"/proposal?key={case.key}").text
    assert "<mark>" in html and "被省住建厅采用" in html
    assert '<svg class="page"' in html and 'class="claim-box"' in html  # the paragraph box on the page
    ev = case.evidence[0]
    r = clerk.get(f"/page-image?sha={ev['sha']}&page={ev['page']}")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content[:4] == b"\x89PNG"
    cached = tmp_path / "pages" / f"{ev['sha']}-p{ev['page']}.png"
    assert cached.is_file()
    assert clerk.get(f"/page-image?sha={ev['sha']}&page=99").status_code == 404
    assert clerk.get("/page-image?sha=../../etc/passwd&page=1").status_code == 404
    # the default cache folder is next to the SQLite file
    from review.app import default_cache_dir

    if url.startswith("sqlite"):
        assert default_cache_dir(url) == Path(url[len("sqlite:///"):]).parent / "page-images"


def test_decisions_through_forms_change_the_sheet(site):
    url, app, clerk = site
    from review.web_sheet import sheet

    def confirmed(unit: str) -> float:
        with Session(engine_for(url)) as s:
            return next(r.confirmed for r in sheet(s)[0] if r.unit == unit)

    index = proposals(url, key="崇川区::service::clean_index")[0]
    before = confirmed("崇川区")
    r = clerk.decide(index.key, "points", 0, points="50", reason="复核干净指数", fingerprint=index.fingerprint)
    assert r.status_code == 303
    assert confirmed("崇川区") == pytest.approx(before + 50)
    r = clerk.decide(index.key, "points", 1, points="99")  # outside the rule's range 0..60
    assert r.status_code == 400 and "超出规则允许的范围" in r.text
    r = clerk.decide(index.key, "reject", 1, reason="")
    assert r.status_code == 400 and "理由" in r.text
    # undo through the header button (my latest change)
    assert clerk.post("/undo").status_code == 303
    assert confirmed("崇川区") == pytest.approx(before)
    # a manual point
    r = clerk.post("/manual", {"unit": "崇川区", "item": "innovation.reform", "points": "2", "note": "市委改革办通报"})
    assert r.status_code == 303 and "manual%3A" in r.headers["location"]
    assert confirmed("崇川区") == pytest.approx(before + 2)
    assert clerk.post("/manual", {"unit": "崇川区", "item": "innovation.reform", "points": "2", "note": ""}).status_code == 400
    csv_text = clerk.get("/sheet.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0][:3] == ["确认排名", "单位", "确认总分"]
    assert any(r[1] == "崇川区" and float(r[2]) == pytest.approx(before + 2) for r in rows[1:] if len(r) > 2 and r[1])
    page = clerk.get("/sheet/unit?unit=崇川区").text
    assert "市委改革办通报" in page


def test_unscored_claim_moved_to_an_item(site):
    url, app, clerk = site
    from review.web_sheet import decided_draft

    unscored = [p for p in proposals(url, kind="unscored", unit="崇川区") if p.reason == "unmapped"]
    assert unscored
    target = unscored[0]
    html = clerk.get("/queue?kind=unscored&unit=崇川区").text
    assert "未对应评分项" in html
    r = clerk.decide(target.key, "move", 0, item="innovation.reform")
    assert r.status_code == 303
    with Session(engine_for(url)) as s:
        assert s.get(DecisionRow, target.key).item == "innovation.reform"
        draft, _ = decided_draft(s)
        line = draft.line("崇川区", "innovation.reform")
        assert any(target.key == e.id for o in line.occurrences for e in o.evidence)
    r = clerk.decide(target.key, "move", 1, item="no.such.item")
    assert r.status_code == 400


def test_correcting_an_extracted_value(site):
    url, app, clerk = site
    planned = next(p for p in proposals(url, kind="unscored", unit="如皋市") if p.reason == "planned")
    r = clerk.decide(planned.key, "correct", 0, value="4", unit="座", status="done")
    assert r.status_code == 303
    with Session(engine_for(url)) as s:
        assert s.get(DecisionRow, planned.key).correction == {"value": 4.0, "unit": "座", "status": "done"}
    html = clerk.get(f"/proposal?key={planned.key}").text
    assert "更正为 4座" in html
    assert clerk.decide(planned.key, "correct", 1, value="abc", unit="座", status="done").status_code == 400


def test_admin_uploads_inputs_and_recomputes(site, tmp_path):
    url, app, clerk = site
    admin = Client(app, "admin")
    bad = tmp_path / "plan_bad.csv"
    bad.write_text("unit,item,task,target,measure,due\n崇川区,construction.toilet,新建公厕,5,座,明年\n", encoding="utf-8")
    r = admin.http.post("/admin/inputs", data={"kind": "plan_tasks", "csrf_token": admin.csrf},
                        files={"file": (bad.name, bad.read_bytes(), "text/csv")}, follow_redirects=False)
    assert r.status_code == 400 and "row 2" in r.text and "due" in r.text
    good = tmp_path / "plan_tasks_v2.csv"
    good.write_text((INPUTS / "plan_tasks.csv").read_text(encoding="utf-8")
                    + "如皋市,construction.toilet,新建公厕,3,座,2024-10-31\n", encoding="utf-8")
    r = admin.http.post("/admin/inputs", data={"kind": "plan_tasks", "csrf_token": admin.csrf},
                        files={"file": (good.name, good.read_bytes(), "text/csv")}, follow_redirects=False)
    assert r.status_code == 303
    assert proposals(url, key="task:plan_tasks_v2.csv:19")[0].unit == "如皋市"
    old = proposals(url, key="task:plan_tasks.csv:2")[0]
    assert not old.active  # the earlier file's rows left the queue; nothing was deleted
    page = admin.get("/admin/inputs").text
    assert "plan_tasks_v2.csv" in page and "plan_tasks.csv" in page
    assert admin.post("/admin/recompute").status_code == 303


def test_cli_users_and_review_server(tmp_path):
    """`reportscore users add` reads the password from stdin; `reportscore review` serves."""
    import socket
    import time
    import urllib.request

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    exe = [sys.executable, "-m", "reportscore.cli"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run(exe + ["review", "--db", db, "--port", "1"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 2 and "users add" in r.stderr  # no account yet: says how to make one
    r = subprocess.run(exe + ["users", "add", "王会计", "--role", "admin", "--db", db], input=PASSWORD + "\n",
                       capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(exe + ["users", "add", "王会计", "--db", db], input=PASSWORD + "\n",
                       capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 2 and "已存在" in r.stderr
    r = subprocess.run(exe + ["users", "add", "short", "--db", db], input="123\n", capture_output=True, text=True,
                       env=env, cwd=tmp_path)
    assert r.returncode == 2
    r = subprocess.run(exe + ["users", "list", "--db", db], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "王会计\tadmin\tactive" in r.stdout
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(exe + ["review", "--db", db, "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as resp:
                    assert resp.status == 200 and "登录" in resp.read().decode("utf-8")
                    break
            except OSError:
                assert time.time() < deadline and server.poll() is None, "the review server did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
