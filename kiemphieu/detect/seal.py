"""The round seal stamped on ballots by hand, found by what it is: a ring.

A seal is a stamp 30–45 mm across: a thin closed ring (often two), lettering around inside it and a
star or an emblem in the middle. It is applied by hand, so on every ballot it lands somewhere else —
anywhere in its corner, partly over the header's print, partly off the page — turned, faint, doubled
or smudged; in a grey scan its red or purple is only a grey, in a black-and-white scan it is black. So
it is found by its shape, in three steps:

- ``ring_candidates``: centres where an annulus of the seal's radius holds more ink than the band just
  outside it (a matched filter on a reduced copy of the ink; cheap, and blind to straight strokes);
- ``ring_evidence``: on the full-size ink, the radial profile at every angle of the circle: an angle
  carries the ring when a thin line of ink lies on the circle with paper just inside and just outside
  it (a circle through printed text finds ink on both sides). The circle is re-fitted on those points;
  what counts is the share of the *visible* circle (on the page, not under print) that carries it;
- ``classify_ring``: "seal" (the ring is sure), "doubt" (ring-like: a person must look) or "".

``find_seal`` finds the blank's own seal (its size is the size of every ballot's seal: one stamp per
count); ``find_page_seal`` finds it on a ballot, in the ink the page has over the blank, so that the
header's print it lies on cancels out.
"""
from __future__ import annotations

import dataclasses
import functools
import math

import cv2
import numpy as np

from ..records import Box
from . import thresholds as T
from .ink import ink_map


@dataclasses.dataclass(frozen=True)
class Ring:
    """A circle and how much it looks like a seal's ring (template px)."""
    cx: float
    cy: float
    r: float
    cover: float     # share of the visible circle carrying a thin line of ink with paper on both sides
    visible: float   # share of the circle that can be judged: on the page, not under print or the page edge

    @property
    def seen(self) -> float:
        """The share of the whole circle seen carrying the ring (picks the best of several candidates)."""
        return self.cover * self.visible if self.visible >= T.RING_MIN_VISIBLE_SHARE else 0.0

    @property
    def evidence(self) -> float:
        """The ring evidence a verdict rests on: its cover, or 0 when too little of it can be seen."""
        return self.cover if self.visible >= T.RING_MIN_VISIBLE_SHARE else 0.0


def _side_px(r: float) -> tuple[int, int, int, int]:
    """(half width, gap, inner band, outer band) in px of a ring of radius ``r``: its line is at most
    2 × half width thick; paper is looked for from half width + gap beyond the line's darkest point, over
    the inner band inside it and the (wider) outer band outside it."""
    half = max(T.RING_HALF_WIDTH_PX, int(round(T.RING_HALF_WIDTH_RADII * r)))
    inner = max(T.RING_SIDE_MIN_PX, int(round(T.RING_INNER_SIDE_RADII * r)))
    outer = max(T.RING_SIDE_MIN_PX, int(round(T.RING_OUTER_SIDE_RADII * r)))
    return half, T.RING_GAP_PX, inner, outer


@functools.lru_cache(maxsize=4)
def _unit_circle(n: int) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin (float32, (n, 1)) of n angles round the circle, from 0."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.cos(t).astype(np.float32)[:, None], np.sin(t).astype(np.float32)[:, None]


def radial_profile(ink: np.ndarray, cx: float, cy: float, r: float, reach: int) -> tuple[np.ndarray, np.ndarray,
                                                                                           np.ndarray]:
    """Ink along ``RING_POINTS`` rays across the circle (cx, cy, r), from r − reach to r + reach px.

    ``ink`` float32 (h, w). Returns (profile float32 (RING_POINTS, 2·reach + 1), −1 off the image;
    x and y (int, RING_POINTS) of each angle's point on the circle)."""
    cos, sin = _unit_circle(T.RING_POINTS)
    rr = np.float32(r) + np.arange(-reach, reach + 1, dtype=np.float32)[None, :]
    mx = rr * cos
    mx += np.float32(cx)
    my = rr * sin
    my += np.float32(cy)
    prof = cv2.remap(ink, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=-1.0)
    return prof, np.floor(mx[:, reach]).astype(int), np.floor(my[:, reach]).astype(int)


