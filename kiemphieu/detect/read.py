"""Read a registered page: is it this ballot, what did the voter add, and where.

Pure: the blank, the layout and a page already resampled into the template frame go in; a
``PageReading`` with per-name evidence comes out. No database, no files, no CLI.

The method compares ink, not pixels: the voter's pen is the ink the scan has *over* the blank
(``ink.added_ink``), so printed text, table rules and the paper's tone cancel out. Each name is
re-aligned on its own (± ``ALIGN_SEARCH_PX``) to absorb slight warps the page-wide registration leaves.
"""
from __future__ import annotations

import dataclasses
import math

import cv2
import numpy as np

from ..records import (EMPTY, MARKED, STANDING, STRUCK, UNCLEAR, Box, Layout, NameReading, PageReading,
                       Slot)
from . import thresholds as T
from .ink import added_ink, ink_map, spread
from .seal import SEAL_ABSENT_COVER, SEAL_PRESENT_COVER, SEAL_SEARCH_RADII, locate_seal


@dataclasses.dataclass
class BlankRef:
    """The blank, prepared once per process for reading many pages."""
    layout: Layout
    ink: np.ndarray             # blank ink, template frame
    spread_page: np.ndarray     # blank ink widened by PAGE_SPREAD_PX
    spread_name: dict[int, np.ndarray]   # blank ink widened by 1 … MAX_PRINT_GROWTH_PX, by radius
    growth_rings: dict[int, np.ndarray]  # bool: pixels just outside the names' print, r px away (r = 1, 2, …)
    printed: np.ndarray         # bool: clearly printed pixels, for the "is it this ballot" check
    names_mask: np.ndarray      # bool: pixels inside the printed names
    ignore: np.ndarray          # bool: where added ink is not writing (seal zone, page edges)
    edge: np.ndarray            # bool: the page's edges (scanner bed, shadows)
    hidden_page: np.ndarray     # bool: where the widened print would hide a stroke (HIDDEN_INK)
    printed_at: np.ndarray      # flat indices of ``printed`` pixels
    names_at: np.ndarray        # flat indices of ``names_mask`` pixels
    present_min: np.ndarray     # ink a printed pixel needs on a scan to be present (float32, flat, at printed_at)
    names_present_min: np.ndarray   # ... at names_at
    print_median: float         # median ink of the blank's printed pixels


def prepare_blank(frame: np.ndarray, layout: Layout) -> BlankRef:
    """Prepare the blank (uint8 grey, template frame) and its layout for reading pages."""
    ink = ink_map(frame)
    h, w = ink.shape
    edge = np.zeros((h, w), bool)
    e = int(T.PAGE_EDGE_SHARE * max(h, w))
    edge[:e], edge[-e:], edge[:, :e], edge[:, -e:] = True, True, True, True
    ignore = edge.copy()
    if layout.seal is not None:
        s = layout.seal
        r = s.w // 2
        z = s.grow(int(T.SEAL_WANDER_SHARE * r), int(T.SEAL_WANDER_SHARE * r)).clip(w, h)
        ignore[z.slices()] = True
    # Print is thin strokes (text, rules); solid dark areas such as a scanner-bed strip are not print.
    solid = cv2.blur(ink, (T.SOLID_AREA_PX, T.SOLID_AREA_PX)) > 0.5
    printed = (ink > 0.5) & ~ignore & ~solid
    names_mask = np.zeros((h, w), bool)
    for slot in layout.slots:
        names_mask[slot.name.slices()] = True
    spreads = {r: spread(ink, r) for r in range(T.BLANK_SPREAD_PX, T.MAX_PRINT_GROWTH_PX + 1)}
    strong = {r: spreads[r] > 0.5 for r in spreads}
    strong[0] = ink > 0.5
    names_near = names_mask & ~solid
    rings = {r: strong[r] & ~strong[r - 1] & names_near for r in range(1, T.MAX_PRINT_GROWTH_PX + 1)}
    spread_page = spread(ink, T.PAGE_SPREAD_PX)
    names_printed = names_mask & printed
    printed_at, names_at = np.flatnonzero(printed), np.flatnonzero(names_printed)
    present = (T.PRINT_PRESENT_RATIO * ink).ravel()
    return BlankRef(layout, ink, spread_page, spreads, rings, printed, names_printed, ignore, edge,
                    spread_page >= T.HIDDEN_INK, printed_at, names_at, present[printed_at], present[names_at],
                    float(np.median(ink.ravel()[printed_at])) if printed_at.size else 0.0)


