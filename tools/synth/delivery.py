"""Archival files ("дела") holding several telegrams, for the split benchmark and tests.

    from tools.synth.delivery import make_files, render_file
    files = make_files(25, seed=0, split="heldout")
    path = render_file(files[0], folder)      # one PDF or multi-page TIFF

A file: a cover sheet (half the files), 2-6 telegrams of 1-3 pages from tools.synth.varied (one
family split), now and then an inventory page, blank backs after some pages. A telegram's later
pages start with "- 2 -" half the time, else the text just runs on. file["documents"] is the
truth: each document's page range in the file (1-based, inclusive; a blank page belongs to the
document before it) and its kind, "telegram" (with its truth) or "other".

Cover and inventory wording comes in styles split like the families: tune on one set, report on
the other.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from .render import render_page, save_document
from .varied import make_documents

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь"]
# cover and inventory styles by split (same rule as tools/families.json: report on heldout only)
STYLES = {"tune": {"cover": ["osobyi", "nkvd"], "inventory": ["table"]},
          "calib": {"cover": ["osobyi", "nkvd"], "inventory": ["table"]},
          "heldout": {"cover": ["archive"], "inventory": ["list"]}}


def _printed(text: str, size: str = "normal", align: str = "center") -> dict:
    return {"text": text, "style": "printed", "size": size, "align": align}


def cover(r: random.Random, style: str, n_sheets: int) -> list:
    year = r.choice([1937, 1938])
    m1 = r.randrange(0, 10)
    d1, d2 = date(year, m1 + 1, r.randint(1, 20)), date(year, m1 + 3, r.randint(1, 28))
    delo = r.randint(3, 420)
    if style == "osobyi":
        return [_printed("ЦК ВКП(б)", "large"), _printed("ОСОБЫЙ СЕКТОР"), "", _printed(f"ДЕЛО № {delo}", "large"), "",
                "Шифртелеграммы секретарей обкомов, крайкомов", "и ЦК нацкомпартий",
                f"за {MONTHS[m1]} - {MONTHS[m1 + 2]} {year} г.", "",
                f"Начато {d1.day} {ROMAN[d1.month - 1]} {year} г.", f"Окончено {d2.day} {ROMAN[d2.month - 1]} {year} г.",
                "", f"На {n_sheets} листах", _printed("Хранить постоянно", "small", "left")]
    if style == "nkvd":
        return [_printed("НКВД СССР", "large"), _printed("Секретариат"), "", _printed(f"Дело № {delo}-с", "large"), "",
                "Переписка с УНКВД по вопросам", "работы троек и лимитов", "",
                f"Начато: {d1:%d.%m.%Y} г.", f"Окончено: {d2:%d.%m.%Y} г.", f"Листов: {n_sheets}",
                _printed("Срок хранения - постоянно", "small", "left")]
    # archive: the label an archive puts on a file it keeps
    return [_printed("РОССИЙСКИЙ ГОСУДАРСТВЕННЫЙ АРХИВ", "small"),
            _printed("СОЦИАЛЬНО-ПОЛИТИЧЕСКОЙ ИСТОРИИ", "small"), "",
            _printed(f"Фонд № 17   Опись № {r.choice([42, 162, 166])}   Ед. хр. № {delo}"), "",
            "Материалы к протоколам заседаний", f"Политбюро ЦК ВКП(б) {year} г.", "",
            f"Крайние даты: {d1:%d.%m.%Y} - {d2:%d.%m.%Y}", f"Количество листов: {n_sheets}",
            _printed("Копирование без разрешения запрещено", "small")]


def inventory(r: random.Random, style: str, docs: list[dict], start_sheet: int) -> list:
    rows, sheet = [], start_sheet
    for i, d in enumerate(docs, 1):
        t = d["truth"]
        where = t.get("origin") or "НКВД СССР"
        n = len(d["pages"])
        sheets = f"{sheet}-{sheet + n - 1}" if n > 1 else f"{sheet}"
        num = t.get("reference_number") or "б/н"
        if style == "table":
            rows.append(f"{i}. Шифртелеграмма, {where}, № {num}     {sheets}")
        else:
            rows.append(f"{i}) {where}. Телеграмма № {num} - л. {sheets}")
        sheet += n
    head = ([_printed("ВНУТРЕННЯЯ ОПИСЬ", "large"), _printed("документов дела"), "",
             "№    Наименование документа      Листы"] if style == "table" else
            [_printed("ПЕРЕЧЕНЬ", "large"), _printed("документов, помещенных в деле"), ""])
    return head + rows + ["", f"Итого: {sheet - start_sheet} листов" if style == "table" else
                          f"Всего документов: {len(docs)}"]


def make_files(n: int, seed: int = 0, split: str = "heldout", hard: bool = False) -> list[dict]:
    """n files: {"file_id", "format", "dpi", "pages": [(lines, look)], "documents": truth}.
    File i depends only on (seed, i, split, hard)."""
    styles = STYLES[split]
    files = []
    for i in range(n):
        r = random.Random(f"delivery/{seed}/{i}/{split}/{hard}")
        docs = make_documents(r.randint(2, 6), seed=100_000 + 1000 * seed + i, hard=hard, split=split)
        dpi = int(docs[0]["look"].get("dpi", 200))
        plain = {"skew": round(r.uniform(-1, 1), 1), "noise": round(r.uniform(0.1, 0.3), 2), "dpi": dpi,
                 "font": docs[0]["look"]["font"]}
        pages, documents = [], []

        def add(lines, look, kind, truth=None, blank_after=0.1):
            first = len(pages) + 1
            for lines_ in lines:
                pages.append((lines_, {**look, "dpi": dpi}))
                if r.random() < blank_after:  # the blank back of a sheet
                    pages.append(([], {k: v for k, v in plain.items()}))
            documents.append({"pages": [first, len(pages)], "kind": kind, "truth": truth})

        if r.random() < 0.5:
            add([cover(r, r.choice(styles["cover"]), r.randint(40, 400))], plain, "other", blank_after=0.3)
        inv_at = r.randrange(len(docs) + 1) if r.random() < 0.25 else None
        for k, d in enumerate(docs):
            if k == inv_at:
                add([inventory(r, r.choice(styles["inventory"]), docs, r.randint(1, 30))], plain, "other")
            tele = [list(p) for p in d["pages"]]
            if len(tele) == 2 and r.random() < 0.4 and len(tele[1]) >= 6:  # a third sheet
                cut = len(tele[1]) // 2
                tele = [tele[0], tele[1][:cut], tele[1][cut:]]
            for j in range(1, len(tele)):
                if r.random() < 0.5:
                    tele[j] = [{"text": f"- {j + 1} -", "style": "typed", "align": "center"}, ""] + tele[j]
            add(tele, d["look"], "telegram", {**d["truth"], "doc_id": d["doc_id"], "families": d["families"]})
        if inv_at == len(docs):
            add([inventory(r, r.choice(styles["inventory"]), docs, r.randint(1, 30))], plain, "other")
        files.append({"file_id": f"delo{seed}{'h' if hard else ''}_{i:03d}", "format": r.choice(["pdf", "tif"]),
                      "dpi": dpi, "pages": pages, "documents": documents})
    return files


def render_file(file: dict, folder: Path, seed: int = 0) -> Path:
    """Render every page (page k uses seed + k) and save the file as PDF or multi-page TIFF."""
    images = [render_page(lines, look, seed + k)[0] for k, (lines, look) in enumerate(file["pages"])]
    path = Path(folder) / f"{file['file_id']}.{file['format']}"
    save_document(images, path, quality=85, dpi=file["dpi"])
    return path
