"""Why a claim is done or planned (Claim.status_rule) travels from the extractor to the reviewer:
`reportscore extract` JSON, the database (migration 0003 on a database made at 0002), and the
evidence shown in the review UI ("计划（依据：计划章节）")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from extractors.pipeline import extract_claims
from extractors.readers import read_document
from reportscore.cli import main
from review.db import ClaimRow
from review.store import MIGRATIONS, engine_for, load_documents_and_claims, row_to_claim, save_document
from tests.helpers.files import make_docx
from tests.test_review_support import Client, add_user, db_url, proposals, run_pipeline  # noqa: F401 (db_url is a fixture)

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")

ROOT = Path(__file__).resolve().parent.parent
# A plan section (计划章节), a plan word (计划), and 将 (status.future_jiang)
PARAGRAPHS = [
    "如皋市城市管理局关于2024年5-6月劳动竞赛进展情况的报告",
    "一、工作进展",
    "今年以来，新建公厕3座。我市“垃圾分类积分超市”经验做法被省住建厅采用。",
    "二、下步工作计划",
    "新建公厕5座，改造中转站2座。",
    "下阶段，我局将新增垃圾分类亭4个。",
    "三、其他",
    "计划年内再改造中转站1座。",
]
# the `reportscore extract --format jsonl` keys before this change, in order: they must stay
OLD_KEYS = ["document", "sha256", "page", "block", "start", "end", "quote", "value", "unit", "subject", "action",
            "approximate", "status", "rubric_item", "confidence", "id", "rule_id", "value_max", "cumulative", "kind",
            "adopted_by", "adopted_level"]


@pytest.fixture
def report(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    return make_docx(folder / "如皋市_2024年5-6月劳动竞赛进展情况.docx", PARAGRAPHS)


def _rules(claims) -> dict[tuple[float, str], tuple[str, str]]:
    return {(c.value, c.unit): (c.status, c.status_rule) for c in claims}


def test_extractor_rule_reaches_the_claim(report):
    got = _rules(extract_claims(read_document(report)))
    assert got[3, "座"] == got[1, "个"] == ("done", "status.default")  # the case adopted is done
    assert got[5, "座"] == got[2, "座"] == ("planned", "status.plan_section")
    assert got[4, "个"] == ("planned", "status.future_jiang")
    assert got[1, "座"] == ("planned", "status.plan_word")


def test_extract_json_carries_status_rule(report, capsys):
    assert main(["extract", str(report), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows
    for r in rows:
        assert list(r) == OLD_KEYS + ["status_rule"]  # only added, at the end
        assert r["status_rule"].startswith("status.")
    assert {(r["value"], r["status"], r["status_rule"]) for r in rows} >= {
        (5, "planned", "status.plan_section"), (3, "done", "status.default")}


def test_stored_claim_keeps_status_rule(report, sqlite_url):
    doc = read_document(report)
    claims = extract_claims(doc)
    assert {c.status_rule for c in claims} >= {"status.plan_section", "status.future_jiang"}
    with Session(engine_for(sqlite_url)) as s, s.begin():
        assert save_document(s, doc, claims, "v1", str(report))
    # a fresh engine on the same file: what is read back is what the file holds
    engine = create_engine(sqlite_url)
    try:
        with Session(engine) as s:
            _, loaded = load_documents_and_claims(s)
            assert sorted(loaded, key=lambda c: c.id) == sorted(claims, key=lambda c: c.id)
            row = s.get(ClaimRow, next(c.id for c in claims if c.status_rule == "status.plan_section"))
            assert row is not None and row.status_rule == "status.plan_section"
            assert row_to_claim(row).status_rule == "status.plan_section"
    finally:
        engine.dispose()


def _alembic(url: str, revision: str, downgrade: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    engine = create_engine(url)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            (command.downgrade if downgrade else command.upgrade)(cfg, revision)
    finally:
        engine.dispose()


def _claim_columns(url: str) -> list[str]:
    from sqlalchemy import inspect

    engine = create_engine(url)
    try:
        return [c["name"] for c in inspect(engine).get_columns("claims")]
    finally:
        engine.dispose()


def test_database_at_0002_upgrades_and_keeps_its_rows(db_url):
    """A database made before status_rule existed (revision 0002, with a claim, a decision and
    an audit row) reaches 0003 when opened, with every row kept and "" as the unknown reason."""
    _alembic(db_url, "0002")
    assert "status_rule" not in _claim_columns(db_url)
    sha = "ab" * 32
    claim_id = f"{sha[:16]}:2:0-4:0"
    engine = create_engine(db_url)
    try:
        with engine.begin() as c:
            c.execute(text("INSERT INTO documents (sha256, source, path, kind, format, notes, rules_version, "
                           "first_seen, last_seen) VALUES (:sha, '如皋市.docx', '', 'progress', 'docx', '[]', 'old', "
                           "'2024-07-01 00:00:00', '2024-07-01 00:00:00')"), {"sha": sha})
            c.execute(text("INSERT INTO claims (id, document_sha256, block, start, \"end\", ordinal, quote, quote_start, "
                           "value, unit, subject, action, approximate, status, rule_id, candidates, confidence, "
                           "cumulative, negated, kind) VALUES (:id, :sha, 2, 0, 4, 0, '新建公厕5座', 0, 5, '座', '公厕', "
                           "'新建', false, 'planned', 'qty.count', '[]', 0.8, false, false, 'quantity')"),
                      {"id": claim_id, "sha": sha})
            c.execute(text("INSERT INTO decisions (key, state, reason, version, decided_by, decided_at) "
                           "VALUES (:k, 'confirmed', '核实', 1, 'clerk', '2024-07-02 00:00:00')"), {"k": claim_id})
            c.execute(text("INSERT INTO audit_log (key, action, \"user\", at, version, note) "
                           "VALUES (:k, 'confirm', 'clerk', '2024-07-02 00:00:00', 1, '')"), {"k": claim_id})
    finally:
        engine.dispose()

    engine = engine_for(db_url)  # how every command opens a database: migrated to head
    with engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0003"
        assert c.execute(text("SELECT count(*) FROM decisions")).scalar_one() == 1
        assert c.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 1
    with Session(engine) as s:
        row = s.get(ClaimRow, claim_id)
        assert row is not None and row.status_rule == "" and row.quote == "新建公厕5座" and row.status == "planned"
        claim = row_to_claim(row)
        assert claim.id == claim_id and claim.status_rule == "" and claim.value == 5
        # a new claim row without a reason given gets "" too (the server default of the column)
        s.execute(text("INSERT INTO claims (id, document_sha256, block, start, \"end\", ordinal, quote, quote_start, "
                       "value, unit, subject, action, approximate, status, rule_id, candidates, confidence, "
                       "cumulative, negated, kind) VALUES ('x:1:0-1:0', :sha, 1, 0, 1, 0, '3座', 0, 3, '座', '', '', "
                       "false, 'done', 'qty.count', '[]', 0.5, false, false, 'quantity')"), {"sha": sha})
        assert s.get(ClaimRow, "x:1:0-1:0").status_rule == ""
        s.rollback()
    # the audit log is still append-only after the table change (migration 0002's triggers)
    with pytest.raises(Exception), engine.begin() as c:
        c.execute(text("DELETE FROM audit_log"))
    engine.dispose()


def test_downgrade_to_0002_keeps_claims(sqlite_url):
    _alembic(sqlite_url, "head")
    assert "status_rule" in _claim_columns(sqlite_url)
    engine = create_engine(sqlite_url)
    try:
        with engine.begin() as c:
            c.execute(text("INSERT INTO documents (sha256, source, path, kind, format, notes, rules_version, "
                           "first_seen, last_seen) VALUES ('cd', 'a.docx', '', 'other', 'docx', '[]', 'v', "
                           "'2024-07-01', '2024-07-01')"))
            c.execute(text("INSERT INTO claims (id, document_sha256, block, start, \"end\", ordinal, quote, quote_start, "
                           "value, unit, subject, action, approximate, status, rule_id, candidates, confidence, "
                           "cumulative, negated, kind, status_rule) VALUES ('cd:1:0-2:0', 'cd', 1, 0, 2, 0, '5座', 0, 5, "
                           "'座', '', '', 0, 'planned', 'qty.count', '[]', 0.5, 0, 0, 'quantity', 'status.plan_word')"))
    finally:
        engine.dispose()
    _alembic(sqlite_url, "0002", downgrade=True)
    assert "status_rule" not in _claim_columns(sqlite_url)
    _alembic(sqlite_url, "head")
    engine = create_engine(sqlite_url)
    try:
        with engine.connect() as c:
            assert c.execute(text("SELECT id, status_rule FROM claims")).all() == [("cd:1:0-2:0", "")]
    finally:
        engine.dispose()


def test_every_status_rule_has_a_chinese_reason():
    """The plan-word rules of claims.yml and the rules of the extractor all read as words
    (a rule added without one shows its raw id: this test asks for the words)."""
    from review.web_common import STATUS_RULES, _status_reason

    data = yaml.safe_load((ROOT / "extractors" / "rules" / "claims.yml").read_text(encoding="utf-8"))
    ids = {r["id"] for r in data["status"]["planned"]}
    for src in ("extractors/status.py", "extractors/pipeline.py", "extractors/claims.py"):
        ids |= set(re.findall(r'"(status\.[a-z_]+)"', (ROOT / src).read_text(encoding="utf-8")))
    assert ids and ids <= set(STATUS_RULES), sorted(ids - set(STATUS_RULES))
    assert all(re.search(r"[\u4e00-\u9fff]", STATUS_RULES[i]) for i in ids)
    assert _status_reason("status.plan_section") == "计划章节"
    assert _status_reason("status.something_new") == "status.something_new"  # unknown: the raw id
    assert _status_reason("") == ""


def test_review_page_shows_why_a_claim_is_planned(db_url, report, tmp_path):
    from review.app import create_app

    run_pipeline(db_url, [report])
    add_user(db_url, "clerk")
    clerk = Client(create_app(db_url, cache_dir=tmp_path / "pages"), "clerk")
    planned = [p for p in proposals(db_url, kind="unscored", unit="如皋市") if p.reason == "planned"]
    assert planned
    with Session(engine_for(db_url)) as s:
        rules = {p.key: s.scalar(select(ClaimRow.status_rule).where(ClaimRow.id == p.claim_id)) for p in planned}
    seen = set()
    for p in planned:
        html = clerk.get(f"/proposal?key={p.key}").text
        want = {"status.plan_section": "计划（依据：计划章节）", "status.future_jiang": "计划（依据：句中有“将”）",
                "status.plan_word": "计划（依据：句中有计划词）"}.get(rules[p.key])
        if want:
            assert want in html, (rules[p.key], html)
            seen.add(rules[p.key])
    assert seen >= {"status.plan_section", "status.plan_word"}, rules
    # a done claim (the case adopted) shows no reason
    case = next(p for p in proposals(db_url, unit="如皋市", item="innovation.case_adopted"))
    html = clerk.get(f"/proposal?key={case.key}").text
    assert "被省住建厅采用" in html and "· 已完成" in html and "依据：" not in html
