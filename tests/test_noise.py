"""Noise marking on the real seeds (read as .txt) and on files made here.

The seed counts were checked by eye (2024-11): in 001 every marked line is newspaper
navigation, the page index or the site footer; in 004 the hotline, the dateline, the
four spam lines (one split off the title) and "【产品推荐】". No report paragraph is marked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

try:
    from conftest_readers import make_simple_docx
except ImportError:
    from tests.conftest_readers import make_simple_docx

from extractors import noise, read_text
from extractors.readers import read_document
from reportscore.errors import ConfigError

SEEDS = Path("/work/shared/seeds")


def seed(tmp_path: Path, name: str) -> Path:
    src = next(SEEDS.glob(f"{name}_*.txt"), None)
    if src is None:
        pytest.skip(f"seed {name} not found under {SEEDS}")
    dst = tmp_path / src.name
    shutil.copyfile(src, dst)
    return dst


def marked(doc):
    return [b for b in doc.blocks if b.kind == "boilerplate"]


def test_seed_001_web_chrome(tmp_path):
    path = seed(tmp_path, "001")
    raw = read_text.read(path)
    doc = noise.mark(raw)
    bp = marked(doc)
    print(f"\nseed 001: {len(bp)} of {len(raw.blocks)} lines marked as boilerplate")
    for b in bp:
        print(f"  {b.location:>8}  {b.context:<28} {b.text.strip()[:50]}")
    assert len(bp) == 35
    texts = {b.text.strip() for b in bp}
    assert "放大 缩小 默认" in {t.replace("\xa0", "").strip() for t in texts}
    assert any(t.startswith("第01版") for t in texts)
    kept = [b.text for b in doc.blocks if b.kind != "boilerplate"]
    assert any("建成省级垃圾分类达标小区25个" in t for t in kept)
    assert any(t.strip() == "高邮市城市管理局" for t in kept)
    assert len(doc.blocks) == len(raw.blocks)  # nothing split, nothing lost


def test_seed_004_spam_and_meta(tmp_path):
    path = seed(tmp_path, "004")
    raw = read_text.read(path)
    doc = noise.mark(raw)
    bp = marked(doc)
    print(f"\nseed 004: {len(bp)} of {len(doc.blocks)} blocks marked as boilerplate")
    for b in bp:
        print(f"  {b.location:>22}  {b.context:<26} {b.text.strip()[:50]}")
    assert len(bp) == 7
    assert sum(1 for b in bp if b.text.strip() == "宝博体育") == 4
    # the spam glued to the title is split off; both parts are exact slices of line 3
    line3 = [b for b in raw.blocks if b.location == "line 3"][0].text
    head, rest = [b for b in doc.blocks if b.location.startswith("line 3,")]
    assert head.kind == "boilerplate" and head.text == "宝博体育"
    assert rest.kind == "paragraph" and rest.text == "常州市城市管理局党组关于巡察集中整改进展情况的通报"
    assert head.text + rest.text == line3
    # spam inside a sentence: the sentence stays whole, a note says where
    assert any("line 167" in n for n in doc.notes)
    assert any(b.location == "line 167" and b.kind == "paragraph" for b in doc.blocks)
    # the report's closing paragraph (with 联系方式:) is report text
    closing = [b for b in doc.blocks if b.text.strip().startswith("欢迎广大干部群众")]
    assert closing and closing[0].kind == "paragraph"


@pytest.mark.parametrize("name", ["000", "002", "003"])
def test_other_seeds_unmarked(tmp_path, name):
    doc = noise.mark(read_text.read(seed(tmp_path, name)))
    assert marked(doc) == []


def test_guard_never_marks_real_paragraphs(tmp_path):
    """Every marked block is short and at most one sentence, on every seed."""
    rules = noise.load_rules()
    for src in sorted(SEEDS.glob("*.txt")):
        doc = noise.mark(read_text.read(src))
        for b in marked(doc):
            assert len(b.text.strip()) <= rules.max_chars
            assert b.text.count("。") <= rules.max_sentence_ends


def test_classify_examples():
    assert noise.classify("3 上一篇   下一篇 4") == "web.nav"
    assert noise.classify("时间:2024-09-26 11:12:56 文章作者:小编 点击:") == "web.article_meta"
    assert noise.classify("服务热线:400-123-4567") == "web.article_meta"
    assert noise.classify("版权所有：某某市城市管理局 苏ICP备12345678号") == "web.site_footer"
    assert noise.classify("宝博体育") == "spam.injected"
    for real in ["返回原籍的务工人员共计120人。", "点击量突破10万次，群众满意率达到98%。",
                 "时间紧、任务重，全体人员加班加点完成了180座公厕维修。", "一、工作目标", "高邮市城市管理局",
                 "来源广泛的志愿者队伍共计300余人，开展活动45次。", "中小学生垃圾分类宣传活动12场"]:
        assert noise.classify(real) is None, real


def test_docx_spam_line_marked_through_read_document(tmp_path):
    path = make_simple_docx(tmp_path / "r.docx", ["完成城区180座公厕维修维护。", "宝博体育", "新建分类厢房48个。"])
    d = read_document(path)
    kinds = {b.text: b.kind for b in d.blocks}
    assert kinds == {"完成城区180座公厕维修维护。": "paragraph", "宝博体育": "boilerplate", "新建分类厢房48个。": "paragraph"}
    assert any("spam.injected" in n for n in d.notes)


def test_table_cells_are_never_marked(tmp_path):
    import docx

    path = tmp_path / "t.docx"
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "上一页"
    t.cell(0, 1).text = "12"
    d.add_paragraph("完成城区180座公厕维修维护。")
    d.save(str(path))
    doc = read_document(path)
    assert [b.kind for b in doc.blocks] == ["table_cell", "table_cell", "paragraph"]


def test_bad_rules_file_names_file_and_rule(tmp_path):
    bad = tmp_path / "noise.yml"
    bad.write_text("rules:\n  - id: a\n    type: line\n    pattern: '(['\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"noise.yml, rule a: bad regex"):
        noise.load_rules(bad)
    bad.write_text("rules:\n  - id: a\n    type: line\n    pattern: x\n  - id: a\n    type: line\n    pattern: y\n",
                   encoding="utf-8")
    with pytest.raises(ConfigError, match="duplicate id"):
        noise.load_rules(bad)
    bad.write_text("rules:\n  - id: b\n    type: magic\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown type"):
        noise.load_rules(bad)


def test_every_rule_has_an_id_and_description():
    import yaml

    data = yaml.safe_load(noise.DEFAULT_RULES.read_text(encoding="utf-8"))
    ids = [r["id"] for r in data["rules"]]
    assert len(ids) == len(set(ids)) and all(r.get("description") for r in data["rules"])
