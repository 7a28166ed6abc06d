"""The validity rules: from what was read on a page to its status.

Never touches pixels: it takes a ``PageReading`` and the election and decides
valid / invalid / review / rejected, with reasons a person can read. Anything unclear goes to review.

Reason codes (stable, used in exports): ``overvote``, ``no_votes``, ``extra_writing``, ``no_seal``,
``not_ballot``; review reasons are ``unclear:<why>:<name>`` for a name, ``stray_mark``,
``seal_unclear`` and ``page:<why>`` for the page.
"""
from __future__ import annotations

from ..election import Election
from ..records import MARKED, STANDING, UNCLEAR, PageReading, Verdict

VALID, INVALID, REVIEW, REJECTED = "valid", "invalid", "review", "rejected"
STATUSES = (VALID, INVALID, REVIEW, REJECTED)
INVALID_REASONS = ("overvote", "no_votes", "write_in", "extra_writing", "no_seal", "other")


def judge(reading: PageReading, election: Election) -> Verdict:
    """Apply the rules of ``election`` to one page's reading."""
    if not reading.is_ballot:
        return Verdict(REJECTED, [], ["not_ballot:" + reading.not_ballot_why])
    doubts = [f"page:{d}" for d in reading.doubt]
    doubts += [f"unclear:{n.why}:{n.label}" for n in reading.names if n.state == UNCLEAR]
    if reading.stray_marks:
        doubts.append("stray_mark")
    if election.require_seal and reading.seal == "unclear":
        doubts.append("seal_unclear")
    if doubts:
        return Verdict(REVIEW, [], doubts)
    invalid = []
    if reading.extra_writing:
        invalid.append("extra_writing")
    if election.require_seal and reading.seal == "absent":
        invalid.append("no_seal")
    if election.ballot == "approve":
        votes = [n.label for n in reading.names if n.state == "agree"]
        against = [n.label for n in reading.names if n.state == "disagree"]
        if invalid:
            return Verdict(INVALID, [], invalid)
        return Verdict(VALID, votes, [], against)
    chosen_state = STANDING if election.ballot == "strike" else MARKED
    votes = [n.label for n in reading.names if n.state == chosen_state]
    if len(votes) > election.seats:
        invalid.append("overvote")
    if not votes:
        invalid.append("no_votes")
    if invalid:
        return Verdict(INVALID, [], invalid)
    return Verdict(VALID, votes, [])
