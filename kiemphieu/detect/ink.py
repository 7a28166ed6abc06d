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
