"""The review queue's proposals, materialised from each new draft, and decisions re-attached.

Why a table at all: the queue must filter, count and order 10,000 proposals in a page
render, which a draft in memory cannot do. The table is derived data: `sync` rewrites
it from every draft, keyed by Occurrence.key, and never deletes a row (a proposal the
draft no longer has is deactivated). Decisions live in their own table and are never
touched here; this module only works out where each decision stands now:

- its key is still a proposal, or evidence of one: attached (if the evidence under a
  decided proposal changed, the proposal is "needs re-review");
- its key is gone (a corrected file replaced the old one, the latest mention moved to a
  new report): the decision is shown against the matching new proposals (same unit and
  item, similar subject and value) as "needs re-review", never silently transferred.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import ClaimRow, DecisionRow, DocumentRow, ProposalRow, utcnow

MATCH_THRESHOLD = 0.5  # subject similarity for "the matching new proposal"


def sync(session: Session, draft: Any, run_id: int | None) -> None:
    """Bring the stored proposals and draft in line with the database, keeping every decision.

    The draft is rebuilt from the database unit by unit (`rescoring.rescore_stored`:
    stored input tables, superseded files left out), so the queue and the score sheet
    agree. If `draft` (a scoring.Draft the caller made) used input rows the database does
    not hold, that draft is used instead and a warning is kept for the UI.
    """
    from . import web_sheet
    from .rescoring import relink, rescore_stored

    if run_id is not None:
        from .db import RunRow

        run = session.get(RunRow, run_id)
        if run is not None and run.rubric:
            web_sheet.set_setting(session, "rubric", run.rubric)
    session.flush()
    summary = rescore_stored(session, run_id)
    if draft is None or input_evidence(draft) <= summary.input_evidence:
        web_sheet.set_setting(session, "inputs_warning", "")
        return
    web_sheet.set_setting(session, "inputs_warning", "本次运行使用的输入表（计划任务、干净指数或检查问题）未存入数据库："
                          "评分表重算时将缺少这些数据，请管理员在“输入表”页上传。")
    from .store import save_draft

    materialise(session, draft, run_id)
    save_draft(session, run_id, draft.to_json())
    relink(session, run_id)


def rescore(session: Session, run_id: int | None = None):
    """Recompute from the database alone (after an input upload): proposals and stored draft."""
    from . import web_sheet
    from .rescoring import rescore_stored

    summary = rescore_stored(session, run_id)
    web_sheet.set_setting(session, "inputs_warning", "")
    return summary


def input_evidence(draft: Any) -> set[tuple[str, str]]:
    """The input-table rows a draft cites (plan tasks, index rows, findings)."""
    return {(e.id, e.quote) for u in draft.units for ln in u.items for o in ln.occurrences
            for e in o.evidence if e.kind not in ("claim", "manual")}


def _fingerprint(points: float, rng: tuple[float, float], item: str, rule_id: str, evidence: list[dict]) -> str:
    data = [round(points, 2), [round(rng[0], 2), round(rng[1], 2)], item, rule_id,
            sorted((e["id"], e["quote"]) for e in evidence)]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:32]


def _claim_info(c: Any, period: str) -> dict:
    """What a proposal shows and matches on for one claim (a ClaimRow or a model Claim)."""
    return {"sha": c.document_sha256, "block": c.block, "start": c.start, "end": c.end, "period": period,
            "subject": c.subject, "value": c.value, "measure": c.unit, "confidence": c.confidence}


def _claims_info(session: Session, ids: Iterable[str]) -> dict[str, dict]:
    """Claim id → _claim_info, read from the database (a whole draft)."""
    ids = list(set(ids))
    rows: list[ClaimRow] = []
    for i in range(0, len(ids), 500):
        rows += session.scalars(select(ClaimRow).where(ClaimRow.id.in_(ids[i:i + 500])))
    shas = list({c.document_sha256 for c in rows})
    periods: dict[str, str] = {}
    for i in range(0, len(shas), 500):
        for sha, period in session.execute(select(DocumentRow.sha256, DocumentRow.period)
                                           .where(DocumentRow.sha256.in_(shas[i:i + 500]))):
            periods[sha] = period or ""
    return {c.id: _claim_info(c, periods.get(c.document_sha256, "")) for c in rows}


def _evidence_json(evidence: Iterable[Any], claims: dict[str, dict]) -> list[dict]:
    out = []
    for e in evidence:
        d = {"id": e.id, "kind": e.kind, "document": e.document, "page": e.page, "quote": e.quote}
        c = claims.get(e.id)
        if c is not None:
            d.update(sha=c["sha"], block=c["block"], start=c["start"], end=c["end"], period=c["period"])
        out.append(d)
    return out


def gaps(totals: dict[str, float]) -> dict[str, float]:
    """How close each unit is to its neighbours in the ranking (the smaller, the likelier a
    proposal changes the order)."""
    ordered = sorted(((t, unit) for unit, t in totals.items()), reverse=True)
    out = {}
    for i, (t, unit) in enumerate(ordered):
        near = [abs(t - ordered[j][0]) for j in (i - 1, i + 1) if 0 <= j < len(ordered)]
        out[unit] = round(min(near), 2) if near else round(abs(t), 2)
    return out


def _row(key: str, kind: str, unit: str, item: str, points: float, rng: tuple[float, float], rule_id: str,
         rule_text: str, detail: str, reason: str, evidence: list[dict], flags: list[dict],
         claims: dict[str, dict], gap: float) -> dict:
    primary = key if key in claims else next((e["id"] for e in reversed(evidence) if e["id"] in claims), None)
    c = claims.get(primary or "", {})
    confs = [claims[e["id"]]["confidence"] for e in evidence if e["id"] in claims]
    confidence = max(0.0, min(1.0, (min(confs) if confs else 1.0) - 0.1 * len(flags)))
    effect = abs(points)  # what the ranking loses or gains if this proposal is wrong
    if kind == "occurrence" and primary != key and evidence and evidence[0]["id"] not in claims:
        subject = evidence[0]["quote"]  # a plan task or finding: its own text is the subject
    else:
        subject = c.get("subject", "") or rule_id
    return dict(
        key=key, kind=kind, unit=unit, item=item, period=c.get("period", ""), rule_id=rule_id, rule_text=rule_text,
        points=round(points, 2), range_lo=round(rng[0], 2), range_hi=round(rng[1], 2), detail=detail, reason=reason,
        evidence=evidence, flags=flags, claim_id=primary, document_sha256=c.get("sha"), subject=subject,
        value=c.get("value"), measure=c.get("measure", ""), confidence=round(confidence, 3),
        effect=round(effect, 2), gap=gap, priority=round(effect / (gap + 1.0), 4),
        fingerprint=_fingerprint(points, rng, item, rule_id, evidence),
    )


def _rows_of(session: Session, draft: Any, claims: dict[str, dict] | None = None, with_gaps: bool = True) -> dict[str, dict]:
    """Proposal rows of a draft. `claims`: the claim info when the caller has the claims
    at hand (else read from the database). Without `with_gaps`, occurrence rows carry no
    gap or priority: they depend on the other units and are set once all are scored."""
    if claims is None:
        ids = [e.id for u in draft.units for ln in u.items for o in ln.occurrences for e in o.evidence]
        ids += [x.evidence.id for u in draft.units for x in u.unscored] + [x.evidence.id for x in draft.unassigned]
        claims = _claims_info(session, ids)
    unit_gaps = gaps({u.unit: u.total for u in draft.units})
    rows: dict[str, dict] = {}
    for u in draft.units:
        for ln in u.items:
            for o in ln.occurrences:
                if o.key not in rows:
                    rows[o.key] = _row(o.key, "occurrence", u.unit, o.item, o.points, o.range, o.rule_id, o.rule_text,
                                       o.detail, "", _evidence_json(o.evidence, claims),
                                       [f.to_json() for f in o.flags], claims, unit_gaps.get(u.unit, 0.0))
                    if not with_gaps:
                        del rows[o.key]["gap"], rows[o.key]["priority"]
        for x in u.unscored:
            _add_unscored(rows, u.unit, x, claims)
    for x in draft.unassigned:
        _add_unscored(rows, "", x, claims)
    return rows


def _add_unscored(rows: dict[str, dict], unit: str, x: Any, claims: dict[str, dict]) -> None:
    key = x.evidence.id
    if key in rows:
        return
    item = x.candidates[0][0] if x.candidates else ""
    rows[key] = _row(key, "unscored", unit, item, 0.0, (0.0, 0.0), "", "", "", x.reason,
                     _evidence_json([x.evidence], claims), [], claims, 0.0)
    rows[key]["priority"] = 0.0


def materialise(session: Session, draft: Any, run_id: int | None) -> None:
    """Upsert a whole draft's proposals and deactivate the missing ones (decisions are
    re-attached by `rescoring.relink`)."""
    rows = _rows_of(session, draft)
    existing = {p.key: p for p in session.scalars(select(ProposalRow))}
    _upsert(session, rows, existing, run_id)


def materialise_unit(session: Session, draft: Any, run_id: int | None, unit: str, docs: Any, claims: Any) -> None:
    """Upsert one unit's part of a draft, made from `docs` and `claims`; deactivate the
    unit's proposals it no longer has. A key stored under another unit (a document whose
    unit was recognised since) is moved, not duplicated. Gap and priority are left to the
    caller (they depend on every unit's total)."""
    periods = {d.sha256: d.period or "" for d in docs}
    info = {c.id: _claim_info(c, periods.get(c.document_sha256, "")) for c in claims}
    rows = _rows_of(session, draft, info, with_gaps=False)
    existing = {p.key: p for p in session.scalars(select(ProposalRow).where(ProposalRow.unit == unit))}
    moved = [k for k in rows if k not in existing]
    for i in range(0, len(moved), 500):
        for p in session.scalars(select(ProposalRow).where(ProposalRow.key.in_(moved[i:i + 500]))):
            existing[p.key] = p
    _upsert(session, rows, existing, run_id)


def _upsert(session: Session, rows: dict[str, dict], existing: dict[str, ProposalRow], run_id: int | None) -> None:
    """Insert new rows, write only what changed in existing ones (an unchanged proposal is
    not rewritten on every run), deactivate the missing ones."""
    now = utcnow()
    for key, data in rows.items():
        p = existing.get(key)
        if p is None:
            p = ProposalRow(key=key, first_run=run_id, rereview_of=[], state="open", active=False)
            session.add(p)
            existing[key] = p
        changed = not p.active
        for k, v in data.items():
            if getattr(p, k) != v:
                setattr(p, k, v)
                changed = True
        if changed:
            p.active, p.last_run, p.updated = True, run_id, now
    for key, p in existing.items():
        if key not in rows and p.kind != "manual" and p.active:
            p.active, p.updated = False, now
    session.flush()


def match_score(basis: dict, dec: DecisionRow, p: ProposalRow) -> float:
    """How well a new proposal matches a decision's old subject (0: not at all)."""
    from scoring.similar import similarity

    if set(basis.get("evidence") or []) & {e["id"] for e in p.evidence}:
        return 1.0
    if p.unit != basis.get("unit"):
        return 0.0
    items = {basis.get("item"), dec.item} - {None, ""}
    if p.item not in items and not (basis.get("kind") == p.kind == "unscored"):
        return 0.0
    if basis.get("kind") == "evidence":  # a correction of one number: look inside the proposals' evidence
        s = max([similarity(basis.get("quote", ""), e["quote"]) for e in p.evidence] + [similarity(basis.get("subject", ""), p.subject)])
    else:
        s = max(similarity(basis.get("subject", ""), p.subject), similarity(basis.get("quote", ""), (p.evidence or [{}])[0].get("quote", "")))
    old, new = basis.get("value"), p.value
    if old is not None and new is not None and max(abs(old), abs(new)) > 0:
        if min(abs(old), abs(new)) / max(abs(old), abs(new)) < 0.5:
            s *= 0.5
    return s


def state_of(p: ProposalRow, d: DecisionRow | None) -> str:
    """open | rereview | confirmed | rejected: what the queue filters on."""
    if d is not None and d.state:
        basis = d.basis or {}
        if p.kind == "occurrence" and basis.get("fingerprint") and basis["fingerprint"] != p.fingerprint:
            return "rereview"  # decided, but the evidence or proposal changed since
        return d.state
    return "rereview" if p.rereview_of else "open"


def refresh_state(session: Session, key: str) -> None:
    """After a decision: the proposal's state, and the re-review marks it settles."""
    p = session.get(ProposalRow, key)
    d = session.get(DecisionRow, key)
    if p is not None:
        p.state = state_of(p, d)
        p.updated = utcnow()
    session.flush()


def add_manual_proposal(session: Session, key: str, manual: dict) -> ProposalRow:
    """A manual point shown in the queue like any proposal (confirmed by its author)."""
    note = manual["note"]
    ev = [{"id": key, "kind": "manual", "document": "人工录入", "page": None, "quote": note}]
    p = ProposalRow(key=key, kind="manual", unit=manual["unit"], item=manual["item"], period="", rule_id="manual",
                    rule_text="人工加减分", points=manual["points"], range_lo=manual["points"],
                    range_hi=manual["points"], detail=note, reason="", evidence=ev, flags=[], claim_id=None,
                    document_sha256=None, subject=note, value=None, measure="", confidence=1.0,
                    effect=abs(manual["points"]), gap=0.0, priority=0.0, fingerprint="", state="confirmed",
                    active=True, rereview_of=[], updated=utcnow())
    session.add(p)
    session.flush()
    return p


def set_manual_active(session: Session, key: str, active: bool) -> None:
    p = session.get(ProposalRow, key)
    if p is not None and p.kind == "manual":
        p.active = active
