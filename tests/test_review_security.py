"""Security of the review UI: login everywhere, CSRF on every change, report text is
text, reviewers stay out of admin pages, cookies are HttpOnly and SameSite."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review.db import AuditRow, UserRow
from review.store import engine_for
from tests.test_review_support import (  # noqa: F401  (db_url is a fixture)
    PASSWORD, Client, add_user, csrf_of, db_url, proposals, rugao_report, run_pipeline, sample_files,
)

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")

QUERY = {"/proposal": "?key=x", "/page-image": "?sha=" + "0" * 64 + "&page=1", "/sheet/unit": "?unit=x"}


@pytest.fixture
def site(db_url, tmp_path):
    from review.app import create_app

    run_pipeline(db_url, sample_files("如东县") + [rugao_report(tmp_path / "in")])
    add_user(db_url, "admin", "admin")
    add_user(db_url, "clerk", "reviewer")
    return db_url, create_app(db_url)


def _routes(app) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, including those of included routers."""
    out = []
    for r in app.routes:
        if isinstance(r, APIRoute):
            out += [(m, r.path) for m in sorted(r.methods)]
        elif hasattr(r, "effective_route_contexts"):  # FastAPI ≥ 0.150 wraps included routers
            out += [(m, c.path) for c in r.effective_route_contexts() for m in sorted(c.methods or ())]
        elif hasattr(r, "routes") and not hasattr(r, "app"):
            out += [(m, x.path) for x in r.routes if isinstance(x, APIRoute) for m in sorted(x.methods)]
    paths = {p for _, p in out}
    assert {"/queue", "/proposal", "/decide", "/undo", "/sheet", "/sheet.csv", "/admin/users", "/admin/inputs",
            "/page-image", "/manual", "/orphans", "/history"} <= paths, paths
    return out


def _audit_count(url: str) -> int:
    with Session(engine_for(url)) as s:
        return s.scalar(select(func.count()).select_from(AuditRow)) or 0


def test_every_route_needs_a_login(site):
    from fastapi.testclient import TestClient

    url, app = site
    anon = TestClient(app)
    token = csrf_of(anon.get("/login").text)  # an anonymous session with a valid token
    for method, path in _routes(app):
        if path == "/login":
            continue
        target = path + QUERY.get(path, "")
        if method == "GET":
            r = anon.get(target, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), (path, r.status_code)
        else:
            r = anon.request(method, target, data={"csrf_token": token, "key": "x", "action": "confirm",
                                                   "version": "0"}, follow_redirects=False)
            assert r.status_code == 401, (method, path, r.status_code)
    assert _audit_count(url) == 3  # only the three input uploads of the fixture


def test_post_without_csrf_token_is_refused(site):
    url, app = site
    admin = Client(app, "admin")
    p = proposals(url, kind="occurrence")[0]
    before = _audit_count(url)
    for method, path in _routes(app):
        if method != "POST":
            continue
        for token in (None, "forged-token"):
            data = {"key": p.key, "action": "confirm", "version": "0", "op": "add", "name": "mallory",
                    "password": "x" * 12, "kind": "plan_tasks"}
            if token:
                data["csrf_token"] = token
            r = admin.http.post(path, data=data, follow_redirects=False)
            assert r.status_code == 403, (path, token, r.status_code)
            assert "CSRF" in r.text
    assert _audit_count(url) == before
    with Session(engine_for(url)) as s:
        assert s.scalars(select(UserRow).where(UserRow.name == "mallory")).first() is None
    # the same change with the session's token (form field or header) goes through
    assert admin.decide(p.key, "confirm", 0).status_code == 303
    r = admin.http.post("/undo", headers={"X-CSRF-Token": admin.csrf}, follow_redirects=False)
    assert r.status_code == 303 and _audit_count(url) == before + 2


def test_report_text_with_script_is_shown_as_text(site):
    url, app = site
    clerk = Client(app, "clerk")
    case = next(p for p in proposals(url, unit="如皋市", item="innovation.case_adopted"))
    for page in (f"/proposal?key={case.key}", "/queue?unit=如皋市&state=all", "/sheet/unit?unit=如皋市",
                 "/queue?kind=unscored&unit=如皋市"):
        html = clerk.get(page).text
        assert "<script>alert" not in html, page
    html = clerk.get(f"/proposal?key={case.key}").text
    assert "&lt;script&gt;alert(" in html
    r = clerk.get("/queue")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"


