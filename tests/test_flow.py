"""The Prefect flow over the stages: a good scan and a bad one in one flow run."""

import json
import shutil

import pytest

from tests.test_clean import make_bad


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    import os

    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def test_flow_runs_stages_as_tasks_and_survives_a_bad_file(prefect_harness, rendered, tmp_path):
    from pipeline import flow, runner

    scans, truth = rendered
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(scans / "gorky_1938_95.jpg", d)
    make_bad(d, "text")
    ctxs = runner.discover([str(d)], tmp_path / "out")
    results = {r["document_id"]: r for r in flow.run([(c, "clean") for c in ctxs], workers=2)}
    assert results["gorky_1938_95"]["fields"]["reference_number"]["value"] == "95/ш"
    assert results["t"]["status"] == "failed" and results["t"]["error"]["stage"] == "clean"
    on_disk = json.loads((tmp_path / "out" / "gorky_1938_95" / "result.json").read_text())
    assert set(on_disk["stages"]) == {"clean", "ocr", "extract", "write"}
    assert all(s["status"] == "ok" for s in on_disk["stages"].values())


def test_flow_runs_on_a_dask_cluster(prefect_harness, rendered, tmp_path):
    """A local two-worker Dask cluster (separate processes) takes the document tasks."""
    from distributed import LocalCluster

    from pipeline import flow, runner

    scans, _ = rendered
    d = tmp_path / "in"
    d.mkdir()
    for name in ("gorky_1938_95.jpg", "erevan_1937_1893.jpg"):
        shutil.copy(scans / name, d)
    ctxs = runner.discover([str(d)], tmp_path / "out")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        results = flow.run([(c, "clean") for c in ctxs], workers=2, dask_address=cluster.scheduler_address)
    by_id = {r["document_id"]: r for r in results}
    assert by_id["gorky_1938_95"]["fields"]["reference_number"]["value"] == "95/ш"
    assert by_id["erevan_1937_1893"]["fields"]["origin"]["value"] == "Ереван"
    assert all(r["status"] != "failed" for r in results)
