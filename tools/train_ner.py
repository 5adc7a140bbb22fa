"""Train the project's NER model (PER, LOC, ORG, DATE, QUOTA) on a synthetic telegram corpus.

    python -m tools.train_ner [--out models/ner] [--n 3000] [--seed 0]    # from the repository root

No annotated telegrams exist, so the corpus is generated from the templates and lexicons in
pipeline/data/ner_templates.json (span conventions are written there). The dev split (20%) is drawn from
held-out surnames, cities, regions and body templates, so its scores measure generalisation
rather than memory. The corpus is kept as JSONL in pipeline/data/ner_corpus/; .spacy files and training
checkpoints go to models/ner-training/ (git-ignored); model-best is copied to --out with
metrics.json. Everything is local: blank `ru`, no vectors, nothing is downloaded.
"""

import os

# Set before numpy/blis load: the target machine has 2 cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

# The repository's files, not the installed package's: the templates, config and corpus are
# training inputs kept in pipeline/data, and the model goes to models/ner.
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "pipeline" / "data"
CONFIG = DATA / "ner.cfg"
CORPUS = DATA / "ner_corpus"
BUILD = ROOT / "models" / "ner-training"
LABELS = ("PER", "LOC", "ORG", "DATE", "QUOTA")
SLOT = re.compile(r"\{(\w+)(?:\|(\w+))?\}|<(\w+)\|([^>]+)>")  # {SLOT|style} or <LABEL|literal>
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def load_templates() -> dict:
    return json.loads((DATA / "ner_templates.json").read_text(encoding="utf-8"))


def split(items: list, frac: float, rng: random.Random) -> tuple[list, list]:
    """(train, held-out) parts of a list, the held-out part about `frac` of it."""
    items = list(items)
    rng.shuffle(items)
    k = max(1, round(len(items) * frac))
    return items[k:], items[:k]


class Lexicon:
    """The lexicon items one split may use: held-out items appear only in dev."""

    def __init__(self, t: dict, dev: bool, seed: int):
        rng = random.Random(f"split-{seed}")  # same split for train and dev
        pick = (lambda parts: parts[1]) if dev else (lambda parts: parts[0])
        self.surnames = pick(split(t["surnames"], t["heldout_fraction"], rng))
        self.body = pick(split(t["body"], t["heldout_fraction"], rng))
        self.plain = pick(split(t["plain"], t["heldout_fraction"], rng))
        dev_cities, dev_regions = set(t["dev_only_cities"]), set(t["dev_only_regions"])
        self.cities = [c for c in t["cities"] if (c[0] in dev_cities) == dev]
        self.regions = [r for r in t["regions"] if (r[0] in dev_regions) == dev]
        self.republics = [r for r in self.regions if r[0] in t["republics"]]
        self.addressees = t["addressees"]  # the genre's constants: shared by both splits


