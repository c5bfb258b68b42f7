"""The score sheet: scoring.build_draft over the database, with the reviewers' decisions.

Why everything is rebuilt from the database: the queue, the score sheet and every
recomputation must agree, on any machine, without the files of the original run. So
this module loads documents, claims and the stored input tables, leaves out documents
that a corrected file superseded (same unit and period, newer file), applies claim
corrections, and calls the one scoring function, `scoring.build_draft`, with
`decisions=` from the decisions table. Manual points and "only confirmed points count"
are sums over that draft's occurrences, capped by `scoring.totals.section_totals`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from typing import Any, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scoring.evidence import fmt

from .db import DocumentRow, ProposalRow, RunRow, SettingRow
from .queue import TODO

DEFAULT_RUBRIC = "nantong_2024"


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(SettingRow, key)
    return row.value if row is not None else default


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(SettingRow, key)
    if row is None:
        session.add(SettingRow(key=key, value=value))
    elif row.value != value:
        row.value = value


def rubric_name(session: Session) -> str:
    """The rubric of the latest run (a packaged name or a YAML path), else the default."""
    name = get_setting(session, "rubric")
    if name:
        return name
    last = session.scalars(select(RunRow.rubric).order_by(RunRow.id.desc()).limit(1)).first()
    return last or DEFAULT_RUBRIC


def load_rubric(session: Session):
    from scoring import load_rubric as _load

    return _load(rubric_name(session))


def superseded(session: Session) -> dict[str, str]:
    """old sha256 → new sha256: a unit's later file for the same period replaces the earlier
    one (a corrected report). Documents without a unit or period are never superseded."""
    groups: dict[tuple[str, str], list[tuple]] = {}
    cols = (DocumentRow.first_seen, DocumentRow.last_seen, DocumentRow.sha256, DocumentRow.unit, DocumentRow.period)
    for first, last, sha, unit, period in session.execute(
            select(*cols).where(DocumentRow.unit.is_not(None), DocumentRow.period.is_not(None))):
        groups.setdefault((unit or "", period or ""), []).append((first, last, sha))
    out = {}
    for docs in groups.values():
        if len(docs) < 2:
            continue
        docs.sort()  # (first_seen, last_seen, sha256): the newest last
        for _, _, sha in docs[:-1]:
            out[sha] = docs[-1][2]
    return out


@dataclass(frozen=True)
class ScoringState:
    """Everything build_draft needs, as stored."""

    rubric: Any
    documents: tuple
    claims: tuple
    inputs: Any
    superseded: dict[str, str]


def scoring_state(session: Session, corrections: dict[str, dict] | None = None) -> ScoringState:
    from review.store import load_documents_and_claims

    from .web_inputs import load_stored_inputs

    rubric = load_rubric(session)
    docs, claims = load_documents_and_claims(session)
    old = superseded(session)
    docs = [d for d in docs if d.sha256 not in old]
    claims = [c for c in claims if c.document_sha256 not in old]
    if corrections:
        claims = [_corrected(c, corrections.get(c.id)) for c in claims]
    return ScoringState(rubric, tuple(docs), tuple(claims), load_stored_inputs(session, rubric), old)


def _corrected(claim, corr: dict | None):
    """A reviewer's corrected value/unit/status; the claim is mapped again by build_draft."""
    if not corr:
        return claim
    return replace(claim, value=float(corr["value"]), unit=str(corr["unit"]), status=corr["status"],
                   rubric_item=None, candidates=())


def plain_draft(session: Session):
    """The machine's proposals, no decision applied: what the queue materialises."""
    from scoring import build_draft

    st = scoring_state(session)
    return build_draft(st.documents, st.claims, st.rubric, st.inputs)


def decided_draft(session: Session):
    """The draft with every decision, correction and manual point applied."""
    from scoring import build_draft

    from .decisions import for_scoring

    fs = for_scoring(session)
    st = scoring_state(session, fs.corrections)
    draft = build_draft(st.documents, st.claims, st.rubric, st.inputs, decisions=fs.decisions)
    return with_manual(draft, st.rubric, fs.manual), st.rubric


def _totals(draft, rubric, points_of) -> dict[str, tuple[float, tuple]]:
    from scoring.totals import section_totals

    out = {}
    for u in draft.units:
        sections = section_totals(rubric, {ln.item: points_of(ln) for ln in u.items})
        out[u.unit] = (round(sum(s.points for s in sections), 2), sections)
    return out


