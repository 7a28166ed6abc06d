"""Independence: how many of reader A's wrong readings reader B catches, with A deliberately weakened —
run by hand, not a test.

    .venv/bin/python benchmarks/independence.py --pages 150 --seed 4711 [--capture scanner|phone|bilevel|all]
        [--kind strike|mark|approve] [--json OUT] [--models DIR [DIR ...]]

Fresh counts of the stress matrix (``ballotgen.write_count``, as ``benchmarks/stress.py`` makes them) are
read in this process: each count's blank by ``find_layout``, each page decoded and registered once,
then read by reader B once and by reader A once as it is and once per weakening in ``WEAKENINGS`` —
one of A's main thresholds (``detect/thresholds.py``) moved off its place, monkeypatched for that read
only. Every reading is judged twice: reader A alone (``--readers 1``) and both readers (``judge`` with
reader B's reading: a disagreement goes to review). Pages are classed as ``stress.classify`` does.

It prints, per weakening: A's silent errors alone (wrong readings not flagged, unclear ballots counted,
over the pages that reached the reader), how many of them both readers send to review (caught) and how
many stay silent; then, for A as it is, how many clear ballots reader B's disagreement alone sends to
review (needless flags), and a final line

    INDEPENDENCE pages=… a_errors=… caught=… catch_rate=… needless=…/… needless_rate=… seed=…

where a_errors and caught sum over the weakenings (and A as it is).

``--models``: reader B's networks from these folders (``{names,cells,regions}.onnx``; default the package's),
each read on the same pages, one table and one INDEPENDENCE line per folder: two versions of reader B compared
like for like.
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stress import classify, plan  # noqa: E402

# (name, threshold, factor, ballot kinds it is used on): A's threshold times factor, the direction that
# makes A read wrong. A weakening is applied only to pages of the kinds whose reading uses it.
ALL = ("strike", "mark", "approve")
WEAKENINGS = [
    ("strike_cover_low", "STRIKE_MIN_COVER_SHARE", 0.5, ("strike",)),      # partial strikes read as struck
    ("standing_cover_high", "STANDING_MAX_COVER_SHARE", 5.0, ALL),         # partial strikes read as standing
    ("box_ink_low", "BOX_MIN_INK", 0.3, ("mark", "approve")),              # faint marks read as deliberate
    ("faint_trace_long", "FAINT_TRACE_MIN_XH", 4.0, ("strike",)),          # faint lines through letters not seen
    ("pen_ink_high", "PEN_MIN_INK", 3.0, ALL),                             # light strokes not seen as pen
    ("strike_band_wide", "STRIKE_BAND_XH", 4.0, ("strike",)),              # underlines read as strikes
    ("row_spill_high", "ROW_SPILL_XH", 4.0, ("strike",)),                  # strokes across two rows not seen
    ("beside_high", "MARK_BESIDE_MIN_TH", 6.0, ("strike",)),               # marks beside a name not seen
    ("box_empty_high", "BOX_EMPTY_MAX_FILL", 3.0, ("mark", "approve")),    # light marks read as empty boxes
    ("box_mark_low", "BOX_MARK_MIN_FILL", 0.4, ("mark", "approve")),       # traces read as marks
    ("box_spill_high", "BOX_SPILL_DOUBT_RATIO", 4.0, ("mark", "approve")),  # marks half outside read as marks
    ("writing_big", "WRITING_MIN_LENGTH_TH", 4.0, ALL),                    # writing read as a stray mark or nothing
    ("stray_big", "STRAY_MIN_SIDE_TH", 6.0, ALL),                          # small writing and marks read as nothing
    ("writing_small", "WRITING_MIN_LENGTH_TH", 0.35, ALL),                 # stray marks, seal pieces read as writing
    ("ignore_high", "IGNORE_MIN_SHARE", 1.01, ALL),                        # the seal's ink no longer ignored
]
SILENT = ("wrong", "missed_ambiguity", "missing")


def weakened(name: str, factor: float):
    """Context: detect/thresholds.py's ``name`` times ``factor`` inside, restored after."""
    import contextlib

    from kiemphieu.detect import thresholds as T

    @contextlib.contextmanager
    def ctx():
        old = getattr(T, name)
        setattr(T, name, type(old)(old * factor) if not isinstance(old, int) else old * factor)
        try:
            yield
        finally:
            setattr(T, name, old)
    return ctx()


def as_result(v) -> dict:
    return {"status": str(v.status), "votes": list(v.votes)}


