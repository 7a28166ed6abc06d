"""Judging a capture before reading it (detect/capture.py): blur against the blank's own print, the names'
height in the image, a frame that cuts the sheet, glare over a name, a 1-bit scan set too light."""
import cv2
import numpy as np
import pytest
from test_register import ballot

from kiemphieu.detect import capture as C
from kiemphieu.detect import thresholds as T
from kiemphieu.detect.zones import box_inside
from kiemphieu.records import Box, Code

from synthetic import layout, printed, slot


@pytest.fixture(scope="module")
def blank():
    return ballot(3)


@pytest.mark.parametrize("sigma", [1.0, 2.0, 3.0, 5.0])
def test_added_blur_is_read_back_off_the_blanks_curve(blank, sigma):
    curve = C.blur_curve(blank)
    page = cv2.GaussianBlur(blank, (0, 0), sigma)
    assert C.added_blur_px(curve, C.sharpness(page)) == pytest.approx(sigma, rel=0.25)


def test_a_page_as_sharp_as_the_blank_adds_no_blur(blank):
    curve = C.blur_curve(blank)
    assert C.added_blur_px(curve, C.sharpness(blank)) == 0.0
    noisy = np.clip(blank + np.random.default_rng(0).normal(0, 3, blank.shape), 0, 255).astype(np.uint8)
    assert C.added_blur_px(curve, C.sharpness(noisy)) < 0.3      # sensor noise is not sharpness gained or lost


def test_sharpness_does_not_depend_on_contrast(blank):
    faded = (255 - (255 - blank.astype(np.float32)) * 0.4).astype(np.uint8)
    assert C.sharpness(faded) == pytest.approx(C.sharpness(blank), rel=0.05)


def test_blur_in_text_heights(blank):
    curve = C.blur_curve(blank)
    region = Box(0, 0, blank.shape[1], blank.shape[0])
    page = cv2.GaussianBlur(blank, (0, 0), 4.0)
    assert C.blur_th(curve, page, region, 20) == pytest.approx(4.0 / 20, rel=0.25)


@pytest.mark.parametrize("measures, codes", [
    (C.CaptureMeasures(), []),
    (C.CaptureMeasures(blur_th=T.MAX_BLUR_TH * 0.9, text_height_px=30), []),
    (C.CaptureMeasures(blur_th=T.MAX_BLUR_TH * 1.1, text_height_px=30), [Code.PHOTO_BLURRED]),
    (C.CaptureMeasures(blur_th=0.5, text_height_px=T.MIN_TEXT_HEIGHT_IMAGE_PX - 1), [Code.PHOTO_TOO_SMALL]),
    (C.CaptureMeasures(outside_share=0.0, names_outside=1), [Code.PHOTO_CUT_OFF]),
    (C.CaptureMeasures(outside_share=T.CUT_OFF_MAX_SHARE * 2), [Code.PHOTO_CUT_OFF]),
    (C.CaptureMeasures(outside_share=T.CUT_OFF_MAX_SHARE / 2), []),
    (C.CaptureMeasures(glare_names=("A",)), [Code.PHOTO_GLARE]),
    (C.CaptureMeasures(print_kept=T.MIN_PRINT_KEPT_SHARE - 0.01), [Code.LIGHT_SCAN]),
    (C.CaptureMeasures(print_kept=T.MIN_PRINT_KEPT_SHARE + 0.01), []),
])
def test_doubts_from_measures(measures, codes):
    assert C.doubts(measures) == codes


