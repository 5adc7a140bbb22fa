"""The address ('тов. СТАЛИНУ, тов. ЕЖОВУ', 'тт. Сталину, Ежову', a known leader alone), in the
nominative."""

from . import confusion
from .grammar import Tok, word
from .lexicon import group, leaders
from .names import is_name_like, nominative

COMRADE = word(group("comrade"), limit=0.6, kinds="w")
LEADER_LIMIT = 0.8


def addressees(toks: list[Tok], body: set[int], last_header_line: int):
    """(names, cost, their token indexes) from the lines before the body."""
    names, idx, cost = [], [], 0.0
    known = leaders()
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.line in body or t.line > last_header_line:
            i += 1
            continue
        if t.kind == "w" and (m := next(COMRADE(toks, i), None)):
            j, got = m[0], 0
            while j < len(toks) and toks[j].line not in body:
                u = toks[j]
                if u.kind in "pnl" or u.low == "и":
                    # a list goes on over a line break when the next line starts with a name or 'тов.'
                    if u.kind == "nl" and got and j + 1 < len(toks) and not (toks[j + 1].kind == "w" and (
                            is_name_like(toks[j + 1].text) or next(COMRADE(toks, j + 1), None) is not None)):
                        break
                    j += 1
                    continue
                if next(COMRADE(toks, j), None):
                    j += 1
                    continue
                if not is_name_like(u.text):
                    break
                # after 'тов.' a name is expected: a known leader two slips away is still that leader
                hit = confusion.best(u.low, tuple(known), max(LEADER_LIMIT, 0.3 * len(u.low)), k=1)
                name, c = (known[hit[0][0]], hit[0][1]) if hit else (nominative(u.text, dative=True), 0.6)
                if name and name not in names:
                    names.append(name)
                    idx.append(j)
                    cost += c + m[2]
                got += 1
                j += 1
            i = max(j, i + 1)
            continue
        if t.kind == "w" and t.text[:1].isupper() and len(t.text) >= 4:
            hit = confusion.best(t.low, tuple(leaders(dative=True)), LEADER_LIMIT, k=1)
            if hit and known[hit[0][0]] not in names:
                names.append(known[hit[0][0]])
                idx.append(i)
                cost += hit[0][1] + 0.3
        i += 1
    order = sorted(range(len(names)), key=lambda k: idx[k])
    return [names[k] for k in order], cost, [idx[k] for k in order]
