"""Subcommands of the review layer (`reportscore review`, `users`, `export`), registered by the CLI.

Nothing heavy is imported at module level: the CLI imports this module for `--help`.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this layer's subcommands to the `reportscore` parser."""
