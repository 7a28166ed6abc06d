"""The audit log, newest first, and whether its hash chain holds."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ....store import audit as audit_log
from ..deps import CountFile, User, count_file, render, signed_in
from ..words import audit_sentence

router = APIRouter()
SHOWN = 500          # newest entries on the page (``kiemphieu audit`` lists them all)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: User = Depends(signed_in), count: CountFile = Depends(count_file)) -> Response:
    with count.open() as c:
        entries = c.audit_entries()
        problems = audit_log.verify(entries, c.audit_head(), c.pages())
        ballot = c.election().ballot
    return render(request, "audit.html", user=user, entries=entries[::-1][:SHOWN], problems=problems,
                  sentence=lambda e: audit_sentence(e, ballot))
