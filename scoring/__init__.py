"""Scoring: rubric as data, claims mapped to items, and evidence-linked score drafts.

Pure functions only (no database, Prefect or web: checked by import-linter). The CLI
and the flows call:

    rubric = load_rubric("nantong_2024")             # or a path to a YAML file
    claims = map_claims(claims, rubric)              # optional: build_draft maps unmapped ones
    inputs = load_inputs(plan_tasks=..., clean_index=..., findings=..., workbook=..., rubric=rubric)
    draft = build_draft(documents, claims, rubric, inputs, decisions=None)
    draft.to_json(); draft.items_frame(); draft.units_frame(); draft.render_text()
"""

from __future__ import annotations

from .decisions import Decision
from .draft import Draft, ItemLine, UnitScore, build_draft
from .evidence import Evidence, Flag, Occurrence
from .inputs import CleanIndex, Finding, Inputs, PlanTask, load_inputs, read_clean_index, read_findings, read_plan_tasks
from .mapping import explain, map_claims
from .reconcile import Achievement, reconcile
from .rubric import Rubric, load_rubric, packaged_rubrics, rubric_version

SCORING_VERSION = "1"  # bump when scoring logic changes, so cached drafts go stale
RUBRIC_VERSION = rubric_version("nantong_2024")  # content hash of the packaged default rubric

__all__ = [
    "Achievement", "CleanIndex", "Decision", "Draft", "Evidence", "Finding", "Flag", "Inputs", "ItemLine",
    "Occurrence", "PlanTask", "RUBRIC_VERSION", "Rubric", "SCORING_VERSION", "UnitScore", "build_draft",
    "explain", "load_inputs", "load_rubric", "map_claims", "packaged_rubrics", "read_clean_index",
    "read_findings", "read_plan_tasks", "reconcile", "rubric_version",
]
