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

Writing too light for the pen (under ``PEN_MIN_INK``: a note in light pencil) is measured apart by
``faint_evidence``, against the page's own noise (``pen.faint_ink``, ``pen.paper_noise``), and judged by
``is_faint_writing``: never invalid on that evidence alone, a person looks ("faint_writing").
"""
from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from ..records import Box
from . import thresholds as T
from .blank import BlankRef
from .pen import Blob, Pen, faint_ink, is_print_residue, is_solid, join_strokes, paper_noise
from .zones import box_ring


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
        on_crease=along_line(b, pen.lines if lines is None else lines, th, own),
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


def along_line(b: Box, lines: list[Box], th: int, own: np.ndarray | None = None) -> bool:
    """True when box ``b`` lies within ``CREASE_NEAR_TH`` of one of ``lines`` (creases and streaks, each
    crossing the page) and runs along it (its long side parallel to the line). With ``own`` (bool
    (b.h, b.w), the blob's pixels), it must also be thin across the line where it is: its median run
    across the line at most ``CREASE_PIECE_MAX_THICK_TH`` (short strokes side by side, a "!!" on a rule's
    ghost, make a flat box of tall strokes: stress seed 1796235555 count 2 page 9)."""
    near = int(T.CREASE_NEAR_TH * th)
    for line in lines:
        horizontal = line.w >= line.h
        if horizontal != (b.w >= b.h):
            continue
        if line.grow(near, near).intersects(b) and (b.h if horizontal else b.w) <= 2 * near:
            if own is None:
                return True
            runs = own.sum(axis=0 if horizontal else 1)
            runs = runs[runs > 0]
            if runs.size == 0 or float(np.median(runs)) <= T.CREASE_PIECE_MAX_THICK_TH * th:
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


# --- faint writing: strokes between the page's noise and the pen ---------------------------------------

@dataclasses.dataclass(frozen=True)
class FaintInk:
    """Measures of one group of light strokes outside the names that the pen (``PEN_MIN_INK``) did not
    hold (lengths in text heights, th)."""
    box: Box
    score: float             # the strokes' ink (FAINT_PEN_INK_PERCENTILE of ``faint_ink``) over the page's noise
    ink: float               # that ink (0..1 over the paper)
    noise: float             # the page's noise (``paper_noise`` of ``faint_ink``)
    pieces: int              # strokes in it at least FAINT_PIECE_MIN_TH long (8-connected, before joining)
    length_th: float         # its strokes' length (half their outline)
    height_th: float         # the height of its strokes' box
    short_th: float          # the shorter side of its strokes' box
    winding: float           # stroke length over the box's longest side
    ruled: float             # share on level or upright runs as long as RULE_RUN_TH
    on_print: float          # share next to the blank's print
    solid: bool              # a filled area, not strokes


def faint_search_area(ref: BlankRef, pen: Pen, ignore: np.ndarray, near: np.ndarray, f: int) -> np.ndarray:
    """Where light writing is looked for, on the page reduced ``f`` times (bool (h // f, w // f)): off the
    names' rows and their boxes with the ring around them (a light stroke there is the name reader's:
    a faint strike or mark, a mark beside it), the page's edges and where ink is not the voter's
    (``ignore``) or never writing (``near``: around a seal), the creases and streaks found
    (``Pen.on_lines``) and the pen found (grown by ``GAP_BRIDGE_TH``: a light end of a stroke the pen
    holds is judged with that stroke)."""
    th = ref.layout.text_height
    h, w = pen.mask.shape
    sh, sw = h // f, w // f

    def small(a: np.ndarray) -> np.ndarray:     # uint8 0/1 (h, w) → (sh, sw), any pixel set sets it
        return cv2.resize(np.ascontiguousarray(a[:sh * f, :sw * f]), (sw, sh), interpolation=cv2.INTER_AREA)
    off = cv2.bitwise_or(cv2.bitwise_or(ignore.view(np.uint8), near.view(np.uint8)), ref.edge.view(np.uint8))
    if pen.on_lines is not None:
        off = cv2.bitwise_or(off, pen.on_lines)
    r = max(T.MIN_KERNEL_PX, int(T.GAP_BRIDGE_TH * th / f)) | 1
    area = (small(off) == 0) & (cv2.dilate(small(pen.mask), np.ones((r, r), np.uint8)) == 0)
    for slot in ref.layout.slots:
        for b in (slot.row, *(box_ring(x) for x in slot.boxes)):
            area[max(0, b.y0 // f):max(0, -(-b.y1 // f)), max(0, b.x0 // f):max(0, -(-b.x1 // f))] = False
    return area


def faint_evidence(ref: BlankRef, pen: Pen, ignore: np.ndarray, near: np.ndarray) -> list[FaintInk]:
    """Measure the groups of light strokes on a page (``faint_groups``) where ``faint_search_area`` allows,
    on the page's added ink reduced ``FAINT_REDUCTION_RATIO`` times (a light stroke is wider than that;
    the page's noise and a group's shape hold at that scale, for a quarter of the time). Boxes in
    template px."""
    f = T.FAINT_REDUCTION_RATIO
    h, w = pen.mask.shape
    sh, sw = h // f, w // f
    area = faint_search_area(ref, pen, ignore, near, f)
    if not area.any():
        return []
    add = cv2.resize(pen.add[:sh * f, :sw * f], (sw, sh), interpolation=cv2.INTER_AREA)
    out = faint_groups(add, area, ref.near_print[:sh * f:f, :sw * f:f], ref.layout.text_height / f)
    return [dataclasses.replace(e, box=Box(e.box.x0 * f, e.box.y0 * f, e.box.x1 * f, e.box.y1 * f)) for e in out]


def faint_groups(add: np.ndarray, area: np.ndarray, near_print: np.ndarray, text_h: float) -> list[FaintInk]:
    """The groups of light strokes in ``add`` (added ink, float32 (h, w)) within ``area`` (bool (h, w)),
    measured against the page's own noise: pixels whose ``faint_ink`` reaches the page's trace level
    (``faint_level`` of its ``paper_noise`` over ``area`` off ``near_print``, bool (h, w): the blank's
    print and its ghosts), grouped as the pen's strokes are (``join_strokes``). Groups smaller than
    ``STRAY_MIN_SIDE_TH`` are not measured. ``text_h``: the text height in px of ``add``."""
    sth = max(1, int(round(text_h)))
    lift = faint_ink(add, sth)
    noise = paper_noise(lift, area & ~near_print, max(T.MIN_KERNEL_PX, int(T.FAINT_PEN_CELL_TH * sth)))
    level = faint_level(noise)
    if level >= T.PEN_MIN_INK:
        return []        # a page this noisy shows no light strokes apart from its noise
    on = ((lift >= level) & area).astype(np.uint8)
    if not on.any():
        return []
    n, lab, stats = join_strokes(on, sth)
    out = []
    piece_px = T.FAINT_PIECE_MIN_TH * sth
    k = max(T.MIN_KERNEL_PX, int(T.SOLID_STROKE_TH * sth)) | 1
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if max(bw, bh) < T.STRAY_MIN_SIDE_TH * sth:
            continue
        own = ((lab[y:y + bh, x:x + bw] == i) & (on[y:y + bh, x:x + bw] > 0)).astype(np.uint8)
        if not own.any():
            continue
        _, _, pst, _ = cv2.connectedComponentsWithStats(own, connectivity=8)
        pieces = int((np.maximum(pst[1:, cv2.CC_STAT_WIDTH], pst[1:, cv2.CC_STAT_HEIGHT]) >= piece_px).sum())
        ys, xs = np.nonzero(own)
        ink = float(np.percentile(lift[y:y + bh, x:x + bw][own > 0], T.FAINT_PEN_INK_PERCENTILE))
        length, height, winding = stroke_shape(own, sth)
        core = cv2.erode(np.pad(own, k), np.ones((k, k), np.uint8))
        out.append(FaintInk(
            box=Box(int(x + xs.min()), int(y + ys.min()), int(x + xs.max()) + 1, int(y + ys.max()) + 1),
            score=ink / max(noise, 1e-6), ink=ink, noise=noise, pieces=pieces,
            length_th=length, height_th=height, winding=winding, ruled=ruled_share(own, sth),
            short_th=(min(int(xs.max() - xs.min()), int(ys.max() - ys.min())) + 1) / sth,
            on_print=float(near_print[y:y + bh, x:x + bw][own > 0].mean()),
            solid=int(core.sum()) > T.SOLID_CORE_SHARE * int(own.sum())))
    return out


def faint_level(noise: float) -> float:
    """The ink from which a light stroke is looked at on a page whose noise is ``noise`` (``paper_noise``
    of ``faint_ink``): ``FAINT_WRITING_NOISE_RATIO`` times it, at least ``FAINT_PEN_MIN_INK``."""
    return max(T.FAINT_PEN_MIN_INK, T.FAINT_WRITING_NOISE_RATIO * noise)


def is_faint_writing(ev: FaintInk) -> bool:
    """Light writing a person must see: strokes standing out of the page's noise by
    ``FAINT_WRITING_NOISE_RATIO`` (``score``), of letter height, several of them (``FAINT_WRITING_MIN_PIECES``,
    ``FAINT_WRITING_MIN_LENGTH_TH`` in all), as wide as a letter is tall at least (letters side by side:
    a line's pieces one above the other, a scratch, are narrower), thin, off the print and not made of
    rules — a speck, one straight scratch, a ghost of print, a crease's piece are not. Never evidence
    to take a ballot's validity away: review."""
    return (ev.score >= T.FAINT_WRITING_NOISE_RATIO and ev.ink >= T.FAINT_PEN_MIN_INK and not ev.solid
            and ev.pieces >= T.FAINT_WRITING_MIN_PIECES and ev.length_th >= T.FAINT_WRITING_MIN_LENGTH_TH
            and T.WRITING_MIN_HEIGHT_TH <= ev.height_th <= T.WRITING_MAX_HEIGHT_TH
            and ev.short_th >= T.WRITING_MIN_HEIGHT_TH
            and ev.on_print <= T.WRITING_MAX_ON_PRINT_SHARE and ev.ruled <= T.WRITING_MAX_RULED_SHARE)
