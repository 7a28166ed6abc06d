"""The queue of ballots in review, and the way to the next one."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .... import texts
from ....records import Code, Reason
from ..ballots import next_for, queue
from ..deps import CountFile, User, count_file, render, signed_in

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: User = Depends(signed_in), count: CountFile = Depends(count_file)) -> Response:
    with count.open() as c:
        items = queue(c)
        counts = c.status_counts()
        nxt = next_for(items, user.name)
        title = c.election().title
    by_reason: dict[str, int] = {}
    for q in items:
        for r in q.reasons:
            key = texts.reason(Reason(r.code, r.why if r.code == Code.UNCLEAR else ""))
            by_reason[key] = by_reason.get(key, 0) + 1
    return render(request, "queue.html", user=user, items=items, counts=counts, next_id=nxt, title=title,
                  by_reason=sorted(by_reason.items(), key=lambda kv: -kv[1]))


@router.get("/next")
def next_ballot(after: int | None = None, user: User = Depends(signed_in),
                count: CountFile = Depends(count_file)) -> Response:
    with count.open() as c:
        nxt = next_for(queue(c), user.name, after)
    return RedirectResponse(f"/ballot/{nxt}" if nxt else "/?done=1", status_code=303)
