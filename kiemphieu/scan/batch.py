"""Scan a batch: files and folders in, one stored result per page out, in parallel.

The parent process finds files, hashes them, skips pages the count already holds and writes every
result (one transaction per page); worker processes decode, register and read. At most a few pages
per worker are in flight, so memory stays flat however long the batch is.
"""
from __future__ import annotations

import collections
import concurrent.futures as cf
import dataclasses
import multiprocessing
import sys
import time
from typing import Callable, Iterator

import cv2
import numpy as np

from .. import texts
from ..pipeline import Reader
from ..store import Count
from ..detect import doublefeed, thresholds
from .load import LoadError, PageTask, ScanFile, find_files, page_hash, page_pixels, pdf_page_count, tasks_for

IN_FLIGHT_PER_JOB = 4      # pages queued per worker process (results are stored in page order)


@dataclasses.dataclass
class PageOutcome:
    task: PageTask
    sha256: str = ""
    status: str = ""
    votes: list = dataclasses.field(default_factory=list)
    against: list = dataclasses.field(default_factory=list)
    reasons: list = dataclasses.field(default_factory=list)
    reading: dict = dataclasses.field(default_factory=dict)
    registration: dict = dataclasses.field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0
    ink: doublefeed.Signature | None = None     # for double-feed checks


@dataclasses.dataclass
class BatchReport:
    new: dict[str, int] = dataclasses.field(default_factory=lambda: {"valid": 0, "invalid": 0, "review": 0, "rejected": 0})
    skipped: int = 0
    double_feeds: list[tuple[int, int]] = dataclasses.field(default_factory=list)   # (new ballot, counted ballot)
    failed: list[tuple[str, str]] = dataclasses.field(default_factory=list)   # (file or file#page, message)
    ids: list[int] = dataclasses.field(default_factory=list)


def reader_for(count: Count) -> Reader:
    frame = cv2.imdecode(np.frombuffer(count.blank_frame_png(), np.uint8), cv2.IMREAD_GRAYSCALE)
    return Reader(count.election(), count.layout(), frame)


def read_task(reader: Reader, task: PageTask) -> PageOutcome:
    """Decode and read one page; never raises for bad input."""
    t0 = time.perf_counter()
    out = PageOutcome(dataclasses.replace(task, data=None))
    try:
        grey = page_pixels(task)
    except LoadError as ex:
        out.error = str(ex)
        return out
    out.sha256 = page_hash(task, grey)
    try:
        res = reader.read(grey)
    except Exception as ex:  # noqa: BLE001 - a page the reader cannot handle goes to a person, never lost
        out.status, out.reasons = "review", [f"page:read_error:{type(ex).__name__}"]
        out.reading = {"is_ballot": True, "doubt": ["read_error"], "names": []}
        out.seconds = time.perf_counter() - t0
        return out
    out.status, out.votes, out.against, out.reasons = (res.verdict.status, res.verdict.votes,
                                                        res.verdict.against, res.verdict.reasons)
    out.reading, out.registration = res.reading.to_dict(), res.registration
    if res.reading.is_ballot and res.reading.pen is not None:
        out.ink = doublefeed.signature(res.reading.pen)
    out.seconds = time.perf_counter() - t0
    return out


# Worker processes: the reader is built once per process by the pool's initializer.
_worker_reader: Reader | None = None


def _init_worker(count_path: str) -> None:
    global _worker_reader
    cv2.setNumThreads(1)
    count = Count.open(count_path)
    try:
        _worker_reader = reader_for(count)
    finally:
        count.close()


def _work(task: PageTask) -> PageOutcome:
    return read_task(_worker_reader, task)


def _tasks(files: list[ScanFile], count: Count, report: BatchReport, on_skip: Callable[[int], None],
           note: Callable[[str], None]) -> Iterator[PageTask]:
    for f in files:
        def done(sha, f=f):
            have = count.pages_of_file(sha)
            for p in have:
                if p["source"] != str(f.path):
                    note(texts.t("scan_exact_copy", file=f.path, page=p["page"], id=p["id"], other=p["source"]))
            if have:
                report.skipped += len(have)
                on_skip(len(have))
            return {p["page"] for p in have}
        for t in tasks_for(f, done):
            if isinstance(t, LoadError):
                report.failed.append((str(f.path), str(t)))
                count.add_failure(str(f.path), None, str(t))
                note(texts.t("scan_file_failed", file=f.path, error=t))
                on_skip(1)
                continue
            yield t


