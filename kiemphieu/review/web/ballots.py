"""What the review pages show and decide: the queue, the reasons in words, the decision, the picture."""
from __future__ import annotations

import collections
import dataclasses
import threading
from pathlib import Path
from typing import Any

from ... import texts
from ...election import Election, nfc
from ...records import STANDING, STRUCK, UNCLEAR, PageReading
from ...store import Count

INVALID_REASONS = ("overvote", "no_votes", "write_in", "extra_writing", "no_seal", "other")
DECIDED = (STANDING, STRUCK)     # what a reviewer sets each name to (strike ballots: standing = vote)


@dataclasses.dataclass
class QueueItem:
    id: int
    source: str
    page: int
    reasons: list[str]
    holder: str | None          # reviewer holding it now (None: free)
    proposed_by: list[str]      # --two-person: who has already decided it


def reason_kind(reason: str) -> str:
    """``unclear:partial_strike:NAME`` → ``unclear:partial_strike`` (the queue is ordered by this)."""
    parts = reason.split(":")
    return ":".join(parts[:2]) if parts[0] in ("unclear", "page") else parts[0]


def describe(reason: str) -> str:
    """A reason code in words, in the current language; unknown codes are shown as they are."""
    parts = reason.split(":")
    head = parts[0]
    if head == "unclear" and len(parts) >= 2:
        why = _text("web_why_" + parts[1], parts[1])
        name = ":".join(parts[2:])
        return f"{why} — {name}" if name else why
    if head == "page" and len(parts) >= 2:
        return _text("web_page_" + parts[1], reason)
    if head == "not_ballot":
        return texts.t("status_rejected") + (f": {':'.join(parts[1:])}" if len(parts) > 1 else "")
    return _text("reason_" + head, _text("web_reason_" + head, reason))


def _text(key: str, default: str) -> str:
    return texts.t(key) if key in texts.TEXTS else default


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
    rows = []
    for i, label in enumerate(election.labels):
        n = by_index.get(i, {})
        state = n.get("state", UNCLEAR)
        rows.append(NameRow(i, label, state, n.get("why", ""), n.get("evidence", {}),
                            state if state in DECIDED else ""))
    return rows


class DecisionError(ValueError):
    """The form does not make a decision; the message (a texts key) says what is missing."""


def decision_from_form(election: Election, form: dict[str, str]) -> dict[str, Any]:
    """The decision a reviewer's form makes: {status, votes, against, reasons}."""
    action = form.get("action", "")
    if action == "names":
        votes = []
        for i, label in enumerate(election.labels):
            state = form.get(f"name_{i}", "")
            if state not in DECIDED:
                raise DecisionError("web_err_name_unset")
            if state == STANDING:
                votes.append(label)
        if len(votes) > election.seats:
            return {"status": "invalid", "votes": [], "against": [], "reasons": ["overvote"]}
        if not votes:
            return {"status": "invalid", "votes": [], "against": [], "reasons": ["no_votes"]}
        return {"status": "valid", "votes": votes, "against": [], "reasons": []}
    if action == "invalid":
        reason = form.get("invalid_reason", "")
        if reason not in INVALID_REASONS:
            raise DecisionError("web_err_reason")
        if reason == "other":
            text = nfc(form.get("other_text", ""))
            if not text:
                raise DecisionError("web_err_other_text")
            return {"status": "invalid", "votes": [], "against": [], "reasons": ["other:" + text]}
        return {"status": "invalid", "votes": [], "against": [], "reasons": [reason]}
    if action == "reject":
        text = nfc(form.get("reject_text", "")) or "reviewer"
        return {"status": "rejected", "votes": [], "against": [], "reasons": ["not_ballot:" + text]}
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

        from ...scan import batch
        from ...scan.load import LoadError, PageTask, page_pixels, read_file
        from ..overlay import reading_picture

        c = Count.open(self.count_path)
        try:
            p = c.page(ballot_id)
            if p is None:
                return None
            if self._reader is None:
                self._reader = batch.reader_for(c)
        finally:
            c.close()
        reader = self._reader
        try:
            kind = "pdf" if p["source"].lower().endswith(".pdf") else "image"
            data = read_file(Path(p["source"]))[0] if kind == "image" else None
            grey = page_pixels(PageTask(p["source"], p["page"], p["file_sha256"], kind, data))
        except (LoadError, OSError):
            return None
        _, page = reader.register(grey)
        if page is None:   # not registered to the blank: show the scan as it is
            img = Image.fromarray(cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB))
        else:
            reading = PageReading.from_dict(p["reading"]) if p["reading"].get("names") else reader.read(grey).reading
            img = reading_picture(page, reader.layout, reading, "")
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        return buf.getvalue()
