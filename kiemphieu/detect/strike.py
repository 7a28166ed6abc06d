"""Strike ballots: is each printed name struck through, left standing, or unclear?

``strike_evidence`` measures the pen over one name (how much of its width a stroke covers through the
letters, below them, above them; how dark it is); ``name_evidence`` adds what the page's strokes say
about the name (a stroke reaching into another name's row, a mark beside it); ``classify_strike``
decides with the thresholds of ``thresholds.py``.
"""
from __future__ import annotations

import numpy as np

from ..records import STANDING, STRUCK, UNCLEAR, Slot
from . import thresholds as T
from .blank import BlankRef
from .pen import Blob, Pen, is_print_residue
from .zones import name_zone, strike_zone


def _bridge(cols: np.ndarray, gap: int, hidden_cols: np.ndarray | None = None) -> np.ndarray:
    """Fill runs of False between True values of a 1-D bool array: runs up to ``gap`` long, and
    longer runs that print mostly hides (``hidden_cols``: share of the run's pixels under print)."""
    idx = np.flatnonzero(cols)
    out = cols.copy()
    if len(idx) > 1:
        for a, b in zip(idx[:-1], idx[1:]):
            if b - a <= 1:
                continue
            if b - a <= gap + 1 or (hidden_cols is not None and hidden_cols[a + 1:b].mean() >= T.HIDDEN_GAP_SHARE):
                out[a:b] = True
    return out


def strike_evidence(slot: Slot, mask: np.ndarray, add: np.ndarray, hidden: np.ndarray, text_h: int) -> dict[str, float]:
    """Measure the pen ink over one printed name (see ``thresholds`` for the units).

    ``mask`` uint8 0/1 pen (h, w), ``add`` float32 stroke ink (h, w), ``hidden`` bool (h, w). Returns
    ``cover`` (share of the name's width a stroke runs through its letters, gaps bridged),
    ``cover_below`` / ``cover_above`` (ink only below / above that band), ``touched`` (any ink near the
    name), ``ink`` (median over touched columns of the darkest stroke ink) and ``x_from`` / ``x_to``
    (the stroke's first and last column, px from the name's left edge; -1 without a stroke).
    """
    n = slot.name
    near = int(T.NEAR_NAME_TH * text_h)
    y0 = max(0, min(n.y0, slot.core_y0 - int(T.STRIKE_ABOVE_CORE_TH * text_h)) - near)
    y1 = min(mask.shape[0], n.y1 + near)
    band = mask[y0:y1, n.x0:n.x1].astype(bool)
    ys = np.arange(y0, y1)[:, None]
    top = slot.core_y0 - T.STRIKE_ABOVE_CORE_TH * text_h
    bottom = slot.core_y1 + T.STRIKE_BELOW_CORE_TH * text_h
    in_zone = (ys >= top) & (ys <= bottom)
    through = (band & in_zone).any(axis=0)
    # Where the stroke runs under print it cannot be seen: how much of each column's zone print hides.
    hidden_cols = (hidden[y0:y1, n.x0:n.x1] & in_zone).sum(axis=0) / max(1, int(in_zone.sum()))
    below = (band & (ys > bottom)).any(axis=0)
    above = (band & (ys < top)).any(axis=0)
    gap = int(T.GAP_BRIDGE_TH * text_h)
    w = max(1, n.w)
    # Stroke darkness: per column, the darkest stroke ink in the band; the median over touched columns.
    peak = np.where(band, add[y0:y1, n.x0:n.x1], 0.0).max(axis=0)
    touched = peak[band.any(axis=0)]
    cols = np.flatnonzero(through)
    return {
        "x_from": int(cols[0]) if cols.size else -1,     # first and last column of the stroke, px from the
        "x_to": int(cols[-1]) if cols.size else -1,      # name's left edge (the sheet's fingerprint)
        "cover": round(float(_bridge(through, gap, hidden_cols).sum()) / w, 3),
        "cover_below": round(float(_bridge(below & ~through, gap).sum()) / w, 3),
        "cover_above": round(float(_bridge(above & ~through, gap).sum()) / w, 3),
        "touched": round(float((through | below | above).sum()) / w, 3),
        "ink": round(float(np.median(touched)) if touched.size else 0.0, 3),
    }


def rows_touched(slots: tuple[Slot, ...], lab: np.ndarray, blob: Blob, mask: np.ndarray, text_h: int) -> list[int]:
    """Slots whose letters a blob runs through for a real length (ROW_SPILL_TH)."""
    out = []
    for s in slots:
        z = strike_zone(s, text_h)
        if not z.intersects(blob.box):
            continue
        sub = (lab[z.slices()] == blob.label) & (mask[z.slices()] > 0)
        if sub.any(axis=0).sum() >= T.ROW_SPILL_TH * text_h:
            out.append(s.index)
    return out


def name_evidence(ref: BlankRef, page_ink: np.ndarray, pen: Pen, slot: Slot, mine: list[Blob]) -> dict[str, float]:
    """``strike_evidence`` of one name, with what the strokes in its row (``mine``) say about it:
    ``rows`` (names a stroke through this one also runs through, this one included), ``beside`` (blobs
    of at least ``MARK_BESIDE_MIN_TH`` in the row that do not touch the name and are not print ghosts)
    and ``dx``, ``dy`` (px the row was aligned by)."""
    slots = ref.layout.slots
    th = ref.layout.text_height
    ev = strike_evidence(slot, pen.mask, pen.smooth, pen.hidden, th)
    zone = name_zone(slot, th)
    rows = {slot.index}
    beside = 0
    for b in mine:
        if b.box.intersects(zone):
            rows.update(rows_touched(slots, pen.labels, b, pen.mask, th))
        elif (max(b.box.w, b.box.h) >= T.MARK_BESIDE_MIN_TH * th
              and not is_print_residue(ref, page_ink, pen.mask, b.box, th)):
            beside += 1
    ev["rows"] = len(rows)
    ev["beside"] = beside
    ev["dx"], ev["dy"] = pen.offsets[slot.index]
    return ev


def classify_strike(ev: dict[str, float]) -> tuple[str, str]:
    """STRUCK / STANDING / UNCLEAR (with the reason) from a name's evidence."""
    if ev.get("rows", 0) > 1:
        return UNCLEAR, "two_rows"
    if ev["cover"] >= T.STRIKE_MIN_COVER_SHARE:
        if ev["ink"] < T.STRONG_INK:
            return UNCLEAR, "faint"
        return STRUCK, ""
    if ev["touched"] <= T.STANDING_MAX_COVER_SHARE and ev.get("beside", 0) == 0:
        return STANDING, ""
    if ev["cover_below"] > ev["cover"]:
        return UNCLEAR, "underline"
    if ev["cover_above"] > ev["cover"]:
        return UNCLEAR, "above_name"
    if ev["touched"] <= T.STANDING_MAX_COVER_SHARE:
        return UNCLEAR, "mark_beside"
    return UNCLEAR, "partial_strike"
