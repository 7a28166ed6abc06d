"""Box reading: the pen in and around a printed box, and the decision for a mark ballot and a yes/no row.

The box is 30 × 30 px at (40, 40); its printed border is 4 px (0.15 of the side), so its inside is the
22 × 22 px from (44, 44); pen is counted over min(484, th² = 400) px. The ring where a mark may spill
reaches 15 px (half the side) around it. Inside, added ink is averaged along a 5 px line in the
stroke's direction: pen from 0.1 (on pixels at least 0.05 themselves), a faint trace from 0.025.
"""
import numpy as np

from kiemphieu.detect.box_marks import (
    border_ghost,
    box_evidence,
    box_state,
    classify_approve,
    classify_mark,
    line_ink,
    row_evidence,
    straddle,
)
from kiemphieu.records import EMPTY, MARKED, UNCLEAR, Box

from synthetic import TH, pen_of, slot

BOX = Box(40, 40, 70, 70)
H, W = 120, 200


def plus(m, cx=55, cy=55, arm=9):
    """A '+' of two 2 px bars, 2 × arm px long: 4 * arm * 2 - 4 pixels."""
    m[cy - 1:cy + 1, cx - arm:cx + arm] = 1
    m[cy - arm:cy + arm, cx - 1:cx + 1] = 1
    return m


def evidence(mask, add=None, box=BOX, others=(), hidden=None):
    mask = mask.astype(np.uint8)
    add = (mask * np.float32(0.5)).astype(np.float32) if add is None else add
    return box_evidence(box, mask, add, TH, others, hidden)


def state(ev):
    return box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"], ev["around"])


def test_empty_box():
    ev = evidence(np.zeros((H, W)))
    assert ev == {"fill": 0.0, "trace": 0.0, "around": 0.0, "spill": 0.0, "ink": 0.0, "box": []}
    assert state(ev) == (EMPTY, "")


def test_cross_in_the_box_is_marked():
    ev = evidence(plus(np.zeros((H, W), np.uint8)))
    # 68 px of pen over 400: fill 0.17; the '+' spans 46..63 of the inside starting at 44, its faint trace
    # too: 18 of the inside's 22 px.
    assert ev == {"fill": 0.17, "trace": 0.818, "around": 0.0, "spill": 0.0, "ink": 0.5, "box": [2, 2, 19, 19]}
    assert state(ev) == (MARKED, "")


def test_line_ink_keeps_a_steep_stroke_and_thins_noise():
    add = np.zeros((20, 20), np.float32)
    for i in range(3, 17):
        add[i, i] = 0.3                        # a 1 px diagonal stroke
    add[2, 15] = 0.3                           # one noisy pixel
    soft = line_ink(add)
    assert np.isclose(soft[10, 10], 0.3)       # along the diagonal: all five pixels are the stroke
    assert np.isclose(soft[2, 15], 0.06)       # the noise: 0.3 / 5
    assert np.isclose(line_ink(add, diagonal_only=True)[10, 10], 0.3)


def test_a_light_steep_tick_is_pen():
    add = np.zeros((H, W), np.float32)
    for i in range(14):
        add[48 + i, 48 + i] = 0.12             # a light 1 px diagonal the pen mask (along x) misses
    ev = evidence(np.zeros((H, W)), add=add)
    assert ev["fill"] == 0.025                 # 10 of its 14 px (two at each end average lighter), over 400
    assert state(ev) == (UNCLEAR, "faint")     # between empty and marked


def test_small_mark_is_faint():
    m = np.zeros((H, W), np.uint8)
    m[54:56, 50:60] = 1                        # 20 px: fill 0.05, under the 0.06 of a mark
    ev = evidence(m)
    assert ev["fill"] == 0.05
    assert state(ev) == (UNCLEAR, "faint")


def test_light_mark_is_faint():
    m = plus(np.zeros((H, W), np.uint8))
    ev = evidence(m, add=(m * np.float32(0.11)).astype(np.float32))
    assert (ev["fill"], ev["ink"]) == (0.17, 0.11)
    assert state(ev) == (UNCLEAR, "faint")


