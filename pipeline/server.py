"""The local Prefect server that runs report to, started in the background on first use.

A temporary Prefect server per command costs about 9 s; this one is started once, like a build
daemon, and reused by later runs, so users keep Prefect's UI and run records. It runs under a
small watchdog (`python -m pipeline.server`) in a session of its own with its stdio detached: the
watchdog stops it after TELEGRAMS_SERVER_IDLE seconds without a run (default 1800), and
`telegrams server stop` stops it at once. A PREFECT_API_URL set by the user wins over all this;
TELEGRAMS_PREFECT_SERVER=temporary goes back to a temporary server per command.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .errors import EnvironmentProblem

HOST = "127.0.0.1"


def port() -> int:
    return int(os.environ.get("TELEGRAMS_PREFECT_PORT", "4200"))


def api_url() -> str:
    return f"http://{HOST}:{port()}/api"


def idle_seconds() -> float:
    return float(os.environ.get("TELEGRAMS_SERVER_IDLE", "1800"))


def home() -> Path:
    h = Path(os.environ.get("PREFECT_HOME", Path.home() / ".cache" / "telegrams" / "prefect"))
    h.mkdir(parents=True, exist_ok=True)
    return h


def pid_file() -> Path:
    return home() / "telegrams-server.pid"


def used_file() -> Path:
    """Touched by every run; its age is the server's idle time."""
    return home() / "telegrams-server.used"


def touch() -> None:
    used_file().touch()


def healthy(timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url()}/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def alive(pid: int) -> bool:
    """The process runs (a zombie does not: the watchdog outlives the run that started it, and
    whoever inherits it may be slow to reap it)."""
    try:
        os.kill(pid, 0)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except ProcessLookupError:
        return False
    except OSError:  # no /proc: kill's answer is all there is
        return True


def running_pid() -> int | None:
    try:
        pid = int(pid_file().read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if alive(pid) else None


def start(wait: float = 180.0) -> str:
    if running_pid() and healthy():
        return f"already running at {api_url()} (pid {running_pid()})"
    touch()
    with open(home() / "server.log", "ab") as log:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.server", "--idle", str(idle_seconds())],
                                env={**os.environ, "PREFECT_HOME": str(home())}, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                cwd=Path(__file__).resolve().parents[1])
    pid_file().write_text(str(proc.pid))
    deadline = time.time() + wait
    while time.time() < deadline:
        if healthy():
            return f"started at {api_url()} (pid {proc.pid}); it stops after {idle_seconds():.0f} s idle, " \
                   "or with: telegrams server stop"
        if proc.poll() is not None:
            raise EnvironmentProblem(f"Prefect server exited at start; see {home() / 'server.log'}")
        time.sleep(0.3)
    stop()
    raise EnvironmentProblem(f"Prefect server did not answer within {wait:.0f} s; see {home() / 'server.log'}")


def stop() -> str:
    pid = running_pid()
    if not pid:
        pid_file().unlink(missing_ok=True)
        return "not running"
    try:
        os.killpg(pid, signal.SIGTERM)  # its own session: watchdog, server and the server's workers
    except ProcessLookupError:
        pass
    for _ in range(80):  # the process itself, not its pid file: the watchdog removes that first
        if not alive(pid):
            break
        time.sleep(0.25)
    pid_file().unlink(missing_ok=True)
    return f"stopped (pid {pid})"


def ensure() -> str | None:
    """The API URL runs should report to: the user's PREFECT_API_URL, else our server, started
    now if it is not running. None: the user set PREFECT_API_URL, or asked for Prefect's
    temporary server per command with TELEGRAMS_PREFECT_SERVER=temporary."""
    if os.environ.get("PREFECT_API_URL") or os.environ.get("TELEGRAMS_PREFECT_SERVER") == "temporary":
        return None
    if not (running_pid() and healthy(0.5)):
        start()
    os.environ["PREFECT_API_URL"] = api_url()
    touch()
    return api_url()


def watch(idle: float) -> int:
    """The watchdog: run the Prefect server; stop it once no run has touched `used_file` for `idle` s."""
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", HOST,
                             "--port", str(port())], stdin=subprocess.DEVNULL,
                            env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        while proc.poll() is None and not healthy(0.5):  # idle time counts once it is up
            time.sleep(0.3)
        touch()
        while True:
            try:
                return proc.wait(timeout=min(15.0, max(0.5, idle / 4)))
            except subprocess.TimeoutExpired:
                pass
            try:
                quiet = time.time() - used_file().stat().st_mtime
            except OSError:
                quiet = idle + 1
            if quiet > idle:
                print(f"idle for {quiet:.0f} s: stopping the Prefect server", flush=True)
                proc.terminate()
                return proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        if running_pid() == os.getpid():
            pid_file().unlink(missing_ok=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--idle", type=float, default=idle_seconds())
    sys.exit(watch(ap.parse_args().idle))
