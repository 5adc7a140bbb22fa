"""The Prefect 3 flow: a task per stage per document, a thin layer over runner.py.

The command points Prefect at the background server of server.py; without a PREFECT_API_URL
(TELEGRAMS_PREFECT_SERVER=temporary, tests) Prefect starts a temporary one, with the project's
own PREFECT_HOME and a generous start-up timeout. The record of a run is result.json;
Prefect's database only mirrors it.

On a Dask cluster (--dask) the document tasks run in the workers' processes: everything a task
carries is pickled, and so is the flow run's context, parameters included, with every task. So
the flow takes no parameters but small ones (the jobs and the progress callback stay in this
process, see `run`), and the paths a task gets are absolute: workers need the same paths as this
process, on a shared filesystem, and may run in another folder. Their task runs report to this
process's Prefect API (PREFECT_API_URL travels with each task); without one, each worker process
would start a temporary Prefect server of its own.
"""

import logging
import os
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
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
from .context import STAGES, DocContext  # noqa: E402
from .errors import EnvironmentProblem  # noqa: E402

SHARED = "workers need the same paths: a shared filesystem"

# Stage work is local and deterministic: no retries; caching is done by content hash in runner.
STAGE_TASKS = {name: task(name=name, cache_policy=NONE)(lambda ctx, _n=name: runner.run_stage(ctx, _n))
               for name in STAGES[:-1]}


@task(name="write", cache_policy=NONE)
def write_task(ctx, error):
    return runner.finish(ctx, error)


def on_dask_worker() -> bool:
    try:
        from distributed import get_worker
        get_worker()
        return True
    except (ImportError, ValueError):
        return False


def stage(ctx, name: str) -> dict | None:
    """Run one stage as a task; None, or the error that stops the document."""
    state = STAGE_TASKS[name].with_options(task_run_name=f"{name}-{ctx.doc_id}")(ctx, return_state=True)
    if not state.is_failed():
        return None
    exc = state.result(raise_on_failure=False)
    if isinstance(exc, EnvironmentProblem):
        raise exc
    error = {"stage": name, "message": runner.one_line(exc) if isinstance(exc, BaseException) else str(exc)}
    if name == "clean" and on_dask_worker() and not os.path.lexists(ctx.source):
        error["message"] = f"scan not found on the Dask worker: {ctx.source} ({SHARED})"
    return error


@task(name="document", cache_policy=NONE)
def document_task(ctx, start: str = "clean") -> list[dict]:
    """A scan file from `start` on (runner.process_document as tasks): its pages cleaned and
    read once, then each telegram in it extracted and written."""
    if on_dask_worker() and not ctx.out.is_dir():  # `run` made it before any task: OUT is not shared
        raise EnvironmentProblem(f"output folder not found on the Dask worker: {ctx.out} ({SHARED})")
    docs = [ctx]
    if start in ("clean", "ocr"):
        for name in STAGES[STAGES.index(start):STAGES.index("extract")]:
            if error := stage(ctx, name):
                return [write_task.with_options(task_run_name=f"write-{ctx.doc_id}")(ctx, error)]
        if ctx.pages_in_file is None:
            docs, error = runner.split_file(ctx)
            if error:
                return [write_task.with_options(task_run_name=f"write-{ctx.doc_id}")(ctx, error)]
    return [write_task.with_options(task_run_name=f"write-{d.doc_id}")(d, stage(d, "extract")) for d in docs]


# This call's jobs and progress callback: not flow parameters, which travel with every task.
_BATCH: ContextVar[tuple[list, object]] = ContextVar("telegrams_batch")


def batch() -> tuple[list, object]:
    """(jobs, on_done) of the current `run`. A plain function: the pickled flow (it goes with
    every task to Dask) refers to it by name, never to the ContextVar itself."""
    return _BATCH.get()


@flow(name="telegrams-run", log_prints=False)
def run_flow(documents: int, out: str | None = None) -> list[dict]:
    """The jobs of `run` (documents: how many scan files or stored documents, out: where to,
    for Prefect's record); on_done gets the results of each job's documents."""
    jobs, on_done = batch()
    futures = [document_task.with_options(task_run_name=c.doc_id).submit(c, start) for c, start in jobs]
    results = []
    for f in as_completed(futures):  # in this process: on_done drives the progress bar
        rs = f.result()
        results += rs
        if on_done:
            on_done(rs)
    return results


def absolute(ctx: DocContext) -> DocContext:
    """The context with absolute paths, for workers in another folder (result.json then records
    the absolute path as the source path; local runs keep paths as given)."""
    return replace(ctx, source=Path(ctx.source).absolute(), out=Path(ctx.out).absolute())


def run(jobs: list, workers: int, on_done=None, dask_address: str | None = None, debug: bool = False) -> list[dict]:
    """Run (context, first stage) jobs on `workers` local threads (Tesseract releases the GIL:
    each page is its own single-threaded process), or on an existing Dask cluster through
    prefect-dask. on_done(result) is called here, in this process, as each document finishes;
    debug: Prefect's run logs on the terminal too."""
    if dask_address:
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError:
            raise EnvironmentProblem("--dask needs prefect-dask: pip install 'telegrams[dask]'") from None
        from distributed import Client
        try:  # else an unreachable address is a traceback, after 30 s, from inside the flow
            Client(dask_address).close()
        except OSError as e:
            raise EnvironmentProblem(f"cannot reach the Dask scheduler at {dask_address}: {e}") from None
        runner_ = DaskTaskRunner(address=dask_address)
        jobs = [(absolute(c), start) for c, start in jobs]
        for out in {c.out for c, _ in jobs}:
            out.mkdir(parents=True, exist_ok=True)  # so a worker that cannot see it knows OUT is not shared
    else:
        runner_ = ThreadPoolTaskRunner(max_workers=workers)
    token = _BATCH.set((jobs, on_done))
    try:
        with run_logs_to_terminal(debug):
            return run_flow.with_options(task_runner=runner_)(len(jobs), str(jobs[0][0].out) if jobs else None)
    finally:
        _BATCH.reset(token)


@contextmanager
def run_logs_to_terminal(debug: bool):
    """Prefect's flow and task run logs (a failed stage's traceback) go to its API, so the UI has
    them; on the terminal only with --debug: there a failed document is its one-line reason."""
    loggers = [] if debug else [logging.getLogger(n) for n in ("prefect.flow_runs", "prefect.task_runs")]
    before = [lg.propagate for lg in loggers]
    for lg in loggers:
        lg.propagate = False
    try:
        yield
    finally:
        for lg, p in zip(loggers, before):
            lg.propagate = p
