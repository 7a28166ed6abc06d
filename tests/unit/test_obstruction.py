"""A paper lying on the ballot hides print in one compact region; another sheet misses print everywhere."""
import numpy as np

from kiemphieu.detect.blank import classify_print
from kiemphieu.detect.obstruction import NONE, HiddenPrint, classify_hidden, hidden_print
from kiemphieu.records import Box

TH = 10                     # cells of 2 text heights: 20 px
SHAPE = (200, 200)


def printed_grid() -> np.ndarray:
    """Flat indices of a printed pixel every 2 px over the whole 200 x 200 frame (100 per 20 px cell)."""
    ys, xs = np.mgrid[0:200:2, 0:200:2]
    return (ys * 200 + xs).ravel()


def missing_in(at: np.ndarray, box: Box) -> np.ndarray:
    ys, xs = np.divmod(at, 200)
    return (ys >= box.y0) & (ys < box.y1) & (xs >= box.x0) & (xs < box.x1)


def test_print_hidden_in_one_place_is_something_lying_on_it():
    at = printed_grid()
    h = hidden_print(at, missing_in(at, Box(40, 60, 100, 120)), SHAPE, TH)   # a 60 x 60 px note over 9 cells
    assert h.box == Box(20, 40, 120, 140)          # its cells, grown by a cell
    assert h.hidden == 1.0 and h.rest == 0.0
    assert h.held == 0.25                          # 100 x 100 px of the 200 x 200 frame
    assert classify_hidden(h) == "obstruction"


def test_print_missing_everywhere_is_another_sheet():
    at = printed_grid()
    everywhere = missing_in(at, Box(0, 0, 200, 200))
    h = hidden_print(at, everywhere, SHAPE, TH)
    assert h.held == 1.0 and h.rest == 1.0 and classify_hidden(h) == "other_sheet"
    stripes = (np.divmod(at, 200)[0] // 20) % 2 == 0   # every other band of cells missing: no one region
    h = hidden_print(at, stripes, SHAPE, TH)
    assert classify_hidden(h) == "other_sheet" and h.rest > 0.3


def test_no_print_missing():
    at = printed_grid()
    assert hidden_print(at, np.zeros(len(at), bool), SHAPE, TH) == NONE
    few = np.zeros(len(at), bool)
    few[::7] = True                                # 1 pixel in 7 lost all over: no cell hidden
    h = hidden_print(at, few, SHAPE, TH)
    assert h.box is None and abs(h.rest - 1 / 7) < 0.01 and classify_hidden(h) == ""


def test_classify_hidden_bounds():
    def h(rest, held):
        return HiddenPrint(Box(0, 0, 10, 10), 1.0, rest, held)
    assert [classify_hidden(h(r, 0.3)) for r in (0.1, 0.11, 0.3, 0.31)] == ["obstruction", "", "", "other_sheet"]
    assert [classify_hidden(h(0.0, held)) for held in (0.7, 0.71)] == ["obstruction", ""]


def test_rejection_needs_print_missing_outside_the_region():
    note = HiddenPrint(Box(0, 0, 10, 10), 0.95, 0.02, 0.4)
    assert classify_print(0.45, 0.8, note) == "obstruction"     # today's silent rejection of a covered ballot
    other = HiddenPrint(Box(0, 0, 10, 10), 0.95, 0.8, 0.65)
    assert classify_print(0.8, 0.9, other) == "not_ballot"
    unsure = HiddenPrint(Box(0, 0, 10, 10), 0.95, 0.2, 0.75)    # much gone, the rest not sure: a person looks
    assert classify_print(0.4, 0.5, unsure) == "doubt"
    assert classify_print(0.4, 0.5) == "not_ballot"              # nothing measured of where: as before
