"""Admin pages: accounts and the input tables (upload, withdraw, recompute).

Only admins reach /admin/… (checked in app.guard). An upload is parsed before it is
stored, so a bad row is an error message, not a broken score; storing it recomputes
the proposals from the database at once, and the upload is in the audit log.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from . import auth
from .proposals import rescore
from .web_common import db, flash, form_fields, redirect, render, transaction, user_of
from .web_inputs import KINDS, LABELS, InputFileError, active_files, history, store_file, withdraw
from .web_sheet import load_rubric

router = APIRouter(prefix="/admin")


def _users_page(request: Request, s: Session, error: str | None = None, status: int = 200):
    return render(request, "admin_users.html", {"s": s, "users": auth.list_users(s), "roles": auth.ROLE_LABELS,
                                                "error": error}, status)


def _inputs_page(request: Request, s: Session, error: str | None = None, status: int = 200):
    return render(request, "admin_inputs.html", {"s": s, "active": active_files(s), "history": history(s),
                                                 "kinds": KINDS, "labels": LABELS, "error": error}, status)


@router.get("/users")
def users_page(request: Request, s: Session = Depends(db)):
    return _users_page(request, s)


@router.post("/users")
async def users_change(request: Request, s: Session = Depends(db)):
    form = await form_fields(request)

    def work():
        op, name = form.get("op", ""), form.get("name", "")
        try:
            with transaction(s):
                if op == "add":
                    auth.add_user(s, name, form.get("password", ""), form.get("role", "reviewer"))
                    msg = f"已添加用户 {name}"
                elif op == "role":
                    auth.set_role(s, name, form.get("role", ""))
                    msg = f"已修改 {name} 的角色"
                elif op == "password":
                    auth.set_password(s, name, form.get("password", ""))
                    msg = f"已重设 {name} 的密码"
                elif op in ("disable", "enable"):
                    auth.set_active(s, name, op == "enable")
                    msg = f"已{'启用' if op == 'enable' else '停用'} {name}"
                else:
                    raise auth.AccountError("未知操作")
        except auth.AccountError as e:
            s.rollback()
            return _users_page(request, s, str(e), 400)
        flash(request, msg)
        return redirect("/admin/users")

    return await run_in_threadpool(work)


@router.get("/inputs")
def inputs_page(request: Request, s: Session = Depends(db)):
    return _inputs_page(request, s)


@router.post("/inputs")
async def inputs_upload(request: Request, s: Session = Depends(db)):
    form = await request.form()
    kind = str(form.get("kind") or "")
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        filename, content = "", b""
    else:
        filename, content = upload.filename or "", await upload.read()

    def work():
        user = user_of(request)
        try:
            with transaction(s):
                row = store_file(s, kind, filename, content, user.name, load_rubric(s))
                rescore(s)
        except InputFileError as e:
            s.rollback()
            return _inputs_page(request, s, str(e), 400)
        flash(request, f"已上传{LABELS.get(kind, kind)}：{row.filename}，建议已重新计算")
        return redirect("/admin/inputs")

    return await run_in_threadpool(work)


@router.post("/inputs/withdraw")
async def inputs_withdraw(request: Request, s: Session = Depends(db)):
    form = await request.form()
    kind = str(form.get("kind") or "")

    def work():
        with transaction(s):
            withdraw(s, kind, user_of(request).name)
            rescore(s)
        flash(request, f"已停用{LABELS.get(kind, kind)}，建议已重新计算")
        return redirect("/admin/inputs")

    return await run_in_threadpool(work)


@router.post("/recompute")
async def recompute(request: Request, s: Session = Depends(db)):
    def work():
        with transaction(s):
            rescore(s)
        flash(request, "已按数据库中的报告、输入表重新计算建议；所有审核决定保留")
        return redirect("/admin/inputs")

    return await run_in_threadpool(work)
