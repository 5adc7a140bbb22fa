"""Plain-Python running of the stages for one document: timing, status and failure capture.

The Prefect flow (flow.py) calls the same `run_stage`; tests and `--no-prefect` call
`process_document` directly. Nothing here imports Prefect.
"""

import hashlib
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

from . import alto, clean, extract, images, ocr, pdf, split, write
from .context import STAGES, DocContext, doc_id_for, read_json, sha256_file, write_json
from .contract import NOT_TELEGRAM, manifest_columns, source_file
from .errors import Busy, EnvironmentProblem, StageError, UsageError

STAGE_FUNCS = {"clean": clean.clean, "ocr": ocr.ocr, "extract": extract.extract}
VERSIONS = {"clean": clean.VERSION, "ocr": ocr.VERSION, "extract": extract.VERSION, "write": write.VERSION}
SUFFIXES = images.IMAGE_SUFFIXES | images.PDF_SUFFIXES


def discover(paths: list[str], out: Path, manifest: dict | None = None) -> list[DocContext]:
    """Files named on the command line, and the scans under folders named there, as contexts
    with SPEC doc_ids (same stem twice: each gets '-' + 8 hex of the sha256 of its relative path)."""
    found = []  # (source as given/walked, path relative to the folder given)
    for p in paths:
        root = Path(p)
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                # a folder named like a scan is an input too (it fails with a clear reason)
                named = [d for d in dirnames if Path(d).suffix.lower() in SUFFIXES]
                dirnames[:] = sorted(d for d in dirnames if d not in named)
                for name in sorted(filenames + named):
                    f = Path(dirpath) / name
                    if f.suffix.lower() in SUFFIXES:
                        found.append((f, f.relative_to(root)))
        else:
            found.append((root, Path(root.name)))
    ids = {}
    for src, rel in found:
        ids.setdefault(doc_id_for(src), []).append((src, rel))
    # a split file's documents are <id>-pNNN: a file whose own id looks so, beside that file,
    # takes the collision suffix (SPEC: the rule applies to any two equal ids)
    taken = {d for d in ids if re.fullmatch(r".+-p\d{3}", d) and d.rsplit("-p", 1)[0] in ids}
    ctxs = []
    for did, group in ids.items():
        for src, rel in group:
            name = did if len(group) == 1 and did not in taken else \
                f"{did}-{hashlib.sha256(str(rel).encode()).hexdigest()[:8]}"
            extra = (manifest or {}).get(src.name)
            ctxs.append(DocContext(name, src, Path(out), {"source_extra": extra} if extra else {}))
    return sorted(ctxs, key=lambda c: c.doc_id)


def load_stages(ctx: DocContext) -> dict:
    try:
        return read_json(ctx.stages_json)
    except (OSError, ValueError):
        return {}


def run_stage(ctx: DocContext, name: str) -> Path:
    """Run one stage, record its version, status and seconds in stages.json; re-raise failures."""
    stages = load_stages(ctx)
    t0 = time.perf_counter()
    try:
        ctx.dir.mkdir(parents=True, exist_ok=True)
        path = STAGE_FUNCS[name](ctx)
        status = "ok"
        return path
    except BaseException:
        status = "failed"
        raise
    finally:
        stages[name] = {"version": VERSIONS[name], "status": status, "seconds": round(time.perf_counter() - t0, 3)}
        for later in STAGES[STAGES.index(name) + 1:]:
            stages.pop(later, None)  # later stages must run again on this output
        if ctx.dir.exists():
            write_json(ctx.stages_json, stages)


def finish(ctx: DocContext, error: dict | None) -> dict:
    """The write stage: result.json from whatever the stages left, timed like the others."""
    stages = load_stages(ctx)
    t0 = time.perf_counter()
    try:
        artifacts = write.load_artifacts(ctx)
        result = write.build_result(ctx, stages, error, artifacts)
        if result["pages"] and error is None:
            alto.write_alto(ctx, result, artifacts[1])
            try:
                pdf.write_pdf(ctx, result, artifacts[1])
            except Exception as e:  # a convenience copy: its failure never fails the document
                result["warnings"].append(f"searchable PDF not written: {one_line(e)}")
        status = "ok"
    except Exception as e:  # never lose the document: a failed result without the artifacts
        error = {"stage": "write", "message": one_line(e)}
        result = write.build_result(ctx, stages, error)
        status = "failed"
    stages["write"] = {"version": VERSIONS["write"], "status": status, "seconds": round(time.perf_counter() - t0, 3)}
    result["stages"] = stages
    write_json(ctx.stages_json, stages)
    write_json(ctx.result_json, result)
    return result


def one_line(e: BaseException) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
    return msg if isinstance(e, StageError) and msg else f"{type(e).__name__}: {msg}".rstrip(": ")


def process_document(ctx: DocContext, start: str = "clean") -> list[dict]:
    """Run the stages from `start` on; a failure stops the document, never the batch. Returns
    the result of each document: a file of several telegrams (split.py) is cleaned and read once,
    then each of its telegrams is extracted and written as a document of its own."""
    docs = [ctx]
    if start in ("clean", "ocr"):
        for name in STAGES[STAGES.index(start):STAGES.index("extract")]:
            if error := attempt(ctx, name):
                return [finish(ctx, error)]
        if ctx.pages_in_file is None:  # a file as found, not one document of a file
            docs, error = split_file(ctx)
            if error:
                return [finish(ctx, error)]
    return [finish(d, attempt(d, "extract")) for d in docs]


def attempt(ctx: DocContext, name: str) -> dict | None:
    """Run one stage: None, or the error that stops the document (an environment problem
    stops the run)."""
    try:
        run_stage(ctx, name)
        return None
    except EnvironmentProblem:
        raise
    except Exception as e:
        return {"stage": name, "message": one_line(e)}


