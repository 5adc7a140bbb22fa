"""A document's context: where its input is and where each stage writes its artifact.

Stages take a context, read the artifacts of the stages before them from disk, write their own
and return its path. So any stage can be rerun alone from what is on disk.
"""

import functools
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

STAGES = ("clean", "ocr", "extract", "write")


@dataclass
class DocContext:
    doc_id: str
    source: Path          # as given on the command line (or found under a folder given there)
    out: Path             # the run's output folder
    options: dict = field(default_factory=dict)

    @property
    def pages_in_file(self) -> list[int] | None:
        """[first, last] of this document's pages in its file (split.py), None for a whole file."""
        return self.options.get("pages_in_file")

    @property
    def page_range(self) -> tuple[int, int | None]:
        """(first, last) for images.load_pages: the document's pages, or the whole file."""
        return tuple(self.pages_in_file) if self.pages_in_file else (1, None)

    def file_page(self, number: int) -> int:
        """The file's page number of this document's page `number` (both 1-based)."""
        return number + (self.pages_in_file[0] - 1 if self.pages_in_file else 0)

    @property
    def dir(self) -> Path:
        return self.out / self.doc_id

    def artifact(self, name: str) -> Path:
        return self.dir / name

    @property
    def clean_json(self) -> Path:
        return self.artifact("clean.json")

    @property
    def ocr_json(self) -> Path:
        return self.artifact("ocr.json")

    @property
    def extract_json(self) -> Path:
        return self.artifact("extract.json")

    @property
    def stages_json(self) -> Path:
        return self.artifact("stages.json")

    @property
    def result_json(self) -> Path:
        return self.artifact("result.json")


def sha256_file(path: Path) -> str:
    """The file's sha256, hashed once per content as its size and mtime tell (a run asks for a
    file's hash when it checks it is current, splits it and writes each of its documents)."""
    st = os.stat(path)
    return _sha256(str(Path(path).absolute()), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=64)
def _sha256(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def doc_id_for(path: Path) -> str:
    """SPEC: the stem, every char other than letters, digits, '-', '_', '.' replaced by '_'."""
    return re.sub(r"[^\w.\-]", "_", path.stem)


def umask() -> int:
    """The process umask, read without setting it (os.umask sets as it reads: racy across threads)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Temp file in the same folder + fsync + rename: a killed run leaves no half-written file.
    mkstemp makes the file 0600; it gets the mode a plain open() would (0666 less the umask), so
    a team sharing OUT, or a review server under another account, can read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, obj) -> Path:
    atomic_write_bytes(path, json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8"))
    return path


def read_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))
