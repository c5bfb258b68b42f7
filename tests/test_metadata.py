"""Who and when: unit from the participant list, period, report date and kind, with a
note whenever signals disagree or are missing."""

from __future__ import annotations

from pathlib import Path

import pytest

try:
    from conftest_readers import make_simple_docx
except ImportError:
    from tests.conftest_readers import make_simple_docx

from extractors.metadata import Participant, cn_small, find_units, load_participants, parse_period
from extractors.readers import read_document
from reportscore.errors import ConfigError

NANTONG = """unit,aliases
崇川区,崇川
通州区,通州
海门区,海门
海安市,海安
如皋市,如皋
如东县,如东
启东市,启东
南通经济技术开发区,开发区|经开区
苏锡通科技产业园区,苏锡通
通州湾示范区,通州湾
"""

BODY = "今年以来，完成城区180座公厕维修维护，新建垃圾分类投放站32个。"


@pytest.fixture(scope="module")
def participants(tmp_path_factory):
    path = tmp_path_factory.mktemp("cfg") / "participants.csv"
    path.write_text(NANTONG, encoding="utf-8")
    return load_participants(path)


def report(tmp_path: Path, name: str, title: str, signature: list[str], body: str = BODY) -> Path:
    return make_simple_docx(tmp_path / name, [body, *signature], title=title)


def test_load_participants(participants):
    assert len(participants) == 10
    assert participants[0] == Participant("崇川区", ("崇川",))
    assert participants[7].aliases == ("开发区", "经开区")


def test_load_participants_errors(tmp_path):
    bad = tmp_path / "p.csv"
    bad.write_text("unit,aliases\n,x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"p.csv, line 2, column unit"):
        load_participants(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_participants(tmp_path / "missing.csv")


def test_bimonthly_progress_report(tmp_path, participants):
    path = report(tmp_path, "report.docx", "如东县2024年5-6月干净城市建设竞赛活动进展情况",
                  ["如东县城市管理局", "2024年7月5日"])
    d = read_document(path, participants)
    assert (d.unit, d.period, d.kind, d.report_date) == ("如东县", "2024-05/06", "progress", "2024-07-05")
    assert d.notes == ()


@pytest.mark.parametrize("title, period, kind", [
    ("海安市2024年7—8月份竞赛进展情况", "2024-07/08", "progress"),
    ("海安市2024年九至十月竞赛进展情况", "2024-09/10", "progress"),
    ("海安市2024年上半年工作总结", "2024-H1", "progress"),
    ("海安市2024年度干净城市建设工作总结", "2024-annual", "year_end"),
    ("海安市2024年年终总结", "2024-annual", "year_end"),
    ("海安市2024年工作总结", "2024-annual", "year_end"),
])
def test_periods(tmp_path, participants, title, period, kind):
    path = report(tmp_path, "r.docx", title, ["海安市城市管理局", "2024年12月20日"])
    d = read_document(path, participants)
    assert (d.unit, d.period, d.kind) == ("海安市", period, kind)


def test_parse_period_phrases():
    assert parse_period("5月-6月").suffix == "05/06"
    assert parse_period("第三季度工作情况").suffix == "Q3"
    assert parse_period("下半年").suffix == "H2"
    assert parse_period("关于开展劳动竞赛的通知") is None


def test_chinese_numeral_signature_date(tmp_path, participants):
    path = report(tmp_path, "r.docx", "启东市2024年5-6月竞赛进展情况", ["启东市城市管理局", "二〇二四年七月十二日"])
    d = read_document(path, participants)
    assert d.report_date == "2024-07-12"
    assert cn_small("二十一") == 21 and cn_small("二〇二四") == 2024 and cn_small("十二") == 12


def test_unit_signals_disagree(tmp_path, participants):
    path = report(tmp_path, "海安市-5-6月.docx", "2024年5-6月竞赛活动进展情况", ["如东县城市管理局", "2024年7月5日"])
    d = read_document(path, participants)
    assert d.unit == "如东县"  # the signature outranks the file name
    assert any("unit signals disagree" in n and "海安市" in n and "如东县" in n for n in d.notes)


def test_longest_name_wins():
    ps = [Participant("通州区", ("通州",)), Participant("通州湾示范区", ("通州湾",))]
    assert find_units("通州湾示范区管理委员会", ps) == {"通州湾示范区"}
    assert find_units("南通市通州区城管局", ps) == {"通州区"}


def test_missing_unit_period_and_date_are_noted(tmp_path, participants):
    path = report(tmp_path, "report.docx", "关于城市管理工作的报告", ["城市管理局"])
    d = read_document(path, participants)
    assert (d.unit, d.period, d.kind, d.report_date) == (None, None, "other", None)
    joined = " | ".join(d.notes)
    assert "unit not found" in joined and "no report date" in joined and "no reporting period" in joined


def test_year_from_report_date_for_a_january_summary(tmp_path, participants):
    path = report(tmp_path, "r.docx", "崇川区年度工作总结", ["崇川区城市管理局", "2025年1月10日"])
    d = read_document(path, participants)
    assert d.period == "2024-annual"
    assert any("inferred from the report date" in n for n in d.notes)


def test_period_disagreement_between_file_name_and_title(tmp_path, participants):
    path = report(tmp_path, "如东县7-8月.docx", "如东县2024年5-6月竞赛进展情况", ["如东县城市管理局", "2024年7月5日"])
    d = read_document(path, participants)
    assert d.period == "2024-05/06"
    assert any("period signals disagree" in n for n in d.notes)


def test_report_date_before_period_end_is_noted(tmp_path, participants):
    path = report(tmp_path, "r.docx", "如东县2024年9-10月竞赛进展情况", ["如东县城市管理局", "2024年7月5日"])
    d = read_document(path, participants)
    assert any("well before the end of its period" in n for n in d.notes)


def test_progress_without_period(tmp_path, participants):
    path = report(tmp_path, "r.docx", "通州区竞赛活动进展情况", ["通州区城市管理局", "2024年7月5日"])
    d = read_document(path, participants)
    assert (d.unit, d.period, d.kind) == ("通州区", None, "progress")
    assert any("without a recognisable period" in n for n in d.notes)


def test_boilerplate_is_not_a_signal(tmp_path, participants):
    """A spam line at the end must not hide the real signature date."""
    path = report(tmp_path, "r.docx", "如东县2024年5-6月竞赛进展情况", ["如东县城市管理局", "2024年7月5日", "宝博体育"])
    d = read_document(path, participants)
    assert d.report_date == "2024-07-05"
    assert d.blocks[-1].kind == "boilerplate"
