"""Learn the OCR confusion table (pipeline/data/confusion.json) from rendered synthetic pages.

    .venv/bin/python -m tools.build_confusion [--n 120] [--seed 7000] [--out pipeline/data/confusion.json]
                                              [--lines 3]    # re-read lines a page
                                              [--work DIR]   # keep scans and OCR; a rerun reuses them

Documents come from tools.synth.varied (split="tune", 80 % mild and 20 % hard scans), are rendered
by tools.synth.render and read by the project's own CLI (`telegrams run`), so the table describes
the text the extract stage sees. Words the OCR stage re-read (Roman months, figures with a stray 9)
are also aligned as Tesseract first read them: the extract stage sees those readings whenever
the re-read does not fire.

The same scans give two more sources, so the table also holds what the OCR stage's cleaning and
fixes hide and what the extract stage meets beyond the page text:
  bare     plain Tesseract (pytesseract, lang rus) on the raw scan, page by page, as tools/bench.py
           runs it: Tesseract's own confusions, without cleaning, re-reads and fixes. Aligned line
           by line: each line read is paired with the true line of its page nearest it, if near
           (a bare read drops lines and garbles stamps, whose noise would align with true text);
  reread   line re-reads (pipeline.reread) of up to --lines lines a page that hold a digit
           (dates, Roman months and numbers first), in the variants the extract stage asks for
           ("digits" for a line with '№', else "date": rus at x1/x1.5/x2, rus+eng, the source
           scan); each reading is aligned with the true line its page-OCR text is nearest to.
All sources are pooled into one count table, every aligned char weighing the same; "built"
records the chars aligned per source. Bare readings and re-reads are cached in --work as well.

Each page's OCR text is aligned with its true text (case-folded, white space runs folded to one
space). Between the stretches Levenshtein leaves equal, an edit region of equal length is
substitutions char by char; a pure insertion or deletion is single chars, unless it nearly
always sits beside the same char (then it is that char's split or merge: "0" read "09"); any
other region is cut by a small Viterbi search into substitutions, insertions, deletions, merges
(2-3 true chars read as one: "ii" -> "п") and splits (one true char read as 2-3: "v" -> "\\/"),
with the costs of the previous round (PASSES rounds, the first on the unambiguous regions only).
Counts become costs by how often T, when misread, is read as R:

    cost(T -> R) = min(1, -ln P / S),  P = (count(T -> R) + K) / (errors(T) + K * V)

V: the alphabet size; S: -ln of P for an unseen R of the median misread char, so an unseen
confusion costs 1.0 (the default), a correct reading 0 and a frequent confusion ~0.2-0.5.
Insertions: errors("") = all insertions. Only pairs seen MIN_COUNT times and under 1.0 are kept.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from pipeline.paths import DATA

VERSION = 1
HARD_SHARE = 0.2
K = 0.5            # add-k smoothing
MIN_COUNT = 2      # pairs seen fewer times are left to the default cost
MAX_REGION = 6     # longer edit regions (stamps, lost lines, garbage) are not learned from
MAX_UNIT = 3       # merges and splits: up to 3 chars on one side, 1 on the other
PASSES = 3         # rounds: unambiguous regions only, then every region cut with the last costs
MULTI_COST = 1.0   # a merge/split not (yet) learned: this plus MULTI_EXTRA per char beyond one a side,
MULTI_EXTRA = 0.1  # so "v" -> "\\у" beats "v" -> "\\" plus an unlearned insertion of "у"
CONTEXT_SHARE = 0.6  # an insertion/deletion found this often beside one same char becomes a split/merge

# ------------------------------------------------------------------ alignment (pure)


def norm(text: str) -> str:
    """Case-folded, every white space run one space."""
    return " ".join(text.casefold().split())


def regions(true: str, read: str) -> list[tuple[int, int, int, int]]:
    """The edit regions between Levenshtein's equal stretches: [(true start, end, read start, end)]."""
    out = []
    for op in Levenshtein.opcodes(true, read):
        if op.tag == "equal":
            continue
        if out and out[-1][1] == op.src_start and out[-1][3] == op.dest_start:
            out[-1] = (out[-1][0], op.src_end, out[-1][2], op.dest_end)
        else:
            out.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
    return out


