"""Reader B's inputs: fixed-size crops of the registered page and of the blank, cut at the layout's places.

Pure: the page (uint8 grey, template frame), the blank (the same) and the layout go in; float32 arrays
(N, 2, H, W) come out — channel 0 the page's darkness, channel 1 the blank's at the same place — ready
for the classifiers (``model.py``). The training script cuts its crops with these same functions, so
the classifiers see at run time exactly what they were trained on.

Every length is in text heights (th, ``Layout.text_height``): a crop is scaled so that one th is
``PX_PER_TH`` pixels whatever the font size and scan resolution. Darkness is 1 − grey / paper, the paper
being a high percentile of the crop's own surroundings (``PAPER_PERCENTILE``): no absolute grey level.

Names (strike ballots): the band across the name, a little wider than the name and about one th above
and below the letters' bodies, stretched to ``NAME_SHAPE`` (so a stroke over 40 % of the name covers
40 % of the crop, in any font); the blank's channel then moved onto the page's own print (``aligned``:
reader B's own local registration, by up to ``NAME_ALIGN_PX``). Cells (mark boxes, "Đồng ý" /
"Không đồng ý" cells): the printed box with a margin where a mark may spill (towards a neighbouring
box only a strip past the rule: no cell's crop shows the inside of another), stretched to
``CELL_SHAPE``. Regions (anything else the page has that the blank has not, for writing): square
windows ``REGION_TH`` th a side at the places ``proposals`` finds, at ``REGION_SHAPE``.
"""
from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from ...records import Box, Layout, Slot

PX_PER_TH = 12                  # crop pixels per text height (regions; names and cells are stretched)
PAPER_PERCENTILE = 95           # the paper under a crop: this percentile of its grey levels
NAME_SHAPE = (32, 128)          # height, width of a name's crop
NAME_SIDE_TH = 0.5              # the name crop reaches this far left and right of the printed name ...
NAME_HALF_HEIGHT_TH = 1.3       # ... and this far above and below the middle of the letters' bodies
# A name's blank channel is moved by whole crop pixels, up to this many each way, to where it matches the page's
# print best (``aligned``). 3 px of the crop's 32 are 0.23 th across the band (2 × NAME_HALF_HEIGHT_TH = 2.6 th)
# and 0.2-0.4 th along it (names 6-14 th long). Evidence: on round 8's kept stress pages a third of the clear names
# reader B doubted (and 4 % of those it read right) matched their blank best 2 px or more off; on a folded page a
# page is bent, and its names lie up to 0.3 th off the registration's place while the pose as a whole is good.
NAME_ALIGN_PX = 3
CELL_SHAPE = (32, 32)           # height, width of a cell's crop
CELL_MARGIN_SHARE = 0.5         # of the cell's shorter side: the margin around a cell in its crop ...
CELL_PEEK_SHARE = 0.3           # ... but only this far past the middle of the gap to a neighbouring box
REGION_TH = 4.0                 # side of a region window, th
REGION_SHAPE = (48, 48)         # height, width of a region's crop (REGION_TH * PX_PER_TH)
# Proposals: where the page differs from the blank, on a copy reduced to PROPOSAL_PX_PER_TH px per th.
PROPOSAL_PX_PER_TH = 4
PROPOSAL_PAPER_TH = 4.0         # the paper is the brightest grey within this window
PROPOSAL_DARKER = 0.18          # darkness over the (widened) blank's for a reduced pixel to be proposed
PROPOSAL_MIN_PX = 2             # reduced pixels a proposal needs (a speck of one is not looked at)
MAX_REGIONS = 64                # at most this many windows per page (the largest proposals first)


