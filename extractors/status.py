"""Status of a claim (done or planned) from the words around it: pure functions over the exact text.

The plan and done markers come from the `status:` section of extractors/rules/claims.yml; this
module decides which of them governs a number (its clause, its sentence, a colon list, a plan
opener, a meeting decision, a plan stated after the number). Each result carries its rule id.
"""

from __future__ import annotations

import re

from .rules import Rules

YEAR_OPENING = re.compile(r"\s*(20\d\d)\s?年(?!\d)")  # a year at the start: 2025年，…

_QUOTED = re.compile(r"“[^”]{0,16}”|《[^》]{0,30}》")
# A closed bracket before the number: "公厕21座（年度计划18座），改造中转站4座": its plan word is about its own number
_CLOSED_BRACKET = re.compile(r"[（(][^（）()]{0,24}[)）]")

def last_index(text: str, chars: str, before: int) -> int:
    """Index just after the last of `chars` before `before` (0 if none)."""
    i = before - 1
    while i >= 0:
        if text[i] in chars:
            return i + 1
        i -= 1
    return 0


def next_index(text: str, chars: str, after: int) -> int:
    for i in range(after, len(text)):
        if text[i] in chars:
            return i + 1 if text[i] in "。！？!?；;" else i
    return len(text)


def status_at(text: str, start: int, end: int, planned_section: bool, rules: Rules,
              plan_year: int | None = None) -> tuple[str, str]:
    """Status of the claim at text[start:end].

    A plan word governs the rest of its clause group up to ；, and up to 。 when it
    introduces a list with a colon (2024年要…：一是…；二是…) or opens the sentence with a plan
    time (下阶段，我所将…；新增…). What follows the number can settle it too: 已全部完成
    (done), 的基础上 (done), 剩余2个…计划于10月底前完成 (planned). In a plan section for
    `plan_year`, a sentence that opens with an earlier year reports results (done).
    """
    right = text[end:end + 40]
    ahead = _QUOTED.sub("“”", text[end:end + 80])[:40]  # a quoted problem name does not push the plan out of reach
    if rules.done_after.search(right):
        return "done", "status.done_after"
    full = text[last_index(text, "。！？!?\n", start):start]
    semi = text[last_index(text, "。！？!?；;\n", start):start]
    clause = text[last_index(text, "。！？!?；;，,\n", start):start]
    colon = max(full.rfind("："), full.rfind(":"))
    scope, opener = semi, False
    if colon != -1 and len(full) - colon > len(semi) and status_of(full[:colon], False, rules)[0] == "planned":
        scope = full
    elif len(full) > len(semi) and rules.plan_opener.search(full):
        lead = re.split(r"[；;]", full, maxsplit=1)[0]
        if status_of(lead, False, rules)[0] == "planned":
            scope, opener = full, True
    if rules.share_of_target.search(text, max(0, start - 24), start) and text[start:end].endswith(("%", "％")):
        return "done", "status.share_of_target"  # 占年度计划30条的56.7%: the share done, not the target
    status, rule = status_of(_QUOTED.sub("“”", _CLOSED_BRACKET.sub("（）", scope)), planned_section, rules)  # “三管三必须” is a name
    if opener and status == "planned" and status_of(semi, planned_section, rules)[0] == "done":
        rule = "status.plan_opener"
    if status == "done" and rules.planned_block.search(text, 0, start) and not rules.done.search(semi):
        return "planned", "status.meeting_decision"
    rm = None
    for rm in rules.remainder.finditer(clause):
        pass  # the last one: "已完成50条，剩余2条计划于…" looks only at what follows 剩余
    if status == "done" and not rules.done.search(clause[rm.end():] if rm else semi):
        pm, after_rule = None, "status.planned_after"
        for pat, rid in ((rules.planned_after, "status.planned_after"),
                         (rules.planned_after_demand, "status.planned_after_demand"),
                         (rules.planned_after_remainder if rm else None, "status.planned_after_remainder")):
            pm = pat.search(ahead) if pat is not None else None
            if pm:
                after_rule = rid
                break
        plan_clause = ahead[pm.end():next_index(ahead, "，,；;。", pm.end())] if pm else ""
        between = _QUOTED.sub("", pm.group(0) + plan_clause) if pm else ""  # “一宗一策” is a name, not a count
        if pm and not rules.candidate.search(between) and not (
            after_rule == "status.planned_after" and rules.remainder_ahead.search(ahead, 0, pm.end())
        ):  # 完成6座，剩余4座将于…: 将 governs the other count; 其余工程预计…: the rest
            um = rules.underway_after.search(ahead)
            if um is None or um.end() > pm.end():
                return "planned", after_rule
    if rule == "status.plan_section" and plan_year is not None and (ym := YEAR_OPENING.match(semi)) and (
            int(ym.group(1)) < plan_year):
        return "done", "status.earlier_year"  # 2025年，全县新建公厕21座 under 2026年工作要点
    return status, rule


def status_of(sentence_before: str, planned_section: bool, rules: Rules) -> tuple[str, str]:
    plan_pos, plan_rule = -1, ""
    for rid, pat in rules.planned:
        for pm in pat.finditer(sentence_before):
            if pm.start() > plan_pos:
                plan_pos, plan_rule = pm.start(), rid
    done_pos = -1
    for dm in rules.done.finditer(sentence_before):
        done_pos = max(done_pos, dm.start())
    if plan_pos > done_pos:
        return "planned", plan_rule
    if planned_section and done_pos == -1:
        return "planned", "status.plan_section"
    return "done", "status.default"