class Generator:
    """Renders templates into (text, [(start, end, label)]) examples."""

    def __init__(self, t: dict, lex: Lexicon, rng: random.Random, latin: dict):
        self.t, self.lex, self.rng, self.latin = t, lex, rng, latin

    # ------------------------------------------------------------ lexical items

    def decline(self, name: str, case: str) -> str:
        if case == "nom":
            return name
        idx = {"gen": 2, "acc": 2, "dat": 3, "ins": 4}[case]  # masculine surnames: acc = gen
        for rule in self.t["declension"]["rules"]:
            if name.lower().endswith(rule[0]):
                return name[: len(name) - rule[1]] + rule[idx]
        return name

    def style(self, text: str, style: str | None, p_caps: float) -> str:
        style = style or ("caps" if self.rng.random() < p_caps else "keep")
        if style == "caps":
            return text.upper()
        if style == "title":
            return " ".join("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")) for w in text.split(" "))
        return text.lower() if style == "lower" else text

    def surname(self, case: str, addressee: bool = False) -> str:
        pool = self.lex.addressees if addressee and self.rng.random() < 0.7 else self.lex.surnames
        return self.decline(self.rng.choice(pool), case)

    def initials(self) -> str:
        a, b = self.rng.choice(self.t["initials"]), self.rng.choice(self.t["initials"])
        return self.rng.choice([f"{a}. ", f"{a}.{b}. ", f"{a}. {b}. ", f"{a}.{b}."])

    def city(self) -> list:
        return self.rng.choice(self.lex.cities)

    def oblast(self, case: str) -> str:
        adj = self.city()[3]
        noun = {"nom": "ая область", "acc": "ую область"}.get(case, "ой области")
        if self.rng.random() < 0.12:  # typists abbreviated
            noun = noun.split()[0] + " обл."
        return adj + noun

    def org(self, kind: str, case: str) -> str:
        if kind == "R":  # an organisation of a republic
            entries = [e for k in ("loc", "nkvd") for e in self.t["orgs"][k] if "{R" in e["nom"]]
        elif kind == "A":  # bodies a telegram is addressed to
            entries = [e for e in self.t["orgs"]["c"] if e.get("addr")]
        else:
            entries = self.t["orgs"][{"C": "c", "L": "loc", "N": "nkvd", "T": "t"}[kind]]
        e = self.rng.choice(entries)
        form = e.get(case) or e["nom"]  # acc defaults to nom; one-form entries are indeclinable
        rep = self.rng.choice(self.lex.republics)
        return form.replace("{A}", self.city()[3]).replace("{Rd}", rep[2]).replace("{R}", rep[1])

    # ------------------------------------------------------------ dates and numbers

    def fill(self, fmt: str) -> str:
        r, months = self.rng, self.t["months"]
        m = r.randrange(12)
        year = r.choices([y for y, _ in self.t["years"]], [w for _, w in self.t["years"]])[0]
        values = {"d": r.randint(1, 28 if m == 1 else 30), "R": self.t["roman"][m], "mm": f"{m + 1:02d}",
                  "Y": year, "y": year % 100, "Mn": months["nom"][m], "Mg": months["gen"][m],
                  "Mp": months["prep"][m], "h": r.randint(0, 23), "mi": f"{r.randint(0, 59):02d}",
                  "n": r.randint(1, 99999), "p": r.randint(40, 66), "q": r.randint(1, 250),
                  "m": r.randint(100, 999), "k": r.randint(2, 60)}
        values["dd"] = f"{values['d']:02d}"
        return PLACEHOLDER.sub(lambda x: str(values[x.group(1)]), fmt)

    def count(self, gen: bool) -> str:
        """A number of people as the telegrams write it: digits, '5 тыс.', 'две тысячи', '41 305'."""
        r, nums = self.rng, self.t["numbers"]
        x = r.random()
        if x < 0.2:  # in words
            th, hu = nums["thousands"], nums["hundreds"]
            parts = [th[r.choice(list(th))][gen]] if r.random() < 0.8 else []
            if not parts or r.random() < 0.3:
                parts.append(hu[r.choice(list(hu))][gen])
            return " ".join(parts)
        if x < 0.45:  # digits with a scale word
            k = r.choice([r.randint(1, 50), r.randint(1, 9), r.randint(1, 20)])
            k = "1,5" if r.random() < 0.05 else str(k)
            word = r.choice(nums["scale"])
            if word == "тысяч" and not gen and k[-1] in "234" and not k.endswith(("12", "13", "14")):
                word = "тысячи"
            return f"{k} {word}"
        v = int(math.exp(r.uniform(math.log(30), math.log(60000))))
        v = round(v, -r.choice([0, 1, 2, 2])) or v
        if v < 1000:
            return str(v)
        sep = r.choices(["", ".", " ", ","], [0.4, 0.35, 0.2, 0.05])[0]
        return f"{v // 1000}{sep}{v % 1000:03d}"

    def quota(self, gen: bool, unit: bool) -> str:
        s = self.count(gen)
        if unit:
            units = self.t["numbers"]["units"]
            s += self.rng.choices([u for u, _ in units], [w for _, w in units])[0]
        return s

    # ------------------------------------------------------------ templates

    def slot(self, name: str, style: str | None) -> list[tuple[str, str | None]]:
        """Segments (text, label) for one template slot."""
        r, t = self.rng, self.t
        kind, _, case = name.partition("_")
        if kind in ("PER", "ADDR"):  # ADDR: an addressee, usually Stalin or Yezhov
            if case == "sig":
                ini = self.initials() if r.random() < 0.45 else ""
                return [(self.style(ini + self.surname("nom"), style, 0.75), "PER")]
            return [(self.style(self.surname(case, addressee=kind == "ADDR"), style, 0.3), "PER")]
        if kind == "ADDRS":  # a list of addressees, one entity each
            st = style or ("caps" if r.random() < 0.3 else "keep")
            segs = []
            for i in range(r.choice([1, 2, 2, 3])):
                segs += [(", ", None)] if i else []
                segs.append((self.style(self.surname(case, addressee=i == 0), st, 0), "PER"))
            return segs
        if kind == "CITY":
            return [(self.style(self.city()[{"nom": 0, "gen": 1, "prep": 2}[case]], style, 0.2), "LOC")]
        if kind == "CAP":
            cap = t["capitals"][0] if r.random() < 0.8 else r.choice(t["capitals"])
            return [(self.style(cap, style, 0.5), "LOC")]
        if kind == "OBL":
            return [(self.oblast(case), "LOC")]
        if kind == "REG":
            return [(r.choice(self.lex.regions)[{"nom": 0, "gen": 1, "dat": 2, "prep": 3}[case]], "LOC")]
        if kind.startswith("ORG"):
            return [(self.style(self.org(kind[3], case), style, 0.03), "ORG")]
        if kind in ("DATE", "DATEW", "DL", "TIME", "MONTH"):
            fmts = {"DATE": t["date_formats"], "DATEW": t["word_date_formats"], "DL": t["deadline_formats"],
                    "TIME": t["time_formats"]}.get(kind) or t["month_formats"][case]
            return [(self.fill(r.choice(fmts)), "DATE")]
        if kind in ("Q", "QN", "Qg"):
            return [(self.quota(gen=kind == "Qg", unit=kind != "QN"), "QUOTA")]
        if kind in t["fillers"]:
            return [(self.fill(r.choice(t["fillers"][kind])), None)]
        raise KeyError(f"unknown slot {name!r}")

    def render(self, tpl: str, capitalise: bool = True) -> list[tuple[str, str | None]]:
        segs, pos = [], 0
        for m in list(SLOT.finditer(tpl)) + [None]:
            lit = tpl[pos: m.start() if m else len(tpl)]
            if segs and segs[-1][0].endswith(".") and lit.startswith("."):
                lit = lit[1:]  # "5 тыс." ends the sentence: no second full stop
            segs.append((lit, None))
            if m is None:
                break
            segs += [(m.group(4), m.group(3))] if m.group(3) else self.slot(m.group(1), m.group(2))
            pos = m.end()
        segs = [s for s in segs if s[0]]
        return capitalised(segs) if capitalise else segs

    # ------------------------------------------------------------ documents

    def sentence(self) -> list:
        r = self.rng
        if r.random() < 0.15:  # sentences with no entity teach what is not one
            return self.render(r.choice(self.lex.plain))
        segs = self.render(r.choice(self.lex.body), capitalise=False)
        if r.random() < 0.2:  # vary the first word, which the model would otherwise over-trust
            if segs[0][1] is None:
                segs[0] = (segs[0][0][:1].lower() + segs[0][0][1:], None)
            segs.insert(0, (r.choice(self.t["openers"]) + " ", None))
        return capitalised(segs)

    def paragraph(self, n: int) -> list:
        segs = []
        for i in range(n):
            segs += ([(" ", None)] if i else []) + self.sentence()
        return segs

    def header(self) -> list[list]:
        r, h = self.rng, self.t["header"]
        lines = []
        if r.random() < 0.12:  # memorandum layout: place and date, then number and addressee
            lines += [self.render("{CITY_nom}"), self.render("{DATE}"), [], self.render(r.choice(h["memo"])), []]
            lines += [self.render(r.choice(h["address"])), []]
            return lines + ([self.render(r.choice(h["reply"])), []] if r.random() < 0.4 else [])
        for key, p in (("origin", 0.85), ("sent", 0.8), ("received", 0.45), ("number", 0.7), ("routing", 0.25)):
            if r.random() < p:
                lines.append(self.render(r.choice(h[key])))
        lines += [[], self.render(r.choice(h["address"])), []] if r.random() < 0.9 else [[]]
        return lines + ([self.render(r.choice(h["reply"]))] if r.random() < 0.2 else [])

    def wrap(self, text: str) -> str:
        """Break a typed paragraph into lines like the typewriter did (spaces become newlines)."""
        width = self.rng.randint(38, 70)
        chars, start, last_space = list(text), 0, None
        for i, c in enumerate(chars):
            if c == " ":
                last_space = i
            if i - start >= width and last_space is not None and last_space > start:
                chars[last_space], start, last_space = "\n", last_space + 1, None
        return "".join(chars)

    def document(self) -> tuple[str, list]:
        r, t = self.rng, self.t
        blocks: list[tuple[list, bool]] = []  # (segments, is typed paragraph)
        if r.random() < t["fragment_fraction"]:
            kind = r.random()
            if kind < 0.5:
                blocks.append((self.paragraph(r.randint(1, 3)), True))
            elif kind < 0.75:
                blocks += [(line, False) for line in self.header()]
            else:
                blocks += [(self.paragraph(r.randint(1, 2)), True), ([], False)]
                blocks += [(self.render(line), False) for line in r.choice(t["signature"]).split("\n")]
        else:
            if r.random() < 0.5:
                form = [t["form"]["titles"][0] if r.random() < 0.7 else r.choice(t["form"]["titles"])]
                form += r.sample(t["form"]["lines"], r.randint(1, 2))
                blocks += [(self.render(x), False) for x in form] + [([], False)]
            if r.random() < 0.3:
                blocks.append((self.render("{SECRECY}"), False))
            blocks += [(line, False) for line in self.header()]
            for _ in range(r.choice([1, 1, 2, 2, 3])):
                blocks.append((self.paragraph(r.randint(1, 3)), True))
            blocks.append(([], False))
            blocks += [(self.render(line), False) for line in r.choice(t["signature"]).split("\n")]
        text, spans = "", []
        for i, (segs, typed) in enumerate(blocks):
            block, bspans = "", []
            for s, label in segs:
                if label:
                    bspans.append((len(text) + (i > 0) + len(block), len(text) + (i > 0) + len(block) + len(s), label))
                block += s
            if typed and r.random() < 0.7:
                block = self.wrap(block)  # same length: offsets still hold
            text += ("\n" if i else "") + block
            spans += bspans
        if r.random() < 0.04:
            text = text.upper()  # telegraph copies typed in capitals; length is preserved
        return text, spans

    def noise(self, text: str, spans: list) -> tuple[str, list]:
        """OCR errors: Latin look-alikes, '0' read as 'О', letters dropped inside words (not at entity edges)."""
        r = self.rng
        edges = {s for s, _, _ in spans} | {e - 1 for _, e, _ in spans}
        p_latin, p_drop, p_zero = r.uniform(0.01, 0.06), r.uniform(0.0, 0.015), r.uniform(0.1, 0.5)
        out, newpos = [], []
        for i, c in enumerate(text):
            newpos.append(len(out))
            inner = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
            if c.isalpha() and inner and i not in edges and r.random() < p_drop:
                continue
            if c in self.latin and r.random() < p_latin:
                c = self.latin[c]
            elif c == "0" and r.random() < p_zero:
                c = "О"
            out.append(c)
        newpos.append(len(out))
        return "".join(out), [(newpos[s], newpos[e], label) for s, e, label in spans]


