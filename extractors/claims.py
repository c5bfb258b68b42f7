"""Finds quantitative claims in one block of text: pure functions over the exact text.

The patterns and word lists come from extractors/rules/ (see rules.py); this module
decides how they combine: candidate number+unit spans, exclusions (dates, ordinals,
names, specifications), enumerations (A、B各8台), subject and action, status and
cumulative/negated flags. Offsets are into the text given, never into a normalised copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Container

from ._common import squeeze_cjk_spaces as _squeeze  # 拆 除违法建设: PDF spaces, dropped from values only
from .numbers import NumberError, parse_number
from .phrases import (
    after_subject as _after_subject,
    chain_start as _chain_start,
    find_action as _find_action,
    find_verbs as _verbs,
    topic_noun as _topic_noun,
    trim as _trim,
)
from .rules import Rules
from . import subjects as _subj
from .status import last_index as _last_index, next_index as _next_index, status_at as _status_at

_SENT_END = "。！？!?；;\n"
_CLAUSE_END = _SENT_END + "，,：:（(）)、"
_DIGIT = re.compile(r"[0-9０-９]")
_CN_DIGIT = re.compile(r"[一二两三四五六七八九十百千万]")
_GLOSS_DIGIT = re.compile(r"[\d０-９]")


def _same_bracket_level(text: str, sent_start: int, sent_end: int, pos: int) -> str:
    """The sentence with the brackets that do not hold `pos` blanked out: a rule in brackets
    (（每发现一处问题扣0.5分）) governs only what is inside them."""
    out = list(text[sent_start:sent_end])
    depth_start = None
    for i in range(sent_start, sent_end):
        ch = text[i]
        if ch in "（(" and depth_start is None:
            depth_start = i
        elif ch in "）)" and depth_start is not None:
            if not depth_start < pos < i:
                out[depth_start - sent_start:i + 1 - sent_start] = " " * (i + 1 - depth_start)
            depth_start = None
    return "".join(out)


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding `pos` starts, leading spaces skipped."""
    i = _last_index(text, _SENT_END, pos)
    while i < pos and text[i].isspace():
        i += 1
    return i


def _in_norm(text: str, start: int, unit: str, sent_start: int, sent_end: int, clause_start: int, norm_block: bool,
             rules: Rules) -> bool:
    """Does the number at `start` state a rule or norm (a scoring rule, 每发现一处扣…, a block under a
    标准： heading) rather than a result? clause_start is where its clause begins."""
    if (rules.norm_sentence.search(text, sent_start, sent_end)
            or rules.norm_intro.search(text, _last_index(text, "。！？!?\n", start), start)
            or rules.norm_clause.search(text, clause_start, start)):
        return True
    if (rules.norm_each.search(text, sent_start, sent_end)
            and rules.norm_each.search(_same_bracket_level(text, sent_start, sent_end, start))
            and not rules.result_before.search(text, clause_start, start)):
        return True
    # 每日机扫不少于2遍 under a 标准： heading: a frequency norm is a claim (decision 6)
    return norm_block and not (
        unit in ("遍", "次", "轮") and rules.frequency.search(text, _last_index(text, "。；;\n", start), start))


def _claims_between(found: "list[Found]", start: int, end: int) -> "list[Found]":
    """The quantity claims found inside text[start:end], in order (found is in text order)."""
    out = []
    for f in reversed(found):
        if f.start < start:
            break
        if f.end <= end and f.kind == "quantity" and f.excluded_by is None:
            out.append(f)
    return out[::-1]


@dataclass
class Found:
    """A claim found in a text, before it is tied to a document (offsets into that text)."""

    start: int
    end: int
    quote_start: int
    quote_end: int
    value: float
    unit: str
    subject: str
    action: str
    approximate: bool
    status: str
    rule_id: str
    value_max: float | None = None
    cumulative: bool = False
    negated: bool = False
    kind: str = "quantity"
    adopted_by: str | None = None
    adopted_level: str | None = None
    ordinal: int = 0
    confidence: float = 0.9
    excluded_by: str | None = None
    status_rule: str = ""


def _inside_quotes(text: str, start: int, end: int, rules: Rules) -> bool:
    for op, cl in rules.quote_pairs:
        if op == cl:  # straight quotes: count them
            left = text[:start]
            if left.count(op) % 2 == 1:
                close = text.find(cl, end)
                if close != -1 and close - left.rfind(op) <= rules.quote_max:
                    return True
            continue
        o = text.rfind(op, 0, start)
        if o == -1:
            continue
        c_between = text.find(cl, o, start)
        if c_between != -1:
            continue
        c = text.find(cl, end)
        if c != -1 and c - o <= (rules.title_max if op in rules.title_pairs else rules.quote_max) + 2:
            inner = text[o + 1:c]  # “17个大队、4个中队、1个服务中心”: counts quoted as a list, not a name
            return not ("、" in inner and sum(x.group(0)[0].isdigit() for x in rules.candidate.finditer(inner)) >= 2)
    return False