def with_manual(draft, rubric, manual: Sequence[dict]):
    """Add confirmed manual points as occurrences of their unit's item line, then recompute
    section totals (with caps) and ranks exactly as build_draft does."""
    if not manual:
        return draft
    from scoring import Evidence, Occurrence
    from scoring.totals import ranks

    by_unit: dict[str, list] = {}
    for m in manual:
        occ = Occurrence(key=m["key"], item=m["item"], rule_id="manual", rule_text="人工加减分",
                         points=float(m["points"]), range=(float(m["points"]), float(m["points"])),
                         evidence=(Evidence(m["key"], "人工录入", None, m["note"], "manual"),),
                         detail=f"人工加减分：{m['note']}", status="confirmed")
        by_unit.setdefault(m["unit"], []).append(occ)
    units = []
    for u in draft.units:
        extra = by_unit.get(u.unit)
        if not extra:
            units.append(u)
            continue
        lines = []
        for ln in u.items:
            add = tuple(o for o in extra if o.item == ln.item)
            if add:
                occs = ln.occurrences + add
                ln = replace(ln, occurrences=occs, points=round(ln.points + sum(o.points for o in add), 2),
                             range=(round(ln.range[0] + sum(o.range[0] for o in add), 2),
                                    round(ln.range[1] + sum(o.range[1] for o in add), 2)),
                             evidence=ln.evidence + tuple(e for o in add for e in o.evidence),
                             status="confirmed" if all(o.status == "confirmed" for o in occs) else "proposed")
            lines.append(ln)
        units.append(replace(u, items=tuple(lines)))
    draft = replace(draft, units=tuple(units))
    totals = _totals(draft, rubric, lambda ln: ln.points)
    rank = ranks((u, t) for u, (t, _) in totals.items())
    units = [replace(u, total=totals[u.unit][0], sections=totals[u.unit][1], rank=rank[u.unit]) for u in draft.units]
    return replace(draft, units=tuple(sorted(units, key=lambda u: (-u.total, u.unit))))


def confirmed_points(line) -> float:
    """Only confirmed occurrences count on the final sheet."""
    return round(sum(o.points for o in line.occurrences if o.status == "confirmed"), 2)


@dataclass(frozen=True)
class UnitSheet:
    unit: str
    rank: int
    proposed: float  # confirmed plus still-proposed points, decisions applied
    confirmed: float  # only confirmed points
    confirmed_rank: int
    sections: tuple  # (name, proposed, confirmed)
    left: int  # proposals still to decide
    score: Any  # scoring.UnitScore, for the drill-down


def sheet(session: Session) -> tuple[list[UnitSheet], Any]:
    """Per unit: totals with decisions applied, and the confirmed-only totals and ranks."""
    from scoring.totals import ranks

    draft, rubric = decided_draft(session)
    conf = _totals(draft, rubric, confirmed_points)
    crank = ranks((u, t) for u, (t, _) in conf.items())
    left = dict(session.execute(
        select(ProposalRow.unit, func.count()).where(ProposalRow.active, ProposalRow.kind != "unscored",
                                                     ProposalRow.state.in_(TODO))
        .group_by(ProposalRow.unit)).all())
    rows = []
    for u in draft.units:
        csec = {s.section: s.points for s in conf[u.unit][1]}
        secs = tuple((s.name, s.points, csec.get(s.section, 0.0)) for s in u.sections)
        rows.append(UnitSheet(u.unit, u.rank, u.total, conf[u.unit][0], crank[u.unit], secs, left.get(u.unit, 0), u))
    return rows, draft


def csv_text(session: Session) -> str:
    """The score sheet for Excel (UTF-8 with BOM): one row per unit, then one per item line."""
    rows, draft = sheet(session)
    out = io.StringIO()
    w = csv.writer(out)
    names = [name for _, name in draft.sections]
    w.writerow(["确认排名", "单位", "确认总分", *[f"{n}（确认）" for n in names], "含待审总分", "待审条数"])
    for r in sorted(rows, key=lambda r: (r.confirmed_rank, r.unit)):
        w.writerow([r.confirmed_rank, r.unit, fmt(r.confirmed), *[fmt(c) for _, _, c in r.sections], fmt(r.proposed), r.left])
    w.writerow([])
    w.writerow(["单位", "评分项", "名称", "确认分", "含待审分", "状态", "依据"])
    for r in rows:
        for ln in r.score.items:
            if not ln.occurrences:
                continue
            keys = "；".join(f"{o.key}={fmt(o.points)}({'确认' if o.status == 'confirmed' else '待审'})" for o in ln.occurrences)
            w.writerow([r.unit, ln.item, ln.name, fmt(confirmed_points(ln)), fmt(ln.points),
                        "已确认" if ln.status == "confirmed" else "待审", keys])
    return "\ufeff" + out.getvalue()
