"""The round seal stamped by hand on every ballot (ring, text around, star)."""
from __future__ import annotations

import functools
import math

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .fonts import SANS_BOLD_FONT, font_path, load_font
from .ink import blend_ink
from .units import mm_px, pt_px

SEAL_DIAMETER_MM = 35.0
SEAL_JITTER_MM = 10.0               # hand-applied: the seal lands within ±1 cm of its nominal place
SEAL_RING_MM = 0.9
SEAL_INNER_RING_MM = 0.35
SEAL_INNER_RADIUS_MM = 11.0
SEAL_STAR_RADIUS_MM = 6.5
SEAL_TEXT_PT = 7.5
SEAL_RGB = (200, 35, 45)
SEAL_INKS = {"red": (200, 35, 45), "purple": (110, 45, 140)}   # stamp-pad colours of the stress matrix


@functools.lru_cache(maxsize=16)
def seal_mask(text: str, dpi: int, diameter_mm: float = SEAL_DIAMETER_MM) -> np.ndarray:
    """Coverage mask (float32 0..1, square of side diameter + 8 px) of the round seal: ring, inner ring,
    text around, star; every part scales with ``diameter_mm``."""
    scale = diameter_mm / SEAL_DIAMETER_MM
    D = mm_px(diameter_mm, dpi)
    S = D + 8
    c = S / 2
    R = D / 2
    img = Image.new("L", (S, S), 0)
    d = ImageDraw.Draw(img)
    rw = max(2, mm_px(SEAL_RING_MM, dpi))
    d.ellipse([c - R, c - R, c + R, c + R], outline=255, width=rw)
    ri = mm_px(SEAL_INNER_RADIUS_MM * scale, dpi)
    d.ellipse([c - ri, c - ri, c + ri, c + ri], outline=255, width=max(1, mm_px(SEAL_INNER_RING_MM, dpi)))
    f = load_font(font_path(SANS_BOLD_FONT), pt_px(SEAL_TEXT_PT * scale, dpi))
    rt = (R - rw + ri) / 2
    chars = list(text)
    span = math.radians(330)
    for k, ch in enumerate(chars):
        if ch == " ":
            continue
        ang = -math.pi / 2 - span / 2 + span * (k + 0.5) / len(chars)   # clockwise from the left-bottom
        cimg = Image.new("L", (f.size * 2, f.size * 2), 0)
        ImageDraw.Draw(cimg).text((f.size, f.size), ch, font=f, fill=255, anchor="mm")
        cimg = cimg.rotate(-math.degrees(ang) - 90, resample=Image.BILINEAR)
        px, py = c + rt * math.cos(ang), c + rt * math.sin(ang)
        img.paste(255, (int(px - f.size), int(py - f.size)), cimg)
    rs = mm_px(SEAL_STAR_RADIUS_MM * scale, dpi)
    star = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        r = rs if k % 2 == 0 else rs * 0.40
        star.append((c + r * math.cos(a), c + r * math.sin(a)))
    d.polygon(star, fill=255)
    return np.asarray(img, np.float32) / 255.0


def stamp_seal(page: np.ndarray, geometry: dict, rng: np.random.Generator, strength: float | None = None) -> dict:
    """Stamp the seal by hand: random offset (±SEAL_JITTER_MM), rotation and ink strength.  In place."""
    dpi = geometry["dpi"]
    m = seal_mask(geometry["seal_text"], dpi)
    angle = float(rng.uniform(0, 360))
    S = m.shape[0]
    rot = cv2.warpAffine(m, cv2.getRotationMatrix2D((S / 2, S / 2), angle, 1.0), (S, S))
    field = cv2.resize(rng.uniform(0.55, 1.1, (5, 5)).astype(np.float32), (S, S), interpolation=cv2.INTER_CUBIC)
    g = np.linspace(-1, 1, S, dtype=np.float32)
    tilt = rng.uniform(-0.25, 0.25, 2)
    field = field * (1 + tilt[0] * g[None, :] + tilt[1] * g[:, None])
    speck = np.where(rng.random((S, S), dtype=np.float32) < rng.uniform(0.03, 0.15), 0.3, 1.0)
    strength = float(rng.uniform(0.45, 0.95)) if strength is None else strength
    alpha = np.clip(rot * field * speck * strength, 0, 1)
    cx = geometry["seal_anchor"][0] + rng.uniform(-1, 1) * mm_px(SEAL_JITTER_MM, dpi)
    cy = geometry["seal_anchor"][1] + rng.uniform(-1, 1) * mm_px(SEAL_JITTER_MM, dpi)
    color = tuple(int(v + rng.integers(-15, 15)) for v in SEAL_RGB)
    blend_ink(page, alpha, int(cx - S / 2), int(cy - S / 2), color)
    info = {"center": [float(cx), float(cy)], "angle": angle, "strength": strength}
    geometry["seal"], geometry["sealed"] = info, True
    return info


