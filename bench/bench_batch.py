"""Batch orchestration benchmark (issue 7), measured in one run. A script, not a test.

Usage: .venv/bin/python bench/bench_batch.py [--files 200] [--workers N] [--dir /tmp/rs-bench] [--no-2n]

Builds a corpus with samples/make_samples.py --corpus (PDF and docx mixed, ≈10 pages
each), then measures on the same files:
  1. bare text extraction: pdfplumber extract_text per page, python-docx paragraphs and
     table cells, one process (the baseline of the goal);
  2. our library called directly, no Prefect: steps.process_file serially, and the same
     work in a worker pool like the flow's; then store and score;
  3. `reportscore run` (embedded Prefect) on a new database;
  4. the same run again with nothing changed (and with --recheck: the task cache instead
     of skipping stored files);
  5. a run after one file changed;
  6. peak memory (max RSS) for N and 2N files, the read+store phase and scoring apart,
     and scoring once more with the files spread over N/4 units (a province).
It prints each time and the goal ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CLI = str(Path(sys.executable).parent / "reportscore")
INPUTS = ROOT / "samples" / "inputs"
INPUT_ARGS = ["--plan", str(INPUTS / "plan_tasks.csv"), "--index", str(INPUTS / "clean_index.csv"),
              "--findings", str(INPUTS / "findings.csv")]


# ---------------------------------------------------------------- phases, each in its own process
def phase_bare(folder: str) -> dict:
    """Text only: what any tool must at least pay to read these files."""
    import docx
    import pdfplumber

    files = sorted(p for p in Path(folder).iterdir() if p.suffix in (".pdf", ".docx"))
    t0 = time.perf_counter()
    pages = chars = 0
    for f in files:
        if f.suffix == ".pdf":
            with pdfplumber.open(f) as pdf:
                for page in pdf.pages:
                    chars += len(page.extract_text() or "")
                    pages += 1
        else:
            d = docx.Document(str(f))
            chars += sum(len(p.text) for p in d.paragraphs)
            chars += sum(len(c.text) for t in d.tables for row in t.rows for c in row.cells)
    return {"seconds": time.perf_counter() - t0, "pdf_pages": pages, "chars": chars, "files": len(files)}


def phase_direct(folder: str, db: str, workers: int, mode: str, score: str = "score") -> dict:
    """Our library without Prefect: read → extract → map (serial, or in the flow's worker
    pool fed by threads), store in chunks as results arrive, then score once."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from flows import steps

    files = steps.discover(folder)
    version = steps.content_version("nantong_2024", steps.coerce_participants(None, folder))
    inputs = steps.coerce_inputs({"plan": str(INPUTS / "plan_tasks.csv"), "index": str(INPUTS / "clean_index.csv"),
                                  "findings": str(INPUTS / "findings.csv")}, folder)
    steps.store_documents(db, [], version)  # create the database before the clock starts
    t0 = time.perf_counter()
    buffer, outcomes, store_s, pending = [], [], 0.0, []
    storer = ThreadPoolExecutor(1)  # stores in the background, like the flow

    def store(chunk) -> None:
        nonlocal store_s
        t = time.perf_counter()
        steps.store_documents(db, chunk, version)
        store_s += time.perf_counter() - t

    def take(r) -> None:
        nonlocal buffer
        outcomes.append(r.outcome)
        if r.document is not None:
            buffer.append(r)
        if len(buffer) >= 16:
            while len(pending) >= 2:
                pending.pop(0).result()
            pending.append(storer.submit(store, buffer))
            buffer = []

    if mode == "serial":
        steps.warm_up()
        for f in files:
            take(steps.process_file(f, inputs.participants))
    else:
        with steps.worker_pool(workers), ThreadPoolExecutor(2 * workers) as ex:
            futs = [ex.submit(steps.process_file_pooled, f, inputs.participants) for f in files]
            for fut in as_completed(futs):
                take(fut.result())
    for f in pending:
        f.result()
    storer.shutdown()
    store(buffer)
    t_read = time.perf_counter()
    run_id = steps.record_run(db, folder, "nantong_2024", outcomes, steps.summarize(outcomes))
    if score == "score":
        steps.score_stored(db, inputs, run_id)
    t_end = time.perf_counter()
    return {"seconds": t_end - t0, "read_store": t_read - t0, "store": store_s, "score": t_end - t_read,
            "files": len(files), "claims": sum(o.claims for o in outcomes)}


