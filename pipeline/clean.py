"""Stage 1, clean: read the scan, crop the page off the scanner bed, deskew, even out light,
fade coloured stamps (recorded as marks), and bring characters to a height Tesseract reads well.

Every step is a small function over numpy arrays; `clean(ctx)` runs them per page, writes the
cleaned page images and clean.json (parameters, measured skew, and the source->clean transform).
"""

import math
from pathlib import Path

import cv2
import numpy as np

from . import stamps
from .context import DocContext, atomic_write_bytes, write_json
from .images import colour_mask, components, encode_page, load_pages, map_box, row_sharpness, to_grey, turn
from .tesseract import osd_rotation

VERSION = "clean-5"  # 2: letter blobs with a dark core decide upscaling; grain removal on grainy pages
# 3: a page with very little ink (a last page with a signature) is not stretched from its paper grain
# 4: each page also kept unwhitened (pages/page-NNN-grey.png, gentle_page) for the ocr stage's second read
MAX_SIDE = 6000            # px: no upscaling past this (Tesseract's time grows with area)
LETTER_CORE = 90           # grey level: a typed letter (ink stretched to black) has pixels darker than this
TARGET_X_HEIGHT = 22          # px; Tesseract reads typed text best at about this lower-case height


# ---------------------------------------------------------------- page geometry

def find_page(grey: np.ndarray) -> tuple[int, int, int, int] | None:
    """The paper's bounding box on a darker scanner bed, or None when the page fills the image."""
    h, w = grey.shape
    scale = 800 / max(h, w)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, mask = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    x, y, cw, ch = cv2.boundingRect(c)
    area = cw * ch / (small.shape[0] * small.shape[1])
    # Only a clearly darker surround counts as a bed; otherwise this is text on a full page.
    inside = small[y:y + ch, x:x + cw].mean()
    border = np.concatenate([small[:3].ravel(), small[-3:].ravel(), small[:, :3].ravel(), small[:, -3:].ravel()])
    if area > 0.97 or area < 0.3 or inside - np.median(border) < 40:
        return None
    inset = 3  # px at this scale: drop the page edge's shadow
    x0, y0 = (x + inset) / scale, (y + inset) / scale
    x1, y1 = (x + cw - inset) / scale, (y + ch - inset) / scale
    return int(x0), int(y0), int(math.ceil(x1)), int(math.ceil(y1))


def text_mask(grey: np.ndarray) -> np.ndarray:
    """Dark ink as 255 on a flattened page."""
    _, m = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return m


