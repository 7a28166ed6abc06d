"""One page of the stress matrix, in memory: a count's printed blank (``make_blank``) and a page drawn
under given conditions (``render_page``), with its truth and the geometry a learned reader can train on.

    import numpy as np, ballotgen
    rng = np.random.default_rng(5)
    blank = ballotgen.make_blank(ballotgen.draw_blank(rng), seed=5)
    cond = ballotgen.draw_page(rng, blank.conditions, capture="phone")
    image, truth = ballotgen.render_page(blank, cond, rng)     # no file written
    data, ext = ballotgen.encode_page(image, truth)             # the file a phone would give

The truth follows the public sets' format (kind, expect, valid, reason, votes, marked, case, unclear,
pen, fold, capture ...) and adds ``conditions`` (every drawn condition, flat, for tables) and
``geometry``: ``H`` (3x3, form px at ``form_dpi`` -> image px, row-major; for a photo, the flat page's
homography: the curl moves points by up to ``capture.curl_px`` more), ``seal`` [cx, cy, r] and
``notes`` / ``writing`` boxes [x0, y0, x1, y1] in image px.  The form's own boxes (names, mark cells)
are in ``Blank.form_record()`` (a set's ``form.json``), in form px.

What a careful person with the paper decides is the truth; a page also goes to review (``expect:
review``) when what it shows hides what the paper says: a note or a slip of paper lying on it
(``obstruction``), a mark a 1-bit scan lost (``faded``, with ``capture.mark_survival``), a photo too
blurred to read (``unreadable``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from . import bilevel as bl
from . import visibility as vis
from .cases import P_EDGE_VOTER, plan_ballot
from .conditions import PAPER_RGB, SEAL_OFF_PAGE_MAX, draw_blank
from .fill import _row, fill_ballot
from .form import render_form
from .names import make_election
from .pen import PEN_TRUTH, PENS
from .phone import encode_photo, photograph
from .scanner import _apply_crease, encode_image, scan_array
from .seal import SEAL_INKS, stamp_seal_as
from .units import RENDER_DPI, mm_px

PARTIAL_COVER = (0.25, 0.5)          # of the name's width: a partial strike a person cannot call
PRESSURE_OPACITY = {"light": (0.62, 0.8), "normal": (0.88, 1.0), "heavy": (1.0, 1.0)}
SLANT_RISE = (0.6, 1.0)              # a slanted strike rises this many cap heights over the name
NOTE_COLOURS = {"sticky-yellow": (250, 236, 120), "sticky-pink": (250, 190, 210), "sticky-green": (200, 240, 170),
                "sticky-orange": (252, 200, 130), "slip": (246, 246, 242)}
FOLDS_AT = {"none": [], "half": [("h", 0.5)], "letter": [("h", 1 / 3), ("h", 2 / 3)],
            "quarter": [("h", 0.5), ("v", 0.5)]}


@dataclass
class Blank:
    """A count's printed blank: the election, the unsealed form at RENDER_DPI and its geometry, and the
    conditions it was printed under."""
    election: dict
    rgb: np.ndarray
    geometry: dict
    conditions: dict

    def form_record(self) -> dict:
        """The form's boxes in form px (``form_dpi``): names, mark cells, list, header lines, title."""
        g = self.geometry
        rows = [{k: r[k] for k in ("name", "text_box", "row_box", "cells", "baseline", "x_height") if k in r}
                for r in g["rows"]]
        return {"form_dpi": g["dpi"], "size": g["size"], "paper": g["paper"], "layout": g["layout"], "kind": g["kind"],
                "rows": rows, "list_box": g["list_box"], "title_box": g["title_box"], "header_boxes": g["header_boxes"]}


def make_blank(conditions: dict, seed: int) -> Blank:
    """Print a count's blank under ``conditions`` (conditions.draw_blank)."""
    c = conditions
    body_rng = np.random.default_rng(c["body_seed"])
    body = 3 if c["form"] == "state" else int(body_rng.integers(0, 3))
    election = make_election(c["candidates"], None, c["kind"], seed, honorific=c["honorific"],
                             duplicate_name=c["duplicate"], body=body)
    style = {"face": c["face"], "weight": c["weight"], "name_pt": c["name_pt"], "row_mm": c["row_mm"],
             "paper_rgb": PAPER_RGB[c["paper_colour"]], "seal_mm": c["seal_mm"]}
    rgb, geom = render_form(election, c["layout"], dpi=RENDER_DPI, seed=seed, paper=c["paper"], style=style)
    return Blank(election, rgb, geom, dict(c))


