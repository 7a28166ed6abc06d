"""Bad input, tried for real: every bad file gets its own message, every good page is counted."""
from __future__ import annotations

import concurrent.futures as cf
import io
import os
import re
import shutil
import sqlite3
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

import ballotgen
from kiemphieu import texts
from kiemphieu.scan import load, runner

from conftest import counted, create_count, export, kp, load_truth

GOOD = 4     # good single-page scans in the batch


@pytest.fixture()
def fresh(strike_set, tmp_path, monkeypatch):
    """A new count on the strike set's blank and a folder with GOOD good scans (all JPEG)."""
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    count = tmp_path / "c.kp"
    create_count(strike_set, count)
    scans = tmp_path / "scans"
    scans.mkdir()
    jpgs = sorted((strike_set / "scans").glob("*.jpg"))
    for p in jpgs[:GOOD]:
        shutil.copy(p, scans / p.name)
    return count, scans, jpgs


def _png_bomb(path: Path, side_px: int) -> None:
    """A real decompression bomb: a grey PNG of side_px² zero pixels, a few hundred kB on disk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    z = zlib.compressobj(9)
    row = b"\0" * (side_px + 1)
    idat = b"".join(z.compress(row) for _ in range(side_px)) + z.flush()
    ihdr = side_px.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def _pdf_with_broken_page(pages: list[Path], out: Path, broken: int) -> None:
    """A PDF of JPEG pages whose page ``broken`` (1-based) has the middle of its image overwritten."""
    ims = [Image.open(p) for p in pages]
    buf = io.BytesIO()
    ims[0].save(buf, "PDF", save_all=True, append_images=ims[1:], resolution=200.0)
    pdf = bytearray(buf.getvalue())
    starts = [i for i in range(len(pdf) - 3) if pdf[i:i + 3] == b"\xff\xd8\xff"]
    s = starts[broken - 1]
    e = pdf.index(b"endstream", s)
    a, b = s + (e - s) // 5, s + 4 * (e - s) // 5
    pdf[a:b] = bytes(b - a)
    out.write_bytes(bytes(pdf))


def test_every_bad_file_named_every_good_page_counted(fresh, tmp_path):
    count, scans, jpgs = fresh
    good = jpgs[0].read_bytes()
    (scans / "zero.jpg").write_bytes(b"")
    (scans / "cut.jpg").write_bytes(good[: len(good) * 2 // 3])
    grey = cv2.imdecode(np.frombuffer(good, np.uint8), cv2.IMREAD_GRAYSCALE)
    png = cv2.imencode(".png", grey)[1].tobytes()
    (scans / "cut.png").write_bytes(png[: len(png) // 2])
    tif = cv2.imencode(".tif", grey)[1].tobytes()
    (scans / "cut.tif").write_bytes(tif[: len(tif) // 2])
    (scans / "notes.jpg").write_text("Biên bản kiểm phiếu — not an image", encoding="utf-8")
    _png_bomb(scans / "bomb.png", 12_000)                                   # 144 MP
    cv2.imwrite(str(scans / "huge.jpg"), np.full((10_000, 10_000), 255, np.uint8))   # 100 MP
    _pdf_with_broken_page(jpgs[GOOD:GOOD + 3], scans / "batch.pdf", broken=2)
    from pypdf import PdfReader, PdfWriter
    w = PdfWriter(clone_from=PdfReader(scans / "batch.pdf"))
    w.encrypt(user_password="bí mật", owner_password="x")
    w.write(scans / "locked.pdf")
    (scans / "Tổ 3").mkdir()
    shutil.copy(jpgs[GOOD + 3], scans / "Tổ 3" / "Phiếu số 7 (bản quét).jpg")

    res = kp("scan", count, scans, "--quiet", "--jobs", 2, ok=False)
    out = res.output
    assert res.exit_code == 1, out
    assert "Traceback" not in out
    expect = {"zero.jpg": "empty", "cut.jpg": "truncated", "cut.png": "truncated", "cut.tif": "damaged",
              "notes.jpg": "not an image", "bomb.png": "limit 80", "huge.jpg": "limit 80",
              "locked.pdf": "password", "batch.pdf page 2": "damaged"}
    lines = out.splitlines()
    for name, why in expect.items():
        assert any(name in x and why in x for x in lines), (name, why, out)
    rows = export(count)
    assert {k for k in rows} == {(p.name, 1) for p in jpgs[:GOOD]} | {("batch.pdf", 1), ("batch.pdf", 3),
                                                                       ("Phiếu số 7 (bản quét).jpg", 1)}
    failed = {Path(f[0]).name for f in sqlite3.connect(count).execute("SELECT source FROM failures")}
    assert {"zero.jpg", "cut.jpg", "notes.jpg", "bomb.png", "locked.pdf", "batch.pdf"} <= failed

    # The good files are done; the bad ones fail again with the same messages and nothing is counted twice.
    res = kp("scan", count, scans, "--quiet", ok=False)
    assert res.exit_code == 1 and "0 new pages" in res.output
    assert export(count).keys() == rows.keys()


def test_a_file_that_vanishes_mid_batch(fresh, monkeypatch):
    count, scans, _ = fresh
    names = sorted(scans.iterdir())
    real = runner.read_task

    def read_then_delete(reader, task):          # the first page read removes the last file
        names[-1].unlink(missing_ok=True)
        return real(reader, task)
    monkeypatch.setattr(runner, "read_task", read_then_delete)
    res = kp("scan", count, scans, "--quiet", "--jobs", 1, ok=False)
    assert res.exit_code == 1 and names[-1].name in res.output and "does not exist" in res.output
    assert len(export(count)) == GOOD - 1


def test_unreadable_permissions(fresh, monkeypatch):
    """Tests run as root, who reads every file: the refusal is simulated where the file is read."""
    count, scans, _ = fresh
    locked = sorted(scans.iterdir())[1]
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == locked.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    res = kp("scan", count, scans, "--quiet", "--jobs", 1, ok=False)
    assert res.exit_code == 1 and locked.name in res.output and "no permission" in res.output
    assert len(export(count)) == GOOD - 1


def test_exact_copy_skipped_with_a_note_and_double_feed_flagged(fresh, strike_set):
    count, scans, jpgs = fresh
    kp("scan", count, scans, "--quiet", "--jobs", 1)
    truth = load_truth(strike_set)
    normal = next(p for p in jpgs[GOOD:] if truth[(p.name, 1)].get("case") == "normal")
    again = scans.parent / "again"
    again.mkdir()
    shutil.copy(scans / jpgs[0].name, again / "copy.jpg")
    shutil.copy(normal, again / "original.jpg")
    (again / "fed-twice.jpg").write_bytes(ballotgen.refeed(normal.read_bytes(), 7))
    res = kp("scan", count, again, "--quiet", "--jobs", 1)
    assert "copy.jpg" in res.output and "exact copy" in res.output
    rows = export(count)
    assert ("copy.jpg", 1) not in rows
    # Whichever of the two scans of the sheet is stored second is the one sent to review.
    first, twin = sorted([rows[("original.jpg", 1)], rows[("fed-twice.jpg", 1)]], key=lambda r: r["ballot"])
    assert not [x for x in first["reasons"] if x["code"] == "double_feed"]
    assert twin["status"] == "review" and {"code": "double_feed", "ballot": first["ballot"]} in twin["reasons"]
    assert "nearly identical" in res.output


def test_distinct_ballots_are_not_double_feeds(strike_count):
    rows = export(strike_count)
    assert not [r for r in rows.values() if any(x["code"] == "double_feed" for x in r["reasons"])]


@pytest.mark.parametrize("kind,case", [("mark", "normal"), ("approve", "yes-no")])
def test_box_ballots_fed_twice_are_flagged(kind, case, tmp_path, monkeypatch):
    """Mark and yes/no ballots have no strokes: a re-fed sheet is known by where the pen lies in its boxes."""
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    d = tmp_path / "set"
    ballotgen.generate_set(d, kind=kind, layout="table", n=8, seed=818, cases=[case])
    count = counted(d, tmp_path)
    first = export(count)
    # ballots read (counted, or in review because reader B read a cell otherwise): each a sheet that was fed
    read = [name for (name, _), r in first.items() if r["status"] in ("valid", "review")]
    assert len(read) >= 4
    assert not [r for r in first.values() if any(x["code"] == "double_feed" for x in r["reasons"])]
    again = tmp_path / "again"
    again.mkdir()
    for i, name in enumerate(read[:4]):
        (again / f"refed-{name}").write_bytes(ballotgen.refeed((d / "scans" / name).read_bytes(), 30 + i))
    res = kp("scan", count, again, "--quiet", "--jobs", 1)
    rows = export(count)
    twins = [(rows[(f"refed-{name}", 1)], first[(name, 1)]["ballot"]) for name in read[:4]]
    # Nothing is counted twice; most re-feeds are named as such (a re-scan read differently from the
    # first scan, e.g. with print now missing, goes to review for its own reasons).
    assert all(t["status"] == "review" for t, _ in twins)
    named = [t for t, bid in twins if {"code": "double_feed", "ballot": bid} in t["reasons"]]
    assert len(named) >= 3 and res.output.count("nearly identical") == len(named)


def test_decode_limits_named():
    with pytest.raises(load.LoadError, match="80"):
        load._check_size(10_000, 10_000)


# --- JPEGs damaged inside: they still decode (libjpeg fills in grey), but must not be counted ---------

DAMAGE_BYTES = 1000      # bytes overwritten in the middle of a scan


def _overwrite_middle(data: bytes, junk: bytes) -> bytes:
    """``data`` with ``junk`` written over its middle (a bad sector, a broken copy or transfer)."""
    mid = len(data) // 2
    return data[:mid] + junk + data[mid + len(junk):]


def _garbage(n: int) -> bytes:
    """Random bytes holding a 0xFF pair that cannot occur in JPEG data (as most random runs do)."""
    junk = np.random.default_rng(3).integers(0, 256, n, dtype=np.uint8).tobytes()
    assert re.search(rb"\xff[^\x00\xd0-\xd7\xff]", junk)
    return junk


def test_jpeg_damaged_inside_fails_and_the_rest_is_counted(fresh):
    """Garbage over the middle (broken markers) and zeros over it (only libjpeg notices): both refused."""
    count, scans, jpgs = fresh
    (scans / "garbage.jpg").write_bytes(_overwrite_middle(jpgs[GOOD].read_bytes(), _garbage(DAMAGE_BYTES)))
    (scans / "zeroed.jpg").write_bytes(_overwrite_middle(jpgs[GOOD + 1].read_bytes(), bytes(DAMAGE_BYTES)))
    res = kp("scan", count, scans, "--quiet", "--jobs", 2, ok=False)
    out = res.output
    assert res.exit_code == 1 and "Traceback" not in out, out
    for name in ("garbage.jpg", "zeroed.jpg"):
        assert any(name in x and "JPEG file is damaged" in x and "scan the page again" in x
                   for x in out.splitlines()), (name, out)
    assert export(count).keys() == {(p.name, 1) for p in jpgs[:GOOD]}
    failed = {Path(f[0]).name for f in sqlite3.connect(count).execute("SELECT source FROM failures")}
    assert {"garbage.jpg", "zeroed.jpg"} <= failed
    assert "Corrupt JPEG data" not in out      # libjpeg's own warning is not shown, ours is


@pytest.fixture(scope="module")
def page(strike_set) -> np.ndarray:
    """A real scanned ballot, grey, at half size (odd sides: the last MCUs are partial)."""
    g = cv2.imread(str(sorted((strike_set / "scans").glob("*.jpg"))[0]), cv2.IMREAD_GRAYSCALE)
    g = cv2.resize(g, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    return g[: g.shape[0] // 2 * 2 - 1, : g.shape[1] // 2 * 2 - 3]


def _good_jpegs(grey: np.ndarray) -> dict[str, bytes]:
    """The page written by OpenCV and Pillow with every option a scanner or a tool might use."""
    colour = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    colour[..., 2] = cv2.add(colour[..., 2], 30)
    out = {}
    for q in (20, 75, 100):
        out[f"cv q{q}"] = cv2.imencode(".jpg", grey, [cv2.IMWRITE_JPEG_QUALITY, q])[1].tobytes()
    for prog, opt, rst in ((1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 7), (1, 1, 7), (1, 0, 1000)):
        params = [cv2.IMWRITE_JPEG_PROGRESSIVE, prog, cv2.IMWRITE_JPEG_OPTIMIZE, opt,
                  cv2.IMWRITE_JPEG_RST_INTERVAL, rst]
        out[f"cv p{prog} o{opt} rst{rst}"] = cv2.imencode(".jpg", grey, params)[1].tobytes()
    for sf in ("411", "420", "422", "440", "444"):
        params = [cv2.IMWRITE_JPEG_SAMPLING_FACTOR, getattr(cv2, f"IMWRITE_JPEG_SAMPLING_FACTOR_{sf}"),
                  cv2.IMWRITE_JPEG_RST_INTERVAL, 5, cv2.IMWRITE_JPEG_PROGRESSIVE, int(sf == "420")]
        out[f"cv colour {sf} rst5"] = cv2.imencode(".jpg", colour, params)[1].tobytes()
    rgb = Image.fromarray(cv2.cvtColor(colour, cv2.COLOR_BGR2RGB))
    for name, im, kw in (("pil q30", Image.fromarray(grey), {"quality": 30}),
                         ("pil progressive optimize", Image.fromarray(grey), {"progressive": True, "optimize": True}),
                         ("pil colour 4:4:4", rgb, {"subsampling": 0, "quality": 95}),
                         ("pil colour 4:2:0 progressive", rgb, {"subsampling": 2, "progressive": True}),
                         ("pil CMYK", rgb.convert("CMYK"), {}),
                         ("pil dpi comment", rgb, {"dpi": (300, 300), "comment": b"scan"})):
        buf = io.BytesIO()
        im.save(buf, "JPEG", **kw)
        out[name] = buf.getvalue()
    plain = out["pil q30"]
    thumb = io.BytesIO()
    Image.fromarray(grey).resize((160, 120)).save(thumb, "JPEG")            # a whole JPEG inside APP1
    app1 = b"\xff\xe1" + (8 + len(thumb.getvalue())).to_bytes(2, "big") + b"Exif\0\0" + thumb.getvalue()
    out["exif thumbnail"] = plain[:2] + app1 + plain[2:]
    out["padding after EOI"] = plain + bytes(5000)
    out["fill bytes before EOI"] = plain[:-2] + b"\xff\xff\xff\xd9"
    return out


def test_jpeg_check_passes_good_files_of_every_encoder(page):
    for name, data in _good_jpegs(page).items():
        assert load.jpeg_fault(data) is None, name
        assert load.decode_image(data).shape == page.shape, name


def _rst_offsets(data: bytes) -> list[int]:
    return [m.start() for m in re.finditer(rb"\xff[\xd0-\xd7]", data)]


def test_jpeg_damage_found(page):
    data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()
    damaged = re.escape(texts.t("jpeg_damaged"))
    assert load.jpeg_fault(data[: len(data) * 2 // 3]) == "file_truncated"
    assert load.jpeg_fault(_overwrite_middle(data, _garbage(DAMAGE_BYTES))) == "jpeg_damaged"
    # Zeros keep the markers whole: only libjpeg notices, while decoding.
    zeroed = _overwrite_middle(data, bytes(DAMAGE_BYTES))
    assert load.jpeg_fault(zeroed) is None
    with pytest.raises(load.LoadError, match=damaged):
        load.decode_image(zeroed)
    # With restart markers: one out of turn, or one lost under zeros, is caught before decoding.
    rst = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_RST_INTERVAL, 4])[1].tobytes()
    at = _rst_offsets(rst)[len(_rst_offsets(rst)) // 2]
    swapped = bytearray(rst)
    swapped[at + 1] = 0xD0 + (rst[at + 1] - 0xD0 + 1) % 8
    assert load.jpeg_fault(bytes(swapped)) == "jpeg_damaged"
    assert load.jpeg_fault(rst[:at - 40] + bytes(80) + rst[at + 40:]) == "jpeg_damaged"


def test_libjpeg_warning_is_credited_to_its_own_page_across_threads(page):
    """fd 2 is the process's: concurrent decodes must not take each other's warnings."""
    good = cv2.imencode(".jpg", page)[1].tobytes()
    zeroed = _overwrite_middle(good, bytes(DAMAGE_BYTES))

    def refused(data: bytes) -> bool:
        try:
            load.decode_image(data)
        except load.LoadError:
            return True
        return False
    work = [good, zeroed] * 12
    with cf.ThreadPoolExecutor(4) as pool:
        assert list(pool.map(refused, work)) == [d is zeroed for d in work]


def test_other_stderr_output_during_a_decode_is_passed_on(monkeypatch, capfd):
    def noisy_decode(data, flag):
        os.write(2, b"a log line from another thread\nCorrupt JPEG data: bad Huffman code\n")
        return np.zeros((100, 100), np.uint8)
    monkeypatch.setattr(load, "_imdecode", noisy_decode)
    grey, corrupt = load._imdecode_jpeg(b"\xff\xd8", cv2.IMREAD_GRAYSCALE)
    assert corrupt and grey is not None
    err = capfd.readouterr().err
    assert "a log line from another thread" in err and "Corrupt JPEG" not in err
