"""`reportscore extract` on a .docx and a PDF made from seed 001's text (issue 2's acceptance)."""

from __future__ import annotations

import json

import pytest

from extractors.readers import read_document
from reportscore.cli import main
from tests.conftest import assert_claim_offsets
from tests.helpers.files import make_docx, make_pdf

MUST_HAVE = [(180, "座", False), (25, "个", False), (90, "次", True), (14000, "处", True), (94, "起", False),
             (3580, "平方米", False)]
MUST_NOT_SPAN = ["2023年", "12月18日", "5:00", "4·26", "十二届六次全会"]
CONTRACT = ["document", "sha256", "page", "block", "start", "end", "quote", "value", "unit", "subject", "action",
            "approximate", "status", "rubric_item", "confidence"]


@pytest.fixture(scope="module")
def seed001_files(tmp_path_factory, seed_text):
    tmp = tmp_path_factory.mktemp("seed001")
    paragraphs = [line.strip() for line in seed_text("001").splitlines() if line.strip()]
    return make_docx(tmp / "gaoyou_2023.docx", paragraphs), make_pdf(tmp / "gaoyou_2023.pdf", paragraphs)


@pytest.mark.parametrize("which", [0, 1], ids=["docx", "pdf"])
def test_extract_seed001(which, seed001_files, capsys):
    path = seed001_files[which]
    assert main(["extract", str(path), "--format", "jsonl"]) == 0
    out = capsys.readouterr()
    rows = [json.loads(line) for line in out.out.splitlines()]
    assert rows and all(list(r)[: len(CONTRACT)] == CONTRACT for r in rows)
    doc = read_document(path)
    blocks = {b.index: b for b in doc.blocks}
    got = {(r["value"], r["unit"], r["approximate"]) for r in rows}
    for want in MUST_HAVE:
        assert want in got, want
    for r in rows:
        block = blocks[r["block"]]
        span = block.text[r["start"]:r["end"]]
        assert r["quote"] in block.text and span in r["quote"]
        assert r["page"] == block.page
        for bad in MUST_NOT_SPAN:
            assert bad not in span and span not in bad, (span, bad)
    # the library call behind the command obeys the offset invariant on every claim
    from extractors.pipeline import extract_claims

    assert_claim_offsets(doc, extract_claims(doc))
    if which == 1:
        assert all(isinstance(r["page"], int) for r in rows)
