"""Whether a person at the review screen could see a faint mark in the capture: the rule that makes the truth
of the case "faint" follow what the capture kept, for every capture (scanner colour or grey, JPEG, phone
photo, 1-bit thresholded or dithered).

A faint mark (fill.py: a light short pencil-like stroke through a standing name, or a light tick in a
free box, opacity 0.12-0.22, 0.6 of the pen's width) is unclear on paper, so the page goes to review —
when the scan shows it. Resampled to 150 dpi, blurred, JPEG-coded or dithered, it can be gone: the scan
then shows a clean ballot, no reader and no person reading the scan can see the mark, and the truth is
the ballot as it stands (page.py ``_faint_seen``). Measured on the page itself: the capture of the page
(``seen``) and of its twin without the mark (``twin``: the same ballot captured with the same draws —
skew, warp, blur, noise, light — so that they differ only by the mark and what coding makes of it), both
as the eye takes them in (``eye``: a Gaussian of EYE_SIGMA_MM, which also merges a dither's dots into
grey). Per channel (R, G, B; or grey; or the 1-bit page's white):

- ``contrast``: the mark's darkening, the mean of twin - seen over the mark's core (its ink carried into
  the capture's px, at least half its peak), in grey levels;
- ``noise``: the paper's own grain there, the deviation (1.4826 x the median absolute deviation: a streak or a
  speck does not count as grain) of the twin's paper around the mark
  (its box grown by PAPER_RING_MM, away from the print and the mark, less its slow shading — the paper's
  own, a blur of the paper pixels alone), grey levels;
- ``print``: the print's darkness on the page, the paper's median minus the print core's, grey levels.

The mark is visible when, in one channel at least, its contrast is at least VISIBLE_NOISE_RATIO times
the paper's noise AND at least VISIBLE_PRINT_SHARE of the print's darkness: a stroke lost in the grain is
not seen, nor one so pale beside the print that the screen shows the paper's tone.

Where the rule lies was read by eye on crops of the page and its twin side by side at 4x zoom (fresh seeds
1796300001-1796300160, every capture; and the round's 11 faint pages): marks at 2.5-2.9 % of the print's
darkness were not seen (among them the round's example, seed 1796226570 count 2 page 2: 2.9 %, 3.2 times the
grain), marks from 3.5 % were seen, faintly (a tick in a box at 3.6 % and 14 times the grain; a tick at 3.7 %
and 3.6 times; a pencil line at 3.5 %); at 0.3-1.3 times the grain (dithered pages, a blurred photo) marks of
2.4-7.6 % were not seen among the dots. The rule lies between.

Distribution (fresh seeds 1796400001-1796400100, 100 faint-case pages, ``case="faint"`` forced, a third of
them box ballots): scanner 50 pages, the print share's 10/50/90th percentiles 0.034 / 0.060 / 0.086 and the
grain ratio's 3.6 / 14 / 26: 46 visible, 4 erased; phone 25 (one unreadable page unmeasured): 0.030 / 0.054 /
0.094 and 4.6 / 9.8 / 22: 21 visible, 3 erased; dithered 1-bit 9: 0.019 / 0.075 / 0.092 and 0.42 / 2.0 / 2.2:
6 visible, 3 erased; thresholded 1-bit 16: 13 erased by ``page._faint_erased`` (no pixel left), 3 on a
thinned print (review, the reader should say the scan was light). 10 of the 100 lie within 0.005 of the
print share's rule: the margin is thin by nature (a faint mark is faint), the rule is a person's eye.
"""
from __future__ import annotations

import cv2
import numpy as np

EYE_SIGMA_MM = 0.1          # the eye's blur at the review screen's zoom: merges dither dots (0.08-0.13 mm at
#                             200-300 dpi) and a scan's pixel grain into the grey a person sees
PAPER_RING_MM = 2.0         # the paper around a mark is read within its box grown by this much
SHADING_SIGMA_MM = 1.0      # the paper's slow shading (light, creases' shade) taken out before its grain is read
MARK_CORE_SHARE = 0.5       # the mark's core: its carried ink at least this share of its peak
PAPER_MAX_PRINT = 0.02      # paper: the carried print under this (after growing it by the eye's blur) ...
PAPER_MAX_INK = 0.01        # ... and the mark's carried ink under this
PRINT_CORE = 0.9            # the print's core: its carried map at least this
VISIBLE_NOISE_RATIO = 1.5   # contrast over the paper's noise (not seen: 0.3-1.3; seen: from 3.6)
VISIBLE_PRINT_SHARE = 0.032  # contrast over the print's darkness (not seen: 0.025-0.029; seen: from 0.035)


