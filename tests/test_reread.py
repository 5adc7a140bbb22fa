"""Re-reading one line's crop: a page rendered afresh, cleaned and read through the CLI, then
its date line read again in every variant."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.context import DocContext
from pipeline.reread import lang_name, reread
from pipeline.tesseract import version as tesseract_version

pytestmark = pytest.mark.slow  # renders pages and runs Tesseract: pytest -m 'not slow' skips it

try:
    from tools.synth.render import render_page, save_document
except ImportError:  # before the renderer moved out of tests/
    from tests.synth.render import render_page, save_document

ROOT = Path(__file__).resolve().parents[1]
DATE = re.compile(r"12\D{0,2}02\D{0,2}1938")
LINES = [
    {"text": "ШИФРТЕЛЕГРАММА", "style": "printed", "align": "center", "size": "large"},
    "",
    "Из СВЕРДЛОВСКА",
    "Отправлена 16 час. 20 мин. 12.02.1938 г.",
    "Поступила в НКВД СССР 13.02.1938 г. в 2 час. 05 мин.",
    "",
    "МОСКВА ЦК ВКП(б) тов. СТАЛИНУ",
    "Просим утвердить лимит по первой категории 1.500 человек.",
]


def telegrams() -> list[str]:
    script = Path(sys.executable).parent / "telegrams"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline"]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """One rendered page run through the CLI; its context and the date line's words."""
    base = tmp_path_factory.mktemp("reread")
    image, _ = render_page(LINES, {"dpi": 200, "noise": 0.2, "skew": 0.6, "font": "liberation"}, seed=5)
    scan = base / "in" / "sverdlovsk_1938_7.png"
    save_document([image], scan)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    run = subprocess.run([*telegrams(), "run", str(scan.parent), "--out", str(base / "out"), "--jobs", "1",
                          "--no-prefect"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    ctx = DocContext("sverdlovsk_1938_7", scan, base / "out")
    # a later stage may fail while the extract stage is rebuilt: the clean and ocr artifacts count here
    assert ctx.ocr_json.exists(), f"no ocr.json (exit {run.returncode}): {run.stderr[-2000:]}"
    words = json.loads(ctx.ocr_json.read_text(encoding="utf-8"))["words"]
    first = next(w for w in words if w["text"].startswith("Отправ") or "12.02" in w["text"])
    line = [w for w in words if w["page"] == first["page"] and w["line"] == first["line"]]
    return ctx, line


def union(words):
    return [min(w["bbox"][0] for w in words), min(w["bbox"][1] for w in words),
            max(w["bbox"][2] for w in words), max(w["bbox"][3] for w in words)]


def test_reread_reads_the_date_line(page):
    ctx, line = page
    bbox = union(line)
    readings = reread(ctx, line[0]["page"], bbox, want="date")
    assert readings, "no variant read anything"
    assert any(DATE.search(r["text"]) for r in readings), [r["text"] for r in readings]
    assert len(readings) <= 6
    for r in readings:
        assert set(r) >= {"text", "conf", "variant", "tesseract"}
        assert r["text"] and 0 <= r["conf"] <= 100 and r["tesseract"] == tesseract_version()
        assert re.fullmatch(r"[\w/+]+/psm7/x[\d.]+(/source)?", r["variant"])
        for w in r["words"]:  # on the cleaned page, within the padded crop
            assert bbox[0] - bbox[3] + bbox[1] <= w["bbox"][0] <= w["bbox"][2] <= bbox[2] + bbox[3] - bbox[1]
    variants = {r["variant"] for r in readings}
    assert "rus/psm7/x1" in variants and "rus/psm7/x2" in variants
    assert "rus/psm7/x1/source" in variants  # the same line cut from the scan
    if lang_name("rus+eng"):
        assert "rus+eng/psm7/x1" in variants


def test_reread_any_uses_the_cyrillic_model(page):
    ctx, line = page
    if not lang_name("cyrillic"):
        pytest.skip("no Cyrillic.traineddata (Debian: tesseract-ocr-script-cyrl)")
    readings = reread(ctx, line[0]["page"], union(line))
    assert any(r["variant"].startswith(("Cyrillic/", "script/Cyrillic/")) for r in readings)
    assert any(DATE.search(r["text"]) for r in readings)


def test_reread_gives_nothing_for_a_bad_box(page):
    ctx, line = page
    p = line[0]["page"]
    assert reread(ctx, p, [50_000, 50_000, 50_400, 50_040]) == []  # off the page
    assert reread(ctx, p, [-500, -500, -400, -460]) == []
    assert reread(ctx, p, [300, 300, 300, 300]) == []                # empty
    assert reread(ctx, p, [1, 2, 3]) == []                           # malformed
    assert reread(ctx, p + 5, union(line)) == []                     # no such page
    missing = DocContext("nothing", ctx.source, ctx.out / "elsewhere")
    assert reread(missing, p, union(line)) == []                     # no clean.json


def test_lines_read_in_one_batch_equal_each_read_alone(page):
    """reread_many runs one Tesseract process per language for every line and variant: the same
    images and settings, so exactly the readings of one call each."""
    from pipeline.reread import reread_many

    ctx, line = page
    words = json.loads(ctx.ocr_json.read_text(encoding="utf-8"))["words"]
    lines = {}
    for w in words:
        lines.setdefault(tuple(w["line"]), []).append(w)
    boxes = [[min(w["bbox"][0] for w in ws), min(w["bbox"][1] for w in ws),
              max(w["bbox"][2] for w in ws), max(w["bbox"][3] for w in ws)] for ws in list(lines.values())[:4]]
    asks = [(1, box, want, None) for box, want in zip(boxes, ("date", "digits", "any", "text"))]
    batch = reread_many(ctx, asks)
    alone = [reread(ctx, *a) for a in asks]
    assert batch == alone
    assert sum(len(r) for r in batch) >= 12  # most variants read something


def test_tesseract_on_many_images_equals_one_call_each(page):
    import cv2

    from pipeline import tesseract

    ctx, line = page
    grey = cv2.imread(str(ctx.artifact("pages/page-001.png")), cv2.IMREAD_GRAYSCALE)
    y0 = min(w["bbox"][1] for w in line)
    crops = [cv2.copyMakeBorder(grey[max(0, y0 + dy - 8):y0 + dy + 40, 50:grey.shape[1] - 50], 10, 10, 10, 10,
                                cv2.BORDER_CONSTANT, value=255) for dy in (-60, 0, 45, 150)]
    crops.append(cv2.resize(crops[1], None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))
    for lang in ("rus", "rus+eng"):
        many = tesseract.image_data_many(crops, lang, "--psm 7 --oem 1", 60)
        one = [tesseract.image_data(c, lang, "--psm 7 --oem 1", 10) for c in crops]
        keys = ("text", "conf", "left", "top", "width", "height")
        assert [{k: d[k] for k in keys} for d in many] == [{k: d[k] for k in keys} for d in one]
        assert any(t.strip() for d in many for t in d["text"])
