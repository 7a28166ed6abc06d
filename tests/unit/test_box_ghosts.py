"""Print a few px off the blank around a box ballot's boxes: the ghosts of borders and rules are not the voter's.

The box is 30 × 30 px at (40, 40) (as in test_box_marks.py); its printed border is 4 px (0.15 of its side),
the ring where a mark may spill reaches 15 px around it, and pen is counted over min(484, th² = 400) px.
"""
import numpy as np

from kiemphieu.detect.box_marks import box_evidence, box_state, ring_ghost, row_evidence
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
