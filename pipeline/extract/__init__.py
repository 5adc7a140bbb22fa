"""Stage 3, extract: the fields of SPEC.md from the OCR text, each with its provenance.

The text is cut into tokens; small grammar parts (dates, numbers, header, addressees, signature,
quotas) propose candidates for each field with a cost from the learned confusion model
(confusion.py); solve.py picks one joint reading under the constraints between fields, and its
margin gives the confidence. A field a telegram always carries that nothing reads is flagged, and
a slot that does not parse is read again from its line's image (reread.py) when the stage has one.
`extract_fields(text, words)` is the pure function; `extract(ctx)` is the stage.
"""

import json
import math
import time
from functools import lru_cache
from pathlib import Path

from ..context import DocContext, read_json, write_json
from ..paths import DATA
from . import confusion, grammar, header, solve
from .addressees import addressees
from .dates import DATE
from .grammar import Tok, find, seq, word
from .lexicon import city_adjectives, group
from .ner import entities, ner_version, preload  # noqa: F401  (the stage's public face)
from .quotas import quotas
from .signature import signature

VERSION = "extract-100"  # the grammar, the learned confusion model and the joint solver
FIELDS = ("sent_at", "received_at", "reference_number", "origin", "sender", "sender_position",
          "addressees", "deadline", "in_reply_to")
FEATURES = ("cost", "margin", "ocr", "ocr_low")   # the evidence the confidence model weighs
OCR_SURE = 0.15   # Tesseract's confidence 85 or more in every word of a value
EXPECTED = ("sent_at", "received_at", "reference_number", "sender", "addressees")  # SPEC: carried by every telegram
BODY_WORDS = 3            # lower-case words of four letters or more that start a paragraph
DEADLINE_BY = word({"до": "до", "к": "к"}, limit=0.3)
DEADLINE = seq(DEADLINE_BY, DATE, build=lambda _b, d: d, gap=1)


def empty_field() -> dict:
    return {"value": None, "raw": None, "confidence": None, "method": None, "page": None, "bbox": None,
            "char_span": None, "needs_review": False}


@lru_cache(maxsize=1)
def calibration() -> dict:
    path = DATA / "calibration.json"
    return json.loads(path.read_text()) if path.exists() else {}


def calibrated(evidence: dict) -> tuple[float, float, bool]:
    """(score, confidence, needs_review) of a value from its evidence: a logistic model of its
    cost, its margin over the next reading and Tesseract's confidence in its words, fitted on the
    calibration families (tools/bench_extract.py --calibrate); the confidence is the share right
    of such scores there, and values below the bar that keeps unflagged values right are flagged."""
    cal = calibration()
    w = cal.get("weights", {"bias": 0.5, "cost": -2.0, "margin": 2.0, "ocr": -2.0})
    x = {**evidence, "ocr_low": float(evidence["ocr"] > OCR_SURE)}
    z = w["bias"] + w.get("field:" + evidence["field"], 0.0) + sum(w.get(k, 0.0) * x[k] for k in FEATURES)
    score = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    conf = next((share for edge, share in cal.get("bins", []) if score <= edge), score)
    return round(score, 4), round(conf, 3), score < cal.get("flag_below", 0.75)


def body_lines(toks: list[Tok]) -> set[int]:
    """Lines of the body's sentences: from the first of two running lines with lower-case words
    to the last such line, and the lines that carry its last sentence on."""
    count: dict[int, int] = {}
    first: dict[int, Tok] = {}
    for t in toks:
        if t.kind != "nl":
            first.setdefault(t.line, t)
        if t.kind == "w" and len(t.text) >= 4 and t.text.islower():
            count[t.line] = count.get(t.line, 0) + 1
    for i, t in enumerate(toks):   # a header line ('Отправлена 31 июля 1938 года') is no sentence
        if t.kind == "w" and t.line in count and any(next(m(toks, i), None) for m in (header.SENT, header.RECEIVED)):
            count[t.line] = 0
    lines = sorted(first)
    running = [a for a, b in zip(lines, lines[1:] + [None]) if count.get(a, 0) >= 2 * BODY_WORDS - 1 or
               count.get(a, 0) >= BODY_WORDS and (count.get(b, 0) >= 2 or b is not None and first[b].text.islower())]
    if not running:
        return set()
    start = running[0]
    while start > lines[0] and first[start].text[:1].islower():   # its first sentence began above
        start = lines[lines.index(start) - 1]
    # the signature and footer below it: titles, names, numbers; lines with fewer words
    last = lines[-1]
    while last > start and (count.get(last, 0) < 2 or _has_head(toks, last)):
        last = lines[lines.index(last) - 1]
    for ln in lines[lines.index(last) + 1:]:   # a sentence carried on: 'до 25 мая.'
        if not (first[ln].text[:1].islower() or first[ln].kind == "n"):
            break
        last = ln
    return set(range(start, last + 1))


def _has_head(toks: list[Tok], line: int) -> bool:
    from .signature import HEAD
    return any(t.line == line and t.kind == "w" and confusion.best(t.low, tuple(HEAD), 0.6, k=1) for t in toks)


