"""Read a registered page: is it this ballot, what did the voter add, and where.

Pure: the prepared blank (``blank.BlankRef``) and a page already resampled into the template frame go
in; a ``PageReading`` with per-name evidence comes out. No database, no files, no CLI.

The method compares ink, not pixels: the voter's pen is the ink the scan has *over* the blank
(``pen.find_pen``), so printed text, table rules and the paper's tone cancel out. Each name is read by
the reader of its ballot kind (``strike``; ``box_marks`` for mark and yes/no ballots), the seal by
``seal`` and ink outside the names by ``writing``; this module only dispatches and gathers.
"""
from __future__ import annotations

import cv2
import numpy as np

from ..records import UNCLEAR, Box, Code, Layout, NameReading, PageReading
from . import thresholds as T
from .blank import BlankRef, classify_print, contrast_gain, missing_print, print_missing_at
from .box_marks import classify_approve, classify_mark, page_levels, reaches_outside, row_evidence
from .ink import ink_map
from .obstruction import NONE as NO_HIDDEN
from .obstruction import hidden_print
from .pen import Blob, Pen, blob_in, find_pen, is_print_residue
from .seal import Ring, classify_ring, find_page_seal, seal_state
from .strike import classify_strike, name_evidence
from .writing import classify_outside, crease_pieces, faint_evidence, flat_lines, is_faint_writing, outside_evidence
from .zones import box_ring, name_zone, strike_zone


def read_page(ref: BlankRef, page: np.ndarray) -> PageReading:
    """Read a page already registered into the template frame (uint8 grey)."""
    layout = ref.layout
    page_ink = ink_map(page)
    gain = contrast_gain(ref, page_ink)
    if gain != 1.0:
        page_ink = np.minimum(page_ink * gain, 1.0)
    miss_page, miss_names = missing_print(ref, page_ink)
    evidence = {"missing_print": round(miss_page, 3), "missing_names": round(miss_names, 3), "gain": round(gain, 2)}
    hidden = NO_HIDDEN
    if max(miss_page, miss_names) > min(T.NAMES_PRINT_MISSING_DOUBT_SHARE, T.PAGE_PRINT_MISSING_DOUBT_SHARE):
        hidden = hidden_print(ref.printed_at, print_missing_at(ref, page_ink), page_ink, ref.present_min,
                              layout.text_height)
        evidence.update(hidden_in=round(hidden.hidden, 3), hidden_rest=round(hidden.rest, 3),
                        hidden_held=round(hidden.held, 3), hidden_moved=round(hidden.moved, 3))
    print_check = classify_print(miss_page, miss_names, hidden)
    if print_check == "not_ballot":
        return PageReading(is_ballot=False, not_ballot_why="print_mismatch", evidence=evidence)
    reading = PageReading(is_ballot=True, evidence=evidence)
    if print_check == "doubt":
        reading.doubt.append(Code.PRINT_MISMATCH)
    elif print_check == "obstruction":
        reading.doubt.append(Code.OBSTRUCTION)
    pen = find_pen(ref, page_ink)
    evidence["line_artifacts"] = len(pen.lines)
    zones = [z for s in layout.slots for z in (s.name, *s.boxes)]
    creases, pieces = crease_pieces(pen.blobs, zones, layout.text_height, pen.mask.shape)
    drop = {b.label for b in pieces}
    per_slot, outside = _assign(ref, page_ink, pen, reading, [b for b in pen.blobs if b.label not in drop])
    level, noise = (None, 0.0) if layout.kind == "strike" else page_levels(pen, layout.slots, layout.text_height)
    residue = frozenset() if layout.kind == "strike" else _residue_on_names(ref, page_ink, pen)
    for slot in layout.slots:
        if layout.kind == "strike":
            ev = name_evidence(ref, page_ink, pen, slot, per_slot[slot.index])
            state, why = classify_strike(ev)
        else:
            ev = row_evidence(pen, layout.slots, slot, per_slot[slot.index], layout.text_height, level, noise,
                              residue)
            state, why = (classify_mark if layout.kind == "mark" else classify_approve)(ev, len(slot.boxes))
        reading.names.append(NameReading(slot.index, slot.label, state, why, ev))
    ignore, near, ring = _read_seal(ref, pen, reading)
    if ring is not None:
        _seal_over_names(ring, reading, layout)
    lines = pen.lines + creases + flat_lines(outside, layout.text_height, pen.mask.shape)
    for b in outside:
        verdict = classify_outside(outside_evidence(ref, page_ink, pen, b, ignore, near, lines))
        if verdict == "writing":
            reading.extra_writing.append(b.box)
        elif verdict == "stray":
            reading.stray_marks.append(b.box)
        elif verdict == "obstruction" and Code.OBSTRUCTION not in reading.doubt:
            reading.doubt.append(Code.OBSTRUCTION)
    if reading.extra_writing:   # pieces of the same writing (an accent, a letter set apart) are not marks of their own
        join = int(T.WRITING_JOIN_TH * layout.text_height)
        reading.stray_marks = [m for m in reading.stray_marks
                               if not any(w.grow(join, join).intersects(m) for w in reading.extra_writing)]
    faint = [f for f in faint_evidence(ref, pen, ignore, near) if is_faint_writing(f)]
    if faint and not reading.extra_writing:   # light writing the pen did not hold: a person looks
        reading.doubt.append(Code.FAINT_WRITING)
        reading.evidence["faint_writing"] = round(max(f.score for f in faint), 1)
    if reading.seal == "absent" and any(near[b.slices()].any() for b in reading.stray_marks):
        reading.seal = "unclear"      # no ring, but marks where a faint seal would lie: no evidence it is absent
    reading.pen = _read_pen(layout, pen.mask, reading)
    return reading


