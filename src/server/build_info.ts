/**
 * `GET /`: build information in Fluent Bit's shape, plus sluice's own version.
 */

/** The Fluent Bit release whose behaviour and endpoints sluice follows. */
export const FLUENT_BIT_COMPAT_VERSION = "5.1.1";

/** Fluent Bit build flags that describe what sluice provides. */
export const BUILD_FLAGS: readonly string[] = [
  "FLB_HAVE_METRICS",
  "FLB_HAVE_HTTP_SERVER",
  "FLB_HAVE_TLS",
  "FLB_HAVE_REGEX",
  "FLB_HAVE_PARSER",
  "FLB_HAVE_RECORD_ACCESSOR",
];

/** The body of `GET /`. */
export interface BuildInfo {
  "fluent-bit": { version: string; edition: string; flags: string[] };
  sluice: { version: string };
}

/**
 * The `GET /` body: `{"fluent-bit":{"version","edition","flags"},"sluice":{"version"}}`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(buildInfo("0.1.0")["fluent-bit"].edition, "Community");
 * ```
 */
export function buildInfo(version: string): BuildInfo {
  return {
    "fluent-bit": {
      version: FLUENT_BIT_COMPAT_VERSION,
      edition: "Community",
      flags: [...BUILD_FLAGS],
    },
    sluice: { version },
  };
}