def run_count(d: Path, seed: int, pages: int, capture, kind, folders: list | None = None) -> list[dict]:
    """Every page of a fresh count read as the module says; ``rec["by"][name]`` for the first of ``folders``
    (reader B's networks; None: the package's), ``rec["by_models"][m][name]`` for each."""

    import ballotgen
    from kiemphieu.detect.blank import prepare_blank
    from kiemphieu.detect.layout import LayoutError, find_layout
    from kiemphieu.detect.read import read_page
    from kiemphieu.detect.register import make_target, registered
    from kiemphieu.detect.second.model import Models
    from kiemphieu.detect.second.read import read_second
    from kiemphieu.election import load_election
    from kiemphieu.scan.load import LoadError, decode_image
    from kiemphieu.tally.validity import judge

    truths = ballotgen.write_count(d, seed, n=pages, capture=capture, kind=kind)
    election = load_election(str(d / "election.toml"))
    blank_grey = decode_image((d / "blank.png").read_bytes())
    try:
        layout, frame = find_layout(blank_grey, election.labels, election.ballot)
    except LayoutError as ex:
        print(f"  {d.name}: layout {ex.code}", file=sys.stderr)
        return []
    target, ref = make_target(frame), prepare_blank(frame, layout)
    sets = [Models.load(Path(f)) for f in folders] if folders else [Models.load()]
    out = []
    for t in truths:
        rec = {"case": t.get("case", t["kind"]), "expect": t["expect"], "capture": t["capture"]["mode"], "by": {},
               "source": str(d / t["source"]), "pen": t.get("conditions", {}).get("pen"),
               "pressure": t.get("conditions", {}).get("pressure")}
        try:
            grey = decode_image((d / t["source"]).read_bytes())
        except LoadError:
            continue
        _, page = registered(target, grey)
        if page is None:        # not registered: rejected before either reader (same for every variant)
            r = {"status": "rejected", "votes": []}
            rec["by_models"] = [{v: {"a": classify(t, r), "ab": classify(t, r), "disagree": False}
                                 for v in ["as_is"] + [w[0] for w in WEAKENINGS]} for _ in sets]
            rec["by"] = rec["by_models"][0]
            out.append(rec)
            continue
        base = read_page(ref, page)
        seconds = [read_second(m, page, frame, layout) if base.is_ballot else None for m in sets]
        if seconds[0] is not None:      # what reader B read, to see why it missed what it missed
            rec["b"] = [{"writing": s.writing, "windows": s.evidence.get("windows"),
                         "names": {n.label: str(n.state) for n in s.names}} for s in seconds]
        rec["by_models"] = [{} for _ in sets]
        for name, thr, factor, kinds in [("as_is", None, 1.0, ALL)] + WEAKENINGS:
            if election.ballot not in kinds:
                continue
            if thr is None:
                ra = base
            else:
                with weakened(thr, factor):
                    ra = read_page(ref, page)
            va = judge(ra, election)
            for m, second in enumerate(seconds):
                vab = judge(dataclasses.replace(ra, second=second), election)
                rec["by_models"][m][name] = {"a": classify(t, as_result(va)), "ab": classify(t, as_result(vab)),
                                             "disagree": any(r.code == "readers_disagree" for r in vab.reasons)}
        rec["by"] = rec["by_models"][0]
        out.append(rec)
    return out


def report(recs: list[dict], m: int, names: list[str], folder: str, capture: str, seed: int) -> None:
    """The table and the INDEPENDENCE line of reader B's ``m``-th set of networks (``folder``)."""
    print(f"\nreader B: {folder}")
    print(f"{'A weakened':<22} {'threshold':<26} {'A silent':>8} {'caught':>7} {'still':>6} {'rate':>6}")
    tot_err = tot_caught = 0
    for name in names:
        thr = next((f"{w[1]}×{w[2]}" for w in WEAKENINGS if w[0] == name), "-")
        err = [r for r in recs if name in r["by_models"][m] and r["by_models"][m][name]["a"] in SILENT]
        caught = [r for r in err if r["by_models"][m][name]["ab"] not in SILENT]
        tot_err += len(err)
        tot_caught += len(caught)
        rate = f"{len(caught) / len(err):.2f}" if err else "-"
        print(f"{name:<22} {thr:<26} {len(err):>8} {len(caught):>7} {len(err) - len(caught):>6} {rate:>6}")
    by = [r["by_models"][m] for r in recs]
    by_case = collections.Counter(f"{name}:{r['case']}" for name in names for r, b in zip(recs, by)
                                  if name in b and b[name]["a"] in SILENT and b[name]["ab"] in SILENT)
    print(f"\nnot caught, by case: {dict(by_case)}")
    clear = [r for r in recs if r["expect"] == "count"]
    needless = [r for r in clear
                if r["by_models"][m]["as_is"]["a"] == "correct" and r["by_models"][m]["as_is"]["ab"] == "flagged"]
    both_silent = [r for r in recs if r["by_models"][m]["as_is"]["ab"] in SILENT]
    print(f"needless flags from disagreement (A as it is): {len(needless)} of {len(clear)} clear ballots; "
          f"silent errors with both readers: {len(both_silent)}")
    print(f"INDEPENDENCE pages={len(recs)} a_errors={tot_err} caught={tot_caught} "
          f"catch_rate={tot_caught / max(1, tot_err):.3f} needless={len(needless)}/{len(clear)} "
          f"needless_rate={len(needless) / max(1, len(clear)):.3f} capture={capture} seed={seed}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=150)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--capture", choices=["scanner", "phone", "bilevel", "all"], default="scanner")
    ap.add_argument("--kind", choices=["strike", "mark", "approve"])
    ap.add_argument("--json")
    ap.add_argument("--models", nargs="+", help="folders of reader B's networks to compare (default: the package's)")
    a = ap.parse_args(argv)
    import cv2
    cv2.setNumThreads(1)
    seed = a.seed if a.seed is not None else int(time.time()) % 100000
    rng = np.random.default_rng(seed)
    work = Path(tempfile.mkdtemp(prefix="kp-indep-"))
    recs = []
    t0 = time.perf_counter()
    for i, n in enumerate(plan(a.pages, rng)):
        recs += run_count(
            work / f"count_{i:03d}", seed * 1000 + i, n, None if a.capture == "all" else a.capture, a.kind, a.models
        )
        print(f"  count {i}: {len(recs)} pages, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    names = ["as_is"] + [w[0] for w in WEAKENINGS]
    for m, folder in enumerate(a.models or ["(the package's)"]):
        report(recs, m, names, folder, a.capture, seed)
    if a.json:
        Path(a.json).write_text(json.dumps({"seed": seed, "pages": recs}, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
