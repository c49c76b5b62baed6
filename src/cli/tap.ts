/**
 * `sluice tap [NAME]`: prints the records passing a running instance's tap points as JSON
 * lines, through its monitoring server (`/api/v2/tap`). Exit 0 after `--limit` records or
 * on Ctrl-C; 1 with one clear line when the instance cannot be reached or goes away.
 */
import { errorMessage } from "../error_message.ts";

/** Flags of `sluice tap`. */
export interface TapFlags {
  /** Instance name pattern (`grep.*`); every instance when unset. */
  name?: string;
  /** `host:port` of the monitoring server. */
  host?: string;
  /** The monitoring server's base URL (wins over `host`). */
  url?: string;
  /** Comma list of input, filter, output. */
  point?: string;
  tag?: string;
  rate?: string;
  sample?: string;
  /** Stop after this many records. */
  limit?: string;
  /** Bearer token for a monitoring server that requires one. */
  token?: string;
}

/** Where the command writes; tests pass their own. */
export interface TapIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: TapIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** The tap URL for `flags`. */
export function tapUrl(flags: TapFlags): URL {
  const base = flags.url ?? `http://${flags.host ?? "127.0.0.1:2020"}`;
  const url = new URL("/api/v2/tap", base.includes("://") ? base : `http://${base}`);
  const set = (k: string, v: string | undefined) => v !== undefined && url.searchParams.set(k, v);
  set("name", flags.name);
  set("point", flags.point);
  set("tag", flags.tag);
  set("rate", flags.rate);
  set("sample", flags.sample);
  return url;
}

/** Runs the tap until its limit, Ctrl-C, or the server going away; returns the exit code. */
export async function tapCommand(flags: TapFlags, io: TapIo = stdio): Promise<number> {
  const url = tapUrl(flags);
  const limit = flags.limit === undefined ? Infinity : Number(flags.limit);
  if (!(limit > 0)) {
    io.err(`sluice: --limit ${flags.limit}: expected a number above 0`);
    return 2;
  }
  const stop = new AbortController();
  const onInt = () => stop.abort();
  Deno.addSignalListener("SIGINT", onInt);
  try {
    let res: Response;
    try {
      const headers = flags.token ? { authorization: `Bearer ${flags.token}` } : undefined;
      res = await fetch(url, { signal: stop.signal, headers });
    } catch (e) {
      if (stop.signal.aborted) return 0;
      io.err(
        `sluice: cannot reach the monitoring server at ${url.origin}: ${errorMessage(e)} ` +
          "(is service.http_server on, and -H/--url right?)",
      );
      return 1;
    }
    if (!res.ok || !res.body) {
      const text = (await res.text().catch(() => "")).trim();
      io.err(`sluice: ${url.origin} answered ${res.status}: ${text || res.statusText}`);
      return 1;
    }
    let seen = 0;
    let first = true;
    let rest = "";
    try {
      for await (const piece of res.body.pipeThrough(new TextDecoderStream())) {
        rest += piece;
        let nl: number;
        while ((nl = rest.indexOf("\n")) >= 0) {
          const line = rest.slice(0, nl);
          rest = rest.slice(nl + 1);
          if (first) {
            first = false;
            io.err(`sluice: tapping ${url.origin} (${line})`);
            continue;
          }
          io.out(line);
          if (++seen >= limit) return 0;
        }
      }
    } catch (e) {
      if (stop.signal.aborted) return 0;
      io.err(`sluice: the tap stream broke: ${errorMessage(e)}`);
      return 1;
    }
    if (stop.signal.aborted) return 0;
    io.err(`sluice: ${url.origin} ended the tap (the instance stopped or reloaded its server)`);
    return 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onInt);
    stop.abort();
  }
}
