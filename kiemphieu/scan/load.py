"""Find scan files and turn them into pages (uint8 grey arrays), one at a time.

Images (JPG, PNG, TIFF; the first page of a TIFF) are decoded from the bytes already read for
hashing, so no file is read or decoded twice. PDFs are rendered page by page with poppler
(pdf2image), never a whole PDF in memory. Every problem becomes a ``LoadError`` with a message for
the committee; the caller reports it and goes on with the next file.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import re
import subprocess
import warnings
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

from .. import texts
from ..records import WORK_LONG_SIDE_PX

IMAGE_EXTS = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"}
PDF_EXTS = {".pdf"}
PDF_DPI = 200                      # PDF pages are rendered at this resolution
PDF_MAX_PAGES = 100_000            # pages listed by one pdfinfo call
PDF_TIMEOUT_S = 120                # one poppler call on one page or one file's page list
PT_PER_INCH = 72
MAX_PIXELS = 80_000_000            # larger pages are refused before decoding (A3 at 600 dpi is 70 MP), px
MIN_SIDE_PX = 64                   # smaller "images" are not scans
JPEG_EOI = b"\xff\xd9"             # a complete JPEG ends with this marker (padding may follow)
JPEG_TAIL_BYTES = 4096             # ...within this many bytes of the end
PNG_IEND = b"IEND"                 # a complete PNG ends with the IEND chunk
PNG_TAIL_BYTES = 64

# OpenCV and libpng print their own errors to the terminal; every problem here is reported by us.
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)


class LoadError(Exception):
    """A file or page that cannot be read; the message is for people."""


@dataclasses.dataclass(frozen=True)
class ScanFile:
    path: Path
    kind: str            # "image" or "pdf"


@dataclasses.dataclass
class PageTask:
    """One page to read: everything a worker needs, nothing it must look up."""
    source: str
    page: int
    file_sha256: str
    kind: str
    data: bytes | None = None    # image file bytes (images only)
    size_pt: tuple[float, float] | None = None    # PDF page size in points (PDF only)


def find_files(paths: list[str]) -> list[ScanFile]:
    """Files and folders (recursively, sorted) → scan files by extension; others are skipped."""
    out = []
    for p in map(Path, paths):
        items = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in items:
            ext = f.suffix.lower()
            if ext in IMAGE_EXTS:
                out.append(ScanFile(f, "image"))
            elif ext in PDF_EXTS:
                out.append(ScanFile(f, "pdf"))
            elif not p.is_dir():
                out.append(ScanFile(f, "unknown"))
    return out


def read_file(path: Path) -> tuple[bytes, str]:
    """The file's bytes and SHA-256; LoadError with a plain reason."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(texts.t("file_missing")) from None
    except PermissionError:
        raise LoadError(texts.t("file_permission")) from None
    except OSError as ex:
        raise LoadError(str(ex.strerror or ex)) from None
    if not data:
        raise LoadError(texts.t("file_empty"))
    return data, hashlib.sha256(data).hexdigest()


