"""Ink maps: how dark each pixel is relative to the paper around it.

Every reading compares *ink*, not grey levels, so that paper tone, uneven lighting and scanner
brightness cancel out. Ink is a float32 array in 0..1: 0 is paper, 1 is black.
"""
from __future__ import annotations

import cv2
import numpy as np

from . import thresholds as T


def paper_level(grey: np.ndarray) -> np.ndarray:
    """Estimate the paper brightness under every pixel of a uint8 grey page (same shape, uint8)."""
    h, w = grey.shape
    cell = T.PAPER_CELL_PX
    small = cv2.resize(grey, (max(1, w // cell), max(1, h // cell)), interpolation=cv2.INTER_AREA)
    k = np.ones((T.PAPER_WINDOW_PX // cell, T.PAPER_WINDOW_PX // cell), np.uint8)
    bright = cv2.dilate(small, k)
    bright = cv2.GaussianBlur(bright, (0, 0), T.PAPER_BLUR_PX / cell)
    return cv2.resize(bright, (w, h), interpolation=cv2.INTER_LINEAR)


def ink_map(grey: np.ndarray) -> np.ndarray:
    """Ink darkness 0..1 (float32) of a uint8 grey page: 1 − grey / paper, clipped."""
    ink = cv2.divide(grey, cv2.max(paper_level(grey), 1), dtype=cv2.CV_32F)
    np.subtract(np.float32(1.0), ink, out=ink)
    return np.maximum(ink, 0.0, out=ink)    # ≤ 1 already: grey ≥ 0


def spread(ink: np.ndarray, radius_px: int) -> np.ndarray:
    """Grey dilation: each pixel takes the darkest ink within ``radius_px`` (tolerates misalignment)."""
    if radius_px <= 0:
        return ink
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius_px + 1, 2 * radius_px + 1))
    return cv2.dilate(ink, k)


def added_ink(scan_ink: np.ndarray, blank_ink_spread: np.ndarray) -> np.ndarray:
    """Ink on the scan that the blank does not have there (0..1): strokes, marks, writing."""
    out = np.subtract(scan_ink, blank_ink_spread)
    return np.maximum(out, 0.0, out=out)    # ≤ 1 already: scan ink ≤ 1, blank ink ≥ 0


class BlurLadder:
    """The blank's side of ``print_blur``, measured once per blank and kept: the box around ``where``
    (and the margin a blur reaches), ``where`` within it, and the blank's ink there blurred by each
    sigma of ``PRINT_BLUR_LADDER_PX`` (made on first use) with its dot product with itself. Every page of
    a count is compared with the same blank over the same names' zones."""

    def __init__(self, blank_ink: np.ndarray, where: np.ndarray):
        ys, xs = np.nonzero(where)
        self.empty = not ys.size
        self._blurred: dict[float, tuple[np.ndarray, float]] = {}
        if self.empty:
            return
        m = int(np.ceil(3 * max(T.PRINT_BLUR_LADDER_PX)))
        h, w = where.shape
        self.box = (max(0, ys.min() - m), min(h, ys.max() + 1 + m), max(0, xs.min() - m), min(w, xs.max() + 1 + m))
        y0, y1, x0, x1 = self.box
        self.on = where[y0:y1, x0:x1]
        self._blank = blank_ink[y0:y1, x0:x1]

    def blurred(self, sigma: float) -> tuple[np.ndarray, float]:
        """The blank's ink at ``where`` blurred by ``sigma`` px (0: as it is), float32 (n,), and its dot
        product with itself."""
        if sigma not in self._blurred:
            b = (cv2.GaussianBlur(self._blank, (0, 0), sigma) if sigma > 0 else self._blank)[self.on]
            self._blurred[sigma] = b, float(np.dot(b, b))
        return self._blurred[sigma]

    def page(self, page_ink: np.ndarray) -> np.ndarray:
        """The page's ink at ``where``, float32 (n,)."""
        y0, y1, x0, x1 = self.box
        return page_ink[y0:y1, x0:x1][self.on]


def print_blur(blank_ink: np.ndarray, page_ink: np.ndarray, where: np.ndarray | None,
               ladder: BlurLadder | None = None) -> tuple[float, float]:
    """How blurred the page's print is next to the blank's: (sigma px, scale) of the Gaussian of
    ``PRINT_BLUR_LADDER_PX`` that, blurring the blank's ink (times its least-squares scale), leaves the
    smallest mean absolute difference with the page's over ``where`` (bool, same shape as the inks,
    float32 (h, w)); (0, 1) unless that is ``PRINT_BLUR_MIN_GAIN_SHARE`` less than the blank as it is
    leaves. The ladder is walked up until the difference grows. A blurred scan spreads every letter
    into a halo over the paper around it that the blank does not have; subtracted from the blank
    blurred as much, it cancels. ``ladder``: the blank's side already prepared (``BlurLadder`` of
    ``blank_ink`` and ``where``, which may then be None), for many pages."""
    ladder = BlurLadder(blank_ink, where) if ladder is None else ladder
    if ladder.empty:
        return 0.0, 1.0
    page = ladder.page(page_ink)

    def misfit(sigma: float) -> tuple[float, float]:
        b, bb = ladder.blurred(sigma)
        scale = float(np.dot(b, page) / max(bb, 1e-9))
        scale = float(np.clip(scale, 1.0 / T.MAX_CONTRAST_GAIN_RATIO, T.MAX_CONTRAST_GAIN_RATIO))
        return float(np.mean(np.abs(page - scale * b))), scale

    first, _ = misfit(0.0)
    best, low = (0.0, 1.0), first
    for sigma in T.PRINT_BLUR_LADDER_PX:
        res, scale = misfit(sigma)
        if res >= low:
            break                      # past the blur that fits: more only fits worse
        best, low = (sigma, scale), res
    return best if low <= (1.0 - T.PRINT_BLUR_MIN_GAIN_SHARE) * first else (0.0, 1.0)
