"""The learned OCR confusion model: how far an OCR reading is from a true string.

Every cost comes from data/confusion.json, which tools/build_confusion.py learns by aligning the
pipeline's OCR of rendered pages with their true text; nothing here knows a particular misreading.
The table holds, case-folded,

    sub:  {true: {read: cost}}  true and read of 1-3 chars: substitutions ("з" for "3"), merges
                                ("п" for "ii") and splits ("rn" for "м")
    ins:  {read: cost}          a char OCR added (a stray "." or ",")
    del:  {true: cost}          a char OCR lost
    default: {"sub", "ins", "del"}  anything the table does not list (1.0)

A correct char costs 0; a frequent confusion ~0.2-0.5; an unseen one 1.0.

    cost("Отправлепа", "отправлена")  weighted edit distance, reading against truth
    best("Отправлепа", lexicon)       [(entry, cost)] the k closest entries within a limit
    digits("l9З8")                    [("1938", cost), ...] the digit strings a token may stand for
    roman("ТТ")                       [(2, cost), ...] the months a Roman numeral reading may be

(each answer only as good as the table: a misreading the data never showed costs the default).
"""

from __future__ import annotations

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
    """The confusion table as stored (loaded once)."""
    return json.loads(PATH.read_text(encoding="utf-8"))


class _Model:
    """The table in the shapes the searches need."""

    def __init__(self, tab: dict):
        d = tab.get("default", {})
        self.d_sub, self.d_ins, self.d_del = (float(d.get(x, 1.0)) for x in ("sub", "ins", "del"))
        self.ins = {r: float(c) for r, c in tab.get("ins", {}).items()}
        self.dele = {t: float(c) for t, c in tab.get("del", {}).items()}
        self.sub1: dict[str, dict[str, float]] = {}              # one char read as one char
        self.multi: dict[str, list[tuple[str, str, float]]] = {}  # by T's first char: (T, R, cost)
        self.digit_units: dict[str, list[tuple[str, float]]] = {str(n): [(str(n), 0.0)] for n in range(10)}
        steps = [self.d_sub, self.d_ins, self.d_del, *self.ins.values(), *self.dele.values()]
        for T, reads in tab.get("sub", {}).items():
            for R, c in reads.items():
                c = float(c)
                if len(T) == 1 and len(R) == 1:
                    self.sub1.setdefault(T, {})[R] = c
                elif T:
                    self.multi.setdefault(T[0], []).append((T, R, c))
                if T.isdigit() and R:
                    self.digit_units.setdefault(R, []).append((T, c))
                steps.append(c / max(1, Levenshtein.distance(T, R)))
        # Two lower bounds for best()'s prefilter, both exact: every unit costs at least
        # min_step per plain edit it makes; and with the chars the table names deleted from
        # both strings, what is left differs only by edits at a default cost (>= d_min each).
        self.min_step = max(0.0, min(steps))
        # and an upper bound for cost(): a plain edit never costs more than this
        self.edit_max = max([self.d_sub, self.d_ins, self.d_del, *self.ins.values(), *self.dele.values(),
                             *(c for subs in self.sub1.values() for c in subs.values())])
        self.span = max([len(T) for units in self.multi.values() for T, _, _ in units], default=1)
        self.d_min = min(self.d_sub, self.d_ins, self.d_del)
        named = {ch for T, reads in tab.get("sub", {}).items() for R in reads for ch in T + R}
        named |= {ch for x in (*self.ins, *self.dele) for ch in x}
        self.strip = str.maketrans("", "", "".join(sorted(named)))

    def max_edits(self, limit: float) -> int | None:
        return int(limit / self.min_step + 1e-9) if self.min_step > 0 else None

    def plan(self, t: str) -> tuple:
        """Per position of t: (char, its substitutions, its deletion cost, the merges/splits whose
        true side starts there as (len(T), R, cost))."""
        return tuple((ti, self.sub1.get(ti, {}), self.dele.get(ti, self.d_del),
                      tuple((len(T), R, c) for T, R, c in self.multi.get(ti, ()) if t.startswith(T, i)))
                     for i, ti in enumerate(t))

    def dp(self, r: str, t: str, limit: float = INF) -> float:
        """Weighted edit distance of reading r against truth t (both case-folded); INF as soon
        as every path is above limit."""
        n, m = len(t), len(r)
        plan = _plan(t)
        ins = [self.ins.get(ch, self.d_ins) for ch in r]
        d_sub, span = self.d_sub, self.span
        rows = [[INF] * (m + 1) for _ in range(n + 1)]
        rows[0][0] = 0.0
        jr = tuple(enumerate(r))
        for i in range(n + 1):
            row = rows[i]
            # rows[i] lacks only its own insertions here; the next span - 1 rows hold what merges
            # from earlier rows pushed: every path to the end is at least their minimum
            if limit < INF and (min(row) if span == 1 else min(min(x) for x in rows[i:i + span])) > limit:
                return INF
            if i == n:
                for j in range(m):
                    v = row[j] + ins[j]
                    if v < row[j + 1]:
                        row[j + 1] = v
                break
            ti, subs, dcost, units = plan[i]
            nxt = rows[i + 1]
            for j, rj in jr:
                c = row[j]
                if c > limit:
                    continue
                v = c + ins[j]
                if v < row[j + 1]:
                    row[j + 1] = v
                v = c if rj == ti else c + subs.get(rj, d_sub)
                if v < nxt[j + 1]:
                    nxt[j + 1] = v
                v = c + dcost
                if v < nxt[j]:
                    nxt[j] = v
                for a, R, uc in units:
                    if r.startswith(R, j):
                        tgt, jj, v = rows[i + a], j + len(R), c + uc
                        if v < tgt[jj]:
                            tgt[jj] = v
            c = row[m]  # the last column: only a deletion or a merge into nothing goes on
            if c <= limit:
                if c + dcost < nxt[m]:
                    nxt[m] = c + dcost
                for a, R, uc in units:
                    if not R and c + uc < rows[i + a][m]:
                        rows[i + a][m] = c + uc
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
    if r == t:
        return 0.0
    model = _model()  # t's plain edit script bounds the search
    return round(model.dp(r, t, Levenshtein.distance(r, t) * model.edit_max + 1e-9), 4)


