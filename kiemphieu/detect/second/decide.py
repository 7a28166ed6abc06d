"""Reader B's decisions: from the classifiers' probabilities to a state per name and a writing verdict.

Reader B shares no threshold with reader A (``detect/thresholds.py``): its only decision constants say how
sure a classifier must be to call a class, placed from the held-out tables of the accuracy report
(``models/REPORT.md``, "Placing the decision"). Below them the reading is UNCLEAR: reader A may still read
the name, but then the two readers disagree and a person looks.

A disagreement already sends a page to review wherever reader B reads another *clear* state than reader A,
so reader B need not be sure to catch reader A's mistakes: it only has to read differently. The name and
cell constants are therefore at one half (the most probable class, when it has the majority), where the
held-out clear pages are least often flagged; the writing constant is higher, since a page is flagged as
soon as one of its many windows is doubtful.
"""
from __future__ import annotations

import numpy as np

from ...records import AGREE, DISAGREE, EMPTY, MARKED, STANDING, STRUCK, UNCLEAR, VOID, NameState

NAME_SURE_PROB = 0.5   # a name's (strike ballots) class is read at this probability or more. Placed in round 8 on
#                        a fresh validation set (models/REPORT.md, seed 1796228125, 271 pages): 0.5 flags 7/127 clear
#                        pages, misreads 7/3488 clear names (0.6: 8/127, 7; 0.7: 13/127, 2); a clear class read
#                        below 0.5 spares one page (0.4: 6/127) and reads more unclear names clear (60 -> 63 of 270)
CELL_SURE_PROB = 0.5   # a printed cell's class, likewise: 0.5-0.8 all flag 1/23 held-out clear pages with
#                        0/453 cells misread; 0.5, the widest margin below the rise (0.9: 7/23, 0.95: 15/23)
REGION_PROB = 0.8      # a window is writing (or a note lying on the page) at this probability or more: held-out
#                        clean pages flagged 1/125, pages with writing seen 11/12, with a note 12/14
# Class order of each classifier's output (training/train_reader_b.py CLASSES).
NAME_CLASSES = (STANDING, STRUCK, UNCLEAR)
CELL_CLASSES = ("empty", "marked", "unclear")
REGION_CLASSES = ("other", "writing", "note")


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of (n, k) logits."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def sure_class(p: np.ndarray, classes: tuple, sure: float) -> str | None:
    """The class of one crop's probabilities ``p`` (k,), or None when no class reaches ``sure``."""
    k = int(np.argmax(p))
    return classes[k] if p[k] >= sure else None


def name_state(p: np.ndarray) -> NameState:
    """Strike ballots: STANDING, STRUCK or UNCLEAR from a name crop's probabilities."""
    c = sure_class(p, NAME_CLASSES, NAME_SURE_PROB)
    return NameState(c) if c is not None else UNCLEAR


def cell_state(p: np.ndarray) -> str:
    """One printed cell: "marked", "empty" or "unclear"."""
    return sure_class(p, CELL_CLASSES, CELL_SURE_PROB) or "unclear"


def mark_state(cell: str) -> NameState:
    """Mark ballots: the name's one box."""
    return {"marked": MARKED, "empty": EMPTY}.get(cell, UNCLEAR)


def approve_state(agree_cell: str, disagree_cell: str) -> NameState:
    """Yes/no ballots: AGREE, DISAGREE, VOID (both cells marked, or neither) or UNCLEAR."""
    if "unclear" in (agree_cell, disagree_cell):
        return UNCLEAR
    yes, no = agree_cell == "marked", disagree_cell == "marked"
    if yes != no:
        return AGREE if yes else DISAGREE
    return VOID


def writing_verdict(p: np.ndarray) -> tuple[str, list[int]]:
    """The page's added writing from the region windows' probabilities (n, 3): "yes" when a window is
    handwriting at REGION_PROB, "unclear" when one is a note lying on the page at REGION_PROB, else "no";
    and the windows that decided it."""
    if len(p) == 0:
        return "no", []
    writing = [i for i in range(len(p)) if p[i, 1] >= REGION_PROB]
    if writing:
        return "yes", writing
    notes = [i for i in range(len(p)) if p[i, 2] >= REGION_PROB]
    return ("unclear", notes) if notes else ("no", [])
