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
from .pen import Blob, Pen, blob_in, longest_piece
from .strike import strike_evidence
from .zones import box_core, box_inside, box_ring, contains


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


def _row_levels(vals: np.ndarray, ok: np.ndarray, share: float) -> np.ndarray:
    """Per row of ``vals`` (float32 (n, m)), the level its ``ok`` (bool (n, m)) values reach along
    ``share`` of them (the (1 - share) quantile, the lower value); NaN for a row with fewer than half its
    values ok."""
    n, m = vals.shape
    if n == 0 or m == 0:
        return np.full(n, np.nan, np.float32)
    srt = np.sort(np.where(ok, vals, np.inf), axis=1)          # the values not ok last
    k = ok.sum(axis=1)
    at = np.floor((1.0 - share) * np.maximum(k - 1, 0)).astype(int)
    return np.where(k * 2 >= m, srt[np.arange(n), at], np.nan).astype(np.float32)


def crease_rows(add: np.ndarray, seen: np.ndarray, area: Box, box: Box, text_h: int,
                held: np.ndarray | None = None, trace_ink: float = T.BOX_TRACE_INK) -> np.ndarray:
    """Where, within ``area``, a crease, a fold's shade or a scanner streak runs across a printed box as a
    (nearly) level line of added ink: bool (area.h, area.w).

    Such a line runs on beyond both sides of the box, ``BOX_CREASE_BEYOND_TH`` far (further than a voter's
    mark spills, and without a gap: the marks in the boxes above and below one upright line runs through
    lie apart, with paper between); it is followed as far off level as creases and streaks run once the page
    is registered (``LINE_ARTIFACT_MAX_SLOPE_RATIO``), 2 px at a time at the far ends. Along
    ``BOX_CREASE_ALONG_SHARE`` of what is seen of each side, its darkest pixel with the rows just above and
    below must be at least ``BOX_TRACE_INK`` / 2 dark (a faint trace's pixels) and as much darker than along the lines
    ``BOX_CREASE_RIDGE_TH`` above and below (a line, not a shade or a filled box). A voter's mark stays
    within the box and its ring. ``add`` float32 (h, w), ``seen`` bool (h, w): where a line could be seen
    (not under print); ``held`` bool (area.h, area.w): the ink that is to be read there (None: all of
    ``add`` at least that dark) — only lines through it are looked for."""
    h, w = add.shape
    out = np.zeros((max(0, area.h), max(0, area.w)), bool)
    far = int(T.BOX_CREASE_BEYOND_TH * text_h)
    d = max(2, int(round(T.BOX_CREASE_RIDGE_TH * text_h)))
    xl = np.arange(max(0, box.x0 - far), max(0, box.x0), 2)    # every other column is enough
    xr = np.arange(min(w, box.x1), min(w, box.x1 + far), 2)
    if out.size == 0 or far <= 0 or min(xl.size, xr.size) < far // 4:
        return out                                      # the page ends: nothing to follow the line on
    cx = (box.x0 + box.x1 - 1) / 2
    reach = max(cx - xl[0], xr[-1] - cx)
    drift = int(np.ceil(T.LINE_ARTIFACT_MAX_SLOPE_RATIO * reach))
    top = np.concatenate([add[:1], add[:-1]])
    bottom = np.concatenate([add[1:], add[-1:]])
    dark = np.maximum(np.maximum(top, add), bottom)      # a line a pixel off its course stays on it
    step = trace_ink / 2
    # Only lines through rows of the area that hold such ink matter (a line's course drifts across it).
    if held is None:
        held = add[area.slices()] >= step
    rows = np.flatnonzero(held.any(axis=1)) + area.y0
    if rows.size == 0:
        return out
    spread = int(np.ceil(T.LINE_ARTIFACT_MAX_SLOPE_RATIO * max(abs(area.x0 - cx), abs(area.x1 - cx)))) + 1
    ys = np.unique((rows[:, None] + np.arange(-spread, spread + 1)[None, :]).ravel())
    ys = ys[(ys >= area.y0) & (ys < area.y1)]           # where the line crosses the box's middle
    every = np.concatenate([ys - d, ys, ys + d])         # ... and the lines beside it
    xa = np.arange(area.x0, area.x1)
    for k in np.arange(-drift, drift + 1, 2) / reach:   # 2 px apart at the far ends: 1 px off at most
        levels = []
        for xs in (xl, xr):
            yy = every[:, None] + np.round(k * (xs - cx)).astype(int)[None, :]
            inside = (yy >= 0) & (yy < h)
            yc = np.clip(yy, 0, h - 1)
            levels.append(_row_levels(dark[yc, xs[None, :]], seen[yc, xs[None, :]] & inside, T.BOX_CREASE_ALONG_SHARE))
        up, lvl, down = np.split(np.minimum(*levels), 3)   # NaN (not seen) on either side: no line
        with np.errstate(invalid="ignore"):
            line = (lvl >= step) & (lvl - np.fmax(up, down) >= step)
        for y in ys[line]:
            for dy in (-1, 0, 1):                      # measured with the rows beside it: those too
                yy = y + dy + np.round(k * (xa - cx)).astype(int) - area.y0
                ok = (yy >= 0) & (yy < area.h)
                out[yy[ok], xa[ok] - area.x0] = True
    return out


