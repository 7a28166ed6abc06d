"""benchmarks/independence.py weakens reader A by name: every threshold it names must still exist in
detect/thresholds.py (renamed ones made the benchmark fail after the reader's thresholds moved)."""
from __future__ import annotations

import sys
from pathlib import Path

from kiemphieu.detect import thresholds as T

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import independence  # noqa: E402


def test_every_weakened_threshold_is_one_of_reader_as():
    missing = [name for _, name, _, _ in independence.WEAKENINGS if not hasattr(T, name)]
    assert missing == []


def test_a_weakening_moves_the_threshold_and_puts_it_back():
    name = independence.WEAKENINGS[0][1]
    before = getattr(T, name)
    with independence.weakened(name, 0.5):
        assert getattr(T, name) == type(before)(before * 0.5)
    assert getattr(T, name) == before