class Document:
    """One text and its words: tokens, and FIELD dicts built from token spans."""

    def __init__(self, text: str, words: list[dict] | None):
        self.text, self.words = text, words or []
        self.toks = grammar.tokenize(text, self.words)

    def field(self, name: str, value, start: int, end: int, method: str, cost_margin: tuple,
              flag: bool = False) -> dict:
        a, b = self.toks[start].start, self.toks[end - 1].end
        cost, margin = cost_margin
        evidence = {"field": name, "cost": round(cost, 3), "margin": round(min(margin, 3.0), 3),
                    "ocr": self._ocr_doubt(a, b)}
        score, conf, review = calibrated(evidence)
        page, bbox = self._where(a, b)
        return {"value": value, "raw": self.text[a:b], "confidence": conf, "method": method,
                "page": page, "bbox": bbox, "char_span": [a, b], "needs_review": review or flag,
                "score": score, "evidence": evidence}

    def _ocr_doubt(self, a: int, b: int) -> float:
        """How unsure Tesseract was of the span's least sure word: 0 (sure) .. 1."""
        confs = [w["conf"] for w in self._words_in(a, b) if "conf" in w]
        return round(1.0 - min(confs, default=100.0) / 100.0, 3)

    def _words_in(self, a: int, b: int):
        return [w for w in self.words if "start" in w and w["start"] < b and w["end"] > a]

    def _where(self, a: int, b: int):
        ws = [w for w in self._words_in(a, b) if w.get("box")]
        if not ws:
            return None, None
        page = ws[0].get("page")
        boxes = [w["box"] for w in ws if w.get("page") == page]
        return page, [min(x[0] for x in boxes), min(x[1] for x in boxes), max(x[2] for x in boxes),
                      max(x[3] for x in boxes)]


def extract_fields(text: str, words: list[dict] | None = None, with_entities: bool = True) -> dict:
    doc = Document(text, words)
    toks, body = doc.toks, body_lines(doc.toks)
    fields = {k: empty_field() for k in FIELDS}
    warnings: list[str] = []
    cands = header.stamps(toks, body) + header.numbers(toks, body) + header.origins(toks, body)
    cands += _deadlines(toks, body)

    for f, (cand, value, margin) in solve.solve_dates(cands).items():
        if cand and value:
            fields[f] = doc.field(f, value, cand.start, cand.end, cand.method, (cand.cost, margin))
    s, r = fields["sent_at"]["value"], fields["received_at"]["value"]
    if s and r and r < s:
        warnings.append("received_at earlier than sent_at")
        fields["received_at"]["needs_review"] = True

    for f in ("reference_number", "in_reply_to", "origin"):
        cand, margin = solve.choose(cands, f)
        if cand:
            fields[f] = doc.field(f, cand.value, cand.start, cand.end, cand.method, (cand.cost, margin))

    sig = signature(toks, body)
    if sig:
        name, position, cost, at, title = sig
        fields["sender"] = doc.field("sender", name, at, at + 1, "grammar:signature", (cost, 1.5))
        if position:
            fields["sender_position"] = doc.field("sender_position", position, title[0], title[1], "grammar:signature",
                                                  (cost, 1.5))
            if not fields["origin"]["value"] and (city := _city_of(position)):
                fields["origin"] = doc.field("origin", city, title[0], title[1], "grammar:signature_place",
                                             (0.6, 1.0))

    last_header = min(body) - 1 if body else max((t.line for t in toks), default=0)
    names, cost, at = addressees(toks, body, last_header)
    if names:
        f = doc.field("addressees", names, at[0], at[0] + 1, "grammar:address", (cost / len(names), 1.5))
        f["boxes"] = [doc._where(toks[i].start, toks[i].end)[1] for i in at]
        fields["addressees"] = f

    taken = {i for c in cands if c.field in ("sent_at", "received_at", "reference_number", "in_reply_to", "deadline")
             for i in range(c.start, c.end) if c.cost < 2.5}
    lines = {t.line for t in toks}   # a figure with its people or category stands anywhere
    fields["quotas"] = [_quota(doc, q) for q in quotas(toks, lines, taken)]

    if any(t.kind in "wn" for t in toks):
        for f in EXPECTED:
            if fields[f]["value"] in (None, []):
                fields[f] = {**empty_field(), "needs_review": True}
                warnings.append(f"{f} not found")
    return {"fields": fields, "entities": entities(text) if with_entities else [], "warnings": warnings}


def _deadlines(toks: list[Tok], body: set[int]) -> list:
    """'до 20 марта', 'к 1 мая 1938 г.' in a sentence about a term: a deadline's candidates."""
    cues = set(group("deadline_cues")) if False else {"срок", "продлить", "закончить", "окончить", "продлена"}
    out = []
    for s, e, v, c in find(DEADLINE, toks, limit=2.5):
        near = [t.low for t in toks[max(0, s - 12):s] if t.kind == "w"]
        extra = 0.0 if any(w.startswith(tuple(x[:5] for x in cues)) for w in near) else 1.0
        out.append(header.Cand("deadline", v, c + extra + (0.0 if toks[s].line in body else 0.8), s, e,
                               "grammar:deadline"))
    return out


