"""Scanner simulation: resampling, skew, keystone, warp, paper tone, crease, streak, blur, noise, file formats."""
from __future__ import annotations

import io
import math

import cv2
import numpy as np
from PIL import Image

from .units import PEN_REF_DPI

SCAN_DPI_RANGE = (150, 300)
MAX_ROTATION_DEG = 5.0
PERSPECTIVE_MAX_FRAC = 0.005        # keystone: corner offsets up to 0.5 % of the page size
WARP_MAX_PX200 = 1.5                # smooth paper warp amplitude at 200 dpi
BLUR_SIGMA_PX = (0.3, 1.0)
NOISE_SIGMA = (1.0, 3.5)            # sensor noise, grey levels
JPEG_QUALITY = (55, 95)
P_GREY = 0.30
P_UPSIDE_DOWN = 0.10
P_FOLD = 0.20
P_STREAK = 0.05
P_BED_STRIP = 0.30
P_NEAR_ZERO_ROTATION = 0.25


def random_scan_params(rng: np.random.Generator, dpi_range=SCAN_DPI_RANGE, grey_only=False, clean=False,
                       quality=None) -> dict:
    """Draw scanner settings and defects for one page (the keyword arguments of ``scan``)."""
    dpi = int(rng.choice([150, 200, 200, 200, 240, 300, 300])) if tuple(dpi_range) == SCAN_DPI_RANGE \
        else int(rng.integers(dpi_range[0], dpi_range[1] + 1))
    dpi = int(np.clip(dpi, dpi_range[0], dpi_range[1]))
    grey = grey_only or bool(rng.random() < P_GREY)
    r = rng.random()
    fmt = "jpg" if quality or r < 0.88 else ("png" if r < 0.95 else "tif")
    q = int(quality or rng.integers(JPEG_QUALITY[0], JPEG_QUALITY[1] + 1))
    if clean:
        return {"dpi": dpi, "grey": grey, "jpeg_quality": q, "fmt": fmt, "clean": True}
    rot = 0.0 if rng.random() < P_NEAR_ZERO_ROTATION else float(rng.uniform(-MAX_ROTATION_DEG, MAX_ROTATION_DEG))
    if rot == 0.0:
        rot = float(rng.normal(0, 0.25))
    fold = None
    if rng.random() < P_FOLD:
        fold = float(rng.choice([rng.uniform(0.15, 0.85), 1 / 3, 0.5, 2 / 3]) + rng.normal(0, 0.02))
    return {"dpi": dpi, "rotate_deg": rot, "upside_down": bool(rng.random() < P_UPSIDE_DOWN), "grey": grey,
            "jpeg_quality": q, "fmt": fmt, "fold": fold, "streak": bool(rng.random() < P_STREAK),
            "perspective": PERSPECTIVE_MAX_FRAC * float(rng.uniform(0.2, 1.0)),
            "bed_strip": bool(rng.random() < P_BED_STRIP)}


def _apply_crease(img: np.ndarray, y_frac: float, rng) -> None:
    """A fold crease across the page: a faint dark line with a light highlight beside it and a soft
    shade on one side (uint8 image, modified in place on a band only)."""
    H, W = img.shape[:2]
    yc = y_frac * H
    slope = math.tan(math.radians(rng.uniform(-0.4, 0.4)))
    band = int(max(12, H * 0.012))
    y0, y1 = int(max(0, yc - band - abs(slope) * W)), int(min(H, yc + band + abs(slope) * W))
    if y1 <= y0:
        return
    yy, xx = np.mgrid[y0:y1, 0:W].astype(np.float32)
    dist = yy - (yc + slope * (xx - W / 2))
    wpx = rng.uniform(0.5, 1.0) * max(1.0, H / 2339)
    dark = rng.uniform(0.06, 0.16) * np.exp(-0.5 * (dist / wpx) ** 2)
    light = rng.uniform(0.03, 0.07) * np.exp(-0.5 * ((dist - 2.2 * wpx) / (wpx * 1.2)) ** 2)
    shade = rng.uniform(0.01, 0.03) * np.exp(-np.maximum(0, -dist) / (band / 3)) * (dist < 0)
    f = 1 - dark - shade
    crop = img[y0:y1].astype(np.float32)
    crop = crop * (f[..., None] if img.ndim == 3 else f)
    crop = crop + 255 * (light[..., None] if img.ndim == 3 else light) * 0.6     # raised paper catches light
    img[y0:y1] = np.clip(crop, 0, 255).astype(np.uint8)


MAP_CELL_PX = 16   # the geometric map is computed on a coarse grid and interpolated


