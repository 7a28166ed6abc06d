"""The voter's pen on a registered page: ink the scan has over the blank, cleaned of noise, in strokes.

``find_pen`` runs the steps in order: ``added_page`` (added ink, each name re-aligned on its own,
± ``ALIGN_SEARCH_PX``, to absorb slight warps the page-wide registration leaves), ``pen_mask`` (stroke
ink above ``PEN_MIN_INK``, scanner specks removed), ``remove_line_artifacts`` (creases and scanner
streaks) and ``blobs`` (pen pixels grouped into strokes). ``is_solid`` and ``is_print_residue`` measure
one blob: a filled area, or a ghost of print that vanishes once its spot is aligned on its own.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

import cv2
import numpy as np

from ..records import Box, Slot
from . import thresholds as T
from .blank import BlankRef, print_growth
from .ink import BlurLadder, added_ink, print_blur
from .zones import box_ring, name_zone, x_height


@dataclasses.dataclass
class Blob:
    """Pen pixels joined into one stroke or mark."""
    box: Box
    area: int        # pen pixels
    label: int       # its label in ``Pen.labels``


@dataclasses.dataclass
class Pen:
    """The voter's ink on one page, template frame (h, w)."""
    add: np.ndarray          # float32 0..1: added ink, each name's row aligned on its own
    hidden: np.ndarray       # bool: where print would hide a stroke
    offsets: dict[int, tuple[int, int]]   # (dx, dy) px each name's row was aligned by, by slot index
    smooth: np.ndarray       # float32 0..1: stroke ink (``stroke_ink``) on the rows that can hold pen (``pen_rows``,
    #                          in ``row_bands``), 0 on the others (their stroke ink is under PEN_MIN_INK: no pen there)
    mask: np.ndarray         # uint8 0/1: pen pixels, without specks, creases and streaks
    lines: list[Box]         # creases and streaks found (erased from ``mask``)
    labels: np.ndarray       # int32: the blob label of every pixel (0: none)
    blobs: list[Blob]
    on_lines: np.ndarray | None = None  # uint8 0/1: the strips of the creases and streaks found (None: none looked for)
    trace_noise: dict[int, float] = dataclasses.field(default_factory=dict)  # ink, by slot index (``trace_noise``)
    ridges: dict[int, tuple[np.ndarray, np.ndarray]] = dataclasses.field(default_factory=dict)  # by slot index
    #                                                               (``faint_ridges``: measured once a page)


def blob_in(labels: np.ndarray, blob: Blob, box: Box) -> bool:
    """Whether a blob's own pixels (``labels`` int32 (h, w), as ``Pen.labels``) lie in ``box``, not only its
    bounding box: the ghost of a table's grid, or a page edge's shadow joined to the seal, is one blob whose
    bounding box spans rows it has no ink in."""
    h, w = labels.shape
    area = Box(max(box.x0, blob.box.x0), max(box.y0, blob.box.y0),
               min(box.x1, blob.box.x1), min(box.y1, blob.box.y1)).clip(w, h)
    return area.w > 0 and area.h > 0 and bool((labels[area.slices()] == blob.label).any())


def find_pen(ref: BlankRef, page_ink: np.ndarray) -> Pen:
    """The pen on a page, from its ink (float32 0..1, template frame)."""
    th = ref.layout.text_height
    add, hidden, offsets = added_page(ref, page_ink)
    mask, smooth = pen_mask(add, hidden, th)
    on_lines = np.zeros(mask.shape, np.uint8)
    lines = remove_line_artifacts(mask, add, th, on_lines)
    labels, found = blobs(mask, th)
    ridges = {slot.index: faint_ridges(slot, add, hidden, on_lines) for slot in ref.layout.slots}
    noise = trace_noise(ref.layout.slots, add, hidden, mask, th, on_lines, ridges)
    return Pen(add, hidden, offsets, smooth, mask, lines, labels, found, on_lines, noise, ridges)


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
    spread_page, hidden_page, spread_name = blank_as_printed(ref, page_ink)
    add = added_ink(page_ink, spread_page)
    hidden = hidden_page.copy()
    tight = spread_name[print_growth(ref, page_ink)]
    offsets = {}
    th = ref.layout.text_height
    h, w = add.shape
    for slot in ref.layout.slots:
        margin = int(T.NAME_ALIGN_MARGIN_SHARE * slot.name.h)
        dx, dy = align_offset(ref.ink, page_ink, slot.name.grow(margin, margin), T.ALIGN_SEARCH_PX)
        offsets[slot.index] = (dx, dy)
        # The whole row is moved with its name; only the name itself (and mark boxes) are compared
        # with the tight spread: elsewhere in the row, table rules may sit a pixel off the name's shift.
        b = slot.row.clip(w, h)
        add[b.slices()] = added_ink(shifted(page_ink, b, dx, dy), spread_page[b.slices()])
        # The name itself is aligned piece by piece: paper warps a little even along one name.
        zone = name_zone(slot, th).clip(w, h)
        step = max(T.MIN_PIECE_PX, int(T.NAME_PIECE_TH * th))
        for x0 in range(zone.x0, zone.x1, step):
            piece = Box(x0, zone.y0, min(zone.x1, x0 + step), zone.y1)
            pdx, pdy = align_offset(ref.ink, page_ink, piece, T.PIECE_SEARCH_PX, (dx, dy))
            add[piece.slices()] = added_ink(shifted(page_ink, piece, pdx, pdy), tight[piece.slices()])
            hidden[piece.slices()] = tight[piece.slices()] >= T.HIDDEN_INK
        # Mark boxes sit far from the name: each is aligned on its own printed border.
        for box in slot.boxes:
            side = min(box.w, box.h)
            ring = box_ring(box).clip(w, h)
            margin = int(T.BOX_ALIGN_MARGIN_SHARE * side)
            bdx, bdy = align_offset(ref.ink, page_ink, box.grow(margin, margin), T.ALIGN_SEARCH_PX)
            add[ring.slices()] = added_ink(shifted(page_ink, ring, bdx, bdy), spread_page[ring.slices()])
            inner = box.clip(w, h)
            add[inner.slices()] = added_ink(shifted(page_ink, inner, bdx, bdy), tight[inner.slices()])
            hidden[ring.slices()] = spread_page[ring.slices()] >= T.HIDDEN_INK
    return add, hidden, offsets


