// Review page for `telegrams review`. Plain DOM, no framework. Every value from the run is put
// into the page with textContent or as an attribute value, never parsed as HTML.
"use strict";

const KINDS = ["requested", "approved", "sentenced", "registered", "other"];
const SVG = "http://www.w3.org/2000/svg";
const state = { docs: null, doc: null, items: [], sel: -1, page: 1, view: "source", zoom: 1,
  editing: null, filter: "", status: "", pass: "low" };

// ---------------------------------------------------------------- helpers
function el(tag, attrs, ...children) {
  const n = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
    else if (k === "text") n.textContent = v;
    else n.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) n.append(c instanceof Node ? c : String(c));
  return n;
}
function fill(node, ...kids) { node.replaceChildren(...kids.flat().filter(k => k !== null && k !== undefined)); }
function show(value) {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "object") return quotaText(value);
  return String(value);
}
function quotaText(q) {
  const cat = q.category ? `cat. ${q.category}` : "no category";
  return `${Number(q.count).toLocaleString("ru-RU")} · ${cat} · ${q.kind}${q.additional ? " · additional" : ""}`;
}
function toast(message, error) {
  const t = document.getElementById("toast");
  t.textContent = message; t.className = error ? "error" : ""; t.hidden = false;
  clearTimeout(toast.timer); toast.timer = setTimeout(() => { t.hidden = true; }, error ? 6000 : 1500);
}
async function api(path, options) {
  const r = await fetch(path, options);
  const body = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}
function reviewer() { return document.getElementById("reviewer").value.trim() || "reviewer"; }

// ---------------------------------------------------------------- routing
async function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  try {
    if (!state.docs) state.docs = await api("/api/documents");
    if (parts[0] === "doc" && parts[1]) await openDocument(parts[1], parts[2]);
    else { state.docs = await api("/api/documents"); overview(); }
  } catch (e) { toast(e.message, true); }
}

// ---------------------------------------------------------------- overview
function overview() {
  state.doc = null;
  const d = state.docs;
  document.getElementById("where").textContent = d.out;
  const cards = el("div", { class: "cards" },
    ["ok", "needs_review", "failed"].map(s => el("div", { class: `card status-${s}`, "data-status": s },
      el("b", { text: d.counts[s] }), s.replace("_", " "))),
    el("div", { class: "card" }, el("b", { text: d.points.length }), "quota figures"),
    Object.keys(d.failed_by_stage).length ? el("div", { class: "card status-failed", id: "failed-by-stage" },
      "failed by stage: ", Object.entries(d.failed_by_stage).map(([k, v]) => `${k} ${v}`).join(", ")) : null);
  const filterBox = el("input", { id: "filter", placeholder: "filter: id, origin, sender, warning", value: state.filter,
    oninput: e => { state.filter = e.target.value; fillList(); } });
  const statusBox = el("select", { id: "status-filter", onchange: e => { state.status = e.target.value; fillList(); } },
    ["", "needs_review", "failed", "ok"].map(s => el("option", { value: s, selected: s === state.status, text: s || "any status" })));
  const app = document.getElementById("app");
  fill(app, cards, el("h2", { text: "Quota figures by date, origin and category" }), chart(d.points),
    originTable(d.points), el("div", { class: "filters" }, filterBox, statusBox),
    el("table", { class: "list", id: "documents" }, el("thead", {}, el("tr", {},
      ["document", "status", "origin", "sent", "sender", "quotas", "to check", "warnings", "reviewed"].map(h => el("th", { text: h })))),
    el("tbody")));
  fillList();
}

function sortedDocs() {
  const rank = { needs_review: 0, failed: 1, ok: 2 };
  return [...state.docs.documents].sort((a, b) => rank[a.status] - rank[b.status] ||
    a.document_id.localeCompare(b.document_id));
}

