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
  3  environment problem (Tesseract or its rus data missing, output folder unwritable)"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="telegrams", description="Scanned 1937-38 cipher telegrams in, "
                                "reviewable result.json out.", epilog=EXIT_CODES,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="process scans (jpg/png/tif/pdf files or folders) into OUT",
                         epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("paths", nargs="+", metavar="PATH", help="scan files or folders of scans")
    _out(run)
    run.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                     help="documents processed at once (default: number of cores)")
    run.add_argument("--force", action="store_true", help="reprocess scans whose result is current")
    run.add_argument("--no-prefect", action="store_true",
                     help="run the stages directly, without Prefect's run records (faster start)")
    run.add_argument("--debug", action="store_true", help="show tracebacks")
    run.set_defaults(func=cmd_run)
    return p


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
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from . import ocr, runner, write

    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    for p in args.paths:
        if not Path(p).exists() and not Path(p).is_symlink():
            raise UsageError(f"no such file or folder: {p}")
    check_out(args.out)
    ocr.check_tesseract()
    ctxs = runner.discover(args.paths, args.out)
    todo = [c for c in ctxs if args.force or not runner.is_current(c)]
    console = Console(stderr=True)
    console.print(f"{len(ctxs)} document(s), {len(ctxs) - len(todo)} already current, {len(todo)} to process")
    t0 = time.perf_counter()
    results = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as progress:
        bar = progress.add_task("documents", total=len(todo))

        def done(r):
            results.append(r)
            failed = sum(x["status"] == "failed" for x in results)
            progress.update(bar, advance=1, description=f"documents ({failed} failed)")

        if todo and args.no_prefect:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(args.jobs) as pool:
                for r in pool.map(runner.process_document, todo):
                    done(r)
        elif todo:
            from . import flow

            flow.run(todo, args.jobs, on_done=done)
    write.write_index(args.out)
    seconds = time.perf_counter() - t0
    by = {s: sum(r["status"] == s for r in results) for s in ("ok", "needs_review", "failed")}
    console.print(f"ok {by['ok']}  needs_review {by['needs_review']}  failed {by['failed']}  "
                  f"in {seconds:.1f} s  ->  {args.out}/index.csv")
    for r in results:
        if r["status"] == "failed":
            console.print(f"  failed  {r['document_id']}: {r['error']['stage']}: {r['error']['message']}")
    return 1 if by["failed"] else 0


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
