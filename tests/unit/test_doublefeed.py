"""Double feeds: the coarse pen signature of a page and the same-sheet fingerprint of a reading."""
import cv2
import numpy as np

from kiemphieu.detect.doublefeed import Signature, comparable, same_pen, same_sheet, signature, similarity

H, W = 480, 360        # 40 × 30 signature cells of 12 px; the 4 cells along each edge are left out


def pen(strokes, shift=(0, 0)) -> np.ndarray:
    m = np.zeros((H, W), np.uint8)
    dx, dy = shift
    for (x0, y0), (x1, y1) in strokes:
        cv2.line(m, (x0 + dx, y0 + dy), (x1 + dx, y1 + dy), 1, 2)
    return m


VOTER_A = [((60, 100), (300, 104)), ((60, 200), (300, 190)), ((200, 300), (260, 360))]
VOTER_B = [((60, 140), (300, 150)), ((70, 250), (120, 420)), ((150, 400), (290, 380))]


def test_signature_bits():
    m = np.zeros((H, W), np.uint8)
    m[100:102, 60:120] = 1                  # cells 8 (rows 96..107) × 5..9 (x 60..119)
    m[2:10, 2:300] = 1                      # along the top edge: left out
    s = signature(m)
    assert (s.cells, s.shape, s.centre) == (5, (40, 30), (8, 7))
    assert np.array_equal(np.argwhere(s.array()), [[8, 5], [8, 6], [8, 7], [8, 8], [8, 9]])
    assert signature(np.zeros((H, W), np.uint8)).cells == 0


def test_signature_survives_storage():
    s = signature(pen(VOTER_A))
    t = Signature.from_blob(s.to_blob(), s.cells)
    assert (t.cells, t.shape) == (s.cells, s.shape) and np.array_equal(t.array(), s.array())


def test_same_pen_rescanned_is_similar():
    a = signature(pen(VOTER_A))
    assert similarity(a, a) == 1.0
    b = signature(pen(VOTER_A, shift=(5, -4)))    # the sheet a few px elsewhere on a new scan
    assert similarity(a, b) == 1.0 and same_pen(a, b)


def test_different_pen_is_not_similar():
    a, b = signature(pen(VOTER_A)), signature(pen(VOTER_B))
    assert (a.cells, b.cells) == (57, 62)
    assert similarity(a, b) == 1 / 57          # the strokes cross in one cell
    assert not same_pen(a, b)
    # Most of the same pen, one stroke different: still not a double feed (below 0.95).
    c = signature(pen(VOTER_A[:2] + VOTER_B[2:]))
    assert c.cells == 63 and similarity(a, c) == 48 / 63 and not same_pen(a, c)


def test_only_pages_with_enough_and_about_as_much_ink_are_compared():
    assert comparable(9) is None
    assert comparable(10) == (7, 13)
    assert comparable(100) == (76, 130)


def reading(seal=(300, 120), states=("struck", "standing", "struck"), ends=((3, 150), None, (10, 140))):
    names = []
    for state, e in zip(states, ends):
        x_from, x_to = e if e else (-1, -1)
        names.append({"state": state, "evidence": {"x_from": x_from, "x_to": x_to}})
    ev = {"seal_x": seal[0], "seal_y": seal[1]} if seal else {}
    return {"is_ballot": True, "names": names, "evidence": ev}


def test_same_sheet_by_seal_and_stroke_ends():
    a = reading()
    assert same_sheet(a, reading(seal=(306, 114), ends=((13, 160), None, (0, 130))))   # within 8 px, 10 px
    assert not same_sheet(a, reading(seal=(309, 120)))                                  # seal 9 px away
    assert not same_sheet(a, reading(ends=((14, 150), None, (10, 140))))                # a stroke 11 px away
    assert not same_sheet(a, reading(states=("struck", "struck", "struck"), ends=((3, 150), (0, 99), (10, 140))))
    assert not same_sheet(a, reading(seal=None))
    # One stroke is not enough of a fingerprint: voters who strike the same name look alike.
    one = reading(states=("struck", "standing", "standing"), ends=((3, 150), None, None))
    assert not same_sheet(one, one)


def test_same_sheet_by_marks_in_boxes():
    def marks(box0, box1):
        return {"names": [{"state": "marked", "evidence": {"box0": box0}},
                          {"state": "marked", "evidence": {"box0": box1}}],
                "evidence": {"seal_x": 50, "seal_y": 60}}
    a = marks([2, 3, 18, 17], [1, 1, 19, 20])
    assert same_sheet(a, marks([4, 1, 20, 19], [3, 3, 17, 22]))       # every side within 4 px
    assert not same_sheet(a, marks([7, 3, 18, 17], [1, 1, 19, 20]))   # one side 5 px away
    assert not same_sheet(a, marks([2, 3, 18, 17], []))               # a mark against an empty box
