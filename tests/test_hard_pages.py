"""Hard pages, each rendered afresh from the seed telegram and run through every stage:
turned pages, strong skew, a red stamp across typed lines, a 150-dpi scan, a dark scanner
bed, a phone photo, and two-page PDF and TIFF files."""

import copy

import pytest

from tools.bench import cer
from pipeline.runner import discover, process_document
from tools.synth.render import render_document

pytestmark = pytest.mark.slow  # renders pages and runs Tesseract: pytest -m 'not slow' skips it

HARD = {
    "rot180": {"rotate": 180},
    "rot90": {"rotate": 90},
    "rot270": {"rotate": 270},
    "skew4": {"skew": 4.0},
    "redstamp": {"stamp": "red", "stamp_text": "СЕКРЕТНО"},
    "dpi150": {"dpi": 150},
    "bed": {"bed": True, "skew": -1.5},
    "phone": {"light": "shadow", "blur": 1.0, "perspective": 0.02, "jpeg_quality": 70},
}


@pytest.fixture(scope="module")
def seed_doc(documents):
    return documents["gorky_1938_95"]


def run_one(doc, tmp_path, seed=11):
    path, gold = render_document(doc, tmp_path, seed)
    (ctx,) = discover([str(path)], tmp_path / "out")
    (result,) = process_document(ctx)  # a telegram of one or two pages: one document
    return result, "\f".join(gold)


@pytest.mark.parametrize("name", list(HARD))
def test_hard_page(name, seed_doc, tmp_path):
    doc = copy.deepcopy(seed_doc)
    doc["doc_id"], doc["format"] = name, "jpg" if name == "phone" else "png"
    doc["look"] = {"dpi": 200, "noise": 0.3, **HARD[name]}
    r, gold = run_one(doc, tmp_path)
    f = r["fields"]
    assert r["status"] != "failed"
    assert cer(r["text"], gold) <= 0.10
    assert f["reference_number"]["value"] == "95/ш"
    assert f["sender"]["value"] == "Каганович"
    assert f["deadline"]["value"] == "1938-03-20"
    expected_rotation = {"rot90": 270, "rot180": 180, "rot270": 90}.get(name, 0)
    assert r["pages"][0]["rotation"] == expected_rotation


@pytest.mark.parametrize("fmt", ["pdf", "tif"])
def test_two_page_documents(fmt, documents, tmp_path):
    doc = copy.deepcopy(documents["minsk_1938_43074"])
    doc["format"] = fmt
    doc["look"].pop("stamp")  # here the pages count; a faint stamp in the ribbon's hue is a known limit
    r, gold = run_one(doc, tmp_path)
    assert r["source"]["pages"] == 2 and len(r["pages"]) == 2
    assert r["text"].count("\f") == 1
    assert cer(r["text"], gold) <= 0.10
    f = r["fields"]
    assert f["reference_number"]["value"] == "43074" and f["in_reply_to"]["value"] == "37417"
    assert {q["page"] for q in f["quotas"]} == {1, 2}  # figures on both pages, boxes on their page
