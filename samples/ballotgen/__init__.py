"""Synthetic Vietnamese paper-ballot generator for kiemphieu.

Renders a ballot form (strike / mark / approve; table, list or two-column layout) at 300 dpi, stamps a
hand-applied seal, fills it in with a simulated pen according to a *case* (normal, overvote, write-in,
partial strike, ...), then simulates how the page was captured (a scanner, a phone photo, a 1-bit
office scan) and writes a set directory in the format of the public evaluation sets
(``election.toml``, ``blank.png``, ``scans/``, ``truth.jsonl``).  Everything is deterministic for a seed.

Modules, one job each:

- ``names``     Vietnamese names, election bodies, the election file (``make_election``, ``election_toml``)
- ``fonts``     print, seal and handwriting faces
- ``form``      the printed blank form and its geometry (``render_form``, ``render_blank``)
- ``seal``      the hand-applied seal (``stamp_seal``)
- ``ink``, ``pen``, ``fill``   ink blending, the voter's pen, filling a ballot in (``fill_ballot``)
- ``scanner``   scanner simulation and file formats (``scan_array``, ``scan``, ``encode_image``, ``refeed``)
- ``cases``     what the voter did and the truth (``case_schedule``, ``plan_ballot``)
- ``sets``      a set with one look (``generate_set``) or a count of the stress matrix (``write_count``)
- ``conditions`` the stress matrix: a count's print and each page's conditions (``draw_blank``, ``draw_page``)
- ``page``      one stress page in memory (``make_blank``, ``render_page``, ``encode_page``)
- ``phone``, ``bilevel``  phone photos and 1-bit scans
- ``cli``       ``python -m ballotgen OUTDIR --kind strike ...``
"""
from .bilevel import binarise, mark_survival, seen_black
from .cases import CASES, REVIEW_CASES, case_schedule, plan_ballot
from .conditions import draw_blank, draw_page
from .fill import fill_ballot
from .fonts import font_path, load_font
from .form import render_blank, render_form
from .names import DISTRICTS, election_toml, make_election, random_person
from .page import Blank, encode_page, make_blank, render_page
from .phone import photograph
from .scanner import encode_image, random_scan_params, refeed, scan, scan_array
from .seal import seal_mask, stamp_seal
from .sets import generate_set, write_count
from .units import RENDER_DPI, PageArray, as_page

__all__ = [
    "Blank",
    "binarise",
    "draw_blank",
    "draw_page",
    "encode_page",
    "make_blank",
    "mark_survival",
    "photograph",
    "seen_black",
    "render_page",
    "write_count",
    "CASES",
    "DISTRICTS",
    "REVIEW_CASES",
    "RENDER_DPI",
    "PageArray",
    "as_page",
    "case_schedule",
    "election_toml",
    "encode_image",
    "fill_ballot",
    "font_path",
    "generate_set",
    "load_font",
    "make_election",
    "plan_ballot",
    "random_person",
    "random_scan_params",
    "refeed",
    "render_blank",
    "render_form",
    "scan",
    "scan_array",
    "seal_mask",
    "stamp_seal",
]
