"""The project's own spaCy NER model (models/ner): entities for result.json."""

import json
import threading
from functools import lru_cache

from ..paths import ner_model_path

_LOAD_LOCK = threading.Lock()   # worker threads that reach extract together load the model once
_RUN_LOCK = threading.Lock()    # one spaCy pipeline shared by the batch's worker threads


@lru_cache(maxsize=1)
def _load():
    path = ner_model_path()
    if not (path / "meta.json").exists():
        return None
    import spacy

    return spacy.load(path)


def ner_model():
    with _LOAD_LOCK:
        return _load()


def preload() -> None:
    """Load the model in the background; a failure is left for the first extract to raise."""
    def load():
        try:
            ner_model()
        except Exception:
            pass
    threading.Thread(target=load, name="ner-preload", daemon=True).start()


def entities(text: str) -> list[dict]:
    """The model's entities in the text, with offsets into it ([] without a model)."""
    nlp = ner_model()
    if nlp is None:
        return []
    out, pos = [], 0
    for part in text.split("\f"):
        with _RUN_LOCK:
            doc = nlp(part)
        out += [{"label": e.label_, "text": e.text, "start": pos + e.start_char, "end": pos + e.end_char}
                for e in doc.ents]
        pos += len(part) + 1
    return out


def ner_version() -> str | None:
    """'name-version' of the model, None without one."""
    meta = ner_model_path() / "meta.json"
    if not meta.exists():
        return None
    m = json.loads(meta.read_text())
    return f"{m.get('name', 'ner')}-{m.get('version', '?')}"
