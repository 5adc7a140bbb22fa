"""Surnames: what looks like one, and its nominative (pymorphy3 for the case endings)."""

from functools import lru_cache

from . import confusion
from .lexicon import acronyms, not_names

VOWELS = set("аеёиоуыэюя")


@lru_cache(maxsize=1)
def morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def is_name_like(text: str) -> bool:
    """A word in capitals or capitalised that is no title, office, marker, acronym or common word."""
    core = text.strip(".,:;")
    if len(core) < 3 or not core.replace("-", "").isalpha():
        return False
    low = core.lower()
    if low in not_names() or confusion.best(low, tuple(not_names()), 0.5, k=1):
        return False
    if core.isupper():
        return any(c in VOWELS for c in low) and not core.endswith(tuple(acronyms()))
    if not (core[0].isupper() and core[1:].replace("-", "").islower() or "-" in core):
        return False
    # a word the dictionary knows, with no reading as a surname or a name, is a common one
    return not (morph().word_is_known(low) and
                not any({"Surn", "Name"} & set(p.tag.grammemes) for p in morph().parse(low)))


def title_case(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def nominative(text: str, dative: bool = False) -> str:
    """'СТАЛИНУ' -> 'Сталин', 'Ежову' -> 'Ежов', 'Кагановичу' -> 'Каганович'; a nominative stays."""
    word = title_case(text.strip(".,:;"))
    if not dative:
        return word
    for p in morph().parse(word):
        if {"datv"} <= set(p.tag.grammemes) and ({"Surn"} & set(p.tag.grammemes) or "NOUN" in p.tag):
            if form := p.inflect({"nomn", "sing"}):
                return title_case(form.word)
    for end, repl in (("ову", "ов"), ("еву", "ев"), ("ину", "ин"), ("ыну", "ын"), ("ому", "ий"), ("у", ""), ("ю", "ь")):
        if word.lower().endswith(end) and len(word) > len(end) + 2:
            return word[: len(word) - len(end)] + repl
    return word
