"""Reruns: one stage from stored artifacts, failed documents from their failed stage, the
output-folder lock, and a delivery's manifest."""

import json
import shutil

import pytest

from pipeline import runner
from pipeline.cli import main
from pipeline.errors import Busy
from tests.conftest import delivery

pytestmark = pytest.mark.slow  # renders pages and runs Tesseract: pytest -m 'not slow' skips it


@pytest.fixture
def one_done(tmp_path, rendered):
    d = delivery(tmp_path, rendered, "gorky_1938_95.jpg")
    out = tmp_path / "out"
    assert main(["run", str(d), "--out", str(out), "--no-prefect"]) == 0
    return d, out


def test_rerun_extract_reuses_the_ocr(one_done):
    _, out = one_done
    doc = out / "gorky_1938_95"
    ocr_before = (doc / "ocr.json").stat().st_mtime_ns
    page_before = (doc / "pages" / "page-001.png").stat().st_mtime_ns
    (doc / "extract.json").unlink()
    assert main(["rerun", "gorky_1938_95", "--stage", "extract", "--out", str(out), "--no-prefect"]) == 0
    assert (doc / "ocr.json").stat().st_mtime_ns == ocr_before
    assert (doc / "pages" / "page-001.png").stat().st_mtime_ns == page_before
    r = json.loads((doc / "result.json").read_text())
    assert r["fields"]["reference_number"]["value"] == "95/ш"
    assert set(r["stages"]) == {"clean", "ocr", "extract", "write"}


def test_rerun_of_an_unknown_document_is_a_usage_error(one_done):
    _, out = one_done
    assert main(["rerun", "nope", "--stage", "ocr", "--out", str(out), "--no-prefect"]) == 2


def test_retry_failed_starts_at_the_failed_stage(one_done):
    d, out = one_done
    doc = out / "gorky_1938_95"
    # Make the stored OCR artifact unreadable: extract fails, the document is marked failed.
    (doc / "ocr.json").write_text("{broken")
    assert main(["rerun", "gorky_1938_95", "--stage", "extract", "--out", str(out), "--no-prefect"]) == 1
    r = json.loads((doc / "result.json").read_text())
    assert r["status"] == "failed" and r["error"]["stage"] == "extract"
    assert [(c.doc_id, s) for c, s in runner.failed_documents(out)] == [("gorky_1938_95", "extract")]
    # Repair by rerunning OCR, then nothing is left to retry.
    assert main(["rerun", "gorky_1938_95", "--stage", "ocr", "--out", str(out), "--no-prefect"]) == 0
    assert main(["run", "--retry-failed", "--out", str(out), "--no-prefect"]) == 0
    assert runner.failed_documents(out) == []


def test_a_second_run_on_the_same_output_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with runner.lock(out):
        with pytest.raises(Busy):
            with runner.lock(out):
                pass
    with runner.lock(out):  # released again
        pass


def test_manifest_values_reach_the_source(tmp_path, rendered):
    d = delivery(tmp_path, rendered, "erevan_1937_1893.jpg")
    manifest = tmp_path / "inventory.csv"
    manifest.write_text("file,fond,opis,delo,list\nerevan_1937_1893.jpg,17,166,580,10\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(d), "--out", str(out), "--no-prefect", "--manifest", str(manifest)]) == 0
    src = json.loads((out / "erevan_1937_1893" / "result.json").read_text())["source"]
    assert (src["fond"], src["opis"], src["delo"], src["list"]) == ("17", "166", "580", "10")


def test_a_killed_run_leaves_whole_files_and_the_next_run_finishes(tmp_path, rendered):
    """SIGKILL mid-batch: every result.json on disk parses, and a second run completes the rest."""
    import os
    import signal
    import subprocess
    import sys
    import time

    scans, truth = rendered
    d = tmp_path / "in"
    d.mkdir()
    for p in sorted(scans.iterdir()):
        shutil.copy(p, d)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(d), "--out", str(out), "--jobs", "1",
                             "--no-prefect"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("*/result.json"))) < 2:
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = list(out.glob("*/result.json"))
    assert 2 <= len(done_before) < len(truth)
    for p in done_before:
        json.loads(p.read_text())  # whole, never half-written
    assert main(["run", str(d), "--out", str(out), "--no-prefect"]) == 0
    assert {p.parent.name for p in out.glob("*/result.json")} == set(truth)
    assert not list(out.rglob("*.tmp"))


def test_a_busy_output_folder_exits_4(tmp_path, rendered):
    d = delivery(tmp_path, rendered, "erevan_1937_1893.jpg")
    out = tmp_path / "out"
    out.mkdir()
    with runner.lock(out):  # as if another run held it
        assert main(["run", str(d), "--out", str(out), "--no-prefect"]) == 4
    assert not list(out.glob("*/result.json"))
