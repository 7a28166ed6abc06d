"""The blank prepared for reading pages, and the checks of a page's print against it.

``prepare_blank`` is run once per process; the other functions measure one page's ink (``ink_map`` of
a page registered into the template frame) against the blank: how much bolder its print is
(``print_growth``), how much of the blank's print is missing (``missing_print``: is it this ballot?)
and how much lighter the whole scan is (``contrast_gain``). ``classify_print`` decides from the
missing print and where it is missing (``obstruction``: a paper lying on the ballot hides print in
one place only).
"""
from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from ..records import Layout
from . import thresholds as T
from .ink import ink_map, spread
from .obstruction import NONE as NO_HIDDEN
from .obstruction import HiddenPrint, classify_hidden


@dataclasses.dataclass
class BlankRef:
    """The blank, prepared once per process for reading many pages."""
    layout: Layout
    ink: np.ndarray             # blank ink, template frame
    spread_page: np.ndarray     # blank ink widened by PAGE_SPREAD_PX
    spread_name: dict[int, np.ndarray]   # blank ink widened by 1 … MAX_PRINT_GROWTH_PX, by radius
    growth_rings: dict[int, np.ndarray]  # bool: pixels just outside the names' print, r px away (r = 1, 2, …)
    printed: np.ndarray         # bool: clearly printed pixels, for the "is it this ballot" check
    names_mask: np.ndarray      # bool: pixels inside the printed names
    ignore: np.ndarray          # bool: where added ink is not writing (the blank's seal, page edges)
    edge: np.ndarray            # bool: the page's edges (scanner bed, shadows)
    hidden_page: np.ndarray     # bool: where the widened print would hide a stroke (HIDDEN_INK)
    near_print: np.ndarray      # bool: within GHOST_NEAR_TH of the blank's print (where ghosts of print lie)
    printed_at: np.ndarray      # flat indices of ``printed`` pixels
    names_at: np.ndarray        # flat indices of ``names_mask`` pixels
    present_min: np.ndarray     # ink a printed pixel needs on a scan to be present (float32, flat, at printed_at)
    names_present_min: np.ndarray   # ... at names_at
    print_median: float         # median ink of the blank's printed pixels
    cache: dict = dataclasses.field(default_factory=dict, repr=False)   # what readers measure of the blank
    #                             once (pen.blank_as_printed's blur ladder and blurred blanks), on first use


