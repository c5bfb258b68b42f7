"""reportscore: evidence-linked score drafts from county competition reports.

The core package holds what every layer shares (the data model, the error types)
and the command line, which sits on top of everything else.
"""

__version__ = "0.1.0"
