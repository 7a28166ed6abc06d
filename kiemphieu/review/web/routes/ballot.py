"""One ballot: its picture, the reader's reading, the decision form; deciding and reopening."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .... import texts
from ....records import CHOICES, Code, Reason, Status, Verdict
from ....store import Count, StaleDecision
from ....store import audit as audit_log
from ....tally.validity import DecisionError
from ..ballots import Pictures, decision_from_form, focus_box, invalid_choices, name_rows, next_for, queue
from ..deps import (
    BallotId,
    CountFile,
    Refused,
    Settings,
    User,
    admin,
    count_file,
    form_int,
    posted,
    render,
    settings,
    signed_in,
)
from ..words import clock_time, local_time, status_text

router = APIRouter()
NOTES = ("web_note_saved", "web_note_proposed", "web_note_agreed", "web_note_disagreed")


def pictures(request: Request) -> Pictures:
    return request.app.state.pictures


@router.get("/ballot/{ballot_id}", response_class=HTMLResponse)
def ballot(request: Request, ballot_id: BallotId, note: str = "", user: User = Depends(signed_in),
           count: CountFile = Depends(count_file), s: Settings = Depends(settings)) -> Response:
    with count.open() as c:
        return show(request, c, user, s, ballot_id, note=texts.t(note) if note in NOTES else "")


def show(request: Request, c: Count, user: User, s: Settings, ballot_id: int, note: str = "", error: str = "",
         form: dict[str, str] | None = None, status: int = 200) -> Response:
    """The ballot page. Opening a ballot in review holds it for the user (and lets go of any other he held);
    ``error`` and ``form``: a decision sent back, shown with what was chosen."""
    p = c.page(ballot_id)
    if p is None:
        raise Refused(404, "web_err_no_ballot", id=ballot_id)
    election, layout = c.election(), c.layout()
    hold = c.hold(ballot_id, user.name, s.hold_seconds) if p["status"] == "review" else None
    held_by_other = hold is not None and hold["reviewer"] != user.name
    for other, h in c.holds().items():
        if other != ballot_id and h["reviewer"] == user.name:
            c.release(other, user.name)
    items = queue(c)
    proposals = c.proposals(ballot_id)
    version = c.version(ballot_id)
    history = c.resolutions(ballot_id)
    mine = next((x for x in proposals if x["reviewer"] == user.name), None)
    ids = [q.id for q in items]
    nxt = next_for([q for q in items if q.id != ballot_id], user.name, ballot_id)
    rows = name_rows(election, p, layout, form if form and form.get("action") == "names" else None)
    invalid = invalid_choices(election)
    form = form or {}
    return render(request, "ballot.html", status, user=user, p=p, election=election, rows=rows,
                  focus=focus_box(p, layout, rows), hold=hold, held_by_other=held_by_other, version=version,
                  proposals=proposals, mine=mine, position=(ids.index(ballot_id) + 1) if ballot_id in ids else None,
                  left=len(items), next_id=nxt, history=history, invalid_reasons=invalid,
                  choices=CHOICES[election.ballot], hold_until=clock_time(hold["until"]) if hold else "",
                  hold_minutes=round(s.hold_seconds / 60), note=note, error=error,
                  mode=form.get("action") if form.get("action") in ("names", "invalid", "reject") else "names",
                  chosen_reason=form.get("invalid_reason", ""), other_text=form.get("other_text", ""),
                  reject_text=form.get("reject_text", ""), help_keys=help_keys(len(rows), invalid))


def help_keys(n_rows: int, invalid: list[tuple[str, str, str]]) -> list[tuple[list[str], str]]:
    """The keys of the ballot page and what they do, for the help box."""
    rows = ["1", "…", str(n_rows)] if n_rows > 1 else ["1"]
    out = [(rows, texts.t("web_key_rows")), (["↑", "↓"], texts.t("web_key_updown")),
           (["←", "→", "Space"], texts.t("web_key_choice")), (["Enter"], texts.t("web_key_enter"))]
    out += [([key], texts.t("web_key_invalid", reason=words)) for _, words, key in invalid]
    out += [(["r"], texts.t("web_key_reject")), (["b"], texts.t("web_key_names")), (["j"], texts.t("web_key_skip")),
            (["+", "−", "0"], texts.t("web_key_zoom")), (["f"], texts.t("web_key_flag")),
            (["?"], texts.t("web_key_help")), (["Esc"], texts.t("web_key_escape"))]
    return out


@router.get("/ballot/{ballot_id}/image.jpg")
def ballot_image(ballot_id: BallotId, _: User = Depends(signed_in), pics: Pictures = Depends(pictures)) -> Response:
    data = pics.get(ballot_id)
    if data is None:
        raise Refused(404, "web_err_no_picture", id=ballot_id)
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=600"})


@router.post("/ballot/{ballot_id}/decide")
def decide(request: Request, ballot_id: BallotId, user: User = Depends(signed_in),
           form: dict[str, str] = Depends(posted),
           count: CountFile = Depends(count_file), s: Settings = Depends(settings)) -> Response:
    with count.open() as c:
        p = c.page(ballot_id)
        if p is None:
            raise Refused(404, "web_err_no_ballot", id=ballot_id)
        version = form_int(form, "version")
        last = c.last_resolution(ballot_id)
        if p["status"] != "review" or c.version(ballot_id) != version:
            raise stale(ballot_id, last)
        hold = c.holds().get(ballot_id)
        if hold and hold["reviewer"] != user.name:
            raise Refused(409, "web_err_held", id=ballot_id, reviewer=hold["reviewer"])
        try:
            verdict = decision_from_form(c.election(), form)
        except DecisionError as ex:      # stay on the ballot, with what was chosen and what is missing
            return show(request, c, user, s, ballot_id, error=texts.t(ex.key, **ex.kw), form=form, status=400)
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
def reopen(ballot_id: BallotId, user: User = Depends(admin), form: dict[str, str] = Depends(posted),
           count: CountFile = Depends(count_file)) -> Response:
    with count.open() as c:
        p = c.page(ballot_id)
        if p is None:
            raise Refused(404, "web_err_no_ballot", id=ballot_id)
        if p["status"] == "review":
            return RedirectResponse(f"/ballot/{ballot_id}", status_code=303)
        reason = form.get("reason", "").strip()
        c.resolve(ballot_id, user.name, Verdict(Status.REVIEW, [], [Reason(Code.REOPENED)] + p["machine_reasons"]),
                  expect_version=form_int(form, "version"), action=audit_log.REOPEN, note=reason)
    return RedirectResponse(f"/ballot/{ballot_id}", status_code=303)


def stale(ballot_id: int, last: dict[str, Any] | None) -> Refused:
    """The refusal of a decision made on an older state of the ballot."""
    if last is None:
        return Refused(409, "web_err_stale_unknown", id=ballot_id)
    return Refused(409, "web_err_stale", id=ballot_id, reviewer=last["reviewer"], at=local_time(last["at"]),
                   status=status_text(last["status"]))
