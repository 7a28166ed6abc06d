"""Judge a capture before reading its ballot: can a person's marks be seen in these pixels?

A phone photo may be blurred, taken from too far (too few pixels for the names' height), washed out by
glare over a name, or cut off by the frame; a 1-bit scan may have been made so light that the blank's
own print is thinned (a voter's faint mark then is gone), and what a threshold left of a seal whose colour
it took is no stray mark. Each is measured against the ballot itself
— its print, its text height — and gives a doubt: the ballot goes to a person with the reason ("ảnh
mờ, chụp lại"), never counted on doubtful pixels and never thrown out as "not a ballot".

A dithered 1-bit page is a cloud of dots standing for greys: it is read as the grey page it stands for
(``greyed_page``: low-passed by the smallest sigma that leaves its paper flat, ``dither_noise``, the grain
still left on its paper taken off, ``grain_level``), against the blank low-passed as much, and a box mark
whose dots, counted at the page's own resolution, are too few over the paper's for a sure mark is
unclear (``faint_dots``). On a thresholded 1-bit page, box marks the threshold broke into specks show
that a lighter mark may be gone: a light scan (``broken_marks``).

Measuring is kept apart from deciding: ``measure`` fills a ``CaptureMeasures``, ``doubts`` applies the
thresholds (``thresholds.py``, section "judging a capture").
"""
from __future__ import annotations

import dataclasses
import math

import cv2
import numpy as np

from ..records import EMPTY, STANDING, UNCLEAR, VOID, Box, Code, Layout, NameReading, PageReading
from . import thresholds as T
from .ink import ink_map
from .zones import box_inside


@dataclasses.dataclass
class CaptureMeasures:
    """What was measured of a capture (``None``: not measured for this capture)."""
    text_height_px: float | None = None    # the names' height in the image's own px
    blur_th: float | None = None           # blur added over the blank's, as a Gaussian sigma in text heights
    outside_share: float | None = None     # of the sheet (less its edge band): lying outside the image
    names_outside: int = 0                 # names lying (partly) outside the image
    glare_names: tuple[str, ...] = ()      # names whose print is washed out under bright paper
    print_kept: float | None = None        # 1-bit scans: the blank's print kept, as a share of the blank's
    sheet_print: float | None = None       # a photographed sheet that matched nothing: its print, over the blank's
    grey_px: float | None = None           # 1-bit scans: the low-pass (template px) that makes the page grey
    hidden_names: tuple[str, ...] = ()     # thresholded 1-bit scans: names whose print is gone, the rest kept

    def evidence(self) -> dict[str, float]:
        out = {}
        for k in ("text_height_px", "blur_th", "outside_share", "print_kept", "sheet_print", "grey_px"):
            v = getattr(self, k)
            if v is not None:
                out["capture_" + k] = round(float(v), 3)
        if self.names_outside:
            out["capture_names_outside"] = float(self.names_outside)
        if self.glare_names:
            out["capture_glare_names"] = float(len(self.glare_names))
        if self.hidden_names:
            out["capture_hidden_names"] = float(len(self.hidden_names))
        return out


def doubts(m: CaptureMeasures) -> list[Code]:
    """The doubts a capture's measures give (an empty list: the pixels can be read)."""
    out = []
    if m.outside_share is not None and (m.names_outside or m.outside_share > T.CUT_OFF_MAX_SHARE):
        out.append(Code.PHOTO_CUT_OFF)
    if m.text_height_px is not None and m.text_height_px < T.MIN_TEXT_HEIGHT_IMAGE_PX:
        out.append(Code.PHOTO_TOO_SMALL)
    elif m.blur_th is not None and m.blur_th > T.MAX_BLUR_TH:
        out.append(Code.PHOTO_BLURRED)
    if m.glare_names:
        out.append(Code.PHOTO_GLARE)
    if m.print_kept is not None and m.print_kept < T.MIN_PRINT_KEPT_SHARE:
        out.append(Code.LIGHT_SCAN)
    if m.hidden_names:
        out.append(Code.OBSTRUCTION)
    return out


# ------------------------------------------------------------------------------------------------
# Blur, against the blank's own print
# ------------------------------------------------------------------------------------------------
def names_region(layout: Layout) -> Box:
    """The box holding every printed name (template px)."""
    b = [s.name for s in layout.slots]
    return Box(min(x.x0 for x in b), min(x.y0 for x in b), max(x.x1 for x in b), max(x.y1 for x in b))


def sharpness(grey: np.ndarray) -> float:
    """How sharp a piece of print is, whatever its contrast: the gradient energy seen through a fine
    Gaussian (SHARP_FINE_PX) over that seen through a coarse one (SHARP_COARSE_PX). Blur lowers it
    towards 1; noise is mostly smoothed away by the fine Gaussian."""
    g = grey.astype(np.float32)

    def energy(s):
        b = cv2.GaussianBlur(g, (0, 0), s)
        gx, gy = cv2.Sobel(b, cv2.CV_32F, 1, 0), cv2.Sobel(b, cv2.CV_32F, 0, 1)
        return float(np.mean(gx * gx + gy * gy))
    return energy(T.SHARP_FINE_PX) / max(energy(T.SHARP_COARSE_PX), 1e-6)


