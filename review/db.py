"""The database schema (SQLAlchemy 2 ORM). SQLite by default, PostgreSQL by URL.

The schema is created and upgraded only through Alembic migrations
(review/migrations), never with `create_all`, so SQLite and PostgreSQL
databases of every age reach the same shape.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    path: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    period: Mapped[str | None] = mapped_column(String(40), nullable=True)
    kind: Mapped[str] = mapped_column(String(20), default="other")
    report_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    format: Mapped[str] = mapped_column(String(10), default="")
    notes: Mapped[list] = mapped_column(JSON, default=list)
    rules_version: Mapped[str] = mapped_column(String(40), default="")
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BlockRow(Base):
    __tablename__ = "blocks"
    document_sha256: Mapped[str] = mapped_column(ForeignKey("documents.sha256", ondelete="CASCADE"), primary_key=True)
    index: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default="paragraph")
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    bbox: Mapped[list | None] = mapped_column(JSON, nullable=True)
    context: Mapped[str] = mapped_column(Text, default="")
    ocr_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)


class ClaimRow(Base):
    __tablename__ = "claims"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    document_sha256: Mapped[str] = mapped_column(ForeignKey("documents.sha256", ondelete="CASCADE"), index=True)
    block: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    quote: Mapped[str] = mapped_column(Text)
    quote_start: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(String(40), default="")
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10))
    rule_id: Mapped[str] = mapped_column(String(80))
    rubric_item: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    candidates: Mapped[list] = mapped_column(JSON, default=list)
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    cumulative: Mapped[bool] = mapped_column(Boolean, default=False)
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(20), default="quantity")
    adopted_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    adopted_level: Mapped[str | None] = mapped_column(String(20), nullable=True)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status_rule: Mapped[str] = mapped_column(String(80), default="")  # why done/planned (migration 0003)


class RunRow(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    folder: Mapped[str] = mapped_column(Text, default="")
    rubric: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[dict] = mapped_column(JSON, default=dict)


class FileOutcomeRow(Base):
    __tablename__ = "file_outcomes"
    __table_args__ = (UniqueConstraint("run_id", "source", name="uq_outcome_run_source"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    claims: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    cached: Mapped[bool] = mapped_column(Boolean, default=False)


class DraftRow(Base):
    """The latest proposed draft, one row per unit and rubric item (replaced by every run)."""

    __tablename__ = "draft_items"
    __table_args__ = (UniqueConstraint("unit", "item", name="uq_draft_unit_item"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    unit: Mapped[str] = mapped_column(String(100), index=True)
    item: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict] = mapped_column(JSON, default=dict)


class DraftUnitRow(Base):
    __tablename__ = "draft_units"
    unit: Mapped[str] = mapped_column(String(100), primary_key=True)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    total: Mapped[float] = mapped_column(Float, default=0.0)
    rank: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict] = mapped_column(JSON, default=dict)


# --- the review layer (issue 6): people, proposals, decisions and their audit log ---------
#
# Decisions are the product's real output, so they live apart from everything a re-run
# rewrites: `proposals` and `decision_links` are derived (rebuilt by review.rescoring),
# `decisions` holds the current word of a reviewer per key, and `audit_log` holds every
# change ever made (database triggers refuse UPDATE and DELETE on it, see migration 0002).


class UserRow(Base):
    """A person who may log in; never deleted (the audit log names them), only disabled."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="reviewer")  # reviewer | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ProposalRow(Base):
    """One proposal of the queue: an Occurrence of the latest draft (claim → item → points),
    an unscored claim, or a manual point. Keyed by Occurrence.key, so it is found again by
    every re-run; rows are deactivated, never deleted, when a draft no longer has them."""

    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_queue", "active", "state", "priority"),)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="occurrence")  # occurrence | unscored | manual
    unit: Mapped[str] = mapped_column(String(100), default="", index=True)
    item: Mapped[str] = mapped_column(String(80), default="", index=True)
    period: Mapped[str] = mapped_column(String(40), default="", index=True)
    rule_id: Mapped[str] = mapped_column(String(80), default="")
    rule_text: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[float] = mapped_column(Float, default=0.0)
    range_lo: Mapped[float] = mapped_column(Float, default=0.0)
    range_hi: Mapped[float] = mapped_column(Float, default=0.0)
    detail: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(String(20), default="")  # why an unscored claim counts for nothing
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    flags: Mapped[list] = mapped_column(JSON, default=list)
    claim_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    document_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    subject: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    measure: Mapped[str] = mapped_column(String(40), default="")
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    effect: Mapped[float] = mapped_column(Float, default=0.0)  # most points this proposal can move
    gap: Mapped[float] = mapped_column(Float, default=0.0)  # distance of its unit to the nearest neighbour
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(12), default="open")  # open | rereview | confirmed | rejected
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    rereview_of: Mapped[list] = mapped_column(JSON, default=list)
    first_run: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_run: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DecisionRow(Base):
    """A reviewer's current word on one key (a proposal key or an evidence claim id).

    Never deleted: undo sets `state` back to None and bumps `version`. `version` is the
    optimistic lock: a form carries the version it was rendered with."""

    __tablename__ = "decisions"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(12), nullable=True)  # confirmed | rejected | None
    points: Mapped[float | None] = mapped_column(Float, nullable=True)
    item: Mapped[str | None] = mapped_column(String(80), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    correction: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # {value, unit, status}
    manual: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # {unit, item, points, note}
    basis: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # what the reviewer saw
    version: Mapped[int] = mapped_column(Integer, default=0)
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditRow(Base):
    """Append-only: who changed which key when, from what to what."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(20))
    user: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer)
    before: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    undoes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class DecisionLinkRow(Base):
    """Derived at every sync: where a decision's key is now (a proposal, evidence of one, or
    nowhere) and which new proposals should be re-reviewed in its light."""

    __tablename__ = "decision_links"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    attached_to: Mapped[str | None] = mapped_column(String(200), nullable=True)
    successors: Mapped[list] = mapped_column(JSON, default=list)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class InputFileRow(Base):
    """An uploaded input table (plan tasks, 干净指数, findings, or a workbook), kept whole so
    scoring can be recomputed from the database alone; the newest active one per kind counts."""

    __tablename__ = "input_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # plan_tasks | clean_index | findings | workbook
    filename: Mapped[str] = mapped_column(String(300))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(100), default="")
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SettingRow(Base):
    """Small key/value state of the review layer (session secret, rubric, warnings)."""

    __tablename__ = "review_settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
