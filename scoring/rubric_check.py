"""Read a rubric YAML file into frozen dataclasses, checking every field on the way.

Errors name the file, the line (from the YAML node tree of `yaml.compose`) and the
field path (sections[0].items[2].rules[0].points), because the people who edit these
files are clerks, and "KeyError: 'points'" tells them nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import yaml

from reportscore.errors import RubricError

from .rubric import (
    Band,
    BandedRule,
    CombinedCap,
    IndexRule,
    Item,
    MappingRule,
    PerOccurrenceRule,
    PlanTaskRule,
    Rubric,
    Rule,
    Section,
    Settings,
)

PathT = tuple[str | int, ...]


class _Ctx:
    """The file being read: its name and node tree, to turn a field path into a line."""

    def __init__(self, path: Path, root: yaml.Node | None) -> None:
        self.path = path
        self.root = root

    def line(self, where: PathT) -> int:
        """Line of the deepest node found along `where` (a missing field: its parent)."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else 1
        for step in where:
            nxt = None
            if isinstance(node, yaml.MappingNode):
                nxt = next((v for k, v in node.value if getattr(k, "value", None) == step), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                nxt = node.value[step]
            if nxt is None:
                break
            node, line = nxt, nxt.start_mark.line + 1
        return line

    def fail(self, where: PathT, message: str) -> NoReturn:
        raise RubricError(f"{self.path}, line {self.line(where)}, field {_dotted(where)}: {message}")


def _dotted(where: PathT) -> str:
    out = ""
    for step in where:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out or "(top level)"


# --- small typed readers: each checks one field and names it on failure ---------------


def _map(ctx: _Ctx, value: Any, where: PathT, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        ctx.fail(where, f"expected a mapping, got {type(value).__name__}")
    for key in value:
        if key not in allowed:
            ctx.fail((*where, key), f"unknown field (allowed: {', '.join(sorted(allowed))})")
    return value


def _str(ctx: _Ctx, d: dict[str, Any], key: str, where: PathT, default: str | None = None) -> str:
    v = d.get(key, default)
    if v is None:
        ctx.fail((*where, key), "missing required field")
    if not isinstance(v, str) or not v.strip():
        ctx.fail((*where, key), f"expected a non-empty text, got {v!r}")
    return v.strip()


def _num(ctx: _Ctx, d: dict[str, Any], key: str, where: PathT, default: float | None = None) -> float:
    v = d.get(key, default)
    if v is None:
        ctx.fail((*where, key), "missing required field")
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        ctx.fail((*where, key), f"expected a number, got {v!r}")
    return float(v)


def _strs(ctx: _Ctx, d: dict[str, Any], key: str, where: PathT) -> tuple[str, ...]:
    v = d.get(key, [])
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        ctx.fail((*where, key), f"expected a list of texts, got {v!r}")
    return tuple(v)


def _list(ctx: _Ctx, d: dict[str, Any], key: str, where: PathT, required: bool = False) -> list[Any]:
    v = d.get(key)
    if v is None and not required:
        return []
    if not isinstance(v, list) or (required and not v):
        ctx.fail((*where, key), "expected a non-empty list" if required else "expected a list")
    return v


def _range(ctx: _Ctx, d: dict[str, Any], key: str, where: PathT) -> tuple[float, float]:
    v: Any = d.get(key)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        v = [v, v]  # one number: a fixed amount (较差 −3)
    if not (isinstance(v, list) and len(v) == 2 and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) for x in v
    )):
        ctx.fail((*where, key), f"expected [min, max] numbers, got {v!r}")
    lo, hi = float(v[0]), float(v[1])
    if lo > hi:
        ctx.fail((*where, key), f"min {lo:g} is above max {hi:g}")
    if lo < 0 < hi:
        ctx.fail((*where, key), "a range is either an award (>= 0) or a deduction (<= 0), not both")
    return lo, hi


def _choice(ctx: _Ctx, d: dict[str, Any], key: str, where: PathT, options: tuple[str, ...]) -> str:
    v = d.get(key, options[0])
    if v not in options:
        ctx.fail((*where, key), f"expected one of {', '.join(options)}, got {v!r}")
    return v


def _in_range(ctx: _Ctx, value: float, rng: tuple[float, float], where: PathT) -> float:
    if not rng[0] <= value <= rng[1]:
        ctx.fail(where, f"{value:g} is outside the range [{rng[0]:g}, {rng[1]:g}]")
    return value


# --- the rubric ------------------------------------------------------------------------

_RULE_COMMON = {"id", "type", "text"}
_RULE_FIELDS = {
    "per_occurrence": _RULE_COMMON | {"points", "default", "from", "count_by", "by_level", "match"},
    "banded": _RULE_COMMON | {"points", "bands", "match"},
    "plan_task": _RULE_COMMON | {"not_done", "late_per_quarter"},
    "index": _RULE_COMMON | {"scale", "aggregate", "conversion"},
}


