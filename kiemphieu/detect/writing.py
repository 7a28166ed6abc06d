"""Ink outside the names: writing added to the ballot, a stray mark, or nothing to judge.

A blob of pen ink that belongs to no name is measured by ``outside_evidence`` and judged by
``classify_outside``: "writing" (the ballot is invalid unless a person says otherwise), "stray" (a
mark a person must see: review), "obstruction" (the edge of a paper lying on the ballot: review) or ""
(not the voter's: the seal, the page's edge, print, specks).

Taking the ballot's validity away needs positive evidence of handwriting (``looks_handwritten``):
strokes of letter size — as tall as the print's letters — that wind like letters do (a stroke length
several times the blob's extent) and run for a few letters, away from the seal and the page's
edges. Anything less — a speck, one straight stroke, a dotted line, the edge of a paper lying on the
ballot, a piece of a seal — is at most a stray mark for a person to look at.
"""
from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from ..records import Box
from . import thresholds as T
from .blank import BlankRef
from .pen import Blob, Pen, is_print_residue, is_solid


@dataclasses.dataclass(frozen=True)
class OutsideInk:
    """Measures of one blob of pen ink outside the names (lengths in text heights, th)."""
    side_th: float           # its longest side
    short_th: float          # its shortest side
    ignored: float           # share of its pen pixels where ink is ignored (page edges, the blank's seal, a sure seal)
    off_page: bool           # it touches the page's border (the paper's edge against the scanner bed)
    at_edge: bool            # it reaches into the page-edge band
    near_seal: bool          # it reaches where ink is never writing (around a seal, or the header when none was found)
    on_crease: bool = False  # it lies along a crease or scanner streak found on the page, and runs with it
    residue: bool | None = None   # it vanishes once its spot is aligned on its own (None: not measured)
    solid: bool | None = None     # it is a filled area, not strokes (None: not measured)
    on_print: float | None = None   # share of its strokes lying on or next to the blank's print (ghosts of print)
    length_th: float | None = None  # its strokes' length (half their outline)
    height_th: float | None = None  # the height of its strokes' box
    winding: float | None = None    # stroke length over the box's longest side: 1 for a straight stroke


def stroke_shape(mask: np.ndarray, th: int) -> tuple[float, float, float]:
    """(length, height, winding) of the strokes in ``mask`` (uint8 0/1, a blob's pixels), in text heights.

    The length of a thin stroke is half its outline (both sides of it); winding is that length over
    the longest side of the strokes' box: 1 for one straight stroke or a dotted line's dots in a row
    (their outlines are short), several for letters."""
    if not mask.any():
        return 0.0, 0.0, 0.0
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    length = sum(cv2.arcLength(c, True) for c in contours) / 2
    ys, xs = np.nonzero(mask)
    w, h = int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)
    return length / th, h / th, length / max(w, h)


def outside_evidence(ref: BlankRef, page_ink: np.ndarray, pen: Pen, blob: Blob, ignore: np.ndarray,
                     near: np.ndarray) -> OutsideInk:
    """Measure one blob. ``ignore`` bool (h, w): where ink is not the voter's (page edges, the blank's seal,
    a sure seal found); ``near`` bool (h, w): where ink is never writing (around a seal).

    The costly measures are taken only where they can change the verdict: for blobs of at least
    ``STRAY_MIN_SIDE_TH``, not ignored, on the page (``residue`` first, then ``solid``, then the strokes'
    shape, each only when the one before leaves the blob the voter's)."""
    th = ref.layout.text_height
    fh, fw = pen.mask.shape
    b = blob.box
    own = (pen.labels[b.slices()] == blob.label) & (pen.mask[b.slices()] > 0)
    n = max(1, int(own.sum()))
    ev = OutsideInk(side_th=max(b.w, b.h) / th, short_th=min(b.w, b.h) / th, ignored=float(ignore[b.slices()][own].sum()) / n,
                    off_page=b.x0 <= 1 or b.y0 <= 1 or b.x1 >= fw - 1 or b.y1 >= fh - 1,
                    at_edge=bool(ref.edge[b.slices()].any()),
                    near_seal=bool(near[b.slices()][own].any()),
                    on_crease=along_line(b, pen.lines, th))
    if ev.ignored >= T.IGNORE_MIN_SHARE or ev.off_page or ev.side_th < T.STRAY_MIN_SIDE_TH:
        return ev
    if is_print_residue(ref, page_ink, pen.mask, b, th):
        return dataclasses.replace(ev, residue=True)
    if is_solid(pen.mask, pen.labels, blob, th):
        return dataclasses.replace(ev, residue=False, solid=True)
    # The strokes' shape is measured on the pixels that are the voter's (not the seal's, not the edge's).
    mine = (own & ~ignore[b.slices()]).astype(np.uint8)
    length, height, winding = stroke_shape(mine, th)
    on_print = float(ref.near_print[b.slices()][mine > 0].mean()) if mine.any() else 0.0
    return dataclasses.replace(ev, residue=False, solid=False, on_print=on_print, length_th=length, height_th=height,
                               winding=winding)


def along_line(b: Box, lines: list[Box], th: int) -> bool:
    """True when box ``b`` lies within ``CREASE_NEAR_TH`` of one of ``lines`` (creases and streaks, each
    crossing the page) and runs along it (its long side parallel to the line)."""
    near = int(T.CREASE_NEAR_TH * th)
    for line in lines:
        horizontal = line.w >= line.h
        if horizontal != (b.w >= b.h):
            continue
        if line.grow(near, near).intersects(b) and (b.h if horizontal else b.w) <= 2 * near:
            return True
    return False


def looks_handwritten(ev: OutsideInk) -> bool:
    """Positive evidence of handwriting: letter-sized strokes that wind like letters, a few letters long,
    off the print (ink that follows the print is a ghost of it: print that came out darker)."""
    return (ev.length_th is not None and ev.length_th >= T.WRITING_MIN_LENGTH_TH
            and T.WRITING_MIN_HEIGHT_TH <= ev.height_th <= T.WRITING_MAX_HEIGHT_TH
            and ev.winding >= T.WRITING_MIN_WINDING_RATIO and ev.on_print <= T.WRITING_MAX_ON_PRINT_SHARE)


def classify_outside(ev: OutsideInk) -> str:
    """"writing", "stray", "obstruction" (a paper lying on the ballot) or "" (not the voter's) for a blob
    outside the names."""
    if ev.ignored >= T.IGNORE_MIN_SHARE or ev.off_page or ev.side_th < T.STRAY_MIN_SIDE_TH:
        return ""
    if ev.residue:
        return ""
    if ev.solid:
        # A filled area, not strokes: a paper lying on the ballot when it is that large; else the scanner
        # bed or a shadow at the page's edge, or a blot.
        if ev.short_th >= T.PATCH_MIN_SIDE_TH:
            return "obstruction"
        return "" if ev.at_edge else "stray"
    handwritten = looks_handwritten(ev)
    if ev.on_crease and not handwritten:
        return ""          # what is left of a crease or a streak after its faint pixels were erased
    if handwritten and not ev.near_seal and not ev.at_edge:
        return "writing"
    return "stray"
