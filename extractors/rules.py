"""Loads the claim rules (extractors/rules/*.yml, *.txt) and compiles them once.

Rules are data with ids; this module only turns them into compiled patterns. The
version hash covers every rule file, so caches keyed on it refresh when a rule changes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

RULES_DIR = Path(__file__).parent / "rules"


@dataclass(frozen=True)
class Exclusion:
    id: str
    left: re.Pattern | None
    right: re.Pattern | None
    numeral: re.Pattern | None
    units: frozenset[str] | None
    unit_not_ascii: bool


@dataclass(frozen=True)
class Rules:
    candidate: re.Pattern
    unit_class: dict[str, str]
    exclusions: tuple[Exclusion, ...]
    spec_id: str
    spec_classes: frozenset[str]
    spec_right: re.Pattern
    quoted_id: str
    quote_pairs: tuple[tuple[str, str], ...]
    quote_max: int
    title_pairs: frozenset[str]  # opening marks of pairs that enclose titles (《), with their own limit
    title_max: int
    approx_left: re.Pattern
    approx_right: re.Pattern
    planned: tuple[tuple[str, re.Pattern], ...]
    done: re.Pattern
    planned_block: re.Pattern
    plan_intro: re.Pattern
    plan_label: re.Pattern
    norm_sentence: re.Pattern
    norm_intro: re.Pattern
    norm_clause: re.Pattern
    norm_each: re.Pattern
    norm_heading: re.Pattern
    done_after: re.Pattern
    planned_after: re.Pattern
    share_of_target: re.Pattern
    planned_after_remainder: re.Pattern
    planned_after_demand: re.Pattern
    underway_after: re.Pattern
    plan_opener: re.Pattern
    remainder: re.Pattern
    remainder_ahead: re.Pattern
    plan_heading: re.Pattern
    not_plan_heading: re.Pattern
    cumulative: re.Pattern
    cumulative_strong: re.Pattern
    period_scope: re.Pattern
    negation: re.Pattern
    enumerations: tuple[tuple[str, re.Pattern], ...]
    subject_trim: re.Pattern
    predicate: re.Pattern
    change_verb: re.Pattern
    scope_subject: re.Pattern
    breakdown_place: re.Pattern
    subject_residue: re.Pattern
    resolution_verbs: re.Pattern
    time_prefix: re.Pattern
    actions: tuple[str, ...]  # longest first
    action_re: re.Pattern
    adoption: tuple[tuple[str, re.Pattern], ...]
    adoption_levels: tuple[tuple[str, re.Pattern], ...]
    adoption_count_subject: re.Pattern
    adoption_not_body: re.Pattern
    confidence: dict[str, float]
    idioms: tuple[str, ...]
    function_start: re.Pattern
    noun_suffix: str
    measure_noun: re.Pattern
    noun_head: re.Pattern
    event_units: frozenset[str]
    done_verb: re.Pattern
    result_before: re.Pattern
    frequency: re.Pattern
    scoring_after: re.Pattern
    adverb_end: re.Pattern
    time_word: re.Pattern
    subject_words: dict[str, re.Pattern]  # claims.yml `subjects`: patterns of extractors/subjects.py


def rules_version() -> str:
    """Hash of every rule file and of the extractor code: part of the cache key of extraction
    results, so that a reader or rule-code change (not only a pattern change) makes stored
    documents stale and they are read again."""
    h = hashlib.sha256()
    for p in sorted(RULES_DIR.iterdir()) + sorted(RULES_DIR.parent.glob("*.py")):
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    data = yaml.safe_load((RULES_DIR / "claims.yml").read_text(encoding="utf-8"))
    num = data["numerals"]
    unit_class: dict[str, str] = {}
    for cls, words in data["units"].items():
        for w in words:
            unit_class.setdefault(str(w), cls)
    units = _alt(list(unit_class))
    rate = _alt([str(x) for x in data["rate_denominators"]])
    core = rf"(?:{num['arabic']}(?:[千百](?!米))?(?:[ \u00a0]?[万亿萬億](?:{num['arabic']}[千百]?)?)?|{num['chinese']})"  # "7.5 万处", as PDFs space it
    candidate = re.compile(
        rf"(?P<num>(?:(?:{num['approx_prefix_in_span']})(?=[十百千万亿]))?{core}"
        rf"(?:(?P<sep>{num['range_separator']})(?P<num2>{core}))?"
        rf"(?:[ \u00a0\n]?(?:{num['approx_suffix']}))?[万亿萬億]?)"
        rf"[ \u00a0\u3000\n]?(?P<unit>(?:{units})(?!(?<=次)干[道路线])(?:/(?:{rate}))*)"  # 4条次干道: 条, then 次干道
        rf"(?P<alt>[(（][\u4e00-\u9fff]{{1,2}}[)）])?"
    )
    excl = tuple(
        Exclusion(
            id=e["id"],
            left=re.compile(e["left"]) if "left" in e else None,
            right=re.compile(e["right"]) if "right" in e else None,
            numeral=re.compile(e["numeral"]) if "numeral" in e else None,
            units=frozenset(e["units"]) if "units" in e else None,
            unit_not_ascii=bool(e.get("unit_not_ascii")),
        )
        for e in data["exclude"]
    )
    st = data["status"]
    actions = [
        line.strip()
        for line in (RULES_DIR / "actions.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    ad = data["adoption"]
    return Rules(
        candidate=candidate,
        unit_class=unit_class,
        exclusions=excl,
        spec_id=data["spec"]["id"],
        spec_classes=frozenset(data["spec"]["unit_classes"]),
        spec_right=re.compile(data["spec"]["right"]),
        quoted_id=data["quoted_names"]["id"],
        quote_pairs=tuple((p[0], p[1]) for p in data["quoted_names"]["pairs"]),
        quote_max=int(data["quoted_names"]["max_length"]),
        title_pairs=frozenset(p[0] for p in data["quoted_names"]["title_pairs"]),
        title_max=int(data["quoted_names"]["title_max_length"]),
        approx_left=re.compile(data["approximate"]["left_true"]),
        approx_right=re.compile(data["approximate"]["right"]),
        planned=tuple((p["id"], re.compile(p["pattern"])) for p in st["planned"]),
        done=re.compile(st["done"]["pattern"]),
        planned_block=re.compile(st["planned_block"]),
        plan_intro=re.compile(st["plan_intro"]),
        plan_label=re.compile(st["plan_label"]),
        norm_sentence=re.compile(data["norm_sentence"]),
        norm_intro=re.compile(data["norm_intro"]),
        norm_clause=re.compile(data["norm_clause"]),
        norm_each=re.compile(data["norm_each"]),
        norm_heading=re.compile(data["norm_heading"]),
        done_after=re.compile(st["done_after"]),
        planned_after=re.compile(st["planned_after"]),
        share_of_target=re.compile(st["share_of_target"]),
        planned_after_remainder=re.compile(st["planned_after_remainder"]),
        planned_after_demand=re.compile(st["planned_after_demand"]),
        underway_after=re.compile(st["underway_after"]),
        plan_opener=re.compile(st["plan_opener"]),
        remainder=re.compile(st["remainder"]),
        remainder_ahead=re.compile(st["remainder_ahead"]),
        plan_heading=re.compile(st["plan_heading"]),
        not_plan_heading=re.compile(st["not_plan_heading"]),
        cumulative=re.compile(data["cumulative"]),
        cumulative_strong=re.compile(data["cumulative_strong"]),
        period_scope=re.compile(data["period_scope"]),
        negation=re.compile(data["negation"]),
        enumerations=tuple((e["id"], re.compile(e["left"])) for e in data["enumeration"]),
        subject_trim=re.compile(data["subject_trim"]),
        predicate=re.compile(data["predicate"]),
        change_verb=re.compile(data["change_verb"]),
        scope_subject=re.compile(data["scope_subject"]),
        breakdown_place=re.compile(data["breakdown_place"]),
        subject_residue=re.compile(data["subject_residue"]),
        resolution_verbs=re.compile(data["resolution_verbs"]),
        time_prefix=re.compile(data["time_prefix"]),
        actions=tuple(sorted(set(actions), key=len, reverse=True)),
        action_re=re.compile(_alt(actions)),
        adoption=tuple((a["id"], re.compile(a["pattern"])) for a in ad["patterns"]),
        adoption_levels=tuple((lvl, re.compile(p)) for lvl, p in ad["levels"].items()),
        adoption_count_subject=re.compile(ad["count_subject"]),
        adoption_not_body=re.compile(ad["not_a_body"]),
        confidence={k: float(v) for k, v in data["confidence"].items()},
        idioms=tuple(data["lexicon"]["idioms"]),
        function_start=re.compile(data["lexicon"]["function_start"]),
        noun_suffix=str(data["lexicon"]["noun_suffix"]),
        measure_noun=re.compile(data["lexicon"]["measure_noun"]),
        noun_head=re.compile(data["lexicon"]["noun_head"]),
        event_units=frozenset(str(u) for u in data["lexicon"]["event_units"]),
        done_verb=re.compile(data["lexicon"]["done_verb"]),
        result_before=re.compile(data["lexicon"]["result_before"]),
        frequency=re.compile(data["lexicon"]["frequency"]),
        scoring_after=re.compile(data["lexicon"]["scoring_after"]),
        adverb_end=re.compile(data["lexicon"]["adverb_end"]),
        time_word=re.compile(data["lexicon"]["time_word"]),
        subject_words={k: re.compile(v) for k, v in data["subjects"].items()},
    )
