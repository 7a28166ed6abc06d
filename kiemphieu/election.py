"""The election file: what is being counted.

An election file is TOML::

    title = "Bầu Ban Chấp hành Đảng bộ huyện Đầm Hà khóa XXV, nhiệm kỳ 2020 – 2025"
    seats = 9
    ballot = "strike"        # or "mark", "approve"
    electorate = 250         # delegates summoned / voters on the list (optional)
    candidates = ["Nguyễn Văn An", "Trần Thị Bình"]

A candidate may also be a table, ``{name = "Nguyễn Văn An", note = "1970", born = "1970-05-02"}``:
``note`` is what the ballot prints beside the name to tell two equal names apart (shown in brackets).
"""
from __future__ import annotations

import dataclasses
import tomllib
import unicodedata
from pathlib import Path

from . import texts

BALLOT_KINDS = ("strike", "mark", "approve")
RULE_SETS = ("party", "state")


class ElectionError(ValueError):
    """The election file cannot be used; the message says why and where."""


@dataclasses.dataclass(frozen=True)
class Candidate:
    name: str
    note: str = ""
    born: str = ""

    @property
    def label(self) -> str:
        """The candidate as printed on the ballot (name plus the distinguishing note)."""
        return f"{self.name} ({self.note})" if self.note else self.name


@dataclasses.dataclass(frozen=True)
class Election:
    title: str
    seats: int
    ballot: str
    candidates: tuple[Candidate, ...]
    electorate: int | None = None
    rules: str = "party"
    require_seal: bool = False

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.candidates]

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["candidates"] = [dataclasses.asdict(c) for c in self.candidates]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Election":
        d = dict(d)
        d["candidates"] = tuple(Candidate(**c) for c in d["candidates"])
        return cls(**d)


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def _int_field(data: dict, key: str, where: str, required: bool) -> int | None:
    if key not in data:
        if required:
            raise ElectionError(texts.t("election_missing", file=where, field=key))
        return None
    v = data[key]
    if isinstance(v, bool) or not isinstance(v, int):
        raise ElectionError(texts.t("election_not_int", file=where, field=key, value=v))
    return v


def parse_election(data: dict, where: str = "election file") -> Election:
    """Check a decoded election file and build the Election; raises ElectionError."""
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ElectionError(texts.t("election_missing", file=where, field="title"))
    seats = _int_field(data, "seats", where, required=True)
    electorate = _int_field(data, "electorate", where, required=False)
    ballot = data.get("ballot", "strike")
    if ballot not in BALLOT_KINDS:
        raise ElectionError(texts.t("election_bad_choice", file=where, field="ballot", value=ballot,
                                    choices=", ".join(BALLOT_KINDS)))
    rules = data.get("rules", "party")
    if rules not in RULE_SETS:
        raise ElectionError(texts.t("election_bad_choice", file=where, field="rules", value=rules,
                                    choices=", ".join(RULE_SETS)))
    require_seal = data.get("require_seal", False)
    if not isinstance(require_seal, bool):
        raise ElectionError(texts.t("election_not_bool", file=where, field="require_seal"))
    raw = data.get("candidates")
    if not isinstance(raw, list) or not raw:
        raise ElectionError(texts.t("election_missing", file=where, field="candidates"))
    candidates = []
    for i, c in enumerate(raw, 1):
        if isinstance(c, str):
            c = {"name": c}
        if not isinstance(c, dict) or not isinstance(c.get("name"), str) or not c["name"].strip():
            raise ElectionError(texts.t("election_bad_candidate", file=where, n=i))
        unknown = set(c) - {"name", "note", "born"}
        if unknown:
            raise ElectionError(texts.t("election_bad_candidate_key", file=where, n=i, keys=", ".join(sorted(unknown))))
        candidates.append(Candidate(name=nfc(c["name"]), note=nfc(str(c.get("note", ""))), born=str(c.get("born", ""))))
    seen: dict[str, int] = {}
    for i, c in enumerate(candidates, 1):
        key = c.label.casefold()
        if key in seen:
            raise ElectionError(texts.t("election_duplicate", file=where, name=c.label, a=seen[key], b=i))
        seen[key] = i
    if seats < 1:
        raise ElectionError(texts.t("election_seats_small", file=where, seats=seats))
    if seats > len(candidates):
        raise ElectionError(texts.t("election_seats_large", file=where, seats=seats, n=len(candidates)))
    if electorate is not None and electorate < 1:
        raise ElectionError(texts.t("election_electorate_small", file=where, value=electorate))
    return Election(title=nfc(title), seats=seats, ballot=ballot, candidates=tuple(candidates),
                    electorate=electorate, rules=rules, require_seal=require_seal)


def load_election(path: str | Path) -> Election:
    """Read and check an election file; every problem is one ElectionError naming file and field."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as ex:
        raise ElectionError(texts.t("file_unreadable", file=path, error=ex.strerror or ex)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ElectionError(texts.t("election_not_utf8", file=path)) from None
    except tomllib.TOMLDecodeError as ex:
        raise ElectionError(texts.t("election_bad_toml", file=path, error=ex)) from None
    return parse_election(data, str(path))