def _in_idiom(text: str, start: int, end: int, rules: Rules) -> bool:
    for idiom in rules.idioms:
        i = text.find(idiom, max(0, start - len(idiom)), end + len(idiom))
        if i != -1 and i <= start and i + len(idiom) >= end - 1:
            return True
    return False


def _excluded(text: str, m: re.Match, unit: str, rules: Rules) -> str | None:
    start, end = m.start(), m.end()
    left = text[max(0, start - 30):start]  # patterns are anchored at the number and bounded;
    right = text[end:end + 30]  # the longest looks 24 ahead
    numeral = m.group("num")
    unit_ascii = unit.isascii()
    for ex in rules.exclusions:
        if ex.units is not None and unit not in ex.units:
            continue
        if ex.unit_not_ascii and unit_ascii:
            continue
        if ex.numeral is not None and not ex.numeral.search(numeral):
            continue
        if ex.left is not None and not ex.left.search(left):
            continue
        if ex.right is not None and not ex.right.search(right):
            continue
        return ex.id
    if rules.unit_class.get(unit.split("/")[0]) in rules.spec_classes and rules.spec_right.search(right):
        return rules.spec_id
    if _inside_quotes(text, start, end, rules):
        return rules.quoted_id
    if _in_idiom(text, start, end, rules):
        return "not.idiom"
    return None


def _value(m: re.Match) -> tuple[float, float | None, bool]:
    num = m.group("num")
    if m.group("sep"):
        first = num[: m.start("sep") - m.start("num")]
        second = m.group("num2")
        tail = num[m.end("num2") - m.start("num"):]
        mag = "".join(c for c in tail if c in "万亿")
        if mag and not any(c in "万亿" for c in first):
            first += mag
        v1, a1 = parse_number(first + "".join(c for c in tail if c in "余多"))
        v2, _ = parse_number(second + tail)
        return v1, v2, a1
    v, approx = parse_number(num)
    return v, None, approx


