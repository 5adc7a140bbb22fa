"""Synthetic renderer for 1937-38 cipher-telegram pages (OCR test fixtures).

A page is pre-printed form text (letterpress serif/bold sans) plus typewritten
Russian text, then degraded the way a flatbed scan or a phone photo would be.
Everything random comes from the seed, so a seed always gives the same image.
"""
from __future__ import annotations

import functools
import io
import math
import random
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_ROOT = Path("/usr/share/fonts/truetype")
FONTS = Path("/usr/share/fonts")
# Typewriter faces: key -> (Debian package, file glob under /usr/share/fonts, stroke boost in px at
# 200 dpi (thin faces look typed only with it), characters the face lacks -> what a typist typed).
# Every face renders Cyrillic and "№" unless `subst` says otherwise (checked with fc-query).
# Never add CMU Typewriter, PT Mono, GNU Typewriter or Nimbus Mono: they are reserved.
TYPED_FONTS = {
    "freemono": ("fonts-freefont-ttf", "truetype/freefont/FreeMono.ttf", 1.0, {}),
    "liberation": ("fonts-liberation", "truetype/liberation/LiberationMono-Regular.ttf", 0.0, {}),
    "dejavu": ("fonts-dejavu-core", "truetype/dejavu/DejaVuSansMono.ttf", 0.0, {}),
    "cousine": ("fonts-croscore", "truetype/croscore/Cousine-Regular.ttf", 0.0, {}),
    "noto": ("fonts-noto-mono", "truetype/noto/NotoMono-Regular.ttf", 0.0, {}),
    "hack": ("fonts-hack", "truetype/hack/Hack-Regular.ttf", 0.0, {}),
    "jetbrains": ("fonts-jetbrains-mono", "truetype/jetbrains-mono/JetBrainsMono-Regular.ttf", 0.0, {}),
    "firacode": ("fonts-firacode", "truetype/firacode/FiraCode-Regular.ttf", 0.0, {}),
    "agave": ("fonts-agave", "truetype/agave/agave-r-autohinted.ttf", 0.0, {}),
    "mononoki": ("fonts-mononoki", "truetype/mononoki/mononoki-Regular.ttf", 0.0, {"№": "N"}),
    "gomono": ("fonts-go", "*/Go-Mono.ttf", 0.0, {}),
    "ibm3270": ("fonts-3270", "truetype/3270/3270-Regular.ttf", 0.8, {}),
    "terminus": ("fonts-terminus", "truetype/terminus/TerminusTTF-4*.ttf", 0.0, {}),
    "fantasque": ("fonts-fantasque-sans", "truetype/fantasque-sans/Normal/TTF/FantasqueSansMono-Regular.ttf",
                  0.0, {}),
    "monoid": ("fonts-monoid", "truetype/monoid/Monoid-Regular.ttf", 0.0, {"№": "N"}),
}


@functools.lru_cache(maxsize=None)
def typed_font(key: str) -> tuple[str, float, dict]:
    """(file, stroke boost, substitutions) of a typewriter face; FreeMono for an unknown key."""
    _, pattern, boost, subst = TYPED_FONTS.get(key, TYPED_FONTS["freemono"])
    found = sorted(FONTS.glob(pattern))
    if not found:
        raise FileNotFoundError(f"font {key}: no {pattern} under {FONTS} (scripts/install-system.sh)")
    return str(found[0]), boost, subst


PRINTED_FONTS = ["freefont/FreeSerifBold.ttf", "liberation/LiberationSerif-Bold.ttf",
                 "dejavu/DejaVuSans-Bold.ttf", "freefont/FreeSansBold.ttf"]
STAMP_FONTS = ["dejavu/DejaVuSans-Bold.ttf", "freefont/FreeSansBold.ttf"]
STAMP_RGB = {"red": (205, 45, 55), "violet": (115, 55, 155), "blue": (45, 70, 175)}
SIZES = {"large": 1.5, "normal": 1.0, "small": 0.75}
PAGE_IN = (8.27, 11.69)
CAP_IN = 0.12          # capital height of normal text (~12pt typewriter)
PITCH = 1.9            # line pitch in cap heights (typewriter ~1.5 spacing)


