"""Scan a batch: files and folders in, one stored result per page out, in parallel.

The parent process finds files, hashes them, skips pages the count already holds and writes every
result (one transaction per page); worker processes decode, register and read. At most a few pages
per worker are in flight, so memory stays flat however long the batch is.
"""
from __future__ import annotations

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
from .load import LoadError, PageTask, ScanFile, find_files, page_hash, page_pixels, pdf_page_count, tasks_for

IN_FLIGHT_PER_JOB = 3      # pages queued per worker process


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


@dataclasses.dataclass
class BatchReport:
    new: dict[str, int] = dataclasses.field(default_factory=lambda: {"valid": 0, "invalid": 0, "review": 0, "rejected": 0})
    skipped: int = 0
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


def _tasks(files: list[ScanFile], count: Count, report: BatchReport, on_skip: Callable[[int], None]) -> Iterator[PageTask]:
    for f in files:
        def done(sha, f=f):
            have = count.pages_done(sha)
            if have:
                report.skipped += len(have)
                on_skip(len(have))
            return have
        for t in tasks_for(f, done):
            if isinstance(t, LoadError):
                report.failed.append((str(f.path), str(t)))
                count.add_failure(str(f.path), None, str(t))
                print(texts.t("scan_file_failed", file=f.path, error=t), file=sys.stderr)
                on_skip(1)
                continue
            yield t


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


def run(count: Count, paths: list[str], jobs: int, progress: bool = True) -> BatchReport:
    """Scan ``paths`` into ``count`` with ``jobs`` processes (1: in this process)."""
    from tqdm import tqdm
    report = BatchReport()
    files = find_files(paths)
    if not files:
        raise LoadError(texts.t("scan_no_files", paths=", ".join(paths)))
    bar = tqdm(total=_page_total(files), desc=texts.t("scan_progress"), unit=" " + texts.t("scan_pages_unit"),
               disable=not progress, file=sys.stderr, dynamic_ncols=True)

    def store(o: PageOutcome) -> None:
        if o.error:
            report.failed.append((f"{o.task.source}#{o.task.page}", o.error))
            count.add_failure(o.task.source, o.task.page, o.error)
            bar.write(texts.t("scan_page_failed", file=o.task.source, page=o.task.page, error=o.error))
        else:
            bid = count.add_page(source=o.task.source, page=o.task.page, file_sha256=o.task.file_sha256,
                                 sha256=o.sha256, status=o.status, votes=o.votes, against=o.against,
                                 reasons=o.reasons, reading=o.reading, registration=o.registration)
            if bid is None:
                report.skipped += 1
            else:
                report.ids.append(bid)
                report.new[o.status] += 1
        bar.update(1)

    tasks = _tasks(files, count, report, on_skip=bar.update)
    try:
        if jobs <= 1:
            reader = reader_for(count)
            for t in tasks:
                store(read_task(reader, t))
        else:
            # "spawn": forking a process whose OpenCV thread pool is running can deadlock the child.
            ctx = multiprocessing.get_context("spawn")
            with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                        initargs=(str(count.path),)) as pool:
                pending: set[cf.Future] = set()
                for t in tasks:
                    pending.add(pool.submit(_work, t))
                    if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                        finished, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                        for fut in finished:
                            store(fut.result())
                for fut in cf.as_completed(pending):
                    store(fut.result())
    finally:
        bar.close()
    return report
