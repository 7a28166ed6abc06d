"""One page from file to verdict — the only path a page takes, in a scan, a recount and a picture.

``Reader`` holds what every page needs (the prepared blank, the layout, the election, reader B's
classifiers) and is built once per process (``reader_for`` a count, or from the bytes a Dask worker
receives). ``read_task`` is the whole per-page job: decode, register, read with both readers, judge; its
``PageOutcome`` carries the ``PageReading`` (reader B's inside it, ``PageReading.second``) and the
``Verdict`` themselves. ``reload`` gets a stored page back (its pixels, the page registered into the
template frame and the reading) for ``inspect``, the review pictures and ``verify``.
"""
from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..detect import capture, doublefeed, note
from ..detect.blank import BlankRef, prepare_blank
from ..detect.read import read_page
from ..detect.register import Lap, Registration, Target, make_target, no_lap, registered
from ..detect.second.crops import BlankSide, blank_side
from ..detect.second.model import Models
from ..detect.second.read import read_second
from ..election import Election
from ..records import Code, Layout, PageReading, Reason, Status, Verdict
from ..tally.validity import judge
from .load import LoadError, PageTask, page_colour, page_hash, page_pixels, read_file

READERS = (1, 2)      # reader A alone, or reader A checked by reader B (the default)


class Reader:
    """Everything needed to read pages of one count, prepared once per process. ``readers``: 2 (reader A
    and reader B, the default) or 1 (reader A alone)."""

    def __init__(self, election: Election, layout: Layout, blank_frame: np.ndarray, readers: int = 2):
        if readers not in READERS:
            raise ValueError(f"readers must be one of {READERS}")
        self.election = election
        self.layout = layout
        self.blank_frame = blank_frame
        self.readers = readers
        self.target: Target = make_target(blank_frame)
        self.blank: BlankRef = prepare_blank(blank_frame, layout)
        self.models: Models | None = Models.load() if readers == 2 else None
        self._low_passed: dict[float, tuple[BlankRef, np.ndarray]] = {}
        self._second_sides: dict[float, BlankSide] = {}     # reader B's crops of the blank, by grey_px

    def blank_for(self, grey_px: float = 0.0) -> tuple[BlankRef, np.ndarray]:
        """The prepared blank and its frame as a page low-passed by ``grey_px`` (template px) is compared
        with: the blank itself, or blurred as much (a greyed 1-bit page, ``capture.greyed_page``)."""
        if grey_px <= 0:
            return self.blank, self.blank_frame
        if grey_px not in self._low_passed:
            frame = cv2.GaussianBlur(self.blank_frame, (0, 0), grey_px)
            self._low_passed[grey_px] = (prepare_blank(frame, self.layout), frame)
        return self._low_passed[grey_px]

    def for_reading(self, grey: np.ndarray, reg: Registration, page: np.ndarray, grey_px: float) -> np.ndarray:
        """The registered page reader A and B see: ``page``, or a dithered 1-bit page made grey
        (``capture.greyed_page``, low-passed by ``grey_px`` template px; its grain measured where the blank
        low-passed as much holds no print)."""
        if grey_px <= 0:
            return page
        return capture.greyed_page(grey, reg.homography, grey_px, reg.scale, (self.target.width, self.target.height),
                                   self.blank_for(grey_px)[0].ink)

    def register(self, grey: np.ndarray, lap: Lap = no_lap) -> tuple[Registration, np.ndarray | None]:
        """The page registered into the template frame (None when it does not match the blank)."""
        return registered(self.target, grey, lap)

    def read(self, grey: np.ndarray, lap: Lap = no_lap, colour: np.ndarray | None = None
             ) -> tuple[PageReading, Registration]:
        """Read one scanned page (uint8 grey, any resolution and orientation). ``lap(stage)`` is called
        as each stage ends (``StageTimes.lap``); ``colour``: the page's reduced colour decode, if any
        (``load.page_colour``), where a note lying on it shows."""
        reg, page = self.register(grey, lap)
        seen = capture.look(self.target, self.layout, self.blank.ink, grey, reg, page)
        lap("capture")
        if page is None:
            if seen.doubts:          # a ballot seen but not readable: a person looks, never thrown out
                return PageReading(is_ballot=True, doubt=seen.doubts, evidence=seen.evidence), reg
            return PageReading(is_ballot=False, not_ballot_why=seen.not_ballot_why or reg.why), reg
        page = self.for_reading(grey, reg, page, seen.grey_px)
        lap("resample")
        reading = capture.judged(self.read_registered(page, lap, seen.grey_px), seen)
        if reading.is_ballot and Code.OBSTRUCTION not in reading.doubt and seen.grey_px <= 0:
            found, kind = note.find_note(page, self.layout.text_height, colour, reg.homography, grey.shape,
                                         tuple(b for s in self.layout.slots for b in s.boxes))
            if found is not None and (kind == "colour" or not reg.camera):
                reading.doubt.append(Code.OBSTRUCTION)
                reading.evidence.update(note.note_evidence(found, kind))
            lap("reader_a")
        return reading, reg

    def read_registered(self, page: np.ndarray, lap: Lap = no_lap, grey_px: float = 0.0) -> PageReading:
        """Both readers on a page already registered into the template frame (reader B only on what
        reader A takes for a ballot of this election); ``grey_px``: the page was low-passed that much
        (template px), and is compared with the blank low-passed as much."""
        blank, frame = self.blank_for(grey_px)
        reading = read_page(blank, page)
        lap("reader_a")
        if self.models is not None and reading.is_ballot:
            if grey_px not in self._second_sides:
                self._second_sides[grey_px] = blank_side(frame, self.layout)
            reading.second = read_second(self.models, page, frame, self.layout, self._second_sides[grey_px])
            lap("reader_b")
        return reading


