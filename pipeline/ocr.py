"""Stage 2, ocr: Tesseract (rus) through pytesseract on each cleaned page.

Writes ocr.json: the document text (lines joined by newlines, pages by form feeds) and every
word with its confidence, its box on the cleaned page and in source pixels, and its char span
in that text, so later stages can point from a value back to the page.
"""

import os
import shutil
from pathlib import Path

import cv2

from .clean import to_source
from .context import DocContext, read_json, write_json
from .errors import EnvironmentProblem

VERSION = "ocr-1"
LANG = "rus"
# psm 6 (one uniform block) read these typed forms better than the default automatic layout.
CONFIG = "--psm 6 --oem 1"

# Tesseract's OpenMP threading is several times slower than one thread on small machines;
# we parallelise across pages instead. Child processes inherit this.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def check_tesseract() -> str:
    """Tesseract's version, or EnvironmentProblem with what to install."""
    import pytesseract

    if not shutil.which("tesseract"):
        raise EnvironmentProblem("tesseract not found: apt-get install tesseract-ocr tesseract-ocr-rus (or run `make setup`)")
    if LANG not in pytesseract.get_languages(config=""):
        raise EnvironmentProblem("Tesseract has no 'rus' data: apt-get install tesseract-ocr-rus")
    return str(pytesseract.get_tesseract_version()).split()[0]


def model_sha256() -> str | None:
    """sha256 of the rus.traineddata Tesseract uses, for result.json versions."""
    import hashlib
    import subprocess

    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    first = out.splitlines()[0] if out else ""
    folder = first.split('"')[1] if '"' in first else None
    path = Path(folder) / f"{LANG}.traineddata" if folder else None
    if not path or not path.exists():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_words(grey, config: str = CONFIG) -> list[dict]:
    """Words of one page image with confidence and box, grouped by Tesseract's lines."""
    import pytesseract

    d = pytesseract.image_to_data(grey, lang=LANG, config=config, output_type=pytesseract.Output.DICT)
    words = []
    for i, text in enumerate(d["text"]):
        text = text.strip()
        if not text:
            continue
        x, y, w, h = d["left"][i], d["top"][i], d["width"][i], d["height"][i]
        words.append({"text": text, "conf": float(d["conf"][i]), "bbox": [x, y, x + w, y + h],
                      "line": (d["block_num"][i], d["par_num"][i], d["line_num"][i])})
    return words


def assemble(pages_words: list[list[dict]]) -> str:
    """Join words into the document text, giving each word its [start, end) span in it."""
    parts, pos = [], 0
    for p, words in enumerate(pages_words):
        if p:
            parts.append("\f")
            pos += 1
        last = None
        for w in words:
            if last is not None:
                sep = " " if w["line"] == last else "\n"
                parts.append(sep)
                pos += 1
            w["start"], w["end"] = pos, pos + len(w["text"])
            parts.append(w["text"])
            pos = w["end"]
            last = w["line"]
    return "".join(parts)


def ocr(ctx: DocContext) -> Path:
    """Stage entry: OCR every cleaned page listed in clean.json; write ocr.json."""
    cleaned = read_json(ctx.clean_json)
    pages_words, pages = [], []
    for page in cleaned["pages"]:
        grey = cv2.imread(str(ctx.artifact(page["image"])), cv2.IMREAD_GRAYSCALE)
        words = read_words(grey)
        for w in words:
            w["box"] = to_source(page["matrix"], w["bbox"])
            w["page"] = page["number"]
        pages_words.append(words)
        confs = [w["conf"] for w in words if w["conf"] >= 0]
        pages.append({"number": page["number"], "confidence": round(sum(confs) / len(confs), 1) if confs else 0.0})
    text = assemble(pages_words)
    for words in pages_words:
        for w in words:
            w["line"] = list(w["line"])
    return write_json(ctx.ocr_json, {"version": VERSION, "config": CONFIG, "text": text,
                                     "pages": pages, "words": [w for ws in pages_words for w in ws]})
