"""Plain records passed between the stages (scan → detect → tally) and stored in the count.

Coordinates are pixels of the *template frame*: the blank ballot resampled so that its long side is
``WORK_LONG_SIDE_PX`` pixels. Every scan is registered into that frame before it is read.
"""
from __future__ import annotations

import dataclasses
import enum
from typing import Any

WORK_LONG_SIDE_PX = 1754  # long side of the template frame (A4 at 150 dpi)


class NameState(enum.StrEnum):
    """What was read for one name (or what a person decided for it)."""
    STANDING = "standing"     # strike ballots: the name is left standing (a vote)
    STRUCK = "struck"
    MARKED = "marked"         # mark ballots: the box carries a mark (a vote)
    EMPTY = "empty"
    AGREE = "agree"           # yes/no ballots: "Đồng ý" marked (a vote)
    DISAGREE = "disagree"     # ... "Không đồng ý" marked
    VOID = "void"             # ... both cells or neither: the row counts for nobody
    UNCLEAR = "unclear"       # the reader cannot tell: a person decides


STANDING, STRUCK, MARKED, EMPTY, UNCLEAR = (NameState.STANDING, NameState.STRUCK, NameState.MARKED, NameState.EMPTY,
                                            NameState.UNCLEAR)
AGREE, DISAGREE, VOID = NameState.AGREE, NameState.DISAGREE, NameState.VOID

# The states a name can be given on each kind of ballot, the one that is a vote first.
CHOICES: dict[str, tuple[NameState, ...]] = {
    "strike": (STANDING, STRUCK),
    "mark": (MARKED, EMPTY),
    "approve": (AGREE, DISAGREE, VOID),
}


class Status(enum.StrEnum):
    """A page's status under the rules."""
    VALID = "valid"
    INVALID = "invalid"
    REVIEW = "review"          # a person must decide
    REJECTED = "rejected"      # not a ballot of this election: never counted


class Code(enum.StrEnum):
    """Why a page has its status. Stable: stored in counts and exported."""
    # invalid (a person may give any of these; the reader finds the first four)
    OVERVOTE = "overvote"            # more names chosen than seats
    NO_VOTES = "no_votes"            # every name struck / no box marked
    WRITE_IN = "write_in"            # a name written in
    EXTRA_WRITING = "extra_writing"  # other writing added on the ballot
    NO_SEAL = "no_seal"
    OTHER = "other"                  # a person's own reason (``Reason.why``)
    # review
    UNCLEAR = "unclear"              # a name's mark is unclear (``why``: how; ``names``)
    STRAY_MARK = "stray_mark"        # a small mark that may be writing
    FAINT_WRITING = "faint_writing"  # strokes lighter than the pen outside the names, that may be writing
    SEAL_UNCLEAR = "seal_unclear"
    PRINT_MISMATCH = "print_mismatch"  # part of the blank's print is missing from the page
    OBSTRUCTION = "obstruction"      # something lies on the ballot (a note, a slip of paper) and hides part of it
    READ_ERROR = "read_error"        # the reader failed on the page (``why``: the error's type)
    DOUBLE_FEED = "double_feed"      # possibly a sheet already counted (``ballot``: the one it resembles)
    REOPENED = "reopened"            # an admin sent a decided ballot back to review
    READERS_DISAGREE = "readers_disagree"  # reader A and reader B read it differently (``why``: "names" or
    #                                        "writing"; ``names``: the names concerned)
    PHOTO_BLURRED = "photo_blurred"  # the photo is too blurred to read the marks: take it again
    PHOTO_UNMATCHED = "photo_unmatched"  # a photographed sheet with print that could not be matched to the blank
    PHOTO_TOO_SMALL = "photo_too_small"  # the photo has too few pixels for the names' size: take it closer
    PHOTO_CUT_OFF = "photo_cut_off"  # part of the sheet lies outside the photo
    PHOTO_GLARE = "photo_glare"      # glare washes out a name's print
    LIGHT_SCAN = "light_scan"        # a 1-bit scan set so light that the blank's print is thinned
    TWO_BALLOTS = "two_ballots"      # two ballots on one page (``why``: what was seen)
    # rejected
    NOT_BALLOT = "not_ballot"        # ``why``: the reader's code (bad_pose, print_mismatch, …) or a person's words


def is_code(text: str) -> bool:
    return text in Code._value2member_map_


INVALID_CODES = (Code.OVERVOTE, Code.NO_VOTES, Code.WRITE_IN, Code.EXTRA_WRITING, Code.NO_SEAL, Code.OTHER)


