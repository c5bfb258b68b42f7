"""A competition's scoring standard as frozen data, loaded from one YAML file.

Every city writes its own standard (评分标准), so nothing about Nantong lives in code:
sections, items, rules, caps and the claim-to-item mapping are all read from
`scoring/rubrics/<name>.yaml`. Validation is in `rubric_check`, so that a clerk who
edits the file gets an error naming the file, the line and the field, not a traceback.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, Union

PACKAGED_DIR = Path(__file__).parent / "rubrics"

Source = Literal["claims", "findings"]


@dataclass(frozen=True, slots=True)
class PerOccurrenceRule:
    """Points for every occurrence (a claim's achievement, or a finding row).

    `points` is the allowed range of one occurrence, signed (deductions are negative).
    `by_level` gives the default by a claim's `adopted_level` (市级1/省级2/国家级3);
    `count_by: value` makes "有2个案例被采用" two occurrences instead of one.
    `match` keywords choose between several rules of one item (较差 vs. 事故 vs. the rest).
    """

    id: str
    item: str
    text: str
    points: tuple[float, float]
    default: float
    sources: tuple[Source, ...] = ("claims",)
    count_by: Literal["claim", "value"] = "claim"
    by_level: tuple[tuple[str, float], ...] = ()
    match: tuple[str, ...] = ()
    type: Literal["per_occurrence"] = "per_occurrence"

    def level_points(self, level: str | None) -> float:
        """The default for one occurrence, by adopting level when the rule has levels."""
        return dict(self.by_level).get(level or "", self.default)


@dataclass(frozen=True, slots=True)
class Band:
    """One step of a banded award: reached when the metric is at least `at_least`."""

    metric: Literal["count", "sum"]
    at_least: float
    points: float
    units: tuple[str, ...] = ()  # only claims in these units feed the metric (empty: all)


@dataclass(frozen=True, slots=True)
class BandedRule:
    """One award for the whole item (环境清洁行动推进有力 +5..20), chosen by bands.

    The award is the highest `points` among the bands reached; bands are data so that a
    competition office can tune them without a release.
    """

    id: str
    item: str
    text: str
    points: tuple[float, float]
    bands: tuple[Band, ...]
    type: Literal["banded"] = "banded"
    sources: tuple[Source, ...] = ("claims",)
    match: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanTaskRule:
    """Annual plan tasks checked against the reports: not done, or late per quarter."""

    id: str
    item: str
    text: str
    not_done: float  # e.g. -7
    late_per_quarter: float  # e.g. -2
    type: Literal["plan_task"] = "plan_task"
    sources: tuple[Source, ...] = ()
    match: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexRule:
    """The city's 干净指数 converted to the section's points (linear: points × index / scale)."""

    id: str
    item: str
    text: str
    scale: float = 100.0
    aggregate: Literal["mean", "latest"] = "mean"
    conversion: Literal["linear"] = "linear"
    type: Literal["index"] = "index"
    sources: tuple[Source, ...] = ()
    match: tuple[str, ...] = ()


Rule = Union[PerOccurrenceRule, BandedRule, PlanTaskRule, IndexRule]


@dataclass(frozen=True, slots=True)
class Item:
    """A rubric item with a stable id (e.g. innovation.case_adopted) and its rules in order."""

    id: str
    name: str
    section: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A 竞赛内容 row: `points` caps both its total gain and its total deduction.

    `base` is where the section starts (项目建设 starts at 20 and loses points); `points`
    None means only a combined cap limits it (安全环保 and 和谐团队 in Nantong).
    """

    id: str
    name: str
    points: float | None
    base: float
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class CombinedCap:
    """One deduction cap shared by several sections (a merged cell in the source table)."""

    id: str
    name: str
    sections: tuple[str, ...]
    max_deduction: float


@dataclass(frozen=True, slots=True)
class MappingRule:
    """An ordered rule sending claims to an item; every condition given must hold.

    Keywords are any-of lists: `subject` is searched in the claim's subject, `action` in
    its action, `quote` in its quote; `exclude` must appear in none of them.
    """

    item: str
    confidence: float
    subject: tuple[str, ...] = ()
    action: tuple[str, ...] = ()
    quote: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    kind: str | None = None
    status: tuple[str, ...] = ()
    line: int = 0  # where it is written, for explanations


@dataclass(frozen=True, slots=True)
class Settings:
    """Tunable numbers of the matching, kept with the rubric they belong to."""

    subject_similarity: float = 0.5
    over_target_factor: float = 3.0
    unit_equivalents: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Rubric:
    """A whole scoring standard; `version` is the content hash of its file (cache key)."""

    id: str
    name: str
    sections: tuple[Section, ...]
    mapping: tuple[MappingRule, ...] = ()
    combined_caps: tuple[CombinedCap, ...] = ()
    settings: Settings = field(default_factory=Settings)
    path: str = ""
    version: str = ""

    @property
    def items(self) -> dict[str, Item]:
        """Items by id, in file order."""
        return {i.id: i for s in self.sections for i in s.items}

    def item(self, item_id: str) -> Item | None:
        return self.items.get(item_id)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def section_of(self, item_id: str) -> Section | None:
        item = self.item(item_id)
        return self.section(item.section) if item else None

    def same_units(self, a: str, b: str) -> bool:
        """座 and 个 may count the same facilities when the rubric says so."""
        if a == b:
            return True
        return any(a in group and b in group for group in self.settings.unit_equivalents)


def resolve_path(path_or_name: str | Path) -> Path:
    """A packaged rubric by name ("nantong_2024"), else a file path."""
    p = Path(path_or_name)
    if p.suffix.lower() in (".yaml", ".yml") or p.exists() or len(p.parts) > 1:
        return p
    return PACKAGED_DIR / f"{p.name}.yaml"


def rubric_version(path_or_name: str | Path) -> str:
    """Content hash of the rubric file: drafts cached under it go stale when it changes."""
    return hashlib.sha256(resolve_path(path_or_name).read_bytes()).hexdigest()[:16]


def packaged_rubrics() -> tuple[str, ...]:
    """Names that `load_rubric` finds without a path."""
    return tuple(sorted(p.stem for p in PACKAGED_DIR.glob("*.yaml")))


def load_rubric(path_or_name: str | Path) -> Rubric:
    """Load and validate a rubric; every problem is a RubricError with file, line and field.

    Parsed once per process and file content (every worker maps every report with it and
    the review pages score with it; a Rubric is frozen, so sharing it is safe)."""
    path = resolve_path(path_or_name)
    try:
        version = rubric_version(path)
    except OSError:
        version = ""  # let the parser report the missing file as a RubricError
    return _parsed(str(path), version)


@lru_cache(maxsize=16)
def _parsed(path: str, version: str) -> Rubric:
    from .rubric_check import parse_rubric_file

    return parse_rubric_file(Path(path))
