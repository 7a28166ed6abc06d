"""The agreement of the two readers (tally/validity.readers_disagree, judge), on tiny readings."""
from __future__ import annotations

from kiemphieu.election import Candidate, Election
from kiemphieu.records import (
    AGREE,
    EMPTY,
    MARKED,
    STANDING,
    STRUCK,
    UNCLEAR,
    VOID,
    Box,
    Code,
    NameReading,
    PageReading,
    Reason,
    SecondReading,
    Status,
    Verdict,
)
from kiemphieu.tally.validity import judge, readers_disagree

A, B, C = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"
NAMES = (A, B, C)


def election(ballot: str = "strike", seats: int = 2) -> Election:
    return Election("Bầu thử", seats, ballot, tuple(Candidate(n) for n in NAMES))


def names(*states) -> list[NameReading]:
    return [NameReading(i, n, s) for i, (n, s) in enumerate(zip(NAMES, states))]


def reading(a: tuple, b: tuple | None, writing_a: bool = False, writing_b: str = "no") -> PageReading:
    second = None if b is None else SecondReading(names(*b), writing_b)
    return PageReading(True, names=names(*a), extra_writing=[Box(0, 0, 9, 9)] if writing_a else [], second=second)


def test_agreeing_readers_count_the_ballot():
    r = reading((STANDING, STRUCK, STANDING), (STANDING, STRUCK, STANDING))
    assert readers_disagree(r) == []
    assert judge(r, election()) == Verdict(Status.VALID, [A, C])


def test_a_name_read_otherwise_goes_to_review_naming_it():
    r = reading((STANDING, STRUCK, STANDING), (STANDING, STANDING, STANDING))
    want = [Reason(Code.READERS_DISAGREE, "names", (B,))]
    assert readers_disagree(r) == want
    assert judge(r, election()) == Verdict(Status.REVIEW, [], want)


def test_reader_b_unsure_of_a_name_reader_a_read_clearly_is_a_disagreement():
    r = reading((STRUCK, STRUCK, STANDING), (UNCLEAR, STRUCK, UNCLEAR))
    assert readers_disagree(r) == [Reason(Code.READERS_DISAGREE, "names", (A, C))]


def test_a_name_reader_a_found_unclear_is_in_review_for_that_alone():
    r = reading((UNCLEAR, STRUCK, STANDING), (STANDING, STRUCK, STANDING))
    assert readers_disagree(r) == []
    assert judge(r, election()).reasons == [Reason(Code.UNCLEAR, "", (A,))]


def test_writing_seen_by_one_reader_only_goes_to_review():
    both_see = reading((STANDING, STRUCK, STANDING), (STANDING, STRUCK, STANDING), True, "yes")
    assert judge(both_see, election()) == Verdict(Status.INVALID, [], [Reason(Code.EXTRA_WRITING)])
    only_a = reading((STANDING, STRUCK, STANDING), (STANDING, STRUCK, STANDING), True, "no")
    only_b = reading((STANDING, STRUCK, STANDING), (STANDING, STRUCK, STANDING), False, "yes")
    b_unsure = reading((STANDING, STRUCK, STANDING), (STANDING, STRUCK, STANDING), False, "unclear")
    for r in (only_a, only_b, b_unsure):
        assert judge(r, election()) == Verdict(Status.REVIEW, [], [Reason(Code.READERS_DISAGREE, "writing")])


def test_names_and_writing_both_named():
    r = reading((STANDING, STRUCK, STANDING), (STRUCK, STRUCK, STANDING), False, "yes")
    assert readers_disagree(r) == [Reason(Code.READERS_DISAGREE, "names", (A,)),
                                   Reason(Code.READERS_DISAGREE, "writing")]


def test_mark_and_yes_no_states_are_compared_as_states():
    assert readers_disagree(reading((MARKED, EMPTY, EMPTY), (MARKED, EMPTY, EMPTY))) == []
    assert readers_disagree(reading((AGREE, VOID, AGREE), (AGREE, AGREE, AGREE))) == [
        Reason(Code.READERS_DISAGREE, "names", (B,))]


def test_one_reader_or_no_ballot_has_nothing_to_compare():
    assert readers_disagree(reading((STANDING, STRUCK, STANDING), None)) == []
    assert readers_disagree(PageReading(False, "print_mismatch")) == []


def test_second_reading_survives_the_store_round_trip():
    r = reading((STANDING, STRUCK, STANDING), (STANDING, UNCLEAR, STANDING), False, "unclear")
    r.second.regions = [Box(1, 2, 3, 4)]
    r.second.names[1].evidence = {"p": [0.2, 0.5, 0.3]}
    back = PageReading.from_dict(r.to_dict())
    assert back == r
    assert back.second.names[1].state is UNCLEAR