def blank_as_printed(ref: BlankRef, page_ink: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, Mapping[int, np.ndarray]]:
    """The blank's print as the page shows it, for subtraction: (ink widened by PAGE_SPREAD_PX, where it
    hides a stroke, ink widened by each radius of ``ref.spread_name``). The blank's own (``ref``) unless
    the page's print is blurrier (``ink.print_blur`` over the names' zones): then the blank's ink blurred
    and scaled as much where it is darker than the blank's own widened ink (the widening allows for
    misalignment, the blur for the halo it spreads around every letter: not added ink); each radius of
    those is made when first read (``RaisedTo``: a page reads one)."""
    sigma, scale = print_blur(ref.ink, page_ink, None, blur_ladder(ref, page_ink.shape))
    if sigma <= 0:
        return ref.spread_page, ref.hidden_page, ref.spread_name
    key = ("blurred", sigma)
    if key not in ref.cache:          # a few ladder steps per count: each blurred once
        ref.cache[key] = cv2.GaussianBlur(ref.ink, (0, 0), sigma)
    ink = ref.cache[key] * np.float32(scale)
    ink = np.minimum(ink, np.float32(1.0), out=ink)
    page = np.maximum(ref.spread_page, ink)
    return page, page >= T.HIDDEN_INK, RaisedTo(ref.spread_name, ink)


class RaisedTo(Mapping):
    """Arrays by key, each raised to ``ink`` where that is darker (``np.maximum``, same shape), made on
    first use and kept: ``blank_as_printed``'s widened names, of which a page reads one radius."""

    def __init__(self, arrays: Mapping[int, np.ndarray], ink: np.ndarray):
        self._arrays, self._ink, self._made = arrays, ink, {}

    def __getitem__(self, key: int) -> np.ndarray:
        if key not in self._made:
            self._made[key] = np.maximum(self._arrays[key], self._ink)
        return self._made[key]

    def __iter__(self):
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)


def blur_ladder(ref: BlankRef, shape: tuple[int, int]) -> BlurLadder:
    """The blank's side of ``print_blur`` over the names' zones of a page of ``shape`` (the template
    frame), prepared once per blank (``ref.cache``)."""
    key = ("blur_ladder", shape)
    if key not in ref.cache:
        th = ref.layout.text_height
        h, w = shape
        where = np.zeros((h, w), bool)
        for slot in ref.layout.slots:
            where[name_zone(slot, th).clip(w, h).slices()] = True
        ref.cache[key] = BlurLadder(ref.ink, where)
    return ref.cache[key]


# --- faint lines through the letters -----------------------------------------------------------------

def ridge_window(slot: Slot, h: int, w: int) -> tuple[int, int, int, int, int] | None:
    """Where faint lines through a name's letters are looked for: (d, y0, y1, x0, x1), template px.

    Rows from the x-line to the baseline, over the name's row (``faint_ridges`` keeps pixels within
    ``inset_px`` of either off the letters: print ghosts lie along their tops and bottoms); ``d`` px
    (``FAINT_RIDGE_XH``) is how far above and below a ridge's pixel the paper is looked at. None when
    the window is empty."""
    xh = x_height(slot)
    d = max(2, int(round(T.FAINT_RIDGE_XH * xh)))
    y0 = max(d, slot.core_y0)
    y1 = min(h - d, slot.core_y1)
    x0, x1 = max(0, min(slot.name.x0, slot.row.x0)), min(w, max(slot.name.x1, slot.row.x1))
    if y1 <= y0 or x1 <= x0:
        return None
    return d, y0, y1, x0, x1


