"""The final score table, collected from the database for `reportscore export`.

Why it is built on `web_sheet.sheet`: the office must get exactly the numbers the score
sheet page shows, so the export reads the same decided draft (every decision, claim
correction and manual point applied) and the same confirmed-only totals, and adds only
what a printed table needs: who confirmed each point, the one quote it rests on, and
the input rows behind it.

Two views of one draft:
- final (default): only confirmed occurrences count; section caps and ranks are
  recomputed on them, exactly as the score sheet's "确认" columns.
- with proposals (`include_proposed=True`): every occurrence that is not rejected
  counts, and each still-proposed one carries state "proposed" so that every writer
  can mark it; such an export is never final.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.evidence import num

from .db import DecisionRow, ProposalRow

STATE_LABELS = {"confirmed": "已确认", "proposed": "待确认", "pending": "部分待审", "none": "无"}
PENDING = ("open", "rereview")


@dataclass(frozen=True)
class Cited:
    """One place a number comes from: a report sentence (document, page) or an input row."""

    id: str
    kind: str  # claim | plan_task | finding | clean_index | manual
    document: str
    page: int | None
    quote: str

    @property
    def row(self) -> int | None:
        """The spreadsheet row of an input id such as index:clean_index.csv:11."""
        tail = self.id.rsplit(":", 1)[-1]
        return int(tail) if self.kind not in ("claim", "manual") and tail.isdigit() else None

    def where(self) -> str:
        """Document and page (or row) in the words a footnote uses."""
        if self.kind == "manual":
            return "人工录入（审核人填写的依据）"
        if self.page:
            return f"{self.document}，第{self.page}页"
        if self.row:
            return f"{self.document}，第{self.row}行"
        return f"{self.document}（无页码）"


@dataclass(frozen=True)
class PointRow:
    """One occurrence of the decided draft: points under one rule, and what backs them."""

    unit: str
    section: str
    item: str
    item_name: str
    key: str
    points: float
    range: tuple[float, float]
    rule: str
    detail: str
    state: str  # confirmed | proposed
    rereview: bool  # confirmed earlier, but the evidence changed since (the queue says 待复核)
    reviewer: str
    decided_at: str
    source: Cited | None  # the quote this point rests on
    others: tuple[Cited, ...]  # further mentions of the same achievement
    flags: tuple[str, ...]  # messages for people
    codes: tuple[str, ...] = ()  # the flags' stable codes (late, not_done, no_evidence…)

    @property
    def state_label(self) -> str:
        label = STATE_LABELS[self.state]
        return f"{label}（证据有变，待复核）" if self.rereview else label


@dataclass(frozen=True)
class ItemResult:
    """One rubric item of one unit; `points` is what this export counts (before caps)."""

    item: str
    name: str
    section: str
    points: float
    confirmed: float
    proposed: float | None  # None in a final export: proposals are left out, not counted
    state: str  # confirmed | proposed | pending | none


@dataclass(frozen=True)
class SectionResult:
    """A section after caps: `points` counts in this export, `confirmed` only confirmed points."""

    section: str
    name: str
    max_points: float | None
    points: float
    confirmed: float
    reasons: tuple[str, ...]
    has_proposed: bool


@dataclass(frozen=True)
class UnitResult:
    unit: str
    rank: int
    total: float
    confirmed_total: float
    confirmed_rank: int
    share_confirmed: float | None  # |confirmed points| / |all points not rejected|; None without points
    open_proposals: int
    sections: tuple[SectionResult, ...]
    items: tuple[ItemResult, ...]
    rows: tuple[PointRow, ...]  # in rubric order; proposed rows only with include_proposed

    @property
    def has_proposed(self) -> bool:
        return any(r.state == "proposed" for r in self.rows)

    @property
    def state(self) -> str:
        if self.has_proposed:
            return "proposed"
        return "pending" if self.open_proposals else "confirmed"


@dataclass(frozen=True)
class InputRow:
    """A row of an input table with what the draft made of it."""

    kind: str  # plan_task | clean_index | finding
    row: Any  # scoring.PlanTask | CleanIndex | Finding
    points: float | None
    detail: str
    state: str  # confirmed | proposed | rejected | unused
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ExportTable:
    rubric_id: str
    rubric_name: str
    rubric_version: str
    sections: tuple[tuple[str, str, float | None], ...]  # (id, name, max points) in rubric order
    include_proposed: bool
    units: tuple[UnitResult, ...]  # in rank order of this export
    inputs: tuple[InputRow, ...]
    flags: tuple[dict, ...]  # unit, item, code, message
    warnings: tuple[str, ...]
    open_proposals: int
    generated: datetime = field(default_factory=datetime.now)

    @property
    def final(self) -> bool:
        """Final only when nothing proposed is shown and nothing is left to review."""
        return not self.include_proposed and self.open_proposals == 0 and not any(
            r.rereview for u in self.units for r in u.rows)

    def counted(self, row: PointRow) -> bool:
        return row.state == "confirmed" or self.include_proposed


def competition_name(rubric_name: str) -> str:
    """"2024年南通市“干净城市建设”劳动竞赛评分标准" → the competition itself, for titles."""
    return re.sub(r"(的)?评分(标准|细则|办法)$", "", rubric_name.strip()) or rubric_name


def primary(o: Any) -> tuple[Cited | None, tuple[Cited, ...]]:
    """The quote an occurrence rests on: its own claim, else the latest report sentence
    (the year-end summary usually comes last), else its first input row."""
    ev = [Cited(e.id, e.kind, e.document, e.page, e.quote) for e in o.evidence]
    if not ev:
        return None, ()
    own = [e for e in ev if e.id == o.key]
    claims = [e for e in ev if e.kind == "claim"]
    first = own[0] if own else (claims[-1] if claims else ev[0])
    return first, tuple(e for e in ev if e is not first)


def _decision_of(o: Any, decisions: dict[str, DecisionRow]) -> DecisionRow | None:
    """The decision scoring applied: on the occurrence key, else on one of its claims."""
    keys = [o.key] + [e.id for e in o.evidence if e.kind == "claim" and e.id != o.key]
    return next((decisions[k] for k in keys if k in decisions and decisions[k].state), None)


def _local(when: datetime | None) -> str:
    """Decision times are stored in UTC (SQLite drops the zone); people read local time."""
    if when is None:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def _point_rows(unit: Any, decisions: dict[str, DecisionRow], states: dict[str, str],
                include: bool) -> list[PointRow]:
    rows = []
    for ln in unit.items:
        for o in ln.occurrences:
            if o.status != "confirmed" and not include:
                continue
            d = _decision_of(o, decisions) if o.status == "confirmed" else None
            src, others = primary(o)
            rows.append(PointRow(
                unit.unit, ln.section, ln.item, ln.name, o.key, round(o.points, 2),
                (round(o.range[0], 2), round(o.range[1], 2)), o.rule_text or ln.rule, o.detail,
                o.status if o.status == "confirmed" else "proposed",
                o.status == "confirmed" and states.get(o.key) == "rereview",
                d.decided_by if d else "", _local(d.decided_at) if d else "",
                src, others, tuple(f.message for f in o.flags), tuple(f.code for f in o.flags),
            ))
    return rows


def _items(unit: Any, include: bool) -> tuple[ItemResult, ...]:
    out = []
    for ln in unit.items:
        conf = round(sum(o.points for o in ln.occurrences if o.status == "confirmed"), 2)
        prop = round(sum(o.points for o in ln.occurrences if o.status != "confirmed"), 2)
        pending = any(o.status != "confirmed" for o in ln.occurrences)
        if not ln.occurrences:
            state = "none"
        elif not pending:
            state = "confirmed"
        else:
            state = "proposed" if include else "pending"
        out.append(ItemResult(ln.item, ln.name, ln.section, round(conf + prop, 2) if include else conf, conf,
                              prop if include else None, state))
    return tuple(out)


def _share(unit: Any) -> float | None:
    occs = [o for ln in unit.items for o in ln.occurrences]
    whole = sum(abs(o.points) for o in occs)
    if not whole:
        return None
    return round(sum(abs(o.points) for o in occs if o.status == "confirmed") / whole, 4)


def _inputs(session: Session, rubric: Any, draft: Any, decisions: dict[str, DecisionRow]) -> tuple[InputRow, ...]:
    from .web_inputs import load_stored_inputs

    inputs = load_stored_inputs(session, rubric)
    occ = {o.key: o for u in draft.units for ln in u.items for o in ln.occurrences}
    index_occ = {u.unit: o for u in draft.units for ln in u.items for o in ln.occurrences
                 if any(e.kind == "clean_index" for e in o.evidence)}

    def state_of(key: str, o: Any) -> str:
        if o is not None:
            return "confirmed" if o.status == "confirmed" else "proposed"
        d = decisions.get(key)
        return "rejected" if d is not None and d.state == "rejected" else "unused"

    out = []
    for t in inputs.plan_tasks:
        o = occ.get(t.id)
        out.append(InputRow("plan_task", t, o.points if o else None, o.detail if o else "", state_of(t.id, o),
                            tuple(f.message for f in o.flags) if o else ()))
    for r in inputs.clean_index:
        o = index_occ.get(r.unit)
        out.append(InputRow("clean_index", r, o.points if o else None, o.detail if o else "",
                            state_of(o.key if o else r.id, o), ()))
    for f in inputs.findings:
        o = occ.get(f.id)
        out.append(InputRow("finding", f, o.points if o else None, o.detail if o else "", state_of(f.id, o),
                            tuple(x.message for x in o.flags) if o else ()))
    return tuple(out)


def _flags(draft: Any, units: Sequence[UnitResult]) -> tuple[dict, ...]:
    rows = [dict(r) for r in draft.flags_frame().to_dict("records")]
    for u in units:
        for s in u.sections:
            rows += [{"unit": u.unit, "item": s.section, "code": "cap", "message": m} for m in s.reasons]
        for r in u.rows:
            if r.rereview:
                rows.append({"unit": u.unit, "item": r.item, "code": "rereview",
                             "message": f"[{r.key}] 已确认后证据或建议分有变化，请在审核队列复核"})
    return tuple(rows)


def collect(session: Session, include_proposed: bool = False) -> ExportTable:
    """Read the decided draft from the database and shape the export table."""
    from scoring.totals import section_totals

    from . import web_sheet

    sheet_rows, draft = web_sheet.sheet(session)
    rubric = web_sheet.load_rubric(session)
    decisions = {d.key: d for d in session.scalars(select(DecisionRow))}
    states = dict(session.execute(select(ProposalRow.key, ProposalRow.state).where(ProposalRow.active)).all())
    units = []
    for sr in sheet_rows:
        u = sr.score
        conf = {s.section: s for s in section_totals(rubric, {ln.item: web_sheet.confirmed_points(ln) for ln in u.items})}
        shown = u.sections if include_proposed else tuple(conf[s.section] for s in u.sections)
        pending = {ln.section for ln in u.items if any(o.status != "confirmed" for o in ln.occurrences)}
        sections = tuple(
            SectionResult(s.section, s.name, (rubric.section(s.section).points if rubric.section(s.section) else None),
                          s.points, conf[s.section].points, s.reasons, include_proposed and s.section in pending)
            for s in shown
        )
        units.append(UnitResult(
            u.unit, u.rank if include_proposed else sr.confirmed_rank, sr.proposed if include_proposed else sr.confirmed,
            sr.confirmed, sr.confirmed_rank, _share(u), sr.left, sections, _items(u, include_proposed),
            tuple(_point_rows(u, decisions, states, include_proposed)),
        ))
    units.sort(key=lambda u: (u.rank, u.unit))
    warnings = []
    if w := web_sheet.get_setting(session, "inputs_warning"):
        warnings.append(w)
    return ExportTable(
        rubric.id, rubric.name, rubric.version,
        tuple((s.id, s.name, s.points) for s in rubric.sections), include_proposed, tuple(units),
        _inputs(session, rubric, draft, decisions), _flags(draft, units), tuple(warnings),
        sum(u.open_proposals for u in units),
    )


# --- the flat table for other systems (CSV) and the nested one (JSON) ---------------------

CSV_COLUMNS = (
    "rank", "unit", "total", "confirmed_total", "share_confirmed", "open_proposals", "section", "section_name",
    "section_points", "item", "item_name", "points", "confirmed_points", "proposed_points", "state",
)


def _num(x: float | None) -> int | float | None:
    return None if x is None else num(x)


def csv_rows(table: ExportTable) -> list[dict]:
    """One row per unit and rubric item, in rank and rubric order (columns: CSV_COLUMNS)."""
    out = []
    for u in table.units:
        secs = {s.section: s for s in u.sections}
        for it in u.items:
            s = secs.get(it.section)
            out.append({
                "rank": u.rank, "unit": u.unit, "total": _num(u.total), "confirmed_total": _num(u.confirmed_total),
                "share_confirmed": u.share_confirmed, "open_proposals": u.open_proposals,
                "section": it.section, "section_name": s.name if s else "", "section_points": _num(s.points) if s else None,
                "item": it.item, "item_name": it.name, "points": _num(it.points), "confirmed_points": _num(it.confirmed),
                "proposed_points": _num(it.proposed), "state": it.state,
            })
    return out


def _cited(c: Cited | None) -> dict | None:
    return None if c is None else {"id": c.id, "kind": c.kind, "document": c.document, "page": c.page,
                                   "row": c.row, "quote": c.quote}


def json_doc(table: ExportTable) -> dict:
    """Everything of the export as one JSON object (format "reportscore-export/1")."""
    units = []
    for u in table.units:
        by_item: dict[str, list[dict]] = {}
        for r in u.rows:
            by_item.setdefault(r.item, []).append({
                "key": r.key, "points": _num(r.points), "range": [_num(r.range[0]), _num(r.range[1])],
                "rule": r.rule, "detail": r.detail, "state": r.state, "rereview": r.rereview,
                "reviewer": r.reviewer, "decided_at": r.decided_at, "source": _cited(r.source),
                "other_sources": [_cited(c) for c in r.others], "flags": list(r.flags),
            })
        units.append({
            "rank": u.rank, "unit": u.unit, "total": _num(u.total), "confirmed_total": _num(u.confirmed_total),
            "confirmed_rank": u.confirmed_rank, "share_confirmed": u.share_confirmed,
            "open_proposals": u.open_proposals, "state": u.state,
            "sections": [{"section": s.section, "name": s.name, "points": _num(s.points), "confirmed": _num(s.confirmed),
                          "caps": list(s.reasons)} for s in u.sections],
            "items": [{"item": i.item, "name": i.name, "section": i.section, "points": _num(i.points),
                       "confirmed": _num(i.confirmed), "proposed": _num(i.proposed), "state": i.state,
                       "occurrences": by_item.get(i.item, [])} for i in u.items],
        })
    return {
        "format": "reportscore-export/1", "generated": table.generated.isoformat(timespec="seconds"),
        "rubric": {"id": table.rubric_id, "name": table.rubric_name, "version": table.rubric_version},
        "include_proposed": table.include_proposed, "final": table.final, "open_proposals": table.open_proposals,
        "sections": [{"section": s, "name": n, "max_points": p} for s, n, p in table.sections],
        "units": units, "warnings": list(table.warnings),
    }
