"""The learned OCR confusion model: what an OCR reading of a true string costs.

data/confusion.json (learned by tools/build_confusion.py from OCR'd renders) holds, case-folded,
sub {true: {read: cost}} (1-3 chars a side: merges and splits too), ins {read: cost}, del {true:
cost} and default costs; nothing here knows a particular misreading."""

import json
import math
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..paths import DATA

PATH = DATA / "confusion.json"
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
BEAM = 8  # digit strings kept per position in digits()
INF = math.inf


@lru_cache(maxsize=1)
def table() -> dict:
    """The table as stored."""
    return json.loads(PATH.read_text(encoding="utf-8"))


class _Model:
    def __init__(self, tab: dict):
        d = tab.get("default", {})
        self.d_sub, self.d_ins, self.d_del = (float(d.get(x, 1.0)) for x in ("sub", "ins", "del"))
        self.ins = {r: float(c) for r, c in tab.get("ins", {}).items()}
        self.dele = {t: float(c) for t, c in tab.get("del", {}).items()}
        self.sub1: dict[str, dict[str, float]] = {}               # one char read as one char
        self.multi: dict[str, list[tuple[str, str, float]]] = {}  # by T's first char: (T, R, cost)
        self.digit_units: dict[str, list[tuple[str, float]]] = {str(n): [(str(n), 0.0)] for n in range(10)}
        for T, reads in tab.get("sub", {}).items():
            for R, c in reads.items():
                c = float(c)
                if len(T) == 1 and len(R) == 1:
                    self.sub1.setdefault(T, {})[R] = c
                elif T:
                    self.multi.setdefault(T[0], []).append((T, R, c))
                if T.isdigit() and R:
                    self.digit_units.setdefault(R, []).append((T, c))
        self.span = max([len(T) for units in self.multi.values() for T, _, _ in units], default=1)
        # best()'s prefilter: with the chars the table names deleted from both strings, the rest
        # differs only by edits at a default cost
        self.d_min = min(self.d_sub, self.d_ins, self.d_del)
        named = {ch for T, reads in tab.get("sub", {}).items() for R in reads for ch in T + R}
        named |= {ch for x in (*self.ins, *self.dele) for ch in x}
        self.strip = str.maketrans("", "", "".join(sorted(named)))

    def plan(self, t: str) -> tuple:
        # per char of t: (char, its substitutions, its deletion cost, the merges and splits
        # that start there as (len(T), R, cost))
        return tuple((ti, self.sub1.get(ti, {}), self.dele.get(ti, self.d_del),
                      tuple((len(T), R, c) for T, R, c in self.multi.get(ti, ()) if t.startswith(T, i)))
                     for i, ti in enumerate(t))

    def dp(self, r: str, t: str, limit: float = INF) -> float:
        """Weighted edit distance of r against t; INF once every path costs more than limit."""
        n, m = len(t), len(r)
        plan = _plan(t)
        ins = [self.ins.get(ch, self.d_ins) for ch in r]
        d_sub, span = self.d_sub, self.span   # (locals: this loop is the hot path)
        rows = [[INF] * (m + 1) for _ in range(n + 1)]
        rows[0][0] = 0.0
        for i in range(n + 1):
            row = rows[i]
            # a merge fills rows up to span - 1 ahead: every path to the end passes one of them
            if min(min(x) for x in rows[i:i + span]) > limit:
                return INF
            if i == n:
                for j in range(m):
                    if row[j] + ins[j] < row[j + 1]:
                        row[j + 1] = row[j] + ins[j]
                break
            ti, subs, dcost, units = plan[i]
            nxt = rows[i + 1]
            for j in range(m + 1):
                c = row[j]
                if c > limit:
                    continue
                if j < m:   # in the last column only a deletion or a merge into nothing goes on
                    if c + ins[j] < row[j + 1]:
                        row[j + 1] = c + ins[j]
                    v = c if r[j] == ti else c + subs.get(r[j], d_sub)
                    if v < nxt[j + 1]:
                        nxt[j + 1] = v
                if c + dcost < nxt[j]:
                    nxt[j] = c + dcost
                for a, R, uc in units:
                    if r.startswith(R, j) and c + uc < rows[i + a][j + len(R)]:
                        rows[i + a][j + len(R)] = c + uc
        return rows[n][m]