def scan_text(
    text: str,
    rules: Rules,
    planned_section: bool = False,
    token_starts: "Container[int] | None" = None,
    keep_excluded: bool = False,
    plan_year: int | None = None,
) -> list[Found]:
    """All claims in `text`; with keep_excluded, rejected candidates too (for debugging rules).
    planned_section and plan_year: the block is in a plan section (for that year, if named)."""
    found: list[Found] = []
    pending: list[str] = []  # "A、B分别为100%和97.8%": subjects still waiting for their number
    norm_block = bool(rules.norm_heading.match(text))
    for m in rules.candidate.finditer(text):
        num = m.group("num")
        if num[0] in "上数几" and (len(num) < 2 or num[1] not in "十百千万亿"):
            continue
        unit = m.group("unit")
        start, end = m.start(), m.end()
        reason = _excluded(text, m, unit, rules)
        if reason is None:
            try:
                value, value_max, approx = _value(m)
            except NumberError:
                reason = "not.unreadable_number"
        if reason is None:
            sent_start = _sentence_start(text, start)
            sent_end = _next_index(text, _SENT_END, end)
            clause_start = _last_index(text, _CLAUSE_END, start)
            if _in_norm(text, start, unit, sent_start, sent_end, clause_start, norm_block, rules):
                reason = "not.norm_sentence"
        if reason is not None:
            if keep_excluded:
                found.append(Found(start, end, start, end, 0, unit, "", "", False, "done", reason, excluded_by=reason))
            continue
        if clause_start == start and clause_start > 0 and text[clause_start - 1] in "：:":
            clause_start = _last_index(text, "。；;，,\n", clause_start - 1)  # 新建公厕：5座
        elif clause_start > 0 and text[clause_start - 1] in "）)":
            opening = max(text.rfind("（", sent_start, clause_start), text.rfind("(", sent_start, clause_start))
            gloss = text[opening + 1:clause_start - 1]
            if opening > sent_start and not text[clause_start:start].strip() and len(gloss) <= 10 and (
                not _GLOSS_DIGIT.search(gloss)
            ):  # 中转站(地埋桶)179座: the bracket glosses the noun
                clause_start = _last_index(text, _CLAUSE_END, opening)
        left_tail = text[max(sent_start, start - 4):start]
        if rules.approx_left.search(left_tail) or rules.approx_right.search(text[end:end + 4]):
            approx = True
        before = text[sent_start:start]
        status, status_rule = _status_at(text, start, end, planned_section, rules, plan_year)
        cls = rules.unit_class.get(unit.split("/")[0], "count")
        rule_id = f"qty.{cls}" + (".rate" if "/" in unit else "") + (".range" if value_max is not None else "")
        seg = _squeeze(text[clause_start:start])
        subjects: list[str] = []
        action = ""
        enum_rule = None
        if pending and found and re.fullmatch(r"\s*(?:和|与|及|、|，|,)\s*", text[found[-1].end:start]):
            enum_rule = "enum.respectively"
            subjects, action = [pending.pop(0)], found[-1].action
        for eid, pat in rules.enumerations if enum_rule is None else ():
            em = pat.search(seg)
            if em:
                enum_rule = eid
                seg_e = _squeeze(text[_last_index(text, "，,；;。：:（(\n", start):start])[: -len(em.group(0)) or None]
                a0, a1, action = _find_action(seg_e, rules)
                body = seg_e[a1:] if a0 != -1 else seg_e
                parts = [_trim(p, rules) for p in re.split(r"、|和|与|及(?!时)", body)]
                subjects = [p for p in parts if p]
                if eid == "enum.rates" and not (len(subjects) > 1 and all(p.endswith("率") for p in subjects)):
                    enum_rule, subjects, action = None, [], ""
                    continue  # one rate: an ordinary claim
                if eid == "enum.each" and subjects and all(rules.breakdown_place.fullmatch(p) for p in subjects):
                    prev = _subj.last_counted(text, found, unit, sent_start)  # 卞桥镇、地方镇各30座: 各 over places
                    subjects = [prev.subject if prev else ""]  # is one claim (decision 30), of the total's noun
                if eid == "enum.respectively" and len(subjects) > 1:
                    pending = subjects[1:]
                    subjects = subjects[:1]
                break
        if enum_rule is None:
            inherit_last = False
            share = _subj.share_whole(seg, rules) if cls == "percent" else ""  # 占年度计划的53.43%
            pm = None if share else rules.predicate.search(seg)  # a share names its subject itself
            if pm and _trim(seg[:pm.start()], rules):
                seg = seg[:pm.start()]  # 清扫率较年初提高2.1个百分点: the subject ends before 较
            elif pm and pm.start() == len(seg) - len(seg.lstrip("，, ")) and found and found[-1].quote_start == sent_start:
                seg = ""  # "…达到36.5%，同比提高4.2个百分点": the change is of the last thing counted
                inherit_last = True
            seg_verbs = _verbs(seg, rules)
            a0, a1, action = _find_action(seg, rules, seg_verbs)
            verb_final = ""
            if not action and seg_verbs:
                # 镇区公厕改造17座 / 公厕新建改造22座 / 三季度末完成17座: verbs end the clause;
                # what stands before them (if anything) is what was counted
                chain, action = _chain_start(seg_verbs)
                a0, a1 = chain, len(seg)
                verb_final = _trim(seg[:chain], rules)
                if rules.time_word.fullmatch(verb_final) or rules.subject_words["dispatch_verb"].fullmatch(action):
                    verb_final = ""  # 年度计划改造12座 / 县城管局组织120余人: a time or an agent, not what is counted
            if not action:  # 建成A、B2座公厕: the verb stands earlier in the sentence (seg has none)
                verbs = _verbs(text[sent_start:clause_start], rules)
                action = verbs[-1][2] if verbs else ""
            before_subj = _trim(seg[a1:] if a0 != -1 else seg, rules) or verb_final
            inside = _claims_between(found, clause_start, start) if _DIGIT.search(before_subj) or (
                _CN_DIGIT.search(before_subj)) else []
            if inside and rules.candidate.search(before_subj):
                # 简易案件12起罚1300元 / 公厕3座垃圾站5座: another count stands inside the subject; the
                # noun after it, else the noun before it
                tail = _squeeze(text[inside[-1].end:start])
                tv = _verbs(tail, rules)
                tail = _trim(tail if not tv else tail[tv[0][1]:] if tv[0][0] == 0 else tail[:tv[0][0]], rules)
                tail = rules.adverb_end.sub("", tail)  # 问题已（完成）
                head = _squeeze(text[clause_start:inside[0].start])
                h0, h1, _ = _find_action(head, rules)
                head = _trim(head[h1:] if h0 != -1 else head, rules)
                before_subj = tail if len(tail) >= 2 else head
            measure_of_last = bool(rules.measure_noun.fullmatch(before_subj))
            place_total = _subj.place_total(text, found, unit, sent_start, rules) if _subj.is_place(before_subj, rules) and (
                _subj.in_place_list(text, clause_start, end, rules)) else None
            if rules.breakdown_place.fullmatch(before_subj) and "其中" in text[sent_start:start] and (
                _subj.last_counted(text, found, unit, sent_start) is not None
            ):
                before_subj = ""  # 其中荆州区17个: the place of the things counted in the total
            if rules.measure_noun.fullmatch(before_subj) or rules.scope_subject.fullmatch(before_subj) or (
                rules.subject_residue.fullmatch(before_subj)) or (
                before_subj and rules.resolution_verbs.fullmatch(before_subj)) or (
                _subj.is_progress_residue(before_subj, rules)
            ):
                before_subj = ""  # 面积2.3万平方米 / 其中城区11座 / 已完成整改17个: not what is counted
            before_subj = _subj.target_noun(seg, before_subj, a0, rules) or before_subj
            if not before_subj:
                before_subj = _subj.named_measure(seg, rules)  # 保洁频次由每日1次提高到每日2次
            after_subj = _after_subject(text, end, rules, token_starts, unit)
            nxt = rules.candidate.search(after_subj)
            if nxt is not None:  # 公厕3座垃圾站5座: 垃圾站 is what the next number counts
                after_subj = after_subj[:nxt.start()] if nxt.start() >= 2 else ""
            # the claim just before, when it is in this sentence and has a subject
            last = found[-1] if found and found[-1].quote_start == sent_start and found[-1].subject else None
            if share:
                subjects = [share]
                rule_id += ".share_of"
            elif place_total is not None:
                subjects = [place_total.subject]  # 全市公厕320座……渭滨区64座、陈仓区45座
                rule_id += ".shared_subject"
            elif inherit_last:
                subjects = [found[-1].subject]
                rule_id += ".shared_subject"
            elif after_subj and (cls == "count" or not before_subj):
                subjects = [_trim(after_subj, rules) or after_subj]
            elif last is not None and last.kind == "quantity" and re.fullmatch(r"[\s、]*", text[last.end:start]):
                subjects = [last.subject]  # 拆除违法建设1750余处31000余平方米: one object, two measures
                action = last.action
                rule_id += ".shared_subject"
            elif before_subj:
                subjects = [before_subj]
            elif found and text[clause_start - 1:clause_start] == "、" and found[-1].end == clause_start - 1:
                subjects = [found[-1].subject]  # 94起、3580平方米: the second shares the subject
                action = action or found[-1].action
                rule_id += ".shared_subject"
            elif measure_of_last and a0 == -1 and last is not None:
                subjects = [last.subject]  # 拆除房屋230户，面积11.6万平方米: the area of those houses
                action = action or last.action
                rule_id += ".shared_subject"
            elif cls == "count" and (topic := _topic_noun(text, sent_start, rules)) and not (
                last is not None and last.unit == unit
            ):
                subjects = [topic]  # 中转站改造方面，年度计划改造12座: the sentence's topic is what is counted
                rule_id += ".topic_subject"
            elif (prev := _subj.last_counted(text, found, unit, sent_start)) is not None:
                subjects = [prev.subject]  # 新建公厕5座，改造10座: the last thing counted in this measure
                rule_id += ".shared_subject"
            elif (prev := _subj.earlier_counted(found, unit, cls, action, rules)) is not None:
                subjects = [prev.subject]  # 反馈问题23个……已完成整改21个: the problems counted earlier
                rule_id += ".shared_subject"
            elif _subj.counts_the_act(action, unit, cls, rules):
                subjects = [action]  # 组织培训9期: the act itself is what is counted
                rule_id += ".action_subject"
            else:
                subjects = [""]  # 立案67起 / 出动8000余人次: no noun is written
            if cls == "score":
                last_subj = found[-1].subject if found and found[-1].quote_start == sent_start else ""
                subjects = [_subj.score_subject(text, sent_start, clause_start, start, seg, subjects[0], last_subj,
                                                rules)]
        else:
            rule_id = enum_rule + "." + cls
        conf = rules.confidence["base"]
        cumulative = bool(rules.cumulative.search(before)) and (
            bool(rules.cumulative_strong.search(before)) or not rules.period_scope.search(before)
        )
        negated = bool(rules.negation.search(text[clause_start:start]))
        for i, subj in enumerate(subjects or [""]):
            c = conf + (rules.confidence["no_subject"] if not subj else 0) + (rules.confidence["no_action"] if not action else 0)
            found.append(
                Found(start, end, sent_start, sent_end, value, unit, subj, action, approx, status, rule_id,
                      value_max=value_max, cumulative=cumulative, negated=negated, ordinal=i,
                      confidence=max(0.05, min(1.0, c)), status_rule=status_rule)
            )
    _describe_targets(text, found, rules)
    found.extend(_adoptions(text, found, planned_section, rules, plan_year))
    return found


