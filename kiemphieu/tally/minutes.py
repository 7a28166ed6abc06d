"""The minutes of the count (biên bản kiểm phiếu): HTML from a template, PDF through WeasyPrint.

Two forms, each its own template:

- *party* (``minutes_party.html``): the Ban kiểm phiếu's minutes — the bodies on the left over the
  "*" and "Số: …-BB/BKP", "ĐẢNG CỘNG SẢN VIỆT NAM" on the right; the members and their roles; the
  numbers, votes per candidate, the elected; the time the minutes were completed; signatures.
- *state* (``minutes_state.html``, ``rules = "state"``): the Tổ bầu cử's minutes with the contents
  Luật Bầu cử đại biểu Quốc hội và đại biểu HĐND 2015, Điều 75 lists — voters on the list, voters
  who voted, ballots issued and returned, valid, invalid, votes per candidate, complaints received,
  resolved and passed on; signed by the head, the secretary and two voters who witnessed the count.

Both print "TẠM THỜI" on every page while ballots are in review, and the audit log's last hash.
What the machine cannot know comes from ``kiemphieu set`` (``SETTINGS``); a field not entered is
printed as dots to fill by hand.

Also the sentences that explain a result (base, elected, ties, turnout, reconciliation), shared with
``kiemphieu tally`` and the web results page. All wording comes from ``texts``; this module only
arranges it and writes numbers as the language does (16,51 in Vietnamese).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from pathlib import Path

from .. import texts
from ..election import Election
from ..records import Code, Reason
from .results import Tally, percent

TEMPLATES = Path(__file__).parent / "templates"
DOTS = "……………………"           # a field not entered: filled in by hand on the printed form

# What ``kiemphieu set`` keeps for the minutes besides the numbers of ``results.SETTING_NUMBERS``:
# text, lists of names ("A; B"), whole numbers.
SETTING_TEXTS = ("place", "number", "area", "unit")
SETTING_LISTS = ("header", "witnesses")
SETTING_COUNTS = ("complaints_received", "complaints_resolved", "complaints_forwarded")

ROLES = ("chair", "vice", "secretary", "member")      # in the order the forms list them
# The words a role may be given by in ``committee="Name (role); …"``, compared without accents or case.
ROLE_WORDS = {
    "truong ban": "chair", "to truong": "chair", "chair": "chair", "head": "chair",
    "pho truong ban": "vice", "pho ban": "vice", "to pho": "vice", "vice-chair": "vice", "deputy": "vice",
    "thu ky": "secretary", "secretary": "secretary",
    "uy vien": "member", "thanh vien": "member", "member": "member",
}


@dataclasses.dataclass
class Note:
    text: str
    warn: bool = False               # shown in red: something the committee must act on


@dataclasses.dataclass(frozen=True)
class Member:
    name: str
    role: str                        # one of ROLES


class SettingError(ValueError):
    """A value given to ``kiemphieu set`` cannot be used; ``key`` and ``kw`` name the text."""

    def __init__(self, key: str, **kw):
        super().__init__(key)
        self.key, self.kw = key, kw


# --- numbers and dates as the language writes them ---------------------------------------------------

def number(x: float) -> str:
    """A count or half-count as people write it: 234.5, 10."""
    return f"{x:g}" if x != int(x) else str(int(x))


def decimal(x: float, places: int = 2) -> str:
    """``x`` to ``places`` decimals with the language's decimal mark: 16,51 (vi), 16.51 (en)."""
    s = f"{x:.{places}f}"
    return s.replace(".", ",") if texts.lang() == "vi" else s


def pct(x: float) -> str:
    """A percentage in a sentence: 16,51 % (vi), 16.51% (en)."""
    return decimal(x) + (" %" if texts.lang() == "vi" else "%")