def pdf_page_sizes(path: Path) -> list[tuple[float, float]]:
    """The size in points of every page of a PDF (one ``pdfinfo`` call); LoadError if unreadable."""
    try:
        r = subprocess.run(["pdfinfo", "-f", "1", "-l", str(PDF_MAX_PAGES), str(path)], capture_output=True,
                           text=True, errors="replace", timeout=PDF_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as ex:
        raise LoadError(texts.t("pdf_failed", error=type(ex).__name__)) from None
    if r.returncode != 0:
        err = r.stderr.strip()
        if "password" in err.lower() or "encrypt" in err.lower():
            raise LoadError(texts.t("pdf_encrypted"))
        raise LoadError(texts.t("pdf_failed", error=(err.splitlines() or ["pdfinfo"])[-1][:200]))
    sizes = [(float(m[1]), float(m[2])) for m in re.finditer(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", r.stdout, re.M)]
    if not sizes:
        raise LoadError(texts.t("pdf_failed", error="0 pages"))
    return sizes


def pdf_page_count(path: Path) -> int:
    return len(pdf_page_sizes(path))


def _check_size(w: int, h: int) -> None:
    if w * h > MAX_PIXELS:
        raise LoadError(texts.t("image_too_large", mp=w * h / 1e6, limit=MAX_PIXELS // 1_000_000))


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the image header without decoding the pixels, or None."""
    from PIL import Image
    bomb_limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None   # our own limit is MAX_PIXELS
    try:
        with warnings.catch_warnings():          # a damaged header is reported by decode_image, not here
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as im:
                return im.size
    except Exception:  # noqa: BLE001 - any header problem is a decode problem reported later
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = bomb_limit


def _truncated(data: bytes) -> bool:
    """A JPEG or PNG whose end is missing (a cut-off copy or transfer)."""
    if data[:2] == b"\xff\xd8":
        return JPEG_EOI not in data[-JPEG_TAIL_BYTES:]
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG_IEND not in data[-PNG_TAIL_BYTES:]
    return False


def reduction(long_side_px: int) -> int:
    """1, 2 or 4: how much smaller a page can be decoded and still cover the template frame."""
    for r in (4, 2):
        if long_side_px >= r * WORK_LONG_SIDE_PX:
            return r
    return 1


_REDUCED = {1: cv2.IMREAD_GRAYSCALE, 2: cv2.IMREAD_REDUCED_GRAYSCALE_2, 4: cv2.IMREAD_REDUCED_GRAYSCALE_4}


def decode_image(data: bytes, reduce: bool = False) -> np.ndarray:
    """Decode image bytes to uint8 grey; LoadError if damaged or too large.

    With ``reduce``, a page at least twice the template frame is decoded at 1/2 or 1/4 size (JPEG
    decodes that directly, much faster); it is shrunk to the frame anyway when it is registered.
    """
    if not data:
        raise LoadError(texts.t("file_empty"))
    size = image_size(data)
    if size is not None:
        _check_size(*size)
    if _truncated(data):
        raise LoadError(texts.t("file_truncated"))
    flag = _REDUCED[reduction(max(size))] if reduce and size else cv2.IMREAD_GRAYSCALE
    try:
        grey = cv2.imdecode(np.frombuffer(data, np.uint8), flag)
    except cv2.error:
        grey = None
    if grey is None or grey.size == 0 or min(grey.shape[:2]) < MIN_SIDE_PX:
        raise LoadError(texts.t("decode_failed"))
    if grey.ndim != 2 or grey.dtype != np.uint8:
        grey = cv2.normalize(grey, None, 0, 255, cv2.NORM_MINMAX, dtype=cv2.CV_8U) if grey.ndim == 2 else None
        if grey is None:
            raise LoadError(texts.t("decode_failed"))
    _check_size(grey.shape[1], grey.shape[0])
    return grey


def render_pdf_page(path: str, page: int, size_pt: tuple[float, float] | None = None) -> np.ndarray:
    """Render one page of a PDF to uint8 grey at PDF_DPI with poppler's ``pdftoppm``.

    A page poppler reports errors on (a damaged image inside it) is refused, not counted half-drawn.
    """
    if size_pt is not None:
        _check_size(round(size_pt[0] * PDF_DPI / PT_PER_INCH), round(size_pt[1] * PDF_DPI / PT_PER_INCH))
    try:
        r = subprocess.run(["pdftoppm", "-r", str(PDF_DPI), "-gray", "-f", str(page), "-l", str(page), path],
                           capture_output=True, timeout=PDF_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as ex:
        raise LoadError(texts.t("pdf_failed", error=type(ex).__name__)) from None
    err = r.stderr.decode("utf-8", "replace").strip()
    if "password" in err.lower():
        raise LoadError(texts.t("pdf_encrypted"))
    errors = [x for x in err.splitlines() if "error" in x.lower() or "corrupt" in x.lower()]
    if r.returncode != 0 or errors or not r.stdout:
        raise LoadError(texts.t("pdf_page_damaged", error=((errors or err.splitlines() or ["pdftoppm"])[0])[:200]))
    grey = cv2.imdecode(np.frombuffer(r.stdout, np.uint8), cv2.IMREAD_UNCHANGED)
    if grey is None or grey.ndim != 2 or min(grey.shape) < MIN_SIDE_PX:
        raise LoadError(texts.t("pdf_page_damaged", error="pdftoppm"))
    return grey


def page_pixels(task: PageTask) -> np.ndarray:
    """The page of a task as uint8 grey."""
    if task.kind == "pdf":
        return render_pdf_page(task.source, task.page, task.size_pt)
    return decode_image(task.data, reduce=False)  # reduced decode: not yet measured against score.py


def page_hash(task: PageTask, grey: np.ndarray) -> str:
    """Content hash of a page: the file's hash for an image, the rendered pixels' for a PDF page."""
    if task.kind == "image":
        return task.file_sha256
    return hashlib.sha256(grey.tobytes()).hexdigest()


def tasks_for(f: ScanFile, done: "callable") -> Iterator[PageTask | LoadError]:
    """Page tasks of one file, skipping pages ``done(file_sha256)`` already holds; LoadErrors in line."""
    if f.kind == "unknown":
        yield LoadError(texts.t("not_a_file"))
        return
    try:
        data, sha = read_file(f.path)
        if f.kind == "image":
            if 1 not in done(sha):
                yield PageTask(str(f.path), 1, sha, "image", data)
            return
        sizes = pdf_page_sizes(f.path)
    except LoadError as ex:
        yield ex
        return
    have = done(sha)
    for p, size in enumerate(sizes, 1):
        if p not in have:
            yield PageTask(str(f.path), p, sha, "pdf", size_pt=size)


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1