def _may_cross(add: np.ndarray, hidden: np.ndarray | None, box: Box, ring_box: Box,
               trace_ink: float = T.BOX_TRACE_INK) -> bool:
    """Whether a line (``crease_rows``) could cross ``box``: a row (a column) whose ink, at its darkest
    within the drift a crease may have (``LINE_ARTIFACT_MAX_SLOPE_RATIO``), is at least ``BOX_TRACE_INK``
    / 2 along half of what is seen of the ring both left and right of the box (above and below), a
    quarter of it at least seen (the box's printed border takes up much of the ring)."""
    a = add[ring_box.slices()]
    seen = np.ones(a.shape, bool) if hidden is None else ~hidden[ring_box.slices()]
    b = Box(box.x0 - ring_box.x0, box.y0 - ring_box.y0, box.x1 - ring_box.x0, box.y1 - ring_box.y0)
    for a_, s_, (p0, p1), (q0, q1) in ((a, seen, (b.y0, b.y1), (b.x0, b.x1)),
                                       (a.T, seen.T, (b.x0, b.x1), (b.y0, b.y1))):
        k = 2 * int(np.ceil(T.LINE_ARTIFACT_MAX_SLOPE_RATIO * a_.shape[1])) + 1
        dark = cv2.dilate((a_ >= trace_ink / 2).view(np.uint8), np.ones((k, 1), np.uint8)) > 0
        rows = slice(max(0, p0), max(0, p1))               # the lines through the box
        both = np.ones(rows.stop - rows.start, bool)
        for sl in (slice(0, max(0, q0)), slice(q1, a_.shape[1])):
            n = s_[rows, sl].sum(axis=1)
            width = sl.stop - sl.start
            both &= (width > 0) & (n * 4 >= width) & ((dark[rows, sl] & s_[rows, sl]).sum(axis=1) * 2 >= n)
        if both.any():
            return True
    return False


def crease_lines(add: np.ndarray, hidden: np.ndarray | None, area: Box, box: Box, text_h: int,
                 held: np.ndarray | None = None, trace_ink: float = T.BOX_TRACE_INK) -> np.ndarray:
    """Where a crease or a streak crosses ``box`` within ``area`` (a box's inside or its ring): bool
    (area.h, area.w), the lines ``crease_rows`` finds nearly level and nearly upright. ``hidden`` bool
    (h, w) where print would hide a line (None: nowhere); ``held`` bool (area.h, area.w): the ink to be
    read there (``crease_rows``). The line is followed through other boxes too
    (a table's cells lie side by side, a list's boxes one above the other): a voter's marks there are no
    line along most of it on both sides, nor darker than the lines beside it."""
    h, w = add.shape
    far = int(T.BOX_CREASE_BEYOND_TH * text_h) + int(round(T.BOX_CREASE_RIDGE_TH * text_h)) + 2
    win = Box(min(area.x0, box.x0) - far, min(area.y0, box.y0) - far,
              max(area.x1, box.x1) + far, max(area.y1, box.y1) + far).clip(w, h)   # all that is looked at
    a = add[win.slices()]
    seen = np.ones(a.shape, bool) if hidden is None else ~hidden[win.slices()]
    b = Box(box.x0 - win.x0, box.y0 - win.y0, box.x1 - win.x0, box.y1 - win.y0)
    ar = Box(area.x0 - win.x0, area.y0 - win.y0, area.x1 - win.x0, area.y1 - win.y0)
    rows = crease_rows(a, seen, ar, b, text_h, held, trace_ink)
    cols = crease_rows(a.T, seen.T, Box(ar.y0, ar.x0, ar.y1, ar.x1), Box(b.y0, b.x0, b.y1, b.x1), text_h,
                       None if held is None else held.T, trace_ink)
    return rows | cols.T


def stroked(ink: np.ndarray, along: np.ndarray, level: float) -> np.ndarray:
    """Pixels of a stroke at least ``level`` dark: its ink averaged along the stroke (``along``, ``line_ink``)
    reaches ``level`` and the pixel itself half of it (the average reaches beside a stroke; those pixels are
    paper). ``ink``, ``along`` float32 (h, w); bool (h, w)."""
    return (along >= level) & (ink >= level / 2)


