"""Phone photos: a ballot lying on a table photographed from above with a phone.

The page (rendered at 300 dpi) is placed in 3-D (turned in its plane, the camera tilted up to 25°),
lifted by a mild curl at its folds and edges, projected through a pin-hole camera into a 3000-4000 px
frame over a table (wood, cloth, desk, checked cloth, a dark desk) with another paper at an edge
sometimes, then lit unevenly (light field, vignette, the shadow of a hand or the phone), colour-cast,
blurred (sharp, defocus, motion; rarely too blurred to read), given sensor noise and JPEG-encoded.
"""
from __future__ import annotations

import io
import math

import cv2
import numpy as np
from PIL import Image

from .scanner import _coarse_grid
from .units import MM_PER_INCH

FOLD_CURL_WIDTH_MM = (15.0, 45.0)     # how far from a fold the paper is still lifted
EDGE_CURL_WIDTH_MM = (8.0, 25.0)
UNREADABLE_BLUR_MM = (0.6, 1.0)       # a blur this wide (sigma) makes 10-16 pt names illegible
DEFOCUS_BLUR_MM = (0.05, 0.2)
MOTION_BLUR_MM = (0.1, 0.35)
SHADE_PER_SLOPE = 0.6                 # brightness change per unit slope of the paper towards the light


def _rotation(rotation_deg: float, tilt_deg: float, tilt_dir_deg: float) -> np.ndarray:
    """3x3 rotation: the page turned by ``rotation_deg`` in its plane, then tilted by ``tilt_deg`` about
    an in-plane axis at ``tilt_dir_deg``."""
    a = math.radians(rotation_deg)
    rz = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    axis = np.array([math.cos(math.radians(tilt_dir_deg)), math.sin(math.radians(tilt_dir_deg)), 0.0])
    rt, _ = cv2.Rodrigues(axis * math.radians(tilt_deg))
    return rt @ rz


def _height_mm(x_mm: np.ndarray, y_mm: np.ndarray, size_mm, folds, curl_mm: float, rng_vals) -> np.ndarray:
    """Height of the paper above the table (mm) at page points: a ridge along each fold, lifted edges."""
    w_mm, h_mm = size_mm
    h = np.zeros_like(x_mm)
    fold_w, edge_w, edges = rng_vals
    for axis, frac in folds:
        d = (y_mm - frac * h_mm) if axis == "h" else (x_mm - frac * w_mm)
        h += curl_mm * np.exp(-(d / fold_w) ** 2)
    for e in edges:   # lifted edges
        d = {"left": x_mm, "right": w_mm - x_mm, "top": y_mm, "bottom": h_mm - y_mm}[e]
        h += 0.6 * curl_mm * np.clip(1 - d / edge_w, 0, 1) ** 2
    return h


