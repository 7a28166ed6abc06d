"""Results by the rules: votes per candidate, percentages, who is elected, ties, turnout, reconciliation.

Pure arithmetic on counts — no pixels, no SQL. ``compute`` takes the election (with the numbers the
committee entered), the number of pages per status and the votes of every valid ballot.

The rules in force come from the election's rule set, each key overridable (``Election.rule``):

- *party*: elected needs strictly more than half of the delegates summoned less ``excluded``
  (without an electorate in the file, of the valid ballots). A tie at the last seat is not broken:
  it is reported and a new vote among the tied is needed.
- *state*: elected needs strictly more than half of the valid ballots; when more pass than seats the
  highest win; a tie at the last seat goes to the older candidate (birth dates in the file). Turnout —
  ballots returned over voters on the list — must be more than half, else the result is not valid.

When fewer than ``seats`` are elected, the result names the candidates a further round would list.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from ..election import Election

STATUSES = ("valid", "invalid", "review", "rejected")


@dataclasses.dataclass
class CandidateResult:
    index: int                       # 0-based place on the ballot
    name: str
    votes: int
    percent: float                   # of the base, 2 decimals
    elected: bool
    against: int = 0
    passed: bool = False             # more than half of the base
    by_age: bool = False             # won a tie at the last seat by being older


@dataclasses.dataclass
class Turnout:
    """Ballots returned over voters on the list; ``valid`` when strictly more than half."""
    returned: int
    voters: int
    percent: float
    valid: bool
    source: str                      # "returned" (entered by the committee) or "scanned"


@dataclasses.dataclass
class Discrepancy:
    """Two numbers of the count that should agree and do not (key names the pair for texts)."""
    key: str
    a: int
    b: int


@dataclasses.dataclass
class Tally:
    ballots: dict[str, int]
    base: int
    base_kind: str                   # "electorate" (less excluded) or "valid"
    candidates: list[CandidateResult]
    tie: list[str]                   # names tied for the last seat, when the tie is not broken
    tie_note: str = ""               # "older" when a tie was decided by age
    outstanding: int = 0             # ballots still in review
    rules: str = "party"
    seats: int = 0
    excluded: int = 0
    turnout: Turnout | None = None
    reconciliation: list[Discrepancy] = dataclasses.field(default_factory=list)
    invalid_reasons: dict[str, int] = dataclasses.field(default_factory=dict)
    next_round: list[str] = dataclasses.field(default_factory=list)   # candidates a further round lists
    next_seats: int = 0                                                # seats it fills

    @property
    def final(self) -> bool:
        return self.outstanding == 0

    @property
    def valid(self) -> bool:
        """False when the turnout rule applies and was not met."""
        return self.turnout is None or self.turnout.valid

    @property
    def threshold(self) -> float:
        """Elected needs strictly more votes than this."""
        return self.base / 2

    @property
    def needed(self) -> int:
        """The fewest votes that elect: the smallest whole number more than half of the base."""
        return self.base // 2 + 1

    @property
    def elected(self) -> list[CandidateResult]:
        """The elected, highest votes first (ballot order among equals)."""
        return sorted((c for c in self.candidates if c.elected), key=lambda c: (-c.votes, c.index))

    def to_dict(self) -> dict:
        return {
            "ballots": self.ballots,
            "rules": self.rules, "seats": self.seats,
            "base": self.base, "base_kind": self.base_kind, "excluded": self.excluded,
            "threshold": self.threshold, "needed": self.needed,
            "final": self.final, "outstanding": self.outstanding, "valid": self.valid,
            "candidates": [dataclasses.asdict(c) for c in self.candidates],
            "elected": [c.name for c in self.elected],
            "tie": self.tie, "tie_note": self.tie_note,
            "turnout": dataclasses.asdict(self.turnout) if self.turnout else None,
            "reconciliation": [dataclasses.asdict(d) for d in self.reconciliation],
            "invalid_reasons": self.invalid_reasons,
            "next_round": {"candidates": self.next_round, "seats": self.next_seats},
        }


def percent(part: int, whole: int) -> float:
    """Percentage to 2 decimals, rounded half-up."""
    if whole <= 0:
        return 0.0
    q = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(q)


def base_of(election: Election, valid: int) -> tuple[int, str]:
    """The number "more than half" is taken of, and its kind."""
    if election.rule("base") == "electorate" and election.electorate:
        return election.electorate - election.excluded, "electorate"
    return valid, "valid"


def turnout_of(election: Election, scanned: int) -> Turnout | None:
    """The turnout check, when the rules ask for it and the voters on the list are known."""
    if not election.rule("turnout") or not election.electorate:
        return None
    returned, source = (election.returned, "returned") if election.returned is not None else (scanned, "scanned")
    voters = election.electorate
    return Turnout(returned, voters, percent(returned, voters), 2 * returned > voters, source)


def reconcile(election: Election, scanned: int) -> list[Discrepancy]:
    """Every pair of numbers that should agree and does not: a missing or extra ballot is never silent."""
    out = []
    if election.returned is not None and election.returned != scanned:
        out.append(Discrepancy("returned_scanned", election.returned, scanned))
    if election.issued is not None and election.returned is not None and election.returned > election.issued:
        out.append(Discrepancy("returned_issued", election.returned, election.issued))
    if election.issued is not None and election.returned is None and scanned > election.issued:
        out.append(Discrepancy("scanned_issued", scanned, election.issued))
    if (
        election.electorate
        and election.issued is not None
        and election.issued > election.electorate - election.excluded
    ):
        out.append(Discrepancy("issued_electorate", election.issued, election.electorate - election.excluded))
    if election.electorate and election.present is not None and election.present > election.electorate:
        out.append(Discrepancy("present_electorate", election.present, election.electorate))
    if election.present is not None and election.issued is not None and election.issued > election.present:
        out.append(Discrepancy("issued_present", election.issued, election.present))
    return out


def elect(election: Election, results: list[CandidateResult], base: int) -> tuple[list[str], str]:
    """Mark the elected; returns the names tied for the last seat (when not broken) and the tie note."""
    passing = sorted((r for r in results if 2 * r.votes > base), key=lambda r: (-r.votes, r.index))
    for r in passing:
        r.passed = True
    if len(passing) <= election.seats:
        for r in passing:
            r.elected = True
        return [], ""
    last = passing[election.seats - 1].votes
    for r in passing:
        r.elected = r.votes > last
    tied = [r for r in passing if r.votes == last]
    free = election.seats - sum(r.elected for r in passing)
    if len(tied) == free:
        for r in tied:
            r.elected = True
        return [], ""
    if election.rule("tie") == "older":
        won, tied = _older(election, tied, free)
        for r in won:
            r.elected = r.by_age = True
        if not tied:
            return [], "older"
        return [r.name for r in tied], "older" if won else ""
    return [r.name for r in tied], ""


def _older(
    election: Election, tied: list[CandidateResult], free: int
) -> tuple[list[CandidateResult], list[CandidateResult]]:
    """Give ``free`` seats among the tied to the oldest; returns (winners, still tied).

    Without a birth date for every tied candidate, or when two share the date at the boundary, the
    tie (or what is left of it) stays for a new vote.
    """
    born = {r.index: election.candidates[r.index].born for r in tied}
    if not all(born.values()):
        return [], tied
    tied = sorted(tied, key=lambda r: born[r.index])
    edge = born[tied[free - 1].index]
    won = [r for r in tied if born[r.index] < edge]
    at_edge = [r for r in tied if born[r.index] == edge]
    if len(won) + len(at_edge) == free:
        return won + at_edge, []
    return won, at_edge


def further_round(
    election: Election, results: list[CandidateResult], tie: list[str], valid: bool
) -> tuple[list[str], int]:
    """Who a further round lists, and for how many seats.

    Turnout not met: the whole election again. A tie: the tied, for the seats left. Fewer elected than
    seats: every candidate not elected, highest votes first.
    """
    if not valid:
        return [r.name for r in results], election.seats
    free = election.seats - sum(r.elected for r in results)
    if free <= 0:
        return [], 0
    if tie:
        return list(tie), free
    rest = sorted((r for r in results if not r.elected), key=lambda r: (-r.votes, r.index))
    return [r.name for r in rest], free


SETTING_NUMBERS = ("issued", "returned", "present", "excluded")


def effective_election(election: Election, settings: dict) -> Election:
    """The election with the numbers the committee entered (``kiemphieu set``) over the file's."""
    values = {k: settings[k] for k in SETTING_NUMBERS if k in settings}
    return dataclasses.replace(election, **values) if values else election


