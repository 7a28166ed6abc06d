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
    crease_lines,
    line_ink,
    meet,
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
    assert ev == {"fill": 0.0, "trace": 0.0, "light": 0.0, "reach": 0.0, "around": 0.0, "spill": 0.0, "ink": 0.0,
                  "box": []}
    assert state(ev) == (EMPTY, "")


def test_cross_in_the_box_is_marked():
    ev = evidence(plus(np.zeros((H, W), np.uint8)))
    # 68 px of pen over 400: fill 0.17; the '+' spans 46..63 of the inside starting at 44, its faint trace
    # too: 18 of the inside's 22 px.
    assert ev == {"fill": 0.17, "trace": 0.818, "light": 0.818, "reach": 0.818, "around": 0.0, "spill": 0.0,
                  "ink": 0.5, "box": [2, 2, 19, 19]}
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
    add[54:56, :30] = add[54:56, 80:] = 0.0   # seen near the box only (print over the rest of its course) ...
    assert state(evidence(np.zeros((H, W)), add=add)) == (UNCLEAR, "faint")   # without the strip: a trace ...
    ev = box_evidence(BOX, np.zeros((H, W), np.uint8), add, TH, (), None, strip)
    assert (ev["fill"], ev["trace"]) == (0.0, 0.0) and state(ev) == (EMPTY, "")   # ... with it: nothing
    add[54:56, :] = 0.06
    m = plus(np.zeros((H, W), np.uint8))       # a cross over the crease keeps all its pen, on the strip too
    add = np.maximum(add, m * np.float32(0.5))
    ev = box_evidence(BOX, m, add, TH, (), None, strip)
    assert ev["fill"] == 0.17 and state(ev) == (MARKED, "")
    add[54:56, 44:66] = 0.15                   # a light bar along the crease (pen, not as dark as 0.25) ...
    ev = box_evidence(BOX, np.zeros((H, W), np.uint8), np.where(m > 0, 0, add).astype(np.float32), TH, (), None,
                      strip)
    assert ev["fill"] == 0.0                   # ... is taken for the fold, as the pen mask takes it


def test_a_level_line_running_on_beyond_both_sides_of_the_box_is_a_crease():
    # Stress seed 1796196278: folds whose line or shade edge is too faint (0.02-0.05) or too broken to be found
    # across the page crossed 11 empty boxes (read faint) and one at 0.09-0.12 (read marked, reader B saved it).
    # The crease is followed 2 th (40 px) beyond each side of the box: x 0..40 and 70..110.
    add = np.zeros((H, W), np.float32)
    add[54:56, :] = 0.03
    assert crease_lines(add, None, BOX, BOX, TH)[14:16].all()           # rows 54, 55 of the box (from y 40) ...
    assert np.flatnonzero(crease_lines(add, None, BOX, BOX, TH)[:, 0]).tolist() == [12, 13, 14, 15, 16, 17]  # ... and
    # the rows found with them (53, 56: their darkest with the rows beside them) and one more each side
    ev = evidence(np.zeros((H, W)), add=add)
    assert (ev["fill"], ev["trace"]) == (0.0, 0.0) and state(ev) == (EMPTY, "")
    one_side = add.copy()
    one_side[54:56, 75:] = 0.0                                          # it stops just right of the box
    assert state(evidence(np.zeros((H, W)), add=one_side)) == (UNCLEAR, "faint")
    short = np.zeros((H, W), np.float32)
    short[54:56, 30:80] = 0.03                                          # to 10 px off the box only: the voter's
    assert state(evidence(np.zeros((H, W)), add=short)) == (UNCLEAR, "faint")
    dark = np.zeros((H, W), np.float32)
    dark[62:64, :] = 0.12                                               # as dark as pen, in the pen mask too
    assert state(evidence((dark > 0).astype(np.uint8), add=dark)) == (EMPTY, "")
    m = plus(np.zeros((H, W), np.uint8))                                # a clear cross over it (0.5: darker than
    ev = evidence(np.maximum(m, dark > 0), add=np.maximum(dark, m * np.float32(0.5)))   # creases are): no line
    assert ev["fill"] == 0.27 and state(ev) == (MARKED, "")             # looked for, the line's 40 px counted too
    small = np.zeros((H, W), np.uint8)
    small[56:66, 50:52] = 1                                             # a short light stroke over it loses its
    ev = evidence(np.maximum(small, dark > 0), add=np.maximum(dark, small * np.float32(0.2)))   # rows 60..65:
    assert ev["fill"] == 0.02 and state(ev) == (UNCLEAR, "faint")      # 8 of its 20 px; with the line, it read marked
    assert not crease_lines(np.full((H, W), 0.03, np.float32), None, BOX, BOX, TH).any()  # grey paper: no line
    hidden = np.zeros((H, W), bool)
    hidden[:, :25] = True                                               # print over most of it on one side: not seen
    assert not crease_lines(add, hidden, BOX, BOX, TH).any()
    filled = np.zeros((H, W), np.float32)
    filled[40:70, :38] = filled[40:70, 72:] = 0.5                       # boxes filled left and right: no line
    assert not crease_lines(filled, None, BOX, BOX, TH).any()


