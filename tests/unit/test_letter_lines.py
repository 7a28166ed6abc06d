"""The letters' bodies of a printed name: its x-line and baseline, found on the blank's print."""
import numpy as np

from kiemphieu.detect.layout import letter_cores, letter_lines
from kiemphieu.records import Box


def name_ink(caps=2, lower=6, h=30, cap_top=5, x_line=12, base=22):
    """Ink (h, w) of a printed name: ``caps`` capital stems from ``cap_top``, ``lower`` lower-case stems
    from ``x_line``, all standing on ``base`` (exclusive); one descender, serifs, an accent and a dot below."""
    ink = np.zeros((h, 8 * (caps + lower) + 8), np.float32)
    x = 2
    for k in range(caps + lower):
        top = cap_top if k < caps else x_line
        ink[top:base, x:x + 2] = 1.0                  # a 2 px stem
        ink[base - 1:base, x - 1:x + 3] = 1.0         # its serif (a 1 px run: not a stem)
        x += 8
    ink[x_line:base + 6, x:x + 2] = 1.0               # a descender: ends below the baseline
    ink[x_line - 4:x_line - 2, 20:24] = 1.0           # an accent above a lower-case letter
    ink[base + 1:base + 3, 40:42] = 1.0               # a dot below
    return ink


def test_x_line_and_baseline_of_a_name():
    assert letter_lines(name_ink()) == (12, 22)


def test_more_capitals_than_lower_case_still_finds_the_x_line():
    # 5 capital stems, 3 lower-case ones: the x-line is the lowest start shared by enough stems.
    assert letter_lines(name_ink(caps=5, lower=3)) == (12, 22)
    # One lower-case stem among 8 capitals is too few (under 0.3 of them): the cap line is taken.
    assert letter_lines(name_ink(caps=8, lower=1)) == (5, 22)


def test_faint_or_empty_crop_has_no_lines():
    assert letter_lines(np.zeros((30, 60), np.float32)) is None
    assert letter_lines(name_ink() * 0.15) is None        # lighter than LETTER_MIN_PRINT_INK: no letters


def test_light_print_is_cut_at_its_own_darkness():
    # A light face: every stem at ink 0.45 (under a fixed 0.5 cut: no letters at all).
    assert letter_lines(name_ink() * 0.45) == (12, 22)
    # Its stems' ends fade (0.3 for two rows at the top): at half the print's 0.6 they still belong to
    # the letters, so the x-line stays where the stems start.
    ink = name_ink() * 0.6
    ink[12:14][ink[12:14] > 0] = 0.35
    ink[5:7][ink[5:7] > 0] = 0.35
    assert letter_lines(ink) == (12, 22)


def test_the_ballot_x_height_is_the_median_of_its_names():
    frame = np.full((200, 120), 255, np.uint8)
    names = []
    for k, (caps, lower) in enumerate([(2, 6), (3, 5), (8, 1)]):   # the third name reads its cap line alone
        y = 10 + 60 * k
        ink = name_ink(caps=caps, lower=lower)
        frame[y:y + ink.shape[0], 10:10 + ink.shape[1]] = (255 * (1 - ink)).astype(np.uint8)
        names.append(Box(10, y + 3, 10 + ink.shape[1], y + 28))
    # x-height 10 (rows 12..22 of each crop), each name on its own baseline.
    assert letter_cores(frame, names) == [(22, 32), (82, 92), (142, 152)]
    assert letter_cores(np.full((50, 50), 255, np.uint8), [Box(5, 5, 40, 30)]) == [(5, 30)]
