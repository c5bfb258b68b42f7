"""One exception hierarchy, so callers can tell bad input from bugs.

`DocumentError` is bad input: the batch records it as that file's outcome and goes
on. Anything that is not a `ReportscoreError` is a bug and should surface loudly.
"""

from __future__ import annotations


class ReportscoreError(Exception):
    """Base of every error this project raises on purpose."""


class DocumentError(ReportscoreError):
    """A submitted file cannot be read. `code` is a short stable cause for reports."""

    def __init__(self, source: str, message: str, code: str = "unreadable") -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
        self.code = code


class InputError(ReportscoreError):
    """A spreadsheet input (plan tasks, clean index, findings) has a bad row or column."""


class RubricError(ReportscoreError):
    """A rubric file is invalid; the message names the file, line and field."""


class ConfigError(ReportscoreError):
    """A configuration file (participants, settings) is invalid."""
