"""Reviewers' decisions: the only writes of the review layer that matter, and how they are kept.

Why it is built this way:
- A decision is keyed by the proposal key (a claim id, an input row id or
  "unit::item::rule"), never by a database row id, so re-runs find it again.
- Every change is one compare-and-swap on `decisions.version` plus one `audit_log` row
  in the same transaction. The form carries the version it was rendered with; when
  somebody else decided first the second reviewer gets a `Conflict` naming the first
  decision, and nothing is overwritten.
- Undo is a new change that restores the `before` of an earlier audit row; nothing is
  ever deleted (database triggers refuse it, see migration 0002).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Collection

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .db import AuditRow, ClaimRow, DecisionRow, DocumentRow, ProposalRow, utcnow
from .proposals import add_manual_proposal, refresh_state, set_manual_active

ACTION_LABELS = {
    "confirm": "确认", "reject": "驳回", "points": "改分", "move": "改评分项", "correct": "更正提取值",
    "manual": "人工加减分", "undo": "撤销", "adopt": "沿用原决定", "upload": "上传输入表", "withdraw": "停用输入表",
}
STATE_LABELS = {None: "待审", "open": "待审", "rereview": "待复核", "confirmed": "已确认", "rejected": "已驳回"}
FIELDS = ("state", "points", "item", "reason", "correction", "manual")


class DecisionError(Exception):
    """A decision that cannot be made as asked; `message` is for the reviewer."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class Conflict(DecisionError):
    """Somebody changed the key since the form was rendered; `current` is what is there now."""

    def __init__(self, message: str, key: str, current: dict | None) -> None:
        super().__init__(message, "conflict")
        self.key = key
        self.current = current


@dataclass
class Outcome:
    """What a successful change did, for the redirect and the flash message."""

    key: str
    action: str
    version: int
    audit_id: int
    after: dict = field(default_factory=dict)


def snapshot(row: DecisionRow | None) -> dict | None:
    """The decision as plain JSON data (what the audit log stores before and after)."""
    if row is None:
        return None
    return {
        "state": row.state, "points": row.points, "item": row.item, "reason": row.reason or "",
        "correction": row.correction, "manual": row.manual, "version": row.version,
        "by": row.decided_by, "at": row.decided_at.isoformat() if isinstance(row.decided_at, datetime) else None,
    }


def _empty() -> dict:
    return {"state": None, "points": None, "item": None, "reason": "", "correction": None, "manual": None}


def basis_of(session: Session, key: str) -> dict | None:
    """What the reviewer was looking at: the proposal (or claim) as it is now, kept with the
    decision so that a later re-run can tell whether the evidence changed under it."""
    p = session.get(ProposalRow, key)
    if p is not None:
        quote = p.evidence[0]["quote"] if p.evidence else ""
        return {"fingerprint": p.fingerprint, "kind": p.kind, "unit": p.unit, "item": p.item, "period": p.period,
                "subject": p.subject, "value": p.value, "measure": p.measure, "points": p.points,
                "range": [p.range_lo, p.range_hi], "quote": quote, "rule_id": p.rule_id,
                "evidence": [e["id"] for e in p.evidence]}
    c = session.get(ClaimRow, key)
    if c is not None:
        doc = session.get(DocumentRow, c.document_sha256)
        return {"fingerprint": "", "kind": "evidence", "unit": doc.unit if doc else "", "item": c.rubric_item or "",
                "period": (doc.period if doc else "") or "", "subject": c.subject, "value": c.value,
                "measure": c.unit, "points": None, "range": None, "quote": c.quote, "rule_id": "",
                "evidence": [c.id]}
    return None


def _number(raw: Any, what: str) -> float:
    try:
        x = float(str(raw).strip().replace("，", "").replace(",", ""))
    except ValueError:
        raise DecisionError(f"{what}“{raw}”不是数字") from None
    if x != x or x in (float("inf"), float("-inf")):
        raise DecisionError(f"{what}“{raw}”不是数字")
    return round(x, 2)


