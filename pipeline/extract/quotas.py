"""Quota figures: each count of people with its category (from the phrase next to it), its kind
(from the nearest verb before it in its sentence) and 'additional'; a total must add up."""

from dataclasses import dataclass
from itertools import product

from . import confusion
from .grammar import Tok, alt, best_at, mark, number, opt, roman, seq, skip, word
from .lexicon import group
from .numbers import FIGURE

ORDINAL = alt(word(group("category_ordinals"), limit=0.9), number(1, 2, (1, 1)),
              seq(roman(0.8), build=lambda m: m if m in (1, 2) else None))
ENDING = opt(seq(mark("-"), skip(1, 0.2), build=lambda *_: 0, gap=0, lines=0))  # '1-й', '1-ой', '1-и'
CATEGORY = seq(opt(word({"по": "по"}, limit=0.5), 0.1), ORDINAL, ENDING,
               word({"категории": 0, "категория": 0, "категорий": 0, "кат": 0}, limit=1.2),
               build=lambda _b, n, _e, _w: n, gap=1)
CUE = word(group("category_cues"), limit=0.8)       # 'расстрелу' 1, 'высылке' 2
KIND = word(group("kind_cues"), limit=0.5)           # 'прошу' requested, 'осуждено' sentenced ...
ADDITIONAL = word(group("additional_cues"), limit=0.8)
PEOPLE = word(group("people_words"), limit=0.8)      # 'человек', 'кулаков', 'элементов'
RELATIVE = word({"которых": 0, "которые": 0}, limit=0.6)
WHO_TO = seq(RELATIVE, skip(2), CUE, build=lambda _r, _s, c: c, gap=1)   # 'которых нужно расстрелять'
PLAIN = 0.35       # a figure found by its people word alone
REPAIR = 0.8       # the most the other readings of a total and its parts may cost to add up


@dataclass
class Quota:
    category: int | None
    count: int
    kind: str
    additional: bool | None
    cost: float
    start: int
    end: int
    alternatives: list      # other readings of the figure: [(count, extra cost)]
    repaired: bool = False


def sentences(toks: list[Tok], body: set[int]) -> list[tuple[int, int]]:
    """Token ranges of the body's sentences."""
    idx = [i for i, t in enumerate(toks) if t.line in body]
    if not idx:
        return []
    out, start = [], idx[0]
    for i in idx:
        if toks[i].kind == "p" and toks[i].text in ".;!":
            nxt = next((k for k in range(i + 1, len(toks)) if toks[k].kind in "wn"), None)
            if nxt is None or toks[nxt].text[:1].isupper() and i and len(toks[i - 1].text) > 1:
                out.append((start, i + 1))
                start = i + 1
    if start <= idx[-1]:
        out.append((start, idx[-1] + 1))
    return out


def quotas(toks: list[Tok], body: set[int], taken: set[int]) -> list[Quota]:
    """The quota figures of the body; `taken`: token indexes read as dates or numbers already."""
    return [q for s, e in sentences(toks, body) for q in _sentence(toks, s, e, taken)]


