"""Page-by-page readings of ballot sets, to check that a change reads every page as before.

    python benchmarks/readings.py dump OUT SETDIR...      # one OUT/<set>.jsonl per set, through the CLI
    python benchmarks/readings.py compare OLD NEW         # every page whose status, votes or reasons differ

A set is a folder in the format of the public evaluation sets (``election.toml``, ``blank.png``,
``scans/``). ``compare`` exits 1 when any page differs, and prints each difference.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

KP = [sys.executable, "-m", "kiemphieu.cli"]


def _run(*args: str) -> str:
    r = subprocess.run(KP + list(args), capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args[:2])}: exit {r.returncode}\n{r.stderr[-2000:]}")
    return r.stdout


def dump(out: Path, sets: list[Path], jobs: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for s in sets:
        with tempfile.TemporaryDirectory(prefix="kp-readings-") as tmp:
            count = str(Path(tmp) / "count.kp")
            _run("new", count, "--election", str(s / "election.toml"), "--template", str(s / "blank.png"))
            _run("scan", count, str(s / "scans"), "--jobs", str(jobs), "--quiet")
            rows = [json.loads(x) for x in _run("export", count, "--format", "jsonl").splitlines() if x.strip()]
        keep = [{"page": f"{Path(r['source']).name}#{r['page']}", "status": r["status"], "votes": r["votes"],
                 "against": r.get("against", []), "reasons": r["reasons"]} for r in rows]
        keep.sort(key=lambda r: r["page"])
        (out / f"{s.name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep),
                                             encoding="utf-8")
        print(f"{s.name}: {len(keep)} pages", flush=True)


def _load(path: Path) -> dict[str, dict]:
    """Pages of a dump; reasons as records, whichever release wrote them."""
    from kiemphieu.records import reasons_from
    rows = {r["page"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    for r in rows.values():
        r["reasons"] = [x.to_dict() for x in reasons_from(r["reasons"])]
    return rows


def compare(old: Path, new: Path) -> int:
    differences = 0
    for f in sorted(old.glob("*.jsonl")):
        if not (new / f.name).exists():
            print(f"{f.stem}: missing in {new}")
            differences += 1
            continue
        a, b = _load(f), _load(new / f.name)
        for page in sorted(set(a) | set(b)):
            x, y = a.get(page), b.get(page)
            if x != y:
                differences += 1
                print(f"{f.stem} {page}:\n  before {x}\n  after  {y}")
    print(f"{differences} pages differ")
    return 1 if differences else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("sets", type=Path, nargs="+")
    d.add_argument("--jobs", type=int, default=2)
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    a = ap.parse_args()
    if a.cmd == "dump":
        dump(a.out, a.sets, a.jobs)
    else:
        sys.exit(compare(a.old, a.new))


if __name__ == "__main__":
    main()
