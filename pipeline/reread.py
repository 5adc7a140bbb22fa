"""Read one text line of a cleaned page again, several ways, when the extraction grammar cannot
parse what the page's OCR gave for it.

`reread(ctx, page, bbox, want)` crops the line (padded: Tesseract reads a line with a white
margin best), reads the crop as one text line (psm 7) in a few variants and returns every
reading; the caller parses each and keeps what its grammar accepts. Variants: the rus model on
the crop as it is, scaled 1.5x and 2x (Tesseract's binarisation and the LSTM's input scaling
then cut the glyphs differently); rus+eng, whose Latin I, V and X may read a Roman month;
Tesseract's Cyrillic script model (another network, trained on more fonts); and the same line
cut from the source scan (whose faint strokes no cleaning touched): the source page warped through clean.json's source->clean
matrix, so the crop lands on the same cleaned-page pixels. Six variants a line; `reread_many`
reads the variants of several lines with one Tesseract process per language (a process costs
0.1-0.4 s to start and load rus+eng or Cyrillic, more than a line takes to read), which halved
the re-reads' time on 20 held-out documents with the same readings.

Readings are Tesseract's text as it is: a Roman month comes out as rus reads it ('4.11.1938',
'10.\\УТТ.1937'), as Latin letters from rus+eng ('8.VII.1937') or with the Ukrainian 'І'
(U+0406) from the Cyrillic model ('4.ІІ.1938'); the caller's grammar maps those.

It never raises on a bad crop (a box off the page, a missing page image or source scan, a
Tesseract error or timeout): a variant that cannot run is left out, and [] means nothing read.
"""

import functools
import logging
import re
from pathlib import Path

import cv2
import numpy as np

from . import tesseract
from .context import DocContext, read_json
from .images import PDF_DPI, to_grey

log = logging.getLogger(__name__)

CONFIG = "--psm 7 --oem 1"  # one text line, LSTM only
TIMEOUT = 5          # s per Tesseract call; a line crop takes 0.1-0.5 s
PAD_Y = 0.4          # line heights above and below the box
PAD_X = 0.6          # line heights left and right of the box (a digit the page OCR cut off)
BORDER = 10          # px of white margin around the crop
MAX_CROP_PIXELS = 3_000_000  # a crop (after scaling) larger than this is no line: that variant is skipped
SOURCE_BLUR = 0.8    # sigma, px: the scan's grain and sensor noise smoothed. On 110 lines with digits of 16
# rendered pages (10 hard): mean CER of the source variant 0.059 unblurred, 0.025 at 0.8, 0.033 at 1.2
CYRILLIC = ("Cyrillic", "script/Cyrillic")  # Debian's tesseract-ocr-script-cyrl; the tessdata repos' layout

# want -> variants, each (language, scale, image); image "clean" is the cleaned page, "source"
# the scan warped onto the cleaned page's pixels. Measured on 110 lines with digits of 16
# rendered pages (10 hard, tools/synth/varied.py): mean CER per variant 0.019-0.026, the
# source's 0.025; the best of the six readings 0.003 against the page OCR's 0.009. rus+eng
# read the most lines' figures right (rus reads many a 0 as 9, '600' -> '609'); eng alone
# garbles Russian words into digits on a whole line, but on a box around one number it read
# 68 of 69 figures right at 2x (rus 58 at 1x): hence it is in "digits" only.
VARIANTS = {
    "any": [("rus", 1, "clean"), ("rus", 1.5, "clean"), ("rus", 2, "clean"),
            ("rus+eng", 1, "clean"), ("cyrillic", 1, "clean"), ("rus", 1, "source")],
    "date": [("rus", 1, "clean"), ("rus", 1.5, "clean"), ("rus", 2, "clean"),
             ("rus+eng", 1, "clean"), ("rus+eng", 2, "clean"), ("rus", 1, "source")],
    "digits": [("rus", 1, "clean"), ("rus", 2, "clean"), ("rus+eng", 1, "clean"),
               ("rus+eng", 2, "clean"), ("eng", 2, "clean"), ("rus", 1, "source")],
    "text": [("rus", 1, "clean"), ("rus", 1.5, "clean"), ("rus", 2, "clean"),
             ("cyrillic", 1, "clean"), ("cyrillic", 2, "clean"), ("rus", 1, "source")],
}


