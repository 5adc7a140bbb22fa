"""Stage 3, extract: the fields of SPEC.md from the OCR text, each with its provenance.

Grammar parts propose candidates priced by the learned confusion model; solve.py picks a joint
reading, and a value's cost and margin give its calibrated confidence. A header field that does
not parse is read again from its line's image (pipeline/reread.py)."""

import json
import math
import time
from functools import lru_cache
from pathlib import Path

from ..context import DocContext, read_json, write_json
from ..contract import FIELDS, NOT_TELEGRAM, empty_field
from ..paths import DATA
from . import confusion, grammar, header, solve
from .addressees import addressees
from .dates import DATE, iso
from .grammar import Tok, find, seq, word
from .lexicon import city_adjectives
from .ner import entities, ner_version, preload
from .numbers import NUMERO
from .quotas import quotas
from .signature import HEAD, signature

VERSION = "extract-104"  # 100: the grammar, the learned confusion model and the joint solver; 104: see CHANGELOG
FEATURES = ("cost", "margin", "ocr", "ocr_low")   # the evidence the confidence model weighs
OCR_SURE = 0.15   # Tesseract's confidence 85 or more in every word of a value
EXPECTED = ("sent_at", "received_at", "reference_number", "sender", "addressees")  # SPEC: in every telegram
BODY_WORDS = 3            # lower-case words of four letters or more that start a paragraph
DEADLINE = seq(word({"до": "до", "к": "к"}, limit=0.3), DATE, build=lambda _b, d: d, gap=1)
DEADLINE_CUES = ("срок", "продл", "закон", "оконч")   # stems of the words about a term
REREAD = {"sent_at": "date", "received_at": "date", "reference_number": "digits"}  # field -> variants
REREAD_LINES = 2   # lines read again per field, at most




@lru_cache(maxsize=1)
def calibration() -> dict:
    path = DATA / "calibration.json"
    return json.loads(path.read_text()) if path.exists() else {}


def calibrated(evidence: dict) -> tuple[float, float, bool]:
    """(score, confidence, needs_review): a logistic model of the evidence fitted by
    tools/bench_extract.py --calibrate; the confidence is the share right of such scores there."""
    cal = calibration()
    w = cal.get("weights", {"bias": 0.5, "cost": -2.0, "margin": 2.0, "ocr": -2.0})
    x = {**evidence, "ocr_low": float(evidence["ocr"] > OCR_SURE)}
    z = w["bias"] + w.get("field:" + evidence["field"], 0.0) + sum(w.get(k, 0.0) * x[k] for k in FEATURES)
    score = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    conf = next((share for edge, share in cal.get("bins", []) if score <= edge), score)
    return round(score, 4), round(conf, 3), score < cal.get("flag_below", 0.75)


def body_lines(toks: list[Tok]) -> set[int]:
    """The body's lines: from the first running lines of lower-case words to the last sentence."""
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
    heads = {t.line for t in toks if t.kind == "w" and confusion.best(t.low, tuple(HEAD), 0.6, k=1)}
    last = lines[-1]   # up over the signature and the footer: titles, names, numbers
    while last > start and (count.get(last, 0) < 2 or last in heads):
        last = lines[lines.index(last) - 1]
    for ln in lines[lines.index(last) + 1:]:   # a sentence carried on: 'до 25 мая.'
        if not (first[ln].text[:1].islower() or first[ln].kind == "n"):
            break
        last = ln
    return set(range(start, last + 1))


class Document:
    """A text, its OCR words and tokens; builds field dicts from token spans."""

    def __init__(self, text: str, words: list[dict] | None):
        self.text, self.words = text, words or []
        self.toks = grammar.tokenize(text)

    def field(self, name: str, value, start: int, end: int, method: str, cost: float, margin: float,
              flag: bool = False) -> dict:
        a, b = self.toks[start].start, self.toks[end - 1].end
        # Tesseract's doubt in the span's least sure word: 0 (sure) .. 1
        doubt = 1.0 - min((w["conf"] for w in self.words_in(a, b) if "conf" in w), default=100.0) / 100.0
        evidence = {"field": name, "cost": round(cost, 3), "margin": round(min(margin, 3.0), 3),
                    "ocr": round(doubt, 3)}
        score, conf, review = calibrated(evidence)
        page, bbox = self.where(a, b)
        return {"value": value, "raw": self.text[a:b], "confidence": conf, "method": method,
                "page": page, "bbox": bbox, "char_span": [a, b], "needs_review": review or flag,
                "score": score, "evidence": evidence}

    def words_in(self, a: int, b: int) -> list[dict]:
        return _words_in(self.words, a, b)

    def where(self, a: int, b: int):
        return where(self.words, a, b)


