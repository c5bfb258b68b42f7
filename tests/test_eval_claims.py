"""Extraction quality on the labelled held-out set, for text, .docx and PDF input (issue 4).

The held-out files are never used to tune rules (tests/eval/LABELING.md); this test only
reads their aggregate figures. It also runs the offset invariant on every document.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import assert_claim_offsets

sys.path.insert(0, str(Path(__file__).parent / "eval"))
import evaluate as ev  # noqa: E402


# Issue 4's goals are ev.GOALS (precision 0.97, recall 0.95, subject 0.90, status 0.97).
# Measured on 2026-11-21 the held-out split gives precision 0.967, recall 0.991, subject
# 0.914, status 0.968: recall and subject meet the goal, precision and status fall just
# short (all misses are in the real seed 004). This test guards the measured level so a
# change cannot make it worse; raise FLOORS to GOALS when the figures reach them.
FLOORS = {"precision": 0.96, "recall": 0.95, "subject": 0.90, "status": 0.96}


@pytest.mark.parametrize("fmt", ["text", "docx", "pdf"])
def test_heldout_figures_do_not_fall(fmt):
    m = ev.evaluate("heldout", fmt)
    rates = m.rates()
    print(fmt, {k: round(v, 3) for k, v in rates.items()}, f"gold={m.gold} pred={m.pred} matched={m.matched}")
    for name, floor in FLOORS.items():
        assert rates[name] >= floor, (name, rates[name], floor)


def test_every_claim_on_the_labelled_sets_keeps_the_offset_invariant():
    from extractors.pipeline import extract_claims

    records = ev.load_records("all")
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        for doc, _ in ev.documents(records, "docx", Path(tmp)):
            claims = extract_claims(doc)
            assert_claim_offsets(doc, claims)
            n += len(claims)
    assert n > 1000
