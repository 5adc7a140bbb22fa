"""Extraction on families: field scores, silent errors, flagged share and reliability, on OCR'd
renders of one split of tools/families.json (and on their gold text, no OCR).

    python -m tools.bench_extract --split heldout --n 100 --seed 500 [--hard 20]
    python -m tools.bench_extract --split calib --n 120 --seed 900 --calibrate   # writes data/calibration.json

Renders and OCR are cached under --cache (by split, seed and count), so a change to the extract
stage is measured again in seconds."""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SCORED = ("sent_at", "received_at", "reference_number", "origin", "sender", "deadline", "addressees")
KEY = ("category", "count", "kind")


def gold_text(doc: dict) -> str:
    return "\f".join("\n".join(t for t in ((ln if isinstance(ln, str) else ln["text"]) for ln in lines) if t)
                     for lines in doc["pages"])


def ocred(split: str, n: int, seed: int, hard: bool, cache: Path) -> list[dict]:
    """[{doc_id, truth, families, gold, text, words}] for the split's documents, OCR'd once."""
    from tools.synth.render import render_document
    from tools.synth.varied import make_documents

    path = cache / f"{split}-{'hard' if hard else 'mild'}-{seed}-{n}.jsonl"
    if path.exists():
        return [json.loads(line) for line in path.read_text().splitlines()]
    docs = make_documents(n, seed=seed, hard=hard, split=split)
    with tempfile.TemporaryDirectory() as tmp:
        scans, out = Path(tmp) / "scans", Path(tmp) / "out"
        scans.mkdir()
        names = {}
        for i, d in enumerate(docs):
            p, _ = render_document(d, scans, 1000 + i)
            names[d["doc_id"]] = p
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        subprocess.run([str(Path(sys.executable).parent / "telegrams"), "run", str(scans), "--out", str(out)],
                       env=env, check=False, capture_output=True)
        rows = []
        for d in docs:
            o = out / names[d["doc_id"]].stem / "ocr.json"
            ocr = json.loads(o.read_text()) if o.exists() else {"text": "", "words": []}
            res = out / names[d["doc_id"]].stem / "result.json"
            result = json.loads(res.read_text()) if res.exists() else None
            rows.append({"doc_id": d["doc_id"], "truth": d["truth"], "families": d.get("families"),
                         "gold": gold_text(d), "text": ocr["text"], "words": ocr["words"],
                         "result": result and {"fields": result["fields"], "warnings": result["warnings"]}})
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    return rows


def values(fields: dict, truth: dict, doc_flagged: bool):
    """(field, right, flagged, raw score) for every scored value, as the blind check counts them:
    each scalar field, and each quota figure of category 1 or 2; a null in a document that needs
    review counts as flagged."""
    for k in SCORED:
        f = fields[k]
        yield k, f["value"] == truth.get(k), f["needs_review"] or (f["value"] is None and doc_flagged), \
            f.get("score"), f.get("evidence")
    want = [tuple(q[x] for x in KEY) for q in truth["quotas"]]
    for q in fields["quotas"]:
        key = tuple(q["value"][x] for x in KEY)
        if q["value"]["category"] in (1, 2):
            yield "quotas", key in want, q["needs_review"], q.get("score"), q.get("evidence")
        if key in want:
            want.remove(key)


def score(rows: list[dict], use: str) -> dict:
    from pipeline.extract import extract_fields

    acc = {k: [] for k in SCORED}
    tp = got = exp = 0
    vals, per_doc = [], []
    for r in rows:
        if use == "result":   # what the command wrote, line re-reads included (as cached)
            res = r["result"] or {"fields": extract_fields("", None, with_entities=False)["fields"], "warnings": []}
        else:
            res = extract_fields(r[use], r["words"] if use == "text" else None, with_entities=False)
        fields = res["fields"]
        flagged = bool(res["warnings"]) or any(f["needs_review"] for k, f in fields.items() if k != "quotas") \
            or any(q["needs_review"] for q in fields["quotas"])
        for v in values(fields, r["truth"], flagged):
            vals.append(v)
            if v[0] != "quotas":
                acc[v[0]].append(v[1])
        want = [tuple(q[x] for x in KEY) for q in r["truth"]["quotas"]]
        got += len(fields["quotas"])
        exp += len(want)
        for q in fields["quotas"]:
            key = tuple(q["value"][x] for x in KEY)
            if key in want:
                want.remove(key)
                tp += 1
        per_doc.append((r.get("families") or {}, sum(v[1] for v in values(fields, r["truth"], False)
                                                          if v[0] != "quotas") / len(SCORED)))
    p, rc = tp / max(got, 1), tp / max(exp, 1)
    f1 = 2 * p * rc / max(p + rc, 1e-9)
    per = {k: sum(v) / max(len(v), 1) for k, v in acc.items()}
    unflagged = [v for v in vals if not v[2]]
    return {"fields": per, "quota_prf": (p, rc, f1), "field_score": (sum(per.values()) + f1) / (len(per) + 1),
            "silent": sum(not v[1] for v in unflagged) / max(len(unflagged), 1),
            "flagged": sum(v[2] for v in vals) / max(len(vals), 1), "values": vals, "n": len(rows),
            "per_family": per_doc}