# ------------------------------------------------------------------------------------------------
# The seal
# ------------------------------------------------------------------------------------------------
def _circle_hits_box(cx, cy, r, box) -> bool:
    nx, ny = min(max(cx, box[0]), box[2]), min(max(cy, box[1]), box[3])
    return (nx - cx) ** 2 + (ny - cy) ** 2 <= r * r


def seal_place(geometry: dict, diameter_mm: float, u) -> tuple[float, float, str]:
    """Where a hand puts the seal: anywhere in the top-left region above the list, over the header text
    or partly off the page (at most SEAL_OFF_PAGE_MAX of its diameter), never over the names.  ``u``: two
    numbers in [0, 1).  Returns (cx, cy, place) with place "off_page", "over_text" or "margin"."""
    W, _ = geometry["size"]
    r = mm_px(diameter_mm, geometry["dpi"]) / 2
    lo = r * (1 - 2 * SEAL_OFF_PAGE_MAX)
    y_hi = max(lo, geometry["list_box"][1] - r - mm_px(2, geometry["dpi"]))
    cx = lo + u[0] * (0.5 * W - lo)
    cy = lo + u[1] * (y_hi - lo)
    if cx < r or cy < r:
        place = "off_page"
    elif any(_circle_hits_box(cx, cy, r * 0.93, b) for b in geometry["header_boxes"]):
        place = "over_text"
    else:
        place = "margin"
    return float(cx), float(cy), place


def _stamp(page, geometry, cond, rng) -> tuple[dict, str]:
    s = cond["seal"]
    mm = geometry["seal_diameter"] / geometry["dpi"] * 25.4
    cx, cy, place = seal_place(geometry, mm, s["u"])
    rgb = tuple(int(np.clip(v + rng.integers(-15, 16), 0, 255)) for v in SEAL_INKS[s["colour"]])
    info = stamp_seal_as(page, geometry, {"mm": mm, "rgb": rgb, "center": [cx, cy], "angle": s["angle"],
                                          "alpha": s["alpha"], "style": s["style"]}, rng)
    return info, place


# ------------------------------------------------------------------------------------------------
# What the voter did
# ------------------------------------------------------------------------------------------------
def _strike_style(style: str, r: dict, rng) -> dict:
    """The fill spec style of one strike in a page's strike style (fill.fill_ballot)."""
    if style == "wavy":
        return {"wavy": True, "double": False}
    if style == "double":
        return {"wavy": False, "double": True}
    if style == "zigzag":
        return {"wavy": False, "double": False, "zigzag": True}
    if style == "overshoot":
        return {"wavy": False, "double": False, "overshoot_left": float(rng.uniform(0.08, 0.3)),
                "overshoot_right": float(rng.uniform(0.08, 0.3))}
    if style == "short":      # stops a little short of both ends: still 86 % of the name or more
        return {"wavy": False, "double": False, "overshoot_left": -float(rng.uniform(0.0, 0.07)),
                "overshoot_right": -float(rng.uniform(0.0, 0.07))}
    if style == "slanted":
        half = max(1.0, (r["text_box"][2] - r["text_box"][0]) / 2)
        rise = min(float(rng.uniform(*SLANT_RISE)) * r["cap_height"],
                   0.4 * (r["row_box"][3] - r["row_box"][1]))
        return {"wavy": False, "double": False, "slope": float(rng.choice([-1, 1])) * rise / half,
                "overshoot_left": float(rng.uniform(0.0, 0.1)), "overshoot_right": float(rng.uniform(0.0, 0.1))}
    return {"wavy": False, "double": False}


def plan_page(election: dict, geometry: dict, cond: dict, rng) -> tuple[dict, dict]:
    """The fill spec and the truth of a ballot page (case, pen, strike style from ``cond``)."""
    kind, case = election["ballot"], cond["case"]
    base = {("mark", "faint"): "normal", ("approve", "straddle"): "yes-no"}.get((kind, case), case)
    spec, truth = plan_ballot(election, geometry, base, rng, cond.get("edge_voter", P_EDGE_VOTER))
    olo, ohi = PENS[cond["pen"]][1]
    p = PRESSURE_OPACITY[cond["pressure"]]
    spec.update(pen=cond["pen"], width=cond["pen_width"] * (1.2 if cond["pressure"] == "heavy" else 1.0),
                strength=float(rng.uniform(olo, ohi) * rng.uniform(*p)))
    truth["pen"] = PEN_TRUTH.get(cond["pen"], cond["pen"])
    if "partial" in spec:
        spec["partial"] = {k: float(rng.uniform(*PARTIAL_COVER)) for k in spec["partial"]}
    if kind == "strike":
        spec["style"] = {
            nm: _strike_style(cond["strike_style"], _row(geometry, nm), rng) for nm in spec.get("strike", [])
        }
    if kind == "mark" and case == "faint":
        free = [nm for nm in election["labels"] if nm not in truth["marked"]]
        nm = str(rng.choice(free))
        spec["faint_marks"] = [nm]
        truth.update(case="faint", expect="review", unclear=nm)
    if kind == "approve" and case == "straddle":
        how = spec["approve"]
        yes = [nm for nm in election["labels"] if how[nm] == "yes"]
        choices = [nm for nm in election["labels"] if how[nm] != "yes" or len(yes) > 1]
        nm = str(rng.choice(choices))
        how[nm] = "straddle"
        # A cross on the line is the committee's call; until then the row counts for nobody.
        truth.update(case="straddle", expect="review", unclear=nm)
        truth["votes"] = [x for x in truth["votes"] if x != nm]
        truth["marked"] = [x for x in truth["marked"] if x != nm]
        truth["against"] = [x for x in truth["against"] if x != nm]
        truth["void_rows"] = [x for x in election["labels"] if x in set(truth["void_rows"]) | {nm}]
    return spec, truth


