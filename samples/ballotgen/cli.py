"""Command line.

    python -m ballotgen OUTDIR --kind strike --layout table --n 40 --seed 1     (one look per set)
    python -m ballotgen OUTDIR --matrix --seed 7 [--capture phone] [--kind mark] [--n 20]
                                                    (a count drawn from the stress matrix)
"""
from __future__ import annotations

import argparse

from .fonts import SERIF_FONTS
from .scanner import SCAN_DPI_RANGE
from .sets import generate_set, write_count
from .units import PAPER_MM


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument(
        "--kind", choices=["strike", "mark", "approve"], help="ballot kind (default: strike; --matrix: drawn)"
    )
    ap.add_argument("--layout", choices=["table", "list", "twocol"], default="table")
    ap.add_argument("--n", type=int, help="pages in the set (default: 40; --matrix: 15-30)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--font", choices=list(SERIF_FONTS), default="serif")
    ap.add_argument("--dpi-range", type=int, nargs=2, default=list(SCAN_DPI_RANGE), metavar=("LO", "HI"))
    ap.add_argument("--pdf", action="store_true", help="write all pages into one scans/batch.pdf")
    ap.add_argument("--cases", help="comma-separated cases to use (default: realistic mix)")
    ap.add_argument("--grey-only", action="store_true")
    ap.add_argument("--clean", action="store_true", help="no scanner defects (straight, no noise)")
    ap.add_argument("--honorific", action="store_true", help='print "Ông"/"Bà" before names')
    ap.add_argument("--duplicate-name", action="store_true", help="two equal names told apart by birth year")
    ap.add_argument("--candidates", type=int, help="number of candidates (default: random)")
    ap.add_argument("--seats", type=int)
    ap.add_argument("--paper", choices=list(PAPER_MM))
    ap.add_argument("--quality", type=int, help="fixed JPEG quality; all pages JPEG")
    ap.add_argument("--blank-grey", action="store_true", help="write blank.png as a small grey image")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--matrix", action="store_true",
                    help="draw the print and every page's conditions from the stress matrix (ballotgen.conditions); "
                         "with --kind only when given explicitly, --n (default 15-30), --seed, --capture")
    ap.add_argument("--capture", choices=["scanner", "phone", "bilevel"],
                    help="with --matrix: every page captured this way (default: drawn per page)")
    a = ap.parse_args(argv)
    if a.matrix:
        truths = write_count(a.outdir, a.seed, n=a.n, capture=a.capture, kind=a.kind, verbose=a.verbose)
        print(f"wrote {len(truths)} pages to {a.outdir}")
        return
    cases = [c.strip() for c in a.cases.split(",") if c.strip()] if a.cases else None
    truths = generate_set(
        a.outdir,
        a.kind or "strike",
        a.layout,
        a.n or 40,
        a.seed,
        a.font,
        tuple(a.dpi_range),
        a.pdf,
        cases,
        a.grey_only,
        a.clean,
        a.honorific,
        a.duplicate_name,
        a.candidates,
        a.seats,
        a.paper,
        a.quality,
        a.blank_grey,
        a.verbose,
    )
    print(f"wrote {len(truths)} pages to {a.outdir}")
