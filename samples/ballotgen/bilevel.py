"""Black-and-white office scans: a scan taken in grey (luma or the green channel) and turned 1-bit by a
fixed threshold, Otsu's threshold, Floyd-Steinberg or ordered (Bayer) dithering; stored as a Group 4
TIFF or a 1-bit PNG.  The red seal turns black; a light setting can erase a faint mark, which is then
measured (``mark_survival``) so that the truth can send the page to review.  A faint, ambiguous mark
(case "faint") that a threshold erased to the last pixel while the print stayed intact is no longer on
the page: the truth follows the capture (``page._faint_erased``, ``print_intact``, ``faint_left``)."""
from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

BAYER_8 = np.array([[0, 32, 8, 40, 2, 34, 10, 42], [48, 16, 56, 24, 50, 18, 58, 26],
                    [12, 44, 4, 36, 14, 46, 6, 38], [60, 28, 52, 20, 62, 30, 54, 22],
                    [3, 35, 11, 43, 1, 33, 9, 41], [51, 19, 59, 27, 49, 17, 57, 25],
                    [15, 47, 7, 39, 13, 45, 5, 37], [63, 31, 55, 23, 61, 29, 53, 21]], np.float32)
# A mark is kept by a 1-bit page when enough of it stands out from the paper (fraction of the mark's
# core, less the paper's own share): a thresholded stroke is kept where black pixels still run along it
# (within a pixel: its anti-aliased edges fall either way), and one that lost half its length is a
# broken trace a person cannot be sure of; a dithered mark is a cloud of dots whose density over the
# paper's is what the eye sees.
MARK_KEPT = {"threshold": 0.5, "otsu": 0.5, "floyd-steinberg": 0.2, "bayer": 0.2}
THRESHOLDED = ("threshold", "otsu")


def to_grey(rgb: np.ndarray, channel: str) -> np.ndarray:
    """The grey a black-and-white scanner works on: luma or the green channel.  HxWx3 -> HxW uint8."""
    if rgb.ndim == 2:
        return rgb
    return rgb[..., 1].copy() if channel == "green" else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def binarise(grey: np.ndarray, method: str, threshold: int) -> tuple[np.ndarray, int | None]:
    """1-bit page (bool HxW, True = white paper) and the threshold used (None when dithered)."""
    if method == "threshold":
        return grey >= threshold, int(threshold)
    if method == "otsu":
        t, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        return grey >= t, int(t)
    if method == "floyd-steinberg":
        return np.asarray(Image.fromarray(grey).convert("1", dither=Image.Dither.FLOYDSTEINBERG)), None
    if method == "bayer":
        h, w = grey.shape
        tile = np.tile((BAYER_8 + 0.5) / 64 * 255, (h // 8 + 1, w // 8 + 1))[:h, :w]
        return grey >= tile, None
    raise ValueError(f"unknown method {method!r}")


def seen_black(bits: np.ndarray, method: str) -> np.ndarray:
    """Where a person sees black on a 1-bit page (bool HxW): the black pixels, and for a thresholded
    page their 1-pixel neighbourhood too (a stroke's edges fall either way of the threshold)."""
    black = ~bits
    if method in THRESHOLDED:
        black = cv2.dilate(black.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    return black


def mark_survival(black: np.ndarray, ink: np.ndarray, box: list[float], paper: float) -> float | None:
    """Share of a mark's core where black is seen (``seen_black``), less the paper's share ``paper``.

    ``ink`` the voter's ink in the same pixels (float 0..1), ``box`` [x0, y0, x1, y1] where the mark is.
    The core is the ink at least 60 % as strong as the mark's strongest.  None when the box holds no ink."""
    H, W = black.shape
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(W, int(np.ceil(box[2]))), min(H, int(np.ceil(box[3])))
    if x1 <= x0 or y1 <= y0:
        return None
    a = ink[y0:y1, x0:x1]
    peak = float(a.max()) if a.size else 0.0
    if peak < 0.04:
        return None
    core = a >= 0.6 * peak
    return float(black[y0:y1, x0:x1][core].mean()) - paper


PRINT_GREY = 128                    # form px darker than this are the blank's print
MARK_INK_MIN = 0.02                 # a pixel with this much of the voter's ink (of the paper's light) is the mark's
PRINT_CORE_ERODE_PX = 1             # the print's own grey is read on its core: its px this far from its edge


def print_intact(grey: np.ndarray, printed: np.ndarray, threshold: int) -> bool:
    """Whether a threshold keeps the print at its width: it lies at or above the mid-grey between the
    print's core (the median grey of ``printed``, bool HxW, eroded by PRINT_CORE_ERODE_PX) and the paper
    (the median grey of the rest), in ``grey`` (the scan before the threshold, HxW uint8). A threshold
    under it (a "light" setting) thins every stroke, and a mark lighter than the print is gone."""
    core = cv2.erode(printed.astype(np.uint8), np.ones((2 * PRINT_CORE_ERODE_PX + 1,) * 2, np.uint8)) > 0
    if not core.any() or printed.all():
        return True
    mid = (float(np.median(grey[core])) + float(np.median(grey[~printed]))) / 2
    return threshold >= mid


def faint_left(grey: np.ndarray, ink: np.ndarray, threshold: int, box: list[float]) -> int:
    """How many pixels a mark alone made black on a thresholded page, apart from what is black anyway:
    within ``box`` [x0, y0, x1, y1], pixels of the mark (``ink``, the voter's ink 0..1, over MARK_INK_MIN)
    under ``threshold`` in ``grey`` (the scan before the threshold) that would be white without the
    mark's ink (``grey / (1 - ink)`` at or over the threshold) and touch no pixel that would be black
    without it (print the mark crosses, its edge a pixel fatter; the paper's own black specks): a
    pixel there is no mark anyone can see. 0 for a box without ink."""
    H, W = grey.shape
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(W, int(np.ceil(box[2]))), min(H, int(np.ceil(box[3])))
    if x1 <= x0 or y1 <= y0:
        return 0
    g = grey[y0:y1, x0:x1].astype(np.float32)
    a = np.clip(ink[y0:y1, x0:x1], 0, 0.99)
    anyway = g / (1 - a) < threshold
    near = cv2.dilate(anyway.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    made = (a > MARK_INK_MIN) & (g < threshold) & ~near
    return int(np.count_nonzero(made))


def encode_bilevel(bits: np.ndarray, fmt: str, dpi: int) -> tuple[bytes, str]:
    """Group 4 TIFF or 1-bit PNG of a bool page (True = white)."""
    im = Image.fromarray(bits.astype(np.uint8) * 255).convert("1", dither=Image.Dither.NONE)
    buf = io.BytesIO()
    if fmt == "tif":
        im.save(buf, "TIFF", compression="group4", dpi=(dpi, dpi))
    else:
        im.save(buf, "PNG", dpi=(dpi, dpi), optimize=True)
    return buf.getvalue(), fmt
