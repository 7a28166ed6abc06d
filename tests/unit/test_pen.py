"""The pen: stroke ink, the pen mask without specks, strokes grouped into blobs, creases erased."""
import cv2
import numpy as np
import pytest

from kiemphieu.detect.blank import contrast_gain, prepare_blank
from kiemphieu.detect.ink import ink_map
from kiemphieu.detect.pen import (
    RaisedTo,
    blank_as_printed,
    blobs,
    faint_ridges,
    find_pen,
    is_solid,
    join_strokes,
    line_groups,
    on_pixels,
    pen_mask,
    pen_rows,
    remove_line_artifacts,
    row_bands,
    stroke_ink,
    trace_noise,
)
from kiemphieu.detect.zones import name_zone

from synthetic import TH, layout, slot

# With TH = 20: ink is averaged over 7 px along x (0.3 th, odd); pen is stroke ink ≥ 0.10; specks are
# blobs under 8 px (0.02 th²).


def test_stroke_ink_averages_along_x():
    add = np.zeros((5, 60), np.float32)
    add[2, 10:50] = 0.3                       # a faint stroke
    add[4, 55] = 0.7                          # one noisy pixel
    s = stroke_ink(add, np.zeros(add.shape, bool), TH)
    assert np.allclose(s[2, 13:47], 0.3)
    assert np.isclose(s[2, 9], 0.3 * 3 / 7)   # the window holds 3 of the stroke's pixels
    assert np.isclose(s[4, 55], 0.1)          # 0.7 / 7: noise is spread thin


def test_stroke_ink_leaves_out_what_print_hides():
    add = np.zeros((3, 40), np.float32)
    add[1, 5:35] = 0.3
    hidden = np.zeros(add.shape, bool)
    hidden[1, 15:18] = True                    # three pixels under print: not paper, not counted
    add[1, 15:18] = 0.0
    s = stroke_ink(add, hidden, TH)
    assert np.allclose(s[1, 8:32], 0.3)
    hidden[1, 20:26] = True                    # a window that sees only one pixel: no stroke ink
    assert stroke_ink(add, hidden, TH)[1, 23] == 0.0


def test_pen_mask_keeps_strokes_and_drops_specks():
    add = np.zeros((20, 80), np.float32)
    add[5, 10:50] = 0.3                        # stroke: pen from x = 9 to 50 (windows with ≥ 3 of its px)
    add[15, 70] = 0.8                          # speck: 7 px of stroke ink ≥ 0.1, under 8 px
    mask, smooth = pen_mask(add, np.zeros(add.shape, bool), TH)
    assert mask.dtype == np.uint8
    assert np.array_equal(np.flatnonzero(mask[5]), np.arange(9, 51))
    assert mask.sum() == 42
    assert smooth[15, 70] >= 0.10              # it was ink, and was removed as a speck


def test_blobs_join_pieces_a_letter_apart():
    th = 25                                    # pieces up to 15 px (0.6 th) apart join
    mask = np.zeros((60, 160), np.uint8)
    mask[20, 20:50] = 1
    mask[20, 60:100] = 1                       # 10 px gap: one stroke
    mask[40, 20:40] = 1
    mask[40, 60:80] = 1                        # 20 px gap: two strokes
    lab, found = blobs(mask, th)
    boxes = sorted((b.box.as_list(), b.area) for b in found)
    assert boxes == [([20, 20, 100, 21], 70), ([20, 40, 40, 41], 20), ([60, 40, 80, 41], 20)]
    assert len({int(lab[20, 20]), int(lab[20, 99])}) == 1


def test_blobs_label_every_pen_pixel_at_an_even_joining_width():
    # 0.6 th = 12 px at th 20: joined with an odd 13 px closing, not shifted by a pixel.
    mask = np.zeros((60, 160), np.uint8)
    mask[20, 20:60] = 1
    lab, found = blobs(mask, TH)
    assert [(b.box.as_list(), b.area) for b in found] == [([20, 20, 60, 21], 40)]
    assert (lab[20, 20:60] > 0).all()


def test_blobs_near_the_border_are_not_stretched_to_it():
    mask = np.zeros((60, 160), np.uint8)
    mask[1, 3:30] = 1                          # 3 px from the left edge, 1 px from the top
    mask[30:40, 157] = 1                       # 2 px from the right edge
    lab, found = blobs(mask, TH)
    assert sorted(b.box.as_list() for b in found) == [[3, 1, 30, 2], [157, 30, 158, 40]]
    assert lab[1, 0:3].sum() == 0 and lab[0, 3:30].sum() == 0 and lab[30:40, 158:].sum() == 0


