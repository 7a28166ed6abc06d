"""Writing too light for the pen (``PEN_MIN_INK``) outside the names, seen against the page's own noise
(``pen.faint_ink``, ``pen.paper_noise``, ``writing.faint_groups``) and judged by ``is_faint_writing``:
review, never invalid on that evidence alone."""
import dataclasses
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiemphieu.detect import thresholds as T
from kiemphieu.detect.pen import faint_ink, paper_noise, stroke_ink
from kiemphieu.detect.writing import FaintInk, faint_groups, faint_level, is_faint_writing
from kiemphieu.records import Box

DATA = Path(__file__).parent.parent / "data" / "writing"

# Light writing: two strokes of letter height standing 10 times out of the page's noise.
NOTE = FaintInk(box=Box(0, 0, 10, 10), score=10.0, ink=0.06, noise=0.006, pieces=2, length_th=1.5, height_th=0.8,
                short_th=0.7, winding=2.0, ruled=0.3, on_print=0.0, solid=False)


def faint(**kw) -> FaintInk:
    return dataclasses.replace(NOTE, **kw)


def test_faint_ink_is_a_stroke_over_its_surroundings():
    add = np.zeros((40, 40), np.float32)
    add[10:30, 20] = 0.3                                   # an upright stroke 1 px wide
    lift = faint_ink(add, 20)                              # square of 3 px, surroundings of 21 px
    assert lift[20, 20] == pytest.approx(0.1 - 0.3 * 20 / 441, abs=1e-6)   # a third of its ink, less the mean around
    assert lift[20, 25] == 0.0                             # paper beside it: darker around than here
    flat = np.full((40, 40), 0.08, np.float32)             # a shade, a tinted paper: no stroke
    assert faint_ink(flat, 20).max() == pytest.approx(0.0, abs=1e-6)


def test_paper_noise_is_the_median_of_the_cells_most_ink():
    ink = np.zeros((8, 12), np.float32)
    ink[1, 1], ink[2, 5], ink[0, 9] = 0.01, 0.02, 0.5      # three cells of 4 px: 0.01, 0.02, 0.5 (a note)
    ink[5, 1], ink[5, 5], ink[5, 9] = 0.01, 0.01, 0.02
    paper = np.ones((8, 12), bool)
    assert paper_noise(ink, paper, 4) == pytest.approx(0.015)   # median of (0.01, 0.02, 0.5, 0.01, 0.01, 0.02)
    paper[:4, 8:] = False                                    # the note's cell lies on print: left out
    assert paper_noise(ink, paper, 4) == pytest.approx(0.01)
    assert paper_noise(ink, np.zeros((8, 12), bool), 4) == 0.0


def test_the_trace_level_follows_the_page_noise():
    assert faint_level(0.0) == T.FAINT_PEN_MIN_INK
    assert faint_level(0.02) == pytest.approx(T.FAINT_WRITING_NOISE_RATIO * 0.02)


def test_faint_writing_needs_strokes_of_letter_size_out_of_the_noise():
    assert is_faint_writing(NOTE)
    assert not is_faint_writing(faint(score=T.FAINT_WRITING_NOISE_RATIO - 0.1))   # within the page's noise
    assert not is_faint_writing(faint(ink=T.FAINT_PEN_MIN_INK - 0.001))          # lighter than any stroke
    assert not is_faint_writing(faint(pieces=1))                 # one stroke: a scratch, a hair, a streak's piece
    assert not is_faint_writing(faint(length_th=0.9))           # too little: a dot or two
    assert not is_faint_writing(faint(height_th=0.3))           # flat: a crease's piece, a rule's ghost
    assert not is_faint_writing(faint(height_th=3.1))           # taller than a line of letters: a fold, a shadow
    assert not is_faint_writing(faint(short_th=0.3))            # narrow: pieces of a line one above the other
    assert not is_faint_writing(faint(on_print=0.5))            # following the print: its ghost
    assert not is_faint_writing(faint(ruled=0.8))               # rules and box edges
    assert not is_faint_writing(faint(solid=True))              # a patch: shading, a blot


def test_a_light_pencil_note_the_pen_missed_is_faint_writing():
    """Stress seed 1796266333 count 6 page 9 (250 dpi, pencil): a note "!!" below the names, added ink 0.28
    but 0.096 along x (``stroke_ink``), under PEN_MIN_INK: no pen, the ballot counted valid. Template px
    around it (text height 31)."""
    d = np.load(DATA / "faint_note_pencil_250dpi.npz")
    add, th = d["add"].astype(np.float32), int(d["text_h"])
    assert stroke_ink(add, np.zeros(add.shape, bool), th).max() < T.PEN_MIN_INK     # what the pen saw: nothing
    f = T.FAINT_REDUCTION_RATIO
    small = cv2.resize(add, (add.shape[1] // f, add.shape[0] // f), interpolation=cv2.INTER_AREA)
    found = faint_groups(small, np.ones(small.shape, bool), np.zeros(small.shape, bool), th / f)
    notes = [e for e in found if is_faint_writing(e)]
    assert len(notes) == 1
    b = notes[0].box
    assert (b.x0 * f, b.y0 * f) == pytest.approx((90, 60), abs=4) and b.h * f == pytest.approx(26, abs=4)
    assert notes[0].pieces == 2
    # The same strokes at half their ink on a page ten times as noisy: within its noise, nothing.
    rng = np.random.default_rng(0)
    noisy = np.clip(small / 2 + rng.normal(0, 0.03, small.shape).astype(np.float32), 0, None)
    assert not [e for e in faint_groups(noisy, np.ones(small.shape, bool), np.zeros(small.shape, bool), th / f)
                if is_faint_writing(e)]


def test_light_writing_is_looked_for_off_the_rows_boxes_seal_edges_and_pen():
    from kiemphieu.detect.blank import prepare_blank
    from kiemphieu.detect.writing import faint_search_area

    from synthetic import layout, pen_of, printed, slot

    box = Box(300, 20, 320, 40)
    lay = layout((slot(0, y0=20, boxes=(box,)),), kind="mark")
    ref = prepare_blank(printed(lay), lay)
    mask = np.zeros((300, 400), np.uint8)
    mask[200:203, 100:140] = 1                               # a pen stroke
    pen = pen_of(mask)
    near = np.zeros((300, 400), bool)
    near[250:, 300:] = True                                  # around a seal
    area = faint_search_area(ref, pen, ref.ignore, near, 2)   # the page reduced twice: (150, 200)
    assert area.shape == (150, 200)
    assert not area[10:25, 0:70].any()                       # the name's row: (0, 10)-(140, 50) in page px
    assert not area[5:25, 145:165].any() and area[30, 165]   # the box and its ring: (290, 10)-(330, 50)
    assert not area[:, :3].any() and not area[:3].any()      # the page's edges
    assert not area[125:, 150:].any()                        # around the seal
    assert not area[100, 50:70].any()                        # the pen, and within GAP_BRIDGE_TH of it
    assert area[100, 40] and area[60, 100] and area[30, 120]  # paper: beside the pen, between the rows and boxes