def segment(t: str, r: str, unit_cost) -> list[tuple[str, str]]:
    """Cheapest cut of region t -> r into units (T, R): 1-1, 1-0, 0-1, k-1 and 1-k (k <= MAX_UNIT)."""
    n, m = len(t), len(r)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    steps = [(1, 1), (1, 0), (0, 1)] + [(a, 1) for a in range(2, MAX_UNIT + 1)] \
        + [(1, b) for b in range(2, MAX_UNIT + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            c0 = best[i][j]
            if c0 == inf:
                continue
            for a, b in steps:
                if i + a > n or j + b > m:
                    continue
                T, R = t[i:i + a], r[j:j + b]
                c = c0 + (0.0 if T == R else unit_cost(T, R))
                if c < best[i + a][j + b]:
                    best[i + a][j + b], back[i + a][j + b] = c, (a, b)
    units, i, j = [], n, m
    while i or j:
        a, b = back[i][j]
        units.append((t[i - a:i], r[j - b:j]))
        i, j = i - a, j - b
    return [u for u in reversed(units) if u[0] != u[1]]


def flat_cost(T: str, R: str) -> float:
    """Cost of a unit nothing was learned about."""
    return 1.0 if len(T) <= 1 and len(R) <= 1 else MULTI_COST + MULTI_EXTRA * (len(T) + len(R) - 2)


def align(true: str, read: str, unit_cost=flat_cost, contexts: Counter | None = None,
          unambiguous: bool = False) -> tuple[Counter, int]:
    """Count the confusion units of one aligned pair (both already normalised).

    Returns (Counter{(T, R): n}, chars of long regions skipped); R == "": deletion, T == "":
    insertion. Regions of equal length are substitutions char by char; pure insertions and
    deletions are single chars; the rest (lengths differ) is cut by segment() with unit_cost,
    or left out if unambiguous. contexts, if given, gets ((unit), (split/merge with the
    neighbouring char)) for every single-char insertion and deletion."""
    counts, skipped = Counter(), 0
    for a, b, c, d in regions(true, read):
        t, r = true[a:b], read[c:d]
        if len(t) > MAX_REGION or len(r) > MAX_REGION:
            skipped += len(t)
        elif len(t) == len(r):
            counts.update((x, y) for x, y in zip(t, r) if x != y)
        elif not t or not r:
            counts.update((x, "") for x in t)
            counts.update(("", y) for y in r)
            if contexts is not None and len(t + r) == 1:
                unit = (t, r)
                if a > 0:  # the char before, read as itself
                    left = true[a - 1]
                    contexts[(unit, (left + t, left + r))] += 1
                if b < len(true):
                    right = true[b]
                    contexts[(unit, (t + right, r + right))] += 1
        elif not unambiguous:
            counts.update(segment(t, r, unit_cost))
    return counts, skipped


# ------------------------------------------------------------------ counts -> costs


class Model:
    """Unit counts over (true, read) pairs, and the costs they give."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = pairs
        self.alphabet = len(set("".join(t + r for t, r in pairs))) + 1
        self.counts, self.skipped, self.costs = Counter(), 0, {}

    def fit(self, unit_cost=flat_cost, unambiguous: bool = False) -> None:
        self.counts, self.skipped, contexts = Counter(), 0, Counter()
        for t, r in self.pairs:
            c, s = align(t, r, unit_cost, contexts, unambiguous)
            self.counts.update(c)
            self.skipped += s
        # An insertion or deletion nearly always beside the same char is that char's split or
        # merge ("0" read "09", "ii" read "i"): move those counts over.
        by_unit: dict = {}
        for (unit, alt), n in contexts.items():
            by_unit.setdefault(unit, []).append((n, alt))
        for unit, alts in by_unit.items():
            n, alt = max(alts)
            if n >= MIN_COUNT and n >= CONTEXT_SHARE * self.counts[unit]:
                self.counts[unit] -= n
                self.counts[alt] += n
        self.counts = +self.counts
        errors = Counter()  # E_T: the misreadings of T (for T == "": all insertions)
        for (T, _), n in self.counts.items():
            errors[T] += n
        singles = sorted(n for T, n in errors.items() if len(T) == 1)
        e_med = singles[len(singles) // 2] if singles else 1
        scale = math.log((e_med + K * self.alphabet) / K)  # S: unseen reading of a median char -> 1.0
        self.costs = {}
        for (T, R), n in self.counts.items():
            if n >= MIN_COUNT:
                p = (n + K) / (errors[T] + K * self.alphabet)
                self.costs[(T, R)] = round(min(1.0, -math.log(p) / scale), 3)

    def unit_cost(self, T: str, R: str) -> float:
        c = self.costs.get((T, R))
        return flat_cost(T, R) if c is None else c

    def table(self, built: dict) -> dict:
        sub, ins, dele = {}, {}, {}
        for (T, R), c in sorted(self.costs.items()):
            if c >= 1.0:
                continue
            if T == "":
                ins[R] = c
            elif R == "":
                dele[T] = c
            else:
                sub.setdefault(T, {})[R] = c
        return {"version": VERSION, "built": built, "sub": sub, "ins": ins, "del": dele,
                "default": {"sub": 1.0, "ins": 1.0, "del": 1.0}}


# ------------------------------------------------------------------ documents, scans, OCR


def make_docs(n: int, seed: int) -> tuple[list[dict], str | None, set[str]]:
    """n documents of the tune split, HARD_SHARE of them hard; (docs, split, ids of the hard ones)."""
    from tools.synth.varied import make_documents

    n_hard = round(n * HARD_SHARE)
    docs = make_documents(n - n_hard, seed=seed, split="tune")
    hard = make_documents(n_hard, seed=seed, hard=True, split="tune") if n_hard else []
    return docs + hard, "tune", {d["doc_id"] for d in hard}


def render(docs: list[dict], folder: Path, seed: int) -> dict[str, list[str]]:
    """Render every document not yet in folder; {doc_id: true text of each page as rendered}."""
    from tools.synth.render import render_document
    folder.mkdir(parents=True, exist_ok=True)
    gold_file = folder.parent / "gold.json"
    gold = json.loads(gold_file.read_text(encoding="utf-8")) if gold_file.exists() else {}

    def one(i_doc):
        i, doc = i_doc
        key = hashlib.sha256(json.dumps([doc["format"], doc["look"], doc["pages"], seed + i], sort_keys=True,
                                        ensure_ascii=False).encode()).hexdigest()[:16]
        old = gold.get(doc["doc_id"])
        if old and old["key"] == key and (folder / f"{doc['doc_id']}.{doc['format']}").exists():
            return doc["doc_id"], old
        _, pages = render_document(doc, folder, seed + i)
        return doc["doc_id"], {"key": key, "pages": pages}

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        gold = dict(pool.map(one, enumerate(docs)))
    for p in folder.iterdir():  # scans of an earlier document set would be read too
        if p.stem not in gold:
            p.unlink()
    gold_file.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return {did: g["pages"] for did, g in gold.items()}


def run_ocr(folder: Path, out: Path, doc_ids: list[str]) -> dict[str, dict]:
    """`telegrams run folder --out out` (results still current are skipped); {doc_id: ocr.json}."""
    from pipeline.context import doc_id_for

    exe = Path(sys.executable).with_name("telegrams")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.run(cmd + ["run", str(folder), "--out", str(out), "--no-prefect",
                                 "--jobs", str(os.cpu_count() or 1)], check=False, env=env, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"telegrams run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    texts = {}
    for p in folder.iterdir():
        did = doc_id_for(p)
        if did in doc_ids and (out / did / "ocr.json").exists():
            texts[p.stem] = json.loads((out / did / "ocr.json").read_text(encoding="utf-8"))
    return texts


def page_pairs(gold_pages: list[str], ocr_text: str) -> list[tuple[str, str]]:
    read_pages = ocr_text.split("\f")
    if len(read_pages) == len(gold_pages):
        return [(norm(g), norm(r)) for g, r in zip(gold_pages, read_pages)]
    return [(norm(" ".join(gold_pages)), norm(" ".join(read_pages)))]


def reread_pairs(gold_pages: list[str], ocr: dict) -> list[tuple[str, str]]:
    """(true token, Tesseract's own reading) for every word the OCR stage re-read ("16/ХТТ" ->
    "16/XII"): the extract stage sees such readings whenever the re-read does not fire. The true
    token is the one nearest the re-read text."""
    tokens = [norm(tok) for page in gold_pages for tok in page.split()]
    out = []
    for w in ocr.get("words", []):
        raw = w.get("tesseract")
        if not raw or raw == w["text"] or not tokens:
            continue
        fixed = norm(w["text"])
        tok = min(tokens, key=lambda x: Levenshtein.normalized_distance(fixed, x))
        if Levenshtein.normalized_distance(fixed, tok) <= 0.34:
            out.append((tok, norm(raw)))
    return out


def tesseract_version() -> str:
    try:
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False).stdout
        return out.split("\n", 1)[0].replace("tesseract", "").strip()
    except OSError:
        return "unknown"


# ------------------------------------------------------------------ more sources: bare Tesseract, line re-reads

REREAD_LINES = 3     # lines re-read a page (about 1 CPU-second a line)
LINE_MATCH = 0.3     # an OCR line is matched to the true line at most this normalised distance away
MAX_LINE_DIST = 0.35  # a re-read line further off its true line (a crop of the wrong line) is not learned from
FIRST = re.compile(r"№|\d[./]\S|\b[ivxlc]{1,4}\b")  # lines re-read first: dates, Roman months, '№'
NEXT = re.compile(r"\d{3,}")  # then long numbers, then any line with a digit


def _cached(path: Path, key: str, compute):
    """compute()'s JSON-able result, kept in path under key; recomputed when the key changed."""
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            if old.get("key") == key:
                return old["value"]
        except (OSError, ValueError):
            pass
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"key": key, "value": value}, ensure_ascii=False), encoding="utf-8")
    return value


