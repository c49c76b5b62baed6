/**
 * The metrics Fluent Bit's stackdriver output exports, by its names: requests by outcome and
 * HTTP status, records by gRPC code and status, and records sent again.
 */
import type { PluginMetrics } from "../../../src/plugin.ts";

/** The counters of one stackdriver output instance. */
export class StackdriverMetrics {
  readonly #m: PluginMetrics;
  readonly #name: string;

  constructor(metrics: PluginMetrics, name: string) {
    this.#m = metrics;
    this.#name = name;
    this.#c("successful_requests", "Total number of successful requests.").touch({ name });
    this.#c("failed_requests", "Total number of failed requests.").touch({ name });
  }

  #c(metric: string, help: string) {
    return this.#m.counter(`fluentbit_stackdriver_${metric}`, help);
  }

  /** One request answered `status` (0 when it got no answer). */
  request(status: number): void {
    const name = this.#name;
    const ok = status >= 200 && status < 300;
    this.#c(ok ? "successful_requests" : "failed_requests", "Total number of requests.").inc({
      name,
    });
    this.#c("requests_total", "Total number of requests.").inc({ status: String(status), name });
  }

  /** `n` records ended with `grpcCode` in an answer of `status`. */
  records(n: number, status: number, grpcCode: number): void {
    if (n <= 0) return;
    this.#c("proc_records_total", "Total number of processed records.").inc({
      grpc_code: String(grpcCode),
      status: String(status),
      name: this.#name,
    }, n);
  }

  /** `n` records will be sent again after an answer of `status`. */
  retried(n: number, status: number): void {
    if (n <= 0) return;
    this.#c("retried_records_total", "Total number of retried records.").inc({
      status: String(status),
      name: this.#name,
    }, n);
  }
}
