"""The evidence a reviewer looks at: the sentence inside its paragraph, and the PDF page.

Why server-side: the claim's span (claims.start/end) points into the exact block text as
read, so the highlight is cut here from that text and every part is HTML-escaped on its
own (report text is untrusted: a "<script>" in a report must show as text). Page images
are rendered once per page with pdftoppm and cached on disk next to the database; the
paragraph box (blocks.bbox, PDF points, top-left origin) is drawn as an SVG rectangle
over the image in the same coordinates, so no scaling arithmetic can drift.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Sequence

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import BlockRow, ClaimRow, DocumentRow

CONTEXT_BLOCKS = 2  # paragraphs shown before and after the claim's own
DPI = 100
_SHA = re.compile(r"^[0-9a-f]{64}$")


def highlight(text: str, start: int, end: int) -> Markup:
    """The block text with text[start:end] in <mark>, each part escaped."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return Markup("{}<mark>{}</mark>{}").format(text[:start], text[start:end], text[end:])


@dataclass
class ClaimView:
    """One claim in its surroundings, ready for the template."""

    claim: ClaimRow
    document: DocumentRow | None
    before: list[BlockRow]
    block: BlockRow | None
    after: list[BlockRow]
    marked: Markup
    bbox: list[float] | None
    superseded_by: str | None = None
    bases: Sequence[Path] = field(default=(), repr=False)

    @property
    def is_pdf(self) -> bool:
        return self.document is not None and self.document.format == "pdf" and self.claim.page is not None

    @cached_property
    def page_size(self) -> tuple[float, float] | None:
        """(width, height) in PDF points when a page image can be shown; read from the
        file only when a page asks for it (the proposal page draws few of its views)."""
        if self.document is None or self.document.format != "pdf" or not self.claim.page:
            return None
        return pdf_page_size(self.document.path, self.claim.page, self.bases)


def claim_view(session: Session, claim_id: str, superseded: dict[str, str] | None = None,
               bases: Sequence[Path] = ()) -> ClaimView | None:
    c = session.get(ClaimRow, claim_id)
    if c is None:
        return None
    doc = session.get(DocumentRow, c.document_sha256)
    lo, hi = c.block - CONTEXT_BLOCKS, c.block + CONTEXT_BLOCKS
    blocks = list(session.scalars(select(BlockRow).where(BlockRow.document_sha256 == c.document_sha256,
                                                         BlockRow.index >= lo, BlockRow.index <= hi)
                                  .order_by(BlockRow.index)))
    own = next((b for b in blocks if b.index == c.block), None)
    marked = highlight(own.text, c.start, c.end) if own is not None else Markup(escape(c.quote))
    return ClaimView(c, doc, [b for b in blocks if b.index < c.block], own, [b for b in blocks if b.index > c.block],
                     marked, list(own.bbox) if own is not None and own.bbox else None,
                     (superseded or {}).get(c.document_sha256), bases)


def resolve(path: str, bases: Sequence[Path] = ()) -> Path | None:
    """documents.path as stored: absolute, or relative to where the run was started (the
    server's folder, or the folder holding .reportscore/ for the default SQLite file)."""
    if not path:
        return None
    p = Path(path)
    if p.is_absolute():
        return p if p.is_file() else None
    for base in (Path.cwd(), *bases):
        if (base / p).is_file():
            return base / p
    return None


def pdf_page_size(path: str, page: int, bases: Sequence[Path] = ()) -> tuple[float, float] | None:
    """(width, height) of a page in PDF points, or None when the file is gone or unreadable."""
    p = resolve(path, bases)
    if p is None:
        return None
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(p))
        try:
            if not 1 <= page <= len(pdf):
                return None
            w, h = pdf[page - 1].get_size()
            return round(w, 2), round(h, 2)
        finally:
            pdf.close()
    except Exception:  # an unreadable file is shown as "no page image", never a server error
        return None


class PageImageError(Exception):
    """Why a page cannot be shown (for the reviewer)."""


def page_image(session: Session, cache_dir: Path, sha: str, page: int, bases: Sequence[Path] = ()) -> Path:
    """The cached PNG of one page at 100 dpi, rendered with pdftoppm on first use."""
    if not _SHA.match(sha):
        raise PageImageError("文件标识无效")
    doc = session.get(DocumentRow, sha)
    if doc is None or doc.format != "pdf":
        raise PageImageError("不是PDF文件")
    if page < 1 or (doc.pages is not None and page > doc.pages):
        raise PageImageError("页码超出范围")
    out = cache_dir / f"{sha}-p{page}.png"
    if out.is_file():
        return out
    src = resolve(doc.path, bases)
    if src is None:
        raise PageImageError(f"原文件已不在：{doc.path or doc.source}")
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".render-") as tmp:
        prefix = Path(tmp) / "page"
        try:
            subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                            str(src), str(prefix)], check=True, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as e:
            raise PageImageError(f"页面渲染失败：{e}") from e
        made = prefix.with_suffix(".png")
        if not made.is_file():
            raise PageImageError("页面渲染失败：没有生成图片")
        os.replace(made, out)  # atomic: concurrent requests never see half a file
    return out