def _font_path(candidates: list[str]) -> str:
    for rel in candidates:
        if (FONT_ROOT / rel).exists():
            return str(FONT_ROOT / rel)
    raise FileNotFoundError(f"none of the fonts {candidates} under {FONT_ROOT}")


@functools.lru_cache(maxsize=64)
def _font(path: str, cap_px: int) -> ImageFont.FreeTypeFont:
    # Size fonts by measured capital height so every face looks the same size.
    _, top, _, bottom = ImageFont.truetype(path, 100).getbbox("Н", anchor="ls")
    return ImageFont.truetype(path, max(6, round(100 * cap_px / (bottom - top))))


def _field(rng, h: int, w: int, cells: int = 6) -> np.ndarray:
    """Smooth random field in ~[0, 1] (illumination, ink unevenness, paper tone)."""
    small = rng.random((cells, cells)).astype(np.float32)
    return np.clip(cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC), 0, 1)


def _wrap(text: str, font, width: float) -> list[str]:
    if font.getlength(text) <= width:
        return [text]
    out, cur = [], ""
    for word in text.split():
        cand = f"{cur} {word}" if cur else word
        if font.getlength(cand) <= width:
            cur = cand
            continue
        if cur:
            out.append(cur)
        while font.getlength(word) > width:  # a single over-long word: hard break
            n = max(1, int(len(word) * width / font.getlength(word)))
            out.append(word[:n])
            word = word[n:]
        cur = word
    return out + ([cur] if cur else [])


def _layout(lines, look, W, H, dpi, pyr):
    """Draw text into two alpha masks (typed, printed); return them, typed boxes, gold."""
    s = dpi / 200
    cap = CAP_IN * dpi
    pitch = PITCH * cap
    typed_path, boost, subst = typed_font(look.get("font", "freemono"))
    stroke = max(1, round(boost * s)) if boost else 0
    printed_path = _font_path([pyr.choice(PRINTED_FONTS)] + PRINTED_FONTS)
    left = (1.0 + pyr.uniform(-0.1, 0.1)) * dpi
    right = W - 0.7 * dpi
    typed, printed = Image.new("L", (W, H), 0), Image.new("L", (W, H), 0)
    dt, dp = ImageDraw.Draw(typed), ImageDraw.Draw(printed)
    y, gold, boxes = 0.8 * dpi, [], []
    uneven, halves = float(look.get("uneven", 0)), []
    for item in lines:
        if isinstance(item, str):
            item = {"text": item}
        text, style = item.get("text", ""), item.get("style", "typed")
        if style == "typed":
            text = "".join(subst.get(c, c) for c in text)
        align, mult = item.get("align", "left"), SIZES[item.get("size", "normal")]
        y += item.get("gap", 0) * pitch
        if not text.strip():
            y += pitch
            continue
        font = _font(typed_path if style == "typed" else printed_path, round(cap * mult))
        for piece in _wrap(text.rstrip(), font, right - left):
            w = font.getlength(piece)
            x = {"left": left, "center": (W - w) / 2, "right": right - w}[align]
            base = y + cap * mult
            if base > H - 0.4 * dpi:
                raise ValueError(f"page overflow at line {piece!r}")
            if style == "typed":
                x += pyr.uniform(-1.5, 1.5) * s  # carriage never returns exactly
                cx = x
                for ch in piece:
                    if not ch.isspace():
                        # ribbon wear and uneven key strikes: some letters lighter
                        d = int(255 * (pyr.uniform(0.6, 0.8) if pyr.random() < 0.15 else pyr.uniform(0.88, 1.0)))
                        if uneven and pyr.random() < uneven:  # a worn machine: light, or half struck
                            d = int(d * pyr.uniform(0.35, 0.7))
                            if pyr.random() < 0.3:
                                halves.append((cx, base - cap * mult, cx + font.getlength(ch), base,
                                               pyr.random() < 0.5, pyr.uniform(0.15, 0.4)))
                        dt.text((cx + pyr.uniform(-0.4, 0.4), base + pyr.choice((-1, 0, 0, 1))), ch, font=font,
                                fill=d, anchor="ls", stroke_width=stroke, stroke_fill=d)
                    cx += font.getlength(ch)
                boxes.append((x, base - cap * mult, x + w, base))
            else:
                dp.text((x, base), piece, font=font, fill=255, anchor="ls")
            gold.append(piece)
            y += pitch * max(1.0, 0.95 * mult)
    if halves:  # the key hit the paper at an angle: one half of the letter barely shows
        ta = np.asarray(typed, np.float32)
        for x0, y0, x1, y1, top, f in halves:
            mid = round((y0 + y1) / 2)
            ys = slice(max(0, round(y0 - 2 * s)), mid) if top else slice(mid, round(y1 + 3 * s))
            ta[ys, max(0, round(x0)):round(x1)] *= f
        typed = Image.fromarray(ta.astype(np.uint8))
    return typed, printed, boxes, "\n".join(gold)


