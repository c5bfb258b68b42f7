"""Section totals under the caps, unit totals and the ranking: the arithmetic, alone.

Kept apart from evidence gathering so the rule "每项竞赛内容的累计得分或累计扣分不超过该项
竞赛内容的总分值" and the merged-cell cap (安全环保+和谐团队 ≤ 15) can be read and tested
as plain numbers. Every cap that bites leaves a reason in Chinese next to the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .evidence import fmt
from .rubric import Rubric


@dataclass(frozen=True, slots=True)
class SectionTotal:
    """A section of one unit: raw gain/deduction, what counts after caps, and why."""

    section: str
    name: str
    base: float
    gain: float  # sum of positive item points, before caps
    deduction: float  # sum of negative item points as a positive number, before caps
    gain_counted: float
    deduction_counted: float
    points: float
    reasons: tuple[str, ...] = ()


def section_totals(rubric: Rubric, item_points: Mapping[str, float]) -> tuple[SectionTotal, ...]:
    """Apply each section's own cap, then the combined deduction caps, in file order.

    A combined cap is shared in the order its sections are listed: the first section's
    deductions count first, later ones get what is left of the cap.
    """
    raw: dict[str, tuple[float, float]] = {}
    counted: dict[str, list[float]] = {}
    reasons: dict[str, list[str]] = {s.id: [] for s in rubric.sections}
    for s in rubric.sections:
        pts = [item_points.get(i.id, 0.0) for i in s.items]
        gain = round(sum(p for p in pts if p > 0), 2)
        ded = round(-sum(p for p in pts if p < 0), 2)
        raw[s.id] = (gain, ded)
        g, d = gain, ded
        if s.points is not None:
            if gain > s.points:
                g = s.points
                reasons[s.id].append(f"得分合计{fmt(gain)}分，超过本项{fmt(s.points)}分，按{fmt(s.points)}分计")
            if ded > s.points:
                d = s.points
                reasons[s.id].append(f"扣分合计{fmt(ded)}分，超过本项{fmt(s.points)}分，按{fmt(s.points)}分计")
        counted[s.id] = [g, d]
    for cap in rubric.combined_caps:
        total = round(sum(counted[s][1] for s in cap.sections), 2)
        if total <= cap.max_deduction:
            continue
        left = cap.max_deduction
        for sid in cap.sections:
            before = counted[sid][1]
            counted[sid][1] = round(min(before, left), 2)
            left = round(left - counted[sid][1], 2)
            reasons[sid].append(
                f"{cap.name}：{'、'.join(_name(rubric, x) for x in cap.sections)}合计扣分{fmt(total)}分，"
                f"超过{fmt(cap.max_deduction)}分，本项计扣{fmt(counted[sid][1])}分"
            )
    out = []
    for s in rubric.sections:
        g, d = counted[s.id]
        out.append(SectionTotal(
            s.id, s.name, s.base, raw[s.id][0], raw[s.id][1], g, d, round(s.base + g - d, 2), tuple(reasons[s.id])
        ))
    return tuple(out)


def _name(rubric: Rubric, section_id: str) -> str:
    s = rubric.section(section_id)
    return s.name if s else section_id


def ranks(totals: Iterable[tuple[str, float]]) -> dict[str, int]:
    """Competition ranking: equal totals (to the cent) share a rank, the next rank skips."""
    rows: Sequence[tuple[str, float]] = [(u, round(t, 2)) for u, t in totals]
    return {u: 1 + sum(1 for _, other in rows if other > t) for u, t in rows}
