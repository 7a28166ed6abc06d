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
    e = election(electorate=100, rules="state")
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
