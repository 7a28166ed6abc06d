#!/usr/bin/env python3
"""Synthetic Vietnamese paper-ballot generator for kiemphieu.

Renders a ballot form (strike / mark / approve; table, list or two-column layout) at 300 dpi, stamps a
hand-applied red seal, fills it in with a simulated pen according to a *case* (normal, overvote,
write-in, partial strike, ...), then runs a scanner simulation (downsampling, skew, keystone, warp,
paper tone, crease, streak, blur, noise, JPEG) and writes a set directory in the format of
/work/shared/eval-public (``election.toml``, ``blank.png``, ``scans/``, ``truth.jsonl``).

    python samples/generate.py OUTDIR --kind strike --layout table --n 40 --seed 1

Importable: ``make_election``, ``render_blank``, ``fill_ballot``, ``scan``, ``generate_set`` (see
samples/README.md).  Everything is deterministic for a given seed.
"""
from __future__ import annotations

import argparse
import functools
import io
import json
import math
import os
import sys
import unicodedata
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

# --------------------------------------------------------------------------------------------
# Constants (units in the names)
# --------------------------------------------------------------------------------------------
RENDER_DPI = 300                    # internal rendering resolution
PEN_REF_DPI = 200                   # pen widths are specified in pixels at this resolution
MM_PER_INCH = 25.4
PT_PER_INCH = 72.0
PAPER_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}

SEAL_DIAMETER_MM = 35.0
SEAL_JITTER_MM = 10.0               # hand-applied: the seal lands within ±1 cm of its nominal place
SEAL_RING_MM = 0.9
SEAL_INNER_RING_MM = 0.35
SEAL_INNER_RADIUS_MM = 11.0
SEAL_STAR_RADIUS_MM = 6.5
SEAL_TEXT_PT = 7.5

TABLE_LINE_MM = 0.3
MARK_BOX_MM = 5.0
APPROVE_BOX_GAP = 3.4             # distance between the yes/no boxes, in box sides (list layouts)
NAME_PT_RANGE = (12.0, 15.0)
ROW_HEIGHT_MM_RANGE = (6.5, 11.0)
PEN_WIDTH_PX200 = (1.0, 4.0)        # pen stroke width in px at 200 dpi
MAX_SLANT_DEG = 4.0
HAND_PT_RANGE = (14.0, 20.0)

SCAN_DPI_RANGE = (150, 300)
MAX_ROTATION_DEG = 5.0
PERSPECTIVE_MAX_FRAC = 0.005        # keystone: corner offsets up to 0.5 % of the page size
WARP_MAX_PX200 = 1.5                # smooth paper warp amplitude at 200 dpi
BLUR_SIGMA_PX = (0.3, 1.0)
NOISE_SIGMA = (1.0, 3.5)            # sensor noise, grey levels
JPEG_QUALITY = (55, 95)
P_GREY = 0.30
P_UPSIDE_DOWN = 0.10
P_FOLD = 0.20
P_STREAK = 0.05
P_BED_STRIP = 0.30
P_NEAR_ZERO_ROTATION = 0.25

FONT_DIRS = ("/usr/share/fonts/truetype", "/usr/share/fonts/opentype")
SERIF_FONTS = {   # family -> (regular, bold)
    "serif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "liberation": ("liberation2/LiberationSerif-Regular.ttf", "liberation2/LiberationSerif-Bold.ttf"),
    "freeserif": ("freefont/FreeSerif.ttf", "freefont/FreeSerifBold.ttf"),
}
SANS_BOLD_FONT = "dejavu/DejaVuSans-Bold.ttf"
HAND_FONT = "comic-neue/ComicNeue-Regular.otf"
HAND_FALLBACK_FONT = "dejavu/DejaVuSans-Oblique.ttf"
VIETNAMESE_PROBE = "Nguyễn Thị Hằng Đặng Ưng Ỷ ơờởỡợưừửữựậặểệịộụỵỷ"

PENS = {  # name -> (RGB ink colour, opacity range)
    "blue": ((35, 65, 185), (0.80, 1.00)),
    "darkblue": ((25, 35, 105), (0.85, 1.00)),
    "black": ((30, 30, 35), (0.85, 1.00)),
    "purple": ((100, 45, 150), (0.80, 1.00)),
    "pencil": ((95, 95, 100), (0.50, 0.75)),
    "faintblue": ((60, 90, 200), (0.35, 0.55)),   # half-dry ballpoint; truth says "blue"
}
PEN_WEIGHTS = {"blue": 0.42, "darkblue": 0.15, "black": 0.15, "purple": 0.08, "pencil": 0.12, "faintblue": 0.08}
SEAL_RGB = (200, 35, 45)

class PageArray(np.ndarray):
    """An RGB page (HxWx3 uint8) that remembers the dpi it was rendered at (``.dpi``), so that ``scan``
    resamples correctly without being told.  Behaves as a plain numpy array otherwise."""

    def __array_finalize__(self, obj):
        self.dpi = getattr(obj, "dpi", None)


def as_page(arr: np.ndarray, dpi: int) -> PageArray:
    """View an array as a PageArray rendered at ``dpi``."""
    p = np.asarray(arr).view(PageArray)
    p.dpi = int(dpi)
    return p


# --------------------------------------------------------------------------------------------
# Names and election bodies
# --------------------------------------------------------------------------------------------
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
                "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Tạ", "Chu", "Lương", "Mai", "Triệu", "Đào", "Trịnh",
                "Cao", "Lâm"]
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Thanh", "Hồng", "Ngọc", "Quốc", "Xuân", "Hữu", "Công", "Đình",
               "Quang", "Trọng", "Mạnh", "Tiến", "Việt", "Văn"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị Thu", "Thị Hồng", "Thị Minh", "Thị Kim", "Thị Ngọc", "Thị Thanh",
                 "Ngọc", "Thu", "Hồng", "Thùy", "Thị Lan"]
MALE_GIVEN = ["An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hùng", "Huy",
              "Khánh", "Khoa", "Lâm", "Long", "Lộc", "Mạnh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân",
              "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt",
              "Vinh", "Ưng", "Hưng", "Thuận", "Định", "Tiến", "Kiên", "Lực", "Bảo", "Chiến", "Duy", "Hậu",
              "Trường", "Dương"]
FEMALE_GIVEN = ["Anh", "Ánh", "Bích", "Chi", "Châu", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng",
                "Hiền", "Hoa", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Ngọc",
                "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Thủy", "Trang", "Tuyết", "Uyên", "Vân",
                "Xuân", "Yến", "Ỷ", "Hồng", "Thắm"]
DISTRICTS = ["ĐẦM HÀ", "HẢI HÀ", "BÌNH LIÊU", "VÂN ĐỒN", "TIÊN YÊN", "BA CHẼ", "CÔ TÔ", "ĐÔNG TRIỀU",
             "QUẢNG YÊN", "HOÀNH BỒ"]
NOTE_TEXTS = ["Đồng ý", "?", "Không đồng ý", "Đề nghị xem lại", "Tốt", "Xem lại", "OK", "!!"]


def _bodies(district: str, rng: np.random.Generator) -> list[dict]:
    """Candidate election bodies (forms) for a district: header lines, subtitles and seal text."""
    party_hdr = ("ĐẢNG BỘ TỈNH QUẢNG NINH", f"ĐẠI HỘI ĐẢNG BỘ HUYỆN {district}")
    k = int(rng.integers(1, 40))
    return [
        {"rules": "party", "header_left": party_hdr, "header_right": "ĐẢNG CỘNG SẢN VIỆT NAM",
         "subtitle": [f"BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN {district}", "KHÓA XXV, NHIỆM KỲ 2020 – 2025"],
         "seal_text": f"ĐẢNG BỘ HUYỆN {district} * BAN CHẤP HÀNH *"},
        {"rules": "party", "header_left": party_hdr, "header_right": "ĐẢNG CỘNG SẢN VIỆT NAM",
         "subtitle": ["ĐẠI BIỂU ĐI DỰ ĐẠI HỘI ĐẢNG BỘ TỈNH", "LẦN THỨ XV, NHIỆM KỲ 2020 – 2025"],
         "seal_text": f"ĐẢNG BỘ HUYỆN {district} * ĐOÀN CHỦ TỊCH *"},
        {"rules": "party", "header_left": ("ĐẢNG BỘ TỈNH QUẢNG NINH", f"ĐẠI HỘI ĐẢNG BỘ XÃ {district}"),
         "header_right": "ĐẢNG CỘNG SẢN VIỆT NAM",
         "subtitle": [f"BAN CHẤP HÀNH ĐẢNG BỘ XÃ {district}", "NHIỆM KỲ 2025 – 2030"],
         "seal_text": f"ĐẢNG BỘ XÃ {district} * BAN TỔ CHỨC *"},
        {"rules": "state", "header_left": None,
         "header_center": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc"),
         "subtitle": [f"ĐẠI BIỂU HỘI ĐỒNG NHÂN DÂN HUYỆN {district}", "NHIỆM KỲ 2026 – 2031"],
         "extra": f"Đơn vị bầu cử số {k}",
         "seal_text": f"ỦY BAN BẦU CỬ HUYỆN {district} * TỈNH QUẢNG NINH *"},
    ]


def strip_accents(s: str) -> str:
    """ASCII-fold a Vietnamese string (for sorting)."""
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def random_person(rng: np.random.Generator) -> tuple[str, str]:
    """A realistic Vietnamese full name and its gender ("m" / "f")."""
    fam = FAMILY_NAMES[rng.integers(len(FAMILY_NAMES))]
    male = rng.random() < 0.5
    middles, givens = (MALE_MIDDLE, MALE_GIVEN) if male else (FEMALE_MIDDLE, FEMALE_GIVEN)
    mid = middles[rng.integers(len(middles))]
    given = givens[rng.integers(len(givens))]
    while given in mid.split() or given == fam:
        given = givens[rng.integers(len(givens))]
    return f"{fam} {mid} {given}", "m" if male else "f"


