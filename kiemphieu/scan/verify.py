"""Recount from the images: ``kiemphieu verify COUNT``.

Every counted page's file is read again from where it was scanned (``pages.source``) and hashed: a
file that is gone or whose hash is not the one stored is reported and not read. Every other page is
read again exactly as ``scan`` reads it (``page.read_task``, through the same runner) and the machine's
status and votes
must equal those stored when it was counted. Decisions made by people are not touched: what is
checked is that the images still say what the machine read from them.
"""
from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import texts
from ..records import Code, Status
from ..store import Count
from .load import LoadError, PageTask, read_file
from .page import PageOutcome, source_kind
from .runner import read_pages

KINDS = ("missing", "altered", "unreadable", "differs")


@dataclasses.dataclass
class Finding:
    kind: str                     # one of KINDS, or "count_damaged"
    id: int | None
    source: str = ""
    page: int = 0
    detail: dict[str, Any] = dataclasses.field(default_factory=dict)

    def text(self) -> str:
        if self.kind == "count_damaged":
            return texts.t("verify_count_damaged", error=self.detail.get("error", ""))
        if self.kind == "page_log":
            return texts.t("verify_page_log", problem=texts.t(self.detail["what"], detail=self.detail["detail"]))
        return texts.t("verify_" + self.kind, id=self.id, file=self.source, page=self.page, **self.detail)


@dataclasses.dataclass
class VerifyReport:
    n: int = 0
    ok: int = 0
    findings: list[Finding] = dataclasses.field(default_factory=list)

    def number(self, kind: str) -> int:
        return sum(f.kind == kind for f in self.findings)

    def summary(self) -> str:
        return texts.t("verify_summary", n=self.n, ok=self.ok, **{k: self.number(k) for k in KINDS})


def describe(status: str, votes: list[str]) -> str:
    """A reading in words: "valid (A; B)", "invalid"."""
    words = texts.t("status_" + status)
    return f"{words} ({'; '.join(votes)})" if votes else words


def expected(page: dict[str, Any], outcome: PageOutcome) -> tuple[str, list[str]]:
    """What the stored machine reading must be if the page reads as ``outcome`` today.

    A page the batch flagged as a possible double feed was sent to review because of another page,
    not because of its image: that flag is kept as stored.
    """
    if any(r.code == Code.DOUBLE_FEED for r in page["machine_reasons"]):
        return str(Status.REVIEW), []
    return str(outcome.verdict.status), list(outcome.verdict.votes)


def _file(src: str) -> tuple[str, bytes | None, str] | None:
    """(sha256, image bytes, error) of a scan file as it is now; None if it is gone."""
    path = Path(src)
    if not path.exists():
        return None
    try:
        data, sha = read_file(path)
    except LoadError as ex:
        return "", None, str(ex)
    return sha, (data if source_kind(src) == "image" else None), ""


def _tasks(pages: Iterator[dict[str, Any]], report: VerifyReport) -> Iterator[tuple[dict[str, Any], PageTask]]:
    """Page tasks of the pages whose file is there and unchanged; findings for the others.

    ``pages`` come ordered by file: each file is read once, and only one file's bytes are held.
    """
    src, f = None, None
    for p in pages:
        report.n += 1
        if p["path"] != src:
            src, f = p["path"], _file(p["path"])
        if f is None:
            report.findings.append(Finding("missing", p["id"], p["source"], p["page"]))
        elif f[2]:
            report.findings.append(Finding("unreadable", p["id"], p["source"], p["page"], {"error": f[2]}))
        elif f[0] != p["file_sha256"]:
            report.findings.append(Finding("altered", p["id"], p["source"], p["page"]))
        else:
            yield p, PageTask(src, p["page"], p["file_sha256"], source_kind(src), f[1])


def _compare(p: dict[str, Any], o: PageOutcome, report: VerifyReport) -> None:
    if o.error:
        report.findings.append(Finding("unreadable", p["id"], p["source"], p["page"], {"error": o.error}))
        return
    now = expected(p, o)
    before = (p["machine_status"], list(p["machine_votes"]))
    if now == before:
        report.ok += 1
    else:
        report.findings.append(Finding("differs", p["id"], p["source"], p["page"],
                                       {"before": describe(*before), "after": describe(*now)}))


def run(count: Count, jobs: int = 1, progress: bool = False, readers: int = 2) -> VerifyReport:
    """Check every page of ``count`` against its file and read it again with ``jobs`` processes and
    ``readers`` readers (as the scan was run)."""
    from tqdm import tqdm
    report = VerifyReport()
    damage = count.integrity_check()
    if damage != "ok":
        report.findings.append(Finding("count_damaged", None, detail={"error": damage[:300]}))
    for problem in count.page_log_problems():
        report.findings.append(Finding("page_log", None, detail={"what": problem.what, "detail": problem.detail}))
    total = sum(count.status_counts().values())
    bar = tqdm(total=total, desc=texts.t("verify_progress"), unit=" " + texts.t("scan_pages_unit"),
               disable=None if progress else True,   # None: no bar when stderr is not a terminal
               file=sys.stderr, dynamic_ncols=True)
    stored: dict[tuple[str, int], dict[str, Any]] = {}

    def tasks() -> Iterator[PageTask]:
        for p, t in _tasks(count.machine_readings(), report):
            stored[(t.source, t.page)] = p
            yield t

    def compare(o: PageOutcome) -> None:
        _compare(stored.pop((o.task.source, o.task.page)), o, report)
        bar.update(1)

    try:
        read_pages(count, tasks(), jobs if total > 1 else 1, compare, readers=readers)
    finally:
        bar.close()
    report.findings.sort(key=lambda f: (f.id is not None, f.id or 0))
    return report
