"""Scanning on a Dask cluster (``scan --cluster``) gives the same count as scanning on this machine."""
from __future__ import annotations

import pytest

import ballotgen

from conftest import create_count, export, kp

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    d = tmp_path_factory.mktemp("cluster-set")
    ballotgen.generate_set(d, kind="strike", layout="table", n=8, seed=606)
    return d


def _count(setdir, path, *scan_args):
    create_count(setdir, path)
    kp("scan", path, setdir / "scans", "--quiet", *scan_args)
    return path


def test_cluster_scan_equals_local_scan(small_set, tmp_path):
    local = export(_count(small_set, tmp_path / "local.kp", "--jobs", "1"))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  local_directory=str(tmp_path / "dask")) as cluster:
        remote_count = _count(small_set, tmp_path / "cluster.kp", "--cluster", cluster.scheduler_address)
        remote = export(remote_count)
        # both workers really did the reading, each with one reader built for this count
        with distributed.Client(cluster) as client:
            built = client.run(lambda: len(__import__("kiemphieu.scan.cluster", fromlist=["_readers"])._readers))
        assert sorted(built.values()) == [1, 1]
        # scanning again on the cluster counts nothing twice
        kp("scan", remote_count, small_set / "scans", "--quiet", "--cluster", cluster.scheduler_address)
        assert export(remote_count) == remote
    assert len(local) == 8
    assert remote == local       # same pages, ids, statuses, votes, reasons and name readings


def test_cluster_unreachable_is_a_plain_error(small_set, tmp_path, monkeypatch):
    from kiemphieu.scan import cluster
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 2)
    path = tmp_path / "c.kp"
    create_count(small_set, path)
    res = kp("scan", path, small_set / "scans", "--quiet", "--cluster", "tcp://127.0.0.1:9", ok=False)
    assert res.exit_code == 2
    assert "tcp://127.0.0.1:9" in res.output
