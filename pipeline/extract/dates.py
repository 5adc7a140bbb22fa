"""Dates and times: DATE, TIME and DATETIME.

Values are tuples, so the solver can fill a missing year: a date (year | None, month, day), a
time (hour, minute), a datetime (date, time | None)."""

from datetime import date

from .grammar import alt, mark, nothing, number, opt, roman, seq, word
from .lexicon import group

SEP = alt(mark("./-,:"), mark("—–"))
DAY = number(1, 31, (1, 2))
MONTH = alt(roman(), number(1, 12, (1, 2)))
MONTH_WORD = word(group("months"), limit=1.2)
YEAR = seq(alt(number(1936, 1939, (4, 4)), number(36, 39, (2, 2))), opt(word(group("year_words"), limit=0.8), 0.05),
           build=lambda y, _w: y if y > 1900 else 1900 + y, gap=1)
NO_YEAR = nothing(0.4)   # a date without its year is read only where no year follows


def _date(d, m, y=None):
    try:
        date(y or 1938, m, d)
    except ValueError:
        return None
    return (y, m, d)


# 4.II.1938 г. · 10.12.1937 · 4/II-38 г. · 23/VII — 37 г. · 4.II · 4 февраля 1938 г. · 20 марта
DATE = alt(
    seq(DAY, SEP, MONTH, opt(SEP, 0.1), YEAR, build=lambda d, _s, m, _s2, y: _date(d, m, y)),
    seq(DAY, SEP, roman(), NO_YEAR, build=lambda d, _s, m, _y: _date(d, m), gap=1),
    seq(DAY, MONTH_WORD, YEAR, build=_date, gap=1),
    seq(DAY, MONTH_WORD, NO_YEAR, build=lambda d, m, _y: _date(d, m), gap=1),
)

HOUR = number(0, 23, (1, 2))
HOUR_UNIT = word(group("hour_units"), limit=0.8)
AT = word({"в": "в"}, limit=0.5)
# 22 ч. 11 м. · в 22 час. 11 мин. · 22.11 · 22-11 · 22:11 · в 17 час.
TIME = alt(
    seq(opt(AT), HOUR, HOUR_UNIT, number(0, 59, (1, 2)), opt(word(group("minute_units"), limit=0.8), 0.1),
        build=lambda _a, h, _u, m, _mu: (h, m)),
    seq(opt(AT, 0.1), HOUR, mark(".:-—–"), number(0, 59, (2, 2)), build=lambda _a, h, _s, m: (h, m), gap=0),
    seq(opt(AT), HOUR, HOUR_UNIT, nothing(0.3), build=lambda _a, h, _u, _n: (h, 0)),
)
# a date and its time in either order; a date alone
DATETIME = alt(
    seq(DATE, TIME, build=lambda d, t: (d, t), gap=3),
    seq(TIME, DATE, build=lambda t, d: (d, t), gap=3),
    seq(DATE, nothing(0.6), build=lambda d, _n: (d, None)),
)


def iso(d: tuple, t: tuple | None = None, year: int | None = None) -> str | None:
    y, m, dd = d
    y = y or year
    if y is None:
        return None
    return f"{y:04d}-{m:02d}-{dd:02d}" + (f"T{t[0]:02d}:{t[1]:02d}" if t else "")
