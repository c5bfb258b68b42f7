"""Shared pieces of the review tests (no tests here): a real pipeline run into a real
database, report files made on the spot, and logged-in HTTP clients.

Why a real run: the queue is only as right as the proposals the pipeline makes, so the
fixtures call flows.steps (process_file → store_results → score_stored) exactly as the
batch does, without Prefect (slow to start). Databases are a SQLite file per test and,
when REPORTSCORE_TEST_PG_URL is set, a fresh PostgreSQL database per test.
"""

from __future__ import annotations

import os
import re
import secrets
import warnings
from pathlib import Path
from typing import Iterator, Sequence

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tests.helpers.files import make_docx, make_pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
INPUTS = SAMPLES / "inputs"
SAMPLE_INPUTS = {"plan_tasks": INPUTS / "plan_tasks.csv", "clean_index": INPUTS / "clean_index.csv",
                 "findings": INPUTS / "findings.csv"}
PASSWORD = "correct horse battery"

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)

_RESULTS: dict[tuple[str, float, int], object] = {}


def participants():
    from extractors.metadata import load_participants

    return tuple(load_participants(SAMPLES / "participants.csv"))


def process(path: Path):
    """steps.process_file, memoised on path, mtime and size (the files never change under a key)."""
    from flows import steps

    st = path.stat()
    key = (str(path), st.st_mtime, st.st_size)
    if key not in _RESULTS:
        _RESULTS[key] = steps.process_file(path, participants())
    return _RESULTS[key]


def run_pipeline(url: str, paths: Sequence[Path], inputs: dict[str, Path] | None = None,
                 store_inputs: bool = True) -> int:
    """One batch over `paths` as the flow runs it; the input tables are stored in the
    database first (as an admin upload would), then scored. Returns the run id."""
    from flows import steps
    from review.store import engine_for
    from review.web_inputs import store_paths

    inputs = SAMPLE_INPUTS if inputs is None else inputs
    results = [process(Path(p)) for p in paths]
    run_id = steps.store_results(url, results, "tests", "nantong_2024", {"files": len(results)})
    if store_inputs:
        with Session(engine_for(url)) as s, s.begin():
            store_paths(s, user="test", **inputs)
    steps.score_stored(url, steps.BatchInputs(participants=participants(), plan=_s(inputs.get("plan_tasks")),
                                              index=_s(inputs.get("clean_index")),
                                              findings=_s(inputs.get("findings"))), run_id)
    return run_id


def _s(p: Path | None) -> str | None:
    return str(p) if p is not None else None


def sample_files(*units: str) -> list[Path]:
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".docx", ".pdf"))
    return [p for p in files if not units or any(p.name.startswith(u) for u in units)]


RUGAO = [
    "如皋市城市管理局关于2024年{period}劳动竞赛进展情况的报告",
    "市城管局环卫处：",
    "一、项目建设。今年以来，累计新建公厕{toilets}座、改造提升公厕8座。截至目前，累计改造中转站2座。",
    "二、创新创优。我市“垃圾分类积分超市”经验做法被省住建厅采用。<script>alert('x')</script>"
    "共开展专项整治行动45次，清运垃圾杂物1200余吨。",
    "三、下步计划。计划年内再改造中转站3座。",
    "如皋市城市管理局",
    "2024年{month}月5日",
]


def rugao_report(folder: Path, period: str = "5-6月", toilets: int = 3, pdf: bool = False, tag: str = "") -> Path:
    """A small report of 如皋市 with a case adopted, plan-task evidence, a clean action, a
    planned claim, and report text containing <script> (it must show as text)."""
    month = str(int(period.split("-")[1].rstrip("月")) + 1)
    paras = [p.format(period=period, toilets=toilets, month=month) for p in RUGAO]
    if tag:
        paras.insert(2, tag)
    name = f"如皋市_2024年{period}劳动竞赛进展情况{'_更正' if tag else ''}.{'pdf' if pdf else 'docx'}"
    folder.mkdir(parents=True, exist_ok=True)
    return (make_pdf if pdf else make_docx)(folder / name, paras)


# --- databases ---------------------------------------------------------------------------

@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'review.db'}"
        return
    yield from _postgres_db()


@pytest.fixture
def sqlite_db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'review.db'}"


def _postgres_db() -> Iterator[str]:
    base = os.environ.get("REPORTSCORE_TEST_PG_URL")
    if not base:
        pytest.skip("REPORTSCORE_TEST_PG_URL is not set")
    name = f"rs_review_{secrets.token_hex(6)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        from review.store import engine_for

        engine_for(url).dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- accounts and clients -------------------------------------------------------------------

def add_user(url: str, name: str, role: str = "reviewer", password: str = PASSWORD) -> None:
    from review import auth
    from review.store import engine_for

    with Session(engine_for(url)) as s, s.begin():
        auth.add_user(s, name, password, role)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


class Client:
    """A logged-in TestClient that knows its CSRF token."""

    def __init__(self, app, name: str, password: str = PASSWORD) -> None:
        from fastapi.testclient import TestClient

        self.http = TestClient(app)
        page = self.http.get("/login")
        r = self.http.post("/login", data={"name": name, "password": password, "csrf_token": csrf_of(page.text),
                                           "next": "/queue"}, follow_redirects=False)
        assert r.status_code == 303, r.text
        self.csrf = csrf_of(self.http.get("/queue").text)

    def get(self, url: str, **kw):
        return self.http.get(url, **kw)

    def post(self, url: str, data: dict | None = None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf)
        kw.setdefault("follow_redirects", False)
        return self.http.post(url, data=data, **kw)

    def decide(self, key: str, action: str, version: int, **fields):
        return self.post("/decide", {"key": key, "action": action, "version": str(version), **fields})


def proposals(url: str, **where) -> list:
    from sqlalchemy import select

    from review.db import ProposalRow
    from review.store import engine_for

    with Session(engine_for(url), expire_on_commit=False) as s:
        q = select(ProposalRow).order_by(ProposalRow.priority.desc(), ProposalRow.key)
        for k, v in where.items():
            q = q.where(getattr(ProposalRow, k) == v)
        rows = list(s.scalars(q))
        s.expunge_all()
        return rows


def snapshot_record(url: str) -> tuple[dict, dict]:
    """Every decision and every audit row, as plain data (to compare before and after)."""
    from sqlalchemy import select

    from review.db import AuditRow, DecisionRow
    from review.store import engine_for

    with Session(engine_for(url)) as s:
        decs = {d.key: (d.state, d.points, d.item, d.reason, d.correction, d.manual, d.version, d.decided_by)
                for d in s.scalars(select(DecisionRow))}
        audit = {a.id: (a.key, a.action, a.user, a.version, a.before, a.after, a.undoes, a.note)
                 for a in s.scalars(select(AuditRow))}
    return decs, audit
