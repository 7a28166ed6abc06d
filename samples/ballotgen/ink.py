"""Ink on paper: multiply-blending a coverage mask and drawing anti-aliased pen paths."""
from __future__ import annotations

import cv2
import numpy as np


def blend_ink(page: np.ndarray, alpha: np.ndarray, x0: int, y0: int, rgb) -> None:
    """Multiply-blend ink of colour ``rgb`` with coverage ``alpha`` (float, 0..1) at (x0, y0), in place."""
    h, w = alpha.shape
    H, W = page.shape[:2]
    ax0, ay0 = max(0, -x0), max(0, -y0)
    px0, py0 = max(0, x0), max(0, y0)
    px1, py1 = min(W, x0 + w), min(H, y0 + h)
    if px1 <= px0 or py1 <= py0:
        return
    a = alpha[ay0:ay0 + py1 - py0, ax0:ax0 + px1 - px0, None]
    absorb = 1.0 - np.asarray(rgb, np.float32) / 255.0
    crop = page[py0:py1, px0:px1].astype(np.float32)
    crop *= 1.0 - np.clip(a, 0, 1) * absorb
    page[py0:py1, px0:px1] = np.clip(crop + 0.5, 0, 255).astype(np.uint8)


def smooth_noise(rng, n, k=6):
    """1-D smooth noise in about [-1, 1] of length n."""
    ctrl = rng.uniform(-1, 1, k)
    return np.interp(np.linspace(0, k - 1, n), np.arange(k), ctrl)


def ink_paths(page: np.ndarray, paths: list, color, rng: np.random.Generator, pencil: bool = False,
              supersample: int = 3) -> None:
    """Draw anti-aliased pen strokes.  ``paths`` is a list of ``(pts Nx2, widths N, opacity N)`` in page
    pixels; rendered supersampled into one coverage mask and blended once."""
    allp = np.concatenate([p[0] for p in paths])
    pad = int(max(np.max(p[1]) for p in paths)) + 4
    x0, y0 = int(np.floor(allp[:, 0].min())) - pad, int(np.floor(allp[:, 1].min())) - pad
    x1, y1 = int(np.ceil(allp[:, 0].max())) + pad, int(np.ceil(allp[:, 1].max())) + pad
    s = supersample
    mask = np.zeros(((y1 - y0) * s, (x1 - x0) * s), np.uint8)
    for pts, widths, opac in paths:
        q = ((pts - [x0, y0]) * s * 16).astype(np.int32)
        for j in range(len(q) - 1):
            t = max(1, int(round((widths[j] + widths[j + 1]) / 2 * s)))
            v = int(255 * min(1.0, max(0.0, (opac[j] + opac[j + 1]) / 2)))
            cv2.line(mask, tuple(q[j]), tuple(q[j + 1]), v, t, cv2.LINE_AA, shift=4)
    alpha = cv2.resize(mask, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    if pencil:
        grain = rng.random(alpha.shape, dtype=np.float32)
        alpha *= np.where(grain < 0.25, 0.25, 0.75 + 0.25 * grain)
    blend_ink(page, alpha, x0, y0, color)


def pen_line(p0, p1, width, opacity, rng, n=None, bend=0.0, wobble=0.0):
    """A slightly irregular pen path from p0 to p1: per-point width and opacity vary smoothly."""
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    L = float(np.hypot(*(p1 - p0)))
    n = n or max(6, int(L / 6))
    t = np.linspace(0, 1, n)
    pts = p0 + (p1 - p0) * t[:, None]
    nrm = np.array([-(p1 - p0)[1], (p1 - p0)[0]]) / max(L, 1e-6)
    off = bend * L * 4 * t * (1 - t) + wobble * smooth_noise(rng, n)
    pts = pts + off[:, None] * nrm
    widths = width * (1 + 0.15 * smooth_noise(rng, n)) * (0.75 + 0.25 * np.minimum(1, np.minimum(t, 1 - t) * 12))
    op = opacity * (1 - 0.12 * np.abs(smooth_noise(rng, n)))
    return pts, widths, op
