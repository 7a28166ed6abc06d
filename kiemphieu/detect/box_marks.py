"""Mark and yes/no ballots: what the voter put in the printed boxes beside each name.

(``printed_boxes.py`` finds where the boxes are on the blank; this module reads the pen in them.)
``box_evidence`` measures the pen in one box, ``row_evidence`` gathers it for every box of a name's
row; ``box_state`` decides one box (marked, empty or unclear), ``classify_mark`` a name of a mark
ballot and ``classify_approve`` a row of a yes/no ballot ("Đồng ý" / "Không đồng ý").
"""
from __future__ import annotations

import numpy as np

from ..records import EMPTY, MARKED, UNCLEAR, Box, Slot
from . import thresholds as T
from .pen import Blob, Pen
from .strike import strike_evidence
from .zones import box_core, box_ring, contains


def box_evidence(
    box: Box, mask: np.ndarray, add: np.ndarray, text_h: int, others: tuple[Box, ...] = ()
) -> dict[str, float]:
    """Pen ink in a printed box: ``fill`` (pen px over min(inside, th²)), ``trace`` (the same for faint ink,
    ``BOX_TRACE_INK``), ``spill`` (pen around the box relative to pen inside), ``ink`` (darkness of the
    mark: ``BOX_INK_PERCENTILE`` of the added ink on it) and ``box`` (where the pen lies: [x0, y0, x1, y1] px from
    the inside's corner, [] when empty). ``mask`` uint8 0/1 (h, w), ``add`` float32 added ink (h, w);
    ``others``: the neighbouring boxes, whose ink is not "around" this one."""
    h, w = mask.shape
    m = max(T.MIN_BOX_INSET_PX, int(T.BOX_INSET_SHARE * min(box.w, box.h)))
    inside = Box(box.x0 + m, box.y0 + m, box.x1 - m, box.y1 - m).clip(w, h)
    around = box_ring(box).clip(w, h)
    # Ticks and X are steep strokes: inside a box a single dark pixel counts too, not only strokes
    # found along the writing direction.
    ins = mask[inside.slices()].astype(bool) | (add[inside.slices()] >= T.BOX_PIXEL_INK)
    ring = mask[around.slices()].astype(bool)
    for o in (box,) + tuple(others):  # the box itself and the neighbouring boxes are not "around"
        ring[
            max(0, o.y0 - around.y0) : max(0, o.y1 - around.y0), max(0, o.x0 - around.x0) : max(0, o.x1 - around.x0)
        ] = False
    ring_total = int(ring.sum())
    # Pen in the box, as a share of its inside — but of at most one th² for big cells, so that an X
    # counts the same in a small square and in a wide table cell.
    fill = float(ins.sum()) / max(1, min(ins.size, text_h * text_h)) if ins.size else 0.0
    vals = add[inside.slices()][ins]
    inside_px = int(ins.sum())
    faint = add[inside.slices()] >= T.BOX_TRACE_INK
    trace = float(faint.sum()) / max(1, min(faint.size, text_h * text_h)) if faint.size else 0.0
    ys, xs = np.nonzero(ins)
    return {"fill": round(fill, 3), "trace": round(trace, 3),
            "spill": round(ring_total / max(1, inside_px), 3) if inside_px else float(ring_total > 0),
            "ink": round(float(np.percentile(vals, T.BOX_INK_PERCENTILE)) if vals.size else 0.0, 3),
            # where the pen lies in the box, px from its inside's corner (the sheet's fingerprint)
            "box": [int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())] if xs.size else []}


def row_evidence(pen: Pen, slots: tuple[Slot, ...], slot: Slot, mine: list[Blob], text_h: int) -> dict[str, float]:
    """Evidence of one name's row: ``dx``, ``dy`` (px the row was aligned by), the ``box_evidence`` of each
    of its boxes k as ``fill<k>``, ``trace<k>``, ``spill<k>``, ``ink<k>``, ``box<k>``, ``rows`` (names whose
    boxes a mark in this row reaches into, this one included) and ``name_touched`` (pen on the printed
    name, as ``strike_evidence``'s ``touched``)."""
    all_boxes = tuple(b for s in slots for b in s.boxes)
    ev = {"dx": pen.offsets[slot.index][0], "dy": pen.offsets[slot.index][1]}
    cells = [box_evidence(box, pen.mask, pen.add, text_h, tuple(o for o in all_boxes if o is not box))
             for box in slot.boxes]
    for k, c in enumerate(cells):
        ev.update({f"{key}{k}": v for key, v in c.items()})
    rows = {slot.index}
    for b in mine:
        for box in slot.boxes:
            if b.box.intersects(box):
                rows.update(o.index for o in slots if o.index != slot.index and any(
                    b.box.intersects(box_core(ob)) for ob in o.boxes))
    ev["rows"] = len(rows)
    ev["name_touched"] = strike_evidence(slot, pen.mask, pen.smooth, pen.hidden, text_h)["touched"]
    return ev


def box_state(fill: float, spill: float, ink: float, trace: float = 0.0) -> tuple[str, str]:
    """MARKED / EMPTY / UNCLEAR (with the reason) of one box from its ``box_evidence``."""
    if fill < T.BOX_EMPTY_MAX_FILL and trace >= T.BOX_TRACE_MIN_FILL:
        return UNCLEAR, "faint"
    if fill < T.BOX_EMPTY_MAX_FILL:
        return (EMPTY, "") if spill < T.BOX_SPILL_DOUBT_RATIO or fill == 0 else (UNCLEAR, "mark_outside_box")
    if fill < T.BOX_MARK_MIN_FILL:
        return UNCLEAR, "faint"
    if spill >= T.BOX_SPILL_DOUBT_RATIO:
        return UNCLEAR, "mark_outside_box"
    if ink < T.STRONG_INK:
        return UNCLEAR, "faint"
    return MARKED, ""


def classify_mark(ev: dict[str, float], n_cells: int) -> tuple[str, str]:
    """MARKED / EMPTY / UNCLEAR for a name's box on a mark ballot."""
    if ev.get("rows", 1) > 1:
        return UNCLEAR, "two_rows"
    state, why = box_state(ev["fill0"], ev["spill0"], ev["ink0"], ev["trace0"])
    if state != UNCLEAR and ev.get("name_touched", 0) > T.STANDING_MAX_COVER_SHARE:
        return UNCLEAR, "ink_on_name"
    return state, why


def classify_approve(ev: dict[str, float], n_cells: int) -> tuple[str, str]:
    """"agree" / "disagree" / "void" (both or neither) / UNCLEAR for one row of a yes/no ballot."""
    if ev.get("rows", 1) > 1:
        return UNCLEAR, "two_rows"
    states = [box_state(ev[f"fill{k}"], ev[f"spill{k}"] if ev[f"fill{k}"] >= T.BOX_MARK_MIN_FILL else 0.0,
                        ev[f"ink{k}"], ev[f"trace{k}"]) for k in range(n_cells)]
    for st, why in states:
        if st == UNCLEAR:
            return UNCLEAR, why
    yes, no = (st == MARKED for st, _ in states[:2])
    if ev.get("name_touched", 0) > T.STANDING_MAX_COVER_SHARE:
        return UNCLEAR, "ink_on_name"
    if yes and not no:
        return "agree", ""
    if no and not yes:
        return "disagree", ""
    return "void", "both" if yes else "neither"


def reaches_outside(blob: Blob, slots: list[Slot]) -> bool:
    """True when a blob at the boxes of ``slots`` does not lie wholly within any of their rings."""
    return not any(contains(box_ring(x), blob.box) for s in slots for x in s.boxes)
