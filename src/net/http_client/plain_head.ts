/**
 * The head of an HTTP/1.1 answer as the plain client reads it (plain_conn.ts), and the
 * request and answer shapes it shares with client.ts (declared here, so neither imports
 * the other's module for them).
 */

/** A request as the plain pool sends it (client.ts's HttpRequest fits). */
export interface PlainRequest {
  method?: string;
  path: string;
  body: Uint8Array;
  readBody?: boolean;
  maxBodyBytes?: number;
}

/** An answer as the plain pool reads it (client.ts's PlainAnswer). */
export interface PlainAnswer {
  status: number;
  /** Header values by lowercase name. */
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/** Where the blank line ending a head starts in `b`, or -1. */
export function findHeadEnd(b: Uint8Array): number {
  for (let i = b.indexOf(13); i >= 0 && i + 3 < b.length; i = b.indexOf(13, i + 1)) {
    if (b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  }
  return -1;
}

/** The status, headers (lowercase names; repeated ones joined, set-cookie a list) and keep-alive. */
export function parseAnswerHead(
  text: string,
): { status: number; headers: PlainAnswer["headers"]; keepAlive: boolean } {
  const lines = text.split("\r\n");
  const m = /^HTTP\/1\.(\d) (\d{3})/.exec(lines[0] ?? "");
  if (!m) throw new Error(`bad status line "${(lines[0] ?? "").slice(0, 60)}"`);
  const headers: PlainAnswer["headers"] = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const prev = headers[name];
    if (name === "set-cookie") headers[name] = [...(Array.isArray(prev) ? prev : []), value];
    else headers[name] = prev === undefined ? value : `${prev}, ${value}`;
  }
  const connection = String(headers["connection"] ?? "").toLowerCase();
  const keepAlive = m[1] === "1"
    ? !connection.includes("close")
    : connection.includes("keep-alive");
  return { status: Number(m[2]), headers, keepAlive };
}