def test_reviewer_cannot_reach_admin_pages(site):
    url, app = site
    clerk = Client(app, "clerk")
    for path in ("/admin/users", "/admin/inputs"):
        assert clerk.get(path).status_code == 403
    r = clerk.post("/admin/users", {"op": "add", "name": "mallory", "password": "x" * 12, "role": "admin"})
    assert r.status_code == 403
    r = clerk.post("/admin/recompute")
    assert r.status_code == 403
    assert "/admin/users" not in clerk.get("/queue").text  # no admin menu either
    with Session(engine_for(url)) as s:
        assert s.scalars(select(UserRow).where(UserRow.name == "mallory")).first() is None
    admin = Client(app, "admin")
    assert admin.get("/admin/users").status_code == 200


def test_login_sessions_and_cookies(site):
    from fastapi.testclient import TestClient

    url, app = site
    anon = TestClient(app)
    page = anon.get("/login")
    bad = anon.post("/login", data={"name": "clerk", "password": "wrong password", "csrf_token": csrf_of(page.text)},
                    follow_redirects=False)
    assert bad.status_code == 401 and "用户名或密码错误" in bad.text
    assert anon.get("/queue", follow_redirects=False).status_code == 303
    good = anon.post("/login", data={"name": "clerk", "password": PASSWORD, "csrf_token": csrf_of(page.text),
                                     "next": "https://evil.example/steal"}, follow_redirects=False)
    assert good.status_code == 303 and good.headers["location"] == "/queue"  # no open redirect
    cookie = good.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    with Session(engine_for(url)) as s:
        assert s.scalars(select(UserRow).where(UserRow.name == "clerk")).one().password_hash.startswith("$argon2id$")
    assert anon.get("/queue").status_code == 200
    # an admin disables the account: its session ends at the next request
    admin = Client(app, "admin")
    assert admin.post("/admin/users", {"op": "disable", "name": "clerk"}).status_code == 303
    assert anon.get("/queue", follow_redirects=False).status_code == 303
    assert admin.post("/admin/users", {"op": "enable", "name": "clerk"}).status_code == 303
    # a new password ends sessions made with the old one
    clerk = Client(app, "clerk")
    assert admin.post("/admin/users", {"op": "password", "name": "clerk", "password": "another password"}).status_code == 303
    assert clerk.get("/queue", follow_redirects=False).status_code == 303
    # logout clears the session
    clerk = Client(app, "clerk", "another password")
    assert clerk.post("/logout").status_code == 303
    assert clerk.get("/queue", follow_redirects=False).status_code == 303


def test_repeated_failed_logins_lock_the_name_for_a_while(db_url):
    """Five wrong passwords for one name: the sixth try is refused even with the right
    password, other names are not affected, and the name may try again once the window
    has passed (a fake clock stands in for the quarter of an hour)."""
    from fastapi.testclient import TestClient

    from review.app import create_app
    from review.auth import LoginThrottle

    add_user(db_url, "clerk", "reviewer")
    add_user(db_url, "other", "reviewer")
    now = [1000.0]
    app = create_app(db_url, throttle=LoginThrottle(limit=5, window=900, clock=lambda: now[0]))
    anon = TestClient(app)

    def attempt(name: str, password: str):
        token = csrf_of(anon.get("/login").text)
        return anon.post("/login", data={"name": name, "password": password, "csrf_token": token},
                         follow_redirects=False)

    for _ in range(5):
        assert attempt("clerk", "wrong password").status_code == 401
    locked = attempt("Clerk", PASSWORD)
    assert locked.status_code == 429 and "登录失败次数过多" in locked.text
    assert attempt("other", PASSWORD).status_code == 303  # only the attacked name is locked
    anon.post("/logout", data={"csrf_token": csrf_of(anon.get("/queue").text)})
    now[0] += 901
    assert attempt("clerk", PASSWORD).status_code == 303
