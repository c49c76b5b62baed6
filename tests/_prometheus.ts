/**
 * Helpers for the Prometheus tests: a local target serving an exposition the test can change,
 * sluice configs around the metrics plugins, and sample-line counting of an exposition.
 */
import { freePort } from "./_helpers.ts";

/** A local HTTP target serving `text` on `/metrics`; `status` answers instead when set. */
export interface Target {
  port: number;
  text: string;
  status?: number;
  contentType: string;
  scrapes: number;
  close(): Promise<void>;
}

/** Starts a target on 127.0.0.1 serving `text`. */
export function serveTarget(text: string, contentType = "text/plain; version=0.0.4"): Target {
  const t: Target = {
    port: 0,
    text,
    contentType,
    scrapes: 0,
    close: () => server.shutdown(),
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    if (new URL(req.url).pathname !== "/metrics") return new Response(null, { status: 404 });
    t.scrapes++;
    if (t.status !== undefined) return new Response("target says no\n", { status: t.status });
    return new Response(t.text, { headers: { "content-type": t.contentType } });
  });
  t.port = server.addr.port;
  return t;
}

/** Sample lines of an exposition (not comments, not blank). */
export function sampleLines(text: string): string[] {
  return text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
}

/**
 * Series identities of an exposition: name and labels sorted by name (writers order labels
 * differently), no value.
 */
export function seriesOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of sampleLines(text)) {
    const open = line.indexOf("{");
    const space = line.search(/\s/);
    if (open < 0 || (space >= 0 && space < open)) {
      out.add(line.slice(0, space < 0 ? line.length : space));
      continue;
    }
    const pairs: string[] = [];
    const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;
    re.lastIndex = open + 1;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line)) !== null) pairs.push(`${m[1]}="${m[2]}"`);
    out.add(`${line.slice(0, open)}{${pairs.sort().join(",")}}`);
  }
  return out;
}

/** A sluice config: `inputs` and `outputs` list items (indented by four), quick flush. */
export function metricsConfig(inputs: string, outputs: string, service = ""): string {
  return `service:
  flush: 0.2
  grace: 2
  log_level: info
  scheduler.base: 0.05
  scheduler.cap: 0.2
${service}pipeline:
  inputs:
${inputs}
  outputs:
${outputs}
`;
}

export { freePort };
