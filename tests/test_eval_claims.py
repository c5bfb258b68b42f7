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
# Measured on 2026-11-22 (after the dev5-dev8 and real-notice rules) the held-out split
# gives precision 0.964, recall 0.994, subject 0.920, status 0.960 (text/docx; PDF status
# 0.965); on 2026-11-21 it was 0.967 / 0.991 / 0.914 / 0.968. The rules were changed only
# from dev errors; on dev7, fresh when the first of them were written, they raised
# precision 0.974 -> 0.985 and status 0.944 -> 0.955, so the held-out drop (about three
# claims of 347; one standard error is about 0.01) was accepted, not tuned away, and the
# status floor moved from 0.96 to 0.955 with it. This test guards the measured level so
# a change cannot make it clearly worse; raise FLOORS to GOALS when the figures reach them.
# Later on 2026-11-22 (rules from labelled real pages, tests/eval/REAL_PAGES.md) it gave
# 0.964 / 0.994 / 0.920 / 0.963 (PDF status 0.968), so the status floor is back at 0.96.
# On 2026-11-22, after the fourth session's rules (from blind synthetic sets dev9-dev14 and
# four more real dev sets), it gave 0.972 / 0.991 / 0.928 / 0.968 (PDF subject 0.922, status
# 0.971): precision reached its goal, so its floor is now the goal.
FLOORS = {"precision": 0.97, "recall": 0.95, "subject": 0.90, "status": 0.96}


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
