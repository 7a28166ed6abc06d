"""Reader B's decisions: from the classifiers' probabilities to a state per name and a writing verdict.

Reader B shares no threshold with reader A (``detect/thresholds.py``): its only decision constant is how
sure a classifier must be to call a class, placed from the held-out accuracy report
(``models/REPORT.md``). Below it the reading is UNCLEAR: reader A may still read the name, but then the
two readers disagree and a person looks.
"""
from __future__ import annotations

import numpy as np

from ...records import AGREE, DISAGREE, EMPTY, MARKED, STANDING, STRUCK, UNCLEAR, VOID, NameState

SURE_PROB = 0.9      # a class is read only when the classifier gives it at least this probability
# Class order of each classifier's output (training/train_reader_b.py CLASSES).
NAME_CLASSES = (STANDING, STRUCK, UNCLEAR)
CELL_CLASSES = ("empty", "marked", "unclear")
REGION_CLASSES = ("other", "writing", "note")


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of (n, k) logits."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def sure_class(p: np.ndarray, classes: tuple) -> str | None:
    """The class of one crop's probabilities ``p`` (k,), or None when no class reaches SURE_PROB."""
    k = int(np.argmax(p))
    return classes[k] if p[k] >= SURE_PROB else None


def name_state(p: np.ndarray) -> NameState:
    """Strike ballots: STANDING, STRUCK or UNCLEAR from a name crop's probabilities."""
    c = sure_class(p, NAME_CLASSES)
    return NameState(c) if c is not None else UNCLEAR


def cell_state(p: np.ndarray) -> str:
    """One printed cell: "marked", "empty" or "unclear"."""
    return sure_class(p, CELL_CLASSES) or "unclear"


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
    surely handwriting, "unclear" when one is surely a note lying on the page or cannot be called,
    else "no"; and the windows that decided it."""
    if len(p) == 0:
        return "no", []
    cls = [sure_class(row, REGION_CLASSES) for row in p]
    writing = [i for i, c in enumerate(cls) if c == "writing"]
    if writing:
        return "yes", writing
    doubt = [i for i, c in enumerate(cls) if c != "other"]
    return ("unclear", doubt) if doubt else ("no", [])