def blur_curve(blank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The blank's sharpness blurred on purpose by each of BLUR_LADDER_PX: (sigmas, sharpness), the
    scale a page's sharpness is read on. ``blank``: the blank's names region (uint8)."""
    sig = np.array((0.0,) + T.BLUR_LADDER_PX)
    vals = [sharpness(blank)] + [sharpness(cv2.GaussianBlur(blank, (0, 0), s)) for s in T.BLUR_LADDER_PX]
    return sig, np.array(vals)


def added_blur_px(curve: tuple[np.ndarray, np.ndarray], page_sharpness: float) -> float:
    """The Gaussian sigma (template px) that, added to the blank, makes it as sharp as the page: read
    off the blank's curve (``blur_curve``); 0 when the page is as sharp as the blank or sharper, the
    ladder's last sigma when it is blurrier than all of it."""
    sig, val = curve
    if page_sharpness >= val[0]:
        return 0.0
    if page_sharpness <= val[-1]:
        return float(sig[-1])
    return float(np.interp(-page_sharpness, -val, sig))   # val falls as sigma grows


def blur_th(curve: tuple[np.ndarray, np.ndarray], page: np.ndarray, region: Box, text_height: int) -> float:
    """The blur a registered page adds over the blank in the names' region, in text heights."""
    crop = page[region.slices()]
    return added_blur_px(curve, sharpness(crop)) / max(1, text_height)


# ------------------------------------------------------------------------------------------------
# Resolution, the frame, glare
# ------------------------------------------------------------------------------------------------
def cut_off(outside: np.ndarray, cell: int, layout: Layout) -> tuple[float, int]:
    """From ``outside`` (bool grid, one node every ``cell`` template px: that point of the sheet lies
    outside the image): the share of the sheet within its edge band that is outside, and how many
    names touch the outside."""
    gh, gw = outside.shape
    e = int(math.ceil(T.PAGE_EDGE_SHARE * max(layout.width, layout.height) / cell))
    ys, xs = np.arange(gh) * cell, np.arange(gw) * cell
    inner = outside[e:gh - e, e:gw - e]
    inner = inner[(ys[e:gh - e] < layout.height)[:, None] & (xs[e:gw - e] < layout.width)[None, :]]
    share = float(inner.mean()) if inner.size else 0.0
    names = 0
    for s in layout.slots:
        b = s.name
        sub = outside[b.y0 // cell:b.y1 // cell + 2, b.x0 // cell:b.x1 // cell + 2]
        names += bool(sub.any())
    return share, names


def glare_names(page: np.ndarray, bright: np.ndarray, blank_ink: np.ndarray, layout: Layout) -> tuple[str, ...]:
    """Names whose print is washed out by glare: the page's ink on the blank's print of the name is under
    GLARE_PRINT_SHARE of what it is on the names' print as a whole, and the paper around the name is
    saturated (``bright``: bool, the page before its light was evened) over GLARE_BRIGHT_SHARE of it."""
    ink = ink_map(page)
    printed = blank_ink > T.PRINTED_INK
    per = {}
    for s in layout.slots:
        sl = s.name.slices()
        p = printed[sl]
        if p.sum() < T.GLARE_MIN_PRINT_PX:
            continue
        per[s.label] = (float(np.median(ink[sl][p])), float(bright[sl][~p].mean()) if (~p).any() else 0.0)
    if not per:
        return ()
    typical = float(np.median([v[0] for v in per.values()]))
    return tuple(n for n, (k, b) in per.items() if k < T.GLARE_PRINT_SHARE * typical and b > T.GLARE_BRIGHT_SHARE)


# ------------------------------------------------------------------------------------------------
# 1-bit scans
# ------------------------------------------------------------------------------------------------
def is_bilevel(grey: np.ndarray) -> bool:
    """Whether a page holds only black and white (a 1-bit scan), judged on every BILEVEL_SAMPLE_STEP-th pixel."""
    s = grey[::T.BILEVEL_SAMPLE_STEP, ::T.BILEVEL_SAMPLE_STEP]
    return bool(s.size) and int(np.count_nonzero((s > 0) & (s < 255))) == 0


def print_kept(page: np.ndarray, printed: np.ndarray) -> float:
    """How much of the blank's print a registered 1-bit page keeps: its black pixels within the blank's
    print widened by PRINT_KEPT_SPREAD_PX, over the blank's printed pixels (``printed``, bool). A scan set
    too light thins every stroke (under 1); misregistration by a pixel or two does not change it."""
    n = int(printed.sum())
    if n == 0:
        return 1.0
    r = T.PRINT_KEPT_SPREAD_PX
    near = cv2.dilate(printed.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1)))
    return float(np.count_nonzero((page < 128) & (near > 0))) / n


def bilevel_print_kept(page: np.ndarray, blank_ink: np.ndarray, grey_px: float) -> float | None:
    """The print a registered 1-bit page keeps (``print_kept`` of the blank's clear print, ``blank_ink`` over
    PRINTED_INK) when it was thresholded (``grey_px`` 0: ``bilevel_grey_px``); None for a dithered page. A
    dither keeps every grey as a density of dots, the print's edges coming and going with them (a Bayer
    page of stress seed 1796270213 kept 0.85 of it, every mark there): nothing in its print's black says a
    mark was lost, and its faint marks are judged by their dots (``faint_dots``)."""
    if grey_px > 0:
        return None
    return print_kept(page, blank_ink > T.PRINTED_INK)