def _mark_boxes(geometry: dict, spec: dict) -> dict[str, list[float]]:
    """Where each of the voter's deciding marks is, in page px: struck names' rows, marked boxes,
    ticked cells, and the handwriting."""
    out = {}
    kind = geometry["kind"]
    if kind == "strike":
        for nm in spec.get("strike", []):
            r = _row(geometry, nm)
            out[r["name"]] = [r["row_box"][0] - 20, r["row_box"][1], r["row_box"][2] + 20, r["row_box"][3]]
    elif kind == "mark":
        for nm in spec.get("marks", {}):
            b = _row(geometry, nm)["cells"]["mark"]
            s = (b[2] - b[0]) * 0.4
            out[_row(geometry, nm)["name"]] = [b[0] - s, b[1] - s, b[2] + s, b[3] + s]
    else:
        for nm, how in spec.get("approve", {}).items():
            r = _row(geometry, nm)
            cells = [r["cells"][c] for c in {"yes": ["yes"], "no": ["no"]}.get(how, [])]
            if cells:
                c = cells[0]
                s = (c[2] - c[0]) * 0.3
                out[r["name"]] = [c[0] - s, c[1] - s, c[2] + s, c[3] + s]
    for i, b in enumerate(spec.get("placed", [])):
        out[f"writing {i + 1}"] = b
    return out


# ------------------------------------------------------------------------------------------------
# Notes lying on the ballot
# ------------------------------------------------------------------------------------------------
def lay_note(page: np.ndarray, geometry: dict, where: str, rng) -> dict:
    """A sticky note or a slip of paper lying on the page, over the names or in a margin only (away
    from the list, the header and the seal).  In place; returns {"what", "over", "box"} (page px)."""
    dpi = geometry["dpi"]
    H, W = page.shape[:2]
    what = str(rng.choice(list(NOTE_COLOURS)))
    if what == "slip":
        w, h = mm_px(rng.uniform(30, 90), dpi), mm_px(rng.uniform(12, 45), dpi)
    else:
        w = mm_px(rng.uniform(35, 76), dpi)
        h = int(w * rng.uniform(0.8, 1.1))
    lb = geometry["list_box"]
    if where == "names":
        r = geometry["rows"][int(rng.integers(len(geometry["rows"])))]
        tb = r["text_box"]
        cx = rng.uniform(tb[0], tb[2])
        cy = (tb[1] + tb[3]) / 2 + rng.uniform(-0.3, 0.3) * h
    else:
        # Below the list if there is room, else in the left or right margin beside it.
        spots = []
        if H - lb[3] > h + mm_px(8, dpi):
            spots.append(
                (rng.uniform(w / 2 + 5, W - w / 2 - 5), rng.uniform(lb[3] + h / 2 + mm_px(4, dpi), H - h / 2 - 5))
            )
        if lb[0] > w * 0.7:
            spots.append((lb[0] - w / 2 - mm_px(2, dpi) + w * 0.3, rng.uniform(lb[1] + h / 2, lb[3] - h / 2)))
        if W - lb[2] > w * 0.7:
            spots.append((lb[2] + w / 2 + mm_px(2, dpi) - w * 0.3, rng.uniform(lb[1] + h / 2, lb[3] - h / 2)))
        if not spots:   # no margin wide enough: shrink into the bottom margin
            h = max(mm_px(10, dpi), int(H - lb[3] - mm_px(6, dpi)))
            w = int(w * 0.8)
            spots.append((rng.uniform(w / 2 + 5, W - w / 2 - 5), lb[3] + mm_px(3, dpi) + h / 2))
        cx, cy = spots[int(rng.integers(len(spots)))]
    ang = float(rng.uniform(-12, 12))
    sheet = np.full((h, w, 3), NOTE_COLOURS[what], np.float32) * rng.uniform(0.96, 1.02)
    if rng.random() < 0.6:   # a few handwritten or printed lines on it
        for k in range(int(rng.integers(1, 4))):
            y = int(h * (0.25 + 0.22 * k))
            cv2.line(sheet, (int(w * 0.1), y), (int(w * rng.uniform(0.4, 0.9)), y + int(rng.integers(-4, 5))),
                     (60, 60, 120) if what != "slip" else (80, 80, 80), max(2, mm_px(0.4, dpi)))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), ang, 1.0)
    m[:, 2] += [cx - w / 2, cy - h / 2]
    warped = cv2.warpAffine(sheet, m, (W, H))
    mask = cv2.warpAffine(np.ones((h, w), np.float32), m, (W, H))
    shadow = cv2.GaussianBlur(cv2.warpAffine(mask, np.float32([[1, 0, 6], [0, 1, 8]]), (W, H)), (0, 0), 5)
    f = page.astype(np.float32) * (1 - 0.25 * shadow * (1 - mask))[..., None]
    f = f * (1 - mask[..., None]) + warped * mask[..., None]
    page[:] = np.clip(f, 0, 255).astype(np.uint8)
    ys, xs = np.nonzero(mask > 0.5)
    box = [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1] if len(xs) else [0, 0, 0, 0]
    return {"what": "sticky" if what != "slip" else "slip", "over": where, "box": box}


