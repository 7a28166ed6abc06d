"""Strike ballots: is each printed name struck through, left standing, or unclear?

Every stroke is measured against the printed name's own letters: its x-line and baseline (found on the
blank's print, ``layout.letter_cores``) and its x-height. ``strike_evidence`` follows the pen over one
name column by column: a stroke whose middle runs between the x-line and the baseline (with
``STRIKE_BAND_XH`` to spare) goes *through* the letters, one below it is an underline, one above it runs
over the name; a stroke that crosses the letters from above to below (a slanted strike) goes through
them all along. ``faint_trace`` finds a light, coherent line along the letters that is too faint to be
pen. ``name_evidence`` adds what the page's strokes say about the name (a stroke reaching into another
name's letters, a mark beside it); ``classify_strike`` decides with the thresholds of ``thresholds.py``.
"""
from __future__ import annotations

import cv2
import numpy as np

from ..records import STANDING, STRUCK, UNCLEAR, Slot
from . import thresholds as T
from .blank import BlankRef
from .pen import Blob, Pen, is_print_residue, mean_along_x, vertical_runs
from .zones import name_zone, strike_zone, through_band, x_height


def _bridge(cols: np.ndarray, gap: int, hidden_cols: np.ndarray | None = None) -> np.ndarray:
    """Fill runs of False between True values of a 1-D bool array: runs up to ``gap`` long, and
    longer runs that print mostly hides (``hidden_cols``: share of each column's band under print;
    ``HIDDEN_GAP_SHARE`` of the run's pixels)."""
    idx = np.flatnonzero(cols)
    out = cols.copy()
    if len(idx) > 1:
        for a, b in zip(idx[:-1], idx[1:]):
            if b - a <= 1:
                continue
            if b - a <= gap + 1 or (hidden_cols is not None and hidden_cols[a + 1:b].mean() >= T.HIDDEN_GAP_SHARE):
                out[a:b] = True
    return out


def _own(mask: np.ndarray, labels: np.ndarray | None, box, skip: frozenset) -> np.ndarray:
    """``mask`` (uint8 0/1) over ``box`` as bool, without the pixels of the strokes in ``skip`` (labels)."""
    on = mask[box.slices()] > 0
    if skip and labels is not None:
        on &= ~np.isin(labels[box.slices()], list(skip))
    return on


def crosses_letters(x: np.ndarray, mid: np.ndarray, kind: np.ndarray, slot: Slot) -> bool:
    """True when the pen runs over a name (columns ``x`` px from its left edge, middle rows ``mid``,
    ``kind`` 0 through / 1 below / 2 above, one entry per vertical run) are one straight stroke that
    crosses its letters from above to below or back: a slanted strike. The runs fit a line within
    ``SLANT_FIT_XH`` (root mean square), which passes through the band at the middle of the name's
    width and leaves it on both sides of the name."""
    if not ((kind == 1).any() and (kind == 2).any()) or x.size < 3:
        return False
    xh = x_height(slot)
    a, c = np.polyfit(x.astype(np.float64), mid, 1)
    if float(np.sqrt(np.mean((mid - (a * x + c)) ** 2))) > T.SLANT_FIT_XH * xh:
        return False
    lo, hi = through_band(slot)
    centre = a * slot.name.w / 2 + c
    return bool(lo <= centre <= hi)