def date_parts(at: dt.date) -> dict:
    """The day in two digits, the month in two only when 1 or 2 (ngày 05 tháng 02, ngày 01 tháng 12), for
    the texts that write a date; ``d``, ``m``, ``y`` as numbers."""
    return {"dd": f"{at.day:02d}", "mm": f"{at.month:02d}" if at.month < 3 else str(at.month),
            "d": at.day, "m": at.month, "y": at.year}


def date_words(at: dt.date, place: str = "") -> str:
    """ "Hải Hà, ngày 01 tháng 12 năm 2026"."""
    return texts.t("mn_date", place=f"{place}, " if place else "", **date_parts(at))


# --- the sentences under a result ---------------------------------------------------------------------

def base_name(election: Election, tally: Tally) -> str:
    """What the percentages are taken of, in words."""
    if tally.base_kind == "electorate" and tally.excluded:
        return texts.t("base_electorate_excluded", electorate=election.electorate, excluded=tally.excluded)
    return texts.t("base_" + tally.base_kind)


def title_of(election: Election) -> str:
    return election.title + (texts.t("round_suffix", n=election.round) if election.round > 1 else "")


def result_notes(election: Election, tally: Tally, count_name: str = "COUNT", with_elected: bool = True,
                 hint: bool = True) -> list[Note]:
    """The sentences under the table: elected, ties, what a further round lists, turnout, reconciliation.

    ``hint``: say which command enters the numbers not entered yet (not on the printed minutes).
    """
    notes = []
    if tally.turnout is not None:
        t = tally.turnout
        verdict = texts.t("turnout_ok" if t.valid else "turnout_failed")
        notes.append(Note(texts.t("turnout_line", returned=t.returned, voters=t.voters, percent=pct(t.percent),
                                  source=texts.t("turnout_source_" + t.source), verdict=verdict), not t.valid))
    elected = tally.elected
    if elected:
        if with_elected:
            notes.append(Note(texts.t("tally_elected", names="; ".join(f"{c.name} ({c.votes})" for c in elected))))
    elif tally.valid:
        notes.append(Note(texts.t("tally_none_elected"), True))
    for c in elected:
        if c.by_age:
            notes.append(
                Note(texts.t("tally_by_age", name=c.name, born=election.candidates[c.index].born, votes=c.votes))
            )
    if tally.tie:
        notes.append(Note(texts.t("tally_tie", names="; ".join(tally.tie)), True))
    elif tally.valid and len(elected) < tally.seats:
        notes.append(
            Note(texts.t("tally_short", n=len(elected), seats=tally.seats, free=tally.seats - len(elected)), True)
        )
    if tally.next_round:
        notes.append(Note(texts.t("tally_next_round", seats=tally.next_seats, names="; ".join(tally.next_round))))
    notes.extend(reconciliation_notes(election, tally, count_name, hint))
    return notes


def reconciliation_notes(election: Election, tally: Tally, count_name: str, hint: bool = True) -> list[Note]:
    """One sentence per difference between the committee's numbers and the pages scanned."""
    out = [Note(texts.t("recon_" + d.key, a=d.a, b=d.b, d=d.a - d.b), True) for d in tally.reconciliation]
    if election.returned is not None and not any(d.key == "returned_scanned" for d in tally.reconciliation):
        out.append(Note(texts.t("recon_ok", n=election.returned)))
    if hint and election.returned is None and election.issued is None:
        out.append(Note(texts.t("recon_unknown", count=count_name)))
    return out


# --- what ``kiemphieu set`` enters for the minutes ---------------------------------------------------------

