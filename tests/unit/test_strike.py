"""Strike reading: the measures over one printed name and the decision taken from them.

The name is 100 px wide and TH = 20 px tall at (20, 20); its x-line is y = 25 and its baseline y = 35
(x-height 10): a stroke whose middle runs between y = 22.5 and 36.5 (0.25 x-height to spare) goes
through its letters. Its pen is looked at from y = 10 (1.5 x-heights above the x-line, the row's top)
to 45 (1 x-height below the baseline).
"""
import cv2
import numpy as np

from kiemphieu.detect.strike import (
    classify_strike,
    crosses_letters,
    faint_trace,
    row_spill,
    rows_touched,
    seen_share,
    strike_evidence,
    stroke_columns,
)
from kiemphieu.records import STANDING, STRUCK, UNCLEAR

from synthetic import TH, pen_of, slot

H, W = 100, 160
NONE = {"cover": 0.0, "cover_below": 0.0, "cover_above": 0.0, "touched": 0.0, "ink": 0.5}


def evidence(mask, ink=0.5, hidden=None, labels=None):
    mask = mask.astype(np.uint8)
    add = (mask * np.float32(ink)).astype(np.float32)
    hidden = np.zeros(mask.shape, bool) if hidden is None else hidden
    return strike_evidence(slot(), mask, add, hidden, TH, labels)


def stroke(*runs, y=30):
    """A 1 px pen stroke on row ``y`` over the given [x0, x1) runs."""
    m = np.zeros((H, W), np.uint8)
    for x0, x1 in runs:
        m[y, x0:x1] = 1
    return m


def test_no_pen_stands():
    ev = evidence(np.zeros((H, W)))
    assert ev == {"x_from": -1, "x_to": -1, "cover": 0.0, "cover_below": 0.0, "cover_above": 0.0,
                  "touched": 0.0, "ink": 0.0, "seen": 1.0, "trace": 0.0}
    assert classify_strike(ev) == (STANDING, "")


def test_full_stroke_strikes():
    ev = evidence(stroke((20, 120)))
    assert ev == {"x_from": 0, "x_to": 99, "cover": 1.0, "cover_below": 0.0, "cover_above": 0.0,
                  "touched": 1.0, "ink": 0.5, "seen": 1.0, "trace": 0.0}
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


def test_the_band_is_the_names_own_letters():
    # Middles at 23 and 36 run through the letters (x-line 25, baseline 35, 0.25 x-height to spare) ...
    assert evidence(stroke((20, 120), y=23))["cover"] == 1.0
    assert evidence(stroke((20, 120), y=36))["cover"] == 1.0
    # ... at 37 a line runs under the baseline: an underline; at 22 over the x-line.
    ev = evidence(stroke((20, 120), y=37))
    assert (ev["cover"], ev["cover_below"], ev["cover_above"], ev["touched"]) == (0.0, 1.0, 0.0, 1.0)
    assert classify_strike(ev) == (UNCLEAR, "underline")
    ev = evidence(stroke((20, 120), y=22))
    assert (ev["cover"], ev["cover_below"], ev["cover_above"]) == (0.0, 0.0, 1.0)
    assert classify_strike(ev) == (UNCLEAR, "above_name")


def test_a_thick_stroke_is_placed_by_its_middle():
    m = np.zeros((H, W), np.uint8)
    m[34:41, 20:120] = 1                      # 7 px thick, middle 37: under the letters though it touches them
    assert evidence(m)["cover_below"] == 1.0 and evidence(m)["cover"] == 0.0
    m = np.zeros((H, W), np.uint8)
    m[31:38, 20:120] = 1                      # middle 34: through them though it reaches below the baseline
    assert evidence(m)["cover"] == 1.0


def test_gap_under_a_letter_is_bridged():
    # 10 px gap: shorter than 0.6 th (12 px), so the stroke counts as one.
    ev = evidence(stroke((20, 50), (60, 120)))
    assert (ev["cover"], ev["touched"]) == (1.0, 0.9)
    # 50 px gap: not bridged ...
    assert evidence(stroke((20, 45), (95, 120)))["cover"] == 0.5
    # ... unless print hides it (a stroke passing under a bold word).
    hidden = np.zeros((H, W), bool)
    hidden[18:40, 45:95] = True
    ev = evidence(stroke((20, 45), (95, 120)), hidden=hidden)
    assert (ev["cover"], ev["seen"]) == (1.0, 1.0)


def test_specks_bridged_across_a_bold_name_are_no_strike():
    hidden = np.zeros((H, W), bool)
    for x in range(24, 116, 10):               # bold letters 7 px wide, 3 px of paper between them
        hidden[18:40, x:x + 7] = True
    ev = evidence(stroke((21, 24), (111, 114)), hidden=hidden)
    assert ev["cover"] == 0.93                 # bridged: print hides more than 0.35 of the gap ...
    assert ev["seen"] == 0.2                   # ... but of 30 columns of paper along it, 6 show the stroke
    assert classify_strike(ev) == (UNCLEAR, "partial_strike")
    assert seen_share(slot(), np.zeros(100, bool), np.full(100, np.nan), hidden) == 1.0


