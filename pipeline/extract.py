"""Stage 3, extract: the fields of SPEC.md from the OCR text, each with its provenance.

Rules read the header lines (times, numbers, origin, addressees), the signature block (sender,
position) and the body's sentences (quota figures, deadline). Their vocabulary is in
data/lexicon.json. A spaCy NER model trained by the project (models/ner) adds the entities.
`extract_fields(text, words)` is the pure function tests call; `extract(ctx)` is the stage.
"""

import json
import re
import threading
from datetime import date, timedelta
from functools import lru_cache
from itertools import product
from pathlib import Path

from .context import DocContext, read_json, write_json
from .paths import DATA, ner_model_path

VERSION = "extract-70"  # 2: repairs of impossible dates and years, л/п misreads; 3: OCR slips in cues, dates, times,
# numbers, names and positions; 4: more of them (lost lines' dates, titles, footer numbers, sentence ends);
# 5: more (separators in figures, specks in cues, dates and times, surnames in mixed or lower case)
# 6: II read 11 in the slash style, a month unread taken from the other timestamp of the same day, a total
# that adds up only with 9s read as 0s mended (flagged), more OCR slips in numbers, cues, titles, addressees
# 7: a day's 3 or 0 read as a letter before the date's separator ('З0/ТТТ'); 8: an hour's 0 read 6, 8
# or 9, 'ПЕМОРАНДУМ', a number's first 3 read З, a title's first letter lost where the rest is a word
# ('арком'), a speck's letters after a known surname; 9: a figure's 3 read З before 'тыс.', a speck
# read as a quote after a word or as a degree sign in a category cue, two spaces inside a title; 10: a
# hyphen or comma between an hour and 'час.' when minutes follow, III read 111 in the slash style;
# 11: the hyphen only before 'ч.' or 'час.' ('18, ЧСИР 7 м' is no time), no quote-to-space after 'тов';
# 12: 'Нервой', '1Т' for II, 'Утвержценный', 'Порвый', a comma inside a title, 'ТЕР ГАБРИЕЛЯН';
# 13: a double surname's first part only as a whole word ('ШЛЯХТЕР ИВАНОВ' is two names); 14: a year's
# 7 read Т ('3Т г.'), a quote after a date's dash, any word one letter off 'дел' after 'внутренних';
# 15: a surname pymorphy3 does not know mended by one usual slip into one it does;
# 16: an hour's 0 read ©, a year's 3 read З or twice ('З7 г.', '337 г.'), 'На й, 2795/ш', 'п51/94', 'Из-ИРКУТСКА';
# 17: a comma between a category's ordinal and 'категории', 'поппежащих', no figure in 'по 4 категории'
# 18: a date's slash read И before a month of look-alikes ('11ИМТТ — 37 г.'), 'чае.', 'ч. _06.м.', a
# surname in lower case after a title on its line, 'вкл (6)', 'до 21 ‘июня', 'ноября-1937', 'МЕМОРАНДУМ \ 3131',
# '№№', '№ 1051 Ише', 'Неловек', № read '\', 'ВКП(б' at a title's end, '/щш', two dashes before a year,
# a Roman month that puts the timestamps months apart on the same day takes the other's
# 19: '\' for № only after МЕМОРАНДУМ or at a line's start; И for a slash only right after the day; a
# mended surname flagged; a speck inside a year ('1.938'), a day's 0 read 3 ('33.VII'), 'П.П...' after a title
# 20: 'Ага-Мурадов', 'ВКП(0)', a dash ending a title, ш read 11 or 41 ('194/11'), '19338 г.', '14/VII —. 37 г.'
# 21: 'ССР | .' still a title's last line, 'Отправиёна', '8.Т., 1938 г.', '23/ час.'
# 22: specks between an hour and час ('9*`час.', '4 ‚час.', '14°ч.'), '6 сентября ‹1938', '29,12.1937г.'
# 23: 'Из:', a header line led by a city and a date (Из lost), '317 г.', a lone date line whose month is
# unread takes the received day's month, a day 6 read б before its slash
# 24: an unread month also from a timestamp a day apart (received the day after sent), 'Г:.' in a month
# 25: '\' before a Roman month is a V's stroke ('б/\ТТ' 6/VII); II and VI in 1937 are XI and VII (no limits
# before July 1937), any date before then flagged
# 26: a day's 1 read Л ('Л7/ТТТ') or its 3 twice ('2З3/'), a two-digit year's decade read 5 ('57 г.'), a speck
# before a year's dash, '8: час.', '/Уш', '}5' for № after МЕМОРАНДУМ
# 27: 'вх. №' in lower case, ш read в, П or Ив after a number's slash, № read '1:' after МЕМОРАНДУМ, '№`\'
# 28: capital specks after a signatory's name ('РЯБИНИН. — ^ ТТ".'), л read т ('обтасти'), 'зо/хтт' (30/XII),
# a speck after a year's dash ('-—| 38'), 'На\ №', '}№'
# 29: 'час»', a month's 1 read 4 ('01.40.1937г.'), no header number before a body sentence ('№ 00447 в основном')
# 30: a surname's letter read as two ('Дпробот', 'Олыцанский'), ш read ц ('Ольцанский')
# 31: 'СТАЛИНУ, , МОЛОТОВУ', 'час. .02 мин.', a two-digit year's decade read 2, '25 .марта', a lower-case
# city line ('орёл'), 'На 1: 45786 |', '№ ‹П51/94', 'полянский > |', а read л ('комисслра'), 'ВКП(б’)'
# 32 (review): a doubled 3 in a day only before a Roman month; a body sentence after a header number is
# three words; lower-case 'вх.' only in the header; /в, /П, /Ив only at a number's end; a lower-case city line only
# as the lexicon has it; the early-month warning only where the other timestamp left the month
# 33: ш read с, ж read х in a surname ('Шапосников', 'Ехов'), '/Иш'
# 34: 'час.- 07', '7! |час.', 'цас.', a day's 0 read 09 ('109.\УТТ'), '4:\11', '6.Х..1938', 'МЕМОРАНДУМ:', 'На № 51/94'
# 35: 'Вх. Х 1793/ш', a number's slash read У or и before ш ('1393Уш'), '6`Х.1937', 'тов:', н read д ('внутрендих')
# 36: no figure in 'ВКП (6)', 'жатегории', 'СТАЛИНУ; МОЛОТОВУ, . ЕЖОВУ', '17И/ТТТ', '193/ г.', 'На / П51/94.', 'МЕМОРАНДУМ /№',
# a city leading a date line is the origin too ('БАКУ 15 июня 1938 г.'), a dot after an acronym inside a title ('ЦК. КП(б)')
# 37: thousands after a dot and a space or an underscore ('3. 700', '5_300'), no sentence end after 'по', '1]', 'в`пагеря',
# 'обуждено', 'выявпено', '(6)', 'тт. Сталину, МОЛОТОВ', 'Сталину -и Молотову', '586/щ' alone on its line
# 38 (review): a figure's dot and space never a line break; '(6)' only after the party's acronym; a city leading a
# date line only from the lexicon; н read д only in a title's words; 'уин.', 'Сталину, _Ежову', 'НИКОЛЬСКиЙ' whole, no acronym as NER's sender
# 39: '1 тыб.', '7 ‘Тыс.', 'катёгории', '2:й', '1—й', 'час.|13 мин.', '.05_мин.', 'На Ваш 1296/ш', 'На {№'
# 40: 'Из С_ЕРДЛОВСКА' ('_' for a lost letter), 'первбй', '6 ^тыс.', 'МОЛОТОВУ’, ЕЖОВУ', 'Нарком- внутренних'
# 41: 'ч, -52 м.' (a hyphen before the minutes), 'На.№ 34482.' (a dot after На)
# 42: '19мас.', 'Йз', '193 7 г.', '95.мин.' (0 read 9), № read 'Л.', 'И', '1»' or '}.', 'На’Ваш', 'тов.)', 'ФРИНОВСКСМУ',
# 'КП(б) У', '-Цк.', 'комифсар', '1имит' no figure, 'второ категории', 'пб’ первой', 'Утвер енный', no signatory after 'и'
# 43: 'МЕМОРАНДУМ 3#', '‹2220/ш,', 'Тг.', 'Сталину, - Ежову', '_ № 57/ш' (footer), 'ДЦРОБОТ', 'ббкома', 'закончить: работу',
# 'подлежащих -раеетрелу'
# 44: '23.11' is II beside a Roman II on the same day, '1:2 ч.', '‹2220/ш', 'Ё 1905/ш', 'АШХАБАПЦА' (д read пц), 'ОЛЫШАНСКИЙ',
# 'ПК КП(б)', 'ДПВК', 'расётрелять', 'лервой', no figure in a lone digit after a name ('БЕЛОУСОВ ` 7')
# 45: '2892/01.', 'ЕЖОовВУ' (letters read twice), 'до_28_ апреля', 'ВКН (6)', 'разрещено', 'Осужлено', 'катёеории'
# 46 (review): a dotted '11' is II only beside a Roman II on the same day (no '29.11' made February 29), a glued
# figure dropped only if one digit, no signature cut after a speck letter, a lone digit dropped only after a surname, a
# letter for № only in the header; '4*400', 'к 17 “октября', 'до -21', 'ССР.' and 'ССР : у' ending a title, 'ЦДалькрайкома'
# 47: 'Вх. 62104' (№ lost), 'к_9-февраля', 'втарой', т read г in a surname ('ВАЙНШГЕЙН')
# 48: the minutes' 0 read 6 or 8 too ('час.-64мин.')
# 49: '835/ЦШ.', 'апреля- 1938', '095.07.1937', 'З‘`час.', 'Н51/94', no figure on a line without a word ('Й 7х | .')
# 50: 'З1И\ТТТ — 38 г.', 'З3 марта', 'З30 м.', 'Л. 030лС', 'НИКОЛЬСКИИЙ', '16\536'
# 51: 'Сталину и, Молотову', 'внутренних --Аел'
# 52: '29/X — /38 г.', 'в`О час’', '7-52.', '№179 з/ш', 'неоеледум №', 'по“первый категорий', no sentence end in '14 тыс. Человек'
# 53: 'ЛО/ТТТ-38 г.', a header date line with its time beside it ('РР 2/II — 38 г. 1 час. 01 мин.'), 'УНКВД но Орловской'
# 54: '21] час.', '29/IV > 38 г.', 'Из_Калинина', 'МЕМОРАНДУМ / 3164', 'Первый .секретарь', a dotted '12.11' sent the day
# before a Roman '13.II' received is II
# 55: 'Из ‚ВЛАДИВОСТОКА', '21 |\июля', '1 „ХТ. 1937 г.'
# 56: № read 'Н', '№^1421', '№) 14302', 'П51794', '16/VII —*37 г.', 'З.ТТТ. 38 г.', no addressee that pymorphy3 knows as
# another word ('КОМУ'), in the rules and in the NER fallback
# 57: '42 июля' (a day's 1 read 4 before a month's name), '18/У; - 38 г.', 'Вхг №'
# 58 (review): an addressee dropped only if pymorphy3 reads it as a pronoun, verb or such (not Кириллов, Соколовский);
# no lone header date from an abbreviated received line ('Прин.'), nor one replacing another; a day 40-49 or 70-79 only
# before a month and a year; the decision's slash read 7 only with its П or Н; the minutes' 0 read 9 only; '/сш'
# 59: 'ЗО9/УТТТ' (30, a speck read 9), 'УТТ:..', '9\ июня', '„12“мин.', '59 п.' (м read п), 'час".', a speck read as a dot
# ending a number ('№ 331.47.'), '}, 341/ш', 'Секретарь-ббкома', 'НКВД СССР ФВ’; ЕЖОВУ' (тов. garbled before a known leader)
# 60: a number alone on a header line ('36268\'), '№» 770/ш', 'МЕМОРАНДУ!М', '2 3406/Ш', 'пП51/94', '894/4Щ'; a dotted '11'
# read II when November puts the deadline before the telegram or over 150 days on; a deadline's year from the header's
# year alone when no date reads; 'АБУЛАДЦЗЕ' (-дзе as no surname ends), 'ОЗОлЛС'
# 61: '2-и категории', '‹категории', 'каТ6гории', a straight quote before категории; 'МЕЛАПВИЛИ', 'ТаджССсР', 'З/т1т. 938 г.',
# '23ЗИМТТ', 'МЕМОРАНДУМ \№› 424', '№ _1814/ь', '8—час.', a number under the text with '_' after it, 'ВКП(б.)',
# 'ДЦалькрайкома', 'УНКВПЦ' and 'УНКВЦПЦ' (no signatory: УНКВД with its д read as two letters), '8/хг:-37 г.'
# 62: kind cues 'Утвержненный' and 'Осужцено'; no sentence ends at 'ЦК. ВКП(б)'; '8 зыс.' (т read з); 'по 11 категории' (II
# read 11); 'до 1 |' and the month on the next line (a deadline, no figure)
# 63: '16 Час .*.53. мин.', 'Т9/тт' (a day's first digit read Т), '01.11'.1938', 'п ступипа' (a marker less its first letter
# and one more slip; no one-letter slip in a marker's first letter: not 'управление'), '3640/Ш О |', 'тов,-—Ежову', no
# addressee from the NER model that is a title's word ('Заместителю'); a Roman month before July 1937 on the same day as
# the other timestamp takes its month ('9.III.1937' beside '9.VII.37')
# 64: sent and received more than a day apart take the one reading one day-digit slip (or the other's month) away;
# 'по\nи категории', a dash or page break before категории, 'подлежаших'. Review: a deadline's day 'З' crashed the
# header-year fallback; a marker keeps its one slip past its first letter, or a letter lost ('Пступила'), and the less-
# its-first-letter-and-a-slip branch is gone ('Ереване' read 'передан'); the garbled-тов. addressee rule takes the whole
# list of known leaders only; a bare header number only when no other is found, and 1935x is no year; no year from a
# time's '17-38'; a dotted '11' stays November when received in November a day or less on
# 65: 'Вх. м 52637', 'КП(о)', 'ЦК--КП(б)', -дзе read -цзе; of two day-or-month readings that bring sent and received
# together, one for each, the one whose month is in doubt already (a dotted '11', look-alikes) is taken
# 66: 'На, № 151/94.', 'МЕМОРАНДУМ-№', '31.19.1937г.' (the month's 0 read 9), 'Из-Казани', 'ЗГ г.' (7 read Г), 'июля -1937`',
# digits after a slash as a month in doubt ('2/1 — 38 г.'), 'КП{6)', '(внутренних', 'внутренних пеп', 'ГУРВИЧЬ'
# 67: 'у 2408,' (a bare header number with specks by it), '3 июпя, 1937', '18; час.', '6^час.', 'ИЗЛЕНИНГРАДА', '.Баку |'
# 68: 'П541/94' (the decision with a digit added), 'ЦК, КП(б)', 'ПОЛЯНСКиИЙ .' (a mixed-case signatory with a speck after)
# 69 (review of 64-67): no sent/received reading that puts received before sent by the clock; 'из-под' is no 'Из-Казани';
# a marker's second letter lost only ('Пступила', not 'поступлений'); a city alone with a bar after only ('.Баку |', not
# 'Туркменистана.'); a bare header number with no preposition before it nor a full stop after it; the garbled-тов. rule takes
# the known leaders leading the list; a deadline after November 1938 is flagged
# 70: the garbled-тов. list with a semicolon between its leaders ('ЕЖОВУ; ФРИНОВСКОМУ') is no longer dropped by the
# comma-only check meant for the 'Тт.'-lost rule
FIELDS = ("sent_at", "received_at", "reference_number", "origin", "sender", "sender_position",
          "addressees", "deadline", "in_reply_to")