def _double_feed_of(count: Count, o: PageOutcome) -> int | None:
    """The counted ballot this page looks like a second scan of (a sheet fed twice), or None.

    Only pages with the seal at about the same place (when it was located) are looked at, so the
    check stays cheap however many pages the count holds."""
    seal = doublefeed.seal_place(o.reading)
    if seal is not None and o.reading.get("is_ballot") and o.reading.get("names"):
        for bid, reading in count.readings_like(o.status, o.votes, seal, thresholds.SEAL_MATCH_PX):
            if doublefeed.same_sheet(o.reading, reading):
                return bid
    ink = o.ink
    span = doublefeed.comparable(ink.cells) if ink else None
    if span is None:
        return None
    for bid, cells, blob in count.ink_signatures(span, ink.centre, thresholds.CENTRE_CELLS, seal, thresholds.SEAL_MATCH_PX):
        if doublefeed.same_pen(ink, doublefeed.Signature.from_blob(blob, cells)):
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


def run(count: Count, paths: list[str], jobs: int, progress: bool = True, cluster: str | None = None) -> BatchReport:
    """Scan ``paths`` into ``count`` with ``jobs`` processes (1: in this process), or on the Dask
    cluster whose scheduler is at ``cluster`` (see ``scan/cluster.py``)."""
    from tqdm import tqdm
    report = BatchReport()
    files = find_files(paths)
    if not files:
        raise LoadError(texts.t("scan_no_files", paths=", ".join(paths)))
    bar = tqdm(total=_page_total(files), desc=texts.t("scan_progress"), unit=" " + texts.t("scan_pages_unit"),
               disable=not progress, file=sys.stderr, dynamic_ncols=True)

    def note(text: str) -> None:
        bar.write(text, file=sys.stderr)

    def store(o: PageOutcome) -> None:
        if o.error:
            report.failed.append((f"{o.task.source}#{o.task.page}", o.error))
            count.add_failure(o.task.source, o.task.page, o.error)
            note(texts.t("scan_page_failed", file=o.task.source, page=o.task.page, error=o.error))
        elif (same := count.page_with_sha(o.sha256)) is not None:
            # the same page content under another file hash (a re-exported PDF, a copy being scanned twice)
            report.skipped += 1
            if (same["source"], same["page"]) != (o.task.source, o.task.page):
                note(texts.t("scan_exact_copy", file=o.task.source, page=o.task.page, id=same["id"],
                                  other=same["source"]))
        else:
            twin = _double_feed_of(count, o)
            status, reasons = o.status, o.reasons
            if twin is not None:
                status, reasons = "review", reasons + [f"page:double_feed:{twin}"]
            bid = count.add_page(source=o.task.source, page=o.task.page, file_sha256=o.task.file_sha256,
                                 sha256=o.sha256, status=status, votes=o.votes, against=o.against,
                                 reasons=reasons, reading=o.reading, registration=o.registration,
                                 ink_cells=o.ink.cells if o.ink else None, ink_sig=o.ink.to_blob() if o.ink else None,
                                 ink_centre=o.ink.centre if o.ink else None, seal=doublefeed.seal_place(o.reading))
            if bid is None:
                report.skipped += 1
            else:
                report.ids.append(bid)
                report.new[status] += 1
                if twin is not None:
                    report.double_feeds.append((bid, twin))
                    other = count.page(twin)
                    note(texts.t("scan_double_feed", file=o.task.source, page=o.task.page, new_id=bid, id=twin,
                                      other=f"{other['source']} #{other['page']}"))
        bar.update(1)

    tasks = _tasks(files, count, report, on_skip=bar.update, note=bar.write)
    try:
        if cluster:
            from .cluster import run_pages
            run_pages(cluster, count, tasks, store)
        elif jobs <= 1:
            reader = reader_for(count)
            for t in tasks:
                store(read_task(reader, t))
        else:
            # "spawn": forking a process whose OpenCV thread pool is running can deadlock the child.
            ctx = multiprocessing.get_context("spawn")
            with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                        initargs=(str(count.path),)) as pool:
                # Results are stored in the order of the pages, so ballot IDs follow the batch.
                pending: collections.deque[cf.Future] = collections.deque()
                for t in tasks:
                    pending.append(pool.submit(_work, t))
                    if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                        store(pending.popleft().result())
                while pending:
                    store(pending.popleft().result())
    finally:
        bar.close()
    return report
