"""What every route of the review app depends on: the count, the signed-in user, the admin check, CSRF.

Each is a FastAPI dependency (``Depends``). The count is handed over as a ``CountFile`` that a route
opens in its own ``with`` block: SQLite connections belong to the thread that made them, and FastAPI
runs a dependency's set-up, the route and the tear-down in different worker threads.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ...store import Count
from . import auth

HERE = Path(__file__).parent
MAX_ID = 2 ** 63 - 1           # SQLite's largest integer: a ballot ID beyond it is no ballot
BallotId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
COOKIE = "kp_session"
PRE_COOKIE = "kp_pre"          # sign-in form's CSRF token (double-submit), before there is a session


@dataclasses.dataclass
class Settings:
    count: Path
    two_person: bool = False
    hold_seconds: int = 300          # a ballot opened by a reviewer is held for him this long
    session_seconds: int = 2 * 3600  # sessions expire after this long without a request
    secure_cookies: bool = False     # set when served over HTTPS
    display: bool = False            # the hall display (/display) readable without signing in, from the start
    login_failures_per_name: int = 5        # wrong passwords a name may try …
    login_failures_per_address: int = 20    # … and an address, within
    login_window_seconds: int = 15 * 60
    failed_login_delay: float = 0.5         # seconds every wrong password waits

    @property
    def cookie(self) -> str:
        """The session cookie's name, one per count: browsers do not tell ports apart, so two counts served
        on one machine must not overwrite each other's cookie. Under HTTPS with the ``__Host-`` prefix
        (Secure, this host only)."""
        tag = hashlib.sha256(str(Path(self.count).resolve()).encode("utf-8")).hexdigest()[:12]
        return ("__Host-" if self.secure_cookies else "") + f"kp_{tag}"

    @property
    def pre_cookie(self) -> str:
        """The sign-in form's CSRF token (double-submit), before there is a session."""
        return self.cookie + "_pre"


@dataclasses.dataclass
class User:
    name: str
    role: str
    csrf: str
    token_hash: str
    must_set_password: bool = False    # signed in with a one-time password: his own comes first

    @property
    def admin(self) -> bool:
        return self.role == "admin"


class Refused(Exception):
    """A request refused with a status code and a texts key."""

    def __init__(self, code: int, key: str, **kw: Any):
        super().__init__(key)
        self.status, self.key, self.kw = code, key, kw


class CountFile:
    """The count an app serves; ``open()`` gives a connection for one ``with`` block."""

    def __init__(self, path: Path):
        self.path = path

    @contextlib.contextmanager
    def open(self, readonly: bool = False) -> Iterator[Count]:
        c = Count.open(self.path, readonly=readonly)
        try:
            yield c
        finally:
            c.close()


def settings(request: Request) -> Settings:
    return request.app.state.settings


def count_file(request: Request) -> CountFile:
    return request.app.state.count_file


def templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    """A page from the templates, with the signed-in user (if any) and the app's settings."""
    ctx.setdefault("user", getattr(request.state, "user", None))
    ctx.setdefault("two_person", settings(request).two_person)
    return templates(request).TemplateResponse(request, name, ctx, status_code=status)


def user_of(request: Request, count: CountFile, s: Settings) -> User | None:
    """The user whose session cookie came with the request (the session is extended), or None."""
    token = request.cookies.get(s.cookie)
    if not token:
        return None
    with count.open() as c:
        session = c.session(auth.token_hash(token))
        if session is None:
            return None
        c.extend_session(session["token_hash"], time.time() + s.session_seconds)
        reviewer = c.reviewer(session["reviewer"])
    return User(session["reviewer"], session["role"], session["csrf"], session["token_hash"],
                must_set_password=reviewer is not None and auth.is_one_time(reviewer["pw_hash"]))


def current_user(request: Request, count: CountFile = Depends(count_file),
                 s: Settings = Depends(settings)) -> User | None:
    """The signed-in user or None; kept on ``request.state`` for the page header."""
    user = user_of(request, count, s)
    request.state.user = user
    return user


def signed_in_first(user: User | None = Depends(current_user)) -> User:
    """The signed-in user, even one who has still to replace his one-time password (the password page)."""
    if user is None:
        raise Refused(401, "web_err_signed_out")
    return user


def signed_in(user: User = Depends(signed_in_first)) -> User:
    """The signed-in user, his own password set."""
    if user.must_set_password:
        raise Refused(403, "web_err_set_password")
    return user


def admin(user: User = Depends(signed_in)) -> User:
    if not user.admin:
        raise Refused(403, "web_err_admin_only")
    return user


def check_origin(request: Request) -> None:
    """A POST from a page of another site is refused (browsers send Origin on POST)."""
    origin = request.headers.get("origin")
    if origin is None:   # not sent by every client; the CSRF token still has to match
        return
    host = request.headers.get("host", "")
    if origin.split("://", 1)[-1] != host:
        raise Refused(403, "web_err_csrf")


async def form_of(request: Request) -> dict[str, str]:
    """The fields of a POSTed form, as text."""
    return {k: str(v) for k, v in (await request.form()).items()}


def checked(request: Request, user: User, form: dict[str, str]) -> dict[str, str]:
    """A POSTed form after the cross-site checks (Origin, the user's CSRF token)."""
    check_origin(request)
    if not auth.same_token(form.get("csrf"), user.csrf):
        raise Refused(403, "web_err_csrf")
    return form


async def posted(request: Request, user: User = Depends(signed_in),
                 form: dict[str, str] = Depends(form_of)) -> dict[str, str]:
    """The form of a POST by the signed-in user, after the cross-site checks."""
    return checked(request, user, form)


async def posted_first(request: Request, user: User = Depends(signed_in_first),
                       form: dict[str, str] = Depends(form_of)) -> dict[str, str]:
    """The same for the password page and signing out, before a one-time password is replaced."""
    return checked(request, user, form)


def form_int(form: dict[str, str], field: str, default: int = -1) -> int:
    """A whole number from a form (``default`` when it is missing); 400 when it is not one."""
    text = form.get(field, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise Refused(400, "web_err_bad_value", field=field) from None
    if not -MAX_ID <= value <= MAX_ID:
        raise Refused(400, "web_err_bad_value", field=field)
    return value


def safe_next(target: str) -> str:
    """Only paths of this site after sign-in (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
