"""The review web application: FastAPI, server-rendered Jinja2 pages, a little plain JS.

Security lives in one guard that runs before every route (FastAPI app dependency):
- every route but the login form needs a logged-in, active user (reloaded per request);
- every request that is not GET/HEAD must carry the session's CSRF token (form field
  `csrf_token` or header `X-CSRF-Token`), the login form included;
- /admin/… is for admins only.
Session cookies are signed, HttpOnly and SameSite=Lax (Secure with --secure-cookies);
responses carry a Content-Security-Policy without inline script, so even text that
slipped through escaping could not run.

    app = create_app("sqlite:///…/reportscore.db")   # uvicorn.run(app) or TestClient(app)
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote, urlparse

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware

from . import auth
from .db import UserRow
from .store import engine_for, sqlite_path
from .web_common import STATIC, Forbidden, LoginRequired, db, error_page, redirect, render, transaction

PUBLIC = {("GET", "/login"), ("POST", "/login")}
SESSION_HOURS = 12
CSP = ("default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def _sqlite_folder(url: str) -> Path | None:
    """The folder of a SQLite database file; None for a server database or :memory:."""
    path = sqlite_path(url)
    return None if path is None else path.resolve().parent


def default_cache_dir(url: str) -> Path:
    """Page images next to the SQLite file; for a server database under ./.reportscore/."""
    folder = _sqlite_folder(url)
    return (folder if folder is not None else Path.cwd() / ".reportscore") / "page-images"


def session_version(user: UserRow) -> str:
    """Changes with the password, so a new password ends every older session."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def base_dirs(url: str) -> tuple[Path, ...]:
    """Where relative document paths may start: for a SQLite file in a .reportscore/
    folder, the folder the run was started in (its parent)."""
    folder = _sqlite_folder(url)
    if folder is None:
        return ()
    return (folder.parent, folder) if folder.name == ".reportscore" else (folder,)


def _load_user(request: Request) -> UserRow | None:
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    with Session(request.app.state.engine, expire_on_commit=False) as s:
        user = s.get(UserRow, uid)
        if user is None or not user.active or request.session.get("sv") != session_version(user):
            return None
        s.expunge(user)
        return user


async def guard(request: Request) -> None:
    """Login, role and CSRF checks for every route (see the module docstring)."""
    if request.method not in ("GET", "HEAD"):
        given = [request.headers.get("x-csrf-token")]
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            token = form.get("csrf_token")
            given.append(token if isinstance(token, str) else None)
        if not auth.csrf_matches(request.session.get("csrf"), given):
            raise Forbidden("请求缺少有效的CSRF令牌，已拒绝。请刷新页面后重试。")
    if (request.method, request.url.path) in PUBLIC:
        return
    user = await run_in_threadpool(_load_user, request)
    if user is None:
        raise LoginRequired()
    if request.url.path.startswith("/admin") and user.role != "admin":
        raise Forbidden("只有管理员可以访问此页面")
    request.state.user = user


def _safe_next(target: str | None) -> str:
    """Only local paths after login (no open redirect)."""
    if not target:
        return "/queue"
    u = urlparse(target)
    if u.scheme or u.netloc or not target.startswith("/") or target.startswith("//"):
        return "/queue"
    return target


def create_app(url: str, *, secure_cookies: bool = False, cache_dir: Path | None = None,
               throttle: auth.LoginThrottle | None = None) -> FastAPI:
    """The app for one database URL (migrated on first use)."""
    engine = engine_for(url)
    with Session(engine) as s, s.begin():
        secret = auth.session_secret(s)
    app = FastAPI(title="reportscore 审核", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(guard)])
    app.state.engine = engine
    app.state.url = url
    app.state.cache_dir = cache_dir or default_cache_dir(url)
    app.state.bases = base_dirs(url)
    logins = throttle or auth.LoginThrottle()

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if request.url.path != "/static" and not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie="rs_session",
                       max_age=SESSION_HOURS * 3600, same_site="lax", https_only=secure_cookies)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return redirect(f"/login?next={quote(target)}")
        return JSONResponse({"error": "login required"}, status_code=401)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return error_page(request, exc.message, 403)

    @app.get("/login")
    def login_form(request: Request, next: str = "/queue"):
        request.session.setdefault("csrf", auth.new_csrf_token())
        return render(request, "login.html", {"next": _safe_next(next), "error": None})

    @app.post("/login")
    def login(request: Request, name: str = Form(""), password: str = Form(""), next: str = Form("/queue"),
              s: Session = Depends(db)):
        wait = logins.wait_seconds(name)
        if wait:
            return render(request, "login.html", {"next": _safe_next(next), "error": f"登录失败次数过多，请{int(wait // 60) + 1}分钟后再试"}, 429)
        with transaction(s):
            user = auth.authenticate(s, name, password)
            if user is not None:
                uid, sv = user.id, session_version(user)
        if user is None:
            logins.failed(name)
            return render(request, "login.html", {"next": _safe_next(next), "error": "用户名或密码错误，或账号已停用"}, 401)
        logins.succeeded(name)
        request.session.clear()
        request.session.update(uid=uid, sv=sv, csrf=auth.new_csrf_token())
        return redirect(_safe_next(next))

    @app.post("/logout")
    def logout(request: Request):
        request.session.clear()
        request.session["csrf"] = auth.new_csrf_token()
        return redirect("/login")

    @app.get("/")
    def home():
        return redirect("/queue")

    from . import web_admin, web_queue, web_views

    app.include_router(web_queue.router)
    app.include_router(web_views.router)
    app.include_router(web_admin.router)
    return app
