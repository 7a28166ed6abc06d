"""Results by the rules, with worked numbers."""
from __future__ import annotations

from kiemphieu.election import parse_election
from kiemphieu.tally.results import compute, percent


def election(**kw):
    d = {"title": "T", "seats": 2, "candidates": ["A", "B", "C"]}
    d.update(kw)
    return parse_election(d)


def test_party_base_is_electorate_and_more_than_half_is_strict():
    e = election(electorate=10)
    t = compute(e, {"valid": 6}, [(["A", "B"], [])] * 5 + [(["A"], [])])
    got = {c.name: (c.votes, c.elected, c.percent) for c in t.candidates}
    assert got["A"] == (6, True, 60.0)      # 6 of 10 is more than half
    assert got["B"] == (5, False, 50.0)     # 5 of 10 is not
    assert t.base == 10 and t.base_kind == "electorate"


def test_state_base_is_valid_ballots():
    e = election(electorate=5, rules="state")       # turnout 4 of 5
    t = compute(e, {"valid": 3, "invalid": 1}, [(["A"], []), (["A", "B"], []), (["C"], [])])
    assert t.base == 3
    assert [c.elected for c in t.candidates] == [True, False, False]


def test_party_tie_at_last_seat_is_reported_not_broken():
    e = election(seats=1, electorate=4)
    t = compute(e, {"valid": 4}, [(["A"], [])] * 3 + [(["B"], [])] * 3 + [(["C"], [])])
    assert t.tie == ["A", "B"]
    assert not any(c.elected for c in t.candidates)


def test_state_tie_goes_to_the_older():
    e = parse_election({"title": "T", "seats": 1, "rules": "state",
                        "candidates": [{"name": "A", "born": "1980-01-01"}, {"name": "B", "born": "1975-06-30"}]})
    t = compute(e, {"valid": 4}, [(["A"], [])] * 3 + [(["B"], [])] * 3)
    assert [c.elected for c in t.candidates] == [False, True]
    assert t.tie == [] and t.tie_note == "older"


def test_at_most_seats_highest_first():
    e = election(seats=2, electorate=4)
    t = compute(e, {"valid": 4}, [(["A", "B"], [])] * 3 + [(["A", "C"], [])] + [(["C"], [])] * 0)
    assert [c.elected for c in t.candidates] == [True, True, False]


def test_percent_two_decimals_half_up():
    assert percent(1, 3) == 33.33
    assert percent(2, 3) == 66.67
    assert percent(1, 8) == 12.5     # 12.50
    assert percent(1, 400) == 0.25
    assert percent(5, 0) == 0.0


# --- worked numbers for each rule (issue 5) --------------------------------------------------------

def votes(**per_name):
    """One valid ballot per vote: votes(A=6, B=5) → six ballots for A, five for B."""
    return [([name], []) for name, n in per_name.items() for _ in range(n)]


def test_base_10_five_votes_is_not_elected_six_is():
    e = election(seats=2, electorate=10)
    t = compute(e, {"valid": 11}, votes(A=6, B=5))
    got = {c.name: c.elected for c in t.candidates}
    assert got == {"A": True, "B": False, "C": False}
    assert t.threshold == 5 and t.base == 10


def test_party_excluded_lowers_the_base():
    e = election(seats=2, electorate=12, excluded=2)      # base 10
    t = compute(e, {"valid": 11}, votes(A=6, B=5))
    assert (t.base, t.excluded) == (10, 2)
    assert [c.elected for c in t.candidates] == [True, False, False]
    assert t.candidates[0].percent == 60.0


def test_party_fewer_elected_than_seats_lists_the_further_round():
    e = election(seats=2, electorate=10)
    t = compute(e, {"valid": 10}, votes(A=6, B=3, C=4))
    assert [c.name for c in t.elected] == ["A"]
    assert t.next_round == ["C", "B"] and t.next_seats == 1


def test_party_tie_reported_with_the_tied_for_a_new_vote():
    e = parse_election({"title": "T", "seats": 2, "electorate": 10, "candidates": [
        {"name": "A", "born": "1960-01-01"}, {"name": "B", "born": "1970-01-01"}, {"name": "C", "born": "1950-01-01"}]})
    t = compute(e, {"valid": 10}, votes(A=8, B=7, C=7))    # birth dates do not matter under party rules
    assert [c.elected for c in t.candidates] == [True, False, False]
    assert t.tie == ["B", "C"] and t.tie_note == ""
    assert t.next_round == ["B", "C"] and t.next_seats == 1


