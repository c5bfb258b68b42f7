"""A second competition (Qingdao 六比一创) scored with the same code: only the YAML differs."""

from __future__ import annotations

from scoring import build_draft, load_rubric, map_claims
from scoring.inputs import Inputs
from test_scoring_support import claim, doc, finding, task

Q = load_rubric("qingdao_liubi")


def test_qingdao_rubric_loads_with_its_six_comparisons() -> None:
    assert [s.name for s in Q.sections] == ["比质量", "比安全", "比进度", "比创新", "比文明", "比保障"]
    assert Q.combined_caps[0].sections == ("safety", "civility")


def test_qingdao_scores_sample_claims() -> None:
    a1, a2 = doc("市南区", "2024Q2"), doc("市南区", "2024Q3")
    b = doc("李沧区", "2024Q3")
    claims = [
        claim(a2, "2个项目获评市级优质工程", 2, "个", "市级优质工程", "获评"),
        claim(a2, "推广应用装配式建筑技术5项", 5, "项", "装配式建筑技术", "推广应用"),
        claim(a2, "全面应用BIM技术2个项目", 2, "个", "BIM技术", "应用"),
        claim(a2, "取得发明专利3项", 3, "项", "发明专利", "取得"),
        claim(a2, "开展职工技能培训1200人次", 1200, "人次", "职工技能培训", "开展"),
        claim(a2, "发生一般生产安全事故1起", 1, "起", "一般生产安全事故", "发生"),
        claim(a1, "累计竣工市政道路2条", 2, "条", "市政道路", "竣工", cumulative=True),
        claim(a2, "累计竣工市政道路3条", 3, "条", "市政道路", "竣工", cumulative=True),
        claim(b, "累计竣工安置房项目2个", 2, "个", "安置房项目", "竣工", cumulative=True),
    ]
    mapped = map_claims(claims, Q)
    assert [c.rubric_item for c in mapped] == [
        "quality.excellent", "innovation.tech", "innovation.tech", "innovation.patent", "guarantee.training",
        "safety.accident", "progress.milestone", "progress.milestone", "progress.milestone",
    ]
    inputs = Inputs(
        plan_tasks=(
            task("市南区", "progress.milestone", "竣工市政道路", 3, "条", "2024Q3", row=2),
            task("李沧区", "progress.milestone", "竣工安置房项目", 2, "个", "2024Q2", row=3),
        ),
        findings=(finding("市南区", "civility.site", "工地围挡破损、扬尘未覆盖", row=2),),
    )
    draft = build_draft([a1, a2, b], mapped, Q, inputs)
    south = {s.section: s.points for s in draft.unit("市南区").sections}
    # 比质量: 2 works × 2 (municipal default) = 4
    # 比安全: base 20, one accident × −5 = 15
    # 比进度: base 25, 3 条 reached in the 2024Q3 report, due 2024Q3 → on time = 25
    # 比创新: tech band count 2 ≥ 2 → 6; patents 3 × 1 = 3 → 9
    # 比文明: base 10, one finding at the default −1 = 9
    # 比保障: 1200 人次 ≥ 500 → 5
    assert south == {"quality": 4, "safety": 15, "progress": 25, "innovation": 9, "civility": 9, "guarantee": 5}
    assert draft.unit("市南区").total == 4 + 15 + 25 + 9 + 9 + 5  # 67
    # 李沧区: due 2024Q2, reached in the 2024Q3 report → 1 quarter late × −1 → 比进度 24;
    # 比安全 20 and 比文明 10 untouched → 20 + 24 + 10 = 54
    lc = draft.unit("李沧区")
    assert {s.section: s.points for s in lc.sections}["progress"] == 24
    assert lc.total == 20 + 24 + 10
    assert [(u.unit, u.rank) for u in draft.units] == [("市南区", 1), ("李沧区", 2)]
    assert draft.line("李沧区", "progress.milestone").rule.startswith("未完成年度节点目标的")