def _plain(s: str) -> str:
    """Lower case without accents or extra spaces, to compare the words a role is given by."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(ch for ch in s if not unicodedata.combining(ch)).lower().split())


def names_list(value: str) -> list[str]:
    """ "A; B; " → ["A", "B"]."""
    return [unicodedata.normalize("NFC", n).strip() for n in value.split(";") if n.strip()]


def parse_committee(value: str) -> list[Member]:
    """ "Trần Văn Kiểm (Trưởng ban); Lê Thị Hoa" → members with roles.

    A role is given in brackets after the name (accents and case optional). Unless someone is named
    chair, the first listed without a role is the chair; the others without one are members.
    Raises SettingError.
    """
    given = []
    for part in names_list(value):
        name, role = part, None
        if part.endswith(")") and "(" in part:
            name, _, word = part[:-1].rpartition("(")
            role = ROLE_WORDS.get(_plain(word))
            if role is None:
                words = [texts.t(prefix + r) for prefix in ("mn_role_", "mn_state_role_") for r in ROLES]
                raise SettingError("set_bad_role", name=name.strip(), role=word.strip(),
                                   roles=", ".join(dict.fromkeys(words)))
        given.append((name.strip(), role))
    members = _with_chair(given)
    chairs = [m.name for m in members if m.role == "chair"]
    if len(chairs) > 1:
        raise SettingError("set_two_chairs", names="; ".join(chairs))
    return members


def _with_chair(given: list[tuple[str, str | None]]) -> list[Member]:
    """Roles for every member: unless someone is named chair, the first listed without a role is; the
    others without one are members."""
    unnamed = [i for i, (_, role) in enumerate(given) if role is None]
    chair = None if any(role == "chair" for _, role in given) or not unnamed else unnamed[0]
    return [Member(name, role or ("chair" if i == chair else "member")) for i, (name, role) in enumerate(given)]


def committee_of(settings: dict) -> list[Member]:
    """The members as entered, chair first, then by role in the order of ``ROLES``.

    Counts from before roles kept a list of names (the first the chair); they read the same.
    """
    raw = settings.get("committee") or []
    members = [Member(m["name"], m["role"]) for m in raw if isinstance(m, dict)]
    if not members:
        members = _with_chair([(str(m), None) for m in raw])
    return sorted(members, key=lambda m: ROLES.index(m.role))


def settings_words(values: dict, state: bool = False) -> str:
    """What ``set`` saved, in one line: "committee=Trần Văn Kiểm (Trưởng ban); Lê Thị Hoa (Ủy viên), place=…"
    (``state``: the roles of a Tổ bầu cử)."""
    prefix = "mn_state_role_" if state else "mn_role_"

    def shown(key, v):
        if key == "committee":
            return "; ".join(f"{m.name} ({texts.t(prefix + m.role)})" for m in committee_of({key: v}))
        return "; ".join(v) if isinstance(v, list) else str(v)
    return ", ".join(f"{k}={shown(k, v)}" for k, v in values.items())


# --- the minutes -------------------------------------------------------------------------------------

def _or_dots(v) -> str:
    return DOTS if v is None or v == "" else str(v)


def _members(members: list[Member], line_key: str, role_prefix: str, blank_roles: tuple[str, ...]) -> list[str]:
    """The opening's list: "Đồng chí Trần Văn Kiểm – Trưởng ban"; with fewer members than
    ``blank_roles``, dotted lines with the rest of those roles to fill in by hand."""
    out = [texts.t(line_key, name=m.name, role=texts.t(role_prefix + m.role)) for m in members]
    return out + [texts.t(line_key, name=DOTS, role=texts.t(role_prefix + r)) for r in blank_roles[len(out):]]


def numbers_rows(election: Election, tally: Tally) -> list[tuple[str, str, bool]]:
    """(label, value, indented) rows of the Party form's section I."""
    b = tally.ballots
    rows = [(texts.t("mn_summoned"), _or_dots(election.electorate), False)]
    if election.excluded:
        rows.append((texts.t("mn_excluded"), str(election.excluded), True))
    rows += [(texts.t("mn_present"), _or_dots(election.present), False),
             (texts.t("mn_issued"), _or_dots(election.issued), False),
             (texts.t("mn_returned"), _or_dots(election.returned), False),
             (texts.t("mn_scanned"), str(b["valid"] + b["invalid"] + b["review"]), False),
             (texts.t("mn_valid"), str(b["valid"]), True),
             (texts.t("mn_invalid"), str(b["invalid"]), True)]
    rows += invalid_rows(tally)
    if b["review"]:
        rows.append((texts.t("mn_review"), str(b["review"]), True))
    rows.append((texts.t("mn_rejected"), str(b["rejected"]), False))
    return rows