def test_faint_trace_without_pen_is_unclear():
    add = np.zeros((H, W), np.float32)
    add[54, 50:56] = 0.05                      # a light dash 6 px long: not pen (< 0.1), a trace ...
    ev = evidence(np.zeros((H, W)), add=add)
    assert (ev["fill"], ev["trace"]) == (0.0, 0.273)   # ... 6 px long of the inside's 22
    assert state(ev) == (UNCLEAR, "faint")
    add[54, 50:56] = 0.0
    add[54, 50] = 0.05                         # a speck: too short for a trace (1 px of 22 < 0.15)
    assert state(evidence(np.zeros((H, W)), add=add)) == (EMPTY, "")


def test_a_crease_across_the_box_is_no_trace_and_a_mark_on_it_stays():
    # A fold crossing the page through an empty yes/no cell (public yes-no-free, folded ballots): a faint line
    # the width of the inside, found across the page (Pen.on_lines), is the fold's, not a faint mark.
    add = np.zeros((H, W), np.float32)
    add[54:56, :] = 0.06                       # the crease: faint, the whole width of the page
    strip = np.zeros((H, W), np.uint8)
    strip[53:57, :] = 1                        # its strip, as remove_line_artifacts marks it
    assert state(evidence(np.zeros((H, W)), add=add)) == (UNCLEAR, "faint")   # without the strip: a trace ...
    ev = box_evidence(BOX, np.zeros((H, W), np.uint8), add, TH, (), None, strip)
    assert (ev["fill"], ev["trace"]) == (0.0, 0.0) and state(ev) == (EMPTY, "")   # ... with it: nothing
    m = plus(np.zeros((H, W), np.uint8))       # a cross over the crease keeps all its pen, on the strip too
    add = np.maximum(add, m * np.float32(0.5))
    ev = box_evidence(BOX, m, add, TH, (), None, strip)
    assert ev["fill"] == 0.17 and state(ev) == (MARKED, "")
    add[54:56, 44:66] = 0.15                   # a light bar along the crease (pen, not as dark as 0.25) ...
    ev = box_evidence(BOX, np.zeros((H, W), np.uint8), np.where(m > 0, 0, add).astype(np.float32), TH, (), None,
                      strip)
    assert ev["fill"] == 0.0                   # ... is taken for the fold, as the pen mask takes it


def test_the_ghost_of_the_border_along_an_edge_of_the_inside_is_not_a_trace():
    # Stress seed 1796186804 (count 1, page 8): the box's print a few px off the blank's, its top border
    # reaching into the inside as a faint line from side to side (0.05, then 0.02-0.03): read as a faint mark.
    add = np.zeros((H, W), np.float32)
    add[44, 44:66] = 0.05                      # the inside's top row, edge to edge
    add[45, 44:66] = 0.02                      # and the next, faint trace over part of it
    add[45, 50:66] = 0.03
    ev = evidence(np.zeros((H, W)), add=add)
    assert (ev["fill"], ev["trace"]) == (0.0, 0.0) and state(ev) == (EMPTY, "")
    add[44:46] = 0.0
    add[52, 44:66] = 0.05                      # the same line 8 px in from the edge: not the border's, a trace
    assert evidence(np.zeros((H, W)), add=add)["trace"] == 1.0
    m = np.zeros((H, W), np.uint8)
    m[44:46, 44:66] = 1                        # a dark stroke along the edge (0.5, as dark as a mark) is pen
    assert evidence(m)["fill"] == 0.11
    # Public mark-box ballot 10: a filled box, its edge rows dark with a lighter fringe (0.05 here); the fringe
    # taken for the ghost raised its spill over the box to 0.617 (mark_outside_box). Dark rows are no ghost.
    m = np.zeros((H, W), np.uint8)
    m[44:66, 44:66] = 1
    add = (m * np.float32(0.5)).astype(np.float32)
    add[44, 44:50] = 0.05
    assert evidence(m, add=add)["fill"] == 1.21          # all 484 px of the inside, over 400