def print_growth(ref: BlankRef, page_ink: np.ndarray) -> int:
    """How many px the page's print is bolder than the blank's around the names (blur, toner, ink spread).

    The blank is widened by this much more before subtraction, so a bolder print is not read as pen.
    """
    r = T.BLANK_SPREAD_PX
    for k in sorted(ref.growth_rings):
        ring = ref.growth_rings[k]
        if k < r or not ring.any():
            continue
        if float(np.median(page_ink[ring])) >= T.PRINT_GROWTH_INK:
            r = k
        else:
            break
    return min(r, T.MAX_PRINT_GROWTH_PX)


# --- is it this ballot ------------------------------------------------------------------------------

def missing_print(ref: BlankRef, page_ink: np.ndarray) -> tuple[float, float]:
    """Share of the blank's printed ink absent from the page: (whole page, names only).

    The voter only adds ink; print that is gone means another ballot, a blank sheet or a bad scan.
    """
    widened = spread(page_ink, T.PAGE_SPREAD_PX).ravel()

    def share(at, need):
        return 1.0 - float(np.count_nonzero(widened[at] >= need)) / at.size if at.size else 0.0

    return share(ref.printed_at, ref.present_min), share(ref.names_at, ref.names_present_min)


def contrast_gain(ref: BlankRef, page_ink: np.ndarray) -> float:
    """Factor that brings a faded or light scan's print to the blank's darkness (1 … MAX_CONTRAST_GAIN).

    Pen and print fade together on a light scan, so ink is read relative to the print of the same page.
    """
    if not ref.printed_at.size:
        return 1.0
    page = float(np.median(spread(page_ink, 1).ravel()[ref.printed_at]))
    blank = ref.print_median
    if page <= 0.05:
        return 1.0
    return float(np.clip(blank / page, 1.0, T.MAX_CONTRAST_GAIN))


# --- alignment and added ink ------------------------------------------------------------------------

def align_offset(blank_ink: np.ndarray, page_ink: np.ndarray, box: Box, search: int,
                 around: tuple[int, int] = (0, 0)) -> tuple[int, int]:
    """Shift (dx, dy) of the page within ± ``search`` px of ``around`` that best matches the blank over ``box``."""
    h, w = page_ink.shape
    box = box.clip(w, h)
    ax, ay = around
    outer = Box(box.x0 + ax - search, box.y0 + ay - search, box.x1 + ax + search, box.y1 + ay + search).clip(w, h)
    tmpl = blank_ink[box.slices()]
    area = page_ink[outer.slices()]
    if tmpl.size == 0 or tmpl.std() < 1e-3 or area.shape[0] < tmpl.shape[0] or area.shape[1] < tmpl.shape[1]:
        return 0, 0
    res = cv2.matchTemplate(area, tmpl, cv2.TM_CCOEFF_NORMED)
    _, _, _, (bx, by) = cv2.minMaxLoc(res)
    return bx + outer.x0 - box.x0, by + outer.y0 - box.y0


def shifted(img: np.ndarray, box: Box, dx: int, dy: int) -> np.ndarray:
    """``img`` over ``box`` moved by (dx, dy), edge pixels repeated where it runs off the page."""
    h, w = img.shape
    if 0 <= box.x0 + dx and box.x1 + dx <= w and 0 <= box.y0 + dy and box.y1 + dy <= h:
        return img[box.y0 + dy:box.y1 + dy, box.x0 + dx:box.x1 + dx]
    ys = np.clip(np.arange(box.y0, box.y1) + dy, 0, h - 1)
    xs = np.clip(np.arange(box.x0, box.x1) + dx, 0, w - 1)
    return img[np.ix_(ys, xs)]


