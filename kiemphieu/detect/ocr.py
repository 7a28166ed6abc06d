"""Tesseract OCR of a blank ballot: words with their boxes, grouped into printed lines.

OCR runs once per layout (``kiemphieu new``), never per ballot. Table borders confuse Tesseract's
page segmentation, so long straight rules are erased before OCR.
"""
from __future__ import annotations

import dataclasses
import os

import cv2
import numpy as np
import pytesseract

from ..records import Box
from . import thresholds as T

OCR_LANG = "vie"                 # never "vie+eng": eng strips the diacritics
# The passes tried in turn until every name is found: (Tesseract page segmentation mode: auto, sparse text;
# whether the page is denoised by a median filter first). The median restores names on noisy scans but
# erases print whose strokes are thinner than its window (a light face at 200 dpi: 1 px stems): such a blank
# is read as it is.
OCR_PASSES = ((3, True), (11, True), (3, False), (11, False))


class OcrUnavailable(RuntimeError):
    """Tesseract or its Vietnamese data is missing."""


@dataclasses.dataclass(frozen=True)
class Word:
    text: str
    box: Box          # in the caller's frame
    conf: float


@dataclasses.dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def erase_rules(grey: np.ndarray, denoise: bool = True) -> np.ndarray:
    """Binarise (Otsu; after a median filter of ``OCR_DENOISE_OCR_PX`` when ``denoise``) and erase long
    horizontal and vertical rules; returns black text on white."""
    blur = cv2.medianBlur(grey, T.OCR_DENOISE_OCR_PX) if denoise else grey
    ink = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    n = max(T.OCR_RULE_MIN_OCR_PX, int(T.OCR_RULE_MIN_SHARE * grey.shape[1]))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, n)))
    k = 2 * T.OCR_RULE_WIDEN_OCR_PX + 1
    rules = cv2.dilate(horiz | vert, np.ones((k, k), np.uint8))
    return 255 - (ink & ~rules)


def check_tesseract() -> None:
    try:
        langs = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError) as ex:
        raise OcrUnavailable(str(ex)) from None
    if OCR_LANG not in langs:
        raise OcrUnavailable(f"Tesseract language '{OCR_LANG}' is not installed")


def read_lines(grey: np.ndarray, psm: int, denoise: bool = True) -> list[Line]:
    """OCR a uint8 grey page (``erase_rules`` first); boxes come back in the frame of ``grey``."""
    s = min(1.0, T.OCR_LONG_SIDE_PX / max(grey.shape))
    img = cv2.resize(grey, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else grey
    clean = erase_rules(img, denoise)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        data = pytesseract.image_to_data(clean, lang=OCR_LANG, config=f"--psm {psm}",
                                         output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError as ex:
        raise OcrUnavailable(str(ex)) from None
    lines: dict[tuple, list[Word]] = {}
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text:
            continue
        x, y, w, h = (data[k][i] for k in ("left", "top", "width", "height"))
        box = Box(int(x / s), int(y / s), int((x + w) / s), int((y + h) / s))
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(Word(text, box, float(data["conf"][i])))
    return [Line(tuple(sorted(ws, key=lambda w: w.box.x0))) for ws in lines.values()]
