"""A real browser (Playwright driving Debian's chromium) against `reportscore review`.

A clerk logs in, confirms one proposal, rejects one and edits one with the keyboard
only, and sees the confirmed total on the score sheet change by exactly that much.
Screenshots go to artifacts/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.test_review_support import PASSWORD, ROOT, add_user, proposals, rugao_report, run_pipeline, sample_files

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A pipeline run on samples/ plus a report with <script> in it, and the real command."""
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / '.reportscore' / 'reportscore.db'}"
    run_pipeline(url, sample_files() + [rugao_report(folder / "in", pdf=True)])
    add_user(url, "clerk")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "reportscore.cli", "review", "--db", url, "--port", str(port)],
                            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/login", timeout=2).close()
            break
        except OSError:
            assert proc.poll() is None and time.time() < deadline, "reportscore review did not start"
            time.sleep(0.2)
    yield url, base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
        dialogs: list[str] = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.dialogs = dialogs  # type: ignore[attr-defined]
        yield pg
        browser.close()


def _confirmed_total(pg, base: str, unit: str) -> float:
    if not pg.url.endswith("/sheet"):
        pg.goto(f"{base}/sheet")
    pg.wait_for_load_state("load")
    return float(pg.locator(f'td.total[data-unit="{unit}"]').inner_text())


def _key(pg) -> str:
    return pg.locator("#form-confirm input[name=key]").get_attribute("value")


def test_keyboard_review_changes_the_score_sheet(server, page):
    url, base = server
    ARTIFACTS.mkdir(exist_ok=True)
    pg = page
    pg.goto(f"{base}/sheet")
    assert "/login" in pg.url  # no login, no sheet
    pg.fill("input[name=name]", "clerk")
    pg.fill("input[name=password]", PASSWORD)
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    assert pg.url.endswith("/sheet")
    unit = "崇川区"
    before = _confirmed_total(pg, base, unit)

    pg.goto(f"{base}/queue?unit={unit}")
    pg.keyboard.press("j")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/proposal?**")
    first = _key(pg)
    confirmed_points = float(pg.locator("#proposed-points").inner_text())

    with pg.expect_navigation():
        pg.keyboard.press("a")  # confirm, and on to the next proposal
    assert "已确认" in pg.locator(".flash").inner_text()
    second = _key(pg)
    assert second != first
    pg.wait_for_load_state("networkidle")
    if pg.locator("svg.page").count():
        pg.screenshot(path=str(ARTIFACTS / "review_proposal.png"), full_page=True)

    pg.keyboard.press("x")  # reject: the reason field opens focused
    assert pg.locator("#reject-reason").is_visible()
    pg.keyboard.type("证据不足")
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    assert "已驳回" in pg.locator(".flash").inner_text()
    third = _key(pg)
    assert third not in (first, second)

    pg.keyboard.press("e")  # edit: the points field opens focused
    field = pg.locator("#edit-points")
    assert field.is_visible() and field.evaluate("e => e === document.activeElement")
    new_points = float(field.get_attribute("min"))
    old_points = float(pg.locator("#proposed-points").inner_text())
    pg.keyboard.press("Control+A")
    pg.keyboard.type(f"{new_points:g}")
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    assert "已改分" in pg.locator(".flash").inner_text()
    assert _key(pg) == third  # an edit stays on its proposal
    if not (ARTIFACTS / "review_proposal.png").exists():
        pg.screenshot(path=str(ARTIFACTS / "review_proposal.png"), full_page=True)

    after = _confirmed_total(pg, base, unit)
    pg.screenshot(path=str(ARTIFACTS / "review_sheet.png"), full_page=True)
    assert after != before
    # only confirmed points count: the first proposal as proposed, the edited one at its new points;
    # the rejected one adds nothing (section caps do not bite in this unit)
    assert after == pytest.approx(round(before + confirmed_points + new_points, 2)), (before, after, old_points)

    from review.db import AuditRow, DecisionRow
    from review.store import engine_for

    with Session(engine_for(url)) as s:
        rows = list(s.scalars(select(AuditRow).where(AuditRow.user == "clerk").order_by(AuditRow.id)))
        assert [(a.key, a.action) for a in rows] == [(first, "confirm"), (second, "reject"), (third, "points")]
        assert s.get(DecisionRow, second).reason == "证据不足"

    # u undoes my latest change (the edit), from anywhere
    pg.goto(f"{base}/queue")
    with pg.expect_navigation():
        pg.keyboard.press("u")
    assert "已撤销" in pg.locator(".flash").inner_text()
    assert _confirmed_total(pg, base, unit) == pytest.approx(round(before + confirmed_points, 2))


def test_report_script_is_text_in_the_browser(server, page):
    url, base = server
    pg = page
    pg.goto(f"{base}/login")
    pg.fill("input[name=name]", "clerk")
    pg.fill("input[name=password]", PASSWORD)
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    case = next(p for p in proposals(url, unit="如皋市", item="innovation.case_adopted"))
    pg.goto(f"{base}/proposal?key={case.key}")
    pg.wait_for_load_state("networkidle")
    assert pg.get_by_text("<script>alert('x')</script>", exact=False).count() >= 1
    assert pg.dialogs == []  # type: ignore[attr-defined]
    assert pg.locator("main script").count() == 0
    pg.screenshot(path=str(ARTIFACTS / "review_script_as_text.png"), full_page=False)
