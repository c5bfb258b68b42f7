"""Scoring the stored batch unit by unit, so memory follows the largest unit, not the batch.

A unit's draft depends only on its own documents, claims and input rows; only the ranks
and the ranking gaps (which order the review queue) look across units, and those need
one number per unit. So `rescore_stored` loads one unit at a time, builds its part of
the draft with `scoring.build_draft`, stores the unit's draft rows and proposals, lets
the unit go, and finally writes ranks and gaps. Decisions are then re-attached by
`relink`, which streams the proposals too: decisions are few (people make them), the
proposals are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, true, update
from sqlalchemy.orm import Session

from .db import ClaimRow, DecisionLinkRow, DecisionRow, DocumentRow, DraftUnitRow, ProposalRow


@dataclass
class RescoreSummary:
    """What a pass over the stored batch produced (one number per unit: small)."""

    totals: dict[str, float] = field(default_factory=dict)
    input_evidence: set[tuple[str, str]] = field(default_factory=set)


def unit_groups(session: Session, inputs: Any, superseded: dict[str, str]) -> list[str | None]:
    """Every unit with a current document or an input row; None for documents without a unit."""
    units: set[str] = set(inputs.units())
    no_unit = False
    for sha, unit in session.execute(select(DocumentRow.sha256, DocumentRow.unit)):
        if sha in superseded:
            continue
        if unit:
            units.add(unit)
        else:
            no_unit = True
    return [*sorted(units), *([None] if no_unit else [])]


def load_unit(session: Session, unit: str | None, superseded: dict[str, str]) -> tuple[list, list]:
    """One unit's current documents (without blocks) and their claims, as build_draft takes them."""
    from .store import row_to_claim, row_to_document

    cond = DocumentRow.unit.is_(None) | (DocumentRow.unit == "") if unit is None else DocumentRow.unit == unit
    docs = [row_to_document(r) for r in session.scalars(select(DocumentRow).where(cond)) if r.sha256 not in superseded]
    shas = [d.sha256 for d in docs]
    claims = []
    for i in range(0, len(shas), 200):
        claims += [row_to_claim(r) for r in session.scalars(select(ClaimRow).where(ClaimRow.document_sha256.in_(shas[i:i + 200])))]
    claims.sort(key=lambda c: (c.document_sha256, c.block, c.start, c.ordinal))  # one order on every database
    return docs, claims


def rescore_stored(session: Session, run_id: int | None) -> RescoreSummary:
    """Rebuild the stored draft and the proposals from the database alone (stored input
    tables, superseded files left out), one unit at a time; then re-attach decisions."""
    from scoring import build_draft
    from scoring.totals import ranks

    from . import proposals, web_sheet
    from .store import add_draft_unit, clear_draft
    from .web_inputs import load_stored_inputs

    rubric = web_sheet.load_rubric(session)
    inputs = load_stored_inputs(session, rubric)
    old = web_sheet.superseded(session)
    out = RescoreSummary()
    clear_draft(session)
    groups = unit_groups(session, inputs, old)
    for unit in groups:
        docs, claims = load_unit(session, unit, old)
        part = build_draft(docs, claims, rubric, inputs.only(unit))
        out.input_evidence |= proposals.input_evidence(part)
        for u in part.to_json():
            out.totals[u["unit"]] = u["total"]
            add_draft_unit(session, run_id, u, rank=0)
        proposals.materialise_unit(session, part, run_id, "" if unit is None else unit, docs, claims)
        del docs, claims, part
        session.flush()
        session.expunge_all()  # nothing of this unit stays in memory
    for unit, rank in ranks(out.totals.items()).items():  # load_draft puts the column into the unit's JSON
        session.execute(update(DraftUnitRow).where(DraftUnitRow.unit == unit).values(rank=rank))
    known = [("" if u is None else u) for u in groups]
    session.execute(update(ProposalRow).where(ProposalRow.kind != "manual", ProposalRow.active.is_(True),
                                              ProposalRow.unit.not_in(known) if known else true())
                    .values(active=False))
    for unit, gap in proposals.gaps(out.totals).items():
        session.execute(update(ProposalRow).where(ProposalRow.unit == unit, ProposalRow.kind == "occurrence")
                        .values(gap=gap, priority=ProposalRow.effect / (gap + 1.0)))
    session.flush()
    relink(session, run_id)
    return out


