"""Benchmark: field accuracy, quota P/R, CER against bare Tesseract, and seconds per page,
on rendered scans with known truth (tests/data/*.json beside samples/).

    python -m pipeline.bench [--samples samples] [--truth tests/data] [--out /tmp/bench] [--bare]
"""

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

SCALARS = ("sent_at", "received_at", "reference_number", "origin", "sender", "sender_position",
           "addressees", "deadline", "in_reply_to")


def quota_key(q: dict) -> tuple:
    return (q["category"], q["count"], q["kind"])


def score_fields(fields: dict, truth: dict) -> dict:
    """Per scalar field True/False, and quota true positives, predicted and expected counts."""
    out = {k: fields[k]["value"] == truth[k] for k in SCALARS if k in truth}
    got = [quota_key(q["value"]) for q in fields["quotas"]]
    exp = [quota_key(q) for q in truth["quotas"]]
    tp = 0
    rest = list(got)
    for e in exp:
        if e in rest:
            rest.remove(e)
            tp += 1
    out["_quotas"] = (tp, len(got), len(exp))
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
    norm = lambda s: " ".join(s.split())  # noqa: E731
    g = norm(gold)
    return levenshtein(norm(ocr_text), g) / max(1, len(g))


def bare_tesseract(path: Path) -> str:
    """What a user gets from plain pytesseract on the raw scan, page by page."""
    import pytesseract

    from .clean import load_pages

    return "\f".join(pytesseract.image_to_string(p[:, :, ::-1], lang="rus") for p in load_pages(path))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=Path, default=Path("samples"))
    ap.add_argument("--truth", type=Path, default=Path("tests/data"))
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--bare", action="store_true", help="also time and score bare Tesseract")
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    from concurrent.futures import ThreadPoolExecutor

    from . import runner

    truths = {t["file"]: t for t in (json.loads(p.read_text()) for p in sorted(args.truth.glob("*.json")))}
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-"))
    ctxs = [c for c in runner.discover([str(args.samples)], out) if c.source.name in truths]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(runner.process_document, ctxs))
    wall = time.perf_counter() - t0
    pages = sum(r["source"]["pages"] for r in results)

    per_field, tp = {}, [0, 0, 0]
    cers = []
    print(f"{'document':28} {'CER':>6}  wrong fields")
    for ctx, r in zip(ctxs, results):
        t = truths[ctx.source.name]
        s = score_fields(r["fields"], t["fields"])
        for k, v in s.items():
            if k == "_quotas":
                tp = [a + b for a, b in zip(tp, v)]
            else:
                per_field.setdefault(k, []).append(v)
        c = cer(r["text"], "\f".join(t["gold_pages"]))
        cers.append(c)
        wrong = [k for k, v in s.items() if k != "_quotas" and not v]
        print(f"{r['document_id']:28} {c:6.3f}  {', '.join(wrong)}  quotas {s['_quotas'][0]}/{s['_quotas'][2]}")
    print("\nfield accuracy:")
    for k, v in per_field.items():
        print(f"  {k:18} {sum(v) / len(v):.2f}")
    allv = [x for v in per_field.values() for x in v]
    prec, rec = tp[0] / max(1, tp[1]), tp[0] / max(1, tp[2])
    f1 = 2 * prec * rec / max(1e-9, prec + rec)
    print(f"  {'all scalar fields':18} {sum(allv) / len(allv):.3f}")
    print(f"quotas: precision {prec:.3f} recall {rec:.3f} F1 {f1:.3f}")
    print(f"pipeline: mean CER {sum(cers) / len(cers):.4f}; {pages} pages in {wall:.1f} s with {args.jobs} jobs "
          f"= {wall / pages:.2f} s/page")
    if args.bare:
        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.jobs) as pool:
            texts = list(pool.map(bare_tesseract, [c.source for c in ctxs]))
        bwall = time.perf_counter() - t0
        bc = [cer(x, "\f".join(truths[c.source.name]["gold_pages"])) for x, c in zip(texts, ctxs)]
        print(f"bare tesseract: mean CER {sum(bc) / len(bc):.4f}; {bwall / pages:.2f} s/page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
