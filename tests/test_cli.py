"""The command line: help, exit codes, bad files in a batch, incremental reruns."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from pipeline.cli import build_parser, main
from tests.conftest import delivery
from tests.test_clean import make_bad

pytestmark = pytest.mark.slow  # renders pages and runs Tesseract: pytest -m 'not slow' skips it


def test_every_command_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        with pytest.raises(SystemExit) as e:
            parser.parse_args([name, "--help"])
        assert e.value.code == 0


def test_help_is_fast_and_does_not_import_prefect():
    code = "import sys; from pipeline.cli import main; main(['--help']); print('prefect' in sys.modules)"
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False")
    assert time.perf_counter() - t0 < 5


def test_usage_errors_exit_2(tmp_path):
    assert main(["run"]) == 2
    assert main(["run", str(tmp_path / "missing.png"), "--out", str(tmp_path / "o")]) == 2


def test_output_path_that_is_a_file_exits_3(tmp_path, rendered):
    scans, _ = rendered
    target = tmp_path / "out"
    target.write_text("a file")
    assert main(["run", str(scans / "gorky_1938_95.jpg"), "--out", str(target), "--no-prefect"]) == 3


def test_bad_files_fail_alone_and_the_batch_goes_on(tmp_path, rendered):
    scans, _ = rendered
    d = tmp_path / "delivery"
    d.mkdir()
    shutil.copy(scans / "gorky_1938_95.jpg", d / "скан «1» с пробелом.jpg")
    for kind in ("empty", "text", "truncated", "bomb", "pdf0"):
        make_bad(d, kind)
    os.symlink(d / "nowhere.png", d / "dangling.png")
    (d / "folder.png").mkdir()
    out = tmp_path / "out"
    assert main(["run", str(d), "--out", str(out), "--no-prefect"]) == 1
    rows = {r["document_id"]: r for r in json.loads((out / "index.json").read_text())}
    assert rows["скан__1__с_пробелом"]["status"] in ("ok", "needs_review")
    failed = [r for r in rows.values() if r["status"] == "failed"]
    assert len(failed) == 7
    for r in failed:
        assert r["failed_stage"] == "clean" and r["error"] and "\n" not in r["error"]
        result = json.loads((out / r["document_id"] / "result.json").read_text())
        assert result["error"]["stage"] == "clean" and result["status"] == "failed"


def test_same_stem_in_two_folders_gets_two_ids(tmp_path, rendered):
    scans, _ = rendered
    for sub in ("a", "b"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        shutil.copy(scans / "erevan_1937_1893.jpg", tmp_path / "in" / sub / "x.jpg")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "in"), "--out", str(out), "--no-prefect"]) == 0
    ids = sorted(p.parent.name for p in out.glob("*/result.json"))
    assert len(ids) == 2 and all(i.startswith("x-") and len(i) == 10 for i in ids)


def test_a_second_run_skips_unchanged_scans(tmp_path, rendered, capsys):
    d = delivery(tmp_path, rendered, "yaroslavl_1937_1267.jpg")
    out = tmp_path / "out"
    assert main(["run", str(d), "--out", str(out), "--no-prefect"]) == 0
    first = (out / "yaroslavl_1937_1267" / "result.json").stat().st_mtime_ns
    (out / "yaroslavl_1937_1267" / "review.json").write_text('{"document_id": "x", "decisions": []}')
    assert main(["run", str(d), "--out", str(out), "--no-prefect"]) == 0
    assert "1 already current" in capsys.readouterr().err
    assert (out / "yaroslavl_1937_1267" / "result.json").stat().st_mtime_ns == first
    assert main(["run", str(d), "--out", str(out), "--no-prefect", "--force"]) == 0
    assert (out / "yaroslavl_1937_1267" / "review.json").exists()  # never touched by the pipeline


def test_blank_and_all_stamp_pages_need_review(tmp_path):
    """No text on a page: not a failure, but needs_review with 'no text found'."""
    from PIL import Image, ImageDraw

    d = tmp_path / "in"
    d.mkdir()
    Image.new("RGB", (1200, 1700), (236, 228, 205)).save(d / "blank.png")
    stamp = Image.new("RGB", (1200, 1700), (236, 228, 205))
    draw = ImageDraw.Draw(stamp)
    for r in range(300, 560, 9):
        draw.ellipse((600 - r, 850 - r, 600 + r, 850 + r), outline=(205, 45, 55), width=5)
    stamp.save(d / "stamp.png")
    out = tmp_path / "out"
    assert main(["run", str(d), "--out", str(out), "--no-prefect"]) == 0
    for doc in ("blank", "stamp"):
        r = json.loads((out / doc / "result.json").read_text())
        assert r["status"] == "needs_review" and "no text found" in r["warnings"]
    assert json.loads((out / "stamp" / "result.json").read_text())["marks"][0]["color"] == "red"


def test_bench_removes_its_work_folder_unless_kept(tmp_path, monkeypatch, capsys):
    """A bench run renders and processes up to a gigabyte of scans: left in /tmp run after run,
    they filled the disk. The figures print, and the folder goes unless --keep."""
    import tempfile

    from tools import bench

    samples, truth = tmp_path / "samples", tmp_path / "truth"
    samples.mkdir(), truth.mkdir()
    shutil.copy("samples/omsk_1937_217.png", samples)
    shutil.copy("tests/data/omsk_1937_217.json", truth)
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    args = ["samples", "--samples", str(samples), "--truth", str(truth), "--jobs", "1"]
    assert bench.main(args) == 0
    assert "omsk_1937_217" in capsys.readouterr().out  # the document's row of figures
    assert list(work.iterdir()) == []
    assert bench.main(args + ["--keep"]) == 0
    kept = list(work.iterdir())
    assert len(kept) == 1 and list(kept[0].glob("samples/*/result.json"))
    assert str(kept[0]) in capsys.readouterr().out
    shutil.rmtree(kept[0])

    def boom(args):
        (args.work / "partial").write_text("evidence")
        raise RuntimeError("a stage broke")

    monkeypatch.setattr(bench, "cmd_samples", boom)
    with pytest.raises(RuntimeError):
        bench.main(args)
    assert [p.name for p in work.glob("*/partial")] == ["partial"]  # a failed run keeps its folder


def test_outputs_get_the_umask_mode_not_0600(tmp_path, rendered):
    """Atomic writes go through mkstemp (0600); a shared OUT must still be readable by the team."""
    d = delivery(tmp_path, rendered, "gorky_1938_95.jpg")
    out = tmp_path / "out"
    old = os.umask(0o027)
    try:
        assert main(["run", str(d), "--out", str(out), "--no-prefect"]) == 0
    finally:
        os.umask(old)
    files = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert {"result.json", "index.csv", "index.json", "page-001.png"} <= {p.name for p in files}
    assert any(p.suffix == ".xml" for p in files)
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {oct(0o640)}