# Prior reliability of each rule on the rendered samples; multiplied by OCR confidence.
METHOD_PRIOR = {"rule:sent_header": 0.95, "rule:received_header": 0.95, "rule:header_date": 0.8, "rule:same_day": 0.6,
                "rule:number_header": 0.95, "rule:number_footer": 0.8, "rule:in_reply_to": 0.95, "rule:origin_header": 0.95,
                "rule:origin_line": 0.8, "rule:origin_signature": 0.7, "rule:signature": 0.9,
                "rule:signature_position": 0.85, "rule:addressee": 0.9, "rule:deadline": 0.85,
                "rule:quota": 0.85, "ner:sender": 0.6, "ner:origin": 0.6, "ner:addressees": 0.6}
LOW_CONFIDENCE = 0.9  # calibrated: values below were right 86% of the time on the tuning scans


@lru_cache(maxsize=1)
def calibration_bins() -> list:
    """[(upper edge of a raw score bin, share of values correct in it)], measured on OCR'd
    varied scans by `python -m pipeline.bench calibrate --write` (data/calibration.json)."""
    path = DATA / "calibration.json"
    return json.loads(path.read_text(encoding="utf-8"))["bins"] if path.exists() else []


def calibrate(score: float) -> float:
    """Raw score (method prior x OCR confidence of the digits) -> the measured chance that such
    a value is right (histogram binning, made monotone)."""
    for upper, accuracy in calibration_bins():
        if score <= upper:
            return accuracy
    return score


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return json.loads((DATA / "lexicon.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=20000)
def normal_form(word: str) -> str:
    """pymorphy3's first normal form; cached, since every word of every page is looked up to
    find number words and a delivery repeats the same few thousand words."""
    return morph().parse(word)[0].normal_form


# ---------------------------------------------------------------- OCR look-alikes

CAPS_DIGITS = str.maketrans("03", "ОЗ")
PERSON = r"(?:ч|(?-i:Н))[её][лп]ов[её]к"  # 'человек', also with л read п, a speck over е ('чеповек', 'чёловек') or Ч read Н
LETTER_DIGITS = str.maketrans("ОOоЗзбЛТ", "00033611")  # letters read for a digit of an hour or a day (Т: a day's first
# digit, which no 7 is; a lone Т may be 1 or 7 and is not read)


def normalise_ocr(text: str) -> str:
    """Fix Latin look-alikes inside Cyrillic words and letters read for digits inside numbers.
    Same length as the input, so every char offset still points into the OCR text."""
    lex = lexicon()
    to_cyr, to_dig = lex["lookalikes_to_cyrillic"], lex["lookalikes_to_digit"]

    def fix(m: re.Match) -> str:
        tok = m.group(0)
        if re.search(r"[а-яё]", tok, re.I) and re.search(r"[A-Za-z]", tok):
            tok = "".join(to_cyr.get(c, c) for c in tok)
        if re.search(r"\d", tok):  # a letter between digits is a misread digit
            tok = re.sub(r"(?<=\d)[^\d\s.,/](?=\d)", lambda c: to_dig.get(c.group(0), c.group(0)), tok)
        return tok

    text = re.sub(r"\S+", fix, text)
    # a date's first dot read as a colon: "Поступила 02:08.1938г."
    text = re.sub(r"(?<![\d:])(\d{2}):(?=\d{2}\.19\d\d)", r"\g<1>.", text)
    # the last 0 of a thousands group read '%' ("2.40% человек"); same length
    text = re.sub(r"(?<![\d.,])(\d{1,3}[ .]\d\d)%(?=\s+" + PERSON + ")", r"\g<1>0", text)  # not '45,50%' 
    # a capitalised surname with digits for look-alike letters: "0ЗО0ЛС" is ОЗОЛС
    text = re.sub(r"(?<![\w\d])(?=[А-ЯЁ03]*[А-ЯЁ]{2})(?=[А-ЯЁ]*[03])[А-ЯЁ03]{4,}(?![\w\d])",
                  lambda m: m[0].translate(CAPS_DIGITS), text)
    # the same alone on its line, in mixed case ('030лС' is ОЗОлС), initials before it ('Л. 030лС')
    text = re.sub(r"(?m)^((?:[А-ЯЁ]\.\s*){0,2})((?=[А-ЯЁа-яё03]*[А-ЯЁа-яё]{2})(?=[А-ЯЁа-яё]*[03])(?![А-ЯЁа-яё03]*[а-яё]{3})[А-ЯЁа-яё03]{4,})$",
                  lambda m: m[1] + m[2].translate(CAPS_DIGITS), text)
    # "О час." for "0 час.", "Зч. 00 м." for "3 ч.", "б ч. 23 м." for "6 ч."
    text = re.sub(r"(?<![\wА-Яа-я])[ОOоЗзб](?=[‘’'`]*\s*ч(?:ас)?[.’'‘`])", lambda m: m[0].translate(LETTER_DIGITS), text)  # 'в З‘`час.', 'в`О час’'
    # an hour's faint 0 read '©' ('Поступила © ч. 43 м.')
    text = re.sub(r"(?<![\w\d])©(?=\s*-?\s*ч(?:ас)?\.)", "0", text)
    # an hour's 0 read 6, 8 or 9 ('в 65 час. 1 мин.' for 05): no hour runs past 23; minutes after
    # it tell a time from a duration ('в течение 96 час.')
    text = re.sub(r"(?<![\d.,:])[689](?=\d\s*[.‘’'`]{0,2}\s*ч(?:ас)?[.,]\s*\d{1,2}\s*м)", "0", text)
    text = re.sub(r"(ч(?:ас)?[.,]-?\s*)9(?=\d\s*[.‘’'`]?\s*м(?:ин)?\.)", r"\g<1>0", text)  # and the minutes' 0 read 9 ('9 час. 95.мин.'; 6 or 8 may be a 5 or 3)
    # a day's 3 or 0 read as a letter before its date's separator: "З0/ТТТ — 38 г." is 30/III
    text = re.sub(r"(?<![\wА-Яа-я\d])[ЗО](?=\d\s*(?:[./]|И\\))", lambda m: m[0].translate(LETTER_DIGITS), text)  # 'З1И\ТТТ': its slash read И
    text = re.sub(r"(?<![\wА-Яа-я\d])б(?=/)", "6", text)  # a lone day 6 read б: 'б/\ТТ-37 г.'
    # a lone 3 read З before 'тыс.': "З тыс. человек"
    text = re.sub(r"(?<![\wА-Яа-я\d.,])З(?=\s*тыс)", "3", text)
    # a speck read as a quote after a word ("Первый` секретарь"): a space
    # (not after 'тов', where it stands for the dot: 'тов’ ЕЖОВУ')
    text = re.sub(r"(?<=[А-Яа-яЁё])(?<!(?i:тов))(?<!(?i:тт))[‘’'`](?=\s)", " ", text)
    # a day before a month's name: "З марта" for "3 марта", "1З мая"
    return re.sub(r"(?<![\wА-Яа-я])[\dЗО]{1,2}(?=\s+(?:" + _months_re() + r")\b)",
                  lambda m: m[0].translate(LETTER_DIGITS), text)


# ---------------------------------------------------------------- dates and times

def _months_re() -> str:
    return "|".join(sorted((stem + r"\w*" for stem in lexicon()["months"]), key=len, reverse=True))


ROMAN = r"(?:[IVXІѴХ]{1,4})"
NUMERO = r"№№?|#|N[oо°]?"  # the number sign, and what OCR made of it
NUMERO_MARK = r"[‘’'`\".,:\\\-–—‹›^)»_]{0,2}"  # stray marks OCR puts after it: "№'2574", "№..847", "№ -825/ш", "№:", "№^1421", "№) 14302", "№» 770/ш", "№ _1814/ш"
PARTY = r"(?:в?кп|вп|вк[лн])"  # the party's acronym before its (б), as OCR reads it ('ВКП', 'КП', 'вп', 'вкл', 'ВКН')
FROM = r"[ИиЙй]з"  # the header's 'Из' before the origin, И also read Й ('Йз Ашхабада')
# "тов." / "тт." before an addressee; 'тоз.' (в read з), 'тов’.' (a speck before the dot), 'тов:', 'Тг.'
COMRADE = r"(?:(?:то[вз]|тт|т\.\s*т|Т[тг]|Тов|ТОВ)[‘’'`]?[.:]|(?<![А-ЯЁа-яё])тов,(?=\W{0,2}\s*[А-ЯЁ]))"  # 'тов,-—Ежову'
YEARS = (1936, 1939)  # the collection's years: a date outside is flagged
# The limit telegrams answer the Politburo's decision of 2 July 1937: a Roman month earlier in 1937
# is a misread, and the usual one is mended: II is XI with its X read I, VI is VII with an I lost
FIRST_MONTH = (1937, 7)
LAST_MONTH = (1938, 11)  # and the Politburo ended the troikas on 17 November 1938: no deadline asked for falls later
# a header date's year alone, its day and month unreadable: 'ЗЛИТТТ - 38 г.', '27-38. г.', '30.%111.1938 г.'
YEAR_ONLY_RE = re.compile(r"(?<!\d)(?:19)?3([78])\.?\s*г(?:ода|\.|\b)|(?<![\d\s])\s*[—–-]\s*(?:19)?3([78])(?!\d)")  # not a time's '17-38'
ROMAN_BEFORE_FIRST = {2: 11, 6: 7}
YEAR_LOOKALIKES = {"3": "8", "0": "8", "5": "6", "1": "7"}  # last digit read -> what it may be
YEAR_TENS_LOOKALIKES = {"5": "3", "8": "3", "2": "3"}  # the decade's 3 read 5, 8 or 2 ('23/VII -— 57 г.', '28 г.')
ONE_LIKE = "47"  # digits a typed 1 was read as, in two-digit months ('40' for 10)
ZERO_LIKE = "689"  # digits a faint typed 0 was read as, in two-digit months (no month 60-99)
# "14 час. 26 мин.", also with the dot read as a comma or typed after the hour ("23. час."), a speck
# between hour and час ("9*`час.", "4 ‚час.", "14°ч.")
# a hyphen or comma there too ('в 7-час. 51 мин.', '10, -час. 27 мин.'), if minutes follow; a colon inside the hour ('1:2 ч.')
CHAS = r"(?:ч|ц(?=[аэ][се])|м(?=ас[.,]\s*\d{1,2}\s*мин))(?:[аэ][се])?"  # 'ч.', 'час.', also with а read э or с read е ('чае.'), ч read ц ('цас.'), or м before the minutes ('19мас. 07 мин.')
TIME_RE = re.compile(r"(?<!\d)(?P<h>[0-2]?\d|[0-2]:\d(?=\s*ч))\s*(?:(?:[.:;^‘’‚'`/*°!|\]]\s*){0,2}|[.,‘’'`\-–—\s]{1,4}(?=" + CHAS + r"[.,:‘’'`]{1,3}\s*[‘’'`]?\d{1,2}\s*м))\s*" + CHAS + r"[.,:‘’'`»\"\-|]{0,3}\s*[‘’'`_.\-„\"*]{0,3}"  # "час.’ 18 мин.", "час. `14 мин.", "ч. _06.м.", "чае." (с read е)
                     r"(?:(?:[\dЗ](?=[0-5]\d\s*м))?(?P<mi>[0-5]?\d|[0-5]\.\d)\s*(?:[^\w\s]|_)?\s*(?:м(?:ин)?|уин|п(?=\.))\.?)?"  # 'уин.', '59 п.': м read у or п
                     r"|(?<![\d./])(?P<h2>[0-2]?\d)[-–](?P<mi2>[0-5]\d)(?![\d/]|\.\d)", re.I)  # "17-49", "7-52."
# Letters OCR made of a Roman month's I, V and X ('ХТ' for XI, 'т1Т' for III), when the OCR
# stage's re-read from the glyphs did not mend them: read through this table, and flagged.
ROMAN_LOOKS = "1lТтTГгі|ЛУуvМХхx"
ROMAN_LOOKALIKE = str.maketrans(ROMAN_LOOKS, "IIIIIIIIIIVVVVXXX")
SLASH_SPECK = "[ЗАИ]"  # a speck before a date's slash, as OCR reads it ('23З/ТТТ', '14А/ТХ', '17И/ТТТ')
LOOKALIKE_MONTH = r"(?P<ml>(?=[IVXХ1]*[lТтTГгі|ЛУуvМхx]|1Х|(?<=\\)1)[IVXІѴХ1lТтTГгі|ЛУуvМхx]{1,4})"  # a letter among them: '4.114' is a figure
# a speck before the slash may be read З or А ('23З/ТТТ — 38 г.', '14А/ТХ — 37 г.'); after one
# digit, З is the day's 3 ('1З/УТТТ' for 13/VIII); a quote after the year's dash ('30/XI —`37 г.'); a
# year's 7 read Т, or its 3 З, before 'г.' ('25.Хт.3Т г.', '26/VIII -— З7 г.'); the slash read И before
# a month of look-alikes and a dash, after a day of digits or a lone З ('11ИМТТ — 37 г.', 'ЗИЛХ -— 37 г.')
# a comma or a backquote for the dot before a clean Roman month ('6`Х.1937 г.')
DATE_NUM_RE = re.compile(
    r"(?:(?<![\d.])|(?<=\s\.)|(?<=^\.))(?P<d>[0-3]?\d|9\d|(?<![А-ЯЁа-яё])З(?=И|[./][IVXХТт])|(?<![А-ЯЁа-яё])Л[\dОо](?=[./])|(?<![А-ЯЁа-яё])Т\d(?=/)|(?<![А-ЯЁа-яё])[зЗ][оО](?=/)|[0-3][З3]3(?=[./]\s*\\?[IVXІѴХlТтTГгі|ЛУуvМхx])|(?:[123][0©]9|09\d|(?<![А-ЯЁа-яё])[зЗ][оО]9(?=/))(?=[./]))\s*(?P<sp>" + SLASH_SPECK + r"(?=/|И))?(?:(?:[./]\s*){1,2}|:(?=\\)|[,`„]\s*(?=[IVXХ])|,(?=\d\d\.19\d\d)|(?<=[\dЗ])И(?=\\?[IVXХ1lТтTГгі|ЛУуvМхx]{1,4}\s*[—–=-]))(?:(?P<bs>\\/?)(?![УуМvV])|\\)?(?:(?P<mr>" + ROMAN + r")\s*[./,;]{0,2}|(?<!\\)(?P<ma>111(?=\s*[—–=-])|\d?\d)\s*(?:[‘’'`]?(?:[./,:]\s*){1,2}|[—–=-]+\s*(?=\d\d\s*г))"
    r"|" + LOOKALIKE_MONTH + r"\s*(?:[./,;]{0,2}|:\.\.|:(?=[—–-])))"
    r"\s*(?:[_‘’'`]?(?:[—–=>-]+\.?\s*){1,2}[‘’'`|/*]?\s*)?(?P<y>19\d\d|1\.9\d\d|193\s[6-9](?=\s*г)|1933[78](?=\s*г)|\d\d|[3З][Т7Г](?=\s*г)|3[31]{1,2}[78](?=\s*г)|(?<=\s)93[78](?=\s*г))(?:(?!\d)|1(?=\s*г\.))\s*(?:г(?:ода|\.)?)?")  # '371 г.': a speck after the year


@lru_cache(maxsize=1)
def date_word_re():
    # any word may be a month with a letter misread ('июпя'): _month_word decides; a speck before it ('21 |\июля')
    return re.compile(r"(?<!\d)(?P<d>[0-3]?\d|[47]\d(?=[.:,°]?\s+\S+\s+19\d\d))(?:[.:,°]?\s+(?:[‘’'`.]|\|?\\|\|\s+)?|-|[‘’'`]\s*|\\\s+)(?P<mon>" + _months_re() + r"|[а-яё]{4,8}\b)(?:(?:[.,]?\s+[‹«‘’'`]?|\s*-\s*)(?P<y>19\d\d|193/(?=\s*г)))?"
                      r"(?:\s*(?:г(?:ода|\.)?))?", re.I)


def _roman(s: str) -> int | None:
    s = s.replace("І", "I").replace("Ѵ", "V").replace("Х", "X")
    return lexicon()["roman_months"].get(s)


def _month_word(word: str) -> int | None:
    """A month from its name in any case; one OCR slip allowed in a long name ('апрепя')."""
    w = word.lower().rstrip(".,;:")
    for stem, n in sorted(lexicon()["months"].items(), key=lambda kv: -len(kv[0])):
        if w.startswith(stem) and (stem != "ма" or w[:3] in ("мая", "май")):
            return n
    if len(w) >= 4:
        near = [(name, n) for name, n in lexicon()["month_genitives"].items() if len(name) == len(w) and one_edit(name, w)]
        if len(near) > 1:  # 'июпя': июня or июля? the typewriter's usual slip (л read п) decides
            near = [(name, n) for name, n in near if usual_slip(name, w)]
        if len(near) == 1:
            return near[0][1]
    return None


def _year(y: str | None) -> int | None:
    if not y:
        return None
    y = re.sub(r"[.\s]", "", y.replace("Т", "7").replace("Г", "7").replace("/", "7").replace("З", "3"))  # '3Т г.', 'ЗГ г.', 'З7 г.', '193/ г.': 7 read Т, Г or /, 3 read З; '1.938 г.', '193 7 г.': a speck or a space
    if len(y) > 2 and y[:2] in ("33", "31"):  # '5.VII.337 г.', '24/X — 317 г.': a 3 read twice, a speck
        y = y[0] + y[-1]
    elif len(y) == 3 and y.startswith("93"):  # 'З/т1т. 938 г.': the 1 lost
        y = "1" + y
    elif len(y) == 5:  # '19338 г.'
        y = y.replace("33", "3", 1)
    y = int(y)
    return y + 1900 if y < 100 else y


def plausible_year(year: int | None, short: bool = False) -> tuple[int | None, bool]:
    """A year outside the collection whose last digit is a usual misread of one inside it
    ('1933' for 1938), or (`short`, typed in two digits) its decade's ('57 г.'): the year
    inside, and True (the date is then flagged). A four-digit 1957 may be a later archive's note."""
    lo, hi = YEARS
    if year is None or lo <= year <= hi:
        return year, False
    units = [year - year % 10 + int(d) for d in YEAR_LOOKALIKES.get(str(year)[-1], "")]
    tens = [year - year % 100 + 10 * int(d) + year % 10 for d in YEAR_TENS_LOOKALIKES.get(str(year)[-2], "")] if short else []
    return next(((fixed, True) for fixed in units + tens if lo <= fixed <= hi), (year, False))


def find_dates(line: str) -> list[dict]:
    """Dates in a line: start, end, year (or None), month, day; `repaired` when a digit that
    made the date impossible or out of the collection's years was read as its look-alike."""
    out = []
    for m in DATE_NUM_RE.finditer(line):
        alt = None
        roman = m["mr"] or (m["ml"] or "").translate(ROMAN_LOOKALIKE)  # a Roman month, look-alikes read through
        month, repaired = _roman(roman) if roman else int(m["ma"]), bool(m["ml"])
        if m["bs"] and roman:
            # '\' is a V's left stroke, its right one lost or read '/': 'б/\ТТ' is 6/VII, '28.\ТТТ' 28/VIII
            month, repaired = _roman("V" + roman) or month, True
        # 'ЗИМТТ — 37 г.': 3/VII, its slash read И; 'Л7/ТТТ': the day's 1 read Л; '2З3/ТТТ': its 3 read twice
        d = re.sub(r"^(\d)[З3]3$", r"\g<1>3", m["d"])  # '2З3/ТТТ': 23
        d = re.sub(r"^([123зЗ])[0©оО]9$", r"\g<1>0", d)  # '109.\УТТ', 'ЗО9/УТТТ': the 0 read 09, as in figures
        d = re.sub(r"^09(\d)$", r"0\1", d)  # '095.07.1937г.': a speck read 9 inside the day
        day = int(d.translate(LETTER_DIGITS))  # 'зо/хтт': 30/XII
        repaired = repaired or not m["d"].isdigit() or len(m["d"]) > 2
        if m["sp"] == "З" and len(m["d"]) == 1 and m["d"] in "012":
            day = int(m["d"] + "3")  # '1З/УТТТ' is 13/VIII: after one digit, З is the day's 3
        if m["ma"] == "11" and "/" in line[m.end("d"):m.start("ma")] and day <= 28:
            # "27/11 - 38 г.": the slash style takes a Roman month ("16/IX — 34 г."), and II typed
            # is read 11; November stays possible (`alt`): the other timestamp decides
            month, alt, repaired = 2, 11, True
        if m["ma"] == "111" and "/" in line[m.end("d"):m.start("ma")]:
            month, repaired = 3, True  # "14/ 111-38 г.": III read as ones, as II is above
        if m["ma"] and month > 12 and m["ma"][0] in ZERO_LIKE and m["ma"][1] != "0":
            month, repaired = int(m["ma"][1]), True  # "29.68.1937": no 13th month; a typed 0 read as 6
        elif m["ma"] and month > 12 and m["ma"][0] in ONE_LIKE and m["ma"][1] in "012":
            month, repaired = 10 + int(m["ma"][1]), True  # "01.40.1937г.": a typed 1 read as 4
        elif m["ma"] == "19":
            month, repaired = 10, True  # "31.19.1937г.": the 0 read 9, the commonest slip
        if day > 31 and len(m["d"]) == 2 and m["d"][1] in ZERO_LIKE and m["d"][0] in "123":
            day, repaired = int(m["d"][0]) * 10, True  # "39.09.1937": no 39th day
        elif day > 31 and len(m["d"]) == 2 and m["d"][0] in ZERO_LIKE + "3":
            day, repaired = int(m["d"][1]), True  # "99:04.1938", "33.VII.38 г.": the day's leading 0 read 9 or 3
        year, fixed = plausible_year(_year(m["y"]), short=len(m["y"]) == 2)
        early = bool(roman) and year == FIRST_MONTH[0] and month in ROMAN_BEFORE_FIRST  # all before July
        if early:
            month = ROMAN_BEFORE_FIRST[month]
        if month and 1 <= month <= 12 and 1 <= day <= 31:
            out.append({"start": m.start(), "end": m.end(), "year": year, "month": month, "day": day,
                        "repaired": repaired or fixed or bool(early), "lookalike": bool(m["ml"]), "alt_month": alt,
                        "dotted_11": m["ma"] == "11" and alt is None and day <= 28,  # II read 11 in another style
                        "slash_digits": bool(m["ma"]) and "/" in line[m.end("d"):m.start("ma")],  # '2/1 — 38 г.': the slash style's Roman month read as digits
                        "roman": bool(roman), "early": bool(early)})
    for m in date_word_re().finditer(line):
        month, day = _month_word(m["mon"]), int(m["d"])
        lead = day > 31 and m["d"][0] == "3"  # 'З3 марта' (З read 3): a speck before the day
        one = day > 31 and m["d"][0] in ONE_LIKE  # '42 июля': its 1 read 4
        day = int(m["d"][1]) if lead else 10 + int(m["d"][1]) if one else day
        if month and 1 <= day <= 31 and not any(o["start"] <= m.start() < o["end"] for o in out):
            year, fixed = plausible_year(_year(m["y"]))
            out.append({"start": m.start(), "end": m.end(), "year": year, "month": month, "day": day,
                        "repaired": fixed or lead or one, "lookalike": False, "alt_month": None, "roman": False})
    return sorted(out, key=lambda d: d["start"])


def find_times(line: str, dates: list[dict]) -> list[dict]:
    out = []
    for m in TIME_RE.finditer(line):
        if any(d["start"] <= m.start() < d["end"] for d in dates):
            continue
        h, mi = (int(m["h"].replace(":", "")), int((m["mi"] or "0").replace(".", ""))) if m["h"] else (int(m["h2"]), int(m["mi2"]))
        if h <= 24 and mi < 60:
            out.append({"start": m.start(), "end": m.end(), "hour": h % 24, "minute": mi})
    return out


def with_time(line: str, d: dict, dates: list[dict]) -> tuple[str | None, int, int]:
    """A date and the time nearest it on its line: the ISO value, and its start and end in the line."""
    times = find_times(line, dates)
    t = min(times, key=lambda t: abs(t["start"] - d["start"])) if times else None
    return _iso(d, t), min(d["start"], t["start"] if t else d["start"]), max(d["end"], t["end"] if t else d["end"])


def _iso(d: dict, t: dict | None) -> str | None:
    if not d.get("year"):
        return None
    try:
        date(d["year"], d["month"], d["day"])
    except ValueError:
        return None
    s = f"{d['year']:04d}-{d['month']:02d}-{d['day']:02d}"
    return f"{s}T{t['hour']:02d}:{t['minute']:02d}" if t else s


# ---------------------------------------------------------------- helpers

def lines_of(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in re.split(r"[\n\f]", text):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def has_any(s: str, stems) -> bool:
    s = s.lower().replace("ё", "е")  # a speck over an е reads as ё: 'чёловек'
    return any(st in s for st in stems)


def title_case(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def surname_nominative(word: str) -> str:
    """'СТАЛИНУ' -> 'Сталин': pymorphy3's surname reading when it has one, else strip the dative."""
    w = word.lower()
    for p in morph().parse(w):
        if "Surn" in p.tag and "datv" in p.tag:
            return title_case(p.normal_form)
    w = re.sub(r"(ов|ев|ёв|ин|ын)у$", r"\1", w)
    w = re.sub(r"ск(?:о[а-яё]|[а-яё]м)у$", "ский", w)  # also with one letter off: 'ФРИНОВСКСМУ'
    return title_case(w)


def surname_as_read(word: str) -> str:
    """A signature's surname: 'ТЕР -ГАБРИЕЛЯН' and 'ТЕР ГАБРИЕЛЯН' are one name; no surname ends in -кии, so
    'ЗАСЛАВСКИИ' is й read as и."""
    prefixes = "|".join(lexicon()["surname_prefixes"])
    word = re.sub(r"^(" + prefixes + r")\s+(?=[А-ЯЁ])", r"\1-", word)  # the hyphen lost: 'ТЕР ГАБРИЕЛЯН'
    word = re.sub(r"[\s\"‘’'`]", "", word)
    word = case_doubles_dropped(word)
    # 'МЕЛАЩВИЛИ', 'АБУЛАДЦЗЕ': no surname ends so; the longest such ending only
    wrong = next((w for w in sorted(lexicon()["surname_ending_slips"], key=len, reverse=True) if word.upper().endswith(w.upper())), None)
    if wrong:
        word = word[:-len(wrong)] + lexicon()["surname_ending_slips"][wrong].upper()
    return title_case(re.sub(r"(?<=[СЦ]К)И[ИЙ]+$", "ИЙ", word))  # 'НИКОЛЬСКИИЙ': и read twice


def case_doubles_dropped(word: str) -> str:
    """In a word of capitals, a letter read twice, once in lower case: 'ОЗОлЛС', 'ТаджССсР'."""
    if sum(c.isupper() for c in word) < 3:
        return word
    word = re.sub(r"[а-яё](?=([А-ЯЁ]))", lambda m: "" if m[0].upper() == m[1] else m[0], word)
    return re.sub(r"(?<=([А-ЯЁ]))[а-яё]", lambda m: "" if m[0].upper() == m[1] else m[0], word)


def looks_like_surname(word: str) -> bool:
    """pymorphy3 reads the word as a surname, or does not know it at all: 'БЕЛОУСОВ', not 'КАТЕГОРИИ'."""
    w = word.lower()
    return not morph().word_is_known(w) or any("Surn" in p.tag for p in morph().parse(w))


def function_word(word: str) -> bool:
    """pymorphy3's first reading of the word is a pronoun, preposition, conjunction, particle,
    adverb, verb or predicative ('КОМУ', 'ВВИДУ', 'ПРОШУ'): no surname. Not a noun or an adjective,
    which many surnames also are (Грач, Кириллов, Соколовский)."""
    p = morph().parse(word.lower())[0]
    return p.tag.POS in {"NPRO", "PREP", "CONJ", "PRCL", "ADVB", "VERB", "INFN", "PRED"} or "Apro" in p.tag


def known_surname(word: str, *also: str) -> bool:
    """pymorphy3 knows the word as a surname in the nominative (and with the grammemes `also`)."""
    return any(p.is_known and {"Surn", "nomn", *also} <= set(p.tag.grammemes) for p in morph().parse(word.lower()))


def mend_surname(word: str) -> str:
    """A surname pymorphy3 does not know, with one usual slip undone (or one letter read as two,
    lexicon `letter_splits`: 'Дпробот'), when exactly one reading is a surname it knows in the
    nominative ('Купрявцев' -> 'Кудрявцев', 'Щапошников'). A
    surname it does not know and no slip explains ('Мелашвили', 'Озолс') stays as read."""
    w = word.lower()
    if len(w) < 4 or morph().word_is_known(w):
        return word
    found = {v for v in misread_variants(w) if known_surname(v, "sing")}
    return title_case(found.pop()) if len(found) == 1 else word


def mend_name(name: str) -> str:
    """A signature's surname with its slips undone: each part through `mend_surname`, and a
    double surname's first part one letter off exactly one of the lexicon's `surname_prefixes`
    ('Ага-Мурадов' -> 'Ата-Мурадов')."""
    parts = name.split("-")
    prefixes = [title_case(p) for p in lexicon()["surname_prefixes"]]
    near = [p for p in prefixes if len(p) == len(parts[0]) and one_edit(p.lower(), parts[0].lower())]
    if len(parts) == 2 and parts[0] not in prefixes and len(near) == 1:
        parts[0] = near[0]
    return "-".join(mend_surname(p) for p in parts)


def known_name(name: str, *also: str) -> str:
    """Snap an OCR-damaged surname to a known addressee one edit away ('Сфалин' -> 'Сталин'),
    trying each of `also` (other readings of the same word) when `name` is none."""
    for n in (name, *also, re.sub(r"(?i)(\w)\1+", r"\1", name)):  # a letter read twice: 'ЕЖОовВУ'
        for k in lexicon()["known_addressees"]:
            if one_edit(k.lower(), n.lower()):
                return k
    return name


def near_acronym(word: str, shortest: int = 4) -> str | None:
    """The acronym an OCR reading is one letter off ('УНКВЦ' -> 'УНКВД'), also after a letter read
    as two is put back ('УНКВПЦ', 'УНКВЦПЦ'); long ones only."""
    readings = {word.upper()} | {v.upper() for v in split_variants(word.lower())}
    for a in lexicon()["acronyms"]:
        if len(a) >= shortest and a.isalpha() and any(one_edit(a, w) for w in readings):
            return a
    return None


def days_between(first: str, then: str) -> int:
    """Days from the ISO date (or date and time) `first` to `then`."""
    return (date.fromisoformat(then[:10]) - date.fromisoformat(first[:10])).days


def with_month(value: str, month: str) -> str:
    """The ISO date (or date and time) `value` with its month ('02') replaced."""
    return value[:5] + month + value[7:]


def sent_then_received(key: str, value: str, other: str) -> tuple[str, str]:
    """`value` (of timestamp `key`) and the other timestamp's `other`, sent first."""
    return (value, other) if key == "sent_at" else (other, value)


def addressed_leader(dative: str) -> bool:
    """A capital word in the dative is a leader telegrams were addressed to ('ЕЖОВУ', 'Ежобву')."""
    return known_name(surname_nominative(dative), dative[:-1]) in lexicon()["known_addressees"]


def received_abbreviation(low: str) -> bool:
    """A line opening with a received marker cut short ('прин. 5.XI.1937 г.', 'пост.'): not a lone date."""
    first = re.match(r"\W*([а-яё]{3,})\.", low)
    return bool(first) and any(m.startswith(first[1]) for m in lexicon()["received_markers"])


def one_edit(a: str, b: str) -> bool:
    """At most one letter changed, added or dropped ('Сфалин', 'Ехжов')."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def usual_slip(true: str, read: str) -> bool:
    """The one letter that differs is one of the typewriter face's usual misreads."""
    slips = lexicon()["letter_slips"]
    return any(t != r and r in slips.get(t, "") for t, r in zip(true, read))


@lru_cache(maxsize=1)
def title_vocabulary() -> frozenset:
    """The words of the position titles ('начальник', 'народный', 'комиссар', ...)."""
    return frozenset(re.findall(r"[а-яё]+", " ".join(lexicon()["position_titles"])))


def mend_word(word: str, first: bool = False) -> str:
    """A lower-case word pymorphy3 does not know (nor the lexicon's `title_words`), with one
    usual slip undone, when that gives exactly one word it knows ('обпасти' -> 'области',
    'деп' -> 'дел', 'цалькрайкома' -> 'далькрайкома'); in a long word two slips ('вопогоцской');
    or a title's word less its first letter ('ачальник'), which a title's `first` word may be
    even where pymorphy3 knows it ('арком')."""
    if first and (whole := lost_initial(word)):
        return whole
    known = set(lexicon()["title_words"])
    if len(word) < 3 or morph().word_is_known(word) or word in known:
        return word
    variants = slip_variants(word) | slip_variants(word, lexicon()["title_letter_slips"])
    found = {v for v in variants if morph().word_is_known(v) or v in known}
    if not found and len(word) >= 8:  # a long word may have two ('вопогоцской')
        found = {w for v in slip_variants(word) for w in slip_variants(v) if morph().word_is_known(w) or w in known}
    if not found and len(word) >= 6:  # a title's word whose first letter OCR lost: 'ачальник'
        return lost_initial(word) or word
    return found.pop() if len(found) == 1 else word


def lost_initial(word: str) -> str | None:
    """The title word a title line's first word is less its first letter, also where the rest
    is a word of its own ('арком' for нарком: pymorphy3 knows 'арком')."""
    found = {t for t in title_vocabulary() if len(word) >= 5 and t[1:] == word.lower()}
    return found.pop() if len(found) == 1 else None


def complete_place(word: str) -> str:
    """A place noun whose last letter OCR lost at the line's end ('Киргизи' -> 'Киргизии'):
    the one letter that makes it a place pymorphy3 knows in the genitive, as titles have it."""
    if morph().word_is_known(word):
        return word
    found = {word + c for c in "аиыя" if morph().word_is_known(word + c)
             and any({"Geox", "gent"} <= set(p.tag.grammemes) for p in morph().parse(word + c))}
    return found.pop() if len(found) == 1 else word


def misread_variants(word: str) -> set:
    """The word with one usual slip undone, or one letter read as two put back."""
    return slip_variants(word) | split_variants(word)


def split_variants(word: str) -> set:
    """The word with one letter OCR read as two put back (lexicon `letter_splits`: 'дп' -> 'д')."""
    return {word.replace(read, true, 1) for read, true in lexicon()["letter_splits"].items() if read in word}


def slip_variants(word: str, slips: dict | None = None) -> set:
    """The word with one of the typeface's usual slips (lexicon `letter_slips`, or `slips`) undone."""
    slips = slips or lexicon()["letter_slips"]
    return {word[:i] + true + word[i + 1:] for i, ch in enumerate(word) for true, read in slips.items() if ch in read}


@lru_cache(maxsize=1)
def not_surnames() -> frozenset:
    """Capital words of a signature that are no surname, in upper case: the lexicon's
    `not_surnames` and `acronyms`."""
    lex = lexicon()
    return frozenset(w.upper() for w in (*lex["not_surnames"], *lex["acronyms"]))


@lru_cache(maxsize=1)
def city_names() -> dict:
    """The lexicon's cities in the nominative, by their lower case."""
    return {c.lower(): c for c in lexicon()["cities"].values()}


def lexicon_city(word: str) -> str | None:
    """The lexicon's city for a lower-case word: its genitive ('горького') or, as a header may
    have it, its nominative ('горький')."""
    return lexicon()["cities"].get(word) or city_names().get(word)


def city_nominative(word: str, fuzzy: bool = False) -> str | None:
    """'ГОРЬКОГО' -> 'Горький' from the lexicon or pymorphy3; with `fuzzy`, also a lexicon
    city one letter off ('Орпа', 'СТАЛИНАБАЛА': л/п, д/л are the typewriter's usual misreads)."""
    w = word.lower().strip(".,:;")
    lex = lexicon()
    if (city := lexicon_city(w)):
        return city
    for p in morph().parse(w) if morph().word_is_known(w) else ():  # not a guess ('ленинграца')
        if "Geox" in p.tag:
            return title_case(p.normal_form)
    if len(near := {c for v in misread_variants(w) if (c := lexicon_city(v))}) == 1:
        return near.pop()  # one usual slip undone: 'Капинин', 'Сталинабац', or a letter read as two: 'АШХАБАПЦА'
    if fuzzy and len(w) >= 4:
        forms = [*lex["cities"].items(), *city_names().items()]  # genitives and nominatives
        near = {city for form, city in forms if len(form) >= 4 and one_edit(form, w)}
        if len(near) == 1:
            return near.pop()
    return None


def without_specks(line: str) -> str:
    """A signature line less the specks OCR put after it: 'ССР. . .', 'ССР .', 'ССР | .', 'ССР : у'."""
    return re.sub(r"[.,:;'`|]?(?:\s+(?:[.,:;'`|]|[а-яё](?=\W*$)))+\s*$", "", line)


def title_lead(line: str) -> int:
    """Length of what stands before a title's first word: specks, and a lone lower-case letter
    OCR made of one ('и Секретарь обкома')."""
    return re.match(r"[\W_]*(?:[а-яё]\s+(?=[А-ЯЁ]))?[\W_]*", line).end()


def has_marker(low: str, stems) -> bool:
    """A header marker ('поступил', 'отправлен') in a line, also with one letter misread
    ('Поступипа') or lost ('Пступила'), or its first letters lost ('правлена'): a word whose
    start is the stem with one letter changed past its first or its second letter lost, or the
    stem less its first letter (not 'направлены', 'управление', 'Ереване', 'поступлений')."""
    if has_any(low, stems):
        return True
    words = re.findall(r"\w+", low.replace("ё", "е"))  # a speck over е: 'Отправиёна'
    return any(len(st) >= 7 and len(w) >= len(st) - 1 and (w.startswith(st[1:]) or w[:1] == st[:1] and (
        one_edit(st, w[:len(st)]) or w[1:len(st) - 1] == st[2:]))  # 'Поступипа'; 'Пступила', 'оправлена': the second letter lost
               for st in stems for w in words)


def zeros_that_add_up(total: dict, parts: list[dict]) -> tuple[dict, int] | None:
    """A total and its category figures that do not add up, made to by reading some 9s of one
    figure as 0s (the OCR stage's usual misread of a faint typed 0: '19.900' for 10.000; of
    ZERO_LIKE's other digits, 6 and 8, rarely, and trying them too would make more readings fit);
    only when exactly one such reading exists. Mends that quota; returns it and its old count."""
    figs = [total, *parts]
    found = []
    for q in figs:
        readings = {int("".join(r)) for r in product(*[("9", "0") if c == "9" else (c,) for c in str(q["value"]["count"])])}
        for value in readings - {q["value"]["count"]}:
            counts = [value if f is q else f["value"]["count"] for f in figs]
            if sum(counts[1:]) == counts[0]:
                found.append((q, value))
    if len(found) != 1:
        return None
    q, value = found[0]
    was, q["value"]["count"] = q["value"]["count"], value
    return q, was


# ---------------------------------------------------------------- the rules

class Extractor:
    """One document's text and words; builds FIELD dicts with spans, boxes and confidence."""

    def __init__(self, text: str, words: list[dict] | None = None, ents: list[dict] | None = None):
        self.raw_text = text
        self.ents = ents or []
        self.text = normalise_ocr(text)
        self.words = words or []
        self.lines = lines_of(self.text)
        self.warnings: list[str] = []
        # The header: lines before the body's first paragraph (two wide lines running on).
        header_like = re.compile(r"(?i)отправ[лп]ен|поступи[лп]|^.{0,15}№|^\s*" + FROM + r"\s|\b" + COMRADE + r"|час\.\W*\d+\W*мин")
        # "№ 00447" mid-line is body; a time ("час. -01. мин.") is the header's whatever its marker
        wide = [len(l) > 38 and not header_like.search(l) for _, l in self.lines]
        # failing that, a wide line past the first few that is no signatory's title; failing that
        # (a one-line body), the line after the last header-like one
        after_header = 1 + max((i for i, (_, l) in enumerate(self.lines) if header_like.search(l)), default=-1)
        self.body_start = next((i for i in range(len(wide) - 1) if wide[i] and wide[i + 1]),
                               next((i for i, w in enumerate(wide) if w and i > 3
                                     and not self.is_title(self.lines[i][1])), after_header))
        # Sentence starts: after . ! ? followed by a capital (past a stray mark: ".\n>В связи"),
        # or at a blank line.
        # A page break is not one: a sentence may run on to the next page.
        # A comma OCR made of a full stop ends one too, before a word that opens these telegrams'
        # sentences ('исчерпан, Всего с начала операции ...').
        openers = "|".join(lexicon()["sentence_openers"])
        # no sentence ends after the preposition 'по' ('1500 человек по. ТТ категории': a speck), nor
        # between 'тыс.' and the people it counts ('14 тыс. Человек, из них'), nor before the party's name ('ЦК. ВКП(б)': a speck)
        self.sentence_starts = [0] + [m.end() for m in re.finditer(r"(?<!\bпо)(?<!\bтыс)[.!?](?!\s+В?КП\s?\()(?=\s+(?:[^\w\s]{1,2}\s*)?[А-ЯЁA-Z«(])"
                                                                   r"|(?<=\bтыс)\.(?=\s+(?:[^\w\s]{1,2}\s*)?(?!(?i:чел))[А-ЯЁA-Z«(])|\n\s*\n"
                                                                   r"|,(?=\s+(?:" + openers + r")\b)", self.text)]

    # provenance -------------------------------------------------
    def field(self, value, start: int, end: int, method: str, extra_conf: float = 1.0) -> dict:
        ws = [w for w in self.words if w["start"] < end and w["end"] > start]
        page, bbox, conf = None, None, METHOD_PRIOR.get(method, 0.7) * extra_conf
        if ws:
            page = ws[0]["page"]
            boxes = [w["box"] for w in ws if w["page"] == page]
            bbox = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]
            # Digits are what a misread changes silently; words (month names, titles) must
            # match the lexicon to give a value at all, so they do not lower the confidence.
            digits = [w for w in ws if re.search(r"\d", w["text"])] or ws
            ocr = min(max(w["conf"], 0) for w in digits) / 100
            conf *= 0.5 + 0.5 * ocr  # a misread digit shows as low word confidence
        score, conf = round(conf, 3), round(calibrate(conf), 3)
        return {"value": value, "raw": self.raw_text[start:end], "confidence": conf, "method": method,
                "page": page, "bbox": bbox, "char_span": [start, end], "needs_review": conf < LOW_CONFIDENCE,
                "score": score}

    # timestamps -------------------------------------------------
    def timestamps(self) -> dict:
        lex = lexicon()
        found, dates_of = {}, {}  # dates_of: each timestamp's date as find_dates read it
        self.dates_of = dates_of
        early = {}  # a Roman month before July 1937 read as XI or VII: warned of unless the other timestamp decides
        for i, (off, line) in enumerate(self.lines):
            dates = find_dates(line)
            if not dates:
                continue
            nxt = self.lines[i + 1][1] if i + 1 < len(self.lines) else ""
            if re.match(r"\s*\d{0,2}\s*\W?мин", nxt):
                line = line + "\n" + nxt  # "в 21 час. 05" / "мин." wrapped onto the next line
            d = dates[0]
            value, start, end = with_time(line, d, dates)
            if not value:
                continue
            start, end = off + start, off + end
            low = line.lower()
            if has_marker(low, lex["received_markers"]):
                key, method = "received_at", "rule:received_header"
            elif (has_marker(low, lex["sent_markers"]) or (re.match(r"[\W_]{0,3}\s*" + FROM + r"[!.,:]?\s+\w", low) or re.match(r"[\W_]{0,3}\s*" + FROM + r"-[А-ЯЁ]", line))  # 'Из! ВОРОНЕЖА'
                  or i < self.body_start and (c := re.match(r"[\W_]{0,3}\s*([А-ЯЁ][А-ЯЁа-яё\-]+)\s", line))
                  and city_nominative(c[1]) not in (None, "Москва")):  # 'ФРУНЗЕ в 1 час. 52 мин. 11/VII — 37 г.': Из lost;
                # Москва heads the addressee's line
                key, method = "sent_at", "rule:sent_header"
            elif (i < self.body_start and len(TIME_RE.sub("", line).strip()) <= (d["end"] - d["start"]) + 12
                  and not received_abbreviation(low)):
                key, method = "sent_at", "rule:header_date"  # a date line alone in the header, its time beside it
            else:
                continue
            if key not in found or (found[key]["method"] == "rule:header_date" and method != "rule:header_date"):
                found[key], dates_of[key] = self.field(value, start, end, method, 0.8 if d["repaired"] else 1.0), d
                raw = line[d["start"]:d["end"]]
                if d.get("early"):
                    early[key] = (value, f"{key}: {raw!r} falls before July 1937, when the limits began; read as {value[:10]}")
                elif d["alt_month"]:
                    self.warn(found[key], f"{key}: '11' after a slash in {raw!r} read as II, the slash style's Roman month")
                elif d["lookalike"]:
                    self.warn(found[key], f"{key}: the month of {raw!r} read through look-alikes, as {value[:10]}")
                elif d["repaired"]:
                    self.warn(found[key], f"{key}: date {raw!r} impossible or outside "
                                          f"{YEARS[0]}-{YEARS[1]}, read as {value[:10]}")
        for key, other in (("sent_at", "received_at"), ("received_at", "sent_at")):
            if key not in found and other in found:
                self.month_from(key, other, found, lex)
            elif key in found and other in found and key in dates_of:
                self.month_by(key, other, found, dates_of)
        if "sent_at" in found and "received_at" in found:
            self.day_by_gap(found, dates_of)
        for key, (value, message) in early.items():
            if found[key]["value"] == value:
                self.warn(found[key], message)
        return found

    def day_by_gap(self, found: dict, dates_of: dict) -> None:
        """Telegrams were deciphered the day they were sent or the next: sent and received further
        apart (or received first) means a misread. When exactly one reading of one of them, with one
        digit of its day read as its look-alike (lexicon `day_digit_lookalikes`: '23.09' for 28.09)
        or with the other's month, puts them 0-1 days apart, it is taken, flagged; of one reading of each,
        the one of a date whose month is in doubt already (a dotted '11', look-alikes, digits after a
        slash, where a Roman month stands) is taken."""
        sent, got = found["sent_at"]["value"], found["received_at"]["value"]
        if not (sent and got) or 0 <= days_between(sent, got) <= 1:
            return
        options = set()
        for key, v, other in (("sent_at", sent, got), ("received_at", got, sent)):
            day = v[8:10].lstrip("0")  # as typed: '3', not '03'
            days = {day[:i] + alt + day[i + 1:] for i, ch in enumerate(day) for alt in lexicon()["day_digit_lookalikes"].get(ch, "")}
            readings = {v[:8] + f"{int(d):02d}" + v[10:] for d in days if 1 <= int(d) <= 31} | {with_month(v, other[5:7])}
            for r in readings - {v}:
                first, then = sent_then_received(key, r, other)
                try:
                    apart = days_between(first, then)
                except ValueError:
                    continue  # no such day: '31.09'
                if 0 <= apart <= 1 and not (len(first) > 10 and len(then) > 10 and then < first):  # nor received before sent by the clock
                    options.add((key, r))
        suspect = {k for k in ("sent_at", "received_at")
                   if any(dates_of.get(k, {}).get(flag) for flag in ("dotted_11", "lookalike", "alt_month", "slash_digits"))}  # the month in doubt
        if len(options) == 2 and len({k for k, _ in options}) == 2 and len(suspect) == 1:
            options = {o for o in options if o[0] in suspect}  # 'Отправлена 16.11.1937' against 'Поступила 17.07.': the 11 is the doubt
        if len(options) == 1:
            key, value = options.pop()
            raw = found[key]["raw"]
            found[key]["value"] = value
            self.warn(found[key], f"{key}: {raw!r} read as {value[:10]}, a reading one slip away that puts sent "
                                  "and received a day or less apart")

    def month_by(self, key: str, other: str, found: dict, dates_of: dict) -> None:
        """A month the other timestamp decides: '27/11' as II or as November, whichever is
        nearer it; a dotted '23.11' as II beside a Roman II a day or less apart; a month read through
        look-alikes a month off the other's on the same day
        (the look-alikes lost or gained an I: '23/\\МТ 37 г.' beside 'Поступила 23 июля'); a Roman
        month that puts received before sent, or more than 45 days after it, on the same day."""
        d, o = dates_of[key], dates_of.get(other)
        a, b = found[key]["value"], found[other]["value"]
        if d["alt_month"]:
            alt = with_month(a, f"{d['alt_month']:02d}")
            gap = lambda v: abs(days_between(b, v))
            if gap(alt) < gap(a):
                found[key]["value"] = alt
                self.warn(found[key], f"{key}: '11' kept as November, nearer {other}")
        elif (d.get("dotted_11") and o and o.get("roman") and b[5:7] == "02" and (feb := with_month(a, "02"))
              and 0 <= days_between(*sent_then_received(key, feb, b)) <= 1):
            # '23.11.1938' beside 'Отправлена 23/II - 38 г.', or sent '12.11.1938' and received '13.II.1938': the same day
            # or the next (telegrams were deciphered within hours); II typed is read 11 in any style
            found[key]["value"] = feb
            self.warn(found[key], f"{key}: '11' read as II, the Roman month of {other} a day or less apart")
        elif d["lookalike"] and o and not (o["lookalike"] or o["alt_month"]):
            if a[:4] == b[:4] and a[8:10] == b[8:10] and a[5:7] != b[5:7]:
                found[key]["value"] = with_month(a, b[5:7])
                self.warn(found[key], f"{key}: the month read through look-alikes differs from {other}'s "
                                      f"on the same day; {other}'s taken")
        elif (d.get("roman") and (int(a[:4]), int(a[5:7])) < FIRST_MONTH <= (int(b[:4]), int(b[5:7]))
              and a[:4] == b[:4] and a[8:10] == b[8:10]):
            # 'Поступила 9.III.1937' beside 'Отправлено 9.VII.37': a Roman month before the limits began is
            # misread (V read I); on the same day the other timestamp's month is taken
            found[key]["value"] = with_month(a, b[5:7])
            self.warn(found[key], f"{key}: the Roman month falls before July 1937, when the limits began; {other}'s month "
                                  "on the same day taken")
        elif (d.get("roman") and o and not (o.get("roman") or o["alt_month"] or o["repaired"]
                                            or (o.get("dotted_11") and a[5:7] == "02"))  # its 11 is this II (above)
              and a[:4] == b[:4] and a[8:10] == b[8:10] and a[5:7] != b[5:7]
              and not 0 <= days_between(found["sent_at"]["value"], found["received_at"]["value"]) <= 45):
            # 'Поступила 13.V.37' after 'Отправлена 13 июля 1937', or 'Отправлена 03.II.1938' before
            # 'Поступила 3 ноября 1938': received before sent, or months after, on the same day. A
            # Roman month misread (an I lost, XI read II) is likelier than either; the month in
            # words or digits, read as it stands, is taken. Received a month after sent may be as
            # typed, and stays.
            found[key]["value"] = with_month(a, b[5:7])
            self.warn(found[key], f"{key}: the Roman month puts it months off {other} on the same day; {other}'s month taken")

    def month_by_deadline(self, fields: dict) -> None:
        """A dotted '1.11.1938' that no other timestamp decided (month_by; nor one received in
        November a day or less on, in words or a Roman XI) is II when November
        would put the deadline the telegram asks for before it or more than the lexicon's
        `longest_deadline_days` after it, and February would not; a received date read the same way
        on the same day or the next goes with it. Flagged."""
        sent, due, d = fields.get("sent_at"), fields.get("deadline"), self.dates_of.get("sent_at")
        if not (sent and due and due["value"] and d and d.get("dotted_11") and sent["value"][5:7] == "11"
                and (int(sent["value"][:4]), 2) >= FIRST_MONTH):  # no February before the limits began
            return
        got, r = fields.get("received_at"), self.dates_of.get("received_at")
        if (got and got["value"] and got["value"][5:7] == "11" and not (r and r.get("dotted_11"))
                and 0 <= days_between(sent["value"], got["value"]) <= 1):
            return  # received in November a day or less on, the month in words or a Roman XI: November stands
        longest = lexicon()["longest_deadline_days"]
        feb = with_month(sent["value"], "02")
        moved = self.deadline(feb)
        if (not 0 <= days_between(sent["value"], due["value"]) <= longest
                and moved and moved["value"] and 0 <= days_between(feb, moved["value"]) <= longest):
            raw = sent["raw"]
            sent["value"], fields["deadline"] = feb, moved
            self.warn(sent, f"sent_at: '11' in {raw!r} read as II: November would put the deadline "
                            f"{due['value']} outside {longest} days after it")
            if got and r and r.get("dotted_11") and got["value"][5:7] == "11" and 0 <= days_between(feb, with_month(got["value"], "02")) <= 1:
                got["value"] = with_month(got["value"], "02")
                self.warn(got, "received_at: '11' read as II, as sent_at's")

    # A date whose Roman month OCR left unreadable ('30.У\УТ1ТТ.1937', '23З/УТТ - 37 г.')
    # (look-alikes, and what else OCR made of I, V and X: slashes, Л, П, И, Ж, '!', '%', brackets)
    UNREAD_MONTH_RE = re.compile(r"(?<!\d)(?P<d>[0-3]?\d)" + SLASH_SPECK + r"?\s*[./:,]\s*(?P<junk>[" + re.escape(ROMAN_LOOKS + "IVX\\/ЛлПИЖЕ!%[]") + r"]{1,8})"
                                 r"\s*:?[./,]?\s*(?:[—–-]+\s*)?(?P<y>19\d\d|\d\d)(?!\d)")

    def month_from(self, key: str, other: str, found: dict, lex: dict) -> None:
        """Sent and received on the same day, or received the day after: the date of the one
        that reads gives the month of the other (flagged: the month was not read). A cipher
        telegram was deciphered within hours, so a day's step is all this trusts."""
        b = found[other]["value"]
        step = timedelta(days=-1 if key == "sent_at" else 1)
        markers = lex["received_markers" if key == "received_at" else "sent_markers"]
        for off, line in self.lines[:max(self.body_start, 1)]:
            if not (m := self.UNREAD_MONTH_RE.search(line)):
                continue
            # a marker's line, or (sent) a date line alone in the header ('27.УТЕ.1937 г.')
            if not (has_marker(line.lower(), markers) or key == "sent_at" and len(line.strip()) <= m.end() - m.start() + 12):
                continue
            same, near = date.fromisoformat(b[:10]), date.fromisoformat(b[:10]) + step
            day = next((x for x in (same, near) if (x.year, x.day) == (_year(m["y"]), int(m["d"]))), None)
            if not day:
                return
            d = {"year": day.year, "month": day.month, "day": day.day, "start": m.start(), "end": m.end()}
            value, start, end = with_time(line, d, [d])
            found[key] = self.field(value, off + start, off + end, "rule:same_day")
            how = "the same day as" if day == same else "a day from"
            self.warn(found[key], f"{key}: month {m['junk']!r} unreadable; {how} {other}, so its month taken")
            return

    # numbers ----------------------------------------------------
    # "№ 95/ш", also "№'2574", "№.32306", "№ -825/ш" (a stray mark), "Вх. #51667", "МЕМОРАНЦУМ № 54408",
    # "МЕПОРАНДУМ", "ПЕМОРАНДУМ" and "№ 3701Иш" (the slash read as И); the № read 1, М or '|.' or lost after Вх., 11 or lost after
    # МЕМОРАНДУМ ('1»' there too), й or 1: at a line's start (и before a number with /ш), И before a number alone on its
    # line, Л. before one with /ш, or lost (or read '},') before a number with /ш alone on its line, or before a
    # 4-6 digit number alone on a header line ('36268\'); 2 at a line's start before one with /ш; 'МЕМОРАНДУ!М';
    # '\' after МЕМОРАНДУМ or at a line's start, then a space ('МЕМОРАНДУМ \: 1827', '\ 39291'), not in the body
    NUMBER_RE = re.compile(r"(?P<pre>(?:[Вв][хХ](?:[.:,]{1,2}|г)|Исх\.|[МП]Е[МП]ОРАН(?:\w|!(?=\w))*[.:\-]?|\w+дум|[Шш]ифр\w*|[Нн]а[\\.,]?(?:(?:\s+|[‘’'`])[Вв]аш)?)?\s*)(?:(?:[1}{/]|(?<=АНДУМ\s)[3\\])?(?:" + NUMERO + r")|Ne|(?<=Вх\.\s)(?:[1МмХX]|\|\.?)(?=\s\d{4})|(?<=Вх\.\s)(?=\d{4})|(?<=АНДУМ\s)(?:11?[:»]?\s|[}{)\]|/][\d.]?\s)?(?=\d{3})|(?:(?<=АНДУМ\s)|^)\\(?=:?[ \t]+\d)|^й(?=\s\d{4})|^[ИН](?=\s\d{4,6}\W*$)|^Л\.?(?=\s+\d{3,}/[шШщЩ]\W*$)|^[иЁ2](?=\s\d{3,}/[шШщЩ])|^1:(?=\s*\d{3,}/[шШ])|^(?:[{}]\W?\s)?(?=‹?\d{2,}/[шШщЩ]\W*(?:\s[А-ЯЁа-яё]\W*)?$)|^(?P<bare>)(?:(?![вкисо]\s)[а-яё]\s)?(?!193\d(?!\d))(?=\d{4,6}[\\,]?[ \t]*$))\s*" + NUMERO_MARK + r"\s*"
                           r"(?P<num>(?:п?[А-ЯA-Z]|п)?\d+(?:(?<=\d\d\d)\.\d{1,2}(?=\.?[ \t]*$))?(?:\s?[зЗ](?=/))?(?:\s*(?:/|[ИиУ](?=[шШ](?:е|\b)))\s*(?:4[щЩ](?![а-яё])|\d+|[УуИЦ]?[щЩ]?с?[шШщЩсС]|III|(?<=/)(?:Ив|[вПь])(?=[^\w\s]*(?:\s+[^\w\s]+)*\s*$)))?(?:\s*[—–-]\s*\d+\s*/\s*(?:[шШщЩ]|III))?)")

    def numbers(self) -> dict:
        found = {}
        for i, (off, line) in enumerate(self.lines):
            for m in self.NUMBER_RE.finditer(line):
                bare = m["bare"] is not None
                if bare and i >= self.body_start:
                    continue  # a number alone on its line, no № nor /ш, is the telegram's own only in the header
                pre = m["pre"].strip()
                num = re.sub(r"\s+", "", m["num"])
                sure = 0.85 if "." in num or bare else 1.0  # a speck read as a dot inside the number, at the line's end: 'На № 331.47.'
                num = num.replace(".", "")
                num = re.sub(r"(?:/|(?<=\d)[ИиУ])(?:III|[УуИЦ4]?[Щщ]?с?[ШшЩщ]|(?:[14]?1|01)(?=\.?$)|Ив|[вПь])\.?$", "/ш", num)  # ш read 1, 11, 41, 01, в, П, ь or Ив, or a speck before it: '2032/1', '194/11', '2892/01.', '1198/в', '1814/ь', '835/ЦШ.'; '№ 17/12' stays
                num = num.split("—")[-1].split("–")[-1]
                num = re.sub(r"^З(?=\d\d)|(?<=\d)[зЗ](?=/)", "3", num)  # a first or last 3 read З: '№ З777ИШ', '№179 з/ш'
                num = re.sub(r"^п?П?", lambda p: "П" if p[0] else "", num)  # 'На № п51/94', 'пП51/94': the letter in lower case, or twice
                start, end = off + m.start("num"), off + m.end("num")
                if pre[:2] in ("На", "на"):
                    found.setdefault("in_reply_to", self.field(num, start, end, "rule:in_reply_to", sure))
                elif ((pre and not (pre.startswith("вх") and i >= self.body_start))  # lower-case 'вх.' only in the header
                      or (i < self.body_start and not re.search(r"[а-яё]{3}", line[:m.start()].lower())
                          and len(re.findall(r"\b[а-яё]{2,}\b", line[m.end():])) < 3)):  # '№ 00447 в основном закончена': body
                    # Own number: introduced by Вх./МЕМОРАНДУМ, or a № at the head of a header line.
                    found.setdefault("_bare_number" if bare else "reference_number",
                                     self.field(num, start, end, "rule:number_header", sure))
                elif (re.fullmatch(r"[\W_]*", line[:m.start()]) and not re.match(r"[ИНЁЛ]\W", m[0])  # a letter for № only in the header
                      and re.fullmatch(r"(?:[^\w№]|_)*(?:\s(?![ивкс]\b)[а-яё]\W*)?", line[m.end():])
                      and len(re.sub(r"\D", "", num)) >= 2):  # not a speck's '#5' on a junk page
                    # "№ 17/ш" alone on a line under the text (an older blank's habit), a speck after it
                    # ("№ 21986 а"), or before it ('_ № 57/ш')
                    found.setdefault("_late_number", self.field(num, start, end, "rule:number_footer", sure))
            # "На 13518.", 'На Ваш 1296/ш': the № lost, or read 2, 'й,', '/', '/.' or '1:' ('На / П51/94.')
            m = re.fullmatch(r"\s*[Нн]а\s+(?:[Вв]аш\s+)?(?:(?:[2№/]|й,?|/\.|1:)\s+)?(\d{4,}(?:/[шШ])?|П\d+/\d+)\.?[\s|]*", line)
            if m and "in_reply_to" not in found:
                found["in_reply_to"] = self.field(m[1], off + m.start(1), off + m.end(1), "rule:in_reply_to", 0.85)
        late, bare = found.pop("_late_number", None), found.pop("_bare_number", None)
        if "reference_number" not in found and (late or bare):
            found["reference_number"] = late or bare  # a № under the text before a number with no sign at all
        reply = found.get("in_reply_to")
        for known in lexicon()["known_decisions"] if reply else ():
            if reply["value"] != known and (re.fullmatch(r"(?:[10]{0,2}|[НП])" + re.escape(known[1:]) + r"|[НП]" + re.escape(known[1:]).replace("/", "7"), reply["value"])
                                            or reply["value"][:1] in "НП" and one_edit(known, reply["value"])):  # 'П541/94': a digit added
                reply["value"] = known  # 'На № 151/94', '1051/94', '51/94', 'Н51/94': the П read as a digit or two, as Н, or lost; 'П51794': / read 7
        return found

    # origin -----------------------------------------------------
    def origin(self) -> dict | None:
        for i, (off, line) in enumerate(self.lines[:max(self.body_start, 1)]):
            # a speck may precede or follow; '_' for a lost letter ('Из С_ЕРДЛОВСКА': one letter off)
            m = re.match(r"[\W_]{0,3}\s*" + FROM + r"(?:[!.,:]?\s+[‚‘’'`\"]?|[-_])([А-ЯЁа-яё](?:[А-ЯЁа-яё\-]|_(?=[А-ЯЁа-яё]))+)", line)
            m = m or re.match(r"[\W_]{0,3}\s*ИЗ([А-ЯЁ]{4,})\b", line)  # the space lost: 'ИЗЛЕНИНГРАДА'
            if m and (city := city_nominative(m[1])):
                return self.field(city, off + m.start(1), off + m.end(1), "rule:origin_header")
            if m and (city := city_nominative(m[1], fuzzy=True)):
                return self.field(city, off + m.start(1), off + m.end(1), "rule:origin_header", 0.85)
        for i, (off, line) in enumerate(self.lines[:max(self.body_start, 1)]):
            # 'БАКУ 15 июня 1938 г.': a city leading a date line, its 'Из' lost (as for sent_at)
            # a lexicon city only (pymorphy3 would take 'СССР', 'УКРАИНА', 'КИРОВУ'), the date or its time next
            m = re.match(r"[\W_]{0,3}\s*([А-ЯЁ][А-ЯЁа-яё\-]+)[\s,.:—–-]+(?:в\s+)?\d", line)
            if (m and find_dates(line[m.end(1):])
                    and (city := lexicon_city(m[1].lower())) not in (None, "Москва")):
                return self.field(city, off + m.start(1), off + m.end(1), "rule:origin_header", 0.85)
            m = re.fullmatch(r"[\W_]{0,2}\s*([А-ЯЁа-яё][А-ЯЁа-яё\-]+)\s*\|?\s*", line)  # a speck may precede, a bar follow: '‘Калинин', 'орёл', '.Баку |'
            # in lower case ('орёл') only a city of the lexicon as it stands: pymorphy3 would also take 'кирову', 'урал'
            if m and (city := city_nominative(m[1]) if m[1][0].isupper() else city_names().get(m[1].lower())) and city != "Москва":
                return self.field(city, off + m.start(1), off + m.end(1), "rule:origin_line")
            # a long name alone on its line, one letter off ('Вомогда'): short words are too near junk
            # not a surname ('Иванов', 'Пермин': one letter off Иваново, Перми)
            if (m and m[1][0].isupper() and len(m[1]) >= 6 and not re.search(r"(?:ов|ев|ёв|ин|ын|ий|ая)$", m[1].lower())
                    and (city := city_nominative(m[1], fuzzy=True)) and city != "Москва"):
                return self.field(city, off + m.start(1), off + m.end(1), "rule:origin_line", 0.85)
            # one word a speck broke in two, a letter lost with it: 'Сталин. бад'
            m = re.fullmatch(r"[\W_]{0,2}\s*([А-ЯЁ][А-ЯЁа-яё\-]+[.,‘’'`]?\s+[а-яё]+)\s*", line)
            if m and (city := city_nominative(re.sub(r"[^А-ЯЁа-яё\-]", "", m[1]), fuzzy=True)) and city != "Москва":
                return self.field(city, off + m.start(1), off + m.end(1), "rule:origin_line", 0.85)
        sig = self.signature_lines()
        for off, line in sig:
            for m in re.finditer(r"([А-ЯЁ][а-яё]+)\s+(?:обком|крайком|горком|об[лп]аст|кра[йюяе])", line):
                forms = {m[1].lower()} | slip_variants(m[1].lower())  # 'Вопогодской': л read п
                for stem, city in lexicon()["city_adjectives"].items():
                    if any(f.startswith(stem) for f in forms):
                        return self.field(city, off + m.start(1), off + m.end(1), "rule:origin_signature")
        return None

    # signature --------------------------------------------------
    def surname_tokens(self, line: str):
        lex = lexicon()
        stop = not_surnames()
        # a double name may have a stray quote after its hyphen: 'АТА- "МУРАДОВ'
        # its first capital may be read as its lower-case look-alike: 'оЗОЛС'
        # a known first part with the hyphen lost: 'ТЕР ГАБРИЕЛЯН'
        lost_hyphen = "|".join(f"(?<=\\b{p})" for p in lex["surname_prefixes"])  # the whole first word
        for m in re.finditer(r"(?<![А-ЯЁA-Z(])((?:(?<![а-яё])[осхкзжвмнпшэ])?[А-ЯЁ]{2,}(?:\s?-\s?[\"‘’'`]?[А-ЯЁ]{2,}|(?:"
                             + lost_hyphen + r")\s[А-ЯЁ]{2,})?)(?![А-ЯЁа-яё(])", line):  # the whole run: not 'НИКОЛЬС' of 'НИКОЛЬСКиЙ'
            w = m[1].upper()
            if (w in stop or w.endswith("ССР") or len(w) < 3 or not re.search(r"[АЕЁИОУЫЭЮЯ]", w)
                    or len(set(w)) < 3 or near_acronym(w)):
                continue  # also 'ООО', 'ААА': a row of one letter is a speck's trail
            if w.lower() in lex["month_genitives"]:  # "ИЮЛЯ." wrapped from the body's last line
                continue
            if m[1][0].islower() and morph().word_is_known(m[1][1:].lower()):
                # the lower-case letter is a speck when the rest is a known word: 'вСТОЛЯР', not 'оЗОЛС'
                m = re.compile(r"(" + re.escape(m[1][1:]) + r")").match(line, m.start(1) + 1)
            yield m
        # OCR may read a typed capital surname in lower case ('Полянский', 'тимошин'): a line of
        # that one word (after initials) counts when pymorphy3 knows it as a surname, or does not
        # know it at all ('озолс') and it looks like a word (vowels, three letters or more); a known
        # surname may have a speck's letters after it ('Полянский КО |')
        m = re.fullmatch(r"\s*(?:[А-ЯЁ]\.\s*){0,2}([А-ЯЁа-яё][а-яё]{3,})((?:\s+[А-ЯЁ]{1,2})?(?:\s+[|\\/_<>]+)*)\s*", line)
        if m and (any("Surn" in p.tag for p in morph().parse(m[1].lower()))
                  or not m[2].strip() and not morph().word_is_known(m[1].lower()) and re.search(r"[аеёиоуыэюя]", m[1].lower())
                  and len(set(m[1].lower())) >= 3 and len(m[1]) <= 12  # not a garbled body line
                  and m[1].lower() not in lex["title_words"] and mend_word(m[1].lower()) == m[1].lower()
                  and not _month_word(m[1].lower())):  # 'феврал', a wrapped date's month cut short
            yield m
        # a surname pymorphy3 knows, read in lower case after a title on its line
        # ('Секретарь крайкома вкл (6) ‘Полянский')
        m = re.search(r"[‘’'`\"]?([А-ЯЁ][а-яё]{3,})\s*$", line)
        if (m and self.is_title(line[:m.start()]) and not city_nominative(m[1])  # 'Секретарь Калинин': a title cut short
                and known_surname(m[1])):
            yield m
        # or in mixed case ('оЗолС', 'озолС': a capital past the first letter), which no word of a
        # title or the body has but an acronym ('ТаджССР')
        m = re.fullmatch(r"\s*(?:[А-ЯЁ]\.\s*){0,2}((?=\w*[а-яё])(?=\w+[А-ЯЁ])[А-ЯЁа-яё]{4,})\s*[.,|]?\s*", line)  # a speck after: 'ПОЛЯНСКиИЙ .'
        if m and m[1].upper() not in stop and not m[1].upper().endswith("ССР") and not self.is_title(m[1]):
            yield m

    def is_title(self, line: str) -> bool:
        line = line.replace("ё", "е").replace("Ё", "Е")  # no title has an ё: 'секрётарь' is a speck
        line = re.sub(r"[ \t]{2,}", " ", line)  # nor two spaces: 'Первый  секретарь' (a speck between)
        line = re.sub(r"(?<=[А-ЯЁа-яё]{4})\.(?=\s)", "", line)  # nor a dot after a whole word: 'Народный. комиссар'
        line = re.sub(r"(?<=\s)[‘’'`\".]+(?=\w)", "", line)  # nor a quote or a dot before one: 'Народный ‘комиссар', 'Первый .секретарь'
        line = line[title_lead(line):]
        for k, word in list(enumerate(re.finditer(r"[А-ЯЁа-яё]+", line)))[:2][::-1]:  # 'Начапьник', 'Первый сехретарь'
            if (mended := mend_word(word[0].lower(), first=k == 0)) != word[0].lower():
                line = line[:word.start()] + mended + line[word.end():]
        return bool(re.match(r"(?i)[\W_]*(?:" + "|".join(lexicon()["position_titles"]) + r")(?=\W|$)", line))

    def signature_lines(self) -> list[tuple[int, str]]:
        """The signature block: the run of short lines at the end that are names, titles, or
        the continuation of a title ("Азербайджанской ССР")."""
        # OCR leaves specks under a page as short junk lines: not part of anything
        lines = [(o, l) for o, l in self.lines[self.body_start:] if len(re.findall(r"[А-ЯЁа-яё]", l)) >= 3][-8:]
        block = self._block(lines)
        for cut in (1, 2):  # the last lines broken past reading ('рый сехретары цк'), or body
            if block or len(lines) <= cut:  # text OCR put under the signature: the names above still sign
                break
            block = self._block(lines[:-cut])
            if not any(list(self.surname_tokens(l)) for _, l in block):
                block = []
        return block

    def _block(self, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
        block: list[tuple[int, str]] = []
        for o, l in reversed(lines):
            title = self.is_title(l)
            names = list(self.surname_tokens(l))
            rest = l
            for m in reversed(names):
                rest = rest[:m.start()] + rest[m.end():]
            # a line of names and initials only, unless a title comes with it: 'ЛАлл АЛИЛА Ал' is junk
            rest = re.sub(r"(?:\s+(?:[а-яё]{1,2}|[^\w\s]+|[А-ЯЁ]{1,2}(?![\w.])[^\w\s]*))+\s*$", "", rest)  # specks' trail after the name:
            # 'ЛУКАШЕВИЧ ее', 'СЕДЫХ ри о °', 'РЯБИНИН. — ^ ТТ".'
            named = bool(names) and (title or len(re.findall(r"[А-ЯЁа-яё]", re.sub(r"[А-ЯЁ]\.|\bи\b", "", rest))) <= 1)
            if len(l) > 60 or not (named or title or self._continuation(l)):
                break
            block.insert(0, (o, l))
        if block and not self.is_title(block[0][1]) and self.sentence_runs_on(block[0][0]):
            block.pop(0)  # a capital word that ends the body's sentence: 'из числа бывших кулаков и\nУГОЛОВНИКОВ.'
        while block and not (self.is_title(block[0][1]) or list(self.surname_tokens(block[0][1]))):
            block.pop(0)  # a block starts with a name or a title
        return block

    def sentence_runs_on(self, off: int) -> bool:
        """The line before offset `off` ends on a word that cannot end a sentence ('и', 'из', 'по'),
        right after a lower-case word: not a speck read as a letter after a full stop ('категории. о')."""
        before = [l for o, l in self.lines if o < off and l.strip()]
        words = "|".join(map(re.escape, lexicon()["continuing_words"]))
        return bool(before) and re.search(r"[а-яё]{2},?\s+(?:" + words + r")\s*$", before[-1]) is not None

    @staticmethod
    def _continuation(line: str) -> bool:
        line = without_specks(line)
        if re.fullmatch(r"\s*[А-ЯЁ]{2,5}\.\s*", line):
            return True  # an acronym ending the title: 'ССР.'
        return bool(re.fullmatch(r"\s*[А-ЯЁ][\w()\-]*(?:\s+[\w()\-]+){0,3}\s*", line)) and not line.rstrip().endswith(".")

    def signature(self) -> dict:
        """The first signatory (top-down) and the title nearest to the name: before it on its
        line, else the title lines just above, else just below."""
        found = {}
        sig = self.signature_lines()
        for j, (off, line) in enumerate(sig):
            ms = list(self.surname_tokens(line))
            if not ms:
                continue
            m = ms[0]
            read = surname_as_read(m[1])
            name = mend_name(read)
            found["sender"] = self.field(name, off + m.start(1), off + m.end(1), "rule:signature", 0.9 if name != read else 1.0)
            if name != read:
                self.warn(found["sender"], f"sender: {read!r} is no surname pymorphy3 knows; one usual misread undone, {name!r}")
            # initials before the name ('М.В:', 'П.П...', '`М.С.', and 'ДЦ.' with a dot lost), not a title's last
            # letters ('БССР: БЕРМАН', 'ЦК. ')
            before = re.sub(r"(?<![^\s‘’'`])(?:[А-ЯЁ][.:]+\s*){1,2}$|(?<!\S)(?!ЦК)[А-ЯЁ]{2}\.\s*$", "",
                            line[:m.start()].rstrip(" -")).rstrip(" ,")  # 'Я. -АВЕТИСЯН': a speck before the name
            if self.is_title(before):
                lead = title_lead(before)
                span = [(off + lead, before[lead:])]
            elif j > 0 and not list(self.surname_tokens(sig[j - 1][1])):
                k = j - 1  # title lines above, up to the previous name
                while k > 0 and not self.is_title(sig[k][1]) and not list(self.surname_tokens(sig[k - 1][1])):
                    k -= 1
                span = sig[k:j] if self.is_title(sig[k][1]) else []
            elif j + 1 < len(sig) and self.is_title(sig[j + 1][1]):
                span = [sig[j + 1]] + [x for x in sig[j + 2:j + 3]
                                        if not list(self.surname_tokens(x[1])) and not self.is_title(x[1])]
            else:
                span = []
            if span:
                start = span[0][0] + title_lead(span[0][1])
                end = span[-1][0] + len(without_specks(span[-1][1]).rstrip(" ,."))
                raw = self.text[start:end]
                found["sender_position"] = self.field(normalise_position(raw), start, end,
                                                      "rule:signature_position")
            break
        return found

    # addressees -------------------------------------------------
    def addressees(self) -> dict | None:
        names, first = [], None
        limit = max(self.body_start, 1)
        for off, line in self.lines[:limit]:
            # 'р Сталину, Ежову, 2 сектор': the 'Тт.' lost; two leaders in a row still address
            lost = re.match(r"\W*\w{0,2}\W*((?:[А-ЯЁ][а-яё]+у\s*,\s*)+[А-ЯЁ][а-яё]+у)\b", line)
            if lost and not all(addressed_leader(n) for n in re.split(r"\s*,\s*", lost[1])):
                lost = None
            # 'НКВД СССР ФВ’; ЕЖОВУ': the 'тов.' after the office garbled, a known leader after it
            garbled = None if re.search(COMRADE, line) else re.search(r"(?:СССР|ВКП\(б\))\s+\S{1,4}\s+([А-ЯЁ]{3,}У(?:\s*[,;]\s*[А-ЯЁ]{3,}У)*)\b", line)
            if not lost and garbled:
                end = garbled.start(1)  # the known leaders that lead the list ('ЕЖОВУ, НАЧАЛЬНИКУ 8 ОТДЕЛА': Ежов)
                for n in re.finditer(r"[А-ЯЁ]{3,}У", garbled[1]):
                    if not addressed_leader(n[0]):
                        break
                    end = garbled.start(1) + n.end()
                lost = re.compile(r"(" + re.escape(line[garbled.start(1):end]) + r")").match(line, garbled.start(1)) if end > garbled.start(1) else None
            # a semicolon for a comma, a speck by one ('СТАЛИНУ; МОЛОТОВУ, . ЕЖОВУ', 'Сталину, _Ежову', 'МОЛОТОВУ’,'), a hyphen before и
            for m in [lost] if lost else re.finditer(COMRADE + r"\s*[^\w\s]{0,2}\s*((?:[А-ЯЁа-яё][А-ЯЁа-яё\-]+(?:[‘’'`]?\s*[,;](?:\s*[,.\-–])?\s*_?|\s+[-–]?и,?\s+)?)+)", line):
                for nm in re.finditer(r"[А-ЯЁа-яё][А-ЯЁа-яё\-]+", m[1]):
                    if title_case(nm[0]) in lexicon()["known_addressees"] and nm[0][0].isupper():
                        name = title_case(nm[0])  # 'тт. Сталину, МОЛОТОВ, ЕЖОВУ': its ending lost
                    elif not re.search(r"[уюУЮ]$", nm[0]):
                        continue
                    else:
                        # 'Ежобву': the nominative guessed from it is far off, the dative's stem is not
                        name = known_name(surname_nominative(nm[0]), nm[0][:-1])
                    if (not nm[0][0].isupper() or function_word(nm[0])) and name not in lexicon()["known_addressees"]:
                        continue  # a lower-case word is a name OCR damaged only if it is a known one; 'КОМУ' none
                    if name not in names:
                        names.append(name)
                        if first is None:
                            first = (off + nm.start() + m.start(1), off + nm.end() + m.start(1))
        if not names:
            return None
        f = self.field(names, *first, "rule:addressee")
        return f

    # deadline ---------------------------------------------------
    def deadline(self, sent: str | None) -> dict | None:
        lex = lexicon()
        best = None
        # 'до'/'к' before the day ('до' also read '40'), or lost after the verb ('закончить. 3 октября');
        # a speck between day and month ('до 21 ‘июня', 'до_28_ апреля', 'к 17 “октября', 'до -21', 'к_9-февраля')
        for m in re.finditer(r"(?:(?:[дцп]о|40|[кх])[\s.,'‘’`_-]+|(?<=ить)[.,]?\s+)(?P<d>[0-3]?\d)\s*[.:,°'‘’`_“”\"|-]?\s*(?P<mon>[а-яё]+)(?:\s+(?P<y>19\d\d))?", self.text, re.I):
            month = _month_word(m["mon"])
            if not month:
                continue
            ctx = self.text[max(0, m.start() - 60):m.start()].lower().replace("\n", " ")
            # asked-for ends ("продлить срок", "закончить к"), not reports ("продлена до")
            if not re.search(r"(?:" + "|".join(lex["deadline_verbs"]) + r")\w*[:.,]?(?:\s+\S+){0,5}\s*$", ctx):
                continue
            best = (m, month)
        if not best:
            return None
        m, month = best
        year, day, header_year = _year(m["y"]), int(m["d"]), None
        if not year and sent:
            sy, sm, sd = int(sent[:4]), int(sent[5:7]), int(sent[8:10])
            year = sy if (month, day) > (sm, sd) else sy + 1
        elif not year:
            header_year, year = self.year_by_header(month, day)
        value = _iso({"year": year, "month": month, "day": day}, None) if year else None
        f = self.field(value, m.start("d"), m.end(), "rule:deadline")
        if value and header_year:
            self.warn(f, f"deadline: no date of the telegram read; its year {header_year} puts it in {year}")
        return f

    def year_by_header(self, month: int, day: int) -> tuple[int | None, int | None]:
        """No timestamp read, but a header date's year is ('ЗЛИТТТ - 38 г.'): (that year, the
        deadline's year), the one year that puts the deadline within `longest_deadline_days` after
        some day of that year (from July 1937) and not after November 1938; None where none or two do."""
        year = next((int("193" + (m[1] or m[2])) for _, line in self.lines[:self.body_start]
                     if (m := YEAR_ONLY_RE.search(line))), None)
        if not year:
            return None, None
        first = max(date(year, 1, 1), date(*FIRST_MONTH, 1))
        longest = lexicon()["longest_deadline_days"]
        fits = []
        for y in (year, year + 1):
            try:
                when = date(y, month, day)
            except ValueError:
                continue
            if (when.year, when.month) <= LAST_MONTH and (when - date(year, 12, 31)).days <= longest and when >= first:
                fits.append(y)
        return year, fits[0] if len(fits) == 1 else None

    # quotas -----------------------------------------------------
    # thousands set off by a space, dot or comma, or by what OCR made of one ("28:000", "38° 000",
    # "1:.200", "1 '090", "3. 700", "5_300", "4*400", "16\\536"); a scale word may follow a stray dot or quote ("5. тысяч", "4` тысячи");
    # a slash ends a document's number ("3000/ш"), not a figure a speck joins to its word ("3000/человек")
    FIGURE_RE = re.compile(r"(?:(?<![\d./№])|(?<=\s\.)|(?<=[^\d.]\.\.))(?P<n>\d{1,3}(?:(?:[ .,:_*\\]|\. |°\s?|[:.,]{2}|\s?[‘’'`]{1,2}\s?)\d{3})+|\d+)(?!\d|/(?!чел)|[.,]\d)"
                           r"(?:[.,‘’'`]?\s*[‘’'`^]?(?P<scale>[тз]ы[сб](?:яч[аи]?)?\.?))?", re.I)  # '7 ‘Тыс.', '6 ^тыс.', '1 тыб.', '8 зыс.': с read б, т read з

    def no_count(self, m: re.Match) -> bool:
        """A figure that counts nothing: one joined to a word by a hyphen ("2-ю часть", "5-8 лет";
        not "9490-человек", "19 935-кулаков"), a speck read as a lone digit on a word's end
        ("было7"), on a line of no word or at the end of one of capitals (a name's), one glued to a
        word's other letters ('1имит'), 'по' read as digits before a category, or the (б) of 'ВКП(б)'
        read '(6)' (a lone '(6)' elsewhere may be a count: 'пять (5) человек')."""
        if (h := re.match(r"-(\w+)", self.text[m.end("n"):])) and not has_any(h[1].lower(), lexicon()["people_words"]):
            return True
        if len(m["n"]) == 1 and (g := re.match(r"[а-яё]{3,}", self.text[m.end():])) and not has_any(g[0], lexicon()["people_words"]):
            return True  # a letter read as a digit at a word's start: '1имит' (Лимит); not '9490человек', '1500бывших'
        if re.search(r"(?i)(?:\b" + PARTY + r"|\bк\s+п)\s*\(\s*$", self.text[max(0, m.start() - 8):m.start()]):
            return True  # the party's (б) read as a digit: 'обкома ВКП (6)', 'к п (6)'
        if m["n"] in ("10", "70") and any(re.match(r"\s+(?:" + c["pattern"] + r")\w*\W*\d", self.text[m.end("n"):], re.I)
                                          for c in lexicon()["category_cues"]):
            return True  # 'и 70 второй категории 8 тысяч': the 'по' before a category read as digits
        if not re.fullmatch(r"\d", m["n"]):
            return False
        lead = self.text[self.text.rfind("\n", 0, m.start()) + 1:m.start()]
        rest = self.text[m.end():].split("\n", 1)[0]
        line = lead + m[0] + rest
        if self.text[m.start() - 1:m.start()].isalpha() or not re.search(r"[А-ЯЁа-яё]{3}", line):  # 'было7', 'Й 7х | .'
            return True
        name = re.search(r"([А-ЯЁ]{3,})\W*$", lead)  # 'БЕЛОУСОВ ` 7': a speck after a name, ending a line of capitals
        return bool(name and not (m["scale"] or re.search(r"[а-яё]", line) or re.search(r"\w", rest))
                    and looks_like_surname(name[1]))

    def figures(self) -> list[tuple[int, int, int]]:
        """(start, end, value) of every count: digits ('9.600', '41 305', '5 тыс.') and words."""
        out = []
        skip = [(off + d["start"], off + d["end"]) for off, line in self.lines for d in find_dates(line)]
        skip += [(m.start(), m.end()) for m in date_word_re().finditer(self.text) if _month_word(m["mon"])]
        skip += [(off + t.start(), off + t.end()) for off, line in self.lines for t in TIME_RE.finditer(line)]
        skip += [(m.start(), m.end()) for m in re.finditer(r"(?:" + NUMERO + r")\s*" + NUMERO_MARK + r"\s*[А-ЯA-Z]?\d+(?:/\w+)?", self.text)]
        skip += [(m.start(), m.end()) for c in lexicon()["category_cues"] for m in re.finditer(c["pattern"], self.text, re.I)]
        # a misread ordinal before 'категории' ('по 4 категории 5200'): there are only two categories
        skip += [(m.start(), m.end()) for m in re.finditer(r"(?<![\d.,])\d(?=(?:-?[йя])?\s+[кх]атегори)", self.text)]
        for m in self.FIGURE_RE.finditer(self.text):
            if any(a <= m.start() < b for a, b in skip) or self.no_count(m):
                continue  # dates, times, numbers of documents and orders
            n = int(re.sub(r"\D", "", m["n"]))
            if n == 0:
                continue  # '.000 человек': the figure's first digits lost, nothing to tell
            if m["scale"]:
                n *= 1000
            out.append((m.start(), m.end(), n))
        out += self.word_figures()
        return sorted(out)

    def word_figures(self):
        lex = lexicon()
        units, scales = lex["number_words"], lex["scale_words"]
        out, run = [], []
        for m in re.finditer(r"[а-яё]+", self.text, re.I):
            norm = normal_form(m[0].lower())
            gap = self.text[run[-1][0].end():m.start()] if run else ""
            if (norm in units or (norm in scales and run)) and (not run or re.fullmatch(r"[\s‘’'\"`«»„“”]*", gap)):
                run.append((m, norm))
                continue
            if run:
                out.extend(self._word_run(run, units, scales))
            run = [(m, norm)] if norm in units else []
        if run:
            out.extend(self._word_run(run, units, scales))
        return out

    @staticmethod
    def _word_run(run, units, scales):
        total, cur = 0, 0
        for _, norm in run:
            if norm in scales:
                total += (cur or 1) * scales[norm]
                cur = 0
            else:
                cur += units[norm]
        value = int(total + cur)
        # A lone "один"/"два" is not a count of people; "девяти тысяч" is.
        if value < 100:
            return []
        return [(run[0][0].start(), run[-1][0].end(), value)]

    def quotas(self) -> list[dict]:
        """Every count tied to people: its category from the cue before it in its clause ("по
        первой категории 479"), or a verb ("расстрелять 700", "..., которых нужно расстрелять");
        its kind from the nearest kind cue before it in its sentence."""
        lex = lexicon()
        out = []
        prev = None  # (sentence start, end, category, by_verb, kind) of the previous figure
        flat = lambda a, b: self.text[a:b].lower().replace("\n", " ").replace("ё", "е")  # 'утверждённый'
        for start, end, value in self.figures():
            sent = max(s for s in self.sentence_starts if s <= start)
            s1 = min([s for s in self.sentence_starts if s > end] + [len(self.text)])
            before, after = flat(sent, start), flat(end, s1)
            same = prev is not None and prev[0] == sent
            # the clause since the previous figure (and past a cue that figure took after it)
            segment = flat(prev[1] if same else sent, start)
            category, by_verb, consumed = None, False, end
            hits = [(m.end(), c["category"]) for c in lex["category_cues"] for m in re.finditer(c["pattern"], segment, re.I)]
            if hits:
                category = max(hits)[1]  # the cue nearest the figure
            else:
                for cue in lex["category_cues"]:  # "5 тыс. человек, подлежащих расстрелу"
                    # the figure's word may run on ("1 тысяч|у"); specks may stand before "человек"
                    # ("5.285..человек") and a stray quote before "по"
                    m = re.match(r"(?:\.{1,2}(?=" + PERSON + r"))?\w*\s*(?:[‘’'`]?" + PERSON + r"\w*\s*,?\s*)?[‘’“”„«»`|]?\s*(?:[пл]о\s+)?" + cue["pattern"] + r"\w*", after, re.I)
                    if m:
                        category, consumed = cue["category"], end + m.end()
            if category is None:
                verbs = [(m.end(), c["category"]) for c in lex["verb_category_cues"] for m in re.finditer(c["pattern"], segment, re.I)]
                for cue in lex["verb_category_cues"]:
                    forward = re.search(r"котор\w+\s+(?:\w+\s+)?" + cue["pattern"], after, re.I)
                    if forward and not re.search(r"из\s+них", after[:forward.start()]):
                        verbs.append((-1, cue["category"]))
                if verbs:
                    category, by_verb = max(verbs)[1], True
            total = has_any(segment, lex["total_cues"])
            if category is None and same and prev[3] and not re.search(r"из\s+них", segment):
                category, by_verb = prev[2], True  # "..., а всего ... 2000 человек": same category
            if not (has_any(after[:25], lex["people_words"]) or category is not None):
                continue
            kinds = [(m.start(), c["kind"]) for c in lex["kind_cues"] for m in re.finditer(c["pattern"], before)]
            kind = max(kinds)[1] if kinds else "other"
            if by_verb and kind in ("registered", "other"):
                kind = "requested"  # "которых нужно расстрелять": a figure asked for
            if same and total and prev[4] == "requested":
                kind = "requested"  # a total of what is asked keeps its kind
            additional = None
            if kind == "requested":
                additional = has_any(before, lex["additional_cues"]) and not total
            f = self.field({"category": category, "count": value, "kind": kind, "additional": additional},
                           start, end, "rule:quota")
            f["id"] = f"q{start}"
            out.append(f)
            prev = (sent, consumed, category, by_verb, kind)
        return out

    # cross-checks -----------------------------------------------
    def check(self, fields: dict) -> None:
        s, r = fields["sent_at"]["value"], fields["received_at"]["value"]
        if s and r and r < s:
            self.warn(fields["received_at"], "received_at earlier than sent_at")
        for key in ("sent_at", "received_at", "deadline"):
            v = fields[key]["value"]
            if v and not YEARS[0] <= int(v[:4]) <= YEARS[1]:
                self.warn(fields[key], f"{key} year {v[:4]} outside {YEARS[0]}-{YEARS[1]}")
            elif v and key == "deadline" and (int(v[:4]), int(v[5:7])) > LAST_MONTH:
                self.warn(fields[key], f"deadline {v} after November 1938, when the troikas ended")
            elif v and (int(v[:4]), int(v[5:7])) < FIRST_MONTH:
                self.warn(fields[key], f"{key} {v[:10]} before July 1937, when the limits began")
        qs = fields["quotas"]
        for i, total in enumerate(qs):
            if total["value"]["category"] is not None:
                continue
            # "N человек, из них: по первой категории A, по второй B" in one sentence, one kind
            end = min([s for s in self.sentence_starts if s > total["char_span"][1]] + [len(self.text)])
            parts = []
            for q in qs[i + 1:]:
                if q["value"]["category"] is None or q["char_span"][0] > end or q["value"]["kind"] != total["value"]["kind"]:
                    break
                parts.append(q)
            if not parts or not re.search(r"из\s+них", self.text[total["char_span"][1]:parts[0]["char_span"][0]]):
                continue
            cats = {q["value"]["category"] for q in parts}
            if len(parts) >= 2 and cats == {1, 2} and sum(q["value"]["count"] for q in parts) != total["value"]["count"]:
                said = f"category figures {'+'.join(str(q['value']['count']) for q in parts)} and the total {total['value']['count']}"
                # only where the sentence holds nothing but the total and its two parts: a figure
                # after them ('остальные 900') may be what makes the total
                alone = len(parts) == 2 and not re.search(r"\d", self.text[parts[-1]["char_span"][1]:end])
                if alone and (mended := zeros_that_add_up(total, parts)):
                    q, was = mended
                    self.warn(q, f"{said} add up only with {was} read as {q['value']['count']} (a typed 0 read 9)")
                else:
                    self.warn(total, f"{said} do not add up")
        for key in FIELDS:
            f = fields[key]
            if f["confidence"] is not None and f["confidence"] < LOW_CONFIDENCE:
                self.warnings.append(f"low confidence on {key} {f['raw']!r}")
        for q in qs:
            if q["confidence"] < LOW_CONFIDENCE:
                self.warnings.append(f"low OCR confidence on quota figure {q['raw']!r}")

    def warn(self, f: dict, message: str) -> None:
        f["needs_review"] = True
        self.warnings.append(message)

    def run(self) -> dict:
        fields = {k: None for k in FIELDS}
        fields.update(self.timestamps())
        fields.update(self.numbers())
        fields["origin"] = self.origin()
        fields.update(self.signature())
        fields["addressees"] = self.addressees()
        anchor = next((fields[k]["value"] for k in ("sent_at", "received_at") if fields.get(k)), None)
        fields["deadline"] = self.deadline(anchor)  # a missing year follows the telegram's date (or its header's year)
        self.month_by_deadline(fields)
        if self.ents:
            self.ner_fallback(fields)
        fields = {k: v or empty_field() for k, v in fields.items()}
        fields["quotas"] = self.quotas()
        self.check(fields)
        return fields

    def ner_fallback(self, fields: dict) -> None:
        """Where the rules found nothing, take the NER model's entity in the right place: a
        PER in the signature block as sender, a LOC in the header as origin, PERs in the
        header's address as addressees. Lower prior than the rules (method ner:...)."""
        header_end = self.lines[self.body_start][0] if self.body_start < len(self.lines) else len(self.text)
        sig = self.signature_lines()
        sig_start = sig[0][0] if sig else len(self.text)
        if not fields.get("sender"):
            for e in self.ents:
                if e["label"] == "PER" and e["start"] >= sig_start:
                    m = re.search(r"[А-ЯЁ][А-ЯЁа-яё\-]{2,}$", e["text"])
                    if m and m[0].upper() not in not_surnames():  # not an acronym of a title: 'ВКП (6)'
                        s0 = e["start"] + m.start()
                        fields["sender"] = self.field(title_case(m[0]), s0, e["end"], "ner:sender")
                        break
        if not fields.get("origin"):
            for e in self.ents:
                city = city_nominative(e["text"].split()[-1]) if e["label"] == "LOC" and e["end"] <= header_end else None
                if city in set(lexicon()["cities"].values()) - {"Москва"}:  # a known city, not the capital
                    fields["origin"] = self.field(city, e["start"], e["end"], "ner:origin")
                    break
        if not fields.get("addressees"):
            names = [(e, name) for e in self.ents
                     if e["label"] == "PER" and e["end"] <= header_end and re.search(r"[уюУЮ]$", e["text"])
                     and ((name := known_name(surname_nominative(e["text"].split()[-1]))) in lexicon()["known_addressees"]
                          or not function_word(e["text"].split()[-1])
                              and normal_form(e["text"].split()[-1].lower()) not in title_vocabulary())]  # not 'КОМУ', 'Заместителю'
            if names:
                f = self.field([], names[0][0]["start"], names[0][0]["end"], "ner:addressees")
                f["value"] = list(dict.fromkeys(n for _, n in names))
                fields["addressees"] = f


def normalise_position(raw: str) -> str:
    """Lower case as SPEC asks, but acronyms (ВКП(б), ТаджССР) and place nouns (Узбекистана)
    keep their case; OCR's "ВКП (6)" is mended."""
    # the party's (б) as OCR reads it: 'ВКП (6)', 'КП(5)', 'кп()', 'КПб)', 'ВКП(б}', 'вп (6)', 'вкл (6)', 'ВКП(б' at the end, 'ВКП(б.)', 'КП(о)', 'КП{6)'
    raw = re.sub(r"(?i)\b(" + PARTY + r")\s*(?:[({]\s*[б650о]{0,2}[’'‘`.]?\s*[)}\]]|[б65][)}\]]|[({]\s*[б6]$)",
                 lambda m: ("ВКП" if m[1].lower() in ("вп", "вкл", "вкн") else m[1].upper()) + "(б)", " ".join(raw.split()))
    raw = re.sub(r"(?<=\(б\))\.(?=\s+\w)", "", raw)  # a speck after it inside the title: 'КП(б). Грузии'
    raw = re.sub(r"(?<=КП\(б\))\s+(?=У$)", "", raw)  # Ukraine's party split off: 'ЦК КП(б) У'
    raw = re.sub(r"(?:^|(?<=\s))-+(?=[А-ЯЁа-яё])", "", raw)  # a stray hyphen before a word: 'секретарь -Цк.', '--Аел'
    raw = re.sub(r"(?<=[А-ЯЁ])-{2,}(?=[А-ЯЁ])", " ", raw)  # two for a space between acronyms: 'ЦК--КП(б)'
    raw = re.sub(r"[^\w\s().,\-]|_|\((?=[а-яё]{3})", " ", raw)  # OCR's stray marks ("УНКВД!", "внутренних .дел", "обкома_ВКП(б)", "(внутренних")
    raw = re.sub(r"(?<=[а-яё])-(?=[А-ЯЁ]{2})|(?<=[а-яё]{3})-(?=\s)", " ", raw)  # a hyphen for a space: 'Начальник-УНКВД', 'Нарком- внутренних'
    # and between a title's word and the next: 'Секретарь-ббкома'
    raw = re.sub(r"\b([А-ЯЁа-яё]+)-(?=[а-яё]{3})", lambda m: m[1] + (" " if m[1].lower() in title_vocabulary() else "-"), raw)
    raw = re.sub(r"(?i)\bво(?= [А-ЯЁ]{2,})|(?<=УНКВД )[вн]о\b", "по", raw)  # п read в before an acronym, or в or н after УНКВД: 'УНКВД во ДВК', 'УНКВД но Орловской'
    # a word one letter off 'дел' after 'внутренних' is it: 'внутренних цел', 'пел', 'дей'; or each letter a usual slip: 'пеп'
    raw = re.sub(r"(?i)(?<=внутренних )[а-яё]{3}\b", lambda m: "дел" if one_edit(m[0].lower(), "дел")
                 or all(r == t or r in lexicon()["letter_slips"].get(t, "") for t, r in zip("дел", m[0].lower())) else m[0], raw)
    raw = re.sub(r"(?<=\s)[.,]+(?=\w)", "", raw)
    raw = re.sub(r"(?<=[а-яё]),(?=\s+[а-яё])|(?<=ЦК),(?=\s+В?КП)", "", raw)  # no comma inside a title: 'комиссар, внутренних дел', 'ЦК, КП(б)'
    acronyms = {a.upper(): a for a in lexicon()["acronyms"]}
    out = []
    words = raw.split()
    for i, w in enumerate(words):
        core = w.strip(",.")
        if (once := case_doubles_dropped(core)) != core:
            w, core = w.replace(core, once), once
        if core.upper() in acronyms and ("(" in core or len(re.findall(r"[А-ЯЁ]", core)) >= 2
                                         or "Abbr" in morph().parse(core)[0].tag):
            out.append(w.replace(core, acronyms[core.upper()]))  # "ВКп(б)", "цк" -> "ВКП(б)", "ЦК"
        elif core.endswith("(б)") and (near := next((a for k, a in acronyms.items() if "(" in k
                                                     and one_edit(k, core.upper())), None)):
            out.append(w.replace(core, near))  # "ВКН(б)" -> "ВКП(б)": the party's (б) makes it sure
        elif core.isupper() and (near := near_acronym(core, shortest=5)):  # not ТССР -> СССР
            out.append(w.replace(core, near))  # "УНКВЦ" -> "УНКВД"
        elif (core.isupper() and len(near := {v.upper() for v in (slip_variants(core.lower()) if len(core) <= 3 else set())
                                              | split_variants(core.lower())} & acronyms.keys()) == 1):
            out.append(w.replace(core, acronyms[near.pop()]))  # "ЦВК" -> "ДВК": a usual slip in a short one; "ДПВК": д read дп
        elif (len(core) >= 7 and not morph().word_is_known(core.lower())
              and len(known := {v for v in {core[1:].lower()} | split_variants(core.lower())
                                if v in {*lexicon()["title_words"], *lexicon()["committee_genitives"]}}) == 1):
            out.append(w.replace(core, known.pop()))  # a speck read as a letter before the word, or д as дц: 'ЦДалькрайкома', 'ДЦалькрайкома'
        elif (i + 1 < len(words) and words[i + 1].lower().strip(",.") in lexicon()["committee_genitives"]
              and not morph().word_is_known(core.lower())
              and (stem := next((st for st in lexicon()["city_adjectives"] if core.lower().startswith(st)), None))):
            out.append(stem + "ого")  # a committee's city adjective with a broken ending: 'КировсКбТо обкома'
        elif len(re.findall(r"[А-ЯЁ]", core)) >= 2 and (core.isupper() or not morph().word_is_known(core.lower())):
            out.append(w)  # an acronym, not a word in mixed case ('НаЧальНик')
        else:
            mended = mend_word(core.lower(), first=i == 0)
            if i == len(words) - 1:
                mended = complete_place(mended)
            w = w.lower().replace(core.lower(), mended)
            if any({"Geox", "NOUN"} <= set(p.tag.grammemes) for p in morph().parse(mended)[:1]):
                w = w[:1].upper() + w[1:]  # a place noun ('Белоруссии', also as 'Бепоруссии')
            out.append(w)
    # a dot OCR put after a whole word or an acronym inside the title ("внутренних дел. СССР",
    # "ЦК. КП(б)"); "зам." keeps its own
    keep = set(lexicon()["position_abbreviations"])
    title = re.sub(r"\b([а-яё]{2,}|[А-ЯЁ]{2,})\.(?= )", lambda m: m[0] if m[1].lower() in keep else m[1], " ".join(out))
    return re.sub(r"\s+(?:[а-яё\d]|[-–—])$", "", title)  # no title ends in a lone letter, digit or dash: a broken initial ('Д. ШУБИН'), a speck


def empty_field() -> dict:
    return {"value": None, "raw": None, "confidence": None, "method": None, "page": None, "bbox": None,
            "char_span": None, "needs_review": False}


# ---------------------------------------------------------------- NER

_LOAD_LOCK = threading.Lock()  # worker threads that reach extract together load the model once


def ner_model():
    """The project's trained spaCy pipeline, from disk (once per process); None when it has not
    been trained."""
    with _LOAD_LOCK:
        return _load_ner()


def preload() -> None:
    """Load the model in the background while the first pages are cleaned and read: loading
    takes 0.7 s, which every worker of a batch otherwise waited for at its first extract. A
    failure here is left for the first extract to raise (lru_cache keeps no exception)."""
    def load():
        try:
            ner_model()
        except Exception:
            pass
    threading.Thread(target=load, name="ner-preload", daemon=True).start()


@lru_cache(maxsize=1)
def _load_ner():
    path = ner_model_path()
    if not (path / "meta.json").exists():
        return None
    import spacy

    return spacy.load(path)


_NER_LOCK = threading.Lock()  # one spaCy pipeline shared by the batch's worker threads


def entities(text: str) -> list[dict]:
    nlp = ner_model()
    if nlp is None:
        return []
    out = []
    for page_off, chunk in _chunks(text):
        with _NER_LOCK:
            doc = nlp(chunk)
        for e in doc.ents:
            out.append({"label": e.label_, "text": e.text, "start": page_off + e.start_char, "end": page_off + e.end_char})
    return out


def _chunks(text: str):
    pos = 0
    for part in text.split("\f"):
        yield pos, part
        pos += len(part) + 1


USE_NER_FALLBACK = True  # the benchmark switches it off for the ablation


def extract_fields(text: str, words: list[dict] | None = None, with_entities: bool = True) -> dict:
    ents = entities(text) if with_entities or USE_NER_FALLBACK else []
    ex = Extractor(text, words, ents if USE_NER_FALLBACK else None)
    fields = ex.run()
    return {"fields": fields, "entities": ents if with_entities else [], "warnings": ex.warnings}


def extract(ctx: DocContext) -> Path:
    """Stage entry: read ocr.json, write extract.json."""
    o = read_json(ctx.ocr_json)
    result = extract_fields(o["text"], o["words"])
    empty = [p["number"] for p in o["pages"] if not any(w["page"] == p["number"] for w in o["words"])]
    if empty:  # SPEC: a page with no text makes the document needs_review
        result["warnings"].append("no text found" if len(o["pages"]) == 1 else f"no text found on page(s) {empty}")
    return write_json(ctx.extract_json, {"version": VERSION, "ner_model": ner_version(), **result})


def ner_version() -> str | None:
    meta = ner_model_path() / "meta.json"
    if not meta.exists():
        return None
    m = json.loads(meta.read_text())
    return f"{m.get('name', 'ner')}-{m.get('version', '?')}"