def capitalised(segs: list) -> list:
    return [(segs[0][0][:1].upper() + segs[0][0][1:], segs[0][1])] + segs[1:] if segs else segs


def aligned(nlp, text: str, spans: list) -> bool:
    doc = nlp.make_doc(text)
    return all(doc.char_span(s, e) is not None for s, e, _ in spans)


def generate(n: int, dev: bool, seed: int, nlp) -> list[dict]:
    t = load_templates()
    latin = {cyr: lat for lat, cyr in t["latin_lookalikes"].items()}
    rng = random.Random(f"{'dev' if dev else 'train'}-{seed}")
    gen = Generator(t, Lexicon(t, dev, seed), rng, latin)
    out = []
    while len(out) < n:
        text, spans = gen.document()
        if rng.random() < t["noise_fraction"]:
            noisy = gen.noise(text, spans)
            if aligned(nlp, *noisy):  # a dropped dot can merge tokens; keep the clean text then
                text, spans = noisy
        if aligned(nlp, text, spans) and text.strip():
            out.append({"text": text, "entities": [[s, e, label] for s, e, label in spans]})
    return out


def to_docbin(nlp, rows: list[dict], path: Path):
    from spacy.tokens import DocBin

    db = DocBin()
    for row in rows:
        doc = nlp.make_doc(row["text"])
        doc.ents = [doc.char_span(s, e, label=label) for s, e, label in row["entities"]]
        db.add(doc)
    db.to_disk(path)


