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
from .zones import contains


def _ink(grey: np.ndarray) -> np.ndarray:
    """Binary image (uint8 0/255) of the print: pixels darker than their surroundings."""
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, T.BOX_INK_BLOCK_PX,
                                 T.BOX_INK_OFFSET_GREY)


def _rules(ink: np.ndarray) -> np.ndarray:
    """Binary image of straight horizontal and vertical rules (box and table edges) of the print ``ink``
    (``_ink``)."""
    n = max(T.BOX_RULE_MIN_PX, int(T.BOX_RULE_MIN_SHARE * ink.shape[1]))
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


def _box_rank(c: Box) -> tuple[bool, int, int]:
    """Sort key of a mark ballot's candidate cells: square-ish first (``BOX_SQUARE_MAX_RATIO``), then the
    smallest, then the rightmost."""
    aspect = max(c.w, c.h) / max(1, min(c.w, c.h))
    return aspect > T.BOX_SQUARE_MAX_RATIO, c.w * c.h, -c.x0


def _on_line(c: Box, name: Box, names: list[Box]) -> bool:
    """True when cell ``c`` is on ``name``'s line though the name's middle misses it: its middle lies within
    ``BOX_ROW_SLACK_SHARE`` of the taller of the two from the name's, and nearer to it than to any other
    name's. A name's box reaches down to its descenders and up to its accents, a row's boxes are centred
    on the row: a name with descenders and dots below sits lower than its box."""
    mid = (c.y0 + c.y1) / 2

    def off(n: Box) -> float:
        return abs((n.y0 + n.y1) / 2 - mid)

    return (off(name) <= T.BOX_ROW_SLACK_SHARE * max(c.h, name.h)
            and all(off(name) < off(o) for o in names if o is not name))


def letters_end(name: Box, cells: list[Box], ink: np.ndarray, rules: np.ndarray) -> Box:
    """``name`` (its OCR box) ending at its last letter when OCR read a printed box beside it as one more
    character (a box printed close after a name: "(1966)□" read as "(1966)[L").

    A closed cell starting inside the name's box, right of its start and on its line, is no part of the
    name (a cell holding the name starts left of it): the name ends at the last column of print left of
    that cell's rule (a letter's stem may be as long as a rule: it stays a letter). ``ink`` and ``rules``
    uint8 (h, w) (``_ink``, ``_rules``); the name unchanged when no cell starts in it."""
    cy = (name.y0 + name.y1) // 2
    inner = [c for c in cells if name.x0 < c.x0 < name.x1 and c.y0 <= cy < c.y1]
    if not inner:
        return name
    cut = min(c.x0 for c in inner)
    while cut > name.x0 and rules[cy, cut - 1]:      # the cell's left rule, as wide as it is printed
        cut -= 1
    cols = np.flatnonzero((ink[name.y0:name.y1, name.x0:cut] > 0).any(axis=0))
    return Box(name.x0, name.y0, name.x0 + int(cols[-1]) + 1 if cols.size else cut, name.y1)


def pick_boxes(cells: list[Box], names: list[Box], kind: str) -> list[tuple[Box, ...]]:
    """For every name, its boxes among ``cells``: right of it on its line and left of the next name
    on that line (two columns: the other column's boxes are its names'), left to right.

    A hole that holds another cell (the paper around a printed box) is not a box. A mark ballot's box
    is the smallest square-ish such cell (a box in a table column splits its cell into a left part,
    itself and a right part, each larger); a yes/no ballot's two cells are the two rightmost."""
    out = []
    need = 1 if kind == "mark" else 2
    for name in names:
        cy = (name.y0 + name.y1) / 2
        stop = min([o.x0 for o in names if o is not name and o.x0 >= name.x1 and o.y0 <= cy <= o.y1],
                   default=None)
        # Cells right of the name on its line (the cell holding the name itself starts left of its end).
        right = [c for c in cells if c.x0 >= name.x1 and (stop is None or c.x1 <= stop)]
        mine = [c for c in right if c.y0 <= cy <= c.y1]
        if len(mine) < need:
            mine = [c for c in right if _on_line(c, name, names)]
        mine = [c for c in mine if not any(o != c and contains(c, o) for o in mine)]
        if kind == "mark":
            out.append((min(mine, key=_box_rank),) if mine else ())
        else:
            mine.sort(key=lambda c: c.x0)
            out.append(tuple(mine[-2:]))
    return out


def find_mark_boxes(grey: np.ndarray, names: list[Box], kind: str) -> tuple[list[Box], list[tuple[Box, ...]]]:
    """The names (OCR boxes) without a printed box OCR read as part of them (``letters_end``), and for
    every name the boxes right of it on its row, left to right (template frame, uint8 ``grey``)."""
    text_h = int(np.median([b.h for b in names]))
    ink = _ink(grey)
    rules = _rules(ink)
    cells = _cells(rules, text_h)
    names = [letters_end(b, cells, ink, rules) for b in names]
    return names, pick_boxes(cells, names, kind)
