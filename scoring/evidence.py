"""What every line of a draft carries: where its number comes from, and what to check.

Evidence is uniform whether it is a sentence of a report or a row of a spreadsheet, so
the review queue and the JSON contract treat both the same way: `id` is a claim id or
an input row id (task:plan_tasks.csv:3, finding:…, index:…).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportscore.model import Claim, Document


@dataclass(frozen=True, slots=True)
class Flag:
    """Something the reviewer must look at; `code` is stable, `message` is for people."""

    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quote with its place: a report sentence (page, quote) or an input row."""

    id: str
    document: str
    page: int | None
    quote: str
    kind: str = "claim"  # claim | plan_task | finding | clean_index

    def to_json(self) -> dict[str, object]:
        return {"document": self.document, "page": self.page, "quote": self.quote, "claim_id": self.id}

    def cite(self) -> str:
        """One line a person can follow back to the source."""
        where = f"{self.document} 第{self.page}页" if self.page else self.document
        return f"[{self.id}] {where}「{self.quote}」"


def claim_evidence(claim: Claim, doc: Document | None) -> Evidence:
    return Evidence(claim.id, doc.source if doc else claim.document_sha256[:16], claim.page, claim.quote)


def num(x: float) -> int | float:
    """Points in JSON: 7 rather than 7.0, and never 0.30000000000000004."""
    x = round(float(x), 2)
    return int(x) if x.is_integer() else x


def fmt(x: float) -> str:
    """Points as people write them: 7, -2, 0.5 (never 7.0 or 0.30000000000000004)."""
    x = round(float(x), 2)
    return f"{x:g}" if x != 0 else "0"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One application of one rule: a case adopted, a finding, a plan task, the index.

    `key` is what a reviewer's decision refers to (a claim id, an input row id, or
    "unit::item::rule" for an award decided on the item as a whole).
    """

    key: str
    item: str
    rule_id: str
    rule_text: str
    points: float
    range: tuple[float, float]
    evidence: tuple[Evidence, ...] = ()
    flags: tuple[Flag, ...] = ()
    detail: str = ""
    status: str = "proposed"
