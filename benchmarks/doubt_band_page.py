"""The doubt band of the page-level classifiers, measured on stress counts: the seal's ring evidence,
the writing evidence of ink outside the names and the obstruction evidence of missing print — each on
clear and unclear cases, against its thresholds. Run by hand, not a test.

    .venv/bin/python benchmarks/stress.py --pages 300 --seed S --keep DIR     # fresh counts, kept
    .venv/bin/python benchmarks/doubt_band_page.py DIR [--json OUT]

Every ballot page of every count in DIR (``count_*/`` with ``set/`` and ``count.kp``) is read again
in-process, and its measures are labelled by the generator's truth (``truth.jsonl``: the seal's place,
where writing was added, a note lying on the page), mapped into the template frame by the page's
registration:

- seal: the ring evidence (``seal.Ring.evidence``) of the seal found on the page, and of the best ring
  left once the true seal is erased from the added ink (what a page without a seal would give);
- writing: for every blob outside the names measured as strokes, its length, height and winding, for
  the blobs on added handwriting (``geometry.writing``) and for all others (seal pieces, creases,
  a note's lines, ghosts);
- obstruction: missing print inside and outside its region (``obstruction.HiddenPrint``) on pages
  with a note lying over the names, on other ballots with print missing, and on pages of another
  election or blank sheets that register.

It prints each measure's percentiles per class and how many of each class fall on each side of the
thresholds (the margin is the distance from a threshold to the nearest percentile of the other class).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import cv2
import numpy as np

from kiemphieu.detect import seal as S
from kiemphieu.detect import thresholds as T
from kiemphieu.detect.blank import contrast_gain, missing_print, print_missing_at
from kiemphieu.detect.ink import ink_map
from kiemphieu.detect.obstruction import hidden_print
from kiemphieu.detect.pen import find_pen
from kiemphieu.detect.read import _assign, _read_seal
from kiemphieu.detect.writing import OutsideInk, looks_handwritten, outside_evidence
from kiemphieu.records import Box, PageReading
from kiemphieu.scan.load import PageTask, page_pixels, read_file
from kiemphieu.scan.page import Reader
from kiemphieu.store import Count

PCT = (0, 2, 5, 10, 25, 50, 75, 90, 95, 98, 100)


def reader(count_dir: Path) -> Reader:
    """The count's reader, its blank's seal found again by this code (the count may be older)."""
    c = Count.open(count_dir / "count.kp", readonly=True)
    frame = cv2.imdecode(np.frombuffer(c.blank_frame_png(), np.uint8), cv2.IMREAD_GRAYSCALE)
    return Reader(c.election(), dataclasses.replace(c.layout(), seal=S.find_seal(frame)), frame)


def mapped(H: np.ndarray, box) -> Box:
    x0, y0, x1, y1 = box
    p = cv2.perspectiveTransform(np.float32([[[x0, y0]], [[x1, y0]], [[x1, y1]], [[x0, y1]]]), H).reshape(-1, 2)
    return Box(int(p[:, 0].min()), int(p[:, 1].min()), int(np.ceil(p[:, 0].max())), int(np.ceil(p[:, 1].max())))


def page_measures(rd: Reader, path: Path, truth: dict) -> dict | None:
    grey = page_pixels(PageTask(str(path), 1, "", "image", read_file(path)[0]))
    reg, page = rd.register(grey)
    if page is None:
        return None
    ref = rd.blank
    ink = ink_map(page)
    gain = contrast_gain(ref, ink)
    if gain != 1.0:
        ink = np.minimum(ink * gain, 1.0)
    out: dict = {"file": str(path), "kind": truth["kind"], "obstruction": truth.get("obstruction", {}).get("over")}
    miss_page, miss_names = missing_print(ref, ink)
    h = hidden_print(ref.printed_at, print_missing_at(ref, ink), ink, ref.present_min, ref.layout.text_height)
    out.update(missing=max(miss_page, miss_names), hidden=h.hidden, rest=h.rest, held=h.held, moved=h.moved)
    if truth["kind"] != "ballot":
        return out
    pen = find_pen(ref, ink)
    reading = PageReading(is_ballot=True)
    _, outside = _assign(ref, ink, pen, reading)
    ignore, near, _ = _read_seal(ref, pen, reading)
    out["seal_ev"] = reading.evidence.get("seal_cover", 0.0)
    g = truth.get("geometry", {})
    if g.get("seal"):
        c = cv2.perspectiveTransform(np.float32([[g["seal"][:2]]]), reg.homography).reshape(2)
        r = g["seal"][2] * reg.scale
        add = pen.add.copy()
        cv2.circle(add, (int(c[0]), int(c[1])), int(r * 1.35), 0, -1)
        r0 = ref.layout.seal.w / 2 if ref.layout.seal is not None else None
        other = S.best_ring(add, *S.seal_radius_range(max(add.shape), r0), pen.hidden | ref.edge)
        out["no_seal_ev"] = other.evidence if other is not None else 0.0
    writing = [mapped(reg.homography, b) for b in g.get("writing", [])]
    blobs = []
    for b in outside:
        ev = outside_evidence(ref, ink, pen, b, ignore, near)
        if ev.length_th is None:
            continue
        hand = any(w.intersects(b.box) for w in writing)
        blobs.append({"hand": hand, **dataclasses.asdict(ev)})
    out["blobs"] = blobs
    return out


def pct(values) -> str:
    if not values:
        return "(none)"
    return " ".join(f"{p}%:{v:.2f}" for p, v in zip(PCT, np.percentile(values, PCT)))


def report(rows: list[dict]) -> None:
    ballots = [r for r in rows if r["kind"] == "ballot"]
    print(f"pages {len(rows)} (ballots {len(ballots)})\n")
    seal = [r["seal_ev"] for r in ballots]
    none = [r["no_seal_ev"] for r in ballots if "no_seal_ev" in r]
    print("SEAL ring evidence (thresholds: sure", T.SEAL_RING_COVER_SHARE, "doubt", T.SEAL_DOUBT_COVER_SHARE, ")")
    print("  seal stamped   ", pct(seal))
    print("  seal erased    ", pct(none))
    for name, vals in (("stamped", seal), ("erased", none)):
        v = np.array(vals)
        print(
            f"  {name}: sure {np.sum(v >= T.SEAL_RING_COVER_SHARE)}, doubt "
            f"{np.sum((v >= T.SEAL_DOUBT_COVER_SHARE) & (v < T.SEAL_RING_COVER_SHARE))}, "
            f"none {np.sum(v < T.SEAL_DOUBT_COVER_SHARE)}"
        )
    blobs = [b for r in ballots for b in r.get("blobs", [])]
    print(f"\nWRITING evidence of blobs outside the names ({len(blobs)} measured as strokes)")
    print(
        f"  thresholds: length >= {T.WRITING_MIN_LENGTH_TH} th, "
        f"height {T.WRITING_MIN_HEIGHT_TH}-{T.WRITING_MAX_HEIGHT_TH} th, "
        f"winding >= {T.WRITING_MIN_WINDING_RATIO}, on print <= {T.WRITING_MAX_ON_PRINT_SHARE}, ruled <= "
        f"{T.WRITING_MAX_RULED_SHARE}"
    )
    for hand in (True, False):
        sel = [b for b in blobs if b["hand"] == hand]
        label = "handwriting" if hand else "other ink  "
        print(f"  {label} n={len(sel)}")
        for k in ("length_th", "height_th", "winding", "on_print", "ruled"):
            print(f"    {k:10s}", pct([b[k] for b in sel]))
        passed = [b for b in sel if looks_handwritten(OutsideInk(**{k: v for k, v in b.items() if k != "hand"}))]
        print(f"    looks handwritten: {len(passed)} (of them near a seal or at the edge: "
              f"{sum(b['near_seal'] or b['at_edge'] for b in passed)})")
    print(
        f"\nOBSTRUCTION (thresholds: rest <= {T.OBSTRUCTION_REST_MISSING_SHARE}, "
        f"moved <= {T.OBSTRUCTION_MAX_MOVED_SHARE}, "
        f"held <= {T.OBSTRUCTION_MAX_HELD_SHARE}; reject over {T.PRINT_MISSING_REJECT_SHARE})"
    )
    classes = {"note over the names": [r for r in ballots if r["obstruction"] == "names"],
               "note in the margin": [r for r in ballots if r["obstruction"] == "margin"],
               "ballot, no note": [r for r in ballots if not r["obstruction"]],
               "other sheet (registered)": [r for r in rows if r["kind"] != "ballot"]}
    for name, sel in classes.items():
        print(f"  {name} n={len(sel)}")
        for k in ("missing", "hidden", "rest", "held", "moved"):
            print(f"    {k:8s}", pct([r[k] for r in sel]))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+", help="stress --keep directories (or count directories)")
    ap.add_argument("--json", help="write every page's measures here")
    a = ap.parse_args(argv)
    counts = []
    for d in map(Path, a.dirs):
        counts += (
            [d] if (d / "count.kp").exists() else sorted(c for c in d.glob("count_*") if (c / "count.kp").exists())
        )
    rows = []
    for cd in counts:
        rd = reader(cd)
        for line in open(cd / "set" / "truth.jsonl", encoding="utf-8"):
            t = json.loads(line)
            m = page_measures(rd, cd / "set" / t["source"], t)
            if m is not None:
                rows.append(m)
        print(f"  {cd.name}: {len(rows)} pages so far", file=sys.stderr, flush=True)
    report(rows)
    if a.json:
        Path(a.json).write_text(json.dumps(rows), encoding="utf-8")


if __name__ == "__main__":
    main()
