"""The review page in a real headless browser: Debian's Chromium driven by Playwright (its
executable set, nothing downloaded), against `telegrams review` serving a real batch's output."""

import json
import shutil
import threading

import pytest

from pipeline import web
from pipeline.cli import main

pytestmark = pytest.mark.slow  # renders pages and runs Tesseract: pytest -m 'not slow' skips it

CHROMIUM = "/usr/bin/chromium"
# As root Chromium needs --no-sandbox; the rest keep it off this machine's closed network.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# the image's natural width once it has loaded (0 if it failed)
LOADED = """i => new Promise(done => (i.complete && i.naturalWidth) ? done(i.naturalWidth) :
  (i.addEventListener('load', () => done(i.naturalWidth)), i.addEventListener('error', () => done(0))))"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM), "Debian's chromium is missing: `make test` installs it"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def wait_for(probe, seconds: float = 10.0):
    """probe() once it is truthy; the page shows a change a moment before the server has written it."""
    import time

    end = time.monotonic() + seconds
    while not (got := probe()) and time.monotonic() < end:
        time.sleep(0.1)
    return got


def to_review(out) -> str:
    """A document whose flagged values all hold a reading (the keyboard path accepts them)."""
    for path in sorted(out.glob("*/result.json")):
        r = json.loads(path.read_text(encoding="utf-8"))
        items = [f for k, f in r["fields"].items() if k != "quotas"] + r["fields"]["quotas"]
        flagged = [f for f in items if f["needs_review"]]
        if flagged and all(f["value"] is not None for f in flagged):
            return r["document_id"]
    raise AssertionError("no document with a flagged value to review")


@pytest.fixture
def site(batch, tmp_path):
    _, src, _ = batch
    out = tmp_path / "out"
    shutil.copytree(src, out)
    srv = web.make_server(out, port=0, reviewer="tester")
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", out
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    ctx.close()
    assert not errors, errors


def decisions(out, doc_id):
    path = out / doc_id / "review.json"
    return json.loads(path.read_text(encoding="utf-8"))["decisions"] if path.exists() else []


def test_click_a_field_shows_its_box_and_its_text_span(site, page):
    base, out = site
    r = json.loads((out / "gorky_1938_95" / "result.json").read_text(encoding="utf-8"))
    page.goto(f"{base}/#/doc/gorky_1938_95")
    page.locator('.item[data-key="reference_number"]').click()
    box = page.locator("#boxes rect.sel")
    assert box.get_attribute("data-key") == "reference_number"
    x0, y0, x1, y1 = r["fields"]["reference_number"]["bbox"]
    assert float(box.get_attribute("x")) == pytest.approx(x0) and float(box.get_attribute("width")) == pytest.approx(x1 - x0)
    assert page.locator("#span").inner_text() == r["fields"]["reference_number"]["raw"]
    # the page image is really there, and the boxes follow the image when switched to the cleaned one
    assert page.locator("#page-image").evaluate(LOADED) == r["pages"][0]["width"]
    page.keyboard.press("v")
    page.wait_for_function("() => document.querySelector('#page-image').src.endsWith('/clean')")
    assert page.locator("#boxes rect.sel").get_attribute("data-key") == "reference_number"
    assert page.locator("#page-image").evaluate(LOADED) > 0
    # a box clicked on the page selects its field
    page.locator('#boxes rect[data-key="origin"]').click()
    assert page.locator(".item.selected").get_attribute("data-key") == "origin"
    assert page.locator("#span").inner_text() == r["fields"]["origin"]["raw"]


def test_correct_a_quota_reload_and_see_it(site, page):
    base, out = site
    r = json.loads((out / "gorky_1938_95" / "result.json").read_text(encoding="utf-8"))
    q = next(q for q in r["fields"]["quotas"] if q["value"]["category"] == 1)
    page.goto(f"{base}/#/doc/gorky_1938_95")
    card = page.locator(f'.item[data-key="quota {q["id"]}"]')
    card.click()
    card.locator("button.correct").click()
    card.locator('input[name="count"]').fill("3500")
    card.locator('select[name="kind"]').select_option("approved")
    card.locator('button[type="submit"]').click()
    page.wait_for_function("() => document.querySelector('#toast').textContent.includes('saved')")
    saved = decisions(out, "gorky_1938_95")
    assert saved[-1]["quota_id"] == q["id"] and saved[-1]["action"] == "correct"
    assert saved[-1]["old"] == q["value"] and saved[-1]["new"]["count"] == 3500 and saved[-1]["new"]["kind"] == "approved"
    assert saved[-1]["reviewer"] == "tester"
    page.reload()
    card = page.locator(f'.item[data-key="quota {q["id"]}"]')
    assert "3 500" in card.locator(".value").inner_text().replace("\u00a0", " ")
    assert "approved" in card.locator(".value").inner_text()
    assert "corrected by tester" in card.inner_text()
    # and the export carries the reviewer's figure
    assert main(["export", "--out", str(out), "--format", "jsonl", "--reviewed"]) == 0
    rows = [json.loads(x) for x in (out / "export-reviewed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert next(x for x in rows if x.get("quota_id") == q["id"] and x["document_id"] == "gorky_1938_95")["count"] == 3500


def test_keyboard_path_accepts_fields_adds_a_quota_and_moves_on(site, page):
    base, out = site
    doc = "gorky_1938_95"   # many fields: accepting one and moving on stays in the document
    page.goto(f"{base}/#/doc/{doc}")
    page.wait_for_selector("#items .item")   # the document is shown, its reviewer field filled in
    page.locator("#reviewer").fill("Анна")
    page.locator("#reviewer").dispatch_event("change")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")  # first field to check
    first = page.locator(".item.selected").get_attribute("data-key")
    page.keyboard.press("a")
    page.wait_for_function(f"() => document.querySelector('.item.selected').dataset.key !== {json.dumps(first)}")
    saved = wait_for(lambda: decisions(out, doc))
    assert saved[-1]["field"] == first.split()[0].replace("quota", "quotas") and saved[-1]["action"] == "accept"
    assert saved[-1]["reviewer"] == "Анна"
    page.keyboard.press("j")
    page.keyboard.press("q")
    page.locator('#add-form input[name="count"]').fill("250")
    page.locator('#add-form select[name="category"]').select_option("2")
    page.keyboard.press("Enter")
    page.wait_for_selector('.item[data-key="quota r1"]')
    added = wait_for(lambda: [d for d in decisions(out, doc) if d["action"] == "add"])   # the write lands after the card
    assert added[-1]["new"] == {"count": 250, "category": 2, "kind": "requested", "additional": None}
    page.keyboard.press("]")
    page.wait_for_function(f"() => !location.hash.includes({json.dumps(doc)})")
    assert page.locator("#where").inner_text() != ""


def test_overview_counts_chart_links_and_filter(site, page):
    base, out = site
    results = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*/result.json")]
    page.goto(base + "/")
    for status in ("ok", "needs_review", "failed"):
        shown = page.locator(f'.card[data-status="{status}"] b').inner_text()
        assert int(shown) == sum(r["status"] == status for r in results)
    points = page.locator("svg.chart a")
    assert points.count() == sum(len(r["fields"]["quotas"]) for r in results)
    assert page.locator("#documents tbody tr").first.get_attribute("data-id") in \
        {r["document_id"] for r in results if r["status"] == "needs_review"}  # needs_review first
    page.locator("#filter").fill("Горьк")
    assert page.locator("#documents tbody tr").count() == 1
    target = page.locator('svg.chart a[data-doc="omsk_1937_217"]').first
    target.dispatch_event("click")
    page.wait_for_selector(".item.selected")
    assert "omsk_1937_217" in page.url and page.locator(".item.selected").get_attribute("data-key").startswith("quota")


def test_ocr_text_and_values_render_as_text_not_markup(site, page):
    base, out = site
    path = out / "gorky_1938_95" / "result.json"
    r = json.loads(path.read_text(encoding="utf-8"))
    evil = '<script>window.__owned = 1</script><img src=x onerror="window.__owned = 2">'
    r["text"] = evil + "\n" + r["text"]
    shift = len(evil) + 1
    for f in list(r["fields"].values())[:-1] + r["fields"]["quotas"]:
        if f["char_span"]:
            f["char_span"] = [f["char_span"][0] + shift, f["char_span"][1] + shift]
    r["fields"]["sender"]["value"] = evil
    r["fields"]["sender"]["raw"] = evil
    r["warnings"].append(evil)
    path.write_text(json.dumps(r, ensure_ascii=False), encoding="utf-8")
    page.goto(f"{base}/#/doc/gorky_1938_95")
    page.locator('.item[data-key="sender"]').click()
    assert page.evaluate("() => window.__owned") is None
    assert page.locator("script", has_text="__owned").count() == 0 and page.locator("img[src=x]").count() == 0
    assert evil in page.locator("#ocr-text").inner_text()
    assert page.locator('.item[data-key="sender"] .value').inner_text() == evil
    page.goto(base + "/")
    page.locator("#filter").fill("owned")
    assert evil in page.locator("#documents tbody").inner_text()
    assert page.evaluate("() => window.__owned") is None


def test_full_pass_walks_every_field_into_the_next_document(site, page):
    base, out = site
    doc = to_review(out)
    page.goto(f"{base}/#/doc/{doc}")
    page.locator('.item[data-key="sent_at"]').click()
    n_items = page.locator("#items .item").count()
    for _ in range(n_items):  # j through every field, and past the last into the next document
        page.keyboard.press("j")
    page.wait_for_function(f"() => !location.hash.includes({json.dumps(doc)})")
    nxt = page.evaluate("() => decodeURIComponent(location.hash.split('/')[2])")
    page.wait_for_function(f"() => document.querySelector('#where').textContent.startsWith({json.dumps(nxt)})")
    assert page.locator(".item.selected").get_attribute("data-key") == "sent_at"  # the pass starts at the top
