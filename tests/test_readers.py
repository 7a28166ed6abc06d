"""Two readers through the CLI: a disagreement goes to review with its reason naming the names, export
carries reader B's reading, ``--readers 1`` reads with reader A alone, and inspect draws both."""
from __future__ import annotations

from pathlib import Path

from kiemphieu.records import STANDING, NameReading, SecondReading
from kiemphieu.scan import page as page_mod

from conftest import create_count, export, kp

DEMO = Path(__file__).resolve().parent.parent / "samples" / "demo"


def test_a_disagreement_goes_to_review_naming_the_names(tmp_path, monkeypatch):
    # Reader B made to read every name as standing: every name reader A read as struck is a disagreement.
    monkeypatch.setattr(page_mod, "read_second", lambda models, page, blank, layout, side=None: SecondReading(
        [NameReading(s.index, s.label, STANDING) for s in layout.slots], "no"))
    count = create_count(DEMO, tmp_path / "c.kp")
    kp("scan", count, DEMO / "scans", "--jobs", 1, "--quiet")
    rows = export(count)
    checked = 0
    for r in rows.values():
        if r["status"] == "rejected":
            assert "reader_b" not in r        # reader B reads only what reader A takes for a ballot
            continue
        struck = sorted(n for n, s in r["names"].items() if s == "struck")
        said = [x for x in r["reasons"] if x["code"] == "readers_disagree" and x["why"] == "names"]
        assert r["reader_b"]["names"] == {n: "standing" for n in r["names"]}
        if struck:
            assert r["status"] == "review"
            assert [(x["why"], sorted(x["names"])) for x in said] == [("names", struck)]
            assert said[0]["names"] == [n for n in r["names"] if n in struck]    # in ballot order
            checked += 1
        else:
            assert said == []
    assert checked >= 5
    # The ballot with a name written in: reader B (made to see no writing) disagrees on the validity too.
    assert sum({"code": "readers_disagree", "why": "writing"} in r["reasons"] for r in rows.values()) == 1
    res = kp("--lang", "en", "export", count, "--format", "csv")
    assert "the two readers disagree — " in res.output and "B: writing" in res.output.splitlines()[0]


def test_one_reader_reads_without_reader_b(tmp_path):
    count = create_count(DEMO, tmp_path / "c.kp")
    kp("scan", count, DEMO / "scans", "--jobs", 1, "--quiet", "--readers", "1")
    rows = export(count)
    assert rows and all("reader_b" not in r for r in rows.values())
    assert not any(x["code"] == "readers_disagree" for r in rows.values() for x in r["reasons"])


def test_both_readers_agree_on_the_demo_set_and_inspect_draws_both(tmp_path):
    one = create_count(DEMO, tmp_path / "one.kp")
    kp("scan", one, DEMO / "scans", "--jobs", 1, "--quiet", "--readers", "1")
    two = create_count(DEMO, tmp_path / "two.kp")
    kp("scan", two, DEMO / "scans", "--jobs", 1, "--quiet")
    a, ab = export(one), export(two)
    assert {k: (r["status"], r["votes"]) for k, r in ab.items()} == {k: (r["status"], r["votes"]) for k, r in a.items()}
    ballot = next(r["ballot"] for r in ab.values() if r["status"] == "valid")
    out = tmp_path / "b.png"
    kp("inspect", two, ballot, "-o", out)
    from PIL import Image
    w, h = Image.open(out).size
    assert w > 2 * h * 0.65      # two A4 pages side by side (one alone is about 0.7 as wide as high)