def test_a_stroke_broken_into_dots_is_a_stroke_lone_dots_are_specks():
    add = np.zeros((40, 200), np.float32)
    for x in range(10, 130, 14):               # dots 14 px apart: each 7 px of pen (0.9 / 7 ≥ 0.10), under 8 px
        add[10, x] = 0.9
    add[30, 60] = 0.9                          # one such dot alone
    mask, _ = pen_mask(add, np.zeros(add.shape, bool), TH)
    assert mask[10].sum() == 9 * 7             # kept: the dots join into one stroke (gaps of 7 px)
    assert mask[25:35].sum() == 0              # erased: a speck


def test_on_pixels_are_the_flat_indices_in_raster_order():
    mask = np.zeros((4, 5), np.uint8)
    mask[0, 4] = mask[2, 1] = mask[2, 3] = mask[3, 0] = 1
    assert on_pixels(mask).tolist() == [4, 11, 13, 15]
    assert on_pixels(np.zeros((4, 5), np.uint8)).size == 0


def _reference_blobs(mask, th):
    """Blobs as measured per component over the whole page (statistics of every label): what ``blobs``
    measures on the pen's own pixels must equal it."""
    n, lab, stats = join_strokes(mask, th)
    out = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        own = (lab[y:y + bh, x:x + bw] == i) & (mask[y:y + bh, x:x + bw] > 0)
        if own.any():
            ys, xs = np.nonzero(own)
            out.append(([int(x + xs.min()), int(y + ys.min()), int(x + xs.max()) + 1, int(y + ys.max()) + 1],
                        int(own.sum()), i))
    return lab, out


def test_blobs_measured_on_the_pen_s_pixels_equal_the_per_component_ones():
    rng = np.random.default_rng(5)
    for _ in range(20):
        mask = (rng.random((40, 70)) < 0.03).astype(np.uint8)
        mask[rng.integers(0, 40), 5:60] = 1                  # a stroke among the specks
        lab, found = blobs(mask, TH)
        ref_lab, ref = _reference_blobs(mask, TH)
        assert np.array_equal(lab, ref_lab)
        assert [(b.box.as_list(), b.area, b.label) for b in found] == ref


def _reference_pen_mask(add, hidden, th):
    """The pen mask with specks erased component by component, from whole-page statistics."""
    from kiemphieu.detect import thresholds as T
    smooth = stroke_ink(add, hidden, th)
    mask = (smooth >= T.PEN_MIN_INK).astype(np.uint8)
    speck = T.SPECK_MAX_AREA_TH2 * th * th
    n, lab, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_32S)
    _, joined, jstats = join_strokes(mask, th)
    clear = cv2.dilate(hidden.astype(np.uint8), np.ones((3, 3), np.uint8)) == 0
    out = mask.copy()
    for i in range(1, n):
        if stats[i, cv2.CC_STAT_AREA] >= speck:
            continue
        piece = lab == i
        stroke = joined[piece][0]
        if jstats[stroke, cv2.CC_STAT_AREA] >= speck and (piece & clear).any():
            continue
        out[piece] = 0
    return out, smooth


def test_pen_mask_equals_the_per_component_one():
    rng = np.random.default_rng(7)
    for _ in range(20):
        add = (rng.random((40, 90)) < 0.02).astype(np.float32) * np.float32(0.9)   # dots: specks alone
        add[10, 10:80:9] = 0.9                   # dots 9 px apart: one stroke
        add[25, 20:70] = 0.3                     # a stroke
        hidden = np.zeros(add.shape, bool)
        hidden[30:33, 30:60] = True              # print
        add[hidden] = 0
        mask, smooth = pen_mask(add, hidden, TH)
        ref_mask, ref_smooth = _reference_pen_mask(add, hidden, TH)
        assert np.array_equal(mask, ref_mask) and np.array_equal(smooth, ref_smooth)
        assert mask[25, 30:60].all() and mask.sum() < ref_smooth.size


