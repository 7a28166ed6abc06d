"""Register a scanned page to the blank ballot.

Scanners and feeders skew, shift and rescale pages (150–300 dpi), turn some upside down and warp
them slightly. ORB features are rotation invariant, so one homography fitted with RANSAC on ORB
matches covers all of that, upside-down pages included. The page is then resampled into the
template frame (see ``records.WORK_LONG_SIDE_PX``); small local warps are left to the reader,
which aligns each name on its own.

A page whose pose is no feeder's (a camera's tilt, a sheet lying on a table, two small ballots on
one page) is handed to ``sheet.camera_registered`` with the matches already made.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import cv2
import numpy as np

from . import thresholds as T


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
    matcher: cv2.flann.Index | None = None   # built on first use, per process
    paper_edges: dict | None = None   # where the blank's paper begins on each side (sheet.paper_offsets), on first use
    cache: dict = dataclasses.field(default_factory=dict)   # what capture.py measures of the blank, on first use

    @property
    def grey32(self) -> np.ndarray:
        """The blank as float32, made once: patches are matched in float32 (``cv2.matchTemplate`` is twice
        as fast on float32 as on uint8, which it converts on every call, and 5 times closer to exact)."""
        if "grey32" not in self.cache:
            self.cache["grey32"] = self.grey.astype(np.float32)
        return self.cache["grey32"]

    @property
    def paper_grey(self) -> float:
        """The blank's paper grey level (its PAPER_GREY_PERCENTILE), measured once."""
        if "paper_grey" not in self.cache:
            self.cache["paper_grey"] = float(np.percentile(self.grey[::4, ::4], T.PAPER_GREY_PERCENTILE))
        return self.cache["paper_grey"]


@dataclasses.dataclass
class Registration:
    ok: bool
    why: str = ""              # reason code when not ok
    homography: np.ndarray | None = None   # scan px -> template px
    inliers: int = 0
    matches: int = 0
    rotation_deg: float = 0.0  # page rotation seen (180 = upside down)
    scale: float = 1.0         # template px per scan px
    camera: bool = False       # registered as a camera sees a sheet (sheet.py), not as a scanner's page
    sheets: int = 1            # ballots found in the image
    evidence: dict = dataclasses.field(default_factory=dict)   # measures of the camera path
    outside: np.ndarray | None = dataclasses.field(default=None, repr=False)   # camera: bool grid (FIELD_CELL_PX)
    #                            over the template frame, True where the sheet lies outside the image
    bright: np.ndarray | None = dataclasses.field(default=None, repr=False)    # camera: bool, template frame,
    #                            where the paper was saturated before its light was evened
    sheet_box: np.ndarray | None = dataclasses.field(default=None, repr=False)   # a sheet's outline when no
    #                            pose was found (image px, sheet.outline) ...
    sheet_share: float = 0.0   # ... the share of the image it covers ...
    sheet_contrast: float = 0.0  # ... and how much brighter than the rest it is (a share of its grey)
    camera_tried: bool = False  # the camera's path was tried (the page was no scanner's)
    feeder_why: str = (
        ""  # camera: why the page was no feeder's page (bad_pose, no_match, or "": one not filling its image)
    )

    @property
    def upside_down(self) -> bool:
        return abs(self.rotation_deg) > 90


def _orb():
    return cv2.ORB_create(nfeatures=T.ORB_FEATURES, fastThreshold=T.ORB_FAST_GREY)


class Halvings:
    """A page and its halvings (pyrDown: low-pass and subsample), each made once per page: the ORB copy
    (``match``) and the resampling (``warp_to_template``) of a 300 dpi scan start from the same half."""

    def __init__(self, grey: np.ndarray):
        self.levels = [grey]

    def halved(self, s: float) -> tuple[np.ndarray, float]:
        """The page halved while the scale ``s`` left to apply is ≤ 1/2; returns the smaller image and
        the scale still left (> 1/2)."""
        i = 0
        while s <= 0.5 and min(self.levels[i].shape) >= 4:
            if i + 1 == len(self.levels):
                self.levels.append(cv2.pyrDown(self.levels[i]))
            i, s = i + 1, s * 2
        return self.levels[i], s


def _halved(grey: np.ndarray, s: float, halvings: Halvings | None = None) -> tuple[np.ndarray, float]:
    """``grey`` halved (pyrDown: low-pass and subsample) while the scale ``s`` left to apply is ≤ 1/2;
    returns the smaller image and the scale still left (> 1/2). ``halvings``: those of ``grey`` made
    so far (``Halvings``), reused and added to."""
    return (halvings or Halvings(grey)).halved(s)


