"""The validity rules: from what was read on a ballot — by the reader or by a person — to its status.

Never touches pixels. ``verdict_for`` is the one rule that turns the names chosen on a ballot (and,
on yes/no ballots, the names against) into a status; the reader's verdict (``judge``), ``kiemphieu
resolve`` and the review form all call it, so a person's decision is judged exactly like the machine's.
Anything the reader found unclear goes to review instead (``judge``), and so does a page on which the
two readers disagree (``readers_disagree``).
"""
from __future__ import annotations

from collections.abc import Iterable

from ..election import Election
from ..records import (
    CHOICES,
    DISAGREE,
    INVALID_CODES,
    UNCLEAR,
    Code,
    NameState,
    PageReading,
    Reason,
    Status,
    Verdict,
    is_code,
)


class DecisionError(ValueError):
    """A decision that cannot stand as given; ``key`` is a texts key, ``kw`` its values."""

    def __init__(self, key: str, **kw):
        super().__init__(key)
        self.key, self.kw = key, kw


def vote_state(election: Election) -> NameState:
    """The state of a name that gives it a vote on this election's ballots."""
    return CHOICES[election.ballot][0]


def verdict_for(election: Election, votes: Iterable[str], against: Iterable[str] = (),
                invalid: Iterable[Reason] = ()) -> Verdict:
    """The status of a ballot on which ``votes`` are chosen (and, on yes/no ballots, ``against``).

    ``invalid`` are reasons found besides the names (writing added, no seal). Strike and mark ballots
    with more names chosen than seats, or none, are invalid. A name must be one of the election's, and
    on a yes/no ballot cannot be both for and against; ``against`` exists only on yes/no ballots
    (DecisionError otherwise). Names come back in ballot order.
    """
    labels = election.labels
    votes, against = set(votes), set(against)
    unknown = sorted((votes | against) - set(labels))
    if unknown:
        raise DecisionError("decision_unknown_name", names="; ".join(unknown))
    if against and election.ballot != "approve":
        raise DecisionError("decision_against_not_approve")
    both = [n for n in labels if n in votes and n in against]
    if both:
        raise DecisionError("decision_for_and_against", names="; ".join(both))
    reasons = list(invalid)
    chosen = [n for n in labels if n in votes]
    if election.ballot != "approve":
        if len(chosen) > election.seats:
            reasons.append(Reason(Code.OVERVOTE))
        if not chosen:
            reasons.append(Reason(Code.NO_VOTES))
    if reasons:
        return Verdict(Status.INVALID, [], reasons)
    return Verdict(Status.VALID, chosen, [], [n for n in labels if n in against])


def verdict_from_states(election: Election, states: dict[str, NameState], invalid: Iterable[Reason] = ()) -> Verdict:
    """``verdict_for`` from one state per name (a reading, or a reviewer's choice per row)."""
    wrong = {n: s for n, s in states.items() if s not in CHOICES[election.ballot]}
    if wrong:
        raise DecisionError("decision_bad_state", names="; ".join(wrong))
    return verdict_for(election, [n for n, s in states.items() if s == vote_state(election)],
                       [n for n, s in states.items() if s == DISAGREE], invalid)


def invalid_verdict(code: str, words: str = "") -> Verdict:
    """A person's verdict "invalid": a known invalid code, or their own words (as ``other``)."""
    if is_code(code) and Code(code) in INVALID_CODES:
        return Verdict(Status.INVALID, [], [Reason(Code(code), words if code == Code.OTHER else "")])
    return Verdict(Status.INVALID, [], [Reason(Code.OTHER, words or code)])


def rejected_verdict(words: str) -> Verdict:
    """A person's verdict "not a ballot of this election", with their words."""
    return Verdict(Status.REJECTED, [], [Reason(Code.NOT_BALLOT, words)])


def readers_disagree(reading: PageReading) -> list[Reason]:
    """Where reader B (``reading.second``) does not confirm reader A: the one rule of agreement.

    A name disagrees when reader A read it clearly and reader B read anything else (another state, or
    unclear); a name reader A found unclear is in review for that already. The validity disagrees when
    one reader found writing added and the other did not, or reader B could not tell (a note lying on
    the page, a mark it cannot call). Overvotes and ballots with no votes follow from the names. Only
    the readings' conclusions are compared, never their measures, so either reader may change its
    method without touching this rule. No second reading (``--readers 1``, a page not read as a
    ballot): nothing to compare."""
    b = reading.second
    if b is None or not reading.is_ballot:
        return []
    theirs = {n.index: NameState(n.state) for n in b.names}
    names = tuple(n.label for n in reading.names
                  if n.state != UNCLEAR and theirs.get(n.index, UNCLEAR) != NameState(n.state))
    out = [Reason(Code.READERS_DISAGREE, "names", names)] if names else []
    if b.writing == "unclear" or (b.writing == "yes") != bool(reading.extra_writing):
        out.append(Reason(Code.READERS_DISAGREE, "writing"))
    return out


def judge(reading: PageReading, election: Election) -> Verdict:
    """Apply the rules of ``election`` to one page's reading."""
    if not reading.is_ballot:
        return Verdict(Status.REJECTED, [], [Reason(Code.NOT_BALLOT, reading.not_ballot_why)])
    doubts = [Reason(Code(d)) for d in reading.doubt]
    doubts += [Reason(Code.UNCLEAR, n.why, (n.label,)) for n in reading.names if n.state == UNCLEAR]
    doubts += readers_disagree(reading)
    if reading.stray_marks:
        doubts.append(Reason(Code.STRAY_MARK))
    if election.require_seal and reading.seal == "unclear":
        doubts.append(Reason(Code.SEAL_UNCLEAR))
    if doubts:
        return Verdict(Status.REVIEW, [], doubts)
    invalid = []
    if reading.extra_writing:
        invalid.append(Reason(Code.EXTRA_WRITING))
    if election.require_seal and reading.seal == "absent":
        invalid.append(Reason(Code.NO_SEAL))
    return verdict_from_states(election, {n.label: NameState(n.state) for n in reading.names}, invalid)
