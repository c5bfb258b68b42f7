"""The words around a number: the verb that governs it and the noun phrase it counts.

Pure string functions over the text as read; what they return are values (subject,
action). The caller squeezes out the spaces that PDF copies put between Chinese characters
(_common.squeeze_cjk_spaces) from the segments it passes, never from the text itself.
"""

from __future__ import annotations

import re
from typing import Container

from .rules import Rules

_AFTER_STOP = re.compile(r"[，。；、,;！？!?（(：:\n“”\"《》]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TOPIC = re.compile(r"\s*(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十\d]{1,2}[）)、.．])?\s*([\u4e00-\u9fff“”]{2,12}?)方面[，,：:]")


def topic_noun(text: str, sent_start: int, rules: Rules) -> str:
    """The noun of a sentence that opens with "<topic>方面，" (公厕建设方面 → 公厕)."""
    m = _TOPIC.match(text, sent_start)
    if not m:
        return ""
    topic = m.group(1)
    verbs = find_verbs(topic, rules)
    if verbs and verbs[-1][1] == len(topic):
        topic = topic[:chain_start(verbs)[0]]
    return trim(topic, rules)


def find_verbs(seg: str, rules: Rules) -> list[tuple[int, int, str]]:
    """Action verbs in `seg`, left to right, the longest at each position.

    A verb followed by a noun suffix (办结率, 处理量) is part of a noun and skipped.
    """
    out = []
    for m in rules.action_re.finditer(seg):
        j = m.end()
        if not (j < len(seg) and seg[j] in rules.noun_suffix):
            out.append((m.start(), j, m.group(0)))
    return out


def find_action(seg: str, rules: Rules, verbs: list[tuple[int, int, str]] | None = None) -> tuple[int, int, str]:
    """The verb that introduces the counted object: the first one that leaves a subject after it.

    Reports write [time][共]VERB OBJECT NUMBER; later 'verbs' are usually inside the object
    (专项整治行动, 违法建设), so the first verb wins unless nothing would be left to count.
    `verbs` is find_verbs(seg, rules) when the caller has it already.
    """
    for v in find_verbs(seg, rules) if verbs is None else verbs:
        rest = trim(seg[v[1]:], rules)
        if rest and not rules.action_re.fullmatch(rest):
            return v
    return (-1, -1, "")


def chain_start(verbs: list[tuple[int, int, str]]) -> tuple[int, str]:
    """Start of the run of verbs that ends a segment, given find_verbs of it (公厕新建改造 → 2),
    and its last verb."""
    if not verbs:
        return -1, ""
    start, last = verbs[-1][0], verbs[-1][2]
    for v in reversed(verbs[:-1]):
        if v[1] == start:
            start = v[0]
        else:
            break
    return start, last


def trim(subject: str, rules: Rules) -> str:
    prev = None
    s = subject
    while prev != s:
        prev = s
        s = rules.time_prefix.sub("", s)
        s = rules.subject_trim.sub("", s)
    return s.strip()


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\u3000":
        i += 1
    return i


def after_subject(text: str, end: int, rules: Rules, token_starts: "Container[int] | None", unit: str = "") -> str:
    end = _skip_spaces(text, end)  # 205 个 小区
    nxt = rules.candidate.match(text, end)
    if nxt:  # 拆除23处1833.76平方米违建: both numbers count the noun after the second
        end = _skip_spaces(text, nxt.end())
    stop = _AFTER_STOP.search(text, end)
    seg = text[end:stop.start() if stop else len(text)][:14]
    if rules.predicate.match(seg) or rules.change_verb.match(seg):
        return ""  # 由每日1次调整为每日2次 / 由312万平方米扩大到…: a change, not the counted noun
    if unit in rules.event_units and seg and _CJK.match(seg) and not rules.function_start.match(seg):
        return seg  # 不少于2次集中清理: the activity is the subject, verbs and all
    if seg.startswith("的") and rules.unit_class.get(unit) == "percent":
        seg = seg[1:]  # 约15%的村组
    if not seg or not _CJK.match(seg) or rules.function_start.match(seg):
        return ""
    for verb in rules.actions:
        if seg.startswith(verb) and not rules.noun_head.match(seg[len(verb):]):
            return ""
    cut = len(seg)
    for verb in rules.actions:
        i = seg.find(verb)
        if 0 < i < cut and not rules.noun_head.match(seg[i + len(verb):]):  # 环卫作业车辆: 作业 is inside the noun
            cut = i
    for w in ("的", "等", "和", "及", "并", "被", "因", "全部", "均", "已", "正在", "陆续", "分别", "累计", "实现",
              "将于", "于", "待", "限"):  # 2个问题将于6月30日前…, 22处限10月20日前…: a deadline, not the noun
        i = seg.find(w)
        if 0 < i < cut:
            cut = i
    if token_starts is not None and cut < len(seg):
        # do not cut inside a jieba token: move the cut back to the token's start
        while cut > 0 and (end + cut) not in token_starts:
            cut -= 1
    return seg[:cut]
