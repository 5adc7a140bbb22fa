"""The joint reading of the dates: the cheapest in sum, the constraints between fields priced as
costs. A field's margin: the best cost against the best that gives the field another value."""

from datetime import date, datetime
from itertools import product

from .dates import iso

NONE = {"sent_at": 2.0, "received_at": 2.0, "deadline": 1.2}   # not reading a field at all
TOP = 5
FIRST, LAST = date(1937, 7, 1), date(1938, 11, 30)   # the mass operations' months


def _when(value: str | None):
    return datetime.fromisoformat(value if "T" in value else value + "T00:00") if value else None


def _penalty(sent: str | None, received: str | None, deadline: str | None) -> float:
    p = 0.0
    s, r, d = _when(sent), _when(received), _when(deadline)
    for x in (s, r):
        if x and not FIRST <= x.date() <= LAST:
            p += 0.7
    if s and r:
        if "T" not in sent or "T" not in received:   # a day without its time: compare days
            s, r = s.replace(hour=0, minute=0), r.replace(hour=0, minute=0)
        gap = (r - s).total_seconds() / 86400
        p += 1.2 if gap < -0.01 else (0.8 if gap > 2 else 0.0)
    if d and s and d <= s:
        p += 1.5
    if d and not FIRST <= d.date() <= date(1939, 3, 31):
        p += 0.7
    return p


def solve_dates(cands: list) -> dict:
    """{field: (cand | None, value | None, margin)} for sent_at, received_at and deadline."""
    by = {f: sorted([c for c in cands if c.field == f], key=lambda c: c.cost)[:TOP] + [None] for f in NONE}
    combos = []
    for s, r, d in product(by["sent_at"], by["received_at"], by["deadline"]):
        if s and r and (s.start, s.end) == (r.start, r.end):
            continue
        year = next((c.value[0][0] for c in (s, r) if c and c.value[0][0]), None)
        sv, rv = (iso(*c.value, year) if c else None for c in (s, r))
        dv = _deadline(d.value, sv or rv, year) if d else None
        if (s and not sv) or (r and not rv) or (d and not dv):
            continue
        cost = sum(c.cost if c else NONE[f] for f, c in zip(NONE, (s, r, d))) + _penalty(sv, rv, dv)
        combos.append((cost, {"sent_at": (s, sv), "received_at": (r, rv), "deadline": (d, dv)}))
    if not combos:
        return {f: (None, None, 0.0) for f in NONE}
    combos.sort(key=lambda x: x[0])
    best_cost, best = combos[0]
    out = {}
    for f in NONE:
        # a rival is another value, not the best one with less read (a date without its time)
        other = next((c for c, pick in combos[1:] if pick[f][1] != best[f][1]
                      and not (pick[f][1] and best[f][1] and best[f][1].startswith(pick[f][1]))), None)
        out[f] = (*best[f], (other - best_cost) if other is not None else 3.0)
    return out


def _deadline(ymd: tuple, after: str | None, year: int | None) -> str | None:
    # a deadline without its year is the first such day after `after`
    y, m, d = ymd
    if y:
        return iso(ymd)
    ref = _when(after)
    if ref is None:
        return iso(ymd, None, year) if year else None
    for yy in (ref.year, ref.year + 1):
        try:
            if date(yy, m, d) > ref.date():
                return iso((yy, m, d))
        except ValueError:
            return None
    return None


def choose(cands: list, field: str):
    """The cheapest candidate of a field and its margin over the next one with another value."""
    cs = sorted([c for c in cands if c.field == field], key=lambda c: c.cost)
    if not cs:
        return None, 0.0
    other = next((c for c in cs[1:] if c.value != cs[0].value), None)
    return cs[0], (other.cost - cs[0].cost) if other else 3.0
