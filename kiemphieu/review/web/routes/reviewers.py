"""Reviewers (admins only): who may sign in, and adding one."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from .. import auth
from ..deps import CountFile, Refused, User, admin, count_file, posted, render

router = APIRouter()


@router.get("/reviewers", response_class=HTMLResponse)
def reviewers(request: Request, user: User = Depends(admin), count: CountFile = Depends(count_file)) -> Response:
    with count.open() as c:
        people = c.reviewers()
    return render(request, "reviewers.html", user=user, people=people, added=None)


@router.post("/reviewers", response_class=HTMLResponse)
def add_reviewer(request: Request, user: User = Depends(admin), form: dict[str, str] = Depends(posted),
                 count: CountFile = Depends(count_file)) -> Response:
    name = form.get("name", "").strip()
    role = form.get("role", "reviewer")
    if not name or role not in auth.ROLES:
        raise Refused(400, "web_err_reviewer_name")
    password = auth.new_password()
    with count.open() as c:
        if not c.add_reviewer(name, role, auth.hash_password(password, one_time=True), by=user.name, reset=form.get("reset") == "1"):
            raise Refused(409, "reviewer_exists", name=name)
        people = c.reviewers()
    return render(request, "reviewers.html", user=user, people=people, added={"name": name, "password": password})