def _words_in(words: list[dict], a: int, b: int) -> list[dict]:
    return [w for w in words if "start" in w and w["start"] < b and w["end"] > a]


def _union(boxes: list) -> list[int]:
    return [min(x[0] for x in boxes), min(x[1] for x in boxes), max(x[2] for x in boxes), max(x[3] for x in boxes)]


def where(words: list[dict], a: int, b: int):
    """(page, box in source pixels) of the words over text offsets [a, b)."""
    ws = [w for w in _words_in(words, a, b) if w.get("box")]
    if not ws:
        return None, None
    return ws[0].get("page"), _union([w["box"] for w in ws if w.get("page") == ws[0].get("page")])


def extract_fields(text: str, words: list[dict] | None = None, with_entities: bool = True) -> dict:
    """{fields, entities, warnings} of a text and its OCR words."""
    doc = Document(text, words)
    toks, body = doc.toks, body_lines(doc.toks)
    fields = {k: empty_field() for k in FIELDS}
    warnings: list[str] = []
    cands = header.stamps(toks, body) + header.numbers(toks, body) + header.origins(toks, body)
    for s, e, v, c in find(DEADLINE, toks, limit=2.5):   # 'до 20 марта' in a sentence about a term
        cued = any(t.low.startswith(DEADLINE_CUES) for t in toks[max(0, s - 12):s] if t.kind == "w")
        cost = c + (0.0 if cued else 1.0) + (0.0 if toks[s].line in body else 0.8)
        cands.append(header.Cand("deadline", v, cost, s, e, "grammar:deadline"))

    for f, (cand, value, margin) in solve.solve_dates(cands).items():
        if cand and value:
            fields[f] = doc.field(f, value, cand.start, cand.end, cand.method, cand.cost, margin)
    s, r = fields["sent_at"]["value"], fields["received_at"]["value"]
    if s and r and r < s:
        warnings.append("received_at earlier than sent_at")
        fields["received_at"]["needs_review"] = True
    for f in ("reference_number", "in_reply_to", "origin"):
        cand, margin = solve.choose(cands, f)
        if cand:
            fields[f] = doc.field(f, cand.value, cand.start, cand.end, cand.method, cand.cost, margin)

    if sig := signature(toks, body):
        name, position, cost, at, title = sig
        fields["sender"] = doc.field("sender", name, at, at + 1, "grammar:signature", cost, 1.5)
        if position:
            fields["sender_position"] = doc.field("sender_position", position, *title, "grammar:signature", cost, 1.5)
            city = next((c for w in position.lower().split() for stem, c in city_adjectives().items()
                         if w.startswith(stem)), None)
            if not fields["origin"]["value"] and city:
                fields["origin"] = doc.field("origin", city, *title, "grammar:signature_place", 0.6, 1.0)

    last_header = min(body) - 1 if body else max((t.line for t in toks), default=0)
    names, cost, at = addressees(toks, body, last_header)
    if names:
        fields["addressees"] = doc.field("addressees", names, at[0], at[0] + 1, "grammar:address",
                                         cost / len(names), 1.5)
        fields["addressees"]["boxes"] = [doc.where(toks[i].start, toks[i].end)[1] for i in at]

    taken = {i for c in cands if c.field in ("sent_at", "received_at", "reference_number", "in_reply_to", "deadline")
             for i in range(c.start, c.end) if c.cost < 2.5}
    fields["quotas"] = []   # a figure with its people or category stands anywhere
    for q in quotas(toks, {t.line for t in toks}, taken):
        value = {"category": q.category, "count": q.count, "kind": q.kind, "additional": q.additional}
        f = doc.field("quotas", value, q.start, q.end, "grammar:quota", q.cost, 1.5, flag=q.repaired)
        fields["quotas"].append({"id": f"q{toks[q.start].start}", **f})

    if any(t.kind in "wn" for t in toks):
        for f in EXPECTED:
            if fields[f]["value"] in (None, []):
                fields[f] = {**empty_field(), "needs_review": True}
                warnings.append(f"{f} not found")
    return {"fields": fields, "entities": entities(text) if with_entities else [], "warnings": warnings}