def test_a_slanted_strike_crosses_the_letters():
    m = np.zeros((H, W), np.uint8)
    cv2.line(m, (20, 14), (119, 44), 1, 1)      # from above the letters to below them, through them
    pen = pen_of(m)
    through, below, above, rows = stroke_columns(slot(), pen.mask, pen.labels)
    assert through.all() and not below.any() and not above.any()
    assert classify_strike(evidence(m, labels=pen.labels)) == (STRUCK, "")
    # Down from above into the letters only, not out below them: part over, part through; unclear.
    m = np.zeros((H, W), np.uint8)
    cv2.line(m, (20, 12), (119, 32), 1, 1)
    ev = evidence(m)
    assert 0 < ev["cover"] < 0.6 and ev["cover_above"] > 0
    assert classify_strike(ev)[0] == UNCLEAR


def test_crosses_letters_needs_one_straight_stroke_through_the_middle():
    s = slot()
    x = np.arange(0, 100, 10)
    line = 14 + 0.3 * x                         # 14 .. 41: above, through, below
    kind = np.where(line < 22.5, 2, np.where(line > 36.5, 1, 0))
    assert crosses_letters(x, line, kind, s)
    zig = line + np.where(np.arange(10) % 2, 6, -6)   # 6 px off the line each way: 2.4 x-height (rms 6 > 2.5)
    assert not crosses_letters(x, zig, kind, s)
    low = 30 + 0.3 * x                          # through, then below: at mid-name 45, under the band
    assert not crosses_letters(x, low, np.where(low > 36.5, 1, 0), s)


def test_faint_line_through_the_letters_is_unclear():
    s = slot()
    add = np.zeros((H, W), np.float32)
    hidden = np.zeros((H, W), bool)
    add[30, 40:70] = 0.06                       # a light line 30 px long: 3 x-heights
    assert faint_trace(s, add, hidden, np.zeros((H, W), np.uint8), TH) == 3.0
    ev = {**NONE, "ink": 0.0, "trace": 3.0}
    assert classify_strike(ev) == (UNCLEAR, "faint")
    add[30, 40:70] = 0.03                       # lighter than FAINT_PIXEL_INK: nothing
    assert faint_trace(s, add, hidden, np.zeros((H, W), np.uint8), TH) == 0.0


def test_faint_trace_is_a_ridge_not_a_band_nor_a_crease():
    s = slot()
    none = np.zeros((H, W), np.uint8)
    hidden = np.zeros((H, W), bool)
    band = np.zeros((H, W), np.float32)
    band[25:36, 30:90] = 0.1                    # the whole band evenly light (a print's ghost): no ridge
    assert faint_trace(s, band, hidden, none, TH) == 0.0
    crease = np.zeros((H, W), np.float32)
    crease[30, :] = 0.06                        # across the whole row and beyond: a crease
    assert faint_trace(s, crease, hidden, none, TH) == 0.0
    on = np.zeros((H, W), np.uint8)
    line = np.zeros((H, W), np.float32)
    line[30, 40:70] = 0.06
    on[29:32, :] = 1                            # ... or on a crease found
    assert faint_trace(s, line, hidden, none, TH, on) == 0.0
    pen = np.zeros((H, W), np.uint8)
    pen[30, 40:70] = 1                          # pen is not a faint trace
    assert faint_trace(s, line, hidden, pen, TH) == 0.0


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
    a, b = slot(0, y0=20), slot(1, y0=50)       # bands 22.5..36.5 and 52.5..66.5
    m = np.zeros((H, W), np.uint8)
    cv2.line(m, (20, 30), (119, 60), 1, 1)
    pen = pen_of(m)
    assert len(pen.blobs) == 1
    # Rows 30..36 over the first name (x 20..41: 22 columns), rows 53..60 over the second (x 95..119: 25).
    assert rows_touched((a, b), pen.labels, pen.blobs[0], pen.mask) == {0: 2.2, 1: 2.5}
    # The same stroke kept level through the first name only touches that row.
    m = stroke((20, 120))
    pen = pen_of(m)
    assert rows_touched((a, b), pen.labels, pen.blobs[0], pen.mask) == {0: 10.0}
    assert row_spill(b, pen.labels, pen.blobs[0], pen.mask) == 0.0


def test_decision_bounds():
    none = NONE
    assert classify_strike({**none, "touched": 0.08}) == (STANDING, "")
    assert classify_strike({**none, "touched": 0.081}) == (UNCLEAR, "partial_strike")
    assert classify_strike({**none, "cover": 0.6, "touched": 0.6}) == (STRUCK, "")
    assert classify_strike({**none, "cover": 0.599, "touched": 0.6}) == (UNCLEAR, "partial_strike")
    assert classify_strike({**none, "cover": 1.0, "touched": 1.0, "seen": 0.5}) == (STRUCK, "")
    assert classify_strike({**none, "cover": 1.0, "touched": 1.0, "seen": 0.499}) == (UNCLEAR, "partial_strike")
    assert classify_strike({**none, "trace": 0.149}) == (STANDING, "")
    assert classify_strike({**none, "trace": 0.15}) == (UNCLEAR, "faint")
    # Stress seed 1796187669 (count 7, page 18): a faint strike through "Mai Việt Đạt" traced 0.182 x-heights,
    # read as standing at 0.3.
    assert classify_strike({**none, "trace": 0.182}) == (UNCLEAR, "faint")
    assert classify_strike({**none, "cover": 1.0, "touched": 1.0, "trace": 5.0}) == (STRUCK, "")
    # An underline or a stroke above wins only over a shorter stroke through the letters.
    assert classify_strike({**none, "cover": 0.3, "cover_below": 0.3, "touched": 0.6}) == (UNCLEAR, "partial_strike")
    assert classify_strike({**none, "cover": 0.3, "cover_below": 0.31, "touched": 0.61}) == (UNCLEAR, "underline")
