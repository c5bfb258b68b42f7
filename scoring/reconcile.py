"""One achievement, many mentions: a unit's bimonthly reports repeat and accumulate.

"累计改造公厕3座" in May-June, 4座 in July-August and "全年共改造公厕4座" in the
year-end summary are one achievement worth 4, with all three sentences as evidence.
Grouping is by unit, item, unit of measure and a similar subject; the latest report
wins (its cumulative value if any mention is cumulative). Oddities are flagged, never
silently resolved: a cumulative count that falls, two numbers in one report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from reportscore.model import Claim, Document

from .evidence import Flag, fmt
from .rubric import Rubric
from .similar import period_end, similarity


@dataclass(frozen=True, slots=True)
class Achievement:
    """A deduplicated achievement of one unit for one item.

    `value` is what counts; `claim` is the mention it comes from; `mentions` lists every
    mention in report order; `timeline` is the value known after each report, so a plan
    task can tell in which report the target was first reached.
    """

    unit: str
    item: str
    measure: str
    subject: str
    kind: str
    value: float
    claim: Claim
    mentions: tuple[Claim, ...]
    cumulative: bool
    timeline: tuple[tuple[date | None, float, str], ...]  # (report time, value known, claim id)
    items: tuple[str, ...]  # best item and the other candidates, for plan-task matching
    flags: tuple[Flag, ...] = ()

    @property
    def id(self) -> str:
        return self.claim.id


def report_time(doc: Document | None) -> date | None:
    """When the work in a report was done by: its period's end, else its report date."""
    if doc is None:
        return None
    return period_end(doc.period) or period_end(doc.report_date)


def _order_key(claim: Claim, docs: dict[str, Document]) -> tuple[date, str, int, int]:
    doc = docs.get(claim.document_sha256)
    return (report_time(doc) or date.min, doc.source if doc else "", claim.block, claim.start)


def _label(claim: Claim, docs: dict[str, Document]) -> str:
    doc = docs.get(claim.document_sha256)
    return f"{doc.source if doc else claim.document_sha256[:16]}「{claim.quote}」"


def _group_key(claim: Claim, unit: str) -> tuple[str, ...]:
    return (unit, claim.rubric_item or "", claim.unit, claim.kind, claim.adopted_by or "")


def _cluster(claims: list[Claim], threshold: float) -> list[list[Claim]]:
    """Greedy: a claim joins the first cluster with a similar subject (any member).

    The action is compared with the subject: "新建公厕4座、改造提升公厕10座" are two
    achievements although both subjects are 公厕.
    """
    clusters: list[list[Claim]] = []
    for c in claims:
        for cl in clusters:
            if any(similarity(c.action + c.subject, m.action + m.subject) >= threshold for m in cl):
                cl.append(c)
                break
        else:
            clusters.append([c])
    return clusters


def _part_of(whole: Claim, part: Claim) -> bool:
    """"累计改造中转站5座，其中7-8月完成2座": the second number is a part, not a rival."""
    if whole.document_sha256 != part.document_sha256 or whole.block != part.block or whole.end > part.start:
        return False
    if whole.quote_start != part.quote_start:
        return False
    between = part.quote[whole.end - part.quote_start : part.start - part.quote_start]
    return "其中" in between


def _achievement(unit: str, mentions: list[Claim], docs: dict[str, Document]) -> Achievement:
    flags: list[Flag] = []
    by_doc: dict[str, list[Claim]] = {}
    for c in mentions:  # already in report order
        by_doc.setdefault(c.document_sha256, []).append(c)
    # one value per report: its cumulative mention if it has one, else its first mention
    per_doc: list[Claim] = []
    for sha, cs in by_doc.items():
        cs = [c for c in cs if not any(_part_of(w, c) for w in cs if w is not c)]
        cum = [c for c in cs if c.cumulative]
        pool = cum or cs
        chosen = pool[0]
        others = sorted({c.value for c in pool if c.value != chosen.value})
        if others:
            flags.append(Flag(
                "conflict",
                f"同一报告中同一事项有不同数字：{'；'.join(_label(c, docs) for c in pool)}，"
                f"暂按首次出现的{fmt(chosen.value)}{chosen.unit}计",
            ))
        per_doc.append(chosen)
    # the latest report wins; among cumulative values, the latest cumulative one
    cumulative = [c for c in per_doc if c.cumulative]
    winner = cumulative[-1] if cumulative else per_doc[-1]
    peak: Claim | None = None
    for c in cumulative:
        if peak is not None and c.value < peak.value:
            flags.append(Flag(
                "cumulative_fell",
                f"累计数比前一期少：{_label(peak, docs)} {fmt(peak.value)}{peak.unit} → "
                f"{_label(c, docs)} {fmt(c.value)}{c.unit}",
            ))
        if peak is None or c.value >= peak.value:
            peak = c
    timeline = []
    last_cum: Claim | None = None
    for c in per_doc:
        if c.cumulative:
            last_cum = c
        known = last_cum if last_cum is not None else c
        timeline.append((report_time(docs.get(c.document_sha256)), known.value, known.id))
    items: list[str] = [winner.rubric_item or ""]
    for m in mentions:
        for item, _ in m.candidates:
            if item not in items:
                items.append(item)
    return Achievement(
        unit=unit, item=winner.rubric_item or "", measure=winner.unit, subject=winner.subject,
        kind=winner.kind, value=winner.value, claim=winner, mentions=tuple(mentions),
        cumulative=bool(cumulative), timeline=tuple(timeline), items=tuple(items), flags=tuple(flags),
    )


def reconcile(
    documents: Sequence[Document], claims: Iterable[Claim], rubric: Rubric
) -> tuple[Achievement, ...]:
    """Group done, mapped, non-negated claims of known units into achievements.

    Claims that are planned, negated, unmapped or from a document without a unit are
    not achievements; the draft lists them separately so they stay visible.
    """
    docs = {d.sha256: d for d in documents}
    buckets: dict[tuple[str, ...], list[Claim]] = {}
    for c in sorted(claims, key=lambda c: _order_key(c, docs)):
        doc = docs.get(c.document_sha256)
        if doc is None or not doc.unit or not c.rubric_item or c.status != "done" or c.negated:
            continue
        buckets.setdefault(_group_key(c, doc.unit), []).append(c)
    out = []
    for key, cs in buckets.items():
        for cluster in _cluster(cs, rubric.settings.subject_similarity):
            out.append(_achievement(key[0], cluster, docs))
    return tuple(out)