def _residue_on_names(ref: BlankRef, page_ink: np.ndarray, pen: Pen) -> frozenset[int]:
    """Labels of the blobs on the printed names (their ``name_zone`` and ``strike_zone``, where
    ``strike_evidence`` looks) that are print a pixel or two off, not
    pen (``is_print_residue``: they vanish once their spot is aligned on its own). Mark ballots: the ink on a
    name that makes it unclear is the voter's only."""
    th = ref.layout.text_height
    zones = [z for s in ref.layout.slots for z in (name_zone(s, th), strike_zone(s))]
    return frozenset(b.label for b in pen.blobs if any(b.box.intersects(z) for z in zones)
                     and is_print_residue(ref, page_ink, pen.mask, b.box, th))


def _assign(ref: BlankRef, page_ink: np.ndarray, pen: Pen, reading: PageReading, blobs: list[Blob]
            ) -> tuple[dict[int, list[Blob]], list[Blob]]:
    """Which of ``blobs`` belong to which name (by slot index), and the blobs outside every name.

    Strike ballots: ink in a name's row is about that name (ink with pixels of its own in the row, not
    only its bounding box). Mark ballots: only ink at a box is; anything else in the row (a note beside
    a name) is judged as writing. Ink from a box reaching well outside it is a stray mark (added to
    ``reading``)."""
    layout = ref.layout
    per_slot: dict[int, list[Blob]] = {s.index: [] for s in layout.slots}
    outside: list[Blob] = []
    for b in blobs:
        if layout.kind == "strike":
            hit = [s for s in layout.slots if s.row.intersects(b.box) and blob_in(pen.labels, b, s.row)]
        else:
            hit = [s for s in layout.slots if any(box_ring(x).intersects(b.box) for x in s.boxes)]
            if (hit and reaches_outside(b, hit)
                    and not is_print_residue(ref, page_ink, pen.mask, b.box, layout.text_height)):
                reading.stray_marks.append(b.box)
        for s in hit:
            per_slot[s.index].append(b)
        if not hit:
            outside.append(b)
    if layout.kind == "strike":
        outside = [b for b in outside if not _overshoot(b, per_slot, pen, layout.text_height)]
    return per_slot, outside


