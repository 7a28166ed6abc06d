"""One rule, one tally: a person's decision is judged like the reader's, and every place that shows the
result — the CLI's table, JSON and CSV, the web results page, the minutes — shows the same numbers."""
from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import ballotgen
from kiemphieu.review.web.app import Settings, create_app
from kiemphieu.review.web.auth import hash_password
from kiemphieu.store import Count
from kiemphieu.tally.minutes import result_notes
from kiemphieu.tally.results import tally_count

from conftest import counted, kp

ADMIN, PASSWORD = "Trần Văn Kiểm", "mat-khau-thu"


@pytest.fixture(scope="module")
def approve_count(tmp_path_factory) -> Path:
    """A yes/no ballot count ("Đồng ý" / "Không đồng ý" per row), with an admin."""
    d = tmp_path_factory.mktemp("approve")
    ballotgen.generate_set(d, kind="approve", layout="table", n=8, seed=1101, cases=["yes-no"])
    count = counted(d, tmp_path_factory.mktemp("approve-count"))
    c = Count.open(count)
    c.add_reviewer(ADMIN, "admin", hash_password(PASSWORD), by="test")
    c.close()
    return count


def signed_in(count: Path) -> TestClient:
    client = TestClient(create_app(Settings(count)), base_url="http://testserver")
    page = client.get("/login").text
    pre = re.search(r'name="pre" value="([^"]+)"', page).group(1)
    r = client.post("/login", data={"pre": pre, "name": ADMIN, "password": PASSWORD, "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    return client


def decide_in_browser(client: TestClient, ballot: int, choices: dict[int, str]) -> None:
    """Reopen ``ballot`` as the admin, then decide it with one choice per row, as the form sends it."""
    page = client.get(f"/ballot/{ballot}").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    if "/reopen" in page:
        client.post(f"/ballot/{ballot}/reopen", data={"csrf": csrf, "version": version, "reason": "test"})
        page = client.get(f"/ballot/{ballot}").text
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
    form = {"csrf": csrf, "version": version, "action": "names"} | {f"name_{i}": s for i, s in choices.items()}
    r = client.post(f"/ballot/{ballot}/decide", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text


def against_of(count: Path) -> dict[str, int]:
    return {c["name"]: c["against"] for c in json.loads(kp("tally", count, "--format", "json").output)["candidates"]}


def copy_of(src: Path, dst: Path) -> Path:
    with contextlib.closing(sqlite3.connect(src)) as a, contextlib.closing(sqlite3.connect(dst)) as b:
        a.backup(b)
    return dst


def test_a_yes_no_ballot_decided_in_the_browser_keeps_its_names_against(approve_count, tmp_path):
    count = copy_of(approve_count, tmp_path / "c.kp")
    c = Count.open(count)
    labels = c.election().labels
    first = next(p for p in c.pages() if p["status"] in ("valid", "review"))   # a ballot, read or in review
    c.close()
    ballot, n = first["id"], len(labels)
    before = against_of(count)
    client = signed_in(count)
    # two names against, the rest for: both "Không đồng ý" names are counted against
    decide_in_browser(client, ballot, {i: "disagree" if i < 2 else "agree" for i in range(n)})
    c = Count.open(count)
    p = c.page(ballot)
    c.close()
    assert (p["status"], p["against"], p["votes"]) == ("valid", labels[:2], labels[2:])
    # every name against: a valid ballot with no "Đồng ý", not "invalid: no votes"
    decide_in_browser(client, ballot, {i: "disagree" for i in range(n)})
    c = Count.open(count)
    p = c.page(ballot)
    c.close()
    assert (p["status"], p["against"], p["votes"], p["reasons"]) == ("valid", labels, [], [])
    after = against_of(count)
    counted_before = first["against"] if first["status"] == "valid" else []
    assert after == {name: before[name] + (name not in counted_before) for name in labels}


def test_cli_web_and_minutes_show_one_tally(strike_count, tmp_path):
    count = copy_of(strike_count, tmp_path / "c.kp")
    c = Count.open(count)
    c.add_reviewer(ADMIN, "admin", hash_password(PASSWORD), by="test")
    scanned = sum(n for s, n in c.status_counts().items() if s != "rejected")
    c.close()
    kp("set", count, f"issued={scanned + 5}", f"returned={scanned + 3}")
    j = json.loads(kp("tally", count, "--format", "json").output)
    votes = {c["name"]: c["votes"] for c in j["candidates"]}
    assert [d["key"] for d in j["reconciliation"]] == ["returned_scanned"]
    gap = f"CHÊNH LỆCH: thu vào {scanned + 3} phiếu nhưng đã quét {scanned} phiếu"
    ballots = f"Phiếu: {j['ballots']['valid']} hợp lệ, {j['ballots']['invalid']} không hợp lệ"

    table = kp("tally", count).output
    assert gap in table and ballots in table
    assert {m[1]: int(m[2]) for m in re.finditer(r"^\s*\d+\s+(.+?)\s{2,}(\d+)\s+[\d.,]+ ?%", table, re.M)} == votes

    rows = list(csv.DictReader(io.StringIO(kp("tally", count, "--format", "csv").output)))
    assert {r["name"]: int(r["votes"]) for r in rows} == votes

    web = signed_in(count).get("/results").text
    assert gap in web and ballots in web
    assert {m[1]: int(m[2]) for m in re.finditer(
        r'<tr><td>\d+</td><td>([^<]+)</td><td class="num votes">(\d+)</td>', web)} == votes

    kp("minutes", count, "-o", tmp_path / "bb.html")
    minutes = (tmp_path / "bb.html").read_text(encoding="utf-8")
    assert gap in minutes
    assert {m[1]: int(m[2]) for m in re.finditer(
        r'<td class="n">\d+</td><td>([^<]+)</td>\s*<td class="n">(\d+)</td>', minutes)} == votes
    c = Count.open(count)
    election, tally = tally_count(c)
    c.close()
    warnings = [n.text for n in result_notes(election, tally) if n.warn]   # nobody elected, ties, next round, gaps
    assert gap in " ".join(warnings)
    for text in warnings:
        assert text in table and html.escape(text, quote=False) in web and html.escape(text, quote=False) in minutes
