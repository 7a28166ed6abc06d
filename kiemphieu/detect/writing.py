"""Ink outside the names: writing added to the ballot, a stray mark, or nothing to judge.

A blob of pen ink that belongs to no name is measured by ``outside_evidence`` (its size in text
heights, how much of it lies where ink is ignored, whether it runs off the page, is a ghost of print
or a filled area) and judged by ``classify_outside``: "writing" (the ballot is invalid unless a person
says otherwise), "stray" (a smaller mark: review) or "" (not the voter's: the seal, the page's edge,
print, specks).
"""
from __future__ import annotations

import dataclasses

import numpy as np

from ..records import Box
from . import thresholds as T
from .blank import BlankRef
from .pen import Blob, Pen, is_print_residue, is_solid


@dataclasses.dataclass(frozen=True)
class OutsideInk:
    """Measures of one blob of pen ink outside the names."""
    side_th: float           # its longest side, text heights
    ignored: float           # share of its box where added ink is ignored (seal zone, page edges)
    off_page: bool           # it touches the page's border (the paper's edge against the scanner bed)
    at_edge: bool            # it reaches into the page-edge band
    near_seal: bool          # it overlaps where the seal may be
    residue: bool | None = None   # it vanishes once its spot is aligned on its own (None: not measured)
    solid: bool | None = None     # it is a filled area, not strokes (None: not measured)


def outside_evidence(ref: BlankRef, page_ink: np.ndarray, pen: Pen, blob: Blob, ignore: np.ndarray,
                     seal_zone: Box | None) -> OutsideInk:
    """Measure one blob (``ignore`` bool (h, w): where ink is ignored, the found seal included).

    The costly measures (``residue``, then ``solid``) are taken only where they can change the
    verdict: for blobs of at least ``STRAY_MIN_SIDE_TH``, not ignored, on the page (``residue`` first:
    ``solid`` is not needed for a ghost of print)."""
    th = ref.layout.text_height
    fh, fw = pen.mask.shape
    b = blob.box
    ev = OutsideInk(side_th=max(b.w, b.h) / th, ignored=float(ignore[b.slices()].mean()),
                    off_page=b.x0 <= 1 or b.y0 <= 1 or b.x1 >= fw - 1 or b.y1 >= fh - 1,
                    at_edge=bool(ref.edge[b.slices()].any()),
                    near_seal=seal_zone is not None and seal_zone.intersects(b))
    if ev.ignored >= T.IGNORE_MIN_SHARE or ev.off_page or ev.side_th < T.STRAY_MIN_SIDE_TH:
        return ev
    residue = is_print_residue(ref, page_ink, pen.mask, b, th)
    if residue:
        return dataclasses.replace(ev, residue=True)
    return dataclasses.replace(ev, residue=False, solid=is_solid(pen.mask, pen.labels, blob, th))


def classify_outside(ev: OutsideInk) -> str:
    """"writing", "stray" or "" (not the voter's) for a blob outside the names."""
    if ev.ignored >= T.IGNORE_MIN_SHARE or ev.off_page:
        return ""
    if ev.side_th >= T.STRAY_MIN_SIDE_TH and ev.residue:
        return ""
    if ev.side_th >= T.STRAY_MIN_SIDE_TH and ev.solid:
        # A dark area, not strokes: the scanner bed or a shadow at the page's edge, else a blot.
        return "" if ev.at_edge else "stray"
    if ev.side_th >= T.WRITING_MIN_SIDE_TH and not ev.near_seal:
        return "writing"   # ink near the seal that is not the seal itself goes to a person, never "writing"
    if ev.side_th >= T.STRAY_MIN_SIDE_TH:
        return "stray"
    return ""