def invalid_rows(tally: Tally) -> list[tuple[str, str, bool]]:
    """The invalid ballots by reason, most first."""
    return [(texts.t("mn_invalid_reason", reason=texts.reason(Reason(Code(code)))), str(n), True)
            for code, n in sorted(tally.invalid_reasons.items(), key=lambda kv: -kv[1])]


def chart(tally: Tally) -> dict:
    """Bar lengths as a share of the scale, and where the threshold line falls (0–1)."""
    scale = max([tally.base, 1] + [c.votes for c in tally.candidates])
    return {"bars": [{"no": c.index + 1, "name": c.name, "votes": c.votes, "share": c.votes / scale,
                      "elected": c.elected} for c in tally.candidates],
            "threshold": tally.threshold / scale}


def result_label(c, tally: Tally) -> str:
    if c.by_age:
        return texts.t("mn_result_by_age")
    if c.elected:
        return texts.t("mn_result_elected")
    if c.name in tally.tie:
        return texts.t("mn_result_tie")
    return ""


def candidate_rows(tally: Tally) -> list[dict]:
    return [{"no": c.index + 1, "name": c.name, "votes": c.votes, "percent": decimal(c.percent),
             "against": c.against, "against_percent": decimal(percent(c.against, tally.base)),
             "result": result_label(c, tally), "elected": c.elected} for c in tally.candidates]


def audit_line(head: tuple[int, str] | None) -> dict:
    """The log's last hash, to compare later with ``kiemphieu audit --verify``."""
    if not head:
        return {"text": texts.t("mn_audit_empty"), "hash": ""}
    return {"text": texts.t("mn_audit", n=head[0]), "hash": head[1]}


def context(election: Election, tally: Tally, settings: dict, count_name: str, at: dt.datetime | None = None,
            audit_head: tuple[int, str] | None = None) -> dict:
    """Everything the template of the election's form shows, already in words."""
    at = at or dt.datetime.now().astimezone()          # local time, as the committee's clock shows it
    state = election.rules == "state"
    place = settings.get("place", "")
    members = committee_of(settings)
    ctx = {
        "t": texts.t, "lang": texts.lang(), "state": state, "approve": election.ballot == "approve",
        "title": title_of(election),
        "date_line": date_words(at, place or DOTS),
        "closing": texts.t("mn_closing", hh=f"{at.hour:02d}", mi=f"{at.minute:02d}", date=date_words(at)),
        "provisional": texts.t("mn_provisional", n=tally.outstanding) if tally.outstanding else "",
        "provisional_page": texts.t("mn_provisional_page", n=tally.outstanding) if tally.outstanding else "",
        "made_with": texts.t("mn_made_with", count=Path(count_name).name),
        "audit": audit_line(audit_head),
        "candidates": candidate_rows(tally),
        "warnings": [n for n in reconciliation_notes(election, tally, count_name, hint=False) if n.warn],
    }
    if state:
        ctx.update(_state(election, tally, settings, at, members))
    else:
        ctx.update(_party(election, tally, settings, count_name, members))
    return ctx


def _party(election: Election, tally: Tally, settings: dict, count_name: str, members: list[Member]) -> dict:
    header = settings.get("header") or [DOTS, texts.t("mn_committee")]
    notes = result_notes(election, tally, count_name, with_elected=False, hint=False)
    return {
        "template": "minutes_party.html",
        "header": header,
        "number": texts.t("mn_number", n=settings.get("number") or "……"),
        "members": _members(members, "mn_member", "mn_role_", ("chair", "member", "member")),
        "rules": texts.t("tally_rules", rules=texts.t("rules_" + election.rules), seats=election.seats),
        "not_valid": "" if tally.valid else texts.t("mn_not_valid"),
        "numbers": numbers_rows(election, tally),
        "base_note": texts.t("mn_base_note", base_name=base_name(election, tally), base=tally.base,
                             needed=tally.needed),
        "chart": chart(tally), "needed": tally.needed,
        "elected": [{"name": c.name, "votes": c.votes, "percent": pct(c.percent)} for c in tally.elected],
        "notes": notes,
        "chair": next((m.name for m in members if m.role == "chair"), ""),
        "signers": [m.name for m in members if m.role != "chair"] or ["", ""],
    }