function fillList() {
  const f = state.filter.toLowerCase();
  const rows = sortedDocs().filter(d => (!state.status || d.status === state.status) &&
    (!f || [d.document_id, d.origin, d.sender, d.error, ...d.warnings].some(x => x && String(x).toLowerCase().includes(f))));
  document.querySelector("#documents tbody").replaceChildren(...rows.map(d =>
    el("tr", { class: "doc", "data-id": d.document_id, onclick: () => { location.hash = `#/doc/${encodeURIComponent(d.document_id)}`; } },
      el("td", {}, el("a", { href: `#/doc/${encodeURIComponent(d.document_id)}`, text: d.document_id })),
      el("td", { class: `status-${d.status}`, text: d.status + (d.failed_stage ? ` (${d.failed_stage}: ${d.error})` : "") }),
      el("td", { text: show(d.origin) }), el("td", { text: show(d.sent_at) }), el("td", { text: show(d.sender) }),
      el("td", { text: d.quotas }), el("td", { text: d.low_confidence }),
      el("td", { class: "warnings", text: d.warnings.join("; ") }),
      el("td", { text: d.decisions ? `${d.decisions}${d.differs ? ` (${d.differs} differ now)` : ""}` : "" }))));
}

function chart(points) {
  // x: date sent; y: figure on a log scale; colour: category; square: approved, circle: the rest.
  const W = 1000, H = 340, L = 60, R = 20, T = 15, B = 40;
  const svg = el("svg:svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "quota figures" });
  const dated = points.filter(p => p.sent_at);
  if (!points.length) { svg.append(el("svg:text", { x: W / 2, y: H / 2, "text-anchor": "middle", text: "no quota figures" })); return svg; }
  const ts = dated.map(p => Date.parse(p.sent_at.slice(0, 10)));
  let t0 = Math.min(...ts), t1 = Math.max(...ts);
  if (!dated.length) { t0 = 0; t1 = 1; }
  if (t1 - t0 < 864e5 * 30) { t0 -= 864e5 * 15; t1 += 864e5 * 15; }
  const counts = points.map(p => Math.max(1, p.count));
  const y0 = Math.floor(Math.log10(Math.min(...counts))), y1 = Math.ceil(Math.log10(Math.max(...counts)) + 1e-9) || 1;
  const undatedX = W - R - 30, right = dated.length < points.length ? undatedX - 40 : W - R;
  const x = t => L + (t - t0) / (t1 - t0) * (right - L);
  const y = c => H - B - (Math.log10(Math.max(1, c)) - y0) / Math.max(1, y1 - y0) * (H - B - T);
  svg.append(el("svg:line", { class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }),
    el("svg:line", { class: "axis", x1: L, y1: T, x2: L, y2: H - B }));
  for (let e = y0; e <= y1; e++)
    svg.append(el("svg:text", { x: L - 6, y: y(10 ** e) + 4, "text-anchor": "end", text: (10 ** e).toLocaleString("ru-RU") }));
  const months = new Set();
  for (let t = t0; t <= t1; t += 864e5 * 28) months.add(new Date(t).toISOString().slice(0, 7));
  [...months].forEach((m, i, all) => {
    if (all.length > 12 && i % Math.ceil(all.length / 12)) return;
    svg.append(el("svg:text", { x: x(Date.parse(m + "-01")), y: H - B + 16, "text-anchor": "middle", text: m }));
  });
  if (right !== W - R) svg.append(el("svg:text", { x: undatedX, y: H - B + 16, "text-anchor": "middle", text: "no date" }));
  points.forEach((p, i) => {
    const px = p.sent_at ? x(Date.parse(p.sent_at.slice(0, 10))) : undatedX + ((i % 5) - 2) * 5, py = y(p.count);
    const cls = `point cat${p.category ?? "null"} ${p.kind}`;
    const mark = p.kind === "approved" ? el("svg:rect", { class: cls, x: px - 5, y: py - 5, width: 10, height: 10 })
      : el("svg:circle", { class: cls, cx: px, cy: py, r: p.kind === "requested" ? 6 : 4 });
    const label = `${p.origin || "?"} ${p.sent_at || "no date"}: ${p.count.toLocaleString("ru-RU")}, ` +
      `${p.category ? "category " + p.category : "no category"}, ${p.kind} (${p.document_id})`;
    svg.append(el("svg:a", { href: `#/doc/${encodeURIComponent(p.document_id)}/${encodeURIComponent(p.quota_id)}`,
      "data-doc": p.document_id }, el("svg:title", { text: label }), mark));
  });
  svg.append(el("svg:text", { x: L + 4, y: T + 10, text: "● requested  ■ approved  • other · red: cat. 1, blue: cat. 2, grey: none" }));
  return svg;
}

function originTable(points) {
  const by = new Map();
  for (const p of points) {
    if (p.kind !== "requested" && p.kind !== "approved") continue;
    const k = p.origin || "?", row = by.get(k) || { n: 0 };
    const key = `${p.kind}${p.category ?? ""}`;
    row[key] = (row[key] || 0) + p.count; row.n++; by.set(k, row);
  }
  const cols = [["requested1", "requested, cat. 1"], ["requested2", "requested, cat. 2"], ["requested", "requested, no cat."],
    ["approved1", "approved, cat. 1"], ["approved2", "approved, cat. 2"], ["approved", "approved, no cat."]];
  return el("table", { class: "list", id: "by-origin" },
    el("thead", {}, el("tr", {}, el("th", { text: "origin" }), cols.map(c => el("th", { text: c[1] })))),
    el("tbody", {}, [...by.entries()].sort().map(([o, r]) => el("tr", {}, el("td", { text: o }),
      cols.map(c => el("td", { text: r[c[0]] ? r[c[0]].toLocaleString("ru-RU") : "" }))))));
}

// ---------------------------------------------------------------- document view
async function openDocument(id, focus) {
  const doc = await api(`/api/documents/${encodeURIComponent(id)}`);
  const same = state.doc && state.doc.result.document_id === id;
  state.doc = doc;
  buildItems();
  if (!same) { state.page = 1; state.sel = -1; state.zoom = 1; state.editing = null; }
  renderDocument();
  if (focus) select(state.items.findIndex(it => it.quotaId === focus || it.key === focus));
  else if (!same && state.pass === "all") select(0);
  else if (!same) nextLow(true);
}

function buildItems() {
  const r = state.doc.result, m = state.doc.review;
  state.items = state.doc.fields.map(k => ({ key: k, field: r.fields[k], review: m.fields[k], quotaId: null }));
  const auto = new Map(r.fields.quotas.map(q => [q.id, q]));
  for (const q of m.quotas) state.items.push({ key: `quota ${q.id}`, field: auto.get(q.id) || null, review: q, quotaId: q.id });
}

function isLow(it) { return it.field && it.field.value !== null && (it.field.needs_review || (it.field.confidence ?? 1) < 0.9); }

function renderDocument() {
  const r = state.doc.result;
  const inFile = r.source.pages_in_file && r.source.pages_in_file.join("-");
  document.getElementById("where").textContent = `${r.document_id} · ${r.status} · ${r.source.path}` +
    (inFile && /-p\d{3}$/.test(r.document_id) ? ` (pages ${inFile} of the file)` : "");
  const ids = sortedDocs().map(d => d.document_id), at = ids.indexOf(r.document_id);
  const nav = (delta) => () => { const t = ids[at + delta]; if (t) location.hash = `#/doc/${encodeURIComponent(t)}`; };
  const pages = r.pages.length ? r.pages : [{ number: 1 }];
  const toolbar = el("div", { class: "toolbar" },
    el("button", { type: "button", onclick: () => { location.hash = "#/"; }, text: "← all documents" }),
    el("button", { type: "button", id: "prev-doc", disabled: at <= 0, onclick: nav(-1), text: "[ previous" }),
    el("button", { type: "button", id: "next-doc", disabled: at < 0 || at >= ids.length - 1, onclick: nav(1), text: "next ]" }),
    el("button", { type: "button", id: "toggle-view", onclick: toggleView, text: state.view === "source" ? "show cleaned (v)" : "show source (v)" }),
    el("button", { type: "button", onclick: () => zoom(1.25), text: "+" }),
    el("button", { type: "button", onclick: () => zoom(0), text: "fit" }),
    el("button", { type: "button", onclick: () => zoom(0.8), text: "−" }),
    pages.length > 1 ? el("select", { id: "page", onchange: e => { state.page = +e.target.value; drawPage(); } },
      pages.map(p => el("option", { value: p.number, selected: p.number === state.page, text: `page ${p.number}` }))) : null,
    el("button", { type: "button", id: "next-low", onclick: () => nextLow(false), text: "next to check (n)" }),
    el("button", { type: "button", id: "add-quota", onclick: () => startEdit("add"), text: "add quota (q)" }),
    r.pages.length ? el("a", { id: "pdf", href: `/api/documents/${encodeURIComponent(r.document_id)}/pdf`, target: "_blank",
      text: "searchable PDF" }) : null);
  const viewer = el("div", { class: "viewer", id: "viewer" }, el("div", { class: "canvas", id: "canvas" }));
  const panel = el("div", { class: "panel", id: "panel" });
  fill(document.getElementById("app"), toolbar, el("div", { class: "doc-view" }, viewer, panel));
  drawPage();
  drawPanel();
}

function pageInfo() {
  const r = state.doc.result;
  return state.doc.pages.find(p => p.number === state.page) || r.pages[0];
}

function toView(bbox, page) {
  // boxes are in source pixels; the cleaned image is the source through the page's 3x3 matrix
  if (state.view === "source" || !page.matrix) return bbox;
  const M = page.matrix, [x0, y0, x1, y1] = bbox;
  const pts = [[x0, y0], [x1, y0], [x0, y1], [x1, y1]].map(([x, y]) => {
    const w = M[2][0] * x + M[2][1] * y + M[2][2];
    return [(M[0][0] * x + M[0][1] * y + M[0][2]) / w, (M[1][0] * x + M[1][1] * y + M[1][2]) / w];
  });
  const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function drawPage() {
  const canvas = document.getElementById("canvas");
  const page = pageInfo();
  if (!page || !page.width) { canvas.replaceChildren(el("p", { text: "no page image (the document failed before cleaning)" })); return; }
  const useClean = state.view === "clean" && page.clean_size;
  const [w, h] = useClean ? page.clean_size : [page.width, page.height];
  const fit = document.getElementById("viewer").clientWidth - 20;
  canvas.style.width = `${Math.round(fit * state.zoom)}px`;
  canvas.style.height = `${Math.round(fit * state.zoom * h / w)}px`;
  const src = `/api/documents/${encodeURIComponent(state.doc.result.document_id)}/pages/${page.number}/${useClean ? "clean" : "source"}`;
  let img = document.getElementById("page-image");
  if (!img || img.getAttribute("src") !== src) {  // keep a loaded image when only the selection moves
    img = el("img", { id: "page-image", alt: `page ${page.number} (${useClean ? "cleaned" : "source"})`, src });
    img.addEventListener("error", () => toast(`${useClean ? "cleaned" : "source"} image not available`, true));
  }
  const svg = el("svg:svg", { id: "boxes", viewBox: `0 0 ${w} ${h}`, preserveAspectRatio: "none" });
  state.items.forEach((it, i) => {
    const f = it.field;
    if (!f || !f.bbox || f.page !== page.number) return;
    const [x0, y0, x1, y1] = toView(f.bbox, page);
    svg.append(el("svg:rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, "data-key": it.key,
      class: (it.quotaId ? "quota" : "field") + (i === state.sel ? " sel" : ""), onclick: () => select(i) },
    el("svg:title", { text: `${it.key}: ${show(it.review.value)}` })));
  });
  fill(canvas, img, svg);
}

function drawPanel() {
  const r = state.doc.result, panel = document.getElementById("panel");
  const items = state.items.map((it, i) => itemCard(it, i));
  const adding = state.editing === "add" ? el("div", { class: "item selected", id: "add-form" }, el("div", { class: "name", text: "new quota" }), quotaForm(null)) : null;
  const differs = state.doc.differs.length ? el("p", { class: "differs", id: "differs" },
    `${state.doc.differs.length} reviewed field(s) where the pipeline's current value differs from the reviewer's`) : null;
  fill(panel,
    r.error ? el("p", { class: "status-failed", text: `failed at ${r.error.stage}: ${r.error.message}` }) : null,
    r.warnings.length ? el("ul", { class: "warnings" }, r.warnings.map(w => el("li", { text: w }))) : null,
    differs, el("div", { id: "items" }, items), adding,
    el("h3", { text: "OCR text" }), textBlock());
  if (state.editing === "add") panel.querySelector("#add-form input")?.focus();
}

function itemCard(it, i) {
  const f = it.field, rv = it.review, d = rv.decision;
  const low = isLow(it);
  const card = el("div", { class: `item${low ? " low" : ""}${d ? " decided" : ""}${i === state.sel ? " selected" : ""}`,
    "data-key": it.key, onclick: e => { if (!e.target.closest("button, input, select, form")) select(i); } },
  el("div", { class: "name" }, it.quotaId ? `quota ${it.quotaId}` : it.key, " ",
    d ? el("span", { class: `badge ${d.action}`, text: `${d.action}ed by ${d.reviewer}` }) : null),
  el("div", { class: "value", text: show(rv.value) }),
  d && rv.differs ? el("div", { class: "differs", text: `pipeline now says: ${show(rv.automatic)}` }) : null,
  f ? el("div", { class: "meta" }, f.raw !== null ? `“${f.raw}” · ` : "",
    f.confidence !== null ? `confidence ${f.confidence.toFixed(2)} · ` : "", f.method || "not found",
    f.page ? ` · page ${f.page}` : "") : el("div", { class: "meta", text: "added by a reviewer" }));
  if (state.editing === i) card.append(it.quotaId ? quotaForm(it) : fieldForm(it));
  else if (i === state.sel) card.append(el("div", { class: "actions" },
    el("button", { type: "button", class: "accept", onclick: () => decide("accept"), text: "accept (a)" }),
    el("button", { type: "button", class: "correct", onclick: () => startEdit(i), text: "correct (e)" }),
    el("button", { type: "button", class: "reject", onclick: () => decide("reject"), text: "reject (x)" })));
  return card;
}

function fieldForm(it) {
  const v = it.review.value;
  const input = el("input", { name: "value", size: 34, value: Array.isArray(v) ? v.join(", ") : (v ?? ""),
    placeholder: it.key.endsWith("_at") ? "YYYY-MM-DDTHH:MM" : it.key === "deadline" ? "YYYY-MM-DD" : "" });
  return el("form", { onsubmit: e => { e.preventDefault(); decide("correct", it.key === "addressees" ? input.value.split(",") : input.value); } },
    input, el("button", { type: "submit", text: "save" }), el("button", { type: "button", onclick: cancelEdit, text: "cancel" }));
}

function quotaForm(it) {
  const v = (it && it.review.value) || { count: "", category: null, kind: "requested", additional: null };
  const count = el("input", { name: "count", type: "number", min: 0, step: 1, value: v.count, required: true, size: 8 });
  const cat = el("select", { name: "category" }, [["", "no category"], ["1", "category 1"], ["2", "category 2"]].map(([k, t]) =>
    el("option", { value: k, selected: String(v.category ?? "") === k, text: t })));
  const kind = el("select", { name: "kind" }, KINDS.map(k => el("option", { value: k, selected: v.kind === k, text: k })));
  const add = el("select", { name: "additional" }, [["", "total/unknown"], ["true", "additional"], ["false", "not additional"]].map(([k, t]) =>
    el("option", { value: k, selected: String(v.additional ?? "") === k, text: t })));
  return el("form", { class: "quota-form", onsubmit: e => {
    e.preventDefault();
    const value = { count: parseInt(count.value, 10), category: cat.value ? +cat.value : null, kind: kind.value,
      additional: add.value ? add.value === "true" : null };
    decide(it ? "correct" : "add", value);
  } }, count, cat, kind, add, el("button", { type: "submit", text: "save" }), el("button", { type: "button", onclick: cancelEdit, text: "cancel" }));
}

function textBlock() {
  // the OCR text, with the selected field's char span marked (built from text nodes)
  const text = state.doc.result.text.replace(/\f/g, "\n\n— next page —\n\n");
  const it = state.items[state.sel], span = it && it.field && it.field.char_span;
  const pre = el("pre", { class: "text", id: "ocr-text" });
  if (span) pre.append(text.slice(0, span[0]), el("mark", { id: "span", text: text.slice(span[0], span[1]) }), text.slice(span[1]));
  else pre.append(text);
  return pre;
}

// ---------------------------------------------------------------- actions
function select(i) {
  if (i < 0 || i >= state.items.length) return;
  state.sel = i; state.editing = null;
  const f = state.items[i].field;
  if (f && f.page && f.page !== state.page) { state.page = f.page; const s = document.getElementById("page"); if (s) s.value = f.page; }
  drawPage(); drawPanel();
  document.querySelector(".item.selected")?.scrollIntoView({ block: "nearest" });
  const box = document.querySelector("#boxes rect.sel");
  if (box) {
    const v = document.getElementById("viewer"), b = box.getBoundingClientRect(), vb = v.getBoundingClientRect();
    if (b.top < vb.top || b.bottom > vb.bottom) v.scrollTop += b.top - vb.top - vb.height / 3;
    if (b.left < vb.left || b.right > vb.right) v.scrollLeft += b.left - vb.left - vb.width / 3;
  }
  document.getElementById("span")?.scrollIntoView({ block: "nearest" });
}

function nextLow(fromStart) {
  // the next field flagged or below the calibrated threshold that no reviewer has decided yet
  const n = state.items.length;
  for (let k = fromStart ? 0 : 1; k <= n; k++) {
    const i = ((fromStart ? 0 : state.sel) + k + n) % n;
    if (isLow(state.items[i]) && !state.items[i].review.decision) { select(i); return; }
  }
  if (fromStart) { select(0); return; }
  // on to the next document that still has fields to check
  const ids = sortedDocs().map(d => d.document_id), at = ids.indexOf(state.doc.result.document_id);
  const next = sortedDocs().slice(at + 1).find(d => d.low_confidence > 0);
  if (next) { toast(`nothing left here; next: ${next.document_id}`); location.hash = `#/doc/${encodeURIComponent(next.document_id)}`; }
  else toast("nothing left to check in this delivery");
}

function step(delta) {
  // the full pass: every field of every document, in list order
  state.pass = "all";
  const i = state.sel + delta;
  if (i >= 0 && i < state.items.length) { select(i); return; }
  const ids = sortedDocs().map(d => d.document_id), at = ids.indexOf(state.doc.result.document_id);
  if (delta > 0 && ids[at + 1]) location.hash = `#/doc/${encodeURIComponent(ids[at + 1])}`;
}

function startEdit(i) {
  if (i === "add") { state.editing = "add"; drawPanel(); return; }
  if (i < 0) return;
  state.sel = i; state.editing = i; drawPanel();
  document.querySelector(".item.selected input")?.focus();
}
function cancelEdit() { state.editing = null; drawPanel(); }

async function decide(action, value) {
  const it = state.items[state.sel];
  if (action !== "add" && !it) return;
  const body = action === "add" ? { field: "quotas", action, new: value }
    : { field: it.quotaId ? "quotas" : it.key, quota_id: it.quotaId, action, new: value };
  body.reviewer = reviewer();
  try {
    const doc = await api(`/api/documents/${encodeURIComponent(state.doc.result.document_id)}/decisions`,
      { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const keep = state.sel;
    state.doc = doc; state.editing = null; buildItems();
    const d = state.docs.documents.find(x => x.document_id === doc.result.document_id);
    if (d) d.decisions = doc.decisions.length;
    toast(`${action} saved`);
    if (action === "add") select(state.items.length - 1);
    else if (action === "correct") select(keep);
    else {  // the common path: on to the next field (the next one to check, in that pass)
      const low = state.pass === "low" && state.items.findIndex((x, i) => i > keep && isLow(x) && !x.review.decision);
      select(low > 0 ? low : Math.min(keep + 1, state.items.length - 1));
    }
  } catch (e) { toast(e.message, true); }
}

function toggleView() { state.view = state.view === "source" ? "clean" : "source"; renderDocument(); select(state.sel); }
function zoom(f) { state.zoom = f ? Math.min(8, Math.max(0.25, state.zoom * f)) : 1; drawPage(); }

document.addEventListener("keydown", e => {
  if (e.target.closest("input, select, textarea")) { if (e.key === "Escape") cancelEdit(); return; }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "?") { const h = document.getElementById("help"); h.hidden = !h.hidden; return; }
  if (!state.doc) return;
  const ids = sortedDocs().map(d => d.document_id), at = ids.indexOf(state.doc.result.document_id);
  const actions = {
    j: () => step(1), ArrowDown: () => step(1), k: () => step(-1), ArrowUp: () => step(-1),
    n: () => { state.pass = "low"; nextLow(false); }, a: () => decide("accept"), x: () => decide("reject"), e: () => startEdit(state.sel),
    q: () => startEdit("add"), v: toggleView, "+": () => zoom(1.25), "=": () => zoom(1.25), "-": () => zoom(0.8), 0: () => zoom(0),
    "]": () => { if (ids[at + 1]) location.hash = `#/doc/${encodeURIComponent(ids[at + 1])}`; },
    "[": () => { if (at > 0) location.hash = `#/doc/${encodeURIComponent(ids[at - 1])}`; },
  };
  if (actions[e.key]) { e.preventDefault(); actions[e.key](); }
});

document.getElementById("help-button").addEventListener("click", () => { const h = document.getElementById("help"); h.hidden = !h.hidden; });
const who = document.getElementById("reviewer");
who.addEventListener("change", () => localStorage.setItem("telegrams-reviewer", who.value.trim()));
window.addEventListener("hashchange", route);
window.addEventListener("resize", () => { if (state.doc) drawPage(); });
api("/api/documents").then(d => {
  state.docs = d;
  who.value = localStorage.getItem("telegrams-reviewer") || d.reviewer;
  route();
}).catch(e => toast(e.message, true));