def lang_name(lang: str) -> str | None:
    """The -l argument for a variant's language, or None when its data is not installed."""
    have = tesseract.languages()
    if lang == "cyrillic":
        return next((name for name in CYRILLIC if name in have), None)
    return lang if all(part in have for part in lang.split("+")) else None


# ---------------------------------------------------------------- images

@functools.lru_cache(maxsize=2)
def _page_image(path: str, mtime_ns: int, size: int) -> np.ndarray | None:
    return cv2.imread(path, cv2.IMREAD_GRAYSCALE)


def cleaned_page(path: Path) -> np.ndarray | None:
    """The cleaned page as grey; cached (the next line is mostly on the same page), keyed by
    the file's mtime and size so a page the ocr stage turned and rewrote is read again."""
    st = path.stat()
    return _page_image(str(path), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=2)
def _source_page(path: str, mtime_ns: int, size: int, index: int) -> np.ndarray | None:
    """One page of the scan as BGR, as the clean stage loaded it (a PDF page at PDF_DPI)."""
    from PIL import Image

    with open(path, "rb") as f:
        pdf = f.read(5) == b"%PDF-"
    if pdf:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(path)
        if index >= len(doc):
            return None
        rgb = np.asarray(doc[index].render(scale=PDF_DPI / 72).to_pil().convert("RGB"))
    else:
        with Image.open(path) as im:
            im.seek(index)  # EOFError past the last frame
            rgb = np.asarray(im.convert("RGB"))
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def source_crop(ctx: DocContext, page: dict, box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The scan's pixels under a box of the cleaned page, warped onto that box's pixels (crop,
    turn, deskew and scale as the clean stage did), grey with coloured ink faded; None when
    the scan is not where the context says. Slightly blurred (SOURCE_BLUR) against its grain."""
    source = Path(ctx.source)
    if not source.is_file() or "matrix" not in page:
        return None
    st = source.stat()
    bgr = _source_page(str(source), st.st_mtime_ns, st.st_size, ctx.file_page(int(page["number"])) - 1)
    if bgr is None:
        return None
    x0, y0, x1, y1 = box
    m = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], float) @ np.asarray(page["matrix"], float)
    crop = cv2.warpAffine(bgr, m[:2], (x1 - x0, y1 - y0), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return cv2.GaussianBlur(to_grey(crop), (0, 0), SOURCE_BLUR)


def line_box(bbox, shape) -> tuple[int, int, int, int] | None:
    """The box padded by PAD_Y line heights above and below and PAD_X left and right, clamped
    to the image; None when nothing of it is on the image."""
    x0, y0, x1, y1 = (float(v) for v in bbox)
    if not all(np.isfinite([x0, y0, x1, y1])) or x1 <= x0 or y1 <= y0:
        return None
    h = y1 - y0
    py, px = PAD_Y * h, PAD_X * h
    H, W = shape[:2]
    box = (max(0, int(x0 - px)), max(0, int(y0 - py)), min(W, int(np.ceil(x1 + px))), min(H, int(np.ceil(y1 + py))))
    return box if box[2] - box[0] >= 2 and box[3] - box[1] >= 2 else None


# ---------------------------------------------------------------- reading

def _crop(ctx, page: dict, grey, box, lang: str, scale: float, image: str) -> tuple[str, np.ndarray] | None:
    """A variant's image of the line and the -l name to read it with; None when it cannot be made."""
    name = lang_name(lang)
    if name is None:
        return None
    x0, y0, x1, y1 = box
    if (x1 - x0 + 2 * BORDER) * (y1 - y0 + 2 * BORDER) * scale * scale > MAX_CROP_PIXELS:
        return None
    if image == "source":
        crop = source_crop(ctx, page, box)
        if crop is None:
            return None
        paper = int(np.percentile(crop, 90))  # the scan's own paper, not white
    else:
        crop, paper = grey[y0:y1, x0:x1], 255
    crop = cv2.copyMakeBorder(crop, BORDER, BORDER, BORDER, BORDER, cv2.BORDER_CONSTANT, value=paper)
    if scale != 1:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return name, crop


def _reading(d: dict, name: str, box, scale: float, image: str) -> dict | None:
    """A variant's reading from Tesseract's data, boxes back in cleaned-page pixels."""
    x0, y0 = box[0], box[1]
    words = []
    for i, text in enumerate(d["text"]):
        text = str(text).strip()
        if not text:
            continue
        x, y, w, h = d["left"][i], d["top"][i], d["width"][i], d["height"][i]
        words.append({"text": text, "conf": float(d["conf"][i]),
                      "bbox": [round(x / scale - BORDER + x0), round(y / scale - BORDER + y0),
                               round((x + w) / scale - BORDER + x0), round((y + h) / scale - BORDER + y0)]})
    text = re.sub(r"\s+", " ", " ".join(w["text"] for w in words)).strip()
    if not text:
        return None
    confs = [w["conf"] for w in words if w["conf"] >= 0]
    label = f"{name}/psm7/x{scale:g}" + ("/source" if image == "source" else "")
    return {"text": text, "conf": round(sum(confs) / len(confs), 1) if confs else 0.0,
            "variant": label, "tesseract": tesseract.version(), "words": words}


def reread(ctx: DocContext, page: int, bbox: list[int], want: str = "any", image: str | None = None) -> list[dict]:
    """Every reading of the line of cleaned page `page` (1-based) around `bbox` (cleaned-page
    pixels x0, y0, x1, y1), one per variant that read something:
    [{"text", "conf" (mean word confidence 0-100), "variant" ('rus/psm7/x1.5'),
      "tesseract" (its version), "words" ([{"text", "conf", "bbox" in cleaned-page pixels}])}].
    `want` picks the variants (VARIANTS): "any"; "date" (rus+eng at 1x and 2x, no Cyrillic);
    "digits" (rus+eng twice and eng at 2x, which suits a box around one number: on a whole
    line it reads Russian words as digits); "text" (the Cyrillic model twice, no rus+eng).
    `image`: the page image the OCR read (ocr.json's page "image"; the cleaned one when None).
    [] when the box is off the page, the page or its image is missing, or nothing was read."""
    return reread_many(ctx, [(page, bbox, want, image)])[0]


def reread_many(ctx: DocContext, lines: list[tuple]) -> list[list[dict]]:
    """`reread` for several lines, (page, bbox, want, image) each, with one Tesseract process
    per language for all of them (a process costs 0.1-0.4 s to start and load its model, more
    than reading a line): the same images and settings, so the same readings as one call each."""
    try:
        pages = {int(p.get("number", 0)): p for p in read_json(ctx.clean_json)["pages"]}
    except Exception:
        return [[] for _ in lines]
    jobs = []   # (line, variant, -l name, scale, image, box, crop)
    for k, (page, bbox, want, image) in enumerate(lines):
        try:
            entry = pages.get(int(page))
            if entry is None:
                continue
            grey = cleaned_page(ctx.artifact(image or entry["image"]))
            box = line_box(bbox, grey.shape) if grey is not None else None
            if box is None:
                continue
        except Exception:
            continue
        for v, (lang, scale, img) in enumerate(VARIANTS.get(want, VARIANTS["any"])):
            try:
                made = _crop(ctx, entry, grey, box, lang, scale, img)
            except Exception as e:  # a damaged scan: that variant gives nothing
                log.debug("reread %s page %s %s: %s x%s on %s: %s", ctx.doc_id, page, bbox, lang, scale, img, e)
                continue
            if made:
                jobs.append((k, v, made[0], scale, img, box, made[1]))
    found: dict[tuple, dict] = {}
    for name in dict.fromkeys(j[2] for j in jobs):
        group = [j for j in jobs if j[2] == name]
        datas = tesseract.image_data_each([j[6] for j in group], name, CONFIG, TIMEOUT)
        for (k, v, _, scale, img, box, _), d in zip(group, datas):
            if d is not None and (r := _reading(d, name, box, scale, img)):
                found[k, v] = r
    return [[found[k, v] for v in range(len(VARIANTS.get(lines[k][2], VARIANTS["any"]))) if (k, v) in found]
            for k in range(len(lines))]
