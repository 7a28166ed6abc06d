"""The minutes (PDF and HTML) in the form of a biên bản, `set`, `round` and the tally formats.

The PDFs are read back as text (pdftotext, one page per form feed) and checked for the parts of the form.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import time

import pytest

from kiemphieu.cli import _tally_table
from kiemphieu.election import load_election, parse_election
from kiemphieu.store import Count
from kiemphieu.tally import minutes
from kiemphieu.tally.results import compute

from conftest import kp

VN = dt.timezone(dt.timedelta(hours=7))
DATE = re.compile(r"ngày (\d\d) tháng (0[12]|[3-9]|1[0-2]) năm (\d{4})")


def pdf_pages(path) -> list[str]:
    """The text of each page, words separated by single spaces."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


def pdf_text(path) -> str:
    return " ".join(pdf_pages(path))


@pytest.fixture
def count(strike_count, tmp_path):
    """A private copy of the sample count, free to change."""
    dst = tmp_path / "count.kp"
    shutil.copy(strike_count, dst)
    return dst


def tally_json(count, *args) -> dict:
    return json.loads(kp(*args, "tally", count, "--format", "json").output)


PARTY_SETTINGS = ("header=ĐẢNG BỘ TỈNH QUẢNG NINH; ĐẠI HỘI ĐẢNG BỘ HUYỆN HẢI HÀ", "number=07", "place=Hải Hà",
                  "committee=Lê Thị Hoa (Phó Trưởng ban); Trần Văn Kiểm (Trưởng ban); Vũ Văn Tâm")


# --- the Party form, on a real count -------------------------------------------------------------------

def test_party_minutes_header_opening_numbers_and_closing(count, strike_set, tmp_path):
    kp("set", count, "issued=26", "returned=24", *PARTY_SETTINGS)
    t = tally_json(count)
    out = tmp_path / "bien-ban.pdf"
    start = time.perf_counter()
    kp("minutes", count, "-o", out)
    assert time.perf_counter() - start < 10
    text = pdf_text(out)
    head = text[:text.index("BIÊN BẢN KIỂM PHIẾU")]
    for part in ["ĐẢNG BỘ TỈNH QUẢNG NINH", "ĐẠI HỘI ĐẢNG BỘ HUYỆN HẢI HÀ", "*", "Số: 07-BB/BKP",
                 "ĐẢNG CỘNG SẢN VIỆT NAM", "Hải Hà, ngày"]:
        assert part in head, part
    assert head.index("ĐẢNG BỘ TỈNH") < head.index("ĐẠI HỘI") < head.index("*") < head.index("Số: 07")
    # the members, chair first, each with the role entered
    assert ("Ban kiểm phiếu gồm các đồng chí: 1. Đồng chí Trần Văn Kiểm – Trưởng ban 2. Đồng chí Lê Thị Hoa – "
            "Phó Trưởng ban 3. Đồng chí Vũ Văn Tâm – Ủy viên") in text
    election = load_election(strike_set / "election.toml")
    for word in [election.title, "Số phiếu hợp lệ", "gạch hết tên", "TRƯỞNG BAN KIỂM PHIẾU"] + election.labels:
        assert word in text, word
    # "từ 78 phiếu trở lên", not "> 77"; percentages with a decimal comma
    assert t["needed"] == t["base"] // 2 + 1 and f"từ {t['needed']} phiếu trở lên" in text and "> " not in text
    for c in t["candidates"]:
        assert f"{c['name']} {c['votes']} {c['percent']:.2f}".replace(".", ",") in text, c["name"]
    assert not re.search(r"\d\.\d\d", text)
    # dates in words, the closing with the time
    dates = DATE.findall(text)
    assert len(dates) == 2 and dates[0] == dates[1]                   # the date line and the closing
    assert re.search(r"Biên bản lập xong lúc \d\d giờ \d\d phút, ngày \d\d tháng", text)
    scanned = t["ballots"]["valid"] + t["ballots"]["invalid"] + t["ballots"]["review"]
    assert (f"thu vào 24 phiếu nhưng đã quét {scanned}" in text) if scanned != 24 else ("khớp" in text)


