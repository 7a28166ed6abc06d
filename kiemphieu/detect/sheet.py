"""Find the ballot sheet(s) in an image and undo the camera.

A scanner gives the page filling the image, square to it (``register.register``). A phone gives the
sheet somewhere in a frame, on a table, seen in perspective (a tilt of up to 25°), turned any way, its
paper curled at the folds and edges. Here:

- ``find_sheets``: the ballot's pose from its content. The blank's ORB features are matched in the
  whole image; RANSAC fits one homography per sheet (a second sheet is looked for among the matches
  the first leaves: two small ballots on one scanner glass). A pose is accepted when it is a camera's:
  the blank's outline lands as a convex, unmirrored quadrilateral whose corners a tilt can explain.
- ``outline``: where a sheet of paper lies in the image by its outline (bright, flat paper against the
  background), whatever is printed on it; ``located_by_print``: where the blank's print places it when
  too few features were matched in the whole image for a pose. Either is matched again at the
  matcher's whole resolution (``match_in``), and judges a photo that matched nothing.
- ``dewarp``: the sheet resampled into the template frame through its homography and a smooth
  displacement field measured on textured patches of the blank (the paper's curl, the pose's error).

Content first, outline second (measured on the stress matrix): an outline finder in the manner of
OMRChecker's ``CropPage`` (threshold, close, Canny, the largest 4-cornered contour) loses the sheet
whenever another paper touches it or the table is as light as paper, while the print on the ballot
is always there to be matched.
"""
from __future__ import annotations

import dataclasses
import math

import cv2
import numpy as np

from . import thresholds as T
from .register import Matches, Registration, Target, fit, full_pose


@dataclasses.dataclass
class Sheet:
    """One ballot found in an image."""
    homography: np.ndarray     # image px -> template px
    quad: np.ndarray           # (4, 2) float: the template's corners (tl, tr, br, bl) in image px
    inliers: int
    matches: int

    @property
    def rotation_deg(self) -> float:
        """How the sheet's top edge is turned in the image (degrees, counter-clockwise in image axes)."""
        d = self.quad[1] - self.quad[0]
        return math.degrees(math.atan2(d[1], d[0]))


def corners(target: Target) -> np.ndarray:
    """The template frame's corners (tl, tr, br, bl), template px."""
    w, h = target.width, target.height
    return np.float64([[0, 0], [w, 0], [w, h], [0, h]])


def quad_of(target: Target, H: np.ndarray) -> np.ndarray | None:
    """The template's corners in image px under ``H`` (image -> template); None if H is singular."""
    try:
        inv = np.linalg.inv(H)
    except np.linalg.LinAlgError:
        return None
    p = cv2.perspectiveTransform(corners(target).reshape(-1, 1, 2), inv).reshape(4, 2)
    return p if np.all(np.isfinite(p)) else None


def interior_angles_deg(quad: np.ndarray) -> np.ndarray:
    """The four interior angles of a quadrilateral (degrees)."""
    out = []
    for i in range(4):
        a, b, c = quad[i - 1], quad[i], quad[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(u @ v) / max(1e-9, float(np.linalg.norm(u) * np.linalg.norm(v)))
        out.append(math.degrees(math.acos(max(-1.0, min(1.0, cos)))))
    return np.array(out)


def camera_pose_ok(quad: np.ndarray | None) -> bool:
    """Whether a sheet's outline (``quad_of``) is one a camera can give: convex, not mirrored (corners
    clockwise on the image as on the blank), every corner's angle within CAMERA_MAX_CORNER_DEG of a right
    angle, opposite sides' lengths within CAMERA_MAX_SIDE_RATIO, and at least CAMERA_MIN_SHEET_PX long."""
    if quad is None:
        return False
    cross = []
    for i in range(4):
        a, b, c = quad[i], quad[(i + 1) % 4], quad[(i + 2) % 4]
        cross.append((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]))
    if not all(x > 0 for x in cross):      # image y points down: clockwise corners turn with positive cross products
        return False
    if np.any(np.abs(interior_angles_deg(quad) - 90) > T.CAMERA_MAX_CORNER_DEG):
        return False
    sides = np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1)
    if min(sides) < T.CAMERA_MIN_SHEET_PX:
        return False
    return bool(max(sides[0], sides[2]) / min(sides[0], sides[2]) <= T.CAMERA_MAX_SIDE_RATIO
                and max(sides[1], sides[3]) / min(sides[1], sides[3]) <= T.CAMERA_MAX_SIDE_RATIO)


def _inside(quad: np.ndarray, pts: np.ndarray, grow: float) -> np.ndarray:
    """Which points (N, 2) lie inside ``quad`` grown by ``grow`` of its size about its centre."""
    c = quad.mean(axis=0)
    q = (c + (quad - c) * (1 + grow)).astype(np.float32).reshape(-1, 1, 2)
    return np.array([cv2.pointPolygonTest(q, (float(x), float(y)), False) >= 0 for x, y in pts], bool)


