"""Shared fixtures: generated ballot sets (ballotgen, samples/ballotgen) and counts made from them."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import ballotgen
from kiemphieu.cli import main


def kp(*args: str, ok: bool = True):
    """Run the CLI in-process; by default assert it succeeded."""
    res = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert res.exit_code == 0, res.output
    return res


def load_truth(setdir: Path) -> dict[tuple[str, int], dict]:
    out = {}
    for line in (setdir / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        t = json.loads(line)
        out[(Path(t["source"]).name, int(t["page"]))] = t
    return out


def export(count: Path) -> dict[tuple[str, int], dict]:
    res = kp("export", count, "--format", "jsonl")
    rows = [json.loads(x) for x in res.output.splitlines() if x.strip()]
    return {(Path(r["source"]).name, int(r["page"])): r for r in rows}


def create_count(setdir: Path, count: Path) -> Path:
    """A new count at ``count`` on a set directory's election and blank, with the real CLI."""
    kp("new", count, "--election", setdir / "election.toml", "--template", setdir / "blank.png")
    return count


def counted(setdir: Path, tmp: Path, jobs: int = 1) -> Path:
    """A count made from a set directory with the real CLI: new + scan."""
    count = create_count(setdir, tmp / "count.kp")
    kp("scan", count, setdir / "scans", "--jobs", jobs, "--quiet")
    return count


@pytest.fixture(scope="session")
def strike_set(tmp_path_factory) -> Path:
    """A strike ballot set, table layout, every case the generator knows."""
    d = tmp_path_factory.mktemp("strike-table")
    ballotgen.generate_set(d, kind="strike", layout="table", n=26, seed=101)
    return d


@pytest.fixture(scope="session")
def strike_count(strike_set, tmp_path_factory) -> Path:
    return counted(strike_set, tmp_path_factory.mktemp("count-table"))


@pytest.fixture(scope="session")
def list_set(tmp_path_factory) -> Path:
    """A strike ballot set, numbered list layout in another font."""
    d = tmp_path_factory.mktemp("strike-list")
    ballotgen.generate_set(d, kind="strike", layout="list", n=16, seed=202, font="liberation")
    return d


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def chromium_binary() -> str | None:
    """Debian's real chromium binary (not the /usr/bin wrapper script)."""
    try:
        files = subprocess.run(["dpkg", "-L", "chromium"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in files.splitlines():
        if line.endswith("lib/chromium/chromium") and Path(line).is_file():
            return line
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (its own browser download does not work here)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    binary = chromium_binary()
    if binary is None:
        pytest.skip("Debian's chromium is not installed (make test installs it: apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def vietnamese_by_default(monkeypatch):
    """Every test starts in the default language; `--lang` in one in-process CLI run must not leak."""
    monkeypatch.delenv("KIEMPHIEU_LANG", raising=False)
