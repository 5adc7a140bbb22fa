"""Where the project's data and models live, installed editable or not.

Lexicons ship inside the package (pipeline/data, package data). Models live in the repository's
models/ folder; a wheel installs them under <prefix>/share/telegrams/models. TELEGRAMS_MODELS
overrides both.
"""

import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"


def models_dir() -> Path:
    candidates = []
    if os.environ.get("TELEGRAMS_MODELS"):
        candidates.append(Path(os.environ["TELEGRAMS_MODELS"]))
    candidates += [PACKAGE.parent / "models", Path(sys.prefix) / "share" / "telegrams" / "models"]
    for c in candidates:
        if (c / "ner").is_dir():
            return c
    return candidates[0]


def ner_model_path() -> Path:
    return models_dir() / "ner"
