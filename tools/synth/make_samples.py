"""Render the sample telegrams: scans into samples/, their truth (fields + gold text) into
tests/data/. Run: python -m tools.synth.make_samples [SAMPLES_DIR] [TRUTH_DIR]"""

import json
import sys
from pathlib import Path

from .documents import DOCUMENTS
from .render import render_document

ROOT = Path(__file__).resolve().parents[2]


def make(samples: Path, truth_dir: Path, docs=DOCUMENTS, seed: int = 1937) -> list[Path]:
    samples.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, doc in enumerate(docs):
        path, gold = render_document(doc, samples, seed + 100 * i)
        truth = {"doc_id": doc["doc_id"], "file": path.name, "look": doc["look"], "gold_pages": gold,
                 "fields": doc["truth"]}
        (truth_dir / f"{doc['doc_id']}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    a = sys.argv[1:]
    for p in make(Path(a[0]) if a else ROOT / "samples", Path(a[1]) if len(a) > 1 else ROOT / "tests" / "data"):
        print(p)
