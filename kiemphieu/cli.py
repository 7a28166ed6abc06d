"""kiemphieu — count paper ballots from scans.

A count lives in one SQLite file (COUNT). The job, in order:

\b
  kiemphieu new COUNT --election bau-cu.toml --template phieu-trang.png
  kiemphieu scan COUNT scans/
  kiemphieu tally COUNT
  kiemphieu export COUNT --format jsonl
  kiemphieu resolve COUNT 17 --reviewer "Nguyễn Văn An" --votes "Trần Thị Bình;Lê Văn C"
"""
from __future__ import annotations

import csv
import functools
import io
import json
import logging
import os
import re
import sqlite3
import sys
from pathlib import Path

import click

from . import texts
from .election import ElectionError, load_election, nfc
from .store import Count, CountError, storage_problem

EXIT_OK, EXIT_SOME_FAILED, EXIT_BAD_INPUT, EXIT_DISK_FULL = 0, 1, 2, 3
MAX_BALLOT_ID = 2 ** 63 - 1          # SQLite's largest integer


class UserError(click.ClickException):
    """An error the user can act on: printed without a traceback, exit code 2."""
    exit_code = EXIT_BAD_INPUT

    def show(self, file=None):
        click.echo(texts.t("error_prefix") + self.format_message(), err=True)


class DiskError(UserError):
    """The disk is full (exit code 3: free space and run the same command again) or cannot be written."""

    def __init__(self, key: str):
        super().__init__(texts.t(key))
        self.exit_code = EXIT_DISK_FULL if key == "disk_full" else EXIT_BAD_INPUT


def _said(help_: str | None) -> str | None:
    """Help given as a texts key, in the language in force (known only once --lang is read)."""
    return texts.t(help_) if help_ and help_ in texts.TEXTS else help_


class Option(click.Option):
    """An option whose help is a texts key."""

    def get_help_record(self, ctx: click.Context):
        key, self.help = self.help, _said(self.help)
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = key


option = functools.partial(click.option, cls=Option)


class Command(click.Command):
    """A command whose help is a texts key."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        key, self.help = self.help, _said(self.help)
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = key

    def get_short_help_str(self, limit: int = 45) -> str:
        key, self.help = self.help, _said(self.help)
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help = key

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [texts.t("help.usage_options") if x == self.options_metavar else x
                for x in super().collect_usage_pieces(ctx)]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        opt = super().get_help_option(ctx)    # made once by click, in the language of that moment
        if opt is not None:
            opt.help = texts.click_text("Show this message and exit.")
        return opt


class Group(Command, click.Group):
    """A group of commands whose help is a texts key."""
    command_class = Command

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [texts.t("help.usage_command") if x == self.subcommand_metavar else x
                for x in super().collect_usage_pieces(ctx)]


Group.group_class = Group


def _speak_click() -> None:
    """click's own messages (usage, a missing argument, --help) in the language in force: click takes them
    from gettext at module level, so its modules are given ``texts.click_text`` instead (texts.CLICK_VI)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    def ngettext(one: str, many: str, n: int) -> str:
        return texts.click_text(one if n == 1 else many)
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if hasattr(module, "_"):
            module._ = texts.click_text
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


_speak_click()