# ---------------------------------------------------------------- decisions
def _counts(d: DecisionRow) -> bool:
    """Decisions that need a place in the queue (not manual points, not undone ones)."""
    return not (d.manual or (d.state is None and not d.correction))


def relink(session: Session, run_id: int | None) -> None:
    """Recompute decision_links and every proposal's state and re-review list.

    A decision is attached to the active proposal with its key, else to the active
    proposal that cites its key as evidence. A decision whose key is gone is shown
    against the best-matching new proposals (`proposals.match_score`) as re-review.
    """
    from .proposals import MATCH_THRESHOLD, match_score, state_of

    decisions = {d.key: d for d in session.scalars(select(DecisionRow))}
    wanted = {k for k, d in decisions.items() if _counts(d)}
    attached: dict[str, str] = {}
    cited: dict[str, str] = {}
    basis_ids = {i for k in wanted for i in ((decisions[k].basis or {}).get("evidence") or ())}
    citing: set[str] = set()  # active proposals citing evidence a decision's basis had
    q = (select(ProposalRow.key, ProposalRow.evidence).where(ProposalRow.active.is_(True))
         .order_by(ProposalRow.key).execution_options(yield_per=2000))
    for key, evidence in (session.execute(q) if wanted else ()):
        if key in wanted:
            attached[key] = key
        for e in evidence or ():
            if e["id"] in wanted and e["id"] != key:
                cited.setdefault(e["id"], key)
            if e["id"] in basis_ids:
                citing.add(key)
    for k, to in cited.items():
        attached.setdefault(k, to)
    loose = {k: decisions[k] for k in wanted if k not in attached and decisions[k].basis}
    best: dict[str, tuple[float, list[str]]] = {}
    if loose:
        # match_score is 0 outside the decision's unit unless the proposal cites its old
        # evidence: read only those units, and the citing proposals, one unit at a time
        units = sorted({d.basis.get("unit") or "" for d in loose.values()})
        keys = sorted(citing)
        batches = [ProposalRow.unit == u for u in units] + [ProposalRow.key.in_(keys[i:i + 500])
                                                            for i in range(0, len(keys), 500)]
        seen: set[str] = set()
        for cond in batches:
            for p in session.scalars(select(ProposalRow).where(cond, ProposalRow.active.is_(True),
                                                               ProposalRow.kind != "manual")):
                if p.key in seen:
                    continue
                seen.add(p.key)
                for k, d in loose.items():
                    s = match_score(d.basis, d, p)
                    if s < MATCH_THRESHOLD:
                        continue
                    top, found = best.get(k, (0.0, []))
                    if s > top:
                        best[k] = (s, [p.key])
                    elif s == top:
                        found.append(p.key)
            session.expunge_all()
    session.execute(delete(DecisionLinkRow))
    rereview: dict[str, list[str]] = {}
    for key in sorted(wanted):
        successors = sorted(best.get(key, (0.0, []))[1]) if key not in attached else []
        for k in successors:
            rereview.setdefault(k, []).append(key)
        session.add(DecisionLinkRow(key=key, attached_to=attached.get(key), successors=successors, run_id=run_id))
    session.flush()
    # states and re-review marks: read the few columns they depend on, write what changed
    cols = (ProposalRow.key, ProposalRow.kind, ProposalRow.fingerprint, ProposalRow.state, ProposalRow.rereview_of)
    changes: list[dict] = []
    for row in session.execute(select(*cols).execution_options(yield_per=5000)):
        want = sorted(rereview.get(row.key, []))
        state = state_of(_Shown(row.kind, row.fingerprint, want), decisions.get(row.key))
        if state != row.state or (row.rereview_of or []) != want:
            changes.append({"key": row.key, "state": state, "rereview_of": want})
    for i in range(0, len(changes), 1000):  # after the read: few rows change on a re-run
        session.execute(update(ProposalRow), changes[i:i + 1000])
    session.flush()


@dataclass(frozen=True)
class _Shown:
    """What a proposal's queue state depends on (state_of takes this or a ProposalRow)."""

    kind: str
    fingerprint: str
    rereview_of: list[str]
