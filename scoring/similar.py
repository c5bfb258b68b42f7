"""Small, explainable comparisons: "the same subject" and "when was this reported".

Subjects are short Chinese noun phrases (公厕, 城区老旧公厕, 分类厢房), so similarity is
containment or the share of characters and character pairs they have in common; no
word segmentation or model is needed and a reviewer can follow the result by eye.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date

_NOISE = re.compile(r"[\s，,。．.、；;：:（）()“”\"'《》【】\[\]0-9]")


def _clean(s: str) -> str:
    return _NOISE.sub("", s or "")


def similarity(a: str, b: str) -> float:
    """1.0 when one contains the other, else the Dice share of characters and pairs."""
    a, b = _clean(a), _clean(b)
    if not a or not b:
        return 0.0
    if len(a) >= 2 and len(b) >= 2 and (a in b or b in a):
        return 1.0
    if a == b:
        return 1.0

    def dice(x: Counter[str], y: Counter[str]) -> float:
        total = sum(x.values()) + sum(y.values())
        return 2 * sum((x & y).values()) / total if total else 0.0

    chars = dice(Counter(a), Counter(b))
    pairs = dice(Counter(a[i : i + 2] for i in range(len(a) - 1)), Counter(b[i : i + 2] for i in range(len(b) - 1)))
    return round((chars + pairs) / 2, 3)


# --- periods and dates ---------------------------------------------------------------

# one separator throughout (2024-09/10 is a two-month period, not 10 September)
_YMD = re.compile(r"^\s*(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*\2|年\s*(\d{1,2})\s*月)\s*(\d{1,2})(?![\d/])")
_QUARTER = re.compile(r"^\s*(\d{4})\s*[-年 ]?\s*[Qq第]\s*([1-4一二三四])\s*(?:季度)?\s*$")
_BIMONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})/(\d{1,2})\s*$")
_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
_HALF = re.compile(r"^\s*(\d{4})-H([12])\s*$")
_ANNUAL = re.compile(r"^\s*(\d{4})(?:-annual|年度?|年)?\s*$")
_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4}


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_date(text: str | None) -> date | None:
    """2024-10-31 (also 2024/10/31, 2024年10月31日, with a time after it) or None."""
    m = _YMD.match(text or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(3) or m.group(4)), int(m.group(5)))
    except ValueError:
        return None


def parse_quarter(text: str | None) -> tuple[int, int] | None:
    """2024Q3, 2024-Q3, 2024年第三季度 → (2024, 3)."""
    m = _QUARTER.match(text or "")
    if not m:
        return None
    q = m.group(2)
    return int(m.group(1)), _CN_Q.get(q) or int(q)


def period_end(period: str | None) -> date | None:
    """Last day a period covers: 2024-05/06 → 06-30, 2024-H1 → 06-30, 2024-annual → 12-31.

    Work reported for a period was done by its end, which is what lateness is about;
    an unreadable period (????-05/06) gives None and the caller says so.
    """
    if not period:
        return None
    if d := parse_date(period):
        return d
    if q := parse_quarter(period):
        return month_end(q[0], q[1] * 3)
    for rx, end in (
        (_BIMONTH, lambda m: month_end(int(m.group(1)), int(m.group(3)))),
        (_MONTH, lambda m: month_end(int(m.group(1)), int(m.group(2)))),
        (_HALF, lambda m: month_end(int(m.group(1)), 6 * int(m.group(2)))),
        (_ANNUAL, lambda m: date(int(m.group(1)), 12, 31)),
    ):
        m = rx.match(period)
        if m:
            try:
                return end(m)
            except ValueError:
                return None
    return None


def quarter_index(d: date) -> int:
    """Quarters counted from year 0, so that a difference is a number of quarters."""
    return d.year * 4 + (d.month - 1) // 3


def quarter_label(d: date) -> str:
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"
