"""The score draft: per unit and item, proposed points with the rule and the evidence.

`build_draft` is a pure function of documents, claims, rubric, inputs and (optional)
reviewer decisions. Nothing is final here: every line is "proposed" until a decision
confirms it, and every claim that does not count is still listed with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from reportscore.model import Claim, Document

from . import render
from .decisions import Decision, coerce_all
from .evidence import Evidence, Flag, Occurrence, claim_evidence, fmt
from .inputs import Inputs
from .mapping import map_claim
from .reconcile import Achievement, reconcile
from .rubric import BandedRule, IndexRule, PerOccurrenceRule, PlanTaskRule, Rubric
from .rules import banded, claim_rule, finding_occurrence, index_occurrence, per_occurrence
from .tasks import check_task
from .totals import SectionTotal, ranks, section_totals

if TYPE_CHECKING:  # pandas only for the frame views: workers that map claims never load it
    import pandas as pd


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One rubric item of one unit: the sum of its occurrences (before section caps)."""

    unit: str
    item: str
    name: str
    section: str
    points: float
    range: tuple[float, float]
    rule: str
    status: str
    flags: tuple[Flag, ...]
    evidence: tuple[Evidence, ...]
    occurrences: tuple[Occurrence, ...]


@dataclass(frozen=True, slots=True)
class Unscored:
    """A claim of a unit that counts for nothing, and why (unmapped, planned, …)."""

    evidence: Evidence
    reason: str
    candidates: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class UnitScore:
    unit: str
    total: float
    rank: int
    sections: tuple[SectionTotal, ...]
    items: tuple[ItemLine, ...]
    unscored: tuple[Unscored, ...] = ()
    flags: tuple[Flag, ...] = ()  # problems not tied to a rubric item (unknown item ids)


@dataclass(frozen=True, slots=True)
class Draft:
    """A whole draft; the frames, JSON and text views are in `render`."""

    rubric_id: str
    rubric_name: str
    rubric_version: str
    sections: tuple[tuple[str, str], ...]  # (id, name) in rubric order
    units: tuple[UnitScore, ...]  # in rank order
    unassigned: tuple[Unscored, ...] = ()  # claims of documents without a unit

    def unit(self, name: str) -> UnitScore:
        return next(u for u in self.units if u.unit == name)

    def line(self, unit: str, item: str) -> ItemLine:
        return next(i for i in self.unit(unit).items if i.item == item)

    def items_frame(self) -> pd.DataFrame:
        return render.items_frame(self)

    def units_frame(self) -> pd.DataFrame:
        return render.units_frame(self)

    def evidence_frame(self) -> pd.DataFrame:
        return render.evidence_frame(self)

    def flags_frame(self) -> pd.DataFrame:
        return render.flags_frame(self)

    def to_json(self) -> list[dict[str, Any]]:
        return render.to_json(self)

    def render_text(self, details: bool = True) -> str:
        return render.text(self, details)


def _prepare(claims: Sequence[Claim], rubric: Rubric, decs: Mapping[str, Decision]) -> list[Claim]:
    """Map claims never mapped before; apply reviewers' item corrections."""
    out = []
    for c in claims:
        if c.rubric_item is None and not c.candidates:
            c = map_claim(c, rubric)
        d = decs.get(c.id)
        if d is not None and d.item:
            c = replace(c, rubric_item=d.item)
        out.append(c)
    return out


def _why_not(c: Claim, decs: Mapping[str, Decision]) -> str | None:
    d = decs.get(c.id)
    if d is not None and d.status == "rejected":
        return "rejected"
    if c.negated:
        return "negated"
    if c.rubric_item is None:
        return "unmapped"
    if c.status != "done":
        return "planned"
    return None


def _decide(o: Occurrence, decs: Mapping[str, Decision]) -> Occurrence | None:
    """Apply the decision on the occurrence's key; for an occurrence that is one claim's
    achievement, a decision on any of its mentions counts (the reviewer may confirm the
    year-end sentence rather than the bimonthly one)."""
    keys = [o.key]
    if any(e.id == o.key and e.kind == "claim" for e in o.evidence):
        keys += [e.id for e in o.evidence if e.kind == "claim" and e.id != o.key]
    d = next((decs[k] for k in keys if k in decs), None)
    if d is None:
        return o
    if d.status == "rejected":
        return None
    if d.points is None:
        return replace(o, status="confirmed")
    return replace(o, points=round(d.points, 2), status="confirmed", detail=f"{o.detail}；审核改为{fmt(d.points)}分")