class Main(Group):
    """The command group: a full or read-only disk, met anywhere in a command, is said in words (what was
    being stored is stored whole or not at all), never as a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (sqlite3.Error, OSError) as ex:
            key = storage_problem(ex)
            if key is not None:
                raise DiskError(key) from None
            if isinstance(ex, OSError) and ex.filename is not None:   # a file named by the user, in words
                raise UserError(texts.t("file_error", file=os.fsdecode(ex.filename), error=ex.strerror or ex)) from None
            raise


class BallotId(click.ParamType):
    """A ballot ID: a whole number from 1 (what SQLite can hold); anything else is one clear sentence."""
    name = "ballot"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not text.lstrip("+").isdigit() or not 1 <= int(text) <= MAX_BALLOT_ID:
            raise UserError(texts.t("ballot_bad_id", value=text))
        return int(text)


# Negative IDs ("-5") reach BallotId instead of being taken for an unknown option.
BALLOT_COMMAND = {"ignore_unknown_options": True}


def open_count(path: str, readonly: bool = False) -> Count:
    try:
        return Count.open(path, readonly=readonly)
    except CountError as ex:
        if ex.code == "disk_full":
            raise DiskError("disk_full") from None
        raise UserError(texts.t("count_" + ex.code, count=path, **ex.kw)) from None


def output_folder(path: str | Path) -> None:
    """A file is to be written at ``path``: its folder must exist (UserError otherwise)."""
    folder = Path(path).parent
    if not folder.is_dir():
        raise UserError(texts.t("folder_missing", file=path, folder=folder))


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        os.environ["KIEMPHIEU_LANG"] = value


@click.group(cls=Main, help="help.main")
@option("--lang", type=click.Choice(["vi", "en"]), default=None, envvar="KIEMPHIEU_LANG", is_eager=True,
        expose_value=False, callback=_set_lang, help="help.lang")
@option("--verbose", "-v", count=True, help="help.verbose")
@click.version_option(package_name="kiemphieu", cls=Option, help="help.version")
def main(verbose: int) -> None:
    if verbose:
        logging.basicConfig(level=logging.DEBUG if verbose > 1 else logging.INFO, stream=sys.stderr,
                            format="%(name)s: %(message)s")


# --- new ---------------------------------------------------------------------------------------------

def _load_blank(path: Path, page: int):
    from .scan.load import LoadError, decode_image, read_file, render_pdf_page
    try:
        if path.suffix.lower() == ".pdf":
            data, sha = read_file(path)
            return render_pdf_page(str(path), page), sha
        data, sha = read_file(path)
        return decode_image(data), sha
    except LoadError as ex:
        raise UserError(f"{path}: {ex}") from None


@main.command(help="help.new")
@click.argument("count", type=click.Path(dir_okay=False))
@option("--election", "election_path", required=True, type=click.Path(dir_okay=False),
              help="help.new.election")
@option("--template", "template", type=click.Path(dir_okay=False),
              help="help.new.template")
@option("--page", default=1, show_default=True, help="help.new.page")
def new(count: str, election_path: str, template: str | None, page: int) -> None:
    """Start a new count from the election file and a blank ballot."""
    import cv2

    from .detect.layout import LayoutError, find_layout
    from .detect.ocr import OcrUnavailable, check_tesseract
    from .review.overlay import layout_picture

    try:
        election = load_election(election_path)
    except ElectionError as ex:
        raise UserError(str(ex)) from None
    if Path(count).exists():
        raise UserError(texts.t("count_exists", count=count))
    output_folder(count)
    if not template:
        raise UserError(texts.t("layout_needs_template", count=count))
    try:
        check_tesseract()
    except OcrUnavailable as ex:
        raise UserError(texts.t("ocr_missing", error=ex)) from None
    grey, sha = _load_blank(Path(template), page)
    try:
        layout, frame = find_layout(grey, election.labels, election.ballot)
    except LayoutError as ex:
        raise UserError(texts.t("layout_" + ex.code, blank=template, names="; ".join(ex.names))) from None
    ok, png = cv2.imencode(".png", frame)
    c = Count.create(count, election, layout, str(template), sha, png.tobytes())
    c.close()
    picture = str(count) + ".layout.png"
    layout_picture(frame, layout).save(picture)
    click.echo(texts.t("count_created", count=count, title=election.title, n=len(election.candidates),
                       seats=election.seats))
    click.echo(texts.t("layout_written", n=len(election.candidates), picture=picture))


# --- scan ----------------------------------------------------------------------------------------------

@main.command(help="help.scan")
@click.argument("count", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@option("--jobs", "-j", type=int, default=None, help="help.jobs")
@option("--quiet", "-q", is_flag=True, help="help.quiet")
@option("--cluster", metavar="tcp://HOST:8786", default=None, help="help.scan.cluster")
@option("--readers", type=click.Choice(["1", "2"]), default="2", show_default=True, help="help.readers")
def scan(count: str, paths: tuple[str, ...], jobs: int | None, quiet: bool, cluster: str | None, readers: str) -> None:
    """Read scanned pages (files or folders of JPG, PNG, TIFF, PDF)."""
    from .scan import batch
    from .scan.load import LoadError, cpu_count

    c = open_count(count)
    try:
        report = batch.run(c, list(paths), jobs or cpu_count(), progress=not quiet, cluster=cluster,
                           readers=int(readers))
    except LoadError as ex:
        raise UserError(str(ex)) from None
    finally:
        c.close()
    n = report.new
    click.echo(texts.t("scan_summary", new=sum(n.values()), valid=n["valid"], invalid=n["invalid"],
                       review=n["review"], rejected=n["rejected"], skipped=report.skipped, failed=len(report.failed)))
    if report.failed:
        click.echo(texts.t("scan_failed_hint"), err=True)
        sys.exit(EXIT_SOME_FAILED)


# --- export ----------------------------------------------------------------------------------------------

def _export_row(p: dict) -> dict:
    return {"ballot": p["id"], "source": p["source"], "page": p["page"], "status": p["status"],
            "votes": p["votes"], "against": p["against"], "reasons": [r.to_dict() for r in p["reasons"]],
            "sha256": p["sha256"]}


def _second_states(p: dict) -> dict[str, str] | None:
    """Reader B's state of every name on a page (None: not read by reader B)."""
    second = p["reading"].get("second")
    return {n["label"]: n["state"] for n in second.get("names", [])} if second else None


