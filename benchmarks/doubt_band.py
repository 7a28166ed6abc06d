"""The doubt band, measured: the evidence each per-name classifier decides on, on clear and unclear cases of
fresh stress-matrix pages, with the thresholds placed among it — run by hand, not a test.

    .venv/bin/python benchmarks/doubt_band.py --pages 300 --seed 4711 [--jobs 2] [--kind strike|mark|approve]
        [--capture scanner|bilevel|phone] [--from STRESS_KEEP_DIR] [--records OUT.jsonl] [--load IN.jsonl ...]
        [--png docs/doubt-band.png]

It draws counts from the generator's stress matrix (``ballotgen.write_count``; or reads the sets a
``benchmarks/stress.py --keep DIR`` run left), finds each blank's layout, reads every page with
``Reader.read`` in this process and keeps, for every name (strike ballots) or box (mark and yes/no
ballots), the evidence its classifier decided on and what the truth says of it: clear ("struck",
"standing", "marked", "empty") or unclear ("unclear:partial", "unclear:faint", …). Names under a note
or a slip (``obstruction``) and marks a 1-bit capture lost (``faded``) are left out.

For every rule of ``detect/thresholds.py`` that splits clear from unclear cases (the table ``RULES``) it
prints, per truth group, how many cases fall on each side of the threshold and the group's percentiles,
and the margin: the distance from the threshold to the nearest case of a group that must lie on the
other side (negative: cases on the wrong side, listed). ``--png`` draws one histogram per rule with
its threshold (PIL; no other dependency). ``--records`` keeps the measures; ``--load`` tabulates
records kept earlier (several files add up) without reading pages, so a threshold can be moved and
judged at once — against distributions, never against a single file.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# (name, classifier, measure, threshold constant, side of "≥ threshold", groups below, groups above).
# A group is a truth label, a prefix of one ("unclear:"), or "clear" (every clear label of the kind).
# Cases of the groups listed on one side must fall there: the margin is measured against them.
RULES = [
    ("strike: a stroke through the letters strikes", "strike", "cover", "STRIKE_MIN_COVER_SHARE",
     ["standing", "unclear:partial", "unclear:underline", "unclear:faint"], ["struck"]),
    ("strike: a name barely touched stands", "strike", "touched", "STANDING_MAX_COVER_SHARE",
     ["standing"], ["unclear:partial", "unclear:underline"]),
    ("strike: a strike is seen where print does not hide it", "strike", "seen", "STRIKE_MIN_SEEN_SHARE",
     [], ["struck"]),
    ("strike: a light line followed along its course through the letters strikes", "strike", "line",
     "LIGHT_STRIKE_MIN_COVER_SHARE", ["standing", "unclear:partial", "unclear:faint", "unclear:two_rows"],
     []),
    ("strike: a faint line along the letters is unclear", "strike", "trace", "FAINT_TRACE_MIN_XH",
     ["standing"], ["unclear:faint"]),
    ("strike: a stroke through two names' letters crosses two rows", "strike", "spill", "ROW_SPILL_XH",
     ["standing", "struck"], ["unclear:two_rows"]),
    ("box: pen fill of an empty box", "box", "fill", "BOX_EMPTY_MAX_FILL",
     ["empty"], ["marked"]),
    ("box: pen fill of a mark", "box", "fill", "BOX_MARK_MIN_FILL",
     ["empty"], ["marked"]),
    ("box: a faint trace in an empty box", "box", "trace", "BOX_TRACE_MIN_SHARE",
     ["empty"], ["unclear:faint"]),
    ("box: a mark's darkness", "box", "ink", "BOX_MIN_INK",
     [], ["marked"]),
    ("box: pen around a mark over pen in it", "box", "spill", "BOX_SPILL_DOUBT_RATIO",
     ["marked"], ["unclear:partial"]),
    ("box: pen around an empty box", "box", "around", "BOX_AROUND_EMPTY_MAX_FILL",
     ["empty"], ["unclear:partial", "unclear:straddle"]),
    ("box: pen on the printed name of a box ballot", "box", "name_touched", "NAME_INK_MAX_SHARE",
     ["marked", "empty"], []),
]
STRIKE_CLEAR = ("struck", "standing")
BOX_CLEAR = ("marked", "empty")
PCTS = (0, 1, 5, 50, 95, 99, 100)


# --- truth -------------------------------------------------------------------------------------------

def name_truth(t: dict, label: str, index: int, labels: list[str]) -> str | None:
    """What a careful person says of one name (strike) or row (mark, yes/no) of a page's truth record;
    None to leave it out."""
    if t.get("kind") != "ballot" or t.get("case") in ("blank", "foreign"):
        return None
    if t.get("obstruction", {}).get("over") == "names" or label in t.get("faded", []):
        return None
    if t.get("unclear") == label:
        return "unclear:" + t["case"]
    kind = t["conditions"]["kind"]
    if kind == "strike":
        # The struck name a two-row stroke starts from is not a clear case of anything.
        if t.get("case") == "two_rows" and t.get("unclear") in labels and labels.index(t["unclear"]) == index + 1:
            return None
        return "standing" if label in t["marked"] else "struck"
    if kind == "mark":
        return "marked" if label in t["marked"] else "empty"
    return "agree" if label in t["marked"] else ("disagree" if label in t.get("against", []) else "void")


def box_truths(kind: str, row: str) -> list[str]:
    """The truth of each box of a row: a mark ballot's one box, a yes/no row's "agree" and "disagree" cells."""
    if kind == "mark" or row.startswith("unclear:"):
        return [row] * (1 if kind == "mark" else 2)
    if row == "agree":
        return ["marked", "empty"]
    if row == "disagree":
        return ["empty", "marked"]
    return [None, None]          # a void row: both marked or neither; not told apart here


# --- reading ----------------------------------------------------------------------------------------

def read_count(job: dict) -> list[dict]:
    """Find the layout of one set's blank and read its pages; one record per name or box."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    import cv2

    from kiemphieu.detect.layout import LayoutError, find_layout
    from kiemphieu.election import load_election
    from kiemphieu.scan.load import PageTask, decode_image, page_pixels, read_file
    from kiemphieu.scan.page import Reader

    cv2.setNumThreads(1)
    d = Path(job["dir"])
    if job.get("generate"):
        import ballotgen
        ballotgen.write_count(d, job["seed"], n=job["pages"], capture=job["capture"], kind=job["kind"])
    election = load_election(d / "election.toml")
    data, _ = read_file(d / "blank.png")
    try:
        layout, frame = find_layout(decode_image(data), election.labels, election.ballot)
    except LayoutError as ex:
        return [{"error": f"{d}: layout {ex.code}"}]
    reader = Reader(election, layout, frame)
    out = []
    for line in (d / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        t = json.loads(line)
        p = d / t["source"]
        raw, sha = read_file(p)
        reading, _ = reader.read(page_pixels(PageTask(str(p), 1, sha, "image", raw)))
        if not reading.is_ballot:
            continue
        labels = [s.label for s in layout.slots]
        cond = {k: t["conditions"].get(k) for k in ("face", "weight", "name_pt", "row_mm", "layout", "pen",
                                                       "pressure", "strike_style", "capture", "dpi")}
        for n in reading.names:
            truth = name_truth(t, n.label, n.index, labels)
            if truth is None:
                continue
            base = {"file": str(p), "name": n.label, "case": t.get("case"), "cond": cond,
                    "state": n.state, "why": n.why}
            if layout.kind == "strike":
                out.append({**base, "kind": "strike", "truth": truth, "ev": n.evidence})
                continue
            out.append({**base, "kind": "row", "ballot": layout.kind, "truth": truth, "ev": n.evidence})
            for k, bt in enumerate(box_truths(layout.kind, truth)):
                if bt is None:
                    continue
                ev = {key[:-1]: v for key, v in n.evidence.items() if key.endswith(str(k)) and key[:-1]}
                ev["name_touched"] = n.evidence.get("name_touched", 0.0)
                out.append({**base, "kind": "box", "ballot": layout.kind, "cell": k, "truth": bt, "ev": ev})
    return out


# --- tables and pictures ------------------------------------------------------------------------------

def _groups(recs: list[dict], kind: str, names: list[str]) -> dict[str, np.ndarray]:
    """Measures by truth group: each truth label that a listed group (a label or a prefix) matches."""
    out: dict[str, list] = {}
    for r in recs:
        if r["kind"] != kind:
            continue
        t = r["truth"]
        if any(t == g or (g.endswith(":") and t.startswith(g)) for g in names):
            out.setdefault(t, []).append(r)
    return out


def rule_table(recs: list[dict], rule, T) -> tuple[list[str], dict]:
    """Lines of one rule's table, and what its picture needs."""
    title, kind, measure, const, below, above = rule
    thr = float(getattr(T, const))
    groups = _groups(recs, kind, below + above)
    lines = [f"{title}:  {measure} >= {const} = {thr:g}"]
    lines.append(f"  {'truth':<22} {'n':>5} {'<thr':>5} {'>=thr':>5}   " + " ".join(f"p{p:<5}" for p in PCTS))
    margins = []
    wrong = []
    for g, rs in sorted(groups.items()):
        v = np.array([float(r["ev"].get(measure, 0.0)) for r in rs])
        lo, hi = int((v < thr).sum()), int((v >= thr).sum())
        lines.append(
            f"  {g:<22} {len(v):>5} {lo:>5} {hi:>5}   " + " ".join(f"{np.percentile(v, p):<6.3f}" for p in PCTS)
        )
        side = "below" if any(g == x or (x.endswith(":") and g.startswith(x)) for x in below) else "above"
        if side == "below":
            margins.append((thr - v.max(), g))
            wrong += [(g, float(x), r["file"], r["name"]) for x, r in zip(v, rs) if x >= thr]
        else:
            margins.append((v.min() - thr, g))
            wrong += [(g, float(x), r["file"], r["name"]) for x, r in zip(v, rs) if x < thr]
    for m, g in margins:
        lines.append(f"  margin to {g}: {m:+.3f}")
    for g, x, f, nm in wrong[:8]:
        lines.append(f"    wrong side: {g} {measure}={x:.3f}  {f}  {nm}")
    if len(wrong) > 8:
        lines.append(f"    ... {len(wrong) - 8} more")
    return lines, {"title": title, "measure": measure, "const": const, "thr": thr,
                   "groups": {g: [float(r["ev"].get(measure, 0.0)) for r in rs] for g, rs in groups.items()},
                   "below": below}


def confusion(recs: list[dict]) -> list[str]:
    """Truth against the state the classifier gives (re-judged on the kept evidence with today's thresholds):
    strike names, single boxes ("box") and whole rows of mark and yes/no ballots."""
    from kiemphieu.detect.box_marks import box_state, classify_approve, classify_mark
    from kiemphieu.detect.strike import classify_strike
    rows: dict = {}
    for r in recs:
        if r["kind"] == "strike":
            st, why = classify_strike(r["ev"])
        elif r["kind"] == "row":
            classify = classify_mark if r["ballot"] == "mark" else classify_approve
            st, why = classify(r["ev"], 1 if r["ballot"] == "mark" else 2)
        else:
            e = r["ev"]
            st, why = box_state(e["fill"], e["spill"], e["ink"], e.get("trace", 0.0), e.get("around", 0.0))
        key = (r["kind"] if r["kind"] != "row" else r["ballot"], r["truth"], st + (":" + why if why else ""))
        rows[key] = rows.get(key, 0) + 1
    return [f"  {k[0]:<7} {k[1]:<22} -> {k[2]:<26} {n}" for k, n in sorted(rows.items())]


def draw(panels: list[dict], path: Path) -> None:
    """One histogram per rule (counts on a square-root scale), each truth group in its colour, the
    threshold as a red line."""
    from PIL import Image, ImageDraw, ImageFont
    colours = [(40, 90, 200), (30, 150, 60), (220, 130, 20), (150, 60, 170), (20, 160, 170), (120, 120, 120),
               (200, 60, 120)]
    W, H, cols = 560, 300, 2
    rows = (len(panels) + cols - 1) // cols
    img = Image.new("RGB", (W * cols, H * rows), "white")
    d = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 11)
    except OSError:
        font = ImageFont.load_default()
    for i, p in enumerate(panels):
        ox, oy = (i % cols) * W, (i // cols) * H
        x0, y0, x1, y1 = ox + 50, oy + 40, ox + W - 20, oy + H - 60
        d.text((ox + 10, oy + 8), p["title"], fill="black", font=font)
        d.text((ox + 10, oy + 22), f"{p['measure']}  ({p['const']} = {p['thr']:g})", fill=(90, 90, 90), font=font)
        vals = [v for g in p["groups"].values() for v in g] + [p["thr"]]
        hi = float(np.percentile(vals, 99.5)) if vals else 1.0
        hi = max(hi, p["thr"] * 1.6, 1e-3)
        bins = np.linspace(0.0, hi, 41)
        hists = {g: np.histogram(np.clip(v, 0, hi), bins)[0] for g, v in p["groups"].items()}
        top = max([h.max() for h in hists.values()] + [1])
        d.rectangle([x0, y0, x1, y1], outline=(160, 160, 160))
        bw = (x1 - x0) / (len(bins) - 1)
        for k, (g, h) in enumerate(sorted(hists.items())):
            c = colours[k % len(colours)]
            pts = []
            for j, n in enumerate(h):
                y = y1 - (y1 - y0) * (np.sqrt(n) / np.sqrt(top))
                pts += [(x0 + j * bw, y), (x0 + (j + 1) * bw, y)]
            d.line([(x0, y1)] + pts + [(x1, y1)], fill=c, width=2)
            d.text((x0 + 5 + 130 * (k % 4), y1 + 18 + 14 * (k // 4)), f"{g} ({len(p['groups'][g])})", fill=c, font=font)
        tx = x0 + (x1 - x0) * p["thr"] / hi
        d.line([(tx, y0), (tx, y1)], fill=(220, 0, 0), width=2)
        for k in range(5):
            v = hi * k / 4
            d.text((x0 + (x1 - x0) * k / 4 - 10, y1 + 3), f"{v:.2g}", fill=(90, 90, 90), font=font)
        d.text((ox + 4, y0), "√n", fill=(90, 90, 90), font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--seed", type=int, default=None, help="default: from the clock (printed)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--kind", choices=["strike", "mark", "approve"])
    ap.add_argument("--capture", choices=["scanner", "phone", "bilevel"], default="scanner")
    ap.add_argument("--from", dest="from_dir", help="read the sets a stress.py --keep run left here")
    ap.add_argument("--records", help="keep every measure here (JSON lines)")
    ap.add_argument("--load", nargs="+", help="tabulate records kept earlier instead of reading pages")
    ap.add_argument("--png", help="draw the histograms here (e.g. docs/doubt-band.png)")
    a = ap.parse_args(argv)
    from kiemphieu.detect import thresholds as T

    if a.load:
        recs = [json.loads(x) for f in a.load for x in Path(f).read_text(encoding="utf-8").splitlines() if x.strip()]
        print(f"doubt band: {len(recs)} records from {', '.join(a.load)}")
    else:
        t0 = time.perf_counter()
        if a.from_dir:
            jobs = [{"dir": str(p / "set")} for p in sorted(Path(a.from_dir).glob("count_*"))
                    if (p / "set" / "truth.jsonl").exists() and (a.kind is None or json.loads(
                        (p / "set" / "meta.json").read_text(encoding="utf-8"))["blank"]["kind"] == a.kind)]
            what = f"sets of {a.from_dir}"
        else:
            seed = a.seed if a.seed is not None else int(time.time()) % 100000
            rng = np.random.default_rng(seed)
            work = Path(tempfile.mkdtemp(prefix="kp-doubt-"))
            sizes = []
            while sum(sizes) < a.pages:
                sizes.append(int(rng.integers(15, 31)))
            sizes[-1] -= sum(sizes) - a.pages
            jobs = [{"dir": str(work / f"count_{i:03d}"), "generate": True, "seed": seed * 1000 + i, "pages": n,
                     "capture": a.capture, "kind": a.kind} for i, n in enumerate(sizes) if n > 0]
            what = f"{a.pages} fresh pages, seed {seed}, capture {a.capture}"
        print(f"doubt band: {what}", file=sys.stderr, flush=True)
        recs = []
        with multiprocessing.get_context("spawn").Pool(max(1, a.jobs)) as pool:
            for part in pool.imap_unordered(read_count, jobs):
                for r in part:
                    if "error" in r:
                        print("  " + r["error"], file=sys.stderr)
                    else:
                        recs.append(r)
        print(f"doubt band: {what}: {len(recs)} records in {time.perf_counter() - t0:.0f} s")
        if a.records:
            Path(a.records).write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8"
            )
    panels = []
    for rule in RULES:
        if not any(r["kind"] == rule[1] for r in recs) or not hasattr(T, rule[3]):
            continue
        lines, panel = rule_table(recs, rule, T)
        print("\n".join(lines) + "\n")
        panels.append(panel)
    print("readings (re-judged with today's thresholds):")
    print("\n".join(confusion(recs)))
    if a.png and panels:
        draw(panels, Path(a.png))
        print(f"\nhistograms: {a.png}")


if __name__ == "__main__":
    main()