def write_jsonl(rows: list[dict], path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def evaluate(model: Path, dev_path: Path) -> dict:
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Example

    nlp = spacy.load(model)
    refs = DocBin().from_disk(dev_path).get_docs(nlp.vocab)
    scores = nlp.evaluate([Example(nlp.make_doc(d.text), d) for d in refs])
    per = scores.get("ents_per_type") or {}
    return {"overall": {"p": scores["ents_p"], "r": scores["ents_r"], "f": scores["ents_f"]},
            "per_label": {k: per[k] for k in LABELS if k in per}}


def install(best: Path, out: Path):
    """Copy model-best to `out`, replacing only a previous model there."""
    if out.exists():
        if any(out.iterdir()) and not (out / "meta.json").exists():
            raise SystemExit(f"{out} exists and is not a spaCy model; not overwriting it")
        shutil.rmtree(out)
    shutil.copytree(best, out)
    meta = json.loads((out / "meta.json").read_text())
    meta.update(name="telegrams_ner", version="0.1.0",
                description="NER (PER LOC ORG DATE QUOTA) for 1937-38 cipher telegrams; synthetic training data")
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m tools.train_ner", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path(os.environ.get("TELEGRAMS_MODELS", ROOT / "models")) / "ner",
                    help="where the model goes (default: $TELEGRAMS_MODELS/ner, which the pipeline reads, "
                         "else models/ner)")
    ap.add_argument("--n", type=int, default=3000, help="examples in train + dev")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    import spacy
    from spacy.cli.train import train

    nlp = spacy.blank("ru")  # tokenizer only: no lemmatizer, so pymorphy3 is not needed here
    t = load_templates()
    n_dev = round(args.n * t["dev_fraction"])
    splits = {"train": generate(args.n - n_dev, False, args.seed, nlp), "dev": generate(n_dev, True, args.seed, nlp)}
    BUILD.mkdir(parents=True, exist_ok=True)
    for name, rows in splits.items():
        write_jsonl(rows, CORPUS / f"{name}.jsonl")
        to_docbin(nlp, rows, BUILD / f"{name}.spacy")
    print(f"corpus: {len(splits['train'])} train, {len(splits['dev'])} dev -> {CORPUS}")

    started = time.time()
    shutil.rmtree(BUILD / "output", ignore_errors=True)  # no stale model-best from an earlier run
    train(CONFIG, BUILD / "output", overrides={"paths.train": str(BUILD / "train.spacy"),
                                               "paths.dev": str(BUILD / "dev.spacy"), "system.seed": args.seed})
    seconds = round(time.time() - started)

    install(BUILD / "output" / "model-best", args.out)
    metrics = {**evaluate(args.out, BUILD / "dev.spacy"), "train_seconds": seconds, "seed": args.seed,
               "n_train": len(splits["train"]), "n_dev": len(splits["dev"])}
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file()) / 1e6
    o = metrics["overall"]
    print(f"\ntrained in {seconds} s; model {args.out} ({size:.1f} MB)")
    print(f"{'dev':8} {'P':>6} {'R':>6} {'F1':>6}\n{'overall':8} {o['p']:6.3f} {o['r']:6.3f} {o['f']:6.3f}")
    for label, s in metrics["per_label"].items():
        print(f"{label:8} {s['p']:6.3f} {s['r']:6.3f} {s['f']:6.3f}")


if __name__ == "__main__":
    main()
