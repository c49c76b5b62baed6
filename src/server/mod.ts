/**
 * The monitoring HTTP server: Fluent Bit's `/`, `/api/v1/*` and `/api/v2/*` endpoints.
 *
 * @module
 */

export {
  type MonitoringOptions,
  type MonitoringServer,
  type MonitoringState,
  startMonitoringServer,
} from "./server.ts";
export type { ReloadResult } from "./reload.ts";
export type { Instances } from "./v1_metrics.ts";
export { FLUENT_BIT_COMPAT_VERSION } from "./build_info.ts";
