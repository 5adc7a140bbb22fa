"""Stage 2, ocr: Tesseract (rus, through pipeline/tesseract.py) on each cleaned page.

Writes ocr.json: the document text (lines joined by newlines, pages by form feeds) and every
word with its confidence, its box on the cleaned page and in source pixels, and its char span
in that text, so later stages can point from a value back to the page.
"""

import re
from pathlib import Path

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from .context import DocContext, atomic_write_bytes, read_json, write_json
from .errors import StageError
from .images import components, encode_page, map_box, turn
from .tesseract import LANG, image_data, image_data_each, osd_rotation

VERSION = "ocr-11"  # 2: V and X placed from Tesseract's letters in Roman months; 3: 0 read as 9;
# 4: lost lines read again; more Roman-month readings (М for V, П for II, '[' for I, Э for a day's 9,
# a stray mark after the day, '111', З in the year); a date's '09' kept from the 9-dropping rules
# 5: a leading 0 read 9 ('19.\\Т.' for 10.VI.) also where the rest of the word does not map to its glyphs
# 6: I, V and X told by their glyphs' shapes; dates whose month was read as other letters ('7И/ТХ')
# 7: a 0 read as '090' ('250905/ш' for 2505/ш); a figure's 0s told from 9s among the glyphs of its line
# only (specks above and below it left out); 8: each such glyph cut only a sixth past the line's band
# 9: a page whose cleaned read looks poor is read again from the clean stage's unwhitened grey page;
# the read Tesseract is surer of (read_score) is kept; 10: a second read that gives up (noise on
# a blank page's grey copy took Tesseract over 180 s) leaves the first, instead of failing the page
# 11: a poor page's grey page read a third time (psm 6) and each line voted among the three reads;
# a word inside a stamp's box that spells one of the stamp's read words is the stamp's, not text
# psm 4 (a single column of text of variable sizes) read the sample forms with a third of
# the character errors of psm 6, which also reads stamp and scribble noise as text.
CONFIG = "--psm 4 --oem 1"
VOTE_CONFIG = "--psm 6 --oem 1"  # the third read of a poor page: the grey page as one block
LINE_CONFIG = "--psm 7 --oem 1"  # one text line: a line psm 4 lost, read again

def mean_conf(words: list[dict]) -> float:
    confs = [w["conf"] for w in words if w["conf"] >= 0]
    return sum(confs) / len(confs) if confs else 0.0


def read_words(grey, config: str = CONFIG, timeout: float | None = None) -> list[dict]:
    """Words of one page image (an array, or the path of an image file: cheaper, pytesseract
    then needs no temporary copy) with confidence and box, grouped by Tesseract's lines."""
    return words_of(image_data(grey, LANG, config, timeout or PAGE_TIMEOUT))


def words_of(d: dict) -> list[dict]:
    """Tesseract's data (image_data) as words, specks and scribbles left out."""
    words = []
    for i, text in enumerate(d["text"]):
        text = text.strip()
        if not text:
            continue
        x, y, w, h = d["left"][i], d["top"][i], d["width"][i], d["height"][i]
        conf = float(d["conf"][i])
        if conf < JUNK_CONF and not re.search(r"[\w№]", text):
            continue  # specks and scribbles read as stray marks: not text
        words.append({"text": text, "conf": conf, "bbox": [x, y, x + w, y + h],
                      "line": (d["block_num"][i], d["par_num"][i], d["line_num"][i])})
    return words


