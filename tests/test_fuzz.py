"""Fuzzing with a bounded budget: the election-file parser and the image loader.

Whatever they are given, they either work or raise their own clear error (ElectionError,
LoadError) — never another exception, never a crash. About 20 s in all.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import string
import struct
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from kiemphieu.election import Election, ElectionError, load_election, parse_election
from kiemphieu.scan.load import LoadError, PageTask, decode_image, page_pixels, pdf_page_sizes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = int(os.environ.get("KP_FUZZ_EXAMPLES", 200))    # more for a longer campaign
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- the election file ------------------------------------------------------------------------------------

KEYS = ["title", "seats", "ballot", "rules", "electorate", "excluded", "issued", "returned", "present", "round",
        "require_seal", "candidates", "overrides", "name", "note", "born", "base", "tie", "turnout"]
WORDS = ["strike", "mark", "approve", "party", "state", "electorate", "valid", "report", "older", "Nguyễn Văn An",
         "Trần Thị Bình", "", " ", "1970", "NGUYỄN VĂN AN", "Nguyễn Văn An"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 12), st.integers(), st.floats(allow_nan=True),
                    st.sampled_from(WORDS), st.text(max_size=12))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5),
    st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=5)), inner, max_size=5)), max_leaves=20)


@st.composite
def election_dicts(draw) -> dict:
    """A good election file with one to four things broken: every check is reached, not only the first."""
    d = {
        "title": "Bầu thử",
        "seats": draw(st.integers(1, 3)),
        "ballot": draw(st.sampled_from(["strike", "mark", "approve"])),
        "rules": draw(st.sampled_from(["party", "state"])),
        "electorate": draw(st.integers(5, 500)),
        "candidates": [
            "Nguyễn Văn An",
            "Trần Thị Bình",
            {"name": "Nguyễn Văn An", "note": "1970"},
            {"name": "Lê Văn C", "born": "1961-02-03"},
        ],
        "overrides": draw(
            st.dictionaries(st.sampled_from(["base", "tie"]), st.sampled_from(["valid", "report"]), max_size=1)
        ),
    }
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(["top", "top", "top", "candidate", "override", "drop"]))
        if where == "top":
            d[draw(st.one_of(st.sampled_from(KEYS), st.text(max_size=5)))] = draw(values)
        elif where == "drop":
            d.pop(draw(st.sampled_from(KEYS)), None)
        elif where == "candidate" and isinstance(d.get("candidates"), list) and d["candidates"]:
            i = draw(st.integers(0, len(d["candidates"]) - 1))
            d["candidates"][i] = draw(st.one_of(values, st.fixed_dictionaries(
                {"name": st.one_of(st.sampled_from(WORDS), values)},
                optional={"note": values, "born": values, "x": values})))
        elif where == "override" and isinstance(d.get("overrides"), dict):
            d["overrides"][draw(st.sampled_from(["base", "tie", "turnout", "x"]))] = draw(
                st.one_of(st.sampled_from(WORDS), st.booleans(), values))
    return d


@FUZZ
@given(st.one_of(election_dicts(), st.dictionaries(st.text(max_size=8), values, max_size=6)))
def test_parse_election_random_dicts(data):
    try:
        e = parse_election(data, "fuzz.toml")
    except ElectionError as ex:
        assert "fuzz.toml" in str(ex)
        return
    assert isinstance(e, Election) and e.seats >= 1 and len(e.candidates) >= e.seats
    assert Election.from_dict(json.loads(json.dumps(e.to_dict()))) == e     # as the count stores it


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(map(_toml_value, v)) + "]"
    return str(v)


toml_lines = st.one_of(
    st.builds(lambda k, v: f"{k} = {_toml_value(v)}", st.sampled_from(KEYS),
              st.one_of(st.sampled_from(WORDS), st.integers(-5, 300), st.booleans(),
                        st.lists(st.sampled_from(WORDS), max_size=6))),
    st.builds(lambda k, v: f"{k} = {v}", st.sampled_from(KEYS),
              st.sampled_from(['{name = "A", note = 1970}', "[1, 2", '"""', "1e400", "-0", "inf", "nan",
                               "1979-05-27", '{name = "A", name = "B"}', "[[1]]", "0x10", "'\\'", '"\\u00"'])),
    st.sampled_from(["[overrides]", "[[candidates]]", 'name = "Lê Văn C"', "[overrides.base]", "[title]",
                     'base = "valid"', "tie = 1", "turnout = true", "#", "", "= 1", "\t", "\u00a0=", "\x00"]),
    st.text(alphabet=string.printable + "ạđươỹ\u0301", max_size=30))


@FUZZ
@given(st.lists(toml_lines, max_size=14), st.one_of(st.none(), st.binary(max_size=8)))
def test_load_election_random_text(tmp_path_factory, lines, raw_tail):
    path = tmp_path_factory.getbasetemp() / "fuzz-election.toml"
    data = "\n".join(lines).encode("utf-8") + (raw_tail or b"")
    path.write_bytes(data)
    try:
        e = load_election(path)
    except ElectionError as ex:
        assert str(path) in str(ex)
        return
    assert Election.from_dict(json.loads(json.dumps(e.to_dict()))) == e


# --- the image loader ---------------------------------------------------------------------------------------

