"""Page work in flight: a bounded window of submitted pages, results taken in page order.

One loop for every way pages are read — in this process, in local worker processes, on a Dask cluster,
in a scan and in a recount — so memory stays flat however long the batch is and ballot IDs follow the
order of the pages.
"""
from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import logging
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

from .load import PageTask
from .page import PageOutcome, Reader, read_task, reader_for

IN_FLIGHT_PER_WORKER = 4      # pages queued per worker process or thread
OPENCV_THREADS_PER_JOB = 1    # a job is one core: OpenCV's own threads in a worker, or beside a --jobs 1
#                               scan, would compete with the other jobs (or with the other programs a
#                               --jobs 1 scan leaves the cores to): measured at --jobs 1, 2 threads cost
#                               18 % more CPU a page for 11 % less wall time (2026-12-02, loaded machine);
#                               a worker's page with 2 threads took 263-297 ms CPU against 171-182 with 1
#                               (strike, 200 dpi, two runs each, load 12): with every core busy (--jobs
#                               as many as cores) the second thread only spins

log = logging.getLogger("kiemphieu.page")

T = TypeVar("T")


class Future(Protocol):
    def result(self) -> Any: ...


class Done:
    """A result already there (pages read in this process)."""

    def __init__(self, value: Any):
        self.value = value

    def result(self) -> Any:
        return self.value


def in_order(items: Iterable[T], submit: Callable[[T], Future], window: Callable[[], int],
             settle: Callable[[T, Future], None]) -> None:
    """Submit every item; hold at most ``window()`` in flight; ``settle`` each with its future, in order."""
    pending: collections.deque[tuple[T, Future]] = collections.deque()
    for item in items:
        pending.append((item, submit(item)))
        while len(pending) >= max(1, window()):
            settle(*pending.popleft())
    while pending:
        settle(*pending.popleft())


# --- local processes ---------------------------------------------------------------------------------------

_worker_reader: Reader | None = None     # a worker process's reader, built once by the pool's initializer


def _init_worker(count_path: str, readers: int) -> None:
    global _worker_reader
    import cv2

    from ..store import Count
    cv2.setNumThreads(OPENCV_THREADS_PER_JOB)          # the processes are the parallelism
    count = Count.open(count_path, readonly=True)
    try:
        _worker_reader = reader_for(count, readers)
    finally:
        count.close()


def _work(task: PageTask) -> PageOutcome:
    return read_task(_worker_reader, task)


@contextlib.contextmanager
def opencv_threads(n: int) -> Iterator[None]:
    """OpenCV's threads set to ``n`` for a while (pages read in this process), then as they were."""
    import cv2
    before = cv2.getNumThreads()
    cv2.setNumThreads(n)
    try:
        yield
    finally:
        cv2.setNumThreads(before)


@contextlib.contextmanager
def local(count, jobs: int, readers: int = 2) -> Iterator[tuple[Callable[[PageTask], Future], Callable[[], int]]]:
    """(submit, window) reading pages of ``count`` in this process (``jobs`` ≤ 1) or in ``jobs`` processes,
    with ``readers`` readers (``page.Reader``)."""
    if jobs <= 1:
        reader = reader_for(count, readers)
        with opencv_threads(OPENCV_THREADS_PER_JOB):
            yield (lambda t: Done(read_task(reader, t))), (lambda: 1)
        return
    # "spawn": forking a process whose OpenCV thread pool is running can deadlock the child.
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                initargs=(str(count.path), readers)) as pool:
        yield (lambda t: pool.submit(_work, t)), (lambda: jobs * IN_FLIGHT_PER_WORKER)


def read_pages(count, tasks: Iterable[PageTask], jobs: int, store: Callable[[PageOutcome], None],
               cluster: str | None = None, readers: int = 2,
               stored: Callable[[PageOutcome], None] | None = None) -> None:
    """Read ``tasks`` of ``count`` — here, in ``jobs`` processes, or on the Dask cluster at ``cluster`` — with
    ``readers`` readers and ``store`` every outcome in page order; ``stored`` is then given each outcome,
    its ``times`` complete with the store's (the benchmarks' per-stage table)."""
    if cluster:
        from .cluster import on_cluster
        runner = on_cluster(cluster, count, readers)
    else:
        runner = local(count, jobs, readers)
    def settle(task: PageTask, fut: Future) -> None:
        outcome = _outcome(task, fut)
        if log.isEnabledFor(logging.INFO):
            _log(outcome)
        outcome.times.restart()
        store(outcome)
        outcome.times.lap("store")
        if stored is not None:
            stored(outcome)

    with runner as (submit, window):
        in_order(tasks, submit, window, settle)


def _log(o: PageOutcome) -> None:
    """Why a page was read as it was (``kiemphieu -v``: the verdict; ``-vv``: every name's evidence).

    Logged where outcomes are stored, so pages read in worker processes or on a cluster are logged too."""
    where = f"{o.task.source}#{o.task.page}"
    if o.error:
        log.info("%s: %s", where, o.error)
        return
    v = o.verdict
    log.info("%s: %s %s %s (%.0f ms)", where, v.status, "; ".join(v.votes) or "-",
             " ".join(f"[{r.code}{':' + r.why if r.why else ''}{' ' + '; '.join(r.names) if r.names else ''}]"
                      for r in v.reasons), o.seconds * 1000)
    if log.isEnabledFor(logging.DEBUG) and o.reading is not None:
        log.debug("%s: registration %s; page evidence %s; seal %s; writing %d, stray marks %d", where,
                  o.registration, o.reading.evidence, o.reading.seal, len(o.reading.extra_writing),
                  len(o.reading.stray_marks))
        for n in o.reading.names:
            log.debug("%s:   %-30s %-9s %-16s %s", where, n.label, n.state, n.why, n.evidence)


def _outcome(task: PageTask, fut: Future) -> PageOutcome:
    """The future's outcome; a page whose work was lost (a worker killed mid-page more often than Dask
    retries) is a failed page with the reason, never a reading, so scanning again retries it."""
    try:
        return fut.result()
    except cf.process.BrokenProcessPool:
        raise
    except Exception as ex:  # noqa: BLE001 - KilledWorker, lost connection: the page is retried next scan
        import dataclasses

        from .. import texts
        return PageOutcome(dataclasses.replace(task, data=None),
                           error=texts.t("cluster_page_lost", error=f"{type(ex).__name__}: {ex}"))
    finally:
        release = getattr(fut, "release", None)
        if release is not None:
            release()
