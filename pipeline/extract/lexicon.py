"""The vocabularies, from data/lexicon/*.json (each entry cites its source): lower-case word -> value."""

import json
from functools import lru_cache

from ..paths import DATA

KINDS = ("requested", "approved", "sentenced", "registered", "other")


@lru_cache(maxsize=None)
def _file(name: str):
    return json.loads((DATA / "lexicon" / f"{name}.json").read_text(encoding="utf-8"))


def _words(values, value=None) -> dict:
    # without their dots; a phrase for a value ('взято на учет': registered) by its longest word
    items = values.items() if isinstance(values, dict) else ((v, value if value is not None else v) for v in values)
    out = {}
    for w, v in items:
        words = w.lower().split()
        if len(words) > 1 and value is None:
            continue
        key = max(words, key=len).strip(".") if words else ""
        if key:
            out.setdefault(key, v)
    return out


@lru_cache(maxsize=None)
def group(name: str) -> dict:
    """A named vocabulary: 'months', 'kind_cues', 'title_heads', ..."""
    def w(key, value=None):
        return _words(_file("words")[key]["values"], value)

    if name == "months":
        return {**w("months_genitive"), **w("months_nominative"), **w("months_prepositional"),
                **w("month_abbreviations")}
    if name == "category_ordinals":
        return {k: v for k, v in {**w("category_first", 1), **w("category_second", 2)}.items() if k.isalpha()}
    if name == "category_cues":
        return {**w("cue_first_category", 1), **w("cue_second_category", 2)}
    if name == "kind_cues":
        return {k: v for kind in reversed(KINDS) for k, v in w(f"kind_{kind}", kind).items()}
    if name == "people_words":
        return {**w("people_words"), **_words(_file("grammar")["people_nouns"]["values"])}
    if name in ("comrade", "not_own_number", "form_words", "secret_words", "file_words"):
        return _words(_file("grammar")[name]["values"])
    if name in ("stamp_words", "stamp_register_words"):  # 'сов' -> 'сов.': a stamp keeps the dot
        return _words(_file("stamps")[name.removeprefix("stamp_")]["values"])
    if name == "title_heads":
        return {x["word"].split()[-1]: x["word"] for x in _file("titles") if x["kind"] in ("head", "head_dative")}
    if name == "title_words":
        return {t: t for x in _file("titles") for t in _title_words(x)}
    if name == "number_words":
        return {k: v for k, v in w("number_words").items() if v < 1000}
    return w({"hour_units": "time_units_hours", "minute_units": "time_units_minutes"}.get(name, name))


def _title_words(x: dict):
    for key in ("word", "title", "dative"):
        for part in (x.get(key) or "").split():
            if part.islower():
                yield part.strip(",")
    for form in x.get("forms", []):
        if form.islower() and " " not in form:
            yield form


@lru_cache(maxsize=1)
def acronyms() -> dict:
    """'ВКП(Б)' -> 'ВКП(б)': acronyms in their own case."""
    out = {}
    for x in _file("titles"):
        for s in [x.get("word"), x.get("title"), x.get("party"), *x.get("forms", [])]:
            for part in (s or "").split():
                if sum(c.isupper() for c in part) >= 2:
                    out[part.upper()] = part
    return out


@lru_cache(maxsize=1)
def cities() -> dict:
    """Every form of a city's name -> its nominative."""
    out = {}
    for c in _file("cities"):
        for f in [c["name"], c.get("genitive"), *c.get("other_forms", [])]:
            if f:
                out.setdefault(f.lower().replace("ё", "е"), c["name"])
    return out


@lru_cache(maxsize=1)
def city_adjectives() -> dict:
    return {s.lower(): c["name"] for c in _file("cities") for s in c.get("adjective_stems", []) if len(s) >= 5}


@lru_cache(maxsize=2)
def leaders(dative: bool = False) -> dict:
    """Every form of a leader's surname (or its dative only) -> the nominative."""
    out = {}
    for p in _file("leaders"):
        for f in [p.get("dative")] if dative else [p["surname"], p.get("dative"), *p.get("other_forms", [])]:
            if f:
                out.setdefault(f.lower(), p["surname"])
    return out


@lru_cache(maxsize=1)
def signatories() -> dict:
    return {p["surname"].lower(): p["surname"] for p in _file("signatories")}


@lru_cache(maxsize=1)
def not_names() -> frozenset:
    """Capitalised words that are no surname: titles, offices, markers, months, cue words."""
    words = set(group("title_words")) | set(group("title_heads")) | {a.lower() for a in acronyms()}
    for key, vals in _file("words").items():
        if key.startswith(("kind_", "cue_", "month", "sent", "received", "document", "header", "secrecy")):
            words |= set(_words(vals["values"]))
    return frozenset(w for w in words if len(w) >= 3)