def _pen_inside(inside: Box, mask: np.ndarray, add: np.ndarray, on_lines: np.ndarray | None = None,
                crease: np.ndarray | None = None, trace_ink: float = T.BOX_TRACE_INK
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pen inside a box: (pen pixels, pixels of at least faint ink, pixels of a thin trace above the
    page's noise), three bool arrays over ``inside``.

    Ticks and crosses are steep strokes that the pen mask (ink averaged along x) may miss, and inside a
    box there is only paper: there added ink averaged along the stroke's own direction (``line_ink``)
    counts, pen from ``BOX_PIXEL_INK``, a faint trace from ``BOX_TRACE_INK`` — on pixels themselves at
    least half that dark (the average reaches beside a stroke; those pixels are paper). On a quiet page
    a lighter stroke is seen too: its thin ink (``thin_ink``) from ``trace_ink`` (``trace_level``; none
    when it is ``BOX_TRACE_INK``). On the strip of
    a crease or a streak found across the page (``on_lines``, uint8 (h, w)) only pen as dark as
    ``LINE_ARTIFACT_KEEP_INK`` counts, as in the pen mask, and no faint trace: the fold's own line; so on a
    crease or a streak too faint or broken to be found across the page that crosses the box (``crease``,
    bool over ``inside``: ``crease_lines``); the thin trace keeps off their lighter fringe too, as wide as a
    thin stroke (``_thin_px``). Faint and thin traces that are a line one pixel across along a row or a column
    (``axis_lines``) are left out: the ringing of a JPEG and the ghosts of print run so along the box's border."""
    own = add[inside.slices()]
    soft = line_ink(own)
    pen = stroked(own, soft, T.BOX_PIXEL_INK)
    faint = stroked(own, soft, T.BOX_TRACE_INK)
    weak = np.zeros_like(faint)
    fringe = np.ones((_thin_px(own.shape),) * 2, np.uint8)   # a line's lighter fringe lies within a thin stroke's width
    if trace_ink < T.BOX_TRACE_INK:
        thin = thin_ink(own)
        weak = stroked(thin, line_ink(thin), trace_ink)
    if on_lines is not None:
        fold = on_lines[inside.slices()] > 0
        pen &= ~fold | (own >= T.LINE_ARTIFACT_KEEP_INK)
        faint &= ~fold
        weak &= cv2.dilate(fold.view(np.uint8), fringe) == 0
    pen = (mask[inside.slices()] > 0) | pen
    near = max(T.MIN_BOX_INSET_PX, int(T.BOX_INSET_SHARE * min(own.shape)))
    edge = border_ghost(pen | faint | weak | (own >= T.BOX_TRACE_INK / 2), near, own)
    if crease is not None:
        pen &= ~crease | (own >= T.LINE_ARTIFACT_KEEP_INK)
        faint &= ~crease
        weak &= cv2.dilate(crease.view(np.uint8), fringe) == 0
    faint &= ~edge
    weak = (weak | faint) & ~edge
    return pen & ~edge, faint & ~axis_lines(faint), weak & ~axis_lines(weak)


def axis_lines(on: np.ndarray) -> np.ndarray:
    """The thin lines of ``on`` (bool (h, w), a box's inside) that run along its edges: within
    ``BOX_AXIS_LINE_NEAR_SHARE`` of the inside's shorter side of its top or bottom (left or right) edge, the
    rows (columns) ``on`` covers along ``BOX_EDGE_LINE_SHARE`` of them, and the pieces (8-connected) there that
    are at most ``BOX_AXIS_LINE_ACROSS_PX`` across and at least ``BOX_AXIS_LINE_MIN_PX`` and
    ``BOX_AXIS_LINE_RATIO`` times that long along a row (a column). The ringing a JPEG leaves beside a printed
    border and the ghost of a border's edge (a box a few px off, a bolder print) lie so; a voter's faint stroke
    slants, is wider or lies away from the border. bool (h, w)."""
    out = np.zeros(on.shape, bool)
    if not on.any():
        return out
    h, w = on.shape
    near = int(np.ceil(T.BOX_AXIS_LINE_NEAR_SHARE * min(h, w)))
    edge_rows = np.zeros(h, bool)
    edge_rows[:near] = edge_rows[h - near:] = True
    edge_cols = np.zeros(w, bool)
    edge_cols[:near] = edge_cols[w - near:] = True
    out[edge_rows & (on.mean(axis=1) >= T.BOX_EDGE_LINE_SHARE), :] = True
    out[:, edge_cols & (on.mean(axis=0) >= T.BOX_EDGE_LINE_SHARE)] = True
    rest = on & ~out
    if not rest.any():
        return out & on
    n, labels, stats, _ = cv2.connectedComponentsWithStats(rest.view(np.uint8), connectivity=8)
    x0, y0 = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    ww, hh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]

    def thin(across, along):
        return (across <= T.BOX_AXIS_LINE_ACROSS_PX) & (along >= np.maximum(T.BOX_AXIS_LINE_MIN_PX,
                                                                           T.BOX_AXIS_LINE_RATIO * across))
    upright = thin(ww, hh) & ((x0 < near) | (x0 + ww > w - near))
    level = thin(hh, ww) & ((y0 < near) | (y0 + hh > h - near))
    line = upright | level
    line[0] = False
    return (out | line[labels]) & on


def _thin_px(shape: tuple[int, ...]) -> int:
    """How wide a stroke in a box's inside of ``shape`` is thin (``BOX_THIN_SHARE`` of its shorter side), px:
    odd, at least 3."""
    return max(3, int(T.BOX_THIN_SHARE * min(shape)) | 1)


def thin_ink(ink: np.ndarray) -> np.ndarray:
    """Added ink (float32 (h, w), a box's inside) less its opening by a square ``BOX_THIN_SHARE`` of the
    shorter side wide (odd, at least 3 px): what is left are strokes thinner than that; a flat shade, the
    blocks of a JPEG and the grain of a dithered scan spread wider go. float32 (h, w)."""
    if ink.size == 0:
        return ink.copy()
    k = _thin_px(ink.shape)
    return ink - cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((k, k), np.uint8), borderType=cv2.BORDER_REPLICATE)


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


