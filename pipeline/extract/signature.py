"""The signature: a title ('Секретарь Горьковского обкома ВКП(б)') and a surname, on one line or
two, in either order, with or without initials."""

from functools import lru_cache

from . import confusion
from .grammar import Tok
from .lexicon import acronyms, group, signatories
from .names import VOWELS, is_name_like, morph, title_case

HEAD = group("title_heads")
TITLE_WORDS = group("title_words")
HEAD_LIMIT = 0.9
ORGANS = [w for w in TITLE_WORDS if w.endswith(("ком", "кома")) and len(w) >= 5]   # 'обкома' in 'Далькрайкома'


def signature(toks: list[Tok], body: set[int]):
    """(surname, position, cost, name token index, title token span) or None."""
    lines = sorted({t.line for t in toks if t.kind != "nl"})
    if not lines:
        return None
    tail = [ln for ln in lines if ln > max(body, default=-1)] or lines[-4:]
    idx = [i for i, t in enumerate(toks) if t.line in tail and t.kind != "nl"]
    heads = [i for i in idx if toks[i].kind == "w" and confusion.best(toks[i].low, tuple(HEAD), HEAD_LIMIT, k=1)]
    names = [i for i in idx if is_name_like(toks[i].text) and not _titleish(toks[i])]
    if not names:
        return None
    if not heads:   # names alone: the first one's
        return _surname(toks[names[0]]), None, 1.0 + _doubt(toks, names[0]), names[0], None
    h = heads[0]
    cost = confusion.best(toks[h].low, tuple(HEAD), HEAD_LIMIT, k=1)[0][1]
    while h > 0 and toks[h - 1].line == toks[h].line and toks[h - 1].kind == "w" and \
            confusion.best(toks[h - 1].low, tuple(TITLE_WORDS), 0.5, k=1):
        h -= 1   # 'Народный комиссар', 'Первый секретарь'
    title_end = _title_end(toks, h, set(names))
    stop = next((k for k in heads if k > title_end), len(toks))   # a second signatory's title
    after = [n for n in names if title_end <= n < stop and toks[n].line - toks[title_end - 1].line <= 1]
    before = [n for n in names if n < h and toks[h].line - toks[n].line <= 1][-1:]
    if not after + before:
        return None
    name = max(after + before, key=lambda n: (_name_score(toks, n) + (0.3 if n >= title_end else 0.0), -n))
    return _surname(toks[name]), _position(toks, h, title_end), cost + _doubt(toks, name), name, (h, title_end)


def _name_score(toks: list[Tok], n: int) -> float:
    t = toks[n]
    score = 1.0 if t.text.isupper() else 0.3
    if n >= 2 and toks[n - 1].text == "." and _initial(toks[n - 2]):
        score += 1.0
    if n + 1 >= len(toks) or toks[n + 1].kind == "nl" or toks[n + 1].line != t.line:
        score += 0.5
    if confusion.best(t.low, tuple(signatories()), 0.5, k=1):
        score += 1.0
    return score


def _doubt(toks: list[Tok], n: int) -> float:
    return max(0.0, 2.0 - _name_score(toks, n)) * 0.4


def _titleish(t: Tok) -> bool:
    low = t.low.strip(".")
    return bool(confusion.best(low, tuple(TITLE_WORDS), 0.6, k=1)) or low.upper() in acronyms() or low.endswith(
        ("ского", "ской", "цкого", "кого")) or any(o in low for o in ORGANS)


def _title_end(toks: list[Tok], h: int, names: set[int]) -> int:
    # to the name or the line's end, and over lines that go on with title words ('(б)', an office)
    j = h + 1
    while j < len(toks) and j not in names:
        if toks[j].kind == "nl":
            nxt = next((k for k in range(j + 1, len(toks)) if toks[k].kind != "nl"), None)
            if nxt is None or nxt in names or not _titleish(toks[nxt]) and toks[nxt].kind == "w":
                break
        j += 1
    while j > h + 1 and (toks[j - 1].kind == "nl" or toks[j - 1].text in ",.—-–" or _initial(toks[j - 1])):
        j -= 1
    return j


def _initial(t: Tok) -> bool:
    return t.kind == "w" and len(t.text) == 1 and t.text.isupper()


def _position(toks: list[Tok], h: int, end: int) -> str:
    # as written, in lower case but its acronyms; a word near a title word becomes it
    out = []
    vocab = _vocabulary()
    for w in "".join(t.text if t.glued else " " + t.text for t in toks[h:end] if t.kind != "nl").split():
        core = w.strip(".,")
        if hit := confusion.best(core.lower(), tuple(vocab), 0.5, k=1):
            word = vocab[hit[0][0]]
            out.append(word + ("." if w.endswith(".") and len(word) <= 4 and word.islower() else ""))
        elif core.isupper() and (len(core) <= 4 or not sum(c in VOWELS for c in core.lower()) >= 2):
            out.append(core)   # an acronym the lexicon does not hold
        elif core[:1].isupper() and any("Geox" in p.tag for p in morph().parse(core.lower())[:2]):
            out.append(title_case(core))   # a place noun keeps its capital: 'Туркменистана'
        else:
            out.append(core.lower())
    return " ".join(out)


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    return {**{w: w for w in TITLE_WORDS}, **{a.lower(): a for a in acronyms().values()}}


def _surname(t: Tok) -> str:
    name = title_case(t.text.strip(".,"))
    hit = confusion.best(name.lower(), tuple(signatories()), 0.5, k=1)
    return signatories()[hit[0][0]] if hit else name
