"""The review app against what a careless or hostile client sends, and the sign-in's defences: out-of-range
IDs and values, one-time passwords, guessing, HTTPS and cookies, look-alike names, a port already taken."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kiemphieu.review.web import auth
from kiemphieu.review.web.app import Settings, create_app
from kiemphieu.store import Count

from conftest import kp
from test_web import copy_count, in_review

ADMIN, REVIEWER, PASSWORD = "Trần Văn Kiểm", "Lê Thị Hoa", "mat-khau-thu"


@pytest.fixture
def count(strike_count, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    c = copy_count(strike_count, tmp_path / "safety.kp")
    k = Count.open(c)
    for name, role in ((ADMIN, "admin"), (REVIEWER, "reviewer")):
        assert k.add_reviewer(name, role, auth.hash_password(PASSWORD), by="test")
    k.close()
    return c


def client(count: Path, **settings) -> TestClient:
    return TestClient(create_app(Settings(count, **settings)), base_url="http://testserver",
                      raise_server_exceptions=False)


def field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def sign_in(c: TestClient, name: str = REVIEWER, password: str = PASSWORD, follow: bool = False):
    pre = field(c.get("/login").text, "pre")
    return c.post("/login", data={"pre": pre, "name": name, "password": password, "next": "/"},
                  follow_redirects=follow)


def signed_in(count: Path, name: str = REVIEWER, **settings) -> TestClient:
    c = client(count, **settings)
    r = sign_in(c, name)
    assert r.status_code == 303 and r.headers["location"] == "/", r.text
    return c


# --- issue 14, item 9: IDs and values out of range ---------------------------------------------------------

def test_ids_and_values_out_of_range_are_pages_not_tracebacks(count):
    c = signed_in(count)
    for path in ("/ballot/99999999999999999999999", "/ballot/9223372036854775808", "/ballot/-1", "/ballot/abc",
                 "/ballot/99999999999999999999999/image.jpg", "/nowhere"):
        r = c.get(path)
        assert r.status_code == 404, (path, r.status_code)
        assert "text/html" in r.headers["content-type"] and "Không có trang này" in r.text, path
    r = c.get("/next?after=abc")
    assert r.status_code == 400 and "text/html" in r.headers["content-type"]
    ballot = in_review(count)[0]
    html = c.get(f"/ballot/{ballot}").text
    csrf = field(html, "csrf")
    for version in ("abc", "99999999999999999999999", "1e3"):
        r = c.post(f"/ballot/{ballot}/decide", data={"csrf": csrf, "version": version, "action": "reject"},
                   follow_redirects=False)
        assert r.status_code == 400, (version, r.status_code)
        assert "version" in r.text and "chưa được lưu" in r.text
    r = c.post("/ballot/99999999999999999999999/decide", data={"csrf": csrf, "version": "0", "action": "reject"})
    assert r.status_code == 404
    assert in_review(count)[0] == ballot


# --- item 12: a one-time password works once ----------------------------------------------------------------

def test_the_one_time_password_works_once(count):
    printed = kp("reviewer", "add", count, "Võ Thị Sáu").output
    assert "dùng một lần" in printed
    once = printed.strip().rsplit(" ", 1)[1]
    c = client(count)
    r = sign_in(c, "Võ Thị Sáu", once)
    assert r.status_code == 303 and r.headers["location"] == "/password?next=/"
    r = c.get("/", follow_redirects=False)                  # nothing else until he has his own password
    assert r.status_code == 303 and r.headers["location"] == "/password?next=/"
    page = c.get("/password").text
    assert "chỉ dùng được một lần" in page
    csrf = field(page, "csrf")
    r = c.post("/ballot/1/decide", data={"csrf": csrf, "version": "0", "action": "reject"})
    assert r.status_code == 403
    for new, again, why in (("ngan", "ngan", "ít nhất 10"), ("mat-khau-moi-1", "mat-khau-moi-2", "không giống"),
                            (once, once, "khác mật khẩu cũ")):
        r = c.post("/password", data={"csrf": csrf, "new": new, "again": again, "next": "/"})
        assert r.status_code == 400 and why in r.text, why
    r = c.post("/password", data={"csrf": csrf, "new": "mat-khau-cua-sau", "again": "mat-khau-cua-sau", "next": "/"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert c.get("/").status_code == 200
    again = client(count)
    r = sign_in(again, "Võ Thị Sáu", once)                  # the paper password is spent
    assert r.status_code == 303 and "error=" in r.headers["location"]
    assert sign_in(again, "Võ Thị Sáu", "mat-khau-cua-sau").headers["location"] == "/"
    k = Count.open(count)
    assert not auth.is_one_time(k.reviewer("Võ Thị Sáu")["pw_hash"])
    k.close()


# --- item 13: guessing passwords -----------------------------------------------------------------------------

def test_wrong_passwords_are_limited_per_name(count):
    c = client(count, login_failures_per_name=3, failed_login_delay=0)
    for _ in range(3):
        assert "error=" in sign_in(c, "lê thị hoa", "sai").headers["location"]
    r = sign_in(c, REVIEWER)                                  # the right password, too late
    assert r.status_code == 429 and "quá nhiều lần" in r.text and "15 phút" in r.text
    assert c.get("/", follow_redirects=False).status_code == 303          # not signed in
    assert sign_in(c, ADMIN).headers["location"] == "/"                   # another name may still sign in


def test_wrong_passwords_are_limited_per_address(count):
    c = client(count, login_failures_per_address=4, failed_login_delay=0)
    for i in range(4):
        sign_in(c, f"Người Lạ {i}", "sai")
    assert sign_in(c, REVIEWER).status_code == 429


def test_an_unknown_name_is_checked_like_a_known_one(count, monkeypatch):
    checked = []
    real = auth.check_password
    monkeypatch.setattr(auth, "check_password", lambda pw, stored: checked.append(stored) or real(pw, stored))
    c = client(count)
    sign_in(c, "Không Có Ai", "sai")
    sign_in(c, REVIEWER, "sai")
    assert len(checked) == 2 and all(h.startswith("scrypt$") for h in checked)   # a real scrypt both times


def test_attempts_in_a_sliding_window():
    from kiemphieu.review.web.limits import Attempts, Limit
    now = [100.0]
    a = Attempts({"name": Limit(2, 60), "address": Limit(3, 60)}, clock=lambda: now[0])
    keys = {"name": "le thi hoa", "address": "10.0.0.7"}
    a.failed(keys)
    now[0] = 110
    assert a.wait(keys) == 0
    a.failed(keys)
    assert a.wait(keys) == 50                      # the first failure leaves the window at 160
    now[0] = 160
    assert a.wait(keys) == 0
    a.failed({"name": "other", "address": "10.0.0.7"})
    a.failed({"name": "third", "address": "10.0.0.7"})
    assert a.wait({"name": "fourth", "address": "10.0.0.7"}) == 10       # three from the address since 110
    a.succeeded(keys)
    assert a.wait({"name": "le thi hoa", "address": "10.0.0.8"}) == 0


# --- item 14: HTTPS, Secure cookies, a cookie per count, the warning ---------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kiemphieu.cli", "serve", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**__import__("os").environ, "KIEMPHIEU_LANG": "vi"})


def stop(proc: subprocess.Popen) -> tuple[str, str]:
    proc.terminate()
    try:
        return proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


def test_serve_over_https_with_a_certificate_made_on_first_use(count):
    httpx = pytest.importorskip("httpx")
    port = free_port()
    proc = serve(count, "--port", port, "--https")
    try:
        deadline = time.time() + 30
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                r = httpx.get(f"https://127.0.0.1:{port}/login", verify=False, timeout=2)
                break
            except httpx.TransportError:
                assert time.time() < deadline, "serve --https did not answer"
                time.sleep(0.2)
        assert r.status_code == 200 and "Đăng nhập" in r.text
        cookie = r.headers["set-cookie"]
        assert cookie.startswith("__Host-kp_") and "Secure" in cookie and "HttpOnly" in cookie
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)      # no clear text on that port
    finally:
        out, err = stop(proc)
    cert = Path(f"{count}.https-cert.pem")
    assert cert.is_file() and Path(f"{count}.https-key.pem").stat().st_mode & 0o077 == 0
    assert f"https://127.0.0.1:{port}/" in out and "SHA-256" in out and "Đã tạo chứng chỉ" in out
    proc = serve(count, "--port", free_port(), "--https")              # the next time: the same certificate
    time.sleep(3)
    out, _ = stop(proc)
    assert "Dùng chứng chỉ tự ký đã có" in out and Path(f"{count}.https-cert.pem").read_bytes() == cert.read_bytes()


def test_serving_on_the_network_without_https_warns(count):
    proc = serve(count, "--host", "0.0.0.0", "--port", free_port())
    time.sleep(3)
    out, err = stop(proc)
    assert "CẢNH BÁO" in err and "--https" in err
    proc = serve(count, "--port", free_port())                         # this machine only: no warning
    time.sleep(3)
    out, err = stop(proc)
    assert "CẢNH BÁO" not in err


def test_two_counts_on_two_ports_do_not_sign_each_other_out(count, tmp_path, browser):
    from test_web import Served
    from test_web import sign_in as browser_sign_in
    other = copy_count(count, tmp_path / "other.kp")
    with Served(count) as a, Served(other) as b:
        page = browser_sign_in(browser, a, REVIEWER, PASSWORD)
        ctx = page.context
        second = ctx.new_page()
        second.goto(b.url + "/login")
        second.fill("#name", ADMIN)
        second.fill("#password", PASSWORD)
        second.click("#login")
        second.wait_for_url(b.url + "/")
        page.goto(a.url + "/")
        assert page.url == a.url + "/" and REVIEWER in page.locator("header .who").inner_text()
        second.goto(b.url + "/")
        assert ADMIN in second.locator("header .who").inner_text()
        ctx.close()
    assert client(count).get("/login").headers["set-cookie"].split("=")[0] != client(other).get(
        "/login").headers["set-cookie"].split("=")[0]


# --- item 15: one name, one look -----------------------------------------------------------------------------

def test_no_second_account_that_looks_the_same(count):
    nfd = unicodedata.normalize("NFD", REVIEWER)
    for typed in (nfd, "le thi hoa", "LÊ THỊ  HOA"):
        res = kp("reviewer", "add", count, typed, ok=False)
        assert res.exit_code == 2 and REVIEWER in res.output, (typed, res.output)
    c = signed_in(count, ADMIN)
    csrf = field(c.get("/reviewers").text, "csrf")
    for typed in (nfd, "Le Thi Hoa"):
        r = c.post("/reviewers", data={"csrf": csrf, "name": typed, "role": "reviewer"})
        assert r.status_code == 409 and REVIEWER in r.text, typed
    r = c.post(
        "/reviewers", data={"csrf": csrf, "name": unicodedata.normalize("NFD", "Võ Thị  Sáu "), "role": "reviewer"}
    )
    assert r.status_code == 200
    kp("reviewer", "add", count, unicodedata.normalize("NFD", "Đỗ Văn Tám"))
    k = Count.open(count)
    names = [r["name"] for r in k.reviewers()]
    k.close()
    assert sorted(names) == sorted([ADMIN, REVIEWER, "Võ Thị Sáu", "Đỗ Văn Tám"])       # NFC, single spaces
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    # a new password for the one who exists, however his name is typed
    out = kp("reviewer", "add", count, "le thi hoa", "--reset").output
    assert REVIEWER in out


# --- item 11: a port already taken ---------------------------------------------------------------------------

def test_serve_on_a_port_already_taken(count):
    with socket.socket() as other:                         # another program (another count) listens there
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        res = kp("serve", count, "--port", port, ok=False)
    assert res.exit_code == 2
    assert f"Cổng {port} trên 127.0.0.1 đang được một chương trình khác dùng" in res.output
    assert "http://" not in res.output and "Traceback" not in res.output
    res = kp("serve", count, "--host", "192.0.2.1", "--port", free_port(), ok=False)     # not this machine's
    assert res.exit_code == 2 and "Không mở được 192.0.2.1" in res.output


# --- issue 14, item 8: the disk full while a reviewer saves ---------------------------------------------------

def test_a_full_disk_is_said_in_words_and_the_ballot_stays_in_review(count, monkeypatch):
    import sqlite3

    from kiemphieu.store.review import Review

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    c = signed_in(count)
    ballot = in_review(count)[0]
    html = c.get(f"/ballot/{ballot}").text
    monkeypatch.setattr(Review, "resolve", full)
    r = c.post(f"/ballot/{ballot}/decide", data={"csrf": field(html, "csrf"), "version": field(html, "version"),
                                                 "action": "reject"}, follow_redirects=False)
    assert r.status_code == 507, r.status_code
    assert "Ổ đĩa của máy chủ đã đầy" in r.text and "chưa được lưu" in r.text
    assert ballot in in_review(count)
