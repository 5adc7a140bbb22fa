"""Candidates for the header's fields (times, numbers, origin), found wherever they stand."""

from dataclasses import dataclass
from typing import Any

from .dates import DATETIME
from .grammar import Tok, find, opt, seq, skip, word
from .lexicon import cities, group
from .numbers import NUMBERED, NUMERO  # noqa: F401  (NUMERO: the stage looks for it)

SENT = word(group("sent_markers"), limit=1.2, abbrev=True)
RECEIVED = word(group("received_markers"), limit=1.2, abbrev=True)
REPLY = seq(word({"на": "на"}, limit=0.4), opt(word({"ваш": "ваш", "вашу": "ваш", "вашего": "ваш"}, limit=0.6)),
            NUMBERED, build=lambda _n, _y, r: r, gap=1, lines=0)
NOT_OWN = word(group("not_own_number"), limit=0.8)   # 'приказа № 00447', 'решение № П51/94'
CITY = word(cities(), limit=1.0)
FROM_CITY = seq(word({"из": "из"}, limit=0.4), CITY, build=lambda _f, city: city, gap=1, lines=0)
UNMARKED = {"sent_at": 0.8, "received_at": 2.1}  # a lone date is the sending date; received is marked
IN_BODY = 1.5      # a date or number inside a sentence of the body


@dataclass
class Cand:
    field: str
    value: Any
    cost: float
    start: int      # token indexes
    end: int
    method: str


def stamps(toks: list[Tok], body: set[int]) -> list[Cand]:
    """Sent and received: a marker and a date-time, or a date-time alone."""
    out = []
    for fld, marker, skipped in (("sent_at", SENT, 2), ("received_at", RECEIVED, 8)):
        p = seq(marker, skip(skipped, 0.05), DATETIME, build=lambda _m, _s, dt: dt, gap=2, lines=1)
        for s, e, v, c in find(p, toks, limit=4.0):
            out.append(Cand(fld, v, c, s, e, f"grammar:{fld.split('_')[0]}_marker"))
    taken = [(c.start, c.end) for c in out]
    for s, e, v, c in find(DATETIME, toks, limit=3.0):
        if not any(a <= s < b for a, b in taken):
            for fld in ("sent_at", "received_at"):
                extra = UNMARKED[fld] + (IN_BODY if toks[s].line in body else 0.0)
                out.append(Cand(fld, v, c + extra, s, e, "grammar:header_date"))
    return out


def numbers(toks: list[Tok], body: set[int]) -> list[Cand]:
    """The telegram's own number and the number it answers ('На № 37417')."""
    replies = find(REPLY, toks, limit=3.0)
    out = [Cand("in_reply_to", v, c, s, e, "grammar:reply_number") for s, e, v, c in replies]
    for s, e, v, c in find(NUMBERED, toks, limit=3.0):
        if any(a <= s < a + 3 for a, _, _, _ in replies):
            continue
        not_own = any(toks[k].kind == "w" and next(NOT_OWN(toks, k), None) for k in range(max(0, s - 6), s))
        extra = (2.0 if not_own else 0.0) + (IN_BODY if toks[s].line in body else 0.0)
        if c + extra <= 2.5:   # an order's number inside a sentence is never the telegram's
            out.append(Cand("reference_number", v, c + extra, s, e, "grammar:numero"))
    return out


def origins(toks: list[Tok], body: set[int]) -> list[Cand]:
    """'Из ГОРЬКОГО', or a city alone on a header line."""
    out = [Cand("origin", v, c + (IN_BODY if toks[s].line in body else 0.0), s, e, "grammar:from_city")
           for s, e, v, c in find(FROM_CITY, toks, limit=2.0)]
    lines: dict[int, list[int]] = {}
    for i, t in enumerate(toks):
        if t.kind == "w" and t.line not in body:
            lines.setdefault(t.line, []).append(i)
    for words in lines.values():
        if len(words) == 1 and (m := next(CITY(toks, words[0]), None)):
            out.append(Cand("origin", m[1], m[2] + 0.6, words[0], words[0] + 1, "grammar:city_line"))
    return out
