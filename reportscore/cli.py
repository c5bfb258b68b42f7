"""The `reportscore` command. Heavy libraries are imported inside the commands that use them,
so `reportscore --help` stays fast."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Iterator


# Modules that add their own subcommands with `register(subparsers)`; each must import
# nothing heavy at module level, so `reportscore --help` stays fast.
COMMAND_MODULES = ("review.commands", "review.export_commands")


def cmd_extract(args: argparse.Namespace) -> int:
    """One JSON object per claim per line on stdout; everything else on stderr."""
    from extractors.pipeline import extract_claims
    from extractors.readers import read_document
    from flows.steps import coerce_participants
    from reportscore.errors import DocumentError
    from scoring import load_rubric, map_claims

    participants = coerce_participants(args.participants)
    rubric = load_rubric(args.rubric)
    failed = 0
    for name in args.files:
        try:
            doc = read_document(Path(name), participants)
        except DocumentError as e:
            print(f"error: {e.source}: {e.message}", file=sys.stderr)
            failed += 1
            continue
        claims = map_claims(extract_claims(doc), rubric)
        for c in claims:
            if args.format == "jsonl":
                sys.stdout.write(json.dumps(c.to_json(name), ensure_ascii=False) + "\n")
            else:
                b = doc.blocks[c.block]
                print(f"{name}\tp{c.page or '-'}\tb{c.block}\t{b.text[c.start:c.end]}\t{c.value:g}\t{c.unit}\t"
                      f"{c.subject}\t{c.status}\t{c.rubric_item or ''}")
        print(f"{name}: {len(claims)} claims ({doc.unit or 'unit?'}, {doc.period or 'period?'}, {doc.kind})",
              file=sys.stderr)
    return 1 if failed and failed == len(args.files) else 0


def cmd_run(args: argparse.Namespace) -> int:
    """The batch on the embedded Prefect (no server needed) or on the server given; the
    Prefect fixed cost is measured and reported apart from what the batch itself cost."""
    from flows import prefect_env

    t_start = time.perf_counter()
    prefect_env.configure(api_url=args.prefect_api)
    server = None
    if not prefect_env.uses_server():  # start Prefect's temporary server now, while we import and hash
        server = prefect_env.EmbeddedServer()
        server.reserve()
        server.start_in_background()
    try:
        return _run(args, server, t_start)
    finally:
        if server is not None:
            server.stop()


def _run(args: argparse.Namespace, server, t_start: float) -> int:
    from review.store import default_url, describe_url

    folder = Path(args.folder)
    if not folder.exists():
        print(f"error: {folder} does not exist", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.split and server is not None:
        print("error: --split needs a Prefect server with workers (--prefect-api or PREFECT_API_URL)", file=sys.stderr)
        return 2
    url = args.db or default_url()
    from flows import steps

    inputs = steps.BatchInputs(
        participants=steps.coerce_participants(args.participants, folder),
        rubric=args.rubric, plan=args.plan, index=args.index, findings=args.findings, workbook=args.inputs,
    )
    from rich.console import Console

    err = Console(stderr=True)
    err.print(f"reportscore: {folder}; results go to {describe_url(url)}")
    if server is not None:
        steps.preload(url)  # our imports and the database, while Prefect's server starts
        if not args.recheck:  # nothing to read and the draft is current: no task to run, no server to wait for
            idle = steps.record_unchanged_run(str(folder), url, inputs, args.workers or os.cpu_count() or 1, args.runner)
            if idle is not None:
                t_stop = server.stop()
                err.print(f"  all {idle['files']} files unchanged since the last run and the draft is current: "
                          "Prefect not started")
                idle.update(seconds_total=round(time.perf_counter() - t_start, 2), seconds_batch=round(idle["seconds_in_flow"], 2),
                            seconds_prefect_fixed=round(t_stop, 2), prefect="not started (nothing to do)",
                            prefect_fixed_parts={"server_stop": round(t_stop, 2)}, database=describe_url(url))
                return _report(args, url, idle)
    t_import = time.perf_counter()
    from flows import batch

    t_imported = time.perf_counter()
    waited = server.wait() if server is not None else 0.0
    with _progress(err) as progress:
        batch.Hooks.on_plan, batch.Hooks.on_file = progress.planned, progress.file_done
        t_flow = time.perf_counter()
        summary = batch.batch_flow(str(folder), url, inputs, workers=args.workers, runner=args.runner,
                                   skip_stored=not args.recheck, split=args.split or 0)
        t_flow_end = time.perf_counter()
    server_cpu = server.cpu_seconds() if server is not None else None
    t_stop = server.stop() if server is not None else 0.0
    flow_overhead = (t_flow_end - t_flow) - summary["seconds_in_flow"]
    summary["seconds_total"] = round(time.perf_counter() - t_start, 2)
    summary["seconds_batch"] = round(summary["seconds_in_flow"], 2)
    summary["seconds_prefect_fixed"] = round((t_imported - t_import) + waited + flow_overhead + t_stop, 2)
    summary["prefect_fixed_parts"] = {"import": round(t_imported - t_import, 2), "server_start_wait": round(waited, 2),
                                      "flow_start_finish": round(flow_overhead, 2), "server_stop": round(t_stop, 2)}
    summary["prefect"] = "embedded" if server is not None else "server"
    if server_cpu is not None:
        summary["cpu_seconds_prefect_server"] = round(server_cpu, 2)
    summary["database"] = describe_url(url)
    return _report(args, url, summary)


def _report(args: argparse.Namespace, url: str, summary: dict) -> int:
    """Print the run's summary, every file's outcome and the draft (JSON or text)."""
    from flows import steps

    outcomes = steps.run_outcomes(url, summary["run_id"])
    internal = [o for o in outcomes if o["error_code"] == "internal_error"]
    if args.json:
        _print_json(summary, outcomes, steps.each_stored_unit(url))
    else:
        _print_summary(outcomes, summary, steps.each_stored_unit(url))
    return 1 if internal else 0


def _print_json(summary: dict, outcomes: list[dict], units: Iterable[dict]) -> None:
    """{"summary", "files", "draft"} written unit by unit: a province's draft is not held."""
    def dumps(x: Any) -> str:
        return json.dumps(x, ensure_ascii=False, default=str)

    out = sys.stdout
    out.write(f'{{"summary": {dumps(summary)},\n "files": {dumps(outcomes)},\n "draft": [')
    for i, u in enumerate(units):
        out.write((",\n  " if i else "\n  ") + dumps(u))
    out.write("\n ]\n}\n")