def _state(election: Election, tally: Tally, settings: dict, at: dt.datetime, members: list[Member]) -> dict:
    b = tally.ballots
    voted = election.present
    rate = (f" ({texts.t('mn_state_rate')}: {pct(percent(voted, election.electorate))})"
            if voted is not None and election.electorate else "")
    people, ballots = texts.t("mn_state_people"), texts.t("mn_state_ballots")

    def counted(v, unit):
        return DOTS if v is None else f"{v} {unit}"

    def complaints(key):
        v = settings.get(key)
        return DOTS if v is None else (texts.t("mn_none") if v == 0 else str(v))
    secretary = next((m.name for m in members if m.role == "secretary"), "")
    witnesses = list(settings.get("witnesses") or [])
    return {
        "template": "minutes_state.html",
        "header": settings.get("header") or [texts.t("mn_state_province", dots=DOTS),
                                             texts.t("mn_state_commune", dots=DOTS)],
        "area": texts.t("mn_state_area", area=_or_dots(settings.get("area"))),
        "unit": texts.t("mn_state_unit", unit=_or_dots(settings.get("unit"))),
        "members_intro": texts.t("mn_state_members_intro", date=date_words(at), **date_parts(at)),
        "members": _members(members, "mn_state_member", "mn_state_role_", ("chair", "secretary", "member")),
        "witnesses": [texts.t("mn_state_witness", name=w) for w in witnesses]
        + [texts.t("mn_state_witness", name=DOTS)] * (2 - len(witnesses)),
        "numbers": [(texts.t("mn_state_voters"), counted(election.electorate, people), []),
                    (texts.t("mn_state_voted"), counted(voted, people) + rate, []),
                    (texts.t("mn_issued"), counted(election.issued, ballots), []),
                    (texts.t("mn_returned"), counted(election.returned, ballots), []),
                    (texts.t("mn_valid"), counted(b["valid"], ballots), []),
                    (texts.t("mn_invalid"), counted(b["invalid"], ballots),
                     [(label, f"{n} {ballots}") for label, n, _ in invalid_rows(tally)])],
        "complaints": [(texts.t("mn_state_received"), complaints("complaints_received")),
                       (texts.t("mn_state_resolved"), complaints("complaints_resolved")),
                       (texts.t("mn_state_forwarded"), complaints("complaints_forwarded"))],
        "chair": next((m.name for m in members if m.role == "chair"), ""),
        "secretary": secretary,
        "witness_names": witnesses[:2] + [""] * (2 - len(witnesses[:2])),
    }


def css_string(s: str):
    """``s`` as a CSS string inside the page's <style> (margin boxes: the provisional mark, the file)."""
    import markupsafe
    quoted = str(s).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return markupsafe.Markup(f'"{quoted}"')


def render_html(ctx: dict) -> str:
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    return env.get_template(ctx["template"]).render(**ctx)


def write(election: Election, tally: Tally, settings: dict, count_name: str, output: str | Path,
          audit_head: tuple[int, str] | None = None, at: dt.datetime | None = None) -> Path:
    """Write the minutes as .html or .pdf (by the suffix of ``output``)."""
    output = Path(output)
    html = render_html(context(election, tally, settings, count_name, at=at, audit_head=audit_head))
    if output.suffix.lower() == ".html":
        output.write_text(html, encoding="utf-8")
    else:
        import weasyprint
        weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf(str(output))
    return output
