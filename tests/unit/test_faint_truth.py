"""The generator's truth for a faint mark follows what a person could see of it in the capture, for every
capture (samples/ballotgen/visibility.py; page.py ``_faint_seen``).

Stress seed 1796226570, count 2 page 2: a light purple stroke through "Lương Thị Kim Hiền", scanned at 150
dpi in colour and coded as a JPEG of quality 68 on yellow paper, darkened its name by 4 grey levels (2.9 % of
the print's darkness, 1.4 times the paper's grain): no trace of it at 4x zoom, yet the truth said "unclear,
review", and the reader, seeing a clean ballot, counted it — a silent error no reader could avoid. Ten more
such pages (scanner, phone, dithered 1-bit) on the round's kept stress sets.
"""
import numpy as np

from ballotgen import visibility as vis
from ballotgen.page import _faint_seen

PPM = 2.0          # px per mm: the eye's blur (0.1 mm = 0.2 px) is under a pixel and left out


def _page(darken: float, grain: float = 2.0):
    """A 60 x 80 grey capture (paper 240, a printed bar of grey 40) and its twin; the mark darkens a
    horizontal stroke (row 30, columns 20-59) by ``darken`` grey levels; the paper's grain ``grain``."""
    rng = np.random.default_rng(1)
    twin = 240 + rng.normal(0, grain, (60, 80))
    printed = np.zeros((60, 80), np.float32)
    printed[5:15, 5:75] = 1.0
    twin[printed > 0] = 40
    ink = np.zeros((60, 80), np.float32)
    ink[30, 20:60] = 0.5
    seen = twin - darken * (ink > 0)
    return seen[..., None].astype(np.float32), twin[..., None].astype(np.float32), ink, printed


def _measure(darken: float, grain: float = 2.0) -> dict:
    seen, twin, ink, printed = _page(darken, grain)
    fc = vis.faint_contrast(seen, twin, ink, printed, [20, 30, 60, 31], PPM)
    dark = vis.print_darkness(twin, printed, np.ones(printed.shape, bool))
    return {**fc, **vis.visibility(fc["contrast"], fc["noise"], [float(d) for d in dark])}


def test_the_marks_contrast_and_the_papers_grain_are_measured_in_grey_levels():
    v = _measure(20.0)
    assert abs(v["contrast"][0] - 20.0) < 1e-3            # twin - seen over the mark's core
    assert 1.5 < v["noise"][0] < 2.5                      # the paper's grain: normal noise of 2 levels
    assert abs(v["share"] - 0.1) < 0.002                  # 20 of the print's 200 levels


def test_a_mark_well_above_the_rule_is_visible():
    assert _measure(20.0)["visible"]


def test_a_mark_paler_than_the_rule_beside_the_print_is_not():
    v = _measure(5.0, grain=0.5)                          # 10 times the grain, but 2.5 % of the print
    assert v["snr"] > vis.VISIBLE_NOISE_RATIO and v["share"] < vis.VISIBLE_PRINT_SHARE
    assert not v["visible"]


def test_a_mark_lost_in_the_grain_is_not():
    v = _measure(10.0, grain=10.0)                        # 5 % of the print, as strong as the grain
    assert v["share"] > vis.VISIBLE_PRINT_SHARE and v["snr"] < vis.VISIBLE_NOISE_RATIO
    assert not v["visible"]


def test_a_one_bit_page_is_taken_in_as_grey():
    bits = np.ones((40, 40), bool)
    bits[::4, ::4] = False                                # a dither's dots on white paper
    e = vis.eye(bits, 12.0)                               # 1.2 px: the dots merge into grey
    assert e.shape == (40, 40, 1)
    assert 200 < float(e[10:30, 10:30].mean()) < 255 and float(e[10:30, 10:30].std()) < 40


def _identity_warp(h: int, w: int) -> dict:
    my, mx = np.mgrid[0:h, 0:w].astype(np.float32)
    return {"maps": (mx, my), "scale": 1.0}


def _truth_after(darken_share: float) -> tuple[dict, dict]:
    """A faint stroke of ``darken_share`` of the paper's light over a 60 x 80 colour page with print, captured
    as a lossless scan (the page itself): the truth and the capture record after ``_faint_seen``."""
    rng = np.random.default_rng(2)
    twin = np.clip(240 + rng.normal(0, 1.0, (60, 80, 1)), 0, 255).repeat(3, 2).astype(np.uint8)
    form = np.full((60, 80, 3), 250, np.uint8)
    form[5:15, 5:75] = 30
    twin[5:15, 5:75] = 40
    page = twin.copy()
    page[30:32, 20:60] = (twin[30:32, 20:60] * (1 - darken_share)).astype(np.uint8)
    truth = {"expect": "review", "unclear": "A", "valid": True}
    capture = {"mode": "scanner", "dpi": 51, "format": "png"}        # 2 px per mm
    _faint_seen(page, twin, page, twin, form, _identity_warp(60, 80), capture, truth)
    return truth, capture


def test_a_faint_mark_the_capture_shows_keeps_the_page_in_review():
    truth, capture = _truth_after(0.1)                    # 24 levels: 12 % of the print's 200
    assert capture["faint_seen"]["A"]["visible"]
    assert truth["expect"] == "review" and truth["unclear"] == "A" and "faint_erased" not in capture


def test_a_faint_mark_the_capture_lost_is_not_in_the_truth():
    truth, capture = _truth_after(0.02)                   # 5 levels: 2.5 % of the print
    assert not capture["faint_seen"]["A"]["visible"]
    assert capture["faint_erased"] == ["A"] and "unclear" not in truth and truth["expect"] == "count"
