"""Profile the per-page work (``page.read_task``: decode, register, both readers, judge) over a generated
set — run by hand.

    .venv/bin/python benchmarks/profile_page.py [--pages 20] [--set DIR] [--top 30] [--readers 1|2] [--repeat K]

Generates a strike/table set at 200 dpi (unless --set names an existing one), makes a count with the
real CLI, then runs ``read_task`` page by page in this process under cProfile and prints the CPU ms
per page of each stage (``page.StageTimes``) and the functions by their own time and by cumulative
time (with ``--readers``: 2, reader B too; default 2), and reader A's steps (``STEPS``: the pen map's
parts, each name's evidence, the seal, writing, the note) with what they call. cProfile counts CPU time of
this process (``time.process_time``), not wall time: the figures hold on a shared machine.

Before profiling it times both readers without cProfile, page by page in turns (reader A alone, then
reader A and reader B, on the same page), so that both see the same load on a shared machine, and
prints ``COST per page (decode + read), CPU: A … ms, A+B … ms (+… %)``: what reader B adds to a page's work (decode,
registration and reader A; registration is shared).

With ``--repeat K`` (K ≥ 2) it then reads every page K times in a row without cProfile and prints
``LEAST of K``: per stage, the least CPU of the K reads of each page, summed over the pages, ms per
page. On a machine shared with other jobs CPU time too is inflated (shared caches and cores, by 30 %
and more between runs here); the least of a few reads of the same page is what the page costs, and is
what to compare before and after a change (the per-count work is done before: the first page is read
once first).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--set", help="an existing set directory (election.toml, blank.png, scans/)")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--readers", type=int, choices=[1, 2], default=2)
    ap.add_argument("--repeat", type=int, default=1, help="also the least CPU of K reads of each page, per stage")
    a = ap.parse_args(argv)

    import cv2
    from click.testing import CliRunner

    from kiemphieu.cli import main as kp
    from kiemphieu.scan.load import find_files, page_pixels, tasks_for
    from kiemphieu.scan.page import read_task, reader_for
    from kiemphieu.store import Count

    cv2.setNumThreads(1)           # as in a scan worker
    work = Path(tempfile.mkdtemp(prefix="kp-profile-"))
    setdir = Path(a.set) if a.set else work / "set"
    if not a.set:
        import ballotgen
        ballotgen.generate_set(setdir, kind="strike", layout="table", n=a.pages, seed=1, dpi_range=(200, 200))
    res = CliRunner().invoke(kp, ["new", str(work / "c.kp"), "--election", str(setdir / "election.toml"),
                                  "--template", str(setdir / "blank.png")], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    count = Count.open(work / "c.kp")
    one, two = reader_for(count, 1), reader_for(count, 2)
    reader = two if a.readers == 2 else one
    tasks = [t for f in find_files([str(setdir / "scans")]) for t in tasks_for(f, lambda sha: set())][: a.pages]
    t0 = time.process_time()
    greys = [page_pixels(t) for t in tasks]
    t_dec = time.process_time() - t0
    spent = {1: 0.0, 2: 0.0}
    for g in greys:
        for r, rd in ((1, one), (2, two)):
            t1 = time.process_time()
            rd.read(g)
            spent[r] += time.process_time() - t1
    dec = t_dec / len(greys)
    a_ms, ab_ms = (1000 * (dec + spent[r] / len(greys)) for r in (1, 2))
    print(f"COST per page (decode + read), CPU: A {a_ms:.0f} ms, A+B {ab_ms:.0f} ms "
          f"(+{100 * (ab_ms / a_ms - 1):.0f} %)")
    if a.repeat > 1:
        least_of(reader, tasks, a.repeat)
    prof = cProfile.Profile(time.process_time)
    cpu: dict[str, float] = {}
    t0 = time.process_time()
    prof.enable()
    for t in tasks:
        for k, v in read_task(reader, t).times.cpu.items():
            cpu[k] = cpu.get(k, 0.0) + v
    prof.disable()
    t_read = time.process_time() - t0
    n = len(tasks)
    print(f"{n} pages: read_task {1000 * t_read / n:.1f} ms CPU/page (under cProfile); per stage, ms CPU/page: "
          + ", ".join(f"{k} {1000 * v / n:.1f}" for k, v in cpu.items()))
    st = pstats.Stats(prof)
    print_steps(st, n)
    st.sort_stats("tottime").print_stats(a.top)
    st.sort_stats("cumulative").print_stats(a.top)


# Reader A's steps (function name, file it is defined in), in the order a page meets them.
STEPS = (("ink_map", "ink.py"), ("contrast_gain", "blank.py"), ("missing_print", "blank.py"),
         ("find_pen", "pen.py"), ("added_page", "pen.py"), ("pen_mask", "pen.py"),
         ("remove_line_artifacts", "pen.py"), ("blobs", "pen.py"), ("faint_ridges", "pen.py"),
         ("_assign", "read.py"), ("name_evidence", "strike.py"), ("row_evidence", "box_marks.py"),
         ("_read_seal", "read.py"), ("outside_evidence", "writing.py"), ("faint_evidence", "writing.py"),
         ("find_note", "note.py"), ("read_second", "read.py"))


def print_steps(st: pstats.Stats, pages: int) -> None:
    """Reader A's steps (``STEPS``; and reader B's whole), ms CPU per page including what they call, under
    cProfile (which inflates many small calls more than a few large ones)."""
    cum: dict[str, float] = {}
    for (path, _, name), (_, _, _, ct, _) in st.stats.items():
        for want, where in STEPS:
            if name == want and path.endswith(where):
                cum[want] = cum.get(want, 0.0) + ct
    print("Steps, ms CPU/page with what they call (under cProfile): "
          + ", ".join(f"{k} {1000 * cum[k] / pages:.1f}" for k, _ in STEPS if k in cum))


def least_of(reader, tasks: list, k: int) -> None:
    """Print, per stage, the least CPU of ``k`` reads of each page summed over the pages (ms per page)."""
    from kiemphieu.scan.page import read_task
    read_task(reader, tasks[0])                 # the per-count work (blank crops, blur ladder) done first
    least: dict[str, float] = {}
    whole = 0.0
    for t in tasks:
        best: dict[str, float] = {}
        best_whole = float("inf")
        for _ in range(k):
            t0 = time.process_time()
            times = read_task(reader, t).times.cpu
            best_whole = min(best_whole, time.process_time() - t0)
            for stage, v in times.items():
                best[stage] = min(best.get(stage, float("inf")), v)
        whole += best_whole
        for stage, v in best.items():
            least[stage] = least.get(stage, 0.0) + v
    n = len(tasks)
    print(f"LEAST of {k} reads a page, ms CPU/page: read_task {1000 * whole / n:.1f}; "
          + ", ".join(f"{stage} {1000 * v / n:.1f}" for stage, v in least.items()))


if __name__ == "__main__":
    main()
