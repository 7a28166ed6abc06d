"""The round seal stamped on ballots by hand.

The seal lands somewhere else on every ballot and is not a mark. ``find_seal`` locates it on the
blank (a ring of ink), so the reader knows which corner of the page the seal may wander over.
"""
from __future__ import annotations

import cv2
import numpy as np

from ..records import Box

SEAL_MIN_RADIUS = 0.025      # of the page's long side
SEAL_MAX_RADIUS = 0.07
SEAL_SEARCH_TOP = 0.4        # seals sit in the upper part of the page, as a share of its height
RING_MIN_COVER = 0.5         # share of the circle's perimeter that must carry ink


def _ring_cover(ink: np.ndarray, cx: float, cy: float, r: float) -> float:
    """Share of points on the circle (cx, cy, r) that lie on ink (within 2 px). Points off ``ink`` count
    as paper: a circle half outside the searched area (a dark page edge) is not a seal."""
    t = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    h, w = ink.shape
    best = 0.0
    for dr in (-2, 0, 2):
        xs = np.floor(cx + (r + dr) * np.cos(t)).astype(int)
        ys = np.floor(cy + (r + dr) * np.sin(t)).astype(int)
        on = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
        best = max(best, float(np.count_nonzero(ink[ys[on], xs[on]])) / len(t))
    return best


def find_seal(grey: np.ndarray) -> Box | None:
    """Bounding box of the seal on a blank in the template frame, or None."""
    h, w = grey.shape
    top = grey[: int(h * SEAL_SEARCH_TOP)]
    long_side = max(h, w)
    rmin, rmax = int(SEAL_MIN_RADIUS * long_side), int(SEAL_MAX_RADIUS * long_side)
    blur = cv2.GaussianBlur(top, (0, 0), 2)
    circles = cv2.HoughCircles(blur, cv2.HOUGH_GRADIENT, dp=2, minDist=rmin, param1=80, param2=60,
                               minRadius=rmin, maxRadius=rmax)
    if circles is None:
        return None
    ink = cv2.adaptiveThreshold(top, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 10)
    ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    best = None
    for cx, cy, r in circles[0][:20]:
        cover = _ring_cover(ink, cx, cy, r)
        if cover >= RING_MIN_COVER and (best is None or r * cover > best[2] * best[3]):
            best = (cx, cy, r, cover)
    if best is None:
        return None
    cx, cy, r, _ = best
    # Seals often carry two rings: keep the outermost ring around the same centre.
    for r2 in np.arange(r * 1.2, min(r * 2.0, rmax * 1.5), 2.0):
        if _ring_cover(ink, cx, cy, r2) >= RING_MIN_COVER:
            r = r2
    return Box(int(cx - r), int(cy - r), int(cx + r), int(cy + r)).clip(w, h)


SEAL_SEARCH_RADII = 1.6      # on a ballot, the seal is looked for within this many radii of the blank's
SEAL_RADIUS_TOLERANCE = 0.15  # the ballot's seal radius may differ from the blank's by this share
SEAL_PRESENT_COVER = 0.6     # share of the ring that must carry ink for the seal to be present
SEAL_ABSENT_COVER = 0.45     # below this share the seal is absent (printed text alone reaches ~0.4); between: unclear


def locate_seal(grey: np.ndarray, blank_seal: Box) -> tuple[tuple[int, int, int] | None, float]:
    """Find the seal on a registered ballot near where the blank has it.

    Returns ((cx, cy, r) or None, ring cover 0..1). The seal is hand-applied: it may land up to
    ``SEAL_SEARCH_RADII`` radii away and slightly rotated.
    """
    h, w = grey.shape
    r0 = blank_seal.w / 2
    zone = blank_seal.grow(int(SEAL_SEARCH_RADII * r0), int(SEAL_SEARCH_RADII * r0)).clip(w, h)
    area = grey[zone.slices()]
    if area.size == 0:
        return None, 0.0
    blur = cv2.GaussianBlur(area, (0, 0), 2)
    rmin, rmax = int(r0 * (1 - SEAL_RADIUS_TOLERANCE)), int(r0 * (1 + SEAL_RADIUS_TOLERANCE)) + 1
    circles = cv2.HoughCircles(blur, cv2.HOUGH_GRADIENT, dp=2, minDist=r0, param1=60, param2=30,
                               minRadius=rmin, maxRadius=rmax)
    if circles is None:
        return None, 0.0
    ink = cv2.adaptiveThreshold(area, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 6)
    ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    best, cover = None, 0.0
    for cx, cy, r in circles[0][:10]:
        c = _ring_cover(ink, cx, cy, r)
        if c > cover:
            best, cover = (int(cx + zone.x0), int(cy + zone.y0), int(r)), c
    return best, cover


def classify_seal(cover: float) -> str:
    """"present", "absent" or "unclear" from the ring cover ``locate_seal`` found."""
    return "present" if cover >= SEAL_PRESENT_COVER else "absent" if cover < SEAL_ABSENT_COVER else "unclear"
