"""Ink on a printed name of a box ballot: the voter's pen makes the row unclear, print a pixel or two off
does not (stress seed 1796225362 count 11 pages 5, 15 and 21: on blurred 150–250 dpi scans of mark
ballots the letters' ghosts — an "ị"'s stem and dot, a piece of a word, a table rule's edge — made names
"ink on the name": every such blob vanished once its spot was aligned on its own)."""
import numpy as np

from kiemphieu.detect.blank import prepare_blank
from kiemphieu.detect.box_marks import classify_mark, row_evidence
from kiemphieu.detect.ink import ink_map
from kiemphieu.detect.read import _residue_on_names
from kiemphieu.records import EMPTY, UNCLEAR, Box

from synthetic import layout, pen_of, printed, slot


def _ballot():
    lay = layout((slot(0, y0=60, x0=60, width=160, boxes=(Box(300, 58, 320, 82),)),
                  slot(1, y0=120, x0=60, width=160, boxes=(Box(300, 118, 320, 142),))), kind="mark")
    frame = printed(lay)
    return lay, frame, prepare_blank(frame, lay)


def _ghost_mask(shape):
    """A pen mask holding one blob on the first name, above its letters' bodies: 40 px of its 160 (a quarter)."""
    mask = np.zeros(shape, np.uint8)
    mask[61:64, 100:140] = 1
    return mask


def test_print_ghost_on_a_name_is_no_ink_on_it():
    lay, frame, ref = _ballot()
    pen = pen_of(_ghost_mask(frame.shape), offsets={0: (0, 0), 1: (0, 0)})
    residue = _residue_on_names(ref, ink_map(frame), pen)     # the page is the blank itself: nothing added
    assert residue == {1}
    s = lay.slots[0]
    touched = row_evidence(pen, lay.slots, s, [], 20, 0.05)["name_touched"]
    assert touched == 0.25                                        # counted as pen, the row was unclear ...
    assert classify_mark(row_evidence(pen, lay.slots, s, [], 20, 0.05), 1) == (UNCLEAR, "ink_on_name")
    ev = row_evidence(pen, lay.slots, s, [], 20, 0.05, residue=residue)
    assert ev["name_touched"] == 0.0                              # ... the ghost is not the voter's
    assert classify_mark(ev, 1) == (EMPTY, "")


def test_a_stroke_on_a_name_is_ink_on_it():
    lay, frame, ref = _ballot()
    page = frame.copy()
    page[61:64, 100:140] = 40                                     # a real stroke there, above the letters
    pen = pen_of(_ghost_mask(frame.shape))
    assert _residue_on_names(ref, ink_map(page), pen) == frozenset()
