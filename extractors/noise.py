"""Marks text that is in the file but not in the report: web-page chrome, site footers
and injected spam. Data-driven: the rules live in `rules/noise.yml`, each with an id.

Why mark and not delete: offsets and block indexes must stay those of the file as
read, and a reviewer must be able to see what was set aside and why. A marked block
keeps its text; its kind becomes "boilerplate" and its context names the rule. The
only structural change is splitting a spam name glued to the start of a line into
its own block ("宝博体育常州市…" -> "宝博体育" + "常州市…"); both parts are exact
substrings of the original line, and the split is written in the location.

Over-marking loses evidence, so a guard (length, sentence ends) keeps every real
paragraph out of reach of the line rules.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportscore.errors import ConfigError
from reportscore.model import Block, Document

DEFAULT_RULES = Path(__file__).parent / "rules" / "noise.yml"
MARKED_KINDS = frozenset({"paragraph", "heading", "list_item", "textbox"})
_SENTENCE_END = re.compile(r"[。！？!?]")
_DATE_TOKENS = (r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}:\d{2}(?::\d{2})?"
                r"|星期[一二三四五六日天]|周[一二三四五六日天]|\d+")
_SEPARATORS = r"[\s|｜/\\·•>»«<›‹:：\-—_【】\[\]()（）,，、]"


@dataclass(frozen=True)
class Rule:
    id: str
    type: str
    regex: re.Pattern[str]
    max_chars: int = 0  # line length limit (contains) or value length limit (fields)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    max_chars: int
    max_sentence_ends: int


def _compile(path: Path, rid: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise ConfigError(f"{path}, rule {rid}: bad regex {pattern!r} ({e})") from e


@functools.lru_cache(maxsize=8)
def load_rules(path: Path | str = DEFAULT_RULES) -> RuleSet:
    """Parse and compile noise.yml; ConfigError names the file and the rule at fault."""
    import yaml

    path = Path(path)
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the noise rules ({e.strerror})") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML ({e})") from e
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'rules' list")
    guard = data.get("guard") or {}
    rules: list[Rule] = []
    seen: set[str] = set()
    for n, r in enumerate(data["rules"], start=1):
        if not isinstance(r, dict) or not r.get("id") or not r.get("type"):
            raise ConfigError(f"{path}, rule {n}: every rule needs an id and a type")
        rid, rtype = str(r["id"]), str(r["type"])
        if rid in seen:
            raise ConfigError(f"{path}, rule {rid}: duplicate id")
        seen.add(rid)
        if rtype == "chrome_words":
            words = sorted((re.escape(str(w)) for w in r.get("words") or []), key=len, reverse=True)
            if not words:
                raise ConfigError(f"{path}, rule {rid}: chrome_words needs words")
            word = "|".join(words)
            filler = rf"(?:{_SEPARATORS}|{_DATE_TOKENS}|{word})*"
            regex = _compile(path, rid, rf"^{filler}(?:{word}){filler}$")
            rules.append(Rule(rid, rtype, regex, int(r.get("max_chars", 0))))
        elif rtype == "fields":
            keys = "|".join(sorted((re.escape(str(k)) for k in r.get("keys") or []), key=len, reverse=True))
            if not keys:
                raise ConfigError(f"{path}, rule {rid}: fields needs keys")
            regex = _compile(path, rid, rf"(?:{keys})\s*[:：]")
            rules.append(Rule(rid, rtype, regex, int(r.get("max_value_chars", 30))))
        elif rtype in ("line", "contains"):
            if not r.get("pattern"):
                raise ConfigError(f"{path}, rule {rid}: {rtype} needs a pattern")
            pattern = str(r["pattern"])
            regex = _compile(path, rid, rf"^(?:{pattern})$" if rtype == "line" else pattern)
            rules.append(Rule(rid, rtype, regex, int(r.get("max_chars", 0))))
        elif rtype == "spam_terms":
            alts = [re.escape(str(t)) for t in r.get("terms") or []] + [str(p) for p in r.get("patterns") or []]
            if not alts:
                raise ConfigError(f"{path}, rule {rid}: spam_terms needs terms or patterns")
            rules.append(Rule(rid, rtype, _compile(path, rid, "|".join(f"(?:{a})" for a in alts))))
        else:
            raise ConfigError(f"{path}, rule {rid}: unknown type {rtype!r}")
    return RuleSet(tuple(rules), int(guard.get("max_chars", 120)), int(guard.get("max_sentence_ends", 1)))


def classify(text: str, rules: RuleSet | None = None) -> str | None:
    """The id of the rule that makes this line boilerplate, or None for report text."""
    rules = rules or load_rules()
    s = text.strip()
    if not s:
        return None
    # too long or too many sentences for page furniture: only spam rules can still apply
    prose = len(s) > rules.max_chars or len(_SENTENCE_END.findall(s)) > rules.max_sentence_ends
    for rule in rules.rules:
        if rule.type == "spam_terms":
            m = rule.regex.fullmatch(s)
            if m:
                return rule.id
            continue
        if prose:
            continue
        if rule.type != "fields" and rule.max_chars and len(s) > rule.max_chars:
            continue
        if rule.type == "fields":
            if _only_fields(s, rule):
                return rule.id
        elif rule.regex.search(s) if rule.type == "contains" else rule.regex.match(s):
            return rule.id
    return None


def _only_fields(s: str, rule: Rule) -> bool:
    """'key: value key: value …' from the first character, every value short and not a sentence."""
    keys = list(rule.regex.finditer(s))
    if not keys or keys[0].start() != 0:
        return False
    for k, nxt in zip(keys, keys[1:] + [None]):
        value = s[k.end(): nxt.start() if nxt else len(s)].strip()
        if len(value) > rule.max_chars or re.search(r"[。，,；;]", value):
            return False
    return True


def mark(doc: Document, rules: RuleSet | None = None) -> Document:
    """Return the document with noise blocks marked (and glued spam split off), plus notes."""
    rules = rules or load_rules()
    spam = [r for r in rules.rules if r.type == "spam_terms"]
    out: list[Block] = []
    hits: Counter[str] = Counter()
    notes: list[str] = []
    for b in doc.blocks:
        if b.kind not in MARKED_KINDS:
            out.append(b)
            continue
        rid = classify(b.text, rules)
        if rid:
            hits[rid] += 1
            out.append(dataclasses.replace(b, kind="boilerplate", context=f"noise rule {rid}"))
            continue
        split = _split_glued(b, spam)
        if split is not None:
            head, rest, rid = split
            hits[rid] += 1
            out += [head, rest]
            b = rest
        for rule in spam:
            for m in rule.regex.finditer(b.text):
                notes.append(f"spam text {m.group(0)!r} inside {b.location or f'block {b.index}'} "
                             f"(rule {rule.id}) left in place")
        if split is None:
            out.append(b)
    if not hits and not notes:
        return doc
    blocks = tuple(dataclasses.replace(b, index=i) for i, b in enumerate(out))
    if hits:
        detail = ", ".join(f"{rid} {n}" for rid, n in sorted(hits.items()))
        notes.insert(0, f"{sum(hits.values())} line(s) marked as boilerplate ({detail})")
    return dataclasses.replace(doc, blocks=blocks, notes=doc.notes + tuple(notes))


def _split_glued(b: Block, spam: list[Rule]) -> tuple[Block, Block, str] | None:
    """'宝博体育常州市…' -> boilerplate '宝博体育…' block + the rest, both exact substrings."""
    lead = len(b.text) - len(b.text.lstrip())
    for rule in spam:
        m = rule.regex.match(b.text, lead)
        if m and m.end() < len(b.text) and b.text[m.end():].strip():
            cut = m.end()
            where = b.location or f"block {b.index}"
            head = dataclasses.replace(b, text=b.text[:cut], kind="boilerplate", context=f"noise rule {rule.id}",
                                       location=f"{where}, characters 1-{cut}")
            rest = dataclasses.replace(b, text=b.text[cut:], location=f"{where}, from character {cut + 1}")
            return head, rest, rule.id
    return None
