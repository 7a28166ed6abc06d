"""Find scan files and turn them into pages (uint8 grey arrays), one at a time.

Images (JPG, PNG, TIFF; the first page of a TIFF) are decoded from the bytes already read for
hashing, so no file is read or decoded twice. PDFs are rendered page by page with poppler
(pdf2image), never a whole PDF in memory. Every problem becomes a ``LoadError`` with a message for
the committee; the caller reports it and goes on with the next file.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

from .. import texts

IMAGE_EXTS = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"}
PDF_EXTS = {".pdf"}
PDF_DPI = 200                      # PDF pages are rendered at this resolution
MAX_PIXELS = 120_000_000           # larger images are refused (decompression bombs), px


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
    return data, hashlib.sha256(data).hexdigest()


def pdf_page_count(path: Path) -> int:
    from pdf2image import pdfinfo_from_path
    from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError
    try:
        return int(pdfinfo_from_path(str(path))["Pages"])
    except (PDFPageCountError, PDFSyntaxError, PDFInfoNotInstalledError, KeyError, ValueError) as ex:
        raise LoadError(texts.t("pdf_failed", error=str(ex).strip().splitlines()[-1] if str(ex).strip() else type(ex).__name__)) from None


def _check_size(w: int, h: int) -> None:
    if w * h > MAX_PIXELS:
        raise LoadError(texts.t("image_too_large", mp=w * h / 1e6, limit=MAX_PIXELS // 1_000_000))


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the image header without decoding the pixels, or None."""
    from PIL import Image
    import io
    try:
        with Image.open(io.BytesIO(data)) as im:
            return im.size
    except Exception:  # noqa: BLE001 - any header problem is a decode problem reported later
        return None


def decode_image(data: bytes) -> np.ndarray:
    """Decode image bytes to uint8 grey; LoadError if damaged or too large."""
    size = image_size(data)
    if size is not None:
        _check_size(*size)
    if not data:
        raise LoadError(texts.t("decode_failed"))
    try:
        grey = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    except cv2.error:
        grey = None
    if grey is None or grey.size == 0 or min(grey.shape) < 64:
        raise LoadError(texts.t("decode_failed"))
    return grey


def render_pdf_page(path: str, page: int) -> np.ndarray:
    """Render one page of a PDF to uint8 grey at PDF_DPI."""
    from pdf2image import convert_from_path
    try:
        imgs = convert_from_path(path, dpi=PDF_DPI, first_page=page, last_page=page, grayscale=True)
    except Exception as ex:  # noqa: BLE001 - poppler errors come in many types; all mean "cannot render"
        raise LoadError(texts.t("pdf_failed", error=str(ex).strip()[:200] or type(ex).__name__)) from None
    if not imgs:
        raise LoadError(texts.t("pdf_failed", error=f"page {page}"))
    im = imgs[0]
    _check_size(*im.size)
    return np.asarray(im.convert("L"))


def page_pixels(task: PageTask) -> np.ndarray:
    """The page of a task as uint8 grey."""
    if task.kind == "pdf":
        return render_pdf_page(task.source, task.page)
    return decode_image(task.data)


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
        n = pdf_page_count(f.path)
    except LoadError as ex:
        yield ex
        return
    have = done(sha)
    for p in range(1, n + 1):
        if p not in have:
            yield PageTask(str(f.path), p, sha, "pdf")


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1
