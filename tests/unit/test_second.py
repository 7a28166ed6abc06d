"""Reader B's pure parts (detect/second): crops cut by the text height, decisions from probabilities, and
the whole reader on a tiny synthetic page."""
from __future__ import annotations

import numpy as np
import pytest

from kiemphieu.detect.second import crops as C
from kiemphieu.detect.second import decide as D
from kiemphieu.records import AGREE, DISAGREE, EMPTY, MARKED, STANDING, STRUCK, UNCLEAR, VOID, Box

from synthetic import TH, layout, printed, slot


def test_darkness_is_relative_to_the_crops_paper():
    crop = np.full((4, 4), 200, np.uint8)
    crop[0, 0] = 100
    d = C.darkness(crop)
    assert d[1, 1] == 0.0 and d[0, 0] == pytest.approx(0.5)


def test_a_name_crop_covers_the_name_and_its_margins_whatever_the_size():
    lay = layout((slot(0, y0=40, x0=40, width=100),))
    x0, y0, x1, y1 = C.name_area(lay.slots[0], TH)
    assert (x0, x1) == (40 - C.NAME_SIDE_TH * TH, 140 + C.NAME_SIDE_TH * TH)
    assert (y0 + y1) / 2 == 50       # the middle of the letters' bodies (45..55)
    assert y1 - y0 == 2 * C.NAME_HALF_HEIGHT_TH * TH


def test_crops_have_the_networks_shapes_and_the_pages_ink_in_channel_0():
    lay = layout((slot(0, y0=40), slot(1, y0=100)))
    blank = printed(lay)
    page = blank.copy()
    page[49:51, 20:120] = 0                  # a stroke through name 0's letters
    x = C.name_crops(page, blank, lay)
    assert x.shape == (2, 2) + C.NAME_SHAPE and x.dtype == np.float32
    assert (x[0, 0] - x[0, 1]).max() > 0.5   # name 0: ink the blank has not
    assert np.abs(x[1, 0] - x[1, 1]).max() == 0.0   # name 1: page as blank


def test_a_lone_cells_crop_has_its_full_margin():
    box = Box(100, 100, 140, 120)            # 40 × 20: margin 0.5 × 20 = 10 on every side
    m = C.CELL_MARGIN_SHARE * 20
    assert C.cell_area(box, [box]) == (100 - m, 100 - m, 140 + m, 120 + m)


def test_a_cells_crop_stops_a_strip_past_the_rule_to_its_neighbours():
    # A yes/no table: two cells side by side 4 px apart, the next row 6 px below.
    yes, no = Box(100, 100, 140, 120), Box(144, 100, 184, 120)
    yes2, no2 = Box(100, 126, 140, 146), Box(144, 126, 184, 146)
    boxes = [yes, no, yes2, no2]
    m, peek = C.CELL_MARGIN_SHARE * 20, C.CELL_PEEK_SHARE * 20
    assert peek < m
    assert C.cell_area(yes, boxes) == (100 - m, 100 - m, 142 + peek, 123 + peek)
    assert C.cell_area(no, boxes) == (142 - peek, 100 - m, 184 + m, 123 + peek)
    assert C.cell_area(no2, boxes) == (142 - peek, 123 - peek, 184 + m, 146 + m)


def test_a_box_far_away_or_only_diagonal_does_not_cut_the_margin():
    box = Box(100, 100, 140, 120)
    m = C.CELL_MARGIN_SHARE * 20
    far = Box(100, 200, 140, 220)            # below, beyond the margin
    diagonal = Box(144, 126, 184, 146)       # neither beside nor below
    assert C.cell_area(box, [box, far, diagonal]) == (100 - m, 100 - m, 140 + m, 120 + m)


def test_a_cell_crop_does_not_see_the_mark_in_the_next_cell():
    # Cells 60 px tall, 4 px apart: a full margin (30 px) would reach 26 px into the other cell.
    yes, no = Box(100, 100, 200, 160), Box(204, 100, 304, 160)
    lay = layout((slot(0, y0=120, x0=20, width=60, boxes=(yes, no)),), kind="approve")
    blank = printed(lay)
    page = blank.copy()
    page[110:150, 160:178] = 0               # a mark in "yes", 22 px (0.37 of its height) from the rule
    x = C.cell_crops(page, blank, lay)
    assert (x[0, 0] - x[0, 1]).max() > 0.5
    assert np.abs(x[1, 0] - x[1, 1]).max() == 0.0


def test_proposals_find_ink_outside_the_names_only():
    lay = layout((slot(0, y0=40),), width=400, height=300)
    blank = printed(lay)
    page = blank.copy()
    page[48:52, 30:110] = 0                  # a strike: on the name, not proposed
    assert C.proposals(page, blank, lay) == []
    page[200:230, 250:330] = 0               # a blot well away from the name
    where = C.proposals(page, blank, lay)
    assert where and all(240 <= cx <= 340 and 190 <= cy <= 240 for cx, cy, _ in where)


