"""Strike reading: the measures over one printed name and the decision taken from them.

The name is 100 px wide and TH = 20 px tall at (20, 20); its x-line is y = 25 and its baseline y = 35
(x-height 10): a stroke whose middle runs between y = 22.5 and 36.5 (0.25 x-height to spare) goes
through its letters. Its pen is looked at from y = 10 (1.5 x-heights above the x-line, the row's top)
to 45 (1 x-height below the baseline).
"""
import cv2
import numpy as np
import pytest

from kiemphieu.detect.pen import trace_noise
from kiemphieu.detect.strike import (
    bridge_rows,
    classify_strike,
    crosses_letters,
    faint_trace,
    light_lines,
    row_spill,
    rows_touched,
    seen_share,
    strike_evidence,
    stroke_columns,
    trace_level,
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
                  "touched": 0.0, "ink": 0.0, "seen": 1.0, "trace": 0.0, "line": 0.0, "reach": 0.0,
                  "shown": 0.0}
    assert classify_strike(ev) == (STANDING, "")


def test_full_stroke_strikes():
    ev = evidence(stroke((20, 120)))
    assert ev == {"x_from": 0, "x_to": 99, "cover": 1.0, "cover_below": 0.0, "cover_above": 0.0,
                  "touched": 1.0, "ink": 0.5, "seen": 1.0, "trace": 0.0, "line": 0.0, "reach": 0.0,
                  "shown": 0.0}
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
    assert seen_share(slot(), np.zeros(100, bool), np.full(100, np.nan), hidden, TH) == 1.0


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
    add[30, 40:70] = 0.024                      # lighter than FAINT_RIDGE_INK: nothing
    assert faint_trace(s, add, hidden, np.zeros((H, W), np.uint8), TH) == 0.0
    # ... unless the level passed for the page is lower (its ends, averaged with paper, stay under it)
    assert faint_trace(s, add, hidden, np.zeros((H, W), np.uint8), TH, level=0.02) == 2.8
    # A noisy page: the level its own ridges set is above the line.
    assert trace_level(0.01) == 0.03
    assert faint_trace(s, add, hidden, np.zeros((H, W), np.uint8), TH, level=trace_level(0.01)) == 0.0


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


def test_faint_trace_follows_one_course_not_noise_at_random_rows():
    # Stress seed 1796191009 (count 4, page 6, a grey JPEG at 150 dpi): ridges of the page's noise at other
    # rows in each column read as one light line over the whole name (19.7 x-heights, "faint").
    s = slot()
    none = np.zeros((H, W), np.uint8)
    hidden = np.zeros((H, W), bool)
    noise = np.zeros((H, W), np.float32)
    noise[28, 20:120:6] = 0.1                   # specks at row 28 every 6 px, and at row 31 half-way between:
    noise[31, 23:120:6] = 0.1                   # every column holds a ridge (3 px wide each, after smoothing)
    assert faint_trace(s, noise, hidden, none, TH, level=0.03) == 0.3     # ... but no two join: 3 px
    assert classify_strike({**NONE, "ink": 0.0, "trace": 0.3}) == (UNCLEAR, "faint")
    assert classify_strike({**NONE, "ink": 0.0, "trace": 0.299}) == (STANDING, "")
    line = np.zeros((H, W), np.float32)
    line[30, 20:70] = 0.1
    line[31, 70:120] = 0.1                      # one line stepping down a row: one course (its smoothed
    assert faint_trace(s, line, hidden, none, TH, level=0.03) == 10.2   # ends 0.033: 19 .. 120)


def test_two_specks_bridged_across_a_letter_are_no_line():
    # Stress seed 1796205754 count 18 page 1 (150 dpi JPEG): two one-pixel ridges either side of a letter,
    # bridged under it, read as a light line of 1.2 x-heights: a standing name went to review ("faint").
    s = slot()                                  # x-height 10: what is seen of a line is 3 columns or more
    none = np.zeros((H, W), np.uint8)
    hidden = np.zeros((H, W), bool)
    hidden[:, 40:60] = True                     # a letter
    specks = np.zeros((H, W), np.float32)
    specks[30, 39] = specks[30, 60] = 0.06      # one column seen of each (smoothed: 0.03)
    assert faint_trace(s, specks, hidden, none, TH) == 0.0
    line = np.zeros((H, W), np.float32)
    line[30, 36:40] = line[30, 60:64] = 0.06    # a line seen over 4 columns each side: followed under it
    assert faint_trace(s, line, hidden, none, TH) == 2.8