NOTE_SHADOW_PX = 24                 # form px: a note's shadow (offset 6-8 px, blurred by 5) reaches this far beyond it
NOTE_SEEN_BLACK_PER_PX = 0.25       # a note's own black px per px of its perimeter from which its outline shows


def note_unseen(bits: np.ndarray, note: dict, Hm: np.ndarray, printed: np.ndarray) -> bool:
    """Whether a thresholded 1-bit page (``bits``, bool, True = white) shows nothing a person could take for a
    note lying in a margin: it hides no print (``printed``, bool, the blank's print in the scan's px: none
    under the note) and leaves less black of its own over it or its shadow (its box grown by NOTE_SHADOW_PX,
    carried by ``Hm`` into the scan's px; black on the print or within a pixel of it is the print's) than
    NOTE_SEEN_BLACK_PER_PX per px of its perimeter. A light note with nothing written on it comes out as
    white as the paper; where its shadow lay near the threshold a few specks are left, scattered along two
    of its sides (stress seed 1796225520 count 5 page 0: 70 black px along a 3,842 px perimeter, 0.018 a px:
    no edge, no line, a dust of dots no one takes for a note). The scan then shows a clean ballot, and the
    truth follows the capture (no ``obstruction``). A note over the names hides print
    (``capture.hidden_names``); one with lines written on it, or whose shadow the threshold kept as a line
    (as many black px as a quarter of its perimeter at least), shows."""
    if note["over"] != "margin":
        return False
    h, w = bits.shape
    x0, y0, x1, y1 = _apply(Hm, note["box"])
    if printed[max(0, y0):min(h, y1), max(0, x0):min(w, x1)].any():
        return False
    g = NOTE_SHADOW_PX
    bx = _apply(Hm, [note["box"][0] - g, note["box"][1] - g, note["box"][2] + g, note["box"][3] + g])
    sl = (slice(max(0, bx[1]), min(h, bx[3])), slice(max(0, bx[0]), min(w, bx[2])))
    cut = bits[sl]
    if cut.size == 0:
        return False
    near = cv2.dilate(printed[sl].astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    own = int(np.count_nonzero(~cut & ~near))
    return own < NOTE_SEEN_BLACK_PER_PX * 2 * ((x1 - x0) + (y1 - y0))


# ------------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------------
def _folds(name: str, rng) -> list[tuple[str, float]]:
    if name == "off-centre":
        return [("h", float(rng.uniform(0.15, 0.85)))]
    return [(a, f + float(rng.normal(0, 0.015))) for a, f in FOLDS_AT[name]]


def _foreign_page(blank: Blank, cond: dict, rng) -> np.ndarray:
    """A ballot of another election (another office, names, print), filled in or not."""
    fc = draw_blank(rng, blank.conditions["kind"])
    fb = make_blank(fc, int(rng.integers(2**31)))
    page = fb.rgb.copy()
    _stamp(page, dict(fb.geometry), cond, rng)
    if rng.random() < 0.7:
        case = {"strike": "normal", "mark": "normal", "approve": "yes-no"}[fb.election["ballot"]]
        spec, _ = plan_ballot(fb.election, fb.geometry, case, rng)
        spec["seal"] = False
        page = np.asarray(fill_ballot(page, fb.geometry, spec, rng))
    return page


def _apply(H: np.ndarray, box) -> list[int]:
    """Axis-aligned image box of a page box under a homography."""
    x0, y0, x1, y1 = box
    p = cv2.perspectiveTransform(np.float32([[[x0, y0]], [[x1, y0]], [[x1, y1]], [[x0, y1]]]), H).reshape(-1, 2)
    return [int(math.floor(p[:, 0].min())), int(math.floor(p[:, 1].min())), int(math.ceil(p[:, 0].max())),
            int(math.ceil(p[:, 1].max()))]


def flat_conditions(blank: Blank, cond: dict, seal_place_: str | None) -> dict:
    """The drawn conditions as one flat dict (for tables: key=value rows)."""
    b = blank.conditions
    out = {k: b[k] for k in ("kind", "form", "paper", "paper_colour", "face", "weight", "name_pt", "row_mm", "layout",
                             "honorific", "duplicate", "candidates", "seal_mm")}
    g = blank.geometry      # the name size and row height as printed (a long list shrinks them)
    out.update(name_pt=round(g["name_px"] / g["dpi"] * 72, 1), row_mm=round(g["row_height"] / g["dpi"] * 25.4, 1))
    out.update(seal_colour=cond["seal"]["colour"], seal_style=cond["seal"]["style"], seal_place=seal_place_,
               seal_angle=cond["seal"]["angle"], pen=cond["pen"], pen_width=cond["pen_width"],
               pressure=cond["pressure"], strike_style=cond["strike_style"], fold=cond["fold"], note=cond["note"],
               capture=cond["capture"], case=cond["case"])
    if cond["capture"] == "scanner":
        s = cond["scan"]
        out.update(dpi=s["dpi"], colour="grey" if s["grey"] else "colour", skew=s["skew"], upside_down=s["upside_down"],
                   jpeg=s["jpeg"] if s["format"] == "jpg" else None, format=s["format"], streaks=s["streaks"])
    elif cond["capture"] == "phone":
        p = cond["phone"]
        out.update(table=p["table"], tilt=p["tilt"], rotation=p["rotation"], blur=p["blur"], exif=p["exif"],
                   other_paper=p["other_paper"], shadow=p["shadow"], jpeg=p["jpeg"], colour="colour")
    else:
        bl_ = cond["bilevel"]
        out.update(dpi=bl_["dpi"], method=bl_["method"], channel=bl_["channel"], colour="bilevel",
                   threshold=bl_["threshold"] if bl_["method"] == "threshold" else None,
                   skew=bl_["scan"]["skew"], upside_down=bl_["scan"]["upside_down"], format=bl_["format"])
    return out


def render_page(blank: Blank, cond: dict, rng: np.random.Generator | None = None):
    """Render one page of ``blank``'s count under page conditions ``cond`` (conditions.draw_page).

    Returns ``(image, truth)``: the image as the capture gives it (HxWx3 or HxW uint8; for ``bilevel`` a
    bool HxW, True = white) and the truth record without ``source``/``page`` (see the module doc).
    Deterministic for ``cond["seed"]`` when ``rng`` is None. Two keys ``draw_page`` never sets, for reader
    B's training draws (training/make_data.py): ``extra_folds`` (more creases, [(axis, fraction)] as
    ``_folds`` gives them) and ``edge_voter`` (``cases.plan_ballot``; default ``cases.P_EDGE_VOTER``)."""
    rng = rng if rng is not None else np.random.default_rng(cond["seed"])
    geom = dict(blank.geometry)
    case = cond["case"]
    page = blank.rgb.copy()
    spec = {}
    seal_info, place = None, None
    if case == "blank":
        rgb = PAPER_RGB[blank.conditions["paper_colour"]] if rng.random() < 0.6 else PAPER_RGB["white"]
        page = np.full_like(page, rgb)
        truth = {"kind": "blank", "expect": "reject"}
    elif case == "foreign":
        page = _foreign_page(blank, cond, rng)
        truth = {"kind": "foreign", "expect": "reject"}
    else:
        seal_info, place = _stamp(page, geom, cond, rng)
        spec, truth = plan_page(blank.election, geom, cond, rng)
        spec["seal"] = False
        spec["placed"] = []
        if spec.get("faint") or spec.get("faint_marks"):
            spec["unfaint"] = []        # receives the ballot without its faint mark: its twin
        sealed = page
        page = np.asarray(fill_ballot(sealed, geom, spec, rng)).copy()
    folds = _folds(cond["fold"], rng) + [(str(a), float(f)) for a, f in cond.get("extra_folds", ())]
    if folds and truth["kind"] == "ballot":
        truth["fold"] = True
    ink = None
    if cond["capture"] == "bilevel" and truth["kind"] == "ballot":
        gs = cv2.cvtColor(sealed, cv2.COLOR_RGB2GRAY).astype(np.float32)
        gp = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY).astype(np.float32)
        ink = np.clip((gs - gp) / np.maximum(gs, 1), 0, 1)
    twin = spec.pop("unfaint", [None])[0] if spec.get("unfaint") else None
    note = None
    if cond["note"] != "none" and page.shape == blank.rgb.shape:
        state = rng.bit_generator.state
        note = lay_note(page, geom, cond["note"], rng)
        if twin is not None:
            lay_note(twin, geom, cond["note"], _rng_at(state))
    # Capture.
    cap = cond["capture"]
    state = rng.bit_generator.state
    image, Hm, warp, capture, grey_img = _capture(page, cond, folds, rng)
    if cap == "bilevel":
        b = cond["bilevel"]
        t = capture.get("threshold")
        if ink is not None:
            _survival(image, ink, warp, Hm, geom, spec, b["method"], capture, truth)
            if t is not None:
                _faint_erased(ink, blank.rgb, warp, Hm, geom, spec, grey_img, t, capture, truth)
    thinned = cap == "bilevel" and capture.get("threshold") is not None and "faint_left" not in capture
    if (twin is not None and truth.get("unclear") in _faint_boxes(geom, spec) and "faint_erased" not in capture
            and not thinned):       # a thresholded page whose print is thinned stays review (_faint_erased)
        twin_image, *_ = _capture(twin, cond, folds, _rng_at(state))
        _faint_seen(image, twin_image, page, twin, blank.rgb, warp, capture, truth)
    if capture.get("blur") == "unreadable" and truth["kind"] == "ballot":
        truth["unreadable"] = True
        truth["expect"] = "review"
    if (note is not None and cap == "bilevel" and capture.get("threshold") is not None
            and note_unseen(image, note, Hm, _to_image(_printed(blank.rgb), warp) > 0.05)):
        capture["note_unseen"] = True       # nothing of it is in the capture: the ballot as it shows
    elif note is not None:
        if truth["kind"] == "ballot":
            truth["expect"] = "review"
        truth["obstruction"] = {"what": note["what"], "over": note["over"]}
    truth["capture"] = capture
    truth["conditions"] = flat_conditions(blank, cond, place)
    g = {"form_dpi": RENDER_DPI, "H": [round(float(v), 6) for v in (Hm / Hm[2, 2]).ravel()]}
    if seal_info is not None:
        c = cv2.perspectiveTransform(np.float32([[seal_info["center"]]]), Hm).reshape(2)
        scale = math.sqrt(abs(np.linalg.det(_jacobian(Hm, seal_info["center"]))))
        g["seal"] = [round(float(c[0]), 1), round(float(c[1]), 1), round(seal_info["radius"] * scale, 1)]
    if note is not None:
        g["notes"] = [_apply(Hm, note["box"])]
    if spec.get("placed"):
        g["writing"] = [_apply(Hm, b) for b in spec["placed"]]
    truth["geometry"] = g
    return image, truth


