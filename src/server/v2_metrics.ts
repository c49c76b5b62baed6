/**
 * The v2 metrics (`/api/v2/metrics/prometheus` and `/api/v2/metrics`): the whole registry plus
 * Fluent Bit's process metrics, as Prometheus text or cmetrics' text format.
 */

import type { Labels, MetricsRegistry } from "../engine/metrics.ts";
import { logCounts } from "../engine/log.ts";
import { uptimeSeconds } from "./uptime.ts";

/** A family ready to render: Fluent Bit's process metrics are built as these. */
export interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge";
  series: Array<{ labels: Labels; value: number }>;
}

/** What the process metrics are computed from. */
export interface ProcessInfo {
  startedAt: Date;
  hostname: string;
  version: string;
  reloadCount: number;
}

/** Fluent Bit's `os` label of `fluentbit_build_info` for this platform. */
export function osName(os: string = Deno.build.os): string {
  switch (os) {
    case "linux":
    case "freebsd":
      return os;
    case "darwin":
      return "macos";
    case "windows":
      return "win64";
    case "netbsd":
    case "openbsd":
    case "solaris":
    case "illumos":
    case "aix":
      return "unix";
    default:
      return "other";
  }
}

/**
 * Fluent Bit's process metrics, as `flb_metrics_fluentbit_add` attaches them: uptime,
 * start time, build info (valued at the start time, as Fluent Bit does) and the reload count.
 */
export function processFamilies(info: ProcessInfo, nowMs: number): Family[] {
  const host = { hostname: info.hostname };
  const start = Math.floor(info.startedAt.getTime() / 1000);
  return [
    {
      name: "fluentbit_uptime",
      help: "Number of seconds that Fluent Bit has been running.",
      type: "counter",
      series: [{ labels: host, value: uptimeSeconds(info.startedAt, nowMs) }],
    },
    {
      name: "fluentbit_process_start_time_seconds",
      help: "Start time of the process since unix epoch in seconds.",
      type: "gauge",
      series: [{ labels: host, value: start }],
    },
    {
      name: "fluentbit_build_info",
      help: "Build version information.",
      type: "gauge",
      series: [{
        labels: { hostname: info.hostname, version: info.version, os: osName() },
        value: start,
      }],
    },
    {
      name: "fluentbit_hot_reloaded_times",
      help: "Collect the count of hot reloaded times.",
      type: "gauge", // a gauge in Fluent Bit 4.2.8's /api/v2/metrics/prometheus
      series: [{ labels: host, value: info.reloadCount }],
    },
    {
      name: "fluentbit_logger_logs_total",
      help: "Total number of logs",
      type: "counter",
      series: Object.entries(logCounts).map(([level, n]) => ({
        labels: { message_type: level },
        value: n,
      })),
    },
  ];
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function labelText(labels: Labels): string {
  const l = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",");
  return l ? `{${l}}` : "";
}

/** Process families the registry does not already define (the engine may own one). */
function extraFamilies(metrics: MetricsRegistry, info: ProcessInfo, nowMs: number): Family[] {
  return processFamilies(info, nowMs).filter((f) => !metrics.families.has(f.name));
}

/** The `/api/v2/metrics/prometheus` body: process metrics, then the registry, no timestamps. */
export function v2Prometheus(
  metrics: MetricsRegistry,
  info: ProcessInfo,
  options: { nowMs: number },
): string {
  const lines: string[] = [];
  for (const f of extraFamilies(metrics, info, options.nowMs)) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.series) lines.push(`${f.name}${labelText(s.labels)} ${s.value}`);
  }
  const head = lines.length > 0 ? lines.join("\n") + "\n" : "";
  return head + (metrics.families.size > 0 ? metrics.renderPrometheus() : "");
}

/** cmetrics' text timestamp: RFC 3339 with nine fractional digits. */
function textTimestamp(nowMs: number): string {
  const iso = new Date(nowMs).toISOString(); // 2026-01-01T00:00:00.000Z
  return `${iso.slice(0, -1)}000000Z`;
}

/**
 * The `/api/v2/metrics` body in cmetrics' text format, one sample a line:
 * `2026-01-01T00:00:00.000000000Z fluentbit_uptime{hostname="h"} = 5`.
 */
export function v2Text(
  metrics: MetricsRegistry,
  info: ProcessInfo,
  options: { nowMs: number },
): string {
  const ts = textTimestamp(options.nowMs);
  const lines: string[] = [];
  for (const f of extraFamilies(metrics, info, options.nowMs)) {
    for (const s of f.series) lines.push(`${ts} ${f.name}${labelText(s.labels)} = ${s.value}`);
  }
  for (const m of metrics.families.values()) {
    for (const s of m.series.values()) {
      lines.push(`${ts} ${m.name}${labelText(s.labels)} = ${s.value}`);
    }
  }
  return lines.length > 0 ? lines.join("\n") + "\n" : "";
}