def tally_count(count) -> tuple[Election, Tally]:
    """The election in force and its tally, from an open ``store.Count``."""
    election = effective_election(count.election(), count.settings())
    return election, compute(election, count.status_counts(), count.valid_votes(), count.reason_counts("invalid"))


def compute(election: Election, status_counts: dict[str, int], ballots: Iterable[tuple[list[str], list[str]]],
            invalid_reasons: dict[str, int] | None = None) -> Tally:
    """Tally from page statuses and the (votes, against) of every valid ballot."""
    counts = {k: int(status_counts.get(k, 0)) for k in STATUSES}
    votes: Counter[str] = Counter()
    against: Counter[str] = Counter()
    for v, a in ballots:
        votes.update(v)
        against.update(a)
    base, base_kind = base_of(election, counts["valid"])
    results = [CandidateResult(i, c.label, votes[c.label], percent(votes[c.label], base), False, against[c.label])
               for i, c in enumerate(election.candidates)]
    scanned = counts["valid"] + counts["invalid"] + counts["review"]
    turnout = turnout_of(election, scanned)
    tie, note = elect(election, results, base)
    if turnout is not None and not turnout.valid:
        for r in results:
            r.elected = r.by_age = False
        tie, note = [], ""
    valid = turnout is None or turnout.valid
    next_round, next_seats = further_round(election, results, tie, valid)
    return Tally(counts, base, base_kind, results, tie, note, counts["review"], rules=election.rules,
                 seats=election.seats, excluded=election.excluded if base_kind == "electorate" else 0,
                 turnout=turnout, reconciliation=reconcile(election, scanned),
                 invalid_reasons=dict(invalid_reasons or {}), next_round=next_round, next_seats=next_seats)
