"""Find the printed boxes beside each name on mark and yes/no ballots (on the blank, never typed in).

A *mark* ballot prints a small square per name; an *approve* ballot prints a table with two cells per
row, "Đồng ý" and "Không đồng ý". Both are found as closed rectangles of ink to the right of the name,
on the name's row. (``box_marks.py`` reads what the voter put in them on each ballot.)
"""
from __future__ import annotations

import cv2
import numpy as np

from ..records import Box
from . import thresholds as T


def _rules(grey: np.ndarray) -> np.ndarray:
    """Binary image of straight horizontal and vertical rules (box and table edges)."""
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, T.BOX_INK_BLOCK_PX,
                                T.BOX_INK_OFFSET_GREY)
    n = max(T.BOX_RULE_MIN_PX, int(T.BOX_RULE_MIN_SHARE * grey.shape[1]))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, n)))
    k = 2 * T.BOX_RULE_WIDEN_PX + 1
    return cv2.dilate(horiz | vert, np.ones((k, k), np.uint8))


def _cells(rules: np.ndarray, text_h: int) -> list[Box]:
    """Closed rectangles (holes enclosed by rules) of plausible box size."""
    holes = 255 - rules
    n, _, stats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
    out = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if not (T.BOX_MIN_SIDE_TH * text_h <= h <= T.BOX_MAX_SIDE_TH * text_h):
            continue
        if not (T.BOX_MIN_SIDE_TH * text_h <= w <= T.BOX_MAX_ASPECT_RATIO * max(h, 1)):
            continue
        if area < T.BOX_MIN_HOLE_SHARE * w * h:
            continue
        out.append(Box(int(x), int(y), int(x + w), int(y + h)))
    return out


def find_mark_boxes(grey: np.ndarray, names: list[Box], kind: str) -> list[tuple[Box, ...]]:
    """For every name, the boxes right of it on its row, left to right (template frame)."""
    text_h = int(np.median([b.h for b in names]))
    cells = _cells(_rules(grey), text_h)
    out = []
    for name in names:
        cy = (name.y0 + name.y1) / 2
        # Cells right of the name on its line (the cell holding the name itself starts left of its end).
        mine = sorted((c for c in cells if c.x0 >= name.x1 and c.y0 <= cy <= c.y1), key=lambda c: c.x0)
        want = 1 if kind == "mark" else 2
        out.append(tuple(mine[-want:]) if len(mine) >= want else tuple(mine))
    return out
