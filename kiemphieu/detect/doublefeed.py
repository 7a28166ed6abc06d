"""Double feeds: a new scan of a sheet already counted.

An exact copy of a file is known by its hash. A new scan of the same paper is not: its bytes differ.
What does not change is where the voter's pen and the hand-applied seal put ink on the sheet:

- ``same_sheet``: the same seal position, the same reading of every name and the same ends of the
  strokes (or the same extent of the marks in the boxes) as a counted page;
- ``similarity``: else a signature — a coarse bit map of the pen the reader found over the names, in
  the boxes and as writing (not print ghosts, creases or the seal) — nearly equal to a counted page's.

Either sends the new page to review. Candidates are only pages with the seal at about the same place
(when it was located) and about as much ink, centred at about the same place, so the check stays cheap
however many pages the count holds. Measured with ``benchmarks/double_feeds.py`` (generated sets, each
ballot fed three times: the scan and two new scans with another skew, scale, exposure and noise):
82–100 % of the re-fed pages named per set, 152 of 174 in all (the rest: sheets without ink, re-scans
read differently, seals found further apart), no page named after a different sheet.
"""
from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from . import thresholds as T


@dataclasses.dataclass
class Signature:
    cells: int                # inked cells
    shape: tuple[int, int]
    bits: bytes               # np.packbits of the bit map
    centre: tuple[int, int] = (0, 0)   # mean (row, column) of the inked cells

    def array(self) -> np.ndarray:
        n = self.shape[0] * self.shape[1]
        return np.unpackbits(np.frombuffer(self.bits, np.uint8))[:n].reshape(self.shape).astype(bool)

    def to_blob(self) -> bytes:
        return self.shape[0].to_bytes(2, "little") + self.shape[1].to_bytes(2, "little") + self.bits

    @classmethod
    def from_blob(cls, blob: bytes, cells: int) -> Signature:
        return cls(cells, (int.from_bytes(blob[:2], "little"), int.from_bytes(blob[2:4], "little")), blob[4:])


def signature(pen: np.ndarray) -> Signature:
    """The pen ink of a page (``PageReading.pen``: 0/1, template frame) as a coarse bit map."""
    c = T.CELL_PX
    h, w = (pen.shape[0] // c) * c, (pen.shape[1] // c) * c
    small = cv2.resize(pen[:h, :w] * np.uint8(255), (w // c, h // c), interpolation=cv2.INTER_AREA)
    bits = small > T.CELL_INK_SHARE * 255
    e = T.EDGE_CELLS
    bits[:e], bits[-e:], bits[:, :e], bits[:, -e:] = False, False, False, False
    rows, cols = np.nonzero(bits)
    centre = (int(round(rows.mean())), int(round(cols.mean()))) if rows.size else (0, 0)
    return Signature(int(bits.sum()), bits.shape, np.packbits(bits).tobytes(), centre)


def comparable(cells: int) -> tuple[int, int] | None:
    """The range of inked cells a page must have to be compared with one of ``cells``; None: too little ink."""
    if cells < T.MIN_CELLS:
        return None
    return int(cells / T.CELLS_RATIO), int(np.ceil(cells * T.CELLS_RATIO))


def similarity(a: Signature, b: Signature) -> float:
    """The smaller of: share of a's inked cells next to one of b's, and the other way round."""
    if a.shape != b.shape:
        return 0.0
    x, y = a.array(), b.array()
    k = np.ones((2 * T.NEAR_CELLS + 1, 2 * T.NEAR_CELLS + 1), np.uint8)
    near_x = cv2.dilate(x.astype(np.uint8), k).astype(bool)
    near_y = cv2.dilate(y.astype(np.uint8), k).astype(bool)
    return min((x & near_y).sum() / max(1, x.sum()), (y & near_x).sum() / max(1, y.sum()))


def same_pen(a: Signature, b: Signature) -> bool:
    """True when two pages' pen is so alike (``similarity`` at least ``SIMILAR_SHARE``) that one is a
    new scan of the other."""
    return similarity(a, b) >= T.SIMILAR_SHARE


# --- the same sheet, by what was read on it ----------------------------------------------------------


def seal_place(reading: dict) -> tuple[int, int] | None:
    """Where the reading found the seal (x, y, template px), if it found it.

    A seal found at two places means two sheets, even when one find is weak: voters who fill the same
    boxes leave the same pen, and the seal is then all that tells their ballots apart. (A re-scan that
    finds the seal more than SEAL_MATCH_PX off is then missed.)"""
    ev = reading.get("evidence", {})
    return (ev["seal_x"], ev["seal_y"]) if "seal_x" in ev else None


def same_sheet(a: dict, b: dict) -> bool:
    """True when two readings (``PageReading.to_dict()``) look like scans of one sheet of paper.

    The seal is stamped by hand at a different place on every ballot, and every voter's strokes and
    marks start and end somewhere else: the same seal position, the same reading of every name and the
    same ends of at least MIN_STROKES strokes (strike ballots) or the same extent of the pen in at
    least MIN_STROKES boxes (mark and yes/no ballots) mean the same sheet. Without a located seal, or
    with fewer strokes or marks, nothing is claimed here; the coarse ink signature still applies.
    """
    sa, sb = seal_place(a), seal_place(b)
    if sa is None or sb is None or max(abs(sa[0] - sb[0]), abs(sa[1] - sb[1])) > T.SEAL_MATCH_PX:
        return False
    na, nb = a.get("names", []), b.get("names", [])
    if len(na) != len(nb) or any(x["state"] != y["state"] for x, y in zip(na, nb)):
        return False
    marks = 0
    for x, y in zip(na, nb):
        fx, fy = x.get("evidence", {}), y.get("evidence", {})
        for key, tolerance in _FINGERPRINT:
            if key not in fx or key not in fy:
                continue
            u, v = fx[key], fy[key]
            if _absent(u) != _absent(v):
                return False
            if _absent(u):
                continue
            if max(abs(p - q) for p, q in zip(_listed(u), _listed(v))) > tolerance:
                return False
            marks += key != "x_to"      # a stroke counts once (by its start), a box once
    return marks >= T.MIN_STROKES


# evidence keys of a name that locate the voter's pen, and how far they may move on a re-scan (px)
_FINGERPRINT = (("x_from", T.STROKE_END_MATCH_PX), ("x_to", T.STROKE_END_MATCH_PX),
                ("box0", T.MARK_MATCH_PX), ("box1", T.MARK_MATCH_PX), ("box2", T.MARK_MATCH_PX))


def _absent(v) -> bool:
    return v == [] or (not isinstance(v, list) and v < 0)


def _listed(v) -> list:
    return v if isinstance(v, list) else [v]
