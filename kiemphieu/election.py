"""The election file: what is being counted.

An election file is TOML::

    title = "Bầu Ban Chấp hành Đảng bộ huyện Đầm Hà khóa XXV, nhiệm kỳ 2020 – 2025"
    seats = 9
    ballot = "strike"        # or "mark", "approve"
    electorate = 250         # delegates summoned / voters on the list (optional)
    candidates = ["Nguyễn Văn An", "Trần Thị Bình"]
    rules = "party"          # or "state": the rule set, see RULE_SETS
    excluded = 2             # delegates summoned who do not count in the base (optional)
    issued = 248             # ballots issued / returned (optional; also `kiemphieu set`)
    returned = 248

    [overrides]              # change single rules of the set, key by key (see RULE_SETS)
    tie = "older"

A candidate may also be a table, ``{name = "Nguyễn Văn An", note = "1970", born = "1970-05-02"}``:
``note`` is what the ballot prints beside the name to tell two equal names apart (shown in brackets).
"""
from __future__ import annotations

import codecs
import dataclasses
import re
import tomllib
import unicodedata
from pathlib import Path

from . import texts

BALLOT_KINDS = ("strike", "mark", "approve")
# Each rule set is a set of keys that ``[overrides]`` may change one by one:
#   base    — what "more than half" is taken of: the delegates summoned less ``excluded`` ("electorate")
#             or the valid ballots ("valid")
#   tie     — a tie at the last seat is "report"ed for a new vote, or goes to the "older" candidate
#   turnout — the result is valid only when more than half of the voters on the list returned a ballot
RULE_SETS: dict[str, dict] = {
    "party": {"base": "electorate", "tie": "report", "turnout": False},
    "state": {"base": "valid", "tie": "older", "turnout": True},
}
RULE_CHOICES = {"base": ("electorate", "valid"), "tie": ("report", "older"), "turnout": (True, False)}
NUMBER_FIELDS = ("excluded", "issued", "returned", "present")


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
    excluded: int = 0                # summoned but not counted in the base
    issued: int | None = None        # ballots issued / returned, as the committee counted them
    returned: int | None = None
    present: int | None = None       # delegates / voters present
    overrides: dict = dataclasses.field(default_factory=dict)
    round: int = 1                   # 2 for a further round, …

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.candidates]

    def rule(self, key: str):
        """The rule in force for ``key``: the override if the file gives one, else the rule set's."""
        return self.overrides.get(key, RULE_SETS[self.rules][key])

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["candidates"] = [dataclasses.asdict(c) for c in self.candidates]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Election:
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
    if not isinstance(rules, str) or rules not in RULE_SETS:
        raise ElectionError(texts.t("election_bad_choice", file=where, field="rules", value=rules,
                                    choices=", ".join(RULE_SETS)))
    require_seal = data.get("require_seal", False)
    if not isinstance(require_seal, bool):
        raise ElectionError(texts.t("election_not_bool", file=where, field="require_seal"))
    raw = data.get("candidates")
    if isinstance(raw, list) and not raw:
        raise ElectionError(texts.t("election_no_candidates", file=where))
    if not isinstance(raw, list):
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
    numbers = {k: _int_field(data, k, where, required=False) for k in NUMBER_FIELDS}
    numbers["excluded"] = numbers["excluded"] or 0
    rnd = _int_field(data, "round", where, required=False) or 1
    election = Election(title=nfc(title), seats=seats, ballot=ballot, candidates=tuple(candidates),
                        electorate=electorate, rules=rules, require_seal=require_seal, round=rnd,
                        overrides=_overrides(data.get("overrides", {}), where), **numbers)
    check_numbers(election, where)
    return election


def _overrides(raw, where: str) -> dict:
    """The ``[overrides]`` table, each key known and each value one of its choices."""
    if not isinstance(raw, dict):
        raise ElectionError(texts.t("election_missing", file=where, field="overrides"))
    for key, value in raw.items():
        if key not in RULE_CHOICES:
            raise ElectionError(texts.t("election_bad_choice", file=where, field="overrides", value=key,
                                        choices=", ".join(RULE_CHOICES)))
        if value not in RULE_CHOICES[key] or type(value) is not type(RULE_CHOICES[key][0]):
            raise ElectionError(texts.t("election_bad_choice", file=where, field="overrides." + key, value=value,
                                        choices=", ".join(map(str, RULE_CHOICES[key])).lower()))
    return dict(raw)


def check_numbers(e: Election, where: str = "election file") -> None:
    """Refuse numbers that contradict each other or the rules (also used after ``kiemphieu set``)."""
    for key in NUMBER_FIELDS:
        value = getattr(e, key)
        if value is not None and value < 0:
            raise ElectionError(texts.t("election_negative", file=where, field=key, value=value))
    if e.excluded and e.electorate is None:
        raise ElectionError(texts.t("election_excluded_no_electorate", file=where, excluded=e.excluded))
    if e.electorate is not None and e.excluded >= e.electorate:
        raise ElectionError(
            texts.t("election_excluded_large", file=where, excluded=e.excluded, electorate=e.electorate)
        )
    if e.overrides.get("base") == "electorate" and e.electorate is None:
        raise ElectionError(texts.t("election_base_no_electorate", file=where))
    if e.round < 1:
        raise ElectionError(texts.t("election_negative", file=where, field="round", value=e.round))


BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _text(raw: bytes) -> str:
    """The text of an election file: UTF-8, with or without the byte-order mark Windows Notepad writes (also
    UTF-16 with its mark, Notepad's "Unicode"); UnicodeDecodeError otherwise."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return raw.decode(codec)
    return raw.decode("utf-8")


def load_election(path: str | Path) -> Election:
    """Read and check an election file; every problem is one ElectionError naming file and field."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as ex:
        raise ElectionError(texts.t("file_unreadable", file=path, error=ex.strerror or ex)) from None
    try:
        data = tomllib.loads(_text(raw))
    except UnicodeDecodeError:
        raise ElectionError(texts.t("election_not_utf8", file=path)) from None
    except tomllib.TOMLDecodeError as ex:
        m = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", str(ex), re.S)
        what, line, column = (m[1], m[2], m[3]) if m else (str(ex), "?", "?")
        raise ElectionError(texts.t("election_bad_toml", file=path, line=line, column=column,
                                    error=texts.toml_error(what))) from None
    return parse_election(data, str(path))
