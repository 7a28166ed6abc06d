"""Register a scanned page to the blank ballot.

Scanners and feeders skew, shift and rescale pages (150–300 dpi), turn some upside down and warp
them slightly. ORB features are rotation invariant, so one homography fitted with RANSAC on ORB
matches covers all of that, upside-down pages included. The page is then resampled into the
template frame (see ``records.WORK_LONG_SIDE_PX``); small local warps are left to the reader,
which aligns each name on its own.
"""
from __future__ import annotations

import dataclasses
import math

import cv2
import numpy as np

ORB_LONG_SIDE_PX = 1000     # images are matched at this long side
ORB_FEATURES = 4000
MATCH_RATIO = 0.8           # Lowe's ratio test on Hamming distances
RANSAC_REPROJ_PX = 4.0      # at ORB scale
MIN_INLIERS = 60            # fewer inliers than this: the page does not match the blank
MIN_INLIER_SHARE = 0.15     # of ratio-test matches
MAX_SCALE_CHANGE = 0.35     # the page may not be more than 35 % larger or smaller than the blank
MAX_SHEAR = 0.08            # |cos| of the angle between the mapped axes (perspective sanity)
ANCHOR_GRID = (4, 6)        # the fine alignment looks for one textured patch per cell of this grid
ANCHOR_SIZE_PX = (96, 48)   # patch width, height in the template frame
ANCHOR_MIN_STD = 25.0       # grey-level standard deviation of a usable patch
ANCHOR_SEARCH_PX = 12       # patches are searched within ± this many px of where ORB put them
ANCHOR_MIN_SCORE = 0.5      # normalised correlation of a found patch
ANCHOR_RANSAC_PX = 1.5


@dataclasses.dataclass
class Target:
    """The blank prepared for matching (built once per process)."""
    width: int                 # template frame, px
    height: int
    scale: float               # ORB px per template px
    keypoints: np.ndarray      # (N, 2) float32, ORB px
    descriptors: np.ndarray    # (N, 32) uint8
    grey: np.ndarray           # the blank, template frame
    anchors: list[tuple[int, int]]   # top-left corners of textured patches for fine alignment


@dataclasses.dataclass
class Registration:
    ok: bool
    why: str = ""              # reason code when not ok
    homography: np.ndarray | None = None   # scan px -> template px
    inliers: int = 0
    matches: int = 0
    rotation_deg: float = 0.0  # page rotation seen (180 = upside down)
    scale: float = 1.0         # template px per scan px

    @property
    def upside_down(self) -> bool:
        return abs(self.rotation_deg) > 90


def _orb():
    return cv2.ORB_create(nfeatures=ORB_FEATURES, fastThreshold=10)


