"""The review queue's proposals, materialised from each new draft."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def sync(session: Session, draft: Any, run_id: int | None) -> None:
    """Bring the stored proposals in line with `draft` (a scoring.Draft), keeping every decision."""