def test_provisional_on_every_page_and_the_signatures_with_the_result(count, tmp_path):
    kp("set", count, *PARTY_SETTINGS)
    outstanding = tally_json(count)["outstanding"]
    assert outstanding > 0
    out = tmp_path / "bb.pdf"
    kp("minutes", count, "-o", out)
    pages = pdf_pages(out)
    assert len(pages) >= 2
    for page in pages:
        assert f"TẠM THỜI — còn {outstanding} phiếu chờ xem xét" in page
    signed = [p for p in pages if "TRƯỞNG BAN KIỂM PHIẾU" in p]
    assert len(signed) == 1 and "III. Kết quả" in signed[0] and "Biên bản lập xong lúc" in signed[0]


@pytest.mark.parametrize("n", [3, 14, 26, 40])
def test_the_signatures_stay_on_the_page_of_the_result_whatever_the_length(n, tmp_path):
    e = parse_election({"title": "Bầu Ban Chấp hành", "seats": max(1, n // 3), "electorate": 2 * n,
                        "candidates": [f"Nguyễn Văn Thứ {i}" for i in range(1, n + 1)]})
    t = compute(e, {"valid": n, "review": 1}, [([f"Nguyễn Văn Thứ {i}" for i in range(1, k + 1)], [])
                                                for k in range(1, n + 1)])
    committee = {"committee": [{"name": f"Thành Viên {i}", "role": "member"} for i in range(7)]}
    pages = pdf_pages(minutes.write(e, t, committee, "c.kp", tmp_path / "m.pdf"))
    signed = [p for p in pages if "TRƯỞNG BAN KIỂM PHIẾU" in p]
    assert len(signed) == 1 and "III. Kết quả" in signed[0] and "Thành Viên 6" in signed[0]
    assert all("TẠM THỜI — còn 1 phiếu" in p for p in pages)


def test_minutes_print_the_last_audit_hash(count, tmp_path, monkeypatch):
    ids = tally_json(count)["review_ids"]
    kp("resolve", count, ids[0], "--reviewer", "Trần Văn Kiểm", "--invalid", "overvote")
    kp("resolve", count, ids[1], "--reviewer", "Lê Thị Hoa", "--reject", "tờ giấy trắng")
    c = Count.open(count)
    seq, head = c.audit_head()
    c.close()
    out = tmp_path / "bb.pdf"
    kp("minutes", count, "-o", out)
    text = pdf_text(out)
    assert f"Nhật ký quyết định: {seq} mục, mã cuối: {head}" in text
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    assert f"mã cuối {head}" in kp("audit", count, "--verify").output      # what the committee compares


def test_minutes_without_decisions_say_the_log_is_empty(count, tmp_path):
    out = tmp_path / "bb.html"
    kp("minutes", count, "-o", out)
    assert "Nhật ký quyết định: chưa có mục nào" in out.read_text(encoding="utf-8")


def test_final_minutes_in_english_and_the_next_round(count, tmp_path):
    for ballot in tally_json(count)["review_ids"]:
        kp("resolve", count, ballot, "--reviewer", "Trần Văn Kiểm", "--invalid", "other")
    out = tmp_path / "minutes.html"
    kp("--lang", "en", "minutes", count, "-o", out)
    html = out.read_text(encoding="utf-8")
    assert "MINUTES OF THE COUNT" in html and "PROVISIONAL" not in html and "TẠM THỜI" not in html
    assert re.search(r"\b\d+\.\d\d\b", html) and not re.search(r"\b\d+,\d\d\b", html)   # decimal points in English
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


# --- set ------------------------------------------------------------------------------------------------

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
    assert kp("set", count, "complaints_received=two", ok=False).exit_code == 2
    kp("set", count, "excluded=4")
    t = tally_json(count)
    assert t["base"] == 150 and t["excluded"] == 4
    assert "summoned (154) less 4 not counted: 150" in kp("tally", count).output


def test_set_committee_with_roles(count):
    res = kp("set", count, "committee=Lê Thị Hoa (phó trưởng ban); Trần Văn Kiểm (TRUONG BAN); Vũ Văn Tâm")
    assert "Trần Văn Kiểm (Trưởng ban); Lê Thị Hoa (Phó Trưởng ban); Vũ Văn Tâm (Ủy viên)" in res.output
    c = Count.open(count)
    assert c.settings()["committee"] == [{"name": "Lê Thị Hoa", "role": "vice"},
                                         {"name": "Trần Văn Kiểm", "role": "chair"},
                                         {"name": "Vũ Văn Tâm", "role": "member"}]
    c.close()
    bad = kp("set", count, "committee=Trần Văn Kiểm (Chủ tịch); Lê Thị Hoa", ok=False)
    assert bad.exit_code == 2 and "Chủ tịch" in bad.output and "Phó Trưởng ban" in bad.output
    two = kp("set", count, "committee=A (Trưởng ban); B (Tổ trưởng)", ok=False)
    assert two.exit_code == 2 and "A; B" in two.output
    kp("set", count, "committee=")
    c = Count.open(count)
    assert "committee" not in c.settings()
    c.close()


def test_committee_roles_first_is_chair_unless_named_and_old_lists_read_the_same():
    roles = lambda ms: [(m.name, m.role) for m in ms]  # noqa: E731
    assert roles(minutes.parse_committee("A; B; C")) == [("A", "chair"), ("B", "member"), ("C", "member")]
    assert roles(minutes.parse_committee("A (Ủy viên); B (Trưởng ban); C (Thư ký)")) == [
        ("A", "member"), ("B", "chair"), ("C", "secretary")]
    assert roles(minutes.parse_committee("A (thư ký); B; C")) == [("A", "secretary"), ("B", "chair"), ("C", "member")]
    assert roles(minutes.committee_of({"committee": ["A", "B"]})) == [("A", "chair"), ("B", "member")]
    assert roles(minutes.committee_of({"committee": [{"name": "A", "role": "member"}, {"name": "B", "role": "chair"},
                                                     {"name": "C", "role": "vice"}]})) == [
        ("B", "chair"), ("C", "vice"), ("A", "member")]
    with pytest.raises(minutes.SettingError):
        minutes.parse_committee("A (Trưởng ban); B (chair)")


# --- numbers and dates ------------------------------------------------------------------------------------

def test_numbers_and_dates_as_vietnamese_documents_write_them(monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    assert (minutes.decimal(16.51), minutes.pct(16.5), minutes.decimal(0.0)) == ("16,51", "16,50 %", "0,00")
    assert minutes.date_words(dt.date(2026, 12, 1), "Hải Hà") == "Hải Hà, ngày 01 tháng 12 năm 2026"
    assert minutes.date_words(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert minutes.date_words(dt.date(2026, 3, 15)) == "ngày 15 tháng 3 năm 2026"
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    assert (minutes.decimal(16.51), minutes.pct(16.5)) == ("16.51", "16.50%")


def test_minutes_are_dated_in_local_time(monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    e, t = party_result()
    at = dt.datetime(2026, 12, 1, 21, 42, tzinfo=VN)
    ctx = minutes.context(e, t, {"place": "Hải Hà"}, "c.kp", at=at)
    assert ctx["date_line"] == "Hải Hà, ngày 01 tháng 12 năm 2026"
    assert ctx["closing"] == "Biên bản lập xong lúc 21 giờ 42 phút, ngày 01 tháng 12 năm 2026."
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")     # UTC+7 all year: the UTC hour is never the local one
    time.tzset()
    try:
        before = dt.datetime.now().astimezone()
        closing = minutes.context(e, t, {}, "c.kp")["closing"]
        after = dt.datetime.now().astimezone()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert before.utcoffset() == dt.timedelta(hours=7)
    assert any(f"lúc {x.hour:02d} giờ" in closing for x in (before, after)), closing


# --- yes/no ballots ------------------------------------------------------------------------------------

def approve_result():
    e = parse_election({"title": "Bầu Ban Thường vụ", "seats": 3, "ballot": "approve", "electorate": 94,
                        "candidates": ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]})
    votes = [(["Nguyễn Văn An", "Trần Thị Bình"], ["Lê Văn Cường"])] * 48 + [(["Lê Văn Cường"], ["Nguyễn Văn An"])] * 40
    return e, compute(e, {"valid": 88}, votes)


def test_yes_no_minutes_and_tally_table_have_the_against_column(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    e, t = approve_result()
    text = pdf_text(minutes.write(e, t, {}, "c.kp", tmp_path / "m.pdf"))
    assert "Đồng ý" in text and "Không đồng ý" in text and "từ 48 phiếu trở lên" in text
    assert "Nguyễn Văn An 48 51,06 40 42,55 Trúng cử" in text
    assert "Lê Văn Cường 40 42,55 48 51,06" in text
    table = _tally_table(t, approve=True)
    assert table[0].split()[:4] == ["STT", "Họ", "và", "tên"] and "Không đồng ý" in table[0]
    assert table[1].split() == ["1", "Nguyễn", "Văn", "An", "48", "51,06", "%", "40", "42,55", "%", "✔"]
    assert "Không đồng ý" not in _tally_table(t, approve=False)[0]


def test_cli_tally_says_from_how_many_votes_with_decimal_commas(count, monkeypatch):
    t = tally_json(count)
    out = kp("tally", count).output
    assert f"từ {t['needed']} phiếu trở lên" in out and "> " not in out
    first = t["candidates"][0]
    assert re.search(rf"^\s*1\s+{first['name']}\s+{first['votes']}\s+{first['percent']:.2f} %".replace(".", ","),
                     out, re.M)
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    out = kp("tally", count).output
    assert f"at least {t['needed']} votes" in out and f"{first['percent']:.2f}%" in out


# --- worked results, without scanning ----------------------------------------------------------------------

def party_result():
    e = parse_election({"title": "Bầu Ban Chấp hành Đảng bộ xã", "seats": 2, "electorate": 10,
                        "candidates": ["Nguyễn Thị Ánh", "Trương Văn Đạt", "Phạm Thị Hằng"]})
    votes = [(["Nguyễn Thị Ánh", "Trương Văn Đạt"], [])] * 6 + [(["Phạm Thị Hằng"], [])] * 3
    return e, compute(e, {"valid": 9}, votes)


def test_minutes_name_the_elected_once_and_never_say_nobody(monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    e, t = party_result()
    html = minutes.render_html(minutes.context(e, t, {}, "xa.kp"))
    assert "Chưa có ai trúng cử" not in html and html.count("Nguyễn Thị Ánh") == 3   # table, chart, elected list


def test_party_fields_not_entered_are_dots_to_fill_by_hand(monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    e, t = party_result()
    html = minutes.render_html(minutes.context(e, t, {}, "xa.kp"))
    assert f"Đồng chí {minutes.DOTS} – Trưởng ban" in html and "Số: ……-BB/BKP" in html
    assert f"{minutes.DOTS}, ngày" in html and "kiemphieu set" not in html


def state_result():
    e = parse_election({"title": "Bầu cử đại biểu Hội đồng nhân dân xã Quảng Đức nhiệm kỳ 2026 – 2031", "seats": 2,
                        "rules": "state", "electorate": 20, "returned": 13, "issued": 13, "present": 13,
                        "candidates": [{"name": "Nguyễn Thị Ánh", "born": "1960-01-01"},
                                       {"name": "Trương Văn Đạt", "born": "1970-05-02"},
                                       {"name": "Phạm Thị Hằng", "born": "1968-12-31"}]})
    votes = [(["Nguyễn Thị Ánh"], [])] * 8 + [(["Trương Văn Đạt"], [])] * 7 + [(["Phạm Thị Hằng"], [])] * 7
    return e, compute(e, {"valid": 12, "invalid": 1}, votes, {"overvote": 1})


STATE_SETTINGS = {"header": ["TỈNH QUẢNG NINH", "XÃ QUẢNG ĐỨC"], "place": "Quảng Đức", "area": "3", "unit": "2",
                  "committee": [{"name": "Trần Văn Kiểm", "role": "chair"}, {"name": "Lê Thị Hoa", "role": "secretary"},
                                {"name": "Vũ Văn Tâm", "role": "member"}],
                  "witnesses": ["Đỗ Thị Lan", "Hà Văn Minh"],
                  "complaints_received": 2, "complaints_resolved": 1, "complaints_forwarded": 0}


def test_state_minutes_have_the_fields_the_law_lists(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    e, t = state_result()
    pages = pdf_pages(minutes.write(e, t, STATE_SETTINGS, "xa.kp", tmp_path / "m.pdf", audit_head=(2, "ab" * 32)))
    text = " ".join(pages)
    head = text[:text.index("BIÊN BẢN KẾT QUẢ KIỂM PHIẾU")]
    for part in ["TỈNH QUẢNG NINH", "XÃ QUẢNG ĐỨC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc",
                 "Quảng Đức, ngày"]:
        assert part in head, part
    for part in [
        "CỦA TỔ BẦU CỬ",
        "Khu vực bỏ phiếu số: 3",
        "Đơn vị bầu cử số: 2",
        "Tổ bầu cử gồm có: 1. Ông/Bà Trần Văn Kiểm – Tổ trưởng 2. Ông/Bà Lê Thị Hoa – Thư ký "
        "3. Ông/Bà Vũ Văn Tâm – Ủy viên",
        "chứng kiến của hai cử tri không phải là người ứng cử: 1. Ông/Bà Đỗ Thị Lan 2. Ông/Bà Hà Văn Minh",
        "1. Tổng số cử tri của khu vực bỏ phiếu: 20 người",
        "2. Số cử tri đã tham gia bỏ phiếu: 13 người (tỷ lệ so với tổng số cử tri của khu vực bỏ phiếu: 65,00 %)",
        "3. Số phiếu phát ra: 13 phiếu",
        "4. Số phiếu thu vào: 13 phiếu",
        "5. Số phiếu hợp lệ: 12 phiếu",
        "6. Số phiếu không hợp lệ: 1 phiếu",
        "trong đó: để lại nhiều tên hơn số người cần bầu: 1 phiếu",
        "7. Số phiếu bầu cho mỗi người ứng cử:",
        "1 Nguyễn Thị Ánh 8",
        "2 Trương Văn Đạt 7",
        "3 Phạm Thị Hằng 7",
        "8. Khiếu nại, tố cáo:",
        "Những khiếu nại, tố cáo nhận được: 2",
        "Những khiếu nại, tố cáo đã giải quyết: 1",
        "Những khiếu nại, tố cáo chuyển đến Ban bầu cử: không có",
        "Biên bản lập xong lúc",
        "mã cuối: " + "ab" * 32,
    ]:
        assert part in text, part
    assert "ĐẢNG CỘNG SẢN" not in text and "Trúng cử" not in text     # the Ban bầu cử names the elected
    signed = [p for p in pages if "TỔ TRƯỞNG" in p]
    assert len(signed) == 1 and "HAI CỬ TRI CHỨNG KIẾN" in signed[0] and "THƯ KÝ" in signed[0]
    assert "Số phiếu bầu cho mỗi người ứng cử" in signed[0] and "Đỗ Thị Lan" in signed[0]
    assert "TẠM THỜI" not in text


def test_state_minutes_not_entered_are_dots_and_differences_are_noted(monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    e = parse_election({"title": "Bầu cử đại biểu Hội đồng nhân dân xã", "seats": 1, "rules": "state",
                        "electorate": 20, "returned": 12, "candidates": ["Nguyễn Thị Ánh", "Trương Văn Đạt"]})
    t = compute(e, {"valid": 12, "invalid": 1, "review": 2}, [(["Nguyễn Thị Ánh"], [])] * 12)
    html = minutes.render_html(minutes.context(e, t, {}, "xa.kp"))
    dots = minutes.DOTS
    for part in [f"Tỉnh/Thành phố: {dots}", f"Khu vực bỏ phiếu số: {dots}", f"Ông/Bà {dots} – Tổ trưởng",
                 f"Ông/Bà {dots} – Thư ký", f"Số cử tri đã tham gia bỏ phiếu: <b>{dots}</b>",
                 f"Số phiếu phát ra: <b>{dots}</b>", f"Những khiếu nại, tố cáo nhận được: <b>{dots}</b>",
                 "CHÊNH LỆCH: thu vào 12 phiếu nhưng đã quét 15 phiếu", "TẠM THỜI — còn 2 phiếu chờ xem xét"]:
        assert part in html, part


def test_state_minutes_in_english(monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    e, t = state_result()
    html = minutes.render_html(minutes.context(e, t, STATE_SETTINGS, "xa.kp"))
    for part in ["SOCIALIST REPUBLIC OF VIET NAM", "MINUTES OF THE RESULT OF THE COUNT", "Voters who voted",
                 "65.00%", "Passed on to the election board", "HEAD OF THE POLLING TEAM"]:
        assert part in html, part


# --- the other formats ------------------------------------------------------------------------------------

def test_tally_csv_and_export_csv(count):
    rows = list(csv.DictReader(io.StringIO(kp("tally", count, "--format", "csv").output)))
    assert len(rows) == 7 and rows[0]["base"] == "154" and rows[0]["percent"].count(".") == 1
    out = kp("export", count, "--format", "csv").output
    header = next(csv.reader(io.StringIO(out)))
    c = Count.open(count, readonly=True)
    labels = c.election().labels
    c.close()
    assert header == (["ballot", "source", "page", "status", "reasons"] + labels
                      + [f"B: {lab}" for lab in labels] + ["B: writing"])   # reader B's reading beside A's
    assert len(labels) == 7
