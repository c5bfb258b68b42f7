"""Word (.docx) reader: body paragraphs, headings, list items, table cells, text boxes
and footnotes, in the order a reader meets them.

Why zipfile + lxml and not python-docx: python-docx drops text inside w:ins and reads
merged cells once per grid column, and its style look-ups are the slow part of a read.
The package structure we need (main part, styles, numbering, footnotes) is four
relationships; the WordprocessingML rules live in `_docx_xml` and `_docx_tables`.

Pages: Word records where it last broke pages (w:lastRenderedPageBreak). When a file
has them, each block gets the page it starts on as Word laid it out; files written by
tools that never laid them out (python-docx, LibreOffice, some converters) get page None,
and so does a one-page Word file (it has no break to record).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

from reportscore.errors import DocumentError
from reportscore.model import Block, Document

from ._common import DEFAULT_LIMITS, Limits, check_zip, file_sha256
from ._docx_tables import GridCell, table_grid
from ._docx_xml import (
    MC_ALT, PARSER, W, W_STRICT, Numbering, Tags, alternate, is_placeholder, load_styles, paragraph_props,
    paragraph_text,
)
from ._table_labels import cell_contexts, describe_span

_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOC = re.compile(r"/officeDocument$")


def read(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a .docx into blocks; DocumentError when the file is not a readable Word file."""
    check_zip(path, limits)
    parts = _open_package(path)
    try:
        root = etree.fromstring(parts["document"], PARSER)
    except etree.XMLSyntaxError as e:
        raise DocumentError(path.name, f"the Word document part is not valid XML ({e})", "corrupt") from e
    ns = W_STRICT if root.tag.startswith(f"{{{W_STRICT}}}") else W
    t = Tags(ns)
    body = root.find(t.body)
    if body is None:
        raise DocumentError(path.name, "the Word document part has no body", "corrupt")
    try:
        styles = load_styles(parts.get("styles"), t)
        numbering = Numbering(parts.get("numbering"), t)
    except etree.XMLSyntaxError as e:
        raise DocumentError(path.name, f"the styles or numbering part is not valid XML ({e})", "corrupt") from e
    rendered = next(body.iter(t.lastRenderedPageBreak), None) is not None
    walker = _Walker(t, styles, numbering, rendered)
    walker.container(body)
    for kind in ("footnote", "endnote"):
        if parts.get(kind + "s"):
            try:
                walker.notes(etree.fromstring(parts[kind + "s"], PARSER), kind)
            except etree.XMLSyntaxError as e:
                raise DocumentError(path.name, f"the {kind}s part is not valid XML ({e})", "corrupt") from e
    notes = []
    n_ins = sum(1 for _ in body.iter(t.ins))
    n_del = sum(1 for _ in body.iter(t.del_))
    if n_ins or n_del:
        notes.append(f"tracked changes read as accepted ({n_ins} insertions kept, {n_del} deletions left out)")
    n_comments = sum(1 for _ in body.iter(t.commentReference))
    if n_comments:
        notes.append(f"{n_comments} comment(s) left out")
    # docProps/app.xml <Pages> is only as fresh as the last layout; python-docx's template
    # always says 1. Trust it when the file carries Word's rendered page breaks.
    pages = max(_app_pages(parts.get("app")) or 0, walker.page) if rendered else None
    return Document(source=path.name, sha256=file_sha256(path), blocks=tuple(walker.blocks), pages=pages,
                    format="docx", notes=tuple(notes))