def _new_state(session: Session, key: str, action: str, cur: dict, form: dict, items: Collection[str]) -> dict:
    """The decision after `action`, validated against the proposal's range and the rubric."""
    new = {k: cur.get(k) for k in FIELDS}
    proposal = session.get(ProposalRow, key)
    if action == "confirm":
        if proposal is None and session.get(ClaimRow, key) is None:
            raise DecisionError(f"没有这条建议：{key}", "not_found")
        new["state"] = "confirmed"
        if proposal is not None and proposal.kind == "occurrence":
            # "a" accepts the proposal as shown; the points are kept with the decision, so a
            # later re-run proposing other points cannot change what was confirmed
            new["points"] = proposal.points
    elif action == "reject":
        reason = str(form.get("reason") or "").strip()
        if not reason:
            raise DecisionError("驳回需要填写理由")
        new.update(state="rejected", reason=reason[:500])
    elif action == "points":
        if proposal is None or proposal.kind != "occurrence":
            raise DecisionError("只有计分建议可以改分")
        pts = _number(form.get("points"), "分值")
        lo, hi = sorted((proposal.range_lo, proposal.range_hi))
        if not lo - 1e-9 <= pts <= hi + 1e-9:
            raise DecisionError(f"分值{pts:g}超出规则允许的范围[{lo:g}, {hi:g}]")
        new.update(state="confirmed", points=pts, reason=str(form.get("reason") or "").strip()[:500])
    elif action == "move":
        item = str(form.get("item") or "").strip()
        if item not in items:
            raise DecisionError(f"评分项“{item}”不在评分标准中")
        if session.get(ClaimRow, key) is None:
            raise DecisionError("只有报告中的表述可以改评分项")
        new.update(state="confirmed", item=item, points=None)
    elif action == "correct":
        if session.get(ClaimRow, key) is None:
            raise DecisionError("只有报告中的表述可以更正提取值")
        unit = str(form.get("unit") or "").strip()
        status = str(form.get("status") or "").strip()
        if not unit or len(unit) > 40:
            raise DecisionError("计量单位不能为空")
        if status not in ("done", "planned"):
            raise DecisionError("状态只能是“已完成”或“计划”")
        new["correction"] = {"value": _number(form.get("value"), "数值"), "unit": unit, "status": status}
    else:
        raise DecisionError(f"未知操作：{action}")
    return new


def _write(session: Session, key: str, version: int, new: dict, action: str, user: str,
           before: dict | None, basis: dict | None, undoes: int | None = None, note: str = "") -> Outcome:
    """The compare-and-swap and its audit row, in the caller's transaction."""
    now = utcnow()
    values = {k: new.get(k) for k in FIELDS}
    values.update(version=version + 1, decided_by=user, decided_at=now)
    if basis is not None:
        values["basis"] = basis
    if version == 0 and before is None:
        res = session.execute(_insert_new(session, {"key": key, **values}))
        if res.rowcount != 1:  # type: ignore[attr-defined]  # somebody made the first decision meanwhile
            raise _conflict(session, key)
    else:
        res = session.execute(update(DecisionRow).where(DecisionRow.key == key, DecisionRow.version == version)
                              .values(**values).execution_options(synchronize_session=False))
        if res.rowcount != 1:  # type: ignore[attr-defined]
            raise _conflict(session, key)
    row = session.get(DecisionRow, key, populate_existing=True)
    after = snapshot(row)
    audit = AuditRow(key=key, action=action, user=user, at=now, version=version + 1, before=before, after=after,
                     undoes=undoes, note=note[:1000])
    session.add(audit)
    session.flush()
    refresh_state(session, key)
    return Outcome(key, action, version + 1, audit.id, after or {})


def _insert_new(session: Session, values: dict):
    """INSERT … ON CONFLICT DO NOTHING: a lost race leaves the transaction usable."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(DecisionRow).values(**values).on_conflict_do_nothing(index_elements=["key"])


def _conflict(session: Session, key: str) -> Conflict:
    session.expire_all()
    row = session.get(DecisionRow, key)
    cur = snapshot(row)
    if cur is None:
        return Conflict("这条建议已有变化，请刷新后重试", key, None)
    what = STATE_LABELS.get(cur["state"], cur["state"])
    return Conflict(f"冲突：{cur['by']} 已于 {cur['at'][:19].replace('T', ' ')} 处理了这条建议（{what}），"
                    f"您的操作未保存。请查看后再决定。", key, cur)


def _check_version(session: Session, key: str, version: int) -> tuple[DecisionRow | None, int]:
    row = session.get(DecisionRow, key)
    current = row.version if row is not None else 0
    if version != current:
        raise _conflict(session, key)
    return row, current


def decide(session: Session, key: str, action: str, user: str, version: int, form: dict | None = None,
           items: Collection[str] = (), fingerprint: str | None = None) -> Outcome:
    """Apply one reviewer action to `key` in the caller's transaction.

    Raises Conflict or DecisionError and writes nothing then (the caller rolls back)."""
    form = form or {}
    if action not in ("confirm", "reject", "points", "move", "correct"):
        raise DecisionError(f"未知操作：{action}")
    row, current = _check_version(session, key, version)
    proposal = session.get(ProposalRow, key)
    if fingerprint and proposal is not None and proposal.fingerprint != fingerprint:
        raise Conflict("这条建议在您查看之后已随重新计算而变化，请查看新的内容后再决定", key, snapshot(row))
    before = snapshot(row)
    cur = before or _empty()
    new = _new_state(session, key, action, cur, form, items)
    basis = basis_of(session, key)
    note = str(form.get("reason") or "") if action in ("reject", "points") else str(form.get("note") or "")
    return _write(session, key, current, new, action, user, before, basis, note=note)


def add_manual(session: Session, unit: str, item: str, points: Any, note: str, user: str,
               units: Collection[str], items: Collection[str]) -> Outcome:
    """A manual point with its evidence note: a new key `manual:…`, confirmed by its author."""
    if unit not in units:
        raise DecisionError(f"单位“{unit}”不在评分草稿中")
    if item not in items:
        raise DecisionError(f"评分项“{item}”不在评分标准中")
    note = str(note or "").strip()
    if not note:
        raise DecisionError("人工加减分必须写明依据")
    pts = _number(points, "分值")
    if pts == 0:
        raise DecisionError("分值不能为0")
    key = f"manual:{utcnow().strftime('%Y%m%d%H%M%S')}:{secrets.token_hex(4)}"
    manual = {"unit": unit, "item": item, "points": pts, "note": note[:1000]}
    add_manual_proposal(session, key, manual)
    new = _empty() | {"state": "confirmed", "points": pts, "item": item, "manual": manual}
    return _write(session, key, 0, new, "manual", user, None, basis_of(session, key), note=note)


def adopt(session: Session, key: str, source: str, user: str, version: int) -> Outcome:
    """Re-review: apply the decision made on an old proposal (`source`) to this new one, by
    a person's explicit choice; points outside the new rule's range fall back to the proposal's."""
    row, current = _check_version(session, key, version)
    old = session.get(DecisionRow, source)
    proposal = session.get(ProposalRow, key)
    if old is None or old.state is None or proposal is None:
        raise DecisionError("没有可沿用的原决定")
    before = snapshot(row)
    new = (before or _empty()) | {"state": old.state, "reason": old.reason or "", "item": None}
    if old.state == "confirmed" and proposal.kind == "occurrence":
        lo, hi = sorted((proposal.range_lo, proposal.range_hi))
        pts = old.points if old.points is not None and lo <= old.points <= hi else proposal.points
        new["points"] = pts
    if old.item and session.get(ClaimRow, key) is not None:
        new["item"] = old.item
    return _write(session, key, current, new, "adopt", user, before, basis_of(session, key),
                  note=f"沿用 {source} 的决定（{old.decided_by}）")


