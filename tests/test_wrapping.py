"""Lines broken around numbers (text copied out of a PDF) are joined back, and nothing else is."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.pipeline import extract_claims
from extractors.readers import read_document
from extractors.wrapping import unwrapped
from tests.conftest import assert_claim_offsets
from tests.helpers.files import make_docx

# Written for this test in the shape of a PDF copied to text: every digit run on a line of its own.
WRAPPED = [
    "2023",
    "年城市管理局工作总结",
    "一、市容秩序",
    "今年,共开展专项整治行动",
    "120余次,出动",
    "5600",
    "余人次,出动执法车辆",
    "800",
    "余车次;拆除违法建设",
    "37",
    "处,面积",
    "8421",
    "平方米,",
    "100%",
    "完成年度任务。",
    "二、2024年工作计划",
    "2024年计划新建公厕6座。",
]


def _claims(path: Path):
    doc = read_document(path)
    claims = extract_claims(doc)
    assert_claim_offsets(doc, claims)
    return doc, {(c.value, c.unit): c for c in claims}


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_numbers_broken_from_their_units_are_found(tmp_path: Path, fmt: str) -> None:
    if fmt == "txt":
        path = tmp_path / "r.txt"
        path.write_text("\n".join(WRAPPED), encoding="utf-8")
    else:
        path = make_docx(tmp_path / "r.docx", WRAPPED)
    doc, found = _claims(path)
    for key in [(120, "次"), (5600, "人次"), (800, "车次"), (37, "处"), (8421, "平方米"), (100, "%"), (6, "座")]:
        assert key in found, key
    assert found[(5600, "人次")].approximate and found[(5600, "人次")].status == "done"
    assert found[(37, "处")].subject.endswith("违法建设")
    assert found[(6, "座")].status == "planned"  # the plan heading still governs its section
    texts = [b.text for b in doc.blocks]
    assert "二、2024年工作计划" in texts and "一、市容秩序" in texts  # headings stay blocks of their own
    assert texts[0] == "2023\n年城市管理局工作总结"
    joined = next(b for b in doc.blocks if "5600" in b.text)
    assert joined.text.startswith("今年,共开展专项整治行动\n120余次") and joined.text.endswith("完成年度任务。")


def test_ordinary_line_breaks_stay_block_boundaries(tmp_path: Path) -> None:
    lines = ["一、工作开展情况", "2023年新建公厕5座。", "三、以品质提升为目标,加强精细化管理", "1.深度谋划,各中队选择1-2条路段。",
             "全年清运垃圾", "这一行没有数字。"]
    path = tmp_path / "plain.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == lines


def test_unwrapped_keeps_offsets_and_only_turns_wraps_into_spaces() -> None:
    text = "共开展专项整治行动\n150余次,出动\n8000\n余人次。\n二、下一步工作"
    view = unwrapped(text)
    assert len(view) == len(text)
    assert view == "共开展专项整治行动\n150余次,出动 8000 余人次。\n二、下一步工作"
    assert unwrapped("没有换行") == "没有换行"


def test_rows_of_a_tab_separated_table_stay_lines_of_their_own(tmp_path: Path) -> None:
    path = tmp_path / "table.txt"
    path.write_text("序号\t问题\t完成情况\n1\t垃圾收集点12处\t已完成\n2\t公厕3座\t完成2座\n", encoding="utf-8")
    assert [b.text for b in read_document(path).blocks] == ["序号\t问题\t完成情况", "1\t垃圾收集点12处\t已完成",
                                                            "2\t公厕3座\t完成2座"]