def _scan(folder: Path, did: str) -> Path | None:
    return next((p for p in folder.iterdir() if p.stem == did), None)


def bare_texts(folder: Path, cache: Path, keys: dict[str, str]) -> dict[str, str]:
    """{doc_id: plain pytesseract (lang rus) text of the raw scan, pages joined by form feeds}."""
    import pytesseract

    from pipeline.images import load_pages

    def one(did):
        path = _scan(folder, did)
        if path is None:
            return did, None
        text = _cached(cache / f"{did}.json", keys[did] + "/bare-rus",
                       lambda: "\f".join(pytesseract.image_to_string(p[:, :, ::-1], lang="rus")
                                         for p in load_pages(path)))
        return did, text

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        return {did: t for did, t in pool.map(one, sorted(keys)) if t is not None}


def bare_pairs(gold_pages: list[str], text: str) -> list[tuple[str, str]]:
    """(true line, bare line) for every line bare Tesseract read that is near a true line of its
    page (LINE_MATCH). Line by line, not page by page: a bare read of the raw scan drops lines,
    garbles stamps and reads sideways pages as noise, and Levenshtein would pair the true text
    of such stretches with stray chars of the noise."""
    read_pages = text.split("\f")
    if len(read_pages) != len(gold_pages):
        read_pages, gold_pages = ["\n".join(read_pages)], ["\n".join(gold_pages)]
    out = []
    for g, r in zip(gold_pages, read_pages):
        gold = [norm(x) for x in g.split("\n") if x.strip()]
        for line in r.split("\n"):
            true = true_line(line, gold)
            if true is not None:
                out.append((true, norm(line)))
    return out


