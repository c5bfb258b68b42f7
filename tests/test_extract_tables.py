"""A number in a table takes its status from the column header, the same way whether
the table came as cells (docx, PDF) or as tab-separated lines (flattened web tables)."""

from __future__ import annotations

import pytest

from extractors.pipeline import column_status, extract_claims
from reportscore.model import Block, Document
from tests.conftest import assert_claim_offsets


@pytest.mark.parametrize("head, status", [
    ("年度计划", "planned"), ("计划完成数", "planned"), ("目标任务（座）", "planned"), ("任务数", "planned"),
    ("完成数", "done"), ("实际完成", "done"), ("完成情况", "done"), ("完成率", "done"), ("备注", None),
])
def test_column_status(head, status):
    assert column_status(head) == status


def _claims(*blocks: Block):
    doc = Document(source="t.docx", sha256="0" * 64, blocks=blocks)
    claims = extract_claims(doc)
    assert_claim_offsets(doc, claims)
    return [(doc.blocks[c.block].text[c.start:c.end], c.status) for c in claims]


def test_cells_with_and_without_a_unit_follow_their_column():
    cells = [Block(index=0, text="新建公厕：计划与完成"),
             Block(index=1, text="8座", kind="table_cell", context="新建公厕 / 年度计划"),
             Block(index=2, text="6座", kind="table_cell", context="新建公厕 / 完成数"),
             Block(index=3, text="4", kind="table_cell", context="改造中转站（座） / 年度计划"),
             Block(index=4, text="3", kind="table_cell", context="改造中转站（座） / 完成数")]
    assert _claims(*cells) == [("8座", "planned"), ("6座", "done"), ("4", "planned"), ("3", "done")]


def test_tab_separated_rows_follow_their_column():
    rows = [Block(index=0, text="项目\t年度计划\t完成情况\t完成率"),
            Block(index=1, text="新建公厕\t8座\t6座\t75%")]
    assert _claims(*rows) == [("8座", "planned"), ("6座", "done"), ("75%", "done")]
