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

from ..records import Box, Layout, NameReading, PageReading
from . import thresholds as T
from .blank import BlankRef, classify_print, contrast_gain, missing_print
from .box_marks import classify_approve, classify_mark, reaches_outside, row_evidence
from .ink import ink_map
from .pen import Blob, Pen, find_pen, is_print_residue
from .seal import classify_seal, locate_seal
from .strike import classify_strike, name_evidence
from .writing import classify_outside, outside_evidence
from .zones import box_ring, strike_zone


def read_page(ref: BlankRef, page: np.ndarray) -> PageReading:
    """Read a page already registered into the template frame (uint8 grey)."""
    layout = ref.layout
    page_ink = ink_map(page)
    gain = contrast_gain(ref, page_ink)
    if gain != 1.0:
        page_ink = np.minimum(page_ink * gain, 1.0)
    miss_page, miss_names = missing_print(ref, page_ink)
    evidence = {"missing_print": round(miss_page, 3), "missing_names": round(miss_names, 3), "gain": round(gain, 2)}
    print_check = classify_print(miss_page, miss_names)
    if print_check == "not_ballot":
        return PageReading(is_ballot=False, not_ballot_why="print_mismatch", evidence=evidence)
    reading = PageReading(is_ballot=True, evidence=evidence)
    if print_check == "doubt":
        reading.doubt.append("print_mismatch")
    pen = find_pen(ref, page_ink)
    evidence["line_artifacts"] = len(pen.lines)
    per_slot, outside = _assign(ref, page_ink, pen, reading)
    for slot in layout.slots:
        if layout.kind == "strike":
            ev = name_evidence(ref, page_ink, pen, slot, per_slot[slot.index])
            state, why = classify_strike(ev)
        else:
            ev = row_evidence(pen, layout.slots, slot, per_slot[slot.index], layout.text_height)
            state, why = (classify_mark if layout.kind == "mark" else classify_approve)(ev, len(slot.boxes))
        reading.names.append(NameReading(slot.index, slot.label, state, why, ev))
    ignore, seal_zone = _read_seal(ref, page, reading)
    for b in outside:
        verdict = classify_outside(outside_evidence(ref, page_ink, pen, b, ignore, seal_zone))
        if verdict == "writing":
            reading.extra_writing.append(b.box)
        elif verdict == "stray":
            reading.stray_marks.append(b.box)
    reading.pen = _read_pen(layout, pen.mask, reading)
    return reading


def _assign(ref: BlankRef, page_ink: np.ndarray, pen: Pen, reading: PageReading
            ) -> tuple[dict[int, list[Blob]], list[Blob]]:
    """Which blobs belong to which name (by slot index), and the blobs outside every name.

    Strike ballots: ink in a name's row is about that name. Mark ballots: only ink at a box is;
    anything else in the row (a note beside a name) is judged as writing. Ink from a box reaching well
    outside it is a stray mark (added to ``reading``)."""
    layout = ref.layout
    per_slot: dict[int, list[Blob]] = {s.index: [] for s in layout.slots}
    outside: list[Blob] = []
    for b in pen.blobs:
        if layout.kind == "strike":
            hit = [s for s in layout.slots if s.row.intersects(b.box)]
        else:
            hit = [s for s in layout.slots if any(box_ring(x).intersects(b.box) for x in s.boxes)]
            if (hit and reaches_outside(b, hit)
                    and not is_print_residue(ref, page_ink, pen.mask, b.box, layout.text_height)):
                reading.stray_marks.append(b.box)
        for s in hit:
            per_slot[s.index].append(b)
        if not hit:
            outside.append(b)
    return per_slot, outside


def _read_seal(ref: BlankRef, page: np.ndarray, reading: PageReading) -> tuple[np.ndarray, Box | None]:
    """Look for the seal where the blank has it; record it in ``reading``. Returns where added ink is
    ignored (the blank's seal zone and page edges, and the seal found) and the zone the seal may lie in
    (None without a seal on the blank)."""
    layout = ref.layout
    if layout.seal is None:
        return ref.ignore, None
    r = layout.seal.w // 2
    seal_zone = layout.seal.grow(int(T.SEAL_SEARCH_RADII * r), int(T.SEAL_SEARCH_RADII * r))
    found, cover = locate_seal(page, layout.seal)
    reading.evidence["seal_cover"] = round(cover, 3)
    if found is not None:
        reading.evidence["seal_x"], reading.evidence["seal_y"] = found[0], found[1]
    reading.seal = classify_seal(cover)
    ignore = ref.ignore
    if found is not None and cover >= T.SEAL_ABSENT_COVER_SHARE:
        ignore = ignore.copy()
        cv2.circle(ignore.view(np.uint8), found[:2], int(found[2] * T.SEAL_IGNORE_RADII), 1, -1)
    return ignore, seal_zone


def _read_pen(layout: Layout, mask: np.ndarray, reading: PageReading) -> np.ndarray:
    """The pen the reading rests on: ink over the names (strike) or in the boxes (mark, yes/no), and
    the writing and marks found elsewhere; not ghosts of print, creases or the seal (whose place is
    in the evidence)."""
    h, w = mask.shape
    th = layout.text_height
    pen = np.zeros_like(mask)
    if layout.kind == "strike":
        zones = [strike_zone(s) for s in layout.slots]
    else:
        zones = [b for s in layout.slots for b in s.boxes]
    for z in zones + reading.extra_writing + reading.stray_marks:
        z = z.clip(w, h)
        pen[z.slices()] = mask[z.slices()]
    return pen
