"""A sticky note or a slip of paper lying on the ballot, found by its paper rather than by the print it hides.

A note lying in a margin hides no print, and a light note on light paper is nearly invisible once the page
is grey; what it is, is a compact, nearly rectangular piece of paper whose colour (or, on a grey scan,
whose grey level) is not the ballot's own paper's, with a sharp step at its edge. Everything is measured
against this page: the ballot's paper colour is the median of the page itself, the noise the spread of the
page's own paper, sizes in the ballot's text heights.

On a low-resolution map of the page in the template frame (cells ``NOTE_CELL_TH`` text heights):

- colour: each cell's chromaticity, (R, G, B) / (R + G + B) — the same under a shadow, and the same for black
  print on that paper (black mixed with paper keeps the paper's hue), so only other colours stand out
  (``chroma_step``);
- grey: each cell's paper level, the page's local white after a closing removes the ink, as a share of the
  page's median paper level (``grey_step``).

``note_regions`` finds the cells that differ from the paper by more than the page's own noise allows, keeps
only solid areas (an opening removes pen strokes and a seal's ring), and measures each region: its sides
in text heights, how much of its minimum-area rectangle it fills (a disc fills pi/4 of it), the step from
the paper inside it and the difference just outside it (a gradient of light has no step at its edge).
``is_note`` applies the thresholds. Measuring is kept apart from deciding.

A white slip on white paper has neither another colour nor, once the page's light is evened, a clear grey
step (its region is wide enough for the light estimate to follow it); what shows is its outline: on the
paper's level (each cell's white, as a share of the page's), its four straight edges. ``outlines`` finds
closed straight-edged outlines among the level's steps, ``is_outline`` keeps those of a note's size, darker
inside, with no printed rule along them (creases are single lines, a fold's two creases a cross, a seal a
ring, a table's or a box's outline its print).
"""
from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from ..records import Box
from . import thresholds as T

# An orthonormal basis of the plane of chromaticities (r + g + b = 1), (1, -1, 0) / sqrt 2 and (1, 1, -2) /
# sqrt 6: distances in it are distances between chromaticities.
_C1, _C2 = 2 ** -0.5, 6 ** -0.5


@dataclasses.dataclass(frozen=True)
class NoteRegion:
    """One compact region whose paper differs from the ballot's (template px and measures)."""
    box: Box             # template px
    short_th: float      # shorter side of its minimum-area rectangle, text heights
    long_th: float       # longer side, text heights
    fill: float          # share of that rectangle the region fills (a rectangle ~1, a disc pi/4)
    corners: float       # share of the rectangle's corners (NOTE_CORNER_SHARE of each side) the region fills,
    #                      the median of the four (a rectangle ~1, a disc ~0.1)
    step: float          # median difference from the paper inside the region, in the page's noise threshold
    ring: float          # median difference just outside it, in the same unit (a note's edge is a step: ~0)
    even: float          # share of the region's cells within half the step of its median (a note is even paper)
    light: float = 1.0   # its median brightness, a share of the paper's (a note is paper; a filled box is ink)


def cell_px(text_height: int) -> int:
    """Side of a map cell, template px: ``NOTE_CELL_TH`` text heights, at least 2."""
    return max(2, int(round(T.NOTE_CELL_TH * text_height)))