def _rng_at(state: dict) -> np.random.Generator:
    """A generator in the given ``bit_generator.state``: the same draws again (a twin's capture)."""
    g = np.random.default_rng()
    g.bit_generator.state = state
    return g


def _capture(page: np.ndarray, cond: dict, folds, rng):
    """Capture ``page`` (form px, RGB; a phone's creases are pressed into it in place) as ``cond`` says.
    Returns (image, Hm, warp, capture record, grey before the threshold or None): ``warp`` carries form
    px into the image's (``_to_image``)."""
    cap = cond["capture"]
    if cap == "phone":
        for axis, frac in folds:
            _apply_crease(page if axis == "h" else page.swapaxes(0, 1), frac, rng)
        image, Hm, capture, warp = photograph(page, RENDER_DPI, cond["phone"], folds, rng, want_maps=True)
        return image, Hm, warp, capture, None
    s = cond["scan"] if cap == "scanner" else cond["bilevel"]["scan"]
    dpi = s["dpi"] if cap == "scanner" else cond["bilevel"]["dpi"]
    grey = s["grey"] if cap == "scanner" else False
    image, warp = scan_array(page, rng, dpi=dpi, src_dpi=RENDER_DPI, rotate_deg=s["skew"],
                             upside_down=s["upside_down"], grey=grey, creases=folds, streaks=s["streaks"],
                             perspective=s["perspective"], bed_strip=s["bed_strip"], blur_sigma=s["blur"],
                             noise_sigma=s["noise"], want_maps=True)
    if cap == "scanner":
        capture = {"mode": "scanner", "dpi": dpi, "colour": "grey" if grey else "colour", "format": s["format"]}
        if s["format"] == "jpg":
            capture["jpeg"] = s["jpeg"]
        return image, warp["H"], warp, capture, None
    b = cond["bilevel"]
    grey_img = bl.to_grey(image, b["channel"])
    bits, t = bl.binarise(grey_img, b["method"], b["threshold"])
    capture = {"mode": "bilevel", "dpi": dpi, "channel": b["channel"], "method": b["method"], "format": b["format"]}
    if t is not None:
        capture["threshold"] = t
    return bits, warp["H"], warp, capture, grey_img


