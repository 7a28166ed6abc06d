"""A stroke lighter than a faint trace, seen against the page's own noise in its boxes (``box_marks.thin_ink``,
``box_noise``, ``trace_level`` and ``box_evidence``'s ``light``).

A box read empty takes a vote away: ink in it above the page's noise too weak to be a mark is unclear.
The box is 30 × 30 px at (40, 40), its inside the 22 × 22 px from (44, 44) (as in test_box_marks.py); a
thin stroke there is under 0.25 × 22 = 5 px wide.
"""
from pathlib import Path

import numpy as np
import pytest

from kiemphieu.detect import thresholds as T
from kiemphieu.detect.box_marks import box_evidence, box_noise, box_state, thin_ink, trace_level
from kiemphieu.records import EMPTY, UNCLEAR, Box

from synthetic import TH, pen_of

BOX = Box(40, 40, 70, 70)
H, W = 120, 200
DATA = Path(__file__).parent.parent / "data" / "boxes"


def test_thin_ink_keeps_strokes_and_drops_what_is_spread_wide():
    ink = np.zeros((12, 12), np.float32)
    ink[2:10, 2:10] = 0.012                       # a JPEG block, 8 px wide
    ink[5, :] += 0.03                             # a 1 px stroke across it
    thin = thin_ink(ink)                          # opened by 3 × 3 (0.25 of 12 is 3)
    assert np.allclose(thin[5], 0.03) and np.allclose(np.delete(thin, 5, axis=0), 0.0)


def test_trace_level():
    assert trace_level(None) == T.BOX_TRACE_INK            # noise unknown: the trace as on any page
    assert trace_level(0.006) == 0.012                      # twice the noise
    assert trace_level(0.001) == 0.01                       # no lighter than BOX_TRACE_MIN_INK
    assert trace_level(0.02) == T.BOX_TRACE_INK             # a noisy page: never above BOX_TRACE_INK


def test_box_noise_over_the_boxes_without_pen():
    boxes = (Box(10, 10, 40, 40), Box(50, 10, 80, 40), Box(90, 10, 120, 40), Box(130, 10, 160, 40))
    add = np.zeros((60, 170), np.float32)
    add[15:35, 55:75] = 0.004                     # a light shade over one inside: not thin, no noise
    add[24, 94:116] = 0.008                       # a scanner's hair line across another: 22 of 484 px
    mask = np.zeros(add.shape, np.uint8)
    mask[20:30, 135:137] = 1                      # pen in the last box: left out
    add[mask > 0] = 0.5
    pen = pen_of(mask, add)
    # The insides are 22 × 22 (from 4 px in); the line's p99 is its own ink, 0.008, the others' 0:
    # median of (0, 0, 0.008)
    assert box_noise(pen, boxes, TH) == 0.0
    add[24, 14:36] = 0.008
    assert box_noise(pen_of(mask, add), boxes, TH) == pytest.approx(0.008)   # median of (0.008, 0, 0.008)
    assert box_noise(pen_of(mask, add), boxes[2:], TH) is None     # one box without pen: unknown


# Stress seed 1796225897 count 3 page 6: a streak of the scanner's glass ran down the column of boxes; its ink in every
# box made the page's box noise 0.094 (a noisy page: faint traces must be 0.3 of the inside long), and a faint tick
# 0.29 long in a free box (3.7 % of the print's darkness, a mark a person sees) was read empty: a vote taken away.
def test_box_noise_leaves_out_the_strips_of_streaks_found():
    boxes = (Box(10, 10, 40, 40), Box(50, 10, 80, 40), Box(90, 10, 120, 40))
    add = np.zeros((60, 130), np.float32)
    add[:, 24:26] = 0.09                          # a streak down the column of every box's middle
    add[:, 64:66] = 0.09
    add[:, 104:106] = 0.09
    mask = np.zeros(add.shape, np.uint8)
    pen = pen_of(mask, add)
    assert box_noise(pen, boxes, TH) == pytest.approx(0.09)       # the streak taken for the paper's grain
    on = np.zeros(add.shape, np.uint8)
    for x in (24, 64, 104):
        on[:, x - 1:x + 3] = 1                    # the strips pen.py found
    pen.on_lines = on
    assert box_noise(pen, boxes, TH) == 0.0       # the paper around them is clean


def light_stroke(ink: float) -> np.ndarray:
    add = np.zeros((H, W), np.float32)
    for i in range(12):                           # a diagonal dash, 2 px wide, 12 px long
        add[50 + i, 48 + i:50 + i] = ink
    return add


def test_a_stroke_lighter_than_a_trace_is_faint_on_a_quiet_page():
    add = light_stroke(0.02)                      # under BOX_TRACE_INK
    none = np.zeros((H, W), np.uint8)
    ev = box_evidence(BOX, none, add, TH)
    assert (ev["trace"], ev["light"]) == (0.0, 0.0)
    assert box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"], ev["around"], ev["light"]) == (EMPTY, "")
    ev = box_evidence(BOX, none, add, TH, trace_ink=trace_level(0.006))      # seen from 0.012: 13 of 22 px
    assert (ev["fill"], ev["trace"], ev["light"]) == (0.0, 0.0, 0.591)
    assert box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"], ev["around"], ev["light"]) == (UNCLEAR, "faint")
    assert box_evidence(BOX, none, light_stroke(0.01), TH, trace_ink=0.012)["light"] == 0.0   # under it
    shade = np.full((H, W), 0.02, np.float32)     # a shade over the whole box, as dark: no stroke
    assert box_evidence(BOX, none, shade, TH, trace_ink=0.012)["light"] == 0.0


def test_box_state_light():
    assert box_state(0.0, 0.0, 0.0, 0.0, 0.0, T.BOX_LIGHT_MIN_SHARE) == (UNCLEAR, "faint")
    assert box_state(0.0, 0.0, 0.0, 0.0, 0.0, T.BOX_LIGHT_MIN_SHARE - 0.01) == (EMPTY, "")


def real(name: str) -> dict:
    f = np.load(DATA / f"{name}.npz")
    box, others = Box(*map(int, f["box"])), tuple(Box(*map(int, o)) for o in f["others"])
    level = trace_level(float(f["noise"]))
    return box_evidence(box, f["mask"], f["add"], int(f["th"]), others, f["hidden"], f["on_lines"], level)


def test_real_faint_marks_read_empty():
    # Stress seed 1796205754: faint marks read empty, a vote taken away without review (count 12 page 13: black
    # pen, light, 175 dpi; count 15 page 4: black, 150 dpi; count 17 page 19: blue, 240 dpi). Cropped around the
    # box (added ink, pen mask, where print hides, creases' strips), with the page's noise measured by box_noise
    # on the whole page (0.0062, 0.0087, 0.0059).
    for name, light in (("faint_175dpi", 0.5), ("faint_150dpi", 0.36), ("faint_240dpi", 0.529)):
        ev = real(name)
        assert (ev["fill"], ev["light"]) == (0.0, light), name
        assert box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"], ev["around"], ev["light"])[0] == UNCLEAR
    # An empty box of the 240 dpi page, its paper in JPEG blocks of 0.008-0.016: no stroke.
    assert real("empty_240dpi_jpeg_blocks")["light"] == 0.0
