"""The areas each judgement looks at (TH = 20)."""
from dataclasses import replace

from kiemphieu.detect.zones import box_core, box_ring, contains, name_zone, strike_zone, through_band, x_height
from kiemphieu.records import Box

from synthetic import TH, slot


def test_name_and_strike_zones():
    s = slot(0, y0=20, x0=20, width=100)                # x-line 25, baseline 35: x-height 10
    assert x_height(s) == 10
    assert name_zone(s, TH) == Box(15, 15, 125, 45)     # 0.25 th around the name
    assert through_band(s) == (22.5, 36.5)               # 0.25 x-height above the x-line, below the last row
    assert strike_zone(s) == Box(20, 10, 120, 45)        # 1.5 x-heights above, 1 below, within the row (10..50)
    tight = replace(s, row=Box(0, 15, 140, 40))          # a tight row clips the zone
    assert strike_zone(tight) == Box(20, 15, 120, 40)


def test_box_ring_and_core():
    assert box_ring(Box(40, 40, 70, 70)) == Box(25, 25, 85, 85)      # half the side around
    assert box_ring(Box(0, 0, 60, 31)) == Box(-15, -15, 75, 46)      # of the shorter side
    # A fifth of the side off each side, rounded up: 23 px → 5, 25 px → 5, 26 px → 6.
    assert box_core(Box(0, 0, 23, 25)) == Box(5, 5, 18, 20)
    assert box_core(Box(0, 0, 26, 35)) == Box(6, 7, 20, 28)


def test_contains():
    outer = Box(0, 0, 10, 10)
    assert contains(outer, Box(0, 0, 10, 10)) and contains(outer, Box(2, 3, 4, 5))
    assert not contains(outer, Box(-1, 0, 5, 5)) and not contains(outer, Box(5, 5, 11, 6))
