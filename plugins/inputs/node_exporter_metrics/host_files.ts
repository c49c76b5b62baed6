/**
 * Reads of procfs and sysfs for the collectors: synchronous (these files live in kernel
 * memory, so a read never waits on a disk) and forgiving. A missing file is an absent
 * feature (debug only); any other failure, and every line a collector cannot parse, is
 * counted in `sluice_node_exporter_errors_total` and logged once per collector and kind.
 */
import type { PluginLogger, PluginMetrics } from "../../../src/plugin.ts";

const SAMPLE_CHARS = 200;
/** How long a path found missing is not asked again (sysfs attributes rarely appear later). */
const MISSING_TTL_MS = 60_000;
const COLLATOR = new Intl.Collator("en", { numeric: true });

/** Where the collectors read the host, and where they report what they could not read. */
export class HostFiles {
  readonly procfs: string;
  readonly sysfs: string;
  readonly rootfs: string;
  /** Problems counted, per collector. */
  readonly errors = new Map<string, number>();
  readonly #log: PluginLogger;
  readonly #count: (collector: string) => void;
  /** Paths found missing, until when they are taken as still missing. */
  readonly #missing = new Map<string, number>();

  constructor(
    paths: { procfs: string; sysfs: string; rootfs: string },
    log: PluginLogger,
    metrics?: PluginMetrics,
    name = "node_exporter_metrics",
  ) {
    this.procfs = trimSlash(paths.procfs);
    this.sysfs = trimSlash(paths.sysfs);
    this.rootfs = trimSlash(paths.rootfs);
    this.#log = log;
    const family = metrics?.counter(
      "sluice_node_exporter_errors_total",
      "Host files node_exporter_metrics could not read or parse, per collector.",
    );
    this.#count = (collector) => family?.inc({ name, collector });
  }

  /** The text of `path`, or undefined when it does not exist (or cannot be read). */
  read(collector: string, path: string): string | undefined {
    const until = this.#missing.get(path);
    if (until !== undefined) {
      if (Date.now() < until) return undefined;
      this.#missing.delete(path);
    }
    try {
      return Deno.readTextFileSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
        if (this.#missing.size < 10_000) this.#missing.set(path, Date.now() + MISSING_TTL_MS);
        this.#log.debug(`${collector}: ${path} does not exist`);
      } else this.bad(collector, "read", `${path}: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** The trimmed first line of `path` as a number, or undefined when absent or not a number. */
  number(collector: string, path: string): number | undefined {
    const text = this.read(collector, path);
    if (text === undefined) return undefined;
    const v = Number(text.trim());
    if (text.trim() === "" || !Number.isFinite(v)) {
      this.bad(collector, "number", `${path}: ${JSON.stringify(text.slice(0, 40))}`);
      return undefined;
    }
    return v;
  }

  /** The names in directory `path` (sorted), or [] when it does not exist. */
  list(collector: string, path: string): string[] {
    try {
      const names: string[] = [];
      for (const e of Deno.readDirSync(path)) names.push(e.name);
      return names.sort(naturalCompare);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory)) {
        this.bad(collector, "read", `${path}: ${(e as Error).message}`);
      }
      return [];
    }
  }

  /** Says once that `collector` has nothing to read on this host (not an error: not counted). */
  unavailable(collector: string, why: string): void {
    this.#log.once(
      "warn",
      `ne-${collector}-unavailable`,
      `${collector} collector: ${why}; it adds nothing`,
    );
  }

  /** Counts a problem of `collector` and logs the first of each `kind` with `sample`. */
  bad(collector: string, kind: string, sample: string): void {
    this.errors.set(collector, (this.errors.get(collector) ?? 0) + 1);
    this.#count(collector);
    const s = sample.length > SAMPLE_CHARS ? `${sample.slice(0, SAMPLE_CHARS)}...` : sample;
    this.#log.once(
      "warn",
      `ne-${collector}-${kind}`,
      `${collector} collector: could not ${kind === "read" ? "read" : "parse"} ` +
        `(further ones are counted in sluice_node_exporter_errors_total, not logged): ${s}`,
    );
  }
}

function trimSlash(p: string): string {
  return p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p;
}

/** Compares names with their digit runs as numbers: cpu2 before cpu10. */
export function naturalCompare(a: string, b: string): number {
  return COLLATOR.compare(a, b);
}

/** A file's lines without the empty ones. */
export function lines(text: string): string[] {
  return text.split("\n").filter((l) => l.trim() !== "");
}

/** A line's whitespace-separated fields. */
export function fields(line: string): string[] {
  return line.trim().split(/\s+/);
}