# stamp styles (tools/families.json, axis "stamp"): shape, faces, border, largest turn in degrees
STAMP_STYLES = {
    "rect": ("rect", STAMP_FONTS, "double", 7),
    "round": ("round", STAMP_FONTS, "double", 15),
    "incoming": ("rect", STAMP_FONTS, "double", 7),
    "oval": ("oval", ["liberation/LiberationSans-Bold.ttf", "croscore/Arimo-Bold.ttf"], "single", 20),
    "frame": ("rect", ["dejavu/DejaVuSerif-Bold.ttf", "freefont/FreeSerifBold.ttf"], "single", 10),
    "ruled": ("rect", ["liberation/LiberationSansNarrow-Bold.ttf", "liberation/LiberationSans-Bold.ttf"], "ruled", 8),
}


def _stamp(img, boxes, look, pyr, rng, dpi):
    if len(boxes) < 3:
        return
    s = dpi / 200
    pitch = PITCH * CAP_IN * dpi
    h = pitch * pyr.uniform(2.2, 2.9)  # tall enough to cross 2-3 typed lines
    k = pyr.randrange(1, len(boxes) - 1)
    text = look.get("stamp_text", "СЕКРЕТНО")
    rnd = pyr.random() < 0.5
    style = look.get("stamp_style")
    if style:  # a family's style; without one, rectangular or round at random as before families
        shape, faces, border, turn = STAMP_STYLES[style]
    else:
        shape, faces, border, turn = ("round", STAMP_FONTS, "double", 15) if rnd else ("rect", STAMP_FONTS, "double", 7)
    if shape in ("round", "oval") and "\n" not in text:  # a round stamp needs more room: two lines
        h *= 1.4 if shape == "round" else 1.15
        text = text.replace(" ", "\n", 1)
    rows = text.count("\n") + 1
    if rows > 2:
        h *= 1.0 + 0.3 * (rows - 2)
    g = 5 * s  # gap between the two borders
    fpath = _font_path([pyr.choice(faces)] + faces if style else faces)
    cap = (h - 2 * g) * (0.3 if rows <= 2 else 0.6 / rows)
    font = _font(fpath, round(cap))
    tw = lambda f: max(f.getlength(t) for t in text.split("\n"))
    # a rectangular stamp is cut to fit its text; a round one shrinks the text
    if shape == "round":
        w = h
    elif shape == "oval":
        w = h * pyr.uniform(1.6, 1.9)
    else:
        w = max(h * pyr.uniform(2.4, 3.2), tw(font) + 2 * g + 2 * cap)
    inner_w = (w - 2 * g) * (0.72 if shape != "rect" else 0.85)
    if tw(font) > inner_w:
        font = _font(fpath, max(6, round(cap * inner_w / tw(font))))
    S = int(max(w, h) * 1.3)
    im = Image.new("L", (S, S), 0)
    d = ImageDraw.Draw(im)
    c = S / 2
    box = lambda m: (c - w / 2 + m, c - h / 2 + m, c + w / 2 - m, c + h / 2 - m)
    draw = d.rectangle if shape == "rect" else d.ellipse
    draw(box(0), outline=255, width=max(2, round(3 * s)))
    if border == "double":
        draw(box(g), outline=255, width=max(1, round(1.5 * s)))
    if border == "ruled":  # an office's register stamp: a rule between its rows
        for j in range(1, rows):
            y = c - h / 2 + h * j / rows
            d.line((c - w / 2, y, c + w / 2, y), fill=255, width=max(1, round(2 * s)))
        for j, row in enumerate(text.split("\n")):
            d.text((c, c - h / 2 + h * (j + 0.5) / rows), row, font=font, fill=255, anchor="mm")
    else:
        d.text((c, c), text, font=font, fill=255, anchor="mm", align="center")
    im = im.rotate(pyr.uniform(-turn, turn), resample=Image.BICUBIC)
    a = np.asarray(im, np.float32) / 255
    # rubber stamps ink unevenly: smooth patches plus grain, never fully opaque
    a *= (0.45 + 0.55 * _field(rng, S, S, 4)) * (0.7 + 0.3 * rng.random((S, S), np.float32))
    a = cv2.GaussianBlur(a, (0, 0), 0.6 * s) * pyr.uniform(0.8, 0.95)
    x0, top, x1, base = boxes[k]
    cx = pyr.uniform(x0 + w / 2, max(x0 + w / 2, x1 - w / 2))
    cy = (top + base) / 2 + pyr.uniform(-0.25, 0.25) * pitch
    _multiply(img, a, int(cx - S / 2), int(cy - S / 2), STAMP_RGB[look["stamp"]])


