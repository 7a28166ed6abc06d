"""The voter's pen: inks, widths and the shapes it draws (strikes, crosses, ticks, filled boxes, handwriting)."""
from __future__ import annotations

import math
import unicodedata

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .fonts import hand_font_for, load_font
from .ink import pen_line, smooth_noise
from .units import PEN_REF_DPI, RENDER_DPI, mm_px

PEN_WIDTH_PX200 = (1.0, 4.0)        # pen stroke width in px at 200 dpi
MAX_SLANT_DEG = 4.0
HAND_PT_RANGE = (14.0, 20.0)
PENS = {  # name -> (RGB ink colour, opacity range)
    "blue": ((35, 65, 185), (0.80, 1.00)),
    "darkblue": ((25, 35, 105), (0.85, 1.00)),
    "black": ((30, 30, 35), (0.85, 1.00)),
    "purple": ((100, 45, 150), (0.80, 1.00)),
    "pencil": ((95, 95, 100), (0.50, 0.75)),
    "faintblue": ((60, 90, 200), (0.35, 0.55)),   # half-dry ballpoint; truth says "blue"
    "gel-black": ((18, 18, 26), (0.92, 1.00)),     # a broad gel pen; truth says "black"
}
PEN_TRUTH = {"faintblue": "blue", "gel-black": "black"}   # what the truth calls a pen
PEN_WEIGHTS = {"blue": 0.42, "darkblue": 0.15, "black": 0.15, "purple": 0.08, "pencil": 0.12, "faintblue": 0.08}


def strike_paths(r, rng, width, opacity, style, frac=(0.0, 1.0), dpi=RENDER_DPI):
    """Paths for a strike through a name's text at the x-height middle."""
    x0, _, x1, _ = r["text_box"]
    L = x1 - x0
    lo, hi = frac
    ov_l = style.get("overshoot_left", float(rng.uniform(-0.08, 0.12)))
    ov_r = style.get("overshoot_right", float(rng.uniform(-0.08, 0.15)))
    xa = x0 + lo * L - (ov_l * L if lo == 0 else 0)
    xb = x0 + hi * L + (ov_r * L if hi == 1 else 0)
    xa = max(xa, r["row_box"][0] - mm_px(2, dpi))
    xb = min(xb, r["row_box"][2] + mm_px(1, dpi))
    half = max(1.0, (xb - xa) / 2)
    max_slope = math.tan(math.radians(MAX_SLANT_DEG))
    slope = float(
        np.clip(rng.uniform(-1, 1) * max_slope, -0.45 * r["cap_height"] / half, 0.45 * r["cap_height"] / half)
    )
    slope = style.get("slope", slope)
    yc = r["mid_y"] + rng.normal(0, 0.08) * r["x_height"] + style.get("dy", 0.0)
    n = max(10, int((xb - xa) / 8))
    if style.get("zigzag"):    # a back-and-forth scribble along the name, within the x-height
        period = float(rng.uniform(0.5, 1.2)) * r["x_height"]
        n = max(n, int(4 * (xb - xa) / max(1.0, period)) + 2)
    xs = np.linspace(xa, xb, n)
    ys = yc + slope * (xs - (xa + xb) / 2) + 0.06 * r["x_height"] * smooth_noise(rng, n, 8)
    if style.get("wavy"):
        amp = rng.uniform(0.12, 0.28) * r["x_height"]
        ys = ys + amp * np.sin(
            2 * np.pi * rng.uniform(1.5, 5) * (xs - xa) / max(1, xb - xa) + rng.uniform(0, 2 * np.pi)
        )
    if style.get("zigzag"):
        amp = float(rng.uniform(0.3, 0.5)) * r["x_height"]
        ys = ys + amp * (4 * np.abs(((xs - xa) / period) % 1 - 0.5) - 1)
    pts = np.stack([xs, ys], 1)
    t = np.linspace(0, 1, n)
    widths = width * (1 + 0.15 * smooth_noise(rng, n)) * (0.7 + 0.3 * np.minimum(1, np.minimum(t, 1 - t) * 15))
    op = opacity * (1 - 0.15 * np.abs(smooth_noise(rng, n)))
    paths = [(pts, widths, op)]
    if style.get("double"):
        back = pts[::-1] + [0, rng.uniform(-0.25, 0.25) * r["x_height"]]
        back[:, 1] += 0.05 * r["x_height"] * smooth_noise(rng, n)
        paths.append((back, widths[::-1] * rng.uniform(0.8, 1.1), op * rng.uniform(0.8, 1)))
    return paths


