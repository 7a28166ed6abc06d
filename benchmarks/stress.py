"""Stress: fresh counts drawn from the generator's stress matrix, read through the CLI contract, and the
errors broken down by every drawn condition — run by hand, not a test.

    .venv/bin/python benchmarks/stress.py --pages 200 --seed 4711 [--jobs 2]
        [--capture scanner|phone|bilevel|all] [--kind strike|mark|approve]
        [--keep DIR] [--json OUT] [--kp CMD] [--readers 1|2]

It draws counts of 15-30 pages until ``--pages`` (each with its own election and printed blank: face,
weight, name size, rows, layout, paper, seal; ``ballotgen.write_count``), every page under its own
conditions (case, seal place and stamping, pen, strike style, folds, a note lying on it, capture; see
samples/ballotgen/conditions.py), and runs each count exactly as the public sets' score.py does:
``kiemphieu new`` (election + blank), ``scan``, ``export --format jsonl``, then ``resolve`` every flagged
ballot as the truth says, ``tally --format json`` and compare.  Counts run in parallel (``--jobs``), each
generating its pages then scanning with ``--jobs 1``.  ``--capture all`` draws the capture per page
(scanner 60 %, phone 20 %, 1-bit 20 %); the default is ``scanner``.

It prints a table per condition value (``font=dejavu-sans``, ``seal_colour=purple``, ``capture=phone``,
``case=partial``): pages, right (read right, no person needed), flagged (clear ballots sent to review),
flag_ok (unclear or non-ballot pages sent to review, writing shown first), wrong (silent errors: a wrong
reading not flagged, an unclear ballot not flagged, a non-ballot counted, a page missing) and, for the
count's own conditions, how many counts' tallies came out exact; then every silent error with its file,
case, conditions and what the count said (``--keep DIR`` keeps sets and counts so a person can open the
page and run ``kiemphieu inspect``); and a final line

    STRESS pages=… silent_errors=… flagged_clear=…/… flag_rate=… tally_exact=…/… seed=…

Nothing outside the repository is used; ``--kp`` defaults to the kiemphieu of this Python.

Time (2 cores shared with other agents' jobs, load 3-9, --jobs 2, 2026-12-02): 200 pages of all
captures took 345 s (generation 390 s and the CLI 295 s of CPU, summed over the two workers); per 100
pages: scanner 138 s, phone 164 s, 1-bit 346 s (under a load of 9).  Expect about 5-6 minutes for 200
pages on a quiet machine.
"""
from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

COUNT_PAGES = (15, 30)
# Count-level conditions: their rows also say how many counts' tallies were exact.
COUNT_KEYS = ("kind", "form", "paper", "paper_colour", "face", "weight", "name_pt", "row_mm", "layout", "honorific",
              "duplicate", "candidates", "seal_mm")
SKIP_KEYS = ("seal_angle",)


def bucket(key: str, v):
    """A condition value as a table row label: numbers in a few ranges."""
    if v is None or isinstance(v, (bool, str)):
        return v

    def rng(edges, unit=""):
        for lo, hi in zip(edges, edges[1:]):
            if lo <= v < hi:
                return f"{lo}-{hi}{unit}"
        return f">={edges[-1]}{unit}"
    table = {"name_pt": [10, 12, 14], "row_mm": [6, 8, 10], "seal_mm": [30, 35, 40], "pen_width": [0, 1.5, 3],
             "candidates": [0, 9, 17], "jpeg": [0, 60, 80], "tilt": [0, 10, 20], "threshold": [0, 120, 160]}
    if key in table:
        return rng(table[key])
    if key == "skew":
        a = abs(v)
        return "<1" if a < 1 else ("1-3" if a < 3 else ">=3")
    if key == "rotation":
        turn = int(round(v / 90.0)) % 4 * 90
        return f"~{turn}"
    if key == "streaks":
        return "0" if v == 0 else ">=1"
    return v


