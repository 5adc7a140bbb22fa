"""Shared fixtures: pages rendered afresh by the project's generator (tools/synth), with truth."""

import json
import os
import shutil
from pathlib import Path

import pytest

from tools.bench import gold_text  # noqa: F401  (tests import it from here)

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def documents():
    from tools.synth.documents import DOCUMENTS

    return {d["doc_id"]: d for d in DOCUMENTS}


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, documents):
    """Every sample document rendered again into a temp folder: scans + truth files."""
    from tools.synth.make_samples import make

    base = tmp_path_factory.mktemp("rendered")
    make(base / "scans", base / "truth")
    truth = {p.stem: json.loads(p.read_text()) for p in (base / "truth").glob("*.json")}
    return base / "scans", truth


@pytest.fixture(scope="session")
def batch(rendered, tmp_path_factory):
    """The rendered scans run through the CLI (stages directly, two jobs)."""
    from pipeline.cli import main

    scans, truth = rendered
    out = tmp_path_factory.mktemp("out")
    code = main(["run", str(scans), "--out", str(out), "--jobs", "2", "--no-prefect"])
    return code, out, truth


def delivery(tmp_path: Path, rendered, *names: str) -> Path:
    """A delivery folder holding copies of some rendered scans."""
    scans, _ = rendered
    d = tmp_path / "in"
    d.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(scans / name, d)
    return d


@pytest.fixture(autouse=True)
def rule_tests_never_load_the_ner_model(request, monkeypatch):
    """A test marked fast tests rules on text: loading spaCy's model there fails it."""
    if request.node.get_closest_marker("fast"):
        from pipeline.extract import ner

        def refuse():
            raise AssertionError("a rule test loaded the NER model (pass with_entities=False)")
        monkeypatch.setattr(ner, "ner_model", refuse)
