"""The page reader's judgements outside the names: a strike running on past its row, a seal stamped
over a name."""
import cv2
import numpy as np

from kiemphieu.detect.blank import prepare_blank
from kiemphieu.detect.pen import Blob
from kiemphieu.detect.read import _circle_meets, _overshoot, read_page
from kiemphieu.records import STRUCK, UNCLEAR, Box

from synthetic import TH, layout, pen_of, printed, slot


def test_the_end_of_a_strike_past_its_row_is_part_of_it():
    hidden = np.zeros((300, 400), bool)
    hidden[120:140, 30:50] = True                  # a row number's print, 20 px wide
    pen = pen_of(np.zeros((300, 400), np.uint8))
    pen.hidden[:] = hidden
    strike = Blob(Box(50, 126, 230, 130), 700, 1)  # the strike in the row
    per_slot = {0: [strike]}
    assert _overshoot(Blob(Box(40, 127, 48, 129), 16, 2), per_slot, pen, TH)        # 2 px past its end
    assert _overshoot(Blob(Box(10, 127, 30, 129), 40, 3), per_slot, pen, TH)        # past the hidden number
    assert not _overshoot(Blob(Box(0, 127, 8, 129), 16, 4), per_slot, pen, TH)      # 42 px off, 22 px of it not hidden
    assert not _overshoot(Blob(Box(40, 100, 48, 110), 16, 5), per_slot, pen, TH)    # above it, not level
    assert not _overshoot(Blob(Box(30, 115, 48, 129), 16, 6), per_slot, pen, TH)    # 14 px tall: not flat


def test_the_end_of_a_slanted_strike_past_hidden_print_is_part_of_it():
    # Stress seed 1796262101 count 11 page 9: a slanted strike (falling 14 px over 140) parts under the
    # print before its row; its first piece ends 1 px above the rows of the rest, 20 px to the left.
    pen = pen_of(np.zeros((300, 400), np.uint8))
    pen.hidden[100:140, 30:50] = True
    strike = Blob(Box(50, 122, 190, 136), 700, 1)
    per_slot = {0: [strike]}
    assert _overshoot(Blob(Box(20, 118, 30, 121), 20, 2), per_slot, pen, TH)        # 1 px above: drift 2 px
    assert not _overshoot(Blob(Box(20, 112, 30, 115), 20, 3), per_slot, pen, TH)    # 7 px above: not on its course
    flat = Blob(Box(50, 126, 230, 130), 700, 4)                                     # a level strike: no drift
    assert not _overshoot(Blob(Box(20, 122, 30, 125), 20, 5), {0: [flat]}, pen, TH)  # 1 px above it


def test_a_strike_run_past_the_row_number_is_no_stray_mark():
    lay = layout((slot(0, y0=60, x0=60, width=160), slot(1, y0=120, x0=60, width=160)))
    frame = printed(lay)
    frame[122:138, 18:34] = 0                      # the row number "2" left of the second name's row
    ref = prepare_blank(frame, lay)
    page = frame.copy()
    cv2.line(page, (4, 129), (225, 129), 40, 2)    # struck from the page's margin on
    r = read_page(ref, page)
    assert r.names[1].state == STRUCK
    assert r.stray_marks == [] and r.extra_writing == []


def test_circle_meets_box():
    b = Box(100, 100, 150, 120)
    assert _circle_meets(125, 80, 20, b) and not _circle_meets(125, 80, 19.9, b)
    assert _circle_meets(125, 110, 1, b)          # centre inside
    assert not _circle_meets(80, 80, 20, b) and _circle_meets(80, 80, 29, b)   # corner at 28.3 px


