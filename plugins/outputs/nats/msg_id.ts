/**
 * `Nats-Msg-Id` of a JetStream message: the SHA-256 of its subject and payload (32 hex
 * digits). The payload is a pure function of the records and where the chunk was cut, so a
 * chunk published again (an engine retry after a lost publish ack, or a chunk replayed from
 * filesystem storage after a crash) carries the same ids, and the stream drops the copies it
 * stored within its duplicate window.
 */

const encoder = new TextEncoder();

/**
 * The message id of `payload` published on `subject`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const a = await messageId("logs.0", new TextEncoder().encode("[]"));
 * assertEquals(a, await messageId("logs.0", new TextEncoder().encode("[]")));
 * assertEquals(a.length, 32);
 * assertEquals(a === await messageId("logs.1", new TextEncoder().encode("[]")), false);
 * ```
 */
export async function messageId(subject: string, payload: Uint8Array): Promise<string> {
  const head = encoder.encode(subject + "\n");
  const all = new Uint8Array(head.length + payload.length);
  all.set(head);
  all.set(payload, head.length);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  let hex = "";
  for (let i = 0; i < 16; i++) hex += digest[i]!.toString(16).padStart(2, "0");
  return hex;
}
