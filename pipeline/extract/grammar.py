"""A tiny grammar toolkit over OCR tokens, after yargy: a part `part(toks, i)` yields every way it
matches from token i as (end, value, cost); costs add up, misread chars priced by confusion.py."""

import re
from dataclasses import dataclass, field
from itertools import islice

from . import confusion

SPECK = 0.15     # a punctuation token skipped between two parts
STROKE = 0.7     # ... a stroke glued to a glyph ('1\\/' for IV)
BREAK = 0.35     # a line break skipped between two parts
BEAM = 12        # partial matches kept per part of a sequence
PIECE = re.compile(r"[А-ЯЁA-Z][^\W\d_]*(?:-[А-ЯЁA-Z][^\W\d_]*)+|\d+|[^\W\d_]+|\S")  # 'Алма-Ата' is one


@dataclass(slots=True)
class Tok:
    text: str
    start: int          # offsets into the document text
    end: int
    line: int
    glued: bool         # no space before it
    kind: str = "w"     # w: letters, n: digits (and letters glued to them), p: mark, nl: break
    low: str = field(init=False)

    def __post_init__(self):
        self.low = self.text.lower()


def tokenize(text: str) -> list[Tok]:
    """Tokens of the text, 'nl' at each line or page break; 'З7' (letters read as digits) is one."""
    toks: list[Tok] = []
    line = 0
    for m in re.finditer(r"[^\n\f]+|[\n\f]", text):
        if m[0] in "\n\f":
            toks.append(Tok(m[0], m.start(), m.end(), line, False, "nl"))
            line += 1
            continue
        prev_end = None
        for p in PIECE.finditer(m[0]):
            s, e = m.start() + p.start(), m.start() + p.end()
            kind = "n" if p[0][0].isdigit() else ("w" if p[0][0].isalpha() else "p")
            t = Tok(p[0], s, e, line, prev_end == s, kind)
            prev = toks[-1] if toks else None
            if prev and t.glued and prev.line == line and _digitlike(prev, t):
                toks[-1] = Tok(prev.text + t.text, prev.start, e, line, prev.glued, "n")
            else:
                toks.append(t)
            prev_end = e
    return toks


def _digitlike(a: Tok, b: Tok) -> bool:
    if a.kind == "n" and b.kind == "n":
        return True
    for x, y in ((a, b), (b, a)):
        if x.kind == "n" and y.kind == "w" and len(y.text) <= 2:
            best = confusion.digits(y.text, k=1)
            if best and best[0][1] <= 0.6:
                return True
    return False


def word(choices: dict | list, limit: float = 0.9, kinds: str = "w", abbrev: bool = False):
    """One token read as one of `choices` (word -> value); a slip costs more in a short word. With
    `abbrev`, a word cut short before a dot ('Отправл.') stands for it."""
    table = choices if isinstance(choices, dict) else {c: c for c in choices}
    keys = tuple(table)
    stems = {k[:n]: k for k in keys for n in range(3, len(k))} if abbrev else {}

    def part(toks, i):
        if i >= len(toks) or toks[i].kind not in kinds:
            return
        for cand, c in confusion.best(toks[i].low, keys, 2.5, k=2):
            weighted = c * (1.0 + 1.5 / len(cand))
            if weighted <= limit * (1.0 + len(cand) / 8):
                yield i + 1, table[cand], weighted
        if stems and i + 1 < len(toks) and toks[i + 1].text == "." and toks[i + 1].glued:
            for stem, c in confusion.best(toks[i].low, tuple(stems), 0.6, k=1):
                yield i + 1, table[stems[stem]], 0.2 + c
    return part


def mark(chars: str):
    """One punctuation token among `chars`."""
    def part(toks, i):
        if i < len(toks) and toks[i].kind == "p" and toks[i].text in chars:
            yield i + 1, toks[i].text, 0.0
    return part


def number(lo: int, hi: int, ndigits: tuple = (1, 4), limit: float = 1.2):
    """One token read as digits whose value lies in [lo, hi]."""
    def part(toks, i):
        if i >= len(toks) or toks[i].kind not in "nw" or len(toks[i].text) > 8:
            return
        if toks[i].kind == "w" and len(toks[i].text) > 2:
            return
        for digits, c in confusion.digits(toks[i].text, k=3, limit=limit):
            if ndigits[0] <= len(digits) <= ndigits[1] and lo <= int(digits) <= hi:
                yield i + 1, int(digits), c
    return part


def roman(limit: float = 1.2):
    """A month in Roman numerals: a glued run of letters, digits and strokes ('1\\/' for IV)."""
    def part(toks, i):
        j, run = i, ""
        while j < len(toks) and (j == i or toks[j].glued) and len(run) < 6 and \
                (toks[j].kind in "wn" or toks[j].text in "\\/|"):
            run += toks[j].text
            j += 1
            for month, c in confusion.roman(run, limit=limit + 0.25 * len(run)):
                yield j, month, c
    return part


def nothing(cost: float):
    """No token, at `cost`."""
    def part(toks, i):
        yield i, None, cost
    return part


def seq(*parts, build=None, gap: int = 2, lines: int = 1):
    """Parts in a row, up to `gap` specks (dust read as punctuation) and `lines` breaks between two."""
    def part(toks, i):
        beams = [(i, (), 0.0)]
        for k, p in enumerate(parts):
            nxt = []
            for pos, vals, cost in beams:
                for s, gc in [(pos, 0.0)] if k == 0 else _gaps(toks, pos, gap, lines):
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
    """Any of the parts."""
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


def skip(n: int, cost: float = 0.1):
    """Up to n tokens of no interest on the line, at a cost each (0.3 a number)."""
    def part(toks, i):
        yield i, None, 0.0
        j, c = i, 0.0
        while j < len(toks) and j - i < n and toks[j].kind != "nl":
            c += 0.3 if toks[j].kind == "n" else cost
            j += 1
            yield j, None, c
    return part


def best_at(p, toks, i):
    """The cheapest match of p at i, the longest of equal cost, or None."""
    return min(islice(p(toks, i), 200), key=lambda m: (round(m[2], 6), -m[0]), default=None)


def find(p, toks, limit: float = 3.0):
    """(start, end, value, cost) of the best match at each start, cheapest first."""
    out = []
    for i in range(len(toks)):
        if toks[i].kind != "nl" and (m := best_at(p, toks, i)) and m[2] <= limit:
            out.append((i, m[0], m[1], m[2]))
    return sorted(out, key=lambda m: m[3])
