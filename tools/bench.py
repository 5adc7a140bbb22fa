"""Benchmarks that print figures (speed and accuracy targets live here, not in timed tests).
Run from the repository root (the varied scans come from tools/synth, the samples' truths are
read as files from tests/data):

    python -m tools.bench samples [--bare]          # the nine samples/ against tests/data
    python -m tools.bench ocr [--n 40 --seed 200]   # CER and s/page: bare Tesseract vs the
                                                    #   pipeline, mild and hard pages; --split
                                                    #   heldout: per family; --no-cost: no s/page
    python -m tools.bench ner                       # the NER model's stored dev P/R/F1 (models/ner)
    python -m tools.bench batch [--rounds 3]        # pages/min 1 vs 2 workers, RSS 20/200 pages, rerun cost
    python -m tools.bench stamps [--split heldout --n 30 --seed 800]  # stamp text in marks, per stamp family

Field extraction and confidence calibration are measured by tools/bench_extract.py.
"""
import argparse
import json
import re
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median

from pipeline.contract import FIELDS

ROOT = Path(__file__).resolve().parents[1]  # the repository: samples/ and tests/data are read from it
SCALARS = FIELDS


# ---------------------------------------------------------------- scoring

def quota_key(q: dict) -> tuple:
    return (q["category"], q["count"], q["kind"])


def score_fields(fields: dict, truth: dict) -> dict:
    """Per scalar field True/False, quota (true positives, predicted, expected), and the quotas
    missed and the ones found in excess."""
    out = {k: fields[k]["value"] == truth[k] for k in SCALARS if k in truth}
    rest = [quota_key(q["value"]) for q in fields["quotas"]]
    n_got, tp, missed = len(rest), 0, []
    for e in (quota_key(q) for q in truth["quotas"]):
        if e in rest:
            rest.remove(e)
            tp += 1
        else:
            missed.append(e)
    out["_quotas"] = (tp, n_got, len(truth["quotas"]))
    out["_quota_errors"] = (missed, rest)
    return out


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer(ocr_text: str, gold: str) -> float:
    """Character error rate over the text with white space runs folded to one space."""
    g, o = " ".join(gold.split()), " ".join(ocr_text.split())
    return levenshtein(o, g) / max(1, len(g))


class Tally:
    """Field accuracy and quota P/R/F1 over many documents."""

    def __init__(self):
        self.fields, self.q, self.wrong = {}, [0, 0, 0], []

    def add(self, doc_id: str, fields: dict, truth: dict) -> dict:
        s = score_fields(fields, truth)
        for k, v in s.items():
            if k == "_quotas":
                self.q = [a + b for a, b in zip(self.q, v)]
            elif k == "_quota_errors":
                if v[0] or v[1]:
                    self.wrong.append((doc_id, "quotas", v[1], v[0]))
            else:
                self.fields.setdefault(k, []).append(v)
                if not v:
                    self.wrong.append((doc_id, k, fields[k]["value"], truth[k]))
        return s

    def prf(self) -> tuple[float, float, float]:
        tp, got, exp = self.q
        p, r = tp / max(1, got), tp / max(1, exp)
        return p, r, 2 * p * r / max(1e-9, p + r)

    def report(self, title: str) -> None:
        print(f"\n{title}")
        for k, v in self.fields.items():
            print(f"  {k:18} {sum(v) / len(v):.3f}")
        allv = [x for v in self.fields.values() for x in v]
        print(f"  {'all scalar fields':18} {sum(allv) / max(1, len(allv)):.3f}  (min field "
              f"{min(sum(v) / len(v) for v in self.fields.values()):.3f})")
        p, r, f = self.prf()
        print(f"  quotas: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")


# ---------------------------------------------------------------- running

def gold_text(doc: dict) -> str:
    return "\f".join("\n".join(t for t in ((l if isinstance(l, str) else l["text"]) for l in lines) if t)
                     for lines in doc["pages"])


def render(docs: list[dict], folder: Path) -> dict:
    """Render documents into folder; {file name: (doc, gold text as rendered)}."""
    from tools.synth.render import render_document

    folder.mkdir(parents=True, exist_ok=True)

    def one(i_doc):
        i, doc = i_doc
        path, gold = render_document(doc, folder, 1000 + i)
        return path.name, (doc, "\f".join(gold))

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        return dict(pool.map(one, enumerate(docs)))