def added_page(ref: BlankRef, page_ink: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[int, tuple[int, int]]]:
    """Added ink over the whole page, each name's row aligned on its own.

    Returns (added ink, hidden: where print would hide a stroke, offsets of each name).
    """
    add = added_ink(page_ink, ref.spread_page)
    hidden = ref.hidden_page.copy()
    tight = ref.spread_name[print_growth(ref, page_ink)]
    offsets = {}
    th = ref.layout.text_height
    h, w = add.shape
    for slot in ref.layout.slots:
        dx, dy = align_offset(ref.ink, page_ink, slot.name.grow(slot.name.h // 2, slot.name.h // 2), T.ALIGN_SEARCH_PX)
        offsets[slot.index] = (dx, dy)
        # The whole row is moved with its name; only the name itself (and mark boxes) are compared
        # with the tight spread: elsewhere in the row, table rules may sit a pixel off the name's shift.
        b = slot.row.clip(w, h)
        add[b.slices()] = added_ink(shifted(page_ink, b, dx, dy), ref.spread_page[b.slices()])
        # The name itself is aligned piece by piece: paper warps a little even along one name.
        zone = slot.name.grow(int(T.NEAR_NAME_TH * th), int(T.NEAR_NAME_TH * th)).clip(w, h)
        step = max(8, int(T.NAME_PIECE_TH * th))
        for x0 in range(zone.x0, zone.x1, step):
            piece = Box(x0, zone.y0, min(zone.x1, x0 + step), zone.y1)
            pdx, pdy = align_offset(ref.ink, page_ink, piece, T.PIECE_SEARCH_PX, (dx, dy))
            add[piece.slices()] = added_ink(shifted(page_ink, piece, pdx, pdy), tight[piece.slices()])
            hidden[piece.slices()] = tight[piece.slices()] >= T.HIDDEN_INK
        # Mark boxes sit far from the name: each is aligned on its own printed border.
        for box in slot.boxes:
            side = min(box.w, box.h)
            ring = _box_ring(box).clip(w, h)
            bdx, bdy = align_offset(ref.ink, page_ink, box.grow(side // 4, side // 4), T.ALIGN_SEARCH_PX)
            add[ring.slices()] = added_ink(shifted(page_ink, ring, bdx, bdy), ref.spread_page[ring.slices()])
            inner = box.clip(w, h)
            add[inner.slices()] = added_ink(shifted(page_ink, inner, bdx, bdy), tight[inner.slices()])
            hidden[ring.slices()] = ref.spread_page[ring.slices()] >= T.HIDDEN_INK
    return add, hidden, offsets


def stroke_ink(add: np.ndarray, hidden: np.ndarray, text_h: int) -> np.ndarray:
    """Added ink averaged along the writing direction over the pixels print does not hide.

    A pen stroke is continuous, noise is not: averaging over ``STROKE_SMOOTH_TH`` along x lifts faint
    pencil above the noise. Pixels under print (``hidden``) cannot show a stroke and are left out of
    the average instead of counting as paper (normalised convolution).
    """
    k = (max(3, int(T.STROKE_SMOOTH_TH * text_h)) | 1, 1)
    seen = np.logical_not(hidden).view(np.uint8)
    num = cv2.filter2D(cv2.multiply(add, seen, dtype=cv2.CV_32F), -1, np.ones((1, k[0]), np.float32))
    den = cv2.boxFilter(seen, cv2.CV_16U, k, normalize=False)   # seen pixels in the window
    # Too few seen pixels to judge (under a quarter of the window): no stroke ink.
    enough = cv2.compare(den, math.ceil(0.25 * k[0]), cv2.CMP_GE) & 1
    out = cv2.divide(num, cv2.max(den, 1), dtype=cv2.CV_32F)
    return cv2.multiply(out, enough, dst=out, dtype=cv2.CV_32F)


SPECKS_ONE_BY_ONE = 256    # up to this many specks are erased one by one, more in one pass (same result)


def pen_mask(add: np.ndarray, hidden: np.ndarray, text_h: int) -> tuple[np.ndarray, np.ndarray]:
    """Binary mask of pen ink with scanner specks removed, and the smoothed stroke ink it rests on."""
    smooth = stroke_ink(add, hidden, text_h)
    mask = cv2.compare(smooth, T.INK_ADDED_MIN, cv2.CMP_GE) & 1
    n, lab, stats = _components(mask)
    small = np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] < T.SPECK_MAX_AREA_TH2 * text_h * text_h) + 1
    if len(small) <= SPECKS_ONE_BY_ONE:    # a few specks: erased in their own small boxes
        for i in small:
            x, y, bw, bh = stats[i, :4]
            box = mask[y:y + bh, x:x + bw]
            box[lab[y:y + bh, x:x + bw] == i] = 0
    else:                                 # a noisy page: one pass over the labels
        keep = np.ones(n, np.uint8)
        keep[0] = 0
        keep[small] = 0
        mask = np.take(keep, lab)
    return mask, smooth


def _components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """8-connected components of a 0/1 uint8 mask: (count, labels, stats). BBDT gives the same labels as
    OpenCV's default algorithm at a third of its time here."""
    n, lab, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_BBDT)
    return n, lab, stats


def remove_line_artifacts(mask: np.ndarray, add: np.ndarray, text_h: int) -> list[Box]:
    """Erase creases and scanner streaks from ``mask`` in place; returns the lines found.

    A fold crease or a streak from dirty scanner glass is a faint straight line running across the
    whole page. It is found on the faint added ink (``LINE_TRACE_INK``), and only its *faint* pixels
    are erased: a pen stroke lying on a crease is darker and stays.
    """
    h, w = mask.shape
    # Lines this long survive a 4× reduction; Hough on the reduced trace costs 16× less.
    f = T.LINE_SEARCH_REDUCTION
    trace = cv2.resize(cv2.compare(add, T.LINE_TRACE_INK, cv2.CMP_GE), (w // f, h // f),
                       interpolation=cv2.INTER_AREA)
    trace = ((trace > 255 // (2 * f)) * 255).astype(np.uint8)
    found = []
    for length, horizontal in ((T.LINE_ARTIFACT_SHARE * w, True), (T.LINE_ARTIFACT_SHARE * h, False)):
        # Lines are continuous along their direction; isolated noise is not (and only slows Hough).
        run = (1, T.LINE_TRACE_RUN) if horizontal else (T.LINE_TRACE_RUN, 1)
        along = cv2.morphologyEx(trace, cv2.MORPH_OPEN, np.ones(run, np.uint8))
        lines = cv2.HoughLinesP(along, 1, np.pi / 360, threshold=int(length * 0.35 / f),
                                minLineLength=int(length / f), maxLineGap=max(2, int(2 * text_h / f)))
        if lines is None:
            continue
        for x0, y0, x1, y1 in (lines.reshape(-1, 4).astype(np.float64) * f + f / 2):
            if horizontal != (abs(x1 - x0) >= abs(y1 - y0)):
                continue
            if (abs(y1 - y0) if horizontal else abs(x1 - x0)) > T.LINE_ARTIFACT_MAX_SLOPE * length:
                continue
            # A fold or a streak crosses the whole page: extend the found segment edge to edge.
            if horizontal:
                k = (y1 - y0) / max(1, x1 - x0)
                x0, y0, x1, y1 = 0, y0 - k * x0, w - 1, y0 + k * (w - 1 - x0)
            else:
                k = (x1 - x0) / max(1, y1 - y0)
                x0, y0, x1, y1 = x0 - k * y0, 0, x0 + k * (h - 1 - y0), h - 1
            line = Box(int(min(x0, x1)), int(min(y0, y1)), int(max(x0, x1)) + 1, int(max(y0, y1)) + 1)
            thick = max(3, int(T.LINE_ARTIFACT_MAX_TH * text_h))
            b = line.grow(thick, thick).clip(w, h)   # only the line's own strip is drawn and erased
            strip = np.zeros((b.h, b.w), np.uint8)
            cv2.line(strip, (int(x0) - b.x0, int(y0) - b.y0), (int(x1) - b.x0, int(y1) - b.y0), 1, thick)
            mask[b.slices()][(strip > 0) & (add[b.slices()] < T.LINE_ARTIFACT_KEEP_INK)] = 0
            found.append(line)
    return found


@dataclasses.dataclass
class Blob:
    box: Box
    area: int        # pen pixels
    label: int


def blobs(mask: np.ndarray, text_h: int) -> tuple[np.ndarray, list[Blob]]:
    """Group pen pixels into strokes: pieces a letter-width apart (a stroke passing under print) join."""
    gap = max(3, int(T.GAP_BRIDGE_TH * text_h))
    joined = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 3)))
    n, lab, stats = _components(joined)
    out = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        area = int(mask[y:y + bh, x:x + bw][lab[y:y + bh, x:x + bw] == i].sum())
        if area:
            out.append(Blob(Box(int(x), int(y), int(x + bw), int(y + bh)), area, i))
    return lab, out


def is_solid(mask: np.ndarray, lab: np.ndarray, blob: Blob, text_h: int) -> bool:
    """True when a blob is a filled area rather than pen strokes (strokes are thinner than SOLID_STROKE_TH)."""
    sub = ((lab[blob.box.slices()] == blob.label) & (mask[blob.box.slices()] > 0)).astype(np.uint8)
    k = max(3, int(T.SOLID_STROKE_TH * text_h)) | 1
    sub = np.pad(sub, k)    # erode as if surrounded by paper
    core = cv2.erode(sub, np.ones((k, k), np.uint8))
    return int(core.sum()) > T.SOLID_CORE_SHARE * max(1, int(sub.sum()))


def is_print_residue(ref: BlankRef, page_ink: np.ndarray, mask: np.ndarray, box: Box, text_h: int) -> bool:
    """True when ink found in ``box`` vanishes once that spot is aligned on its own.

    Paper warps a little, so print far from any name can sit a pixel or two off after the page-wide
    registration and leave a thin ghost of a table rule. Real pen ink stays when the spot is
    re-aligned; a ghost of print does not.
    """
    h, w = mask.shape
    b = box.grow(T.ALIGN_SEARCH_PX, T.ALIGN_SEARCH_PX).clip(w, h)
    before = int(mask[b.slices()].sum())
    if before == 0:
        return True
    # Large spots are re-aligned tile by tile: the warp differs across them.
    tile = max(16, int(T.RESIDUE_TILE_TH * text_h))
    after = 0
    for y0 in range(b.y0, b.y1, tile):
        for x0 in range(b.x0, b.x1, tile):
            t = Box(x0, y0, min(b.x1, x0 + tile), min(b.y1, y0 + tile))
            if not mask[t.slices()].any():
                continue
            dx, dy = align_offset(ref.ink, page_ink, t, T.ALIGN_SEARCH_PX)
            add = added_ink(shifted(page_ink, t, dx, dy), ref.spread_page[t.slices()])
            hidden = ref.spread_page[t.slices()] >= T.HIDDEN_INK
            after += int((stroke_ink(add, hidden, text_h) >= T.INK_ADDED_MIN).sum())
    return after < T.RESIDUE_KEEP_SHARE * before


# --- strike ballots ---------------------------------------------------------------------------------

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
    """Measure the pen ink over one printed name (see ``thresholds`` for the units)."""
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


def classify_strike(ev: dict[str, float]) -> tuple[str, str]:
    """STRUCK / STANDING / UNCLEAR (with the reason) from a name's evidence."""
    if ev.get("rows", 0) > 1:
        return UNCLEAR, "two_rows"
    if ev["cover"] >= T.STRIKE_MIN_COVER:
        if ev["ink"] < T.INK_STRONG:
            return UNCLEAR, "faint"
        return STRUCK, ""
    if ev["touched"] <= T.STANDING_MAX_COVER and ev.get("beside", 0) == 0:
        return STANDING, ""
    if ev["cover_below"] > ev["cover"]:
        return UNCLEAR, "underline"
    if ev["cover_above"] > ev["cover"]:
        return UNCLEAR, "above_name"
    if ev["touched"] <= T.STANDING_MAX_COVER:
        return UNCLEAR, "mark_beside"
    return UNCLEAR, "partial_strike"


# --- mark and approve ballots ------------------------------------------------------------------------

def _box_ring(box: Box) -> Box:
    """A box with the ring around it where a mark may spill."""
    side = min(box.w, box.h)
    return box.grow(int(T.BOX_SURROUND_SHARE * side), int(T.BOX_SURROUND_SHARE * side))


def _contains(outer: Box, inner: Box) -> bool:
    return outer.x0 <= inner.x0 and outer.y0 <= inner.y0 and inner.x1 <= outer.x1 and inner.y1 <= outer.y1


def box_evidence(box: Box, mask: np.ndarray, add: np.ndarray, text_h: int, others: tuple[Box, ...] = ()) -> dict[str, float]:
    """Pen ink in a printed box: ``fill`` (pen px over min(inside, th²)), ``spill`` (pen around the box relative to
    pen inside) and ``ink`` (darkness of the mark: 90th percentile of the added ink on it)."""
    h, w = mask.shape
    m = max(2, int(T.BOX_INSET_SHARE * min(box.w, box.h)))
    inside = Box(box.x0 + m, box.y0 + m, box.x1 - m, box.y1 - m).clip(w, h)
    around = _box_ring(box).clip(w, h)
    # Ticks and X are steep strokes: inside a box a single dark pixel counts too, not only strokes
    # found along the writing direction.
    ins = mask[inside.slices()].astype(bool) | (add[inside.slices()] >= T.BOX_PIXEL_INK)
    ring = mask[around.slices()].astype(bool)
    for o in (box,) + tuple(others):   # the box itself and the neighbouring boxes are not "around"
        ring[max(0, o.y0 - around.y0):max(0, o.y1 - around.y0), max(0, o.x0 - around.x0):max(0, o.x1 - around.x0)] = False
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
            "ink": round(float(np.percentile(vals, 90)) if vals.size else 0.0, 3),
            # where the pen lies in the box, px from its inside's corner (the sheet's fingerprint)
            "box": [int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())] if xs.size else []}


