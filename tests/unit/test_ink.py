"""Ink maps: darkness relative to the paper around it, and the ink a scan adds over the blank."""
import cv2
import numpy as np
import pytest

from kiemphieu.detect.ink import BlurLadder, added_ink, ink_map, print_blur, spread


def test_paper_is_no_ink_whatever_its_tone():
    for tone in (255, 200, 120):
        assert np.array_equal(ink_map(np.full((64, 96), tone, np.uint8)), np.zeros((64, 96), np.float32))


def test_ink_is_darkness_over_the_paper():
    page = np.full((64, 96), 250, np.uint8)
    page[10:14, 10:14] = 0
    page[30:34, 40:44] = 125
    ink = ink_map(page)
    assert ink.dtype == np.float32
    assert np.all(ink[10:14, 10:14] == 1.0)
    assert np.allclose(ink[30:34, 40:44], 0.5, atol=1e-6)
    ink[10:14, 10:14] = ink[30:34, 40:44] = 0
    assert ink.max() == 0.0


def test_uneven_lighting_cancels_out():
    # Paper from 150 (left) to 250 (right), a black stroke every 16 px: the strokes are ink, the paper not.
    page = np.tile(np.linspace(150, 250, 400).astype(np.uint8), (100, 1))
    page[:, ::16] = 0
    ink = ink_map(page)
    strokes, paper = ink[:, ::16], np.delete(ink, np.s_[::16], axis=1)
    assert strokes.min() == 1.0
    assert paper.max() < 0.06


def test_added_ink_is_what_the_scan_has_over_the_blank():
    scan = np.array([[0.5, 0.2], [0.0, 1.0]], np.float32)
    blank = np.array([[0.25, 0.4], [0.0, 0.0]], np.float32)
    assert np.array_equal(added_ink(scan, blank), np.array([[0.25, 0.0], [0.0, 1.0]], np.float32))


def test_spread_takes_the_darkest_ink_within_the_radius():
    ink = np.zeros((5, 5), np.float32)
    ink[2, 2] = 0.7
    assert np.array_equal(spread(ink, 0), ink)
    assert np.array_equal(spread(ink, 1) > 0, np.array([[0, 0, 0, 0, 0],
                                                         [0, 0, 1, 0, 0],
                                                         [0, 1, 1, 1, 0],
                                                         [0, 0, 1, 0, 0],
                                                         [0, 0, 0, 0, 0]], bool))
    assert np.array_equal(spread(ink, 2) > 0, np.array([[0, 0, 1, 0, 0],
                                                         [1, 1, 1, 1, 1],
                                                         [1, 1, 1, 1, 1],
                                                         [1, 1, 1, 1, 1],
                                                         [0, 0, 1, 0, 0]], bool))
    assert set(np.unique(spread(ink, 2))) == {np.float32(0.0), np.float32(0.7)}


def test_print_blur_is_the_gaussian_and_darkness_that_make_the_blank_look_like_the_page():
    blank = np.zeros((60, 80), np.float32)
    blank[20:40, 10:70:8] = 1.0                  # letters' stems, 1 px wide, 8 px apart
    blank[20:22, 10:70] = 1.0                    # and a bar
    where = np.zeros(blank.shape, bool)
    where[10:50, 5:75] = True
    page = np.minimum(cv2.GaussianBlur(blank, (0, 0), 1.5) * np.float32(1.25), 1.0)
    sigma, scale = print_blur(blank, page, where)
    assert sigma == 1.5
    assert scale == pytest.approx(1.25, abs=0.05)
    assert print_blur(blank, blank, where) == (0.0, 1.0)          # as sharp as the blank
    assert print_blur(blank, blank * np.float32(0.7), where) == (0.0, 1.0)   # lighter, not blurrier
    assert print_blur(blank, page, np.zeros(blank.shape, bool)) == (0.0, 1.0)   # nothing to compare over


def test_print_blur_with_the_blanks_side_prepared_once_reads_every_page_alike():
    blank = np.zeros((60, 80), np.float32)
    blank[20:40, 10:70:8] = 1.0
    where = np.zeros(blank.shape, bool)
    where[10:50, 5:75] = True
    ladder = BlurLadder(blank, where)
    for sigma, gain in ((1.5, 1.25), (0.75, 1.0), (0.0, 0.7)):
        page = np.minimum(cv2.GaussianBlur(blank, (0, 0), sigma) * np.float32(gain), 1.0) if sigma else blank * gain
        assert print_blur(blank, page, None, ladder) == print_blur(blank, page, where)
    assert print_blur(blank, blank, None, BlurLadder(blank, np.zeros(blank.shape, bool))) == (0.0, 1.0)
