"""Faint evidence in a box measured against the page's own print and noise: thin lines along the border
(``axis_lines``: a JPEG's ringing, the ghost of the border's edge) and a noisy page's faint level
(``box_state``'s ``noise``: pieces as short as noise makes) make no faint trace; a voter's faint tick still does.

The box is 30 × 30 px at (40, 40); its inside the 22 × 22 px from (44, 44) (``test_box_marks``).
"""
import numpy as np

from kiemphieu.detect.box_marks import axis_lines, box_evidence, box_state
from kiemphieu.records import EMPTY, UNCLEAR, Box

from synthetic import TH

BOX = Box(40, 40, 70, 70)
H, W = 120, 200


def state(ev):
    return box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"], ev["around"], ev["light"])


def test_axis_lines_along_the_edge_only():
    on = np.zeros((18, 18), bool)
    on[2:8, 17] = True                        # 1 px across, 6 long, on the right edge: a ghost
    on[0:2, 16] = True                        # ... with a jog of a pixel (2 px across, 8 long: still one)
    on[14, 3:9] = True                        # along the bottom, 4 px off it (near = ceil(0.25 * 18) = 5)
    on[6:12, 8] = True                        # the same line across the middle: a voter's
    out = axis_lines(on)
    assert out[2:8, 17].all() and out[0:2, 16].all() and out[14, 3:9].all()
    assert not out[6:12, 8].any()
    assert out.sum() == 6 + 2 + 6


def test_axis_lines_ghosts_joined_at_a_corner():
    # Phone seed 1796269677 count 4 page 21: the ghosts of the left and bottom borders joined in an L (no thin
    # piece): rows and columns near the edge covered along half their length or more are ghosts.
    on = np.zeros((17, 17), bool)
    on[14:16, :] = True                       # 2 rows along the bottom, the whole width
    on[3:14, 0:2] = True                      # ... joined to 2 columns up the left side (11 of 17: 0.65)
    on[8:10, 10:15] = True                    # a dab inside, away from both
    out = axis_lines(on)
    assert out[14:16, :].all() and out[3:14, 0:2].all()
    assert not out[8:10, 10:15].any()
    on[3:14, 0:2] = False
    on[10:14, 0:2] = True                     # the left one short (4 of 17) and 2 px across: a dab, kept
    assert not axis_lines(on)[10:14, 0:2].any()


def test_axis_lines_keep_short_slanted_and_wide_pieces():
    on = np.zeros((18, 18), bool)
    on[1, 1:3] = True                         # 2 px long: under BOX_AXIS_LINE_MIN_PX
    for i in range(4):                        # a short slanted tick by the left edge: 4 × 2 px
        on[8 + i // 2, 1 + i] = True
    on[13:15, 12:16] = True                   # 2 px across, 4 long (< 2.5 × 2): a dab, not a line
    assert not axis_lines(on).any()


def test_ghost_line_along_the_border_is_no_trace():
    add = np.zeros((H, W), np.float32)
    add[46:56, 65] = 0.04                     # ringing along the inside's right edge (col 65 of 44..65)
    ev = box_evidence(BOX, np.zeros((H, W), np.uint8), add, TH)
    assert (ev["trace"], ev["light"]) == (0.0, 0.0)
    assert state(ev) == (EMPTY, "")
    add[46:56, 65] = 0.0
    add[50:60, 55] = 0.04                     # the same stroke across the middle of the box: faint
    ev = box_evidence(BOX, np.zeros((H, W), np.uint8), add, TH)
    assert ev["trace"] == 0.364               # 8 px of the inside's 22 (averaged along 5 px, the ends fall under)
    assert state(ev) == (UNCLEAR, "faint")


def test_dark_stroke_along_the_border_stays_unclear():
    add = np.zeros((H, W), np.float32)
    add[46:56, 65] = 0.3                      # a pen stroke along the inside's right edge, 10 px: fill 0.025 ...
    ev = box_evidence(BOX, np.zeros((H, W), np.uint8), add, TH)
    assert ev["fill"] == 0.025 and state(ev) == (UNCLEAR, "faint")     # ... under a mark's: review, never empty
    add[46:56, 65] = 0.04                     # as light as a ghost: gone
    assert box_evidence(BOX, np.zeros((H, W), np.uint8), add, TH)["trace"] == 0.0


def test_noisy_page_needs_a_longer_trace():
    # Scanner seed 1796269041 count 9, phone seed 1796269677 count 12: on pages of box noise 0.015-0.025, empty
    # boxes held pieces of faint trace 0.17-0.235 long; the faint marks were 0.47-0.53 long (fresh seed
    # 1796220048 count 8 page 11: 0.5 at noise 0.026, read empty when the trace's ink was raised instead).
    assert box_state(0.0, 0.0, 0.0, trace=0.235, noise=0.005) == (UNCLEAR, "faint")   # a quiet page: a trace
    assert box_state(0.0, 0.0, 0.0, trace=0.235, noise=0.0125) == (EMPTY, "")         # 2 × 0.0125 = BOX_TRACE_INK
    assert box_state(0.0, 0.0, 0.0, trace=0.235, noise=0.012) == (UNCLEAR, "faint")
    assert box_state(0.0, 0.0, 0.0, trace=0.3, noise=0.026) == (UNCLEAR, "faint")
    assert box_state(0.0, 0.0, 0.0, trace=0.235, light=0.3, noise=0.026) == (UNCLEAR, "faint")


def test_trace_is_measured_whatever_the_noise():
    add = np.zeros((H, W), np.float32)
    for i in range(9):                                   # a slanted piece of 0.035
        add[50 + i, 50 + i] = 0.035
    ev = box_evidence(BOX, np.zeros((H, W), np.uint8), add, TH)
    assert ev["trace"] == 0.318                          # 7 px of 22: the page's noise decides, not the measure
