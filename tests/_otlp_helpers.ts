/**
 * Helpers for the OTLP end-to-end tests: a sluice process started from a YAML config with
 * its output lines collected, and a scripted OTLP/HTTP receiver on 127.0.0.1.
 */
import { spawnSluice, tempDirWith, waitFor } from "./_helpers.ts";

/** A running sluice CLI process. */
export interface SluiceProcess {
  child: Deno.ChildProcess;
  /** Lines printed on stdout so far. */
  stdout: string[];
  /** Lines printed on stderr so far (sluice's log). */
  stderr: string[];
  /** Stops it with SIGTERM and returns its exit code. */
  stop(): Promise<number>;
}

async function collect(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
  let rest = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + text).split("\n");
    rest = parts.pop()!;
    into.push(...parts);
  }
  if (rest !== "") into.push(rest);
}

/** Starts `sluice -c <yaml>`. */
export async function startSluice(yaml: string): Promise<SluiceProcess> {
  const dir = await tempDirWith({ "sluice.yaml": yaml });
  const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const reading = Promise.all([collect(child.stdout, stdout), collect(child.stderr, stderr)]);
  let stopped: Promise<number> | undefined;
  return {
    child,
    stdout,
    stderr,
    stop(): Promise<number> {
      stopped ??= (async () => {
        try {
          child.kill("SIGTERM");
        } catch {
          // already exited
        }
        const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
        const status = await child.status;
        clearTimeout(timer);
        await reading;
        await Deno.remove(dir, { recursive: true }).catch(() => {});
        return status.code;
      })();
      return stopped;
    },
  };
}

/** Waits until an OTLP/HTTP input answers on `port` (a GET gets 405 once it listens). */
export async function waitListening(
  port: number,
  options: { scheme?: string; client?: Deno.HttpClient } = {},
): Promise<void> {
  const { scheme = "http", client } = options;
  await waitFor(async () => {
    const res = await fetch(`${scheme}://localhost:${port}/v1/traces`, { client });
    await res.body?.cancel();
    return res.status === 405;
  }, { timeoutMs: 30_000, what: `an OTLP input on port ${port}` });
}

/** One request a test receiver got. */
export interface ReceivedRequest {
  path: string;
  headers: Headers;
  body: Uint8Array;
}

/** A scripted OTLP/HTTP receiver. */
export interface OtlpTestReceiver {
  port: number;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 answering each request with `answer` (200 by default). */
export function startReceiver(
  answer: (req: ReceivedRequest, n: number) => Response | Promise<Response> = () =>
    new Response(null, { status: 200 }),
): OtlpTestReceiver {
  const requests: ReceivedRequest[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const r = {
      path: new URL(req.url).pathname,
      headers: req.headers,
      body: new Uint8Array(await req.arrayBuffer()),
    };
    requests.push(r);
    return await answer(r, requests.length);
  });
  return { port: server.addr.port, requests, close: () => server.shutdown() };
}

/**
 * POSTs `body` to an OTLP path on 127.0.0.1:`port` (as JSON unless `headers` say otherwise);
 * returns the status, headers and body text.
 */
export async function postOtlp(
  port: number,
  path: string,
  request: {
    body: Uint8Array | string | ReadableStream<Uint8Array>;
    headers?: Record<string, string>;
  },
): Promise<{ status: number; text: string; headers: Headers }> {
  const { body, headers = { "content-type": "application/json" } } = request;
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: "POST",
    headers,
    body: body as BodyInit,
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
