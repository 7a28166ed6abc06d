"""System fonts with Vietnamese glyphs: print faces, the seal's face and a handwriting face."""
from __future__ import annotations

import functools
import os
import sys

import numpy as np
from PIL import ImageFont

FONT_DIRS = ("/usr/share/fonts/truetype", "/usr/share/fonts/opentype")
SERIF_FONTS = {   # family -> (regular, bold)
    "serif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "liberation": ("liberation2/LiberationSerif-Regular.ttf", "liberation2/LiberationSerif-Bold.ttf"),
    "freeserif": ("freefont/FreeSerif.ttf", "freefont/FreeSerifBold.ttf"),
}
# Print faces of the stress matrix: face -> {weight: file}.  Every file covers Vietnamese (checked by
# face_fonts); "light" exists only where the family ships one.
FACES = {
    "dejavu-serif": {"regular": "dejavu/DejaVuSerif.ttf", "bold": "dejavu/DejaVuSerif-Bold.ttf"},
    "dejavu-serif-condensed": {"regular": "dejavu/DejaVuSerifCondensed.ttf",
                               "bold": "dejavu/DejaVuSerifCondensed-Bold.ttf"},
    "dejavu-sans": {"regular": "dejavu/DejaVuSans.ttf", "bold": "dejavu/DejaVuSans-Bold.ttf",
                    "light": "dejavu/DejaVuSans-ExtraLight.ttf"},
    "dejavu-sans-condensed": {"regular": "dejavu/DejaVuSansCondensed.ttf",
                              "bold": "dejavu/DejaVuSansCondensed-Bold.ttf"},
    "liberation-serif": {"regular": "liberation2/LiberationSerif-Regular.ttf",
                         "bold": "liberation2/LiberationSerif-Bold.ttf"},
    "liberation-sans": {"regular": "liberation2/LiberationSans-Regular.ttf",
                        "bold": "liberation2/LiberationSans-Bold.ttf"},
    "freeserif": {"regular": "freefont/FreeSerif.ttf", "bold": "freefont/FreeSerifBold.ttf"},
    "freesans": {"regular": "freefont/FreeSans.ttf", "bold": "freefont/FreeSansBold.ttf"},
}
SANS_BOLD_FONT = "dejavu/DejaVuSans-Bold.ttf"
HAND_FONT = "comic-neue/ComicNeue-Regular.otf"
HAND_FALLBACK_FONT = "dejavu/DejaVuSans-Oblique.ttf"
VIETNAMESE_PROBE = "Nguyễn Thị Hằng Đặng Ưng Ỷ ơờởỡợưừửữựậặểệịộụỵỷ"


def font_path(rel: str) -> str:
    """Absolute path of a system font given relative to a font directory."""
    for d in FONT_DIRS:
        p = os.path.join(d, rel)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(rel)


@functools.lru_cache(maxsize=256)
def load_font(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, max(4, int(size_px)))


@functools.lru_cache(maxsize=64)
def font_covers(path: str, text: str) -> bool:
    """True when every character of ``text`` has a real glyph (not .notdef) in the font."""
    f = load_font(path, 40)
    notdef = [np.asarray(f.getmask(c)).tobytes() for c in ("\U000F0000", "\u0378")]
    return all(c.isspace() or np.asarray(f.getmask(c)).tobytes() not in notdef for c in set(text))


def serif_fonts(family: str) -> tuple[str, str]:
    """(regular, bold) font paths for a serif family; falls back to DejaVu Serif when missing or
    lacking Vietnamese glyphs."""
    try:
        reg, bold = (font_path(p) for p in SERIF_FONTS[family])
        if font_covers(reg, VIETNAMESE_PROBE) and font_covers(bold, VIETNAMESE_PROBE):
            return reg, bold
    except (FileNotFoundError, KeyError):
        pass
    print(f"warning: font family {family!r} unavailable, using DejaVu Serif", file=sys.stderr)
    return font_path(SERIF_FONTS["serif"][0]), font_path(SERIF_FONTS["serif"][1])


def face_fonts(face: str, weight: str = "regular") -> tuple[str, str, str]:
    """(name font, bold font, regular font) paths of a print face; the name font has ``weight``
    ("regular", "bold" or "light", falling back to regular).  Raises when a file is missing or lacks
    Vietnamese glyphs: a stress page must never silently change its face."""
    files = FACES[face]
    paths = {w: font_path(f) for w, f in files.items()}
    for p in paths.values():
        if not font_covers(p, VIETNAMESE_PROBE):
            raise ValueError(f"{p} lacks Vietnamese glyphs")
    return paths.get(weight, paths["regular"]), paths["bold"], paths["regular"]


def hand_font_for(text: str) -> str:
    """Handwriting-like font: Comic Neue when it covers the text, else DejaVu Sans Oblique."""
    try:
        p = font_path(HAND_FONT)
        if font_covers(p, text):
            return p
    except FileNotFoundError:
        pass
    return font_path(HAND_FALLBACK_FONT)
