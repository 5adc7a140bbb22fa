"""Splitting archival files into telegrams: split F1, each cue's worth, and the split's cost.

    python -m tools.bench_split --split heldout --n 30 --seed 40 [--hard 0]
    python -m tools.bench_split --split tune --n 30 --seed 7        # the set the weights were set on

Files come from tools.synth.delivery (cover sheets, inventories, blank backs, 2-6 telegrams of
1-3 pages from one family split). They are rendered and run through `telegrams run` as a user
runs it; each file's OUT/<file>/split.json is scored against the truth. A telegram counts as right
when its page range is exact: spurious and missed splits both cost. The pages' OCR text is cached
(--cache), so a change to pipeline/split.py is measured again in seconds (--decide-only).
--cost runs the same files again with --no-split and compares the wall time and stage seconds.
"""

import argparse
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.bench import pdf_readback, timed_cli


def ocred(split: str, n: int, seed: int, hard: bool, cache: Path, cost: bool) -> list[dict]:
    """[{file_id, documents (truth), pages: [page text], stored: split.json documents}]."""
    from tools.synth.delivery import make_files, render_file

    path = cache / f"split-{split}-{'hard' if hard else 'mild'}-{seed}-{n}.jsonl"
    if path.exists() and not cost:
        return [json.loads(line) for line in path.read_text().splitlines()]
    files = make_files(n, seed=seed, split=split, hard=hard)
    with tempfile.TemporaryDirectory() as tmp:
        scans, out = Path(tmp) / "scans", Path(tmp) / "out"
        scans.mkdir()
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            list(pool.map(lambda f: render_file(f, scans, 1000 + int(f["file_id"][-3:])), files))
        wall = timed_cli([scans], out, check=False)
        rows = []
        for f in files:
            fdir = out / f["file_id"]
            text = json.loads((fdir / "ocr.json").read_text())["text"] if (fdir / "ocr.json").exists() else ""
            stored = json.loads((fdir / "split.json").read_text()) if (fdir / "split.json").exists() else {}
            res = fdir / "result.json"
            failed = json.loads(res.read_text()).get("error") if res.exists() and not stored else None
            if failed or not text:
                print(f"  {f['file_id']}: not read ({failed or 'no ocr.json'})")
            rows.append({"file_id": f["file_id"], "documents": [{k: d[k] for k in ("pages", "kind")}
                                                                for d in f["documents"]],
                         "pages": text.split("\f"), "stored": stored.get("documents")})
        report_readback(out)
        if cost:
            report_cost(out, scans, Path(tmp) / "out-nosplit", wall, sum(len(f["pages"]) for f in files),
                        [f["file_id"] for f in files])
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    return rows


def report_readback(out: Path) -> None:
    """Each document's searchable PDF read back against its result.json text (tools.bench)."""
    got = [x for p in sorted(out.glob("*/result.json")) if (x := pdf_readback(p.parent))]
    if got:
        for i, how in enumerate(("by place (each character to the word whose box holds it)",
                                 "in pdfium's own order (a viewer's copy of the page)")):
            v = [g[i] for g in got]
            print(f"PDF text layer read back {how}: CER mean {sum(v) / len(v):.4f}, max {max(v):.4f}, "
                  f"{sum(x <= 0.01 for x in v)}/{len(v)} documents within 0.01")


def stage_seconds(out: Path, file_ids: list[str]) -> dict:
    """Stage seconds over a run: clean and ocr from each file's folder, extract and write from
    every document's (a telegram's stages.json repeats its file's clean and ocr), and the split
    from each file's split.json (a single document's, when the file is not split, only there)."""
    tot: dict[str, float] = {}
    for p in out.glob("*/stages.json"):
        is_file = p.parent.name in file_ids
        for k, v in json.loads(p.read_text()).items():
            if (k in ("clean", "ocr")) == is_file or (is_file and (p.parent / "result.json").exists()):
                tot[k] = tot.get(k, 0.0) + v["seconds"]
    tot["split"] = sum(json.loads(p.read_text()).get("seconds", 0.0) for p in out.glob("*/split.json"))
    return tot


