"""Page layout for PDF text (text layer or OCR): characters to lines, page furniture,
lines to paragraphs.

Why one module for both sources: a scanned page after OCR and a Word-exported page
look the same once they are lines with boxes, and a county's scan carries the same
headers and page numbers as its Word export. Every rule here works on `Line`s.

Coordinates are PDF points from the top-left of the page (pdfplumber's convention):
x0, top, x1, bottom.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass



@dataclass
class Line:
    """One visual line of text on a page."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float | None = None  # OCR confidence 0..1 (None for a text layer)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Char:
    """One glyph from the text layer: its text and box."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


_LATIN = re.compile(r"[A-Za-z0-9]")
_LETTER = re.compile(r"[A-Za-z]")


def chars_to_lines(chars: list[Char]) -> list[Line]:
    """Cluster glyphs into lines by vertical centre, then order each line left to right.

    Why not the content-stream order: Word and WPS write a line in several runs and
    sometimes out of order; the page position is what the reader sees. Space glyphs
    are kept (runs of them become one space); a space is added between two letters or
    digits only when there is a visible gap and no space glyph (PDFs that position
    words instead of writing spaces).
    """
    glyphs = [c for c in chars if c.text.strip()]
    if not glyphs:
        return []
    heights = sorted(c.bottom - c.top for c in glyphs)
    h = max(heights[len(heights) // 2], 1.0)
    ordered = sorted(chars, key=lambda c: (c.top + c.bottom) / 2)
    clusters: list[list[Char]] = []
    mids: list[float] = []
    for c in ordered:
        mid = (c.top + c.bottom) / 2
        if clusters and abs(mid - mids[-1] / len(clusters[-1])) <= 0.45 * h:
            clusters[-1].append(c)
            mids[-1] += mid
        else:
            clusters.append([c])
            mids.append(mid)
    lines = []
    for cl in clusters:
        cl.sort(key=lambda c: c.x0)
        parts: list[str] = []
        prev: Char | None = None
        for c in cl:
            if c.text.isspace():
                if parts and parts[-1] != " ":
                    parts.append(" ")
                continue
            if prev is not None:
                size = max(c.bottom - c.top, 1.0)
                if c.text == prev.text and abs(c.x0 - prev.x0) < 0.2 * size:
                    continue  # the same glyph drawn twice (fake bold)
                if (parts[-1] != " " and c.x0 - prev.x1 > 0.3 * size and _LATIN.match(c.text)
                        and _LATIN.match(prev.text)):
                    parts.append(" ")
            parts.append(c.text)
            prev = c
        text = "".join(parts).strip()
        ink = [c for c in cl if not c.text.isspace()]
        if text and ink:
            lines.append(Line(text, min(c.x0 for c in ink), min(c.top for c in ink), max(c.x1 for c in ink),
                              max(c.bottom for c in ink)))
    return lines


# ------------------------------------------------------------------ page furniture

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－一~〜]\s*\d{1,4}\s*[-—–－一~〜]"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|(?:共\s*\d{1,4}\s*页\s*)?第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|\d{1,4})\s*$",
    re.I,
)
ZONE = 0.15  # top and bottom share of the page where running headers, footers and page numbers sit
SHORT_LINE = 30  # characters; longer repeated lines must repeat exactly to count as furniture
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def _key(text: str) -> str:
    return _DIGITS.sub("#", _SPACE.sub("", text))


def remove_furniture(
    pages: list[list[Line]], heights: list[float], tolerance: list[float]
) -> tuple[list[list[Line]], list[str]]:
    """Drop running headers/footers and page numbers; return the kept lines and what went.

    A header/footer line is among the first or last three lines of a page, in its top or
    bottom 15 %, and repeats (digits ignored when the line is short) at about the same
    height on at least half of the pages (two pages at least), so a
    two-line header, 'page 3 of 9' footers and odd/even headers all go; a page number is
    a line of the top/bottom margin that is only a number in one of the usual dresses.
    `tolerance` is per page: a few points for a text layer, more for a scanned page.
    """
    n = len(pages)
    zone_lines: list[list[tuple[int, Line]]] = []
    for i, lines in enumerate(pages):
        hgt = heights[i]
        order = sorted(range(len(lines)), key=lambda j: lines[j].top)
        edge = set(order[:3]) | set(order[-3:])  # furniture is among the first or last lines of a page
        zone_lines.append([(j, lines[j]) for j in sorted(edge)
                           if lines[j].bottom < ZONE * hgt or lines[j].top > (1 - ZONE) * hgt])
    pages_with_text = sum(1 for lines in pages if lines)
    need = max(2, math.ceil(0.5 * pages_with_text))
    by_key: dict[str, list[tuple[int, int, Line]]] = defaultdict(list)
    for i, zl in enumerate(zone_lines):
        for j, l in zl:
            # Digits may differ only in short lines ('第 3 页 共 9 页'); a long line repeats exactly.
            key = _key(l.text) if len(_SPACE.sub("", l.text)) <= SHORT_LINE else "=" + l.text
            by_key[key].append((i, j, l))
    drop: set[tuple[int, int]] = set()
    removed: Counter[str] = Counter()
    if n >= 2:
        for key, hits in by_key.items():
            if not key or len({i for i, _, _ in hits}) < need:
                continue
            tops = sorted(l.top for _, _, l in hits)
            median = tops[len(tops) // 2]
            near = [(i, j) for i, j, l in hits if abs(l.top - median) <= tolerance[i]]
            if len({i for i, _ in near}) >= need:
                drop.update(near)
                removed["header/footer line"] += 1
    numbered = 0
    for i, zl in enumerate(zone_lines):
        for j, l in zl:
            if (i, j) not in drop and PAGE_NUMBER.match(l.text):
                drop.add((i, j))
                numbered += 1
    kept = [[l for j, l in enumerate(lines) if (i, j) not in drop] for i, lines in enumerate(pages)]
    notes = []
    if removed:
        notes.append(f"{removed['header/footer line']} repeated header/footer line(s) removed from the pages")
    if numbered:
        notes.append(f"page numbers removed on {numbered} page(s)")
    return kept, notes


# ------------------------------------------------------------------ paragraphs

_LIST_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)"
    r"|第[一二三四五六七八九十\d]+[章节条部分])"
)


_SENTENCE_END = frozenset("。！？；：!?;:")


def paragraphs(lines: list[Line], size_breaks: bool = True) -> list[list[Line]]:
    """Group a page's lines (top to bottom) into paragraphs.

    A paragraph starts at an indent, at a gap clearly larger than the usual line
    spacing, after a line that stops well short of the right margin, or at a line
    opening with a list marker (一、 （二） 3.).
    """
    if not lines:
        return []
    lines = sorted(lines, key=lambda l: (l.top, l.x0))
    h = sorted(l.height for l in lines)[len(lines) // 2] or 10.0
    counts = Counter(round(l.x0 / 3) * 3 for l in lines)
    margins = [x for x, k in counts.items() if k >= 2]
    if margins:  # the leftmost x0 shared by two lines or more, exact (not the bucket)
        left = min(l.x0 for l in lines if round(l.x0 / 3) * 3 == min(margins))
    else:
        left = min(l.x0 for l in lines)
    rights = sorted(l.x1 for l in lines)
    right = rights[int(0.9 * (len(rights) - 1))]
    gaps = sorted(b.top - a.bottom for a, b in zip(lines, lines[1:]) if b.top - a.bottom > -0.5 * h)
    usual = gaps[len(gaps) // 2] if gaps else 0.3 * h
    out: list[list[Line]] = [[lines[0]]]
    for prev, cur in zip(lines, lines[1:]):
        gap = cur.top - prev.bottom
        hh = max(min(prev.height, cur.height), 1.0)
        if _wrapped_centred(prev, cur, left, right, usual, hh):
            out[-1].append(cur)
            continue
        new = (
            gap > usual + 0.6 * hh
            or cur.x0 - left > 1.0 * hh
            or right - prev.x1 > 1.5 * hh
            or (prev.text[-1:] in _SENTENCE_END and right - prev.x1 > 0.6 * hh)
            or (size_breaks and abs(prev.height - cur.height) > 0.3 * hh)
            or bool(_LIST_START.match(cur.text))
        )
        if new:
            out.append([cur])
        else:
            out[-1].append(cur)
    return out


def _wrapped_centred(prev: Line, cur: Line, left: float, right: float, usual: float, h: float) -> bool:
    """A centred title wrapped over two lines: same size, both centred on the text column,
    the first line long but off the left margin, the second short of both margins."""
    width = max(right - left, 1.0)
    axis = (left + right) / 2
    return (
        abs(prev.height - cur.height) <= 0.1 * h
        and abs((prev.x0 + prev.x1) / 2 - axis) < h
        and abs((cur.x0 + cur.x1) / 2 - axis) < h
        and abs(prev.x0 - left) > 2.0
        and cur.x0 - left > 0.5 * h and right - cur.x1 > 0.5 * h
        and prev.x1 - prev.x0 > 0.6 * width
        and cur.top - prev.bottom <= usual + 0.3 * h
        and prev.text[-1:] not in _SENTENCE_END
    )


def join_lines(parts: list[str]) -> str:
    """Visual line breaks fall mid-word in Chinese: join with nothing, except two Latin
    words, which get one space."""
    out = parts[0]
    for p in parts[1:]:
        if out and p and _LETTER.match(out[-1]) and _LETTER.match(p[0]):
            out += " " + p
        else:
            out += p
    return out


def bbox_of(lines: list[Line]) -> tuple[float, float, float, float]:
    return (round(min(l.x0 for l in lines), 2), round(min(l.top for l in lines), 2),
            round(max(l.x1 for l in lines), 2), round(max(l.bottom for l in lines), 2))