def ring_ghost(on: np.ndarray, box: Box) -> np.ndarray:
    """The ghosts of a box's printed border, or of a rule beside it, in the ring around it: of ``on`` (bool
    (h, w), pen around the box), every row above or below ``box`` (its place in ``on``) that pen covers over
    ``BOX_BORDER_GHOST_SHARE`` of the box's width and every column left or right of it covering as much of its
    height, with the rows (columns) next to them that pen covers over 1 - ``BOX_BORDER_GHOST_SHARE`` (their
    lighter fringe), all of it no thicker than the border is printed (``BOX_INSET_SHARE`` of the box's side) and
    a pixel of fringe each side, and within the ring. Where a page lies a few px off the blank there (the far side of
    a skewed page), the border and the table's rules are ink the blank has not there: a thin straight line along
    the box from edge to edge; a voter's mark beside a box is no such line, nor is a filled area (a seal, a
    patch) over it. bool (h, w)."""
    h, w = on.shape
    out = np.zeros_like(on, dtype=bool)
    if h == 0 or w == 0 or box.w <= 0 or box.h <= 0:
        return out
    thick = max(T.MIN_BOX_INSET_PX, int(T.BOX_INSET_SHARE * min(box.w, box.h)))
    found = []
    for cover, lo, hi in ((on[:, max(0, box.x0):max(0, box.x1)].mean(axis=1), box.y0, box.y1),
                          (on[max(0, box.y0):max(0, box.y1), :].mean(axis=0), box.x0, box.x1)):
        lines = cover >= T.BOX_BORDER_GHOST_SHARE
        band = cover >= 1 - T.BOX_BORDER_GHOST_SHARE               # the line with its fringe, or an area
        lines[max(0, lo):max(0, hi)] = band[max(0, lo):max(0, hi)] = False   # the box is read on its own
        n, runs = cv2.connectedComponents(band.astype(np.uint8)[:, None], connectivity=4)
        keep = np.zeros_like(lines)
        for k in range(1, n):
            at = np.flatnonzero(runs[:, 0] == k)
            if at.size <= thick + 2 and at[0] > 0 and at[-1] < cover.size - 1 and lines[at].any():
                keep[at] = True                                    # thin, and seen whole within the ring
        found.append(keep)
    out[found[0], :] = True
    out[:, found[1]] = True
    return out & on


def box_evidence(box: Box, mask: np.ndarray, add: np.ndarray, text_h: int, others: tuple[Box, ...] = (),
                 hidden: np.ndarray | None = None, on_lines: np.ndarray | None = None,
                 trace_ink: float = T.BOX_TRACE_INK) -> dict[str, float]:
    """Pen ink in and around a printed box, in pixels over min(its inside, th²) — so that a cross counts
    the same in a small square and in a wide table cell: ``fill`` (pen inside, ``_pen_inside``), ``trace`` (the
    longest side of a connected piece of faint ink inside, over the inside's shorter side: a mark too light to be
    pen), ``light`` (the same of faint ink and of thin ink from ``trace_ink``, the page's ``trace_level``: a stroke
    lighter still, above the page's own noise), ``reach`` (the same of a piece of pen: a thin stroke across the box
    holds few pixels), ``around`` (pen strokes in the ring around the box, ``zones.box_ring``, outside every box;
    beyond its printed border when the box is filled), ``spill`` (pen around over pen inside), ``ink`` (the mark's
    darkness: ``BOX_INK_PERCENTILE`` of the added ink on its pixels) and ``box`` (where the pen lies: [x0, y0, x1,
    y1] px from the inside's corner, [] when empty). ``mask`` uint8 0/1 (h, w), ``add`` float32 added ink (h, w);
    ``others``: the neighbouring boxes, whose ink is not "around" this one; ``hidden`` bool (h, w): where print
    would hide a stroke; ``on_lines`` uint8 (h, w): the strips of the creases and streaks found
    (``Pen.on_lines``). Around the box, pen is the pen mask's, and steep strokes (``line_ink`` along the
    diagonals) clear of print. Inside and around, a crease or a streak that crosses the box (``crease_lines``)
    is not the voter's, nor the lighter fringe along it."""
    h, w = mask.shape
    inside = box_inside(box, w, h)
    ring_box = box_ring(box).clip(w, h)
    ev, held = _box_measures(box, inside, ring_box, mask, add, text_h, others, hidden, on_lines, None, trace_ink)
    state, _ = box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"], ev["around"], ev["light"])
    clear = ev["fill"] >= T.BOX_CLEAR_MARK_MIN_FILL and ev["ink"] >= T.LINE_ARTIFACT_KEEP_INK
    if state == UNCLEAR or (state == MARKED and not clear and _may_cross(add, hidden, box, ring_box, trace_ink)):
        # A crease or a streak may cross the box. Leaving it out only takes ink away: an empty box stays
        # empty, and a mark full and darker than creases are a mark; another is looked at again when a
        # line could run through its ring on both sides.
        crease = crease_lines(add, hidden, ring_box, box, text_h, held, trace_ink)
        if crease.any():
            ev, _ = _box_measures(box, inside, ring_box, mask, add, text_h, others, hidden, on_lines, crease,
                                  trace_ink)
    return ev


