"""Across periods: repeated and cumulative mentions count once, oddities are flagged."""

from __future__ import annotations

from scoring import build_draft, load_rubric, map_claims, reconcile
from scoring.inputs import Inputs
from test_scoring_support import claim, doc, task

R = load_rubric("nantong_2024")


def _three_reports(unit: str = "崇川区"):  # type: ignore[no-untyped-def]
    return (
        doc(unit, "2024-05/06"),
        doc(unit, "2024-07/08"),
        doc(unit, "2024-annual", "year_end"),
    )


def test_cumulative_claim_repeated_in_three_reports_counts_once() -> None:
    d1, d2, d3 = _three_reports()
    mentions = [
        claim(d1, "截至目前，累计改造中转站3座", 3, "座", "中转站", "改造", cumulative=True),
        claim(d2, "截至目前，累计改造中转站3座", 3, "座", "中转站", "改造", cumulative=True),
        claim(d3, "全年共改造中转站3座", 3, "座", "中转站", "改造", cumulative=True),
    ]
    (a,) = reconcile([d1, d2, d3], map_claims(mentions, R), R)
    assert a.value == 3 and len(a.mentions) == 3 and a.flags == ()
    # in the draft: one plan task of 3 座, evidenced once (3, not 3 + 3 + 3 = 9), three quotes listed
    inputs = Inputs(plan_tasks=(task("崇川区", "construction.transfer_station", "改造中转站", 3, "座", "2024-10-31"),))
    line = build_draft([d1, d2, d3], mentions, R, inputs).line("崇川区", "construction.transfer_station")
    assert line.points == 0  # reached in the 05/06 report, before the due date
    assert [e.id for e in line.evidence[1:]] == [c.id for c in mentions]
    assert "已证实3/3座" in line.occurrences[0].detail
    assert not any(f.code == "over_target" for f in line.flags)  # 9 would have been over 3 × 3


def test_case_adopted_repeated_in_three_reports_scores_once() -> None:
    d1, d2, d3 = _three_reports()
    mentions = [
        claim(d, "“一网统管”经验做法被省住建厅采用", 1, "个", "经验做法", "采用", kind="case_adopted",
              adopted_level="provincial", adopted_by="省住建厅")
        for d in (d1, d2, d3)
    ]
    line = build_draft([d1, d2, d3], mentions, R).line("崇川区", "innovation.case_adopted")
    # one case × 2 points (省级), not 3 × 2 = 6
    assert line.points == 2
    assert len(line.evidence) == 3


def test_latest_cumulative_value_wins_and_grows_across_reports() -> None:
    d1, d2, d3 = _three_reports()
    mentions = [
        claim(d1, "累计改造公厕2座", 2, "座", "公厕", "改造", cumulative=True),
        claim(d3, "全年共改造公厕5座", 5, "座", "公厕", "改造", cumulative=True),
        claim(d2, "累计改造公厕4座", 4, "座", "公厕", "改造", cumulative=True),  # order of input is irrelevant
    ]
    (a,) = reconcile([d1, d2, d3], map_claims(mentions, R), R)
    assert a.value == 5
    assert [v for _, v, _ in a.timeline] == [2, 4, 5]


def test_falling_cumulative_count_is_flagged() -> None:
    d1, d2, d3 = _three_reports("如东县")
    mentions = [
        claim(d1, "截至目前，累计建成分类厢房46座", 46, "座", "分类厢房", "建成", cumulative=True),
        claim(d2, "截至目前，累计建成分类厢房41座", 41, "座", "分类厢房", "建成", cumulative=True),
        claim(d3, "全年建成分类厢房48座", 48, "座", "分类厢房", "建成", cumulative=True),
    ]
    (a,) = reconcile([d1, d2, d3], map_claims(mentions, R), R)
    codes = [f.code for f in a.flags]
    assert codes == ["cumulative_fell"]  # 46 → 41 only; 41 → 48 is growth
    assert "46" in a.flags[0].message and "41" in a.flags[0].message
    assert a.value == 48
    line = build_draft([d1, d2, d3], mentions, R).line("如东县", "construction.sorting")
    assert any(f.code == "cumulative_fell" for f in line.flags)  # visible in the draft too


def test_two_numbers_for_one_subject_in_one_report_is_a_conflict() -> None:
    d = doc("通州区", "2024-07/08")
    first = claim(d, "累计改造公厕11座", 11, "座", "公厕", "改造", cumulative=True)
    second = claim(d, "公厕改造累计完成12座", 12, "座", "公厕", "改造", cumulative=True)
    (a,) = reconcile([d], map_claims([first, second], R), R)
    assert [f.code for f in a.flags] == ["conflict"]
    assert a.value == 11  # the first mention in the report, as the message says
    assert "11" in a.flags[0].message and "12" in a.flags[0].message


def test_a_part_introduced_by_qizhong_is_not_a_conflict() -> None:
    d = doc("崇川区", "2024-07/08")
    text = "截至目前，累计改造中转站5座，其中7-8月完成2座。"
    whole = claim(d, text, 5, "座", "中转站", "改造", block=7, start=11, end=13, cumulative=True)
    part = claim(d, text, 2, "座", "中转站", "完成", block=7, start=21, end=23, cumulative=True)
    (a,) = reconcile([d], map_claims([whole, part], R), R)
    assert a.flags == () and a.value == 5 and len(a.mentions) == 2


def test_different_actions_on_one_subject_are_different_achievements() -> None:
    d = doc("崇川区", "2024-annual", "year_end")
    new = claim(d, "全年新建公厕4座", 4, "座", "公厕", "新建")
    reno = claim(d, "改造提升公厕18座", 18, "座", "公厕", "改造提升")
    achs = reconcile([d], map_claims([new, reno], R), R)
    assert sorted(a.value for a in achs) == [4, 18]
    assert all(a.flags == () for a in achs)


def test_planned_negated_and_unit_less_claims_are_not_achievements() -> None:
    d = doc("崇川区", "2024-05/06")
    nobody = doc(None, "2024-05/06", name="未知单位.docx")
    claims = map_claims([
        claim(d, "计划年内改造中转站3座", 3, "座", "中转站", "改造", status="planned"),
        claim(d, "全年未发生安全生产事故", 0, "起", "安全生产事故", "发生", negated=True),
        claim(nobody, "累计改造中转站2座", 2, "座", "中转站", "改造"),
    ], R)
    assert reconcile([d, nobody], claims, R) == ()
