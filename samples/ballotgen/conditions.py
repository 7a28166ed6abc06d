"""The stress matrix: the conditions of a count (its printed blank) and of each page, drawn at random
from wide ranges so that no constant can be fitted to one look.

A count's conditions (``draw_blank``) are the print: ballot kind, Party or state form, paper size and
colour, typeface and weight, name size, row height, layout, "Ông"/"Bà", duplicate names, the seal's
size and ink.  A page's conditions (``draw_page``) are what happened to that sheet: the voter's case,
where and how the seal was stamped, the pen and the strike style, folds, a note lying on it, and how it
was captured (``scanner``, ``phone`` or ``bilevel``) with that capture's settings.  Both are plain
JSON-able dicts; ``page.render_page`` turns them into an image and its truth.
"""
from __future__ import annotations

import numpy as np

from .fonts import FACES

KINDS = {"strike": 0.5, "mark": 0.25, "approve": 0.25}
LAYOUTS = {"strike": {"table": 0.4, "list": 0.35, "twocol": 0.25},
           "mark": {"table": 0.45, "list": 0.35, "twocol": 0.2},
           "approve": {"table": 0.6, "list": 0.4}}
PAPER_RGB = {"white": (252, 252, 250), "pink": (250, 221, 228), "light-blue": (217, 233, 250),
             "light-yellow": (252, 245, 200), "light-green": (220, 244, 220)}
NAME_PT = (10.0, 16.0)              # printed name size, points
NAME_PT_A5 = (10.0, 13.0)
ROW_MM = (6.0, 12.0)                # row height asked for (shrunk when the list would not fit)
SEAL_MM = (30.0, 45.0)              # seal diameter
SEAL_MM_A5 = (30.0, 38.0)
SEAL_INKS = {"red": 0.72, "purple": 0.28}
P_OTHER_PAD = 0.08                  # a page stamped from another ink pad than the count's usual one
SEAL_STYLES = {"normal": 0.5, "faint": 0.13, "strong": 0.13, "doubled": 0.12, "smudged": 0.12}
SEAL_ALPHA = {"faint": (0.2, 0.4), "normal": (0.45, 0.9), "strong": (0.9, 1.0), "doubled": (0.45, 0.9),
              "smudged": (0.5, 0.9)}
SEAL_OFF_PAGE_MAX = 0.3             # at most this fraction of the diameter off the page edge

PENS = {"blue": 0.34, "darkblue": 0.14, "black": 0.15, "purple": 0.09, "pencil": 0.14, "faintblue": 0.08,
        "gel-black": 0.06}
PEN_WIDTH_PX200 = (0.8, 5.0)        # pen width in px at 200 dpi (0.1 - 0.64 mm)
PRESSURE = {"light": 0.25, "normal": 0.55, "heavy": 0.2}
STRIKE_STYLES = {"straight": 0.28, "wavy": 0.14, "double": 0.12, "slanted": 0.14, "zigzag": 0.1,
                 "overshoot": 0.11, "short": 0.11}
FOLDS = {"none": 0.5, "half": 0.2, "letter": 0.14, "quarter": 0.1, "off-centre": 0.06}
NOTES = {"none": 0.88, "margin": 0.06, "names": 0.06}
CAPTURES = {"scanner": 0.6, "phone": 0.2, "bilevel": 0.2}

# Cases of the stress matrix: the review cases are more frequent than in a real count, since they are
# what the reader must never guess.
CASES = {
    "strike": {"normal": 0.42, "exact": 0.06, "undervote": 0.04, "overvote": 0.07, "all_struck": 0.03,
               "write_in": 0.04, "note": 0.03, "partial": 0.08, "two_rows": 0.05, "underline": 0.04,
               "faint": 0.04, "blank": 0.05, "foreign": 0.05},
    "mark": {"normal": 0.44, "exact": 0.06, "undervote": 0.04, "overvote": 0.07, "all_struck": 0.03,
             "write_in": 0.03, "note": 0.03, "partial": 0.06, "two_rows": 0.04, "scribble": 0.04,
             "faint": 0.06, "blank": 0.05, "foreign": 0.05},
    "approve": {"yes-no": 0.52, "void_row": 0.14, "write_in": 0.04, "note": 0.04, "straddle": 0.16,
                "blank": 0.05, "foreign": 0.05},
}

