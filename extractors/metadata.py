"""Who sent a report, for which period, when, and what kind of report it is.

Signals are read separately (file name, title lines, first paragraphs, signature block
at the end) and compared: when they disagree or are missing the document carries a note
for the reviewer instead of a silent guess. Boilerplate blocks (web chrome, spam) are
never signals.

Periods follow the competition's calendar: a bimonthly progress report is
"2024-05/06", a half-year report "2024-H1", a year-end summary "2024-annual"
(also "2024-Q3" for a quarter and "2024-07" for a single month).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from reportscore.errors import ConfigError
from reportscore.model import Block, Document


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


# ------------------------------------------------------------------ numbers and dates

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_CN = "〇○零Ｏ一二三四五六七八九十"


def cn_small(s: str) -> int:
    """Small numbers as written in months, days and years: 9, 十二, 二十一, 二〇二四."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN_DIGIT.get(a, 1) if a else 1) * 10 + (_CN_DIGIT.get(b, 0) if b else 0)
    return int("".join(str(_CN_DIGIT[c]) for c in s))


_YEAR = re.compile(rf"(20\d{{2}}|二[〇○零Ｏ][一二三四五六七八九〇○零]{{2}})\s*年")
_YEAR_BARE = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_BIMONTH = re.compile(rf"({_M})\s*(?:月份?)?\s*[-—–~～至到、]\s*({_M})\s*月")
_QUARTER = re.compile(r"第\s*([一二三四1-4])\s*季度|([一二三四1-4])\s*季度")
_HALF = re.compile(r"(上|下)?半年")
_MONTH = re.compile(
    rf"(?<![-\d—–~～至到、])({_M})\s*月份?\s*(?:工作)?\s*(?:进展|进度|情况|总结|报告|小结)"
)
_ANNUAL = re.compile(r"年度|年终|全年|\d{4}\s*年\s*(?:工作)?总结|年\s*(?:工作)?总结")
_PROGRESS = re.compile(r"进展|进度")
_DATES = [
    re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(rf"(二[{_CN}]{{3}})\s*年\s*([{_CN}]{{1,2}})\s*月\s*([{_CN}]{{1,3}})\s*日"),
    re.compile(r"(?<!\d)(20\d{2})[.\-/](\d{1,2})[.\-/](\d{1,2})(?!\d)"),
]


def _date(text: str) -> list[dt.date]:
    out = []
    for rx in _DATES:
        for m in rx.finditer(text):
            try:
                out.append(dt.date(cn_small(m.group(1)), cn_small(m.group(2)), cn_small(m.group(3))))
            except (ValueError, KeyError):
                continue
    return out


@dataclass(frozen=True)
class Period:
    """A period found in one signal: `suffix` like '05/06', 'H1', 'annual'."""

    suffix: str
    kind: str  # progress | year_end
    phrase: str  # the text that said so, for notes


def parse_period(text: str) -> Period | None:
    """The reporting period a title or file name names, without the year."""
    m = _BIMONTH.search(text)
    if m:
        a, b = cn_small(m.group(1)), cn_small(m.group(2))
        if (a, b) == (1, 12):
            return Period("annual", "year_end", m.group(0))
        if (a, b) == (1, 6):
            return Period("H1", "progress", m.group(0))
        if (a, b) == (7, 12):
            return Period("H2", "progress", m.group(0))
        if 1 <= a < b <= 12:
            return Period(f"{a:02d}/{b:02d}", "progress", m.group(0))
    m = _HALF.search(text)
    if m:
        return Period("H2" if m.group(1) == "下" else "H1", "progress", m.group(0))
    m = _QUARTER.search(text)
    if m:
        return Period(f"Q{cn_small(m.group(1) or m.group(2))}", "progress", m.group(0))
    m = _ANNUAL.search(text)
    if m:
        return Period("annual", "year_end", m.group(0))
    m = _MONTH.search(text)
    if m:
        return Period(f"{cn_small(m.group(1)):02d}", "progress", m.group(0))
    return None


def _year(text: str, bare: bool = False) -> int | None:
    m = _YEAR.search(text)
    if m:
        return cn_small(m.group(1))
    if bare:
        m = _YEAR_BARE.search(text)
        if m:
            return int(m.group(1))
    return None


def _period_end(year: int, suffix: str) -> dt.date:
    if suffix == "annual" or suffix == "H2":
        return dt.date(year, 12, 31)
    if suffix == "H1":
        return dt.date(year, 6, 30)
    if suffix.startswith("Q"):
        month = 3 * int(suffix[1])
    else:
        month = int(suffix.split("/")[-1])
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


# ------------------------------------------------------------------ units


def find_units(text: str, participants: Sequence[Participant]) -> set[str]:
    """Units named in `text`, longest names first so '通州湾示范区' does not also count as '通州'."""
    names = sorted(((n, p.name) for p in participants for n in p.names() if n), key=lambda x: -len(x[0]))
    taken = bytearray(len(text))
    found: set[str] = set()
    for n, unit in names:
        start = text.find(n)
        while start >= 0:
            end = start + len(n)
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * len(n)
                found.add(unit)
            start = text.find(n, start + 1)
    return found


def _content(doc: Document) -> list[Block]:
    return [b for b in doc.blocks if b.kind != "boilerplate" and b.text.strip()]


