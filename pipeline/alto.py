"""ALTO XML (v4) of the OCR words, one file per page, for archives' viewers and full-text search.

Written by the write stage from ocr.json. Coordinates are the source image's pixels, like every
box in result.json (a PDF page: the page rasterised at 300 dpi), so the ALTO file sits beside the
scan itself; `fileName` names the scan and PHYSICAL_IMG_NR its page.
"""

import xml.etree.ElementTree as ET
from pathlib import Path

from .context import DocContext, atomic_write_bytes

NS = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA = "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _box(el: ET.Element, box) -> None:
    x0, y0, x1, y1 = box
    el.set("HPOS", str(max(0, x0)))
    el.set("VPOS", str(max(0, y0)))
    el.set("WIDTH", str(max(0, x1 - x0)))
    el.set("HEIGHT", str(max(0, y1 - y0)))


def _union(boxes) -> list[int]:
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def _processing(desc, ident, category, name, creator, version, settings=None) -> None:
    p = ET.SubElement(desc, _q("Processing"), ID=ident)
    ET.SubElement(p, _q("processingCategory")).text = category
    if settings:
        ET.SubElement(p, _q("processingStepSettings")).text = settings
    sw = ET.SubElement(p, _q("processingSoftware"))
    ET.SubElement(sw, _q("softwareCreator")).text = creator
    ET.SubElement(sw, _q("softwareName")).text = name
    ET.SubElement(sw, _q("softwareVersion")).text = version or "unknown"


def page_alto(words: list[dict], page: dict, file_name: str, versions: dict, settings: str,
              file_page: int | None = None) -> bytes:
    """One page's words (with source boxes and Tesseract's line ids) as an ALTO document;
    file_page: the page's number in the scan file (a document of a split file starts later)."""
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(_q("alto"), {f"{{{XSI}}}schemaLocation": f"{NS} {SCHEMA}"})
    desc = ET.SubElement(root, _q("Description"))
    ET.SubElement(desc, _q("MeasurementUnit")).text = "pixel"
    ET.SubElement(ET.SubElement(desc, _q("sourceImageInformation")), _q("fileName")).text = file_name
    _processing(desc, "OCR", "contentGeneration", "Tesseract", "Tesseract OCR", versions.get("tesseract"),
                f"lang=rus {settings}; model sha256 {versions.get('tesseract_model_sha256')}")
    _processing(desc, "TELEGRAMS", "preOperation", "telegrams", "telegrams pipeline", versions.get("pipeline"),
                "clean: page crop, orientation, deskew, light, stamp fading; ocr: lines Tesseract lost read again; Roman months and a 0 read as 9 re-read from the glyphs")
    n = page["number"]
    layout = ET.SubElement(root, _q("Layout"))
    pg = ET.SubElement(layout, _q("Page"), ID=f"P{n}", PHYSICAL_IMG_NR=str(file_page or n),
                       WIDTH=str(page["width"]), HEIGHT=str(page["height"]))
    space = ET.SubElement(pg, _q("PrintSpace"))
    if words:
        _box(space, _union([w["box"] for w in words]))
    blocks: dict = {}
    for w in words:  # Tesseract's (block, paragraph, line) ids, in reading order
        block, line = w["line"][0], tuple(w["line"])
        blocks.setdefault(block, {}).setdefault(line, []).append(w)
    for b, (block, lines) in enumerate(blocks.items(), 1):
        tb = ET.SubElement(space, _q("TextBlock"), ID=f"P{n}_B{b}")
        _box(tb, _union([w["box"] for ws in lines.values() for w in ws]))
        for li, ws in enumerate(lines.values(), 1):
            tl = ET.SubElement(tb, _q("TextLine"), ID=f"P{n}_B{b}_L{li}")
            _box(tl, _union([w["box"] for w in ws]))
            for wi, w in enumerate(ws, 1):
                if wi > 1:
                    ET.SubElement(tl, _q("SP"))
                s = ET.SubElement(tl, _q("String"), ID=f"P{n}_B{b}_L{li}_W{wi}", CONTENT=w["text"])
                _box(s, w["box"])
                s.set("WC", f"{max(0.0, min(100.0, w['conf'])) / 100:.2f}")
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_alto(ctx: DocContext, result: dict, ocred: dict) -> list[Path]:
    """OUT/<doc_id>/alto/page-NNN.xml for every page the OCR stage read (ocred: its ocr.json)."""
    paths = []
    for page in result["pages"]:
        words = [w for w in ocred["words"] if w.get("page") == page["number"]]
        data = page_alto(words, page, Path(result["source"]["path"]).name, result["versions"], ocred.get("config", ""),
                         ctx.file_page(page["number"]))
        path = ctx.dir / "alto" / f"page-{page['number']:03d}.xml"
        atomic_write_bytes(path, data)
        paths.append(path)
    return paths
