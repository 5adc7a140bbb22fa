"""The split step: where in a multi-page file one telegram ends and the next begins.

An archival file ("дело") scanned as one PDF or TIFF holds many telegrams, with a cover sheet
or an inventory between them. After the file's pages are cleaned and read, each page gets cues
from its own OCR text, found by the extraction's grammar parts (so a misread word is priced by
the learned confusion model, never listed):

- the opening of a telegram in the page's first lines, above its running text: the printed
  form's words, a sent or received line, "Из X", a reference number, "тов. СТАЛИНУ", a
  classification line, a date;
- a continuation: a page number "- 2 -" at the top;
- a file's own sheets: the words of a cover sheet or an inventory;
- blank: almost no words.

`decide` weighs the cues (WEIGHTS) into documents. `split` is the step the runner calls: it
writes split.json beside the file's clean.json and ocr.json, and returns the documents. A
file's split is reused while its sha256 is unchanged (a rerun keeps its document ids).
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from .context import DocContext, read_json, sha256_file, write_json
from .contract import NOT_TELEGRAM

VERSION = "split-1"
TOP_LINES = 12      # a telegram's header block stands in its first lines, a file sheet's
                    # title and dates in about as many (and looking no further keeps it cheap)
DATE_LINES = 6      # ... a date alone, in the first few
BLANK_WORDS = 4     # fewer words of three letters or more: a blank page (a folio number, dust)
START = 2.0         # a page whose opening cues weigh this much begins a telegram
FILE_SHEET = 2      # distinct cover or inventory words that make a page the file's own sheet ...
FILE_WORD = 1.5     # ... when they outweigh its opening cues, each this much (a cover sheet names
                    # "Шифртелеграммы" and dates too)
# What each cue adds to the evidence that a page begins a telegram. A page number at the top
# says the page continues one.
WEIGHTS = {"form": 1.25, "marker": 1.5, "from_city": 1.0, "numero": 1.0, "address": 1.0,
           "secret": 0.5, "date": 0.5, "page_number": -3.0}


@functools.lru_cache(maxsize=1)
def parts() -> dict:
    """The grammar parts each cue is found with (built once: the lexicons load on first use)."""
    from .extract import header
    from .extract.dates import DATE
    from .extract.grammar import mark, number, seq, word
    from .extract.lexicon import group, leaders
    from .extract.numbers import NUMBERED

    return {
        "form": word(group("form_words"), limit=0.8),
        "marker": word({**group("sent_markers"), **group("received_markers")}, limit=1.2, abbrev=True),
        "from_city": header.FROM_CITY,
        "numero": NUMBERED,
        "not_own": header.NOT_OWN,
        "address": seq(word(group("comrade"), limit=0.5, abbrev=True), word(leaders(dative=True), limit=1.0),
                       gap=2, lines=0),
        "secret": word(group("secret_words"), limit=0.8),
        "date": DATE,
        "page_number": seq(mark("-–—"), number(2, 99, (1, 2), limit=0.6), mark("-–—"), gap=0, lines=0),
        "file": word(group("file_words"), limit=0.6),
    }


def page_cues(text: str) -> dict:
    """The cues of one page's OCR text (counts; see WEIGHTS)."""
    from .extract import body_lines
    from .extract.grammar import find, tokenize

    p = parts()
    toks = tokenize(text)
    words = sum(t.kind == "w" and len(t.text) >= 3 for t in toks)
    # a telegram's opening stands above its running text: on a page that continues one, the
    # running text starts at the top, and what stands below it (a sent line or a number under
    # the signature) opens nothing
    body = body_lines(toks)
    head = min(TOP_LINES, min(body, default=TOP_LINES))
    top = [t for t in toks if t.line < head]
    first = [t for t in toks if t.line < min(head, DATE_LINES)]

    def found(part, ts, limit=1.5):
        return find(part, ts, limit=limit) if ts else []

    cues = {"words": words,
            "form": len({v for _, _, v, _ in found(p["form"], top)}),
            "marker": int(bool(found(p["marker"], top, 1.0))),
            "from_city": int(bool(found(p["from_city"], top, 2.0))),
            "address": int(bool(found(p["address"], top, 2.0))),
            "secret": int(bool(found(p["secret"], top))),
            "date": int(bool(found(p["date"], first, 2.5))),
            "page_number": int(bool(found(p["page_number"], [t for t in toks if t.line < 2], 1.0))),
            "file": len({v for _, _, v, _ in found(p["file"], [t for t in toks if t.line < TOP_LINES])})}
    numbers = [s for s, _, _, _ in found(p["numero"], top, 2.0)]
    # 'приказа № 00447' is another paper's number: only the words just before a № are asked
    cues["numero"] = int(any(not found(p["not_own"], top[max(0, s - 2):s]) for s in numbers))
    return cues


