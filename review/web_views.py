"""Read-only pages: the score sheet (and its CSV), decisions whose proposal is gone, the
audit log, and PDF page images.

The score sheet is recomputed on every view with scoring.build_draft and the decisions
as they are at that moment, so it can never disagree with the queue.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import decisions as D
from .db import DecisionLinkRow, DecisionRow, ProposalRow
from .web_common import db, error_page, item_names, render
from .web_evidence import PageImageError, page_image
from .web_sheet import confirmed_points, csv_text, get_setting, sheet

router = APIRouter()


@router.get("/sheet")
def sheet_page(request: Request, s: Session = Depends(db)):
    rows, draft = sheet(s)
    return render(request, "sheet.html", {"s": s, "rows": rows, "sections": [n for _, n in draft.sections],
                                          "warning": get_setting(s, "inputs_warning")})


@router.get("/sheet/unit")
def sheet_unit(request: Request, unit: str, s: Session = Depends(db)):
    rows, draft = sheet(s)
    row = next((r for r in rows if r.unit == unit), None)
    if row is None:
        return error_page(request, f"评分表中没有单位“{unit}”", 404, back="/sheet", s=s)
    keys = {o.key for ln in row.score.items for o in ln.occurrences}
    known = set(s.scalars(select(ProposalRow.key).where(ProposalRow.key.in_(keys)))) if keys else set()
    return render(request, "sheet_unit.html", {"s": s, "row": row, "confirmed_points": confirmed_points,
                                               "known": known, "item_names": item_names(s)})


@router.get("/sheet.csv")
def sheet_csv(s: Session = Depends(db)):
    body = csv_text(s).encode("utf-8")
    name = quote("评分表.csv")
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=sheet.csv; filename*=UTF-8''{name}"})


@router.get("/orphans")
def orphans(request: Request, s: Session = Depends(db)):
    """Decisions whose key no draft has any more: kept, shown, matched to new proposals."""
    links = list(s.scalars(select(DecisionLinkRow).where(DecisionLinkRow.attached_to.is_(None))))
    rows = []
    for link in links:
        d = s.get(DecisionRow, link.key)
        if d is None:
            continue
        succ = [s.get(ProposalRow, k) for k in link.successors or []]
        rows.append({"link": link, "d": d, "basis": d.basis or {}, "successors": [p for p in succ if p is not None]})
    return render(request, "orphans.html", {"s": s, "rows": rows, "state_labels": D.STATE_LABELS,
                                            "item_names": item_names(s)})


@router.get("/history")
def history_page(request: Request, user: str = "", s: Session = Depends(db)):
    return render(request, "history.html", {"s": s, "rows": D.recent(s, 300, user or None), "action_labels": D.ACTION_LABELS,
                                            "who": user, "state_labels": D.STATE_LABELS})


@router.get("/page-image")
def page_image_route(request: Request, sha: str, page: int, s: Session = Depends(db)):
    try:
        path = page_image(s, request.app.state.cache_dir, sha, page, request.app.state.bases)
    except PageImageError as e:
        return Response(e.args[0], status_code=404, media_type="text/plain; charset=utf-8")
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})