@main.command(help="help.export")
@click.argument("count", type=click.Path(dir_okay=False))
@option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True, help="help.format")
@option("--status", type=click.Choice(["valid", "invalid", "review", "rejected"]), default=None,
              help="help.export.status")
def export(count: str, fmt: str, status: str | None) -> None:
    """One record per page, with the reading of every name."""
    c = open_count(count, readonly=True)
    try:
        election = c.election()
        if fmt == "jsonl":
            for p in c.pages(status):
                row = _export_row(p)
                row["names"] = {n["label"]: n["state"] for n in p["reading"].get("names", [])}
                second = p["reading"].get("second")
                if second:
                    row["reader_b"] = {"names": _second_states(p), "writing": second.get("writing", "no")}
                click.echo(json.dumps(row, ensure_ascii=False))
        else:
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(["ballot", "source", "page", "status", "reasons"] + election.labels
                       + [f"B: {lab}" for lab in election.labels] + ["B: writing"])
            for p in c.pages(status):
                states = {n["label"]: n["state"] for n in p["reading"].get("names", [])}
                second = _second_states(p) or {}
                chosen = set(p["votes"])
                w.writerow(
                    [p["id"], p["source"], p["page"], p["status"], ";".join(texts.reason(r) for r in p["reasons"])]
                    + [
                        ("1" if lab in chosen else "0") if p["status"] == "valid" else states.get(lab, "")
                        for lab in election.labels
                    ]
                    + [second.get(lab, "") for lab in election.labels]
                    + [(p["reading"].get("second") or {}).get("writing", "")]
                )
            click.echo(buf.getvalue(), nl=False)
    finally:
        c.close()


# --- resolve ---------------------------------------------------------------------------------------------

def _match_names(given: str, labels: list[str]) -> list[str]:
    """Names given as printed (separated by ";", accents and case as typed) or as their numbers on the
    ballot ("1,3,7"), in the order given, each once; UserError for a name or number not on the ballot."""
    from .detect.names import normalise
    index = {normalise(lab): lab for lab in labels}
    out: list[str] = []
    for part in (p.strip() for p in given.split(";")):
        if not part:
            continue
        if re.fullmatch(r"\d+(\s*,\s*\d+)*", part):
            found = []
            for n in map(int, part.split(",")):
                if not 1 <= n <= len(labels):
                    raise UserError(texts.t("resolve_bad_row", n=n, k=len(labels)))
                found.append(labels[n - 1])
        else:
            lab = index.get(normalise(part))
            if lab is None:
                raise UserError(texts.t("resolve_unknown_name", name=part, names="; ".join(labels)))
            found = [lab]
        out += [lab for lab in found if lab not in out]
    return out


