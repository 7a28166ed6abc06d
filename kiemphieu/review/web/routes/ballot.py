"""One ballot: its picture, the reader's reading, the decision form; deciding and reopening."""
from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .... import texts
from ....records import CHOICES, INVALID_CODES, Code, Reason, Status, Verdict
from ....store import StaleDecision
from ....store import audit as audit_log
from ....tally.validity import DecisionError
from ..ballots import Pictures, decision_from_form, name_rows, next_for, queue
from ..deps import CountFile, Refused, Settings, User, admin, count_file, posted, render, settings, signed_in
from ..words import status_text

router = APIRouter()
NOTES = ("web_note_saved", "web_note_proposed", "web_note_agreed", "web_note_disagreed")


def pictures(request: Request) -> Pictures:
    return request.app.state.pictures


@router.get("/ballot/{ballot_id}", response_class=HTMLResponse)
def ballot(request: Request, ballot_id: int, note: str = "", user: User = Depends(signed_in),
           count: CountFile = Depends(count_file), s: Settings = Depends(settings)) -> Response:
    with count.open() as c:
        p = c.page(ballot_id)
        if p is None:
            raise Refused(404, "web_err_no_ballot", id=ballot_id)
        election = c.election()
        hold = c.hold(ballot_id, user.name, s.hold_seconds) if p["status"] == "review" else None
        held_by_other = hold is not None and hold["reviewer"] != user.name
        items = queue(c)
        proposals = c.proposals(ballot_id)
        version = c.version(ballot_id)
        history = c.resolutions(ballot_id)
    mine = next((x for x in proposals if x["reviewer"] == user.name), None)
    ids = [q.id for q in items]
    nxt = next_for([q for q in items if q.id != ballot_id], user.name, ballot_id)
    return render(request, "ballot.html", user=user, p=p, election=election, rows=name_rows(election, p),
                  hold=hold, held_by_other=held_by_other, version=version, proposals=proposals, mine=mine,
                  position=(ids.index(ballot_id) + 1) if ballot_id in ids else None, left=len(items),
                  next_id=nxt, history=history, invalid_reasons=INVALID_CODES,
                  choices=CHOICES[election.ballot],
                  hold_until=time.strftime("%H:%M", time.localtime(hold["until"])) if hold else "",
                  note=texts.t(note) if note in NOTES else "")


@router.get("/ballot/{ballot_id}/image.jpg")
def ballot_image(ballot_id: int, _: User = Depends(signed_in), pics: Pictures = Depends(pictures)) -> Response:
    data = pics.get(ballot_id)
    if data is None:
        raise Refused(404, "web_err_no_picture", id=ballot_id)
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=600"})


@router.post("/ballot/{ballot_id}/decide")
def decide(ballot_id: int, user: User = Depends(signed_in), form: dict[str, str] = Depends(posted),
           count: CountFile = Depends(count_file), s: Settings = Depends(settings)) -> Response:
    with count.open() as c:
        p = c.page(ballot_id)
        if p is None:
            raise Refused(404, "web_err_no_ballot", id=ballot_id)
        version = int(form.get("version", "-1") or -1)
        last = c.last_resolution(ballot_id)
        if p["status"] != "review" or c.version(ballot_id) != version:
            raise stale(ballot_id, last)
        hold = c.holds().get(ballot_id)
        if hold and hold["reviewer"] != user.name:
            raise Refused(409, "web_err_held", id=ballot_id, reviewer=hold["reviewer"])
        try:
            verdict = decision_from_form(c.election(), form)
        except DecisionError as ex:
            raise Refused(400, ex.key, **ex.kw) from None
        try:
            if s.two_person:
                outcome = c.decide_two_person(ballot_id, user.name, verdict, version)
            else:
                c.resolve(ballot_id, user.name, verdict, expect_version=version, note="web")
                outcome = "decided"
        except StaleDecision as ex:
            raise stale(ballot_id, ex.last) from None
        nxt = next_for(queue(c), user.name, ballot_id)
    note = {"decided": "web_note_saved", "proposed": "web_note_proposed", "agreed": "web_note_agreed",
            "disagreed": "web_note_disagreed"}[outcome]
    target = f"/ballot/{nxt}?note={note}" if nxt else f"/?note={note}"
    return RedirectResponse(target, status_code=303)


@router.post("/ballot/{ballot_id}/reopen")
def reopen(ballot_id: int, user: User = Depends(admin), form: dict[str, str] = Depends(posted),
           count: CountFile = Depends(count_file)) -> Response:
    with count.open() as c:
        p = c.page(ballot_id)
        if p is None:
            raise Refused(404, "web_err_no_ballot", id=ballot_id)
        if p["status"] == "review":
            return RedirectResponse(f"/ballot/{ballot_id}", status_code=303)
        reason = form.get("reason", "").strip()
        c.resolve(ballot_id, user.name, Verdict(Status.REVIEW, [], [Reason(Code.REOPENED)] + p["machine_reasons"]),
                  expect_version=int(form.get("version", "-1") or -1), action=audit_log.REOPEN, note=reason)
    return RedirectResponse(f"/ballot/{ballot_id}", status_code=303)


def stale(ballot_id: int, last: dict[str, Any] | None) -> Refused:
    """The refusal of a decision made on an older state of the ballot."""
    if last is None:
        return Refused(409, "web_err_stale_unknown", id=ballot_id)
    return Refused(409, "web_err_stale", id=ballot_id, reviewer=last["reviewer"], at=last["at"],
                   status=status_text(last["status"]))
