"""Stage 4, write: assemble result.json from the earlier stages' artifacts, validate it against
the contract, write it atomically; and the run's index (index.json, index.csv)."""

import csv
import io
import json
from functools import lru_cache
from pathlib import Path

from . import __version__
from .context import DocContext, atomic_write_bytes, read_json, sha256_file, write_json
from .contract import FIELDS, INDEX_COLUMNS, SCHEMA_VERSION, Result, empty_field, index_row
from .review import differences, load_decisions

VERSION = "write-2"  # 2: ALTO per page, review differences


@lru_cache(maxsize=1)
def tool_versions() -> dict:
    from . import extract, tesseract

    try:
        tess = tesseract.check()
        sha = tesseract.model_sha256()
    except Exception:
        tess = sha = None
    return {"pipeline": __version__, "tesseract": tess, "tesseract_model_sha256": sha,
            "ner_model": extract.ner_version()}


def _load(path: Path):
    """An earlier stage's artifact, or None when it is missing or damaged (the document is then
    failed by that stage, and result.json still gets written)."""
    try:
        return read_json(path)
    except (OSError, ValueError):
        return None


def load_artifacts(ctx: DocContext) -> tuple:
    """clean.json, ocr.json and extract.json (each None when missing or damaged), read once."""
    return _load(ctx.clean_json), _load(ctx.ocr_json), _load(ctx.extract_json)


def build_result(ctx: DocContext, stages: dict, error: dict | None, artifacts: tuple = (None, None, None)) -> dict:
    """result.json from the stages' artifacts (load_artifacts); without them, a bare failed one."""

    cleaned, ocred, extracted = artifacts
    if error:  # artifacts of a stage after the failed one may be stale from an earlier run
        order = ["clean", "ocr", "extract"]
        gone = order[order.index(error["stage"]):] if error["stage"] in order else []
        cleaned = None if "clean" in gone else cleaned
        ocred = None if "ocr" in gone else ocred
        extracted = None if "extract" in gone else extracted
    pages = []
    if cleaned:
        conf = {p["number"]: p["confidence"] for p in (ocred or {}).get("pages", [])}
        pages = [{"number": p["number"], "width": p["width"], "height": p["height"],
                  "skew_degrees": p["skew_degrees"], "rotation": p["rotation"],
                  "ocr_confidence": conf.get(p["number"], 0.0)} for p in cleaned["pages"]]
    fields = (extracted or {}).get("fields") or {**{k: empty_field() for k in FIELDS}, "quotas": []}
    warnings = list((extracted or {}).get("warnings", [])) + ctx.options.get("warnings", [])
    needs = any(f["needs_review"] for k, f in fields.items() if k != "quotas") or \
        any(q["needs_review"] for q in fields["quotas"]) or bool(warnings)
    status = "failed" if error else ("needs_review" if needs else "ok")
    source = Path(ctx.source)
    result = {
        "schema_version": SCHEMA_VERSION,
        "document_id": ctx.doc_id,
        "source": {"path": str(ctx.source), "abs_path": str(source.absolute()),
                   "sha256": sha256_file(source) if source.is_file() else None,
                   "pages": len(pages), "pages_in_file": ctx.pages_in_file,  # None: failed before its split
                   **ctx.options.get("source_extra", {})},
        "status": status,
        "error": error,
        "text": (ocred or {}).get("text", ""),
        "pages": pages,
        "fields": fields,
        "entities": (extracted or {}).get("entities", []),
        "marks": [{**m, "page": p["number"]} for p in (cleaned or {}).get("pages", []) for m in p.get("marks", [])],
        "warnings": warnings,
        "stages": stages,
        "versions": {**tool_versions(), "ner_model": (extracted or {}).get("ner_model")},
    }
    if decisions := load_decisions(ctx.dir):  # read only: review.json belongs to the reviewer
        result["review"] = {"decisions": len(decisions), "differs": differences(result, decisions)}
    Result.model_validate(result)
    return result


def write_index(out: Path) -> tuple[Path, Path]:
    """index.json and index.csv over every document in OUT (earlier runs' too)."""
    rows = []
    for p in sorted(Path(out).glob("*/result.json")):
        try:
            rows.append(index_row(json.loads(p.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError):
            rows.append({"document_id": p.parent.name, "source": None, "status": "failed", "failed_stage": "write",
                         "error": "result.json unreadable", "warnings": [], "quotas": 0})
    j = write_json(Path(out) / "index.json", rows)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=INDEX_COLUMNS)
    w.writeheader()
    for r in rows:
        w.writerow({**r, "warnings": "; ".join(r["warnings"])})
    c = Path(out) / "index.csv"
    atomic_write_bytes(c, buf.getvalue().encode("utf-8"))
    return j, c
