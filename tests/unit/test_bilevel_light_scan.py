"""A light scan is what a threshold did to the voter's pen, not what a box's edge or a dither did
(detect/capture.py ``largest_piece_share``, ``pen_unproven``).

Stress seeds 1796270213 (count 0 page 25, threshold 152) and 1796264519 (count 2 page 14, threshold 156):
blue ticks whose point lay on the box's lower rule were cut by the inside's edge into two arms, the
largest 0.31-0.38 of the black, and the ballots went to review as light scans, every mark whole.
Seed 1796264519 count 6 page 15 (Bayer dither): an overvote with no name struck went to review as a
light scan, though a dither keeps a faint mark as a cloud of dots.
"""
import numpy as np
import pytest

from kiemphieu.detect import capture as C
from kiemphieu.records import Code, NameReading, PageReading


def test_a_tick_cut_by_the_insides_edge_is_one_mark():
    b = np.zeros((12, 12), np.uint8)
    for k in range(5):
        b[7 + k, 2 + k] = 1                                 # the short arm, down to the lower edge
    for k in range(10):
        b[11 - k, 8 + k // 3] = 1                           # the long arm, from the lower edge up
    assert C.largest_piece_share(b) == 1.0
    b[11, :] = 0                                            # the point lifted off the edge: two arms apart
    assert C.largest_piece_share(b) < 0.7


def test_specks_inside_stay_broken():
    b = np.zeros((12, 12), np.uint8)
    b[11, 2:6] = 1                                          # a stroke from the edge (4 px) ...
    b[4, 4] = b[6, 6] = b[8, 8] = b[4, 8] = 1               # ... and four specks inside
    assert C.largest_piece_share(b) == pytest.approx(4 / 8)
    b[0, 9] = 1                                             # a speck on the edge joins the stroke
    assert C.largest_piece_share(b) == pytest.approx(5 / 9)


def _reading(*states_whys):
    names = [NameReading(i, f"N{i}", s, w, {}) for i, (s, w) in enumerate(states_whys)]
    return PageReading(is_ballot=True, names=names)


@pytest.mark.parametrize("grey_px, doubt", [(0.0, [Code.LIGHT_SCAN]), (1.25, [])])
def test_no_mark_at_all_is_a_light_scan_only_when_thresholded(grey_px, doubt):
    r = C.judged(_reading(("standing", ""), ("standing", "")), C.Seen(bilevel=True, grey_px=grey_px))
    assert r.doubt == doubt


# Stress seed 1796219808 count 8 page 11 (Otsu): a sticky note over three names came out as white as the
# paper and hid their print whole; the names' pooled missing print (0.09) raised no doubt and the ballot
# was counted.
def test_a_name_whose_print_a_thresholded_page_lost_is_hidden():
    from kiemphieu.detect.ink import ink_map

    from synthetic import layout, printed, slot
    lay = layout(tuple(slot(i, y0=20 + 50 * i) for i in range(4)), width=200, height=240)
    blank = printed(lay)
    page = np.where(blank < 128, 0, 255).astype(np.uint8)
    ink = ink_map(blank)
    kept = C.print_kept(page, ink > 0.5)
    assert C.hidden_names(page, ink, lay, kept) == ()
    page[lay.slots[2].name.grow(3, 3).slices()] = 255     # a white note over N2
    assert C.hidden_names(page, ink, lay, C.print_kept(page, ink > 0.5)) == ("N2",)
    assert C.doubts(C.CaptureMeasures(hidden_names=("N2",))) == [Code.OBSTRUCTION]
