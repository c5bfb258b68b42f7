"""Orchestration: plain batch steps (steps.py) and the thin Prefect flow around them (batch.py)."""
