"""The claim pipeline: spaCy `blank("zh")` with the jieba segmenter plus our rule component.

The jieba user dictionary acts on jieba's global state and is not saved with the
pipeline (PLATFORM.md), so `get_nlp()` loads it in every process that builds one.
`extract_claims(document)` is the one entry point the rest of the project calls.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportscore.model import Block, Claim, Document

from .claims import Found, scan_text
from .rules import RULES_DIR, load_rules
from .status import YEAR_OPENING
from .wrapping import ITEM_START, JOINABLE, LIST_MARKER as _LIST_MARKER, unwrapped

COMPONENT = "reportscore_claims"
_HEADING_L1 = re.compile(r"^\s*[一二三四五六七八九十]+、")
_HEADING_L2 = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")
_TABLE_NUMBER = re.compile(r"^\s*(?P<num>[0-9０-９]+(?:[,，][0-9]{3})*(?:[.．][0-9]+)?)\s*(?P<pct>%|％)?\s*$")
_COUNT_HEADER = re.compile(r"数|量|完成|计划|合计|总|率|目标|实际|累计")
_NOT_COUNT_HEADER = re.compile(r"年份|^年度?$|月份|^月$|日期|时间|序号|编号|电话|号码|代码|排名|名次")  # not 年度计划
_UNIT_IN_PARENS = re.compile(r"[（(]([^（()）]{1,6})[)）]")


@lru_cache(maxsize=1)
def get_nlp():
    """Build the pipeline once per process (≈0.5 s: jieba's dictionary)."""
    import jieba
    import spacy
    from spacy.language import Language

    jieba.setLogLevel(60)
    jieba.load_userdict(str(RULES_DIR / "userdict.txt"))
    if COMPONENT not in Language.factories:

        @Language.component(COMPONENT)
        def _component(doc):
            """Finds claims with the rules; token starts keep subjects from ending mid-word."""
            starts = _TokenStarts(doc)
            planned = bool(doc.user_data.get("planned_section"))
            doc.user_data["claims"] = scan_text(doc.text, load_rules(), planned, starts,
                                                plan_year=doc.user_data.get("plan_year"))
            return doc

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe(COMPONENT)
    return nlp


class _TokenStarts:
    """Token start offsets, computed on first use: most blocks never need them."""

    def __init__(self, doc) -> None:
        self._doc = doc
        self._set: set[int] | None = None

    def __contains__(self, offset: int) -> bool:
        if self._set is None:
            self._set = set(self._doc.to_array("IDX").tolist()) | {len(self._doc.text)}
        return offset in self._set


def _heading_level(block: Block) -> int | None:
    """Outline level of a heading, from the reader or from the numbering style of the text."""
    if block.kind == "heading":
        return block.level if block.level is not None else 1
    if block.kind not in ("paragraph", "list_item"):
        return None
    if block.index == 0 and not re.search(r"[。；;，,！？]", block.text):
        return 0  # the title: "…2025年环卫工作计划" makes the whole document a plan
    if len(_head(block.text, _SENTENCE_BREAK)) > 40:
        return None
    if _HEADING_L1.match(block.text):
        return 1
    if _HEADING_L2.match(block.text):
        return 2
    if _is_bare_heading(block):
        return 1  # a short line of its own with no sentence punctuation: "2025年工作计划"
    return None


def _is_bare_heading(block: Block) -> bool:
    """A short unnumbered line with no sentence punctuation ("下步工作计划"): a heading whose
    numbered items ("一、…") come under it, though they share its outline level."""
    return (block.kind == "paragraph" and len(block.text.strip()) <= 20 and not _HEADING_L1.match(block.text)
            and not _HEADING_L2.match(block.text) and not re.search(r"[。；;，,！？]", block.text.strip().rstrip("：:")))


# What ends a heading's words: a run-in list item ("二、2025年工作思路（一）力争…") and a space
# after them ("二、2025年工作计划 计划新建公厕4座…", as scraped), and either the end of the
# first sentence (is the block short enough to be a heading?) or any punctuation (its words).
_RUN_IN_ITEM = r"[（(][一二三四五六七八九十\d]{1,2}[）)]|(?<=\S\S)[ \u3000\t]+(?=\S)"
_SENTENCE_BREAK = re.compile(r"[。；;]|" + _RUN_IN_ITEM)
_RUN_IN = re.compile(r"[。；;，,：:]|" + _RUN_IN_ITEM)


def _head(text: str, stops: re.Pattern = _RUN_IN) -> str:
    """The heading part of a block, list marker included: "二、2025年工作思路（一）力争…" →
    "二、2025年工作思路"."""
    m = _LIST_MARKER.match(text)
    k = m.end() if m else 0
    return text[:k] + stops.split(text[k:], maxsplit=1)[0]


def _plan_flags(blocks: tuple[Block, ...]) -> tuple[list[bool], list[int | None]]:
    """For each block: is it inside a plan section (2025年工作计划, 下一步工作打算), or in the
    list of decisions after "会议议定以下事项：" (decision 29)? And the year the plan is for, if
    its heading names one (a sentence about an earlier year in it reports results)."""
    rules = load_rules()
    flags: list[bool] = []
    years: list[int | None] = []
    plan_level: int | None = None
    plan_year: int | None = None
    under_bare, item_level = False, None  # the plan heading is a bare line; the level of its numbered items
    decisions = False
    for b in blocks:
        level = _heading_level(b)
        head = _head(b.text)
        if level and len(head) > 25:
            level = None  # a numbered paragraph of results (二、在该区域新设置…12个，安排…), not a heading
        not_plan = level is not None and bool(rules.not_plan_heading.search(head))  # 完成情况, 存在问题…
        if level is not None:
            bare = level == 1 and _is_bare_heading(b)
            if plan_level is not None and under_bare and not bare and not not_plan and (
                    item_level is None or level >= item_level):
                item_level = item_level or level  # 下步工作计划 / 一、… / 二、…: its items, not a new section
            elif plan_level is not None and (level <= plan_level or not_plan):
                plan_level = None
            if plan_level is None and not not_plan and rules.plan_heading.search(head):
                plan_level = level  # the heading's own run-in text (五、2025年工作打算：一是…) is planned too
                under_bare, item_level = bare, None
                ym = YEAR_OPENING.search(head)
                plan_year = int(ym.group(1)) if ym else None
        if decisions and (not_plan or not ITEM_START.match(b.text)):
            decisions = False
        label = rules.plan_label.match(b.text)
        flags.append(plan_level is not None or decisions or bool(
            label and not rules.not_plan_heading.search(label.group(0)) and "完成" not in label.group(0)))
        years.append(plan_year if plan_level is not None else None)
        if re.search(r"[：:]\s*$", b.text) and rules.planned_block.search(b.text) or rules.plan_intro.search(b.text):
            decisions = True  # the numbered items after it are what the meeting decided, or the next steps
    return flags, years


def _table_cell_claims(block: Block) -> list[Found]:
    """A bare number in a table cell takes subject and unit from its row label and column header."""
    m = _TABLE_NUMBER.match(block.text)
    if not m or not block.context:
        return []
    row_label, _, col_head = block.context.partition(" / ")
    if not col_head:
        row_label, col_head = "", row_label
    if _NOT_COUNT_HEADER.search(col_head) or not _COUNT_HEADER.search(col_head):
        return []
    from .numbers import parse_number

    value, _ = parse_number(m.group("num"))
    unit = "%" if m.group("pct") else ""
    for label in (col_head, row_label):
        u = _UNIT_IN_PARENS.search(label)
        if u and not unit and load_rules().unit_class.get(u.group(1)):
            unit = u.group(1)
    status = column_status(col_head) or "done"
    subject = _UNIT_IN_PARENS.sub("", row_label).strip() or _UNIT_IN_PARENS.sub("", col_head).strip()
    end = m.end("pct") if m.group("pct") else m.end("num")
    return [
        Found(m.start("num"), end, 0, len(block.text), value, unit, subject, _UNIT_IN_PARENS.sub("", col_head).strip(),
              False, status, "table.cell", confidence=0.75 if unit else 0.6, status_rule="status.table_header")
    ]


_PLAN_COLUMN = re.compile(r"计划|目标|任务")
_DONE_COLUMN = re.compile(r"实际|实绩|已完成|完成情况")


def column_status(head: str) -> str | None:
    """The status a table column's header gives its numbers, for table cells and tab-separated
    rows alike: 完成率/实际/完成情况 done; 年度计划/目标/任务数/计划完成数 planned; 完成数 done."""
    if head.endswith("率") or _DONE_COLUMN.search(head):
        return "done"
    if _PLAN_COLUMN.search(head):
        return "planned"
    return "done" if "完成" in head else None


def _names_own_noun(text: str, f: Found) -> bool:
    """Does the cell holding `f` name its own noun before the number (暴露垃圾4处)?"""
    cell_start = text.rfind("\t", 0, f.start) + 1
    return bool(text[cell_start:f.start].strip())


def _tab_row(text: str, found: list[Found], header: list[str]) -> None:
    """A table flattened into tab-separated lines ("新建公厕\t8座\t8座\t100%" under "项目\t年度计划\t完成情况\t
    完成率"): the column header decides the status, and a rate column names its subject (decision 85)."""
    cells = text.split("\t")
    label = next((c.strip() for c in cells if c.strip() and not c.strip().isdigit()), "")  # 1\t褡裢街道: a rank first
    by_place = bool(load_rules().breakdown_place.fullmatch(label))
    for f in found:
        col = text.count("\t", 0, f.start)
        if col == 0 or col >= len(header) or f.kind != "quantity":
            continue
        head = header[col]
        f.subject = f.subject.split("\t", 1)[0]  # the row label, not the cells before this one
        status = column_status(head)
        if head.endswith("率") and f.unit in ("%", "％"):
            f.subject, f.action = label + head, ""
        elif by_place and status is None and not _names_own_noun(text, f):
            f.subject, f.action = head, ""  # 黎城街道\t1286件 under 立案数: a place's row of measures
        if status is not None and f.status_rule in (
                "status.default", "status.plan_section", "status.done_after"):
            f.status, f.status_rule = status, "status.table_column"  # unless the cell says otherwise


def extract_claims(document: Document) -> list[Claim]:
    """Every claim of a document, in block order. Boilerplate blocks are skipped."""
    nlp = get_nlp()
    flags, plan_years = _plan_flags(document.blocks)
    rules = load_rules()
    todo = [
        (b, planned, year) for b, planned, year in zip(document.blocks, flags, plan_years)
        if b.kind != "boilerplate"
        and (b.kind == "table_cell" or rules.candidate.search(b.text) or any(p.search(b.text) for _, p in rules.adoption))
    ]
    claims: list[Claim] = []

    def docs():
        for block, planned, year in todo:
            doc = nlp.make_doc(unwrapped(block.text) if block.kind in JOINABLE else block.text)
            doc.user_data["planned_section"] = planned  # section context the component needs
            doc.user_data["plan_year"] = year
            yield doc

    headers: dict[int, list[str]] = {}  # block index of a tab-separated row -> the header row above it
    header: list[str] = []
    for b in document.blocks:
        if b.text.count("\t") < 2:
            header = []
        elif not rules.candidate.search(b.text):
            header = [h.strip() for h in b.text.split("\t")]
        elif header:
            headers[b.index] = header
    for (block, _, _), doc in zip(todo, nlp.pipe(docs(), batch_size=64)):
        found = doc.user_data["claims"]
        if block.index in headers:
            _tab_row(block.text, found, headers[block.index])
        if block.kind == "table_cell":
            found = found + _table_cell_claims(block) if not found else found
            col_head = block.context.rpartition(" / ")[2]
            for f in found:
                if not f.subject and block.context:
                    f.subject = block.context.split(" / ")[0]
                if f.rule_id != "table.cell" and (status := column_status(col_head)) is not None:
                    f.status, f.status_rule = status, "status.table_column"  # "8座" under 年度计划
        for f in found:
            claims.append(_to_claim(document, block, f))
    return claims


def _to_claim(document: Document, block: Block, f: Found) -> Claim:
    quote = block.text[f.quote_start:f.quote_end]
    return Claim(
        document_sha256=document.sha256,
        block=block.index,
        start=f.start,
        end=f.end,
        quote=quote,
        quote_start=f.quote_start,
        value=f.value,
        unit=f.unit,
        subject=f.subject,
        action=f.action,
        approximate=f.approximate,
        status=f.status,  # type: ignore[arg-type]
        rule_id=f.rule_id,
        confidence=f.confidence - (0.1 if block.kind == "table_cell" else 0.0),
        value_max=f.value_max,
        cumulative=f.cumulative,
        negated=f.negated,
        kind=f.kind,
        adopted_by=f.adopted_by,
        adopted_level=f.adopted_level,
        page=block.page,
        ordinal=f.ordinal,
        status_rule=f.status_rule,
    )