def best(read: str, candidates, limit: float = 1.5, k: int = 3) -> list[tuple[str, float]]:
    """The k candidates (an iterable of strings, or a dict's keys) read as `read` at the lowest
    cost, none above limit; sorted by cost."""
    cands = candidates if isinstance(candidates, tuple) else tuple(candidates)
    return list(_best(read.casefold(), cands, float(limit), k))


@lru_cache(maxsize=64)
def _folded(cands: tuple) -> tuple[tuple, tuple]:
    """The candidates case-folded, and without the chars the table names."""
    strip = _model().strip
    folded = tuple(c.casefold() for c in cands)
    return folded, tuple(f.translate(strip) for f in folded)


@lru_cache(maxsize=16384)
def _best(r: str, cands: tuple, limit: float, k: int) -> tuple:
    if k <= 0:
        return ()
    model = _model()
    folded, stripped = _folded(cands)
    rs = r.translate(model.strip)
    if model.d_min > 0:
        hits = [(h[1] * model.d_min, h[2]) for h in process.extract(
            rs, stripped, scorer=Levenshtein.distance, limit=None, score_cutoff=int(limit / model.d_min + 1e-9))]
    else:
        hits = [(0.0, i) for i in range(len(cands))]
    # a lower bound of each candidate's cost, cheapest first
    step, cut = model.min_step, model.max_edits(limit)
    bounded = []
    for lb, i in hits:
        d = Levenshtein.distance(r, folded[i], score_cutoff=cut)
        if cut is None or d <= cut:
            bounded.append((max(d * step, lb), d, i))
    bounded.sort()
    # branch and bound: once k candidates are in, one whose bound exceeds the k-th cost needs no search
    scored: list[tuple[float, str, int]] = []  # ties: alphabetical, whatever the input order
    bound = limit
    for lb, d, i in bounded:
        if lb > bound + 1e-9:
            break
        c = 0.0 if d == 0 else model.dp(r, folded[i], bound + 1e-9)
        if c <= bound + 1e-9:
            scored.append((round(c, 4), folded[i], i))
            if len(scored) >= k:
                scored.sort()
                del scored[k:]
                bound = min(limit, scored[-1][0])
    scored.sort()
    return tuple((cands[i], c) for c, _, i in scored[:k])


def digits(read: str, k: int = 3, limit: float = 2.0) -> list[tuple[str, float]]:
    """The k likeliest digit strings the token `read` stands for, cheapest first: every char a
    digit as read or by a learned misreading ("з" for 3), or a learned stray char dropped."""
    return list(_digits(read.casefold(), k, float(limit)))


@lru_cache(maxsize=16384)
def _digits(r: str, k: int, limit: float) -> tuple:
    model = _model()
    beams: list[dict[str, float]] = [{} for _ in range(len(r) + 1)]
    beams[0][""] = 0.0
    for j in range(len(r)):
        states = sorted(beams[j].items(), key=lambda sc: sc[1])[:BEAM]
        for s, c in states:
            for b in range(1, 4):
                R = r[j:j + b]
                if len(R) < b:
                    break
                for T, uc in model.digit_units.get(R, ()):
                    v, key = c + uc, s + T
                    if v <= limit and v < beams[j + b].get(key, INF):
                        beams[j + b][key] = v
            ic = model.ins.get(r[j])
            if ic is not None and c + ic <= limit and c + ic < beams[j + 1].get(s, INF):
                beams[j + 1][s] = c + ic
    final = sorted((round(c, 4), s) for s, c in beams[-1].items() if s)
    return tuple((s, c) for c, s in final[:k])


def roman(read: str, limit: float = 1.5) -> list[tuple[int, float]]:
    """Months 1-12 whose Roman numeral `read` may be a reading of ("УП" -> 7), cheapest first."""
    return list(_roman(read.casefold(), float(limit)))


@lru_cache(maxsize=4096)
def _roman(r: str, limit: float) -> tuple:
    model = _model()
    out = []
    for month, numeral in enumerate(ROMAN, 1):
        c = 0.0 if r == numeral else model.dp(r, numeral, limit)
        if c <= limit:
            out.append((month, round(c, 4)))
    return tuple(sorted(out, key=lambda mc: (mc[1], mc[0])))


def _reset() -> None:
    """Forget the loaded table and every cached answer (after PATH changed, e.g. in tests)."""
    for f in (table, _model, _plan, _cost, _folded, _best, _digits, _roman):
        f.cache_clear()
