"""The seal found by what it is: a thin closed ring with paper on both sides, anywhere on the page."""
import cv2
import numpy as np
import pytest

from kiemphieu.detect import thresholds as T
from kiemphieu.detect.seal import (
    Ring,
    classify_ring,
    find_page_seal,
    find_seal,
    fit_circle,
    fit_circle_robust,
    on_arcs,
    outermost,
    ring_evidence,
    seal_radius_range,
    seal_state,
)
from kiemphieu.records import Box

H, W = 1000, 700       # long side 1000: a seal's radius is 40 … 100 px


def ring_ink(cx=350, cy=300, r=60, width=3, ink=0.6, start=0, end=360, shape=(H, W)) -> np.ndarray:
    """Added ink (float32) holding one ring (an arc from ``start`` to ``end`` degrees)."""
    out = np.zeros(shape, np.float32)
    cv2.ellipse(out, (cx, cy), (r, r), 0, start, end, ink, width)
    return out


def seal_grey(cx=350, cy=300, r=60, page=None) -> np.ndarray:
    """A grey page (uint8) with a stamp: an outer ring, lettering (short arcs) inside it and a star-like blob."""
    page = np.full((H, W), 245, np.uint8) if page is None else page
    cv2.circle(page, (cx, cy), r, 60, 3)
    for a in range(0, 330, 15):   # "letters": short thick strokes along a circle 0.8 r out
        t = np.radians(a)
        x, y = cx + 0.8 * r * np.cos(t), cy + 0.8 * r * np.sin(t)
        cv2.line(page, (int(x - 3), int(y - 3)), (int(x + 3), int(y + 3)), 60, 2)
    cv2.circle(page, (cx, cy), int(0.25 * r), 60, -1)
    return page


# --- one circle's evidence --------------------------------------------------------------------------

def test_a_drawn_ring_is_carried_all_round():
    ring = ring_evidence(ring_ink(), 350, 300, 60)
    assert (ring.cover, ring.visible) == (1.0, 1.0)
    assert classify_ring(ring) == "seal"


def test_a_circle_beside_the_ring_is_not_carried():
    assert ring_evidence(ring_ink(), 350, 300, 45).cover == 0.0
    assert ring_evidence(ring_ink(), 350, 300, 75).cover == 0.0


def test_half_a_ring_off_the_page_is_judged_on_what_is_on_it():
    ink = ring_ink(cx=0, cy=300)
    ring = ring_evidence(ink, 0, 300, 60)
    assert ring.visible == 0.5 and ring.cover == 1.0     # 90 of 180 angles on the page, all carried


def test_under_print_the_ring_is_not_judged_and_runs_on():
    ink = ring_ink()
    unseen = np.zeros((H, W), bool)
    unseen[280:320] = True                                # a line of print across the ring: its two crossings
    ring = ring_evidence(ink, 350, 300, 60, unseen)
    assert ring.cover == 1.0 and ring.visible < 1.0


def test_text_crossed_by_a_circle_is_no_ring():
    ink = np.zeros((H, W), np.float32)
    for y in range(200, 400, 12):                         # lines of "letters": short strokes 3 px apart
        for x in range(250, 450, 5):
            ink[y:y + 8, x:x + 2] = 0.8
    assert ring_evidence(ink, 350, 300, 60).cover == 0.0


def test_a_square_touching_the_circle_is_no_ring():
    ink = np.zeros((H, W), np.float32)
    cv2.rectangle(ink, (290, 240), (410, 360), 0.8, 2)    # a box whose sides touch the circle (r = 60)
    assert classify_ring(ring_evidence(ink, 350, 300, 60)) == ""


def test_on_arcs_keeps_only_runs_of_one_line():
    n = 20
    visible = np.ones(n, bool)
    thin = np.zeros(n, bool)
    thin[2:12] = True                    # one arc of 10 angles ...
    thin[15] = True                      # ... and a lone angle
    at = np.zeros(n)
    need = int(np.ceil(T.RING_MIN_ARC_RADII * n / (2 * np.pi)))   # links an arc needs (1 here)
    assert need == 1
    assert np.flatnonzero(on_arcs(thin, at, visible)).tolist() == list(range(2, 12))
    at[7:] = 5                           # the line jumps 5 px at angle 7: two arcs, both kept
    assert np.flatnonzero(on_arcs(thin, at, visible)).tolist() == list(range(2, 12))
    at[7:] = 0
    at[np.arange(2, 12, 2)] = 5          # a line jumping at every step is no arc
    assert not on_arcs(thin, at, visible).any()


def test_on_arcs_bridges_angles_hidden_under_print():
    n = 60
    thin = np.zeros(n, bool)
    thin[10:20] = True
    visible = np.ones(n, bool)
    visible[13:16] = False               # three angles under a letter
    thin[13:16] = False
    out = on_arcs(thin, np.zeros(n), visible)
    assert np.flatnonzero(out).tolist() == [10, 11, 12, 16, 17, 18, 19]


def test_fit_circle_exact_and_robust():
    t = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    x, y = 100 + 30 * np.cos(t), 80 + 30 * np.sin(t)
    assert np.allclose(fit_circle(x, y), (100, 80, 30))
    x2, y2 = x.copy(), y.copy()
    x2[:6] += 15                         # six points on lettering beside the ring
    assert not np.allclose(fit_circle(x2, y2), (100, 80, 30), atol=0.5)
    assert np.allclose(fit_circle_robust(x2, y2), (100, 80, 30), atol=1e-6)
    assert fit_circle(x[:2], y[:2]) is None


# --- verdicts ---------------------------------------------------------------------------------------

