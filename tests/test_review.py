"""Review decisions, the review server's API and its safety, exports, and ALTO files, on the
output of a real batch (rendered scans through OCR)."""

import csv
import importlib.util
import json
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pipeline import review, web
from pipeline.cli import build_parser, main

pytestmark = pytest.mark.slow  # renders pages and runs Tesseract: pytest -m 'not slow' skips it


@pytest.fixture
def out(batch, tmp_path):
    """A private copy of the batch's output: these tests write review.json files."""
    _, src, _ = batch
    dst = tmp_path / "out"
    shutil.copytree(src, dst)
    return dst


def result(out: Path, doc_id: str) -> dict:
    return json.loads((out / doc_id / "result.json").read_text(encoding="utf-8"))


@pytest.fixture
def server(out):
    srv = web.make_server(out, port=0, reviewer="tester")
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", out
    srv.shutdown()
    srv.server_close()


def request(url, data=None, ctype="application/json", method=None):
    req = urllib.request.Request(url, data=data, method=method or ("POST" if data is not None else "GET"),
                                 headers={"Content-Type": ctype} if data is not None else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers


# ------------------------------------------------------------------ decisions


def test_decisions_are_validated_appended_and_merged(out):
    doc = out / "gorky_1938_95"
    r = result(out, "gorky_1938_95")
    bad = [{"field": "nonsense", "action": "accept"}, {"field": "sent_at", "action": "approve"},
           {"field": "sent_at", "action": "correct", "new": "4 февраля"},
           {"field": "deadline", "action": "correct", "new": "1938-02-30"},
           {"field": "quotas", "action": "correct", "quota_id": "q-none", "new": {"count": 1, "kind": "requested"}},
           {"field": "quotas", "action": "add", "new": {"count": -5, "kind": "requested", "category": 1}},
           {"field": "quotas", "action": "add", "new": {"count": 5, "kind": "wished", "category": 1}},
           {"field": "origin", "action": "add", "new": "Горький"}, "not an object"]
    for body in bad:
        with pytest.raises(review.ReviewError):
            review.record(doc, r, body)
    assert not (doc / "review.json").exists()

    q = r["fields"]["quotas"][0]
    review.record(doc, r, {"field": "sent_at", "action": "accept", "reviewer": "A"})
    review.record(doc, r, {"field": "origin", "action": "correct", "new": " Нижний Новгород ", "reviewer": "A"})
    review.record(doc, r, {"field": "origin", "action": "correct", "new": "Горький", "reviewer": "B"})
    review.record(doc, r, {"field": "quotas", "quota_id": q["id"], "action": "reject", "reviewer": "A"})
    added = review.record(doc, r, {"field": "quotas", "action": "add", "reviewer": "A",
                                   "new": {"count": 700, "category": 1, "kind": "approved"}})
    saved = json.loads((doc / "review.json").read_text(encoding="utf-8"))
    assert saved["document_id"] == "gorky_1938_95" and len(saved["decisions"]) == 5
    first, second, third = saved["decisions"][:3]
    assert first["old"] == r["fields"]["sent_at"]["value"] and first["new"] is None and first["at"].endswith("Z")
    assert second["new"] == "Нижний Новгород" and second["old"] == "Горький"
    assert third["old"] == "Нижний Новгород" and third["reviewer"] == "B"  # old = what the reviewer saw
    assert added["quota_id"] == "r1" and added["new"] == {"count": 700, "category": 1, "kind": "approved", "additional": None}

    m = review.merged(r, saved["decisions"])
    assert m["fields"]["origin"]["value"] == "Горький" and not m["fields"]["origin"]["differs"]
    assert next(e for e in m["quotas"] if e["id"] == q["id"])["value"] is None
    assert next(e for e in m["quotas"] if e["id"] == "r1")["value"]["count"] == 700
    diffs = {(d["field"], d["quota_id"]) for d in review.differences(r, saved["decisions"])}
    assert diffs == {("quotas", q["id"]), ("quotas", "r1")}


def test_a_damaged_review_file_is_never_replaced(out):
    doc = out / "gorky_1938_95"
    (doc / "review.json").write_text("{half a file", encoding="utf-8")
    with pytest.raises(review.ReviewError, match="damaged"):
        review.record(doc, result(out, "gorky_1938_95"), {"field": "sent_at", "action": "accept"})
    assert (doc / "review.json").read_text(encoding="utf-8") == "{half a file"


def test_a_rerun_reports_where_the_new_value_differs_and_never_touches_review_json(out, capsys):
    doc = out / "gorky_1938_95"
    r = result(out, "gorky_1938_95")
    review.record(doc, r, {"field": "sent_at", "action": "correct", "new": "1938-02-05T22:11"})
    review.record(doc, r, {"field": "reference_number", "action": "accept"})
    before = (doc / "review.json").read_bytes()
    assert main(["rerun", "gorky_1938_95", "--stage", "extract", "--out", str(out), "--no-prefect"]) == 0
    assert (doc / "review.json").read_bytes() == before
    assert "1 reviewed value(s) in 1 document(s) differ" in capsys.readouterr().err
    after = result(out, "gorky_1938_95")
    assert after["review"]["decisions"] == 2
    assert after["review"]["differs"] == [{"field": "sent_at", "quota_id": None, "reviewer": "1938-02-05T22:11",
                                           "automatic": r["fields"]["sent_at"]["value"]}]
    assert main(["run", str(Path(r["source"]["abs_path"]).parent), "--out", str(out), "--no-prefect", "--force"]) == 0
    assert (doc / "review.json").read_bytes() == before


# ------------------------------------------------------------------ exports


def test_export_rows_match_results_and_reviews(out):
    doc = out / "gorky_1938_95"
    r = result(out, "gorky_1938_95")
    quotas = r["fields"]["quotas"]
    review.record(doc, r, {"field": "quotas", "quota_id": quotas[0]["id"], "action": "correct",
                           "new": {**quotas[0]["value"], "count": quotas[0]["value"]["count"] + 1}})
    review.record(doc, r, {"field": "quotas", "quota_id": quotas[1]["id"], "action": "reject"})
    review.record(doc, r, {"field": "quotas", "action": "add", "new": {"count": 123, "category": 2, "kind": "approved"}})
    review.record(doc, r, {"field": "sender", "action": "correct", "new": "Иванов"})
    results = {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*/result.json")}

    assert main(["export", "--out", str(out), "--format", "csv"]) == 0
    with open(out / "export.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    docs = [x for x in rows if x["record"] == "document"]
    assert sorted(x["document_id"] for x in docs) == sorted(results)
    assert sum(x["record"] == "quota" for x in rows) == sum(len(v["fields"]["quotas"]) for v in results.values())
    for x in rows:
        res = results[x["document_id"]]
        assert x["origin"] == (res["fields"]["origin"]["value"] or "")
        assert x["sent_at"] == (res["fields"]["sent_at"]["value"] or "") and x["status"] == res["status"]
        if x["record"] == "quota":
            q = next(q for q in res["fields"]["quotas"] if q["id"] == x["quota_id"])
            assert int(x["count"]) == q["value"]["count"] and x["kind"] == q["value"]["kind"]
            assert x["category"] == ("" if q["value"]["category"] is None else str(q["value"]["category"]))
    gorky = next(x for x in docs if x["document_id"] == "gorky_1938_95")
    assert gorky["sender"] == r["fields"]["sender"]["value"] and json.loads(gorky["review"]) == {"sender": "Иванов"}

    assert main(["export", "--out", str(out), "--format", "jsonl", "--reviewed"]) == 0
    lines = [json.loads(x) for x in (out / "export-reviewed.jsonl").read_text(encoding="utf-8").splitlines()]
    mine = [x for x in lines if x["document_id"] == "gorky_1938_95"]
    assert mine[0]["record"] == "document" and mine[0]["sender"] == "Иванов" and mine[0]["reviewed"] == ["sender"]
    counts = {x["quota_id"]: x["count"] for x in mine if x["record"] == "quota"}
    assert counts[quotas[0]["id"]] == quotas[0]["value"]["count"] + 1
    assert quotas[1]["id"] not in counts and counts["r1"] == 123
    assert all(x["sender"] == "Иванов" for x in mine)
    assert len(lines) == len(rows)  # one rejected, one added


def test_manifest_columns_reach_the_export(tmp_path, rendered):
    from tests.conftest import delivery

    d = delivery(tmp_path, rendered, "gorky_1938_95.jpg")
    (tmp_path / "inv.csv").write_text("file,fond,delo\ngorky_1938_95.jpg,Р-17,№ 5\n", encoding="utf-8")
    out = tmp_path / "o"
    assert main(["run", str(d), "--out", str(out), "--manifest", str(tmp_path / "inv.csv"), "--no-prefect"]) == 0
    assert main(["export", "--out", str(out), "--to", str(tmp_path / "x.csv")]) == 0
    rows = list(csv.DictReader(open(tmp_path / "x.csv", newline="", encoding="utf-8")))
    assert rows and all(x["fond"] == "Р-17" and x["delo"] == "№ 5" for x in rows)


def test_export_of_an_empty_folder_is_a_usage_error(tmp_path):
    assert main(["export", "--out", str(tmp_path)]) == 2


# ------------------------------------------------------------------ ALTO


def alto_schema():
    from lxml import etree

    spec = importlib.util.find_spec("htrflow")  # the package ships the ALTO 4.4 XSD; not imported
    assert spec, "htrflow (ALTO XSD) missing: `make test` installs it"
    xsd = Path(spec.submodule_search_locations[0]) / "serialization" / "schemas" / "alto-4-4.xsd"
    # The XSD imports xlink from loc.gov; offline, a minimal local one with the attributes ALTO uses.
    xlink = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/1999/xlink"
      attributeFormDefault="qualified"><xs:attributeGroup name="simpleLink">""" + b"".join(
        b'<xs:attribute name="%s" type="xs:string"/>' % a for a in
        (b"type", b"href", b"role", b"arcrole", b"title", b"show", b"actuate")) + b"</xs:attributeGroup></xs:schema>"

    class Local(etree.Resolver):
        def resolve(self, url, pubid, context):
            if url.endswith("xlink.xsd"):
                return self.resolve_string(xlink, context)

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return etree.XMLSchema(etree.parse(str(xsd), parser))


def test_alto_files_validate_and_carry_words_names_and_versions(batch):
    from lxml import etree

    _, out, _ = batch
    schema = alto_schema()
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    checked = 0
    for res_path in sorted(out.glob("*/result.json")):
        r = json.loads(res_path.read_text(encoding="utf-8"))
        words = json.loads((res_path.parent / "ocr.json").read_text(encoding="utf-8"))["words"]
        for page in r["pages"]:
            path = res_path.parent / "alto" / f"page-{page['number']:03d}.xml"
            tree = etree.parse(str(path))
            assert schema.validate(tree), (path, schema.error_log.last_error)
            assert tree.findtext("a:Description/a:sourceImageInformation/a:fileName", namespaces=ns) == \
                Path(r["source"]["path"]).name
            soft = {p.get("ID"): p.find("a:processingSoftware", ns) for p in tree.iterfind("a:Description/a:Processing", ns)}
            assert soft["OCR"].findtext("a:softwareName", namespaces=ns) == "Tesseract"
            assert soft["OCR"].findtext("a:softwareVersion", namespaces=ns) == r["versions"]["tesseract"]
            assert soft["TELEGRAMS"].findtext("a:softwareVersion", namespaces=ns) == r["versions"]["pipeline"]
            pg = tree.find("a:Layout/a:Page", ns)
            assert (int(pg.get("WIDTH")), int(pg.get("HEIGHT"))) == (page["width"], page["height"])
            strings = tree.findall(".//a:String", ns)
            mine = [w for w in words if w["page"] == page["number"]]
            assert [s.get("CONTENT") for s in strings] == [w["text"] for w in mine]
            for s, w in zip(strings, mine):
                x, y = int(s.get("HPOS")), int(s.get("VPOS"))
                assert (x, y, x + int(s.get("WIDTH")), y + int(s.get("HEIGHT"))) == tuple(max(0, v) for v in w["box"]) or \
                    w["box"][0] < 0 or w["box"][1] < 0
                assert 0 <= float(s.get("WC")) <= 1
            checked += 1
    assert checked >= 10  # 9 samples, one of them two pages


# ------------------------------------------------------------------ the server's API and safety


def test_review_binds_to_localhost_by_default():
    args = build_parser().parse_args(["review"])
    assert args.host == "127.0.0.1" and args.out == Path("output")


def test_api_lists_documents_and_serves_both_page_images(server):
    base, out = server
    status, body, _ = request(base + "/api/documents")
    data = json.loads(body)
    assert status == 200 and len(data["documents"]) == len(list(out.glob("*/result.json")))
    assert sum(data["counts"].values()) == len(data["documents"])
    n_quotas = sum(len(result(out, d["document_id"])["fields"]["quotas"]) for d in data["documents"])
    assert len(data["points"]) == n_quotas
    r = result(out, "minsk_1938_43074")
    for view, magic in (("source", b"\xff\xd8"), ("clean", b"\x89PNG")):
        for n in (1, 2):
            status, img, headers = request(f"{base}/api/documents/minsk_1938_43074/pages/{n}/{view}")
            assert status == 200 and img.startswith(magic), (view, n)
    import cv2
    import numpy as np

    src = cv2.imdecode(np.frombuffer(request(f"{base}/api/documents/minsk_1938_43074/pages/2/source")[1], np.uint8), 1)
    assert src.shape[1] == r["pages"][1]["width"] and src.shape[0] == r["pages"][1]["height"]
    assert request(f"{base}/api/documents/minsk_1938_43074/pages/3/source")[0] == 404
    status, pdf, headers = request(f"{base}/api/documents/minsk_1938_43074/pdf")
    assert status == 200 and pdf.startswith(b"%PDF-") and "attachment" in headers["Content-Disposition"]


@pytest.mark.parametrize("path", [
    "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd", "/api/documents/%2Fetc%2Fpasswd/pages/1/clean",
    "/api/documents/../index.json", "/api/documents/.telegrams.lock", "/static/../cli.py",
    "/static/..%2F..%2Fcli.py", "//etc/passwd", "/api/documents/gorky_1938_95/pages/1/..%2F..%2Fresult.json",
    "/api/documents/gorky_1938_95/../../../etc/passwd", "/index.json", "/gorky_1938_95/result.json"])
def test_no_path_outside_the_routes_can_be_read(server, path):
    base, _ = server
    status, body, _ = request(base + path)
    assert status == 404, (path, status)
    assert b"root:" not in body and b"document_id" not in body


def test_bad_requests_get_4xx_and_change_nothing(server):
    base, out = server
    url = f"{base}/api/documents/gorky_1938_95/decisions"
    review_file = out / "gorky_1938_95" / "review.json"
    cases = [(b"{not json", "application/json", 400), (b"\xff\xfe", "application/json", 400),
             (b'{"field": "sent_at", "action": "accept"}', "text/plain", 415),
             (b'{"field": "sent_at", "action": "accept"}', "application/x-www-form-urlencoded", 415),
             (b'["field"]', "application/json", 422), (b'{"field": "sent_at", "action": "burn"}', "application/json", 422),
             (b'{"field": "sent_at", "action": "correct", "new": "yesterday"}', "application/json", 422),
             (b'{"field": "sent_at"' + b" " * 70000 + b"}", "application/json", 413)]
    for data, ctype, code in cases:
        assert request(url, data, ctype)[0] == code, (data[:40], ctype)
    assert not review_file.exists()
    assert request(f"{base}/api/documents/nobody/decisions", b'{"field": "sent_at", "action": "accept"}')[0] == 404
    status, body, _ = request(url, b'{"field": "sent_at", "action": "accept"}')
    assert status == 200 and json.loads(body)["decision"]["reviewer"] == "tester"
    assert len(json.loads(review_file.read_text(encoding="utf-8"))["decisions"]) == 1
    assert request(url, b"{oops")[0] == 400
    assert len(json.loads(review_file.read_text(encoding="utf-8"))["decisions"]) == 1


def test_pages_are_served_with_a_strict_content_policy(server):
    base, _ = server
    status, body, headers = request(base + "/")
    assert status == 200 and b"/static/app.js" in body
    assert "script-src" not in headers["Content-Security-Policy"] and "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
