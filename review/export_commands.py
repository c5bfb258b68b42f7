"""The `reportscore export` subcommand (Excel workbook, Word 通报 draft, CSV/JSON)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add `export` to the `reportscore` parser."""