def _box_state(fill: float, spill: float, ink: float, trace: float = 0.0) -> tuple[str, str]:
    if fill < T.BOX_EMPTY_MAX_FILL and trace >= T.BOX_TRACE_MIN:
        return UNCLEAR, "faint"
    if fill < T.BOX_EMPTY_MAX_FILL:
        return (EMPTY, "") if spill < T.BOX_SPILL_DOUBT or fill == 0 else (UNCLEAR, "mark_outside_box")
    if fill < T.BOX_MARK_MIN_FILL:
        return UNCLEAR, "faint"
    if spill >= T.BOX_SPILL_DOUBT:
        return UNCLEAR, "mark_outside_box"
    if ink < T.INK_STRONG:
        return UNCLEAR, "faint"
    return MARKED, ""


def classify_mark(ev: dict[str, float], n_cells: int) -> tuple[str, str]:
    """MARKED / EMPTY / UNCLEAR for a name's box on a mark ballot."""
    if ev.get("rows", 1) > 1:
        return UNCLEAR, "two_rows"
    state, why = _box_state(ev["fill0"], ev["spill0"], ev["ink0"], ev["trace0"])
    if state != UNCLEAR and ev.get("name_touched", 0) > T.STANDING_MAX_COVER:
        return UNCLEAR, "ink_on_name"
    return state, why


