"""Random but seeded cipher telegrams, with their true fields, for an honest benchmark.

The nine hand-written samples in documents.py are the pages the rules were written against;
this module makes many more in the same genre (headers, time formats, cities, addressees,
signatures, quota phrasings, number styles, deadlines) so a score on them says how the rules
do on pages nobody tuned them to. Texts are invented; phrasing follows
shared/reference/published-texts.md. Truth follows SPEC.md:

* sent_at / received_at: YYYY-MM-DDTHH:MM, or YYYY-MM-DD when the line gives no time;
* origin: the city of "Из X", else a city alone on a header line, else the city of a place
  adjective in the signature ("Секретарь Омского обкома" -> Омск), else None;
* sender: the first signatory, nominative; sender_position: as written, lower case except
  acronyms (ВКП(б), УНКВД, БССР) and place nouns (Узбекистана); place adjectives lower-cased;
* addressees: surnames after "тов."/"тт." in the address, nominative, in order, no repeats;
* quotas: every count of people tied to the repression (category 1/2/None, kind, additional:
  True/False for requested figures with/without "дополнительно", None otherwise).

    from tools.synth.varied import make_documents
    docs = make_documents(30, seed=0)            # mild scans
    hard = make_documents(10, seed=0, hard=True)  # one hard condition each
    tune = make_documents(30, seed=0, split="tune")  # families: tools/families.json
    held = make_documents(30, seed=0, split="heldout", families={"typeface": "gomono"})

Families: every document draws one value on each axis: typeface (render.TYPED_FONTS), layout
(LAYOUTS: header, address, signature and number forms), phrasing (PHRASINGS: date, time, figure
styles, request verbs), damage (damage_look) and copy (copy_look: the copy and its scan, the
OCR-side families: carbon copy, uneven strikes, paper grain, heavy JPEG, 300 dpi). Layout and
phrasing values are knobs read where the generator draws (knob()); without a split the generator
draws exactly as before families. The copy axis draws from its own random stream, after the others,
so adding it left every other draw of a seed as it was.
"""

from __future__ import annotations

import json
import random
import re
import textwrap
from datetime import date, datetime, timedelta

from .documents import WIDTH, form, q
from .render import TYPED_FONTS

NBSP = "\u00a0"


def typed(paragraph: str, glue: bool = True) -> list[str]:
    """documents.typed, except that a typist does not break "41 305" or "№ 00447" over lines
    (unless glue=False: the "slash" phrasing lets a figure run over a line break)."""
    if glue:
        paragraph = re.sub(r"(?<=\d) (?=\d{3}(?!\d)|тыс)", NBSP, paragraph).replace("№ ", "№" + NBSP)
    return [line.replace(NBSP, " ") for line in textwrap.wrap(paragraph, WIDTH)]


class Rng(random.Random):
    """random.Random with the document's family knobs (LAYOUTS, PHRASINGS); no knobs: the
    generator as it was before families, draw for draw (split=None)."""
    fam: dict = {}


def knob(r: random.Random, key: str, default=None):
    return getattr(r, "fam", {}).get(key, default)

MAX_UNITS = 40  # line pitches a page may use (the renderer's limit is ~45 at any dpi)

MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря"]
MONTHS_NOM = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
              "сентябрь", "октябрь", "ноябрь", "декабрь"]
MONTHS_ABBR = ["янв.", "февр.", "марта", "апр.", "мая", "июня", "июля", "авг.", "сент.", "окт.",
               "нояб.", "дек."]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

# ------------------------------------------------------------------ places
# nominative, genitive (for "Из X"), ASCII slug, kind, adjective stem (None: no city adjective)
# kind: obl (oblast), krai, rep (union republic: key into REPUBLICS), assr (key into ASSRS), dvk
CITIES = [
    ("Горький", "Горького", "gorky", "obl", "Горьковск"),
    ("Омск", "Омска", "omsk", "obl", "Омск"),
    ("Новосибирск", "Новосибирска", "novosibirsk", "obl", "Новосибирск"),
    ("Свердловск", "Свердловска", "sverdlovsk", "obl", "Свердловск"),
    ("Челябинск", "Челябинска", "chelyabinsk", "obl", "Челябинск"),
    ("Куйбышев", "Куйбышева", "kuibyshev", "obl", "Куйбышевск"),
    ("Сталинград", "Сталинграда", "stalingrad", "obl", "Сталинградск"),
    ("Ростов", "Ростова", "rostov", "obl", "Ростовск"),
    ("Воронеж", "Воронежа", "voronezh", "obl", "Воронежск"),
    ("Курск", "Курска", "kursk", "obl", "Курск"),
    ("Орёл", "Орла", "orel", "obl", "Орловск"),
    ("Смоленск", "Смоленска", "smolensk", "obl", "Смоленск"),
    ("Калинин", "Калинина", "kalinin", "obl", "Калининск"),
    ("Иваново", "Иваново", "ivanovo", "obl", "Ивановск"),
    ("Ярославль", "Ярославля", "yaroslavl", "obl", "Ярославск"),
    ("Вологда", "Вологды", "vologda", "obl", "Вологодск"),
    ("Архангельск", "Архангельска", "arkhangelsk", "obl", "Архангельск"),
    ("Киров", "Кирова", "kirov", "obl", "Кировск"),
    ("Саратов", "Саратова", "saratov", "obl", "Саратовск"),
    ("Оренбург", "Оренбурга", "orenburg", "obl", "Оренбургск"),
    ("Иркутск", "Иркутска", "irkutsk", "obl", "Иркутск"),
    ("Чита", "Читы", "chita", "obl", "Читинск"),
    ("Ленинград", "Ленинграда", "leningrad", "obl", "Ленинградск"),
    ("Красноярск", "Красноярска", "krasnoyarsk", "krai", "Красноярск"),
    ("Хабаровск", "Хабаровска", "khabarovsk", "dvk", None),
    ("Владивосток", "Владивостока", "vladivostok", "dvk", None),
    ("Казань", "Казани", "kazan", "assr", "tat"),
    ("Уфа", "Уфы", "ufa", "assr", "bash"),
    ("Петрозаводск", "Петрозаводска", "petrozavodsk", "assr", "kar"),
    ("Минск", "Минска", "minsk", "rep", "by"),
    ("Киев", "Киева", "kiev", "rep", "ua"),
    ("Тифлис", "Тифлиса", "tiflis", "rep", "ge"),
    ("Ереван", "Еревана", "erevan", "rep", "am"),
    ("Баку", "Баку", "baku", "rep", "az"),
    ("Ташкент", "Ташкента", "tashkent", "rep", "uz"),
    ("Ашхабад", "Ашхабада", "ashkhabad", "rep", "tm"),
    ("Алма-Ата", "Алма-Аты", "alma_ata", "rep", "kz"),
    ("Фрунзе", "Фрунзе", "frunze", "rep", "kg"),
    ("Сталинабад", "Сталинабада", "stalinabad", "rep", "tj"),
]
# party: "ЦК КП(б) <noun>"; nkvd: the republic's SSR as written
REPUBLICS = {
    "by": (["КП(б) Белоруссии"], ["БССР", "Белорусской ССР"]),
    "ua": (["КП(б)У", "КП(б) Украины"], ["УССР", "Украинской ССР"]),
    "ge": (["КП(б) Грузии"], ["Грузинской ССР"]),
    "am": (["КП(б) Армении"], ["Армянской ССР"]),
    "az": (["КП(б) Азербайджана"], ["Азербайджанской ССР"]),
    "uz": (["КП(б) Узбекистана"], ["Узбекской ССР", "УзССР"]),
    "tm": (["КП(б) Туркменистана", "КП(б) Туркмении"], ["Туркменской ССР", "ТССР"]),
    "kz": (["КП(б) Казахстана"], ["Казахской ССР", "КазССР"]),
    "kg": (["КП(б) Киргизии"], ["Киргизской ССР", "КиргССР"]),
    "tj": (["КП(б) Таджикистана"], ["Таджикской ССР", "ТаджССР"]),
}
ASSRS = {"tat": ("Татарского", ["ТАССР", "Татарской АССР"]),
         "bash": ("Башкирского", ["БАССР", "Башкирской АССР"]),
         "kar": ("Карельского", ["КАССР", "Карельской АССР"])}
# words a position keeps in their case: acronyms and the names of places that are nouns
KEEP_CASE = {"ЦК", "ВКП(б)", "КП(б)", "КП(б)У", "УНКВД", "НКВД", "ССР", "СССР", "АССР", "БССР",
             "УССР", "УзССР", "ТССР", "КазССР", "КиргССР", "ТаджССР", "ТАССР", "БАССР", "КАССР",
             "ДВК", "Белоруссии", "Украины", "Грузии", "Армении", "Азербайджана", "Узбекистана",
             "Туркменистана", "Туркмении", "Казахстана", "Киргизии", "Таджикистана"}

