"""The `reportscore export` subcommand (Excel workbook, Word 通报 draft, CSV/JSON).

Nothing heavy is imported at module level: the CLI imports this module for `--help`,
and pandas, openpyxl and python-docx are loaded only when `export` runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    """Add `export` to the `reportscore` parser."""
    e = sub.add_parser(
        "export",
        help="write the final score table (confirmed points) as Excel, a Word 通报 draft, CSV and/or JSON",
        description="Write the confirmed points of the database as an Excel workbook, a Word 通报 draft with "
                    "footnoted sources, and CSV/JSON for other systems. Proposed points are left out unless "
                    "--include-proposed is given; then they are marked 待确认 and the Word file is a 征求意见稿.",
    )
    e.add_argument("--xlsx", metavar="FILE", help="Excel workbook: ranking with chart, a sheet per unit, inputs, flags")
    e.add_argument("--docx", metavar="FILE", help="Word 通报 draft with the ranking and footnoted evidence")
    e.add_argument("--csv", metavar="FILE", help="flat table, one row per unit and rubric item (UTF-8 with BOM)")
    e.add_argument("--json", metavar="FILE", help="the same table nested by unit, with every point's source")
    e.add_argument("--db", help="database URL (default: SQLite file ./.reportscore/reportscore.db, or $REPORTSCORE_DB)")
    e.add_argument("--include-proposed", action="store_true",
                   help="also count points not yet confirmed, marked 待确认 (the Word file becomes a 征求意见稿)")
    e.add_argument("--title", help="title of the 通报 (default: 关于<competition>结果的通报)")
    e.add_argument("--issuer", help="signature line of the 通报 (default: a placeholder)")
    e.set_defaults(func=cmd_export)


def _existing_url(args: argparse.Namespace) -> str | None:
    """The database to read; None (with a message) when a SQLite file does not exist,
    so that a typo never creates and exports an empty database."""
    from review.store import default_url, sqlite_path

    url = args.db or default_url(make_dir=False)
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        print(f"error: no database at {path}: run `reportscore run` first or give --db", file=sys.stderr)
        return None
    return url


def write_csv(table, path: str | Path) -> Path:
    """The flat table (export_data.CSV_COLUMNS), UTF-8 with BOM so that Excel reads Chinese."""
    import csv

    from review.export_data import CSV_COLUMNS, csv_rows

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(CSV_COLUMNS))
        w.writeheader()
        w.writerows(csv_rows(table))
    return path


def write_json(table, path: str | Path) -> Path:
    import json

    from review.export_data import json_doc

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(json_doc(table), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def export(url: str, include_proposed: bool = False, xlsx: str | Path | None = None, docx: str | Path | None = None,
           csv: str | Path | None = None, json: str | Path | None = None, title: str | None = None,
           issuer: str | None = None):
    """Collect once, write every requested file; returns the ExportTable (for tests and scripts)."""
    from sqlalchemy.orm import Session

    from review.export_data import collect
    from review.store import engine_for

    with Session(engine_for(url)) as s:
        table = collect(s, include_proposed)
    if xlsx:
        from review.export_xlsx import write_xlsx

        write_xlsx(table, xlsx)
    if docx:
        from review.export_docx import write_docx

        write_docx(table, docx, title=title, issuer=issuer)
    if csv:
        write_csv(table, csv)
    if json:
        write_json(table, json)
    return table


def cmd_export(args: argparse.Namespace) -> int:
    outputs = {k: getattr(args, k) for k in ("xlsx", "docx", "csv", "json")}
    if not any(outputs.values()):
        print("error: nothing to write: give at least one of --xlsx, --docx, --csv, --json", file=sys.stderr)
        return 2
    url = _existing_url(args)
    if url is None:
        return 2
    from review.store import describe_url

    table = export(url, args.include_proposed, title=args.title, issuer=args.issuer, **outputs)
    for w in table.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if table.include_proposed:
        state = "confirmed and still-proposed points (marked 待确认; the Word file is a 征求意见稿)"
    elif table.open_proposals:
        state = f"confirmed points only; {table.open_proposals} proposals still open are left out"
    else:
        state = "confirmed points; nothing left to review"
    print(f"export from {describe_url(url)}: {len(table.units)} units, {state}", file=sys.stderr)
    for kind, path in outputs.items():
        if path:
            print(f"  {kind}: {Path(path).resolve()}")
    return 0