def pdf_readback(doc_dir: Path) -> tuple[float, float] | None:
    """The searchable PDF's text layer read back with pdfium, against result.json's text
    (whitespace normalised): (by place: each character given to the OCR word whose box holds it,
    the words then in the text's order; as a viewer copies a page: pdfium's own order). None
    when the document has no PDF."""
    import pypdfium2 as pdfium

    from pipeline.contract import source_file
    from pipeline.pdf import scan_dpi

    r = json.loads((doc_dir / "result.json").read_text(encoding="utf-8"))
    path = doc_dir / f"{r['document_id']}.pdf"
    if not path.exists():
        return None
    words = json.loads((doc_dir / "ocr.json").read_text(encoding="utf-8"))["words"]
    k = 72 / scan_dpi(source_file(r["source"]))
    pdf = pdfium.PdfDocument(str(path))
    got = {id(w): [] for w in words}
    viewer = []
    for n in range(len(pdf)):
        page, mine = pdf[n], [w for w in words if w["page"] == n + 1 and w.get("box")]
        h, tp = page.get_height(), page.get_textpage()
        viewer.append(tp.get_text_range())
        for i in range(tp.count_chars()):
            ch = tp.get_text_range(i, 1)
            if not ch.strip():
                continue
            x0, y0, x1, y1 = tp.get_charbox(i)
            cx, cy = (x0 + x1) / 2 / k, (h - (y0 + y1) / 2) / k   # source pixels
            inside = [w for w in mine if w["box"][0] <= cx <= w["box"][2] and w["box"][1] <= cy <= w["box"][3]]
            if inside:
                w = min(inside, key=lambda w: abs((w["box"][1] + w["box"][3]) / 2 - cy))
                got[id(w)].append(ch)
    by_place = " ".join("".join(got[id(w)]) for w in sorted(words, key=lambda w: w["start"]))
    norm = " ".join(r["text"].split())
    return cer(" ".join(by_place.split()), norm), cer(" ".join(" ".join(viewer).split()), norm)


def run_pipeline(paths: list[Path], out: Path, jobs: int) -> tuple[list[dict], float]:
    from pipeline import runner

    ctxs = runner.discover([str(p) for p in paths], out)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        results = [r for rs in pool.map(runner.process_document, ctxs) for r in rs]
    return results, time.perf_counter() - t0


def bare_tesseract(path: Path) -> str:
    """What a user gets from plain pytesseract on the raw scan, page by page."""
    import pytesseract

    from pipeline.images import load_pages

    return "\f".join(pytesseract.image_to_string(p[:, :, ::-1], lang="rus") for p in load_pages(path))


def run_bare(paths: list[Path], jobs: int) -> tuple[list[str], float]:
    t0 = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        texts = list(pool.map(bare_tesseract, paths))
    return texts, time.perf_counter() - t0


# ---------------------------------------------------------------- commands

def cmd_samples(args) -> None:
    truths = {t["file"]: t for t in (json.loads(p.read_text()) for p in sorted(args.truth.glob("*.json")))}
    paths = [args.samples / f for f in sorted(truths)]
    results, wall = run_pipeline(paths, args.work / "samples", args.jobs)
    tally, cers = Tally(), []
    print(f"{'document':28} {'CER':>6}  wrong fields")
    for r in results:
        t = truths[Path(r["source"]["path"]).name]
        s = tally.add(r["document_id"], r["fields"], t["fields"])
        cers.append(cer(r["text"], "\f".join(t["gold_pages"])))
        wrong = [k for k, v in s.items() if not k.startswith("_") and not v]
        print(f"{r['document_id']:28} {cers[-1]:6.3f}  {', '.join(wrong)}  quotas {s['_quotas'][0]}/{s['_quotas'][2]}")
    tally.report("samples (the reference texts rendered as scans), OCR path:")
    pages = sum(r["source"]["pages"] for r in results)
    print(f"pipeline: mean CER {sum(cers) / len(cers):.4f}; {pages} pages, {wall / pages:.2f} s/page")
    if args.bare:
        texts, bwall = run_bare(paths, args.jobs)
        bc = [cer(x, "\f".join(truths[p.name]["gold_pages"])) for x, p in zip(texts, paths)]
        print(f"bare tesseract: mean CER {sum(bc) / len(bc):.4f}; {bwall / pages:.2f} s/page")


