"""A tiny grammar toolkit over OCR tokens, in the manner of yargy: small named parts composed.

A part is a function `part(toks, i)` that yields every way it can match from token i, as
`(end, value, cost)`. Costs add up; the learned confusion model (confusion.py) prices each
misread character, so no part lists misreadings. `seq` lets specks (punctuation OCR made of dust)
and line breaks stand between parts at a small cost, so a field may run over lines.
"""

import re
from dataclasses import dataclass, field
from itertools import islice

from . import confusion

SPECK = 0.15     # a punctuation token skipped between two parts
STROKE = 0.7     # ... a stroke mark glued to a glyph ('1\\/' for IV)
BREAK = 0.35     # a line break skipped between two parts
BEAM = 12        # partial matches kept per part of a sequence


@dataclass(slots=True)
class Tok:
    text: str
    start: int          # offsets into the document text
    end: int
    line: int           # index of the text line
    glued: bool         # no space before it
    conf: float = 100.0  # Tesseract's confidence of the word it belongs to
    kind: str = "w"     # w: letters, n: digits (or a letter run glued to them), p: mark, nl: line break
    low: str = field(init=False)

    def __post_init__(self):
        self.low = self.text.lower()


PIECE = re.compile(r"[А-ЯЁA-Z][^\W\d_]*(?:-[А-ЯЁA-Z][^\W\d_]*)+|\d+|[^\W\d_]+|\S")  # 'Алма-Ата' is one


def tokenize(text: str, words: list[dict] | None = None) -> list[Tok]:
    """Tokens of the whole text, a 'nl' token at each line or page break. A short letter run
    glued to digits that the confusion model reads as digits joins them ('З7' is one token)."""
    conf_at = _conf_index(text, words)
    toks: list[Tok] = []
    line = 0
    for m in re.finditer(r"[^\n\f]+|[\n\f]", text):
        if m[0] in "\n\f":
            toks.append(Tok(m[0], m.start(), m.end(), line, False, 100.0, "nl"))
            line += 1
            continue
        prev_end = None
        for p in PIECE.finditer(m[0]):
            s, e = m.start() + p.start(), m.start() + p.end()
            kind = "n" if p[0][0].isdigit() else ("w" if p[0][0].isalpha() else "p")
            toks.append(Tok(p[0], s, e, line, prev_end == s, conf_at(s), kind))
            prev_end = e
    return _join_digits(toks)


def _conf_index(text, words):
    if not words:
        return lambda pos: 100.0
    starts = sorted((w["start"], w["end"], w.get("conf", 100.0)) for w in words if "start" in w)
    import bisect
    keys = [s for s, _, _ in starts]

    def at(pos):
        i = bisect.bisect_right(keys, pos) - 1
        return float(starts[i][2]) if i >= 0 and starts[i][1] > pos else 100.0
    return at


def _join_digits(toks: list[Tok]) -> list[Tok]:
    out: list[Tok] = []
    for t in toks:
        prev = out[-1] if out else None
        if prev and t.glued and prev.line == t.line and _digitlike(prev, t):
            merged = Tok(prev.text + t.text, prev.start, t.end, prev.line, prev.glued,
                         min(prev.conf, t.conf), "n")
            out[-1] = merged
        else:
            out.append(t)
    return out


def _digitlike(a: Tok, b: Tok) -> bool:
    """Join a glued pair when one side is digits and the other a short run read as digits."""
    if a.kind == "n" and b.kind == "n":
        return True
    for x, y in ((a, b), (b, a)):
        if x.kind == "n" and y.kind == "w" and len(y.text) <= 2:
            best = confusion.digits(y.text, k=1)
            if best and best[0][1] <= 0.6:
                return True
    return False


# ---------------------------------------------------------------- parts

def word(choices: dict | list, limit: float = 0.9, kinds: str = "w", abbrev: bool = False):
    """One token that reads as one of `choices` (dict: word -> value). A slip costs more in a
    short word than in a long one, and a long word may carry more of them: the bar grows with
    its length. With `abbrev`, a word cut short before a dot ('Отправл.') stands for it."""
    table = choices if isinstance(choices, dict) else {c: c for c in choices}
    keys = tuple(table)
    stems = {k[:n]: k for k in keys for n in range(3, len(k))} if abbrev else {}

    def part(toks, i):
        if i >= len(toks) or toks[i].kind not in kinds:
            return
        t = toks[i]
        for cand, c in confusion.best(t.low, keys, 2.5, k=2):
            weighted = c * (1.0 + 1.5 / len(cand))
            if weighted <= limit * (1.0 + len(cand) / 8):
                yield i + 1, table[cand], weighted
        if stems and i + 1 < len(toks) and toks[i + 1].text == "." and toks[i + 1].glued:
            for stem, c in confusion.best(t.low, tuple(stems), 0.6, k=1):
                yield i + 1, table[stems[stem]], 0.2 + c
    return part