def _features(grey: np.ndarray) -> tuple[float, np.ndarray, np.ndarray | None]:
    s = ORB_LONG_SIDE_PX / max(grey.shape)
    small = cv2.resize(grey, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else grey
    s = small.shape[1] / grey.shape[1]
    kps, des = _orb().detectAndCompute(small, None)
    pts = np.float32([k.pt for k in kps]).reshape(-1, 2)
    return s, pts, des


def _anchors(grey: np.ndarray) -> list[tuple[int, int]]:
    """One well-textured patch per grid cell (top-left corners), for fine alignment."""
    h, w = grey.shape
    pw, ph = ANCHOR_SIZE_PX
    g = grey.astype(np.float32)
    mean = cv2.boxFilter(g, -1, (pw, ph), anchor=(0, 0))
    sq = cv2.boxFilter(g * g, -1, (pw, ph), anchor=(0, 0))
    std = np.sqrt(np.maximum(sq - mean * mean, 0))
    m = ANCHOR_SEARCH_PX + 2
    std[: m] = std[-(ph + m):] = 0
    std[:, : m] = std[:, -(pw + m):] = 0
    out = []
    gx, gy = ANCHOR_GRID
    for i in range(gx):
        for j in range(gy):
            cell = std[j * h // gy:(j + 1) * h // gy, i * w // gx:(i + 1) * w // gx]
            y, x = np.unravel_index(int(np.argmax(cell)), cell.shape)
            if cell[y, x] >= ANCHOR_MIN_STD:
                out.append((int(x + i * w // gx), int(y + j * h // gy)))
    return out


def make_target(blank_grey: np.ndarray) -> Target:
    """Prepare the blank (already in the template frame) for registration."""
    s, pts, des = _features(blank_grey)
    if des is None or len(pts) < MIN_INLIERS:
        des = np.zeros((0, 32), np.uint8)
    return Target(width=blank_grey.shape[1], height=blank_grey.shape[0], scale=s, keypoints=pts, descriptors=des,
                  grey=blank_grey, anchors=_anchors(blank_grey))


def refine(target: Target, page: np.ndarray) -> np.ndarray | None:
    """Correction homography (page frame → template frame) from textured patches, or None.

    ORB poses are good to a few pixels; strokes one pixel wide need better. Each anchor patch of the
    blank is found again on the warped page by normalised correlation, and a homography fitted on
    the displacements (RANSAC) corrects the pose.
    """
    pw, ph = ANCHOR_SIZE_PX
    r = ANCHOR_SEARCH_PX
    src, dst = [], []
    for x, y in target.anchors:
        area = page[y - r:y + ph + r, x - r:x + pw + r]
        tmpl = target.grey[y:y + ph, x:x + pw]
        if area.shape != (ph + 2 * r, pw + 2 * r):
            continue
        res = cv2.matchTemplate(area, tmpl, cv2.TM_CCOEFF_NORMED)
        _, score, _, (bx, by) = cv2.minMaxLoc(res)
        if score < ANCHOR_MIN_SCORE:
            continue
        cx, cy = x + pw / 2, y + ph / 2
        src.append((cx + bx - r, cy + by - r))
        dst.append((cx, cy))
    if len(src) < 6:
        return None
    C, mask = cv2.findHomography(np.float32(src), np.float32(dst), cv2.RANSAC, ANCHOR_RANSAC_PX)
    if C is None or mask is None or int(mask.sum()) < 6:
        return None
    return C


def _sane(H: np.ndarray, scale_expected: float) -> tuple[bool, float, float]:
    """Check that H is a plausible page pose; return (ok, rotation_deg, scale)."""
    a = H[:2, :2] / H[2, 2]
    sx, sy = np.linalg.norm(a[:, 0]), np.linalg.norm(a[:, 1])
    scale = math.sqrt(abs(np.linalg.det(a)))
    rot = math.degrees(math.atan2(a[1, 0], a[0, 0]))
    cos = abs(float(a[:, 0] @ a[:, 1])) / max(1e-9, sx * sy)
    rel = scale / scale_expected
    ok = (1 - MAX_SCALE_CHANGE) <= rel <= (1 + MAX_SCALE_CHANGE) and cos <= MAX_SHEAR and abs(sx / sy - 1) < 0.15
    return ok, rot, scale


def register(target: Target, grey: np.ndarray) -> Registration:
    """Fit the homography that maps the scanned page ``grey`` onto the template frame."""
    s, pts, des = _features(grey)
    if des is None or len(pts) < MIN_INLIERS or len(target.descriptors) == 0:
        return Registration(False, "no_features")
    pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(des, target.descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < MATCH_RATIO * p[1].distance]
    if len(good) < MIN_INLIERS:
        return Registration(False, "no_match", matches=len(good))
    src = pts[[m.queryIdx for m in good]]
    dst = target.keypoints[[m.trainIdx for m in good]]
    H, mask = cv2.findHomography(src, dst, cv2.RANSAC, RANSAC_REPROJ_PX, maxIters=4000, confidence=0.999)
    inliers = int(mask.sum()) if mask is not None else 0
    if H is None or inliers < MIN_INLIERS or inliers < MIN_INLIER_SHARE * len(good):
        return Registration(False, "no_match", inliers=inliers, matches=len(good))
    # Refit on inliers only with least squares for a steadier pose.
    keep = mask.ravel().astype(bool)
    H2, _ = cv2.findHomography(src[keep], dst[keep], 0)
    if H2 is not None:
        H = H2
    full = np.diag([1 / target.scale, 1 / target.scale, 1.0]) @ H @ np.diag([s, s, 1.0])
    expected = max(target.width, target.height) / max(grey.shape)
    ok, rot, scale = _sane(full, expected)
    if not ok:
        return Registration(False, "bad_pose", inliers=inliers, matches=len(good), rotation_deg=rot, scale=scale)
    return Registration(True, "", full, inliers, len(good), rot, scale)


def warp_to_template(grey: np.ndarray, reg: Registration, target: Target) -> np.ndarray:
    """Resample the scanned page into the template frame (uint8 grey, paper-white outside the page).

    The pose is refined on textured patches (``refine``) and ``reg.homography`` updated.
    """
    page = _warp(grey, reg, target)
    C = refine(target, page)
    if C is not None:
        reg.homography = C @ reg.homography
        page = _warp(grey, reg, target)
    return page


def _warp(grey: np.ndarray, reg: Registration, target: Target) -> np.ndarray:
    H = reg.homography
    pre = 1.0
    if reg.scale < 0.8:
        # Shrink with area averaging first so thin strokes are not lost to aliasing.
        pre = reg.scale
        grey = cv2.resize(grey, None, fx=pre, fy=pre, interpolation=cv2.INTER_AREA)
        H = H @ np.diag([1 / pre, 1 / pre, 1.0])
    border = int(np.median(grey[::16, ::16])) if grey.size else 255
    return cv2.warpPerspective(grey, H, (target.width, target.height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=border)