def split_file(ctx: DocContext) -> tuple[list[DocContext], dict | None]:
    """file_documents, or the error that fails the file at the split step."""
    try:
        return file_documents(ctx), None
    except EnvironmentProblem:
        raise
    except Exception as e:
        return [], {"stage": "split", "message": one_line(e)}


def file_documents(ctx: DocContext) -> list[DocContext]:
    """The documents of a read file: itself when it holds one, else one context per telegram
    (or cover sheet) with its pages' artifacts. Folders of an earlier split that this one
    supersedes move to OUT/.retired/. A split that fails leaves the file one document, flagged."""
    t0 = time.perf_counter()
    before = split.previous_ids(ctx)
    pages = len(read_json(ctx.clean_json)["pages"])
    docs = [{"pages": [1, pages], "kind": "telegram"}]
    if ctx.options.get("no_split"):
        split.keep_whole(ctx, docs)
    else:
        try:
            docs = split.split(ctx, force=ctx.options.get("force", False))
        except Exception as e:
            ctx.options["warnings"] = [f"not split into telegrams: {one_line(e)}"]
    ids = split.doc_ids(ctx, docs)
    # a document whose id is gone, or whose pages or kind changed, goes with its review
    changed = [i for i, old in before.items()
               if i not in ids or (old["pages"] is not None and old != docs[ids.index(i)])]
    split.retire(ctx.out, changed, keep_folder=ctx.doc_id)
    if len(docs) == 1:
        ctx.options.update(pages_in_file=docs[0]["pages"], not_telegram=docs[0]["kind"] == "other")
        out = [ctx]
    else:
        out = split.materialise(ctx, docs, ids)
        stages = {k: v for k, v in load_stages(ctx).items() if k in ("clean", "ocr")}
        for c in out:  # a telegram's stages.json starts with its file's clean and ocr
            write_json(c.stages_json, stages)
    split.record_seconds(ctx, time.perf_counter() - t0)
    return out


def current_status(ctx: DocContext) -> str | None:
    """The stored status when the file is already done for this very content (incremental
    batches), else None; for a file of several telegrams, the worst of theirs. A document that
    failed counts too: the same bytes fail the same way, so it is retried when the file changes,
    or on --retry-failed (failed_documents), not every run."""
    if not ctx.source.is_file():
        return None
    sha = sha256_file(ctx.source)
    statuses = []
    for doc_id in split.stored_ids(ctx, sha):
        try:
            r = read_json(ctx.out / doc_id / "result.json")
        except (OSError, ValueError):
            return None
        if r.get("source", {}).get("sha256") != sha:
            return None
        statuses.append(r.get("status"))
    return next((s for s in ("failed", "needs_review", "ok") if s in statuses), None)


def stored_context(out: Path, doc_id: str) -> DocContext:
    """A document of an earlier run, from its result.json (for reruns)."""
    path = Path(out) / doc_id / "result.json"
    if not path.exists():
        raise UsageError(f"no document {doc_id!r} in {out}")
    r = read_json(path)
    src = r["source"]
    extra = manifest_columns(src)
    options = {"source_extra": extra} if extra else {}
    # reruns never split again: a document keeps its pages. Only a file that failed before its
    # split (clean, ocr or the split itself) is split when it is read again.
    if src.get("pages_in_file"):
        options["pages_in_file"] = src["pages_in_file"]
        options["not_telegram"] = NOT_TELEGRAM in r.get("warnings", [])
    elif (r.get("error") or {}).get("stage") not in ("clean", "ocr", "split") and src.get("pages"):
        options["pages_in_file"] = [1, src["pages"]]   # a result of before splitting
    return DocContext(doc_id, source_file(src), Path(out), options)


def failed_documents(out: Path) -> list[tuple[DocContext, str]]:
    """Every failed document in OUT with the stage it failed at (write failures redo extract)."""
    jobs = []
    for p in sorted(Path(out).glob("*/result.json")):
        try:
            r = read_json(p)
        except (OSError, ValueError):
            continue
        if r.get("status") == "failed":
            stage = (r.get("error") or {}).get("stage", "clean")
            stage = "ocr" if stage == "split" else stage  # read again, then split
            jobs.append((stored_context(out, p.parent.name), stage if stage in STAGE_FUNCS else "extract"))
    return jobs


def read_manifest(path: Path) -> dict:
    """Inventory CSV -> {file name: {column: value}} for result.json source."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise UsageError(f"cannot read manifest {path}: {e.strerror}") from None
    if not rows or not ({"file", "filename"} & set(rows[0])):
        raise UsageError(f"manifest {path} needs a 'file' column")
    key = "file" if "file" in rows[0] else "filename"
    return {Path(r[key]).name: {k: v for k, v in r.items() if k != key} for r in rows}


def sweep_temp_files(out: Path) -> int:
    """Temp files a killed run left behind (never the real files: those are only ever
    replaced whole). Called under the lock, so no live run is writing them."""
    n = 0
    for p in list(Path(out).glob(".*.tmp")) + list(Path(out).glob("*/.*.tmp")) + list(Path(out).glob("*/*/.*.tmp")):
        p.unlink(missing_ok=True)
        n += 1
    return n


@contextmanager
def lock(out: Path):
    """One run per output folder at a time: a second one is refused, not interleaved."""
    import fcntl

    path = Path(out) / ".telegrams.lock"
    with open(path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            raise Busy(f"another telegrams run (pid {f.read().strip() or '?'}) is using {out}; "
                       "wait for it to finish or use another --out") from None
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        sweep_temp_files(out)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
