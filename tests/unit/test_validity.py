"""The one rule from names to a status (tally/validity.py), on small elections with exact answers."""
from __future__ import annotations

import pytest

from kiemphieu.election import Candidate, Election
from kiemphieu.records import (
    AGREE,
    DISAGREE,
    STANDING,
    STRUCK,
    UNCLEAR,
    VOID,
    Code,
    NameReading,
    PageReading,
    Reason,
    Status,
    Verdict,
)
from kiemphieu.tally.validity import DecisionError, invalid_verdict, judge, rejected_verdict, verdict_for

A, B, C = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"


def election(ballot: str = "strike", seats: int = 2, **kw) -> Election:
    return Election("Bầu thử", seats, ballot, tuple(Candidate(n) for n in (A, B, C)), **kw)


def reading(*states: str, **kw) -> PageReading:
    return PageReading(True, names=[NameReading(i, n, s) for i, (n, s) in enumerate(zip((A, B, C), states))], **kw)


@pytest.mark.parametrize("votes, want", [
    ([A, B], Verdict(Status.VALID, [A, B])),
    ([B, A], Verdict(Status.VALID, [A, B])),                      # ballot order, whatever order given
    ([C], Verdict(Status.VALID, [C])),
    ([A, B, C], Verdict(Status.INVALID, [], [Reason(Code.OVERVOTE)])),
    ([], Verdict(Status.INVALID, [], [Reason(Code.NO_VOTES)])),
])
def test_strike_and_mark_ballots(votes, want):
    assert verdict_for(election("strike"), votes) == want
    assert verdict_for(election("mark"), votes) == want


def test_reasons_found_besides_the_names_come_first():
    v = verdict_for(election(), [], invalid=[Reason(Code.EXTRA_WRITING)])
    assert v == Verdict(Status.INVALID, [], [Reason(Code.EXTRA_WRITING), Reason(Code.NO_VOTES)])


def test_yes_no_ballots_keep_the_names_against():
    e = election("approve", seats=3)
    assert verdict_for(e, [C], [B, A]) == Verdict(Status.VALID, [C], [], [A, B])
    assert verdict_for(e, [], [A, B, C]) == Verdict(Status.VALID, [], [], [A, B, C])    # all against: valid
    assert verdict_for(e, [], []) == Verdict(Status.VALID, [], [], [])                  # every row void: valid


@pytest.mark.parametrize("kind, votes, against, key", [
    ("approve", [A], [A], "decision_for_and_against"),
    ("strike", [A], [B], "decision_against_not_approve"),
    ("strike", ["Không Có Ai"], [], "decision_unknown_name"),
])
def test_decisions_that_cannot_stand(kind, votes, against, key):
    with pytest.raises(DecisionError) as ex:
        verdict_for(election(kind), votes, against)
    assert ex.value.key == key


def test_the_reader_is_judged_by_the_same_rule():
    assert judge(reading(STANDING, STRUCK, STANDING), election()) == Verdict(Status.VALID, [A, C])
    assert judge(reading(STANDING, STANDING, STANDING), election()) == verdict_for(election(), [A, B, C])
    assert judge(reading(STRUCK, STRUCK, STRUCK), election()) == verdict_for(election(), [])
    e = election("approve", seats=3)
    assert judge(reading(AGREE, DISAGREE, VOID), e) == Verdict(Status.VALID, [A], [], [B])


def test_doubts_go_to_review_with_typed_reasons():
    r = reading(STANDING, UNCLEAR, STRUCK, doubt=[Code.PRINT_MISMATCH])
    r.names[1].why = "partial_strike"
    r.stray_marks.append(None)
    assert judge(r, election()) == Verdict(Status.REVIEW, [], [
        Reason(Code.PRINT_MISMATCH), Reason(Code.UNCLEAR, "partial_strike", (B,)), Reason(Code.STRAY_MARK)])


def test_seal_rules_apply_only_when_the_election_asks():
    r = reading(STANDING, STRUCK, STRUCK, seal="absent")
    assert judge(r, election()).status == Status.VALID
    assert judge(r, election(require_seal=True)) == Verdict(Status.INVALID, [], [Reason(Code.NO_SEAL)])
    r.seal = "unclear"
    assert judge(r, election(require_seal=True)) == Verdict(Status.REVIEW, [], [Reason(Code.SEAL_UNCLEAR)])


def test_not_a_ballot():
    assert judge(PageReading(False, "bad_pose"), election()) == Verdict(Status.REJECTED, [],
                                                                        [Reason(Code.NOT_BALLOT, "bad_pose")])


def test_a_persons_own_words():
    assert invalid_verdict("overvote") == Verdict(Status.INVALID, [], [Reason(Code.OVERVOTE)])
    assert invalid_verdict("chữ ký lạ") == Verdict(Status.INVALID, [], [Reason(Code.OTHER, "chữ ký lạ")])
    assert invalid_verdict("other", "ghi chú") == Verdict(Status.INVALID, [], [Reason(Code.OTHER, "ghi chú")])
    assert rejected_verdict("tờ giấy trắng") == Verdict(Status.REJECTED, [], [Reason(Code.NOT_BALLOT, "tờ giấy trắng")])


@pytest.mark.parametrize("legacy, record", [
    ("unclear:partial_strike:Trần Thị Bình", {"code": "unclear", "why": "partial_strike", "names": [B]}),
    ("page:double_feed:7", {"code": "double_feed", "ballot": 7}),
    ("page:read_error:ValueError", {"code": "read_error", "why": "ValueError"}),
    ("page:print_mismatch", {"code": "print_mismatch"}),
    ("not_ballot:no_match:bad_pose", {"code": "not_ballot", "why": "bad_pose"}),
    ("not_ballot:tờ giấy trắng", {"code": "not_ballot", "why": "tờ giấy trắng"}),
    ("other:ghi chú", {"code": "other", "why": "ghi chú"}),
    ("overvote", {"code": "overvote"}),
    ("chữ ký lạ", {"code": "other", "why": "chữ ký lạ"}),
])
def test_reasons_of_schema_version_1(legacy, record):
    assert Reason.from_legacy(legacy).to_dict() == record
    assert Reason.from_dict(record) == Reason.from_legacy(legacy)
