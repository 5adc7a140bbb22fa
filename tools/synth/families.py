"""The fixed family split of the synthetic telegrams: tools/families.json.

    from tools.synth import families
    split = families.load()                       # the parsed file
    families.values("typeface", "heldout")        # ["gomono", ...]
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

PATH = Path(__file__).resolve().parents[1] / "families.json"
AXES = ("typeface", "layout", "phrasing", "damage", "copy", "stamp")
SPLITS = ("tune", "calib", "heldout")


@functools.lru_cache(maxsize=1)
def _load() -> str:
    return PATH.read_text(encoding="utf-8")


def load() -> dict:
    """The split file: {"note", "axes": {axis: {split: [values]}}, "hard": [damage values], "describe"}."""
    return json.loads(_load())


def values(axis: str, split: str | None = None) -> list[str]:
    """An axis's values in one split, or all of them (tune and heldout; calib reuses tune)."""
    ax = load()["axes"][axis]
    if split is None:
        return list(dict.fromkeys(v for s in SPLITS for v in ax[s]))
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    return list(ax[split])