def _unit_occurrences(
    unit: str, rubric: Rubric, achs: Sequence[Achievement], inputs: Inputs, docs: dict[str, Document]
) -> tuple[list[Occurrence], list[tuple[str, Flag]]]:
    """All occurrences of one unit, and (item, flag) pairs for evidence that scored nothing."""
    occs: list[Occurrence] = []
    extra: list[tuple[str, Flag]] = []
    used: set[str] = set()
    inputs = inputs.only(unit)
    for task in inputs.plan_tasks:
        outcome = check_task(task, achs, rubric, docs)
        occs.append(outcome.occurrence)
        used.update(a.id for a in outcome.achievements)
    for item in rubric.items.values():
        mine = [a for a in achs if a.item == item.id]
        per_rule: dict[str, list[Achievement]] = {}
        for a in mine:
            rule = claim_rule(item, a)
            if isinstance(rule, PerOccurrenceRule):
                if (o := per_occurrence(rule, a, docs)) is not None:
                    occs.append(o)
            elif isinstance(rule, BandedRule):
                per_rule.setdefault(rule.id, []).append(a)
            elif a.id not in used:
                what = "年度计划任务" if any(isinstance(r, PlanTaskRule) for r in item.rules) else "计分规则"
                extra.append((item.id, Flag(
                    "unmatched_evidence", f"[{a.id}]「{a.claim.quote}」未对应任何{what}，未计分"
                )))
                extra.extend((item.id, f) for f in a.flags)
        for rule in item.rules:
            if isinstance(rule, BandedRule) and (o := banded(rule, unit, per_rule.get(rule.id, []), docs)):
                occs.append(o)
            if isinstance(rule, IndexRule):
                section = rubric.section(item.section)
                assert section is not None
                occs.append(index_occurrence(rule, section, unit, inputs.clean_index))
    occs.extend(finding_occurrence(rubric, f) for f in inputs.findings)
    return occs, extra


def _line(unit: str, item_id: str, rubric: Rubric, occs: list[Occurrence], extra: list[tuple[str, Flag]],
          decs: Mapping[str, Decision]) -> ItemLine:
    item = rubric.items[item_id]
    texts = list(dict.fromkeys(o.rule_text for o in occs if o.rule_text)) or [r.text for r in item.rules]
    points = round(sum(o.points for o in occs), 2)
    lo = round(sum(o.range[0] for o in occs), 2)
    hi = round(sum(o.range[1] for o in occs), 2)
    status = "confirmed" if occs and all(o.status == "confirmed" for o in occs) else "proposed"
    flags = list(dict.fromkeys(f for o in occs for f in o.flags))
    flags += [f for i, f in extra if i == item_id]
    d = decs.get(f"{unit}::{item_id}")  # a decision on the whole line wins
    if d is not None:
        status = "confirmed"
        if d.status == "rejected":
            points = 0.0
        elif d.points is not None:
            points = round(d.points, 2)
    evidence = tuple(dict.fromkeys(e for o in occs for e in o.evidence))
    return ItemLine(unit, item_id, item.name, item.section, points, (lo, hi), "；".join(texts), status,
                    tuple(flags), evidence, tuple(occs))


def build_draft(
    documents: Sequence[Document],
    claims: Sequence[Claim],
    rubric: Rubric,
    inputs: Inputs | None = None,
    decisions: Mapping[str, Any] | None = None,
) -> Draft:
    """Score every unit found in the documents or the inputs, and rank them.

    `decisions` maps a claim id / input row id / occurrence key / "unit::item" to a
    Decision (or "confirmed", "rejected", a number of points): see `decisions`.
    """
    inputs = inputs or Inputs()
    decs = coerce_all(decisions)
    docs = {d.sha256: d for d in documents}
    prepared = _prepare(claims, rubric, decs)
    unscored: dict[str, list[Unscored]] = {}
    unassigned: list[Unscored] = []
    scorable = []
    for c in prepared:
        doc = docs.get(c.document_sha256)
        reason = _why_not(c, decs)
        if doc is None or not doc.unit:
            unassigned.append(Unscored(claim_evidence(c, doc), "no_unit", c.candidates))
        elif reason:
            unscored.setdefault(doc.unit, []).append(Unscored(claim_evidence(c, doc), reason, c.candidates))
        else:
            scorable.append(c)
    achievements = reconcile(documents, scorable, rubric)
    units = sorted({d.unit for d in documents if d.unit} | inputs.units())
    scored = []
    for unit in units:
        occs, extra = _unit_occurrences(unit, rubric, [a for a in achievements if a.unit == unit], inputs, docs)
        decided = [o for o in (_decide(o, decs) for o in occs) if o is not None]
        stray = tuple(
            Flag("unknown_item", f"[{o.key}] 的评分项“{o.item}”不在评分标准{rubric.id}中，未计分")
            for o in decided if o.item not in rubric.items
        )
        lines = tuple(
            _line(unit, item_id, rubric, [o for o in decided if o.item == item_id], extra, decs)
            for item_id in rubric.items
        )
        sections = section_totals(rubric, {ln.item: ln.points for ln in lines})
        total = round(sum(s.points for s in sections), 2)
        scored.append((unit, total, sections, lines, stray))
    rank = ranks((u, t) for u, t, *_ in scored)
    out = tuple(
        UnitScore(u, t, rank[u], s, ln, tuple(unscored.get(u, ())), stray)
        for u, t, s, ln, stray in sorted(scored, key=lambda x: (-x[1], x[0]))
    )
    return Draft(
        rubric.id, rubric.name, rubric.version, tuple((s.id, s.name) for s in rubric.sections),
        out, tuple(unassigned),
    )