def report(name: str, s: dict) -> None:
    print(f"== {name}: {s['n']} documents")
    for k, v in s["fields"].items():
        print(f"  {k:18} {v:.3f}")
    p, r, f = s["quota_prf"]
    print(f"  quotas P/R/F1      {p:.3f} {r:.3f} {f:.3f}")
    print(f"  field score {s['field_score']:.3f}  silent {s['silent']:.3f}  flagged {s['flagged']:.1%}")
    fam: dict = {}
    for families, acc in s["per_family"]:
        for axis, value in families.items():
            fam.setdefault(f"{axis}={value}", []).append(acc)
    print("  scalar accuracy by family: " + ", ".join(f"{k} {sum(v) / len(v):.2f} ({len(v)})" for k, v in sorted(fam.items())))


def reliability(vals) -> None:
    print(f"  {'confidence':12} {'values':>6} {'right':>7}")
    for lo, hi in ((0, .5), (.5, .7), (.7, .8), (.8, .9), (.9, .95), (.95, 1.01)):
        sel = [v[1] for v in vals if v[3] is not None and lo <= v[3] < hi]
        if sel:
            print(f"  {lo:.2f}-{min(hi, 1):.2f}    {len(sel):6} {sum(sel) / len(sel):7.3f}")


from pipeline.extract import FEATURES, OCR_SURE  # noqa: E402


def calibrate(vals, target: float = 0.99) -> dict:
    """Fit the logistic model of a value being right on its evidence (the calibration split),
    then bins of its score -> share right, and the lowest bar above which values are right at
    `target`."""
    import numpy as np

    rows = [(v[4], v[1]) for v in vals if v[4]]
    names = sorted({e["field"] for e, _ in rows})
    rows = [({**e, "ocr_low": float(e["ocr"] > OCR_SURE)}, c) for e, c in rows]
    x = np.array([[1.0] + [float(e["field"] == n) for n in names] + [e[k] for k in FEATURES] for e, _ in rows])
    y = np.array([float(c) for _, c in rows])
    w = np.zeros(x.shape[1])
    for _ in range(3000):   # plain gradient descent on the log loss, a little L2
        p = 1 / (1 + np.exp(-x @ w))
        w -= 0.5 * (x.T @ (p - y) / len(y) + 0.001 * w)
    scores = 1 / (1 + np.exp(-x @ w))
    order = sorted(zip(scores.tolist(), y.tolist()))
    size = max(20, len(order) // 10)
    bins = []
    for i in range(0, len(order), size):
        chunk = order[i:i + size]
        bins.append([round(chunk[-1][0], 4), round((sum(c for _, c in chunk) + 1) / (len(chunk) + 2), 3)])
    for a, b in zip(bins, bins[1:]):
        b[1] = max(a[1], b[1])
    bins[-1][0] = 1.0
    bar = 1.0
    for i in range(len(order)):
        above = [c for _, c in order[i:]]
        if sum(above) / len(above) >= target:
            bar = order[i][0]
            break
    keys = ["bias"] + [f"field:{n}" for n in names] + list(FEATURES)
    return {"weights": dict(zip(keys, (round(v, 4) for v in w.tolist()))), "bins": bins,
            "flag_below": round(bar, 4), "target": target, "values": len(rows)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.bench_extract", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="heldout", choices=["tune", "calib", "heldout"])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--hard", type=int, default=0, help="hard scans besides the n mild ones")
    ap.add_argument("--seed", type=int, default=500)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "telegrams-bench")
    ap.add_argument("--calibrate", action="store_true", help="write pipeline/data/calibration.json")
    ap.add_argument("--gold", action="store_true", help="also score the gold text (no OCR)")
    ap.add_argument("--written", action="store_true",
                    help="also score result.json as the command wrote it when the cache was made (re-reads included)")
    args = ap.parse_args(argv)
    sets = [("mild", ocred(args.split, args.n, args.seed, False, args.cache))]
    if args.hard:
        sets.append(("hard", ocred(args.split, args.hard, args.seed, True, args.cache)))
    allvals = []
    for name, rows in sets:
        s = score(rows, "text")
        report(f"{args.split} {name}, OCR", s)
        allvals += s["values"]
        if args.gold:
            report(f"{args.split} {name}, gold text", score(rows, "gold"))
        if args.written and all(r.get("result") for r in rows):
            report(f"{args.split} {name}, result.json as written", score(rows, "result"))
    print("reliability (OCR):")
    reliability(allvals)
    if args.calibrate:
        from pipeline.paths import DATA

        cal = calibrate(allvals)
        cal["_comment"] = f"raw score -> share right; python -m tools.bench_extract --split {args.split} " \
                          f"--n {args.n} --hard {args.hard} --seed {args.seed} --calibrate"
        (DATA / "calibration.json").write_text(json.dumps(cal, indent=1) + "\n")
        print(f"wrote calibration: flag below {cal['flag_below']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
