"""Reader B: read a registered page by learned classifiers on crops, independently of reader A.

Pure: the page registered into the template frame, the blank (same frame) and the layout go in; a
``SecondReading`` comes out. Reader A measures the ink over the blank against hand-set thresholds
(``detect/read.py``); reader B looks at the page and the blank side by side through small networks
trained on the project's own generator (``training/``), with no threshold of A's. The two are compared
by ``tally.validity.readers_disagree``: where they differ, a person looks.
"""
from __future__ import annotations

import time

import numpy as np

from ...records import Box, Layout, NameReading, SecondReading
from . import crops as C
from .decide import approve_state, cell_state, mark_state, name_state, writing_verdict
from .model import Models


def read_second(models: Models, page: np.ndarray, blank: np.ndarray, layout: Layout,
                side: C.BlankSide | None = None) -> SecondReading:
    """Reader B's reading of ``page`` (uint8 grey, template frame) against ``blank`` (the same); ``side``:
    the blank's side of the crops cut already (``crops.blank_side``, once per count)."""
    t0 = time.perf_counter()
    names: list[NameReading] = []
    if layout.kind == "strike":
        p = models.probabilities("names", C.name_crops(page, blank, layout, side))
        for s, pi in zip(layout.slots, p):
            names.append(NameReading(s.index, s.label, name_state(pi), "", {"p": [round(float(v), 3) for v in pi]}))
    else:
        p = models.probabilities("cells", C.cell_crops(page, blank, layout, side))
        k = 0
        for s in layout.slots:
            cells = p[k:k + len(s.boxes)]
            k += len(s.boxes)
            states = [cell_state(c) for c in cells]
            if layout.kind == "mark":
                state = mark_state(states[0]) if states else mark_state("unclear")
            else:
                state = approve_state(*states) if len(states) == 2 else approve_state("unclear", "unclear")
            names.append(NameReading(s.index, s.label, state, "",
                                     {"p": [[round(float(v), 3) for v in c] for c in cells]}))
    where = C.proposals(page, blank, layout, side)
    pr = models.probabilities("regions", C.region_crops(page, blank, layout, where))
    verdict, idx = writing_verdict(pr)
    th = layout.text_height
    regions = []
    for i in idx:
        x0, y0, x1, y1 = C.region_area(where[i][0], where[i][1], th)
        regions.append(Box(int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1))))
    return SecondReading(names=names, writing=verdict, regions=regions,
                         evidence={"windows": len(where), "ms": round(1000 * (time.perf_counter() - t0), 1)})