@main.command(context_settings=BALLOT_COMMAND, help="help.resolve")
@click.argument("count", type=click.Path(dir_okay=False))
@click.argument("ballot", type=BallotId())
@option("--reviewer", required=True, help="help.resolve.reviewer")
@option("--votes", default=None, help="help.resolve.votes")
@option("--against", default=None, help="help.resolve.against")
@option("--invalid", "invalid", default=None, help="help.resolve.invalid")
@option("--reject", default=None, help="help.resolve.reject")
def resolve(count: str, ballot: int, reviewer: str, votes: str | None, against: str | None,
            invalid: str | None, reject: str | None) -> None:
    """Record a person's decision on one ballot (any status)."""
    from .tally.validity import DecisionError, invalid_verdict, rejected_verdict, verdict_for
    if sum(x is not None for x in (votes, invalid, reject)) != 1 or not reviewer.strip():
        raise UserError(texts.t("resolve_one_action"))
    if against is not None and votes is None:
        raise UserError(texts.t("resolve_one_action"))
    c = open_count(count)
    try:
        election = c.election()
        if c.page(ballot) is None:
            raise UserError(texts.t("ballot_missing", id=ballot, count=count))
        if against is not None and election.ballot != "approve":
            raise UserError(texts.t("decision_against_not_approve"))
        if votes is not None:
            try:
                verdict = verdict_for(election, _match_names(votes, election.labels),
                                      _match_names(against or "", election.labels))
            except DecisionError as ex:
                raise UserError(texts.t(ex.key, **ex.kw)) from None
        elif invalid is not None:
            verdict = invalid_verdict(nfc(invalid) or "other")
        else:
            verdict = rejected_verdict(nfc(reject) or "reviewer")
        c.resolve(ballot, nfc(reviewer), verdict)
    finally:
        c.close()
    status = texts.t("status_" + verdict.status)
    if verdict.reasons:
        click.echo(texts.t("resolved_invalid", id=ballot, status=status, reviewer=nfc(reviewer),
                           reasons="; ".join(texts.reason(r) for r in verdict.reasons)))
    else:
        click.echo(texts.t("resolved", id=ballot, status=status, reviewer=nfc(reviewer)))


# --- tally -------------------------------------------------------------------------------------------------

