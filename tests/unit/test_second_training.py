"""Reader B's training draws: yes/no crosses drawn up to their cell's rule (ballotgen.fill), and strike pages
creased through a name (training/make_data.py)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from ballotgen import fill

ROOT = Path(__file__).resolve().parents[2]


def _make_data():
    spec = importlib.util.spec_from_file_location("make_data", ROOT / "training" / "make_data.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("where", ["left", "right", "up", "down"])
@pytest.mark.parametrize("seed", range(10))
def test_an_edge_cross_reaches_its_rule_with_its_middle_inside_the_cell(seed, where, monkeypatch):
    monkeypatch.setattr(fill, "EDGE_SIDES", {where: 1.0})
    cell = (100.0, 200.0, 180.0, 240.0)          # 80 × 40: shorter side 40
    side, s = 40.0, 12.0                         # the cross's half size
    lo, hi = fill.EDGE_REACH_SHARE
    cx, cy = fill._towards_rule(cell, s, np.random.default_rng(seed))
    # the middle stays in the cell, at least a quarter of the shorter side from every rule
    assert 110.0 - 1e-9 <= cx <= 170.0 + 1e-9 and 210.0 - 1e-9 <= cy <= 230.0 + 1e-9
    # its end lies between lo and hi of the side past that rule (short of it when negative)
    reach = {"left": 100.0 - (cx - s), "right": (cx + s) - 180.0, "up": 200.0 - (cy - s),
             "down": (cy + s) - 240.0}[where]
    assert lo * side - 1e-9 <= reach <= hi * side + 1e-9


def test_edge_crosses_go_towards_every_rule():
    cell = (100.0, 200.0, 180.0, 240.0)
    rng = np.random.default_rng(1)
    sides = set()
    for _ in range(200):
        cx, cy = fill._towards_rule(cell, 12.0, rng)
        if cx < 125:
            sides.add("left")
        if cx > 155:
            sides.add("right")
        if cy < 216:
            sides.add("up")
        if cy > 224:
            sides.add("down")
    assert sides == {"left", "right", "up", "down"}


class _Blank:
    def __init__(self, rows, height):
        self.geometry = {"rows": rows}
        self.rgb = np.zeros((height, 10, 3), np.uint8)


def test_a_strike_page_gets_a_crease_through_a_name_and_other_kinds_do_not():
    md = _make_data()
    rows = [{"mid_y": 400.0, "x_height": 20.0}, {"mid_y": 500.0, "x_height": 20.0}]
    blank = _Blank(rows, 1000)
    hits = 0
    for seed in range(40):
        folds = md._crease_through_name(blank, "strike", np.random.default_rng(seed))
        if folds:
            hits += 1
            ((axis, frac),) = folds
            y = frac * 1000
            assert axis == "h" and min(abs(y - 400), abs(y - 500)) < 5 * md.CREASE_OFF_MIDDLE_XH * 20
        assert md._crease_through_name(blank, "mark", np.random.default_rng(seed)) == []
    assert 0 < hits < 40


def test_a_page_s_extra_folds_are_creased_and_its_edge_voters_drawn():
    """render_page takes the training's extra creases and edge voters from the page's conditions: the
    generator's own draws, no module state changed."""
    import ballotgen
    from ballotgen.cases import P_EDGE_VOTER, plan_ballot
    from ballotgen.conditions import draw_blank, draw_page
    from ballotgen.page import make_blank

    bc = draw_blank(np.random.default_rng([5, 77]), "approve")
    blank = make_blank(bc, 5)
    cond = draw_page(np.random.default_rng([5, 5000]), bc, "scanner", "yes-no")
    cond["fold"] = "none"
    _, plain = ballotgen.render_page(blank, dict(cond))
    _, creased = ballotgen.render_page(blank, {**cond, "extra_folds": [("h", 0.5)]})
    assert "fold" not in plain and creased["fold"] is True
    plan = [plan_ballot(blank.election, blank.geometry, "yes-no", np.random.default_rng(1), edge_voter=p)[0]
            for p in (P_EDGE_VOTER, 1.0)]
    assert [s["approve_place"] for s in plan] == ["middle", "edge"]


def test_light_hands_are_pencils_and_half_dry_pens_on_strike_pages_only():
    md = _make_data()
    seen = []
    for i in range(400):
        cond = {"pen": "blue", "pressure": "heavy", "pen_width": 0.9}
        md._light_hand(cond, "strike", np.random.default_rng([1, i]))
        seen.append(cond)
    changed = [c for c in seen if c["pen"] != "blue"]
    assert abs(len(changed) / len(seen) - md.TRAIN_LIGHT_HAND) < 0.07
    assert {c["pen"] for c in changed} <= set(md.LIGHT_PENS)
    # lightly, but a half-dry pen at normal pressure (as the stress matrix has it: lighter is a faint mark)
    assert all(c["pressure"] == ("normal" if c["pen"] == "faintblue" else "light") for c in changed)
    assert all(c["pen_width"] >= 1.2 for c in changed if c["pen"] == "faintblue")
    for kind in ("mark", "approve"):
        cond = {"pen": "blue", "pressure": "heavy", "pen_width": 0.9}
        for i in range(50):
            md._light_hand(cond, kind, np.random.default_rng([1, i]))
        assert cond == {"pen": "blue", "pressure": "heavy", "pen_width": 0.9}


def test_a_network_read_back_from_its_onnx_gives_the_same_outputs():
    torch = pytest.importorskip("torch")
    pytest.importorskip("onnx")
    import cv2
    spec = importlib.util.spec_from_file_location("train_reader_b", ROOT / "training" / "train_reader_b.py")
    tr = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tr)
    x = np.random.default_rng(0).random((5, 2, 32, 128)).astype(np.float32)
    path = ROOT / "kiemphieu" / "detect" / "second" / "models" / "names.onnx"
    net = tr.from_onnx(path).eval()
    with torch.no_grad():
        ours = net(torch.from_numpy(x)).numpy()
    dnn = cv2.dnn.readNetFromONNX(str(path))
    dnn.setInput(x)
    assert np.abs(ours - dnn.forward()).max() < 1e-4