def _name_sort_key(name: str) -> tuple:
    parts = strip_accents(name).lower().split()
    return (parts[-1], parts[0], " ".join(parts[1:-1]), name)


def make_election(n_candidates: int, seats: int | None, kind: str, seed: int, honorific: bool = False,
                  duplicate_name: bool = False, exclude: set | None = None, district: str | None = None,
                  body: int | None = None) -> dict:
    """Build an election: ``title, seats, ballot, electorate, candidates`` (the TOML fields) plus
    ``form`` (header/subtitle/seal text for rendering), ``labels`` (truth names in ballot order),
    ``display`` (text printed on the ballot) and ``genders``.

    ``candidates`` is a list of names, or of ``{"name", "note"}`` tables with ``duplicate_name`` (two
    equal names told apart by a birth year; their truth label is ``"Name (1970)"``).
    """
    if kind not in ("strike", "mark", "approve"):
        raise ValueError(f"unknown ballot kind {kind!r}")
    rng = np.random.default_rng([seed, 101])
    n = int(n_candidates)
    if kind == "approve":
        seats = n
    elif seats is None:
        seats = int(np.clip(round(n * rng.uniform(0.55, 0.85)), 1, n - 1))
    if kind != "approve" and not 1 <= seats < n:
        raise ValueError("seats must be between 1 and n_candidates - 1 for strike/mark ballots")
    exclude = set(exclude or ())
    people: dict[str, str] = {}
    while len(people) < n:
        name, g = random_person(rng)
        if name not in people and name not in exclude:
            people[name] = g
    names = sorted(people, key=_name_sort_key)
    notes = [""] * n
    if duplicate_name and n >= 3:
        i = int(rng.integers(0, n - 1))
        names[i + 1] = names[i]
        people[names[i]] = people[names[i]]
        y0 = int(rng.integers(1960, 1985))
        notes[i], notes[i + 1] = str(y0), str(y0 + int(rng.integers(1, 12)))
    genders = [people[nm] for nm in names]
    labels = [f"{nm} ({nt})" if nt else nm for nm, nt in zip(names, notes)]
    display = [("Ông " if g == "m" else "Bà ") * honorific + lab for lab, g in zip(labels, genders)]
    district = district or DISTRICTS[rng.integers(len(DISTRICTS))]
    bodies = _bodies(district, rng)
    form = bodies[body if body is not None else int(rng.choice(len(bodies), p=[0.35, 0.2, 0.2, 0.25]))]
    title = "Bầu " + " ".join(form["subtitle"])
    candidates = ([{"name": nm, "note": nt} if nt else nm for nm, nt in zip(names, notes)]
                  if duplicate_name else list(names))
    return {"title": title, "seats": int(seats), "ballot": kind, "electorate": int(rng.integers(80, 500)),
            "candidates": candidates, "labels": labels, "display": display, "genders": genders,
            "form": form, "district": district}


