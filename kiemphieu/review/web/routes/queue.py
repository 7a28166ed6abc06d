"""The queue of ballots in review, and the way to the next one."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .... import texts
from ..ballots import by_reason, next_for, queue
from ..deps import MAX_ID, CountFile, User, count_file, render, signed_in
from .ballot import NOTES

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, note: str = "", user: User = Depends(signed_in),
         count: CountFile = Depends(count_file)) -> Response:
    with count.open() as c:
        items = queue(c)
        counts = c.status_counts()
        nxt = next_for(items, user.name)
        title = c.election().title
    return render(request, "queue.html", user=user, items=items, counts=counts, next_id=nxt, title=title,
                  by_reason=by_reason(items), note=texts.t(note) if note in NOTES else "")


@router.get("/next")
def next_ballot(after: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None, user: User = Depends(signed_in),
                count: CountFile = Depends(count_file)) -> Response:
    with count.open() as c:
        nxt = next_for(queue(c), user.name, after)
    return RedirectResponse(f"/ballot/{nxt}" if nxt else "/", status_code=303)
