"""The `telegrams` command. Each subcommand is a thin call into the library; exceptions map to
exit codes here and nowhere else. Heavy imports (Prefect, OpenCV, spaCy) wait until a command
needs them, so `telegrams --help` stays fast."""

import argparse
import os
import sys
import time
from pathlib import Path

from .errors import EnvironmentProblem, TelegramsError, UsageError

EXIT_CODES = """exit codes:
  0  every document ok or needs_review
  1  some document failed (see OUT/index.csv)
  2  usage error
  3  environment problem (Tesseract or its rus data missing, output folder unwritable)
  4  another run holds OUT (its lock file OUT/.telegrams.lock)"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="telegrams", description="Scanned 1937-38 cipher telegrams in, "
                                "reviewable result.json out.", epilog=EXIT_CODES,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    run = _command(sub, "run", "process scans (jpg/png/tif/pdf files or folders) into OUT", cmd_run)
    run.add_argument("paths", nargs="*", metavar="PATH", help="scan files or folders of scans")
    _out(run)
    _jobs(run)
    run.add_argument("--force", action="store_true", help="reprocess scans whose result is current")
    run.add_argument("--no-split", action="store_true",
                     help="one document per file: never split a file into several telegrams")
    run.add_argument("--retry-failed", action="store_true",
                     help="also rerun every failed document in OUT from its failed stage")
    run.add_argument("--manifest", type=Path, metavar="CSV",
                     help="inventory CSV: a 'file' column (scan file name) and any others "
                          "(e.g. fond, opis, delo, list), copied into result.json source")

    srv = _command(sub, "server", "start, stop or show the local Prefect server that runs report to "
                   "(runs start it when needed)", cmd_server)
    srv.add_argument("action", choices=["start", "stop", "status"])

    rerun = _command(sub, "rerun", "rerun one stage and the ones after it for stored documents", cmd_rerun)
    rerun.add_argument("doc_ids", nargs="+", metavar="DOC_ID", help="document ids (folder names in OUT)")
    rerun.add_argument("--stage", required=True, choices=["clean", "ocr", "extract"],
                       help="first stage to rerun; earlier stages' artifacts are reused")
    _out(rerun)
    _jobs(rerun)

    rev = _command(sub, "review", "serve a local web page to check and correct the output", cmd_review)
    _out(rev)
    rev.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    rev.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default 127.0.0.1: this machine only)")
    rev.add_argument("--reviewer", default=os.environ.get("USER") or "reviewer",
                     help="name recorded with each decision unless the page sets one (default: $USER)")
    rev.add_argument("--verbose", action="store_true", help="log every request")

    exp = _command(sub, "export", "one table of documents and quota figures (csv or jsonl)", cmd_export)
    _out(exp)
    exp.add_argument("--format", choices=["csv", "jsonl"], default="csv", help="file format (default csv)")
    exp.add_argument("--reviewed", action="store_true",
                     help="use the reviewer's value wherever review.json has one")
    exp.add_argument("--to", type=Path, metavar="FILE",
                     help="where to write (default OUT/export[-reviewed].FORMAT; '-' for stdout)")
    return p


def _command(sub, name: str, help: str, func):
    """A subcommand: its help ends with the exit codes; --debug; the function that runs it."""
    c = sub.add_parser(name, help=help, epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("--debug", action="store_true", help="show tracebacks")
    c.set_defaults(func=func)
    return c


def _jobs(p):
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="scan files (or stored documents) processed at once (default: number of cores)")
    p.add_argument("--no-prefect", action="store_true",
                   help="run the stages directly, without Prefect's run records (faster start)")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="run the flow's tasks on an existing Dask cluster (scheduler address, "
                        "e.g. tcp://127.0.0.1:8786); needs the [dask] extra")


def _out(p):
    p.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")


def check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise EnvironmentProblem(f"output path {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise EnvironmentProblem(f"output folder {out} is not writable: {e.strerror}") from None


def cmd_run(args) -> int:
    from . import runner, tesseract

    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.dask and args.no_prefect:
        raise UsageError("--dask runs the Prefect flow: drop --no-prefect")
    if not args.paths and not args.retry_failed:
        raise UsageError("give scan files or folders, or --retry-failed")
    for p in args.paths:
        if not Path(p).exists() and not Path(p).is_symlink():
            raise UsageError(f"no such file or folder: {p}")
    check_out(args.out)
    tesseract.check()
    extra = runner.read_manifest(args.manifest) if args.manifest else {}
    with runner.lock(args.out):
        ctxs = runner.discover(args.paths, args.out, extra)
        current = {} if args.force else {c.doc_id: s for c in ctxs if (s := runner.current_status(c))}
        todo = [(c, "clean") for c in ctxs if c.doc_id not in current]
        note = f"{len(ctxs)} scan file(s), {len(ctxs) - len(todo)} already current"
        if args.retry_failed:
            # a failed document of a file read again anyway (new or changed) comes with its file
            ids, files = {c.doc_id for c, _ in todo}, {c.source.absolute() for c, _ in todo}
            retry = [(c, s) for c, s in runner.failed_documents(args.out)
                     if c.doc_id not in ids and c.source.absolute() not in files]
            todo += retry
            note += f", {len(retry)} failed to retry"
        elif stale := sum(s == "failed" for s in current.values()):
            note += f" ({stale} of them failed before and are unchanged: --retry-failed retries them)"
        for c, _ in todo:
            c.options.update(force=args.force, no_split=args.no_split)  # --force: split again too
        return execute(args, todo, note)


def cmd_rerun(args) -> int:
    from . import runner, tesseract

    check_out(args.out)
    tesseract.check()
    with runner.lock(args.out):
        todo = [(runner.stored_context(args.out, d), args.stage) for d in args.doc_ids]
        return execute(args, todo, f"rerunning {len(todo)} document(s) from the {args.stage} stage")


def existing_out(out: Path) -> Path:
    if not out.is_dir() or not any(out.glob("*/result.json")):
        raise UsageError(f"{out} holds no results; run `telegrams run SCANS --out {out}` first")
    return out


def cmd_review(args) -> int:
    from . import web

    srv = web.make_server(existing_out(args.out), args.host, args.port, args.reviewer, quiet=not args.verbose)
    host, port = srv.server_address[:2]
    print(f"reviewing {args.out} at http://{host}:{port}/  (decisions go to OUT/<doc_id>/review.json; "
          "Ctrl-C stops)", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()
    return 0


def cmd_export(args) -> int:
    from . import export

    existing_out(args.out)
    if str(args.to) == "-":
        table = export.render(export.rows(args.out, args.reviewed), args.format)
        sys.stdout.write(table)
        return 0
    path, n = export.export(args.out, args.format, args.reviewed, args.to)
    print(f"{n} rows -> {path}")
    return 0


def cmd_server(args) -> int:
    from . import server

    if args.action == "start":
        print(f"Prefect server {server.start()}")
    elif args.action == "stop":
        print(f"Prefect server {server.stop()}")
    else:
        pid = server.running_pid()
        print(f"Prefect server running at {server.api_url()} (pid {pid})" if pid and server.healthy()
              else "Prefect server not running (the next run starts it)")
    return 0


def execute(args, todo: list, note: str) -> int:
    """Run (context, first stage) pairs with a progress bar; index and summary at the end."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from . import runner, write

    if args.jobs > 1:
        # With more than one worker, each fills a core, as its Tesseract does with one OpenMP
        # thread; OpenCV's own thread pool would only contend with the other workers.
        import cv2
        cv2.setNumThreads(1)
    console = Console(stderr=True)
    console.print(f"{note}; {len(todo)} to process")
    retired = retired_count(args.out)
    t0 = time.perf_counter()
    results = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[rate]}"), console=console) as progress:
        bar = progress.add_task("files", total=len(todo), rate="")
        tally = {"failed": 0, "pages": 0}  # running: a delivery may hold tens of thousands

        def done(rs):  # the documents of one job: a scan file's telegrams, or a stored document
            for r in rs:
                results.append(r)
                tally["failed"] += r["status"] == "failed"
                tally["pages"] += r["source"]["pages"]
            rate = f"{60 * tally['pages'] / max(1e-9, time.perf_counter() - t0):.0f} pages/min"
            progress.update(bar, advance=1, description=f"files ({tally['failed']} documents failed)", rate=rate)

        if todo and args.no_prefect:
            from concurrent.futures import ThreadPoolExecutor

            from . import extract
            extract.preload()  # after the main thread's own imports: spaCy's and Prefect's share packages

            with ThreadPoolExecutor(args.jobs) as pool:
                for rs in pool.map(lambda job: runner.process_document(*job), todo):
                    done(rs)
        elif todo:
            from . import server

            if url := server.ensure():
                console.print(f"runs are recorded by the local Prefect server, UI at {url.removesuffix('/api')} "
                              "(`telegrams server stop` stops it; it stops by itself when idle)")
            from . import extract, flow

            if not args.dask:
                extract.preload()  # Dask workers load their own copy
            try:
                flow.run(todo, args.jobs, on_done=done, dask_address=args.dask, debug=args.debug)
            finally:
                server.touch()
    write.write_index(args.out)
    seconds = time.perf_counter() - t0
    by = {s: sum(r["status"] == s for r in results) for s in ("ok", "needs_review", "failed")}
    console.print(f"ok {by['ok']}  needs_review {by['needs_review']}  failed {by['failed']}  "
                  f"in {seconds:.1f} s  ->  {args.out}/index.csv")
    stages = {}
    for r in results:
        if r["status"] == "failed":
            stages[r["error"]["stage"]] = stages.get(r["error"]["stage"], 0) + 1
            console.print(f"  failed  {r['document_id']}: {r['error']['stage']}: {r['error']['message']}")
    if stages:
        console.print("  failed by stage: " + ", ".join(f"{k} {v}" for k, v in stages.items()))
    if moved := retired_count(args.out) - retired:
        console.print(f"  {moved} document(s) superseded by a new split of their file moved, with their "
                      f"reviews, to {args.out}/.retired/")
    if differ := [r for r in results if (r.get("review") or {}).get("differs")]:
        n = sum(len(r["review"]["differs"]) for r in differ)
        console.print(f"  {n} reviewed value(s) in {len(differ)} document(s) differ from the new automatic ones "
                      "(result.json review.differs; `telegrams review` shows them)")
    return 1 if by["failed"] else 0


def retired_count(out: Path) -> int:
    folder = Path(out) / ".retired"
    return sum(1 for _ in folder.iterdir()) if folder.is_dir() else 0


def main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse: 0 for --help, 2 for usage errors
        return int(e.code or 0)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except TelegramsError as e:
        if args.debug:
            raise
        print(f"telegrams: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("telegrams: interrupted", file=sys.stderr)
        return 130
