"""Queue page render time with 10,000 proposals, through the real app (issue 6).

Usage: .venv/bin/python bench/bench_queue.py [--n 10000] [--repeat 20] [--db URL]
Without --db a fresh SQLite file in a temporary folder is used; with a PostgreSQL URL
the tables of that database are filled (use an empty database). Proposals are inserted
directly (10 units × 12 items × 4 periods, a fifth of them decided, evidence of three
quotes each), then a logged-in Starlette TestClient requests full HTML pages: the first
page of the queue, a filtered page (unit + item + state), a proposal page with its
next/previous links, and the counts the header shows on every page.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = ["崇川区", "通州区", "海门区", "海安市", "如皋市", "如东县", "启东市", "南通经济技术开发区", "苏锡通科技产业园区", "通州湾示范区"]
ITEMS = ["construction.transfer_station", "construction.bin_point", "construction.toilet", "construction.sorting",
         "construction.rules", "service", "innovation.case_adopted", "innovation.clean_action", "innovation.reform",
         "innovation.new_tech", "safety.informatization", "safety.incident"]
PERIODS = ["2024-05/06", "2024-07/08", "2024-09/10", "2024-annual"]


def fill(url: str, n: int, seed: int = 7) -> None:
    from sqlalchemy.orm import Session

    from review import auth
    from review.db import DecisionRow, ProposalRow, utcnow
    from review.store import engine_for

    rnd = random.Random(seed)
    eng = engine_for(url)
    with Session(eng) as s, s.begin():
        auth.add_user(s, "bench", "bench password", "admin")
        now = utcnow()
        rows, decisions = [], []
        for i in range(n):
            unit, item, period = rnd.choice(UNITS), rnd.choice(ITEMS), rnd.choice(PERIODS)
            pts = round(rnd.uniform(-7, 20), 1)
            key = f"{rnd.getrandbits(64):016x}:{i}:10-14:0"
            evidence = [{"id": f"{rnd.getrandbits(64):016x}:{j}:0-4:0", "kind": "claim", "document": f"{unit}_{period}.docx",
                         "page": None, "quote": f"今年以来，累计新建公厕{rnd.randint(1, 40)}座、改造提升公厕{rnd.randint(1, 40)}座。"}
                        for j in range(3)]
            state = "open"
            if rnd.random() < 0.2:
                state = rnd.choice(["confirmed", "rejected"])
                decisions.append(DecisionRow(key=key, state=state, points=pts if state == "confirmed" else None,
                                             reason="" if state == "confirmed" else "证据不足", version=1,
                                             decided_by="bench", decided_at=now))
            gap = rnd.uniform(0, 5)
            rows.append(ProposalRow(
                key=key, kind="occurrence" if rnd.random() < 0.7 else "unscored", unit=unit, item=item, period=period,
                rule_id="rule", rule_text="每有一项未完成扣7分", points=pts, range_lo=min(pts, -7.0), range_hi=max(pts, 0.0),
                detail=f"{unit}{item}：已证实{rnd.randint(1, 30)}座", reason="unmapped", evidence=evidence, flags=[],
                claim_id=key, document_sha256=None, subject="公厕", value=float(rnd.randint(1, 40)), measure="座",
                confidence=round(rnd.uniform(0.3, 1.0), 3), effect=abs(pts), gap=round(gap, 2),
                priority=round(abs(pts) / (gap + 1), 4), fingerprint=f"{i:032x}", state=state, active=rnd.random() > 0.05,
                rereview_of=[], first_run=1, last_run=1, updated=now))
        s.add_all(rows)
        s.add_all(decisions)


def timed(client, path: str, repeat: int) -> tuple[float, float, int]:
    client.get(path)  # warm-up (template compile, caches)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(path)
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200, (path, r.status_code)
    return statistics.median(times) * 1000, max(times) * 1000, len(r.content)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore")
    tmp = tempfile.TemporaryDirectory(prefix="bench-queue-")
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.db'}"

    t0 = time.perf_counter()
    fill(url, args.n)
    fill_s = time.perf_counter() - t0

    import re

    from fastapi.testclient import TestClient
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from review.app import create_app
    from review.db import ProposalRow
    from review.store import describe_url, engine_for

    client = TestClient(create_app(url))
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"name": "bench", "password": "bench password", "csrf_token": token})
    with Session(engine_for(url)) as s:
        total = s.scalar(select(func.count()).select_from(ProposalRow))
        key = s.scalars(select(ProposalRow.key).where(ProposalRow.active.is_(True), ProposalRow.kind == "occurrence",
                                                      ProposalRow.state == "open")
                        .order_by(ProposalRow.priority.desc())).first()
    pages = [
        ("queue, first page (50 rows)", "/queue"),
        ("queue, filtered (unit+item+state)", f"/queue?unit={UNITS[0]}&item={ITEMS[2]}&state=open"),
        ("queue, filtered by period, page 3", f"/queue?period={PERIODS[1]}&page=3"),
        ("unscored claims, first page", "/queue?kind=unscored"),
        ("proposal page (with next/prev)", f"/proposal?key={key}"),
    ]
    print(f"bench_queue: {total} proposals in {describe_url(url)} (filled in {fill_s:.1f} s); "
          f"median and max of {args.repeat} requests through the app (TestClient)")
    for label, path in pages:
        med, worst, size = timed(client, path, args.repeat)
        print(f"  {label:38s} median {med:7.1f} ms   max {worst:7.1f} ms   {size / 1024:6.1f} KiB")
    tmp.cleanup()


if __name__ == "__main__":
    main()