# A date with a Roman month as Tesseract's rus model reads it: "4.11.1938", "11.\\ТТ.1937".
DAY = r"[0-3ЗОо]?[\dЗОоЭ][.,/]"  # a day and its dot, З and О read for 3 and 0, Э for 9
ROMAN_LETTERS = r"\\/УуVХхXIlТтTГгМЛлП|\[\]"  # what the rus model makes of a Roman month's I, V and X
ROMAN_READ = "[1" + ROMAN_LETTERS + "]{1,6}"  # and '1' for I
ROMAN_DATE = re.compile(r"^(" + DAY + r"\s*)(" + ROMAN_READ + r")((?:[.,:/\-—–]\s*[\dЗ]\d{1,3}\S*|[.,:/\-—–])?)$")
DAY_DIGITS = str.maketrans("ЗОоЭ", "3009")
REREAD_CONF = 80.0
EXTRA_DIGIT_CONF = 50.0  # a figure whose extra 9 was dropped: right in the cases seen, but a guess
PAGE_TIMEOUT = 180  # s; typed pages take about one
SECOND_READ_TIMEOUT = 60  # s; the grey page's read is optional: past this the first read stands
LOST_INK = 160  # grey below this on a cleaned page is ink: typed letters, not a faded stamp's speckle
JUNK_CONF = 40.0  # a "word" this unsure with no letter or digit is a speck or a scribble
REORIENT_BELOW = 60.0  # mean word confidence: upright typed pages here read at 80-92
V_LIKE = "\\УуVМ"
X_LIKE = "ХхX"
DATE_LIKE = r"\d{1,2}[.,]\d{2}[.,]\d*"  # '18.09.': IX read as '09' is a date, not a figure with an extra 9
STRAY = "'’‘\"“”«»`"  # marks a speck or a fold leaves inside a date: '21'.У111.1938'
DROP_STRAY = str.maketrans("", "", STRAY)
# A word that may be a date with a Roman month Tesseract read as Cyrillic letters: a day of
# digits and look-alikes, then letters a Roman numeral leaves (И, Ж and Ц too: 'ИХТ' for /XI).
LOOSE_DATE = re.compile(r"^([0-3ЗОоЭТЛБ]?[\dЗОоЭТЛБ][\dЗОоЭАИ]?)([./]?[" + ROMAN_LETTERS + r"ИЖЦ]{1,6})(?:[.,:\-—–]\s*\d{2,4}\S*|[.,:\-—–])?$")
LOOSE_DAY_DIGITS = str.maketrans("ЗОоЭТЛБ", "3009115")
ROMAN_MONTHS = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
ROMAN_WIDEST = 1.25  # glyph width / height: typed V and X measured up to 1.04, two touching I's wider
I_SYMMETRY = 0.75    # mirror overlap: typed I measured 0.72-0.99 (5th-95th percentile), a '1' 0.46-0.78;
# thin unstretched glyphs of a page with little ink measured 0.76-0.77
# A second read of the page from its unwhitened grey image (clean.py gentle_page): background
# whitening erased faint typed strokes (a worn ribbon) while it helps elsewhere (stamps, specks).
# Measured on 85 rendered pages of the tune families (tools/synth, clean/stamp/pencil_fold/rotated/
# skew_bed; 59 of them faded by lightening their ink 40-70% towards the paper, softening it and
# adding a gradient): mean page CER 0.044 cleaned, 0.059 grey (it reads pencil strokes and folds
# as junk), 0.024 keeping the grey read where its read_score is PREFER_CLEAN higher, 0.023 with
# the better read always known. Only where the cleaned read looks poor is the second read paid
# for (SECOND_READ_CONF, UNCOVERED_INK): 5 of 25 unfaded tune pages paid, 27 of 53 faded ones; a
# second read takes 1.2-1.3 times the first (grey pages: 1.8-2.7 s a page on a busy 2-core machine).
GOOD_CONF = 50.0        # a word counts for its read above this confidence, against it below (junk)
SECOND_READ_CONF = 91.0  # mean word confidence: cleaned reads of intact pages measured 91-95
UNCOVERED_INK = 0.05    # share of the grey page's letter-sized ink no sure word covers: 0-0.05 on intact pages
PREFER_CLEAN = 0.02     # the grey read must score this share higher: the cleaned page is the default
VOTE_REACH = 20         # px beyond a line's first and last word that its stretch reaches in the other reads
VOTE_GATE = 0.5         # a read scoring below this share of the best read's read_score does not vote
GREY_INK = 200          # grey level on the grey page (paper at 255): darker is ink, a faint stroke too
ZERO_HOLE = (0.25, 0.8)  # a hole from above this share of the height to below that: a 0, not a 9


