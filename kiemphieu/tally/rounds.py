"""A further round: the next election file, from the candidates the rules allow.

``next_election`` builds it from a tally (``Tally.next_round`` and ``next_seats``); ``to_toml`` writes
it out so the committee can read, keep and print it like the first one.
"""
from __future__ import annotations

import dataclasses

import tomli_w

from ..election import Election
from .results import Tally


class RoundError(ValueError):
    """No further round can start; ``code`` names the reason for texts."""

    def __init__(self, code: str, **kw):
        super().__init__(code)
        self.code, self.kw = code, kw


def next_election(election: Election, tally: Tally) -> Election:
    """The election of the next round: the listed candidates, the seats still to fill, same rules."""
    if tally.outstanding:
        raise RoundError("round_provisional", n=tally.outstanding)
    if not tally.next_round:
        raise RoundError("round_not_needed", seats=election.seats)
    by_label = {c.label: c for c in election.candidates}
    return dataclasses.replace(election, candidates=tuple(by_label[n] for n in tally.next_round),
                               seats=tally.next_seats, issued=None, returned=None, present=None,
                               round=election.round + 1)


def to_toml(e: Election) -> str:
    """The election file, in the same shape people write by hand (written by tomli-w)."""
    doc: dict = {"title": e.title, "round": e.round, "seats": e.seats, "ballot": e.ballot, "rules": e.rules}
    if e.electorate is not None:
        doc["electorate"] = e.electorate
    if e.excluded:
        doc["excluded"] = e.excluded
    if e.require_seal:
        doc["require_seal"] = True
    doc["candidates"] = [{"name": c.name, **{k: v for k, v in (("note", c.note), ("born", c.born)) if v}}
                         if (c.note or c.born) else c.name for c in e.candidates]
    if e.overrides:
        doc["overrides"] = dict(e.overrides)
    return tomli_w.dumps(doc)