def _cut(grey: np.ndarray, x0: float, y0: float, x1: float, y1: float, shape: tuple[int, int]) -> np.ndarray:
    """The area [x0, x1) × [y0, y1) of ``grey`` (template px, may run off it: edge repeated) resized to
    ``shape`` (h, w), uint8."""
    h, w = shape
    sx, sy = w / max(1e-6, x1 - x0), h / max(1e-6, y1 - y0)
    m = np.float32([[sx, 0, -x0 * sx], [0, sy, -y0 * sy]])
    flags = cv2.INTER_AREA if sx < 1 and sy < 1 else cv2.INTER_LINEAR
    if flags == cv2.INTER_AREA:   # warpAffine has no area averaging: low-pass first, then sample
        k = max(1.0 / sx, 1.0 / sy)
        ix0, iy0 = int(max(0, np.floor(x0 - 2 * k))), int(max(0, np.floor(y0 - 2 * k)))
        ix1, iy1 = int(min(grey.shape[1], np.ceil(x1 + 2 * k))), int(min(grey.shape[0], np.ceil(y1 + 2 * k)))
        if ix1 - ix0 >= 2 and iy1 - iy0 >= 2:
            sub = cv2.GaussianBlur(grey[iy0:iy1, ix0:ix1], (0, 0), 0.42 / sx, sigmaY=0.42 / sy)
            m = np.float32([[sx, 0, -(x0 - ix0) * sx], [0, sy, -(y0 - iy0) * sy]])
            return cv2.warpAffine(sub, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def darkness(crop: np.ndarray) -> np.ndarray:
    """1 − grey / paper (float32, 0 paper … 1 black) of a uint8 crop, the paper being its
    ``PAPER_PERCENTILE``."""
    paper = max(1.0, float(np.percentile(crop, PAPER_PERCENTILE)))
    return np.clip(1.0 - crop.astype(np.float32) / paper, 0.0, 1.0)


def pair(page: np.ndarray, blank: np.ndarray, area: tuple[float, float, float, float],
         shape: tuple[int, int]) -> np.ndarray:
    """(2, h, w) float32: the page's and the blank's darkness over ``area`` (x0, y0, x1, y1, template px)."""
    return np.stack([darkness(_cut(page, *area, shape)), darkness(_cut(blank, *area, shape))])


def aligned(crop: np.ndarray, reach: int = NAME_ALIGN_PX) -> np.ndarray:
    """(2, h, w) float32 ``crop`` with its blank channel (1) shifted by whole pixels (dy, dx), |dy|, |dx| ≤
    ``reach`` (edge pixels repeated), to the shift where it differs least from the page's channel (0) over the
    crop less a ``reach`` border (sum of squared differences; ties: the smaller shift). The page's channel is
    left as it is: a stroke keeps its place in the crop."""
    page, blank = crop[0], crop[1]
    h, w = page.shape
    r = int(reach)
    if r <= 0 or h <= 2 * r or w <= 2 * r:
        return crop
    inner = np.ascontiguousarray(page[r:h - r, r:w - r], dtype=np.float32)
    cost = cv2.matchTemplate(np.ascontiguousarray(blank, dtype=np.float32), inner, cv2.TM_SQDIFF)   # (2r+1, 2r+1)
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    cost = cost + 1e-6 * (np.abs(yy) + np.abs(xx)) * max(1.0, float(cost.max()))
    oy, ox = np.unravel_index(int(np.argmin(cost)), cost.shape)
    if oy == r and ox == r:
        return crop
    # cost[oy, ox]: the page's inner part against the blank from (oy, ox): the blank moves by (r - oy, r - ox)
    padded = np.pad(blank, r, mode="edge")
    moved = padded[oy:oy + h, ox:ox + w]
    return np.stack([page, moved]).astype(np.float32)


def name_area(slot: Slot, th: float) -> tuple[float, float, float, float]:
    """Where a name's crop is cut (template px): the name ± NAME_SIDE_TH, its bodies' middle ± NAME_HALF_HEIGHT_TH."""
    n = slot.name
    if slot.core_y1 > slot.core_y0:
        yc = (slot.core_y0 + slot.core_y1) / 2
    else:
        yc = (n.y0 + n.y1) / 2
    return (n.x0 - NAME_SIDE_TH * th, yc - NAME_HALF_HEIGHT_TH * th, n.x1 + NAME_SIDE_TH * th,
            yc + NAME_HALF_HEIGHT_TH * th)


def cell_area(box: Box, others: tuple[Box, ...] | list[Box] = ()) -> tuple[float, float, float, float]:
    """Where a cell's crop is cut: the printed box with CELL_MARGIN_SHARE of its shorter side around it,
    but on a side where another printed box (``others``: the layout's boxes; ``box`` itself is left out)
    lies within that margin, only CELL_PEEK_SHARE of the shorter side past the middle of the gap between
    the two. A mark inside the neighbouring cell (the other cell of a yes/no row, the row above or below
    in a table) is then not in this cell's crop unless it touches the rule, while a mark across the rule
    is in both, and the crop shows the rule with a strip of paper beyond it: a mark near the rule, on its
    own side, is seen as inside."""
    short = min(box.w, box.h)
    m = CELL_MARGIN_SHARE * short
    peek = CELL_PEEK_SHARE * short
    left = top = right = bottom = m
    for o in others:
        if o == box:
            continue
        if o.y0 < box.y1 and o.y1 > box.y0:                  # beside
            if box.x1 <= o.x0 < box.x1 + m:
                right = min(right, max(0.0, (o.x0 - box.x1) / 2) + peek)
            if box.x0 - m < o.x1 <= box.x0:
                left = min(left, max(0.0, (box.x0 - o.x1) / 2) + peek)
        if o.x0 < box.x1 and o.x1 > box.x0:                  # above or below
            if box.y1 <= o.y0 < box.y1 + m:
                bottom = min(bottom, max(0.0, (o.y0 - box.y1) / 2) + peek)
            if box.y0 - m < o.y1 <= box.y0:
                top = min(top, max(0.0, (box.y0 - o.y1) / 2) + peek)
    return box.x0 - left, box.y0 - top, box.x1 + right, box.y1 + bottom


def all_boxes(layout: Layout) -> list[Box]:
    """Every printed box of the layout, once, in slot order."""
    out: list[Box] = []
    for s in layout.slots:
        out += [b for b in s.boxes if b not in out]
    return out


def region_area(cx: float, cy: float, th: float) -> tuple[float, float, float, float]:
    r = REGION_TH * th / 2
    return cx - r, cy - r, cx + r, cy + r


@dataclasses.dataclass
class BlankSide:
    """What the crops take of the blank alone, cut once per blank and layout (every page of a count has
    the same): the blank's darkness at each name's or cell's crop (``name_crops``, ``cell_crops``), and
    its reduced darkness widened by one reduced pixel (``proposals``)."""
    names: list[np.ndarray]      # (NAME_SHAPE) float32 per slot: the blank's channel of each name's crop
    cells: list[np.ndarray]      # (CELL_SHAPE) float32 per box, slot after slot
    reduced: np.ndarray          # float32 (h, w) at PROPOSAL_PX_PER_TH px per th


def blank_side(blank: np.ndarray, layout: Layout) -> BlankSide:
    """The blank's side of every page's crops (``BlankSide``); ``blank`` uint8 grey, template frame."""
    th = layout.text_height
    names = [darkness(_cut(blank, *name_area(s, th), NAME_SHAPE)) for s in layout.slots] \
        if layout.kind == "strike" else []
    others = all_boxes(layout)
    cells = [darkness(_cut(blank, *cell_area(b, others), CELL_SHAPE)) for s in layout.slots for b in s.boxes] \
        if layout.kind != "strike" else []
    f, paper_px = _proposal_scale(layout)
    reduced = cv2.dilate(_reduced_darkness(blank, f, paper_px), np.ones((3, 3), np.uint8))
    return BlankSide(names, cells, reduced)


def name_crops(page: np.ndarray, blank: np.ndarray, layout: Layout, side: BlankSide | None = None) -> np.ndarray:
    """(names, 2, *NAME_SHAPE) float32, in slot order. ``side``: the blank's channel already cut
    (``blank_side``)."""
    th = layout.text_height
    if not layout.slots:
        return np.zeros((0, 2) + NAME_SHAPE, np.float32)
    if side is None:
        return np.stack([aligned(pair(page, blank, name_area(s, th), NAME_SHAPE)) for s in layout.slots])
    return np.stack([aligned(np.stack([darkness(_cut(page, *name_area(s, th), NAME_SHAPE)), b]))
                     for s, b in zip(layout.slots, side.names, strict=True)])


def cell_crops(page: np.ndarray, blank: np.ndarray, layout: Layout, side: BlankSide | None = None) -> np.ndarray:
    """(cells, 2, *CELL_SHAPE) float32: every slot's boxes, slot after slot. ``side``: the blank's channel
    already cut (``blank_side``)."""
    others = all_boxes(layout)
    areas = [cell_area(b, others) for s in layout.slots for b in s.boxes]
    if side is None:
        cells = [pair(page, blank, a, CELL_SHAPE) for a in areas]
    else:
        cells = [np.stack([darkness(_cut(page, *a, CELL_SHAPE)), b]) for a, b in zip(areas, side.cells, strict=True)]
    return np.stack(cells) if cells else np.zeros((0, 2) + CELL_SHAPE, np.float32)


def _reduced(grey: np.ndarray, f: float) -> np.ndarray:
    """``grey`` reduced by ``f`` < 1: halvings first (pyrDown), then area averaging for the rest (several
    times faster than one area resize of a whole page)."""
    h, w = grey.shape
    size = (max(1, int(round(w * f))), max(1, int(round(h * f))))
    while f <= 0.5 and min(grey.shape) >= 8:
        grey, f = cv2.pyrDown(grey), f * 2
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA)


