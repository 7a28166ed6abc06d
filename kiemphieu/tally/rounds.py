"""A further round: the next election file, from the candidates the rules allow.

``next_election`` builds it from a tally (``Tally.next_round`` and ``next_seats``); ``to_toml`` writes
it out so the committee can read, keep and print it like the first one.
"""
from __future__ import annotations

import dataclasses
import json

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


def _value(v) -> str:
    """A TOML value: JSON strings and numbers are valid TOML basic strings and integers."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return json.dumps(v, ensure_ascii=False)


def to_toml(e: Election) -> str:
    """The election file, in the same shape people write by hand."""
    lines = [f"title = {_value(e.title)}", f"round = {e.round}", f"seats = {e.seats}", f"ballot = {_value(e.ballot)}",
             f"rules = {_value(e.rules)}"]
    if e.electorate is not None:
        lines.append(f"electorate = {e.electorate}")
    if e.excluded:
        lines.append(f"excluded = {e.excluded}")
    if e.require_seal:
        lines.append("require_seal = true")
    lines.append("candidates = [")
    for c in e.candidates:
        extra = {k: v for k, v in (("note", c.note), ("born", c.born)) if v}
        if extra:
            fields = ", ".join(f"{k} = {_value(v)}" for k, v in {"name": c.name, **extra}.items())
            lines.append(f"  {{{fields}}},")
        else:
            lines.append(f"  {_value(c.name)},")
    lines.append("]")
    if e.overrides:
        lines += ["", "[overrides]"] + [f"{k} = {_value(v)}" for k, v in e.overrides.items()]
    return "\n".join(lines) + "\n"