def cmd_ocr(args) -> None:
    from tools.synth.varied import make_documents

    folder = args.work
    for hard in (False, True):
        docs = make_documents(args.n, seed=args.seed, hard=hard, split=args.split)
        rendered = render(docs, folder / f"scans-{hard}")
        paths = [folder / f"scans-{hard}" / f for f in rendered]
        results, _ = run_pipeline(paths, folder / f"out-{hard}", args.jobs)
        texts, _ = run_bare(paths, args.jobs)
        by_file = {Path(r["source"]["path"]).name: r for r in results}
        pc = [cer(by_file[p.name]["text"], rendered[p.name][1]) for p in paths]
        bc = [cer(t, rendered[p.name][1]) for t, p in zip(texts, paths)]
        worse, worst = max((a - b, p.stem) for a, b, p in zip(pc, bc, paths))
        kind = "hard" if hard else "mild"
        print(f"{kind}: {len(docs)} documents  bare Tesseract mean CER {sum(bc) / len(bc):.4f}  "
              f"pipeline {sum(pc) / len(pc):.4f}  ratio {sum(pc) / max(1e-9, sum(bc)):.2f}  "
              f"worst document vs bare {worse:+.3f} ({worst}); pipeline max {max(pc):.3f}")
        if args.split:  # per family value: where the pipeline stands against bare Tesseract
            for axis in ("copy", "damage", "typeface"):
                groups = {}
                for p, a, b in zip(paths, pc, bc):
                    groups.setdefault(rendered[p.name][0]["families"][axis], []).append((a, b))
                print(f"  {axis}: " + "; ".join(
                    f"{v} {len(g)} docs {sum(a for a, _ in g) / len(g):.3f} vs {sum(b for _, b in g) / len(g):.3f}"
                    f" ({sum(a - b > 0.01 for a, b in g)} worse)" for v, g in sorted(groups.items())))
    if args.no_cost:
        return
    # Per-page cost in a batch: (wall of N pages - wall of 2 pages) / (N - 2), default jobs,
    # in fresh processes so model loading counts once as it does for users.
    one_page = [d for d in make_documents(3 * args.n, seed=args.seed + 1)
                if len(d["pages"]) == 1 and d["format"] != "pdf"][: args.n]  # the tesseract CLI reads no PDF
    cost = render(one_page, folder / "scans-cost")
    big = [folder / "scans-cost" / f for f in cost]
    small = big[:2]
    t_big = timed_cli(big, folder / "cli-big")
    t_small = timed_cli(small, folder / "cli-small")
    per_page = (t_big - t_small) / (len(big) - len(small))
    floor = floor_seconds(big, small)
    print(f"batch cost: {len(big)} pages {t_big:.1f} s, 2 pages {t_small:.1f} s -> {per_page:.2f} s/page; "
          f"bare Tesseract floor (1 thread/process, {args.jobs} processes) {floor:.2f} s/page; "
          f"ratio {per_page / floor:.2f}")


def stamp_norm(text: str | None) -> str:
    """A stamp's text as compared: upper case (stamps mix it freely), one space between words."""
    return " ".join((text or "").upper().split())


