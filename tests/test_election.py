"""The election file: good files load, every bad one gets one message naming the problem."""
from __future__ import annotations

import pytest

from kiemphieu.election import ElectionError, load_election

GOOD = '''title = "Bầu Ban Chấp hành Đảng bộ huyện Đầm Hà khóa XXV, nhiệm kỳ 2020 – 2025"
seats = 2
ballot = "strike"
electorate = 250
candidates = ["Nguyễn Văn An", "Trần Thị Bình", {name = "Lê Văn Cường", born = "1970-05-02"}]
'''


def write(tmp_path, text):
    p = tmp_path / "e.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_good_file(tmp_path):
    e = load_election(write(tmp_path, GOOD))
    assert e.seats == 2 and e.electorate == 250 and e.ballot == "strike"
    assert e.labels == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert e.candidates[2].born == "1970-05-02"


@pytest.mark.parametrize("change, words", [
    (("seats = 2\n", ""), ["seats", "missing"]),
    (("seats = 2", 'seats = "hai"'), ["seats", "whole number"]),
    (("seats = 2", "seats = 4"), ["seats = 4", "larger", "3"]),
    (("seats = 2", "seats = 0"), ["seats = 0"]),
    (('"Trần Thị Bình", {', '"Nguyễn Văn An", {'), ["Nguyễn Văn An", "twice", "1", "2"]),
    (('ballot = "strike"', 'ballot = "tick"'), ["ballot", "tick", "strike, mark, approve"]),
    (('electorate = 250', 'electorate = 250 ='), ["TOML", "line 4"]),
])
def test_bad_file_message(tmp_path, monkeypatch, change, words):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    p = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ElectionError) as ex:
        load_election(p)
    msg = str(ex.value)
    assert str(p) in msg
    for w in words:
        assert w in msg, msg


def test_equal_names_need_a_note(tmp_path):
    text = GOOD.replace('"Trần Thị Bình", {', '{name = "Nguyễn Văn An", note = "1965"}, {')
    e = load_election(write(tmp_path, text))
    assert e.labels[:2] == ["Nguyễn Văn An", "Nguyễn Văn An (1965)"]


def test_message_in_vietnamese_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("KIEMPHIEU_LANG", raising=False)
    with pytest.raises(ElectionError, match="thiếu mục 'seats'"):
        load_election(write(tmp_path, GOOD.replace("seats = 2\n", "")))
