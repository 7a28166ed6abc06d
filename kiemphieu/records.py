"""Plain records passed between the stages (scan → detect → tally) and stored in the count.

Coordinates are pixels of the *template frame*: the blank ballot resampled so that its long side is
``WORK_LONG_SIDE_PX`` pixels. Every scan is registered into that frame before it is read.
"""
from __future__ import annotations

import dataclasses
from typing import Any

WORK_LONG_SIDE_PX = 1754  # long side of the template frame (A4 at 150 dpi)

# Per-name states, as read from the image.
STANDING = "standing"   # strike ballots: the name is left standing (a vote)
STRUCK = "struck"
MARKED = "marked"       # mark ballots: the box carries a mark (a vote)
EMPTY = "empty"
UNCLEAR = "unclear"


@dataclasses.dataclass(frozen=True)
class Box:
    """Axis-aligned box, pixels, half-open: x0 <= x < x1, y0 <= y < y1."""
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def w(self) -> int:
        return self.x1 - self.x0

    @property
    def h(self) -> int:
        return self.y1 - self.y0

    def grow(self, dx: int, dy: int) -> "Box":
        return Box(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    def clip(self, width: int, height: int) -> "Box":
        return Box(max(0, self.x0), max(0, self.y0), min(width, self.x1), min(height, self.y1))

    def intersects(self, o: "Box") -> bool:
        return self.x0 < o.x1 and o.x0 < self.x1 and self.y0 < o.y1 and o.y0 < self.y1

    def slices(self) -> tuple[slice, slice]:
        return slice(self.y0, self.y1), slice(self.x0, self.x1)

    def as_list(self) -> list[int]:
        return [self.x0, self.y0, self.x1, self.y1]


@dataclasses.dataclass(frozen=True)
class Slot:
    """Where one candidate sits on the ballot."""
    index: int           # position in the election file's candidate list
    label: str           # the candidate as printed
    name: Box            # the printed name's ink (OCR word boxes)
    row: Box             # the band of the page that belongs to this name (its share of the row)
    boxes: tuple[Box, ...] = ()   # mark boxes beside the name ("mark": 1, "approve": 2 — agree, disagree)
    core_y0: int = 0     # the band of the letters' bodies (x-height), from the blank's ink, px
    core_y1: int = 0
    ocr_text: str = ""   # what OCR read there
    ocr_score: float = 0.0  # fuzzy match score 0–100


@dataclasses.dataclass(frozen=True)
class Layout:
    width: int
    height: int
    kind: str
    slots: tuple[Slot, ...]
    text_height: int          # median height of a printed name, px
    seal: Box | None = None   # where the blank carries its seal

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Layout":
        def box(b):
            return Box(**b) if isinstance(b, dict) else Box(*b)
        slots = tuple(Slot(index=s["index"], label=s["label"], name=box(s["name"]), row=box(s["row"]),
                           boxes=tuple(box(b) for b in s.get("boxes", ())), core_y0=s.get("core_y0", 0),
                           core_y1=s.get("core_y1", 0), ocr_text=s.get("ocr_text", ""),
                           ocr_score=s.get("ocr_score", 0.0)) for s in d["slots"])
        seal = box(d["seal"]) if d.get("seal") else None
        return cls(width=d["width"], height=d["height"], kind=d["kind"], slots=slots,
                   text_height=d["text_height"], seal=seal)


@dataclasses.dataclass
class NameReading:
    """The reading of one candidate on one ballot, with the evidence it rests on."""
    index: int
    label: str
    state: str                       # STANDING / STRUCK / MARKED / EMPTY / UNCLEAR (approve: "agree"/"disagree"/"void")
    why: str = ""                    # reason code when unclear (partial_strike, underline, two_rows, faint, ...)
    evidence: dict[str, Any] = dataclasses.field(default_factory=dict)   # measures (floats), stroke ends and
    #                                                                     mark extents (px, for double feeds)


@dataclasses.dataclass
class PageReading:
    """What detect/ saw on one page; tally/ turns it into a status."""
    is_ballot: bool                  # False: not this ballot (blank sheet, another election)
    not_ballot_why: str = ""         # reason code when not a ballot
    doubt: list[str] = dataclasses.field(default_factory=list)   # page-level doubts (go to review)
    names: list[NameReading] = dataclasses.field(default_factory=list)
    extra_writing: list[Box] = dataclasses.field(default_factory=list)   # added writing outside the names
    stray_marks: list[Box] = dataclasses.field(default_factory=list)     # small marks that may be writing
    seal: str = "n/a"                # "present" / "absent" / "unclear" / "n/a"
    evidence: dict[str, float] = dataclasses.field(default_factory=dict)
    # Where the pen is (uint8 0/1, template frame): for the double-feed signature; not stored.
    pen: Any = dataclasses.field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(dataclasses.replace(self, pen=None))
        del d["pen"]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PageReading":
        d = dict(d)
        d["names"] = [NameReading(**n) for n in d.get("names", [])]
        d["extra_writing"] = [Box(**b) for b in d.get("extra_writing", [])]
        d["stray_marks"] = [Box(**b) for b in d.get("stray_marks", [])]
        return cls(**d)


@dataclasses.dataclass
class Verdict:
    """The status of a page under the rules."""
    status: str                      # valid / invalid / review / rejected
    votes: list[str]
    reasons: list[str]
    against: list[str] = dataclasses.field(default_factory=list)   # approve ballots: "Không đồng ý"