def inset_px(slot: Slot) -> int:
    """How far below the x-line and above the baseline a light line is looked for only away from the
    letters (``FAINT_INSET_XH`` of the x-height, px; at least 1)."""
    return max(1, int(round(T.FAINT_INSET_XH * x_height(slot))))


def print_halo(add: np.ndarray, hidden: np.ndarray) -> float:
    """The added ink a page's print leaves just around the blank's (a bolder or blurred print, a
    slight misalignment): ``FAINT_HALO_PERCENTILE`` of it over the pixels next to where print hides a
    stroke. ``add`` float32 (h, w), ``hidden`` bool (h, w); 0 without such pixels."""
    ring = (cv2.dilate(hidden.view(np.uint8), np.ones((3, 3), np.uint8)) > 0) & ~hidden
    return float(np.percentile(add[ring], T.FAINT_HALO_PERCENTILE)) if ring.any() else 0.0


def faint_ridges(slot: Slot, add: np.ndarray, hidden: np.ndarray, on_lines: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """How much each pixel of a name's ``ridge_window`` stands out as a light line across the letters:
    (contrast float32 (y1 - y0, x1 - x0), ink; seen bool, same shape).

    Added ink (float32 (h, w)) is averaged over ``FAINT_SMOOTH_PX`` along x, each pixel capped at
    ``FAINT_MAX_INK``; a pixel's contrast is how much darker it is than the darker of the pixels ``d``
    above and below it, or, where print lies there (a letter's counter, a narrow gap), the pixels
    ``near_px`` above and below it (seen only where it stands out by ``FAINT_RIDGE_INK`` so: paper
    that near shows a thin line, it cannot deny a thick one). It is seen when all three are (not
    hidden by print, ``hidden`` bool (h, w); at least ``FAINT_CLEAR_PX`` from it where a bolder or
    blurred print left a halo around its letters, ``print_halo`` of ``FAINT_HALO_INK`` or more) and off
    the creases and streaks found (``on_lines``, also for the paper above and below); within
    ``inset_px`` of the x-line or the baseline, also ``inset_px`` from print (the ghosts of the
    letters' tops and bottoms lie there; a line in a gap between words or letters is seen).
    The ghost a letter's edge leaves runs along the edge, no ridge across it."""
    h, w = add.shape
    win = ridge_window(slot, h, w)
    if win is None:
        return np.zeros((0, 0), np.float32), np.zeros((0, 0), bool)
    d, y0, y1, x0, x1 = win
    ya, yb = y0 - d, y1 + d
    hid = hidden[ya:yb, x0:x1]
    if print_halo(add[ya:yb, x0:x1], hid) >= T.FAINT_HALO_INK:
        r = T.FAINT_CLEAR_PX
        hid = cv2.dilate(hid.view(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8)) > 0
    lines = on_lines[ya:yb, x0:x1] > 0 if on_lines is not None else np.zeros(hid.shape, bool)
    hid = hid | lines
    a = mean_along_x(np.minimum(add[ya:yb, x0:x1], np.float32(T.FAINT_MAX_INK)), hid, T.FAINT_SMOOTH_PX)
    n = y1 - y0
    mid = a[d:d + n]
    contrast = np.zeros((n, x1 - x0), np.float32)
    seen = np.zeros((n, x1 - x0), bool)
    # The paper d off, or where print (not a crease or a streak) lies there, the paper nearer: that can
    # show a thin line, not deny one (a thicker stroke covers the paper near it), so it is seen only
    # where it shows one (the ridge's least ink, FAINT_RIDGE_INK); elsewhere print still hides it.
    for k in (d, min(d, near_px(slot))):
        up, down = a[d - k:d - k + n], a[d + k:d + k + n]
        new = ~(hid[d - k:d - k + n] | hid[d:d + n] | hid[d + k:d + k + n] | seen | lines[:n] | lines[2 * d:2 * d + n])
        c = mid - np.maximum(up, down)
        if k < d:
            new &= c >= T.FAINT_RIDGE_INK
        contrast[new] = c[new]
        seen |= new
    r = inset_px(slot)
    band = np.zeros(n, bool)
    band[:max(0, slot.core_y0 + r - y0)] = True
    band[max(0, slot.core_y1 - r - y0):] = True
    if band.any():
        near = cv2.dilate(hid.view(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8))[d:d + n] > 0
        seen &= ~(near & band[:, None])
    return contrast, seen


def near_px(slot: Slot) -> int:
    """How far above and below a light line's pixel the paper is looked at where print lies at the
    ``ridge_window``'s distance (``FAINT_RIDGE_NEAR_XH`` of the x-height, px; at least 2)."""
    return max(2, int(round(T.FAINT_RIDGE_NEAR_XH * x_height(slot))))


def trace_noise(slots, add: np.ndarray, hidden: np.ndarray, mask: np.ndarray, text_h: int,
                on_lines: np.ndarray | None = None,
                ridges: dict[int, tuple[np.ndarray, np.ndarray]] | None = None) -> dict[int, float]:
    """The page's own noise in the added ink where faint lines are looked for, for each name (ink, by
    slot index): over the *other* names, the ``FAINT_NOISE_NAMES_PERCENTILE`` of the
    ``FAINT_NOISE_PERCENTILE`` of each one's ridge contrast (``faint_ridges``), taken over the names
    without pen (none in their ``name_zone``), or over all others, away from pen by
    ``FAINT_NOISE_PEN_CLEAR_XH`` of their x-height, when no other name is free of it; 0 for a name
    alone. JPEG ringing, paper grain and halos around a bolder print raise it on every name; a faint
    line on the name judged does not, nor light strikes the pen mask missed on some of the others (the
    quieter names set it). ``ridges``: each name's ``faint_ridges`` when already measured."""
    h, w = add.shape
    level: dict[int, tuple[bool, float]] = {}
    for slot in slots:
        win = ridge_window(slot, h, w)
        if win is None:
            continue
        d, y0, y1, x0, x1 = win
        contrast, seen = ridges[slot.index] if ridges else faint_ridges(slot, add, hidden, on_lines)
        clean = not mask[name_zone(slot, text_h).clip(w, h).slices()].any()
        if not clean:
            r = max(1, int(T.FAINT_NOISE_PEN_CLEAR_XH * x_height(slot)))
            ys, ye = max(0, y0 - r), min(h, y1 + r)
            near = cv2.dilate(mask[ys:ye, x0:x1], np.ones((2 * r + 1, 2 * r + 1), np.uint8))[y0 - ys:y1 - ys]
            seen = seen & (near == 0)
        v = contrast[seen]
        if v.size:
            level[slot.index] = (clean, float(np.percentile(v, T.FAINT_NOISE_PERCENTILE)))
    out = {}
    for slot in slots:
        others = [(c, q) for i, (c, q) in level.items() if i != slot.index]
        clean = [q for c, q in others if c]
        pool = clean or [q for _, q in others]
        out[slot.index] = float(np.percentile(pool, T.FAINT_NOISE_NAMES_PERCENTILE)) if pool else 0.0
    return out


# --- pen mask ---------------------------------------------------------------------------------------

def mean_along_x(add: np.ndarray, hidden: np.ndarray, length_px: int) -> np.ndarray:
    """Added ink averaged along x over ``length_px`` (odd) over the pixels print does not hide.

    Pixels under print (``hidden``) cannot show a stroke and are left out of the average instead of
    counting as paper (normalised convolution). ``add`` float32 (h, w), ``hidden`` bool (h, w); returns
    float32 (h, w), 0 where fewer than ``STROKE_MIN_SEEN_SHARE`` of the window's pixels are seen.
    """
    k = (length_px, 1)
    seen = np.logical_not(hidden).view(np.uint8)
    num = cv2.filter2D(cv2.multiply(add, seen, dtype=cv2.CV_32F), -1, np.ones((1, k[0]), np.float32))
    den = cv2.boxFilter(seen, cv2.CV_16U, k, normalize=False)   # seen pixels in the window
    # Too few seen pixels to judge: no stroke ink.
    enough = cv2.compare(den, math.ceil(T.STROKE_MIN_SEEN_SHARE * k[0]), cv2.CMP_GE) & 1
    out = cv2.divide(num, cv2.max(den, 1), dtype=cv2.CV_32F)
    return cv2.multiply(out, enough, dst=out, dtype=cv2.CV_32F)


def stroke_ink(add: np.ndarray, hidden: np.ndarray, text_h: int) -> np.ndarray:
    """Added ink averaged along the writing direction (``mean_along_x`` over ``STROKE_SMOOTH_TH``).

    A pen stroke is continuous, noise is not: averaging along x lifts faint pencil above the noise.
    ``add`` float32 (h, w), ``hidden`` bool (h, w); returns float32 (h, w).
    """
    return mean_along_x(add, hidden, max(T.MIN_KERNEL_PX, int(T.STROKE_SMOOTH_TH * text_h)) | 1)


def pen_mask(add: np.ndarray, hidden: np.ndarray, text_h: int) -> tuple[np.ndarray, np.ndarray]:
    """Binary mask of pen ink with scanner specks removed, and the smoothed stroke ink it rests on.

    A piece of pen smaller than a speck (``SPECK_MAX_AREA_TH2``) is kept when it belongs to a stroke
    (``join_strokes``: pieces up to a letter's width apart) of at least that size and lies clear of
    print: a stroke broken into dots by a 1-bit scan is a stroke. Pieces hugging the print are specks
    whatever they join (a bolder or blurred print leaves a halo along every letter).

    The stroke ink is averaged only on the rows that can hold pen (``pen_rows``, in ``row_bands``; 0 on the
    others), and the pieces are measured on the pen's own pixels (``on_pixels``; a page is mostly paper),
    not on per-component statistics of the whole page: the same mask as over the whole page."""
    smooth = np.zeros(add.shape, np.float32)
    for y0, y1 in row_bands(pen_rows(add, hidden)):
        smooth[y0:y1] = stroke_ink(add[y0:y1], hidden[y0:y1], text_h)
    mask = cv2.compare(smooth, T.PEN_MIN_INK, cv2.CMP_GE) & 1
    speck = T.SPECK_MAX_AREA_TH2 * text_h * text_h
    on = on_pixels(mask)
    if not on.size:
        return mask, smooth
    n, lab = _labels(mask)
    pieces = lab.ravel()[on]
    area = np.bincount(pieces, minlength=n)
    small = np.flatnonzero(area[1:] < speck) + 1
    if len(small):
        jn, joined = _labels(_joined(mask, text_h))
        strokes = joined.ravel()[on]
        stroke_of = np.zeros(n, np.int64)
        stroke_of[pieces] = strokes                     # every pixel of a piece lies in one stroke
        stroke_area = np.bincount(strokes, minlength=jn)
        clear = cv2.dilate(hidden.view(np.uint8), np.ones((3, 3), np.uint8)).ravel()[on] == 0
        clear_px = np.bincount(pieces[clear], minlength=n)
        kept = (stroke_area[stroke_of[small]] >= speck) & (clear_px[small] > 0)
        small = small[~kept]
    if len(small):                        # the specks' own pixels erased
        drop = np.zeros(n, bool)
        drop[small] = True
        mask.ravel()[on[drop[pieces]]] = 0
    return mask, smooth


ROUNDING_MARGIN_RATIO = 0.999   # pen rows are found from this share of PEN_MIN_INK: a mean rounded in float32
#                                 does not reach PEN_MIN_INK from values all under this
BAND_GAP_PX = 8                 # row bands nearer than this are averaged as one (fewer calls, the same values)


def pen_rows(add: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """The rows that can hold pen: bool (h,), True where a pixel print does not hide (``hidden`` bool
    (h, w)) has added ink (``add`` float32 (h, w)) of ``PEN_MIN_INK`` or nearly. ``stroke_ink`` is a mean
    along a row over such pixels: on any other row it is under ``PEN_MIN_INK``."""
    high = cv2.compare(add, ROUNDING_MARGIN_RATIO * T.PEN_MIN_INK, cv2.CMP_GE)
    high &= np.logical_not(hidden).view(np.uint8)
    return high.max(axis=1) > 0


def row_bands(rows: np.ndarray, gap: int = BAND_GAP_PX) -> list[tuple[int, int]]:
    """The runs of True in ``rows`` (bool (h,)) as (first row, row after the last), runs fewer than ``gap``
    rows apart joined."""
    edges = np.flatnonzero(np.diff(np.concatenate(([False], rows, [False])).view(np.int8)))
    starts, ends = edges[::2], edges[1::2]
    if not starts.size:
        return []
    new = np.concatenate(([True], starts[1:] - ends[:-1] >= gap))
    return [(int(a), int(b)) for a, b in zip(starts[new], np.append(ends[:-1][new[1:]], ends[-1]))]


def on_pixels(mask: np.ndarray) -> np.ndarray:
    """Flat indices (int64, in raster order) of the nonzero pixels of a uint8 (h, w) mask
    (``cv2.findNonZero``: a tenth of ``np.flatnonzero``'s time on a mostly empty page)."""
    pts = cv2.findNonZero(mask)
    if pts is None:
        return np.zeros(0, np.int64)
    pts = pts.reshape(-1, 2)
    return pts[:, 1].astype(np.int64) * mask.shape[1] + pts[:, 0]


def _joined(mask: np.ndarray, text_h: int) -> np.ndarray:
    """The mask closed as ``join_strokes`` joins its pieces (uint8 0/1, same shape)."""
    gap = max(T.MIN_KERNEL_PX, int(T.GAP_BRIDGE_TH * text_h)) | 1
    tall = T.BLOB_JOIN_HEIGHT_PX | 1
    py, px = tall, gap
    padded = cv2.copyMakeBorder(mask, py, py, px, px, cv2.BORDER_CONSTANT, value=0)
    joined = cv2.morphologyEx(padded, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, tall)))
    return np.ascontiguousarray(joined[py:-py, px:-px])