def _rule(ctx: _Ctx, raw: Any, where: PathT, item_id: str) -> Rule:
    d = _map(ctx, raw, where, set().union(*_RULE_FIELDS.values()))
    if "type" not in d:
        ctx.fail((*where, "type"), "missing required field")
    rtype = _choice(ctx, d, "type", where, tuple(_RULE_FIELDS))
    _map(ctx, d, where, _RULE_FIELDS[rtype])
    rid, text = _str(ctx, d, "id", where), _str(ctx, d, "text", where)
    if rtype == "per_occurrence":
        rng = _range(ctx, d, "points", where)
        nearest_zero = rng[0] if rng[0] >= 0 else rng[1]
        default = _in_range(ctx, _num(ctx, d, "default", where, nearest_zero), rng, (*where, "default"))
        sources = _strs(ctx, d, "from", where) or ("claims",)
        for n, s in enumerate(sources):
            if s not in ("claims", "findings"):
                ctx.fail((*where, "from", n), f"expected claims or findings, got {s!r}")
        levels = d.get("by_level", {})
        if not isinstance(levels, dict):
            ctx.fail((*where, "by_level"), "expected a mapping of level: points")
        by_level = tuple(
            (str(k), _in_range(ctx, _num(ctx, levels, k, (*where, "by_level")), rng, (*where, "by_level", k)))
            for k in levels
        )
        return PerOccurrenceRule(
            rid, item_id, text, rng, default, sources,  # type: ignore[arg-type]
            _choice(ctx, d, "count_by", where, ("claim", "value")),  # type: ignore[arg-type]
            by_level, _strs(ctx, d, "match", where),
        )
    if rtype == "banded":
        rng = _range(ctx, d, "points", where)
        bands = []
        for n, b in enumerate(_list(ctx, d, "bands", where, required=True)):
            bw = (*where, "bands", n)
            bd = _map(ctx, b, bw, {"metric", "at_least", "points", "units"})
            pts = _in_range(ctx, _num(ctx, bd, "points", bw), rng, (*bw, "points"))
            bands.append(Band(
                _choice(ctx, bd, "metric", bw, ("count", "sum")),  # type: ignore[arg-type]
                _num(ctx, bd, "at_least", bw), pts, _strs(ctx, bd, "units", bw),
            ))
        return BandedRule(rid, item_id, text, rng, tuple(bands), match=_strs(ctx, d, "match", where))
    if rtype == "plan_task":
        not_done = _num(ctx, d, "not_done", where)
        late = _num(ctx, d, "late_per_quarter", where)
        for key, v in (("not_done", not_done), ("late_per_quarter", late)):
            if v > 0:
                ctx.fail((*where, key), f"a deduction is written as a negative number, got {v:g}")
        return PlanTaskRule(rid, item_id, text, not_done, late)
    scale = _num(ctx, d, "scale", where, 100)
    if scale <= 0:
        ctx.fail((*where, "scale"), "must be above 0")
    return IndexRule(
        rid, item_id, text, scale,
        _choice(ctx, d, "aggregate", where, ("mean", "latest")),  # type: ignore[arg-type]
        _choice(ctx, d, "conversion", where, ("linear",)),  # type: ignore[arg-type]
    )


def _section(ctx: _Ctx, raw: Any, where: PathT, seen: set[str]) -> Section:
    d = _map(ctx, raw, where, {"id", "name", "points", "base", "items"})
    sid, name = _str(ctx, d, "id", where), _str(ctx, d, "name", where)
    points = _num(ctx, d, "points", where) if d.get("points") is not None else None
    if points is not None and points < 0:
        ctx.fail((*where, "points"), "must not be negative")
    base = _num(ctx, d, "base", where, 0)
    items = []
    for n, raw_item in enumerate(_list(ctx, d, "items", where, required=True)):
        iw = (*where, "items", n)
        di = _map(ctx, raw_item, iw, {"id", "name", "rules"})
        iid = _str(ctx, di, "id", iw)
        if iid != sid and not iid.startswith(sid + "."):
            ctx.fail((*iw, "id"), f"item id {iid!r} must be {sid!r} or start with {sid + '.'!r}")
        if iid in seen:
            ctx.fail((*iw, "id"), f"duplicate item id {iid!r}")
        seen.add(iid)
        rules = tuple(
            _rule(ctx, r, (*iw, "rules", k), iid)
            for k, r in enumerate(_list(ctx, di, "rules", iw, required=True))
        )
        ids = [r.id for r in rules]
        if len(set(ids)) != len(ids):
            ctx.fail((*iw, "rules"), f"duplicate rule ids in {ids}")
        if any(isinstance(r, IndexRule) for r in rules) and points is None:
            ctx.fail((*where, "points"), "a section with an index rule needs points to convert to")
        items.append(Item(iid, _str(ctx, di, "name", iw), sid, rules))
    return Section(sid, name, points, base, tuple(items))


