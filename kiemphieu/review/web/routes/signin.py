"""Sign in and out."""
from __future__ import annotations

import asyncio
import time

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .... import texts
from .. import auth
from ..deps import (COOKIE, PRE_COOKIE, CountFile, Refused, Settings, User, check_origin, count_file, form_of,
                    posted_first, render, safe_next, settings, signed_in_first)

router = APIRouter()
FAILED_LOGIN_DELAY = 0.5      # seconds


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/", error: str = "", s: Settings = Depends(settings),
               count: CountFile = Depends(count_file)) -> Response:
    pre = auth.new_token()
    with count.open(readonly=True) as c:
        title = c.election().title
    resp = render(request, "login.html", pre=pre, next=safe_next(next), count_title=title, count_name=count.path.name,
                  error=texts.t(error) if error in ("web_err_login",) else "")
    resp.set_cookie(PRE_COOKIE, pre, httponly=True, samesite="strict", secure=s.secure_cookies)
    return resp


@router.post("/login")
async def login(request: Request, form: dict[str, str] = Depends(form_of), count: CountFile = Depends(count_file),
                s: Settings = Depends(settings)) -> Response:
    check_origin(request)
    if not auth.same_token(form.get("pre"), request.cookies.get(PRE_COOKIE)):
        raise Refused(403, "web_err_csrf")
    with count.open() as c:
        name = auth.find_name([r["name"] for r in c.reviewers()], form.get("name", ""))
        r = c.reviewer(name) if name else None
        if r is None or not auth.check_password(form.get("password", ""), r["pw_hash"]):
            await asyncio.sleep(FAILED_LOGIN_DELAY)   # slows down guessing
            return RedirectResponse("/login?error=web_err_login&next=" + safe_next(form.get("next", "/")),
                                    status_code=303)
        token = auth.new_token()
        c.add_session(auth.token_hash(token), r["name"], auth.new_token(), time.time() + s.session_seconds)
    target = safe_next(form.get("next", "/"))
    if auth.is_one_time(r["pw_hash"]):          # the password handed over works once: now his own
        target = "/password?next=" + target
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=s.secure_cookies)
    resp.delete_cookie(PRE_COOKIE)
    return resp


@router.post("/logout")
def logout(user: User = Depends(signed_in_first), _: dict = Depends(posted_first),
           count: CountFile = Depends(count_file)) -> Response:
    with count.open() as c:
        c.end_session(user.token_hash)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(COOKIE)
    return resp


@router.get("/password", response_class=HTMLResponse)
def password_form(request: Request, next: str = "/", user: User = Depends(signed_in_first)) -> Response:
    """Set one's own password: after signing in with a one-time password, or any time."""
    return render(request, "password.html", user=user, next=safe_next(next), error="", done=False)


@router.post("/password", response_class=HTMLResponse)
def set_password(request: Request, user: User = Depends(signed_in_first), form: dict[str, str] = Depends(posted_first),
                 count: CountFile = Depends(count_file)) -> Response:
    new, again = form.get("new", ""), form.get("again", "")
    with count.open() as c:
        r = c.reviewer(user.name)
        problem = auth.password_problem(new, again, r["pw_hash"]) if r else "web_err_signed_out"
        if problem is None:
            c.set_password(user.name, auth.hash_password(new), keep_session=user.token_hash)
    if problem is not None:
        return render(request, "password.html", 400, user=user, next=safe_next(form.get("next", "/")), done=False,
                      error=texts.t(problem, n=auth.MIN_PASSWORD_CHARS))
    return RedirectResponse(safe_next(form.get("next", "/")), status_code=303)