class _progress:
    """A rich progress bar on stderr, one step per file read; failures are printed above it."""

    def __init__(self, console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = console
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("{task.fields[file]}"), console=console, transient=False)
        self.task = None

    def __enter__(self) -> "_progress":
        self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def planned(self, plan) -> None:
        if plan.stored:
            self.console.print(f"  {len(plan.stored)} of {plan.files} files unchanged since the last run (not read again)")
        self.task = self.bar.add_task("reading", total=len(plan.todo), file="")

    def file_done(self, r) -> None:
        o = r.outcome
        if o.status != "ok":
            self.console.print(f"  [red]failed[/] {o.source}: [{o.error_code}] {o.message}")
        if self.task is not None:
            self.bar.update(self.task, advance=1, file=o.source)


def _print_summary(outcomes: list[dict], summary: dict, units: Iterable[dict]) -> None:
    """Every file's outcome that needs attention, the draft, and where the time went."""
    print(f"Files: {summary['files']} ({summary['ok']} ok, {summary['failed']} failed, {summary['skipped']} skipped; "
          f"{summary['read']} read, {summary['unchanged']} unchanged); claims found: {summary['claims']}")
    for o in outcomes:
        if o["status"] != "ok":
            print(f"  {o['status'].upper()} {o['source']}: [{o['error_code']}] {o['message']}")
    print()
    for line in draft_lines(units):
        print(line)
    print(f"Results: {summary['database']} (run {summary['run_id']}); {summary['seconds_total']} s in all: "
          f"batch {summary['seconds_batch']} s ({summary['read']} files read, {summary['workers']} {summary['runner']} "
          f"workers), Prefect fixed cost ({summary['prefect']}) {summary['seconds_prefect_fixed']} s")


