"""The rubric as data: the packaged files load, and a broken file names file, line and field."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from reportscore.errors import RubricError
from scoring import RUBRIC_VERSION, explain, load_rubric, map_claims, packaged_rubrics, rubric_version
from scoring.rubric import PACKAGED_DIR, BandedRule, IndexRule, PerOccurrenceRule, PlanTaskRule
from test_scoring_support import claim, doc

NANTONG_IDS = {
    "construction", "construction.transfer_station", "construction.bin_point", "construction.toilet",
    "construction.sorting", "construction.rules", "service", "innovation", "innovation.case_adopted",
    "innovation.clean_action", "innovation.reform", "innovation.new_tech", "safety",
    "safety.informatization", "safety.incident", "team",
}


def test_nantong_has_the_stable_ids_of_the_domain() -> None:
    r = load_rubric("nantong_2024")
    ids = set(r.items) | {s.id for s in r.sections}
    assert ids == NANTONG_IDS
    assert [s.name for s in r.sections] == ["项目建设", "服务质效", "创新创优", "安全环保", "和谐团队"]


def test_nantong_rules_carry_the_numbers_of_the_standard() -> None:
    r = load_rubric("nantong_2024")
    plan = r.items["construction.toilet"].rules[0]
    assert isinstance(plan, PlanTaskRule) and (plan.not_done, plan.late_per_quarter) == (-7, -2)
    rules = {x.id: x for x in r.items["construction.rules"].rules}
    assert isinstance(rules["site_check"], PerOccurrenceRule) and rules["site_check"].points == (-1.5, -0.5)
    assert rules["poor_facility"].points == (-3, -3)  # type: ignore[union-attr]
    assert rules["works_accident"].points == (-10, -5)  # type: ignore[union-attr]
    case = r.items["innovation.case_adopted"].rules[0]
    assert isinstance(case, PerOccurrenceRule)
    assert (case.level_points("municipal"), case.level_points("provincial"), case.level_points("national")) == (1, 2, 3)
    clean = r.items["innovation.clean_action"].rules[0]
    assert isinstance(clean, BandedRule) and clean.points == (5, 20)
    index = r.items["service"].rules[0]
    assert isinstance(index, IndexRule) and (index.scale, index.aggregate) == (100, "mean")
    assert r.section("service").points == 60 and r.section("construction").base == 20  # type: ignore[union-attr]
    (cap,) = r.combined_caps
    assert cap.sections == ("safety", "team") and cap.max_deduction == 15


def test_load_by_path_and_version_is_the_file_hash(tmp_path: Path) -> None:
    packaged = PACKAGED_DIR / "nantong_2024.yaml"
    copy = tmp_path / "mine.yaml"
    copy.write_bytes(packaged.read_bytes())
    r = load_rubric(copy)
    assert r.path == str(copy)
    assert r.version == hashlib.sha256(packaged.read_bytes()).hexdigest()[:16] == RUBRIC_VERSION
    assert rubric_version(copy) == r.version
    copy.write_text(packaged.read_text(encoding="utf-8").replace("max_deduction: 15", "max_deduction: 12"), encoding="utf-8")
    changed = load_rubric(copy)
    assert changed.version != r.version and changed.combined_caps[0].max_deduction == 12
    assert set(packaged_rubrics()) >= {"nantong_2024", "qingdao_liubi"}


def test_missing_packaged_rubric_is_a_rubric_error() -> None:
    with pytest.raises(RubricError, match="no_such_rubric"):
        load_rubric("no_such_rubric")


# --- validation errors: each names the file, the line and the field -------------------

GOOD = """\
id: tiny
name: 小规则
sections:
  - id: innovation
    name: 创新创优
    points: 20
    items:
      - id: innovation.case_adopted
        name: 案例采用
        rules:
          - id: case
            type: per_occurrence
            text: 每例得1-3分
            points: [1, 3]
mapping:
  - item: innovation.case_adopted
    kind: case_adopted
    confidence: 0.9