@main.command(help="help.tally")
@click.argument("count", type=click.Path(dir_okay=False))
@option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="help.format",
)
def tally(count: str, fmt: str) -> None:
    """The result: votes per candidate, percentages, elected, ties, turnout, reconciliation."""
    from .tally.minutes import base_name, result_notes, title_of
    from .tally.results import tally_count
    c = open_count(count, readonly=True)
    try:
        election, result = tally_count(c)
        review_ids = [p["id"] for p in c.pages("review")]
    finally:
        c.close()
    if fmt == "json":
        d = result.to_dict()
        d["title"] = election.title
        d["round"] = election.round
        d["review_ids"] = review_ids
        d["numbers"] = {k: getattr(election, k) for k in ("electorate", "excluded", "present", "issued", "returned")}
        click.echo(json.dumps(d, ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["index", "name", "votes", "percent", "base", "elected", "against"])
        for r in result.candidates:
            w.writerow([r.index + 1, r.name, r.votes, f"{r.percent:.2f}", result.base, int(r.elected), r.against])
        click.echo(buf.getvalue(), nl=False)
        return
    b = result.ballots
    click.echo(texts.t("tally_title") + " — " + title_of(election))
    click.echo(texts.t("tally_rules", rules=texts.t("rules_" + election.rules), seats=election.seats))
    click.echo(texts.t("tally_ballots", **b))
    click.echo(texts.t("tally_needed", base_name=base_name(election, result), base=result.base, needed=result.needed))
    for line in _tally_table(result, election.ballot == "approve"):
        click.echo(line)
    for note in result_notes(election, result, count):
        click.echo(note.text)
    if review_ids:
        shown = ", ".join(map(str, review_ids[:20])) + (" …" if len(review_ids) > 20 else "")
        click.echo(texts.t("tally_outstanding", n=len(review_ids), ids=shown))


def _tally_table(result, approve: bool) -> list[str]:
    """The table of ``tally``: No., name, votes and percent (yes/no ballots: for and against), elected."""
    from .tally.minutes import pct
    from .tally.results import percent
    against = [(texts.t("mn_col_against"), lambda r: str(r.against)),
               (texts.t("tally_col_percent"), lambda r: pct(percent(r.against, result.base)))] if approve else []
    columns = ([(texts.t("mn_col_no"), lambda r: str(r.index + 1)), (texts.t("mn_col_name"), lambda r: r.name),
                (texts.t("mn_col_for" if approve else "mn_col_votes"), lambda r: str(r.votes)),
                (texts.t("tally_col_percent"), lambda r: pct(r.percent))] + against
               + [(texts.t("mn_col_elected"), lambda r: texts.t("tally_elected_mark") if r.elected else "")])
    cells = [[head for head, _ in columns]] + [[cell(r) for _, cell in columns] for r in result.candidates]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    left = {1, len(columns) - 1}                     # the name and the mark read from the left
    return ["  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()
            for row in cells]


# --- set, round, minutes ---------------------------------------------------------------------------------

def _set_keys() -> tuple[str, ...]:
    from .tally import minutes as mn
    from .tally.results import SETTING_NUMBERS
    return SETTING_NUMBERS + ("committee",) + mn.SETTING_TEXTS + mn.SETTING_LISTS + mn.SETTING_COUNTS


def _parse_setting(arg: str) -> tuple[str, object]:
    """KEY=VALUE → (key, value): whole numbers for the counts, members with roles for the committee,
    lists for "A; B", text for the rest; "" clears."""
    from .tally import minutes as mn
    key, sep, value = arg.partition("=")
    key, value = key.strip(), nfc(value)
    if not sep or key not in _set_keys():
        raise UserError(texts.t("set_bad_pair", arg=arg, keys=", ".join(_set_keys())))
    if value == "":
        return key, None
    if key == "committee":
        try:
            return key, [{"name": m.name, "role": m.role} for m in mn.parse_committee(value)]
        except mn.SettingError as ex:
            raise UserError(texts.t(ex.key, **ex.kw)) from None
    if key in mn.SETTING_LISTS:
        return key, mn.names_list(value)
    if key in mn.SETTING_TEXTS:
        return key, value
    if not value.isdigit():
        raise UserError(texts.t("set_not_int", field=key, value=value))
    return key, int(value)


@main.command("set", help="help.set")
@click.argument("count", type=click.Path(dir_okay=False))
@click.argument("pairs", nargs=-1, required=True)
def set_(count: str, pairs: tuple[str, ...]) -> None:
    """Enter the committee's numbers and the minutes' fields: KEY=VALUE ..."""
    from .election import check_numbers
    from .tally.minutes import settings_words
    from .tally.results import effective_election
    values = dict(_parse_setting(a) for a in pairs)
    c = open_count(count)
    try:
        merged = {**c.settings(), **values}
        try:
            check_numbers(effective_election(c.election(), {k: v for k, v in merged.items() if v is not None}), count)
        except ElectionError as ex:
            raise UserError(str(ex)) from None
        saved = c.update_settings(values)
        state = c.election().rules == "state"
    finally:
        c.close()
    click.echo(texts.t("set_done", values=settings_words(saved, state) or "—"))


@main.command("round", help="help.round")
@click.argument("count", type=click.Path(dir_okay=False))
@option("--next", "next_count", required=True, type=click.Path(dir_okay=False),
              help="help.round.next")
@option("--election", "election_out", default=None, type=click.Path(dir_okay=False),
              help="help.round.election")
def round_(count: str, next_count: str, election_out: str | None) -> None:
    """Write the election file of a further round from the candidates the rules allow."""
    from .tally.results import tally_count
    from .tally.rounds import RoundError, next_election, to_toml
    c = open_count(count, readonly=True)
    try:
        election, result = tally_count(c)
    finally:
        c.close()
    try:
        nxt = next_election(election, result)
    except RoundError as ex:
        raise UserError(texts.t(ex.code, **ex.kw)) from None
    out = Path(election_out or Path(next_count).with_suffix(".toml"))
    if out.exists():
        raise UserError(texts.t("count_exists", count=out))
    out.write_text(to_toml(nxt), encoding="utf-8")
    load_election(out)   # what was written reads back
    click.echo(texts.t("round_written", n=nxt.round, file=out, k=len(nxt.candidates), seats=nxt.seats))
    click.echo(texts.t("round_next_step", count=next_count, file=out))


@main.command(help="help.minutes")
@click.argument("count", type=click.Path(dir_okay=False))
@option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="help.minutes.output")
def minutes(count: str, output: str) -> None:
    """The minutes of the count, as PDF or HTML, ready to print and sign."""
    from .tally import minutes as mn
    from .tally.results import tally_count
    if Path(output).suffix.lower() not in (".pdf", ".html"):
        raise UserError(texts.t("minutes_bad_suffix", file=output))
    output_folder(output)
    c = open_count(count, readonly=True)
    try:
        election, result = tally_count(c)
        settings = c.settings()
        head = c.audit_head()
    finally:
        c.close()
    mn.write(election, result, settings, count, output, audit_head=head)
    click.echo(texts.t("minutes_written", file=output))