def _coarse_grid(W: int, H: int):
    """Coarse node coordinates whose bilinear upsampling (cv2.resize convention) is exact inside the page.

    Returns (gx, gy, fit) where ``fit(values)`` upsamples node values to a float32 HxW map.
    """
    c = MAP_CELL_PX
    nw, nh = W // c + 3, H // c + 3
    # With cv2.resize from nw to nw*c pixels, node j sits at output pixel c*j + (c-1)/2; crop one cell.
    xs = c * np.arange(nw) + (c - 1) / 2 - c
    ys = c * np.arange(nh) + (c - 1) / 2 - c
    gy, gx = np.meshgrid(ys, xs, indexing="ij")

    def fit(v):
        big = cv2.resize(v.astype(np.float32), (nw * c, nh * c), interpolation=cv2.INTER_LINEAR)
        return np.ascontiguousarray(big[c:c + H, c:c + W])
    return gx, gy, fit


def scan_array(rgb: np.ndarray, rng: np.random.Generator, dpi: int = 200, src_dpi: int | None = None,
               rotate_deg: float = 0.0, upside_down: bool = False, grey: bool = False, fold=None,
               streak: bool = False, perspective: float = 0.0, bed_strip: bool = False, clean: bool = False,
               blur_sigma: float | None = None, noise_sigma: float | None = None, warp_px: float | None = None,
               creases=(), streaks: int = 0, want_maps: bool = False, **_ignored):
    """Scanner simulation on an RGB page rendered at ``src_dpi`` (default: the page's ``.dpi`` when it is
    a PageArray from render_blank / fill_ballot, else ``dpi``, i.e. no resampling).

    Returns an HxWx3 (or HxW when ``grey``) uint8 image of the page size at ``dpi``.  ``fold`` is None or
    the crease height as a fraction of the page (True = random); ``perspective`` is the maximum corner
    offset as a fraction of the page size.  ``clean`` only resamples (and converts to grey).

    ``creases``: more folds, ``[("h" | "v", fraction of the page height | width), ...]``; ``streaks``: that
    many dirty-glass streaks besides ``streak``.  ``want_maps``: return ``(image, warp)`` where ``warp`` has
    ``H`` (3x3, source page px -> image px, without the sub-pixel paper warp) and ``maps`` (the exact
    cv2.remap maps image px -> page px at ``dpi``, and ``scale`` = dpi / src_dpi).
    """
    src_dpi = src_dpi or getattr(rgb, "dpi", None) or dpi
    rgb = np.asarray(rgb)
    h0, w0 = rgb.shape[:2]
    W, H = int(round(w0 * dpi / src_dpi)), int(round(h0 * dpi / src_dpi))
    img = cv2.resize(rgb, (W, H), interpolation=cv2.INTER_AREA) if (W, H) != (w0, h0) else rgb.copy()
    if clean:
        return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if grey else img
    k = dpi / PEN_REF_DPI
    if fold is not None and fold is not False:
        _apply_crease(img, float(rng.uniform(0.2, 0.8)) if fold is True else float(fold), rng)
    for axis, frac in creases:
        _apply_crease(img if axis == "h" else img.swapaxes(0, 1), float(frac), rng)
    # Geometry: page -> scanner bed (rotation, 180° turn, slight scale/shift, keystone) + smooth warp.
    ang = math.radians(rotate_deg + (180.0 if upside_down else 0.0))
    scale = float(rng.uniform(0.985, 1.0))
    shift = np.zeros(2)
    if bed_strip:
        side = rng.integers(4)
        amt = rng.uniform(0.006, 0.02) * (W if side < 2 else H)
        shift = np.array([[amt, 0], [-amt, 0], [0, amt], [0, -amt]][side], float)
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    c = np.array([W / 2, H / 2])
    R = np.array([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]])
    dst = (src - c) @ R.T * scale + c + shift
    dst += rng.uniform(-1, 1, (4, 2)) * perspective * np.array([W, H])
    Hinv = cv2.getPerspectiveTransform(np.float32(dst), src)
    gx, gy, fit = _coarse_grid(W, H)
    pts = cv2.perspectiveTransform(np.stack([gx, gy], -1).reshape(-1, 1, 2), Hinv).reshape(gx.shape + (2,))
    wamp = (WARP_MAX_PX200 if warp_px is None else warp_px) * k
    for ax in range(2):
        fx, fy, ph = rng.uniform(0.5, 2.0), rng.uniform(0.5, 2.0), rng.uniform(0, 2 * np.pi)
        pts[..., ax] += wamp * rng.uniform(0.3, 1.0) * np.sin(2 * np.pi * (fx * gx / W + fy * gy / H) + ph)
    mx, my = fit(pts[..., 0]), fit(pts[..., 1])
    bed = int(rng.uniform(170, 235))
    out = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(bed, bed, bed))
    sigma = blur_sigma if blur_sigma is not None else float(rng.uniform(*BLUR_SIGMA_PX))
    out = cv2.GaussianBlur(out, (0, 0), sigma)
    # Brightness field at quarter resolution: uneven illumination x shadow just outside the paper edge.
    q = 4
    inside = cv2.remap(np.full((H, W), 255, np.uint8), np.ascontiguousarray(mx[::q, ::q]),
                       np.ascontiguousarray(my[::q, ::q]), cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                       borderValue=0).astype(np.float32) / 255
    soft = cv2.GaussianBlur(inside, (0, 0), max(1.0, 4 * k / q))
    sh, sw = inside.shape
    illum = cv2.resize(rng.uniform(0.955, 1.015, (3, 4)).astype(np.float32), (sw, sh), interpolation=cv2.INTER_CUBIC)
    field = illum * (1 - 0.35 * np.clip(soft - inside, 0, 1))
    tone = np.array([rng.uniform(0.955, 0.99), rng.uniform(0.95, 0.985), rng.uniform(0.92, 0.97)], np.float32)
    if grey:     # a grey scan: convert early, then work on one channel
        out = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
        field = field * float(tone @ np.float32([0.299, 0.587, 0.114]))
    else:
        field = field[..., None] * tone
    # Brightness as a uint8 gain (255 = 1.0): applied with a saturating SIMD multiply.
    gain = cv2.resize(np.clip(field * 255, 0, 255).astype(np.uint8), (W, H), interpolation=cv2.INTER_LINEAR)
    for _ in range(int(streak) + int(streaks)):   # dirty glass: a thin faint vertical line over the page height
        x = int(rng.uniform(0.05, 0.95) * W)
        wd = max(1, int(round(rng.uniform(1, 2) * k)))
        f = rng.uniform(0.86, 0.94) if rng.random() < 0.7 else rng.uniform(1.03, 1.06)
        gain[:, x:x + wd] = np.clip(gain[:, x:x + wd].astype(np.float32) * f, 0, 255).astype(np.uint8)
    out = cv2.multiply(out, gain, scale=1 / 255)
    ns = noise_sigma if noise_sigma is not None else float(rng.uniform(*NOISE_SIGMA))
    noise = np.empty(out.shape, np.int16)
    cv2.setRNGSeed(int(rng.integers(2**31 - 1)))
    cv2.randn(noise, 0.0, ns)
    out = cv2.add(out, noise, dtype=cv2.CV_8U)
    if not want_maps:
        return out
    fwd = cv2.getPerspectiveTransform(src, np.float32(dst)) @ np.diag([W / w0, H / h0, 1.0])
    return out, {"H": fwd, "maps": (mx, my), "scale": W / w0}