def find_sheets(target: Target, m: Matches, max_sheets: int = 2, min_inliers: int = T.MIN_INLIERS,
                min_share: float = T.MIN_INLIER_SHARE) -> list[Sheet]:
    """The sheets whose print matches the blank, most matched first (at most ``max_sheets``).

    ``m``: the image's matches (``register.match``). After each sheet, the matches inside it are left
    out and RANSAC is run again on the others."""
    sheets: list[Sheet] = []
    left = np.ones(len(m.src), bool)
    for _ in range(max_sheets):
        if left.sum() < min_inliers:
            break
        sub = m if left.all() else Matches(m.scale, m.src[left], m.dst[left])   # m: fitted already (register)
        H, keep = fit(target, sub, min_inliers, min_share)
        if H is None:
            break
        inliers = int(keep.sum())
        if inliers < min_inliers or (not sheets and inliers < min_share * len(sub.src)):
            break
        full = full_pose(target, H, m)
        quad = quad_of(target, full)
        if not camera_pose_ok(quad):
            break
        if any(_overlap(quad, s.quad) > T.SHEET_MAX_OVERLAP_SHARE for s in sheets):
            break
        sheets.append(Sheet(full, quad, inliers, int(len(sub.src))))
        idx = np.flatnonzero(left)
        left[idx] = ~_inside(quad, m.src[left] / m.scale, T.SHEET_MATCH_GROW_SHARE)
    return sheets


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Area of two convex quadrilaterals' intersection over the smaller one's."""
    area, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    return float(area) / max(1e-9, min(cv2.contourArea(a.astype(np.float32)), cv2.contourArea(b.astype(np.float32))))


def outline(grey: np.ndarray, paper_grey: float = 255.0) -> tuple[np.ndarray | None, float, float]:
    """Where a sheet of paper lies in an image, by its outline, whatever is printed on it: (the corners
    of its minimal rotated rectangle (4, 2) in image px, or None; the share of the image it covers; how
    much brighter it is than the rest, as a share of its grey).

    Paper is the bright part: on a copy OUTLINE_LONG_SIDE_PX long, print is filled in by a grey closing,
    Otsu's threshold splits bright from dark, and the largest bright region is the sheet when it stands
    out from the rest by SHEET_MIN_CONTRAST_SHARE. When nothing stands out, the image is one surface:
    a page filling it (a scan; the whole image, contrast 0) when it is as light as paper (SHEET_PAPER_SHARE
    of ``paper_grey``, the blank's), else no sheet at all (a table)."""
    s = T.OUTLINE_LONG_SIDE_PX / max(grey.shape)
    small = cv2.resize(grey, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else grey
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (T.OUTLINE_CLOSE_PX, T.OUTLINE_CLOSE_PX))
    flat = cv2.morphologyEx(cv2.GaussianBlur(small, (0, 0), 1.5), cv2.MORPH_CLOSE, k)
    _, bright = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, k)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(bright, connectivity=4)
    h, w = grey.shape
    whole = np.float64([[0, 0], [w, 0], [w, h], [0, h]])
    if n >= 2:
        i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        inside = labels == i
        paper = float(np.median(flat[inside]))
        contrast = (paper - float(np.median(flat[~inside]))) / max(paper, 1.0) if (~inside).any() else 0.0
        share = float(stats[i, cv2.CC_STAT_AREA]) / bright.size
        if contrast >= T.SHEET_MIN_CONTRAST_SHARE and share >= T.OUTLINE_MIN_SHARE:
            box = cv2.boxPoints(cv2.minAreaRect(cv2.findNonZero(inside.astype(np.uint8)))) / s
            return box.astype(np.float64), share, contrast
    if float(np.median(flat)) >= T.SHEET_PAPER_SHARE * paper_grey:
        return whole, 1.0, 0.0
    return None, 0.0, 0.0


def located_by_print(target: Target, m: Matches, shape: tuple[int, int]) -> tuple[np.ndarray | None, float]:
    """Where the blank's print puts a sheet in the whole image when no pose was accepted there: the
    template's corners (image px) under the pose fitted to ``m`` (the whole image's matches) with
    CAMERA_MIN_INLIERS inliers and CAMERA_MIN_INLIER_SHARE of the matches, when it is a camera's pose
    (``camera_pose_ok``), and the share of the image (``shape``) it covers; (None, 0.0) otherwise.

    A sheet that fills little of a photo, or stands out little from its table (light-green paper on a
    grey desk in dim light), has no outline and too few features at the whole image's resolution for a
    pose, but its print is still found: a blank or empty sheet gives at most ~12 inliers."""
    H, keep = fit(target, m, T.CAMERA_MIN_INLIERS, T.CAMERA_MIN_INLIER_SHARE)
    if H is None or keep is None or int(keep.sum()) < T.CAMERA_MIN_INLIERS \
            or int(keep.sum()) < T.CAMERA_MIN_INLIER_SHARE * len(m.src):
        return None, 0.0
    quad = quad_of(target, full_pose(target, H, m))
    if not camera_pose_ok(quad):
        return None, 0.0
    return quad, float(abs(cv2.contourArea(quad.astype(np.float32)))) / float(shape[0] * shape[1])


def match_in(target: Target, grey: np.ndarray, box: np.ndarray) -> Matches:
    """The blank matched (``register.match``) in the part of ``grey`` around ``box`` (corners, image px,
    grown by OUTLINE_GROW_SHARE): a sheet that fills little of a photo gets the matcher's whole
    resolution, and the table's texture none. The matches' page points are in image px (scale 1)."""
    from .register import match
    c = box.mean(axis=0)
    b = c + (box - c) * (1 + T.OUTLINE_GROW_SHARE)
    h, w = grey.shape
    x0, y0 = max(0, int(b[:, 0].min())), max(0, int(b[:, 1].min()))
    x1, y1 = min(w, int(math.ceil(b[:, 0].max()))), min(h, int(math.ceil(b[:, 1].max())))
    if x1 - x0 < T.CAMERA_MIN_SHEET_PX or y1 - y0 < T.CAMERA_MIN_SHEET_PX:
        return Matches(1.0, np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32), "no_features")
    m = match(target, grey[y0:y1, x0:x1])
    return Matches(1.0, (m.src / m.scale + np.float32([x0, y0])).astype(np.float32), m.dst, m.why)


