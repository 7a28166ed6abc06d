"""The real pipeline (CLI new + scan) on generated ballots, checked page by page against the truth."""
from __future__ import annotations

import collections

from conftest import counted, export, load_truth


def classify(t: dict, r: dict | None) -> str:
    """correct / flagged (a clear ballot sent to review) / flag_ok / wrong / missed / missing."""
    if r is None:
        return "missing"
    st = r["status"]
    if t["expect"] == "reject":
        return "correct" if st == "rejected" else ("flag_ok" if st == "review" else "wrong")
    if t["expect"] == "review":
        return "flag_ok" if st == "review" else "missed"
    if st == "review":
        return "flag_ok" if t.get("reason") in ("write_in", "extra_writing") else "flagged"
    if st == "valid":
        return "correct" if t["valid"] and set(r["votes"]) == set(t["votes"]) else "wrong"
    if st == "invalid":
        return "correct" if not t["valid"] else "wrong"
    return "wrong"


def score(setdir, count):
    truth, got = load_truth(setdir), export(count)
    by = collections.Counter()
    bad = []
    for key, t in truth.items():
        c = classify(t, got.get(key))
        by[c] += 1
        if c in ("wrong", "missed", "missing"):
            bad.append((key, t.get("case"), got.get(key)))
    return by, bad


def test_no_silent_misread_on_table_ballots(strike_set, strike_count):
    by, bad = score(strike_set, strike_count)
    print(dict(by))
    assert not bad, bad
    clear = sum(1 for t in load_truth(strike_set).values() if t["expect"] == "count")
    # Measured: 6 of 22 clear generated ballots flagged (blurred print read as partial strokes);
    # the public sets flag under 1 %. Issue 3 drives this down; a rise above 30 % is a regression.
    assert by["flagged"] <= 0.30 * clear, dict(by)


def test_each_rule_case_gets_its_status(strike_set, strike_count):
    truth, got = load_truth(strike_set), export(strike_count)
    seen = collections.defaultdict(set)
    for key, t in truth.items():
        seen[t.get("case", t["kind"])].add(got[key]["status"])
    assert seen["overvote"] <= {"invalid"}
    assert seen["all_struck"] <= {"invalid"}
    assert seen["partial"] == {"review"}
    assert seen["blank"] <= {"rejected"}
    assert seen["write_in"] <= {"invalid", "review"}
    assert "valid" in seen["normal"]
    for key, t in truth.items():
        if got[key]["status"] == "invalid" and t.get("case") == "overvote":
            assert got[key]["reasons"] == ["overvote"]


def test_list_layout_in_another_font(list_set, tmp_path):
    count = counted(list_set, tmp_path)
    by, bad = score(list_set, count)
    print(dict(by))
    assert not bad, bad