def _undone_ids(session: Session, key: str | None = None) -> set[int]:
    q = select(AuditRow.undoes).where(AuditRow.action == "undo")
    if key is not None:
        q = q.where(AuditRow.key == key)
    return {x for x in session.scalars(q) if x is not None}


def _last_change(session: Session, key: str) -> AuditRow | None:
    undone = _undone_ids(session, key)
    rows = session.scalars(select(AuditRow).where(AuditRow.key == key, AuditRow.action != "undo")
                           .order_by(AuditRow.id.desc()))
    return next((r for r in rows if r.id not in undone), None)


def undo(session: Session, user: str, key: str | None = None, version: int | None = None) -> Outcome:
    """Undo the latest change on `key` (form carries its version), or, without a key, the
    user's own latest change, refused when somebody changed that key after it."""
    if key is None:
        undone = _undone_ids(session)
        mine = session.scalars(select(AuditRow).where(AuditRow.user == user, AuditRow.action != "undo",
                                                      AuditRow.action != "upload", AuditRow.action != "withdraw")
                               .order_by(AuditRow.id.desc()).limit(200))
        target = next((r for r in mine if r.id not in undone), None)
        if target is None:
            raise DecisionError("没有可撤销的操作", "not_found")
        key, version = target.key, target.version
        if _last_change(session, key) is not target:
            raise _conflict(session, key)
    else:
        target = _last_change(session, key)
        if target is None:
            raise DecisionError("这条建议没有可撤销的操作", "not_found")
    if version is None:
        raise DecisionError("缺少版本号")
    row, current = _check_version(session, key, version)
    before = snapshot(row)
    restored = {k: (target.before or {}).get(k) for k in FIELDS}
    if restored.get("reason") is None:
        restored["reason"] = ""
    if target.action == "manual":
        set_manual_active(session, key, False)
    elif (target.before or {}).get("manual"):
        set_manual_active(session, key, True)
    label = ACTION_LABELS.get(target.action, target.action)
    return _write(session, key, current, restored, "undo", user, before, None, undoes=target.id,
                  note=f"撤销 {target.user} 的“{label}”（记录#{target.id}）")


def history(session: Session, key: str) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).where(AuditRow.key == key).order_by(AuditRow.id)))


def recent(session: Session, limit: int = 100, user: str | None = None) -> list[AuditRow]:
    q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if user:
        q = q.where(AuditRow.user == user)
    return list(session.scalars(q))


@dataclass(frozen=True)
class ForScoring:
    """The decisions as scoring reads them: Decision objects by key, claim corrections by
    claim id, and the confirmed manual points."""

    decisions: dict
    corrections: dict[str, dict]
    manual: tuple[dict, ...]


def for_scoring(session: Session) -> ForScoring:
    """Build the `decisions=` argument of scoring.build_draft from the decisions table."""
    from scoring import Decision

    decs: dict[str, Any] = {}
    corrections: dict[str, dict] = {}
    manual = []
    for r in session.scalars(select(DecisionRow)):
        if r.correction:
            corrections[r.key] = dict(r.correction)
        if r.manual:
            if r.state == "confirmed":
                manual.append({"key": r.key, **r.manual, "points": r.points if r.points is not None else r.manual["points"]})
            continue
        if r.state in ("confirmed", "rejected"):
            decs[r.key] = Decision(r.state, r.points, r.item, r.reason or "")  # type: ignore[arg-type]
    return ForScoring(decs, corrections, tuple(manual))
