"""Scan a batch: files and folders in, one stored result per page out, in parallel.

The parent process finds files, hashes them, skips pages the count already holds and writes every
result (one transaction per page); worker processes decode, register and read. At most a few pages
per worker are in flight, so memory stays flat however long the batch is.
"""
from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterator

from .. import texts
from ..detect import doublefeed, thresholds
from ..records import Code, Reason, Status
from ..store import Count
from ..store.pages import source_text
from .load import LoadError, PageTask, ScanFile, find_files, pdf_page_count, tasks_for
from .page import PageOutcome
from .runner import read_pages

IGNORED_SHOWN = 5             # names of files left out (not scans) shown in the note


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Two names of one file: a stored page's ``path`` and a file given to this scan."""
    return os.path.abspath(a) == os.path.abspath(b)


@dataclasses.dataclass
class BatchReport:
    new: dict[str, int] = dataclasses.field(default_factory=lambda: {str(s): 0 for s in Status})
    skipped: int = 0
    double_feeds: list[tuple[int, int]] = dataclasses.field(default_factory=list)   # (new ballot, counted ballot)
    failed: list[tuple[str, str]] = dataclasses.field(default_factory=list)   # (file or file#page, message)
    ids: list[int] = dataclasses.field(default_factory=list)


def _tasks(files: list[ScanFile], count: Count, report: BatchReport, on_skip: Callable[[int], None],
           note: Callable[[str], None], more: Callable[[int], None]) -> Iterator[PageTask]:
    for f in files:
        def done(sha, f=f):
            have = count.pages_of_file(sha)
            for p in have:
                if not same_file(p["path"], f.path):
                    note(texts.t("scan_exact_copy", file=source_text(f.path), page=p["page"], id=p["id"],
                                 other=p["source"]))
            if have:
                report.skipped += len(have)
                on_skip(len(have))
            return {p["page"] for p in have}
        for t in tasks_for(f, done):
            if isinstance(t, LoadError):
                report.failed.append((source_text(f.path), str(t)))
                count.add_failure(str(f.path), None, str(t))
                note(texts.t("scan_file_failed", file=source_text(f.path), error=t))
                on_skip(1)
                continue
            if t.kind == "image" and t.frames > 1 and t.page == 1:
                more(t.frames - 1)       # the progress bar counted the file as one page
            yield t


def _double_feed_of(count: Count, o: PageOutcome) -> int | None:
    """The counted ballot this page looks like a second scan of (a sheet fed twice), or None.

    Only pages with the seal at about the same place (when it was located) are looked at, so the
    check stays cheap however many pages the count holds."""
    reading = o.reading.to_dict()
    seal = doublefeed.seal_place(reading)
    if seal is not None and o.reading.is_ballot and o.reading.names:
        for bid, other in count.readings_like(o.verdict.status, o.verdict.votes, seal, thresholds.SEAL_MATCH_PX):
            if doublefeed.same_sheet(reading, other):
                return bid
    sig = o.signature
    span = doublefeed.comparable(sig.cells) if sig else None
    if span is None:
        return None
    for bid, cells, blob in count.ink_signatures(span, sig.centre, thresholds.CENTRE_CELLS, seal,
                                                 thresholds.SEAL_MATCH_PX):
        if doublefeed.same_pen(sig, doublefeed.Signature.from_blob(blob, cells)):
            return bid
    return None


def _page_total(files: list[ScanFile]) -> int | None:
    """Pages in the batch, for the progress bar (PDF page counts from poppler; unreadable files count 1)."""
    total = 0
    for f in files:
        if f.kind == "pdf":
            try:
                total += pdf_page_count(f.path)
            except LoadError:
                total += 1
        else:
            total += 1
    return total


def run(count: Count, paths: list[str], jobs: int, progress: bool = True, cluster: str | None = None,
        readers: int = 2, stored: Callable[[PageOutcome], None] | None = None) -> BatchReport:
    """Scan ``paths`` into ``count`` with ``jobs`` processes (1: in this process), or on the Dask
    cluster whose scheduler is at ``cluster`` (see ``scan/cluster.py``); ``readers``: 2 (reader A checked
    by reader B) or 1 (reader A alone); ``stored`` is given every page's outcome once it is stored
    (``runner.read_pages``)."""
    from tqdm import tqdm
    report = BatchReport()
    ignored: list = []
    files = find_files(paths, ignored)
    if not files:
        raise LoadError(texts.t("scan_no_files", paths=", ".join(source_text(p) for p in paths)))
    bar = tqdm(total=_page_total(files), desc=texts.t("scan_progress"), unit=" " + texts.t("scan_pages_unit"),
               disable=None if progress else True,   # None: no bar when stderr is not a terminal
               file=sys.stderr, dynamic_ncols=True)

    def note(text: str) -> None:
        bar.write(text, file=sys.stderr)

    def more(n: int) -> None:
        bar.total += n
        bar.refresh()

    if ignored:
        shown = [source_text(p) for p in ignored[:IGNORED_SHOWN]]
        note(
            texts.t(
                "scan_ignored", n=len(ignored), names=", ".join(shown) + (" …" if len(ignored) > IGNORED_SHOWN else "")
            )
        )

    def store(o: PageOutcome) -> None:
        name = source_text(o.task.source)
        if o.error:
            report.failed.append((f"{name}#{o.task.page}", o.error))
            count.add_failure(o.task.source, o.task.page, o.error)
            note(texts.t("scan_page_failed", file=name, page=o.task.page, error=o.error))
        elif (same := count.page_with_sha(o.sha256)) is not None:
            # the same page content under another file hash (a re-exported PDF, a copy being scanned twice)
            report.skipped += 1
            if not same_file(same["path"], o.task.source) or same["page"] != o.task.page:
                note(texts.t("scan_exact_copy", file=name, page=o.task.page, id=same["id"], other=same["source"]))
        else:
            twin = _double_feed_of(count, o)
            verdict = o.verdict
            if twin is not None:
                verdict = dataclasses.replace(verdict, status=Status.REVIEW, votes=[], against=[],
                                              reasons=verdict.reasons + [Reason(Code.DOUBLE_FEED, ballot=twin)])
            sig = o.signature
            bid = count.add_page(source=o.task.source, page=o.task.page, file_sha256=o.task.file_sha256,
                                 sha256=o.sha256, verdict=verdict, reading=o.reading.to_dict(),
                                 registration=o.registration, ink_cells=sig.cells if sig else None,
                                 ink_sig=sig.to_blob() if sig else None, ink_centre=sig.centre if sig else None,
                                 seal=doublefeed.seal_place(o.reading.to_dict()))
            if bid is None:
                report.skipped += 1
            else:
                report.ids.append(bid)
                report.new[verdict.status] += 1
                if twin is not None:
                    report.double_feeds.append((bid, twin))
                    other = count.page(twin)
                    note(texts.t("scan_double_feed", file=name, page=o.task.page, new_id=bid, id=twin,
                                 other=f"{other['source']} #{other['page']}"))
        bar.update(1)

    tasks = _tasks(files, count, report, on_skip=bar.update, note=note, more=more)
    try:
        read_pages(count, tasks, jobs, store, cluster, readers, stored)
    finally:
        bar.close()
    return report