@pytest.mark.parametrize("p, want", [
    ([0.95, 0.03, 0.02], STANDING), ([0.02, 0.97, 0.01], STRUCK), ([0.45, 0.4, 0.15], UNCLEAR),
    ([0.01, 0.01, 0.98], UNCLEAR), ([0.55, 0.45, 0.0], STANDING)])
def test_a_name_is_read_only_when_one_class_has_the_majority(p, want):
    assert D.name_state(np.array(p)) == want


def test_cells_make_mark_and_yes_no_states():
    assert D.mark_state("marked") == MARKED and D.mark_state("empty") == EMPTY and D.mark_state("unclear") == UNCLEAR
    assert D.approve_state("marked", "empty") == AGREE
    assert D.approve_state("empty", "marked") == DISAGREE
    assert D.approve_state("marked", "marked") == VOID == D.approve_state("empty", "empty")
    assert D.approve_state("unclear", "empty") == UNCLEAR


def test_writing_verdict_from_the_windows():
    assert D.writing_verdict(np.zeros((0, 3))) == ("no", [])
    assert D.writing_verdict(np.array([[0.99, 0.005, 0.005], [0.02, 0.97, 0.01]])) == ("yes", [1])
    assert D.writing_verdict(np.array([[0.99, 0.005, 0.005], [0.5, 0.45, 0.05]])) == ("no", [])
    assert D.writing_verdict(np.array([[0.02, 0.01, 0.97], [0.1, 0.85, 0.05]])) == ("yes", [1])
    assert D.writing_verdict(np.array([[0.02, 0.01, 0.97]])) == ("unclear", [0])


def test_softmax_rows_sum_to_one():
    p = D.softmax(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))
    assert np.allclose(p.sum(axis=1), 1.0) and np.allclose(p[1], 1 / 3)


def test_the_blanks_side_cut_once_gives_the_same_crops_and_proposals():
    lay = layout((slot(0, y0=40), slot(1, y0=100)), width=400, height=300)
    blank = printed(lay)
    page = blank.copy()
    page[49:51, 20:120] = 0                  # a strike through name 0
    page[200:230, 250:330] = 0               # a blot away from the names
    side = C.blank_side(blank, lay)
    assert len(side.names) == 2 and side.cells == []
    assert np.array_equal(C.name_crops(page, blank, lay, side), C.name_crops(page, blank, lay))
    assert C.proposals(page, blank, lay, side) == C.proposals(page, blank, lay) != []


def _letters() -> np.ndarray:
    """(32, 128) darkness of a printed name: three letters' blocks and a bar."""
    b = np.zeros((32, 128), np.float32)
    b[10:20, 20:30] = 1.0
    b[10:20, 40:44] = 1.0
    b[12:14, 50:90] = 1.0
    return b


@pytest.mark.parametrize("dy, dx", [(2, -1), (-3, 3), (1, 0), (0, -2)])
def test_a_names_blank_is_moved_onto_the_pages_print(dy, dx):
    blank = _letters()
    page = np.roll(np.roll(blank, dy, 0), dx, 1)          # the page's name lies (dy, dx) crop px off
    out = C.aligned(np.stack([page, blank]))
    assert np.array_equal(out[0], page)                   # the page's channel is never moved
    assert np.abs(out[0] - out[1]).sum() == 0.0


def test_a_name_further_off_than_the_reach_is_not_forced_onto_the_page():
    blank = _letters()
    page = np.roll(blank, C.NAME_ALIGN_PX + 3, 0)
    out = C.aligned(np.stack([page, blank]))
    assert np.abs(out[0] - out[1]).sum() > 0.0


def test_a_strike_does_not_move_the_blank_of_a_name_in_place():
    blank = _letters()
    page = blank.copy()
    page[15:17, 5:120] = 1.0                               # a strike through the letters
    out = C.aligned(np.stack([page, blank]))
    assert np.array_equal(out, np.stack([page, blank]))


def test_a_name_registered_off_by_a_fifth_of_a_text_height_gets_its_blank_in_place():
    lay = layout((slot(0, y0=40), slot(1, y0=100)))
    blank = printed(lay)
    page = np.roll(blank, 4, 0)                            # the sheet bent: its names lie 4 px = 0.2 th low
    x = C.name_crops(page, blank, lay)
    raw = C.pair(page, blank, C.name_area(lay.slots[0], TH), C.NAME_SHAPE)
    assert np.abs(x[0, 0] - x[0, 1]).mean() < 0.25 * np.abs(raw[0] - raw[1]).mean()
