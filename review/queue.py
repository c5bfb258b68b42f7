"""The queue as SQL: filters, counts of what is left, order, and next/previous.

Why SQL and a denormalised `proposals.state`: the page must render fast with tens of
thousands of proposals, so filtering, counting and ordering happen in the database on
indexed columns; nothing loads the whole table.

Order: effect on the ranking first (`priority` = |points| / (distance of the unit to
its nearest neighbour in the ranking + 1), so a big proposal of a unit that is neck and
neck with another comes first), then the least confident first, then the key.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Mapping
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .db import ProposalRow

STATES = {
    "todo": "待处理（待审+待复核）", "open": "待审", "rereview": "待复核", "confirmed": "已确认",
    "rejected": "已驳回", "inactive": "已失效", "all": "全部",
}
KINDS = {"scored": "计分建议", "unscored": "未计分的表述"}
TODO = ("open", "rereview")  # the states still to decide
PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    """What the reviewer narrowed the queue to; carried through every link and form."""

    unit: str = ""
    item: str = ""
    period: str = ""
    state: str = "todo"
    kind: str = "scored"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "Filters":
        def get(name: str, default: str = "") -> str:
            v = params.get(name)
            return str(v).strip()[:200] if v not in (None, "") else default

        state = get("state", "todo")
        kind = get("kind", "scored")
        return cls(get("unit"), get("item"), get("period"), state if state in STATES else "todo",
                   kind if kind in KINDS else "scored")

    def params(self, **override: Any) -> dict[str, str]:
        d = {k: v for k, v in asdict(replace(self, **override)).items() if v}
        return d

    def qs(self, **override: Any) -> str:
        return urlencode(self.params(**override))


def _where(f: Filters, with_state: bool = True) -> list:
    conds = []
    if f.kind == "unscored":
        conds.append(ProposalRow.kind == "unscored")
    else:
        conds.append(ProposalRow.kind != "unscored")
    if f.unit:
        conds.append(ProposalRow.unit == f.unit)
    if f.item:
        conds.append(ProposalRow.item == f.item)
    if f.period:
        conds.append(ProposalRow.period == f.period)
    if with_state:
        if f.state == "inactive":
            conds.append(ProposalRow.active.is_(False))
        else:
            conds.append(ProposalRow.active.is_(True))
            if f.state == "todo":
                conds.append(ProposalRow.state.in_(TODO))
            elif f.state != "all":
                conds.append(ProposalRow.state == f.state)
    return conds


_ORDER = (ProposalRow.priority.desc(), ProposalRow.confidence.asc(), ProposalRow.key.asc())


def page(session: Session, f: Filters, number: int = 1, size: int = PAGE_SIZE) -> tuple[list[ProposalRow], int]:
    """One page of proposals and the number matching the filters."""
    conds = _where(f)
    total = session.scalar(select(func.count()).select_from(ProposalRow).where(*conds)) or 0
    number = max(1, number)
    rows = list(session.scalars(select(ProposalRow).where(*conds).order_by(*_ORDER)
                                .offset((number - 1) * size).limit(size)))
    return rows, int(total)


def counts(session: Session, f: Filters) -> dict[str, int]:
    """Per state, for the current unit/item/period/kind: what is done and what is left."""
    conds = _where(f, with_state=False)
    out = {s: 0 for s in STATES}
    for state, active, n in session.execute(select(ProposalRow.state, ProposalRow.active, func.count())
                                            .where(*conds).group_by(ProposalRow.state, ProposalRow.active)):
        if not active:
            out["inactive"] += n
            continue
        out[state] = out.get(state, 0) + n
        out["all"] += n
    out["todo"] = out["open"] + out["rereview"]
    return out


def left_overall(session: Session) -> dict[str, int]:
    """What is left in the whole queue (the header shows it on every page)."""
    rows = session.execute(select(ProposalRow.kind == "unscored", func.count())
                           .where(ProposalRow.active.is_(True), ProposalRow.state.in_(TODO))
                           .group_by(ProposalRow.kind == "unscored")).all()
    d = {bool(k): n for k, n in rows}
    return {"scored": d.get(False, 0), "unscored": d.get(True, 0)}


def neighbours(session: Session, f: Filters, key: str) -> tuple[str | None, str | None]:
    """(previous, next) of `key` in the filtered order; for a key outside the filter
    (just decided), the first one still in it."""
    keys = list(session.scalars(select(ProposalRow.key).where(*_where(f)).order_by(*_ORDER)))
    if key not in keys:
        return None, (keys[0] if keys else None)
    i = keys.index(key)
    return (keys[i - 1] if i > 0 else None), (keys[i + 1] if i + 1 < len(keys) else None)


def options(session: Session) -> dict[str, list[str]]:
    """Values for the filter menus."""
    def distinct(col) -> list[str]:
        return [v for v in session.scalars(select(col).distinct().order_by(col)) if v]

    return {"unit": distinct(ProposalRow.unit), "item": distinct(ProposalRow.item),
            "period": distinct(ProposalRow.period)}