def test_row_bands_are_the_runs_of_rows_joined_across_short_gaps():
    rows = np.zeros(30, bool)
    rows[[0, 1, 2, 5, 6, 20, 29]] = True
    assert row_bands(rows, 1) == [(0, 3), (5, 7), (20, 21), (29, 30)]
    assert row_bands(rows, 3) == [(0, 7), (20, 21), (29, 30)]     # 2 rows apart: joined
    assert row_bands(rows, 100) == [(0, 30)]
    assert row_bands(np.zeros(4, bool)) == []


def test_pen_rows_are_the_rows_with_seen_ink_of_pen_darkness():
    add = np.zeros((6, 20), np.float32)
    add[1, 3] = 0.1                      # pen darkness: the row can hold pen
    add[2, 3] = 0.09                     # lighter: it cannot
    add[4, 8] = 0.5                      # dark, but under print
    hidden = np.zeros(add.shape, bool)
    hidden[4, 8] = True
    assert pen_rows(add, hidden).tolist() == [False, True, False, False, False, False]


def test_the_pen_mask_averaged_on_pen_rows_equals_the_one_averaged_over_the_page():
    # Stroke ink made only on the rows that can hold pen: the same mask as stroke ink made everywhere,
    # and the same stroke ink wherever it is pen.
    rng = np.random.default_rng(3)
    for _ in range(10):
        add = (rng.random((50, 80)) * 0.095).astype(np.float32)     # paper noise, under pen darkness
        add[12, 10:60] = 0.3                                       # a stroke
        add[30:33, 40] = np.float32(0.1)                            # pixels just at pen darkness
        add[40, rng.integers(0, 80)] = 0.9                         # a speck
        hidden = rng.random(add.shape) < 0.05
        mask, smooth = pen_mask(add, hidden, TH)
        ref_mask, ref_smooth = _reference_pen_mask(add, hidden, TH)
        rows = pen_rows(add, hidden)
        assert np.array_equal(mask, ref_mask) and mask[12].sum() > 40
        made = smooth.any(axis=1)             # the pen rows, and rows between them joined into one band
        assert np.array_equal(smooth[rows], ref_smooth[rows]) and np.array_equal(smooth[made], ref_smooth[made])
        assert (made >= rows).all() and not made[:12].any()
        assert (ref_smooth[~rows] < 0.1).all() and ref_smooth[:12].max() > 0


def test_raised_to_makes_each_array_when_first_read():
    base = {1: np.float32([[0.2, 0.0]]), 2: np.float32([[0.5, 0.1]])}
    raised = RaisedTo(base, np.float32([[0.3, 0.05]]))
    assert raised._made == {}
    assert raised[1].tolist() == [[np.float32(0.3), np.float32(0.05)]] and list(raised._made) == [1]
    assert raised[2].tolist() == [[np.float32(0.5), np.float32(0.1)]]
    assert sorted(raised) == [1, 2] and len(raised) == 2 and raised[1] is raised[1]


def test_filled_area_is_solid_a_stroke_is_not():
    th = 25                                    # eroded by 9 × 9 (0.35 th): strokes vanish
    mask = np.zeros((100, 160), np.uint8)
    mask[20:40, 20:40] = 1                     # a 20 × 20 blot: a 12 × 12 core survives, over 0.2 of it
    cv2.line(mask, (60, 80), (140, 30), 1, 2)  # a 2 px pen stroke
    lab, found = blobs(mask, th)
    assert [is_solid(mask, lab, b, th) for b in sorted(found, key=lambda b: b.box.x0)] == [True, False]


def test_crease_across_the_page_is_erased_but_the_pen_on_it_stays():
    h, w = 300, 600
    add = np.zeros((h, w), np.float32)
    add[100, :] = 0.06                         # a faint fold across the whole page
    add[95:106, 300] = 0.5                     # a pen stroke crossing it
    add[200, 100:160] = 0.5                    # a short pen stroke elsewhere
    mask = (add >= 0.04).astype(np.uint8)
    lines = remove_line_artifacts(mask, add, TH)
    assert len(lines) == 1
    assert lines[0].x0 == 0 and lines[0].x1 == w and lines[0].y0 in range(98, 103) and lines[0].h <= 3
    assert mask[100, :].sum() == 1 and mask[100, 300] == 1
    assert mask[95:106, 300].sum() == 11 and mask[200, 100:160].sum() == 60