# --- inspect ---------------------------------------------------------------------------------------------

@main.command(context_settings=BALLOT_COMMAND, help="help.inspect")
@click.argument("count", type=click.Path(dir_okay=False))
@click.argument("ballot", type=BallotId())
@option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="help.inspect.output")
def inspect(count: str, ballot: int, output: str | None) -> None:
    """Picture of a ballot with each name's reading and evidence drawn over it, reader A's and reader B's
    side by side."""
    from .review.overlay import readings_picture
    from .scan.load import LoadError
    from .scan.page import reader_for, reload

    out = output or f"{count}.ballot-{ballot}.png"
    output_folder(out)
    c = open_count(count, readonly=True)
    try:
        p = c.page(ballot)
        if p is None:
            raise UserError(texts.t("ballot_missing", id=ballot, count=count))
        reader = reader_for(c)
    finally:
        c.close()
    try:
        back = reload(reader, p)
    except LoadError as ex:
        raise UserError(f"{p['source']}: {ex}") from None
    if back.page is None:
        raise UserError(texts.t("reason_not_ballot"))
    reasons = "; ".join(texts.reason(r) for r in p["reasons"])
    title = f"#{ballot} {Path(p['source']).name} p{p['page']} — {texts.t('status_' + p['status'])}: {reasons}"
    readings_picture(back.page, reader.layout, back.reading, title).save(out)
    click.echo(out)


# --- verify ------------------------------------------------------------------------------------------------

@main.command(help="help.verify")
@click.argument("count", type=click.Path(dir_okay=False))
@option("--jobs", "-j", type=int, default=None, help="help.jobs")
@option("--quiet", "-q", is_flag=True, help="help.quiet")
@option("--readers", type=click.Choice(["1", "2"]), default="2", show_default=True, help="help.verify.readers")
def verify(count: str, jobs: int | None, quiet: bool, readers: str) -> None:
    """Recount from the images: check every page's file and read it again."""
    from .scan import verify as check
    from .scan.load import cpu_count

    c = open_count(count, readonly=True)
    try:
        report = check.run(c, jobs or cpu_count(), progress=not quiet, readers=int(readers))
        since = c.page_log_since()
    finally:
        c.close()
    for f in report.findings:
        click.echo(f.text(), err=True)
    if since is not None:
        click.echo(texts.t("pages_since", at=since.at, n=since.pages), err=True)
    click.echo(report.summary())
    if report.findings:
        click.echo(texts.t("verify_failed"), err=True)
        sys.exit(EXIT_SOME_FAILED)
    click.echo(texts.t("verify_ok"))


