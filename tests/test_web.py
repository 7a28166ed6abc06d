"""The review web app in a real browser: Debian's chromium driven by Playwright.

Each test serves its own copy of the strike count on a free port (uvicorn in a thread) and works
on it as committee members would: sign in, open the queue, decide by keyboard and by mouse, look at
the results; and as an attacker would: signed out, from another site, on a ballot someone holds.
"""
from __future__ import annotations

import contextlib
import json
import re
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from conftest import kp, load_truth

playwright_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from kiemphieu.records import Code, Reason, Status, Verdict  # noqa: E402
from kiemphieu.review.web.app import Settings, create_app  # noqa: E402
from kiemphieu.review.web.auth import hash_password  # noqa: E402
from kiemphieu.store import Count  # noqa: E402

ADMIN, REVIEWER, OTHER = "Trần Văn Kiểm", "Lê Thị Hoa", "Phạm Minh Đức"
PASSWORD = "mat-khau-thu"


def copy_count(src: Path, dst: Path) -> Path:
    """A consistent copy of a count (WAL included) to change in one test."""
    with contextlib.closing(sqlite3.connect(src)) as a, contextlib.closing(sqlite3.connect(dst)) as b:
        a.backup(b)
    return dst


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """The app on a count, in a thread, for one test."""

    def __init__(self, count: Path, **settings):
        self.count = count
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(Settings(count, **settings))
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.time() + 10
        while not self.server.started:
            assert time.time() < deadline, "server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(5)