def _mapping_rule(ctx: _Ctx, raw: Any, where: PathT, items: set[str]) -> MappingRule:
    d = _map(ctx, raw, where, {
        "item", "confidence", "subject", "action", "quote", "exclude", "units", "kind", "status",
    })
    item = _str(ctx, d, "item", where)
    if item not in items:
        ctx.fail((*where, "item"), f"unknown rubric item {item!r}")
    conf = _num(ctx, d, "confidence", where)
    if not 0 < conf <= 1:
        ctx.fail((*where, "confidence"), f"expected a number in (0, 1], got {conf:g}")
    status = _strs(ctx, d, "status", where)
    for n, s in enumerate(status):
        if s not in ("done", "planned"):
            ctx.fail((*where, "status", n), f"expected done or planned, got {s!r}")
    kind = _str(ctx, d, "kind", where) if "kind" in d else None
    rule = MappingRule(
        item, conf, _strs(ctx, d, "subject", where), _strs(ctx, d, "action", where),
        _strs(ctx, d, "quote", where), _strs(ctx, d, "exclude", where),
        _strs(ctx, d, "units", where), kind, status, ctx.line(where),
    )
    if not (rule.subject or rule.action or rule.quote or rule.kind):
        ctx.fail(where, "a mapping rule needs at least one of subject, action, quote or kind")
    return rule


def _settings(ctx: _Ctx, raw: Any) -> Settings:
    where: PathT = ("settings",)
    d = _map(ctx, raw or {}, where, {"subject_similarity", "over_target_factor", "unit_equivalents"})
    sim = _num(ctx, d, "subject_similarity", where, 0.5)
    if not 0 < sim <= 1:
        ctx.fail((*where, "subject_similarity"), "expected a number in (0, 1]")
    factor = _num(ctx, d, "over_target_factor", where, 3)
    if factor <= 0:
        ctx.fail((*where, "over_target_factor"), "must be above 0")
    groups = []
    for n, g in enumerate(_list(ctx, d, "unit_equivalents", where)):
        if not isinstance(g, list) or not all(isinstance(x, str) for x in g):
            ctx.fail((*where, "unit_equivalents", n), "expected a list of measure words")
        groups.append(tuple(g))
    return Settings(sim, factor, tuple(groups))


def parse_rubric(text: str, path: Path) -> Rubric:
    """Parse rubric text; `path` is only used in messages and as the rubric's origin."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e)
        raise RubricError(f"{path}, line {line}, field (syntax): {problem}") from e
    ctx = _Ctx(path, root)
    d = _map(ctx, data, (), {"id", "name", "settings", "combined_caps", "sections", "mapping"})
    seen: set[str] = set()
    sections = tuple(
        _section(ctx, s, ("sections", n), seen) for n, s in enumerate(_list(ctx, d, "sections", (), True))
    )
    section_ids = [s.id for s in sections]
    for n, sid in enumerate(section_ids):
        if section_ids.index(sid) != n:
            ctx.fail(("sections", n, "id"), f"duplicate section id {sid!r}")
    caps = []
    for n, raw in enumerate(_list(ctx, d, "combined_caps", ())):
        w: PathT = ("combined_caps", n)
        dc = _map(ctx, raw, w, {"id", "name", "sections", "max_deduction"})
        members = _strs(ctx, dc, "sections", w)
        for k, sid in enumerate(members):
            if sid not in section_ids:
                ctx.fail((*w, "sections", k), f"unknown section {sid!r}")
        if not members:
            ctx.fail((*w, "sections"), "expected a non-empty list of section ids")
        cap = _num(ctx, dc, "max_deduction", w)
        if cap < 0:
            ctx.fail((*w, "max_deduction"), "must not be negative")
        caps.append(CombinedCap(_str(ctx, dc, "id", w), _str(ctx, dc, "name", w), members, cap))
    mapping = tuple(
        _mapping_rule(ctx, m, ("mapping", n), seen) for n, m in enumerate(_list(ctx, d, "mapping", ()))
    )
    return Rubric(
        id=_str(ctx, d, "id", ()),
        name=_str(ctx, d, "name", ()),
        sections=sections,
        mapping=mapping,
        combined_caps=tuple(caps),
        settings=_settings(ctx, d.get("settings")),
        path=str(path),
        version=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
    )


def parse_rubric_file(path: Path) -> Rubric:
    """Read the file (as UTF-8) and parse it; an unreadable file is a RubricError too."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise RubricError(f"{path}, line 0, field (file): cannot read the rubric ({e.strerror})") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise RubricError(f"{path}, line 1, field (file): not UTF-8 text") from e
    # the version hashes the bytes on disk, the same as rubric_version(path)
    return replace(parse_rubric(text, path), version=hashlib.sha256(raw).hexdigest()[:16])
