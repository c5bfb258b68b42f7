"""Numbers as county reports write them: 180, 1,200, 1.2万, 3万4000, 二十五, 两, 三千余, 上百.

Values are plain floats with 万/亿 folded in; the approximation (余, 多, 几, 上, 数)
is returned as a flag and never changes the text. cn2an does the Chinese numerals;
it raises on 余/多, so approximations are stripped here first (see PLATFORM.md).
"""

from __future__ import annotations

import re

import cn2an

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_CN_DIGITS = set("零〇一二两三四五六七八九十百千万亿")
_MAGNITUDE = {"万": 10_000, "亿": 100_000_000}
_APPROX_SUFFIX = ("余", "多", "几")
_APPROX_PREFIX = ("上", "数", "几")
_ARABIC = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")


class NumberError(ValueError):
    """The text is not a number we can read (a bug in the caller's pattern, not bad input)."""


_ARABIC_TIMES = re.compile(r"([0-9]+(?:\.[0-9]+)?)([千百])")
_SMALL_MAGNITUDE = {"千": 1000.0, "百": 100.0}


def parse_number(text: str) -> tuple[float, bool]:
    """Return (value, approximate) for the numeral part of a claim, e.g. '三千余' -> (3000, True)."""
    s = re.sub(r"\s", "", text.translate(_FULLWIDTH).replace("萬", "万").replace("億", "亿").replace(",", "").replace("，", ""))  # "1870 余" as PDFs space it
    if not s:
        raise NumberError(text)
    approx = False
    if s[0] in _APPROX_PREFIX and len(s) > 1:
        approx = True
        s = s[1:]
    if s[0] in "十百千" or (approx and s[0] in "万亿"):  # 上百 = 一百, 数十 = 一十, 近百件 = 一百; 万元 alone is no number
        s = "一" + s
    while s and s[-1] in _APPROX_SUFFIX:
        approx = True
        s = s[:-1]
    inner = re.sub(r"(?<=[0-9十百千])[余多](?=[万亿])", "", s)  # 10余万 = about 100000
    if inner != s:
        approx, s = True, inner
    if not s:
        raise NumberError(text)
    return _value(s, text), approx


def _value(s: str, original: str) -> float:
    if _ARABIC.match(s):
        return float(s)
    # Mixed forms: 1.2万, 3万4000, 2亿3000万, 10余万 (余 already stripped by the caller).
    for mag_char in ("亿", "万"):
        if mag_char in s:
            head, _, tail = s.partition(mag_char)
            if not head:
                head = "一"
            if any(c.isdigit() for c in head) or (tail and any(c.isdigit() for c in tail)):
                hv = _value(head, original) if head else 1.0
                tv = _value(tail, original) if tail else 0.0
                return hv * _MAGNITUDE[mag_char] + tv
    if (m := _ARABIC_TIMES.fullmatch(s)) is not None:  # 8千, 5百 (as in 1万8千多户)
        return float(m.group(1)) * _SMALL_MAGNITUDE[m.group(2)]
    if all(c in _CN_DIGITS for c in s):
        if s.startswith("十"):
            s = "一" + s
        try:
            return float(cn2an.cn2an(s.replace("两", "二"), "smart"))
        except (ValueError, KeyError) as e:  # cn2an signals malformed numerals with ValueError
            # digit strings such as 二〇二四 read digit by digit
            if all(c in "零〇一二三四五六七八九" for c in s):
                return float("".join(str("零一二三四五六七八九".index(c) if c != "〇" else 0) for c in s))
            raise NumberError(original) from e
    raise NumberError(original)