def render_draft(units: Iterable[dict]) -> str:
    """The ranking and every proposed point with its evidence, as a reviewer reads it."""
    return "\n".join(draft_lines(units))


def draft_lines(units: Iterable[dict]) -> Iterator[str]:
    yield "Score draft (proposed until a reviewer confirms):"
    for u in units:
        yield f"#{u['rank']} {u['unit']}: {u['total']:g} points"
        for it in u["items"]:
            if not it["points"] and not it["evidence"] and not it["flags"]:
                continue
            lo, hi = it["range"]
            yield f"   {it['item']}: {it['points']:+g} (range {lo:g}..{hi:g}; {it['status']}) {it['rule']}"
            for ev in it["evidence"][:3]:
                page = f" p.{ev['page']}" if ev.get("page") else ""
                yield f"      ← {ev['document']}{page}: 「{ev['quote'][:70]}」"
            if len(it["evidence"]) > 3:
                yield f"      … and {len(it['evidence']) - 3} more"
            for fl in it["flags"]:
                yield f"      ! {fl['code']}: {fl['message']}"


def cmd_draft(args: argparse.Namespace) -> int:
    from review.store import default_url, engine_for, load_draft
    from sqlalchemy.orm import Session

    url = args.db or default_url()
    with Session(engine_for(url)) as s:
        units = load_draft(s)
    if args.format == "json":
        print(json.dumps(units, ensure_ascii=False, indent=1))
    else:
        print(render_draft(units))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reportscore", description="Evidence-linked score drafts from county competition reports.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="process a folder of reports into the database and print the score draft")
    r.add_argument("folder")
    r.add_argument("--db", help="database URL (default: SQLite file ./.reportscore/reportscore.db, or $REPORTSCORE_DB)")
    r.add_argument("--participants", help="participants CSV (default: participants.csv in the folder)")
    r.add_argument("--rubric", default="nantong_2024", help="rubric name or YAML file")
    r.add_argument("--plan", help="plan tasks CSV/XLSX")
    r.add_argument("--index", help="干净指数 CSV/XLSX")
    r.add_argument("--findings", help="inspection findings CSV/XLSX")
    r.add_argument("--inputs", help="one Excel workbook with sheets plan_tasks, clean_index, findings")
    r.add_argument("--workers", type=int, default=None, help="parallel workers (default: cores)")
    r.add_argument("--runner", choices=["pool", "thread", "prefect-process"], default="pool",
                   help="pool (default, fastest): tasks in threads, parsing in --workers processes; "
                   "thread: one process; prefect-process: Prefect's ProcessPoolTaskRunner (slow per task)")
    r.add_argument("--prefect-api", help="run against this Prefect server instead of the embedded one "
                   "(default: $PREFECT_API_URL, else an embedded one)")
    r.add_argument("--split", type=int, metavar="N", help="spread the files over N runs of the reportscore-files "
                   "deployment, for workers on several machines (needs a Prefect server)")
    r.add_argument("--recheck", action="store_true", help="submit every file as a task and rely on the task cache, "
                   "instead of skipping files the database already has")
    r.add_argument("--json", action="store_true", help="print a JSON summary for scripts")
    r.set_defaults(func=cmd_run)

    e = sub.add_parser("extract", help="print the claims of files as JSON lines")
    e.add_argument("files", nargs="+")
    e.add_argument("--format", choices=["jsonl", "table"], default="jsonl")
    e.add_argument("--participants")
    e.add_argument("--rubric", default="nantong_2024")
    e.set_defaults(func=cmd_extract)

    d = sub.add_parser("draft", help="print the current score draft")
    d.add_argument("--db")
    d.add_argument("--format", choices=["json", "text"], default="text")
    d.set_defaults(func=cmd_draft)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from reportscore.errors import ReportscoreError

    try:
        return int(args.func(args) or 0)
    except ReportscoreError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