def _box_measures(box: Box, inside: Box, ring_box: Box, mask: np.ndarray, add: np.ndarray, text_h: int,
                  others: tuple[Box, ...], hidden: np.ndarray | None, on_lines: np.ndarray | None,
                  crease: np.ndarray | None, trace_ink: float = T.BOX_TRACE_INK) -> tuple[dict, np.ndarray]:
    """``box_evidence``'s measures, ``crease`` (bool over ``ring_box``) left out, and the ink they counted
    (bool over ``ring_box``: pen and faint traces inside, pen around)."""
    ins, faint, weak = _pen_inside(inside, mask, add, on_lines,
                             None if crease is None else
                             crease[inside.y0 - ring_box.y0:inside.y1 - ring_box.y0,
                                    inside.x0 - ring_box.x0:inside.x1 - ring_box.x0], trace_ink)
    side = max(1, min(inside.w, inside.h))
    trace, reach = longest_piece(faint) / side, longest_piece(ins) / side
    light = longest_piece(weak) / side
    ring = mask[ring_box.slices()].astype(bool)
    if hidden is not None and ring_box.w > 0 and ring_box.h > 0:
        if ins.size and ins.mean() >= T.BOX_FILLED_SHARE:
            ring &= ~hidden[ring_box.slices()]   # a filled box: the pen mask is bridged along its border
        clear = cv2.dilate(hidden[ring_box.slices()].view(np.uint8), np.ones((3, 3), np.uint8)) == 0
        own = add[ring_box.slices()]
        ring |= clear & stroked(own, line_ink(own, diagonal_only=True), T.BOX_PIXEL_INK)
    if crease is not None:
        ring &= ~crease
    ring &= ~ring_ghost(ring, Box(box.x0 - ring_box.x0, box.y0 - ring_box.y0,
                                  box.x1 - ring_box.x0, box.y1 - ring_box.y0))
    for o in (box,) + tuple(others):  # the box itself and the neighbouring boxes are not "around"
        ring[
            max(0, o.y0 - ring_box.y0) : max(0, o.y1 - ring_box.y0),
            max(0, o.x0 - ring_box.x0) : max(0, o.x1 - ring_box.x0),
        ] = False
    ring_total = int(ring.sum())
    held = ring.copy()
    held[inside.y0 - ring_box.y0:inside.y1 - ring_box.y0,
         inside.x0 - ring_box.x0:inside.x1 - ring_box.x0] |= ins | weak
    unit = max(1, min(ins.size, text_h * text_h))
    inside_px = int(ins.sum())
    vals = add[inside.slices()][ins]
    ys, xs = np.nonzero(ins)
    return {"fill": round(inside_px / unit, 3), "trace": round(trace, 3), "light": round(light, 3),
            "reach": round(reach, 3),
            "around": round(ring_total / unit, 3),
            "spill": round(ring_total / inside_px, 3) if inside_px else float(ring_total > 0),
            "ink": round(float(np.percentile(vals, T.BOX_INK_PERCENTILE)) if vals.size else 0.0, 3),
            # where the pen lies in the box, px from its inside's corner (the sheet's fingerprint)
            "box": [int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())] if xs.size else []}, held


def box_noise(pen: Pen, boxes: tuple[Box, ...], text_h: int) -> float | None:
    """The page's own noise in its printed boxes (the grain of its paper, its JPEG, a scan's dither, ghosts of
    the borders), in added ink: over the boxes without pen (less than ``BOX_EMPTY_MAX_FILL`` of pen inside,
    as ``box_evidence`` counts it before creases are looked for), the median of each one's
    ``BOX_NOISE_PERCENTILE`` of the ``line_ink`` of its ``thin_ink`` where print would not hide a stroke, off the
    strips of the creases and streaks found across the page (``Pen.on_lines``, grown by a thin stroke's width as
    ``_pen_inside`` leaves out their fringe: a streak down the column of boxes is not their grain). None with
    fewer than
    ``BOX_NOISE_MIN_BOXES`` such boxes (a page marked in nearly every box). 1-2 ms a page's boxes, up to 50 ms
    on wide yes/no cells at 300 dpi: measured once a page (``page_levels``)."""
    h, w = pen.mask.shape
    levels = []
    for box in boxes:
        inside = box_inside(box, w, h)
        if inside.w <= 0 or inside.h <= 0:
            continue
        own = pen.add[inside.slices()]
        soft = line_ink(own)
        ink = (pen.mask[inside.slices()] > 0) | stroked(own, soft, T.BOX_PIXEL_INK)
        if ink.sum() / max(1, min(ink.size, text_h * text_h)) >= T.BOX_EMPTY_MAX_FILL:
            continue
        seen = ~pen.hidden[inside.slices()]
        if pen.on_lines is not None:     # a crease's or a streak's strip and its fringe are no grain of the paper
            fold = (pen.on_lines[inside.slices()] > 0).view(np.uint8)
            seen &= cv2.dilate(fold, np.ones((_thin_px(own.shape),) * 2, np.uint8)) == 0
        if seen.any():
            levels.append(float(np.percentile(line_ink(thin_ink(own))[seen], T.BOX_NOISE_PERCENTILE)))
    return float(np.median(levels)) if len(levels) >= T.BOX_NOISE_MIN_BOXES else None