def stroke_columns(slot: Slot, mask: np.ndarray, labels: np.ndarray | None = None, skip: frozenset = frozenset()
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where the pen over a name runs, column by column of the name's width: (through, below, above),
    three bool arrays (name width,), and the row (template px) the stroke through the letters runs at
    in each column (float, NaN where none).

    Each vertical run of pen pixels in the name's ``strike_zone`` is placed by its middle row: between
    the band's edges (``zones.through_band``) it goes through the letters, lower it is below them,
    higher above them. One straight stroke from above the letters to below them (``crosses_letters``)
    goes through them all along. Strokes whose label (``labels`` int32 (h, w)) is in ``skip`` (another
    name's) are left out."""
    h, w = mask.shape
    z = strike_zone(slot).clip(w, h)
    n = slot.name
    nw = max(0, n.w)
    through, below, above = (np.zeros(nw, bool) for _ in range(3))
    rows = np.full(nw, np.nan)
    if z.w <= 0 or z.h <= 0:
        return through, below, above, rows
    cols, tops, ends = vertical_runs(_own(mask, labels, z, skip))
    if not cols.size:
        return through, below, above, rows
    mid = z.y0 + (tops + ends - 1) / 2.0
    lo, hi = through_band(slot)
    kind = np.where(mid < lo, 2, np.where(mid > hi, 1, 0))     # 0 through, 1 below, 2 above
    x = cols + z.x0 - n.x0
    if crosses_letters(x, mid, kind, slot):
        kind[:] = 0
    for k, arr in ((0, through), (1, below), (2, above)):
        sel = (kind == k) & (x >= 0) & (x < nw)
        arr[x[sel]] = True
    sel = (kind == 0) & (x >= 0) & (x < nw)
    if sel.any():
        total = np.bincount(x[sel], weights=mid[sel], minlength=nw)
        count = np.bincount(x[sel], minlength=nw)
        rows = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return through, below, above, rows


def seen_share(slot: Slot, through: np.ndarray, rows: np.ndarray, hidden: np.ndarray) -> float:
    """Of the columns between a stroke's first and last through the letters where print would not hide
    it (at its row, interpolated between the columns it is seen in, ± 1 px), the share it is seen in.
    1.0 without a stroke. A strike seen only in a few specks bridged across a bold name is no strike."""
    xs = np.flatnonzero(through)
    if xs.size < 2:
        return 1.0
    h, w = hidden.shape
    span = np.arange(xs[0], xs[-1] + 1)
    ys = np.rint(np.interp(span, xs, rows[xs])).astype(int)
    px = np.clip(slot.name.x0 + span, 0, w - 1)
    hid = np.ones(span.size, bool)
    for dy in (-1, 0, 1):
        hid &= hidden[np.clip(ys + dy, 0, h - 1), px]
    open_ = ~hid
    return float((through[span] & open_).sum()) / max(1, int(open_.sum())) if open_.any() else 1.0


def print_halo(add: np.ndarray, hidden: np.ndarray) -> float:
    """The added ink a page's print leaves just around the blank's (a bolder or blurred print, a
    slight misalignment): ``FAINT_HALO_PERCENTILE`` of it over the pixels next to where print hides a
    stroke. ``add`` float32 (h, w), ``hidden`` bool (h, w); 0 without such pixels."""
    ring = (cv2.dilate(hidden.view(np.uint8), np.ones((3, 3), np.uint8)) > 0) & ~hidden
    return float(np.percentile(add[ring], T.FAINT_HALO_PERCENTILE)) if ring.any() else 0.0


def faint_trace(slot: Slot, add: np.ndarray, hidden: np.ndarray, mask: np.ndarray, text_h: int,
                on_lines: np.ndarray | None = None) -> float:
    """Longest light line through the middle of the name's letters that is not pen, in x-heights of
    its length over the name.

    Column by column, a light line is a ridge of added ink (float32 (h, w), averaged over
    ``FAINT_SMOOTH_PX`` along x and capped at ``FAINT_MAX_INK``): a pixel at least ``FAINT_PIXEL_INK``
    dark and ``FAINT_RIDGE_INK`` darker than the pixels ``FAINT_RIDGE_XH`` above and below it, all three
    seen (not hidden by print; at least ``FAINT_CLEAR_PX`` from it where a bolder or blurred print left
    a halo around its letters, ``print_halo`` of ``FAINT_HALO_INK`` or more). The ghost a letter's edge
    leaves runs along the edge, no ridge across it. Ridges are looked for between ``FAINT_INSET_XH``
    below the x-line and as far above the baseline (ghosts of the letters' tops and bottoms lie
    outside), not on pen (``mask``) nor on the creases and streaks found (``on_lines``, uint8 (h, w)).
    Columns holding one join across columns where none could be seen (print) and gaps of up to
    ``FAINT_GAP_PX``. The line is followed over the name's row: ridges at rows that also hold ridges
    ``FAINT_LINE_BEYOND_TH`` beyond both ends of the name are a crease or a streak, not the voter's."""
    h, w = add.shape
    n = slot.name
    xh = x_height(slot)
    d = max(2, int(round(T.FAINT_RIDGE_XH * xh)))
    y0 = max(0, int(round(slot.core_y0 + T.FAINT_INSET_XH * xh)))
    y1 = min(h, int(round(slot.core_y1 - T.FAINT_INSET_XH * xh)))
    x0, x1 = max(0, min(n.x0, slot.row.x0)), min(w, max(n.x1, slot.row.x1))
    if y1 <= y0 or x1 <= x0:
        return 0.0
    ya, yb = max(0, y0 - d), min(h, y1 + d)
    hid = hidden[ya:yb, x0:x1]
    if print_halo(add[ya:yb, x0:x1], hid) >= T.FAINT_HALO_INK:
        r = T.FAINT_CLEAR_PX
        hid = cv2.dilate(hid.view(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8)) > 0
    if on_lines is not None:
        hid = hid | (on_lines[ya:yb, x0:x1] > 0)
    a = mean_along_x(np.minimum(add[ya:yb, x0:x1], np.float32(T.FAINT_MAX_INK)), hid, T.FAINT_SMOOTH_PX)
    inner = slice(y0 - ya, y1 - ya)
    up, down = a[y0 - ya - d:y1 - ya - d], a[y0 - ya + d:y1 - ya + d]
    seen = ~(hid[inner] | hid[y0 - ya - d:y1 - ya - d] | hid[y0 - ya + d:y1 - ya + d])
    ridge = seen & (a[inner] >= T.FAINT_PIXEL_INK) & (a[inner] - np.maximum(up, down) >= T.FAINT_RIDGE_INK)
    # A crease or a streak runs on beyond both ends of the name: its rows are not the voter's.
    beyond = int(T.FAINT_LINE_BEYOND_TH * text_h)
    left, right = ridge[:, :max(0, n.x0 - x0 - beyond)], ridge[:, max(0, n.x1 - x0 + beyond):]
    if left.size and right.size:
        both = left.any(axis=1) & right.any(axis=1)
        if both.any():
            crease = cv2.dilate(both.astype(np.uint8)[:, None], np.ones((5, 1), np.uint8))[:, 0] > 0
            ridge[crease] = False
    cols = (ridge & (mask[y0:y1, x0:x1] == 0)).any(axis=0)
    if not cols.any():
        return 0.0
    blind = 1.0 - seen.mean(axis=0)          # share of each column where no ridge could be seen
    joined = _bridge(cols, T.FAINT_GAP_PX, blind)
    edges = np.diff(np.concatenate([[0], joined.astype(np.int8), [0]]))
    best = 0
    for a0, b0 in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
        if a0 <= n.x0 - x0 - beyond and b0 >= n.x1 - x0 + beyond:
            continue                      # far beyond both ends of the name: a crease or a streak
        best = max(best, min(b0, n.x1 - x0) - max(a0, n.x0 - x0))
    return max(0, best) / xh


def strike_evidence(slot: Slot, mask: np.ndarray, add: np.ndarray, hidden: np.ndarray, text_h: int,
                    labels: np.ndarray | None = None, faint_add: np.ndarray | None = None,
                    skip: frozenset = frozenset(), on_lines: np.ndarray | None = None) -> dict[str, float]:
    """Measure the pen ink over one printed name (see ``thresholds`` for the units).

    ``mask`` uint8 0/1 pen (h, w), ``add`` float32 stroke ink (h, w), ``hidden`` bool (h, w), ``labels``
    int32 strokes (h, w) or None, ``faint_add`` float32 added ink (h, w) for ``faint_trace`` or None,
    ``skip``: labels of strokes that are another name's. Returns ``cover`` (share of the name's width a
    stroke runs through its letters, gaps bridged), ``cover_below`` / ``cover_above`` (columns with ink
    only below / above the letters), ``touched`` (any pen on the name), ``ink`` (median over the touched
    columns of the darkest stroke ink), ``seen`` (``seen_share``), ``trace`` (``faint_trace``, 0
    without ``faint_add``) and
    ``x_from`` / ``x_to`` (the stroke's first and last column, px from the name's left edge; -1 without
    a stroke)."""
    n = slot.name
    h, w = mask.shape
    through, below, above, rows = stroke_columns(slot, mask, labels, skip)
    # Where the stroke runs under print it cannot be seen: how much of each column's band print hides.
    lo, hi = through_band(slot)
    y0, y1 = max(0, int(np.floor(lo))), min(h, int(np.ceil(hi)) + 1)
    x0, x1 = max(0, n.x0), min(w, n.x1)
    hidden_cols = np.zeros(max(0, n.w), np.float64)
    if y1 > y0 and x1 > x0:
        hidden_cols[x0 - n.x0:x1 - n.x0] = hidden[y0:y1, x0:x1].mean(axis=0)
    gap = int(T.GAP_BRIDGE_TH * text_h)
    nw = max(1, n.w)
    # Stroke darkness: per column, the darkest stroke ink near the name; the median over touched columns.
    zone = name_zone(slot, text_h).clip(w, h)
    zone = type(zone)(x0, zone.y0, max(x0, x1), zone.y1)
    touched_cols = np.zeros(max(0, n.w), bool)
    peak = np.zeros(max(0, n.w), np.float32)
    if zone.w > 0 and zone.h > 0:
        band = _own(mask, labels, zone, skip)
        touched_cols[x0 - n.x0:x1 - n.x0] = band.any(axis=0)
        peak[x0 - n.x0:x1 - n.x0] = np.where(band, add[zone.slices()], 0.0).max(axis=0)
    touched = touched_cols | through | below | above
    ink = peak[touched_cols]
    cols = np.flatnonzero(through)
    return {
        "x_from": int(cols[0]) if cols.size else -1,  # first and last column of the stroke, px from the
        "x_to": int(cols[-1]) if cols.size else -1,  # name's left edge (the sheet's fingerprint)
        "cover": round(float(_bridge(through, gap, hidden_cols).sum()) / nw, 3),
        "cover_below": round(float(_bridge(below & ~through, gap).sum()) / nw, 3),
        "cover_above": round(float(_bridge(above & ~through, gap).sum()) / nw, 3),
        "touched": round(float(touched.sum()) / nw, 3),
        "ink": round(float(np.median(ink)) if ink.size else 0.0, 3),
        "seen": round(seen_share(slot, through, rows, hidden), 3),
        "trace": round(faint_trace(slot, faint_add, hidden, mask, text_h, on_lines), 3)
        if faint_add is not None
        else 0.0,
    }


def row_spill(slot: Slot, lab: np.ndarray, blob: Blob, mask: np.ndarray) -> float:
    """How far a blob runs through a name's letters: the columns where its pen lies in the name's
    through band, in x-heights of that name."""
    h, w = mask.shape
    lo, hi = through_band(slot)
    n = slot.name
    y0, y1 = max(0, int(np.ceil(lo)), blob.box.y0), min(h, int(np.floor(hi)) + 1, blob.box.y1)
    x0, x1 = max(0, n.x0, blob.box.x0), min(w, n.x1, blob.box.x1)
    if y1 <= y0 or x1 <= x0:
        return 0.0
    sub = (lab[y0:y1, x0:x1] == blob.label) & (mask[y0:y1, x0:x1] > 0)
    return float(sub.any(axis=0).sum()) / x_height(slot)


def rows_touched(slots: tuple[Slot, ...], lab: np.ndarray, blob: Blob, mask: np.ndarray) -> dict[int, float]:
    """Slots whose letters a blob runs through, with how far (``row_spill``, x-heights; only slots
    where it is more than 0)."""
    out = {}
    for s in slots:
        if not strike_zone(s).intersects(blob.box):
            continue
        spill = row_spill(s, lab, blob, mask)
        if spill > 0:
            out[s.index] = round(spill, 2)
    return out


def name_evidence(ref: BlankRef, page_ink: np.ndarray, pen: Pen, slot: Slot, mine: list[Blob]) -> dict[str, float]:
    """``strike_evidence`` of one name, with what the strokes in its row (``mine``) say about it:
    ``spill`` (x-heights: for the stroke that runs farthest through this name's letters and another
    name's, the shorter of the two runs), ``rows`` (names such a stroke runs through for
    ``ROW_SPILL_XH`` or more, this one included), ``beside`` (blobs of at least ``MARK_BESIDE_MIN_TH`` in
    the row that do not touch the name and are not print ghosts) and ``dx``, ``dy`` (px the row was
    aligned by). A stroke that runs through another name's letters and not this one's is that name's:
    it is left out of this one's measures."""
    slots = ref.layout.slots
    th = ref.layout.text_height
    zone = name_zone(slot, th)
    search = strike_zone(slot)
    rows = {slot.index}
    spill = 0.0
    beside = 0
    skip = set()
    for b in mine:
        if b.box.intersects(zone) or b.box.intersects(search):
            runs = rows_touched(slots, pen.labels, b, pen.mask)
            own = runs.get(slot.index, 0.0)
            others = {i: r for i, r in runs.items() if i != slot.index}
            if own == 0.0 and others:
                skip.add(b.label)
                continue
            for i, r in others.items():
                spill = max(spill, min(own, r))
                if min(own, r) >= T.ROW_SPILL_XH:
                    rows.add(i)
        elif (max(b.box.w, b.box.h) >= T.MARK_BESIDE_MIN_TH * th
              and not is_print_residue(ref, page_ink, pen.mask, b.box, th)):
            beside += 1
    ev = strike_evidence(slot, pen.mask, pen.smooth, pen.hidden, th, pen.labels, pen.add, frozenset(skip), pen.on_lines)
    ev["spill"] = round(spill, 2)
    ev["rows"] = len(rows)
    ev["beside"] = beside
    ev["dx"], ev["dy"] = pen.offsets[slot.index]
    return ev


def classify_strike(ev: dict[str, float]) -> tuple[str, str]:
    """STRUCK / STANDING / UNCLEAR (with the reason) from a name's evidence."""
    if ev.get("rows", 0) > 1:
        return UNCLEAR, "two_rows"
    if ev["cover"] >= T.STRIKE_MIN_COVER_SHARE:
        # A strike's darkness needs no rule of its own: its pen is at least PEN_MIN_INK (averaged
        # along it); a lighter line is no pen and shows as a faint trace.
        if ev.get("seen", 1.0) < T.STRIKE_MIN_SEEN_SHARE:
            return UNCLEAR, "partial_strike"
        return STRUCK, ""
    faint = ev.get("trace", 0.0) >= T.FAINT_TRACE_MIN_XH
    if ev["touched"] <= T.STANDING_MAX_COVER_SHARE and ev.get("beside", 0) == 0 and not faint:
        return STANDING, ""
    if ev["cover_below"] > ev["cover"]:
        return UNCLEAR, "underline"
    if ev["cover_above"] > ev["cover"]:
        return UNCLEAR, "above_name"
    if ev["touched"] <= T.STANDING_MAX_COVER_SHARE:
        return UNCLEAR, "faint" if faint else "mark_beside"
    return UNCLEAR, "partial_strike"