def _shrink(grey: np.ndarray, s: float, halvings: Halvings | None = None) -> np.ndarray:
    """``grey`` scaled by ``s`` < 1 with area averaging; halvings first (pyrDown), which is several
    times faster than one non-integer INTER_AREA resize of a full page."""
    grey, s = _halved(grey, s, halvings)
    return cv2.resize(grey, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else grey


def _features(grey: np.ndarray, halvings: Halvings | None = None) -> tuple[float, np.ndarray, np.ndarray | None]:
    s = T.ORB_LONG_SIDE_PX / max(grey.shape)
    small = _shrink(grey, s, halvings) if s < 1 else grey
    s = small.shape[1] / grey.shape[1]
    kps, des = _orb().detectAndCompute(small, None)
    pts = cv2.KeyPoint_convert(kps).reshape(-1, 2) if kps else np.zeros((0, 2), np.float32)   # float32, in C
    return s, pts, des


def _anchors(grey: np.ndarray) -> list[tuple[int, int]]:
    """One well-textured patch per grid cell (top-left corners), for fine alignment."""
    h, w = grey.shape
    pw, ph = T.ANCHOR_SIZE_PX
    g = grey.astype(np.float32)
    mean = cv2.boxFilter(g, -1, (pw, ph), anchor=(0, 0))
    sq = cv2.boxFilter(g * g, -1, (pw, ph), anchor=(0, 0))
    std = np.sqrt(np.maximum(sq - mean * mean, 0))
    m = T.ANCHOR_SEARCH_PX + T.ANCHOR_MARGIN_PX
    std[: m] = std[-(ph + m):] = 0
    std[:, : m] = std[:, -(pw + m):] = 0
    out = []
    gx, gy = T.ANCHOR_GRID
    for i in range(gx):
        for j in range(gy):
            cell = std[j * h // gy:(j + 1) * h // gy, i * w // gx:(i + 1) * w // gx]
            y, x = np.unravel_index(int(np.argmax(cell)), cell.shape)
            if cell[y, x] >= T.ANCHOR_MIN_STD_GREY:
                out.append((int(x + i * w // gx), int(y + j * h // gy)))
    return out


LSH_INDEX = dict(algorithm=6, table_number=6, key_size=20, multi_probe_level=1)   # FLANN_INDEX_LSH; 20-bit keys:
#                             as many good matches as 14-bit ones, in 10 ms instead of 25
LSH_CHECKS = 32
LSH_SEED = 20261127


def _matcher(target: Target) -> cv2.flann.Index:
    """The blank's descriptors indexed once (LSH), reused for every page. FLANN's own index, not a
    ``FlannBasedMatcher`` over it: its ``knnSearch`` answers in arrays (the ratio test in numpy) where
    ``knnMatch`` builds a Python object per match (the same neighbours: one index, one search)."""
    if target.matcher is None:
        cv2.setRNGSeed(LSH_SEED)   # the hash tables are random: fix them so every process reads alike
        target.matcher = cv2.flann_Index(target.descriptors, LSH_INDEX)
    return target.matcher


def make_target(blank_grey: np.ndarray) -> Target:
    """Prepare the blank (already in the template frame) for registration."""
    s, pts, des = _features(blank_grey)
    if des is None or len(pts) < T.MIN_INLIERS:
        des = np.zeros((0, 32), np.uint8)
    return Target(width=blank_grey.shape[1], height=blank_grey.shape[0], scale=s, keypoints=pts, descriptors=des,
                  grey=blank_grey, anchors=_anchors(blank_grey))


def refine(target: Target, page: np.ndarray | Callable[[int, int, int, int], np.ndarray]) -> np.ndarray | None:
    """Correction homography (page frame → template frame) from textured patches, or None.

    ORB poses are good to a few pixels; strokes one pixel wide need better. Each anchor patch of the
    blank is found again on the warped page by normalised correlation, and a homography fitted on
    the displacements (RANSAC) corrects the pose. ``page`` is the warped page, or a function
    ``(x, y, w, h)`` giving that area of it (so only the search areas need be warped). Matched in float32
    (``Target.grey32``).
    """
    pw, ph = T.ANCHOR_SIZE_PX
    r = T.ANCHOR_SEARCH_PX
    src, dst = [], []
    crop = page if callable(page) else (lambda x, y, w, h: page[y:y + h, x:x + w])
    blank = target.grey32
    for x, y in target.anchors:
        area = crop(x - r, y - r, pw + 2 * r, ph + 2 * r)
        if area.shape != (ph + 2 * r, pw + 2 * r):
            continue
        res = cv2.matchTemplate(area.astype(np.float32), blank[y:y + ph, x:x + pw], cv2.TM_CCOEFF_NORMED)
        _, score, _, (bx, by) = cv2.minMaxLoc(res)
        if score < T.ANCHOR_MIN_CORR:
            continue
        cx, cy = x + pw / 2, y + ph / 2
        src.append((cx + bx - r, cy + by - r))
        dst.append((cx, cy))
    if len(src) < T.MIN_ANCHORS:
        return None
    C, mask = cv2.findHomography(np.float32(src), np.float32(dst), cv2.RANSAC, T.ANCHOR_RANSAC_PX)
    if C is None or mask is None or int(mask.sum()) < T.MIN_ANCHORS:
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
    ok = ((1 - T.MAX_SCALE_CHANGE_SHARE) <= rel <= (1 + T.MAX_SCALE_CHANGE_SHARE) and cos <= T.MAX_SHEAR_COS
          and abs(sx / sy - 1) < T.MAX_ASPECT_CHANGE_SHARE)
    return ok, rot, scale


@dataclasses.dataclass
class Matches:
    """ORB matches of a page against the blank that passed the ratio test."""
    scale: float               # ORB px per page px
    src: np.ndarray            # (M, 2) float32: the page's points, ORB px
    dst: np.ndarray            # (M, 2) float32: the blank's points, ORB px of the blank
    why: str = ""              # "no_features" when the page has none to match
    fits: dict = dataclasses.field(default_factory=dict, repr=False)   # fit's results by (min_inliers, min_share):
    #                            a photo's matches are fitted by register, then again by sheet.find_sheets


def match(target: Target, grey: np.ndarray, halvings: Halvings | None = None) -> Matches:
    """ORB features of ``grey`` matched to the blank's (Lowe's ratio test); ``halvings``: ``grey``'s
    (``Halvings``), kept for the resampling."""
    s, pts, des = _features(grey, halvings)
    empty = np.zeros((0, 2), np.float32)
    if des is None or len(pts) < T.MIN_INLIERS or len(target.descriptors) == 0:
        return Matches(s, empty, empty, "no_features")
    idx, dist = _matcher(target).knnSearch(des, 2, params=dict(checks=LSH_CHECKS))
    # LSH may find fewer than two neighbours (index -1): no ratio test, no match
    good = (idx[:, 1] >= 0) & (dist[:, 0] < T.MATCH_RATIO * dist[:, 1].astype(np.float64))
    return Matches(s, pts[good].reshape(-1, 2), target.keypoints[idx[good, 0]].reshape(-1, 2))


def fit(target: Target, m: Matches, min_inliers: int = T.MIN_INLIERS, min_share: float = T.MIN_INLIER_SHARE
        ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The homography (ORB px of the page → ORB px of the blank) fitted to matches with RANSAC, refitted
    on its inliers by least squares when it has ``min_inliers`` (and ``min_share`` of the matches), and
    the inlier mask (bool); (None, None) when none is found. Fitted once per ``m`` and arguments (RANSAC's
    random samples are seeded: the same matches give the same pose)."""
    key = (min_inliers, min_share)
    if key not in m.fits:
        m.fits[key] = _fit(m, min_inliers, min_share)
    return m.fits[key]


def _fit(m: Matches, min_inliers: int, min_share: float) -> tuple[np.ndarray | None, np.ndarray | None]:
    if len(m.src) < min_inliers:
        return None, None
    H, mask = cv2.findHomography(m.src, m.dst, cv2.RANSAC, T.RANSAC_REPROJ_ORB_PX, maxIters=T.RANSAC_ITERATIONS,
                                 confidence=T.RANSAC_CONFIDENCE_PROB)
    if H is None or mask is None:
        return None, None
    keep = mask.ravel().astype(bool)
    inliers = int(keep.sum())
    if inliers < min_inliers or inliers < min_share * len(m.src):
        return H, keep
    # Refit on inliers only with least squares for a steadier pose.
    H2, _ = cv2.findHomography(m.src[keep], m.dst[keep], 0)
    return (H2 if H2 is not None else H), keep


def full_pose(target: Target, H: np.ndarray, m: Matches) -> np.ndarray:
    """A pose between ORB copies as one from page px to template px."""
    return np.diag([1 / target.scale, 1 / target.scale, 1.0]) @ H @ np.diag([m.scale, m.scale, 1.0])


def register(target: Target, grey: np.ndarray, m: Matches | None = None) -> Registration:
    """Fit the homography that maps the scanned page ``grey`` onto the template frame (a feeder's pose:
    the page fills the image, nearly square to it)."""
    m = match(target, grey) if m is None else m
    if m.why:
        return Registration(False, m.why)
    if len(m.src) < T.MIN_INLIERS:
        return Registration(False, "no_match", matches=len(m.src))
    H, keep = fit(target, m)
    inliers = int(keep.sum()) if keep is not None else 0
    if H is None or inliers < T.MIN_INLIERS or inliers < T.MIN_INLIER_SHARE * len(m.src):
        return Registration(False, "no_match", inliers=inliers, matches=len(m.src))
    full = full_pose(target, H, m)
    expected = max(target.width, target.height) / max(grey.shape)
    ok, rot, scale = _sane(full, expected)
    if not ok:
        return Registration(False, "bad_pose", inliers=inliers, matches=len(m.src), rotation_deg=rot, scale=scale)
    return Registration(True, "", full, inliers, len(m.src), rot, scale)


Lap = Callable[[str], None]


def no_lap(stage: str) -> None:
    """A ``Lap`` that times nothing."""


def registered(target: Target, grey: np.ndarray, lap: Lap = no_lap) -> tuple[Registration, np.ndarray | None]:
    """Register ``grey`` and resample it into the template frame: (registration, page or None).

    A scanner's page (a feeder's pose, the page filling the image) is warped by its homography;
    anything else is looked at as a camera sees a sheet (``sheet.camera_registered``). ``lap(stage)``
    is called as the "pose" and the "resample" end (a camera's sheet: both are "pose")."""
    halvings = Halvings(grey)
    m = match(target, grey, halvings)
    reg = register(target, grey, m)
    if reg.ok and fills_image(target, reg.homography, grey.shape):
        lap("pose")
        page = warp_to_template(grey, reg, target, halvings)
        lap("resample")
        return reg, page
    from .sheet import camera_registered
    out = camera_registered(target, grey, m, reg)
    lap("pose")
    return out


def fills_image(target: Target, H: np.ndarray, shape: tuple[int, int]) -> bool:
    """Whether the page under pose ``H`` (image px -> template px) covers at least FEEDER_FILL_SHARE of
    the image, as a scanned page does (a photo shows the table around the sheet)."""
    c = np.float64([[0, 0], [target.width, 0], [target.width, target.height], [0, target.height]])
    q = cv2.perspectiveTransform(c.reshape(-1, 1, 2), np.linalg.inv(H)).reshape(-1, 2)
    return abs(cv2.contourArea(q.astype(np.float32))) >= T.FEEDER_FILL_SHARE * shape[0] * shape[1]


def warp_to_template(grey: np.ndarray, reg: Registration, target: Target,
                     halvings: Halvings | None = None) -> np.ndarray:
    """Resample the scanned page into the template frame (uint8 grey, paper-white outside the page).

    The pose is refined on textured patches (``refine``) and ``reg.homography`` updated (the ORB pose
    is kept when that fails). The page is low-passed once, only the anchors' search areas are warped
    for the refinement, and the whole page is warped once, with the refined pose. ``halvings``: those
    of ``grey`` made already (``Halvings``).
    """
    src, pre = _prepared(grey, reg, halvings)
    step = T.BORDER_SAMPLE_STEP
    border = int(np.median(src[::step, ::step])) if src.size else 255

    def area(x: int, y: int, w: int, h: int) -> np.ndarray:
        H = np.array([[1, 0, -x], [0, 1, -y], [0, 0, 1]], float) @ reg.homography @ pre
        return cv2.warpPerspective(src, H, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                                   borderValue=border)

    C = refine(target, area)
    if C is not None:
        reg.homography = C @ reg.homography
    return cv2.warpPerspective(src, reg.homography @ pre, (target.width, target.height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def _prepared(grey: np.ndarray, reg: Registration, halvings: Halvings | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The page to resample from and the matrix from its pixels to the scan's."""
    small, left = _halved(grey, reg.scale, halvings)
    pre = reg.scale / left   # 1, 1/2, 1/4 …: each pyrDown pixel x sits on pixel 2x of the larger image
    d = 1 / left             # the reduction left to the warp (< 2): low-passed first so thin strokes do not alias
    if d > T.MIN_ANTI_ALIAS_REDUCTION_RATIO:
        small = cv2.GaussianBlur(small, (0, 0), math.sqrt(d * d - 1) / 2)
    return small, np.diag([1 / pre, 1 / pre, 1.0])
