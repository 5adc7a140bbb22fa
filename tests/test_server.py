"""The background Prefect server, the way a user meets it: the first `telegrams run` starts it, later
runs reuse it, a failed file costs one line in the terminal (its task run stays Failed in Prefect's
records), `telegrams server stop` stops it, and an idle one stops by itself."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipeline.server import alive
from tests.conftest import delivery

pytestmark = pytest.mark.slow  # starts Prefect servers and runs Tesseract


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def env(tmp_path):
    """A Prefect home and port of the test's own; whatever it started is stopped afterwards."""
    e = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "TELEGRAMS_PREFECT_SERVER")}
    e.update(PREFECT_HOME=str(tmp_path / "prefect"), TELEGRAMS_PREFECT_PORT=str(free_port()),
             TELEGRAMS_SERVER_IDLE="300", OMP_THREAD_LIMIT="1")
    yield e
    telegrams(e, "server", "stop")


def telegrams(env, *args, timeout=600):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def pid_of(env) -> int | None:
    try:
        pid = int((Path(env["PREFECT_HOME"]) / "telegrams-server.pid").read_text())
    except (OSError, ValueError):
        return None
    return pid if alive(pid) else None


def failed_task_runs(env, name: str) -> list[str]:
    url = f"http://127.0.0.1:{env['TELEGRAMS_PREFECT_PORT']}/api/task_runs/filter"
    body = json.dumps({"task_runs": {"name": {"any_": [name]}}}).encode()
    req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return [t["state"]["type"] for t in json.load(r)]


def test_runs_start_and_reuse_one_server_and_a_failed_file_takes_one_line(tmp_path, rendered, env):
    d = delivery(tmp_path, rendered, "gorky_1938_95.jpg")
    out = tmp_path / "out"
    first = telegrams(env, "run", str(d), "--out", str(out))
    assert first.returncode == 0, first.stderr[-2000:]
    assert f"UI at http://127.0.0.1:{env['TELEGRAMS_PREFECT_PORT']}" in first.stderr
    pid = pid_of(env)
    assert pid, "no background server after the first run"

    (d / "broken.png").write_bytes(b"this is text, not a PNG")
    second = telegrams(env, "run", str(d), "--out", str(out))
    assert second.returncode == 1
    assert pid_of(env) == pid, "the second run did not reuse the server"
    assert "Traceback" not in second.stderr and "task_engine" not in second.stderr, second.stderr
    lines = [ln for ln in second.stderr.splitlines() if "broken" in ln]
    assert lines == ["  failed  broken: clean: not a readable image: UnidentifiedImageError"], second.stderr
    assert failed_task_runs(env, "clean-broken") == ["FAILED"]  # the full record stays with Prefect

    third = telegrams(env, "run", str(d), "--out", str(out))  # nothing changed: nothing to do
    assert third.returncode == 0 and "1 of them failed before and are unchanged" in third.stderr

    debug = telegrams(env, "run", str(d), "--out", str(out), "--retry-failed", "--debug")
    assert debug.returncode == 1 and "Traceback" in debug.stderr  # --debug shows Prefect's trace

    stop = telegrams(env, "server", "stop")
    assert stop.returncode == 0 and f"stopped (pid {pid})" in stop.stdout
    assert not alive(pid)


def test_an_idle_server_stops_by_itself(env):
    env = {**env, "TELEGRAMS_SERVER_IDLE": "2"}
    start = telegrams(env, "server", "start")
    assert start.returncode == 0 and "started at" in start.stdout, start.stderr
    pid = pid_of(env)
    deadline = time.time() + 90
    while time.time() < deadline and alive(pid):  # the watchdog removes its pid file, then exits
        time.sleep(0.5)
    assert not alive(pid) and pid_of(env) is None
    assert "not running" in telegrams(env, "server", "status").stdout
