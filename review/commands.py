"""Subcommands of the review layer (`reportscore review`, `users`), registered by the CLI.

Nothing heavy is imported at module level: the CLI imports this module for `--help`.
"""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    """Add this layer's subcommands to the `reportscore` parser."""
    r = sub.add_parser("review", help="serve the review queue in a browser (log in with an account from `users add`)")
    r.add_argument("--db", help="database URL (default: SQLite file ./.reportscore/reportscore.db, or $REPORTSCORE_DB)")
    r.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: the whole office network)")
    r.add_argument("--port", type=int, default=8000)
    r.add_argument("--secure-cookies", action="store_true", help="mark session cookies Secure (behind HTTPS only)")
    r.add_argument("--cache", help="folder for rendered PDF pages (default: next to the SQLite file)")
    r.set_defaults(func=cmd_review)

    u = sub.add_parser("users", help="manage review accounts (passwords are read from stdin)")
    u.add_argument("--db", help="database URL (default as for `review`)")
    usub = u.add_subparsers(dest="users_command", required=True)

    def users_cmd(name: str, help: str, func, **defaults) -> argparse.ArgumentParser:
        """A `users` subcommand; `--db` is accepted after it too (`users add NAME --db URL`)."""
        p = usub.add_parser(name, help=help)
        p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)
        p.set_defaults(func=func, **defaults)
        return p

    a = users_cmd("add", "add an account; the password is read from stdin", cmd_users_add)
    a.add_argument("name")
    a.add_argument("--role", choices=["reviewer", "admin"], default="reviewer")
    users_cmd("passwd", "set a new password (read from stdin)", cmd_users_passwd).add_argument("name")
    for name, active in (("disable", False), ("enable", True)):
        users_cmd(name, f"{name} an account (accounts are never deleted)", cmd_users_active,
                  active=active).add_argument("name")
    ro = users_cmd("role", "change an account's role", cmd_users_role)
    ro.add_argument("name")
    ro.add_argument("role", choices=["reviewer", "admin"])
    users_cmd("list", "list accounts", cmd_users_list)


def _url(args: argparse.Namespace) -> str:
    from review.store import default_url

    return getattr(args, "db_sub", None) or args.db or default_url()


def read_password(prompt: str = "Password: ") -> str:
    """From a terminal: asked twice without echo; from a pipe: the first line of stdin."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(prompt)
        if getpass.getpass("Again: ") != first:
            raise SystemExit("error: the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _with_session(url: str, work, done: str = "") -> int:
    """Run `work(session)` in one transaction; print `done` (with the database) after it."""
    from sqlalchemy.orm import Session

    from review.auth import AccountError
    from review.store import describe_url, engine_for

    try:
        with Session(engine_for(url)) as s, s.begin():
            work(s)
    except AccountError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if done:
        print(f"{done} ({describe_url(url)})")
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    from review import auth

    password = read_password()
    return _with_session(_url(args), lambda s: auth.add_user(s, args.name, password, args.role),
                         f"user {args.name} added as {args.role}")


def cmd_users_passwd(args: argparse.Namespace) -> int:
    from review import auth

    password = read_password("New password: ")
    return _with_session(_url(args), lambda s: auth.set_password(s, args.name, password),
                         f"password of {args.name} changed")


def cmd_users_active(args: argparse.Namespace) -> int:
    from review import auth

    return _with_session(_url(args), lambda s: auth.set_active(s, args.name, args.active),
                         f"user {args.name} {'enabled' if args.active else 'disabled'}")


def cmd_users_role(args: argparse.Namespace) -> int:
    from review import auth

    return _with_session(_url(args), lambda s: auth.set_role(s, args.name, args.role),
                         f"user {args.name} is now {args.role}")


def cmd_users_list(args: argparse.Namespace) -> int:
    from review import auth

    def work(s) -> None:
        for u in auth.list_users(s):
            print(f"{u.name}\t{u.role}\t{'active' if u.active else 'disabled'}")

    return _with_session(_url(args), work)


def cmd_review(args: argparse.Namespace) -> int:
    from pathlib import Path

    import uvicorn
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from review.app import create_app
    from review.db import UserRow
    from review.store import describe_url, engine_for

    url = _url(args)
    with Session(engine_for(url)) as s:
        users = s.scalar(select(func.count()).select_from(UserRow).where(UserRow.active)) or 0
    if not users:
        print("error: no account yet; create one first:  reportscore users add NAME --role admin", file=sys.stderr)
        return 2
    app = create_app(url, secure_cookies=args.secure_cookies, cache_dir=Path(args.cache) if args.cache else None)
    print(f"reportscore review: {describe_url(url)} on http://{args.host}:{args.port}/  (Ctrl+C stops)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
