"""A reviewer's word on one piece of evidence or one proposal, as plain data.

The review queue stores decisions; `build_draft(..., decisions=...)` replays them so
confirmed points are recomputed from the same pure function (no second code path).
Keys: a claim id, an input row id (task:…, finding:…, index:…), an occurrence key
("unit::item::rule" for banded awards and the index) or "unit::item" for a whole line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping


@dataclass(frozen=True, slots=True)
class Decision:
    """`rejected` drops the evidence or proposal; `points` replaces the proposed points;
    `item` moves a claim to another rubric item (the mapping was wrong)."""

    status: Literal["confirmed", "rejected"] = "confirmed"
    points: float | None = None
    item: str | None = None
    note: str = ""


def coerce(value: Any) -> Decision:
    """Accept a Decision, "confirmed"/"rejected", a number (confirmed with those points)
    or a dict with the Decision's fields, so callers can pass what they stored."""
    if isinstance(value, Decision):
        return value
    if isinstance(value, str):
        if value not in ("confirmed", "rejected"):
            raise ValueError(f"unknown decision {value!r}: expected confirmed or rejected")
        return Decision(value)  # type: ignore[arg-type]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decision("confirmed", float(value))
    if isinstance(value, Mapping):
        return Decision(**dict(value))
    raise ValueError(f"cannot read a decision from {value!r}")


def coerce_all(decisions: Mapping[str, Any] | None) -> dict[str, Decision]:
    return {k: coerce(v) for k, v in (decisions or {}).items()}
