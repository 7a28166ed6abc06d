"""Speed and memory of ``kiemphieu scan`` against just decoding the same files — run by hand, not a test.

    .venv/bin/python benchmarks/bench.py [--pages 100 [400 …]] [--jobs N] [--workdir DIR] [--no-jobs1]
                                         [--stages 40] [--no-scan]

First a per-stage table (``--stages`` pages of each input, 0: none): the real page path
(``batch.run`` at ``--jobs 1``, in this process, both readers, OpenCV's threads as a worker's) on
strike ballots in a table (A4, 200 dpi), box ballots (mark, A4, 200 dpi) and phone photos of strike
ballots (the stress matrix's phone capture, ``ballotgen.write_count``), CPU ms per page of each stage
(``page.StageTimes``: decode, pose, resample, capture, reader A, reader B, judge, store) and the scan's
CPU per page over the CPU of decoding alone. CPU time, not wall: it holds on a shared machine.

Then, for each size: generates N strike ballots (table layout, A4 at 200 dpi, ballotgen; kept in
--workdir and reused), and times

- decode: reading, hashing and decoding every file as ``scan/load.py`` does (``tasks_for`` +
  ``page_pixels``), in 1 process and in N processes;
- ``kiemphieu scan COUNT scans --jobs 1`` and ``--jobs N`` on a fresh copy of one count (``new`` is
  not timed), wall clock of the whole command;

and prints pages per second, the ratio to decoding with as many processes (the issue's target: ≤ 4),
and peak memory: the largest sum of RSS over the scan's process tree (sampled every 20 ms) and the
largest single process (``getrusage`` of the children). The CPU seconds of the whole scan (all its
processes, ``getrusage``) are printed beside its wall time: on a loaded machine the wall time says
little, the CPU per page still holds.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

KP = [sys.executable, "-c", "from kiemphieu.cli import main; main()"]
RSS_SAMPLE_S = 0.02


def make_set(workdir: Path, n: int) -> Path:
    d = workdir / f"set-{n}"
    truth = d / "truth.jsonl"
    if truth.is_file() and len(truth.read_text(encoding="utf-8").splitlines()) == n:
        return d
    import ballotgen
    shutil.rmtree(d, ignore_errors=True)
    t0 = time.perf_counter()
    ballotgen.generate_set(d, kind="strike", layout="table", n=n, seed=1, dpi_range=(200, 200))
    print(f"generated {n} pages in {time.perf_counter() - t0:.0f} s: {d}", file=sys.stderr)
    return d


STAGES = ("decode", "pose", "resample", "capture", "reader_a", "reader_b", "judge", "store")


def make_input(workdir: Path, kind: str, n: int) -> Path:
    """A set of ``n`` pages of one input of the per-stage table (kept in ``workdir`` and reused)."""
    d = workdir / f"stages-{kind}-{n}"
    truth = d / "truth.jsonl"
    if truth.is_file() and len(truth.read_text(encoding="utf-8").splitlines()) == n:
        return d
    import ballotgen
    shutil.rmtree(d, ignore_errors=True)
    if kind == "phone":
        ballotgen.write_count(d, seed=17, n=n, capture="phone", kind="strike")
    else:
        ballotgen.generate_set(d, kind=kind, layout="table", n=n, seed=17, dpi_range=(200, 200))
    return d


def stage_times(setdir: Path, work: Path) -> dict:
    """CPU seconds per stage, summed over the pages of ``setdir`` read by ``batch.run`` in this process
    (``--jobs 1``, both readers), and the CPU seconds of decoding the same pages alone."""
    import cv2

    from kiemphieu.scan import batch
    from kiemphieu.store import Count

    cv2.setNumThreads(1)          # as in a worker process
    count = work / f"{setdir.name}.kp"
    for suffix in ("", "-wal", "-shm"):
        Path(str(count) + suffix).unlink(missing_ok=True)
    subprocess.run(KP + ["new", str(count), "--election", str(setdir / "election.toml"),
                         "--template", str(setdir / "blank.png")], check=True, capture_output=True)
    cpu = dict.fromkeys(STAGES, 0.0)
    wall = dict.fromkeys(STAGES, 0.0)
    pages = 0

    def stored(o) -> None:
        nonlocal pages
        pages += 1
        for k, v in o.times.cpu.items():
            cpu[k] += v
        for k, v in o.times.wall.items():
            wall[k] += v

    c = Count.open(count)
    try:
        t0 = time.process_time()
        batch.run(c, [str(setdir / "scans")], 1, progress=False, readers=2, stored=stored)
        total = time.process_time() - t0
    finally:
        c.close()
    t0 = time.process_time()
    decoded = _decode_pages(str(setdir / "scans"))
    decode = time.process_time() - t0
    assert decoded == pages, (decoded, pages)
    return {"pages": pages, "cpu": cpu, "wall": wall, "total": total, "decode": decode}


def _decode_pages(path: str) -> int:
    from kiemphieu.scan.load import find_files
    return sum(_decode_file(str(f.path)) for f in find_files([path]))


def print_stages(rows: dict[str, dict]) -> None:
    print("\nCPU ms per page, both readers, --jobs 1 in one process (OpenCV 1 thread):\n")
    print("| stage | " + " | ".join(rows) + " |")
    print("| --- | " + " | ".join("---:" for _ in rows) + " |")
    for k in STAGES:
        print(f"| {k} | " + " | ".join(f"{1000 * r['cpu'][k] / r['pages']:.1f}" for r in rows.values()) + " |")
    print("| **whole scan** | " + " | ".join(f"{1000 * r['total'] / r['pages']:.1f}" for r in rows.values()) + " |")
    print("| decode alone, same files | "
          + " | ".join(f"{1000 * r['decode'] / r['pages']:.1f}" for r in rows.values()) + " |")
    print("| scan ÷ decode (CPU) | " + " | ".join(f"{r['total'] / r['decode']:.1f} ×" for r in rows.values()) + " |")
    print("| pages | " + " | ".join(str(r["pages"]) for r in rows.values()) + " |")


def _decode_file(path: str) -> int:
    import cv2

    from kiemphieu.scan.load import ScanFile, page_pixels, tasks_for
    cv2.setNumThreads(1)
    kind = "pdf" if path.lower().endswith(".pdf") else "image"
    pages = 0
    for t in tasks_for(ScanFile(Path(path), kind), lambda sha: set()):
        page_pixels(t)
        pages += 1
    return pages


def decode_rate(scans: Path, jobs: int) -> tuple[int, float]:
    """(pages, seconds) to read, hash and decode every file with ``jobs`` processes."""
    from kiemphieu.scan.load import find_files
    files = [str(f.path) for f in find_files([str(scans)])]
    if jobs <= 1:
        t0 = time.perf_counter()
        pages = sum(_decode_file(f) for f in files)
        return pages, time.perf_counter() - t0
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        pool.map(_decode_file, files[:jobs])          # start-up and imports are not decoding
        t0 = time.perf_counter()
        pages = sum(pool.map(_decode_file, files, chunksize=4))
        return pages, time.perf_counter() - t0


def timed(cmd: list[str]) -> tuple[float, int, int, int, float]:
    """Run ``cmd``: (seconds, exit code, peak RSS of the process tree, peak RSS of one process (bytes),
    CPU seconds of all its processes)."""
    wrapper = [sys.executable, "-c",
               "import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; "
               "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
               "print(u.ru_utime + u.ru_stime, file=sys.stderr); print(u.ru_maxrss, file=sys.stderr); sys.exit(rc)"]
    t0 = time.perf_counter()
    p = psutil.Popen(wrapper + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while p.poll() is None:
        try:
            procs = p.children(recursive=True)
            rss = sum(q.memory_info().rss for q in procs)
        except psutil.Error:
            rss = 0
        peak = max(peak, rss)
        time.sleep(RSS_SAMPLE_S)
    seconds = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace").strip().splitlines()
    one = int(err[-1]) * 1024 if err and err[-1].isdigit() else 0
    try:
        cpu = float(err[-2])
    except (IndexError, ValueError):
        cpu = 0.0
    return seconds, p.returncode, peak, one, cpu


def scan_rate(setdir: Path, work: Path, jobs: int) -> dict:
    base = work / "base.kp"
    if not base.exists():
        subprocess.run(KP + ["new", str(base), "--election", str(setdir / "election.toml"),
                             "--template", str(setdir / "blank.png")], check=True, capture_output=True)
    run = work / f"run-{jobs}.kp"
    for suffix in ("", "-wal", "-shm"):
        Path(str(run) + suffix).unlink(missing_ok=True)
    shutil.copy(base, run)
    seconds, rc, tree, one, cpu = timed(KP + ["scan", str(run), str(setdir / "scans"), "--jobs", str(jobs),
                                             "--quiet"])
    if rc not in (0, 1):
        raise SystemExit(f"scan failed with exit code {rc}")
    return {"seconds": seconds, "tree_rss": tree, "one_rss": one, "cpu": cpu}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, nargs="+", default=[100])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "kiemphieu-bench"))
    ap.add_argument("--no-jobs1", action="store_true", help="skip the --jobs 1 scan (faster for big N)")
    ap.add_argument("--stages", type=int, default=40, help="pages of each input in the per-stage table (0: none)")
    ap.add_argument("--no-scan", action="store_true", help="only the per-stage table")
    a = ap.parse_args(argv)
    workdir = Path(a.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if a.stages:
        work = workdir / "stages"
        work.mkdir(exist_ok=True)
        stages = {}
        for kind in ("strike", "mark", "phone"):
            stages[kind] = stage_times(make_input(workdir, kind, a.stages), work)
            r = stages[kind]
            print(f"{kind}: {1000 * r['total'] / r['pages']:.0f} ms CPU per page, "
                  f"{r['total'] / r['decode']:.1f} × decoding", file=sys.stderr)
        print_stages(stages)
    rows = []
    for n in [] if a.no_scan else a.pages:
        setdir = make_set(workdir, n)
        work = workdir / f"run-{n}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for jobs in ([] if a.no_jobs1 else [1]) + ([a.jobs] if a.jobs > 1 else []):
            pages, dsec = decode_rate(setdir / "scans", jobs)
            r = scan_rate(setdir, work, jobs)
            dec, scan = pages / dsec, pages / r["seconds"]
            rows.append((n, jobs, dec, scan, dec / scan, r["tree_rss"] / 2**20, r["one_rss"] / 2**20,
                         1000 * r["cpu"] / pages))
            print(
                f"N={n} jobs={jobs}: decode {dec:.1f} p/s, scan {scan:.2f} p/s, ratio {dec / scan:.1f}, "
                f"{1000 * r['cpu'] / pages:.0f} ms CPU per page", file=sys.stderr
            )
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(x.split(":", 1)[1].strip() for x in Path("/proc/cpuinfo").read_text().splitlines()
                   if x.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"\nMachine: {cpu}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB, "
          f"Python {platform.python_version()}, load average at the end {os.getloadavg()[0]:.1f}\n")
    if not rows:
        return
    print(
        "| pages | jobs | decode pages/s | scan pages/s | scan ÷ decode time | scan CPU per page "
        "| peak RSS, all processes | peak RSS, one process |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, jobs, dec, scan, ratio, tree, one, cpu in rows:
        print(f"| {n} | {jobs} | {dec:.1f} | {scan:.2f} | {ratio:.1f} × | {cpu:.0f} ms "
              f"| {tree:.0f} MB | {one:.0f} MB |")


if __name__ == "__main__":
    main()