# --- review in the browser: serve, reviewer, audit ---------------------------------------------------------

@main.command(help="help.serve")
@click.argument("count", type=click.Path(dir_okay=False))
@option("--host", default="127.0.0.1", show_default=True,
              help="help.serve.host")
@option("--port", default=8000, show_default=True, type=int, help="help.serve.port")
@option("--two-person", is_flag=True, help="help.serve.two_person")
@option("--hold-minutes", default=5, show_default=True, type=int,
              help="help.serve.hold_minutes")
@option("--session-hours", default=2.0, show_default=True, type=float,
              help="help.serve.session_hours")
@option("--display", is_flag=True,
              help="help.serve.display")
@option("--https", "self_signed", is_flag=True,
              help="help.serve.https")
@option("--cert", type=click.Path(exists=True, dir_okay=False), default=None,
              help="help.serve.cert")
@option("--key", type=click.Path(exists=True, dir_okay=False), default=None,
              help="help.serve.key")
def serve(count: str, host: str, port: int, two_person: bool, hold_minutes: int, session_hours: float,
          display: bool, self_signed: bool, cert: str | None, key: str | None) -> None:
    """Review flagged ballots in the browser (sign-in required)."""
    import ssl

    import uvicorn

    from .review.web import tls
    from .review.web.app import Settings, create_app

    c = open_count(count)
    try:
        if not c.reviewers():
            raise UserError(texts.t("serve_no_reviewers", count=count))
    finally:
        c.close()
    if (cert is None) != (key is None):
        raise UserError(texts.t("serve_cert_and_key"))
    sock = _listen(host, port)          # before anything is printed: the port may be another program's
    if self_signed and cert is None:
        try:
            made_cert, made_key, made = tls.self_signed(Path(count), host)
        except tls.TlsError as ex:
            raise UserError(texts.t(ex.key, **ex.kw)) from None
        cert, key = str(made_cert), str(made_key)
        click.echo(texts.t("serve_cert_made" if made else "serve_cert_kept", cert=cert))
    if cert is not None:
        try:
            ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(cert, key)
            fingerprint = tls.fingerprint(Path(cert))
        except (ssl.SSLError, ValueError, OSError) as ex:
            raise UserError(texts.t("serve_cert_bad", cert=cert, key=key, error=ex)) from None
        click.echo(texts.t("serve_fingerprint", fingerprint=fingerprint))
    elif not tls.is_local(host):
        click.echo(texts.t("serve_no_https", host=host), err=True)
    app = create_app(Settings(Path(count), two_person=two_person, hold_seconds=hold_minutes * 60,
                              session_seconds=int(session_hours * 3600), display=display,
                              secure_cookies=cert is not None))
    base = f"{'https' if cert else 'http'}://{host}:{port}"
    click.echo(texts.t("serve_started", url=base + "/"))
    if two_person:
        click.echo(texts.t("serve_two_person"))
    if display:
        click.echo(texts.t("serve_display", url=base + "/display"))
    config = uvicorn.Config(app, log_level="warning", ssl_certfile=cert, ssl_keyfile=key)
    uvicorn.Server(config).run(sockets=[sock])


def _listen(host: str, port: int):
    """A socket bound to ``host``:``port`` for the server; UserError when the port is taken or the address
    is not this machine's."""
    import errno
    import socket
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, OverflowError) as ex:
        raise UserError(
            texts.t("serve_cannot_listen", host=host, port=port, error=getattr(ex, "strerror", ex))
        ) from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # a restart right after a stop may bind
        sock.bind(address)
    except OSError as ex:
        sock.close()
        if ex.errno == errno.EADDRINUSE:
            raise UserError(texts.t("serve_port_taken", host=host, port=port, next=port + 1)) from None
        raise UserError(texts.t("serve_cannot_listen", host=host, port=port, error=ex.strerror)) from None
    return sock