# ------------------------------------------------------------------ people
# invented signatories: nominative (truth); typed in capitals
SURNAMES = [
    "Ларионов", "Пахомов", "Гвоздев", "Рябинин", "Кобзев", "Лужин", "Сорокин", "Тимошин",
    "Белоусов", "Кудрявцев", "Шубин", "Мартынов", "Зуев", "Громов", "Лаптев", "Игнатьев",
    "Полянский", "Заславский", "Кравчинский", "Ольшанский", "Баранович", "Лукашевич",
    "Ярошевич", "Марченко", "Остапенко", "Гриценко", "Черных", "Седых", "Аветисян",
    "Петросян", "Абуладзе", "Мелашвили", "Садыков", "Юсупов", "Рахимбаев", "Ата-Мурадов",
    "Мир-Багиров", "Тер-Габриелян", "Круминь", "Озолс", "Кальнин", "Вайнштейн", "Гурвич",
    "Шапошников", "Тарасюк", "Дробот", "Кулагин", "Никольский", "Шелест", "Суббота",
]
ADDRESSEES = {"Сталин": "СТАЛИНУ", "Ежов": "ЕЖОВУ", "Молотов": "МОЛОТОВУ", "Жданов": "ЖДАНОВУ",
              "Андреев": "АНДРЕЕВУ", "Вышинский": "ВЫШИНСКОМУ", "Фриновский": "ФРИНОВСКОМУ",
              "Ворошилов": "ВОРОШИЛОВУ"}

# ------------------------------------------------------------------ numbers
WORDS_GEN = {2: "двух", 3: "трех", 4: "четырех", 5: "пяти", 6: "шести", 7: "семи", 8: "восьми",
             9: "девяти", 10: "десяти", 12: "двенадцати", 15: "пятнадцати", 20: "двадцати"}
WORDS_NOM = {2: "две", 3: "три", 4: "четыре", 5: "пять", 6: "шесть", 7: "семь", 8: "восемь",
             9: "девять", 10: "десять", 12: "двенадцать", 15: "пятнадцать", 20: "двадцать"}
# any figure in words (the "spelled" phrasing): 1-19, tens, hundreds; feminine for тысяча
UNITS = {"nom": "одна две три четыре пять шесть семь восемь девять десять одиннадцать двенадцать "
                "тринадцать четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать",
         "gen": "одной двух трех четырех пяти шести семи восьми девяти десяти одиннадцати двенадцати "
                "тринадцати четырнадцати пятнадцати шестнадцати семнадцати восемнадцати девятнадцати"}
TENS = {"nom": "двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто",
        "gen": "двадцати тридцати сорока пятидесяти шестидесяти семидесяти восьмидесяти девяноста"}
HUNDREDS = {"nom": "сто двести триста четыреста пятьсот шестьсот семьсот восемьсот девятьсот",
            "gen": "ста двухсот трехсот четырехсот пятисот шестисот семисот восьмисот девятисот"}


def spelled(n: int, case: str = "nom") -> str:
    """A round figure (n % 100 == 0, n < 100000) in words: "девять тысяч шестьсот"."""
    c = "gen" if case == "gen" else "nom"
    k, h = n // 1000, n % 1000 // 100
    out = []
    if k:
        t, u = divmod(k, 10) if k >= 20 else (0, k)
        if t:
            out.append(TENS[c].split()[t - 2])
        if u:
            out.append("одну" if u == 1 and case == "acc" else UNITS[c].split()[u - 1])
        out.append(thousands_word(k, case))
    if h:
        out.append(HUNDREDS[c].split()[h - 1])
    return " ".join(out)


def thousands_word(k: int, case: str) -> str:
    """'тысяча' after k, in the nominative, accusative ("лимит в 1 тысячу") or genitive."""
    if k % 10 == 1 and k % 100 != 11:
        return {"nom": "тысяча", "acc": "тысячу", "gen": "тысячи"}[case]
    if case in ("nom", "acc") and k % 10 in (2, 3, 4) and k % 100 not in (12, 13, 14):
        return "тысячи"
    return "тысяч"


def fmt_num(r: random.Random, n: int, case: str = "nom", words: bool = False) -> str:
    """A count as a typist wrote it: 2.625, 41 305, 4200, 5 тыс., 25 тысяч, девяти тысяч.
    A phrasing's "nums" knob weighs the styles (plus "spelled": девять тысяч шестьсот)."""
    k = n // 1000
    weights = knob(r, "nums")
    if weights:
        ok = {"plain": True, "dot": n >= 1000, "space": n >= 1000, "tys": n >= 1000 and n % 1000 == 0,
              "tysyach": n >= 1000 and n % 1000 == 0,
              "words": words and n % 1000 == 0 and k in WORDS_GEN, "spelled": n % 100 == 0 and n < 100000}
        opts = [o for o in weights if ok[o]] or ["plain"]
        style = r.choices(opts, [weights.get(o, 1) for o in opts])[0]
        if style == "spelled":
            return spelled(n, case)
    else:
        opts = ["plain"] * (3 if n < 10000 else 1)
        if n >= 1000:
            opts += ["dot", "dot", "space"]
        if n >= 1000 and n % 1000 == 0:
            opts += ["tys", "tys", "tysyach"]
            if words and k in WORDS_GEN:
                opts += ["words"] * len(opts)  # half the time "девяти тысяч"
        style = r.choice(opts)
    if style == "dot":
        return f"{k}.{n % 1000:03d}"
    if style == "space":
        return f"{k} {n % 1000:03d}"
    if style == "tys":
        return f"{k} тыс."
    if style == "tysyach":
        return f"{k} {thousands_word(k, case)}"
    if style == "words":
        return f"{(WORDS_GEN if case == 'gen' else WORDS_NOM)[k]} {thousands_word(k, case)}"
    return str(n)