def test_short_strokes_are_not_creases():
    add = np.zeros((300, 600), np.float32)
    add[100, 100:300] = 0.06                   # a third of the page wide: under 0.45 of it
    mask = (add >= 0.04).astype(np.uint8)
    assert remove_line_artifacts(mask, add, TH) == []
    assert mask.sum() == 200


def test_a_streak_of_a_skewed_scan_is_found_and_a_steeper_line_is_not():
    # Stress seed 1796187669 (count 2, page 3): dirty glass draws a vertical streak in the scanner's frame; on a
    # page scanned 2.4 degrees off it runs 76 px across over 1728 px down (rise over run 0.044). Its slope was
    # compared with 0.06 of the shortest line (0.45 of the page): taken for a slanted line, left in the pen,
    # and read in every row's yes/no cell as a faint mark.
    h, w = 800, 400
    for top, bottom in ((200, 235), (235, 200)):        # leaning either way (Hough gives the ends in either order;
        add = np.zeros((h, w), np.float32)              # one way the line was extended to x = -130000)
        cv2.line(add, (top, 0), (bottom, h - 1), 0.06, 1)   # rise over run 35 / 800 = 0.044
        mask = (add >= 0.04).astype(np.uint8)
        lines = remove_line_artifacts(mask, add, TH)
        assert len(lines) == 1 and lines[0].y0 == 0 and lines[0].y1 == h
        assert 195 <= lines[0].x0 <= lines[0].x1 <= 240
        assert mask.sum() == 0
    add = np.zeros((h, w), np.float32)
    cv2.line(add, (150, 0), (250, h - 1), 0.06, 1)      # 100 / 800 = 0.125: a slanted stroke, not a streak
    mask = (add >= 0.04).astype(np.uint8)
    assert remove_line_artifacts(mask, add, TH) == [] and mask.sum() > 0


def test_pieces_of_one_line_are_one_line_when_they_cover_enough_of_the_page():
    # Stress seed 1796187669 (count 2, page 5): a streak's trace broke where it was faint, no piece 0.45 of the
    # page long; its pieces together cover 0.9 of it.
    shape, length, near = (1000, 400), 450.0, 10.0          # a page 1000 px tall: lines of 450 px at least
    segs = np.array([[200, 0, 202, 300], [203, 350, 205, 700], [206, 990, 205, 720]], np.float64)
    (at, k), = line_groups(segs, False, shape, length, near)
    assert abs(at - 202.8) < 1.5 and abs(k - 0.006) < 0.003      # x at the middle row, dx/dy
    assert line_groups(segs[:1], False, shape, length, near) == []              # 300 px: too short alone
    apart = segs.copy()
    apart[1] += [30, 0, 30, 0]                                  # 30 px to the side: another line, and ...
    assert line_groups(apart, False, shape, 600.0, near) == []  # ... the other two cover 570 px, not 600
    steep = np.array([[100, 0, 160, 500], [160, 500, 220, 999]], np.float64)   # 0.12: a slanted stroke
    assert line_groups(steep, False, shape, length, near) == []
    assert line_groups(segs, True, shape, 180.0, near) == []    # none runs along x



def test_trace_noise_is_the_other_names_ridges_without_pen():
    # Stress seed 1796191009 (count 34, page 6: 4 names, 2 struck in pencil): the page's noise taken over every
    # name held the faint stroke judged and the pencil strikes' light edges (0.03 ink): the faint stroke, 0.03
    # ink, was under 2 × that and counted as standing.
    slots = (slot(0, y0=20), slot(1, y0=60), slot(2, y0=100))
    add = np.zeros((140, 160), np.float32)
    hidden = np.zeros((140, 160), bool)
    mask = np.zeros((140, 160), np.uint8)
    add[30, 40:70] = 0.06                       # a faint line on name 0
    noise = trace_noise(slots, add, hidden, mask, TH)
    assert noise[0] == 0.0                      # its own line is not its noise ...
    assert noise[1] == noise[2] == pytest.approx(0.015)  # ... the others': the quarter point of 0 and 0.06
    mask[70, 30:110] = 1                        # name 1 struck, light ink around its pen
    add[70, 20:120] = 0.05
    noise = trace_noise(slots, add, hidden, mask, TH)
    assert noise[0] == 0.0                      # names with pen left out while a name without is there
    assert noise[2] == pytest.approx(0.06)
    assert trace_noise(slots[:1], add, hidden, mask, TH) == {0: 0.0}   # a name alone: no noise measured