def test_faint_line_seen_between_letters_is_followed_under_them():
    # Stress seed 1796191009 (count 7, page 22; count 34, page 6): a faint stroke seen only in the gaps
    # between letters, 0.03-0.07 ink, was no trace (each pixel had to be 0.04 dark): "Mai Thị Linh" counted.
    s = slot()
    hidden = np.zeros((H, W), bool)
    for x in range(20, 120, 10):
        hidden[:, x:x + 6] = True               # letters 6 px wide, gaps of 4
    add = np.zeros((H, W), np.float32)
    add[30, 46:84] = 0.035                      # a stroke 38 px long, seen in its gaps only
    assert faint_trace(s, add, hidden, np.zeros((H, W), np.uint8), TH) == 3.4   # gap 46..50 to gap 76..80
    assert classify_strike({**NONE, "ink": 0.0, "trace": 3.4}) == (UNCLEAR, "faint")


def test_a_faint_dash_at_the_x_line_in_a_word_gap_is_a_trace():
    # Stress seed 1796202918 (count 4, page 0, 240 dpi on pink paper): a short faint dash between "Huỳnh" and
    # "Thị" lay along the x-line, above the band looked at (FAINT_INSET_XH below it): "trace 0", counted.
    s = slot()                                  # x-line at row 25, baseline at 35: x-height 10, inset 2
    none = np.zeros((H, W), np.uint8)
    hidden = np.zeros((H, W), bool)
    hidden[25:35, 20:40] = True                 # two words' letters, a gap of 30 px between them
    hidden[25:35, 70:120] = True
    add = np.zeros((H, W), np.float32)
    add[25, 45:65] = 0.06                       # a dash 20 px long on the x-line, 5 px clear of the letters
    assert faint_trace(s, add, hidden, none, TH) == 2.0
    # The ghost a letter's top leaves along it, inside the inset, is no trace.
    ghost = np.zeros((H, W), np.float32)
    tops = np.zeros((H, W), bool)
    tops[27:35, 20:40] = True                   # letters whose tops lie 2 px below the x-line ...
    tops[27:35, 70:120] = True
    ghost[26, 20:40] = 0.06                     # ... with a ghost just above them
    ghost[26, 70:120] = 0.06
    assert faint_trace(s, ghost, tops, none, TH) == 0.0


def test_light_strikes_on_every_name_are_not_the_pages_noise():
    # Stress seed 1796191009 (count 16, page 9): every name struck in light pencil that the pen mask missed;
    # the page's noise, taken from those names, hid all of them and 12 struck names were counted standing.
    slots = (slot(0, y0=20), slot(1, y0=60), slot(2, y0=100))
    add = np.zeros((140, 160), np.float32)
    hidden = np.zeros((140, 160), bool)
    mask = np.zeros((140, 160), np.uint8)
    for s in slots:
        add[s.core_y0 + 5, 15:125] = 0.06       # a light line through each name, past both its ends
    noise = trace_noise(slots, add, hidden, mask, TH)
    assert noise == {0: pytest.approx(0.06), 1: pytest.approx(0.06), 2: pytest.approx(0.06)}
    assert trace_level(noise[0]) == 0.05        # capped: a ridge of 0.05 ink is a line on any page
    assert trace_level(0.01) == 0.03 and trace_level(0.001) == 0.025
    for s in slots:
        trace, line = light_lines(s, add, hidden, mask, TH, level=trace_level(noise[s.index]))
        assert (trace, line) == (10.8, 1.0)   # the trace over the row (16 .. 123), the line over the name
        assert classify_strike({**NONE, "ink": 0.0, "trace": trace, "line": line}) == (STRUCK, "")


def test_a_light_line_seen_only_beside_the_name_is_a_trace():
    # Stress seed 1796191009 (count 16, page 9, 150 dpi): a light zigzag strike seen only where it overshot
    # the name, print hiding it on the name, counted the name standing.
    s = slot()                                  # its row runs from x = 0 to 140
    hidden = np.zeros((H, W), bool)
    hidden[:, 20:120] = True                    # the whole name under print
    add = np.zeros((H, W), np.float32)
    add[30, 5:19] = 0.06                        # 14 px of light line before it (19: 0.03 with paper)
    assert faint_trace(s, add, hidden, np.zeros((H, W), np.uint8), TH) == 1.5
    assert light_lines(s, add, hidden, np.zeros((H, W), np.uint8), TH)[1] == 0.0   # no line over the name
    assert classify_strike({**NONE, "ink": 0.0, "trace": 1.5}) == (UNCLEAR, "faint")