def ocr_lines(ocr: dict) -> list[dict]:
    """The page OCR's lines: [{page, text, bbox (cleaned-page pixels)}] in reading order."""
    lines: dict[tuple, list[dict]] = {}
    for w in ocr.get("words", []):
        lines.setdefault((w["page"], tuple(w["line"])), []).append(w)
    return [{"page": page, "text": " ".join(w["text"] for w in ws),
             "bbox": [min(w["bbox"][0] for w in ws), min(w["bbox"][1] for w in ws),
                      max(w["bbox"][2] for w in ws), max(w["bbox"][3] for w in ws)]}
            for (page, _), ws in lines.items()]


def true_line(read: str, gold_lines: list[str]) -> str | None:
    """The true line (normalised) nearest the OCR line read, if near enough."""
    read = norm(read)
    if not read or not gold_lines:
        return None
    best = min(gold_lines, key=lambda g: Levenshtein.normalized_distance(read, g))
    return best if Levenshtein.normalized_distance(read, best) <= LINE_MATCH else None


def pick_lines(gold_pages: list[str], ocr: dict, per_page: int) -> list[dict]:
    """Up to per_page OCR lines a page whose true line holds a digit (dates, Roman months and
    long numbers first), each with its true line: [{page, bbox, true, want}]."""
    by_page: dict[int, list[dict]] = {}
    for ln in ocr_lines(ocr):
        page = int(ln["page"])
        if not 1 <= page <= len(gold_pages):
            continue
        gold = [norm(g) for g in gold_pages[page - 1].split("\n") if g.strip()]
        true = true_line(ln["text"], gold)
        if true is None or not any(ch.isdigit() for ch in true):
            continue
        want = "digits" if "№" in true else "date"
        by_page.setdefault(page, []).append({"page": page, "bbox": ln["bbox"], "true": true, "want": want})
    out = []
    for page, cands in sorted(by_page.items()):
        cands.sort(key=lambda c: 0 if FIRST.search(c["true"]) else 1 if NEXT.search(c["true"]) else 2)
        out += cands[:per_page]  # a stable sort: in reading order within a tier
    return out