def test_pen_on_the_printed_border_of_a_filled_box_is_not_around_it():
    # Stress seed 1796196278 (count 1, page 5, and 3 more): a filled box; the pen mask, bridged along x across
    # print, ran 4 px over its printed border each side: around 0.61, read half outside (mark_outside_box).
    hidden = np.zeros((H, W), bool)
    hidden[36:74, 36:74] = True
    hidden[40:70, 40:70] = False               # the printed border, 4 px round the box (its hole)
    m = np.zeros((H, W), np.uint8)
    m[44:66, 36:74] = 1                        # the fill, smeared over the border left and right
    assert evidence(m)["around"] == 0.44       # 2 x 4 x 22 px over 400
    ev = evidence(m, hidden=hidden)
    assert (ev["fill"], ev["around"]) == (1.21, 0.0) and state(ev) == (MARKED, "")
    m[54:56, 20:36] = 1                        # a stroke out beyond the border still counts: 2 x 11 px in
    assert evidence(m, hidden=hidden)["around"] == 0.055   # the ring (x 25..35)
    m[:] = 0
    m[44:66, 36:48] = 1                        # pen along the border of a box not filled (its print a few px
    assert evidence(m, hidden=hidden)["around"] == 0.22    # off, a mark astride its edge): 4 x 22 px around


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
    # A thin stroke across the box: few pixels, but as long as the box, dark, nothing around it: a mark.
    assert box_state(0.03, 0.0, 0.13, 0.8) == (MARKED, "")
    assert box_state(0.03, 0.0, 0.13, 0.79) == (UNCLEAR, "faint")           # shorter: the committee's
    assert box_state(0.03, 0.0, 0.119, 1.0) == (UNCLEAR, "faint")           # lighter
    assert box_state(0.03, 1.0, 0.13, 1.0, around=0.06) == (UNCLEAR, "faint")   # ink around it
    assert box_state(0.019, 0.0, 0.5, 1.0) == (UNCLEAR, "faint")            # no pen: a faint trace
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


def test_a_cross_on_the_rule_between_two_table_cells_is_a_straddle():
    # Stress seed 1796196992 (count 2 page 21, count 6 page 6): a cross on the rule between the "yes" and "no"
    # cells of a table; the rule hides its middle, each cell holds one half (two pieces, no blob in both):
    # read "both", void, without review.
    yes, no = Box(20, 20, 80, 60), Box(84, 20, 144, 60)       # cell holes 4 px apart: one rule between them
    m = np.zeros((H, 160), np.uint8)
    for i in range(30):
        m[25 + i, 66 + i // 2] = m[25 + i, 96 - i // 2] = 1     # the cross's arms, crossing on the rule
    pen = pen_of(m)
    cells = [box_evidence(b, pen.mask, pen.add, TH) for b in (yes, no)]
    # The insides (borders of 6 px: 0.15 of 40) are x 26..73 and 90..137: the arms reach 73 and 90 from
    # rows 26 to 53 in both: 28 rows shared of 28.
    assert (cells[0]["box"][2], cells[1]["box"][0]) == (47, 0)
    assert meet((yes, no), cells, 160, H) == 1.0
    ev = {"fill0": 0.17, "spill0": 0.0, "ink0": 0.5, "fill1": 0.17, "spill1": 0.0,
          "ink1": 0.5, "meet": 1.0}
    assert classify_approve(ev, 2) == (UNCLEAR, "straddle")
    assert classify_approve({**ev, "meet": 0.49}, 2) == ("void", "both")
    far = (yes, Box(120, 20, 180, 60))                         # cells 40 px apart (a list): no rule between
    assert meet(far, cells, 200, H) == 0.0
    centred = np.zeros((H, 160), np.uint8)
    centred[38:42, 40:60] = centred[38:42, 104:124] = 1        # a mark in the middle of each: "both", no meeting
    pen = pen_of(centred)
    assert meet((yes, no), [box_evidence(b, pen.mask, pen.add, TH) for b in (yes, no)], 160, H) == 0.0
