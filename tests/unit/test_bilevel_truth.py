"""The generator's truth for a faint mark on a thresholded 1-bit page follows what the capture kept
(samples/ballotgen/bilevel.py ``faint_left``, ``print_intact``; page.py ``_faint_erased``).

Stress seed 1796264519, count 2 page 16: a faint blue tick in a free box, thresholded at 187 grey with
the print whole, left no pixel; the truth still said "unclear, review", and the reader, seeing a clean
ballot, counted it: a silent error no reader could avoid.
"""
import numpy as np

from ballotgen import bilevel as bl


def _page():
    grey = np.full((20, 30), 240, np.uint8)      # paper
    grey[5:15, 3:6] = 30                         # a printed stem
    ink = np.zeros((20, 30), np.float32)
    return grey, ink


def test_a_faint_mark_the_threshold_erased_left_nothing():
    grey, ink = _page()
    ink[10, 10:25] = 0.15                        # a faint stroke: 240 * 0.85 = 204, over the threshold
    grey[10, 10:25] = 204
    assert bl.faint_left(grey, ink, 180, [0, 0, 30, 20]) == 0


def test_a_faint_mark_that_kept_its_pixels_left_them():
    grey, ink = _page()
    ink[10, 10:25] = 0.3                         # 240 * 0.7 = 168: under the threshold
    grey[10, 10:25] = 168
    assert bl.faint_left(grey, ink, 180, [0, 0, 30, 20]) == 15
    assert bl.faint_left(grey, ink, 180, [0, 0, 15, 20]) == 5     # only what lies in the box


def test_the_print_a_faint_mark_crosses_is_not_the_marks():
    grey, ink = _page()
    ink[10, 2:8] = 0.3                           # across the stem: its px by the stem are black anyway
    grey[10, 2:8] = np.minimum(grey[10, 2:8], 168)
    grey[10, 6] = 168                            # the stem's edge, a pixel fatter
    assert bl.faint_left(grey, ink, 180, [0, 0, 30, 20]) == 1     # x = 7 only: x = 2 and 6 touch the stem


def test_the_print_is_intact_under_a_threshold_on_the_papers_side_of_its_mid_grey():
    grey, _ = _page()
    printed = grey < 128
    assert bl.print_intact(grey, printed, 180)
    assert bl.print_intact(grey, printed, 135)    # mid-grey (30 + 240) / 2
    assert not bl.print_intact(grey, printed, 90)  # a light setting: the print thins


# Stress seed 1796219808 count 6 page 9: a blank sticky note in the bottom margin, thresholded at 155, came
# out as white as the paper; the truth said "obstruction, review" of a page that shows a clean ballot.
def test_a_note_the_threshold_left_nothing_of_is_not_in_the_capture():
    from ballotgen.page import note_unseen
    H = np.eye(3)
    bits = np.ones((200, 200), bool)
    printed = np.zeros((200, 200), bool)
    note = {"what": "sticky", "over": "margin", "box": [60, 60, 120, 120]}
    assert note_unseen(bits, note, H, printed)
    bits[125, 125] = False                          # a pixel of its shadow kept: a speck, no note
    assert note_unseen(bits, note, H, printed)
    bits[121:123, 60:120] = False                   # its shadow kept as a line along its bottom: 120 px, a note
    assert not note_unseen(bits, note, H, printed)  # (a quarter of its 240 px perimeter is 60)
    bits[:] = True
    printed[45, 40:150] = True                      # a rule of the table just above it, black: the print's
    bits[45, 40:150] = False
    assert note_unseen(bits, note, H, printed)
    printed[100, 100] = True                        # print under the note, hidden: it shows by its absence
    assert not note_unseen(bits, note, H, printed)
    printed[100, 100] = False
    assert not note_unseen(bits, {**note, "over": "names"}, H, printed)   # over the names: the print it hides
    far = np.diag([0.1, 0.1, 1.0]) @ np.array([[1, 0, 3000], [0, 1, 0], [0, 0, 1.0]])
    assert not note_unseen(bits, note, far, printed)                       # off the image: not judged


# Stress seed 1796225520 count 5 page 0: a blank sticky note in the margin of a page thresholded at 159 left 70 black
# specks where its shadow lay near the threshold, scattered along two sides of its 3,842 px perimeter: the truth said
# "obstruction, review" on the strength of them (one pixel was enough), the reader saw a clean ballot. A dust of
# specks is no note anyone can see.
def test_a_few_specks_of_a_notes_shadow_are_no_note():
    from ballotgen.page import note_unseen
    bits = np.ones((1100, 1000), bool)
    printed = np.zeros((1100, 1000), bool)
    note = {"what": "sticky", "over": "margin", "box": [50, 50, 980, 1040]}
    rng = np.random.default_rng(3)
    xs = rng.integers(60, 990, 50)
    bits[1045, xs] = False                          # specks along its bottom side ...
    bits[rng.integers(60, 1050, 20), 985] = False   # ... and its right side: 70 in all
    assert note_unseen(bits, note, np.eye(3), printed)