def reread_texts(folder: Path, out: Path, cache: Path, gold: dict[str, list[str]], ocrs: dict[str, dict],
                 keys: dict[str, str], per_page: int) -> dict[str, list[dict]]:
    """{doc_id: [{page, true, want, readings: [{variant, text}]}]}: the picked lines read again by
    pipeline.reread on the OCR'd output folder."""
    from pipeline.context import DocContext
    from pipeline import reread

    variants = json.dumps(reread.VARIANTS, sort_keys=True)
    vkey = hashlib.sha256((variants + inspect.getsource(reread)).encode()).hexdigest()[:12]

    def one(did):
        path = _scan(folder, did)
        if path is None:
            return did, []
        ocr_key = hashlib.sha256(json.dumps(ocrs[did].get("words", []), sort_keys=True).encode()).hexdigest()[:12]

        def compute():
            ctx = DocContext(did, path, out)
            res = []
            for ln in pick_lines(gold[did], ocrs[did], per_page):
                rs = reread.reread(ctx, ln["page"], ln["bbox"], ln["want"])
                res.append({**ln, "readings": [{"variant": r["variant"], "text": r["text"]} for r in rs]})
            return res

        return did, _cached(cache / f"{did}.json", f"{keys[did]}/{ocr_key}/{per_page}/{vkey}", compute)

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        return dict(pool.map(one, sorted(d for d in keys if d in ocrs)))


def line_pairs(lines: list[dict]) -> list[tuple[str, str]]:
    return [(ln["true"], norm(r["text"])) for ln in lines for r in ln["readings"]]


