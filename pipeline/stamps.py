"""Stamp text: the ink of a coloured stamp drawn on its own, turned level, read by Tesseract, and
its words snapped to a small grammar over the stamp lexicon (data/lexicon/stamps.json, months
from words.json), priced by the confusion model. Called by the clean stage, the one that still holds the page's colours.

    img = stamp_image(bgr, mark["bbox"])   # dark stamp strokes on white, typed text gone
    texts = read_stamps([img, ...])        # 'СОВ. СЕКРЕТНО', 'ЦК ВКП(б) ВХ. № 3958 7.VIII.37' or None
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from . import tesseract
from .extract import confusion
from .extract.grammar import alt, best_at, mark, number, opt, roman, seq, tokenize, word
from .extract.lexicon import group
from .images import colour_mask, components, row_sharpness

PAD = 8               # px of page kept around a stamp's box
HUE_SPREAD = 15       # OpenCV hue units: ink this close to the stamp's median hue is its ink
TYPED_V = 110         # brightest channel below this: typed ink (or stamp over it), as in colour_mask
FAINT = 0.25          # stamp-ink strength below this is typed ink's tinted edge or paper's tint
CAP_TARGET = 40       # px: the stamp's letters are scaled to about this height for Tesseract
MAX_TURN = 24         # degrees: stamps were struck at any slant; searched in 1-degree steps
CONFIG = "--psm 6 --oem 1"
TIMEOUT = 20          # s a stamp image
WORD_LIMIT = 1.2      # the grammar's word() limit: a slip costs more in a short word
PART_LIMIT = 2.0      # a part costing more than this explains nothing
MIN_LETTERS = 3       # letter-sized pieces a stamp image needs to be read
SURE = 4.0            # a read's score below this gives no text (КОПИЯ, the shortest stamp, scores 5)


def stamp_image(bgr: np.ndarray, bbox) -> np.ndarray:
    """The stamp's ink as dark strokes on white, level, scaled. Colour says where the stamp is
    (JPEG keeps colour only coarsely), brightness draws its strokes, typed strokes are filled
    from around them (a stamp stroke inside one, paper outside)."""
    x0, y0, x1, y1 = bbox
    H, W = bgr.shape[:2]
    crop = bgr[max(0, y0 - PAD):min(H, y1 + PAD), max(0, x0 - PAD):min(W, x1 + PAD)]
    h, s, v = (c.astype(np.float32) for c in cv2.split(cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)))
    mask = colour_mask(crop) > 0
    if mask.sum() < 50:
        return np.full((8, 8), 255, np.uint8)
    d = np.abs(h - float(np.median(h[mask])))
    d = np.minimum(d, 180 - d)
    chroma = (s / 255) * (v / 255) * np.clip(1 - (d - HUE_SPREAD) / HUE_SPREAD, 0, 1)
    area = cv2.GaussianBlur(chroma, (0, 0), 2.0)
    area = np.clip(area / max(float(np.percentile(area[mask], 80)), 1e-6), 0, 1)
    y = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY).astype(np.float32)
    paper = float(np.percentile(y, 90))
    ink = np.clip((paper - y) / max(paper - 90, 1) * area * 1.5, 0, 1)
    ink[ink < FAINT] = 0
    typed = cv2.dilate((v < TYPED_V).astype(np.uint8), np.ones((3, 3), np.uint8))
    img = cv2.inpaint((255 * (1 - ink)).astype(np.uint8), typed, 3, cv2.INPAINT_TELEA)
    img = letters_only(drop_border(img))
    img = turn(img, level_angle(img))
    hs = letter_heights(img)
    scale = min(4.0, max(1.0, CAP_TARGET / float(np.median(hs)))) if len(hs) else 2.0
    return cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)


def drop_border(img: np.ndarray) -> np.ndarray:
    """Without the stamp's border and rules: ink pieces spanning most of its width or height,
    or long thin ones (an arc of a ring)."""
    n, lab, st, _ = components((img < 160).astype(np.uint8))
    H, W = img.shape
    out = img.copy()
    for i in range(1, n):
        x, y, w, h, a = st[i]
        if w > 0.5 * W or h > 0.5 * H or (a < 0.15 * w * h and max(w, h) > 0.25 * max(H, W)):
            out[lab == i] = 255
    return out


def letters_only(img: np.ndarray) -> np.ndarray:
    """The box of the letter-like pieces (about the common height, solid enough), a margin
    around it; what lies outside (a ring's arcs, specks) goes."""
    n, lab, st, _ = components((img < 160).astype(np.uint8))
    if n < 2:
        return img
    st = st[1:]
    solid = st[(st[:, 4] >= 0.15 * st[:, 2] * st[:, 3]) & (st[:, 3] >= 6)]
    if not len(solid):
        return img
    h = float(np.median(solid[:, 3]))
    keep = solid[(solid[:, 3] >= 0.5 * h) & (solid[:, 3] <= 2.0 * h) & (solid[:, 2] <= 3.0 * h)]
    if not len(keep):
        return img
    m = int(0.6 * h)
    x0, y0 = max(0, keep[:, 0].min() - m), max(0, keep[:, 1].min() - m)
    x1, y1 = (keep[:, 0] + keep[:, 2]).max() + m, (keep[:, 1] + keep[:, 3]).max() + m
    out = np.full_like(img, 255)
    out[y0:y1, x0:x1] = img[y0:y1, x0:x1]
    return out[max(0, y0 - m):y1 + m, max(0, x0 - m):x1 + m]


def letter_heights(img: np.ndarray) -> np.ndarray:
    n, _, st, _ = components((img < 128).astype(np.uint8))
    st = st[1:]
    return st[(st[:, 4] >= 20) & (st[:, 3] >= 6), 3] if n > 1 else np.array([])


def level_angle(img: np.ndarray) -> float:
    """The turn that makes the stamp's rows level: the sharpest row profile (as a page's skew)."""
    inv = (255 - img).astype(np.float32)
    small = cv2.resize(inv, None, fx=200 / max(inv.shape), fy=200 / max(inv.shape), interpolation=cv2.INTER_AREA)
    h, w = small.shape
    big = cv2.copyMakeBorder(small, h // 2, h // 2, w // 2, w // 2, cv2.BORDER_CONSTANT, value=0)  # room to turn
    return float(max(range(-MAX_TURN, MAX_TURN + 1), key=lambda a: row_sharpness(big, float(a), cv2.INTER_LINEAR)))


def turn(img: np.ndarray, degrees: float) -> np.ndarray:
    if not degrees:
        return img
    h, w = img.shape
    r = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1)
    cos, sin = abs(r[0, 0]), abs(r[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    r[0, 2] += nw / 2 - w / 2
    r[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(img, r, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=255)


def binarised(img: np.ndarray) -> np.ndarray:
    """Otsu's split with specks gone: the second image each stamp is read from."""
    _, b = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    n, lab, st, _ = components((b == 0).astype(np.uint8))
    if n > 1:
        small = st[1:, 4] < 0.08 * np.percentile(st[1:, 4], 90)
        b[np.isin(lab, np.flatnonzero(small) + 1)] = 255
    return b


# ---------------------------------------------------------------- a stamp's grammar
# Small parts, after extract.dates: each yields the part as the stamp writes it. Whatever no part
# explains (a border's stroke, a remnant of typed text) is left out of the mark's text.

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@lru_cache(maxsize=1)
def parts():
    # an abbreviation keeps its dot whether or not it was read; ВКП comes only as ВКП(б)
    register = {k: w.upper() for k, w in group("stamp_register_words").items()}
    words = {k: w.upper() for k, w in group("stamp_words").items() if k != "вкп"} | register
    months = {w: w for w in group("months")}
    day = number(1, 31, (1, 2))
    year = alt(number(1936, 1939, (4, 4)), number(36, 39, (2, 2)))
    month = alt(seq(roman(), build=lambda m: ROMAN[m - 1]), seq(number(1, 12, (1, 2)), build=lambda m: f"{m:02d}"))
    sep = mark("./-")

    def broken(table):  # a word the stamp's uneven ink broke in two ('СЕКРЕ ТНО')
        keys = tuple(table)

        def part(toks, i):
            if i + 1 < len(toks) and toks[i].kind == toks[i + 1].kind == "w" and toks[i].line == toks[i + 1].line:
                for cand, c in confusion.best(toks[i].low + toks[i + 1].low, keys, 1.5, k=1):
                    yield i + 2, table[cand], c + 0.3
        return part

    def longer(p):  # a lone letter is too little to tell a word by
        return lambda toks, i: p(toks, i) if i < len(toks) and len(toks[i].text) >= 2 else iter(())

    def short(toks, i):  # any word of up to three letters, at a price
        if i < len(toks) and toks[i].kind == "w" and len(toks[i].text) <= 3:
            yield i + 1, toks[i].text, 0.6
    return alt(
        # ВКП(б): its brackets and letter, read or not
        seq(word({"вкп": "ВКП"}), opt(mark("(")), opt(word({"б": "б"}, limit=0.6, kinds="wn"), 0.3), opt(mark(")")),
            build=lambda *_: "ВКП(б)", gap=0),
        # Вх. № 1234 · ВХОДЯЩИЙ № 1234; a short word before '№' on a register stamp stands for Вх.
        seq(alt(word(register, limit=WORD_LIMIT, abbrev=True), seq(short, build=lambda _w: "ВХ.")), opt(mark(".")),
            alt(mark("№"), word({"№": "№"}, limit=0.8, kinds="wp")), number(1, 99999, (1, 5)),
            build=lambda w, _dot, _n, n: f"{w} № {n}"),
        # 7.VIII.37 · 5.02.1938
        seq(day, sep, month, sep, year, build=lambda d, s1, m, s2, y: f"{d}{s1}{m}{s2}{y}", gap=0),
        # «5» февраля 1938 г. · 5 ФЕВ 1938
        seq(opt(mark("«\"")), day, opt(mark("»\"")), word(months, limit=WORD_LIMIT), year,
            opt(word({"г": "г."}, limit=0.6), 0.05),
            build=lambda q1, d, q2, m, y, g: f"{'«' if q1 else ''}{d}{'»' if q2 else ''} {m} {y}{' г.' if g else ''}"),
        seq(alt(longer(word(words, limit=WORD_LIMIT)), broken(words)), opt(mark(".")), build=lambda w, _dot: w),
    )


def snap(read: str) -> tuple[str | None, float]:
    """A stamp's read as (text, score): the stamp grammar's parts as it writes them, from left to
    right. Score: characters explained less what they cost, less half of every letter or figure
    no part explains (a fifth of a mark). Text None unless the parts explain more than they
    leave and the score reaches SURE: a short word snapped out of typed text or noise is no
    stamp's text."""
    toks = [t for t in tokenize(read) if t.kind != "nl"]
    p, out, score, left, i = parts(), [], 0.0, 0, 0
    while i < len(toks):
        m = best_at(p, toks, i)
        if m and m[0] > i and m[2] <= PART_LIMIT:
            out.append(m[1])
            score += len(m[1]) - m[2]
            i = m[0]
        else:  # a stroke of the border read as a mark costs less than a letter read from nothing
            left += len(toks[i].text)
            score -= (0.5 if toks[i].kind != "p" else 0.2) * len(toks[i].text)
            i += 1
    explained = sum(len(o) for o in out)
    return (" ".join(out) if score >= SURE and explained > left else None), score


def read_stamps(images: list[np.ndarray]) -> list[str | None]:
    """Each stamp image read as it is and binarised, in one Tesseract process; the read that
    snaps best to the lexicon gives the text (None when neither holds a stamp word). An image
    with fewer than MIN_LETTERS letter-sized pieces (a crayon tick, a paper's mottle) is not read."""
    todo = [k for k, img in enumerate(images) if len(letter_heights(img)) >= MIN_LETTERS]
    variants = [v for k in todo for v in (images[k], binarised(images[k]))]
    reads = tesseract.image_data_each(variants, tesseract.LANG, CONFIG, TIMEOUT)
    out: list[str | None] = [None] * len(images)
    for j, k in enumerate(todo):
        best = (None, -np.inf)
        for d in reads[2 * j:2 * j + 2]:
            if d is None:
                continue
            lines: dict = {}
            for i, w in enumerate(d["text"]):
                if w.strip():
                    lines.setdefault((d["block_num"][i], d["par_num"][i], d["line_num"][i]), []).append(w)
            text, score = snap("\n".join(" ".join(ws) for ws in lines.values()))
            if text and score > best[1]:
                best = (text, score)
        out[k] = best[0]
    return out