def classify(t: dict, r: dict | None) -> str:
    """score.py's classes: correct, flagged, flag_ok, missed_ambiguity, wrong, missing."""
    if r is None:
        return "missing"
    st = r.get("status")
    if t["expect"] == "reject":
        if st == "rejected":
            return "correct"
        return "flag_ok" if st == "review" else "wrong"
    if t["expect"] == "review":
        return "flag_ok" if st == "review" else "missed_ambiguity"
    if st == "review":
        return "flag_ok" if t.get("reason") in ("write_in", "extra_writing") else "flagged"
    if st == "valid":
        return "correct" if t["valid"] and set(r.get("votes", [])) == set(t["votes"]) else "wrong"
    if st == "invalid":
        return "correct" if not t["valid"] else "wrong"
    return "wrong"


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def count_one(job: dict) -> dict:
    """Generate one count and read it through the CLI; returns its pages' classes and the tally check."""
    import ballotgen
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    d = Path(job["dir"])
    t0 = time.perf_counter()
    truths = ballotgen.write_count(d / "set", job["seed"], n=job["pages"], capture=job["capture"], kind=job["kind"])
    gen_s = time.perf_counter() - t0
    kp = shlex.split(job["kp"])
    count = str(d / "count.kp")
    t1 = time.perf_counter()
    out = {"dir": str(d), "seed": job["seed"], "gen_s": gen_s, "pages": []}
    p = run(
        kp + ["new", count, "--election", str(d / "set" / "election.toml"), "--template", str(d / "set" / "blank.png")]
    )
    if p.returncode:
        out["error"] = "new failed: " + (p.stderr or p.stdout)[-400:]
    else:
        p = run(kp + ["scan", count, str(d / "set" / "scans"), "--jobs", "1", "--readers", str(job["readers"])])
        if p.returncode:
            out["error"] = "scan failed: " + (p.stderr or p.stdout)[-400:]
    results = {}
    if "error" not in out:
        p = run(kp + ["export", count, "--format", "jsonl"])
        for line in p.stdout.splitlines():
            if line.strip():
                r = json.loads(line)
                results[(os.path.basename(r["source"]), int(r.get("page", 1)))] = r
    truth = {(os.path.basename(t["source"]), int(t["page"])): t for t in truths}
    for key, t in truth.items():
        r = results.get(key)
        out["pages"].append(
            {
                "file": str(d / "set" / t["source"]),
                "case": t.get("case", t["kind"]),
                "expect": t["expect"],
                "class": classify(t, r),
                "conditions": t["conditions"],
                "review_because": [k for k in ("obstruction", "faded", "unreadable") if k in t],
                "want": {k: t[k] for k in ("valid", "reason", "votes", "unclear") if k in t},
                "got": {k: r[k] for k in ("ballot", "status", "reasons", "votes") if k in r} if r else None,
            }
        )
    # Resolve flagged ballots as a careful committee would, then compare the tally (as score.py).
    for key, r in results.items():
        if r.get("status") != "review":
            continue
        t = truth.get(key)
        cmd = kp + ["resolve", count, str(r["ballot"]), "--reviewer", "stress"]
        if t is None or t["expect"] == "reject":
            cmd += ["--reject", "not a ballot of this election"]
        elif t["valid"]:
            cmd += ["--votes", ";".join(t["votes"])]
        else:
            cmd += ["--invalid", t.get("reason", "invalid")]
        run(cmd)
    tally_ok = False
    p = run(kp + ["tally", count, "--format", "json"]) if "error" not in out else None
    if p is not None and p.returncode == 0:
        try:
            tj = json.loads(p.stdout)
            want = collections.Counter()
            n_valid = n_invalid = 0
            for t in truth.values():
                if t["expect"] == "reject":
                    continue
                if t["valid"]:
                    n_valid += 1
                    want.update(t["votes"])
                else:
                    n_invalid += 1
            got = {c["name"]: c["votes"] for c in tj["candidates"]}
            b = tj["ballots"]
            diffs = {n for n in set(got) | set(want) if got.get(n, 0) != want.get(n, 0)}
            tally_ok = not diffs and b.get("valid") == n_valid and b.get("invalid") == n_invalid
        except (ValueError, KeyError):
            tally_ok = False
    out["tally_exact"] = tally_ok
    out["read_s"] = time.perf_counter() - t1
    out["blank"] = json.loads((d / "set" / "meta.json").read_text(encoding="utf-8"))["blank"]
    return out


def plan(pages: int, rng) -> list[int]:
    """Count sizes of 15-30 pages adding up to ``pages``."""
    sizes = []
    while sum(sizes) < pages:
        sizes.append(int(rng.integers(COUNT_PAGES[0], COUNT_PAGES[1] + 1)))
    extra = sum(sizes) - pages
    sizes[-1] -= extra
    if sizes[-1] < 5 and len(sizes) > 1:
        sizes[-2] += sizes.pop()
    return sizes


