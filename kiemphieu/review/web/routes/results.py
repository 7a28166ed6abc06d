"""The results (the one tally, ``tally_count``, with its notes and a bar chart), the hall display and the
minutes."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .... import texts
from ....tally import minutes
from ....tally.minutes import base_name, number, result_notes, title_of
from ....tally.results import Tally, tally_count
from ..deps import CountFile, User, admin, count_file, current_user, posted, render, signed_in
from ..words import local_time

router = APIRouter()
DISPLAY_EVERY_S = 5        # the hall display asks for the totals this often


def chart(tally: Tally) -> dict[str, Any]:
    """Bars for the results: each candidate's votes and the threshold, in percent of the longest bar."""
    top = max([tally.base, 1] + [c.votes for c in tally.candidates])
    bars = [{"w": round(100 * c.votes / top, 2), "c": c} for c in tally.candidates]
    return {"bars": bars, "threshold_x": round(100 * tally.threshold / top, 2), "threshold": tally.threshold}


def display_on(request: Request) -> bool:
    return request.app.state.display_on


@router.get("/results", response_class=HTMLResponse)
def results(request: Request, user: User = Depends(signed_in), count: CountFile = Depends(count_file)) -> Response:
    with count.open() as c:
        election, tally = tally_count(c)
        by_person = {r["page_id"] for r in c.resolutions()}
        decided = [p for p in c.pages() if p["id"] in by_person]
    return render(request, "results.html", user=user, election=election, tally=tally, chart=chart(tally),
                  decided=decided, title=title_of(election), base_name=base_name(election, tally),
                  half=number(tally.threshold), need=tally.needed,
                  notes=result_notes(election, tally, count.path.name), display_on=display_on(request))


@router.get("/display", response_class=HTMLResponse)
def display(request: Request, part: str = "", user: User | None = Depends(current_user),
            count: CountFile = Depends(count_file)) -> Response:
    """The hall display: the totals only, in big type, updating itself. Without signing in only while the
    committee shows it (``serve --display`` or an admin's switch)."""
    if user is None and not display_on(request):
        return RedirectResponse("/login?next=/display", status_code=303)
    with count.open(readonly=True) as c:
        election, tally = tally_count(c)
    ctx = dict(title=title_of(election), tally=tally, chart=chart(tally), half=number(tally.threshold),
               now=local_time(dt.datetime.now().astimezone().isoformat()), every=DISPLAY_EVERY_S)
    return render(request, "_board.html" if part == "board" else "display.html", **ctx)


@router.post("/display/switch")
def display_switch(request: Request, _: User = Depends(admin), form: dict[str, str] = Depends(posted)) -> Response:
    request.app.state.display_on = form.get("on") == "1"
    return RedirectResponse("/results", status_code=303)


@router.get("/minutes.pdf")
def minutes_pdf(_: User = Depends(signed_in), count: CountFile = Depends(count_file)) -> Response:
    """The minutes as ``kiemphieu minutes`` writes them (provisional while ballots are in review)."""
    with count.open(readonly=True) as c:
        election, tally = tally_count(c)
        settings = c.settings()
    with tempfile.TemporaryDirectory() as tmp:
        out = minutes.write(election, tally, settings, str(count.path), Path(tmp) / "minutes.pdf")
        data = out.read_bytes()
    name = texts.t("web_minutes_file")
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})
