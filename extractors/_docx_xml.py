"""WordprocessingML details for the .docx reader: run text, styles, list labels.

Why our own XML walk instead of python-docx's `paragraph.text`: a paragraph's visible
text after accepting tracked changes lives in runs under w:ins, w:moveTo, w:hyperlink,
w:smartTag, w:sdt and w:fldSimple; deleted text (w:del, w:moveFrom) and field codes
(w:instrText) must stay out, and a text box sits *inside* a run in both a DrawingML and
a VML copy (mc:AlternateContent) that must be read once and not mixed into the
paragraph. Walking the XML ourselves makes each of those rules one line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


class Tags:
    """Clark-notation tag names for one WordprocessingML namespace (transitional or strict)."""

    def __init__(self, ns: str = W) -> None:
        self.ns = ns
        for name in (
            "p", "r", "t", "tab", "br", "cr", "ptab", "noBreakHyphen", "softHyphen", "sym", "pPr", "rPr",
            "ins", "moveFrom", "moveTo", "delText", "instrText", "delInstrText", "drawing", "pict",
            "object", "txbxContent", "footnoteReference", "endnoteReference", "lastRenderedPageBreak",
            "tbl", "tr", "tc", "trPr", "tcPr", "gridSpan", "vMerge", "hMerge", "gridBefore", "tblHeader",
            "sdt", "sdtContent", "customXml", "pStyle", "outlineLvl", "numPr", "numId", "ilvl", "footnote",
            "endnote", "style", "name", "basedOn", "sdtPr", "showingPlcHdr", "abstractNum", "abstractNumId", "num", "lvl", "start",
            "numFmt", "lvlText", "lvlOverride", "startOverride", "rt", "commentReference", "annotationRef",
            "footnoteRef", "endnoteRef", "sectPr", "body", "fldSimple", "hyperlink", "smartTag", "dir", "bdo",
        ):
            setattr(self, name, f"{{{ns}}}{name}")
        self.del_ = f"{{{ns}}}del"
        self.val = f"{{{ns}}}val"
        self.id = f"{{{ns}}}id"
        self.type = f"{{{ns}}}type"
        self.styleId = f"{{{ns}}}styleId"


MC_CHOICE = f"{{{MC}}}Choice"
MC_FALLBACK = f"{{{MC}}}Fallback"
MC_ALT = f"{{{MC}}}AlternateContent"


@dataclass
class RunText:
    """What one paragraph holds once tracked changes are accepted."""

    text: str = ""
    textboxes: list[etree._Element] = field(default_factory=list)  # w:txbxContent elements, read once
    notes: list[tuple[str, str]] = field(default_factory=list)  # ("footnote"|"endnote", id)
    breaks_before_text: int = 0  # rendered page breaks before the first visible character
    breaks: int = 0  # all rendered page breaks in the paragraph


def paragraph_text(p: etree._Element, t: Tags) -> RunText:
    """Visible text of a w:p with tracked changes accepted and comments left out."""
    out = RunText()
    parts: list[str] = []
    _walk(p, t, out, parts)
    out.text = "".join(parts)
    return out


# Elements whose content is never visible text of this paragraph.
def _skip_tags(t: Tags) -> frozenset[str]:
    return frozenset({t.pPr, t.rPr, t.del_, t.moveFrom,
                      t.delText, t.instrText, t.delInstrText, t.rt, t.commentReference, t.annotationRef,
                      t.footnoteRef, t.endnoteRef, t.object, t.sectPr})


_SKIP_CACHE: dict[str, frozenset[str]] = {}


def _walk(el: etree._Element, t: Tags, out: RunText, parts: list[str]) -> None:
    skip = _SKIP_CACHE.get(t.ns)
    if skip is None:
        skip = _SKIP_CACHE[t.ns] = _skip_tags(t)
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in skip:
            continue
        if tag == t.t:
            if child.text:
                parts.append(child.text)
        elif tag == t.tab or tag == t.ptab:
            parts.append("\t")
        elif tag == t.br:
            if child.get(t.type) not in ("page", "column"):
                parts.append("\n")
        elif tag == t.cr:
            parts.append("\n")
        elif tag == t.noBreakHyphen:
            parts.append("-")
        elif tag == t.lastRenderedPageBreak:
            out.breaks += 1
            if not "".join(parts).strip():
                out.breaks_before_text += 1
        elif tag == t.footnoteReference:
            out.notes.append(("footnote", child.get(t.id, "")))
        elif tag == t.endnoteReference:
            out.notes.append(("endnote", child.get(t.id, "")))
        elif tag in (t.drawing, t.pict):
            out.textboxes.extend(_textboxes(child, t))
        elif tag == MC_ALT:
            chosen = alternate(child)
            if chosen is not None:
                _walk(chosen, t, out, parts)
        elif tag == t.sdt and is_placeholder(child, t):
            continue  # an empty form field showing its prompt ("单击此处输入文字")
        else:
            _walk(child, t, out, parts)  # r, ins, moveTo, hyperlink, smartTag, sdt, fldSimple, ...


def is_placeholder(sdt: etree._Element, t: Tags) -> bool:
    """A content control that shows its placeholder prompt, not text the unit typed."""
    pr = sdt.find(t.sdtPr)
    return pr is not None and pr.find(t.showingPlcHdr) is not None


def alternate(alt: etree._Element) -> etree._Element | None:
    """mc:AlternateContent holds the same content twice: read the first Choice only."""
    for child in alt:
        if child.tag == MC_CHOICE:
            return child
    for child in alt:
        if child.tag == MC_FALLBACK:
            return child
    return None


def _textboxes(el: etree._Element, t: Tags) -> list[etree._Element]:
    """Outermost w:txbxContent under a drawing, skipping mc:Fallback copies."""
    found: list[etree._Element] = []
    stack = [el]
    while stack:
        cur = stack.pop()
        for child in cur:
            if not isinstance(child.tag, str) or child.tag == MC_FALLBACK:
                continue
            if child.tag == MC_ALT:
                chosen = alternate(child)
                if chosen is not None:
                    stack.append(chosen)
            elif child.tag == t.txbxContent:
                found.append(child)
            else:
                stack.append(child)
    return found[::-1] if len(found) > 1 else found


# ------------------------------------------------------------------ styles

_HEADING_NAME = re.compile(r"^\s*(?:heading|标题)\s*(\d)\s*$", re.I)
_TITLE_NAME = re.compile(r"^\s*(?:title|标题)\s*$", re.I)
_TOC_NAME = re.compile(r"^\s*(?:toc|目录)\s*\d?\s*$", re.I)


@dataclass(frozen=True, slots=True)
class StyleInfo:
    """What a paragraph style says about its paragraphs (after basedOn inheritance)."""

    heading: int | None = None  # 0 = title, 1.. = outline level
    num: tuple[str, int] | None = None  # (numId, ilvl) when the style itself is numbered
    toc: bool = False


def load_styles(xml: bytes | None, t: Tags) -> Mapping[str, StyleInfo]:
    """styleId -> StyleInfo, resolving basedOn chains once per document.

    Cached on the part's bytes: a unit's reports share one template, whose styles part is
    often the biggest XML in the file (python-docx's is 350 KB, 3.5 ms to parse).
    """
    if not xml:
        return {}
    return _load_styles(xml, t.ns)


@functools.lru_cache(maxsize=16)
def _load_styles(xml: bytes, ns: str) -> Mapping[str, StyleInfo]:
    t = Tags(ns)
    root = etree.fromstring(xml, PARSER)
    raw: dict[str, tuple[str, str | None, int | None, tuple[str, int] | None]] = {}
    for s in root.iter(t.style):
        if s.get(t.type) not in (None, "paragraph"):
            continue
        sid = s.get(t.styleId) or ""
        name_el = s.find(t.name)
        based = s.find(t.basedOn)
        ppr = s.find(t.pPr)
        outline = num = None
        if ppr is not None:
            ol = ppr.find(t.outlineLvl)
            if ol is not None and (ol.get(t.val) or "").isdigit():
                outline = int(ol.get(t.val))
            num = _num_of(ppr, t)
        raw[sid] = (name_el.get(t.val, "") if name_el is not None else "",
                    based.get(t.val) if based is not None else None, outline, num)
    out: dict[str, StyleInfo] = {}
    for sid in raw:
        heading = num = None
        toc = False
        seen: set[str] = set()
        cur: str | None = sid
        while cur in raw and cur not in seen:
            seen.add(cur)
            name, based, outline, snum = raw[cur]
            if num is None and snum is not None:
                num = snum
            if heading is None:
                m = _HEADING_NAME.match(name)
                if m:
                    heading = int(m.group(1))
                elif _TITLE_NAME.match(name):
                    heading = 0
                elif outline is not None and outline < 9:
                    heading = outline + 1
            toc = toc or bool(_TOC_NAME.match(name))
            cur = based
        out[sid] = StyleInfo(heading, num, toc)
    return MappingProxyType(out)  # shared through the cache: read-only


def _num_of(ppr: etree._Element, t: Tags) -> tuple[str, int] | None:
    np_ = ppr.find(t.numPr)
    if np_ is None:
        return None
    nid = np_.find(t.numId)
    lvl = np_.find(t.ilvl)
    num_id = nid.get(t.val, "0") if nid is not None else ""
    ilvl = int(lvl.get(t.val, "0")) if lvl is not None and (lvl.get(t.val) or "0").isdigit() else 0
    return (num_id, ilvl)


def paragraph_props(
    p: etree._Element, t: Tags, styles: Mapping[str, StyleInfo]
) -> tuple[int | None, tuple[str, int] | None, bool]:
    """(heading level, (numId, ilvl), is TOC entry) from direct formatting, then the style."""
    ppr = p.find(t.pPr)
    style = StyleInfo()
    direct_outline = direct_num = None
    if ppr is not None:
        ps = ppr.find(t.pStyle)
        if ps is not None:
            style = styles.get(ps.get(t.val, ""), StyleInfo())
        ol = ppr.find(t.outlineLvl)
        if ol is not None and (ol.get(t.val) or "").isdigit():
            direct_outline = int(ol.get(t.val))
        direct_num = _num_of(ppr, t)
    heading = style.heading
    if direct_outline is not None:
        heading = direct_outline + 1 if direct_outline < 9 else None
    num = direct_num if direct_num is not None else style.num
    if num is not None and (num[0] in ("", "0")):
        num = None  # numId 0 switches numbering off
    return heading, num, style.toc


# ------------------------------------------------------------------ list labels

_CN = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
            (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * (1 + (n - 1) // 26)


def format_number(n: int, fmt: str) -> str:
    """One level's number in Word's numFmt (the common ones in Chinese reports)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "chineseLegalSimplified",
               "ideographDigital", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


class Numbering:
    """Counts list items the way Word displays them, to give each item its label (1. / （一）)."""

    def __init__(self, xml: bytes | None, t: Tags) -> None:
        self.t = t
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self.counters: dict[str, list[int]] = {}
        if not xml:
            return
        root = etree.fromstring(xml, PARSER)
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for an in root.iter(t.abstractNum):
            levels = {}
            for lvl in an.iter(t.lvl):
                levels[int(lvl.get(t.ilvl, "0") or 0)] = self._level(lvl)
            abstract[an.get(t.abstractNumId, "")] = levels
        for num in root.iter(t.num):
            aid = num.find(t.abstractNumId)
            levels = dict(abstract.get(aid.get(t.val, "") if aid is not None else "", {}))
            for ov in num.iter(t.lvlOverride):
                il = int(ov.get(t.ilvl, "0") or 0)
                so = ov.find(t.startOverride)
                if so is not None and il in levels and (so.get(t.val) or "").isdigit():
                    _, fmt, text = levels[il]
                    levels[il] = (int(so.get(t.val)), fmt, text)
            self.levels[num.get(t.numId, "")] = levels

    def _level(self, lvl: etree._Element) -> tuple[int, str, str]:
        t = self.t
        start = lvl.find(t.start)
        fmt = lvl.find(t.numFmt)
        text = lvl.find(t.lvlText)
        s = start.get(t.val, "1") if start is not None else "1"
        return (int(s) if s.isdigit() else 1, fmt.get(t.val, "decimal") if fmt is not None else "decimal",
                text.get(t.val, "") if text is not None else "")

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (numId, ilvl) and return the label Word shows."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        ilvl = min(ilvl, 8)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        start, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return "•"

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            st, f, _ = levels.get(k, (1, "decimal", ""))
            return format_number(st + max(counts[k], 1) - 1, f)

        return re.sub(r"%(\d)", sub, text)