@dataclasses.dataclass(frozen=True)
class Reason:
    """One reason for a page's status: a code, and what it refers to."""
    code: Code
    why: str = ""                    # unclear: how (partial_strike, underline, …); not_ballot / other: the words
    names: tuple[str, ...] = ()      # the candidates it concerns
    ballot: int | None = None        # another ballot it refers to (double feed)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": str(self.code)}
        if self.why:
            d["why"] = self.why
        if self.names:
            d["names"] = list(self.names)
        if self.ballot is not None:
            d["ballot"] = self.ballot
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Reason:
        return cls(Code(d["code"]), d.get("why", ""), tuple(d.get("names", ())), d.get("ballot"))

    @classmethod
    def from_legacy(cls, text: str) -> Reason:
        """A reason as counts of schema version 1 stored it: ``unclear:why:NAME``, ``page:double_feed:7``,
        ``not_ballot:no_match:bad_pose``, ``other:words``, a code, or a person's free words."""
        head, _, rest = text.partition(":")
        if head == "unclear":
            why, _, name = rest.partition(":")
            return cls(Code.UNCLEAR, why, (name,) if name else ())
        if head == "page":
            kind, _, arg = rest.partition(":")
            if kind == "double_feed":
                return cls(Code.DOUBLE_FEED, ballot=int(arg) if arg.isdigit() else None)
            if kind == "read_error":
                return cls(Code.READ_ERROR, arg)
            return cls(Code(kind)) if is_code(kind) else cls(Code.READ_ERROR, kind)
        if head == "not_ballot":
            return cls(Code.NOT_BALLOT, rest.rpartition(":")[2] if rest.startswith("no_match:") else rest)
        if head == "other" and rest:
            return cls(Code.OTHER, rest)
        if is_code(text):
            return cls(Code(text))
        return cls(Code.OTHER, text)


def reasons_from(items: list[Any]) -> list[Reason]:
    """Reasons from stored JSON: records (``to_dict``) or, from older counts, strings."""
    return [r if isinstance(r, Reason) else Reason.from_dict(r) if isinstance(r, dict) else Reason.from_legacy(r)
            for r in items]


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

    def grow(self, dx: int, dy: int) -> Box:
        return Box(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    def clip(self, width: int, height: int) -> Box:
        return Box(max(0, self.x0), max(0, self.y0), min(width, self.x1), min(height, self.y1))

    def intersects(self, o: Box) -> bool:
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
    def from_dict(cls, d: dict[str, Any]) -> Layout:
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
    state: NameState
    why: str = ""                    # reason code when unclear (partial_strike, underline, two_rows, faint, ...)
    evidence: dict[str, Any] = dataclasses.field(default_factory=dict)   # measures (floats), stroke ends and
    #                                                                     mark extents (px, for double feeds)


@dataclasses.dataclass
class SecondReading:
    """What reader B (detect/second) saw on a page reader A read as a ballot: a state per name, and the
    writing added outside the names."""
    names: list[NameReading] = dataclasses.field(default_factory=list)   # ``evidence["p"]``: the
    #                                                 classifier's probabilities (per cell on mark/yes-no ballots)
    writing: str = "no"              # "yes" (handwriting added), "no", or "unclear" (a note on it, a doubtful mark)
    regions: list[Box] = dataclasses.field(default_factory=list)   # where it saw writing or could not tell
    evidence: dict[str, float] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SecondReading:
        return cls([NameReading(**{**n, "state": NameState(n["state"])}) for n in d.get("names", [])],
                   d.get("writing", "no"), [Box(**b) for b in d.get("regions", [])], dict(d.get("evidence", {})))


@dataclasses.dataclass
class PageReading:
    """What detect/ saw on one page; tally/ turns it into a status."""
    is_ballot: bool                  # False: not this ballot (blank sheet, another election)
    not_ballot_why: str = ""         # why it is not a ballot (a code: bad_pose, print_mismatch, …)
    doubt: list[Code] = dataclasses.field(default_factory=list)   # page-level doubts (go to review)
    names: list[NameReading] = dataclasses.field(default_factory=list)
    extra_writing: list[Box] = dataclasses.field(default_factory=list)   # added writing outside the names
    stray_marks: list[Box] = dataclasses.field(default_factory=list)     # small marks that may be writing
    seal: str = "n/a"                # "present" / "absent" / "unclear" / "n/a"
    evidence: dict[str, float] = dataclasses.field(default_factory=dict)
    second: SecondReading | None = None   # reader B's reading (None: read by reader A alone)
    # Where the pen is (uint8 0/1, template frame): for the double-feed signature; not stored.
    pen: Any = dataclasses.field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(dataclasses.replace(self, pen=None))
        del d["pen"]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PageReading:
        d = dict(d)
        d["names"] = [NameReading(**{**n, "state": NameState(n["state"])}) for n in d.get("names", [])]
        d["doubt"] = [Code(x) for x in d.get("doubt", [])]
        d["extra_writing"] = [Box(**b) for b in d.get("extra_writing", [])]
        d["stray_marks"] = [Box(**b) for b in d.get("stray_marks", [])]
        d["second"] = SecondReading.from_dict(d["second"]) if d.get("second") else None
        return cls(**d)


@dataclasses.dataclass
class Verdict:
    """The status of a page under the rules, by the reader or by a person."""
    status: Status
    votes: list[str] = dataclasses.field(default_factory=list)      # names that get a vote (valid ballots)
    reasons: list[Reason] = dataclasses.field(default_factory=list)
    against: list[str] = dataclasses.field(default_factory=list)    # yes/no ballots: "Không đồng ý" (valid ballots)

    def to_dict(self) -> dict[str, Any]:
        return {"status": str(self.status), "votes": list(self.votes), "against": list(self.against),
                "reasons": [r.to_dict() for r in self.reasons]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Verdict:
        return cls(Status(d["status"]), list(d.get("votes", [])), reasons_from(d.get("reasons", [])),
                   list(d.get("against", [])))
