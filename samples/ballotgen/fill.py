"""Filling a ballot in: what the voter's pen puts on the printed form, following a fill spec."""
from __future__ import annotations

import math

import numpy as np

from .ink import blend_ink, ink_paths, pen_line
from .pen import HAND_PT_RANGE, fill_mark, hand_alpha, pen_for, strike_paths, tick_mark, x_mark
from .seal import stamp_seal
from .units import as_page, mm_px, pt_px


def _row(geometry, key):
    """Row record by candidate label or index."""
    if isinstance(key, (int, np.integer)):
        return geometry["rows"][int(key)]
    for r in geometry["rows"]:
        if r["name"] == key or r["text"] == key:
            return r
    raise KeyError(key)


def _place_hand(page, geometry, alpha, rng, where="below"):
    """Place a handwriting mask below the list (free area), beside a name, or in the bottom margin."""
    H, W = page.shape[:2]
    h, w = alpha.shape
    fa = geometry.get("free_area")
    if where == "below" and fa and fa[2] - fa[0] > w and fa[3] - fa[1] > h:
        x = int(rng.uniform(fa[0], max(fa[0] + 1, min(fa[2] - w, fa[0] + (fa[2] - fa[0]) * 0.5))))
        y = int(rng.uniform(fa[1], max(fa[1] + 1, min(fa[3] - h, fa[1] + h * 2))))
        return x, y
    rows = list(geometry["rows"])
    rng.shuffle(rows)
    for r in rows:
        space = r["row_box"][2] - r["text_box"][2]
        if space > w + 20:
            x = int(r["text_box"][2] + rng.uniform(10, space - w - 5))
            y = int(r["baseline"] - h * 0.66)
            return x, y
    return int(rng.uniform(0.1, 0.5) * W), int(H - h - rng.uniform(0.01, 0.03) * H)


# An "edge" voter's cross (spec ``approve_place``) is drawn off the middle of its cell, its end at the cell's
# rule: from this share of the cell's shorter side short of the rule to this share past it (a clear mark all
# the same: its middle is well inside the cell; a cross *on* the rule is the "straddle" case).
EDGE_REACH_SHARE = (-0.3, 0.1)
EDGE_SIDES = {"left": 0.3, "right": 0.3, "up": 0.2, "down": 0.2}   # which rule the cross is drawn towards


def _towards_rule(cell, s: float, rng) -> tuple[float, float]:
    """The middle (x, y) of a cross of half-size ``s`` drawn towards one rule of ``cell`` [x0, y0, x1, y1],
    its end EDGE_REACH_SHARE of the shorter side from that rule; along the rule it stays in the cell's middle
    part. The middle is kept inside the cell's inner half whatever the reach."""
    x0, y0, x1, y1 = cell
    side = min(x1 - x0, y1 - y0)
    keys = list(EDGE_SIDES)
    p = np.array([EDGE_SIDES[k] for k in keys])
    where = keys[int(rng.choice(len(keys), p=p / p.sum()))]
    reach = float(rng.uniform(*EDGE_REACH_SHARE)) * side
    cx = (x0 + x1) / 2 + rng.uniform(-0.15, 0.15) * (x1 - x0 - side)
    cy = (y0 + y1) / 2 + rng.uniform(-0.08, 0.08) * side
    if where == "left":
        cx = max(x0 - reach + s, x0 + 0.25 * side)
    elif where == "right":
        cx = min(x1 + reach - s, x1 - 0.25 * side)
    elif where == "up":
        cy = max(y0 - reach + s, y0 + 0.25 * side)
    else:
        cy = min(y1 + reach - s, y1 - 0.25 * side)
    return cx, cy