def _overshoot(b: Blob, per_slot: dict[int, list[Blob]], pen: Pen, th: int) -> bool:
    """True when ``b`` is the end of a strike run past its name's row: a flat stroke (at most
    ``OVERSHOOT_MAX_HEIGHT_TH`` tall) level with a blob of a row, within ``OVERSHOOT_JOIN_TH`` of its
    end or farther under print (a table rule, a row number: at most ``OVERSHOOT_HIDDEN_JOIN_TH``, the
    gap mostly hidden). Each row is aligned on its own, and print hides the stroke where it crosses
    it: the end of a strike can part from the rest there. Level: the rows of the two overlap once the
    row's blob is carried across the gap at its own slope (its box's height over its width; a slanted
    strike climbs or falls across a hidden gap)."""
    if b.box.h > T.OVERSHOOT_MAX_HEIGHT_TH * th:
        return False
    for blobs in per_slot.values():
        for c in blobs:
            x0, x1 = (b.box.x1, c.box.x0) if b.box.x1 <= c.box.x0 else (c.box.x1, b.box.x0)
            gap = x1 - x0
            if gap > T.OVERSHOOT_HIDDEN_JOIN_TH * th:
                continue
            drift = max(gap, 0) * c.box.h / max(c.box.w, 1)
            if not (b.box.y0 < c.box.y1 + drift and c.box.y0 - drift < b.box.y1):
                continue
            if gap <= T.OVERSHOOT_JOIN_TH * th:
                return True
            y0, y1 = max(b.box.y0, c.box.y0), min(b.box.y1, c.box.y1)
            if y1 <= y0:
                y0, y1 = b.box.y0, b.box.y1
            if pen.hidden[y0:y1, x0:x1].any(axis=0).mean() >= T.OVERSHOOT_HIDDEN_SHARE:
                return True
    return False


def _read_seal(ref: BlankRef, pen: Pen, reading: PageReading) -> tuple[np.ndarray, np.ndarray, Ring | None]:
    """Find the seal on the page (anywhere: it is hand-applied) and record it in ``reading``.

    Returns (ignore, near, ring): bool (h, w) where added ink is not the voter's (page edges, the blank's
    seal, the seal found surely) and where ink is never taken for writing (around a seal found, sure or
    seal-like; without one, the header above the names, where an unfound faint seal would lie), and the
    seal found (sure or seal-like; None without one)."""
    layout = ref.layout
    ring = find_page_seal(pen.add, pen.hidden | ref.edge, layout.seal)
    verdict = classify_ring(ring)
    reading.seal = seal_state(ring)
    reading.evidence["seal_cover"] = round(ring.evidence, 3) if ring is not None else 0.0
    ignore = ref.ignore
    near = np.zeros_like(ref.ignore)
    if ring is not None and verdict:
        reading.evidence["seal_x"], reading.evidence["seal_y"] = int(round(ring.cx)), int(round(ring.cy))
        reading.evidence["seal_r"] = int(round(ring.r))
        centre = (int(round(ring.cx)), int(round(ring.cy)))
        cv2.circle(near.view(np.uint8), centre, int(ring.r * T.SEAL_NEAR_RADII), 1, -1)
        if verdict == "seal":
            ignore = ignore.copy()
            cv2.circle(ignore.view(np.uint8), centre, int(ring.r * T.SEAL_IGNORE_RADII), 1, -1)
    if verdict != "seal" and layout.slots:
        near[:min(s.row.y0 for s in layout.slots)] = True
    return ignore, near, ring if verdict else None


def _seal_over_names(ring: Ring, reading: PageReading, layout: Layout) -> None:
    """A seal (sure or seal-like) stamped over a name's print or its boxes makes that name unclear, whatever
    was read there: its ink is not the voter's, and what the voter did under it cannot be told."""
    reach = ring.r * T.SEAL_IGNORE_RADII
    for n, slot in zip(reading.names, layout.slots):
        if any(_circle_meets(ring.cx, ring.cy, reach, b) for b in (slot.name, *slot.boxes)):
            n.state, n.why = UNCLEAR, "seal_over_name"


def _circle_meets(cx: float, cy: float, r: float, b: Box) -> bool:
    """True when the disc (cx, cy, r) and box ``b`` overlap."""
    nx, ny = min(max(cx, b.x0), b.x1 - 1), min(max(cy, b.y0), b.y1 - 1)
    return (nx - cx) ** 2 + (ny - cy) ** 2 <= r * r


def _read_pen(layout: Layout, mask: np.ndarray, reading: PageReading) -> np.ndarray:
    """The pen the reading rests on: ink over the names (strike) or in the boxes (mark, yes/no), and
    the writing and marks found elsewhere; not ghosts of print, creases or the seal (whose place is
    in the evidence)."""
    h, w = mask.shape
    pen = np.zeros_like(mask)
    if layout.kind == "strike":
        zones = [strike_zone(s) for s in layout.slots]
    else:
        zones = [b for s in layout.slots for b in s.boxes]
    for z in zones + reading.extra_writing + reading.stray_marks:
        z = z.clip(w, h)
        pen[z.slices()] = mask[z.slices()]
    return pen
