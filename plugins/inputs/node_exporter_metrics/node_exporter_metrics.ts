/**
 * The node_exporter_metrics input: each enabled collector reads the host on its own period
 * (`collector.<name>.scrape_interval`, else `scrape_interval`), keeping its latest families;
 * every `scrape_interval` the latest families of all collectors go down the pipeline as one
 * metrics chunk, as Fluent Bit appends its whole cmetrics context. The first snapshot is sent
 * once every collector has run once, at start.
 */
import type { MetricChunk } from "../../../src/event/chunk.ts";
import { emptyResource, emptyScope } from "../../../src/event/span.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import { COLLECTORS } from "./collectors/mod.ts";
import type { CollectEnv, Collector } from "./collectors/types.ts";
import { Families, type Family, toMetricRecords } from "./families.ts";
import { HostFiles } from "./host_files.ts";
import type { NodeExporterSettings } from "./settings.ts";

/** Approximate bytes of one data point, for buffer accounting. */
const POINT_BYTES = 96;

interface Scheduled {
  collector: Collector;
  intervalMs: number;
  due: number;
}

/** A running node_exporter_metrics input. */
export class NodeExporterMetricsInput implements InputInstance {
  readonly chunks: AsyncIterable<MetricChunk>;
  readonly #ctx: InputContext;
  readonly #settings: NodeExporterSettings;
  readonly #env: CollectEnv;
  readonly #latest = new Map<string, Family[]>();
  readonly #resource = emptyResource();
  readonly #scope = emptyScope();

  constructor(settings: NodeExporterSettings, ctx: InputContext) {
    this.#ctx = ctx;
    this.#settings = settings;
    const files = new HostFiles(
      { procfs: settings.procfs, sysfs: settings.sysfs, rootfs: settings.rootfs },
      ctx.log,
      ctx.metrics,
      ctx.name,
    );
    this.#env = { files, settings };
    if (Deno.build.os !== "linux") {
      ctx.log.warn(
        `the collectors read Linux's procfs and sysfs: on ${Deno.build.os} most give nothing`,
      );
    }
    for (const name of settings.unknown) {
      ctx.log.warn(`collector "${name}" is not supported by sluice, skipped`);
    }
    const systemdExtras = [
      ["systemd_service_restart_metrics", settings.systemdRestarts],
      ["systemd_unit_start_time_metrics", settings.systemdStartTimes],
      ["systemd_include_service_task_metrics", settings.systemdTasks],
    ] as const;
    for (const [key, on] of systemdExtras) {
      if (on && settings.collectors.some((c) => c.name === "systemd")) {
        ctx.log.warn(
          `${key} is not supported yet (sluice reads systemd through systemctl), ignored`,
        );
      }
    }
    this.chunks = this.#main();
  }

  /** Nothing to release: reads are synchronous and the timers end with the signal. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Runs every collector once and returns the snapshot (tests, the benchmark). */
  async collectOnce(): Promise<MetricChunk> {
    for (const { name } of this.#settings.collectors) await this.#update(COLLECTORS.get(name)!);
    return this.#snapshot();
  }

  async *#main(): AsyncGenerator<MetricChunk> {
    const { clock, signal } = this.#ctx;
    const start = clock.now();
    const scheduled: Scheduled[] = this.#settings.collectors.map((c) => ({
      collector: COLLECTORS.get(c.name)!,
      intervalMs: c.intervalMs,
      due: start,
    }));
    let snapshotDue = start;
    while (!signal.aborted) {
      const now = clock.now();
      for (const s of scheduled) {
        if (s.due > now) continue;
        await this.#update(s.collector);
        s.due += Math.max(1, Math.ceil((clock.now() - s.due) / s.intervalMs)) * s.intervalMs;
      }
      if (signal.aborted) break;
      if (snapshotDue <= clock.now()) {
        yield this.#snapshot();
        const late = clock.now() - snapshotDue;
        snapshotDue += Math.max(1, Math.ceil(late / this.#settings.scrapeMs)) *
          this.#settings.scrapeMs;
      }
      const next = Math.min(snapshotDue, ...scheduled.map((s) => s.due));
      await clock.sleep(Math.max(0, next - clock.now()), signal);
    }
  }

  async #update(c: Collector): Promise<void> {
    const out = new Families();
    try {
      await c.update(this.#env, out);
    } catch (e) {
      this.#env.files.bad(c.name, "update", (e as Error).stack ?? String(e));
    }
    this.#latest.set(c.name, out.list());
  }

  #snapshot(): MetricChunk {
    const families: Family[] = [];
    for (const { name } of this.#settings.collectors) {
      families.push(...(this.#latest.get(name) ?? []));
    }
    const records = toMetricRecords(families, this.#resource, this.#scope);
    let points = 0;
    for (const f of families) points += f.samples.length;
    return this.#ctx.signalChunk<MetricChunk>("metrics", records, {
      bytes: 64 + points * POINT_BYTES,
    });
  }
}
