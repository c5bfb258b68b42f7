"""Score drafts for hand-made units; every expected number is worked out in the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring import Decision, build_draft, load_rubric
from scoring.inputs import Inputs
from test_scoring_support import claim, doc, finding, index, task

R = load_rubric("nantong_2024")


def _section(draft, unit, sid):  # type: ignore[no-untyped-def]
    return next(s for s in draft.unit(unit).sections if s.section == sid)


# --- caps -------------------------------------------------------------------------------


def test_innovation_over_20_is_capped_at_20() -> None:
    d = doc("崇川区", "2024-annual", "year_end")
    claims = [
        # 2 cases adopted nationally: 2 × 3 = 6
        claim(d, "2个案例入选住建部典型案例", 2, "个", "案例", "入选", kind="case_adopted", adopted_level="national"),
        # 1 case adopted by the province: 1 × 2 = 2
        claim(d, "经验做法被省住建厅采用", 1, "个", "经验做法", "采用", kind="case_adopted", adopted_level="provincial"),
        # 120 cleaning actions: band "≥100 次 → 20"
        claim(d, "全年开展环境清洁行动120次", 120, "次", "环境清洁行动", "开展"),
        # three distinct new equipment/mode achievements: band "count ≥3 → 3"
        claim(d, "新购置新能源洗扫车8台", 8, "台", "新能源洗扫车", "购置"),
        claim(d, "投放智能垃圾箱20个", 20, "个", "智能垃圾箱", "投放"),
        claim(d, "推行机械化作业新模式1项", 1, "项", "机械化作业新模式", "推行"),
    ]
    draft = build_draft([d], claims, R)
    lines = {i: draft.line("崇川区", i).points for i in
             ("innovation.case_adopted", "innovation.clean_action", "innovation.new_tech")}
    assert lines == {"innovation.case_adopted": 8, "innovation.clean_action": 20, "innovation.new_tech": 3}
    inno = _section(draft, "崇川区", "innovation")
    # raw gain 8 + 20 + 3 = 31 > 20 → 20, and the draft says why
    assert (inno.gain, inno.points) == (31, 20)
    assert any("31" in r and "20" in r for r in inno.reasons)
    # total: 项目建设 starts at 20 with no deduction, 服务质效 0 (no index: flagged), 创新创优 20
    assert draft.unit("崇川区").total == 20 + 0 + 20
    assert any(f.code == "no_index" for f in draft.line("崇川区", "service").flags)


def test_safety_and_team_deductions_share_one_cap_of_15() -> None:
    d = doc("通州区", "2024-annual", "year_end")
    claims = [claim(d, "发生安全事故1起", 1, "起", "安全事故", "发生")]  # 1 × −2 (default of −2..−10)
    inputs = Inputs(findings=(
        # 3 informatization problems at −5 each = −15
        finding("通州区", "safety.informatization", "车辆定位终端离线", -5, row=2),
        finding("通州区", "safety.informatization", "视频监控未接入", -5, row=3),
        finding("通州区", "safety.informatization", "远程指挥平台未覆盖", 5, row=4),  # sign is the rule's
        # 2 team problems at −2 each = −4 (rule: −2 each, no points given)
        finding("通州区", "team", "错峰作业未落实", row=5),
        finding("通州区", "team", "培训台账缺失", row=6),
    ))
    draft = build_draft([d], claims, R, inputs)
    assert draft.line("通州区", "safety.incident").points == -2
    assert draft.line("通州区", "safety.informatization").points == -15
    assert draft.line("通州区", "team").points == -4
    safety, team = _section(draft, "通州区", "safety"), _section(draft, "通州区", "team")
    # raw: safety 15 + 2 = 17, team 4 → 21 > 15: safety counts first (15), team gets what is left (0)
    assert (safety.deduction, safety.deduction_counted, safety.points) == (17, 15, -15)
    assert (team.deduction, team.deduction_counted, team.points) == (4, 0, 0)
    assert all(any("15" in r for r in s.reasons) for s in (safety, team))
    # total: construction 20 − 0, no index, innovation 0, safety+team −15 → 5
    assert draft.unit("通州区").total == 20 - 15


def test_construction_deductions_never_exceed_its_20_points() -> None:
    inputs = Inputs(plan_tasks=tuple(
        # four tasks with no evidence: 4 × −7 = −28, more than the section's 20
        task("海安市", item, "任务", 1, "座", "2024Q3", row=n)
        for n, item in enumerate(["construction.transfer_station", "construction.bin_point",
                                  "construction.toilet", "construction.sorting"], start=2)
    ))
    draft = build_draft([], [], R, inputs)
    construction = _section(draft, "海安市", "construction")
    assert (construction.deduction, construction.deduction_counted, construction.points) == (28, 20, 0)
    assert draft.unit("海安市").total == 0


# --- plan tasks ------------------------------------------------------------------------


def test_late_task_loses_2_per_quarter() -> None:
    d1, d2, d3 = doc("崇川区", "2024-05/06"), doc("崇川区", "2024-07/08"), doc("崇川区", "2024-09/10")
    claims = [
        claim(d1, "累计改造公厕2座", 2, "座", "公厕", "改造", cumulative=True),
        claim(d2, "累计改造公厕3座", 3, "座", "公厕", "改造", cumulative=True),
        claim(d3, "累计改造公厕4座", 4, "座", "公厕", "改造", cumulative=True),
    ]
    # due end of Q2 (2024-06-30); the target 4 is first reached in the 09/10 report (2024-10-31, Q4)
    inputs = Inputs(plan_tasks=(task("崇川区", "construction.toilet", "改造公厕", 4, "座", "2024Q2"),))
    draft = build_draft([d1, d2, d3], claims, R, inputs)
    line = draft.line("崇川区", "construction.toilet")
    # Q4 − Q2 = 2 quarters late × −2 = −4
    assert line.points == -4 and line.range == (-7, 0)
    (flag,) = [f for f in line.flags if f.code == "late"]
    assert "延迟2个季度" in flag.message and claims[2].id in flag.message
    assert _section(draft, "崇川区", "construction").points == 20 - 4
    assert line.evidence[0].id == "task:plan_tasks.csv:2"
    assert [e.id for e in line.evidence[1:]] == [c.id for c in claims]


def test_late_within_the_due_quarter_counts_one_quarter_and_lateness_is_capped_at_7() -> None:
    d = doc("崇川区", "2024-09/10")
    late_2025 = doc("崇川区", "2025-annual", "year_end")
    claims = [
        claim(d, "累计改造中转站2座", 2, "座", "中转站", "改造", cumulative=True),
        claim(late_2025, "累计整治垃圾桶清运点60处", 60, "处", "垃圾桶清运点", "整治", cumulative=True),
    ]
    inputs = Inputs(plan_tasks=(
        # due 10-15, reached by 10-31: same quarter but after the date → one started quarter, −2
        task("崇川区", "construction.transfer_station", "改造中转站", 2, "座", "2024-10-15", row=2),
        # due 2024Q1, reached 2025-12-31: 7 quarters × −2 = −14, never worse than not done (−7)
        task("崇川区", "construction.bin_point", "整治垃圾桶清运点", 60, "处", "2024Q1", row=3),
    ))
    draft = build_draft([d, late_2025], claims, R, inputs)
    assert draft.line("崇川区", "construction.transfer_station").points == -2
    assert draft.line("崇川区", "construction.bin_point").points == -7


def test_task_without_evidence_loses_7_with_no_evidence_flag() -> None:
    d = doc("如东县", "2024-09/10")
    inputs = Inputs(plan_tasks=(task("如东县", "construction.bin_point", "整治垃圾桶清运点", 80, "处", "2024-10-31"),))
    draft = build_draft([d], [claim(d, "更换破损垃圾桶260只", 260, "只", "破损垃圾桶", "更换")], R, inputs)
    line = draft.line("如东县", "construction.bin_point")
    assert line.points == -7
    assert [f.code for f in line.flags] == ["no_evidence"]
    assert _section(draft, "如东县", "construction").points == 20 - 7


def test_evidence_saying_less_than_target_is_not_done_not_no_evidence() -> None:
    d = doc("通州区", "2024-annual", "year_end")
    claims = [claim(d, "全年改造公厕12座", 12, "座", "公厕", "改造")]
    inputs = Inputs(plan_tasks=(task("通州区", "construction.toilet", "改造公厕", 15, "座", "2024-10-31"),))
    line = build_draft([d], claims, R, inputs).line("通州区", "construction.toilet")
    assert line.points == -7
    codes = [f.code for f in line.flags]
    assert "not_done" in codes and "no_evidence" not in codes
    assert "已证实12/15座" in line.occurrences[0].detail


def test_claim_far_above_the_plan_target_is_flagged() -> None:
    d = doc("海安市", "2024-07/08")
    claims = [claim(d, "累计改造中转站10座", 10, "座", "中转站", "改造", cumulative=True)]
    inputs = Inputs(plan_tasks=(task("海安市", "construction.transfer_station", "改造中转站", 3, "座", "2024-10-31"),))
    line = build_draft([d], claims, R, inputs).line("海安市", "construction.transfer_station")
    # 10 > 3 × 3 = 9 → over_target; the task itself is done in time → 0
    assert line.points == 0
    assert [f.code for f in line.flags] == ["over_target"]


# --- accidents and negation -------------------------------------------------------------


def test_no_accident_sentence_never_deducts() -> None:
    d = doc("通州区", "2024-annual", "year_end")
    negated = claim(d, "全年未发生安全生产事故", 0, "起", "安全生产事故", "发生", negated=True)
    # even a claim forced onto the item by hand (value 0) must not become a deduction
    zero = claim(d, "安全事故0起", 0, "起", "安全事故", "发生", rubric_item="safety.incident",
                 candidates=(("safety.incident", 1.0),))
    forced = claim(d, "全年未发生环保事故", 1, "起", "环保事故", "发生", negated=True,
                   rubric_item="safety.incident", candidates=(("safety.incident", 1.0),))
    draft = build_draft([d], [negated, zero, forced], R)
    assert draft.line("通州区", "safety.incident").points == 0
    assert _section(draft, "通州区", "safety").points == 0
    reasons = {x.evidence.id: x.reason for x in draft.unit("通州区").unscored}
    assert reasons[negated.id] == "negated" and reasons[forced.id] == "negated"


def test_accident_during_works_is_a_construction_deduction() -> None:
    d = doc("启东市", "2024-07/08")
    c = claim(d, "管网改造工程施工中发生安全事故1起", 1, "起", "安全事故", "发生")
    draft = build_draft([d], [c], R)
    # construction.rules' works_accident: 1 × default −5 (range −10..−5); not also safety.incident
    assert draft.line("启东市", "construction.rules").points == -5
    assert draft.line("启东市", "construction.rules").range == (-10, -5)
    assert draft.line("启东市", "safety.incident").points == 0


# --- findings and the index -------------------------------------------------------------


def test_findings_pick_their_rule_and_stay_in_range() -> None:
    inputs = Inputs(findings=(
        finding("海门区", "construction.toilet", "公厕设施建设标准总体评价为较差", row=2),  # −3 (较差)
        finding("海门区", "construction.rules", "随机抽查清运点地面油污", row=3),  # default −1
        finding("海门区", "construction.rules", "中转站渗滤液外溢", -4, row=4),  # −4 is outside −1.5..−0.5 → −1.5
    ))
    draft = build_draft([], [], R, inputs)
    line = draft.line("海门区", "construction.rules")
    # −3 + −1 + −1.5 = −5.5
    assert line.points == -5.5
    assert [f.code for f in line.flags] == ["out_of_range"]
    assert [o.rule_id for o in line.occurrences] == ["poor_facility", "site_check", "site_check"]


def test_clean_index_converts_to_60_by_the_mean() -> None:
    inputs = Inputs(clean_index=(index("崇川区", "2024-05/06", 92, 2), index("崇川区", "2024-07/08", 94, 3)))
    draft = build_draft([], [], R, inputs)
    # mean (92 + 94) / 2 = 93 → 60 × 93 / 100 = 55.8
    assert draft.line("崇川区", "service").points == 55.8
    assert draft.unit("崇川区").total == 20 + 55.8


def test_clean_index_latest_is_a_setting(tmp_path: Path) -> None:
    text = Path(R.path).read_text(encoding="utf-8").replace("aggregate: mean", "aggregate: latest")
    path = tmp_path / "latest.yaml"
    path.write_text(text, encoding="utf-8")
    rubric = load_rubric(path)
    inputs = Inputs(clean_index=(index("崇川区", "2024-07/08", 94, 2), index("崇川区", "2024-05/06", 92, 3)))
    # latest period is 07/08 whatever the row order: 60 × 94 / 100 = 56.4
    assert build_draft([], [], rubric, inputs).line("崇川区", "service").points == 56.4


# --- ranking, decisions and the views ---------------------------------------------------


def test_equal_totals_share_a_rank() -> None:
    inputs = Inputs(clean_index=(
        index("A区", "2024-06", 90, 2), index("B区", "2024-06", 90, 3), index("C区", "2024-06", 80, 4),
    ))
    draft = build_draft([], [], R, inputs)
    # A and B: 20 + 54 = 74; C: 20 + 48 = 68
    assert [(u.unit, u.total, u.rank) for u in draft.units] == [("A区", 74, 1), ("B区", 74, 1), ("C区", 68, 3)]


def test_decisions_recompute_confirmed_points() -> None:
    d = doc("崇川区", "2024-annual", "year_end")
    case = claim(d, "经验做法被省住建厅采用", 1, "个", "经验做法", "采用", kind="case_adopted", adopted_level="provincial")
    wrong = claim(d, "开展环境清洁行动30次", 30, "次", "环境清洁行动", "开展")
    inputs = Inputs(findings=(finding("崇川区", "construction.rules", "随机抽查问题", -1, row=2),))
    before = build_draft([d], [case, wrong], R, inputs)
    assert before.line("崇川区", "innovation.case_adopted").points == 2
    assert before.line("崇川区", "innovation.clean_action").points == 10  # 30 次 ≥ 20 → 10
    assert before.line("崇川区", "construction.rules").points == -1
    after = build_draft([d], [case, wrong], R, inputs, decisions={
        case.id: Decision("confirmed", points=3),  # the reviewer knows it was adopted nationally
        wrong.id: "rejected",  # not a cleaning action after all
        "finding:findings.csv:2": "rejected",  # the finding was withdrawn
    })
    line = after.line("崇川区", "innovation.case_adopted")
    assert (line.points, line.status) == (3, "confirmed")
    assert after.line("崇川区", "innovation.clean_action").points == 0
    assert after.line("崇川区", "construction.rules").points == 0
    # 20 (construction, nothing deducted) + 3
    assert after.unit("崇川区").total == 23
    assert {x.reason for x in after.unit("崇川区").unscored} == {"rejected"}


def test_json_contract_and_frames() -> None:
    d = doc("崇川区", "2024-annual", "year_end", name="崇川区年度总结.docx")
    case = claim(d, "经验做法被省住建厅采用", 1, "个", "经验做法", "采用", kind="case_adopted",
                 adopted_level="provincial", page=3)
    other = claim(d, "受理热线工单610件", 610, "件", "热线工单", "受理")
    draft = build_draft([d], [case, other], R, Inputs(clean_index=(index("崇川区", "2024-06", 90),)))
    data = json.loads(json.dumps(draft.to_json(), ensure_ascii=False))
    (unit,) = data
    assert {"unit", "total", "rank", "items"} <= set(unit)
    assert unit["total"] == 20 + 54 + 2 and unit["rank"] == 1
    assert [i["item"] for i in unit["items"]] == list(R.items)
    item = next(i for i in unit["items"] if i["item"] == "innovation.case_adopted")
    assert {"item", "points", "range", "rule", "status", "flags", "evidence"} <= set(item)
    assert item["points"] == 2 and item["range"] == [1, 3] and item["status"] == "proposed"
    assert item["rule"].startswith("有工作案例被市级以上主管部门采用")
    assert item["evidence"] == [{"document": "崇川区年度总结.docx", "page": 3, "quote": case.quote, "claim_id": case.id}]
    service = next(i for i in unit["items"] if i["item"] == "service")
    assert service["evidence"][0]["claim_id"] == "index:clean_index.csv:2"
    assert [u["claim_id"] for u in unit["unscored"]] == [other.id]  # unmapped, still visible

    items = draft.items_frame()
    assert list(items.columns[:11]) == ["unit", "item", "item_name", "section", "points", "min", "max",
                                       "rule", "status", "flags", "evidence"]
    assert len(items) == len(R.items)
    units = draft.units_frame()
    assert list(units.columns) == ["rank", "unit", "construction", "service", "innovation", "safety", "team", "total", "caps"]
    assert units.loc[0, "total"] == 76
    ev = draft.evidence_frame()
    assert case.id in set(ev["evidence_id"]) and "index:clean_index.csv:2" in set(ev["evidence_id"])
    assert list(draft.flags_frame().columns) == ["unit", "item", "code", "message"]


def test_text_rendering_cites_every_number() -> None:
    d = doc("崇川区", "2024-annual", "year_end", name="崇川区年度总结.docx")
    case = claim(d, "经验做法被省住建厅采用", 1, "个", "经验做法", "采用", kind="case_adopted", adopted_level="provincial")
    text = build_draft([d], [case], R).render_text()
    assert "排名" in text and "崇川区" in text
    assert f"[{case.id}] 崇川区年度总结.docx 第1页「{case.quote}」" in text
    assert "1例 × 2分（省级）" in text


@pytest.mark.parametrize("bad", ["maybe", object()])
def test_bad_decision_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        build_draft([], [], R, decisions={"x": bad})


def test_decision_on_any_mention_or_on_the_whole_line() -> None:
    d1, d2 = doc("崇川区", "2024-07/08"), doc("崇川区", "2024-annual", "year_end")
    mentions = [
        claim(d, "经验做法被省住建厅采用", 1, "个", "经验做法", "采用", kind="case_adopted", adopted_level="provincial")
        for d in (d1, d2)
    ]
    inputs = Inputs(clean_index=(index("崇川区", "2024-06", 90),))
    # the reviewer confirms the bimonthly sentence; the achievement's winner is the year-end one
    draft = build_draft([d1, d2], mentions, R, inputs, decisions={mentions[0].id: "confirmed"})
    line = draft.line("崇川区", "innovation.case_adopted")
    assert (line.points, line.status) == (2, "confirmed")
    # a whole-line decision overrides the sum of its occurrences; rejecting a line gives 0
    draft = build_draft([d1, d2], mentions, R, inputs, decisions={
        "崇川区::innovation.case_adopted": 3,
        "崇川区::service": "rejected",
    })
    assert draft.line("崇川区", "innovation.case_adopted").points == 3
    assert (draft.line("崇川区", "service").points, draft.line("崇川区", "service").status) == (0, "confirmed")
    assert draft.unit("崇川区").total == 20 + 0 + 3


def test_input_rows_for_unknown_items_are_visible_not_silently_dropped() -> None:
    # inputs read without a rubric cannot be checked on load; the draft says what it skipped
    inputs = Inputs(findings=(finding("如皋市", "service.toilets", "公厕保洁不到位", row=7),))
    draft = build_draft([], [], R, inputs)
    (flag,) = draft.unit("如皋市").flags
    assert flag.code == "unknown_item" and "finding:findings.csv:7" in flag.message
    assert draft.unit("如皋市").total == 20  # nothing deducted
    assert list(draft.flags_frame()["code"]) == ["no_index", "unknown_item"]