@main.group(help="help.reviewer")
def reviewer() -> None:
    """Reviewers who may sign in to `kiemphieu serve`."""


@reviewer.command("add", help="help.reviewer.add")
@click.argument("count", type=click.Path(dir_okay=False))
@click.argument("name")
@option("--admin", is_flag=True, help="help.reviewer.admin")
@option("--reset", is_flag=True, help="help.reviewer.reset")
def reviewer_add(count: str, name: str, admin: bool, reset: bool) -> None:
    """Add a reviewer; prints a one-time password."""
    from .review.web.auth import NameRefused, hash_password, new_password, reviewer_name
    role = "admin" if admin else "reviewer"
    password = new_password()
    c = open_count(count)
    try:
        try:
            name = reviewer_name([r["name"] for r in c.reviewers()], name, reset)
        except NameRefused as ex:
            raise UserError(texts.t(ex.key, **ex.kw)) from None
        if not c.add_reviewer(name, role, hash_password(password, one_time=True), by="cli", reset=reset):
            raise UserError(texts.t("reviewer_exists", name=name))
    finally:
        c.close()
    click.echo(texts.t("reviewer_added", name=name, role=texts.t("role_" + role), password=password))


@reviewer.command("list", help="help.reviewer.list")
@click.argument("count", type=click.Path(dir_okay=False))
def reviewer_list(count: str) -> None:
    """List the reviewers."""
    c = open_count(count, readonly=True)
    try:
        for r in c.reviewers():
            click.echo(f"{r['name']}\t{texts.t('role_' + r['role'])}\t{r['created_at']}")
    finally:
        c.close()


@main.command(help="help.audit")
@click.argument("count", type=click.Path(dir_okay=False))
@option("--verify", is_flag=True, help="help.audit.verify")
@option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True, help="help.format")
def audit(count: str, verify: bool, fmt: str) -> None:
    """The append-only, hash-chained log of every decision."""
    from .store.audit import verify as check
    c = open_count(count, readonly=True)
    try:
        entries = c.audit_entries()
        problems = check(entries, c.audit_head(), c.pages()) + c.page_log_problems() if verify else []
        pages_head, since = c.page_log_head(), c.page_log_since()
    finally:
        c.close()
    if not verify:
        for e in entries:
            if fmt == "jsonl":
                click.echo(json.dumps(e, ensure_ascii=False))
                continue
            ballot = f"#{e['page_id']}" if e["page_id"] is not None else "-"
            note = f"  ({e['reason']})" if e["reason"] else ""
            click.echo(f"{e['seq']:>4}  {e['at']}  {ballot:>5}  {e['actor']}: {texts.t('audit_action_' + e['action'])}"
                       f"  {e['before']} → {e['after']}{note}  {e['hash'][:12]}")
        if not entries:
            click.echo(texts.t("audit_empty"))
        return
    for p in problems:
        where = f"{texts.t('pages_entry' if p.what.startswith('pages_') else 'audit_entry')} {p.seq}: " if p.seq else ""
        click.echo(where + texts.t(p.what, detail=p.detail), err=True)
    if since is not None:
        click.echo(texts.t("pages_since", at=since.at, n=since.pages), err=True)
    if problems:
        click.echo(texts.t("audit_failed", n=len(problems)), err=True)
        sys.exit(EXIT_SOME_FAILED)
    click.echo(texts.t("audit_ok", n=len(entries), head=entries[-1]["hash"] if entries else "-"))
    click.echo(texts.t("pages_ok", n=pages_head[0] if pages_head else 0, head=pages_head[1] if pages_head else "-"))


if __name__ == "__main__":
    main()