def x_mark(box, rng, width, opacity, scale=1.0, center=None):
    """Two crossing strokes (an X) over a box [x0, y0, x1, y1]."""
    x0, y0, x1, y1 = box
    cx, cy = center if center is not None else ((x0 + x1) / 2, (y0 + y1) / 2)
    hw, hh = (x1 - x0) / 2 * scale, (y1 - y0) / 2 * scale
    j = lambda: rng.uniform(-0.18, 0.12)
    a = ((cx - hw * (1 + j()), cy - hh * (1 + j())), (cx + hw * (1 + j()), cy + hh * (1 + j())))
    b = ((cx + hw * (1 + j()), cy - hh * (1 + j())), (cx - hw * (1 + j()), cy + hh * (1 + j())))
    return [pen_line(*a, width, opacity, rng, bend=rng.uniform(-0.04, 0.04)),
            pen_line(*b, width, opacity, rng, bend=rng.uniform(-0.04, 0.04))]


def tick_mark(box, rng, width, opacity, scale=1.0):
    """A tick drawn as two strokes."""
    x0, y0, x1, y1 = box
    s = (x1 - x0) * scale
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    p0 = (cx - 0.40 * s, cy + rng.uniform(-0.05, 0.1) * s)
    p1 = (cx - 0.10 * s + rng.uniform(-0.05, 0.05) * s, cy + 0.38 * s)
    p2 = (cx + 0.45 * s, cy - 0.55 * s + rng.uniform(-0.1, 0.1) * s)
    pts1, w1, o1 = pen_line(p0, p1, width, opacity, rng)
    pts2, w2, o2 = pen_line(p1, p2, width, opacity, rng, bend=rng.uniform(-0.05, 0.05))
    return [(np.concatenate([pts1, pts2]), np.concatenate([w1, w2]), np.concatenate([o1, o2]))]


def fill_mark(box, rng, width, opacity, cover=None, scale=1.0):
    """A zig-zag scribble filling (most of) a box."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hw, hh = (x1 - x0) / 2 * scale, (y1 - y0) / 2 * scale
    cover = cover if cover is not None else rng.uniform(0.75, 0.95)
    step = max(2.0, width * rng.uniform(0.9, 1.4))
    k = int(2 * hh * cover / step)
    pts = []
    for i in range(k + 1):
        y = cy - hh * cover + i * step
        xs = (cx - hw * cover, cx + hw * cover) if i % 2 == 0 else (cx + hw * cover, cx - hw * cover)
        pts += [(xs[0] + rng.normal(0, 1), y + rng.normal(0, 0.5)), (xs[1] + rng.normal(0, 1), y + step / 2)]
    pts = np.asarray(pts, float)
    n = len(pts)
    return [(pts, np.full(n, width * 1.1), np.full(n, opacity))]


def hand_alpha(text: str, px: int, rng: np.random.Generator, weight: int = 0) -> np.ndarray:
    """Coverage mask of handwritten-looking text: jittered per-character placement, slight rotation."""
    text = unicodedata.normalize("NFC", text)
    W = int(px * (len(text) * 0.75 + 2))
    Hh = int(px * 2.2)
    img = Image.new("L", (W, Hh), 0)
    d = ImageDraw.Draw(img)
    x = px * 0.5
    base = px * 1.45
    for ch in text:
        fc = load_font(hand_font_for(text), max(6, int(px * rng.uniform(0.92, 1.08))))
        d.text((x, base + rng.normal(0, 0.05) * px), ch, font=fc, fill=int(rng.uniform(200, 255)), anchor="ls",
               stroke_width=weight, stroke_fill=int(rng.uniform(200, 255)))
        x += fc.getlength(ch) * rng.uniform(0.95, 1.12)
    a = np.asarray(img, np.float32)[:, : int(x + px * 0.5)] / 255.0
    h, w = a.shape
    M = cv2.getRotationMatrix2D((w / 2, h / 2), float(rng.uniform(-5, 5)), 1.0)
    M[0, 1] += rng.uniform(-0.1, 0.15)          # a little slant
    return cv2.warpAffine(a, M, (w, h))


def pen_for(spec, rng, dpi):
    """Resolve the pen (colour, width in page px, opacity, pencil) for a fill spec."""
    name = spec.get("pen", "blue")
    color, (olo, ohi) = PENS[name]
    width = spec.get("width", float(rng.uniform(*PEN_WIDTH_PX200))) * dpi / PEN_REF_DPI
    opacity = spec.get("strength", float(rng.uniform(olo, ohi)))
    return color, width, opacity, name == "pencil"
