"""Tesseract, and only here: its version, whether it and its rus data are installed, the
traineddata it lists, orientation detection, and one read of an image. No other module imports
pytesseract or runs the tesseract binary; what a stage makes of the words read (filtering,
confidences, re-reads) stays with that stage.

pytesseract (a fifth of a second to import) is loaded by the first call that needs it.
"""

import functools
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import cv2

from .errors import EnvironmentProblem, StageError

LANG = "rus"  # the model the pipeline reads with
LIST_TIMEOUT = 5  # s for --list-langs, which answers in milliseconds

# Tesseract's OpenMP threading is several times slower than one thread on small machines;
# we parallelise across pages instead. Child processes inherit this.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _version() -> str:
    import pytesseract

    return str(pytesseract.get_tesseract_version()).split()[0]


@functools.lru_cache(maxsize=1)
def version() -> str:
    """Tesseract's version ('5.3.0'), or 'unknown' when it cannot be run."""
    try:
        return _version()
    except Exception:
        return "unknown"


def check(lang: str = LANG) -> str:
    """Tesseract's version, or EnvironmentProblem with what to install."""
    if not shutil.which("tesseract"):
        raise EnvironmentProblem("tesseract not found: apt-get install tesseract-ocr tesseract-ocr-rus (or run `make setup`)")
    if lang not in languages():
        raise EnvironmentProblem("Tesseract has no 'rus' data: apt-get install tesseract-ocr-rus")
    return _version()


@functools.lru_cache(maxsize=1)
def _list_langs() -> tuple[str | None, frozenset]:
    """`tesseract --list-langs`: the folder its first line names (where the traineddata is) and
    the names on the lines after it; (None, empty) when it cannot be run."""
    try:
        import pytesseract

        cmd = [pytesseract.pytesseract.tesseract_cmd, "--list-langs"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=LIST_TIMEOUT, check=False).stdout
    except Exception:
        return None, frozenset()
    lines = out.splitlines()
    first = lines[0] if lines else ""
    folder = first.split('"')[1] if '"' in first else None
    return folder, frozenset(line.strip() for line in lines[1:] if line.strip())


def languages() -> frozenset:
    """The traineddata Tesseract finds, script models too ('Cyrillic', or 'script/Cyrillic'
    from the tessdata repositories' layout): pytesseract.get_languages drops every name that is
    not lower-case letters, so this asks Tesseract itself."""
    return _list_langs()[1]


def model_sha256(lang: str = LANG) -> str | None:
    """sha256 of the traineddata Tesseract uses for `lang`, for result.json versions."""
    folder = _list_langs()[0]
    path = Path(folder) / f"{lang}.traineddata" if folder else None
    if not path or not path.exists():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def osd_rotation(grey) -> int | None:
    """Tesseract's orientation detection on a half-size copy: the clockwise turn (0/90/180/270)
    that stands the page upright, or None when it cannot tell. About 0.5 s a page, so it runs
    only on pages that need it."""
    import pytesseract

    small = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    try:
        osd = pytesseract.image_to_osd(small, config="--psm 0", output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError:
        return None  # too little text to tell
    return int(osd["rotate"]) if osd.get("orientation_conf", 0) >= 2 else None


def image_data(image, lang: str, config: str, timeout: float) -> dict:
    """One Tesseract read of an image (an array, or the path of an image file: cheaper,
    pytesseract then needs no temporary copy): image_to_data's columns as a dict of lists
    (text, conf, left, top, width, height, block_num, par_num, line_num, ...). StageError when
    Tesseract fails or takes longer than `timeout` seconds."""
    import pytesseract

    try:
        return pytesseract.image_to_data(image, lang=lang, config=config, output_type=pytesseract.Output.DICT,
                                         timeout=timeout)
    except RuntimeError as e:  # pytesseract's timeout: a page of pure noise can take Tesseract ages
        raise StageError(f"Tesseract gave up on a page after {timeout} s") from e


COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width",
           "height", "conf", "text")


def image_data_many(images: list, lang: str, config: str, timeout: float) -> list[dict]:
    """image_data for several images in one Tesseract process, which loads its model once: the
    images (arrays) go to PNG files named in a list file, and Tesseract reads each as a page of
    its own with the same settings, so each read equals a call of its own. One dict per image,
    in order. StageError when Tesseract fails or takes longer than `timeout` seconds."""
    import tempfile

    import pytesseract

    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="telegrams-tess-") as tmp:
        names = []
        for i, im in enumerate(images):
            names.append(str(Path(tmp) / f"{i:04d}.png"))
            cv2.imwrite(names[-1], im)
        listing = Path(tmp) / "images.txt"
        listing.write_text("\n".join(names) + "\n")
        cmd = [pytesseract.pytesseract.tesseract_cmd, str(listing), "stdout", "-l", lang, *config.split(), "tsv"]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as e:
            raise StageError(f"Tesseract gave up on {len(images)} images after {timeout} s") from e
    if run.returncode != 0:
        raise StageError(f"Tesseract failed: {run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode}")
    out = [{c: [] for c in COLUMNS} for _ in images]
    for line in run.stdout.splitlines()[1:]:  # the header row first
        cells = line.split("\t")
        if len(cells) < len(COLUMNS) or not cells[1].isdigit():
            continue
        page = out[int(cells[1]) - 1] if 0 < int(cells[1]) <= len(out) else None
        if page is None:
            continue
        for c, v in zip(COLUMNS, cells[:len(COLUMNS) - 1] + ["\t".join(cells[len(COLUMNS) - 1:])]):
            page[c].append(v if c == "text" else int(float(v)))  # conf cut to an int, as pytesseract does
    return out


def image_data_each(images: list, lang: str, config: str, timeout: float) -> list[dict | None]:
    """image_data_many, `timeout` seconds an image; when the batch fails, each image on its
    own, so that only an image Tesseract cannot read (an error, a timeout) gives None."""
    try:
        return image_data_many(images, lang, config, timeout * len(images))
    except Exception:
        out = []
        for im in images:
            try:
                out.append(image_data(im, lang, config, timeout))
            except Exception:
                out.append(None)
        return out
