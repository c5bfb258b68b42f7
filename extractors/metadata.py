"""Who sent a report and for which period, from the file name, title, first lines and signature.

Signals are collected separately and compared: when they disagree or are missing the
document carries a note for the reviewer instead of a silent guess.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from reportscore.errors import ConfigError
from reportscore.model import Document


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def load_participants(path: Path | str) -> tuple[Participant, ...]:
    """participants.csv: columns `unit,aliases` (aliases separated by `|`)."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the participant list ({e.strerror})") from e
    out = []
    for n, row in enumerate(rows, start=2):
        name = (row.get("unit") or "").strip()
        if not name:
            raise ConfigError(f"{path}, line {n}, column unit: empty unit name")
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        out.append(Participant(name, aliases))
    return tuple(out)


_YEAR = re.compile(r"(20\d{2}|二〇[一二三四五六七八九〇零]{2})\s*年")
_BIMONTH = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,2})\s*[-—–~～至到、]\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月")
_YEAR_END = re.compile(r"年度|年终|全年工作|工作总结|年工作总结")
_HALF = re.compile(r"上半年|半年")
_DATE = re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_small(s: str) -> int:
    """Small Chinese numbers used in months and years (九, 十, 十二, 二〇二四)."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN_DIGIT.get(a, 1) if a else 1) * 10 + (_CN_DIGIT.get(b, 0) if b else 0)
    return int("".join(str(_CN_DIGIT[c]) for c in s))


def _find_units(text: str, participants: Sequence[Participant]) -> set[str]:
    found = set()
    for p in participants:
        if any(n and n in text for n in p.names()):
            found.add(p.name)
    return found


def describe(
    doc: Document, participants: Sequence[Participant]
) -> tuple[str | None, str | None, str, str | None, tuple[str, ...]]:
    """Return (unit, period, kind, report_date, notes) for a read document."""
    notes: list[str] = []
    head = "".join(b.text for b in doc.blocks[:3])
    tail = "".join(b.text for b in doc.blocks[-4:])
    signals = {
        "file name": _find_units(doc.source, participants),
        "title": _find_units(head, participants),
        "signature": _find_units(tail, participants),
    }
    unit = None
    votes: dict[str, int] = {}
    for where, names in signals.items():
        for n in names:
            votes[n] = votes.get(n, 0) + 1
    if votes:
        best = max(votes.values())
        leaders = sorted(n for n, v in votes.items() if v == best)
        unit = leaders[0]
        if len(votes) > 1:
            detail = "; ".join(f"{w}: {'、'.join(sorted(s)) or '-'}" for w, s in signals.items())
            notes.append(f"unit signals disagree ({detail}); chose {unit}")
    elif participants:
        notes.append("unit not found in file name, title or signature")

    title_text = doc.source + " " + head
    year = None
    m = _YEAR.search(title_text)
    if m:
        year = _cn_small(m.group(1))
    period, kind = None, "other"
    mb = _BIMONTH.search(title_text)
    if mb:
        a, b = _cn_small(mb.group(1)), _cn_small(mb.group(2))
        period, kind = f"{year or '????'}-{a:02d}/{b:02d}", "progress"
    elif _HALF.search(title_text):
        period, kind = f"{year or '????'}-H1", "progress"
    elif _YEAR_END.search(title_text):
        period, kind = f"{year or '????'}-annual", "year_end"
    elif re.search(r"进展|进度|情况", title_text):
        kind = "progress"
        notes.append("progress report without a recognisable period")
    if year is None and period:
        notes.append("period has no year in the title or file name")

    report_date = None
    for b in reversed(doc.blocks[-5:]):
        md = _DATE.search(b.text)
        if md:
            report_date = f"{int(md.group(1)):04d}-{int(md.group(2)):02d}-{int(md.group(3)):02d}"
            break
    if report_date is None:
        notes.append("no report date found in the signature block")
    return unit, period, kind, report_date, tuple(notes)
