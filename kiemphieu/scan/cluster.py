"""Run a scan's page work on a Dask distributed cluster (``kiemphieu scan … --cluster tcp://HOST:8786``).

The client (the machine running ``kiemphieu scan``) finds and hashes the files and alone writes the
SQLite count, exactly as in a local scan; only ``page.read_task`` — decode, register, read, judge — runs
on the workers. What a worker needs to read pages is shipped once per worker as bytes (the election, the
layout and the blank's template frame, never a path): workers may be other machines without the
count file. Each worker builds its ``Reader`` once per count (cached by the hash of those bytes).

Image pages travel with their bytes (the client read them to hash them); PDF pages are rendered on the
worker from the PDF's path, so PDFs must be on storage every worker sees at the same path.

Results are stored in the order of the pages, as ``--jobs 1`` stores them, so a cluster count is the
same count (ids included) as a local one. Dask is an optional dependency (``pip install
'kiemphieu[cluster]'``); nothing here is imported without ``--cluster``.
"""
from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Callable, Iterator

from .. import texts
from .load import LoadError, PageTask

IN_FLIGHT_PER_THREAD = 3       # pages queued per worker thread
CONNECT_TIMEOUT_S = 30
NTHREADS_EVERY = 100           # pages between two looks at the cluster's size (workers may join or leave)


def _client(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise LoadError(texts.t("cluster_no_dask")) from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except Exception as ex:  # noqa: BLE001 - OSError, TimeoutError, CommClosedError…: one message for people
        raise LoadError(
            texts.t("cluster_connect_failed", address=address, error=f"{type(ex).__name__}: {ex}")
        ) from None


def reader_spec(count, readers: int = 2) -> tuple[str, bytes]:
    """(key, pickled (election, layout, blank frame PNG bytes, readers)): everything a worker needs."""
    spec = pickle.dumps((count.election(), count.layout(), count.blank_frame_png(), readers),
                        protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.sha256(spec).hexdigest(), spec


# --- on the workers --------------------------------------------------------------------------------------

_readers: dict[str, object] = {}     # one reader per count seen by this worker process


def _reader(key: str, spec: bytes):
    reader = _readers.get(key)
    if reader is None:
        import cv2
        import numpy as np

        from .page import Reader
        cv2.setNumThreads(1)          # the worker's threads are the parallelism
        election, layout, frame_png, readers = pickle.loads(spec)
        frame = cv2.imdecode(np.frombuffer(frame_png, np.uint8), cv2.IMREAD_GRAYSCALE)
        _readers.clear()              # a worker serves one count at a time; do not hoard blanks
        reader = _readers[key] = Reader(election, layout, frame, readers)
    return reader


def read_remote(key: str, spec: bytes, task: PageTask):
    """The page work of one task, on a worker: ``page.read_task`` with this worker's reader."""
    from .page import read_task
    return read_task(_reader(key, spec), task)


# --- on the client ---------------------------------------------------------------------------------------

@contextlib.contextmanager
def on_cluster(address: str, count, readers: int = 2) -> Iterator[tuple[Callable, Callable[[], int]]]:
    """(submit, window) reading pages of ``count`` on the cluster at ``address`` (see ``runner.in_order``).

    The window follows the cluster's size: it is looked at again every NTHREADS_EVERY pages, as workers
    may join or leave. A task is retried once by Dask when its worker is lost.
    """
    client = _client(address)
    try:
        key, spec = reader_spec(count, readers)
        spec_f = client.scatter(spec, broadcast=True, hash=False)
        submitted = 0
        limit = 0

        def submit(task: PageTask):
            nonlocal submitted
            submitted += 1
            return client.submit(read_remote, key, spec_f, task, pure=False, retries=1)

        def window() -> int:
            nonlocal limit
            if limit == 0 or submitted % NTHREADS_EVERY == 0:
                limit = max(2, IN_FLIGHT_PER_THREAD * sum(client.nthreads().values()))
            return limit

        yield submit, window
    finally:
        client.close()
