"""Print a few px off the blank around a box ballot's boxes: the ghosts of borders and rules are not the voter's.
Inside a box, thin lines along the border (``axis_lines``: a JPEG's ringing, the ghost of the border's edge) and
a noisy page's faint level (``box_state``'s ``noise``: pieces as short as noise makes) make no faint trace; a
voter's faint tick still does.

The box is 30 × 30 px at (40, 40) (as in test_box_marks.py), its inside the 22 × 22 px from (44, 44); its printed
border is 4 px (0.15 of its side), the ring where a mark may spill reaches 15 px around it, and pen is counted over
min(484, th² = 400) px.
"""
import numpy as np

from kiemphieu.detect.box_marks import axis_lines, box_evidence, box_state, ring_ghost, row_evidence
from kiemphieu.records import EMPTY, UNCLEAR, Box

from synthetic import TH, pen_of, slot

BOX = Box(40, 40, 70, 70)
H, W = 120, 200


def state(ev):
    return box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"], ev["around"], ev["light"])


def test_ring_ghost_thin_lines_along_the_box_only():
    on = np.zeros((20, 20), bool)
    box = Box(5, 5, 15, 15)
    on[16, 3:18] = True                           # a line 1 px tall below the box, along all its width
    on[17, 6:14] = True                           # ... its lighter fringe, under it: 8 of the box's 10 px
    assert (ring_ghost(on, box) == on).all()
    on2 = np.zeros((20, 20), bool)
    on2[16, 3:10] = True                          # along 5 of the box's 10 px: a stroke, not a border
    assert not ring_ghost(on2, box).any()
    on3 = np.zeros((20, 20), bool)
    on3[5:15, 0:4] = True                         # an area beside it, 4 px wide, from the ring's edge
    assert not ring_ghost(on3, box).any()
    on4 = np.zeros((20, 20), bool)
    on4[5:15, 1:4] = True                         # 3 px wide within the ring: a band as thick as a border
    on4[5:15, 16:20] = True                       # right of it as thin, but up to the ring's edge: not seen whole
    assert (ring_ghost(on4, box) == on4 & (np.arange(20) < 10)[None, :]).all()


def test_the_ghost_of_a_border_below_an_empty_box_is_not_a_mark_beside_it():
    # Stress seed 1796207101 count 6 (a table at 150-300 dpi, 11 mm rows): the far side of each page lay a few
    # px off the blank; the ghost of each box's bottom border 5 px below it, 46 px long and 2 px tall: around
    # 0.10, every empty box "mark_outside_box".
    m = np.zeros((H, W), np.uint8)
    m[75:77, 36:74] = 1                           # 2 rows × 38 px: 76 px around it
    ev = box_evidence(BOX, m, m * np.float32(0.5), TH)
    assert (ev["fill"], ev["around"]) == (0.0, 0.0)
    assert state(ev) == (EMPTY, "")
    m[75:77, 36:54] = 0                           # a dash below it, along 16 of its 30 px: a mark beside it
    ev = box_evidence(BOX, m, m * np.float32(0.5), TH)
    assert (ev["around"], state(ev)) == (0.1, (UNCLEAR, "mark_outside_box"))


def test_a_filled_area_over_the_ring_stays_around():
    # Stress seed 1796205754 count 15 page 12: a smudged seal over the boxes' column, all pen left of them.
    m = np.zeros((H, W), np.uint8)
    m[30:80, 25:38] = 1                           # 13 px wide left of the box, from the ring's edge (25)
    m[40:70, 56:58] = 1                           # and a line of the seal's lettering in the box: fill 0.15
    ev = box_evidence(BOX, m, m * np.float32(0.5), TH)
    assert ev["around"] == 1.625                  # 50 × 13 px over 400
    assert state(ev) == (UNCLEAR, "mark_outside_box")


def test_two_rows_counts_a_blob_by_its_own_pixels():
    # Stress seed 1796207101 count 6: the ghost of the table's grid, one blob whose bounding box spans three rows'
    # boxes though its pixels are only the rules between them: every row "two_rows".
    up, down = Box(40, 20, 60, 40), Box(40, 70, 60, 90)
    s0, s1 = slot(0, y0=20, x0=0, width=20, boxes=(up,)), slot(1, y0=70, x0=0, width=20, boxes=(down,))
    m = np.zeros((H, W), np.uint8)
    m[55, 30:190] = m[15:100, 185] = 1            # a rule and the table's right edge, one blob over both boxes
    m[25:35, 45] = 1                              # and a stroke in the upper box that touches neither
    pen = pen_of(m, offsets={0: (0, 0), 1: (0, 0)})
    grid = [b for b in pen.blobs if b.box.w > 100]
    assert len(grid) == 1 and grid[0].box.intersects(up) and grid[0].box.intersects(down)
    assert row_evidence(pen, (s0, s1), s0, pen.blobs, TH)["rows"] == 1
    m[30:80, 50] = 1                              # a stroke from the upper box down into the lower one's core
    pen = pen_of(m, offsets={0: (0, 0), 1: (0, 0)})
    assert row_evidence(pen, (s0, s1), s0, pen.blobs, TH)["rows"] == 2


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
