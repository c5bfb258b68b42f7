"""Joins lines that a PDF-to-text copy broke around a number back into one block.

Reports copied out of PDFs (document-sharing sites, pasted .txt, a .docx made from such
text) often put every run of digits on a line of its own: "出动\\n8000\\n余人次,出动\\n1000\\n余车次;".
Read line by line, the number and its unit land in different blocks and no claim can be
found, since a claim lives inside one block. Here such lines become one block whose text
is the lines joined with "\\n", exactly as they stand in a text file, so offsets still
point into the text as read (a claim's span may contain the line break: "8000\\n余人次").

Only breaks next to a number fragment are joined, and never after a heading or a
sentence end: an ordinary line break between paragraphs, or a heading followed by a
paragraph starting with a year, stays a block boundary.
"""

from __future__ import annotations

import dataclasses
import re

from reportscore.model import Block, Document

from .rules import load_rules

JOINABLE = frozenset({"paragraph", "list_item"})
_BARE_NUMBER = re.compile(r"^\s*[0-9０-９][0-9０-９,，.．]*\s*[%％‰]?\s*$")
_STARTS_WITH_NUMBER = re.compile(r"^\s*[0-9０-９]")
_TRAILING_NUMBER = re.compile(r"(?<![0-9０-９,，.．])[0-9０-９][0-9０-９,，.．]*$")
_SENTENCE_END = re.compile(r"[。！？!?；;：:]\s*$")
LIST_MARKER = re.compile(  # a numbered heading or list item: 一、 （二） 3.
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,2}[）)]|\d{1,2}[.、．](?!\d))")
ITEM_START = re.compile(  # a list item, also 一是/第二，
    LIST_MARKER.pattern + r"|^\s*(?:[一二三四五六七八九十]是|第[一二三四五六七八九十\d]+[，,、])")
_CLAUSE_PUNCT = re.compile(r"[，,。；;！？、]")


def _looks_like_heading(text: str) -> bool:
    """"(三)开展数字化城管网格管理" or "一、工作开展情况": a numbered line without sentence punctuation."""
    return bool(LIST_MARKER.match(text)) and not _CLAUSE_PUNCT.search(text)


def _continues(prev: str, cur: str) -> bool:
    """Is the break between `prev` and `cur` inside a sentence, next to a number?"""
    if _SENTENCE_END.search(prev) or ITEM_START.match(cur) or _looks_like_heading(prev):
        return False
    last = prev.rsplit("\n", 1)[-1]
    if "\t" in last or "\t" in cur:
        return False  # rows of a tab-separated table are lines of their own
    if _BARE_NUMBER.match(cur):
        return True  # "出动" | "8000"
    if _BARE_NUMBER.match(last):
        return not _STARTS_WITH_NUMBER.match(cur)  # "8000" | "余人次,出动"
    # "…案件3312" | "件,完成率达到": the unit is on the next line; but "点击：386" | "根据…" is a
    # page field followed by a new line
    tail = _TRAILING_NUMBER.search(last)
    if tail and not _STARTS_WITH_NUMBER.match(cur) and not last[:tail.start()].rstrip().endswith(("：", ":")):
        m = load_rules().candidate.match(tail.group(0) + cur[:16])
        if m and m.end() > len(tail.group(0)):
            return True
    # "共开展专项整治行动" | "150余次,出动": a sentence broken right before its number
    # ("三、以品质提升为目标,加强…" | "1.深度谋划…" is a heading and a list item, not a wrap)
    return bool(_STARTS_WITH_NUMBER.match(cur)) and bool(_CLAUSE_PUNCT.search(prev)) and (
        not LIST_MARKER.match(prev) or "。" in prev)


def join_wrapped(doc: Document) -> Document:
    """The document with number-broken lines joined; unchanged (the same object) when none are."""
    out: list[Block] = []
    run: list[Block] = []

    def flush() -> None:
        if len(run) == 1:
            out.append(dataclasses.replace(run[0], index=len(out)))
        elif run:
            first, last = run[0], run[-1]
            boxes = [b.bbox for b in run if b.bbox is not None]
            bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                    max(b[3] for b in boxes)) if boxes else None
            where = f"{first.location} to {last.location}" if first.location and last.location else first.location
            out.append(dataclasses.replace(first, index=len(out), text="\n".join(b.text for b in run),
                                           location=where, bbox=bbox))
        run.clear()

    text = ""  # the text of the run so far
    for b in doc.blocks:
        if run and b.kind in JOINABLE and run[-1].kind in JOINABLE and b.page == run[-1].page and _continues(text, b.text):
            run.append(b)
            text += "\n" + b.text
            continue
        flush()
        run.append(b)
        text = b.text
    flush()
    return doc if len(out) == len(doc.blocks) else dataclasses.replace(doc, blocks=tuple(out))


def unwrapped(text: str) -> str:
    """The text with each line break that `_continues` calls a wrap turned into a space: the
    same length, so offsets found in it are offsets into `text`. The claim rules treat a
    line break as a sentence end; a wrap inside "专项整治行动\\n150余次" is not one."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    out, run = [lines[0]], lines[0]
    for line in lines[1:]:
        wrap = _continues(run, line)
        out.append(" " if wrap else "\n")
        out.append(line)
        run = run + "\n" + line if wrap else line
    return "".join(out)
