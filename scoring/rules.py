"""Apply a rubric's rules to one unit's achievements, findings and clean index.

Each function returns `Occurrence`s: proposed points inside the rule's range, the
rule's own Chinese text and the evidence, so the draft never holds a number that
cannot be traced back to a sentence or a spreadsheet row.
"""

from __future__ import annotations

from typing import Sequence

from reportscore.model import Document

from .evidence import Evidence, Flag, Occurrence, claim_evidence, fmt
from .inputs import CleanIndex, Finding
from .reconcile import Achievement
from .rubric import BandedRule, IndexRule, Item, PerOccurrenceRule, Rubric, Rule, Section
from .similar import period_end

_LEVELS = {"national": "国家级", "provincial": "省级", "municipal": "市级"}


def _matches(rule: Rule, text: str) -> bool:
    return not rule.match or any(w in text for w in rule.match)


def claim_rule(item: Item, a: Achievement) -> Rule | None:
    """The first of the item's claim rules whose keywords (if any) the claim contains."""
    text = " ".join((a.claim.subject, a.claim.action, a.claim.quote))
    for r in item.rules:
        if "claims" in r.sources and _matches(r, text):
            return r
    return None


def _evidence(a: Achievement, docs: dict[str, Document]) -> tuple[Evidence, ...]:
    return tuple(claim_evidence(c, docs.get(c.document_sha256)) for c in a.mentions)


def per_occurrence(
    rule: PerOccurrenceRule, a: Achievement, docs: dict[str, Document]
) -> Occurrence | None:
    """count × points for one achievement; None when it is no occurrence at all.

    A value of 0 or a negated claim is never an occurrence (全年未发生安全生产事故 must
    not become an accident deduction, whichever way the mapping went).
    """
    if a.value <= 0 or any(c.negated for c in a.mentions):
        return None
    count = max(1, round(a.value)) if rule.count_by == "value" else 1
    each = rule.level_points(a.claim.adopted_level)
    level = _LEVELS.get(a.claim.adopted_level or "", a.claim.adopted_level or "")
    by = f"（{level}{'，' + a.claim.adopted_by if a.claim.adopted_by else ''}）" if level else ""
    return Occurrence(
        key=a.id, item=rule.item, rule_id=rule.id, rule_text=rule.text,
        points=round(count * each, 2),
        range=(round(count * rule.points[0], 2), round(count * rule.points[1], 2)),
        evidence=_evidence(a, docs), flags=a.flags,
        detail=f"{a.subject}{fmt(a.value)}{a.measure}：{count}例 × {fmt(each)}分{by}",
    )


def banded(
    rule: BandedRule, unit: str, achs: Sequence[Achievement], docs: dict[str, Document]
) -> Occurrence | None:
    """One award for the item: the highest band the evidenced achievements reach."""
    if not achs:
        return None
    best: float | None = None
    reached = []
    for band in rule.bands:
        pool = [a for a in achs if not band.units or a.measure in band.units]
        metric = float(len(pool)) if band.metric == "count" else sum(a.value for a in pool)
        if metric >= band.at_least:
            what = f"{len(pool)}项" if band.metric == "count" else f"合计{fmt(metric)}{'/'.join(band.units)}"
            reached.append(f"{what}≥{fmt(band.at_least)}→{fmt(band.points)}分")
            best = band.points if best is None else max(best, band.points)
    flags = [f for a in achs for f in a.flags]
    if best is None:
        flags.append(Flag("below_band", f"有{len(achs)}项证据，但未达到任何档次的下限，请人工评定"))
    return Occurrence(
        key=f"{unit}::{rule.item}::{rule.id}", item=rule.item, rule_id=rule.id, rule_text=rule.text,
        points=best or 0.0,
        range=rule.points if best is not None else (0.0, rule.points[1]),
        evidence=tuple(e for a in achs for e in _evidence(a, docs)),
        flags=tuple(flags),
        detail="；".join(reached) or "未达档",
    )


