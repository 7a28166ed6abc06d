"""Ink outside the names: writing, a stray mark, a blot, or not the voter's."""
import dataclasses

from kiemphieu.detect.writing import OutsideInk, classify_outside

# A pen scribble one text height long, on the page, not a ghost of print and not filled.
SCRIBBLE = OutsideInk(side_th=1.0, ignored=0.0, off_page=False, at_edge=False, near_seal=False,
                      residue=False, solid=False)


def ink(**kw) -> OutsideInk:
    return dataclasses.replace(SCRIBBLE, **kw)


def test_writing_by_size():
    assert classify_outside(ink(side_th=0.8)) == "writing"
    assert classify_outside(ink(side_th=0.79)) == "stray"
    assert classify_outside(ink(side_th=0.35)) == "stray"
    assert classify_outside(ink(side_th=0.34, residue=None, solid=None)) == ""


def test_writing_near_the_seal_goes_to_a_person():
    assert classify_outside(ink(near_seal=True)) == "stray"


def test_blot_is_a_stray_mark_unless_at_the_page_edge():
    assert classify_outside(ink(side_th=3.0, solid=True)) == "stray"
    assert classify_outside(ink(side_th=3.0, solid=True, at_edge=True)) == ""


def test_not_the_voters_ink():
    assert classify_outside(ink(residue=True, solid=None)) == ""          # a ghost of print
    assert classify_outside(ink(ignored=0.6, residue=None, solid=None)) == ""   # in the seal zone or edges
    assert classify_outside(ink(ignored=0.59)) == "writing"
    assert classify_outside(ink(off_page=True, residue=None, solid=None)) == ""  # the paper's edge
