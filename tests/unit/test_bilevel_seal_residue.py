"""What a threshold leaves of a colourless seal on a 1-bit page is not a stray mark (detect/capture.py,
``seal_residue``), and a dithered page's print says nothing of a light scan (``bilevel_print_kept``).

Found on 1-bit stress seeds 1796270213 and 1796264519: a red or purple seal thresholded at 135-190 grey
(luma or green) keeps a few specks and pieces of its ring in the header, too few for its ring to be found
(cover 0-0.18) or found only seal-like (0.36-0.45); 14 + 14 clear ballots went to review as a stray mark.
"""
import cv2
import numpy as np
import pytest

from kiemphieu.detect import capture as C
from kiemphieu.detect import thresholds as T
from kiemphieu.records import Box, NameReading, PageReading

TH = 20                  # text height, template px
TOP = 200                # the names' rows start here: the header lies above


def _seen(grey_px: float = 0.0, bilevel: bool = True) -> C.Seen:
    dots = C.Dots(np.zeros((4, 4), bool), np.eye(3), 1.0, grey_px, 0.0, {}) if bilevel else None
    return C.Seen(bilevel=bilevel, grey_px=grey_px, dots=dots, text_height=TH, names_top=TOP)


def _reading(pen: np.ndarray, strays: list[Box], **evidence) -> PageReading:
    r = PageReading(is_ballot=True, names=[NameReading(0, "N0", "standing", "", {})],
                    evidence={"seal_cover": 0.0, **evidence})
    r.stray_marks = list(strays)
    r.pen = pen
    return r


def _speck(pen: np.ndarray, x: int, y: int, w: int = 9, h: int = 8) -> Box:
    pen[y:y + h, x:x + w] = 1
    return Box(x, y, x + w, y + h)


def _arc(pen: np.ndarray, cx: int, cy: int, r: int, a0: float, a1: float) -> Box:
    cv2.ellipse(pen, (cx, cy), (r, r), 0, a0, a1, 1, 2)
    ys, xs = np.nonzero(pen[max(0, cy - r - 2):cy + r + 3, max(0, cx - r - 2):cx + r + 3])
    return Box(int(xs.min()) + max(0, cx - r - 2), int(ys.min()) + max(0, cy - r - 2),
               int(xs.max()) + max(0, cx - r - 2) + 1, int(ys.max()) + max(0, cy - r - 2) + 1)


def _letters(pen: np.ndarray, x: int, y: int) -> Box:
    """Three loops and a tail, a word's worth of winding strokes 1 text height tall, 4 wide."""
    for k in range(3):
        cv2.ellipse(pen, (x + 10 + 22 * k, y + 10), (9, 9), 0, 0, 360, 1, 2)
    cv2.line(pen, (x + 64, y), (x + 76, y + 20), 1, 2)
    return Box(x, y - 1, x + 78, y + 22)


def test_specks_and_an_arc_in_the_header_of_a_thresholded_page_are_the_seals():
    pen = np.zeros((400, 600), np.uint8)
    strays = [_speck(pen, 40, 30), _arc(pen, 300, 120, 70, 200, 250)]
    r = C.judged(_reading(pen, strays), _seen())
    assert r.stray_marks == [] and r.evidence["capture_seal_residue"] == 2.0


def test_letters_in_the_header_stay_a_stray_mark():
    pen = np.zeros((400, 600), np.uint8)
    word = _letters(pen, 100, 60)
    speck = _speck(pen, 400, 40)
    r = C.judged(_reading(pen, [word, speck]), _seen())
    assert r.stray_marks == [word]


def test_a_mark_among_the_names_stays_a_stray_mark():
    pen = np.zeros((400, 600), np.uint8)
    speck = _speck(pen, 40, TOP + 30)
    assert C.judged(_reading(pen, [speck]), _seen()).stray_marks == [speck]


def test_the_header_is_no_seals_place_once_a_sure_seal_is_found_elsewhere():
    pen = np.zeros((400, 600), np.uint8)
    speck = _speck(pen, 40, 30)
    r = _reading(pen, [speck], seal_cover=T.SEAL_RING_COVER_SHARE + 0.1, seal_x=500, seal_y=330, seal_r=50)
    assert C.judged(r, _seen()).stray_marks == [speck]


@pytest.mark.parametrize("seen", [_seen(grey_px=1.25), _seen(bilevel=False), C.Seen()])
def test_a_dithered_or_grey_page_keeps_its_stray_marks(seen):
    pen = np.zeros((400, 600), np.uint8)
    speck = _speck(pen, 40, 30)
    seen.names_top, seen.text_height = TOP, TH
    assert C.judged(_reading(pen, [speck]), seen).stray_marks == [speck]


def test_letters_on_a_seal_like_ring_of_a_thresholded_page_are_the_seals_lettering():
    pen = np.zeros((400, 600), np.uint8)
    word = _letters(pen, 250, 100)                     # inside a ring of radius 80 round (300, 110)
    seal = {"seal_cover": T.SEAL_DOUBT_COVER_SHARE + 0.05, "seal_x": 300, "seal_y": 110, "seal_r": 80}
    assert C.judged(_reading(pen, [word], **seal), _seen()).stray_marks == []
    far = {**seal, "seal_x": 300 + 3 * 80}               # the same ring, far from the word: letters stay
    assert C.judged(_reading(pen, [word], **far), _seen()).stray_marks == [word]
    weak = {**seal, "seal_cover": T.SEAL_DOUBT_COVER_SHARE - 0.05}   # no seal-like ring: letters stay
    assert C.judged(_reading(pen, [word], **weak), _seen()).stray_marks == [word]


def test_in_seal_place():
    ev = {"seal_cover": 0.2}
    assert C.in_seal_place(Box(0, 10, 30, TOP), ev, TOP)
    assert not C.in_seal_place(Box(0, 10, 30, TOP + 1), ev, TOP)
    ring = {"seal_cover": 0.35, "seal_x": 100, "seal_y": 400, "seal_r": 50}
    r = int(50 * T.SEAL_NEAR_RADII)
    assert C.in_seal_place(Box(100, 400, 100 + r - 10, 401), ring, TOP)      # below the header, round the ring
    assert not C.in_seal_place(Box(100, 400, 100 + r + 5, 401), ring, TOP)


# A dithered page's print comes and goes with its dots: a Bayer page of stress seed 1796270213 kept 0.85 of
# the blank's print, every mark there, and went to review as a light scan.
def test_a_dithered_pages_print_is_not_measured_for_a_light_scan():
    blank_ink = np.zeros((40, 40), np.float32)
    blank_ink[10:30, 18:24] = 1.0
    page = np.full((40, 40), 255, np.uint8)
    page[10:30, 20:22] = 0                              # a third of the print's width kept
    assert C.bilevel_print_kept(page, blank_ink, 0.0) == pytest.approx(1 / 3)
    assert C.bilevel_print_kept(page, blank_ink, 1.25) is None
    assert C.doubts(C.CaptureMeasures(print_kept=None)) == []