def hidden_names(page: np.ndarray, blank_ink: np.ndarray, layout: Layout, page_kept: float) -> tuple[str, ...]:
    """Names a thresholded 1-bit page (``page``, registered, uint8) keeps under HIDDEN_NAME_PRINT_RATIO of the
    print it keeps over the whole page (``page_kept``: ``print_kept``), each measured as ``print_kept`` on
    the name's box: a light sticky note or a slip of paper lying over them comes out as white as the paper
    and hides their print with no edge to show it, while a voter's strike or a seal only adds black.
    Judged on a page whose print is kept (a light scan, ``MIN_PRINT_KEPT_SHARE``, is in review already,
    and thins its names unevenly: 0.41-0.67 of the page's on stress seed 1796270213 count 4 page 6)."""
    printed = blank_ink > T.PRINTED_INK
    m = 2 * T.PRINT_KEPT_SPREAD_PX
    h, w = page.shape
    out = []
    for s in layout.slots:
        b = s.name.grow(m, m).clip(w, h)
        p = printed[b.slices()]
        if p.sum() < T.GLARE_MIN_PRINT_PX:
            continue
        if print_kept(page[b.slices()], p) < T.HIDDEN_NAME_PRINT_RATIO * page_kept:
            out.append(s.label)
    return tuple(out)


def dither_noise(bits: np.ndarray, sigmas_px: tuple[float, ...]) -> np.ndarray:
    """How grainy a 1-bit page stays when low-passed by each of ``sigmas_px`` (Gaussian sigmas, the
    page's px): per sigma, the lower quartile of the grey's standard deviation (0..1 of white) over cells
    DITHER_CELL_PX wide — the paper's, since most cells of a ballot hold no print. A thresholded page's
    paper is white (0 at every sigma); a dithered page's paper is a cloud of dots that the low-pass turns
    into a flat grey. Measured on DITHER_TILES × DITHER_TILES cells spread evenly over the page inside its
    edge band, each cut out with a margin of three times the largest sigma (shape: ``(len(sigmas_px),)``)."""
    h, w = bits.shape
    c = T.DITHER_CELL_PX
    m = int(math.ceil(3 * max(sigmas_px, default=0.0)))
    t = c + 2 * m
    e = int(T.PAGE_EDGE_SHARE * max(h, w))
    if h - 2 * e < t or w - 2 * e < t:
        return np.zeros(len(sigmas_px))
    ys = np.linspace(e, h - e - t, T.DITHER_TILES).astype(int)
    xs = np.linspace(e, w - e - t, T.DITHER_TILES).astype(int)
    mosaic = np.vstack([np.hstack([bits[y:y + t, x:x + t] for x in xs]) for y in ys]).astype(np.float32) / 255
    n = T.DITHER_TILES
    out = []
    for s in sigmas_px:
        b = cv2.GaussianBlur(mosaic, (0, 0), s, borderType=cv2.BORDER_REFLECT) if s > 0 else mosaic
        cells = b.reshape(n, t, n, t)[:, m:m + c, :, m:m + c]
        out.append(float(np.percentile(cells.std(axis=(1, 3)), 25)))
    return np.array(out)


def grey_sigma(noise: np.ndarray) -> float:
    """The low-pass (template px, one of GREY_LADDER_PX) that makes a 1-bit page a grey page: the smallest
    whose paper is no grainier than DITHER_MAX_NOISE (``noise``: ``dither_noise`` at each of the ladder's
    sigmas); 0 for a thresholded page (its paper is white), the ladder's last when none is."""
    for s, v in zip(T.GREY_LADDER_PX, noise):
        if v <= T.DITHER_MAX_NOISE:
            return float(s)
    return float(T.GREY_LADDER_PX[-1])


def bilevel_grey_px(grey: np.ndarray, reg) -> float:
    """The low-pass (template px) a scanner's 1-bit page needs before it is read (``grey_sigma``); 0 for
    any other page (grey, a photo) and for a thresholded 1-bit page."""
    if reg.camera or not is_bilevel(grey):
        return 0.0
    scale = max(reg.scale, 1e-6)                      # template px per page px
    return grey_sigma(dither_noise(grey, tuple(s / scale for s in T.GREY_LADDER_PX)))


def page_dots(grey: np.ndarray, reg, sigma_px: float, blank_ink: np.ndarray, layout: Layout) -> Dots:
    """A registered 1-bit page (``grey``, uint8 0/255) ready for its marks' px to be looked at; the paper's
    dots are counted on a dithered page only (``sigma_px`` > 0: ``bilevel_grey_px``)."""
    black = grey < 128
    h, w = blank_ink.shape
    scale = max(reg.scale, 1e-6)
    paper = paper_dots(dot_density(black, reg.homography, scale, (w, h)), blank_ink) if sigma_px > 0 else 0.0
    return Dots(black, np.linalg.inv(reg.homography), 1 / scale, sigma_px, paper,
                {s.index: s.boxes for s in layout.slots})