def election_toml(election: dict) -> str:
    """Serialise the election file (TOML, UTF-8)."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # TOML basic strings accept JSON escapes
    lines = [f"title = {q(election['title'])}", f"seats = {election['seats']}",
             f"ballot = {q(election['ballot'])}", f"electorate = {election['electorate']}", "candidates = ["]
    for c in election["candidates"]:
        if isinstance(c, dict):
            lines.append(f"  {{name = {q(c['name'])}, note = {q(c['note'])}}},")
        else:
            lines.append(f"  {q(c)},")
    lines.append("]")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------------
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


def hand_font_for(text: str) -> str:
    """Handwriting-like font: Comic Neue when it covers the text, else DejaVu Sans Oblique."""
    try:
        p = font_path(HAND_FONT)
        if font_covers(p, text):
            return p
    except FileNotFoundError:
        pass
    return font_path(HAND_FALLBACK_FONT)


# --------------------------------------------------------------------------------------------
# The blank form
# --------------------------------------------------------------------------------------------
def _mm(v: float, dpi: float) -> int:
    return int(round(v / MM_PER_INCH * dpi))


def _pt(v: float, dpi: float) -> int:
    return int(round(v / PT_PER_INCH * dpi))


def _text(draw, xy, s, font, anchor="ls", fill=(0, 0, 0)):
    """Draw text and return its ink bbox."""
    draw.text(xy, s, font=font, fill=fill, anchor=anchor)
    x0, y0, x1, y1 = draw.textbbox(xy, s, font=font, anchor=anchor)
    return [int(math.floor(x0)), int(math.floor(y0)), int(math.ceil(x1)), int(math.ceil(y1))]


def _row_record(i, election, draw, font, x, baseline, text_anchor="ls"):
    """Draw a candidate name at (x, baseline) and return its geometry record."""
    s = election["display"][i]
    box = _text(draw, (x, baseline), s, font, anchor=text_anchor)
    xh = -font.getbbox("x", anchor="ls")[1]
    cap = -font.getbbox("H", anchor="ls")[1]
    return {"index": i, "name": election["labels"][i], "text": s, "text_box": box, "baseline": int(baseline),
            "mid_y": int(round(baseline - xh / 2)), "x_height": int(xh), "cap_height": int(cap)}


def render_form(election: dict, layout: str = "table", font: str = "serif", dpi: int = RENDER_DPI,
                seed: int = 0, paper: str | None = None, name_pt: float | None = None):
    """Render the unsealed printed form.  Returns ``(rgb uint8 array, geometry)`` (see render_blank)."""
    rng = np.random.default_rng([seed, 202])
    kind = election["ballot"]
    n = len(election["labels"])
    if paper is None:
        paper = "A4" if (kind == "strike" or layout == "twocol" or n > 10) else "A5"
    wmm, hmm = PAPER_MM[paper]
    W, H = _mm(wmm, dpi), _mm(hmm, dpi)
    small = paper == "A5"
    reg, bold = serif_fonts(font)
    img = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    hdr_pt = 10.0 if small else 12.0
    form = election["form"]
    # Shrink the header font until the left block and the right heading fit side by side.
    while hdr_pt > 6:
        f_hdr = load_font(bold, _pt(hdr_pt, dpi))
        lw_ = max((f_hdr.getlength(t) for t in (form.get("header_left") or [""])), default=0)
        rw_ = f_hdr.getlength(form.get("header_right") or "")
        if 0.30 * W - lw_ / 2 >= W * 0.03 and 0.30 * W + lw_ / 2 + W * 0.03 <= 0.73 * W - rw_ / 2 \
                and 0.73 * W + rw_ / 2 <= W * 0.97:
            break
        hdr_pt -= 0.5
    f_hdr_reg = load_font(reg, _pt(hdr_pt, dpi))
    f_title = load_font(bold, _pt(17 if small else 21, dpi))
    f_sub = load_font(bold, _pt(11 if small else 13, dpi))
    top = _mm(10 if small else 14, dpi)
    lh = _pt(hdr_pt, dpi) * 1.35
    if form.get("header_left"):
        cx = int(W * 0.30)
        for k, line in enumerate(form["header_left"]):
            _text(d, (cx, top + lh * (k + 1)), line, f_hdr, anchor="ms")
        b = _text(d, (int(W * 0.73), top + lh), form["header_right"], f_hdr, anchor="ms")
        d.line([(b[0], b[3] + _mm(0.8, dpi)), (b[2], b[3] + _mm(0.8, dpi))], fill=(0, 0, 0), width=max(1, _mm(0.25, dpi)))
        seal_anchor = (int(W * 0.19), int(top + lh * 1.6))
    else:
        cx = int(W * 0.56)
        a, b = form["header_center"]
        _text(d, (cx, top + lh), a, f_hdr, anchor="ms")
        bb = _text(d, (cx, top + lh * 2), b, f_hdr, anchor="ms")
        d.line([(bb[0], bb[3] + _mm(0.8, dpi)), (bb[2], bb[3] + _mm(0.8, dpi))], fill=(0, 0, 0), width=max(1, _mm(0.25, dpi)))
        seal_anchor = (int(W * 0.15), int(top + lh * 2.2))
    y = top + lh * 2 + _mm(12 if small else 16, dpi)
    title_box = _text(d, (W // 2, y), "PHIẾU BẦU CỬ", f_title, anchor="ms")
    y += _pt(13 if small else 15, dpi) * 1.45
    for line in form["subtitle"]:
        _text(d, (W // 2, y), line, f_sub, anchor="ms")
        y += _pt(11 if small else 13, dpi) * 1.4
    if form.get("extra"):
        _text(d, (W // 2, y), form["extra"], load_font(reg, _pt(10 if small else 12, dpi)), anchor="ms")
        y += _pt(11 if small else 13, dpi) * 1.4
    y0 = int(y + _mm(4 if small else 6, dpi))

    # Row height and name font: fit the list on the page, leaving room for handwriting below if possible.
    margin = _mm(10 if small else 18, dpi)
    bottom = H - _mm(12 if small else 15, dpi)
    n_rows = math.ceil(n / 2) if layout == "twocol" else n
    head = 1.6 if kind == "approve" and layout == "table" else (1.2 if layout == "table" or kind != "strike" else 0.3)
    row_h = (bottom - y0) / (n_rows + head)
    row_h = float(np.clip(row_h, _mm(ROW_HEIGHT_MM_RANGE[0], dpi) * 0.8, _mm(ROW_HEIGHT_MM_RANGE[1], dpi)))
    pt_lo, pt_hi = (11.0, 13.0) if small else NAME_PT_RANGE
    npt = name_pt if name_pt is not None else float(rng.uniform(pt_lo, pt_hi))
    npx = min(_pt(npt, dpi), int(row_h * 0.52))
    f_name = load_font(reg, npx)
    f_head = load_font(bold, int(npx * 0.9))
    cap = -f_name.getbbox("H", anchor="ls")[1]
    lw = max(1, _mm(TABLE_LINE_MM, dpi))
    rows: list[dict] = []
    box_side = _mm(MARK_BOX_MM, dpi)

    def square(cx_, cy_):
        b = [int(cx_ - box_side / 2), int(cy_ - box_side / 2), int(cx_ + box_side / 2), int(cy_ + box_side / 2)]
        d.rectangle(b, outline=(0, 0, 0), width=max(1, lw - 1))
        return b

    if layout == "table":
        x0, x1 = margin, W - margin
        xs_stt = x0 + _mm(13, dpi)
        extra_cols = {"strike": [], "mark": [("ĐỒNG Ý",)], "approve": [("ĐỒNG Ý",), ("KHÔNG", "ĐỒNG Ý")]}[kind]
        col_w = _mm(22 if small else 25, dpi)
        col_x = [x1 - col_w * (len(extra_cols) - k) for k in range(len(extra_cols))]
        hh = int(row_h * head)
        yb = y0 + hh + n * row_h
        d.rectangle([x0, y0, x1, int(yb)], outline=(0, 0, 0), width=lw + 1)
        for xv in [xs_stt] + col_x:
            d.line([(xv, y0), (xv, int(yb))], fill=(0, 0, 0), width=lw)
        ymid = y0 + hh / 2
        _text(d, ((x0 + xs_stt) // 2, ymid + cap / 2), "STT", f_head, anchor="ms")
        _text(d, (xs_stt + _mm(3, dpi), ymid + cap / 2), "HỌ VÀ TÊN", f_head, anchor="ls")
        for k, lines in enumerate(extra_cols):
            cxk = col_x[k] + col_w / 2
            for j, t in enumerate(lines):
                _text(d, (cxk, ymid + cap / 2 + (j - (len(lines) - 1) / 2) * cap * 1.6), t, f_head, anchor="ms")
        for i in range(n):
            ry = y0 + hh + i * row_h
            d.line([(x0, int(ry)), (x1, int(ry))], fill=(0, 0, 0), width=lw)
            base = ry + row_h / 2 + cap / 2
            _text(d, ((x0 + xs_stt) // 2, base), str(i + 1), f_name, anchor="ms")
            rec = _row_record(i, election, d, f_name, xs_stt + _mm(3, dpi), base)
            name_right = col_x[0] if col_x else x1
            rec["row_box"] = [int(xs_stt), int(ry), int(name_right), int(ry + row_h)]
            if kind == "mark":
                rec["cells"] = {"mark": square(col_x[0] + col_w / 2, ry + row_h / 2)}
            elif kind == "approve":
                rec["cells"] = {"yes": [int(col_x[0]), int(ry), int(col_x[1]), int(ry + row_h)],
                                "no": [int(col_x[1]), int(ry), int(x1), int(ry + row_h)]}
            rows.append(rec)
        list_bottom = int(yb)
        list_x = (x0, x1)
    else:
        cols = 2 if layout == "twocol" else 1
        per_col = math.ceil(n / cols)
        if cols == 1:
            col_left = [int(W * (0.20 if kind == "strike" else 0.12))]
            col_right = [W - margin]
        else:
            col_left = [margin, int(W * 0.52)]
            col_right = [int(W * 0.50), W - margin]
        ylist = y0 + int(row_h * head)
        if kind != "strike":
            for c in range(cols):
                heads = ["Đồng ý"] if kind == "mark" else ["Đồng ý", "Không"]
                for k, t in enumerate(heads):
                    cxk = col_right[c] - box_side * (1.6 + APPROVE_BOX_GAP * (len(heads) - 1 - k))
                    _text(d, (cxk, ylist - row_h * 0.35), t, load_font(bold, int(npx * 0.7)), anchor="ms")
        for i in range(n):
            c, r = divmod(i, per_col)
            ry = ylist + r * row_h
            base = ry + row_h / 2 + cap / 2
            xn = col_left[c] + _mm(8, dpi)
            _text(d, (xn - _mm(1.5, dpi), base), f"{i + 1}.", f_name, anchor="rs")
            rec = _row_record(i, election, d, f_name, xn + _mm(2, dpi), base)
            rec["row_box"] = [int(xn), int(ry), int(col_right[c]), int(ry + row_h)]
            cy = ry + row_h / 2
            if kind == "mark":
                rec["cells"] = {"mark": square(col_right[c] - box_side * 1.6, cy)}
                rec["row_box"][2] = rec["cells"]["mark"][0] - box_side // 2
            elif kind == "approve":
                yes = square(col_right[c] - box_side * (1.6 + APPROVE_BOX_GAP), cy)
                no = square(col_right[c] - box_side * 1.6, cy)
                rec["cells"] = {"yes": yes, "no": no}
                rec["row_box"][2] = yes[0] - box_side // 2
            rows.append(rec)
        list_bottom = int(ylist + per_col * row_h)
        list_x = (margin, W - margin)
    free_top = list_bottom + _mm(6, dpi)
    free = [list_x[0] + _mm(5, dpi), free_top, list_x[1] - _mm(5, dpi), bottom] if bottom - free_top > _mm(15, dpi) else None
    geometry = {
        "dpi": dpi, "paper": paper, "size": [W, H], "layout": layout, "kind": kind, "font": font,
        "name_px": npx, "row_height": float(row_h), "rows": rows, "title_box": title_box,
        "list_box": [list_x[0], y0, list_x[1], list_bottom], "free_area": free,
        "seal_anchor": list(seal_anchor), "seal_diameter": _mm(SEAL_DIAMETER_MM, dpi),
        "seal_text": form["seal_text"], "sealed": False, "seal": None,
    }
    return np.asarray(img, dtype=np.uint8).copy(), geometry


def render_blank(election: dict, layout: str = "table", font: str = "serif", dpi: int = 200, seed: int = 0,
                 seal: bool = True, paper: str | None = None, name_pt: float | None = None):
    """Render the printed blank ballot at ``dpi`` and (by default) stamp its seal.

    Returns ``(rgb, geometry)``: ``rgb`` is an HxWx3 uint8 array; ``geometry`` is a JSON-able dict in
    page pixels at ``dpi``:

    - ``dpi``, ``paper`` ("A4"/"A5"), ``size`` [W, H], ``layout``, ``kind``, ``font``, ``name_px``, ``row_height``
    - ``rows``: one per candidate in ballot order: ``index``, ``name`` (truth label), ``text`` (printed),
      ``text_box`` [x0, y0, x1, y1] (ink box of the printed name), ``baseline``, ``mid_y`` (middle of the
      x-height: where a strike goes), ``x_height``, ``cap_height``, ``row_box`` (the name's cell / line
      band), and for mark/approve ``cells``: {"mark": box} or {"yes": cell, "no": cell}
    - ``title_box``, ``list_box``, ``free_area`` (room below the list for handwriting, or None)
    - ``seal_anchor``, ``seal_diameter``, ``seal_text``, ``sealed``, ``seal`` (centre/angle/strength used)
    """
    rgb, geom = render_form(election, layout, font, dpi, seed, paper, name_pt)
    if seal:
        stamp_seal(rgb, geom, np.random.default_rng([seed, 303]))
    return as_page(rgb, dpi), geom


# --------------------------------------------------------------------------------------------
# Ink compositing
# --------------------------------------------------------------------------------------------
def blend_ink(page: np.ndarray, alpha: np.ndarray, x0: int, y0: int, rgb) -> None:
    """Multiply-blend ink of colour ``rgb`` with coverage ``alpha`` (float, 0..1) at (x0, y0), in place."""
    h, w = alpha.shape
    H, W = page.shape[:2]
    ax0, ay0 = max(0, -x0), max(0, -y0)
    px0, py0 = max(0, x0), max(0, y0)
    px1, py1 = min(W, x0 + w), min(H, y0 + h)
    if px1 <= px0 or py1 <= py0:
        return
    a = alpha[ay0:ay0 + py1 - py0, ax0:ax0 + px1 - px0, None]
    absorb = 1.0 - np.asarray(rgb, np.float32) / 255.0
    crop = page[py0:py1, px0:px1].astype(np.float32)
    crop *= 1.0 - np.clip(a, 0, 1) * absorb
    page[py0:py1, px0:px1] = np.clip(crop + 0.5, 0, 255).astype(np.uint8)


def _smooth_noise(rng, n, k=6):
    """1-D smooth noise in about [-1, 1] of length n."""
    ctrl = rng.uniform(-1, 1, k)
    return np.interp(np.linspace(0, k - 1, n), np.arange(k), ctrl)


def ink_paths(page: np.ndarray, paths: list, color, rng: np.random.Generator, pencil: bool = False,
              supersample: int = 3) -> None:
    """Draw anti-aliased pen strokes.  ``paths`` is a list of ``(pts Nx2, widths N, opacity N)`` in page
    pixels; rendered supersampled into one coverage mask and blended once."""
    allp = np.concatenate([p[0] for p in paths])
    pad = int(max(np.max(p[1]) for p in paths)) + 4
    x0, y0 = int(np.floor(allp[:, 0].min())) - pad, int(np.floor(allp[:, 1].min())) - pad
    x1, y1 = int(np.ceil(allp[:, 0].max())) + pad, int(np.ceil(allp[:, 1].max())) + pad
    s = supersample
    mask = np.zeros(((y1 - y0) * s, (x1 - x0) * s), np.uint8)
    for pts, widths, opac in paths:
        q = ((pts - [x0, y0]) * s * 16).astype(np.int32)
        for j in range(len(q) - 1):
            t = max(1, int(round((widths[j] + widths[j + 1]) / 2 * s)))
            v = int(255 * min(1.0, max(0.0, (opac[j] + opac[j + 1]) / 2)))
            cv2.line(mask, tuple(q[j]), tuple(q[j + 1]), v, t, cv2.LINE_AA, shift=4)
    alpha = cv2.resize(mask, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    if pencil:
        grain = rng.random(alpha.shape, dtype=np.float32)
        alpha *= np.where(grain < 0.25, 0.25, 0.75 + 0.25 * grain)
    blend_ink(page, alpha, x0, y0, color)


def _pen_line(p0, p1, width, opacity, rng, n=None, bend=0.0, wobble=0.0):
    """A slightly irregular pen path from p0 to p1: per-point width and opacity vary smoothly."""
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    L = float(np.hypot(*(p1 - p0)))
    n = n or max(6, int(L / 6))
    t = np.linspace(0, 1, n)
    pts = p0 + (p1 - p0) * t[:, None]
    nrm = np.array([-(p1 - p0)[1], (p1 - p0)[0]]) / max(L, 1e-6)
    off = bend * L * 4 * t * (1 - t) + wobble * _smooth_noise(rng, n)
    pts = pts + off[:, None] * nrm
    widths = width * (1 + 0.15 * _smooth_noise(rng, n)) * (0.75 + 0.25 * np.minimum(1, np.minimum(t, 1 - t) * 12))
    op = opacity * (1 - 0.12 * np.abs(_smooth_noise(rng, n)))
    return pts, widths, op


# --------------------------------------------------------------------------------------------
# Seal
# --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=16)
def seal_mask(text: str, dpi: int) -> np.ndarray:
    """Coverage mask (float32 0..1) of the round seal: ring, inner ring, text around, star."""
    D = _mm(SEAL_DIAMETER_MM, dpi)
    S = D + 8
    c = S / 2
    R = D / 2
    img = Image.new("L", (S, S), 0)
    d = ImageDraw.Draw(img)
    rw = max(2, _mm(SEAL_RING_MM, dpi))
    d.ellipse([c - R, c - R, c + R, c + R], outline=255, width=rw)
    ri = _mm(SEAL_INNER_RADIUS_MM, dpi)
    d.ellipse([c - ri, c - ri, c + ri, c + ri], outline=255, width=max(1, _mm(SEAL_INNER_RING_MM, dpi)))
    f = load_font(font_path(SANS_BOLD_FONT), _pt(SEAL_TEXT_PT, dpi))
    rt = (R - rw + ri) / 2
    chars = list(text)
    span = math.radians(330)
    for k, ch in enumerate(chars):
        if ch == " ":
            continue
        ang = -math.pi / 2 - span / 2 + span * (k + 0.5) / len(chars)   # clockwise from the left-bottom
        cimg = Image.new("L", (f.size * 2, f.size * 2), 0)
        ImageDraw.Draw(cimg).text((f.size, f.size), ch, font=f, fill=255, anchor="mm")
        cimg = cimg.rotate(-math.degrees(ang) - 90, resample=Image.BILINEAR)
        px, py = c + rt * math.cos(ang), c + rt * math.sin(ang)
        img.paste(255, (int(px - f.size), int(py - f.size)), cimg)
    rs = _mm(SEAL_STAR_RADIUS_MM, dpi)
    star = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        r = rs if k % 2 == 0 else rs * 0.40
        star.append((c + r * math.cos(a), c + r * math.sin(a)))
    d.polygon(star, fill=255)
    return np.asarray(img, np.float32) / 255.0


def stamp_seal(page: np.ndarray, geometry: dict, rng: np.random.Generator, strength: float | None = None) -> dict:
    """Stamp the seal by hand: random offset (±SEAL_JITTER_MM), rotation and ink strength.  In place."""
    dpi = geometry["dpi"]
    m = seal_mask(geometry["seal_text"], dpi)
    angle = float(rng.uniform(0, 360))
    S = m.shape[0]
    rot = cv2.warpAffine(m, cv2.getRotationMatrix2D((S / 2, S / 2), angle, 1.0), (S, S))
    field = cv2.resize(rng.uniform(0.55, 1.1, (5, 5)).astype(np.float32), (S, S), interpolation=cv2.INTER_CUBIC)
    g = np.linspace(-1, 1, S, dtype=np.float32)
    tilt = rng.uniform(-0.25, 0.25, 2)
    field = field * (1 + tilt[0] * g[None, :] + tilt[1] * g[:, None])
    speck = np.where(rng.random((S, S), dtype=np.float32) < rng.uniform(0.03, 0.15), 0.3, 1.0)
    strength = float(rng.uniform(0.45, 0.95)) if strength is None else strength
    alpha = np.clip(rot * field * speck * strength, 0, 1)
    cx = geometry["seal_anchor"][0] + rng.uniform(-1, 1) * _mm(SEAL_JITTER_MM, dpi)
    cy = geometry["seal_anchor"][1] + rng.uniform(-1, 1) * _mm(SEAL_JITTER_MM, dpi)
    color = tuple(int(v + rng.integers(-15, 15)) for v in SEAL_RGB)
    blend_ink(page, alpha, int(cx - S / 2), int(cy - S / 2), color)
    info = {"center": [float(cx), float(cy)], "angle": angle, "strength": strength}
    geometry["seal"], geometry["sealed"] = info, True
    return info


# --------------------------------------------------------------------------------------------
# Filling in
# --------------------------------------------------------------------------------------------
def _row(geometry, key):
    """Row record by candidate label or index."""
    if isinstance(key, (int, np.integer)):
        return geometry["rows"][int(key)]
    for r in geometry["rows"]:
        if r["name"] == key or r["text"] == key:
            return r
    raise KeyError(key)


def _strike_paths(r, rng, width, opacity, style, frac=(0.0, 1.0), dpi=RENDER_DPI):
    """Paths for a strike through a name's text at the x-height middle."""
    x0, _, x1, _ = r["text_box"]
    L = x1 - x0
    lo, hi = frac
    ov_l = style.get("overshoot_left", float(rng.uniform(-0.08, 0.12)))
    ov_r = style.get("overshoot_right", float(rng.uniform(-0.08, 0.15)))
    xa = x0 + lo * L - (ov_l * L if lo == 0 else 0)
    xb = x0 + hi * L + (ov_r * L if hi == 1 else 0)
    xa = max(xa, r["row_box"][0] - _mm(2, dpi))
    xb = min(xb, r["row_box"][2] + _mm(1, dpi))
    half = max(1.0, (xb - xa) / 2)
    max_slope = math.tan(math.radians(MAX_SLANT_DEG))
    slope = float(np.clip(rng.uniform(-1, 1) * max_slope, -0.45 * r["cap_height"] / half, 0.45 * r["cap_height"] / half))
    slope = style.get("slope", slope)
    yc = r["mid_y"] + rng.normal(0, 0.08) * r["x_height"] + style.get("dy", 0.0)
    n = max(10, int((xb - xa) / 8))
    xs = np.linspace(xa, xb, n)
    ys = yc + slope * (xs - (xa + xb) / 2) + 0.06 * r["x_height"] * _smooth_noise(rng, n, 8)
    if style.get("wavy"):
        amp = rng.uniform(0.12, 0.28) * r["x_height"]
        ys = ys + amp * np.sin(2 * np.pi * rng.uniform(1.5, 5) * (xs - xa) / max(1, xb - xa) + rng.uniform(0, 2 * np.pi))
    pts = np.stack([xs, ys], 1)
    t = np.linspace(0, 1, n)
    widths = width * (1 + 0.15 * _smooth_noise(rng, n)) * (0.7 + 0.3 * np.minimum(1, np.minimum(t, 1 - t) * 15))
    op = opacity * (1 - 0.15 * np.abs(_smooth_noise(rng, n)))
    paths = [(pts, widths, op)]
    if style.get("double"):
        back = pts[::-1] + [0, rng.uniform(-0.25, 0.25) * r["x_height"]]
        back[:, 1] += 0.05 * r["x_height"] * _smooth_noise(rng, n)
        paths.append((back, widths[::-1] * rng.uniform(0.8, 1.1), op * rng.uniform(0.8, 1)))
    return paths


