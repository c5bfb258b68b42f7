"""Annual plan tasks (年度计划任务) checked against what the reports say was done.

A task is evidenced by the unit's achievements for the same item, in a compatible
measure and with a similar subject. The outcome keeps two failures apart because
the reviewer acts differently on them: `no_evidence` (nothing in any report: ask the
unit) and `not_done` (the reports themselves say less than the target).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from reportscore.model import Document

from .evidence import Evidence, Flag, Occurrence, claim_evidence, fmt
from .inputs import PlanTask
from .reconcile import Achievement
from .rubric import PlanTaskRule, Rubric
from .similar import quarter_index, quarter_label, similarity


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    """How far a task is evidenced, when it was reached, and the points that follow."""

    task: PlanTask
    occurrence: Occurrence
    achievements: tuple[Achievement, ...]
    evidenced: float
    done_time: date | None
    quarters_late: int


def plan_rule(rubric: Rubric, item_id: str) -> PlanTaskRule | None:
    """The item's plan-task rule, else one of its section's (a task filed under 项目建设)."""
    item = rubric.item(item_id)
    section = rubric.section(item.section) if item else rubric.section(item_id)
    pools = ([item] if item else []) + (list(section.items) if section else [])
    for it in pools:
        for r in it.rules:
            if isinstance(r, PlanTaskRule):
                return r
    return None


# Verbs that say nothing about what was done: compatible with any task.
_GENERIC_ACTIONS = {"", "完成", "实现", "开展", "累计", "共", "共计", "达到", "达", "推进"}


def action_fits(task_text: str, action: str) -> bool:
    """新建 evidences "新建及改造公厕" but not "改造公厕": a specific verb must share a
    character with the task text (建成 fits 建设…, 改造提升 fits 改造…)."""
    return action in _GENERIC_ACTIONS or any(ch in task_text for ch in action)


def matches_task(task: PlanTask, a: Achievement, rubric: Rubric) -> bool:
    """Same unit and item, compatible measure and action, similar subject."""
    if a.unit != task.unit:
        return False
    if task.item not in a.items and not any(i.startswith(task.item + ".") for i in a.items):
        return False
    if task.measure and not rubric.same_units(a.measure, task.measure):
        return False
    if not action_fits(task.task, a.claim.action):
        return False
    threshold = rubric.settings.subject_similarity
    return max(similarity(task.task, a.subject), similarity(task.task, a.claim.action + a.subject)) >= threshold


def _reached(achs: Sequence[Achievement], target: float | None) -> tuple[bool, date | None, str | None]:
    """Replay the reports in order: (reached at all, time first reached, evidencing claim)."""
    events = sorted(
        ((t or date.min, n, v, cid) for n, a in enumerate(achs) for t, v, cid in a.timeline),
        key=lambda e: (e[0], e[1]),
    )
    known: dict[int, float] = {}
    for t, n, v, cid in events:
        known[n] = v
        if (target is None and known) or (target is not None and sum(known.values()) >= target):
            return True, (None if t == date.min else t), cid
    return False, None, None


def check_task(
    task: PlanTask, achievements: Iterable[Achievement], rubric: Rubric, docs: dict[str, Document]
) -> TaskOutcome:
    """Points, flags and evidence for one plan task (the draft shows all of it)."""
    rule = plan_rule(rubric, task.item)
    achs = tuple(a for a in achievements if matches_task(task, a, rubric))
    total = round(sum(a.value for a in achs), 4)
    measure = task.measure or (achs[0].measure if achs else "")
    row = Evidence(task.id, task.source, None, f"{task.unit}：{task.task} 目标{_amount(task.target, measure)}，时限{task.due_text}", "plan_task")
    evidence = (row, *(claim_evidence(c, docs.get(c.document_sha256)) for a in achs for c in a.mentions))
    flags: list[Flag] = [f for a in achs for f in a.flags]
    target_txt = fmt(task.target) if task.target is not None else "—"
    detail = f"{task.task}：已证实{fmt(min(total, task.target) if task.target else total)}/{target_txt}{measure}（{len(achs)}项成果，{len(evidence) - 1}处证据）"
    reached, done_time, cid = _reached(achs, task.target)
    late = 0
    not_done = rule.not_done if rule else 0.0
    if rule is None:
        flags.append(Flag("no_rule", f"评分标准中没有适用于{task.item}的年度计划任务规则"))
        points = 0.0
    elif not achs:
        flags.append(Flag("no_evidence", f"报告中未找到“{task.task}”的完成证据（任务{task.id}）"))
        points = not_done
    elif not reached:
        latest = max((t for a in achs for t, _, _ in a.timeline if t), default=None)
        note = f"；最新证据截至{latest}，早于完成时限{task.due}，可能尚未报送" if latest and latest < task.due else ""
        flags.append(Flag("not_done", f"报告所述完成{fmt(total)}{measure}，少于目标{target_txt}{measure}{note}"))
        points = not_done
    elif done_time is None:
        flags.append(Flag("undated_evidence", f"完成证据[{cid}]所在报告无法确定期间或日期，未判断是否逾期"))
        points = 0.0
    elif done_time > task.due:
        late = max(1, quarter_index(done_time) - quarter_index(task.due))
        points = max(not_done, late * rule.late_per_quarter)  # never worse than not done
        src = _doc_of(cid, achs, docs)
        hint = (
            "；该证据来自年度总结，只说明年内完成，实际完成时间可能更早，请核对原文"
            if src is not None and src.kind == "year_end" else ""
        )
        flags.append(Flag(
            "late",
            f"目标在{quarter_label(done_time)}的报告中才达到（证据[{cid}]，截至{done_time}），"
            f"时限{task.due_text}，延迟{late}个季度{hint}",
        ))
    else:
        points = 0.0
    if task.target and total > rubric.settings.over_target_factor * task.target:
        flags.append(Flag(
            "over_target",
            f"报告数量{fmt(total)}{measure}超过计划目标{target_txt}{measure}的{fmt(rubric.settings.over_target_factor)}倍，请核实",
        ))
    occ = Occurrence(
        key=task.id,
        item=task.item if rubric.item(task.item) else (rule.item if rule else task.item),
        rule_id=rule.id if rule else "",
        rule_text=rule.text if rule else "",
        points=round(points, 2),
        range=(min(not_done, 0.0), 0.0),
        evidence=evidence,
        flags=tuple(flags),
        detail=detail,
    )
    return TaskOutcome(task, occ, achs, total, done_time, late)


def _doc_of(claim_id: str | None, achs: Sequence[Achievement], docs: dict[str, Document]) -> Document | None:
    for a in achs:
        for c in a.mentions:
            if c.id == claim_id:
                return docs.get(c.document_sha256)
    return None


def _amount(x: float | None, measure: str) -> str:
    return f"{fmt(x)}{measure}" if x is not None else "（未定量）"
