"""Shared test fixtures and the one offset-invariant helper every claim goes through."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportscore.model import Claim, Document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

_CHECKED: list[int] = [0]


def assert_claim_offsets(doc: Document, claims: list[Claim] | tuple[Claim, ...]) -> None:
    """The invariant of the data model, asserted for every claim any test produces:

    `block.text[start:end]` is the claim's own text (it starts with its number and is
    non-empty), and the quote is the substring of that same block at `quote_start`
    that contains the span.
    """
    by_index = {b.index: b for b in doc.blocks}
    for c in claims:
        assert c.document_sha256 == doc.sha256
        block = by_index[c.block]
        assert 0 <= c.start < c.end <= len(block.text), (c, len(block.text))
        span = block.text[c.start:c.end]
        assert span.strip() == span and span, (c, span)
        assert block.text[c.quote_start:c.quote_start + len(c.quote)] == c.quote, c
        assert c.quote_start <= c.start and c.end <= c.quote_start + len(c.quote), (c, c.quote)
        assert c.page == block.page
        _CHECKED[0] += 1


@pytest.fixture
def check_offsets():
    return assert_claim_offsets


@pytest.fixture(scope="session")
def seed_text():
    def _read(prefix: str) -> str:
        [p] = SEEDS.glob(f"{prefix}_*.txt")
        return p.read_text(encoding="utf-8")

    return _read


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A real SQLite file per test."""
    return f"sqlite:///{tmp_path / 'test.db'}"


def pytest_report_header(config):
    return [f"postgres: {os.environ.get('REPORTSCORE_TEST_PG_URL') or 'not configured (tests marked postgres skip)'}"]
