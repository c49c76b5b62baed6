/**
 * Every input's buffering (chunks and bytes in flight, its limit, paused or not), for
 * `/api/v1/storage` and the `fluentbit_input_storage_*` / `fluentbit_storage_*` gauges,
 * which it refreshes whenever the metrics are read while the pipeline runs (no timer).
 */
import type { BuiltInput } from "./built.ts";
import type { MetricsRegistry } from "./metrics.ts";
import type { FilesystemStorage } from "./storage/filesystem_storage.ts";
import {
  type InputBufferStats,
  storageReport,
  updateStorageGauges,
} from "./storage/storage_report.ts";

/** Every input's buffered chunks, as the storage report and gauges show them. */
export function bufferStats(inputs: readonly BuiltInput[]): InputBufferStats[] {
  return inputs.map((i) => ({
    name: i.name,
    type: i.storageType,
    chunks: i.limit.chunks,
    bytes: i.limit.inflight,
    limit: i.limit.limit,
    paused: i.limit.paused,
  }));
}

/** The buffer and storage gauges of a pipeline, refreshed on a timer. */
export class BufferGauges {
  #inputs: readonly BuiltInput[];
  #storage: FilesystemStorage | undefined;
  #metrics: MetricsRegistry;
  #outputs: readonly string[];
  #off: (() => void) | undefined;

  constructor(
    inputs: readonly BuiltInput[],
    deps: { metrics: MetricsRegistry; storage?: FilesystemStorage; outputs?: readonly string[] },
  ) {
    this.#outputs = deps.outputs ?? [];
    this.#inputs = inputs;
    this.#metrics = deps.metrics;
    this.#storage = deps.storage;
  }

  /** Every input's buffered chunks. */
  stats(): InputBufferStats[] {
    return bufferStats(this.#inputs);
  }

  /** The `/api/v1/storage` body. */
  report(): Record<string, unknown> {
    return storageReport(this.stats(), this.#storage);
  }

  /** Sets the gauges now and at every read of the metrics from then on. */
  start(): void {
    if (this.#off !== undefined) return;
    this.update();
    this.#off = this.#metrics.onRead(() => this.update());
  }

  /** Stops following reads and sets the gauges a last time. */
  stop(): void {
    this.#off?.();
    this.#off = undefined;
    this.update();
  }

  /** Sets the gauges from the current state. */
  update(): void {
    updateStorageGauges(this.#metrics, this.stats(), this.#storage, this.#outputs);
  }
}
