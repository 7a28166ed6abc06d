"""What the review pages show and decide: the queue, the reasons in words, the decision, the picture."""
from __future__ import annotations

import collections
import dataclasses
import threading
from pathlib import Path
from typing import Any

from ... import texts
from ...election import Election, nfc
from ...records import CHOICES, INVALID_CODES, UNCLEAR, Box, Code, Layout, NameState, Reason, Slot, Verdict
from ...store import Count
from ...tally.validity import DecisionError, invalid_verdict, rejected_verdict, verdict_from_states
from .words import group_words


@dataclasses.dataclass
class QueueItem:
    id: int
    source: str
    page: int
    reasons: list[str]
    holder: str | None          # reviewer holding it now (None: free)
    proposed_by: list[str]      # --two-person: who has already decided it
    until: float = 0.0          # when the hold ends, unix time


def reason_kind(reason: Reason) -> str:
    """What the queue is ordered and grouped by: the code, and for unclear names how they are unclear."""
    return f"{reason.code}:{reason.why}" if reason.code == Code.UNCLEAR else str(reason.code)


def queue(c: Count) -> list[QueueItem]:
    """Ballots in review, ordered by reason, then scan order."""
    holds = c.holds()
    proposed: dict[int, list[str]] = collections.defaultdict(list)
    for p in c.proposals():
        proposed[p["page_id"]].append(p["reviewer"])
    items = [QueueItem(p["id"], p["source"], p["page"], p["reasons"],
                       holds[p["id"]]["reviewer"] if p["id"] in holds else None, proposed.get(p["id"], []),
                       holds[p["id"]]["until"] if p["id"] in holds else 0.0)
             for p in c.pages("review")]
    items.sort(key=lambda q: (reason_kind(q.reasons[0]) if q.reasons else "", q.id))
    return items


def by_reason(items: list[QueueItem]) -> list[tuple[str, int]]:
    """How many ballots give each reason (in words; unclear names by how they are unclear), most first.
    A ballot with two names unclear the same way counts once."""
    counts: collections.Counter[str] = collections.Counter()
    for q in items:
        counts.update({group_words(r) for r in q.reasons})
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def next_for(items: list[QueueItem], reviewer: str, after: int | None = None) -> int | None:
    """The next ballot this reviewer may take: not held by another, not already decided by him."""
    free = [q for q in items if q.holder in (None, reviewer) and reviewer not in q.proposed_by]
    if after is not None:
        ids = [q.id for q in items]
        if after in ids:
            later = [q for q in free if ids.index(q.id) > ids.index(after)]
            free = later or free
    return free[0].id if free else None


@dataclasses.dataclass
class NameRow:
    index: int
    label: str
    state: str          # the machine's reading
    why: str
    initial: str        # what the form starts with: the machine's reading when clear, "" when unclear
    flagged: bool       # the reason the ballot is in review concerns this name
    box: str = ""       # where the name and its boxes are on the picture: "x0 y0 x1 y1", fractions of it
    second: str = ""    # reader B's reading ("" when the page was read by reader A alone)

    @property
    def key(self) -> str:
        """The keys that pick this row: its number."""
        return str(self.index + 1)


def _fractions(box: Box, layout: Layout) -> str:
    return " ".join(f"{v:.4f}" for v in (max(0.0, box.x0 / layout.width), max(0.0, box.y0 / layout.height),
                                         min(1.0, box.x1 / layout.width), min(1.0, box.y1 / layout.height)))


def _slot_box(slot: Slot, layout: Layout) -> Box:
    """The name and its mark boxes, with a margin of half a text height."""
    boxes = (slot.name,) + tuple(slot.boxes)
    m = layout.text_height // 2
    return Box(min(b.x0 for b in boxes) - m, min(b.y0 for b in boxes) - m,
               max(b.x1 for b in boxes) + m, max(b.y1 for b in boxes) + m)


def name_rows(election: Election, page: dict[str, Any], layout: Layout | None = None,
              chosen: dict[str, str] | None = None) -> list[NameRow]:
    """One row per candidate: the machine's reading, what the form starts with (``chosen``: a form sent
    back, by ``name_<i>``), whether the doubt concerns it and where it is on the picture (``layout``
    given and the page registered to the blank)."""
    reading = page["reading"].get("names", [])
    by_index = {n["index"]: n for n in reading}
    second = {n["index"]: n["state"] for n in (page["reading"].get("second") or {}).get("names", [])}
    choices = CHOICES[election.ballot]
    doubted = {name for r in page["reasons"] for name in r.names}
    slots = {s.index: s for s in layout.slots} if layout and page["registration"].get("ok") else {}
    rows = []
    for i, label in enumerate(election.labels):
        n = by_index.get(i, {})
        state = n.get("state", UNCLEAR)
        initial = state if state in choices and label not in doubted else ""   # the readers disagree: no default
        if chosen is not None:
            initial = chosen.get(f"name_{i}", "") if chosen.get(f"name_{i}", "") in choices else ""
        flagged = bool(n) and (state == UNCLEAR or label in doubted)
        rows.append(NameRow(i, label, state, n.get("why", ""), initial, flagged,
                            _fractions(_slot_box(slots[i], layout), layout) if i in slots else "", second.get(i, "")))
    return rows


