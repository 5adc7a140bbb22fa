"""Image helpers the stages share: reading a scan's pages (images, PDFs), blob counting, quarter
turns, boxes through a page's source->clean matrix, the grey in which coloured ink fades, and
the PNG a cleaned page is stored as.

Nothing here runs Tesseract (pipeline/tesseract.py does) or belongs to one stage: the clean
stage, the ocr stage, the line re-reads and the review page all use these.
"""

import re
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageSequence

from .errors import InputError

PDF_DPI = 300                 # SPEC: a PDF page's source pixels are the page at 300 dpi
MAX_PIXELS = 120_000_000      # larger than any real A3 scan at 600 dpi: refuse decompression bombs
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"}
PDF_SUFFIXES = {".pdf"}


# ---------------------------------------------------------------- reading

def load_pages(path: Path, first: int = 1, last: int | None = None) -> list[np.ndarray]:
    """The pages first..last (1-based, inclusive; default all) of an image (multi-page TIFF too)
    or PDF, each a BGR array."""
    path = Path(path)
    if not path.is_file():
        raise InputError("not a regular file")
    if path.stat().st_size == 0:
        raise InputError("empty file (0 bytes)")
    with open(path, "rb") as f:
        magic = f.read(5)
    if magic == b"%PDF-":
        return _load_pdf(path, first, last)
    return _load_image(path, first, last)


def _load_image(path: Path, first: int = 1, last: int | None = None) -> list[np.ndarray]:
    Image.MAX_IMAGE_PIXELS = None  # we check the size ourselves, with a one-line reason
    try:
        im = Image.open(path)
    except Exception as e:
        raise InputError(f"not a readable image: {type(e).__name__}") from None
    if im.width * im.height > MAX_PIXELS:
        raise InputError(f"image too large ({im.width}x{im.height} px): refused as a possible decompression bomb")
    pages = []
    try:
        for n, frame in enumerate(ImageSequence.Iterator(im), 1):
            if n < first:
                continue
            if last is not None and n > last:
                break
            rgb = np.asarray(frame if frame.mode == "RGB" else frame.convert("RGB"))  # no copy of an RGB page
            pages.append(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    except Exception as e:
        raise InputError(f"image data is damaged or truncated: {e}".splitlines()[0]) from None
    if not pages:
        raise InputError("image has no frames")
    return pages


def _load_pdf(path: Path, first: int = 1, last: int | None = None) -> list[np.ndarray]:
    import pypdfium2 as pdfium  # only PDFs pay for it

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as e:
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        if "password" in msg.lower():
            raise InputError("PDF is encrypted (password required)") from None
        if re.search(rb"/Count\s+0\b", path.read_bytes()[:1 << 20]):
            raise InputError("PDF has no pages") from None  # PDFium refuses such files outright
        raise InputError(f"not a readable PDF: {msg}") from None
    if len(pdf) == 0:
        raise InputError("PDF has no pages")
    pages = []
    for i in range(first - 1, len(pdf) if last is None else min(last, len(pdf))):
        page = pdf[i]
        w, h = page.get_size()
        if w * h * (PDF_DPI / 72) ** 2 > MAX_PIXELS:
            raise InputError("PDF page too large to rasterise")
        rgb = np.asarray(page.render(scale=PDF_DPI / 72).to_pil().convert("RGB"))
        pages.append(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    if not pages:
        raise InputError(f"the PDF has no page {first}")
    return pages


# ---------------------------------------------------------------- blobs

# OpenCV 5 raises an error when 16-bit labels overflow; earlier versions let them wrap, which
# corrupts memory (opencv issue 23490), so they keep 32-bit labels.
LABELS_16 = int(cv2.__version__.split(".")[0]) >= 5


def components(mask: np.ndarray, connectivity: int = 8):
    """cv2.connectedComponentsWithStats with 16-bit labels: the same labels and stats, three
    times faster (OpenCV 5, an A4 page at 200 dpi: 8 ms against 25 with 32-bit labels); a page
    of more than 65535 blobs, which 16 bits cannot count, takes 32-bit ones."""
    if LABELS_16:
        try:
            return cv2.connectedComponentsWithStats(mask, connectivity=connectivity, ltype=cv2.CV_16U)
        except cv2.error:
            pass
    return cv2.connectedComponentsWithStats(mask, connectivity=connectivity)


def row_sharpness(ink: np.ndarray, angle: float, interpolation: int = cv2.INTER_NEAREST) -> float:
    """How sharply the ink's rows stand out when turned by `angle` degrees (counter-clockwise):
    lines of text run level where their row sums peak. Ink bright on dark."""
    h, w = ink.shape
    rows = cv2.warpAffine(ink, cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), (w, h),
                          flags=interpolation).sum(axis=1)
    return float(np.square(np.diff(rows)).sum())


# ---------------------------------------------------------------- page geometry

ROTATIONS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def turn(grey: np.ndarray, matrix, degrees: int) -> tuple[np.ndarray, np.ndarray]:
    """Turn a page clockwise by 90/180/270 degrees; returns it and the matrix composed with the turn."""
    if degrees % 360 == 0:
        return grey, np.asarray(matrix)
    h, w = grey.shape[:2]
    r = {90: [[0, -1, h - 1], [1, 0, 0]], 180: [[-1, 0, w - 1], [0, -1, h - 1]],
         270: [[0, 1, 0], [-1, 0, w - 1]]}[degrees % 360]
    return cv2.rotate(grey, ROTATIONS[degrees % 360]), np.vstack([r, [0, 0, 1]]) @ np.asarray(matrix)


def map_box(matrix, bbox) -> list[int]:
    """A box through a 3x3 matrix: the bounding box of its four mapped corners."""
    x0, y0, x1, y1 = bbox
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=float) @ np.asarray(matrix).T
    return [int(round(pts[:, 0].min())), int(round(pts[:, 1].min())),
            int(round(pts[:, 0].max())), int(round(pts[:, 1].max()))]


