"""Dates and times: DAY, MONTH (word, Arabic, Roman), YEAR, DATE, TIME and DATETIME.

Values are tuples so the solver can fill a missing year: a date is (year | None, month, day), a
time (hour, minute), a datetime (date, time | None)."""

from datetime import date

from .grammar import alt, mark, number, opt, roman, seq, word
from .lexicon import group

SEP = alt(mark("./-,:"), mark("—–"))

DAY = number(1, 31, (1, 2))
MONTH_NUM = number(1, 12, (1, 2))
MONTH_WORD = word(group("months"), limit=1.2)
MONTH_ROMAN = roman()
YEAR_WORD = word(group("year_words"), limit=0.8)


def _year(y):
    return y if y > 1900 else 1900 + y


YEAR = seq(alt(number(1936, 1939, (4, 4)), number(36, 39, (2, 2))), opt(YEAR_WORD, 0.05),
           build=lambda y, _w: _year(y), gap=1)


def _nothing(cost):
    def part(toks, i):
        yield i, None, cost
    return part


NO_YEAR = _nothing(0.4)   # a date without its year is read only where no year follows
NO_TIME = _nothing(0.6)
NO_MINUTES = _nothing(0.3)  # 'в 17 час.': a time on the hour


def _date(d, m, y=None):
    try:
        date(y or 1938, m, d)
    except ValueError:
        return None
    return (y, m, d)


def _dmy(d, _s, m, *rest):
    y = next((r for r in rest if isinstance(r, int) and r > 1900), None)
    return _date(d, m, y)


# 4.II.1938 г. · 10.12.1937 · 4/II-38 г. · 23/VII — 37 г.; the year may be missing
DATE_NUMERIC = alt(
    seq(DAY, SEP, alt(MONTH_ROMAN, MONTH_NUM), opt(SEP, 0.1), YEAR, build=_dmy),
    seq(DAY, SEP, MONTH_ROMAN, NO_YEAR, build=lambda d, s, m, _y: _date(d, m), gap=1),
)
# 4 февраля 1938 г. · 20 марта
DATE_WORDS = alt(
    seq(DAY, MONTH_WORD, YEAR, build=lambda d, m, y: _date(d, m, y), gap=1),
    seq(DAY, MONTH_WORD, NO_YEAR, build=lambda d, m, _y: _date(d, m), gap=1),
)
DATE = alt(DATE_NUMERIC, DATE_WORDS)

HOUR = number(0, 23, (1, 2))
MINUTE = number(0, 59, (2, 2))
HOUR_UNIT = word(group("hour_units"), limit=0.8)
MINUTE_UNIT = word(group("minute_units"), limit=0.8)
AT = word({"в": "в"}, limit=0.5)

# 22 ч. 11 м. · в 22 час. 11 мин. · 22.11 · 22-11 · 22:11
TIME_UNITS = seq(opt(AT, 0.0), HOUR, HOUR_UNIT, number(0, 59, (1, 2)), opt(MINUTE_UNIT, 0.1),
                 build=lambda _a, h, _u, m, _mu: (h, m))
TIME_HOUR = seq(opt(AT, 0.0), HOUR, HOUR_UNIT, build=lambda _a, h, _u: (h, 0))
TIME_CLOCK = seq(opt(AT, 0.1), HOUR, mark(".:-—–"), MINUTE, build=lambda _a, h, _s, m: (h, m), gap=0)
TIME = alt(TIME_UNITS, TIME_CLOCK, seq(TIME_HOUR, NO_MINUTES, build=lambda t, _n: t))

# a date and its time in either order; a date alone
DATETIME = alt(
    seq(DATE, TIME, build=lambda d, t: (d, t), gap=3),
    seq(TIME, DATE, build=lambda t, d: (d, t), gap=3),
    seq(DATE, NO_TIME, build=lambda d, _n: (d, None)),
)


def iso(d: tuple, t: tuple | None = None, year: int | None = None) -> str | None:
    y, m, dd = d
    y = y or year
    if y is None:
        return None
    s = f"{y:04d}-{m:02d}-{dd:02d}"
    return s + (f"T{t[0]:02d}:{t[1]:02d}" if t else "")