def _reduced_darkness(grey: np.ndarray, f: float, paper_px: int) -> np.ndarray:
    small = _reduced(grey, f)
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (paper_px | 1, paper_px | 1))
    paper = cv2.dilate(small, k).astype(np.float32)
    return np.clip(1.0 - small.astype(np.float32) / np.maximum(paper, 1.0), 0.0, 1.0)


def _proposal_scale(layout: Layout) -> tuple[float, int]:
    """(reduction, paper window px of the reduced copy) of ``proposals``."""
    return PROPOSAL_PX_PER_TH / float(layout.text_height), max(3, int(round(PROPOSAL_PAPER_TH * PROPOSAL_PX_PER_TH)))


def proposals(page: np.ndarray, blank: np.ndarray, layout: Layout,
              side: BlankSide | None = None) -> list[tuple[float, float, Box]]:
    """Where the page is darker than the blank outside the names' (and cells') crops: (cx, cy, box) per
    window to classify, template px, largest proposals first, at most MAX_REGIONS.

    The blank is widened by one reduced pixel first (registration is good to about that; ``side``: the
    blank reduced and widened already, ``blank_side``). A proposal larger than a window is tiled with
    windows."""
    th = float(layout.text_height)
    f, paper_px = _proposal_scale(layout)
    dp = _reduced_darkness(page, f, paper_px)
    db = cv2.dilate(_reduced_darkness(blank, f, paper_px), np.ones((3, 3), np.uint8)) if side is None \
        else side.reduced
    hot = ((dp - db) > PROPOSAL_DARKER).astype(np.uint8)
    h, w = hot.shape
    for a in covered_areas(layout):
        x0, y0, x1, y1 = (
            int(np.floor(a[0] * f)),
            int(np.floor(a[1] * f)),
            int(np.ceil(a[2] * f)),
            int(np.ceil(a[3] * f)),
        )
        hot[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = 0
    hot = cv2.dilate(hot, np.ones((3, 3), np.uint8))    # pieces of one word join
    n, lab, stats, _ = cv2.connectedComponentsWithStats(hot, connectivity=8)
    order = sorted(range(1, n), key=lambda i: -stats[i, cv2.CC_STAT_AREA])
    out: list[tuple[float, float, Box]] = []
    step = REGION_TH * th * 0.75
    for i in order:
        x, y, bw, bh, area = stats[i]
        if area < PROPOSAL_MIN_PX + 8:    # the 3×3 widening adds 8 around a single pixel
            continue
        box = Box(int(x / f), int(y / f), int(np.ceil((x + bw) / f)), int(np.ceil((y + bh) / f)))
        nx, ny = max(1, int(np.ceil(box.w / step))), max(1, int(np.ceil(box.h / step)))
        for j in range(ny):
            for k in range(nx):
                cx = box.x0 + (k + 0.5) * box.w / nx
                cy = box.y0 + (j + 0.5) * box.h / ny
                out.append((cx, cy, box))
        if len(out) >= MAX_REGIONS:
            break
    return out[:MAX_REGIONS]


def covered_areas(layout: Layout) -> list[tuple[float, float, float, float]]:
    """The areas the name and cell classifiers look at (template px): regions are not proposed there."""
    th = layout.text_height
    if layout.kind == "strike":
        return [name_area(s, th) for s in layout.slots]
    others = all_boxes(layout)
    return [cell_area(b, others) for b in others]


def region_crops(page: np.ndarray, blank: np.ndarray, layout: Layout,
                 where: list[tuple[float, float, Box]]) -> np.ndarray:
    """(windows, 2, *REGION_SHAPE) float32 at ``where`` (``proposals``)."""
    th = layout.text_height
    crops = [pair(page, blank, region_area(cx, cy, th), REGION_SHAPE) for cx, cy, _ in where]
    return np.stack(crops) if crops else np.zeros((0, 2) + REGION_SHAPE, np.float32)
