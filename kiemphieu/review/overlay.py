"""Pictures for people: the layout found on the blank, and a ballot with its reading drawn over it."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..records import STANDING, STRUCK, MARKED, EMPTY, UNCLEAR, Layout, PageReading

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
)
COLOURS = {  # RGB
    STANDING: (0, 150, 0), MARKED: (0, 150, 0), "agree": (0, 150, 0),
    STRUCK: (200, 0, 0), EMPTY: (120, 120, 120), "disagree": (200, 0, 0), "void": (200, 120, 0),
    UNCLEAR: (230, 120, 0),
}
LABELS = {STANDING: "bầu / vote", STRUCK: "gạch / struck", MARKED: "đánh dấu / marked", EMPTY: "trống / empty",
          UNCLEAR: "không rõ / unclear", "agree": "đồng ý", "disagree": "không đồng ý", "void": "không tính"}


def font(size: int) -> ImageFont.ImageFont:
    for p in FONT_CANDIDATES:
        if Path(p).exists():
            return ImageFont.truetype(p, size)
    return ImageFont.load_default()


def _canvas(grey: np.ndarray) -> Image.Image:
    return Image.fromarray(cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB))


def layout_picture(frame: np.ndarray, layout: Layout) -> Image.Image:
    """The blank with every candidate's box, row and mark boxes drawn and labelled."""
    img = _canvas(frame)
    d = ImageDraw.Draw(img, "RGBA")
    f = font(max(12, layout.text_height // 2))
    for s in layout.slots:
        d.rectangle(s.row.as_list(), outline=(0, 120, 255, 255), width=1)
        d.rectangle(s.name.as_list(), outline=(255, 0, 120, 255), width=2, fill=(255, 0, 120, 30))
        d.line([(s.name.x0, s.core_y0), (s.name.x1, s.core_y0)], fill=(0, 160, 0, 160))
        d.line([(s.name.x0, s.core_y1), (s.name.x1, s.core_y1)], fill=(0, 160, 0, 160))
        for b in s.boxes:
            d.rectangle(b.as_list(), outline=(0, 170, 0, 255), width=2)
        d.text((s.row.x1 + 6, s.name.y0), f"{s.index + 1}. {s.label}  (OCR {s.ocr_score:.0f})", fill=(255, 0, 120, 255), font=f)
    if layout.seal:
        d.ellipse(layout.seal.as_list(), outline=(200, 0, 200, 255), width=2)
    return img


def reading_picture(page: np.ndarray, layout: Layout, reading: PageReading, title: str = "") -> Image.Image:
    """A registered ballot with each name's reading and evidence drawn over it."""
    img = _canvas(page)
    d = ImageDraw.Draw(img, "RGBA")
    f = font(max(12, layout.text_height // 2))
    small = font(max(10, layout.text_height // 3))
    by_index = {n.index: n for n in reading.names}
    for s in layout.slots:
        n = by_index.get(s.index)
        if n is None:
            continue
        c = COLOURS.get(n.state, (0, 0, 255))
        d.rectangle(s.name.grow(3, 3).as_list(), outline=c + (255,), width=3,
                    fill=c + ((60,) if n.state == UNCLEAR else (25,)))
        ev = n.evidence
        text = LABELS.get(n.state, n.state) + (f" — {n.why}" if n.why else "")
        d.text((s.row.x1 + 6, s.name.y0), text, fill=c + (255,), font=f)
        if "cover" in ev:
            d.text((s.row.x1 + 6, s.name.y0 + layout.text_height * 0.6),
                   f"cover {ev['cover']:.2f}  ink {ev['ink']:.2f}", fill=(60, 60, 60, 255), font=small)
    for b in reading.extra_writing:
        d.rectangle(b.grow(4, 4).as_list(), outline=(200, 0, 0, 255), width=3)
        d.text((b.x0, b.y1 + 4), "viết thêm / writing", fill=(200, 0, 0, 255), font=f)
    for b in reading.stray_marks:
        d.rectangle(b.grow(4, 4).as_list(), outline=(230, 120, 0, 255), width=2)
    if title:
        d.text((10, 10), title, fill=(0, 0, 0, 255), font=f)
    return img
