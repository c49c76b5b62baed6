/**
 * The counters filesystem storage keeps: records an output's queue dropped for
 * `storage.total_limit_size`, and chunk files that could not be read back.
 */
import type { Metric, MetricsRegistry } from "../metrics.ts";

/** The storage layer's counters, registered once per storage. */
export class StorageMetrics {
  readonly #dropped: Metric;
  readonly #limitDropped: Metric;
  readonly #corrupt: Metric;

  constructor(metrics: MetricsRegistry) {
    this.#dropped = metrics.counter(
      "fluentbit_output_dropped_records_total",
      "Output dropped_records.",
    );
    this.#limitDropped = metrics.counter(
      "sluice_output_storage_limit_dropped_records_total",
      "Records dropped from an output's filesystem queue for storage.total_limit_size.",
    );
    this.#corrupt = metrics.counter(
      "sluice_storage_corrupt_chunks_total",
      "Chunk files that could not be read back and were moved aside.",
    );
  }

  /** Shows an output's limit-drop counter at zero from the start. */
  addOutput(name: string): void {
    this.#limitDropped.touch({ name });
  }

  /** Counts `records` an output dropped for its size limit. */
  limitDropped(name: string, records: number): void {
    this.#dropped.inc({ name }, records);
    this.#limitDropped.inc({ name }, records);
  }

  /** Counts one unreadable chunk file of the input directory `dir`. */
  corrupt(dir: string): void {
    this.#corrupt.inc({ name: dir });
  }
}
