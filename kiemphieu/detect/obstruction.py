"""Something lying on the ballot — a sticky note, a slip of paper — rather than another sheet.

A paper lying on a ballot hides the print under it, and only there: the page registers onto the
blank, its print is present everywhere else, and what is missing is missing in one compact region.
Another election's ballot or a blank sheet misses print all over. ``hidden_print`` finds the region
where most print is missing (on a grid of cells a few text heights wide) and measures how much print
is missing inside it and outside it; ``classify_hidden`` says whether that is something lying on this
ballot ("obstruction": a person must look), another sheet ("other_sheet") or neither ("").

A note lying in the margin hides little or no print, but its paper differs from the ballot's: the
reader finds it among the pen's blobs as a filled area of a note's size (``writing.is_patch``).
"""
from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from ..records import Box
from . import thresholds as T


@dataclasses.dataclass(frozen=True)
class HiddenPrint:
    """Where the blank's print is missing from a page, and how much (shares of printed pixels)."""
    box: Box | None      # the compact region holding most of the missing print (template px); None: none missing
    hidden: float        # share of the print of its hidden cells missing from the page
    rest: float          # share of the print outside ``box`` missing (another sheet misses print everywhere)
    held: float          # share of the blank's print inside ``box``
    moved: float = 0.0   # share of the print missing in ``box`` found within OBSTRUCTION_MOVED_PX: print the
    #                      registration left a few px off there, not print hidden


NONE = HiddenPrint(None, 0.0, 0.0, 0.0)


def hidden_print(printed_at: np.ndarray, missing: np.ndarray, page_ink: np.ndarray, need: np.ndarray,
                 text_h: int) -> HiddenPrint:
    """The region where print is missing: ``printed_at`` flat indices (template frame, the shape of
    ``page_ink``) of the blank's printed pixels, ``missing`` bool (same length) whether each is missing from
    the page, ``need`` (same length) the page ink each needs to be present.

    Cells ``OBSTRUCTION_CELL_TH`` wide holding at least ``OBSTRUCTION_CELL_MIN_PX`` printed pixels are
    hidden when at least ``OBSTRUCTION_CELL_HIDDEN_SHARE`` of them are missing; hidden cells one cell
    apart join (a note may lie over paper with no print); the group with the most missing pixels is
    the region, its box grown by a cell. How much of the print missing there is only moved is measured
    on the page's ink widened by ``OBSTRUCTION_MOVED_PX``."""
    n = len(printed_at)
    if n == 0 or not missing.any():
        return NONE
    h, w = page_ink.shape
    cell = max(1, int(T.OBSTRUCTION_CELL_TH * text_h))
    gh, gw = -(-h // cell), -(-w // cell)
    ys, xs = np.divmod(printed_at, w)
    at = (ys // cell) * gw + xs // cell
    printed = np.bincount(at, minlength=gh * gw).reshape(gh, gw)
    lost = np.bincount(at[missing], minlength=gh * gw).reshape(gh, gw)
    judged = printed >= T.OBSTRUCTION_CELL_MIN_PX
    hidden = (judged & (lost >= T.OBSTRUCTION_CELL_HIDDEN_SHARE * printed)).astype(np.uint8)
    if not hidden.any():
        return dataclasses.replace(NONE, rest=float(missing.mean()))
    joined = cv2.dilate(hidden, np.ones((3, 3), np.uint8))
    k, labels = cv2.connectedComponents(joined, connectivity=8)
    weight = np.bincount(labels.ravel(), weights=(lost * hidden).ravel(), minlength=k)
    weight[0] = 0
    group = (labels == int(weight.argmax())) & (hidden > 0)
    gy, gx = np.nonzero(group)
    c0, r0, c1, r1 = gx.min() - 1, gy.min() - 1, gx.max() + 2, gy.max() + 2
    box = Box(int(c0 * cell), int(r0 * cell), int(c1 * cell), int(r1 * cell)).clip(w, h)
    inside = (ys >= box.y0) & (ys < box.y1) & (xs >= box.x0) & (xs < box.x1)
    n_in = int(inside.sum())
    n_out = n - n_in
    gone = inside & missing
    moved = 0.0
    if gone.any():
        k = 2 * T.OBSTRUCTION_MOVED_PX + 1
        wide = cv2.dilate(page_ink[box.slices()], np.ones((k, k), np.uint8))
        moved = float(np.mean(wide[ys[gone] - box.y0, xs[gone] - box.x0] >= need[gone]))
    return HiddenPrint(box, float(lost[group].sum()) / max(1, int(printed[group].sum())),
                       float(missing[~inside].sum()) / max(1, n_out) if n_out else 1.0, n_in / n, moved)


def classify_hidden(h: HiddenPrint) -> str:
    """ "obstruction" (print hidden — not moved — in one compact region holding at most
    ``OBSTRUCTION_MAX_HELD_SHARE`` of it, present elsewhere: something lies on the ballot), "other_sheet"
    (print missing outside that region too, over ``OTHER_SHEET_MIN_REST_SHARE``: not this ballot's print)
    or "" (between the two: a person looks). Only asked when enough print is missing to matter
    (``blank.classify_print``)."""
    if h.box is None:
        return "other_sheet" if h.rest > T.OTHER_SHEET_MIN_REST_SHARE else ""
    if (h.rest <= T.OBSTRUCTION_REST_MISSING_SHARE and h.held <= T.OBSTRUCTION_MAX_HELD_SHARE
            and h.moved <= T.OBSTRUCTION_MAX_MOVED_SHARE):
        return "obstruction"
    if h.rest > T.OTHER_SHEET_MIN_REST_SHARE:
        return "other_sheet"
    return ""
