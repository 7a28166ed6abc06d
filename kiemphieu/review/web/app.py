"""The review web app: sign in, the queue, one ballot, the results, reviewers; every decision audited.

One app serves one count. Each request opens the count file and closes it again (SQLite in WAL
mode; all SQL is in ``store.Count``), so several reviewers and the CLI can work on it at once.
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from pathlib import Path
from typing import Any, Iterator

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ... import texts
from ...records import CHOICES, INVALID_CODES, Code, Reason, Status, Verdict
from ...store import Count, StaleDecision
from ...store import audit as audit_log
from ...tally.validity import DecisionError
from . import auth
from .ballots import Pictures, decision_from_form, name_rows, next_for, queue, reason_kind

HERE = Path(__file__).parent
COOKIE = "kp_session"
FAILED_LOGIN_DELAY = 0.5      # seconds
PRE_COOKIE = "kp_pre"          # sign-in form's CSRF token (double-submit), before there is a session


@dataclasses.dataclass
class Settings:
    count: Path
    two_person: bool = False
    hold_seconds: int = 300          # a ballot opened by a reviewer is held for him this long
    session_seconds: int = 2 * 3600  # sessions expire after this long without a request
    secure_cookies: bool = False     # set when served over HTTPS


@dataclasses.dataclass
class User:
    name: str
    role: str
    csrf: str
    token_hash: str

    @property
    def admin(self) -> bool:
        return self.role == "admin"


class Refused(Exception):
    """A request refused with a status code and a texts key."""

    def __init__(self, code: int, key: str, **kw: Any):
        super().__init__(key)
        self.status, self.key, self.kw = code, key, kw


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(t=texts.t, lang=texts.lang, describe=texts.reason, status_text=_status_text,
                                 state_text=_state_text, why_text=_why_text)
    pictures = Pictures(settings.count)

    @contextlib.contextmanager
    def count() -> Iterator[Count]:
        c = Count.open(settings.count)
        try:
            yield c
        finally:
            c.close()

    def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("user", None)
        ctx.setdefault("two_person", settings.two_person)
        return templates.TemplateResponse(request, name, ctx, status_code=status)

    def signed_in(request: Request, c: Count) -> User | None:
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        s = c.session(auth.token_hash(token))
        if s is None:
            return None
        c.extend_session(s["token_hash"], time.time() + settings.session_seconds)
        return User(s["reviewer"], s["role"], s["csrf"], s["token_hash"])

    def need_user(request: Request, c: Count) -> User:
        user = signed_in(request, c)
        if user is None:
            raise Refused(401, "web_err_signed_out")
        return user

    async def posted(request: Request, c: Count, admin: bool = False) -> tuple[User, dict[str, str]]:
        """The signed-in user and the form of a POST, after the cross-site checks."""
        _check_origin(request)
        user = need_user(request, c)
        form = {k: str(v) for k, v in (await request.form()).items()}
        if not auth.same_token(form.get("csrf"), user.csrf):
            raise Refused(403, "web_err_csrf")
        if admin and not user.admin:
            raise Refused(403, "web_err_admin_only")
        return user, form

    @app.exception_handler(Refused)
    async def refused(request: Request, ex: Refused) -> Response:
        if ex.status == 401 and request.method == "GET":
            return RedirectResponse("/login?next=" + request.url.path, status_code=303)
        with count() as c:
            user = signed_in(request, c)
        return render(request, "message.html", ex.status, user=user, message=texts.t(ex.key, **ex.kw))

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = ("default-src 'self'; img-src 'self'; style-src 'self'; "
                                                       "script-src 'self'; frame-ancestors 'none'; form-action 'self'")
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = response.headers.get("Cache-Control", "no-store")
        return response

    # --- sign in / out -----------------------------------------------------------------------------
    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/", error: str = "") -> Response:
        pre = auth.new_token()
        resp = render(request, "login.html", pre=pre, next=_safe_next(next), error=texts.t(error) if error in
                      ("web_err_login",) else "")
        resp.set_cookie(PRE_COOKIE, pre, httponly=True, samesite="strict", secure=settings.secure_cookies)
        return resp

    @app.post("/login")
    async def login(request: Request) -> Response:
        _check_origin(request)
        form = {k: str(v) for k, v in (await request.form()).items()}
        if not auth.same_token(form.get("pre"), request.cookies.get(PRE_COOKIE)):
            raise Refused(403, "web_err_csrf")
        name = form.get("name", "").strip()
        with count() as c:
            r = c.reviewer(name) if name else None
            if r is None or not auth.check_password(form.get("password", ""), r["pw_hash"]):
                await asyncio.sleep(FAILED_LOGIN_DELAY)   # slows down guessing
                return RedirectResponse("/login?error=web_err_login&next=" + _safe_next(form.get("next", "/")),
                                        status_code=303)
            token = auth.new_token()
            c.add_session(auth.token_hash(token), r["name"], auth.new_token(), time.time() + settings.session_seconds)
        resp = RedirectResponse(_safe_next(form.get("next", "/")), status_code=303)
        resp.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=settings.secure_cookies)
        resp.delete_cookie(PRE_COOKIE)
        return resp

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        with count() as c:
            user, _ = await posted(request, c)
            c.end_session(user.token_hash)
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(COOKIE)
        return resp

    # --- the queue ---------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        with count() as c:
            user = need_user(request, c)
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

    @app.get("/next")
    def next_ballot(request: Request, after: int | None = None) -> Response:
        with count() as c:
            user = need_user(request, c)
            nxt = next_for(queue(c), user.name, after)
        return RedirectResponse(f"/ballot/{nxt}" if nxt else "/?done=1", status_code=303)

    # --- one ballot --------------------------------------------------------------------------------
    @app.get("/ballot/{ballot_id}", response_class=HTMLResponse)
    def ballot(request: Request, ballot_id: int, note: str = "") -> Response:
        with count() as c:
            user = need_user(request, c)
            p = c.page(ballot_id)
            if p is None:
                raise Refused(404, "web_err_no_ballot", id=ballot_id)
            election = c.election()
            hold = c.hold(ballot_id, user.name, settings.hold_seconds) if p["status"] == "review" else None
            held_by_other = hold is not None and hold["reviewer"] != user.name
            items = queue(c)
            proposals = c.proposals(ballot_id)
            version = c.version(ballot_id)
            history = c.resolutions(ballot_id)
        mine = next((x for x in proposals if x["reviewer"] == user.name), None)
        ids = [q.id for q in items]
        nxt = next_for([q for q in items if q.id != ballot_id], user.name, ballot_id)
        return render(request, "ballot.html", user=user, p=p, election=election, rows=name_rows(election, p),
                      hold=hold, held_by_other=held_by_other, version=version, proposals=proposals, mine=mine,
                      position=(ids.index(ballot_id) + 1) if ballot_id in ids else None, left=len(items),
                      next_id=nxt, history=history, invalid_reasons=INVALID_CODES,
                      choices=CHOICES[election.ballot],
                      hold_until=time.strftime("%H:%M", time.localtime(hold["until"])) if hold else "",
                      note=texts.t(note) if note in _NOTES else "")

    @app.get("/ballot/{ballot_id}/image.jpg")
    def ballot_image(request: Request, ballot_id: int) -> Response:
        with count() as c:
            need_user(request, c)
        data = pictures.get(ballot_id)
        if data is None:
            raise Refused(404, "web_err_no_picture", id=ballot_id)
        return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=600"})

    @app.post("/ballot/{ballot_id}/decide")
    async def decide(request: Request, ballot_id: int) -> Response:
        with count() as c:
            user, form = await posted(request, c)
            p = c.page(ballot_id)
            if p is None:
                raise Refused(404, "web_err_no_ballot", id=ballot_id)
            version = int(form.get("version", "-1") or -1)
            last = c.last_resolution(ballot_id)
            if p["status"] != "review" or c.version(ballot_id) != version:
                raise _stale(ballot_id, last)
            hold = c.holds().get(ballot_id)
            if hold and hold["reviewer"] != user.name:
                raise Refused(409, "web_err_held", id=ballot_id, reviewer=hold["reviewer"])
            try:
                verdict = decision_from_form(c.election(), form)
            except DecisionError as ex:
                raise Refused(400, ex.key, **ex.kw) from None
            try:
                if settings.two_person:
                    outcome = c.decide_two_person(ballot_id, user.name, verdict, version)
                else:
                    c.resolve(ballot_id, user.name, verdict, expect_version=version, note="web")
                    outcome = "decided"
            except StaleDecision as ex:
                raise _stale(ballot_id, ex.last) from None
            nxt = next_for(queue(c), user.name, ballot_id)
        note = {"decided": "web_note_saved", "proposed": "web_note_proposed", "agreed": "web_note_agreed",
                "disagreed": "web_note_disagreed"}[outcome]
        target = f"/ballot/{nxt}?note={note}" if nxt else f"/?note={note}"
        return RedirectResponse(target, status_code=303)

    @app.post("/ballot/{ballot_id}/reopen")
    async def reopen(request: Request, ballot_id: int) -> Response:
        with count() as c:
            user, form = await posted(request, c, admin=True)
            p = c.page(ballot_id)
            if p is None:
                raise Refused(404, "web_err_no_ballot", id=ballot_id)
            if p["status"] == "review":
                return RedirectResponse(f"/ballot/{ballot_id}", status_code=303)
            reason = form.get("reason", "").strip()
            c.resolve(ballot_id, user.name, Verdict(Status.REVIEW, [], [Reason(Code.REOPENED)] + p["machine_reasons"]),
                      expect_version=int(form.get("version", "-1") or -1), action=audit_log.REOPEN, note=reason)
        return RedirectResponse(f"/ballot/{ballot_id}", status_code=303)

    # --- results -----------------------------------------------------------------------------------
    @app.get("/results", response_class=HTMLResponse)
    def results(request: Request) -> Response:
        from ...tally.minutes import base_name, number, result_notes, title_of
        from ...tally.results import tally_count
        with count() as c:
            user = need_user(request, c)
            election, tally = tally_count(c)
            by_person = {r["page_id"] for r in c.resolutions()}
            decided = [p for p in c.pages() if p["id"] in by_person]
        return render(request, "results.html", user=user, election=election, tally=tally, chart=_chart(tally),
                      decided=decided, title=title_of(election), base_name=base_name(election, tally),
                      half=number(tally.threshold), notes=result_notes(election, tally, settings.count.name))

    # --- reviewers (admin) ---------------------------------------------------------------------------
    @app.get("/reviewers", response_class=HTMLResponse)
    def reviewers(request: Request) -> Response:
        with count() as c:
            user = need_user(request, c)
            if not user.admin:
                raise Refused(403, "web_err_admin_only")
            people = c.reviewers()
        return render(request, "reviewers.html", user=user, people=people, added=None)

    @app.post("/reviewers", response_class=HTMLResponse)
    async def add_reviewer(request: Request) -> Response:
        with count() as c:
            user, form = await posted(request, c, admin=True)
            name = form.get("name", "").strip()
            role = form.get("role", "reviewer")
            if not name or role not in auth.ROLES:
                raise Refused(400, "web_err_reviewer_name")
            password = auth.new_password()
            if not c.add_reviewer(name, role, auth.hash_password(password), by=user.name,
                                  reset=form.get("reset") == "1"):
                raise Refused(409, "reviewer_exists", name=name)
            people = c.reviewers()
        return render(request, "reviewers.html", user=user, people=people, added={"name": name, "password": password})

    @app.get("/audit", response_class=HTMLResponse)
    def audit_page(request: Request) -> Response:
        with count() as c:
            user = need_user(request, c)
            entries = c.audit_entries()
            problems = audit_log.verify(entries, c.audit_head(), c.pages())
        return render(request, "audit.html", user=user, entries=entries[::-1][:500], problems=problems)

    return app


_NOTES = ("web_note_saved", "web_note_proposed", "web_note_agreed", "web_note_disagreed")


def _stale(ballot_id: int, last: dict[str, Any] | None) -> Refused:
    if last is None:
        return Refused(409, "web_err_stale_unknown", id=ballot_id)
    return Refused(409, "web_err_stale", id=ballot_id, reviewer=last["reviewer"], at=last["at"],
                   status=_status_text(last["status"]))


def _status_text(status: str) -> str:
    return texts.t("status_" + status) if "status_" + status in texts.TEXTS else status


def _state_text(state: str) -> str:
    return texts.t("web_state_" + state) if "web_state_" + state in texts.TEXTS else state


def _why_text(why: str) -> str:
    return texts.t("why_" + why) if "why_" + why in texts.TEXTS else why


def _safe_next(target: str) -> str:
    """Only paths of this site after sign-in (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def _check_origin(request: Request) -> None:
    """A POST from a page of another site is refused (browsers send Origin on POST)."""
    origin = request.headers.get("origin")
    if origin is None:   # not sent by every client; the CSRF token still has to match
        return
    host = request.headers.get("host", "")
    if origin.split("://", 1)[-1] != host:
        raise Refused(403, "web_err_csrf")


def _chart(tally: Any) -> dict[str, Any]:
    """Bars (SVG geometry) for the results page: votes per candidate, the threshold as a line."""
    threshold = tally.threshold
    top = max([tally.base, 1] + [c.votes for c in tally.candidates])
    width, label_w, row_h = 760, 230, 26
    plot_w = width - label_w - 70
    bars = [{"y": 10 + i * row_h, "w": round(plot_w * c.votes / top, 1), "c": c} for i, c in enumerate(tally.candidates)]
    return {"width": width, "height": 20 + row_h * len(bars) + 20, "label_w": label_w, "plot_w": plot_w, "bars": bars,
            "row_h": row_h, "threshold_x": round(label_w + plot_w * threshold / top, 1), "threshold": threshold,
            "top": top}