def trace_level(noise: float | None) -> float:
    """The added ink from which a box holds a faint trace, on a page whose boxes' noise is ``noise``
    (``box_noise``): ``BOX_TRACE_INK``, or down to ``BOX_TRACE_NOISE_RATIO`` times the noise on a quiet page, no
    lower than ``BOX_TRACE_MIN_INK``."""
    if noise is None:
        return T.BOX_TRACE_INK
    return float(min(T.BOX_TRACE_INK, max(T.BOX_TRACE_MIN_INK, T.BOX_TRACE_NOISE_RATIO * noise)))


def page_levels(pen: Pen, slots: tuple[Slot, ...], text_h: int) -> tuple[float, float]:
    """(``trace_level``, noise) of the page's ``box_noise`` over every name's boxes (noise 0.0 when unknown): measured
    once a page."""
    noise = box_noise(pen, tuple(b for s in slots for b in s.boxes), text_h)
    return trace_level(noise), (0.0 if noise is None else noise)


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
            inside = box_inside(box, w, h)
            if not b.box.intersects(inside):
                fills.append(0.0)
                continue
            own = (pen.labels[inside.slices()] == b.label) & (pen.mask[inside.slices()] > 0)
            fills.append(int(own.sum()) / max(1, min(own.size, text_h * text_h)))
        best = max(best, sorted(fills)[-2])
    return round(best, 3)


def meet(boxes: tuple[Box, ...], cells: list[dict], w: int, h: int) -> float:
    """How far one mark lies across the rule between two cells side by side (a table's: at most a
    border's width apart): the pen of the left one reaches its inside's right edge,
    the pen of the right one its left edge (an X on the rule, whose middle the rule hides: two pieces,
    one in each cell), over a share of their rows. Returns the largest such share over the row's pairs
    of cells: the rows both pens span over the fewer rows of the two (0 when none meet). ``cells``: the
    ``box_evidence`` of each of ``boxes``; ``w``, ``h`` the page's size."""
    best = 0.0
    for (a, ea), (b, eb) in zip(zip(boxes, cells), zip(boxes[1:], cells[1:])):
        ia, ib = box_inside(a, w, h), box_inside(b, w, h)
        if not ea["box"] or not eb["box"] or b.x0 - a.x1 > max(a.x1 - ia.x1, ib.x0 - b.x0):
            continue                               # apart by more than a border: no rule between them
        (_, ay0, ax1, ay1), (bx0, by0, _, by1) = ea["box"], eb["box"]
        if ax1 < ia.w - 2 or bx0 > 1:              # apart from the rule between them
            continue
        top, bottom = max(ay0 + ia.y0, by0 + ib.y0), min(ay1 + ia.y0, by1 + ib.y0)
        best = max(best, max(0, bottom - top + 1) / (min(ay1 - ay0, by1 - by0) + 1))
    return round(best, 3)


def _hidden_band(hidden: np.ndarray) -> int:
    """How thick print lies across a column band (bool (h, w), where print would hide a stroke): the median
    over the columns of each one's longest run of hidden pixels, px."""
    if hidden.size == 0:
        return 0
    h = hidden.astype(np.int32)
    run = np.zeros(h.shape[1], np.int32)
    best = np.zeros(h.shape[1], np.int32)
    for r in h:                                    # a running count per column, reset on paper
        run = (run + 1) * r
        best = np.maximum(best, run)
    return int(np.median(best))


