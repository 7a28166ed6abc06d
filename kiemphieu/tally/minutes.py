"""The minutes of the count (biên bản kiểm phiếu): HTML from a template, PDF through WeasyPrint.

Also the sentences that explain a result (base, elected, ties, turnout, reconciliation), shared with
``kiemphieu tally``. All wording comes from ``texts``; this module only arranges it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from .. import texts
from ..election import Election
from ..records import Code, Reason
from .results import Tally

TEMPLATES = Path(__file__).parent / "templates"


@dataclasses.dataclass
class Note:
    text: str
    warn: bool = False               # shown in red: something the committee must act on


def number(x: float) -> str:
    """A count or half-count as people write it: 234.5, 10."""
    return f"{x:g}" if x != int(x) else str(int(x))


def base_name(election: Election, tally: Tally) -> str:
    """What the percentages are taken of, in words."""
    if tally.base_kind == "electorate" and tally.excluded:
        return texts.t("base_electorate_excluded", electorate=election.electorate, excluded=tally.excluded)
    return texts.t("base_" + tally.base_kind)


def title_of(election: Election) -> str:
    return election.title + (texts.t("round_suffix", n=election.round) if election.round > 1 else "")


def result_notes(election: Election, tally: Tally, count_name: str = "COUNT", with_elected: bool = True) -> list[Note]:
    """The sentences under the table: elected, ties, what a further round lists, turnout, reconciliation."""
    notes = []
    if tally.turnout is not None:
        t = tally.turnout
        verdict = texts.t("turnout_ok" if t.valid else "turnout_failed")
        notes.append(Note(texts.t("turnout_line", returned=t.returned, voters=t.voters, percent=t.percent,
                                  source=texts.t("turnout_source_" + t.source), verdict=verdict), not t.valid))
    elected = tally.elected
    if elected:
        if with_elected:
            notes.append(Note(texts.t("tally_elected", names="; ".join(f"{c.name} ({c.votes})" for c in elected))))
    elif tally.valid:
        notes.append(Note(texts.t("tally_none_elected"), True))
    for c in elected:
        if c.by_age:
            notes.append(Note(texts.t("tally_by_age", name=c.name, born=election.candidates[c.index].born, votes=c.votes)))
    if tally.tie:
        notes.append(Note(texts.t("tally_tie", names="; ".join(tally.tie)), True))
    elif tally.valid and len(elected) < tally.seats:
        notes.append(Note(texts.t("tally_short", n=len(elected), seats=tally.seats, free=tally.seats - len(elected)), True))
    if tally.next_round:
        notes.append(Note(texts.t("tally_next_round", seats=tally.next_seats, names="; ".join(tally.next_round))))
    notes.extend(reconciliation_notes(election, tally, count_name))
    return notes


def reconciliation_notes(election: Election, tally: Tally, count_name: str) -> list[Note]:
    """One sentence per difference between the committee's numbers and the pages scanned."""
    out = [Note(texts.t("recon_" + d.key, a=d.a, b=d.b, d=d.a - d.b), True) for d in tally.reconciliation]
    if election.returned is not None and not any(d.key == "returned_scanned" for d in tally.reconciliation):
        out.append(Note(texts.t("recon_ok", n=election.returned)))
    if election.returned is None and election.issued is None:
        out.append(Note(texts.t("recon_unknown", count=count_name)))
    return out


# --- the minutes -------------------------------------------------------------------------------------

def numbers_rows(election: Election, tally: Tally) -> list[tuple[str, str, bool]]:
    """(label, value, indented) rows of section I."""
    b = tally.ballots
    missing = texts.t("mn_not_entered")

    def shown(v):
        return missing if v is None else str(v)
    rows = [(texts.t("mn_summoned"), shown(election.electorate), False)]
    if election.excluded:
        rows.append((texts.t("mn_excluded"), str(election.excluded), True))
    rows += [(texts.t("mn_present"), shown(election.present), False),
             (texts.t("mn_issued"), shown(election.issued), False),
             (texts.t("mn_returned"), shown(election.returned), False),
             (texts.t("mn_scanned"), str(b["valid"] + b["invalid"] + b["review"]), False),
             (texts.t("mn_valid"), str(b["valid"]), True),
             (texts.t("mn_invalid"), str(b["invalid"]), True)]
    for code, n in sorted(tally.invalid_reasons.items(), key=lambda kv: -kv[1]):
        rows.append((texts.t("mn_invalid_reason", reason=texts.reason(Reason(Code(code)))), str(n), True))
    if b["review"]:
        rows.append((texts.t("mn_review"), str(b["review"]), True))
    rows.append((texts.t("mn_rejected"), str(b["rejected"]), False))
    return rows


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


def context(election: Election, tally: Tally, settings: dict, count_name: str, at: dt.datetime | None = None) -> dict:
    """Everything the template shows, already in words."""
    at = at or dt.datetime.now().astimezone()
    place = settings.get("place", "")
    half = number(tally.threshold)
    committee = list(settings.get("committee", []))
    return {
        "t": texts.t, "lang": texts.lang(),
        "state": election.rules == "state",
        "title": title_of(election),
        "date_line": texts.t("mn_date", place=f"{place}, " if place else "", d=at.day, m=at.month, y=at.year),
        "intro": texts.t("mn_intro", time=at.strftime("%H:%M"),
                         date=texts.t("mn_date", place="", d=at.day, m=at.month, y=at.year)),
        "rules": texts.t("tally_rules", rules=texts.t("rules_" + election.rules), seats=election.seats),
        "provisional": texts.t("mn_provisional", n=tally.outstanding) if tally.outstanding else "",
        "not_valid": "" if tally.valid else texts.t("mn_not_valid"),
        "numbers": numbers_rows(election, tally),
        "base_note": texts.t("mn_base_note", base_name=base_name(election, tally), base=tally.base, half=half),
        "candidates": [{"no": c.index + 1, "name": c.name, "votes": c.votes, "percent": f"{c.percent:.2f}",
                        "result": result_label(c, tally), "elected": c.elected} for c in tally.candidates],
        "chart": chart(tally), "half": half,
        "elected": [{"name": c.name, "votes": c.votes, "percent": f"{c.percent:.2f}"} for c in tally.elected],
        "notes": result_notes(election, tally, count_name, with_elected=False),
        "chair": committee[0] if committee else "",
        "members": committee[1:] or ["", ""],
        "footer": texts.t("mn_footer", count=Path(count_name).name, at=at.isoformat(timespec="minutes")),
    }


def render_html(ctx: dict) -> str:
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    return env.get_template("minutes.html").render(**ctx)


def write(election: Election, tally: Tally, settings: dict, count_name: str, output: str | Path) -> Path:
    """Write the minutes as .html or .pdf (by the suffix of ``output``)."""
    output = Path(output)
    html = render_html(context(election, tally, settings, count_name))
    if output.suffix.lower() == ".html":
        output.write_text(html, encoding="utf-8")
    else:
        import weasyprint
        weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf(str(output))
    return output