@lru_cache(maxsize=1)
def _model() -> _Model:
    return _Model(table())


@lru_cache(maxsize=4096)
def _plan(t: str) -> tuple:
    return _model().plan(t)


def cost(read: str, true: str) -> float:
    """Weighted edit distance of `read` as an OCR reading of `true`, case-folded; 0 if equal."""
    return _cost(read.casefold(), true.casefold())


@lru_cache(maxsize=65536)
def _cost(r: str, t: str) -> float:
    return 0.0 if r == t else round(_model().dp(r, t), 4)


def best(read: str, candidates, limit: float = 1.5, k: int = 3) -> list[tuple[str, float]]:
    """The k candidates (strings, or a dict's keys) closest to `read`, none above limit;
    cheapest first, ties alphabetical."""
    cands = candidates if isinstance(candidates, tuple) else tuple(candidates)
    return list(_best(read.casefold(), cands, float(limit), k))


@lru_cache(maxsize=64)
def _folded(cands: tuple) -> tuple[tuple, tuple]:
    folded = tuple(c.casefold() for c in cands)
    return folded, tuple(f.translate(_model().strip) for f in folded)


@lru_cache(maxsize=16384)
def _best(r: str, cands: tuple, limit: float, k: int) -> tuple:
    if k <= 0:
        return ()
    model = _model()
    folded, stripped = _folded(cands)
    hits = process.extract(r.translate(model.strip), stripped, scorer=Levenshtein.distance, limit=None,
                           score_cutoff=int(limit / model.d_min + 1e-9))
    scored = sorted((round(c, 4), folded[i], i) for _, _, i in hits
                    if (c := model.dp(r, folded[i], limit + 1e-9)) <= limit + 1e-9)
    return tuple((cands[i], c) for c, _, i in scored[:k])


def digits(read: str, k: int = 3, limit: float = 2.0) -> list[tuple[str, float]]:
    """The k likeliest digit strings `read` stands for ("з" for 3, a stray "." dropped), cheapest first."""
    return list(_digits(read.casefold(), k, float(limit)))


@lru_cache(maxsize=16384)
def _digits(r: str, k: int, limit: float) -> tuple:
    model = _model()
    beams: list[dict[str, float]] = [{} for _ in range(len(r) + 1)]
    beams[0][""] = 0.0
    for j in range(len(r)):
        for s, c in sorted(beams[j].items(), key=lambda sc: sc[1])[:BEAM]:
            for b in range(1, min(3, len(r) - j) + 1):
                for T, uc in model.digit_units.get(r[j:j + b], ()):
                    if c + uc <= limit and c + uc < beams[j + b].get(s + T, INF):
                        beams[j + b][s + T] = c + uc
            ic = model.ins.get(r[j])
            if ic is not None and c + ic <= limit and c + ic < beams[j + 1].get(s, INF):
                beams[j + 1][s] = c + ic
    final = sorted((round(c, 4), s) for s, c in beams[-1].items() if s)
    return tuple((s, c) for c, s in final[:k])


def roman(read: str, limit: float = 1.5) -> list[tuple[int, float]]:
    """The months whose Roman numeral `read` may be ("УП" -> 7), cheapest first."""
    return list(_roman(read.casefold(), float(limit)))


@lru_cache(maxsize=4096)
def _roman(r: str, limit: float) -> tuple:
    out = []
    for month, numeral in enumerate(ROMAN, 1):
        c = 0.0 if r == numeral else _model().dp(r, numeral, limit)
        if c <= limit:
            out.append((month, round(c, 4)))
    return tuple(sorted(out, key=lambda mc: (mc[1], mc[0])))


def _reset() -> None:
    """Forget the table and every cached answer (after PATH changed, in tests)."""
    for f in (table, _model, _plan, _cost, _folded, _best, _digits, _roman):
        f.cache_clear()
