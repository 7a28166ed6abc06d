"""Mark and yes/no ballots: what the voter put in the printed boxes beside each name.

(``printed_boxes.py`` finds where the boxes are on the blank; this module reads the pen in them.)
``box_evidence`` measures the pen in one box, ``row_evidence`` gathers it for every box of a name's
row; ``box_state`` decides one box (marked, empty or unclear), ``classify_mark`` a name of a mark
ballot and ``classify_approve`` a row of a yes/no ballot ("Đồng ý" / "Không đồng ý").
"""
from __future__ import annotations

import cv2
import numpy as np

from ..records import EMPTY, MARKED, UNCLEAR, Box, Slot
from . import thresholds as T
from .pen import Blob, Pen
from .strike import strike_evidence
from .zones import box_core, box_ring, contains


def _inside(box: Box, w: int, h: int) -> Box:
    """A printed box without its border (``BOX_INSET_SHARE`` of its side), clipped to the page."""
    m = max(T.MIN_BOX_INSET_PX, int(T.BOX_INSET_SHARE * min(box.w, box.h)))
    return Box(box.x0 + m, box.y0 + m, box.x1 - m, box.y1 - m).clip(w, h)


def _line_kernels(k: int) -> list[np.ndarray]:
    """Averaging kernels along a line k px long: horizontal, vertical, and the two diagonals."""
    return [np.full((1, k), 1.0 / k, np.float32), np.full((k, 1), 1.0 / k, np.float32),
            np.eye(k, dtype=np.float32) / k, np.fliplr(np.eye(k, dtype=np.float32)) / k]


def line_ink(add: np.ndarray, diagonal_only: bool = False) -> np.ndarray:
    """Added ink averaged along a short line (``BOX_LINE_PX``) in the direction that keeps it darkest:
    a pen stroke of any slope keeps its darkness, noise and pencil grain thin out. ``add`` float32 (h, w);
    returns float32 (h, w). ``diagonal_only``: only the two diagonals (next to a printed border, whose
    ghost is a horizontal or vertical line)."""
    if add.size == 0:
        return add.copy()
    kernels = _line_kernels(T.BOX_LINE_PX)
    if diagonal_only:
        kernels = kernels[2:]
    out = None
    for kern in kernels:
        f = cv2.filter2D(add, cv2.CV_32F, kern, borderType=cv2.BORDER_REPLICATE)
        out = f if out is None else np.maximum(out, f)
    return out