# Scanner settings
SCAN_DPI = (150, 175, 200, 240, 250, 300)
P_GREY = 0.35
MAX_SKEW_DEG = 5.0
P_UPSIDE_DOWN = 0.12
JPEG_QUALITY = (40, 95)
# Phone photos
PHONE_LONG_PX = (3000, 4032)
PHONE_TILT_DEG = (0.0, 25.0)
PHONE_FILL = (0.5, 0.92)            # the page's extent over the frame's
PHONE_TABLES = ("wood", "cloth", "desk", "check", "dark")
PHONE_BLUR = {"sharp": 0.55, "defocus": 0.25, "motion": 0.17, "unreadable": 0.03}
PHONE_JPEG = (70, 96)
P_EXIF = 0.25
# 1-bit scans
BILEVEL_DPI = (200, 240, 300)
BILEVEL_METHODS = {"threshold": 0.4, "otsu": 0.2, "floyd-steinberg": 0.25, "bayer": 0.15}
BILEVEL_THRESHOLD = (85, 190)       # grey level; a low one is the "light" setting that erases faint ink


def _choice(rng: np.random.Generator, weights: dict) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], float)
    return str(keys[int(rng.choice(len(keys), p=p / p.sum()))])


def draw_blank(rng: np.random.Generator, kind: str | None = None) -> dict:
    """A count's print conditions (see the module doc).  ``kind`` fixes the ballot kind."""
    kind = kind or _choice(rng, KINDS)
    layout = _choice(rng, LAYOUTS[kind])
    if layout == "twocol":
        n = int(rng.integers(18, 33))
    elif kind == "strike":
        n = int(rng.integers(4, 19))
    else:
        n = int(rng.integers(4, 13))
    form = "state" if rng.random() < 0.4 else "party"
    paper = "A5" if (n <= 10 and layout != "twocol" and rng.random() < 0.35) else "A4"
    colours = list(PAPER_RGB)
    colour = (
        str(rng.choice(colours)) if form == "state" else ("white" if rng.random() < 0.7 else str(rng.choice(colours)))
    )
    face = str(rng.choice(sorted(FACES)))
    weight = _choice(rng, {"regular": 0.6, "bold": 0.25, "light": 0.15})
    if weight not in FACES[face]:
        weight = "regular"
    lo, hi = NAME_PT_A5 if paper == "A5" else NAME_PT
    slo, shi = SEAL_MM_A5 if paper == "A5" else SEAL_MM
    return {
        "kind": kind, "layout": layout, "candidates": n, "form": form, "paper": paper, "paper_colour": colour,
        "face": face, "weight": weight, "name_pt": round(float(rng.uniform(lo, hi)), 1),
        "row_mm": round(float(rng.uniform(*ROW_MM)), 1), "honorific": bool(rng.random() < 0.25),
        "duplicate": bool(n >= 3 and rng.random() < 0.2), "seal_mm": round(float(rng.uniform(slo, shi)), 1),
        "seal_colour": _choice(rng, SEAL_INKS), "body_seed": int(rng.integers(2**31)),
    }


def draw_page(rng: np.random.Generator, blank: dict, capture: str | None = None, case: str | None = None) -> dict:
    """A page's conditions for a count drawn by ``draw_blank``.  ``capture`` fixes the capture mode,
    ``case`` the voter's case."""
    kind = blank["kind"]
    c = {"case": case or _choice(rng, CASES[kind])}
    style = _choice(rng, SEAL_STYLES)
    ink = (
        blank["seal_colour"]
        if rng.random() >= P_OTHER_PAD
        else _choice(rng, {k: 1 for k in SEAL_INKS if k != blank["seal_colour"]})
    )
    c["seal"] = {"style": style, "alpha": round(float(rng.uniform(*SEAL_ALPHA[style])), 3), "colour": ink,
                 "angle": round(float(rng.uniform(0, 360)), 1), "u": [round(float(v), 4) for v in rng.random(2)]}
    pen = _choice(rng, PENS)
    c["pen"] = pen
    c["pen_width"] = round(float(rng.uniform(*PEN_WIDTH_PX200)) * (1.6 if pen == "gel-black" else 1.0), 2)
    if pen == "faintblue":
        c["pen_width"] = max(c["pen_width"], 1.2)
    c["pressure"] = _choice(rng, PRESSURE)
    if (
        pen == "faintblue" and c["pressure"] == "light"
    ):  # a half-dry pen pressed lightly is a faint mark, not a clear one
        c["pressure"] = "normal"
    c["strike_style"] = _choice(rng, STRIKE_STYLES)
    c["fold"] = _choice(rng, FOLDS)
    c["note"] = _choice(rng, NOTES)
    c["capture"] = capture or _choice(rng, CAPTURES)
    if c["capture"] == "scanner":
        c["scan"] = draw_scanner(rng)
    elif c["capture"] == "phone":
        c["phone"] = draw_phone(rng)
    elif c["capture"] == "bilevel":
        c["bilevel"] = draw_bilevel(rng)
    else:
        raise ValueError(f"unknown capture {capture!r}")
    c["seed"] = int(rng.integers(2**31))
    return c