def glyphs(grey_crop, in_line: bool = False) -> tuple[list, list]:
    """The ink components of a word image, left to right, and their horizontal centres. A
    component inside another's box (the dot of a dotted zero) belongs to that glyph.
    `in_line`: only what reaches the band between the tall glyphs' usual top and bottom, each
    cut where it runs past that band by more than a sixth of its height (a word may slope by
    a few pixels). A speck above or below the word is then no glyph ('1.100' with a speck under
    the dot, read '1.190'), and one touching a 0 stretches it little."""
    _, m = cv2.threshold(grey_crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, lab, st, _ = components(m)
    ids = [i for i in range(1, n) if st[i, cv2.CC_STAT_AREA] >= 6]
    x0, y0, x1, y1 = (st[:, 0], st[:, 1], st[:, 0] + st[:, 2], st[:, 1] + st[:, 3])
    comps = sorted((i for i in ids if not any(
        j != i and x0[j] <= x0[i] and y0[j] <= y0[i] and x1[i] <= x1[j] and y1[i] <= y1[j] for j in ids)),
        key=lambda i: st[i, 0])
    top, bottom, slack = 0, grey_crop.shape[0], grey_crop.shape[0]
    if in_line and comps:
        tall = [i for i in comps if st[i, 3] >= 0.6 * max(st[j, 3] for j in comps)]
        top, bottom = int(np.median([y0[i] for i in tall])), int(np.median([y1[i] for i in tall]))
        slack = max(2, round((bottom - top) / 6))
        comps = [i for i in comps if y0[i] < bottom and y1[i] > top]
    out, xs = [], []
    for i in comps:
        x, y, w, h = st[i, :4]
        r0, r1 = max(y, top - slack), min(y + h, bottom + slack)
        out.append(lab[r0:r1, x:x + w] == i)
        xs.append(x + w / 2)
    return out, xs


def lost_bands(grey, words: list[dict], pitch: float | None) -> list[tuple[int, int, int, int]]:
    """Stretches of typed ink on a text line that no word covers: Tesseract's layout analysis
    sometimes drops a whole line beside a faded stamp's speckle ('Отправлена 13.08.1937 г.').
    Each is (x0, y0, x1, y1) on the cleaned page, from its first lost stretch to its last.
    It runs on every page, so it works from component boxes, strip by strip (2 ms a page; not
    at half size, where a glyph ran into a stamp's frame)."""
    heights = [w["bbox"][3] - w["bbox"][1] for w in words if re.fullmatch(r"[А-Яа-яЁё]{4,}", w["text"])]
    if len(heights) < 5:
        return []
    h = float(np.median(heights))
    cell = int(pitch or 0.7 * h)
    ink = (grey < LOST_INK).astype(np.uint8)
    for w in words:
        x0, y0, x1, y1 = w["bbox"]
        ink[max(0, y0 - 2):y1 + 2, max(0, x0 - cell):x1 + cell] = 0
    # components strip by strip: no component crosses a row without ink, and most rows have none
    inked = np.flatnonzero(ink.any(axis=1))
    stats = [np.empty((0, 5), np.int32)]
    for run in np.split(inked, np.flatnonzero(np.diff(inked) > 1) + 1) if len(inked) else []:
        st = components(ink[run[0]:run[-1] + 1])[2][1:]
        st[:, 1] += run[0]
        stats.append(st)
    st = np.concatenate(stats)
    # letters and digits, not specks; nothing taller than two lines
    st = st[(st[:, cv2.CC_STAT_AREA] >= 0.04 * h * h) & (st[:, cv2.CC_STAT_HEIGHT] <= 2 * h)]
    if not len(st):
        return []
    top, bottom = st[:, 1], st[:, 1] + st[:, 3]
    rows = np.zeros(ink.shape[0] + 1, int)
    np.add.at(rows, top, 1)
    np.add.at(rows, bottom, -1)
    rows = np.flatnonzero(np.cumsum(rows)[:-1] > 0)
    bands = []
    for run in np.split(rows, np.flatnonzero(np.diff(rows) > 0.3 * h) + 1):
        y0, y1 = int(run[0]), int(run[-1]) + 1
        if not 0.5 * h <= y1 - y0 <= 2.2 * h:
            continue
        on = st[(top < y1) & (bottom > y0)]
        spans = sorted(zip(on[:, 0], on[:, 0] + on[:, 2]))
        pieces, (a, b) = [], spans[0]
        for x0, x1 in spans[1:] + [(np.inf, np.inf)]:
            if x0 - b > 2 * cell:
                pieces.append((a, b))
                a = x0
            b = max(b, x1)
        pieces = [p for p in pieces if p[1] - p[0] >= 3 * cell]  # shorter: marks, a speck's trail, a lone letter
        if pieces:
            bands.append((int(pieces[0][0]), y0, int(pieces[-1][1]), y1))
    return bands


def middle(w: dict) -> tuple[float, float]:
    x0, y0, x1, y1 = w["bbox"]
    return (x0 + x1) / 2, (y0 + y1) / 2


def recover_lines(grey, words: list[dict], pitch: float | None) -> list[dict]:
    """Read each lost stretch again as one line (psm 7) and put its words in reading order;
    words Tesseract had read inside that stretch (junk over the stamp) give way to them."""
    bands, crops, pad = lost_bands(grey, words, pitch), [], 10  # a white margin helps Tesseract
    for x0, y0, x1, y1 in bands:
        h = y1 - y0
        top, left = max(0, y0 - h // 3), max(0, x0 - h)
        crops.append((top, left, cv2.copyMakeBorder(grey[top:y1 + h // 3, left:x1 + h], pad, pad, pad, pad,
                                                    cv2.BORDER_CONSTANT, value=255)))
    # every band in one Tesseract process (the same reads as one each, without a start-up each)
    datas = image_data_each([c for _, _, c in crops], LANG, LINE_CONFIG, PAGE_TIMEOUT)
    for (x0, y0, x1, y1), (top, left, _), d in zip(bands, crops, datas):
        found = [w for w in words_of(d) if re.search(r"[\w№]", w["text"])] if d else []
        if not found or float(np.median([w["conf"] for w in found])) < JUNK_CONF:
            continue  # junk as a whole (a stamp's frame, a scribble); psm 7 gives some good words 0
        words = [w for w in words if not (x0 <= middle(w)[0] <= x1 and y0 <= middle(w)[1] <= y1)]
        same = [w for w in words if y0 <= middle(w)[1] <= y1]  # the rest of its line, if any
        before = next((i for i, w in enumerate(words) if middle(w)[1] > y1), len(words))
        key = same[0]["line"] if same else (*(words[before - 1]["line"][:2] if before else (0, 0)), f"recovered-{y0}")
        for w in found:
            bx0, by0, bx1, by1 = w["bbox"]
            w["bbox"] = [bx0 + left - pad, by0 + top - pad, bx1 + left - pad, by1 + top - pad]
            w["line"], w["recovered"] = tuple(key), True
        if same:  # the line's words, old and new, left to right, where the line stood
            ids = {id(w) for w in same}
            at = next(i for i, w in enumerate(words) if id(w) in ids)
            rest = [w for w in words if id(w) not in ids]
            words = rest[:at] + sorted(same + found, key=lambda w: w["bbox"][0]) + rest[at:]
        else:
            words = words[:before] + found + words[before:]
    return words


def page_pitch(words: list[dict]) -> float | None:
    """The typewriter's pitch on this page, from confidently read long words: a word of n
    cells spans about (n - 0.4) pitches (the last glyph is narrower than its cell)."""
    ps = [(w["bbox"][2] - w["bbox"][0]) / (len(w["text"]) - 0.4) for w in words
          if w["conf"] >= 90 and len(w["text"]) >= 6 and re.fullmatch(r"[А-Яа-яЁё]+", w["text"])]
    return float(np.median(ps)) if len(ps) >= 5 else None


def cells(xs: list, rest: str, day: str = "", pitch: float | None = None) -> int:
    """How many characters the word holds. Typewriters are monospaced: the pitch, measured
    between the year's digits (or the day's, when the year is a word of its own), counts the
    cells even where a faint stroke broke a glyph in two or two glyphs touch; without a
    measurable pitch, count the glyphs."""
    digits = re.search(r"\d+", rest)
    tail = len(rest) - digits.end() if digits else 0
    k = len(digits.group()) if digits else 0
    ref = []
    if k >= 2 and len(xs) >= k + tail:
        ref = xs[len(xs) - tail - k:len(xs) - tail]
    elif len(re.match(r"\d*", day.translate(DAY_DIGITS)).group()) >= 2 and len(xs) >= 2:
        ref = xs[:2]
    if not pitch:
        pitch = float(np.median(np.diff(ref))) if len(ref) >= 2 else 0.0
    if pitch > 0:
        return int(round((xs[-1] - xs[0]) / pitch)) + 1
    return len(xs)


def symmetry(g) -> float:
    """Left-right mirror overlap: a typed 'I' is symmetric, a '1' has its flag on one side."""
    f = g[:, ::-1]
    return float((g & f).sum() / max(1, (g | f).sum()))


def _band(g, top: float, bottom: float) -> tuple[int, float]:
    """Ink runs across the rows of a horizontal band of a glyph (the most common count), and
    the band's ink extent as a share of the glyph's width."""
    h, w = g.shape
    rows = g[int(top * h):max(int(top * h) + 1, int(bottom * h))].astype(np.int8)
    starts = (np.diff(np.pad(rows, ((0, 0), (1, 0))), axis=1) == 1).sum(axis=1)
    on = np.flatnonzero(rows.any(axis=0))
    extent = (on[-1] - on[0] + 1) / w if len(on) else 0.0
    return int(np.bincount(starts).argmax()), extent


def has_hole(g) -> bool:
    """A 0, 6, 8 or 9 encloses paper; I, V and X do not."""
    n, _ = cv2.connectedComponents(np.pad(~g, 1, constant_values=True).astype(np.uint8), connectivity=4)
    return n > 2


def roman_glyph(g) -> str | None:
    """'I', 'V' or 'X' from a glyph's shape, or None. A band at a third of the height crosses
    a V's or an X's two arms but an I's one stem; the middle crosses a V's two arms but an X's
    one crossing; an X stays wide at its foot. A '1' is lopsided (its flag), a 0 or 8 has a
    hole. Measured on glyphs cut from Roman dates of stored bench pages (seeds 140-177): of
    2,700 I, V and X none was taken for another numeral (9% of the I's, 2% of the V's and X's
    left undecided), while 100 of 940 '1's were taken for I: hence a month read this way must
    hold a V or an X (shaped_month), and a day is never read from shapes."""
    h, w = g.shape
    if w > ROMAN_WIDEST * h or has_hole(g):
        return None  # two glyphs that touch, or a digit
    arms = _band(g, .15, .35)[0]  # high enough that an X's arms have not yet met
    (_, top), (mid_runs, _), (_, foot) = _band(g, .25, .35), _band(g, .45, .55), _band(g, .65, .75)
    if arms == 2 and mid_runs == 2 and top >= 0.6:
        return "V"
    if arms == 2 and mid_runs == 1 and top >= 0.45 and foot >= 0.45:
        return "X"
    if arms == 1 and top < 0.4 and foot < 0.4 and symmetry(g) >= I_SYMMETRY:
        return "I"
    return None


def is_slash(g) -> bool:
    """A '/': its ink leans, the top band's centre well right of the foot's."""
    h, w = g.shape
    top, foot = np.flatnonzero(g[:max(1, h // 4)].any(axis=0)), np.flatnonzero(g[-max(1, h // 4):].any(axis=0))
    return len(top) > 0 and len(foot) > 0 and (top.mean() - foot.mean()) > 0.4 * w


def date_groups(gs: list, xs: list, pitch: float | None = None) -> list[list[int]]:
    """The glyphs of full height, slashes left out, grouped wherever a typewriter cell stands
    empty or holds a dot, a dash or a slash: a date's day, month and year. Specks sit off
    the cells and do not split a group. A gap that holds a glyph's part of middle height (a
    faint I broken in two) is no separator: then no groups."""
    upright = [i for i, g in enumerate(gs) if not is_slash(g)]  # a slash stands taller than the digits
    if len(upright) < 3:
        return []
    top = max(gs[i].shape[0] for i in upright)
    kept = [i for i in upright if gs[i].shape[0] >= 0.75 * top]
    gaps = np.diff([xs[i] for i in kept])
    if len(gaps) < 2:
        return []
    cell = pitch or float(np.percentile(gaps, 25))
    groups = [[kept[0]]]
    for a, i, gap in zip(kept, kept[1:], gaps):
        if gap > 1.5 * cell:
            if any(gs[k].shape[0] >= 0.4 * top for k in range(a + 1, i) if k in upright):
                return []  # between them a part of a glyph (a faint I broken in two), no dot or dash
            groups.append([])
        groups[-1].append(i)
    return groups


def shaped_month(gs: list, groups: list[list[int]]) -> str | None:
    """The Roman month of a date word read from its glyphs' shapes alone: the second of its
    date_groups, after a day of one or two glyphs. It counts only when every glyph of it is
    clearly I, V or X and it holds a V or an X (where Tesseract's letters mislead most)."""
    if len(groups) < 2 or not 1 <= len(groups[0]) <= 2:
        return None
    numeral = "".join(roman_glyph(gs[i]) or "?" for i in groups[1])
    return numeral if numeral in ROMAN_MONTHS and set(numeral) & {"V", "X"} else None


def shaped_date(grey, word: dict, pitch: float | None = None) -> str | None:
    """A date whose Roman month Tesseract read as letters the Roman re-read does not take
    ('З/ИХТ', '7И/ТХ', '1ЗИХТ'): month from the glyphs' shapes, day from Tesseract's digits
    and look-alikes, as many as the day's glyphs (a look-alike read twice, 'ЗО0', once)."""
    lead = re.match(r"[^\w\\/]*", word["text"]).group()
    body = word["text"][len(lead):]
    m = LOOSE_DATE.match(body)
    if not m:
        return None
    x0, y0, x1, y1 = word["bbox"]
    gs, xs = glyphs(grey[y0:y1, x0:x1])
    groups = date_groups(gs, xs, pitch)
    numeral = shaped_month(gs, groups)
    if not numeral:
        return None
    raw = [c for c in m.group(1) if c.translate(LOOSE_DAY_DIGITS).isdigit()]
    want = len(groups[0])
    # one glyph read twice, as a digit and its look-alike letter ('ЗО0'): a real '11' stays two
    while len(raw) > want and (k := next((i for i in range(len(raw) - 1) if not (raw[i] + raw[i + 1]).isdigit()
                                          and raw[i].translate(LOOSE_DAY_DIGITS) == raw[i + 1].translate(LOOSE_DAY_DIGITS)),
                                         None)) is not None:
        del raw[k]
    day = "".join(raw).translate(LOOSE_DAY_DIGITS)
    if len(day) != want or not 1 <= int(day) <= 31:
        return None
    year = re.search(r"[.,:\-—–]\s*\d{2,4}\S*$", body)
    sep = "." if "." in m.group(2)[:1] else "/"
    return lead + day + sep + numeral + (year.group().replace(":", ".") if year else "")


def fix_roman_date(grey, word: dict, pitch: float | None = None) -> str | None:
    """Re-read the month of a date whose Roman numeral the rus model garbled, from the glyphs:
    their count gives the numeral's length, their symmetry tells 'I' from '1'."""
    lead = re.match(r"[^\w\\/]*", word["text"]).group()  # a speck read before the day: '°28.\\.38'
    body = word["text"][len(lead):]
    stray = any(c in STRAY for c in body)
    m = ROMAN_DATE.match(body.translate(DROP_STRAY))
    if not m:
        return None
    day, mid, rest = m.groups()
    if not re.search(r"\d", day.translate(DAY_DIGITS) + rest):
        return None
    if mid.isdigit() and len(mid) <= 2 and not set(mid) <= {"1"}:
        return None  # an Arabic month such as "12" or "02"
    x0, y0, x1, y1 = word["bbox"]
    gs, xs = glyphs(grey[y0:y1, x0:x1])
    while lead and len(gs) > 2 and gs[0].shape[0] < 0.6 * float(np.median([g.shape[0] for g in gs])):
        gs, xs = gs[1:], xs[1:]  # the speck's own glyph (a small one) does not count
    tail = len(rest.replace(" ", ""))
    if gs and rest.endswith((".", ",")) and gs[-1].shape[0] > 0.5 * max(g.shape[0] for g in gs):
        tail -= 1  # the closing dot left no glyph (too faint, or outside Tesseract's box)
    n = cells(xs, rest, day, pitch) - len(day) - tail
    shaped = shaped_month(gs, date_groups(gs, xs, pitch))
    if not (1 <= n <= 4 or shaped):
        return None
    mids = gs[len(day):len(day) + n]
    # Tesseract's letters still say where a V or an X stands ("ТУ", "1\\У": IV; "ХТ": XI)
    v = next((i for i, c in enumerate(mid) if c in V_LIKE), None)
    x = next((i for i, c in enumerate(mid) if c in X_LIKE), None)
    if shaped:
        numeral = shaped  # the glyphs' own shapes, when they are clear, over the letters' hints
    elif v == 0:
        numeral = "V" + "I" * (n - 1)
    elif v is not None and x is None:
        numeral = "I" * (n - 1) + "V"
    elif x == 0:
        numeral = "X" + "I" * (n - 1)
    elif x is not None:
        numeral = "I" * (n - 1) + "X"
    elif not set(mid) & set("1lI|") or (len(mid) >= 3 and re.search(r"\d", rest)):
        numeral = "I" * n  # read as letters ('Т', 'Г'), or '29.111.1938': no Arabic month either way
    elif stray:
        return None  # the stray mark's glyph would shift the month's glyphs: no symmetry test
    else:
        ones = [symmetry(g) for c, g in zip(day + "." * n + rest.replace(" ", ""), gs) if c == "1"]
        ref = max(ones) if ones else 0.68
        if sum(symmetry(g) for g in mids) / n <= ref + 0.1:
            return None  # really "1"s: an Arabic month 1 or 11
        numeral = "I" * n
    while numeral not in ROMAN_MONTHS and numeral.startswith("I"):
        numeral = numeral[1:]  # a stroke of the X read as one more I: "IIX"
    rest = re.sub(r"^:", ".", rest)  # '22.\\УТ1Т:1937': the dot before the year read as a colon
    return lead + day.translate(DAY_DIGITS) + numeral + rest.translate(DAY_DIGITS) if numeral in ROMAN_MONTHS else None


def fix_roman_dates(grey, words: list[dict], pitch: float | None = None) -> list[dict]:
    """Re-read Roman months, also in a date Tesseract split into words ("9." "\\/ТТ." "1938")."""
    out, i = [], 0
    while i < len(words):
        group = words[i:i + 3]
        if (len(group) == 3 and len({tuple(w["line"]) for w in group}) == 1
                and re.fullmatch(DAY, group[0]["text"])
                and re.fullmatch(ROMAN_READ + r"[.,/]?", group[1]["text"])
                and re.fullmatch(r"[.,/]?\d{2,4}\S*", group[2]["text"])):
            boxes = [w["bbox"] for w in group]
            joined = {**group[0], "text": "".join(w["text"] for w in group),
                      "conf": min(w["conf"] for w in group),
                      "bbox": [min(b[0] for b in boxes), min(b[1] for b in boxes),
                               max(b[2] for b in boxes), max(b[3] for b in boxes)]}
            fixed = fix_roman_date(grey, joined, pitch)
            if fixed:
                out.append({**joined, "tesseract": joined["text"], "text": fixed,
                            "conf": max(joined["conf"], REREAD_CONF)})
                i += 3
                continue
        w = words[i]
        fixed = fix_roman_date(grey, w, pitch) or shaped_date(grey, w, pitch)
        if fixed and fixed != w["text"]:
            # Tesseract's confidence was for its own reading; the glyph re-read was right
            # on every Roman date of the sample set, so it gets a fixed, fairly high one.
            w = {**w, "tesseract": w["text"], "text": fixed, "conf": max(w["conf"], REREAD_CONF)}
        out.append(w)
        i += 1
    return out


def fix_extra_nines(words: list[dict], pitch: float | None) -> list[dict]:
    """A figure read with one character more than the typewriter cells its box spans, and a 9
    beside a 0 ('30009' for 3000, '60900' for 6000): this typeface's 0 also reads as '09'.
    The 9 goes; the word keeps Tesseract's reading and a low confidence, so the value is
    flagged for review."""
    if not pitch:
        return words
    out = []
    for w in words:
        text = w["text"]
        spanned = round((w["bbox"][2] - w["bbox"][0]) / pitch + 0.4)  # cells, as in page_pitch
        if (re.fullmatch(r"\d[\d.,]{3,}", text) and len(text) == spanned + 1
                and not re.fullmatch(DATE_LIKE, text)
                and (m := re.search(r"(?<=0)9|9(?=0)", text))):
            w = {**w, "tesseract": text, "text": text[:m.start()] + text[m.end():], "conf": min(w["conf"], EXTRA_DIGIT_CONF)}
        out.append(w)
    return out


def hole_span(g) -> tuple[float, float] | None:
    """Top and bottom of the glyph's largest enclosed hole, as shares of its height."""
    cs, hier = cv2.findContours(g.astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    holes = [c for c, h in zip(cs, hier[0]) if h[3] != -1] if hier is not None else []
    if not holes:
        return None
    _, y, _, h = cv2.boundingRect(max(holes, key=cv2.contourArea))
    return y / g.shape[0], (y + h) / g.shape[0]


def is_zero(g) -> bool:
    span = hole_span(g)
    return bool(span) and span[0] < ZERO_HOLE[0] and span[1] > ZERO_HOLE[1]


def drop_nines(text: str, extra: int, after: bool) -> tuple[list[str], list[int]]:
    """Up to `extra` 9s read beside a 0 (after it, or before it) dropped: the characters left,
    and the indexes among them of the 0s that took them."""
    chars, absorbed = [], []
    for i, ch in enumerate(text):
        if extra > 0 and ch == "9" and after and chars and chars[-1] == "0":
            absorbed.append(len(chars) - 1)
        elif extra > 0 and ch == "9" and not after and text[i + 1:i + 2] == "0":
            absorbed.append(len(chars))
        else:
            chars.append(ch)
            continue
        extra -= 1
    return chars, absorbed


def drop_090(text: str, extra: int) -> tuple[list[str], list[int]]:
    """A 0 read as '090' ('250905/ш' for 2505/ш) made one 0 again while `extra` characters
    allow: the characters left, and the indexes among them of those 0s."""
    chars, absorbed, i = [], [], 0
    while i < len(text):
        if extra >= 2 and text[i:i + 3] == "090":
            absorbed.append(len(chars))
            chars.append("0")
            i, extra = i + 3, extra - 2
        else:
            chars.append(text[i])
            i += 1
    return chars, absorbed


def zeros_for_nines(chars, gs) -> str:
    """The characters with each 9 whose glyph (the one at its place) has a 0's hole made 0."""
    return "".join("0" if ch == "9" and is_zero(g) else ch for ch, g in zip(chars, gs))


def fix_zero_nines(grey, words: list[dict]) -> list[dict]:
    """A 0 read as 9 ('1900' for 1000, '3209' for 3200), as '09' or '90' ('790909' for
    7900, '290' for 20) or as '090' ('250905/ш' for 2505/ш), the commonest wrong figures here. A 9's hole is its upper loop
    (bottom at 0.5-0.65 of its height on the pages measured); a 0's runs the full height
    (0.86-0.97). When the word's glyphs map one to one onto its characters (a 9 beside a 0
    dropped for each glyph too few, if that 0 is one), each 9 whose glyph has a full-height
    hole is a 0."""
    out = []
    for w in words:
        text = w["text"]
        if "9" in text and re.search(r"\d", text):
            x0, y0, x1, y1 = w["bbox"]
            gs, _ = glyphs(grey[y0:y1 + 1, x0:x1 + 1], in_line=True)
            if len(gs) < len(text) and re.fullmatch(DATE_LIKE, text):
                out.append(w)  # '10.09.': IX read as '09' reads as the right month; no 9 goes
                continue
            chars, absorbed = drop_nines(text, len(text) - len(gs), after=True)
            if len(chars) != len(gs):
                chars, absorbed = drop_nines(text, len(text) - len(gs), after=False)  # '290' for 20
            if len(chars) != len(gs):
                chars, absorbed = drop_090(text, len(text) - len(gs))  # '250905/ш' for 2505/ш
            fixed = text
            if len(chars) == len(gs) and all(is_zero(gs[i]) for i in absorbed):
                fixed = zeros_for_nines(chars, gs)
            elif (len(chars) != len(gs) and (lead := re.match(r"\d+(?=[.,/])", text)) and "9" in lead[0]
                  and len(lead[0]) < len(gs) < len(text)):
                # the rest does not map ('19.\\Т.' for '10.VI.': a Roman month read as two letters);
                # the leading digits still are its first glyphs, one each
                fixed = zeros_for_nines(lead[0], gs) + text[lead.end():]
            if fixed != text:
                w = {**w, "tesseract": text, "text": fixed, "conf": REREAD_CONF}
        out.append(w)
    return out


def read_score(words: list[dict]) -> float:
    """How much text a read holds that Tesseract is sure of: each word's characters weighted by
    its confidence above GOOD_CONF (a junk word read from a pencil stroke or speckle counts
    against). Picking the better of two reads of a page by it came within 0.003 mean CER of
    always picking the better one (85 tune pages; by mean confidence 0.028, by sure words 0.034)."""
    return float(sum(len(w["text"]) * (w["conf"] - GOOD_CONF) for w in words))


def vote_lines(reads: list[list[dict]]) -> list[dict]:
    """Per line of reads[0] (the page's pick), the reading of that stretch the reads agree with
    most: the one whose edit distances to the others' sum least (reads[0]'s on a tie). Each read
    errs in its own places, so a misreading one read makes is outvoted by two that agree. A
    read with no words on the stretch does not vote, and a line with fewer than three voters
    stays as reads[0] has it: an empty or cut-short line would otherwise win as the nearest."""
    lines: dict = {}
    for w in reads[0]:
        lines.setdefault(tuple(w["line"]), []).append(w)
    out = []
    for key, line in lines.items():
        y0, y1 = min(w["bbox"][1] for w in line), max(w["bbox"][3] for w in line)
        x0, x1 = min(w["bbox"][0] for w in line) - VOTE_REACH, max(w["bbox"][2] for w in line) + VOTE_REACH
        cands = [line] + [c for c in ([w for w in r if y0 <= middle(w)[1] <= y1 and x0 <= middle(w)[0] <= x1]
                                      for r in reads[1:]) if c]
        if len(cands) >= 3:
            texts = [" ".join(w["text"] for w in sorted(c, key=lambda w: w["bbox"][0])) for c in cands]
            dist = [sum(Levenshtein.distance(t, o) for o in texts) for t in texts]
            line = sorted(cands[min(range(len(cands)), key=lambda i: (dist[i], i))], key=lambda w: w["bbox"][0])
        out += [{**w, "line": key} for w in line]
    return out


def third_read(gentle_path: str, words: list[dict], other: list[dict], read: dict) -> list[dict]:
    """On a poor page, the grey page read once more as one block of text (psm 6, other errors
    than psm 4's), and each line voted among the three reads (vote_lines) when all three are
    of a kind: a read scoring under VOTE_GATE of the best one's read_score (the grey read of a
    grainy page: noise) would outvote the good read with a bad one. Tuned on the uneven-strike
    and grain families: mean page CER 0.121 -> 0.110, pages worse than bare Tesseract 13 -> 8 of 64."""
    read.update(reads=3)
    try:
        third = read_words(gentle_path, config=VOTE_CONFIG, timeout=SECOND_READ_TIMEOUT)
    except StageError:  # optional as the second read: the pick of two stands
        read["third_read"] = f"gave up after {SECOND_READ_TIMEOUT} s"
        return words
    scores = [read_score(r) for r in (words, other, third)]
    if max(scores) <= 0 or min(scores) < VOTE_GATE * max(scores):
        return words
    read["voted"] = True
    return vote_lines([words, other, third])


def without_stamp_words(words: list[dict], marks: list[dict]) -> list[dict]:
    """The page's words less those that are a stamp's own: inside a stamp's box and spelling one
    of the words the clean stage read from that stamp. A read sees a stamp's faded letters too,
    and psm 6 (the third read) reads them as a line of text."""
    def key(text):
        return "".join(c for c in text.upper() if c.isalnum())

    stamps = [(m["bbox"], {key(t) for t in m["text"].split()} - {""}) for m in marks
              if m.get("kind") == "stamp" and m.get("text")]

    def stamped(w):
        x, y = (w["box"][0] + w["box"][2]) / 2, (w["box"][1] + w["box"][3]) / 2
        return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] and key(w["text"]) in ws for b, ws in stamps)
    return [w for w in words if not stamped(w)] if stamps else words


def uncovered_ink(grey, words: list[dict]) -> float:
    """The share of letter-sized ink on the (unwhitened) grey page that no word read with
    confidence >= GOOD_CONF covers: typed lines the cleaned read lost. About 15 ms a page."""
    sure = [w for w in words if w["conf"] >= GOOD_CONF]
    hs = [w["bbox"][3] - w["bbox"][1] for w in sure if len(w["text"]) >= 3]
    h = float(np.median(hs)) if len(hs) >= 3 else 30.0
    n, _, st, _ = components((grey < GREY_INK).astype(np.uint8))
    st = st[1:]
    letters = st[(st[:, 3] >= 0.3 * h) & (st[:, 3] <= 2 * h) & (st[:, 2] <= 3 * h) & (st[:, 4] >= 0.03 * h * h)]
    if not len(letters):
        return 0.0
    covered = np.zeros(grey.shape, bool)
    for w in sure:
        x0, y0, x1, y1 = w["bbox"]
        covered[max(0, y0 - 3):y1 + 3, max(0, x0 - 3):x1 + 3] = True
    cx = np.clip(letters[:, 0] + letters[:, 2] // 2, 0, grey.shape[1] - 1)
    cy = np.clip(letters[:, 1] + letters[:, 3] // 2, 0, grey.shape[0] - 1)
    out = ~covered[cy, cx]
    return float(letters[out, 4].sum() / letters[:, 4].sum())


def looks_poor(gentle, words: list[dict]) -> bool:
    """Is a cleaned page's read worth a second read from its grey page? When Tesseract doubts it
    (garbled strokes) or ink on the grey page lies outside every sure word (lost lines)."""
    return mean_conf(words) < SECOND_READ_CONF or uncovered_ink(gentle, words) > UNCOVERED_INK


def assemble(pages_words: list[list[dict]]) -> str:
    """Join words into the document text, giving each word its [start, end) span in it."""
    parts, pos = [], 0
    for p, words in enumerate(pages_words):
        if p:
            parts.append("\f")
            pos += 1
        last = None
        for w in words:
            if last is not None:
                sep = " " if w["line"] == last else "\n"
                parts.append(sep)
                pos += 1
            w["start"], w["end"] = pos, pos + len(w["text"])
            parts.append(w["text"])
            pos = w["end"]
            last = w["line"]
    return "".join(parts)


def ocr(ctx: DocContext) -> Path:
    """Stage entry: OCR every cleaned page listed in clean.json; write ocr.json."""
    cleaned = read_json(ctx.clean_json)
    pages_words, pages, turned = [], [], False
    for page in cleaned["pages"]:
        path = str(ctx.artifact(page["image"]))
        grey = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        # the clean stage's unwhitened page in the same pixel frame (none from an older clean stage)
        gentle_path = ctx.artifact(page["grey_image"]) if page.get("grey_image") else None
        gentle = cv2.imread(str(gentle_path), cv2.IMREAD_GRAYSCALE) if gentle_path and gentle_path.is_file() else None
        words = read_words(path)
        if mean_conf(words) < REORIENT_BELOW and (rot := osd_rotation(grey)):
            # An upside-down page reads as noise; only then pay for orientation detection,
            # and write the turn back to the clean stage's artifacts so boxes still map.
            matrix = page["matrix"]
            grey, m = turn(grey, matrix, rot)
            page["matrix"], page["rotation"] = m.tolist(), (page["rotation"] + rot) % 360
            atomic_write_bytes(ctx.artifact(page["image"]), encode_page(grey))
            if gentle is not None:
                gentle = turn(gentle, matrix, rot)[0]
                atomic_write_bytes(gentle_path, encode_page(gentle))
            words, turned = read_words(grey), True
        read = {"image": page["image"], "read_from": "clean", "reads": 1}
        if gentle is not None and gentle.shape == grey.shape and looks_poor(gentle, words):
            # the cleaned read looks poor: read the grey page too and keep the read Tesseract is
            # surer of; lost lines and glyph checks below then look at the image it came from
            try:
                other = read_words(str(gentle_path), timeout=SECOND_READ_TIMEOUT)
                read.update(reads=2, scores={"clean": round(read_score(words)), "grey": round(read_score(other))})
                if read_score(other) > read_score(words) + PREFER_CLEAN * abs(read_score(words)):
                    words, other, grey = other, words, gentle
                    read.update(image=page["grey_image"], read_from="grey")
                words = third_read(str(gentle_path), words, other, read)
            except StageError:
                read.update(reads=2, second_read=f"gave up after {SECOND_READ_TIMEOUT} s")
        pitch = page_pitch(words)
        words = recover_lines(grey, words, pitch)
        # 0s first: a day's dotted 0 read '09' ('З09/Х') hides the date from the Roman re-read
        words = fix_extra_nines(fix_roman_dates(grey, fix_zero_nines(grey, words), pitch), pitch)
        inv = np.linalg.inv(np.asarray(page["matrix"]))  # cleaned page -> source pixels
        for w in words:
            w["box"] = map_box(inv, w["bbox"])
            w["page"] = page["number"]
        words = without_stamp_words(words, page.get("marks", []))
        pages_words.append(words)
        pages.append({"number": page["number"], "confidence": round(mean_conf(words), 1), **read})
    if turned:
        write_json(ctx.clean_json, cleaned)
    text = assemble(pages_words)
    for words in pages_words:
        for w in words:
            w["line"] = list(w["line"])
    return write_json(ctx.ocr_json, {"version": VERSION, "config": CONFIG, "text": text,
                                     "pages": pages, "words": [w for ws in pages_words for w in ws]})