def paper_mean(page: np.ndarray) -> np.ndarray:
    """The paper's mean grey under every pixel of a greyed page (float32, same shape): the brightest cell
    mean (cells PAPER_CELL_PX) within PAPER_WINDOW_PX, smoothed by PAPER_BLUR_PX — a mean over a cell, not
    the brightest speck of the grain that ``ink.paper_level`` would take."""
    h, w = page.shape
    cell = T.PAPER_CELL_PX
    small = cv2.resize(page, (max(1, w // cell), max(1, h // cell)), interpolation=cv2.INTER_AREA)
    k = np.ones((T.PAPER_WINDOW_PX // cell, T.PAPER_WINDOW_PX // cell), np.uint8)
    m = cv2.GaussianBlur(cv2.dilate(small, k).astype(np.float32), (0, 0), T.PAPER_BLUR_PX / cell)
    return cv2.resize(m, (w, h), interpolation=cv2.INTER_LINEAR)


def paper_ink(page: np.ndarray) -> np.ndarray:
    """A greyed page's ink over its paper's mean (``paper_mean``): float32, same shape, 0 on the paper's mean,
    negative on its lighter grain."""
    return 1.0 - page.astype(np.float32) / np.maximum(paper_mean(page), 1.0)


def paper_cells(ink: np.ndarray, paper: np.ndarray | None = None) -> np.ndarray:
    """The cells GRAIN_CELL_PX wide lying wholly on paper (``paper``, bool (h, w): where the blank, low-passed
    as the page, holds no print; None: every cell) inside the page's edge band, at most GRAIN_MAX_CELLS of
    them spread evenly: float32 (n, c, c) of ``ink``."""
    h, w = ink.shape
    c = T.GRAIN_CELL_PX
    e = int(T.PAGE_EDGE_SHARE * max(h, w))
    ny, nx = (h - 2 * e) // c, (w - 2 * e) // c
    if ny <= 0 or nx <= 0:
        return np.zeros((0, c, c), np.float32)
    cut = (slice(e, e + ny * c), slice(e, e + nx * c))
    cells = ink[cut].reshape(ny, c, nx, c).transpose(0, 2, 1, 3).reshape(ny * nx, c, c)
    if paper is not None:
        on = paper[cut].reshape(ny, c, nx, c).all(axis=(1, 3)).reshape(-1)
        if on.any():
            cells = cells[on]
    step = max(1, len(cells) // T.GRAIN_MAX_CELLS)
    return cells[::step]


def grain_level(ink: np.ndarray, paper: np.ndarray | None = None) -> float:
    """How dark the grain left on a greyed page's paper gets (``ink``: ``paper_ink``, float32 (h, w)): the
    median, over cells lying wholly on paper (``paper_cells``), of each cell's GRAIN_GATE_PERCENTILE of
    ink; 0 without a cell. Measured on the paper itself, not on the cleanest cells of a page that holds
    print: the dots a dither leaves after the low-pass are spikes over a flat paper, lined up in rows
    (an ordered dither) or worms (error diffusion)."""
    cells = paper_cells(ink, paper)
    if not len(cells):
        return 0.0
    return float(np.median(np.percentile(cells.reshape(len(cells), -1), T.GRAIN_GATE_PERCENTILE, axis=1)))


def grain_gated(page: np.ndarray, grain: float) -> np.ndarray:
    """A greyed page (uint8) with the grain left on its paper taken off (``grain``: ``grain_level``): ink
    over the paper's mean (``paper_ink``) of at least twice the grain is kept as it is, up to the grain it
    is paper, and between them it ramps up. The ink map then sees the paper at its mean, not at its
    brightest speck: no faint trace of grain over the whole page. Returns uint8, the paper at 255."""
    return _gate(paper_ink(page), grain)


def _gated_ink(ink: np.ndarray, grain: float) -> np.ndarray:
    return np.where(ink >= 2 * grain, ink, np.maximum(ink - grain, 0.0) * 2)


def _gate(ink: np.ndarray, grain: float) -> np.ndarray:
    return np.clip(255 * (1.0 - _gated_ink(ink, grain)), 0, 255).astype(np.uint8)


def greyed_page(grey: np.ndarray, homography: np.ndarray, sigma_px: float, scale: float,
                size: tuple[int, int], blank_ink: np.ndarray | None = None) -> np.ndarray:
    """A 1-bit page (uint8 0/255, the page's px) as grey ink in the template frame (``size`` = (width,
    height)): low-passed by ``sigma_px`` template px (``sigma_px / scale`` of its own px: the dots of a
    dither become the grey they stand for, a dithered crease a faint line) before it is resampled by
    ``homography`` (page px → template px); the grain left on its paper is then taken off (``grain_gated``),
    measured where the blank holds no print (``blank_ink``: the ink map of the blank low-passed as much,
    float32 (height, width); None: over the whole page)."""
    b = cv2.GaussianBlur(grey, (0, 0), sigma_px / max(scale, 1e-6))
    border = int(np.median(b[::T.BILEVEL_SAMPLE_STEP, ::T.BILEVEL_SAMPLE_STEP]))
    out = cv2.warpPerspective(b, homography, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                              borderValue=border)
    paper = None if blank_ink is None else blank_ink < T.GRAIN_PAPER_MAX_INK
    ink = paper_ink(out)
    return _gate(ink, grain_level(ink, paper))


# ------------------------------------------------------------------------------------------------
# The whole look at one capture
# ------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Seen:
    """What judging a capture gave: doubts for review, measures for the evidence, and for a page that
    matched nothing, why it is no ballot (``not_ballot_why``, a code) unless it goes to review."""
    doubts: list[Code] = dataclasses.field(default_factory=list)
    evidence: dict[str, float] = dataclasses.field(default_factory=dict)
    not_ballot_why: str = ""
    photo: bool = False        # a sheet on a background (a photo), not a page filling its image (a scan)
    bilevel: bool = False      # a scanner's 1-bit page: a mark lighter than its threshold is gone
    feeder_why: str = ""       # why a page registered as a camera sees it was no scanner's page
    grey_px: float = 0.0       # a dithered 1-bit page is read low-passed this much (template px): ``greyed_page``
    dots: Dots | None = None   # a 1-bit page's own px, for its box marks: ``faint_dots``, ``broken_marks``
    text_height: int = 0       # the names' text height (template px), for ``seal_residue``
    names_top: int = 0         # the top of the names' rows (template px): the header lies above it


def _curve(target, key: str, region: Box | None, grey: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The blank's blur curve over ``region`` (or of ``grey``, a part of it), made once per target."""
    if key not in target.cache:
        g = grey if grey is not None else target.grey[region.slices()]
        target.cache[key] = blur_curve(g)
    return target.cache[key]


def look(target, layout: Layout, blank_ink: np.ndarray, grey: np.ndarray, reg, page: np.ndarray | None) -> Seen:
    """Judge the capture of one page: ``grey`` as loaded, ``reg`` and ``page`` as
    ``register.registered`` gave them (``target``: the prepared blank; ``blank_ink``: its ink map).

    A scanner's page is judged only when it is 1-bit (``print_kept``). A photographed sheet: its
    resolution for the names, blur, glare, whether the frame cuts it, and a second ballot in the
    image. A photo whose sheet matched nothing goes to a person when the sheet shows print too blurred
    to be matched (``photo_blurred``), and is no ballot otherwise; one in which no sheet is seen at all
    is no ballot: ``no_sheet``."""
    seen = Seen()
    m = CaptureMeasures()
    if page is None:
        if not reg.camera_tried or is_bilevel(grey):
            return seen
        if reg.sheet_box is None:
            seen.not_ballot_why = "no_sheet"
        elif reg.sheet_share < T.FEEDER_FILL_SHARE:          # a sheet on a table that matched nothing
            m.blur_th, m.sheet_print = unmatched_sheet(target, grey, reg.sheet_box, layout.text_height)
            doubt = unmatched_doubt(m.sheet_print, m.blur_th)
            if doubt is not None:
                seen.doubts.append(doubt)
        seen.evidence = m.evidence()
        return seen
    if not reg.camera:
        if is_bilevel(grey):
            seen.bilevel = True
            m.grey_px = seen.grey_px = bilevel_grey_px(grey, reg)
            m.print_kept = bilevel_print_kept(page, blank_ink, seen.grey_px)
            if m.print_kept is not None and m.print_kept >= T.MIN_PRINT_KEPT_SHARE:
                m.hidden_names = hidden_names(page, blank_ink, layout, m.print_kept)
            seen.dots = page_dots(grey, reg, seen.grey_px, blank_ink, layout)
            seen.text_height = layout.text_height
            seen.names_top = min((s.row.y0 for s in layout.slots), default=0)
    else:
        region = names_region(layout)
        m.text_height_px = layout.text_height / max(reg.scale, 1e-6)
        m.blur_th = blur_th(_curve(target, "blur_names", region), page, region, layout.text_height)
        if reg.outside is not None:
            from .sheet import FIELD_CELL
            m.outside_share, m.names_outside = cut_off(reg.outside, FIELD_CELL, layout)
        if reg.bright is not None and reg.bright.any():
            m.glare_names = glare_names(page, reg.bright, blank_ink, layout)
        from .sheet import outline
        seen.photo = outline(grey, target.paper_grey)[1] < T.FEEDER_FILL_SHARE
        seen.feeder_why = reg.feeder_why
    seen.doubts = doubts(m)
    if reg.camera and reg.sheets > 1:
        seen.doubts.append(Code.TWO_BALLOTS)
    seen.evidence = m.evidence()
    return seen



def unmatched_doubt(sheet_print: float, blur_th: float) -> Code | None:
    """A photographed sheet that matched nothing: a person looks when it carries print like the blank's
    (``sheet_print`` ≥ ``SHEET_MIN_PRINT_RATIO``, the share of the blank's print) — ``PHOTO_BLURRED`` when it
    is too blurred (``blur_th`` > ``MAX_BLUR_TH``, text heights), else ``PHOTO_UNMATCHED`` (a steep camera
    angle, curled paper, or another election's ballot: never counted, never rejected unseen). A sheet
    without such print (a blank sheet, a note) is no ballot: None."""
    if sheet_print < T.SHEET_MIN_PRINT_RATIO:
        return None
    return Code.PHOTO_BLURRED if blur_th > T.MAX_BLUR_TH else Code.PHOTO_UNMATCHED


def marks_seen(names: list[NameReading]) -> int:
    """How many names carry a voter's mark as read: anything but a name left standing, a box read
    empty, a yes/no row with neither cell marked."""
    return sum(1 for n in names if not (n.state in (STANDING, EMPTY) or (n.state == VOID and n.why == "neither")))


def pen_unproven(reading: PageReading, seen: Seen) -> bool:
    """True when a thresholded 1-bit page's reading rests on no voter's mark at all: every name standing,
    every box empty, every yes/no row void. The threshold erases a mark lighter than it (a pencil, a faint
    pen) without thinning the print, so nothing on such a page shows that the voter's pen survived it:
    what was read as no mark may be a mark the scan lost. A dithered page (``Seen.grey_px`` > 0) erases
    no grey: a faint mark is a sparser cloud of dots, there to be read (``faint_dots``, the readers'
    faint traces)."""
    return (seen.bilevel and seen.grey_px <= 0 and reading.is_ballot and bool(reading.names)
            and marks_seen(reading.names) == 0)


def marked_boxes(name: NameReading) -> list[int]:
    """The boxes (positions in the name's slot) a mark or yes/no ballot's name was read with a mark in: those
    holding more than BOX_EMPTY_MAX_FILL of pen (``box_marks``' ``fill0``, ``fill1``…); none for a strike
    ballot's name, a name read with no mark, or one already unclear."""
    ev = name.evidence
    if name.state == UNCLEAR or name.state == EMPTY or (name.state == VOID and name.why == "neither"):
        return []
    return [k for k in range(len(ev)) if f"fill{k}" in ev and float(ev[f"fill{k}"]) > T.BOX_EMPTY_MAX_FILL]


@dataclasses.dataclass
class Dots:
    """A 1-bit page as its box marks are looked at in its own px: on a dithered page a mark's darkness is
    the density of its dots over the paper's, what a person sees in a cloud of dots (``mark_dots``); on a
    thresholded one, whether its black holds together (``broken_marks``)."""
    black: np.ndarray          # bool (H, W), the page's own px: black
    to_page: np.ndarray        # 3 x 3, template px -> page px
    page_per_px: float         # page px per template px
    sigma_px: float            # the low-pass the page is read with (template px, ``bilevel_grey_px``)
    paper: float               # the paper's dots: their share of its px (``paper_dots``; 0 when thresholded)
    boxes: dict[int, tuple[Box, ...]]   # each name's printed boxes (template px), by slot index


def dot_density(black: np.ndarray, homography: np.ndarray, scale: float, size: tuple[int, int]) -> np.ndarray:
    """The share of black px (0..1) under each px of the template frame (``size`` = (width, height)): the
    1-bit page (``black``, bool, the page's px) averaged over each template px (``scale``: template px per
    page px) and resampled by ``homography`` (page px -> template px). float32 (height, width)."""
    h, w = black.shape
    sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
    small = cv2.resize(black.astype(np.float32), (sw, sh), interpolation=cv2.INTER_AREA)
    to_small = np.diag([sw / w, sh / h, 1.0])
    return cv2.warpPerspective(small, homography @ np.linalg.inv(to_small), size, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)


def paper_dots(density: np.ndarray, blank_ink: np.ndarray) -> float:
    """The paper's dots on a 1-bit page (``density``: ``dot_density``): the median share of black over the
    cells lying wholly where the blank holds no print (``paper_cells``; ``blank_ink`` under
    GRAIN_PAPER_MAX_INK); 0 without a cell. A dither keeps a grey's mean over a cell: the paper's dots are
    its tone."""
    cells = paper_cells(density, blank_ink < T.GRAIN_PAPER_MAX_INK)
    return float(np.median(cells.mean(axis=(1, 2)))) if len(cells) else 0.0


def box_bits(dots: Dots, inside: Box) -> np.ndarray:
    """The 1-bit page's own px inside a box (``inside``, template px), seen through the template: nearest,
    one page px a sample, axis-aligned with the template. uint8 (h, w), 1 = black; empty for an empty box."""
    if inside.w <= 0 or inside.h <= 0:
        return np.zeros((0, 0), np.uint8)
    f = dots.page_per_px
    w, h = max(1, int(round(inside.w * f))), max(1, int(round(inside.h * f)))
    patch_to_template = np.array([[1 / f, 0, inside.x0], [0, 1 / f, inside.y0], [0, 0, 1]], np.float64)
    return cv2.warpPerspective(dots.black.view(np.uint8), dots.to_page @ patch_to_template, (w, h),
                               flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP)


def mark_dots(dots: Dots, inside: Box) -> float:
    """The density of a mark's dots over the paper's (share of px): inside a box (``inside``: its inside,
    template px), the page's own px (``box_bits``), its core — where the dots low-passed as the page is
    read (``Dots.sigma_px``) reach DOT_CORE_SHARE of their densest — and the share of black px there, less
    the paper's (``Dots.paper``). Counted at the page's own resolution, as the pen drew it: the low-pass
    that makes the page grey spreads a thin stroke's dots wider and paler, a wide one's not. 0 for an
    empty inside."""
    black = box_bits(dots, inside).astype(np.float32)
    if black.size == 0:
        return 0.0
    soft = cv2.GaussianBlur(black, (0, 0), max(dots.sigma_px * dots.page_per_px, 0.5),
                            borderType=cv2.BORDER_REFLECT)
    core = soft >= T.DOT_CORE_SHARE * float(soft.max())
    return float(black[core].mean()) - dots.paper if core.any() else 0.0


def largest_piece_share(black: np.ndarray) -> float:
    """The share of the black px (``black``, uint8 0/1, a box's inside) its largest 8-connected piece
    holds, the pieces that reach the inside's edge taken as one; 1 with none. A pen stroke on a
    thresholded page is one piece; a threshold lying within the pen's own darkness breaks it into specks.
    A mark running out of the inside (a tick whose point lies on or below the box's lower rule, a cross
    past its corners) is cut by the edge into pieces that join beyond it, under the rule: not broken."""
    total = int(np.count_nonzero(black))
    if total == 0:
        return 1.0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(black, connectivity=8)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    edge = edge[edge > 0]
    areas = stats[1:, cv2.CC_STAT_AREA].astype(float)
    joined = float(stats[edge, cv2.CC_STAT_AREA].sum()) if len(edge) else 0.0
    return max(float(areas.max()), joined) / total


def _marked_insides(names: list[NameReading], dots: Dots) -> list[tuple[int, list[Box]]]:
    """(position in ``names``, the insides of the boxes it was read marked in), for each name with such."""
    big = 1 << 20                  # the inside clipped by nothing: a box near the frame's edge keeps its size
    out = []
    for i, n in enumerate(names):
        boxes = dots.boxes.get(n.index, ())
        ks = [k for k in marked_boxes(n) if k < len(boxes)]
        if ks:
            out.append((i, [box_inside(boxes[k], big, big) for k in ks]))
    return out


def broken_marks(names: list[NameReading], dots: Dots) -> list[int]:
    """Positions in ``names`` of box marks a thresholded 1-bit page shows broken: in a box read marked, the
    largest piece of black holds under BROKEN_MARK_MAX_PIECE_SHARE of it (``largest_piece_share``). The
    threshold lies within that pen's darkness: where the voter pressed lighter, a mark is gone."""
    return [i for i, insides in _marked_insides(names, dots)
            if min(largest_piece_share(box_bits(dots, b)) for b in insides) < T.BROKEN_MARK_MAX_PIECE_SHARE]


def faint_dots(names: list[NameReading], dots: Dots) -> dict[int, float]:
    """Box marks a dithered 1-bit page shows too few dots for, by position in ``names``: the densest of the
    boxes a name was read marked in (``marked_boxes``) holds dots (``mark_dots``) under DITHER_MIN_MARK_DOTS
    over the paper's — a faded pen's few dots are no sure mark. Values: that density."""
    out = {}
    for i, insides in _marked_insides(names, dots):
        d = max(mark_dots(dots, b) for b in insides)
        if d < T.DITHER_MIN_MARK_DOTS:
            out[i] = d
    return out


def in_seal_place(box: Box, evidence: dict[str, float], names_top: int) -> bool:
    """Whether ``box`` (template px) lies wholly where a seal's ink is looked for and never taken for
    writing: within SEAL_NEAR_RADII of the ring the reader found (sure or seal-like: ``seal_x``, ``seal_y``,
    ``seal_r`` in the reading's ``evidence``), or, without a sure seal, in the header above the names
    (above ``names_top``), where a seal too faint to be found lies. As ``read._read_seal``'s ``near``."""
    if "seal_r" in evidence:
        r = evidence["seal_r"] * T.SEAL_NEAR_RADII
        cx, cy = evidence["seal_x"], evidence["seal_y"]
        if all(math.hypot(x - cx, y - cy) <= r for x in (box.x0, box.x1) for y in (box.y0, box.y1)):
            return True
    sure = evidence.get("seal_cover", 0.0) >= T.SEAL_RING_COVER_SHARE
    return not sure and box.y1 <= names_top


def letter_strokes(mask: np.ndarray, text_height: int) -> bool:
    """Whether the pen in ``mask`` (uint8 0/1) has the shape of letters as ``writing.looks_handwritten``
    measures it: strokes WRITING_MIN_LENGTH_TH long in all that wind WRITING_MIN_WINDING_RATIO times
    their extent."""
    from .writing import stroke_shape
    length, _, winding = stroke_shape(mask, max(1, text_height))
    return length >= T.WRITING_MIN_LENGTH_TH and winding >= T.WRITING_MIN_WINDING_RATIO


def seal_residue(reading: PageReading, seen: Seen) -> set[int]:
    """Stray marks of a thresholded 1-bit page (positions in ``reading.stray_marks``) that are what the
    threshold left of the seal: its red or purple has no colour there, and where its ink lay near the
    threshold it breaks into specks and pieces of arcs, in its own place (``in_seal_place``: around the
    ring found, or the header when none is sure), too few for its ring to be found. A mark there that
    is not shaped like letters (``letter_strokes`` on the reading's pen, ``PageReading.pen``) is taken
    for that residue: ink there is never writing, and what is not letter-shaped is no writing a person
    must look at. Letter-shaped ink there stays a stray mark; a dithered page keeps the seal's grey as
    dots and is not judged here."""
    if not (seen.bilevel and seen.dots is not None and seen.grey_px <= 0 and reading.is_ballot):
        return set()
    if reading.pen is None or not reading.stray_marks:
        return set()
    h, w = reading.pen.shape
    out = set()
    for i, b in enumerate(reading.stray_marks):
        if not in_seal_place(b, reading.evidence, seen.names_top):
            continue
        mask = reading.pen[b.clip(w, h).slices()]
        if on_seal_like_ring(mask, b, reading.evidence) or not letter_strokes(mask, seen.text_height):
            out.add(i)
    return out


def on_seal_like_ring(mask: np.ndarray, box: Box, evidence: dict[str, float]) -> bool:
    """Whether a mark's pen (``mask``, uint8 0/1 over ``box``, template px) lies on a seal-like ring the
    reader found (``seal_cover`` at least SEAL_DOUBT_COVER_SHARE; ``seal_x``, ``seal_y``, ``seal_r``): at least
    IGNORE_MIN_SHARE of its px within SEAL_IGNORE_RADII of the ring's centre — what a sure seal's ink is
    taken to be. On a thresholded 1-bit page a seal's ring comes out broken where its ink lay near the
    threshold (rings of 0.36-0.45 of their circle on stress seeds 1796264519 and 1796270213, under the
    0.45 of a sure one), and its lettering is letters."""
    if evidence.get("seal_cover", 0.0) < T.SEAL_DOUBT_COVER_SHARE or "seal_r" not in evidence:
        return False
    ys, xs = np.nonzero(mask)
    if not len(xs):
        return False
    d = np.hypot(xs + box.x0 - evidence["seal_x"], ys + box.y0 - evidence["seal_y"])
    return float(np.mean(d <= T.SEAL_IGNORE_RADII * evidence["seal_r"])) >= T.IGNORE_MIN_SHARE


def _light_scan(seen: Seen, key: str, value: float) -> Seen:
    """``seen`` with the doubt LIGHT_SCAN and the measure that gave it (``key``)."""
    doubts = seen.doubts if Code.LIGHT_SCAN in seen.doubts else seen.doubts + [Code.LIGHT_SCAN]
    return dataclasses.replace(seen, doubts=doubts, evidence={**seen.evidence, key: value})


def judged(reading: PageReading, seen: Seen) -> PageReading:
    """A page's reading with what its capture showed: its doubts and measures added; a photo whose
    print the reader found missing where the capture explains it (cut off, too blurred, too small)
    goes to a person with the capture's reasons instead of being thrown out as no ballot; a scan that
    is no ballot keeps the feeder's reason (``Seen.feeder_why``). A 1-bit page read with no voter's
    mark at all (``pen_unproven``), or a thresholded one whose box marks the threshold broke
    (``broken_marks``), goes to a person as a light scan; a box mark of a dithered page with too few
    dots is unclear (``faint_dots``); what a threshold left of a colourless seal is no stray mark
    (``seal_residue``)."""
    residue = seal_residue(reading, seen)
    if residue:
        reading.stray_marks = [b for i, b in enumerate(reading.stray_marks) if i not in residue]
        reading.evidence["capture_seal_residue"] = float(len(residue))
    if pen_unproven(reading, seen):
        seen = _light_scan(seen, "capture_marks_seen", 0.0)
    broken = broken_marks(reading.names, seen.dots) if seen.dots is not None and seen.grey_px <= 0 else []
    if broken and reading.is_ballot:
        seen = _light_scan(seen, "capture_broken_marks", float(len(broken)))
    dithered = seen.dots is not None and seen.grey_px > 0 and reading.is_ballot
    faint = faint_dots(reading.names, seen.dots) if dithered else {}
    for i, d in faint.items():
        n = reading.names[i]
        reading.names[i] = dataclasses.replace(n, state=UNCLEAR, why="faint",
                                               evidence={**n.evidence, "dots": round(d, 3)})
    if faint:
        seen = dataclasses.replace(seen, evidence={**seen.evidence, "capture_faint_dots": float(len(faint))})
    if not seen.doubts and not seen.evidence:
        return reading
    if not reading.is_ballot:
        if not seen.photo and seen.feeder_why:
            # a scan that the camera's pose gave a second chance: the feeder's reason stands
            return PageReading(is_ballot=False, not_ballot_why=seen.feeder_why, evidence=reading.evidence)
        if not seen.photo or not seen.doubts:
            return reading
        return PageReading(is_ballot=True, doubt=list(seen.doubts), evidence={**reading.evidence, **seen.evidence})
    reading.doubt += [d for d in seen.doubts if d not in reading.doubt]
    reading.evidence.update(seen.evidence)
    return reading


# ------------------------------------------------------------------------------------------------
# A photographed sheet that matched nothing
# ------------------------------------------------------------------------------------------------
def _band_energy(grey: np.ndarray) -> float:
    """The energy of structure between SHEET_BAND_PX sizes (lines of print; not the paper's grain, not
    the light's slow fall-off): it survives a blur that erases the strokes, and a blank sheet has none."""
    g = grey.astype(np.float32)
    lo, hi = T.SHEET_BAND_PX
    b = cv2.GaussianBlur(g, (0, 0), lo) - cv2.GaussianBlur(g, (0, 0), hi)
    return float(np.mean(b * b))


def _centre(grey: np.ndarray) -> np.ndarray:
    h, w = grey.shape
    m = (1 - T.SHEET_CENTRE_SHARE) / 2
    return grey[int(m * h):int((1 - m) * h), int(m * w):int((1 - m) * w)]


def unmatched_sheet(target, grey: np.ndarray, box: np.ndarray, text_height: int) -> tuple[float, float]:
    """A sheet found by its outline only (``sheet.outline``: its rotated rectangle, image px) in a photo
    that matched nothing: (its blur in text heights, read on the blank's curve; how much print it
    shows, as its band energy over the blank's), both on the centre of the sheet resampled to the
    template's size (the long sides together), where neither the table nor the sheet's edges show."""
    w, h = target.width, target.height
    b = np.float32(box)
    sides = np.linalg.norm(b - np.roll(b, -1, axis=0), axis=1)
    if (sides[0] > sides[1]) != (w > h):
        b = np.roll(b, -1, axis=0)            # the rectangle's first side along the template's width
    M = cv2.getPerspectiveTransform(b, np.float32([[0, 0], [w, 0], [w, h], [0, h]]))
    flat = _centre(cv2.warpPerspective(grey, M, (w, h), flags=cv2.INTER_AREA))
    blank = _centre(target.grey)
    curve = _curve(target, "blur_centre", None, blank)
    if "band_centre" not in target.cache:
        target.cache["band_centre"] = _band_energy(blank)
    blur = added_blur_px(curve, sharpness(flat)) / max(1, text_height)
    return blur, _band_energy(flat) / max(target.cache["band_centre"], 1e-6)
