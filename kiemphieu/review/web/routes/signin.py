"""Sign in and out."""
from __future__ import annotations

import asyncio
import math
import time

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .... import texts
from .. import auth
from ..deps import (
    CountFile,
    Refused,
    Settings,
    User,
    check_origin,
    count_file,
    form_of,
    posted_first,
    render,
    safe_next,
    settings,
    signed_in_first,
)
from ..limits import Attempts

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/", error: str = "", s: Settings = Depends(settings),
               count: CountFile = Depends(count_file)) -> Response:
    pre = auth.new_token()
    with count.open(readonly=True) as c:
        title = c.election().title
    resp = render(request, "login.html", pre=pre, next=safe_next(next), count_title=title, count_name=count.path.name,
                  error=texts.t(error) if error in ("web_err_login",) else "")
    resp.set_cookie(s.pre_cookie, pre, httponly=True, samesite="strict", secure=s.secure_cookies)
    return resp


@router.post("/login")
async def login(request: Request, form: dict[str, str] = Depends(form_of), count: CountFile = Depends(count_file),
                s: Settings = Depends(settings)) -> Response:
    """Sign in. Wrong passwords are limited per name and per address (``limits``); a name that does not
    exist is checked against a stand-in hash, so the answer takes as long as for one that does."""
    check_origin(request)
    if not auth.same_token(form.get("pre"), request.cookies.get(s.pre_cookie)):
        raise Refused(403, "web_err_csrf")
    typed, next_path = form.get("name", ""), safe_next(form.get("next", "/"))
    attempts: Attempts = request.app.state.attempts
    keys = {"name": auth.folded(typed), "address": request.client.host if request.client else ""}
    r = await run_in_threadpool(reviewer_named, count, typed)
    async with request.app.state.password_checks:        # one scrypt at a time: the other pages stay quick
        wait = attempts.wait(keys)                       # (asked here: many may have waited for their turn)
        if wait == 0:
            ok = await run_in_threadpool(auth.check_password, form.get("password", ""),
                                         r["pw_hash"] if r else request.app.state.stand_in_hash)
    if wait > 0:
        await asyncio.sleep(s.failed_login_delay)
        return await run_in_threadpool(refused_page, request, count, next_path, wait)
    if r is None or not ok:
        attempts.failed(keys)
        await asyncio.sleep(s.failed_login_delay)       # slows down guessing
        return RedirectResponse("/login?error=web_err_login&next=" + next_path, status_code=303)
    attempts.succeeded(keys)
    token = auth.new_token()
    with count.open() as c:
        c.add_session(auth.token_hash(token), r["name"], auth.new_token(), time.time() + s.session_seconds)
    target = "/password?next=" + next_path if auth.is_one_time(r["pw_hash"]) else next_path
    resp = RedirectResponse(target, status_code=303)   # a one-time password: his own comes first
    resp.set_cookie(s.cookie, token, httponly=True, samesite="strict", secure=s.secure_cookies)
    resp.delete_cookie(s.pre_cookie, secure=s.secure_cookies, httponly=True, samesite="strict")
    return resp


def reviewer_named(count: CountFile, typed: str) -> dict | None:
    """The reviewer a person typed the name of (NFC, then ignoring case, then accents), or None."""
    with count.open(readonly=True) as c:
        name = auth.find_name([r["name"] for r in c.reviewers()], typed)
        return c.reviewer(name) if name else None


def refused_page(request: Request, count: CountFile, next_path: str, wait: float) -> Response:
    """The sign-in page again, saying that too many wrong passwords were tried (429)."""
    pre = auth.new_token()
    with count.open(readonly=True) as c:
        title = c.election().title
    resp = render(request, "login.html", 429, pre=pre, next=next_path, count_title=title, count_name=count.path.name,
                  error=texts.t("web_err_too_many", minutes=max(1, math.ceil(wait / 60))))
    s = settings(request)
    resp.set_cookie(s.pre_cookie, pre, httponly=True, samesite="strict", secure=s.secure_cookies)
    return resp


@router.post("/logout")
def logout(user: User = Depends(signed_in_first), _: dict = Depends(posted_first),
           count: CountFile = Depends(count_file), s: Settings = Depends(settings)) -> Response:
    with count.open() as c:
        c.end_session(user.token_hash)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(s.cookie, secure=s.secure_cookies, httponly=True, samesite="strict")
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
