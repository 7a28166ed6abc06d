"""Phone photos and odd captures through the CLI (issue 16; issue 14 item 5): a photographed ballot is read
or sent to review with the reason, never rejected as "not a ballot"; a blurred photo goes to review; a
photo of an empty table is rejected as showing no sheet; HEIC reads like JPEG; a 1-bit scan set too light
goes to review saying so; two small ballots on one scanned page go to review saying so."""
from __future__ import annotations

import io
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

import ballotgen
from ballotgen.conditions import draw_blank, draw_page
from ballotgen.page import encode_page, make_blank, render_page
from ballotgen.phone import _table

from conftest import counted, export, load_truth

SEED = 1604
SMALL_FRAME = [1800, 2400]     # photos sent on by a messaging app: smaller, quicker to make


def _conditions(i: int, blank_conditions: dict) -> dict:
    """Page ``i``'s conditions as ``write_count`` drew them."""
    return draw_page(np.random.default_rng([SEED, 5000 + i]), blank_conditions, "phone")


@pytest.fixture(scope="module")
def phone_set(tmp_path_factory) -> Path:
    """A strike count photographed with a phone, plus: page 0 again too blurred to read, an empty table,
    page 1 as HEIC, and two copies of the blank side by side on one scanned page."""
    d = tmp_path_factory.mktemp("phone")
    ballotgen.write_count(d, SEED, n=1, capture="phone", kind="strike")
    bc = draw_blank(np.random.default_rng([SEED, 77]), "strike")
    blank = make_blank(bc, SEED)
    truths = [json.loads(x) for x in (d / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    for i, name in ((1, "page_0001.jpg"), (0, "blurred.jpg")):
        cond = _conditions(i, bc)
        cond["phone"]["frame"] = SMALL_FRAME
        if name == "blurred.jpg":
            cond["phone"].update(blur="unreadable", blur_mm=1.0)
        image, truth = render_page(blank, cond)
        (d / "scans" / name).write_bytes(encode_page(image, truth)[0])
        if name != "blurred.jpg":
            truths.append({**truth, "source": "scans/" + name, "page": 1})
    (d / "truth.jsonl").write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in truths), encoding="utf-8")
    table = cv2.cvtColor(np.clip(_table(np.random.default_rng(3), "wood", 1500, 2000), 0, 255).astype(np.uint8),
                         cv2.COLOR_RGB2GRAY)
    cv2.imwrite(str(d / "scans" / "table.jpg"), table)
    rgb = np.asarray(Image.open(d / "scans" / "page_0001.jpg").convert("RGB"))
    buf = io.BytesIO()
    import pillow_heif
    pillow_heif.register_heif_opener()
    Image.fromarray(rgb).save(buf, "HEIF", quality=90, enc_params={"preset": "ultrafast"})   # x265's default: 30 s
    (d / "scans" / "page_0001.heic").write_bytes(buf.getvalue())
    light = draw_page(np.random.default_rng([SEED, 5000]), bc, "bilevel")
    light["bilevel"].update(method="threshold", threshold=90, dpi=200, format="tif")
    image, truth = render_page(blank, light)
    (d / "scans" / "light.tif").write_bytes(encode_page(image, truth)[0])
    one = cv2.imread(str(d / "blank.png"), cv2.IMREAD_GRAYSCALE)
    one = cv2.resize(one, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)
    h, w = one.shape
    two = np.full((int(h * 1.05), int(w * 2.1)), 245, np.uint8)
    two[h // 40:h // 40 + h, w // 40:w // 40 + w] = one
    two[h // 40:h // 40 + h, w + w // 20:2 * w + w // 20] = one
    cv2.imwrite(str(d / "scans" / "two.png"), two)
    return d


@pytest.fixture(scope="module")
def results(phone_set, tmp_path_factory) -> dict:
    return export(counted(phone_set, tmp_path_factory.mktemp("phone-count")))


def test_photographed_ballots_are_read_never_rejected(phone_set, results):
    truth = load_truth(phone_set)
    assert len(truth) == 2
    for key, t in truth.items():
        r = results[key]
        if t["kind"] != "ballot":
            assert r["status"] in ("rejected", "review")
            continue
        assert r["status"] != "rejected", (key, r["reasons"])
        if t["expect"] == "count" and r["status"] != "review":
            assert r["status"] == ("valid" if t["valid"] else "invalid"), (key, r)
            if t["valid"]:
                assert set(r["votes"]) == set(t["votes"])


def test_a_blurred_photo_goes_to_review_with_the_reason(results):
    r = results[("blurred.jpg", 1)]
    assert r["status"] == "review"
    assert {"code": "photo_blurred"} in r["reasons"]


def test_a_photo_of_an_empty_table_shows_no_sheet(results):
    r = results[("table.jpg", 1)]
    assert r["status"] == "rejected" and r["reasons"] == [{"code": "not_ballot", "why": "no_sheet"}]


def test_heic_reads_as_its_jpeg(results):
    jpg, heic = results[("page_0001.jpg", 1)], results[("page_0001.heic", 1)]
    assert jpg["names"] == heic["names"] and heic["status"] == "valid", heic["reasons"]
    # the same photo twice: the second read (files in name order: .heic first) is held as a double feed
    assert jpg["status"] == "review" and jpg["reasons"] == [{"code": "double_feed", "ballot": heic["ballot"]}]


def test_a_one_bit_scan_set_too_light_goes_to_review_saying_so(results):
    r = results[("light.tif", 1)]
    assert r["status"] == "review"
    assert {"code": "light_scan"} in r["reasons"]


def test_two_ballots_on_one_scanned_page_go_to_review_saying_so(results):
    r = results[("two.png", 1)]
    assert r["status"] == "review"
    assert {"code": "two_ballots"} in r["reasons"]