def focus_box(page: dict[str, Any], layout: Layout, rows: list[NameRow]) -> str:
    """What the picture opens on: the flagged names, else the writing or marks the reader found ("" for the
    whole page)."""
    if not page["registration"].get("ok"):
        return ""
    slots = {s.index: s for s in layout.slots}
    boxes = [_slot_box(slots[r.index], layout) for r in rows if r.flagged and r.index in slots]
    if not boxes:
        reading = page["reading"]
        m = layout.text_height
        boxes = [Box(**b).grow(m, m) for b in reading.get("extra_writing", []) + reading.get("stray_marks", [])]
    if not boxes:
        return ""
    return _fractions(Box(min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes),
                          max(b.y1 for b in boxes)), layout)


def invalid_choices(election: Election) -> list[tuple[str, str, str]]:
    """(code, words, key) of the invalid reasons a person may give on this election's ballots: more names
    than seats and no name only where the names decide it (not on yes/no ballots), no seal only where a
    seal is required."""
    out = []
    for code in INVALID_CODES:
        if code in (Code.OVERVOTE, Code.NO_VOTES) and election.ballot == "approve":
            continue
        if code == Code.NO_SEAL and not election.require_seal:
            continue
        key = f"web_invalid_{code}_{election.ballot}"
        out.append((str(code), texts.t(key if key in texts.TEXTS else f"web_invalid_{code}"), INVALID_KEYS[code]))
    return out


INVALID_KEYS = {Code.OVERVOTE: "o", Code.NO_VOTES: "n", Code.WRITE_IN: "w", Code.EXTRA_WRITING: "e",
                Code.NO_SEAL: "s", Code.OTHER: "t"}


def decision_from_form(election: Election, form: dict[str, str]) -> Verdict:
    """The verdict a reviewer's form makes, judged by the same rule as the machine's reading.

    ``action`` names: every name set to one of the ballot kind's choices (``name_<i>``); ``invalid``:
    ``invalid_reason`` (and ``other_text``); ``reject``: ``reject_text``. DecisionError (a texts key)
    when the form does not make a decision.
    """
    action = form.get("action", "")
    if action == "names":
        choices = CHOICES[election.ballot]
        states = {}
        for i, label in enumerate(election.labels):
            state = form.get(f"name_{i}", "")
            if state not in choices:
                raise DecisionError("web_err_name_unset", name=label, n=i + 1)
            states[label] = NameState(state)
        return verdict_from_states(election, states)
    if action == "invalid":
        reason = form.get("invalid_reason", "")
        if reason not in [code for code, _, _ in invalid_choices(election)]:
            raise DecisionError("web_err_reason")
        text = nfc(form.get("other_text", ""))
        if reason == Code.OTHER and not text:
            raise DecisionError("web_err_other_text")
        return invalid_verdict(reason, text)
    if action == "reject":
        return rejected_verdict(nfc(form.get("reject_text", "")) or "reviewer")
    raise DecisionError("web_err_action")


class Pictures:
    """The ballot as the reader saw it, with the reading drawn over it (JPEG bytes), cached."""

    def __init__(self, count_path: Path, size: int = 48):
        self.count_path, self.size = count_path, size
        self._cache: collections.OrderedDict[int, bytes] = collections.OrderedDict()
        self._reader = None
        self._lock = threading.Lock()

    def get(self, ballot_id: int) -> bytes | None:
        with self._lock:
            if ballot_id in self._cache:
                self._cache.move_to_end(ballot_id)
                return self._cache[ballot_id]
            data = self._draw(ballot_id)
            if data is not None:
                self._cache[ballot_id] = data
                while len(self._cache) > self.size:
                    self._cache.popitem(last=False)
            return data

    def _draw(self, ballot_id: int) -> bytes | None:
        import io

        import cv2
        from PIL import Image

        from ...scan.load import LoadError
        from ...scan.page import reader_for, reload
        from ..overlay import reading_picture

        c = Count.open(self.count_path, readonly=True)
        try:
            p = c.page(ballot_id)
            if p is None:
                return None
            if self._reader is None:
                self._reader = reader_for(c)
        finally:
            c.close()
        reader = self._reader
        try:
            back = reload(reader, p)
        except (LoadError, OSError):
            return None
        if back.page is None:   # not registered to the blank: show the scan as it is
            img = Image.fromarray(cv2.cvtColor(back.grey, cv2.COLOR_GRAY2RGB))
        else:
            img = reading_picture(back.page, reader.layout, back.reading, "", evidence=False)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        return buf.getvalue()
