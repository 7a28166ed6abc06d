"""Reader B's training data: crops of fresh stress-matrix pages, cut exactly as at run time, with labels
from the generator's truth.

    .venv/bin/python training/make_data.py OUT_DIR [--counts 64] [--pages 16] [--seed 900000000] [--jobs 2]
        [--kinds approve ...]     # only the counts of these ballot kinds (the others drawn, then skipped)

Recipe (the whole of it; same seed, same data): ``--counts`` counts, count k drawn with
``ballotgen.draw_blank(default_rng([seed, k]))`` (kind, layout, face, weight, size, paper, seal ...),
its sealed blank scanned at 200 dpi as ``ballotgen.write_count`` scans it and read by the project's own
``find_layout`` (OCR) into a layout and a template frame; then ``--pages`` pages, each
``ballotgen.draw_page`` (capture drawn per page: scanner / phone / 1-bit as the stress matrix; a quarter of
the strike pages also folded through a name, ``CREASE_THROUGH_NAME``, and some struck by a light hand,
``TRAIN_LIGHT_HAND``; on yes/no pages more voters whose
crosses reach a rule of their cell, ``TRAIN_EDGE_VOTER``) with the voter's case drawn from
``TRAIN_CASES`` (the stress matrix's cases with the unclear ones made more
frequent, blank and foreign sheets left out: they never reach reader B), rendered, encoded to its file
and decoded as a scan is, registered by ``detect.register`` and cut by ``detect.second.crops``.

Labels (what a careful person with the paper says, from the truth):
- names (strike): 0 standing, 1 struck, 2 unclear (the truth's ``unclear`` name, or a name a note lies over);
- cells (mark boxes; yes/no cells): 0 empty, 1 marked, 2 unclear (the truth's ``unclear`` name's cells,
  or a cell a note lies over);
- regions (windows at ``crops.proposals``): 0 other (seal, print, crease, speck, the voter's strokes
  beyond the name), 1 handwriting (inside the truth's writing boxes), 2 a note or slip lying on the page.
Left out, their label being unclear itself: the name a two-row stroke starts from, names whose mark a
1-bit scan lost (``faded``), yes/no rows marked in both cells or neither (the truth does not say which),
and pages whose registration puts the printed names more than ``MAX_POSE_ERROR_TH`` off.

Each count is written as OUT_DIR/count_KKKK.npz (uint8 crops ×255, labels, page ids); a count whose
blank OCR cannot read is skipped (and listed).
"""
from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import sys
import time
from pathlib import Path

import cv2
import numpy as np

MAX_POSE_ERROR_TH = 0.35
REVIEW_BOOST = 3.0      # the unclear cases are drawn this much more often than in the stress matrix
TRAIN_CASES = None      # built from ballotgen.conditions.CASES in _cases()
UNCLEAR_CASES = {"partial", "two_rows", "underline", "faint", "scribble", "straddle"}
# Strike pages: this share also gets a fold crease through one name's letters (the stress matrix folds a page
# at fixed places, so a crease rarely runs through a name there; on a real count it often does, and a crease
# is not a strike). Drawn from the page's own second generator, so that the other pages stay as they were.
CREASE_THROUGH_NAME = 0.25
# Yes/no pages: this share of voters draw their crosses up to a rule of the cell (ballotgen.cases.P_EDGE_VOTER;
# the stress matrix has fewer): a cross's end past the rule, seen in the neighbouring cell's crop, is not a mark
# there, and the classifier needs many of them to tell them from a cross on the rule (the "straddle" case).
TRAIN_EDGE_VOTER = 0.6
CREASE_OFF_MIDDLE_XH = 0.3   # the crease lies within this many x-heights of the letters' middle (normal sd)
# Strike pages: this share is struck by a light hand (its pen redrawn from LIGHT_PENS, pressed lightly). On round 8's
# kept scanner/phone/1-bit stress pages reader B doubted a clear name that reader A read right 16 times per 1000
# names in pencil and 8 per 1000 pressed lightly, against 2-5 per 1000 for the other pens and pressures: the
# stress matrix draws a light pencil stroke on 3.5 % of its pages, too few to learn its clear strokes from its
# faint ones. Drawn from the page's own third generator, so that the other pages stay as they were.
TRAIN_LIGHT_HAND = 0.3
LIGHT_PENS = {"pencil": 0.6, "faintblue": 0.2, "purple": 0.2}


def _cases(kind: str) -> dict[str, float]:
    from ballotgen.conditions import CASES
    out = {c: p * (REVIEW_BOOST if c in UNCLEAR_CASES else 1.0) for c, p in CASES[kind].items()
           if c not in ("blank", "foreign")}
    return out


