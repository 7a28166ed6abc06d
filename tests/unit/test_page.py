"""A whole page read: a synthetic blank and layout, pen drawn on a copy of it (already registered)."""
import cv2
import numpy as np
import pytest

from kiemphieu.detect.blank import classify_print, contrast_gain, missing_print, prepare_blank
from kiemphieu.detect.ink import ink_map
from kiemphieu.detect.read import read_page
from kiemphieu.records import EMPTY, MARKED, STANDING, STRUCK, Box, Code

from synthetic import layout, printed, slot

STRIKE = layout((slot(0, y0=60, x0=60, width=160), slot(1, y0=120, x0=60, width=160)))


@pytest.fixture(scope="module")
def strike_blank():
    frame = printed(STRIKE)
    return frame, prepare_blank(frame, STRIKE)


def test_the_blank_reads_as_a_blank_ballot(strike_blank):
    frame, ref = strike_blank
    r = read_page(ref, frame.copy())
    assert r.is_ballot and r.doubt == [] and r.extra_writing == [] and r.stray_marks == []
    assert [(n.state, n.why) for n in r.names] == [(STANDING, ""), (STANDING, "")]
    assert r.evidence == {"missing_print": 0.0, "missing_names": 0.0, "gain": 1.0, "line_artifacts": 0,
                          "seal_cover": 0.0}
    assert r.seal == "absent"
    assert r.pen.sum() == 0


def test_struck_name_and_writing_beside(strike_blank):
    frame, ref = strike_blank
    page = frame.copy()
    cv2.line(page, (55, 130), (225, 128), 40, 2)                      # strikes the second name
    cv2.polylines(page, [np.array([[260, 210], [280, 240], [300, 205], [320, 240]])], False, 40, 2)
    cv2.line(page, (104, 230), (104, 238), 40, 2)                     # a small tick, 9 px tall
    r = read_page(ref, page)
    assert [(n.state, n.why) for n in r.names] == [(STANDING, ""), (STRUCK, "")]
    assert r.names[1].evidence["cover"] == 1.0 and r.names[1].evidence["rows"] == 1
    # Pen is found on stroke ink averaged over 7 px along x: a box reaches 3 px further left and right
    # than the ink drawn (x 259..321, y 204..241 and x 103..105, y 229..239), as tall as it.
    assert [b.as_list() for b in r.extra_writing] == [[256, 204, 325, 242]]
    assert [b.as_list() for b in r.stray_marks] == [[100, 229, 109, 240]]


def test_another_page_is_not_this_ballot(strike_blank):
    _, ref = strike_blank
    r = read_page(ref, np.full((STRIKE.height, STRIKE.width), 250, np.uint8))
    assert not r.is_ballot and r.not_ballot_why == "print_mismatch"
    assert r.evidence["missing_print"] == 1.0 and r.evidence["missing_names"] == 1.0


def test_a_note_lying_on_a_name_is_an_obstruction_not_another_sheet(strike_blank):
    frame, ref = strike_blank
    page = frame.copy()
    page[110:150, 50:235] = 225          # a paper over the second name: its print hidden, the first name's intact
    r = read_page(ref, page)
    assert r.is_ballot and Code.OBSTRUCTION in r.doubt
    assert r.evidence["missing_names"] == 0.5 and r.evidence["hidden_rest"] == 0.0


def test_print_moved_everywhere_is_another_sheet(strike_blank):
    frame, ref = strike_blank
    other = np.full_like(frame, 255)
    other[30:] = frame[:-30]             # the names 30 px lower: another sheet's print, missing at every name
    r = read_page(ref, other)
    assert not r.is_ballot and r.not_ballot_why == "print_mismatch"


def test_print_checks(strike_blank):
    frame, ref = strike_blank
    assert missing_print(ref, ink_map(frame)) == (0.0, 0.0)
    half = frame.copy()
    half[:, 140:] = 255                                                # half of every name is gone
    miss_page, miss_names = missing_print(ref, ink_map(half))
    assert 0.45 <= miss_names <= 0.55 and classify_print(miss_page, miss_names) == "not_ballot"
    assert [classify_print(*m) for m in ((0.22, 0.12), (0.301, 0.0), (0.0, 0.121), (0.221, 0.0))] == \
        ["", "not_ballot", "doubt", "doubt"]


def test_light_scan_is_read_relative_to_its_print(strike_blank):
    frame, ref = strike_blank
    light = np.where(frame < 128, 128, frame).astype(np.uint8)          # print at half darkness
    assert contrast_gain(ref, ink_map(light)) == pytest.approx(1 / (1 - 128 / 255), abs=1e-3)
    faded = np.where(frame < 128, 215, frame).astype(np.uint8)           # print at 0.16: gain capped at 3
    assert contrast_gain(ref, ink_map(faded)) == 3.0
    r = read_page(ref, light)
    assert r.is_ballot and r.evidence["gain"] == 2.01 and [n.state for n in r.names] == [STANDING, STANDING]


MARK = layout((slot(0, y0=60, x0=60, width=160, boxes=(Box(260, 55, 290, 85),)),
               slot(1, y0=120, x0=60, width=160, boxes=(Box(260, 115, 290, 145),))), kind="mark")


def test_mark_ballot_reads_the_boxes():
    frame = printed(MARK)
    ref = prepare_blank(frame, MARK)
    page = frame.copy()
    cv2.line(page, (266, 121), (284, 139), 40, 2)                       # an X in the second box
    cv2.line(page, (284, 121), (266, 139), 40, 2)
    r = read_page(ref, page)
    assert [(n.state, n.why) for n in r.names] == [(EMPTY, ""), (MARKED, "")]
    assert r.extra_writing == [] and r.stray_marks == []
    assert r.names[1].evidence["fill0"] >= 0.15 and r.names[0].evidence["fill0"] == 0.0
