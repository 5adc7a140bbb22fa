"""A searchable PDF of each document, OUT/<doc_id>/<doc_id>.pdf: the scan's pages as images, and
the OCR's words as invisible text, each word stretched over its box on the page, so that a PDF
viewer's search and selection find the words where they stand.

PDF/A-2b through fpdf2's compliance mode: XMP metadata with the PDF/A identification, an sRGB
output intent, every font embedded, no encryption. No validator (veraPDF) runs here: the tests
check those parts of the structure with pikepdf. A character the glyphless font lacks (outside
Latin, Latin-1, Cyrillic and common punctuation) would draw .notdef, which PDF/A forbids.
"""

import io
from pathlib import Path

import cv2

from .context import DocContext, atomic_write_bytes
from .images import PDF_DPI, load_pages
from .paths import DATA

# Every character one empty glyph (tools/build_glyphless_font.py): 2 KB to embed, where a real
# font's parsing and subsetting cost fpdf2 0.2 s a document. (Tesseract's own glyphless pdf.ttf
# has no Unicode cmap, which fpdf2 needs for the text's ToUnicode table.)
FONT = DATA / "glyphless.ttf"
JPEG_QUALITY = 80   # page images: a scan, not an archival master (the source file stays that)
DEFAULT_DPI = 200   # an image file that records none


def scan_dpi(path: Path) -> float:
    """The resolution the scan records (a PDF's pages were rendered at PDF_DPI)."""
    from PIL import Image

    with open(path, "rb") as f:
        if f.read(5) == b"%PDF-":
            return PDF_DPI
    with Image.open(path) as im:
        dpi = im.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0]
    return float(dpi) if dpi and dpi >= 50 else DEFAULT_DPI


def write_pdf(ctx: DocContext, result: dict, ocred: dict) -> Path:
    from fpdf import FPDF
    from fpdf.enums import TextMode

    scans = load_pages(ctx.source, *ctx.page_range)
    k = 72 / scan_dpi(ctx.source)  # points per scan pixel
    pdf = FPDF(unit="pt", enforce_compliance="PDF/A-2B")
    pdf.set_auto_page_break(False)
    pdf.set_creator("telegrams")
    pdf.set_title(result["document_id"])
    pdf.add_font("ocr", fname=str(FONT))
    for page in result["pages"]:
        bgr = scans[page["number"] - 1]
        h, w = bgr.shape[:2]
        pdf.add_page(format=(w * k, h * k))
        jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])[1].tobytes()
        pdf.image(io.BytesIO(jpeg), x=0, y=0, w=w * k, h=h * k)
        pdf.text_mode = TextMode.INVISIBLE
        # in the text's order (a line read again sits where it belongs there, not last)
        words = sorted((x for x in ocred["words"] if x.get("page") == page["number"] and x.get("box")),
                       key=lambda x: x.get("start", 0))
        for i, word in enumerate(words):
            x0, y0, x1, y1 = word["box"]
            last = i + 1 == len(words) or words[i + 1]["line"] != word["line"]
            text = word["text"] if last else word["text"] + " "  # a space the viewer copies between words
            size = max(1.0, (y1 - y0) * k)
            pdf.set_font("ocr", size=size)
            pdf.set_stretching(100)  # the width is measured unstretched (fpdf2 applies the current stretching)
            natural = pdf.get_string_width(word["text"])
            pdf.set_stretching(100 * (x1 - x0) * k / natural if natural else 100)
            pdf.text(x0 * k, y1 * k - 0.2 * size, text)  # baseline a little above the box's bottom
    path = ctx.dir / f"{ctx.doc_id}.pdf"
    atomic_write_bytes(path, bytes(pdf.output()))
    return path
