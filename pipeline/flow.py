"""The Prefect 3 flow: a task per stage per document, a thin layer over runner.py.

Without PREFECT_API_URL Prefect starts a temporary local server per command; we give it the
project's own PREFECT_HOME and a generous start-up timeout. The record of a run is result.json;
Prefect's database only mirrors it.
"""

import os
from pathlib import Path

os.environ.setdefault("PREFECT_HOME", str(Path.home() / ".cache" / "telegrams" / "prefect"))
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)  # its SQLite cannot make the folder
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network here, nor wanted

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402
from prefect.futures import as_completed  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from . import runner  # noqa: E402
from .context import STAGES  # noqa: E402
from .errors import EnvironmentProblem  # noqa: E402

# Stage work is local and deterministic: no retries; caching is done by content hash in runner.
STAGE_TASKS = {name: task(name=name, cache_policy=NONE)(lambda ctx, _n=name: runner.run_stage(ctx, _n))
               for name in STAGES[:-1]}


@task(name="write", cache_policy=NONE)
def write_task(ctx, error):
    return runner.finish(ctx, error)


@task(name="document", cache_policy=NONE)
def document_task(ctx, start: str = "clean") -> dict:
    error = None
    for name in STAGES[STAGES.index(start):-1]:
        state = STAGE_TASKS[name].with_options(task_run_name=f"{name}-{ctx.doc_id}")(ctx, return_state=True)
        if state.is_failed():
            exc = state.result(raise_on_failure=False)
            if isinstance(exc, EnvironmentProblem):
                raise exc
            error = {"stage": name, "message": runner.one_line(exc) if isinstance(exc, BaseException) else str(exc)}
            break
    return write_task.with_options(task_run_name=f"write-{ctx.doc_id}")(ctx, error)


@flow(name="telegrams-run", log_prints=False)
def run_flow(jobs: list, on_done=None) -> list[dict]:
    """jobs: (document context, first stage to run) pairs."""
    futures = [document_task.with_options(task_run_name=c.doc_id).submit(c, start) for c, start in jobs]
    results = []
    for f in as_completed(futures):
        r = f.result()
        results.append(r)
        if on_done:
            on_done(r)
    return results


def run(jobs: list, workers: int, on_done=None, dask_address: str | None = None) -> list[dict]:
    """Run on `workers` local threads (Tesseract releases the GIL: each page is its own
    single-threaded process), or on an existing Dask cluster through prefect-dask."""
    if dask_address:
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError:
            raise EnvironmentProblem("--dask needs prefect-dask: pip install 'telegrams[dask]'") from None
        runner_ = DaskTaskRunner(address=dask_address)
    else:
        runner_ = ThreadPoolTaskRunner(max_workers=workers)
    return run_flow.with_options(task_runner=runner_)(jobs, on_done)
