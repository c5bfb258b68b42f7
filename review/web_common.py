"""What every page of the review UI shares: templates, the database session, the user,
flash messages, and the labels people read (Chinese).

Kept apart from the routes so each route module stays small and the security rules
(login, role, CSRF) live in one place: `app.guard`.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from scoring.evidence import fmt
from scoring.render import REASONS

from .db import UserRow
from .queue import left_overall
from .web_sheet import load_rubric

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

STATUS = {"done": "已完成", "planned": "计划"}
# Why the extractor judged a claim done or planned (Claim.status_rule), as clerks read it:
# the rules of extractors/status.py and the plan-word rules of extractors/rules/claims.yml.
STATUS_RULES = {
    "status.plan_section": "计划章节",
    "status.plan_word": "句中有计划词",
    "status.future_jiang": "句中有“将”",
    "status.year_future": "写明今后某年要做",
    "status.target_number": "数字前写明“目标”",
    "status.numbered_demand": "“一要、二要”式的要求",
    "status.restated_target": "数字是年度任务",
    "status.handed_down_target": "数字是上级下达的任务",
    "status.task_number": "数字是任务数",
    "status.after_completion": "写明项目建成后要做",
    "status.request": "通知要求各单位去做",
    "status.proposal": "建议或引用的要求",
    "status.listed_in_plan": "已列入计划或项目，尚待实施",
    "status.target_year": "写明“到某年”要达到",
    "status.earlier_year": "计划章节里写的是往年的实绩",
    "status.plan_opener": "句首是“下一步”等计划时间",
    "status.meeting_decision": "会议议定或领导要求的事项",
    "status.planned_after": "数字后写明计划完成时间",
    "status.planned_after_demand": "数字后有“要”",
    "status.planned_after_remainder": "剩余部分写明期限",
    "status.table_column": "表格的计划列",
    "status.table_header": "表格的计划列",
    "status.done_after": "数字后写明已完成",
    "status.share_of_target": "完成目标的比例",
    "status.default": "句中没有计划词",
}
EVIDENCE_KINDS = {"claim": "报告原文", "plan_task": "年度计划任务", "finding": "检查发现问题",
                  "clean_index": "干净指数", "manual": "人工录入"}


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form, other requests get 401."""


class Forbidden(Exception):
    """Logged in, but not allowed here (a reviewer on an admin page, a bad CSRF token)."""

    def __init__(self, message: str = "没有权限") -> None:
        super().__init__(message)
        self.message = message


def _when(value: Any) -> str:
    """Times are stored in UTC; people read them in the server's local time."""
    if not isinstance(value, datetime):
        if isinstance(value, str) and value:
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return value
        else:
            return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _num(value: Any) -> str:
    return "—" if value is None or value == "" else fmt(value)


def _signed(value: Any) -> str:
    if value is None:
        return "—"
    x = round(float(value), 2)
    return f"{x:+g}" if x else "0"


_LOC = [
    (re.compile(r"page (\d+)"), r"第\1页"), (re.compile(r"paragraph (\d+)"), r"第\1段"),
    (re.compile(r"table (\d+)"), r"表\1"), (re.compile(r"row (\d+)"), r"第\1行"), (re.compile(r"col (\d+)"), r"第\1列"),
    (re.compile(r"header"), "页眉"), (re.compile(r"footer"), "页脚"), (re.compile(r",\s*"), "，"),
]


def _status_reason(rule_id: str | None) -> str:
    """A claim's status rule in words; an unknown rule shows its id, none shows nothing."""
    return STATUS_RULES.get(rule_id or "", rule_id or "")


def _loc(value: str) -> str:
    """The readers' locations ("page 2, table 1, row 3, col 2") as clerks read them."""
    for rx, rep in _LOC:
        value = rx.sub(rep, value or "")
    return value


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(when=_when, num=_num, signed=_signed, loc=_loc, status_reason=_status_reason)
    env.globals.update(REASONS=REASONS, STATUS=STATUS, EVIDENCE_KINDS=EVIDENCE_KINDS)
    return env


def db(request: Request) -> Iterator[Session]:
    """One SQLAlchemy session per request (routes open transactions with `s.begin()`)."""
    with Session(request.app.state.engine) as s:
        yield s


def user_of(request: Request) -> UserRow:
    user = getattr(request.state, "user", None)
    if user is None:
        raise LoginRequired()
    return user


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields (uploads left out)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session["flash"] = [kind, message[:500]]


def item_names(s: Session, rubric: Any = None) -> dict[str, str]:
    """Item id → name in the rubric of the latest run (pass the rubric when it is at hand)."""
    r = rubric if rubric is not None else load_rubric(s)
    return {i.id: i.name for i in r.items.values()}


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page with the shared context: user, CSRF token, flash message, what is left."""
    user = getattr(request.state, "user", None)
    ctx: dict[str, Any] = {
        "request": request, "user": user, "csrf_token": request.session.get("csrf", ""),
        "flash": request.session.pop("flash", None), "left": None, "path": request.url.path,
    }
    if user is not None and "s" in context:
        ctx["left"] = left_overall(context["s"])
    ctx.update(context)
    html = environment().get_template(name).render(**ctx)
    return HTMLResponse(html, status_code=status)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, message: str, status: int, back: str = "/queue", s: Session | None = None,
               extra: dict[str, Any] | None = None) -> HTMLResponse:
    ctx: dict[str, Any] = {"message": message, "back": back, "status": status, "current": None, "item_names": {}}
    if s is not None:
        ctx["s"] = s
    ctx.update(extra or {})
    return render(request, "error.html", ctx, status)


@contextmanager
def transaction(s: Session) -> Iterator[Session]:
    """One write transaction per change; reads made before it (neighbours, rubric) end first."""
    if s.in_transaction():
        s.rollback()
    with s.begin():
        yield s
