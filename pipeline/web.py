"""`telegrams review`: a local web page to check the output against the page and correct it.

Standard library HTTP only (no framework to install or keep safe). The page is static
(pipeline/web/); it talks to a small JSON API:

  GET  /api/documents                         the run: rows, counts, quota points for the chart
  GET  /api/documents/<id>                    result.json, review decisions merged, page geometry
  GET  /api/documents/<id>/pages/<n>/<view>   page image, view = source | clean
  GET  /api/documents/<id>/pdf                the document's searchable PDF
  POST /api/documents/<id>/decisions          one decision -> review.json (see review.record)

Only documents in OUT are reachable: a doc id must match the SPEC pattern and name a folder in
OUT with a result.json; no request names a file path. Values reach the page only as JSON and
are put into it with textContent, never as HTML.
"""

import json
import re
import threading
from collections import OrderedDict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .context import read_json
from .contract import FIELDS, source_file
from .review import DOC_ID, ReviewError, differences, load_decisions, merged, record

STATIC = Path(__file__).with_name("web")
FILES = {"/": ("index.html", "text/html; charset=utf-8"),
         "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
         "/static/style.css": ("style.css", "text/css; charset=utf-8")}
MAX_BODY = 64 * 1024
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Content-Security-Policy": "default-src 'self'; img-src 'self' blob:; object-src 'none'; "
                                      "base-uri 'none'; frame-ancestors 'none'"}
ROUTE = re.compile(r"^/api/documents/([^/]+)(?:/(decisions|pdf|pages/(\d+)/(source|clean)))?$")


class NotFound(Exception):
    pass


class Review:
    """The library side of the server: documents in OUT, their pages, their decisions."""

    def __init__(self, out: Path, reviewer: str = "reviewer"):
        self.out = Path(out).resolve()
        self.reviewer = reviewer
        self._images = OrderedDict()  # (doc, page, view, mtime) -> encoded image; small LRU
        self._lock = threading.Lock()

    def doc_dir(self, doc_id: str) -> Path:
        if not DOC_ID.match(doc_id):
            raise NotFound(doc_id)
        d = (self.out / doc_id).resolve()
        if d.parent != self.out or not (d / "result.json").is_file():
            raise NotFound(doc_id)
        return d

    def documents(self) -> dict:
        docs, points = [], []
        for p in sorted(self.out.glob("*/result.json")):
            try:
                r = read_json(p)
            except (OSError, ValueError):
                continue
            decisions = load_decisions(p.parent)
            m = merged(r, decisions)
            f = r["fields"]
            # needs_review on a field = below the calibrated threshold or a failed cross-check
            low = sum(v["needs_review"] for k, v in f.items() if k != "quotas") + \
                sum(q["needs_review"] for q in f["quotas"])
            err = r.get("error") or {}
            docs.append({"document_id": r["document_id"], "status": r["status"], "failed_stage": err.get("stage"),
                         "error": err.get("message"), "warnings": r["warnings"], "quotas": len(m["quotas"]),
                         "origin": m["fields"]["origin"]["value"], "sent_at": m["fields"]["sent_at"]["value"],
                         "sender": m["fields"]["sender"]["value"], "low_confidence": low,
                         "decisions": len(decisions), "differs": len(differences(r, decisions, m)),
                         "source": r["source"]["path"], "pages": r["source"]["pages"]})
            when = m["fields"]["sent_at"]["value"] or m["fields"]["received_at"]["value"]
            for q in m["quotas"]:
                if q["value"] is not None:
                    points.append({"document_id": r["document_id"], "quota_id": q["id"], "sent_at": when,
                                   "origin": m["fields"]["origin"]["value"], **q["value"]})
        counts = {s: sum(d["status"] == s for d in docs) for s in ("ok", "needs_review", "failed")}
        failed_by_stage = {}
        for d in docs:
            if d["failed_stage"]:
                failed_by_stage[d["failed_stage"]] = failed_by_stage.get(d["failed_stage"], 0) + 1
        return {"out": str(self.out), "reviewer": self.reviewer, "documents": docs, "counts": counts,
                "failed_by_stage": failed_by_stage, "points": points}

    def document(self, doc_id: str, r: dict | None = None) -> dict:
        d = self.doc_dir(doc_id)
        r = r or read_json(d / "result.json")  # r: the caller's copy, when it has read it
        decisions = load_decisions(d)
        try:
            cleaned = {p["number"]: p for p in read_json(d / "clean.json")["pages"]}
        except (OSError, ValueError, KeyError):
            cleaned = {}
        pages = [{**p, "matrix": cleaned.get(p["number"], {}).get("matrix"),
                  "clean_size": [cleaned[p["number"]]["width"], cleaned[p["number"]]["height"]]
                  if p["number"] in cleaned and "width" in cleaned[p["number"]] else None}
                 for p in r["pages"]]
        m = merged(r, decisions)
        return {"result": r, "fields": FIELDS, "pages": pages, "review": m, "decisions": decisions,
                "differs": differences(r, decisions, m), "reviewer": self.reviewer}

    def page_image(self, doc_id: str, number: int, view: str) -> tuple[bytes, str]:
        import cv2

        d = self.doc_dir(doc_id)
        r = read_json(d / "result.json")
        if not 1 <= number <= len(r["pages"]):
            raise NotFound(f"{doc_id} page {number}")
        if view == "clean":
            path = d / "pages" / f"page-{number:03d}.png"
            if not path.is_file():
                raise NotFound(str(path.name))
            return path.read_bytes(), "image/png"
        src = source_file(r["source"])
        if not src.is_file():
            raise NotFound(f"source scan {r['source']['path']} has moved")
        key = (doc_id, number, src.stat().st_mtime_ns)
        with self._lock:
            if key in self._images:
                self._images.move_to_end(key)
                return self._images[key], "image/jpeg"
        # the clean stage's own reading: the same pixels, so the same boxes
        from .images import load_pages

        first, last = r["source"].get("pages_in_file") or (1, None)
        pages = load_pages(src, first, last)
        if number > len(pages):
            raise NotFound(f"{doc_id} page {number}")
        data = cv2.imencode(".jpg", pages[number - 1], [cv2.IMWRITE_JPEG_QUALITY, 88])[1].tobytes()
        with self._lock:
            self._images[key] = data
            while len(self._images) > 16:
                self._images.popitem(last=False)
        return data, "image/jpeg"

    def decide(self, doc_id: str, body) -> dict:
        d = self.doc_dir(doc_id)
        if isinstance(body, dict) and not body.get("reviewer"):
            body = {**body, "reviewer": self.reviewer}
        r = read_json(d / "result.json")
        decision = record(d, r, body)
        return {"decision": decision, **self.document(doc_id, r)}