def _multiply(img, a, ox, oy, rgb):
    """Multiply-blend coloured alpha `a` into img at (ox, oy), clipped to the image."""
    H, W = img.shape[:2]
    y0, x0, y1, x1 = max(oy, 0), max(ox, 0), min(oy + a.shape[0], H), min(ox + a.shape[1], W)
    if y1 <= y0 or x1 <= x0:
        return
    a = a[y0 - oy:y1 - oy, x0 - ox:x1 - ox, None]
    img[y0:y1, x0:x1] *= 1 - a * (1 - np.array(rgb, np.float32) / 255)


def _curve(pts, n=40):
    """Catmull-Rom through control points -> smooth hand-drawn polyline."""
    p = [pts[0]] + list(pts) + [pts[-1]]
    out = []
    for k in range(1, len(p) - 2):
        for t in np.linspace(0, 1, n, endpoint=False):
            out.append(tuple(0.5 * ((2 * p[k][j]) + (-p[k - 1][j] + p[k + 1][j]) * t
                       + (2 * p[k - 1][j] - 5 * p[k][j] + 4 * p[k + 1][j] - p[k + 2][j]) * t * t
                       + (-p[k - 1][j] + 3 * p[k][j] - 3 * p[k + 1][j] + p[k + 2][j]) * t ** 3)
                       for j in (0, 1)))
    return out + [tuple(pts[-1])]


def _pencil(img, boxes, pyr, rng, dpi):
    if not boxes:
        return
    H, W = img.shape[:2]
    s, cap = dpi / 200, CAP_IN * dpi
    im = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(im)
    lw = max(2, round(2.2 * s))
    j = lambda: pyr.uniform(-1, 1) * 2 * s
    # a tick in the left margin next to some typed line
    x0, top, x1, base = pyr.choice(boxes)
    tx, ty, u = x0 - 0.6 * dpi, base - cap * 0.6, cap * 0.7
    d.line(_curve([(tx, ty), (tx + u + j(), ty + u + j()), (tx + 3 * u + j(), ty - 2 * u + j())], 12),
           fill=255, width=lw, joint="curve")
    # a short cursive scrawl (a couple of "words") with a flourish under it, in the top margin
    sx, sy = pyr.uniform(0.5, 0.65) * W, pyr.uniform(0.35, 0.55) * dpi
    for _ in range(pyr.randint(1, 3)):
        pts, x = [], sx
        for k in range(pyr.randint(6, 12)):  # up/down zigzag, smoothed, reads as cursive
            x += pyr.uniform(0.4, 1.0) * cap
            up = pyr.uniform(0.7, 1.4) * cap * (2.0 if pyr.random() < 0.15 else 1.0)
            pts.append((x, sy - (up if k % 2 else 0) + 0.05 * (x - sx) + j()))
        d.line(_curve(pts, 10), fill=255, width=lw, joint="curve")
        sx = x + pyr.uniform(0.6, 1.0) * cap
    d.line(_curve([(pts[0][0] - cap, sy + 0.6 * cap), ((pts[0][0] + sx) / 2, sy + 0.9 * cap + j()),
                   (sx, sy + 0.4 * cap + 0.05 * (sx - pts[0][0]))]), fill=255, width=lw, joint="curve")
    # an underline under one typed line, slightly curved and sloping
    x0, _, x1, base = pyr.choice(boxes)
    ux0, ux1 = x0 + pyr.uniform(0, 0.3) * (x1 - x0), x1 + pyr.uniform(-0.1, 0.05) * (x1 - x0)
    uy = base + cap * 0.35
    mid = ((ux0 + ux1) / 2, uy + pyr.uniform(-0.2, 0.3) * cap)
    d.line(_curve([(ux0, uy + j()), mid, (ux1, uy + pyr.uniform(-0.4, 0.2) * cap)]),
           fill=255, width=lw, joint="curve")
    a = np.asarray(im, np.float32) / 255
    a *= 0.35 + 0.65 * rng.random(a.shape, np.float32)  # graphite grain on paper tooth
    a = cv2.GaussianBlur(a, (0, 0), 0.5 * s) * 0.85
    _multiply(img, a, 0, 0, (110, 110, 120))


