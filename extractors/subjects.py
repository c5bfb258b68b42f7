"""What a number counts when the words right before it do not say: shares, scores, measures
named before a change, targets, places in a list.

Pure string functions over segments of the text as read (the caller squeezes PDF spaces out
of the segments it passes); the patterns are the `subjects` section of rules/claims.yml.
Each returns a subject value, or "" when the rule does not apply or no noun is written
(LABELING.md: "When no noun is written, the subject is ''").
"""

from __future__ import annotations

import re
from typing import Protocol, Sequence

from .phrases import find_verbs, trim
from .rules import Rules
from .status import last_index

class Counted(Protocol):
    """What these rules read of a claim found earlier in the block (claims.Found)."""

    start: int
    end: int
    quote_start: int
    unit: str
    subject: str
    kind: str


_SCORE_REASON_HEAD = re.compile(r"^(?:[一二三四五六七八九十]+是|主要|原因)*(?:(?:扣分|失分)(?:点|项|原因)?(?:主要)?(?:在|是|为|有)[：:]?)?")
_DIGITS = re.compile(r"[0-9０-９]")
_YEARS = re.compile(r"^\s*\d{4}\s*(?:[-—–至~]\s*\d{4}\s*)?年度?")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SCORE_LEAD_OUT = re.compile(r"(?:分别)?以$|均为$")  # 孟塘镇分别以94.8分
_SCORE_SCOPE = re.compile(r"^.{0,4}?(?:我|全)[市县区局镇]")  # 本季度我县得分 → 得分


_NUM_AFTER_NAME = r"[共有为]?\s*[0-9０-９一二三四五六七八九十两]"
_NEXT_ITEM = re.compile(r"\s*[、，,；;]\s*([\u4e00-\u9fff]{2,12}?)" + _NUM_AFTER_NAME)
_ITEM = re.compile(r"\s*([\u4e00-\u9fff]{2,12}?)" + _NUM_AFTER_NAME)


def is_place(name: str, rules: Rules) -> bool:
    """A named place or office (渭滨区, 大港头镇, 市住建局), not a kind of thing (省级美丽乡村)."""
    return bool(rules.breakdown_place.fullmatch(name)) and not rules.subject_words["not_place"].search(name)


def in_place_list(text: str, clause_start: int, end: int, rules: Rules) -> bool:
    """Whether the number stands in a list of places, each with its count (渭滨区64座、陈仓区45座):
    the places say where the counted things are, not what they are."""
    nxt = _NEXT_ITEM.match(text, end, min(len(text), end + 24))
    if nxt and is_place(nxt.group(1), rules):
        return True
    if clause_start >= 2 and text[clause_start - 1] in "、，,；;":
        prv_start = last_index(text, "、，,；;：:（(。\n", clause_start - 1)
        prv = _ITEM.match(text, prv_start, clause_start - 1)
        return bool(prv and is_place(prv.group(1), rules))
    return False


def named_measure(seg: str, rules: Rules) -> str:
    """A measure named before its change or level: 将背街小巷保洁频次由每日1次提高到每日2次 →
    背街小巷保洁频次; 参与人数达1500人次 → 参与人数."""
    m = None
    for m in rules.subject_words["named_measure"].finditer(seg):
        pass
    return trim(m.group(0), rules) if m else ""


def share_whole(seg: str, rules: Rules) -> str:
    """The whole of a share: 占年度计划30条的56.7% → 年度计划; 占全年目标任务的35.8% → 全年目标任务."""
    m = rules.subject_words["share_of"].search(seg)
    return m.group("whole").strip() if m else ""  # as written: 年度计划 is not trimmed to 年度


def target_noun(seg: str, subject: str, verb_start: int, rules: Rules) -> str:
    """镇区公厕改建任务2座: the subject left after the verb is only the target word (任务); what
    the target counts is the noun before the verb. Returns "" when that does not apply."""
    if verb_start <= 0 or not rules.subject_words["task_word"].fullmatch(subject):
        return ""
    head = seg[:verb_start]
    if not rules.subject_words["build_verb"].search(seg[:seg.rfind(subject)] if subject in seg else ""):
        return ""  # 确定整改任务31项: the task itself is what is counted
    verbs = find_verbs(head, rules)
    while verbs and verbs[-1][1] == len(head):  # 公厕改造提升目标任务: the whole verb run goes
        head = head[:verbs[-1][0]]
        verbs = verbs[:-1]
    head = trim(_YEARS.sub("", head), rules)  # 2018-2020年无害化卫生户厕改造建设任务6100座
    return head if len(head) >= 2 and not _DIGITS.search(head) else ""


def is_progress_residue(subject: str, rules: Rules) -> bool:
    """现完成 / 正在整改 / 需长期持续整改: a state of progress, not what is counted."""
    return bool(subject) and bool(rules.subject_words["progress_residue"].fullmatch(subject))


