"""One stroke from a name's box into the box of the next row (``box_marks.stroke_between``).

The synthetic page: two boxes one above the other, holes (30, 20)-(60, 50) and (30, 75)-(60, 105), their
printed borders 4 px wide around them and a table's rule (rows 60..64) between them, all hidden (where
print would hide a stroke). Between the holes (rows 50..74) paper is seen on rows 54..59 and 65..70: 12 rows.
Hidden bands are 4, 5 and 4 px thick (median longest run: 5), so pen is joined across print 5 // 2 + 1 =
3 px from each side.
"""
from pathlib import Path

import numpy as np

from kiemphieu.detect.box_marks import classify_approve, classify_mark, row_evidence, stroke_between, stroke_rows
from kiemphieu.records import UNCLEAR, Box

from synthetic import TH, pen_of, slot

H, W = 130, 90
UP, DOWN = Box(30, 20, 60, 50), Box(30, 75, 60, 105)
DATA = Path(__file__).parent.parent / "data" / "boxes"


def printed() -> np.ndarray:
    """Where print would hide a stroke: the two boxes' borders and the rule between them."""
    hidden = np.zeros((H, W), bool)
    for b in (UP, DOWN):
        hidden[b.y0 - 4:b.y1 + 4, b.x0 - 4:b.x1 + 4] = True
        hidden[b.slices()] = False
    hidden[60:65, :] = True
    return hidden


def line(m: np.ndarray, x0: float, y0: int, x1: float, y1: int) -> np.ndarray:
    """A 2 px wide pen line from (x0, y0) to (x1, y1), one step a row."""
    for y in range(y0, y1 + 1):
        x = int(round(x0 + (x1 - x0) * (y - y0) / (y1 - y0)))
        m[y, x:x + 2] = 1
    return m


def between(m: np.ndarray, hidden: np.ndarray | None = None, add: np.ndarray | None = None) -> int:
    add = (m * np.float32(0.5)).astype(np.float32) if add is None else add
    return stroke_between(UP, DOWN, m.astype(np.uint8), add, printed() if hidden is None else hidden)


def big_x(bottom: int = 102) -> np.ndarray:
    """An X from the top of the upper box to ``bottom``, its arms crossing halfway down."""
    m = np.zeros((H, W), np.uint8)
    line(m, 32, 22, 57, bottom)
    return line(m, 57, 22, 32, bottom)


def test_an_x_drawn_over_two_rows_boxes_crosses_every_seen_row_between_them():
    # Stress seed 1796205754 (count 7 page 5, count 12 page 5): an X over the boxes of two rows of a
    # table, its middle on the rule between them; read as two marks.
    assert between(big_x()) == 12
    assert between(big_x(), add=big_x() * np.float32(0.12)) == 12      # a light pen: pen all the same


def test_a_mark_in_each_box_joins_none():
    m = np.zeros((H, W), np.uint8)
    for y0, y1 in ((22, 47), (77, 102)):                 # a cross in each box, corner to corner
        line(m, 32, y0, 57, y1)
        line(m, 57, y0, 32, y1)
    assert between(m) == 0
    line(m, 57, 47, 60, 59)                              # the upper one's arm run on to the rule
    assert between(m) == 0


def test_a_stroke_that_stops_short_of_the_other_box_joins_none():
    assert between(big_x(bottom=72)) == 0                # it ends in the lower box's border
    m = np.zeros((H, W), np.uint8)
    line(m, 40, 30, 44, 68)                              # from the upper box to the paper below the rule
    assert between(m) == 0


def test_pen_seen_between_the_boxes_is_needed():
    hidden = printed()
    hidden[50:75, :] = True                              # print (or a bold scan) hides all between them
    assert between(big_x(), hidden) == 0


def test_faint_ink_joins_pen_but_is_no_evidence_of_its_own():
    m = big_x()
    add = (m * np.float32(0.5)).astype(np.float32)
    add[54:60] *= 0.08                                   # 0.04: a faint trace between the border and the rule
    # the stroke still runs through, counted where it is pen: rows 65..70
    assert between(m * 0, add=add) == 6
    add[65:71] *= 0.08
    assert between(m * 0, add=add) == 0                  # faint all the way between: no pen seen there


def test_a_ghost_of_the_rule_joins_nothing():
    m = np.zeros((H, W), np.uint8)
    line(m, 40, 30, 40, 57)                              # a stroke from the upper box down to the rule ...
    line(m, 50, 67, 50, 90)                              # ... and one from the lower box up to it
    m[58:60, :] = m[65:67, :] = 1                        # a scan bolder than the blank: the rule's ghost
    assert between(m) == 0


def test_the_rows_joined_make_both_names_unclear():
    upper, lower = slot(0, y0=25, x0=0, width=25, boxes=(UP,)), slot(1, y0=80, x0=0, width=25, boxes=(DOWN,))
    pen = pen_of(big_x(), offsets={0: (0, 0), 1: (0, 0)})
    pen.hidden = printed()
    assert stroke_rows(pen, (upper, lower), upper) == {1: 12}
    assert stroke_rows(pen, (upper, lower), lower) == {0: 12}
    ev = row_evidence(pen, (upper, lower), lower, [], TH)
    assert ev["joined"] == 12
    assert classify_mark(ev, 1) == (UNCLEAR, "two_rows")
    assert classify_mark({**ev, "joined": 0}, 1)[1] != "two_rows"
    assert classify_approve({"fill0": 0.2, "spill0": 0.0, "ink0": 0.5, "fill1": 0.0, "spill1": 0.0, "ink1": 0.0,
                             "joined": 1}, 2) == (UNCLEAR, "two_rows")
    side = slot(2, y0=80, x0=0, width=25, boxes=(Box(70, 75, 90, 105),))   # a box beside, not below: no neighbour
    assert stroke_rows(pen, (upper, side), upper) == {}


def fixture(name: str) -> int:
    f = np.load(DATA / f"{name}.npz")
    up, lo = (Box(*map(int, f[k])) for k in ("upper", "lower"))
    return stroke_between(up, lo, f["mask"], f["add"], f["hidden"], f["on_lines"])


def test_real_pages():
    # Cropped from the stress pages (added ink, pen mask, where print hides, creases' strips): a dark blue X
    # over two rows' boxes, 175 dpi (count 7 page 5): seen between the borders and the rule, 2 rows; a faint
    # blue one, 175 dpi (count 12 page 5): 6 rows, its arms faint near the rule; a cross in each of two rows.
    assert fixture("x_over_two_rows_dark") == 2
    assert fixture("x_over_two_rows_faint") == 6
    assert fixture("x_in_each_of_two_rows") == 0
