"""The CLI contract and its errors, on real generated scans."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from kiemphieu.cli import main

from conftest import create_count, export, kp, load_truth


@pytest.fixture()
def small_count(strike_set, tmp_path):
    """A new count on the strike set's blank, and a folder with the first six scans."""
    count = tmp_path / "c.kp"
    create_count(strike_set, count)
    scans = tmp_path / "scans"
    scans.mkdir()
    for p in sorted((strike_set / "scans").iterdir())[:6]:
        shutil.copy(p, scans / p.name)
    return count, scans


def test_new_writes_layout_picture(small_count):
    count, _ = small_count
    pic = Path(str(count) + ".layout.png")
    assert pic.exists() and Image.open(pic).size[1] == 1754


def test_new_refuses_a_candidate_not_on_the_blank(strike_set, tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    text = (strike_set / "election.toml").read_text(encoding="utf-8")
    text = text.replace("candidates = [", 'candidates = [\n  "Phùng Khắc Khoan",')
    e = tmp_path / "e.toml"
    e.write_text(text, encoding="utf-8")
    res = kp("new", tmp_path / "x.kp", "--election", e, "--template", strike_set / "blank.png", ok=False)
    assert res.exit_code == 2
    assert "Phùng Khắc Khoan" in res.output and "Not found" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "x.kp").exists()