def to_source(matrix, bbox) -> list[int]:
    """A box in cleaned-page pixels back to the source image's pixels."""
    return map_box(np.linalg.inv(np.asarray(matrix)), bbox)


# ---------------------------------------------------------------- colour

PAPER_HUES = (15, 35)  # OpenCV hue range of yellowed paper and its shadows


def colour_mask(bgr: np.ndarray) -> np.ndarray:
    """Coloured ink (stamps, crayon) as 255: more saturated than aged paper, of another hue
    than its yellow, and not dark (typed ink is dark in every channel). A fainter threshold
    also caught the soft edges of blue-grey typed ink, so a washed-out stamp in the ribbon's
    own hue stays (a known limit)."""
    h, s, v = cv2.split(cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV))
    mask = (s > 50) & (v > 60) & ((h < PAPER_HUES[0]) | (h > PAPER_HUES[1]))
    # Ribbons were often blue or violet, so the soft edges of typed characters share the
    # ink's hue: pixels of that hue count as a mark only away from dark (typed) ink.
    dark = v < 110
    ink_h = h[dark & (s > 25)][::37]  # a sample is enough for the ribbon's hue
    if mask.any() and ink_h.size > 50:
        ink_hue = int(np.bincount(ink_h, minlength=180).argmax())
        d = cv2.absdiff(h, np.full_like(h, ink_hue))
        ribbon = np.minimum(d, 180 - d) <= 15
        near_ink = cv2.dilate(dark.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        mask &= ~(ribbon & near_ink)
    return mask.astype(np.uint8) * 255


def to_grey(bgr: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Grey in which coloured ink fades: where a pixel is coloured, take its brightest channel
    (a red stamp is bright in red), so typed characters under a stamp stay dark."""
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    mask = colour_mask(bgr) if mask is None else mask
    if mask.any():
        b, g, r = cv2.split(bgr)
        grey = np.where(mask > 0, cv2.max(cv2.max(b, g), r), grey)
    return grey


# ---------------------------------------------------------------- storing

# Cleaned pages are mostly white: PNG's row filters buy nothing there (131 KB a page unfiltered
# against 139 KB with them) and cost three times the encoding (7.5 ms against 25) and decoding
# (3.4 ms against 9.7). OpenCV before 4.11 lacks the option and filters as before.
PNG_OPTIONS = [cv2.IMWRITE_PNG_COMPRESSION, 1] + (
    [cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_NONE] if hasattr(cv2, "IMWRITE_PNG_FILTER") else [])


def encode_page(grey: np.ndarray) -> bytes:
    """A cleaned page as the PNG the later stages read (lossless)."""
    return cv2.imencode(".png", grey, PNG_OPTIONS)[1].tobytes()
