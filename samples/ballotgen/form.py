"""The printed blank form: header, title, the list of names (table, numbered list, two columns) and
its geometry in page pixels."""
from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

from .fonts import face_fonts, load_font, serif_fonts
from .seal import SEAL_DIAMETER_MM, stamp_seal
from .units import PAPER_MM, RENDER_DPI, as_page, mm_px, pt_px

TABLE_LINE_MM = 0.3
MARK_BOX_MM = 5.0
APPROVE_BOX_GAP = 3.4             # distance between the yes/no boxes, in box sides (list layouts)
NAME_PT_RANGE = (12.0, 15.0)
ROW_HEIGHT_MM_RANGE = (6.5, 11.0)


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
                seed: int = 0, paper: str | None = None, name_pt: float | None = None, style: dict | None = None):
    """Render the unsealed printed form.  Returns ``(rgb uint8 array, geometry)`` (see render_blank).

    ``style`` (the stress matrix's print conditions; None = the classic look chosen by ``font``):
    ``face`` (a key of fonts.FACES), ``weight`` of the names ("regular", "bold", "light"), ``name_pt``,
    ``row_mm`` (row height, shrunk when the list would not fit), ``paper_rgb``, ``seal_mm``.
    """
    rng = np.random.default_rng([seed, 202])
    kind = election["ballot"]
    n = len(election["labels"])
    if paper is None:
        paper = "A4" if (kind == "strike" or layout == "twocol" or n > 10) else "A5"
    wmm, hmm = PAPER_MM[paper]
    W, H = mm_px(wmm, dpi), mm_px(hmm, dpi)
    small = paper == "A5"
    if style:
        name_face, bold, reg = face_fonts(style["face"], style.get("weight", "regular"))
        name_pt = style.get("name_pt", name_pt)
    else:
        reg, bold = serif_fonts(font)
        name_face = reg
    img = Image.new("RGB", (W, H), tuple(int(v) for v in style["paper_rgb"]) if style else (255, 255, 255))
    d = ImageDraw.Draw(img)
    hdr_pt = 10.0 if small else 12.0
    form = election["form"]
    # Shrink the header font until the left block and the right heading fit side by side.
    while hdr_pt > 6:
        f_hdr = load_font(bold, pt_px(hdr_pt, dpi))
        lw_ = max((f_hdr.getlength(t) for t in (form.get("header_left") or [""])), default=0)
        rw_ = f_hdr.getlength(form.get("header_right") or "")
        if 0.30 * W - lw_ / 2 >= W * 0.03 and 0.30 * W + lw_ / 2 + W * 0.03 <= 0.73 * W - rw_ / 2 \
                and 0.73 * W + rw_ / 2 <= W * 0.97:
            break
        hdr_pt -= 0.5
    f_title = load_font(bold, pt_px(17 if small else 21, dpi))
    f_sub = load_font(bold, pt_px(11 if small else 13, dpi))
    top = mm_px(10 if small else 14, dpi)
    lh = pt_px(hdr_pt, dpi) * 1.35
    printed: list[list[int]] = []     # ink boxes of the header and title lines
    if form.get("header_left"):
        cx = int(W * 0.30)
        for k, line in enumerate(form["header_left"]):
            printed.append(_text(d, (cx, top + lh * (k + 1)), line, f_hdr, anchor="ms"))
        b = _text(d, (int(W * 0.73), top + lh), form["header_right"], f_hdr, anchor="ms")
        d.line(
            [(b[0], b[3] + mm_px(0.8, dpi)), (b[2], b[3] + mm_px(0.8, dpi))],
            fill=(0, 0, 0),
            width=max(1, mm_px(0.25, dpi)),
        )
        printed.append(b)
        seal_anchor = (int(W * 0.19), int(top + lh * 1.6))
    else:
        cx = int(W * 0.56)
        a, b = form["header_center"]
        printed.append(_text(d, (cx, top + lh), a, f_hdr, anchor="ms"))
        bb = _text(d, (cx, top + lh * 2), b, f_hdr, anchor="ms")
        printed.append(bb)
        d.line(
            [(bb[0], bb[3] + mm_px(0.8, dpi)), (bb[2], bb[3] + mm_px(0.8, dpi))],
            fill=(0, 0, 0),
            width=max(1, mm_px(0.25, dpi)),
        )
        seal_anchor = (int(W * 0.15), int(top + lh * 2.2))
    y = top + lh * 2 + mm_px(12 if small else 16, dpi)
    title_box = _text(d, (W // 2, y), "PHIẾU BẦU CỬ", f_title, anchor="ms")
    printed.append(title_box)
    y += pt_px(13 if small else 15, dpi) * 1.45
    for line in form["subtitle"]:
        printed.append(_text(d, (W // 2, y), line, f_sub, anchor="ms"))
        y += pt_px(11 if small else 13, dpi) * 1.4
    if form.get("extra"):
        printed.append(
            _text(d, (W // 2, y), form["extra"], load_font(reg, pt_px(10 if small else 12, dpi)), anchor="ms")
        )
        y += pt_px(11 if small else 13, dpi) * 1.4
    y0 = int(y + mm_px(4 if small else 6, dpi))

    # Row height and name font: fit the list on the page, leaving room for handwriting below if possible.
    margin = mm_px(10 if small else 18, dpi)
    bottom = H - mm_px(12 if small else 15, dpi)
    n_rows = math.ceil(n / 2) if layout == "twocol" else n
    head = 1.6 if kind == "approve" and layout == "table" else (1.2 if layout == "table" or kind != "strike" else 0.3)
    row_h = (bottom - y0) / (n_rows + head)
    if style and style.get("row_mm"):
        row_h = float(min(row_h, mm_px(style["row_mm"], dpi)))
    else:
        row_h = float(np.clip(row_h, mm_px(ROW_HEIGHT_MM_RANGE[0], dpi) * 0.8, mm_px(ROW_HEIGHT_MM_RANGE[1], dpi)))
    pt_lo, pt_hi = (11.0, 13.0) if small else NAME_PT_RANGE
    npt = name_pt if name_pt is not None else float(rng.uniform(pt_lo, pt_hi))
    npx = min(pt_px(npt, dpi), int(row_h * (0.6 if style else 0.52)))
    f_name = load_font(name_face, npx)
    f_head = load_font(bold, int(npx * 0.9))
    cap = -f_name.getbbox("H", anchor="ls")[1]
    lw = max(1, mm_px(TABLE_LINE_MM, dpi))
    rows: list[dict] = []
    box_side = mm_px(MARK_BOX_MM, dpi)

    def square(cx_, cy_):
        b = [int(cx_ - box_side / 2), int(cy_ - box_side / 2), int(cx_ + box_side / 2), int(cy_ + box_side / 2)]
        d.rectangle(b, outline=(0, 0, 0), width=max(1, lw - 1))
        return b

    if layout == "table":
        x0, x1 = margin, W - margin
        xs_stt = x0 + mm_px(13, dpi)
        extra_cols = {"strike": [], "mark": [("ĐỒNG Ý",)], "approve": [("ĐỒNG Ý",), ("KHÔNG", "ĐỒNG Ý")]}[kind]
        col_w = mm_px(22 if small else 25, dpi)
        col_x = [x1 - col_w * (len(extra_cols) - k) for k in range(len(extra_cols))]
        hh = int(row_h * head)
        yb = y0 + hh + n * row_h
        d.rectangle([x0, y0, x1, int(yb)], outline=(0, 0, 0), width=lw + 1)
        for xv in [xs_stt] + col_x:
            d.line([(xv, y0), (xv, int(yb))], fill=(0, 0, 0), width=lw)
        ymid = y0 + hh / 2
        _text(d, ((x0 + xs_stt) // 2, ymid + cap / 2), "STT", f_head, anchor="ms")
        _text(d, (xs_stt + mm_px(3, dpi), ymid + cap / 2), "HỌ VÀ TÊN", f_head, anchor="ls")
        for k, lines in enumerate(extra_cols):
            cxk = col_x[k] + col_w / 2
            for j, t in enumerate(lines):
                _text(d, (cxk, ymid + cap / 2 + (j - (len(lines) - 1) / 2) * cap * 1.6), t, f_head, anchor="ms")
        for i in range(n):
            ry = y0 + hh + i * row_h
            d.line([(x0, int(ry)), (x1, int(ry))], fill=(0, 0, 0), width=lw)
            base = ry + row_h / 2 + cap / 2
            _text(d, ((x0 + xs_stt) // 2, base), str(i + 1), f_name, anchor="ms")
            rec = _row_record(i, election, d, f_name, xs_stt + mm_px(3, dpi), base)
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
        # The longest name must end before its row's first box (half a box side of paper between): a name
        # printed into its own mark box is no ballot a printer would make.
        first_box = {"strike": 0.0, "mark": 1.6 + 0.5 + 0.5, "approve": 1.6 + APPROVE_BOX_GAP + 0.5 + 0.5}[kind]
        room = min(r - lft for lft, r in zip(col_left, col_right)) - box_side * first_box - mm_px(10, dpi)
        widest = max(d.textlength(t, font=f_name) for t in election["display"])
        if widest > room:
            npx = int(npx * room / widest)
            f_name = load_font(name_face, npx)
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
            xn = col_left[c] + mm_px(8, dpi)
            _text(d, (xn - mm_px(1.5, dpi), base), f"{i + 1}.", f_name, anchor="rs")
            rec = _row_record(i, election, d, f_name, xn + mm_px(2, dpi), base)
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
    free_top = list_bottom + mm_px(6, dpi)
    free = (
        [list_x[0] + mm_px(5, dpi), free_top, list_x[1] - mm_px(5, dpi), bottom]
        if bottom - free_top > mm_px(15, dpi)
        else None
    )
    geometry = {
        "dpi": dpi,
        "paper": paper,
        "size": [W, H],
        "layout": layout,
        "kind": kind,
        "font": style["face"] if style else font,
        "name_px": npx,
        "row_height": float(row_h),
        "rows": rows,
        "title_box": title_box,
        "list_box": [list_x[0], y0, list_x[1], list_bottom],
        "free_area": free,
        "seal_anchor": list(seal_anchor),
        "seal_diameter": mm_px(style.get("seal_mm", SEAL_DIAMETER_MM) if style else SEAL_DIAMETER_MM, dpi),
        "header_boxes": printed,
        "paper_rgb": list(style["paper_rgb"]) if style else [255, 255, 255],
        "seal_text": form["seal_text"],
        "sealed": False,
        "seal": None,
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