def _as_coded(image: np.ndarray, capture: dict) -> np.ndarray:
    """The capture as its file gives it back (JPEG's losses; lossless files and 1-bit pages as they are)."""
    if capture["mode"] == "bilevel":
        return image
    if capture["mode"] == "phone":
        q, sub = capture["jpeg"]
        data = encode_photo(image, q, sub, 1)
    elif capture["format"] == "jpg":
        data, _ = encode_image(image, "jpg", capture["dpi"], capture["jpeg"])
    else:
        return image
    out = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    return out if out.ndim == 2 else out[..., ::-1]


def _faint_seen(image, twin_image, page, twin, form_rgb, warp, capture, truth) -> None:
    """The rule for a faint, ambiguous mark (case "faint") on every capture: the truth follows what a person
    at the review screen could see of it (``visibility``: the capture of the page against that of its twin
    without the mark, as coded in the file). Records ``capture["faint_seen"]`` {name: {"contrast", "snr",
    "share", "visible"}}; a mark under the rule is not in the capture: ``capture["faint_erased"]`` names it
    and the truth is the ballot as it stands (``expect`` "count" unless another reason keeps it in review)."""
    name = truth["unclear"]
    gt = cv2.cvtColor(np.asarray(twin), cv2.COLOR_RGB2GRAY).astype(np.float32)
    gp = cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2GRAY).astype(np.float32)
    faint_ink = np.clip((gt - gp) / np.maximum(gt, 1), 0, 1)
    ink_img = _to_image(faint_ink, warp)
    if float(ink_img.max()) < 0.01:
        return
    ys, xs = np.nonzero(ink_img >= 0.01)
    box = [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]
    ppm = capture["px_per_mm"] if capture["mode"] == "phone" else capture["dpi"] / 25.4
    seen = vis.eye(_as_coded(image, capture), ppm)
    seen_twin = vis.eye(_as_coded(twin_image, capture), ppm)
    printed = _to_image(_printed(form_rgb), warp)
    fc = vis.faint_contrast(seen, seen_twin, ink_img, printed, box, ppm)
    if fc is None:
        return
    inside = _to_image(np.ones(form_rgb.shape[:2], np.float32), warp) > 0.99
    dark = vis.print_darkness(seen_twin[::2, ::2], printed[::2, ::2], inside[::2, ::2])
    v = vis.visibility(fc["contrast"], fc["noise"], [float(d) for d in dark])
    c = v["channel"]
    capture["faint_seen"] = {name: {"contrast": round(fc["contrast"][c], 2), "noise": round(fc["noise"][c], 2),
                                    "print": round(float(dark[c]), 1), "snr": v["snr"], "share": v["share"],
                                    "visible": v["visible"]}}
    if not v["visible"]:
        capture["faint_erased"] = [name]
        truth.pop("unclear")
        truth["expect"] = "review" if truth.get("faded") else "count"


