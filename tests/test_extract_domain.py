"""Every row of DOMAIN.md's claim table, and its list of things that are not claims."""

from __future__ import annotations

import pytest

from extractors.pipeline import extract_claims
from reportscore.model import Block, Document
from tests.conftest import assert_claim_offsets


def _doc(*paragraphs: str) -> Document:
    blocks = tuple(Block(index=i, text=t, location=f"paragraph {i + 1}") for i, t in enumerate(paragraphs))
    return Document(source="t.txt", sha256="0" * 64, blocks=blocks)


def claims_of(*paragraphs: str):
    doc = _doc(*paragraphs)
    claims = extract_claims(doc)
    assert_claim_offsets(doc, claims)
    return doc, claims


# text, expected [(span, value, unit, subject contains, status, approximate)]
DOMAIN_ROWS = [
    ("建成省级垃圾分类达标小区25个", [("25个", 25, "个", "省级垃圾分类达标小区", "done", False)]),
    ("完成城区180座公厕维修维护", [("180座", 180, "座", "公厕", "done", False)]),
    ("共开展专项整治行动90余次", [("90余次", 90, "次", "专项整治行动", "done", True)]),
    ("规范出店经营秩序14000余处(次)", [("14000余处(次)", 14000, "处", "出店经营秩序", "done", True)]),
    ("现场拆除违法建设94起、3580平方米", [("94起", 94, "起", "违法建设", "done", False),
                                   ("3580平方米", 3580, "平方米", "违法建设", "done", False)]),
    ("约谈两家共享单车运营企业负责人", [("两家", 2, "家", "共享单车运营企业", "done", False)]),
    ("办结率、满意率均达100%", [("100%", 100, "%", "办结率", "done", False), ("100%", 100, "%", "满意率", "done", False)]),
    ("拖运垃圾杂物共计3400余吨", [("3400余吨", 3400, "吨", "垃圾杂物", "done", True)]),
    ("投入资金600万元", [("600万元", 6_000_000, "元", "资金", "done", False)]),
    ("计划年内改造中转站3座", [("3座", 3, "座", "中转站", "planned", False)]),
]


@pytest.mark.parametrize("text,expected", DOMAIN_ROWS, ids=[r[0] for r in DOMAIN_ROWS])
def test_domain_table_row(text, expected):
    doc, claims = claims_of(text)
    got = [(doc.blocks[0].text[c.start:c.end], c.value, c.unit, c.subject, c.status, c.approximate) for c in claims]
    assert len(got) == len(expected), got
    for (span, value, unit, subj, status, approx), g in zip(expected, got):
        assert g[0] == span and g[1] == value and g[2] == unit and g[4] == status and g[5] == approx, g
        assert subj in g[3], (subj, g)


@pytest.mark.parametrize(
    "text",
    [
        "2023年,在市委正确领导下",
        "12月18日围绕主次干道提前撒盐防冻",
        "次日凌晨5:00全体环卫工人上路扫雪",
        "8-11月份开展集中整治",
        "一是加强宣传。二是大力推进环卫基础设施建设。",
        "市委第六巡察组对市城市管理局党组进行了巡察",
        "1.加强政治建设,指导工作实践。",
        "制定《采购工作内部控制管理办法(试行)》(常城管〔2023〕66号)",
        "落实城市精细化管理12654工程要求",
        "贯彻“532”发展战略",
        "依托扬州市首届“4·26生活垃圾分类宣传日”",
        "举办党的二十大精神宣讲报告会",
        "通过开展“六个一”活动",
        "实行城管、公安、社区、新闻媒体“四到场”机制",
        "贯彻落实市委十二届六次全会和市“两会”精神",
        "千方百计做好保障",
        "为期3个月的集中整治",
        "采购240L垃圾桶",
        "购置10吨的洒水车",
        "配置660升垃圾桶",
        "开展一次“回头看”",
    ],
)
def test_not_claims(text):
    _, claims = claims_of(text)
    assert claims == [], [(c.value, c.unit, c.rule_id) for c in claims]


def test_specification_is_not_a_claim_but_the_count_next_to_it_is():
    doc, claims = claims_of("采购240L垃圾桶500只，10吨的洒水车2辆")
    assert [(c.value, c.unit) for c in claims] == [(500, "只"), (2, "辆")]
    assert "洒水车" in claims[1].subject


def test_each_and_breakdown_enumerations():
    _, claims = claims_of("采购钩臂车、平板车各8台。立案28件(其中违法建设5起、图斑4起)。")
    got = [(c.value, c.unit, c.subject) for c in claims]
    assert (8, "台", "钩臂车") in got and (8, "台", "平板车") in got
    assert [g[0] for g in got if g[1] in ("件", "起")] == [28, 5, 4]
    assert any(s == "图斑" for _, u, s in got if u == "起")


def test_each_subject_of_a_pair_of_plans_and_done():
    _, claims = claims_of("2024年将新建公厕5座、改造中转站3座。今年已完成垃圾分类厢房建设12座。")
    assert [(c.value, c.status) for c in claims] == [(5, "planned"), (3, "planned"), (12, "done")]
    assert claims[0].subject == "公厕" and claims[1].subject == "中转站"


def test_plan_section_makes_its_contents_planned():
    _, claims = claims_of(
        "一、主要工作成效", "全年改造中转站4座。", "二、2025年工作计划", "新建公厕6座，改造分类厢房20座。",
        "三、存在问题", "资金缺口约300万元。",
    )
    assert [(c.value, c.status) for c in claims] == [(4, "done"), (6, "planned"), (20, "planned"), (3_000_000, "done")]


def test_disposal_jiang_is_not_future():
    _, claims = claims_of("印发《任务分解表》，将各项任务清单化，全年完成整改问题120个。")
    assert [(c.value, c.status) for c in claims] == [(120, "done")]


def test_case_adoption_with_and_without_count():
    _, claims = claims_of("有2个案例被省住建厅采用。我区“桶长制”经验做法被住建部专题推广。")
    adopted = [c for c in claims if c.kind == "case_adopted"]
    assert [(c.value, c.adopted_level) for c in adopted] == [(2, "provincial"), (1, "national")]


def test_negated_accident_sentence_gives_no_claim():
    _, claims = claims_of("竞赛期间全年未发生安全生产事故。")
    assert claims == []


def test_cumulative_flag():
    _, claims = claims_of("截至目前，累计改造中转站3座。本月新建公厕2座。")
    assert [(c.value, c.cumulative) for c in claims] == [(3, True), (2, False)]