def join_strokes(mask: np.ndarray, text_h: int) -> tuple[int, np.ndarray, np.ndarray]:
    """Pen pixels joined into strokes: pieces up to ``GAP_BRIDGE_TH`` apart along x (a stroke passing
    under print, or broken into dots) and ``BLOB_JOIN_HEIGHT_PX`` across join. ``mask`` uint8 0/1 (h, w);
    returns the 8-connected components of the joined mask (count, int32 labels (h, w), stats).

    The joining is a closing by an odd-sized rectangle (an even one shifts the result by a pixel) on
    the mask padded with paper (the page's border is not ink)."""
    return _components(_joined(mask, text_h))


def _components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """8-connected components of a 0/1 uint8 mask: (count, labels, stats). BBDT gives the same labels as
    OpenCV's default algorithm at a third of its time here."""
    n, lab, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_BBDT)
    return n, lab, stats


def _labels(mask: np.ndarray) -> tuple[int, np.ndarray]:
    """The labels of ``_components`` (count, int32 labels (h, w)) without its statistics, which cost
    more than the labelling itself on a page (every paper pixel counts towards the background's)."""
    return cv2.connectedComponentsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_BBDT)


# --- creases and scanner streaks ----------------------------------------------------------------------

def remove_line_artifacts(
    mask: np.ndarray, add: np.ndarray, text_h: int, strips: np.ndarray | None = None
) -> list[Box]:
    """Erase creases and scanner streaks from ``mask`` in place; returns the lines found, and marks
    the strip each line was erased over in ``strips`` (uint8 (h, w), in place) when given.

    A fold crease or a streak from dirty scanner glass is a faint straight line running across the
    whole page. It is found on the faint added ink (``LINE_TRACE_INK``), and only its *faint* pixels
    are erased: a pen stroke lying on a crease is darker and stays.
    """
    h, w = mask.shape
    # Lines this long survive a 4× reduction; Hough on the reduced trace costs 16× less.
    f = T.LINE_SEARCH_REDUCTION_RATIO
    trace = cv2.resize(cv2.compare(add, T.LINE_TRACE_INK, cv2.CMP_GE), (w // f, h // f),
                       interpolation=cv2.INTER_AREA)
    trace = ((trace > int(255 * T.LINE_TRACE_MIN_PX / f)) * 255).astype(np.uint8)
    found = []
    for length, horizontal in ((T.LINE_ARTIFACT_SHARE * w, True), (T.LINE_ARTIFACT_SHARE * h, False)):
        # Lines are continuous along their direction; isolated noise is not (and only slows Hough).
        run = (1, T.LINE_TRACE_RUN_PX // f) if horizontal else (T.LINE_TRACE_RUN_PX // f, 1)
        along = cv2.morphologyEx(trace, cv2.MORPH_OPEN, np.ones(run, np.uint8))
        # Found in pieces (a streak's trace breaks where it is faint or crosses print), then pieces on one
        # line are put together: the line is one when they cover LINE_ARTIFACT_SHARE of the page.
        piece = length * T.LINE_PIECE_SHARE
        lines = cv2.HoughLinesP(along, 1, math.radians(T.LINE_HOUGH_STEP_DEG),
                                threshold=int(piece * T.LINE_HOUGH_VOTES_SHARE / f),
                                minLineLength=int(piece / f),
                                maxLineGap=max(T.LINE_MIN_GAP_PX // f, int(T.LINE_MAX_GAP_TH * text_h / f)))
        if lines is None:
            continue
        for at, k in line_groups(lines.reshape(-1, 4).astype(np.float64) * f + f / 2, horizontal, (h, w),
                                 length, T.CREASE_NEAR_TH * text_h):
            # A fold or a streak crosses the whole page: the line edge to edge.
            if horizontal:
                x0, y0, x1, y1 = 0, at - k * (w - 1) / 2, w - 1, at + k * (w - 1) / 2
            else:
                x0, y0, x1, y1 = at - k * (h - 1) / 2, 0, at + k * (h - 1) / 2, h - 1
            line = Box(int(min(x0, x1)), int(min(y0, y1)), int(max(x0, x1)) + 1, int(max(y0, y1)) + 1)
            thick = max(T.MIN_KERNEL_PX, int(T.LINE_ARTIFACT_MAX_TH * text_h))
            b = line.grow(thick, thick).clip(w, h)   # only the line's own strip is drawn and erased
            strip = np.zeros((b.h, b.w), np.uint8)
            cv2.line(strip, (int(x0) - b.x0, int(y0) - b.y0), (int(x1) - b.x0, int(y1) - b.y0), 1, thick)
            mask[b.slices()][(strip > 0) & (add[b.slices()] < T.LINE_ARTIFACT_KEEP_INK)] = 0
            if strips is not None:
                strips[b.slices()] |= strip
            found.append(line)
    return found


def line_groups(segments: np.ndarray, horizontal: bool, shape: tuple[int, int], length: float, near: float
                ) -> list[tuple[float, float]]:
    """Lines across the page from straight segments (float (n, 4): x0, y0, x1, y1 in page px) along one
    direction: the segments as steep as ``LINE_ARTIFACT_MAX_SLOPE_RATIO`` at most (rise over their own run),
    grouped where they lie on one line (their lines within ``near`` px of each other at the page's middle),
    each group that covers ``length`` px of the page along the line. Returns (position at the page's
    middle, slope) of each: y at x = (w - 1) / 2 and dy/dx for horizontal lines, x at y = (h - 1) / 2 and
    dx/dy for vertical ones."""
    h, w = shape
    mid = (w - 1) / 2 if horizontal else (h - 1) / 2
    pieces = []
    for x0, y0, x1, y1 in segments:
        if horizontal != (abs(x1 - x0) >= abs(y1 - y0)):
            continue
        a0, b0, a1, b1 = (x0, y0, x1, y1) if horizontal else (y0, x0, y1, x1)   # a along the run, b across it
        if a1 < a0:
            a0, b0, a1, b1 = a1, b1, a0, b0
        if abs(b1 - b0) > T.LINE_ARTIFACT_MAX_SLOPE_RATIO * (a1 - a0):
            continue
        k = (b1 - b0) / max(1.0, a1 - a0)
        pieces.append((b0 + k * (mid - a0), k, a0, a1))
    pieces.sort()
    out: list[tuple[float, float]] = []
    group: list[tuple[float, float, float, float]] = []
    for p in pieces + [None]:
        if group and (p is None or p[0] - group[-1][0] > near):
            covered, end = 0.0, -math.inf
            for _, _, a0, a1 in sorted(group, key=lambda g: g[2]):
                covered += max(0.0, a1 - max(a0, end))
                end = max(end, a1)
            if covered >= length:
                out.append((float(np.median([g[0] for g in group])), float(np.median([g[1] for g in group]))))
            group = []
        if p is not None:
            group.append(p)
    return out


# --- strokes ----------------------------------------------------------------------------------------

def vertical_runs(on: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The vertical runs of True in ``on`` (bool (h, w)), column by column, top to bottom: (column,
    first row, row after the last), three int arrays of one entry per run."""
    h, w = on.shape
    pad = np.zeros((w, h + 2), np.int8)
    pad[:, 1:-1] = on.T
    d = np.diff(pad, axis=1)                  # +1 where a run starts, -1 just after it ends
    cols, tops = np.nonzero(d == 1)
    _, ends = np.nonzero(d == -1)
    return cols, tops, ends


def blobs(mask: np.ndarray, text_h: int) -> tuple[np.ndarray, list[Blob]]:
    """Group pen pixels into strokes (``join_strokes``). ``mask`` uint8 0/1 (h, w); returns (int32 labels
    (h, w), the blobs with at least one pen pixel, each boxed around its pen pixels, in label order).
    Measured on the pen's own pixels (``on_pixels``)."""
    _, lab = _labels(_joined(mask, text_h))
    on = on_pixels(mask)
    if not on.size:
        return lab, []
    w = mask.shape[1]
    of = lab.ravel()[on]
    order = np.argsort(of, kind="stable")          # by label, each label's pixels in raster order
    of, at = of[order], on[order]
    ys, xs = at // w, at % w
    first = np.flatnonzero(np.r_[True, of[1:] != of[:-1]])
    ends = np.r_[first[1:], of.size]
    x0, x1 = np.minimum.reduceat(xs, first), np.maximum.reduceat(xs, first) + 1
    y0, y1 = ys[first], ys[ends - 1] + 1          # raster order: the first pixel is the top one, the last the bottom
    out = [Blob(Box(int(x0[k]), int(y0[k]), int(x1[k]), int(y1[k])), int(ends[k] - first[k]), int(of[first[k]]))
           for k in range(first.size) if of[first[k]] > 0]
    return lab, out


def is_solid(mask: np.ndarray, lab: np.ndarray, blob: Blob, text_h: int) -> bool:
    """True when a blob is a filled area rather than pen strokes (strokes are thinner than SOLID_STROKE_TH)."""
    sub = ((lab[blob.box.slices()] == blob.label) & (mask[blob.box.slices()] > 0)).astype(np.uint8)
    k = max(T.MIN_KERNEL_PX, int(T.SOLID_STROKE_TH * text_h)) | 1
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
    tile = max(T.MIN_RESIDUE_TILE_PX, int(T.RESIDUE_TILE_TH * text_h))
    after = 0
    off_print = np.zeros((b.h, b.w), bool)     # ink kept after re-alignment, off the widened print
    for y0 in range(b.y0, b.y1, tile):
        for x0 in range(b.x0, b.x1, tile):
            t = Box(x0, y0, min(b.x1, x0 + tile), min(b.y1, y0 + tile))
            if not mask[t.slices()].any():
                continue
            dx, dy = align_offset(ref.ink, page_ink, t, T.ALIGN_SEARCH_PX)
            add = added_ink(shifted(page_ink, t, dx, dy), ref.spread_page[t.slices()])
            hidden = ref.spread_page[t.slices()] >= T.HIDDEN_INK
            kept = stroke_ink(add, hidden, text_h) >= T.PEN_MIN_INK
            after += int(kept.sum())
            off_print[y0 - b.y0:t.y1 - b.y0, x0 - b.x0:t.x1 - b.x0] = kept
    if off_print.any():    # a ghost runs along print's edge: only what lies RESIDUE_GHOST_REACH_TH beyond it counts
        d = max(1, int(round(T.RESIDUE_GHOST_REACH_TH * text_h)))
        near = ref.spread_page[b.slices()] >= T.HIDDEN_INK
        off_print &= cv2.dilate(near.view(np.uint8), np.ones((2 * d + 1, 2 * d + 1), np.uint8)) == 0
    return after < T.RESIDUE_KEEP_SHARE * before and longest_piece(off_print) < T.RESIDUE_STROKE_MIN_TH * text_h


def longest_piece(mask: np.ndarray) -> int:
    """The longest side (px) of a connected (8-neighbour) piece of ``mask`` (bool (h, w)); 0 without one."""
    if not mask.any():
        return 0
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    return int(stats[1:, cv2.CC_STAT_WIDTH:cv2.CC_STAT_HEIGHT + 1].max())


# --- faint pen: strokes under PEN_MIN_INK, against the page's own noise --------------------------------

def faint_ink(add: np.ndarray, text_h: int) -> np.ndarray:
    """How far each pixel stands out as a light stroke: the mean added ink over a square of
    ``FAINT_PEN_SQUARE_TH`` (a stroke's width and a little more, whatever its direction: averaging lifts
    a continuous stroke above the paper's grain) less the mean over ``FAINT_PEN_BACKGROUND_TH`` around
    it, at least 0. A thin stroke lifts the small square well above its surroundings; a photo's
    shading, a tinted paper, a shadow lift both alike. Print adds no ink (``added_ink`` takes the
    blank's away). ``add`` float32 (h, w); returns float32 (h, w)."""
    k = max(T.MIN_KERNEL_PX, int(round(T.FAINT_PEN_SQUARE_TH * text_h))) | 1
    near = cv2.boxFilter(add, -1, (k, k), borderType=cv2.BORDER_REPLICATE)
    k = max(T.MIN_KERNEL_PX, int(T.FAINT_PEN_BACKGROUND_TH * text_h)) | 1
    around = cv2.boxFilter(add, -1, (k, k), borderType=cv2.BORDER_REPLICATE)
    return cv2.max(cv2.subtract(near, around), 0.0)


def paper_noise(ink: np.ndarray, paper: np.ndarray, cell_px: int) -> float:
    """The page's own noise in ``ink`` (float32 (h, w), e.g. ``faint_ink``) on its paper: over square
    cells ``cell_px`` a side lying at least ``FAINT_PEN_PAPER_SHARE`` on paper (``paper`` bool (h, w):
    away from the blank's print, the page's edges and pen), the median of each one's most ink on its
    paper. The paper's grain, the scanner's noise and JPEG's ringing raise it on every cell; a note
    raises a few (the median ignores them). 0 without such a cell."""
    c = max(1, cell_px)
    ny, nx = ink.shape[0] // c, ink.shape[1] // c
    if ny == 0 or nx == 0:
        return 0.0
    on = paper[:ny * c, :nx * c].astype(np.float32)
    share = cv2.resize(on, (nx, ny), interpolation=cv2.INTER_AREA)     # each cell's mean
    keep = share >= T.FAINT_PEN_PAPER_SHARE
    if not keep.any():
        return 0.0
    paper_ink = cv2.multiply(np.ascontiguousarray(ink[:ny * c, :nx * c]), on)
    most = paper_ink.reshape(ny * c, nx, c).max(axis=2).reshape(ny, c, nx).max(axis=1)
    return float(np.median(most[keep]))
