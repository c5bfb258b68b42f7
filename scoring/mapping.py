"""Send each extracted claim to the rubric item it can be evidence for.

The rules are ordered data in the rubric file, so a competition office can read why a
claim landed where it did and add a keyword instead of asking for a release. Every
matching item is kept as a candidate; the reviewer sees the alternatives.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from reportscore.model import Claim

from .rubric import MappingRule, Rubric


def _any_in(words: tuple[str, ...], text: str) -> bool:
    return any(w in text for w in words)


def rule_matches(rule: MappingRule, claim: Claim) -> bool:
    """All the conditions a rule states hold for the claim (unstated ones are ignored)."""
    if rule.kind is not None and claim.kind != rule.kind:
        return False
    if rule.status and claim.status not in rule.status:
        return False
    if rule.units and claim.unit not in rule.units:
        return False
    if rule.subject and not _any_in(rule.subject, claim.subject):
        return False
    if rule.action and not _any_in(rule.action, claim.action):
        return False
    if rule.quote and not _any_in(rule.quote, claim.quote):
        return False
    if rule.exclude and _any_in(rule.exclude, " ".join((claim.subject, claim.action, claim.quote))):
        return False
    return True


def candidates_for(claim: Claim, rubric: Rubric) -> tuple[tuple[str, float], ...]:
    """(item, confidence) for every matching rule, in rule order, each item once.

    A negated claim ("全年未发生安全生产事故") is evidence of nothing to score: it never
    matches, so it cannot become an accident deduction whatever the rules say.
    """
    if claim.negated:
        return ()
    out: dict[str, float] = {}
    for rule in rubric.mapping:
        if rule.item not in out and rule_matches(rule, claim):
            out[rule.item] = rule.confidence
    return tuple(out.items())


def map_claim(claim: Claim, rubric: Rubric) -> Claim:
    """The claim with `candidates` and its best item (highest confidence, then rule order)."""
    cands = candidates_for(claim, rubric)
    best = None
    for item, conf in cands:
        if best is None or conf > best[1]:
            best = (item, conf)
    return replace(claim, rubric_item=best[0] if best else None, candidates=cands)


def map_claims(claims: Iterable[Claim], rubric: Rubric) -> list[Claim]:
    """Map every claim; unmapped ones keep rubric_item None and stay in the list."""
    return [map_claim(c, rubric) for c in claims]


def explain(claim: Claim, rubric: Rubric) -> list[str]:
    """Which rules (by line in the rubric file) matched, for a reviewer asking "why here?"."""
    return [
        f"{rubric.path}:{rule.line} → {rule.item} ({rule.confidence:g})"
        for rule in rubric.mapping
        if not claim.negated and rule_matches(rule, claim)
    ]
