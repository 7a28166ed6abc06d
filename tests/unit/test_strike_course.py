"""A strike followed along its course over the whole name: pen where the pen mask holds it, a light line
where only that shows, print hiding it between (``strike.course_rows``, ``course_contrast``,
``course_reach``).

The name is 100 px wide at (20, 20), x-height 10 (x-line y = 25, baseline y = 35); its "letters" are
3 px wide every 8 px from x = 22 (print hides them). Pieces along the course are 5 px (0.5 x-height).
Stress seed 1796226570 (kept set s500) and its kind: light pens (pencil, a half-dry blue, ink 0.10-0.26
over paper) the pen mask held only in pieces were read "partial_strike" on clear ballots; their course,
slanted a little, left the light lines' window, so the light parts were never joined to the pen.
"""
import numpy as np

from kiemphieu.detect import thresholds as T
from kiemphieu.detect.strike import classify_strike, course_contrast, course_reach, course_rows, strike_evidence
from kiemphieu.records import STRUCK, UNCLEAR

from synthetic import TH, slot

H, W = 100, 160


def letters() -> np.ndarray:
    hidden = np.zeros((H, W), bool)
    for x in range(22, 117, 8):
        hidden[25:35, x:x + 3] = True
    return hidden


def light_strike(x_end: int, pen=(60, 76), ink=0.06):
    """A slanted light stroke from x = 14 to ``x_end`` (row 24 at x = 14, 0.09 px down per px), the pen
    mask holding it (0.15 ink) over ``pen``; print hides it under the letters. (mask, add)."""
    hidden = letters()
    mask = np.zeros((H, W), np.uint8)
    add = np.zeros((H, W), np.float32)
    xs = np.arange(14, x_end)
    ys = np.rint(24 + 0.09 * (xs - 14)).astype(int)
    add[ys, xs] = ink
    sel = (xs >= pen[0]) & (xs < pen[1])
    mask[ys[sel], xs[sel]] = 1
    add[ys[sel], xs[sel]] = 0.15
    add[hidden] = 0
    mask[hidden] = 0
    return mask, add


def test_course_rows_follow_the_pen_and_carry_its_slope_beyond_it():
    through = np.zeros(10, bool)
    rows = np.full(10, np.nan)
    assert course_rows(through, rows) is None          # no pen: no course
    through[[3, 5, 6]] = True
    rows[[3, 5, 6]] = [30.0, 31.0, 31.0]
    out = course_rows(through, rows)
    assert out[3:7].tolist() == [30.0, 30.5, 31.0, 31.0]     # between: interpolated
    slope = float(np.polyfit([3, 5, 6], [30, 31, 31], 1)[0])    # 0.357: steeper than COURSE_MAX_SLOPE
    assert slope > T.COURSE_MAX_SLOPE
    assert np.allclose(out[:3], 30.0 - T.COURSE_MAX_SLOPE * np.array([3, 2, 1]))
    assert np.allclose(out[7:], 31.0 + T.COURSE_MAX_SLOPE * np.array([1, 2, 3]))


def test_course_contrast_is_seen_off_print_only():
    s = slot()
    hidden = letters()
    add = np.zeros((H, W), np.float32)
    add[30, 20:120] = 0.06
    add[hidden] = 0
    con = course_contrast(s, add, hidden, np.zeros((H, W), np.uint8), np.full(100, 30.0))
    # x = 22..24 is a letter; 21 and 25 lie beside it (COURSE_CLEAR_PX): a letter's edge shows no stroke.
    assert np.isnan(con[1:6]).all()
    assert np.allclose(con[[0, 6, 7, 8]], 0.06)
    assert np.isfinite(con).sum() == 100 - 12 * 5         # 12 letters, each 3 px and a column either side


def test_reach_follows_pieces_of_pen_and_light_across_print():
    s = slot()
    nw, lv = 100, 0.025
    con = np.full(nw, np.nan)
    through = np.zeros(nw, bool)
    con[0:40] = 0.06                                   # light, seen
    con[40:60] = np.nan                                # print hides it
    through[60:70] = True                              # pen
    con[70:100:2] = 0.06                               # light, seen in every other column (print between)
    assert course_reach(s, con, through, lv) == (1.0, 1.0 - 0.2)
    con[80:100] = 0.0                                  # bare paper seen from 0.8 on: it stops there
    assert course_reach(s, con, through, lv) == (0.8, 0.6)
    noise = np.full(nw, 0.0)
    noise[::5] = 0.06                                  # a dark speck in every piece: noise, no line
    assert course_reach(s, noise, through, lv) == (0.0, 0.0)


def test_pen_specks_with_nothing_seen_between_reach_nowhere():
    # Phone seed 1796224408 count 7 page 27, a blurred photo: ghosts of print at both ends of a standing
    # name, everything between hidden; bridged, they were one strike.
    s = slot()
    through = np.zeros(100, bool)
    through[5:15] = through[85:95] = True
    assert course_reach(s, np.full(100, np.nan), through, 0.025) == (0.0, 0.0)


def test_a_light_slanted_strike_held_in_one_pen_piece_strikes():
    s = slot()
    mask, add = light_strike(126)
    ev = strike_evidence(s, mask, add, letters(), TH, None, add)
    assert (ev["cover"], ev["line"], ev["reach"]) == (0.16, 0.21, 0.95)   # main read it partial_strike
    assert classify_strike(ev) == (STRUCK, "")


def test_a_light_partial_strike_stays_unclear():
    s = slot()
    mask, add = light_strike(70)                        # stops at 0.5 of the name: paper seen beyond
    ev = strike_evidence(s, mask, add, letters(), TH, None, add)
    assert ev["reach"] == 0.45
    assert classify_strike(ev)[0] == UNCLEAR
    mask, add = light_strike(126, pen=(0, 0))           # no pen at all: a light line is not followed (a fold)
    ev = strike_evidence(s, mask, add, letters(), TH, None, add)
    assert ev["reach"] == 0.0
    assert classify_strike(ev) == (UNCLEAR, "faint")


def test_reach_strikes_only_a_course_through_the_letters():
    ev = {"cover": 0.5, "cover_below": 0.0, "cover_above": 0.0, "touched": 0.5, "ink": 0.5, "seen": 1.0,
          "line": 0.2, "reach": T.COURSE_MIN_REACH_SHARE}
    assert classify_strike(ev) == (STRUCK, "")
    assert classify_strike({**ev, "reach": 0.69}) == (UNCLEAR, "partial_strike")
    # Scanner seed 1796225362 count 2 page 7: an underline grazing the baseline (cover 0.6, below 0.92).
    assert classify_strike({**ev, "cover_below": 0.92, "reach": 0.88}) == (UNCLEAR, "underline")
    # Phone seed 1796232838 count 2 page 0, 1-bit seed 1796232837 count 0 page 8: the shadowed edge of a
    # paper lying over a standing name (pen above the letters too; a mark beside the name): a person looks.
    assert classify_strike({**ev, "cover_above": 0.32, "reach": 1.0}) == (UNCLEAR, "partial_strike")
    assert classify_strike({**ev, "beside": 1, "reach": 0.87}) == (UNCLEAR, "partial_strike")
