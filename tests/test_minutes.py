"""The minutes (PDF and HTML), `set`, `round` and the tally formats, on a real sample count."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import time

import pytest

from conftest import kp
from kiemphieu.election import load_election, parse_election
from kiemphieu.tally import minutes
from kiemphieu.tally.results import compute


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def count(strike_count, tmp_path):
    """A private copy of the sample count, free to change."""
    dst = tmp_path / "count.kp"
    shutil.copy(strike_count, dst)
    return dst


def tally_json(count, *args) -> dict:
    return json.loads(kp(*args, "tally", count, "--format", "json").output)


def test_minutes_pdf_has_every_diacritic_and_the_provisional_banner(count, strike_set, tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    kp("set", count, "issued=26", "returned=24", "committee=Trần Văn Kiểm; Lê Thị Hoa", "place=Hải Hà")
    t = tally_json(count)
    out = tmp_path / "bien-ban.pdf"
    start = time.perf_counter()
    kp("minutes", count, "-o", out)
    assert time.perf_counter() - start < 10
    text = pdf_text(out)
    election = load_election(strike_set / "election.toml")
    for word in ["BIÊN BẢN KIỂM PHIẾU", election.title, "Trần Văn Kiểm", "Lê Thị Hoa", "TRƯỞNG BAN KIỂM PHIẾU",
                 "Hải Hà, ngày", "Số phiếu hợp lệ", "gạch hết tên", f"> {t['base'] / 2:g}"] + election.labels:
        assert word in text, word
    assert f"TẠM THỜI — còn {t['outstanding']} phiếu chờ xem xét" in text
    scanned = t["ballots"]["valid"] + t["ballots"]["invalid"] + t["ballots"]["review"]
    flat = " ".join(text.split())
    assert (f"thu vào 24 phiếu nhưng đã quét {scanned}" in flat) if scanned != 24 else ("khớp" in flat)


def test_minutes_final_html_in_english_and_the_next_round(count, tmp_path):
    for ballot in tally_json(count)["review_ids"]:
        kp("resolve", count, ballot, "--reviewer", "Trần Văn Kiểm", "--invalid", "other")
    out = tmp_path / "minutes.html"
    kp("--lang", "en", "minutes", count, "-o", out)
    html = out.read_text(encoding="utf-8")
    assert "MINUTES OF THE COUNT" in html and "PROVISIONAL" not in html
    t = tally_json(count)
    assert t["final"] and not t["elected"]            # 154 summoned: nobody has more than 77 votes
    res = kp("round", count, "--next", tmp_path / "round2.kp")
    e2 = load_election(tmp_path / "round2.toml")
    assert e2.round == 2 and e2.seats == 4 and len(e2.candidates) == 7
    assert e2.electorate == 154 and "round2.kp" in res.output
    assert kp("round", count, "--next", tmp_path / "round2.kp", ok=False).exit_code == 2   # never overwritten


def test_round_refused_while_ballots_are_in_review(count, tmp_path):
    res = kp("round", count, "--next", tmp_path / "r2.kp", ok=False)
    assert res.exit_code == 2 and not (tmp_path / "r2.toml").exists()


def test_set_reconciliation_and_refusals(count, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    kp("set", count, "issued=30", "returned=30")
    t = tally_json(count)
    scanned = t["ballots"]["valid"] + t["ballots"]["invalid"] + t["ballots"]["review"]
    assert {"key": "returned_scanned", "a": 30, "b": scanned} in t["reconciliation"]
    assert "MISMATCH: 30 ballots returned but" in kp("tally", count).output
    kp("set", count, f"returned={scanned}")
    assert "Reconciled" in kp("tally", count).output
    assert kp("set", count, "excluded=154", ok=False).exit_code == 2          # excluded ≥ electorate
    assert kp("set", count, "quorum=3", ok=False).exit_code == 2
    assert kp("set", count, "issued=many", ok=False).exit_code == 2
    kp("set", count, "excluded=4")
    t = tally_json(count)
    assert t["base"] == 150 and t["excluded"] == 4
    assert "summoned (154) less 4 not counted: 150" in kp("tally", count).output


def test_tally_csv_and_export_csv(count):
    rows = list(csv.DictReader(io.StringIO(kp("tally", count, "--format", "csv").output)))
    assert len(rows) == 7 and rows[0]["base"] == "154" and rows[0]["percent"].count(".") == 1
    out = kp("export", count, "--format", "csv").output
    header = next(csv.reader(io.StringIO(out)))
    assert header[:5] == ["ballot", "source", "page", "status", "reasons"] and len(header) == 12


# --- minutes of worked results, without scanning ---------------------------------------------------------

def state_result():
    e = parse_election({"title": "Bầu đại biểu Hội đồng nhân dân xã Quảng Đức", "seats": 2, "rules": "state",
                        "electorate": 20, "returned": 12, "issued": 12, "candidates": [
                            {"name": "Nguyễn Thị Ánh", "born": "1960-01-01"},
                            {"name": "Trương Văn Đạt", "born": "1970-05-02"},
                            {"name": "Phạm Thị Hằng", "born": "1968-12-31"}]})
    votes = [(["Nguyễn Thị Ánh"], [])] * 8 + [(["Trương Văn Đạt"], [])] * 7 + [(["Phạm Thị Hằng"], [])] * 7
    return e, compute(e, {"valid": 12}, votes)


def test_minutes_state_tie_by_age_and_turnout(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    e, t = state_result()
    out = minutes.write(e, t, {}, "xa.kp", tmp_path / "m.pdf")
    text = " ".join(pdf_text(out).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập – Tự do – Hạnh phúc" in text
    assert "Phạm Thị Hằng trúng cử vì nhiều tuổi hơn (sinh 1968-12-31)" in text
    assert "Tỷ lệ cử tri đi bầu: 12/20 = 60.00%" in text
    assert "TẠM THỜI" not in text


def test_minutes_turnout_half_is_marked_not_valid(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    e = parse_election({"title": "T", "seats": 1, "rules": "state", "electorate": 20, "returned": 10,
                        "candidates": ["A", "B"]})
    t = compute(e, {"valid": 10}, [(["A"], [])] * 10)
    html = minutes.render_html(minutes.context(e, t, {}, "t.kp"))
    assert "NOT VALID" in html and "10/20 = 50.00%" in html


def test_minutes_name_the_elected_once_and_never_say_nobody(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    e, t = state_result()
    html = minutes.render_html(minutes.context(e, t, {}, "xa.kp"))
    assert "Chưa có ai trúng cử" not in html and html.count("Nguyễn Thị Ánh") == 3   # table, chart, elected list