def test_a_name_outside_the_frame_is_cut_off():
    lay = layout((slot(0, y0=40, x0=40), slot(1, y0=200, x0=40)), width=400, height=300)
    c = 16
    outside = np.zeros((300 // c + 2, 400 // c + 2), bool)
    assert C.cut_off(outside, c, lay) == (0.0, 0)
    outside[200 // c:, :] = True                      # the bottom third of the sheet out of the photo
    share, names = C.cut_off(outside, c, lay)
    assert names == 1 and share > 0.2


def test_glare_washes_out_one_name():
    lay = layout(tuple(slot(i, y0=20 + 50 * i) for i in range(4)), width=200, height=240)
    blank = printed(lay)
    from kiemphieu.detect.ink import ink_map
    page = blank.copy()
    name = lay.slots[2].name
    sl = name.grow(6, 6).slices()
    page[sl] = np.maximum(page[sl], 215)               # the print under the glare: faint grey on white
    bright = np.zeros(page.shape, bool)
    bright[sl] = True
    assert C.glare_names(page, bright, ink_map(blank), lay) == ("N2",)
    assert C.glare_names(blank, bright, ink_map(blank), lay) == ()
    assert C.glare_names(page, np.zeros_like(bright), ink_map(blank), lay) == ()    # faint, but not under glare


def test_one_bit_pages_are_told_from_grey_ones():
    page = np.full((40, 40), 255, np.uint8)
    page[10:20, 10:30] = 0
    assert C.is_bilevel(page)
    page[::4, ::4] = 128
    assert not C.is_bilevel(page)


def test_print_kept_by_a_light_scan():
    printed_ = np.zeros((60, 60), bool)
    printed_[10:50, 20:26] = True                      # a stroke 6 px wide
    page = np.full((60, 60), 255, np.uint8)
    page[10:50, 20:26] = 0
    assert C.print_kept(page, printed_) == 1.0
    page[:] = 255
    page[10:50, 22:25] = 0                             # the light setting kept 3 px of it
    assert C.print_kept(page, printed_) == pytest.approx(0.5)
    page[:] = 255
    page[10:50, 21:27] = 0                             # one px off: the same print
    assert C.print_kept(page, printed_) == 1.0


def _bayer(grey: np.ndarray) -> np.ndarray:
    """``grey`` (uint8) dithered to 0/255 by an 8 x 8 Bayer matrix (an office scanner's ordered dither)."""
    m = np.array([[0, 2], [3, 1]])
    for _ in range(2):
        m = np.block([[4 * m, 4 * m + 2], [4 * m + 3, 4 * m + 1]])
    h, w = grey.shape
    tile = np.tile((m + 0.5) / 64 * 255, (h // 8 + 1, w // 8 + 1))[:h, :w]
    return np.where(grey >= tile, 255, 0).astype(np.uint8)


def test_a_thresholded_page_has_no_grain_at_any_sigma():
    page = np.full((400, 300), 255, np.uint8)
    page[100:110, 50:250] = 0                          # print: black on white paper
    assert C.dither_noise(page, (0.0, 1.0, 2.0)).tolist() == [0.0, 0.0, 0.0]


def test_a_dithered_papers_grain_falls_as_it_is_low_passed():
    page = _bayer(np.full((400, 300), 230, np.uint8))   # paper a tenth dark: one dot in ten
    noise = C.dither_noise(page, (0.0, 1.0, 2.0, 4.0))
    assert noise[0] > 0.25                              # dots: about sqrt(0.1 * 0.9) of white
    assert noise[1] > noise[2] > noise[3]
    assert noise[3] < T.DITHER_MAX_NOISE


@pytest.mark.parametrize("noise, sigma", [
    ((0.0,) * 7, 0.0),                                  # thresholded: read as it is
    ((0.3, 0.1, 0.03, 0.015, 0.01, 0.005, 0.002), 1.0),  # the first at or under DITHER_MAX_NOISE
    ((0.3, 0.2, 0.1, 0.08, 0.06, 0.05, 0.04), 2.0),      # never that smooth: the ladder's last
])
def test_the_grey_sigma_is_the_first_on_the_ladder_smooth_enough(noise, sigma):
    assert T.GREY_LADDER_PX == (0.0, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
    assert C.grey_sigma(np.array(noise)) == sigma


def test_a_dithered_page_greyed_shows_the_grey_it_stands_for():
    grey = np.full((200, 200), 230, np.uint8)
    grey[100:103, 20:180] = 150                         # a crease: a faint line 3 px wide
    bits = _bayer(grey)
    out = C.greyed_page(bits, np.eye(3), 1.0, 0.5, (200, 200))  # 1 template px: 2 px of the page's
    assert float(out[30:70, 30:170].min()) > 250         # the dots are gone: a flat paper, its grain taken off
    assert 170 < float(out[101, 30:170].mean()) < 230    # the crease is a faint line (ink 0.35 over 3 px,
    assert float(out[101, 30:170].std()) < 0.02 * 255    # spread over 2 px each side), not black dots


def _spiky_cells(n_print: int) -> tuple[np.ndarray, np.ndarray]:
    """A 3 x 3 grid of 32 px cells inside a 128 px page's edge band (3 px): in each, 205 of its 1024 px at
    ink 0.05 (grain's spikes: its 90th percentile is 0.05); the first ``n_print`` cells hold print (a block
    at ink 0.8 over a fifth of the cell). Returns (ink float32, paper bool: where the blank holds no print)."""
    ink = np.zeros((128, 128), np.float32)
    paper = np.ones((128, 128), bool)
    for c in range(9):
        y, x = 3 + 32 * (c // 3), 3 + 32 * (c % 3)
        cell = ink[y:y + 32, x:x + 32].reshape(-1)
        cell[::5] = 0.05                                    # 205 spikes
        ink[y:y + 32, x:x + 32] = cell.reshape(32, 32)
        if c < n_print:
            ink[y + 8:y + 14, x:x + 32] = 0.8
            paper[y + 8:y + 14, x:x + 32] = False
    return ink, paper


def test_the_grain_level_is_the_papers_not_the_prints():
    ink, paper = _spiky_cells(5)                            # most cells hold print (a ballot's names)
    assert C.grain_level(ink, paper) == pytest.approx(0.05)
    assert C.grain_level(ink, None) == pytest.approx(0.8)   # every cell: the print's
    assert C.grain_level(*_spiky_cells(0)) == pytest.approx(0.05)
    assert C.grain_level(np.zeros((10, 10), np.float32)) == 0.0   # no cell inside the edge band


# Stress seed 1796203580 (1-bit, Bayer and Floyd-Steinberg): the dots left on a greyed paper are spikes 3-7
# standard deviations high; gated at 2 deviations they stayed as faint traces in empty boxes (6 clear ballots
# flagged "faint").
def test_the_grain_left_on_a_greyed_paper_is_taken_off_and_ink_kept():
    page = np.full((200, 200), 200, np.uint8)
    page[::2, ::2] = 188                                   # the grain: dots on 1 px in 4; the paper's mean 197
    page[100:104, 20:180] = 100                            # a stroke: ink 0.49 of the paper's mean
    page[150:154, 20:180] = 170                            # a faint trace: ink 0.14, over twice the grain
    paper = np.ones_like(page, bool)
    paper[96:108] = paper[146:158] = False                 # where the blank holds print
    grain = C.grain_level(C.paper_ink(page), paper)
    assert grain == pytest.approx(1 - 188 / 197, abs=0.001)   # the dots' ink over the paper's mean
    out = C.grain_gated(page, grain)
    assert float(out[20:80, 20:180].min()) == 255          # the paper: white, every dot gone
    assert abs(float(out[101, 30:170].mean()) - 255 * 100 / 197) < 1   # the stroke: kept as it is
    assert abs(float(out[151, 30:170].mean()) - 255 * 170 / 197) < 1   # the trace too


def test_a_bayer_dithered_paper_greyed_holds_no_trace():
    bits = _bayer(np.full((300, 300), 230, np.uint8))       # paper a tenth dark, 200 dpi read at 155 dpi
    out = C.greyed_page(bits, np.eye(3), 1.25, 0.77, (300, 300), np.zeros((300, 300), np.float32))
    assert 1 - float(out[40:260, 40:260].min()) / 255 < T.BOX_TRACE_INK / 3


def _name(state, why="", **ev):
    from kiemphieu.records import NameReading
    return NameReading(0, "N", state, why, ev)


@pytest.mark.parametrize("name, boxes", [
    (_name("marked", fill0=0.3), [0]),
    (_name("agree", fill0=0.3, fill1=0.01), [0]),            # the second box holds no pen
    (_name("void", "both", fill0=0.3, fill1=0.2), [0, 1]),
    (_name("empty", fill0=0.0), []),
    (_name("void", "neither", fill0=0.0, fill1=0.0), []),
    (_name("unclear", "faint", fill0=0.04), []),
    (_name("struck", cover=1.0, ink=0.2), []),              # a strike ballot's name: no boxes
])
def test_marked_boxes_are_those_holding_pen(name, boxes):
    assert C.marked_boxes(name) == boxes


def _dithered_boxes(greys: list[int], stroke_px: int) -> tuple[np.ndarray, dict]:
    """A Bayer-dithered page (paper 230: dots 6/64) with a row of 24 px boxes at x = 20, 60, 100…, y = 20,
    and in box i a vertical stroke ``stroke_px`` wide of grey ``greys[i]`` through its middle. Returns
    (bits uint8 0/255, {slot index: (box,)})."""
    grey = np.full((64, 40 * len(greys) + 40), 230, np.uint8)
    boxes = {}
    for i, g in enumerate(greys):
        x = 20 + 40 * i
        grey[24:40, x + 12 - stroke_px // 2:x + 12 - stroke_px // 2 + stroke_px] = g
        boxes[i] = (Box(x, 20, x + 24, 44),)
    return _bayer(grey), boxes


def _dots(bits: np.ndarray, boxes: dict, sigma: float, paper: float = 6 / 64) -> C.Dots:
    return C.Dots(bits < 128, np.eye(3), 1.0, sigma, paper, boxes)


def test_a_marks_dots_are_counted_over_the_papers():
    bits, boxes = _dithered_boxes([130], 16)                # the inside (20 px) filled but its sides
    inside = Box(24, 24, 40, 40)                            # 16 px: two Bayer tiles a side, all stroke
    assert C.mark_dots(_dots(bits, boxes, 4.0), inside) == pytest.approx(31 / 64 - 6 / 64)
    assert C.mark_dots(_dots(bits, boxes, 1.0), Box(24, 24, 24, 40)) == 0.0


def test_a_paper_has_the_dots_of_its_grey():
    bits = _bayer(np.full((256, 256), 230, np.uint8))
    density = C.dot_density(bits < 128, np.eye(3), 0.5, (128, 128))   # read at half its resolution
    assert C.paper_dots(density, np.zeros((128, 128), np.float32)) == pytest.approx(6 / 64)


# Stress seed 1796203580 (1-bit, Floyd-Steinberg, a light blue pen at 300 dpi): 13 marks whose dots stood 0.35
# over the paper's read 0.19-0.20 of ink on the page greyed by 2 px (a thin stroke spread paler) and were sent
# to review as faint; their dots are counted as the pen drew them.
def test_a_thin_stroke_is_judged_by_its_dots_not_its_greyed_ink():
    from kiemphieu.records import NameReading, PageReading
    bits, boxes = _dithered_boxes([110, 215], 3)             # a thin dark stroke; a faded one
    names = [NameReading(i, f"N{i}", "marked", "", {"fill0": 0.3}) for i in range(2)]
    dots = _dots(bits, boxes, 2.0)
    thin = C.mark_dots(dots, box_inside(boxes[0][0], 1000, 1000))
    assert thin > T.DITHER_MIN_MARK_DOTS
    greyed = cv2.GaussianBlur(bits.astype(np.float32) / 255, (0, 0), 2.0)
    assert 1 - greyed[24:40, 31].mean() - 6 / 64 < T.DITHER_MIN_MARK_DOTS   # its ink greyed: under it
    r = C.judged(PageReading(is_ballot=True, names=names), C.Seen(bilevel=True, grey_px=2.0, dots=dots))
    assert [(n.state, n.why) for n in r.names] == [("marked", ""), ("unclear", "faint")]
    assert r.evidence["capture_faint_dots"] == 1.0 and r.names[1].evidence["dots"] < 0.2


def test_a_faint_box_mark_on_a_thresholded_or_grey_page_is_left_to_the_reader():
    from kiemphieu.records import PageReading
    bits, boxes = _dithered_boxes([215], 3)
    for seen in (C.Seen(bilevel=True, grey_px=0.0, dots=_dots(bits, boxes, 0.0, 0.0)), C.Seen()):
        reading = PageReading(is_ballot=True, names=[_name("marked", fill0=0.3)])
        assert C.judged(reading, seen).names[0].state == "marked"


def test_the_largest_piece_share():
    b = np.zeros((10, 10), np.uint8)
    assert C.largest_piece_share(b) == 1.0
    b[2, 2:8] = 1                                           # a stroke of 6 px
    assert C.largest_piece_share(b) == 1.0
    b[5, 1] = b[7, 7] = b[8, 3] = 1                         # and three specks
    assert C.largest_piece_share(b) == pytest.approx(6 / 9)
    b[3, 8] = 1                                             # touching the stroke's end diagonally
    assert C.largest_piece_share(b) == pytest.approx(7 / 10)


# Stress seed 1796203580 (1-bit, thresholded at 167, pencil): every cross the threshold left was specks (its
# largest piece 0.26-0.37 of its black) and one voter's cross was wholly gone: that box was read empty and
# the ballot counted without the vote.
def test_a_thresholded_page_whose_marks_are_broken_is_a_light_scan():
    from kiemphieu.records import NameReading, PageReading
    bits = np.full((64, 120), 255, np.uint8)
    bits[24:40, 31:33] = 0                                  # box 0: a solid stroke
    for y in range(24, 40, 4):
        bits[y:y + 2, 71:73] = 0                            # box 1: the same stroke in four specks
    boxes = {0: (Box(20, 20, 44, 44),), 1: (Box(60, 20, 84, 44),), 2: (Box(100, 20, 120, 44),)}
    dots = _dots(bits, boxes, 0.0, 0.0)

    def read(*states):
        names = [NameReading(i, f"N{i}", s, "", {"fill0": 0.3 if s == "marked" else 0.0})
                 for i, s in enumerate(states)]
        return C.judged(PageReading(is_ballot=True, names=names), C.Seen(bilevel=True, dots=dots))
    r = read("marked", "marked", "empty")
    assert r.doubt == [Code.LIGHT_SCAN] and r.evidence["capture_broken_marks"] == 1.0
    assert read("marked", "empty", "empty").doubt == []
    assert C.broken_marks(read("marked", "marked", "empty").names, dots) == [1]


# A 1-bit page read with no voter's mark at all (stress seed 1796190175: yes/no ballots in pencil, a faint
# blue or purple pen, thresholded at 124-154 grey: every cross erased, the print kept whole, every row read
# void and the ballot counted with no votes): nothing shows that the pen survived the threshold.
def _reading(*states_whys):
    from kiemphieu.records import NameReading, PageReading
    names = [NameReading(i, f"N{i}", s, w, {}) for i, (s, w) in enumerate(states_whys)]
    return PageReading(is_ballot=True, names=names)


@pytest.mark.parametrize("states, seen", [
    ((("void", "neither"), ("void", "neither")), 0),
    ((("void", "both"), ("void", "neither")), 1),
    ((("agree", ""), ("disagree", ""), ("void", "neither")), 2),
    ((("empty", ""), ("empty", "")), 0),
    ((("marked", ""), ("empty", "")), 1),
    ((("standing", ""), ("standing", "")), 0),
    ((("struck", ""), ("standing", ""), ("unclear", "faint")), 2),
])
def test_marks_seen_counts_names_with_a_voters_mark(states, seen):
    assert C.marks_seen(_reading(*states).names) == seen


def test_a_bilevel_page_with_no_mark_at_all_is_a_light_scan():
    r = C.judged(_reading(("void", "neither"), ("void", "neither")), C.Seen(bilevel=True))
    assert r.doubt == [Code.LIGHT_SCAN] and r.evidence["capture_marks_seen"] == 0.0


def test_a_bilevel_page_with_one_mark_read_is_not_doubted():
    r = C.judged(_reading(("agree", ""), ("void", "neither")), C.Seen(bilevel=True))
    assert r.doubt == []


def test_a_grey_page_with_no_mark_at_all_is_not_doubted():
    r = C.judged(_reading(("void", "neither"), ("void", "neither")), C.Seen())
    assert r.doubt == []


def test_a_bilevel_light_scan_is_not_doubted_twice():
    seen = C.Seen(bilevel=True, doubts=[Code.LIGHT_SCAN], evidence={"capture_print_kept": 0.8})
    r = C.judged(_reading(("empty", ""),), seen)
    assert r.doubt == [Code.LIGHT_SCAN] and r.evidence["capture_print_kept"] == 0.8


@pytest.mark.parametrize("sheet_print,blur_th,code", [
    (T.SHEET_MIN_PRINT_RATIO, T.MAX_BLUR_TH * 1.01, Code.PHOTO_BLURRED),     # a ballot too blurred to match
    (T.SHEET_MIN_PRINT_RATIO, T.MAX_BLUR_TH, Code.PHOTO_UNMATCHED),          # sharp, printed, not matched
    (T.SHEET_MIN_PRINT_RATIO * 0.99, T.MAX_BLUR_TH * 2, None),               # no print like the blank's
])
def test_a_printed_sheet_that_matched_nothing_goes_to_a_person(sheet_print, blur_th, code):
    assert C.unmatched_doubt(sheet_print, blur_th) == code


def _photo_on_table(page: np.ndarray, at: np.ndarray, frame: tuple[int, int]) -> np.ndarray:
    """``page`` seen in perspective, its corners (tl, tr, br, bl) at ``at`` (image px), on a dark table."""
    h, w = page.shape
    A = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), np.float32(at))
    photo = np.full((frame[1], frame[0]), 90, np.uint8)
    sheet = cv2.warpPerspective(np.full_like(page, 255), A, frame, flags=cv2.INTER_NEAREST) > 0
    photo[sheet] = cv2.warpPerspective(page, A, frame, flags=cv2.INTER_LINEAR)[sheet]
    return photo


@pytest.mark.parametrize("where, printed_sheet, code, why", [
    ("print", True, Code.PHOTO_UNMATCHED, ""),     # the blank's print placed it (no outline): a person looks
    ("print", False, None, ""),                    # an empty sheet there: no ballot, for the register's reason
    (None, True, None, "no_sheet"),                # nothing placed a sheet: no ballot in the photo
])
def test_a_sheet_placed_by_the_print_that_registered_nothing_goes_to_a_person(blank, where, printed_sheet, code, why):
    """A sheet the blank's print placed (``sheet.located_by_print``: a camera's quadrilateral, not an
    outline's rectangle) but that registered nothing is judged as an outlined one: printed, it goes to
    review (``photo_unmatched``), never ``no_sheet`` as the stress photos of seed 61442 were."""
    from kiemphieu.detect.register import Registration, make_target
    at = np.float64([[300, 200], [820, 250], [860, 1000], [260, 960]])
    page = blank if printed_sheet else np.full_like(blank, 250)
    photo = _photo_on_table(page, at, (1200, 1300))
    share = cv2.contourArea(at.astype(np.float32)) / photo.size
    reg = Registration(False, "no_match", camera_tried=True, sheet_box=at if where else None,
                       sheet_share=share if where else 0.0)
    seen = C.look(make_target(blank), layout((slot(),), width=blank.shape[1], height=blank.shape[0]),
                  np.zeros_like(blank), photo, reg, None)
    assert seen.doubts == ([code] if code else []) and seen.not_ballot_why == why
