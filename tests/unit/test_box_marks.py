"""Box reading: the pen in a printed box, and the decision for a mark ballot and a yes/no row.

The box is 30 × 30 px at (40, 40); its printed border is 4 px (0.15 of the side), so its inside is the
22 × 22 px from (44, 44); the fill is counted over min(484, th² = 400) px. The ring where a mark may
spill reaches 15 px (half the side) around it.
"""
import numpy as np

from kiemphieu.detect.box_marks import box_evidence, box_state, classify_approve, classify_mark, row_evidence
from kiemphieu.records import EMPTY, MARKED, UNCLEAR, Box

from synthetic import TH, pen_of, slot

BOX = Box(40, 40, 70, 70)
H, W = 120, 200


def plus(m, cx=55, cy=55, arm=9):
    """A '+' of two 2 px bars, 2 × arm px long: 4 * arm * 2 - 4 pixels."""
    m[cy - 1:cy + 1, cx - arm:cx + arm] = 1
    m[cy - arm:cy + arm, cx - 1:cx + 1] = 1
    return m


def evidence(mask, add=None, box=BOX, others=()):
    mask = mask.astype(np.uint8)
    add = (mask * np.float32(0.5)).astype(np.float32) if add is None else add
    return box_evidence(box, mask, add, TH, others)


def test_empty_box():
    ev = evidence(np.zeros((H, W)))
    assert ev == {"fill": 0.0, "trace": 0.0, "spill": 0.0, "ink": 0.0, "box": []}
    assert box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"]) == (EMPTY, "")


def test_cross_in_the_box_is_marked():
    ev = evidence(plus(np.zeros((H, W), np.uint8)))
    # 68 px of pen over 400: fill 0.17; the '+' spans 46..63 of the inside starting at 44.
    assert ev == {"fill": 0.17, "trace": 0.17, "spill": 0.0, "ink": 0.5, "box": [2, 2, 19, 19]}
    assert box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"]) == (MARKED, "")


def test_small_mark_is_faint():
    m = np.zeros((H, W), np.uint8)
    m[54:56, 50:60] = 1                        # 20 px: fill 0.05, under the 0.06 of a mark
    ev = evidence(m)
    assert ev["fill"] == 0.05
    assert box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"]) == (UNCLEAR, "faint")


def test_light_mark_is_faint():
    m = plus(np.zeros((H, W), np.uint8))
    ev = evidence(m, add=(m * np.float32(0.11)).astype(np.float32))
    assert (ev["fill"], ev["ink"]) == (0.17, 0.11)
    assert box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"]) == (UNCLEAR, "faint")


def test_faint_trace_without_pen_is_unclear():
    add = np.zeros((H, W), np.float32)
    add[54:56, 50:56] = 0.12                   # 12 px of faint ink: not pen (< 0.2), but a trace
    ev = evidence(np.zeros((H, W)), add=add)
    assert (ev["fill"], ev["trace"]) == (0.0, 0.03)
    assert box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"]) == (UNCLEAR, "faint")


def test_single_dark_pixels_count_as_pen_inside():
    add = np.zeros((H, W), np.float32)
    add[50:60, 50:54] = 0.2                    # a steep tick not in the stroke mask: 40 px of 0.2 ink
    add[50:60, 56:58] = 0.19                   # 20 px lighter than that: only a trace
    ev = evidence(np.zeros((H, W)), add=add)
    assert (ev["fill"], ev["trace"]) == (0.1, 0.15)
    add[50:60, 56:58] = 0.1                    # still a trace ...
    assert evidence(np.zeros((H, W)), add=add)["trace"] == 0.15
    add[50:60, 56:58] = 0.099                  # ... and lighter, none
    assert evidence(np.zeros((H, W)), add=add)["trace"] == 0.1