def _impression(m: np.ndarray, angle: float, strength: float, speck_p: float, rng) -> np.ndarray:
    """One impression of the stamp: the mask turned by ``angle`` degrees with uneven ink (a smooth field,
    a tilt of the hand, specks where the pad was dry), scaled by ``strength``."""
    S = m.shape[0]
    rot = cv2.warpAffine(m, cv2.getRotationMatrix2D((S / 2, S / 2), angle, 1.0), (S, S))
    field = cv2.resize(rng.uniform(0.55, 1.1, (5, 5)).astype(np.float32), (S, S), interpolation=cv2.INTER_CUBIC)
    g = np.linspace(-1, 1, S, dtype=np.float32)
    tilt = rng.uniform(-0.3, 0.3, 2)
    field = field * (1 + tilt[0] * g[None, :] + tilt[1] * g[:, None])
    speck = np.where(rng.random((S, S), dtype=np.float32) < speck_p, 0.3, 1.0)
    return np.clip(rot * field * speck * strength, 0, 1).astype(np.float32)


def stamp_seal_as(page: np.ndarray, geometry: dict, seal: dict, rng: np.random.Generator) -> dict:
    """Stamp the seal as drawn by the stress matrix, in place.  ``seal``: ``mm`` (diameter), ``rgb``,
    ``center`` [x, y] in page px, ``angle`` (degrees), ``alpha`` (ink strength 0..1), ``style``
    ("normal", "faint", "strong", "doubled", "smudged").  Returns the geometry record
    (``center``, ``radius`` px, ``angle``, ``strength``) and sets ``geometry["seal"]``."""
    dpi = geometry["dpi"]
    m = seal_mask(geometry["seal_text"], dpi, float(seal["mm"]))
    S = m.shape[0]
    style = seal["style"]
    speck_p = {"faint": rng.uniform(0.10, 0.25), "strong": rng.uniform(0.0, 0.03)}.get(style, rng.uniform(0.03, 0.15))
    alpha = _impression(m, seal["angle"], seal["alpha"], speck_p, rng)
    if style == "strong":        # a wet pad: the ink spreads a little
        alpha = np.clip(cv2.GaussianBlur(alpha, (0, 0), max(0.6, mm_px(0.12, dpi))) * 1.25, 0, 1)
    elif style == "smudged":     # the stamp slid while pressed: ink dragged along one direction
        n = max(3, mm_px(float(rng.uniform(0.6, 2.0)), dpi))
        k = np.zeros((n, n), np.float32)
        k[n // 2, :] = 1.0 / n
        rot = cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), float(rng.uniform(0, 180)), 1.0)
        k = cv2.warpAffine(k, rot, (n, n))
        alpha = np.clip(cv2.filter2D(alpha, -1, k / max(k.sum(), 1e-6)) * 1.1, 0, 1)
    elif style == "doubled":     # stamped twice, a little apart
        off = rng.uniform(-1, 1, 2)
        off = off / max(1e-6, np.hypot(*off)) * mm_px(float(rng.uniform(0.6, 3.0)), dpi)
        second = _impression(m, seal["angle"] + float(rng.uniform(-6, 6)), seal["alpha"] * float(rng.uniform(0.4, 0.9)),
                             speck_p, rng)
        second = cv2.warpAffine(second, np.float32([[1, 0, off[0]], [0, 1, off[1]]]), (S, S))
        alpha = 1 - (1 - alpha) * (1 - second)
    cx, cy = seal["center"]
    blend_ink(page, alpha, int(round(cx - S / 2)), int(round(cy - S / 2)), tuple(int(v) for v in seal["rgb"]))
    info = {
        "center": [float(cx), float(cy)],
        "radius": mm_px(float(seal["mm"]), dpi) / 2,
        "angle": float(seal["angle"]),
        "strength": float(seal["alpha"]),
    }
    geometry["seal"], geometry["sealed"] = info, True
    return info