def _jacobian(H: np.ndarray, p) -> np.ndarray:
    x, y = p
    w = H[2, 0] * x + H[2, 1] * y + H[2, 2]
    u = (H[0, 0] * x + H[0, 1] * y + H[0, 2]) / w
    v = (H[1, 0] * x + H[1, 1] * y + H[1, 2]) / w
    return np.array([[(H[0, 0] - u * H[2, 0]) / w, (H[0, 1] - u * H[2, 1]) / w],
                     [(H[1, 0] - v * H[2, 0]) / w, (H[1, 1] - v * H[2, 1]) / w]])


def _to_image(a: np.ndarray, warp: dict, border: float = 0.0) -> np.ndarray:
    """A float32 map in form px (``a``) carried into the scan's px as the scanner carried the page."""
    mx, my = warp["maps"]
    size = warp.get("size") or (int(round(a.shape[1] * warp["scale"])), int(round(a.shape[0] * warp["scale"])))
    small = cv2.resize(a.astype(np.float32), tuple(size), interpolation=cv2.INTER_AREA)
    return cv2.remap(small, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def _survival(bits, ink, warp, Hm, geom, spec, method, capture, truth) -> None:
    """Measure how much of each deciding mark the 1-bit page kept; marks it lost make the page review."""
    ink_img = _to_image(ink, warp)
    lb = geom["list_box"]
    W, H = geom["size"]
    paper_box = _apply(Hm, [W * 0.1, min(H - 60, lb[3] + 40), W * 0.9, H - 30])
    x0, y0, x1, y1 = (max(0, paper_box[0]), max(0, paper_box[1]), min(bits.shape[1], paper_box[2]),
                      min(bits.shape[0], paper_box[3]))
    black = bl.seen_black(bits, method)
    region = black[y0:y1, x0:x1]
    paper = float(region.mean()) if region.size else 0.0
    surv, faded = {}, []
    for name, box in _mark_boxes(geom, spec).items():
        v = bl.mark_survival(black, ink_img, _apply(Hm, box), paper)
        if v is None:
            continue
        surv[name] = round(v, 3)
        if v < bl.MARK_KEPT[method]:
            faded.append(name)
    capture["paper_black"] = round(paper, 3)
    capture["mark_survival"] = surv
    if faded:
        truth["faded"] = faded
        truth["expect"] = "review"


def _faint_boxes(geometry: dict, spec: dict) -> dict[str, list[float]]:
    """Where each faint, ambiguous mark of the case "faint" is, in form px: the free box a light tick was
    drawn in (mark ballots), the standing name a light short stroke crosses (strike ballots)."""
    out = {}
    for nm in spec.get("faint_marks", []):
        b = _row(geometry, nm)["cells"]["mark"]
        s = (b[2] - b[0]) * 0.4
        out[_row(geometry, nm)["name"]] = [b[0] - s, b[1] - s, b[2] + s, b[3] + s]
    for nm in spec.get("faint", []):
        r = _row(geometry, nm)
        out[r["name"]] = [r["text_box"][0] - 20, r["row_box"][1], r["text_box"][2] + 20, r["row_box"][3]]
    return out


def _printed(form_rgb: np.ndarray) -> np.ndarray:
    """The blank's print (float32 0/1, form px): darker than ``bl.PRINT_GREY``."""
    return (cv2.cvtColor(form_rgb, cv2.COLOR_RGB2GRAY) < bl.PRINT_GREY).astype(np.float32)


def _faint_erased(ink, form_rgb, warp, Hm, geom, spec, grey, threshold, capture, truth) -> None:
    """The rule for a faint, ambiguous mark (case "faint") on a thresholded 1-bit page: the truth follows
    what the capture kept.

    A faint mark is unclear on paper: the page goes to review because a person must see it. A
    threshold that leaves not one pixel black by the mark's doing (``bl.faint_left``: print it crosses is
    black anyway) while the print is intact (``bl.print_intact``: the threshold
    lies on the paper's side of the print's mid-grey, so the print keeps its width and nothing says
    the scan was light) shows a clean ballot: no reader can see the mark, no one reading the scan
    would send it to a person, and the truth is the ballot as it stands (``expect`` "count" unless
    another reason keeps it in review; ``capture["faint_erased"]`` names the mark). With one pixel
    left, or the print thinned (the reader should say the scan was light), the page stays review.
    Dithered pages keep every grey as dots: the rule is for thresholded pages only."""
    boxes = _faint_boxes(geom, spec)
    if not boxes or truth.get("unclear") not in boxes:
        return
    print_img = _to_image(_printed(form_rgb), warp)
    ink_img = _to_image(ink, warp)
    if not bl.print_intact(grey, print_img > 0.5, threshold):
        return
    name = truth["unclear"]
    left = bl.faint_left(grey, ink_img, threshold, _apply(Hm, boxes[name]))
    capture["faint_left"] = {name: left}
    if left == 0:
        capture["faint_erased"] = [name]
        truth.pop("unclear")
        truth["expect"] = "review" if truth.get("faded") else "count"


def encode_page(image: np.ndarray, truth: dict) -> tuple[bytes, str]:
    """The file the capture would give: (bytes, extension)."""
    cap = truth["capture"]
    if cap["mode"] == "phone":
        q, sub = cap["jpeg"]
        return encode_photo(image, q, sub, cap.get("exif_orientation", 1)), "jpg"
    if cap["mode"] == "bilevel":
        return bl.encode_bilevel(image, cap["format"], cap["dpi"])
    return encode_image(image, cap["format"], cap["dpi"], cap.get("jpeg", 90))