def reread_fields(ctx: DocContext, o: dict, result: dict) -> list[dict]:
    """Read the lines of each missing or doubted header field again from the page image; a value
    that two readings or more agree on replaces it. Returns what was done."""
    from .. import reread, tesseract

    fields, done = result["fields"], []
    lines: dict[tuple, list[dict]] = {}
    for w in o["words"]:
        lines.setdefault((w["page"], tuple(w["line"])), []).append(w)
    images = {p["number"]: p.get("image") for p in o["pages"]}   # the page image each read came from

    def line(key, want):
        return key[0], _union([w["bbox"] for w in lines[key]]), want, images.get(key[0])

    todo = {f: _lines_of(f, fields[f], lines)[:REREAD_LINES] for f in REREAD
            if fields[f]["value"] is None or fields[f]["needs_review"]}
    # every field's first line in one batch (a Tesseract process per language); a second line
    # only for a field whose first did not settle it, in the same order as one by one
    first = dict(zip([f for f in todo if todo[f]],
                     reread.reread_many(ctx, [line(todo[f][0], REREAD[f]) for f in todo if todo[f]])))
    for f, want in REREAD.items():
        if f not in todo:
            continue
        for n, key in enumerate(todo[f]):
            ws = lines[key]
            readings = first[f] if n == 0 else reread.reread(ctx, *line(key, want))
            texts = [" ".join(w["text"] for w in ws)] + [r["text"] for r in readings]
            votes: dict = {}
            for text in texts:
                if value := _line_value(f, text, fields):
                    votes[value] = votes.get(value, 0) + 1
            done.append({"field": f, "readings": len(texts), "votes": votes, "tesseract": tesseract.version()})
            if not votes:
                continue
            value, n = max(votes.items(), key=lambda kv: kv[1])
            if n >= 2 and list(votes.values()).count(n) == 1:
                a, b = ws[0]["start"], ws[-1]["end"]
                fields[f] = {"value": value, "raw": o["text"][a:b], "confidence": round(n / len(texts), 3),
                             "method": "grammar:reread", "page": key[0], "bbox": where(o["words"], a, b)[1],
                             "char_span": [a, b], "needs_review": n < 3 or len(votes) > 1,
                             "score": round(n / len(texts), 4)}
                if f"{f} not found" in result["warnings"]:
                    result["warnings"].remove(f"{f} not found")
                break
    return done


def _lines_of(f: str, field: dict, lines: dict) -> list[tuple]:
    # the word lines of the field's span, else those with its marker
    if field.get("char_span"):
        a, b = field["char_span"]
        return [k for k, ws in lines.items() if any(w["start"] < b and w["end"] > a for w in ws)]
    marker = {"sent_at": header.SENT, "received_at": header.RECEIVED}.get(f, NUMERO)
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
    return iso(*min(cands, key=lambda c: c.cost).value, int(other[:4]) if other else None)


def extract(ctx: DocContext) -> Path:
    """Stage entry: read ocr.json, write extract.json. A file's own sheet (a cover, an
    inventory: split.py) is no telegram: no values, and the warning says so."""
    o = read_json(ctx.ocr_json)
    if ctx.options.get("not_telegram"):
        return write_json(ctx.extract_json, {"version": VERSION, "ner_model": None, "entities": [], "rereads": [],
                                             "fields": {**{k: empty_field() for k in FIELDS}, "quotas": []},
                                             "warnings": [NOT_TELEGRAM]})
    result = extract_fields(o["text"], o["words"])
    t0 = time.perf_counter()
    result["rereads"] = reread_fields(ctx, o, result) if o["words"] else []
    result["reread_seconds"] = round(time.perf_counter() - t0, 2)
    empty = [p["number"] for p in o["pages"] if not any(w["page"] == p["number"] for w in o["words"])]
    if empty:  # SPEC: a page with no text makes the document needs_review
        result["warnings"].append("no text found" if len(o["pages"]) == 1 else f"no text found on page(s) {empty}")
    return write_json(ctx.extract_json, {"version": VERSION, "ner_model": ner_version(), **result})


__all__ = ["FEATURES", "FIELDS", "OCR_SURE", "VERSION", "empty_field", "entities", "extract", "extract_fields",
           "ner_version", "preload"]
