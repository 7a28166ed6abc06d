"""The review web app: sign in, the queue, one ballot, the results, reviewers; every decision audited.

One app serves one count. Each request opens the count file and closes it again (SQLite in WAL
mode; all SQL is in ``store.Count``), so several reviewers and the CLI can work on it at once. The
pages are routers (``routes/``); what they depend on — the count, the signed-in user, the admin
check and CSRF — are dependencies (``deps``).
"""
from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from ... import texts
from ...store import storage_problem
from . import auth
from .ballots import Pictures
from .deps import HERE, CountFile, Refused, Settings, User, render, user_of
from .limits import Attempts, Limit
from .routes import audit, ballot, queue, results, reviewers, signin
from .words import clock_time, local_time, percent, reason_words, state_text, status_text, why_text

__all__ = ["Settings", "User", "create_app"]


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(t=texts.t, lang=texts.lang, describe=reason_words, status_text=status_text,
                                 state_text=state_text, why_text=why_text, local_time=local_time, clock=clock_time,
                                 percent=percent, min_chars=auth.MIN_PASSWORD_CHARS)
    app.state.settings = settings
    app.state.count_file = CountFile(settings.count)
    app.state.templates = templates
    app.state.pictures = Pictures(settings.count)
    app.state.display_on = settings.display      # an admin may switch it on and off (routes/results.py)
    app.state.attempts = Attempts(
        {
            "name": Limit(settings.login_failures_per_name, settings.login_window_seconds),
            "address": Limit(settings.login_failures_per_address, settings.login_window_seconds),
        }
    )
    app.state.stand_in_hash = auth.hash_password(auth.new_token())   # checked for names that do not exist
    app.state.password_checks = asyncio.Semaphore(1)
    for module in (signin, queue, ballot, results, reviewers, audit):
        app.include_router(module.router)

    @app.exception_handler(Refused)
    async def refused(request: Request, ex: Refused) -> Response:
        if ex.status == 401 and request.method == "GET":
            return RedirectResponse("/login?next=" + request.url.path, status_code=303)
        if ex.key == "web_err_set_password" and request.method == "GET":
            return RedirectResponse("/password?next=" + request.url.path, status_code=303)
        if not hasattr(request.state, "user"):
            request.state.user = user_of(request, app.state.count_file, settings)
        return render(request, "message.html", ex.status, message=texts.t(ex.key, **ex.kw))

    @app.exception_handler(RequestValidationError)
    async def bad_value(request: Request, ex: RequestValidationError) -> Response:
        """A ballot ID or a value that is not one (``/ballot/abc``, ``/ballot/99999999999999999999999``,
        ``?after=x``): the page does not exist (404) or the request is wrong (400) — in words."""
        in_path = any(e.get("loc", ("",))[0] == "path" for e in ex.errors())
        return await refused(request, Refused(404, "web_err_not_found") if in_path else
                             Refused(400, "web_err_bad_request"))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, ex: HTTPException) -> Response:
        key = {404: "web_err_not_found", 405: "web_err_not_found"}.get(ex.status_code, "web_err_bad_request")
        return await refused(request, Refused(ex.status_code, key))

    @app.exception_handler(Exception)
    async def failed(request: Request, ex: Exception) -> Response:
        """A full or read-only disk: said so, with what to do (the count itself stays whole: a decision is
        stored whole or not at all). Anything unforeseen: a page in words (the traceback goes to the server's
        log, not the browser)."""
        request.state.user = None
        problem = storage_problem(ex)
        if problem is not None:
            logging.getLogger("kiemphieu.web").error("%s %s: %s", request.method, request.url.path, ex)
            return render(request, "message.html", 507, message=texts.t("web_err_" + problem))
        logging.getLogger("kiemphieu.web").exception("%s %s", request.method, request.url.path)
        return render(request, "message.html", 500, message=texts.t("web_err_internal"))

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = ("default-src 'self'; img-src 'self'; style-src 'self'; "
                                                       "script-src 'self'; frame-ancestors 'none'; form-action 'self'")
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = response.headers.get("Cache-Control", "no-store")
        return response

    return app
