/**
 * One screen of `sluice top`, from two `/api/v2/pipeline` bodies a moment apart (rates are
 * their difference): a pure function of the bodies and the terminal's size, so it is tested
 * without a terminal. Lines never exceed the width; the screen never exceeds the height.
 */
import type { PipelineBody } from "../../server/pipeline_view.ts";

/** How to draw. */
export interface RenderOptions {
  width: number;
  height: number;
  /** ANSI colours and bold; off when not a TTY or NO_COLOR is set. */
  color: boolean;
  /** The monitoring URL, shown in the header. */
  url: string;
}

type Paint = (code: string, text: string) => string;

/** A count shortened to at most about six characters: 1234567 as 1.2M. */
export function shortCount(n: number): string {
  if (!Number.isFinite(n)) return "-";
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (a >= 1e5) return `${(n / 1e3).toFixed(0)}k`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return a >= 100 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1);
}

/** Bytes in binary units: 1536 as 1.5K. */
export function shortBytes(n: number): string {
  if (!Number.isFinite(n)) return "-";
  const units = ["B", "K", "M", "G", "T"];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(n)}B` : `${n.toFixed(n >= 100 ? 0 : 1)}${units[i]}`;
}

/** Seconds as `3d 4h`, `2h 5m`, `5m 7s` or `7s`. */
export function shortDuration(s: number): string {
  const d = Math.floor(s / 86400);
  const h = Math.floor(s / 3600) % 24;
  const m = Math.floor(s / 60) % 60;
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** Per-second rate of `key` of the instance `name` between two bodies; NaN without a prior. */
function rateOf<K extends "inputs" | "filters" | "outputs">(
  kind: K,
  key: string,
  name: string,
  body: PipelineBody,
  prev: PipelineBody | undefined,
): number {
  if (!prev) return NaN;
  const dt = (body.now_ms - prev.now_ms) / 1000;
  const find = (b: PipelineBody) =>
    (b[kind] as Array<{ name: string }>).find((x) => x.name === name) as
      | Record<string, unknown>
      | undefined;
  const now = find(body)?.[key];
  const was = find(prev)?.[key];
  if (typeof now !== "number" || typeof was !== "number" || dt <= 0) return NaN;
  return Math.max(0, (now - was) / dt);
}

/** Cuts `text` to `width` columns, marking the cut with `…`. */
function fit(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

/** A cut from the left (paths keep their file name). */
function fitLeft(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(-width) : `…${text.slice(text.length - width + 1)}`;
}

interface Column {
  title: string;
  width: number;
}

/** A table: the first column takes the room left over by the fixed-width number columns. */
function tableLines(
  title: string,
  cols: Column[],
  rows: Array<{ cells: string[]; alert?: boolean[] }>,
  width: number,
  paint: Paint,
): string[] {
  // A narrow terminal loses columns from the right rather than wrapping lines.
  while (cols.length > 0 && cols.reduce((n, c) => n + c.width + 1, 0) + 6 > width) {
    cols = cols.slice(0, -1);
  }
  const fixed = cols.reduce((n, c) => n + c.width + 1, 0);
  const first = Math.max(6, width - fixed);
  const line = (first0: string, cells: string[], alert: boolean[] = []) => {
    let out = fit(first0, first).padEnd(first);
    cells.slice(0, cols.length).forEach((c, i) => {
      const cell = fit(c, cols[i]!.width).padStart(cols[i]!.width);
      out += " " + (alert[i] ? paint("31;1", cell) : cell);
    });
    return out;
  };
  const head = line(title, cols.map((c) => c.title));
  return [
    paint("1;7", head.padEnd(width)),
    ...rows.map((r) => line(r.cells[0] ?? "", r.cells.slice(1), r.alert?.slice(1))),
  ];
}

/**
 * The screen as lines (without line ends), at most `height` of them, none wider than `width`
 * once colour codes are left out.
 *
 * @example
 * ```ts
 * import { assert, assertEquals } from "../../testing/assert.ts";
 * import type { PipelineBody } from "../../server/pipeline_view.ts";
 *
 * const body = (ms: number, records: number): PipelineBody => ({
 *   version: "0.1.0", hostname: "h", pid: 1, config: null, started_at: "", uptime_sec: 5,
 *   now_ms: ms, health: { status: "ok", errors: 0, retries_failed: 0, error_limit: 5,
 *     retry_failure_limit: 5, period_limit: 60 },
 *   inputs: [{ name: "dummy.0", plugin: "dummy", kind: "input", tag: "t", processors: [],
 *     records, bytes: 0, paused: false, files: [],
 *     buffer: { chunks: 0, bytes: 0, limit: 0, type: "memory" } }],
 *   filters: [], outputs: [], edges: [], sampling: [], errors: [],
 * });
 * const lines = renderTop(body(2000, 300), body(1000, 100), {
 *   width: 80, height: 24, color: false, url: "http://127.0.0.1:2020",
 * });
 * assert(lines.length <= 24 && lines.every((l) => l.length <= 80));
 * assertEquals(lines.find((l) => l.startsWith("dummy.0"))?.split(/ +/)[1], "200");
 * ```
 */
export function renderTop(
  body: PipelineBody,
  prev: PipelineBody | undefined,
  options: RenderOptions,
): string[] {
  const width = Math.max(20, options.width);
  const height = Math.max(3, options.height);
  const paint: Paint = options.color ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_, t) => t;
  const r = (kind: "inputs" | "filters" | "outputs", key: string, name: string) =>
    rateOf(kind, key, name, body, prev);
  const healthy = body.health.status === "ok";
  const health = paint(healthy ? "32" : "31;1", body.health.status);
  const header = `sluice ${body.version}  ${body.hostname} pid ${body.pid}  up ${
    shortDuration(body.uptime_sec)
  }  health `;
  const plain = header + body.health.status;
  const lines: string[] = [
    plain.length <= width ? header + health : fit(plain, width),
    fit(`config ${body.config ?? "(command line)"}  ${options.url}  q quits`, width),
  ];

  lines.push(...tableLines(
    "INPUT",
    [
      { title: "REC/S", width: 7 },
      { title: "BYTES/S", width: 7 },
      { title: "RECORDS", width: 7 },
      { title: "BUFFER", width: 6 },
      { title: "PAUSED", width: 6 },
    ],
    body.inputs.map((i) => ({
      cells: [
        i.name + (i.processors.length ? ` [${i.processors.join(",")}]` : ""),
        shortCount(r("inputs", "records", i.name)),
        shortBytes(r("inputs", "bytes", i.name)),
        shortCount(i.records),
        i.buffer.limit ? `${Math.round((100 * i.buffer.bytes) / i.buffer.limit)}%` : "-",
        i.paused ? "yes" : "no",
      ],
      alert: [false, false, false, false, false, i.paused],
    })),
    width,
    paint,
  ));
  if (body.filters.length) {
    lines.push(...tableLines(
      "FILTER",
      [
        { title: "IN/S", width: 7 },
        { title: "OUT/S", width: 7 },
        { title: "DROPPED", width: 7 },
        { title: "ADDED", width: 7 },
      ],
      body.filters.map((f) => ({
        cells: [
          f.name,
          shortCount(r("filters", "records_in", f.name)),
          shortCount(r("filters", "records_out", f.name)),
          shortCount(f.dropped),
          shortCount(f.added),
        ],
      })),
      width,
      paint,
    ));
  }
  lines.push(...tableLines(
    "OUTPUT",
    [
      { title: "REC/S", width: 7 },
      { title: "BYTES/S", width: 7 },
      { title: "ERRORS", width: 6 },
      { title: "RETRIES", width: 7 },
      { title: "DROPPED", width: 7 },
      { title: "DLQ", width: 5 },
    ],
    body.outputs.map((o) => ({
      cells: [
        o.name + (o.processors.length ? ` [${o.processors.join(",")}]` : ""),
        shortCount(r("outputs", "records", o.name)),
        shortBytes(r("outputs", "bytes", o.name)),
        shortCount(o.errors),
        shortCount(o.retries),
        shortCount(o.dropped),
        shortCount(o.dead_letters),
      ],
      alert: [false, false, false, o.errors > 0, false, o.dropped > 0, o.dead_letters > 0],
    })),
    width,
    paint,
  ));
  const files = body.inputs.flatMap((i) => i.files.map((f) => ({ input: i.name, ...f })));
  if (files.length) {
    lines.push(...tableLines(
      "FILE",
      [
        { title: "INPUT", width: 10 },
        { title: "READ", width: 7 },
        { title: "LAG", width: 7 },
        { title: "STATE", width: 7 },
      ],
      files.map((f) => ({
        cells: [
          fitLeft(f.path, Math.max(6, width - 36)),
          f.input,
          shortBytes(f.read),
          shortBytes(f.lag),
          f.state,
        ],
      })),
      width,
      paint,
    ));
  }
  if (body.sampling.length) {
    lines.push(...tableLines(
      "SAMPLING",
      [
        { title: "PENDING", width: 7 },
        { title: "KEPT", width: 7 },
        { title: "DROPPED", width: 7 },
        { title: "LATE", width: 6 },
      ],
      body.sampling.map((s) => ({
        cells: [
          s.name,
          shortCount(s.pending),
          shortCount(s.kept),
          shortCount(s.dropped),
          shortCount(s.late_spans),
        ],
      })),
      width,
      paint,
    ));
  }
  lines.push(paint("1;7", fit("RECENT ERRORS", width).padEnd(width)));
  const room = height - lines.length;
  if (room < 0) {
    const cut = lines.slice(0, height - 1);
    cut.push(fit(`… ${lines.length - cut.length} more lines: enlarge the terminal`, width));
    return cut;
  }
  const errors = body.errors.slice(-Math.max(0, room)).reverse();
  if (errors.length === 0 && room > 0) lines.push("none");
  for (const e of errors) {
    const t = new Date(e.time).toISOString().slice(11, 19);
    const text = fit(`${t} [${e.component}] ${e.message.replace(/\s+/g, " ")}`, width);
    lines.push(e.level === "error" ? paint("31", text) : paint("33", text));
  }
  return lines.slice(0, height);
}
