"""`reportscore run` as the end-to-end tests start it: a folder of sample reports, and a
run on its own embedded Prefect server (never a server the environment points at)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Iterable

SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples"
CLI = Path(sys.executable).parent / "reportscore"


def reports_folder(tmp: Path, names: Iterable[str]) -> Path:
    """tmp/reports holding these sample reports and the samples' participants.csv."""
    folder = tmp / "reports"
    folder.mkdir()
    for name in names:
        shutil.copy(SAMPLES / name, folder / name)
    shutil.copy(SAMPLES / "participants.csv", folder / "participants.csv")
    return folder


def embedded_env(tmp: Path) -> dict:
    """A private PREFECT_HOME and no PREFECT_API_URL: the run starts its embedded server."""
    env = {**os.environ, "PREFECT_HOME": str(tmp / "prefect-home")}
    env.pop("PREFECT_API_URL", None)
    return env


def run_command(folder: Path, db: str, *extra: str) -> list[str]:
    """`reportscore run` on two workers, its summary as JSON on stdout."""
    return [str(CLI), "run", str(folder), "--db", db, "--json", "--workers", "2", *extra]