# ------------------------------------------------------------------------------------------------
# Undoing the camera: homography, then a smooth displacement field
# ------------------------------------------------------------------------------------------------
def _prefiltered(grey: np.ndarray, scale: float) -> tuple[np.ndarray, float]:
    """The image low-passed for resampling at ``scale`` (template px per image px, < 1 shrinks):
    halved while it can be, then blurred for what is left. Returns (image, image px per its px)."""
    f = 1.0
    while scale * f <= 0.5 and min(grey.shape) >= 4:
        grey, f = cv2.pyrDown(grey), f * 2
    d = 1 / (scale * f)
    if d > T.MIN_ANTI_ALIAS_REDUCTION_RATIO:
        grey = cv2.GaussianBlur(grey, (0, 0), math.sqrt(d * d - 1) / 2)
    return grey, f


def mean_scale(H: np.ndarray, target: Target) -> float:
    """Template px per image px, averaged over the sheet (the square root of the areas' ratio)."""
    quad = quad_of(target, H)
    if quad is None:
        return 1.0
    a = abs(cv2.contourArea(quad.astype(np.float32)))
    return math.sqrt(target.width * target.height / max(a, 1.0))


def _grid_map(H: np.ndarray, shape: tuple[int, int], field: tuple[np.ndarray, np.ndarray] | None, f: float
              ) -> tuple[np.ndarray, np.ndarray]:
    """Where the nodes of the ``FIELD_CELL_PX`` grid over the template frame lie in the image reduced
    ``f`` times: template point p goes to H⁻¹(p + d(p)), d the displacement field (or None)."""
    h, w = shape
    c = T.FIELD_CELL_PX
    gh, gw = h // c + 2, w // c + 2
    xs, ys = np.meshgrid(np.arange(gw, dtype=np.float64) * c, np.arange(gh, dtype=np.float64) * c)
    if field is not None:
        xs, ys = xs + field[0], ys + field[1]
    inv = np.diag([1 / f, 1 / f, 1.0]) @ np.linalg.inv(H)
    den = inv[2, 0] * xs + inv[2, 1] * ys + inv[2, 2]
    mx = ((inv[0, 0] * xs + inv[0, 1] * ys + inv[0, 2]) / den).astype(np.float32)
    my = ((inv[1, 0] * xs + inv[1, 1] * ys + inv[1, 2]) / den).astype(np.float32)
    return mx, my


def _maps(H: np.ndarray, shape: tuple[int, int], field: tuple[np.ndarray, np.ndarray] | None, f: float
          ) -> tuple[np.ndarray, np.ndarray]:
    """Remap maps (template px -> px of the image reduced ``f`` times), interpolated from ``_grid_map``:
    both the camera's mapping and the field are smooth over a cell."""
    mx, my = _grid_map(H, shape, field, f)
    return _upsampled(mx, shape), _upsampled(my, shape)


