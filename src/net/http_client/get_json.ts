/**
 * `GET` of one JSON object: the answer's body read up to a byte limit, a non-200 status
 * told with a snippet of its body, a body that is too large, not JSON or not an object
 * told as such. A network failure throws as {@link HttpClient.send} does.
 */
import type { HttpClient } from "./client.ts";
import { errorMessage } from "../../error_message.ts";
import { snippet } from "./status.ts";

/** A JSON object, or why there is none. */
export type JsonAnswer =
  | { ok: true; json: Record<string, unknown> }
  | { ok: false; reason: string; status?: number; tooLarge?: true };

/** How {@link getJsonObject} asks. */
export interface JsonGet {
  /** Headers of this request only. */
  headers?: Record<string, string>;
  /** Most body bytes accepted. */
  maxBytes: number;
}

/** The JSON object `client` answers at `path`, or why not. */
export async function getJsonObject(
  client: HttpClient,
  path: string,
  get: JsonGet,
): Promise<JsonAnswer> {
  const res = await client.send({
    method: "GET",
    path,
    body: new Uint8Array(0),
    readBody: true,
    maxBodyBytes: get.maxBytes + 1,
    ...(get.headers ? { headers: get.headers } : {}),
  });
  if (res.status !== 200) {
    const text = snippet(new TextDecoder().decode(res.body.subarray(0, 200)), 200);
    return {
      ok: false,
      status: res.status,
      reason: `HTTP ${res.status}${text ? `: ${text}` : ""}`,
    };
  }
  if (res.body.byteLength > get.maxBytes) {
    return { ok: false, reason: `the answer is larger than ${get.maxBytes} bytes`, tooLarge: true };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(res.body));
  } catch (e) {
    return { ok: false, reason: `the answer is not JSON: ${errorMessage(e)}` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, reason: "the answer is not a JSON object" };
  }
  return { ok: true, json: json as Record<string, unknown> };
}
