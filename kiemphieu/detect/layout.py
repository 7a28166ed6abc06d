"""Find where every candidate sits on the blank ballot, by OCR — nobody types coordinates.

``find_layout`` reads the blank with Tesseract, matches each candidate of the election file to one
printed name, and returns a ``Layout`` in the template frame. A candidate that cannot be found, two
candidates on one printed line, or a name printed twice stop it with a ``LayoutError``: the layout
is never guessed.
"""
from __future__ import annotations

import statistics

import cv2
import numpy as np

from ..records import WORK_LONG_SIDE_PX, Box, Layout, Slot
from . import printed_boxes as boxfind
from . import seal as sealfind
from . import thresholds as T
from .ink import ink_map
from .names import Match, assign
from .ocr import OCR_PASSES, Line, read_lines
from .pen import vertical_runs


class LayoutError(ValueError):
    """The blank does not show the election's candidates unambiguously."""

    def __init__(self, code: str, names: list[str], detail: str = ""):
        super().__init__(code)
        self.code, self.names, self.detail = code, names, detail



def skew_angle(grey: np.ndarray) -> float:
    """Angle (degrees, counter-clockwise) that makes the printed lines of a page horizontal.

    Classic projection-profile search: text lines and table rules give the sharpest row profile
    (largest variance of row sums) when they are level.
    """
    s = T.SKEW_PROBE_LONG_SIDE_PX / max(grey.shape)
    small = cv2.resize(grey, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1].astype(np.float32)
    h, w = ink.shape
    best, best_score = 0.0, -1.0
    for a in np.arange(-T.SKEW_MAX_DEG, T.SKEW_MAX_DEG + 1e-9, T.SKEW_STEP_DEG):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(a), 1.0)
        rows = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1)
        score = float(np.var(rows))
        if score > best_score:
            best, best_score = float(a), score
    return best


def straighten(grey: np.ndarray) -> np.ndarray:
    """The blank (uint8 grey) rotated so that its printed lines are level."""
    angle = skew_angle(grey)
    if abs(angle) < T.SKEW_STEP_DEG:
        return grey
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    paper = int(np.percentile(grey, T.PAPER_GREY_PERCENTILE))
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=paper)


