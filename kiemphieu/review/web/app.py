"""The review web app: sign in, the queue, one ballot, the results, reviewers; every decision audited.

One app serves one count. Each request opens the count file and closes it again (SQLite in WAL
mode; all SQL is in ``store.Count``), so several reviewers and the CLI can work on it at once. The
pages are routers (``routes/``); what they depend on — the count, the signed-in user, the admin
check and CSRF — are dependencies (``deps``).
"""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ... import texts
from .ballots import Pictures
from .deps import HERE, CountFile, Refused, Settings, User, render, user_of
from .routes import audit, ballot, queue, results, reviewers, signin
from .words import clock_time, local_time, percent, reason_words, state_text, status_text, why_text

__all__ = ["Settings", "User", "create_app"]


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(t=texts.t, lang=texts.lang, describe=reason_words, status_text=status_text,
                                 state_text=state_text, why_text=why_text, local_time=local_time, clock=clock_time,
                                 percent=percent)
    app.state.settings = settings
    app.state.count_file = CountFile(settings.count)
    app.state.templates = templates
    app.state.pictures = Pictures(settings.count)
    app.state.display_on = settings.display      # an admin may switch it on and off (routes/results.py)
    for module in (signin, queue, ballot, results, reviewers, audit):
        app.include_router(module.router)

    @app.exception_handler(Refused)
    async def refused(request: Request, ex: Refused) -> Response:
        if ex.status == 401 and request.method == "GET":
            return RedirectResponse("/login?next=" + request.url.path, status_code=303)
        if not hasattr(request.state, "user"):
            request.state.user = user_of(request, app.state.count_file, settings.session_seconds)
        return render(request, "message.html", ex.status, message=texts.t(ex.key, **ex.kw))

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