def prepare_blank(frame: np.ndarray, layout: Layout) -> BlankRef:
    """Prepare the blank (uint8 grey, template frame) and its layout for reading pages."""
    ink = ink_map(frame)
    h, w = ink.shape
    edge = np.zeros((h, w), bool)
    e = int(T.PAGE_EDGE_SHARE * max(h, w))
    edge[:e], edge[-e:], edge[:, :e], edge[:, -e:] = True, True, True, True
    ignore = edge.copy()
    if layout.seal is not None:   # the blank's own seal: its ghosts are not pen (a ballot's seal is found on it)
        s = layout.seal
        cv2.circle(ignore.view(np.uint8), ((s.x0 + s.x1) // 2, (s.y0 + s.y1) // 2),
                   int(T.SEAL_IGNORE_RADII * s.w / 2), 1, -1)
    # Print is thin strokes (text, rules); solid dark areas such as a scanner-bed strip are not print.
    solid = cv2.blur(ink, (T.SOLID_AREA_PX, T.SOLID_AREA_PX)) > T.SOLID_MEAN_INK
    printed = (ink > T.PRINTED_INK) & ~ignore & ~solid
    names_mask = np.zeros((h, w), bool)
    for slot in layout.slots:
        names_mask[slot.name.slices()] = True
    spreads = {r: spread(ink, r) for r in range(T.BLANK_SPREAD_PX, T.MAX_PRINT_GROWTH_PX + 1)}
    strong = {r: spreads[r] > T.PRINTED_INK for r in spreads}
    strong[0] = ink > T.PRINTED_INK
    names_near = names_mask & ~solid
    rings = {r: strong[r] & ~strong[r - 1] & names_near for r in range(1, T.MAX_PRINT_GROWTH_PX + 1)}
    spread_page = spread(ink, T.PAGE_SPREAD_PX)
    names_printed = names_mask & printed
    printed_at, names_at = np.flatnonzero(printed), np.flatnonzero(names_printed)
    present = (T.PRINT_PRESENT_SHARE * ink).ravel()
    near = 2 * max(1, int(T.GHOST_NEAR_TH * layout.text_height)) + 1
    near_print = cv2.dilate((ink > T.PRINTED_INK).view(np.uint8), np.ones((near, near), np.uint8)) > 0
    return BlankRef(
        layout,
        ink,
        spread_page,
        spreads,
        rings,
        printed,
        names_printed,
        ignore,
        edge,
        spread_page >= T.HIDDEN_INK,
        near_print,
        printed_at,
        names_at,
        present[printed_at],
        present[names_at],
        float(np.median(ink.ravel()[printed_at])) if printed_at.size else 0.0,
    )


def print_growth(ref: BlankRef, page_ink: np.ndarray) -> int:
    """How many px the page's print is bolder than the blank's around the names (blur, toner, ink spread).

    The blank is widened by this much more before subtraction, so a bolder print is not read as pen.
    """
    r = T.BLANK_SPREAD_PX
    for k in sorted(ref.growth_rings):
        ring = ref.growth_rings[k]
        if k < r or not ring.any():
            continue
        if float(np.median(page_ink[ring])) >= T.PRINT_GROWTH_INK:
            r = k
        else:
            break
    return min(r, T.MAX_PRINT_GROWTH_PX)


def print_missing_at(ref: BlankRef, page_ink: np.ndarray) -> np.ndarray:
    """Whether each of the blank's printed pixels (``ref.printed_at``) is missing from the page (bool)."""
    widened = spread(page_ink, T.PAGE_SPREAD_PX).ravel()
    return widened[ref.printed_at] < ref.present_min


def missing_print(ref: BlankRef, page_ink: np.ndarray) -> tuple[float, float]:
    """Share of the blank's printed ink absent from the page: (whole page, names only).

    The voter only adds ink; print that is gone means another ballot, a blank sheet, a bad scan or
    something lying on the ballot."""
    widened = spread(page_ink, T.PAGE_SPREAD_PX).ravel()

    def share(at, need):
        return 1.0 - float(np.count_nonzero(widened[at] >= need)) / at.size if at.size else 0.0

    return share(ref.printed_at, ref.present_min), share(ref.names_at, ref.names_present_min)


def classify_print(missing_page: float, missing_names: float, hidden: HiddenPrint = NO_HIDDEN) -> str:
    """From ``missing_print`` and where the print is missing (``obstruction.hidden_print``):

    "obstruction" (print hidden in one compact region, present around it: something lies on the ballot),
    "not_ballot" (too much print gone, and gone outside any one region: positive evidence of another
    sheet), "doubt" (a person should look) or ""."""
    verdict = classify_hidden(hidden)
    if verdict == "obstruction":
        return "obstruction"
    too_much = max(missing_page, missing_names) > T.PRINT_MISSING_REJECT_SHARE
    if too_much and (verdict == "other_sheet" or hidden.box is None):
        return "not_ballot"
    if (too_much or missing_names > T.NAMES_PRINT_MISSING_DOUBT_SHARE
            or missing_page > T.PAGE_PRINT_MISSING_DOUBT_SHARE):
        return "doubt"
    return ""


def contrast_gain(ref: BlankRef, page_ink: np.ndarray) -> float:
    """Factor that brings a faded or light scan's print to the blank's darkness (1 … MAX_CONTRAST_GAIN_RATIO).

    Pen and print fade together on a light scan, so ink is read relative to the print of the same page.
    """
    if not ref.printed_at.size:
        return 1.0
    page = float(np.median(spread(page_ink, T.GAIN_SPREAD_PX).ravel()[ref.printed_at]))
    blank = ref.print_median
    if page <= T.NO_PRINT_INK:
        return 1.0
    return float(np.clip(blank / page, 1.0, T.MAX_CONTRAST_GAIN_RATIO))