def _choice(rng, weights: dict) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _to_template(H: np.ndarray, box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    p = cv2.perspectiveTransform(np.float32([[[x0, y0]], [[x1, y0]], [[x1, y1]], [[x0, y1]]]), H).reshape(-1, 2)
    return float(p[:, 0].min()), float(p[:, 1].min()), float(p[:, 0].max()), float(p[:, 1].max())


def _overlap(a, b) -> float:
    """Share of area ``a`` that ``b`` covers (boxes x0, y0, x1, y1)."""
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    return w * h / max(1e-6, (a[2] - a[0]) * (a[3] - a[1]))


def _crease_through_name(blank, kind: str, rng) -> list[tuple[str, float]]:
    """The page's extra folds (``ballotgen.render_page``'s ``extra_folds``): on a strike page, at the rate
    CREASE_THROUGH_NAME, one crease across a name drawn at random, near its letters' middle; else none."""
    rows = blank.geometry["rows"]
    if kind != "strike" or not rows or rng.random() >= CREASE_THROUGH_NAME:
        return []
    r = rows[int(rng.integers(len(rows)))]
    return [("h", float((r["mid_y"] + rng.normal(0, CREASE_OFF_MIDDLE_XH) * r["x_height"]) / blank.rgb.shape[0]))]


def _light_hand(cond: dict, kind: str, rng) -> None:
    """On a strike page, at the rate TRAIN_LIGHT_HAND, the pen of a light hand: redrawn from LIGHT_PENS and
    pressed lightly (a half-dry pen at normal pressure, as ``ballotgen.conditions.draw_page`` has it)."""
    if kind != "strike" or rng.random() >= TRAIN_LIGHT_HAND:
        return
    pen = _choice(rng, LIGHT_PENS)
    cond["pen"] = pen
    cond["pressure"] = "normal" if pen == "faintblue" else "light"
    if pen == "faintblue":
        cond["pen_width"] = max(cond["pen_width"], 1.2)


def make_count(job: dict) -> dict:
    import ballotgen
    from ballotgen.conditions import draw_blank, draw_page
    from ballotgen.page import seal_place
    from ballotgen.seal import SEAL_INKS, stamp_seal_as
    from ballotgen.units import RENDER_DPI
    from kiemphieu.detect.layout import LayoutError, find_layout
    from kiemphieu.detect.register import make_target, registered
    from kiemphieu.detect.second import crops as C
    from kiemphieu.scan.load import LoadError, decode_image

    cv2.setNumThreads(1)
    seed, k = job["seed"], job["k"]
    rng = np.random.default_rng([seed, k])
    bc = draw_blank(rng)
    if job.get("kinds") and bc["kind"] not in job["kinds"]:
        return {"k": k, "skipped": f"kind {bc['kind']}"}
    blank = ballotgen.make_blank(bc, seed + k)
    geom = dict(blank.geometry)
    sealed = blank.rgb.copy()
    mm = geom["seal_diameter"] / geom["dpi"] * 25.4
    cx, cy, _ = seal_place(geom, mm, rng.random(2))
    stamp_seal_as(sealed, geom, {"mm": mm, "rgb": SEAL_INKS[bc["seal_colour"]], "center": [cx, cy],
                                 "angle": float(rng.uniform(0, 360)), "alpha": float(rng.uniform(0.6, 0.95)),
                                 "style": "normal"}, rng)
    bimg = ballotgen.scan_array(sealed, rng, dpi=200, src_dpi=RENDER_DPI, rotate_deg=float(rng.uniform(-1, 1)),
                                perspective=0.001)
    labels = blank.election["labels"]
    kind = bc["kind"]
    try:
        layout, frame = find_layout(cv2.cvtColor(bimg, cv2.COLOR_RGB2GRAY), labels, kind)
    except LayoutError as ex:
        return {"k": k, "skipped": f"layout {ex.code}"}
    target = make_target(frame)
    th = layout.text_height
    rows = {r["name"]: r for r in geom["rows"]}
    out = {"names": [], "name_y": [], "cells": [], "cell_y": [], "regions": [], "region_y": [], "page": [],
           "name_page": [], "cell_page": [], "region_page": []}
    meta = []
    cases = _cases(kind)
    for i in range(job["pages"]):
        prng = np.random.default_rng([seed, k, 1000 + i])
        cond = draw_page(prng, bc, None, _choice(prng, cases))
        cond["extra_folds"] = _crease_through_name(blank, kind, np.random.default_rng([seed, k, 2000 + i]))
        cond["edge_voter"] = TRAIN_EDGE_VOTER
        _light_hand(cond, kind, np.random.default_rng([seed, k, 3000 + i]))
        image, truth = ballotgen.render_page(blank, cond)
        data, _ = ballotgen.encode_page(image, truth)
        try:
            grey = decode_image(data)
        except LoadError:
            continue
        reg, page = registered(target, grey)
        if page is None:
            meta.append({"i": i, "skipped": "registration"})
            continue
        Hp = np.array(truth["geometry"]["H"], float).reshape(3, 3)
        to_t = reg.homography @ Hp          # form px -> template px
        errs = []
        for s in layout.slots:
            tb = _to_template(to_t, rows[s.label]["text_box"])
            # the right end and the middle height: the form's text box holds "Ông"/"Bà" before the name
            errs.append(max(abs(tb[2] - s.name.x1), abs((tb[1] + tb[3]) / 2 - (s.name.y0 + s.name.y1) / 2)))
        err_th = float(np.median(errs)) / th
        if err_th > MAX_POSE_ERROR_TH:
            meta.append({"i": i, "skipped": f"pose {err_th:.2f}"})
            continue
        g = truth["geometry"]
        notes = [_to_template(reg.homography, b) for b in g.get("notes", [])]
        writing = [_to_template(reg.homography, b) for b in g.get("writing", [])]
        unclear = truth.get("unclear")
        faded = set(truth.get("faded", []))
        skip = set(faded)
        if truth.get("case") == "two_rows" and unclear in labels:
            j = labels.index(unclear)
            if j > 0:
                skip.add(labels[j - 1])
        marked = set(truth.get("marked", []))
        against = set(truth.get("against", []))
        void = set(truth.get("void_rows", []))
        pid = len(meta)
        meta.append({"i": i, "case": truth.get("case"), "conditions": truth["conditions"], "pose_th": round(err_th, 3)})
        if kind == "strike":
            crops = C.name_crops(page, frame, layout)
            for s, crop in zip(layout.slots, crops):
                if s.label in skip:
                    continue
                area = C.name_area(s, th)
                if s.label == unclear or any(_overlap(area, n) > 0.15 for n in notes):
                    y = 2
                else:
                    y = 0 if s.label in marked else 1
                out["names"].append(crop)
                out["name_y"].append(y)
                out["name_page"].append(pid)
        else:
            crops = C.cell_crops(page, frame, layout)
            # A box the layout gives two names (two-column mark ballots: see train_reader_b.SHARED_BOXES)
            # would be labelled with one name's truth while it is the other's.
            seen = collections.Counter(b for s in layout.slots for b in s.boxes)
            others = C.all_boxes(layout)
            j = 0
            for s in layout.slots:
                for c, box in enumerate(s.boxes):
                    crop = crops[j]
                    j += 1
                    if s.label in skip or seen[box] > 1:
                        continue
                    area = C.cell_area(box, others)
                    if s.label == unclear or any(_overlap(area, n) > 0.15 for n in notes):
                        y = 2
                    elif kind == "mark":
                        y = 1 if s.label in marked else 0
                    else:
                        if s.label in void:
                            continue
                        y = int((c == 0 and s.label in marked) or (c == 1 and s.label in against))
                    out["cells"].append(crop)
                    out["cell_y"].append(y)
                    out["cell_page"].append(pid)
        where = C.proposals(page, frame, layout)
        rcrops = C.region_crops(page, frame, layout, where)
        for (cx_, cy_, _box), crop in zip(where, rcrops, strict=True):
            win = C.region_area(cx_, cy_, th)
            pt = (cx_ - 1, cy_ - 1, cx_ + 1, cy_ + 1)
            grown = [(w[0] - 0.3 * th, w[1] - 0.3 * th, w[2] + 0.3 * th, w[3] + 0.3 * th) for w in writing]
            if any(_overlap(pt, w) > 0 for w in grown) or any(_overlap(win, w) > 0.25 for w in writing):
                y = 1
            elif any(_overlap(pt, n) > 0 for n in notes):
                y = 2
            else:
                y = 0
            out["regions"].append(crop)
            out["region_y"].append(y)
            out["region_page"].append(pid)
    arrays = {}
    for key, shape in (("names", C.NAME_SHAPE), ("cells", C.CELL_SHAPE), ("regions", C.REGION_SHAPE)):
        x = np.stack(out[key]) if out[key] else np.zeros((0, 2) + shape, np.float32)
        arrays[key] = np.round(x * 255).astype(np.uint8)
    ykey = {"names": "name", "cells": "cell", "regions": "region"}
    for short in ykey.values():
        arrays[short + "_y"] = np.array(out[short + "_y"], np.int8)
        arrays[short + "_page"] = np.array(out[short + "_page"], np.int32)
    np.savez_compressed(Path(job["out"]) / f"count_{k:04d}.npz", **arrays,
                        meta=np.array(json.dumps({"k": k, "kind": kind, "blank": bc, "pages": meta})))
    return {
        "k": k,
        "kind": kind,
        "names": len(out["names"]),
        "cells": len(out["cells"]),
        "regions": len(out["regions"]),
        "skipped_pages": sum("skipped" in m for m in meta),
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--counts", type=int, default=64)
    ap.add_argument("--first", type=int, default=0, help="first count number (to add counts to a data set)")
    ap.add_argument("--pages", type=int, default=16)
    ap.add_argument("--seed", type=int, default=900000000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--kinds", nargs="*", choices=["strike", "mark", "approve"],
                    help="make only the counts of these ballot kinds (the others are drawn, then skipped)")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [{"seed": a.seed, "k": k, "pages": a.pages, "out": str(out), "kinds": a.kinds}
            for k in range(a.first, a.first + a.counts) if not (out / f"count_{k:04d}.npz").exists()]
    t0 = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(max(1, a.jobs)) as pool:
        for r in pool.imap_unordered(make_count, jobs):
            print(json.dumps(r), f"{time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