def cmd_stamps(args) -> None:
    """Stamp text in marks[].text against the text stamped, per stamp family, on documents of one
    split with their damage fixed to 'stamp' (every page stamped once); and stamp words that
    landed in the body text (more often than the typed text holds them)."""
    from tools.synth.varied import make_documents

    docs = make_documents(args.n, seed=args.seed, split=args.split or "heldout", families={"damage": "stamp"})
    rendered = render(docs, args.work / "scans")
    paths = [args.work / "scans" / f for f in rendered]
    results, seconds = run_pipeline(paths, args.work / "out", args.jobs)
    by_file = {Path(r["source"]["path"]).name: r for r in results}
    rows = {}
    for p in paths:
        doc, gold = rendered[p.name]
        result, truth = by_file[p.name], stamp_norm(doc["look"].get("stamp_text"))
        words = {w for w in re.findall(r"[А-ЯЁ]{3,}", truth)}
        leaked = sum(max(0, len(re.findall(rf"\b{w}\b", result["text"].upper()))
                         - len(re.findall(rf"\b{w}\b", gold.upper()))) for w in words)
        for page in range(1, len(doc["pages"]) + 1):
            texts = [stamp_norm(m["text"]) for m in result["marks"] if m["kind"] == "stamp" and m["page"] == page]
            best = min((cer(t, truth) for t in texts), default=1.0)
            rows.setdefault(doc["families"]["stamp"], []).append((best, leaked if page == 1 else 0, bool(texts)))
            if args.keep:
                print(f"  {p.stem} p{page}: {truth!r} -> {texts}")
    total = [r for g in rows.values() for r in g]
    for name, g in sorted(rows.items()) + [("all", total)]:
        print(f"{name}: {len(g)} stamps, {sum(b <= 0.1 for b, _, _ in g)} within CER 0.1 "
              f"({sum(b <= 0.1 for b, _, _ in g) / len(g):.0%}), mean CER {sum(b for b, _, _ in g) / len(g):.3f}, "
              f"{sum(not f for _, _, f in g)} not found as a mark, stamp words in the body text {sum(l for _, l, _ in g)}")
    print(f"{len(docs)} documents in {seconds:.0f} s")


