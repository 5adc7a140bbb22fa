"""`telegrams export`: the run as one table for pandas or a spreadsheet.

One row per document (record = "document") and one per quota (record = "quota"); a quota row
repeats its document's origin, sender, dates and status so it stands alone. With `reviewed`, a
reviewer's value replaces the pipeline's wherever one exists (rejected quotas drop out, added ones
come in); either way `reviewed` names the row's reviewed fields and `review` holds the reviewer's
values, so both readings stay visible.
"""

import csv
import io
import json
from pathlib import Path

from .context import atomic_write_bytes, read_json
from .contract import manifest_columns
from .review import SCALARS, load_decisions, merged

COLUMNS = ["record", "document_id", "quota_id", "status", *SCALARS,
           "category", "count", "kind", "additional", "confidence", "needs_review", "reviewed",
           "review", "source", "pages_in_file", "page"]


def document_rows(result: dict, decisions: list[dict], reviewed: bool) -> list[dict]:
    m = merged(result, decisions)
    pick = "value" if reviewed else "automatic"
    f = result["fields"]
    done = {k: e["value"] for k, e in m["fields"].items() if e["decision"]}
    extra = manifest_columns(result["source"])
    doc = {"record": "document", "document_id": result["document_id"], "status": result["status"],
           **{k: m["fields"][k][pick] for k in SCALARS},
           "needs_review": result["status"] == "needs_review",
           "reviewed": sorted(done), "review": done or None, "source": result["source"]["path"],
           "pages_in_file": "-".join(map(str, result["source"].get("pages_in_file") or [])) or None, **extra}
    rows = [doc]
    by_id = {q["id"]: q for q in f["quotas"]}
    for e in m["quotas"]:
        value = e[pick]
        if value is None:  # rejected by the reviewer, or (unreviewed reading) added by one
            continue
        q = by_id.get(e["id"], {})
        rows.append({**{k: doc[k] for k in ("document_id", "status", *SCALARS, "source", "pages_in_file")
                        if k != "addressees"},
                     **extra, "record": "quota", "quota_id": e["id"], **value,
                     "confidence": q.get("confidence"), "needs_review": q.get("needs_review", False),
                     "page": q.get("page"), "reviewed": ["quotas"] if e["decision"] else [],
                     "review": {"action": e["decision"]["action"], "value": e["value"]} if e["decision"] else None})
    return rows


def rows(out: Path, reviewed: bool = False) -> list[dict]:
    found = []
    for p in sorted(Path(out).glob("*/result.json")):
        try:
            result = read_json(p)
        except (OSError, ValueError):
            continue  # the index already names it failed
        found += document_rows(result, load_decisions(p.parent), reviewed)
    return found


def render(table: list[dict], fmt: str) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps({c: r.get(c) for c in COLUMNS} | r, ensure_ascii=False) + "\n" for r in table)
    extra = sorted({k for r in table for k in r} - set(COLUMNS))  # manifest columns
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS + extra)
    w.writeheader()
    for r in table:
        w.writerow({k: cell(r.get(k)) for k in COLUMNS + extra})
    return buf.getvalue()


def export(out: Path, fmt: str, reviewed: bool = False, dest: Path | None = None) -> tuple[Path, int]:
    """Write the table (csv or jsonl) atomically; returns its path and the number of rows."""
    table = rows(out, reviewed)
    dest = Path(dest) if dest else Path(out) / f"export{'-reviewed' if reviewed else ''}.{fmt}"
    atomic_write_bytes(dest, render(table, fmt).encode("utf-8"))
    return dest, len(table)


def cell(v):
    """CSV cells: lists joined by '; ', objects as JSON, None empty."""
    if v is None:
        return ""
    if isinstance(v, list):
        return "; ".join(map(str, v))
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return v
