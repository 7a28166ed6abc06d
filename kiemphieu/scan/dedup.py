"""Double feeds: a new scan of a sheet already counted.

An exact copy of a file is known by its hash. A new scan of the same paper is not: its bytes differ.
What does not change is where the voter's pen (and the hand-applied seal) put ink on the sheet. So
each registered page keeps a small signature — a coarse bit map of the ink it has over the blank —
and a new page whose signature nearly equals a counted page's is sent to review. Signatures are
compared only with pages of about the same amount of ink, so the check stays cheap.
"""
from __future__ import annotations

import dataclasses

import cv2
import numpy as np

CELL_PX = 12                  # one signature bit covers this many template-frame pixels a side
PRINT_SLACK_PX = 3            # the blank's print is widened by this much (registration error is not ink)
BACKGROUND_SCALE = 0.125      # paper tone is estimated on a page shrunk by this factor
INK_CONTRAST = 0.35           # a pixel is ink when it is this much darker than paper, relative to the blank
CELL_INK_FRACTION = 0.02      # a cell is inked when this share of its pixels is ink
MIN_CELLS = 10                # pages with less ink (unmarked ballots) cannot be told apart: not compared
CELLS_RATIO = 1.5             # only pages whose inked cells are within this ratio are compared
SIMILAR = 0.95                # both pages have this share of their inked cells near the other's: a double feed
#                               (generated sets: distinct ballots reach 0.87, so below that nothing is flagged;
#                               about half the simulated re-feeds score ≥ 0.95 — the signature needs more work)


@dataclasses.dataclass
class Signature:
    cells: int                # inked cells
    shape: tuple[int, int]
    bits: bytes               # np.packbits of the bit map

    def array(self) -> np.ndarray:
        n = self.shape[0] * self.shape[1]
        return np.unpackbits(np.frombuffer(self.bits, np.uint8))[:n].reshape(self.shape).astype(bool)

    def to_blob(self) -> bytes:
        return self.shape[0].to_bytes(2, "little") + self.shape[1].to_bytes(2, "little") + self.bits

    @classmethod
    def from_blob(cls, blob: bytes, cells: int) -> "Signature":
        return cls(cells, (int.from_bytes(blob[:2], "little"), int.from_bytes(blob[2:4], "little")), blob[4:])


def _relative(grey: np.ndarray) -> np.ndarray:
    """Each pixel's brightness relative to the paper around it (1 = paper)."""
    small = cv2.resize(grey, None, fx=BACKGROUND_SCALE, fy=BACKGROUND_SCALE, interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, np.ones((5, 5), np.uint8))
    paper = cv2.resize(paper, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    return grey.astype(np.float32) / np.maximum(paper, 1).astype(np.float32)


def blank_reference(blank_frame: np.ndarray) -> np.ndarray:
    """The blank prepared once per process: print widened by PRINT_SLACK_PX, relative to paper."""
    k = 2 * PRINT_SLACK_PX + 1
    return _relative(cv2.erode(blank_frame, np.ones((k, k), np.uint8)))


def signature(blank_ref: np.ndarray, page: np.ndarray) -> Signature:
    """The ink ``page`` (registered into the template frame) has over the blank, as a coarse bit map."""
    ink = (blank_ref - _relative(cv2.GaussianBlur(page, (3, 3), 0))) > INK_CONTRAST
    h, w = ink.shape
    small = cv2.resize(ink.astype(np.float32), (w // CELL_PX, h // CELL_PX), interpolation=cv2.INTER_AREA)
    bits = small > CELL_INK_FRACTION
    return Signature(int(bits.sum()), bits.shape, np.packbits(bits).tobytes())


def comparable(cells: int) -> tuple[int, int] | None:
    """The range of inked cells a page must have to be compared with one of ``cells``; None: too little ink."""
    if cells < MIN_CELLS:
        return None
    return int(cells / CELLS_RATIO), int(np.ceil(cells * CELLS_RATIO))


def similarity(a: Signature, b: Signature) -> float:
    """The smaller of: share of a's inked cells next to one of b's, and the other way round."""
    if a.shape != b.shape:
        return 0.0
    x, y = a.array(), b.array()
    k = np.ones((3, 3), np.uint8)
    near_x = cv2.dilate(x.astype(np.uint8), k).astype(bool)
    near_y = cv2.dilate(y.astype(np.uint8), k).astype(bool)
    return min((x & near_y).sum() / max(1, x.sum()), (y & near_x).sum() / max(1, y.sum()))


# --- the same sheet, by what was read on it ----------------------------------------------------------
SEAL_MATCH_PX = 8             # a hand-applied seal lands within this many px of itself on a re-scan
STROKE_END_MATCH_PX = 10      # ... and so does each end of each stroke
MIN_STROKES = 2               # the fingerprint needs at least this many strokes


def same_sheet(a: dict, b: dict) -> bool:
    """True when two readings (``PageReading.to_dict()``) look like scans of one sheet of paper.

    The seal is stamped by hand at a different place on every ballot, and every voter's strokes start
    and end somewhere else: the same seal position, the same reading of every name and the same ends of
    at least MIN_STROKES strokes mean the same sheet. Without a located seal, or without strokes (mark
    ballots), nothing is claimed here; the coarse ink signature still applies.
    """
    ea, eb = a.get("evidence", {}), b.get("evidence", {})
    if "seal_x" not in ea or "seal_x" not in eb:
        return False
    if abs(ea["seal_x"] - eb["seal_x"]) > SEAL_MATCH_PX or abs(ea["seal_y"] - eb["seal_y"]) > SEAL_MATCH_PX:
        return False
    na, nb = a.get("names", []), b.get("names", [])
    if len(na) != len(nb) or any(x["state"] != y["state"] for x, y in zip(na, nb)):
        return False
    strokes = [x for x in na if x.get("evidence", {}).get("x_from", -1) >= 0]
    if len(strokes) < MIN_STROKES:
        return False   # without strokes (mark ballots, nothing struck) seal and states alone are too common
    for x, y in zip(na, nb):
        fx, fy = x.get("evidence", {}), y.get("evidence", {})
        for key in ("x_from", "x_to"):
            if key in fx and key in fy and (fx[key] < 0) == (fy[key] < 0) and fx[key] >= 0:
                if abs(fx[key] - fy[key]) > STROKE_END_MATCH_PX:
                    return False
            elif key in fx and key in fy and (fx[key] < 0) != (fy[key] < 0):
                return False
    return True
