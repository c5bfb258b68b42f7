"""The database schema (SQLAlchemy 2 ORM). SQLite by default, PostgreSQL by URL.

The schema is created and upgraded only through Alembic migrations
(review/migrations), never with `create_all`, so SQLite and PostgreSQL
databases of every age reach the same shape.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
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
