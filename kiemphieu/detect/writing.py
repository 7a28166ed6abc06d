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
    ruled: float | None = None      # share of its strokes on level or upright runs as long as RULE_RUN_TH (rules)


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


def ruled_share(mask: np.ndarray, th: int) -> float:
    """Share of the pixels of ``mask`` (uint8 0/1) on level or upright straight runs at least ``RULE_RUN_TH``
    long: table rules and box edges (their ghosts where the print came out off), not letters, whose
    stems are shorter and seldom plumb."""
    n = int(mask.sum())
    if n == 0:
        return 0.0
    k = max(T.MIN_KERNEL_PX, int(T.RULE_RUN_TH * th)) | 1
    level = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, k), np.uint8))
    upright = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((k, 1), np.uint8))
    return float(np.count_nonzero((level | upright) & mask)) / n


def outside_evidence(ref: BlankRef, page_ink: np.ndarray, pen: Pen, blob: Blob, ignore: np.ndarray,
                     near: np.ndarray, lines: list[Box] | None = None) -> OutsideInk:
    """Measure one blob. ``ignore`` bool (h, w): where ink is not the voter's (page edges, the blank's seal,
    a sure seal found); ``near`` bool (h, w): where ink is never writing (around a seal); ``lines``: the
    creases and streaks across the page (default: the pen's, ``Pen.lines``).

    The costly measures are taken only where they can change the verdict: for blobs of at least
    ``STRAY_MIN_SIDE_TH``, not ignored, on the page (``residue`` first, then ``solid``, then the strokes'
    shape, each only when the one before leaves the blob the voter's)."""
    th = ref.layout.text_height
    fh, fw = pen.mask.shape
    b = blob.box
    own = (pen.labels[b.slices()] == blob.label) & (pen.mask[b.slices()] > 0)
    n = max(1, int(own.sum()))
    ev = OutsideInk(
        side_th=max(b.w, b.h) / th,
        short_th=min(b.w, b.h) / th,
        ignored=float(ignore[b.slices()][own].sum()) / n,
        off_page=b.x0 <= 1 or b.y0 <= 1 or b.x1 >= fw - 1 or b.y1 >= fh - 1,
        at_edge=bool(ref.edge[b.slices()].any()),
        near_seal=bool(near[b.slices()][own].any()),
        on_crease=along_line(b, pen.lines if lines is None else lines, th),
    )
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
                               winding=winding, ruled=ruled_share(mine, th))


def flat_lines(blobs: list[Blob], th: int, shape: tuple[int, int]) -> list[Box]:
    """Lines across the page made of flat pieces: blobs at most ``CREASE_FLAT_TH`` thick lying on one line
    (within ``CREASE_NEAR_TH``) that together span ``LINE_ARTIFACT_SHARE`` of the page. What is left of a
    crease or a streak once its faint pixels are erased, where it was too broken to be found whole."""
    h, w = shape
    flat = max(2, int(T.CREASE_FLAT_TH * th))
    near = T.CREASE_NEAR_TH * th
    out = []
    for horizontal in (True, False):
        pieces = sorted((b.box for b in blobs if (b.box.h if horizontal else b.box.w) <= flat),
                        key=lambda b: (b.y0 + b.y1) if horizontal else (b.x0 + b.x1))
        group: list[Box] = []
        for b in pieces + [None]:
            mid = None if b is None else ((b.y0 + b.y1) / 2 if horizontal else (b.x0 + b.x1) / 2)
            if group and (b is None or mid - ((group[-1].y0 + group[-1].y1) / 2 if horizontal
                                              else (group[-1].x0 + group[-1].x1) / 2) > near):
                lo = min(g.x0 if horizontal else g.y0 for g in group)
                hi = max(g.x1 if horizontal else g.y1 for g in group)
                if len(group) >= 2 and hi - lo >= T.LINE_ARTIFACT_SHARE * (w if horizontal else h):
                    a, z = (
                        min(g.y0 if horizontal else g.x0 for g in group),
                        max(g.y1 if horizontal else g.x1 for g in group),
                    )
                    out.append(Box(0, a, w, z) if horizontal else Box(a, 0, z, h))
                group = []
            if b is not None:
                group.append(b)
    return out


def crease_pieces(blobs: list[Blob], zones: list[Box], th: int, shape: tuple[int, int]) -> tuple[list[Box], list[Blob]]:
    """The pieces of a crease or a streak left in the pen beside the names: (the lines, the blobs on them).

    Where a fold runs along a row, through its name's letters, print hides it over the name and the pen
    keeps two flat pieces, one each side of the name, too short each to be found as a line across the
    page (``remove_line_artifacts``). Pieces are flat blobs (``CREASE_FLAT_TH``) that run into no zone
    (``zones``: the printed names and boxes, where a stroke is read) by more than ``NEAR_NAME_TH`` along
    their length — a strike crosses its name, this is what lies beyond it — and that lie on one line
    spanning ``LINE_ARTIFACT_SHARE`` of the page with others (``flat_lines``)."""
    reach = T.NEAR_NAME_TH * th
    flat = max(2, int(T.CREASE_FLAT_TH * th))

    def clear(b: Box) -> bool:
        if min(b.w, b.h) > flat:
            return False
        horizontal = b.w >= b.h
        for z in zones:
            if b.intersects(z):
                run = min(b.x1, z.x1) - max(b.x0, z.x0) if horizontal else min(b.y1, z.y1) - max(b.y0, z.y0)
                if run > reach:
                    return False
        return True

    candidates = [b for b in blobs if clear(b.box)]
    lines = flat_lines(candidates, th, shape)
    return lines, [b for b in candidates if along_line(b.box, lines, th)]


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
    off the print (ink that follows the print is a ghost of it: print that came out darker) and not made
    of rules (the ghost of a table's corner winds too)."""
    return (ev.length_th is not None and ev.length_th >= T.WRITING_MIN_LENGTH_TH
            and T.WRITING_MIN_HEIGHT_TH <= ev.height_th <= T.WRITING_MAX_HEIGHT_TH
            and ev.winding >= T.WRITING_MIN_WINDING_RATIO and ev.on_print <= T.WRITING_MAX_ON_PRINT_SHARE
            and ev.ruled <= T.WRITING_MAX_RULED_SHARE)


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
