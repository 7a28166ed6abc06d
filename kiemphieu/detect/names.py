"""Match the candidates of the election file to printed lines read by OCR.

Matching is fuzzy and diacritic-aware: the score is the mean of a similarity with diacritics and one
without them, so a misread tone mark costs little while a different name costs a lot. Row numbers
("3.", "12|"), table borders and underscores that OCR leaves around a name are ignored: a name is
matched to the best run of consecutive words on a line.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata

from rapidfuzz import fuzz

from ..records import Box
from . import thresholds as T
from .ocr import Line, Word

_WORD_CHARS = re.compile(r"[^\w()]+", re.UNICODE)


def normalise(text: str) -> str:
    """NFC, case-folded, punctuation other than brackets removed, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).casefold().replace("_", " ")
    return " ".join(_WORD_CHARS.sub(" ", text).split())


def strip_marks(text: str) -> str:
    """Remove Vietnamese diacritics (đ → d) from normalised text."""
    text = text.replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def is_filler(word: str) -> bool:
    """Row numbers, borders and punctuation that surround a printed name."""
    w = normalise(word)
    return not w or not any(c.isalpha() for c in w)


def name_score(read: str, label: str) -> float:
    a, b = normalise(read), normalise(label)
    if not a:
        return 0.0
    return 0.5 * fuzz.ratio(a, b) + 0.5 * fuzz.ratio(strip_marks(a), strip_marks(b))


@dataclasses.dataclass(frozen=True)
class Match:
    candidate: int
    line: int
    start: int
    stop: int                 # words[start:stop] of the line
    score: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> Box:
        return Box(min(w.box.x0 for w in self.words), min(w.box.y0 for w in self.words),
                   max(w.box.x1 for w in self.words), max(w.box.y1 for w in self.words))


def overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box's area (0–1)."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / max(1, min(a.w * a.h, b.w * b.h))


def best_spans(label: str, lines: list[Line], candidate: int) -> list[Match]:
    """The best-scoring run of words on every line for one candidate, best first."""
    n = len(normalise(label).split())
    ends_in_note = is_filler(label.split()[-1])   # e.g. "Nguyễn Văn An (1970)"
    out = []
    for li, line in enumerate(lines):
        words = line.words
        best = None
        for length in range(max(1, n - T.SPAN_SLACK_WORDS), n + T.SPAN_SLACK_WORDS + 1):
            for start in range(0, len(words) - length + 1):
                span = words[start:start + length]
                if is_filler(span[0].text) or (is_filler(span[-1].text) and not ends_in_note):
                    continue
                sc = name_score(" ".join(w.text for w in span), label)
                if best is None or sc > best.score:
                    best = Match(candidate, li, start, start + length, sc, tuple(span))
        if best is not None and best.score >= T.MIN_NAME_SCORE * T.SPAN_KEEP_SHARE:
            out.append(best)
    return sorted(out, key=lambda m: -m.score)


def assign(labels: list[str], lines: list[Line]) -> tuple[dict[int, Match], list[int]]:
    """Give every candidate its own printed run of words, best scores first.

    Returns (matches by candidate, candidates not found).
    """
    options = [m for i, label in enumerate(labels) for m in best_spans(label, lines, i)
               if m.score >= T.MIN_NAME_SCORE]
    options.sort(key=lambda m: -m.score)
    taken: dict[int, Match] = {}
    used: list[Match] = []
    for m in options:
        if m.candidate in taken:
            continue
        if any(overlap(u.box, m.box) > T.SAME_PLACE_OVERLAP_SHARE for u in used):
            continue
        taken[m.candidate] = m
        used.append(m)
    missing = [i for i in range(len(labels)) if i not in taken]
    return taken, missing
