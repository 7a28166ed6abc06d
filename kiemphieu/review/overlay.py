"""Pictures for people: the layout found on the blank, and a ballot with its reading drawn over it (both
readers' side by side, ``readings_picture``).

Words come from ``texts`` in the current language; lines and letters are sized from the picture (a
share of its width, and of the printed names' height), so they can be seen without zooming.
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .. import texts
from ..records import AGREE, DISAGREE, EMPTY, MARKED, STANDING, STRUCK, UNCLEAR, VOID, Layout, PageReading

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
)
COLOURS = {  # RGB
    STANDING: (0, 130, 0), MARKED: (0, 130, 0), AGREE: (0, 130, 0),
    STRUCK: (190, 0, 0), EMPTY: (100, 100, 100), DISAGREE: (190, 0, 0), VOID: (150, 90, 0),
    UNCLEAR: (215, 95, 0),
}
# the layout picture
NAME_RGB, ROW_RGB, CORE_RGB, BOX_RGB, SEAL_RGB = (220, 0, 110), (0, 100, 230), (0, 150, 0), (0, 150, 0), (170, 0, 170)
LINE_SHARE = 1 / 400         # line width, of the picture's width
LABEL_SHARE = 0.5            # label letters, of the printed names' height
LEGEND_MARGIN_SHARE = 0.02   # space around the legend, of the picture's width


def font(size: int) -> ImageFont.ImageFont:
    for p in FONT_CANDIDATES:
        if Path(p).exists():
            return ImageFont.truetype(p, size)
    return ImageFont.load_default()


def _size(f: ImageFont.ImageFont) -> int:
    return int(getattr(f, "size", 12))


def _canvas(grey: np.ndarray) -> Image.Image:
    return Image.fromarray(cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB))


def _line_width(img: Image.Image) -> int:
    return max(2, round(img.width * LINE_SHARE))


def _label(d: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, rgb: tuple[int, int, int],
           f: ImageFont.ImageFont) -> None:
    """Text on a white band, so that it reads over print and pen."""
    x0, y0, x1, y1 = d.textbbox(xy, text, font=f)
    pad = max(2, (y1 - y0) // 6)
    d.rectangle([x0 - pad, y0 - pad, x1 + pad, y1 + pad], fill=(255, 255, 255, 215))
    d.text(xy, text, fill=rgb + (255,), font=f)


def _legend(img: Image.Image, d: ImageDraw.ImageDraw, entries: list[tuple[str, tuple[int, int, int], str]],
            below_y: int, f: ImageFont.ImageFont) -> None:
    """A legend box (swatch and words per entry) in the free space below ``below_y``, else at the top."""
    lw = _line_width(img)
    size = _size(f)
    line_h = int(size * 1.6)
    margin = round(img.width * LEGEND_MARGIN_SHARE)
    width = margin + size * 3 + max(d.textlength(words, font=f) for _, _, words in entries) + margin
    height = margin + line_h * (len(entries) + 1) + margin
    y0 = below_y + margin if img.height - below_y > height + 2 * margin else margin
    x0 = margin
    d.rectangle([x0, y0, x0 + width, y0 + height], fill=(255, 255, 255, 235), outline=(0, 0, 0, 255), width=lw)
    d.text((x0 + margin, y0 + margin), texts.t("pic_legend"), fill=(0, 0, 0, 255), font=f)
    for i, (shape, rgb, words) in enumerate(entries, start=1):
        y = y0 + margin + i * line_h
        sw = [x0 + margin, y + size * 0.15, x0 + margin + size * 2, y + size * 1.05]
        if shape == "fill":
            d.rectangle(sw, outline=rgb + (255,), width=lw, fill=rgb + (40,))
        elif shape == "line":
            mid = (sw[1] + sw[3]) / 2
            d.line([(sw[0], mid), (sw[2], mid)], fill=rgb + (255,), width=lw)
        elif shape == "circle":
            d.ellipse(sw, outline=rgb + (255,), width=lw)
        else:
            d.rectangle(sw, outline=rgb + (255,), width=lw)
        d.text((x0 + margin + size * 3, y), words, fill=(0, 0, 0, 255), font=f)


def layout_picture(frame: np.ndarray, layout: Layout) -> Image.Image:
    """The blank with every candidate's name, row and mark boxes drawn and labelled, and a legend."""
    img = _canvas(frame)
    d = ImageDraw.Draw(img, "RGBA")
    lw = _line_width(img)
    f = font(max(14, round(layout.text_height * LABEL_SHARE)))
    for s in layout.slots:
        d.rectangle(s.row.as_list(), outline=ROW_RGB + (255,), width=lw)
        d.rectangle(s.name.as_list(), outline=NAME_RGB + (255,), width=lw, fill=NAME_RGB + (30,))
        if layout.kind == "strike":
            for y in (s.core_y0, s.core_y1):
                d.line([(s.name.x0, y), (s.name.x1, y)], fill=CORE_RGB + (200,), width=max(1, lw // 2))
        for b in s.boxes:
            d.rectangle(b.as_list(), outline=BOX_RGB + (255,), width=lw)
    for s in layout.slots:   # labels last, over every line
        _label(d, (s.name.x0, s.name.y0 - _size(f) * 1.35),
               texts.t("pic_slot", n=s.index + 1, name=s.label, score=round(s.ocr_score)), NAME_RGB, f)
    if layout.seal:
        d.ellipse(layout.seal.as_list(), outline=SEAL_RGB + (255,), width=lw)
    entries = [("fill", NAME_RGB, texts.t("pic_legend_name")), ("box", ROW_RGB, texts.t("pic_legend_row"))]
    if layout.kind == "strike":
        entries.append(("line", CORE_RGB, texts.t("pic_legend_core")))
    if any(s.boxes for s in layout.slots):
        entries.append(("box", BOX_RGB, texts.t("pic_legend_boxes")))
    if layout.seal:
        entries.append(("circle", SEAL_RGB, texts.t("pic_legend_seal")))
    bottom = max([s.row.y1 for s in layout.slots] + [b.y1 for s in layout.slots for b in s.boxes] + [0])
    _legend(img, d, entries, bottom, f)
    return img


def _state_words(state: str, why: str) -> str:
    key = "web_state_" + state
    words = texts.t(key) if key in texts.TEXTS else state
    if why and "why_" + why in texts.TEXTS:
        words += " — " + texts.t("why_" + why)
    return words


def _draw_names(d: ImageDraw.ImageDraw, layout: Layout, names, lw: int, f, why: bool) -> list:
    """Each name framed in the colour of its state, with the state in words to the right of its boxes
    (``why``: and the reason of an unclear one). Returns (slot, reading, x of the words) per name drawn."""
    by_index = {n.index: n for n in names}
    drawn = []
    for s in layout.slots:
        n = by_index.get(s.index)
        if n is None:
            continue
        c = COLOURS.get(n.state, (0, 0, 255))
        d.rectangle(s.name.grow(3, 3).as_list(), outline=c + (255,), width=lw + (1 if n.state == UNCLEAR else 0),
                    fill=c + ((60,) if n.state == UNCLEAR else (25,)))
        x = max([s.name.x1] + [b.x1 for b in s.boxes]) + 2 * lw
        _label(d, (x, s.name.y0), _state_words(n.state, n.why if why else ""), c, f)
        drawn.append((s, n, x))
    return drawn


def reading_picture(page: np.ndarray, layout: Layout, reading: PageReading, title: str = "",
                    evidence: bool = True) -> Image.Image:
    """A registered ballot with each name's reading drawn over it; ``evidence``: the measures too (for
    ``inspect``; the review pages leave them out)."""
    img = _canvas(page)
    d = ImageDraw.Draw(img, "RGBA")
    lw = _line_width(img)
    f = font(max(14, round(layout.text_height * LABEL_SHARE)))
    small = font(max(11, layout.text_height // 3))
    for s, n, x in _draw_names(d, layout, reading.names, lw, f, why=True):
        ev = n.evidence
        if evidence and "cover" in ev:
            d.text((x, s.name.y0 + layout.text_height * 0.75),
                   f"cover {ev['cover']:.2f}  ink {ev['ink']:.2f}", fill=(60, 60, 60, 255), font=small)
    for b in reading.extra_writing:
        d.rectangle(b.grow(4, 4).as_list(), outline=(190, 0, 0, 255), width=lw + 1)
        _label(d, (b.x0, b.y1 + 4), texts.t("pic_writing"), (190, 0, 0), f)
    for b in reading.stray_marks:
        d.rectangle(b.grow(4, 4).as_list(), outline=(215, 95, 0, 255), width=lw)
    if title:
        _label(d, (10, 10), title, (0, 0, 0), f)
    return img


def second_picture(page: np.ndarray, layout: Layout, reading: PageReading, title: str = "") -> Image.Image:
    """A registered ballot with reader B's reading (``reading.second``) drawn over it: each name in the
    colour of B's state, and where B saw writing or could not tell."""
    img = _canvas(page)
    d = ImageDraw.Draw(img, "RGBA")
    lw = _line_width(img)
    f = font(max(14, round(layout.text_height * LABEL_SHARE)))
    b = reading.second
    _draw_names(d, layout, b.names if b is not None else [], lw, f, why=False)
    if b is not None:
        rgb = (190, 0, 0) if b.writing == "yes" else (215, 95, 0)
        for r in b.regions:
            d.rectangle(r.as_list(), outline=rgb + (255,), width=lw)
        if b.writing != "no":
            words = texts.t("pic_writing") if b.writing == "yes" else texts.t("pic_b_unsure")
            for r in b.regions[:1]:
                _label(d, (r.x0, r.y1 + 4), words, rgb, f)
    if title:
        _label(d, (10, 10), title, (0, 0, 0), f)
    return img


def readings_picture(page: np.ndarray, layout: Layout, reading: PageReading, title: str = "",
                     evidence: bool = True) -> Image.Image:
    """Reader A's reading (left, ``reading_picture``) and reader B's (right, ``second_picture``) side by
    side; reader A's alone when the page has no reading by reader B."""
    a = reading_picture(page, layout, reading, (title + " — " if title else "") + texts.t("pic_reader_a"), evidence)
    if reading.second is None:
        return a
    b = second_picture(page, layout, reading, texts.t("pic_reader_b"))
    gap = _line_width(a) * 4
    both = Image.new("RGB", (a.width + gap + b.width, max(a.height, b.height)), (255, 255, 255))
    both.paste(a, (0, 0))
    both.paste(b, (a.width + gap, 0))
    return both
