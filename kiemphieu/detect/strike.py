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
from .pen import Blob, Pen, faint_ridges, inset_px, is_print_residue, ridge_window, vertical_runs
from .zones import name_zone, strike_zone, through_band, x_height


def _bridge(cols: np.ndarray, gap: int, hidden_cols: np.ndarray | None = None,
            hidden_share: float = T.HIDDEN_GAP_SHARE) -> np.ndarray:
    """Fill runs of False between True values of a 1-D bool array: runs up to ``gap`` long, and
    longer runs that print mostly hides (``hidden_cols``: share of each column's band under print;
    ``hidden_share`` of the run's pixels)."""
    idx = np.flatnonzero(cols)
    out = cols.copy()
    if len(idx) > 1:
        for a, b in zip(idx[:-1], idx[1:]):
            if b - a <= 1:
                continue
            if b - a <= gap + 1 or (hidden_cols is not None and hidden_cols[a + 1:b].mean() >= hidden_share):
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


def seen_share(slot: Slot, through: np.ndarray, rows: np.ndarray, hidden: np.ndarray, text_h: int) -> float:
    """Of the columns between a stroke's first and last through the letters where print would not hide
    it (at its row, interpolated between the columns it is seen in, ± 1 px), the share it is seen in.
    1.0 without a stroke. A strike seen only in a few specks bridged across a bold name is no strike.

    A run of open columns narrower than ``SEEN_MIN_OPEN_TH`` of the text height (``text_h`` px) is not
    counted: a sliver of paper inside a letter's counter or between two letters of a word lies in the
    print's halo on both sides, where a thin stroke adds too little ink to be seen."""
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
    open_ = wide_runs(~hid, T.SEEN_MIN_OPEN_TH * text_h)
    return float((through[span] & open_).sum()) / max(1, int(open_.sum())) if open_.any() else 1.0


