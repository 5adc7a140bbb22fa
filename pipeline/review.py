"""Reviewer decisions (SPEC review.json): validated, appended atomically, and merged with the
pipeline's values. The review server and the export call this; the pipeline only reads review.json
(to report where a rerun's automatic value differs from a reviewer's), never writes it.
"""

import re
import threading
from datetime import date, datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from .context import read_json, write_json
from .contract import QuotaValue
from .contract import FIELDS as SCALARS

ACTIONS = ("accept", "correct", "reject", "add")
DOC_ID = re.compile(r"^[^\W][\w.\-]*$")  # SPEC doc ids; no leading '.', no separators
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")
_write_lock = threading.Lock()  # one server process; decisions on one document never interleave


class ReviewError(ValueError):
    """A decision that does not fit the contract (the server answers 422, nothing is saved)."""


def review_path(doc_dir: Path) -> Path:
    return Path(doc_dir) / "review.json"


def load_decisions(doc_dir: Path, strict: bool = False) -> list[dict]:
    """The decisions in review.json; a damaged file counts as none, or raises when `strict`
    (before a write: a damaged review.json is left for a human, never replaced)."""
    try:
        data = read_json(review_path(doc_dir))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        if strict:
            raise ReviewError(f"{review_path(doc_dir)} is damaged; repair it by hand (it is never overwritten)") from None
        return []
    decisions = data.get("decisions") if isinstance(data, dict) else None
    return [d for d in decisions or [] if isinstance(d, dict)]


def check_value(field: str, value):
    """The value a reviewer typed, in the SPEC's normalised form, or ReviewError."""
    if field == "quotas":
        if not isinstance(value, dict):
            raise ReviewError("a quota is an object: category, count, kind, additional")
        if not isinstance(value.get("count"), int) or isinstance(value.get("count"), bool) or value["count"] < 0:
            raise ReviewError("quota count must be a whole number ≥ 0")
        try:
            return QuotaValue.model_validate({"additional": None, **value}).model_dump()
        except ValidationError as e:
            raise ReviewError("quota: " + "; ".join(f"{'.'.join(map(str, x['loc']))} {x['msg']}" for x in e.errors())) from None
    if field == "addressees":
        names = value.split(",") if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ReviewError("addressees is a list of surnames")
        names = [n.strip() for n in names if n.strip()]
        if not names:
            raise ReviewError("addressees: give at least one surname, or reject the field")
        return names
    if not isinstance(value, str) or not value.strip() or len(value) > 300:
        raise ReviewError(f"{field} must be non-empty text (at most 300 characters)")
    value = value.strip()
    if field in ("sent_at", "received_at", "deadline"):
        if not TIMESTAMP.match(value) or (field == "deadline" and "T" in value):
            raise ReviewError(f"{field} is written {'YYYY-MM-DD' if field == 'deadline' else 'YYYY-MM-DD or YYYY-MM-DDTHH:MM'}")
        try:
            datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            raise ReviewError(f"{field}: no such date {value}") from None
    return value


def merged(result: dict, decisions: list[dict]) -> dict:
    """Each field and quota with its automatic value and, where a reviewer decided, the last
    decision and the reviewer's value (accept: the value accepted; reject: none)."""
    fields = result["fields"]
    out = {"fields": {}, "quotas": []}
    last = {}
    for d in decisions:  # later decisions on the same field win
        last[(d.get("field"), d.get("quota_id"))] = d
    for name in SCALARS:
        d = last.get((name, None))
        out["fields"][name] = entry(fields[name]["value"], d)
    for q in fields["quotas"]:
        out["quotas"].append({"id": q["id"], **entry(q["value"], last.get(("quotas", q["id"])))})
    known = {q["id"] for q in fields["quotas"]}
    for (field, qid), d in last.items():
        if field == "quotas" and qid not in known:  # added by a reviewer (or a quota a rerun lost)
            out["quotas"].append({"id": qid, **entry(None, d)})
    return out


def entry(auto, d: dict | None) -> dict:
    if d is None:
        return {"automatic": auto, "value": auto, "decision": None}
    value = {"accept": d.get("old"), "reject": None}.get(d.get("action"), d.get("new"))
    return {"automatic": auto, "value": value, "decision": d,
            "differs": value != auto}


def differences(result: dict, decisions: list[dict], m: dict | None = None) -> list[dict]:
    """Reviewed fields whose automatic value (after a rerun, say) is not the reviewer's;
    `m`: merged(result, decisions) when the caller has it already."""
    m = m or merged(result, decisions)
    rows = [{"field": k, "quota_id": None, "reviewer": e["value"], "automatic": e["automatic"]}
            for k, e in m["fields"].items() if e["decision"] and e["differs"]]
    rows += [{"field": "quotas", "quota_id": e["id"], "reviewer": e["value"], "automatic": e["automatic"]}
             for e in m["quotas"] if e["decision"] and e["differs"]]
    return rows


def record(doc_dir: Path, result: dict, body: dict) -> dict:
    """Validate one decision from the reviewer, append it to review.json atomically, return it.
    `old` is the value the reviewer saw (the last decision's, else the pipeline's)."""
    if not isinstance(body, dict):
        raise ReviewError("a decision is a JSON object")
    field, action, qid = body.get("field"), body.get("action"), body.get("quota_id")
    if field not in SCALARS and field != "quotas":
        raise ReviewError(f"unknown field {field!r}")
    if action not in ACTIONS:
        raise ReviewError(f"action must be one of {', '.join(ACTIONS)}")
    reviewer = body.get("reviewer") or "reviewer"
    if not isinstance(reviewer, str) or len(reviewer) > 100:
        raise ReviewError("reviewer is a name of at most 100 characters")
    with _write_lock:
        decisions = load_decisions(doc_dir, strict=True)
        m = merged(result, decisions)
        if field == "quotas":
            if action == "add":
                if qid is not None:
                    raise ReviewError("an added quota gets its id from the server")
                n = 1 + sum(1 for d in decisions if d.get("action") == "add")
                qid, current = f"r{n}", None
            else:
                cur = next((e for e in m["quotas"] if e["id"] == qid), None)
                if cur is None:
                    raise ReviewError(f"no quota {qid!r} in this document")
                current = cur["value"]
        else:
            if action == "add":
                raise ReviewError("only quotas can be added; correct a field instead")
            if qid is not None:
                raise ReviewError("quota_id belongs to quota decisions only")
            current = m["fields"][field]["value"]
        new = check_value(field, body.get("new")) if action in ("correct", "add") else None
        decision = {"field": field, "quota_id": qid, "action": action, "old": current, "new": new,
                    "reviewer": reviewer.strip() or "reviewer",
                    "at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
        write_json(review_path(doc_dir), {"document_id": result["document_id"],
                                          "decisions": decisions + [decision]})
    return decision