def _ring_angles(ink: np.ndarray, cx: float, cy: float, r: float, unseen: np.ndarray | None, slack: int = 0
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per angle: (visible bool, a thin line there bool, radial offset px of the line's middle).

    At each angle the line is the run of ink at least half as dark as the darkest point within
    ± max(slack, half width) px of the circle; it carries the ring when it is dark enough, no thicker
    than ``RING_MAX_WIDTH_RADII`` and the bands just inside and just outside it are paper."""
    h, w = ink.shape
    half, gap, band_in, band_out = _side_px(r)
    search = max(slack, half)
    widest = max(T.RING_MAX_WIDTH_PX, int(round(T.RING_MAX_WIDTH_RADII * r)))
    reach = search + widest + gap + max(band_in, band_out)
    prof, xs, ys = radial_profile(ink, cx, cy, r, reach)
    on_page = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    visible = on_page.copy()
    if unseen is not None:
        visible[on_page] = ~unseen[ys[on_page], xs[on_page]]
    core = prof[:, reach - search: reach + search + 1]
    line = core.max(axis=1)
    peak = (core.argmax(axis=1) + reach - search)[:, None]
    # The line's run: from the darkest point out to the first samples under half its ink, each way.
    k = np.arange(prof.shape[1])[None, :]
    low = prof < T.RING_LINE_EDGE_SHARE * line[:, None]
    left = np.where(low & (k < peak), k, -1).max(axis=1) + 1
    right = np.where(low & (k > peak), k, prof.shape[1]).min(axis=1) - 1
    at = (left + right) / 2 - reach
    rows = np.arange(T.RING_POINTS)[:, None]
    n_cols = prof.shape[1]
    inner = prof[rows, np.clip(left[:, None] - gap - np.arange(1, band_in + 1)[None, :], 0, n_cols - 1)]
    outer = prof[rows, np.clip(right[:, None] + gap + np.arange(1, band_out + 1)[None, :], 0, n_cols - 1)]
    # Off the image counts as neither ink nor paper: the mean of the sides is taken over the image.
    inner_mean = np.where(inner >= 0, inner, 0).sum(1) / np.maximum(1, (inner >= 0).sum(1))
    outer_mean = np.where(outer >= 0, outer, 0).sum(1) / np.maximum(1, (outer >= 0).sum(1))
    side = T.RING_SIDE_SHARE * line
    thin = (visible & (line >= T.RING_MIN_INK) & (right - left + 1 <= widest)
            & (inner_mean <= side) & (outer_mean <= side))
    return visible, thin, at


def _carried(thin: np.ndarray, at: np.ndarray, visible: np.ndarray, r: float) -> np.ndarray:
    """The angles that carry the ring of a fitted circle: on arcs of a thin line that follows the circle
    closely (a straight rule touching the circle strays from it)."""
    return on_arcs(thin & (np.abs(at) <= max(T.RING_FIT_PX, T.RING_FIT_RADII * r)), at, visible)


def on_arcs(thin: np.ndarray, at: np.ndarray, visible: np.ndarray) -> np.ndarray:
    """The angles (bool, (n,)) on arcs of one continuous line: ``thin`` at both ends of each step between
    visible angles, the line moving at most ``RING_STEP_PX`` from one to the next, over at least
    ``RING_MIN_ARC_RADII`` of visible arc. A step may pass under print (angles not ``visible``) for up to
    ``RING_HIDDEN_GAP_RADII``: a ring runs on beyond the letters it crosses.

    A ring is one line all round; lettering or printed text crossed by a circle gives a thin line here
    and there, each at another distance from the circle."""
    n = len(thin)
    idx = np.flatnonzero(visible)
    out = np.zeros(n, bool)
    if len(idx) < 2:
        return out
    per_radian = n / (2 * np.pi)
    need = max(1, math.ceil(T.RING_MIN_ARC_RADII * per_radian))
    nxt = np.roll(idx, -1)
    step = (nxt - idx) % n
    th, a = thin[idx], at[idx]
    link = th & np.roll(th, -1) & (np.abs(a - np.roll(a, -1)) <= T.RING_STEP_PX) & (
        step <= 1 + T.RING_HIDDEN_GAP_RADII * per_radian)
    if link.all():
        out[idx] = True
        return out
    m = len(idx)
    start = int(np.flatnonzero(~link)[0]) + 1   # runs of links, read from just after a break
    run: list[int] = []
    for k in (np.arange(m) + start) % m:
        if link[k]:
            run.append(k)
            continue
        if len(run) >= need:
            out[idx[run]] = True
            out[idx[(run[-1] + 1) % m]] = True
        run = []
    return out


def ring_evidence(ink: np.ndarray, cx: float, cy: float, r: float, unseen: np.ndarray | None = None) -> Ring:
    """How much the circle (cx, cy, r) looks like a seal's ring on ``ink`` (float32 0..1, (h, w)).

    ``unseen`` bool (h, w): where ink cannot be judged (under print, the page's edge band). Returns the
    circle and its cover and visible shares (``Ring``)."""
    visible, thin, at = _ring_angles(ink, cx, cy, r, unseen)
    return _ring(cx, cy, r, visible, _carried(thin, at, visible, r))


def fit_circle(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float] | None:
    """Least-squares circle (cx, cy, r) through points (algebraic fit), or None when degenerate."""
    if len(x) < 3:
        return None
    a = np.column_stack([x, y, np.ones_like(x)]).astype(np.float64)
    b = (x.astype(np.float64) ** 2 + y.astype(np.float64) ** 2)
    sol, *_ = np.linalg.lstsq(a, b, rcond=None)
    cx, cy = sol[0] / 2, sol[1] / 2
    rr = sol[2] + cx * cx + cy * cy
    if not np.isfinite(rr) or rr <= 0:
        return None
    return float(cx), float(cy), float(math.sqrt(rr))


def fit_circle_robust(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float] | None:
    """``fit_circle`` refitted (``RING_ROBUST_FITS`` times at most) without the points farther from the
    last fit than ``RING_OUTLIER_RATIO`` times their median distance (and ``RING_FIT_PX``): letters or a
    second impression next to a ring."""
    fit = fit_circle(x, y)
    keep = np.ones(len(x), bool)
    for _ in range(T.RING_ROBUST_FITS):
        if fit is None:
            return None
        d = np.abs(np.hypot(x - fit[0], y - fit[1]) - fit[2])
        now = d <= max(T.RING_FIT_PX, T.RING_OUTLIER_RATIO * float(np.median(d[keep])))
        if (now == keep).all() or now.sum() < T.RING_FIT_MIN_POINTS:
            break
        keep = now
        fit = fit_circle(x[keep], y[keep])
    return fit


def refine_ring(ink: np.ndarray, cx: float, cy: float, r: float, r_lo: float, r_hi: float,
                unseen: np.ndarray | None = None, slack: int = 0) -> Ring:
    """The circle near (cx, cy, r) best carried by a ring: fitted on the ring's points up to
    ``RING_REFINE_STEPS`` times, its radius kept within [r_lo, r_hi]. The first fit takes the line
    within ± ``slack`` px of the circle (a candidate's centre is only known that well), the next ones
    within the ring's half width. Returns the best ``Ring`` seen (by ``seen``); the circle as given,
    with no cover, when no ring is found near it."""
    visible, thin, at = _ring_angles(ink, cx, cy, r, unseen, slack)
    best = Ring(float(cx), float(cy), float(r), 0.0, float(visible.mean()))
    if not slack:
        best = _ring(cx, cy, r, visible, _carried(thin, at, visible, r))
    circle = (cx, cy, r)
    t = np.linspace(0, 2 * np.pi, T.RING_POINTS, endpoint=False)
    half = _side_px(r)[0]
    for _ in range(T.RING_REFINE_STEPS):
        points = on_arcs(thin, at, visible)
        if points.sum() < T.RING_FIT_MIN_POINTS:
            break
        rr = circle[2] + at[points]
        fit = fit_circle_robust(circle[0] + rr * np.cos(t[points]), circle[1] + rr * np.sin(t[points]))
        if fit is None or not r_lo <= fit[2] <= r_hi:
            break
        moved = max(abs(a - b) for a, b in zip(fit, circle))
        circle = fit
        visible, thin, at = _ring_angles(ink, *circle, unseen, half)
        ring = _ring(*circle, visible, _carried(thin, at, visible, circle[2]))
        if ring.seen > best.seen:
            best = ring
        if moved < T.RING_SETTLED_PX:
            break
    return best


def _ring(cx: float, cy: float, r: float, visible: np.ndarray, carries: np.ndarray) -> Ring:
    n_vis = int(visible.sum())
    return Ring(float(cx), float(cy), float(r), float(carries.sum()) / max(1, n_vis), n_vis / T.RING_POINTS)


def _kernel(radius: float, width_share: float) -> np.ndarray:
    """Matched filter of a ring of ``radius`` px (band ± ``width_share`` of it) against the band just outside."""
    lo, hi = radius * (1 - width_share), radius * (1 + width_share)
    n = int(math.ceil(hi * T.RING_KERNEL_OUTER_RATIO)) + 1
    y, x = np.mgrid[-n:n + 1, -n:n + 1]
    d = np.hypot(x, y)
    band = ((d >= lo) & (d <= hi)).astype(np.float32)
    out = ((d > hi + 1) & (d <= hi * T.RING_KERNEL_OUTER_RATIO + 1)).astype(np.float32)
    return band / max(1.0, band.sum()) - out / max(1.0, out.sum())


def ring_candidates(ink: np.ndarray, r_lo: float, r_hi: float, most: int) -> list[tuple[float, float, float]]:
    """Likely seal centres on ``ink`` (float32 (h, w)) for radii in [r_lo, r_hi] px, best first.

    The ink is reduced ``RING_SEARCH_REDUCTION_RATIO`` times and correlated with a ring for radii in
    geometric steps (each covering ± ``RING_KERNEL_WIDTH_SHARE``); local maxima of the response are
    returned as (cx, cy, r), at most ``most``. Ink is clipped at ``RING_CLIP_INK`` first: a faint seal
    weighs as much as a dark one, and a few dark strokes crossing a ring do not make one."""
    f = T.RING_SEARCH_REDUCTION_RATIO
    h, w = ink.shape
    hs, ws = max(1, h // f), max(1, w // f)
    small = cv2.resize(cv2.min(ink[:hs * f, :ws * f], T.RING_CLIP_INK), (ws, hs), interpolation=cv2.INTER_AREA)
    step = 1 + 2 * T.RING_KERNEL_WIDTH_SHARE
    radii = [r_lo * (1 + T.RING_KERNEL_WIDTH_SHARE)]
    while radii[-1] * (1 + T.RING_KERNEL_WIDTH_SHARE) < r_hi:
        radii.append(radii[-1] * step)
    found = []
    for r in radii:
        resp = cv2.filter2D(small, cv2.CV_32F, _kernel(r / f, T.RING_KERNEL_WIDTH_SHARE),
                            borderType=cv2.BORDER_CONSTANT)
        k = max(3, int(r / f)) | 1
        peak = (resp >= cv2.dilate(resp, np.ones((k, k), np.uint8))) & (resp > T.RING_MIN_RESPONSE_INK)
        ys, xs = np.nonzero(peak)
        vals = resp[ys, xs]
        for i in np.argsort(-vals)[:most]:
            found.append((float(vals[i]), (xs[i] + 0.5) * f, (ys[i] + 0.5) * f, r))
    found.sort(key=lambda c: -c[0])
    out: list[tuple[float, float, float]] = []
    for _, x, y, r in found:  # one candidate per place and size
        if all(
            math.hypot(x - ox, y - oy) > T.RING_CANDIDATE_SPACING_RADII * r
            or abs(r - o_r) > T.RING_KERNEL_WIDTH_SHARE * r
            for ox, oy, o_r in out
        ):
            out.append((x, y, r))
        if len(out) >= most:
            break
    return out


def best_ring(ink: np.ndarray, r_lo: float, r_hi: float, unseen: np.ndarray | None = None,
              most: int = T.RING_CANDIDATES) -> Ring | None:
    """The most ring-like circle of radius in [r_lo, r_hi] on ``ink`` among ``most`` candidates (the first
    seen carrying its ring over ``RING_PLAIN_SEEN_SHARE`` of the whole circle or ``RING_PLAIN_COVER_SHARE``
    of its visible part), or None when nothing is round."""
    best = None
    for cx, cy, r in ring_candidates(ink, r_lo, r_hi, most):
        for slack in T.RING_CANDIDATE_SLACK_PX:
            ring = refine_ring(ink, cx, cy, r, r_lo, r_hi, unseen, slack)
            if best is None or ring.seen > best.seen:
                best = ring
            if best.seen >= T.RING_PLAIN_SEEN_SHARE or best.evidence >= T.RING_PLAIN_COVER_SHARE:
                return best          # a plain ring: no need to look further
    return best


def outermost(ink: np.ndarray, ring: Ring, r_max: float, sure: float, unseen: np.ndarray | None = None) -> Ring:
    """The outermost ring around ``ring``'s centre (seals often carry two) with evidence ``sure`` or more,
    up to ``r_max``; ``ring`` itself when there is none."""
    out = ring
    lo, hi = ring.r * T.OUTER_RING_MIN_RADII, min(ring.r * T.OUTER_RING_MAX_RADII, r_max)
    step = max(T.OUTER_RING_STEP_PX, ring.r * T.RING_HALF_WIDTH_RADII)
    r2 = lo
    while r2 <= hi:
        other = refine_ring(ink, ring.cx, ring.cy, r2, lo, hi, unseen, int(math.ceil(step)))
        if other.evidence >= sure and other.r > out.r + step:
            out = other
        r2 += step
    return out


def classify_ring(ring: Ring | None) -> str:
    """"seal" (a sure ring), "doubt" (ring-like: a person must look) or "" (no ring)."""
    e = 0.0 if ring is None else ring.evidence
    return "seal" if e >= T.SEAL_RING_COVER_SHARE else "doubt" if e >= T.SEAL_DOUBT_COVER_SHARE else ""


def seal_radius_range(long_side: int, blank_r: float | None) -> tuple[float, float]:
    """Radii (template px) a seal may have: the blank's seal's ± ``SEAL_SAME_STAMP_SHARE`` (one stamp per
    count) or, without a sure seal on the blank, the stamp sizes of ``SEAL_MIN/MAX_RADIUS_SHARE``."""
    if blank_r:
        return blank_r * (1 - T.SEAL_SAME_STAMP_SHARE), blank_r * (1 + T.SEAL_SAME_STAMP_SHARE)
    return T.SEAL_MIN_RADIUS_SHARE * long_side, T.SEAL_MAX_RADIUS_SHARE * long_side


def find_seal(grey: np.ndarray) -> Box | None:
    """Bounding box of the blank's seal (uint8 grey, template frame; it may reach off the page) when its
    ring is sure, or None.

    The blank's print is not subtracted here (it is the blank): the ring must be a thin line with paper
    on both sides along most of its visible length, which a circle through printed text is not."""
    h, w = grey.shape
    ink = ink_map(grey)
    unseen = _edge_band(h, w)
    r_lo, r_hi = seal_radius_range(max(h, w), None)
    ring = best_ring(ink, r_lo, r_hi, unseen, T.BLANK_RING_CANDIDATES)
    if ring is None or ring.evidence < T.BLANK_SEAL_COVER_SHARE:
        return None
    ring = outermost(ink, ring, r_hi * T.OUTER_RING_MAX_RADIUS_RATIO, T.OUTER_RING_COVER_SHARE, unseen)
    r = ring.r
    return Box(int(round(ring.cx - r)), int(round(ring.cy - r)), int(round(ring.cx + r)), int(round(ring.cy + r)))


def _edge_band(h: int, w: int) -> np.ndarray:
    e = int(T.PAGE_EDGE_SHARE * max(h, w))
    band = np.zeros((h, w), bool)
    band[:e], band[-e:], band[:, :e], band[:, -e:] = True, True, True, True
    return band


def find_page_seal(add: np.ndarray, unseen: np.ndarray, blank_seal: Box | None) -> Ring | None:
    """The most seal-like ring on a ballot, from the ink it has over the blank (float32, template frame).

    ``unseen`` bool: where print or the page's edge hides ink. Its radius is the blank's seal's (when the
    blank has one) within ``SEAL_SAME_STAMP_SHARE``; it is looked for over the whole page."""
    h, w = add.shape
    r0 = blank_seal.w / 2 if blank_seal is not None else None
    r_lo, r_hi = seal_radius_range(max(h, w), r0)
    ring = best_ring(add, r_lo, r_hi, unseen)
    if ring is not None and r0 is None and classify_ring(ring) == "seal":
        ring = outermost(add, ring, r_hi * T.OUTER_RING_MAX_RADIUS_RATIO, T.OUTER_RING_COVER_SHARE, unseen)
    return ring


def seal_state(ring: Ring | None) -> str:
    """"present", "unclear" or "absent": the seal as the rules ask for it, from the page's best ring."""
    return {"seal": "present", "doubt": "unclear", "": "absent"}[classify_ring(ring)]