def _x_mark(box, rng, width, opacity, scale=1.0, center=None):
    """Two crossing strokes (an X) over a box [x0, y0, x1, y1]."""
    x0, y0, x1, y1 = box
    cx, cy = center if center is not None else ((x0 + x1) / 2, (y0 + y1) / 2)
    hw, hh = (x1 - x0) / 2 * scale, (y1 - y0) / 2 * scale
    j = lambda: rng.uniform(-0.18, 0.12)
    a = ((cx - hw * (1 + j()), cy - hh * (1 + j())), (cx + hw * (1 + j()), cy + hh * (1 + j())))
    b = ((cx + hw * (1 + j()), cy - hh * (1 + j())), (cx - hw * (1 + j()), cy + hh * (1 + j())))
    return [_pen_line(*a, width, opacity, rng, bend=rng.uniform(-0.04, 0.04)),
            _pen_line(*b, width, opacity, rng, bend=rng.uniform(-0.04, 0.04))]


def _tick_mark(box, rng, width, opacity, scale=1.0):
    """A tick drawn as two strokes."""
    x0, y0, x1, y1 = box
    s = (x1 - x0) * scale
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    p0 = (cx - 0.40 * s, cy + rng.uniform(-0.05, 0.1) * s)
    p1 = (cx - 0.10 * s + rng.uniform(-0.05, 0.05) * s, cy + 0.38 * s)
    p2 = (cx + 0.45 * s, cy - 0.55 * s + rng.uniform(-0.1, 0.1) * s)
    pts1, w1, o1 = _pen_line(p0, p1, width, opacity, rng)
    pts2, w2, o2 = _pen_line(p1, p2, width, opacity, rng, bend=rng.uniform(-0.05, 0.05))
    return [(np.concatenate([pts1, pts2]), np.concatenate([w1, w2]), np.concatenate([o1, o2]))]


