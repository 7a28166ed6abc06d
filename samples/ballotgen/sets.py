"""Writing a set directory in the format of the public evaluation sets (one look per set)."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from .cases import CASES, case_schedule, plan_ballot
from .fill import fill_ballot
from .form import render_form
from .names import DISTRICTS, election_toml, make_election
from .scanner import SCAN_DPI_RANGE, encode_image, random_scan_params, scan_array
from .seal import stamp_seal
from .units import RENDER_DPI


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
                fe = make_election(
                    _default_candidates(fkind, "table", prng),
                    None,
                    fkind,
                    seed * 7919 + 17 + len(foreign_forms),
                    exclude=set(election["labels"]),
                    district=str(prng.choice([d for d in DISTRICTS if d != election["district"]])),
                )
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


# ------------------------------------------------------------------------------------------------
# A count of the stress matrix: its own drawn blank, every page under its own drawn conditions
# ------------------------------------------------------------------------------------------------
def write_count(outdir, seed: int, n: int | None = None, capture: str | None = None, kind: str | None = None,
                verbose: bool = False) -> list[dict]:
    """Write a set directory whose blank (print conditions) and pages (page conditions) are drawn from
    the stress matrix (ballotgen.conditions); ``capture`` fixes the capture of every page (None: drawn per
    page), ``kind`` the ballot kind, ``n`` the pages (None: 15-30).  Besides the public sets' files it
    writes ``form.json`` (the form's boxes, page.Blank.form_record) and ``meta.json`` (the blank's
    conditions).  Returns the truth records."""
    from .conditions import draw_blank, draw_page
    from .page import encode_page, make_blank, render_page, seal_place
    from .seal import SEAL_INKS, stamp_seal_as

    out = Path(outdir)
    (out / "scans").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 77])
    bc = draw_blank(rng, kind)
    n = int(n or rng.integers(15, 31))
    blank = make_blank(bc, seed)
    election = blank.election
    election["electorate"] = max(election["electorate"], n + int(rng.integers(5, 120)))
    (out / "election.toml").write_text(election_toml(election), encoding="utf-8")
    # blank.png: the committee's colour scan of a sealed blank at 200 dpi.
    sealed = blank.rgb.copy()
    geom = dict(blank.geometry)
    mm = geom["seal_diameter"] / geom["dpi"] * 25.4
    cx, cy, _ = seal_place(geom, mm, rng.random(2))
    stamp_seal_as(sealed, geom, {"mm": mm, "rgb": SEAL_INKS[bc["seal_colour"]], "center": [cx, cy],
                                 "angle": float(rng.uniform(0, 360)), "alpha": float(rng.uniform(0.6, 0.95)),
                                 "style": "normal"}, rng)
    bimg = scan_array(sealed, rng, dpi=200, src_dpi=RENDER_DPI, rotate_deg=float(rng.uniform(-1, 1)),
                      perspective=0.001)
    Image.fromarray(bimg).save(out / "blank.png", dpi=(200, 200), compress_level=3)
    (out / "form.json").write_text(json.dumps(blank.form_record(), ensure_ascii=False), encoding="utf-8")
    (out / "meta.json").write_text(json.dumps({"seed": seed, "stress": True, "capture": capture or "mixed",
                                               "blank": bc, "pages": n}, ensure_ascii=False), encoding="utf-8")
    truths = []
    for i in range(n):
        cond = draw_page(np.random.default_rng([seed, 5000 + i]), bc, capture)
        image, truth = render_page(blank, cond)
        data, ext = encode_page(image, truth)
        name = f"scans/page_{i:04d}.{ext}"
        (out / name).write_bytes(data)
        truth.update({"source": name, "page": 1})
        truths.append(truth)
        if verbose:
            print(
                f"{out.name} {i + 1}/{n} {truth.get('case', truth['kind'])} {truth['capture']['mode']}", file=sys.stderr
            )
    with open(out / "truth.jsonl", "w", encoding="utf-8") as fh:
        for t in truths:
            fh.write(json.dumps(t, ensure_ascii=False) + "\n")
    return truths