def test_classify_ring_bounds():
    def ring(cover, visible=1.0):
        return Ring(0, 0, 50, cover, visible)
    assert [classify_ring(ring(c)) for c in (0.29, 0.3, 0.44, 0.45)] == ["", "doubt", "doubt", "seal"]
    assert classify_ring(ring(1.0, visible=0.29)) == ""          # too little of it on the page to judge
    assert classify_ring(None) == ""
    assert [seal_state(ring(c)) for c in (0.0, 0.3, 0.45)] == ["absent", "unclear", "present"]


def test_radius_range_is_the_blank_seals_or_the_page_sizes():
    assert seal_radius_range(1000, 60.0) == pytest.approx((48.0, 72.0))
    assert seal_radius_range(1000, None) == pytest.approx((40.0, 100.0))


# --- the blank's seal ---------------------------------------------------------------------------------

def test_the_blanks_seal_is_found_with_its_centre_and_radius():
    box = find_seal(seal_grey())
    assert box is not None
    assert abs((box.x0 + box.x1) / 2 - 350) <= 2 and abs((box.y0 + box.y1) / 2 - 300) <= 2
    assert abs(box.w / 2 - 60) <= 2


def test_the_blanks_seal_partly_off_the_page_keeps_its_size():
    box = find_seal(seal_grey(cx=30, cy=120))
    assert box is not None and box.x0 < 0                  # the box reaches off the page
    assert abs(box.w / 2 - 60) <= 2


def test_the_blanks_seal_over_header_text_is_found_not_the_text():
    page = np.full((H, W), 245, np.uint8)
    for y in (150, 180, 210):                              # three lines of bold "header text"
        for x in range(200, 650, 9):
            cv2.rectangle(page, (x, y), (x + 5, y + 16), 30, -1)
    page = seal_grey(cx=300, cy=200, page=page)
    box = find_seal(page)
    assert box is not None
    assert abs((box.x0 + box.x1) / 2 - 300) <= 3 and abs((box.y0 + box.y1) / 2 - 200) <= 3


def test_no_ring_no_seal():
    assert find_seal(np.full((H, W), 245, np.uint8)) is None
    page = np.full((H, W), 245, np.uint8)
    for y in range(100, 400, 30):                          # text only
        for x in range(100, 600, 9):
            cv2.rectangle(page, (x, y), (x + 5, y + 16), 30, -1)
    assert find_seal(page) is None


# --- a ballot's seal ------------------------------------------------------------------------------------

BLANK_SEAL = Box(290, 240, 410, 360)      # radius 60


def test_the_seal_is_found_wherever_the_hand_put_it():
    for cx, cy in ((350, 300), (120, 820), (600, 150)):
        ring = find_page_seal(ring_ink(cx=cx, cy=cy), np.zeros((H, W), bool), BLANK_SEAL)
        assert ring is not None and classify_ring(ring) == "seal"
        assert abs(ring.cx - cx) <= 2 and abs(ring.cy - cy) <= 2 and abs(ring.r - 60) <= 2


def test_a_seal_partly_off_the_page_is_found():
    ring = find_page_seal(ring_ink(cx=20, cy=30), np.zeros((H, W), bool), BLANK_SEAL)
    assert ring is not None and classify_ring(ring) == "seal"
    assert abs(ring.cx - 20) <= 2 and abs(ring.cy - 30) <= 2


def test_a_faint_seal_is_found():
    ring = find_page_seal(ring_ink(ink=0.12), np.zeros((H, W), bool), BLANK_SEAL)
    assert classify_ring(ring) == "seal"


def test_the_same_stamp_pressed_larger_is_this_counts_seal():
    # An impression 12 % larger than the blank's (ink spread, a harder press): found and sure, not left for
    # pieces of its ring to be taken for stray marks (public mark-box set: 7 clear ballots flagged so).
    ring = find_page_seal(ring_ink(r=67), np.zeros((H, W), bool), BLANK_SEAL)
    assert classify_ring(ring) == "seal" and abs(ring.r - 67) <= 2


def test_another_stamp_size_is_not_this_counts_seal():
    ring = find_page_seal(ring_ink(r=90), np.zeros((H, W), bool), BLANK_SEAL)
    assert classify_ring(ring) == ""


def test_without_a_seal_on_the_blank_the_page_size_bounds_the_search():
    ring = find_page_seal(ring_ink(r=70), np.zeros((H, W), bool), None)
    assert classify_ring(ring) == "seal" and abs(ring.r - 70) <= 2


def test_a_blank_page_has_no_seal():
    assert classify_ring(find_page_seal(np.zeros((H, W), np.float32), np.zeros((H, W), bool), BLANK_SEAL)) == ""


def test_an_outer_ring_crossing_text_around_a_sure_ring_is_the_seals_edge():
    # Stress seed 1796188270 (count 3, a state ballot): the blank's seal, its outer ring over the header's text,
    # carried 0.44 of it; the blank's seal was taken for its inner ring (85.7 px) and no ballot's seal
    # (134 px, its outer ring) was this count's stamp: pieces of every seal were stray marks (13 of 25 flags).
    ink = ring_ink(r=60) + ring_ink(r=90, start=0, end=150)          # outer ring seen over 150 of 360 degrees
    inner = Ring(350.0, 300.0, 60.0, 1.0, 1.0)
    assert outermost(ink, inner, 200.0, 0.45, None).r == 60.0       # as a seal alone it is not sure ...
    ring = outermost(ink, inner, 200.0, T.OUTER_RING_COVER_SHARE, None)
    assert abs(ring.r - 90) <= 2 and 0.38 <= ring.cover <= 0.45      # ... around a sure ring it is its edge