def colour_frame(colour: np.ndarray, homography: np.ndarray, grey_shape: tuple[int, int], size: tuple[int, int],
                 cell: int, text_height: int) -> tuple[np.ndarray, np.ndarray]:
    """The reduced colour decode (``colour``, (h, w, 3) BGR uint8, the page at ``grey_shape`` scaled down)
    warped into the template frame of ``size`` (width, height) template px, scaled down to cells of ``cell``
    template px: float32 (H, W, 3) BGR and a bool (H, W) mask of the cells the image covers, away from the
    page's edges (``inner``).
    ``homography`` maps the grey page's px to template px."""
    gh, gw = grey_shape
    ch, cw = colour.shape[:2]
    up = np.diag([gw / cw, gh / ch, 1.0])
    down = np.diag([1.0 / cell, 1.0 / cell, 1.0])
    h = down @ homography @ up
    w_out, h_out = -(-size[0] // cell), -(-size[1] // cell)
    rgb = cv2.warpPerspective(colour.astype(np.float32), h, (w_out, h_out), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    cover = cv2.warpPerspective(np.ones((ch, cw), np.uint8), h, (w_out, h_out), flags=cv2.INTER_NEAREST,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return rgb, (cv2.erode(cover, np.ones((3, 3), np.uint8)) > 0) & inner(cover.shape, cell, text_height)


def is_colour(rgb: np.ndarray, valid: np.ndarray) -> bool:
    """Whether a colour map holds colour at all (a grey scan decoded as colour has R = G = B): the largest
    channel difference reaches ``NOTE_COLOUR_MIN_SPREAD`` (levels of 255) on at least ``NOTE_COLOUR_MIN_SHARE``
    of the ``valid`` cells."""
    n = int(np.count_nonzero(valid))
    if n == 0:
        return False
    spread = rgb.max(axis=2) - rgb.min(axis=2)
    return int(np.count_nonzero(valid & (spread >= T.NOTE_COLOUR_MIN_SPREAD))) >= T.NOTE_COLOUR_MIN_SHARE * n


def chroma_step(rgb: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each cell's chromaticity distance from the page's paper: float32 (H, W), the cells it is measured
    on (bool (H, W): ``valid`` and bright enough, at least ``NOTE_MIN_BRIGHT_SHARE`` of the paper's
    brightness, for a hue to mean something), and each cell's brightness as a share of the paper's
    (float32 (H, W)). The paper is the median of the bright cells: the ballot's own paper, whatever its
    colour."""
    s = rgb.sum(axis=2)
    paper_s = float(np.median(s[valid])) if valid.any() else 0.0
    seen = valid & (s >= T.NOTE_MIN_BRIGHT_SHARE * max(paper_s, 1.0))
    bright = (s / max(paper_s, 1.0)).astype(np.float32)
    if not seen.any():
        return np.zeros(s.shape, np.float32), seen, bright
    b, g, r = cv2.split(rgb / np.maximum(s, 1.0)[..., None])
    c1 = (r - g) * _C1                          # coordinates of the chromaticity in its plane (orthonormal)
    c2 = (r + g - 2 * b) * _C2
    d1, d2 = c1 - float(np.median(c1[seen])), c2 - float(np.median(c2[seen]))
    return np.sqrt(d1 * d1 + d2 * d2).astype(np.float32), seen, bright


def ink_cells(valid: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """bool (H, W): cells on the page too dark to carry a paper's hue (print, pen, a note's own writing)."""
    return valid & ~seen


def paper_light(values: np.ndarray, seen: np.ndarray, per_th: float) -> np.ndarray:
    """The page's own light under each cell: a Gaussian mean ``NOTE_LIGHT_SIGMA_TH`` text heights wide
    (``per_th`` cells a text height) of ``values`` (float32 (H, W)) over the ``seen`` cells, taken again
    ``NOTE_LIGHT_ROUNDS`` times without the cells farther from it than ``NOTE_LIGHT_OUT_TIMES`` times the
    median distance: light uneven as a scanner's or a lamp's, without what lies on the paper. float32 (H, W)."""
    sigma = T.NOTE_LIGHT_SIGMA_TH * per_th
    h, w = values.shape
    f = max(1, int(sigma / 4))                # the mean is smooth: taken on cells f times larger, then spread
    small = (-(-w // f), -(-h // f))
    use = seen.astype(np.float32)
    light = values
    for _ in range(T.NOTE_LIGHT_ROUNDS):
        num = cv2.GaussianBlur(cv2.resize(values * use, small, interpolation=cv2.INTER_AREA), (0, 0), sigma / f)
        den = cv2.GaussianBlur(cv2.resize(use, small, interpolation=cv2.INTER_AREA), (0, 0), sigma / f)
        light = cv2.resize(num / np.maximum(den, 1e-3), (w, h), interpolation=cv2.INTER_LINEAR)
        res = np.abs(values / np.maximum(light, 1.0) - 1.0)
        use = (seen & (res <= T.NOTE_LIGHT_OUT_TIMES * float(np.median(res[seen])))).astype(np.float32)
    return light


def paper_white(page: np.ndarray, cell: int, text_height: int) -> np.ndarray:
    """The white of a grey page (uint8, template frame) in cells of ``cell`` px: the brightest pixel within
    about ``NOTE_INK_CLOSE_TH`` text heights (print and pen removed). float32 (H, W)."""
    h, w = page.shape
    gh, gw = -(-h // cell), -(-w // cell)
    padded = cv2.copyMakeBorder(page, 0, gh * cell - h, 0, gw * cell - w, cv2.BORDER_REPLICATE)
    # each cell's brightest pixel: a dilation anchored at the cell's corner, read a cell apart (3 ms a page)
    brightest = np.ascontiguousarray(cv2.dilate(padded, np.ones((cell, cell), np.uint8), anchor=(0, 0))[::cell, ::cell])
    r = max(1, int(round(T.NOTE_INK_CLOSE_TH * text_height / cell / 2)))
    return cv2.dilate(brightest, np.ones((2 * r + 1, 2 * r + 1), np.uint8)).astype(np.float32)


def darkest(page: np.ndarray, cell: int) -> np.ndarray:
    """Each cell's darkest pixel of a grey page (uint8, template frame), cells of ``cell`` px: float32 (H, W)."""
    h, w = page.shape
    gh, gw = -(-h // cell), -(-w // cell)
    padded = cv2.copyMakeBorder(page, 0, gh * cell - h, 0, gw * cell - w, cv2.BORDER_REPLICATE)
    return np.ascontiguousarray(cv2.erode(padded, np.ones((cell, cell), np.uint8), anchor=(0, 0))[::cell, ::cell]
                                ).astype(np.float32)


def grey_step(page: np.ndarray, cell: int, text_height: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each cell's paper level as a share of the page's own light there, minus 1 (float32, cells of
    ``cell`` template px), from a registered grey page (uint8, template frame): its white (``paper_white``)
    against the page's own light there (``paper_light``). Returns the absolute difference, the cells
    it is measured on (all but a band ``NOTE_EDGE_TH`` wide along the page's edges) and the level itself
    (1: the paper's)."""
    low = paper_white(page, cell, text_height)
    seen = inner(low.shape, cell, text_height)
    light = paper_light(low, seen, text_height / cell)
    level = (low / np.maximum(light, 1.0)).astype(np.float32)
    return np.abs(level - 1.0), seen, level


def inner(shape: tuple[int, int], cell: int, text_height: int) -> np.ndarray:
    """bool (H, W): the cells of a map of ``shape`` at least ``NOTE_EDGE_TH`` text heights from its edges
    (a scanner's bed, the table under a photo, the page's own edge shadow lie there)."""
    e = max(1, int(round(T.NOTE_EDGE_TH * text_height / cell)))
    out = np.zeros(shape, bool)
    out[e:-e, e:-e] = True
    return out


def note_regions(diff: np.ndarray, seen: np.ndarray, ink: np.ndarray, cell: int, text_height: int,
                 floor: float, bright: np.ndarray | None = None) -> list[NoteRegion]:
    """Compact regions of cells whose ``diff`` from the paper passes the page's noise threshold: the larger
    of ``floor`` and ``NOTE_NOISE_TIMES`` times the median ``diff`` of the ``seen`` cells. ``ink`` cells (too
    dark to measure: print, a note's own writing) join the regions around them; an opening ``NOTE_OPEN_TH``
    text heights wide removes strokes and rings; regions at least ``NOTE_MIN_SIDE_TH`` text heights on
    their shorter side are measured (see ``NoteRegion``; ``bright``: each cell's brightness, a share of the
    paper's); ``cell`` template px per map cell."""
    if not seen.any():
        return []
    thr = max(floor, T.NOTE_NOISE_TIMES * float(np.median(diff[seen])))
    over = (seen & (diff > thr)).astype(np.uint8)
    # ink inside a region (its own writing, print under it) does not part it
    grown = cv2.dilate(over, np.ones((3, 3), np.uint8))
    over = over | (ink.astype(np.uint8) & grown)
    per_th = text_height / cell                    # map cells per text height
    k = max(3, int(round(T.NOTE_OPEN_TH * per_th)) | 1)
    solid = cv2.morphologyEx(over, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    out = []
    ring_k = max(3, int(round(T.NOTE_RING_TH * per_th)) * 2 + 1)
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if min(w, h) < T.NOTE_MIN_SIDE_TH * per_th:
            continue
        region = labels == i
        pts = np.column_stack(np.nonzero(region))[:, ::-1].astype(np.float32)
        rect = cv2.minAreaRect(pts)
        rw, rh = rect[1][0] + 1, rect[1][1] + 1
        inside = region & seen
        if not inside.any():
            continue
        ins = diff[inside]
        step = float(np.median(ins))
        around = cv2.dilate(region.astype(np.uint8), np.ones((ring_k, ring_k), np.uint8)).astype(bool) & ~region & seen
        ring = float(np.median(diff[around])) if around.any() else step
        even = float(np.mean(np.abs(ins - step) <= 0.5 * step))
        out.append(NoteRegion(Box(int(x * cell), int(y * cell), int((x + w) * cell), int((y + h) * cell)),
                              min(rw, rh) / per_th, max(rw, rh) / per_th, float(area) / (rw * rh),
                              corner_fill(region, rect),
                              step / thr, ring / thr, even,
                              float(np.median(bright[inside])) if bright is not None else 1.0))
    return out


def corner_fill(region: np.ndarray, rect) -> float:
    """The median over the four corners of ``rect`` (``cv2.minAreaRect`` of ``region``'s cells, grown by half
    a cell) of the share of the corner's parallelogram, ``NOTE_CORNER_SHARE`` of each side, that ``region``
    (bool (H, W)) fills: a note's paper reaches its corners, a disc's does not."""
    (cx, cy), (w, h), a = rect
    pts = cv2.boxPoints(((cx, cy), (w + 1, h + 1), a))
    shares = []
    for i in range(4):
        p, q1, q2 = pts[i], pts[(i + 1) % 4], pts[(i - 1) % 4]
        u, v = (q1 - p) * T.NOTE_CORNER_SHARE, (q2 - p) * T.NOTE_CORNER_SHARE
        patch = np.zeros(region.shape, np.uint8)
        cv2.fillConvexPoly(patch, np.round(np.array([p, p + u, p + u + v, p + v]) - 0.5).astype(np.int32), 1)
        n = int(np.count_nonzero(patch))
        shares.append(np.count_nonzero(region & (patch > 0)) / n if n else 0.0)
    return float(np.median(shares))


def is_note(r: NoteRegion, page_th: tuple[float, float]) -> bool:
    """Whether a region is a note: a piece of paper of a note's size (sides between ``NOTE_MIN_SIDE_TH``
    text heights and ``NOTE_MAX_PAGE_SHARE`` of the page's ``page_th`` (width, height) text heights), nearly
    rectangular (fills at least ``NOTE_MIN_FILL`` of its rectangle and ``NOTE_MIN_CORNERS`` of its corners:
    not a seal's disc), even and clearly
    unlike the paper inside (``NOTE_MIN_STEP``, ``NOTE_MIN_EVEN``) and like it just outside (at most
    ``NOTE_MAX_RING``: a step, not a gradient of light), and as light as paper (``NOTE_MIN_LIGHT``: not a
    box filled with ink)."""
    return (r.short_th >= T.NOTE_MIN_SIDE_TH and r.long_th <= T.NOTE_MAX_PAGE_SHARE * min(page_th)
            and r.fill >= T.NOTE_MIN_FILL and r.corners >= T.NOTE_MIN_CORNERS
            and r.step >= T.NOTE_MIN_STEP and r.even >= T.NOTE_MIN_EVEN
            and r.ring <= T.NOTE_MAX_RING and r.light >= T.NOTE_MIN_LIGHT)


def level_edges(level: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """bool (H, W): the cells of a paper-level map (``grey_step``'s level) where it steps: its gradient (Sobel,
    per cell) at least the larger of ``NOTE_EDGE_FLOOR`` and ``NOTE_EDGE_NOISE_TIMES`` times its median over
    the ``seen`` cells (the page's own grain)."""
    gx = cv2.Sobel(level, cv2.CV_32F, 1, 0, ksize=3) / 8
    gy = cv2.Sobel(level, cv2.CV_32F, 0, 1, ksize=3) / 8
    mag = np.hypot(gx, gy)
    if not seen.any():
        return np.zeros(level.shape, bool)
    thr = max(T.NOTE_EDGE_FLOOR, T.NOTE_EDGE_NOISE_TIMES * float(np.median(mag[seen])))
    return seen & (mag >= thr)


@dataclasses.dataclass(frozen=True)
class Outline:
    """A closed straight-edged outline among a level map's edges (template px and measures)."""
    box: Box             # template px
    short_th: float      # shorter side of its minimum-area rectangle, text heights
    long_th: float       # longer side, text heights
    on_sides: float      # share of its cells within NOTE_OUTLINE_NEAR_CELLS of that rectangle's sides
    cover: float         # share of the rectangle's perimeter its cells run along (all four sides: ~1)
    step: float = 0.0    # the level inside it less the level just outside it (shares of the paper's level)
    printed: float = 0.0  # share of its perimeter's cells holding print (their darkest pixel under NOTE_PRINT_SHARE
    #                      of the paper's level): a table's or a box's printed rules, not a paper's edge


def outlines(edges: np.ndarray, cell: int, text_height: int, level: np.ndarray | None = None,
             dark: np.ndarray | None = None) -> list[Outline]:
    """Pieces of ``edges`` (bool (H, W) map cells of ``cell`` template px) at least ``NOTE_MIN_SIDE_TH`` text
    heights on both sides of their minimum-area rectangle, measured as ``Outline``: how much of the piece lies
    on that rectangle's sides and how much of its perimeter it runs along. A piece of paper lying on the page
    shows as its four sides; a crease is one line, two crossing creases a cross (their cells off the sides of
    their rectangle), a seal a ring (on its rectangle's sides at four points only). With ``level`` (the paper's
    level per cell) and ``dark`` (each cell's darkest pixel, same unit) the step across it and the print on
    its perimeter are measured too."""
    per_th = text_height / cell
    n, labels, stats, _ = cv2.connectedComponentsWithStats(edges.astype(np.uint8), connectivity=8)
    out = []
    near = T.NOTE_OUTLINE_NEAR_CELLS
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if min(w, h) < T.NOTE_MIN_SIDE_TH * per_th * 0.7:
            continue
        pts = np.column_stack(np.nonzero(labels[y:y + h, x:x + w] == i))[:, ::-1].astype(np.float32)
        rect = cv2.minAreaRect(pts)
        rw, rh = rect[1]
        if min(rw, rh) < T.NOTE_MIN_SIDE_TH * per_th:
            continue
        corners = cv2.boxPoints(rect)
        d = np.min([_to_segment(pts, corners[k], corners[(k + 1) % 4]) for k in range(4)], axis=0)
        on = d <= near
        # the perimeter covered: the rectangle's sides sampled a cell apart, each within reach of a cell on it
        perim = np.concatenate([np.linspace(corners[k], corners[(k + 1) % 4], max(2, int(np.hypot(*(
            corners[(k + 1) % 4] - corners[k])))), endpoint=False) for k in range(4)])
        mask = np.zeros((h + 2 * near + 3, w + 2 * near + 3), np.uint8)
        q = np.round(pts[on]).astype(np.int32) + near + 1
        mask[q[:, 1], q[:, 0]] = 1
        mask = cv2.dilate(mask, np.ones((2 * near + 1, 2 * near + 1), np.uint8))
        pq = np.clip(np.round(perim).astype(np.int32) + near + 1, 0, [mask.shape[1] - 1, mask.shape[0] - 1])
        cover = float(mask[pq[:, 1], pq[:, 0]].mean())
        step, printed = 0.0, 0.0
        if level is not None and dark is not None:
            step, printed = _across(((rect[0][0] + x, rect[0][1] + y), rect[1], rect[2]), level, dark, near)
        out.append(Outline(Box(int(x * cell), int(y * cell), int((x + w) * cell), int((y + h) * cell)),
                           min(rw, rh) / per_th, max(rw, rh) / per_th, float(on.mean()), cover, step, printed))
    return out


def _across(rect, level: np.ndarray, dark: np.ndarray, near: int) -> tuple[float, float]:
    """(median ``level`` inside ``rect`` shrunk by 2 ``near`` cells less the median in a band 2 ``near`` wide
    outside it grown by ``near``; share of the cells on its sides whose ``dark`` is under NOTE_PRINT_SHARE)."""
    (cx, cy), (w, h), a = rect
    def filled(dw: float) -> np.ndarray:
        m = np.zeros(level.shape, np.uint8)
        if w + dw > 0 and h + dw > 0:
            cv2.fillConvexPoly(m, np.round(cv2.boxPoints(((cx, cy), (w + dw, h + dw), a))).astype(np.int32), 1)
        return m > 0
    inner_, outer = filled(-4 * near), filled(2 * near)
    ring = filled(6 * near) & ~outer
    sides = filled(2 * near) & ~filled(-2 * near)
    if not inner_.any() or not ring.any() or not sides.any():
        return 0.0, 1.0
    return (float(np.median(level[inner_]) - np.median(level[ring])),
            float(np.mean(dark[sides] < T.NOTE_PRINT_SHARE)))


def _to_segment(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance of points ``p`` (N, 2) to the segment from ``a`` to ``b``."""
    ab = b - a
    t = np.clip(((p - a) @ ab) / max(float(ab @ ab), 1e-6), 0, 1)
    return np.hypot(*(p - (a + t[:, None] * ab)).T)


def is_outline(o: Outline, page_th: tuple[float, float]) -> bool:
    """Whether an outline is a piece of paper lying on the page: a note's size (as ``is_note``), its cells on
    its rectangle's sides (``NOTE_OUTLINE_MIN_ON_SIDES``) and running along nearly all its perimeter
    (``NOTE_OUTLINE_MIN_COVER``: four sides, not a page's corner or a fold's two lines), darker inside than
    just outside (``NOTE_OUTLINE_MIN_STEP``: as on a grey page, a note's paper scans darker; a lighter patch is
    where print dims the white around it) and no printed rule along it (``NOTE_OUTLINE_MAX_PRINTED``: a table's
    or a box's outline is the blank's)."""
    return (o.short_th >= T.NOTE_MIN_SIDE_TH and o.long_th <= T.NOTE_MAX_PAGE_SHARE * min(page_th)
            and o.on_sides >= T.NOTE_OUTLINE_MIN_ON_SIDES and o.cover >= T.NOTE_OUTLINE_MIN_COVER
            and o.step <= -T.NOTE_OUTLINE_MIN_STEP and o.printed <= T.NOTE_OUTLINE_MAX_PRINTED)


def find_note(page: np.ndarray, text_height: int, colour: np.ndarray | None = None,
              homography: np.ndarray | None = None, grey_shape: tuple[int, int] | None = None,
              boxes: tuple[Box, ...] = ()) -> tuple[NoteRegion | None, str]:
    """The most unlike-paper note-shaped region on a registered page (uint8 grey, template frame), and how
    it was looked for ("colour", "grey"): on ``colour`` (the reduced colour decode, BGR, of the grey image
    of ``grey_shape`` that ``homography`` maps into the template frame) when it holds colour, else on the
    grey page itself, where only a region darker than the paper counts (a note's paper, coloured or
    greyer, scans darker; a lighter patch is where the page's print dims the white around it). Else a piece of
    paper's outline (``outlines``, ``is_outline``) on the paper's level: kind "outline", the region's ``fill``
    and ``corners`` its outline's ``on_sides`` and ``cover`` (a white slip on white paper; 3-6 ms a colour page,
    less on a grey one, whose level is at hand). (None, kind) when no region is a note (``is_note``); a region
    at one of the ballot's printed mark ``boxes`` (template px, grown by ``NOTE_BOX_GROW_TH`` text heights) and at most
    ``NOTE_BOX_AREA_TIMES`` its size is the voter's mark filling it (the mark's reader judges it), not a note."""
    cell = cell_px(text_height)
    h, w = page.shape
    kind = "grey"
    if colour is not None and homography is not None and grey_shape is not None:
        rgb, valid = colour_frame(colour, homography, grey_shape, (w, h), cell, text_height)
        if is_colour(rgb, valid):
            kind = "colour"
            diff, seen, bright = chroma_step(rgb, valid)
            regions = note_regions(diff, seen, ink_cells(valid, seen), cell, text_height, T.NOTE_CHROMA_FLOOR, bright)
    if kind == "grey":
        diff, seen, level = grey_step(page, cell, text_height)
        regions = note_regions(diff, seen, np.zeros_like(seen), cell, text_height, T.NOTE_GREY_FLOOR, level)
    page_th = (w / text_height, h / text_height)
    g = int(T.NOTE_BOX_GROW_TH * text_height)
    grown = [b.grow(g, g) for b in boxes]
    notes = [r for r in regions if is_note(r, page_th) and not any(_at_box(r.box, b) for b in grown)
             and (kind == "colour" or r.light < 1.0)]
    if notes:
        return max(notes, key=lambda r: r.step), kind
    # A white slip on white paper: no colour, barely a grey step inside — but its four straight edges.
    if kind == "colour":     # its edges need no light evened: the page's light changes slowly
        low = paper_white(page, cell, text_height)
        seen = inner(low.shape, cell, text_height)
        level = low / max(float(np.median(low[seen])), 1.0)
    dark = darkest(page, cell) / max(float(np.median(paper_white(page, cell, text_height)[seen])), 1.0)
    found = [o for o in outlines(level_edges(level, seen), cell, text_height, level, dark)
             if is_outline(o, page_th) and not any(_at_box(o.box, b) for b in grown)]
    if found:
        o = max(found, key=lambda o: o.cover)
        return NoteRegion(o.box, o.short_th, o.long_th, o.on_sides, o.cover, 0.0, 0.0, 1.0), "outline"
    return None, kind


def _at_box(a: Box, box: Box) -> bool:
    """Whether region ``a`` lies at a (grown) mark box and is no more than ``NOTE_BOX_AREA_TIMES`` its size."""
    def area(b: Box) -> int:
        return max(0, b.x1 - b.x0) * max(0, b.y1 - b.y0)
    return a.intersects(box) and area(a) <= T.NOTE_BOX_AREA_TIMES * area(box)


def note_evidence(r: NoteRegion, kind: str) -> dict[str, float]:
    """A note's measures for a page's evidence (numbers only); found by its outline (``outlines``), its
    ``fill`` and ``corners`` are the outline's ``on_sides`` and ``cover``."""
    return {"note_colour": 1.0 if kind == "colour" else 0.0, "note_outline": 1.0 if kind == "outline" else 0.0,
            "note_step": round(r.step, 2), "note_ring": round(r.ring, 2),
            "note_fill": round(r.fill, 2), "note_side_th": round(r.short_th, 1)}