def _upsampled(grid: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A ``FIELD_CELL_PX`` grid (node k at pixel k × cell) interpolated to every pixel of ``shape``."""
    c = T.FIELD_CELL_PX
    m = np.float64([[1.0 / c, 0, 0], [0, 1.0 / c, 0]])
    return cv2.warpAffine(grid, m, (shape[1], shape[0]), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_REPLICATE)


def _resample(src: np.ndarray, maps: tuple[np.ndarray, np.ndarray], border: int, final: bool = False) -> np.ndarray:
    """``src`` remapped; the page that is read (``final``) with cubic interpolation, which keeps a thin
    stroke's darkness where bilinear spreads it."""
    return cv2.remap(src, maps[0], maps[1], cv2.INTER_CUBIC if final else cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def _grid_points(target: Target, step: int, size: tuple[int, int], margin: int) -> list[tuple[int, int]]:
    """Top-left corners of textured patches of the blank on a grid of ``step`` px (patch ``size``),
    found once per target."""
    key = ("grid", step, size, margin)
    if key not in target.cache:
        target.cache[key] = _textured(target, step, size, margin)
    return target.cache[key]


def _textured(target: Target, step: int, size: tuple[int, int], margin: int) -> list[tuple[int, int]]:
    pw, ph = size
    g = target.grey.astype(np.float32)
    mean = cv2.boxFilter(g, -1, (pw, ph), anchor=(0, 0))
    sq = cv2.boxFilter(g * g, -1, (pw, ph), anchor=(0, 0))
    std = np.sqrt(np.maximum(sq - mean * mean, 0))
    out = []
    for y in range(margin, target.height - ph - margin, step):
        for x in range(margin, target.width - pw - margin, step):
            if std[y, x] >= T.ANCHOR_MIN_STD_GREY:
                out.append((x, y))
    return out


def _subpixel(res: np.ndarray, x: int, y: int) -> tuple[float, float]:
    """The peak of a correlation map refined by a parabola through its neighbours (arithmetic in the
    map's own type, float32; clamped to ± 1/2 px)."""
    def off(a, b, c):
        d = a - 2 * b + c
        return 0.0 if abs(d) < 1e-9 else float(min(0.5, max(-0.5, 0.5 * (a - c) / d)))
    h, w = res.shape
    dx = off(res[y, x - 1], res[y, x], res[y, x + 1]) if 0 < x < w - 1 else 0.0
    dy = off(res[y - 1, x], res[y, x], res[y + 1, x]) if 0 < y < h - 1 else 0.0
    return x + dx, y + dy


def displacements(target: Target, page: np.ndarray, points: list[tuple[int, int]], size: tuple[int, int],
                  search: int) -> np.ndarray:
    """Where each patch of the blank is found on ``page`` (template frame), within ± ``search`` px:
    rows (cx, cy, dx, dy) of patches found clearly (NCC ≥ ANCHOR_MIN_CORR, the best peak standing out
    from the second by DEWARP_PEAK_MARGIN_CORR: a table rule or a row like the next is left out).
    Matched in float32 (``Target.grey32``)."""
    pw, ph = size
    r = T.DEWARP_PEAK_EXCLUDE_PX
    page, blank = page.astype(np.float32, copy=False), target.grey32
    out = []
    for x, y in points:
        area = page[y - search:y + ph + search, x - search:x + pw + search]
        if area.shape != (ph + 2 * search, pw + 2 * search):
            continue
        tmpl = blank[y:y + ph, x:x + pw]
        res = cv2.matchTemplate(area, tmpl, cv2.TM_CCOEFF_NORMED)
        _, best, _, (bx, by) = cv2.minMaxLoc(res)
        if best < T.ANCHOR_MIN_CORR:
            continue
        sx, sy = _subpixel(res, bx, by)
        res[max(0, by - r):by + r + 1, max(0, bx - r):bx + r + 1] = -np.inf    # the best peak left out
        second = float(res.max())
        if best - (second if second > -np.inf else -1.0) < T.DEWARP_PEAK_MARGIN_CORR:
            continue
        out.append((x + pw / 2, y + ph / 2, sx - search, sy - search))
    return np.array(out, np.float64).reshape(-1, 4)


def smooth_field(d: np.ndarray, shape: tuple[int, int], sigma_px: float, weight: np.ndarray | None = None,
                 outlier_px: float | np.ndarray = T.DEWARP_OUTLIER_PX) -> tuple[np.ndarray, np.ndarray]:
    """A smooth displacement field on the ``FIELD_CELL_PX`` grid (dx, dy float64 arrays) from measured
    displacements ``d`` (rows cx, cy, dx, dy; template px), each of ``weight`` (default 1).

    Normalised convolution: the measurements, spread on the grid, are averaged with a Gaussian of
    ``sigma_px``; where they are sparse the average leans on the same at DEWARP_WIDE_RATIO times the
    width, and where there are none at all, on their median. Measurements farther than
    ``outlier_px`` (default DEWARP_OUTLIER_PX; one for all or one per measurement) from the field of the
    others are dropped and the field is made again (twice)."""
    h, w = shape
    c = T.FIELD_CELL_PX
    gh, gw = h // c + 2, w // c + 2
    keep = np.ones(len(d), bool)
    weight = np.ones(len(d)) if weight is None else weight
    fx = fy = np.zeros((gh, gw))
    for _ in range(3):
        dk, wk = d[keep], weight[keep]
        if len(dk) == 0:
            break
        base = np.median(dk[:, 2:4], axis=0)
        ix = np.clip(np.rint(dk[:, 0] / c).astype(int), 0, gw - 1)
        iy = np.clip(np.rint(dk[:, 1] / c).astype(int), 0, gh - 1)
        wsum = np.zeros((gh, gw))
        sx, sy = np.zeros((gh, gw)), np.zeros((gh, gw))
        np.add.at(wsum, (iy, ix), wk)
        np.add.at(sx, (iy, ix), wk * (dk[:, 2] - base[0]))
        np.add.at(sy, (iy, ix), wk * (dk[:, 3] - base[1]))

        def avg(a, s_px):
            return cv2.GaussianBlur(a, (0, 0), s_px / c, borderType=cv2.BORDER_CONSTANT)
        wide = sigma_px * T.DEWARP_WIDE_RATIO
        ww = avg(wsum, wide)
        prior = T.DEWARP_PRIOR_WEIGHT / (2 * math.pi * (wide / c) ** 2)   # that many patches' weight at their place
        px = avg(sx, wide) / (ww + prior)         # the wide field, leaning on the median where it has nothing
        py = avg(sy, wide) / (ww + prior)
        wn = avg(wsum, sigma_px)
        prior = T.DEWARP_PRIOR_WEIGHT / (2 * math.pi * (sigma_px / c) ** 2)
        fx = (avg(sx, sigma_px) + prior * px) / (wn + prior) + base[0]
        fy = (avg(sy, sigma_px) + prior * py) / (wn + prior) + base[1]
        # each measurement against the field at its place
        ex = fx[
            np.clip(np.rint(d[:, 1] / c).astype(int), 0, gh - 1), np.clip(np.rint(d[:, 0] / c).astype(int), 0, gw - 1)
        ]
        ey = fy[
            np.clip(np.rint(d[:, 1] / c).astype(int), 0, gh - 1), np.clip(np.rint(d[:, 0] / c).astype(int), 0, gw - 1)
        ]
        new = np.hypot(d[:, 2] - ex, d[:, 3] - ey) <= outlier_px
        if np.array_equal(new, keep):
            break
        keep = new
    return fx, fy


def _field_at(field: tuple[np.ndarray, np.ndarray] | None, pts: np.ndarray) -> np.ndarray:
    """The displacement field (``FIELD_CELL_PX`` grid) at template points (N, 2), bilinear; the grid's
    edge values beyond it."""
    if field is None:
        return np.zeros_like(pts)
    c = T.FIELD_CELL_PX
    gh, gw = field[0].shape
    u = np.clip(pts[:, 0] / c, 0, gw - 1.0001)
    v = np.clip(pts[:, 1] / c, 0, gh - 1.0001)
    i, j = u.astype(int), v.astype(int)
    fu, fv = u - i, v - j
    out = []
    for g in field:
        out.append(g[j, i] * (1 - fu) * (1 - fv) + g[j, i + 1] * fu * (1 - fv) + g[j + 1, i] * (1 - fu) * fv
                   + g[j + 1, i + 1] * fu * fv)
    return np.stack(out, 1)


def _to_image(H: np.ndarray, field, pts: np.ndarray, f: float) -> np.ndarray:
    """Template points (N, 2) -> px of the image reduced ``f`` times, through the field and H⁻¹."""
    q = pts + _field_at(field, pts)
    inv = np.diag([1 / f, 1 / f, 1.0]) @ np.linalg.inv(H)
    return cv2.perspectiveTransform(q.reshape(-1, 1, 2).astype(np.float64), inv).reshape(-1, 2)


FIELD_CELL = T.FIELD_CELL_PX
SIDES = ("top", "right", "bottom", "left")


def _side_geometry(target: Target, side: str, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Points along one side of the template frame (N, 2), every ``step`` px, away from the corners,
    and the side's outward normal."""
    w, h = target.width, target.height
    m = T.EDGE_CORNER_SHARE
    if side in ("top", "bottom"):
        s = np.arange(m * w, (1 - m) * w, step)
        pts = np.stack([s, np.full_like(s, 0.0 if side == "top" else h - 1)], 1)
        n = np.array([0.0, -1.0 if side == "top" else 1.0])
    else:
        s = np.arange(m * h, (1 - m) * h, step)
        pts = np.stack([np.full_like(s, 0.0 if side == "left" else w - 1), s], 1)
        n = np.array([-1.0 if side == "left" else 1.0, 0.0])
    return pts, n


def _steps(profiles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each grey profile (rows, sampled 1 px apart outward) steps most sharply between paper and
    something else: (index, contrast: the difference of the means over EDGE_SIDE_PX on either side as
    a share of the brighter)."""
    g = cv2.GaussianBlur(profiles.astype(np.float32), (0, 0), sigmaX=T.EDGE_SMOOTH_PX, sigmaY=0.01)
    k = T.EDGE_SIDE_PX
    n = g.shape[1]
    if n < 2 * k + 2:
        return np.full(len(g), -1), np.zeros(len(g))
    c = np.concatenate([np.zeros((len(g), 1), np.float32), np.cumsum(g, axis=1)], axis=1)
    t = np.arange(k, n - k)
    inner = (c[:, t] - c[:, t - k]) / k            # mean of g[t-k:t]
    outer = (c[:, t + k + 1] - c[:, t + 1]) / k    # mean of g[t+1:t+k+1]
    con = np.abs(inner - outer) / np.maximum(np.maximum(inner, outer), 1.0)
    at = np.argmax(con, axis=1)
    return t[at], con[np.arange(len(g)), at]


def paper_offsets(target: Target) -> dict[str, float]:
    """How far inside the template frame the blank's paper begins on each side (px; 0 when the paper
    reaches the frame's edge): a scanned blank often shows a strip of the scanner's bed. The median
    over the points along the side where a clear step is found within EDGE_BLANK_BAND_PX."""
    if target.paper_edges is not None:
        return target.paper_edges
    out = {}
    band = T.EDGE_BLANK_BAND_PX
    t = np.arange(-band, 1, dtype=np.float64)
    for side in SIDES:
        pts, n = _side_geometry(target, side, T.EDGE_STEP_PX)
        prof = pts[:, None, :] + t[None, :, None] * n[None, None, :]
        bx = np.clip(np.rint(prof[..., 0]), 0, target.width - 1).astype(int)
        by = np.clip(np.rint(prof[..., 1]), 0, target.height - 1).astype(int)
        # the frame's last pixel repeated outward, so a strip at the very edge still steps
        g = np.concatenate(
            [target.grey[by, bx], np.repeat(target.grey[by[:, -1:], bx[:, -1:]], T.EDGE_SIDE_PX + 2, 1)], 1
        )
        idx, contrast = _steps(g)
        found = (contrast >= T.EDGE_MIN_STEP_SHARE) & (idx >= 0)
        out[side] = (
            float(-np.median(t[np.clip(idx[found], 0, len(t) - 1)])) if found.sum() >= T.EDGE_MIN_POINTS else 0.0
        )
    target.paper_edges = out
    return out


def edge_displacements(target: Target, src: np.ndarray, f: float, H: np.ndarray, field, search: int) -> np.ndarray:
    """Where the sheet's outline lies against the blank's paper edge (``paper_offsets``): rows
    (cx, cy, dx, dy), the displacement across each side at points along it where a clear step from
    paper to background is found within ± ``search`` px (the blank printed nowhere near it: a rule
    would step too)."""
    out = []
    t = np.arange(-search, search + 1, dtype=np.float64)
    ih, iw = src.shape
    offsets = paper_offsets(target)
    for side in SIDES:
        pts, n = _side_geometry(target, side, T.EDGE_STEP_PX)
        if not len(pts):
            continue
        pts = pts - offsets[side] * n                     # the blank's paper edge
        prof = pts[:, None, :] + t[None, :, None] * n[None, None, :]            # (N, len(t), 2)
        img = _to_image(H, field, prof.reshape(-1, 2), f).reshape(prof.shape)
        inside = (img[..., 0] >= 0) & (img[..., 0] <= iw - 1) & (img[..., 1] >= 0) & (img[..., 1] <= ih - 1)
        g = cv2.remap(src, img[..., 0].astype(np.float32), img[..., 1].astype(np.float32), cv2.INTER_LINEAR)
        # the blank's own print inside the searched band: no clean paper edge to find there
        inner = prof[:, :max(1, search - T.EDGE_SIDE_PX)]
        bx = np.clip(np.rint(inner[..., 0]), 0, target.width - 1).astype(int)
        by = np.clip(np.rint(inner[..., 1]), 0, target.height - 1).astype(int)
        printed = (target.grey[by, bx] < T.EDGE_BLANK_PRINT_SHARE * target.paper_grey).any(axis=1)
        idx, contrast = _steps(g)
        ok = inside.all(axis=1) & ~printed & (contrast >= T.EDGE_MIN_STEP_SHARE) & (idx >= 0)
        if ok.sum() < T.EDGE_MIN_POINTS:
            continue
        off = t[np.clip(idx, 0, len(t) - 1)][ok]
        # the outline is smooth along a side: offsets far from their neighbours' median are not it
        padded = np.pad(off, 3, mode="edge")
        med = np.median(np.lib.stride_tricks.sliding_window_view(padded, 7), axis=1)
        good = np.abs(off - med) <= T.EDGE_AGREE_PX
        for (x, y), o in zip(pts[ok][good], off[good]):
            out.append((x, y, o * n[0], o * n[1]))
    return np.array(out, np.float64).reshape(-1, 4)


def beyond_sheet(target: Target, edges: np.ndarray) -> np.ndarray:
    """Where a photographed page shows what lies beyond the sheet's paper (bool, template frame): the
    table, another paper, a shadow along its edges, which are not on the ballot. The sheet's paper ends
    where the blank's does (``paper_offsets``), or inside that where the outline was found inside it
    (``edges``: the last displacements across each side, taken between the points where it was
    found), less EDGE_FILL_MARGIN_PX."""
    h, w = target.height, target.width
    out = np.zeros((h, w), bool)
    offsets = paper_offsets(target)
    for side in SIDES:
        _, n = _side_geometry(target, side, T.EDGE_STEP_PX)
        along = 0 if side in ("top", "bottom") else 1
        on = edges[((edges[:, 0] <= 0.5) if side == "left" else (edges[:, 0] >= w - 1.5) if side == "right"
                    else (edges[:, 1] <= 0.5) if side == "top" else (edges[:, 1] >= h - 1.5))] if len(edges) else edges
        pos = np.arange(w if along == 0 else h)
        depth = np.zeros(len(pos))
        if len(on):
            order = np.argsort(on[:, along])
            depth = np.interp(pos, on[order, along], np.maximum(0.0, -(on[order, 2] * n[0] + on[order, 3] * n[1])))
        band = np.ceil(offsets[side] + depth + T.EDGE_FILL_MARGIN_PX).astype(int)
        d = np.arange(max(1, int(band.max())))
        mask = d[None, :] < band[:, None]                        # (along the side, depth from the edge)
        if side == "top":
            out[:mask.shape[1], :] |= mask.T
        elif side == "bottom":
            out[h - mask.shape[1]:, :] |= mask.T[::-1]
        elif side == "left":
            out[:, :mask.shape[1]] |= mask
        else:
            out[:, w - mask.shape[1]:] |= mask[:, ::-1]
    return out


def flatten_light(page: np.ndarray, target: Target, beyond: np.ndarray | None = None) -> np.ndarray:
    """The page with its light made even: a photo's light falls off across the sheet, a hand or the
    phone casts a shadow, the curl shades the paper; a scanner lights a page evenly, and the reader
    expects that. The light is measured on the paper (where the blank has no print), the voter's thin
    strokes filled in first by a grey closing of LIGHT_CLOSE_PX, averaged over LIGHT_CELL_PX cells and
    smoothed; the page is divided by it and brought to the paper's median grey. What lies ``beyond``
    the sheet (bool) is not measured, and is painted paper."""
    c = T.LIGHT_CELL_PX
    h, w = page.shape
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (T.LIGHT_CLOSE_PX, T.LIGHT_CLOSE_PX))
    filled = cv2.morphologyEx(page, cv2.MORPH_CLOSE, k).astype(np.float32)
    paper = (target.grey >= T.LIGHT_PAPER_SHARE * target.paper_grey).astype(np.uint8)
    if beyond is not None:
        paper[beyond] = 0
    paper = cv2.erode(paper, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))).astype(np.float32)
    size = (max(1, w // c), max(1, h // c))
    num = cv2.resize(filled * paper, size, interpolation=cv2.INTER_AREA)
    den = cv2.resize(paper, size, interpolation=cv2.INTER_AREA)
    s = T.LIGHT_SMOOTH_CELLS
    num, den = cv2.GaussianBlur(num, (0, 0), s), cv2.GaussianBlur(den, (0, 0), s)
    wide_num, wide_den = cv2.GaussianBlur(num, (0, 0), 4 * s), cv2.GaussianBlur(den, (0, 0), 4 * s)
    prior = T.LIGHT_PRIOR_SHARE
    light = (num + prior * wide_num / np.maximum(wide_den, 1e-6)) / (den + prior)
    level = float(np.median(light))
    light = cv2.resize(light, (w, h), interpolation=cv2.INTER_LINEAR)
    out = np.clip(page.astype(np.float32) * (level / np.maximum(light, 1.0)), 0, 255).astype(np.uint8)
    if beyond is not None:
        out[beyond] = int(round(level))
    return out


def quieted(page: np.ndarray, target: Target) -> tuple[np.ndarray, float]:
    """The page smoothed just enough that its sensor noise stays under NOISE_MAX_SHARE of its print's
    contrast (a dim photo is grainy; a scanner's page is not, and the reader's ink thresholds are a
    scanner's): the noise is measured on the paper (the blank's, away from its print) as the robust
    spread of what a Gaussian of NOISE_PROBE_PX takes away, the contrast as the paper's median grey less
    the print's. A Gaussian of sigma s divides white noise by about 2·√π·s. Returns (page, noise share)."""
    paper = target.cache.get("quiet_paper")
    if paper is None:
        paper = cv2.erode((target.grey >= T.LIGHT_PAPER_SHARE * target.paper_grey).astype(np.uint8),
                          np.ones((7, 7), np.uint8)) > 0
        printed = target.grey < T.EDGE_BLANK_PRINT_SHARE * target.paper_grey * 0.5
        target.cache["quiet_paper"], target.cache["quiet_print"] = paper, printed
    printed = target.cache["quiet_print"]
    if not paper.any() or not printed.any():
        return page, 0.0
    p = page.astype(np.float32)
    k = T.MEDIAN_SAMPLE_STEP
    sp, spr = paper[::k, ::k], printed[::k, ::k]
    noise = 1.4826 * float(np.median(np.abs(p - cv2.GaussianBlur(p, (0, 0), T.NOISE_PROBE_PX))[::k, ::k][sp]))
    contrast = float(np.median(p[::k, ::k][sp])) - float(np.median(p[::k, ::k][spr]))
    share = noise / max(contrast, 1.0)
    if share <= T.NOISE_MAX_SHARE:
        return page, share
    sigma = float(
        np.clip(noise / (2 * math.sqrt(math.pi) * T.NOISE_MAX_SHARE * max(contrast, 1.0)), *T.NOISE_SMOOTH_PX)
    )
    return cv2.GaussianBlur(page, (0, 0), sigma), share


def _half(target: Target) -> Target:
    """The blank at half size, for matching patches coarsely (made once)."""
    if "half" not in target.cache:
        g = cv2.pyrDown(target.grey)
        target.cache["half"] = Target(width=g.shape[1], height=g.shape[0], scale=1.0,
                                      keypoints=np.zeros((0, 2), np.float32), descriptors=np.zeros((0, 32), np.uint8),
                                      grey=g, anchors=[])
    return target.cache["half"]


def refined_pose(target: Target, src: np.ndarray, f: float, H: np.ndarray, border: int, ev: dict) -> np.ndarray:
    """The pose ``H`` corrected on the blank's textured patches: ORB's pose is fitted on a reduced copy
    and can be off by a dozen px at a far corner of a tilted sheet; each patch is found again within
    ± POSE_SEARCH_PX on the page resampled with it (both at half size: a coarse search), and a homography
    fitted to where they are (RANSAC) replaces it. ``H`` is kept when too few patches agree. How far the
    new pose leaves the patches (90th percentile, template px) goes in ``ev["pose_residual_px"]``."""
    shape = (target.height, target.width)
    step, size, search = T.POSE_PATCHES
    half = _half(target)
    page = cv2.pyrDown(_resample(src, _maps(H, shape, None, f), border))
    d = displacements(half, page, _grid_points(half, step // 2, (size[0] // 2, size[1] // 2), search // 2 + 1),
                      (size[0] // 2, size[1] // 2), search // 2) * 2.0 + np.array([0.5, 0.5, 0.0, 0.0])
    ev["pose_patches"] = len(d)
    if len(d) < T.MIN_ANCHORS:
        return H
    C, mask = cv2.findHomography(d[:, :2] + d[:, 2:4], d[:, :2], cv2.RANSAC, T.POSE_RANSAC_PX)
    if C is None or mask is None or int(mask.sum()) < T.MIN_ANCHORS:
        return H
    ev["pose_inliers"] = int(mask.sum())
    q = cv2.perspectiveTransform((d[:, :2] + d[:, 2:4]).reshape(-1, 1, 2), C).reshape(-1, 2)
    ev["pose_residual_px"] = round(float(np.percentile(np.hypot(*(q - d[:, :2]).T), 90)), 2)
    return C @ H


def dewarp_levels(ev: dict) -> tuple:
    """The levels (``DEWARP_LEVELS``) the field is measured on: after ``DEWARP_COARSE_LEVEL`` when the
    refined pose leaves its patches farther than DEWARP_COARSE_RESIDUAL_SHARE of the first level's search
    (``ev["pose_residual_px"]``, ``refined_pose``): a curl no pose explains, which the fine levels' search
    would not reach."""
    if ev.get("pose_residual_px", 0.0) > T.DEWARP_COARSE_RESIDUAL_SHARE * T.DEWARP_LEVELS[0][2]:
        return (T.DEWARP_COARSE_LEVEL, *T.DEWARP_LEVELS)
    return T.DEWARP_LEVELS


def dewarp(target: Target, grey: np.ndarray, H: np.ndarray) -> tuple[np.ndarray, dict]:
    """The sheet of ``grey`` under pose ``H`` (image px -> template px) resampled into the template frame,
    its curl and the pose's error undone by a smooth displacement field measured on the blank's
    textured patches and on the sheet's outline, coarse to fine. Returns (page uint8, evidence)."""
    shape = (target.height, target.width)
    scale = mean_scale(H, target)
    src, f = _prefiltered(grey, scale)
    border = int(np.median(src[::T.BORDER_SAMPLE_STEP, ::T.BORDER_SAMPLE_STEP]))
    field = None
    ev = {}
    H = refined_pose(target, src, f, H, border, ev)
    for level, (step, size, search, sigma, edge_search) in enumerate(dewarp_levels(ev)):
        page = _resample(src, _maps(H, shape, field, f), border)
        pts = _grid_points(target, step, size, search + T.ANCHOR_MARGIN_PX)
        d = displacements(target, page, pts, size, search)
        e = edge_displacements(target, src, f, H, field, edge_search)
        ev[f"patches_{level}"], ev[f"edges_{level}"] = len(d), len(e)
        if len(d) < T.MIN_ANCHORS:
            break
        fx, fy = smooth_field(np.vstack([d, e]), shape, sigma,
                              np.concatenate([np.ones(len(d)), np.full(len(e), T.EDGE_WEIGHT)]),
                              # a coarse level's patches may lie far from the others' field (a curl its search
                              # found); the outline may not (it can differ from the blank's frame where print is)
                              np.concatenate([np.full(len(d), max(T.DEWARP_OUTLIER_PX,
                                                                  T.DEWARP_OUTLIER_SEARCH_SHARE * search)),
                                              np.full(len(e), T.DEWARP_OUTLIER_PX)]))
        ev[f"shift_{level}"] = round(float(np.percentile(np.hypot(d[:, 2], d[:, 3]), 90)), 2)
        field = (fx, fy) if field is None else (field[0] + fx, field[1] + fy)
    page = _resample(src, _maps(H, shape, field, f), border)
    e = edge_displacements(target, src, f, H, field, T.DEWARP_LEVELS[-1][4])
    ev["edge_residual_px"] = round(float(np.percentile(np.hypot(e[:, 2], e[:, 3]), 90)), 2) if len(e) else -1.0
    beyond = beyond_sheet(target, e)
    mx, my = _grid_map(H, shape, field, f)
    ev["_outside"] = (mx < 0) | (my < 0) | (mx > src.shape[1] - 1) | (my > src.shape[0] - 1)
    ev["_bright"] = (page >= T.GLARE_BRIGHT_GREY) & ~beyond
    page, ev["noise_share"] = quieted(flatten_light(page, target, beyond), target)
    ev["noise_share"] = round(ev["noise_share"], 4)
    ev["_field"], ev["_f"], ev["_H"] = field, f, H
    return page, ev


def camera_registered(target: Target, grey: np.ndarray, m: Matches, reg: Registration
                      ) -> tuple[Registration, np.ndarray | None]:
    """A photographed sheet registered into the template frame: its pose from the blank's print
    (``find_sheets`` in the whole image, then, when that finds none, inside the sheet's outline and
    inside where the blank's print places it, ``located_by_print``), then ``dewarp``. ``reg``: the
    feeder's registration (returned, with the outline, or where the print places the sheet when no
    outline on a background is seen, when no sheet matches). Inside either is matched only when it lies
    on a background (a page filling its image is a scan: it was matched whole already)."""
    sheets = find_sheets(target, m)
    if not sheets:
        box, share, contrast = outline(grey, target.paper_grey)
        quad, quad_share = located_by_print(target, m, grey.shape)
        if quad_share >= T.FEEDER_FILL_SHARE:
            quad = None                          # a page filling its image is a scan: it was matched whole already
        boxes = [b for b, s in ((box, share), (quad, quad_share)) if b is not None and s < T.FEEDER_FILL_SHARE]
        for b in boxes:                          # a sheet on a background: match inside its outline, its print's
            sheets = find_sheets(target, match_in(target, grey, b), min_inliers=T.CAMERA_MIN_INLIERS,
                                 min_share=T.CAMERA_MIN_INLIER_SHARE)
            if sheets:
                break
        if not sheets:
            if quad is not None and (box is None or share >= T.FEEDER_FILL_SHARE):
                box, share = quad, quad_share    # no outline on a background, but the blank's print places a sheet
            reg.sheet_box, reg.sheet_share, reg.camera_tried = box, share, True
            reg.sheet_contrast = contrast
            return reg, None
    s = sheets[0]
    page, ev = dewarp(target, grey, s.homography)
    H = ev.pop("_H")
    out = Registration(True, "", H, s.inliers, s.matches, s.rotation_deg, mean_scale(H, target),
                       camera=True, sheets=len(sheets), outside=ev.pop("_outside"), bright=ev.pop("_bright"),
                       feeder_why=reg.why)
    ev.pop("_field", None), ev.pop("_f", None)
    out.evidence = ev
    return out, page
