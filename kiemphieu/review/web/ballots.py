"""What the review pages show and decide: the queue, the reasons in words, the decision, the picture."""
from __future__ import annotations

import collections
import dataclasses
import threading
from pathlib import Path
from typing import Any

from ... import texts
from ...election import Election, nfc
from ...records import CHOICES, INVALID_CODES, UNCLEAR, Code, NameState, Reason, Verdict
from ...store import Count
from ...tally.validity import DecisionError, invalid_verdict, rejected_verdict, verdict_from_states


@dataclasses.dataclass
class QueueItem:
    id: int
    source: str
    page: int
    reasons: list[str]
    holder: str | None          # reviewer holding it now (None: free)
    proposed_by: list[str]      # --two-person: who has already decided it


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
                       holds[p["id"]]["reviewer"] if p["id"] in holds else None, proposed.get(p["id"], []))
             for p in c.pages("review")]
    items.sort(key=lambda q: (reason_kind(q.reasons[0]) if q.reasons else "", q.id))
    return items


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
    evidence: dict[str, float]
    initial: str        # what the form starts with: the machine's reading when clear, "" when unclear


def name_rows(election: Election, page: dict[str, Any]) -> list[NameRow]:
    reading = page["reading"].get("names", [])
    by_index = {n["index"]: n for n in reading}
    choices = CHOICES[election.ballot]
    rows = []
    for i, label in enumerate(election.labels):
        n = by_index.get(i, {})
        state = n.get("state", UNCLEAR)
        rows.append(NameRow(i, label, state, n.get("why", ""), n.get("evidence", {}),
                            state if state in choices else ""))
    return rows


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
        if reason not in INVALID_CODES:
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
            img = reading_picture(back.page, reader.layout, back.reading, "")
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        return buf.getvalue()
