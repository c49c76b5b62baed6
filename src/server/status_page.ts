/**
 * The status page served at `GET /` to a browser: one self-contained HTML document (inline
 * CSS and script, the graph drawn as SVG, nothing fetched but `/api/v2/pipeline`) showing the
 * pipeline as a picture with live rates on each edge, health, version, uptime, config path
 * and the recent errors. It polls once a second.
 */

/**
 * True when the request asks for HTML (a browser's `Accept`, or `?format=html`); scripts
 * asking for anything else get Fluent Bit's JSON at `/`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const req = (accept: string, query = "") => ({ headers: new Headers({ accept }), query });
 * assertEquals(wantsHtml(req("text/html,application/xhtml+xml,*\/*;q=0.8")), true);
 * assertEquals(wantsHtml(req("*\/*")), false);
 * assertEquals(wantsHtml(req("*\/*", "format=html")), true);
 * ```
 */
export function wantsHtml(req: { headers: Headers; query: string }): boolean {
  if (new URLSearchParams(req.query).get("format") === "html") return true;
  return /\btext\/html\b/i.test(req.headers.get("accept") ?? "");
}

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--mut:#667;--line:#c9d1d9;--ok:#1a7f37;
--bad:#cf222e;--warn:#9a6700;--in:#ddf4ff;--fl:#fff8c5;--out:#dafbe1;--card:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mut:#8b949e;--line:#30363d;
--in:#0c2d6b;--fl:#3b2e00;--out:#033a16;--card:#161b22}}
body{margin:0;font:14px/1.4 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;flex-wrap:wrap;gap:18px;align-items:baseline;padding:12px 18px;
border-bottom:1px solid var(--line)}
header h1{font-size:18px;margin:0}
.k{color:var(--mut)}
.ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}
main{padding:12px 18px}
svg{width:100%;border:1px solid var(--line);border-radius:6px;background:var(--card)}
.node rect{stroke:var(--line);rx:6}.node.input rect{fill:var(--in)}.node.filter rect{fill:var(--fl)}
.node.output rect{fill:var(--out)}.node text{fill:var(--fg);font-size:12px}
.node .sub{fill:var(--mut);font-size:11px}
.edge{stroke:var(--mut);fill:none;stroke-width:1.5}.edge.live{stroke:var(--ok);stroke-width:2.5}
.edge-rate{fill:var(--fg);font-size:11px;paint-order:stroke;stroke:var(--card);stroke-width:3px}
table{border-collapse:collapse;margin:10px 0;font-variant-numeric:tabular-nums}
th,td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:right}
th:first-child,td:first-child{text-align:left}
h2{font-size:15px;margin:18px 0 4px}
#errors li{font-family:ui-monospace,monospace;font-size:12px}
#conn{margin-left:auto}
`;

const SCRIPT = `
"use strict";
const $ = (id) => document.getElementById(id);
const NS = "http://www.w3.org/2000/svg";
let prev = null, updates = 0;
function fmt(n) {
  if (!isFinite(n)) return "-";
  const a = Math.abs(n);
  if (a >= 1e9) return (n / 1e9).toFixed(1) + "G";
  if (a >= 1e6) return (n / 1e6).toFixed(1) + "M";
  if (a >= 1e4) return (n / 1e3).toFixed(1) + "k";
  return a >= 100 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1);
}
function bytes(n) {
  const u = ["B", "KiB", "MiB", "GiB"]; let i = 0;
  while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : String(Math.round(n))) + " " + u[i];
}
function dur(s) {
  const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
  return (d ? d + "d " : "") + (d || h ? h + "h " : "") + m + "m " + (s % 60) + "s";
}
function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
function rate(kind, name, key, body) {
  if (!prev) return NaN;
  const dt = (body.now_ms - prev.now_ms) / 1000;
  const was = prev[kind].find((x) => x.name === name);
  const now = body[kind].find((x) => x.name === name);
  if (!was || !now || dt <= 0) return NaN;
  return Math.max(0, (now[key] - was[key]) / dt);
}
function outRate(name, body) {
  if (body.inputs.some((i) => i.name === name)) return rate("inputs", name, "records", body);
  return rate("filters", name, "records_out", body);
}
function draw(body) {
  const svg = $("graph");
  const cols = [body.inputs, body.filters, body.outputs];
  const W = 980, colX = [20, 380, 740], bw = 220, bh = 46, gap = 22;
  const rows = Math.max(1, ...cols.map((c) => c.length));
  const H = 30 + rows * (bh + gap);
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  svg.replaceChildren();
  const pos = new Map();
  ["inputs", "filters / processors", "outputs"].forEach((t, i) =>
    svg.append(el("text", { x: colX[i], y: 16, class: "k", fill: "currentColor" }, t)));
  cols.forEach((col, ci) => col.forEach((n, ri) => {
    const y = 26 + ri * (bh + gap) + (rows - col.length) * (bh + gap) / 2;
    pos.set(n.name, { x: colX[ci], y });
  }));
  for (const e of body.edges) {
    const a = pos.get(e.from), b = pos.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + bw, y1 = a.y + bh / 2, x2 = b.x, y2 = b.y + bh / 2, mx = (x1 + x2) / 2;
    const r = outRate(e.from, body);
    svg.append(el("path", {
      d: "M" + x1 + "," + y1 + " C" + mx + "," + y1 + " " + mx + "," + y2 + " " + x2 + "," + y2,
      class: "edge" + (r > 0 ? " live" : ""), "marker-end": "url(#arrow)",
    }));
    svg.append(el("text", {
      x: mx, y: (y1 + y2) / 2 - 4, "text-anchor": "middle", class: "edge-rate",
      "data-from": e.from, "data-to": e.to,
    }, isNaN(r) ? "…" : fmt(r) + " rec/s"));
  }
  cols.forEach((col, ci) => col.forEach((n) => {
    const p = pos.get(n.name);
    const g = el("g", { class: "node " + n.kind, "data-name": n.name });
    g.append(el("rect", { x: p.x, y: p.y, width: bw, height: bh }));
    const title = n.name + (n.processors.length ? " [" + n.processors.join(", ") + "]" : "");
    g.append(el("text", { x: p.x + 8, y: p.y + 18 }, title));
    let sub = (ci === 0 ? "tag " : "match ") + (n.tag || "-");
    if (n.paused) sub += "  PAUSED";
    if (n.errors) sub += "  errors " + n.errors;
    g.append(el("text", { x: p.x + 8, y: p.y + 36, class: "sub" }, sub));
    svg.append(g);
  }));
  const defs = el("defs", {});
  const m = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  m.append(el("path", { d: "M0,0 L10,5 L0,10 z", fill: "currentColor" }));
  defs.append(m);
  svg.prepend(defs);
}
function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.append(td); }
  return tr;
}
function tables(body) {
  const ti = $("inputs");
  ti.replaceChildren(...body.inputs.map((i) => row([
    i.name, fmt(rate("inputs", i.name, "records", body)), bytes(rate("inputs", i.name, "bytes", body) || 0) + "/s",
    fmt(i.records), i.buffer.limit ? Math.round(100 * i.buffer.bytes / i.buffer.limit) + "%" : bytes(i.buffer.bytes),
    i.paused ? "yes" : "no",
  ])));
  const tf = $("filters");
  tf.replaceChildren(...body.filters.map((f) => row([
    f.name, fmt(rate("filters", f.name, "records_in", body)), fmt(rate("filters", f.name, "records_out", body)),
    fmt(f.dropped), fmt(f.added),
  ])));
  const to = $("outputs");
  to.replaceChildren(...body.outputs.map((o) => row([
    o.name, fmt(rate("outputs", o.name, "records", body)), bytes(rate("outputs", o.name, "bytes", body) || 0) + "/s",
    fmt(o.records), fmt(o.errors), fmt(o.retries), fmt(o.dropped), fmt(o.dead_letters),
  ])));
  const files = body.inputs.flatMap((i) => i.files.map((f) => [i.name, f]));
  $("files-section").hidden = files.length === 0;
  $("files").replaceChildren(...files.map(([n, f]) => row([f.path, n, bytes(f.read), bytes(f.lag), f.state])));
  $("sampling-section").hidden = body.sampling.length === 0;
  $("sampling").replaceChildren(...body.sampling.map((s) => row([
    s.name, fmt(s.pending), fmt(s.kept), fmt(s.dropped), fmt(s.late_spans),
  ])));
  const ul = $("errors");
  ul.replaceChildren(...body.errors.slice().reverse().map((e) => {
    const li = document.createElement("li");
    li.className = e.level === "error" ? "bad" : "warn";
    li.textContent = new Date(e.time).toLocaleTimeString() + " [" + e.component + "] " + e.message;
    return li;
  }));
  if (body.errors.length === 0) {
    const li = document.createElement("li"); li.className = "k"; li.textContent = "none"; ul.append(li);
  }
}
async function tick() {
  try {
    const res = await fetch("api/v2/pipeline", { cache: "no-store" });
    const body = await res.json();
    $("version").textContent = body.version;
    $("host").textContent = body.hostname + " (pid " + body.pid + ")";
    $("uptime").textContent = dur(body.uptime_sec);
    $("config").textContent = body.config ?? "(command line)";
    const h = $("health");
    h.textContent = body.health.status;
    h.className = body.health.status === "ok" ? "ok" : "bad";
    draw(body); tables(body);
    prev = body;
    document.body.dataset.updates = String(++updates);
    $("conn").textContent = ""; $("conn").className = "";
  } catch (e) {
    $("conn").textContent = "instance unreachable: " + e.message;
    $("conn").className = "bad";
  } finally {
    setTimeout(tick, 1000);
  }
}
tick();
`;

/** The page, complete. */
export const STATUS_PAGE: string = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>sluice status</title><style>${STYLE}</style></head>
<body data-updates="0">
<header><h1>sluice <span id="version"></span></h1>
<span><span class="k">health</span> <b id="health">…</b></span>
<span><span class="k">uptime</span> <span id="uptime">…</span></span>
<span><span class="k">host</span> <span id="host">…</span></span>
<span><span class="k">config</span> <code id="config">…</code></span>
<span id="conn"></span></header>
<main>
<svg id="graph" viewBox="0 0 980 120" role="img" aria-label="pipeline graph"></svg>
<p class="k">Each edge shows the records per second leaving the stage it starts from; edges
follow the configured tags and matches.</p>
<h2>Inputs</h2><table><thead><tr><th>name</th><th>records/s</th><th>bytes/s</th><th>records</th>
<th>buffer</th><th>paused</th></tr></thead><tbody id="inputs"></tbody></table>
<section id="files-section" hidden><h2>Files</h2><table><thead><tr><th>file</th><th>input</th>
<th>read</th><th>lag</th><th>state</th></tr></thead><tbody id="files"></tbody></table></section>
<h2>Filters</h2><table><thead><tr><th>name</th><th>in/s</th><th>out/s</th><th>dropped</th>
<th>added</th></tr></thead><tbody id="filters"></tbody></table>
<h2>Outputs</h2><table><thead><tr><th>name</th><th>records/s</th><th>bytes/s</th><th>records</th>
<th>errors</th><th>retries</th><th>dropped</th><th>dead letters</th></tr></thead>
<tbody id="outputs"></tbody></table>
<section id="sampling-section" hidden><h2>Sampling</h2><table><thead><tr><th>name</th>
<th>pending</th><th>kept</th><th>dropped</th><th>late spans</th></tr></thead>
<tbody id="sampling"></tbody></table></section>
<h2>Recent errors</h2><ul id="errors"></ul>
</main><script>${SCRIPT}</script></body></html>
`;
