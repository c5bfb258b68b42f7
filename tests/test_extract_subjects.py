"""What a number counts when the words right before it do not say it (extractors/subjects.py):
shares, scores, deductions, measures named before a change, targets, lists of places, counts
of the act itself. Found on labelled dev pages; written here in sentences of our own."""

from __future__ import annotations

import pytest

from tests.test_extract_domain import claims_of


def _subjects(text: str) -> dict[str, str]:
    doc, claims = claims_of(text)
    return {doc.blocks[c.block].text[c.start:c.end]: c.subject for c in claims}


@pytest.mark.parametrize("text,span,subject", [
    # a share is of the whole it is taken from
    ("上半年完成背街小巷整治19条，占年度计划40条的47.5%。", "47.5%", "年度计划"),
    ("已改造户厕5120户，占全年目标任务的62.3%。", "62.3%", "全年目标任务"),
    # a bare score after a place is a score; the score noun written before it names it
    ("月度考评结果：城南街道94.3分、城北街道92.7分。", "92.7分", "得分"),
    ("各镇考核得分如下：龙泉镇96.2分，白沙镇93.5分。", "93.5分", "考核得分"),
    ("本季度我县得分91.6分，位列全市第二。", "91.6分", "得分"),
    # a deduction is of its reason
    ("扣分原因：垃圾收集点周边脏乱，扣2分；公厕保洁不及时，扣1.5分。", "2分", "垃圾收集点周边脏乱"),
    ("扣分原因：垃圾收集点周边脏乱，扣2分；公厕保洁不及时，扣1.5分。", "1.5分", "公厕保洁不及时"),
    ("其中环境卫生项扣2分、设施管护项扣3分。", "3分", "设施管护项"),
    # a section labelled with its full marks names the self-score under it
    ("（二）市政设施管护（满分25分），自评23.5分。", "23.5分", "市政设施管护"),
    # no noun written: the subject is empty, unless the act itself is counted in events
    ("全年共立案45起，结案43起。", "45起", ""),
    ("全年累计出动1200余人次，清理河道漂浮物。", "1200余人次", ""),
    ("全年开展培训6期。", "6期", "培训"),
    ("县城管局组织120余人对河道两岸垃圾进行集中清理。", "120余人", ""),  # 对… is not a noun
    # counts of progress are of the things counted earlier in the paragraph
    ("巡察反馈问题共26个。截至10月底，已完成整改24个，正在整改2个。", "24个", "巡察反馈问题"),
    ("巡察反馈问题共26个。截至10月底，已完成整改24个，正在整改2个。", "2个", "巡察反馈问题"),
    # a measure named before its change
    ("将主干道洒水频次由每日2次提高到每日4次。", "4次", "主干道洒水频次"),
    # a target word after a building verb: the target counts the noun before the verb
    ("镇区公厕改建任务4座，已完成3座。", "4座", "镇区公厕"),
    ("2021-2023年农村户厕改造建设任务5200座，现完成5310座。", "5310座", "农村户厕"),  # a year range goes
    # verbs that are not the counted thing: the total's noun is shared
    ("今年共承担38个区本级建设项目，新建21个，续建17个。", "17个", "区本级建设项目"),
    # a list of places breaks down the total counted before it
    ("全县现有公厕210座。城关镇68座、新华镇41座、永安乡23座。", "41座", "公厕"),
    ("建成省级美丽乡村3个、市级美丽乡村5个。", "5个", "市级美丽乡村"),  # kinds, not places
])
def test_subject_when_the_words_before_do_not_name_it(text: str, span: str, subject: str) -> None:
    found = _subjects(text)
    assert span in found, found
    assert found[span] == subject
