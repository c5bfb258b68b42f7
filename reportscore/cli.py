"""The `reportscore` command. Heavy libraries are imported inside the commands that use them,
so `reportscore --help` stays fast."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path


# Modules that add their own subcommands with `register(subparsers)`; each must import
# nothing heavy at module level, so `reportscore --help` stays fast.
COMMAND_MODULES = ("review.commands",)


def _participants(path: str | None, folder: Path | None):
    from extractors.metadata import load_participants

    if path:
        return load_participants(path)
    if folder is not None:
        for cand in (folder / "participants.csv", folder.parent / "participants.csv"):
            if cand.is_file():
                return load_participants(cand)
    return ()


def cmd_extract(args: argparse.Namespace) -> int:
    """One JSON object per claim per line on stdout; everything else on stderr."""
    from extractors.pipeline import extract_claims
    from extractors.readers import read_document
    from reportscore.errors import DocumentError
    from scoring import load_rubric, map_claims

    participants = _participants(args.participants, None)
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
    from flows import prefect_env

    t_start = time.perf_counter()
    prefect_env.configure(api_url=args.prefect_api)
    from review.store import default_url, describe_url

    folder = Path(args.folder)
    if not folder.exists():
        print(f"error: {folder} does not exist", file=sys.stderr)
        return 2
    url = args.db or default_url()
    from flows import steps

    inputs = steps.BatchInputs(
        participants=tuple(_participants(args.participants, folder)),
        rubric=args.rubric, plan=args.plan, index=args.index, findings=args.findings, workbook=args.inputs,
    )
    from rich.console import Console

    err = Console(stderr=True)
    files = steps.discover(folder)
    err.print(f"reportscore: {len(files)} files under {folder}; results go to {describe_url(url)}")
    t_import = time.perf_counter()
    from flows import batch

    def on_file(r: steps.FileResult) -> None:
        o = r.outcome
        if o.status == "ok":
            err.print(f"  [green]ok[/]     {o.source}: {o.claims} claims ({o.seconds:.2f} s)")
        else:
            err.print(f"  [red]failed[/] {o.source}: {o.message}")

    batch.ON_FILE = on_file
    state = batch.batch_flow(str(folder), url, inputs)
    total = time.perf_counter() - t_start
    summary = state["summary"]
    summary["seconds_total"] = round(total, 2)
    summary["seconds_prefect_and_imports"] = round(total - summary["seconds_in_flow"] - (t_import - t_start), 2)
    summary["database"] = describe_url(url)
    units = state["draft"].to_json()
    if args.json:
        out = {"summary": summary, "files": [r.outcome.__dict__ if hasattr(r.outcome, "__dict__") else _outcome_dict(r.outcome) for r in state["results"]],
               "draft": units}
        print(json.dumps(out, ensure_ascii=False, indent=1, default=str))
        return 0
    _print_summary(state["results"], summary, units)
    return 0


def _outcome_dict(o) -> dict:
    import dataclasses

    return dataclasses.asdict(o)


def _print_summary(results, summary: dict, units: list[dict]) -> None:
    print(f"Files: {summary['files']} ({summary['ok']} read, {summary['failed']} failed); claims found: {summary['claims']}")
    for r in results:
        if r.outcome.status != "ok":
            print(f"  FAILED {r.outcome.source}: [{r.outcome.error_code}] {r.outcome.message}")
    print()
    print(render_draft(units))
    print(f"Results: {summary['database']} (run {summary['run_id']}); "
          f"{summary['seconds_total']} s in all, of which Prefect start-up and imports ≈ "
          f"{summary['seconds_prefect_and_imports']} s")


def render_draft(units: list[dict]) -> str:
    """The ranking and every proposed point with its evidence, as a reviewer reads it."""
    lines = ["Score draft (proposed until a reviewer confirms):"]
    for u in units:
        lines.append(f"#{u['rank']} {u['unit']}: {u['total']:g} points")
        for it in u["items"]:
            if not it["points"] and not it["evidence"] and not it["flags"]:
                continue
            lo, hi = it["range"]
            lines.append(f"   {it['item']}: {it['points']:+g} (range {lo:g}..{hi:g}; {it['status']}) {it['rule']}")
            for ev in it["evidence"][:3]:
                page = f" p.{ev['page']}" if ev.get("page") else ""
                lines.append(f"      ← {ev['document']}{page}: 「{ev['quote'][:70]}」")
            if len(it["evidence"]) > 3:
                lines.append(f"      … and {len(it['evidence']) - 3} more")
            for fl in it["flags"]:
                lines.append(f"      ! {fl['code']}: {fl['message']}")
    return "\n".join(lines)


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
    r.add_argument("--prefect-api", help="run against this Prefect server instead of the embedded one")
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