def test_state_tie_by_birth_date_reported_with_the_reason():
    e = parse_election({"title": "T", "seats": 2, "rules": "state", "candidates": [
        {"name": "A", "born": "1960-01-01"}, {"name": "B", "born": "1970-05-02"}, {"name": "C", "born": "1968-12-31"}]})
    t = compute(e, {"valid": 10}, votes(A=8, B=7, C=7))
    assert [c.name for c in t.elected] == ["A", "C"]        # C is older than B
    assert t.candidates[2].by_age and not t.candidates[0].by_age
    assert t.tie == [] and t.tie_note == "older" and t.next_round == []


def test_state_tie_same_birth_date_stays_a_tie():
    e = parse_election({"title": "T", "seats": 1, "rules": "state", "candidates": [
        {"name": "A", "born": "1960-01-01"}, {"name": "B", "born": "1960-01-01"}]})
    t = compute(e, {"valid": 10}, votes(A=6, B=6))
    assert t.tie == ["A", "B"] and not t.elected


def test_state_more_passing_than_seats_highest_win():
    e = election(seats=1, rules="state")
    t = compute(e, {"valid": 10}, [(["A", "B"], [])] * 6 + [(["A"], [])])
    assert [c.passed for c in t.candidates] == [True, True, False]
    assert [c.name for c in t.elected] == ["A"]


def test_state_turnout_exactly_half_is_not_valid():
    e = election(seats=1, rules="state", electorate=20, returned=10)
    t = compute(e, {"valid": 10}, votes(A=10))
    assert t.turnout.percent == 50.0 and not t.turnout.valid and not t.valid
    assert t.elected == [] and t.next_round == ["A", "B", "C"] and t.next_seats == 1


def test_state_turnout_more_than_half_is_valid():
    e = election(seats=1, rules="state", electorate=20)
    t = compute(e, {"valid": 11}, votes(A=11))                # returned taken from the pages scanned
    assert t.turnout.valid and t.turnout.source == "scanned" and t.turnout.percent == 55.0
    assert [c.name for c in t.elected] == ["A"]


def test_overrides_change_one_rule_of_the_set():
    e = election(seats=1, electorate=10, overrides={"tie": "older"}, candidates=[
        {"name": "A", "born": "1980-01-01"}, {"name": "B", "born": "1975-06-30"}])
    t = compute(e, {"valid": 10}, votes(A=6, B=6))
    assert [c.name for c in t.elected] == ["B"] and t.base_kind == "electorate"
    e = election(seats=1, rules="state", electorate=100, overrides={"base": "electorate", "turnout": False})
    t = compute(e, {"valid": 10}, votes(A=10))
    assert t.base == 100 and t.turnout is None and t.elected == []


def test_reconciliation_names_every_difference():
    e = election(electorate=250, issued=250, returned=248)
    t = compute(e, {"valid": 240, "invalid": 5, "review": 2, "rejected": 3}, [])
    assert [(d.key, d.a, d.b) for d in t.reconciliation] == [("returned_scanned", 248, 247)]
    e = election(electorate=250, issued=240, returned=245, present=239)
    t = compute(e, {"valid": 245}, [])
    assert {d.key for d in t.reconciliation} == {"returned_issued", "issued_present"}
    assert compute(election(issued=5, returned=5), {"valid": 5}, []).reconciliation == []


def test_contradictory_election_files_are_refused():
    import pytest

    from kiemphieu.election import ElectionError
    for bad, word in [({"seats": 0}, "seats"), ({"electorate": 10, "excluded": 10}, "excluded"),
                      ({"excluded": 1}, "excluded"), ({"issued": -1}, "issued"),
                      ({"overrides": {"tie": "coin"}}, "tie"), ({"overrides": {"quorum": 1}}, "quorum"),
                      ({"overrides": {"turnout": "yes"}}, "turnout"),
                      ({"rules": "state", "overrides": {"base": "electorate"}}, "electorate")]:
        with pytest.raises(ElectionError, match=word):
            election(**bad)


def test_old_stored_elections_still_load():
    from kiemphieu.election import Election
    old = {"title": "T", "seats": 1, "ballot": "strike", "candidates": [{"name": "A", "note": "", "born": ""}],
           "electorate": None, "rules": "party", "require_seal": False}
    e = Election.from_dict(old)
    assert e.excluded == 0 and e.overrides == {} and e.round == 1
    assert Election.from_dict(e.to_dict()) == e


def test_needed_is_the_fewest_whole_votes_that_elect():
    for base, needed in [(10, 6), (11, 6), (94, 48), (95, 48), (1, 1), (2, 2)]:
        e = election(seats=1, electorate=base)
        t = compute(e, {"valid": 1}, votes(A=needed, B=needed - 1))
        assert t.needed == needed and t.needed > t.threshold >= t.needed - 1
        assert [c.elected for c in t.candidates][:2] == [True, False]