def opening(cues: dict) -> float:
    """The evidence that a page begins a telegram."""
    return sum(w * min(cues.get(k, 0), 2 if k == "form" else 1) for k, w in WEIGHTS.items())


def decide(cues: list[dict]) -> list[dict]:
    """Documents from the pages' cues: [{"pages": [first, last], "kind": "telegram"|"other"}].
    A blank page joins the document before it; a file's own sheet (cover, inventory) is a
    document of its own; a page that does not open a telegram continues the one before."""
    docs: list[dict] = []
    for n, c in enumerate(cues, 1):
        sheet = c["file"] >= FILE_SHEET and FILE_WORD * c["file"] >= opening(c)
        opens = opening(c) >= START and not sheet
        if not docs or opens or sheet:
            docs.append({"pages": [n, n], "kind": "other" if sheet else "telegram"})
        elif c["words"] < BLANK_WORDS or docs[-1]["kind"] == "telegram" or c["file"]:
            docs[-1]["pages"][1] = n   # blank, a telegram's next sheet, a file sheet's next one
        else:
            docs.append({"pages": [n, n], "kind": "telegram"})  # after a cover: its opening unread
    return docs


def split(ctx: DocContext, force: bool = False) -> list[dict]:
    """The file's documents, from its ocr.json; split.json records them with each page's cues.
    An earlier split of the same bytes is reused (unless force), so document ids stay put."""
    path = ctx.artifact("split.json")
    sha = sha256_file(Path(ctx.source))
    if not force and path.exists():
        try:
            old = read_json(path)
            if old.get("sha256") == sha and old.get("documents"):
                return old["documents"]
        except (OSError, ValueError):
            pass
    cues = [page_cues(t) for t in read_json(ctx.ocr_json)["text"].split("\f")]
    docs = decide(cues)
    record(ctx, docs, pages=[{"number": i, **c, "opening": round(opening(c), 2)} for i, c in enumerate(cues, 1)])
    return docs


def record(ctx: DocContext, docs: list[dict], **more) -> None:
    """split.json: the file's documents and their ids, for the file's bytes (its sha256)."""
    write_json(ctx.artifact("split.json"), {"version": VERSION, "sha256": sha256_file(Path(ctx.source)),
                                            "documents": docs, "ids": doc_ids(ctx, docs), **more})


# ---------------------------------------------------------------- documents of a split file

def doc_ids(ctx: DocContext, docs: list[dict]) -> list[str]:
    """SPEC: the plain id for a file that yields one document, else <id>-pNNN (its first page)."""
    return [ctx.doc_id] if len(docs) == 1 else [f"{ctx.doc_id}-p{d['pages'][0]:03d}" for d in docs]


def _renumber(name: str, old: int, new: int) -> str:
    return name.replace(f"page-{old:03d}", f"page-{new:03d}")