def _fold(img, pyr, rng, dpi):
    H, W = img.shape[:2]
    s = dpi / 200
    yy = np.arange(H, dtype=np.float32)[:, None] - (pyr.uniform(0.38, 0.62) * H + pyr.uniform(-0.01, 0.01)
                                                  * (np.arange(W, dtype=np.float32)[None, :] - W / 2))
    strength = 0.5 + 0.5 * _field(rng, 1, W, 5)  # crease is not equally sharp everywhere
    prof = (1 - strength * (0.13 * np.exp(-(yy / (1.2 * s)) ** 2) + 0.05 * np.exp(-((yy + 7 * s) / (7 * s)) ** 2))
            + strength * 0.05 * np.exp(-((yy - 4 * s) / (3 * s)) ** 2))
    img *= prof[..., None]


def _specks(img, noise, pyr, dpi):
    H, W = img.shape[:2]
    s = dpi / 200
    im = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(im)
    for _ in range(int(noise * 80) + 2):
        x, y, r = pyr.uniform(0, W), pyr.uniform(0, H), pyr.uniform(0.5, 2.5) * s
        d.ellipse((x - r, y - r, x + r, y + r), fill=pyr.randint(80, 230))
    for _ in range(int(noise * 6)):  # hairs / fibres of dust
        x, y = pyr.uniform(0, W), pyr.uniform(0, H)
        pts = [(x + pyr.uniform(-25, 25) * s, y + pyr.uniform(-25, 25) * s) for _ in range(3)]
        d.line(_curve(pts, 10), fill=pyr.randint(60, 150), width=1)
    _multiply(img, np.asarray(im, np.float32) / 255, 0, 0, (40, 40, 40))


def _bed(page: Image.Image, pyr, rng, dpi) -> np.ndarray:
    s = dpi / 200
    pw, ph = page.size
    ml, mr, mt, mb = (pyr.uniform(0.03, 0.08) for _ in range(4))
    bw, bh = int(pw / (1 - ml - mr)), int(ph / (1 - mt - mb))
    g = pyr.uniform(60, 120)
    bed = (g + np.array([pyr.uniform(-4, 4) for _ in range(3)], np.float32)
           + 20 * (_field(rng, bh, bw, 4)[..., None] - 0.5) + rng.normal(0, 5, (bh, bw, 1)).astype(np.float32))
    ox, oy = int(ml * bw), int(mt * bh)
    alpha = np.zeros((bh, bw), np.float32)
    alpha[oy:oy + ph, ox:ox + pw] = np.asarray(page.getchannel("A"), np.float32) / 255
    # the lid / a phone casts a soft shadow along the page edge
    shadow = cv2.GaussianBlur(np.roll(alpha, (int(4 * s), int(3 * s)), (0, 1)), (0, 0), 6 * s)
    bed *= (1 - 0.4 * shadow)[..., None]
    rgb = np.zeros((bh, bw, 3), np.float32)
    rgb[oy:oy + ph, ox:ox + pw] = np.asarray(page.convert("RGB"), np.float32)
    return bed * (1 - alpha[..., None]) + rgb * alpha[..., None]


