/**
 * What a PostgreSQL failure means for delivery: a lost or refused connection is worth a
 * retry (the server restarts, the network comes back); wrong credentials or a missing
 * database are refusals with a clear message, not a retry loop; a record the server
 * cannot store (`data` the jsonb type refuses) is a refusal of that record.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(classifyPgError({ code: "ECONNREFUSED" }), "retry");
 * assertEquals(classifyPgError({ code: "28P01" }), "credentials");
 * assertEquals(classifyPgError({ code: "22P05" }), "data");
 * ```
 */

/** How a failure is treated. */
export type PgFailure = "retry" | "credentials" | "data";

/** The class of a failure from the `postgres` client (`code` is a SQLSTATE or a node code). */
export function classifyPgError(e: unknown): PgFailure {
  const code = String((e as { code?: unknown })?.code ?? "");
  // 28: invalid authorization; 3D000: no such database; 42501: permission denied.
  if (code.startsWith("28") || code === "3D000" || code === "42501") return "credentials";
  // 22: data exception (bad JSON, \u0000 in jsonb, a time out of range).
  if (code.startsWith("22")) return "data";
  return "retry";
}

/** One line saying what failed, with the SQLSTATE when there is one. */
export function pgMessage(e: unknown): string {
  const err = e as { message?: unknown; code?: unknown; detail?: unknown };
  const msg = String(err?.message ?? e);
  const code = typeof err?.code === "string" && !msg.includes(err.code) ? ` (${err.code})` : "";
  const detail = typeof err?.detail === "string" ? `: ${err.detail}` : "";
  return `${msg}${code}${detail}`;
}
