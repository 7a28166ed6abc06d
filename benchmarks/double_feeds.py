"""How many sheets fed twice `kiemphieu scan` names, and how many distinct ballots it takes for one — run by hand.

    .venv/bin/python benchmarks/double_feeds.py [--workdir DIR]

For each generated set (strike table, strike list, mark, yes/no; ballotgen, kept in --workdir
and reused) it scans the ballots into a new count, then two new scans of every sheet (another skew,
scale, exposure, noise and JPEG quality, as a sheet fed again would be). It prints, per set, how many
of the re-fed pages are named as double feeds of a scan of the same sheet, and how many pages are named
as double feeds of a different sheet (false; each new page is checked against every page counted
before it, so N ballots fed three times make 3N(3N−1)/2 pairs, of which 3N are the same sheet).
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from click.testing import CliRunner

SETS = {
    "strike-table": dict(kind="strike", layout="table", n=30, seed=11),
    "strike-list": dict(kind="strike", layout="list", n=20, seed=12, font="liberation"),
    "mark": dict(kind="mark", layout="table", n=25, seed=13),
    "yes-no": dict(kind="approve", layout="table", n=20, seed=14),
}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "kiemphieu-double-feeds"))
    a = ap.parse_args(argv)

    import ballotgen
    from kiemphieu.cli import main as kp
    from kiemphieu.store import Count

    def run(*args) -> None:
        res = CliRunner().invoke(kp, [str(x) for x in args], catch_exceptions=False)
        assert res.exit_code in (0, 1), res.output

    work = Path(a.workdir)
    total = {"refed": 0, "named": 0, "false": 0}
    for name, spec in SETS.items():
        d = work / name
        if not (d / "truth.jsonl").exists():
            ballotgen.generate_set(d, **spec)
        sheets = sorted(p for p in (d / "scans").iterdir() if p.suffix in (".jpg", ".png", ".tif"))
        for v in (1, 2):
            again = work / f"{name}-again-{v}"
            again.mkdir(exist_ok=True)
            for i, p in enumerate(sheets):
                out = again / f"{p.stem}.jpg"
                if not out.exists():
                    out.write_bytes(ballotgen.refeed(p.read_bytes(), 1000 * v + i))
        count = work / f"{name}.kp"
        count.unlink(missing_ok=True)
        run("new", count, "--election", d / "election.toml", "--template", d / "blank.png")
        for folder in (d / "scans", work / f"{name}-again-1", work / f"{name}-again-2"):
            run("scan", count, folder, "--quiet", "--jobs", 1)
        c = Count.open(count)
        pages = {p["id"]: p for p in c.pages()}
        c.close()
        sheet = {i: Path(p["source"]).stem for i, p in pages.items()}
        ballots = {s for i, s in sheet.items() if pages[i]["reading"].get("is_ballot")}
        refed = [i for i, p in pages.items() if "again" in p["source"] and sheet[i] in ballots]
        named = false = 0
        for i, p in pages.items():
            for r in p["machine_reasons"]:
                if r.startswith("page:double_feed:"):
                    twin = int(r.rsplit(":", 1)[1])
                    if sheet[twin] == sheet[i]:
                        named += 1
                    else:
                        false += 1
        print(f"{name:13s} re-fed ballot pages {len(refed):3d}: named {named:3d} ({named / max(1, len(refed)):.0%}) | "
              f"named after a different sheet: {false}")
        total["refed"] += len(refed)
        total["named"] += named
        total["false"] += false
    print(f"all: {total['named']} of {total['refed']} re-fed pages named, {total['false']} false")


if __name__ == "__main__":
    main()