def _table(rng, kind: str, W: int, H: int) -> np.ndarray:
    """A table surface, HxWx3 float32 RGB 0..255."""
    q = 4
    w, h = W // q + 1, H // q + 1
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "wood":
        base = np.array([rng.uniform(120, 175), rng.uniform(80, 115), rng.uniform(45, 75)], np.float32)
        ang = rng.uniform(0, np.pi)
        u = xx * math.cos(ang) + yy * math.sin(ang)
        v = -xx * math.sin(ang) + yy * math.cos(ang)
        grain = cv2.resize(
            rng.normal(0, 1, (max(2, h // 6), 8)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC
        )
        t = np.sin(u / rng.uniform(3, 9) + 3 * grain + 0.002 * v) * 0.5 + 0.5
        img = base[None, None] * (0.8 + 0.25 * t[..., None])
    elif kind == "cloth":
        base = np.array(rng.choice([[40, 110, 70], [40, 70, 120], [130, 40, 45], [110, 110, 110], [170, 150, 110]]),
                        np.float32) * rng.uniform(0.8, 1.15)
        p = rng.uniform(1.5, 3)
        weave = 0.06 * np.sin(xx * 2 * np.pi / p) * np.sin(yy * 2 * np.pi / p)
        folds = cv2.resize(rng.normal(0, 1, (4, 4)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
        img = base[None, None] * (1 + weave[..., None] + 0.05 * folds[..., None])
    elif kind == "check":
        c1 = np.array(rng.choice([[200, 40, 40], [40, 60, 150], [40, 120, 60]]), np.float32)
        c2 = np.array([235, 235, 230], np.float32)
        s = rng.uniform(20, 50)
        m = ((np.floor(xx / s) + np.floor(yy / s)) % 2)[..., None]
        img = c1 * m + c2 * (1 - m)
    elif kind == "dark":
        img = np.full((h, w, 3), rng.uniform(30, 70), np.float32) * np.array([1, 1, rng.uniform(0.95, 1.1)], np.float32)
    else:  # desk: a light laminate
        img = np.full((h, w, 3), 1, np.float32) * np.array(
            [rng.uniform(170, 225), rng.uniform(170, 220), rng.uniform(160, 210)], np.float32
        )
    img = img + rng.normal(0, 3, img.shape).astype(np.float32)
    return cv2.resize(img, (W, H), interpolation=cv2.INTER_LINEAR)


def _other_paper(rng, img: np.ndarray, edge: str) -> None:
    """Another sheet (printed lines) lying at an edge of the frame, in place."""
    H, W = img.shape[:2]
    pw, ph = int(W * rng.uniform(0.35, 0.6)), int(H * rng.uniform(0.35, 0.6))
    sheet = np.full((ph, pw, 3), rng.uniform(225, 248), np.float32)
    lh = max(6, int(ph / rng.uniform(30, 45)))
    for y in range(int(lh * 2), ph - lh, lh):
        x1 = int(pw * rng.uniform(0.5, 0.92))
        cv2.line(sheet, (int(pw * 0.08), y), (x1, y), (90, 90, 90), max(1, lh // 4))
    vis = rng.uniform(0.15, 0.35)
    cx = {"left": -pw / 2 + vis * pw, "right": W + pw / 2 - vis * pw}.get(edge, rng.uniform(0.2, 0.8) * W)
    cy = {"top": -ph / 2 + vis * ph, "bottom": H + ph / 2 - vis * ph}.get(edge, rng.uniform(0.2, 0.8) * H)
    m = cv2.getRotationMatrix2D((pw / 2, ph / 2), float(rng.uniform(-12, 12)), 1.0)
    m[:, 2] += [cx - pw / 2, cy - ph / 2]
    warped = cv2.warpAffine(sheet, m, (W, H))
    mask = cv2.warpAffine(np.ones((ph, pw), np.float32), m, (W, H))[..., None]
    img *= 1 - mask
    img += warped * mask


def _shadow(rng, w: int, h: int, kind: str, depth: float) -> tuple[np.ndarray, str]:
    """A soft shadow of a hand (a blob from one edge) or the phone (a block) as a gain map of w x h
    (a coarse grid over the frame)."""
    m = np.zeros((h, w), np.float32)
    edge = str(rng.choice(["left", "right", "top", "bottom"]))
    if kind == "hand":
        cx = {"left": 0, "right": w}.get(edge, rng.uniform(0.2, 0.8) * w)
        cy = {"top": 0, "bottom": h}.get(edge, rng.uniform(0.2, 0.8) * h)
        cv2.ellipse(m, (int(cx), int(cy)), (int(w * rng.uniform(0.15, 0.3)), int(h * rng.uniform(0.15, 0.3))),
                    float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    else:
        bw, bh = int(w * rng.uniform(0.25, 0.45)), int(h * rng.uniform(0.12, 0.25))
        x0 = {"left": -bw // 3, "right": w - 2 * bw // 3}.get(edge, int(rng.uniform(0.1, 0.6) * w))
        y0 = {"top": -bh // 3, "bottom": h - 2 * bh // 3}.get(edge, int(rng.uniform(0.1, 0.6) * h))
        cv2.rectangle(m, (x0, y0), (x0 + bw, y0 + bh), 1.0, -1)
    m = cv2.GaussianBlur(m, (0, 0), rng.uniform(4, 10) * w / 400)
    return 1 - depth * m, f"{kind}@{edge} -{round(depth * 100)}%"


def photograph(page: np.ndarray, dpi: int, c: dict, folds, rng: np.random.Generator, want_maps: bool = False):
    """Photograph ``page`` (HxWx3 uint8 at ``dpi``) under phone conditions ``c`` (conditions.draw_phone).

    Returns ``(frame, H, info)``: the frame as the phone shows it (HxWx3 uint8), the homography from page
    px to frame px of the flat page (the curl moves points by up to ``info["curl_px"]`` more), and the
    capture record for the truth. ``want_maps``: also return the maps that carry page px into the frame
    (``{"maps": (mx, my), "size": (w, h)}``: the page resized to ``size``, then ``cv2.remap``), as
    ``scanner.scan_array`` does.
    """
    Wf, Hf = c["frame"]
    ph, pw = page.shape[:2]
    mmpp = MM_PER_INCH / dpi
    size_mm = (pw * mmpp, ph * mmpp)
    R = _rotation(c["rotation"], c["tilt"], c["tilt_dir"])
    f = c["focal"] * max(Wf, Hf)
    # Distance: the page's extent is about ``fill`` of the frame (fit by moving the camera).
    corners = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], float)

    def project(xy_px, h_mm, z0):
        X = np.stack([xy_px[..., 0] * mmpp - size_mm[0] / 2, xy_px[..., 1] * mmpp - size_mm[1] / 2, -h_mm], -1)
        P = X @ R.T
        z = P[..., 2] + z0
        return np.stack([f * P[..., 0] / z, f * P[..., 1] / z], -1)

    z0 = f * max(size_mm) / (c["fill"] * max(Wf, Hf))
    for _ in range(60):
        q = project(corners, np.zeros(4), z0)
        ext = q.max(0) - q.min(0)
        if ext[0] <= 0.97 * Wf and ext[1] <= 0.97 * Hf and max(ext[0] / Wf, ext[1] / Hf) <= c["fill"] + 0.02:
            break
        z0 *= 1.04
    lo, hi = q.min(0), q.max(0)
    shift = np.array(
        [rng.uniform(-lo[0] + 0.01 * Wf, Wf * 0.99 - hi[0]), rng.uniform(-lo[1] + 0.01 * Hf, Hf * 0.99 - hi[1])]
    )
    Hflat = cv2.getPerspectiveTransform(np.float32(corners), np.float32(q + shift))
    ppm = f / z0                                           # frame px per page mm (at the page's centre)
    # The page resampled near the frame's scale first (anti-aliasing), then mapped.
    s = min(1.0, ppm * mmpp * 1.15)
    small = cv2.resize(page, (max(2, int(round(pw * s))), max(2, int(round(ph * s)))), interpolation=cv2.INTER_AREA)
    sy, sx = small.shape[0] / ph, small.shape[1] / pw
    # Curl: heights, and the paper's shading by its slope towards the light.
    edges = [e for e in ("left", "right", "top", "bottom") if rng.random() < 0.35]
    rv = (float(rng.uniform(*FOLD_CURL_WIDTH_MM)), float(rng.uniform(*EDGE_CURL_WIDTH_MM)), edges)
    if not folds and not edges:
        edges.append(str(rng.choice(["left", "right", "top", "bottom"])))
    q4 = 4      # the paper's heights and shading vary slowly: computed on a coarser grid
    hs, ws = small.shape[0] // q4 + 1, small.shape[1] // q4 + 1
    yy, xx = np.mgrid[0:hs, 0:ws].astype(np.float32) * q4
    hmap = _height_mm(xx / sx * mmpp, yy / sy * mmpp, size_mm, folds, c["curl_mm"], rv)
    gy, gx = np.gradient(hmap, q4 * mmpp / sy, q4 * mmpp / sx)
    la = rng.uniform(0, 2 * np.pi)
    shade = np.clip(1 + SHADE_PER_SLOPE * (gx * math.cos(la) + gy * math.sin(la)), 0.75, 1.15).astype(np.float32)
    shade = cv2.resize(shade, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_LINEAR)
    small = small.astype(np.float32) * shade[..., None]
    # Inverse map frame -> small page: flat inverse, then one correction step for the curl.
    gxf, gyf, fit = _coarse_grid(Wf, Hf)
    pts = np.stack([gxf, gyf], -1).reshape(-1, 1, 2).astype(np.float64)
    Hinv = np.linalg.inv(Hflat)
    p0 = cv2.perspectiveTransform(pts, Hinv).reshape(-1, 2)
    hp = _height_mm(p0[:, 0] * mmpp, p0[:, 1] * mmpp, size_mm, folds, c["curl_mm"], rv)
    d = (project(p0, hp, z0) - project(p0, np.zeros_like(hp), z0))
    p1 = cv2.perspectiveTransform((pts.reshape(-1, 2) - d).reshape(-1, 1, 2), Hinv).reshape(gxf.shape + (2,))
    curl_px = float(np.abs(d).max()) if len(d) else 0.0
    mx, my = fit(p1[..., 0] * sx), fit(p1[..., 1] * sy)
    small = np.clip(small, 0, 255).astype(np.uint8)
    paper = cv2.remap(small, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    mask = cv2.remap(np.ones(small.shape[:2], np.float32), mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    # Table, another paper and the ballot's drop shadow (at half size: background), then the ballot.
    bw, bh = Wf // 2, Hf // 2
    bg = _table(rng, c["table"], bw, bh)
    if c["other_paper"] != "none":
        _other_paper(rng, bg, c["other_paper"])
    off = rng.uniform(-1, 1, 2) * ppm * 1.5
    q8 = 8      # the drop shadow and the light are smooth: computed on a coarse grid, then resized
    wq, hq = Wf // q8 + 1, Hf // q8 + 1
    mq = cv2.resize(mask, (wq, hq), interpolation=cv2.INTER_AREA)
    drop = cv2.GaussianBlur(cv2.warpAffine(mq, np.float32([[1, 0, off[0] / q8], [0, 1, off[1] / q8]]), (wq, hq)),
                            (0, 0), max(0.5, ppm * 1.2 / q8))
    bg *= cv2.resize(1 - rng.uniform(0.2, 0.4) * drop, (bw, bh), interpolation=cv2.INTER_LINEAR)[..., None]
    bg = cv2.resize(np.clip(bg, 0, 255).astype(np.uint8), (Wf, Hf), interpolation=cv2.INTER_LINEAR)
    img = cv2.blendLinear(bg, paper, 1 - mask, mask)
    # Light: a smooth field, vignette, a shadow; white balance.
    field = cv2.resize(
        rng.uniform(1 - c["light"], 1.0, (3, 4)).astype(np.float32), (wq, hq), interpolation=cv2.INTER_CUBIC
    )
    yv, xv = np.mgrid[0:hq, 0:wq].astype(np.float32)
    r2 = ((xv - wq / 2) / (wq / 2)) ** 2 + ((yv - hq / 2) / (hq / 2)) ** 2
    field = field * (1 - rng.uniform(0.05, 0.2) * r2 / 2)
    shadow = None
    if c["shadow"] != "none":
        g, shadow = _shadow(rng, wq, hq, c["shadow"], c["shadow_depth"])
        field = field * g
    wb = np.float32(c["white_balance"]) * np.float32(rng.uniform(0.95, 1.08))
    gain = cv2.merge([np.clip(field * w * 255, 0, 255).astype(np.uint8) for w in wb])
    img = cv2.multiply(img, cv2.resize(gain, (Wf, Hf), interpolation=cv2.INTER_LINEAR), scale=1 / 255)
    # Blur, noise.
    blur = c["blur"]
    if blur == "sharp":
        img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.4, 0.8)))
    elif blur in ("defocus", "unreadable"):
        lo_mm, hi_mm = DEFOCUS_BLUR_MM if blur == "defocus" else UNREADABLE_BLUR_MM
        img = cv2.GaussianBlur(img, (0, 0), max(0.5, ppm * (lo_mm + (hi_mm - lo_mm) * c["blur_mm"])))
    else:
        n = max(3, int(ppm * (MOTION_BLUR_MM[0] + (MOTION_BLUR_MM[1] - MOTION_BLUR_MM[0]) * c["blur_mm"])))
        k = np.zeros((n, n), np.float32)
        k[n // 2, :] = 1
        k = cv2.warpAffine(
            k, cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), float(rng.uniform(0, 180)), 1.0), (n, n)
        )
        img = cv2.filter2D(img, -1, k / max(1e-6, k.sum()))
    frame = img
    noise = np.empty(frame.shape, np.int16)
    cv2.setRNGSeed(int(rng.integers(2**31 - 1)))
    cv2.randn(noise, 0.0, float(c["noise"]))
    frame = cv2.add(frame, noise, dtype=cv2.CV_8U)
    info = {"mode": "phone", "frame": [Wf, Hf], "fill": c["fill"], "tilt": c["tilt"], "rotation": c["rotation"],
            "px_per_mm": round(ppm, 2), "curl_px": round(curl_px, 1), "table": c["table"],
            "white_balance": c["white_balance"], "blur": blur, "jpeg": [c["jpeg"], c["subsampling"]]}
    if c["other_paper"] != "none":
        info["other_paper"] = c["other_paper"]
    if shadow:
        info["shadow"] = shadow
    if c["exif"] != 1:
        info["exif_orientation"] = c["exif"]
    if want_maps:
        return frame, Hflat, info, {"maps": (mx, my), "size": (small.shape[1], small.shape[0])}
    return frame, Hflat, info


# EXIF orientation -> how the stored pixels are turned from what is shown (np.rot90 k)
_EXIF_STORE_K = {1: 0, 3: 2, 6: 1, 8: -1}


def encode_photo(frame: np.ndarray, quality: int, subsampling: str, exif: int = 1) -> bytes:
    """JPEG of a phone frame; with ``exif`` 3/6/8 the pixels are stored turned as a phone's sensor gives
    them and the EXIF Orientation tag says how to show them (the shown image is ``frame``)."""
    stored = np.ascontiguousarray(np.rot90(frame, _EXIF_STORE_K[exif]))
    im = Image.fromarray(stored)
    buf = io.BytesIO()
    kw = {}
    if exif != 1:
        ex = Image.Exif()
        ex[0x0112] = exif
        kw["exif"] = ex.tobytes()
    im.save(buf, "JPEG", quality=int(quality), subsampling=0 if subsampling == "4:4:4" else 2, **kw)
    return buf.getvalue()
