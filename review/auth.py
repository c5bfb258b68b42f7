"""Accounts, passwords and the per-session CSRF token.

Why like this: the reviewers' decisions are the product, so every change must name a
person who proved who they are. Passwords are stored only as argon2id hashes
(argon2-cffi's defaults, re-hashed when those defaults grow). Accounts are never deleted
(the audit log names them), only disabled, and a disabled account loses its sessions at
the next request because every request reloads the user. The session cookie itself is
signed (Starlette's SessionMiddleware) with a secret kept in the database, so sessions
survive a restart of the server, and every POST must echo the session's CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from functools import lru_cache
from typing import Callable, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .db import SettingRow, UserRow, utcnow

ROLES = ("reviewer", "admin")
ROLE_LABELS = {"reviewer": "审核员", "admin": "管理员"}
MIN_PASSWORD = 8


class AccountError(ValueError):
    """A user operation that cannot be done; the message is for people (Chinese)."""


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少{MIN_PASSWORD}个字符")
    return _hasher().hash(password)


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100 or any(ch.isspace() for ch in name):
        raise AccountError("用户名不能为空、不能含空格，最长100个字符")
    return name


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"角色只能是 {' / '.join(ROLES)}")


def add_user(session: Session, name: str, password: str, role: str = "reviewer") -> UserRow:
    name = _check_name(name)
    _check_role(role)
    if session.scalars(select(UserRow).where(func.lower(UserRow.name) == name.lower())).first() is not None:
        raise AccountError(f"用户“{name}”已存在")
    user = UserRow(name=name, password_hash=hash_password(password), role=role, active=True, created=utcnow())
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, name: str) -> UserRow | None:
    return session.scalars(select(UserRow).where(UserRow.name == name.strip())).first()


def list_users(session: Session) -> list[UserRow]:
    return list(session.scalars(select(UserRow).order_by(UserRow.name)))


def set_password(session: Session, name: str, password: str) -> None:
    user = _existing(session, name)
    user.password_hash = hash_password(password)


def set_role(session: Session, name: str, role: str) -> None:
    _check_role(role)
    user = _existing(session, name)
    if user.role == "admin" and role != "admin":
        _keep_one_admin(session, user)
    user.role = role


def set_active(session: Session, name: str, active: bool) -> None:
    user = _existing(session, name)
    if not active and user.role == "admin":
        _keep_one_admin(session, user)
    user.active = active


def _keep_one_admin(session: Session, leaving: UserRow) -> None:
    others = session.scalars(select(UserRow).where(UserRow.role == "admin", UserRow.active,
                                                   UserRow.id != leaving.id)).first()
    if others is None:
        raise AccountError("至少要保留一个启用的管理员")


def _existing(session: Session, name: str) -> UserRow:
    user = get_user(session, name)
    if user is None:
        raise AccountError(f"没有用户“{name}”")
    return user


def authenticate(session: Session, name: str, password: str) -> UserRow | None:
    """The user when the password is right and the account active; None otherwise.

    A wrong name still costs one hash verification, so timing does not tell which
    names exist."""
    from argon2.exceptions import InvalidHashError, VerificationError

    ph = _hasher()
    user = get_user(session, name or "")
    target = user.password_hash if user is not None else _dummy_hash()
    try:
        ph.verify(target, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if ph.check_needs_rehash(user.password_hash):
        user.password_hash = ph.hash(password)
    user.last_login = utcnow()
    return user


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash nobody knows the password of, made once: what a wrong name is checked against."""
    return _hasher().hash(secrets.token_urlsafe(16))


def session_secret(session: Session) -> str:
    """The key that signs session cookies, created once and kept in the database."""
    row = session.get(SettingRow, "session_secret")
    if row is None:
        row = SettingRow(key="session_secret", value=secrets.token_urlsafe(48))
        session.add(row)
        session.flush()
    return row.value


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: Iterable[str | None]) -> bool:
    """Constant-time comparison against every place a token may come from."""
    if not expected:
        return False
    return any(g and hmac.compare_digest(expected, g) for g in given)


class LoginThrottle:
    """Failed logins per account name: after `limit` failures within `window` seconds the
    name is refused (even with the right password) until the oldest failure is `window`
    old. Guessing a reviewer's password by trying thousands is then impractical; the
    price is that someone can lock a name out for a quarter of an hour. Kept in memory:
    the review server is one process, and a restart forgetting the count is harmless."""

    def __init__(self, limit: int = 5, window: float = 900.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(name: str) -> str:
        return (name or "").strip().lower()

    def _recent(self, key: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(key, []) if now - t < self.window]
        if times:
            self._failures[key] = times
        else:
            self._failures.pop(key, None)
        return times

    def wait_seconds(self, name: str) -> float:
        """0 when the name may try; else how long until it may."""
        key, now = self._key(name), self.clock()
        with self._lock:
            times = self._recent(key, now)
            return max(0.0, times[0] + self.window - now) if len(times) >= self.limit else 0.0

    def failed(self, name: str) -> None:
        key, now = self._key(name), self.clock()
        with self._lock:
            self._failures.setdefault(key, []).append(now)
            self._recent(key, now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(self._key(name), None)
