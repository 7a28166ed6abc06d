"""Ink outside the names: writing (only on positive evidence of handwriting), a stray mark, a paper lying
on the ballot, or not the voter's."""
import dataclasses

import cv2
import numpy as np
import pytest

from kiemphieu.detect.pen import Blob
from kiemphieu.detect.writing import (
    OutsideInk,
    along_line,
    classify_outside,
    crease_pieces,
    flat_lines,
    looks_handwritten,
    ruled_share,
    stroke_shape,
)
from kiemphieu.records import Box

# Handwriting: strokes 4 text heights long in all, a letter tall, winding like letters, off the print.
HAND = OutsideInk(side_th=2.0, short_th=1.0, ignored=0.0, off_page=False, at_edge=False, near_seal=False,
                  residue=False, solid=False, on_print=0.0, length_th=4.0, height_th=1.0, winding=2.0, ruled=0.3)


def ink(**kw) -> OutsideInk:
    return dataclasses.replace(HAND, **kw)


def test_writing_needs_every_mark_of_handwriting():
    assert classify_outside(HAND) == "writing"
    assert classify_outside(ink(length_th=2.99)) == "stray"     # too little: a letter or two
    assert classify_outside(ink(height_th=0.39)) == "stray"  # flat: a stroke, an underline
    assert classify_outside(ink(height_th=3.01)) == "stray"  # taller than a line of letters: a drawing, a paper's edge
    assert classify_outside(ink(winding=1.79)) == "stray"       # straight: one stroke, a dotted line
    assert classify_outside(ink(on_print=0.41)) == "stray"      # following the print: a ghost of it
    assert classify_outside(ink(ruled=0.76)) == "stray"         # level and upright runs: a ghost of a table's corner
    assert looks_handwritten(ink(length_th=3.0, height_th=0.4, winding=1.8, on_print=0.4, ruled=0.75))


def test_writing_by_the_seal_or_the_edge_goes_to_a_person():
    assert classify_outside(ink(near_seal=True)) == "stray"
    assert classify_outside(ink(at_edge=True)) == "stray"


def test_small_marks_are_stray_and_specks_nothing():
    assert classify_outside(ink(side_th=0.35, length_th=0.5, winding=1.0)) == "stray"
    assert classify_outside(ink(side_th=0.34, residue=None, solid=None)) == ""


def test_filled_areas():
    assert classify_outside(ink(side_th=1.5, short_th=1.0, solid=True)) == "stray"              # a blot
    assert classify_outside(ink(side_th=3.0, short_th=0.5, solid=True, at_edge=True)) == ""     # the scanner bed
    assert classify_outside(ink(side_th=9.0, short_th=2.0, solid=True, at_edge=True)) == "obstruction"  # a note


def test_not_the_voters_ink():
    assert classify_outside(ink(residue=True, solid=None)) == ""                          # a ghost of print
    assert classify_outside(ink(ignored=0.6, residue=None, solid=None)) == ""             # on the seal or the edges
    assert classify_outside(ink(ignored=0.59)) == "writing"
    assert classify_outside(ink(off_page=True, residue=None, solid=None)) == ""           # the paper's edge
    assert classify_outside(ink(on_crease=True, length_th=1.5, height_th=0.1, winding=1.0)) == ""   # a crease's piece
    assert classify_outside(ink(on_crease=True)) == "writing"                             # writing across a crease


def test_stroke_shape_of_a_stroke_dots_and_letters():
    th = 20
    stroke = np.zeros((40, 80), np.uint8)
    stroke[10:13, 10:40] = 1                       # 30 x 3 px: outline 62 px, half of it 31 px
    assert stroke_shape(stroke, th) == (31 / 20, 3 / 20, 31 / 30)
    dots = np.zeros((40, 80), np.uint8)
    for x in range(10, 70, 8):                     # 8 dots of 3 x 3 px: outlines 8 px each
        dots[20:23, x:x + 3] = 1
    assert stroke_shape(dots, th) == (32 / 20, 3 / 20, 32 / 59)
    # Written letters: five "n"s of 2 px strokes (two stems a text height tall, an arch across their
    # tops), drawn pixel by pixel (cv2.putText's glyphs change between OpenCV releases: 5.0 → 5.1).
    word = np.zeros((40, 120), np.uint8)
    for x in range(5, 105, 20):
        word[10:30, x:x + 2] = 1
        word[10:30, x + 10:x + 12] = 1
        word[10:12, x:x + 12] = 1
    length, height, winding = stroke_shape(word, th)
    assert height == 1.0
    assert length == pytest.approx(11.8536, abs=1e-4)      # 5 × 47.4 px of stroke: outlines with their corners
    assert winding == pytest.approx(2.5769, abs=1e-4)      # over the 97 px the word spans
    assert stroke_shape(np.zeros((5, 5), np.uint8), th) == (0.0, 0.0, 0.0)