def _city_of(position: str) -> str | None:
    for w in position.lower().split():
        for stem, city in city_adjectives().items():
            if w.startswith(stem):
                return city
    return None


def _quota(doc: Document, q) -> dict:
    raw = (q.cost, 1.5)
    f = doc.field("quotas", {"category": q.category, "count": q.count, "kind": q.kind, "additional": q.additional},
                  q.start, q.end, "grammar:quota", raw, flag=q.repaired)
    return {"id": f"q{doc.toks[q.start].start}", **f}


REREAD = {"sent_at": "date", "received_at": "date", "reference_number": "digits"}  # field -> variants
REREAD_LINES = 2   # lines read again per field, at most


def reread_fields(ctx: DocContext, o: dict, result: dict) -> list[dict]:
    """Read again, from the page image, the line of each header field that did not parse or is
    doubted; a value that at least two readings agree on replaces it. Returns what was done."""
    from . import reread

    fields, done = result["fields"], []
    lines: dict[tuple, list[dict]] = {}
    for w in o["words"]:
        lines.setdefault((w["page"], tuple(w["line"])), []).append(w)
    doc = Document(o["text"], o["words"])
    for f, want in REREAD.items():
        if fields[f]["value"] is not None and not fields[f]["needs_review"]:
            continue
        for key in _lines_of(f, fields[f], doc, lines)[:REREAD_LINES]:
            ws = lines[key]
            box = [min(w["bbox"][0] for w in ws), min(w["bbox"][1] for w in ws),
                   max(w["bbox"][2] for w in ws), max(w["bbox"][3] for w in ws)]
            texts = [" ".join(w["text"] for w in ws)] + [r["text"] for r in reread.reread(ctx, key[0], box, want)]
            votes: dict = {}
            for text in texts:
                value = _line_value(f, text, fields)
                if value:
                    votes[value] = votes.get(value, 0) + 1
            done.append({"field": f, "readings": len(texts), "votes": votes, "tesseract": reread.tesseract_version()})
            if not votes:
                continue
            value, n = max(votes.items(), key=lambda kv: kv[1])
            if n >= 2 and list(votes.values()).count(n) == 1:
                a, b = ws[0]["start"], ws[-1]["end"]
                doubted = n < 3 or len(votes) > 1
                fields[f] = {"value": value, "raw": o["text"][a:b], "confidence": round(n / len(texts), 3),
                             "method": "grammar:reread", "page": key[0], "bbox": doc._where(a, b)[1],
                             "char_span": [a, b], "needs_review": doubted, "score": round(n / len(texts), 4)}
                if f"{f} not found" in result["warnings"]:
                    result["warnings"].remove(f"{f} not found")
                break
    return done


def _lines_of(f: str, field: dict, doc: "Document", lines: dict) -> list[tuple]:
    """The word lines that hold a field: its own span's, else those with its marker."""
    if field.get("char_span"):
        a, b = field["char_span"]
        return [k for k, ws in lines.items() if any(w["start"] < b and w["end"] > a for w in ws)]
    marker = {"sent_at": header.SENT, "received_at": header.RECEIVED}.get(f, header.NUMERO)
    out = []
    for k, ws in lines.items():
        toks = grammar.tokenize(" ".join(w["text"] for w in ws))
        if any(t.kind in "wp" and next(marker(toks, i), None) for i, t in enumerate(toks)):
            out.append(k)
    return out


def _line_value(f: str, text: str, fields: dict) -> str | None:
    toks = grammar.tokenize(text)
    if f == "reference_number":
        cands = [c for c in header.numbers(toks, set()) if c.field == f]
        return min(cands, key=lambda c: c.cost).value if cands else None
    cands = [c for c in header.stamps(toks, set()) if c.field == f and c.cost <= 2.0]
    if not cands:
        return None
    other = fields["received_at" if f == "sent_at" else "sent_at"]["value"]
    year = int(other[:4]) if other else None
    return solve._value(min(cands, key=lambda c: c.cost), year)


def extract(ctx: DocContext) -> Path:
    """Stage entry: read ocr.json, write extract.json."""
    o = read_json(ctx.ocr_json)
    result = extract_fields(o["text"], o["words"])
    t0 = time.perf_counter()
    result["rereads"] = reread_fields(ctx, o, result) if o["words"] else []
    result["reread_seconds"] = round(time.perf_counter() - t0, 2)
    empty = [p["number"] for p in o["pages"] if not any(w["page"] == p["number"] for w in o["words"])]
    if empty:  # SPEC: a page with no text makes the document needs_review
        result["warnings"].append("no text found" if len(o["pages"]) == 1 else f"no text found on page(s) {empty}")
    return write_json(ctx.extract_json, {"version": VERSION, "ner_model": ner_version(), **result})


__all__ = ["FIELDS", "VERSION", "empty_field", "extract", "extract_fields", "preload", "ner_version", "entities",
           "Tok"]