_TARGET_RULES = ("status.handed_down_target", "status.restated_target", "status.task_number")


def _describe_targets(text: str, found: list[Found], rules: Rules) -> None:
    """下达任务34个，涉及居民4218户、总投资2.14亿元 / 其中城区新建6座: what describes or breaks down
    a target in the same sentence is part of the target, until something is said to be done."""
    for prev, f in zip(found, found[1:]):
        if (prev.status == "planned" and prev.status_rule in _TARGET_RULES and f.status_rule == "status.default"
                and f.quote_start == prev.quote_start and f.excluded_by is None
                and not rules.done.search(text, prev.end, f.start) and not rules.done_verb.search(text, prev.end, f.start)
                and not rules.remainder_ahead.search(text, prev.end, f.start) and not _done_after_bracket(text, f, rules)):
            f.status, f.status_rule = "planned", prev.status_rule


def _done_after_bracket(text: str, f: Found, rules: Rules) -> bool:
    """任务4项（中转站改造1座、…）已全部完成: the bracket's parts are done with their total."""
    if not _subj.in_brackets(text, f.start, f.quote_start):
        return False
    close = min((i for i in (text.find("）", f.end, f.quote_end), text.find(")", f.end, f.quote_end)) if i != -1),
                default=-1)
    return close != -1 and bool(rules.done.match(text, close + 1))


