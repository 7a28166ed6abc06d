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


def hidden(at: np.ndarray, missing: np.ndarray, page: np.ndarray | None = None):
    """``hidden_print`` on a page whose ink is 1 on the print it shows (``page``: default, the print not missing)."""
    if page is None:
        page = np.zeros(SHAPE, np.float32)
        page.ravel()[at[~missing]] = 1.0
    return hidden_print(at, missing, page, np.full(len(at), 0.35, np.float32), TH)


def test_print_hidden_in_one_place_is_something_lying_on_it():
    at = printed_grid()
    h = hidden(at, missing_in(at, Box(40, 40, 140, 140)))   # a 100 x 100 px note over 25 cells
    assert h.box == Box(20, 20, 160, 160)          # its cells, grown by a cell
    assert h.hidden == 1.0 and h.rest == 0.0
    assert h.held == 0.49                          # 140 x 140 px of the 200 x 200 frame
    # Print within OBSTRUCTION_MOVED_PX (6) of the note's edge is "found" beside it: 1 - 88² / 100².
    assert h.moved == 0.2256
    assert classify_hidden(h) == "obstruction"


def test_print_a_few_pixels_off_is_moved_not_hidden():
    at = printed_grid()
    miss = missing_in(at, Box(40, 60, 100, 120))
    page = np.zeros(SHAPE, np.float32)
    page.ravel()[at[~miss]] = 1.0
    ys, xs = np.divmod(at[miss], 200)
    page[ys + 1, xs + 5] = 1.0                     # the print there lies 5 px right, 1 px down
    h = hidden(at, miss, page)
    assert h.hidden == 1.0 and h.moved == 1.0
    assert classify_hidden(h) == ""


def test_print_missing_everywhere_is_another_sheet():
    at = printed_grid()
    everywhere = missing_in(at, Box(0, 0, 200, 200))
    h = hidden(at, everywhere)
    assert h.held == 1.0 and h.rest == 1.0 and classify_hidden(h) == "other_sheet"
    stripes = (np.divmod(at, 200)[0] // 20) % 2 == 0   # every other band of cells missing: no one region
    h = hidden(at, stripes)
    assert classify_hidden(h) == "other_sheet" and h.rest > 0.3


def test_no_print_missing():
    at = printed_grid()
    assert hidden(at, np.zeros(len(at), bool)) == NONE
    few = np.zeros(len(at), bool)
    few[::12] = True                               # 1 pixel in 12 lost all over: no cell hidden
    h = hidden(at, few)
    assert h.box is None and h.rest == 0.0834 and classify_hidden(h) == ""
    few[::7] = True                                # ... and 1 in 7 more: more than OTHER_SHEET_MIN_REST_SHARE
    h = hidden(at, few)
    assert h.rest > 0.2 and classify_hidden(h) == "other_sheet"


def test_classify_hidden_bounds():
    def h(rest, held, moved=0.0):
        return HiddenPrint(Box(0, 0, 10, 10), 1.0, rest, held, moved)
    assert [classify_hidden(h(r, 0.3)) for r in (0.1, 0.11, 0.2, 0.21)] == ["obstruction", "", "", "other_sheet"]
    assert [classify_hidden(h(0.0, held)) for held in (0.7, 0.71)] == ["obstruction", ""]
    assert [classify_hidden(h(0.0, 0.3, m)) for m in (0.3, 0.31)] == ["obstruction", ""]


def test_rejection_needs_print_missing_outside_the_region():
    note = HiddenPrint(Box(0, 0, 10, 10), 0.95, 0.02, 0.4)
    assert classify_print(0.45, 0.8, note) == "obstruction"     # today's silent rejection of a covered ballot
    other = HiddenPrint(Box(0, 0, 10, 10), 0.95, 0.8, 0.65)
    assert classify_print(0.8, 0.9, other) == "not_ballot"
    unsure = HiddenPrint(Box(0, 0, 10, 10), 0.95, 0.05, 0.75)   # most print gone in one place: a person looks
    assert classify_print(0.4, 0.5, unsure) == "doubt"
    assert classify_print(0.4, 0.5) == "not_ballot"              # nothing measured of where: as before


def test_a_note_over_the_names_of_a_light_scan_is_never_another_sheet():
    # Stress seed 1796187669 (count 0, page 6): a sticky note over the names of a light grey scan (gain 1.65);
    # around the note 0.113 of the print missing, over the obstruction's 0.1: it was rejected as another sheet.
    from kiemphieu.detect.blank import classify_print
    h = HiddenPrint(Box(0, 0, 10, 10), 0.897, 0.113, 0.683, 0.261)
    assert classify_hidden(h) == ""
    assert classify_print(0.375, 0.59, h) == "doubt"
