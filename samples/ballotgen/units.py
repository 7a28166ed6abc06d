"""Units and the page array shared by every stage: millimetres and points to pixels, paper sizes."""
from __future__ import annotations

import numpy as np

RENDER_DPI = 300                    # internal rendering resolution
PEN_REF_DPI = 200                   # pen widths are specified in pixels at this resolution
MM_PER_INCH = 25.4
PT_PER_INCH = 72.0
PAPER_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}


def mm_px(v: float, dpi: float) -> int:
    """``v`` millimetres in whole pixels at ``dpi``."""
    return int(round(v / MM_PER_INCH * dpi))


def pt_px(v: float, dpi: float) -> int:
    """``v`` typographic points in whole pixels at ``dpi``."""
    return int(round(v / PT_PER_INCH * dpi))


class PageArray(np.ndarray):
    """An RGB page (HxWx3 uint8) that remembers the dpi it was rendered at (``.dpi``), so that ``scan``
    resamples correctly without being told.  Behaves as a plain numpy array otherwise."""

    def __array_finalize__(self, obj):
        self.dpi = getattr(obj, "dpi", None)


def as_page(arr: np.ndarray, dpi: int) -> PageArray:
    """View an array as a PageArray rendered at ``dpi``."""
    p = np.asarray(arr).view(PageArray)
    p.dpi = int(dpi)
    return p
