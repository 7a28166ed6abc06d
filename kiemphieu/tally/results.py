"""Results by the rules: votes per candidate, percentages, who is elected, ties.

Pure arithmetic on counts — no pixels, no SQL. ``compute`` takes the election, the number of pages
per status and the votes of every valid ballot.

- *party* rules: elected needs strictly more than half of the delegates summoned (``electorate``);
  without an electorate in the file, of the valid ballots. A tie at the last seat is not broken: it
  is reported and a new vote among the tied is needed.
- *state* rules: elected needs strictly more than half of the valid ballots; a tie at the last seat
  goes to the older candidate when birth dates are known, otherwise it is reported.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from ..election import Election


@dataclasses.dataclass
class CandidateResult:
    index: int
    name: str
    votes: int
    percent: float
    elected: bool
    against: int = 0


@dataclasses.dataclass
class Tally:
    ballots: dict[str, int]
    base: int
    base_kind: str                   # "electorate" or "valid"
    candidates: list[CandidateResult]
    tie: list[str]                   # names tied for the last seat, when the tie is not broken
    tie_note: str = ""
    outstanding: int = 0             # ballots still in review

    @property
    def final(self) -> bool:
        return self.outstanding == 0

    def to_dict(self) -> dict:
        return {
            "ballots": self.ballots,
            "base": self.base, "base_kind": self.base_kind,
            "final": self.final, "outstanding": self.outstanding,
            "candidates": [dataclasses.asdict(c) for c in self.candidates],
            "tie": self.tie, "tie_note": self.tie_note,
        }


def percent(part: int, whole: int) -> float:
    """Percentage to 2 decimals, rounded half-up."""
    if whole <= 0:
        return 0.0
    q = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(q)


def compute(election: Election, status_counts: dict[str, int], ballots: Iterable[tuple[list[str], list[str]]]) -> Tally:
    """Tally from page statuses and the (votes, against) of every valid ballot."""
    counts = {k: int(status_counts.get(k, 0)) for k in ("valid", "invalid", "review", "rejected")}
    votes: Counter[str] = Counter()
    against: Counter[str] = Counter()
    for v, a in ballots:
        votes.update(v)
        against.update(a)
    if election.rules == "party" and election.electorate:
        base, base_kind = election.electorate, "electorate"
    else:
        base, base_kind = counts["valid"], "valid"
    results = [CandidateResult(i, c.label, votes[c.label], percent(votes[c.label], base), False, against[c.label])
               for i, c in enumerate(election.candidates)]
    passing = sorted((r for r in results if 2 * r.votes > base), key=lambda r: (-r.votes, r.index))
    tie: list[str] = []
    note = ""
    if len(passing) <= election.seats:
        for r in passing:
            r.elected = True
    else:
        last = passing[election.seats - 1].votes
        above = [r for r in passing if r.votes > last]
        tied = [r for r in passing if r.votes == last]
        free = election.seats - len(above)
        for r in above:
            r.elected = True
        if election.rules == "state" and all(election.candidates[r.index].born for r in tied):
            tied.sort(key=lambda r: election.candidates[r.index].born)
            for r in tied[:free]:
                r.elected = True
            note = "older"
        elif len(tied) == free:
            for r in tied:
                r.elected = True
        else:
            tie = [r.name for r in tied]
    return Tally(counts, base, base_kind, results, tie, note, counts["review"])