@pytest.fixture
def count(strike_count, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    c = copy_count(strike_count, tmp_path / "review.kp")
    k = Count.open(c)
    for name, role in ((ADMIN, "admin"), (REVIEWER, "reviewer"), (OTHER, "reviewer")):
        assert k.add_reviewer(name, role, hash_password(PASSWORD), by="test")
    k.close()
    return c


def sign_in(browser, served: Served, name: str, password: str = PASSWORD):
    ctx = browser.new_context(locale="vi-VN")
    page = ctx.new_page()
    page.goto(served.url + "/")
    assert "/login" in page.url               # nothing without signing in
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("#login")
    page.wait_for_url(served.url + "/")
    return page


def in_review(count: Path) -> list[int]:
    c = Count.open(count)
    try:
        return [p["id"] for p in c.pages("review")]
    finally:
        c.close()


def page_of(count: Path, ballot: int) -> dict:
    c = Count.open(count)
    try:
        return c.page(ballot)
    finally:
        c.close()


def csrf_of(page) -> str:
    return page.locator('input[name="csrf"]').first.get_attribute("value")


def set_names_by_keyboard(page, wanted: dict[int, str]) -> int:
    """Press digit keys until every name shows the wanted state; returns the keys pressed."""
    pressed = 0
    for i, state in wanted.items():
        for _ in range(2):
            if page.locator(f"#n{i}-{state}").is_checked():
                break
            page.keyboard.press(str(i + 1))
            pressed += 1
        assert page.locator(f"#n{i}-{state}").is_checked()
    return pressed


# --- sign-in, sessions, refusals --------------------------------------------------------------------------

def test_nothing_without_signing_in(browser, count):
    with Served(count) as s:
        ctx = browser.new_context()
        page = ctx.new_page()
        for path in ("/", "/results", "/audit", "/reviewers", "/ballot/2"):
            page.goto(s.url + path)
            assert "/login" in page.url, path
        r = page.request.get(s.url + "/ballot/2/image.jpg", max_redirects=0)
        assert r.status == 303
        before = in_review(count)
        r = page.request.post(s.url + f"/ballot/{before[0]}/decide", form={"action": "reject", "version": "0"})
        assert r.status == 401
        assert in_review(count) == before
        # wrong password
        page.goto(s.url + "/login")
        page.fill("#name", REVIEWER)
        page.fill("#password", "sai")
        page.click("#login")
        assert page.locator("#message").is_visible()
        assert "/login" in page.url
        ctx.close()


def test_cross_site_and_missing_token_refused(browser, count):
    with Served(count) as s:
        page = sign_in(browser, s, REVIEWER)
        target = in_review(count)[0]
        # a page of another site that posts a decision with the reviewer's browser
        evil = "http://evil.example/"
        page.route(evil, lambda route: route.fulfill(content_type="text/html", body=(
            f'<form id="f" method="post" action="{s.url}/ballot/{target}/decide">'
            '<input name="action" value="reject"><input name="version" value="0"></form>'
            '<script>document.getElementById("f").submit()</script>')))
        page.goto(evil)
        page.wait_for_url(re.compile(re.escape(s.url) + ".*"))
        assert page_of(count, target)["status"] == "review"
        # same site but without the form's token
        r = page.request.post(s.url + f"/ballot/{target}/decide", form={"action": "reject", "version": "0"})
        assert r.status == 403
        # with the token but another Origin
        page.goto(s.url + f"/ballot/{target}")
        r = page.request.post(s.url + f"/ballot/{target}/decide", headers={"Origin": "http://evil.example"},
                              form={"action": "reject", "version": "0", "csrf": csrf_of(page)})
        assert r.status == 403
        assert page_of(count, target)["status"] == "review"
        # a reviewer is not an admin
        page.goto(s.url + "/reviewers")
        assert page.locator("#message").is_visible()
        page.context.close()


def test_session_expires(browser, count):
    with Served(count, session_seconds=1) as s:
        page = sign_in(browser, s, REVIEWER)
        time.sleep(1.5)
        page.goto(s.url + "/")
        assert "/login" in page.url
        page.context.close()


# --- deciding ---------------------------------------------------------------------------------------------

def test_resolve_by_mouse_and_keyboard_and_tally_changes(browser, count):
    with Served(count) as s:
        page = sign_in(browser, s, REVIEWER)
        left = len(in_review(count))
        assert page.locator("#left").inner_text().startswith(f"Còn {left} phiếu")
        page.goto(s.url + "/results")
        assert page.locator("#chart rect").count() == 7
        assert page.locator("#chart .threshold").count() == 7           # the threshold line across every bar
        valid_before = json.loads(kp("tally", count, "--format", "json").output)["ballots"]["valid"]

        page.goto(s.url + "/")
        page.click("#start")
        page.wait_for_selector("#scan-img")
        assert page.locator("#scan-img").evaluate("img => img.complete && img.naturalWidth > 500")
        first = int(page.url.rsplit("/", 1)[1].split("?")[0])
        # by mouse: vote for the first name, strike the others
        for i in range(7):
            page.click(f"#n{i}-{'standing' if i == 0 else 'struck'}")
        with page.expect_navigation():
            page.click("#save-names")
        page.wait_for_url(re.compile(r".*note=web_note_saved"))
        p = page_of(count, first)
        assert (p["status"], len(p["votes"])) == ("valid", 1)

        # by keyboard: keep the first two names, then Enter
        second = int(page.url.rsplit("/", 1)[1].split("?")[0])
        assert second != first
        set_names_by_keyboard(page, {i: "standing" if i < 2 else "struck" for i in range(7)})
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "note=web_note_saved" in page.url
        assert page_of(count, second)["status"] == "valid"

        # by keyboard: invalid, writing added ("e", Enter)
        third = int(page.url.rsplit("/", 1)[1].split("?")[0])
        page.keyboard.press("e")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page_of(count, third)["reasons"] == [Reason(Code.EXTRA_WRITING)]
        assert len(in_review(count)) == left - 3

        page.goto(s.url + "/results")
        status = page.locator("#status").inner_text()
        assert status.startswith(f"TẠM THỜI: còn {left - 3}" if left > 3 else "Kết quả cuối cùng")
        valid_after = json.loads(kp("tally", count, "--format", "json").output)["ballots"]["valid"]
        assert valid_after == valid_before + 2
        assert f"{valid_after} hợp lệ" in page.locator("#ballots").inner_text()
        page.context.close()
    res = kp("audit", count, "--verify")
    assert "nguyên vẹn" in res.output


def test_two_reviewers_one_ballot(browser, count):
    with Served(count) as s:
        a = sign_in(browser, s, REVIEWER)
        b = sign_in(browser, s, OTHER)
        target = in_review(count)[0]
        a.goto(s.url + f"/ballot/{target}")
        assert a.locator("#hold").is_visible()
        b.goto(s.url + f"/ballot/{target}")
        assert REVIEWER in b.locator("#held").inner_text()          # held for A: B is told
        assert "readonly" in b.locator("#decide").get_attribute("class")
        # B forces a decision anyway: refused, nothing saved
        r = b.request.post(s.url + f"/ballot/{target}/decide", headers={"Origin": s.url},
                           form={"action": "reject", "version": "0", "csrf": csrf_of(b)})
        assert r.status == 409
        assert page_of(count, target)["status"] == "review"
        # the queue sends B elsewhere
        b.goto(s.url + "/next")
        assert not b.url.endswith(f"/ballot/{target}")
        other = int(b.url.rsplit("/", 1)[1].split("?")[0])
        # A decides; then someone resolves B's ballot from the CLI while B looks at it: B's decision is stale
        a.keyboard.press("r")
        with a.expect_navigation():
            a.keyboard.press("Enter")
        assert page_of(count, target)["status"] == "rejected"
        kp("resolve", count, other, "--reviewer", ADMIN, "--invalid", "overvote")
        b.keyboard.press("e")
        b.keyboard.press("Enter")
        b.wait_for_selector("#message")
        assert "KHÔNG được lưu" in b.locator("#message").inner_text()
        assert page_of(count, other)["reasons"] == [Reason(Code.OVERVOTE)]        # not overwritten
        a.context.close()
        b.context.close()


def test_two_person_mode(browser, count):
    with Served(count, two_person=True) as s:
        a = sign_in(browser, s, REVIEWER)
        b = sign_in(browser, s, OTHER)
        first = in_review(count)[0]
        for page in (a, b):      # both agree on the first ballot: rejected
            page.goto(s.url + f"/ballot/{first}")
            page.keyboard.press("r")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            if page is a:
                assert page_of(count, first)["status"] == "review"      # one reviewer is not enough
                second = int(a.url.rsplit("/", 1)[1].split("?")[0])   # the ballot the queue gave a next
        assert page_of(count, first)["status"] == "rejected"
        assert second != first
        a.keyboard.press("e")      # they disagree on the second: back to the queue
        with a.expect_navigation():
            a.keyboard.press("Enter")
        b.goto(s.url + f"/ballot/{second}")
        b.keyboard.press("w")
        with b.expect_navigation():
            b.keyboard.press("Enter")
        assert page_of(count, second)["status"] == "review"
        a.context.close()
        b.context.close()
    actions = [json.loads(x)["action"] for x in kp("audit", count, "--format", "jsonl").output.splitlines()]
    assert actions[-4:] == ["propose", "decide", "propose", "disagree"]
    kp("audit", count, "--verify")


def test_admin_adds_reviewer_and_reopens(browser, count):
    with Served(count) as s:
        admin = sign_in(browser, s, ADMIN)
        admin.goto(s.url + "/reviewers")
        admin.fill("#new-name", "Võ Thị Sáu")
        admin.click("#add-reviewer")
        text = admin.locator("#password-once").inner_text()
        password = text.rsplit(": ", 1)[1].strip()
        ctx = browser.new_context(locale="vi-VN")
        newcomer = ctx.new_page()
        newcomer.goto(s.url + "/login")
        newcomer.fill("#name", "Võ Thị Sáu")
        newcomer.fill("#password", password)
        newcomer.click("#login")
        newcomer.wait_for_url(re.compile(r".*/password\?next=/$"))     # the one-time password: his own first
        newcomer.fill("#new", "mat-khau-cua-sau")
        newcomer.fill("#again", "mat-khau-cua-sau")
        newcomer.click("#save-password")
        newcomer.wait_for_url(s.url + "/")
        assert newcomer.locator("#left").is_visible()
        # reopen a ballot the machine decided
        valid = next(p for p in range(1, 30) if (page_of(count, p) or {}).get("status") == "valid")
        newcomer.goto(s.url + f"/ballot/{valid}")
        assert newcomer.locator("#reopen").count() == 0                  # reviewers cannot reopen
        admin.goto(s.url + f"/ballot/{valid}")
        admin.fill("#reopen-reason", "kiểm tra lại")
        admin.click("#reopen")
        admin.wait_for_selector("#hold")
        assert page_of(count, valid)["status"] == "review"
        admin.context.close()
        newcomer.context.close()
    kp("audit", count, "--verify")


# --- the whole queue by keyboard, against the truth of the generated set -------------------------------------

def _wanted(truth: dict, labels: list[str]) -> tuple[str, dict[int, str]]:
    """What a careful reviewer decides for a ballot: ("names", states) or a key for invalid / reject."""
    if truth["kind"] != "ballot":
        return "r", {}
    reason = truth.get("reason")
    if reason in ("extra_writing", "write_in"):
        return {"extra_writing": "e", "write_in": "w"}[reason], {}
    marked = set(truth["votes"] if truth.get("valid") else truth.get("marked", []))
    return "names", {i: "standing" if lab in marked else "struck" for i, lab in enumerate(labels)}


def test_clear_twenty_flagged_ballots_by_keyboard(browser, count, strike_set):
    """20 ballots in review (the flagged ones and machine-decided ones an admin reopened), cleared by
    keyboard only; then the tally equals the truth of the set and the audit log verifies."""
    truth = load_truth(strike_set)
    c = Count.open(count)
    labels = c.election().labels
    reopen = [p["id"] for p in c.pages() if p["status"] != "review"]
    for ballot in reopen[: max(0, 20 - len(in_review(count)))]:
        c.resolve(ballot, ADMIN, Verdict(Status.REVIEW, [], [Reason(Code.REOPENED)]), action="reopen", note="test")
    by_id = {p["id"]: truth[(Path(p["source"]).name, p["page"])] for p in c.pages()}
    c.close()
    queue = in_review(count)
    assert len(queue) == 20

    with Served(count) as s:
        page = sign_in(browser, s, REVIEWER)
        page.click("#start")
        keys, t0 = 0, time.perf_counter()
        for _ in range(20):
            page.wait_for_selector("#decide")
            ballot = int(page.url.rsplit("/", 1)[1].split("?")[0])
            key, states = _wanted(by_id[ballot], labels)
            if key == "names":
                keys += set_names_by_keyboard(page, states)
            else:
                page.keyboard.press(key)
                keys += 1
            with page.expect_navigation():
                page.keyboard.press("Enter")
            keys += 1
        seconds = time.perf_counter() - t0
        assert page.locator("#left").inner_text().startswith("Đã xem xét hết")
        page.context.close()
    print(f"\n20 flagged ballots cleared by keyboard in {seconds:.1f} s ({keys} keys, {keys / 20:.1f} a ballot)")

    result = json.loads(kp("tally", count, "--format", "json").output)
    expected_votes: dict[str, int] = {}
    for t in truth.values():
        if t["kind"] == "ballot" and t.get("valid"):
            for name in t["votes"]:
                expected_votes[name] = expected_votes.get(name, 0) + 1
    assert {c["name"]: c["votes"] for c in result["candidates"]} == {lab: expected_votes.get(lab, 0) for lab in labels}
    n_valid = sum(1 for t in truth.values() if t["kind"] == "ballot" and t.get("valid"))
    n_invalid = sum(1 for t in truth.values() if t["kind"] == "ballot" and not t.get("valid"))
    assert result["ballots"]["valid"] == n_valid and result["ballots"]["invalid"] == n_invalid
    assert result["ballots"]["review"] == 0
    kp("audit", count, "--verify")
