"""The one data model every layer shares: small frozen dataclasses.

Offsets always point into the exact text as read: ``block.text[c.start:c.end]`` is
the claim's own text and ``c.quote`` is a substring of ``block.text`` starting at
``c.quote_start``. Normalisation (numbers, units) lives in values, never in text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

BlockKind = Literal[
    "paragraph", "heading", "list_item", "table_cell", "textbox", "footnote", "boilerplate"
]
ReportKind = Literal["progress", "year_end", "other"]
Status = Literal["done", "planned"]


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of text in document order, exactly as read from the file."""

    index: int
    text: str
    page: int | None = None
    location: str = ""
    kind: BlockKind = "paragraph"
    level: int | None = None  # outline level of a heading
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    context: str = ""  # table header / row label, or the heading path, for the reader
    ocr_confidence: float | None = None  # 0..1 when the text came from OCR


@dataclass(frozen=True, slots=True)
class Document:
    """One submitted file after reading; `unit`/`period`/`kind` are best guesses with notes."""

    source: str
    sha256: str
    blocks: tuple[Block, ...]
    unit: str | None = None
    period: str | None = None
    kind: ReportKind = "other"
    report_date: str | None = None
    pages: int | None = None
    format: str = ""
    notes: tuple[str, ...] = ()  # what the reviewer should know (disagreeing signals, OCR pages…)


@dataclass(frozen=True, slots=True)
class Claim:
    """A quantitative statement found in a block, with the rule that produced it."""

    document_sha256: str
    block: int
    start: int
    end: int
    quote: str
    quote_start: int
    value: float
    unit: str
    subject: str
    action: str
    approximate: bool
    status: Status
    rule_id: str
    rubric_item: str | None = None
    confidence: float = 0.5
    value_max: float | None = None  # upper bound of a range such as 3至5个
    cumulative: bool = False  # 累计 / 截至目前 / 今年以来
    negated: bool = False
    kind: str = "quantity"  # or "case_adopted"
    adopted_by: str | None = None
    adopted_level: str | None = None  # national / provincial / municipal
    page: int | None = None
    ordinal: int = 0  # distinguishes several claims on one span (各8台)
    candidates: tuple[tuple[str, float], ...] = ()  # (rubric item, confidence) in rule order
    status_rule: str = ""  # the rule that decided `status` (status.plan_section, status.plan_word…)

    @property
    def id(self) -> str:
        """Stable across runs: content hash of the file plus the span."""
        return f"{self.document_sha256[:16]}:{self.block}:{self.start}-{self.end}:{self.ordinal}"

    def to_json(self, document: str) -> dict[str, Any]:
        """The `reportscore extract --format jsonl` contract (new fields may only be added)."""
        return {
            "document": document,
            "sha256": self.document_sha256,
            "page": self.page,
            "block": self.block,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "value": _plain_number(self.value),
            "unit": self.unit,
            "subject": self.subject,
            "action": self.action,
            "approximate": self.approximate,
            "status": self.status,
            "rubric_item": self.rubric_item,
            "confidence": round(self.confidence, 3),
            "id": self.id,
            "rule_id": self.rule_id,
            "value_max": _plain_number(self.value_max) if self.value_max is not None else None,
            "cumulative": self.cumulative,
            "kind": self.kind,
            "adopted_by": self.adopted_by,
            "adopted_level": self.adopted_level,
            "status_rule": self.status_rule,
        }


def _plain_number(x: float) -> int | float:
    """600万元 is 6000000, not 6000000.0, in JSON."""
    return int(x) if float(x).is_integer() else x


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What happened to one file of a batch (docling's ConversionStatus)."""

    source: str
    status: Literal["ok", "failed", "skipped"]
    sha256: str | None = None
    error_code: str | None = None
    message: str | None = None
    claims: int = 0
    seconds: float = 0.0
    cached: bool = False


__all__ = ["Block", "Document", "Claim", "FileOutcome"]