def test_a_blurred_page_s_print_is_no_pen_a_strike_on_it_is():
    # Stress seed 1796202918 count 13 page 5 (175 dpi colour JPEG): the page's print blurrier than the blank's
    # left a halo around every letter, 0.17-0.19 ink over the whole name, and three standing names read struck.
    lay = layout((slot(0, y0=60, x0=60, width=160), slot(1, y0=120, x0=60, width=160)))
    frame = np.full((lay.height, lay.width), 255, np.uint8)
    for s in lay.slots:                                      # letters' stems, 2 px wide, 12 px apart
        for x in range(s.name.x0 + 2, s.name.x1 - 3, 12):
            frame[s.core_y0:s.core_y1, x:x + 2] = 0
    ref = prepare_blank(frame, lay)
    frame[129:131, 50:230] = 0                               # name 1 struck, name 0 standing
    page = cv2.GaussianBlur(frame, (0, 0), 2.0)              # the blank's print blurred by 2 px
    page_ink = ink_map(page)
    page_ink = np.minimum(page_ink * contrast_gain(ref, page_ink), 1.0)
    pen = find_pen(ref, page_ink)
    zone = [name_zone(s, TH) for s in lay.slots]
    assert not pen.mask[zone[0].slices()].any()               # standing: no pen on it
    assert pen.mask[130, 60:220].mean() > 0.6                 # struck: the strike is pen along the name


def test_a_light_line_in_a_letter_s_counter_is_seen_against_the_paper_near_it():
    # Stress seed 1796205754 count 3 page 11 (250 dpi, a condensed serif face): a faint purple line through
    # "Hồng" showed only in the letters' counters, where print lies 0.3 x-heights above and below it: it was
    # never seen, and the name counted standing.
    s = slot(0, y0=20, x0=20, width=100)           # x-height 10: paper looked at 3 px off, or 2 px near print
    add = np.zeros((60, 140), np.float32)
    hidden = np.zeros((60, 140), bool)
    hidden[25:28, 40:52] = hidden[33:36, 40:52] = True   # an "o": its counter rows 28-32
    hidden[25:36, 40:42] = hidden[25:36, 50:52] = True
    add[30, 20:120] = 0.04                          # a light line through the name at row 30
    contrast, seen = faint_ridges(s, add, hidden)
    # the window: rows 25-35, columns 0-140 (the name's row); row 30 is its 5th
    assert seen[5, 45] and contrast[5, 45] == pytest.approx(0.04)     # in the counter, against the paper near
    assert seen[5, 30] and contrast[5, 30] == pytest.approx(0.04)     # on open paper, against the paper far
    assert not seen[5, 40]                                            # under print: not seen
    lines = np.zeros((60, 140), np.uint8)
    lines[32, :] = 1                                # a crease's strip 2 px below the line
    contrast, seen = faint_ridges(s, add, hidden, lines)
    assert not seen[5, 45]                          # the paper near is on the crease: not seen
    assert seen[5, 30]                              # the paper far is not


def test_the_blank_blurred_once_per_count_reads_the_next_page_alike():
    # The blank blurred to a page's print blur is kept for the next page blurred as much (pen.blank_as_printed):
    # the first page's contrast scale must not stay in it.
    lay = layout((slot(0, y0=60, x0=60, width=160), slot(1, y0=120, x0=60, width=160)))
    frame = np.full((lay.height, lay.width), 255, np.uint8)
    for s in lay.slots:
        for x in range(s.name.x0 + 2, s.name.x1 - 3, 12):
            frame[s.core_y0:s.core_y1, x:x + 2] = 0
    dark = ink_map(cv2.GaussianBlur(frame, (0, 0), 2.0))
    light = dark * np.float32(0.8)
    fresh = [blank_as_printed(prepare_blank(frame, lay), p) for p in (dark, light)]
    ref = prepare_blank(frame, lay)
    kept = [blank_as_printed(ref, p) for p in (dark, light, dark)]
    assert fresh[0][0].max() > ref.spread_page.max() * 0.5 and not np.array_equal(fresh[0][0], ref.spread_page)
    for got, want in zip(kept, fresh + fresh[:1]):
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
        assert all(np.array_equal(got[2][r], want[2][r]) for r in want[2])