def _link(src: Path, dst: Path) -> None:
    """dst as a hard link to src (a copy across filesystems); stages replace files whole, so a
    later rerun of the document never writes through into the file's folder."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.unlink(missing_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def materialise(ctx: DocContext, docs: list[dict], ids: list[str]) -> list[DocContext]:
    """Each document of the file as a context of its own: its pages of the file's clean.json and
    ocr.json, renumbered from 1, and their page images, so extract, write and any rerun of it
    work as on a file of its own (clean and ocr of it read only its pages of the file)."""
    from .ocr import assemble

    cleaned, ocred = read_json(ctx.clean_json), read_json(ctx.ocr_json)
    by_page: dict[int, list] = {}
    for w in ocred["words"]:
        by_page.setdefault(w["page"], []).append(w)
    children = []
    for doc, doc_id in zip(docs, ids):
        first, last = doc["pages"]
        shift = first - 1
        child = DocContext(doc_id, ctx.source, ctx.out, {**ctx.options, "pages_in_file": [first, last],
                                                          "not_telegram": doc["kind"] == "other"})
        for stale in ("pages", "alto"):  # an earlier document of this id may have had other pages
            shutil.rmtree(child.artifact(stale), ignore_errors=True)
        child.dir.mkdir(parents=True, exist_ok=True)
        pages = []
        for p in cleaned["pages"][first - 1:last]:
            p = {**p, "number": p["number"] - shift}
            for key in ("image", "grey_image"):
                if p.get(key):
                    new = _renumber(p[key], p["number"] + shift, p["number"])
                    _link(ctx.artifact(p[key]), child.artifact(new))
                    p[key] = new
            pages.append(p)
        write_json(child.clean_json, {**cleaned, "pages": pages})
        words = [[{**w, "page": n - shift} for w in by_page.get(n, [])] for n in range(first, last + 1)]
        text = assemble(words)
        opages = [{**p, "number": p["number"] - shift, "image": _renumber(p["image"], p["number"], p["number"] - shift)}
                  for p in ocred["pages"][first - 1:last]]
        write_json(child.ocr_json, {**ocred, "text": text, "pages": opages, "words": [w for ws in words for w in ws]})
        children.append(child)
    return children


def retire(out: Path, ids: list[str], keep_folder: str | None = None) -> None:
    """Move superseded documents to OUT/.retired/ with their review.json; `keep_folder`: a
    document whose folder stays as its file's working folder (only its result, review and
    PDF move)."""
    for doc_id in ids:
        src = Path(out) / doc_id
        if not (src / "result.json").exists() and not (src / "review.json").exists():
            continue
        dst = Path(out) / ".retired" / doc_id
        k = 1
        while dst.exists():
            k += 1
            dst = Path(out) / ".retired" / f"{doc_id}.{k}"
        dst.parent.mkdir(parents=True, exist_ok=True)
        if doc_id == keep_folder:
            dst.mkdir()
            for name in ("result.json", "review.json", f"{doc_id}.pdf", "extract.json"):
                if (src / name).exists():
                    (src / name).rename(dst / name)
        else:
            shutil.move(str(src), str(dst))


def previous_ids(ctx: DocContext) -> dict[str, dict]:
    """The documents the file's last split made, whatever its bytes were then ({id: {"pages",
    "kind"}}), and the file's plain id when its folder holds a document (pages None when that
    document failed before any split)."""
    out = {}
    try:
        old = read_json(ctx.artifact("split.json"))
        out = {i: {"pages": d["pages"], "kind": d["kind"]} for i, d in zip(old.get("ids", []), old.get("documents", []))}
    except (OSError, ValueError, KeyError):
        pass
    if ctx.doc_id not in out and ctx.result_json.exists():
        try:
            r = read_json(ctx.result_json)
            kind = "other" if NOT_TELEGRAM in r.get("warnings", []) else "telegram"
            out[ctx.doc_id] = {"pages": r.get("source", {}).get("pages_in_file"), "kind": kind}
        except (OSError, ValueError):
            out[ctx.doc_id] = {"pages": None, "kind": "telegram"}
    return out


def keep_whole(ctx: DocContext, docs: list[dict]) -> None:
    """run --no-split: split.json records the file as one document, so later runs see it so."""
    record(ctx, docs, kept_whole=True)


def stored_ids(ctx: DocContext, sha: str) -> list[str]:
    """The documents of the file's stored split when it was made from these bytes, else the
    file's plain id."""
    try:
        s = read_json(ctx.artifact("split.json"))
        if s.get("sha256") == sha and s.get("ids"):
            return list(s["ids"])
    except (OSError, ValueError):
        pass
    return [ctx.doc_id]


def record_seconds(ctx: DocContext, seconds: float) -> None:
    """The split's own cost (deciding and sharing out the artifacts) in split.json."""
    path = ctx.artifact("split.json")
    try:
        write_json(path, {**read_json(path), "seconds": round(seconds, 3)})
    except (OSError, ValueError):
        pass