def _real_images() -> dict[str, bytes]:
    """A real scan, small, in every format the scanner takes (and a colour and a 16-bit one)."""
    grey = cv2.imread(str(ROOT / "samples" / "demo" / "blank.png"), cv2.IMREAD_GRAYSCALE)
    grey = cv2.resize(grey, (180, 254), interpolation=cv2.INTER_AREA)
    out = {ext: cv2.imencode(ext, grey)[1].tobytes() for ext in (".jpg", ".png", ".tif", ".bmp")}
    out["colour.jpg"] = cv2.imencode(".jpg", cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR))[1].tobytes()
    out["16bit.png"] = cv2.imencode(".png", grey.astype(np.uint16) * 257)[1].tobytes()
    buf = io.BytesIO()
    Image.fromarray(grey).save(buf, "TIFF", compression="tiff_deflate")
    out["deflate.tif"] = buf.getvalue()
    return out


REAL = _real_images()
MAGIC = [b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"BM", b"%PDF-1.4\n", b"GIF89a",
         b"RIFF\x00\x00\x00\x00WEBP"]


def _set_size(data: bytearray, w: int, h: int) -> None:
    """Write another page size into a PNG, BMP or JPEG header (a lie, or a decompression bomb)."""
    if data[:4] == b"\x89PNG":
        data[16:24] = struct.pack(">II", w, h)
    elif data[:2] == b"BM":
        data[18:26] = struct.pack("<ii", w, h)
    elif (sof := data.find(b"\xff\xc0")) > 0:
        data[sof + 5:sof + 9] = struct.pack(">HH", h, w)


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    """A real file with a few bytes changed, cut, inserted or repeated — often in the header, where the
    size and the format are (a size set huge must be refused by the size limit, not decoded)."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 3))):
        n = len(data)
        if n < 32:
            break
        pos = draw(st.one_of(st.integers(0, 128), st.integers(0, n - 1)))
        op = draw(st.sampled_from(["set", "set", "flip", "huge", "cut", "insert", "repeat", "truncate"]))
        if op == "set":
            data[pos] = draw(st.sampled_from([0, 0xFF, 0x7F, 0x80, draw(st.integers(0, 255))]))
        elif op == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "huge":
            _set_size(data, draw(st.integers(64, 60_000)), draw(st.integers(64, 60_000)))
        elif op == "cut":
            del data[pos:pos + draw(st.integers(1, 64))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "repeat":
            data[pos:pos] = data[pos:pos + draw(st.integers(1, 256))]
        else:
            del data[draw(st.integers(n // 2, n - 1)):]
    return bytes(data)


def _decode(data: bytes) -> None:
    try:
        grey = decode_image(data)
    except LoadError as ex:
        assert str(ex)
        event("LoadError: " + str(ex).split("(")[0])
        return
    event("decoded")
    assert grey.dtype == np.uint8 and grey.ndim == 2 and min(grey.shape) >= 64


@FUZZ
@given(
    st.one_of(st.binary(max_size=2048), st.builds(lambda m, b: m + b, st.sampled_from(MAGIC), st.binary(max_size=2048)))
)
def test_decode_image_random_bytes(data):
    _decode(data)


@FUZZ
@given(mutated(list(REAL.values())))
def test_decode_image_mutated_real_files(data):
    _decode(data)


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_images_decode(name):
    assert decode_image(REAL[name]).shape == (254, 180)


def _real_pdf() -> bytes:
    grey = cv2.imread(str(ROOT / "samples" / "demo" / "blank.png"), cv2.IMREAD_GRAYSCALE)
    im = Image.fromarray(cv2.resize(grey, (120, 170), interpolation=cv2.INTER_AREA))
    buf = io.BytesIO()
    im.save(buf, "PDF", save_all=True, append_images=[im], resolution=100.0)
    return buf.getvalue()


REAL_PDF = _real_pdf()


def _pdf_page(path: Path) -> None:
    """What the scanner does with a PDF: list its pages, then render the first and the last."""
    try:
        sizes = pdf_page_sizes(path)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        for page in sorted({1, len(sizes)}):
            grey = page_pixels(PageTask(str(path), page, sha, "pdf", size_pt=sizes[page - 1]))
            assert grey.dtype == np.uint8 and grey.ndim == 2
        event("rendered")
    except LoadError as ex:
        assert str(ex)
        event("LoadError: " + str(ex).split(":")[0][:40])


@settings(FUZZ, max_examples=max(20, EXAMPLES * 2 // 5))
@given(st.one_of(st.binary(max_size=1024), st.builds(lambda b: b"%PDF-1.4\n" + b, st.binary(max_size=1024)),
                 mutated([REAL_PDF])))
def test_pdf_pages_random_and_mutated(tmp_path_factory, data):
    path = tmp_path_factory.getbasetemp() / "fuzz.pdf"
    path.write_bytes(data)
    _pdf_page(path)


def test_real_pdf_renders(tmp_path):
    (tmp_path / "a.pdf").write_bytes(REAL_PDF)
    sizes = pdf_page_sizes(tmp_path / "a.pdf")
    assert len(sizes) == 2
    for page in (1, 2):
        grey = page_pixels(PageTask(str(tmp_path / "a.pdf"), page, "", "pdf", size_pt=sizes[page - 1]))
        assert grey.dtype == np.uint8 and min(grey.shape) >= 64
