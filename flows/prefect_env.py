"""Keeps Prefect's own state in one project-local folder and its logs quiet.

Must run before `prefect` is first imported: Prefect reads these settings at import.
"""

from __future__ import annotations

import os
from pathlib import Path


def configure(home: Path | None = None, api_url: str | None = None) -> Path:
    """Set PREFECT_HOME (default ./.reportscore/prefect) unless the user set one."""
    home = Path(os.environ.get("PREFECT_HOME") or home or Path.cwd() / ".reportscore" / "prefect")
    home.mkdir(parents=True, exist_ok=True)
    os.environ["PREFECT_HOME"] = str(home)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "true")
    os.environ.setdefault("PREFECT_LOCAL_STORAGE_PATH", str(home / "results"))
    if api_url:
        os.environ["PREFECT_API_URL"] = api_url
    return home
