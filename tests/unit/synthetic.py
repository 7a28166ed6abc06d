"""Tiny synthetic ballots for the unit tests: a printed name, its layout, a page with pen added."""
from __future__ import annotations

import numpy as np

from kiemphieu.detect.pen import Pen, blobs
from kiemphieu.records import Box, Layout, Slot

TH = 20                      # text height of the synthetic names, px


def slot(index: int = 0, y0: int = 20, x0: int = 20, width: int = 100, boxes: tuple[Box, ...] = ()) -> Slot:
    """A name TH tall at (x0, y0); letters' bodies from y0 + 5 to y0 + 15; its row 20 px around it."""
    name = Box(x0, y0, x0 + width, y0 + TH)
    return Slot(index=index, label=f"N{index}", name=name, row=name.grow(20, 10), boxes=boxes,
                core_y0=y0 + 5, core_y1=y0 + 15)


def layout(slots: tuple[Slot, ...], kind: str = "strike", width: int = 400, height: int = 300,
           seal: Box | None = None) -> Layout:
    return Layout(width=width, height=height, kind=kind, slots=slots, text_height=TH, seal=seal)


def printed(lay: Layout) -> np.ndarray:
    """The blank (uint8 grey, white paper): every name printed as letters, 3 px strokes 8 px apart, and
    every box as a 2 px frame."""
    frame = np.full((lay.height, lay.width), 255, np.uint8)
    for s in lay.slots:
        n = s.name
        for x in range(n.x0 + 2, n.x1 - 3, 8):
            frame[s.core_y0:s.core_y1, x:x + 3] = 0          # letters' bodies
        frame[n.y0 + 1:s.core_y0, n.x0 + 2:n.x0 + 5] = 0     # an ascender
        for b in s.boxes:
            frame[b.y0:b.y1, b.x0:b.x1] = 0
            frame[b.y0 + 2:b.y1 - 2, b.x0 + 2:b.x1 - 2] = 255
    return frame


def pen_of(mask: np.ndarray, add: np.ndarray | None = None, offsets: dict | None = None) -> Pen:
    """A ``Pen`` made from a pen mask (uint8 0/1) and its added ink (default: 0.5 where the mask is)."""
    mask = mask.astype(np.uint8)
    add = (mask * np.float32(0.5)).astype(np.float32) if add is None else add
    labels, found = blobs(mask, TH)
    return Pen(add=add, hidden=np.zeros(mask.shape, bool), offsets=offsets or {}, smooth=add, mask=mask,
               lines=[], labels=labels, blobs=found)
