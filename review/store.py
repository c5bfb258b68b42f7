"""Storage API: open a database, migrate it, save documents/claims/drafts idempotently.

Everything is keyed by content: a document by its sha256, a claim by document sha256
plus span, so processing the same file twice changes nothing and decisions made on a
claim find it again after a re-run.
"""

from __future__ import annotations

import dataclasses
import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from sqlalchemy import Engine, create_engine, delete, event, insert, select
from sqlalchemy.orm import Session

from reportscore.model import Block, Claim, Document, FileOutcome

from .db import BlockRow, ClaimRow, DocumentRow, DraftRow, DraftUnitRow, FileOutcomeRow, RunRow, utcnow

MIGRATIONS = Path(__file__).parent / "migrations"


def default_url(make_dir: bool = True) -> str:
    """REPORTSCORE_DB, else a SQLite file under ./.reportscore/ (the path is printed by the CLI).

    `make_dir=False` for commands that only read: they must not create the folder."""
    env = os.environ.get("REPORTSCORE_DB")
    if env:
        return env
    path = Path.cwd() / ".reportscore" / "reportscore.db"
    if make_dir:
        path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database; None for a server database or an in-memory one."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return Path(u.database)
    return None


def describe_url(url: str) -> str:
    """Where the results are, for people: the file path for SQLite, the URL without password otherwise."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return str(Path(u.database or "").resolve())
    return u.render_as_string(hide_password=True)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine per URL per process, migrated to the newest schema."""
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(url, future=True)
    if eng.dialect.name == "sqlite":

        @event.listens_for(eng, "connect")
        def _pragmas(dbapi_conn, _):  # WAL: readers (the web UI) do not block the batch writer
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

    migrate(eng)
    return eng


def migrate(engine: Engine) -> None:
    """Run Alembic's `upgrade head` on this engine."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # Alembic reads options through ConfigParser interpolation: a literal % must be doubled
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _block_values(sha: str, b: Block) -> dict:
    return dict(document_sha256=sha, index=b.index, text=b.text, page=b.page, location=b.location,
                kind=b.kind, level=b.level, bbox=list(b.bbox) if b.bbox else None, context=b.context,
                ocr_confidence=b.ocr_confidence)


_CLAIM_FIELDS = tuple(f.name for f in dataclasses.fields(Claim) if f.name != "candidates")


def _claim_values(c: Claim) -> dict:
    d = {k: getattr(c, k) for k in _CLAIM_FIELDS}  # not dataclasses.asdict: it deep-copies, 5× slower
    d["candidates"] = [list(x) for x in c.candidates]
    d["id"] = c.id
    return d


def save_document(session: Session, doc: Document, claims: Sequence[Claim], rules_version: str, path: str = "") -> bool:
    """Insert or refresh one document with its blocks and claims. Returns True when anything changed.

    Same sha256 and same rules version: nothing is written but `last_seen`. New rules:
    the claims are replaced (decisions live in their own table, keyed by claim id, and
    re-attach to the claims that come back with the same span).
    """
    row = session.get(DocumentRow, doc.sha256)
    if row is not None and row.rules_version == rules_version:
        row.last_seen = utcnow()
        return False
    if row is None:
        row = DocumentRow(sha256=doc.sha256, source=doc.source)
        session.add(row)
    row.source, row.path, row.unit, row.period, row.kind = doc.source, path, doc.unit, doc.period, doc.kind
    row.report_date, row.pages, row.format, row.notes = doc.report_date, doc.pages, doc.format, list(doc.notes)
    row.rules_version, row.last_seen = rules_version, utcnow()
    session.flush()
    session.execute(delete(ClaimRow).where(ClaimRow.document_sha256 == doc.sha256))
    session.execute(delete(BlockRow).where(BlockRow.document_sha256 == doc.sha256))
    # bulk INSERTs (executemany), not one ORM object per row: a report has hundreds of
    # blocks and claims, and storing them was 40 % of a batch's CPU
    # (Core executemany on the tables: the ORM's bulk path costs twice as much per row)
    conn = session.connection()
    if doc.blocks:
        conn.execute(insert(BlockRow.__table__), [_block_values(doc.sha256, b) for b in doc.blocks])
    if claims:
        conn.execute(insert(ClaimRow.__table__), [_claim_values(c) for c in claims])
    return True


def start_run(session: Session, folder: str, rubric: str) -> int:
    run = RunRow(folder=folder, rubric=rubric)
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, outcomes: Iterable[FileOutcome], summary: dict) -> None:
    run = session.get(RunRow, run_id)
    assert run is not None
    for o in outcomes:
        session.add(FileOutcomeRow(run_id=run_id, **dataclasses.asdict(o)))
    run.finished, run.summary = utcnow(), summary


def clear_draft(session: Session) -> None:
    session.execute(delete(DraftRow))
    session.execute(delete(DraftUnitRow))


def add_draft_unit(session: Session, run_id: int | None, u: dict, rank: int) -> None:
    """Store one unit of a draft (a `reportscore draft --format json` object) and its items."""
    session.add(DraftUnitRow(unit=u["unit"], run_id=run_id, total=u["total"], rank=rank, data=u))
    for it in u["items"]:
        session.add(DraftRow(run_id=run_id, unit=u["unit"], item=it["item"], data=it))


def save_draft(session: Session, run_id: int | None, units: Sequence[dict]) -> None:
    """Replace the stored draft by `units` (the `reportscore draft --format json` objects)."""
    clear_draft(session)
    for u in units:
        add_draft_unit(session, run_id, u, u["rank"])


def iter_draft(session: Session) -> Iterator[dict]:
    """The stored draft unit by unit, in rank order, without holding it all (a province's
    draft is large); a unit's rank is its column (set once every unit is scored)."""
    q = select(DraftUnitRow).order_by(DraftUnitRow.rank, DraftUnitRow.unit).execution_options(yield_per=10)
    for r in session.scalars(q):
        yield {**r.data, "rank": r.rank}
        session.expunge(r)


def load_draft(session: Session) -> list[dict]:
    return list(iter_draft(session))


def row_to_claim(r: ClaimRow) -> Claim:
    fields = {f.name for f in dataclasses.fields(Claim)}
    d = {k: getattr(r, k) for k in fields if k != "candidates"}
    d["candidates"] = tuple(tuple(x) for x in (r.candidates or []))
    return Claim(**d)


def row_to_document(r: DocumentRow, blocks: Sequence[BlockRow] = ()) -> Document:
    return Document(
        source=r.source, sha256=r.sha256, unit=r.unit, period=r.period, kind=r.kind,  # type: ignore[arg-type]
        report_date=r.report_date, pages=r.pages, format=r.format, notes=tuple(r.notes or ()),
        blocks=tuple(Block(index=b.index, text=b.text, page=b.page, location=b.location, kind=b.kind,  # type: ignore[arg-type]
                           level=b.level, bbox=tuple(b.bbox) if b.bbox else None, context=b.context,
                           ocr_confidence=b.ocr_confidence) for b in blocks),
    )


def load_documents_and_claims(session: Session) -> tuple[list[Document], list[Claim]]:
    """Everything stored (without blocks): the input of scoring across all periods."""
    docs = [row_to_document(r) for r in session.scalars(select(DocumentRow))]
    claims = [row_to_claim(r) for r in session.scalars(select(ClaimRow).order_by(ClaimRow.document_sha256, ClaimRow.block, ClaimRow.start, ClaimRow.ordinal))]
    return docs, claims