def count(r: random.Random, lo: int, hi: int) -> int:
    """A plausible figure: round hundreds/thousands or an exact count; never a year."""
    while True:
        style = r.random()
        if style < 0.3:
            n = r.randrange(max(1, lo // 1000), hi // 1000 + 1) * 1000
        elif style < 0.7:
            n = r.randrange(max(1, lo // 100), hi // 100 + 1) * 100
        else:
            n = r.randrange(lo, hi + 1)
        if lo <= n <= hi and not 1900 <= n <= 1940:
            return n


def split(r: random.Random, total: int) -> tuple[int, int]:
    """total = a (first category, the smaller part usually) + b, both round-ish when total is."""
    unit = 100 if total % 100 == 0 and total >= 1000 else 1
    a = max(unit, round(total * r.uniform(0.25, 0.55) / unit) * unit)
    return a, total - a


# ------------------------------------------------------------------ dates and times

def fmt_date(r: random.Random, d: date, style: str) -> str:
    y2 = f"{d.year % 100:02d}"
    return {
        "roman": f"{d.day}.{ROMAN[d.month - 1]}.{d.year} г.",
        "roman2": f"{d.day}.{ROMAN[d.month - 1]}.{y2} г.",
        "slash": f"{d.day}/{ROMAN[d.month - 1]} — {y2} г.",
        "slash_tight": f"{d.day}/{ROMAN[d.month - 1]}-{y2} г.",
        "num": f"{d.day:02d}.{d.month:02d}.{d.year} г.",
        "num_tight": f"{d.day:02d}.{d.month:02d}.{d.year}г.",
        "words": f"{d.day} {MONTHS_GEN[d.month - 1]} {d.year} года",
        "words_g": f"{d.day} {MONTHS_GEN[d.month - 1]} {d.year} г.",
        # styles only the phrasing families use
        "roman_sp": f"{d.day}. {ROMAN[d.month - 1]}. {y2} г.",
        "slash_full": f"{d.day}/{ROMAN[d.month - 1]}-{d.year} г.",
        "dash_roman": f"{d.day}-{ROMAN[d.month - 1]}-{y2} г.",
        "num_short": f"{d.day}.{d.month:02d}.{y2}",
        "num_slash": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "words_abbr": f"{d.day} {MONTHS_ABBR[d.month - 1]} {d.year} г.",
    }[style]


def fmt_time(r: random.Random, h: int, m: int, style: str) -> str:
    return {
        "chm": f"{h} ч. {m:02d} м.",
        "chas": f"{h} час. {m:02d} мин.",
        "v_chas": f"в {h} час. {m:02d} мин.",
        "v_chas1": f"в {h} час. {m} мин.",
        "dash": f"{h}-{m:02d}",
        "dot": f"{h}.{m:02d}",
        "v_chm": f"в {h} ч. {m:02d} м.",
        "hour": f"в {h} час.",  # whole hours only (the caller sets m = 0)
    }[style]


DATE_STYLES = ["roman", "roman", "roman2", "slash", "slash", "slash_tight", "num", "num_tight",
               "words", "words_g"]
TIME_STYLES = ["chm", "chas", "chas", "v_chas", "v_chas", "v_chas1", "dash"]


def fmt_stamp(r: random.Random, dt: datetime, with_time: bool, room: int = 37) -> tuple[str, str]:
    """(text, truth) for a moment: the date in one of the period's styles, the time before or
    after it (or none: then the truth is the date alone); at most `room` characters."""
    for _ in range(100):
        text, truth = _stamp(r, dt, with_time)
        if len(text) <= room:
            return text, truth
    raise OverflowError


def _stamp(r: random.Random, dt: datetime, with_time: bool) -> tuple[str, str]:
    ds = fmt_date(r, dt.date(), r.choice(knob(r, "dates", DATE_STYLES)))
    if not with_time:
        return ds, dt.strftime("%Y-%m-%d")
    times = knob(r, "times")
    if times:  # a phrasing family: its own time styles, time before the date with p = time_first
        style = r.choice(times)
        if style == "hour":
            dt = dt.replace(minute=0)
        ts = fmt_time(r, dt.hour, dt.minute, style)
        first = r.random() < knob(r, "time_first", 0.3)
        return (f"{ts} {ds}" if first else f"{ds} {ts}"), dt.strftime("%Y-%m-%dT%H:%M")
    style = r.choice(TIME_STYLES)
    if style == "dash" and r.random() < 0.7:
        style = "chas"  # "9-00" is rare
    ts = fmt_time(r, dt.hour, dt.minute, style)
    if style in ("chm", "chas", "dash") and r.random() < 0.5:
        text = f"{ts} {ds}"
    elif style.startswith("v_") and r.random() < 0.3:
        text = f"{ts} {ds}"
    else:
        text = f"{ds} {ts}"
    return text, dt.strftime("%Y-%m-%dT%H:%M")


def day_month(d: date) -> str:
    return f"{d.day} {MONTHS_GEN[d.month - 1]}"


# ------------------------------------------------------------------ positions and signature

def position_truth(text: str) -> str:
    return " ".join(w if w in KEEP_CASE else w.lower() for w in text.split())


def positions(r: random.Random, city: tuple, role: str) -> list[tuple[str, str | None]]:
    """Candidate positions (as typed, city it names or None) for a party or NKVD sender."""
    nom, _, _, kind, adj = city
    out: list[tuple[str, str | None]] = []
    if kind in ("obl", "krai"):
        body, unit = ("обкома", "области") if kind == "obl" else ("крайкома", "краю")
        fem = adj + ("ой" if kind == "obl" else "ому")
        if role == "party":
            out += [(f"Секретарь {body} ВКП(б)", None), (f"Секретарь {adj}ого {body} ВКП(б)", nom),
                    (f"Первый секретарь {adj}ого {body} ВКП(б)", nom),
                    (f"Первый секретарь {body} ВКП(б)", None)]
        else:
            out += [("Начальник УНКВД", None), (f"Начальник УНКВД по {fem} {unit}", nom),
                    (f"Начальник УНКВД {adj}ой области", nom) if kind == "obl" else ("Нач. УНКВД", None)]
    elif kind == "dvk":
        out += ([("Секретарь крайкома ВКП(б)", None), ("Секретарь Далькрайкома ВКП(б)", None)]
                if role == "party" else [("Начальник УНКВД по ДВК", None), ("Начальник УНКВД", None)])
    elif kind == "assr":
        a, ssr = ASSRS[adj]
        out += ([(f"Секретарь {a} обкома ВКП(б)", None), ("Секретарь обкома ВКП(б)", None)]
                if role == "party" else [(f"Народный комиссар внутренних дел {s}", None) for s in ssr])
    else:
        party, ssr = REPUBLICS[adj]
        out += ([(f"Секретарь ЦК {p}", None) for p in party] + [(f"Первый секретарь ЦК {party[0]}", None)]
                if role == "party" else
                [(f"Народный комиссар внутренних дел {s}", None) for s in ssr]
                + [(f"Нарком внутренних дел {ssr[0]}", None)])
    return out


def signature(r: random.Random, city: tuple, role: str, need_origin: bool = False):
    """Lines of the signature block; truth sender, sender_position, and the city it names."""
    cands = positions(r, city, role)
    if need_origin:
        cands = [c for c in cands if c[1]] or cands
    pos, pos_city = r.choice(cands)
    name = r.choice(SURNAMES)
    case = str.upper
    if knob(r, "title_case") and r.random() < knob(r, "title_case"):  # "Ю. Каганович", not "Ю. КАГАНОВИЧ"
        case = str
    caps = case(name)
    if r.random() < knob(r, "initials", 0.3):
        caps = r.choice("АБВГДЕИКЛМНПРСТФЮЯ") + ". " + caps if r.random() < 0.6 else \
            r.choice("АВГДИМНПС") + "." + r.choice("АВГДИМНПС") + ". " + caps
    sig = knob(r, "sig", {"above": 30, "inline": 30, "below": 15, "two_names": 12, "two_lines": 13})
    layout = r.choices(list(sig), list(sig.values()))[0]
    if need_origin and layout == "two_names":
        layout = "above"
    if layout == "inline" and len(pos) + 1 + len(caps) > WIDTH:
        layout = "above"
    pl = typed(pos)  # a long title runs over two lines: "Народный комиссар внутренних дел" / "... ССР"
    if layout == "caps_inline":  # "СЕКРЕТАРЬ ОБКОМА ВКП(б) КАГАНОВИЧ" (1922 blank); acronyms keep (б)
        up = " ".join(w if w in KEEP_CASE else w.upper() for w in pos.split())
        caps = caps.upper()
        lines = [f"{up} {caps}"] if len(up) + 1 + len(caps) <= WIDTH else typed(up) + [caps]
    elif layout == "above":
        lines = pl + [caps]
    elif layout == "inline":
        lines = [f"{pos} {caps}"]
    elif layout == "below":
        lines = [caps] + pl
    elif layout == "two_names":  # "МИКОЯН, МАЛЕНКОВ": no position; the first name sends
        other = case(r.choice([s for s in SURNAMES if s != name]))
        return [f"{caps}, {other}"], name, None, None
    else:  # a party secretary and the NKVD chief, one after the other: the first one sends
        pos2, city2 = r.choice(positions(r, city, "nkvd" if role == "party" else "party"))
        other = r.choice([s for s in SURNAMES if s != name]).upper()
        lines = [f"{pos} {caps}"] if len(pos) + 1 + len(caps) <= WIDTH else pl + [caps]
        lines += [f"{pos2} {other}"] if len(pos2) + 1 + len(other) <= WIDTH else typed(pos2) + [other]
        pos_city = pos_city or city2  # the origin is named in the signature, by either signatory
    return lines, name, position_truth(pos), pos_city


# ------------------------------------------------------------------ body sentences
# Each returns (sentence, [quota, ...]); quotas in order of appearance.

CAT = {1: ["по первой категории", "по 1 категории", "по 1-й категории", "по I категории"],
       2: ["по второй категории", "по 2 категории", "по 2-й категории", "по II категории"]}
CAT_WEIGHTS = [10, 5, 3, 1]


def cats(r):
    """The two category phrases of one sentence, written in the same style."""
    i = r.choices(range(len(CAT[1])), CAT_WEIGHTS)[0]
    return CAT[1][i], CAT[2][i]


def people(r, weight=1.0):
    return r.choices(["человек", "чел.", ""], [6, 1, 2 * weight])[0]


def ppl(word: str) -> str:
    return f" {word}" if word else ""


class Body:
    def __init__(self, r: random.Random, region: str, sent: date | None, city: tuple, role: str):
        self.r, self.region, self.sent = r, region, sent  # region: "области", "краю", "республике"
        kind, adj = city[3], city[4]
        if role == "nkvd":
            self.who = "УНКВД" if kind in ("obl", "krai", "dvk") else "НКВД республики"
        else:
            self.who = {"obl": "Обком ВКП(б)", "krai": "Крайком ВКП(б)", "dvk": "Крайком ВКП(б)",
                        "assr": "Обком ВКП(б)"}.get(kind) or f"ЦК {REPUBLICS[adj][0][0]}"

    def ask(self):
        if knob(self.r, "asks"):
            return self.r.choice(knob(self.r, "asks")).format(who=self.who)
        return self.r.choices(["Просим", "Прошу", f"{self.who} просит", "Тройка просит"], [6, 4, 3, 1])[0]

    # ---- requested
    def req_limit(self):
        r = self.r
        dop = r.random() < 0.6 and self.sent is not None and self.sent >= date(1937, 8, 1)
        ask, verb = self.ask(), r.choice(knob(r, "verbs", ["утвердить", "утвердить", "разрешить"]))
        lim = r.choice(["лимит ", "лимит ", ""])
        if dop:
            v = r.choice([f"дополнительно {verb} {lim}", f"{verb} дополнительно {lim}",
                          f"{verb} дополнительный лимит "])
        else:
            v = f"{verb} {lim}"
        c1, c2 = cats(r)
        a, b = count(r, 300, 8000), count(r, 300, 12000)
        which = r.choices(["both", "one", "two", "reversed"], [6, 3, 1, 1])[0]
        if which == "both":
            s = f"{ask} {v}{c1} {fmt_num(r, a)}{ppl(people(r))} и {c2} {fmt_num(r, b)} человек"
            qs = [q(1, a, "requested", dop), q(2, b, "requested", dop)]
        elif which == "one":
            s = f"{ask} {v}{c1} {fmt_num(r, a)} человек"
            qs = [q(1, a, "requested", dop)]
        elif which == "two":
            s = f"{ask} {v}{c2} {fmt_num(r, b)} человек"
            qs = [q(2, b, "requested", dop)]
        else:  # the figure before its category
            v = v.replace("лимит ", "лимит в ") if "лимит" in v else v
            s = f"{ask} {v}{fmt_num(r, a, 'acc')} человек {c1} и {fmt_num(r, b, 'acc')} человек {c2}"
            qs = [q(1, a, "requested", dop), q(2, b, "requested", dop)]
        return s, qs

    def req_shoot(self):
        r = self.r
        dop = r.random() < 0.7
        n = count(r, 200, 5000)
        pre = r.choice(["", f"Для действительной очистки {self.region_gen()} ",
                        f"Ввиду особой засоренности {self.region_gen()} ",
                        "В связи с вскрытием новых контрреволюционных групп "])
        ask = r.choice(["просим", "прошу"]) if pre else r.choice(["Просим", "Прошу"])
        d1, d2 = ("дополнительно ", "") if dop and r.random() < 0.6 else ("", "дополнительно " if dop else "")
        tail = r.choice([" из кулаков и прочих антисоветских элементов", " из числа бывших кулаков"
                         " и уголовников", ""])
        if r.random() < 0.3:
            m = count(r, 300, 6000)
            s = (f"{pre}{ask} разрешить {d1}расстрелять {d2}{fmt_num(r, n)} и направить в лагеря "
                 f"{fmt_num(r, m)} человек{tail}")
            return s, [q(1, n, "requested", dop), q(2, m, "requested", dop)]
        return f"{pre}{ask} разрешить {d1}расстрелять {d2}{fmt_num(r, n)} человек{tail}", \
            [q(1, n, "requested", dop)]

    def req_podl(self):
        r = self.r
        dop = r.random() < 0.5
        n = count(r, 500, 8000)
        verb = r.choice(knob(r, "verbs", ["утвердить", "разрешить"]))
        v = f"{r.choice(['дополнительно ' + verb, verb + ' дополнительно'])}" if dop else verb
        s = f"{self.ask()} {v} лимит подлежащих расстрелу {fmt_num(r, n)} человек"
        qs = [q(1, n, "requested", dop)]
        if r.random() < 0.4:
            m = count(r, 500, 10000)
            s += f" и подлежащих высылке {fmt_num(r, m)} человек"
            qs.append(q(2, m, "requested", dop))
        return s, qs

    def req_total(self):
        r = self.r
        t = count(r, 800, 20000)
        a, b = split(r, t)
        c1, c2 = cats(r)
        note = r.choice(["", ", по неполным данным,", ", по предварительным данным,"])
        colon = r.choice(["", ":"])
        return (f"Всего подлежит репрессии{note} {fmt_num(r, t)} человек, из них{colon} {c1} "
                f"{fmt_num(r, a)}, {c2} {fmt_num(r, b)} человек",
                [q(None, t, "requested", False), q(1, a, "requested", False), q(2, b, "requested", False)])

    # ---- approved
    def approved(self):
        r = self.r
        who = r.choice(["ранее ", "Вами ", "ЦК ВКП(б) ", ""])
        end = r.choice(["исчерпан", "полностью использован"])
        c1, c2 = cats(r)
        a = count(r, 500, 10000)
        if r.random() < 0.4:
            b = count(r, 500, 12000)
            return (f"Утвержденный {who}лимит {c1} {fmt_num(r, a)} и {c2} {fmt_num(r, b)} человек {end}",
                    [q(1, a, "approved"), q(2, b, "approved")])
        return f"Утвержденный {who}лимит {c1} {fmt_num(r, a)} человек {end}", [q(1, a, "approved")]

    def allowed(self):
        r = self.r
        c1, c2 = cats(r)
        a, b = count(r, 500, 8000), count(r, 500, 10000)
        when = ""
        if self.sent and r.random() < 0.6:
            d = max(date(1937, 7, 31), self.sent - timedelta(days=r.randrange(20, 120)))
            when = f" от {day_month(d)}"
        return (f"Решением ЦК ВКП(б){when} {self.region_dat()} было разрешено {c1} {fmt_num(r, a)}, "
                f"{c2} {fmt_num(r, b)} человек", [q(1, a, "approved"), q(2, b, "approved")])

    # ---- sentenced
    def sentenced(self):
        r = self.r
        which = r.choices(["list", "limit", "considered", "cats"], [4, 2, 2, 2])[0]
        on = ""
        if self.sent and r.random() < 0.35:
            d = self.sent - timedelta(days=r.randrange(1, 20))
            on = f"{r.choice(['На', 'К'])} {day_month(d)} "
        if which == "list":
            t = count(r, 1000, 20000)
            a, b = split(r, t)
            c1, c2 = cats(r)
            return (f"{on}тройкой осуждено {fmt_num(r, t)} человек, из них {c1} {fmt_num(r, a)}, "
                    f"{c2} {fmt_num(r, b)}{ppl(people(r))}",
                    [q(None, t, "sentenced"), q(1, a, "sentenced"), q(2, b, "sentenced")])
        if which == "limit":
            n = count(r, 1000, 15000)
            return (f"В пределах лимита по {self.region_dat_short()} осуждено {fmt_num(r, n)} кулаков, "
                    f"уголовников и прочих антисоветских элементов", [q(None, n, "sentenced")])
        if which == "considered":
            n = count(r, 300, 9000)
            return f"{on}тройкой рассмотрено дел на {fmt_num(r, n)} человек", [q(None, n, "sentenced")]
        c1, c2 = cats(r)
        a, b = count(r, 500, 15000), count(r, 500, 15000)
        return (f"{on}осуждено тройкой {c1} {fmt_num(r, a)}, {c2} {fmt_num(r, b)} человек",
                [q(1, a, "sentenced"), q(2, b, "sentenced")])

    # ---- registered
    def registered(self):
        r = self.r
        which = r.choices(["list", "numbered", "about", "more", "upto"], [4, 2, 2, 1, 2])[0]
        verb = r.choice(["учтено", "учтено", "выявлено", "взято на учет"])
        if which == "list":
            t = count(r, 1000, 30000)
            a, b = split(r, t)
            c1, c2 = cats(r)
            who = r.choice(["человек", "кулаков и уголовников", "антисоветских элементов"])
            inc = r.choice(["из них", "из них", "в том числе"])
            return (f"Всего по {self.region_dat_short()} {verb} {fmt_num(r, t)} {who}, {inc} {c1} "
                    f"{fmt_num(r, a)}, {c2} {fmt_num(r, b)}{ppl(people(r))}",
                    [q(None, t, "registered"), q(1, a, "registered"), q(2, b, "registered")])
        if which == "numbered":
            n = count(r, 1000, 30000)
            v = r.choice(["числится", "насчитывается"])
            return (f"По ориентировочным данным районов {v} {fmt_num(r, n)} бывших кулаков "
                    f"и уголовников", [q(None, n, "registered")])
        if which == "about":
            n = r.choice(list(WORDS_GEN)) * 1000
            return (f"Кроме того, имеются бывшие бандпособники, контрабандисты и реэмигранты. Их "
                    f"насчитывается ориентировочно около {fmt_num(r, n, 'gen', words=True)} человек",
                    [q(None, n, "registered")])
        if which == "more":  # "дополнительно" here is no request: additional stays None
            n = count(r, 300, 5000)
            return (f"Дополнительно выявлено {fmt_num(r, n)} кулаков и уголовников, ведущих "
                    f"подрывную работу", [q(None, n, "registered")])
        n = r.choice(list(WORDS_GEN)) * 1000
        return (f"Всего по {self.region_dat_short()} {verb} до {fmt_num(r, n, 'gen', words=True)} "
                f"кулацких антисоветских элементов", [q(None, n, "registered")])

    # ---- other
    def arrested(self):
        r = self.r
        t = count(r, 800, 45000)
        when = r.choice(["Всего с начала операции", "С начала операции", "Всего"])
        if self.sent and self.sent.month > 1 and r.random() < 0.4:
            when = f"За {MONTHS_NOM[self.sent.month - 2]} м-ц с.г."
        if r.random() < 0.5:
            a, b = split(r, t)
            c1, c2 = cats(r)
            return (f"{when} арестовано {fmt_num(r, t)} человек, из них осуждено тройкой {c1} "
                    f"{fmt_num(r, a)}, {c2} {fmt_num(r, b)} человек",
                    [q(None, t, "other"), q(1, a, "sentenced"), q(2, b, "sentenced")])
        return f"{when} арестовано {fmt_num(r, t)} человек", [q(None, t, "other")]

    def arrested_consider(self):
        """Nasedkin's pattern: a count arrested, then a request to try them, split by category."""
        r = self.r
        t = count(r, 800, 8000)
        a, b = split(r, t)
        c1, c2 = cats(r)
        return (f"В результате {self.month_phrase()}было арестовано {fmt_num(r, t)} человек. "
                f"{r.choice(['Прошу', 'Просим'])} разрешить рассмотреть их дела на тройке, из них "
                f"{c1} {fmt_num(r, a)} и {c2} {fmt_num(r, b)} человек",
                [q(None, t, "other"), q(1, a, "requested", False), q(2, b, "requested", False)])

    # ---- helpers
    def month_phrase(self):
        if not self.sent or self.sent.month == 1:
            return ""
        return f"за {MONTHS_NOM[self.sent.month - 2]} м-ц с.г. "

    def region_gen(self):
        return {"области": "области", "краю": "края", "республике": "республики"}[self.region]

    def region_dat(self):
        return {"области": "области", "краю": "краю", "республике": "республике"}[self.region]

    def region_dat_short(self):
        return self.region

    # ---- no quota
    def context(self, era: str) -> str:
        r = self.r
        reg = self.region_gen()
        pool = [
            f"В районах {reg} вскрыты кулацкие и белогвардейские элементы, ведущие подрывную работу.",
            "Антисоветские элементы в колхозах ведут активную вредительскую работу.",
            f"Повстанческие группы вскрыты в {r.choice([3, 4, 6, 7, 8, 9, 12, 14, 17, 23, 26])} районах {reg}.",
            "Следствие по делам ведется ускоренным порядком.",
            "Аресты продолжаются.",
            "Значительная часть бывших кулаков вернулась из ссылки и осела на предприятиях.",
        ]
        if era == "operation":
            pool += [
                "Операция по приказу НКВД СССР № 00447 проводится по плану.",
                f"Тройка провела {r.choice([8, 9, 11, 12, 14, 16, 19, 27, 35, 48])} заседаний.",
                "Работа тройки закончена.",
                "Лимит по первой категории исчерпан.",
                "Операция по приказу № 00447 в основном закончена, однако засоренность "
                f"{reg} остается значительной.",
            ]
        else:
            pool += ["Эти цифры считаем преуменьшенными, так как органы НКВД не имеют полных данных.",
                     "Списки по районам уточняются."]
        return r.choice(pool)


def deadline_sentence(r: random.Random, sent: date | None, ask: bool):
    """A requested end of the troika's work; (clause or sentence, truth)."""
    lo = (sent or date(1937, 8, 10)) + timedelta(days=r.randrange(12, 100))
    d = min(lo, date(1938, 12, 25))
    explicit = sent is None or r.random() < 0.25
    ds = day_month(d) + (f" {d.year} {r.choice(['г.', 'года'])}" if explicit else "")
    if ask:  # a clause joined to a request: "... и продлить срок работы тройки до 20 марта"
        return r.choice([f"продлить срок работы тройки до {ds}", f"продлить срок до {ds}",
                         f"работу тройки закончить к {ds}"]), d.isoformat()
    return r.choice([f"Просим продлить срок работы тройки до {ds}", f"Прошу продлить срок до {ds}",
                     f"Работу тройки закончить к {ds}",
                     f"Просим разрешить закончить работу тройки к {ds}"]), d.isoformat()


# ------------------------------------------------------------------ the document

def _units(lines) -> float:
    u = 0.0
    for it in lines:
        it = {"text": it} if isinstance(it, str) else it
        u += it.get("gap", 0)
        if not it.get("text", "").strip():
            u += 1
            continue
        u += max(1.0, 0.95 * {"large": 1.5, "normal": 1.0, "small": 0.75}[it.get("size", "normal")])
    return u


TITLES = {"Сталин": ["Секретарю ЦК ВКП(б)"], "Жданов": ["Секретарю ЦК ВКП(б)"],
          "Андреев": ["Секретарю ЦК ВКП(б)"], "Молотов": ["Председателю СНК СССР"],
          "Ежов": ["Наркому внутренних дел", "Народному комиссару внутренних дел СССР"],
          "Фриновский": ["Зам. наркома внутренних дел"], "Вышинский": ["Прокурору Союза ССР"]}
GROUPS = [["Сталин"], ["Сталин"], ["Сталин", "Ежов"], ["Сталин", "Ежов"], ["Ежов"],
          ["Сталин", "Молотов", "Ежов"], ["Сталин", "Жданов"], ["Сталин", "Ежов", "Фриновский"],
          ["Вышинский", "Ежов"], ["Андреев"]]


def _address_form(r: random.Random, form: str):
    """A layout family's address: "tov_list" (тов. СТАЛИНУ, тов. ЕЖОВУ), "tt" (Т.т. Сталину,
    Ежову), "titled" (Наркому внутренних дел тов. Ежову, one a line), "per_line" (МОСКВА ЦК
    ВКП(б) / тов. СТАЛИНУ, / тов. ЕЖОВУ)."""
    names = r.choice(GROUPS)
    caps = r.random() < 0.6
    dat = [ADDRESSEES[n] if caps else ADDRESSEES[n].capitalize() for n in names]
    if form == "tt" and len(names) > 1:
        lines = [f"{r.choice(['тт.', 'Тт.', 'Т.т.'])} {', '.join(dat)}"]
    elif form == "titled":
        lines = [f"{r.choice(TITLES[n])} тов. {d}" + ("," if i < len(dat) - 1 else "")
                 for i, (n, d) in enumerate(zip(names, dat))]
    elif form == "per_line":
        lines = [r.choice(["МОСКВА ЦК ВКП(б)", "Москва, ЦК ВКП(б)", "МОСКВА, КРЕМЛЬ"])]
        lines += [f"тов. {d}" + ("," if i < len(dat) - 1 else "") for i, d in enumerate(dat)]
    else:  # tov_list (and "tt" with one name)
        line = ", ".join(f"тов. {d}" for d in dat)
        pre = r.choice(["", "", "МОСКВА ЦК ВКП(б) ", "Москва — "])
        lines = [pre + line if len(pre + line) <= WIDTH else line]
    return [w for line in lines for w in typed(line)], names


def _addressees(r: random.Random, style: str):
    """Address lines and the truth list."""
    forms = knob(r, "addr")
    if forms and style in ("blank", "dated", "form"):
        form = r.choice(forms)
        if form != "legacy":
            return _address_form(r, form)
    if style == "memo":
        who = r.choice(["ezhov", "ezhov", "frin"])
        if who == "ezhov":
            return ["Народному комиссару внутренних дел", "Союза ССР тов. ЕЖОВУ"], ["Ежов"]
        return ["Заместителю народного комиссара", "внутренних дел СССР тов. ФРИНОВСКОМУ"], ["Фриновский"]
    if style == "shifrovka":
        return r.choice([(["Москва. Тов. Сталину."], ["Сталин"]),
                         (["Москва, ЦК ВКП(б). Тт. Сталину, Ежову."], ["Сталин", "Ежов"]),
                         (["Москва. ЦК ВКП(б) тов. Сталину."], ["Сталин"]),
                         (["Москва. НКВД СССР тов. Ежову."], ["Ежов"]),
                         (["Москва. Тт. Сталину и Молотову."], ["Сталин", "Молотов"])])
    return r.choices([
        (["МОСКВА ЦК ВКП(б) тов. СТАЛИНУ"], ["Сталин"]),
        (["ЦК ВКП(б) тов. СТАЛИНУ"], ["Сталин"]),
        (["Москва, ЦК ВКП(б) тт. Сталину, Ежову"], ["Сталин", "Ежов"]),
        (["НКВД СССР — тов. ЕЖОВУ"], ["Ежов"]),
        (["СЕКРЕТАРЮ ЦК ВКП(б) тов. СТАЛИНУ"], ["Сталин"]),
        (["МОСКВА ЦК ВКП(б) тов. СТАЛИНУ,", "НКВД СССР тов. ЕЖОВУ"], ["Сталин", "Ежов"]),
        (["тт. СТАЛИНУ, МОЛОТОВУ, ЕЖОВУ"], ["Сталин", "Молотов", "Ежов"]),
        (["МОСКВА ЦК ВКП(б) тт. СТАЛИНУ, ЖДАНОВУ"], ["Сталин", "Жданов"]),
        (["МОСКВА ЦК ВКП(б) тов. АНДРЕЕВУ"], ["Андреев"]),
        (["Прокурору Союза ССР тов. ВЫШИНСКОМУ,", "НКВД СССР тов. ЕЖОВУ"], ["Вышинский", "Ежов"]),
    ], [8, 4, 4, 3, 3, 2, 2, 1, 1, 1])[0]


def received_line(r: random.Random, stamp: str, markers: list[str]) -> str:
    fits = [m for m in markers if len(m) + 1 + len(stamp) <= WIDTH]
    return f"{r.choice(fits) if fits else 'Поступила'} {stamp}"


def _ref(r: random.Random, own: bool = True) -> tuple[str, str]:
    n = r.randrange(12, 4000) if r.random() < 0.7 else r.randrange(10000, 70000)
    if n >= 10000 or not own:
        return str(n), str(n)
    suf = r.choices(["ш", "Ш"], [5, 1])[0]
    return f"{n}/{suf}", f"{n}/ш"


def make_document(r: random.Random, doc_id_prefix: str, two_pages: bool) -> dict:
    """One telegram: doc_id, pages (lines as documents.py writes them) and truth.
    Header styles: a cipher-office blank ("Из X", Отправлена/Поступила, № N/ш), a form table
    ("Отпр. 4/II-38 г. 22-11   Вх. № 95/ш", "Получена ...", "Из X"; layout families only), a
    "Шифровка."/"Телеграмма." header, an NKVD memorandum (city line, date, МЕМОРАНДУМ № N),
    a blank dated at the top (1922 style, number under the text), and a note of the People's
    Commissar forwarding a region's request (origin None). Raises OverflowError when the
    text does not fit its page(s); the caller draws again."""
    t = {k: None for k in ("sent_at", "received_at", "reference_number", "origin", "sender",
                           "sender_position", "addressees", "deadline", "in_reply_to")}
    hs = knob(r, "headers", {"blank": 50, "shifrovka": 17, "memo": 18, "dated": 8, "forward": 7})
    style = r.choices(list(hs), list(hs.values()))[0]
    city = r.choice(CITIES)
    nom, gen, slug, kind, adj = city
    region = {"obl": "области", "krai": "краю", "dvk": "краю", "assr": "республике",
              "rep": "республике"}[kind]
    # when: July 1937 (replies to П51/94) or the operation, Aug 1937 - Nov 1938
    era = "p51" if r.random() < 0.2 and style not in ("memo", "forward") else "operation"
    if era == "p51":
        sent_day = date(1937, 7, 3) + timedelta(days=r.randrange(0, 25))
    else:
        sent_day = date(1937, 8, 12) + timedelta(days=r.randrange(0, 460))
    sent = datetime.combine(sent_day, datetime.min.time()) + timedelta(minutes=r.randrange(0, 24 * 60))
    received = sent + timedelta(minutes=r.randrange(25, 14 * 60))
    role = "nkvd" if style == "memo" or (style != "forward" and r.random() < 0.35) else "party"

    header: list = []
    pre_body: list[str] = []  # e.g. "На № П51/94." as the first line of the body
    ref_after_body = None
    origin_from_sig = False
    sent_known = True

    def reply_line(force=False):
        if force or r.random() < (0.5 if era == "p51" else 0.2):
            if era == "p51":
                return "На № П51/94.", "П51/94"
            num, val = _ref(r)
            return r.choices([f"На № {num}", f"На № {num}.", f"На Ваш № {num}"], [5, 2, 1])[0], val
        return None, None

    if style in ("blank", "dated"):
        header += form(r.choice(["ШИФРТЕЛЕГРАММА"] * 4 + ["ШИФРОВАННАЯ ТЕЛЕГРАММА"]))
        if style == "dated":  # the date of the telegram typed at the top; receipt below it
            ds, t["sent_at"] = fmt_stamp(r, sent, False)
            header.append(ds)
            rs, t["received_at"] = fmt_stamp(r, received, True)
            header.append(received_line(r, rs, ["Поступила для расшифрования"]))
            header.append({"text": r.choice(["ВЕСЬМА СЕКРЕТНО", "СТРОГО СЕКРЕТНО"]), "style": "typed"})
            header.append(f"Из {gen.upper()}")
            t["origin"] = nom
        else:
            if r.random() < 0.2:
                header.append({"text": r.choice(["Строго секретно", "ВЕСЬМА СЕКРЕТНО", "Экз. № 2"]),
                               "style": "typed", "align": "right"})
            from_line = f"Из {gen.upper() if r.random() < 0.8 else gen}"
            header.append(from_line)
            t["origin"] = nom
            if r.random() < 0.93:
                ss, t["sent_at"] = fmt_stamp(r, sent, r.random() < 0.85)
                header.append(f"{r.choice(knob(r, 'sent_words', ['Отправлена'] * 5 + ['Отправлено']))} {ss}")
            else:
                sent_known = False
            if r.random() < 0.55 or not sent_known:
                rs, t["received_at"] = fmt_stamp(r, received, r.random() < 0.85)
                header.append(received_line(r, rs, knob(r, "recv_words", [
                    "Поступила в ЦК ВКП(б)", "Поступила в ЦК ВКП(б)", "Поступила для расшифрования",
                    "Поступила в НКВД СССР"])))
            if knob(r, "from_after"):  # "Из X" under the sent/received lines
                header.remove(from_line)
                header.append(from_line)
        if style == "dated" or r.random() < knob(r, "ref_bottom", 0.06):  # "№ 17/ш" under the text
            ref_after_body = _ref(r)
        elif r.random() < 0.9:
            num, t["reference_number"] = _ref(r)
            header.append(r.choice(knob(r, "refs", ["Вх. № {}", "№ {}", "№ {}"])).format(num))
        if style == "blank" and r.random() < 0.2:
            header.append("(в Секретариат ЦК)")
        if style == "blank" and r.random() < 0.15:
            header.append("Тт. Сталину, Ежову, 2 сектор")
            pre_names = ["Сталин", "Ежов"]
        else:
            pre_names = []
        addr, names = _addressees(r, "blank")
        header += ["", *addr, ""]
        t["addressees"] = list(dict.fromkeys(pre_names + names))
        line, t["in_reply_to"] = reply_line()
        if line:
            pre_body.append(line)

    elif style == "form":  # a form table: "Отпр. 4/II-38 г. 22-11      Вх. № 95/ш" / "Получена ..."
        header += form(r.choice(["ШИФРТЕЛЕГРАММА", "ШИФРОВАННАЯ ТЕЛЕГРАММА"]))
        ss, t["sent_at"] = fmt_stamp(r, sent, r.random() < 0.9, room=WIDTH - 6)
        num, t["reference_number"] = _ref(r)
        left, right = f"{r.choice(['Отпр.', 'Отпр.', 'Отправл.'])} {ss}", r.choice(["Вх. № {}", "Вх. N {}"]).format(num)
        gap = WIDTH - len(left) - len(right)
        header += [left + " " * gap + right] if gap >= 3 else [left, right]
        rs, t["received_at"] = fmt_stamp(r, received, True, room=WIDTH - 10)
        header.append(f"{r.choice(['Получена', 'Поступила', 'Принята'])} {rs}")
        city_word = gen.upper() if r.random() < 0.6 else gen
        header.append(r.choice([f"Из {city_word}", f"Откуда: из {city_word}", f"Из {city_word}"]))
        t["origin"] = nom
        addr, t["addressees"] = _addressees(r, "form")
        header += ["", *addr, ""]
        line, t["in_reply_to"] = reply_line()
        if line:
            pre_body.append(line)

    elif style == "shifrovka":
        header.append(r.choice(["Шифровка.", "Телеграмма.", "Шифровка."]))
        if r.random() < 0.3:
            header.append(r.choice(["Строго секретно.", "Шифром."]))
        header.append("")
        with_time = r.random() < 0.85
        ss, t["sent_at"] = fmt_stamp(r, sent, with_time)
        city_word = gen.upper() if r.random() < 0.4 else gen
        num, val = _ref(r)
        line = f"Из {city_word} {ss}"
        in_line = r.random() < 0.7 and len(line) + len(num) + 7 <= WIDTH
        if in_line:
            line += f" Вх. № {num}."
            t["reference_number"] = val
        if len(line) > WIDTH:  # one character too long with the number: it goes on a line of its own
            header += [f"Из {city_word}", f"Отправлена {ss}"] + ([f"Вх. № {num}."] if in_line else [])
        else:
            header.append(line)
        if not in_line and r.random() < 0.5:
            header.append(f"№ {num}")
            t["reference_number"] = val
        t["origin"] = nom
        if r.random() < 0.3:
            rs, t["received_at"] = fmt_stamp(r, received, True)
            header.append(f"Поступила {rs}")
        addr, t["addressees"] = _addressees(r, "shifrovka")
        header += ["", *addr, ""]

    elif style == "memo":
        header.append({"text": r.choice(["Совершенно секретно", "Сов. секретно"]), "style": "typed",
                       "align": "right"})
        header.append("")
        city_line = r.random() < 0.7
        if city_line:
            header.append(nom if r.random() < 0.85 else nom.upper())
            t["origin"] = nom
        else:
            origin_from_sig = r.random() < 0.6
        ds, t["sent_at"] = fmt_stamp(r, sent, False)
        header += [ds, ""]
        num, t["reference_number"] = _ref(r, own=False)
        header += [f"МЕМОРАНДУМ № {num}", ""]
        addr, t["addressees"] = _addressees(r, "memo")
        header += [*addr, ""]
        line, t["in_reply_to"] = reply_line(force=r.random() < 0.5)
        if line:
            header += [line, ""]

    else:  # forward: the People's Commissar passes a region's request to Stalin; origin None
        header.append({"text": "Сов. секретно", "style": "typed", "align": "right"})
        header.append("")
        ds, t["sent_at"] = fmt_stamp(r, sent, False)
        num, t["reference_number"] = _ref(r, own=False)
        header += [ds, f"№ {num}", "", "СЕКРЕТАРЮ ЦК ВКП(б) тов. СТАЛИНУ", ""]
        t["addressees"] = ["Сталин"]

    # ---------------------------------------------------------------- body
    b = Body(r, region, sent.date() if t["sent_at"] else None, city, role)
    quotas: list[dict] = []
    paras: list[list[str]] = []
    deadline = None

    def sent_(s):
        return s[0].upper() + s[1:] + ("" if s.endswith(".") else ".")

    if style == "forward":
        party = r.random() < 0.5
        cands = [p for p, _ in positions(r, city, "party" if party else "nkvd")
                 if any(w[:1].isupper() and w not in KEEP_CASE for w in p.split()[1:])]
        who = r.choice(cands or [p for p, _ in positions(r, city, "nkvd")])
        who = who[0].upper() + who[1:]
        n = count(r, 300, 3000)
        first = [f"Направляю копию телеграммы № {r.randrange(1000, 9999)}."] if r.random() < 0.5 else []
        first.append(f"{who} просит разрешить дополнительно расстрелять {fmt_num(r, n)} человек "
                     f"из кулаков и прочих антисоветских элементов.")
        quotas.append(q(1, n, "requested", True))
        second = []
        if r.random() < 0.6:
            m = count(r, 300, 4000)
            dop = r.random() < 0.5
            second.append(f"Предлагаю утвердить {'дополнительно ' if dop else ''}лимит по первой "
                          f"категории {fmt_num(r, m)} человек.")
            quotas.append(q(1, m, "requested", dop))
        else:
            second.append("Просьбу поддерживаю.")
        paras = [first, second]
        if r.random() < 0.6:
            sig_lines, t["sender"] = ["Народный комиссар внутренних дел Союза ССР", "ЕЖОВ"], "Ежов"
            t["sender_position"] = "народный комиссар внутренних дел союза ССР"
        else:
            sig_lines, t["sender"] = ["Зам. народного комиссара внутренних дел СССР", "ФРИНОВСКИЙ"], "Фриновский"
            t["sender_position"] = "зам. народного комиссара внутренних дел СССР"
    else:
        # paragraph 1: context and reports; paragraph 2: requests (and the deadline)
        p1, p2 = [], []
        if r.random() < 0.6:
            p1.append(b.context(era))
        if era == "p51":
            reports, requests = [b.registered, b.req_total], [b.req_limit, b.req_total]
        else:
            reports = [b.sentenced, b.sentenced, b.registered, b.arrested, b.approved, b.allowed]
            requests = [b.req_limit, b.req_limit, b.req_shoot, b.req_podl, b.arrested_consider]
        quiet = r.random() < 0.07  # now and then a telegram with no figure at all
        request = r.choice(requests) if r.random() < 0.85 and not quiet else None
        reports = [f for f in reports if f != request and not (
            f == b.arrested and request == b.arrested_consider)]
        chosen = list(dict.fromkeys(r.sample(reports, min(len(reports), r.choice([1, 1, 2])))))
        if quiet:
            chosen = []
            p1.append(b.context(era))
        if b.arrested in chosen and b.sentenced in chosen:  # the arrest report gives the sentences
            chosen.remove(b.sentenced)
        for f in chosen:
            s, qs = f()
            p1.append(sent_(s))
            quotas += qs
        if r.random() < 0.3:
            p1.append(b.context(era))
        made_request = request is not None
        if request:
            s, qs = request()
            asks = s.startswith(("Просим", "Прошу", b.who, "Тройка", "Убедительно", "Настоятельно")) \
                or "рассмотреть их дела" in s
            if era == "operation" and asks and r.random() < 0.45:
                clause, deadline = deadline_sentence(r, b.sent, ask=True)
                s += " и " + clause
            p2.append(sent_(s))
            quotas += qs
        if era == "operation" and deadline is None and r.random() < 0.25:
            s, deadline = deadline_sentence(r, b.sent, ask=False)
            p2.append(sent_(s))
        if r.random() < 0.15:
            p2.append(r.choice(["Просим ускорить ответ.", "Прошу срочно сообщить решение."]))
        p1 = list(dict.fromkeys(p1))  # the same context sentence drawn twice
        if deadline and "Работа тройки закончена." in p1:
            p1.remove("Работа тройки закончена.")
        paras = [p for p in (p1, p2) if p]
        if not made_request and len(paras) == 1 and r.random() < 0.5:
            paras = [[s] for s in paras[0]]  # short separate paragraphs (p1's, or p2's when p1 is empty)
        t["deadline"] = deadline
        sig_lines, t["sender"], t["sender_position"], pos_city = signature(
            r, city, role, need_origin=origin_from_sig)
        if t["origin"] is None and style == "memo" and pos_city:
            t["origin"] = pos_city
    tail = ["", *sig_lines]
    if ref_after_body:
        num, t["reference_number"] = ref_after_body
        if knob(r, "refs"):  # a layout family types it at the foot, under the signature
            tail += ["", r.choice(knob(r, "refs")).format(num)]
        else:
            paras.append([f"№ {num}"])
    t["quotas"] = quotas

    body_lines: list[str] = list(pre_body)
    for i, p in enumerate(paras):
        if i and style != "blank" or (i and r.random() < 0.5):
            body_lines.append("")
        body_lines += typed(" ".join(p), glue=not knob(r, "split_figures"))

    # ---------------------------------------------------------------- pages
    if two_pages:
        cut = max(1, len(body_lines) // 2)
        while cut < len(body_lines) and not body_lines[cut]:
            cut += 1
        pages = [header + body_lines[:cut], body_lines[cut:] + tail]
    else:
        pages = [header + body_lines + tail]
    for p in pages:
        if _units(p) > MAX_UNITS:
            raise OverflowError
        for it in p:
            txt = it if isinstance(it, str) else (it["text"] if it.get("style", "typed") == "typed" else "")
            assert len(txt) <= WIDTH, txt
    return {"doc_id": f"{doc_id_prefix}_{slug if style != 'forward' else 'moskva'}",
            "pages": pages, "truth": t}


# ------------------------------------------------------------------ looks

HARD = ["rotate180", "rotate90", "rotate270", "skew4", "dpi150", "bed", "phone", "stamp_red",
        "pdf2", "tif2"]
STAMP_TEXTS = ["СЕКРЕТНО", "СОВ. СЕКРЕТНО", "ВХ. ЦК ВКП(б)", "ВХ. НКВД СССР", "КОПИЯ",
               "ОСОБАЯ ПАПКА", "ЗА. И.СТ."]


def mild_look(r: random.Random, two_pages: bool) -> tuple[dict, str]:
    look = {"skew": round(r.uniform(-2, 2), 1), "noise": round(r.uniform(0.15, 0.5), 2), "dpi": 200,
            "font": r.choice(["freemono", "freemono", "liberation", "dejavu"])}
    if r.random() < 0.35:
        look["stamp"] = r.choice(["red", "violet", "blue"])
        look["stamp_text"] = r.choice(STAMP_TEXTS)
    if r.random() < 0.25:
        look["pencil"] = True
    if r.random() < 0.25:
        look["light"] = "gradient"
    if r.random() < 0.1:
        look["fold"] = True
    fmt = r.choice(["tif", "pdf"]) if two_pages else r.choice(["jpg", "jpg", "png", "tif", "pdf"])
    return look, fmt


def hard_look(r: random.Random, cond: str) -> tuple[dict, str, bool]:
    look = {"skew": round(r.uniform(-1, 1), 1), "noise": round(r.uniform(0.2, 0.4), 2), "dpi": 200,
            "font": r.choice(["freemono", "liberation", "dejavu"])}
    fmt, two = r.choice(["jpg", "png"]), False
    if cond.startswith("rotate"):
        look["rotate"] = int(cond[6:])
    elif cond == "skew4":
        look["skew"] = r.choice([-1, 1]) * round(r.uniform(3.5, 4.0), 1)
    elif cond == "dpi150":
        look["dpi"] = 150
    elif cond == "bed":
        look["bed"] = True
    elif cond == "phone":
        look.update({"light": "shadow", "blur": 1.0, "perspective": 0.02, "jpeg_quality": 70})
        fmt = "jpg"
    elif cond == "stamp_red":
        look.update({"stamp": "red", "stamp_text": r.choice(STAMP_TEXTS)})
    elif cond == "pdf2":
        fmt, two = "pdf", True
    elif cond == "tif2":
        fmt, two = "tif", True
    return look, fmt, two


# ------------------------------------------------------------------ families
# Each value of the layout and phrasing axes is a set of knobs read where the generator draws
# (knob(r, ...)); a knob left out keeps the draw of before. tools/families.json splits the values.
LAYOUTS = {
    "blank": {"headers": {"blank": 80, "dated": 20},
              "sig": {"above": 50, "inline": 25, "two_lines": 13, "two_names": 12}},
    "shifrovka": {"headers": {"shifrovka": 1}, "sig": {"inline": 40, "above": 30, "below": 30},
                  "title_case": 0.4},
    "memo": {"headers": {"memo": 75, "forward": 25}, "sig": {"above": 60, "inline": 20, "below": 20}},
    "per_line": {"headers": {"blank": 1}, "addr": ["per_line", "titled", "tt"], "ref_bottom": 0.7,
                 "refs": ["Вх. № {}", "№ {}", "№ {}"], "sig": {"below": 70, "above": 30},
                 "initials": 0.7},
    "form_table": {"headers": {"form": 1}, "addr": ["titled", "tov_list", "legacy"],
                   "sig": {"caps_inline": 60, "above": 20, "below": 20}, "initials": 0.5},
    "from_after": {"headers": {"blank": 1}, "from_after": True, "addr": ["tov_list", "tt"],
                   "refs": ["N {}", "Вх. N {}", "№{}"], "sig": {"inline": 70, "caps_inline": 30},
                   "title_case": 0.5, "initials": 0.6, "sent_words": ["Отправлена", "Отпр.", "Отправлено"],
                   "recv_words": ["Получена", "Поступила", "Принята в ЦК ВКП(б)", "Поступила в ЦК"]},
}
PHRASINGS = {
    "roman": {"dates": ["roman", "roman", "roman2"], "times": ["chm", "chas"], "time_first": 0.6,
              "nums": {"plain": 2, "dot": 3}, "verbs": ["утвердить", "утвердить", "разрешить"]},
    "numeric": {"dates": ["num", "num_tight", "num_short"], "times": ["v_chas", "v_chas1", "chas"],
                "time_first": 0.1, "nums": {"plain": 3, "tys": 1},
                "verbs": ["утвердить", "санкционировать", "разрешить"]},
    "words": {"dates": ["words", "words_g", "words_abbr"], "times": ["v_chm", "v_chas"], "time_first": 0.2,
              "nums": {"plain": 2, "tys": 2, "tysyach": 2, "words": 2},
              "asks": ["Просим", "Прошу", "Просим Вас", "{who} просит"]},
    "mixed": {"verbs": ["утвердить", "разрешить", "установить", "дать"]},  # all the older styles
    "slash": {"dates": ["slash", "slash_tight", "slash_full", "dash_roman", "num_slash"],
              "times": ["dash", "dot"], "time_first": 0.3, "nums": {"space": 4, "plain": 1},
              "split_figures": True, "verbs": ["санкционировать", "установить", "утвердить"]},
    "spelled": {"dates": ["roman_sp", "roman_sp", "words"], "times": ["hour", "hour", "v_chas"],
                "time_first": 0.2, "nums": {"spelled": 4, "tys": 1, "plain": 1},
                "asks": ["Убедительно просим", "Настоятельно прошу", "Просим", "{who} просит"]},
}
DAMAGES = ["clean", "stamp", "pencil_fold", "rotated", "skew_bed", "faded", "phone", "lowres"]


def damage_look(r: random.Random, damage: str, two_pages: bool) -> tuple[dict, str]:
    """The look (render.py options) and file format of one damage family."""
    look = {"skew": round(r.uniform(-1.5, 1.5), 1), "noise": round(r.uniform(0.1, 0.3), 2), "dpi": 200}
    fmt = r.choice(["tif", "pdf"]) if two_pages else r.choice(["jpg", "jpg", "png", "tif", "pdf"])
    if damage == "stamp":
        look.update({"stamp": r.choice(["red", "violet", "blue"]), "stamp_text": r.choice(STAMP_TEXTS),
                     "noise": round(r.uniform(0.3, 0.5), 2)})
    elif damage == "pencil_fold":
        look.update({"pencil": True, "fold": True})
        if r.random() < 0.5:
            look["light"] = "gradient"
    elif damage == "rotated":
        look["rotate"] = r.choice([90, 180, 270])
    elif damage == "skew_bed":
        if r.random() < 0.5:
            look["skew"] = r.choice([-1, 1]) * round(r.uniform(3.5, 4.0), 1)
        else:
            look["bed"] = True
    elif damage == "faded":
        look.update({"faded": round(r.uniform(0.45, 0.65), 2), "light": "gradient"})
    elif damage == "phone":
        look.update({"light": "shadow", "blur": 1.0, "perspective": 0.02, "jpeg_quality": 70})
        fmt = "jpg" if not two_pages else "pdf"
    elif damage == "lowres":
        look.update({"dpi": 150, "jpeg_quality": 60})
    elif damage != "clean":
        raise ValueError(f"unknown damage family {damage!r}")
    return look, fmt


COPIES = ["ribbon", "uneven", "grain", "dpi300", "carbon", "jpeg"]


def copy_look(r: random.Random, copy: str, look: dict) -> dict:
    """The look with one copy family on top of its damage (r: the copy axis's own stream)."""
    look = dict(look, copy=copy)
    if copy == "uneven":  # a worn machine: many light strikes, some letters struck half
        look["uneven"] = round(r.uniform(0.3, 0.5), 2)
    elif copy == "grain":
        look["grain"] = round(r.uniform(0.6, 1.0), 2)
    elif copy == "dpi300":
        look["dpi"] = 300 if look.get("dpi", 200) == 200 else look["dpi"]
    elif copy == "carbon":  # soft, doubled strokes of a carbon copy on thin paper
        look["carbon"] = round(r.uniform(0.25, 0.5), 2)
    elif copy == "jpeg":
        look["jpeg_quality"] = r.randint(18, 32)
    elif copy != "ribbon":
        raise ValueError(f"unknown copy family {copy!r}")
    return look


STAMPS = ["rect", "round", "incoming", "oval", "frame", "ruled"]
OFFICES = ["ЦК ВКП(б)", "НКВД СССР", "СНК СССР", "ОСОБЫЙ СЕКТОР ЦК"]
MONTHS_SHORT = ["ЯНВ", "ФЕВ", "МАР", "АПР", "МАЯ", "ИЮН", "ИЮЛ", "АВГ", "СЕН", "ОКТ", "НОЯ", "ДЕК"]
MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
              "октября", "ноября", "декабря"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def stamp_look(r: random.Random, style: str, look: dict) -> dict:
    """The look with its stamp (if its damage drew one) in one stamp family (r: the stamp axis's
    own stream). An office's incoming stamp carries a number and a date."""
    if not look.get("stamp"):
        return look
    look = dict(look, stamp_style=style)
    d, m, n, office = r.randint(1, 28), r.randrange(12), r.randint(1, 4999), r.choice(OFFICES)
    if style == "incoming":
        date = f"{d} {MONTHS_SHORT[m]} {r.choice(['1937', '1938'])}" if r.random() < 0.6 else \
            f"{d}.{ROMAN[m]}.{r.choice(['37', '38'])}"
        look["stamp_text"] = f"{office}\nВх. № {n}\n{date}"
    elif style == "ruled":
        look["stamp_text"] = f"{office}\nВХОДЯЩИЙ № {n}\n«{d}» {MONTHS_GEN[m]} {r.choice(['1937', '1938'])} г."
    elif style not in STAMPS:
        raise ValueError(f"unknown stamp family {style!r}")
    return look


def _pools(split: str | None, chosen: dict | None, hard: bool) -> dict:
    """The values each axis draws from: families[axis] if given, else the split's values."""
    from . import families as fams
    known = {"typeface": list(TYPED_FONTS), "layout": list(LAYOUTS), "phrasing": list(PHRASINGS),
             "damage": DAMAGES, "copy": COPIES, "stamp": STAMPS}
    hard_values = set(fams.load()["hard"])
    pools = {}
    for ax in fams.AXES:
        given = (chosen or {}).get(ax)
        pool = ([given] if isinstance(given, str) else list(given)) if given else fams.values(ax, split)
        if ax == "damage" and not given:
            pool = [v for v in pool if (v in hard_values) == hard]
        bad = [v for v in pool if v not in known[ax]]
        if bad or not pool:
            raise ValueError(f"{ax}: unknown or no values {bad or pool}")
        pools[ax] = pool
    return pools


def make_documents(n: int, seed: int = 0, hard: bool = False, split: str | None = None,
                   families: dict | None = None) -> list[dict]:
    """n documents in the DOCUMENTS format: doc_id, format, look, pages, truth, plus
    families: {"typeface", "layout", "phrasing", "damage", "copy", "stamp"} (the values the document
    drew; the stamp family only shows where the damage drew a stamp).

    split=None and families=None: the generator of before families (layout, phrasing "legacy";
    damage "mild" or the hard condition): hard=False gives mild scans, 20% two pages; hard=True
    one hard condition each, cycling through HARD (rotations, 4° skew, 150 dpi, dark bed, phone
    photo, red stamp, two pages). doc_id: f"v{seed}_{i:03d}_{city}" ("v{seed}h_..." for hard).

    split="tune"/"calib"/"heldout": every axis draws only from that split's values in
    tools/families.json (hard picks its hard damage values, else the mild ones); families, e.g.
    {"typeface": "gomono"} or {"layout": ["memo", "blank"]}, fixes axes (any split's values).
    doc_id: f"{split}{seed}_{i:03d}_{city}" ("f{seed}..." without a split; "h" after seed for hard).
    Document i depends only on (seed, i, hard, split, families): a longer list starts with a shorter one."""
    legacy = split is None and families is None
    mode = "hard" if hard else "mild"
    pools = None if legacy else _pools(split, families, hard)
    docs = []
    for i in range(n):
        key = f"varied/{seed}/{i}/{mode}"
        if legacy:
            r = Rng(key)
            if hard:
                cond = HARD[i % len(HARD)]
                look, fmt, two = hard_look(r, cond)
            else:
                cond, two = "mild", r.random() < 0.2
                look, fmt = mild_look(r, two)
            fam = {"typeface": look["font"], "layout": "legacy", "phrasing": "legacy", "damage": cond,
                   "copy": "legacy", "stamp": "legacy"}
            prefix = f"v{seed}{'h' if hard else ''}_{i:03d}"
        else:
            key += f"/{split}/{json.dumps(families, sort_keys=True, ensure_ascii=False)}"
            pick = random.Random(key + "/families")
            fam = {ax: pick.choice(pool) for ax, pool in pools.items() if ax not in ("copy", "stamp")}
            for ax in ("copy", "stamp"):  # axes added later draw from streams of their own
                fam[ax] = random.Random(f"{key}/{ax}").choice(pools[ax])
            r = Rng(key)
            r.fam = {**LAYOUTS[fam["layout"]], **PHRASINGS[fam["phrasing"]]}
            two = r.random() < 0.2
            look, fmt = damage_look(r, fam["damage"], two)
            look = copy_look(random.Random(key + "/copy-look"), fam["copy"], look)
            look = stamp_look(random.Random(key + "/stamp-look"), fam["stamp"], look)
            look["font"] = fam["typeface"]
            prefix = f"{split or 'f'}{seed}{'h' if hard else ''}_{i:03d}"
        for _ in range(50):  # a text too long for its page is drawn again
            try:
                doc = make_document(r, prefix, two)
                break
            except OverflowError:
                continue
        else:
            raise RuntimeError(f"document {i}: no text fitted the page")
        docs.append({"doc_id": doc["doc_id"], "format": fmt, "look": look, "pages": doc["pages"],
                     "truth": doc["truth"], "families": fam})
    return docs