def _pen_inside(inside: Box, mask: np.ndarray, add: np.ndarray, on_lines: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """The pen inside a box: (pen pixels, pixels of at least faint ink), two bool arrays over ``inside``.

    Ticks and crosses are steep strokes that the pen mask (ink averaged along x) may miss, and inside a
    box there is only paper: there added ink averaged along the stroke's own direction (``line_ink``)
    counts, pen from ``BOX_PIXEL_INK``, a faint trace from ``BOX_TRACE_INK`` — on pixels themselves at
    least half that dark (the average reaches beside a stroke; those pixels are paper). On the strip of
    a crease or a streak found across the page (``on_lines``, uint8 (h, w)) only pen as dark as
    ``LINE_ARTIFACT_KEEP_INK`` counts, as in the pen mask, and no faint trace: the fold's own line."""
    own = add[inside.slices()]
    soft = line_ink(own)
    pen = (soft >= T.BOX_PIXEL_INK) & (own >= T.BOX_PIXEL_INK / 2)
    faint = (soft >= T.BOX_TRACE_INK) & (own >= T.BOX_TRACE_INK / 2)
    if on_lines is not None:
        fold = on_lines[inside.slices()] > 0
        pen &= ~fold | (own >= T.LINE_ARTIFACT_KEEP_INK)
        faint &= ~fold
    pen = (mask[inside.slices()] > 0) | pen
    near = max(T.MIN_BOX_INSET_PX, int(T.BOX_INSET_SHARE * min(own.shape)))
    edge = border_ghost(pen | faint | (own >= T.BOX_TRACE_INK / 2), near, own)
    return pen & ~edge, faint & ~edge


def border_ghost(on: np.ndarray, near: int, ink: np.ndarray | None = None) -> np.ndarray:
    """The lines along a box's printed border that are its ghost: of ``on`` (bool (h, w), any ink over a
    box's inside, down to half a faint trace's), every row within ``near`` px of the top or bottom edge
    and every column within ``near`` px of the left or right edge that ink covers over
    ``BOX_BORDER_GHOST_SHARE`` of its length. Where the scan's
    print is bolder than the blank's or the box lies a few px off after alignment, its border reaches
    into the inside as a straight line from side to side; a voter's mark crosses an edge's rows or
    columns, it does not run along one of them edge to edge. With ``ink`` (float32 (h, w), the added ink),
    a row or column as dark as a deliberate mark (``BOX_INK_PERCENTILE`` of its ink at least ``BOX_MIN_INK``)
    is no ghost: a filled box keeps its edges, their lighter fringe too."""
    h, w = on.shape
    out = np.zeros_like(on, dtype=bool)
    if h == 0 or w == 0:
        return out
    rows = on.mean(axis=1) >= T.BOX_BORDER_GHOST_SHARE
    cols = on.mean(axis=0) >= T.BOX_BORDER_GHOST_SHARE
    if ink is not None:
        rows &= np.percentile(ink, T.BOX_INK_PERCENTILE, axis=1) < T.BOX_MIN_INK
        cols &= np.percentile(ink, T.BOX_INK_PERCENTILE, axis=0) < T.BOX_MIN_INK
    near = min(near, h // 2, w // 2)
    for r in list(range(near)) + list(range(h - near, h)):
        if rows[r]:
            out[r, :] = True
    for c in list(range(near)) + list(range(w - near, w)):
        if cols[c]:
            out[:, c] = True
    return out & on


def box_evidence(box: Box, mask: np.ndarray, add: np.ndarray, text_h: int, others: tuple[Box, ...] = (),
                 hidden: np.ndarray | None = None, on_lines: np.ndarray | None = None) -> dict[str, float]:
    """Pen ink in and around a printed box, in pixels over min(its inside, th²) — so that a cross counts
    the same in a small square and in a wide table cell: ``fill`` (pen inside, ``_pen_inside``),
    ``trace`` (the longest side of a connected piece of faint ink inside, over the inside's shorter
    side: a mark too light to be pen), ``around`` (pen strokes in the ring around the box, ``zones.box_ring``,
    outside every box), ``spill`` (pen around over pen inside), ``ink`` (the mark's darkness:
    ``BOX_INK_PERCENTILE`` of the added ink on its pixels) and ``box`` (where the pen lies: [x0, y0, x1,
    y1] px from the inside's corner, [] when empty). ``mask`` uint8 0/1 (h, w), ``add`` float32 added
    ink (h, w); ``others``: the neighbouring boxes, whose ink is not "around" this one; ``hidden`` bool
    (h, w): where print would hide a stroke; ``on_lines`` uint8 (h, w): the strips of the creases and
    streaks found (``Pen.on_lines``). Around the box, pen is the pen mask's, and steep strokes (``line_ink``
    along the diagonals) clear of print."""
    h, w = mask.shape
    inside = _inside(box, w, h)
    ring_box = box_ring(box).clip(w, h)
    ins, faint = _pen_inside(inside, mask, add, on_lines)
    trace = 0.0
    if faint.any():
        _, _, stats, _ = cv2.connectedComponentsWithStats(faint.astype(np.uint8), connectivity=8)
        trace = float(stats[1:, cv2.CC_STAT_WIDTH:cv2.CC_STAT_HEIGHT + 1].max()) / max(1, min(inside.w, inside.h))
    ring = mask[ring_box.slices()].astype(bool)
    if hidden is not None and ring_box.w > 0 and ring_box.h > 0:
        clear = cv2.dilate(hidden[ring_box.slices()].view(np.uint8), np.ones((3, 3), np.uint8)) == 0
        own = add[ring_box.slices()]
        ring |= clear & (line_ink(own, diagonal_only=True) >= T.BOX_PIXEL_INK) & (own >= T.BOX_PIXEL_INK / 2)
    for o in (box,) + tuple(others):  # the box itself and the neighbouring boxes are not "around"
        ring[
            max(0, o.y0 - ring_box.y0) : max(0, o.y1 - ring_box.y0),
            max(0, o.x0 - ring_box.x0) : max(0, o.x1 - ring_box.x0),
        ] = False
    ring_total = int(ring.sum())
    unit = max(1, min(ins.size, text_h * text_h))
    inside_px = int(ins.sum())
    vals = add[inside.slices()][ins]
    ys, xs = np.nonzero(ins)
    return {"fill": round(inside_px / unit, 3), "trace": round(trace, 3),
            "around": round(ring_total / unit, 3),
            "spill": round(ring_total / inside_px, 3) if inside_px else float(ring_total > 0),
            "ink": round(float(np.percentile(vals, T.BOX_INK_PERCENTILE)) if vals.size else 0.0, 3),
            # where the pen lies in the box, px from its inside's corner (the sheet's fingerprint)
            "box": [int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())] if xs.size else []}


def straddle(pen: Pen, boxes: tuple[Box, ...], mine: list[Blob], text_h: int) -> float:
    """How far one mark lies in two of a row's boxes: over the row's blobs, the pen a blob has in the
    box it fills second most, in the units of ``box_evidence``'s fill (0 with fewer than two boxes)."""
    if len(boxes) < 2:
        return 0.0
    h, w = pen.mask.shape
    best = 0.0
    for b in mine:
        fills = []
        for box in boxes:
            inside = _inside(box, w, h)
            if not b.box.intersects(inside):
                fills.append(0.0)
                continue
            own = (pen.labels[inside.slices()] == b.label) & (pen.mask[inside.slices()] > 0)
            fills.append(int(own.sum()) / max(1, min(own.size, text_h * text_h)))
        best = max(best, sorted(fills)[-2])
    return round(best, 3)


def row_evidence(pen: Pen, slots: tuple[Slot, ...], slot: Slot, mine: list[Blob], text_h: int) -> dict[str, float]:
    """Evidence of one name's row: ``dx``, ``dy`` (px the row was aligned by), the ``box_evidence`` of each
    of its boxes k as ``fill<k>``, ``trace<k>``, ``around<k>``, ``spill<k>``, ``ink<k>``, ``box<k>``,
    ``rows`` (names whose boxes a mark in this row reaches into, this one included), ``straddle`` (one
    mark in two of the row's boxes, ``straddle``) and ``name_touched`` (pen on the printed name, as
    ``strike_evidence``'s ``touched``)."""
    all_boxes = tuple(b for s in slots for b in s.boxes)
    ev = {"dx": pen.offsets[slot.index][0], "dy": pen.offsets[slot.index][1]}
    cells = [box_evidence(box, pen.mask, pen.add, text_h, tuple(o for o in all_boxes if o is not box), pen.hidden,
                          pen.on_lines) for box in slot.boxes]
    for k, c in enumerate(cells):
        ev.update({f"{key}{k}": v for key, v in c.items()})
    rows = {slot.index}
    for b in mine:
        for box in slot.boxes:
            if b.box.intersects(box):
                rows.update(o.index for o in slots if o.index != slot.index and any(
                    b.box.intersects(box_core(ob)) for ob in o.boxes))
    ev["rows"] = len(rows)
    ev["straddle"] = straddle(pen, slot.boxes, mine, text_h)
    ev["name_touched"] = strike_evidence(slot, pen.mask, pen.smooth, pen.hidden, text_h)["touched"]
    return ev


def box_state(fill: float, spill: float, ink: float, trace: float = 0.0, around: float = 0.0) -> tuple[str, str]:
    """MARKED / EMPTY / UNCLEAR (with the reason) of one box from its ``box_evidence``.

    A box is empty only on positive evidence of nothing there: no pen in it, no faint trace in it and
    no more than ``BOX_AROUND_EMPTY_MAX_FILL`` of pen just around it (a mark beside the box)."""
    if fill < T.BOX_EMPTY_MAX_FILL:
        if around >= T.BOX_AROUND_EMPTY_MAX_FILL:
            return UNCLEAR, "mark_outside_box"
        if trace >= T.BOX_TRACE_MIN_SHARE:
            return UNCLEAR, "faint"
        return EMPTY, ""
    if fill < T.BOX_MARK_MIN_FILL:
        return UNCLEAR, "faint"
    if spill >= T.BOX_SPILL_DOUBT_RATIO:
        return UNCLEAR, "mark_outside_box"
    if ink < T.BOX_MIN_INK:
        return UNCLEAR, "faint"
    return MARKED, ""


def _state(ev: dict[str, float], k: int) -> tuple[str, str]:
    return box_state(
        ev[f"fill{k}"], ev[f"spill{k}"], ev[f"ink{k}"], ev.get(f"trace{k}", 0.0), ev.get(f"around{k}", 0.0)
    )


def classify_mark(ev: dict[str, float], n_cells: int) -> tuple[str, str]:
    """MARKED / EMPTY / UNCLEAR for a name's box on a mark ballot."""
    if ev.get("rows", 1) > 1:
        return UNCLEAR, "two_rows"
    state, why = _state(ev, 0)
    if state != UNCLEAR and ev.get("name_touched", 0) > T.NAME_INK_MAX_SHARE:
        return UNCLEAR, "ink_on_name"
    return state, why


def classify_approve(ev: dict[str, float], n_cells: int) -> tuple[str, str]:
    """"agree" / "disagree" / "void" (both or neither) / UNCLEAR for one row of a yes/no ballot.

    One mark lying in both cells (``BOX_STRADDLE_MIN_FILL`` in the second) is the committee's call,
    never read as both; ink around an empty cell makes it unclear as on a mark ballot."""
    if ev.get("rows", 1) > 1:
        return UNCLEAR, "two_rows"
    if ev.get("straddle", 0.0) >= T.BOX_STRADDLE_MIN_FILL:
        return UNCLEAR, "straddle"
    states = [_state(ev, k) for k in range(n_cells)]
    for st, why in states:
        if st == UNCLEAR:
            return UNCLEAR, why
    yes, no = (st == MARKED for st, _ in states[:2])
    if ev.get("name_touched", 0) > T.NAME_INK_MAX_SHARE:
        return UNCLEAR, "ink_on_name"
    if yes and not no:
        return "agree", ""
    if no and not yes:
        return "disagree", ""
    return "void", "both" if yes else "neither"


def reaches_outside(blob: Blob, slots: list[Slot]) -> bool:
    """True when a blob at the boxes of ``slots`` does not lie wholly within any of their rings."""
    return not any(contains(box_ring(x), blob.box) for s in slots for x in s.boxes)