def timed_cli(paths: list[Path], out: Path, *extra: str, check: bool = True) -> float:
    """Wall seconds of `telegrams run PATHS --out OUT --no-prefect EXTRA` in a fresh process."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "run", *map(str, paths), "--out", str(out), "--no-prefect",
                    *extra], check=check, capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return time.perf_counter() - t0


def floor_seconds(big: list[Path], small: list[Path]) -> float:
    """Bare Tesseract at its best: the same pages, one OMP thread per process, one process per
    core, measured the same way (big batch minus small batch)."""
    workers = os.cpu_count() or 1
    return (bare_batch(big, workers) - bare_batch(small, workers)) / (len(big) - len(small))


def bare_batch(paths: list[Path], workers: int) -> float:
    """Wall time of the tesseract command on these pages, one OMP thread per process."""
    t0 = time.perf_counter()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda p: subprocess.run(["tesseract", str(p), "-", "-l", "rus"], env=env,
                                               capture_output=True, check=True), paths))
    return time.perf_counter() - t0


def cmd_ner(args) -> None:
    """The NER model's dev-split scores, as stored with it when it was trained (metrics.json
    beside meta.json in models/ner; `python -m tools.train_ner` writes both)."""
    from pipeline.paths import ner_model_path

    model = ner_model_path()
    m = json.loads((model / "metrics.json").read_text())
    meta = json.loads((model / "meta.json").read_text())
    o = m["overall"]
    print(f"NER model {model} ({meta.get('name')} {meta.get('version')}, trained {m.get('n_train', '?')} examples"
          f", seed {m.get('seed', '?')}, {m.get('train_seconds', '?')} s)")
    print(f"NER dev split ({m['n_dev']} examples never trained on): P {o['p']:.3f} R {o['r']:.3f} F1 {o['f']:.3f}")
    for label, sc in m["per_label"].items():
        print(f"  {label:6} P {sc['p']:.3f} R {sc['r']:.3f} F1 {sc['f']:.3f}")


def cmd_batch(args) -> None:
    """Batch behaviour (issue 5): pages per minute with 1 and 2 workers, peak memory at 20 and
    200 pages, and the cost of rerunning only the extract stage for 100 documents."""
    from tools.synth.varied import make_documents

    docs = [d for d in make_documents(90, seed=args.seed)
            if len(d["pages"]) == 1 and d["format"] != "pdf"][:20]  # the tesseract CLI reads no PDF
    folder = args.work
    rendered = render(docs, folder / "scans20")
    big = folder / "scans200"
    big.mkdir()
    for i in range(10):  # 200 pages: the 20 scans ten times under other names
        for f in rendered:
            shutil.copy(folder / "scans20" / f, big / f"c{i}_{f}")

    def cli(*extra, env=None) -> tuple[float, float, float]:
        """Wall seconds, CPU seconds (Tesseract's processes included) and peak RSS in MB of the
        run's largest process, the pipeline's own (wait4 gives the run's own figures, not the
        maximum over every run so far). A run that fails is reported, not timed as a fast one."""
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "pipeline", "run", *extra], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            print(f"   (run {' '.join(extra)} exited {p.returncode}: its figures are not comparable)")
        return time.perf_counter() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024

    t1, _, rss1 = cli(str(folder / "scans20"), "--out", str(folder / "o1"), "--jobs", "1", "--no-prefect")
    t2, _, rss20 = cli(str(folder / "scans20"), "--out", str(folder / "o2"), "--jobs", "2", "--no-prefect")
    print(f"20 pages: {60 * 20 / t1:.0f} pages/min with 1 worker, {60 * 20 / t2:.0f} with 2 "
          f"(speed-up {t1 / t2:.2f}, start-up included); peak RSS {rss20:.0f} MB with 2 workers, {rss1:.0f} with 1 (largest process)")
    # The same 20 scans three times: a start-up of about 1.2 s (imports 0.4 s, spaCy's model
    # 0.8 s) weighs less, as it does in a real delivery.
    sixty = folder / "scans60"
    sixty.mkdir()
    for p in sorted(big.iterdir())[:60]:
        shutil.copy(p, sixty / p.name)
    # Rounds, because this machine's speed drifts between runs by more than the gap to the
    # target. A lone worker uses OpenCV's thread pool, so it already takes part of the second
    # core; "one core" is the same worker with that pool held to one thread, as each of
    # several workers is.
    kinds = [("1 worker", "1", None), ("1 worker, one core", "1", {"OPENCV_FOR_THREADS_NUM": "1"}),
             ("2 workers", "2", None)]
    runs = {label: [] for label, _, _ in kinds}
    busy = {label: [] for label, _, _ in kinds}
    for r in range(max(1, args.rounds)):
        for label, jobs, env in kinds[r % 3:] + kinds[:r % 3]:  # each kind first in turn: drift spreads
            out = folder / f"o60-{jobs}-{len(runs[label])}{'c' if env else ''}"
            t, cpu, _ = cli(str(sixty), "--out", str(out), "--jobs", jobs, "--no-prefect", env=env)
            runs[label].append(t)
            busy[label].append(cpu / t)
            shutil.rmtree(out, ignore_errors=True)

    for label, ts in runs.items():
        print(f"60 pages, {label}: {', '.join(f'{t:.1f}' for t in ts)} s (median {60 * 60 / median(ts):.0f} "
              f"pages/min; cores busy {median(busy[label]):.2f})")
    for base in ("1 worker", "1 worker, one core"):
        ups = [a / b for a, b in zip(runs[base], runs["2 workers"])]
        print(f"   speed-up of 2 workers over {base}: {', '.join(f'{u:.2f}' for u in ups)} (median {median(ups):.2f})")
    # What this machine's two cores give bare Tesseract on the same pages: the ceiling to compare with
    b1, b2 = bare_batch(sorted(sixty.iterdir()), 1), bare_batch(sorted(sixty.iterdir()), 2)
    print(f"   bare Tesseract on the same 60 pages: {60 * 60 / b1:.0f} pages/min with 1 process, "
          f"{60 * 60 / b2:.0f} with 2 (speed-up {b1 / b2:.2f})")
    t200, _, rss200 = cli(str(big), "--out", str(folder / "o200"), "--no-prefect")
    print(f"200 pages: {t200:.0f} s ({60 * 200 / t200:.0f} pages/min, 2 workers); peak RSS {rss200:.0f} MB "
          f"(20 pages: {rss20:.0f} MB)")
    ids = sorted(p.parent.name for p in (folder / "o200").glob("*/result.json"))[:100]
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "rerun", *ids, "--stage", "extract", "--out",
                    str(folder / "o200"), "--no-prefect"], check=False, capture_output=True)
    tr = time.perf_counter() - t0
    print(f"rerun --stage extract of {len(ids)} documents: {tr:.1f} s ({tr / len(ids):.3f} s/document, no OCR)")


def cmd_startup(args) -> None:
    """Issue 22: what a one-page run costs beyond its page's bare Tesseract time, for each way of
    running Prefect: the median of 5 runs after one earlier run (first-time set-up excluded).
    The Prefect home and port are the work folder's own: a server of the user's is not touched."""
    import socket

    scan = args.work / "page.jpg"
    shutil.copy(min(args.samples.glob("*.jpg")), scan)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(args.work / "prefect"), TELEGRAMS_PREFECT_PORT=str(port), OMP_THREAD_LIMIT="1")

    def runs(extra: list[str], n: int = 5, **more) -> list[float]:
        times = []
        for _ in range(n + 1):  # the first is the earlier run
            t0 = time.perf_counter()
            p = subprocess.run([sys.executable, "-m", "pipeline", "run", *extra], env={**env, **more},
                               capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - t0)
            if p.returncode not in (0, 1):
                raise RuntimeError(f"run {' '.join(extra)} exited {p.returncode}: {p.stderr[-500:]}")
        return times[1:]

    bare = median(bare_batch([scan], 1) for _ in range(5))
    print(f"one page ({scan.stat().st_size // 1024} KB): bare Tesseract {bare:.2f} s (median of 5)")
    out = str(args.work / "out")
    bad = args.work / "bad"
    bad.mkdir()
    (bad / "broken.png").write_bytes(b"not an image")
    try:
        for label, extra, more in [
                ("background Prefect server, reused (default)", ["--force"], {}),
                ("temporary Prefect server per command", ["--force"], {"TELEGRAMS_PREFECT_SERVER": "temporary"}),
                ("no Prefect (--no-prefect)", ["--force", "--no-prefect"], {}),
                ("nothing new (default)", [], {})]:
            t = median(runs([str(scan), "--out", out, *extra], **more))
            print(f"  {label:45} {t:5.2f} s wall, {t - bare:5.2f} s beyond the page's OCR")
        t = median(runs([str(bad), "--out", out]))
        print(f"  {'an unchanged failed file, not retried':45} {t:5.2f} s wall")
        t = median(runs([str(bad), "--out", out, "--retry-failed"]))
        print(f"  {'the same with --retry-failed':45} {t:5.2f} s wall")
    finally:
        subprocess.run([sys.executable, "-m", "pipeline", "server", "stop"], env=env, capture_output=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", nargs="?", default="samples", choices=["samples", "ocr", "ner", "batch", "startup", "stamps"])
    ap.add_argument("--samples", type=Path, default=ROOT / "samples")
    ap.add_argument("--truth", type=Path, default=ROOT / "tests" / "data")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--n", type=int, default=None, help="varied documents (ocr 40)")
    ap.add_argument("--seed", type=int, default=None, help="varied set seed (ocr 200, batch 500: unseen by tuning)")
    ap.add_argument("--bare", action="store_true", help="samples: also bare Tesseract")
    ap.add_argument("--rounds", type=int, default=3, help="batch: 60-page runs per worker count")
    ap.add_argument("--split", choices=["tune", "calib", "heldout"],
                    help="ocr, stamps: documents of one family split (tools/families.json), figures per family")
    ap.add_argument("--no-cost", action="store_true", help="ocr: skip the batch-cost measurement")
    ap.add_argument("--keep", action="store_true", help="keep the run's scans and outputs (removed by default)")
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    defaults = {"samples": (0, 0), "ocr": (40, 200), "ner": (0, 0), "batch": (20, 500), "startup": (0, 0),
                "stamps": (30, 800)}[args.what]
    args.n = args.n or defaults[0]
    args.seed = defaults[1] if args.seed is None else args.seed
    # One work folder per run (scans, outputs): up to a gigabyte, so it goes unless --keep, or
    # unless the run failed (its folder is the evidence). A stopped run (Ctrl-C, a CI timeout's
    # SIGTERM) removes it too.
    args.work = Path(tempfile.mkdtemp(prefix=f"bench-{args.what}-"))
    on_term = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    failed = False
    try:
        {"samples": cmd_samples, "ocr": cmd_ocr, "ner": cmd_ner, "batch": cmd_batch,
         "startup": cmd_startup, "stamps": cmd_stamps}[args.what](args)
    except Exception:
        failed = True
        raise
    finally:
        signal.signal(signal.SIGTERM, on_term)
        if args.keep or failed:
            print(f"kept the scans and outputs in {args.work}", file=sys.stderr if failed else sys.stdout)
        else:
            shutil.rmtree(args.work, ignore_errors=True)
            if args.work.exists():
                print(f"could not remove {args.work}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
