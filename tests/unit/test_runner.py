"""runner: OpenCV's threads while pages are read in this process (--jobs 1)."""
import cv2
import pytest

from kiemphieu.scan import runner


@pytest.fixture
def threads_before():
    before = cv2.getNumThreads()
    cv2.setNumThreads(3)
    yield 3
    cv2.setNumThreads(before)


def test_opencv_threads_are_set_for_the_while_then_as_they_were(threads_before):
    with runner.opencv_threads(1):
        assert cv2.getNumThreads() == 1
    assert cv2.getNumThreads() == threads_before


def test_a_jobs_1_scan_reads_its_pages_with_one_opencv_thread(threads_before, monkeypatch):
    seen = []
    monkeypatch.setattr(runner, "reader_for", lambda count, readers: "reader")
    monkeypatch.setattr(runner, "read_task", lambda reader, task: seen.append(cv2.getNumThreads()) or task)
    with runner.local(count=None, jobs=1) as (submit, window):
        assert submit("page").result() == "page"
    assert seen == [runner.OPENCV_THREADS_PER_JOB] == [1]
    assert cv2.getNumThreads() == threads_before