def stroke_between(upper: Box, lower: Box, mask: np.ndarray, add: np.ndarray, hidden: np.ndarray | None,
                   on_lines: np.ndarray | None = None) -> int:
    """How far one pen stroke runs from a box into the box below it (or back): the rows of paper seen
    between the two boxes (``upper``'s bottom, ``lower``'s top: the printed borders and any rule between
    them) that a piece of pen joining the inside of one box to the inside of the other crosses; 0 when no
    piece joins them. ``upper``, ``lower``: printed boxes (their holes) one above the other; ``mask`` uint8
    (h, w), ``add`` float32 (h, w), ``hidden`` bool (h, w) (None: nowhere), ``on_lines`` uint8 (h, w) as in
    ``box_evidence``.

    Pen here is the pen mask's and steep strokes (``line_ink``, as inside a box: from ``BOX_PIXEL_INK``);
    the fainter ink of a stroke (from ``BOX_TRACE_INK``, its ends, where it fades against the print)
    joins pen into one piece but only pen counts as seen between the boxes. Both are taken where print would
    not hide them, off a crease's or a streak's strip (pen as dark as ``LINE_ARTIFACT_KEEP_INK`` stays) and
    off the ghosts of rules (a row or a column of the window inked along ``BOX_BORDER_GHOST_SHARE`` of it).
    Print hides a stroke where it crosses a border or a rule: ink is joined across hidden pixels as far as
    half the print there is thick (``_hidden_band``) from each side. The rows counted are seen (not
    hidden) and outside both holes, so a piece only bridged across print, with no pen seen between the
    boxes, counts 0 (two marks each touching its own border)."""
    h, w = mask.shape
    m = max(T.MIN_BOX_INSET_PX, int(T.BOX_INSET_SHARE * min(upper.w, upper.h, lower.w, lower.h)))
    win = Box(min(upper.x0, lower.x0) - m, upper.y0, max(upper.x1, lower.x1) + m, lower.y1).clip(w, h)
    if win.w <= 0 or win.h <= 0 or lower.y0 <= upper.y1:
        return 0
    own = add[win.slices()]
    hid = np.zeros(own.shape, bool) if hidden is None else hidden[win.slices()]
    soft = line_ink(own)
    pen = (mask[win.slices()] > 0) | stroked(own, soft, T.BOX_PIXEL_INK)
    faint = stroked(own, soft, T.BOX_TRACE_INK)
    keep = ~hid
    if on_lines is not None:
        fold = on_lines[win.slices()] > 0
        pen &= ~fold | (own >= T.LINE_ARTIFACT_KEEP_INK)
        faint &= ~fold
    faint = (faint | pen) & keep
    seen = np.maximum(1, keep.sum(axis=1))
    keep[faint.sum(axis=1) >= T.BOX_BORDER_GHOST_SHARE * seen] = False      # the ghost of a rule across
    seen = np.maximum(1, (~hid).sum(axis=0))
    keep[:, faint.sum(axis=0) >= T.BOX_BORDER_GHOST_SHARE * seen] = False   # ... and along the window
    pen, faint = pen & keep, faint & keep
    gy0, gy1 = upper.y1 - win.y0, lower.y0 - win.y0                         # between the holes
    cx0, cx1 = max(upper.x0, lower.x0) - win.x0, min(upper.x1, lower.x1) - win.x0
    r = _hidden_band(hid[gy0:gy1, max(0, cx0):max(cx0 + 1, cx1)]) // 2 + 1
    bridge = cv2.dilate(faint.view(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8)) > 0
    n, labels = cv2.connectedComponents((faint | (bridge & hid)).view(np.uint8), connectivity=8)
    if n <= 1:
        return 0
    lab = np.where(faint, labels, 0)                  # only ink seen is evidence; the bridges join it
    a = Box(upper.x0 - win.x0, upper.y0 - win.y0, upper.x1 - win.x0, upper.y1 - win.y0)
    b = Box(lower.x0 - win.x0, lower.y0 - win.y0, lower.x1 - win.x0, lower.y1 - win.y0)
    both = np.intersect1d(np.unique(lab[a.slices()]), np.unique(lab[b.slices()]))
    both = both[both > 0]
    if both.size == 0:
        return 0
    gap = np.where(pen[gy0:gy1], lab[gy0:gy1], 0)   # rows between the holes the piece crosses as pen
    return int(max((gap == k).any(axis=1).sum() for k in both))


def stroke_rows(pen: Pen, slots: tuple[Slot, ...], slot: Slot) -> dict[int, int]:
    """For each name whose box lies next above or next below one of ``slot``'s boxes (overlapping it over
    half the narrower width), ``stroke_between`` the two boxes: slot index → rows of paper crossed, the
    names no stroke joins left out."""
    out: dict[int, int] = {}
    for box in slot.boxes:
        above, below = None, None
        for o in slots:
            if o.index == slot.index:
                continue
            for ob in o.boxes:
                if min(box.x1, ob.x1) - max(box.x0, ob.x0) < min(box.w, ob.w) / 2:
                    continue
                if ob.y0 >= box.y1 and (below is None or ob.y0 < below[1].y0):
                    below = (o.index, ob)
                elif ob.y1 <= box.y0 and (above is None or ob.y1 > above[1].y1):
                    above = (o.index, ob)
        for near, up, down in ((above, None, box), (below, box, None)):
            if near is None:
                continue
            k = stroke_between(up or near[1], down or near[1], pen.mask, pen.add, pen.hidden, pen.on_lines)
            if k:
                out[near[0]] = max(out.get(near[0], 0), k)
    return out


def row_evidence(pen: Pen, slots: tuple[Slot, ...], slot: Slot, mine: list[Blob], text_h: int,
                 level: float | None = None, noise: float = 0.0, residue: frozenset = frozenset()) -> dict[str, float]:
    """Evidence of one name's row: ``dx``, ``dy`` (px the row was aligned by), the ``box_evidence`` of each
    of its boxes k as ``fill<k>``, ``trace<k>``, ``light<k>``, ``around<k>``, ``spill<k>``, ``ink<k>``,
    ``box<k>`` (thin traces from ``level``, the page's own ``page_levels``: measured here with ``noise`` when
    None), ``noise`` (the page's ``box_noise``: how long a faint trace must be, ``box_state``),
    ``rows`` (names whose box cores a blob with pixels in this row's boxes reaches into with pixels of its own,
    this one included), ``joined`` (rows of
    paper seen between one of its boxes and the next box above or below that one stroke crosses from
    inside one into the other, ``stroke_rows``: the pen mask misses steep strokes, and print cuts them where
    they cross a border or a rule), ``straddle`` (one
    mark in two of the row's boxes, ``straddle``), ``meet`` (one mark across the rule between two cells,
    ``meet``) and ``name_touched`` (pen on the printed name, as
    ``strike_evidence``'s ``touched``, without the blobs labelled in ``residue``: print a pixel or two off,
    ``pen.is_print_residue``)."""
    all_boxes = tuple(b for s in slots for b in s.boxes)
    ev = {"dx": pen.offsets[slot.index][0], "dy": pen.offsets[slot.index][1]}
    if level is None:
        level, noise = page_levels(pen, slots, text_h)
    ev["noise"] = round(noise, 4)
    cells = [box_evidence(box, pen.mask, pen.add, text_h, tuple(o for o in all_boxes if o is not box), pen.hidden,
                          pen.on_lines, level) for box in slot.boxes]
    for k, c in enumerate(cells):
        ev.update({f"{key}{k}": v for key, v in c.items()})
    rows = {slot.index}
    for b in mine:
        if any(blob_in(pen.labels, b, box) for box in slot.boxes):
            rows.update(o.index for o in slots if o.index != slot.index and any(
                blob_in(pen.labels, b, box_core(ob)) for ob in o.boxes))
    ev["rows"] = len(rows)
    ev["joined"] = max(stroke_rows(pen, slots, slot).values(), default=0)
    ev["straddle"] = straddle(pen, slot.boxes, mine, text_h)
    ev["meet"] = meet(slot.boxes, cells, *pen.mask.shape[::-1])
    ev["name_touched"] = strike_evidence(slot, pen.mask, pen.smooth, pen.hidden, text_h, pen.labels,
                                         skip=residue)["touched"]
    return ev