def _adoptions(text: str, found: list[Found], planned_section: bool, rules: Rules,
               plan_year: int | None = None) -> list[Found]:
    """Case adoption (被省住建厅采用, 入选…典型案例): converts a 'N个案例' claim or adds one of value 1."""
    extra: list[Found] = []
    for rid, pat in rules.adoption:
        for m in pat.finditer(text):
            body = m.group("body")
            level = None
            for lvl, lp in rules.adoption_levels:
                if lp.search(body):
                    level = lvl
                    break
            if level is not None and rules.adoption_not_body.search(body):
                # "共有6篇信息、案例被市级以上部门采用": a total over adoptions named one by one
                # afterwards; counting it too would count every case twice
                clause_start = _last_index(text, "，,；;。！？!?\n", m.start())
                found[:] = [f for f in found if not (clause_start <= f.start < m.start() and rules.adoption_count_subject.search(
                    f.subject + text[f.end:m.start()]))]  # 3个以上案例被…: the counted noun may follow a bound
                continue
            if level is None:
                continue  # 被群众采用: not an adopting authority
            if rules.scoring_after.match(text, m.end()):
                continue  # 被省级主管部门采用的每个加2分: a rubric's bonus rule, not an adoption
            clause_start = _last_index(text, "，,；;。！？!?\n", m.start())
            sent_start = _sentence_start(text, m.start())
            sent_end = _next_index(text, _SENT_END, m.end())
            counted = [
                f for f in found
                if clause_start <= f.start < m.start() and rules.adoption_count_subject.search(f.subject + text[f.end:m.start()])
            ]
            if counted:
                for f in counted:
                    f.kind, f.adopted_by, f.adopted_level = "case_adopted", body.strip(), level
                    f.rule_id = rid + ".counted"
                continue
            value = 1.0
            times = next((f for f in found if f.start == m.end() and f.unit in ("次", "篇") and f.kind == "quantity"), None)
            if times is not None:  # 被《工作动态》刊发两次: one adoption claim counting both
                value = times.value
                found.remove(times)
            status, srule = _status_at(text, m.start(), m.end(), planned_section, rules, plan_year)
            name = _trim(text[clause_start:m.start()], rules)
            subj = f"案例：{name}" if name else "案例"  # what is counted is a case; its name follows
            extra.append(
                Found(m.start(), m.end(), sent_start, sent_end, value, "个", subj, m.groupdict().get("verb") or "入选",
                      False, status, rid, kind="case_adopted", adopted_by=body.strip(), adopted_level=level,
                      confidence=rules.confidence["adoption"], status_rule=srule)
            )
    return sorted(extra, key=lambda f: f.start)  # in text order, like every other claim