def encode_image(img: np.ndarray, fmt: str = "jpg", dpi: int = 200, jpeg_quality: int = 85) -> tuple[bytes, str]:
    """Encode a scan (with its dpi in the file) as JPEG, PNG or TIFF.  Returns (bytes, ext)."""
    im = Image.fromarray(img)
    buf = io.BytesIO()
    if fmt == "jpg":
        im.save(buf, "JPEG", quality=int(jpeg_quality), dpi=(dpi, dpi))
    elif fmt == "png":
        im.save(buf, "PNG", dpi=(dpi, dpi), compress_level=3)
    elif fmt == "tif":
        im.save(buf, "TIFF", dpi=(dpi, dpi), compression="tiff_deflate")
    else:
        raise ValueError(fmt)
    return buf.getvalue(), fmt


def scan(rgb: np.ndarray, rng: np.random.Generator, dpi: int = 200, rotate_deg: float = 0.0,
         upside_down: bool = False, grey: bool = False, jpeg_quality: int = 85, fold=None, streak: bool = False,
         perspective: float = 0.0, src_dpi: int | None = None, fmt: str = "jpg", **kw) -> tuple[bytes, str]:
    """Scan a page: ``scan_array`` then encode.  Returns ``(encoded bytes, ext)`` with ext "jpg"/"png"/"tif"."""
    img = scan_array(rgb, rng, dpi=dpi, src_dpi=src_dpi, rotate_deg=rotate_deg, upside_down=upside_down,
                     grey=grey, fold=fold, streak=streak, perspective=perspective, **kw)
    return encode_image(img, fmt, dpi, jpeg_quality)


def refeed(data: bytes, seed: int) -> bytes:
    """The same sheet fed through the scanner again: the scan ``data`` (any image format) with another
    small skew, shift, scale, exposure, noise and JPEG quality. Returns JPEG bytes."""
    rng = np.random.default_rng(seed)
    g = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    h, w = g.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), float(rng.uniform(-1.5, 1.5)), float(rng.uniform(0.93, 0.97)))
    m[:, 2] += rng.uniform(-15, 15, 2)
    g = cv2.warpAffine(g, m, (w, h), borderValue=245)
    g = np.clip(g.astype(np.float32) * 0.97 + 6 + rng.normal(0, 3, g.shape), 0, 255).astype(np.uint8)
    return cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()