# ------------------------------------------------------------------ main


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=120, help="documents (80 %% mild, 20 %% hard)")
    ap.add_argument("--seed", type=int, default=7000)
    ap.add_argument("--lines", type=int, default=REREAD_LINES, help="lines re-read a page (0: no re-reads)")
    ap.add_argument("--out", type=Path, default=DATA / "confusion.json")
    ap.add_argument("--work", type=Path, help="keep scans and OCR here (default: a temporary folder)")
    args = ap.parse_args(argv)

    os.environ["OMP_THREAD_LIMIT"] = "1"  # one thread per Tesseract: several times faster here
    t0 = time.perf_counter()
    docs, split, hard_ids = make_docs(args.n, args.seed)
    work = args.work or Path(tempfile.mkdtemp(prefix="confusion-"))
    try:
        gold = render(docs, work / "scans", args.seed)
        keys = {did: g["key"] for did, g in json.loads((work / "gold.json").read_text(encoding="utf-8")).items()}
        t1 = time.perf_counter()
        print(f"{len(docs)} documents rendered ({t1 - t0:.0f} s); OCR ...", flush=True)
        texts = run_ocr(work / "scans", work / "out", list(gold))
        t2 = time.perf_counter()
        print(f"{len(texts)} documents read ({t2 - t1:.0f} s); bare Tesseract ...", flush=True)
        bare = bare_texts(work / "scans", work / "bare", keys)
        t3 = time.perf_counter()
        print(f"{len(bare)} documents read by bare Tesseract ({t3 - t2:.0f} s); line re-reads ...", flush=True)
        lines = reread_texts(work / "scans", work / "out", work / "reread", gold, texts, keys, args.lines) \
            if args.lines > 0 else {}
        t4 = time.perf_counter()
        print(f"{sum(map(len, lines.values()))} lines re-read ({t4 - t3:.0f} s)", flush=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    missing = sorted(set(gold) - set(texts))
    if missing:
        print(f"warning: no OCR text for {len(missing)} documents: {', '.join(missing[:5])}",
              file=sys.stderr)
    sources = {
        "ocr": [p for did in gold if did in texts for p in page_pairs(gold[did], texts[did]["text"])],
        "ocr_rereads": [p for did in gold if did in texts for p in reread_pairs(gold[did], texts[did])],
        "bare": [p for did in gold if did in bare for p in bare_pairs(gold[did], bare[did])],
        "reread": [p for did in gold for p in line_pairs(lines.get(did, []))],
    }
    # A reading too far from its truth (a crop of the wrong line, a garbled stamp) would only
    # teach noise: lines past these distances are left out.
    limit = {"ocr": 1.0, "ocr_rereads": 1.0, "bare": LINE_MATCH, "reread": MAX_LINE_DIST}
    dropped = {}
    for name, pairs in sources.items():
        kept = [(t, r) for t, r in pairs if Levenshtein.normalized_distance(t, r) <= limit[name]]
        dropped[name] = len(pairs) - len(kept)
        sources[name] = kept

    model = Model([p for pairs in sources.values() for p in pairs])
    model.fit(unambiguous=True)
    for _ in range(PASSES - 1):
        model.fit(model.unit_cost)
    stats = {}
    for name, pairs in sources.items():
        chars = sum(len(t) for t, _ in pairs)
        errors = sum(Levenshtein.distance(t, r) for t, r in pairs)
        stats[name] = {"pairs": len(pairs), "dropped": dropped[name], "chars": chars, "edits": errors,
                       "cer": round(errors / max(1, chars), 4)}
    table = model.table({"n_docs": len(texts), "hard": len(hard_ids & set(texts)), "seed": args.seed, "split": split,
                         "chars_aligned": sum(s["chars"] for s in stats.values()),
                         "rereads": len(sources["ocr_rereads"]), "lines_per_page": args.lines,
                         "sources": {name: {"chars": s["chars"], "pairs": s["pairs"]} for name, s in stats.items()},
                         "tesseract": tesseract_version()})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dumps(table), encoding="utf-8")

    n_entries = sum(map(len, table["sub"].values())) + len(table["ins"]) + len(table["del"])
    for name, st in stats.items():
        print(f"{name:12} {st['pairs']:5d} pairs ({st['dropped']} too far off, left out), "
              f"{st['chars']:7d} chars aligned, CER {st['cer']:.4f} ({st['edits']} edits)")
    print(f"{model.skipped} chars in long regions not learned from; {time.perf_counter() - t0:.0f} s")
    print(f"{args.out}: {n_entries} entries, {args.out.stat().st_size} bytes")
    print("commonest confusions (true -> read: count, cost):")
    for (T, R), n in model.counts.most_common(40):
        c = model.costs.get((T, R), 1.0)
        print(f"  {T!r:>7} -> {R!r:<7} {n:5d}  {c:.3f}")


def dumps(table: dict) -> str:
    """JSON with one line per table row, so a rebuild diffs readably."""
    lines = ["{"]
    for key in ("version", "built", "default"):
        lines.append(f" {json.dumps(key)}: {json.dumps(table[key], ensure_ascii=False)},")
    for key in ("ins", "del"):
        lines.append(f" {json.dumps(key)}: {json.dumps(table[key], ensure_ascii=False, sort_keys=True)},")
    lines.append(' "sub": {')
    rows = [f"  {json.dumps(t, ensure_ascii=False)}: {json.dumps(r, ensure_ascii=False, sort_keys=True)}"
            for t, r in sorted(table["sub"].items())]
    lines.append(",\n".join(rows))
    lines.append(" }")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