def classify_approve(ev: dict[str, float], n_cells: int) -> tuple[str, str]:
    """"agree" / "disagree" / "void" (both or neither) / UNCLEAR for one row of a yes/no ballot."""
    if ev.get("rows", 1) > 1:
        return UNCLEAR, "two_rows"
    states = [_box_state(ev[f"fill{k}"], ev[f"spill{k}"] if ev[f"fill{k}"] >= T.BOX_MARK_MIN_FILL else 0.0,
                         ev[f"ink{k}"], ev[f"trace{k}"]) for k in range(n_cells)]
    for st, why in states:
        if st == UNCLEAR:
            return UNCLEAR, why
    yes, no = (st == MARKED for st, _ in states[:2])
    if ev.get("name_touched", 0) > T.STANDING_MAX_COVER:
        return UNCLEAR, "ink_on_name"
    if yes and not no:
        return "agree", ""
    if no and not yes:
        return "disagree", ""
    return "void", "both" if yes else "neither"


def _strike_zone(slot: Slot, text_h: int) -> Box:
    top = int(slot.core_y0 - T.STRIKE_ABOVE_CORE_TH * text_h)
    bottom = int(slot.core_y1 + T.STRIKE_BELOW_CORE_TH * text_h) + 1
    return Box(slot.name.x0, top, slot.name.x1, bottom)


