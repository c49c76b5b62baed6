/**
 * Test harness for the monitoring server: binds 127.0.0.1 on a free port with a fake clock
 * and an in-memory log. Imported only by this folder's tests.
 */

import { Logger, memorySink } from "../engine/log.ts";
import { MetricsRegistry } from "../engine/metrics.ts";
import {
  type MonitoringOptions,
  type MonitoringServer,
  type MonitoringState,
  startMonitoringServer,
} from "./server.ts";

/** Start time every harness uses: 2023-11-14T22:13:20Z. */
export const T0 = 1_700_000_000_000;

/** A running server under test with its state, clock and log lines. */
export interface Harness {
  server: MonitoringServer;
  state: MonitoringState;
  clock: { ms: number };
  lines: string[];
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Starts a server with defaults (health check on, 5/5/60) overridden by the arguments. */
export async function startHarness(
  state: Partial<MonitoringState> = {},
  options: Partial<MonitoringOptions> = {},
): Promise<Harness> {
  const clock = { ms: T0 };
  const sink = memorySink();
  const fullState: MonitoringState = {
    metrics: new MetricsRegistry(),
    startedAt: new Date(T0),
    version: "0.1.0",
    hostname: "test-host",
    instances: { inputs: ["dummy.0"], filters: ["grep.0"], outputs: ["stdout.0"] },
    ...state,
  };
  const server = await startMonitoringServer(fullState, {
    listen: "127.0.0.1",
    port: 0,
    healthCheck: true,
    hcErrorsCount: 5,
    hcRetryFailureCount: 5,
    hcPeriod: 60,
    log: new Logger({ level: "debug", sink }),
    now: () => clock.ms,
    ...options,
  });
  const base = `http://127.0.0.1:${server.port}`;
  return {
    server,
    state: fullState,
    clock,
    lines: sink.lines,
    get: (path, init) => fetch(base + path, init),
    close: () => server.close(),
  };
}