def eye(img: np.ndarray, px_per_mm: float) -> np.ndarray:
    """A capture as the eye takes it in: float32 HxWxC (C = 3, or 1 for grey and 1-bit), 0-255, blurred by
    EYE_SIGMA_MM. ``img``: HxW or HxWx3, uint8 or bool (True = white)."""
    a = img.astype(np.float32) * (255.0 if img.dtype == bool else 1.0)
    if a.ndim == 2:
        a = a[..., None]
    s = EYE_SIGMA_MM * px_per_mm
    out = cv2.GaussianBlur(a, (0, 0), s) if s >= 0.3 else a
    return out.reshape(a.shape)


def print_darkness(twin: np.ndarray, printed: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """The print's darkness per channel (float32 C, grey levels): the median of the paper (``printed`` under
    PAPER_MAX_PRINT, on the sheet: ``inside``, bool) less the median of the print's core (``printed`` at
    least PRINT_CORE), on ``twin`` (HxWxC float, ``eye``'s output). ``printed``: the blank's print carried
    into the same px, float 0..1. Zeros when the page shows no print core."""
    core = printed >= PRINT_CORE
    paper = (printed < PAPER_MAX_PRINT) & inside
    if not core.any() or not paper.any():
        return np.zeros(twin.shape[2], np.float32)
    return np.float32([np.median(twin[..., c][paper]) - np.median(twin[..., c][core]) for c in range(twin.shape[2])])


def faint_contrast(seen: np.ndarray, twin: np.ndarray, ink: np.ndarray, printed: np.ndarray,
                   box: list[float], px_per_mm: float) -> dict | None:
    """The faint mark's contrast and the paper's noise around it, per channel (see the module doc).

    ``seen``, ``twin``: the page captured with and without the mark (``eye``'s output, HxWxC float32, same
    px); ``ink``: the mark's ink carried into those px (HxW float 0..1); ``printed``: the blank's print
    carried likewise; ``box`` [x0, y0, x1, y1]: where the mark lies (image px). Returns {"contrast",
    "noise"} (lists of C floats, grey levels), or None when the box holds none of the mark's ink (off the
    page)."""
    H, W = ink.shape
    g = PAPER_RING_MM * px_per_mm
    x0, y0 = max(0, int(box[0] - g)), max(0, int(box[1] - g))
    x1, y1 = min(W, int(np.ceil(box[2] + g))), min(H, int(np.ceil(box[3] + g)))
    if x1 - x0 < 3 or y1 - y0 < 3:
        return None
    a = ink[y0:y1, x0:x1]
    peak = float(a.max())
    if peak < 0.01:
        return None
    core = a >= MARK_CORE_SHARE * peak
    grow = max(1, int(round(2 * EYE_SIGMA_MM * px_per_mm)) + 1)
    k = np.ones((2 * grow + 1, 2 * grow + 1), np.uint8)
    near_print = cv2.dilate((printed[y0:y1, x0:x1] >= PAPER_MAX_PRINT).astype(np.uint8), k) > 0
    near_mark = cv2.dilate((a >= PAPER_MAX_INK).astype(np.uint8), k) > 0
    paper = ~near_print & ~near_mark
    tw = twin[y0:y1, x0:x1]
    d = tw - seen[y0:y1, x0:x1]
    w = paper.astype(np.float32)
    sig = SHADING_SIGMA_MM * px_per_mm
    norm = np.maximum(cv2.GaussianBlur(w, (0, 0), sig), 1e-3)[..., None]
    shade = cv2.GaussianBlur(tw * w[..., None], (0, 0), sig).reshape(tw.shape) / norm    # the paper's alone
    grain = tw - shade
    contrast, noise = [], []
    for c in range(tw.shape[2]):
        contrast.append(float(d[..., c][core].mean()))
        v = grain[..., c][paper]
        noise.append(float(1.4826 * np.median(np.abs(v - np.median(v)))) if v.size >= 20 else float("nan"))
    return {"contrast": contrast, "noise": noise}


def visibility(contrast: list[float], noise: list[float], dark: list[float]) -> dict:
    """The faint mark's visibility in the channel where it shows most: {"snr": contrast over noise,
    "share": contrast over the print's darkness ``dark``, "channel", "visible"} (``visible`` as the
    module doc says). A channel whose noise could not be read (nan) is judged on its share alone."""
    best = None
    for c, (k, n, p) in enumerate(zip(contrast, noise, dark)):
        snr = k / max(n, 0.5) if n == n else float("inf")
        share = k / p if p > 1 else 0.0
        score = min(snr / VISIBLE_NOISE_RATIO, share / VISIBLE_PRINT_SHARE)
        if best is None or score > best[0]:
            best = (score, snr, share, c)
    score, snr, share, c = best
    return {"snr": round(snr, 2) if snr != float("inf") else None, "share": round(share, 4), "channel": c,
            "visible": bool(score >= 1.0)}