def report_cost(out: Path, scans: Path, out_off: Path, wall_on: float, pages: int, file_ids: list[str]) -> None:
    wall_off = timed_cli([scans], out_off, "--no-split", check=False)
    on, off = stage_seconds(out, file_ids), stage_seconds(out_off, file_ids)
    print(f"cost: {pages} pages; wall with the split {wall_on:.1f} s, without {wall_off:.1f} s "
          f"({100 * (wall_on - wall_off) / wall_off:+.1f} %)")
    busy_on, busy_off = sum(on.values()), sum(off.values())
    print(f"  stage seconds with: {', '.join(f'{k} {v:.1f}' for k, v in on.items())} (total {busy_on:.1f})")
    print(f"  stage seconds without: {', '.join(f'{k} {v:.1f}' for k, v in off.items())} (total {busy_off:.1f})")
    print(f"  the split step itself: {on.get('split', 0):.2f} s, {100 * on.get('split', 0) / busy_off:.2f} % of the "
          f"stage seconds without it; {on.get('split', 0) / pages * 1000:.0f} ms a page")


def score(rows: list[dict], decide_now: bool) -> None:
    from pipeline import split

    tp = fp = fn = 0
    other_right = other_n = 0
    cue_stats: dict[str, list[int]] = {}   # cue -> [on opening pages, on other pages]
    n_open = n_rest = 0
    wrong = []
    for r in rows:
        truth = r["documents"]
        cues = [split.page_cues(t) for t in r["pages"]]
        got = split.decide(cues) if decide_now or r["stored"] is None else r["stored"]
        want_t = {tuple(d["pages"]) for d in truth if d["kind"] == "telegram"}
        got_t = {tuple(d["pages"]) for d in got if d["kind"] == "telegram"}
        tp += len(want_t & got_t)
        fp += len(got_t - want_t)
        fn += len(want_t - got_t)
        want_o = {tuple(d["pages"]) for d in truth if d["kind"] == "other"}
        other_n += len(want_o)
        other_right += len(want_o & {tuple(d["pages"]) for d in got if d["kind"] == "other"})
        if want_t != got_t:
            wrong.append((r["file_id"], sorted(want_t - got_t), sorted(got_t - want_t)))
        starts = {d["pages"][0]: d["kind"] for d in truth}
        for i, c in enumerate(cues, 1):
            opens = starts.get(i) == "telegram"
            n_open += opens
            n_rest += not opens
            for k in split.WEIGHTS:
                s = cue_stats.setdefault(k, [0, 0])
                s[0 if opens else 1] += bool(c.get(k))
    p = tp / max(1, tp + fp)
    rc = tp / max(1, tp + fn)
    f1 = 2 * p * rc / max(1e-9, p + rc)
    print(f"{len(rows)} files, {tp + fn} telegrams: precision {p:.3f} recall {rc:.3f} F1 {f1:.3f}; "
          f"cover and inventory sheets found {other_right}/{other_n}")
    print(f"cues ({n_open} pages open a telegram, {n_rest} do not): share of each with the cue")
    for k, (a, b) in cue_stats.items():
        print(f"  {k:12} weight {split.WEIGHTS[k]:+.1f}   opening {a / max(1, n_open):.2f}   other {b / max(1, n_rest):.2f}")
    for fid, missed, spurious in wrong[:15]:
        print(f"  {fid}: missed {missed} spurious {spurious}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.bench_split", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="heldout", choices=["tune", "calib", "heldout"])
    ap.add_argument("--n", type=int, default=30, help="files (default 30)")
    ap.add_argument("--seed", type=int, default=40)
    ap.add_argument("--hard", action="store_true", help="telegrams of the split's hard damage values")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "telegrams-bench-split")
    ap.add_argument("--decide-only", action="store_true",
                    help="score the current split.py on the cached pages' text (no split.json)")
    ap.add_argument("--cost", action="store_true", help="run again with --no-split and compare")
    args = ap.parse_args(argv)
    rows = ocred(args.split, args.n, args.seed, args.hard, args.cache, args.cost)
    score(rows, args.decide_only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