def test_border_ghost_rows_and_columns_near_the_edges_only():
    on = np.zeros((10, 12), bool)
    on[0, :] = True                            # the top row, all of it
    on[9, 1:11] = True                         # the bottom row, 10 of 12 (0.83)
    on[:, 11] = True                           # the right column
    on[5, :] = True                            # a row in the middle: never the border's
    on[1, :8] = True                           # 8 of 12 (0.67): under 0.8
    g = border_ghost(on, 2)
    assert g[0].all() and g[9, 1:11].all() and g[:, 11].all()
    assert not g[5, :11].any() and not g[1, :8].any()
    ink = np.where(on, 0.05, 0.0).astype(np.float32)
    ink[0, :] = 0.5                            # the top row as dark as a mark: not the border's ghost
    g = border_ghost(on, 2, ink)
    assert not g[0, :11].any() and g[9, 1:11].all() and g[:, 11].all()


def test_box_state_bounds():
    assert box_state(0.019, 0.0, 0.5, 0.0) == (EMPTY, "")
    assert box_state(0.019, 0.0, 0.5, 0.149) == (EMPTY, "")
    assert box_state(0.019, 0.0, 0.5, 0.15) == (UNCLEAR, "faint")           # a faint trace
    assert box_state(0.02, 0.0, 0.5, 0.0) == (UNCLEAR, "faint")            # between empty and marked
    assert box_state(0.059, 0.0, 0.5, 0.3) == (UNCLEAR, "faint")
    assert box_state(0.06, 0.0, 0.5, 0.3) == (MARKED, "")
    assert box_state(0.06, 0.599, 0.5, 0.3) == (MARKED, "")
    assert box_state(0.06, 0.6, 0.5, 0.3) == (UNCLEAR, "mark_outside_box")
    assert box_state(0.06, 0.0, 0.119, 0.3) == (UNCLEAR, "faint")
    # An empty box needs nothing just around it either: a mark beside it is unclear, never empty.
    assert box_state(0.0, 5.0, 0.0, 0.0, around=0.059) == (EMPTY, "")
    assert box_state(0.0, 5.0, 0.0, 0.0, around=0.06) == (UNCLEAR, "mark_outside_box")


def test_mark_half_outside_the_box_is_unclear():
    m = np.zeros((H, W), np.uint8)
    m[54:56, 26:64] = 1        # 40 px inside (44..63), 28 px in the ring (26..39), 8 on the border
    ev = evidence(m)
    assert (ev["fill"], ev["spill"], ev["around"]) == (0.1, 0.7, 0.07)
    assert state(ev) == (UNCLEAR, "mark_outside_box")
    m[54:56, 26:30] = 0        # 20 px in the ring: spill 0.5, still a mark
    ev = evidence(m)
    assert ev["spill"] == 0.5
    assert state(ev) == (MARKED, "")


def test_a_cross_beside_an_empty_box_is_not_empty():
    m = np.zeros((H, W), np.uint8)
    plus(m, cx=80, cy=55, arm=5)               # a small cross just right of the box, none inside
    ev = evidence(m)
    assert (ev["fill"], ev["around"]) == (0.0, 0.09)   # 36 px around it
    assert state(ev) == (UNCLEAR, "mark_outside_box")


def test_steep_strokes_around_count_clear_of_print_only():
    add = np.zeros((H, W), np.float32)
    for i in range(12):
        add[28 + i, 28 + i] = 0.5              # a diagonal stroke in the ring, top left of the box
    hidden = np.zeros((H, W), bool)
    assert evidence(np.zeros((H, W)), add=add, hidden=hidden)["around"] == 0.03     # its 12 px over 400
    hidden[25:40, 25:40] = True                # ... where print lies: the ghost of print, not pen
    assert evidence(np.zeros((H, W)), add=add, hidden=hidden)["around"] == 0.0


def test_ink_in_a_neighbouring_box_is_not_spill():
    other = Box(72, 40, 102, 70)
    m = plus(np.zeros((H, W), np.uint8))
    m[50:60, 80:90] = 1
    assert evidence(m)["spill"] == 0.735     # 50 px of it (x 80..84) lie in the ring: 50 / 68
    assert evidence(m, others=(other,))["spill"] == 0.0


