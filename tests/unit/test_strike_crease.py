"""A faint trace through a name that is a crease across the page (``strike.runs_on``): a fold along a row,
faint and broken where print crosses it, that the page's own line search missed, runs on far beyond both
ends of the name; a voter's faint stroke ends near it.

Scanner seed 1796269041 counts 1 and 19 (folds "letter" and "half" along a baseline, 0.02-0.04 ink at a
slope of 0.005): clear ballots went to review as "faint".

The name is 100 px wide at (100, 20) on a page 400 px wide, its letters' bodies rows 25-35 (x-height 10,
text height 20): a trace is looked for from 20 to 80 px beyond each end (x 20-80 and 220-280).
"""
import numpy as np

from kiemphieu.detect.strike import faint_trace, runs_on

from synthetic import TH, slot

H, W = 100, 400
NONE = np.zeros((H, W), np.uint8)


def page(line_cols, y=30, ink=0.04, slope=0.0):
    """Added ink of a 1 px line on the given [x0, x1) column runs, and print hiding the name's row but for
    the columns 130-170 (where the line is seen on the name)."""
    add = np.zeros((H, W), np.float32)
    for x0, x1 in line_cols:
        xs = np.arange(x0, x1)
        add[np.rint(y + slope * (xs - 150)).astype(int), xs] = ink
    hidden = np.zeros((H, W), bool)
    hidden[22:38, 80:130] = hidden[22:38, 170:220] = True
    return add, hidden


def test_crease_running_on_both_sides_is_no_trace():
    s = slot(x0=100)
    add, hidden = page([(0, W)])                       # across the page; seen on the name from 130 to 170
    assert faint_trace(s, add, hidden, NONE, TH) == 0.0
    assert runs_on(s, add, hidden, NONE, 0.0, 30.0, TH, 0.025)


def test_slanted_crease_is_followed_along_its_course():
    s = slot(x0=100)
    add, hidden = page([(0, W)], slope=0.02)           # 8 px lower at the right end of the page than the left
    assert faint_trace(s, add, hidden, NONE, TH) == 0.0
    assert runs_on(s, add, hidden, NONE, 0.02, 29.0, TH, 0.025)      # its row at the name's left edge: 29
    assert not runs_on(s, add, hidden, NONE, -0.02, 29.0, TH, 0.025)  # the other way it leaves the line


def test_crease_seen_briefly_on_the_name_is_followed_at_its_own_slope():
    # Scanner seed 1796269041 count 3 page 0: a fold at a slope of 0.014 seen on the name over a few px only;
    # followed level from there it left its course beyond the name: "faint" on a clear ballot.
    s = slot(x0=100)
    add, hidden = page([(0, W)], slope=0.025)           # seen on the name from 140 to 150 only ...
    hidden[22:38, 130:140] = hidden[22:38, 150:170] = True   # ... (print hides the rest of it there)
    assert faint_trace(s, add, hidden, NONE, TH) == 0.0
    assert not runs_on(s, add, hidden, NONE, 0.0, 30.0, TH, 0.025)       # level, it is lost beyond the name


def test_voters_faint_dash_is_a_trace():
    s = slot(x0=100)
    add, hidden = page([(130, 170)])                  # on the name only
    assert faint_trace(s, add, hidden, NONE, TH) == 4.0
    add, hidden = page([(0, 170)])                    # ... or running on to one side only
    assert faint_trace(s, add, hidden, NONE, TH) == 4.0
    add, hidden = page([(110, 240)])                  # ... or overshooting the name by 20-40 px
    assert faint_trace(s, add, hidden, NONE, TH) == 4.0


def test_pen_beside_the_name_is_no_crease():
    s = slot(x0=100)
    add, hidden = page([(0, W)])
    pen = np.zeros((H, W), np.uint8)
    pen[26:34, 0:90] = 1                               # pen over the line on the left: not seen there
    assert not runs_on(s, add, hidden, pen, 0.0, 30.0, TH, 0.025)


def test_page_edge_near_the_name_cannot_tell():
    s = slot(x0=20)                                   # 0-20 px left of it: nothing to follow the line on
    add = np.zeros((H, W), np.float32)
    add[30, :] = 0.04
    assert not runs_on(s, add, np.zeros((H, W), bool), NONE, 0.0, 30.0, TH, 0.025)


def test_runs_on_many_courses_at_once():
    s = slot(x0=100)
    add, hidden = page([(0, W)], slope=0.02)
    got = runs_on(s, add, hidden, NONE, np.array([-0.02, 0.0, 0.02]), np.array([29.0, 34.0, 29.0]), TH, 0.025)
    assert got.tolist() == [False, False, True]