def describe(
    doc: Document, participants: Sequence[Participant]
) -> tuple[str | None, str | None, str, str | None, tuple[str, ...]]:
    """Return (unit, period, kind, report_date, notes) for a read document."""
    notes: list[str] = []
    blocks = _content(doc)
    body = [b for b in blocks if b.kind not in ("footnote", "table_cell")]
    tail: list[Block] = []  # the signature: short lines after the last long paragraph, never the first line
    for b in reversed(body[1:]):
        if len(b.text.strip()) > 60 or len(tail) == 6:
            break
        tail.insert(0, b)
    tail_ids = {id(b) for b in tail}
    title_blocks: list[Block] = []
    for b in body[:4]:  # the short lines above the first real paragraph
        if len(b.text) > 80 or id(b) in tail_ids:
            break
        title_blocks.append(b)
    title = "\n".join(b.text for b in title_blocks)
    first = "\n".join(b.text for b in body[:3])
    signature = "\n".join(b.text for b in tail)
    stem = Path(doc.source).stem

    unit = _unit(stem, title, first, signature, participants, notes)

    report_date, where = _report_date(tail, title_blocks, body[-1].text[-30:] if body else "")
    if report_date is None:
        notes.append("no report date found in the signature block")
    elif where != "signature":
        notes.append(f"report date {report_date} taken from the top of the document (none in the signature block)")

    p_name, p_title = parse_period(stem), parse_period(title)
    chosen = p_title or p_name
    if p_name and p_title and p_name.suffix != p_title.suffix:
        notes.append(f"period signals disagree (file name: {p_name.phrase}; title: {p_title.phrase}); "
                     f"chose the title's")
    y_title, y_name = _year(title), _year(stem, bare=True)
    if y_title and y_name and y_title != y_name:
        notes.append(f"year signals disagree (file name: {y_name}; title: {y_title}); chose the title's")
    year = y_title or y_name
    period, kind = None, "other"
    if chosen:
        kind = chosen.kind
        if year is None and report_date is not None:
            d = dt.date.fromisoformat(report_date)
            year = d.year - 1 if chosen.suffix == "annual" and d.month <= 3 else d.year
            notes.append(f"period year {year} inferred from the report date {report_date}")
        if year is None:
            notes.append(f"period '{chosen.phrase}' found but no year in the title, file name or report date")
        else:
            period = f"{year}-{chosen.suffix}"
            if chosen.suffix != "annual" and "/" not in chosen.suffix and not chosen.suffix.startswith(("H", "Q")):
                notes.append(f"one-month period {period}: the competition expects bimonthly reports")
            elif "/" in chosen.suffix:
                a, b = (int(x) for x in chosen.suffix.split("/"))
                if b - a != 1:
                    notes.append(f"period {period} covers {b - a + 1} months, not two")
            if report_date is not None:
                d, end = dt.date.fromisoformat(report_date), _period_end(year, chosen.suffix)
                if d < end - dt.timedelta(days=20):
                    notes.append(f"report date {report_date} is well before the end of its period {period}")
                elif d > end + dt.timedelta(days=120):
                    notes.append(f"report date {report_date} is long after the end of its period {period}")
    elif _PROGRESS.search(title) or _PROGRESS.search(stem):
        kind = "progress"
        notes.append("progress report without a recognisable period in the title or file name")
    else:
        notes.append("no reporting period found in the title or file name")
    return unit, period, kind, report_date, tuple(notes)


def _unit(stem: str, title: str, first: str, signature: str, participants: Sequence[Participant],
          notes: list[str]) -> str | None:
    """Vote over the signals; signature and title outrank the file name, which outranks body text."""
    if not participants:
        return None
    signals = {
        "signature": find_units(signature, participants),
        "title": find_units(title, participants),
        "file name": find_units(stem, participants),
        "first lines": find_units(first, participants),
    }
    priority = list(signals)
    votes: dict[str, tuple[int, int]] = {}
    for rank, (where, names) in enumerate(signals.items()):
        for n in names:
            count, best = votes.get(n, (0, rank))
            votes[n] = (count + 1, min(best, rank))
    if not votes:
        notes.append("unit not found in the file name, title, first lines or signature")
        return None
    unit = sorted(votes, key=lambda n: (-votes[n][0], votes[n][1], n))[0]
    if len(votes) > 1:
        detail = "; ".join(f"{w}: {'、'.join(sorted(s)) or '-'}" for w, s in signals.items())
        notes.append(f"unit signals disagree ({detail}); chose {unit}")
    elif all(unit not in signals[w] for w in priority[:3]):
        notes.append(f"unit {unit} found only in the first lines of the text, not in the title, file name "
                     "or signature")
    return unit


def _report_date(tail: list[Block], head: list[Block], end: str) -> tuple[str | None, str]:
    """The last date of the signature block (or of the last characters of the text, when
    the signature is glued to the last paragraph); failing that, a date line under the title."""
    for text in [b.text for b in reversed(tail)] + [end]:
        dates = _date(text)
        if dates:
            return dates[-1].isoformat(), "signature"
    for b in head:
        dates = _date(b.text)
        if dates and len(b.text.strip()) <= 30:
            return dates[0].isoformat(), "head"
    return None, ""