def draw_scanner(rng: np.random.Generator) -> dict:
    """A flatbed or sheet-fed scan: resolution, colour, skew, turn, keystone, blur, noise, glass, file."""
    r = rng.random()
    near_zero = rng.random() < 0.15
    return {
        "dpi": int(rng.choice(SCAN_DPI)), "grey": bool(rng.random() < P_GREY),
        "skew": round(float(rng.normal(0, 0.2) if near_zero else rng.uniform(-MAX_SKEW_DEG, MAX_SKEW_DEG)), 2),
        "upside_down": bool(rng.random() < P_UPSIDE_DOWN),
        "perspective": round(float(rng.uniform(0, 0.006)), 4), "blur": round(float(rng.uniform(0.3, 1.2)), 2),
        "noise": round(float(rng.uniform(1.0, 4.0)), 2),
        "streaks": int(rng.choice([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3])),
        "bed_strip": bool(rng.random() < 0.3),
        "format": "jpg" if r < 0.84 else ("png" if r < 0.94 else "tif"),
        "jpeg": int(rng.integers(JPEG_QUALITY[0], JPEG_QUALITY[1] + 1)),
    }


def draw_phone(rng: np.random.Generator) -> dict:
    """A phone photo from above of the ballot on a table."""
    long = int(rng.integers(PHONE_LONG_PX[0], PHONE_LONG_PX[1] + 1))
    aspect = 4 / 3 if rng.random() < 0.8 else 16 / 9
    turn = int(rng.choice([0, 0, 0, 0, 0, 90, 270, 180]))
    return {
        "frame": [int(round(long / aspect)), long],
        "fill": round(float(rng.uniform(*PHONE_FILL)), 3),
        "tilt": round(float(rng.uniform(*PHONE_TILT_DEG)), 1),
        "tilt_dir": round(float(rng.uniform(0, 360)), 1),
        "rotation": round(turn + float(rng.uniform(-15, 15)), 1),
        "focal": round(float(rng.uniform(0.7, 1.0)), 3),
        "curl_mm": round(float(rng.uniform(0.5, 5.0)), 2),
        "table": str(rng.choice(PHONE_TABLES)),
        "other_paper": str(rng.choice(["none", "none", "left", "right", "top", "bottom"])),
        "shadow": str(rng.choice(["none", "none", "hand", "phone"])),
        "shadow_depth": round(float(rng.uniform(0.08, 0.3)), 3),
        "light": round(float(rng.uniform(0.0, 0.3)), 3),
        "white_balance": [
            round(float(v), 3) for v in (rng.uniform(0.9, 1.1), rng.uniform(0.95, 1.05), rng.uniform(0.82, 1.08))
        ],
        "blur": _choice(rng, PHONE_BLUR),
        "blur_mm": round(float(rng.uniform(0.0, 1.0)), 3),
        "noise": round(float(rng.uniform(1.5, 5.0)), 2),
        "jpeg": int(rng.integers(PHONE_JPEG[0], PHONE_JPEG[1] + 1)),
        "subsampling": "4:2:0" if rng.random() < 0.8 else "4:4:4",
        "exif": int(rng.choice([3, 6, 8])) if rng.random() < P_EXIF else 1,
    }


def draw_bilevel(rng: np.random.Generator) -> dict:
    """A black-and-white office scan: a grey scan (luma or green channel) turned 1-bit."""
    method = _choice(rng, BILEVEL_METHODS)
    return {
        "dpi": int(rng.choice(BILEVEL_DPI)), "channel": "luma" if rng.random() < 0.7 else "green",
        "method": method, "threshold": int(rng.integers(BILEVEL_THRESHOLD[0], BILEVEL_THRESHOLD[1] + 1)),
        "format": "tif" if rng.random() < 0.6 else "png", "scan": draw_scanner(rng),
    }