"""


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle` (how the test knows the answer)."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "words"),
    [
        # a required field removed: the error points at the rule that lacks it
        ("            text: 每例得1-3分\n", "", "- id: case", "sections[0].items[0].rules[0].text", "missing"),
        ("points: [1, 3]", "points: [3, 1]", "points: [3, 1]", "sections[0].items[0].rules[0].points", "above max"),
        ("points: [1, 3]", "points: [-1, 3]", "points: [-1, 3]", "sections[0].items[0].rules[0].points", "not both"),
        ("type: per_occurrence", "type: bonus", "type: bonus", "sections[0].items[0].rules[0].type", "bonus"),
        ("  - item: innovation.case_adopted", "  - item: innovation.nope", "item: innovation.nope",
         "mapping[0].item", "unknown rubric item"),
        ("confidence: 0.9", "confidence: 1.5", "confidence: 1.5", "mapping[0].confidence", "(0, 1]"),
        ("      - id: innovation.case_adopted", "      - id: service.case", "id: service.case",
         "sections[0].items[0].id", "must be"),
        ("            points: [1, 3]\n", "            points: [1, 3]\n            default: 5\n", "default: 5",
         "sections[0].items[0].rules[0].default", "outside the range"),
        ("    points: 20\n", "    points: 20\n    colour: red\n", "colour: red", "sections[0].colour", "unknown field"),
    ],
)
def test_validation_error_names_file_line_and_field(
    tmp_path: Path, old: str, new: str, needle: str, field: str, words: str
) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}, line {_line_of(text, needle)}, field {field}:"), msg
    assert words in msg


def test_the_good_tiny_rubric_loads(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(GOOD, encoding="utf-8")
    r = load_rubric(path)
    assert list(r.items) == ["innovation.case_adopted"]
    rule = r.items["innovation.case_adopted"].rules[0]
    assert isinstance(rule, PerOccurrenceRule) and rule.default == 1  # no default given: the end nearest zero


def test_combined_cap_with_unknown_section(tmp_path: Path) -> None:
    text = GOOD + "combined_caps:\n  - id: c\n    name: 合计\n    sections: [innovation, team]\n    max_deduction: 15\n"
    path = tmp_path / "cap.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError, match=re.escape(f"line {_line_of(text, 'sections: [innovation, team]')}, field combined_caps[0].sections[1]")):
        load_rubric(path)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = GOOD.replace("    name: 创新创优\n", "    name: [创新创优\n")
    path = tmp_path / "syntax.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError, match=rf"^{re.escape(str(path))}, line \d+, field \(syntax\)"):
        load_rubric(path)


# --- mapping claims to items ------------------------------------------------------------


def test_mapping_candidates_in_rule_order_and_best_by_confidence() -> None:
    r = load_rubric("nantong_2024")
    d = doc("崇川区", "2024-07/08")
    works = claim(d, "道路改造工程施工中发生安全事故1起", 1, "起", "安全事故", "发生")
    toilet = claim(d, "改造老旧公厕8座", 8, "座", "老旧公厕", "改造")
    upkeep = claim(d, "完成城区180座公厕维修维护", 180, "座", "公厕", "维修维护")
    case = claim(d, "有2个案例被省住建厅采用", 2, "个", "案例", "采用", kind="case_adopted", adopted_level="provincial")
    mapped = map_claims([works, toilet, upkeep, case], r)
    # rules: construction.rules (0.8) comes before safety.incident (0.75) in the file
    assert mapped[0].candidates == (("construction.rules", 0.8), ("safety.incident", 0.75))
    assert mapped[0].rubric_item == "construction.rules"
    assert mapped[1].rubric_item == "construction.toilet"
    assert mapped[2].rubric_item is None and mapped[2].candidates == ()  # upkeep is not construction
    assert mapped[3].rubric_item == "innovation.case_adopted"
    assert mapped[3].candidates[0] == ("innovation.case_adopted", 0.95)
    assert works.rubric_item is None  # the input is not changed


def test_negated_claims_never_map() -> None:
    r = load_rubric("nantong_2024")
    d = doc("通州区", "2024-annual", "year_end")
    no_accident = claim(d, "全年未发生安全生产事故", 0, "起", "安全生产事故", "发生", negated=True)
    (m,) = map_claims([no_accident], r)
    assert m.rubric_item is None and m.candidates == ()
    # and the data guards too: the exclude words stop an un-negated 未发生 sentence
    plain = claim(d, "全年未发生安全生产事故1起", 1, "起", "安全生产事故", "发生")
    (m2,) = map_claims([plain], r)
    assert m2.rubric_item is None


def test_planned_accident_claim_does_not_map_to_a_deduction() -> None:
    r = load_rubric("nantong_2024")
    d = doc("通州区", "2024-05/06")
    planned = claim(d, "力争安全事故起数下降1起", 1, "起", "安全事故", "下降", status="planned")
    (m,) = map_claims([planned], r)
    assert "safety.incident" not in dict(m.candidates)


def test_explain_names_the_rule_lines_that_matched() -> None:
    r = load_rubric("nantong_2024")
    d = doc("崇川区", "2024-07/08")
    c = claim(d, "改造老旧公厕8座", 8, "座", "老旧公厕", "改造")
    (why,) = explain(c, r)
    text = Path(r.path).read_text(encoding="utf-8").splitlines()
    m = re.fullmatch(rf"{re.escape(r.path)}:(\d+) → construction\.toilet \(0\.85\)", why)
    assert m, why
    line = int(m.group(1))
    assert "item: construction.toilet" in text[line - 1]