def fill_ballot(blank_rgb: np.ndarray, geometry: dict, spec: dict, rng: np.random.Generator) -> np.ndarray:
    """Fill a ballot in; returns a new RGB array (``blank_rgb`` is not modified).

    ``spec`` keys (all optional); names are truth labels or row indexes:

    - ``seal`` (bool, default: stamp when the blank has none) — stamp a fresh hand-applied seal
    - ``pen`` one of PENS ("blue", "darkblue", "black", "purple", "pencil", "faintblue"),
      ``width`` (px at 200 dpi), ``strength`` (opacity 0..1)
    - ``strike``: names struck through; ``style``: {name: {"wavy", "double", "overshoot_left",
      "overshoot_right", "slope", "dy"}} (missing keys random)
    - ``partial``: {name: fraction 0..1 of the width struck (from a random start)}
    - ``two_rows``: name whose strike runs diagonally into the next row
    - ``underline``: names underlined below the baseline
    - ``faint``: names with a faint short ambiguous mark
    - ``marks``: {name: "x" | "tick" | "fill" | "scribble" | "outside" | "straddle"} (mark ballots: the
      printed box; approve ballots: the "yes" cell unless ``approve`` is given)
    - ``approve``: {name: "yes" | "no" | "both" | "none"} (approve ballots), ``approve_mark`` "x"/"tick",
      ``approve_place`` "middle" (default) or "edge" (each cross drawn towards one of its cell's rules,
      touching it or a little past it: ``_towards_rule``)
    - ``write_in``: text handwritten on the ballot; ``note``: a short handwritten note;
      ``hand_where``: "below" (default) or "beside"; ``placed``: a list that receives the box
      [x0, y0, x1, y1] of each piece of writing
    - ``faint_marks``: names whose mark box holds only a light short tick (mark ballots)
    - ``approve`` may also say "straddle": one cross on the line between the two cells
    - ``unfaint``: a list that receives a copy of the page just before the faint marks (``faint``,
      ``faint_marks``) are drawn: the same ballot without them (page.py measures what the capture kept)
    """
    dpi = geometry["dpi"]
    page = np.array(blank_rgb, dtype=np.uint8)
    if spec.get("seal", not geometry.get("sealed")):
        stamp_seal(page, dict(geometry), rng)
    color, width, opacity, pencil = pen_for(spec, rng, dpi)
    paths = []
    styles = spec.get("style", {})
    for key in spec.get("strike", []):
        r = _row(geometry, key)
        st = dict(styles.get(r["name"], {}))
        st.setdefault("wavy", bool(rng.random() < 0.3))
        st.setdefault("double", bool(rng.random() < 0.12))
        paths += strike_paths(r, rng, width, opacity, st, dpi=dpi)
    for key, frac in spec.get("partial", {}).items():
        r = _row(geometry, key)
        start = float(rng.uniform(0, 1 - frac)) if rng.random() < 0.5 else 0.0
        paths += strike_paths(r, rng, width, opacity, {"overshoot_left": 0.0}, frac=(start, start + frac), dpi=dpi)
    if spec.get("two_rows") is not None:
        r = _row(geometry, spec["two_rows"])
        nxt = geometry["rows"][r["index"] + 1]
        x0, x1 = r["text_box"][0], max(r["text_box"][2], nxt["text_box"][2])
        p0 = (x0 - rng.uniform(0, 0.05) * (x1 - x0), r["mid_y"])
        p1 = (x0 + rng.uniform(0.6, 1.0) * (x1 - x0), nxt["mid_y"] + rng.uniform(-0.2, 0.3) * nxt["x_height"])
        paths.append(pen_line(p0, p1, width, opacity, rng, bend=rng.uniform(-0.02, 0.02), wobble=0.05 * r["x_height"]))
    for key in spec.get("underline", []):
        r = _row(geometry, key)
        x0, _, x1, _ = r["text_box"]
        y = r["baseline"] + rng.uniform(0.25, 0.45) * r["x_height"] + r["x_height"] * 0.25
        paths.append(
            pen_line(
                (x0 - rng.uniform(0, 0.05) * (x1 - x0), y),
                (x1 + rng.uniform(-0.05, 0.08) * (x1 - x0), y + rng.normal(0, 2)),
                width,
                opacity,
                rng,
                wobble=0.08 * r["x_height"],
            )
        )
    kind = geometry["kind"]
    approve = dict(spec.get("approve", {}))
    marks = dict(spec.get("marks", {}))
    if kind == "approve":
        for key in list(marks):
            approve.setdefault(_row(geometry, key)["name"], "yes")
    for key, how in approve.items():
        r = _row(geometry, key)
        if how == "straddle":    # one cross on the line between "yes" and "no", touching both cells
            yes, no = r["cells"]["yes"], r["cells"]["no"]
            side = min(yes[2] - yes[0], yes[3] - yes[1])
            cx = (yes[2] + no[0]) / 2 + rng.uniform(-0.08, 0.08) * side
            cy = (yes[1] + yes[3]) / 2 + rng.uniform(-0.08, 0.08) * side
            hx = max(side * rng.uniform(0.3, 0.4), (no[0] - yes[2]) / 2 + side * rng.uniform(0.25, 0.4))
            hy = side * rng.uniform(0.3, 0.4)
            paths += x_mark([cx - hx, cy - hy, cx + hx, cy + hy], rng, width, opacity)
            continue
        cells = [r["cells"][c] for c in {"yes": ["yes"], "no": ["no"], "both": ["yes", "no"], "none": []}[how]]
        for cell in cells:
            side = min(cell[2] - cell[0], cell[3] - cell[1])
            cx = (cell[0] + cell[2]) / 2 + rng.uniform(-0.15, 0.15) * (cell[2] - cell[0]) * (side < cell[2] - cell[0])
            cy = (cell[1] + cell[3]) / 2 + rng.uniform(-0.08, 0.08) * side
            s = side * rng.uniform(0.28, 0.36) if side > mm_px(7, dpi) else side * 0.5
            if spec.get("approve_place") == "edge":
                cx, cy = _towards_rule(cell, s, rng)
            box = [cx - s, cy - s, cx + s, cy + s]
            style = spec.get("approve_mark", "x")
            paths += tick_mark(box, rng, width, opacity) if style == "tick" else x_mark(box, rng, width, opacity)
    if kind == "mark":
        for key, how in marks.items():
            r = _row(geometry, key)
            box = r["cells"]["mark"]
            side = box[2] - box[0]
            if how == "x":
                paths += x_mark(box, rng, width, opacity, scale=rng.uniform(0.75, 1.05))
            elif how == "tick":
                paths += tick_mark(box, rng, width, opacity, scale=rng.uniform(0.8, 1.1))
            elif how == "fill":
                paths += fill_mark(box, rng, width, opacity)
            elif how == "scribble":   # a mark crossed out by a dense scribble over and around the box
                paths += x_mark(box, rng, width, opacity, scale=0.9)
                paths += fill_mark(box, rng, width * 0.9, opacity, cover=1.0, scale=rng.uniform(1.3, 1.6))
            elif how == "outside":    # an X half outside the box
                ang = rng.uniform(0, 2 * np.pi)
                c = (
                    (box[0] + box[2]) / 2 + math.cos(ang) * side * 0.6,
                    (box[1] + box[3]) / 2 + math.sin(ang) * side * 0.6,
                )
                paths += x_mark(box, rng, width, opacity, center=c, scale=rng.uniform(0.8, 1.0))
            elif how == "straddle":   # one X spanning this box and the next row's box
                nb = geometry["rows"][r["index"] + 1]["cells"]["mark"]
                c = ((box[0] + nb[2]) / 2, (box[1] + nb[3]) / 2)
                big = [c[0] - side * 0.6, box[1] + side * 0.2, c[0] + side * 0.6, nb[3] - side * 0.2]
                paths += x_mark(big, rng, width, opacity, scale=1.0)
            else:
                raise ValueError(f"unknown mark {how!r}")
    if paths:
        ink_paths(page, paths, color, rng, pencil)
    faint_paths = []
    for key in spec.get("faint_marks", []):   # a light, short tick in a mark box: barely there
        box = _row(geometry, key)["cells"]["mark"]
        side = box[2] - box[0]
        p0 = (box[0] + rng.uniform(0.2, 0.4) * side, box[1] + rng.uniform(0.45, 0.65) * side)
        p1 = (p0[0] + rng.uniform(0.15, 0.3) * side, p0[1] + rng.uniform(0.1, 0.25) * side)
        faint_paths.append(pen_line(p0, p1, max(1.0, width * 0.6), rng.uniform(0.12, 0.22), rng))
    for key in spec.get("faint", []):
        r = _row(geometry, key)
        x0, _, x1, _ = r["text_box"]
        a = x0 + rng.uniform(0.1, 0.5) * (x1 - x0)
        faint_paths.append(
            pen_line(
                (a, r["mid_y"] + rng.normal(0, 0.1) * r["x_height"]),
                (a + rng.uniform(0.2, 0.45) * (x1 - x0), r["mid_y"] + rng.normal(0, 0.2) * r["x_height"]),
                max(1.0, width * 0.6),
                rng.uniform(0.12, 0.22),
                rng,
                wobble=0.1 * r["x_height"],
            )
        )
    if faint_paths:
        if isinstance(spec.get("unfaint"), list):
            spec["unfaint"].append(page.copy())
        ink_paths(page, faint_paths, color, rng, pencil=True)
    for key in ("write_in", "note"):
        if spec.get(key):
            px = pt_px(float(rng.uniform(*HAND_PT_RANGE)), dpi)
            alpha = hand_alpha(spec[key], px, rng, weight=max(0, int(round(width / 3)) - 1))
            x, y = _place_hand(page, geometry, alpha, rng, spec.get("hand_where", "below"))
            if isinstance(spec.get("placed"), list):     # the caller wants to know where the writing went
                spec["placed"].append([x, y, x + alpha.shape[1], y + alpha.shape[0]])
            alpha = alpha * opacity
            if pencil:
                alpha *= np.where(rng.random(alpha.shape, dtype=np.float32) < 0.25, 0.3, 1.0)
            blend_ink(page, alpha, x, y, color)
    return as_page(page, dpi)
