"""Queue pages and the decision endpoints (confirm, reject, edit, move, correct, undo, manual).

Every change is one POST that runs one transaction through review.decisions; a
Conflict (somebody decided first) rolls it back and shows the first decision instead.
After confirming or rejecting, the reviewer lands on the next proposal of the same
filtered queue, so the keyboard flow a → x → e → j/k never leaves the page type.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from . import decisions as D
from . import queue as Q
from .db import ClaimRow, DecisionLinkRow, DecisionRow, ProposalRow
from .web_common import db, error_page, flash, form_fields, item_names, redirect, render, transaction, user_of
from .web_evidence import claim_view
from .web_sheet import load_rubric, superseded

router = APIRouter()


def _proposal_url(key: str, f: Q.Filters) -> str:
    return "/proposal?" + urlencode({"key": key, **f.params()})


@router.get("/queue")
def queue_page(request: Request, page: int = 1, s: Session = Depends(db)):
    f = Q.Filters.from_params(request.query_params)
    rows, total = Q.page(s, f, page)
    decided = {d.key: d for d in s.scalars(select(DecisionRow).where(DecisionRow.key.in_([r.key for r in rows])))}
    pages = max(1, (total + Q.PAGE_SIZE - 1) // Q.PAGE_SIZE)
    return render(request, "queue.html", {
        "s": s, "rows": rows, "total": total, "page": page, "pages": pages, "f": f, "counts": Q.counts(s, f),
        "options": Q.options(s), "states": Q.STATES, "kinds": Q.KINDS, "item_names": item_names(s),
        "decided": decided, "url": _proposal_url, "state_labels": D.STATE_LABELS,
    })


def _rereview(s: Session, p: ProposalRow) -> list[dict]:
    """The old decisions this proposal should be checked against, with what they were about."""
    out = []
    for key in p.rereview_of or []:
        d = s.get(DecisionRow, key)
        if d is None:
            continue
        old = s.get(ProposalRow, key)
        out.append({"key": key, "decision": d, "basis": d.basis or {}, "old": old})
    return out


@router.get("/proposal")
def proposal_page(request: Request, key: str, s: Session = Depends(db)):
    f = Q.Filters.from_params(request.query_params)
    p = s.get(ProposalRow, key)
    if p is None:
        return error_page(request, f"没有这条建议：{key}", 404, s=s)
    old_docs = superseded(s)
    d = s.get(DecisionRow, key)
    views, evid_decisions = [], {}
    for e in p.evidence:
        v = claim_view(s, e["id"], old_docs, request.app.state.bases) if e["kind"] == "claim" else None
        views.append((e, v))
        if v is not None and e["id"] != key:
            evid_decisions[e["id"]] = s.get(DecisionRow, e["id"])
    prev_key, next_key = Q.neighbours(s, f, key)
    rubric = load_rubric(s)
    changed = bool(d and d.state and (d.basis or {}).get("fingerprint") not in (None, "", p.fingerprint)
                   and p.kind == "occurrence")
    link = s.get(DecisionLinkRow, key)
    return render(request, "proposal.html", {
        "s": s, "p": p, "d": d, "version": d.version if d else 0, "views": views, "evid_decisions": evid_decisions,
        "history": D.history(s, key), "f": f, "prev_url": _proposal_url(prev_key, f) if prev_key else "",
        "next_url": _proposal_url(next_key, f) if next_key else "", "rereview": _rereview(s, p),
        "item_names": item_names(s, rubric), "items": list(rubric.items.values()), "changed": changed,
        "state_labels": D.STATE_LABELS, "action_labels": D.ACTION_LABELS, "filter_fields": f.params(),
        "link": link, "claim": s.get(ClaimRow, key) if p.kind != "manual" else None,
    })


def _filters(form: dict[str, str]) -> Q.Filters:
    return Q.Filters.from_params({k[2:]: v for k, v in form.items() if k.startswith("f_")})


def _version(raw: str | None) -> int:
    try:
        return int(raw or "0")
    except ValueError:
        return -1


def _conflict_page(request: Request, s: Session, exc: D.Conflict, back: str):
    s.rollback()
    return error_page(request, exc.message, 409, back=back, s=s,
                      extra={"current": D.snapshot(s.get(DecisionRow, exc.key)), "state_labels": D.STATE_LABELS})


@router.post("/decide")
async def decide(request: Request, s: Session = Depends(db)):
    form = await form_fields(request)
    return await run_in_threadpool(_decide_sync, request, s, form)


def _decide_sync(request: Request, s: Session, form: dict[str, str]):
    user = user_of(request)
    f = _filters(form)
    key = form.get("key", "")
    back = form.get("back") or key
    action = form.get("action", "")
    back_url = _proposal_url(back, f)
    advance = action in ("confirm", "reject", "adopt") and key == back  # then go on to the next proposal
    next_key = Q.neighbours(s, f, back)[1] if advance else None  # its place before the decision moves it
    try:
        with transaction(s):
            if action == "undo":
                out = D.undo(s, user.name, key, _version(form.get("version")))
            elif action == "adopt":
                out = D.adopt(s, key, form.get("source", ""), user.name, _version(form.get("version")))
            else:
                out = D.decide(s, key, action, user.name, _version(form.get("version")), form,
                               set(load_rubric(s).items), fingerprint=form.get("fingerprint") or None)
    except D.Conflict as exc:
        return _conflict_page(request, s, exc, back_url)
    except D.DecisionError as exc:
        s.rollback()
        return error_page(request, exc.message, 404 if exc.code == "not_found" else 400, back=back_url, s=s)
    label = D.ACTION_LABELS.get(action, action)
    flash(request, f"已{label}：{key}（第{out.version}版）")
    if advance and next_key and next_key != key:
        return redirect(_proposal_url(next_key, f))
    return redirect(back_url)


@router.post("/undo")
async def undo_last(request: Request, s: Session = Depends(db)):
    """The `u` key: undo my own latest change, wherever it was."""
    form = await form_fields(request)
    f = _filters(form)

    def work():
        user = user_of(request)
        try:
            with transaction(s):
                out = D.undo(s, user.name)
        except D.Conflict as exc:
            return _conflict_page(request, s, exc, _proposal_url(exc.key, f))
        except D.DecisionError as exc:
            s.rollback()
            return error_page(request, exc.message, 400, back=form.get("back_url") or "/queue", s=s)
        flash(request, f"已撤销：{out.key}（第{out.version}版）")
        target = out.key if s.get(ProposalRow, out.key) is not None else form.get("back") or ""
        return redirect(_proposal_url(target, f) if target else "/queue")

    return await run_in_threadpool(work)


def _manual_page(request: Request, s: Session, units, rubric, unit: str, item: str, error: str | None = None,
                 status: int = 200):
    return render(request, "manual.html", {"s": s, "units": sorted(units), "items": list(rubric.items.values()),
                                           "unit": unit, "item": item, "error": error}, status)


@router.get("/manual")
def manual_form(request: Request, unit: str = "", item: str = "", s: Session = Depends(db)):
    return _manual_page(request, s, Q.options(s)["unit"], load_rubric(s), unit, item)


@router.post("/manual")
async def manual_add(request: Request, s: Session = Depends(db)):
    form = await form_fields(request)

    def work():
        user = user_of(request)
        units = set(Q.options(s)["unit"])
        rubric = load_rubric(s)
        try:
            with transaction(s):
                out = D.add_manual(s, form.get("unit", ""), form.get("item", ""), form.get("points", ""),
                                   form.get("note", ""), user.name, units, set(rubric.items))
        except D.DecisionError as exc:
            s.rollback()
            return _manual_page(request, s, units, rubric, form.get("unit", ""), form.get("item", ""), exc.message, 400)
        flash(request, f"已添加人工加减分：{out.key}")
        return redirect(_proposal_url(out.key, Q.Filters()))

    return await run_in_threadpool(work)