def reader_for(count, readers: int = 2) -> Reader:
    """The reader of an open ``store.Count``."""
    frame = cv2.imdecode(np.frombuffer(count.blank_frame_png(), np.uint8), cv2.IMREAD_GRAYSCALE)
    return Reader(count.election(), count.layout(), frame, readers)


def registration_record(reg: Registration) -> dict[str, Any]:
    """How a page was registered, as stored with it."""
    out = {"ok": reg.ok, "why": reg.why, "inliers": reg.inliers, "matches": reg.matches,
           "rotation_deg": round(reg.rotation_deg, 2), "scale": round(reg.scale, 4)}
    if reg.camera:
        out.update(camera=True, sheets=reg.sheets, **{k: v for k, v in reg.evidence.items() if not k.startswith("_")})
    return out


@dataclasses.dataclass
class StageTimes:
    """Seconds one page spent in each stage, as CPU time of this process (``time.process_time``, OpenCV's
    own threads included) and as wall time (``time.perf_counter``). Stages, in the order a page meets
    them: decode, pose (finding the page's pose; a camera's photo: its whole registration), resample
    (refining the pose and warping into the template frame), capture (the capture's checks), reader_a,
    reader_b, judge, and store (in the process that stores, ``runner.read_pages``)."""
    cpu: dict[str, float] = dataclasses.field(default_factory=dict)
    wall: dict[str, float] = dataclasses.field(default_factory=dict)
    since_cpu: float = dataclasses.field(default_factory=lambda: time.process_time(), repr=False)
    since_wall: float = dataclasses.field(default_factory=lambda: time.perf_counter(), repr=False)

    def restart(self) -> None:
        """Time the next lap from now (in the process that stores the page, say)."""
        self.since_cpu, self.since_wall = time.process_time(), time.perf_counter()

    def lap(self, stage: str) -> None:
        """Charge the time since the last lap (or since this record was made) to ``stage``."""
        c, w = time.process_time(), time.perf_counter()
        self.cpu[stage] = self.cpu.get(stage, 0.0) + c - self.since_cpu
        self.wall[stage] = self.wall.get(stage, 0.0) + w - self.since_wall
        self.since_cpu, self.since_wall = c, w


@dataclasses.dataclass
class PageOutcome:
    """What reading one page gave: an error (the page could not be read), or its reading and verdict."""
    task: PageTask                       # without its bytes
    sha256: str = ""                     # the page's content hash
    reading: PageReading | None = None   # without the pen map (``signature`` keeps what is needed of it)
    verdict: Verdict | None = None
    registration: dict[str, Any] = dataclasses.field(default_factory=dict)
    signature: doublefeed.Signature | None = None    # for double-feed checks
    error: str = ""                      # why the page could not be read (a message for people)
    seconds: float = 0.0
    times: StageTimes = dataclasses.field(default_factory=StageTimes)   # per stage, for the benchmarks


def read_task(reader: Reader, task: PageTask) -> PageOutcome:
    """Decode, register, read and judge one page; never raises for bad input.

    A page the reader fails on goes to review with the reason: never lost, never guessed.
    """
    t0 = time.perf_counter()
    times = StageTimes()
    out = PageOutcome(dataclasses.replace(task, data=None), times=times)
    try:
        grey = page_pixels(task)
    except LoadError as ex:
        out.error = str(ex)
        return out
    out.sha256 = page_hash(task, grey)
    colour = page_colour(task)
    times.lap("decode")
    try:
        reading, reg = reader.read(grey, times.lap, colour)
    except Exception as ex:  # noqa: BLE001 - a page the reader cannot handle goes to a person, never lost
        out.reading = PageReading(is_ballot=True, doubt=[Code.READ_ERROR])
        out.verdict = Verdict(Status.REVIEW, [], [Reason(Code.READ_ERROR, type(ex).__name__)])
    else:
        out.verdict = judge(reading, reader.election)
        out.registration = registration_record(reg)
        if reading.is_ballot and reading.pen is not None:
            out.signature = doublefeed.signature(reading.pen)
        out.reading = dataclasses.replace(reading, pen=None)
    times.lap("judge")
    out.seconds = time.perf_counter() - t0
    return out


def source_kind(source: str) -> str:
    return "pdf" if source.lower().endswith(".pdf") else "image"


def stored_task(page: dict[str, Any]) -> PageTask:
    """The task that reads a stored page again from its file; LoadError if the file cannot be read."""
    path = page.get("path", page["source"])       # the name as the file system has it (store/pages.py)
    kind = source_kind(path)
    data = read_file(Path(path))[0] if kind == "image" else None
    return PageTask(path, page["page"], page["file_sha256"], kind, data)


@dataclasses.dataclass
class Reloaded:
    grey: np.ndarray                     # the scan as loaded
    page: np.ndarray | None              # registered into the template frame (None: it does not match the blank)
    reading: PageReading                 # as stored (read again when the stored one has no names)


def reload(reader: Reader, page: dict[str, Any]) -> Reloaded:
    """A stored page back from its file, for pictures; LoadError if the file cannot be read."""
    grey = page_pixels(stored_task(page))
    reg, registered_page = reader.register(grey)
    grey_px = 0.0
    if registered_page is not None:
        grey_px = capture.bilevel_grey_px(grey, reg)
        registered_page = reader.for_reading(grey, reg, registered_page, grey_px)
    stored = PageReading.from_dict(page["reading"])
    if not stored.names and registered_page is not None:
        stored = reader.read_registered(registered_page, grey_px=grey_px)
    return Reloaded(grey, registered_page, stored)