def _sentence(toks, s, e, taken):
    cats, kinds, adds, figs = [], [], [], []
    i = s
    while i < e:
        if i in taken or toks[i].kind == "nl":
            i += 1
            continue
        if (m := best_at(CATEGORY, toks, i)) and m[1] in (1, 2) and m[2] <= 1.5:
            cats.append((i, m[0], m[1], m[2]))
            i = m[0]
            continue
        if toks[i].kind == "w":
            for part, into in ((CUE, cats), (KIND, kinds), (ADDITIONAL, adds)):
                if m := best_at(part, toks, i):
                    into.append((i, i + 1, m[1], m[2]))
        if toks[i].kind in "nw" and (m := best_at(FIGURE, toks, i)) and m[2] <= 1.5 and not \
                (toks[i].kind == "w" and m[1] < 2):
            figs.append((i, min(m[0], e), m[1], m[2]))
            i = m[0]
            continue
        i += 1
    found, used = [], set()
    for n, (a, b, value, cost) in enumerate(figs):
        prev_end = figs[n - 1][1] if n else s
        next_start = figs[n + 1][0] if n + 1 < len(figs) else e
        cue = _cue_before(toks, cats, prev_end, a, used) or _cue_after(toks, cats, b, next_start, used)
        clause = None if cue else best_at(WHO_TO, toks, _relative(toks, b, e))
        nxt = _next_word(toks, b, e)
        people = best_at(PEOPLE, toks, nxt) if nxt < e else None
        noun_follows = nxt < e and toks[nxt].kind == "w" and len(toks[nxt].text) > 2
        cued = any(0 < a - k[1] <= 2 for k in kinds)
        if not cue and not people and (not cued or noun_follows) or _ordinal(toks, b):
            continue
        if cue:
            used.add(cue[0])
        kind_cue = [k for k in kinds if k[0] < a] or [k for k in kinds if k[0] > a]
        kind = (kind_cue[-1] if kind_cue[-1][0] < a else kind_cue[0])[2] if kind_cue else "other"
        if clause:   # '6600 кулаков и 4200 уголовников, которых нужно расстрелять'
            cue, kind = (a, b, clause[1], clause[2]), "requested"
        additional = bool(adds) if kind == "requested" else None
        c = cost + (cue[3] if cue else PLAIN) + (kind_cue[-1][3] if kind_cue else 0.5)
        alts = [(int(d), x) for d, x in confusion.digits(toks[a].text, k=3, limit=1.5)[1:] if d.isdigit()] \
            if b == a + 1 else []
        found.append(Quota(cue[2] if cue else None, value, kind, additional, c, a, b, alts))
    _add_up(found)
    return found


def _relative(toks, b, e) -> int:
    for j in range(b, e):   # where 'которых ...' begins, after figures, their people and 'и' only
        t = toks[j]
        if t.kind == "w" and next(RELATIVE(toks, j), None):
            return j
        if t.kind == "p" and t.text in ".;" or t.kind == "w" and t.low != "и" and not best_at(PEOPLE, toks, j):
            break
    return e


def _cue_before(toks, cats, lo, a, used):
    # the category phrase right before a figure, two words between at most
    for c in reversed([c for c in cats if lo <= c[0] and c[1] <= a and c[0] not in used]):
        if sum(t.kind == "w" for t in toks[c[1]:a]) <= 2:
            return c
    return None


def _cue_after(toks, cats, b, hi, used):
    # the category phrase right after a figure and its people word: '3000 человек по 1 кат.'
    for c in [c for c in cats if b <= c[0] < hi and c[0] not in used][:1]:
        between = [i for i in range(b, c[0]) if toks[i].kind == "w"]
        if all(best_at(PEOPLE, toks, i) for i in between) and len(between) <= 2:
            return c
    return None


def _ordinal(toks, b) -> bool:
    # '2-ю часть', '1-й': an ordinal, no count
    return b + 1 < len(toks) and toks[b].text == "-" and toks[b].glued and toks[b + 1].glued \
        and toks[b + 1].kind == "w" and len(toks[b + 1].text) <= 3


def _next_word(toks, b, e):
    while b < e and toks[b].kind in ("p", "nl"):
        b += 1
    return b


def _add_up(found: list[Quota]) -> None:
    """A total and its two category parts that do not add up: try the figures' other readings;
    mended or not, left for review."""
    for n, total in enumerate(found):
        parts = [q for q in found[n + 1:n + 3] if q.category is not None and q.kind == total.kind]
        if total.category is not None or len(parts) != 2 or {p.category for p in parts} != {1, 2}:
            continue
        if sum(p.count for p in parts) == total.count:
            continue
        trio = [total, *parts]
        options = [[(q.count, 0.0)] + q.alternatives for q in trio]
        best = min((combo for combo in product(*options) if combo[0][0] == combo[1][0] + combo[2][0]
                    and sum(x for _, x in combo) <= REPAIR), key=lambda combo: sum(x for _, x in combo), default=None)
        for q, pick in zip(trio, best or [(q.count, 0.0) for q in trio]):
            q.count, q.repaired = pick[0], True