def test_bridge_rows_fills_short_gaps_and_hidden_ones_in_a_row():
    on = np.zeros((3, 12), bool)
    on[0, [0, 3, 8]] = True                     # gaps of 2 (filled) and 4 (not)
    on[1, [0, 6]] = True                        # a gap of 5 ...
    on[2, [0]] = True
    blind = np.zeros((3, 12), bool)
    blind[1, 1:6] = True                        # ... all hidden: filled
    out = bridge_rows(on, blind, 2)
    assert out[0].tolist() == [1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0]
    assert out[1].tolist() == [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    assert out[2].tolist() == [1] + [0] * 11


def test_a_light_strike_in_pieces_of_pen_is_one_line():
    # Stress seed 1796191009: light pencil strikes the pen mask held in pieces or not at all (cover 0-0.59)
    # were read "faint" or "partial_strike" on clear ballots (81 names of 2014 struck).
    s = slot()
    hidden = np.zeros((H, W), bool)
    mask = np.zeros((H, W), np.uint8)
    add = np.zeros((H, W), np.float32)
    add[30, 15:125] = 0.06                      # light all along, 5 px past each end
    for x0 in (20, 60, 100):
        mask[30, x0:x0 + 10] = 1                # pen where it was a little darker
        add[30, x0:x0 + 10] = 0.12
    trace, line = light_lines(s, add, hidden, mask, TH)
    assert line == 1.0                          # pen and light ridges: one line over the whole name
    assert trace == 3.0                         # between the pen pieces: 30 px at most
    ev = {**NONE, "cover": 0.3, "touched": 0.3, "trace": trace, "line": line}
    assert classify_strike(ev) == (STRUCK, "")
    add[30, 85:125] = 0.0                       # stops at 0.65 of the name: a partial strike
    _, line = light_lines(s, add, hidden, mask, TH)
    assert line == 0.65
    assert classify_strike({**ev, "line": line}) == (UNCLEAR, "partial_strike")


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
    assert classify_strike({**none, "trace": 0.299}) == (STANDING, "")
    assert classify_strike({**none, "trace": 0.3}) == (UNCLEAR, "faint")
    assert classify_strike({**none, "cover": 1.0, "touched": 1.0, "trace": 5.0}) == (STRUCK, "")
    # A light line through 70 % of the name strikes it; shorter, the mask's reading stands.
    assert classify_strike({**none, "line": 0.7, "trace": 7.0}) == (STRUCK, "")
    assert classify_strike({**none, "line": 0.699, "trace": 6.99}) == (UNCLEAR, "faint")
    # A strike the mask sees in specks (seen < 0.5) is one when a line runs through the name.
    assert classify_strike({**none, "cover": 1.0, "touched": 1.0, "seen": 0.3, "line": 0.7}) == (STRUCK, "")
    assert classify_strike({**none, "cover": 1.0, "touched": 1.0, "seen": 0.3, "line": 0.69}) == (
        UNCLEAR, "partial_strike")
    # An underline or a stroke above wins only over a shorter stroke through the letters.
    assert classify_strike({**none, "cover": 0.3, "cover_below": 0.3, "touched": 0.6}) == (UNCLEAR, "partial_strike")
    assert classify_strike({**none, "cover": 0.3, "cover_below": 0.31, "touched": 0.61}) == (UNCLEAR, "underline")


def test_slivers_of_paper_inside_words_do_not_count_against_a_strike():
    # Three bold words over the name: letters 8 px wide with 2 px of paper between them (a tenth of TH:
    # in the halo of the print on both sides), 12 px of paper between the words. A thin strike shows
    # only between the words and past the name's ends: it is seen wherever it could be seen.
    hidden = np.zeros((H, W), bool)
    for a, b in [(22, 50), (62, 90), (102, 118)]:
        for x in range(a, b, 10):
            hidden[18:40, x:min(b, x + 8)] = True
    m = np.zeros((H, W), np.uint8)
    for a, b in [(20, 22), (50, 62), (90, 102), (118, 120)]:
        m[30, a:b] = 1
    ev = evidence(m, hidden=hidden)
    assert ev["cover"] == 1.0
    assert ev["seen"] == 1.0          # 24 columns of paper wide enough to see it (2-px ends too narrow): all show it
    assert classify_strike(ev) == (STRUCK, "")
    # With the slivers counted as paper it was seen on 28 of 38 columns. Without the pen in one gap
    # between words it is seen on 12 of 24 columns: half.
    m[30, 50:62] = 0
    assert evidence(m, hidden=hidden)["seen"] == 0.5