def mark(chars: str, cost: float = 0.0):
    """One punctuation token among `chars`."""
    def part(toks, i):
        if i < len(toks) and toks[i].kind == "p" and toks[i].text in chars:
            yield i + 1, toks[i].text, cost
    return part


def number(lo: int, hi: int, ndigits: tuple = (1, 4), limit: float = 1.2):
    """One token read as digits whose value lies in [lo, hi]."""
    def part(toks, i):
        if i >= len(toks) or toks[i].kind not in "nw" or len(toks[i].text) > 8:
            return
        t = toks[i]
        if t.kind == "w" and len(t.text) > 2:
            return
        for digits, c in confusion.digits(t.text, k=3, limit=limit):
            if ndigits[0] <= len(digits) <= ndigits[1] and lo <= int(digits) <= hi:
                yield i + 1, int(digits), c
    return part


def roman(limit: float = 1.2):
    """A month written as a Roman numeral, however OCR read its I, V and X: a glued run of
    letters, digits and the strokes a V or an I may become ('1\\/' for IV)."""
    def part(toks, i):
        j, run = i, ""
        while j < len(toks) and (j == i or toks[j].glued) and len(run) < 6 and \
                (toks[j].kind in "wn" or toks[j].text in "\\/|"):
            run += toks[j].text
            j += 1
            for month, c in confusion.roman(run, limit=limit + 0.25 * len(run)):
                yield j, month, c
    return part


def seq(*parts, build=None, gap: int = 2, lines: int = 1):
    """Parts one after another; up to `gap` specks and `lines` line breaks between two parts."""
    def part(toks, i):
        beams = [(i, (), 0.0)]
        for k, p in enumerate(parts):
            nxt = []
            for pos, vals, cost in beams:
                starts = [(pos, 0.0)] if k == 0 else _gaps(toks, pos, gap, lines)
                for s, gc in starts:
                    for end, v, c in p(toks, s):
                        nxt.append((end, vals + (v,), cost + gc + c))
            if not nxt:
                return
            nxt.sort(key=lambda b: b[2])
            beams = nxt[:BEAM]
        for end, vals, cost in beams:
            value = build(*vals) if build else vals
            if value is not None:
                yield end, value, cost
    return part


def _gaps(toks, pos, gap, lines):
    """Positions reachable by skipping specks and line breaks, with their cost."""
    out, specks, breaks, c = [(pos, 0.0)], 0, 0, 0.0
    while pos < len(toks):
        t = toks[pos]
        if t.kind == "nl" and breaks < lines:
            breaks, c = breaks + 1, c + BREAK
        elif t.kind == "p" and specks < gap:   # a stroke touching a glyph is likelier part of it
            specks, c = specks + 1, c + (STROKE if t.glued and t.text in "\\/|" else SPECK)
        else:
            break
        pos += 1
        out.append((pos, c))
    return out


def alt(*parts):
    def part(toks, i):
        for p in parts:
            yield from p(toks, i)
    return part


def opt(p, cost: float = 0.0):
    """`p`, or nothing at `cost`."""
    def part(toks, i):
        yield i, None, cost
        yield from p(toks, i)
    return part


def skip(n: int, cost: float = 0.1, number_cost: float = 0.3):
    """Up to n tokens of no interest (the words of an office, its '(б)') at a cost each, more for
    a number."""
    def part(toks, i):
        yield i, None, 0.0
        j, c = i, 0.0
        while j < len(toks) and j - i < n and toks[j].kind != "nl":
            c += number_cost if toks[j].kind == "n" else cost
            j += 1
            yield j, None, c
    return part


def best_at(p, toks, i):
    """The cheapest match of p at i, the longest of equal cost: (end, value, cost) or None."""
    return min(islice(p(toks, i), 200), key=lambda m: (round(m[2], 6), -m[0]), default=None)


def find(p, toks, lo: int = 0, hi: int | None = None, limit: float = 3.0):
    """Every start in [lo, hi) where p matches; for each, its cheapest match:
    (start, end, value, cost), cheapest first."""
    hi = len(toks) if hi is None else hi
    out = []
    for i in range(lo, hi):
        if toks[i].kind == "nl":
            continue
        m = best_at(p, toks, i)
        if m and m[2] <= limit:
            out.append((i, m[0], m[1], m[2]))
    return sorted(out, key=lambda m: m[3])