def test_classify_mark():
    ev = {"fill0": 0.17, "spill0": 0.0, "ink0": 0.5, "trace0": 0.17}
    assert classify_mark(ev, 1) == (MARKED, "")
    assert classify_mark({**ev, "fill0": 0.0, "trace0": 0.0}, 1) == (EMPTY, "")
    assert classify_mark({**ev, "fill0": 0.0, "trace0": 0.0, "around0": 0.2}, 1) == (UNCLEAR, "mark_outside_box")
    assert classify_mark({**ev, "rows": 2}, 1) == (UNCLEAR, "two_rows")
    assert classify_mark({**ev, "name_touched": 0.09}, 1) == (UNCLEAR, "ink_on_name")
    assert classify_mark({**ev, "name_touched": 0.08}, 1) == (MARKED, "")


# --- a yes/no row, read whole: two boxes beside one name --------------------------------------------

YES, NO = Box(130, 20, 160, 50), Box(165, 20, 195, 50)
ROW = slot(0, y0=25, boxes=(YES, NO))


def row(yes: bool, no: bool, on_name: bool = False, across: bool = False):
    m = np.zeros((H, W), np.uint8)
    if yes:
        plus(m, cx=145, cy=35)
    if no:
        plus(m, cx=180, cy=35)
    if on_name:
        m[35, 20:40] = 1
    if across:
        m[34:36, 140:186] = 1                   # one bar from inside "yes" to inside "no"
    pen = pen_of(m, offsets={0: (1, -2)})
    mine = [b for b in pen.blobs if b.box.intersects(YES.grow(15, 15)) or b.box.intersects(NO.grow(15, 15))]
    ev = row_evidence(pen, (ROW,), ROW, mine, TH)
    return ev, classify_approve(ev, 2)


def test_yes_no_row_evidence():
    ev, _ = row(True, False)
    assert (ev["dx"], ev["dy"], ev["rows"], ev["name_touched"], ev["straddle"]) == (1, -2, 1, 0.0, 0.0)
    assert (ev["fill0"], ev["spill0"], ev["ink0"]) == (0.17, 0.0, 0.5)
    assert (ev["fill1"], ev["spill1"], ev["around1"], ev["box1"]) == (0.0, 0.0, 0.0, [])


def test_yes_no_row_decisions():
    assert row(True, False)[1] == ("agree", "")
    assert row(False, True)[1] == ("disagree", "")
    assert row(True, True)[1] == ("void", "both")
    assert row(False, False)[1] == ("void", "neither")
    assert row(True, False, on_name=True)[1] == (UNCLEAR, "ink_on_name")


def test_one_mark_across_both_cells_is_unclear_never_both():
    ev, verdict = row(False, False, across=True)
    # Of the bar, 2 × 16 px lie in "yes"'s inside (x 140..155) and 2 × 17 in "no"'s (169..185): 32 / 400.
    assert ev["straddle"] == 0.08
    assert verdict == (UNCLEAR, "straddle")
    pen = pen_of(plus(np.zeros((H, W), np.uint8), cx=145, cy=35))
    assert straddle(pen, (YES, NO), pen.blobs, TH) == 0.0      # a cross in one cell
    assert straddle(pen, (YES,), pen.blobs, TH) == 0.0          # one box: nothing to straddle


def test_yes_no_row_unclear_cell_wins():
    ev = {"fill0": 0.17, "spill0": 0.0, "ink0": 0.5, "trace0": 0.17,
          "fill1": 0.04, "spill1": 0.0, "ink1": 0.5, "trace1": 0.04}
    assert classify_approve(ev, 2) == (UNCLEAR, "faint")
    assert classify_approve({**ev, "rows": 2}, 2) == (UNCLEAR, "two_rows")
    empty_beside = {**ev, "fill1": 0.0, "trace1": 0.0, "around1": 0.3}   # ink around the empty cell: not ignored
    assert classify_approve(empty_beside, 2) == (UNCLEAR, "mark_outside_box")
    assert classify_approve({**ev, "straddle": 0.02}, 2) == (UNCLEAR, "straddle")
