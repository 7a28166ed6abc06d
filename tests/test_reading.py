"""Accuracy on generated ballot sets: the real pipeline (CLI new + scan) checked page by page.

Each set prints, per case, how many readings were right, flagged for review, or wrong; any silent
misread (a wrong reading not flagged, an unclear ballot not flagged, a non-ballot counted) fails.
"""
from __future__ import annotations

import collections

import pytest

import ballotgen

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
        if not t["valid"] or set(r["votes"]) != set(t["votes"]):
            return "wrong"
        return "correct" if set(r.get("against", [])) == set(t.get("against", [])) else "wrong"
    if st == "invalid":
        return "correct" if not t["valid"] else "wrong"
    return "wrong"


def report(setdir, count) -> tuple[collections.Counter, list]:
    """Per-case table printed for the log; returns (totals, silent errors)."""
    truth, got = load_truth(setdir), export(count)
    total = collections.Counter()
    cases = collections.defaultdict(collections.Counter)
    bad = []
    for key, t in truth.items():
        c = classify(t, got.get(key))
        if c == "flagged" and {x["code"] for x in got[key]["reasons"]} == {"readers_disagree"}:
            c = "disagree"          # a clear ballot sent to review only because reader B read it otherwise
        total[c] += 1
        cases[t.get("case", t["kind"])][c] += 1
        if c in ("wrong", "missed", "missing"):
            bad.append((key, t.get("case"), (got.get(key) or {}).get("status"), (got.get(key) or {}).get("reasons")))
    print(f"\n{setdir.name}: {dict(total)}")
    for case, c in sorted(cases.items()):
        print(f"  {case:<12} right {c['correct'] + c['flag_ok']:>3}  flagged {c['flagged']:>3}  "
              f"readers disagree {c['disagree']:>3}  wrong {c['wrong'] + c['missed'] + c['missing']:>3}")
    return total, bad


# Clear generated ballots sent to review, at most, per set (measured 2026-12-02: 1–2 per set of 12–22 clear
# ballots). A rise is a regression; the stress matrix (benchmarks/stress.py) measures the rate itself.
MAX_FLAGGED_PER_SET = 2
# Clear generated ballots sent to review only because the two readers disagree, at most, per set (measured
# 2026-12-02: 0–2 per set; issue 13 asks for at most 1 % of clear ballots, which this does not yet pin).
MAX_DISAGREE_PER_SET = 2


def test_no_silent_misread_on_table_ballots(strike_set, strike_count):
    total, bad = report(strike_set, strike_count)
    assert not bad, bad
    assert total["flagged"] <= MAX_FLAGGED_PER_SET, dict(total)
    assert total["disagree"] <= MAX_DISAGREE_PER_SET, dict(total)


def test_each_rule_case_gets_its_status(strike_set, strike_count):
    truth, got = load_truth(strike_set), export(strike_count)
    seen = collections.defaultdict(set)
    reasons = collections.defaultdict(list)
    for key, t in truth.items():
        seen[t.get("case", t["kind"])].add(got[key]["status"])
        reasons[t.get("case", t["kind"])].append(got[key]["reasons"])
    assert {"overvote", "all_struck", "partial", "blank", "write_in", "normal"} <= set(seen), sorted(seen)
    assert seen["overvote"] == {"invalid"} and set(map(str, reasons["overvote"])) == {str([{"code": "overvote"}])}
    assert seen["all_struck"] == {"invalid"} and set(map(str, reasons["all_struck"])) == {str([{"code": "no_votes"}])}
    assert seen["write_in"] == {"invalid"} and set(map(str, reasons["write_in"])) == {str([{"code": "extra_writing"}])}
    assert seen["partial"] == {"review"}
    assert all(r[0]["code"] == "unclear" and r[0]["why"] == "partial_strike" for r in reasons["partial"])
    assert seen["blank"] == {"rejected"}
    assert seen["normal"] == {"valid"}


SETS = {
    "strike-list-liberation": dict(kind="strike", layout="list", n=14, seed=202, font="liberation"),
    "strike-twocol-freeserif": dict(kind="strike", layout="twocol", n=12, seed=303, font="freeserif"),
    "mark-table": dict(kind="mark", layout="table", n=16, seed=404),
    "approve-table": dict(kind="approve", layout="table", n=14, seed=505),
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_generated_set_has_no_silent_misread(name, tmp_path_factory):
    d = tmp_path_factory.mktemp(name)
    ballotgen.generate_set(d, **SETS[name])
    count = counted(d, tmp_path_factory.mktemp(name + "-count"))
    total, bad = report(d, count)
    assert not bad, bad
    assert total["flagged"] <= MAX_FLAGGED_PER_SET, dict(total)
    assert total["disagree"] <= MAX_DISAGREE_PER_SET, dict(total)
