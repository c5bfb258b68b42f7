"""Views of a draft: pandas frames, the JSON contract and a plain-text ranking.

All views are built from the same lines, so a number in the ranking, the JSON and the
spreadsheet is the same number, and each one is printed next to the ids and quotes it
came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .evidence import fmt, num

if TYPE_CHECKING:
    import pandas as pd

    from .draft import Draft, ItemLine


def items_frame(draft: Draft) -> pd.DataFrame:
    """One row per unit and item (points before section caps; see units_frame for totals)."""
    import pandas as pd

    rows = [
        {
            "unit": ln.unit, "item": ln.item, "item_name": ln.name, "section": ln.section,
            "points": ln.points, "min": ln.range[0], "max": ln.range[1], "rule": ln.rule,
            "status": ln.status, "flags": ", ".join(f.code for f in ln.flags),
            "evidence": ", ".join(e.id for e in ln.evidence),
            "detail": "；".join(o.detail for o in ln.occurrences if o.detail),
        }
        for u in draft.units for ln in u.items
    ]
    cols = ["unit", "item", "item_name", "section", "points", "min", "max", "rule", "status", "flags", "evidence", "detail"]
    return pd.DataFrame(rows, columns=cols)


def units_frame(draft: Draft) -> pd.DataFrame:
    """The ranking: rank, unit, points per section (after caps, by section id), total."""
    import pandas as pd

    sids = [sid for sid, _ in draft.sections]
    rows = []
    for u in draft.units:
        row: dict[str, Any] = {"rank": u.rank, "unit": u.unit}
        row.update({s.section: s.points for s in u.sections})
        row["total"] = u.total
        row["caps"] = "；".join(r for s in u.sections for r in s.reasons)
        rows.append(row)
    return pd.DataFrame(rows, columns=["rank", "unit", *sids, "total", "caps"])


def evidence_frame(draft: Draft) -> pd.DataFrame:
    """Every piece of evidence behind every occurrence (a claim id or an input row id)."""
    import pandas as pd

    rows = [
        {
            "unit": u.unit, "item": ln.item, "rule": o.rule_id, "occurrence": o.key, "points": o.points,
            "status": o.status, "evidence_id": e.id, "kind": e.kind, "document": e.document,
            "page": e.page, "quote": e.quote,
        }
        for u in draft.units for ln in u.items for o in ln.occurrences for e in o.evidence
    ]
    cols = ["unit", "item", "rule", "occurrence", "points", "status", "evidence_id", "kind", "document", "page", "quote"]
    return pd.DataFrame(rows, columns=cols)


def flags_frame(draft: Draft) -> pd.DataFrame:
    """Everything to check, line by line; unit-level problems have an empty item."""
    import pandas as pd

    rows = [
        {"unit": u.unit, "item": ln.item, "code": f.code, "message": f.message}
        for u in draft.units for ln in u.items for f in ln.flags
    ]
    rows += [{"unit": u.unit, "item": "", "code": f.code, "message": f.message} for u in draft.units for f in u.flags]
    return pd.DataFrame(rows, columns=["unit", "item", "code", "message"])


def _item_json(ln: ItemLine) -> dict[str, Any]:
    return {
        "item": ln.item,
        "points": num(ln.points),
        "range": [num(ln.range[0]), num(ln.range[1])],
        "rule": ln.rule,
        "status": ln.status,
        "flags": [f.to_json() for f in ln.flags],
        "evidence": [e.to_json() for e in ln.evidence],
        "name": ln.name,
        "section": ln.section,
        "detail": "；".join(o.detail for o in ln.occurrences if o.detail),
    }


def to_json(draft: Draft) -> list[dict[str, Any]]:
    """The stable contract: one object per unit (unit, total, rank, items); extra keys
    (sections, unscored, flags, and name/section/detail per item) may be ignored."""
    return [
        {
            "unit": u.unit,
            "total": num(u.total),
            "rank": u.rank,
            "items": [_item_json(ln) for ln in u.items],
            "sections": [
                {"section": s.section, "name": s.name, "points": num(s.points), "gain": num(s.gain),
                 "deduction": num(s.deduction), "reasons": list(s.reasons)}
                for s in u.sections
            ],
            "unscored": [
                {**x.evidence.to_json(), "reason": x.reason, "candidates": [list(c) for c in x.candidates]}
                for x in u.unscored
            ],
            "flags": [f.to_json() for f in u.flags],
        }
        for u in draft.units
    ]


# Why a claim counts for nothing (the codes of draft._why_not), as the reviewer reads them.
REASONS = {"unmapped": "未对应评分项", "planned": "计划/目标，不计分", "negated": "否定表述",
           "rejected": "审核已驳回", "no_unit": "报告单位未识别"}


def text(draft: Draft, details: bool = True) -> str:
    """Ranking table, then each unit's items with rule, detail, flags and cited evidence."""
    names = [name for _, name in draft.sections]
    out = [f"评分草稿（建议分，待审核）：{draft.rubric_name}（{draft.rubric_id}，版本{draft.rubric_version}）", ""]
    out.append("\t".join(["排名", "单位", *names, "总分"]))
    for u in draft.units:
        out.append("\t".join([str(u.rank), u.unit, *(fmt(s.points) for s in u.sections), fmt(u.total)]))
    if not details:
        return "\n".join(out) + "\n"
    for u in draft.units:
        out += ["", f"== 第{u.rank}名 {u.unit} 总分 {fmt(u.total)} =="]
        for s in u.sections:
            out.append(
                f"{s.name} {fmt(s.points)}分 = 基础{fmt(s.base)} + 得分{fmt(s.gain_counted)} − 扣分{fmt(s.deduction_counted)}"
            )
            out += [f"  ※ {r}" for r in s.reasons]
            for ln in (x for x in u.items if x.section == s.section):
                if not ln.occurrences and not ln.flags:
                    continue
                out.append(f"  {ln.name}（{ln.item}） {fmt(ln.points)}分 范围[{fmt(ln.range[0])}, {fmt(ln.range[1])}] {ln.status}")
                for o in ln.occurrences:
                    out.append(f"    · {fmt(o.points)}分 {o.rule_text}：{o.detail} [{o.status}]")
                    out += [f"        证据 {e.cite()}" for e in o.evidence]
                out += [f"    ! {f.code}: {f.message}" for f in ln.flags]
        out += [f"  ! {f.code}: {f.message}" for f in u.flags]
        for x in u.unscored:
            out.append(f"  未计分（{REASONS.get(x.reason, x.reason)}） {x.evidence.cite()}")
    for x in draft.unassigned:
        out.append(f"未计分（{REASONS.get(x.reason, x.reason)}） {x.evidence.cite()}")
    return "\n".join(out) + "\n"
