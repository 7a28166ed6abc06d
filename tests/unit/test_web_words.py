"""What the review pages say, on plain records: times, decisions and log entries in sentences, names
typed at sign-in, the reasons a form offers, where a ballot's picture opens."""
from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest

from kiemphieu.election import Candidate, Election
from kiemphieu.records import Box, Code, Layout, Reason, Slot
from kiemphieu.review.web import auth, words
from kiemphieu.review.web.ballots import focus_box, invalid_choices, name_rows


@pytest.fixture(autouse=True)
def vietnamese(monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "vi")
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    import time
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def election(kind: str = "strike", seal: bool = False) -> Election:
    return Election("Bầu thử", 2, kind, tuple(Candidate(n) for n in ("An", "Bình", "Chi")), require_seal=seal)


def test_local_time_in_words():
    assert words.local_time("2026-12-01T14:42:05+00:00") == "21 giờ 42, 01/12/2026"
    assert words.local_time(dt.datetime(2026, 12, 1, 14, 42, tzinfo=dt.UTC).timestamp()) == "21 giờ 42, 01/12/2026"
    assert words.clock_time(dt.datetime(2026, 12, 1, 14, 7, tzinfo=dt.UTC).timestamp()) == "21 giờ 07"
    assert words.percent(16.506) == "16,51 %"


def entry(action: str, before: dict, after: dict, actor: str = "Lê Thị Hoa", reason: str = "", page_id=7) -> dict:
    return {"seq": 3, "at": "2026-12-01T14:42:05+00:00", "actor": actor, "action": action, "page_id": page_id,
            "before": json.dumps(before), "after": json.dumps(after), "reason": reason}


def test_audit_entries_as_sentences():
    invalid = {"status": "invalid", "votes": [], "reasons": [{"code": "overvote"}]}
    valid = {"status": "valid", "votes": ["An", "Bình"], "against": [], "reasons": []}
    review = {"status": "review", "votes": [], "reasons": [{"code": "unclear", "why": "two_rows", "names": ["Chi"]}]}
    assert words.audit_sentence(entry("decide", invalid, valid), "strike") == (
        "Lê Thị Hoa đổi phiếu 7: không hợp lệ (để lại nhiều tên hơn số người cần bầu) → hợp lệ, bầu: An; Bình.")
    assert words.audit_sentence(entry("decide", review, valid), "strike") == (
        "Lê Thị Hoa quyết định phiếu 7: cần xem xét (nét gạch chéo qua hai dòng — Chi) → hợp lệ, bầu: An; Bình.")
    yes_no = {"status": "valid", "votes": ["An"], "against": ["Chi"], "reasons": []}
    assert words.audit_sentence(entry("decide", review, yes_no, actor="A; B"), "approve").startswith(
        "A và B quyết định phiếu 7:")
    assert words.audit_sentence(entry("decide", review, yes_no), "approve").endswith(
        "→ hợp lệ, đồng ý: An, không đồng ý: Chi.")
    assert words.audit_sentence(entry("reopen", valid, review, actor="Trần Văn Kiểm", reason="kiểm tra lại"),
                                "strike") == ("Trần Văn Kiểm mở lại phiếu 7 để xem xét (trước đó: hợp lệ, bầu: An; "
                                              "Bình); lý do: kiểm tra lại.")
    add = entry("reviewer_add", {}, {"name": "Võ Thị Sáu", "role": "reviewer"}, actor="cli", page_id=None)
    assert words.audit_sentence(add, "strike") == ("Người quản trị máy chủ (dòng lệnh) thêm Võ Thị Sáu làm người "
                                                   "xem xét.")


def test_reasons_without_internal_codes():
    assert words.reason_words(Reason(Code.READ_ERROR, "ValueError")) == (
        "máy không đọc được trang này; hãy xem ảnh rồi quyết định")
    assert words.group_words(Reason(Code.DOUBLE_FEED, ballot=12)) == words.group_words(
        Reason(Code.DOUBLE_FEED, ballot=3)
    )
    assert words.why_text("both") == "đánh dấu cả hai ô" and words.why_text("no_such_code") == ""


def test_names_typed_at_sign_in():
    names = ["Lê Thị Hoa", "Trần Văn Kiểm"]
    assert auth.find_name(names, unicodedata.normalize("NFD", "Lê Thị Hoa")) == "Lê Thị Hoa"
    assert auth.find_name(names, "  lê  THỊ hoa ") == "Lê Thị Hoa"
    assert auth.find_name(names, "tran van kiem") == "Trần Văn Kiểm"
    assert auth.find_name(names, "Trần Văn") is None
    # two names that differ only in accents: the exact one, else neither
    assert auth.find_name(["Lê Thị Hoa", "Lê Thị Hòa"], "Lê Thị Hòa") == "Lê Thị Hòa"
    assert auth.find_name(["Lê Thị Hoa", "Lê Thị Hòa"], "le thi hoa") is None
    assert auth.folded("Đỗ Đức") == "do duc"


def test_the_reasons_a_form_offers():
    assert [c for c, _, _ in invalid_choices(election("strike"))] == ["overvote", "no_votes", "write_in",
                                                                       "extra_writing", "other"]
    assert [c for c, _, _ in invalid_choices(election("approve", seal=True))] == ["write_in", "extra_writing",
                                                                                   "no_seal", "other"]
    mark = dict((c, w) for c, w, _ in invalid_choices(election("mark")))
    assert mark["no_votes"] == "không đánh dấu tên nào"


def test_where_the_picture_opens():
    slots = tuple(
        Slot(i, n, name=Box(100, 100 + 100 * i, 300, 140 + 100 * i), row=Box(50, 90 + 100 * i, 900, 180 + 100 * i))
        for i, n in enumerate(("An", "Bình", "Chi"))
    )
    layout = Layout(1000, 2000, "strike", slots, text_height=40)
    page = {"registration": {"ok": True}, "reasons": [Reason(Code.UNCLEAR, "two_rows", ("Chi",))],
            "reading": {"names": [{"index": i, "state": s, "why": ""} for i, s in enumerate(("standing", "struck",
                                                                                             "unclear"))]}}
    rows = name_rows(election(), page, layout)
    assert [r.flagged for r in rows] == [False, False, True]
    assert [r.initial for r in rows] == ["standing", "struck", ""]
    assert rows[2].box == "0.0800 0.1400 0.3200 0.1800"          # the name, half a text height around it
    assert focus_box(page, layout, rows) == rows[2].box
    assert focus_box({**page, "registration": {"ok": False}}, layout, rows) == ""
    sent_back = name_rows(election(), page, layout, {"name_0": "struck", "name_2": "nonsense"})
    assert [r.initial for r in sent_back] == ["struck", "", ""]