def wide_runs(on: np.ndarray, min_len: float) -> np.ndarray:
    """``on`` (bool (n,)) keeping only its runs of True at least ``min_len`` long."""
    edges = np.diff(np.concatenate(([0], on.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    out = np.zeros(on.size, bool)
    for a, b in zip(starts, ends):
        if b - a >= min_len:
            out[a:b] = True
    return out


def bridge_rows(on: np.ndarray, blind: np.ndarray, gap: int) -> np.ndarray:
    """``on`` (bool (h, w)) with, in each row, the runs of False between two True pixels filled where the
    run is at most ``gap`` px long or wholly ``blind`` (bool (h, w): nothing could be seen there)."""
    out = on.copy()
    for y in np.flatnonzero(on.sum(axis=1) > 1):
        out[y] = _bridge(on[y], gap, blind[y].astype(np.float32), hidden_share=1.0)   # share 1: wholly blind
    return out


def _lines(slot: Slot, contrast: np.ndarray, seen: np.ndarray, pen: np.ndarray, text_h: int, level: float,
           with_pen: bool) -> list[tuple[int, int, float, float]]:
    """The lines through the middle of a name's letters and its row, each as (first, end) column, px from
    the name's left edge (negative before it), and its course (slope, row at the name's left edge in
    ``contrast``'s rows, a straight line fitted to its ridge pixels): ridges of at least ``level``
    (``contrast``, ``seen`` from ``pen.faint_ridges``) off the pen (``pen`` bool, same window) — or with
    it, ``with_pen`` — followed along their course (``light_lines``)."""
    n = slot.name
    x0 = max(0, min(n.x0, slot.row.x0))
    ridge = seen & (contrast >= level) & ~pen
    # A crease or a streak runs on beyond both ends of the name: rows holding ridges there are not the voter's.
    beyond = int(T.FAINT_LINE_BEYOND_TH * text_h)
    left, right = ridge[:, :max(0, n.x0 - x0 - beyond)], ridge[:, max(0, n.x1 - x0 + beyond):]
    if left.size and right.size:
        run = max(1, int(T.FAINT_CREASE_RUN_TH * text_h))     # a crease is seen along the row, not in specks
        both = (left.sum(axis=1) >= run) & (right.sum(axis=1) >= run)
        if both.any():
            crease = cv2.dilate(both.astype(np.uint8)[:, None], np.ones((5, 1), np.uint8))[:, 0] > 0
            ridge[crease] = False
    if with_pen:
        ridge |= pen
    if not ridge.any():
        return []
    line = bridge_rows(ridge, ~seen & ~pen, T.FAINT_GAP_PX)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(line.view(np.uint8), connectivity=8)
    # What is seen of a line is itself as long as a trace: two specks bridged across print are no line.
    ys, xs = np.nonzero(ridge)
    w = ridge.shape[1]
    shown = np.bincount(np.unique(labels[ys, xs].astype(np.int64) * w + xs) // w, minlength=count)
    least = T.FAINT_TRACE_MIN_XH * x_height(slot)
    out = []
    for i in range(1, count):
        a0 = int(stats[i, cv2.CC_STAT_LEFT])
        b0 = a0 + int(stats[i, cv2.CC_STAT_WIDTH])
        if a0 <= n.x0 - x0 - beyond and b0 >= n.x1 - x0 + beyond:
            continue                      # far beyond both ends of the name: a crease or a streak
        if shown[i] < least:
            continue
        mine = labels[ys, xs] == i
        yy, xx = ys[mine].astype(np.float64), xs[mine].astype(np.float64) - (n.x0 - x0)
        slope = float(np.polyfit(xx, yy, 1)[0]) if np.ptp(xx) > 0 else 0.0
        out.append((a0 - (n.x0 - x0), b0 - (n.x0 - x0), slope, float(yy.mean() - slope * xx.mean())))
    return out


def _crease(slot: Slot, add: np.ndarray, hidden: np.ndarray, mask: np.ndarray, a: int, b: int, slope: float,
            at: float, text_h: int, level: float) -> bool:
    """``runs_on`` for a trace from column ``a`` to ``b`` (px from the name's left edge) of course (``slope``,
    ``at``): through its middle, at any slope up to ``FAINT_CREASE_MAX_SLOPE`` (a crease runs so near level once
    the page is registered; a short trace's fitted slope is too rough to follow it far), one px apart at the
    far end of the search."""
    mid = (a + b - 1) / 2
    yc = at + slope * mid
    far = max(mid + T.FAINT_CREASE_REACH_TH * text_h, slot.name.w - mid + T.FAINT_CREASE_REACH_TH * text_h, 1.0)
    steps = int(np.ceil(T.FAINT_CREASE_MAX_SLOPE * far))
    slopes = np.arange(-steps, steps + 1) / far
    return bool(runs_on(slot, add, hidden, mask, slopes, yc - slopes * mid, text_h, level).any())


def runs_on(slot: Slot, add: np.ndarray, hidden: np.ndarray, mask: np.ndarray, slope, at, text_h: int,
            level: float):
    """True when a light line whose course is (``slope``, ``at``: its row, page px, at the name's left edge)
    runs on beyond both ends of the name, from ``FAINT_LINE_BEYOND_TH`` to ``FAINT_CREASE_REACH_TH`` of the text
    height off them: a crease or a fold's shade across the page, faint and broken where it crosses the
    print, which the page's own line search missed; a voter's stroke ends near the name. ``slope`` and
    ``at`` may be arrays (n,) of courses: then a bool array (n,).

    Followed in pieces ``FAINT_CREASE_PIECE_TH`` long, within ``FAINT_CREASE_DRIFT_PX`` of its course: a
    piece is on the line when the darkest of those rows (added ink ``add`` float32 (h, w) averaged over the
    piece, where neither print (``hidden`` bool (h, w)) nor pen (``mask`` uint8 (h, w)) lies) is ``level``
    / 2 darker than the rows ``FAINT_RIDGE_XH`` of the x-height beyond them; the line runs on when
    ``FAINT_CREASE_ALONG_SHARE`` of the pieces seen on each side (two at least) are on it."""
    one = np.ndim(slope) == 0
    slope, at = np.atleast_1d(np.asarray(slope, np.float64)), np.atleast_1d(np.asarray(at, np.float64))
    h, w = add.shape
    n = slot.name
    beyond = int(T.FAINT_LINE_BEYOND_TH * text_h)
    reach = int(T.FAINT_CREASE_REACH_TH * text_h)
    piece = max(2, int(T.FAINT_CREASE_PIECE_TH * text_h))
    r = T.FAINT_CREASE_DRIFT_PX
    d = max(2, int(round(T.FAINT_RIDGE_XH * x_height(slot))))
    offs = np.arange(-(r + d), r + d + 1)
    ok_all = np.ones(slope.size, bool)
    for xa, xb in ((n.x0 - reach, n.x0 - beyond), (n.x1 + beyond, n.x1 + reach)):
        xa, xb = max(0, xa), min(w, xb)
        k = (xb - xa) // piece
        if k < 2:
            ok_all[:] = False              # the page ends there: nothing to follow the line on
            break
        xs = np.arange(xa, xa + k * piece)
        ys = np.rint(at[:, None] + slope[:, None] * (xs - n.x0)[None, :]).astype(int)
        ys = ys[:, None, :] + offs[None, :, None]                          # (courses, rows, columns)
        inside = (ys >= 0) & (ys < h)
        yc = np.clip(ys, 0, h - 1)
        ok = inside & ~hidden[yc, xs] & (mask[yc, xs] == 0)
        shape = (slope.size, offs.size, k, piece)
        vals = np.where(ok, add[yc, xs], 0.0).reshape(shape).sum(axis=3)
        cnt = ok.reshape(shape).sum(axis=3)
        mean = np.where(cnt * 2 >= piece, vals / np.maximum(cnt, 1), np.nan)
        near = mean[:, d:d + 2 * r + 1]
        line = np.where(np.isfinite(near), near, -np.inf).max(axis=1)      # the darkest row seen near the course
        paper = np.fmax(mean[:, 0], mean[:, -1])                            # NaN only where neither is seen
        seen = np.isfinite(line) & np.isfinite(paper)
        on = seen & (np.where(seen, line - paper, 0.0) >= level / 2)
        ok_all &= (seen.sum(axis=1) >= 2) & (on.sum(axis=1) >= T.FAINT_CREASE_ALONG_SHARE * seen.sum(axis=1))
        if not ok_all.any():
            break
    return bool(ok_all[0]) if one else ok_all


def light_lines(slot: Slot, add: np.ndarray, hidden: np.ndarray, mask: np.ndarray, text_h: int,
                on_lines: np.ndarray | None = None, level: float | None = None,
                ridges: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[float, float]:
    """Light lines through the middle of a name's letters: (trace, line).

    ``trace``: the longest that is not pen, x-heights of its length over the name's row (the name and
    where a strike overshoots it: a light zigzag seen only beside the name, print hiding it on the name,
    was counted standing); ``line``: the longest
    with the pen's pixels in it, share of the name's width (a light pencil strike the pen mask holds only
    in pieces is one line). A light line is a ridge of added ink (``pen.faint_ridges``; ``add`` float32
    (h, w), ``hidden`` bool (h, w)) of at least ``level`` ink (default ``FAINT_RIDGE_INK``;
    ``name_evidence`` passes the page's own, ``trace_level``), not on the creases and streaks found
    (``on_lines``, uint8 (h, w)), followed along its course: ridge pixels touching one another
    (8-connected), joined along a row across gaps of up to ``FAINT_GAP_PX`` and across print that hides
    them; what is seen of a line (its columns holding ridge) is ``FAINT_TRACE_MIN_XH`` long at least.
    Noise makes ridges at random rows, a line keeps to its own. Ridges at rows that also hold
    ``FAINT_CREASE_RUN_TH`` of ridge ``FAINT_LINE_BEYOND_TH`` beyond both ends of the name, and lines
    running that far beyond both, are a crease or a streak, not the voter's; so are traces whose course runs
    on farther beyond both (``runs_on``), though no ridge is seen there."""
    h, w = add.shape
    win = ridge_window(slot, h, w)
    if win is None:
        return 0.0, 0.0
    _, y0, y1, x0, x1 = win
    contrast, seen = ridges if ridges is not None else faint_ridges(slot, add, hidden, on_lines)
    pen = mask[y0:y1, x0:x1] > 0
    level = T.FAINT_RIDGE_INK if level is None else level
    nw = slot.name.w
    trace = 0
    for a, b, slope, at in sorted(_lines(slot, contrast, seen, pen, text_h, level, False), key=lambda t: t[0] - t[1]):
        if not _crease(slot, add, hidden, mask, a, b, slope, at + y0, text_h, level):
            trace = b - a                 # the longest that is not a crease (longest first: the rest are not looked at)
            break
    # A line that strikes (votes taken away) is looked for off the x-line and the baseline only: there a
    # light line joined with pen may be the letters' edges (``inset_px``).
    inner = np.zeros(contrast.shape[0], bool)
    r = inset_px(slot)
    inner[max(0, slot.core_y0 + r - y0):max(0, slot.core_y1 - r - y0)] = True
    inner = inner[:, None]
    line = max((min(b, nw) - max(a, 0) for a, b, _, _ in _lines(slot, contrast, seen & inner, pen & inner, text_h,
                                                                   level, True)), default=0)
    return trace / x_height(slot), max(0, line) / max(1, nw)


def course_rows(through: np.ndarray, rows: np.ndarray) -> np.ndarray | None:
    """The row (template px, float (name width,)) a stroke runs at in each column of a name: where the pen
    runs through the letters (``through`` bool, ``rows`` float, from ``stroke_columns``), between its
    columns interpolated, beyond them carried on along a straight line fitted to them (a slanted
    strike's course), its slope at most ``COURSE_MAX_SLOPE``. None without two such columns."""
    xs = np.flatnonzero(through)
    if xs.size < 2:
        return None
    slope = float(np.clip(np.polyfit(xs.astype(np.float64), rows[xs], 1)[0], -T.COURSE_MAX_SLOPE,
                          T.COURSE_MAX_SLOPE))
    xw = np.arange(through.size, dtype=np.float64)
    out = np.interp(xw, xs, rows[xs])
    out[xw < xs[0]] = rows[xs[0]] + slope * (xw[xw < xs[0]] - xs[0])
    out[xw > xs[-1]] = rows[xs[-1]] + slope * (xw[xw > xs[-1]] - xs[-1])
    return out


def course_contrast(slot: Slot, add: np.ndarray, hidden: np.ndarray, mask: np.ndarray, ys: np.ndarray,
                    on_lines: np.ndarray | None = None) -> np.ndarray:
    """How much darker than the paper beside it a stroke along rows ``ys`` (float (name width,), template
    px) is in each column of a name: the darkest added ink (``add`` float32 (h, w), at most
    ``FAINT_MAX_INK``) within ``COURSE_DRIFT_XH`` of the course, less the darker of the paper rows
    ``FAINT_RIDGE_XH`` beyond that above and below it; pixels print hides (``hidden``), pen (``mask``)
    and creases (``on_lines``) left out. float (name width,), NaN where the course's own row (print
    hides it or lies beside it) or both paper rows are not seen."""
    h, w = add.shape
    n = slot.name
    xh = x_height(slot)
    r = max(1, int(round(T.COURSE_DRIFT_XH * xh)))
    d = max(2, int(round(T.FAINT_RIDGE_XH * xh)))
    px = np.clip(n.x0 + np.arange(ys.size), 0, w - 1)
    yc = np.rint(ys).astype(int)
    # Next to a letter the print's own edge, partly dark, holds what a stroke adds there: a pixel beside
    # print shows the stroke as paper. Looked at from COURSE_CLEAR_PX off print.
    k = 2 * T.COURSE_CLEAR_PX + 1
    y_lo, y_hi = max(0, int(yc.min()) - r - d - 1), min(h, int(yc.max()) + r + d + 2)
    x_lo, x_hi = max(0, n.x0 - k), min(w, n.x0 + ys.size + k)
    if y_hi <= y_lo or x_hi <= x_lo:
        return np.full(ys.size, np.nan)
    near = cv2.dilate(np.ascontiguousarray(hidden[y_lo:y_hi, x_lo:x_hi]).view(np.uint8), np.ones((1, k), np.uint8)) > 0

    def sample(offs):
        y = yc[None, :] + np.asarray(offs)[:, None]
        inside = (y >= y_lo) & (y < y_hi)
        y = np.clip(y, y_lo, max(y_lo, y_hi - 1))
        ok = inside & ~near[y - y_lo, px - x_lo] & (mask[y, px] == 0)
        if on_lines is not None:
            ok &= on_lines[y, px] == 0
        v = np.where(ok, np.minimum(add[y, px], T.FAINT_MAX_INK), -np.inf).max(axis=0)
        return np.where(ok.any(axis=0), v, np.nan)

    # Seen where the course itself is: paper beside a letter the stroke runs under is no sight of it.
    y = np.clip(yc, y_lo, max(y_lo, y_hi - 1))
    at = (yc >= y_lo) & (yc < y_hi) & ~near[y - y_lo, px - x_lo]
    return np.where(at, sample(np.arange(-r, r + 1)) - sample([-(r + d), r + d]), np.nan)


def course_reach(slot: Slot, contrast: np.ndarray, through: np.ndarray, level: float
                 ) -> tuple[float, float]:
    """How far one stroke is seen along its course over a name: (reach, shown), shares of its width.

    The name's width is cut in pieces ``COURSE_PIECE_XH`` x-heights long. A piece is on the stroke where
    the pen runs through the letters in it (``through``) or where, over its columns seen
    (``course_contrast``: ``contrast`` float (name width,), NaN unseen; two at least), half of them at
    least show ``level`` or more (a line is dark all along, the page's noise in specks); off where seen
    in half its columns at least and not on; unknown else (print hides it). ``reach``: the longest
    stretch from an on piece to an on piece with no off piece in it (print may hide the stroke between)
    that holds ``COURSE_MIN_LIGHT_PIECES`` light pieces (on, without pen) at least; ``shown``: the share
    of the name's width in that stretch's on pieces."""
    nw = through.size
    if nw == 0:
        return 0.0, 0.0
    p = max(2, int(round(T.COURSE_PIECE_XH * x_height(slot))))
    k = -(-nw // p)
    pad = k * p - nw
    c = np.concatenate([contrast, np.full(pad, np.nan)]).reshape(k, p)
    pen = np.concatenate([through, np.zeros(pad, bool)]).reshape(k, p).any(axis=1)
    fin = np.isfinite(c)
    count = fin.sum(axis=1)
    dark = (fin & (np.where(fin, c, -np.inf) >= level)).sum(axis=1)
    on = pen | ((count >= min(2, p)) & (2 * dark >= count))     # a line is dark along it, noise in specks
    off = ~on & (count >= max(2, p // 2))      # a piece seen in a column or two is not seen to be paper
    best, shown, start, last, count, lit = 0, 0, None, None, 0, 0
    for i in range(k):
        if off[i]:
            start, last, count, lit = None, None, 0, 0
            continue
        if on[i]:
            if start is None:
                start = i
            last, count, lit = i, count + 1, lit + int(not pen[i])
            span = min(nw, (last + 1) * p) - start * p
            # The light line is seen on its own in COURSE_MIN_LIGHT_PIECES pieces at least: pen specks
            # with nothing seen between them (a blurred photo's ghosts of print) show no course.
            if span > best and lit >= T.COURSE_MIN_LIGHT_PIECES:
                best, shown = span, min(nw, count * p)
    return best / nw, shown / nw


def faint_trace(slot: Slot, add: np.ndarray, hidden: np.ndarray, mask: np.ndarray, text_h: int,
                on_lines: np.ndarray | None = None, level: float | None = None) -> float:
    """The longest light line through the middle of the name's letters that is not pen, in x-heights
    (``light_lines``' trace)."""
    return light_lines(slot, add, hidden, mask, text_h, on_lines, level)[0]


def trace_level(noise: float) -> float:
    """The ink a light line's ridge needs on a page whose own ridges (``pen.trace_noise``) reach
    ``noise``: ``FAINT_NOISE_RATIO`` times it, at least ``FAINT_RIDGE_INK`` and at most
    ``FAINT_MAX_RIDGE_INK`` (a line that dark is seen whatever the page's noise: on a ballot where every
    name is struck in light pencil, the strokes are all the "noise" there is)."""
    return min(T.FAINT_MAX_RIDGE_INK, max(T.FAINT_RIDGE_INK, T.FAINT_NOISE_RATIO * noise))


def strike_evidence(slot: Slot, mask: np.ndarray, add: np.ndarray, hidden: np.ndarray, text_h: int,
                    labels: np.ndarray | None = None, faint_add: np.ndarray | None = None,
                    skip: frozenset = frozenset(), on_lines: np.ndarray | None = None,
                    trace_level: float | None = None,
                    ridges: tuple[np.ndarray, np.ndarray] | None = None) -> dict[str, float]:
    """Measure the pen ink over one printed name (see ``thresholds`` for the units).

    ``mask`` uint8 0/1 pen (h, w), ``add`` float32 stroke ink (h, w), ``hidden`` bool (h, w), ``labels``
    int32 strokes (h, w) or None, ``faint_add`` float32 added ink (h, w) for ``faint_trace`` or None,
    ``skip``: labels of strokes that are another name's, ``trace_level``: ink a light line needs
    (``light_lines``; default ``FAINT_RIDGE_INK``), ``ridges``: the name's ``faint_ridges`` if measured.
    Returns ``cover`` (share of the name's width a
    stroke runs through its letters, gaps bridged), ``cover_below`` / ``cover_above`` (columns with ink
    only below / above the letters), ``touched`` (any pen on the name), ``ink`` (median over the touched
    columns of the darkest stroke ink), ``seen`` (``seen_share``), ``trace`` and ``line``
    (``light_lines`` on ``faint_add``; 0 without it) and
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
    trace, line = (light_lines(slot, faint_add, hidden, mask, text_h, on_lines, trace_level, ridges)
                   if faint_add is not None else (0.0, 0.0))
    # The pen's stroke followed along its course over the whole name, where the pen holds it and where
    # only a light line shows it (a light pen the pen mask holds in pieces; a slanted one leaving the
    # ridges' window). A light line without pen is not followed: a fold along the row looks the same.
    reach = shown = 0.0
    if faint_add is not None:
        ys = course_rows(through, rows)
        if ys is not None:
            level = T.FAINT_RIDGE_INK if trace_level is None else trace_level
            if not _crease(slot, faint_add, hidden, mask, 0, max(1, n.w), *_fit(ys), text_h, level):
                con = course_contrast(slot, faint_add, hidden, mask, ys, on_lines)
                reach, shown = course_reach(slot, con, through, T.COURSE_LEVEL_SHARE * level)
    return {
        "x_from": int(cols[0]) if cols.size else -1,  # first and last column of the stroke, px from the
        "x_to": int(cols[-1]) if cols.size else -1,  # name's left edge (the sheet's fingerprint)
        "cover": round(float(_bridge(through, gap, hidden_cols).sum()) / nw, 3),
        "cover_below": round(float(_bridge(below & ~through, gap).sum()) / nw, 3),
        "cover_above": round(float(_bridge(above & ~through, gap).sum()) / nw, 3),
        "touched": round(float(touched.sum()) / nw, 3),
        "ink": round(float(np.median(ink)) if ink.size else 0.0, 3),
        "seen": round(seen_share(slot, through, rows, hidden, text_h), 3),
        "trace": round(trace, 3),
        "line": round(line, 3),
        "reach": round(reach, 3),
        "shown": round(shown, 3),
    }


def _fit(ys: np.ndarray) -> tuple[float, float]:
    """(slope, row at x = 0) of a straight line fitted to rows ``ys`` (float (n,), one per column)."""
    if ys.size < 2:
        return 0.0, float(ys[0]) if ys.size else 0.0
    slope, at = np.polyfit(np.arange(ys.size, dtype=np.float64), ys, 1)
    return float(slope), float(at)


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
    ev = strike_evidence(slot, pen.mask, pen.smooth, pen.hidden, th, pen.labels, pen.add, frozenset(skip), pen.on_lines,
                         trace_level(pen.trace_noise.get(slot.index, 0.0)), pen.ridges.get(slot.index))
    ev["spill"] = round(spill, 2)
    ev["rows"] = len(rows)
    ev["beside"] = beside
    ev["dx"], ev["dy"] = pen.offsets[slot.index]
    return ev


def classify_strike(ev: dict[str, float]) -> tuple[str, str]:
    """STRUCK / STANDING / UNCLEAR (with the reason) from a name's evidence."""
    if ev.get("rows", 0) > 1:
        return UNCLEAR, "two_rows"
    # A light line (pencil, a light hand) through most of the name's letters, well above the page's own
    # noise and followed along its course, strikes it even where the pen mask holds it only in pieces:
    # one light line with the pen in it (``line``), or one stroke's course seen in pen and light pieces
    # across the name, print hiding it between (``reach``).
    # A course read from pieces strikes only in a clean row: no pen below or above the letters and no
    # mark beside the name (an underline grazing the baseline; the edge of a paper lying on the ballot,
    # its shadow a long line across the name: phone seed 1796232838, 1-bit seed 1796232837). Else a
    # person looks.
    clean = ev.get("cover_below", 0.0) == 0 and ev.get("cover_above", 0.0) == 0 and ev.get("beside", 0) == 0
    light = (ev.get("line", 0.0) >= T.LIGHT_STRIKE_MIN_COVER_SHARE
             or (clean and ev.get("reach", 0.0) >= T.COURSE_MIN_REACH_SHARE))
    if ev["cover"] >= T.STRIKE_MIN_COVER_SHARE:
        # A strike's darkness needs no rule of its own: its pen is at least PEN_MIN_INK (averaged
        # along it); a lighter line is no pen and shows as a light line or a faint trace.
        if ev.get("seen", 1.0) < T.STRIKE_MIN_SEEN_SHARE and not light:
            return UNCLEAR, "partial_strike"
        return STRUCK, ""
    if light:
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