def test_box_state_bounds():
    assert box_state(0.019, 0.0, 0.5, 0.0) == (EMPTY, "")
    assert box_state(0.019, 0.0, 0.5, 0.019) == (EMPTY, "")
    assert box_state(0.019, 0.0, 0.5, 0.02) == (UNCLEAR, "faint")          # a faint trace
    assert box_state(0.02, 0.0, 0.5, 0.0) == (UNCLEAR, "faint")            # between empty and marked
    assert box_state(0.059, 0.0, 0.5, 0.059) == (UNCLEAR, "faint")
    assert box_state(0.06, 0.0, 0.5, 0.06) == (MARKED, "")
    assert box_state(0.06, 0.599, 0.5, 0.06) == (MARKED, "")
    assert box_state(0.06, 0.6, 0.5, 0.06) == (UNCLEAR, "mark_outside_box")
    assert box_state(0.06, 0.0, 0.119, 0.06) == (UNCLEAR, "faint")
    assert box_state(0.01, 0.599, 0.5, 0.01) == (EMPTY, "")
    assert box_state(0.01, 0.6, 0.5, 0.01) == (UNCLEAR, "mark_outside_box")  # a little inside, more around
    # No pen inside at all reads empty whatever lies around it (a blob reaching out of the ring is a
    # stray mark of the page; one wholly in the ring is not looked at again).
    assert box_state(0.0, 5.0, 0.5, 0.0) == (EMPTY, "")


def test_mark_half_outside_the_box_is_unclear():
    m = np.zeros((H, W), np.uint8)
    m[54:56, 26:64] = 1        # 40 px inside (44..63), 28 px in the ring (26..39), 8 on the border
    ev = evidence(m)
    assert (ev["fill"], ev["spill"]) == (0.1, 0.7)
    assert box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"]) == (UNCLEAR, "mark_outside_box")
    m[54:56, 26:30] = 0        # 20 px in the ring: spill 0.5, still a mark
    ev = evidence(m)
    assert ev["spill"] == 0.5
    assert box_state(ev["fill"], ev["spill"], ev["ink"], ev["trace"]) == (MARKED, "")


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
    assert classify_mark({**ev, "rows": 2}, 1) == (UNCLEAR, "two_rows")
    assert classify_mark({**ev, "name_touched": 0.09}, 1) == (UNCLEAR, "ink_on_name")
    assert classify_mark({**ev, "name_touched": 0.08}, 1) == (MARKED, "")


# --- a yes/no row, read whole: two boxes beside one name --------------------------------------------

YES, NO = Box(130, 20, 160, 50), Box(165, 20, 195, 50)
ROW = slot(0, y0=25, boxes=(YES, NO))


def row(yes: bool, no: bool, on_name: bool = False):
    m = np.zeros((H, W), np.uint8)
    if yes:
        plus(m, cx=145, cy=35)
    if no:
        plus(m, cx=180, cy=35)
    if on_name:
        m[35, 20:40] = 1
    pen = pen_of(m, offsets={0: (1, -2)})
    mine = [b for b in pen.blobs if b.box.intersects(YES.grow(15, 15)) or b.box.intersects(NO.grow(15, 15))]
    ev = row_evidence(pen, (ROW,), ROW, mine, TH)
    return ev, classify_approve(ev, 2)


def test_yes_no_row_evidence():
    ev, _ = row(True, False)
    assert (ev["dx"], ev["dy"], ev["rows"], ev["name_touched"]) == (1, -2, 1, 0.0)
    assert (ev["fill0"], ev["spill0"], ev["ink0"]) == (0.17, 0.0, 0.5)
    assert (ev["fill1"], ev["spill1"], ev["box1"]) == (0.0, 0.0, [])


def test_yes_no_row_decisions():
    assert row(True, False)[1] == ("agree", "")
    assert row(False, True)[1] == ("disagree", "")
    assert row(True, True)[1] == ("void", "both")
    assert row(False, False)[1] == ("void", "neither")
    assert row(True, False, on_name=True)[1] == (UNCLEAR, "ink_on_name")


def test_yes_no_row_unclear_cell_wins():
    ev = {"fill0": 0.17, "spill0": 0.0, "ink0": 0.5, "trace0": 0.17,
          "fill1": 0.04, "spill1": 0.0, "ink1": 0.5, "trace1": 0.04}
    assert classify_approve(ev, 2) == (UNCLEAR, "faint")
    assert classify_approve({**ev, "rows": 2}, 2) == (UNCLEAR, "two_rows")