def finding_rule(rubric: Rubric, finding: Finding) -> PerOccurrenceRule | None:
    """The finding's item's rules first, then its section's (a 公厕 problem found on site
    is scored by 项目建设's 现场查看 rule); the first whose keywords match wins."""
    item = rubric.item(finding.item)
    section = rubric.section(item.section) if item else rubric.section(finding.item)
    pools = ([item] if item else []) + [i for i in (section.items if section else ()) if i is not item]
    for it in pools:
        for r in it.rules:
            if isinstance(r, PerOccurrenceRule) and "findings" in r.sources and _matches(r, finding.description):
                return r
    return None


def finding_occurrence(rubric: Rubric, f: Finding) -> Occurrence:
    """The finding's own points (signed by the rule, kept inside its range), else the default."""
    ev = Evidence(f.id, f.source, None, f"{f.unit} {f.date or ''} {f.item}：{f.description}".replace("  ", " "), "finding")
    rule = finding_rule(rubric, f)
    if rule is None:
        return Occurrence(
            key=f.id, item=f.item, rule_id="", rule_text="", points=0.0, range=(0.0, 0.0), evidence=(ev,),
            flags=(Flag("no_rule", f"评分标准中{f.item}没有适用于检查问题的规则，未计分"),),
        )
    flags = []
    lo, hi = rule.points
    if f.points is None:
        points = rule.default
        detail = f"按默认{fmt(points)}分"
    else:
        asked = -abs(f.points) if hi <= 0 else abs(f.points)
        points = min(max(asked, lo), hi)
        detail = f"检查记录{fmt(asked)}分"
        if points != asked:
            flags.append(Flag("out_of_range", f"检查记录{fmt(asked)}分超出规则范围[{fmt(lo)}, {fmt(hi)}]，按{fmt(points)}分计"))
    return Occurrence(
        key=f.id, item=rule.item, rule_id=rule.id, rule_text=rule.text, points=round(points, 2),
        range=(lo, hi), evidence=(ev,), flags=tuple(flags), detail=detail,
    )


def index_occurrence(
    rule: IndexRule, section: Section, unit: str, rows: Sequence[CleanIndex]
) -> Occurrence:
    """干净指数 → points: section points × index / scale, the index being the mean over
    periods (or the latest period, if the rubric says so)."""
    full = section.points or 0.0
    if not rows:
        return Occurrence(
            key=f"{unit}::{rule.item}::{rule.id}", item=rule.item, rule_id=rule.id, rule_text=rule.text,
            points=0.0, range=(0.0, full),
            flags=(Flag("no_index", f"干净指数表中没有{unit}的数据"),),
        )
    ordered = sorted(rows, key=lambda r: (period_end(r.period) is None, period_end(r.period) or r.period, r.period))
    if rule.aggregate == "latest":
        used = [ordered[-1]]
        how = f"最新一期{ordered[-1].period}干净指数{fmt(ordered[-1].index)}"
    else:
        used = ordered
        how = f"干净指数均值({'+'.join(fmt(r.index) for r in used)})/{len(used)}"
    value = sum(r.index for r in used) / len(used)
    points = round(min(max(full * value / rule.scale, 0.0), full), 2)
    flags = []
    if value > rule.scale:
        flags.append(Flag("out_of_range", f"干净指数{fmt(value)}超过满分{fmt(rule.scale)}，按满分计"))
    return Occurrence(
        key=f"{unit}::{rule.item}::{rule.id}", item=rule.item, rule_id=rule.id, rule_text=rule.text,
        points=points, range=(0.0, full),
        evidence=tuple(
            Evidence(r.id, r.source, None, f"{r.unit} {r.period} 干净指数 {fmt(r.index)}", "clean_index") for r in ordered
        ),
        flags=tuple(flags),
        detail=f"{how} = {fmt(round(value, 4))} → {fmt(full)}×{fmt(round(value, 4))}/{fmt(rule.scale)} = {fmt(points)}",
    )
