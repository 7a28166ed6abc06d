"""One page from pixels to a verdict: register → read → judge.

``Reader`` holds what every page needs (the prepared blank, the layout, the election) and is built
once per process; ``Reader.read`` is the whole per-page job and returns a plain ``PageResult``.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from .detect.blank import BlankRef, prepare_blank
from .detect.read import read_page
from .election import Election
from .records import Layout, PageReading, Verdict
from .detect.register import Registration, Target, make_target, registered
from .tally.validity import judge


@dataclasses.dataclass
class PageResult:
    reading: PageReading
    verdict: Verdict
    registration: dict


class Reader:
    def __init__(self, election: Election, layout: Layout, blank_frame: np.ndarray):
        self.election = election
        self.layout = layout
        self.blank_frame = blank_frame
        self.target: Target = make_target(blank_frame)
        self.blank: BlankRef = prepare_blank(blank_frame, layout)

    def register(self, grey: np.ndarray) -> tuple[Registration, np.ndarray | None]:
        return registered(self.target, grey)

    def read(self, grey: np.ndarray) -> PageResult:
        """Read one scanned page (uint8 grey, any resolution and orientation)."""
        reg, page = self.register(grey)
        info = {"ok": reg.ok, "why": reg.why, "inliers": reg.inliers, "matches": reg.matches,
                "rotation_deg": round(reg.rotation_deg, 2), "scale": round(reg.scale, 4)}
        if page is None:
            reading = PageReading(is_ballot=False, not_ballot_why="no_match:" + reg.why)
        else:
            reading = read_page(self.blank, page)
        return PageResult(reading, judge(reading, self.election), info)
