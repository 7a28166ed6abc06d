"""What the pages show, in words of the current language (``texts``): codes, times, decisions, the log.

Nothing here touches the count; the routes hand over what they read.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ... import texts
from ...records import Code, Reason, reasons_from


def _known(key: str, default: str) -> str:
    return texts.t(key) if key in texts.TEXTS else default


def status_text(status: str) -> str:
    return _known("status_" + status, status)


def state_text(state: str) -> str:
    return _known("web_state_" + state, state)


def why_text(why: str) -> str:
    return _known("why_" + why, "")


def reason_words(r: Reason) -> str:
    """A reason in words, without the reader's internal codes (a read error's exception type)."""
    if r.code == Code.READ_ERROR:
        return texts.t("web_reason_read_error")
    if r.code == Code.NOT_BALLOT and r.why and "not_ballot_" + r.why not in texts.TEXTS and r.why.isidentifier():
        return texts.t("reason_not_ballot")      # a code the texts do not know
    return texts.reason(r)


def group_words(r: Reason) -> str:
    """What the queue groups a reason under: its code, and for unclear names how they are unclear."""
    if r.code == Code.DOUBLE_FEED:
        return texts.t("web_group_double_feed")
    if r.code == Code.UNCLEAR:
        return reason_words(Reason(r.code, r.why))
    if r.code in (Code.NOT_BALLOT, Code.OTHER):
        return reason_words(Reason(r.code))
    return reason_words(r)


def local_time(value: str | float | None) -> str:
    """A stored time (ISO text with its offset, or unix seconds) as people read it, in local time:
    "21 giờ 42, 01/12/2026"."""
    if value in (None, ""):
        return ""
    try:
        at = (dt.datetime.fromtimestamp(value, dt.UTC) if isinstance(value, (int, float))
              else dt.datetime.fromisoformat(str(value)))
    except (ValueError, OverflowError, OSError):
        return str(value)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    at = at.astimezone()
    return texts.t("web_time", H=f"{at.hour:02d}", M=f"{at.minute:02d}", d=f"{at.day:02d}", m=f"{at.month:02d}",
                   Y=at.year)


def clock_time(value: float) -> str:
    """The hour and minute of a unix time, local: "21 giờ 47"."""
    at = dt.datetime.fromtimestamp(value).astimezone()
    return texts.t("web_clock", H=f"{at.hour:02d}", M=f"{at.minute:02d}")


def percent(x: float) -> str:
    """A percentage as the language writes it: "16,51 %" in Vietnamese, "16.51%" in English."""
    return texts.t("web_percent", x=f"{x:.2f}".replace(".", "," if texts.lang() == "vi" else "."))


def verdict_words(d: dict[str, Any], ballot: str) -> str:
    """A decision ({status, votes, against, reasons}) in words: "hợp lệ, bầu: A; B"."""
    status = str(d.get("status", ""))
    words = status_text(status)
    if status == "valid":
        votes, against = list(d.get("votes", [])), list(d.get("against", []))
        parts = []
        if votes:
            parts.append(texts.t("web_votes_for_" + ("approve" if ballot == "approve" else "other"),
                                 names="; ".join(votes)))
        if against:
            parts.append(texts.t("web_votes_against", names="; ".join(against)))
        return ", ".join([words] + parts)
    try:
        reasons = [r for r in reasons_from(d.get("reasons", [])) if r.code != Code.REOPENED]
    except (ValueError, KeyError, TypeError):
        reasons = []
    return f"{words} ({'; '.join(reason_words(r) for r in reasons)})" if reasons else words


def actor_words(actor: str) -> str:
    if actor in ("cli", "test"):
        return texts.t("web_actor_cli")
    return texts.t("web_and").join(actor.split("; "))


def audit_sentence(e: dict[str, Any], ballot: str) -> str:
    """One entry of the audit log as a sentence: "Lê Thị Hoa quyết định phiếu 7: cần xem xét → hợp lệ, bầu: …"."""
    def load(text: str) -> dict[str, Any]:
        try:
            value = json.loads(text)
        except (TypeError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    before, after = load(e["before"]), load(e["after"])
    who, action, note = actor_words(e["actor"]), e["action"], e.get("reason") or ""
    if action == "reviewer_add":
        role = _known("role_" + str(after.get("role", "")), str(after.get("role", "")))
        key = "web_audit_password" if note == "reset" else "web_audit_reviewer_add"
        return texts.t(key, actor=who, name=after.get("name", ""), role=role)
    b, a = verdict_words(before, ballot), verdict_words(after, ballot)
    if action == "decide":
        key = "web_audit_decide" if before.get("status") == "review" else "web_audit_change"
        return texts.t(key, actor=who, id=e["page_id"], before=b, after=a)
    if action == "propose":
        return texts.t("web_audit_propose", actor=who, id=e["page_id"], after=a)
    if action == "disagree":
        return texts.t("web_audit_disagree", actor=who, id=e["page_id"], other=note, before=b, after=a)
    if action == "reopen":
        reason = texts.t("web_audit_because", reason=note) if note else ""
        return texts.t("web_audit_reopen", actor=who, id=e["page_id"], before=b, reason=reason)
    return f"{who}: {_known('audit_action_' + action, action)}"
