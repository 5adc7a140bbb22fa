"""Stamp text: the stamp grammar on reads Tesseract made of stamps, and stamps read into
result.json's marks through the command, never into the body text."""

import json

import pytest

from pipeline.cli import main
from pipeline.stamps import snap
from tools.bench import cer, stamp_norm
from tools.synth.render import render_document
from tools.synth.varied import make_documents


@pytest.mark.fast
@pytest.mark.parametrize("read, text", [
    ("| СНК ССР =\n_  рх. № 3958", "СНК СССР ВХ. № 3958"),          # border strokes left out
    ("СОВ СЕКРЕТНО", "СОВ. СЕКРЕТНО"),                             # an abbreviation keeps its dot
    ("_ВХОДЯЩИЙ № 2950\n«23» февраля 1938 г.", "ВХОДЯЩИЙ № 2950 «23» февраля 1938 г."),
    ("вх. 1 ВКП(6)", "ВХ. ВКП(б)"),                                # a figure without '№' is no number
])
def test_a_stamp_read_snaps_to_the_stamp_grammar(read, text):
    assert snap(read)[0] == text


@pytest.mark.fast
@pytest.mark.parametrize("read", ["Отправлена 22 ч. 11 м. 4.II.1938 г.", "лимит по первой категории 3.000 человек",
                                  "ы ь т", "СНК ы ь т — ш"])
def test_typed_text_and_noise_give_no_stamp_text(read):
    assert snap(read)[0] is None


@pytest.mark.slow
def test_stamps_are_read_into_marks_and_kept_out_of_the_text(tmp_path):
    docs = make_documents(4, seed=801, split="tune", families={"damage": "stamp", "stamp": ["rect", "incoming"]})
    docs = [d for d in docs if len(d["pages"]) == 1]
    gold = {d["doc_id"]: "\f".join(render_document(d, tmp_path / "in", 1000 + i)[1]).upper() for i, d in enumerate(docs)}
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-prefect"]) == 0
    read = 0
    for d in docs:
        result = json.loads((tmp_path / "out" / d["doc_id"] / "result.json").read_text())
        truth = stamp_norm(d["look"]["stamp_text"])
        texts = [stamp_norm(m["text"]) for m in result["marks"] if m["kind"] == "stamp" and m["text"]]
        read += any(cer(t, truth) <= 0.1 for t in texts)
        assert all(cer(t, truth) <= 0.5 for t in texts)  # a text given is this stamp's, not another's
        for w in (w for w in truth.split() if len(w) >= 4 and w.isalpha()):  # no more often than typed
            assert result["text"].upper().split().count(w) <= gold[d["doc_id"]].split().count(w)
    assert len(docs) >= 3 and read >= len(docs) / 2  # tune stamps: 55% read within CER 0.1 (docs/benchmarks.md)


@pytest.mark.fast
def test_a_word_read_from_a_stamp_leaves_the_text():
    from pipeline.ocr import without_stamp_words

    def w(text, x):
        return {"text": text, "box": [x, 100, x + 80, 130]}

    stamp = {"kind": "stamp", "bbox": [0, 80, 300, 200], "color": "blue", "text": "НКВД СССР ВХ. № 1196"}
    words = [w("НКВД", 10), w("просит", 100), w("СССР.", 200), w("СССР", 400)]
    assert [x["text"] for x in without_stamp_words(words, [stamp])] == ["просит", "СССР"]  # the last lies outside
    assert without_stamp_words(words, [{**stamp, "text": None}]) == words  # an unread stamp takes nothing