class Handler(BaseHTTPRequestHandler):
    review: Review  # set on the subclass made by make_server
    quiet = True
    server_version = "telegrams-review"
    sys_version = ""

    def log_message(self, fmt, *args):
        if not self.quiet:
            super().log_message(fmt, *args)

    def send(self, status: int, body: bytes, ctype: str, cache: bool = False, download: str | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if download:  # to the user's own PDF viewer: the page's content policy allows no plugin
            self.send_header("Content-Disposition", f'attachment; filename="{download}"')
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "private, max-age=300" if cache else "no-store")
        for k, v in HEADERS.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def json(self, status: int, obj):
        self.send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def error(self, status: HTTPStatus, message: str):
        self.json(status, {"error": message})

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        try:
            if path in FILES:
                name, ctype = FILES[path]
                return self.send(200, (STATIC / name).read_bytes(), ctype)
            if path == "/favicon.ico":
                return self.send(204, b"", "image/x-icon")
            if path == "/api/documents":
                return self.json(200, self.review.documents())
            m = ROUTE.match(path)
            if not m or m.group(2) == "decisions":
                raise NotFound(path)
            if m.group(3):
                data, ctype = self.review.page_image(m.group(1), int(m.group(3)), m.group(4))
                return self.send(200, data, ctype, cache=True)
            if m.group(2) == "pdf":
                pdf = self.review.doc_dir(m.group(1)) / f"{m.group(1)}.pdf"
                if not pdf.is_file():
                    raise NotFound(pdf.name)
                return self.send(200, pdf.read_bytes(), "application/pdf", download=pdf.name)
            return self.json(200, self.review.document(m.group(1)))
        except NotFound:
            self.error(HTTPStatus.NOT_FOUND, "not found")
        except Exception as e:  # a damaged file in OUT: say so, keep serving
            self.error(HTTPStatus.INTERNAL_SERVER_ERROR, f"{type(e).__name__}: {e}".splitlines()[0])

    def do_POST(self):
        path = unquote(urlsplit(self.path).path)
        m = ROUTE.match(path)
        if not m or m.group(2) != "decisions":
            return self.error(HTTPStatus.NOT_FOUND, "not found")
        # JSON only: a cross-site form cannot send it without the browser asking first
        if self.headers.get_content_type() != "application/json":
            return self.error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return self.error(HTTPStatus.BAD_REQUEST if length <= 0 else HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                              "a decision is a JSON object of at most 64 KiB")
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self.error(HTTPStatus.BAD_REQUEST, "body is not valid JSON")
        try:
            return self.json(200, self.review.decide(m.group(1), body))
        except NotFound:
            return self.error(HTTPStatus.NOT_FOUND, "not found")
        except ReviewError as e:
            return self.error(HTTPStatus.UNPROCESSABLE_ENTITY, str(e))


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that closed a socket
            super().handle_error(request, client_address)


def make_server(out: Path, host: str = "127.0.0.1", port: int = 8765, reviewer: str = "reviewer",
                quiet: bool = True) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"review": Review(out, reviewer), "quiet": quiet})
    srv = Server((host, port), handler)
    return srv