def test_ruled_share_tells_rules_from_letters():
    th = 20
    corner = np.zeros((60, 60), np.uint8)
    corner[10:12, 5:55] = 1                        # a rule and an upright, each longer than a text height
    corner[10:55, 30:32] = 1
    assert ruled_share(corner, th) == 1.0
    word = np.zeros((60, 120), np.uint8)
    cv2.putText(word, "Nam", (5, 40), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 1, 2)
    assert ruled_share(word, th) < 0.05              # only the N's stems, 21 px tall
    assert ruled_share(np.zeros((5, 5), np.uint8), th) == 0.0


def test_flat_pieces_across_the_page_are_a_crease():
    th = 20
    pieces = [Blob(Box(x, 300, x + 40, 302), 80, i) for i, x in enumerate((50, 300, 550))]
    assert flat_lines(pieces, th, (1000, 700)) == [Box(0, 300, 700, 302)]
    assert flat_lines(pieces[:1], th, (1000, 700)) == []                 # one piece: not a line
    assert flat_lines(pieces[:2], th, (1000, 700)) == []                 # 290 px: under 45 % of the width
    tall = [Blob(Box(x, 300, x + 40, 310), 400, i) for i, x in enumerate((50, 300, 550))]
    assert flat_lines(tall, th, (1000, 700)) == []                       # 10 px thick: strokes, not a crease


def test_a_crease_along_a_row_leaves_pieces_beside_the_name():
    # A fold along a name's baseline (public state-dejavu): print hides it over the name, the pen keeps a
    # piece each side, 307 and 531 px of a page 1236 wide (each under 45 %), the right one touching the
    # name's box by 2 px. Together they are a crease, not a mark beside the name.
    th, shape = 20, (1000, 700)
    name = Box(100, 90, 300, 110)
    left, right = Blob(Box(10, 100, 95, 102), 170, 1), Blob(Box(298, 100, 690, 102), 784, 2)
    lines, pieces = crease_pieces([left, right], [name], th, shape)
    assert lines == [Box(0, 100, 700, 102)] and pieces == [left, right]
    strike = Blob(Box(95, 100, 310, 102), 430, 3)        # through the name's letters: read there, never a piece
    assert crease_pieces([strike, right], [name], th, shape) == ([], [])
    into = Blob(Box(290, 100, 690, 102), 800, 4)         # 10 px into the name (over 0.25 th): not a piece
    assert crease_pieces([left, into], [name], th, shape) == ([], [])
    thick = Blob(Box(298, 95, 690, 105), 3920, 5)        # 10 px thick: strokes, not a crease
    assert crease_pieces([left, thick], [name], th, shape) == ([], [])


def test_along_a_crease():
    crease = [Box(0, 100, 700, 101)]               # a horizontal crease across the page
    th = 20
    assert along_line(Box(50, 96, 90, 99), crease, th)             # flat, 2 px off it
    assert not along_line(Box(50, 80, 90, 99), crease, th)         # 19 px tall: not a piece of a line
    assert not along_line(Box(50, 120, 90, 122), crease, th)       # 19 px away
    assert not along_line(Box(98, 60, 101, 140), crease, th)       # across it, not along it


def test_short_strokes_side_by_side_on_a_crease_are_not_a_piece_of_it():
    """A "!!" written across a rule's ghost (stress seed 1796235555 count 2 page 9): its box is flat and wide
    enough to lie "along" the line, its strokes are not (each runs 14 px of the box's 15 across the line)."""
    crease = [Box(0, 100, 700, 101)]
    th = 20
    box = Box(50, 88, 70, 103)                                  # 20 wide, 15 tall: flat by its box
    assert along_line(box, crease, th)                          # by the box alone: a piece of the crease
    bangs = np.zeros((box.h, box.w), bool)
    bangs[0:14, 2:5] = True                                     # two strokes 14 px tall, 3 wide, 9 px apart
    bangs[0:14, 12:15] = True
    assert not along_line(box, crease, th, bangs)
    remnant = np.zeros((box.h, box.w), bool)
    remnant[11:14, :] = True                                    # a 3 px thick remnant along it: still a piece
    assert along_line(box, crease, th, remnant)