def _fill_mark(box, rng, width, opacity, cover=None, scale=1.0):
    """A zig-zag scribble filling (most of) a box."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hw, hh = (x1 - x0) / 2 * scale, (y1 - y0) / 2 * scale
    cover = cover if cover is not None else rng.uniform(0.75, 0.95)
    step = max(2.0, width * rng.uniform(0.9, 1.4))
    k = int(2 * hh * cover / step)
    pts = []
    for i in range(k + 1):
        y = cy - hh * cover + i * step
        xs = (cx - hw * cover, cx + hw * cover) if i % 2 == 0 else (cx + hw * cover, cx - hw * cover)
        pts += [(xs[0] + rng.normal(0, 1), y + rng.normal(0, 0.5)), (xs[1] + rng.normal(0, 1), y + step / 2)]
    pts = np.asarray(pts, float)
    n = len(pts)
    return [(pts, np.full(n, width * 1.1), np.full(n, opacity))]


def _hand_alpha(text: str, px: int, rng: np.random.Generator, weight: int = 0) -> np.ndarray:
    """Coverage mask of handwritten-looking text: jittered per-character placement, slight rotation."""
    text = unicodedata.normalize("NFC", text)
    f = load_font(hand_font_for(text), px)
    W = int(px * (len(text) * 0.75 + 2))
    Hh = int(px * 2.2)
    img = Image.new("L", (W, Hh), 0)
    d = ImageDraw.Draw(img)
    x = px * 0.5
    base = px * 1.45
    for ch in text:
        fc = load_font(hand_font_for(text), max(6, int(px * rng.uniform(0.92, 1.08))))
        d.text((x, base + rng.normal(0, 0.05) * px), ch, font=fc, fill=int(rng.uniform(200, 255)), anchor="ls",
               stroke_width=weight, stroke_fill=int(rng.uniform(200, 255)))
        x += fc.getlength(ch) * rng.uniform(0.95, 1.12)
    a = np.asarray(img, np.float32)[:, : int(x + px * 0.5)] / 255.0
    h, w = a.shape
    M = cv2.getRotationMatrix2D((w / 2, h / 2), float(rng.uniform(-5, 5)), 1.0)
    M[0, 1] += rng.uniform(-0.1, 0.15)          # a little slant
    return cv2.warpAffine(a, M, (w, h))


def _pen(spec, rng, dpi):
    """Resolve the pen (colour, width in page px, opacity, pencil) for a fill spec."""
    name = spec.get("pen", "blue")
    color, (olo, ohi) = PENS[name]
    width = spec.get("width", float(rng.uniform(*PEN_WIDTH_PX200))) * dpi / PEN_REF_DPI
    opacity = spec.get("strength", float(rng.uniform(olo, ohi)))
    return color, width, opacity, name == "pencil"


def _place_hand(page, geometry, alpha, rng, where="below"):
    """Place a handwriting mask below the list (free area), beside a name, or in the bottom margin."""
    H, W = page.shape[:2]
    h, w = alpha.shape
    fa = geometry.get("free_area")
    if where == "below" and fa and fa[2] - fa[0] > w and fa[3] - fa[1] > h:
        x = int(rng.uniform(fa[0], max(fa[0] + 1, min(fa[2] - w, fa[0] + (fa[2] - fa[0]) * 0.5))))
        y = int(rng.uniform(fa[1], max(fa[1] + 1, min(fa[3] - h, fa[1] + h * 2))))
        return x, y
    rows = list(geometry["rows"])
    rng.shuffle(rows)
    for r in rows:
        space = r["row_box"][2] - r["text_box"][2]
        if space > w + 20:
            x = int(r["text_box"][2] + rng.uniform(10, space - w - 5))
            y = int(r["baseline"] - h * 0.66)
            return x, y
    return int(rng.uniform(0.1, 0.5) * W), int(H - h - rng.uniform(0.01, 0.03) * H)


def fill_ballot(blank_rgb: np.ndarray, geometry: dict, spec: dict, rng: np.random.Generator) -> np.ndarray:
    """Fill a ballot in; returns a new RGB array (``blank_rgb`` is not modified).

    ``spec`` keys (all optional); names are truth labels or row indexes:

    - ``seal`` (bool, default: stamp when the blank has none) — stamp a fresh hand-applied seal
    - ``pen`` one of PENS ("blue", "darkblue", "black", "purple", "pencil", "faintblue"),
      ``width`` (px at 200 dpi), ``strength`` (opacity 0..1)
    - ``strike``: names struck through; ``style``: {name: {"wavy", "double", "overshoot_left",
      "overshoot_right", "slope", "dy"}} (missing keys random)
    - ``partial``: {name: fraction 0..1 of the width struck (from a random start)}
    - ``two_rows``: name whose strike runs diagonally into the next row
    - ``underline``: names underlined below the baseline
    - ``faint``: names with a faint short ambiguous mark
    - ``marks``: {name: "x" | "tick" | "fill" | "scribble" | "outside" | "straddle"} (mark ballots: the
      printed box; approve ballots: the "yes" cell unless ``approve`` is given)
    - ``approve``: {name: "yes" | "no" | "both" | "none"} (approve ballots), ``approve_mark`` "x"/"tick"
    - ``write_in``: text handwritten on the ballot; ``note``: a short handwritten note;
      ``hand_where``: "below" (default) or "beside"
    """
    dpi = geometry["dpi"]
    page = np.array(blank_rgb, dtype=np.uint8)
    if spec.get("seal", not geometry.get("sealed")):
        stamp_seal(page, dict(geometry), rng)
    color, width, opacity, pencil = _pen(spec, rng, dpi)
    paths = []
    styles = spec.get("style", {})
    for key in spec.get("strike", []):
        r = _row(geometry, key)
        st = dict(styles.get(r["name"], {}))
        st.setdefault("wavy", bool(rng.random() < 0.3))
        st.setdefault("double", bool(rng.random() < 0.12))
        paths += _strike_paths(r, rng, width, opacity, st, dpi=dpi)
    for key, frac in spec.get("partial", {}).items():
        r = _row(geometry, key)
        start = float(rng.uniform(0, 1 - frac)) if rng.random() < 0.5 else 0.0
        paths += _strike_paths(r, rng, width, opacity, {"overshoot_left": 0.0}, frac=(start, start + frac), dpi=dpi)
    if spec.get("two_rows") is not None:
        r = _row(geometry, spec["two_rows"])
        nxt = geometry["rows"][r["index"] + 1]
        x0, x1 = r["text_box"][0], max(r["text_box"][2], nxt["text_box"][2])
        p0 = (x0 - rng.uniform(0, 0.05) * (x1 - x0), r["mid_y"])
        p1 = (x0 + rng.uniform(0.6, 1.0) * (x1 - x0), nxt["mid_y"] + rng.uniform(-0.2, 0.3) * nxt["x_height"])
        paths.append(_pen_line(p0, p1, width, opacity, rng, bend=rng.uniform(-0.02, 0.02), wobble=0.05 * r["x_height"]))
    for key in spec.get("underline", []):
        r = _row(geometry, key)
        x0, _, x1, _ = r["text_box"]
        y = r["baseline"] + rng.uniform(0.25, 0.45) * r["x_height"] + r["x_height"] * 0.25
        paths.append(_pen_line((x0 - rng.uniform(0, 0.05) * (x1 - x0), y), (x1 + rng.uniform(-0.05, 0.08) * (x1 - x0), y + rng.normal(0, 2)),
                               width, opacity, rng, wobble=0.08 * r["x_height"]))
    kind = geometry["kind"]
    approve = dict(spec.get("approve", {}))
    marks = dict(spec.get("marks", {}))
    if kind == "approve":
        for key, how in list(marks.items()):
            approve.setdefault(_row(geometry, key)["name"], "yes")
    for key, how in approve.items():
        r = _row(geometry, key)
        cells = [r["cells"][c] for c in {"yes": ["yes"], "no": ["no"], "both": ["yes", "no"], "none": []}[how]]
        for cell in cells:
            side = min(cell[2] - cell[0], cell[3] - cell[1])
            cx = (cell[0] + cell[2]) / 2 + rng.uniform(-0.15, 0.15) * (cell[2] - cell[0]) * (side < cell[2] - cell[0])
            cy = (cell[1] + cell[3]) / 2 + rng.uniform(-0.08, 0.08) * side
            s = side * rng.uniform(0.28, 0.36) if side > _mm(7, dpi) else side * 0.5
            box = [cx - s, cy - s, cx + s, cy + s]
            style = spec.get("approve_mark", "x")
            paths += _tick_mark(box, rng, width, opacity) if style == "tick" else _x_mark(box, rng, width, opacity)
    if kind == "mark":
        for key, how in marks.items():
            r = _row(geometry, key)
            box = r["cells"]["mark"]
            side = box[2] - box[0]
            if how == "x":
                paths += _x_mark(box, rng, width, opacity, scale=rng.uniform(0.75, 1.05))
            elif how == "tick":
                paths += _tick_mark(box, rng, width, opacity, scale=rng.uniform(0.8, 1.1))
            elif how == "fill":
                paths += _fill_mark(box, rng, width, opacity)
            elif how == "scribble":   # a mark crossed out by a dense scribble over and around the box
                paths += _x_mark(box, rng, width, opacity, scale=0.9)
                paths += _fill_mark(box, rng, width * 0.9, opacity, cover=1.0, scale=rng.uniform(1.3, 1.6))
            elif how == "outside":    # an X half outside the box
                ang = rng.uniform(0, 2 * np.pi)
                c = ((box[0] + box[2]) / 2 + math.cos(ang) * side * 0.6, (box[1] + box[3]) / 2 + math.sin(ang) * side * 0.6)
                paths += _x_mark(box, rng, width, opacity, center=c, scale=rng.uniform(0.8, 1.0))
            elif how == "straddle":   # one X spanning this box and the next row's box
                nb = geometry["rows"][r["index"] + 1]["cells"]["mark"]
                c = ((box[0] + nb[2]) / 2, (box[1] + nb[3]) / 2)
                big = [c[0] - side * 0.6, box[1] + side * 0.2, c[0] + side * 0.6, nb[3] - side * 0.2]
                paths += _x_mark(big, rng, width, opacity, scale=1.0)
            else:
                raise ValueError(f"unknown mark {how!r}")
    if paths:
        ink_paths(page, paths, color, rng, pencil)
    faint_paths = []
    for key in spec.get("faint", []):
        r = _row(geometry, key)
        x0, _, x1, _ = r["text_box"]
        a = x0 + rng.uniform(0.1, 0.5) * (x1 - x0)
        faint_paths.append(_pen_line((a, r["mid_y"] + rng.normal(0, 0.1) * r["x_height"]),
                                     (a + rng.uniform(0.2, 0.45) * (x1 - x0), r["mid_y"] + rng.normal(0, 0.2) * r["x_height"]),
                                     max(1.0, width * 0.6), rng.uniform(0.12, 0.22), rng, wobble=0.1 * r["x_height"]))
    if faint_paths:
        ink_paths(page, faint_paths, color, rng, pencil=True)
    for key in ("write_in", "note"):
        if spec.get(key):
            px = _pt(float(rng.uniform(*HAND_PT_RANGE)), dpi)
            alpha = _hand_alpha(spec[key], px, rng, weight=max(0, int(round(width / 3)) - 1))
            x, y = _place_hand(page, geometry, alpha, rng, spec.get("hand_where", "below"))
            alpha = alpha * opacity
            if pencil:
                alpha *= np.where(rng.random(alpha.shape, dtype=np.float32) < 0.25, 0.3, 1.0)
            blend_ink(page, alpha, x, y, color)
    return as_page(page, dpi)


# --------------------------------------------------------------------------------------------
# Scanner simulation
# --------------------------------------------------------------------------------------------
def random_scan_params(rng: np.random.Generator, dpi_range=SCAN_DPI_RANGE, grey_only=False, clean=False,
                       quality=None) -> dict:
    """Draw scanner settings and defects for one page (the keyword arguments of ``scan``)."""
    dpi = int(rng.choice([150, 200, 200, 200, 240, 300, 300])) if tuple(dpi_range) == SCAN_DPI_RANGE \
        else int(rng.integers(dpi_range[0], dpi_range[1] + 1))
    dpi = int(np.clip(dpi, dpi_range[0], dpi_range[1]))
    grey = grey_only or bool(rng.random() < P_GREY)
    r = rng.random()
    fmt = "jpg" if quality or r < 0.88 else ("png" if r < 0.95 else "tif")
    q = int(quality or rng.integers(JPEG_QUALITY[0], JPEG_QUALITY[1] + 1))
    if clean:
        return {"dpi": dpi, "grey": grey, "jpeg_quality": q, "fmt": fmt, "clean": True}
    rot = 0.0 if rng.random() < P_NEAR_ZERO_ROTATION else float(rng.uniform(-MAX_ROTATION_DEG, MAX_ROTATION_DEG))
    if rot == 0.0:
        rot = float(rng.normal(0, 0.25))
    fold = None
    if rng.random() < P_FOLD:
        fold = float(rng.choice([rng.uniform(0.15, 0.85), 1 / 3, 0.5, 2 / 3]) + rng.normal(0, 0.02))
    return {"dpi": dpi, "rotate_deg": rot, "upside_down": bool(rng.random() < P_UPSIDE_DOWN), "grey": grey,
            "jpeg_quality": q, "fmt": fmt, "fold": fold, "streak": bool(rng.random() < P_STREAK),
            "perspective": PERSPECTIVE_MAX_FRAC * float(rng.uniform(0.2, 1.0)),
            "bed_strip": bool(rng.random() < P_BED_STRIP)}


def _apply_crease(img: np.ndarray, y_frac: float, rng) -> None:
    """A fold crease across the page: a faint dark line with a light highlight beside it and a soft
    shade on one side (uint8 image, modified in place on a band only)."""
    H, W = img.shape[:2]
    yc = y_frac * H
    slope = math.tan(math.radians(rng.uniform(-0.4, 0.4)))
    band = int(max(12, H * 0.012))
    y0, y1 = int(max(0, yc - band - abs(slope) * W)), int(min(H, yc + band + abs(slope) * W))
    if y1 <= y0:
        return
    yy, xx = np.mgrid[y0:y1, 0:W].astype(np.float32)
    dist = yy - (yc + slope * (xx - W / 2))
    wpx = rng.uniform(0.5, 1.0) * max(1.0, H / 2339)
    dark = rng.uniform(0.06, 0.16) * np.exp(-0.5 * (dist / wpx) ** 2)
    light = rng.uniform(0.03, 0.07) * np.exp(-0.5 * ((dist - 2.2 * wpx) / (wpx * 1.2)) ** 2)
    shade = rng.uniform(0.01, 0.03) * np.exp(-np.maximum(0, -dist) / (band / 3)) * (dist < 0)
    f = 1 - dark - shade
    crop = img[y0:y1].astype(np.float32)
    crop = crop * (f[..., None] if img.ndim == 3 else f)
    crop = crop + 255 * (light[..., None] if img.ndim == 3 else light) * 0.6     # raised paper catches light
    img[y0:y1] = np.clip(crop, 0, 255).astype(np.uint8)


MAP_CELL_PX = 16   # the geometric map is computed on a coarse grid and interpolated


def _coarse_grid(W: int, H: int):
    """Coarse node coordinates whose bilinear upsampling (cv2.resize convention) is exact inside the page.

    Returns (gx, gy, fit) where ``fit(values)`` upsamples node values to a float32 HxW map.
    """
    c = MAP_CELL_PX
    nw, nh = W // c + 3, H // c + 3
    # With cv2.resize from nw to nw*c pixels, node j sits at output pixel c*j + (c-1)/2; crop one cell.
    xs = c * np.arange(nw) + (c - 1) / 2 - c
    ys = c * np.arange(nh) + (c - 1) / 2 - c
    gy, gx = np.meshgrid(ys, xs, indexing="ij")

    def fit(v):
        big = cv2.resize(v.astype(np.float32), (nw * c, nh * c), interpolation=cv2.INTER_LINEAR)
        return np.ascontiguousarray(big[c:c + H, c:c + W])
    return gx, gy, fit


def scan_array(rgb: np.ndarray, rng: np.random.Generator, dpi: int = 200, src_dpi: int | None = None,
               rotate_deg: float = 0.0, upside_down: bool = False, grey: bool = False, fold=None,
               streak: bool = False, perspective: float = 0.0, bed_strip: bool = False, clean: bool = False,
               blur_sigma: float | None = None, noise_sigma: float | None = None, warp_px: float | None = None,
               **_ignored) -> np.ndarray:
    """Scanner simulation on an RGB page rendered at ``src_dpi`` (default: the page's ``.dpi`` when it is
    a PageArray from render_blank / fill_ballot, else ``dpi``, i.e. no resampling).

    Returns an HxWx3 (or HxW when ``grey``) uint8 image of the page size at ``dpi``.  ``fold`` is None or
    the crease height as a fraction of the page (True = random); ``perspective`` is the maximum corner
    offset as a fraction of the page size.  ``clean`` only resamples (and converts to grey).
    """
    src_dpi = src_dpi or getattr(rgb, "dpi", None) or dpi
    rgb = np.asarray(rgb)
    h0, w0 = rgb.shape[:2]
    W, H = int(round(w0 * dpi / src_dpi)), int(round(h0 * dpi / src_dpi))
    img = cv2.resize(rgb, (W, H), interpolation=cv2.INTER_AREA) if (W, H) != (w0, h0) else rgb.copy()
    if clean:
        return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if grey else img
    k = dpi / PEN_REF_DPI
    if fold is not None and fold is not False:
        _apply_crease(img, float(rng.uniform(0.2, 0.8)) if fold is True else float(fold), rng)
    # Geometry: page -> scanner bed (rotation, 180° turn, slight scale/shift, keystone) + smooth warp.
    ang = math.radians(rotate_deg + (180.0 if upside_down else 0.0))
    scale = float(rng.uniform(0.985, 1.0))
    shift = np.zeros(2)
    if bed_strip:
        side = rng.integers(4)
        amt = rng.uniform(0.006, 0.02) * (W if side < 2 else H)
        shift = np.array([[amt, 0], [-amt, 0], [0, amt], [0, -amt]][side], float)
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    c = np.array([W / 2, H / 2])
    R = np.array([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]])
    dst = (src - c) @ R.T * scale + c + shift
    dst += rng.uniform(-1, 1, (4, 2)) * perspective * np.array([W, H])
    Hinv = cv2.getPerspectiveTransform(np.float32(dst), src)
    gx, gy, fit = _coarse_grid(W, H)
    pts = cv2.perspectiveTransform(np.stack([gx, gy], -1).reshape(-1, 1, 2), Hinv).reshape(gx.shape + (2,))
    wamp = (WARP_MAX_PX200 if warp_px is None else warp_px) * k
    for ax in range(2):
        fx, fy, ph = rng.uniform(0.5, 2.0), rng.uniform(0.5, 2.0), rng.uniform(0, 2 * np.pi)
        pts[..., ax] += wamp * rng.uniform(0.3, 1.0) * np.sin(2 * np.pi * (fx * gx / W + fy * gy / H) + ph)
    mx, my = fit(pts[..., 0]), fit(pts[..., 1])
    bed = int(rng.uniform(170, 235))
    out = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(bed, bed, bed))
    sigma = blur_sigma if blur_sigma is not None else float(rng.uniform(*BLUR_SIGMA_PX))
    out = cv2.GaussianBlur(out, (0, 0), sigma)
    # Brightness field at quarter resolution: uneven illumination x shadow just outside the paper edge.
    q = 4
    inside = cv2.remap(np.full((H, W), 255, np.uint8), np.ascontiguousarray(mx[::q, ::q]),
                       np.ascontiguousarray(my[::q, ::q]), cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                       borderValue=0).astype(np.float32) / 255
    soft = cv2.GaussianBlur(inside, (0, 0), max(1.0, 4 * k / q))
    sh, sw = inside.shape
    illum = cv2.resize(rng.uniform(0.955, 1.015, (3, 4)).astype(np.float32), (sw, sh), interpolation=cv2.INTER_CUBIC)
    field = illum * (1 - 0.35 * np.clip(soft - inside, 0, 1))
    tone = np.array([rng.uniform(0.955, 0.99), rng.uniform(0.95, 0.985), rng.uniform(0.92, 0.97)], np.float32)
    if grey:     # a grey scan: convert early, then work on one channel
        out = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
        field = field * float(tone @ np.float32([0.299, 0.587, 0.114]))
    else:
        field = field[..., None] * tone
    # Brightness as a uint8 gain (255 = 1.0): applied with a saturating SIMD multiply.
    gain = cv2.resize(np.clip(field * 255, 0, 255).astype(np.uint8), (W, H), interpolation=cv2.INTER_LINEAR)
    if streak:   # a scanner-glass streak: a thin faint vertical line over the whole page height
        x = int(rng.uniform(0.05, 0.95) * W)
        wd = max(1, int(round(rng.uniform(1, 2) * k)))
        f = rng.uniform(0.86, 0.94) if rng.random() < 0.7 else rng.uniform(1.03, 1.06)
        gain[:, x:x + wd] = np.clip(gain[:, x:x + wd].astype(np.float32) * f, 0, 255).astype(np.uint8)
    out = cv2.multiply(out, gain, scale=1 / 255)
    ns = noise_sigma if noise_sigma is not None else float(rng.uniform(*NOISE_SIGMA))
    noise = np.empty(out.shape, np.int16)
    cv2.setRNGSeed(int(rng.integers(2**31 - 1)))
    cv2.randn(noise, 0.0, ns)
    return cv2.add(out, noise, dtype=cv2.CV_8U)


def encode_image(img: np.ndarray, fmt: str = "jpg", dpi: int = 200, jpeg_quality: int = 85) -> tuple[bytes, str]:
    """Encode a scan (with its dpi in the file) as JPEG, PNG or TIFF.  Returns (bytes, ext)."""
    im = Image.fromarray(img)
    buf = io.BytesIO()
    if fmt == "jpg":
        im.save(buf, "JPEG", quality=int(jpeg_quality), dpi=(dpi, dpi))
    elif fmt == "png":
        im.save(buf, "PNG", dpi=(dpi, dpi), compress_level=3)
    elif fmt == "tif":
        im.save(buf, "TIFF", dpi=(dpi, dpi), compression="tiff_deflate")
    else:
        raise ValueError(fmt)
    return buf.getvalue(), fmt


def scan(rgb: np.ndarray, rng: np.random.Generator, dpi: int = 200, rotate_deg: float = 0.0,
         upside_down: bool = False, grey: bool = False, jpeg_quality: int = 85, fold=None, streak: bool = False,
         perspective: float = 0.0, src_dpi: int | None = None, fmt: str = "jpg", **kw) -> tuple[bytes, str]:
    """Scan a page: ``scan_array`` then encode.  Returns ``(encoded bytes, ext)`` with ext "jpg"/"png"/"tif"."""
    img = scan_array(rgb, rng, dpi=dpi, src_dpi=src_dpi, rotate_deg=rotate_deg, upside_down=upside_down,
                     grey=grey, fold=fold, streak=streak, perspective=perspective, **kw)
    return encode_image(img, fmt, dpi, jpeg_quality)


def refeed(data: bytes, seed: int) -> bytes:
    """The same sheet fed through the scanner again: the scan ``data`` (any image format) with another
    small skew, shift, scale, exposure, noise and JPEG quality. Returns JPEG bytes."""
    rng = np.random.default_rng(seed)
    g = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    h, w = g.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), float(rng.uniform(-1.5, 1.5)), float(rng.uniform(0.93, 0.97)))
    m[:, 2] += rng.uniform(-15, 15, 2)
    g = cv2.warpAffine(g, m, (w, h), borderValue=245)
    g = np.clip(g.astype(np.float32) * 0.97 + 6 + rng.normal(0, 3, g.shape), 0, 255).astype(np.uint8)
    return cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()


# --------------------------------------------------------------------------------------------
# Cases: what the voter did, and the truth
# --------------------------------------------------------------------------------------------
# (case, relative frequency, n from which the set holds at least one)
CASES = {
    "strike": [("normal", 0.60, 0), ("exact", 0.06, 20), ("undervote", 0.03, 20), ("overvote", 0.07, 10),
               ("all_struck", 0.03, 10), ("write_in", 0.04, 10), ("note", 0.03, 20), ("partial", 0.03, 10),
               ("two_rows", 0.03, 20), ("underline", 0.015, 40), ("faint", 0.01, 60), ("blank", 0.02, 10),
               ("foreign", 0.02, 20)],
    "mark": [("normal", 0.62, 0), ("exact", 0.08, 20), ("undervote", 0.03, 30), ("overvote", 0.08, 10),
             ("all_struck", 0.04, 10), ("write_in", 0.03, 20), ("note", 0.02, 30), ("partial", 0.03, 10),
             ("two_rows", 0.02, 30), ("scribble", 0.02, 20), ("blank", 0.015, 20), ("foreign", 0.02, 10)],
    "approve": [("yes-no", 0.66, 0), ("void_row", 0.20, 10), ("write_in", 0.05, 10), ("note", 0.04, 20),
                ("blank", 0.02, 20), ("foreign", 0.03, 10)],
}
REVIEW_CASES = {"partial", "two_rows", "underline", "faint", "scribble"}


def case_schedule(kind: str, n: int, rng: np.random.Generator, cases: list[str] | None = None) -> list[str]:
    """A shuffled list of ``n`` cases with realistic frequencies; rare important cases are guaranteed
    from a set size on.  ``cases`` restricts the choice (each listed case appears at least once when n
    allows)."""
    table = CASES[kind]
    if cases:
        known = {c for c, _, _ in table}
        bad = [c for c in cases if c not in known]
        if bad:
            raise ValueError(f"unknown case(s) for {kind}: {bad}; known: {sorted(known)}")
        table = [(c, f, 0) for c, f, _ in table if c in cases]
        tot = sum(f for _, f, _ in table)
        table = [(c, f / tot, 0) for c, f, _ in table]
        base = table[0][0]
        counts = {c: int(f * n) for c, f, _ in table}
        for c, _, _ in table:
            if n >= len(table):
                counts[c] = max(counts[c], 1)
    else:
        base = table[0][0]
        counts = {c: int(round(f * n)) for c, f, _ in table[1:]}
        for c, _, thr in table[1:]:
            if thr and n >= thr:
                counts[c] = max(counts[c], 1)
        counts[base] = 0
    while sum(counts.values()) > n:      # tiny sets: drop the most frequent extra cases first
        c = max((c for c in counts if counts[c] > 0), key=lambda c: counts[c])
        counts[c] -= 1
    counts[base] += n - sum(counts.values())
    sched = [c for c, k in counts.items() for _ in range(k)]
    rng.shuffle(sched)
    return sched


def _pick(rng, names, k):
    k = int(np.clip(k, 0, len(names)))
    return [names[i] for i in sorted(rng.choice(len(names), k, replace=False))]


def _pick_pen(rng):
    names = list(PEN_WEIGHTS)
    return str(rng.choice(names, p=np.array(list(PEN_WEIGHTS.values())) / sum(PEN_WEIGHTS.values())))


def plan_ballot(election: dict, geometry: dict, case: str, rng: np.random.Generator) -> tuple[dict, dict]:
    """Choose what the voter does for a case.  Returns ``(fill spec, truth record without source/page)``."""
    kind = election["ballot"]
    names = list(election["labels"])
    n, seats = len(names), election["seats"]
    pen = _pick_pen(rng)
    spec = {"pen": pen, "width": float(rng.uniform(*PEN_WIDTH_PX200))}
    truth = {"kind": "ballot", "valid": True, "expect": "review" if case in REVIEW_CASES else "count",
             "case": case, "pen": "blue" if pen == "faintblue" else pen}
    lo_normal = max(1, int(math.ceil(seats * 0.6)))
    if kind == "approve":
        return _plan_approve(names, case, rng, spec, truth)
    if case in ("normal", "write_in", "note", "partial", "two_rows", "underline", "faint", "scribble"):
        k = int(rng.integers(lo_normal, seats + 1))
    elif case == "exact":
        k = seats
    elif case == "undervote":
        k = int(rng.integers(1, max(1, seats // 2) + 1))
    elif case == "overvote":
        k = int(min(n, seats + 1 + rng.geometric(0.5) - 1))
    elif case == "all_struck":
        k = 0
    else:
        raise ValueError(f"unknown case {case!r} for {kind}")
    if case in REVIEW_CASES:
        k = max(k, 2)
    standing = _pick(rng, names, k)
    unclear = None
    if kind == "strike":
        if case == "two_rows":
            cands = [i for i in range(n - 1) if names[i] not in standing and names[i + 1] in standing]
            if not cands:                       # make one: struck name directly above a standing one
                j = names.index(standing[-1]) if names.index(standing[-1]) > 0 else names.index(standing[0])
                j = max(1, j)
                if names[j - 1] in standing:
                    standing.remove(names[j - 1])
                if names[j] not in standing:
                    standing.append(names[j])
                cands = [j - 1]
            i = int(rng.choice(cands))
            spec["two_rows"] = names[i]
            unclear = names[i + 1]
        elif case in ("partial", "underline", "faint"):
            unclear = str(rng.choice(standing))
            if case == "partial":
                spec["partial"] = {unclear: float(rng.uniform(0.25, 0.45))}
            else:
                spec[case] = [unclear]
        struck = [nm for nm in names if nm not in standing and nm != spec.get("two_rows")]
        spec["strike"] = struck
        if rng.random() < 0.15:    # some voters go over every strike twice, some use wavy strokes
            spec["style"] = {nm: {"double": True} for nm in struck}
        elif rng.random() < 0.2:
            spec["style"] = {nm: {"wavy": True} for nm in struck}
        spec["style"] = spec.get("style", {})
    else:  # mark
        style = str(rng.choice(["x", "tick", "fill"], p=[0.6, 0.3, 0.1]))
        spec["marks"] = {nm: style for nm in standing}
        if case == "partial":
            unclear = str(rng.choice([nm for nm in names if nm not in standing]))
            spec["marks"][unclear] = "outside"
        elif case == "scribble":
            unclear = str(rng.choice([nm for nm in names if nm not in standing]))
            spec["marks"][unclear] = "scribble"
        elif case == "two_rows":
            cands = [i for i in range(n - 1) if names[i + 1] not in standing]
            i = int(rng.choice(cands)) if cands else 0
            if names[i + 1] in standing:
                standing.remove(names[i + 1])
                spec["marks"].pop(names[i + 1])
            spec["marks"][names[i]] = "straddle"
            if names[i] not in standing:
                standing.append(names[i])
            unclear = names[i + 1]
    standing = [nm for nm in names if nm in standing]
    if unclear:
        truth["unclear"] = unclear
    _hand(case, spec, rng, election)
    truth.update(_validity(case, standing, seats))
    truth["marked"] = standing
    return spec, truth


def _hand(case, spec, rng, election):
    """Add handwriting for write_in / note cases."""
    if case == "write_in":
        while True:
            nm, _ = random_person(rng)
            if nm not in election["labels"]:
                break
        spec["write_in"] = nm
        spec["hand_where"] = "below" if rng.random() < 0.75 else "beside"
    elif case == "note":
        spec["note"] = str(rng.choice(NOTE_TEXTS))
        spec["hand_where"] = "below" if rng.random() < 0.6 else "beside"


def _validity(case, standing, seats):
    if case == "write_in":
        return {"valid": False, "reason": "write_in", "votes": []}
    if case == "note":
        return {"valid": False, "reason": "extra_writing", "votes": []}
    if len(standing) > seats:
        return {"valid": False, "reason": "overvote", "votes": []}
    if not standing:
        return {"valid": False, "reason": "no_votes", "votes": []}
    return {"valid": True, "votes": list(standing)}


def _plan_approve(names, case, rng, spec, truth):
    """Approve ("Đồng ý" / "Không đồng ý") ballots: one mark per row, void rows, handwriting."""
    if case not in ("yes-no", "void_row", "write_in", "note"):
        raise ValueError(f"unknown case {case!r} for approve")
    p_yes = rng.uniform(0.6, 0.95)
    how = {nm: ("yes" if rng.random() < p_yes else "no") for nm in names}
    if case == "void_row" or (case in ("write_in", "note") and rng.random() < 0.3):
        for nm in _pick(rng, names, int(rng.integers(1, 3))):
            how[nm] = "both" if rng.random() < 0.5 else "none"
    if not any(v == "yes" for v in how.values()):
        how[names[int(rng.integers(len(names)))]] = "yes"
    spec["approve"] = how
    spec["approve_mark"] = "x" if rng.random() < 0.8 else "tick"
    yes = [nm for nm in names if how[nm] == "yes"]
    truth["against"] = [nm for nm in names if how[nm] == "no"]
    truth["void_rows"] = [nm for nm in names if how[nm] in ("both", "none")]
    _hand(case, spec, rng, {"labels": names})
    if case in ("write_in", "note"):
        truth.update(_validity(case, yes, len(names)))
    else:
        truth.update({"valid": True, "votes": yes})
    truth["marked"] = yes
    return spec, truth


# --------------------------------------------------------------------------------------------
# Sets
# --------------------------------------------------------------------------------------------
def _default_candidates(kind, layout, rng):
    if layout == "twocol":
        return int(rng.integers(24, 33))
    if kind == "strike":
        return int(rng.integers(7, 19))
    return int(rng.integers(5, 11))


def _order_truth(t: dict) -> dict:
    keys = ["kind", "valid", "expect", "case", "pen", "unclear", "against", "void_rows", "reason", "votes",
            "marked", "fold", "source", "page"]
    return {k: t[k] for k in keys if k in t}


def generate_set(outdir, kind: str = "strike", layout: str = "table", n: int = 40, seed: int = 1,
                 font: str = "serif", dpi_range=SCAN_DPI_RANGE, pdf: bool = False, cases: list[str] | None = None,
                 grey_only: bool = False, clean: bool = False, honorific: bool = False,
                 duplicate_name: bool = False, n_candidates: int | None = None, seats: int | None = None,
                 paper: str | None = None, quality: int | None = None, blank_grey: bool = False,
                 verbose: bool = False) -> list[dict]:
    """Generate a complete set directory; returns the truth records."""
    out = Path(outdir)
    (out / "scans").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 1])
    nc = n_candidates or _default_candidates(kind, layout, rng)
    election = make_election(nc, seats, kind, seed, honorific=honorific, duplicate_name=duplicate_name)
    election["electorate"] = max(election["electorate"], n + int(rng.integers(5, 120)))
    form, geom = render_form(election, layout, font, RENDER_DPI, seed, paper)
    (out / "election.toml").write_text(election_toml(election), encoding="utf-8")
    # blank.png: the committee's scan of a sealed blank ballot, ~200 dpi, slight skew.
    blank = form.copy()
    stamp_seal(blank, dict(geom), np.random.default_rng([seed, 2]))
    brng = np.random.default_rng([seed, 3])
    bimg = scan_array(blank, brng, dpi=200, src_dpi=RENDER_DPI, rotate_deg=float(brng.uniform(-1, 1)),
                      grey=blank_grey, perspective=0.001, clean=clean, noise_sigma=1.0 if blank_grey else None)
    if blank_grey:   # keep it small: a JPEG round trip makes the PNG compress like a scanner's output
        bimg = cv2.imdecode(cv2.imencode(".jpg", bimg, [cv2.IMWRITE_JPEG_QUALITY, 80])[1], cv2.IMREAD_GRAYSCALE)
    Image.fromarray(bimg).save(out / "blank.png", dpi=(200, 200), compress_level=9 if blank_grey else 3)

    sched = case_schedule(kind, n, rng, cases)
    foreign_forms = []
    pdf_pages, pdf_dpi = [], int(rng.choice([150, 200, 200, 300]))
    pdf_dpi = int(np.clip(pdf_dpi, dpi_range[0], dpi_range[1]))
    truths = []
    for i, case in enumerate(sched):
        prng = np.random.default_rng([seed, 1000 + i])
        if case == "blank":
            tone = int(prng.integers(246, 256))
            page = np.full_like(form, tone)
            truth = {"kind": "blank", "expect": "reject"}
        elif case == "foreign":
            if len(foreign_forms) < 2:
                fkind = kind
                fe = make_election(_default_candidates(fkind, "table", prng), None, fkind, seed * 7919 + 17 + len(foreign_forms),
                                   exclude=set(election["labels"]),
                                   district=str(prng.choice([d for d in DISTRICTS if d != election["district"]])))
                flayout = str(prng.choice(["table", "list"]))
                foreign_forms.append((fe, *render_form(fe, flayout, font, RENDER_DPI, seed + 1 + len(foreign_forms))))
            fe, fform, fgeom = foreign_forms[int(prng.integers(len(foreign_forms)))]
            if prng.random() < 0.7:
                fcase = CASES[fe["ballot"]][0][0]
                spec, _ = plan_ballot(fe, fgeom, fcase, prng)
                page = fill_ballot(fform, fgeom, spec, prng)
            else:
                page = fill_ballot(fform, fgeom, {"seal": True}, prng)
            truth = {"kind": "foreign", "expect": "reject"}
        else:
            spec, truth = plan_ballot(election, geom, case, prng)
            page = fill_ballot(form, geom, spec, prng)
        sp = random_scan_params(prng, dpi_range, grey_only, clean, quality)
        if pdf:
            sp["dpi"], sp["fmt"] = pdf_dpi, "jpg"
        if sp.get("fold") is not None and truth["kind"] == "ballot":
            truth["fold"] = True
        img = scan_array(page, prng, src_dpi=RENDER_DPI, **sp)
        if pdf:
            data, _ = encode_image(img, "jpg", pdf_dpi, max(sp["jpeg_quality"], 80))
            pdf_pages.append(data)
            truth.update({"source": "scans/batch.pdf", "page": len(pdf_pages)})
        else:
            data, ext = encode_image(img, sp["fmt"], sp["dpi"], sp["jpeg_quality"])
            name = f"scans/ballot_{i:04d}.{ext}"
            (out / name).write_bytes(data)
            truth.update({"source": name, "page": 1})
        truths.append(_order_truth(truth))
        if verbose:
            print(f"{i + 1}/{n} {truth.get('case', truth['kind'])}", file=sys.stderr)
    if pdf:
        ims = [Image.open(io.BytesIO(b)) for b in pdf_pages]
        ims[0].save(out / "scans" / "batch.pdf", "PDF", save_all=True, append_images=ims[1:], resolution=float(pdf_dpi))
    with open(out / "truth.jsonl", "w", encoding="utf-8") as fh:
        for t in truths:
            fh.write(json.dumps(t, ensure_ascii=False) + "\n")
    return truths


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--kind", choices=["strike", "mark", "approve"], default="strike")
    ap.add_argument("--layout", choices=["table", "list", "twocol"], default="table")
    ap.add_argument("--n", type=int, default=40, help="pages in the set")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--font", choices=list(SERIF_FONTS), default="serif")
    ap.add_argument("--dpi-range", type=int, nargs=2, default=list(SCAN_DPI_RANGE), metavar=("LO", "HI"))
    ap.add_argument("--pdf", action="store_true", help="write all pages into one scans/batch.pdf")
    ap.add_argument("--cases", help="comma-separated cases to use (default: realistic mix)")
    ap.add_argument("--grey-only", action="store_true")
    ap.add_argument("--clean", action="store_true", help="no scanner defects (straight, no noise)")
    ap.add_argument("--honorific", action="store_true", help='print "Ông"/"Bà" before names')
    ap.add_argument("--duplicate-name", action="store_true", help="two equal names told apart by birth year")
    ap.add_argument("--candidates", type=int, help="number of candidates (default: random)")
    ap.add_argument("--seats", type=int)
    ap.add_argument("--paper", choices=list(PAPER_MM))
    ap.add_argument("--quality", type=int, help="fixed JPEG quality; all pages JPEG")
    ap.add_argument("--blank-grey", action="store_true", help="write blank.png as a small grey image")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    cases = [c.strip() for c in a.cases.split(",") if c.strip()] if a.cases else None
    truths = generate_set(a.outdir, a.kind, a.layout, a.n, a.seed, a.font, tuple(a.dpi_range), a.pdf, cases,
                          a.grey_only, a.clean, a.honorific, a.duplicate_name, a.candidates, a.seats, a.paper,
                          a.quality, a.blank_grey, a.verbose)
    print(f"wrote {len(truths)} pages to {a.outdir}")


if __name__ == "__main__":
    main()
