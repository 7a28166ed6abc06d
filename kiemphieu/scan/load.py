"""Find scan files and turn them into pages (uint8 grey arrays), one at a time.

Images (JPG/JFIF, PNG, TIFF, BMP, WebP, GIF, HEIC/HEIF, AVIF) are decoded from the bytes already read
for hashing, so no file is read twice; every page of a multi-page TIFF (every frame of a GIF, WebP or
HEIF) is a page of its own, numbered like the pages of a PDF. PDFs are rendered page by page with
poppler's ``pdftoppm`` (one page per call, never a whole PDF in memory) and their page sizes read once
per file with ``pdfinfo``. poppler is called directly, not through pdf2image: a page whose embedded
image is damaged renders half-drawn with only "Corrupt JPEG data" on stderr, which pdf2image (even with
``strict=True``, which looks for "Syntax Error") passes as a good page — measured 2026-12-02. Every
problem becomes a ``LoadError`` with a message for the committee; the caller reports it and goes on with
the next file.

In a folder, a file is a scan by its name (``IMAGE_EXTS``, ``PDF_EXTS``). Anything else is looked at:
a file whose content is an image or a PDF under another name is refused with the name it should have
(a ballot is never counted, nor skipped, on a guess); a file that is not an image (notes, a sidecar
.txt, Thumbs.db, macOS ``._`` files) is ignored and listed; a link to nothing, a pipe, a socket, a
device or a folder that cannot be opened is refused, never skipped in silence.

A JPEG damaged inside (garbage or zeros over part of its data) still decodes, libjpeg filling in what
it cannot read with only a warning on stderr: such a page is refused too, found by a check of the
JPEG's markers before decoding and by libjpeg's own warning during it (``jpeg_fault``,
``_imdecode_jpeg``). Damage that leaves both intact (a flipped bit) cannot be told from a real scan.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import re
import stat
import subprocess
import tempfile
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

import cv2
import numpy as np

from .. import texts

if TYPE_CHECKING:
    from PIL import Image

IMAGE_EXTS = {".jpg", ".jpeg", ".jpe", ".jfif", ".jfi", ".png", ".tif", ".tiff", ".bmp", ".dib", ".webp", ".gif",
              ".heic", ".heif", ".hif", ".avif"}
PDF_EXTS = {".pdf"}
SNIFF_BYTES = 1024                 # bytes read to tell a file's kind by its content (a PDF header may start late)
# The extension to give a file of each kind (sniff), for the message when it has another one.
EXT_OF_KIND = {"jpeg": "jpg", "png": "png", "tiff": "tif", "bmp": "bmp", "webp": "webp", "gif": "gif", "heif": "heic",
               "avif": "avif", "pdf": "pdf"}
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
AVIF_BRANDS = {b"avif", b"avis"}
APPLEDOUBLE = b"\x00\x05\x16\x07"   # macOS metadata beside a file copied from a Mac ("._x.jpg")
PDF_DPI = 200                      # PDF pages are rendered at this resolution
PDF_MAX_PAGES = 100_000            # pages listed by one pdfinfo call
PDF_TIMEOUT_S = 120                # one poppler call on one page or one file's page list
PT_PER_INCH = 72
MAX_PIXELS = 80_000_000            # larger pages are refused before decoding (A3 at 600 dpi is 70 MP), px
MIN_SIDE_PX = 64                   # smaller "images" are not scans
COLOUR_MIN_SIDE_PX = 400           # the reduced colour decode (``page_colour``) keeps at least this many px on the
#                                    page's longer side: JPEG decodes 1/2, 1/4, 1/8 in the DCT, cheaply
COLOUR_REDUCED = ((8, cv2.IMREAD_REDUCED_COLOR_8), (4, cv2.IMREAD_REDUCED_COLOR_4), (2, cv2.IMREAD_REDUCED_COLOR_2))
COLOUR_MODES = ("RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "P", "PA", "LAB", "HSV")   # Pillow modes holding colour
JPEG_SOI = b"\xff\xd8"             # every JPEG starts with this marker
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_IEND = b"IEND"                 # a complete PNG ends with the IEND chunk
PNG_TAIL_BYTES = 64                # ...within this many bytes of the end
# JPEG marker codes, the byte after 0xFF (ITU-T T.81, table B.1)
_TEM, _SOI, _EOI, _SOS, _DRI = 0x01, 0xD8, 0xD9, 0xDA, 0xDD
_RST0, _RST7 = 0xD0, 0xD7
_FIRST_SEGMENT_MARKER = 0xC0       # no marker below this exists in a JPEG (but TEM)
_SOF_DCT = frozenset({0xC0, 0xC1, 0xC2, 0xC9, 0xCA})                    # frames coded in 8×8 blocks
_SOF_OTHER = frozenset({0xC3, 0xC5, 0xC6, 0xC7, 0xCB, 0xCD, 0xCE, 0xCF})  # lossless, hierarchical
JPEG_BLOCK_PX = 8
# libjpeg's warnings about the data itself (jerror.h: JWRN_HIT_MARKER, JWRN_EXTRANEOUS_DATA,
# JWRN_MUST_RESYNC, JWRN_HUFF_BAD_CODE, JWRN_JPEG_EOF…); it decodes past them, filling in grey.
LIBJPEG_DAMAGE = (b"Corrupt JPEG data", b"Premature end of JPEG file")

# OpenCV and libpng print their own errors to the terminal; every problem here is reported by us.
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)


class LoadError(Exception):
    """A file or page that cannot be read; the message is for people."""


@dataclasses.dataclass(frozen=True)
class ScanFile:
    path: Path
    kind: str            # "image", "pdf", "unknown" (given by name, not a scan) or "refused"
    why: str = ""        # "refused": the message


@dataclasses.dataclass
class PageTask:
    """One page to read: everything a worker needs, nothing it must look up."""
    source: str
    page: int
    file_sha256: str
    kind: str
    data: bytes | None = None    # image file bytes (images only)
    size_pt: tuple[float, float] | None = None    # PDF page size in points (PDF only)
    frames: int = 1              # pages in the image file (a multi-page TIFF: more than one)


def sniff(head: bytes) -> str | None:
    """The kind of a file from its first bytes: a key of EXT_OF_KIND, or None if it is no image or PDF."""
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == PNG_SIGNATURE:
        return "png"
    if head[:4] in (b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"):
        return "tiff"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:2] == b"BM" and len(head) >= 26 and head[6:10] == bytes(4):     # reserved bytes are zero
        return "bmp"
    if head[4:8] == b"ftyp" and len(head) >= 12:
        size = int.from_bytes(head[:4], "big")
        brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
        if brands & AVIF_BRANDS:
            return "avif"
        if brands & HEIF_BRANDS:
            return "heif"
        return None
    if b"%PDF-" in head[:SNIFF_BYTES]:
        return "pdf"
    return None


def _classify(f: Path, in_folder: bool) -> ScanFile | None:
    """What one directory entry (or a path given) is; None for a file in a folder that is not a scan."""
    try:
        st = f.stat()
    except FileNotFoundError:
        return ScanFile(f, "refused", texts.t("file_dangling_link" if f.is_symlink() else "file_missing"))
    except OSError as ex:
        return ScanFile(f, "refused", texts.t("file_permission") if isinstance(ex, PermissionError)
                        else str(ex.strerror or ex))
    if not stat.S_ISREG(st.st_mode):
        return ScanFile(f, "refused", texts.t("file_not_regular"))
    ext = f.suffix.lower()
    if f.name.startswith("._"):           # macOS metadata, whatever its extension
        if _head(f)[:4] == APPLEDOUBLE:
            return None
    if ext in IMAGE_EXTS:
        return ScanFile(f, "image")
    if ext in PDF_EXTS:
        return ScanFile(f, "pdf")
    kind = sniff(_head(f))
    if kind is not None:
        return ScanFile(f, "refused", texts.t("file_odd_extension", kind=kind.upper(), ext=ext or texts.t("no_ext"),
                                              good=EXT_OF_KIND[kind]))
    return None if in_folder else ScanFile(f, "unknown")


def _head(f: Path) -> bytes:
    """The first SNIFF_BYTES of a regular file (b"" if it cannot be read: reading it later says why)."""
    try:
        with f.open("rb") as fh:
            return fh.read(SNIFF_BYTES)
    except OSError:
        return b""


def _walk(top: Path) -> Iterator[tuple[Path, OSError | None]]:
    """Every entry below ``top`` that is not a folder (links to folders followed, each folder once), and
    every folder that cannot be listed, with its error."""
    seen: set[tuple[int, int]] = set()
    errors: list[OSError] = []
    for root, dirs, files in os.walk(top, onerror=errors.append, followlinks=True):
        while errors:
            ex = errors.pop()
            yield Path(ex.filename or root), ex
        try:
            st = os.stat(root)
        except OSError as ex:                    # removed while it was being listed
            yield Path(root), ex
            continue
        if (st.st_dev, st.st_ino) in seen:       # a link back up the tree: its files are listed already
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        for name in files:
            yield Path(root) / name, None
    for ex in errors:
        yield Path(ex.filename or top), ex


def find_files(paths: list[str], ignored: list[Path] | None = None) -> list[ScanFile]:
    """Files and folders (recursively, sorted) → scan files, and refusals for what cannot be read.

    Files in folders that are not images or PDFs by name or content are left out, and added to
    ``ignored`` when it is given."""
    out = []
    for p in map(Path, paths):
        if not p.is_dir():
            out.append(_classify(p, in_folder=False))
            continue
        found = []
        for f, ex in _walk(p):
            if ex is not None:
                found.append(ScanFile(f, "refused", texts.t("folder_unreadable", error=ex.strerror or ex)))
            elif (sf := _classify(f, in_folder=True)) is not None:
                found.append(sf)
            elif ignored is not None:
                ignored.append(f)
        out += sorted(found, key=lambda sf: sf.path)
    return out


def read_file(path: Path) -> tuple[bytes, str]:
    """The file's bytes and SHA-256; LoadError with a plain reason (a pipe or a device is never read)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise LoadError(texts.t("file_not_regular"))
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(texts.t("file_dangling_link" if path.is_symlink() else "file_missing")) from None
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
    sizes = [
        (float(m[1]), float(m[2])) for m in re.finditer(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", r.stdout, re.M)
    ]
    if not sizes:
        raise LoadError(texts.t("pdf_failed", error="0 pages"))
    return sizes


def pdf_page_count(path: Path) -> int:
    return len(pdf_page_sizes(path))


def _check_size(w: int, h: int) -> None:
    if w * h > MAX_PIXELS:
        raise LoadError(texts.t("image_too_large", mp=w * h / 1e6, limit=MAX_PIXELS // 1_000_000))


@contextlib.contextmanager
def _pil_image(data: bytes) -> Iterator[Image.Image]:
    """The image in ``data`` opened by Pillow (HEIF through pillow-heif, registered on first use), with
    Pillow's own pixel limit off (ours is MAX_PIXELS, checked by the caller) and its warnings silent."""
    from PIL import Image
    if sniff(data[:SNIFF_BYTES]) == "heif":
        _register_heif()
    bomb_limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as im:
                yield im
    finally:
        Image.MAX_IMAGE_PIXELS = bomb_limit


def _register_heif() -> None:
    """Let Pillow open HEIC/HEIF (pillow-heif; imported only when such a file is seen: ~0.1 s)."""
    try:
        import pillow_heif
    except ImportError:            # not installed: the file is reported as one that cannot be decoded
        return
    pillow_heif.register_heif_opener()


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the image header without decoding the pixels, or None."""
    try:
        with _pil_image(data) as im:
            return im.size
    except Exception:  # noqa: BLE001 - any header problem is a decode problem reported later
        return None


def image_frames(data: bytes) -> int:
    """How many pages an image file holds (a multi-page TIFF, an animated GIF or WebP, a HEIF with
    several images): each is read as a page. A JPEG is one page: the pictures a camera adds after the
    first (MPF: a depth or gain map) are not pages. 1 when the header cannot be read (the decode says why)."""
    if data[:2] == JPEG_SOI:
        return 1
    try:
        with _pil_image(data) as im:
            return max(1, int(getattr(im, "n_frames", 1)))
    except Exception:  # noqa: BLE001 - reported when the page is decoded
        return 1


def _pil_grey(im: Image.Image) -> np.ndarray:
    """A Pillow image (its current frame) as uint8 grey: transparent parts on white, 16-bit stretched."""
    from PIL import Image
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(im)
        return cv2.normalize(arr.astype(np.float32), None, 0, 255, cv2.NORM_MINMAX, dtype=cv2.CV_8U)
    if "A" in im.mode or "transparency" in im.info:
        rgba = im.convert("RGBA")
        im = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    return np.asarray(im.convert("L"))


def _decode_frame(data: bytes, page: int) -> np.ndarray:
    """Page ``page`` (1-based) of an image file decoded by Pillow, turned upright by its EXIF orientation
    as OpenCV does for the first page; LoadError if it is missing, damaged or too large."""
    from PIL import ImageOps
    try:
        with _pil_image(data) as im:
            n = int(getattr(im, "n_frames", 1))
            if page > n:
                raise LoadError(texts.t("page_missing", page=page, n=n))
            im.seek(page - 1)
            _check_size(*im.size)
            im.load()
            return _pil_grey(ImageOps.exif_transpose(im))
    except LoadError:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for damaged data
        raise LoadError(texts.t("decode_failed")) from None


def _jpeg_markers(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets and codes of every 0xFF that starts a marker: not 0x00 (a data byte 0xFF), not 0xFF (fill)."""
    ff = np.flatnonzero(buf[:-1] == 0xFF)
    code = buf[ff + 1]
    keep = (code != 0x00) & (code != 0xFF)
    return ff[keep], code[keep]


def _jpeg_frame(seg: np.ndarray) -> tuple[int, int, dict[int, tuple[int, int]]] | None:
    """(height, width, {component id: (h, v) sampling}) from an SOF payload; None if malformed."""
    if len(seg) < 6 or len(seg) != 6 + 3 * int(seg[5]):
        return None
    comps = {int(seg[6 + 3 * i]): (int(seg[7 + 3 * i]) >> 4, int(seg[7 + 3 * i]) & 15) for i in range(seg[5])}
    if not comps or any(not (1 <= h <= 4 and 1 <= v <= 4) for h, v in comps.values()):
        return None
    return int(seg[1]) << 8 | int(seg[2]), int(seg[3]) << 8 | int(seg[4]), comps


def _ceil_div(a: int, b: int) -> int:
    """a / b rounded up, for non-negative integers."""
    return -(-a // b)


def _jpeg_scan_mcus(frame: tuple[int, int, dict[int, tuple[int, int]]], seg: np.ndarray) -> int | None:
    """How many MCUs the scan of an SOS payload codes (T.81 A.2); None if that cannot be told."""
    height, width, comps = frame
    ns = int(seg[0]) if len(seg) else 0
    ids = [int(seg[1 + 2 * i]) for i in range(ns)] if len(seg) == 4 + 2 * ns else []
    if not ids or any(c not in comps for c in ids) or height == 0:     # height 0: given later by DNL
        return None
    hmax, vmax = max(h for h, _ in comps.values()), max(v for _, v in comps.values())
    if len(ids) == 1:                      # a non-interleaved scan: one block of one component per MCU
        h, v = comps[ids[0]]
        return (_ceil_div(_ceil_div(width * h, hmax), JPEG_BLOCK_PX)
                * _ceil_div(_ceil_div(height * v, vmax), JPEG_BLOCK_PX))
    return _ceil_div(width, JPEG_BLOCK_PX * hmax) * _ceil_div(height, JPEG_BLOCK_PX * vmax)


def _jpeg_restarts_ok(codes: np.ndarray, interval: int, mcus: int | None) -> bool:
    """The RST markers of one scan: RST0, RST1 … RST7, RST0 …, one after every ``interval`` MCUs."""
    if interval == 0:
        return len(codes) == 0
    if np.any(codes != _RST0 + np.arange(len(codes)) % 8):
        return False
    if mcus is None:
        return True
    expected = _ceil_div(mcus, interval) - 1
    return len(codes) in (expected, expected + 1)      # an RST after the last MCU is harmless


def _jpeg_scan_end(marks: tuple[np.ndarray, np.ndarray], not_rst: np.ndarray, start: int, interval: int,
                   mcus: int | None) -> int | None:
    """Offset of the marker that ends the entropy-coded data from ``start``; None if the data runs
    to the end of the file or its restart markers are missing, extra or out of order."""
    pos, code = marks
    k = int(np.searchsorted(pos, start))
    j = int(np.searchsorted(not_rst, k))          # the first marker from there on that is not an RST
    if j == len(not_rst) or not _jpeg_restarts_ok(code[k:not_rst[j]], interval, mcus):
        return None
    return int(pos[not_rst[j]])


def _jpeg_break(buf: np.ndarray, marks: tuple[np.ndarray, np.ndarray]) -> int | None:
    """Follow a JPEG's segments and scans from SOI to EOI; None if all is in place, else the offset
    where the structure breaks. Segment payloads (an EXIF thumbnail…) are skipped by their length."""
    pos_all, code_all = marks
    not_rst = np.flatnonzero((code_all < _RST0) | (code_all > _RST7))
    pos, frame, dct, interval = len(JPEG_SOI), None, False, 0
    while True:
        k = int(np.searchsorted(pos_all, pos))
        if k == len(pos_all):
            return pos
        at, code = int(pos_all[k]), int(code_all[k])
        if at > pos and np.any(buf[pos:at] != 0xFF):         # bytes where a marker should be
            return pos
        if code == _EOI:
            return None
        if code == _TEM or _RST0 <= code <= _RST7:           # no payload; libjpeg skips them here
            pos = at + 2
            continue
        end = at + 2 + (int(buf[at + 2]) << 8 | int(buf[at + 3])) if at + 4 <= len(buf) else -1
        if code < _FIRST_SEGMENT_MARKER or code == _SOI or end < at + 4 or end > len(buf):
            return at
        seg = buf[at + 4:end]
        if code in _SOF_DCT or code in _SOF_OTHER:
            frame, dct = _jpeg_frame(seg), code in _SOF_DCT
            if frame is None:
                return at
        elif code == _DRI:
            if len(seg) != 2:
                return at
            interval = int(seg[0]) << 8 | int(seg[1])
        elif code == _SOS:
            scan_end = None if frame is None else _jpeg_scan_end(
                marks, not_rst, end, interval, _jpeg_scan_mcus(frame, seg) if dct else None)
            if scan_end is None:
                return end
            end = scan_end
        pos = end


def jpeg_fault(data: bytes) -> str | None:
    """What is wrong with a JPEG's structure, as a ``texts`` key, or None if nothing is.

    "file_truncated" if the end is missing; "jpeg_damaged" if the markers are broken: inside the
    entropy-coded data every 0xFF must be followed by 0x00 or by the next RST marker in turn, so
    garbage written over the data is caught when it holds any other 0xFF pair (a run of random bytes
    more often than not; a run of zeros or a flipped bit never, unless it hits a marker). A single
    pass of numpy over the bytes: about 0.07 ms per 100 kB.
    """
    buf = np.frombuffer(data, np.uint8)
    marks = _jpeg_markers(buf)
    broken = _jpeg_break(buf, marks)
    if broken is None:
        return None
    pos, code = marks
    return "jpeg_damaged" if np.any(code[np.searchsorted(pos, broken):] == _EOI) else "file_truncated"


def _structure_fault(data: bytes) -> str | None:
    """A ``texts`` key if a JPEG's structure is broken or a PNG's end is missing, else None."""
    if data[:2] == JPEG_SOI:
        return jpeg_fault(data)
    if data[:8] == PNG_SIGNATURE and PNG_IEND not in data[-PNG_TAIL_BYTES:]:
        return "file_truncated"
    return None


# libjpeg prints a warning when it decodes past corrupt data (fprintf to stderr) and OpenCV neither
# raises nor logs it: fd 2 is pointed at a scratch file during a JPEG decode and read back. fd 2 is
# the whole process's, so JPEG decodes take turns (a warning is never credited to another thread's
# page) and anything else written meanwhile, say another thread's log line, is passed on.
_decode_lock = threading.Lock()
_scratch: IO[bytes] | None = None       # this process's scratch file, made on first use


def _after_fork_in_child() -> None:
    """A forked child gets its own lock (the parent's may be held) and its own scratch file."""
    global _decode_lock, _scratch
    _decode_lock, _scratch = threading.Lock(), None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _imdecode(data: bytes, flag: int) -> np.ndarray | None:
    """cv2.imdecode; None where it fails or raises."""
    try:
        return cv2.imdecode(np.frombuffer(data, np.uint8), flag)
    except cv2.error:
        return None


def _read_back(fd: int) -> bytes:
    """Everything written to the scratch file since it was emptied."""
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    out = b""
    while len(out) < size and (chunk := os.read(fd, size - len(out))):
        out += chunk
    return out


def _imdecode_jpeg(data: bytes, flag: int) -> tuple[np.ndarray | None, bool]:
    """cv2.imdecode of a JPEG, and whether libjpeg warned that its data is corrupt."""
    global _scratch
    with _decode_lock:
        try:
            _scratch = _scratch or tempfile.TemporaryFile()
            fd = _scratch.fileno()
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            saved = os.dup(2)
        except OSError:                     # no fd 2 to redirect (closed): the warning cannot be seen
            return _imdecode(data, flag), False
        try:
            os.dup2(fd, 2)
            grey = _imdecode(data, flag)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        said = _read_back(fd).splitlines(keepends=True)
    others = b"".join(x for x in said if not any(w in x for w in LIBJPEG_DAMAGE))
    if others:
        try:
            os.write(2, others)
        except OSError:
            pass
    return grey, len(others) < sum(map(len, said))


def decode_image(data: bytes, page: int = 1) -> np.ndarray:
    """Decode page ``page`` of image bytes to uint8 grey; LoadError if damaged or too large.

    A JPEG with broken markers, or whose data libjpeg found corrupt while decoding it, is damaged.
    OpenCV decodes the first page of every format it knows and turns it upright by its EXIF
    orientation; later pages of a multi-page file, and HEIF/AVIF, are decoded by Pillow.
    """
    if not data:
        raise LoadError(texts.t("file_empty"))
    size = image_size(data)
    if size is not None:
        _check_size(*size)
    fault = _structure_fault(data)
    if fault:
        raise LoadError(texts.t(fault))
    if page > 1 or sniff(data[:SNIFF_BYTES]) in ("heif", "avif"):
        grey = _decode_frame(data, page)
    else:
        flag = cv2.IMREAD_GRAYSCALE
        grey, corrupt = _imdecode_jpeg(data, flag) if data[:2] == JPEG_SOI else (_imdecode(data, flag), False)
        if corrupt:
            raise LoadError(texts.t("jpeg_damaged"))
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
    return decode_image(task.data, page=task.page)


def page_colour(task: PageTask) -> np.ndarray | None:
    """The page of a task in colour at reduced resolution (uint8 BGR, the longer side at least
    ``COLOUR_MIN_SIDE_PX`` when the page is that large: a JPEG is reduced 2, 4 or 8 times in its own decode,
    other formats are decoded whole and shrunk), for what only colour shows (``detect.note``). None for a
    file without colour (grey, 1-bit), a PDF, a later page of a multi-page file, or one that does not
    decode: the grey page is read as ever. Called after ``page_pixels`` found the file sound."""
    if task.kind != "image" or task.page != 1 or not task.data:
        return None
    try:
        with _pil_image(task.data) as im:
            if im.mode not in COLOUR_MODES:
                return None
            size = max(im.size)
    except Exception:  # noqa: BLE001 - no header Pillow reads: no colour to look at
        return None
    jpeg = task.data[:2] == JPEG_SOI
    for k, flag in COLOUR_REDUCED:  # noqa: B007 - the reduction chosen is used after the loop
        if size // k >= COLOUR_MIN_SIDE_PX:
            break
    else:
        k, flag = 1, cv2.IMREAD_COLOR
    if jpeg:
        return _imdecode(task.data, flag)
    img = _imdecode(task.data, cv2.IMREAD_COLOR)
    if img is None or k == 1:
        return img
    return cv2.resize(img, (-(-img.shape[1] // k), -(-img.shape[0] // k)), interpolation=cv2.INTER_AREA)


def page_hash(task: PageTask, grey: np.ndarray) -> str:
    """Content hash of a page: the file's hash for a one-page image, the pixels' for a PDF page or a
    page of a multi-page image."""
    if task.kind == "image" and task.frames == 1 and task.page == 1:
        return task.file_sha256
    return hashlib.sha256(grey.tobytes()).hexdigest()


def tasks_for(f: ScanFile, done: callable) -> Iterator[PageTask | LoadError]:
    """Page tasks of one file, skipping pages ``done(file_sha256)`` already holds; LoadErrors in line."""
    if f.kind == "unknown":
        yield LoadError(texts.t("not_a_file"))
        return
    if f.kind == "refused":
        yield LoadError(f.why)
        return
    try:
        data, sha = read_file(f.path)
        if f.kind == "image":
            frames = image_frames(data)
            have = done(sha)
            for p in range(1, frames + 1):
                if p not in have:
                    yield PageTask(str(f.path), p, sha, "image", data, frames=frames)
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