def _open_package(path: Path) -> dict[str, bytes]:
    """The parts we read, found through the package relationships (not fixed names)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            main = _main_part(z, names)
            if main is None:
                raise DocumentError(path.name, _not_word(names), "wrong_type")
            parts = {"document": z.read(main)}
            rels_name = posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels")
            if rels_name in names:
                for rel in etree.fromstring(z.read(rels_name), PARSER).iter(_REL_NS):
                    if rel.get("TargetMode") == "External":
                        continue
                    kind = rel.get("Type", "").rsplit("/", 1)[-1]
                    if kind in ("styles", "numbering", "footnotes", "endnotes"):
                        target = posixpath.normpath(posixpath.join(posixpath.dirname(main), rel.get("Target", "")))
                        target = target.lstrip("/")
                        if target in names:
                            parts[kind] = z.read(target)
            if "docProps/app.xml" in names:
                parts["app"] = z.read("docProps/app.xml")
            return parts
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as e:
        raise DocumentError(path.name, f"the zip container is corrupt ({e.__class__.__name__}: {e})", "corrupt") from e
    except etree.XMLSyntaxError as e:
        raise DocumentError(path.name, f"the package relationships are not valid XML ({e})", "corrupt") from e


def _main_part(z: zipfile.ZipFile, names: set[str]) -> str | None:
    if "_rels/.rels" in names:
        try:
            for rel in etree.fromstring(z.read("_rels/.rels"), PARSER).iter(_REL_NS):
                if _OFFICE_DOC.search(rel.get("Type", "")):
                    target = rel.get("Target", "").lstrip("/")
                    if target in names and target.endswith(".xml") and "word" in target.lower():
                        return target
        except etree.XMLSyntaxError:
            pass
    return "word/document.xml" if "word/document.xml" in names else None


def _not_word(names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return "this is an Excel workbook, not a Word document"
    if "ppt/presentation.xml" in names:
        return "this is a PowerPoint file, not a Word document"
    if "mimetype" in names and "content.xml" in names:
        return "this is an OpenDocument file (.odt/.ods), not a Word document; rename it to .odt"
    return "this zip archive holds no Word document (word/document.xml is missing)"


def _app_pages(xml: bytes | None) -> int | None:
    """The page count Word saved in docProps/app.xml, when it did."""
    if not xml:
        return None
    m = re.search(rb"<(?:\w+:)?Pages>(\d+)</", xml)
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None


class _Walker:
    """Walks the body once, appending blocks; keeps the counters locations are made of."""

    def __init__(self, t: Tags, styles, numbering: Numbering, rendered: bool) -> None:
        self.t, self.styles, self.numbering, self.rendered = t, styles, numbering, rendered
        self.blocks: list[Block] = []
        self.page = 1
        self.para_no = 0
        self.table_no = 0
        self.textbox_no = 0
        self.headings: list[tuple[int, str]] = []
        self.note_refs: dict[tuple[str, str], tuple[str, int | None]] = {}

    def _add(self, text: str, location: str, kind: str, page: int | None, level: int | None = None,
             context: str = "") -> None:
        self.blocks.append(Block(index=len(self.blocks), text=text, page=page if self.rendered else None,
                                 location=location, kind=kind, level=level, context=context))  # type: ignore[arg-type]

    def container(self, el: etree._Element) -> None:
        t = self.t
        for child in el:
            tag = child.tag
            if tag == t.p:
                self.paragraph(child)
            elif tag == t.tbl:
                self.table_no += 1
                self.table(child, str(self.table_no))
            elif tag == t.sdt:
                inner = child.find(t.sdtContent)
                if inner is not None and not is_placeholder(child, t):
                    self.container(inner)
            elif tag == t.customXml:
                self.container(child)
            elif tag == MC_ALT:
                chosen = alternate(child)
                if chosen is not None:
                    self.container(chosen)

    def paragraph(self, p: etree._Element) -> None:
        rt = paragraph_text(p, self.t)
        page = self.page + rt.breaks_before_text
        self.page += rt.breaks
        heading, num, toc = paragraph_props(p, self.t, self.styles)
        label = self.numbering.label(*num) if num else ""
        text = rt.text.strip()
        if text:
            self.para_no += 1
            location = f"paragraph {self.para_no}" + (f", numbered {label}" if label else "")
            if toc:
                self._add(text, location + " (table of contents)", "boilerplate", page)
            elif heading is not None:
                parents = [h for lvl, h in self.headings if lvl < heading]
                self._add(text, location, "heading", page, heading, " > ".join(parents))
                if heading >= 1:
                    self.headings = [(lvl, h) for lvl, h in self.headings if lvl < heading]
                    self.headings.append((heading, f"{label}{text}" if label and label != "•" else text))
            else:
                self._add(text, location, "list_item" if num else "paragraph", page,
                          context=" > ".join(h for _, h in self.headings))
            where = location
        else:
            where = f"after paragraph {self.para_no}" if self.para_no else "before the first paragraph"
        self._refs(rt.notes, where, page)
        self._textboxes(rt.textboxes, where, page)

    def _refs(self, refs: list[tuple[str, str]], where: str, page: int) -> None:
        for ref in refs:
            self.note_refs.setdefault(ref, (where, page))

    def _textboxes(self, boxes: list[etree._Element], where: str, page: int) -> None:
        for box in boxes:
            texts = []
            inner_boxes: list[etree._Element] = []
            for p in _paragraphs_in(box, self.t):
                rt = paragraph_text(p, self.t)
                if rt.text.strip():
                    texts.append(rt.text.strip())
                inner_boxes.extend(rt.textboxes)
                self._refs(rt.notes, where, page)
            if texts:
                self.textbox_no += 1
                self._add("\n".join(texts), f"text box {self.textbox_no} (anchored at {where})", "textbox", page)
            self._textboxes(inner_boxes, where, page)

    def table(self, tbl: etree._Element, label: str) -> None:
        t = self.t
        cells, _ = table_grid(tbl, t)
        texts: list[str] = []
        pending: list[tuple[GridCell, list, list, list, int]] = []
        for cell in cells:
            parts, boxes, refs, nested = [], [], [], []
            page = None
            for child in _cell_items(cell.tc, t):
                if child.tag == t.tbl:
                    nested.append(child)
                    continue
                rt = paragraph_text(child, t)
                if page is None and rt.text.strip():
                    page = self.page + rt.breaks_before_text
                self.page += rt.breaks
                if rt.text.strip():
                    parts.append(rt.text.strip())
                boxes.extend(rt.textboxes)
                refs.extend(rt.notes)
            texts.append("\n".join(parts))
            pending.append((cell, boxes, refs, nested, page if page is not None else self.page))
        contexts = cell_contexts(cells, texts)
        nested_no = 0
        for (cell, boxes, refs, nested, page), text, context in zip(pending, texts, contexts):
            location = describe_span(label, cell)
            if text:
                self._add(text, location, "table_cell", page, context=context)
            self._refs(refs, location, page)
            self._textboxes(boxes, location, page)
            for inner in nested:
                nested_no += 1
                self.table(inner, f"{label}.{nested_no}")

    def notes(self, root: etree._Element, kind: str) -> None:
        """Footnotes/endnotes in the order the body refers to them (numbered as displayed)."""
        t = self.t
        tag = t.footnote if kind == "footnote" else t.endnote
        by_id = {n.get(t.id, ""): n for n in root.iter(tag) if n.get(t.type) in (None, "normal")}
        order = [nid for (k, nid) in self.note_refs if k == kind and nid in by_id]
        order += [nid for nid in by_id if nid not in order]
        for number, nid in enumerate(order, start=1):
            texts = [paragraph_text(p, t).text.strip() for p in _paragraphs_in(by_id[nid], t)]
            text = "\n".join(x for x in texts if x)
            if not text:
                continue
            where, page = self.note_refs.get((kind, nid), ("", None))
            location = f"{kind} {number}" + (f" (referenced at {where})" if where else " (not referenced)")
            self._add(text, location, "footnote", page)


def _cell_items(tc: etree._Element, t: Tags) -> list[etree._Element]:
    """A cell's paragraphs and nested tables in order, through content controls."""
    out = []
    for child in tc:
        if child.tag in (t.p, t.tbl):
            out.append(child)
        elif child.tag == t.sdt:
            inner = child.find(t.sdtContent)
            if inner is not None:
                out.extend(_cell_items(inner, t))
        elif child.tag == t.customXml:
            out.extend(_cell_items(child, t))
    return out


def _paragraphs_in(el: etree._Element, t: Tags) -> list[etree._Element]:
    """Every w:p of a text box or note in order, including those in its tables."""
    out = []
    for child in el:
        if child.tag == t.p:
            out.append(child)
        elif isinstance(child.tag, str) and child.tag != t.pPr:
            out.extend(_paragraphs_in(child, t))
    return out