def phase_score(folder: str, db: str) -> dict:
    """Scoring alone on a filled database (for its memory)."""
    from flows import steps

    inputs = steps.coerce_inputs({"plan": str(INPUTS / "plan_tasks.csv")}, folder)
    t0 = time.perf_counter()
    steps.score_stored(db, inputs, None)
    return {"seconds": time.perf_counter() - t0}


def phase_score_spread(folder: str, db: str, per_unit: int) -> dict:
    """Scoring alone after spreading the stored documents over many units, `per_unit`
    reports each (a province: 13 cities × 10 units, a few reports per unit): memory must
    follow the largest unit, not the number of files or units."""
    import sqlite3

    con = sqlite3.connect(db.removeprefix("sqlite:///"))
    shas = [r[0] for r in con.execute("SELECT sha256 FROM documents ORDER BY unit, sha256")]
    con.executemany("UPDATE documents SET unit = unit || '-' || ? WHERE sha256 = ?",
                    [(str(i // per_unit), sha) for i, sha in enumerate(shas)])
    units = con.execute("SELECT COUNT(DISTINCT unit) FROM documents").fetchone()[0]
    con.commit()
    con.close()
    out = phase_score(folder, db)
    out["units"] = units
    return out


_WRAPPER = ("import resource, subprocess, sys, time, json; t=time.perf_counter(); "
            "p=subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "print(json.dumps({'rc': p.returncode, 'out': p.stdout, 'err': p.stderr[-3000:], "
            "'wall': time.perf_counter()-t, 'rss': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "'cpu': (lambda r: r.ru_utime + r.ru_stime)(resource.getrusage(resource.RUSAGE_CHILDREN))}))")


def measured(argv: list[str], env: dict | None = None, cwd: Path = ROOT) -> tuple[str, float, float, float]:
    """Run argv under a fresh wrapper process: stdout, wall seconds, the peak RSS (MB) of
    the largest process it started (RUSAGE_CHILDREN is a running maximum, so each
    measurement needs its own wrapper), and the CPU seconds of all of them (workers and
    Prefect's server included): CPU is what other load on the machine disturbs least."""
    w = subprocess.run([PY, "-c", _WRAPPER, *argv], capture_output=True, text=True, env=env, cwd=cwd)
    res = json.loads(w.stdout)
    if res["rc"]:
        sys.exit(f"{' '.join(argv[:3])} … failed:\n{res['err']}")
    return res["out"], res["wall"], round(res["rss"] / 1024, 1), res["cpu"]


def run_phase(name: str, *args: str) -> dict:
    """A phase of this script in a fresh process, with its peak RSS (MB)."""
    out, wall, rss, cpu = measured([PY, __file__, "--phase", name, *args])
    res = json.loads(out.strip().splitlines()[-1])
    res.update(max_rss_mb=rss, cpu=cpu, wall=wall)
    return res


def cli_run(folder: Path, db: str, home: Path, *extra: str) -> dict:
    """`reportscore run --json`: its summary plus wall time and peak RSS of its largest process."""
    env = {**os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    out, wall, rss, cpu = measured([CLI, "run", str(folder), "--db", db, "--json", *INPUT_ARGS, *extra], env,
                                   home.parent)
    summary = json.loads(out)["summary"]
    summary.update(wall=wall, max_rss_mb=rss, cpu=cpu)
    return summary


# ---------------------------------------------------------------- the benchmark
def make_corpus(base: Path, n: int) -> tuple[Path, Path, Path]:
    """Folders with N and 2N reports (the first N are shared) and one spare report."""
    src = base / "corpus"
    if len([p for p in src.glob("*") if p.suffix in (".pdf", ".docx")]) != 2 * n + 1:
        shutil.rmtree(src, ignore_errors=True)
        subprocess.run([PY, str(ROOT / "samples" / "make_samples.py"), "--corpus", str(2 * n + 1), "--out", str(src)],
                       check=True, cwd=ROOT)
    files = sorted(p for p in src.iterdir() if p.suffix in (".pdf", ".docx"))
    folders = []
    for name, chosen in (("n", files[:n]), ("2n", files[:2 * n])):
        d = base / name
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        for p in chosen:
            os.link(p, d / p.name) if p.stat().st_dev == base.stat().st_dev else shutil.copy(p, d / p.name)
        shutil.copy(ROOT / "samples" / "participants.csv", d / "participants.csv")
        folders.append(d)
    return folders[0], folders[1], files[-1]


def _direct_line(label: str, d: dict) -> str:
    return (f"library direct, {label}: {d['seconds']:.1f} s, {d['cpu']:.1f} s CPU (read+extract+map+store "
            f"{d['read_store']:.1f} s, of which storing {d['store']:.1f} s; record+score {d['score']:.1f} s; "
            f"{d['claims']:,} claims)")


def fresh_db(base: Path, name: str) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{base / name}.db{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{base / name}.db"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/rs-bench"))
    ap.add_argument("--no-2n", action="store_true", help="skip the 2N memory runs")
    ap.add_argument("--repeat", type=int, default=2, help="repetitions of the direct and full runs (best kept)")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    if a.phase:
        fn = {"bare": phase_bare, "direct": phase_direct, "score": phase_score, "spread": phase_score_spread}[a.phase]
        args = [int(x) if x.isdigit() else x for x in a.rest]
        print(json.dumps(fn(*args)))
        return

    base = a.dir.resolve()
    base.mkdir(parents=True, exist_ok=True)
    n_dir, n2_dir, spare = make_corpus(base, a.files)
    print(f"corpus: {a.files} files in {n_dir}; {a.workers} workers; {os.cpu_count()} cores")

    bare = run_phase("bare", str(n_dir))
    print(f"bare text extraction (pdfplumber + python-docx, 1 process): {bare['seconds']:.1f} s "
          f"({bare['pdf_pages']} PDF pages, {bare['chars']:,} characters)")
    serial = run_phase("direct", str(n_dir), fresh_db(base, "direct-serial"), str(a.workers), "serial")
    print(_direct_line("serial", serial))

    # The machine may be shared: each comparison is repeated and the fastest kept, and CPU
    # seconds (all processes, Prefect's server included) are reported next to wall time.
    empty = base / "empty"
    empty.mkdir(exist_ok=True)
    directs, fulls = [], []
    for rep in range(a.repeat):
        d = run_phase("direct", str(n_dir), fresh_db(base, f"direct-pool-{rep}"), str(a.workers), "pool")
        print(_direct_line(f"{a.workers} worker processes (#{rep + 1})", d))
        directs.append(d)
        home = base / f"prefect-home-{rep}"
        shutil.rmtree(home, ignore_errors=True)
        idle = cli_run(empty, fresh_db(base, f"idle-{rep}"), home)  # creates Prefect's database (one-time ≈15 s)…
        idle = cli_run(empty, fresh_db(base, f"idle-{rep}"), home)  # …then: a run with nothing to do = fixed cost
        db = fresh_db(base, f"run-{rep}")
        f = cli_run(n_dir, db, home)
        f.update(home=home, db=db, idle_cpu=idle["cpu"], idle_wall=idle["wall"])
        print(f"reportscore run #{rep + 1}: batch {f['seconds_batch']} s, {f['wall']:.1f} s wall, {f['cpu']:.1f} s CPU "
              f"(a run with no files: {idle['wall']:.1f} s wall, {idle['cpu']:.1f} s CPU)")
        fulls.append(f)
    direct = min(directs, key=lambda d: d["seconds"])
    full = min(fulls, key=lambda f: f["seconds_batch"])
    home, db = full["home"], full["db"]
    again = cli_run(n_dir, db, home)
    recheck = cli_run(n_dir, db, home, "--recheck")
    victim = sorted(n_dir.glob(f"*{spare.suffix}"))[0]
    victim.unlink()
    shutil.copy(spare, victim)  # a corrected report under the same name
    changed = cli_run(n_dir, db, home)

    def line(label: str, s: dict) -> str:
        return (f"{label}: {s['wall']:.1f} s wall ({s['seconds_total']} s in the CLI: batch {s['seconds_batch']} s = "
                f"plan {s['seconds_plan']} + read {s['seconds_read']} + record/score {s['seconds_score']}; "
                f"Prefect fixed {s['seconds_prefect_fixed']} s); read {s['read']}, not submitted {s['not_submitted']}, "
                f"task cache hits {s['task_cache_hits']}, rescored {s['rescored']}")

    print(line("reportscore run (embedded Prefect)", full))
    print(line("second run, nothing changed", again))
    print(line("second run with --recheck (task cache, no skip)", recheck))
    print(line("run after one file changed", changed))

    batch = full["seconds_batch"]
    print("\ngoals")
    print(f"  whole batch / bare extraction: {batch:.1f} / {bare['seconds']:.1f} = {batch / bare['seconds']:.2f} "
          f"(goal ≤ 1.5); with Prefect's fixed cost: {full['seconds_total'] / bare['seconds']:.2f}")
    share = batch - direct["seconds"]
    cpu_share = full["cpu"] - full["idle_cpu"] - direct["cpu"]
    print(f"  Prefect's share, wall (best batch − best direct pool run): {share:.1f} s = {100 * share / batch:.1f} % "
          f"of the batch (goal ≤ 10 %); fixed start-up apart: {full['seconds_prefect_fixed']} s")
    print(f"  Prefect's share, CPU (run − run with no files − direct pool run): {full['cpu']:.1f} − "
          f"{full['idle_cpu']:.1f} − {direct['cpu']:.1f} = {cpu_share:.1f} s = {100 * cpu_share / full['cpu']:.1f} % "
          f"of the run's CPU")
    print(f"  unchanged re-run / full run: {again['seconds_batch']} / {batch} = "
          f"{100 * again['seconds_batch'] / batch:.1f} % (goal ≤ 5 %); with fixed cost "
          f"{again['seconds_total']} / {full['seconds_total']} = {100 * again['seconds_total'] / full['seconds_total']:.1f} %; "
          f"--recheck instead: {recheck['seconds_batch']} s batch")
    print(f"  one changed file: {changed['read']} file read (goal 1), batch {changed['seconds_batch']} s "
          f"(of which record/score {changed['seconds_score']} s)")

    print("\nmemory: peak RSS of the largest process, MB")
    sizes = [(a.files, n_dir, full)] + ([] if a.no_2n else [(2 * a.files, n2_dir, None)])
    for n, folder, run in sizes:
        if run is None:
            home2 = base / f"prefect-home-{n}"  # a fresh task cache: every file is read
            shutil.rmtree(home2, ignore_errors=True)
            run = cli_run(folder, fresh_db(base, f"run-{n}"), home2)
            print(line(f"reportscore run, {n} files", run))
        db_n = fresh_db(base, f"mem-{n}")
        rs = run_phase("direct", str(folder), db_n, "1", "serial", "noscore")
        sc = run_phase("score", str(folder), db_n)
        spread = run_phase("spread", str(folder), db_n, "4")
        print(f"  {n} files: reportscore run {run['max_rss_mb']} MB | read+extract+store, streaming, one process "
              f"{rs['max_rss_mb']} MB | scoring alone {sc['max_rss_mb']} MB ({sc['seconds']:.1f} s) | "
              f"scoring with the files spread over {spread['units']} units of 4 reports "
              f"{spread['max_rss_mb']} MB ({spread['seconds']:.1f} s)")


if __name__ == "__main__":
    main()