def _light(img, kind, pyr):
    H, W = img.shape[:2]
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    if kind == "gradient":
        ang = pyr.uniform(0, 2 * math.pi)
        t = np.cos(ang) * xx / W + np.sin(ang) * yy / H
        t = (t - t.min()) / (t.max() - t.min())
        f = 1 - pyr.uniform(0.2, 0.27) * t
    else:  # shadow: one side much darker, soft edge like a hand/phone shadow
        side = pyr.randrange(4)
        t = [xx / W, 1 - xx / W, yy / H, 1 - yy / H][side]
        e = np.clip(t / pyr.uniform(0.3, 0.5), 0, 1)
        f = 0.5 + 0.5 * e * e * (3 - 2 * e)
    img *= f[..., None]


def _perspective(img, p, pyr):
    H, W = img.shape[:2]
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    sign = np.float32([[1, 1], [-1, 1], [-1, -1], [1, -1]])
    dst = src + sign * np.float32([[pyr.uniform(0, p) * W, pyr.uniform(0, p) * H] for _ in range(4)])
    M = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(img, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def render_page(lines: list, look: dict, seed: int) -> tuple[Image.Image, str]:
    """Render one page; return (RGB image as a scanner/phone would deliver it, gold text)."""
    pyr, rng = random.Random(seed), np.random.default_rng(seed)
    dpi = int(look.get("dpi", 200))
    W, H = round(PAGE_IN[0] * dpi), round(PAGE_IN[1] * dpi)
    typed, printed, boxes, gold = _layout(lines, look, W, H, dpi, pyr)

    paper_rgb = np.array([236, 228, 205], np.float32) + pyr.uniform(-10, 6) + rng.uniform(-3, 3, 3).astype(np.float32)
    img = np.empty((H, W, 3), np.float32)
    img[:] = paper_rgb
    img *= (1 + 0.05 * (_field(rng, H, W, 5) - 0.5))[..., None]  # aged paper is blotchy
    noise = float(look.get("noise", 0))
    if noise:  # paper fibre texture
        fib = cv2.GaussianBlur(rng.normal(0, 1, (H, W)).astype(np.float32), (0, 0), 1.2)
        img *= (1 + 0.08 * noise * fib / (fib.std() + 1e-6))[..., None]
    if look.get("grain"):  # coarse paper: fibre texture at two scales, yellowed mottling
        g = float(look["grain"])
        for sigma, amp in ((1.0 * dpi / 200, 0.10), (3.0 * dpi / 200, 0.08)):
            fib = cv2.GaussianBlur(rng.normal(0, 1, (H, W)).astype(np.float32), (0, 0), sigma)
            img *= (1 + g * amp * fib / (fib.std() + 1e-6))[..., None]
        mott = _field(rng, H, W, 9)
        img *= (1 - g * 0.12 * mott[..., None] * np.float32([0.6, 0.8, 1.2]))

    s = dpi / 200
    ink = np.array(pyr.choice([(45, 50, 78), (35, 38, 55), (28, 28, 32)]), np.float32) + pyr.uniform(-6, 6)
    ta = np.asarray(typed, np.float32) / 255
    ta *= 0.85 + 0.15 * rng.random(ta.shape, np.float32)  # ribbon fabric grain
    ta = cv2.GaussianBlur(ta, (0, 0), 0.6 * s)  # ink spread into paper
    if look.get("faded"):  # a worn ribbon: faint, soft type (look["faded"]: ink strength 0..1)
        ta = cv2.GaussianBlur(ta, (0, 0), 0.5 * s) * float(look["faded"])
    if look.get("carbon"):  # carbon copy: spread, soft strokes, a faint double, carbon smudge
        c = float(look["carbon"])
        soft = cv2.GaussianBlur(ta, (0, 0), (0.8 + c) * s)
        dx, dy = pyr.uniform(1.0, 2.5) * s, pyr.uniform(-1.0, 1.0) * s
        ghost = cv2.warpAffine(soft, np.float32([[1, 0, dx], [0, 1, dy]]), (W, H))
        ta = np.clip((0.9 - 0.3 * c) * np.maximum(soft * 1.4, 0) + (0.2 + 0.4 * c) * ghost, 0, 1)
        ta = np.maximum(ta, c * 0.25 * _field(rng, H, W, 6) ** 4)  # rubbed carbon
        ink = np.array(pyr.choice([(70, 60, 95), (60, 60, 70), (85, 70, 110)]), np.float32)
    pa = cv2.GaussianBlur(np.asarray(printed, np.float32) / 255, (0, 0), 0.4 * s)
    for a, rgb in ((pa, np.float32([22, 20, 20])), (ta, ink)):
        img = img * (1 - a[..., None]) + rgb * a[..., None]

    if look.get("stamp"):
        _stamp(img, boxes, look, pyr, rng, dpi)
    if look.get("pencil"):
        _pencil(img, boxes, pyr, rng, dpi)
    if look.get("fold"):
        _fold(img, pyr, rng, dpi)
    if noise:
        _specks(img, noise, pyr, dpi)

    page = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    skew = float(look.get("skew", 0))
    fill = tuple(int(v) for v in paper_rgb)
    if look.get("bed"):
        page = page.convert("RGBA")
        if skew:
            page = page.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=fill + (0,))
        img = _bed(page, pyr, rng, dpi)
    else:
        if skew:  # scanner crops to the page frame; corners show paper
            page = page.rotate(skew, resample=Image.BICUBIC, fillcolor=fill)
        img = np.asarray(page, np.float32).copy()

    if look.get("light"):
        _light(img, look["light"], pyr)
    if look.get("perspective"):
        img = _perspective(img, float(look["perspective"]), pyr)
    if look.get("blur"):
        img = cv2.GaussianBlur(img, (0, 0), float(look["blur"]))
    if noise:  # sensor noise
        img += rng.normal(0, 12 * noise, img.shape).astype(np.float32)

    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    rot = int(look.get("rotate", 0)) % 360
    if rot:  # delivered turned clockwise by `rot`
        out = out.transpose({90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                             270: Image.Transpose.ROTATE_90}[rot])
    if look.get("jpeg_quality"):  # bake in compression artefacts whatever the file format
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=int(look["jpeg_quality"]))
        out = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    out.info["dpi"] = (dpi, dpi)
    return out, gold