def counts_the_act(action: str, unit: str, cls: str, rules: Rules) -> bool:
    """Whether the verb itself is what is counted when no noun is written: an activity counted
    in events or attendances (组织培训9期, 教育劝导2100余人次), not a dispatch (出动8000余人次)
    nor a count of cases or things (立案67起, 已完成整改39个: no noun is written). `cls` is the
    unit's class (count, money, area…)."""
    if cls != "count":
        return bool(action)  # 罚款4.2万元, 清扫面积: the act names the measure
    return bool(action) and (unit in rules.event_units or unit.endswith("次")) and not (
        rules.subject_words["dispatch_verb"].fullmatch(action))


def score_subject(text: str, sent_start: int, clause_start: int, start: int, seg: str, subject: str,
                  prev_subject: str, rules: Rules) -> str:
    """The subject of a score (unit 分) whose own words name only a place, a verb or nothing.

    A deduction or bonus (扣5分) is of the reason written before it; a bare score after a
    place (城关镇93.2分, 长葛市(99.7分)) or after 自评 is of the section's label (市容环境管理
    （满分30分）) or of the score noun written before it (考核得分), else of 得分 (decision 82).
    `prev_subject` is the subject of the claim just before, in this sentence.
    """
    w = rules.subject_words
    change = w["score_change"].search(seg)
    if change:
        head = trim(seg[:change.start()], rules)
        if head and not w["score_residue"].fullmatch(head) and not rules.breakdown_place.fullmatch(head):
            return head  # 设施建设项扣3分
        if clause_start <= sent_start + 1:
            return ""
        cut = clause_start - 1
        reason = text[max(sent_start, last_index(text, "，,；;：:、（(", cut)):cut]
        if _DIGITS.search(reason):
            return prev_subject  # 发现暴露垃圾7处，扣3.5分
        reason = trim(_SCORE_REASON_HEAD.sub("", reason), rules)
        return reason if 2 <= len(reason) <= 16 and _CJK.match(reason) else ""
    core = _SCORE_SCOPE.sub("", _SCORE_LEAD_OUT.sub("", subject))
    if core and not w["score_residue"].fullmatch(core) and not rules.breakdown_place.fullmatch(core) and not (
        "、" in core
    ):
        return core
    line_start = text.rfind("\n", 0, start) + 1
    section = w["score_section"].match(text, line_start)
    if section and section.end() <= start:
        return section.group("label")  # 市容环境管理（满分30分），自评29分
    noun = None
    for noun in w["score_noun"].finditer(text, 0, start):
        pass
    return noun.group(0) if noun else "得分"


def _same_measure(f: Counted, unit: str) -> bool:
    """A quantity claim in `unit` that names what it counts: one a later count can share."""
    return f.unit == unit and bool(f.subject) and f.kind == "quantity"


def last_counted(text: str, found: Sequence[Counted], unit: str, sent_start: int) -> Counted | None:
    """The last claim in this measure to share a subject with: in the same sentence, a breakdown
    in brackets ("公厕30座（其中景区周边12座），已开工26座") is skipped; before it, only the last claim."""
    for f in reversed(found):
        if f.quote_start != sent_start:
            break
        if _same_measure(f, unit) and not in_brackets(text, f.start, sent_start):
            return f
    last = found[-1] if found else None
    if last is not None and last.quote_start != sent_start and _same_measure(last, unit):
        return last
    return None


def earlier_counted(found: Sequence[Counted], unit: str, cls: str, action: str, rules: Rules) -> Counted | None:
    """For a count (class `cls` is count) whose verb is one of progress (整改, 办结, 开工…) and whose
    noun is not written: the last claim of this block in the same unit that has a subject."""
    if cls != "count" or not action or not rules.subject_words["progress_verb"].search(action):
        return None
    return next((f for f in reversed(found) if _same_measure(f, unit)), None)


def place_total(text: str, found: Sequence[Counted], unit: str, sent_start: int, rules: Rules) -> Counted | None:
    """For a count in a list of places: the last claim of this block in the same unit whose
    subject is a noun, not a place (the total the places break down). In the list's own
    sentence the total must stand before a colon (全市公厕320座：渭滨区64座、…); a neighbour in
    the list (东关23900人，本村3800人) is not a total."""
    for f in reversed(found):
        if _same_measure(f, unit) and not is_place(f.subject, rules):
            if f.quote_start != sent_start or re.search("[：:]", text[f.end:found[-1].end + 1]):
                return f
    return None


def in_brackets(text: str, pos: int, sent_start: int) -> bool:
    left = text[sent_start:pos]
    return max(left.rfind("（"), left.rfind("(")) > max(left.rfind("）"), left.rfind(")"))
