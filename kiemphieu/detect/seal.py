"""The round seal stamped on ballots by hand.

The seal lands somewhere else on every ballot and is not a mark. ``find_seal`` locates it on the
blank (a ring of ink), so the reader knows which corner of the page the seal may wander over;
``locate_seal`` finds it on a registered ballot near there and measures how much of its ring carries
ink, and ``classify_seal`` decides from that whether the seal is present.
"""
from __future__ import annotations

import cv2
import numpy as np

from ..records import Box
from . import thresholds as T


def _ring_cover(ink: np.ndarray, cx: float, cy: float, r: float) -> float:
    """Share of points on the circle (cx, cy, r) that lie on ink (within ``RING_TOLERANCE_PX``). Points off
    ``ink`` count as paper: a circle half outside the searched area (a dark page edge) is not a seal."""
    t = np.linspace(0, 2 * np.pi, T.RING_POINTS, endpoint=False)
    h, w = ink.shape
    best = 0.0
    for dr in (-T.RING_TOLERANCE_PX, 0, T.RING_TOLERANCE_PX):
        xs = np.floor(cx + (r + dr) * np.cos(t)).astype(int)
        ys = np.floor(cy + (r + dr) * np.sin(t)).astype(int)
        on = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
        best = max(best, float(np.count_nonzero(ink[ys[on], xs[on]])) / len(t))
    return best


def _seal_ink(grey: np.ndarray, offset_grey: int) -> np.ndarray:
    """Ink (255) of a seal on uint8 grey: darker than the local mean by ``offset_grey``, widened by
    ``RING_WIDEN_PX`` (thin, broken rings)."""
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, T.SEAL_INK_BLOCK_PX,
                                offset_grey)
    k = 2 * T.RING_WIDEN_PX + 1
    return cv2.dilate(ink, np.ones((k, k), np.uint8))


def find_seal(grey: np.ndarray) -> Box | None:
    """Bounding box of the seal on a blank in the template frame, or None."""
    h, w = grey.shape
    top = grey[: int(h * T.SEAL_SEARCH_TOP_SHARE)]
    long_side = max(h, w)
    rmin, rmax = int(T.SEAL_MIN_RADIUS_SHARE * long_side), int(T.SEAL_MAX_RADIUS_SHARE * long_side)
    blur = cv2.GaussianBlur(top, (0, 0), T.SEAL_BLUR_PX)
    circles = cv2.HoughCircles(blur, cv2.HOUGH_GRADIENT, dp=T.SEAL_HOUGH_REDUCTION_RATIO, minDist=rmin,
                               param1=T.SEAL_EDGE_GREY, param2=T.SEAL_HOUGH_VOTES, minRadius=rmin, maxRadius=rmax)
    if circles is None:
        return None
    ink = _seal_ink(top, T.SEAL_INK_OFFSET_GREY)
    best = None
    for cx, cy, r in circles[0][:T.SEAL_CANDIDATES]:
        cover = _ring_cover(ink, cx, cy, r)
        if cover >= T.RING_MIN_COVER_SHARE and (best is None or r * cover > best[2] * best[3]):
            best = (cx, cy, r, cover)
    if best is None:
        return None
    cx, cy, r, _ = best
    # Seals often carry two rings: keep the outermost ring around the same centre.
    outer_max = min(r * T.OUTER_RING_MAX_RADII, rmax * T.OUTER_RING_MAX_RADIUS_RATIO)
    for r2 in np.arange(r * T.OUTER_RING_MIN_RADII, outer_max, T.OUTER_RING_STEP_PX):
        if _ring_cover(ink, cx, cy, r2) >= T.RING_MIN_COVER_SHARE:
            r = r2
    return Box(int(cx - r), int(cy - r), int(cx + r), int(cy + r)).clip(w, h)


def locate_seal(grey: np.ndarray, blank_seal: Box) -> tuple[tuple[int, int, int] | None, float]:
    """Find the seal on a registered ballot near where the blank has it.

    Returns ((cx, cy, r) or None, ring cover 0..1). The seal is hand-applied: it may land up to
    ``SEAL_SEARCH_RADII`` radii away and slightly rotated. ``grey`` uint8, template frame.
    """
    h, w = grey.shape
    r0 = blank_seal.w / 2
    zone = blank_seal.grow(int(T.SEAL_SEARCH_RADII * r0), int(T.SEAL_SEARCH_RADII * r0)).clip(w, h)
    area = grey[zone.slices()]
    if area.size == 0:
        return None, 0.0
    blur = cv2.GaussianBlur(area, (0, 0), T.SEAL_BLUR_PX)
    rmin = int(r0 * (1 - T.SEAL_RADIUS_TOLERANCE_SHARE))
    rmax = int(r0 * (1 + T.SEAL_RADIUS_TOLERANCE_SHARE)) + 1
    circles = cv2.HoughCircles(blur, cv2.HOUGH_GRADIENT, dp=T.SEAL_HOUGH_REDUCTION_RATIO, minDist=r0,
                               param1=T.SEAL_LOCATE_EDGE_GREY, param2=T.SEAL_LOCATE_HOUGH_VOTES,
                               minRadius=rmin, maxRadius=rmax)
    if circles is None:
        return None, 0.0
    ink = _seal_ink(area, T.SEAL_LOCATE_INK_OFFSET_GREY)
    best, cover = None, 0.0
    for cx, cy, r in circles[0][:T.SEAL_LOCATE_CANDIDATES]:
        c = _ring_cover(ink, cx, cy, r)
        if c > cover:
            best, cover = (int(cx + zone.x0), int(cy + zone.y0), int(r)), c
    return best, cover


def classify_seal(cover: float) -> str:
    """"present", "absent" or "unclear" from the ring cover ``locate_seal`` found."""
    return ("present" if cover >= T.SEAL_PRESENT_COVER_SHARE else
            "absent" if cover < T.SEAL_ABSENT_COVER_SHARE else "unclear")