def _rows_touched(slots: tuple[Slot, ...], lab: np.ndarray, blob: Blob, mask: np.ndarray, text_h: int) -> list[int]:
    """Slots whose letters a blob runs through for a real length (ROW_SPILL_TH)."""
    out = []
    for s in slots:
        z = _strike_zone(s, text_h)
        if not z.intersects(blob.box):
            continue
        sub = (lab[z.slices()] == blob.label) & (mask[z.slices()] > 0)
        if sub.any(axis=0).sum() >= T.ROW_SPILL_TH * text_h:
            out.append(s.index)
    return out


# --- the page ---------------------------------------------------------------------------------------

def read_page(ref: BlankRef, page: np.ndarray) -> PageReading:
    """Read a page already registered into the template frame (uint8 grey)."""
    layout = ref.layout
    th = layout.text_height
    page_ink = ink_map(page)
    gain = contrast_gain(ref, page_ink)
    if gain != 1.0:
        page_ink = np.minimum(page_ink * gain, 1.0)
    miss_page, miss_names = missing_print(ref, page_ink)
    evidence = {"missing_print": round(miss_page, 3), "missing_names": round(miss_names, 3), "gain": round(gain, 2)}
    if max(miss_page, miss_names) > T.PRINT_MISSING_REJECT:
        return PageReading(is_ballot=False, not_ballot_why="print_mismatch", evidence=evidence)
    reading = PageReading(is_ballot=True, evidence=evidence)
    if miss_names > T.PRINT_MISSING_DOUBT or miss_page > T.PAGE_PRINT_MISSING_DOUBT:
        reading.doubt.append("print_mismatch")
    add, hidden, offsets = added_page(ref, page_ink)
    mask, smooth = pen_mask(add, hidden, th)
    artifacts = remove_line_artifacts(mask, add, th)
    evidence["line_artifacts"] = len(artifacts)
    lab, found = blobs(mask, th)
    # Which blobs belong to which name.
    per_slot: dict[int, list[Blob]] = {s.index: [] for s in layout.slots}
    outside: list[Blob] = []
    for b in found:
        # Strike ballots: ink in a name's row is about that name. Mark ballots: only ink at a box is;
        # anything else in the row (a note beside a name) is judged as writing.
        if layout.kind == "strike":
            hit = [s for s in layout.slots if s.row.intersects(b.box)]
        else:
            hit = [s for s in layout.slots if any(_box_ring(x).intersects(b.box) for x in s.boxes)]
            if (hit and not any(_contains(_box_ring(x), b.box) for s in hit for x in s.boxes)
                    and not is_print_residue(ref, page_ink, mask, b.box, th)):
                reading.stray_marks.append(b.box)   # ink from a box reaching well outside it
        for s in hit:
            per_slot[s.index].append(b)
        if not hit:
            outside.append(b)
    all_boxes = tuple(b for s in layout.slots for b in s.boxes)
    for slot in layout.slots:
        if layout.kind == "strike":
            ev = strike_evidence(slot, mask, smooth, hidden, th)
            zone = slot.name.grow(int(T.NEAR_NAME_TH * th), int(T.NEAR_NAME_TH * th))
            rows = {slot.index}
            beside = 0
            for b in per_slot[slot.index]:
                if b.box.intersects(zone):
                    rows.update(_rows_touched(layout.slots, lab, b, mask, th))
                elif (max(b.box.w, b.box.h) >= T.MARK_BESIDE_MIN_TH * th
                      and not is_print_residue(ref, page_ink, mask, b.box, th)):
                    beside += 1
            ev["rows"] = len(rows)
            ev["beside"] = beside
            ev["dx"], ev["dy"] = offsets[slot.index]
            state, why = classify_strike(ev)
            reading.names.append(NameReading(slot.index, slot.label, state, why, ev))
        else:
            ev = {"dx": offsets[slot.index][0], "dy": offsets[slot.index][1]}
            cells = [box_evidence(box, mask, add, th, tuple(o for o in all_boxes if o is not box)) for box in slot.boxes]
            for k, c in enumerate(cells):
                ev.update({f"{key}{k}": v for key, v in c.items()})
            rows = {slot.index}
            for b in per_slot[slot.index]:
                for box in slot.boxes:
                    if b.box.intersects(box):
                        rows.update(o.index for o in layout.slots if o.index != slot.index and any(
                            b.box.intersects(ob.grow(-ob.w // 5, -ob.h // 5)) for ob in o.boxes))
            ev["rows"] = len(rows)
            name_ev = strike_evidence(slot, mask, smooth, hidden, th)
            ev["name_touched"] = name_ev["touched"]
            state, why = (classify_mark if layout.kind == "mark" else classify_approve)(ev, len(cells))
            reading.names.append(NameReading(slot.index, slot.label, state, why, ev))
    ignore = ref.ignore
    seal_zone = None   # ink near the seal that is not the seal itself goes to a person, never "writing"
    if layout.seal is not None:
        r = layout.seal.w // 2
        seal_zone = layout.seal.grow(int(SEAL_SEARCH_RADII * r), int(SEAL_SEARCH_RADII * r))
        found_seal, cover = locate_seal(page, layout.seal)
        evidence["seal_cover"] = round(cover, 3)
        if found_seal is not None:
            evidence["seal_x"], evidence["seal_y"] = found_seal[0], found_seal[1]
        reading.seal = ("present" if cover >= SEAL_PRESENT_COVER else
                        "absent" if cover < SEAL_ABSENT_COVER else "unclear")
        if found_seal is not None and cover >= SEAL_ABSENT_COVER:
            ignore = ignore.copy()
            cv2.circle(ignore.view(np.uint8), found_seal[:2], int(found_seal[2] * 1.15), 1, -1)
    fh, fw = mask.shape
    for b in outside:
        if ignore[b.box.slices()].mean() >= T.IGNORE_MIN_SHARE:
            continue
        if b.box.x0 <= 1 or b.box.y0 <= 1 or b.box.x1 >= fw - 1 or b.box.y1 >= fh - 1:
            continue   # runs off the page: the paper's edge against the scanner bed, not writing
        side = max(b.box.w, b.box.h) / th
        if side >= T.STRAY_MIN_SIDE_TH and is_print_residue(ref, page_ink, mask, b.box, th):
            continue
        if side >= T.STRAY_MIN_SIDE_TH and is_solid(mask, lab, b, th):
            # A dark area, not strokes: the scanner bed or a shadow at the page's edge, else a blot.
            if not ref.edge[b.box.slices()].any():
                reading.stray_marks.append(b.box)
            continue
        if side >= T.WRITING_MIN_SIDE_TH and not (seal_zone and seal_zone.intersects(b.box)):
            reading.extra_writing.append(b.box)
        elif side >= T.STRAY_MIN_SIDE_TH:
            reading.stray_marks.append(b.box)
    reading.pen = _read_pen(layout, mask, reading)
    return reading


def _read_pen(layout: Layout, mask: np.ndarray, reading: PageReading) -> np.ndarray:
    """The pen the reading rests on: ink over the names (strike) or in the boxes (mark, yes/no), and
    the writing and marks found elsewhere; not ghosts of print, creases or the seal (whose place is
    in the evidence)."""
    h, w = mask.shape
    th = layout.text_height
    pen = np.zeros_like(mask)
    if layout.kind == "strike":
        zones = [_strike_zone(s, th) for s in layout.slots]
    else:
        zones = [b for s in layout.slots for b in s.boxes]
    for z in zones + reading.extra_writing + reading.stray_marks:
        z = z.clip(w, h)
        pen[z.slices()] = mask[z.slices()]
    return pen