def test_bad_files_are_reported_and_skipped(small_count, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    count, scans = small_count
    (scans / "notes.jpg").write_text("this is not an image")
    (scans / "empty.png").write_bytes(b"")
    good = sorted(scans.glob("ballot_*"))[0].read_bytes()
    (scans / "cut.jpg").write_bytes(good[: len(good) // 3])
    res = kp("scan", count, scans, "--quiet", ok=False)
    assert res.exit_code == 1
    assert "notes.jpg" in res.output and "empty.png" in res.output
    rows = export(count)
    assert len([k for k in rows if k[0].startswith("ballot_")]) == 6
    assert "notes.jpg" not in {k[0] for k in rows}


def test_scanning_again_counts_nothing_twice(small_count, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    count, scans = small_count
    kp("scan", count, scans, "--quiet")
    first = export(count)
    shutil.copy(sorted(scans.iterdir())[0], scans / "copy-of-first.jpg")
    res = kp("scan", count, scans, "--quiet")
    assert export(count).keys() == first.keys()
    # the six pages and the exact copy of one of them are all known already
    assert "0 new pages" in res.output and "7 pages already counted" in res.output


def test_export_contract(small_count):
    count, scans = small_count
    kp("scan", count, scans, "--quiet")
    res = kp("export", count, "--format", "jsonl")
    for line in res.output.splitlines():
        r = json.loads(line)
        assert {"ballot", "source", "page", "status", "votes", "reasons"} <= set(r)
        assert r["page"] == 1 and r["status"] in ("valid", "invalid", "review", "rejected")


def test_resolve_changes_tally_and_keeps_who(strike_set, strike_count, tmp_path):
    count = tmp_path / "c.kp"
    shutil.copy(strike_count, count)
    truth = load_truth(strike_set)
    rows = export(count)
    review = [(k, r) for k, r in rows.items() if r["status"] == "review"]
    assert review, "the set has unclear ballots"
    key, r = review[0]
    names = truth[key]["votes"] or truth[key]["marked"][:1]
    before = json.loads(kp("tally", count, "--format", "json").output)
    kp("resolve", count, r["ballot"], "--reviewer", "Trần Văn Kiểm", "--votes", ";".join(names))
    after = json.loads(kp("tally", count, "--format", "json").output)
    assert after["ballots"]["review"] == before["ballots"]["review"] - 1
    assert after["ballots"]["valid"] == before["ballots"]["valid"] + 1
    b = {c["name"]: c["votes"] for c in before["candidates"]}
    a = {c["name"]: c["votes"] for c in after["candidates"]}
    assert all(a[n] == b[n] + 1 for n in names)
    con = sqlite3.connect(count)
    who, status = con.execute("SELECT reviewer, status FROM resolutions").fetchone()
    assert (who, status) == ("Trần Văn Kiểm", "valid")


def test_resolve_refuses_unknown_name_and_judges_an_overvote_as_the_reader_does(strike_count, tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    count = tmp_path / "c.kp"
    shutil.copy(strike_count, count)
    res = kp("resolve", count, 1, "--reviewer", "A", "--votes", "Không Có Ai", ok=False)
    assert res.exit_code == 2 and "Không Có Ai" in res.output
    labels = [c["name"] for c in json.loads(kp("tally", count, "--format", "json").output)["candidates"]]
    res = kp("resolve", count, 1, "--reviewer", "A", "--votes", ";".join(labels))
    assert "invalid — more names left than seats" in res.output
    row = export(count)[next(k for k, r in export(count).items() if r["ballot"] == 1)]
    assert (row["status"], row["votes"], row["reasons"]) == ("invalid", [], [{"code": "overvote"}])


def test_multipage_pdf(strike_set, tmp_path):
    count = tmp_path / "c.kp"
    create_count(strike_set, count)
    pages = [Image.open(p).convert("RGB") for p in sorted((strike_set / "scans").glob("*.jpg"))[:3]]
    pdf = tmp_path / "batch.pdf"
    pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=200)
    kp("scan", count, pdf, "--quiet")
    rows = export(count)
    assert sorted(k[1] for k in rows) == [1, 2, 3]


def test_inspect_draws_the_reading(strike_count, tmp_path):
    out = tmp_path / "b1.png"
    kp("inspect", strike_count, 1, "-o", out)
    assert Image.open(out).size[1] == 1754


def test_missing_count_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    res = kp("tally", tmp_path / "nope.kp", ok=False)
    assert res.exit_code == 2 and "No count" in res.output and "Traceback" not in res.output



def test_verbose_says_why_each_page_was_read_as_it_was(strike_set, tmp_path, caplog):
    count = create_count(strike_set, tmp_path / "c.kp")
    page = sorted((strike_set / "scans").iterdir())[0]
    with caplog.at_level("DEBUG", logger="kiemphieu.page"):
        kp("-vv", "scan", count, page, "--quiet", "--jobs", 1)
    status = export(count)[(page.name, 1)]["status"]
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith(f"{page}#1: {status} ")
    assert any("registration {'ok': True" in x for x in lines)
    labels = [c["name"] for c in json.loads(kp("tally", count, "--format", "json").output)["candidates"]]
    assert all(any(f"#1:   {label}" in x for x in lines) for label in labels)


def test_help_speaks_one_language_at_a_time(monkeypatch):
    vi = kp("--help").output + kp("scan", "--help").output + kp("resolve", "--help").output
    assert "[TÙY CHỌN] LỆNH [ĐỐI SỐ]" in vi and "Đọc các trang quét" in vi and "Hiện hướng dẫn này" in vi
    for english in ("Usage:", "Options:", "Show this message", "Read scanned pages", "names against", "Missing"):
        assert english not in vi, english
    missing = kp("scan", ok=False)
    assert missing.exit_code == 2 and "Lỗi: Thiếu đối số 'COUNT'." in missing.output
    en = kp("--lang", "en", "--help").output + kp("--lang", "en", "scan", "--help").output
    assert "Usage: main [OPTIONS] COMMAND" in en and "Read scanned pages" in en
    for vietnamese in ("Cách dùng", "Tùy chọn", "Đọc các trang", "Hiện hướng dẫn"):
        assert vietnamese not in en, vietnamese


def test_a_toml_mistake_is_said_with_its_line(tmp_path, monkeypatch):
    bad = tmp_path / "e.toml"
    bad.write_text('title = "Bầu thử"\nseats = \ncandidates = ["A", "B"]\n', encoding="utf-8")
    res = kp("new", tmp_path / "c.kp", "--election", bad, "--template", bad, ok=False)
    assert res.exit_code == 2 and f"{bad}, dòng 2, cột 9: lỗi cú pháp TOML — giá trị không hợp lệ" in res.output
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    res = kp("new", tmp_path / "c.kp", "--election", bad, "--template", bad, ok=False)
    assert f"{bad}, line 2, column 9: TOML syntax error — Invalid value." in res.output


def test_resolve_takes_row_numbers(strike_count, tmp_path):
    count = tmp_path / "c.kp"
    shutil.copy(strike_count, count)
    labels = [c["name"] for c in json.loads(kp("tally", count, "--format", "json").output)["candidates"]]
    kp("resolve", count, 1, "--reviewer", "A", "--votes", f"3,1;{labels[4]};3")
    row = next(r for r in export(count).values() if r["ballot"] == 1)
    assert row["votes"] == [labels[0], labels[2], labels[4]]
    res = kp("resolve", count, 1, "--reviewer", "A", "--votes", f"1,{len(labels) + 1}", ok=False)
    assert res.exit_code == 2 and f"dòng số {len(labels) + 1}" in res.output


def test_no_progress_bar_when_output_is_piped(strike_set, tmp_path):
    count = create_count(strike_set, tmp_path / "c.kp")
    res = CliRunner().invoke(main, ["scan", str(count), str(sorted((strike_set / "scans").iterdir())[0]),
                                    "--jobs", "1"], catch_exceptions=False)
    assert res.exit_code == 0 and res.stderr == ""