def test_a_seal_over_a_name_makes_it_unclear_never_struck():
    lay = layout((slot(0, y0=150, x0=60, width=160), slot(1, y0=220, x0=60, width=160)), width=500, height=400)
    frame = printed(lay)
    ref = prepare_blank(frame, lay)
    page = frame.copy()
    cv2.circle(page, (140, 160), 34, 60, 2)        # a ring 68 px across stamped over the first name
    cv2.circle(page, (140, 160), 10, 60, -1)
    r = read_page(ref, page)
    assert r.seal == "present"
    assert (r.names[0].state, r.names[0].why) == (UNCLEAR, "seal_over_name")
    assert r.names[1].state != UNCLEAR


def word(x0: int, y0: int) -> np.ndarray:
    """A written word's strokes: a zigzag of six strokes 30 px tall (1.5 th) and 14 px apart, winding 2.1 (stroke
    length over its width; a straight stroke winds 1). The pen's mask is smoothed along x: denser or steeper
    strokes merge into level or upright runs (``ruled``) and wind less; 15 px apart and 25 px tall, the word
    of these tests before the pen's closing changed, now winds 1.799, under WRITING_MIN_WINDING_RATIO."""
    return np.array([[x0 + 14 * i, y0 + (30 if i % 2 else 0)] for i in range(7)])


def test_writing_like_ink_in_the_header_without_a_seal_found_is_a_stray_mark_and_the_seal_unclear():
    # A page 1000 px long: a seal there is at least 40 px in radius (SEAL_MIN_RADIUS_SHARE), more than a word is
    # tall (on a page 400 px long the word's zigzag lies on a circle of radius 24 over 0.3 of it: seal-like).
    lay = layout((slot(0, y0=150, x0=60, width=160), slot(1, y0=220, x0=60, width=160)), width=500, height=1000)
    frame = printed(lay)
    ref = prepare_blank(frame, lay)
    page = frame.copy()
    zigzag = word(100, 60)
    cv2.polylines(page, [zigzag], False, 40, 2)      # where a faint, unfound seal would lie
    r = read_page(ref, page)
    assert r.extra_writing == [] and len(r.stray_marks) == 1
    assert r.seal == "unclear"
    lower = frame.copy()
    cv2.polylines(lower, [zigzag + [0, 250]], False, 40, 2)   # the same below the names: writing
    r = read_page(ref, lower)
    assert len(r.extra_writing) == 1 and r.seal == "absent"


def test_pieces_of_writing_are_not_stray_marks_of_their_own():
    lay = layout((slot(0, y0=60, x0=60, width=160), slot(1, y0=120, x0=60, width=160)), width=500, height=1000)
    frame = printed(lay)
    ref = prepare_blank(frame, lay)
    page = frame.copy()
    cv2.polylines(page, [word(100, 260)], False, 40, 2)   # a written word
    cv2.line(page, (197, 250), (203, 244), 40, 2)    # its accent, 13 px beyond its end
    cv2.line(page, (300, 330), (306, 324), 40, 2)    # a tick far from it
    r = read_page(ref, page)
    assert len(r.extra_writing) == 1
    assert [m.as_list() for m in r.stray_marks] == [[296, 323, 311, 332]]   # the tick (pen smoothed along x)


def test_ink_whose_box_spans_rows_it_has_no_pixels_in_is_no_mark_beside_a_name():
    # Stress seed 1796269041 count 1 page 11: the shadow along the page's left edge, joined to the seal at
    # the top, was one blob whose bounding box spanned the first rows: every name it spanned read
    # "mark beside the name". An L of ink 8 px thick: down the left margin and along the top, outside
    # every row.
    lay = layout((slot(0, y0=60, x0=60, width=160), slot(1, y0=120, x0=60, width=160)))
    frame = printed(lay)
    ref = prepare_blank(frame, lay)
    page = frame.copy()
    page[10:290, 8:16] = 60
    page[10:18, 8:50] = 60                        # ending 10 px before the names
    r = read_page(ref, page)
    assert [(n.state, n.why) for n in r.names] == [("standing", ""), ("standing", "")]
    assert r.extra_writing == []                  # a straight band along the page is no handwriting
