"""Golden files for claim extraction: the claims of committed sample reports, one JSON line each.

Any change to the rules (extractors/rules/*) or to the extraction code shows up here as a readable
diff of claims, so a reviewer sees exactly which sentences gained, lost or changed a claim.

Rewrite the golden files after an intended change (then review the diff in git):

    REPORTSCORE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_extract_golden.py
    # or: .venv/bin/python tests/test_extract_golden.py
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from extractors.pipeline import extract_claims
from extractors.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
# One .docx per unit (progress reports and a year-end summary), from samples/.
SAMPLES = {
    "chongchuan_2024-05-06": "崇川区_2024年5-6月劳动竞赛进展情况.docx",
    "haian_2024-07-08": "海安市_2024年7-8月劳动竞赛进展情况.docx",
    "rudong_2024-07-08": "如东县7-8月劳动竞赛活动开展情况.docx",
    "tongzhou_2024_summary": "通州区城管局2024年度工作总结.docx",
}
UPDATE = os.environ.get("REPORTSCORE_UPDATE_GOLDEN") == "1"


def extraction_lines(path: Path) -> list[str]:
    """The claims of a document as JSON lines: the fields of `reportscore extract --format jsonl`
    that the rules decide (span, value, unit, subject, action, status, approximate, rule id)."""
    doc = read_document(path)
    lines = []
    for c in extract_claims(doc):
        block = doc.blocks[c.block]
        row = {
            "block": c.block, "start": c.start, "end": c.end, "span": block.text[c.start:c.end],
            "value": c.value, "unit": c.unit, "subject": c.subject, "action": c.action, "status": c.status,
            "approximate": c.approximate, "rule_id": c.rule_id, "kind": c.kind,
        }
        if c.kind == "case_adopted":
            row |= {"adopted_by": c.adopted_by, "adopted_level": c.adopted_level}
        lines.append(json.dumps(row, ensure_ascii=False))
    return lines


def write_golden(name: str, lines: list[str]) -> Path:
    GOLDEN.mkdir(exist_ok=True)
    out = GOLDEN / f"{name}.jsonl"
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return out


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_extract_golden(name: str) -> None:
    lines = extraction_lines(ROOT / "samples" / SAMPLES[name])
    golden = GOLDEN / f"{name}.jsonl"
    if UPDATE:
        write_golden(name, lines)
        return
    assert golden.exists(), f"{golden} is missing: run with REPORTSCORE_UPDATE_GOLDEN=1 to create it"
    want = golden.read_text(encoding="utf-8").splitlines()
    if lines != want:
        diff = "\n".join(difflib.unified_diff(want, lines, f"golden/{name}.jsonl", "current extraction", lineterm=""))
        pytest.fail(f"claims of {SAMPLES[name]} changed (REPORTSCORE_UPDATE_GOLDEN=1 rewrites the file "
                    f"after an intended change):\n{diff}", pytrace=False)


if __name__ == "__main__":
    for n, f in sorted(SAMPLES.items()):
        print(write_golden(n, extraction_lines(ROOT / "samples" / f)))
