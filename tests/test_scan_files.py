"""What a scanned folder may hold, tried for real: every page of a multi-page TIFF, the formats phones and
Windows PCs write, names that are not UTF-8, and everything that is not a scan — named, never skipped in
silence."""
from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3

import numpy as np
import pytest
from PIL import Image

from kiemphieu.scan import load

from conftest import create_count, export, kp

pillow_heif = pytest.importorskip("pillow_heif")
pillow_heif.register_heif_opener()

BAD_NAME = b"phi\xea\xfa 7.jpg"          # a name written by an old Windows (CP1258), not UTF-8


def _bytes(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


@pytest.fixture(scope="module")
def counted_pages(strike_set, strike_count):
    """(JPEG, its grey pixels as scan decodes them, its row in a count of the set) of the set's ballots
    that the reader counted as valid, in name order."""
    rows = export(strike_count)
    out = []
    for p in sorted((strike_set / "scans").glob("*.jpg")):
        row = rows.get((p.name, 1))
        if row and row["status"] == "valid":
            out.append((p, load.decode_image(p.read_bytes()), row))
    assert len(out) >= 8
    return out


def test_every_page_of_a_multipage_tiff_decodes_exactly(counted_pages):
    greys = [g for _, g, _ in counted_pages[:3]]
    ims = [Image.fromarray(g) for g in greys]
    for kw in ({"compression": "tiff_lzw"}, {"compression": "tiff_deflate"}):
        data = _bytes(ims[0], "TIFF", save_all=True, append_images=ims[1:], **kw)
        assert load.image_frames(data) == 3
        for page, g in enumerate(greys, 1):
            assert np.array_equal(load.decode_image(data, page=page), g), (kw, page)
        with pytest.raises(load.LoadError, match="page 4|trang 4"):
            load.decode_image(data, page=4)
    # Office scanners write black-and-white pages as CCITT G4
    bw = [Image.fromarray(np.where(g > 160, 255, 0).astype(np.uint8)).convert("1") for g in greys]
    data = _bytes(bw[0], "TIFF", save_all=True, append_images=bw[1:], compression="group4")
    assert [load.decode_image(data, page=p).max() for p in (1, 2, 3)] == [255] * 3


def test_other_formats_decode_to_the_same_pixels(counted_pages):
    g = counted_pages[0][1]
    im = Image.fromarray(g)
    for fmt, kw in (("WEBP", {"lossless": True}), ("GIF", {}), ("HEIF", {"quality": -1}), ("PNG", {}), ("BMP", {})):
        assert np.array_equal(load.decode_image(_bytes(im, fmt, **kw)), g), fmt
    assert load.image_frames(_bytes(im, "JPEG")) == 1


def test_phone_photos_are_turned_upright_by_their_exif_orientation():
    """A phone stores a photo as the sensor saw it, with the turn to apply in EXIF: every decoder applies it."""
    g = np.full((300, 200), 255, np.uint8)
    g[:20, :60] = 0                                       # a bar at the top left of the upright page
    turned = Image.fromarray(g).rotate(90, expand=True)    # as stored: needs a turn clockwise (orientation 6)
    exif = Image.Exif()
    exif[0x0112] = 6
    for fmt, kw in (("JPEG", {"quality": 95}), ("HEIF", {"quality": -1}), ("WEBP", {"lossless": True}),
                    ("PNG", {}), ("TIFF", {})):
        out = load.decode_image(_bytes(turned, fmt, exif=exif.tobytes(), **kw))
        assert out.shape == g.shape, fmt
        assert np.abs(out.astype(int) - g).mean() < 2, fmt
    # A later page of a TIFF (decoded by Pillow) is turned the same way as the first (by OpenCV).
    data = _bytes(turned, "TIFF", exif=exif.tobytes(), save_all=True, append_images=[turned])
    assert load.decode_image(data, page=2).shape == g.shape


def test_sniff():
    assert load.sniff(b"\xff\xd8\xff\xe0") == "jpeg"
    assert load.sniff(b"II*\x00") == load.sniff(b"MM\x00*") == "tiff"
    assert load.sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert load.sniff(b"\x00\x00\x00\x1cftypheic\x00\x00\x00\x00mif1heic") == "heif"
    assert load.sniff(b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avif") == "avif"
    assert load.sniff(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00isommp42") is None        # a video
    assert load.sniff(b"BM is how my notes start" + bytes(10)) is None
    assert load.sniff(b"Bi\xc3\xaan b\xe1\xba\xa3n ki\xe1\xbb\x83m phi\xe1\xba\xbfu") is None
    assert load.sniff(b"\x00" * 20 + b"%PDF-1.7") == "pdf"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_scanned_folder_holding_everything(strike_set, counted_pages, tmp_path, monkeypatch):
    """Every page that can be read is counted, with the verdict its JPEG gets; everything else is named."""
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    count = create_count(strike_set, tmp_path / "c.kp")
    scans = tmp_path / "scans"
    (scans / "Tổ 2").mkdir(parents=True)
    pages = counted_pages
    tiff = [Image.fromarray(g) for _, g, _ in pages[:3]]
    tiff[0].save(scans / "office.tif", save_all=True, append_images=tiff[1:], compression="tiff_lzw")
    Image.fromarray(pages[3][1]).save(scans / "phone.webp", lossless=True)
    Image.fromarray(pages[4][1]).save(scans / "old.gif")
    Image.fromarray(pages[5][1]).save(scans / "Tổ 2" / "IMG_0042.HEIC", quality=-1)
    shutil.copy(pages[6][0], scans / "windows.jfif")
    shutil.copy(pages[7][0], os.fsencode(scans) + b"/" + BAD_NAME)
    expected = {("office.tif", 1): pages[0], ("office.tif", 2): pages[1], ("office.tif", 3): pages[2],
                ("phone.webp", 1): pages[3], ("old.gif", 1): pages[4], ("IMG_0042.HEIC", 1): pages[5],
                ("windows.jfif", 1): pages[6], ("phi\\xea\\xfa 7.jpg", 1): pages[7]}
    # what is not a scan
    (scans / "gone.jpg").symlink_to(scans / "nowhere.jpg")
    os.mkfifo(scans / "x.jpg")
    (scans / "ghi chú.txt").write_text("Tổ 2: 12 phiếu", encoding="utf-8")
    (scans / "._office.tif").write_bytes(load.APPLEDOUBLE + bytes(60))         # a Mac's metadata
    shutil.copy(pages[8][0] if len(pages) > 8 else pages[0][0], scans / "scan.jpg.bak")
    (scans / "Tổ 3").symlink_to(scans / "Tổ 2")                                # a second way to the same files

    res = kp("scan", count, scans, "--quiet", "--jobs", 1, ok=False)
    out = res.output
    assert res.exit_code == 1 and "Traceback" not in out, out
    lines = out.splitlines()
    for name, why in (("gone.jpg", "a link to a file that does not exist"), ("x.jpg", "not a regular file"),
                      ("scan.jpg.bak", "the content is a JPEG file but the name ends in '.bak'")):
        assert any(name in x and why in x for x in lines), (name, why, out)
    assert any("Not read: 2 files" in x and "ghi chú.txt" in x and "._office.tif" in x for x in lines), out
    assert "3 files failed" in out

    rows = export(count)
    assert set(rows) == set(expected), sorted(rows)
    for key, (_, _, want) in expected.items():
        assert (rows[key]["status"], rows[key]["votes"]) == (want["status"], want["votes"]), key
    # the name that is not UTF-8: shown escaped (above), stored so that its file is found again
    res = kp("verify", count, "--quiet")
    assert "8 match" in res.output, res.output
    json.dumps(rows[("phi\\xea\\xfa 7.jpg", 1)], ensure_ascii=True)
    raw = sqlite3.connect(count).execute("SELECT source_raw FROM pages WHERE source LIKE '%phi%'").fetchone()[0]
    assert raw.endswith(BAD_NAME)

    # Scanning again counts nothing twice and names the same files.
    res = kp("scan", count, scans, "--quiet", "--jobs", 2, ok=False)
    assert res.exit_code == 1 and "0 new pages" in res.output and "8 pages already counted" in res.output
    assert export(count).keys() == rows.keys()


def test_a_folder_that_cannot_be_listed_is_named(fresh_count, tmp_path, monkeypatch):
    """Tests run as root, who lists every folder: the refusal is simulated where the folder is listed."""
    count, scans = fresh_count
    (scans / "locked").mkdir()
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)
    res = kp("scan", count, scans, "--quiet", "--jobs", 1, ok=False)
    assert res.exit_code == 1 and any("locked" in x and "cannot open the folder" in x for x in res.output.splitlines())
    assert len(export(count)) == 2


@pytest.fixture()
def fresh_count(strike_set, counted_pages, tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    count = create_count(strike_set, tmp_path / "c.kp")
    scans = tmp_path / "scans"
    scans.mkdir()
    for p, _, _ in counted_pages[:2]:
        shutil.copy(p, scans / p.name)
    return count, scans


def test_a_file_name_that_is_not_utf8_can_be_inspected_and_reviewed(fresh_count, monkeypatch, tmp_path):
    count, scans = fresh_count
    good = sorted(scans.iterdir())[0]
    os.rename(good, os.fsencode(scans) + b"/" + BAD_NAME)
    kp("scan", count, scans, "--quiet", "--jobs", 1)
    row = next(r for r in export(count).values() if "phi" in r["source"])
    png = tmp_path / "b.png"
    kp("inspect", count, row["ballot"], "-o", png)
    assert png.stat().st_size > 0
    res = kp("export", count, "--format", "csv")
    assert "phi\\xea\\xfa 7.jpg" in res.output
