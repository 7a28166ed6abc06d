"""Bad input, tried for real: every bad file gets its own message, every good page is counted."""
from __future__ import annotations

import io
import shutil
import sqlite3
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from conftest import export, kp, load_truth
from kiemphieu.scan import batch, load

GOOD = 4     # good single-page scans in the batch


@pytest.fixture()
def fresh(strike_set, tmp_path, monkeypatch):
    """A new count on the strike set's blank and a folder with GOOD good scans (all JPEG)."""
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    count = tmp_path / "c.kp"
    kp("new", count, "--election", strike_set / "election.toml", "--template", strike_set / "blank.png")
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
    real = batch.read_task

    def read_then_delete(reader, task):          # the first page read removes the last file
        names[-1].unlink(missing_ok=True)
        return real(reader, task)
    monkeypatch.setattr(batch, "read_task", read_then_delete)
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


def _rescan(data: bytes, seed: int) -> bytes:
    """The same sheet fed again: another small skew, shift, exposure, noise and JPEG quality."""
    rng = np.random.default_rng(seed)
    g = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    h, w = g.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), float(rng.uniform(-1.5, 1.5)), float(rng.uniform(0.93, 0.97)))
    m[:, 2] += rng.uniform(-15, 15, 2)
    g = cv2.warpAffine(g, m, (w, h), borderValue=245)
    g = np.clip(g.astype(np.float32) * 0.97 + 6 + rng.normal(0, 3, g.shape), 0, 255).astype(np.uint8)
    return cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()


def test_exact_copy_skipped_with_a_note_and_double_feed_flagged(fresh, strike_set):
    count, scans, jpgs = fresh
    kp("scan", count, scans, "--quiet", "--jobs", 1)
    truth = load_truth(strike_set)
    normal = next(p for p in jpgs[GOOD:] if truth[(p.name, 1)].get("case") == "normal")
    again = scans.parent / "again"
    again.mkdir()
    shutil.copy(scans / jpgs[0].name, again / "copy.jpg")
    shutil.copy(normal, again / "original.jpg")
    (again / "fed-twice.jpg").write_bytes(_rescan(normal.read_bytes(), 7))
    res = kp("scan", count, again, "--quiet", "--jobs", 1)
    assert "copy.jpg" in res.output and "exact copy" in res.output
    rows = export(count)
    assert ("copy.jpg", 1) not in rows
    # Whichever of the two scans of the sheet is stored second is the one sent to review.
    first, twin = sorted([rows[("original.jpg", 1)], rows[("fed-twice.jpg", 1)]], key=lambda r: r["ballot"])
    assert first["status"] != "review" or not any("double_feed" in x for x in first["reasons"])
    assert twin["status"] == "review" and f"page:double_feed:{first['ballot']}" in twin["reasons"]
    assert "nearly identical" in res.output


def test_distinct_ballots_are_not_double_feeds(strike_count):
    rows = export(strike_count)
    assert not [r for r in rows.values() if any("double_feed" in x for x in r["reasons"])]


def test_old_count_gets_the_new_columns(strike_count, tmp_path):
    count = tmp_path / "old.kp"
    shutil.copy(strike_count, count)
    con = sqlite3.connect(count)
    con.executescript("DROP INDEX pages_ink; DROP INDEX pages_sha; "
                      "ALTER TABLE pages DROP COLUMN ink_sig; ALTER TABLE pages DROP COLUMN ink_cells;")
    con.close()
    kp("tally", count)
    cols = {r[1] for r in sqlite3.connect(count).execute("PRAGMA table_info(pages)")}
    assert {"ink_cells", "ink_sig"} <= cols


def test_decode_limits_named():
    with pytest.raises(load.LoadError, match="80"):
        load._check_size(10_000, 10_000)
    assert load.reduction(3508) == 2 and load.reduction(2339) == 1 and load.reduction(7016) == 4