def estimate_skew(grey: np.ndarray) -> float:
    """Degrees to rotate counter-clockwise so text lines run level: the angle whose horizontal
    projection of ink is sharpest (typed lines give peaked row sums)."""
    scale = 1000 / max(grey.shape)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mask = text_mask(small).astype(np.float32)
    # The coarse search (33 angles) runs on a half-size mask, a quarter of the work; the fine
    # one, around its best, on the full mask.
    half = cv2.resize(mask, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    best = max(np.arange(-8, 8.01, 0.5), key=lambda a: row_sharpness(half, a))
    best = max(np.arange(best - 0.5, best + 0.51, 0.1), key=lambda a: row_sharpness(mask, a))
    return round(float(best), 2)


def lines_run_vertically(grey: np.ndarray) -> bool:
    """True when typed lines run top to bottom (a page turned by 90 or 270 degrees). Smudged
    at a scale where letters merge into words (typed columns of a monospace page would fool a
    plain ink profile), the words are then taller than wide."""
    scale = 600 / max(grey.shape)
    mask = text_mask(cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    n, _, stats, _ = components(mask)
    w, h = stats[1:, cv2.CC_STAT_WIDTH].astype(float), stats[1:, cv2.CC_STAT_HEIGHT].astype(float)
    words = (np.maximum(w, h) >= 8) & (np.maximum(w, h) < 0.5 * max(mask.shape))
    if words.sum() < 5:
        return False
    return float(h[words].sum()) > 1.5 * float(w[words].sum())


def flatten_light(grey: np.ndarray) -> np.ndarray:
    """Divide by the page's own background (a large closing removes the text) so shadows and
    light gradients go, and the paper comes out near white."""
    h, w = grey.shape
    k = max(15, (min(h, w) // 40) | 1)
    small = cv2.resize(grey, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k // 4 | 1, k // 4 | 1)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 8)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, np.maximum(bg, 1), scale=245)  # saturates at 255


# ---------------------------------------------------------------- colour marks

HUES = [("red", 0, 12), ("violet", 125, 165), ("red", 165, 180), ("blue", 95, 125), ("green", 40, 95), ("orange", 12, 40)]


def find_marks(bgr: np.ndarray, mask: np.ndarray | None = None) -> list[dict]:
    """Regions of coloured ink large enough to be a stamp or a crayon note, with their colour."""
    mask = colour_mask(bgr) if mask is None else mask
    scale = 600 / max(mask.shape)
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.dilate((small > 40).astype(np.uint8), np.ones((9, 9), np.uint8))
    n, _, stats, _ = components(small)
    marks = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if w < 25 or h < 12:  # specks at 600 px across
            continue
        x0, y0, x1, y1 = (int(v / scale) for v in (x, y, x + w, y + h))
        region = mask[y0:y1, x0:x1] > 0
        if region.sum() < 200:
            continue
        hue = float(np.median(cv2.cvtColor(bgr[y0:y1, x0:x1], cv2.COLOR_BGR2HSV)[:, :, 0][region]))
        colour = next((name for name, lo, hi in HUES if lo <= hue < hi), "other")
        marks.append({"kind": "stamp", "bbox": [x0, y0, x1, y1], "color": colour, "text": None})
    return merge_overlapping(marks)


def merge_overlapping(marks: list[dict]) -> list[dict]:
    """One mark for pieces of one colour whose boxes overlap: unevenly inked stamps fall apart
    into pieces, and a piece's text is a fragment."""
    out: list[dict] = []
    for mk in sorted(marks, key=lambda m: m["bbox"][0]):
        for o in out:
            if o["color"] == mk["color"] and overlaps(o["bbox"], mk["bbox"]):
                o["bbox"] = [min(a, b) for a, b in zip(o["bbox"][:2], mk["bbox"][:2])] + \
                            [max(a, b) for a, b in zip(o["bbox"][2:], mk["bbox"][2:])]
                break
        else:
            out.append(dict(mk))
    return sorted(out, key=lambda m: (m["bbox"][1], m["bbox"][0])) if len(out) < len(marks) else marks


def read_stamp_text(bgr: np.ndarray, marks: list[dict]) -> None:
    """Each stamp's text into its mark (None where no stamp word was read): read here, where the
    page still has its colours."""
    found = [mk for mk in marks if mk["kind"] == "stamp"]
    for mk, text in zip(found, stamps.read_stamps([stamps.stamp_image(bgr, mk["bbox"]) for mk in found])):
        mk["text"] = text


def find_pencil(grey: np.ndarray) -> list[list[int]]:
    """Boxes of pencil strokes on a flattened page: mid-grey marks with no dark core (typed
    ink has one), long and sparse rather than letter-shaped. Kept as evidence only: erasing
    them also erased faint typed words, which look the same at this level."""
    scale = 0.5
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    dark = cv2.dilate((small < PENCIL_DARKEST).astype(np.uint8), np.ones((5, 5), np.uint8))
    mid = ((small < 200) & (dark == 0)).astype(np.uint8)
    n, _, stats, _ = components(cv2.dilate(mid, np.ones((3, 3), np.uint8)))
    boxes = []
    for x, y, w, h, area in stats[1:]:
        if max(w, h) >= 40 and area >= 30 and area < 0.3 * w * h:
            boxes.append([int(x / scale), int(y / scale), int((x + w) / scale), int((y + h) / scale)])
    return boxes


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# ---------------------------------------------------------------- scale

def letter_blobs(grey: np.ndarray) -> dict:
    """Heights and areas of the ink blobs with a letter's size, and which have a typed letter's
    dark core. Paper grain gives many letter-sized but paler blobs: on a near-empty grainy
    page they outnumbered the letters twenty to one and faked small type (a 2.4x upscale that
    then kept Tesseract busy for minutes)."""
    n, labels, stats, _ = components(text_mask(grey))
    hs, ws, area = (stats[1:, k] for k in (cv2.CC_STAT_HEIGHT, cv2.CC_STAT_WIDTH, cv2.CC_STAT_AREA))
    keep = (hs >= 6) & (hs <= 80) & (ws >= 3) & (ws <= 80) & (area >= 15)
    cored = np.zeros(n, bool)
    cored[labels[grey < LETTER_CORE]] = True
    dark = keep & cored[1:]
    letters = dark if dark.sum() > 30 else keep  # faint pages: every letter-sized blob
    return {"heights": hs[letters], "areas": area[letters], "all_heights": hs[keep]}


def x_height(blobs: dict) -> float | None:
    """Median height of the letter blobs, a proxy for the typed x-height."""
    return float(np.median(blobs["heights"])) if len(blobs["heights"]) > 30 else None


def blob_height(blobs: dict) -> float | None:
    """Median height of every letter-sized blob, grain included. It sizes the background
    window: on a grainy page the grain makes it small, and a small window keeps more grain
    out (measured on a grainy 300-dpi page: CER 0.42 with window 15, 0.61 with 35)."""
    return float(np.median(blobs["all_heights"])) if len(blobs["all_heights"]) > 30 else None


def small_type(blobs: dict, xh: float | None) -> bool:
    """Small enough to upscale? The biggest quarter of the letter blobs must agree."""
    if not xh or xh >= TARGET_X_HEIGHT * 0.7:
        return False
    big = blobs["heights"][blobs["areas"] >= np.percentile(blobs["areas"], 75)]
    return float(np.median(big)) < TARGET_X_HEIGHT * 0.9


# ---------------------------------------------------------------- background

SAUVOLA_K = 0.4        # measured on a varied tuning set (seed 0): k 0.2 -> CER 0.029, 0.4 -> 0.012
PENCIL_DARKEST = 100   # grey level: typed ink has pixels darker than this, graphite has none
PAPER_GREY = 200       # grey level: on a flattened page (paper near 245), darker is ink or grain
FAINT_INK = 100        # darkest ink (0.5th percentile) above this: a blurred or pale page
A4_200DPI = 2339      # px: the long side of an A4 page at 200 dpi
SPECK_AREA = 6         # px: ink blobs smaller than this are paper grain, not type
GRAIN_MARGIN = 40      # grey levels: a small blob this much paler than the letters' cores is grain
GRAINY = 2.0           # pale letter-sized blobs per letter: grainy pages measured 4-24, others under 0.3


def sauvola_ink(grey: np.ndarray, window: int, k: float = SAUVOLA_K) -> np.ndarray:
    """Sauvola's local threshold (mean and spread in a window): True where ink. The window's
    statistics are smooth, so they are taken at half size (4x less work) and scaled back."""
    h, w = grey.shape
    f = cv2.resize(grey, (w // 2, h // 2), interpolation=cv2.INTER_AREA).astype(np.float32)
    win = max(3, window // 2) | 1
    m = cv2.boxFilter(f, -1, (win, win))
    s = np.sqrt(np.maximum(cv2.boxFilter(f * f, -1, (win, win)) - m * m, 0))
    t = cv2.resize(m * (1 + k * (s / 128.0 - 1)), (w, h), interpolation=cv2.INTER_LINEAR)
    return grey <= t


def stretch_ink(grey: np.ndarray) -> np.ndarray:
    """Faint type (a blurred photo, a pale carbon copy) stretched so its darkest ink is black
    and the paper stays near 245: Sauvola's threshold assumes that full range. The darkest ink
    is the 0.5th percentile, or on a page with less ink than that (a last page that holds only
    a signature) a quarter of the share darker than paper: there the 0.5th percentile was the
    paper's own grain, which the stretch turned into black speckle that Tesseract read as text."""
    sample = grey[::4, ::4]
    lo = float(np.percentile(sample, min(0.5, 25 * float((sample < PAPER_GREY).mean()))))
    if lo < FAINT_INK or lo >= PAPER_GREY:
        return grey  # normal type (stretching would only darken faint stamps and pencil), or no ink at all
    lut = np.clip((np.arange(256) - lo) * 245.0 / max(1.0, 245.0 - lo), 0, 255).astype(np.uint8)
    return cv2.LUT(grey, lut)


def remove_grain(grey: np.ndarray, keep: np.ndarray, labels: np.ndarray, area: np.ndarray,
                 xh: float) -> int:
    """On a grainy page (grain blobs outnumber the letters), also drop the blobs smaller than a
    letter that are paler than the letters' cores or far from every letter: Tesseract reads
    each such speck as a word. Measured on a grainy 300-dpi page: CER 0.61 -> 0.06; run on every
    page, it also took thin letters (mean CER 0.008 -> 0.021), hence only on grainy ones."""
    n = len(area)
    darkest = np.full(n, 255, np.uint8)
    np.minimum.at(darkest, labels.ravel(), grey.ravel())
    small = (xh / 2) ** 2
    letters = keep & (area >= small)
    if letters.sum() < 20:
        return 0
    pale = keep & (area < small) & (darkest > np.median(darkest[letters]) + GRAIN_MARGIN)
    reach = int(1.5 * xh) | 1
    near = cv2.dilate(letters[labels].astype(np.uint8), np.ones((reach, reach), np.uint8)) > 0
    touching = np.zeros(n, bool)
    touching[labels[near]] = True
    lone = keep & (area < small) & ~touching
    keep &= ~(pale | lone)
    return int((pale | lone).sum())


def whiten_background(grey: np.ndarray, xh: float | None, grainy_xh: float | None = None) -> tuple[np.ndarray, dict]:
    """Paper grain and specks become white; the ink keeps its grey levels. Tesseract's own
    binarisation of the grainy page cost accuracy and twice the time; a plain binarisation
    (Otsu) cost accuracy on faint type. Measured, see README."""
    window = int(np.clip(round(1.4 * (xh or TARGET_X_HEIGHT)), 15, 61)) | 1
    ink = sauvola_ink(grey, window).astype(np.uint8)
    n, labels, stats, _ = components(ink)
    # Grain specks grow with resolution: scale by the page's size against A4 at 200 dpi (an
    # x-height measured on a grainy page is itself fooled by the grain).
    speck = SPECK_AREA * max(1.0, (max(grey.shape) / A4_200DPI) ** 2)
    keep = stats[:, cv2.CC_STAT_AREA] >= speck
    keep[0] = False
    info = {"method": "sauvola", "window": window, "k": SAUVOLA_K, "speck_area": round(speck, 1)}
    if grainy_xh:
        info["grain_blobs_removed"] = remove_grain(grey, keep, labels, stats[:, cv2.CC_STAT_AREA], grainy_xh)
    out = np.where(keep[labels], grey, 255).astype(np.uint8)
    return out, info


GENTLE_WINDOW = 40  # the page's short side over this: about two typed lines at any resolution
GENTLE_GAIN = 5.0  # at most: ink this many times fainter than black is stretched to black, no more


def gentle_page(grey: np.ndarray) -> np.ndarray:
    """The page for a second read, with no step that can erase a stroke (the background
    whitening can: Sauvola's threshold takes a faint stroke for paper). Two monotonic stretches
    of the grey levels. First one for the page: the paper's grain (brighter than its median less
    two of its robust spreads) goes to white and every darker pixel keeps its place in the grey
    scale; that also makes the page small on disk (a grainy grey page: 2.3-2.6 MB as PNG and
    0.2-0.3 s to encode; stretched 0.3-0.4 MB, 0.05 s). Then one around each place: the
    darkest ink within a couple of line heights is taken towards black (at most GENTLE_GAIN
    times), so faint typed lines under a dark printed header become as dark as it; Tesseract's
    own global binarisation otherwise drops them from the layout (a faded tune page: CER 0.49
    from both the cleaned and the page-wide stretched image, 0.003 from this). 70-160 ms a page."""
    sample = grey[::4, ::4]
    paper = float(np.median(sample))
    spread = 1.4826 * float(np.median(np.abs(sample.astype(np.float32) - paper)))
    top = max(64.0, paper - 2 * spread)
    page = cv2.LUT(grey, np.clip(np.arange(256) * 255.0 / top, 0, 255).astype(np.uint8))
    h, w = page.shape
    win = max(15, min(h, w) // GENTLE_WINDOW) | 1
    small = cv2.resize(page, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA)
    darkest = cv2.erode(small, cv2.getStructuringElement(cv2.MORPH_RECT, (win // 2 | 1, win // 2 | 1)))
    darkest = cv2.resize(cv2.GaussianBlur(darkest.astype(np.float32), (0, 0), win / 4), (w, h),
                         interpolation=cv2.INTER_LINEAR)
    span = np.maximum(255.0 - darkest, 255.0 / GENTLE_GAIN)
    return np.clip(255.0 - (255.0 - page.astype(np.float32)) * (255.0 / span), 0, 255).astype(np.uint8)


# ---------------------------------------------------------------- the page and the stage

def clean_page(bgr: np.ndarray) -> tuple[np.ndarray, dict]:
    """One source page -> cleaned grey page and what was done, with a 3x3 source->clean matrix."""
    grey, _, info = clean_page_images(bgr)
    return grey, info


def clean_page_images(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
    """One source page -> the cleaned grey page, the same page before background whitening
    (cropped, turned, deskewed, light flattened, faint ink stretched, scaled: the cleaned page's
    pixel frame, with every stroke it had), and what was done."""
    src_h, src_w = bgr.shape[:2]
    colour = colour_mask(bgr)
    info = {"width": src_w, "height": src_h, "rotation": 0, "marks": find_marks(bgr, colour)}
    read_stamp_text(bgr, info["marks"])
    m = np.eye(3)

    box = find_page(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
    if box:
        x0, y0, x1, y1 = box
        bgr, colour = bgr[y0:y1, x0:x1], colour[y0:y1, x0:x1]
        m = _translate(-x0, -y0) @ m
    info["crop"] = list(box) if box else None

    grey = stretch_ink(flatten_light(to_grey(bgr, colour)))
    inv = np.linalg.inv(m)  # boxes back to source pixels (only the crop is applied so far)
    stamps = [mk["bbox"] for mk in info["marks"]]
    for b in (map_box(inv, b) for b in find_pencil(grey)):
        if not any(overlaps(b, st) for st in stamps):  # a faint stamp ring is no pencil
            info["marks"].append({"kind": "handwriting", "bbox": b, "color": "grey", "text": None})
    if lines_run_vertically(grey):
        rotation = osd_rotation(grey)  # Tesseract's orientation detection, only for such pages
        rotation = 90 if rotation is None else rotation  # OSD unsure: lines must run across
        if rotation in (90, 270):
            grey, m = turn(grey, m, rotation)
            info["rotation"] = rotation
    skew = estimate_skew(grey)
    if abs(skew) >= 0.1:
        h, w = grey.shape
        r = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        grey = cv2.warpAffine(grey, r, (w, h), flags=cv2.INTER_CUBIC, borderValue=245)
        m = np.vstack([r, [0, 0, 1]]) @ m
    info["skew_degrees"] = skew

    blobs = letter_blobs(grey)
    xh = x_height(blobs)
    scale = 1.0
    if small_type(blobs, xh):
        scale = min(3.0, TARGET_X_HEIGHT / xh, MAX_SIDE / max(grey.shape))
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        m = np.diag([scale, scale, 1.0]) @ m
    bh = blob_height(blobs)
    grainy = bool(xh) and len(blobs["all_heights"]) - len(blobs["heights"]) > GRAINY * len(blobs["heights"])
    gentle = gentle_page(grey)
    grey, info["background"] = whiten_background(grey, bh * scale if bh else None, xh * scale if grainy else None)
    info["x_height"] = xh
    info["scale"] = round(scale, 3)
    info["matrix"] = m.tolist()
    return grey, gentle, info


def _translate(dx: float, dy: float) -> np.ndarray:
    return np.array([[1, 0, dx], [0, 1, dy], [0, 0, 1]], dtype=float)


def clean(ctx: DocContext) -> Path:
    """Stage entry: read ctx.source (the document's pages of it), write pages/page-NNN.png and
    clean.json; return its path."""
    pages = load_pages(ctx.source, *ctx.page_range)
    out = []
    (ctx.dir / "pages").mkdir(parents=True, exist_ok=True)
    for i, bgr in enumerate(pages, 1):
        grey, gentle, info = clean_page_images(bgr)
        name, grey_name = f"pages/page-{i:03d}.png", f"pages/page-{i:03d}-grey.png"
        atomic_write_bytes(ctx.artifact(name), encode_page(grey))
        atomic_write_bytes(ctx.artifact(grey_name), encode_page(gentle))
        out.append({"number": i, "image": name, "grey_image": grey_name, **info})
    return write_json(ctx.clean_json, {"version": VERSION, "pages": out})
