"""Figures ('41 305', '2.625', '5 тыс.', 'две тысячи пятьсот') and telegram numbers ('№ 95/ш')."""

from . import confusion
from .grammar import Tok, alt, number, opt, seq, word
from .lexicon import group

THOUSAND = word(group("thousand_words"), limit=0.8)
NUMBER_WORD = word(group("number_words"), limit=0.3)   # 'срок' is no 'сорок'
NUMERO = word({"№": "№", "n": "№", "no": "№"}, limit=1.3, kinds="wp")
GROUP_SEP = 0.1   # a thousands separator: a space, a dot, a line break


def digits_figure(toks: list[Tok], i: int):
    """'41 305', '2.625', '41\\n305', '9600': 1-3 digits, then groups of 3."""
    for end, v, c in number(1, 999999, (1, 6))(toks, i):
        found = [(end, v, c)]
        j, total, cost = end, v, c
        while v < 1000:
            k = j
            if k < len(toks) and (toks[k].kind == "nl" or toks[k].text in ".," and toks[k].glued):
                k += 1
            if k >= len(toks) or toks[k].kind != "n" or len(toks[k].text) != 3:
                break
            if k == j and not toks[k].text.isdigit():
                break
            nxt = next(number(0, 999, (3, 3))(toks, k), None)
            if nxt is None:
                break
            j, total, cost = nxt[0], total * 1000 + nxt[1], cost + nxt[2] + GROUP_SEP
            found.append((j, total, cost))
        # a figure stops only where no group follows: a shorter reading pays for each group left
        for n, (e, val, co) in enumerate(found):
            yield e, val, co + 0.5 * (len(found) - 1 - n)


def words_figure(toks: list[Tok], i: int):
    """Number words up to and over 'тысяч': 'девяти тысяч' 9000, 'две тысячи пятьсот' 2500."""
    j, units, total, cost, seen = i, 0, 0, 0.0, False
    while j < len(toks):
        if seen and toks[j].kind == "nl":   # 'пять\nтысяч двести'
            j += 1
            continue
        if m := min(NUMBER_WORD(toks, j), key=lambda x: x[2], default=None):
            units, cost, j, seen = units + m[1], cost + m[2], m[0], True
            continue
        t = min(THOUSAND(toks, j), key=lambda x: x[2], default=None)
        if t and seen and not total:
            total, units, cost, j = max(units, 1) * 1000, 0, cost + t[2], t[0]
            continue
        break
    if seen:
        yield j, total + units, cost


FIGURE = alt(seq(digits_figure, opt(THOUSAND, 0.2), build=lambda v, t: v * 1000 if t else v, gap=1, lines=0),
             words_figure)


def ref_run(toks: list[Tok], i: int):
    """A telegram's number, one glued run ('95/ш', 'П51/94', '9ЗИш' for 93/ш): each split into
    digits, a slash and a suffix (ш or digits), priced."""
    j = i
    while j < len(toks) and toks[j].kind in "wnp" and (j == i or toks[j].glued) and toks[j].text not in ".,;:()":
        j += 1
    run = "".join(t.text for t in toks[i:j])
    if not run or len(run) > 14:
        return
    prefix = "П" if run[0] in "ПпP" and len(run) > 1 else ""
    body = run[len(prefix):]
    seen = {}
    for k in range(1, len(body) + 1):
        for d, c in confusion.digits(body[:k], k=2, limit=1.5):
            if d.isdigit():
                for value, extra in _suffixes(body[k:]):
                    key = prefix + d + value
                    if c + extra <= 2.5 and c + extra < seen.get(key, 9):
                        seen[key] = c + extra
    for key, c in seen.items():
        yield j, key, c


def _suffixes(rest: str):
    if not rest:
        yield "", 0.3   # no suffix costs a little, so that one present is read
        return
    for sep in (rest[:1], ""):
        suf = rest[len(sep):]
        sep_cost = confusion.cost(sep, "/") if sep else 0.8
        c = min(confusion.cost(suf, "ш"), confusion.cost(suf, "iii"))   # SPEC: '95/III' is 95/ш
        if c <= 1.2:
            yield "/ш", sep_cost + c
        for d, dc in confusion.digits(suf, k=1, limit=1.0) if suf and sep else []:
            if d.isdigit() and len(d) <= 3:
                yield "/" + d, sep_cost + dc


NUMBERED = seq(NUMERO, ref_run, build=lambda _n, r: r, gap=2, lines=0)
