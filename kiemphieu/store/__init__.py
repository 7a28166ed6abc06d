"""The count: one SQLite file holding the election, the layout, every page and every decision.

This package owns all SQL: ``schema`` (tables, version, migrations), ``pages``, ``review`` (decisions,
reviewers, sessions, holds, two-person proposals) and ``audit`` (the hash-chained log), joined in
``count.Count``. Every page's result is written in its own transaction, so a count that is interrupted
keeps every page it finished and never half a page.
"""
from .count import Count, CountError, storage_problem
from .review import StaleDecision

__all__ = ["Count", "CountError", "StaleDecision", "storage_problem"]
