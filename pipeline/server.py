"""A local Prefect server the CLI can leave running, so that each `telegrams run` does not pay
for a temporary one (measured: about 9 s a command) and users get Prefect's UI.

`telegrams server start` starts `prefect server start` in the background with the project's
PREFECT_HOME and records its pid; `run` then uses it; `telegrams server stop` stops it.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .errors import EnvironmentProblem

HOST, PORT = "127.0.0.1", int(os.environ.get("TELEGRAMS_PREFECT_PORT", "4200"))
API_URL = f"http://{HOST}:{PORT}/api"


def home() -> Path:
    h = Path(os.environ.get("PREFECT_HOME", Path.home() / ".cache" / "telegrams" / "prefect"))
    h.mkdir(parents=True, exist_ok=True)
    return h


def pid_file() -> Path:
    return home() / "telegrams-server.pid"


def healthy(timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{API_URL}/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def running_pid() -> int | None:
    try:
        pid = int(pid_file().read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def start(wait: float = 180.0) -> str:
    if running_pid() and healthy():
        return f"already running at {API_URL} (pid {running_pid()})"
    env = {**os.environ, "PREFECT_HOME": str(home()), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    log = open(home() / "server.log", "ab")
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", HOST, "--port", str(PORT)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    pid_file().write_text(str(proc.pid))
    deadline = time.time() + wait
    while time.time() < deadline:
        if healthy():
            return f"started at {API_URL} (pid {proc.pid}); stop it with: telegrams server stop"
        if proc.poll() is not None:
            raise EnvironmentProblem(f"Prefect server exited at start; see {home() / 'server.log'}")
        time.sleep(0.5)
    raise EnvironmentProblem(f"Prefect server did not answer within {wait:.0f} s; see {home() / 'server.log'}")


def stop() -> str:
    pid = running_pid()
    if not pid:
        pid_file().unlink(missing_ok=True)
        return "not running"
    os.killpg(pid, signal.SIGTERM)  # its own session: the server and its workers
    for _ in range(40):
        if running_pid() is None:
            break
        time.sleep(0.25)
    pid_file().unlink(missing_ok=True)
    return f"stopped (pid {pid})"


def use_if_running() -> str | None:
    """Point Prefect at our running server, unless the user chose an API URL already."""
    if os.environ.get("PREFECT_API_URL") or not running_pid() or not healthy(0.5):
        return None
    os.environ["PREFECT_API_URL"] = API_URL
    return API_URL
