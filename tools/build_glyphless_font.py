"""Build pipeline/data/glyphless.ttf: a font whose every character is one empty glyph of the same
width, for the invisible text layer of the searchable PDFs (pipeline/pdf.py). Its cmap maps the
characters OCR can produce (Latin, Cyrillic, digits, punctuation) so that a PDF's ToUnicode
table carries them; it draws nothing, so it is a few kilobytes and embeds in no time.

    python -m tools.build_glyphless_font
"""

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "data" / "glyphless.ttf"
RANGES = [(0x20, 0x7E), (0xA0, 0x17F), (0x400, 0x4FF), (0x2010, 0x2027), (0x2030, 0x203A), (0x2116, 0x2116)]
ADVANCE = 500  # units of 1000 to the em: the PDF stretches each word to its box anyway


def build(out: Path = OUT) -> Path:
    fb = FontBuilder(1000, isTTF=True)
    names = [".notdef", "blank"]
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({c: "blank" for lo, hi in RANGES for c in range(lo, hi + 1)})
    empty = TTGlyphPen(None).glyph()
    fb.setupGlyf({n: empty for n in names})
    fb.setupHorizontalMetrics({n: (ADVANCE, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Glyphless", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    out.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(out))
    return out


if __name__ == "__main__":
    print(build())
