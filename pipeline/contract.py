"""The output contract (docs/output.md) in one place: result.json and the index rows.

Pydantic validates every result before it is written, so a document never leaves the pipeline
in a shape the SPEC does not allow. Keys may be added, never renamed or dropped.
"""

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = 1
Status = Literal["ok", "needs_review", "failed"]


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Field(Open):
    value: Any
    raw: str | None
    confidence: float | None
    method: str | None
    page: int | None
    bbox: list[int] | None
    char_span: list[int] | None
    needs_review: bool


class QuotaValue(Open):
    category: Literal[1, 2] | None
    count: int
    kind: Literal["requested", "approved", "sentenced", "registered", "other"]
    additional: bool | None


class Quota(Field):
    id: str
    value: QuotaValue


class Fields(Open):
    sent_at: Field
    received_at: Field
    reference_number: Field
    origin: Field
    sender: Field
    sender_position: Field
    addressees: Field
    deadline: Field
    in_reply_to: Field
    quotas: list[Quota]


FIELDS = tuple(k for k in Fields.model_fields if k != "quotas")  # the scalar fields, in SPEC order; the one list


def empty_field() -> dict:
    """A field nothing was found for (the extract stage flags the expected ones)."""
    return {k: False if k == "needs_review" else None for k in Field.model_fields}


class Source(Open):
    path: str
    sha256: str | None
    pages: int
    pages_in_file: list[int] | None = None   # [first, last] of the file's pages (SPEC Identifiers)


class Error(Open):
    stage: str
    message: str


class Page(Open):
    number: int
    width: int
    height: int
    skew_degrees: float
    rotation: Literal[0, 90, 180, 270]
    ocr_confidence: float


class Entity(Open):
    label: str
    text: str
    start: int
    end: int


class Mark(Open):
    kind: Literal["stamp", "handwriting"]
    page: int
    bbox: list[int]
    color: str
    text: str | None


class StageRecord(Open):
    version: str
    status: str
    seconds: float


class Result(Open):
    schema_version: Literal[1]
    document_id: str
    source: Source
    status: Status
    error: Error | None
    text: str
    pages: list[Page]
    fields: Fields
    entities: list[Entity]
    marks: list[Mark]
    warnings: list[str]
    stages: dict[str, StageRecord]
    versions: dict[str, str | None]


NOT_TELEGRAM = "not a telegram"  # SPEC Identifiers: the warning of a cover sheet's or an inventory's document
SOURCE_KEYS = ("path", "abs_path", "sha256", "pages", "pages_in_file")  # the rest of result.json source is the manifest's


def manifest_columns(source: dict) -> dict:
    """The delivery inventory's values that a run copied into result.json source."""
    return {k: v for k, v in source.items() if k not in SOURCE_KEYS}


def source_file(source: dict) -> Path:
    """The scan of a result.json source: its path as given, else the absolute one recorded
    (a rerun or the review server started from another folder)."""
    path = Path(source["path"])
    return Path(source["abs_path"]) if not path.exists() and source.get("abs_path") else path


INDEX_COLUMNS = ["document_id", "source", "status", "failed_stage", "error", "warnings", "quotas"]


def index_row(result: dict) -> dict:
    err = result.get("error") or {}
    return {"document_id": result["document_id"], "source": result["source"]["path"],
            "status": result["status"], "failed_stage": err.get("stage"), "error": err.get("message"),
            "warnings": result["warnings"], "quotas": len(result["fields"]["quotas"])}
