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
- ``sets``      a set with one look (``generate_set``)
- ``cli``       ``python -m ballotgen OUTDIR --kind strike ...``
"""
from .cases import CASES, REVIEW_CASES, case_schedule, plan_ballot
from .fill import fill_ballot
from .fonts import font_path, load_font
from .form import render_blank, render_form
from .names import DISTRICTS, election_toml, make_election, random_person
from .scanner import encode_image, random_scan_params, refeed, scan, scan_array
from .seal import seal_mask, stamp_seal
from .sets import generate_set
from .units import RENDER_DPI, PageArray, as_page

__all__ = [
    "CASES", "DISTRICTS", "REVIEW_CASES", "RENDER_DPI", "PageArray", "as_page", "case_schedule", "election_toml",
    "encode_image", "fill_ballot", "font_path", "generate_set", "load_font", "make_election", "plan_ballot",
    "random_person", "random_scan_params", "refeed", "render_blank", "render_form", "scan", "scan_array",
    "seal_mask", "stamp_seal",
]