def template_frame(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """Resample a (straightened) blank into the template frame; returns (image, template px per blank px)."""
    f = WORK_LONG_SIDE_PX / max(grey.shape)
    interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
    return cv2.resize(grey, (round(grey.shape[1] * f), round(grey.shape[0] * f)), interpolation=interp), f


def _scaled(b: Box, f: float) -> Box:
    return Box(int(b.x0 * f), int(b.y0 * f), int(np.ceil(b.x1 * f)), int(np.ceil(b.y1 * f)))


def _same_line(a: Box, b: Box, text_h: float) -> bool:
    vertical = min(a.y1, b.y1) - max(a.y0, b.y0) > T.SAME_LINE_OVERLAP_SHARE * min(a.h, b.h)
    gap = max(a.x0, b.x0) - min(a.x1, b.x1)
    return vertical and gap < T.COLUMN_GAP_TH * text_h


def _rows(names: list[Box], text_h: int, width: int, height: int) -> list[Box]:
    """Each name's share of the page: half-way to its neighbours above and below in its column."""
    rows = []
    margin = int(T.ROW_MARGIN_TH * text_h)
    over = int(T.ROW_OVERSHOOT_TH * text_h)
    for i, b in enumerate(names):
        same_col = [o for j, o in enumerate(names) if j != i and min(o.x1, b.x1) - max(o.x0, b.x0) > 0]
        above = [o.y1 for o in same_col if o.y1 <= b.y0 + b.h // 2]
        below = [o.y0 for o in same_col if o.y0 >= b.y1 - b.h // 2]
        y0 = (max(above) + b.y0) // 2 if above else b.y0 - margin
        y1 = (min(below) + b.y1) // 2 if below else b.y1 + margin
        y0, y1 = max(y0, b.y0 - margin), min(y1, b.y1 + margin)
        # Horizontally: up to the next name on the same band (two-column ballots).
        left = [o.x1 for o in names if o is not b and o.x1 <= b.x0 and min(o.y1, y1) > max(o.y0, y0)]
        right = [o.x0 for o in names if o is not b and o.x0 >= b.x1 and min(o.y1, y1) > max(o.y0, y0)]
        x0 = max([b.x0 - over] + [(x + b.x0) // 2 for x in left])
        x1 = min([b.x1 + over] + [(x + b.x1) // 2 for x in right])
        rows.append(Box(x0, y0, x1, y1).clip(width, height))
    return rows


def letter_lines(ink: np.ndarray) -> tuple[int, int] | None:
    """The x-line and the baseline of one printed name, from its ink (float32 0..1 (h, w), the name's
    box with a margin): rows from the crop's top, the baseline exclusive (the first row below the
    letters). None when the crop holds no letter stems.

    Letters are the pixels at least ``LETTER_INK_SHARE`` as dark as the name's own print (the
    ``LETTER_PRINT_PERCENTILE`` of the crop's ink): bold, regular and light faces, dark or pale print,
    are cut at the same share of their stems.

    Nearly every letter stands on the baseline, so the most common end of the vertical ink runs that
    are letter stems (at least ``STEM_MIN_SHARE`` of the crop tall, not serifs, dots or accents) is the
    baseline. The stems standing on it start at the x-line (lower-case letters) or at cap height
    (capitals, ascenders, digits): the x-line is the lowest start shared by at least
    ``XLINE_PEAK_SHARE`` as many stems as the most common one.
    """
    h = ink.shape[0]
    if not ink.size:
        return None
    darkness = float(np.percentile(ink, T.LETTER_PRINT_PERCENTILE))
    if darkness < T.LETTER_MIN_PRINT_INK:
        return None
    _, tops, ends = vertical_runs(ink >= T.LETTER_INK_SHARE * darkness)
    lens = ends - tops
    stems = lens >= max(2, T.STEM_MIN_SHARE * h)
    if not stems.any():
        return None
    base = int(np.bincount(ends[stems], minlength=h + 1).argmax())
    standing = stems & (np.abs(ends - base) <= 1) & (lens >= T.STANDING_STEM_MIN_SHARE * base)
    if not standing.any():
        return None
    hist = np.bincount(tops[standing], minlength=h + 2).astype(np.float64)
    hist[1:-1] += 0.5 * (hist[:-2] + hist[2:])    # a stem's top may fall on either of two rows
    peaks = [y for y in range(1, h) if hist[y] >= T.XLINE_PEAK_SHARE * hist.max()
             and hist[y] >= hist[y - 1] and hist[y] >= hist[y + 1]]
    return (max(peaks) if peaks else int(hist.argmax())), base


def letter_cores(frame: np.ndarray, names: list[Box]) -> list[tuple[int, int]]:
    """Every name's letters' bodies: (x-line, baseline) rows of the template frame, the baseline exclusive.

    Each name has its own baseline (a row of a table may sit a pixel off another); the x-height is the
    ballot's, the median over its names (one typeface and size: a name whose capitals or digits
    outnumber its lower-case stems does not move it). A name without stems keeps its whole box."""
    ink = ink_map(frame)
    found = []
    for b in names:
        y0 = max(0, b.y0 - T.CORE_MARGIN_PX)
        lines = letter_lines(ink[y0:b.y1 + T.CORE_MARGIN_PX, b.x0:b.x1])
        found.append(None if lines is None else (y0 + lines[0], y0 + lines[1]))
    heights = [base - top for top, base in (f for f in found if f is not None) if base > top]
    if not heights:
        return [(b.y0, b.y1) for b in names]
    xh = int(round(statistics.median(heights)))
    return [(b.y0, b.y1) if f is None else (f[1] - xh, f[1]) for b, f in zip(names, found)]


def find_layout(blank_grey: np.ndarray, labels: list[str], kind: str) -> tuple[Layout, np.ndarray]:
    """Locate every candidate (``labels``, as printed, in ballot order) on the blank ballot.

    ``blank_grey`` is the blank at its scanned resolution (uint8). Returns the layout and the blank
    resampled into the template frame. Raises LayoutError.
    """
    blank_grey = straighten(blank_grey)
    frame, f = template_frame(blank_grey)
    lines: list[Line] = []
    matches: dict[int, Match] = {}
    missing = list(range(len(labels)))
    for psm, denoise in OCR_PASSES:
        lines += read_lines(blank_grey, psm, denoise)
        matches, missing = assign(labels, lines)
        if not missing:
            break
    if missing:
        raise LayoutError("not_found", [labels[i] for i in missing])
    name_boxes = [_scaled(matches[i].box, f) for i in range(len(labels))]
    text_h = int(statistics.median(b.h for b in name_boxes))
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            if _same_line(name_boxes[i], name_boxes[j], text_h):
                raise LayoutError("same_line", [labels[i], labels[j]])
    h, w = frame.shape
    marks: list[tuple[Box, ...]] = [()] * len(labels)
    if kind in ("mark", "approve"):
        name_boxes, marks = boxfind.find_mark_boxes(frame, name_boxes, kind)
        lost = [labels[i] for i, m in enumerate(marks) if len(m) != (1 if kind == "mark" else 2)]
        if lost:
            raise LayoutError("boxes_not_found", lost)
    rows = _rows(name_boxes, text_h, w, h)
    cores = letter_cores(frame, name_boxes)
    slots = tuple(Slot(index=i, label=labels[i], name=name_boxes[i], row=rows[i], boxes=marks[i],
                       core_y0=cores[i][0], core_y1=cores[i][1],
                       ocr_text=matches[i].text, ocr_score=round(matches[i].score, 1))
                  for i in range(len(labels)))
    seal = sealfind.find_seal(frame)
    return Layout(width=w, height=h, kind=kind, slots=slots, text_height=text_h, seal=seal), frame