def tables(counts: list[dict]) -> list[str]:
    rows = collections.defaultdict(collections.Counter)
    count_rows = collections.defaultdict(set)
    for c in counts:
        for p in c["pages"]:
            cond = dict(p["conditions"])
            cond["review_because"] = ",".join(p["review_because"]) or "-"
            cond["expect"] = p["expect"]
            for k, v in cond.items():
                if k in SKIP_KEYS:
                    continue
                b = bucket(k, v)
                if b is None:
                    continue
                label = f"{k}={b}"
                cls = p["class"]
                rows[label]["pages"] += 1
                rows[label][{"correct": "right", "flagged": "flagged", "flag_ok": "flag_ok"}.get(cls, "wrong")] += 1
                if k in COUNT_KEYS:
                    count_rows[label].add((c["dir"], c["tally_exact"]))
    lines = [f"{'condition':<34} {'pages':>5} {'right':>5} {'flagged':>7} {'flag_ok':>7} {'wrong':>5} {'tally':>7}"]
    for label in sorted(rows, key=lambda s: (s.split("=")[0], s)):
        r = rows[label]
        tl = count_rows.get(label)
        tally = f"{sum(e for _, e in tl)}/{len(tl)}" if tl else ""
        mark = "  <-" if r["wrong"] else ""
        lines.append(f"{label[:34]:<34} {r['pages']:>5} {r['right']:>5} {r['flagged']:>7} {r['flag_ok']:>7} "
                     f"{r['wrong']:>5} {tally:>7}{mark}")
    return lines


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--seed", type=int, default=None, help="default: from the clock (printed)")
    ap.add_argument("--jobs", type=int, default=2, help="counts generated and read at the same time")
    ap.add_argument("--capture", choices=["scanner", "phone", "bilevel", "all"], default="scanner")
    ap.add_argument("--kind", choices=["strike", "mark", "approve"])
    ap.add_argument("--readers", type=int, choices=[1, 2], default=2, help="scan --readers (default 2: both readers)")
    ap.add_argument("--keep", help="keep the sets and counts in this directory")
    ap.add_argument("--json", help="write every page's result here")
    ap.add_argument("--kp", default=f"{shlex.quote(sys.executable)} -c 'from kiemphieu.cli import main; main()'",
                    help="the kiemphieu command (default: this Python's)")
    a = ap.parse_args(argv)
    seed = a.seed if a.seed is not None else int(time.time()) % 100000
    rng = np.random.default_rng(seed)
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="kp-stress-"))
    work.mkdir(parents=True, exist_ok=True)
    capture = None if a.capture == "all" else a.capture
    jobs = [{"dir": str(work / f"count_{i:03d}"), "seed": seed * 1000 + i, "pages": n, "capture": capture,
             "kind": a.kind, "kp": a.kp, "readers": a.readers} for i, n in enumerate(plan(a.pages, rng))]
    t0 = time.perf_counter()
    print(f"stress: {a.pages} pages in {len(jobs)} counts, seed {seed}, capture {a.capture}, work {work}",
          file=sys.stderr, flush=True)
    counts = []
    with multiprocessing.get_context("spawn").Pool(max(1, a.jobs)) as pool:
        for c in pool.imap_unordered(count_one, jobs):
            counts.append(c)
            bad = sum(p["class"] in ("wrong", "missed_ambiguity", "missing") for p in c["pages"])
            print(f"  {Path(c['dir']).name}: {len(c['pages'])} pages, silent {bad}, tally "
                  f"{'exact' if c['tally_exact'] else 'WRONG'}, gen {c['gen_s']:.0f} s, read {c['read_s']:.0f} s"
                  + (f", {c['error']}" if c.get("error") else ""), file=sys.stderr, flush=True)
    wall = time.perf_counter() - t0
    counts.sort(key=lambda c: c["dir"])
    pages = [p for c in counts for p in c["pages"]]
    print("\n".join(tables(counts)))
    silent = [p for p in pages if p["class"] in ("wrong", "missed_ambiguity", "missing")]
    print(f"\nsilent errors ({len(silent)}):")
    for p in silent:
        c = p["conditions"]
        keys = ("capture", "kind", "layout", "face", "weight", "name_pt", "paper_colour", "seal_style", "seal_place",
                "seal_colour", "pen", "pressure", "strike_style", "fold", "note", "dpi", "colour", "method", "blur")
        print(f"  {p['file'] if a.keep else Path(p['file']).name}  case={p['case']} class={p['class']} "
              f"expect={p['expect']} want={json.dumps(p['want'], ensure_ascii=False)} "
              f"got={json.dumps(p['got'], ensure_ascii=False)}\n"
              f"      {' '.join(f'{k}={c[k]}' for k in keys if c.get(k) is not None)}")
    clear = [p for p in pages if p["expect"] == "count"]
    flagged = sum(p["class"] == "flagged" for p in pages)
    gen = sum(c["gen_s"] for c in counts)
    read = sum(c["read_s"] for c in counts)
    print(f"\ntime: wall {wall:.0f} s for {len(pages)} pages ({wall / max(1, len(pages)) * 100:.0f} s per 100 pages), "
          f"generation {gen:.0f} s and CLI {read:.0f} s summed over workers")
    print(
        f"STRESS pages={len(pages)} silent_errors={len(silent)} flagged_clear={flagged}/{len(clear)} "
        f"flag_rate={flagged / max(1, len(clear)):.3f} "
        f"tally_exact={sum(c['tally_exact'] for c in counts)}/{len(counts)} "
        f"capture={a.capture} readers={a.readers} seed={seed}"
    )
    if a.json:
        Path(a.json).write_text(
            json.dumps({"seed": seed, "counts": counts}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
