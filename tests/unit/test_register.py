"""Registration: a synthetic page moved by a known homography is brought back into the template frame."""
import math

import cv2
import numpy as np
import pytest

from kiemphieu.detect import thresholds as T
from kiemphieu.detect.register import Halvings, Matches, fit, make_target, match, register, registered

W, H = 707, 1000
# After the refinement on textured patches, every point of the page lands within this of where it belongs:
# the patches are matched to whole pixels, so a sub-pixel ORB pose can end up to ~1.3 px off at a corner.
TOLERANCE_PX = 1.5


def ballot(seed: int) -> np.ndarray:
    """A textured page (uint8 grey): rows of random 'words', table rules and a few boxes."""
    rng = np.random.default_rng(seed)
    page = np.full((H, W), 250, np.uint8)
    letters = "ABCDEFGHKLMNOPRSTUVXY0123456789"
    for y in range(60, H - 40, 34):
        x = int(rng.integers(30, 90))
        while x < W - 120:
            word = "".join(rng.choice(list(letters), int(rng.integers(2, 8))))
            cv2.putText(page, word, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 30, 2, cv2.LINE_AA)
            x += 20 * len(word) + int(rng.integers(15, 40))
    for _ in range(8):
        y = int(rng.integers(40, H - 40))
        cv2.line(page, (20, y), (W - 20, y), 60, 1)
    for _ in range(6):
        x, y = int(rng.integers(40, W - 80)), int(rng.integers(40, H - 80))
        cv2.rectangle(page, (x, y), (x + 30, y + 30), 40, 2)
    return page


def moved(page: np.ndarray, deg: float, scale: float, shift: tuple[float, float], size: tuple[int, int]):
    """The page rotated by ``deg`` about its centre, scaled and shifted: (scan, template→scan matrix)."""
    a = cv2.getRotationMatrix2D((W / 2, H / 2), deg, scale)
    a[:, 2] += shift
    A = np.vstack([a, [0, 0, 1]])
    return cv2.warpPerspective(page, A, size, borderValue=250), A


def error_px(H_scan_to_template: np.ndarray, A: np.ndarray) -> float:
    """Largest distance (template px) between a grid of template points and their round trip."""
    xs, ys = np.meshgrid(np.linspace(40, W - 40, 8), np.linspace(40, H - 40, 11))
    p = np.stack([xs.ravel(), ys.ravel(), np.ones(xs.size)])
    q = H_scan_to_template @ A @ p
    q = q[:2] / q[2]
    return float(np.max(np.hypot(q[0] - p[0], q[1] - p[1])))


@pytest.fixture(scope="module")
def target():
    return make_target(ballot(1))


def test_skewed_scaled_shifted_page_is_registered_back(target):
    scan, A = moved(ballot(1), deg=3.0, scale=1.25, shift=(40, -30), size=(950, 1300))
    reg, page = registered(target, scan)
    assert reg.ok and reg.why == ""
    assert reg.rotation_deg == pytest.approx(3.0, abs=0.1)     # the scan turned 3° back
    assert reg.scale == pytest.approx(1 / 1.25, abs=0.005)
    assert error_px(reg.homography, A) <= TOLERANCE_PX
    assert page.shape == (H, W)


def test_orb_pose_alone_is_within_two_px(target):
    scan, A = moved(ballot(1), deg=-1.5, scale=0.8, shift=(10, 25), size=(600, 830))
    reg = register(target, scan)
    assert reg.ok
    assert error_px(reg.homography, A) <= 2.0


def test_upside_down_page_is_registered_and_seen_upside_down(target):
    scan, A = moved(ballot(1), deg=180.0, scale=1.0, shift=(0, 0), size=(W, H))
    reg, page = registered(target, scan)
    assert reg.ok and reg.upside_down
    assert abs(abs(reg.rotation_deg) - 180.0) <= 0.1
    assert error_px(reg.homography, A) <= TOLERANCE_PX


def test_another_page_is_refused(target):
    reg, page = registered(target, ballot(2))
    assert not reg.ok and reg.why == "no_match" and page is None
    assert reg.inliers < 60


def test_blank_paper_is_refused(target):
    reg, page = registered(target, np.full((H, W), 250, np.uint8))
    assert (reg.ok, reg.why, page) == (False, "no_features", None)


def test_too_large_a_change_of_scale_is_refused(target):
    # The page fills half the scan's width: more than 35 % smaller than a page filling the scan.
    scan, _ = moved(ballot(1), deg=0.0, scale=0.5, shift=(0, 0), size=(W, H))
    reg = register(target, scan)
    assert not reg.ok and reg.why == "bad_pose" and math.isclose(reg.scale, 2.0, rel_tol=0.01)


def test_a_scanners_page_laps_pose_then_resample_and_reads_the_same(target):
    scan, _ = moved(ballot(1), deg=1.0, scale=1.0, shift=(5, -4), size=(W, H))
    laps = []
    reg, page = registered(target, scan, laps.append)
    plain, plain_page = registered(target, scan)
    assert laps == ["pose", "resample"]
    assert np.array_equal(reg.homography, plain.homography) and np.array_equal(page, plain_page)


def test_a_page_of_no_scanners_pose_laps_only_the_pose(target):
    laps = []
    reg, page = registered(target, ballot(2), laps.append)
    assert page is None and laps == ["pose"]


def test_matches_are_fitted_once_per_arguments(target):
    scan, _ = moved(ballot(1), 3.0, 1.2, (40, -20), (900, 1250))
    m = match(target, scan)
    H, keep = fit(target, m)
    assert H is not None and fit(target, m) is m.fits[(T.MIN_INLIERS, T.MIN_INLIER_SHARE)]
    again = fit(target, Matches(m.scale, m.src, m.dst))      # RANSAC is seeded: the same matches, the same pose
    assert np.array_equal(again[0], H) and np.array_equal(again[1], keep)
    fit(target, m, min_inliers=30)
    assert len(m.fits) == 2


def test_the_blank_matched_to_itself_gives_its_own_points(target):
    m = match(target, target.grey)
    assert len(m.src) > 0.5 * len(target.keypoints) and m.scale == target.scale
    assert np.median(np.hypot(*(m.src - m.dst).T)) == 0.0       # each keypoint found as itself


def test_a_pages_halvings_are_made_once_for_the_orb_copy_and_the_resampling():
    grey = (np.arange(64 * 48) % 251).astype(np.uint8).reshape(64, 48)
    h = Halvings(grey)
    quarter, left = h.halved(0.2)
    assert left == 0.8 and quarter.shape == (16, 12)
    assert np.array_equal(quarter, cv2.pyrDown(cv2.pyrDown(grey)))
    half, left = h.halved(0.5)
    assert left == 1.0 and half is h.levels[1] and len(h.levels) == 3      # made once, kept
    assert h.halved(0.75) == (grey, 0.75)
