"""page.StageTimes: the time between laps charged to each stage, CPU and wall apart (a fake clock)."""
import pytest

from kiemphieu.scan import page


@pytest.fixture
def clock(monkeypatch):
    now = {"cpu": 0.0, "wall": 0.0}
    monkeypatch.setattr(page.time, "process_time", lambda: now["cpu"])
    monkeypatch.setattr(page.time, "perf_counter", lambda: now["wall"])

    def tick(cpu: float, wall: float) -> None:
        now["cpu"] += cpu
        now["wall"] += wall
    return tick


def test_each_lap_is_charged_to_its_stage_and_repeats_add_up(clock):
    t = page.StageTimes()
    clock(0.010, 0.020)
    t.lap("decode")
    clock(0.030, 0.025)
    t.lap("pose")
    clock(0.005, 0.004)
    t.lap("decode")
    assert t.cpu == pytest.approx({"decode": 0.015, "pose": 0.030})
    assert t.wall == pytest.approx({"decode": 0.024, "pose": 0.025})
    assert list(t.cpu) == ["decode", "pose"]


def test_restart_leaves_out_the_time_before_it(clock):
    t = page.StageTimes()
    clock(1.0, 1.0)             # another process's time, say
    t.restart()
    clock(0.002, 0.003)
    t.lap("store")
    assert t.cpu == pytest.approx({"store": 0.002}) and t.wall == pytest.approx({"store": 0.003})
