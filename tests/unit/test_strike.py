"""Strike reading: the measures over one printed name and the decision taken from them.

The name is 100 px wide and TH = 20 px tall at (20, 20); its letters' bodies run from y = 25 to 35, so a
strike may run from y = 18 (0.35 th above) to 37.4 (0.12 th below); ink within 5 px (0.25 th) of the
name is measured.
"""
import cv2
import numpy as np

from kiemphieu.detect.strike import classify_strike, rows_touched, strike_evidence
from kiemphieu.records import STANDING, STRUCK, UNCLEAR

from synthetic import TH, pen_of, slot

H, W = 100, 160


def evidence(mask, ink=0.5, hidden=None):
    mask = mask.astype(np.uint8)
    add = (mask * np.float32(ink)).astype(np.float32)
    hidden = np.zeros(mask.shape, bool) if hidden is None else hidden
    return strike_evidence(slot(), mask, add, hidden, TH)


def stroke(*runs, y=30):
    """A 1 px pen stroke on row ``y`` over the given [x0, x1) runs."""
    m = np.zeros((H, W), np.uint8)
    for x0, x1 in runs:
        m[y, x0:x1] = 1
    return m


def test_no_pen_stands():
    ev = evidence(np.zeros((H, W)))
    assert ev == {"x_from": -1, "x_to": -1, "cover": 0.0, "cover_below": 0.0, "cover_above": 0.0,
                  "touched": 0.0, "ink": 0.0}
    assert classify_strike(ev) == (STANDING, "")


def test_full_stroke_strikes():
    ev = evidence(stroke((20, 120)))
    assert ev == {"x_from": 0, "x_to": 99, "cover": 1.0, "cover_below": 0.0, "cover_above": 0.0,
                  "touched": 1.0, "ink": 0.5}
    assert classify_strike(ev) == (STRUCK, "")


def test_stroke_over_sixty_percent_strikes_and_under_does_not():
    assert evidence(stroke((20, 80)))["cover"] == 0.6
    assert classify_strike(evidence(stroke((20, 80)))) == (STRUCK, "")
    assert evidence(stroke((20, 79)))["cover"] == 0.59
    assert classify_strike(evidence(stroke((20, 79)))) == (UNCLEAR, "partial_strike")


def test_partial_stroke_is_unclear():
    ev = evidence(stroke((20, 60)))
    assert (ev["cover"], ev["touched"], ev["x_from"], ev["x_to"]) == (0.4, 0.4, 0, 39)
    assert classify_strike(ev) == (UNCLEAR, "partial_strike")


def test_gap_under_a_letter_is_bridged():
    # 10 px gap: shorter than 0.6 th (12 px), so the stroke counts as one.
    ev = evidence(stroke((20, 50), (60, 120)))
    assert (ev["cover"], ev["touched"]) == (1.0, 0.9)
    # 50 px gap: not bridged ...
    assert evidence(stroke((20, 45), (95, 120)))["cover"] == 0.5
    # ... unless print hides it (a stroke passing under a bold word).
    hidden = np.zeros((H, W), bool)
    hidden[18:38, 45:95] = True
    assert evidence(stroke((20, 45), (95, 120)), hidden=hidden)["cover"] == 1.0


def test_underline_is_unclear():
    ev = evidence(stroke((20, 120), y=39))      # below 37.4: under the baseline
    assert (ev["cover"], ev["cover_below"], ev["cover_above"], ev["touched"]) == (0.0, 1.0, 0.0, 1.0)
    assert classify_strike(ev) == (UNCLEAR, "underline")


def test_stroke_above_the_name_is_unclear():
    ev = evidence(stroke((20, 120), y=15))      # above 18: over the letters
    assert (ev["cover"], ev["cover_below"], ev["cover_above"]) == (0.0, 0.0, 1.0)
    assert classify_strike(ev) == (UNCLEAR, "above_name")


def test_faint_stroke_is_unclear():
    ev = evidence(stroke((20, 120)), ink=0.08)
    assert (ev["cover"], ev["ink"]) == (1.0, 0.08)
    assert classify_strike(ev) == (UNCLEAR, "faint")
    assert classify_strike(evidence(stroke((20, 120)), ink=0.12)) == (STRUCK, "")


def test_a_touch_stands_unless_a_mark_is_beside():
    ev = evidence(stroke((20, 28)))             # 8 % of the width
    assert ev["touched"] == 0.08
    assert classify_strike(ev) == (STANDING, "")
    assert classify_strike({**ev, "beside": 1}) == (UNCLEAR, "mark_beside")
    assert classify_strike(evidence(stroke((20, 29)))) == (UNCLEAR, "partial_strike")


def test_two_rows_is_unclear_even_when_struck():
    ev = evidence(stroke((20, 120)))
    assert classify_strike({**ev, "rows": 2}) == (UNCLEAR, "two_rows")


def test_a_slanted_stroke_through_two_names_touches_both_rows():
    a, b = slot(0, y0=20), slot(1, y0=50)
    m = np.zeros((H, W), np.uint8)
    cv2.line(m, (20, 30), (119, 60), 1, 1)
    pen = pen_of(m)
    assert len(pen.blobs) == 1
    assert rows_touched((a, b), pen.labels, pen.blobs[0], pen.mask, TH) == [0, 1]
    # The same stroke kept level through the first name only touches that row.
    m = stroke((20, 120))
    pen = pen_of(m)
    assert rows_touched((a, b), pen.labels, pen.blobs[0], pen.mask, TH) == [0]


def test_decision_bounds():
    none = {"cover": 0.0, "cover_below": 0.0, "cover_above": 0.0, "touched": 0.0, "ink": 0.5}
    assert classify_strike({**none, "touched": 0.08}) == (STANDING, "")
    assert classify_strike({**none, "touched": 0.081}) == (UNCLEAR, "partial_strike")
    assert classify_strike({**none, "cover": 0.6, "touched": 0.6}) == (STRUCK, "")
    assert classify_strike({**none, "cover": 0.599, "touched": 0.6}) == (UNCLEAR, "partial_strike")
    assert classify_strike({**none, "cover": 1.0, "touched": 1.0, "ink": 0.12}) == (STRUCK, "")
    assert classify_strike({**none, "cover": 1.0, "touched": 1.0, "ink": 0.119}) == (UNCLEAR, "faint")
    # An underline or a stroke above wins only over a shorter stroke through the letters.
    assert classify_strike({**none, "cover": 0.3, "cover_below": 0.3, "touched": 0.6}) == (UNCLEAR, "partial_strike")
    assert classify_strike({**none, "cover": 0.3, "cover_below": 0.31, "touched": 0.61}) == (UNCLEAR, "underline")
