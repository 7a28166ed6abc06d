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
    role = form.get("role", "reviewer")
    if role not in auth.ROLES:
        raise Refused(400, "web_err_reviewer_name")
    reset = form.get("reset") == "1"
    password = auth.new_password()
    with count.open() as c:
        try:
            name = auth.reviewer_name([r["name"] for r in c.reviewers()], form.get("name", ""), reset)
        except auth.NameRefused as ex:
            raise Refused(400 if ex.key == "web_err_reviewer_name" else 409, ex.key, **ex.kw) from None
        if not c.add_reviewer(name, role, auth.hash_password(password, one_time=True), by=user.name, reset=reset):
            raise Refused(409, "reviewer_exists", name=name)
        people = c.reviewers()
    return render(request, "reviewers.html", user=user, people=people, added={"name": name, "password": password})