def box_state(fill: float, spill: float, ink: float, trace: float = 0.0, around: float = 0.0,
              light: float = 0.0, noise: float = 0.0) -> tuple[str, str]:
    """MARKED / EMPTY / UNCLEAR (with the reason) of one box from its ``box_evidence``.

    A box is empty only on positive evidence of nothing there: no pen in it, no faint trace in it
    (``BOX_TRACE_MIN_SHARE`` long; on a page whose box noise ``noise`` is ``BOX_FAINT_NOISE_RATIO`` times
    ``BOX_TRACE_INK`` or more, where noise itself makes shorter pieces that dark, ``BOX_NOISY_TRACE_MIN_SHARE``),
    no light stroke above the page's noise (``light``, ``BOX_LIGHT_MIN_SHARE`` long) and no more than
    ``BOX_AROUND_EMPTY_MAX_FILL`` of pen just around it (a mark beside the box). A mark of
    a thin pen holds few pixels: less pen than ``BOX_MARK_MIN_FILL`` is a mark when it runs across the
    box (a trace ``BOX_THIN_MARK_MIN_TRACE`` long), as dark as a deliberate mark and with nothing around."""
    noisy = T.BOX_FAINT_NOISE_RATIO * noise >= T.BOX_TRACE_INK
    if fill < T.BOX_EMPTY_MAX_FILL:
        if around >= T.BOX_AROUND_EMPTY_MAX_FILL:
            return UNCLEAR, "mark_outside_box"
        if trace >= (T.BOX_NOISY_TRACE_MIN_SHARE if noisy else T.BOX_TRACE_MIN_SHARE) or light >= T.BOX_LIGHT_MIN_SHARE:
            return UNCLEAR, "faint"
        return EMPTY, ""
    if fill < T.BOX_MARK_MIN_FILL:
        if trace >= T.BOX_THIN_MARK_MIN_TRACE and ink >= T.BOX_MIN_INK and around < T.BOX_AROUND_EMPTY_MAX_FILL:
            return MARKED, ""                      # a thin stroke across the box: few pixels, plainly a mark
        return UNCLEAR, "faint"
    if spill >= T.BOX_SPILL_DOUBT_RATIO:
        return UNCLEAR, "mark_outside_box"
    if ink < T.BOX_MIN_INK:
        return UNCLEAR, "faint"
    return MARKED, ""


def _state(ev: dict[str, float], k: int) -> tuple[str, str]:
    return box_state(ev[f"fill{k}"], ev[f"spill{k}"], ev[f"ink{k}"], ev.get(f"trace{k}", 0.0),
                     ev.get(f"around{k}", 0.0), ev.get(f"light{k}", 0.0), ev.get("noise", 0.0))


def classify_mark(ev: dict[str, float], n_cells: int) -> tuple[str, str]:
    """MARKED / EMPTY / UNCLEAR for a name's box on a mark ballot."""
    if ev.get("rows", 1) > 1 or ev.get("joined", 0) >= T.BOX_JOIN_MIN_ROWS:
        return UNCLEAR, "two_rows"
    state, why = _state(ev, 0)
    if state != UNCLEAR and ev.get("name_touched", 0) > T.NAME_INK_MAX_SHARE:
        return UNCLEAR, "ink_on_name"
    return state, why


def classify_approve(ev: dict[str, float], n_cells: int) -> tuple[str, str]:
    """"agree" / "disagree" / "void" (both or neither) / UNCLEAR for one row of a yes/no ballot.

    One mark lying in both cells (``BOX_STRADDLE_MIN_FILL`` in the second, or pieces meeting across the
    rule between them over ``BOX_MEET_MIN_SHARE`` of their rows) is the committee's call,
    never read as both; ink around an empty cell makes it unclear as on a mark ballot."""
    if ev.get("rows", 1) > 1 or ev.get("joined", 0) >= T.BOX_JOIN_MIN_ROWS:
        return UNCLEAR, "two_rows"
    if ev.get("straddle", 0.0) >= T.BOX_STRADDLE_MIN_FILL or ev.get("meet", 0.0) >= T.BOX_MEET_MIN_SHARE:
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
