"""The Prefect flow over the stages: a good scan and a bad one in one flow run."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.test_clean import make_bad

pytestmark = pytest.mark.slow  # renders pages and runs Tesseract: pytest -m 'not slow' skips it


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
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
    lock, seen = threading.RLock(), []  # a callback holding what cannot be pickled, like rich's Progress

    def done(rs):  # the documents of one scan file
        with lock:
            seen.extend(r["document_id"] for r in rs)

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        results = flow.run([(c, "clean") for c in ctxs], workers=2, on_done=done,
                           dask_address=cluster.scheduler_address)
    by_id = {r["document_id"]: r for r in results}
    assert sorted(seen) == sorted(by_id)  # called here, once a document, as it finished
    assert by_id["gorky_1938_95"]["fields"]["reference_number"]["value"] == "95/ш"
    assert by_id["erevan_1937_1893"]["fields"]["origin"]["value"] == "Ереван"
    assert all(r["status"] != "failed" for r in results)


# ---------------------------------------------------------------- `telegrams run --dask` as a user runs it

ROOT = Path(__file__).resolve().parents[1]


def _env(tmp: Path) -> dict:
    """The environment of the processes these tests start: one Tesseract thread, this checkout
    importable, a Prefect home of the test's own."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONPATH": path,
            "PREFECT_HOME": os.environ.get("PREFECT_HOME", str(tmp / "prefect-home"))}


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group we started (a `dask worker` and its worker processes), then SIGKILL."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory, prefect_harness):
    """`dask scheduler` and `dask worker --nworkers 2` started as processes, as a user would; the
    workers run in a folder of their own, so a path relative to the command's folder would break.
    Yields (scheduler address, worker folder, worker log, environment for the command)."""
    tmp = tmp_path_factory.mktemp("dask")
    env = _env(tmp)
    sched_file, wdir = tmp / "scheduler.json", tmp / "worker-cwd"
    wdir.mkdir()
    procs = []
    try:
        with open(tmp / "scheduler.log", "wb") as log:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                 "--no-dashboard", "--scheduler-file", str(sched_file)],
                env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True))
        deadline = time.time() + 120
        while not sched_file.exists() or not sched_file.read_text().strip():
            assert procs[0].poll() is None, (tmp / "scheduler.log").read_text()
            assert time.time() < deadline, "the Dask scheduler did not start in 120 s"
            time.sleep(0.3)
        time.sleep(0.3)  # the file is written whole, but be sure
        address = json.loads(sched_file.read_text())["address"]
        with open(tmp / "worker.log", "wb") as log:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(sched_file),
                 "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
                env=env, cwd=wdir, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True))
        from distributed import Client

        with Client(address, timeout=60) as c:
            c.wait_for_workers(2, timeout=180)
        from prefect.settings import PREFECT_API_URL

        # the harness's Prefect server: the command records its runs there instead of starting one
        yield address, wdir, tmp / "worker.log", {**env, "PREFECT_API_URL": PREFECT_API_URL.value()}
    finally:
        for p in reversed(procs):
            _stop(p)


def _telegrams(args: list, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900, check=False)


def test_cli_runs_on_a_dask_cluster_of_worker_processes(dask_cluster, rendered, tmp_path):
    """`telegrams run in --out out --dask ADDRESS`, relative paths, from the command line."""
    address, _, worker_log, env = dask_cluster
    scans, _ = rendered
    (tmp_path / "in").mkdir()
    for name in ("gorky_1938_95.jpg", "erevan_1937_1893.jpg"):
        shutil.copy(scans / name, tmp_path / "in")
    p = _telegrams(["run", "in", "--out", "out", "--dask", address], tmp_path, env)
    output = p.stdout + p.stderr
    assert p.returncode == 0, output
    assert "Traceback" not in output, output
    assert "2/2" in output  # the progress bar advanced per document
    for doc in ("gorky_1938_95", "erevan_1937_1893"):
        r = json.loads((tmp_path / "out" / doc / "result.json").read_text())
        assert r["status"] in ("ok", "needs_review"), r["error"]
        assert set(r["stages"]) == {"clean", "ocr", "extract", "write"}
    with open(tmp_path / "out" / "index.csv", newline="") as f:
        rows = {r["document_id"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"gorky_1938_95", "erevan_1937_1893"}
    assert all(r["status"] in ("ok", "needs_review") for r in rows.values())
    # the workers' task runs went to the command's Prefect server (the flow run's settings travel
    # with each task), not to a temporary server of each worker's own
    assert "Starting temporary server" not in worker_log.read_text()


@pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="needs Linux /proc")
def test_dask_workers_that_cannot_see_a_path_give_a_clear_reason(dask_cluster, rendered, tmp_path):
    """A path naming a file for the command but not for the workers, as without a shared
    filesystem: /proc/self/cwd/... is the folder each process runs in, and the workers run in
    another. A scan they cannot see fails its document, one line; an OUT they cannot see stops the run."""
    address, wdir, _, env = dask_cluster
    scans, _ = rendered
    (tmp_path / "in").mkdir()
    shutil.copy(scans / "gorky_1938_95.jpg", tmp_path / "in")
    assert not (wdir / "in").exists()
    p = _telegrams(["run", "/proc/self/cwd/in/gorky_1938_95.jpg", "--out", str(tmp_path / "out"),
                    "--dask", address], tmp_path, env)
    output = p.stdout + p.stderr
    assert p.returncode == 1, output
    assert "Traceback" not in output, output
    reason = ("scan not found on the Dask worker: /proc/self/cwd/in/gorky_1938_95.jpg "
              "(workers need the same paths: a shared filesystem)")
    r = json.loads((tmp_path / "out" / "gorky_1938_95" / "result.json").read_text())
    assert r["status"] == "failed" and r["error"] == {"stage": "clean", "message": reason}
    assert reason in " ".join(output.split())  # the summary line (wrapped to the terminal's width)
    assert reason in (tmp_path / "out" / "index.csv").read_text(encoding="utf-8")

    p = _telegrams(["run", "in", "--out", "/proc/self/cwd/out2", "--dask", address], tmp_path, env)
    output = p.stdout + p.stderr
    assert p.returncode == 3, output
    assert "Traceback" not in output, output
    assert ("output folder not found on the Dask worker: /proc/self/cwd/out2 (workers need the same "
            "paths: a shared filesystem)") in " ".join(output.split())
    assert not (wdir / "out2").exists()  # nothing written where the command would not look