def save_document(pages: list[Image.Image], path: Path, quality: int = 85, dpi: int | None = None) -> None:
    """Write by suffix: .jpg/.png (one page), .tif (multi-page), .pdf (multi-page)."""
    path = Path(path)
    dpi = dpi or int(pages[0].info.get("dpi", (200, 200))[0])
    suf = path.suffix.lower()
    if suf in (".jpg", ".jpeg", ".png") and len(pages) != 1:
        raise ValueError(f"{suf} holds one page, got {len(pages)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suf in (".jpg", ".jpeg"):
        pages[0].save(path, "JPEG", quality=quality, dpi=(dpi, dpi))
    elif suf == ".png":
        pages[0].save(path, "PNG", dpi=(dpi, dpi))
    elif suf in (".tif", ".tiff"):
        pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:],
                      compression="tiff_deflate", dpi=(dpi, dpi))
    elif suf == ".pdf":
        pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    else:
        raise ValueError(f"unsupported suffix {suf}")


def render_document(doc: dict, out_dir: Path, seed: int) -> tuple[Path, list[str]]:
    """Render doc["pages"] with one look (page i uses seed + i); save; return (path, golds)."""
    look = doc.get("look", {})
    rendered = [render_page(lines, look, seed + i) for i, lines in enumerate(doc["pages"])]
    path = Path(out_dir) / f"{doc['doc_id']}.{doc['format']}"
    save_document([im for im, _ in rendered], path, quality=int(look.get("jpeg_quality", 85)),
                  dpi=int(look.get("dpi", 200)))
    return path, [g for _, g in rendered]
