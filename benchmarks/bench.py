"""Speed and memory of ``kiemphieu scan`` against just decoding the same files — run by hand, not a test.

    .venv/bin/python benchmarks/bench.py [--pages 100 [400 …]] [--jobs N] [--workdir DIR] [--no-jobs1]

For each size: generates N strike ballots (table layout, A4 at 200 dpi, ballotgen; kept in
--workdir and reused), then times

- decode: reading, hashing and decoding every file as ``scan/load.py`` does (``tasks_for`` +
  ``page_pixels``), in 1 process and in N processes;
- ``kiemphieu scan COUNT scans --jobs 1`` and ``--jobs N`` on a fresh copy of one count (``new`` is
  not timed), wall clock of the whole command;

and prints pages per second, the ratio to decoding with as many processes (the issue's target: ≤ 4),
and peak memory: the largest sum of RSS over the scan's process tree (sampled every 20 ms) and the
largest single process (``getrusage`` of the children).
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


def timed(cmd: list[str]) -> tuple[float, int, int, int]:
    """Run ``cmd``: (seconds, exit code, peak RSS of the process tree, peak RSS of one process), bytes."""
    wrapper = [sys.executable, "-c",
               "import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(rc)"]
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
    return seconds, p.returncode, peak, one


def scan_rate(setdir: Path, work: Path, jobs: int) -> dict:
    base = work / "base.kp"
    if not base.exists():
        subprocess.run(KP + ["new", str(base), "--election", str(setdir / "election.toml"),
                             "--template", str(setdir / "blank.png")], check=True, capture_output=True)
    run = work / f"run-{jobs}.kp"
    for suffix in ("", "-wal", "-shm"):
        Path(str(run) + suffix).unlink(missing_ok=True)
    shutil.copy(base, run)
    seconds, rc, tree, one = timed(KP + ["scan", str(run), str(setdir / "scans"), "--jobs", str(jobs), "--quiet"])
    if rc not in (0, 1):
        raise SystemExit(f"scan failed with exit code {rc}")
    return {"seconds": seconds, "tree_rss": tree, "one_rss": one}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, nargs="+", default=[100])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "kiemphieu-bench"))
    ap.add_argument("--no-jobs1", action="store_true", help="skip the --jobs 1 scan (faster for big N)")
    a = ap.parse_args(argv)
    workdir = Path(a.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in a.pages:
        setdir = make_set(workdir, n)
        work = workdir / f"run-{n}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for jobs in ([] if a.no_jobs1 else [1]) + ([a.jobs] if a.jobs > 1 else []):
            pages, dsec = decode_rate(setdir / "scans", jobs)
            r = scan_rate(setdir, work, jobs)
            dec, scan = pages / dsec, pages / r["seconds"]
            rows.append((n, jobs, dec, scan, dec / scan, r["tree_rss"] / 2**20, r["one_rss"] / 2**20))
            print(
                f"N={n} jobs={jobs}: decode {dec:.1f} p/s, scan {scan:.2f} p/s, ratio {dec / scan:.1f}", file=sys.stderr
            )
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(x.split(":", 1)[1].strip() for x in Path("/proc/cpuinfo").read_text().splitlines()
                   if x.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"\nMachine: {cpu}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB, "
          f"Python {platform.python_version()}, load average at the end {os.getloadavg()[0]:.1f}\n")
    print(
        "| pages | jobs | decode pages/s | scan pages/s | scan ÷ decode time | peak RSS, all processes "
        "| peak RSS, one process |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, jobs, dec, scan, ratio, tree, one in rows:
        print(f"| {n} | {jobs} | {dec:.1f} | {scan:.2f} | {ratio:.1f} × | {tree:.0f} MB | {one:.0f} MB |")


if __name__ == "__main__":
    main()
